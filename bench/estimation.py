"""Benchmark of the MSE engine against the SparseMSE baselines.

Prints the stepwise fit time on a 6-list table (target 50 ms) and the time for bootstrap
replicates of the stepwise method with BCa limits on a 6-list table of about 2,700 people
(SparseMSE takes about 200 s for 1,000 replicates; target 20 s on one core).

    .venv/bin/python bench/estimation.py --replicates 1000 --workers 2
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from navigator.estimation.mse import CaptureTable, estimate
from navigator.estimation.mse.core import TableModels
from navigator.estimation.mse.selection import stepwise

FIT_TARGET_S = 0.050
R_BOOT_BASELINE_S = 200.0
BOOT_TARGET_S = 20.0


def synthetic_table(seed: int = 2024, population: int = 7200) -> CaptureTable:
    """Reproducible 6-list table: list capture probabilities 0.04-0.12, with half of those on A also
    put on B (positive dependence); about 2,700 people observed."""
    rng = np.random.default_rng(seed)
    p = np.array([0.10, 0.08, 0.12, 0.05, 0.07, 0.04])
    caught = rng.random((population, 6)) < p
    # positive dependence: half of those on A are also put on B
    caught[:, 1] |= caught[:, 0] & (rng.random(population) < 0.5)
    codes = (caught * (1 << np.arange(6))).sum(axis=1)
    counts = np.bincount(codes, minlength=64)[1:]
    return CaptureTable(tuple("ABCDEF"), counts)


def time_fit(table: CaptureTable, repeat: int = 20) -> tuple[float, list[str]]:
    from navigator.estimation.mse.core import _CHECK_CACHE, term_names

    best = float("inf")
    terms = ()
    for _ in range(repeat):
        _CHECK_CACHE.clear()  # time a cold fit, without results cached from earlier runs
        t0 = time.perf_counter()
        tm = TableModels(table.counts, table.n_lists)
        fit = stepwise(tm, 0.02).fit
        best = min(best, time.perf_counter() - t0)
        terms = fit.terms
    return best, term_names(table.lists, terms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicates", type=int, default=1000, help="bootstrap replicates (default 1000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes for the bootstrap (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="bootstrap seed (default 1)")
    args = parser.parse_args(argv)

    table = synthetic_table()
    print(f"table: synthetic, {table.n_lists} lists, {table.observed} people observed, "
          f"{int(np.count_nonzero(table.counts))} of {len(table.counts)} histories seen")

    fit_s, model = time_fit(table)
    print(f"stepwise fit (6 lists): {fit_s * 1000:.1f} ms  (target {FIT_TARGET_S * 1000:.0f} ms: "
          f"{FIT_TARGET_S / fit_s:.1f}x under target); model: {', '.join(model) or 'main effects'}")

    from pathlib import Path

    from navigator.estimation.mse import read_table
    from navigator.estimation.mse.core import _CHECK_CACHE

    no = Path(__file__).resolve().parents[1] / "tests" / "estimation" / "data" / "new_orleans.csv"
    if no.exists():
        no_s, no_model = time_fit(read_table(no))
        print(f"stepwise fit (New Orleans, 8 lists): {no_s * 1000:.1f} ms; model: {', '.join(no_model)}")

    _CHECK_CACHE.clear()
    t0 = time.perf_counter()
    r = estimate(table, method="stepwise", bootstrap=args.replicates, seed=args.seed, workers=args.workers)
    boot_s = time.perf_counter() - t0
    scaled = boot_s * 1000 / args.replicates
    print(f"bootstrap: {args.replicates} replicates + jackknife, BCa, {args.workers} worker(s): {boot_s:.2f} s "
          f"(= {scaled:.2f} s per 1,000)")
    print(f"  estimate {r.estimate:.0f}, BCa 95% ({r.ci[0]:.0f}, {r.ci[1]:.0f})")
    print(f"  speed-up vs SparseMSE {R_BOOT_BASELINE_S:.0f} s: {R_BOOT_BASELINE_S / scaled:.1f}x; "
          f"vs target {BOOT_TARGET_S:.0f} s: {BOOT_TARGET_S / scaled:.1f}x under target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
