"""Reading police record files line by line and checking every field, so bad input is named, never half-imported."""

import codecs
import csv
import datetime
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import msgspec

from .engine.records import (
    CUT_BY_CARRIAGE_RETURN,
    UTF16,
    CsvLines,
    csv_error_message,
    json_error_message,
    read_as_utf16,
)
from .models import RecordType

ENTITY_KINDS = ("person", "phone", "vehicle", "address", "bank_account", "email")
MAX_LINE_BYTES = 1_000_000
MAX_TEXT_CHARS = 100_000
REQUIRED = ("ref", "force", "recorded_at", "type", "text")
COLUMNS = (*REQUIRED, "location", "entities")
LONDON = ZoneInfo("Europe/London")
# Police records are recent; a year outside these is a mistake in the file (and year 1 or 9999 with an offset
# cannot even be stored in UTC).
FIRST_YEAR, LAST_YEAR = 1900, 2100
RECORD_TYPES = frozenset(RecordType.values)


class RecordIn(NamedTuple):
    line: int
    ref: str
    recorded_at: datetime.datetime
    record_type: str
    location: str
    text: str
    entities: list

    @property
    def entities_json(self) -> str:
        return json.dumps(self.entities, ensure_ascii=False) if self.entities else ""

    def digest_source(self, entities_json: str) -> str:
        """Every stored field in one unambiguous string (free-text fields carry their length)."""
        return (f"{self.recorded_at.isoformat()}\x1f{self.record_type}\x1f{len(self.location)}:{self.location}"
                f"{len(self.text)}:{self.text}{entities_json}")


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str
    raw: str

    def __str__(self) -> str:
        return f"line {self.line}" + (f", field '{self.field}'" if self.field else "") + f": {self.message}"


class FileFormatError(ValueError):
    pass


def open_private(path: Path):
    """*path* opened for writing text, created readable by its owner alone: it holds lines of police records."""
    return open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8")


_CONTROL = re.compile("[\x00-\x1f\x7f]")
SHOWN_CHARS = 32  # a date-time with microseconds and an offset


def _shown(value) -> str:
    """A wrong value as an error message may repeat it: short values only. Messages are kept in plain task rows,
    and a column out of place can put a narrative where a code belongs."""
    if isinstance(value, str) and len(value) <= SHOWN_CHARS and not _CONTROL.search(value):
        return repr(value)
    if isinstance(value, str):
        return f"a value of {len(value):,} characters"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return {list: "a list", dict: "an object", bool: "true or false"}.get(type(value), "null")
    return repr(value) if len(repr(value)) <= SHOWN_CHARS else "a long number"


def _parse_time(value) -> datetime.datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be an ISO 8601 date or date-time, e.g. 2026-03-14 or 2026-03-14T22:05:00Z")
    try:
        moment = datetime.datetime.fromisoformat(value.strip())  # dates, date-times, offsets and Z (Python 3.11+)
    except ValueError:
        raise ValueError(f"{_shown(value)} is not an ISO 8601 date or date-time, e.g. 2026-03-14T22:05:00Z") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"{_shown(value)} is not a date between {FIRST_YEAR} and {LAST_YEAR}")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LONDON)


