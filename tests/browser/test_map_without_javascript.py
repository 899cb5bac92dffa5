"""Maps without JavaScript, or without Leaflet, in a real Chromium (QA46 B3).

A map is drawn by static/js/map.js: without it, each map was an empty blue box under
a heading ("On the map"), a caption describing markers and colours that were not
there, and a "Skip the map" link. They are shown only on a page the scripts marked
in its <head> (static/js/map-head.js), and so from the first paint; the tables and
lists under them, which say the same, are always shown.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import OfficeFactory, UnitFactory

pytestmark = pytest.mark.browser

# Each page with a map, and what says the same without it.
PAGES = [
    ("/{language}/", "#home-units"),
    ("/{language}/units/", "table.units-by-country"),
    ("/{language}/units/jrl/", "main dl"),
    ("/{language}/countries/", "#country-table"),
    ("/{language}/countries/JP/", "#country-units"),
    ("/{language}/offices/", "table.offices-table"),
    ("/{language}/offices/tokyo/", "main h1"),
]


@pytest.fixture
def records():
    UnitFactory(acronym="JRL", slug="jrl")
    OfficeFactory(
        slug="tokyo",
        latitude=Decimal("35.6762"),
        longitude=Decimal("139.6503"),
    )


def assert_no_map(page, alternative):
    expect(page.locator(".map-block")).to_have_count(1)
    expect(page.locator(".map-block")).to_be_hidden()
    for caption in page.locator(".map-only, .map-legend").all():
        expect(caption).to_be_hidden()
    expect(page.locator(".map-skip")).not_to_be_focused()
    expect(page.get_by_role("heading", name="On the map")).to_have_count(0)
    expect(page.get_by_role("heading", name="Sur la carte")).to_have_count(0)
    expect(page.get_by_role("region", name="On the map")).to_have_count(0)
    expect(page.get_by_role("region", name="Sur la carte")).to_have_count(0)
    expect(page.locator(alternative).first).to_be_visible()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_without_javascript_no_map_is_shown_but_its_table(
    browser, live_server, transactional_db, records, language
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        for address, alternative in PAGES:
            page.goto(address.format(language=language))
            assert_no_map(page, alternative)
            # The skip link is no Tab stop either: the first is the page's own.
            page.keyboard.press("Tab")
            expect(page.locator(".skip-link")).to_be_focused()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_with_javascript_each_map_is_shown_with_its_table(page, records, language):
    for address, alternative in PAGES:
        page.goto(address.format(language=language))
        expect(page.locator(".map-block")).to_be_visible()
        expect(page.locator(".map-block .leaflet-container")).to_have_count(1)
        expect(page.locator(alternative).first).to_be_visible()
    page.goto(f"/{language}/units/")
    heading = {"fr": "Sur la carte", "en": "On the map"}[language]
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def test_a_map_whose_leaflet_did_not_load_is_hidden(
    browser, live_server, transactional_db, records
):
    context = browser.new_context(base_url=live_server.url)
    context.route("**/leaflet.js", lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto("/fr/units/")
        page.wait_for_load_state("load")
        assert_no_map(page, "table.units-by-country")
    finally:
        context.close()
