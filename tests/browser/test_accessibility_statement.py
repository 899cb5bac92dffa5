"""The accessibility statement in Chromium, in both languages, reached by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PartnerFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Déclaration d’accessibilité"), ("en", "Accessibility statement")],
)
def test_the_statement_is_accessible_in_both_languages(
    page, axe, external_requests, language, heading
):
    response = page.goto(f"/{language}/accessibility/")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("main h2")).to_have_count(5)
    axe(page)
    assert external_requests == []


@pytest.mark.parametrize(
    ("language", "link", "heading"),
    [
        ("fr", "Accessibilité\xa0: non conforme", "Déclaration d’accessibilité"),
        ("en", "Accessibility: not compliant", "Accessibility statement"),
    ],
)
def test_keyboard_reaches_the_statement_from_the_footer(
    page, tab_order, language, link, heading
):
    PartnerFactory()
    page.goto(f"/{language}/partners/")

    address = f"/{language}/accessibility/"
    for focused in tab_order(page, limit=150):
        if focused["href"] == address:
            assert focused["text"] == link
            break
    else:
        pytest.fail("Tab never reached the footer's link to the statement")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"{address}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
