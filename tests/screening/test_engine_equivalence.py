"""The optimised screening path must find exactly what a straightforward implementation finds.

The reference below runs every phrase pattern with Python's ``re`` over every record and
evaluates every co-occurrence rule in every sentence (all pairs of group occurrences, the
gap checked with one regex), then scores with the same :meth:`Screener.evaluate`; the CLI
(block reader, RE2 gate and Hyperscan locator over phrases and anchor terms,
templated output for records without hits) must write the same bytes.
"""

import importlib.util
import io
import json
import random
import re
from pathlib import Path

import pytest

from navigator.screening.engine import Screener
from navigator.screening.engine.cli import run
from navigator.screening.engine.records import _raw_block
from navigator.screening.engine.screener import reading, tightened, untightened

ROOT = Path(__file__).resolve().parents[2]
LABELLED = Path(__file__).parent / "data" / "labelled.jsonl"
_TAIL = ',"score":0.0,"flagged":false,"hits":[]}'


_BREAKS = ".!?;\n\r|"
_CONTRAST = re.compile(r"\b(?:but|however|although|though|whereas|yet|except)\b", re.IGNORECASE | re.ASCII)


def _sentences(text: str):
    start = 0
    for i, ch in enumerate(text):
        if ch in _BREAKS:
            yield start, i
            start = i + 1
    yield start, len(text)


def _group(terms) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(f"(?:{t})" for t in terms) + r")\b", re.IGNORECASE | re.ASCII)


def _gap(within: int) -> re.Pattern:
    sep = r"[^\w.!?;\n\r|]+"
    return re.compile(rf"{sep}(?:\w+{sep}){{0,{within}}}", re.ASCII)


def _reference_line(screener: Screener, rxs, rules, ref, record: str) -> str:
    # Typographic apostrophes and quotes read as ASCII, runs of spaces and lines wrapped mid-sentence as one space.
    text, origin = tightened(reading(record))
    raw = [(pid, m.start(), m.end()) for pid, rx in enumerate(rxs) for m in rx.finditer(text) if m.end() > m.start()]
    for k, (rule, rx_a, rx_b, gap) in enumerate(rules):
        for s, e in _sentences(text):
            for a in rx_a.finditer(text, s, e):
                for b in rx_b.finditer(text, s, e):
                    if a.end() == a.start() or b.end() == b.start():
                        continue
                    if a.end() <= b.start():
                        between, span = text[a.end() : b.start()], (a.start(), b.end())
                    elif b.end() <= a.start() and not rule.ordered:
                        between, span = text[b.end() : a.start()], (b.start(), a.end())
                    else:
                        continue
                    if gap.fullmatch(between) and not _CONTRAST.search(between):
                        raw.append((len(rxs) + k, *span))
    if not raw:
        return '{"ref":' + json.dumps(ref) + _TAIL
    res = screener.evaluate(ref, record, untightened(raw, origin))
    return json.dumps(res.to_dict(), ensure_ascii=False, separators=(",", ":"))


def _reference(screener: Screener, records) -> str:
    rxs = [re.compile(p, re.IGNORECASE | re.ASCII) for p in screener.phrase_patterns]
    rules = [(r, _group(r.a), _group(r.b), _gap(r.within)) for r in screener.rules]
    return "".join(_reference_line(screener, rxs, rules, ref, text) + "\n" for ref, text in records)


def _engine(tmp_path: Path, lines: list[str]) -> str:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    err = io.StringIO()
    assert run(["screen", str(src), "--output", str(dst), "-q"], io.StringIO(), io.StringIO(), err) == 0, err.getvalue()
    return dst.read_text(encoding="utf-8")


