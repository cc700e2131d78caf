import json

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
    sign_in(page, live_server, people["navigator"], PASSWORD)

    page.get_by_role("link", name="Triage", exact=True).click()
    row = page.get_by_role("row", name="ESX-INC-1")
    assert "Documents held by someone else" in row.inner_text(), "the queue names the signs found"
    page.get_by_role("link", name="ESX-INC-1").click()
    highlight = page.locator("mark.nav-hit a").first
    highlight.focus()
    described_by = highlight.get_attribute("aria-describedby")
    assert page.locator(f"#{described_by}").inner_text().strip(), "each highlight names its explanation"
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert violations == []

    page.get_by_role("button", name="Record decision").click()
    assert "Select a decision" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Potential modern slavery", exact=True).check()
    page.get_by_label("Reason").fill("Passport retained, debt bondage and excessive hours")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/screening/?force=ESX")
    assert "Decision recorded for ESX-INC-1: Potential modern slavery" in page.inner_text("main")
    assert "0 flagged records waiting" in page.inner_text("main")
    assert TriageDecision.objects.get().decision == "potential"
