"""The countries index and a country's page, in Chromium, in French and English."""

import json
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import focus_by_tabbing
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectParticipantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.browser

# Fills the shared map script gives countries with no activity.
EMPTY_FILL = "#e8ebf0"


@pytest.fixture
def japan():
    """Japan with a unit, a partner and the office covering it; Brazil with a unit."""
    unit = UnitFactory(
        acronym="JRL",
        slug="jrl",
        name_fr="Laboratoire commun de robotique CNRS-AIST",
        name_en="CNRS-AIST Joint Robotics Laboratory",
        country="JP",
    )
    PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        country="JP",
        slug="university-of-tokyo",
    )
    OfficeFactory(
        name_fr="Bureau du CNRS à Tokyo",
        name_en="CNRS Tokyo Office",
        slug="tokyo",
        country="JP",
        countries=["JP", "KR", "TW"],
        latitude=35.6762,
        longitude=139.6503,
    )
    UnitFactory(country="BR", city_fr="Rio de Janeiro", city_en="Rio de Janeiro")
    return unit


def shaded_countries(page) -> int:
    """Wait for the world outline, then count the countries drawn with a colour."""
    paths = page.locator(".leaflet-overlay-pane path")
    expect(paths.first).to_be_attached()
    return page.evaluate(
        """(empty) => [...document.querySelectorAll('.leaflet-overlay-pane path')]
            .filter((path) => {
                const fill = path.getAttribute('fill');
                return fill && fill !== 'none' && fill !== empty;
            }).length""",
        EMPTY_FILL,
    )


@pytest.mark.parametrize(("language", "japan_name"), [("fr", "Japon"), ("en", "Japan")])
def test_countries_index_shows_a_shaded_map_and_a_table(
    page, axe, external_requests, japan, language, japan_name
):
    response = page.goto(f"/{language}/countries/")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    table = page.locator("table.data-table")
    expect(table.locator("caption")).to_have_count(1)
    expect(table.locator("tbody tr[data-country]")).to_have_count(2)
    expect(table.get_by_role("link", name=japan_name)).to_be_visible()
    assert shaded_countries(page) >= 2  # Japan and Brazil
    axe(page)
    assert external_requests == []


@pytest.mark.parametrize(("language", "japan_name"), [("fr", "Japon"), ("en", "Japan")])
def test_country_page_gathers_units_partners_and_office(
    page, axe, external_requests, japan, language, japan_name
):
    response = page.goto(f"/{language}/countries/JP/")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_contain_text(japan_name)
    assert page.title().startswith(japan_name)
    main = page.locator("main")
    expect(main.get_by_role("link", name="JRL")).to_be_visible()
    partner = {"fr": "Université de Tokyo", "en": "University of Tokyo"}[language]
    expect(main.get_by_role("link", name=partner)).to_be_visible()
    office = {"fr": "Bureau du CNRS à Tokyo", "en": "CNRS Tokyo Office"}[language]
    expect(main.get_by_role("link", name=office)).to_be_visible()
    # The office and JRL, four kilometres apart in Tokyo, share a marker titled
    # with both (static/js/map.js groups markers closer than a pin).
    marker = page.locator("#country-map-map .leaflet-marker-icon")
    expect(marker).to_have_count(1)
    expect(marker).to_have_attribute("alt", re.compile(rf"^{office} · JRL – "))
    axe(page)
    assert external_requests == []


def test_country_page_keyboard_reaches_a_unit(page, tab_order, japan):
    page.goto("/en/countries/JP/")

    for focused in tab_order(page, limit=80):
        if focused["href"] == "/en/units/jrl/" and focused["tag"] == "a":
            break
    else:
        pytest.fail("Tab never reached the link to the unit JRL")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/units/jrl/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("JRL")


def test_countries_index_leads_to_a_country_page(page, japan):
    page.goto("/fr/countries/")
    page.get_by_role("link", name="Japon").click()
    expect(page).to_have_url(re.compile(r"/fr/countries/JP/$"))


