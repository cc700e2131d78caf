"""Model selection: main effects, SparseMSE's stepwise method, and AIC/BIC over all models."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from .core import EstimationError, Fit, TableModels, Terms, refusal_reason

METHODS = ("main", "stepwise", "aic", "bic")
MAX_LISTS_ALL_MODELS = 6


@dataclass
class Considered:
    """One model looked at during selection (for display)."""

    terms: Terms
    estimate: float | None = None
    aic: float | None = None
    bic: float | None = None
    p_value: float | None = None
    added: int | None = None  # stepwise: the candidate term this model adds
    step: int | None = None
    refused: bool = False
    reason: str | None = None
    selected: bool = False


@dataclass
class Selection:
    fit: Fit
    considered: list[Considered] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def select(tm: TableModels, method: str, threshold: float = 0.02, record: bool = False) -> Selection:
    if method == "main":
        return select_main(tm, record)
    if method == "stepwise":
        return stepwise(tm, threshold, record)
    if method in ("aic", "bic"):
        return all_models(tm, method, record)
    raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")


def select_main(tm: TableModels, record: bool = False) -> Selection:
    fit = tm.fit(())
    sel = Selection(fit)
    if record:
        sel.considered.append(_info(tm, fit, selected=True))
    return sel


def _info(tm: TableModels, fit: Fit, **kw) -> Considered:
    return Considered(fit.terms, estimate=fit.estimate, aic=fit.aic(), bic=fit.bic(), **kw)


def stepwise(tm: TableModels, threshold: float = 0.02, record: bool = False) -> Selection:
    """SparseMSE ``stepwisefit``: start from main effects; at each step add the two-list term with
    the smallest one-sided Poisson p-value of its overlap total under the current fit, if below
    ``threshold`` and if the enlarged model passes the existence and identifiability checks.
    Ties go to the first pair in list order."""
    npairs = len(tm.lay.pairs)
    considered: list[Considered] = []
    if threshold <= 0:
        fit = tm.fit(())
        if record:
            considered.append(_info(tm, fit, step=0, selected=True))
        return Selection(fit, considered)
    full = tuple(range(npairs))
    if threshold >= 1 and tm.ok(full):
        fit = tm.fit(full)
        if record:
            considered.append(_info(tm, fit, step=0, selected=True))
        return Selection(fit, considered)
    terms: Terms = ()
    fit = tm.fit(terms)
    if record:
        considered.append(_info(tm, fit, step=0))
    included = np.zeros(npairs, dtype=bool)
    step = 0
    while not included.all():
        step += 1
        p = tm.pvalues(fit)
        p[included] = 1.0
        order = np.lexsort((np.arange(npairs), p))
        chosen = None
        for j in order:
            j = int(j)
            if included[j]:
                continue
            if p[j] >= threshold:
                if not record:
                    break
                considered.append(Considered(tuple(sorted(terms + (j,))), p_value=float(p[j]), added=j,
                                             step=step))
                continue
            cand = tuple(sorted(terms + (j,)))
            if chosen is not None:
                if record:
                    considered.append(Considered(cand, p_value=float(p[j]), added=j, step=step))
                continue
            reason = tm.check_reason(cand)
            if reason is None:
                chosen = j
                if not record:
                    break
            elif record:
                considered.append(Considered(cand, p_value=float(p[j]), added=j, step=step, refused=True,
                                             reason=reason))
        if chosen is None:
            break
        terms = tuple(sorted(terms + (chosen,)))
        fit = tm.fit(terms)
        included[chosen] = True
        if record:
            considered.append(_info(tm, fit, p_value=float(p[chosen]), added=chosen, step=step))
    if record:
        for c in considered:
            if c.terms == fit.terms and c.estimate is not None:
                c.selected = True
    return Selection(fit, considered)


def all_models(tm: TableModels, criterion: str, record: bool = False) -> Selection:
    """Fit every model with main effects and any set of two-list terms; choose the smallest AIC or
    BIC among those whose MLE exists and is identifiable."""
    m = tm.m
    if m > MAX_LISTS_ALL_MODELS:
        raise EstimationError(
            f"{criterion.upper()} selection fits every model and is limited to {MAX_LISTS_ALL_MODELS} lists; "
            f"this table has {m} (use the stepwise method)")
    npairs = len(tm.lay.pairs)
    checker = _MonotoneChecker(tm)
    best: tuple[float, int, Fit] | None = None
    considered: list[Considered] = []
    refused = 0
    index = 0
    for size in range(npairs + 1):
        for terms in combinations(range(npairs), size):
            index += 1
            reason = checker.reason(terms)
            if reason is not None:
                refused += 1
                if record:
                    considered.append(Considered(terms, refused=True, reason=reason))
                continue
            fit = tm.fit(terms)
            tm._fits.pop(terms, None)  # do not keep thousands of fits
            value = fit.aic() if criterion == "aic" else fit.bic()
            if best is None or value < best[0] - 1e-9:
                best = (value, index, fit)
            if record:
                considered.append(_info(tm, fit))
    if best is None:
        raise EstimationError("no model has an MLE that exists and is identifiable")
    fit = best[2]
    tm._fits[fit.terms] = fit
    sel = Selection(fit)
    if record:
        key = "aic" if criterion == "aic" else "bic"
        for c in considered:
            if c.terms == fit.terms:
                c.selected = True
        considered.sort(key=lambda c: (c.refused, getattr(c, key) if getattr(c, key) is not None else 0.0))
        sel.considered = considered
    if refused:
        sel.notes.append(f"{refused} of {index} models refused: MLE does not exist or is not identifiable")
    return sel


class _MonotoneChecker:
    """Existence checks over many models, using that if the MLE exists for a model it exists for
    every model with the same non-overlapping terms and a subset of its overlapping terms
    (SparseMSE ``checkallmodels``); and fails for every superset of a failing one."""

    def __init__(self, tm: TableModels):
        self.tm = tm
        self.exists_max: dict[frozenset, list[frozenset]] = {}
        self.fails_min: dict[frozenset, list[frozenset]] = {}
        self.ident_fail: list[frozenset] = []

    def reason(self, terms: Terms) -> str | None:
        tm = self.tm
        nonover = frozenset(t for t in terms if tm.pair_totals[t] == 0)
        over = frozenset(t for t in terms if tm.pair_totals[t] > 0)
        exists = None
        for s in self.exists_max.get(nonover, ()):
            if over <= s:
                exists = True
                break
        if exists is None:
            for s in self.fails_min.get(nonover, ()):
                if s <= over:
                    exists = False
                    break
        if exists is None:
            top = tuple(sorted(nonover | over))
            exists = tm.check(top)[0]
            (self.exists_max if exists else self.fails_min).setdefault(nonover, []).append(over)
        return refusal_reason(exists, tm.identifiable(tuple(sorted(terms))))
