"""The indicator library: a versioned JSON data file of modern-slavery indicators.

Each indicator carries an id, a category, a plain-English explanation a Navigator can
read, its source, a weight, a *kind* and one or more regular expressions.

Kinds decide how evidence combines:

* ``control`` - coercion / control signs (ILO forced-labour indicators, Home Office signs).
* ``exploitation`` - an exploitation type that is itself a concern (county lines, forced
  marriage, forced criminality ...).
* ``explicit`` - the record already names modern slavery / trafficking / the NRM.
* ``sector`` - a location or industry marker (nail bar, car wash, cannabis farm ...).
* ``context`` - a vulnerability or background marker (a child, no English, irregular
  immigration status ...).

``sector`` and ``context`` indicators are *supporting* evidence: they add to the score
but can never flag a record on their own (see :data:`SUBSTANTIVE_KINDS`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

KINDS = ("control", "exploitation", "explicit", "sector", "context")
SUBSTANTIVE_KINDS = frozenset({"control", "exploitation", "explicit"})
DEFAULT_LIBRARY_RESOURCE = "indicators.json"


class LibraryError(ValueError):
    """The indicator library file is invalid."""


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    category: str
    explanation: str
    source: str
    weight: float
    kind: str
    patterns: tuple[str, ...]

    @property
    def substantive(self) -> bool:
        return self.kind in SUBSTANTIVE_KINDS

    def to_dict(self, *, patterns: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "category": self.category,
            "explanation": self.explanation,
            "source": self.source,
            "weight": self.weight,
            "kind": self.kind,
        }
        if patterns:
            out["patterns"] = list(self.patterns)
        return out


@dataclass(frozen=True, slots=True)
class Library:
    version: str
    indicators: tuple[Indicator, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.id in seen:
                raise LibraryError(f"duplicate indicator id {ind.id!r}")
            seen.add(ind.id)

    def __len__(self) -> int:
        return len(self.indicators)

    def __iter__(self):
        return iter(self.indicators)

    def get(self, indicator_id: str) -> Indicator | None:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        return None

    @property
    def categories(self) -> list[str]:
        return sorted({ind.category for ind in self.indicators})

    def to_dict(self, *, patterns: bool = False) -> dict[str, Any]:
        return {
            "version": self.version,
            "indicators": [ind.to_dict(patterns=patterns) for ind in self.indicators],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Library:
        if not isinstance(data, Mapping):
            raise LibraryError("library must be a JSON object")
        version = data.get("version")
        if not isinstance(version, str) or not version:
            raise LibraryError("library needs a non-empty string 'version'")
        raw = data.get("indicators")
        if not isinstance(raw, list) or not raw:
            raise LibraryError("library needs a non-empty list 'indicators'")
        indicators = []
        for n, item in enumerate(raw):
            indicators.append(_indicator(item, n))
        return cls(version=version, indicators=tuple(indicators))


def _indicator(item: Any, n: int) -> Indicator:
    if not isinstance(item, Mapping):
        raise LibraryError(f"indicator #{n} is not an object")
    where = f"indicator #{n} ({item.get('id', '?')})"
    for key in ("id", "category", "explanation", "source", "kind"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise LibraryError(f"{where}: '{key}' must be a non-empty string")
    if item["kind"] not in KINDS:
        raise LibraryError(f"{where}: kind must be one of {', '.join(KINDS)}")
    weight = item.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 10:
        raise LibraryError(f"{where}: 'weight' must be a number in (0, 10]")
    patterns = item.get("patterns")
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) and p and "\n" not in p for p in patterns)
    ):
        raise LibraryError(f"{where}: 'patterns' must be a non-empty list of one-line strings")
    return Indicator(
        id=item["id"],
        category=item["category"],
        explanation=item["explanation"],
        source=item["source"],
        weight=float(weight),
        kind=item["kind"],
        patterns=tuple(patterns),
    )


def load_library(path: str | Path | None = None) -> Library:
    """Load an indicator library; the bundled one when *path* is None."""
    if path is None:
        text = resources.files(__package__).joinpath(DEFAULT_LIBRARY_RESOURCE).read_text("utf-8")
        source = DEFAULT_LIBRARY_RESOURCE
    else:
        text = Path(path).read_text("utf-8")
        source = str(path)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise LibraryError(f"{source}: invalid JSON: {exc}") from exc
    return Library.from_dict(data)
