"""Public pages on a phone: nothing wider than the screen, the lists' tables as cards
and their filters folded, the header's links folded behind its "Menu" button."""

import re
import time

import pytest
from django.utils import translation
from playwright.sync_api import expect

from cnrs_intl.context_processors import MENU
from tests.browser.conftest import focus_by_tabbing
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectParticipantFactory,
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def records():
    partnership = UnitPartnershipFactory(
        unit=UnitFactory(name_en="A joint laboratory with a rather long English name"),
        partner=PartnerFactory(
            name_en="An institution whose name is long enough to wrap on a phone"
        ),
    )
    participation = ProjectParticipantFactory(partner=partnership.partner)
    grant = GrantFactory(unit=partnership.unit)
    TestimonyFactory(unit=partnership.unit)
    return {
        "unit": partnership.unit,
        "partner": partnership.partner,
        "office": OfficeFactory(),
        "grant": grant,
        "project": participation.project,
        "programme": grant.programme,
    }


def pages(records):
    with translation.override("en"):
        return [
            "/en/",
            "/en/units/",
            records["unit"].get_absolute_url(),
            "/en/partners/?country=JP",
            records["partner"].get_absolute_url(),
            "/en/countries/",
            "/en/countries/JP/",
            "/en/offices/",
            records["office"].get_absolute_url(),
            "/en/grants/",
            records["grant"].get_absolute_url(),
            "/en/projects/",
            records["project"].get_absolute_url(),
            "/en/programmes/",
            records["programme"].get_absolute_url(),
            "/en/search/?q=univ",
        ]


def test_no_page_is_wider_than_a_phone(browser, live_server, transactional_db, records):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    too_wide = []
    try:
        for address in pages(records):
            response = page.goto(address)
            assert response is not None and response.status == 200, address
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                too_wide.append((address, width))
    finally:
        context.close()
    assert too_wide == []


# The lists whose tables are cards on a phone. The countries index's is a dense
# list there (test_the_countries_index_is_a_dense_list_on_a_phone).
CARD_TABLES = ["grants", "projects", "offices"]


def table_on(page, language: str, name: str):
    page.goto(f"/{language}/{name}/")
    return page.locator("table.data-table--cards")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_lists_tables_are_cards_on_a_phone(
    browser, live_server, transactional_db, records, axe, language
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    try:
        for name in CARD_TABLES:
            table = table_on(page, language, name)
            # Nothing to swipe sideways: the table fits its box.
            scroll = page.locator(".table-scroll:has(table.data-table--cards)")
            assert scroll.evaluate("(box) => box.scrollWidth <= box.clientWidth"), name
            # The column headings are hidden; each cell is written under its own.
            headings = table.locator("thead th").all_text_contents()
            assert table.locator("thead").bounding_box()["height"] <= 1, name
            row = table.locator("tbody tr").first
            labels = row.locator("td").evaluate_all(
                """(cells) => cells.map((cell) =>
                    getComputedStyle(cell, '::before').content)"""
            )
            # Computed as '"Call year" / ""': the text, then its alternative.
            header = row.locator("th").evaluate("(th) => th.cellIndex")
            expected = [text.strip() for text in headings]
            del expected[header]
            assert [label.split(" / ")[0].strip('"') for label in labels] == (
                expected
            ), name
            # The row's header, its card's title, comes first.
            first = row.locator("th").bounding_box()
            assert all(
                first["y"] < cell.bounding_box()["y"]
                for cell in row.locator("td").all()
            ), name
            # Still a table for screen readers.
            assert table.get_attribute("role") == "table"
            assert row.get_attribute("role") == "row"
            axe(page)
    finally:
        context.close()


def test_the_lists_tables_keep_their_columns_on_a_wide_screen(page, records):
    page.set_viewport_size({"width": 1280, "height": 800})
    for name in [*CARD_TABLES, "countries"]:
        table = table_on(page, "en", name)
        assert table.evaluate("(t) => getComputedStyle(t).display") == "table"
        assert table.locator("thead").bounding_box()["height"] > 1, name
        cell = table.locator("tbody td").first
        assert cell.evaluate("(c) => getComputedStyle(c, '::before').content") in {
            "none",
            "normal",
        }


def phone(browser, live_server):
    return browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}
    )


