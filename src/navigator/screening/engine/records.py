"""Streaming record readers (JSON Lines, CSV) and the result writer used by the CLI.

Readers yield *batches* ``(refs, texts)`` so memory stays flat whatever the input size.
The JSON Lines reader parses a whole block of lines with one ``json.loads`` call (the
lines joined into a JSON array) and only falls back to line-by-line parsing to report
exactly which line is malformed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import closing
from functools import cache, partial
from itertools import chain, islice
from typing import IO, Any, NamedTuple

from .forked import ForkedWorkers, can_fork
from .screener import Screener, ScreeningResult, reading, tightened, untightened

BLOCK_BYTES = 1 << 21  # ~2 MB of input per batch
CSV_BATCH = 4096
_REF_TYPES = frozenset({str, int})


class InputError(ValueError):
    """Malformed input; ``line`` is 1-based, ``field`` the offending field if any."""

    def __init__(self, line: int, message: str, field: str | None = None) -> None:
        self.line = line
        self.field = field
        where = f"line {line}" + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


Batch = tuple[list[Any], list[str]]


def json_error_message(error: json.JSONDecodeError) -> str:
    """What is wrong with some JSON, in words, for `navigator screen` and the import alike. Python's own messages
    were written to be followed by a position ("Invalid control character at"), and a string never closed is most
    often a line cut short. Parse lines without their line break, or a line cut short inside a string ends in a
    control character instead."""
    where = f"column {error.colno}" if error.lineno == 1 else f"line {error.lineno}, column {error.colno}"
    if error.msg.startswith("Unterminated string"):
        return f"a quoted value that starts at {where} is never closed: is the line cut short?"
    what = error.msg.removesuffix(" at")
    return f"{what[:1].lower()}{what[1:]} at {where}"


def csv_error_message(error: csv.Error, first_line: int, last_line: int) -> str:
    """What the CSV reader's *error* means to whoever wrote the file, for `navigator screen` and the import alike: the
    row starts on *first_line* and the reader had read to *last_line*. Python's words name the parser's state
    ("',' expected after '\"'"), not the mistake, which is most often a quote never closed."""
    reason = str(error)
    if "unexpected end of data" in reason or "field larger than field limit" in reason:
        return "a quote opened on this line is never closed, so the rest of the file would be read into one value"
    if "expected after '\"'" in reason:
        if last_line > first_line:  # the value ran on over line breaks until some later quote seemed to close it
            return f"a quote opened on this line is never closed (the value runs on into line {last_line})"
        return 'a quoted value goes on after its closing quote: write a quote inside a value as two ("")'
    return f"invalid CSV: {reason}"


def _check_record(obj: Any, line: int) -> tuple[Any, str]:
    if not isinstance(obj, dict):
        raise InputError(line, "expected a JSON object with 'ref' and 'text'")
    if "ref" not in obj:
        raise InputError(line, "missing required field", "ref")
    if "text" not in obj:
        raise InputError(line, "missing required field", "text")
    ref, text = obj["ref"], obj["text"]
    if type(ref) not in _REF_TYPES:
        raise InputError(line, "must be a string or an integer", "ref")
    if not isinstance(text, str):
        raise InputError(line, "must be a string", "text")
    return ref, text


def _parse_block(lines: list[bytes], first_line: int) -> Batch:
    """Parse complete JSONL lines; fast path is one json.loads for the whole block."""
    try:
        recs = json.loads(b"[" + b",".join(lines) + b"]")
        if len(recs) == len(lines):
            texts = [r["text"] for r in recs]
            refs = [r["ref"] for r in recs]
            if set(map(type, texts)) == {str} and set(map(type, refs)) <= _REF_TYPES:
                return refs, texts
    except (ValueError, KeyError, TypeError):
        pass
    refs, texts = [], []
    for n, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            obj = json.loads(line.rstrip(b"\r"))
        except UnicodeDecodeError as exc:
            raise InputError(n, f"not valid UTF-8 ({exc.reason})") from None
        except json.JSONDecodeError as exc:
            raise InputError(n, f"invalid JSON: {json_error_message(exc)}") from None
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            raise InputError(n, f"invalid JSON: {exc}") from None
        ref, text = _check_record(obj, n)
        refs.append(ref)
        texts.append(text)
    return refs, texts


class RawBlock:
    """Complete JSON Lines of the exact shape ``{"ref": "R", "text": "T"}`` (no escapes).

    For such lines the JSON string bytes *are* the UTF-8 text, so the block can be screened
    without parsing it: ``refs``/``texts`` are the raw byte strings. :func:`_raw_block` builds
    one only after checking that every line is valid JSON of that shape; anything else takes
    the general path. ``tidy`` says that the block is ASCII without a double space, so that its texts are what the
    matchers read (see screener.reading and screener.tightened): one check of the block instead of one per record.
    """

    __slots__ = ("refs", "texts", "tidy")

    def __init__(self, refs: list[bytes], texts: list[bytes], tidy: bool = False) -> None:
        self.refs = refs
        self.texts = texts
        self.tidy = tidy

    def batch(self) -> Batch:
        return [r.decode("utf-8") for r in self.refs], [t.decode("utf-8") for t in self.texts]


# Bytes that force the general path: control characters (invalid raw in a JSON string) and
# DEL (which json.dumps escapes in refs); line feeds are only allowed where lines end.
_CONTROL = bytes([*range(0x20), 0x7F])
_COLON = (b":", b": ")
_COMMA = (b",", b", ")


def _raw_block(data: bytes) -> RawBlock | None:
    """A RawBlock for *data* (complete lines, ending in a line feed), or None."""
    if not data or b"\\" in data:
        return None
    pieces = data.split(b'"')
    n, rest = divmod(len(pieces) - 1, 8)
    # The checks below put a line feed at the end of each of the n lines: any other control
    # byte (or line feed) makes more than n.
    if not n or rest or pieces[0] != b"{" or len(data) - len(data.translate(None, _CONTROL)) != n:
        return None
    c1, c2, c3 = pieces[2], pieces[4], pieces[6]
    if c1 not in _COLON or c2 not in _COMMA or c3 not in _COLON:
        return None
    if (
        pieces[1::8].count(b"ref") != n
        or pieces[5::8].count(b"text") != n
        or pieces[2::8].count(c1) != n
        or pieces[4::8].count(c2) != n
        or pieces[6::8].count(c3) != n
        or pieces[8::8].count(b"}\n{") != n - 1
        or pieces[-1] != b"}\n"
    ):
        return None
    refs = pieces[3::8]
    ascii_only = data.isascii()
    if not ascii_only:
        if not b"".join(refs).isascii():
            return None  # non-ASCII refs: json.dumps would escape them
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return RawBlock(refs, pieces[7::8], ascii_only and b"  " not in data)


def read_jsonl(stream: IO[bytes], block_bytes: int = BLOCK_BYTES) -> Iterator[Batch]:
    """Yield ``(refs, texts)`` batches from a binary JSON Lines stream."""
    for block in read_jsonl_blocks(stream, block_bytes):
        yield block.batch() if isinstance(block, RawBlock) else block


def read_jsonl_blocks(stream: IO[bytes], block_bytes: int = BLOCK_BYTES) -> Iterator[Batch | RawBlock]:
    """Like :func:`read_jsonl`, but escape-free ``{"ref", "text"}`` blocks come as RawBlock."""
    pending = b""
    line_no = 1
    first = True
    while True:
        chunk = stream.read(block_bytes)
        if first and chunk:
            first = False
            if chunk.startswith(b"\xef\xbb\xbf"):
                chunk = chunk[3:]
        if not chunk:
            break
        buf = pending + chunk if pending else chunk
        cut = buf.rfind(b"\n")
        if cut < 0:
            pending = buf
            continue
        pending = buf[cut + 1 :]
        raw = _raw_block(buf[: cut + 1])
        if raw is not None:
            line_no += len(raw.refs)
            yield raw
            continue
        lines = buf[:cut].split(b"\n")
        batch = _parse_block(lines, line_no)
        line_no += len(lines)
        if batch[0]:
            yield batch
    if pending.strip():
        batch = _parse_block([pending], line_no)
        if batch[0]:
            yield batch


# A byte that is not UTF-8, as a stream opened with errors="surrogateescape" gives it: found in its own row, so that
# the error names the line (a decoding error would surface wherever the reader's read-ahead happened to be).
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


class CsvLines:
    """The lines of a CSV text stream for the CSV reader, which reads no further than the row it gives: ``last`` is
    the line that ended that row."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = lines
        self.first = self.last = ""

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.first = self.first or line
            self.last = line
            yield line

    def cut_by_carriage_return(self) -> bool:
        """Whether a carriage return alone ended the row just read, in a file whose lines end otherwise. It ends every
        line of a file from an old Mac; in any other file, it cuts a row short outside quotes, and the rest of its
        line is read as a row of its own."""
        return self.last.endswith("\r") and not self.first.endswith("\r")


