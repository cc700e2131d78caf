"""Every write in screening: importing records, triage decisions and calibration, each audited."""

import datetime
import os
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from navigator.core import audit, crypto
from navigator.core.models import AuditAction, Force, Role
from navigator.core.scoping import CHANGE

from . import bulk
from .calibration import fit_weights
from .engine.forked import ForkedWorkers, can_fork
from .importing import FileFormatError, LineError, RecordIn, open_private, read_records
from .models import Calibration, CalibrationStatus, Decision, PoliceRecord, TriageDecision
from .screener import _screener, active_calibration, current_screener, screener_with

BATCH = 5000
MAX_ERRORS_REPORTED = 200
MAX_INVALID_RUNS = 10_000  # runs of bad lines whose numbers a report lists (a few hundred kB at most)


@dataclass
class ImportReport:
    path: str
    force: str
    lines_read: int = 0
    valid: int = 0
    invalid: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    imported: bool = False
    rejected_path: str = ""
    errors: list[str] = field(default_factory=list)
    invalid_runs: list[list[int]] = field(default_factory=list)  # [first, last] of each run of bad lines, in order
    # {ref: valid lines giving it} for the refs given on more than one line: only the last of them counts
    repeated: dict[str, int] = field(default_factory=dict)
    force_errors: int = 0  # lines naming another force than the import's
    forces_named: set[str] = field(default_factory=set)  # what the first two different such lines said

    @property
    def records(self) -> int:
        """The records the valid lines hold: a ref given on several lines is one record, its last line's."""
        return self.valid - sum(lines - 1 for lines in self.repeated.values())

    def note_invalid(self, line: int) -> None:
        runs = self.invalid_runs
        if runs and runs[-1][1] == line - 1:
            runs[-1][1] = line
        elif len(runs) < MAX_INVALID_RUNS:
            runs.append([line, line])

    def invalid_lines(self) -> str:
        """The numbers of the bad lines, runs of them as ranges ("3, 7-9, 12")."""
        listed = sum(last - first + 1 for first, last in self.invalid_runs)
        text = ", ".join(str(first) if first == last else f"{first}-{last}" for first, last in self.invalid_runs)
        if self.invalid > listed:
            text += f" and {self.invalid - listed} more after line {self.invalid_runs[-1][1]}"
        return text

    def other_force(self) -> str:
        """The force every line names, when every line names the same one other than the import's (else "")."""
        if not self.lines_read or self.force_errors != self.lines_read or len(self.forces_named) != 1:
            return ""
        return next(iter(self.forces_named)).removeprefix("is ").split(" but this import is for")[0]

    def other_force_hint(self, chosen: str) -> str:
        """When every line names the same other force, a question for whoever chose the import's force (*chosen*
        names it as they chose it: "--force ESX", "Essex Police (ESX)"); else ""."""
        other = self.other_force()
        return f"Every line names the force {other}: is {chosen} the right force for this file?" if other else ""

    def summary(self, on_the_web: bool = False) -> str:
        if not self.imported:
            how = ("tick “Import the good lines even if some lines are bad”" if on_the_web
                   else "--skip-invalid")
            return (f"Nothing imported: {self.invalid} of {self.lines_read} lines have errors. Correct them, or "
                    f"import again leaving the bad lines out ({how}).")
        stored = self.created + self.updated + self.unchanged
        if stored and stored == self.unchanged:
            text = (f"Nothing to change: the {stored} record{'' if stored == 1 else 's'} for {self.force} in the file "
                    f"{'is' if stored == 1 else 'are'} imported already, as {'it is' if stored == 1 else 'they are'}.")
        else:
            text = (f"Imported {stored} record{'' if stored == 1 else 's'} for {self.force}: {self.created} new, "
                    f"{self.updated} updated, {self.unchanged} unchanged; {self.flagged} flagged for triage.")
        if self.valid > self.records:
            repeats = self.valid - self.records
            text += (f" {repeats} line{'s' if repeats > 1 else ''} gave a ref that a later line gives again; the last "
                     "line with each ref counts.")
        if self.invalid:
            text += f" {self.invalid} invalid lines were left out" + (
                f" and written to {self.rejected_path}." if self.rejected_path else ".")
        return text


