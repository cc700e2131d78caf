import datetime
import io
from pathlib import Path

import pytest

from navigator.estimation.mse import read_table
from navigator.estimation.services import create_run, execute
from navigator.victims import services as victim_services

from ..conftest import PASSWORD
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 320  # WCAG 1.4.10 Reflow: 320 CSS pixels wide
WESTERN = Path(__file__).parents[1] / "estimation" / "data" / "western.csv"


@pytest.fixture
def records(people, forces, make_victim):
    """A victim with consent and an audit trail, and a finished estimate, as the lead can see them."""
    victim = make_victim(people["navigator"], forces["ESX"])
    victim_services.give_consent(actor=people["navigator"], victim=victim, purpose="share_with_police",
                                 given_on=datetime.date(2026, 3, 2), means="interpreter")
    victim_services.update_victim(actor=people["navigator"], victim=victim, phone="07700 900456")
    run = create_run(actor=people["lead"], title="Western US", source="upload",
                     table=read_table(io.StringIO(WESTERN.read_text())), method="stepwise", threshold=0.02,
                     bootstrap=0, seed=None)
    execute(run)
    return {"victim": victim.reference, "run": run.pk}


@pytest.fixture
def lead_on_a_phone(page, live_server, people):
    sign_in(page, live_server, people["lead"], PASSWORD)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 640})
    return page


@pytest.mark.parametrize(("path", "caption", "region_name"), [
    ("/victims/{victim}/", "Consent given by the victim", "Consent"),
    ("/victims/{victim}/history/", "Audit trail, newest first", "Audit trail"),
    ("/estimates/", "Estimates you can see, newest first", "Estimates"),
    ("/estimates/{run}/", "Models the method fitted or refused", "Models considered"),
], ids=["consent", "history", "estimates", "models"])
def test_a_wide_table_scrolls_in_its_own_region_not_the_page(lead_on_a_phone, live_server, records, path, caption,
                                                             region_name):
    page = lead_on_a_phone
    page.goto(live_server.url + path.format(**records))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, "the page does not scroll sideways"
    region = page.get_by_role("region", name=f"{region_name} (scrolls sideways on a narrow screen)", exact=True)
    assert region.get_by_role("table", name=caption).count() == 1
    assert region.evaluate("element => element.scrollWidth > element.clientWidth"), "the table scrolls within it"
    tab_to(page, region)
    scrolls_sideways_with_an_arrow_key(page, region)


def test_the_chart_scrolls_in_a_region_a_keyboard_reaches(lead_on_a_phone, live_server, records):
    page = lead_on_a_phone
    page.goto(f"{live_server.url}/estimates/{records['run']}/")
    chart = page.get_by_role("region", name="Chart: people seen on each list, and the estimated number never seen "
                                            "(scrolls sideways on a narrow screen)", exact=True)
    assert chart.get_by_role("img", name="People seen on each list, and the estimated number never seen").count() == 1
    tab_to(page, chart)
    scrolls_sideways_with_an_arrow_key(page, chart)


def tab_to(page, target):
    page.keyboard.press("Tab")
    while not target.evaluate("element => element === document.activeElement"):
        assert page.evaluate("document.activeElement !== document.body"), "Tab reaches it"
        page.keyboard.press("Tab")


def scrolls_sideways_with_an_arrow_key(page, focused):
    assert focused.evaluate("element => element.scrollWidth > element.clientWidth"), "it is wider than the screen"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("element => element.scrollLeft > 0", arg=focused.element_handle())
