"""Triage when the world moves under the navigator: a record changes after its decision, a colleague decides first,
hits nest, an address holds a far-off month, and API clients probe other forces' ids."""
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from navigator.core.models import AuditEvent, Role
from navigator.screening import services
from navigator.screening.models import PoliceRecord, TriageDecision
from navigator.screening.screener import current_screener
from tests.conftest import make_user, verified_login

from .test_import_triage import ORDINARY, SLAVERY, _record, _write


def test_a_decided_record_whose_narrative_changes_returns_to_the_queue(client, login, people, tmp_path, forces):
    path = _write(tmp_path / "r.jsonl", [_record("D1", "Noisy party, words of advice given.")])
    call_command("records", "import", str(path), "--force", "ESX")
    services.decide(actor=people["navigator"], record=PoliceRecord.objects.get(), decision="more_info",
                    reason="Ask the officer in the case")
    login(people["navigator"])
    assert "0 flagged records waiting" in client.get(reverse("screening:queue")).content.decode()

    _write(path, [_record("D1", SLAVERY)])  # the officer's update adds what the party hid
    call_command("records", "import", str(path), "--force", "ESX")
    page = client.get(reverse("screening:queue")).content.decode()
    assert ">D1</a>" in page and "1 flagged record waiting" in page
    assert "Changed since decided" in page and "was: Needs more information" in page
    record_page = client.get(reverse("screening:record", args=[PoliceRecord.objects.get().pk])).content.decode()
    notice = record_page.find("Changed by an import on")
    assert 0 < notice < record_page.index("Narrative"), "said before the narrative, where the navigator starts reading"
    # What the import changed: the words it took away and those it added, the narrative's own words escaped.
    changes = re.search(r'<div class="govuk-details__text nav-changes">(.*?)</div>', record_page, re.S).group(1)
    removed = " ".join(re.findall(r"<del><span[^>]*>removed: </span>(.*?)</del>", changes))
    added = " ".join(re.findall(r"<ins><span[^>]*>added: </span>(.*?)</ins>", changes))
    assert "Noisy party" in removed and "passport" in added and "passport" not in removed
    assert PoliceRecord.objects.get().previous_text == "Noisy party, words of advice given."

    services.decide(actor=people["navigator"], record=PoliceRecord.objects.get(), decision="potential",
                    reason="Passport held and a debt")
    assert ">D1</a>" not in client.get(reverse("screening:queue")).content.decode()
    record_page = client.get(reverse("screening:record", args=[PoliceRecord.objects.get().pk])).content.decode()
    assert "This record was changed" not in record_page
    call_command("records", "import", str(path), "--force", "ESX")  # unchanged: stays decided
    assert ">D1</a>" not in client.get(reverse("screening:queue")).content.decode()


def test_a_decision_made_while_a_colleague_had_the_record_open_is_not_overwritten(people, forces, tmp_path,
                                                                                   make_victim):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("E1", SLAVERY)])), "--force", "ESX")
    record = PoliceRecord.objects.get()
    first = verified_login(Client(), people["navigator"])
    second = verified_login(Client(), make_user("nav2.essex", Role.NAVIGATOR, [forces["ESX"]]))
    url = reverse("screening:record", args=[record.pk])
    seen = re.search(r'name="decision_seen" value="(\d*)"', second.get(url).content.decode()).group(1)
    assert seen == ""
    victim = make_victim(people["navigator"], forces["ESX"])
    first.post(url, {"decision": "potential", "reason": "Passport held", "victim_reference": victim.reference,
                     "decision_seen": ""})

    page = second.post(url, {"decision": "not_ms", "reason": "Looks like a burglary",
                             "decision_seen": seen}).content.decode()
    assert "There is a problem" in page
    assert "Nav Essex recorded “Potential modern slavery” on this record while you had it open" in page
    current = TriageDecision.objects.get(is_current=True)
    assert (current.decision, current.victim) == ("potential", victim)
    assert TriageDecision.objects.count() == 1

    # Having read it, the colleague may still disagree: the page now carries the newer decision.
    seen = re.search(r'name="decision_seen" value="(\d*)"', page).group(1)
    response = second.post(url, {"decision": "not_ms", "reason": "Spoke to the OIC: a burglary", "decision_seen": seen})
    assert response.status_code == 302
    assert TriageDecision.objects.get(is_current=True).decision == "not_ms"