OPERATOR = "command-line operator"


def _require_navigator_of(actor, force: Force) -> None:
    if actor is None:
        return  # the command line: whoever holds the server's shell is trusted, and audited as the operator
    if actor.role != Role.NAVIGATOR or force.pk not in actor.force_ids:
        raise PermissionDenied(f"only a navigator deployed to {force.name} can import its records")


def validate_file(path: Path, force: Force, report: ImportReport, rejected_path: Path | None,
                  progress: Callable[[int], None] | None = None) -> None:
    """First pass: check every line; remember the first errors and, if asked, write rejected lines out.

    The rejected lines go to a file beside *rejected_path* that takes its name only once the whole file has been
    checked and some line was rejected: a file that stops being read (a quote never closed) leaves no partial list
    that would read as "these lines were rejected, the rest imported"."""
    partial_path = rejected_path.with_name(f".{rejected_path.name}.partial") if rejected_path else None
    partial = open_private(partial_path) if partial_path else None
    ref_hashes = array("q")  # each valid line's ref, hashed: 8 bytes a line, to find the refs given twice
    try:
        for item in read_records(path, force.code):
            report.lines_read += 1
            if isinstance(item, LineError):
                report.invalid += 1
                report.note_invalid(item.line)
                if item.field == "force":
                    report.force_errors += 1
                    if len(report.forces_named) < 2:
                        report.forces_named.add(item.message)
                if len(report.errors) < MAX_ERRORS_REPORTED:
                    report.errors.append(str(item))
                if partial:
                    partial.write(item.raw.rstrip("\n") + "\n")
            else:
                report.valid += 1
                ref_hashes.append(hash(item.ref))
            if progress and report.lines_read % BATCH == 0:
                progress(report.lines_read)
    except BaseException:
        if partial:  # neither this run's part nor an earlier run's list, which would read as this run's
            partial.close()
            partial_path.unlink(missing_ok=True)
            rejected_path.unlink(missing_ok=True)
        raise
    report.repeated = _repeated_refs(path, force.code, ref_hashes)
    if partial:
        partial.close()
        if report.invalid:
            os.replace(partial_path, rejected_path)
        else:  # nothing rejected: neither this run's empty list nor an earlier run's stays beside the file
            partial_path.unlink(missing_ok=True)
            rejected_path.unlink(missing_ok=True)


@dataclass
class _PreparedBatch:
    """A batch of checked records made ready to store: digested, sealed and screened."""

    lines: int
    refs: list[str]
    rows: list[tuple]  # (recorded_at, record_type, location, text, entities, text_digest), sealed
    results: list[tuple] | None  # (score, flagged, hits as JSON, held back); None: still with the screening process
    texts: list[str]  # the narratives, read: a record whose other details alone changed keeps its screening


def _prepare(batch: list[RecordIn], screener, to_db: Callable, screening: ForkedWorkers | None) -> _PreparedBatch:
    """The batch digested and sealed, then sent to the *screening* process if there is one (its results are received
    by whoever stores the batch), else screened here."""
    by_ref = {record.ref: record for record in batch}  # a ref repeated in one file: the last line wins
    refs, records = list(by_ref), list(by_ref.values())
    rows = []
    for record in records:
        entities = record.entities_json
        rows.append((to_db(record.recorded_at), record.record_type, bulk.seal_location(record.location),
                     bulk.seal_text(record.text), bulk.seal_entities(entities),
                     crypto.keyed_digest(record.digest_source(entities), "police-record")))
    texts = [record.text for record in records]
    if screening:
        screening.send(0, texts)  # waits while the process screens the batch before: this one is sealed already
        return _PreparedBatch(len(batch), refs, rows, None, texts)
    return _PreparedBatch(len(batch), refs, rows, _stored_results(screener, texts), texts)


_NOTHING_FOUND = (0.0, False, bulk.NO_HITS, False)