def check_record(obj, line: int, force_code: str, raw: str | bytes) -> RecordIn | LineError:
    """*obj* checked field by field; *raw* is the line as read, for the rejected-lines file."""
    def error(field, message):
        return LineError(line, field, message, raw.decode("utf-8") if isinstance(raw, bytes) else raw)

    if not isinstance(obj, dict):
        return error("", "expected an object with ref, force, recorded_at, type and text")
    for name in REQUIRED:
        value = obj.get(name)
        # blank once trimmed: a ref of spaces would be stored empty, one record for every such line of the force
        if value is None or isinstance(value, str) and not value.strip():
            return error(name, "is missing" if name not in obj else "is empty")
    ref = obj["ref"]
    if isinstance(ref, bool) or not isinstance(ref, str | int):
        return error("ref", "must be text")
    ref = str(ref).strip()
    if len(ref) > 100:
        return error("ref", "is longer than 100 characters")
    if _CONTROL.search(ref):
        return error("ref", "holds a control character (a tab, a line break or an invisible code)")
    force = obj["force"]
    if not isinstance(force, str) or force.strip().upper() != force_code:
        return error("force", f"is {_shown(force)} but this import is for {force_code}")
    try:
        recorded_at = _parse_time(obj["recorded_at"])
    except ValueError as problem:
        return error("recorded_at", str(problem))
    record_type = obj["type"]
    if isinstance(record_type, str):
        record_type = record_type.strip().lower()  # "Incident", as a spreadsheet capitalises it
    if not isinstance(record_type, str) or record_type not in RECORD_TYPES:
        return error("type", f"{_shown(obj['type'])} is not one of {', '.join(RecordType.values)}")
    location = obj.get("location") or ""
    if not isinstance(location, str):
        return error("location", "must be text")
    text = obj["text"]
    if not isinstance(text, str):
        return error("text", "must be text")
    if len(text) > MAX_TEXT_CHARS:
        return error("text", f"is longer than {MAX_TEXT_CHARS:,} characters")
    entities = obj.get("entities") or []
    if not isinstance(entities, list):
        return error("entities", "must be a list of {kind, value}")
    for position, entity in enumerate(entities, start=1):
        if not isinstance(entity, dict) or entity.get("kind") not in ENTITY_KINDS:
            return error("entities", f"entity {position}: kind must be one of {', '.join(ENTITY_KINDS)}")
        if not isinstance(entity.get("value"), str) or not entity["value"].strip():
            return error("entities", f"entity {position}: value must be non-empty text")
    if entities:
        entities = [{"kind": e["kind"], "value": e["value"].strip()} for e in entities]
    return RecordIn(line, ref, recorded_at, record_type, location.strip(), text, entities)


def _bounded_lines(handle) -> Iterator[bytes | int]:
    """The lines of a binary file; for a line longer than MAX_LINE_BYTES, its length in bytes (without its line
    break): its rest is passed over without holding it in memory."""
    while line := handle.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            length = len(line)
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
                length += len(line)
            yield length - 1 if line else length  # without its line break, unless the file ended first
        else:
            yield line


def _bounded_text_lines(text) -> Iterator[str]:
    """The lines of a text file for the CSV reader, which cannot pass over part of a row: a line longer than
    MAX_LINE_BYTES characters stops the file, before it is held in memory."""
    number = 0
    while line := text.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) > MAX_LINE_BYTES:
            raise FileFormatError(f"line {number} is longer than {MAX_LINE_BYTES:,} characters")
        yield line


def _jsonl(handle, force_code: str) -> Iterator[RecordIn | LineError]:
    # msgspec parses valid UTF-8 JSON into the same objects as json.loads, several times faster; anything it
    # refuses (a blank line, bad UTF-8, broken JSON, a BOM, NaN) takes the json path, which names the problem.
    decode = msgspec.json.Decoder().decode
    if handle.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:  # the byte-order mark some editors write first is fine
        handle.seek(0)
    for line, raw_bytes in enumerate(_bounded_lines(handle), start=1):
        if isinstance(raw_bytes, int):  # too long to hold: the rejected-lines file says where it was instead
            yield LineError(line, "", f"line is longer than {MAX_LINE_BYTES:,} bytes",
                            f"(line {line} of the file: {raw_bytes:,} bytes, longer than {MAX_LINE_BYTES:,}, "
                            "so not copied here)")
            continue
        try:
            obj = decode(raw_bytes)
        except (msgspec.DecodeError, RecursionError):
            pass
        else:
            yield check_record(obj, line, force_code, raw_bytes)
            continue
        try:
            raw = raw_bytes.decode("utf-8")
        except UnicodeDecodeError:
            yield LineError(line, "", "is not UTF-8 text", raw_bytes.decode("utf-8", "replace"))
            continue
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.rstrip("\r\n"))
            json.dumps(obj, ensure_ascii=False).encode("utf-8")  # an escaped lone surrogate ("\ud800") cannot be stored
        except json.JSONDecodeError as problem:
            yield LineError(line, "", f"is not valid JSON: {json_error_message(problem)}", raw)
            continue
        except RecursionError:
            yield LineError(line, "", "is not valid JSON (nested too deeply)", raw)
            continue
        except UnicodeEncodeError:
            yield LineError(line, "", "holds an unpaired surrogate escape (\\ud800 to \\udfff), which is not text", raw)
            continue
        except ValueError as problem:  # e.g. an integer of more than 4,300 digits
            yield LineError(line, "", f"is not valid JSON ({problem})", raw)
            continue
        yield check_record(obj, line, force_code, raw)


