"""Population estimation with confidence intervals (SparseMSE ``estimatepopulation``)."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np
from scipy.special import ndtr, ndtri

from .core import EstimationError, TableModels, layout, term_names
from .result import BootstrapSummary, ModelSummary, MSEResult
from .selection import METHODS, Selection, select
from .table import CaptureTable

Progress = Callable[[int, int], None]
CI_METHODS = ("model", "bca", "percentile")


def estimate_counts(counts: np.ndarray, m: int, method: str = "stepwise", threshold: float = 0.02) -> float:
    """Point estimate for one table of counts with model selection re-run (used per replicate).

    Returns NaN when no model can be fitted."""
    tm = TableModels(counts, m)
    try:
        fit = select(tm, method, threshold).fit
    except EstimationError:
        return float("nan")
    est = fit.estimate
    return est if math.isfinite(est) else float("nan")


def _replicate_chunk(args) -> tuple[int, np.ndarray]:
    start, draws, m, method, threshold = args
    out = np.array([estimate_counts(row, m, method, threshold) for row in draws])
    return start, out


def quantile8(values: np.ndarray, probs) -> np.ndarray:
    """Sample quantiles of R's type 8 (median-unbiased), as SparseMSE's ``bcaconfvalues`` uses."""
    return np.quantile(values, probs, method="median_unbiased")


def bca_limits(boot: np.ndarray, point: float, ahat: float, alphas) -> tuple[np.ndarray | None, float]:
    """BCa quantiles (SparseMSE ``bcaconfvalues``). Returns (limits or None if degenerate, z0)."""
    prop = float(np.mean(boot < point))
    if prop <= 0.0 or prop >= 1.0:
        return None, float("nan")
    z0 = float(ndtri(prop))
    za = ndtri(np.asarray(alphas, dtype=float))
    za0 = za + z0
    zq = ndtr(z0 + za0 / (1.0 - ahat * za0))
    return quantile8(boot, zq), z0


def acceleration(counts: np.ndarray, jack: np.ndarray) -> float:
    """Jackknife acceleration, each leave-one-person-out estimate weighted by its history's count."""
    w = counts.astype(float)
    jr = np.sum(w * jack) / np.sum(w) - jack
    denom = 6.0 * np.sum(w * jr**2) ** 1.5
    return float(np.sum(w * jr**3) / denom) if denom > 0 else 0.0


def bootstrap_estimates(counts: np.ndarray, m: int, method: str, threshold: float, replicates: int,
                        seed: int | None = None, workers: int = 1, progress: Progress | None = None,
                        progress_total: int | None = None, draws: np.ndarray | None = None) -> np.ndarray:
    """Estimates from ``replicates`` multinomial resamples of the observed people, with the model
    selection re-run on each (SparseMSE ``estimatepopulation``).

    All resamples are drawn up front from ``numpy.random.default_rng(seed)``, so the result is the
    same whatever the number of worker processes. ``draws`` (replicates x cells) gives the resampled
    tables instead, e.g. to reproduce another program's random stream."""
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    if draws is None:
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(n, counts / n, size=replicates)
    else:
        draws = np.asarray(draws, dtype=np.int64)
        replicates = len(draws)
    total = progress_total or replicates
    out = np.empty(replicates)
    workers = max(1, int(workers or 1))
    if workers == 1 or replicates < 20:
        step = max(1, replicates // 100)
        for i in range(replicates):
            out[i] = estimate_counts(draws[i], m, method, threshold)
            if progress and ((i + 1) % step == 0 or i + 1 == replicates):
                progress(i + 1, total)
        return out
    chunk = max(5, replicates // (workers * 10))
    jobs = [(s, draws[s:s + chunk], m, method, threshold) for s in range(0, replicates, chunk)]
    done = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_replicate_chunk, job) for job in jobs]
        for fut in as_completed(futures):
            start, vals = fut.result()
            out[start:start + len(vals)] = vals
            done += len(vals)
            if progress:
                progress(done, total)
    return out


def _kept_columns(lists, dropped) -> np.ndarray:
    """Columns (cell indices) of the full table that remain when the lists ``dropped`` are removed,
    in the cell order of the smaller table."""
    keep = [i for i, name in enumerate(lists) if name not in set(dropped)]
    codes = np.arange(1, 2 ** len(keep))
    full = np.zeros(len(codes), dtype=np.int64)
    for k, i in enumerate(keep):
        full |= ((codes >> k) & 1) << i
    return full - 1


def jackknife_estimates(counts: np.ndarray, m: int, method: str, threshold: float) -> np.ndarray:
    """Leave-one-person-out estimate for each cell with a positive count (0 elsewhere)."""
    jack = np.zeros(len(counts))
    for idx in np.flatnonzero(counts):
        c = counts.copy()
        c[idx] -= 1
        jack[idx] = estimate_counts(c, m, method, threshold)
    return jack