def _stored_results(screener, texts: list[str]) -> list[tuple]:
    """(score, flagged, hits as stored, held back by the wording model) for each text. Most records match nothing:
    they share one empty result instead of each building a ScreeningResult (about 5% of an import's time)."""
    held_back_ids = {indicator.id for indicator in screener.held_back_indicators}
    results = [_NOTHING_FOUND] * len(texts)
    for index, raw in screener.scan_batch(texts):
        result = screener.evaluate(None, texts[index], raw)
        results[index] = (result.score, result.flagged, bulk.hits_json(result.hits),
                          any(hit.indicator in held_back_ids for hit in result.hits))
    return results


def _write_batch(batch: _PreparedBatch, force: Force, screener, report: ImportReport) -> None:
    """Store the new and changed records of a batch with their screening results; skip unchanged ones.

    A record whose narrative changed is screened again and, if decided, comes back to the triage queue with the change
    shown; one whose other details alone changed (its location, date, type or entities) is updated and keeps its
    screening and its decision."""
    stored = bulk.existing(force.pk, batch.refs)
    now = bulk.datetime_adapter()(timezone.now())
    screened = (screener.version, screener.threshold, now)
    new_rows, new_results, changed = [], [], []
    for ref, row, result, text in zip(batch.refs, batch.rows, batch.results, batch.texts, strict=True):
        known = stored.get(ref)
        if known is not None and known[1] == row[-1]:
            report.unchanged += 1
        elif known is None:
            new_rows.append((force.pk, ref, *row, now, now, *screened))
            new_results.append(result)
            report.flagged += result[1]
        else:
            changed.append((known[0], row, result, text))
    # Most batches change nothing stored: only those that do read (and unseal) the narratives they change.
    narratives = dict(PoliceRecord.objects.filter(pk__in=[pk for pk, *_ in changed]).values_list("pk", "text")
                      ) if changed else {}
    changed_rows, changed_results, details_rows = [], [], []
    for pk, row, result, text in changed:
        if narratives.get(pk) == text:
            details_rows.append((pk, *row[:3], *row[4:]))
        else:
            changed_rows.append((pk, *row, now, *screened))
            changed_results.append((pk, *result))
            report.flagged += result[1]
    new_ids = bulk.insert_records(new_rows)
    bulk.update_records(changed_rows)
    bulk.update_details(details_rows)
    bulk.replace_results([(pk, *result) for pk, result in zip(new_ids, new_results, strict=True)] + changed_results,
                         [row[0] for row in changed_rows])
    report.created += len(new_rows)
    report.updated += len(changed_rows) + len(details_rows)


