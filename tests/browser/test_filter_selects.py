"""The lists' filter boxes show their chosen option whole, in both languages, on a
desktop and on a phone: "Appels les plus récents d’abord" lost its end."""

import pytest

from tests.factories import GrantFactory, PartnerFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.browser

# For each select of the filters: its chosen option's text, the width the text
# takes in the select's font, and the room inside it (the arrow takes 20 px).
CUT_OPTIONS = """() => [...document.querySelectorAll('form select')].flatMap(select => {
    const style = getComputedStyle(select);
    const context = document.createElement('canvas').getContext('2d');
    context.font = style.font;
    const text = select.options[select.selectedIndex]?.text || '';
    const room = select.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight) - 20;
    return context.measureText(text).width > room ? [[select.name, text]] : [];
})"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_chosen_options_of_the_filters_are_shown_whole(page, width):
    UnitFactory()
    PartnerFactory()
    GrantFactory()
    ProjectFactory()
    page.set_viewport_size({"width": width, "height": 900})

    cut = []
    for language in ("fr", "en"):
        for records in ("units", "partners", "grants", "projects"):
            page.goto(f"/{language}/{records}/")
            if width < 640:  # folded on a phone: opened as a visitor would
                page.locator("form.filters summary").click()
            assert page.locator("form select").count() >= 2
            cut += [(language, records, *box) for box in page.evaluate(CUT_OPTIONS)]
    assert cut == []