def estimate(table: CaptureTable, method: str = "stepwise", threshold: float = 0.02, bootstrap: int = 0,
             seed: int | None = None, workers: int = 1, progress: Progress | None = None,
             level: float = 0.95, ci_method: str | None = None, resamples=None) -> MSEResult:
    """Estimate the population size from a capture-history table.

    method: "main", "stepwise" (SparseMSE, p-value ``threshold``), "aic" or "bic".
    bootstrap: number of bootstrap replicates (0 for the model-based interval only).
    ci_method: "model" (normal on the intercept), "bca" or "percentile"; default "bca" with a
    bootstrap and "model" without. progress(done, total) is called during the bootstrap.
    workers: processes for the bootstrap (1 = in this process; 0 or None = all CPUs).
    resamples: optional array (replicates x ``2**m - 1`` cells, in the order of ``table.counts``) of
    resampled tables to use instead of drawing them; ``bootstrap`` is then their number. With it the
    published SparseMSE intervals are reproduced from R's own draws (see tests/estimation).
    Raises EstimationError when no estimate can be given.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    if bootstrap < 0:
        raise ValueError("bootstrap must be 0 or more")
    if resamples is not None:
        resamples = np.asarray(resamples, dtype=np.int64)
        if resamples.ndim != 2 or resamples.shape[1] != len(table.counts) or len(resamples) == 0:
            raise ValueError(f"resamples must be a (replicates, {len(table.counts)}) array of counts")
        if np.any(resamples < 0) or np.any(resamples.sum(axis=1) != table.observed):
            raise ValueError("each resample must be non-negative counts summing to the number observed")
        bootstrap = len(resamples)
    if ci_method is None:
        ci_method = "bca" if bootstrap else "model"
    if ci_method not in CI_METHODS:
        raise ValueError(f"unknown interval {ci_method!r}; use one of {', '.join(CI_METHODS)}")
    if ci_method != "model" and not bootstrap:
        raise ValueError(f"a {ci_method} interval needs bootstrap replicates")
    if workers is None or workers == 0:
        workers = os.cpu_count() or 1

    warnings: list[str] = []
    empty = [name for name, total in table.list_totals().items() if total == 0]
    if empty:
        warnings.append(f"list(s) {', '.join(empty)} have no one on them and were left out")
        if len(table.lists) - len(empty) < 2:
            raise EstimationError("fewer than 2 lists have anyone on them; no estimate is possible")
        if resamples is not None:
            resamples = resamples[:, _kept_columns(table.lists, empty)]
        table = table.drop_lists(empty)
    lists = list(table.lists)
    m = len(lists)
    counts = table.counts
    tm = TableModels(counts, m)

    reason = tm.check_reason(())
    if reason is not None:
        raise EstimationError(f"main-effects model: {reason}; no estimate can be given from these data")

    sel: Selection = select(tm, method, threshold, record=True)
    fit = sel.fit
    warnings.extend(sel.notes)
    if not fit.converged:
        warnings.append(f"the fit of the selected model did not converge in {fit.iterations} iterations")
    names = term_names(lists, fit.terms)
    nonover = term_names(lists, fit.nonoverlap)
    for name in nonover:
        warnings.append(f"{name}: the two lists never overlap; the term is fitted as minus infinity "
                        "(cells on both lists left out)")
    refused_terms = {}
    for c in sel.considered:
        if c.refused and c.added is not None:
            refused_terms.setdefault(c.added, c)
    for t, c in refused_terms.items():
        warnings.append(f"term {term_names(lists, (t,))[0]} refused at step {c.step} "
                        f"(p = {c.p_value:.3g}): {c.reason}")

    alphas = np.array([(1 - level) / 2, 1 - (1 - level) / 2])
    sd = math.sqrt(fit.var_intercept) if fit.var_intercept >= 0 else float("nan")
    zq = ndtri(alphas)
    model_ci = (fit.observed + math.exp(fit.intercept + zq[0] * sd),
                fit.observed + math.exp(fit.intercept + zq[1] * sd))

    boot_summary = None
    ci = model_ci
    used = "model"
    if bootstrap:
        positive = int(np.count_nonzero(counts))
        total = bootstrap + (positive if ci_method == "bca" else 0)
        boot = bootstrap_estimates(counts, m, method, threshold, bootstrap, seed, workers, progress, total,
                                   draws=resamples)
        ok = np.isfinite(boot)
        failed = int((~ok).sum())
        if failed:
            warnings.append(f"{failed} of {bootstrap} bootstrap replicates gave no estimate and were left out")
        bootv = boot[ok]
        if len(bootv) == 0:
            raise EstimationError("no bootstrap replicate gave an estimate")
        pct = quantile8(bootv, alphas)
        ahat = z0 = None
        bca = None
        if ci_method == "bca":
            jack = jackknife_estimates(counts, m, method, threshold)
            if progress:
                progress(total, total)
            jok = np.isfinite(jack) | (counts == 0)
            ahat = acceleration(counts[jok], np.nan_to_num(jack[jok]))
            lim, z0 = bca_limits(bootv, fit.estimate, ahat, alphas)
            if lim is None:
                warnings.append("BCa interval not available (all bootstrap estimates on one side of the "
                                "estimate); the percentile interval is given")
            else:
                bca = (float(lim[0]), float(lim[1]))
        boot_summary = BootstrapSummary(bootstrap, seed, ahat, z0, (float(pct[0]), float(pct[1])), bca, failed,
                                        [float(v) for v in boot])
        if ci_method == "bca" and bca is not None:
            ci, used = bca, "bca"
        else:
            ci, used = boot_summary.percentile, "percentile"

    models = []
    lay = layout(m)
    for c in sel.considered:
        added = None
        if c.added is not None:
            i, j = lay.pairs[c.added]
            added = f"{lists[i]}:{lists[j]}"
        models.append(ModelSummary(term_names(lists, c.terms), c.estimate, c.aic, c.bic, c.p_value, added, c.step,
                                   c.refused, c.reason, c.selected))
    return MSEResult(
        observed=fit.observed, estimate=fit.estimate, ci=(float(ci[0]), float(ci[1])), ci_method=used,
        method=method, model=names, lists=lists, warnings=warnings, models=models, level=level,
        threshold=threshold if method == "stepwise" else None, model_ci=model_ci, nonoverlapping=nonover,
        bootstrap=boot_summary)
