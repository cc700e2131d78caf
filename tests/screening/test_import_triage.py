import csv
import datetime
import html
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from navigator.core.models import AuditEvent, Role, TaskProgress
from navigator.screening import services
from navigator.screening.importing import LONDON
from navigator.screening.models import Calibration, PoliceRecord, ScreeningResult, TriageDecision

from ..conftest import make_user

SLAVERY = ("Female found working at a nail bar says the boss keeps her passport and she works 14 hours a day "
           "to pay off a debt of 5000 pounds to the man who brought her to the UK.")
ORDINARY = "Burglary at a hand car wash overnight, till taken. No concerns about the workers."


def _record(ref, text, force="ESX", **extra):
    return {"ref": ref, "force": force, "recorded_at": "2026-03-14T22:05:00Z", "type": "incident",
            "location": "High Street", "text": text, **extra}


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" if isinstance(r, dict) else r + "\n" for r in records))
    return path


def test_import_screens_and_reimport_creates_no_duplicates(tmp_path, forces):
    path = _write(tmp_path / "records.jsonl", [
        _record("E1", SLAVERY, entities=[{"kind": "person", "value": "Invented Person"}]), _record("E2", ORDINARY)])
    call_command("records", "import", str(path), "--force", "ESX")
    assert PoliceRecord.objects.count() == 2
    flagged = PoliceRecord.objects.get(ref="E1").screening
    assert flagged.flagged and flagged.score >= 1
    assert {"documents_retained", "debt_bondage"} <= {hit["indicator"] for hit in flagged.hits}
    assert not PoliceRecord.objects.get(ref="E2").screening_outcome.flagged
    call_command("records", "import", str(path), "--force", "ESX")
    assert PoliceRecord.objects.count() == 2
    report = (tmp_path / "records.jsonl.report.txt").read_text()
    assert "the 2 records for ESX in the file are imported already" in report


def test_changed_narrative_updates_and_rescreens(tmp_path, forces):
    path = _write(tmp_path / "records.jsonl", [_record("E1", ORDINARY)])
    call_command("records", "import", str(path), "--force", "ESX")
    assert not PoliceRecord.objects.get(ref="E1").screening_outcome.flagged
    _write(path, [_record("E1", SLAVERY)])
    call_command("records", "import", str(path), "--force", "ESX")
    record = PoliceRecord.objects.get(ref="E1")
    assert record.text == SLAVERY and record.screening.flagged
    assert PoliceRecord.objects.count() == 1
    assert record.previous_text == ORDINARY, "the narrative it replaced is kept, sealed like the narrative"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT previous_text FROM screening_policerecord WHERE id = %s", [record.pk])
        assert ORDINARY not in cursor.fetchone()[0]


def test_bad_lines_are_named_and_nothing_is_imported(tmp_path, forces):
    path = _write(tmp_path / "records.jsonl", [
        _record("E1", SLAVERY),
        '{"ref": "E2", "force": "ESX", "recorded_at": "14/03/2026", "type": "incident", "text": "x"}',
        '{not json',
        json.dumps(_record("E4", ORDINARY, force="GMP")),
        json.dumps({**_record("E5", ORDINARY), "type": "parking"}),
        json.dumps({k: v for k, v in _record("E6", ORDINARY).items() if k != "text"}),
        json.dumps({**_record("E7", ORDINARY), "type": ["incident"]}),
        "",
        json.dumps(_record("E9", "Visite au café, rien à signaler.", type="parking"), ensure_ascii=False),
        json.dumps(_record("E10", ORDINARY, note=float("nan"))),  # NaN is JavaScript's, but Python's json reads it
        "[" * 100_000 + "]" * 100_000,
        '{"ref": ' + "9" * 5000 + "}",
        json.dumps(_record("E13", "Lone \ud800 surrogate")),
    ])
    with pytest.raises(CommandError, match="10 invalid lines; nothing imported"):
        call_command("records", "import", str(path), "--force", "ESX")
    report = (tmp_path / "records.jsonl.report.txt").read_text()
    assert "line 2, field 'recorded_at'" in report
    assert "line 3: is not valid JSON" in report
    assert "line 4, field 'force': is 'GMP' but this import is for ESX" in report
    assert "line 5, field 'type'" in report
    assert "line 6, field 'text': is missing" in report
    assert "line 7, field 'type': a list is not one of" in report
    assert "line 9, field 'type'" in report and "line 8" not in report and "line 10" not in report
    assert "line 11: is not valid JSON (nested too deeply)" in report
    assert "line 12: is not valid JSON" in report and "line 13: holds an unpaired surrogate" in report
    assert PoliceRecord.objects.count() == 0

    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert sorted(PoliceRecord.objects.values_list("ref", flat=True)) == ["E1", "E10"]
    rejected = (tmp_path / "records.jsonl.rejected.jsonl").read_text(encoding="utf-8").splitlines()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert rejected == [lines[n - 1] for n in (2, 3, 4, 5, 6, 7, 9, 11, 12, 13)], "each rejected line as it was read"


def test_csv_import(tmp_path, forces):
    path = tmp_path / "records.csv"
    path.write_text('ref,force,recorded_at,type,location,text,entities\n'
                    f'C1,ESX,2026-03-14,crime,,"{SLAVERY}","[{{""kind"": ""phone"", ""value"": ""07700 900001""}}]"\n'
                    'C2,ESX,2026-03-15,stop,Station,"Routine stop, nothing found.",\n')
    call_command("records", "import", str(path), "--force", "esx")
    assert PoliceRecord.objects.get(ref="C1").screening.flagged
    assert json.loads(PoliceRecord.objects.get(ref="C1").entities) == [{"kind": "phone", "value": "07700 900001"}]


def test_a_file_of_many_batches_is_prepared_in_order_and_stored_whole(tmp_path, forces, monkeypatch):
    monkeypatch.setattr("navigator.screening.services.BATCH", 4)  # 23 records: six batches, prepared ahead
    texts = {f"M{n:02d}": SLAVERY if n % 3 == 0 else f"{ORDINARY} Visit {n}." for n in range(23)}
    path = _write(tmp_path / "records.jsonl", [
        _record(ref, text, location=f"Unit {ref}", entities=[{"kind": "vehicle", "value": f"AB{ref} XYZ"}])
        for ref, text in texts.items()])
    call_command("records", "import", str(path), "--force", "ESX")
    stored = {r.ref: r for r in PoliceRecord.objects.select_related("screening")}
    assert set(stored) == set(texts)
    for ref, record in stored.items():
        assert record.text == texts[ref] and record.location == f"Unit {ref}"
        assert json.loads(record.entities) == [{"kind": "vehicle", "value": f"AB{ref} XYZ"}]
        assert record.screening_outcome.flagged == (texts[ref] == SLAVERY)
    assert "23 new, 0 updated, 0 unchanged; 8 flagged" in (tmp_path / "records.jsonl.report.txt").read_text()

    texts["M01"] = SLAVERY
    _write(path, [_record(ref, text, location=f"Unit {ref}", entities=[{"kind": "vehicle", "value": f"AB{ref} XYZ"}])
                  for ref, text in texts.items()])
    call_command("records", "import", str(path), "--force", "ESX")
    assert "0 new, 1 updated, 22 unchanged; 1 flagged" in (tmp_path / "records.jsonl.report.txt").read_text()
    assert PoliceRecord.objects.get(ref="M01").screening.flagged


