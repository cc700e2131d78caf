"""Imports and re-screens when something goes wrong part way, or runs alongside other work: nothing is left unaudited
or unexplained, no narrative is copied into plain task rows, and no record keeps a result screened from the
narrative an import replaced."""
import html
import json
import threading
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from navigator.core.models import AuditEvent, TaskProgress
from navigator.screening import bulk, services
from navigator.screening.importing import MAX_LINE_BYTES, FileFormatError, read_records
from navigator.screening.models import PoliceRecord, TriageDecision

from .test_import_triage import ORDINARY, SLAVERY, _record, _write

NARRATIVE = "Jane Invented-Victim, 17, says the boss keeps her passport and she sleeps at the car wash"


def _failing_on_batch(monkeypatch, failing: int, error: BaseException = RuntimeError("database went away")) -> None:
    """The *failing*-th batch of two records fails to store (a lost connection, a full disk, Ctrl+C)."""
    monkeypatch.setattr(services, "BATCH", 2)
    real_write, calls = services._write_batch, []

    def write(*args, **kwargs):
        calls.append(1)
        if len(calls) == failing:
            raise error
        return real_write(*args, **kwargs)

    monkeypatch.setattr(services, "_write_batch", write)


def test_an_import_that_stops_part_way_says_where_and_audits_what_it_stored(tmp_path, forces, monkeypatch):
    _failing_on_batch(monkeypatch, 3)
    path = _write(tmp_path / "r.jsonl", [_record(f"E{n}", SLAVERY) for n in range(10)])
    with pytest.raises(CommandError, match="stopped after 4 of 10 records .*import the same file again to finish"):
        call_command("records", "import", str(path), "--force", "ESX")
    assert PoliceRecord.objects.count() == 4
    event = AuditEvent.objects.get(object_type="screening.import")
    assert event.object_label == "import of r.jsonl stopped" and event.changes["created"] == 4

    monkeypatch.undo()
    call_command("records", "import", str(path), "--force", "ESX")  # running it again finishes it
    assert PoliceRecord.objects.count() == 10


def test_an_import_stopped_by_ctrl_c_audits_what_it_stored(tmp_path, forces, monkeypatch):
    _failing_on_batch(monkeypatch, 3, KeyboardInterrupt())
    path = _write(tmp_path / "r.jsonl", [_record(f"E{n}", SLAVERY) for n in range(10)])
    with pytest.raises(KeyboardInterrupt):
        services.import_records(actor=None, path=path, force=forces["ESX"])
    event = AuditEvent.objects.get(object_type="screening.import")
    assert event.object_label == "import of r.jsonl stopped" and event.changes["error"] == "KeyboardInterrupt"
    assert PoliceRecord.objects.count() == event.changes["created"] == 4


def test_an_import_whose_screening_process_dies_stops_and_audits_what_it_stored(tmp_path, forces, monkeypatch):
    """A file of several batches is screened in a forked process: killed (the OOM killer), the import stops with
    what it stored, instead of waiting for it for ever."""
    import os

    monkeypatch.setattr(services, "BATCH", 2)
    real_results, screened = services._stored_results, []

    def dies_on_the_third_batch(screener, texts):
        screened.append(1)  # in the screening process: its own count
        if len(screened) == 3:
            os._exit(9)
        return real_results(screener, texts)

    monkeypatch.setattr(services, "_stored_results", dies_on_the_third_batch)
    path = _write(tmp_path / "r.jsonl", [_record(f"E{n}", SLAVERY) for n in range(10)])
    with pytest.raises(CommandError, match="stopped after 4 of 10 records .*import the same file again to finish"):
        call_command("records", "import", str(path), "--force", "ESX")
    assert PoliceRecord.objects.count() == 4 and not screened, "screened in another process"
    event = AuditEvent.objects.get(object_type="screening.import")
    assert event.object_label == "import of r.jsonl stopped" and event.changes["error"] == "WorkerStopped"


