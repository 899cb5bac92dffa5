"""The maps leave the page's scrolling alone: the wheel over a map scrolls the page
(with Ctrl held it zooms the map), and on a phone one finger drawn across a map
scrolls the page too."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import OfficeFactory, UnitFactory

pytestmark = pytest.mark.browser

# An Android phone's browser, as Leaflet's L.Browser.mobile recognises it.
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
)


@pytest.fixture
def japan():
    UnitFactory(country="JP", latitude=35.6762, longitude=139.6503)
    OfficeFactory(country="JP", countries=["JP", "KR"])


def map_width(page) -> float:
    """The drawn width of the outline's first country: it changes with the zoom."""
    path = page.locator("#countries-map-map .leaflet-overlay-pane path").first
    expect(path).to_be_attached()
    return page.evaluate(
        "() => document.querySelector("
        "'#countries-map-map .leaflet-overlay-pane path').getBBox().width"
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_wheel_over_a_map_scrolls_the_page_and_leaves_the_zoom(
    page, axe, japan, language
):
    page.set_viewport_size({"width": 1280, "height": 600})
    page.goto(f"/{language}/countries/")
    map_element = page.locator("#countries-map-map")
    expect(map_element).to_be_visible()
    width = map_width(page)
    box = map_element.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)

    page.mouse.wheel(0, 300)

    page.wait_for_function("() => window.scrollY > 0")
    # Leaflet would have zoomed after its wheel debounce (40 ms) and animation.
    page.wait_for_timeout(500)
    assert map_width(page) == width
    axe(page)


def test_the_wheel_with_ctrl_over_a_map_zooms_it(page, japan):
    page.goto("/en/countries/")
    map_element = page.locator("#countries-map-map")
    width = map_width(page)
    box = map_element.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)

    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")

    page.wait_for_function(
        """(width) => document.querySelector(
            '#countries-map-map .leaflet-overlay-pane path'
        ).getBBox().width !== width""",
        arg=width,
    )
    assert page.evaluate("() => window.scrollY") == 0


def test_one_finger_on_a_phone_s_map_scrolls_the_page(browser, live_server, japan):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_USER_AGENT,
    )
    page = context.new_page()
    try:
        page.goto("/fr/countries/JP/")
        map_element = page.locator(".map").first
        expect(map_element.locator(".leaflet-control-zoom-in")).to_be_attached()
        assert page.evaluate("() => L.Browser.mobile")
        # Leaflet's touch handling lets the browser scroll the page with one
        # finger and keeps two-finger pinching for the map.
        classes = map_element.get_attribute("class") or ""
        assert "leaflet-touch-zoom" in classes
        assert "leaflet-touch-drag" not in classes
        assert "leaflet-grab" not in classes
        touch_action = map_element.evaluate("(m) => getComputedStyle(m).touchAction")
        assert touch_action == "pan-x pan-y"
    finally:
        context.close()


def test_a_desktop_map_is_still_dragged_with_the_mouse(page, japan):
    page.goto("/fr/countries/JP/")
    map_element = page.locator(".map").first
    expect(map_element.locator(".leaflet-control-zoom-in")).to_be_attached()
    expect(map_element).to_have_class(re.compile(r"\bleaflet-grab\b"))