def _narrative_links(page: str) -> list[tuple[str, str, str]]:
    """``(id, target, spoken name)`` of every link in a record page's narrative."""
    narrative = re.search(r'<div class="nav-narrative govuk-body">(.*?)</div>', page, re.S).group(1)
    return [(anchor, target, re.sub(r"<[^>]+>", "", body)) for anchor, target, body in
            re.findall(r'<a class="govuk-link" id="(hit-\d+)" href="#explain-(\d+)">(.*?)</a>', narrative)]


def _assert_each_sign_is_reached_once_and_named(page: str, hits: list[dict]) -> None:
    names = {indicator.id: indicator.name for indicator in current_screener().indicators}
    numbered = sorted(hits, key=lambda h: (h["start"], -h["end"]))
    links = _narrative_links(page)
    assert [target for _, target, _ in links] == [str(n) for n in range(1, len(hits) + 1)], "one link per sign"
    assert all(anchor == f"hit-{target}" for anchor, target, _ in links), "'Back to the text' lands on the link"
    for _, target, spoken in links:
        assert spoken.endswith(f"sign {target}: {names[numbered[int(target) - 1]['indicator']]}"), spoken
    assert re.findall(r'id="(hit-\d+)"', page) == [f"hit-{n}" for n in range(1, len(hits) + 1)]


def test_every_sign_keeps_one_link_named_by_its_indicator_when_hits_nest(client, login, people, tmp_path, forces):
    text = "IP WORKS 7 DAYS, 14HRS A DAY AT THE SALON FOR £150 A WEEK"
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("O1", text)])), "--force", "ESX")
    hits = PoliceRecord.objects.get().screening.hits
    assert any(a["start"] <= b["start"] and b["end"] <= a["end"] for a in hits for b in hits if a is not b), \
        "the example must hold a hit inside another"
    login(people["navigator"])
    page = client.get(reverse("screening:record", args=[PoliceRecord.objects.get().pk])).content.decode()
    _assert_each_sign_is_reached_once_and_named(page, hits)
    assert "nav-hit--nested" in page, "words two signs share are marked apart"
    narrative = re.search(r'<div class="nav-narrative govuk-body">(.*?)</div>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", re.sub(r"<sup.*?</sup>", "", narrative)) == text, "the narrative reads whole"


@pytest.mark.parametrize("query", ["?to=9999-12", "?from=9999-12", "?from=0001-01&to=0001-02"])
def test_the_summary_ignores_a_month_it_cannot_show(client, login, people, forces, query):
    login(people["lead"])
    response = client.get(reverse("screening:summary") + query)
    assert response.status_code == 200 and "records analysed" in response.content.decode()


def test_the_records_api_pages_are_bounded_and_every_page_read_is_audited(client, login, people, tmp_path, forces):
    records = [_record(f"M{n}", f"{ORDINARY} {n}") for n in range(250)]
    call_command("records", "import", str(_write(tmp_path / "m.jsonl", records)), "--force", "ESX")
    login(people["navigator"])
    data = client.get("/api/v1/police-records/?limit=1000000").json()
    assert data["count"] == 250 and len(data["results"]) == 200
    event = AuditEvent.objects.filter(action="view", object_type="screening.policerecord").get()
    assert event.actor == people["navigator"] and event.changes["records"] == [row["id"] for row in data["results"]]
    assert "Burglary" not in str(event.changes), "the audit trail names records, never their narratives"


def test_the_decisions_api_answers_alike_for_another_forces_record_and_a_missing_one(client, login, people,
                                                                                      tmp_path, forces):
    call_command("records", "import", str(_write(tmp_path / "g.jsonl", [_record("G1", SLAVERY, force="GMP")])),
                 "--force", "GMP")
    other = PoliceRecord.objects.get()
    for user, status in ((people["navigator"], 404), (people["police"], 403)):
        login(user)
        answers = [client.post("/api/v1/triage-decisions/", {"record": pk, "decision": "not_ms", "reason": "x",
                                                             "record_seen": other.updated_at.isoformat()},
                               content_type="application/json") for pk in (other.pk, 10**6, 10**30)]
        assert len({(r.status_code, r.content) for r in answers[:2]}) == 1
        assert answers[0].status_code == status
        assert answers[2].status_code == 400  # not an id at all
    assert not TriageDecision.objects.exists()


def test_an_api_client_that_says_which_decision_it_read_cannot_overwrite_a_newer_one(client, login, people, forces,
                                                                                     tmp_path):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("E1", SLAVERY)])), "--force", "ESX")
    record = PoliceRecord.objects.get()
    login(people["navigator"])

    def post(**fields):
        return client.post("/api/v1/triage-decisions/", {"record": record.pk, "decision": "not_ms", "reason": "x",
                                                         "record_seen": read["updated_at"], **fields},
                           content_type="application/json")

    read = client.get(f"/api/v1/police-records/{record.pk}/").json()
    first = post(supersedes=None)
    assert first.status_code == 201 and "supersedes" not in first.json()
    stale = post(supersedes=None)  # the client had read the record before the first decision
    assert stale.status_code == 409 and stale.json()["current"]["id"] == first.json()["id"]
    assert TriageDecision.objects.count() == 1
    assert post(supersedes=first.json()["id"], decision="potential").status_code == 201
    assert post().status_code == 201, "a client that does not say is not checked"
    assert TriageDecision.objects.count() == 3


