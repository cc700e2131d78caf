"""The indicator library: a versioned JSON data file of modern-slavery indicators.

Each indicator carries an id, a short name and a category (lowercase words joined by
underscores) to show a Navigator, a plain-English explanation they can read, its source,
a weight, a *kind*, and its evidence: short phrase regexes (``patterns``) and/or
co-occurrence ``rules`` over term groups (see :class:`Rule`; named groups live in the
library's top-level ``terms``), and optionally ``unless``: regexes for innocent explanations
("passport held by the Home Office") that, found in a hit's sentence, report it as negated, and
``unless_overlapping``: regexes for innocent readings of a hit's own words ("her keys were locked in the car",
"locked in a dispute") that report as negated only the hits they overlap, so that a sign elsewhere in the same
sentence still counts ("... and she was locked in the bedroom").

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

An indicator marked ``coercive_control`` is a sign that coercive control between intimate partners shows too
(the statutory guidance on controlling or coercive behaviour lists money kept, phones checked, movements and
friends restricted, documents taken, threats of deportation). The library's ``domestic_context`` names the words
that put such a sign in a partner's hands: a sentence naming a ``partner`` (husband, girlfriend, ex ...) and none of
the ``others`` who exploit (a boss, an agent, clients ...), or a sentence naming neither in a record ``framing`` it as
domestic abuse (DASH, CCB, IDVA ...). A record whose only signs that flag are in a partner's hands is held back when
the wording model reads it as domestic abuse rather than modern slavery (see :class:`~.screener.Screener`).

An indicator marked ``mention`` names the subject, a team or a concern ("modern slavery", "MSHT", "the GLAA")
rather than showing a sign of exploitation or an act such as an NRM referral: the wording model may hold back a
record that such mentions alone would flag (see :class:`~.screener.Screener`).

An indicator marked ``ruled_out_alone`` flags a record on its own, but is so often recorded where the concern was
checked and explained (documents held: by the Home Office, a solicitor, an employer copying them for a right-to-work
check ...) that the wording model may hold back a record whose only sign it is, when no sentence of its hits names
one of the ``domestic_context`` ``others`` who exploit (a boss, an employer, an agent ...) and the record reads very
unlike modern slavery (see :class:`~.screener.Screener`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import re2

KINDS = ("control", "exploitation", "explicit", "sector", "context")
SUBSTANTIVE_KINDS = frozenset({"control", "exploitation", "explicit"})
DEFAULT_LIBRARY_RESOURCE = "indicators.json"
_CATEGORY = re.compile(r"[a-z]+(?:_[a-z]+)*")


class LibraryError(ValueError):
    """The indicator library file is invalid."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A co-occurrence rule: a term of group ``a`` and a term of group ``b`` in the same
    sentence with at most ``within`` words between them (``a`` first when ``ordered``).

    Groups are tuples of short regexes (terms), matched case-insensitively between word
    boundaries. ``anchor`` (0 or 1) names the rarer group: only records containing one of
    its terms are searched for the other. ``negation_breaks``: a negation just before the
    second term breaks the pair ("no fee to any agent, no debt"), for rules whose terms name
    a harm that a list of what is absent denies (not for those where absence is the sign,
    "no phone").
    """

    a: tuple[str, ...]
    b: tuple[str, ...]
    within: int
    ordered: bool = False
    anchor: int = 0
    names: tuple[str | None, str | None] = (None, None)
    negation_breaks: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "a": list(self.a),
            "b": list(self.b),
            "within": self.within,
            "ordered": self.ordered,
            "anchor": self.anchor,
        }
        if self.negation_breaks:
            out["negation_breaks"] = True
        return out


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name: str
    category: str
    explanation: str
    source: str
    weight: float
    kind: str
    patterns: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    # Innocent explanations: a match in the hit's sentence reports the hit as negated ("passport held by the
    # Home Office", "handed in as a bail condition", "stolen from his room").
    unless: tuple[str, ...] = ()
    # Innocent readings of the hit's own words: a match overlapping the hit reports that hit alone as negated.
    unless_overlapping: tuple[str, ...] = ()
    mention: bool = False  # names a subject or team rather than showing a sign (see the module's docstring)
    coercive_control: bool = False  # coercive control between partners shows it too (see the module's docstring)
    ruled_out_alone: bool = False  # as a record's only sign, the wording model may hold it back (module docstring)

    @property
    def substantive(self) -> bool:
        return self.kind in SUBSTANTIVE_KINDS

    def to_dict(self, *, patterns: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "explanation": self.explanation,
            "source": self.source,
            "weight": self.weight,
            "kind": self.kind,
        }
        if patterns:
            if self.mention:
                out["mention"] = True
            if self.coercive_control:
                out["coercive_control"] = True
            if self.ruled_out_alone:
                out["ruled_out_alone"] = True
            out["patterns"] = list(self.patterns)
            out["rules"] = [r.to_dict() for r in self.rules]
            if self.unless:
                out["unless"] = list(self.unless)
            if self.unless_overlapping:
                out["unless_overlapping"] = list(self.unless_overlapping)
        return out


@dataclass(frozen=True, slots=True)
class DomesticContext:
    """Regexes that tell a coercive-control sign in a partner's hands from the same sign in an exploiter's (see the
    module's docstring), in RE2 syntax (no lookarounds), matched case-insensitively unless they say otherwise
    (``(?-i:DA)``): ``framing`` is searched over whole records, which RE2 does ten times faster than ``re``."""

    partner: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    framing: tuple[str, ...] = ()
    # Words that make the abused person a child or a missing person ("IP (15)", "MFH"): such a record is child abuse
    # or exploitation rather than domestic abuse between adults, so its framing does not hold back what flags nothing.
    child_victim: tuple[str, ...] = ()
    # How a record held back on this reading is named and explained to a navigator (a negative weight).
    held_back: Indicator | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"partner": list(self.partner), "others": list(self.others),
                               "framing": list(self.framing)}
        if self.child_victim:
            out["child_victim"] = list(self.child_victim)
        if self.held_back is not None:
            out["held_back"] = self.held_back.to_dict()
        return out


@dataclass(frozen=True, slots=True)
class Library:
    version: str
    indicators: tuple[Indicator, ...]
    domestic: DomesticContext = DomesticContext()

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
        out: dict[str, Any] = {
            "version": self.version,
            "indicators": [ind.to_dict(patterns=patterns) for ind in self.indicators],
        }
        if patterns:
            out["domestic_context"] = self.domestic.to_dict()
        return out

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
        terms = data.get("terms", {})
        if not isinstance(terms, Mapping) or not all(_term_list(v) for v in terms.values()):
            raise LibraryError("'terms' must map group names to non-empty lists of one-line strings")
        indicators = []
        for n, item in enumerate(raw):
            indicators.append(_indicator(item, n, terms))
        return cls(version=version, indicators=tuple(indicators), domestic=_domestic_context(data))


def _term_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(t, str) and t and "\n" not in t for t in v)


def _group(spec: Any, terms: Mapping[str, Any], where: str) -> tuple[tuple[str, ...], str | None]:
    if isinstance(spec, str):
        if spec not in terms:
            raise LibraryError(f"{where}: unknown term group {spec!r}")
        return tuple(terms[spec]), spec
    if _term_list(spec):
        return tuple(spec), None
    raise LibraryError(f"{where}: a rule group must be a term group name or a list of terms")


def _rule(spec: Any, terms: Mapping[str, Any], where: str) -> Rule:
    if not isinstance(spec, Mapping):
        raise LibraryError(f"{where}: each rule must be an object")
    a, na = _group(spec.get("a"), terms, where)
    b, nb = _group(spec.get("b"), terms, where)
    within = spec.get("within")
    if isinstance(within, bool) or not isinstance(within, int) or not 0 <= within <= 20:
        raise LibraryError(f"{where}: rule 'within' must be an integer in [0, 20]")
    anchor = spec.get("anchor", 0)
    if anchor not in (0, 1):
        raise LibraryError(f"{where}: rule 'anchor' must be 0 or 1")
    negation_breaks = spec.get("negation_breaks", False)
    if not isinstance(negation_breaks, bool):
        raise LibraryError(f"{where}: rule 'negation_breaks' must be true or false")
    return Rule(a, b, within, bool(spec.get("ordered", False)), int(anchor), (na, nb), negation_breaks)


def _domestic_context(data: Mapping[str, Any]) -> DomesticContext:
    spec = data.get("domestic_context", {})
    keys = ("partner", "others", "framing", "child_victim")
    if not isinstance(spec, Mapping) or set(spec) - {*keys, "held_back"}:
        raise LibraryError("'domestic_context' must be an object with 'partner', 'others', 'framing', "
                           "'child_victim' and 'held_back'")
    lists = {key: _one_line_strings(spec, key, "domestic_context") for key in keys}
    for key, patterns in lists.items():
        for pattern in patterns:
            try:
                empty = re2.search(pattern, "") is not None
            except re2.error as problem:
                raise LibraryError(f"domestic_context: '{key}' pattern {pattern!r}: {problem}") from None
            if empty:
                raise LibraryError(f"domestic_context: '{key}' pattern {pattern!r} matches an empty text, so every "
                                   "record")
    if not (bool(lists["partner"]) == bool(lists["others"]) == ("held_back" in spec)):
        raise LibraryError("domestic_context: 'partner', 'others' and 'held_back' go together")
    held_back = _held_back_indicator(spec["held_back"]) if "held_back" in spec else None
    return DomesticContext(**{key: tuple(value) for key, value in lists.items()}, held_back=held_back)


def _held_back_indicator(spec: Any) -> Indicator:
    """The indicator that names a hold-back: no evidence of its own, a negative weight."""
    where = "domestic_context: 'held_back'"
    if not isinstance(spec, Mapping):
        raise LibraryError(f"{where} must be an object")
    for key in ("id", "name", "category", "explanation", "source"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise LibraryError(f"{where}: '{key}' must be a non-empty string")
    weight = spec.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not -10 <= weight < 0:
        raise LibraryError(f"{where}: 'weight' must be a negative number")
    return Indicator(id=spec["id"], name=spec["name"], category=spec["category"], explanation=spec["explanation"],
                     source=spec["source"], weight=float(weight), kind="context", patterns=())


def _check_regexes(patterns: list[str], where: str) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as problem:
            raise LibraryError(f"{where} pattern {pattern!r}: {problem}") from None


def _one_line_strings(item: Mapping[str, Any], key: str, where: str) -> list[str]:
    values = item.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v and "\n" not in v for v in values):
        raise LibraryError(f"{where}: '{key}' must be a list of one-line strings")
    return values


def _indicator(item: Any, n: int, terms: Mapping[str, Any] | None = None) -> Indicator:
    if not isinstance(item, Mapping):
        raise LibraryError(f"indicator #{n} is not an object")
    where = f"indicator #{n} ({item.get('id', '?')})"
    for key in ("id", "name", "category", "explanation", "source", "kind"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise LibraryError(f"{where}: '{key}' must be a non-empty string")
    if not _CATEGORY.fullmatch(item["category"]):
        raise LibraryError(f"{where}: 'category' must be lowercase words joined by underscores, e.g. debt_bondage")
    if item["kind"] not in KINDS:
        raise LibraryError(f"{where}: kind must be one of {', '.join(KINDS)}")
    weight = item.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 10:
        raise LibraryError(f"{where}: 'weight' must be a number in (0, 10]")
    for flag in ("mention", "coercive_control", "ruled_out_alone"):
        if not isinstance(item.get(flag, False), bool):
            raise LibraryError(f"{where}: '{flag}' must be true or false")
    patterns = _one_line_strings(item, "patterns", where)
    unless = _one_line_strings(item, "unless", where)
    _check_regexes(unless, f"{where}: 'unless'")
    unless_overlapping = _one_line_strings(item, "unless_overlapping", where)
    _check_regexes(unless_overlapping, f"{where}: 'unless_overlapping'")
    raw_rules = item.get("rules", [])
    if not isinstance(raw_rules, list):
        raise LibraryError(f"{where}: 'rules' must be a list")
    rules = tuple(_rule(r, terms or {}, where) for r in raw_rules)
    if not patterns and not rules:
        raise LibraryError(f"{where}: needs at least one pattern or rule")
    return Indicator(
        id=item["id"],
        name=item["name"],
        category=item["category"],
        explanation=item["explanation"],
        source=item["source"],
        weight=float(weight),
        kind=item["kind"],
        patterns=tuple(patterns),
        rules=rules,
        unless=tuple(unless),
        unless_overlapping=tuple(unless_overlapping),
        mention=item.get("mention", False),
        coercive_control=item.get("coercive_control", False),
        ruled_out_alone=item.get("ruled_out_alone", False),
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
