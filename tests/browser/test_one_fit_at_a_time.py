import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from navigator.screening.tasks import fit_proposal

from ..conftest import PASSWORD
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious_violations(page) -> list:
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_a_lead_pressing_fit_in_a_second_tab_is_told_a_fit_is_underway(page, live_server, people):
    sign_in(page, live_server, people["lead"], PASSWORD)
    calibration = live_server.url + reverse("screening:calibration")
    page.goto(calibration)
    second_tab = page.context.new_page()
    second_tab.goto(calibration)

    page.get_by_role("button", name="Fit a proposal").click()
    page.wait_for_url(re.compile(r"/tasks/[^/]+/$"))
    progress_url = page.url

    # The second tab still offers the button it was opened with: pressing it starts nothing.
    second_tab.get_by_role("button", name="Fit a proposal").click()
    summary = second_tab.locator(".govuk-error-summary")
    assert "A fit started earlier has not finished yet, so no other was started" in summary.inner_text()
    assert second_tab.get_by_role("button", name="Fit a proposal").count() == 0
    assert "started by you" in second_tab.locator("#fit-underway").inner_text()
    assert _serious_violations(second_tab) == []
    assert DBTaskResult.objects.filter(task_path=fit_proposal.module_path).count() == 1

    second_tab.get_by_role("link", name="Follow the fit's progress").click()
    second_tab.wait_for_url(progress_url)
