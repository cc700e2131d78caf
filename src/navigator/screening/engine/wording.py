"""A learned second opinion on a record's wording, for records the indicators only half recognise.

Phrase patterns and rules find what their authors thought of; narratives written by others say the same
things in words nobody listed (on two sets written blind to the library, the indicators alone flagged about
half the potential victims). This model reads the whole record instead: a logistic regression over
TF-IDF-weighted words, trained on the project's labelled synthetic narratives. It *promotes*: a record that
already shows at least one indicator but scores below the threshold is flagged when the model finds its
wording likely enough to be modern slavery. Records with no indicator at all are never flagged by it, which
keeps routine police text (the great majority) out of the queue. And it *holds back*: a record the indicators
flag by less than a point, none of whose signs flags a record on its own, is not flagged when the model finds
its wording very unlikely to be modern slavery. Many false alarms are such records, a concern that was checked
and ruled out, whose alleged signs the indicators find ("not paid", "lives on site") while the rest of the
record shows own documents, own bank accounts, payslips and freedom to leave (on four blind sets it removed
20 of 71 false alarms and no true positive). A strong sign is never held back, however routine the rest of
the record reads: that is how a dismissed victim looks.

The model is a data file (``wording.json``) like the indicator library: its vocabulary with each word's
inverse document frequency and coefficient, the intercept, and the probabilities at which it promotes and
holds back. Scoring here is plain Python (no scikit-learn at run time) and gives the same probability as the
trained pipeline (tested). Training (:func:`train`) uses scikit-learn, a development dependency:
``python scripts/train_wording_model.py`` rebuilds the bundled file from the development sets.

A record whose only strong signs are a partner's coercive control is held back when its words read more like
domestic abuse than like modern slavery. That one question has coefficients of its own (``partner_reading``),
fitted with domestic abuse records that are not exploitation and exploitation by partners added: trained on
narratives about exploitation alone, the model read ordinary coercive control as exploitation.

Its hit names the sentence that weighs most towards modern slavery (or, holding back, against it), so a
navigator sees where to read; the explanation says plainly that this is a statistical resemblance, not a sign
in itself.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .library import Indicator, LibraryError

DEFAULT_MODEL_RESOURCE = "wording.json"
TOKEN = re.compile(r"\b\w\w+\b")  # scikit-learn's default token pattern: words of two or more characters
_TOKEN_ASCII = re.compile(r"\w\w+", re.ASCII)  # the same tokens, found faster, in ASCII text
_SENTENCE = re.compile(r"[^.!?;\n\r|]+")
# Training settings, recorded in the model file: words seen in at least MIN_DF narratives, L2 strength 1/C.
MIN_DF = 2
C = 16.0
MIN_WORDS = 8
# Holding back needs more to read: a ruled-out concern lists what was checked, while a short record of strong signs
# ("the manager keeps the wages; she has no control over her own money") can read like one by a word or two.
HOLD_BACK_MIN_WORDS = 20


@dataclass(frozen=True)
class Coefficients:
    """A logistic regression over the words of labelled narratives: its intercept, each word's inverse document
    frequency and coefficient, and how many narratives of each set it was fitted on."""

    intercept: float
    terms: Mapping[str, tuple[float, float]]
    trained_on: Mapping[str, int]


@dataclass(frozen=True)
class WordingModel:
    version: str
    intercept: float
    terms: Mapping[str, tuple[float, float]]  # word -> (inverse document frequency, coefficient)
    threshold: float  # probability at which a record with some indicator evidence is flagged
    indicator: Indicator  # how its hit is named, explained and weighted
    trained_on: Mapping[str, int]
    # Below this probability a record the indicators flag is held back (unless a sign in it flags on its own, see
    # Screener): the held_back indicator's negative weight is added to its score, so only indicator evidence
    # well above the threshold still flags it.
    hold_back_below: float
    held_back: Indicator
    # The coefficients refitted with domestic abuse records that are not exploitation and exploitation by partners, for
    # one question alone: does a record whose only strong signs are a partner's read more like domestic abuse than like
    # modern slavery? (Fitted on those records, the whole model promoted everyday records more readily, so promotion
    # and holding back keep the model's own.) None: the partner reading uses the model's own coefficients.
    partner_reading: Coefficients | None = None

    def _tokens(self, text: str) -> list[str]:
        low = text.lower()
        return (_TOKEN_ASCII if low.isascii() else TOKEN).findall(low)

    def _linear(self, tokens: list[str], reading: Coefficients | None = None) -> float:
        """The model's log-odds (or *reading*'s): TF-IDF values of the known words (sublinear term frequency),
        L2-normalised."""
        terms = self.terms if reading is None else reading.terms
        intercept = self.intercept if reading is None else reading.intercept
        dot = squares = 0.0
        for term, count in Counter(filter(terms.__contains__, tokens)).items():
            idf, coef = terms[term]
            value = idf if count == 1 else (1.0 + math.log(count)) * idf
            dot += coef * value
            squares += value * value
        return intercept + (dot / math.sqrt(squares) if squares else 0.0)

    def probability(self, text: str) -> float:
        """How likely the trained model finds it that *text* describes potential modern slavery."""
        return 1.0 / (1.0 + math.exp(-self._linear(self._tokens(text))))

    def promotion(self, text: str) -> tuple[int, int] | None:
        """The span of the sentence that weighs most for potential modern slavery, if the model's probability
        reaches its threshold.

        A record of fewer than MIN_WORDS words gets no opinion: the training narratives are longer, and on a
        one-line log a single word would decide."""
        tokens = self._tokens(text)
        if len(tokens) < MIN_WORDS or self._linear(tokens) < _logit(self.threshold):
            return None
        return self._weightiest_sentence(text, tokens, for_slavery=True)

    def hold_back(self, text: str) -> tuple[int, int] | None:
        """The span of the sentence that weighs most against potential modern slavery, if the model's
        probability is below hold_back_below (records of HOLD_BACK_MIN_WORDS words or more)."""
        tokens = self._tokens(text)
        if len(tokens) < HOLD_BACK_MIN_WORDS or self._linear(tokens) >= _logit(self.hold_back_below):
            return None
        return self._weightiest_sentence(text, tokens, for_slavery=False)

    def reads_as_domestic_abuse(self, text: str) -> tuple[int, int] | None:
        """For a record whose only strong signs are coercive control by a partner: the span of the sentence that
        weighs most against potential modern slavery, if the model finds the record more likely not to be potential
        modern slavery than to be (probability below one half; records of MIN_WORDS words or more). The partner
        reading's coefficients decide where the model has them."""
        tokens = self._tokens(text)
        if len(tokens) < MIN_WORDS or self._linear(tokens, self.partner_reading) >= 0.0:
            return None
        return self._weightiest_sentence(text, tokens, for_slavery=False, reading=self.partner_reading)

    def partner_probability(self, text: str) -> float:
        """How likely the partner reading finds it that *text* describes potential modern slavery."""
        return 1.0 / (1.0 + math.exp(-self._linear(self._tokens(text), self.partner_reading)))

    def _weightiest_sentence(self, text: str, tokens: list[str], *, for_slavery: bool,
                             reading: Coefficients | None = None) -> tuple[int, int] | None:
        terms = self.terms if reading is None else reading.terms
        occurrences = Counter(tokens)
        sign = 1.0 if for_slavery else -1.0
        best, best_span = -math.inf, None
        for sentence in _SENTENCE.finditer(text):
            # A word's share of the record's evidence is split evenly between its occurrences; the norm is
            # the same for every sentence, so it is left out.
            weight = sign * sum(terms[token][1] * terms[token][0] * (1.0 + math.log(occurrences[token]))
                                / occurrences[token] for token in self._tokens(sentence.group()) if token in terms)
            if weight > best:
                best, best_span = weight, sentence.span()
        if best_span is None:
            return None
        start, end = best_span
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def with_weights(self, weights: Mapping[str, float]) -> WordingModel:
        """The model with calibrated weights for its two indicators (those *weights* names)."""
        def weighed(indicator: Indicator) -> Indicator:
            return replace(indicator, weight=float(weights.get(indicator.id, indicator.weight)))

        return replace(self, indicator=weighed(self.indicator), held_back=weighed(self.held_back))

    def to_json(self) -> str:
        """The model file: its settings first, then one word a line (readable diffs when it is retrained)."""
        data = self.to_dict()
        terms = data.pop("terms")
        reading = data.pop("partner_reading", None)
        head = json.dumps(data, indent=1, ensure_ascii=False)[:-2]
        if reading is not None:
            reading_terms = reading.pop("terms")
            head += ',\n "partner_reading": ' + json.dumps(reading, ensure_ascii=False)[:-1] + (
                ', "terms": {\n' + _term_lines(reading_terms) + "\n }}")
        return head + ',\n "terms": {\n' + _term_lines(terms) + "\n }\n}\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "threshold": self.threshold,
            "intercept": self.intercept,
            "trained_on": dict(self.trained_on),
            "settings": {"min_df": MIN_DF, "C": C, "tokens": TOKEN.pattern, "tf": "sublinear", "norm": "l2"},
            "indicator": self.indicator.to_dict(),
            "hold_back_below": self.hold_back_below,
            "held_back": self.held_back.to_dict(),
            "terms": {term: list(pair) for term, pair in sorted(self.terms.items())},
        } | ({} if self.partner_reading is None else {"partner_reading": {
            "trained_on": dict(self.partner_reading.trained_on),
            "intercept": self.partner_reading.intercept,
            "terms": {term: list(pair) for term, pair in sorted(self.partner_reading.terms.items())},
        }})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WordingModel:
        try:
            indicator, held_back = _indicator(data["indicator"]), _indicator(data["held_back"])
            if indicator.weight <= 0 or held_back.weight >= 0:
                raise ValueError("the indicator's weight must be positive and held_back's negative")
            terms = {str(term): (float(idf), float(coef)) for term, (idf, coef) in data["terms"].items()}
            threshold, hold_back_below = float(data["threshold"]), float(data["hold_back_below"])
            if not 0.0 < hold_back_below < threshold < 1.0:
                raise ValueError("hold_back_below and threshold must be probabilities, hold_back_below the lower")
            reading = data.get("partner_reading")
            partner_reading = None if reading is None else Coefficients(
                intercept=float(reading["intercept"]), trained_on=dict(reading.get("trained_on", {})),
                terms={str(term): (float(idf), float(coef)) for term, (idf, coef) in reading["terms"].items()})
            return cls(version=str(data["version"]), intercept=float(data["intercept"]), terms=terms,
                       threshold=threshold, indicator=indicator, trained_on=dict(data.get("trained_on", {})),
                       hold_back_below=hold_back_below, held_back=held_back, partner_reading=partner_reading)
        except (KeyError, TypeError, ValueError) as problem:
            raise LibraryError(f"wording model: {problem}") from None


