import io
import json

import numpy as np
import pytest

from navigator.estimation.mse import CaptureTable, EstimationError, estimate, read_table, suppress_small
from navigator.estimation.mse.cli import run
from navigator.estimation.mse.estimate import bca_limits, quantile8


def test_result_dict_shape(data_dir):
    r = estimate(read_table(data_dir / "western.csv"), method="stepwise")
    d = r.to_dict()
    for key in ("observed", "estimate", "ci", "ci_method", "method", "model", "lists", "warnings", "models"):
        assert key in d
    assert d["ci"][0] < d["estimate"] < d["ci"][1]
    json.dumps(d)
    selected = [m for m in d["models"] if m["selected"]]
    assert len(selected) == 1 and selected[0]["terms"] == ["A:E"]
    assert any(m["p_value"] is not None for m in d["models"])


def test_bootstrap_reproducible_and_worker_independent(data_dir):
    t = read_table(data_dir / "new_orleans_5.csv")
    seen = []
    a = estimate(t, bootstrap=60, seed=5, progress=lambda done, total: seen.append((done, total)))
    b = estimate(t, bootstrap=60, seed=5, workers=2)
    c = estimate(t, bootstrap=60, seed=6)
    assert a.bootstrap.estimates == b.bootstrap.estimates
    assert a.ci == b.ci
    assert a.bootstrap.estimates != c.bootstrap.estimates
    assert seen and seen[-1][0] == seen[-1][1]


def test_given_resamples_replace_the_draws(data_dir):
    t = read_table(data_dir / "new_orleans_5.csv")
    n = t.observed
    draws = np.random.default_rng(3).multinomial(n, t.counts / n, size=40)
    a = estimate(t, resamples=draws)
    b = estimate(t, resamples=draws, workers=2)
    assert a.ci_method == "bca" and a.bootstrap.replicates == 40
    assert a.bootstrap.estimates == b.bootstrap.estimates
    with pytest.raises(ValueError, match="resamples"):
        estimate(t, resamples=draws[:, :-1])
    with pytest.raises(ValueError, match="summing"):
        estimate(t, resamples=draws + 1)


def test_resamples_follow_dropped_empty_list():
    rows = [((1, 0, 0), 20), ((0, 1, 0), 15), ((0, 0, 1), 12), ((1, 1, 0), 3), ((0, 1, 1), 2),
            ((1, 0, 1), 4), ((1, 1, 1), 1)]
    without = CaptureTable.from_histories(["A", "C", "D"], rows)
    with_empty = CaptureTable.from_histories(["A", "B", "C", "D"], [((h[0], 0, h[1], h[2]), c) for h, c in rows])
    n = without.observed
    small = np.random.default_rng(1).multinomial(n, without.counts / n, size=30)
    big = np.zeros((30, 15), dtype=np.int64)
    for r in range(1, 8):  # cell r of the A, C, D table is cell A + 4 C + 8 D of the A-D table
        big[:, (r & 1) + 4 * (r >> 1 & 1) + 8 * (r >> 2 & 1) - 1] = small[:, r - 1]
    a = estimate(with_empty, method="main", resamples=big, ci_method="percentile")
    b = estimate(without, method="main", resamples=small, ci_method="percentile")
    assert a.lists == ["A", "C", "D"]
    assert a.bootstrap.estimates == b.bootstrap.estimates


def test_percentile_interval(data_dir):
    r = estimate(read_table(data_dir / "western.csv"), bootstrap=100, seed=1, ci_method="percentile")
    assert r.ci_method == "percentile"
    assert r.ci == r.bootstrap.percentile


def test_bca_formula():
    rng = np.random.default_rng(0)
    boot = rng.normal(100, 10, size=2000)
    lim, z0 = bca_limits(boot, 100.0, 0.0, [0.025, 0.975])
    assert lim[0] == pytest.approx(80.4, abs=1.5) and lim[1] == pytest.approx(119.6, abs=1.5)
    assert quantile8(np.arange(1, 11.0), 0.5) == 5.5


def test_aic_and_bic(data_dir):
    t = read_table(data_dir / "western.csv")
    aic = estimate(t, method="aic")
    bic = estimate(t, method="bic")
    assert len(aic.models) == 2**10
    best = min((m for m in aic.models if not m.refused), key=lambda m: m.aic)
    assert best.selected and best.terms == aic.model
    assert bic.model == ["A:E"]
    with pytest.raises(EstimationError, match="6 lists"):
        estimate(read_table(data_dir / "new_orleans.csv"), method="aic")


def test_empty_list_dropped_with_warning():
    t = CaptureTable.from_histories(["A", "B", "C", "D"], [((1, 0, 0, 0), 20), ((0, 1, 0, 0), 15),
                                                           ((0, 0, 1, 0), 12), ((1, 1, 0, 0), 3),
                                                           ((0, 1, 1, 0), 2), ((1, 0, 1, 0), 4)])
    r = estimate(t, method="main")
    assert r.lists == ["A", "B", "C"]
    assert any("D" in w for w in r.warnings)


def test_main_effects_refused_when_mle_does_not_exist():
    # Everyone seen is on list A: the A effect is infinite and nothing can be said about the unseen.
    t = CaptureTable.from_histories(["A", "B"], [((1, 0), 5), ((1, 1), 3)])
    with pytest.raises(EstimationError, match="does not exist"):
        estimate(t, method="main")


def test_suppress_small():
    assert suppress_small(0) == "0"
    assert [suppress_small(n) for n in (1, 2, 3, 4)] == ["<5"] * 4
    assert suppress_small(5) == "5"
    assert suppress_small(12, threshold=10) == "12"
    assert suppress_small(9, threshold=10) == "<10"
    assert suppress_small(None) == ""
    with pytest.raises(ValueError):
        suppress_small(-1)


def _run(args):
    out, err = io.StringIO(), io.StringIO()
    code = run(args, out, err)
    return code, out.getvalue(), err.getvalue()


def test_cli_report(data_dir):
    code, out, err = _run([str(data_dir / "new_orleans.csv")])
    assert code == 0, err
    assert "Estimate:  1184" in out and "D:E" in out and "95% interval" in out and "Observed:  185" in out


def test_cli_json_bootstrap(data_dir):
    code, out, _ = _run([str(data_dir / "western.csv"), "--json", "--bootstrap", "50", "--seed", "3",
                         "--method", "stepwise", "--threshold", "0.02"])
    assert code == 0
    d = json.loads(out)
    assert d["ci_method"] == "bca" and d["model"] == ["A:E"] and round(d["estimate"]) == 2483


def test_cli_bad_table(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,count\n1,0,3\n1,7,2\n")
    code, out, err = _run([str(bad)])
    assert code == 2 and out == ""
    assert "row 3" in err and "column 2" in err


def test_cli_help_and_bad_args():
    code, out, _ = _run(["--help"])
    assert code == 0 and "--bootstrap" in out and "--workers" in out
    code, _, err = _run(["x.csv", "--method", "nope"])
    assert code == 2 and "invalid choice" in err