def test_unknown_force_and_wrong_extension(tmp_path, forces):
    path = _write(tmp_path / "records.txt", [_record("E1", SLAVERY)])
    with pytest.raises(CommandError, match="use a .jsonl or .csv file"):
        call_command("records", "import", str(path), "--force", "ESX")
    with pytest.raises(CommandError, match="unknown force code"):
        call_command("records", "import", str(path), "--force", "XXX")


@pytest.fixture
def imported(tmp_path, forces):
    path = _write(tmp_path / "records.jsonl", [_record("E1", SLAVERY), _record("E2", ORDINARY),
                                               _record("G1", SLAVERY, force="GMP")])
    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    return PoliceRecord.objects.get(ref="E1")


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks, as in production
def test_upload_page_runs_the_import_as_a_task(client, login, people, forces):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(people["navigator"])
    upload = SimpleUploadedFile("records.jsonl", (json.dumps(_record("U1", SLAVERY)) + "\n").encode())
    response = client.post(reverse("screening:upload"), {"force": forces["ESX"].pk, "file": upload})
    task = TaskProgress.objects.get()
    assert response["Location"] == reverse("task-status", args=[task.task_id])
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page and "navigator/task-progress.js" in page, "it updates itself"
    call_command("worker", "--batch")
    page = client.get(response["Location"]).content.decode()
    assert "Finished" in page and "Imported 1 record for ESX: 1 new" in page
    assert "navigator/task-progress.js" not in page
    assert PoliceRecord.objects.get(ref="U1").screening.flagged


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_an_upload_rejected_in_full_says_nothing_changed_and_offers_to_try_again(client, login, people, forces):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(people["navigator"])
    lines = [json.dumps(_record("U1", SLAVERY)), '{"ref": "U2"}']
    upload = SimpleUploadedFile("records.jsonl", ("\n".join(lines) + "\n").encode())
    status_url = client.post(reverse("screening:upload"), {"force": forces["ESX"].pk, "file": upload})["Location"]
    paused = client.get(status_url, {"paused": "1"}).content.decode()
    assert "navigator/task-progress.js" not in paused and "no longer updates itself" in paused
    assert "Stop updating" in client.get(status_url).content.decode()
    call_command("worker", "--batch")
    page = client.get(status_url).content.decode()
    assert "Nothing changed</strong>" in page and "Finished" not in page
    assert "Nothing imported: 1 of 2 lines have errors" in page and "line 2" in page
    assert "tick “Import the good lines even if some lines are bad”" in page and "--skip-invalid" not in page
    assert "0 of" not in page and "2 of 2" not in page, "a file refused whole shows no records as done"
    again = re.search(r'href="([^"]*)"[^>]*>Try again', page).group(1).replace("&amp;", "&")
    assert again == f'{reverse("screening:upload")}?force=ESX'
    form = client.get(again).content.decode()
    assert re.search(rf'value="{forces["ESX"].pk}"[^>]* selected', form), "the force is chosen again"
    assert not re.search(r'name="skip_invalid"[^>]* checked', form), "leaving bad lines out stays a choice"
    assert not PoliceRecord.objects.exists()


def test_upload_rejects_a_wrong_file_type(client, login, people, forces):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(people["navigator"])
    page = client.post(reverse("screening:upload"), {"force": forces["ESX"].pk,
                                                     "file": SimpleUploadedFile("notes.docx", b"x")}).content.decode()
    assert "There is a problem" in page and "must be a .jsonl or .csv file" in page


def test_queue_shows_flagged_records_and_a_decision_removes_them(client, login, people, imported):
    login(people["navigator"])
    page = client.get(reverse("screening:queue")).content.decode()
    assert ">E1</a>" in page and ">E2</a>" not in page and ">G1</a>" not in page
    assert "Documents held by someone else" in page and "Working off a debt to the controllers" in page
    record_page = client.get(reverse("screening:record", args=[imported.pk])).content.decode()
    assert '<mark class="nav-hit">' in record_page and "explain-1" in record_page
    assert "<strong>Documents held by someone else</strong>" in record_page
    assert "records are flagged from 1.00" in record_page and "How the score is made" in record_page
    assert "14 March 2026 22:05" in record_page  # March is GMT
    PoliceRecord.objects.filter(pk=imported.pk).update(recorded_at=datetime.datetime(2026, 7, 1, tzinfo=LONDON))
    record_page = client.get(reverse("screening:record", args=[imported.pk])).content.decode()
    assert "1 July 2026</span>" in record_page, "a record dated without a time shows no midnight"
    assert "keeps her passport" in record_page
    response = client.post(reverse("screening:record", args=[imported.pk]),
                           {"decision": "potential", "reason": "Passport held and debt bondage"})
    assert response.status_code == 302
    page = client.get(reverse("screening:queue")).content.decode()
    assert ">E1</a>" not in page and "0 flagged records waiting" in page
    # Re-triage keeps the history.
    client.post(reverse("screening:record", args=[imported.pk]),
                {"decision": "more_info", "reason": "Ask the officer in the case"})
    decisions = list(TriageDecision.objects.filter(record=imported).order_by("id").values_list("decision",
                                                                                                "is_current"))
    assert decisions == [("potential", False), ("more_info", True)]
    assert AuditEvent.objects.filter(object_type="screening.policerecord", action="update").exists()


def test_decision_form_errors_and_victim_link(client, login, people, imported, make_victim, forces):
    login(people["navigator"])
    url = reverse("screening:record", args=[imported.pk])
    page = client.post(url, {"decision": "not_ms", "reason": "", "open_victim": "on"}).content.decode()
    assert "There is a problem" in page and "Enter the reason" in page
    assert "Only a potential modern slavery decision" in page
    victim = make_victim(people["navigator"], forces["ESX"])
    client.post(url, {"decision": "potential", "reason": "Clear control", "victim_reference": victim.reference})
    assert TriageDecision.objects.get(record=imported, is_current=True).victim == victim
    response = client.post(url, {"decision": "potential", "reason": "New person", "open_victim": "on"})
    assert response["Location"].startswith(reverse("victims:create"))
    from ..victims.test_pages import VALID

    client.post(response["Location"], {**VALID, "force": forces["ESX"].pk,
                                       "from_record": str(imported.pk)})
    linked = TriageDecision.objects.get(record=imported, is_current=True).victim
    assert linked is not None and linked.full_name == "Mira Example"

    # Each victim's trail shows the triage that linked it and the one that unlinked it.
    client.post(url, {"decision": "not_ms", "reason": "Changed my mind"})
    login(people["lead"])
    first = client.get(reverse("victims:history", args=[victim.reference])).content.decode()
    assert first.count(f"triage of police record {imported}") == 2, "linked, then unlinked by the next decision"
    assert f"Victim: — → {victim.reference}" in first and f"Victim: {victim.reference} → —" in first
    second = client.get(reverse("victims:history", args=[linked.reference])).content.decode()
    assert f"Victim: — → {linked.reference}" in second and f"Victim: {linked.reference} → —" in second
    # Decisions audited before 2026.11.30 named the victim they replaced by id.
    from navigator.core import audit

    audit.record(actor=people["navigator"], action="update", obj=imported,
                 changes={"decision": {"before": "potential", "after": "not_ms"},
                          "victim": {"before": linked.pk, "after": None}})
    second = client.get(reverse("victims:history", args=[linked.reference])).content.decode()
    assert second.count(f"triage of police record {imported}") == 3