@pytest.mark.django_db(transaction=True)  # the import runs in a thread of its own, with its own connection
def test_an_import_that_stops_while_its_screening_process_is_busy_ends_at_once(tmp_path, forces, monkeypatch):
    """Batches full of signs: when storing one fails, the preparing thread may be sending the screening process the
    next batch while that process sends a large result nobody will read. The import once waited for ever there."""
    import multiprocessing

    _failing_on_batch(monkeypatch, 1)
    monkeypatch.setattr(services, "BATCH", 8)
    dense = "The boss keeps her passport. " * 3000  # 87,000 characters and 3,000 hits a record
    path = _write(tmp_path / "r.jsonl", [_record(f"E{n}", dense) for n in range(48)])
    outcome = []

    def run():
        try:
            services.import_records(actor=None, path=path, force=forces["ESX"])
        except services.ImportStopped as stopped:
            outcome.append(str(stopped.__cause__))

    importing = threading.Thread(target=run, daemon=True)
    importing.start()
    importing.join(60)
    stuck = importing.is_alive()
    for child in multiprocessing.active_children():  # frees an import that is stuck, so that the run goes on
        child.kill()
    importing.join(10)
    assert not stuck, "the import waited for ever"
    assert outcome == ["database went away"] and not multiprocessing.active_children()
    assert AuditEvent.objects.get(object_type="screening.import").changes["stopped"] is True


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_an_upload_that_stops_part_way_tells_the_navigator_how_to_finish(client, login, people, forces, monkeypatch):
    _failing_on_batch(monkeypatch, 2)
    login(people["navigator"])
    body = "".join(json.dumps(_record(f"U{n}", SLAVERY)) + "\n" for n in range(6)).encode()
    client.post(reverse("screening:upload"), {"force": forces["ESX"].pk,
                                              "file": SimpleUploadedFile("records.jsonl", body)})
    call_command("worker", "--batch")
    assert PoliceRecord.objects.count() == 2
    message = TaskProgress.objects.get().message
    assert "stopped after 2 of 6 records" in message and "import the same file again" in message
    assert AuditEvent.objects.filter(object_type="screening.import", object_label__endswith="stopped").exists()


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_line_errors_do_not_copy_narratives_into_plain_task_rows(client, login, people, forces):
    from django_tasks_db.models import DBTaskResult

    login(people["navigator"])
    # A spreadsheet export whose type and text columns were swapped: every line is refused.
    body = f'ref,force,recorded_at,type,text\nC1,ESX,2026-03-14,"{NARRATIVE}",incident\n'.encode()
    client.post(reverse("screening:upload"), {"force": forces["ESX"].pk,
                                              "file": SimpleUploadedFile("records.csv", body)})
    call_command("worker", "--batch")
    message = TaskProgress.objects.get().message
    assert "line 2, field 'type': a value of 89 characters is not one of" in message
    assert "Invented-Victim" not in message
    assert "Invented-Victim" not in json.dumps(DBTaskResult.objects.get().return_value)


def test_line_errors_repeat_short_values_only(tmp_path, forces):
    path = _write(tmp_path / "r.jsonl", [_record("E1", ORDINARY, type="x" * 900_000),
                                         _record("E2", ORDINARY, type="Parking"),
                                         _record("E3", ORDINARY, recorded_at=NARRATIVE)])
    errors = [str(item) for item in read_records(path, "ESX")]
    assert errors == ["line 1, field 'type': a value of 900,000 characters is not one of incident, crime, "
                      "intelligence, custody, stop, other",
                      "line 2, field 'type': 'Parking' is not one of incident, crime, intelligence, custody, stop, "
                      "other",
                      "line 3, field 'recorded_at': a value of 89 characters is not an ISO 8601 date or date-time, "
                      "e.g. 2026-03-14T22:05:00Z"]


def test_a_capitalised_type_is_read_and_a_ref_with_a_control_character_is_refused(tmp_path, forces):
    path = _write(tmp_path / "r.jsonl", [_record("E1", ORDINARY, type="Incident"), _record("E2\u0000", ORDINARY)])
    first, second = read_records(path, "ESX")
    assert first.record_type == "incident"
    assert str(second) == "line 2, field 'ref': holds a control character (a tab, a line break or an invisible code)"


