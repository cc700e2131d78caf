"""The result of an estimation, ready for a page, an export or JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


def _num(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


@dataclass
class ModelSummary:
    """One model considered during selection."""

    terms: list[str]
    estimate: float | None = None
    aic: float | None = None
    bic: float | None = None
    p_value: float | None = None  # stepwise: p-value of the term this model adds
    added: str | None = None  # stepwise: that term
    step: int | None = None
    refused: bool = False
    reason: str | None = None
    selected: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "terms": list(self.terms),
            "estimate": _num(self.estimate),
            "aic": _num(self.aic),
            "bic": _num(self.bic),
            "p_value": _num(self.p_value),
            "added": self.added,
            "step": self.step,
            "refused": self.refused,
            "reason": self.reason,
            "selected": self.selected,
        }


@dataclass
class BootstrapSummary:
    replicates: int
    seed: int | None
    ahat: float | None
    z0: float | None
    percentile: tuple[float, float]
    bca: tuple[float, float] | None
    failed: int = 0  # replicates without an estimate (left out)
    estimates: list[float] = field(default_factory=list, repr=False)

    def to_dict(self, include_estimates: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "replicates": self.replicates,
            "seed": self.seed,
            "ahat": _num(self.ahat),
            "z0": _num(self.z0),
            "percentile": [_num(v) for v in self.percentile],
            "bca": [_num(v) for v in self.bca] if self.bca else None,
            "failed": self.failed,
        }
        if include_estimates:
            out["estimates"] = list(self.estimates)
        return out


@dataclass
class MSEResult:
    """Population estimate from multiple systems estimation.

    ``estimate`` is the observed count plus the estimated number never seen (the all-zero cell);
    ``ci`` is the interval at ``level`` by ``ci_method`` ("model", "bca" or "percentile");
    ``model`` lists the two-list terms of the selected model as "A:B" (main effects always included).
    """

    observed: int
    estimate: float
    ci: tuple[float, float]
    ci_method: str
    method: str
    model: list[str]
    lists: list[str]
    warnings: list[str] = field(default_factory=list)
    models: list[ModelSummary] = field(default_factory=list)
    level: float = 0.95
    threshold: float | None = None
    model_ci: tuple[float, float] | None = None
    nonoverlapping: list[str] = field(default_factory=list)  # selected terms left at minus infinity
    bootstrap: BootstrapSummary | None = None

    @property
    def dark_figure(self) -> float:
        return self.estimate - self.observed

    def to_dict(self, include_models: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "observed": self.observed,
            "estimate": _num(self.estimate),
            "ci": [_num(self.ci[0]), _num(self.ci[1])],
            "ci_method": self.ci_method,
            "method": self.method,
            "model": list(self.model),
            "lists": list(self.lists),
            "warnings": list(self.warnings),
            "level": self.level,
            "threshold": self.threshold,
            "model_ci": [_num(v) for v in self.model_ci] if self.model_ci else None,
            "nonoverlapping": list(self.nonoverlapping),
            "bootstrap": self.bootstrap.to_dict() if self.bootstrap else None,
        }
        if include_models:
            out["models"] = [m.to_dict() for m in self.models]
        return out
