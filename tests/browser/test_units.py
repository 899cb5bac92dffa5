"""The units list and a unit's page in a real Chromium: axe, keyboard, map."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import focus_by_tabbing
from tests.factories import InstituteFactory, UnitFactory, UnitPartnershipFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def units():
    insis = InstituteFactory(code="INSIS", name_fr="Institut de l'ingénierie")
    jrl = UnitFactory(
        acronym="JRL",
        slug="jrl",
        name_fr="Laboratoire commun de robotique",
        name_en="Joint Robotics Laboratory",
        city_fr="Tsukuba",
        city_en="Tsukuba",
        country="JP",
        lead_institute=insis,
    )
    UnitPartnershipFactory(unit=jrl)
    UnitFactory(
        acronym="IMPA",
        slug="impa",
        name_fr="Laboratoire franco-brésilien de mathématiques",
        name_en="",  # shown in French, marked lang="fr", on the English page
        city_fr="Rio de Janeiro",
        city_en="Rio de Janeiro",
        country="BR",
        latitude="-22.955000",
        longitude="-43.250000",
    )
    UnitFactory(
        acronym="CINTRA",
        slug="cintra",
        city_fr="Singapour",
        city_en="Singapore",
        country="SG",
        latitude="1.348000",
        longitude="103.683000",
    )
    return jrl


def result_count(page) -> str:
    return page.locator(".result-count").inner_text().strip()


@pytest.mark.parametrize(
    ("language", "heading", "count"),
    [
        ("fr", "Unités mixtes à l’étranger", "3 résultats"),
        ("en", "Joint units abroad", "3 results"),
    ],
)
def test_unit_list_renders_in_its_language_without_accessibility_violations(
    page, axe, external_requests, units, language, heading, count
):
    response = page.goto(f"/{language}/units/")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert result_count(page) == count
    expect(page.locator(".unit-card")).to_have_count(3)
    # The map draws a marker for every unit of the page.
    expect(page.locator("#units-map-map .leaflet-marker-icon")).to_have_count(3)
    axe(page)
    assert external_requests == []


def test_filter_by_country_with_the_keyboard_only(page, units):
    page.goto("/en/units/")
    assert result_count(page) == "3 results"

    focus_by_tabbing(page, "#id_country")
    country = page.locator("#id_country")
    expect(country).to_be_focused()

    # Typing selects an option of a closed select, as a keyboard user does.
    page.keyboard.type("Japan")
    expect(country).to_have_value("JP")

    focus_by_tabbing(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]country=JP(&|$)"))
    expect(page.locator(".result-count")).to_have_text("1 result")
    expect(page.locator(".unit-card")).to_have_count(1)
    expect(page.locator(".unit-card")).to_contain_text("JRL")
    # The choice stays selected after the page reloads with the results.
    expect(page.locator("#id_country")).to_have_value("JP")


def test_open_a_unit_from_the_list(page, units):
    page.goto("/fr/units/")

    page.get_by_role("link", name="JRL", exact=True).click()

    expect(page).to_have_url(re.compile(r"/fr/units/jrl/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Laboratoire commun de robotique"
    )


def test_invalid_country_shows_the_error_in_the_form(page, axe, units):
    response = page.goto("/en/units/?country=ZZ")

    assert response is not None and response.status == 400
    expect(page.locator(".form-errors").first).to_be_visible()
    expect(page.locator("form.filters")).to_contain_text("is not a country code")
    axe(page)


@pytest.mark.parametrize(
    ("language", "slug", "name"),
    [
        ("fr", "jrl", "Laboratoire commun de robotique"),
        ("en", "jrl", "Joint Robotics Laboratory"),
        ("en", "impa", "Laboratoire franco-brésilien de mathématiques"),
    ],
)
def test_unit_page_with_its_map_has_no_accessibility_violation(
    page, axe, external_requests, units, language, slug, name
):
    response = page.goto(f"/{language}/units/{slug}/")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    marker = page.locator("#unit-map-map .leaflet-marker-icon")
    expect(marker).to_have_count(1)
    expect(marker).to_be_visible()
    axe(page)
    assert external_requests == []


def test_keyboard_goes_from_a_unit_to_its_country(page, units):
    page.goto("/en/units/jrl/")

    focus_by_tabbing(page, 'a[href="/en/countries/JP/"]')
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/countries/JP/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Japan")


def test_unit_list_fits_a_phone_screen(page, units):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/fr/units/")

    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
    # The filters folded under their summary, which opens them.
    expect(page.locator("#id_country")).to_be_hidden()
    page.locator("form.filters summary").click()
    expect(page.locator("#id_country")).to_be_visible()
