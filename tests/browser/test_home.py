"""The home page and a unit's page, in a real Chromium, in French and English."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import click_marker
from tests.factories import OfficeFactory, UnitFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def unit():
    return UnitFactory(
        name_fr="Laboratoire franco-japonais d'informatique",
        name_en="Japanese-French Laboratory for Informatics",
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_renders_in_its_language_without_accessibility_violations(
    page, axe, external_requests, unit, language
):
    response = page.goto(f"/{language}/")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.title().strip(), "the page has no <title>"
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(heading).to_be_visible()
    expect(heading).to_have_text(re.compile(r"\S"))
    expect(page.locator("main#main")).to_have_count(1)
    axe(page)
    assert external_requests == []


def test_unit_page_opens(page, axe, external_requests, unit):
    # get_absolute_url() reverses in the active language: French in the tests.
    url = unit.get_absolute_url()
    assert url.startswith("/fr/")

    response = page.goto(url)

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text(unit.name_fr)
    axe(page)
    assert external_requests == []


def test_keyboard_first_tab_focuses_the_skip_link(page, tab_order):
    page.goto("/fr/")

    steps = tab_order(page, limit=80)
    first = next(steps)

    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    assert first["href"] == "#main"
    # A skip link may hide off-screen, but must show up once it has the focus.
    expect(skip_link).to_be_in_viewport()

    # The rest of the page is reachable with Tab: every stop is a visible element,
    # and the focus moves on at each press instead of sticking (a keyboard trap).
    seen = [first]
    for focused in steps:
        if focused["tag"] == "body" or focused == seen[0]:
            break  # went round the whole page
        assert focused != seen[-1], f"Tab is stuck on {focused}: a keyboard trap?"
        assert focused["width"] > 0 and focused["height"] > 0, (
            f"Tab reached an invisible element: {focused}"
        )
        seen.append(focused)
    assert len(seen) > 1, "Tab found nothing to focus after the skip link"

    # Activating the skip link moves the reader to the main content.
    page.goto("/fr/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert page.evaluate("document.querySelector('#main') !== null")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_map_shows_units_and_offices_as_markers(
    page, axe, external_requests, unit, language
):
    office = OfficeFactory(slug="tokyo", latitude=35.6762, longitude=139.6503)

    page.goto(f"/{language}/")

    # Four kilometres apart, the office and the unit share a marker on the world
    # map, titled with both (static/js/map.js groups markers closer than a pin).
    markers = page.locator("#home-map-map .leaflet-marker-icon")
    expect(markers).to_have_count(1)
    name = office.name_fr if language == "fr" else office.name_en
    expect(markers).to_have_attribute(
        "alt", re.compile(rf"^{re.escape(name)} · {re.escape(unit.acronym)} – ")
    )
    axe(page)
    assert external_requests == []


def test_home_marker_leads_to_its_unit(page, unit):
    page.goto("/en/")
    click_marker(
        page,
        page.locator(f'#home-map-map .leaflet-marker-icon[title^="{unit.acronym}"]'),
    )
    popup_link = page.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_attribute("href", f"/en/units/{unit.slug}/")
    popup_link.click()
    expect(page).to_have_url(re.compile(rf"/en/units/{unit.slug}/$"))


def test_home_links_every_section(page):
    page.goto("/en/")
    explore = page.get_by_role("region", name="Explore")
    for name in [
        "Joint units",
        "Partner institutions",
        "Countries",
        "Offices abroad",
        "ERC and MSCA grants",
        "Projects",
        "Programmes",
    ]:
        expect(explore.get_by_role("link", name=name, exact=True)).to_be_visible()


@pytest.mark.parametrize(
    ("language", "figure", "closed"),
    [
        ("fr", "1 unité mixte active à l’étranger", "Fermée"),
        ("en", "1 active joint unit abroad", "Closed"),
    ],
)
def test_home_counts_the_active_units_and_says_which_listed_are_closed(
    page, axe, external_requests, unit, language, figure, closed
):
    # QA47 6: "2 joint units abroad" counted a unit closed in 2020, listed as
    # though at work.
    UnitFactory(
        acronym="CMM",
        code="IRL 2807",
        country="CL",
        status="closed",
        creation_year=2000,
        closure_year=2020,
    )
    page.goto(f"/{language}/")

    stats = page.locator(".stats--compact")
    expect(stats.get_by_role("link", name=figure)).to_have_attribute(
        "href", f"/{language}/units/?status=active"
    )
    # Chile, with a closed unit only, is no country where the CNRS works now.
    expect(stats.locator(".stats__link").nth(1)).to_contain_text("1")
    cards = page.locator("#home-units > li")
    expect(cards.filter(has_text="CMM")).to_contain_text(f"IRL 2807 · {closed}")
    expect(cards.filter(has_text=unit.acronym)).not_to_contain_text(closed)
    axe(page)
    assert external_requests == []
