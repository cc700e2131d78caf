"""Negation and hedging scope for indicator hits.

A hit is *negated* when, inside its own clause, it is preceded by a negation or hedge
("no signs of", "nothing to suggest", "denied", "not believed to be" ...) or is followed
closely by a retraction ("... ruled out", "... unfounded", "... she said no").

Scope rules (deliberately simple and explainable):

* The clause is bounded by sentence punctuation, a line break, or a contrastive
  conjunction (but / however / although / though / whereas / yet), and looked at for at
  most ``WINDOW`` characters before the hit.
* Strong cues (multi-word negations, denials, hedges) negate anywhere after them in that clause, up to ", and" or
  ", while" beginning a new statement.
* Bare negators (no, not, never, without, -n't ...) negate only within four words
  before the hit and not across a comma or "and".
* Retractions after the hit count only within ``POST_WINDOW`` characters, in the
  same clause.
* A checklist question answered bare no ("asked if anyone holds his passport - no") negates
  what it asked about, unless it asked after what protects the person ("asked if he is paid
  - no").
"""

from __future__ import annotations

import re

WINDOW = 160
POST_WINDOW = 60

_CLAUSE_BREAK = r"[.;!?\n\r|]|\b(?:but|however|although|though|whereas|yet|except)\b"
# "or" before a new subject starts a new clause ("cannot go out or they beat him"); before a noun it joins
# what the negator covers ("no labour or sexual exploitation").
_WEAK_BREAK = r"[,(]|\band\b|\bor(?= (?:else|they|he|she|we|i|you|it|the (?:boss|man|men))\b)|\bthen\b"

_DENY_FOLLOW_EXCLUDE = (
    r"(?!(?:her |him |them |the ip |ip )?"
    r"(?:food|water|medical|access|treatment|breaks?|rest|sleep|pay|wages|contact|entry|bail))"
)
_NEGATED_NOUNS = (
    "signs?|evidence|indications?|indicators?|concerns?|suggestions?|suspicions?|"
    "reason to (?:believe|suspect|think)|disclosures?|information|intel(?:ligence)?|intell?|grounds|"
    "issues?|allegations?|reports?|mention|trace"
)
_STRONG_PARTS = [
    r"\b(?:no|nil|not any|without any|absence of|lack of|there (?:is|was|were|are) no)\s+(?:\w+\s+){0,3}?"
    rf"(?:{_NEGATED_NOUNS})\b",
    r"\bnothing (?:to (?:suggest|indicate|show|say)|(?:suggest|indicat)(?:s|ed|ing)|further to suggest|untoward)\b",
    r"\bnot (?:believed|thought|considered|felt|suspected|deemed|assessed|judged|likely|known|at risk"
    r"|a victim|an? (?:potential )?victim)\b",
    r"\b(?:unlikely|no longer|disproved|disproven|ruled out|unfounded|unsubstantiated|no truth)\b",
    r"\bfalse (?:report|allegation|claim)s?\b",
    r"\b(?:denie[sd]|deny|denying|refute[sd]?|refuting)\b" + _DENY_FOLLOW_EXCLUDE,
    r"\b(?:did not|didn't|does not|doesn't|do not|don't|would not|wouldn't) "
    r"(?:disclose|report|mention|say|state|suggest|indicate|allege)\b",
    r"\b(?:satisfied|confirmed|established|clear) (?:that )?(?:there (?:is|was|were) )?(?:no|not)\b",
    r"\bno (?:ms|msht|cse|cce|exploitation|trafficking|slavery|safeguarding)\b",
]
_STRONG = "|".join(_STRONG_PARTS)
# "no" as an answer ("if he says no they take his money") negates nothing that follows, nor does a negator that is a
# sign's own wording ("would not let her leave until she paid off her debt", "could not stop working until ..."); a rule
# stated ("staff are not permitted to hold workers' passports") still negates what it forbids.
_WEAK = (
    r"\b(?<!says )(?<!said )(?<!say )(?<!saying )"
    r"(?:no|not|never|nor|nil|neither|none|nobody|noone|no-one|without|cannot|can't|isn't|wasn't|weren't|aren't|didn't|doesn't|"
    r"don't|hasn't|haven't|hadn't|won't|wouldn't|couldn't|shouldn't)\W+(?!(?:let (?:her|him|them|me|us)|stop)\b)"
    r"(?:[\w'/-]+\W+){0,3}$"
)
_POST_PARTS = [
    r"^\W{0,4}(?:[\w'/-]+\W+){0,4}?(?:(?:was|were|is|has been|have been|had been)\s+)?"
    r"(?:ruled out|unfounded|unsubstantiated|disproved|disproven|denied|none|nil|negative|n/a|no concerns?"
    r"|not (?:substantiated|the case|true|confirmed|believed|found|present|identified))\b",
    r"^\W{0,4}(?:[\w'/-]+\W+){0,6}?(?:said|stated|says|states|replied|answered|responded|confirmed) "
    r"(?:that )?(?:no|not|none)\b",
    # A check's outcome ("cuckooing checklist completed - not indicated"), only after the check's own words.
    r"^\W{0,4}(?:(?:checklist|screening|assessment|tool|risk|concerns?|completed|assessed|considered)\W+){0,3}"
    r"not indicated\b",
]
_POST = "|".join(_POST_PARTS)
# A checklist question answered no: "Asked if anyone held his papers - no", "asked about debts: none". The
# question is in the clause before the hit, the answer after it, and bare ("- no reply", "- no idea" answer nothing).
# (Whitespace and words alternate in _ASKED, so that no run of characters can be split two ways.)
_ASKED = r"\basked\b(?:\s+\S+){0,3}?\s+(?:if|whether|about)\b"
_ANSWERED_NO = r"[-\u2013\u2014:]\s*(?:no|none|nil|negative|denie[sd])\s*(?:[,)!]|$)"
# ... unless the question asks after what protects the person, where "no" is the sign: "asked if he was paid for
# the 16-hour shifts - no", "asked if he keeps his passport himself - no".
_ASKED_PROTECTION = (r"\b(?:paid|pays?|paying|wages?|salary|own|himself|herself|themselves|free|freely|allowed|"
                     r"permitted|able)\b|\b(?:he|she|they|ip|v|vic|victim|the (?:worker|victim|ip|male|female))"
                     r" (?:\w+ )?(?:has|have|had|can|could|holds?|keeps?)\b")