@pytest.mark.parametrize(
    ("language", "summary"), [("fr", "Filtrer la liste"), ("en", "Filter the list")]
)
def test_a_list_s_filters_are_folded_on_a_phone_until_opened(
    browser, live_server, transactional_db, records, axe, language, summary
):
    context = phone(browser, live_server)
    page = context.new_page()
    try:
        for name in ["grants", "projects", "units", "partners"]:
            page.goto(f"/{language}/{name}/")
            disclosure = page.locator("form.filters details")
            toggle = disclosure.locator("summary")
            expect(toggle).to_have_text(summary)
            expect(disclosure).not_to_have_attribute("open", "")
            expect(page.locator("form.filters select").first).to_be_hidden()
            # The first result in the first screen, not two screens down.
            first = page.locator("main table tbody tr, main .card").first
            assert first.bounding_box()["y"] < 2 * 740, name
            axe(page)
            toggle.focus()
            page.keyboard.press("Enter")
            expect(page.locator("form.filters select").first).to_be_visible()
            axe(page)
    finally:
        context.close()


@pytest.mark.parametrize("query", ["?year=2016", "?year=abc", "?ordering=acronym"])
def test_a_list_s_filters_chosen_or_wrong_are_open_on_a_phone(
    browser, live_server, transactional_db, records, query
):
    context = phone(browser, live_server)
    page = context.new_page()
    try:
        page.goto(f"/en/grants/{query}")
        expect(page.locator("form.filters details")).to_have_attribute("open", "")
        expect(page.locator("form.filters select").first).to_be_visible()
    finally:
        context.close()


# Before each frame the browser draws until the page has loaded: whether a list's
# filters are open and their first field shown. The first frames are drawn while
# the page is still being read, before any deferred script has run.
FRAMES_DRAWN = """
window.__filterFrames = [];
requestAnimationFrame(function drawn() {
  var details = document.querySelector("form.filters details");
  var field = details && details.querySelector("select, input");
  if (field) {
    window.__filterFrames.push([details.open, field.checkVisibility()]);
  }
  if (document.readyState !== "complete") { requestAnimationFrame(drawn); }
});
"""


@pytest.mark.parametrize(
    ("width", "shown"), [(360, [False, False]), (1280, [True, True])]
)
def test_a_list_s_filters_never_change_once_drawn(
    browser, live_server, transactional_db, records, width, shown
):
    # Folded on a phone, open on a wide screen, from the first frame drawn: no
    # filters shown and then folded away, the results jumping up under the finger.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 740}
    )
    context.add_init_script(FRAMES_DRAWN)

    def slow_script(route):
        # As over a slow network: a page's deferred script comes after its first
        # frames, and a script that stops its drawing delays them.
        time.sleep(0.3)
        route.continue_()

    context.route("**/*.js", slow_script)
    page = context.new_page()
    try:
        for name in ["grants", "projects", "units", "partners"]:
            page.goto(f"/en/{name}/")
            page.wait_for_load_state("load")
            page.evaluate("() => new Promise(requestAnimationFrame)")
            frames = page.evaluate("window.__filterFrames")
            assert frames, name
            assert {tuple(frame) for frame in frames} == {tuple(shown)}, name
    finally:
        context.close()


def test_a_list_s_filters_are_open_on_a_phone_without_javascript(
    browser, live_server, transactional_db, records
):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        for name in ["grants", "projects", "units", "partners"]:
            page.goto(f"/en/{name}/")
            expect(page.locator("form.filters details")).to_have_attribute("open", "")
            expect(page.locator("form.filters select").first).to_be_visible()
    finally:
        context.close()


def test_a_list_s_filters_are_open_on_a_wide_screen(page, records):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/en/grants/")
    expect(page.locator("form.filters details")).to_have_attribute("open", "")
    expect(page.locator("form.filters summary")).to_be_hidden()
    expect(page.locator("form.filters select").first).to_be_visible()


