"""The global search in a real browser: from the header's box, with the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    InstituteFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    TestimonyFactory,
    UnitFactory,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fr", "en"])
def test_search_from_the_header_with_the_keyboard(page, axe, language):
    PartnerFactory(
        name_fr="Universidade de São Paulo", name_en="University of São Paulo"
    )
    UnitFactory(acronym="IMPA", name_fr="Laboratoire de São Paulo")
    page.goto(f"/{language}/")

    box = page.locator("#site-search-q")
    box.focus()
    page.keyboard.type("Sao Paulo")
    page.keyboard.press("Enter")

    page.wait_for_url("**/search/?q=Sao+Paulo")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator(".search-results li")).to_have_count(2)
    assert "/search/?q=Sao+Paulo" in page.url
    # The words found are marked; the links keep their names.
    partner = page.locator("[aria-labelledby=search-partners] li a")
    expect(partner).to_have_text(re.compile(r"of São Paulo|de São Paulo"))
    expect(partner.locator("mark")).to_have_text(["São", "Paulo"])
    axe(page)


def test_empty_search_page_is_accessible(page, axe):
    page.goto("/en/search/")
    axe(page)
    page.goto("/fr/search/?q=x")
    expect(page.locator("[role=alert]")).to_be_visible()
    axe(page)


@pytest.mark.parametrize(
    ("language", "country", "heading"),
    [("fr", "Brésil", "Pays"), ("en", "Brazil", "Countries")],
)
def test_a_country_and_a_programme_found_lead_to_their_pages(
    page, axe, language, country, heading
):
    UnitFactory(acronym="IMPA", country="BR", city_fr="Rio", city_en="Rio")
    ProgrammeFactory(
        name_fr="Réseau de recherche brésilien", name_en="Brazilian research network"
    )
    page.goto(f"/{language}/search/?q=bresil")

    expect(page.locator("#search-countries")).to_contain_text(heading)
    expect(page.locator("#search-programmes")).to_be_visible()
    # The country, the programme, and the unit in Brazil.
    expect(page.locator(".search-results li")).to_have_count(3)
    expect(page.locator("#search-units")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=country, exact=True).click()

    expect(page).to_have_url(re.compile(rf"/{language}/countries/BR/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(country)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_testimony_found_leads_to_where_it_is_read_with_the_keyboard(
    page, axe, language
):
    TestimonyFactory(
        person=PersonFactory(first_name="Antoine", last_name="Petit"),
        quote="Collaborer avec le monde entier.",
        role_fr="Président-directeur général du CNRS",
        role_en="Chairman and CEO of the CNRS",
    )
    page.goto(f"/{language}/search/?q=antoine+petit")

    expect(page.locator("#search-testimonies")).to_be_visible()
    expect(page.locator("[aria-labelledby=search-testimonies] q")).to_have_text(
        "Collaborer avec le monde entier."
    )
    axe(page)
    page.get_by_role("link", name="Antoine Petit").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/{language}/#testimonies$"))
    expect(page.locator("#testimonies blockquote")).to_contain_text(
        "Collaborer avec le monde entier."
    )


@pytest.mark.parametrize(
    ("language", "link"),
    [("fr", "Unités mixtes de l’INSB"), ("en", "Joint units of the INSB")],
)
def test_an_institute_found_leads_to_its_units_with_the_keyboard(
    page, axe, language, link
):
    insb = InstituteFactory(
        code="INSB", name_fr="Institut des sciences biologiques", name_en="Biology"
    )
    UnitFactory(acronym="BIO", lead_institute=insb)
    UnitFactory(acronym="CHEM")
    page.goto(f"/{language}/search/?q=insb")

    expect(page.locator("#search-institutes")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=link).focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/{language}/units/\?institute=INSB$"))
    expect(page.locator(".unit-card")).to_have_count(1)
    expect(page.locator(".unit-card")).to_contain_text("BIO")


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "Vouliez-vous dire laboratoire singapour\u00a0?"),
        ("en", "Did you mean laboratoire singapour?"),
    ],
)
def test_a_mistyped_search_offers_the_words_likely_meant(page, axe, language, sentence):
    PartnerFactory(name_fr="Laboratoire de Singapour", name_en="", acronym="")
    page.goto(f"/{language}/search/?q=laboratoir+singapur")

    suggestion = page.locator(".did-you-mean")
    expect(suggestion).to_have_text(sentence)
    axe(page)
    # The link is reached with the keyboard, after the search box and its button.
    link = suggestion.get_by_role("link", name="laboratoire singapour")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=laboratoire+singapour")
    expect(page.locator(".did-you-mean")).to_have_count(0)
    expect(page.locator("[aria-labelledby=search-partners] li a mark")).to_have_text(
        ["Laboratoire", "Singapour"]
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_list_searched_with_a_typo_offers_the_words_likely_meant(page, axe, language):
    PartnerFactory(name_fr="Laboratoire de Singapour", name_en="", country="SG")
    page.goto(f"/{language}/partners/?q=laboratoir+singapur&country=SG")

    expect(page.locator(".near-misses")).to_be_visible()
    link = page.locator(".did-you-mean").get_by_role(
        "link", name="laboratoire singapour"
    )
    axe(page)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/partners/?q=laboratoire+singapour&country=SG")
    expect(page.locator(".near-misses")).to_have_count(0)
    expect(page.locator(".did-you-mean")).to_have_count(0)


@pytest.mark.parametrize(
    ("language", "address", "sentence"),
    [
        ("fr", "search", "Vouliez-vous dire robotique\u00a0?"),
        ("fr", "units", "Vouliez-vous dire robotique\u00a0?"),
        ("en", "search", "Did you mean robotique?"),
    ],
)
def test_a_theme_mistyped_offers_the_word_of_the_themes(
    page, axe, language, address, sentence
):
    # "Robotique" is a theme of the unit, no word of its names.
    UnitFactory(
        acronym="JRL",
        name_fr="Laboratoire commun",
        name_en="Joint laboratory",
        themes_fr="Robotique humanoïde",
        themes_en="Humanoid robots",
    )
    page.goto(f"/{language}/{address}/?q=robtique")

    suggestion = page.locator(".did-you-mean")
    expect(suggestion).to_have_text(sentence)
    axe(page)
    link = suggestion.get_by_role("link", name="robotique")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{address}/?q=robotique")
    expect(page.locator(".did-you-mean")).to_have_count(0)
    expect(page.get_by_text("JRL").first).to_be_visible()


@pytest.mark.parametrize(
    ("language", "sentence", "link"),
    [
        (
            "fr",
            "«\u00a0DE\u00a0» est le code du pays Allemagne\u00a0: aucune fiche "
            "n’est encore publiée sur ce pays.",
            "Voir les pays où le CNRS est présent",
        ),
        (
            "en",
            "“DE” is the code of Germany: nothing is published about this country yet.",
            "See the countries where the CNRS works",
        ),
    ],
)
def test_a_country_code_with_nothing_published_says_so(
    page, axe, language, sentence, link
):
    PartnerFactory(country="JP")
    page.goto(f"/{language}/search/?q=DE")

    expect(page.locator("[role=alert]")).to_have_count(0)
    expect(page.get_by_text(sentence)).to_be_visible()
    axe(page)
    countries = page.get_by_role("link", name=link)
    countries.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{language}/countries/")