# A question and its answer written out: "Q: Has anyone threatened you or your family? A: No." The answer negates what
# the question asked about, unless it asked after what protects the person ("Q: Are you paid? A: No").
_QUESTION_ANSWERED_NO = re.compile(
    r"[^.!?\n\r|,;]{0,60}?\?\s*(?:a|ans|answer)\s*[:.)\-\u2013]\s*[\x22'\u2018\u201c]?"
    r"(?:no|none|nil|never|nobody|no one)\b(?![\w ]{0,3}(?:but|except)\b)", re.IGNORECASE)
# ... only a question marked as one ("Q:", "Q3."), whose words run straight from the hit to its question mark.
_QUESTION_MARK = re.compile(r"(?<!\w)q\s*\d{0,2}\s*[:.)]", re.IGNORECASE)
# A screening checklist answered no: "the standard questions about being made to work, held against her will or
# threatened were asked and answered 'no'", "asked the standard questions about debts and threats; none disclosed".
_CHECKLIST = re.compile(r"\bquestions? (?:about|on|re|regarding|around)\b", re.IGNORECASE)
_CHECKLIST_ANSWERED_NO = re.compile(
    r"[^.!?\n\r|]{0,300}?(?:\b(?:answered|all|replied|responded)\W{0,4}(?:no|none|negative|in the negative)\b"
    r"|\b(?:none|nothing|no one|nobody|no-one) (?:disclosed|was disclosed|were disclosed|reported)\b"
    r"(?! to| before| previously))",
    re.IGNORECASE)
# What the person said in answer is not the checklist's topic: "asked questions about her work and said she works 14
# hours a day", "asked the standard questions about her situation: the man who brought her takes all her wages".
_CHECKLIST_ANSWER_GIVEN = re.compile(
    r"[:]|\b(?:said|says|stated|states|told|tells|explained|disclosed|replied|answered|reported|described)\b",
    re.IGNORECASE)


