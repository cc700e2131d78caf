import pytest
from axe_playwright_python.sync_playwright import Axe

from ..conftest import PASSWORD
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_sign_in_add_victim_with_an_error_then_find_it(page, live_server, people, forces):
    navigator = people["navigator"]
    page.goto(f"{live_server.url}/login/")
    assert _serious_violations(page) == [], "login page"
    sign_in(page, live_server, navigator, PASSWORD)

    page.get_by_role("link", name="Victims", exact=True).first.click()
    page.get_by_role("link", name="Add a victim").click()
    page.wait_for_url("**/victims/new/")
    assert _serious_violations(page) == [], "victim form"

    page.get_by_label("Force", exact=True).select_option(label="Essex Police")
    page.get_by_label("Full name").fill("Liliana Browsertest")
    page.get_by_label("Date of birth (optional)").fill("27/3/1994")
    page.get_by_label("Female", exact=True).check()
    page.get_by_role("button", name="Create record").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Select at least one type of exploitation" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert page.get_by_label("Full name").input_value() == "Liliana Browsertest"
    assert _serious_violations(page) == [], "victim form with errors"

    summary.get_by_role("link", name="Select at least one type of exploitation").click()
    page.get_by_label("Labour exploitation", exact=True).check()
    page.get_by_label("Intensive", exact=True).check()
    page.get_by_role("button", name="Create record").click()
    page.wait_for_url("**/victims/ESX-V-000001/")
    assert "Victim record ESX-V-000001 created" in page.inner_text("main")
    assert "Liliana Browsertest" in page.inner_text("main")
    assert page.locator(".nav-classification").inner_text() == "OFFICIAL-SENSITIVE"
    assert _serious_violations(page) == [], "victim detail"

    page.get_by_role("link", name="Victims", exact=True).first.click()
    page.get_by_label("Search").fill("liliana browsertest")
    page.get_by_role("button", name="Apply").click()
    table = page.locator("table.govuk-table")
    assert "ESX-V-000001" in table.inner_text()
    assert "1 victim found" in page.inner_text("main")
    assert _serious_violations(page) == [], "victim list"
