"""A search holding a control character, such as NUL (which PostgreSQL cannot hold in text, and which no reference
or force code holds), is refused with a clear message, never answered with a server error."""
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from navigator.core.models import AuditEvent
from navigator.screening import services
from navigator.screening.models import PoliceRecord
from tests.conftest import verified_login

from .test_import_triage import SLAVERY, _record, _write

SEARCHES = ["\x00", "E1\x00", "a\x00b", "E1\t"]  # inside the value, not at its ends (those are trimmed)


@pytest.fixture
def decided(people, forces, tmp_path):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("E1", SLAVERY)])), "--force", "ESX")
    record = PoliceRecord.objects.get()
    services.decide(actor=people["navigator"], record=record, decision="more_info", reason="Ask the OIC")
    return record


def _client(user) -> Client:
    return verified_login(Client(raise_request_exception=False), user)


@pytest.mark.parametrize("role", ["navigator", "lead", "police"])
@pytest.mark.parametrize("ref", ["\x00", "E1\x00", "a\x00b"])
def test_the_decisions_page_says_a_reference_holds_no_control_character(people, decided, role, ref):
    response = _client(people[role]).get(reverse("screening:decisions"), {"ref": ref})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and page.count("A reference holds no control characters") == 2, \
        "in the error summary and at the field"
    assert "\x00" not in page and "%00" not in page, "nor is it carried on to the tabs and the records"
    assert "1 decision, newest first." in page, "the list is shown as without a search"
    assert not AuditEvent.objects.filter(action="search").exists(), "no search was made"


@pytest.mark.parametrize("name", ["ref", "force"])
@pytest.mark.parametrize("value", SEARCHES)
def test_the_records_api_refuses_a_control_character_in_a_filter(people, decided, name, value):
    client = _client(people["navigator"])
    for url in ("/api/v1/police-records/", f"/api/v1/police-records/{decided.pk}/"):
        response = client.get(url, {name: value})
        assert response.status_code == 400, url
        assert response.json() == {name: "must not hold a control character (such as NUL, a tab or a line break)"}
    assert client.get("/api/v1/police-records/", {name: {"ref": "E1", "force": "esx"}[name]}).json()["count"] == 1


# Every query parameter the screening pages and endpoints read.
PARAMETERS = {
    reverse("screening:queue"): ["force", "type", "from", "to", "page", "held_back"],
    reverse("screening:decisions"): ["decision", "ref", "page"],
    reverse("screening:summary"): ["from", "to", "year"],
    reverse("screening:summary-csv"): ["from", "to", "year"],
    reverse("screening:calibration"): [],
    "/api/v1/police-records/": ["flagged", "held_back", "ref", "force", "limit", "offset"],
    "/api/v1/triage-decisions/": ["record", "current", "limit", "offset"],
}


@pytest.mark.parametrize("role", ["navigator", "lead", "police", "evaluator"])
def test_no_query_parameter_of_the_screening_pages_and_api_gives_a_server_error(people, decided, role):
    client = _client(people[role])
    record_urls = {reverse("screening:record", args=[decided.pk]): ["from", "decision", "ref", "page"],
                   f"/api/v1/police-records/{decided.pk}/": PARAMETERS["/api/v1/police-records/"],
                   f"/api/v1/triage-decisions/{decided.decisions.get().pk}/": ["record", "current"]}
    for url, names in {**PARAMETERS, **record_urls}.items():
        for name in names:
            for value in SEARCHES:
                status = client.get(url, {name: value}).status_code
                assert status < 500, (url, name, value)
                if url.startswith("/api/") and status == 200:
                    assert name in ("limit", "offset"), f"{url} ignored {name}={value!r} rather than refusing it"