def _answered_no_in_writing(text: str, start: int, end: int, clause_start: int) -> bool:
    """Is the hit ``text[start:end]`` part of a question answered no in a Q and A, or of a checklist whose
    questions were all answered no?"""
    # Only the hit's neighbourhood is read: a long record can hold thousands of hits.
    answer = _QUESTION_ANSWERED_NO.match(text, end) if "?" in text[end:end + 61] else None
    if answer is not None and _QUESTION_MARK.search(text, clause_start, start):
        question = text[clause_start:answer.start() + answer.group().index("?")]
        return not re.search(_ASKED_PROTECTION, question, re.IGNORECASE)
    low = max(0, start - WINDOW)
    if "uestion" not in text[low:start]:
        return False
    sentence_start = max(text.rfind(ch, low, start) for ch in ".!?\n\r|") + 1
    checklist = _CHECKLIST.search(text, max(sentence_start, low), start)
    return (checklist is not None and not _CHECKLIST_ANSWER_GIVEN.search(text, checklist.end(), start)
            and _CHECKLIST_ANSWERED_NO.match(text, end) is not None)


# After a reference to a procedure or team only ("NRM not required", "MSHT consulted: no indicators"): after a sign,
# such words are about something else ("interpreter not required", "no indicators of drug use").
_PROCEDURE_POST = (
    r"^\W{0,4}(?:[\w'/-]+\W+){0,3}?(?:(?:was|were|is|has been|have been|had been)\s+)?"
    r"(?:not (?:required|needed|necessary|warranted|met|indicated|appropriate|applicable)|no indicators?)\b"
)


# Every cue above and below starts with one of these word beginnings or contains "n't" /
# "n/a" (case-insensitively): a clause without any of them cannot negate, which one cheap
# search decides before the full patterns run. It runs on lowercased ASCII text (without
# re.IGNORECASE, which is much slower); on ASCII text that is the same case-insensitivity.
# The word beginnings are grouped by first letter and "\b" is spelled as "not after a
# (lowercase ASCII) word character", which the regex engine tries faster at each position.
_ANY_CUE = re.compile(
    r"(?<![0-9a-z_])(?:n(?:o|il|ever|either|egative)|without|cannot|un(?:likely|founded|substantiated)|"
    r"d(?:isprov|eni|eny)|r(?:uled out|efut)|false|absence|lack|o(?:wn|urselves)|independent|self|"
    r"h(?:erself|imself)|themselves|myself)"
    r"|n't|n/a"
)
# The contrastive conjunctions of _LAST_CONJUNCTION ("although" holds "though"), to skip it
# when none occurs (in lowercased ASCII text).
_CONJUNCTION_WORDS = ("but", "however", "though", "whereas", "yet", "except")

# Self-possession contradicts control: "holds her own passport", "keeps his own wages"
# (in the hit or just after it), "works independently", "self-employed", "works for
# herself" (anywhere in the clause). "on her own" is not possession ("never left on her own").
# Log shorthand drops the possessive: "ALL HOLD OWN DOCS", "paid into own account".
_OWNER = r"(?:her|his|their|my|our|your|holds?|held|holding|keeps?|kept|into)"
_OWN = re.compile(rf"(?<!\bon )\b{_OWNER} own\b", re.IGNORECASE)
_OWN_AFTER = re.compile(rf"^\W{{0,4}}(?:[\w'/-]+\W+){{0,2}}?(?<!\bon ){_OWNER} own\b", re.IGNORECASE)
# ... unless the possession itself is denied: "has no access to his own money", "is not allowed
# her own phone" describe control, not self-possession.
_DENIED_BEFORE = re.compile(
    r"\b(?:no|not|never|without|cannot|can't|unable|denied|lacks?|n't)\b(?:\W+[\w']+){0,3}\W+$", re.IGNORECASE
)
_INDEPENDENT = r"\b(?:independent(?:ly)?|self[- ]employed|for (?:herself|himself|themselves|myself|ourselves))\b"

_BREAK_CHARS = ".;!?\n\r|"
# A strong cue covers what follows it in its clause, up to ", and" or ", while" beginning a new statement ("no signs of
# exploitation, and the boss keeps her passport"): "no evidence that he is paid or that he can leave" stays covered.
_NEW_STATEMENT = r",\s*(?:and|while|whilst)\b"
_LAST_CONJUNCTION = r"(?s).*\b(?:but|however|although|though|whereas|yet|except)\b"