def test_unknown_country_is_a_404_page_in_the_site_look(page, axe):
    response = page.goto("/en/countries/ZZ/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("alert")).to_contain_text("is not a country code")
    axe(page)


@pytest.mark.parametrize(
    ("language", "offer", "group"),
    [
        ("fr", re.compile(r"Rechercher «\s*JRL\s*» sur le site"), "Unités mixtes"),
        ("en", "Search the site for “JRL”", "Joint units"),
    ],
)
def test_a_page_not_found_leads_by_keyboard_to_a_search_for_its_address(
    page, axe, japan, language, offer, group
):
    # An address of no page ("/units/JRL/" now leads to the JRL's, its slug in
    # capitals): the search for its last part is offered.
    response = page.goto(f"/{language}/labs/JRL/")
    assert response is not None and response.status == 404
    axe(page)

    link = page.get_by_role("link", name=offer)
    focus_by_tabbing(page, ".not-found-ways a")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/{language}/search/\?q=JRL$"))
    expect(page.get_by_role("heading", name=re.compile(group))).to_be_visible()
    unit = page.get_by_role("link", name=re.compile("Robotics|robotique"))
    expect(unit).to_be_visible()


@pytest.mark.parametrize(
    ("language", "offer", "other", "other_offer"),
    [
        ("fr", re.compile(r"Aller à la page «\s*JRL"), "English", "Go to the page of"),
        ("en", "Go to the page of “JRL", "Français", "Aller à la page"),
    ],
)
def test_a_page_not_found_below_a_record_s_leads_by_keyboard_to_it(
    page, axe, japan, language, offer, other, other_offer
):
    # "/units/jrl/extra/" offered a search for "extra" only (QA46 S10), and its
    # language switcher led to the other language's home page (QA46 B7).
    response = page.goto(f"/{language}/units/jrl/extra/")
    assert response is not None and response.status == 404
    axe(page)
    switcher = page.get_by_role("link", name=other)
    expect(switcher).to_have_attribute(
        "href", f"/{'en' if language == 'fr' else 'fr'}/units/jrl/extra/"
    )

    focus_by_tabbing(page, ".not-found-ways a")
    expect(page.get_by_role("link", name=offer)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{language}/units/jrl/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("Robotics|robotique")
    )

    page.go_back()
    switcher.click()
    expect(page.get_by_role("link", name=re.compile(other_offer))).to_be_visible()
    axe(page)


def test_a_country_page_asked_for_by_its_name_is_its_page(page, japan):
    page.goto("/fr/countries/japon/")
    expect(page).to_have_url(re.compile(r"/fr/countries/JP/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Japon")


@pytest.mark.parametrize(
    ("language", "section", "trail"),
    [("fr", "Pays", "Fil d’Ariane"), ("en", "Countries", "Breadcrumb")],
)
def test_a_country_page_leads_up_to_the_countries_by_keyboard(
    page, axe, japan, language, section, trail
):
    page.goto(f"/{language}/countries/JP/")
    crumbs = page.get_by_role("navigation", name=trail)
    expect(crumbs.locator("[aria-current=page]")).to_contain_text(
        "Japon" if language == "fr" else "Japan"
    )
    axe(page)

    focus_by_tabbing(page, ".breadcrumbs a[href$='/countries/']")
    expect(crumbs.get_by_role("link", name=section)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/{language}/countries/$"))


@pytest.fixture
def brazil_and_chile():
    """Brazil with a unit at work, a closed one, a grant and a project; Chile with
    a closed unit only."""
    closed = {"status": "closed", "creation_year": 2000, "closure_year": 2020}
    impa = UnitFactory(acronym="CNRS-IMPA", country="BR")
    UnitFactory(acronym="OLD", country="BR", **closed)
    UnitFactory(acronym="CMM", country="CL", **closed)
    GrantFactory(acronym="DYNAMO", unit=impa)
    ProjectParticipantFactory(partner=PartnerFactory(country="BR"))


@pytest.mark.parametrize(
    ("language", "units", "cell"),
    [
        (
            "fr",
            "Voir les unités mixtes de ce pays dans leur liste (2)",
            "2 (dont 1 fermée)",
        ),
        ("en", "See the joint units of this country in their list (2)", "2 (1 closed)"),
    ],
)
def test_country_page_leads_to_each_list_of_the_country(
    page, axe, external_requests, brazil_and_chile, language, units, cell
):
    # QA47 7: only the partners' list was linked; QA47 25: a second "Countries"
    # link after the breadcrumb's, and a heading read without a pause.
    page.goto(f"/{language}/countries/BR/")

    main = page.locator("main")
    expect(main.get_by_role("link", name=units)).to_have_attribute(
        "href", f"/{language}/units/?country=BR"
    )
    for path in ("grants", "projects", "partners"):
        expect(main.locator(f'a[href="/{language}/{path}/?country=BR"]')).to_have_count(
            1
        )
    section = {"fr": "Pays", "en": "Countries"}[language]
    expect(main.get_by_role("link", name=section, exact=True)).to_have_count(0)
    expect(main.locator(".eyebrow")).to_have_text(section)
    # Chromium spaces the hidden colon apart, as it does any text out of the flow.
    heading = {
        "fr": r"^Brésil\s*: L’action du CNRS dans ce pays$",
        "en": r"^Brazil\s*: What the CNRS does in this country$",
    }[language]
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name(
        re.compile(heading)
    )
    # "2 joint units (1 closed)", as the index's cell below.
    expect(main.locator(".stats__item").first).to_contain_text(cell[2:])
    axe(page)
    page.goto(f"/{language}/countries/")
    row = page.locator("tr[data-country=BR]")
    expect(row.locator("td").first).to_have_text(cell)
    axe(page)
    assert external_requests == []


# --- The maps of the countries: a country's page frames it, the index names them

OUTLINE = Path(__file__).resolve().parents[2] / (
    "static/vendor/natural-earth/countries-110m.geojson"
)
RIO = {"latitude": Decimal("-22.906800"), "longitude": Decimal("-43.172900")}
FOCUS = "#country-map-map path.map-country--focus"


def outline_longitudes(code: str) -> tuple[float, float]:
    """The westmost and eastmost longitudes of the country ``code``'s outline."""
    (feature,) = [
        feature
        for feature in json.loads(OUTLINE.read_text())["features"]
        if feature["properties"]["iso"] == code
    ]
    geometry = feature["geometry"]
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"]
    )
    longitudes = [lng for polygon in polygons for lng, _lat in polygon[0]]
    return min(longitudes), max(longitudes)


def box(locator) -> dict:
    return locator.evaluate(
        """(element) => {
            const box = element.getBoundingClientRect();
            return {left: box.left, top: box.top, right: box.right,
                    bottom: box.bottom, width: box.width, height: box.height};
        }"""
    )


def within(inner: dict, outer: dict) -> bool:
    return (
        outer["left"] <= inner["left"]
        and inner["right"] <= outer["right"]
        and outer["top"] <= inner["top"]
        and inner["bottom"] <= outer["bottom"]
    )


def framed(page) -> tuple[dict, dict]:
    """Wait for a country page's map to frame its country; return the boxes of the
    map and of the country's outline."""
    country = page.locator(FOCUS)
    expect(country).to_have_count(1)  # the fit follows in the same task
    return box(page.locator("#country-map-map")), box(country)


def test_a_country_page_with_one_marker_frames_the_whole_country(page):
    # Brazil was a blue blob around its one pin (zoom 5 on the pin).
    UnitFactory(country="BR", **RIO)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/fr/countries/BR/")

    map_box, brazil = framed(page)

    assert within(brazil, map_box)
    west, east = outline_longitudes("BR")
    zoom = math.log2(brazil["width"] / ((east - west) / 360 * 256))
    assert 3 <= zoom < 5
    expect(page.locator("#country-map-map .leaflet-marker-icon")).to_have_count(1)


def test_a_country_page_on_a_phone_shows_all_its_main_islands(page):
    # At 375 px Japan's page showed Tokyo's surroundings, Hokkaido out of view.
    UnitFactory(country="JP")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/fr/countries/JP/")

    map_box, japan = framed(page)

    assert within(japan, map_box)  # its three polygons: Hokkaido too


def test_the_united_states_page_frames_its_48_states_not_alaska_and_hawaii(page):
    # Framing the whole outline would show the North Pacific, the 48 states small.
    UnitFactory(
        country="US", latitude=Decimal("38.9072"), longitude=Decimal("-77.0369")
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/en/countries/US/")

    map_box, _ = framed(page)

    # The rings of the outline as drawn (Leaflet cuts them to the view): the
    # largest is the 48 states'.
    rings = page.locator(FOCUS).evaluate(
        """(path) => path.getAttribute("d").split("M").slice(1).map((ring) => {
            const points = ring.replace(/z/gi, "").split("L")
                .map((point) => point.trim().split(/\\s+/).map(Number));
            const xs = points.map((point) => point[0]);
            const ys = points.map((point) => point[1]);
            const span = (values) => Math.max(...values) - Math.min(...values);
            return [span(xs), span(ys)];
        })"""
    )
    width, height = max(rings, key=lambda ring: ring[0] * ring[1])
    assert height >= map_box["height"] / 2
    assert width <= map_box["width"]


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("fr", "Carte montrant l’emplacement du pays"),
        ("en", "Map showing the location of the country"),
    ],
)
def test_a_country_with_neither_unit_nor_office_has_its_map(
    page, axe, external_requests, language, label
):
    # Germany, with partners alone, had no map.
    PartnerFactory(country="DE", city_fr="Munich", city_en="Munich")
    page.goto(f"/{language}/countries/DE/")

    expect(page.get_by_role("region", name=label)).to_be_visible()
    map_box, germany = framed(page)
    assert within(germany, map_box)
    expect(page.locator("#country-map-map .leaflet-marker-icon")).to_have_count(0)
    axe(page)
    assert external_requests == []


def test_a_country_without_outline_nor_place_has_no_map(page):
    # Singapore is too small for the world outline: its map would show nothing.
    PartnerFactory(country="SG")
    page.goto("/en/countries/SG/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Singapore")
    expect(page.locator(".map")).to_have_count(0)


def index_map(page, language: str):
    UnitFactory(country="BR", **RIO)
    page.goto(f"/{language}/countries/")
    world_map = page.locator("#countries-map-map")
    expect(world_map.locator("path.map-country--linked")).to_have_count(1)
    return world_map


@pytest.mark.parametrize(("language", "brazil"), [("fr", "Brésil"), ("en", "Brazil")])
def test_hovering_a_country_on_the_index_names_it_and_a_click_leads_to_its_page(
    page, axe, language, brazil
):
    world_map = index_map(page, language)
    shape = world_map.locator("path.map-country--linked")
    area = box(shape)

    # Brazil's box's middle is in Brazil.
    page.mouse.move(area["left"] + area["width"] / 2, area["top"] + area["height"] / 2)

    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_have_text(brazil)
    axe(page)
    page.mouse.click(area["left"] + area["width"] / 2, area["top"] + area["height"] / 2)
    expect(page).to_have_url(re.compile(rf"/{language}/countries/BR/$"))


def mercator_y(latitude: float) -> float:
    sine = math.sin(math.radians(latitude))
    return math.log((1 + sine) / (1 - sine)) / 2


@pytest.mark.parametrize(("language", "peru"), [("fr", "Pérou"), ("en", "Peru")])
def test_a_country_without_records_is_named_but_leads_nowhere(page, language, peru):
    world_map = index_map(page, language)
    brazil = box(world_map.locator("path.map-country--linked"))
    # Peru at 75° W, 10° S: Brazil's box spans 74° W to 35° W, 34° S to 5° N.
    west, east = outline_longitudes("BR")
    north, south = mercator_y(5.24), mercator_y(-33.75)
    x = brazil["left"] + (-75 - west) / (east - west) * brazil["width"]
    y = brazil["top"] + (north - mercator_y(-10)) / (north - south) * brazil["height"]

    page.mouse.move(x, y)

    expect(page.locator(".leaflet-tooltip")).to_have_text(peru)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(rf"/{language}/countries/$"))


