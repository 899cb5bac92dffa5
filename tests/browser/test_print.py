"""Pages printed (a country's for a visit abroad, a grant's for a meeting): the
content alone, and the address of each link to another site written after it."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import (
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.browser


def after_content(link) -> str:
    """The text the stylesheet writes after ``link`` ('none' if nothing)."""
    return link.evaluate("(a) => getComputedStyle(a, '::after').content")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_printed_country_page_holds_its_content_without_menus_forms_nor_map(
    page, language
):
    UnitFactory(acronym="JRL", country="JP", latitude=36.06, longitude=140.13)
    OfficeFactory(country="JP", countries=["JP"], latitude=35.68, longitude=139.69)
    page.goto(f"/{language}/countries/JP/")
    expect(page.locator(".map-block")).to_be_visible()

    page.emulate_media(media="print")

    for hidden in (".site-nav", ".site-search", ".language-switcher", ".map-block"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="JRL")).to_be_visible()


def test_a_printed_page_writes_the_address_of_links_to_other_sites(page):
    project = ProjectFactory(cordis_id="101040123", website="https://example.org/lab/")
    page.goto(f"/en/projects/{project.slug}/")
    cordis = page.get_by_role("link", name="Project 101040123 on CORDIS")
    website = page.get_by_role("link", name="https://example.org/lab/")
    assert after_content(cordis) == "none"  # on screen

    page.emulate_media(media="print")

    assert after_content(cordis) == (
        '" <https://cordis.europa.eu/project/id/101040123>"'
    )
    assert after_content(website) == "none"  # its text is its address
    assert after_content(page.get_by_role("link", name="Open data")) == "none"


@pytest.mark.parametrize(
    ("address", "heading", "kept"),
    [
        ("/fr/partners/university-of-tokyo/", "Sur la carte", "Université de Tokyo"),
        ("/en/offices/tokyo/", "On the map", "CNRS Tokyo Office"),
        ("/fr/units/", "Sur la carte", "Unités par pays, parmi les résultats"),
    ],
)
def test_a_printed_page_leaves_out_its_maps_heading_with_the_map(
    page, address, heading, kept
):
    # "Sur la carte" was printed with nothing under it.
    place = {"latitude": Decimal("35.7128"), "longitude": Decimal("139.7620")}
    PartnerFactory(
        slug="university-of-tokyo",
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        **place,
    )
    OfficeFactory(slug="tokyo", name_en="CNRS Tokyo Office", **place)
    UnitFactory()
    page.goto(address)
    title = page.get_by_role("heading", name=heading, exact=True)
    expect(title).to_be_visible()

    page.emulate_media(media="print")

    expect(title).to_be_hidden()
    expect(page.locator(".map-block")).to_be_hidden()
    expect(page.get_by_text(kept).first).to_be_visible()


@pytest.mark.parametrize(
    ("address", "caption"),
    [
        ("/en/", "Each marker is a joint unit or an office"),
        ("/fr/countries/", "Plus un pays est foncé"),
    ],
)
def test_a_printed_page_leaves_out_its_maps_caption(page, address, caption):
    UnitFactory(acronym="JRL")
    page.goto(address)
    legend = page.locator(".map-legend")
    expect(legend).to_contain_text(caption)

    page.emulate_media(media="print")

    expect(legend).to_be_hidden()
    expect(page.get_by_role("link", name=re.compile("JRL|Japon")).first).to_be_visible()