def _prepared_batches(path: Path, force: Force, screener, report: ImportReport) -> Iterator[_PreparedBatch]:
    """The records of the file's valid lines (``report.records`` of them) in prepared batches, in order; of a ref
    given on several lines, only the last (so that importing the file again finds every record as it left it).

    Reading and preparing (parsing, digesting, sealing) run in a second thread, a batch or two ahead, so that they use
    the interpreter while this thread waits for the database to store the batch before. A file of several batches is
    screened meanwhile in a forked process, which never touches the database connection it inherits: the preparing
    thread sends it each sealed batch and this thread receives the results, so that the process always has the next
    batch in hand (100,000 records into PostgreSQL on a 2-core machine: see bench/import_records.py; forking the whole
    preparation was measured slower, pickling the prepared rows).
    """
    to_db = bulk.datetime_adapter()
    lines_to_come = dict(report.repeated)

    def last_of_its_ref(record: RecordIn) -> bool:
        if record.ref not in lines_to_come:
            return True
        lines_to_come[record.ref] -= 1
        return lines_to_come[record.ref] == 0

    valid = (item for item in read_records(path, force.code) if not isinstance(item, LineError))
    if lines_to_come:  # most files repeat no ref: their records are not looked up one by one
        valid = filter(last_of_its_ref, valid)
    # Forked here, before the preparing thread starts.
    screening = (ForkedWorkers(partial(_stored_results, screener), 1) if report.records > BATCH and can_fork()
                 else None)

    def next_batch() -> _PreparedBatch | None:  # one worker: batches are read, and sent to be screened, in order
        batch = list(islice(valid, BATCH))
        return _prepare(batch, screener, to_db, screening) if batch else None

    with screening or nullcontext(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-prepare") as pool:
        pending = deque(pool.submit(next_batch) for _ in range(2))
        try:
            while (prepared := pending.popleft().result()) is not None:
                pending.append(pool.submit(next_batch))
                if screening:
                    prepared.results = screening.receive(0)
                yield prepared
        except BaseException:  # stopped early (a database error): do not read and seal batches nobody will store
            for future in pending:
                future.cancel()
            if screening:
                screening.kill()  # the preparing thread may be waiting to send it a batch: that now fails
            raise


def _repeated_refs(path: Path, force_code: str, ref_hashes: array) -> dict[str, int]:
    """{ref: valid lines giving it} for each ref given on more than one valid line of the file. Most files repeat
    none: the hashes say so without a second reading; when they match, the file is read again for those refs alone
    (two refs may share a hash)."""
    hashes = np.sort(np.frombuffer(ref_hashes, dtype=np.int64))
    shared = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
    if not shared:
        return {}
    lines: dict[str, int] = {}
    for item in read_records(path, force_code):
        if not isinstance(item, LineError) and hash(item.ref) in shared:
            lines[item.ref] = lines.get(item.ref, 0) + 1
    return {ref: count for ref, count in lines.items() if count > 1}


def import_records(*, actor, path: Path, force: Force, skip_invalid: bool = False, rejected_path: Path | None = None,
                   progress: Callable[[str, int, int | None], None] | None = None, name: str = "") -> ImportReport:
    """Check every line first; import nothing if any is bad (unless skip_invalid), then upsert on force + ref.

    Batches commit one by one so a huge file does not hold one transaction; re-running the same file
    is safe (unchanged records are skipped), so an interrupted import is finished by running it again.
    *name* is the file's name as its owner knows it, for messages and the audit trail (an upload is stored under
    another); by default the path's.
    """
    _require_navigator_of(actor, force)
    name = name or path.name
    report = ImportReport(path=str(path), force=force.code)
    validate_file(path, force, report, rejected_path if skip_invalid else None,
                  progress=(lambda n: progress("Checking", n, None)) if progress else None)
    if not report.lines_read:
        raise FileFormatError(f"{name} holds no records")
    if report.invalid and not skip_invalid:
        with transaction.atomic():
            audit.record(actor=actor, username=OPERATOR, action=AuditAction.CREATE, object_type="screening.import",
                         object_id=force.code, label=f"rejected import of {name}",
                         changes={"file": name, "lines": report.lines_read, "invalid": report.invalid,
                                  "imported": False})
        return report
    if skip_invalid and report.invalid and rejected_path:
        report.rejected_path = str(rejected_path)
    screener = current_screener()
    done = 0
    try:
        for batch in _prepared_batches(path, force, screener, report):
            with transaction.atomic():
                # One batch of a force at a time: a concurrent import of the same force waits here, then finds
                # this batch's records stored instead of inserting them twice.
                Force.objects.select_for_update().filter(pk=force.pk).values_list("pk").get()
                _write_batch(batch, force, screener, report)
            done += batch.lines
            if progress:
                progress("Importing", done, report.records)
    except BaseException as failure:  # Ctrl+C and a stopped worker too
        # The batches stored so far stay (running the file again finishes the import); the trail says who stored
        # them and where it stopped.
        with transaction.atomic():
            audit.record(actor=actor, username=OPERATOR, action=AuditAction.CREATE, object_type="screening.import",
                         object_id=force.code, label=f"import of {name} stopped",
                         changes={"file": name, "lines": report.lines_read, "created": report.created,
                                  "updated": report.updated, "unchanged": report.unchanged, "stopped": True,
                                  "error": type(failure).__name__})
        if not isinstance(failure, Exception):
            raise ImportInterrupted(report) from failure
        raise ImportStopped(report, failure) from failure
    with transaction.atomic():
        report.imported = True
        audit.record(actor=actor, username=OPERATOR, action=AuditAction.CREATE, object_type="screening.import",
                     object_id=force.code, label=f"import of {name}",
                     changes={"file": name, "lines": report.lines_read, "created": report.created,
                              "updated": report.updated, "unchanged": report.unchanged, "invalid": report.invalid,
                              "flagged": report.flagged})
    return report


def _stopped_after(report: ImportReport, why: str) -> str:
    stored = report.created + report.updated + report.unchanged
    return (f"The import stopped after {stored:,} of {report.records:,} records ({why}). The records before that are "
            "stored; import the same file again to finish (records already stored are not repeated).")


class ImportStopped(Exception):
    """An import stopped part way (the database refused a batch, the process was stopped): *report* counts what was
    stored before it stopped."""

    def __init__(self, report: ImportReport, failure: Exception) -> None:
        super().__init__(_stopped_after(report, type(failure).__name__))
        self.report = report


class ImportInterrupted(KeyboardInterrupt):
    """Ctrl+C (or a stop signal) during an import: still an interruption, which says what was stored before it."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(_stopped_after(report, "interrupted"))
        self.report = report


RESCREEN_BATCH = 2000


@dataclass
class RescreenReport:
    version: str
    threshold: float
    checked: int = 0
    newly_flagged: int = 0
    no_longer_flagged: int = 0

    def summary(self) -> str:
        return (f"Re-screened {self.checked} records with {self.version} at threshold {self.threshold:g}: "
                f"{self.newly_flagged} newly flagged (they join the triage queue), "
                f"{self.no_longer_flagged} no longer flagged.")


def rescreen_records(*, force: Force | None = None, everything: bool = False, actor=None,
                     progress: Callable[[int, int], None] | None = None) -> RescreenReport:
    """Screen stored records again with the current library, wording model and threshold.

    Without *everything*, only records screened with another version or threshold (after an upgrade, or a
    calibration a lead accepted), or never screened. Decisions stay; each batch commits on its own, so an
    interrupted run is finished by running it again.
    """
    screener = current_screener()
    report = RescreenReport(version=screener.version, threshold=screener.threshold)
    records = PoliceRecord.objects.all() if force is None else PoliceRecord.objects.filter(force=force)
    if not everything:
        # Screened with another library, model or threshold, or before the calibration in force was accepted (which
        # may have kept the threshold and changed only weights).
        stale = ~Q(screened_with=screener.version, screened_threshold=screener.threshold)
        calibration = active_calibration()
        if calibration is not None:
            stale |= Q(screened_at__lt=calibration.accepted_at)
        records = records.filter(stale)
    total = records.count()
    last = 0
    while True:
        batch = list(records.filter(pk__gt=last).order_by("pk").select_related("screening")
                     .only("pk", "force_id", "text", "text_digest", "screening__flagged")[:RESCREEN_BATCH])
        if not batch:
            break
        last = batch[-1].pk
        screened = list(zip(batch, _stored_results(screener, [record.text for record in batch]), strict=True))
        with transaction.atomic():
            # An import may have changed a narrative since it was read here: it screened the new one itself, so its
            # result stays. The forces' locks (taken in order, as imports take them) wait for an import's batch.
            list(Force.objects.select_for_update().filter(pk__in={record.force_id for record in batch})
                 .order_by("pk").values_list("pk", flat=True))
            digests = dict(PoliceRecord.objects.filter(pk__in=[record.pk for record in batch])
                           .values_list("pk", "text_digest"))
            screened = [(record, result) for record, result in screened if digests.get(record.pk) == record.text_digest]
            screened_ids = [record.pk for record, _ in screened]
            # A re-screen changes no narrative, so the records keep their updated_at (QuerySet.update leaves it).
            PoliceRecord.objects.filter(pk__in=screened_ids).update(
                screened_with=screener.version, screened_threshold=screener.threshold, screened_at=timezone.now())
            bulk.replace_results([(record.pk, *result) for record, result in screened], screened_ids)
        for record, (_, flagged, _, _) in screened:
            was_flagged = getattr(getattr(record, "screening", None), "flagged", False)
            report.newly_flagged += flagged and not was_flagged
            report.no_longer_flagged += was_flagged and not flagged
        report.checked += len(screened)
        if progress:
            progress(report.checked, total)
    with transaction.atomic():
        # *actor*: the lead whose accepted calibration started it on the web; None: the command line.
        audit.record(actor=actor, username=OPERATOR, action=AuditAction.UPDATE, object_type="screening.rescreen",
                     object_id=force.code if force else "all", label=f"re-screen with {screener.version}",
                     changes={"records": report.checked, "newly_flagged": report.newly_flagged,
                              "no_longer_flagged": report.no_longer_flagged, "threshold": screener.threshold})
    return report


class StaleDecision(Exception):
    """Someone else decided on the record, or an import changed it, after the deciding navigator read it."""

    def __init__(self, current: TriageDecision | None, record_changed: bool = False) -> None:
        super().__init__("the record changed since it was read" if record_changed
                         else "the record's decision changed since it was read")
        self.current = current
        self.record_changed = record_changed


UNCHECKED = object()


@transaction.atomic
def decide(*, actor, record: PoliceRecord, decision: str, reason: str, victim=None,
           supersedes: int | None | object = UNCHECKED, record_seen: datetime.datetime | None = None) -> TriageDecision:
    """Record a triage decision; an earlier decision on the record stays as history.

    *supersedes* is the id of the current decision the navigator saw (None: none yet); *record_seen* the record's
    ``updated_at`` when they read it. If another decision has been made since, or an import has changed the record,
    StaleDecision is raised and nothing changes: no one's decision is silently replaced, and no decision is made on
    a narrative its maker has not read."""
    # The force first, as an import takes it: a decision waits for an import's batch in progress and then sees the
    # record it changed (and refuses, if the navigator read the old narrative).
    Force.objects.select_for_update().filter(pk=record.force_id).values_list("pk").first()
    record = PoliceRecord.objects.visible_to(actor, CHANGE).select_for_update().get(pk=record.pk)
    if decision not in Decision.values:
        raise ValueError(f"unknown decision {decision!r}")
    if victim is not None and decision != Decision.POTENTIAL:
        raise ValueError("only a potential modern slavery decision links a victim")
    previous = record.decisions.select_related("victim").filter(is_current=True).first()
    if supersedes is not UNCHECKED and (previous.pk if previous else None) != supersedes:
        raise StaleDecision(previous)
    if record_seen is not None and record.updated_at != record_seen:
        raise StaleDecision(previous, record_changed=True)
    if previous:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    made = TriageDecision.objects.create(record=record, decision=decision, reason=reason, decided_by=actor,
                                         victim=victim, shared_with_police=decision == Decision.MORE_INFORMATION)
    audit.record(actor=actor, action=AuditAction.CREATE if previous is None else AuditAction.UPDATE, obj=record,
                 changes={"decision": {"before": previous.decision if previous else None, "after": decision},
                          "reason": {"before": audit.MASK if previous else "", "after": audit.MASK},
                          "victim": {"before": previous.victim.reference if previous and previous.victim else None,
                                     "after": victim.reference if victim else None}})
    return made


@transaction.atomic
def link_victim(*, actor, record_id: int, victim) -> str:
    """Link a victim to the current potential-modern-slavery decision on a record the actor can change."""
    decision = (TriageDecision.objects.select_for_update()
                .filter(record__in=PoliceRecord.objects.visible_to(actor, CHANGE), record_id=record_id,
                        is_current=True, decision=Decision.POTENTIAL, victim__isnull=True).first())
    if decision is None:
        return ""
    decision.victim = victim
    decision.save(update_fields=["victim"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=decision.record,
                 changes={"victim": {"before": None, "after": victim.reference}})
    return decision.record.ref


def awaiting_decision(actor):
    """The records the actor can see that wait for a decision: none yet, or none since the record last changed (a
    re-import that changes a decided record brings it back, showing the decision it had)."""
    current = TriageDecision.objects.filter(record=OuterRef("pk"), is_current=True)
    return (PoliceRecord.objects.visible_to(actor)
            .filter(~Exists(current.filter(decided_at__gte=OuterRef("updated_at"))))
            .annotate(decided_before=Subquery(current.values("decision")[:1])))


def waiting_per_force(actor) -> dict[int, int]:
    """Flagged records waiting for a decision, per force id."""
    return dict(awaiting_decision(actor).filter(screening__flagged=True).order_by()
                .values_list("force").annotate(n=Count("pk")))


def record_view(*, actor, record: PoliceRecord) -> None:
    audit.record(actor=actor, action=AuditAction.VIEW, obj=record)


def decision_search(*, actor, criteria: dict, result_count: int) -> None:
    """A search of the decisions by record reference: which kinds of criteria and how many results, not the values."""
    audit.record_search(actor=actor, object_type=TriageDecision._meta.label_lower, criteria=criteria,
                        result_count=result_count)


def cases_analysed_export(*, actor, start: datetime.date, end: datetime.date, forces: int, suppressed: bool) -> None:
    """A download of the cases analysed per force and month: the period and the number of forces' rows it held, and
    whether small counts were suppressed."""
    audit.record(actor=actor, action=AuditAction.EXPORT, object_type=TriageDecision._meta.label_lower,
                 label="Potential cases analysed per force and month",
                 changes={"format": "csv", "from": f"{start:%Y-%m}", "to": f"{end:%Y-%m}", "forces": forces,
                          "suppressed": suppressed})


def calibration_view(*, actor, calibration: Calibration, change: "QueueChange | None" = None) -> None:
    """The proposal's page was shown; with *change*, the waiting records it read to count what would move."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=calibration,
                 changes={"records_screened_again": change.checked} if change else None)


