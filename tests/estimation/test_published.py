"""Published SparseMSE results (Chan, Silverman & Vincent 2021); data in tests/estimation/data."""

import gzip

import numpy as np
import pytest

from navigator.estimation.mse import estimate, read_table

POINT = [
    ("new_orleans", "stepwise", 1184, ["D:E"]),
    ("new_orleans", "main", 997, []),
    ("new_orleans_5", "stepwise", 1034, []),
    ("western", "stepwise", 2483, ["A:E"]),
]

BCA = [
    ("new_orleans", 1184, (717, 1657)),
    ("new_orleans_5", 1034, (589, 1703)),
    ("western", 2483, (1293, 3670)),
]

SEED = 20240601


@pytest.mark.parametrize(("name", "method", "published", "model"), POINT)
def test_point_estimates(data_dir, name, method, published, model):
    r = estimate(read_table(data_dir / f"{name}.csv"), method=method)
    assert r.estimate == pytest.approx(published, rel=0.005)
    assert r.model == model
    assert r.observed == (345 if name == "western" else 185)


def test_main_effects_model_based_interval(data_dir):
    r = estimate(read_table(data_dir / "new_orleans.csv"), method="main")
    assert r.ci_method == "model"
    assert r.ci[0] == pytest.approx(644, rel=0.005)
    assert r.ci[1] == pytest.approx(1618, rel=0.005)


@pytest.fixture(scope="module")
def bootstrap_results():
    from pathlib import Path

    data = Path(__file__).parent / "data"
    # How long the bootstrap takes is bench/estimation.py's to measure: a timed test fails on a busy machine.
    return {name: estimate(read_table(data / f"{name}.csv"), method="stepwise", bootstrap=1000, seed=SEED)
            for name, _, _ in BCA}


@pytest.mark.parametrize(("name", "published", "interval"), BCA)
def test_bca_bootstrap_is_sane(bootstrap_results, name, published, interval):
    r = bootstrap_results[name]
    assert r.ci_method == "bca"
    assert r.bootstrap.replicates == 1000 and r.bootstrap.failed == 0
    assert r.ci[0] < r.estimate < r.ci[1]
    assert r.estimate == pytest.approx(published, rel=0.005)


def sparsemse_draws(data_dir, name: str, ncells: int) -> np.ndarray:
    """R's own bootstrap resamples for ``name`` (see data/sparsemse_draws/make_draws.R), as a
    (replicates, cells) array in the cell order of CaptureTable.counts."""
    with gzip.open(data_dir / "sparsemse_draws" / f"{name}_iseed1234.csv.gz", "rt") as fh:
        header = fh.readline().strip().split(",")
        rows = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    cells = [sum(int(bit) << i for i, bit in enumerate(history)) - 1 for history in header]
    out = np.zeros((len(rows), ncells), dtype=np.int64)
    out[:, cells] = rows
    return out


@pytest.mark.parametrize(("name", "published", "interval"), BCA)
def test_bca_reproduces_published_limits_from_sparsemse_resamples(data_dir, name, published, interval):
    """With the very resamples SparseMSE draws (R's set.seed(1234), its default iseed), the engine
    gives the published BCa limits: per-replicate re-selection, count-weighted leave-one-out
    jackknife, z0 from the share of replicates below the estimate and type-8 quantiles all match."""
    table = read_table(data_dir / f"{name}.csv")
    r = estimate(table, method="stepwise", resamples=sparsemse_draws(data_dir, name, len(table.counts)))
    assert r.ci_method == "bca"
    assert r.bootstrap.replicates == 1000 and r.bootstrap.failed == 0
    assert r.estimate == pytest.approx(published, rel=0.005)
    assert r.ci[0] == pytest.approx(interval[0], rel=0.005)
    assert r.ci[1] == pytest.approx(interval[1], rel=0.005)