def _bench_records(n: int, seed: int):
    spec = importlib.util.spec_from_file_location("bench_screening", ROOT / "bench" / "screening.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rng = random.Random(seed)
    return [(f"INC-{seed}-{i:08d}", mod._narrative(rng, i)) for i in range(n)]


def _labelled():
    return _set("labelled")


def _set(name: str):
    with (LABELLED.parent / f"{name}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_labelled_set_matches_reference(screener, tmp_path):
    recs = _labelled()
    pairs = [(r["ref"], r["text"]) for r in recs]
    # as the bench writes them (json.dumps default separators) -> raw in-place path where possible
    lines = [json.dumps({"ref": ref, "text": text}) for ref, text in pairs]
    assert _engine(tmp_path, lines) == _reference(screener, pairs)
    # with extra fields -> general path
    lines = [json.dumps(r) for r in recs]
    assert _engine(tmp_path, lines) == _reference(screener, pairs)
    # the library API agrees too
    ref_lines = _reference(screener, pairs).splitlines()
    api = [json.dumps(r.to_dict(), ensure_ascii=False, separators=(",", ":")) for r in screener.screen_many(pairs)]
    for got, want in zip(api, ref_lines):
        if '"hits":[]' not in want:
            assert got == want


@pytest.mark.parametrize("compact", [False, True])
def test_bench_records_match_reference(screener, tmp_path, compact):
    pairs = _bench_records(3000, 7)
    seps = (",", ":") if compact else (", ", ": ")
    lines = [json.dumps({"ref": ref, "text": text}, separators=seps) for ref, text in pairs]
    assert _raw_block(("\n".join(lines) + "\n").encode()) is not None  # the fast path is exercised
    out = _engine(tmp_path, lines)
    assert out == _reference(screener, pairs)
    assert '"flagged":true' in out and '"negated":true' in out


def test_mixed_blocks_match_reference(screener, tmp_path):
    """Escapes, non-ASCII, integer refs and odd refs force the general path; results agree."""
    pairs = _bench_records(400, 11)
    extra = [
        ("ESC-1", 'He said "the boss keeps my passport"\nand she cannot leave.'),
        (17, "Forced to work at the car wash; not paid."),
        ("Café-1", "Café worker: boss keeps her passport, paid £20 a week."),
        ("DEL\x7f", "no signs of exploitation at the nail bar"),
        ("U-1", "Ünïcode text: the boss keeps her passport and she is not allowed to leave."),
    ]
    pairs = pairs[:200] + extra + pairs[200:]
    lines = [json.dumps({"ref": ref, "text": text}) for ref, text in pairs]
    assert _engine(tmp_path, lines) == _reference(screener, pairs)
    lines = [json.dumps({"ref": ref, "text": text}, ensure_ascii=False) for ref, text in pairs]
    assert _engine(tmp_path, lines) == _reference(screener, pairs)


def test_typographic_apostrophes_and_quotes_read_as_ascii(screener, tmp_path):
    """Word processors and phone keyboards write ’ and “”: such a record is read as its ASCII twin, on the
    raw block path and the general one, and its hits quote the record's own characters."""
    straight = [
        ("T-1", "She has her own room and bank card, hasn't any debts to the agency."),
        ("T-2", "The boss's driver keeps her passport and she isn't allowed out."),
        ("T-3", 'She calls him her "boss" and he doesn\'t let her leave the flat.'),
        ("T-4", "IP says the gaffer\u00a0keeps the wages - \"you'll get paid when the job's done\"."),
    ]
    curly = [(ref.replace("T", "C"), text.replace("'", "\u2019").replace(' "', " \u201c").replace('" ', "\u201d ")
              .replace('".', "\u201d.")) for ref, text in straight]
    lines = [json.dumps({"ref": ref, "text": text}, ensure_ascii=False) for ref, text in curly]
    assert _raw_block(("\n".join(lines) + "\n").encode()) is not None  # the fast path is exercised
    assert _engine(tmp_path, lines) == _reference(screener, curly)
    lines = [json.dumps({"ref": ref, "text": text}) for ref, text in curly]  # \u escapes: the general path
    assert _engine(tmp_path, lines) == _reference(screener, curly)
    for (_, plain), (_, typographic) in zip(straight, curly):
        want, got = screener.screen(plain), screener.screen(typographic)
        assert (got.flagged, got.score, [h.indicator for h in got.hits]) == (
            want.flagged, want.score, [h.indicator for h in want.hits])
        assert [typographic[h.start:h.end] for h in got.hits] == [h.text for h in got.hits]
    assert screener.screen(curly[1][1]).flagged and "\u2019" in screener.screen(curly[1][1]).hits[0].text


def test_a_wrapped_or_unevenly_spaced_record_reads_as_its_tidy_twin(screener, tmp_path):
    """Fixed-width systems and copied PDFs wrap lines mid-sentence and pad with spaces and tabs: the record is read with
    each such run as one space, on both paths, and its hits are the record's own words."""
    tidy = [
        ("S-1", "Officers attended the nail bar. The worker said the boss keeps her passport and she is not allowed to"
                " leave the flat; there were no signs of injury."),
        ("S-2", "Checked with staff: no signs of exploitation, she keeps her own passport and bank card."),
        ("S-3", "IP states he works 14 hours a day at the car wash and has not been paid for three months."),
    ]
    loose = [
        ("L-1", "Officers attended the nail bar.  The worker said the boss  keeps her\npassport and she is not allowed"
                " to\r\nleave the flat; there were no\tsigns of injury."),
        ("L-2", "Checked with staff: no  signs of\nexploitation, she keeps her own  passport and bank card."),
        ("L-3", "IP states he works 14 hours a day at the car\n   wash and has not been paid for three  months."),
    ]
    for (_, text), (_, spaced) in zip(tidy, loose):
        want, got = screener.screen(text), screener.screen(spaced)
        assert (got.flagged, got.score, [(h.indicator, h.negated) for h in got.hits]) == (
            want.flagged, want.score, [(h.indicator, h.negated) for h in want.hits])
        assert [" ".join(h.text.split()) for h in got.hits] == [h.text for h in want.hits]
        assert [spaced[h.start:h.end] for h in got.hits] == [h.text for h in got.hits]
    assert screener.screen(loose[0][1]).flagged and not screener.screen(loose[1][1]).flagged
    # Double spaces keep a JSON line on the raw block path; line breaks and tabs are escapes, the general path.
    raw_lines = [json.dumps({"ref": ref, "text": text.replace("\n", " ").replace("\r", "").replace("\t", " ")})
                 for ref, text in loose]
    assert _raw_block(("\n".join(raw_lines) + "\n").encode()) is not None
    spaced_only = [(record["ref"], record["text"]) for record in map(json.loads, raw_lines)]
    assert _engine(tmp_path, raw_lines) == _reference(screener, spaced_only)
    lines = [json.dumps({"ref": ref, "text": text}) for ref, text in loose]
    assert _engine(tmp_path, lines) == _reference(screener, loose)


def test_heldout_set_matches_reference(screener, tmp_path):
    path = Path(__file__).parent / "data" / "heldout.jsonl"
    with path.open(encoding="utf-8") as f:
        pairs = [(r["ref"], r["text"]) for r in map(json.loads, filter(str.strip, f))]
    lines = [json.dumps({"ref": ref, "text": text}) for ref, text in pairs]
    assert _engine(tmp_path, lines) == _reference(screener, pairs)


def test_rules_fire_in_bench_and_labelled_records(screener):
    """The reference above really exercises rules (not only phrases)."""
    n_phrases = len(screener.phrase_patterns)
    fired = set()
    for _, raw in screener.scan_batch([t for _, t in _bench_records(3000, 7)] + [r["text"] for r in _labelled()]):
        fired.update(eid - n_phrases for eid, _, _ in raw if eid >= n_phrases)
    assert len(fired) >= 20


def test_negation_shortcut_changes_nothing(screener, monkeypatch):
    """The cheap "any cue in this clause?" check only skips clauses the full patterns reject."""
    from navigator.screening.engine import negation

    recs = _bench_records(2000, 5) + [(r["ref"], r["text"]) for r in _labelled()]
    fast = [r.to_dict() for r in screener.screen_many(recs)]
    monkeypatch.setattr(negation, "_ANY_CUE", re.compile(""))
    slow = [r.to_dict() for r in screener.screen_many(recs)]
    assert fast == slow
    assert sum(h["negated"] for r in fast for h in r["hits"]) >= 10


def test_raw_block_rejects_anything_but_plain_lines():
    good = b'{"ref": "A", "text": "x"}\n{"ref": "B", "text": "y"}\n'
    blk = _raw_block(good)
    assert blk is not None and blk.refs == [b"A", b"B"] and blk.texts == [b"x", b"y"]
    for bad in (
        b'{"ref": "A", "text": "x\\"y"}\n',
        b'{"ref": "A", "text": "x"}\r\n',
        b'{"ref": "A", "text": "x"}\n\n',
        b'{"ref": "A", "text": "x\ty"}\n',
        b'{"ref": "A", "text": "x\ny"}\n',
        b'{"ref": "A\x7f", "text": "x"}\n',
        b'{"ref": "A", "text": "x"}\n\x00',
        b'{"ref": "A", "text": "x", "note": "y"}\n',
        b'{"text": "x", "ref": "A"}\n',
        b'{"ref": 1, "text": "x"}\n',
        b'{"ref": "A", "text": "x"} \n',
        b'{"ref": "A", "text": "\xff"}\n',
        b'{"ref": "A",  "text": "x"}\n',
        b'{"ref": "A", "text": "x"}\n{"ref": "B"; "text": "y"}\n',
    ):
        assert _raw_block(bad) is None, bad


def test_malformed_line_after_plain_block_names_the_line(tmp_path):
    lines = [json.dumps({"ref": f"R{i}", "text": "routine"}) for i in range(5)] + ['{"ref": "X", "text": "oops}']
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = io.StringIO()
    assert run(["screen", str(src), "-q"], io.StringIO(), io.StringIO(), err) == 2
    assert "line 6" in err.getvalue()


def test_result_line_is_the_json_of_the_result(screener):
    """The CLI's hand-built JSON line is byte for byte json.dumps of the result's dict."""
    from navigator.screening.engine.records import result_line

    texts = [r["text"] for r in _labelled()] + [
        'He said "the boss keeps my passport"\nand she cannot leave.',
        "Café worker: boss keeps her passport, paid £20 a week, \\ no days off.",
        "\ud800 the boss keeps her passport and she is not allowed to leave",
    ]
    checked = 0
    for ref, text in enumerate(texts):
        for _, raw in screener.scan_batch([text]):
            want = json.dumps(screener.evaluate(ref, text, raw).to_dict(), ensure_ascii=False, separators=(",", ":"))
            assert result_line(screener, json.dumps(ref), text, raw) == want
            if json.dumps(text, ensure_ascii=False) == '"' + text + '"':  # nothing to escape
                assert result_line(screener, json.dumps(ref), text, raw, plain=True) == want
            checked += 1
    assert checked > 100


def test_lowercase_twins_change_nothing(screener, monkeypatch):
    """On ASCII text, phrases, rule groups, negation patterns and innocent explanations run case-sensitively over the
    lowercased text; the case-insensitive patterns over the text itself find the same."""
    from navigator.screening.engine import negation
    from navigator.screening.engine.pattern_analysis import lowercase_equivalent
    from navigator.screening.engine.screener import _Regex

    assert all(lowercase_equivalent(src, re.IGNORECASE) for src in negation._ClausePatterns.SOURCES.values())
    # routine19: checked and ruled-out concerns, where innocent explanations excuse many hits
    recs = _bench_records(2000, 13) + [(r["ref"], r["text"]) for r in _labelled() + _set("routine19")]
    recs += [(f"UP-{ref}", text.upper()) for ref, text in recs[:300]]
    fast = [r.to_dict() for r in screener.screen_many(recs)]
    innocent = [rx for rx in screener._unless + screener._unless_overlapping if rx is not None]
    assert sum(rx.lowercased is not None for rx in innocent) > len(innocent) // 2
    monkeypatch.setattr(negation, "_LOWERCASED_CLAUSE", negation._ANY_CLAUSE)

    compiled = _Regex.compiled

    def any_text_only(rx, text, _lowered):
        return compiled(rx, text, None)

    monkeypatch.setattr(_Regex, "compiled", any_text_only)
    slow = [r.to_dict() for r in screener.screen_many(recs)]
    assert fast == slow
    assert sum(h["negated"] for r in fast for h in r["hits"]) >= 10


def test_lowercase_equivalence_is_refused_where_case_matters():
    from navigator.screening.engine.pattern_analysis import lowercase_equivalent

    flags = re.IGNORECASE | re.ASCII
    assert lowercase_equivalent(r"\b(?:pas+ports?|\d+ [a-z]+)\b(?=\W)", flags)
    for pattern in (r"\bCCE\b", r"[A-Z]\d", r"[0-z]", r"[^A]", r"(?-i:ab)", r"(?i:ab)"):
        assert not lowercase_equivalent(pattern, flags), pattern
    # Unicode case folding maps non-ASCII letters onto ASCII ones ('ı' matches 'I')
    assert lowercase_equivalent("caf\u00e9", flags) and not lowercase_equivalent("\u0131", re.IGNORECASE)


def test_a_match_the_locator_misses_is_still_found():
    """Hyperscan (caseless, UTF-8) reports no match of this pattern in this text, though "take rest for room" is in
    it and the RE2 gate sees it: the pattern is then searched in the whole record, so the hit is found as the
    reference finds it."""
    from navigator.screening.engine.library import Library

    pattern = (r"\b(?:keeps?|kept|takes?|took) (?:all )?(?:the )?rest "
               r"(?:of (?:it|the money|his pay|her pay|the wages) )?"
               r"(?:for|4) (?:the )?(?:room|rent|house|food|transport|debt|bed|accommodation)\b")
    indicator = {"id": "pay_taken", "name": "Pay taken", "category": "wages", "explanation": "e", "source": "s",
                 "kind": "control", "weight": 1, "patterns": [pattern]}
    screener = Screener(Library.from_dict({"version": "test", "indicators": [indicator]}), wording=False)
    text = "He gets 60 - 'Marius take rest for room'."
    located = []
    screener._locate(text.encode(), lambda pid, start, end, flags, context: located.append(pid))
    assert located == [] and screener._gate_match(text.encode()) == [0], "the locator finds it now: pick another case"
    assert [(hit.indicator, hit.text) for hit in screener.screen(text).hits] == [("pay_taken", "take rest for room")]
    assert re.search(pattern, text, re.IGNORECASE).group() == "take rest for room"