QUEUE_CHANGE_LIMIT = 20_000  # records of each kind screened again for a proposal's page, within a second or two


@dataclass
class QueueChange:
    """What accepting a proposal would do to the triage queue the lead sees: records waiting now that would no longer
    be flagged, with the signs they show, and records showing some sign, not flagged now, that would be."""
    leaving: int = 0
    joining: int = 0
    leaving_signs: list[tuple[str, int]] = field(default_factory=list)  # (sign's name, records), most first
    checked: int = 0
    partial: bool = False  # more records than QUEUE_CHANGE_LIMIT of a kind: the counts are of the first ones


def queue_change(*, actor, calibration: Calibration) -> QueueChange:
    """Screen the records waiting for a decision again with *calibration*'s weights and threshold (only a record with
    some counted sign can be flagged, whatever the weights, so the others are not read)."""
    proposed = screener_with(calibration.weights, calibration.threshold)
    names = {indicator.id: indicator.name for indicator in proposed.indicators}
    change = QueueChange()
    signs: dict[str, int] = {}
    waiting = awaiting_decision(actor).select_related("screening").only("pk", "text", "screening__flagged")
    for now_flagged in (True, False):
        kind = waiting.filter(screening__flagged=True) if now_flagged else waiting.filter(
            screening__flagged=False, screening__score__gt=0)
        records = list(kind.order_by("pk")[:QUEUE_CHANGE_LIMIT + 1])
        change.partial = change.partial or len(records) > QUEUE_CHANGE_LIMIT
        records = records[:QUEUE_CHANGE_LIMIT]
        change.checked += len(records)
        results = proposed.screen_batch([record.pk for record in records], [record.text for record in records])
        if now_flagged:
            leaving = [result for result in results if not result.flagged]
            change.leaving = len(leaving)
            for result in leaving:
                for indicator in result.indicators:
                    signs[indicator] = signs.get(indicator, 0) + 1
        else:
            change.joining = sum(result.flagged for result in results)
    change.leaving_signs = sorted(((names.get(sign, sign), count) for sign, count in signs.items()),
                                  key=lambda item: (-item[1], item[0]))
    return change


