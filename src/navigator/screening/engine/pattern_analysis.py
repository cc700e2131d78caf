"""Analysis of indicator patterns for the screening engine.

:func:`has_anchor` finds anchors (^, $ ...), which the engine refuses; :func:`max_width` says
how far before a reported match end a match can start; :func:`lowercase_equivalent`, whether
a pattern may run case-sensitively over lowercased text; :func:`choose_anchor`, the rarer
group of a co-occurrence rule. They work on Python's own parse tree of the regex
(``re._parser``) and are conservative: what they do not understand counts against a pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

try:  # Python >= 3.11
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]


@cache  # a library's few thousand patterns, checked by every Screener
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


def _caseless(char: str) -> bool:
    return char.lower() == char.upper() == char.casefold() == char


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
        if lo == hi and lo >= 0x80 and _caseless(chr(lo)):
            return True  # a character without case (a dash, '£') matches itself alone under any folding
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

