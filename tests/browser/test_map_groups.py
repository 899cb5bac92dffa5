"""Markers closer than a pin's width share one, in a real Chromium (static/js/map.js).

On Japan's page JRL and LINK, five kilometres apart in Tsukuba, stood two pixels
apart at the country's zoom: a mouse could hardly tell one from the other. Their
records now share a marker, titled with both, whose popup lists them; zooming in
parts them, zooming out groups them again. The page frames the whole country (all
four main islands), where the CNRS's office in Tokyo, sixty kilometres away, joins
them; zoomed in on the Kantō region, it has a marker of its own.
"""

import json
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import click_marker, focus_by_tabbing
from tests.factories import OfficeFactory, UnitFactory

pytestmark = pytest.mark.browser

MARKERS = "#country-map-map .leaflet-marker-icon"
# Where the demo data puts them (cnrs_intl/demo/data.py).
JRL = {"latitude": Decimal("36.060500"), "longitude": Decimal("140.128000")}
LINK = {"latitude": Decimal("36.083500"), "longitude": Decimal("140.076400")}
KYOTO = {"latitude": Decimal("35.011600"), "longitude": Decimal("135.768100")}


@pytest.fixture
def tsukuba():
    """JRL and LINK in Tsukuba, and the CNRS's office in Tokyo, sixty km away."""
    for acronym, place in [("JRL", JRL), ("LINK", LINK)]:
        UnitFactory(
            acronym=acronym,
            slug=acronym.lower(),
            name_fr=f"Laboratoire {acronym}",
            name_en=f"{acronym} laboratory",
            city_fr="Tsukuba",
            city_en="Tsukuba",
            **place,
        )
    OfficeFactory(
        name_fr="Bureau du CNRS à Tokyo",
        name_en="CNRS Tokyo Office",
        slug="tokyo",
        countries=["JP"],
        latitude=Decimal("35.6762"),
        longitude=Decimal("139.6503"),
    )


def alts(page, selector: str = MARKERS) -> list[str]:
    """The markers' alternative texts, in the order Tab reaches them."""
    return page.eval_on_selector_all(selector, "icons => icons.map(icon => icon.alt)")


def zoom(page, button: str, times: int, map_id: str = "country-map") -> None:
    for _ in range(times):
        page.locator(f"#{map_id}-map .leaflet-control-zoom-{button}").click()


def kanto(page, language: str = "en") -> None:
    """Open Japan's page and zoom in twice from the whole country, on Kantō: the
    office's marker and the units' apart."""
    page.emulate_media(reduced_motion="reduce")  # each zoom done at once
    page.goto(f"/{language}/countries/JP/")
    # The country set apart: the map has framed it.
    expect(page.locator("#country-map-map path.map-country--focus")).to_have_count(1)
    zoom(page, "in", 2)
    expect(page.locator(MARKERS)).to_have_count(2)


@pytest.mark.parametrize(
    ("language", "laboratory"), [("fr", "Laboratoire {}"), ("en", "{} laboratory")]
)
def test_units_a_few_km_apart_share_a_marker_until_zoomed_in(
    page, axe, external_requests, tsukuba, language, laboratory
):
    page.emulate_media(reduced_motion="reduce")  # each zoom done at once
    page.goto(f"/{language}/countries/JP/")
    jrl, link = (
        f"{acronym} – {laboratory.format(acronym)}" for acronym in ("JRL", "LINK")
    )
    office = {"fr": "Bureau du CNRS à Tokyo", "en": "CNRS Tokyo Office"}[language]

    # At the country's zoom (all of Japan): one marker for the office and both
    # units, which names them all.
    expect(page.locator("#country-map-map path.map-country--focus")).to_have_count(1)
    expect(page.locator(MARKERS)).to_have_count(1)
    expect(page.locator(MARKERS)).to_have_attribute("alt", f"{office} · {jrl} · {link}")

    # Zoomed in twice (Kantō): the office's marker, and one for both units,
    # which names them both.
    zoom(page, "in", 2)
    expect(page.locator(MARKERS)).to_have_count(2)
    group = page.locator(f"{MARKERS}[alt^='JRL']")
    expect(group).to_have_attribute("alt", f"{jrl} · {link}")
    expect(group).to_have_attribute("title", f"{jrl} · {link}")
    click_marker(page, group)
    links = page.locator(".leaflet-popup-content ul.map-popup-list li a")
    expect(links).to_have_text([jrl, link])
    expect(links.nth(0)).to_have_attribute("href", f"/{language}/units/jrl/")
    expect(links.nth(1)).to_have_attribute("href", f"/{language}/units/link/")
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    axe(page)
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)

    # Zoomed in four times more (as far as the map goes): two markers, a pin's
    # width apart at least, each with its unit alone.
    zoom(page, "in", 4)
    expect(page.locator(MARKERS)).to_have_count(3)
    assert alts(page)[1:] == [jrl, link]
    feet = page.eval_on_selector_all(
        f"{MARKERS}[alt^='JRL'], {MARKERS}[alt^='LINK']",
        "icons => icons.map(icon => {"
        " const box = icon.getBoundingClientRect();"
        " return [box.left + box.width / 2, box.bottom]; })",
    )
    (x1, y1), (x2, y2) = feet
    assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= 25  # Leaflet's pin: 25 px
    click_marker(page, page.locator(f"{MARKERS}[alt^='LINK']"))
    popup_link = page.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_text(link)
    expect(page.locator(".leaflet-popup-content ul")).to_have_count(0)
    page.keyboard.press("Escape")

    # Zoomed out again: grouped again.
    zoom(page, "out", 4)
    expect(page.locator(MARKERS)).to_have_count(2)
    expect(group).to_have_attribute("alt", f"{jrl} · {link}")
    assert external_requests == []