def test_a_decision_made_on_a_narrative_an_import_changed_meanwhile_is_refused(people, forces, tmp_path):
    path = _write(tmp_path / "r.jsonl", [_record("S1", "IP works at a nail bar, the boss keeps her passport.")])
    call_command("records", "import", str(path), "--force", "ESX")
    record = PoliceRecord.objects.get()
    navigator = verified_login(Client(), people["navigator"])
    url = reverse("screening:record", args=[record.pk])
    page = navigator.get(url).content.decode()
    seen = {name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)
            for name in ("decision_seen", "record_seen")}
    _write(path, [_record("S1", SLAVERY + " She was sold to the man for 3000 pounds.")])  # while the page is open
    call_command("records", "import", str(path), "--force", "ESX")

    page = navigator.post(url, {"decision": "not_ms", "reason": "Read the old narrative", **seen}).content.decode()
    assert "An import changed this record while you had it open" in page and "sold to the man" in page
    assert not TriageDecision.objects.exists()
    assert ">S1</a>" in navigator.get(reverse("screening:queue")).content.decode()
    seen["record_seen"] = re.search(r'name="record_seen" value="([^"]*)"', page).group(1)
    assert navigator.post(url, {"decision": "potential", "reason": "Sold for 3000", **seen}).status_code == 302


def test_an_api_decision_on_a_narrative_an_import_changed_since_it_was_read_is_refused(client, login, people,
                                                                                       forces, tmp_path):
    path = _write(tmp_path / "r.jsonl", [_record("A2", "Burglary at a car wash overnight, till taken.")])
    call_command("records", "import", str(path), "--force", "ESX")
    record = PoliceRecord.objects.get()
    login(people["navigator"])
    read = client.get(f"/api/v1/police-records/{record.pk}/").json()
    _write(path, [_record("A2", "Burglary at a car wash. The washer says the boss holds his passport and locks them "
                                "in the unit at night.")])  # while the client decides on what it read
    call_command("records", "import", str(path), "--force", "ESX")

    def post(**fields):
        return client.post("/api/v1/triage-decisions/", {"record": record.pk, "decision": "not_ms",
                                                         "reason": "A burglary", "supersedes": None, **fields},
                           content_type="application/json")

    stale = post(record_seen=read["updated_at"])
    assert stale.status_code == 409
    assert stale.json()["detail"] == (
        "An import changed this record's narrative since you read it; nothing was recorded. Read the record again "
        f"(GET /api/v1/police-records/{record.pk}/) and send its updated_at as record_seen.")
    assert stale.json()["current"] is None
    unsaid = post()
    assert unsaid.status_code == 400 and "updated_at" in unsaid.json()["record_seen"][0], "a client must say"
    assert post(record_seen="yesterday").status_code == 400
    assert not TriageDecision.objects.exists()

    again = client.get(f"/api/v1/police-records/{record.pk}/").json()
    assert "holds his passport" in again["text"] and again["updated_at"] != read["updated_at"]
    made = post(record_seen=again["updated_at"], decision="potential", reason="Passport held, locked in")
    assert made.status_code == 201 and "record_seen" not in made.json()
    assert TriageDecision.objects.get().decision == "potential"