def test_a_victim_opened_from_a_decision_starts_from_its_record(client, login, people, imported, forces):

    login(people["navigator"])
    url = reverse("screening:record", args=[imported.pk])
    response = client.post(url, {"decision": "potential", "reason": "Clear control", "open_victim": "on"})
    page = client.get(response["Location"]).content.decode()
    assert "linked to the decision on police record" in page and f">{imported.ref}</a>" in page
    assert re.search(rf'<option value="{forces["ESX"].pk}" selected>', page), "the record's force is chosen"
    assert re.search(rf'href="{url}">Cancel</a>', page), "cancel goes back to the record"
    # Leaving the page leaves the decision without a victim: the record page offers to open one.
    record_page = client.get(url).content.decode()
    assert f'href="{reverse("victims:create")}?from_record={imported.pk}">open a victim record' in record_page
    # A record whose decision cannot take a victim is not offered as the link.
    services.decide(actor=people["navigator"], record=imported, decision="not_ms", reason="Changed my mind")
    page = client.get(reverse("victims:create"), {"from_record": imported.pk}).content.decode()
    assert "linked to the decision" not in page
    # Another force's record is not named, and nothing is preselected from it.
    other = PoliceRecord.objects.create(force=forces["GMP"], ref="GMP-OTHER-REF", recorded_at=imported.recorded_at,
                                        record_type=imported.record_type, text="x")
    page = client.get(reverse("victims:create"), {"from_record": other.pk}).content.decode()
    assert "GMP-OTHER-REF" not in page and "linked to the decision" not in page


def test_triaging_again_starts_from_the_current_decision_and_keeps_its_victim(client, login, people, imported,
                                                                              make_victim, forces):
    login(people["navigator"])
    url = reverse("screening:record", args=[imported.pk])
    victim = make_victim(people["navigator"], forces["ESX"])
    response = client.post(url, {"decision": "potential", "reason": "Clear control",
                                 "victim_reference": victim.reference})
    assert f"Potential modern slavery; victim {victim.reference} linked" in client.get(response.url).content.decode()
    page = client.get(url).content.decode()
    assert re.search(r'value="potential"[^>]* checked', page), "the current decision is chosen"
    login(people["lead"])
    assert "Navigators deployed to Essex Police record decisions" in client.get(url).content.decode()
    login(people["navigator"])
    assert f'value="{victim.reference}"' in page, "the linked victim is filled in"
    assert f"{victim.reference} is linked to this record now" in page and "another decision unlinks it" in page
    assert 'name="reason"' in page and "Clear control</textarea>" not in page, "a new reason is asked for"
    form = {"decision": "potential", "reason": "Second look: same person", "victim_reference": victim.reference}
    client.post(url, {**form, "decision_seen": TriageDecision.objects.get(record=imported, is_current=True).pk})
    assert TriageDecision.objects.get(record=imported, is_current=True).victim == victim
    # The filled-in victim does not stop a change of decision: the new decision simply has none.
    form = {"decision": "not_ms", "reason": "On reflection, a pay dispute", "victim_reference": victim.reference}
    response = client.post(url, {**form, "decision_seen": TriageDecision.objects.get(record=imported,
                                                                                    is_current=True).pk})
    assert response.status_code == 302
    assert f"victim {victim.reference} is no longer linked to it" in client.get(response.url).content.decode()
    current = TriageDecision.objects.get(record=imported, is_current=True)
    assert current.decision == "not_ms" and current.victim is None
    # Deciding "potential" again offers the victim the earlier decision linked, not a second victim record.
    page = client.get(url).content.decode()
    assert f'value="{victim.reference}"' in page and f"{victim.reference} was linked to an earlier decision" in page
    # Another victim with a decision that cannot link one is still refused.
    other = make_victim(people["navigator"], forces["ESX"])
    page = client.post(url, {"decision": "not_ms", "reason": "x", "victim_reference": other.reference,
                             "decision_seen": current.pk}).content.decode()
    assert "Only a potential modern slavery decision" in page


def test_upload_page_has_one_file_input(client, login, people, forces):
    login(people["navigator"])
    page = client.get(reverse("screening:upload")).content.decode()
    assert page.count('type="file"') == 1 and page.count('id="id_file"') == 1
    page = client.post(reverse("screening:upload"), {"force": forces["ESX"].pk}).content.decode()
    assert page.count("Choose a file to upload") == 2, "once in the summary, once at the field"


def test_the_upload_page_chooses_the_force_of_a_navigator_who_has_one(client, login, people, forces):
    login(people["navigator"])
    page = client.get(reverse("screening:upload")).content.decode()
    assert re.search(rf'<option value="{forces["ESX"].pk}" selected>Essex Police</option>', page)
    assert "Choose a force" not in page, "nothing to pick, and no way to unpick it"
    response = client.post(reverse("screening:upload"), {"force": forces["ESX"].pk, "file": SimpleUploadedFile(
        "records.jsonl", (json.dumps(_record("U1", ORDINARY)) + "\n").encode())})
    assert response.status_code == 302
    both = make_user("nav.two", Role.NAVIGATOR, [forces["ESX"], forces["GMP"]])
    login(both)
    page = client.get(reverse("screening:upload")).content.decode()
    assert '<option value="" selected>Choose a force</option>' in page, "several forces: the navigator chooses"


def test_police_see_decisions_but_not_narratives(client, login, people, imported):

    services.decide(actor=people["navigator"], record=imported, decision="potential", reason="Control")
    login(people["police"])
    page = client.get(reverse("screening:decisions")).content.decode()
    assert "E1" in page and "Potential modern slavery" in page
    assert 'aria-current="true">Triage decisions</a>' in page, "the menu marks the page the user is on"
    assert client.get(reverse("screening:record", args=[imported.pk])).status_code == 404
    api = client.get(reverse("triage-decision-list")).json()
    assert [d["record_ref"] for d in api["results"]] == ["E1"]


