"""The screening engine: a DFA gate per record, Hyperscan on the few it lets through, exact matching last.

Evidence for an indicator is a short *phrase* regex or a *co-occurrence rule*: a term of
one group near a term of another (same sentence, at most ``within`` words between; see
:class:`~.library.Rule`). Each rule names its *anchor* group, the one that is rare in
ordinary police text (chosen with :func:`.pattern_analysis.choose_anchor` and recorded in the
library).

Records are screened in batches, through three stages:

1. **Gate.** One RE2 set holds every phrase pattern and every term of every anchor group
   (between word boundaries). Its lazily built DFA reads each record once and says whether
   any pattern matches in it; most police records match nothing and cost no more.
2. **Locator.** The same patterns in one Hyperscan database run once over the records the
   gate let through, joined, and report where each pattern's matches end; the ends are
   assigned back to their record by offset. (Hyperscan over whole blocks was the gate
   until measured: the library's alternations expand into tens of thousands of literal
   strings, and Hyperscan read the bench's records at about half the DFA's speed.)
3. **Exact matching** in Python, for the records with a match:

   * phrase spans are recovered with the pattern's Python twin (``re``, ASCII semantics like
     the matchers'), searching from shortly before Hyperscan's first reported match end;
   * a rule whose anchor group matched is evaluated in the sentences that hold an anchor
     match: the occurrences of each group in the sentence (leftmost, non-overlapping
     matches of the group's terms joined into one regex, the sentence searched on its own)
     are paired, and a pair counts when the text between them separates the two terms,
     holds at most ``within`` words and no contrastive conjunction (but, however ...), and, for
     rules marked ``negation_breaks``, does not end by negating the second term ("no fee, no
     debt"). The hit spans from the first term to the second.

A match in either matcher is a necessary condition for a hit, so the first two stages never
change results: both find at least what the Python twins find. All three read characters
(Hyperscan with HS_FLAG_UTF8; a lone surrogate, possible in JSON, reaches the matchers as
U+FFFD), fold at least ASCII case (RE2 folds by Unicode's rules, a superset), and read
``\\b``, ``\\w`` and ``\\d`` as ASCII. Patterns may not use anchors (``^``, ``$`` ...), which RE2
and ``re`` read differently at a text's end.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate, compress, count, islice
from pathlib import Path
from typing import Any

import hyperscan
import re2

from .library import Indicator, Library, Rule, load_library
from .negation import is_negated
from .pattern_analysis import has_anchor, lowercase_equivalent, max_width
from .wording import WordingModel, load_wording_model

DEFAULT_THRESHOLD = 1.0
DEFAULT_BATCH_SIZE = 4096
SEPARATOR = b"\n\n"  # between records in the locator's input: a match across it is at worst a false candidate
_FLAGS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8  # \W, [^...] and . take a whole character
_GATE_MAX_MEM = 64 << 20  # RE2's memory for the gate's compiled set and DFA cache
_SURROGATE = re.compile("[\ud800-\udfff]")
_RX_FLAGS = re.IGNORECASE | re.ASCII
# Typographic apostrophes, quotes, hyphens and no-break spaces, as word processors and phone keyboards write them, are
# read as their ASCII forms, which the library's patterns spell ("don't", "the boss's", "the 'boss'"). Each is one
# character for one, so offsets into a record's reading are offsets into the record.
_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
                             "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
                             "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2010": "-", "\u2011": "-"})

# Sentence breaks for rules: a pair of terms never spans one of these characters.
SENTENCE_BREAKS = ".!?;\n\r|"
_WORD_CHARS = "0-9A-Za-z_"  # ASCII \w, spelled out so that exported regexes mean the same in ripgrep
_BREAK_CLASS = rf"[^{_WORD_CHARS}.!?;\n\r|]"
_WORD = re.compile(r"\w+", re.ASCII)
_WORD_TAIL = re.compile(r"\w*", re.ASCII)
# A contrastive conjunction between two terms separates them too ("denies any debt but ...").
_CONTRAST = re.compile(r"\b(?:but|however|although|though|whereas|yet|except)\b", re.IGNORECASE | re.ASCII)
_BREAK_RX = re.compile(r"[.!?;\n\r|]")
# A negation just before the second term of a pair: verbal ("she was not locked in", "the boss has never beaten him",
# "they weren't picked up") or "no" before a noun ("children - no threats"), which negation.is_negated then confirms
# (see _pair_span) ...
_NEGATED_VERB = re.compile(r"\b(?:not|never|cannot|denie[sd]|deny(?:ing)?|(?:is|are|was|were|has|have|had|do|does|did|"
                           r"ca|could|wo|would|should|must|need)n'?t)\W+"
                           r"(?:(?:been|being|be|ever|even|once|actually|really|physically)\W+)*$",
                           re.IGNORECASE | re.ASCII)
_NO_BEFORE = re.compile(r"\b(?:no|nor|without)\W+(?:(?:further|other|more|real|actual|direct|physical|verbal|point|"
                        r"time|stage)\W+)?$", re.IGNORECASE | re.ASCII)
# ... where the second term is a controller's act or a harm. Where it is something the person should have or do
# ("cannot access her account", "doesn't keep her wages", "no phone", "never paid", "not let out"), the absence is the
# sign itself.
_NEGATABLE_ACT = re.compile(r"lock|confin|shut in|kept (?:in|inside|locked)|beat|hit\b|punch|kick|slap|assault|attack|"
                            r"hurt|harm|injur|threat|forc|coerc|controll|abus|exploit|rape|us(?:e|es|ed|ing)\b|"
                            r"picked up|collect|dropp?", re.IGNORECASE)
# For rules marked negation_breaks, so does an answer in a checklist ("owed - none, came on a visa she bought
# herself"), but not a "no" that the words after it explain ("Passport - no, boss keeps it"), nor an answer after
# something the person should have ("Passport - none, boss holds it": none is the sign).
_ANSWER = re.compile(r"[-\u2013\u2014:]\s*(?:none|nil|negative)\s*[,)]", re.IGNORECASE)
_POSSESSION = re.compile(r"pas+ports?|ppts?|ids?|i\.d\.?|id cards?|documents?|docs?|papers|brps?|visas?|wages?|pay|"
                         r"money|earnings|phones?|mobiles?|(?:bank )?cards?|keys?", re.IGNORECASE)
# "No DV concerns", "not DA", "no indication of domestic abuse": a framing word so negated frames nothing.
_NEGATED_FRAMING = re.compile(r"\b(?:no|not|nil|non|nothing|without|denies|denied)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
# For rules marked negation_breaks, nor does a negation of the second term ("no fee to any agent, no debt",
# "no loans or debts", "no work, doesn't owe money"): a list of things that are absent.
_NEGATED_TAIL = re.compile(r"\b(?:no|not|never|nor|without|none|nobody|"
                           r"(?:doesn|don|didn|isn|wasn|aren|weren|hasn|haven|hadn)'?t)\W+(?:\w+\W+(?:or|and|nor)\W+)?$",
                           re.IGNORECASE | re.ASCII)


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


def term_regex(term: str) -> str:
    """A rule term as a standalone regex (between word boundaries)."""
    return rf"\b(?:{term})\b"


def group_regex(terms: Sequence[str]) -> str:
    """One regex for a whole term group (its terms as alternatives, between word boundaries)."""
    return r"\b(?:" + "|".join(f"(?:{t})" for t in terms) + r")\b"


def proximity_regex(rule: Rule) -> list[str]:
    """Regexes (one per allowed order) matching where *rule* can fire, for export to ``rg``
    (a superset: the engine also rejects a contrastive conjunction between the terms)."""
    gap = rf"(?:{_BREAK_CLASS}+[{_WORD_CHARS}]+){{0,{rule.within}}}{_BREAK_CLASS}+"
    a = "|".join(f"(?:{t})" for t in rule.a)
    b = "|".join(f"(?:{t})" for t in rule.b)
    out = [rf"\b(?:{a}){gap}(?:{b})\b"]
    if not rule.ordered:
        out.append(rf"\b(?:{b}){gap}(?:{a})\b")
    return out


def gap_ok(gap: str, within: int, negation_breaks: bool = False, first: str = "") -> bool:
    """Is *gap* (the text between two terms, the *first* term before it) a valid separation for a rule?"""
    if not gap or _BREAK_RX.search(gap) or _WORD.match(gap) or _WORD.match(gap[::-1]):
        return False
    if negation_breaks and _ANSWER.search(gap) and not _POSSESSION.fullmatch(first):
        return False
    words = _WORD.findall(gap)
    return len(words) <= within and not (
        words and (_CONTRAST.search(gap) or (negation_breaks and _NEGATED_TAIL.search(gap))))


class _Regex:
    """A pattern compiled for any text (case-insensitive, with *flags*: by default ASCII semantics like Hyperscan's)
    and, where it finds the same matches there (:func:`.pattern_analysis.lowercase_equivalent`),
    case-sensitively for lowercased ASCII text, which ``re`` searches several times faster.

    It is compiled when first searched: most of a library's patterns never match in a run, and
    compiling them all took longer than a small file's screening."""

    __slots__ = ("pattern", "flags", "any_text", "lowercased")

    def __init__(self, pattern: str, flags: int = _RX_FLAGS) -> None:
        self.pattern = pattern
        self.flags = flags
        self.any_text: re.Pattern[str] | None = None
        self.lowercased: re.Pattern[str] | None = None

    def compiled(self, text: str, lowered: str | None) -> tuple[re.Pattern[str], str]:
        """The compiled pattern to search, and the text to search it in; *lowered* is ``text.lower()`` if *text* is
        ASCII (offsets are the same in both)."""
        if self.any_text is None:
            # Two threads may both compile: the same objects either way.
            self.lowercased = (re.compile(self.pattern, self.flags & ~re.IGNORECASE)
                               if lowercase_equivalent(self.pattern, self.flags) else None)
            self.any_text = re.compile(self.pattern, self.flags)
        if lowered is not None and self.lowercased is not None:
            return self.lowercased, lowered
        return self.any_text, text

    def finditer(self, text: str, lowered: str | None, pos: int, endpos: int) -> Iterator[re.Match[str]]:
        """Matches in ``text[pos:endpos]``."""
        rx, subject = self.compiled(text, lowered)
        return rx.finditer(subject, pos, endpos)

    def search(self, text: str, lowered: str | None, pos: int, endpos: int) -> re.Match[str] | None:
        rx, subject = self.compiled(text, lowered)
        return rx.search(subject, pos, endpos)


class _CompiledRule:
    __slots__ = ("indicator", "rule", "rx_a", "rx_b")

    def __init__(self, indicator: Indicator, rule: Rule) -> None:
        self.indicator = indicator
        self.rule = rule
        self.rx_a = _group_rx(group_regex(rule.a))
        self.rx_b = _group_rx(group_regex(rule.b))


# One twin per term group in the process: a second Screener of the library compiles nothing, and rules sharing a
# group share its twin and so the occurrences found with it (cached per twin while a record is read).
_group_rx = cache(_Regex)


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentences of *text*: the spans between sentence breaks
    (``SENTENCE_BREAKS``), empty ones included, so that sentence *n* ends at the *n*-th break."""
    out = []
    s = 0
    for m in _BREAK_RX.finditer(text):
        out.append((s, m.start()))
        s = m.end()
    out.append((s, len(text)))
    return out


_UNREAD = object()  # a value not computed yet
_EXPLOITATION_SECTOR = 0.3  # the least weight of a sector sign that names where exploitation is found


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence of :func:`sentences` that holds ``text[pos]`` (the one ending there if
    it is a break)."""
    # A record's breaks are found once and looked up: a record's hits ask for their sentences many times, and searching
    # back from each of a long record's thousands of hits would take time in the square of its length.
    breaks = _breaks(text)
    i = bisect_left(breaks, pos)
    return (breaks[i - 1] + 1 if i else 0, breaks[i] if i < len(breaks) else len(text))


@lru_cache(maxsize=4)
def _breaks(text: str) -> list[int]:
    """Where *text*'s sentence breaks are, in order (kept for the few texts being read: a str keeps its hash)."""
    return [m.start() for m in _BREAK_RX.finditer(text)]


def rule_spans(
    text: str, rule: Rule, occ_a: list[tuple[int, int]], occ_b: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Spans where *rule* fires, given the occurrences of its two groups in one sentence (each list in order)."""
    within, breaks = rule.within, rule.negation_breaks
    found: list[tuple[int, int]] = []
    for a0, a1, candidates in _pairs(text, occ_a, occ_b, within, rule.ordered):
        for b0, b1 in candidates:
            # The first term is read only by negation-breaking rules (see gap_ok).
            if b0 >= a1:
                if gap_ok(text[a1:b0], within, breaks, text[a0:a1] if breaks else ""):
                    found.append(_pair_span(text, a0, a1, b0, b1))
            elif b1 <= a0 and not rule.ordered and gap_ok(text[b1:a0], within, breaks, text[b0:b1] if breaks else ""):
                found.append(_pair_span(text, b0, b1, a0, a1))
    return found


def _pair_span(text: str, first: int, first_end: int, second: int, second_end: int) -> tuple[int, int]:
    """The hit of a pair of terms: from the first to the end of the second, or the second alone where a negation
    between them negates it ("she was not locked in", "the boss has never beaten him"): the hit is then reported
    negated, as a negated phrase is. (Negation-breaking rules refuse such pairs in gap_ok.)"""
    gap = text[first_end:second]
    if (_NEGATABLE_ACT.match(text, second) and (_NEGATED_VERB.search(gap) or _NO_BEFORE.search(gap))
            and is_negated(text, second, second_end)):
        return (second, second_end)
    return (first, second_end)


_FEW_PAIRS = 64


def _pairs(text: str, occ_a: list[tuple[int, int]], occ_b: list[tuple[int, int]], within: int, ordered: bool):
    """``(a0, a1, occurrences of b to try with it)`` for each occurrence of a, b in order. In a long sentence with
    many occurrences only the b within *within* words of a are tried: gap_ok would count more words between the
    others and refuse them, and trying every pair would cost time in the cube of the sentence's length."""
    if len(occ_a) * len(occ_b) <= _FEW_PAIRS:
        for a0, a1 in occ_a:
            yield a0, a1, occ_b
        return
    low, high = min(occ_a[0][0], occ_b[0][0]), max(occ_a[-1][1], occ_b[-1][1])
    words = [m.start() for m in _WORD.finditer(text, low, high)]  # where each word of the stretch starts
    b_starts = [b0 for b0, _ in occ_b]
    b_ends = [b1 for _, b1 in occ_b]
    for a0, a1 in occ_a:
        before: list[tuple[int, int]] = []
        if not ordered:  # b ending by a0, with at most *within* words starting between
            first_word = bisect_left(words, a0) - within - 1
            lo = bisect_right(b_ends, words[first_word]) if first_word >= 0 else 0
            before = occ_b[lo:bisect_right(b_ends, a0)]
        # b starting from a1 up to the start of the (within + 1)-th word after it
        last_word = bisect_left(words, a1) + within
        hi = bisect_right(b_starts, words[last_word]) if last_word < len(words) else len(occ_b)
        yield a0, a1, before + occ_b[bisect_left(b_starts, a1):hi]


@dataclass(frozen=True, slots=True)
class _Matchers:
    gate: re2.Set  # which records hold a match of some pattern (a DFA, one call per record)
    locator: Any  # where in those records: the Hyperscan database, run once over the gate's records
    widths: tuple[int | None, ...]  # longest match of each pattern (None: unbounded)
    phrases: tuple[_Regex, ...]  # the Python twins of the phrase patterns, which come first


_MATCHERS: dict[tuple[tuple[str, ...], int], _Matchers] = {}
_MATCHERS_LOCK = threading.Lock()


def _matchers(patterns: tuple[str, ...], n_phrases: int) -> _Matchers:
    """The gate, the locator and the phrases' Python twins for *patterns* (phrases first), compiled
    once per process."""
    with _MATCHERS_LOCK:
        compiled = _MATCHERS.get((patterns, n_phrases))
        if compiled is None:
            options = re2.Options()
            options.case_sensitive = False
            options.max_mem = _GATE_MAX_MEM
            gate = re2.Set.SearchSet(options)
            for pattern in patterns:
                gate.Add(pattern)
            gate.Compile()
            widths = tuple(max_width(p) for p in patterns)
            twins = tuple(map(_Regex, patterns[:n_phrases]))
            compiled = _MATCHERS[patterns, n_phrases] = _Matchers(gate, _locator(patterns), widths, twins)
        return compiled


def _cache_dir() -> Path | None:
    """Where compiled matchers are kept between runs: $NAVIGATOR_CACHE_DIR, else the user's cache
    folder; None (no caching) for an account without a home."""
    configured = os.environ.get("NAVIGATOR_CACHE_DIR")
    if configured:
        return Path(configured)
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "navigator"
    home = os.path.expanduser("~")
    return None if home == "~" else Path(home) / ".cache" / "navigator"


def _locator(patterns: tuple[str, ...]) -> Any:
    """The Hyperscan database for *patterns*: compiling it takes seconds, loading it from the cache a
    millisecond, so it is compiled once per machine and library. A cached copy that does not match its
    SHA-256 or that Hyperscan refuses (another version or CPU) is compiled again and replaced."""
    folder = _cache_dir()
    if folder is None:
        return _compile_locator(patterns)
    identity = "\0".join([hyperscan.__version__, str(_FLAGS), *patterns]).encode("utf-8", "surrogatepass")
    path = folder / f"locator-{hashlib.sha256(identity).hexdigest()[:32]}.hsdb"
    try:
        stored = path.read_bytes()
        digest, serialised = stored[:32], stored[32:]
        if hashlib.sha256(serialised).digest() == digest:
            database = hyperscan.loadb(serialised, hyperscan.HS_MODE_BLOCK)
            hyperscan.Scratch(database)
            return database
    except (OSError, hyperscan.error):
        pass
    database = _compile_locator(patterns)
    serialised = hyperscan.dumpb(database)
    partial = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".locator-", delete=False) as partial:
            partial.write(hashlib.sha256(serialised).digest() + serialised)
        os.replace(partial.name, path)  # whole or not at all, whoever writes it at the same time
    except OSError:  # a read-only or full disk: compile on every run
        if partial is not None:
            Path(partial.name).unlink(missing_ok=True)
    return database


def _compile_locator(patterns: tuple[str, ...]) -> Any:
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[p.encode("utf-8") for p in patterns],
        ids=list(range(len(patterns))),
        elements=len(patterns),
        flags=[_FLAGS] * len(patterns),
    )
    return database


