"""The screening engine: one Hyperscan database over every indicator pattern.

Records are screened in batches: the texts of a batch are joined with a separator into
one buffer and scanned with a single Hyperscan call; matches are assigned back to their
record by offset. Records without any match cost no per-record Python work beyond the
join, which is what makes screening millions of records practical.

Hyperscan works on bytes. Patterns are compiled without HS_FLAG_UTF8 (the few non-ASCII
literals, such as the pound sign, are matched as their whole UTF-8 byte sequence and never
appear inside character classes), so malformed input (lone surrogates) cannot break the
scan. Hyperscan reports which pattern matched in which record (by byte offset of the match
end); exact ``str`` spans are then recovered for just those (record, pattern) pairs with
Python's ``re`` (ASCII mode, the same semantics), so no per-pattern work is ever done on a
record Hyperscan did not match.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, islice
from typing import Any

import hyperscan

from .library import Indicator, Library, load_library
from .negation import is_negated
from .prefilter import has_anchor, max_width

DEFAULT_THRESHOLD = 1.0
DEFAULT_BATCH_SIZE = 4096
SEPARATOR = "\n\n"
_SEP_LEN = len(SEPARATOR)
_FLAGS = hyperscan.HS_FLAG_CASELESS
_ENCODING_ERRORS = "surrogatepass"  # lone surrogates from JSON stay one char <-> three bytes


@dataclass(frozen=True, slots=True)
class Hit:
    indicator: str
    category: str
    start: int
    end: int
    text: str
    negated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "negated": self.negated,
        }


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    ref: Any
    score: float
    flagged: bool
    hits: tuple[Hit, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "score": self.score,
            "flagged": self.flagged,
            "hits": [h.to_dict() for h in self.hits],
        }

    @property
    def indicators(self) -> list[str]:
        """Ids of the indicators that counted (not negated), in order of first hit."""
        return list(dict.fromkeys(h.indicator for h in self.hits if not h.negated))


_DB_CACHE: dict[tuple[str, ...], Any] = {}
_DB_LOCK = threading.Lock()


def _compile(patterns: tuple[str, ...]):
    with _DB_LOCK:
        db = _DB_CACHE.get(patterns)
        if db is None:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(
                expressions=[p.encode("utf-8") for p in patterns],
                ids=list(range(len(patterns))),
                elements=len(patterns),
                flags=[_FLAGS] * len(patterns),
            )
            _DB_CACHE[patterns] = db
        return db


_ANALYSIS_CACHE: dict[tuple[str, ...], tuple[tuple[int | None, ...], bool]] = {}


def _analyse_patterns(patterns: tuple[str, ...]) -> tuple[tuple[int | None, ...], bool]:
    """(max match width per pattern or None, whether raw JSON Lines can be scanned in place).

    Raw blocks are scanned in place only if no pattern uses anchors (^, $ ...), whose
    meaning would depend on the JSON around a text.
    """
    with _DB_LOCK:
        cached = _ANALYSIS_CACHE.get(patterns)
        if cached is None:
            anchored = [has_anchor(p) for p in patterns]
            widths = tuple(None if a else max_width(p) for p, a in zip(patterns, anchored, strict=True))
            cached = _ANALYSIS_CACHE[patterns] = (widths, not any(anchored))
        return cached


class Screener:
    """Screens free-text police records against an indicator library.

    ``threshold`` is the score at which a record is flagged. Each indicator counts once
    per record (its weight), negated hits count nothing, and a record is flagged only if
    at least one *substantive* indicator (control, exploitation or explicit) counted:
    sector and context markers alone never flag.

    A Screener is not thread-safe (it reuses one Hyperscan scratch); use one per thread.
    """

    def __init__(
        self,
        library: Library | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.library = library if library is not None else load_library()
        self.threshold = float(threshold)
        self.batch_size = max(1, int(batch_size))
        patterns: list[str] = []
        owners: list[Indicator] = []
        for ind in self.library.indicators:
            for p in ind.patterns:
                if not p.isascii() and re.search(r"\[[^\]]*[^\x00-\x7f]", p):
                    raise ValueError(f"indicator {ind.id}: non-ASCII inside a character class: {p!r}")
                patterns.append(p)
                owners.append(ind)
        self._patterns = tuple(patterns)
        self._regexes: list[re.Pattern[str] | None] = [None] * len(patterns)
        # How far before Hyperscan's first reported match end a match can start (None: anywhere).
        self._widths, self.raw_ok = _analyse_patterns(self._patterns)
        self._owners = tuple(owners)
        self._db = _compile(self._patterns)
        try:
            self._db.scan(b"warm up", match_event_handler=lambda *a: None)
        except TypeError:  # pragma: no cover - older binding signature
            pass

    # -- library access ----------------------------------------------------------
    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.library.indicators

    @property
    def version(self) -> str:
        return self.library.version

    def export_patterns(self) -> list[str]:
        """Every pattern the engine scans for, one regex each (case-insensitive).

        The syntax is the common subset of Hyperscan and Rust regex, so the list can be
        given to ``rg -i -f``.
        """
        return list(self._patterns)

    # -- screening -----------------------------------------------------------------
    def screen(self, text: str, ref: Any = None) -> ScreeningResult:
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        found = self.scan_batch([text])
        if found:
            return self.evaluate(ref, text, found[0][1])
        return ScreeningResult(ref, 0.0, False, ())

    def screen_many(self, records: Iterable[tuple[Any, str]]) -> Iterator[ScreeningResult]:
        """Screen ``(ref, text)`` pairs lazily, in order, in batches of ``batch_size``."""
        it = iter(records)
        while True:
            batch = list(islice(it, self.batch_size))
            if not batch:
                return
            refs = [r for r, _ in batch]
            texts = [t for _, t in batch]
            yield from self.screen_batch(refs, texts)

    def screen_batch(self, refs: Sequence[Any], texts: Sequence[str]) -> list[ScreeningResult]:
        out = [ScreeningResult(ref, 0.0, False, ()) for ref in refs]
        for i, raw in self.scan_batch(texts):
            out[i] = self.evaluate(refs[i], texts[i], raw)
        return out

    def scan_batch(self, texts: Sequence[str]) -> list[tuple[int, list[tuple[int, int, int]]]]:
        """One Hyperscan call over all *texts*.

        Returns ``[(record_index, [(pattern_id, start, end), ...]), ...]`` for records
        with at least one match, offsets in characters of that record's text.

        Hyperscan (without start-of-match tracking, which is three times slower) finds
        which patterns end where; for those (record, pattern) pairs only, the pattern's
        Python twin (same regex, ASCII semantics like Hyperscan's) recovers exact
        ``str`` spans within the record's own text, so no match can straddle records.
        """
        if not texts:
            return []
        joined = SEPARATOR.join(texts)
        ascii_only = joined.isascii()
        data = joined.encode("ascii") if ascii_only else joined.encode("utf-8", _ENCODING_ERRORS)
        ends: list[tuple[int, int]] = []
        append = ends.append

        def on_match(pid: int, start: int, end: int, flags: int, ctx: Any) -> None:
            append((end, pid))

        self._db.scan(data, match_event_handler=on_match)
        if not ends:
            return []
        if ascii_only:
            lengths = [len(t) for t in texts]
        else:
            lengths = [len(t.encode("utf-8", _ENCODING_ERRORS)) for t in texts]
        starts = list(accumulate((n + _SEP_LEN for n in lengths), initial=0))
        candidates = self._assign(ends, starts)
        result = []
        for i in sorted(candidates):
            raw = self.find_spans(texts[i], candidates[i], ascii_only)
            if raw:
                result.append((i, raw))
        return result

    def scan_raw(self, data: bytes, text_starts: list[int]) -> dict[int, dict[int, int]]:
        """One Hyperscan call over a raw block in which record *i*'s text is a substring
        starting at ``text_starts[i]`` and not containing ``"`` (escape-free JSON Lines).

        Returns candidate ``{record_index: {pattern_id: first_match_end}}`` (ends are
        absolute offsets in *data*); a match that runs into the JSON around a text only
        yields a candidate that :meth:`find_spans` then rejects. Requires :attr:`raw_ok`.
        """
        ends: list[tuple[int, int]] = []
        append = ends.append

        def on_match(pid: int, start: int, end: int, flags: int, ctx: Any) -> None:
            append((end, pid))

        self._db.scan(data, match_event_handler=on_match)
        return self._assign(ends, text_starts) if ends else {}

    @staticmethod
    def _assign(ends: list[tuple[int, int]], starts: list[int]) -> dict[int, dict[int, int]]:
        candidates: dict[int, dict[int, int]] = {}
        for end, pid in ends:
            i = bisect_right(starts, end - 1) - 1
            if i < 0:
                continue
            rel = end - starts[i]
            found = candidates.get(i)
            if found is None:
                candidates[i] = {pid: rel}
            elif rel < found.get(pid, rel + 1):
                found[pid] = rel
        return candidates

    def find_spans(
        self, text: str, pattern_ids: Iterable[int] | dict[int, int], char_offsets: bool = False
    ) -> list[tuple[int, int, int]]:
        """Exact ``(pattern_id, start, end)`` spans of the given patterns in one text.

        *pattern_ids* may map each pattern to the end of its first Hyperscan match (relative
        to the text, in bytes; ``char_offsets`` says they are also character offsets, i.e.
        the text is ASCII). Every ``re`` match ends at or after that offset, so for patterns
        of bounded width the search starts at ``first_end - max_width`` (``re``'s ``\\b``
        still sees the character before the start position, so results are unchanged).
        """
        regexes = self._regexes
        widths = self._widths
        firsts = pattern_ids if char_offsets and isinstance(pattern_ids, dict) else None
        raw: list[tuple[int, int, int]] = []
        for pid in sorted(pattern_ids):
            rx = regexes[pid]
            if rx is None:
                rx = regexes[pid] = re.compile(self._patterns[pid], re.IGNORECASE | re.ASCII)
            pos = 0
            if firsts is not None and widths[pid] is not None:
                pos = max(0, min(firsts[pid], len(text)) - widths[pid])  # type: ignore[operator]
            raw.extend((pid, m.start(), m.end()) for m in rx.finditer(text, pos) if m.end() > m.start())
        return raw

    def evaluate(self, ref: Any, text: str, raw: list[tuple[int, int, int]]) -> ScreeningResult:
        """Score one record from its raw matches (character offsets)."""
        owners = self._owners
        spans: dict[int, list[tuple[int, int]]] = {}
        order: list[Indicator] = []
        for pid, start, end in raw:
            ind = owners[pid]
            key = id(ind)
            if key not in spans:
                spans[key] = []
                order.append(ind)
            spans[key].append((start, end))
        hits: list[Hit] = []
        score = 0.0
        substantive = False
        for ind in order:
            counted = False
            for start, end in _merge(spans[id(ind)]):
                negated = is_negated(text, start, end)
                hits.append(Hit(ind.id, ind.category, start, end, text[start:end], negated))
                if not negated:
                    counted = True
            if counted:
                score += ind.weight
                substantive = substantive or ind.substantive
        hits.sort(key=lambda h: (h.start, h.end, h.indicator))
        score = round(score, 3)
        flagged = substantive and score >= self.threshold - 1e-9
        return ScreeningResult(ref, score, flagged, tuple(hits))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping spans (Hyperscan reports every end offset of a match)."""
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start < last_end:
            if end > last_end:
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged
