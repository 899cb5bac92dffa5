"""Reflow and forced colours, in a real Chromium: what an accessibility audit found.

- At 320 CSS pixels (WCAG 1.4.10), no page scrolls sideways: the header's search
  form, longer in French ("Rechercher"), shrinks its field.
- The partner-name suggestions stay inside the window whatever the field's column,
  and moving through them never scrolls the page sideways.
- In forced colours, where backgrounds are not drawn, buttons keep a visible border.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import focus_by_tabbing
from tests.factories import PartnerFactory, UnitFactory

pytestmark = pytest.mark.browser

WIDTH = "document.documentElement.scrollWidth"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_page_scrolls_sideways_at_320_pixels(page, axe, language):
    unit = UnitFactory()
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = []
    for address in [
        f"/{language}/",
        f"/{language}/partners/",
        f"/{language}/units/",
        unit.get_absolute_url().replace("/fr/", f"/{language}/"),
        f"/{language}/search/",
    ]:
        page.goto(address)
        if page.evaluate(WIDTH) > 320:
            too_wide.append((address, page.evaluate(WIDTH)))
    assert too_wide == []

    page.goto(f"/{language}/partners/")
    search_button = page.locator(".site-search button")
    expect(search_button).to_be_visible()
    assert search_button.bounding_box()["x"] + search_button.bounding_box()[
        "width"
    ] <= page.evaluate("document.documentElement.clientWidth")
    axe(page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_name_without_spaces_breaks_instead_of_widening_the_page(page, language):
    # A QA pass: a unit named with 255 letters and no space made its page
    # 3,676 px wide at 400 px.
    long_word = "N" * 255
    unit = UnitFactory(acronym="A" * 50, name_fr=long_word, name_en=long_word)
    partner = PartnerFactory(name_fr=long_word, name_en=long_word)
    page.set_viewport_size({"width": 400, "height": 700})
    too_wide = []
    for record in (unit, partner):
        page.goto(record.get_absolute_url().replace("/fr/", f"/{language}/"))
        if page.evaluate(WIDTH) > 400:
            too_wide.append((page.url, page.evaluate(WIDTH)))
    for address in (f"/{language}/units/", f"/{language}/search/?q={long_word[:150]}"):
        page.goto(address)
        if page.evaluate(WIDTH) > 400:
            too_wide.append((address, page.evaluate(WIDTH)))
    assert too_wide == []


@pytest.fixture
def many_partners():
    # More suggestions than the list shows at once: it scrolls.
    for number in range(12):
        PartnerFactory(
            name_fr=f"Université partenaire {number:02}",
            name_en=f"Partner university {number:02}",
        )


def open_suggestions(page, language):
    page.goto(f"/{language}/partners/")
    focus_by_tabbing(page, "#id_q")
    page.keyboard.type("univ")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    return listbox


@pytest.mark.parametrize("width", [800, 1000, 1280])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_suggestions_stay_in_the_window(page, axe, many_partners, width, language):
    page.set_viewport_size({"width": width, "height": 700})

    listbox = open_suggestions(page, language)

    box = listbox.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= page.evaluate(
        "document.documentElement.clientWidth"
    )
    assert page.evaluate(WIDTH) <= width
    axe(page)


@pytest.mark.parametrize("width", [800, 1000])
def test_moving_through_the_suggestions_scrolls_the_list_not_the_page_sideways(
    page, many_partners, width
):
    page.set_viewport_size({"width": width, "height": 700})
    listbox = open_suggestions(page, "fr")
    options = listbox.get_by_role("option")
    count = options.count()
    assert count > 6, "too few suggestions for the list to scroll"

    for index in range(count):
        page.keyboard.press("ArrowDown")
        expect(options.nth(index)).to_have_attribute("aria-selected", "true")
        assert page.evaluate("window.scrollX") == 0
        # The highlighted option is inside the list's visible part.
        shown = page.evaluate(
            """(option) => {
                const list = option.parentElement.getBoundingClientRect();
                const box = option.getBoundingClientRect();
                return box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
            }""",
            options.nth(index).element_handle(),
        )
        assert shown, f"suggestion {index} is scrolled out of the list"
    assert page.evaluate("document.getElementById('id_q-suggestions').scrollTop") > 0


@pytest.mark.parametrize("language", ["fr", "en"])
def test_buttons_keep_a_border_in_forced_colours(page, language):
    page.emulate_media(forced_colors="active")

    page.goto(f"/{language}/grants/")

    border = page.evaluate(
        """() => {
            const style = getComputedStyle(document.querySelector(".filters .button"));
            return [style.borderTopStyle, parseFloat(style.borderTopWidth)];
        }"""
    )
    assert border[0] != "none"
    assert border[1] >= 1