def reading(text: str) -> str:
    """*text* as the engine reads it: typographic apostrophes, quotes, hyphens and spaces as ASCII (see _TYPOGRAPHY),
    character for character."""
    return text if text.isascii() else text.translate(_TYPOGRAPHY)


# Spacing a record's layout adds: runs of spaces, tabs, and a line wrapped mid-sentence (a line break after a word or a
# comma, before a lowercase word), as fixed-width systems and copied PDFs write them. The matchers read each as the one
# space the patterns spell, and their matches are mapped back to the record's own offsets.
_LOOSE_SPACING = re.compile(r" {2,}[ \t]*|[ \t]*\t[ \t]*|(?<=[\w,])[ \t]*\r?\n[ \t]*(?=[a-z])")


def tightened(text: str) -> tuple[str, list[int] | None]:
    """*text* with each run of layout spacing (see _LOOSE_SPACING) read as one space, and the offset in *text* of each
    of its characters (None: nothing to tighten, the same text)."""
    if "  " not in text and "\t" not in text and "\n" not in text:
        return text, None
    pieces: list[str] = []
    origin: list[int] = []
    pos = 0
    for loose in _LOOSE_SPACING.finditer(text):
        pieces += (text[pos : loose.start()], " ")
        origin += range(pos, loose.start() + 1)
        pos = loose.end()
    if not pos:
        return text, None
    pieces.append(text[pos:])
    origin += range(pos, len(text))
    return "".join(pieces), origin


