"""The weights `navigator screening calibrate` suggests, from decisions with a known pattern."""

import pytest

from navigator.screening.calibration import fit_weights
from navigator.screening.engine import load_library

CONFIRMED = {"documents_retained", "debt_bondage"}
REJECTED = {"vulnerability_language", "excessive_hours"}  # 0.3 + 0.7: flagged at the default threshold


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_an_indicator_navigators_keep_rejecting_loses_weight(library):
    examples = [(CONFIRMED, True)] * 30 + [(REJECTED, False)] * 30
    fit = fit_weights(library.indicators, 1.0, examples)
    current = {indicator.id: indicator.weight for indicator in library.indicators}
    score = sum(fit.weights[i] for i in REJECTED)
    assert score < fit.threshold, "the rejected combination no longer reaches the suggested threshold"
    assert sum(fit.weights[i] for i in CONFIRMED) >= fit.threshold
    assert fit.current == {"threshold": 1.0, "precision": 0.5, "recall": 1.0, "flagged": 60, "true_positives": 30}
    assert (fit.suggested["precision"], fit.suggested["recall"]) == (1.0, 1.0)
    assert fit.cross_validated == {"folds": 5, "precision": 1.0, "recall": 1.0}
    # Indicators no decision speaks about keep their weights: the fit moves only what the decisions show.
    unseen = [i for i in current if i not in CONFIRMED | REJECTED]
    assert all(abs(fit.weights[i] - current[i]) < 0.01 for i in unseen)


def test_mixed_decisions_on_the_same_signs_move_little(library):
    examples = [(CONFIRMED, True)] * 10 + [(CONFIRMED, False)] * 3 + [(REJECTED, True)] * 3 + [(REJECTED, False)] * 10
    fit = fit_weights(library.indicators, 1.0, examples)
    current = {indicator.id: indicator.weight for indicator in library.indicators}
    assert all(abs(fit.weights[i] - current[i]) < 0.5 for i in current)
    assert 0.5 < fit.threshold < 1.5


def test_the_wording_models_held_back_weight_stays_negative():
    """Decisions that overturn every hold-back shrink its weight towards zero, but never make it raise a score."""
    from navigator.screening.engine import Screener

    indicators = Screener().indicators
    held_back = indicators[-2]
    assert held_back.id == "wording_unlike_cases" and held_back.weight < 0
    overturned = {"wages_withheld", "sector_car_wash", held_back.id}  # 0.9 + 0.3 - 1.0: held back, decided potential
    examples = [(overturned, True)] * 30 + [(CONFIRMED, True)] * 10 + [(REJECTED, False)] * 30
    fit = fit_weights(indicators, 1.0, examples)
    assert held_back.weight < fit.weights[held_back.id] < 0
    assert fit.suggested["recall"] > fit.current["recall"]