def read_as_utf16(header: list[str]) -> bool:
    """Whether a CSV header read as UTF-8 was UTF-16 text, as spreadsheets save "Unicode text": a zero byte beside
    every letter of its names."""
    return any("\x00" in name for name in header)


UTF16 = "the file is UTF-16 text, not UTF-8: save it as CSV UTF-8"
CUT_BY_CARRIAGE_RETURN = ("a carriage return (CR) outside quotes ends the row before its line does, cutting its values "
                          "short: quote the value that holds it")


def read_csv(stream: IO[str], batch_size: int = CSV_BATCH) -> Iterator[Batch]:
    """Yield batches from a CSV text stream (opened with errors="surrogateescape") with a header row naming 'ref'
    and 'text'."""
    lines = CsvLines(stream)
    reader = csv.reader(lines, strict=True)  # strict: a quote never closed is an error, not the rest of the file
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise InputError(1, csv_error_message(exc, 1, reader.line_num)) from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    if read_as_utf16(header):
        raise InputError(1, UTF16)
    if any(_NOT_UTF8.search(h) for h in header):
        raise InputError(1, "not valid UTF-8 text")
    for name in ("ref", "text"):
        if name not in header:
            raise InputError(1, "missing required column in header", name)
        if header.count(name) > 1:
            raise InputError(1, "the header names this column twice", name)
    i_ref, i_text = header.index("ref"), header.index("text")
    need = max(i_ref, i_text)
    refs: list[Any] = []
    texts: list[str] = []
    complete = 1  # the last line of the last complete row
    try:
        for row in reader:
            if not row:
                complete = reader.line_num
                continue
            line = complete + 1  # a quoted value may run on over line breaks: the row is named by its first line
            if lines.cut_by_carriage_return():
                raise InputError(line, CUT_BY_CARRIAGE_RETURN)
            if len(row) <= need:
                missing = "text" if len(row) <= i_text else "ref"
                raise InputError(line, "missing required field", missing)
            if len(row) > len(header):  # an unquoted comma in a narrative would cut it short
                raise InputError(line, "has more values than the header has columns (quote values that hold a comma)")
            if _NOT_UTF8.search(row[i_ref]) or _NOT_UTF8.search(row[i_text]):
                raise InputError(line, "not valid UTF-8 text")
            refs.append(row[i_ref])
            texts.append(row[i_text])
            complete = reader.line_num
            if len(refs) >= batch_size:
                yield refs, texts
                refs, texts = [], []
    except csv.Error as exc:  # found while reading the row after the last complete one
        raise InputError(complete + 1, csv_error_message(exc, complete + 1, reader.line_num)) from None

    if refs:
        yield refs, texts