def test_a_rescreen_keeps_the_result_of_a_narrative_an_import_changed_meanwhile(forces, tmp_path, monkeypatch):
    path = _write(tmp_path / "r.jsonl", [_record("E1", ORDINARY)])
    services.import_records(actor=None, path=path, force=forces["ESX"])
    real, interleaved = services._stored_results, []

    def screen_then_let_an_import_commit(screener, texts):
        results = real(screener, texts)
        if texts == [ORDINARY] and not interleaved:  # the re-screen has read and screened its batch ...
            interleaved.append(1)  # ... and an upload changes the narrative before it stores the results
            services.import_records(actor=None, path=_write(tmp_path / "r.jsonl", [_record("E1", SLAVERY)]),
                                    force=forces["ESX"])
        return results

    monkeypatch.setattr(services, "_stored_results", screen_then_let_an_import_commit)
    report = services.rescreen_records(everything=True)
    record = PoliceRecord.objects.select_related("screening").get()
    assert record.text == SLAVERY and record.screening.flagged, "the import's own result for the new narrative"
    assert report.checked == 0


def _decided(forces, people, tmp_path):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("E1", SLAVERY)])), "--force", "ESX")
    return services.decide(actor=people["navigator"], record=PoliceRecord.objects.get(), decision="potential",
                           reason="Told the navigator in confidence that her brother is held too")


def test_police_read_decisions_through_the_api_without_the_reason_and_the_read_is_audited(client, login, people,
                                                                                          forces, tmp_path):
    decision = _decided(forces, people, tmp_path)
    login(people["police"])
    listing = client.get(reverse("triage-decision-list")).json()
    detail = client.get(reverse("triage-decision-detail", args=[decision.pk])).json()
    assert listing["results"][0]["decision"] == detail["decision"] == "potential"
    assert "reason" not in listing["results"][0] and "reason" not in detail
    reads = AuditEvent.objects.filter(object_type="screening.triagedecision", action="view", actor=people["police"])
    assert [event.changes["decisions"] for event in reads.order_by("pk")] == [[decision.pk], [decision.pk]]

    login(people["navigator"])
    assert "in confidence" in client.get(reverse("triage-decision-detail", args=[decision.pk])).json()["reason"]


def test_police_read_what_a_navigator_asks_them_for_and_no_other_reason(client, login, people, forces, tmp_path):
    first = _decided(forces, people, tmp_path)
    earlier = services.decide(actor=people["navigator"], record=first.record, decision="more_info",
                              reason="Written before the form said police read it")
    TriageDecision.objects.filter(pk=earlier.pk).update(shared_with_police=False)  # as the migration leaves them
    login(people["police"])
    assert "Written before" not in client.get(reverse("screening:decisions")).content.decode()
    assert "reason" not in client.get(reverse("triage-decision-detail", args=[earlier.pk])).json()
    login(people["navigator"])
    asking = services.decide(actor=people["navigator"], record=first.record, decision="more_info",
                             reason="Ask the OIC whether the workers were spoken to alone")
    login(people["police"])
    detail = client.get(reverse("triage-decision-detail", args=[asking.pk])).json()
    assert detail["reason"] == "Ask the OIC whether the workers were spoken to alone"
    page = client.get(reverse("screening:decisions")).content.decode()
    assert "Information needed" in page and "Ask the OIC whether the workers were spoken to alone" in page
    assert "in confidence" not in page
    reads = AuditEvent.objects.filter(object_type="screening.triagedecision", action="view", actor=people["police"],
                                      changes__decisions=[asking.pk])
    assert reads.count() == 2, "the API read and the page's"
    services.decide(actor=people["navigator"], record=first.record, decision="potential", reason="OIC: not alone")
    page = client.get(reverse("screening:decisions")).content.decode()
    assert "OIC: not alone" not in page and "Ask the OIC" not in page
    login(people["navigator"])
    form = client.get(reverse("screening:record", args=[first.record.pk])).content.decode()
    assert "police users read that reason" in html.unescape(form), "the navigator is told who reads it"


def test_police_read_how_a_record_stands_through_the_api_not_its_reversed_decisions(client, login, people, forces,
                                                                                    tmp_path):
    first = _decided(forces, people, tmp_path)
    second = services.decide(actor=people["navigator"], record=first.record, decision="not_ms", reason="Checked")
    login(people["police"])
    everything = client.get(reverse("triage-decision-list"), {"record": first.record.pk}).json()["results"]
    reversed_ones = client.get(reverse("triage-decision-list"), {"record": first.record.pk, "current": "false"})
    assert [row["id"] for row in everything] == [second.pk] and reversed_ones.json()["results"] == []
    assert client.get(reverse("triage-decision-detail", args=[first.pk])).status_code == 404
    login(people["navigator"])
    assert len(client.get(reverse("triage-decision-list"), {"record": first.record.pk}).json()["results"]) == 2


