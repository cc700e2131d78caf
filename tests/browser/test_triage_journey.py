import datetime
import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from navigator.screening.models import TriageDecision

from ..conftest import PASSWORD
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARRATIVE = ("Officers attended a nail bar after a call from a neighbour. A female worker said the boss keeps "
             "her passport and she works 14 hours a day to pay off a debt to the man who brought her here.")


def test_navigator_decides_a_record_in_the_triage_queue(page, live_server, people, forces, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"ref": "ESX-INC-1", "force": "ESX", "recorded_at": "2026-10-01T09:00:00Z",
                                "type": "incident", "text": NARRATIVE}) + "\n")
    call_command("records", "import", str(path), "--force", "ESX")
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    sign_in(page, live_server, people["navigator"], PASSWORD)

    page.get_by_role("link", name="Triage", exact=True).click()
    row = page.get_by_role("row", name="ESX-INC-1")
    assert "Documents held by someone else" in row.inner_text(), "the queue names the signs found"
    page.get_by_role("link", name="ESX-INC-1").click()
    # Each highlight is a link a screen reader names by its sign, and it leads to the sign's explanation.
    highlight = page.get_by_role("link", name=re.compile(r"sign \d+\s*:\s*Documents held by someone else$"))
    highlight.focus()
    highlight.press("Enter")
    assert page.evaluate("location.hash") == highlight.get_attribute("href")
    assert "Documents held by someone else" in page.locator(highlight.get_attribute("href")).inner_text()
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert violations == []

    page.get_by_role("button", name="Record decision").click()
    assert "Select a decision" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Potential modern slavery", exact=True).check()
    page.get_by_label("Reason").fill("Passport retained, debt bondage and excessive hours")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(re.compile(r"/screening/\?force=ESX(#.*)?$"))  # a fragment the record page had may follow
    assert "Decision recorded for ESX-INC-1: Potential modern slavery" in page.inner_text("main")
    assert "0 flagged records waiting" in page.inner_text("main")
    assert TriageDecision.objects.get().decision == "potential"
    assert missing == [], "every file a page asks for is served"


def test_summary_bars_are_in_proportion_and_fit_a_phone(page, live_server, people, forces, tmp_path):
    from navigator.screening import services
    from navigator.screening.models import PoliceRecord

    for code, count, navigator in (("ESX", 4, "navigator"), ("GMP", 2, "navigator_other")):
        path = tmp_path / f"{code}.jsonl"
        path.write_text("".join(json.dumps({"ref": f"{code}-{n}", "force": code, "recorded_at": "2026-10-01",
                                            "type": "incident", "text": NARRATIVE}) + "\n" for n in range(count)))
        call_command("records", "import", str(path), "--force", code)
        for record in PoliceRecord.objects.filter(force__code=code):
            services.decide(actor=people[navigator], record=record, decision="not_ms", reason="Checked")
    sign_in(page, live_server, people["lead"], PASSWORD)
    page.goto(f"{live_server.url}/screening/summary/")
    widths = [box["width"] for box in (bar.bounding_box() for bar in page.locator(".nav-bar").all())]
    assert len(widths) == 2 and widths[0] / widths[1] == pytest.approx(2.0, rel=0.05), widths
    months = page.locator("thead th").all_inner_texts()[3:]  # after the force and its two totals
    assert len(months) == 13, "every month of the default year has a column, empty ones too"
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page does not scroll sideways"
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible() and not page.get_by_role("link", name="Triage", exact=True).is_visible(), \
        "on a phone the service's links fold behind a Menu button"
    menu.click()
    assert page.get_by_role("link", name="Triage", exact=True).is_visible()
    widths = [box["width"] for box in (bar.bounding_box() for bar in page.locator(".nav-bar").all())]
    assert widths[0] / widths[1] == pytest.approx(2.0, rel=0.05) and widths[0] > 100, widths


