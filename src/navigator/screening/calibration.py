"""Fitting indicator weights from triage decisions: logistic regression on the library's own scale.

The model is ``P(potential modern slavery) = sigmoid(sharpness * (score - threshold))`` where ``score`` is the
sum of the weights of the indicators counted in a record, so a fitted weight reads like a library weight and
the fitted threshold is where a record becomes more likely than not to be decided potential modern slavery.
Weights and threshold are pulled towards the current ones (a Gaussian prior): an indicator seen in few
decisions keeps about its current weight instead of collapsing to zero, and only what navigators' decisions
show moves it. The suggestion is judged by k-fold cross-validation, so the figures a lead sees are not the
flattering in-sample ones.

The fit reads which indicators counted in each record, but whether the wording model reads a record at all depends on
the weights, and stored results may come from an older library. So figures are best judged by screening the decided
records again with the weights in question: a *judge* ``(weights, threshold, record indices) -> flagged`` does that,
and without one the figures come from the counted indicators.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .engine.library import Indicator

PRIOR_STRENGTH = 4.0  # how strongly weights and threshold stay near the current ones (per squared score unit)
MIN_WEIGHT, MAX_WEIGHT = 0.01, 10.0  # the library accepts weights in (0, 10]; held back: [-10, 0)
MIN_THRESHOLD = 0.05
SHARPNESS_BOUNDS = (0.1, 20.0)
FOLDS = 5


@dataclass
class Fit:
    weights: dict[str, float]
    threshold: float
    current: dict
    suggested: dict
    cross_validated: dict
    examples: int
    positives: int


# (weights by indicator id, threshold, indices of the examples) -> whether each of those records is flagged
Judge = Callable[[dict[str, float], float, np.ndarray], Sequence[bool]]


@dataclass
class _Data:
    features: np.ndarray  # records x indicators, 1 where the indicator counted
    labels: np.ndarray  # decided potential modern slavery
    substantive: np.ndarray  # the record holds an indicator that may flag


def _flagged(data: _Data, weights: np.ndarray, threshold: float) -> np.ndarray:
    return (data.features @ weights >= threshold - 1e-9) & data.substantive


def _metrics(flagged: np.ndarray, labels: np.ndarray, threshold: float) -> dict:
    counts = _counts(flagged, labels)
    return {"threshold": round(float(threshold), 3), **_rates(*counts), "flagged": int(np.sum(flagged)),
            "true_positives": counts[0]}


def _counts(flagged: np.ndarray, labels: np.ndarray) -> tuple[int, int, int]:
    return int(np.sum(flagged & labels)), int(np.sum(flagged & ~labels)), int(np.sum(~flagged & labels))


def _rates(true_pos: int, false_pos: int, false_neg: int) -> dict:
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3)}


def _fit(data: _Data, prior_weights: np.ndarray, prior_threshold: float) -> tuple[np.ndarray, float]:
    """Maximum a posteriori weights and threshold."""
    y = data.labels.astype(float)
    n = len(prior_weights)

    def loss(params):
        weights, threshold, sharpness = params[:n], params[n], params[n + 1]
        margin = data.features @ weights - threshold
        linear = sharpness * margin
        probability = 1.0 / (1.0 + np.exp(-linear))
        residual = probability - y
        weight_shift, threshold_shift = weights - prior_weights, threshold - prior_threshold
        value = (np.sum(np.logaddexp(0.0, linear) - y * linear)
                 + 0.5 * PRIOR_STRENGTH * (np.sum(weight_shift ** 2) + threshold_shift ** 2))
        gradient = np.concatenate([
            sharpness * (data.features.T @ residual) + PRIOR_STRENGTH * weight_shift,
            [-sharpness * np.sum(residual) + PRIOR_STRENGTH * threshold_shift],
            [np.sum(residual * margin)],
        ])
        return value, gradient

    start = np.concatenate([prior_weights, [prior_threshold, 2.0]])
    # A weight keeps its sign: the wording model's held-back weight lowers a score, every other raises it.
    bounds = [(-MAX_WEIGHT, -MIN_WEIGHT) if weight < 0 else (MIN_WEIGHT, MAX_WEIGHT) for weight in prior_weights]
    bounds += [(MIN_THRESHOLD, None), SHARPNESS_BOUNDS]
    result = minimize(loss, start, jac=True, bounds=bounds, method="L-BFGS-B")
    return result.x[:n], float(result.x[n])


def _folds(labels: np.ndarray, folds: int) -> list[np.ndarray]:
    """Held-out index sets with positives and negatives spread evenly (deterministic: same data, same folds)."""
    held_out = [[] for _ in range(folds)]
    for label in (True, False):
        for position, index in enumerate(np.flatnonzero(labels == label)):
            held_out[position % folds].append(index)
    return [np.array(sorted(indices), dtype=int) for indices in held_out if indices]


def _cross_validate(data: _Data, prior_weights: np.ndarray, prior_threshold: float, folds: int,
                    judge: Callable[[np.ndarray, float, np.ndarray], np.ndarray]) -> dict:
    true_pos = false_pos = false_neg = 0
    everything = np.arange(len(data.labels))
    for held_out in _folds(data.labels, folds):
        train = np.setdiff1d(everything, held_out)
        weights, threshold = _fit(_Data(data.features[train], data.labels[train], data.substantive[train]),
                                  prior_weights, prior_threshold)
        tp, fp, fn = _counts(judge(weights, threshold, held_out), data.labels[held_out])
        true_pos, false_pos, false_neg = true_pos + tp, false_pos + fp, false_neg + fn
    return {"folds": folds, **_rates(true_pos, false_pos, false_neg)}


def fit_weights(indicators: Sequence[Indicator], current_threshold: float, examples: list[tuple[set[str], bool]],
                folds: int = FOLDS, judge: Judge | None = None) -> Fit:
    """examples: (indicators counted in the record, decided potential modern slavery?). *judge* screens examples
    again with given weights (see the module's docstring)."""
    ids = [indicator.id for indicator in indicators]
    column = {indicator_id: n for n, indicator_id in enumerate(ids)}
    features = np.zeros((len(examples), len(ids)))
    for row, (present, _) in enumerate(examples):
        for indicator_id in present:
            if indicator_id in column:
                features[row, column[indicator_id]] = 1.0
    labels = np.array([label for _, label in examples], dtype=bool)
    substantive_ids = np.array([indicator.substantive for indicator in indicators])
    data = _Data(features, labels, (features[:, substantive_ids] > 0).any(axis=1))
    current_weights = np.array([indicator.weight for indicator in indicators])

    def flagged(weights: np.ndarray, threshold: float, rows: np.ndarray) -> np.ndarray:
        if judge is None:
            return _flagged(data, weights, threshold)[rows]
        return np.asarray(judge(dict(zip(ids, map(float, weights), strict=True)), float(threshold), rows), dtype=bool)

    everything = np.arange(len(examples))
    fitted, threshold = _fit(data, current_weights, current_threshold)
    return Fit(weights={indicator_id: round(float(w), 3) for indicator_id, w in zip(ids, fitted, strict=True)},
               threshold=round(threshold, 3),
               current=_metrics(flagged(current_weights, current_threshold, everything), labels, current_threshold),
               suggested=_metrics(flagged(fitted, threshold, everything), labels, threshold),
               cross_validated=_cross_validate(data, current_weights, current_threshold, folds, flagged),
               examples=len(examples), positives=int(labels.sum()))


def no_longer_flagging(indicators: Sequence[Indicator], threshold: float, weights: dict[str, float],
                       new_threshold: float) -> list[tuple[str, float, float]]:
    """``(indicator id, weight now, proposed weight)`` for each sign that flags a record on its own at *threshold* and
    would not with *weights* at *new_threshold*: the change a lead most needs to see, since a record showing only
    that sign would leave the triage queue."""
    return [(i.id, i.weight, weights[i.id]) for i in indicators
            if i.substantive and i.weight >= threshold > 0 and i.id in weights and weights[i.id] < new_threshold]
