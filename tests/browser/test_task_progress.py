import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from navigator.core.models import TaskProgress

from ..conftest import PASSWORD
from .conftest import sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLL_MILLISECONDS = 3000
RECORD = {"ref": "ESX-INC-9", "force": "ESX", "recorded_at": "2026-10-01", "type": "incident",
          "text": "A worker at a car wash says the boss keeps his passport and he is not paid."}


def upload_records(page, live_server, tmp_path):
    """Upload a file of records; its import waits for a worker, on its progress page."""
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(RECORD) + "\n")
    page.goto(f"{live_server.url}/screening/upload/")
    page.get_by_label("Force", exact=True).select_option(label="Essex Police")
    page.get_by_label("Police records file").set_input_files(path)
    page.get_by_role("button", name="Upload and screen").click()
    page.wait_for_url(re.compile(r"/tasks/[^/]+/$"))
    assert "Waiting for a worker" in page.inner_text("main")
    return page.url


def polls(page, url, count):
    """Let *count* update intervals pass, each ending when the page has its answer from the server."""
    for _ in range(count):
        with page.expect_response(url):
            page.clock.run_for(POLL_MILLISECONDS)


def serious_violations(page):
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


@pytest.fixture
def navigator_page(page, live_server, people):
    page.clock.install()  # the page's timers follow a clock the test moves on, so intervals pass without waiting
    sign_in(page, live_server, people["navigator"], PASSWORD)
    return page


def test_focus_stays_on_stop_updating_while_the_page_updates_and_the_result_shows(navigator_page, live_server,
                                                                                  tmp_path):
    page = navigator_page
    url = upload_records(page, live_server, tmp_path)
    assert serious_violations(page) == []
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    stop = page.get_by_role("link", name="Stop updating")
    tab_to(page, stop)

    polls(page, url, 3)
    TaskProgress.objects.update(done=1, total=4)
    polls(page, url, 1)
    page.get_by_text("1 of 4 (25%)").wait_for()
    assert stop.evaluate("element => element === document.activeElement"), "focus stays on Stop updating"
    assert page.evaluate("window.sameDocument")
    assert page.locator("#task-state").get_attribute("aria-live") == "polite", "a screen reader hears the change"

    call_command("worker", "--batch")
    polls(page, url, 1)
    result = page.get_by_role("link", name="See the result")
    result.wait_for()
    assert "Finished" in page.inner_text("main") and "Imported 1 record for ESX: 1 new" in page.inner_text("main")
    assert page.evaluate("window.sameDocument"), "the result shows without reloading the page"
    assert result.evaluate("element => element === document.activeElement"), "focus moves on from the gone link"
    assert serious_violations(page) == []
    asked = []
    page.on("request", lambda request: asked.append(request.url) if request.url == url else None)
    page.clock.run_for(3 * POLL_MILLISECONDS)
    page.wait_for_timeout(500)
    assert asked == [], "a finished task's page stops asking"


def test_a_page_that_updates_itself_keeps_the_session_without_warning(navigator_page, live_server, tmp_path, settings):
    settings.SESSION_COOKIE_AGE = 124  # the warning would come after 4 seconds
    page = navigator_page
    url = upload_records(page, live_server, tmp_path)
    polls(page, url, 4)
    assert not page.locator("#nav-timeout").is_visible(), "each update renewed the session, as the server knows"


def test_stop_updating_stops_the_updates(navigator_page, live_server, tmp_path):
    page = navigator_page
    url = upload_records(page, live_server, tmp_path)
    page.get_by_role("link", name="Stop updating").click()
    page.wait_for_url("**?paused=1")
    assert "This page no longer updates itself" in page.inner_text("main")
    asked = []
    page.on("request", lambda request: asked.append(request.url) if request.url.startswith(url) else None)
    page.clock.run_for(3 * POLL_MILLISECONDS)
    page.wait_for_timeout(500)
    assert asked == []
    call_command("worker", "--batch")
    page.get_by_role("link", name="Refresh").click()
    page.get_by_role("link", name="See the result").wait_for()


def test_without_javascript_the_page_offers_a_refresh_link(browser, live_server, people, tmp_path):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, people["navigator"], PASSWORD)
    url = upload_records(page, live_server, tmp_path)
    assert not page.get_by_role("link", name="Stop updating").is_visible(), "JavaScript would have to stop it"
    asked = []
    page.on("request", lambda request: asked.append(request.url) if request.url == url else None)
    page.wait_for_timeout(POLL_MILLISECONDS + 1000)
    assert asked == [], "the page does not reload under the reader"
    call_command("worker", "--batch")
    page.get_by_role("link", name="Refresh").click()
    page.get_by_role("link", name="See the result").wait_for()
    assert "Finished" in page.inner_text("main")
    context.close()