def decision_list_view(*, actor, decision_ids: list[int]) -> None:
    """One event for the decisions read through the API (their reasons are free text), naming each."""
    audit.record(actor=actor, action=AuditAction.VIEW, object_type=TriageDecision._meta.label_lower,
                 label=f"{len(decision_ids)} triage decisions read", changes={"decisions": decision_ids})


def record_list_view(*, actor, record_ids: list[int]) -> None:
    """One event for a page of records read through the API, naming every record on it."""
    audit.record(actor=actor, action=AuditAction.VIEW, object_type=PoliceRecord._meta.label_lower,
                 label=f"{len(record_ids)} police records listed", changes={"records": record_ids})


MIN_DECISIONS = 20
MIN_EACH = 5  # decisions of each kind (potential / not) needed to learn anything


class TooFewDecisions(ValueError):
    pass


def fit_calibration(*, actor=None, min_decisions: int = MIN_DECISIONS):
    """Fit weights and a threshold to the current decisions (other than 'needs more information') and propose them:
    ``(calibration, fit, fitted indicators)``. *actor*: the lead who asked on the web (the command line names none)."""
    screener = current_screener()
    decisions = (TriageDecision.objects.filter(is_current=True).exclude(decision=Decision.MORE_INFORMATION)
                 .select_related("record__screening"))
    examples, narratives = [], []
    for decision in decisions.iterator(chunk_size=2000):
        examples.append((set(decision.record.screening_outcome.counted_signs), decision.decision == Decision.POTENTIAL))
        narratives.append(decision.record.text)
    if len(examples) < min_decisions:
        raise TooFewDecisions(f"only {len(examples)} records have a decision; at least {min_decisions} are needed")
    positives = sum(label for _, label in examples)
    if min(positives, len(examples) - positives) < MIN_EACH:
        raise TooFewDecisions(f"{positives} potential modern slavery and {len(examples) - positives} not modern "
                              f"slavery decisions: at least {MIN_EACH} of each are needed to learn from")

    def rescreened(weights, threshold, rows):
        """Whether each of those decided records is flagged when screened again with these weights: the fit
        reads the stored results, which an older library may have written, and the weights also decide
        which records the wording model reads."""
        weighed = screener_with(weights, threshold)
        return [result.flagged for result in weighed.screen_many((row, narratives[row]) for row in rows)]

    # The partner reading's hold-back is not fitted: the record it marks is held back whatever its weight.
    fitted = [i for i in screener.indicators if i is not screener.library.domestic.held_back]
    fit = fit_weights(fitted, screener.threshold, examples, judge=rescreened)
    calibration = propose_calibration(weights=fit.weights, threshold=fit.threshold,
                                      metrics={"current": fit.current, "suggested": fit.suggested,
                                               "cross_validated": fit.cross_validated,
                                               "examples": fit.examples, "positives": fit.positives},
                                      library_version=screener.version, actor=actor)
    return calibration, fit, fitted


