"""The open data page in Chromium, in French and English, and the API it leads to."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.factories import PartnerFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Données ouvertes"), ("en", "Open data")]
)
def test_open_data_page_is_accessible_and_leads_to_the_data(
    page, axe, external_requests, language, heading
):
    PartnerFactory(
        slug="utokyo", name_fr="Université de Tokyo", name_en="University of Tokyo"
    )
    response = page.goto(f"/{language}/data/")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    table = page.locator("table.data-table")
    expect(table.locator("tbody tr")).to_have_count(9)
    axe(page)

    page.get_by_role("link", name="/api/partners/").click()
    # In the page's language: English messages and sorts on the English page.
    asked = "" if language == "fr" else r"\?lang=en"
    expect(page).to_have_url(re.compile(rf"/api/partners/{asked}$"))
    answer = json.loads(page.locator("body").inner_text())
    assert answer["results"][0]["name"] == {
        "fr": "Université de Tokyo",
        "en": "University of Tokyo",
    }
    assert external_requests == []


def test_keyboard_reaches_the_open_data_page_from_the_footer(page, tab_order):
    page.goto("/en/partners/")

    for focused in tab_order(page, limit=120):
        if focused["href"] == "/en/data/":
            break
    else:
        pytest.fail("Tab never reached the footer's link to the open data page")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/data/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
