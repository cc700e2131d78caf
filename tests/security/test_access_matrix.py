"""Every URL × every role × own force / other force × action.

Allowed requests succeed; every other one answers 404 or 403. A URL pattern added without a row
here makes test_every_url_is_in_the_matrix fail.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from navigator.core.models import TaskProgress
from navigator.estimation.models import EstimateRun
from navigator.screening import services as screening_services
from navigator.screening.models import PoliceRecord, ScreeningResult
from navigator.victims import services

from ..conftest import make_user

ROLES = ("navigator", "police", "lead", "evaluator", "admin")
OWN, OTHER = "own", "other"
EVERYONE = {role: {OWN, OTHER} for role in ROLES}

# Pages reachable before (or to complete) sign-in; covered by tests/core/test_login.py.
PUBLIC = {"login", "login-verify", "recovery-codes", "logout"}

# name -> list of (method, {role: scopes allowed}). Scope is the force of the record in the URL.
MATRIX = {
    "home": [("get", EVERYONE)],
    "api-token": [("post", EVERYONE)],
    "keep-alive": [("post", EVERYONE)],
    "api-not-found": [("get", {})],  # an address under /api/ that names nothing: JSON 404 for everyone
    "api-schema": [("get", EVERYONE)],
    "api-docs": [("get", EVERYONE)],
    "task-status": [("get", {role: {OWN} for role in ROLES})],
    "victims:list": [("get", {"navigator": {OWN, OTHER}, "police": {OWN, OTHER}, "lead": {OWN, OTHER}})],
    "victims:create": [("get", {"navigator": {OWN, OTHER}}), ("post", {"navigator": {OWN}})],
    "victims:detail": [("get", {"navigator": {OWN}, "police": {OWN}, "lead": {OWN, OTHER}})],
    "victims:edit": [("get", {"navigator": {OWN}}), ("post", {"navigator": {OWN}})],
    "victims:close": [("get", {"navigator": {OWN}}), ("post", {"navigator": {OWN}})],
    "victims:consent-add": [("get", {"navigator": {OWN}}), ("post", {"navigator": {OWN}})],
    "victims:consent-withdraw": [("post", {"navigator": {OWN}})],
    "victims:history": [("get", {"lead": {OWN, OTHER}})],
    "screening:queue": [("get", {"navigator": {OWN, OTHER}, "lead": {OWN, OTHER}})],
    "screening:upload": [("get", {"navigator": {OWN, OTHER}}), ("post", {"navigator": {OWN}})],
    "screening:record": [("get", {"navigator": {OWN}, "lead": {OWN, OTHER}}), ("post", {"navigator": {OWN}})],
    "screening:decisions": [("get", {"navigator": {OWN, OTHER}, "lead": {OWN, OTHER}, "police": {OWN, OTHER}})],
    "screening:summary": [("get", {"navigator": {OWN, OTHER}, "lead": {OWN, OTHER}, "evaluator": {OWN, OTHER}})],
    "screening:summary-csv": [("get", {"navigator": {OWN, OTHER}, "lead": {OWN, OTHER},
                                       "evaluator": {OWN, OTHER}})],
    "screening:calibration": [("get", {"lead": {OWN, OTHER}}), ("post", {"lead": {OWN, OTHER}})],
    "police-record-list": [("get", {"navigator": {OWN, OTHER}, "lead": {OWN, OTHER}})],
    "police-record-detail": [("get", {"navigator": {OWN}, "lead": {OWN, OTHER}})],
    "triage-decision-list": [("get", {"navigator": {OWN, OTHER}, "lead": {OWN, OTHER}, "police": {OWN, OTHER}}),
                             ("post", {"navigator": {OWN}})],
    "triage-decision-detail": [("get", {"navigator": {OWN}, "lead": {OWN, OTHER}, "police": {OWN}})],
    "estimation:index": [("get", {"lead": {OWN, OTHER}, "evaluator": {OWN, OTHER}}),
                         ("post", {"lead": {OWN, OTHER}, "evaluator": {OWN, OTHER}})],
    "estimation:run": [("get", {"lead": {OWN, OTHER}, "evaluator": {OWN}})],
    "estimation:download": [("get", {"lead": {OWN, OTHER}, "evaluator": {OWN}})],
    "victim-list": [("get", {"navigator": {OWN, OTHER}, "police": {OWN, OTHER}, "lead": {OWN, OTHER}}),
                    ("post", {"navigator": {OWN}})],
    "victim-detail": [("get", {"navigator": {OWN}, "police": {OWN}, "lead": {OWN, OTHER}}),
                      ("patch", {"navigator": {OWN}})],
}


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"


def test_every_url_is_in_the_matrix():
    names = set(_all_url_names())
    missing = sorted(names - set(MATRIX) - PUBLIC)
    assert not missing, f"URL patterns without a row in the access matrix: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"matrix rows for URLs that no longer exist: {stale}"


@pytest.fixture
def world(people, forces, make_victim):
    own = make_victim(people["navigator"], forces["ESX"], full_name="Own Forcevictim")
    other = make_victim(people["navigator_other"], forces["GMP"], full_name="Other Forcevictim")
    consents = {
        OWN: services.give_consent(actor=people["navigator"], victim=own, purpose="share_with_police",
                                   given_on=datetime.date(2026, 1, 5), means="written"),
        OTHER: services.give_consent(actor=people["navigator_other"], victim=other, purpose="share_with_police",
                                     given_on=datetime.date(2026, 1, 5), means="written"),
    }
    records = {}
    decisions = {}
    for scope, force, navigator in ((OWN, forces["ESX"], people["navigator"]),
                                    (OTHER, forces["GMP"], people["navigator_other"])):
        records[scope] = PoliceRecord.objects.create(
            force=force, ref=f"{force.code}-R1", recorded_at=timezone.now(), record_type="incident",
            text="Worker says the boss keeps her passport.", text_digest="x", screened_with="test",
            screened_threshold=1.0, screened_at=timezone.now())
        ScreeningResult.objects.create(record=records[scope], score=1.0, flagged=True, hits=[])
        decisions[scope] = screening_services.decide(actor=navigator, record=records[scope],
                                                     decision="more_info", reason="Check with the officer")
    someone_else = make_user("other.evaluator", "evaluator")
    result = {"observed": 10, "estimate": 20.0, "ci": [12.0, 40.0], "ci_method": "model", "method": "main",
              "model": [], "lists": ["A", "B"], "warnings": [], "level": 0.95, "threshold": 0.02, "models": []}
    runs = {
        role: {scope: EstimateRun.objects.create(
            owner=people[role] if scope == OWN else someone_else, title="Test", source="upload", lists=["A", "B"],
            counts=[4, 4, 2], method="main", status="done", result=result) for scope in (OWN, OTHER)}
        for role in ROLES
    }
    tasks = {
        role: {scope: TaskProgress.objects.create(
            task_id=f"{role}-{scope}", label="Test task",
            owner=people[role] if scope == OWN else people["navigator_other"]) for scope in (OWN, OTHER)}
        for role in ROLES
    }
    return {"victims": {OWN: own, OTHER: other}, "consents": consents, "forces": forces, "tasks": tasks,
            "records": records, "decisions": decisions, "runs": runs}


def _url(name, scope, world, role):
    victim = world["victims"][scope]
    if name in ("screening:record", "police-record-detail"):
        key = "record_id" if name.startswith("screening") else "pk"
        return reverse(name, kwargs={key: world["records"][scope].pk})
    if name == "api-not-found":
        return reverse(name, kwargs={"path": "v1/nothing/"})
    if name == "triage-decision-detail":
        return reverse(name, kwargs={"pk": world["decisions"][scope].pk})
    if name == "estimation:run":
        return reverse(name, kwargs={"run_id": world["runs"][role][scope].pk})
    if name == "estimation:download":
        return reverse(name, kwargs={"run_id": world["runs"][role][scope].pk, "fmt": "csv"})
    if name == "task-status":
        return reverse(name, kwargs={"task_id": world["tasks"][role][scope].task_id})
    if name in ("victims:detail", "victims:edit", "victims:close", "victims:consent-add", "victims:history",
                "victim-detail"):
        return reverse(name, kwargs={"reference": victim.reference})
    if name == "victims:consent-withdraw":
        return reverse(name, kwargs={"reference": victim.reference, "consent_id": world["consents"][scope].pk})
    return reverse(name)


def _payload(name, scope, world):
    force = world["victims"][scope].force
    if name == "victims:create":
        return {"force": force.pk, "full_name": "New Person", "gender": "male", "age_band": "18-24",
                "nationality": "AL", "exploitation_types": ["labour"], "support_level": "standard",
                "engagement_status": "not_asked", "classification": "OFFICIAL"}
    if name == "victims:edit":
        return {"full_name": "Renamed Person", "gender": "male", "age_band": "18-24", "nationality": "AL",
                "exploitation_types": ["labour"], "support_level": "standard", "engagement_status": "engaging",
                "classification": "OFFICIAL"}
    if name == "victims:close":
        return {"reason": "support_completed", "closed_on": "01/11/2026"}
    if name == "victims:consent-add":
        return {"purpose": "nrm_referral", "given_on": "01/11/2026", "means": "verbal"}
    if name == "victim-list":
        return {"force": force.code, "full_name": "Api Person", "exploitation_types": ["labour"]}
    if name == "victim-detail":
        return {"support_level": "standard"}
    if name == "screening:upload":
        upload = SimpleUploadedFile("records.jsonl", b'{"ref": "U1", "force": "%s", "recorded_at": "2026-01-01", '
                                    b'"type": "incident", "text": "Nothing of note."}\n' % force.code.encode())
        return {"force": force.pk, "file": upload}
    if name == "estimation:index":
        table = SimpleUploadedFile("table.csv", b"A,B,count\n1,0,30\n0,1,25\n1,1,10\n")
        return {"title": "Matrix", "source": "upload", "table": table, "method": "main", "threshold": "0.02",
                "bootstrap": "0"}
    if name == "screening:record":
        return {"decision": "not_ms", "reason": "A dispute between neighbours"}
    if name == "triage-decision-list":
        return {"record": world["records"][scope].pk, "decision": "potential", "reason": "Control by the boss",
                "record_seen": world["records"][scope].updated_at.isoformat()}
    return {}


CASES = [
    (name, method, role, scope, scope in allowed.get(role, set()))
    for name, rows in MATRIX.items()
    for method, allowed in rows
    for role in ROLES
    for scope in (OWN, OTHER)
]


@pytest.mark.parametrize(("name", "method", "role", "scope", "allowed"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}" for c in CASES])
def test_access(client, login, people, world, name, method, role, scope, allowed):
    login(people[role])
    url = _url(name, scope, world, role)
    payload = _payload(name, scope, world)
    if name.startswith(("victim-", "police-record-", "triage-decision-")) or name == "api-token":
        response = getattr(client, method)(url, payload, content_type="application/json")
    else:
        response = getattr(client, method)(url, payload)
    if allowed:
        assert response.status_code in (200, 201, 302), (
            f"{role} should be able to {method} {url}: got {response.status_code}")
        if response.status_code == 302:
            assert "/login" not in response["Location"], f"{role} was sent to sign in for {url}"
    else:
        assert response.status_code in (403, 404), (
            f"{role} must not {method} {url} ({scope} force): got {response.status_code}")


def test_list_shows_only_own_force_records(client, login, people, world):
    for role in ("navigator", "police"):
        login(people[role])
        page = client.get(reverse("victims:list")).content.decode()
        assert world["victims"][OWN].reference in page
        assert world["victims"][OTHER].reference not in page
        api = client.get(reverse("victim-list")).json()
        assert [v["reference"] for v in api["results"]] == [world["victims"][OWN].reference]
    login(people["lead"])
    page = client.get(reverse("victims:list")).content.decode()
    assert world["victims"][OWN].reference in page and world["victims"][OTHER].reference in page


def test_police_never_see_identity_without_consent(client, login, people, world, forces, make_victim):
    unconsented = make_victim(people["navigator"], forces["ESX"], full_name="Hidden Identityperson")
    login(people["police"])
    page = client.get(reverse("victims:detail", kwargs={"reference": unconsented.reference})).content.decode()
    assert "Hidden Identityperson" not in page
    assert "07700 900123" not in page
    assert "not consented to share their identity" in page
    data = client.get(reverse("victim-detail", kwargs={"reference": unconsented.reference})).json()
    assert data["identity_shared"] is False
    assert not {"full_name", "date_of_birth", "phone", "address", "aliases", "nationality",
                "methods_of_control"} & set(data)
    listing = client.get(reverse("victims:list")).content.decode()
    assert "Hidden Identityperson" not in listing
    # With consent standing, identity appears; withdrawn, it disappears again.
    consented = world["victims"][OWN]
    data = client.get(reverse("victim-detail", kwargs={"reference": consented.reference})).json()
    assert data["full_name"] == "Own Forcevictim"
    services.withdraw_consent(actor=people["navigator"], consent=world["consents"][OWN])
    data = client.get(reverse("victim-detail", kwargs={"reference": consented.reference})).json()
    assert "full_name" not in data
    page = client.get(reverse("victims:detail", kwargs={"reference": consented.reference})).content.decode()
    assert "Own Forcevictim" not in page


def test_police_cannot_search_by_name(client, login, people, world):
    login(people["police"])
    response = client.get(reverse("victims:list"), {"q": "Own Forcevictim"})
    assert "0 victims found" in response.content.decode()
