"""The countries index and a country's page, in Chromium, in French and English."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import focus_by_tabbing
from tests.factories import OfficeFactory, PartnerFactory, UnitFactory

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
    expect(table.locator("tbody tr")).to_have_count(2)
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
    response = page.goto(f"/{language}/units/JRL/")
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
