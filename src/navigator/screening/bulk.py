"""Writing a batch of imported police records and their screening results in a few statements.

The import is the hot path of screening (tens of thousands of records a second), so rows are built as
tuples of database values, without model instances: narratives are sealed by the model fields' own
encryption, and PostgreSQL receives them with COPY, SQLite with one executemany. Record ids come from
the identity sequence on PostgreSQL (one query per batch) and are read back by key on SQLite, so the
screening results can refer to them. Each record says what screened it; a screening result is written only
for a record the screening found something in (about one in ten), the others having been screened clean.
"""

import json
from collections.abc import Sequence

from django.db import connection

from .models import PoliceRecord, ScreeningResult, TriageDecision

SCREENED_COLUMNS = ("screened_with", "screened_threshold", "screened_at")
RECORD_COLUMNS = ("force_id", "ref", "recorded_at", "record_type", "location", "text", "entities", "text_digest",
                  "imported_at", "updated_at", *SCREENED_COLUMNS)
CHANGED_COLUMNS = ("recorded_at", "record_type", "location", "text", "entities", "text_digest", "updated_at",
                   *SCREENED_COLUMNS)
DETAILS_COLUMNS = ("recorded_at", "record_type", "location", "entities", "text_digest")
RESULT_COLUMNS = ("record_id", "score", "flagged", "hits", "held_back")
NO_HITS = "[]"
_HITS = RESULT_COLUMNS.index("hits")
_SQLITE_CHUNK = 900  # stays under SQLite's limit on bound parameters in one statement

# Statements are built from the models' own table and column names, never from input (hence the noqa).
_RECORDS = PoliceRecord._meta.db_table
_RESULTS = ScreeningResult._meta.db_table
_DECISIONS = TriageDecision._meta.db_table
_SELECT_STORED = f"SELECT ref, id, text_digest FROM {_RECORDS} WHERE force_id = %s AND ref "  # noqa: S608
# On PostgreSQL each ref is looked up on its own in the (force, ref) index, whatever the planner knows of the table:
# "ref = ANY(...)", and a join, were planned on a table an import had grown since it was last analysed as a read of
# every record of the force (up to 0.4 s a batch of 5,000 between 100,000 and 600,000 records, against 0.02 s).
# OFFSET 0 keeps the lookup a subquery of its own, which the planner does not merge into a join.
_SELECT_STORED_EACH = (f"SELECT given.ref, stored.id, stored.text_digest FROM unnest(%s::text[]) AS given(ref) "  # noqa: S608
                       f"CROSS JOIN LATERAL (SELECT id, text_digest FROM {_RECORDS} "
                       "WHERE force_id = %s AND ref = given.ref OFFSET 0) AS stored")
_NEXT_IDS = f"SELECT nextval(pg_get_serial_sequence('{_RECORDS}', 'id')) FROM generate_series(1, %s)"  # noqa: S608
_INSERT_RECORD = f"INSERT INTO {_RECORDS} ({', '.join(RECORD_COLUMNS)}) VALUES ({', '.join(['%s'] * len(RECORD_COLUMNS))})"  # noqa: S608, E501
# previous_text takes the narrative being replaced (SQL reads the row's old values on the right of SET), unless the
# record has changed since its current decision already: then it keeps the narrative the navigator decided on, so
# that the record page shows everything since the decision, not only the last import's change.
_UPDATE_RECORD = (f"UPDATE {_RECORDS} SET previous_text = CASE WHEN EXISTS (SELECT 1 FROM {_DECISIONS} d "  # noqa: S608
                  f"WHERE d.record_id = {_RECORDS}.id AND d.is_current AND d.decided_at < {_RECORDS}.updated_at) "
                  "THEN previous_text ELSE text END, "
                  f"{', '.join(f'{name} = %s' for name in CHANGED_COLUMNS)} WHERE id = %s")