def test_the_api_schema_says_which_version_of_a_record_to_send(client, login, people, forces):
    login(people["navigator"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    decision = schema["components"]["schemas"]["TriageDecision"]
    assert "record_seen" in decision["required"] and decision["properties"]["record_seen"]["writeOnly"]
    assert "updated_at" in decision["properties"]["record_seen"]["description"]
    assert "record_seen" in schema["components"]["schemas"]["PoliceRecord"]["properties"]["updated_at"]["description"]
    answers = schema["paths"]["/api/v1/triage-decisions/"]["post"]["responses"]
    assert "record_seen" in answers["409"]["description"]


@pytest.mark.parametrize("field", ["decision_seen", "record_seen"])
def test_a_tampered_form_version_is_refused_not_a_server_error(people, forces, tmp_path, field):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("E1", SLAVERY)])), "--force", "ESX")
    services.decide(actor=people["navigator"], record=PoliceRecord.objects.get(), decision="more_info", reason="x")
    navigator = verified_login(Client(raise_request_exception=False), people["navigator"])
    url = reverse("screening:record", args=[PoliceRecord.objects.get().pk])
    response = navigator.post(url, {"decision": "not_ms", "reason": "x", field: "9" * 5000})
    assert response.status_code == 200 and "not recorded" in response.content.decode()
    assert TriageDecision.objects.get(is_current=True).decision == "more_info"


def test_overlapping_signs_are_each_reached_once(client, login, people, tmp_path, forces):
    text = ("CAD 1187: 16yo misper from Westmouth found in crack house Rowan Walk, 2 phones, £400, won't say who "
            "brought him.")
    call_command("records", "import", str(_write(tmp_path / "o.jsonl", [_record("O2", text)])), "--force", "ESX")
    record = PoliceRecord.objects.get()
    hits = record.screening.hits
    assert any(a["start"] < b["start"] < a["end"] < b["end"] for a in hits for b in hits), "hits must overlap"
    login(people["navigator"])
    page = client.get(reverse("screening:record", args=[record.pk])).content.decode()
    _assert_each_sign_is_reached_once_and_named(page, hits)
    assert len(re.findall(r'<li id="explain-\d+">', page)) == len(hits)
    assert "(weight 1.00, counted once however often it is found)" in page, "each sign says what it adds"


def test_a_missing_record_shows_a_page_with_a_way_back(client, login, people, forces):
    login(people["navigator"])
    response = client.get(reverse("screening:record", args=[999999]))
    page = response.content.decode()
    assert response.status_code == 404 and "Page not found" in page and 'href="/"' in page
    assert 'class="govuk-service-navigation"' in page, "the service's own page, with its navigation"


def test_a_checkbox_error_is_tied_to_the_checkbox(client, login, people, forces, tmp_path):
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", [_record("C1", "Boss keeps her passport.")])),
                 "--force", "ESX")
    login(people["navigator"])
    page = client.post(reverse("screening:record", args=[PoliceRecord.objects.get().pk]),
                       {"decision": "potential", "reason": "r", "victim_reference": "ESX-V-000001",
                        "open_victim": "on"}).content.decode()
    assert 'id="id_open_victim-error"' in page
    assert re.search(r'id="id_open_victim"[^>]*aria-describedby="[^"]*id_open_victim-error', page)


def test_the_summary_says_when_it_cannot_read_a_month(client, login, people, forces):
    login(people["lead"])
    page = client.get(reverse("screening:summary"), {"from": "2026-13"}).content.decode()
    assert "“2026-13” is not a month between 2000 and 2100" in page
    assert "for example 2026-03 (or 03/2026)" in page
    assert "is not a month" not in client.get(reverse("screening:summary"), {"from": "2026-01"}).content.decode()
    typed = client.get(reverse("screening:summary"), {"from": "03/2026", "to": "04/2026"}).content.decode()
    assert "is not a month" not in typed and "From March 2026 to April 2026" in typed