_EMPTY_TAIL = ',"score":0.0,"flagged":false,"hits":[]}'


def format_batch(screener: Screener, refs: list[Any], texts: list[str]) -> str:
    """Screen one batch and return its JSON Lines output (newline-terminated).

    Records without any match get a templated line; only matching records go through
    dict building and ``json.dumps``.
    """
    found = screener.scan_batch(texts)
    n = len(refs)
    out: list[str] | None = None
    try:
        if all(type(r) is str for r in refs):
            # refs are all str: one dumps() call, split on the element separator.
            encoded = json.dumps(refs, separators=(",", ":"))
            pieces = encoded[2:-2].split('","') if n else []
            if len(pieces) == n:
                out = ['{"ref":"' + p + '"' + _EMPTY_TAIL for p in pieces]
    except (TypeError, ValueError):  # pragma: no cover - defensive
        out = None
    if out is None:
        out = ['{"ref":' + json.dumps(r) + _EMPTY_TAIL for r in refs]
    dumps = json.dumps
    for i, raw in found:
        line = result_line(screener, dumps(refs[i], ensure_ascii=False), texts[i], raw)
        out[i] = line if line.isascii() else _encodable(line)
    out.append("")
    return "\n".join(out)


def _encodable(line: str) -> str:
    """*line* with each lone surrogate, which a JSON escape gives ("\\ud800") and UTF-8 cannot encode, written as that
    escape again: the same JSON, whatever stream it is written to. (A RawBlock holds none: its text is UTF-8.)"""
    return line.encode("utf-8", "backslashreplace").decode("utf-8")