def test_the_keyboard_opens_a_shared_marker(page, axe, tsukuba):
    kanto(page)
    group = page.locator(f"{MARKERS}[alt^='JRL']")
    expect(group).to_have_attribute("alt", re.compile(r"^JRL – .* · LINK – "))

    focus_by_tabbing(page, f"{MARKERS}[alt^='JRL']")
    page.keyboard.press("Enter")

    # The focus in the popup, its links one Tab after another, then its close
    # button; Escape closes it and gives the focus back to the marker.
    links = page.locator(".leaflet-popup-content li a")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_be_focused()
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    axe(page)
    page.keyboard.press("Tab")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(".leaflet-popup-close-button")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(group).to_be_focused()


def test_a_focused_marker_parted_or_grouped_by_a_zoom_keeps_the_focus(page, tsukuba):
    # The mouse wheel with Ctrl zooms the map and leaves the focus where it is: on a
    # marker that the zoom takes away, it goes to the marker of that marker's first
    # record.
    kanto(page)
    group = page.locator(f"{MARKERS}[alt^='JRL']")
    expect(group).to_have_attribute("alt", re.compile(" · LINK"))
    group.focus()
    box = group.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.keyboard.down("Control")  # the wheel alone scrolls the page
    page.mouse.wheel(0, -600)  # zooms in around the mouse, by more than 3 levels

    expect(page.locator(MARKERS)).to_have_count(3)
    jrl = page.locator(f"{MARKERS}[alt^='JRL']")
    expect(jrl).not_to_have_attribute("alt", re.compile("LINK"))
    expect(jrl).to_be_focused()

    page.mouse.wheel(0, 600)
    page.keyboard.up("Control")

    expect(page.locator(MARKERS)).to_have_count(2)
    expect(group).to_have_attribute("alt", re.compile(" · LINK"))
    expect(group).to_be_focused()


def test_markers_parted_by_a_zoom_keep_the_order_of_their_records(page, tsukuba):
    # On the units' list, Kyoto's unit comes between JRL and LINK: parted, their
    # markers are put back in the list's order, which Tab follows, around Kyoto's
    # marker, which keeps the focus.
    UnitFactory(acronym="KYOTO", **KYOTO)
    page.emulate_media(reduced_motion="reduce")
    page.goto("/en/units/")
    selector = "#units-map-map .leaflet-marker-icon"
    data = json.loads(page.locator("#units-map").text_content())
    order = [marker["title"] for marker in data["markers"]]
    assert order.index("JRL") < order.index("KYOTO") < order.index("LINK")
    expect(page.locator(selector)).to_have_count(2)
    kyoto = page.locator(f"{selector}[alt='KYOTO']")
    page.locator("#units-map-map").scroll_into_view_if_needed()  # under the mouse
    kyoto.focus()
    box = page.locator("#units-map-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.keyboard.down("Control")
    page.mouse.wheel(0, -600)
    page.keyboard.up("Control")

    expect(page.locator(selector)).to_have_count(3)
    assert alts(page, selector) == order
    expect(kyoto).to_be_focused()