def untightened(raw: list[tuple[int, int, int]], origin: list[int] | None) -> list[tuple[int, int, int]]:
    """Matches in a tightened text as offsets in the record (see :func:`tightened`)."""
    if origin is None:
        return raw
    return [(eid, origin[start], origin[end - 1] + 1) for eid, start, end in raw]


def _utf8(text: str) -> bytes:
    """*text* as UTF-8 for the matchers; a lone surrogate (possible in JSON) becomes U+FFFD, which
    like it is three bytes long and neither a word, digit nor space character."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


class Screener:
    """Screens free-text police records against an indicator library.

    ``threshold`` is the score at which a record is flagged. Each indicator counts once
    per record (its weight), negated hits count nothing, and a record is flagged only if
    at least one *substantive* indicator (control, exploitation or explicit) counted:
    sector and context markers alone never flag. A record with some counted indicator but a
    score below the threshold is read once more by the wording model (:mod:`.wording`, on
    unless ``wording=False``): if its words read like potential modern slavery, the model's
    hit (the sentence that weighs most) adds its weight, as a control indicator would. A record
    the indicators flag, but by less than the held-back weight and with no sign that flags on
    its own, is read too: if its words read very unlike potential modern slavery (typically a
    concern checked and ruled out), the model's held-back hit (the sentence that weighs most
    against) subtracts its weight.

    A sign that coercive control between partners shows too (``coercive_control`` in the library)
    is in a partner's hands where each of its hits is (:meth:`_in_partners_hands`). A record whose
    only signs that flag are such signs, or whose only signs are such signs and which the model would
    promote, is read by the wording model's partner reading: if its words read more like domestic abuse
    than like modern slavery (probability below one half), the library's held-back hit for this reading
    (the sentence that weighs most against) is added and the record is held back, listed apart with
    the others the model held back; otherwise it is flagged (or promoted) as before. So is a record
    framed as domestic abuse whose signs flag nothing alone and which the model would promote, unless
    the library's ``child_victim`` words make the abused person a child or missing, or a sector sign
    names where exploitation is found. A partner who also sells, works or uses the person shows a sign
    of another kind and is flagged as before, and without the wording model (``wording=False``)
    nothing is held back.

    Raw matches, as passed to :meth:`evaluate`, are ``(evidence_id, start, end)``: evidence
    ids ``0 .. len(phrase_patterns) - 1`` are phrase patterns, the next ``len(rules)`` ids
    are the library's rules in order (see :attr:`phrase_patterns`, :attr:`rules`).

    Threads may share a Screener: each thread scans with a Hyperscan scratch of its own.
    """

    def __init__(
        self,
        library: Library | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        wording: WordingModel | bool = True,
    ) -> None:
        self.library = library if library is not None else load_library()
        # The learned second opinion (see .wording); True: the bundled model, False: indicators alone.
        self.wording: WordingModel | None = load_wording_model() if wording is True else (wording or None)
        self.threshold = float(threshold)
        self.batch_size = max(1, int(batch_size))
        phrases: dict[str, list[Indicator]] = {}
        rules: list[tuple[Indicator, Rule]] = []
        for ind in self.library.indicators:
            for p in ind.patterns:
                if has_anchor(p):
                    raise ValueError(f"indicator {ind.id}: anchors are not allowed in patterns: {p!r}")
                owners = phrases.setdefault(p, [])
                if ind not in owners:
                    owners.append(ind)
            for rule in ind.rules:
                for t in rule.a + rule.b:
                    if has_anchor(t):
                        raise ValueError(f"indicator {ind.id}: anchors are not allowed in rule terms: {t!r}")
                rules.append((ind, rule))
        # Evidence is grouped by the position of its indicator in the library: the order of
        # scoring and of the per-indicator hits.
        position = {ind.id: n for n, ind in enumerate(self.library.indicators)}
        self.phrase_patterns: tuple[str, ...] = tuple(phrases)
        self._owners: tuple[tuple[int, ...], ...] = tuple(
            tuple(position[ind.id] for ind in owners) for owners in phrases.values()
        )
        self._rule_owners: tuple[int, ...] = tuple(position[ind.id] for ind, _ in rules)
        n_phrases = len(self.phrase_patterns)
        self._rules = tuple(_CompiledRule(ind, rule) for ind, rule in rules)
        self.rules: tuple[Rule, ...] = tuple(r for _, r in rules)
        # The scan database: phrases, then every anchor term once; anchor terms name their rules.
        anchors: dict[str, list[int]] = {}
        for k, (_, rule) in enumerate(rules):
            for t in rule.b if rule.anchor else rule.a:
                lst = anchors.setdefault(term_regex(t), [])
                if not lst or lst[-1] != k:
                    lst.append(k)
        self._patterns = self.phrase_patterns + tuple(anchors)
        self._anchor_rules: tuple[tuple[int, ...], ...] = tuple(() for _ in range(n_phrases)) + tuple(
            tuple(v) for v in anchors.values()
        )
        self._n_phrases = n_phrases
        domestic = self.library.domestic
        self._partner = _any_of(domestic.partner)
        self._others = _any_of(domestic.others)
        self._framing = _any_of(domestic.framing)
        self._child_victim = _any_of(domestic.child_victim)
        self._unless = tuple(_one_of(ind.unless) for ind in self.library.indicators)
        self._unless_overlapping = tuple(_one_of(ind.unless_overlapping) for ind in self.library.indicators)
        matchers = _matchers(self._patterns, n_phrases)
        self._regexes = matchers.phrases
        # The binding's own Match, without its wrapper's type check: a million records call it a million times.
        self._gate_match = matchers.gate._set.Match
        self._locator = matchers.locator
        # How far before Hyperscan's first reported match end a match can start (None: anywhere).
        self._widths = matchers.widths
        self._threads = threading.local()  # per-thread scratch: Hyperscan refuses one scratch in two scans at once

    def _locate(self, data: bytes, on_match: Any) -> None:
        scratch = getattr(self._threads, "scratch", None)
        if scratch is None:
            scratch = self._threads.scratch = hyperscan.Scratch(self._locator)
        self._locator.scan(data, match_event_handler=on_match, scratch=scratch)

    # -- library access ----------------------------------------------------------
    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """The library's indicators, and when the wording model is on its two and the partner reading's hold-back."""
        if self.wording is None:
            return self.library.indicators
        return (*self.library.indicators, self.wording.indicator, *self.held_back_indicators)

    @property
    def held_back_indicators(self) -> tuple[Indicator, ...]:
        """The hits that say a record is held back: the wording model's and the partner reading's (none without the
        model)."""
        if self.wording is None:
            return ()
        partner = self.library.domestic.held_back
        return (self.wording.held_back,) if partner is None else (self.wording.held_back, partner)

    @property
    def version(self) -> str:
        """What the results depend on: the library's version, and the wording model's when it is on."""
        if self.wording is None:
            return self.library.version
        return f"{self.library.version} + wording {self.wording.version}"

    def export_patterns(self) -> list[str]:
        """Every phrase pattern, and each co-occurrence rule as proximity regexes.

        The syntax is the common subset of Hyperscan and Rust regex (case-insensitive), so
        the list can be given to ``rg -i -f``: it finds the lines the engine can find hits
        in (with ``rg``'s Unicode ``\\w`` instead of the engine's ASCII one).
        """
        out: list[str] = list(self.phrase_patterns)
        for rule in self.rules:
            out.extend(proximity_regex(rule))
        return list(dict.fromkeys(out))

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
        """Raw matches of a batch: ``[(record_index, [(evidence_id, start, end), ...]), ...]`` for
        the records with at least one, offsets in characters of that record's text."""
        readings = [tightened(reading(t)) for t in texts]
        encoded = [_utf8(t) for t, _ in readings]
        result = []
        for i, found in self.scan_encoded(encoded):
            text, origin = readings[i]
            raw = untightened(self.find_spans(text, found, len(encoded[i]) == len(text)), origin)
            if raw:
                result.append((i, raw))
        return result

    def scan_encoded(self, texts: Sequence[bytes]) -> list[tuple[int, dict[int, Any]]]:
        """The gate over each of *texts* (records' readings, see :func:`reading`, in UTF-8), then one Hyperscan call
        over those it let through.

        Returns candidates ``[(record_index, {pattern_id: [first_match_end, last_match_end]}), ...]``
        (anchor terms: ``{pattern_id: [match_ends]}``, or None where Hyperscan found none; offsets in bytes of
        the record's text), for :meth:`find_spans` to confirm.
        """
        gated = list(map(self._gate_match, texts))  # the ids of the patterns that match each record
        passed = list(compress(count(), gated))
        if not passed:
            return []
        ends: list[tuple[int, int]] = []
        append = ends.append

        def on_match(pid: int, start: int, end: int, flags: int, ctx: Any) -> None:
            append((end, pid))

        chosen = [texts[i] for i in passed]
        self._locate(SEPARATOR.join(chosen), on_match)
        starts = list(accumulate((len(t) + len(SEPARATOR) for t in chosen), initial=0))
        found = self._assign(ends, starts)
        # Hyperscan can miss a match the gate saw (a caseless UTF-8 pattern starting with \b, after some text: see
        # test_a_match_the_locator_misses_is_still_found): such a pattern is searched in the whole record.
        n_phrases = self._n_phrases
        for j, i in enumerate(passed):
            located = found.get(j)
            for pid in gated[i]:
                if located is None:
                    located = found[j] = {}
                if pid not in located:
                    located[pid] = None if pid >= n_phrases else [0, len(texts[i])]
        return [(passed[j], found[j]) for j in sorted(found)]

    def _assign(self, ends: list[tuple[int, int]], starts: list[int]) -> dict[int, dict[int, Any]]:
        """``{record: {pattern_id: [first end, last end]}}`` for phrases, ``{pattern_id: [ends]}``
        for anchor terms."""
        n_phrases = self._n_phrases
        candidates: dict[int, dict[int, Any]] = {}
        for end, pid in ends:
            i = bisect_right(starts, end - 1) - 1
            if i < 0:
                continue
            rel = end - starts[i]
            found = candidates.get(i)
            if found is None:
                found = candidates[i] = {}
            got = found.get(pid)
            if got is None:
                found[pid] = [rel] if pid >= n_phrases else [rel, rel]
            elif pid >= n_phrases:
                got.append(rel)
            elif rel < got[0]:
                got[0] = rel
            elif rel > got[1]:
                got[1] = rel
        return candidates

    def find_spans(
        self, text: str, pattern_ids: Iterable[int] | dict[int, Any], char_offsets: bool = False
    ) -> list[tuple[int, int, int]]:
        """Exact ``(evidence_id, start, end)`` matches in one text (a record's reading, see :func:`reading`), given
        the scan patterns Hyperscan reported for it.

        *pattern_ids* may map each phrase to the ends of its first and last Hyperscan matches
        and each anchor term to all its match ends (relative to the text, in bytes;
        ``char_offsets`` says they are also character offsets, i.e. the text is ASCII). Every
        ``re`` match of a phrase ends between those offsets, so for phrases of bounded width
        (never anchored) the search runs from ``first_end - max_width`` (``re``'s ``\\b``
        still sees the character before the start position) up to the end of the word at
        ``last_end``: ``\\b`` and ``\\B`` at that end position, which is followed by a
        non-word character or is the end of the text, mean the same as in the whole text,
        and any path that reads past it would end after ``last_end``, so ``re`` takes the
        same decisions and results are unchanged. Anchor terms select the rules to evaluate
        and, with exact offsets, the sentences to evaluate them in (a rule fires only inside
        a sentence that contains a match of one of its anchor terms).
        """
        regexes = self._regexes
        widths = self._widths
        n_phrases = self._n_phrases
        exact = char_offsets and isinstance(pattern_ids, dict)
        n = len(text)
        lowered = text.lower() if text.isascii() else None
        raw: list[tuple[int, int, int]] = []
        todo: dict[int, list[int] | None] = {}
        for pid in sorted(pattern_ids):
            if pid >= n_phrases:
                ends = pattern_ids[pid] if exact else None  # type: ignore[index]
                for k in self._anchor_rules[pid]:
                    if ends is None or k in todo and todo[k] is None:
                        todo[k] = None
                    else:
                        todo.setdefault(k, []).extend(ends)  # type: ignore[union-attr]
                continue
            rx = regexes[pid]
            if exact and widths[pid] is not None:
                first_end, last_end = pattern_ids[pid]  # type: ignore[index]
                pos = max(0, min(first_end, n) - widths[pid])  # type: ignore[operator]
                matches = rx.finditer(text, lowered, pos, _WORD_TAIL.match(text, min(last_end, n)).end())  # type: ignore[union-attr]
            else:
                matches = rx.finditer(text, lowered, 0, n)
            raw.extend((pid, m.start(), m.end()) for m in matches if m.end() > m.start())
        if todo:
            raw.extend(self._rule_matches(text, lowered, todo))
        return raw

    def _rule_matches(
        self, text: str, lowered: str | None, todo: dict[int, list[int] | None]
    ) -> list[tuple[int, int, int]]:
        """``(evidence_id, start, end)`` for every firing of the rules in *todo*, evaluated sentence by sentence (see
        :func:`sentences`). *todo* maps a rule to offsets in *text*: only the sentences holding the characters just
        before those offsets (anchor match ends) are looked at, or to None: all sentences. *lowered* is
        ``text.lower()`` if *text* is ASCII."""
        rules = self._rules
        every: list[tuple[int, int]] | None = None
        occ: dict[tuple[int, int], list[tuple[int, int]]] = {}
        out: list[tuple[int, int, int]] = []
        base = self._n_phrases
        n = len(text)
        for k in sorted(todo):
            cr = rules[k]
            ends = todo[k]
            if ends is None:
                if every is None:
                    every = sentences(text)
                which: Iterable[tuple[int, int]] = every
            else:
                which = sorted({sentence_at(text, e - 1) for e in ends if 0 < e <= n})
            first, second = (cr.rx_a, cr.rx_b) if cr.rule.anchor == 0 else (cr.rx_b, cr.rx_a)
            for s, e in which:
                got = []
                for rx in (first, second):
                    key = (id(rx), s)
                    o = occ.get(key)
                    if o is None:
                        o = occ[key] = [m.span() for m in rx.finditer(text, lowered, s, e) if m.end() > m.start()]
                    if not o:
                        break
                    got.append(o)
                else:
                    occ_a, occ_b = (got[0], got[1]) if cr.rule.anchor == 0 else (got[1], got[0])
                    out.extend((base + k, x, y) for x, y in rule_spans(text, cr.rule, occ_a, occ_b))
        return out

    def _named(self, text: str, sentence: tuple[int, int], named: dict[tuple[int, int], bool | None]) -> bool | None:
        """What ``text[slice(*sentence)]`` names: one of the others who exploit (a boss, an agent, clients ...: False),
        else a partner (True), else neither (None); kept in *named*, since a sentence holds many hits."""
        if sentence not in named:
            words = _encodable(text[sentence[0]:sentence[1]])
            named[sentence] = (False if self._others.search(words)  # type: ignore[union-attr]
                               else True if self._partner.search(words) else None)  # type: ignore[union-attr]
        return named[sentence]

    def _in_partners_hands(self, text: str, sentence: tuple[int, int], framed: list[bool],
                           named: dict[tuple[int, int], bool | None]) -> bool:
        """Is a hit in ``text[slice(*sentence)]`` about a partner? The sentence names a partner and none of the others
        who exploit, or names neither in a record framed as domestic abuse. *framed* holds whether the record is so
        framed once that has been read (the search is costly, and most signs' sentences name someone)."""
        partner = self._named(text, sentence, named)
        return partner if partner is not None else self._framed_as_domestic_abuse(text, framed)

    def _names_who_exploits(self, text: str, spans: list[tuple[int, int]],
                            named: dict[tuple[int, int], bool | None]) -> bool:
        """Does the sentence of one of these hits name one of the others who exploit? Documents held by such a person
        are the sign itself, however routine the rest of the record reads; documents held with nobody named are most
        often explained in the record."""
        return self._others is not None and any(
            self._named(text, _sentence_of(text, start, end), named) is False for start, end in spans)

    def _framed_as_domestic_abuse(self, text: str, framed: list[bool]) -> bool:
        """Does the record frame itself as domestic abuse? *framed* keeps the answer once read."""
        if not framed:
            framed.append(self._framing is not None and any(
                not _NEGATED_FRAMING.search(text, max(0, m.start() - 30), m.start())
                for m in self._framing.finditer(_encodable(text))))
        return framed[0]

    def evaluate(self, ref: Any, text: str, raw: list[tuple[int, int, int]]) -> ScreeningResult:
        """Score one record from its raw matches (character offsets)."""
        score, flagged, hits = self.score_hits(text, raw)
        return ScreeningResult(
            ref,
            score,
            flagged,
            tuple(Hit(ind_id, ind.category, start, end, text[start:end], neg) for start, end, ind_id, ind, neg in hits),
        )

    def score_hits(
        self, text: str, raw: list[tuple[int, int, int]]
    ) -> tuple[float, bool, list[tuple[int, int, str, Indicator, bool]]]:
        """What :meth:`evaluate` reports, without building result objects: the score, whether
        the record is flagged, and the hits as ``(start, end, indicator_id, indicator, negated)``
        in order of offsets.

        The record is read as the matchers read it (:func:`reading`, :func:`tightened`), so that negations and innocent
        explanations are found in a wrapped or unevenly spaced record as in its tidy twin; offsets in and out are the
        record's own."""
        text = reading(text)
        tight, origin = tightened(text)
        if origin is None:
            return self._score_read(text, raw)
        score, flagged, hits = self._score_read(tight, [
            (eid, bisect_left(origin, start), bisect_left(origin, end - 1) + 1) for eid, start, end in raw])
        return score, flagged, [(origin[start], origin[end - 1] + 1, ind_id, ind, negated)
                                for start, end, ind_id, ind, negated in hits]

    def _score_read(
        self, text: str, raw: list[tuple[int, int, int]]
    ) -> tuple[float, bool, list[tuple[int, int, str, Indicator, bool]]]:
        """:meth:`score_hits` of a record's reading."""
        owners = self._owners
        rule_owners = self._rule_owners
        n_phrases = self._n_phrases
        spans: dict[int, list[tuple[int, int]]] = {}
        for eid, start, end in raw:
            for k in owners[eid] if eid < n_phrases else (rule_owners[eid - n_phrases],):
                got = spans.get(k)
                if got is None:
                    spans[k] = [(start, end)]
                else:
                    got.append((start, end))
        indicators = self.library.indicators
        hits: list[tuple[int, int, str, Indicator, bool]] = []
        score = 0.0
        substantive = False
        strongest_sign = 0.0  # the largest weight of a counted sign (not a mention) that the model never holds back
        signs = 0  # the counted signs: substantive indicators that are not mentions
        ruled_out_alone = 0.0  # the largest weight of a counted sign that, as the only one, the model may hold back
        framed: list[bool] = []  # does the record frame itself as domestic abuse? (read when first needed)
        partners_only = False  # does a substantive sign count only in a partner's hands?
        workplace = False  # does a sector sign count that names where exploitation is found (a nail bar ...)?
        # Per sentence, what it names and whether an indicator's innocent explanation is in it: a long record of one
        # sentence can hold a thousand hits.
        named: dict[tuple[int, int], bool | None] = {}
        excused: dict[tuple[int, int], bool] = {}
        lowered = text.lower() if text.isascii() else None  # innocent explanations read it faster (see _Regex)
        for k in sorted(spans):
            ind = indicators[k]
            unless, overlapping = self._unless[k], self._unless_overlapping[k]
            counted = False
            counted_in: list[tuple[int, int]] = []  # the sentences of the indicator's counted hits
            excused.clear()
            read_sentences = unless is not None or (ind.coercive_control and self._partner is not None)
            found = [(start, end, False) for start, end in _merge(spans[k])] if overlapping is None else (
                _read_innocently(text, lowered, spans[k], overlapping))
            for start, end, innocent in found:
                sentence = _sentence_of(text, start, end) if read_sentences else (start, end)
                if unless is not None and sentence not in excused:
                    excused[sentence] = unless.search(text, lowered, *sentence) is not None
                negated = (innocent or is_negated(text, start, end, ind.kind == "explicit")
                           or (unless is not None and excused[sentence]))
                hits.append((start, end, ind.id, ind, negated))
                if not negated:
                    counted = True
                    counted_in.append(sentence)
            if counted:
                score += ind.weight
                # (Ordinary employment, a takeaway or a building site, weighs less: such a sector is not one.)
                workplace = workplace or ind.kind == "sector" and ind.weight >= _EXPLOITATION_SECTOR
                if not ind.mention and ind.substantive:
                    signs += 1
                    if ind.ruled_out_alone and not self._names_who_exploits(text, counted_in, named):
                        ruled_out_alone = max(ruled_out_alone, ind.weight)
                    else:
                        strongest_sign = max(strongest_sign, ind.weight)
                if (ind.coercive_control and self.wording is not None and self._partner is not None
                        and all(self._in_partners_hands(text, sentence, framed, named) for sentence in counted_in)):
                    partners_only = True
                    continue
                substantive = substantive or ind.substantive
        # Below the threshold the model could still promote the record: its signs are a partner's too, so the partner
        # reading decides first. So it does for a record framed as domestic abuse whose signs flag nothing (a caller's
        # age, a vulnerability), unless the abused person is a child or missing or works where exploitation is found
        # (a sector sign). (A record the model would not promote is not flagged either way, nor listed apart.)
        promotion: Any = _UNREAD  # the model's promotion of the record, read once
        if not substantive and self.wording is not None and score > 0 and (
                partners_only and score < self.threshold - 1e-9
                or not partners_only and not workplace and self._partner is not None):
            promotion = self.wording.promotion(text)
            partners_only = partners_only or (
                promotion is not None and self._framed_as_domestic_abuse(text, framed)
                and (self._child_victim is None or self._child_victim.search(_encodable(text)) is None))
        if partners_only and not substantive and (score >= self.threshold - 1e-9 or promotion is not None):
            span = self.wording.reads_as_domestic_abuse(text)  # type: ignore[union-attr]
            if span is None:
                substantive = score >= self.threshold - 1e-9
            else:
                held_back = self.library.domestic.held_back or self.wording.held_back  # type: ignore[union-attr]
                hits.append((span[0], span[1], held_back.id, held_back, False))
                score += held_back.weight
                hits.sort()
                return round(score, 3), False, hits
        if signs > 1:
            strongest_sign = max(strongest_sign, ruled_out_alone)
        if self.wording is not None and score > 0:
            # The model is read only where its opinion can change the outcome, and never holds back a sign that
            # flags a record on its own (confinement, violence, threats to family ...): a strong sign dismissed in
            # routine wording is what a navigator most needs to see. A mention of the subject or a team ("modern
            # slavery", "MSHT") is not such a sign: after a check that found nothing, the record reads like one. Nor is
            # a sign marked ruled_out_alone (documents held) when it is the record's only one and its sentences name
            # nobody who exploits: documents "held" with no boss or agent named are most often explained.
            if not (substantive and score >= self.threshold - 1e-9):
                learned = self.wording.indicator
                span = self.wording.promotion(text) if promotion is _UNREAD else promotion
            elif (score + self.wording.held_back.weight < self.threshold - 1e-9
                  and strongest_sign < self.threshold - 1e-9):
                learned, span = self.wording.held_back, self.wording.hold_back(text)
            else:
                span = None
            if span is not None:
                hits.append((span[0], span[1], learned.id, learned, False))
                score += learned.weight
                substantive = substantive or learned.substantive
        # (start, end, id) is unique: the spans of one indicator are merged, so the
        # indicators themselves are never compared.
        hits.sort()
        score = round(score, 3)
        return score, substantive and score >= self.threshold - 1e-9, hits