class _ClausePatterns:
    """The patterns that read a hit's clause, compiled with *flags*."""

    SOURCES = {
        "clause_break": _CLAUSE_BREAK,
        "weak_break": _WEAK_BREAK,
        "strong": _STRONG,
        "weak": _WEAK,
        "post": _POST,
        "procedure_post": _PROCEDURE_POST,
        "asked": _ASKED,
        "answered_no": _ANSWERED_NO,
        "asked_protection": _ASKED_PROTECTION,
        "independent": _INDEPENDENT,
        "last_conjunction": _LAST_CONJUNCTION,
        "new_statement": _NEW_STATEMENT,
    }
    __slots__ = tuple(SOURCES)

    def __init__(self, flags: int) -> None:
        for name, source in self.SOURCES.items():
            setattr(self, name, re.compile(source, flags))


# Case-insensitive for any clause; case-sensitive for a lowercased ASCII one, where they find
# the same matches (no pattern names an uppercase letter: pattern_analysis.lowercase_equivalent,
# checked by a test) several times faster.
_ANY_CLAUSE = _ClausePatterns(re.IGNORECASE)
_LOWERCASED_CLAUSE = _ClausePatterns(0)


def _self_possession(text: str, start: int, end: int, after: str) -> bool:
    """Does "her own ..." in the hit or just after it say the person keeps the thing themselves?"""
    m = _OWN.search(text, start, end)
    if m is not None:
        return not _DENIED_BEFORE.search(text, max(0, m.start() - WINDOW), m.start())
    m = _OWN_AFTER.search(after)
    if m is None:
        return False
    possessive = _OWN.search(after, 0, m.end())
    before = text[max(0, start - WINDOW) : end] + after[: possessive.start() if possessive else m.start()]
    return not _DENIED_BEFORE.search(before)


def _answered_no(rx: _ClausePatterns, hit: str, before: str, after: str) -> bool:
    """Is the hit part of a checklist question asking whether a sign is present, answered bare no?"""
    asked = rx.asked.search(before)
    answer = rx.answered_no.search(after) if asked else None
    if answer is None:
        return False
    question = before[asked.start():] + " " + hit + " " + after[: answer.start()]
    return not rx.asked_protection.search(question)


def is_negated(text: str, start: int, end: int, reference: bool = False) -> bool:
    """Is the hit ``text[start:end]`` negated or hedged in its clause? *reference*: the hit names a procedure or
    team (an explicit reference), which "not required", "not met" or "no indicators" after it also negate."""
    cut = max(0, start - WINDOW)
    for ch in _BREAK_CHARS:
        k = text.rfind(ch, cut, start)
        if k >= cut:
            cut = k + 1
    if _answered_no_in_writing(text, start, end, cut):
        return True
    region = text[cut : end + POST_WINDOW]  # holds the clause before, the hit and the clause after
    lowered = region.isascii()
    if lowered:
        region = region.lower()
        if not _ANY_CUE.search(region):
            return False
        rx = _LOWERCASED_CLAUSE
    else:
        rx = _ANY_CLAUSE
    window = region[: start - cut]
    after = region[end - cut :]
    m = rx.clause_break.search(after)
    if m:
        after = after[: m.start()]
    if (not lowered or "own" in region) and _self_possession(text, start, end, after):
        return True
    m = None
    if not lowered or any(word in window for word in _CONJUNCTION_WORDS):
        m = rx.last_conjunction.match(window)
    before = window[m.end() :] if m else window
    if (not lowered or "independ" in region or "self" in region) and (
        rx.independent.search(before) or rx.independent.search(after)
    ):
        return True
    if before:
        # The last strong cue counts: a new statement may follow an earlier one.
        last_strong = max((m.end() for m in rx.strong.finditer(before)), default=None)
        if last_strong is not None and not rx.new_statement.search(before, last_strong):
            return True
        if after and (not lowered or "asked" in before) and _answered_no(rx, text[start:end], before, after):
            return True
        cut = 0
        for m in rx.weak_break.finditer(before):
            cut = m.end()
        if rx.weak.search(before[cut:]):
            return True
    return bool(after and (rx.post.search(after) or (reference and rx.procedure_post.search(after))))