def test_decisions_list_by_kind_finds_a_record_and_pages(client, login, people, forces, tmp_path, monkeypatch):
    from navigator.screening import services, views

    path = _write(tmp_path / "records.jsonl", [_record(f"E{n}", SLAVERY) for n in range(7)])
    call_command("records", "import", str(path), "--force", "ESX")
    records = list(PoliceRecord.objects.order_by("ref"))
    for n, record in enumerate(records):
        services.decide(actor=people["navigator"], record=record, decision="more_info" if n < 3 else "not_ms",
                        reason="Follow up")
    monkeypatch.setattr(views, "QUEUE_SIZE", 2)
    login(people["navigator"])
    url = reverse("screening:decisions")
    page = client.get(url, {"decision": "more_info"}).content.decode()
    assert "<strong>Needs more information (3)</strong>" in page and "Not modern slavery (4)</a>" in page
    assert "3 decisions, newest first (page 1 of 2)" in page
    second = client.get(url, {"decision": "more_info", "page": "2"}).content.decode()
    shown = set(re.findall(r">(E\d)</a>", page)) | set(re.findall(r">(E\d)</a>", second))
    assert shown == {"E0", "E1", "E2"}, "every follow-up, across pages"
    found = client.get(url, {"ref": "e5"}).content.decode()
    assert re.findall(r">(E\d)</a>", found) == ["E5"] and "1 decision on references containing “e5”" in found
    nothing = client.get(url, {"ref": "NOPE"}).content.decode()
    assert "No record in your forces has a reference containing “NOPE”, decided or not" in nothing
    searches = AuditEvent.objects.filter(action="search", object_type="screening.triagedecision")
    assert searches.count() == 2 and searches.first().changes in (
        {"criteria": ["ref"], "results": 0}, {"criteria": ["ref"], "results": 1})
    assert "e5" not in str(list(searches.values_list("changes", flat=True))), "the reference searched is not kept"
    assert "All (7)" in client.get(url, {"decision": "bogus"}).content.decode()


def test_summary_counts_records_analysed(client, login, people, imported):

    services.decide(actor=people["navigator"], record=imported, decision="potential", reason="Control")
    e2 = PoliceRecord.objects.get(ref="E2")
    services.decide(actor=people["navigator"], record=e2, decision="not_ms", reason="Burglary")
    services.decide(actor=people["navigator"], record=e2, decision="not_ms", reason="Still a burglary")
    login(people["lead"])
    page = client.get(reverse("screening:summary")).content.decode()
    assert "<strong>2</strong> records analysed" in page and "Essex Police" in page
    assert "keeps her passport" not in page
    login(people["evaluator"])  # figures for publication: no count small enough to single someone out
    assert "No decisions in this period." in client.get(reverse("screening:summary")).content.decode(), \
        "this year's decisions wait for the year to end"
    TriageDecision.objects.update(decided_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
    page = client.get(reverse("screening:summary"), {"year": "2025"}).content.decode()
    assert "<strong>&lt;5</strong> records analysed" in page and "Essex Police" in page
    cells = re.findall(r'govuk-table__cell--numeric">(?:<strong>)?([^<]*)<', page)
    assert cells and not set(cells) - {"0", "&lt;5", "[c]"}


def test_the_summary_counts_a_navigators_forces_and_every_force_for_leads_and_evaluators(client, login, people,
                                                                                         imported, tmp_path):
    from navigator.screening import services

    call_command("records", "import", str(_write(tmp_path / "g.jsonl", [_record("G1", SLAVERY, force="GMP")])),
                 "--force", "GMP")
    services.decide(actor=people["navigator"], record=imported, decision="potential", reason="Control")
    services.decide(actor=people["navigator_other"], record=PoliceRecord.objects.get(ref="G1"), decision="potential",
                    reason="Control")
    TriageDecision.objects.update(decided_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
    for role, shown in (("navigator", ["Essex Police"]), ("navigator_other", ["Greater Manchester Police"]),
                        ("lead", ["Essex Police", "Greater Manchester Police"]),
                        ("evaluator", ["Essex Police", "Greater Manchester Police"])):
        login(people[role])
        page = client.get(reverse("screening:summary"), {"from": "2025-01", "to": "2025-12", "year": "2025"}
                          ).content.decode()
        assert re.findall(r'<th scope="row" class="govuk-table__header">([^<]*)</th>', page) == shown, role
    login(people["police"])
    assert client.get(reverse("screening:summary")).status_code == 404


def _decided_in_2025(tmp_path, people, in_may: int, in_march: int) -> None:
    """Essex records decided in May and March 2025, as many as asked of each."""
    call_command("records", "import", str(_write(tmp_path / "e.jsonl", [
        _record(f"E{n:02d}", ORDINARY) for n in range(in_may + in_march)])), "--force", "ESX")
    records = list(PoliceRecord.objects.order_by("ref"))
    for record in records:
        services.decide(actor=people["navigator"], record=record, decision="not_ms", reason="Burglary")
    TriageDecision.objects.update(decided_at=datetime.datetime(2025, 5, 10, tzinfo=datetime.UTC))
    TriageDecision.objects.filter(record__in=records[:in_march]).update(
        decided_at=datetime.datetime(2025, 3, 10, tzinfo=datetime.UTC))


def test_an_evaluator_cannot_work_out_a_hidden_count_from_the_totals(client, login, people, forces, tmp_path):
    _decided_in_2025(tmp_path, people, in_may=10, in_march=3)
    call_command("records", "import", str(_write(tmp_path / "g.jsonl", [
        _record(f"G{n}", ORDINARY, force="GMP") for n in range(6)])), "--force", "GMP")
    for record in PoliceRecord.objects.filter(force__code="GMP"):
        services.decide(actor=people["navigator_other"], record=record, decision="not_ms", reason="Burglary")
    TriageDecision.objects.filter(record__force__code="GMP").update(
        decided_at=datetime.datetime(2025, 5, 10, tzinfo=datetime.UTC))
    login(people["evaluator"])
    page = client.get(reverse("screening:summary"), {"year": "2025"}).content.decode()
    row = re.search(r'<th scope="row" class="govuk-table__header">Essex Police</th>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'numeric">(?:<strong>)?([^<]*)<', row)
    assert "&lt;5" in cells[2:] and "10" in cells[2:], "3 in one month, 10 in another"
    assert cells[0] == "[c]", "13 - 10 would give the hidden 3 away"
    assert "<strong>[c]</strong> records analysed" in page, "and so would the grand total"
    assert re.findall(r"\* (\d+) / 100\)", page) == ["100"], "GMP's bar is not drawn against Essex's hidden 13"


def test_an_evaluator_reads_whole_years_so_two_periods_cannot_give_a_hidden_month_away(client, login, people, forces,
                                                                                       tmp_path):
    """January to April against January to May would be May's exact count, which the page shows as "<5"."""
    _decided_in_2025(tmp_path, people, in_may=2, in_march=10)
    login(people["lead"])
    to_april = client.get(reverse("screening:summary"), {"from": "2025-01", "to": "2025-04"}).content.decode()
    assert "<strong>10</strong> records analysed" in to_april, "leads choose any period"
    login(people["evaluator"])
    to_april = client.get(reverse("screening:summary"), {"from": "2025-01", "to": "2025-04", "year": "2025"})
    to_may = client.get(reverse("screening:summary"), {"from": "2025-01", "to": "2025-05", "year": "2025"})
    page = to_may.content.decode()
    assert _table_shown(to_april.content.decode()) == _table_shown(page), "the months are not an evaluator's choice"
    assert "From January 2025 to December 2025" in page and "<strong>[c]</strong> records analysed" in page
    assert '<option value="2025" selected>2025</option>' in page and 'name="from"' not in page
    last_year = datetime.date.today().year - 1
    shown = client.get(reverse("screening:summary"), {"year": "1999"}).content.decode()
    assert f"From January {last_year} to December {last_year}" in shown, "a year it cannot show gives last year"
    this_year = client.get(reverse("screening:summary"), {"year": str(last_year + 1)}).content.decode()
    assert f"From January {last_year} to December {last_year}" in this_year, "a year not ended is not offered"
    assert f'<option value="{last_year + 1}"' not in this_year


def _table_shown(page: str) -> list[list[str]]:
    """The summary's per-month table as the page shows it: its header, then a row a force."""
    table = re.search(r"<table.*?</table>", page, re.S).group(0)
    rows = re.findall(r"<tr.*?</tr>", table, re.S)
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row,
                                                                                            re.S)] for row in rows]