def _encodable(text: str) -> str:
    """*text* as RE2 can read it: a lone surrogate (possible in JSON) becomes U+FFFD, one character for one."""
    return text if text.isascii() or not _SURROGATE.search(text) else _SURROGATE.sub("\ufffd", text)


def _any_of(patterns: Sequence[str]) -> Any:
    """One RE2 regex for *patterns*, case-insensitive; None for none."""
    if not patterns:
        return None
    options = re2.Options()
    options.case_sensitive = False
    return re2.compile("|".join(f"(?:{p})" for p in patterns), options)


def _sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentences (see :func:`sentences`) that ``text[start:end]`` spans, as one span."""
    return sentence_at(text, start)[0], sentence_at(text, max(start, end - 1))[1]


def _read_innocently(text: str, lowered: str | None, spans: list[tuple[int, int]],
                     innocent: _Regex) -> list[tuple[int, int, bool]]:
    """An indicator's hits as ``(start, end, innocent)``, in order: the spans that a match of its *innocent* readings
    (``unless_overlapping``) overlaps are merged apart from the others and reported innocent, unless a hit that counts
    covers them too; so "her phone was locked in the safe" excuses itself, not "she was locked in" after it."""
    readings: dict[tuple[int, int], list[tuple[int, int]]] = {}
    excused, others = [], []
    for start, end in spans:
        sentence = _sentence_of(text, start, end)
        if sentence not in readings:
            readings[sentence] = [m.span() for m in innocent.finditer(text, lowered, *sentence)]
        (excused if _overlaps(readings[sentence], start, end) else others).append((start, end))
    counted = _merge(others) if others else []
    found = [(start, end, False) for start, end in counted]
    found += [(start, end, True) for start, end in (_merge(excused) if excused else [])
              if not _overlaps(counted, start, end)]
    return sorted(found)


def _overlaps(ordered: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does a span of *ordered* (spans that do not overlap, in order) overlap ``[start, end)``? A long record can hold
    thousands of hits, so it is looked up, not searched."""
    first = bisect_right(ordered, (start, start))  # the first span starting after start, or at it with an end past it
    return (first < len(ordered) and ordered[first][0] < end) or (first > 0 and ordered[first - 1][1] > start)


def _one_of(patterns: Sequence[str]) -> _Regex | None:
    """One Python regex for an indicator's innocent explanations (which may use lookarounds), case-insensitive; None
    for none."""
    return _Regex("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping spans (Hyperscan reports every end offset of a match)."""
    spans = sorted(spans)
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start < last_end:
            if end > last_end:
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged
