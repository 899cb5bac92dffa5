"""In Chromium: where a long list stops, and the page of a form the site refused.

The list's last page shown says it goes on; the CSRF failure page and the page of a
database outage (503) share the error pages' layout (error_page.html: 400, 403, 500).
In French and English, checked with axe-core, reached with the keyboard.
"""

import re

import pytest
from django.db import OperationalError
from django.utils import translation
from playwright.sync_api import expect

from partners.views import CachedCountPaginator, PartnerListView
from tests.browser.conftest import focus_by_tabbing
from tests.factories import PartnerFactory

pytestmark = pytest.mark.browser

GOES_ON = {"fr": "La liste continue", "en": "The list goes on"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_last_page_shown_says_the_list_goes_on(
    page, axe, external_requests, monkeypatch, language
):
    monkeypatch.setattr(CachedCountPaginator, "MAX_PAGES", 2)
    PartnerFactory.create_batch(45, country="JP")  # three pages of 20

    response = page.goto(f"/{language}/partners/?page=2")

    assert response is not None and response.status == 200
    expect(page.locator(".pagination__note")).to_contain_text(GOES_ON[language])
    expect(page.locator("a[rel=next]")).to_have_count(0)
    axe(page)
    assert external_requests == []


LAST_PAGE = {"fr": "dernière page", "en": "last page"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_page_out_of_range_leads_to_the_last_one(page, axe, language):
    PartnerFactory.create_batch(45, country="JP")  # three pages of 20

    response = page.goto(f"/{language}/partners/?country=JP&page=999")

    assert response is not None and response.status == 400
    alert = page.locator(".form-errors[role=alert]")
    expect(alert).to_contain_text("999")
    axe(page)
    alert.get_by_role("link", name=LAST_PAGE[language]).click()
    expect(page).to_have_url(re.compile(r"\?country=JP&page=3$"))
    expect(page.locator(".form-errors")).to_have_count(0)
    expect(page.locator(".pagination [aria-current=page]")).to_contain_text("3")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_form_sent_without_its_token_gets_the_sites_page(
    page, axe, external_requests, language
):
    page.goto(f"/{language}/")
    # The language switch of the back-office's header posted with no CSRF token,
    # as after a session expired: the one form outside the admin (public pages
    # take no POST: 405). Its address has no language: the browser's says it.
    page.set_extra_http_headers({"Accept-Language": language})
    with page.expect_navigation():
        page.evaluate(
            """(action) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = action;
                document.body.append(form);
                form.submit();
            }""",
            "/i18n/setlang/",
        )

    with translation.override(language):
        refused = translation.gettext("Request refused")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(refused)
    expect(page.locator("main#main")).to_have_count(1)
    axe(page)
    # The home page in the page's language ("/" took the browser's).
    focus_by_tabbing(page, f"main a[href='/{language}/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/{language}/$"))
    assert external_requests == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_database_outage_gets_a_page_asking_to_come_back(
    page, axe, external_requests, monkeypatch, language
):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(PartnerListView, "get", unreachable)

    response = page.goto(f"/{language}/partners/")

    assert response is not None and response.status == 503
    assert response.headers["retry-after"] == "60"
    with translation.override(language):
        heading = translation.gettext("Site temporarily unavailable")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page).to_have_title(f"{heading} – CNRS")
    axe(page)
    monkeypatch.undo()  # the database is back
    focus_by_tabbing(page, f"main a[href='/{language}/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/{language}/$"))
    assert external_requests == []