# A record whose narrative is unchanged keeps it, its updated_at (when its narrative last changed) and its screening.
_UPDATE_DETAILS = (f"UPDATE {_RECORDS} SET {', '.join(f'{name} = %s' for name in DETAILS_COLUMNS)} "  # noqa: S608
                   "WHERE id = %s")
_DELETE_RESULTS = f"DELETE FROM {_RESULTS} WHERE record_id IN "  # noqa: S608
_INSERT_RESULT = f"INSERT INTO {_RESULTS} ({', '.join(RESULT_COLUMNS)}) VALUES ({', '.join(['%s'] * len(RESULT_COLUMNS))})"  # noqa: S608, E501


def _placeholders(count: int) -> str:
    return "(" + ", ".join(["%s"] * count) + ")"


def _sealer(model, name: str):
    return model._meta.get_field(name).get_prep_value


seal_location = _sealer(PoliceRecord, "location")
seal_text = _sealer(PoliceRecord, "text")
seal_entities = _sealer(PoliceRecord, "entities")


def datetime_adapter():
    """Datetimes as this connection's driver takes them (SQLite stores text in Django's own format);
    resolved once, so a thread without a connection can use it."""
    return connection.ops.adapt_datetimefield_value if connection.vendor == "sqlite" else _unchanged


def _unchanged(value):
    return value


def hits_json(hits) -> str:
    """Hits as stored: a hit's fields without the matched words, which stay in the sealed narrative."""
    if not hits:
        return NO_HITS
    return json.dumps([{name: value for name, value in hit.to_dict().items() if name != "text"} for hit in hits],
                      ensure_ascii=False)


def existing(force_id: int, refs: Sequence[str]) -> dict[str, tuple[int, str]]:
    """``{ref: (id, text_digest)}`` for the refs of one force that are already stored."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_SELECT_STORED_EACH, [list(refs), force_id])
            rows = cursor.fetchall()
        else:
            rows = []
            for start in range(0, len(refs), _SQLITE_CHUNK):
                chunk = refs[start:start + _SQLITE_CHUNK]
                cursor.execute(_SELECT_STORED + "IN " + _placeholders(len(chunk)), [force_id, *chunk])
                rows.extend(cursor.fetchall())
    return {ref: (pk, digest) for ref, pk, digest in rows}


def insert_records(rows: list[tuple]) -> list[int]:
    """Insert rows of RECORD_COLUMNS; returns their new ids in order."""
    if not rows:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_NEXT_IDS, [len(rows)])
            ids = [pk for (pk,) in cursor.fetchall()]
            _copy(cursor, _RECORDS, ("id", *RECORD_COLUMNS), [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
            return ids
        cursor.executemany(_INSERT_RECORD, rows)
    found = existing(rows[0][0], [row[1] for row in rows])
    return [found[row[1]][0] for row in rows]


def update_records(rows: list[tuple]) -> None:
    """Rows of (id, *CHANGED_COLUMNS): a changed record keeps its id, decisions and history."""
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_UPDATE_RECORD, [(*values, pk) for pk, *values in rows])


def update_details(rows: list[tuple]) -> None:
    """Rows of (id, *DETAILS_COLUMNS): records whose narrative is unchanged."""
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_UPDATE_DETAILS, [(*values, pk) for pk, *values in rows])


def replace_results(rows: list[tuple], replaced_record_ids: Sequence[int]) -> None:
    """Remove the old results of re-screened records, then store the rows of RESULT_COLUMNS whose screening found
    something (a hit, negated or not): a record without a result was screened clean."""
    rows = [row for row in rows if row[_HITS] != NO_HITS]
    with connection.cursor() as cursor:
        for start in range(0, len(replaced_record_ids), _SQLITE_CHUNK):
            chunk = replaced_record_ids[start:start + _SQLITE_CHUNK]
            cursor.execute(_DELETE_RESULTS + _placeholders(len(chunk)), chunk)
        if not rows:
            return
        if connection.vendor == "postgresql":
            _copy(cursor, _RESULTS, RESULT_COLUMNS, rows)
        else:
            cursor.executemany(_INSERT_RESULT, rows)


def _copy(cursor, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