def test_the_api_refuses_a_reason_the_form_would_refuse(client, login, people, forces, tmp_path):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("E1", SLAVERY)])), "--force", "ESX")
    login(people["navigator"])
    response = client.post(reverse("triage-decision-list"), {"record": PoliceRecord.objects.get().pk,
                                                             "decision": "not_ms", "reason": "x" * 5001},
                           content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    page = client.post(reverse("screening:record", args=[PoliceRecord.objects.get().pk]),
                       {"decision": "not_ms", "reason": "x" * 5001}).content.decode()
    assert "Reason must be 5,000 characters or fewer" in page
    ten_lines = "\r\n".join(["x" * 499] * 10) + "x"  # 5,000 characters as the box counts them (5,009 sent)
    response = client.post(reverse("screening:record", args=[PoliceRecord.objects.get().pk]),
                           {"decision": "not_ms", "reason": ten_lines})
    assert response.status_code == 302, "line breaks count once, as the character count shows"


def test_accepting_a_calibration_audits_the_threshold_it_replaced_and_refuses_one_fitted_to_another_library(people):
    from navigator.screening.screener import current_screener

    before = current_screener()
    stale = services.propose_calibration(weights={}, threshold=1.5, metrics={}, library_version="2020.1.0")
    with pytest.raises(ValueError, match="was fitted to 2020.1.0"):
        services.accept_calibration(actor=people["lead"], calibration=stale)
    proposal = services.propose_calibration(weights={}, threshold=before.threshold + 0.7, metrics={},
                                            library_version=before.version)
    services.accept_calibration(actor=people["lead"], calibration=proposal)
    event = AuditEvent.objects.filter(object_type="screening.calibration", action="update").get()
    assert event.changes["threshold"] == {"before": before.threshold, "after": before.threshold + 0.7}


def test_rescreen_finds_results_screened_before_a_calibration_that_kept_the_threshold(people, forces, tmp_path):
    from navigator.screening.screener import current_screener

    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("E1", SLAVERY)])), "--force", "ESX")
    screener = current_screener()
    lighter = services.propose_calibration(weights={i.id: 0.01 for i in screener.indicators if i.weight > 0},
                                           threshold=screener.threshold, metrics={}, library_version=screener.version)
    services.accept_calibration(actor=people["lead"], calibration=lighter)
    report = services.rescreen_records()
    assert (report.checked, report.no_longer_flagged) == (1, 1)
    assert services.rescreen_records().checked == 0, "and then it is current"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite's BEGIN IMMEDIATE serialises the two transactions already; CI runs PostgreSQL too")
@pytest.mark.django_db(transaction=True)
def test_a_decision_made_while_an_import_stores_the_record_waits_and_is_refused(tmp_path, people, forces,
                                                                                monkeypatch):
    path = _write(tmp_path / "r.jsonl", [_record("E1", ORDINARY)])
    services.import_records(actor=None, path=path, force=forces["ESX"])
    record = PoliceRecord.objects.get()
    seen = record.updated_at  # the navigator opens the record page
    refused = []

    def decide():
        try:
            services.decide(actor=people["navigator"], record=record, decision="not_ms", reason="Nothing here",
                            supersedes=None, record_seen=seen)
        except services.StaleDecision as stale:
            refused.append(stale.record_changed)
        finally:
            connection.close()

    deciding = threading.Thread(target=decide)
    real_update = bulk.update_records

    def update_records(rows):
        # The import holds its force's lock and has taken its time stamp; the navigator decides now.
        deciding.start()
        for _ in range(200):
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.05)
        return real_update(rows)

    monkeypatch.setattr(bulk, "update_records", update_records)
    _write(path, [_record("E1", SLAVERY)])  # the force's update adds a passport held and a debt
    services.import_records(actor=None, path=path, force=forces["ESX"])
    deciding.join()
    assert refused == [True], "the decision waited for the import and was refused: its maker read the old narrative"
    assert not TriageDecision.objects.exists()
    assert services.awaiting_decision(people["navigator"]).filter(pk=record.pk).exists()


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_an_upload_with_a_long_file_name_is_followed_like_any_other(client, login, people, forces):
    login(people["navigator"])
    name = "w" * 250 + ".jsonl"
    response = client.post(reverse("screening:upload"), {"force": forces["ESX"].pk, "file": SimpleUploadedFile(
        name, (json.dumps(_record("U1", SLAVERY)) + "\n").encode())})
    assert response.status_code == 302
    progress = TaskProgress.objects.get()
    assert progress.label.startswith("Import of www") and progress.label.endswith("… for Essex Police")
    call_command("worker", "--batch")
    assert PoliceRecord.objects.filter(ref="U1").exists()