@pytest.mark.parametrize("role", ["navigator", "lead", "evaluator"])
def test_the_summary_table_downloads_as_shown(client, login, people, forces, tmp_path, role):
    from navigator.screening import services

    call_command("records", "import", str(_write(tmp_path / "e.jsonl", [_record(f"E{n}", ORDINARY)
                                                                          for n in range(13)])), "--force", "ESX")
    call_command("records", "import", str(_write(tmp_path / "g.jsonl", [_record("G1", SLAVERY, force="GMP")])),
                 "--force", "GMP")
    for record in PoliceRecord.objects.filter(force__code="ESX"):
        services.decide(actor=people["navigator"], record=record, decision="not_ms", reason="Burglary")
    services.decide(actor=people["navigator_other"], record=PoliceRecord.objects.get(ref="G1"), decision="potential",
                    reason="Control")
    TriageDecision.objects.update(decided_at=datetime.datetime(2025, 5, 10, tzinfo=datetime.UTC))
    TriageDecision.objects.filter(record__ref__in=["E0", "E1", "E2"]).update(
        decided_at=datetime.datetime(2025, 3, 10, tzinfo=datetime.UTC))
    login(people[role])
    page = client.get(reverse("screening:summary"), {"from": "2025-01", "to": "2025-12", "year": "2025"}
                      ).content.decode()
    link = re.search(r'href="([^"]*)" download>Download this table \(CSV\)', page).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="cases-analysed-')
    title, *table = list(csv.reader(io.StringIO(response.content.decode())))
    assert title[0].startswith("OFFICIAL-SENSITIVE - Potential modern slavery cases analysed")
    assert table == _table_shown(page), "the same figures, rows and columns as the page"
    assert [row[0] for row in table[1:]] == {
        "navigator": ["Essex Police"], "lead": ["Essex Police", "Greater Manchester Police"],
        "evaluator": ["Essex Police", "Greater Manchester Police"]}[role]
    if role == "evaluator":
        assert table[1][:3] == ["Essex Police", "[c]", "0"] and "<5" in table[1] and "10" in table[1]
        assert "3" not in table[1] and "13" not in table[1] and "counts from 1 to 4 shown as <5" in title[0]
    export = AuditEvent.objects.get(action="export", object_type="screening.triagedecision")
    assert export.actor == people[role] and export.changes["format"] == "csv"
    assert export.changes["forces"] == len(table) - 1 and export.changes["suppressed"] == (role == "evaluator")


