"""The decisions page searched by reference: a record that exists is never reported missing, whichever tab the search
was made on, and the tabs say how many of the search's matches each holds."""
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from navigator.core.models import AuditEvent
from navigator.screening import services
from navigator.screening.models import PoliceRecord

from .test_import_triage import ORDINARY, SLAVERY, _record, _write

URL = reverse("screening:decisions")


@pytest.fixture
def decided(people, forces, tmp_path):
    """UXR-0001 decided potential modern slavery, UXR-0002 not, UXR-0003 left undecided, and twenty other decisions
    (so that the tabs' counts without a search are not the search's)."""
    records = [_record("UXR-0001", SLAVERY), _record("UXR-0002", ORDINARY), _record("UXR-0003", ORDINARY)]
    records += [_record(f"OTH-{n:04d}", ORDINARY) for n in range(20)]
    call_command("records", "import", str(_write(tmp_path / "r.jsonl", records)), "--force", "ESX")
    kinds = {"UXR-0001": "potential", "UXR-0002": "not_ms"}
    for record in PoliceRecord.objects.exclude(ref="UXR-0003"):
        services.decide(actor=people["navigator"], record=record, reason="Read it",
                        decision=kinds.get(record.ref, "more_info"))


def _page(client, **query) -> str:
    return client.get(URL, query).content.decode()


def test_a_record_decided_otherwise_is_found_from_the_follow_up_tab(client, login, people, decided):
    login(people["navigator"])
    page = _page(client, decision="more_info", ref="UXR-0001")
    assert "has a reference containing" not in page, "the record exists: no false not-found"
    assert "Records without a decision" not in page, "nothing undecided matched, so nothing is said about it"
    assert re.search(r"UXR-0001 is decided “Potential modern slavery”: see\s*"
                     r'<a class="govuk-link" href="/screening/decisions/\?ref=UXR-0001">All \(1\)</a>', page)
    search = AuditEvent.objects.filter(action="search", object_type="screening.triagedecision").get()
    assert search.changes == {"criteria": ["decision", "ref"], "results": 1}, "what the search found, on any tab"
    everything = _page(client, ref="UXR-0001")
    assert re.findall(r">(UXR-\d+)</a>", everything) == ["UXR-0001"], "the link leads to the record"


def test_the_tabs_keep_the_search_and_count_its_matches(client, login, people, decided):
    login(people["navigator"])
    page = _page(client, decision="more_info", ref="uxr")
    tabs = re.search(r'<nav aria-label="Decisions by kind">(.*?)</nav>', page, re.S).group(1).replace("&amp;", "&")
    assert 'href="/screening/decisions/?ref=uxr">All (2)</a>' in tabs
    assert 'href="/screening/decisions/?decision=potential&ref=uxr">Potential modern slavery (1)</a>' in tabs
    assert 'href="/screening/decisions/?decision=not_ms&ref=uxr">Not modern slavery (1)</a>' in tabs
    assert "<strong>Needs more information (0)</strong>" in tabs
    assert "2 decisions on references containing “uxr” are of other kinds" in page
    undecided = page.split("Records without a decision", 1)[1]
    assert ">UXR-0003</a>" in undecided, "a matching record without a decision is still listed"
    assert "has a reference containing" not in page
    unsearched = _page(client, decision="more_info")
    assert "<strong>Needs more information (20)</strong>" in unsearched and "All (22)</a>" in unsearched
    assert 'href="/screening/decisions/"' in unsearched and "Records without a decision" not in unsearched


def test_a_search_that_matches_nothing_says_so_once(client, login, people, decided):
    login(people["navigator"])
    page = _page(client, decision="potential", ref="NOPE")
    assert "No record in your forces has a reference containing “NOPE”, decided or not" in page
    assert "of other kinds" not in page and " is decided " not in page
    assert "All (0)</a>" in page
    searches = AuditEvent.objects.filter(action="search", object_type="screening.triagedecision")
    assert list(searches.values_list("changes", flat=True)) == [{"criteria": ["decision", "ref"], "results": 0}]


def test_police_are_pointed_to_the_tab_that_holds_their_search_without_undecided_records(client, login, people,
                                                                                          decided):
    login(people["police"])
    page = _page(client, decision="more_info", ref="UXR-0002")
    assert "UXR-0002 is decided “Not modern slavery”" in page
    assert "Records without a decision" not in page and "has a reference containing" not in page
