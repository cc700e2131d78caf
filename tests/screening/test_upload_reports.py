"""What a navigator sees of an upload while it runs and after: each step's progress, every line left out, the file
named as they named it; and what a re-import of a decided record changes."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from navigator.core.models import AuditEvent, TaskProgress
from navigator.screening import services
from navigator.screening.models import PoliceRecord

from .test_import_triage import ORDINARY, SLAVERY, _record, _write


def _upload(client, forces, name, lines, skip_invalid=False):
    body = "".join(line + "\n" for line in lines).encode()
    data = {"force": forces["ESX"].pk, "file": SimpleUploadedFile(name, body)}
    if skip_invalid:
        data["skip_invalid"] = "on"
    return client.post(reverse("screening:upload"), data)["Location"]


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_the_task_page_follows_the_storing_of_the_records_step_by_step(client, login, people, forces, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 50)
    seen = []
    real_write = services._write_batch

    def write_and_look(*args, **kwargs):
        progress = TaskProgress.objects.get()
        seen.append((progress.stage, progress.done, progress.total))
        return real_write(*args, **kwargs)

    monkeypatch.setattr(services, "_write_batch", write_and_look)
    login(people["navigator"])
    status_url = _upload(client, forces, "week.jsonl", [json.dumps(_record(f"W{n}", ORDINARY)) for n in range(3000)])
    call_command("worker", "--batch")
    storing = [(done, total) for stage, done, total in seen if stage == "Storing the records"]
    # The bar moves while the records are stored: it does not wait at the checking step's count until the end.
    assert [stage for stage, _, _ in seen[:1]] == ["Checking every line"] and len(storing) > 50
    assert storing[-1][1] == 3000 and 2000 <= storing[-1][0] < 3000
    assert [done for done, _ in storing] == sorted(done for done, _ in storing)
    page = client.get(status_url).content.decode()
    assert "Storing the records: 3000 of 3000 (100%)" in page


@pytest.mark.django_db(transaction=True)
def test_every_line_left_out_of_an_upload_is_named(client, login, people, forces):
    login(people["navigator"])
    lines = [json.dumps(_record(f"U{n}", ORDINARY)) if n % 2 or n > 40 else '{"ref": "broken"}'
             for n in range(1, 61)]
    status_url = _upload(client, forces, "mixed.jsonl", lines, skip_invalid=True)
    call_command("worker", "--batch")
    message = TaskProgress.objects.get().message
    bad = [n for n in range(1, 61) if not (n % 2 or n > 40)]
    assert f"Lines left out: {', '.join(map(str, bad))}." in message  # all 20, not the first few
    assert PoliceRecord.objects.count() == 40
    assert "Lines left out: 2, 4" in client.get(status_url).content.decode()


def test_runs_of_bad_lines_are_listed_as_ranges():
    report = services.ImportReport(path="r.jsonl", force="ESX")
    for line in (3, 7, 8, 9, 12):
        report.invalid += 1
        report.note_invalid(line)
    assert report.invalid_lines() == "3, 7-9, 12"


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_named_as_the_navigator_named_it(client, login, people, forces):
    login(people["navigator"])
    status_url = _upload(client, forces, "good.jsonl", [json.dumps(_record("G1", SLAVERY))])
    call_command("worker", "--batch")
    assert AuditEvent.objects.get(object_type="screening.import").object_label == "import of good.jsonl"
    _upload(client, forces, "empty.jsonl", [""])
    call_command("worker", "--batch")
    assert "Nothing imported: empty.jsonl holds no records" in TaskProgress.objects.first().message
    assert "Imported 1 record" in client.get(status_url).content.decode()


def test_a_decided_record_whose_other_details_change_stays_decided(client, login, people, tmp_path, forces):
    path = _write(tmp_path / "r.jsonl", [_record("D1", SLAVERY)])
    call_command("records", "import", str(path), "--force", "ESX")
    record = PoliceRecord.objects.get()
    services.decide(actor=people["navigator"], record=record, decision="potential", reason="Passport held")
    login(people["navigator"])
    assert ">D1</a>" not in client.get(reverse("screening:queue")).content.decode()

    _write(path, [_record("D1", SLAVERY, location="14 Mill Road",
                          entities=[{"kind": "phone", "value": "07700 900123"}])])
    call_command("records", "import", str(path), "--force", "ESX")
    assert "1 updated" in (tmp_path / "r.jsonl.report.txt").read_text()
    updated = PoliceRecord.objects.get()
    assert updated.location == "14 Mill Road" and "07700 900123" in updated.entities
    assert updated.updated_at == record.updated_at and updated.screening.flagged, "the narrative and its screening"
    assert ">D1</a>" not in client.get(reverse("screening:queue")).content.decode(), "the decision stands"
    page = client.get(reverse("screening:record", args=[updated.pk])).content.decode()
    assert "Changed by an import on" not in page

    _write(path, [_record("D1", SLAVERY + " He now says the boss beat him.", location="14 Mill Road")])
    call_command("records", "import", str(path), "--force", "ESX")
    assert ">D1</a>" in client.get(reverse("screening:queue")).content.decode(), "a new narrative is read again"


def test_a_ref_given_twice_far_apart_counts_once_as_its_last_line_and_a_reimport_changes_nothing(
        client, login, people, tmp_path, forces, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 3)  # the two lines fall in different batches
    lines = [_record("R1", ORDINARY), *(_record(f"F{n}", ORDINARY) for n in range(7)), _record("R1", SLAVERY)]
    path = _write(tmp_path / "r.jsonl", lines)
    call_command("records", "import", str(path), "--force", "ESX")
    report = (tmp_path / "r.jsonl.report.txt").read_text()
    assert "Imported 8 records for ESX: 8 new, 0 updated" in report
    assert "1 line gave a ref that a later line gives again; the last line with each ref counts." in report
    record = PoliceRecord.objects.get(ref="R1")
    assert record.text == SLAVERY and record.previous_text == ""
    services.decide(actor=people["navigator"], record=record, decision="potential", reason="Passport held")

    call_command("records", "import", str(path), "--force", "ESX")
    assert "the 8 records for ESX in the file are imported already" in (tmp_path / "r.jsonl.report.txt").read_text()
    assert PoliceRecord.objects.get(ref="R1").updated_at == record.updated_at
    login(people["navigator"])
    assert ">R1</a>" not in client.get(reverse("screening:queue")).content.decode(), "the decision stands"
