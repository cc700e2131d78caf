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
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .screener import Screener, ScreeningResult

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
            obj = json.loads(line)
        except UnicodeDecodeError as exc:
            raise InputError(n, f"not valid UTF-8 ({exc.reason})") from None
        except ValueError as exc:
            msg = getattr(exc, "msg", str(exc))
            col = getattr(exc, "colno", None)
            raise InputError(n, f"invalid JSON: {msg}" + (f" (column {col})" if col else "")) from None
        ref, text = _check_record(obj, n)
        refs.append(ref)
        texts.append(text)
    return refs, texts


def read_jsonl(stream: IO[bytes], block_bytes: int = BLOCK_BYTES) -> Iterator[Batch]:
    """Yield batches from a binary JSON Lines stream."""
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
        lines = buf[:cut].split(b"\n")
        batch = _parse_block(lines, line_no)
        line_no += len(lines)
        if batch[0]:
            yield batch
    if pending.strip():
        batch = _parse_block([pending], line_no)
        if batch[0]:
            yield batch


def read_csv(stream: IO[str], batch_size: int = CSV_BATCH) -> Iterator[Batch]:
    """Yield batches from a CSV text stream with a header row naming 'ref' and 'text'."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise InputError(reader.line_num or 1, f"invalid CSV: {exc}") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    for name in ("ref", "text"):
        if name not in header:
            raise InputError(1, "missing required column in header", name)
    i_ref, i_text = header.index("ref"), header.index("text")
    need = max(i_ref, i_text)
    refs: list[Any] = []
    texts: list[str] = []
    try:
        for row in reader:
            if not row:
                continue
            if len(row) <= need:
                missing = "text" if len(row) <= i_text else "ref"
                raise InputError(reader.line_num, "missing required field", missing)
            refs.append(row[i_ref])
            texts.append(row[i_text])
            if len(refs) >= batch_size:
                yield refs, texts
                refs, texts = [], []
    except csv.Error as exc:
        raise InputError(reader.line_num, f"invalid CSV: {exc}") from None
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
        res = screener.evaluate(refs[i], texts[i], raw)
        out[i] = dumps(res.to_dict(), ensure_ascii=False, separators=(",", ":"))
    out.append("")
    return "\n".join(out)


def screen_stream(screener: Screener, batches: Iterable[Batch], out: IO[str], progress=None) -> tuple[int, int]:
    """Screen every batch, writing JSON Lines to *out*. Returns (records, flagged)."""
    records = flagged = 0
    for refs, texts in batches:
        text = format_batch(screener, refs, texts)
        out.write(text)
        records += len(refs)
        flagged += text.count('"flagged":true')
        if progress is not None:
            progress(len(refs))
    return records, flagged


def screen_results(screener: Screener, batches: Iterable[Batch]) -> Iterator[ScreeningResult]:
    for refs, texts in batches:
        yield from screener.screen_batch(refs, texts)


def binary_stdin(stdin: Any) -> IO[bytes]:
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        return buffer
    return io.BytesIO(stdin.read().encode("utf-8")) if hasattr(stdin, "read") else stdin
