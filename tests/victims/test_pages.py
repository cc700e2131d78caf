import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from navigator.core.models import AuditEvent
from navigator.victims.models import Victim

from ..conftest import make_user

VALID = {"full_name": "Mira Example", "date_of_birth": "27/3/1994", "gender": "female", "age_band": "25-34",
         "nationality": "RO", "exploitation_types": ["sexual", "criminal"], "county_lines": "on",
         "methods_of_control": ["debt_bondage", "withholds_documents"], "support_level": "intensive",
         "engagement_status": "considering", "classification": "OFFICIAL-SENSITIVE"}


def test_new_victim_form_shows_error_summary_then_creates(client, login, people, forces):
    login(people["navigator"])
    essex = forces["ESX"]
    response = client.post(reverse("victims:create"), {**VALID, "force": essex.pk, "full_name": "",
                                                       "exploitation_types": [], "date_of_birth": "31/2/1990"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in ("Enter the victim&#x27;s full name", "Select at least one type of exploitation",
                    "Date of birth must be a real date"):
        assert message in page
    assert 'href="#id_full_name"' in page and 'href="#id_exploitation_types_0"' in page
    assert not Victim.objects.exists()
    response = client.post(reverse("victims:create"), {**VALID, "force": essex.pk})
    victim = Victim.objects.get()
    assert victim.reference == "ESX-V-000001"
    assert response["Location"] == reverse("victims:detail", args=[victim.reference])
    page = client.get(response["Location"]).content.decode()
    assert "Mira Example" in page and "27 March 1994" in page and "Romania" in page
    assert "Sexual exploitation, Criminal exploitation (county lines)" in page
    assert "OFFICIAL-SENSITIVE" in page


def test_county_lines_needs_criminal_exploitation(client, login, people, forces):
    login(people["navigator"])
    page = client.post(reverse("victims:create"), {**VALID, "force": forces["ESX"].pk,
                                                   "exploitation_types": ["labour"]}).content.decode()
    assert "County lines is criminal exploitation" in page


def test_references_count_per_force(people, forces, make_victim):
    first = make_victim(people["navigator"], forces["ESX"])
    second = make_victim(people["navigator"], forces["ESX"])
    other = make_victim(people["navigator_other"], forces["GMP"])
    assert (first.reference, second.reference, other.reference) == ("ESX-V-000001", "ESX-V-000002", "GMP-V-000001")


def test_edit_close_and_consent(client, login, people, forces, make_victim):
    victim = make_victim(people["navigator"], forces["ESX"])
    login(people["navigator"])
    edit = reverse("victims:edit", args=[victim.reference])
    page = client.get(edit).content.decode()
    assert 'value="27/3/1994"' in page and "Zora Testperson" in page
    page = client.post(edit, {**VALID, "full_name": "Zora Renamed", "support_level": "standard"}).content.decode()
    assert "Assign at least one navigator" in page
    second = make_user("nav.second", "navigator", [forces["ESX"]])
    client.post(edit, {**VALID, "full_name": "Zora Renamed", "support_level": "standard",
                       "navigators": [people["navigator"].pk, second.pk]})
    victim.refresh_from_db()
    assert victim.full_name == "Zora Renamed" and victim.support_level == "standard"
    assert set(victim.navigators.all()) == {people["navigator"], second}
    page = client.post(edit, {**VALID, "navigators": [people["navigator_other"].pk]}).content.decode()
    assert "Select a valid choice" in page, "a navigator of another force cannot be assigned"

    consent_url = reverse("victims:consent-add", args=[victim.reference])
    client.post(consent_url, {"purpose": "share_with_police", "given_on": "1/11/2026", "means": "written"})
    page = client.post(consent_url, {"purpose": "share_with_police", "given_on": "2/11/2026",
                                     "means": "verbal"}).content.decode()
    assert "already stands" in page
    consent = victim.consents.get()
    client.post(reverse("victims:consent-withdraw", args=[victim.reference, consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None

    close = reverse("victims:close", args=[victim.reference])
    page = client.post(close, {"closed_on": "1/11/2026"}).content.decode()
    assert "Select why support is ending" in page
    client.post(close, {"reason": "returned_home", "closed_on": "1/11/2026"})
    victim.refresh_from_db()
    assert victim.status == "closed" and victim.closure_reason == "returned_home"
    page = client.get(reverse("victims:detail", args=[victim.reference])).content.decode()
    assert "Returned home safely" in page


def test_list_filters(client, login, people, forces, make_victim):
    labour = make_victim(people["navigator"], forces["ESX"], exploitation_types=["labour"], support_level="standard")
    sexual = make_victim(people["navigator"], forces["ESX"], exploitation_types=["sexual"])
    login(people["navigator"])
    page = client.get(reverse("victims:list"), {"exploitation": "labour"}).content.decode()
    assert labour.reference in page and sexual.reference not in page
    page = client.get(reverse("victims:list"), {"support_level": "intensive"}).content.decode()
    assert sexual.reference in page and labour.reference not in page
    page = client.get(reverse("victims:list"), {"q": labour.reference}).content.decode()
    assert "1 victim found" in page
    assert AuditEvent.objects.filter(action="search").exists()


def test_list_query_count_does_not_grow_with_victims(client, login, people, forces, make_victim):
    login(people["navigator"])
    make_victim(people["navigator"], forces["ESX"])
    client.get(reverse("victims:list"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("victims:list")).status_code == 200
    for n in range(20):
        make_victim(people["navigator"], forces["ESX"], full_name=f"Person {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("victims:list")).content.decode()
    assert "21 victims found" in page
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_api_create_and_validation(client, login, people, forces):
    login(people["navigator"])
    response = client.post(reverse("victim-list"), {"force": "ESX", "full_name": "Api Person",
                                                    "exploitation_types": ["teleportation"]},
                           content_type="application/json")
    assert response.status_code == 400 and "exploitation_types" in response.json()
    response = client.post(reverse("victim-list"), {"force": "ESX", "full_name": "Api Person",
                                                    "exploitation_types": ["labour"]},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["reference"] == "ESX-V-000001"
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/victims/{reference}/" in schema


def test_export_is_scoped_stamped_and_audited(people, forces, make_victim):
    make_victim(people["navigator"], forces["ESX"], full_name="Exported Person")
    make_victim(people["navigator_other"], forces["GMP"], full_name="Elsewhere Person")
    out = io.StringIO()
    call_command("victims", "export", "--user", "nav.essex", "--format", "csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("OFFICIAL-SENSITIVE")
    rows = list(csv.DictReader(lines[1:]))
    assert [r["full_name"] for r in rows] == ["Exported Person"]
    out = io.StringIO()
    call_command("victims", "export", "--user", "police.essex", "--format", "jsonl", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records[0]["_marking"]["classification"] == "OFFICIAL-SENSITIVE"
    assert "full_name" not in records[1], "police export must not carry identity without consent"
    exports = AuditEvent.objects.filter(action="export")
    assert [(e.actor_username, e.changes["records"]) for e in exports] == [("nav.essex", 1), ("police.essex", 1)]


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-3"])
def test_a_tampered_from_record_creates_the_victim_unlinked(client, login, people, forces, value):
    login(people["navigator"])
    response = client.post(reverse("victims:create") + f"?from_record={value}", {**VALID, "force": forces["ESX"].pk})
    victim = Victim.objects.get()
    assert response["Location"] == reverse("victims:detail", args=[victim.reference])