def test_a_months_figure_stays_as_reported_when_a_record_is_triaged_again(client, login, people, imported):

    services.decide(actor=people["navigator"], record=imported, decision="more_info", reason="Ask the OIC")
    today = datetime.date.today()
    earlier = today.replace(day=1) - datetime.timedelta(days=40)
    TriageDecision.objects.update(decided_at=datetime.datetime(earlier.year, earlier.month, 10, tzinfo=datetime.UTC))
    services.decide(actor=people["navigator"], record=imported, decision="potential", reason="OIC confirms control")
    login(people["lead"])
    page = client.get(reverse("screening:summary")).content.decode()
    row = re.search(r'<th scope="row" class="govuk-table__header">Essex Police</th>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'numeric">(?:<strong>)?([^<]*)<', row)
    assert cells[:2] == ["1", "1"], "one record analysed, decided potential modern slavery now"
    months = re.findall(r'header--numeric">([A-Z][a-z]{2} \d{4})</th>', page)
    assert cells[2:][months.index(earlier.strftime("%b %Y"))] == "1", "counted in the month first decided"
    assert cells[2:][months.index(today.strftime("%b %Y"))] == "0"


# Decided not modern slavery by navigators, though the passport held flags it on its own: calibration learns that.
PASSPORT_ONLY = "Landlord says the boss keeps her passport in the office safe."


def _twelve_decided_each_way(tmp_path, people, not_slavery: str) -> None:
    """Twelve Essex records decided potential modern slavery (SLAVERY) and twelve not (*not_slavery*)."""

    records = [_record(f"P{n}", SLAVERY) for n in range(12)] + [_record(f"N{n}", not_slavery) for n in range(12)]
    call_command("records", "import", str(_write(tmp_path / "many.jsonl", records)), "--force", "ESX")
    for record in PoliceRecord.objects.all():
        decision = "potential" if record.ref.startswith("P") else "not_ms"
        services.decide(actor=people["navigator"], record=record, decision=decision, reason="test")


def test_calibrate_proposes_and_changes_nothing_until_a_lead_accepts(capsys, people, forces, tmp_path):
    from io import StringIO


    _twelve_decided_each_way(tmp_path, people, ORDINARY)
    out = StringIO()
    call_command("screening", "calibrate", stdout=out)
    text = out.getvalue()
    assert "Fitted from 24 decided records (12 potential modern slavery, 12 not)" in text
    assert "current   threshold 1.000: precision 1.000, recall 1.000" in text
    assert "(5-fold cross-validation): precision 1.000, recall 1.000" in text
    calibration = Calibration.objects.get()
    assert calibration.status == "proposed"
    with pytest.raises(CommandError, match="only a programme lead"):
        call_command("screening", "calibrate", "--accept", str(calibration.pk), "--user", "nav.essex")
    out = StringIO()
    call_command("screening", "calibrate", "--accept", str(calibration.pk), "--user", "the.lead", stdout=out)
    calibration.refresh_from_db()
    assert calibration.status == "accepted" and calibration.accepted_by == people["lead"]
    assert "Re-screened 24 records with" in out.getvalue(), "stored results follow the accepted weights"
    assert set(PoliceRecord.objects.values_list("screened_threshold", flat=True)) == {calibration.threshold}
    accepted = AuditEvent.objects.get(object_type="screening.calibration", action="update", actor=people["lead"])
    assert accepted.changes["via"] == "command line", "whoever holds the shell names the lead: the trail says so"


def test_calibrate_judges_weights_by_screening_the_decided_records_again(people, forces, tmp_path):
    """Stored results may come from an older library (here: one that found nothing in the potential cases); the
    figures a lead sees are what the weights do to the narratives now, not what the stored hits say."""
    from io import StringIO


    records = [_record(f"P{n}", SLAVERY) for n in range(12)] + [_record(f"N{n}", ORDINARY) for n in range(12)]
    call_command("records", "import", str(_write(tmp_path / "stale.jsonl", records)), "--force", "ESX")
    for record in PoliceRecord.objects.all():
        decision = "potential" if record.ref.startswith("P") else "not_ms"
        services.decide(actor=people["navigator"], record=record, decision=decision, reason="test")
    ScreeningResult.objects.filter(record__ref__startswith="P").update(hits=[], score=0.0, flagged=False)
    out = StringIO()
    call_command("screening", "calibrate", stdout=out)
    text = out.getvalue()
    assert "current   threshold 1.000: precision 1.000, recall 1.000, 12 flagged" in text
    assert "(5-fold cross-validation): precision 1.000, recall 1.000" in text


def test_calibrate_refuses_with_too_few_decisions(forces):
    with pytest.raises(CommandError, match="at least 20 are needed"):
        call_command("screening", "calibrate")


def test_calibrate_needs_decisions_of_both_kinds(people, forces, tmp_path):

    path = _write(tmp_path / "all.jsonl", [_record(f"P{n}", SLAVERY) for n in range(20)])
    call_command("records", "import", str(path), "--force", "ESX")
    for record in PoliceRecord.objects.all():
        services.decide(actor=people["navigator"], record=record, decision="potential", reason="test")
    with pytest.raises(CommandError, match="20 potential modern slavery and 0 not modern slavery decisions"):
        call_command("screening", "calibrate")
    assert not Calibration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_force_at_once_store_each_record_once(tmp_path, forces, monkeypatch):
    """Two navigators uploading overlapping extracts together: each batch sees what the other committed."""
    import threading

    from django.db import connection


    monkeypatch.setattr(services, "BATCH", 3)
    path = _write(tmp_path / "week.jsonl", [_record(f"W{n}", SLAVERY if n % 4 == 0 else ORDINARY) for n in range(30)])
    reports, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            reports.append(services.import_records(actor=None, path=path, force=forces["ESX"]))
        except Exception as problem:  # noqa: BLE001 - the test reports whatever stopped an import
            errors.append(problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert PoliceRecord.objects.filter(force=forces["ESX"]).count() == 30
    assert len(reports) == 2 and all(report.imported for report in reports)
    assert sum(report.created for report in reports) == 30
    assert sum(report.created + report.unchanged for report in reports) == 60


def test_rescreen_after_an_upgrade_updates_old_results_and_keeps_decisions(tmp_path, people, forces):
    from io import StringIO

    from navigator.screening.screener import current_screener

    path = _write(tmp_path / "records.jsonl", [_record("R1", SLAVERY), _record("R2", ORDINARY), _record("R3", SLAVERY)])
    call_command("records", "import", str(path), "--force", "ESX")
    services.decide(actor=people["navigator"], record=PoliceRecord.objects.get(ref="R3"), decision="potential",
                    reason="Passport held")
    # R1 and R2 as an older library left them: R1 unflagged, R2 wrongly flagged.
    PoliceRecord.objects.filter(ref__in=["R1", "R2"]).update(screened_with="2025.1.0")
    ScreeningResult.objects.filter(record__ref="R1").update(flagged=False, score=0)
    ScreeningResult.objects.filter(record__ref="R2").update(flagged=True, score=2)
    untouched = PoliceRecord.objects.get(ref="R3").screened_at
    out = StringIO()
    call_command("records", "rescreen", "--force", "esx", stdout=out)
    version = current_screener().version
    assert out.getvalue().strip() == (f"Re-screened 2 records with {version} at threshold 1: 1 newly flagged "
                                      "(they join the triage queue), 1 no longer flagged.")
    assert PoliceRecord.objects.get(ref="R1").screening.flagged
    assert not PoliceRecord.objects.get(ref="R2").screening_outcome.flagged
    assert set(PoliceRecord.objects.values_list("screened_with", flat=True)) == {version}
    assert PoliceRecord.objects.get(ref="R3").screened_at == untouched
    assert TriageDecision.objects.get(record__ref="R3").decision == "potential"
    event = AuditEvent.objects.get(object_type="screening.rescreen")
    assert event.object_id == "ESX" and event.changes["newly_flagged"] == 1
    out = StringIO()
    call_command("records", "rescreen", "--all", stdout=out)
    assert out.getvalue().startswith("Re-screened 3 records") and "0 newly flagged" in out.getvalue()
    with pytest.raises(CommandError, match="unknown force code 'XX'"):
        call_command("records", "rescreen", "--force", "XX")


def test_queue_pages_through_every_flagged_record(client, login, people, forces, tmp_path, monkeypatch):
    from navigator.screening import views

    monkeypatch.setattr(views, "QUEUE_SIZE", 4)
    path = _write(tmp_path / "many.jsonl", [_record(f"Q{n}", SLAVERY) for n in range(6)])
    call_command("records", "import", str(path), "--force", "ESX")
    login(people["navigator"])
    first = client.get(reverse("screening:queue"), {"force": "ESX"}).content.decode()
    assert "6 flagged records waiting for a decision, highest score first (page 1 of 2)" in first
    assert first.count('href="/screening/records/') == 4
    assert 'href="?force=ESX&amp;page=2" rel="next"' in first
    second = client.get(reverse("screening:queue"), {"force": "ESX", "page": "2"}).content.decode()
    assert second.count('href="/screening/records/') == 2
    shown = {ref for page in (first, second) for ref in (f"Q{n}" for n in range(6)) if f">{ref}</a>" in page}
    assert shown == {f"Q{n}" for n in range(6)}


def test_a_held_back_record_stays_out_of_the_queue_and_says_why(client, login, people, tmp_path, forces):
    from .test_wording import CHECKED_AND_RULED_OUT

    path = _write(tmp_path / "records.jsonl", [_record("H1", CHECKED_AND_RULED_OUT), _record("E1", SLAVERY)])
    call_command("records", "import", str(path), "--force", "ESX")
    held = PoliceRecord.objects.get(ref="H1")
    assert not held.screening.flagged and held.screening.held_back
    assert not PoliceRecord.objects.get(ref="E1").screening_outcome.held_back
    assert "wording_unlike_cases" in {hit["indicator"] for hit in held.screening.hits}
    login(people["navigator"])
    queue = client.get(reverse("screening:queue")).content.decode()
    assert ">E1</a>" in queue and ">H1</a>" not in queue
    assert "1 record the wording model held back" in queue
    listed = client.get(reverse("screening:queue"), {"force": "ESX", "held_back": "1"}).content.decode()
    assert ">H1</a>" in listed and ">E1</a>" not in listed and "the wording model held back" in listed
    page = client.get(reverse("screening:record", args=[held.pk])).content.decode()
    assert "<strong>Wording like checked and ruled-out concerns</strong>" in page and "lowers the score" in page
    assert "Held back</strong>" in page and "Not flagged" not in page
    assert 'href="/screening/?force=ESX&amp;held_back=1" class="govuk-back-link"' in page
    response = client.post(reverse("screening:record", args=[held.pk]), {"decision": "not_ms", "reason": "Checked"})
    assert response["Location"] == f"{reverse('screening:queue')}?force=ESX&held_back=1", "back to the same list"
    assert "What the screening found" in page and '<mark class="nav-hit nav-hit--against">' in page
    assert "payslips seen" in page
    api = client.get("/api/v1/police-records/?held_back=true").json()
    assert [(row["ref"], row["screening"]["flagged"], row["screening"]["held_back"]) for row in api["results"]] == [
        ("H1", False, True)]


def test_a_record_is_found_by_part_of_its_reference_whether_or_not_it_was_decided(client, login, people, forces,
                                                                                   tmp_path):

    call_command("records", "import", str(_write(tmp_path / "e.jsonl", [
        _record("ESX-2608-00062", SLAVERY), _record("ESX-2608-00095", ORDINARY)])), "--force", "ESX")
    call_command("records", "import", str(_write(tmp_path / "g.jsonl", [
        _record("GMP-2608-00096", ORDINARY, force="GMP")])), "--force", "GMP")
    services.decide(actor=people["navigator"], record=PoliceRecord.objects.get(ref="ESX-2608-00062"),
                    decision="more_info", reason="Ask the OIC")
    login(people["navigator"])
    page = client.get(reverse("screening:decisions"), {"ref": "2608-000"}).content.decode()
    assert "1 decision on references containing “2608-000”" in page and ">ESX-2608-00062</a>" in page
    undecided = page.split("Records without a decision", 1)[1]
    assert ">ESX-2608-00095</a>" in undecided and "Not flagged" in undecided, "an unflagged record is found too"
    assert "GMP-2608-00096" not in page, "another force's records stay out of sight"
    reasons = client.get(reverse("screening:decisions")).content.decode()
    assert "Ask the OIC" in reasons, "navigators see what a follow-up needs"
    services.decide(actor=people["navigator"], record=PoliceRecord.objects.get(ref="ESX-2608-00095"),
                    decision="potential", reason="Control on second reading")
    assert "No victim linked" in client.get(reverse("screening:decisions"), {"decision": "potential"}).content.decode()
    assert AuditEvent.objects.filter(object_type="screening.triagedecision", action="view").exists()
    login(people["police"])
    assert "Ask the OIC" in client.get(reverse("screening:decisions")).content.decode(), "what a follow-up asks them"
    assert "Control on second reading" not in client.get(reverse("screening:decisions")).content.decode()
    page = client.get(reverse("screening:decisions"), {"ref": "2608"}).content.decode()
    assert "ESX-2608-00062" in page and ">Records without a decision</h2>" not in page


def test_a_record_opened_from_the_decisions_leads_back_to_them(client, login, people, imported):

    services.decide(actor=people["navigator"], record=imported, decision="more_info", reason="Ask the OIC")
    login(people["navigator"])
    listing = client.get(reverse("screening:decisions")).content.decode()
    url = re.search(r'href="(/screening/records/\d+/\?from=decisions)"', listing).group(1)
    page = client.get(url).content.decode()
    assert f'href="{reverse("screening:decisions")}" class="govuk-back-link">Back to the decisions' in page
    seen = TriageDecision.objects.get(is_current=True).pk
    response = client.post(url, {"decision": "potential", "reason": "The OIC confirms", "decision_seen": seen})
    assert response.status_code == 302 and response.url == reverse("screening:decisions")
    page = client.get(reverse("screening:record", args=[imported.pk])).content.decode()
    assert "Back to the triage queue" in page, "from the queue, back to the queue"
    services.decide(actor=people["navigator"], record=imported, decision="more_info", reason="Ask again")
    listing = client.get(reverse("screening:decisions"), {"decision": "more_info"}).content.decode()
    url = re.search(r'href="(/screening/records/\d+/\?from=decisions[^"]*)"', listing).group(1).replace("&amp;", "&")
    seen = TriageDecision.objects.get(is_current=True).pk
    response = client.post(url, {"decision": "not_ms", "reason": "Answered", "decision_seen": seen})
    assert response.url == reverse("screening:decisions") + "?decision=more_info", "back to the list being worked"


def test_the_victim_page_names_the_records_whose_decision_links_them(client, login, people, imported, make_victim,
                                                                      forces):

    victim = make_victim(people["navigator"], forces["ESX"])
    services.decide(actor=people["navigator"], record=imported, decision="potential", reason="Control",
                    victim=victim)
    login(people["navigator"])
    page = client.get(reverse("victims:detail", args=[victim.reference])).content.decode()
    assert f'href="{reverse("screening:record", args=[imported.pk])}">E1</a> · Essex Police' in page
    login(people["police"])  # the record's narrative names the person: not without their consent to share
    page = client.get(reverse("victims:detail", args=[victim.reference])).content.decode()
    assert "E1 · Essex Police" not in page and ">Police records</h2>" not in page
    from navigator.victims import services as victim_services

    victim_services.give_consent(actor=people["navigator"], victim=victim, purpose="share_with_police",
                                 given_on=datetime.date(2026, 1, 5), means="written")
    page = client.get(reverse("victims:detail", args=[victim.reference])).content.decode()
    assert "E1 · Essex Police" in page and reverse("screening:record", args=[imported.pk]) not in page


def test_calibrate_names_the_signs_that_would_no_longer_flag_a_record_on_their_own(people, forces, tmp_path):
    from io import StringIO


    _twelve_decided_each_way(tmp_path, people, PASSPORT_ONLY)
    out = StringIO()
    call_command("screening", "calibrate", stdout=out)
    text = out.getvalue()
    assert "signs that flag a record on their own now and would not at threshold" in text
    assert re.search(r"\n    documents_retained +1\.00 -> 0\.\d\d\n", text)
    with pytest.raises(CommandError, match="no calibration 999: `navigator screening calibrate` proposes one") as bad:
        call_command("screening", "calibrate", "--accept", "999", "--user", "the.lead")
    assert bad.value.returncode == 2
    not_a_lead = "only a programme lead can accept a calibration; nav.essex is not one"
    with pytest.raises(CommandError, match=not_a_lead) as bad:
        call_command("screening", "calibrate", "--accept", str(Calibration.objects.latest("pk").pk),
                     "--user", "nav.essex")
    assert bad.value.returncode == 2


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_a_lead_reads_a_proposal_and_accepts_it_on_the_web(client, login, people, forces, tmp_path):
    from io import StringIO


    _twelve_decided_each_way(tmp_path, people, PASSPORT_ONLY)
    call_command("screening", "calibrate", stdout=StringIO())
    proposal = Calibration.objects.get()
    login(people["lead"])
    assert f"proposal {proposal.pk} waits for a lead" in client.get(reverse("home")).content.decode()
    page = client.get(reverse("screening:calibration")).content.decode()
    assert "Fitted from 24 decided records (12 potential modern slavery)" in page
    assert "would leave the triage queue" in page and "Documents held by someone else: weight 1.00 to 0." in page
    assert re.search(r"with the threshold going from 1\.000 to \d\.\d{3}", page) and " of 24</td>" in page
    assert AuditEvent.objects.filter(object_type="screening.calibration", action="view", actor=people["lead"]).exists()

    stale = client.post(reverse("screening:calibration"), {"calibration": proposal.pk + 1}).content.decode()
    assert "That proposal has been replaced or accepted" in stale
    response = client.post(reverse("screening:calibration"), {"calibration": proposal.pk})
    assert response.status_code == 302 and Calibration.objects.get().status == "accepted"
    call_command("worker", "--batch")
    status = client.get(response.url).content.decode()
    assert f"Calibration {proposal.pk} is in force. Re-screened 24 records" in status
    assert "24 of 24" in status, "the finished task shows every record done"
    assert set(PoliceRecord.objects.values_list("screened_threshold", flat=True)) == {proposal.threshold}
    page = client.get(reverse("screening:calibration")).content.decode()
    assert f"In force: calibration {proposal.pk}, accepted by" in page and "No proposal is waiting" in page
    rescreen = AuditEvent.objects.get(object_type="screening.rescreen")
    assert rescreen.actor == people["lead"], "the trail names the lead whose acceptance re-screened the records"


def test_a_proposal_says_how_many_waiting_records_would_leave_or_join_the_queue(client, login, people, forces,
                                                                                 tmp_path):
    from navigator.screening.screener import current_screener

    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [
        _record("E1", SLAVERY), _record("E2", SLAVERY + " Again."), _record("E3", ORDINARY),
        _record("E4", "The boss keeps the rest.")])), "--force", "ESX")
    assert PoliceRecord.objects.filter(screening__flagged=True).count() == 2
    screener = current_screener()
    login(people["lead"])
    higher = services.propose_calibration(weights={}, threshold=50.0, metrics={}, library_version=screener.version)
    page = client.get(reverse("screening:calibration")).content.decode()
    assert "2 records waiting for a decision would leave the triage queue" in page
    assert "2 show Documents held by someone else" in page and "No record would join it." in page
    event = AuditEvent.objects.filter(object_type="screening.calibration", action="view").latest("pk")
    assert event.changes == {"records_screened_again": 4}, "the two flagged and the two with some sign (car wash, pay)"

    higher.delete()
    services.propose_calibration(weights={i.id: 1.0 for i in screener.indicators if i.weight > 0}, threshold=0.2,
                                 metrics={}, library_version=screener.version)
    page = client.get(reverse("screening:calibration")).content.decode()
    assert "No record waiting for a decision would leave the triage queue." in page
    assert "1 record not flagged now would join it." in page, "pay kept back flags at 0.2"


