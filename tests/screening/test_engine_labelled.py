"""Precision/recall on the project's labelled synthetic narratives."""

import json
from pathlib import Path

from navigator.screening.engine import Screener

DATA = Path(__file__).parent / "data" / "labelled.jsonl"
MIN_PRECISION = 0.93
MIN_RECALL = 0.95


def _records():
    with DATA.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_labelled_set_is_well_formed():
    recs = _records()
    assert len(recs) >= 200
    assert len({r["ref"] for r in recs}) == len(recs)
    for r in recs:
        assert set(r) == {"ref", "text", "label", "note"}
        assert isinstance(r["label"], bool) and r["text"].strip()
    positives = sum(r["label"] for r in recs)
    assert 0.3 < positives / len(recs) < 0.7


def test_precision_and_recall(screener: Screener, capsys):
    recs = _records()
    results = list(screener.screen_many((r["ref"], r["text"]) for r in recs))
    tp = sum(1 for r, res in zip(recs, results) if r["label"] and res.flagged)
    fp = sum(1 for r, res in zip(recs, results) if not r["label"] and res.flagged)
    fn = sum(1 for r, res in zip(recs, results) if r["label"] and not res.flagged)
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    with capsys.disabled():
        print(f"\nlabelled set: n={len(recs)} tp={tp} fp={fp} fn={fn} precision={precision:.3f} recall={recall:.3f}")
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL


def test_every_indicator_is_hit_by_a_labelled_record(screener: Screener):
    hit = set()
    for res in screener.screen_many((r["ref"], r["text"]) for r in _records()):
        hit.update(h.indicator for h in res.hits)
    missing = [i.id for i in screener.indicators if i.id not in hit]
    assert not missing, missing


def test_labelled_set_exercises_negation(screener: Screener):
    negated = 0
    for res in screener.screen_many((r["ref"], r["text"]) for r in _records()):
        negated += sum(h.negated for h in res.hits)
    assert negated >= 10