# --- The header on a phone: the links folded behind a "Menu" button ------------------

PHONES = [(360, 740), (390, 844)]
MAIN_MENU = {"fr": "Menu principal", "en": "Main menu"}


def phone_page(browser, live_server, width=360, height=740, **options):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}, **options
    )
    return context, context.new_page()


@pytest.mark.parametrize(("width", "height"), PHONES)
@pytest.mark.parametrize(
    ("language", "search", "other"),
    [("fr", "Recherche dans le site", "English"), ("en", "Site search", "Français")],
)
def test_the_header_takes_little_of_a_phone_s_screen(
    browser,
    live_server,
    transactional_db,
    records,
    axe,
    width,
    height,
    language,
    search,
    other,
):
    context, page = phone_page(browser, live_server, width, height)
    try:
        for address in (f"/{language}/", f"/{language}/countries/"):
            page.goto(address)
            # A third of the screen before (268 pixels in French, 228 in English,
            # the links on three lines); 104 in Chromium.
            assert page.locator(".site-header").bounding_box()["height"] <= 120
            menu = page.get_by_role("navigation", name=MAIN_MENU[language])
            toggle = menu.get_by_role("button", name="Menu")
            expect(toggle).to_have_attribute("aria-expanded", "false")
            expect(menu.get_by_role("link").first).to_be_hidden()
            # The search and the other language stay in sight.
            expect(page.get_by_role("search", name=search)).to_be_visible()
            expect(page.get_by_role("link", name=other)).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            axe(page)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("language", "countries"), [("fr", "Pays"), ("en", "Countries")]
)
def test_the_phone_menu_opens_and_closes_with_the_keyboard(
    browser, live_server, transactional_db, axe, language, countries
):
    context, page = phone_page(browser, live_server)
    try:
        page.goto(f"/{language}/")
        menu = page.get_by_role("navigation", name=MAIN_MENU[language])
        toggle = menu.get_by_role("button", name="Menu")
        links = menu.get_by_role("link")
        focus_by_tabbing(page, ".site-nav__toggle")

        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(links).to_have_count(len(MENU))
        for link in links.all():
            expect(link).to_be_visible()
        axe(page)
        # From the button, Tab goes through the links.
        page.keyboard.press("Tab")
        expect(links.first).to_be_focused()

        # Escape folds them, the focus back on the button.
        page.keyboard.press("Escape")
        expect(toggle).to_be_focused()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(links.first).to_be_hidden()
        # Folded, the links are no Tab stops: next comes the search.
        page.keyboard.press("Tab")
        expect(page.locator("#site-search-q")).to_be_focused()

        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Space")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        focus_by_tabbing(page, f".site-nav a[href='/{language}/countries/']")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"/{language}/countries/$"))
        # A new page: folded again.
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(menu.get_by_role("link", name=countries)).to_be_hidden()
    finally:
        context.close()


def test_without_javascript_a_phone_shows_every_menu_link(
    browser, live_server, transactional_db
):
    context, page = phone_page(browser, live_server, java_script_enabled=False)
    try:
        page.goto("/en/")
        menu = page.get_by_role("navigation", name="Main menu")
        expect(page.locator(".site-nav__toggle")).to_be_hidden()
        links = menu.get_by_role("link")
        expect(links).to_have_count(len(MENU))
        for link in links.all():
            expect(link).to_be_visible()
        focus_by_tabbing(page, ".site-nav a[href='/en/programmes/']")
    finally:
        context.close()


def test_a_wide_screen_shows_the_menu_links_and_no_button(page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/fr/")
    links = page.get_by_role("navigation", name="Menu principal").get_by_role("link")
    expect(links.first).to_be_hidden()

    # Folded on the phone, shown once the window is wide, as they were.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".site-nav__toggle")).to_be_hidden()
    for link in links.all():
        expect(link).to_be_visible()
    assert page.locator(".site-header").bounding_box()["height"] <= 120
