"""The maps' zoom buttons in a real Chromium: titled in the page's language."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.factories import UnitFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fr", "en"])
def test_map_zoom_buttons_are_titled_in_the_page_language(
    page, axe, external_requests, language
):
    UnitFactory()
    with translation.override(language):
        zoom_in, zoom_out = gettext("Zoom in"), gettext("Zoom out")

    page.goto(f"/{language}/units/")

    # map.js titles Leaflet's buttons with what the template wrote on the map.
    map_element = page.locator("#units-map-map")
    expect(map_element).to_have_attribute("data-zoom-in", zoom_in)
    expect(map_element).to_have_attribute("data-zoom-out", zoom_out)
    for selector, title in [
        (".leaflet-control-zoom-in", zoom_in),
        (".leaflet-control-zoom-out", zoom_out),
    ]:
        button = map_element.locator(selector)
        expect(button).to_have_count(1)
        expect(button).to_have_attribute("title", title)
        expect(button).to_have_attribute("aria-label", title)
    axe(page)
    assert external_requests == []


def test_map_js_takes_the_zoom_titles_from_the_map_element(page):
    # Until the French catalogue has them, both languages say "Zoom in": titles
    # written differently on the page show that map.js reads them from there.
    UnitFactory()

    def retitle(route):
        response = route.fetch()
        html = re.sub(
            r'data-zoom-in="[^"]*"', 'data-zoom-in="Agrandir"', response.text()
        )
        html = re.sub(r'data-zoom-out="[^"]*"', 'data-zoom-out="Réduire"', html)
        route.fulfill(response=response, body=html)

    page.route("**/en/units/", retitle)
    page.goto("/en/units/")

    map_element = page.locator("#units-map-map")
    expect(map_element.locator(".leaflet-control-zoom-in")).to_have_attribute(
        "title", "Agrandir"
    )
    expect(map_element.locator(".leaflet-control-zoom-out")).to_have_attribute(
        "title", "Réduire"
    )