def test_the_summary_shows_this_month_without_scrolling_on_a_laptop(page, live_server, people, forces, tmp_path):
    from navigator.screening import services
    from navigator.screening.models import PoliceRecord

    path = tmp_path / "ESX.jsonl"
    path.write_text(json.dumps({"ref": "ESX-1", "force": "ESX", "recorded_at": "2026-10-01", "type": "incident",
                                "text": NARRATIVE}) + "\n")
    call_command("records", "import", str(path), "--force", "ESX")
    services.decide(actor=people["navigator"], record=PoliceRecord.objects.get(), decision="potential", reason="Yes")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, people["navigator"], PASSWORD)
    page.goto(f"{live_server.url}/screening/summary/")
    this_month = datetime.date.today().strftime("%b %Y")
    region = page.get_by_role("region", name=re.compile("Records analysed per month")).bounding_box()
    header = page.get_by_role("columnheader", name=this_month).bounding_box()
    assert region["x"] <= header["x"] and header["x"] + header["width"] <= region["x"] + region["width"], \
        "the month a navigator reports from is in view"
    months = page.locator("thead th").all_inner_texts()[3:]
    assert months[0] == this_month and len(months) == 13, months


def test_a_warning_comes_before_an_idle_sign_out_and_staying_keeps_the_page(page, live_server, people, forces,
                                                                            settings):
    settings.SESSION_COOKIE_AGE = 124  # the warning comes 2 minutes before the end: here after 4 seconds
    sign_in(page, live_server, people["navigator"], PASSWORD)
    page.goto(f"{live_server.url}/screening/decisions/")
    page.get_by_label("Find a record by its reference").fill("typed, not yet sent")
    dialog = page.locator("#nav-timeout")
    dialog.wait_for(state="visible", timeout=10_000)
    assert page.get_by_role("dialog", name="You will be signed out soon").is_visible()
    assert "anything you have not yet sent, such as a reason you are typing, will be lost" in dialog.inner_text()
    assert page.evaluate("document.activeElement.id") == "nav-timeout-title", "typing on does not press a button"
    with page.expect_response("**/session/keep-alive/") as answered:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert answered.value.status == 200
    dialog.wait_for(state="hidden")
    assert page.get_by_label("Find a record by its reference").input_value() == "typed, not yet sent"

    dialog.wait_for(state="visible", timeout=10_000)
    with page.expect_response("**/session/keep-alive/"):
        page.keyboard.press("Escape")  # dismissing the warning keeps the session too
    dialog.wait_for(state="hidden")

    dialog.wait_for(state="visible", timeout=10_000)
    other_tab = page.context.new_page()
    other_tab.goto(f"{live_server.url}/screening/decisions/")  # working in another tab renews the session
    dialog.wait_for(state="hidden")
    other_tab.close()

    page.context.clear_cookies()  # meanwhile the session ends
    dialog.wait_for(state="visible", timeout=10_000)
    dialog.get_by_role("button", name="Stay signed in").click()
    page.get_by_role("dialog", name="You have been signed out").wait_for()  # once the refused request has answered
    again = dialog.get_by_role("link", name="Sign in again")
    assert again.get_attribute("href") == "/login/?next=/screening/decisions/"
    dialog.get_by_role("button", name="Close").click()
    assert page.get_by_label("Find a record by its reference").input_value() == "typed, not yet sent", "to copy"


def test_the_reason_counts_down_as_it_is_typed(page, live_server, people, forces, tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"ref": "ESX-INC-2", "force": "ESX", "recorded_at": "2026-10-01T09:00:00Z",
                                "type": "incident", "text": NARRATIVE}) + "\n")
    call_command("records", "import", str(path), "--force", "ESX")
    sign_in(page, live_server, people["navigator"], PASSWORD)
    page.get_by_role("link", name="Triage", exact=True).click()
    page.get_by_role("link", name="ESX-INC-2").click()
    page.get_by_label("Reason").fill("Passport held")
    assert "You have 4,987 characters remaining" in page.locator(".govuk-character-count").inner_text()