def result_line(
    screener: Screener, ref_json: str, text: str, raw: list[tuple[int, int, int]], plain: bool = False
) -> str:
    """The JSON line of one record with raw matches: the same string as ``json.dumps(
    screener.evaluate(ref, text, raw).to_dict(), ensure_ascii=False, separators=(",", ":"))``
    without building the result objects and dicts.

    *ref_json* is the ref already encoded. *plain* says that *text* holds nothing JSON
    escapes (quotes, backslashes, control characters), so hit texts need only quotes.
    """
    score, flagged, hits = screener.score_hits(text, raw)
    parts = ['{"ref":', ref_json, ',"score":', repr(score), _FLAGGED if flagged else _NOT_FLAGGED]
    for start, end, ind_id, ind, negated in hits:
        snippet = text[start:end]
        parts += (
            _hit_head(ind_id, ind.category),
            str(start),
            ',"end":',
            str(end),
            ',"text":',
            '"' + snippet + '"' if plain else json.dumps(snippet, ensure_ascii=False),
            _NEGATED if negated else _NOT_NEGATED,
        )
    if hits:
        parts[-1] = parts[-1][:-1]  # no comma after the last hit
    parts.append("]}")
    return "".join(parts)


_FLAGGED = ',"flagged":true,"hits":['
_NOT_FLAGGED = ',"flagged":false,"hits":['
_NEGATED = ',"negated":true},'
_NOT_NEGATED = ',"negated":false},'


@cache
def _hit_head(indicator: str, category: str) -> str:
    """The start of a hit's JSON object, up to its "start" value."""
    indicator_json, category_json = (json.dumps(s, ensure_ascii=False) for s in (indicator, category))
    return f'{{"indicator":{indicator_json},"category":{category_json},"start":'


class Screened(NamedTuple):
    records: int
    flagged: int
    processes: int  # worker processes that screened batches (0: this process alone)


def screen_stream(
    screener: Screener, batches: Iterable[Batch | RawBlock], out: IO[str], progress=None, jobs: int = 1
) -> Screened:
    """Screen every batch, writing JSON Lines to *out* in input order.

    With *jobs* above one, an input of three batches or more is screened by up to that many forked processes (see
    :func:`_formatted_in_processes`), with the same output."""
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return Screened(0, 0, 0)
    # The first batch is screened here: it compiles the Python twins of the patterns it meets, which forked workers
    # then inherit instead of each compiling them again.
    done = _formatted(screener, first)
    following = list(islice(batches, max(jobs, 2)))
    workers = min(jobs, len(following)) if jobs > 1 and len(following) > 1 and can_fork() else 0

    def every_batch() -> Iterator[tuple[str, int]]:
        yield done
        rest = chain(following, batches)
        if workers:
            yield from _formatted_in_processes(screener, rest, workers)
        else:
            yield from (_formatted(screener, batch) for batch in rest)

    records = flagged = 0
    with closing(every_batch()) as formatted:  # a failed write (a full disk) stops the workers at once
        for text, count in formatted:
            out.write(text)
            records += count
            flagged += text.count('"flagged":true')
            if progress is not None:
                progress(count)
    return Screened(records, flagged, workers)