def test_a_csv_quote_never_closed_is_refused_naming_its_line(tmp_path, forces):
    path = tmp_path / "r.csv"
    path.write_text("ref,force,recorded_at,type,text\nC1,ESX,2026-03-14,incident,\"He said \"\"boss holds passport\n"
                    + "".join(f"C{n},ESX,2026-03-14,incident,Noise complaint\n" for n in range(2, 500)))
    with pytest.raises(CommandError, match="line 2: a quote opened on this line is never closed") as raised:
        call_command("records", "import", str(path), "--force", "ESX")
    assert raised.value.returncode == 2 and not PoliceRecord.objects.exists()


def test_import_exits_2_for_bad_input_and_still_reports_when_the_report_cannot_be_written(tmp_path, forces, capsys):
    path = _write(tmp_path / "r.jsonl", [_record("E1", ORDINARY), _record("E2", ORDINARY, type="parking")])
    (tmp_path / "r.jsonl.report.txt").mkdir()  # the report cannot be written there
    with pytest.raises(CommandError, match="1 invalid lines; nothing imported") as raised:
        call_command("records", "import", str(path), "--force", "ESX")
    assert raised.value.returncode == 2
    err = capsys.readouterr().err
    assert "line 2, field 'type': 'parking' is not one of" in err and "Could not write the report to" in err
    with pytest.raises(CommandError, match="unknown force code 'XYZ'; the codes are .*ESX") as raised:
        call_command("records", "import", str(path), "--force", "XYZ")
    assert raised.value.returncode == 2

    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    rejected = tmp_path / "r.jsonl.rejected.jsonl"
    assert PoliceRecord.objects.count() == 1 and (rejected.stat().st_mode & 0o777) == 0o600
    assert json.loads(rejected.read_text())["ref"] == "E2", "the rejected lines can be corrected and imported"


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_an_oversize_line_is_refused_without_holding_it_in_memory(tmp_path, suffix):
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as handle:
        handle.write(b"ref,force,recorded_at,type,text\n" if suffix == ".csv" else b"")
        handle.write(b'{"text": "' + b"a" * (40 * MAX_LINE_BYTES) + b'"}\n')
        handle.write((json.dumps(_record("E2", ORDINARY)) + "\n").encode())
    tracemalloc.start()
    try:
        items = list(read_records(path, "ESX"))
    except FileFormatError as refused:  # a CSV cannot be read on past part of a row
        items = [refused]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 4 * MAX_LINE_BYTES, f"refusing one 40 MB line took {peak / 1e6:.0f} MB"
    if suffix == ".jsonl":
        assert str(items[0]) == f"line 1: line is longer than {MAX_LINE_BYTES:,} bytes"
        assert items[1].ref == "E2", "the next line is read as usual"
    else:
        assert str(items[0]) == f"line 2 is longer than {MAX_LINE_BYTES:,} characters"


def test_the_api_filters_as_documented_and_refuses_a_filter_it_cannot_read(client, login, people, forces, tmp_path):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [
        _record("E1", SLAVERY), _record("E2", ORDINARY)])), "--force", "ESX")
    login(people["navigator"])
    refs = lambda query: sorted(row["ref"] for row in client.get("/api/v1/police-records/", query).json()["results"])  # noqa: E731
    assert refs({"flagged": "true"}) == ["E1"] and refs({"flagged": "false"}) == ["E2"]
    assert refs({"ref": "E2"}) == ["E2"] and refs({"force": "esx"}) == ["E1", "E2"] and refs({"force": "GMP"}) == []
    assert client.get("/api/v1/police-records/", {"flagged": "yes"}).status_code == 400
    assert client.get("/api/v1/triage-decisions/", {"record": "²"}).status_code == 400, "a digit, but not 0-9"
    schema = client.get("/api/schema/").content.decode()
    assert all(f"name: {name}" in schema for name in ("flagged", "held_back", "ref", "force", "record", "current"))

    record = PoliceRecord.objects.get(ref="E1")
    first = services.decide(actor=people["navigator"], record=record, decision="more_info", reason="Ask")
    services.decide(actor=people["navigator"], record=record, decision="potential", reason="Asked")
    current = client.get("/api/v1/triage-decisions/", {"record": record.pk, "current": "true"}).json()["results"]
    assert [row["decision"] for row in current] == ["potential"]
    assert [row["id"] for row in client.get("/api/v1/triage-decisions/", {"record": record.pk, "current": "false"})
            .json()["results"]] == [first.pk]


