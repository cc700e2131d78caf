"""Fitting indicator weights from triage decisions (L2-penalised logistic regression, weights kept non-negative)."""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .engine.library import Library

PENALTY = 1.0
MIN_WEIGHT, MAX_WEIGHT = 0.01, 10.0


@dataclass
class Fit:
    weights: dict[str, float]
    threshold: float
    current: dict
    suggested: dict
    examples: int
    positives: int


def _metrics(scores, substantive, labels, weights_threshold) -> dict:
    flagged = (scores >= weights_threshold - 1e-9) & substantive
    true_pos = int(np.sum(flagged & labels))
    false_pos = int(np.sum(flagged & ~labels))
    false_neg = int(np.sum(~flagged & labels))
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0
    return {"threshold": round(float(weights_threshold), 3), "precision": round(precision, 3),
            "recall": round(recall, 3), "flagged": int(np.sum(flagged)), "true_positives": true_pos}


def fit_weights(library: Library, current_threshold: float, examples: list[tuple[set[str], bool]]) -> Fit:
    """examples: (indicators counted in the record, decided potential modern slavery?)."""
    ids = [indicator.id for indicator in library.indicators]
    column = {indicator_id: n for n, indicator_id in enumerate(ids)}
    features = np.zeros((len(examples), len(ids)))
    for row, (present, _) in enumerate(examples):
        for indicator_id in present:
            if indicator_id in column:
                features[row, column[indicator_id]] = 1.0
    labels = np.array([label for _, label in examples], dtype=bool)
    substantive_ids = np.array([indicator.substantive for indicator in library.indicators])
    substantive = (features[:, substantive_ids] > 0).any(axis=1) if len(examples) else np.zeros(0, dtype=bool)
    y = labels.astype(float)

    def loss(params):
        intercept, weights = params[0], params[1:]
        linear = intercept + features @ weights
        value = np.sum(np.logaddexp(0.0, linear) - y * linear) + 0.5 * PENALTY * np.sum(weights ** 2)
        probability = 1.0 / (1.0 + np.exp(-linear))
        gradient = np.concatenate([[np.sum(probability - y)], features.T @ (probability - y) + PENALTY * weights])
        return value, gradient

    start = np.zeros(len(ids) + 1)
    bounds = [(None, None)] + [(MIN_WEIGHT, MAX_WEIGHT)] * len(ids)  # the library accepts weights in (0, 10]
    result = minimize(loss, start, jac=True, bounds=bounds, method="L-BFGS-B")
    intercept, fitted = result.x[0], result.x[1:]
    weights = {indicator_id: round(float(w), 3) for indicator_id, w in zip(ids, fitted, strict=True)}
    threshold = max(0.05, round(float(-intercept), 3))  # score >= threshold  <=>  fitted probability >= 1/2

    current_weights = np.array([indicator.weight for indicator in library.indicators])
    current_scores = features @ current_weights
    suggested_scores = features @ fitted
    return Fit(weights=weights, threshold=threshold,
               current=_metrics(current_scores, substantive, labels, current_threshold),
               suggested=_metrics(suggested_scores, substantive, labels, threshold),
               examples=len(examples), positives=int(labels.sum()))
