"""Map markers and popups with the keyboard, in a real Chromium (static/js/map.js).

Found by accessibility audits: a popup opened with Enter was reached only after
every later marker, Escape did not close it, closing it lost the focus, its close
button was named in English, and a focused marker could be hidden under another;
Tab from a popup skipped the later markers and Shift+Tab did not go back to its
own; Space on a marker or a zoom button scrolled the page. Units at the same place
share a marker, whose popup lists them (and so do units closer than a pin's width
on screen: tests/browser/test_map_groups.py).
"""

import time
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.browser.conftest import focus_by_tabbing
from tests.factories import UnitFactory
from units.models import Unit

pytestmark = pytest.mark.browser


@pytest.fixture
def units():
    # Four units: two in Tokyo at the same place, one in Misaki, sixty kilometres
    # south (thirty pixels at the map's zoom: a marker of its own, which overlaps
    # Tokyo's), and one in Kyoto. The markers are titled with the units' acronyms.
    UnitFactory(acronym="TOKYO1")
    UnitFactory(acronym="TOKYO2")
    UnitFactory(
        acronym="MISAKI",
        latitude=Decimal("35.158000"),
        longitude=Decimal("139.612000"),
    )
    UnitFactory(
        acronym="KYOTO",
        latitude=Decimal("35.0116"),
        longitude=Decimal("135.7681"),
    )


def markers(page, language):
    page.goto(f"/{language}/units/")
    # The two units at one place share a marker.
    pins = page.locator("#units-map-map .leaflet-marker-icon")
    expect(pins).to_have_count(3)
    return pins


def pin(page, acronym):
    return page.locator(f"#units-map-map .leaflet-marker-icon[alt*='{acronym}']")


def open_popup(page, marker):
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup")).to_have_count(1)
    # Leaflet fades a popup in (0.2 s): axe checking colours meanwhile measured the
    # link's half-faded blue (4.17:1) once in a CI run.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_enter_on_a_marker_puts_the_focus_in_its_popup(page, axe, units, language):
    markers(page, language)
    kyoto = pin(page, "KYOTO")

    open_popup(page, kyoto)

    link = page.locator(".leaflet-popup-content a")
    expect(link).to_be_focused()
    expect(link).to_have_text(kyoto.get_attribute("alt"))
    page.keyboard.press("Tab")
    close = page.locator(".leaflet-popup-close-button")
    expect(close).to_be_focused()
    with translation.override(language):
        expect(close).to_have_attribute("aria-label", gettext("Close"))
    axe(page)


@pytest.mark.parametrize("key", ["Escape", "Shift+Tab,Escape"])
def test_escape_closes_the_popup_and_gives_the_focus_back_to_its_marker(
    page, units, key
):
    pins = markers(page, "fr")
    open_popup(page, pins.nth(1))

    for press in key.split(","):
        page.keyboard.press(press)

    expect(page.locator(".leaflet-popup")).to_have_count(0)
    # Shift+Tab from the popup's link goes back to its marker, the popup closed.
    expect(pins.nth(1)).to_be_focused()


def test_tab_past_a_popup_goes_on_to_the_next_marker(page, units):
    pins = markers(page, "fr")
    open_popup(page, pins.nth(1))
    page.locator(".leaflet-popup-close-button").focus()

    page.keyboard.press("Tab")

    # Not the zoom buttons after every marker: the popup's pane comes last.
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(pins.nth(2)).to_be_focused()


def moved(locator, before) -> bool:
    """Whether ``locator``'s box leaves ``before`` within two seconds."""
    for _ in range(40):
        if locator.bounding_box() != before:
            return True
        time.sleep(0.05)
    return False


def test_space_opens_a_marker_and_presses_a_zoom_button_without_scrolling(page, units):
    # Without motion: the map's fit to its markers is animated after the page's
    # load, and Leaflet drops a zoom asked for during another one; a zoom button
    # pressed then did nothing, and the marker, at its place, moved no more.
    page.emulate_media(reduced_motion="reduce")
    markers(page, "fr")
    heading = page.get_by_role("heading", level=1)
    kyoto = pin(page, "KYOTO")
    kyoto.focus()
    top = heading.bounding_box()

    page.keyboard.press("Space")

    expect(page.locator(".leaflet-popup-content a")).to_be_focused()
    assert heading.bounding_box() == top
    page.keyboard.press("Escape")
    expect(kyoto).to_be_focused()

    zoom_in = page.locator("#units-map-map .leaflet-control-zoom-in")
    zoom_in.focus()
    top, before = heading.bounding_box(), kyoto.bounding_box()
    page.keyboard.press("Space")
    assert moved(kyoto, before)  # zoomed in
    assert heading.bounding_box() == top


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_the_close_button_gives_the_focus_back_to_the_marker(page, units, key):
    markers(page, "fr")
    kyoto = pin(page, "KYOTO")
    open_popup(page, kyoto)
    page.keyboard.press("Tab")
    expect(page.locator(".leaflet-popup-close-button")).to_be_focused()

    page.keyboard.press(key)

    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(kyoto).to_be_focused()