def _formatted(screener: Screener, batch: Batch | RawBlock) -> tuple[str, int]:
    """The JSON Lines of one batch and its number of records."""
    if isinstance(batch, RawBlock):
        return format_raw_block(screener, batch), len(batch.refs)
    return format_batch(screener, *batch), len(batch[0])


def _formatted_in_processes(
    screener: Screener, batches: Iterable[Batch | RawBlock], workers: int
) -> Iterator[tuple[str, int]]:
    """:func:`_formatted` of each batch, in order, screened by *workers* forked processes while this one reads the
    input and writes the results. Batch k goes to worker k mod *workers* once that worker has returned batch
    k - *workers*: one batch a worker is in hand, so memory stays flat however fast the input is read."""
    with ForkedWorkers(partial(_formatted, screener), workers) as forked:
        sent = 0
        for batch in batches:
            if sent >= workers:
                yield forked.receive(sent % workers)
            forked.send(sent % workers, batch)
            sent += 1
        for k in range(max(0, sent - workers), sent):
            yield forked.receive(k % workers)


def format_raw_block(screener: Screener, block: RawBlock) -> str:
    """JSON Lines output for a RawBlock; same bytes as :func:`format_batch` would give.

    Records without a match are written straight from their raw ref bytes (which
    are printable ASCII without quotes or backslashes, so json.dumps would not change them).
    """
    refs = block.refs
    texts = block.texts
    # What the matchers read (see screener.reading and screener.tightened): the texts themselves in a tidy block (a
    # RawBlock's texts hold no tab or line break).
    readings = None if block.tidy else [
        (text, None) if text.isascii() and b"  " not in text else _tightened(text) for text in texts]
    lines: list[str] = []
    prev = 0
    for i, found in screener.scan_encoded(texts if readings is None else [scanned for scanned, _ in readings]):
        text = texts[i].decode("utf-8")
        if readings is None:
            raw = screener.find_spans(text, found, True)
        else:
            scanned, origin = readings[i]
            raw = untightened(screener.find_spans(scanned.decode("utf-8"), found, scanned.isascii()), origin)
        if not raw:
            continue
        if i > prev:
            lines.append((_RAW_HEAD + _RAW_JOIN.join(refs[prev:i]) + _RAW_TAIL).decode("ascii"))
        # texts of a RawBlock hold no quotes, backslashes or control characters: plain
        lines.append(result_line(screener, '"' + refs[i].decode("ascii") + '"', text, raw, plain=True) + "\n")
        prev = i + 1
    if prev < len(refs):
        lines.append((_RAW_HEAD + _RAW_JOIN.join(refs[prev:]) + _RAW_TAIL).decode("ascii"))
    return "".join(lines)


def _tightened(text: bytes) -> tuple[bytes, list[int] | None]:
    tight, origin = tightened(reading(text.decode("utf-8")))
    return tight.encode("utf-8"), origin


_RAW_HEAD = b'{"ref":"'
_RAW_TAIL = b'"' + _EMPTY_TAIL.encode("ascii") + b"\n"
_RAW_JOIN = _RAW_TAIL + _RAW_HEAD


def screen_results(screener: Screener, batches: Iterable[Batch | RawBlock]) -> Iterator[ScreeningResult]:
    for batch in batches:
        refs, texts = batch.batch() if isinstance(batch, RawBlock) else batch
        yield from screener.screen_batch(refs, texts)


def binary_stdin(stdin: Any) -> IO[bytes]:
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        return buffer
    return io.BytesIO(stdin.read().encode("utf-8")) if hasattr(stdin, "read") else stdin