def test_the_record_page_shows_what_the_file_named_and_a_victim_opened_from_it_starts_from_its_signs(
        client, login, people, forces, tmp_path):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record(
        "E1", SLAVERY, entities=[{"kind": "person", "value": "Andrei POPESCU"},
                                 {"kind": "phone", "value": "07700 900123"},
                                 {"kind": "person", "value": "Ion RADU"}])])), "--force", "ESX")
    record = PoliceRecord.objects.get()
    login(people["navigator"])
    url = reverse("screening:record", args=[record.pk])
    page = client.get(url).content.decode()
    assert re.search(r"People</dt>\s*<dd[^>]*><ul class=\"govuk-list\"><li>Andrei POPESCU</li><li>Ion RADU</li>", page)
    assert "07700 900123" in page and "Decided:" not in page
    client.post(url, {"decision": "potential", "reason": "Passport held and a debt"})
    page = client.get(url).content.decode()
    assert "Decided: Potential modern slavery" in page

    views = AuditEvent.objects.filter(object_type="screening.policerecord", object_id=str(record.pk), action="view")
    before = views.count()
    form = client.get(reverse("victims:create"), {"from_record": record.pk}).content.decode()
    assert "Andrei POPESCU; Ion RADU" in form and "The methods of control its signs show are ticked" in form
    assert views.count() == before + 1, "reading what the record named is a view of the record"
    ticked = set(re.findall(r'name="methods_of_control" type="checkbox" value="(\w+)"[^>]*checked', form))
    assert ticked == {"debt_bondage", "withholds_documents", "excessive_working_hours"}, ticked


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_a_lead_fits_a_proposal_on_the_web(client, login, people, forces, tmp_path):
    login(people["lead"])
    response = client.post(reverse("screening:calibration"), {"fit": "1"})
    call_command("worker", "--batch")
    status = client.get(response.url).content.decode()
    assert "No proposal: only 0 records have a decision; at least 20 are needed." in status
    assert not Calibration.objects.exists()

    _twelve_decided_each_way(tmp_path, people, ORDINARY)
    response = client.post(reverse("screening:calibration"), {"fit": "1"})
    call_command("worker", "--batch")
    proposal = Calibration.objects.get()
    status = client.get(response.url).content.decode()
    assert f"Proposal {proposal.pk} fitted from 24 decided records (12 potential modern slavery)" in status
    page = client.get(reverse("screening:calibration")).content.decode()
    assert f"Proposal {proposal.pk}," in page and "Fit again" in page
    event = AuditEvent.objects.filter(object_type="screening.calibration", action="create").get()
    assert event.actor == people["lead"] and event.changes["via"] == "web"
    login(people["navigator"])
    assert client.post(reverse("screening:calibration"), {"fit": "1"}).status_code in (403, 404)