def test_a_focused_marker_is_drawn_over_a_marker_close_by(page, units):
    markers(page, "fr")
    page.locator("#units-map-map").scroll_into_view_if_needed()  # elementFromPoint
    # The alt of the marker drawn where the two markers' boxes overlap.
    on_top = """([one, other]) => {
        const a = one.getBoundingClientRect(), b = other.getBoundingClientRect();
        const left = Math.max(a.left, b.left), right = Math.min(a.right, b.right);
        const top = Math.max(a.top, b.top), bottom = Math.min(a.bottom, b.bottom);
        if (left >= right || top >= bottom) return null;
        return document.elementFromPoint((left + right) / 2, (top + bottom) / 2).alt;
    }"""
    # Tokyo's and Misaki's markers overlap: the southern one, Misaki's, is drawn
    # over Tokyo's.
    tokyo, misaki = pin(page, "TOKYO1"), pin(page, "MISAKI")
    both = [tokyo.element_handle(), misaki.element_handle()]
    assert page.evaluate(on_top, both) == "MISAKI"

    tokyo.focus()
    assert page.evaluate(on_top, both) == "TOKYO1 · TOKYO2"

    misaki.focus()
    assert page.evaluate(on_top, both) == "MISAKI"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_units_at_one_place_share_a_marker_that_lists_them(page, axe, units, language):
    markers(page, language)
    tokyo = pin(page, "TOKYO1")
    expect(tokyo).to_have_attribute("alt", "TOKYO1 · TOKYO2")

    # With the keyboard: the first unit's link has the focus, Tab reaches the
    # second, then the close button.
    open_popup(page, tokyo)
    links = page.locator(".leaflet-popup-content li a")
    expect(links).to_have_text(["TOKYO1", "TOKYO2"])
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("Tab")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(".leaflet-popup-close-button")).to_be_focused()
    axe(page)
    page.keyboard.press("Escape")
    expect(tokyo).to_be_focused()

    # With the mouse: each unit of the place is reached.
    tokyo.click()
    page.locator(".leaflet-popup-content").get_by_role("link", name="TOKYO2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Laboratoire international" if language == "fr" else "International laboratory"
    )


# Records the animation classes Leaflet gives the map's panes while it moves.
WATCH_ANIMATIONS = """() => {
    window.mapAnimations = [];
    new MutationObserver((changes) => {
        for (const change of changes) {
            for (const name of ["leaflet-pan-anim", "leaflet-zoom-anim"]) {
                if (change.target.classList.contains(name)) {
                    window.mapAnimations.push(name);
                }
            }
        }
    }).observe(document.getElementById("units-map-map"), {
        attributes: true, attributeFilter: ["class"], subtree: true,
    });
}"""
POPUP_OPACITY = """() => getComputedStyle(
    document.querySelector(".leaflet-popup")).opacity"""


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_the_map_does_not_animate_for_visitors_who_ask_for_less_motion(
    page, units, motion
):
    page.emulate_media(reduced_motion=motion)
    markers(page, "fr")
    kyoto = pin(page, "KYOTO")
    page.evaluate(WATCH_ANIMATIONS)

    # The arrow keys pan the map; the zoom button zooms it. Done once the
    # markers have moved, animated or not.
    before = kyoto.bounding_box()
    page.locator("#units-map-map").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(x) => document.querySelector(\"[alt*='KYOTO']\")"
        ".getBoundingClientRect().x !== x",
        arg=before["x"],
    )
    panned = kyoto.bounding_box()
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(
        "(x) => document.querySelector(\"[alt*='KYOTO']\")"
        ".getBoundingClientRect().x !== x",
        arg=panned["x"],
    )
    kyoto.focus()
    page.keyboard.press("Enter")
    opacity = page.evaluate(POPUP_OPACITY)

    # Leaflet fades popups and tiles in within maps of that class.
    fades = page.locator("#units-map-map.leaflet-fade-anim")
    if motion == "reduce":
        assert page.evaluate("window.mapAnimations") == []
        expect(fades).to_have_count(0)
        assert opacity == "1"  # shown at once
    else:
        page.wait_for_function(
            "['leaflet-pan-anim', 'leaflet-zoom-anim']"
            ".every((name) => window.mapAnimations.includes(name))"
        )
        expect(fades).to_have_count(1)


@pytest.mark.parametrize(
    ("language", "name"), [("fr", "Passer la carte"), ("en", "Skip the map")]
)
def test_a_link_before_the_map_leads_past_its_markers(page, axe, units, language, name):
    markers(page, language)
    skip = page.get_by_role("link", name=name)
    expect(skip).not_to_be_in_viewport()  # out of sight until focused
    page.locator("#id_q").focus()
    focus_by_tabbing(page, ".map-skip")
    expect(skip).to_be_in_viewport()
    axe(page)
    # The next Tab reaches the map's first marker; Enter on the link, what follows it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.map') !== null")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.map') === null")
    assert page.evaluate(
        "!!(document.getElementById('units-map-map').compareDocumentPosition("
        "document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )


def test_the_skip_link_shows_over_the_map_without_moving_it(page, units):
    # On a unit's page the map shares a grid with the unit's facts: the link taking
    # a place of its own moved the map to another row.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(Unit.objects.get(acronym="KYOTO").get_absolute_url())
    box = page.locator("#unit-map-map").bounding_box()
    page.locator(".map-skip").focus()
    expect(page.locator(".map-skip")).to_be_in_viewport()
    assert page.locator("#unit-map-map").bounding_box() == box
