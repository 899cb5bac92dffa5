"""Partners search, partner page, offices list and office page in a real Chromium."""

import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from partners.models import OfficeKind, PartnerKind
from tests.browser.conftest import click_marker, focus_by_tabbing
from tests.factories import (
    OfficeFactory,
    PartnerFactory,
    UnitFactory,
    UnitPartnershipFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def partners():
    aist = PartnerFactory(
        name_fr="Institut national des sciences et technologies industrielles avancées",
        name_en="National Institute of Advanced Industrial Science and Technology",
        original_name="産業技術総合研究所",
        acronym="AIST",
        slug="aist",
        kind=PartnerKind.RESEARCH_ORGANISATION,
        country="JP",
        city_fr="Tsukuba",
        city_en="Tsukuba",
        latitude=Decimal("36.0620"),
        longitude=Decimal("140.1340"),
    )
    UnitPartnershipFactory(partner=aist, unit=UnitFactory(acronym="JRL"))
    PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        slug="university-of-tokyo",
        country="JP",
    )
    PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        original_name="Universidade de São Paulo",
        slug="usp",
        country="BR",
        city_fr="São Paulo",
        city_en="São Paulo",
    )
    PartnerFactory(
        name_fr="Université de Tel-Aviv",
        name_en="Tel Aviv University",
        slug="tel-aviv-university",
        country="IL",
    )
    return aist


@pytest.fixture
def offices():
    places = [
        ("Tokyo", "Tokyo", "JP", ["JP", "KR"], "35.6895", "139.6917"),
        ("Bruxelles", "Brussels", "BE", [], "50.8503", "4.3517"),
        (
            "Rio de Janeiro",
            "Rio de Janeiro",
            "BR",
            ["BR", "AR"],
            "-22.9068",
            "-43.1729",
        ),
    ]
    return [
        OfficeFactory(
            name_fr=f"Bureau du CNRS à {city_fr}",
            name_en=f"CNRS {city_en} Office",
            city_fr=city_fr,
            city_en=city_en,
            country=country,
            countries=covered,
            kind=OfficeKind.EU_BRANCH if country == "BE" else OfficeKind.OFFICE,
            latitude=Decimal(lat),
            longitude=Decimal(lng),
            email="office@cnrs.fr",
            address="1 rue de la Science",
        )
        for city_fr, city_en, country, covered, lat, lng in places
    ]


def assert_page_basics(page, response, language):
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.title().strip(), "the page has no <title>"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("main#main")).to_have_count(1)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_partners_page_has_no_accessibility_violation(
    page, axe, external_requests, partners, language
):
    response = page.goto(f"/{language}/partners/")

    assert_page_basics(page, response, language)
    expect(page.locator(".partner-card")).to_have_count(4)
    axe(page)
    assert external_requests == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_near_misses_are_offered_as_no_spreadsheet(
    page, axe, external_requests, partners, language
):
    """The closest names are shown, announced as such, and no file of them."""
    page.goto(f"/{language}/partners/?q=Advnced+Industriall")
    expect(page.locator(".near-misses")).to_have_count(1)
    expect(page.locator(".spreadsheet-link")).to_have_count(0)
    axe(page)

    page.goto(f"/{language}/partners/?q=Advanced+Industrial")
    expect(page.locator(".near-misses")).to_have_count(0)
    expect(page.locator(".spreadsheet-link a")).to_have_count(2)
    assert external_requests == []


@pytest.mark.parametrize("language, country", [("fr", "Japon"), ("en", "Japan")])
def test_choose_japan_with_the_keyboard_then_open_a_partner(
    page, axe, external_requests, partners, language, country
):
    page.goto(f"/{language}/partners/")

    focus_by_tabbing(page, "#id_country")
    page.keyboard.type(country)  # a closed <select> selects as one types
    expect(page.locator("#id_country")).to_have_value("JP")
    focus_by_tabbing(page, "form[role=search] button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]country=JP(&|$)"))
    cards = page.locator(".partner-card")
    expect(cards).to_have_count(2)
    for text in cards.all_inner_texts():
        assert country in text
    expect(page.locator("#id_country")).to_have_value("JP")
    axe(page)

    # Open the AIST page from the results, with the keyboard again.
    focus_by_tabbing(page, ".partner-card a[href$='/partners/aist/']")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/{language}/partners/aist/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("(AIST)")
    expect(page.get_by_role("link", name="JRL")).to_be_visible()
    expect(page.locator("#partner-map-map .leaflet-marker-icon")).to_have_count(1)
    axe(page)
    assert external_requests == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_filters_send_only_what_was_chosen(page, partners, language):
    # static/js/filters.js: no "q=&kind=" in an address to share.
    page.goto(f"/{language}/partners/")
    page.select_option("#id_country", "JP")
    page.locator("form.filters button[type=submit]").click()

    # The list's own order is the sort select's empty option: not sent either.
    expect(page).to_have_url(re.compile(rf"/{language}/partners/\?country=JP$"))
    expect(page.locator(".partner-card")).to_have_count(2)
    # Back on the first page, its empty fields can be filled again, and say what
    # the page lists (the browser put back the country chosen before sending).
    page.go_back()
    expect(page.locator("#id_q")).to_be_enabled()
    expect(page.locator("#id_kind")).to_be_enabled()
    expect(page.locator("#id_country")).to_have_value("")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_form_sent_with_nothing_chosen_leads_to_the_whole_list(
    page, partners, language
):
    page.goto(f"/{language}/partners/?country=JP")
    page.select_option("#id_country", "")
    page.locator("form.filters button[type=submit]").press("Enter")

    # Not "/partners/?", an address with nothing after its question mark.
    expect(page).to_have_url(re.compile(rf"/{language}/partners/$"))
    expect(page.locator(".partner-card")).to_have_count(4)


