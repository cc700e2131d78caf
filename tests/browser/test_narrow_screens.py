import base64
import datetime
import io
import re
from pathlib import Path

import pytest

from navigator.estimation.mse import read_table
from navigator.estimation.services import create_run, execute
from navigator.victims import services as victim_services

from ..conftest import PASSWORD
from .conftest import sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 320  # WCAG 1.4.10 Reflow: 320 CSS pixels wide
WHITE, FOCUS_YELLOW, FOCUS_BLACK = (255, 255, 255), (255, 221, 0), (11, 12, 12)
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


def test_a_focused_scroll_region_has_a_ring_that_shows_on_white(lead_on_a_phone, live_server, records):
    page = lead_on_a_phone
    page.goto(f"{live_server.url}/estimates/{records['run']}/")
    for region in (page.get_by_role("region", name=re.compile(r"^Chart: ")),
                   page.get_by_role("region", name="Models considered (scrolls sideways on a narrow screen)")):
        assert colour_left_of(page, region, 6) == WHITE
        tab_to(page, region)
        assert colour_left_of(page, region, 2) == FOCUS_YELLOW
        assert colour_left_of(page, region, 6) == FOCUS_BLACK, "a black ring outside the yellow one (19:1 on white)"


def colour_left_of(page, element, distance):
    """The colour on screen *distance* pixels left of the element, near its top: as the browser drew it."""
    element.evaluate("element => element.scrollIntoView({block: 'start'})")
    box = element.bounding_box()
    png = page.screenshot(clip={"x": round(box["x"]) - distance, "y": round(box["y"]) + 5, "width": 1, "height": 1})
    return tuple(page.evaluate("""async (url) => {
        const image = new Image();
        image.src = url;
        await image.decode();
        const canvas = new OffscreenCanvas(1, 1);
        const context = canvas.getContext("2d");
        context.drawImage(image, 0, 0);
        return Array.from(context.getImageData(0, 0, 1, 1).data.slice(0, 3));
    }""", "data:image/png;base64," + base64.b64encode(png).decode()))


def scrolls_sideways_with_an_arrow_key(page, focused):
    assert focused.evaluate("element => element.scrollWidth > element.clientWidth"), "it is wider than the screen"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("element => element.scrollLeft > 0", arg=focused.element_handle())
