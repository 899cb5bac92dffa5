"""Partner suggestions under the name field of the partners search, in a real Chromium.

The field is a WAI-ARIA 1.2 combobox (static/js/autocomplete.js): these tests drive it
with the keyboard and the mouse, and check it with axe-core while the list is open.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import focus_by_tabbing
from tests.factories import PartnerFactory

pytestmark = pytest.mark.browser

NAMES = {
    "fr": ["Université de São Paulo", "Université de Tokyo", "Université du Chili"],
    "en": ["University of Chile", "University of São Paulo", "University of Tokyo"],
}


@pytest.fixture
def partners():
    PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        original_name="Universidade de São Paulo",
        acronym="USP",
        slug="usp",
        country="BR",
        city_fr="São Paulo",
        city_en="São Paulo",
    )
    PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        acronym="UTokyo",
        slug="university-of-tokyo",
        country="JP",
    )
    PartnerFactory(
        name_fr="Université du Chili",
        name_en="University of Chile",
        acronym="UChile",
        slug="universidad-de-chile",
        country="CL",
        city_fr="Santiago",
        city_en="Santiago",
    )
    PartnerFactory(
        name_fr="Institut Weizmann des sciences",
        name_en="Weizmann Institute of Science",
        slug="weizmann",
        country="IL",
    )


def combobox(page):
    # The <select>s of the form are comboboxes too.
    return page.locator("input#id_q[role=combobox]")


def suggestions(page):
    return page.get_by_role("listbox").get_by_role("option")


def announcement(page):
    return page.locator(".autocomplete [role=status]")


def type_in_the_name_field(page, language, text):
    page.goto(f"/{language}/partners/")
    focus_by_tabbing(page, "#id_q")
    page.keyboard.type(text)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_typing_suggests_partners_in_the_language(page, partners, language):
    type_in_the_name_field(page, language, "univ")

    expect(page.get_by_role("listbox")).to_be_visible()
    expect(suggestions(page)).to_have_count(3)
    expect(page.locator(".autocomplete__name")).to_have_text(NAMES[language])
    expect(combobox(page)).to_have_attribute("aria-expanded", "true")
    expect(combobox(page)).to_be_focused()
    expect(announcement(page)).to_have_text(re.compile(r"^3\b"))


def test_accents_are_ignored_and_one_suggestion_is_announced(page, partners):
    type_in_the_name_field(page, "en", "Sao Paulo")

    expect(suggestions(page)).to_have_count(1)
    expect(suggestions(page)).to_have_text(
        "University of São Paulo (USP), São Paulo, Brazil"
    )
    # As read aloud: the place's box read "(USP) , São Paulo" with its comma in it.
    expect(suggestions(page)).to_have_accessible_name(
        "University of São Paulo (USP), São Paulo, Brazil"
    )
    expect(announcement(page)).to_have_text("1 suggestion")
    # The words typed are marked in the name, as the server found them.
    expect(suggestions(page).locator("mark")).to_have_text(["São", "Paulo"])


def test_no_match_announces_no_suggestion_and_keeps_the_list_closed(page, partners):
    type_in_the_name_field(page, "en", "xyzzy")

    expect(announcement(page)).to_have_text("No suggestions")
    expect(page.get_by_role("listbox", include_hidden=True)).to_be_hidden()
    expect(combobox(page)).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize(
    "language, caption",
    [
        ("fr", "Aucun nom ne contient tous les mots saisis. Noms proches :"),
        ("en", "No name holds every word typed. Close names:"),
    ],
)
def test_close_names_are_captioned_and_announced_as_such(
    page, axe, partners, language, caption
):
    # No name holds "Pauli": the names suggested are close ones, never shown as
    # if they held the words typed.
    type_in_the_name_field(page, language, "Sao Pauli")

    listbox = page.get_by_role("listbox", name=caption)
    expect(listbox).to_be_visible()
    expect(listbox).to_have_attribute("data-caption", caption)
    expect(announcement(page)).to_contain_text(caption)
    axe(page)

    # Corrected, the same field suggests names again, captioned as usual.
    combobox(page).fill("")
    page.keyboard.type("Sao Paulo")
    expect(announcement(page)).to_have_text("1 suggestion")
    expect(page.get_by_role("listbox")).not_to_have_attribute("data-caption", caption)


def test_one_character_asks_nothing(page, partners):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    type_in_the_name_field(page, "en", "u")
    page.wait_for_timeout(500)

    assert not [address for address in asked if "/names.json" in address]
    expect(combobox(page)).to_have_attribute("aria-expanded", "false")


def test_typing_fast_asks_the_server_once_for_the_whole_text(page, partners):
    asked = []
    page.on(
        "request",
        lambda request: "/names.json" in request.url and asked.append(request.url),
    )
    page.goto("/en/partners/")
    combobox(page).focus()
    page.keyboard.type("university of", delay=20)

    expect(suggestions(page)).to_have_count(3)
    assert len(asked) == 1
    assert parse_qs(urlsplit(asked[0]).query) == {"q": ["university of"]}


def test_a_name_as_long_as_the_field_takes_is_suggested(page, partners):
    # The script and the endpoint stopped at 100 characters, the field at 200.
    name = "Institute for Advanced Studies in " + "Mathematics and Physics " * 6
    name = name.strip()
    assert 150 < len(name) <= 200
    PartnerFactory(name_fr=name, name_en=name, slug="long-name", country="JP")
    page.goto("/en/partners/")
    combobox(page).fill(name)

    expect(suggestions(page)).to_have_count(1)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_arrow_down_then_enter_opens_the_partner_page(page, partners, language):
    type_in_the_name_field(page, language, "univ")
    expect(suggestions(page)).to_have_count(3)

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")

    second = suggestions(page).nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(suggestions(page).nth(0)).to_have_attribute("aria-selected", "false")
    expect(combobox(page)).to_have_attribute(
        "aria-activedescendant", second.get_attribute("id")
    )
    expect(combobox(page)).to_be_focused()  # the focus stays in the field
    page.keyboard.press("Enter")

    slug = "usp" if language == "en" else "university-of-tokyo"
    expect(page).to_have_url(re.compile(rf"/{language}/partners/{slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAMES[language][1])


def test_up_and_down_wrap_around_the_list(page, partners):
    type_in_the_name_field(page, "en", "univ")
    expect(suggestions(page)).to_have_count(3)

    page.keyboard.press("ArrowUp")
    expect(suggestions(page).nth(2)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(suggestions(page).nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(suggestions(page).nth(2)).to_have_attribute("aria-selected", "true")


def test_escape_closes_the_list_and_down_opens_it_again(page, partners):
    type_in_the_name_field(page, "en", "univ")
    expect(page.get_by_role("listbox")).to_be_visible()
    page.keyboard.press("ArrowDown")

    page.keyboard.press("Escape")

    expect(page.get_by_role("listbox", include_hidden=True)).to_be_hidden()
    expect(combobox(page)).to_have_attribute("aria-expanded", "false")
    expect(combobox(page)).not_to_have_attribute(
        "aria-activedescendant", re.compile(".")
    )
    expect(combobox(page)).to_be_focused()
    expect(combobox(page)).to_have_value("univ")

    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("listbox")).to_be_visible()
    expect(suggestions(page).nth(0)).to_have_attribute("aria-selected", "true")


def test_tab_leaves_the_field_and_closes_the_list(page, partners):
    type_in_the_name_field(page, "en", "univ")
    expect(page.get_by_role("listbox")).to_be_visible()

    page.keyboard.press("Tab")

    expect(page.locator("#id_ordering")).to_be_focused()
    expect(page.get_by_role("listbox", include_hidden=True)).to_be_hidden()
    expect(combobox(page)).to_have_attribute("aria-expanded", "false")


def test_enter_with_no_suggestion_highlighted_submits_the_search(page, partners):
    type_in_the_name_field(page, "en", "univ")
    expect(page.get_by_role("listbox")).to_be_visible()

    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/partners/\?(.*&)?q=univ(&|$)"))
    expect(page.locator(".partner-card")).to_have_count(3)


def test_clicking_a_suggestion_opens_the_partner_page(page, partners):
    type_in_the_name_field(page, "en", "univ")

    suggestions(page).filter(has_text="Chile").click()

    expect(page).to_have_url(re.compile(r"/en/partners/universidad-de-chile/$"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_accessibility_violation_with_the_list_open(page, axe, partners, language):
    type_in_the_name_field(page, language, "univ")
    expect(suggestions(page)).to_have_count(3)
    axe(page)

    page.keyboard.press("ArrowDown")
    expect(suggestions(page).nth(0)).to_have_attribute("aria-selected", "true")
    axe(page)


def test_the_search_works_without_javascript(
    browser, live_server, transactional_db, partners
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/en/partners/")
        field = page.locator("#id_q")
        expect(field).not_to_have_attribute("role", "combobox")
        field.fill("Sao Paulo")
        page.get_by_role("button", name="Filter").click()

        expect(page).to_have_url(re.compile(r"[?&]q=Sao\+Paulo(&|$)"))
        expect(page.locator(".partner-card")).to_have_count(1)
    finally:
        context.close()
