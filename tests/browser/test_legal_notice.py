"""The legal notice, and the accessibility statement with the site information, in
Chromium: axe-core in French and English, reached and used with the keyboard; the
admin's form where staff enter the site information."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from cnrs_intl.models import SiteInformation
from tests.admin_forms import admin_url
from tests.browser.conftest import log_in
from tests.factories import PartnerFactory, SiteInformationFactory

pytestmark = pytest.mark.browser

CONTACT = "derci-site@example.org"


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Mentions légales"), ("en", "Legal notice")]
)
@pytest.mark.parametrize("entered", [True, False], ids=["entered", "none-yet"])
def test_the_legal_notice_is_accessible_in_both_languages(
    page, axe, external_requests, language, heading, entered
):
    if entered:
        # A name left in French: shown so on the English page, marked as such.
        SiteInformationFactory(host_name_en="")
    response = page.goto(f"/{language}/legal/")

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    # Publisher, contact, (host,) personal data, reuse of the content.
    expect(page.locator("main h2")).to_have_count(5 if entered else 4)
    if entered:
        expect(page.get_by_role("link", name=CONTACT)).to_have_attribute(
            "href", f"mailto:{CONTACT}"
        )
        expect(page.locator("main address")).to_have_count(2)
    axe(page)
    assert external_requests == []


@pytest.mark.parametrize(
    ("language", "link"), [("fr", "Mentions légales"), ("en", "Legal notice")]
)
def test_keyboard_reaches_the_notice_from_the_footer_and_the_open_data_from_it(
    page, tab_order, language, link
):
    SiteInformationFactory()
    PartnerFactory()
    page.goto(f"/{language}/partners/")

    address = f"/{language}/legal/"
    for focused in tab_order(page, limit=150):
        if focused["href"] == address:
            assert focused["text"] == link
            break
    else:
        pytest.fail("Tab never reached the footer's link to the legal notice")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{address}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(link)

    # The contact first, then the open data page the reuse section leads to.
    reached = []
    for focused in tab_order(page, limit=60):
        reached.append(focused["href"])
        if focused["href"] == f"/{language}/data/":
            break
    else:
        pytest.fail("Tab never reached the open data page's link")
    assert f"mailto:{CONTACT}" in reached
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{language}/data/$"))


@pytest.mark.parametrize(
    ("language", "made_on", "audit"),
    [
        ("fr", "Déclaration établie le 1er décembre 2026.", "20 novembre 2026"),
        ("en", "Statement made on 1 December 2026.", "20 November 2026"),
    ],
)
def test_the_statement_gives_its_contact_date_and_audit_accessibly(
    page, axe, tab_order, external_requests, language, made_on, audit
):
    SiteInformationFactory(
        accessibility_audit_date=datetime.date(2026, 11, 20),
        accessibility_auditor="Audit & Co",
    )
    page.goto(f"/{language}/accessibility/")

    expect(page.get_by_text(made_on)).to_be_visible()
    expect(page.locator("#status-title + p + p")).to_contain_text(audit)
    expect(page.locator("main h2")).to_have_count(5)
    axe(page)
    assert external_requests == []

    for focused in tab_order(page, limit=60):
        if focused["href"] == f"mailto:{CONTACT}":
            assert focused["text"] == CONTACT
            break
    else:
        pytest.fail("Tab never reached the statement's contact")


def test_staff_enter_the_site_information_in_an_accessible_form(page, axe):
    User.objects.create_superuser("derci", password="derci-password")
    page.set_extra_http_headers({"Accept-Language": "fr"})
    log_in(page, "derci", "derci-password")

    # None yet: the admin's link to it opens the form that adds it.
    page.goto(admin_url(SiteInformation, "changelist"))
    expect(page).to_have_url(re.compile(r"/siteinformation/add/$"))
    axe(page)
    address = "3 rue Michel-Ange\n75794 Paris cedex 16\nFrance"
    page.locator("#id_publisher_name_fr").fill(
        "Centre national de la recherche scientifique (CNRS)"
    )
    page.locator("#id_publisher_address").fill(address)
    page.locator("#id_publication_director_fr").fill(
        "Président-directeur général du CNRS"
    )
    page.locator("#id_host_name_fr").fill("CNRS")
    page.locator("#id_host_address").fill(address)
    page.locator("#id_accessibility_statement_date").fill("01/12/2026")
    page.locator("input[name=_continue]").click()

    expect(page).to_have_url(re.compile(r"/siteinformation/1/change/$"))
    axe(page)
    information = SiteInformation.objects.get()
    assert information.accessibility_statement_date == datetime.date(2026, 12, 1)
    assert information.publisher_address == address


def test_the_site_informations_page_and_history_are_accessible_in_english(page, axe):
    information = SiteInformationFactory()
    User.objects.create_superuser("derci", password="derci-password")
    page.set_extra_http_headers({"Accept-Language": "en"})
    log_in(page, "derci", "derci-password")

    page.goto(admin_url(SiteInformation, "changelist"))
    expect(page).to_have_url(re.compile(r"/siteinformation/1/change/$"))
    # No second one to add (the sidebar offers the other models'), none to delete.
    expect(page.locator('a[href$="/siteinformation/add/"]')).to_have_count(0)
    expect(page.locator("a.deletelink")).to_have_count(0)
    axe(page)
    page.goto(admin_url(SiteInformation, "history", information.pk))
    axe(page)
