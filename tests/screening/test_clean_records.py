"""Most records match nothing: only a record the screening found something in has a screening result, and a clean
record reads as before on its page, in the lists and through the API."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from navigator.screening.models import PoliceRecord, ScreeningResult
from navigator.screening.screener import current_screener

from .test_import_triage import SLAVERY, _record, _write

CLEAN = "Theft of a bicycle from outside the library. No witnesses."
PASSPORT = "The boss keeps her passport."


def test_an_import_stores_a_result_only_for_the_record_with_signs_and_a_clean_record_still_reads_screened(
        client, login, people, forces, tmp_path):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("C1", CLEAN), _record("S1", SLAVERY)])),
                 "--force", "ESX", stdout=StringIO())
    screener = current_screener()
    clean, signs = PoliceRecord.objects.get(ref="C1"), PoliceRecord.objects.get(ref="S1")
    assert list(ScreeningResult.objects.values_list("record__ref", flat=True)) == ["S1"]
    assert {(record.screened_with, record.screened_threshold) for record in (clean, signs)} == {
        (screener.version, screener.threshold)}
    assert clean.screened_at is not None and clean.screened_at == signs.screened_at, "one batch, screened together"

    login(people["navigator"])
    page = client.get(reverse("screening:record", args=[clean.pk])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--grey">Not flagged</strong>' in page
    assert "Score 0.00: records are flagged from 1.00." in page
    assert f"Screened with indicator library {screener.version}." in page
    assert "No indicators found." in page

    api = client.get(f"/api/v1/police-records/{clean.pk}/").json()["screening"]
    assert datetime.datetime.fromisoformat(api.pop("screened_at")) == clean.screened_at
    assert api == {"score": 0.0, "flagged": False, "held_back": False, "hits": [],
                   "library_version": screener.version, "threshold": screener.threshold}
    refs = lambda query: sorted(row["ref"] for row in client.get("/api/v1/police-records/", query).json()["results"])  # noqa: E731
    assert refs({"flagged": "false"}) == ["C1"] and refs({"flagged": "true"}) == ["S1"]
    assert refs({"held_back": "false"}) == ["C1", "S1"] and refs({"held_back": "true"}) == []

    found = client.get(reverse("screening:decisions"), {"ref": "C1"}).content.decode()
    assert ">C1</a>" in found and '<strong class="govuk-tag govuk-tag--grey">Not flagged</strong>' in found


def test_listing_clean_records_through_the_api_reads_no_result_per_record(client, login, people, forces, tmp_path):
    def queries_to_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/police-records/").status_code == 200
        return len(queries)

    login(people["navigator"])
    call_command("records", "import", str(_write(tmp_path / "one.jsonl", [_record("C1", CLEAN)])), "--force", "ESX",
                 stdout=StringIO())
    one = queries_to_list()
    call_command("records", "import", str(_write(tmp_path / "more.jsonl", [
        _record(f"C{n}", f"{CLEAN} Case {n}.") for n in range(2, 8)])), "--force", "ESX", stdout=StringIO())
    assert queries_to_list() == one


def test_a_rescreen_after_an_upgrade_reads_clean_records_too_and_keeps_results_only_where_signs_are_found(
        people, forces, tmp_path):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [
        _record("C1", CLEAN), _record("N1", PASSPORT), _record("G1", CLEAN + " Again."), _record("S1", SLAVERY)])),
        "--force", "ESX", stdout=StringIO())
    # As an older library left them: it found nothing in N1, and a sign (flagging it) in G1 that the current one
    # does not find.
    ScreeningResult.objects.filter(record__ref="N1").delete()
    ScreeningResult.objects.create(record=PoliceRecord.objects.get(ref="G1"), score=1.0, flagged=True,
                                   hits=[{"indicator": "documents_retained", "category": "control", "start": 0,
                                          "end": 5, "negated": False}])
    PoliceRecord.objects.update(screened_with="2025.1.0")
    changed_before = dict(PoliceRecord.objects.values_list("ref", "updated_at"))

    out = StringIO()
    call_command("records", "rescreen", stdout=out)
    screener = current_screener()
    assert out.getvalue().strip() == (f"Re-screened 4 records with {screener.version} at threshold 1: 1 newly flagged "
                                      "(they join the triage queue), 1 no longer flagged.")
    assert sorted(ScreeningResult.objects.values_list("record__ref", flat=True)) == ["N1", "S1"]
    assert PoliceRecord.objects.get(ref="N1").screening.flagged, "the clean record that now shows a sign"
    gone = PoliceRecord.objects.get(ref="G1").screening_outcome
    assert (gone.score, gone.flagged, gone.hits, gone.library_version) == (0.0, False, [], screener.version)
    assert set(PoliceRecord.objects.values_list("screened_with", flat=True)) == {screener.version}
    assert dict(PoliceRecord.objects.values_list("ref", "updated_at")) == changed_before, \
        "a re-screen changes no record: a decided one does not come back to the queue"

    out = StringIO()
    call_command("records", "rescreen", stdout=out)
    assert out.getvalue().startswith("Re-screened 0 records"), "clean records screened by this version are not stale"

    PoliceRecord.objects.filter(ref="C1").update(screened_with="", screened_threshold=None, screened_at=None)
    out = StringIO()
    call_command("records", "rescreen", stdout=out)
    assert out.getvalue().startswith("Re-screened 1 records"), "a record never screened is screened"
    assert PoliceRecord.objects.get(ref="C1").screened_with == screener.version


def test_a_record_never_screened_does_not_read_as_screened_clean(client, login, people, forces, tmp_path):
    """A record the screening has not read yet (one left without a result by the migration that moved what screened a
    record onto it) says so until the next re-screen, instead of "Not flagged, score 0"."""
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("P1", PASSPORT)])), "--force", "ESX",
                 stdout=StringIO())
    record = PoliceRecord.objects.get(ref="P1")
    ScreeningResult.objects.filter(record=record).delete()
    PoliceRecord.objects.filter(pk=record.pk).update(screened_with="", screened_threshold=None, screened_at=None)

    login(people["navigator"])
    page = client.get(reverse("screening:record", args=[record.pk])).content.decode()
    assert "Not screened yet" in page and "Not flagged" not in page and "Screened with indicator library" not in page
    found = client.get(reverse("screening:decisions"), {"ref": "P1"}).content.decode()
    assert "Not screened yet" in found and "Not flagged" not in found

    call_command("records", "rescreen", stdout=StringIO())
    page = client.get(reverse("screening:record", args=[record.pk])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Flagged</strong>' in page and "Not screened yet" not in page
