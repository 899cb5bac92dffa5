"""Back-office pages that scripts change, in a real Chromium, in French and English.

Found by an accessibility audit: the translated fields' language switch was an
unlabelled select of language codes inside the change form's <h1>
(static/js/admin-translation-switch.js), and the import preview marked added and
removed text only with <ins> and <del>, in a table that made the whole page scroll
sideways (static/js/import-preview.js, css/admin-import.css).
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from partners.models import Partner
from tests.admin_forms import admin_url
from tests.factories import PartnerFactory

pytestmark = pytest.mark.browser

SPREADSHEET = Path(__file__).parents[1] / "data" / "spreadsheets" / "partners.csv"


@pytest.fixture
def staff_page(page, language):
    """The page, logged in as a superuser, asking for the admin in ``language``."""
    User.objects.create_superuser("audit", password="audit-password")
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto("/admin/login/")
    page.fill("#id_username", "audit")
    page.fill("#id_password", "audit-password")
    page.click("#login-form [type=submit]")
    expect(page.locator("#content h1")).to_be_visible()
    return page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_language_switch_is_labelled_and_out_of_the_heading(
    staff_page, axe, language
):
    partner = PartnerFactory()

    staff_page.goto(admin_url(Partner, "change", partner.pk))

    switch = staff_page.locator("#modeltranslation-main-switch")
    expect(switch).to_be_visible()
    expect(staff_page.locator("h1 select")).to_have_count(0)
    with translation.override(language):
        label = gettext("Language of the translated fields:")
    expect(staff_page.get_by_label(label)).to_have_id("modeltranslation-main-switch")
    expect(switch.locator("option")).to_have_text(["Français", "English"])
    expect(switch.locator("option[lang=fr]")).to_have_text("Français")
    expect(switch.locator("option[lang=en]")).to_have_text("English")
    # It still switches every translated field's tab.
    switch.select_option(label="English")
    expect(staff_page.locator(".ui-tabs-active").first).to_have_text("en")
    # The form's own widgets (select2, jQuery UI's tabs) are not checked here.
    axe(staff_page, context={"include": [["#content h1"], [".translation-switch"]]})


@pytest.fixture
def kyoto():
    # The file gives Kyoto University another English city: a changed row.
    PartnerFactory(
        slug="kyoto-university",
        name_fr="Université de Kyoto",
        name_en="Kyoto University",
        acronym="KyotoU",
        city_fr="Kyoto",
        city_en="Kyoto",
        ror_id="02kpeqv85",
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_import_preview_says_what_a_changed_row_adds_in_words(
    staff_page, axe, kyoto, language
):
    staff_page.set_viewport_size({"width": 1000, "height": 800})
    staff_page.goto(admin_url(Partner, "import"))
    staff_page.set_input_files("#id_import_file", str(SPREADSHEET))
    staff_page.select_option("#id_format", "0")
    staff_page.click("form input[type=submit]")

    table = staff_page.locator("table.import-preview")
    expect(table).to_be_visible()
    with translation.override(language):
        added, end = gettext("added:"), gettext("end of change")
    changed = table.locator("tr.update ins")
    expect(changed).to_have_count(1)
    expect(changed).to_have_text(f" {added}  (Japan) {end} ")
    expect(changed.locator(".visually-hidden")).to_have_count(2)
    # A new row is all added text: its cells get no words.
    expect(table.locator("tr.new .visually-hidden")).to_have_count(0)
    # The table scrolls in its own box, not the page.
    assert staff_page.evaluate("document.documentElement.scrollWidth") <= 1000
    scroller = staff_page.locator(".import-preview-scroll")
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")
    axe(staff_page, context="#content")
