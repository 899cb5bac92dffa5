"""The maps' zoom buttons in a real Chromium: titled in the page's language."""

import re
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.factories import OfficeFactory, UnitFactory

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


# Washington, Tokyo, Rio de Janeiro, Pretoria, Singapore: the ends of the world
# the CNRS's offices span; Umeå and Hobart, the north and south of its units'.
FAR_APART = [
    ("38.9072", "-77.0369"),
    ("35.6895", "139.6917"),
    ("-22.9068", "-43.1729"),
    ("-25.7479", "28.2293"),
    ("1.3521", "103.8198"),
    ("63.8258", "20.2630"),
    ("-42.8821", "147.3272"),
]


def boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        """elements => elements.map(element => {
            const box = element.getBoundingClientRect();
            return {left: box.left, top: box.top, right: box.right, bottom: box.bottom};
        })""",
    )


def overlap(one: dict, other: dict) -> bool:
    return not (
        one["right"] <= other["left"]
        or other["right"] <= one["left"]
        or one["bottom"] <= other["top"]
        or other["bottom"] <= one["top"]
    )


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(
    ("address", "map_id"), [("/fr/offices/", "offices-map"), ("/en/", "home-map")]
)
def test_every_marker_is_in_the_map_and_clear_of_its_buttons(
    page, width, address, map_id
):
    # At 375 px the offices map put Washington under the zoom buttons, and the
    # home page's world map (zoom 2) showed Europe and Africa only; at 1280 px,
    # centred on 20° N, it cut Umeå's marker.
    for latitude, longitude in FAR_APART:
        OfficeFactory(latitude=Decimal(latitude), longitude=Decimal(longitude))
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(address)
    markers = page.locator(f"#{map_id}-map .leaflet-marker-icon")
    expect(markers).to_have_count(len(FAR_APART))
    # The fit happens once the map is drawn; Leaflet animates it.
    # (No wait_for_function: its polling evaluates a string, which the CSP refuses.)
    expect(page.locator(f"#{map_id}-map .leaflet-zoom-anim")).to_have_count(0)
    page.wait_for_timeout(400)

    (area,) = boxes(page, f"#{map_id}-map")
    (buttons,) = boxes(page, f"#{map_id}-map .leaflet-control-zoom")
    for marker in boxes(page, f"#{map_id}-map .leaflet-marker-icon"):
        assert area["left"] <= marker["left"] and marker["right"] <= area["right"]
        assert area["top"] <= marker["top"] and marker["bottom"] <= area["bottom"]
        assert not overlap(marker, buttons)