def test_the_api_answers_401_to_a_caller_without_valid_credentials(client, db):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Token nope"}):
        response = client.get("/api/v1/police-records/", **headers)
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")


def test_import_says_when_nothing_changed_when_a_file_is_empty_and_when_every_line_names_another_force(
        tmp_path, forces, capsys):
    path = _write(tmp_path / "r.jsonl", [_record("E1", ORDINARY), _record("E2", ORDINARY)])
    call_command("records", "import", str(path), "--force", "ESX")
    call_command("records", "import", str(path), "--force", "ESX")
    assert "Nothing to change: the 2 records for ESX in the file are imported already" in capsys.readouterr().out
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(CommandError, match="holds no records") as raised:
        call_command("records", "import", str(empty), "--force", "ESX")
    assert raised.value.returncode == 2
    assert not AuditEvent.objects.filter(object_id="ESX", changes__file="empty.jsonl").exists(), "nothing imported"
    elsewhere = _write(tmp_path / "g.jsonl", [_record(f"G{n}", ORDINARY, force="GMP") for n in range(300)])
    with pytest.raises(CommandError, match="300 invalid lines"):
        call_command("records", "import", str(elsewhere), "--force", "ESX")
    assert "Every line names the force 'GMP': is --force ESX the right force for this file?" in capsys.readouterr().err
    call_command("records", "import", str(elsewhere), "--force", "ESX", "--skip-invalid")
    assert "Every line names the force 'GMP': is --force ESX" in capsys.readouterr().err, "every line was left out"


def test_the_api_answers_404_in_json_alike_for_every_missing_thing(client, login, people, forces, tmp_path):
    call_command("records", "import", str(_write(tmp_path / "g.jsonl", [_record("G1", SLAVERY, force="GMP")])),
                 "--force", "GMP")
    login(people["navigator"])
    other = client.get(f"/api/v1/police-records/{PoliceRecord.objects.get().pk}/")
    missing = client.get("/api/v1/police-records/999999/")
    nowhere = client.get("/api/v1/nothing/")
    assert [r.status_code for r in (other, missing, nowhere)] == [404, 404, 404]
    assert other.json() == missing.json() == nowhere.json() == {"detail": "Not found."}
    slashless = client.post("/api/v1/triage-decisions", {}, content_type="application/json")
    assert slashless.status_code == 404
    assert slashless.json()["detail"] == "Not found. The address ends with a slash: /api/v1/triage-decisions/"


def test_csv_errors_name_the_line_they_start_on(tmp_path, forces):
    long_file = tmp_path / "long.csv"
    long_file.write_text("ref,force,recorded_at,type,text\nC1,ESX,2026-03-14,incident,\"He said boss holds passport\n"
                         + "".join(f"C{n},ESX,2026-03-14,incident,Noise complaint at a flat on the high street\n"
                                   for n in range(2, 5000)))
    with pytest.raises(FileFormatError, match="^line 2: a quote opened on this line is never closed"):
        list(read_records(long_file, "ESX"))
    stray = tmp_path / "stray.csv"
    stray.write_text("ref,force,recorded_at,type,text\nC1,ESX,2026-03-14,incident,fine\n"
                     'C2,ESX,2026-03-14,incident,"He said" boss holds passport\n')
    with pytest.raises(FileFormatError, match="^line 3: "):
        list(read_records(stray, "ESX"))
    header = tmp_path / "header.csv"
    header.write_text('ref,force,recorded_at,type,"text\nC1,ESX,2026-03-14,incident,"fine"\n')
    with pytest.raises(FileFormatError, match="^line 1: a quote opened on this line is never closed"):
        list(read_records(header, "ESX"))