def test_a_navigator_narrows_the_queue_to_a_type_and_months(client, login, people, forces, tmp_path):
    records = [_record("C1", SLAVERY, type="crime", recorded_at="2026-03-14"),
               _record("C2", SLAVERY + " Again.", type="crime", recorded_at="2026-05-02"),
               _record("I1", SLAVERY + " Once more.", type="intelligence", recorded_at="2026-03-20")]
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", records)), "--force", "ESX")
    login(people["navigator"])

    def listed(**asked):
        page = client.get(reverse("screening:queue"), {"force": "ESX", **asked}).content.decode()
        return sorted(re.findall(r'">([CI]\d)</a>', page)), page

    assert listed()[0] == ["C1", "C2", "I1"]
    assert listed(type="crime")[0] == ["C1", "C2"]
    refs, page = listed(type="crime", **{"from": "2026-04", "to": "2026-12"})
    assert refs == ["C2"] and "1 flagged record waiting for a decision of those asked for" in page
    assert "Show every record" in page and '<option value="crime" selected>' in page
    refs, page = listed(type="stop")
    assert refs == [] and "No record waiting for a decision is of the type or months asked for." in page
    assert listed(type="nonsense", **{"from": "March"})[0] == ["C1", "C2", "I1"], "what it cannot read narrows nothing"