def test_the_index_countries_are_no_tab_stops(page, tab_order):
    # Keyboard users have the table: from the skip link, Tab reaches the zoom
    # buttons and then the table, not 175 countries.
    index_map(page, "en")
    stops = []
    for focused in tab_order(page, limit=40):
        stops.append(focused)
        if focused["tag"] == "a" and (focused["href"] or "").endswith("/countries/BR/"):
            break
    else:
        pytest.fail(f"Tab never reached the link to Brazil: {stops}")
    assert not any(stop["tag"] == "path" for stop in stops)


# --- The index grouped by initial letter, and a dense list on a phone


@pytest.fixture
def many_countries(japan):
    """A partner in one country of every four, as django-countries lists them:
    some sixty countries over most of the alphabet, Japan's unit, partner and
    office besides."""
    from django_countries import countries

    codes = [code for code, _name in countries][::4]
    for code in codes:
        PartnerFactory(country=code)
    return {*codes, "JP", "BR"}


@pytest.mark.parametrize(
    ("language", "letters", "width"),
    [("fr", "Pays par initiale", 390), ("en", "Countries by initial letter", 1280)],
)
def test_the_index_letters_lead_by_keyboard_to_their_countries(
    page, axe, many_countries, language, letters, width
):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"/{language}/countries/")
    jump = page.get_by_role("navigation", name=letters).get_by_role("link", name="J")
    axe(page)

    focus_by_tabbing(page, ".initials a[href='#countries-J']")
    expect(jump).to_be_focused()
    page.keyboard.press("Enter")

    # The letter's row has the focus, at the top of the window (8 pixels below
    # its edge: its focus ring is seen whole).
    letter = page.locator("#countries-J")
    expect(letter).to_be_focused()
    expect(page).to_have_url(re.compile(r"#countries-J$"))
    assert 0 < box(letter)["top"] < 20
    # Next comes the letter's first country.
    page.keyboard.press("Tab")
    first = page.locator("tbody:has(#countries-J) tr[data-country] a").first
    expect(first).to_be_focused()
    expect(first).to_have_text(re.compile("^J"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_countries_index_is_a_dense_list_on_a_phone(
    page, axe, many_countries, language
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/{language}/countries/")
    rows = page.locator("#country-table tr[data-country]")
    expect(rows).to_have_count(len(many_countries))

    # A card a country, its five figures each under its column's name (some 300
    # pixels), made the index 57,000 pixels long at 178 countries; a line or two
    # each now. In Chromium: 62 pixels a country, 6,200 the page.
    heights = [row.bounding_box()["height"] for row in rows.all()]
    assert sum(heights) / len(heights) < 75
    assert page.evaluate("document.documentElement.scrollHeight") < 7000
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The letters come before the map, in the first screen.
    assert box(page.locator(".initials"))["bottom"] < 844

    # Japan's name, then its figures but those at zero, with their columns' names.
    japan = page.locator('tr[data-country="JP"]')
    shown = [cell for cell in japan.locator("td").all() if box(cell)["width"] > 1]
    labels = {
        "fr": [
            "Unités mixtes",
            "Établissements partenaires",
            "Bureau du CNRS couvrant",
        ],
        "en": ["Joint units", "Partner institutions", "CNRS office covering"],
    }
    contents = [
        cell.evaluate("(c) => getComputedStyle(c, '::before').content")
        for cell in shown
    ]
    assert len(contents) == len(labels[language])
    for content, label in zip(contents, labels[language], strict=True):
        assert content.startswith(f'"{label}'), content
    name = box(japan.locator("th"))
    assert all(box(cell)["top"] >= name["bottom"] for cell in shown)
    # The figures at zero are still read by screen readers (the table's cells).
    expect(japan.get_by_role("cell")).to_have_count(5)
    axe(page)
