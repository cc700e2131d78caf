import itertools
import math

import numpy as np
import pytest
import statsmodels.api as sm

from navigator.estimation.mse import EstimationError, read_table
from navigator.estimation.mse.core import TableModels, fienberg_rinaldo_lp, irls, layout
from navigator.estimation.mse.selection import select


def _table(data_dir, name):
    t = read_table(data_dir / f"{name}.csv")
    return t, TableModels(t.counts, t.n_lists)


@pytest.mark.parametrize(("name", "terms"), [("new_orleans", ((3, 4),)), ("western", ((0, 4), (0, 1))),
                                             ("new_orleans_5", ((0, 1), (2, 3)))])
def test_irls_matches_statsmodels(data_dir, name, terms):
    t, tm = _table(data_dir, name)
    lay = layout(t.n_lists)
    idx = tuple(lay.pairs.index(p) for p in terms)
    fit = tm.fit(idx)
    keep = np.ones(len(t.counts), dtype=bool)
    cols = [lay.base]
    for j in idx:
        if tm.pair_totals[j] == 0:
            keep &= lay.HP[:, j] == 0
        else:
            cols.append(lay.HP[:, [j]])
    X = np.hstack(cols)[keep]
    y = t.counts[keep].astype(float)
    ref = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    assert fit.intercept == pytest.approx(ref.params[0], abs=1e-6)
    assert math.sqrt(fit.var_intercept) == pytest.approx(ref.bse[0], rel=1e-4)
    assert fit.loglik == pytest.approx(ref.llf, abs=1e-6)
    assert np.allclose(fit.mu[keep], ref.fittedvalues, rtol=1e-6, atol=1e-9)


def test_irls_plain():
    rng = np.random.default_rng(0)
    X = np.hstack([np.ones((40, 1)), rng.integers(0, 2, size=(40, 3))]).astype(float)
    y = rng.poisson(np.exp(X @ [1.0, 0.5, -0.3, 0.2])).astype(float)
    beta, mu, _, converged, _ = irls(X, y)
    ref = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    assert converged
    assert np.allclose(beta, ref.params, atol=1e-7)


def _random_tables(m, n, seed):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        counts = np.zeros(2**m - 1, dtype=np.int64)
        support = rng.choice(2**m - 1, size=rng.integers(m, 2**m - 1), replace=False)
        counts[support] = rng.integers(1, 6, size=len(support))
        yield counts


def test_existence_check_agrees_with_sparsemse_lp():
    """The fast null-space check gives the same answer as SparseMSE's linear programme
    (max s subject to A x = t, x >= s), including on tables where the MLE does not exist."""
    nonexist = 0
    total = 0
    for m in (3, 4):
        npairs = m * (m - 1) // 2
        for counts in _random_tables(m, 40, seed=m):
            tm = TableModels(counts, m)
            for size in range(npairs + 1):
                for terms in itertools.combinations(range(npairs), size):
                    exists, _ = tm._check_uncached(terms)
                    assert exists == fienberg_rinaldo_lp(counts, m, terms), (counts, terms)
                    total += 1
                    nonexist += not exists
    assert nonexist > 50 and total - nonexist > 50


def test_known_nonexistence_three_lists():
    # A alone 6, B alone 8, C alone 1, B+C 8: adding B:C makes the MLE not exist.
    counts = np.zeros(7, dtype=np.int64)
    for code, c in {0b001: 6, 0b010: 8, 0b100: 1, 0b110: 8}.items():
        counts[code - 1] = c
    tm = TableModels(counts, 3)
    assert tm.check(()) == (True, True)
    bc = layout(3).pairs.index((1, 2))
    assert tm.check((bc,)) == (False, True)
    assert not fienberg_rinaldo_lp(counts, 3, (bc,))
    assert "does not exist" in tm.check_reason((bc,))


def test_nonoverlapping_pair_is_left_out(data_dir):
    t, tm = _table(data_dir, "western")
    ab = layout(5).pairs.index((0, 1))
    assert tm.pair_totals[ab] == 0
    fit = tm.fit((ab,))
    assert fit.nonoverlap == (ab,)
    assert np.all(fit.mu[layout(5).HP[:, ab] == 1] == 0)
    main = tm.fit(())
    assert fit.n_params == main.n_params + 1


def test_stepwise_pvalues_are_poisson_tail(data_dir):
    from scipy.stats import poisson

    t, tm = _table(data_dir, "new_orleans")
    fit = tm.fit(())
    p = tm.pvalues(fit)
    lay = layout(8)
    de = lay.pairs.index((3, 4))
    lam = float(lay.HP[:, de] @ fit.mu)
    n = tm.pair_totals[de]
    assert p[de] == pytest.approx(min(poisson.cdf(n, lam), poisson.sf(n - 1, lam)))
    assert p[de] < 0.02


def test_aic_refuses_more_than_six_lists(data_dir):
    _, tm = _table(data_dir, "new_orleans")
    with pytest.raises(EstimationError, match="6 lists"):
        select(tm, "aic")
