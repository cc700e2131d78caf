"""Reading capture-history tables.

A table is a CSV with one 0/1 column per list and a last column ``count``: the number of people
seen on exactly that combination of lists. Histories that are not given have count 0.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MIN_LISTS = 2
MAX_LISTS = 10


class TableError(ValueError):
    """A capture-history table that cannot be used; the message names the row and column."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class CaptureTable:
    """Counts for every capture history over ``len(lists)`` lists.

    ``counts[code - 1]`` is the count for the history whose bit ``i`` (value ``2**i``) says whether
    the person is on list ``i``; the unobserved all-zero history (code 0) is not stored.
    """

    lists: tuple[str, ...]
    counts: np.ndarray

    def __post_init__(self) -> None:
        m = len(self.lists)
        if not MIN_LISTS <= m <= MAX_LISTS:
            raise TableError(f"a table needs {MIN_LISTS} to {MAX_LISTS} lists, not {m}")
        counts = np.asarray(self.counts, dtype=np.int64)
        if counts.shape != (2**m - 1,):
            raise TableError(f"counts must have {2**m - 1} entries for {m} lists")
        if (counts < 0).any():
            raise TableError("counts must not be negative")
        object.__setattr__(self, "counts", counts)

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        return int(self.counts.sum())

    def list_totals(self) -> dict[str, int]:
        m = self.n_lists
        codes = np.arange(1, 2**m)
        return {name: int(self.counts[(codes >> i) & 1 == 1].sum()) for i, name in enumerate(self.lists)}

    def histories(self) -> list[tuple[tuple[int, ...], int]]:
        """The histories with a positive count, as ((0/1 per list), count)."""
        m = self.n_lists
        out = []
        for idx in np.flatnonzero(self.counts):
            code = int(idx) + 1
            out.append((tuple((code >> i) & 1 for i in range(m)), int(self.counts[idx])))
        return out

    def drop_lists(self, names: list[str]) -> CaptureTable:
        """The same table without the given lists (people only on those lists are lost)."""
        keep = [i for i, name in enumerate(self.lists) if name not in names]
        m2 = len(keep)
        new = np.zeros(2**m2 - 1, dtype=np.int64)
        for idx in np.flatnonzero(self.counts):
            code = int(idx) + 1
            code2 = sum(((code >> i) & 1) << k for k, i in enumerate(keep))
            if code2:
                new[code2 - 1] += self.counts[idx]
        return CaptureTable(tuple(self.lists[i] for i in keep), new)

    @classmethod
    def from_histories(cls, lists: list[str] | tuple[str, ...], rows) -> CaptureTable:
        """Build from an iterable of ((0/1, ...), count) pairs."""
        m = len(lists)
        counts = np.zeros(2**m - 1, dtype=np.int64)
        for history, count in rows:
            code = sum(int(v) << i for i, v in enumerate(history))
            if code == 0:
                raise TableError("a history must contain at least one list")
            counts[code - 1] += int(count)
        return cls(tuple(lists), counts)


def _looks_like_path(value: str) -> bool:
    return bool(value.strip()) and "\n" not in value and "," not in value and ";" not in value


def _default_names(m: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(m)]


def read_table(source: str | os.PathLike | io.TextIOBase) -> CaptureTable:
    """Read a capture-history CSV from a path, a file object or the CSV text itself.

    The first row is a header (list names, then ``count``); if the first row is all numbers the
    lists are named A, B, C, ... Blank lines are skipped. Raises :class:`TableError` naming the
    row (line number in the file, header = row 1) and column for anything that is not usable.
    """
    if hasattr(source, "read"):
        text = source.read()
    elif isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        path = Path(source)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise TableError(f"cannot read the file {str(path)!r}: {exc.strerror or exc}") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TableError(f"the file {str(path)!r} is not UTF-8 text") from exc
    else:
        text = str(source)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise TableError(f"the file is not readable as CSV: {exc}") from exc
    numbered = [(i + 1, [c.strip() for c in row]) for i, row in enumerate(rows) if any(c.strip() for c in row)]
    if not numbered:
        raise TableError("the table is empty")

    first_line, first = numbered[0]
    if all(_is_number(c) for c in first):
        names = _default_names(len(first) - 1) + ["count"]
        data = numbered
    else:
        names = first
        data = numbered[1:]
        if not names[-1]:
            raise TableError(f"row {first_line}, column {len(names)}: the last column must be 'count'",
                             first_line, str(len(names)))
        if names[-1].lower() != "count":
            raise TableError(
                f"row {first_line}, column {len(names)} ({names[-1]!r}): the last column must be 'count'",
                first_line, names[-1])
        for j, name in enumerate(names[:-1]):
            if not name:
                raise TableError(f"row {first_line}, column {j + 1}: a list has no name", first_line, str(j + 1))
        seen: dict[str, int] = {}
        for j, name in enumerate(names[:-1]):
            if name in seen:
                raise TableError(
                    f"row {first_line}, column {j + 1} ({name!r}): list name repeated (also column {seen[name] + 1})",
                    first_line, name)
            seen[name] = j
    m = len(names) - 1
    if m < MIN_LISTS:
        raise TableError(f"row {first_line}: a table needs at least {MIN_LISTS} lists and a count column; "
                         f"found {m} list column(s)", first_line)
    if m > MAX_LISTS:
        raise TableError(f"row {first_line}: at most {MAX_LISTS} lists are supported; found {m}", first_line)
    if not data:
        raise TableError("the table has a header but no rows")

    counts = np.zeros(2**m - 1, dtype=np.int64)
    first_seen: dict[int, int] = {}
    for line, row in data:
        if len(row) != m + 1:
            raise TableError(f"row {line}: expected {m + 1} columns ({m} lists and count), found {len(row)}", line)
        code = 0
        for j, value in enumerate(row[:-1]):
            if value not in ("0", "1"):
                raise TableError(
                    f"row {line}, column {j + 1} ({names[j]!r}): value {value!r} must be 0 or 1", line, names[j])
            if value == "1":
                code |= 1 << j
        if code == 0:
            raise TableError(f"row {line}: the history is on no list (all zeros); the unobserved cell "
                             "is what is estimated and cannot be given", line)
        count = _parse_count(row[-1], line, m, names[-1])
        if code in first_seen:
            raise TableError(
                f"row {line}: history repeated (first given on row {first_seen[code]}); give each history once",
                line)
        first_seen[code] = line
        counts[code - 1] = count
    if counts.sum() == 0:
        raise TableError("the table has no one in it (all counts are 0)")
    return CaptureTable(tuple(names[:-1]), counts)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _parse_count(value: str, line: int, m: int, name: str) -> int:
    where = f"row {line}, column {m + 1} ({name!r})"
    try:
        number = float(value)
    except ValueError:
        raise TableError(f"{where}: count {value!r} is not a number", line, name) from None
    if not np.isfinite(number) or number != int(number):
        raise TableError(f"{where}: count {value!r} is not a whole number", line, name)
    if number < 0:
        raise TableError(f"{where}: count {value!r} is negative", line, name)
    return int(number)
