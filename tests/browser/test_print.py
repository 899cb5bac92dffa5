"""Pages printed (a country's for a visit abroad, a grant's for a meeting): the
content alone, and the address of each link to another site written after it."""

import pytest
from playwright.sync_api import expect

from tests.factories import OfficeFactory, ProjectFactory, UnitFactory

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