def _term_lines(terms: Mapping[str, list[float]]) -> str:
    """One word a line (readable diffs when the model is retrained)."""
    return ",\n".join(f"  {json.dumps(term, ensure_ascii=False)}: [{idf!r}, {coef!r}]"
                       for term, (idf, coef) in terms.items())


def _indicator(spec: Mapping[str, Any]) -> Indicator:
    return Indicator(id=spec["id"], name=spec["name"], category=spec["category"], explanation=spec["explanation"],
                     source=spec["source"], weight=float(spec["weight"]), kind=spec["kind"], patterns=())


def _logit(probability: float) -> float:
    return math.log(probability / (1.0 - probability))


def load_wording_model(path: str | Path | None = None) -> WordingModel:
    """Load a wording model; the bundled one when *path* is None."""
    if path is None:
        text = resources.files(__package__).joinpath(DEFAULT_MODEL_RESOURCE).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return WordingModel.from_dict(json.loads(text))


def fit(texts: list[str], labels: list[bool]):
    """The scikit-learn pipeline the model is exported from: ``(vectorizer, classifier)``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(min_df=MIN_DF, sublinear_tf=True, token_pattern=TOKEN.pattern)
    features = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=10_000).fit(features, labels)
    return vectorizer, classifier


def _fitted(sets: Mapping[str, Iterable[tuple[str, bool]]]) -> Coefficients:
    """Coefficients fitted on labelled narratives ``{set name: [(text, is potential modern slavery), ...]}``."""
    texts: list[str] = []
    labels: list[bool] = []
    trained_on: dict[str, int] = {}
    for name, records in sets.items():
        before = len(texts)
        for text, label in records:
            texts.append(text)
            labels.append(bool(label))
        trained_on[name] = len(texts) - before
    vectorizer, classifier = fit(texts, labels)
    terms = {term: (float(vectorizer.idf_[column]), float(classifier.coef_[0][column]))
             for term, column in vectorizer.vocabulary_.items()}
    return Coefficients(intercept=float(classifier.intercept_[0]), terms=terms, trained_on=trained_on)


def train(sets: Mapping[str, Iterable[tuple[str, bool]]], *, version: str, threshold: float,
          indicator: Indicator, hold_back_below: float, held_back: Indicator,
          partner_sets: Mapping[str, Iterable[tuple[str, bool]]] | None = None) -> WordingModel:
    """Fit the model on labelled narratives ``{set name: [(text, is potential modern slavery), ...]}``, and its
    partner reading on those and *partner_sets* (none: the partner reading uses the model's coefficients)."""
    sets = {name: list(records) for name, records in sets.items()}
    fitted = _fitted(sets)
    partner_reading = None if not partner_sets else _fitted({**sets, **partner_sets})
    return WordingModel(version=version, intercept=fitted.intercept, terms=fitted.terms,
                        threshold=threshold, indicator=indicator, trained_on=fitted.trained_on,
                        hold_back_below=hold_back_below, held_back=held_back, partner_reading=partner_reading)