def test_a_csvs_rejected_lines_can_be_corrected_and_imported(tmp_path, forces):
    path = tmp_path / "r.csv"
    path.write_text('ref,force,recorded_at,type,text,entities\n'
                    'C2,ESX,2026-03-14,parking,Noise,"[{""kind"": ""phone"", ""value"": ""07700 900001""}]"\n')
    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    rejected = tmp_path / "r.csv.rejected.jsonl"
    corrected = _write(tmp_path / "fixed.jsonl", [dict(json.loads(line), type="incident")
                                                  for line in rejected.read_text().splitlines()])
    call_command("records", "import", str(corrected), "--force", "ESX")
    assert json.loads(PoliceRecord.objects.get().entities) == [{"kind": "phone", "value": "07700 900001"}]


def test_only_one_proposal_can_wait_for_a_lead(people):
    """Two fits at once must not leave two proposals, one never read: the database refuses the second."""
    from django.db import IntegrityError, transaction

    from navigator.screening.models import Calibration

    Calibration.objects.create(weights={}, threshold=1.2, metrics={}, library_version="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Calibration.objects.create(weights={}, threshold=1.3, metrics={}, library_version="x")
    services.propose_calibration(weights={}, threshold=1.4, metrics={}, library_version="x")
    assert list(Calibration.objects.values_list("threshold", "status").order_by("pk")) == [
        (1.2, "superseded"), (1.4, "proposed")]


SYNTHETIC_RECORDS = """
INSERT INTO screening_policerecord (force_id, ref, recorded_at, record_type, location, text, entities, text_digest,
                                    imported_at, updated_at, previous_text, screened_with)
SELECT %s, 'ESX-' || lpad(i::text, 7, '0'), now(), 'incident', '', 'sealed', '', repeat('0', 64), now(), now(), '', ''
FROM generate_series(1, %s) AS i
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's; SQLite's IN uses the index")
def test_an_import_finds_the_records_it_already_holds_through_the_index_however_large_the_force(forces):
    """An import grows a force's records faster than PostgreSQL analyses the table: looking up a batch's refs was then
    planned as a read of every record of the force (a million-record import took 89 s instead of 40)."""
    from django.test.utils import CaptureQueriesContext

    force = forces["ESX"]
    with connection.cursor() as cursor:
        cursor.execute(SYNTHETIC_RECORDS, [force.pk, 200_000])  # never analysed, as during an import
    refs = [f"ESX-{n:07d}" for n in range(100_000, 105_000)]
    with CaptureQueriesContext(connection) as queries:
        stored = bulk.existing(force.pk, refs)
    assert sorted(stored) == refs
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        plan = "\n".join(line[:100] for (line,) in cursor.fetchall())  # not the 5,000 refs
    assert "(ref)::text = given.ref" in plan and "one_record_per_force_ref" in plan, plan
    assert "Seq Scan on screening_policerecord" not in plan, plan


def test_an_import_stopped_by_sigterm_says_so_and_audits_what_it_stored(tmp_path, forces, monkeypatch, capsys):
    """A supervisor's kill stops `navigator records import` as Ctrl+C does: exit 130 and an audited stop."""
    import os
    import signal

    from navigator import cli

    monkeypatch.setattr(services, "BATCH", 2)
    real_write, calls = services._write_batch, []

    def write(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGTERM)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(services, "_write_batch", write)
    path = _write(tmp_path / "r.jsonl", [_record(f"E{n}", SLAVERY) for n in range(10)])
    monkeypatch.setattr("sys.argv", ["navigator", "records", "import", str(path), "--force", "ESX"])
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)  # the command closes them; the test's stays
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as stopped:
            cli.main()
    finally:
        signal.signal(signal.SIGTERM, previous)
    event = AuditEvent.objects.get(object_type="screening.import")
    assert event.object_label == "import of r.jsonl stopped" and event.changes["error"] == "KeyboardInterrupt"
    assert PoliceRecord.objects.count() == event.changes["created"]
    # The operator is told what is stored and how to finish, as after any other stop.
    assert stopped.value.code == 130
    assert capsys.readouterr().err == (
        f"navigator: The import stopped after {event.changes['created']} of 10 records (interrupted). The records "
        "before that are stored; import the same file again to finish (records already stored are not repeated).\n")