@transaction.atomic
def propose_calibration(*, weights: dict, threshold: float, metrics: dict, library_version: str,
                        actor=None) -> Calibration:
    Calibration.objects.filter(status=CalibrationStatus.PROPOSED).update(status=CalibrationStatus.SUPERSEDED)
    calibration = Calibration.objects.create(weights=weights, threshold=threshold, metrics=metrics,
                                             library_version=library_version)
    if actor is None:
        audit.record(actor=None, username="navigator screening calibrate", action=AuditAction.CREATE,
                     obj=calibration, changes={"threshold": {"before": None, "after": threshold}})
    else:
        audit.record(actor=actor, action=AuditAction.CREATE, obj=calibration,
                     changes={"threshold": {"before": None, "after": threshold}, "via": "web"})
    return calibration


@transaction.atomic
def accept_calibration(*, actor, calibration: Calibration, via: str = "web") -> Calibration:
    """*via* says where the lead accepted it: on the web (signed in) or on the command line (whoever holds the
    server's shell names the lead, so the trail says so)."""
    if actor.role != Role.LEAD:
        raise PermissionDenied("only a programme lead can accept a calibration")
    calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
    if calibration.status != CalibrationStatus.PROPOSED:
        raise ValueError(f"calibration {calibration.pk} is {calibration.status}, not proposed")
    replaced = current_screener()
    if calibration.library_version != replaced.version:
        raise ValueError(f"calibration {calibration.pk} was fitted to {calibration.library_version}, but records are "
                         f"screened with {replaced.version} now: run navigator screening calibrate again")
    Calibration.objects.filter(status=CalibrationStatus.ACCEPTED).update(status=CalibrationStatus.SUPERSEDED)
    calibration.status = CalibrationStatus.ACCEPTED
    calibration.accepted_by = actor
    calibration.accepted_at = timezone.now()
    calibration.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=calibration,
                 changes={"status": {"before": "proposed", "after": "accepted"},
                          "threshold": {"before": replaced.threshold, "after": calibration.threshold}, "via": via})
    _screener.cache_clear()
    return calibration