@pytest.mark.parametrize(
    ("language", "best_match", "by_name"),
    [("fr", "Pertinence", "Nom"), ("en", "Best match", "Name")],
)
def test_a_text_typed_lists_its_best_match_first(
    page, partners, language, best_match, by_name
):
    # Sorted by name, the agency would come first: "aist" is one of its words.
    PartnerFactory(
        name_fr="Agence AIST-Europe", name_en="Agence AIST-Europe", acronym="AAE"
    )
    page.goto(f"/{language}/partners/")
    page.locator("#id_q").fill("aist")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/{language}/partners/\?q=aist$"))
    cards = page.locator(".partner-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("AIST")
    expect(cards.first).not_to_contain_text("Agence")
    expect(page.locator("#id_ordering option:checked")).to_have_text(best_match)
    # As a visitor, once the page has loaded: filters.js then sends the chosen
    # fields only, and has reset the form ("pageshow"); CI once chose and sent the
    # order before, and every field went.
    page.wait_for_load_state("load")

    page.select_option("#id_ordering", label=by_name)
    page.locator("form.filters button[type=submit]").press("Enter")
    expect(page).to_have_url(
        re.compile(rf"/{language}/partners/\?q=aist&ordering=name$")
    )
    expect(cards.first).to_contain_text("Agence")

    # Back to the best matches, the select says so (not the order chosen since).
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/{language}/partners/\?q=aist$"))
    expect(page.locator("#id_ordering option:checked")).to_have_text(best_match)


@pytest.mark.parametrize(
    ("language", "text", "link"),
    [
        ("fr", "bresil", "Filtrer par pays\u00a0: Brésil"),
        ("en", "brazil", "Filter by country: Brazil"),
    ],
)
def test_a_search_naming_a_country_leads_to_that_countrys_partners(
    page, axe, partners, language, text, link
):
    page.goto(f"/{language}/partners/?q={text}")

    offer = page.get_by_role("link", name=link)
    expect(offer).to_be_visible()
    axe(page)
    offer.click()

    expect(page).to_have_url(re.compile(rf"/{language}/partners/\?country=BR$"))
    expect(page.locator(".partner-card")).to_have_count(1)


@pytest.mark.parametrize(
    ("language", "text", "link", "query"),
    [
        # The other words searched in the country…
        ("en", "tokyo japan", "Filter by country: Japan", {"q": "tokyo"}),
        # …or, when they name a kind, the list's own filter.
        (
            "fr",
            "Université du Japon",
            "Filtrer par pays\u00a0: Japon",
            {"kind": "university"},
        ),
    ],
)
def test_a_country_named_among_other_words_finds_the_partners_there(
    page, axe, partners, language, text, link, query
):
    page.goto(f"/{language}/partners/?{urlencode({'q': text})}")

    cards = page.locator(".partner-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Tokyo")
    offer = page.get_by_role("link", name=link)
    axe(page)
    # By the keyboard: the offer is a link like any other.
    offer.focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(
        re.compile(rf"/{language}/partners/\?{re.escape(urlencode(query))}&country=JP$")
    )
    expect(page.locator("#id_q")).to_have_value(query.get("q", ""))
    expect(page.locator("#id_kind")).to_have_value(query.get("kind", ""))
    expect(page.locator("#id_country")).to_have_value("JP")
    expect(cards).to_have_count(1)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_partner_page_has_no_accessibility_violation(
    page, axe, external_requests, partners, offices, language
):
    response = page.goto(f"/{language}/partners/aist/")

    assert_page_basics(page, response, language)
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    axe(page)
    assert external_requests == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_offices_page_shows_one_marker_per_office(
    page, axe, external_requests, offices, language
):
    response = page.goto(f"/{language}/offices/")

    assert_page_basics(page, response, language)
    expect(page.locator("#offices-map-map .leaflet-marker-icon")).to_have_count(
        len(offices)
    )
    expect(page.locator("table.offices-table tbody tr")).to_have_count(len(offices))
    axe(page)
    assert external_requests == []


def test_office_marker_leads_to_the_office_page(page, offices):
    page.goto("/en/offices/")

    click_marker(page, page.locator(".leaflet-marker-icon[title='CNRS Tokyo Office']"))
    page.get_by_role("link", name="CNRS Tokyo Office").click()

    expect(page).to_have_url(re.compile(r"/en/offices/office-\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("CNRS Tokyo Office")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_office_page_has_no_accessibility_violation(
    page, axe, external_requests, offices, language
):
    response = page.goto(offices[0].get_absolute_url().replace("/fr/", f"/{language}/"))

    assert_page_basics(page, response, language)
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    axe(page)
    assert external_requests == []
