"""Analysis of indicator patterns for the screening engine.

* Required literal factors (:func:`factor_sets`, :func:`required_factors`): lowercase
  literal strings one of which every case-insensitive match of a pattern contains. They
  decide where the Hyperscan gate may scan for a cheaper stand-in of a pattern
  (:func:`gate_pattern`).
* Anchors and match widths (:func:`has_anchor`, :func:`max_width`), which say whether raw
  JSON Lines can be scanned in place and how far before a reported match end a match can
  start; :func:`lowercase_equivalent`, whether a pattern may run case-sensitively over
  lowercased text; :func:`choose_anchor`, the rarer group of a co-occurrence rule.

The factors are not used as a literal prefilter in front of the full Hyperscan database
(literals over a whole block, the full patterns only on records holding one): measured on
the benchmark corpus, 99.8% of records hold a factor of some pattern, and a database of
the factor literals scans no faster than the full database.

The factor analysis works on Python's own parse tree of the regex (``re._parser``) and is
deliberately conservative: anything it does not understand yields "no factor".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import product

try:  # Python >= 3.11
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MAX_SET = 1024  # largest literal set kept while expanding alternatives
MIN_FACTOR_LEN = 3  # a factor set whose shortest string is shorter is not worth using


class _Exact:
    """A node that matches exactly one of a finite set of strings."""

    __slots__ = ("strings",)

    def __init__(self, strings: frozenset[str]) -> None:
        self.strings = strings


# Factors made only of these very common words (and spaces) are poor filters.
_COMMON = frozenset(
    "a an and are as at be been being by did do does for from had has have he her him his i in into is it its"
    " me my no not of on or our over she so than that the their them then there they this to up us was we were"
    " what when which who will with would you".split()
)


def _common(s: str) -> bool:
    words = s.split()
    return len(words) <= 1 and (not words or words[0] in _COMMON)


def _score(factor: frozenset[str] | None) -> tuple[int, int, int]:
    if not factor:
        return (-1, 0, 0)
    common = sum(_common(s) for s in factor)
    shortest = min(len(s.strip()) for s in factor)
    return (-common, min(shortest, 10), -len(factor))


def minimal(factor: frozenset[str]) -> frozenset[str]:
    """Drop strings that contain another string of the set (it is then redundant)."""
    keep: list[str] = []
    for s in sorted(factor, key=len):
        if not any(k in s for k in keep):
            keep.append(s)
    return frozenset(keep)


def _best(*factors: frozenset[str] | None) -> frozenset[str] | None:
    best = None
    for f in factors:
        if f and (best is None or _score(f) > _score(best)):
            best = f
    return best


def _low(code: int) -> str:
    ch = chr(code)
    return ch.lower() if ch.isascii() else ch  # re.ASCII folds ASCII letters only


def _in_class(av) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, val in av:
        if op is _c.LITERAL:
            chars.add(_low(val))
        elif op is _c.RANGE:
            lo, hi = val
            if hi - lo > 26:
                return None
            chars.update(_low(x) for x in range(lo, hi + 1))
        else:  # NEGATE, CATEGORY ...
            return None
    return frozenset(chars)


def _analyse(items, found: list[frozenset[str]]) -> _Exact | None:
    """Exact strings of the sequence (or None); appends required factor sets to *found*.

    Every set appended is *required*: any match of the sequence contains one of its strings.
    """
    run: frozenset[str] | None = frozenset({""})
    all_exact = True
    for op, av in items:
        exact: frozenset[str] | None = None
        if op is _c.LITERAL:
            exact = frozenset({_low(av)})
        elif op is _c.IN:
            exact = _in_class(av)
        elif op is _c.AT:
            if av in (_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY):
                continue  # zero-width: does not change the strings matched
            all_exact = False
            break  # anchors: be conservative, stop here
        elif op is _c.SUBPATTERN:
            e = _analyse(av[-1], found)
            exact = e.strings if e is not None else None
        elif op is _c.BRANCH:
            alts = []
            for b in av[1]:
                sub: list[frozenset[str]] = []
                e = _analyse(b, sub)
                alts.append((e, _best(*sub)))
            if all(e is not None for e, _ in alts):
                union = frozenset().union(*(e.strings for e, _ in alts))  # type: ignore[union-attr]
                exact = union if len(union) <= MAX_SET else None
            if exact is None:
                # a required factor of the branch: each alternative must contribute one
                parts = []
                for e, f in alts:
                    cand = _best(f, e.strings if e is not None else None)
                    if not cand or min(len(x) for x in cand) == 0:
                        break
                    parts.append(cand)
                else:
                    merged = frozenset().union(*parts)
                    if len(merged) <= MAX_SET:
                        found.append(merged)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, sub_items = av
            inner: list[frozenset[str]] = []
            e = _analyse(sub_items, inner)
            if lo >= 1:
                found.extend(inner)
            if e is not None and hi != _c.MAXREPEAT and hi <= 2:
                strings: set[str] | None = {""} if lo == 0 else set()
                acc = {""}
                for k in range(1, hi + 1):
                    acc = {a + b for a in acc for b in e.strings}
                    if len(acc) > MAX_SET:
                        strings = None
                        break
                    if k >= lo:
                        strings.update(acc)  # type: ignore[union-attr]
                exact = frozenset(strings) if strings is not None else None
            elif e is not None and lo >= 1:
                found.append(e.strings)
        else:
            all_exact = False
            break  # unknown construct: stop (what we found so far is still required)
        if exact is not None and run is not None:
            if len(run) * len(exact) <= MAX_SET:
                run = frozenset(a + b for a, b in product(run, exact))
                continue
            found.append(run)  # too many combinations: keep what we had, restart
            all_exact = False
            run = exact
            continue
        all_exact = False
        if run is not None:
            found.append(run)
        run = exact if exact is not None else frozenset({""})
    if run is not None:
        found.append(run)
    return _Exact(run) if all_exact and run is not None else None


def _usable(factor: frozenset[str]) -> bool:
    return bool(factor) and min(len(x.strip()) for x in factor) >= MIN_FACTOR_LEN and not any(map(_common, factor))


def factor_sets(pattern: str, limit: int = 3) -> list[frozenset[str]]:
    """Up to *limit* required literal sets of *pattern*, best first (all must occur)."""
    try:
        tree = _p.parse(pattern, re.IGNORECASE | re.ASCII)
    except re.error:
        return []
    found: list[frozenset[str]] = []
    _analyse(list(tree), found)
    good = {minimal(f) for f in found if _usable(f)}
    return sorted(good, key=lambda f: (_score(f), sorted(f)), reverse=True)[:limit]


def required_factors(pattern: str) -> frozenset[str] | None:
    """Lowercase literals one of which every case-insensitive match contains, or None."""
    sets = factor_sets(pattern, 1)
    return sets[0] if sets else None


def _has_open_repeat(items) -> bool:
    for op, av in items:
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            if _analyse(sub, []) is None:  # repeat of something that is not a finite string set
                return True
            if _has_open_repeat(sub):
                return True
        elif op is _c.SUBPATTERN:
            if _has_open_repeat(av[-1]):
                return True
        elif op is _c.BRANCH:
            if any(_has_open_repeat(b) for b in av[1]):
                return True
    return False


def is_expensive(pattern: str) -> bool:
    """Does the pattern repeat a character class or word (``(?:\\w+ ){0,3}``, ``\\d+`` ...)?

    Such bounded/unbounded repeats are what makes a combined Hyperscan database slow.
    """
    try:
        return _has_open_repeat(list(_p.parse(pattern, re.IGNORECASE | re.ASCII)))
    except re.error:
        return False


_QUANTIFIER = re.compile(r"(?:[?*+]|\{\d*(?:,\d*)?\})\??")


def _atom_end(pattern: str, i: int) -> int:
    """End of the atom (escape, character class, group or character) starting at *i*."""
    if pattern[i] == "\\":
        return i + 2
    if pattern[i] == "[":
        j = i + 1
        j += pattern.startswith("^", j)
        j += pattern.startswith("]", j)
        while pattern[j] != "]":
            j += 2 if pattern[j] == "\\" else 1
        return j + 1
    if pattern[i] == "(":
        depth = 0
        j = i
        while True:
            if pattern[j] in "\\[":
                j = _atom_end(pattern, j)
                continue
            depth += {"(": 1, ")": -1}.get(pattern[j], 0)
            j += 1
            if depth == 0:
                return j
    return i + 1


def _items(pattern: str) -> list[str] | None:
    """The top-level items (atoms with their quantifiers) of *pattern*, unquantified
    non-capturing groups opened up; None if it has a top-level alternation."""
    items: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "|":
            return None
        j = _atom_end(pattern, i)
        m = _QUANTIFIER.match(pattern, j)
        item = pattern[i : m.end() if m else j]
        inner = _items(item[3:-1]) if item.startswith("(?:") and item.endswith(")") else None
        items.extend(inner if inner is not None else [item])
        i += len(item)
    return items


def gate_pattern(pattern: str) -> str:
    """A stand-in for *pattern* in the Hyperscan gate that is cheaper to scan for, or
    *pattern* itself: for a pattern whose only open repeat (see :func:`is_expensive`) is a
    top-level gap of any words that may be empty (``(?:\\w+ ){0,2}``), the part after the gap.

    Every match of *pattern* ends with a match of that part, at the same offset, so the
    stand-in reports a superset of the pattern's match ends. It is only used when the part
    before the gap is a finite set of literal strings and the part after it holds the whole
    pattern's best literal factor (:func:`required_factors`): the factor analysis then has
    weighed all the evidence dropped, so the stand-in is about as rare in text as the
    pattern (``\\d[\\d,]* cash`` keeps its digits). The split into items must be confirmed
    by Python's parser (each item one element, as many elements as items).
    """
    try:
        items = _items(pattern)
        if items is None or len(_p.parse("".join(items), re.IGNORECASE | re.ASCII)) != len(items):
            return pattern
        if any(len(_p.parse(item, re.IGNORECASE | re.ASCII)) != 1 for item in items):
            return pattern
    except (IndexError, re.error):
        return pattern
    open_items = [k for k, item in enumerate(items) if is_expensive(item)]
    if len(open_items) != 1 or _p.parse(items[open_items[0]], re.IGNORECASE | re.ASCII).getwidth()[0] != 0:
        return pattern
    gap = open_items[0]
    if _analyse(list(_p.parse("".join(items[:gap]), re.IGNORECASE | re.ASCII)), []) is None:
        return pattern
    rest = "".join(items[gap + 1 :])
    factor = required_factors(rest)
    return rest if factor and factor == required_factors(pattern) else pattern


def has_anchor(pattern: str) -> bool:
    """Does the pattern use ^, $, \\A or \\Z (whose meaning depends on what surrounds a text)?"""
    def walk(items) -> bool:
        for op, av in items:
            if op is _c.AT and av not in (_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY):
                return True
            if op is _c.SUBPATTERN and walk(av[-1]):
                return True
            if op is _c.BRANCH and any(walk(b) for b in av[1]):
                return True
            if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and walk(av[2]):
                return True
            if op in (_c.ASSERT, _c.ASSERT_NOT, _c.ATOMIC_GROUP):
                return True
        return False

    try:
        return walk(list(_p.parse(pattern, re.IGNORECASE | re.ASCII)))
    except re.error:
        return True


_UPPER_A, _UPPER_Z = ord("A"), ord("Z")


def lowercase_equivalent(pattern: str, flags: int) -> bool:
    """Does *pattern*, compiled with *flags* minus ``re.IGNORECASE``, find in lowercased ASCII
    text exactly the matches that *pattern* with *flags* finds in the text itself?

    It does when no literal, class member or range names an uppercase letter and no inline
    flag changes a part's case handling (``\\w``, ``\\b``, ``\\s`` ... are case-neutral).
    Without ``re.ASCII``, case folding is Unicode's ('ı' matches 'I'): literals and ranges
    must then be ASCII too. Case-sensitive ``re`` is several times faster, as it does not
    fold every character it compares.
    """
    ascii_folding = bool(flags & re.ASCII)

    def lowercase(lo: int, hi: int) -> bool:
        return (hi < _UPPER_A or lo > _UPPER_Z) and (ascii_folding or hi < 0x80)

    def walk(items) -> bool:
        for op, av in items:
            if op in (_c.LITERAL, _c.NOT_LITERAL):
                if not lowercase(av, av):
                    return False
            elif op is _c.IN:
                for item_op, item in av:
                    if item_op is _c.LITERAL:
                        if not lowercase(item, item):
                            return False
                    elif item_op is _c.RANGE:
                        if not lowercase(*item):
                            return False
                    elif item_op not in (_c.NEGATE, _c.CATEGORY):
                        return False
            elif op is _c.SUBPATTERN:
                _, add_flags, del_flags, sub = av
                if add_flags or del_flags or not walk(sub):
                    return False
            elif op is _c.BRANCH:
                if not all(walk(b) for b in av[1]):
                    return False
            elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
                if not walk(av[2]):
                    return False
            elif op in (_c.ASSERT, _c.ASSERT_NOT):
                if not walk(av[1]):
                    return False
            elif op is _c.ATOMIC_GROUP:
                if not walk(av):
                    return False
            elif op not in (_c.AT, _c.ANY, _c.CATEGORY, _c.GROUPREF):
                return False
        return True

    try:
        tree = _p.parse(pattern, flags)
    except re.error:
        return False
    return walk(list(tree))


def max_width(pattern: str) -> int | None:
    """Longest possible match in characters, or None when unbounded."""
    try:
        hi = _p.parse(pattern, re.IGNORECASE | re.ASCII).getwidth()[1]
    except re.error:
        return None
    return None if hi >= _c.MAXREPEAT else int(hi)


def group_frequency(terms: Iterable[str], texts: Iterable[str]) -> int:
    """In how many of *texts* does any of *terms* occur (between word boundaries)?"""
    rx = re.compile(r"\b(?:" + "|".join(f"(?:{t})" for t in terms) + r")\b", re.IGNORECASE | re.ASCII)
    return sum(1 for t in texts if rx.search(t))


def choose_anchor(a: Sequence[str], b: Sequence[str], texts: Sequence[str]) -> int:
    """The rule group (0 for *a*, 1 for *b*) that occurs in fewer of *texts*.

    *texts* should be ordinary police text without indicators (the labelled negatives and
    the routine narrative of the benchmark): every record containing a term of the anchor
    group goes through exact matching, so the anchor must be rare there. Ties go to *a*.
    """
    return 1 if group_frequency(b, texts) < group_frequency(a, texts) else 0