def _csv(handle, force_code: str) -> Iterator[RecordIn | LineError]:
    # A byte that is not UTF-8 becomes a lone surrogate (surrogateescape), found in its row below, so the error names
    # the line; "utf-8-sig" drops the byte-order mark spreadsheet programs write first.
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
    # strict: a quote never closed is an error, not the rest of the file read into one value
    lines = CsvLines(_bounded_text_lines(text))
    reader = csv.reader(lines, strict=True)
    complete = 0  # the last line of the last complete row, the header's once it is read
    try:
        header = [name.strip() for name in next(reader, [])]  # "ref, force, ..." as some programs write it
        complete = reader.line_num
        if read_as_utf16(header):
            raise FileFormatError(f"line 1: {UTF16}")
        if any(_NOT_UTF8.search(name) for name in header):
            raise FileFormatError("line 1: the CSV header is not UTF-8 text")
        twice = [name for name in COLUMNS if header.count(name) > 1]  # which of them would hold the record's value?
        if twice:
            raise FileFormatError(f"line 1: the CSV header names the column {_shown(twice[0])} twice")
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise FileFormatError(f"line 1: the CSV header lacks {', '.join(missing)}")
        for row in reader:
            if not row:  # a blank line
                complete = reader.line_num
                continue
            line = complete + 1  # a quoted value may run on over line breaks: the row is named by its first line
            complete = reader.line_num
            if lines.cut_by_carriage_return():
                raise FileFormatError(f"line {line}: {CUT_BY_CARRIAGE_RETURN}")
            raw = json.dumps(row, ensure_ascii=False)  # the values as read, if the header cannot name them all
            if _NOT_UTF8.search(raw):
                yield LineError(line, "", "is not UTF-8 text", json.dumps(row))  # escaped: the file is UTF-8
                continue
            if len(row) > len(header):
                yield LineError(line, "", "has more values than the header has columns", raw)
                continue
            obj = dict(zip(header, row, strict=False))  # a short row lacks the last columns: they are missing
            raw = json.dumps(obj, ensure_ascii=False)
            if obj.get("entities"):
                try:
                    obj["entities"] = json.loads(obj["entities"])
                    # The line as a JSON Lines record, entities a list: a rejected line can be corrected and imported.
                    raw = json.dumps(obj, ensure_ascii=False)  # "\ud800" cannot be stored: refused here
                    raw.encode("utf-8")
                except (ValueError, RecursionError, UnicodeEncodeError):  # broken JSON, too deep, 5,000 digits
                    yield LineError(line, "entities", "must be a JSON list of {kind, value} in UTF-8 text", raw)
                    continue
            yield check_record(obj, line, force_code, raw)
    except csv.Error as problem:  # found while reading the row after the last complete one
        # The reader's line_num is where the error was found.
        raise FileFormatError(f"line {complete + 1}: "
                              f"{csv_error_message(problem, complete + 1, reader.line_num)}") from None


_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def read_records(path: Path, force_code: str) -> Iterator[RecordIn | LineError]:
    """Every line of the file in order: a checked record or the error that names its line and field."""
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".json", ".csv"):
        raise FileFormatError(f"{path.name}: use a .jsonl or .csv file")
    with path.open("rb") as handle:
        if suffix == ".csv":
            yield from _csv(handle, force_code)
        else:
            yield from _jsonl(handle, force_code)