def test_a_lead_starts_on_the_force_with_most_waiting_and_home_says_how_many(client, login, people, forces, tmp_path):
    path = _write(tmp_path / "g.jsonl", [_record(f"G{n}", "The boss keeps her passport and she cannot leave.", "GMP")
                                         for n in range(2)])
    call_command("records", "import", str(path), "--force", "GMP")
    login(people["lead"])
    page = client.get(reverse("screening:queue")).content.decode()
    assert re.search(r'<option value="GMP" selected>Greater Manchester Police \(2 waiting\)</option>', page)
    assert "Essex Police (0 waiting)" in page and ">G0</a>" in page
    force_choice = re.search(r'<select[^>]*name="force">.*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="(\w+)"', force_choice)
    assert options[0] == "GMP" and options[1:] == sorted(options[1:], key=lambda code: next(
        f.name for f in forces.values() if f.code == code)), "the force with records waiting first, then by name"
    page = client.get(reverse("screening:queue"), {"force": "XYZ"}).content.decode()
    assert "You work with no force XYZ: showing Greater Manchester Police." in page
    home = client.get(reverse("home")).content.decode()
    assert "Triage queue</a>: 2 flagged police records waiting for a decision" in home
    login(people["evaluator"])
    home = client.get(reverse("home")).content.decode()
    assert "Triage queue" not in home and "Potential cases analysed" in home


def test_the_summary_shows_five_years_at_most(client, login, people, forces):
    login(people["lead"])
    page = client.get(reverse("screening:summary"), {"from": "2000-01", "to": "2100-12"}).content.decode()
    assert "the last 60 months" in page and "From January 2096 to December 2100" in page


def test_a_record_held_back_on_the_partner_reading_says_so(client, login, people, forces, tmp_path):
    text = ("DASH MEDIUM. IP states her husband keeps her passport and won't let her go out after an argument. She "
            "works full time at a school, has her own car and her own bank account, and says she wants to leave him.")
    call_command("records", "import", str(_write(tmp_path / "p.jsonl", [_record("P1", text)])), "--force", "ESX")
    record = PoliceRecord.objects.get()
    assert not record.screening.flagged and record.screening.held_back
    login(people["navigator"])
    listed = client.get(reverse("screening:queue"), {"force": "ESX", "held_back": "1"}).content.decode()
    assert ">P1</a>" in listed
    page = client.get(reverse("screening:record", args=[record.pk])).content.decode()
    assert "<strong>Signs held by a partner, wording like domestic abuse</strong>" in page
    assert "lowers the score" in page and "checked and ruled-out" not in page


def test_the_record_page_shows_every_narrative_change_since_the_decision(client, login, people, tmp_path, forces):
    path = _write(tmp_path / "r.jsonl", [_record("D1", "Noisy party, words of advice given.")])
    call_command("records", "import", str(path), "--force", "ESX")
    services.decide(actor=people["navigator"], record=PoliceRecord.objects.get(), decision="not_ms", reason="x")
    _write(path, [_record("D1", SLAVERY)])
    call_command("records", "import", str(path), "--force", "ESX")
    _write(path, [_record("D1", SLAVERY, location="Another Street")])  # a later import changes the location only
    call_command("records", "import", str(path), "--force", "ESX")
    login(people["navigator"])
    page = client.get(reverse("screening:record", args=[PoliceRecord.objects.get().pk])).content.decode()
    changes = re.search(r'<div class="govuk-details__text nav-changes">(.*?)</div>', page, re.S).group(1)
    assert "What changed in the narrative since the decision" in page
    assert "Noisy party" in " ".join(re.findall(r"<del><span[^>]*>removed: </span>(.*?)</del>", changes))
    assert "passport" in " ".join(re.findall(r"<ins><span[^>]*>added: </span>(.*?)</ins>", changes))


def test_a_screen_reader_hears_that_a_sign_is_negated(client, login, people, tmp_path, forces):
    text = "Officers spoke to the workers alone: no signs of exploitation, and the boss keeps her passport."
    call_command("records", "import", str(_write(tmp_path / "n.jsonl", [_record("N1", text)])), "--force", "ESX")
    record = PoliceRecord.objects.get()
    assert any(hit["negated"] for hit in record.screening.hits), "the example must hold a negated sign"
    login(people["navigator"])
    spoken = [name for _, _, name in _narrative_links(
        client.get(reverse("screening:record", args=[record.pk])).content.decode())]
    assert any(name.endswith(", negated") for name in spoken) and not all(name.endswith(", negated")
                                                                         for name in spoken)
