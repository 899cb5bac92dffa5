"""Back-office pages that scripts change, in a real Chromium, in French and English.

Found by an accessibility audit: the translated fields' language switch was an
unlabelled select of language codes inside the change form's <h1>
(static/js/admin-translation-switch.js), and the import preview marked added and
removed text only with <ins> and <del>, in a table that made the whole page scroll
sideways (static/js/import-preview.js, css/admin-import.css). The change forms'
widgets (select2's pickers, jQuery UI's language tabs, Django's inline tables and
two-list pickers) had unnamed fields and links inside tabs, and the breadcrumbs'
links differed from their text by colour only (static/js/admin-widgets-a11y.js,
css/admin.css).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import get_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect

from cnrs_intl.models import KeyFigure
from partners.models import Partner
from partners.roles import Role
from programmes.models import Grant, Project
from tests.admin_forms import admin_url
from tests.browser.conftest import log_in
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    PartnerFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import Unit, UnitPartnership

pytestmark = pytest.mark.browser

SPREADSHEET = Path(__file__).parents[1] / "data" / "spreadsheets" / "partners.csv"
# Osaka University's ROR id is no ROR id: its row, the second, is line 3.
BAD_SPREADSHEET = SPREADSHEET.with_name("partners_bad_ror_id.csv")


def expect_tabs_in(page, language: str) -> None:
    """Every translated field's tab shown is ``language``'s (its data-language)."""
    active_tabs = page.locator(".ui-tabs-active")
    expect(active_tabs.first).to_be_visible()
    expect(page.locator(f".ui-tabs-active[data-language={language}]")).to_have_count(
        active_tabs.count()
    )


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
    expect(staff_page.locator(".ui-tabs-active").first).to_have_attribute(
        "data-language", "en"
    )
    # The form's own widgets (select2, jQuery UI's tabs) are not checked here.
    axe(staff_page, context={"include": [["#content h1"], [".translation-switch"]]})


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_language_switch_shows_the_language_of_the_tabs(staff_page, language):
    other = "en" if language == "fr" else "fr"
    partner = PartnerFactory()

    staff_page.goto(admin_url(Partner, "change", partner.pk))

    switch = staff_page.locator("#modeltranslation-main-switch")
    shown = switch.locator("option:checked")
    expect(staff_page.locator(".ui-tabs-active").first).to_be_visible()
    assert staff_page.locator(".ui-tabs-active").count() > 1
    # modeltranslation opens every tab in the page's language.
    expect_tabs_in(staff_page, language)
    expect(shown).to_have_attribute("lang", language)

    # One field's tab switched: the select follows it.
    staff_page.locator(f"li[aria-controls=tab_id_name_{other}]").click()
    expect(shown).to_have_attribute("lang", other)

    # The select switched: every tab follows it.
    switch.select_option(
        value=switch.locator(f"option[lang={language}]").get_attribute("value")
    )
    expect_tabs_in(staff_page, language)
    expect(shown).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", ["en"])  # in French, both open on French
def test_a_record_added_opens_on_its_required_language_in_the_english_admin(
    staff_page,
):
    # Its French name is the required one, and its address is made of it.
    staff_page.goto(admin_url(Partner, "add"))

    expect_tabs_in(staff_page, "fr")
    expect(
        staff_page.locator("#modeltranslation-main-switch option:checked")
    ).to_have_attribute("lang", "fr")

    # A record changed opens in the admin's language, as before.
    partner = PartnerFactory()
    staff_page.goto(admin_url(Partner, "change", partner.pk))
    expect_tabs_in(staff_page, "en")


# The unit's name: its fields' accessible names and its tabs' (F5 of the audit).
TRANSLATED_NAMES = {
    "fr": {
        "fields": ["Nom (français)", "Nom (anglais)"],
        "tabs": ["Français", "Anglais"],
        "error": "Français, contient une erreur",
    },
    "en": {
        "fields": ["Name (French)", "Name (English)"],
        "tabs": ["French", "English"],
        "error": "French, contains an error",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_translated_fields_and_their_tabs_name_their_language(
    staff_page, axe, language
):
    """Both languages' fields were labelled "Nom :" alike, and their tabs named by the
    codes "fr" and "en" ("en •" holding an error)."""
    names = TRANSLATED_NAMES[language]
    french, english = names["fields"]
    staff_page.goto(admin_url(Unit, "add"))

    tabs = staff_page.get_by_role("tablist").filter(
        has=staff_page.locator("[aria-controls=tab_id_name_fr]")
    )
    expect(tabs).to_match_aria_snapshot(
        f'- tablist:\n  - tab "{names["tabs"][0]}" [selected]\n'
        f'  - tab "{names["tabs"][1]}"'
    )
    field = staff_page.get_by_role("textbox", name=french, exact=False)
    expect(field).to_have_id("id_name_fr")
    # The language is for screen readers: the label shows "Nom :" as before.
    label = staff_page.locator("label[for=id_name_fr]")
    expect(label.locator(".visually-hidden")).to_have_text(f" ({french.split('(')[1]}")
    tabs.get_by_role("tab", name=names["tabs"][1], exact=True).click()
    expect(staff_page.get_by_role("textbox", name=english, exact=False)).to_have_id(
        "id_name_en"
    )
    expect(field).to_be_hidden()

    # Sent back with the required French name missing: its tab opens, and says so.
    staff_page.locator("input[name=_save]").click()
    expect(staff_page.locator("#content-main form .errornote")).to_be_visible()
    expect(tabs).to_match_aria_snapshot(
        f'- tablist:\n  - tab "{names["error"]}" [selected]\n'
        f'  - tab "{names["tabs"][1]}"'
    )
    expect(staff_page.get_by_role("textbox", name=french, exact=False)).to_be_visible()
    axe(staff_page)


@pytest.mark.parametrize("language", ["fr"])
def test_a_form_sent_back_with_errors_takes_the_focus_to_its_note(staff_page):
    # The focus was left on the page: keyboard users started again from its top.
    staff_page.goto(admin_url(Partner, "add"))
    staff_page.locator("input[name=_save]").click()

    note = staff_page.locator("#content-main form .errornote")
    expect(note).to_be_visible()
    expect(note).to_be_focused()


@pytest.mark.parametrize("language", ["en"])
def test_a_row_added_to_an_inline_takes_the_focus(staff_page):
    # The focus stayed on "Add another…", under the new row.
    staff_page.goto(admin_url(Unit, "add"))
    add = staff_page.locator("#partnerships-group .add-row a")
    add.focus()
    add.press("Enter")

    row = staff_page.locator("#partnerships-group tr.dynamic-partnerships").last
    expect(row).to_be_visible()
    # Its first field, the partner's picker (select2's box).
    expect(row.locator("td.field-partner .select2-selection")).to_be_focused()


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


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_lines_to_correct_are_named_by_their_line_in_the_file(
    staff_page, axe, language
):
    staff_page.goto(admin_url(Partner, "import"))
    staff_page.set_input_files("#id_import_file", str(BAD_SPREADSHEET))
    staff_page.select_option("#id_format", "0")
    staff_page.click("form input[type=submit]")

    table = staff_page.locator("table.import-preview")
    with translation.override(language):
        line = gettext("Line")
        error = gettext(
            "A ROR id is 9 characters: 0, six letters or digits, two digits."
        )
    expect(table.locator("thead th").first).to_have_text(line)
    expect(table.locator("tbody tr td").first).to_have_text("3")
    # The row's errors are in its cell, shown without a hover (django-import-export
    # showed them in a tooltip the keyboard never reached).
    message = table.locator("tbody tr .import-errors__cell .errorlist li")
    expect(message).to_have_text(error)
    expect(message).to_be_visible()
    # The wide table scrolls in its own box, which the keyboard reaches.
    scroller = staff_page.locator(".import-preview-scroll")
    scroller.focus()
    expect(scroller).to_be_focused()
    axe(staff_page, context="#content")


def admin_forms():
    """Forms with each kind of widget: a single and a many-to-many picker, language
    tabs, an inline table, a two-list picker, short breadcrumbs, the export's
    choice of columns, a deletion's list of linked records and of links."""
    unit = UnitFactory()
    UnitPartnershipFactory(unit=unit)
    # A many-to-many picker holding a choice, which may be emptied: select2 draws a
    # "Remove all items" cross among the choices.
    unit.secondary_institutes.add(InstituteFactory())
    linked = UnitFactory()  # deleting it removes its links to the records that stay
    UnitPartnershipFactory(unit=linked)
    linked.secondary_institutes.add(InstituteFactory())
    return [
        admin_url(Partner, "change", PartnerFactory().pk),
        admin_url(Unit, "change", unit.pk),
        admin_url(Unit, "add"),
        admin_url(Project, "add"),
        admin_url(KeyFigure, "add"),
        "/admin/auth/group/add/",
        admin_url(Partner, "export"),
        admin_url(Unit, "delete", linked.pk),
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_forms_have_no_accessibility_violation(staff_page, axe, language):
    for url in admin_forms():
        staff_page.goto(url)
        expect(staff_page.locator("#content h1")).to_be_visible()
        expect(staff_page.locator("[role=tab] > a[href]")).to_have_count(0)
        axe(staff_page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pickers_are_named_by_their_fields_label(staff_page, language):
    unit = UnitFactory(director=None)
    staff_page.goto(admin_url(Unit, "change", unit.pk))
    with translation.override(language):
        director = str(Unit._meta.get_field("director").verbose_name)
        institutes = str(Unit._meta.get_field("secondary_institutes").verbose_name)

    # An empty picker is named by its label alone.
    picker = staff_page.get_by_role("combobox", name=director, exact=False)
    expect(picker).to_have_count(1)
    expect(
        staff_page.get_by_role("searchbox", name=institutes, exact=False)
    ).to_be_visible()

    # A row added to the inline table: its fields are named by their columns, its
    # picker as it comes.
    rows = staff_page.locator("#partnerships-group tr.form-row:not(.empty-form)")
    count = rows.count()
    staff_page.locator("#partnerships-group .add-row a").click()
    expect(rows).to_have_count(count + 1)
    with translation.override(language):
        role = str(UnitPartnership._meta.get_field("role").verbose_name)
    expect(rows.last.get_by_role("combobox", name=role, exact=False)).to_have_count(1)
    new_picker = rows.last.locator(".select2-selection[role=combobox]")
    expect(new_picker).to_have_attribute(
        "aria-labelledby", re.compile(r"^partnerships-group-column-partner ")
    )


def field_name(model, name) -> str:
    """A field's label as the admin writes it, without its colon."""
    return str(capfirst(model._meta.get_field(name).verbose_name))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_pickers_search_field_is_named_after_its_field(staff_page, axe, language):
    """select2's search fields had no name: the one a picker's list opens with
    (focused as it opens, at the end of the page) and the one inside a
    many-to-many picker. In rows added to an inline table too."""
    InstituteFactory(code="INSHS")
    staff_page.goto(admin_url(Unit, "add"))
    with translation.override(language):
        search = gettext("Search:")
        lead = field_name(Unit, "lead_institute")
        secondary = field_name(Unit, "secondary_institutes")
        partner = field_name(UnitPartnership, "partner")

    # Tabbed to, opened with Enter, typed into.
    staff_page.get_by_role("combobox", name=lead, exact=False).focus()
    staff_page.keyboard.press("Enter")
    field = staff_page.get_by_role("searchbox", name=f"{search} {lead}", exact=True)
    expect(field).to_be_focused()
    staff_page.keyboard.type("INSHS")
    expect(field).to_have_value("INSHS")
    expect(staff_page.get_by_role("listbox", name=lead, exact=True)).to_be_visible()
    axe(staff_page, context=".select2-container--open")
    staff_page.keyboard.press("Escape")
    expect(field).to_have_count(0)

    expect(
        staff_page.get_by_role("searchbox", name=f"{search} {secondary}", exact=True)
    ).to_be_visible()

    # A row added to the inline table: named after its column, as it comes.
    staff_page.locator("#partnerships-group .add-row a").click()
    row = staff_page.locator("#partnerships-group tr.dynamic-partnerships").last
    expect(row.locator("td.field-partner .select2-selection")).to_be_focused()
    staff_page.keyboard.press("Enter")
    expect(
        staff_page.get_by_role("searchbox", name=f"{search} {partner}", exact=True)
    ).to_be_focused()


DATE_HINTS = {"fr": "Format\u00a0: jj/mm/aaaa", "en": "Format: yyyy-mm-dd"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dates_are_typed_in_a_format_said_and_the_calendar_icon_is_out_of_the_way(
    staff_page, axe, language
):
    """The calendar's icon took the focus and opened the calendar on Enter, leaving
    the focus on it: the days, at the end of the page, were out of the keyboard's
    reach, and the date's format was said nowhere."""
    grant = GrantFactory()
    staff_page.goto(admin_url(Grant, "change", grant.pk))
    staff_page.wait_for_load_state("load")  # DateTimeShortcuts draws on load
    start = staff_page.locator("#id_start_date")
    expect(start).to_have_accessible_description(DATE_HINTS[language])
    expect(staff_page.locator("#id_start_date_format")).to_be_visible()

    icon = staff_page.locator("#calendarlink0")
    expect(icon).to_have_attribute("tabindex", "-1")
    expect(icon).to_have_attribute("aria-hidden", "true")
    # From the date, Tab goes to "Today", then to the next date: not the icon.
    start.focus()
    staff_page.keyboard.press("Tab")
    today = staff_page.locator("#id_start_date ~ .datetimeshortcuts a:not([id])")
    expect(today).to_be_focused()
    staff_page.keyboard.press("Tab")
    expect(staff_page.locator("#id_end_date")).to_be_focused()
    # "Today" still fills the date, and a click on the icon still opens the calendar.
    today.focus()
    staff_page.keyboard.press("Enter")
    with translation.override(language):
        shown = timezone.localdate().strftime(get_format("DATE_INPUT_FORMATS")[0])
    expect(start).to_have_value(shown)
    axe(staff_page)
    icon.click()
    expect(staff_page.locator("#calendarbox0")).to_be_visible()


@pytest.mark.parametrize("language", ["fr"])
def test_a_moments_clock_icon_is_out_of_the_way_too(staff_page, language):
    staff_page.goto("/admin/auth/user/")
    staff_page.get_by_role("link", name="audit", exact=True).click()
    staff_page.wait_for_load_state("load")

    expect(staff_page.locator("#id_last_login_1")).to_have_accessible_description(
        "Format\u00a0: hh:mm:ss"
    )
    for icon in ("#calendarlink0", "#clocklink0"):
        expect(staff_page.locator(icon)).to_have_attribute("tabindex", "-1")
        expect(staff_page.locator(icon)).to_have_attribute("aria-hidden", "true")


@pytest.mark.parametrize("language", ["en"])
def test_a_pickers_remove_all_cross_is_a_list_item_that_still_empties_it(
    staff_page, language
):
    unit = UnitFactory()
    unit.secondary_institutes.add(*InstituteFactory.create_batch(2))
    staff_page.goto(admin_url(Unit, "change", unit.pk))
    picker = staff_page.locator(".field-secondary_institutes .select2-selection")
    choices = picker.locator("li.select2-selection__choice")
    expect(choices).to_have_count(2)
    cross = picker.locator(
        "ul > li.select2-selection__clear-item > .select2-selection__clear"
    )
    expect(cross).to_have_count(1)
    expect(picker.locator("ul > span")).to_have_count(0)

    cross.click()
    expect(choices).to_have_count(0)
    selected = staff_page.locator("select#id_secondary_institutes option:checked")
    expect(selected).to_have_count(0)
    # Drawn again without a choice: no cross, none left over.
    expect(picker.locator(".select2-selection__clear")).to_have_count(0)


@pytest.mark.parametrize("language", ["en"])
def test_language_tabs_switch_by_mouse_and_keyboard_without_a_request(
    staff_page, language
):
    partner = PartnerFactory(name_fr="Université de Kyoto", name_en="Kyoto University")
    staff_page.goto(admin_url(Partner, "change", partner.pk))
    requests = []
    # Left out: the page's icon, which the browser fetches when it likes.
    staff_page.on(
        "request",
        lambda request: "favicon" not in request.url and requests.append(request.url),
    )
    tabs = staff_page.locator("[aria-controls=tab_id_name_fr]").locator("..")
    french = staff_page.locator("li[aria-controls=tab_id_name_fr]")
    english = staff_page.locator("li[aria-controls=tab_id_name_en]")
    expect(tabs).to_be_visible()

    english.locator("a").click()
    expect(english).to_have_attribute("aria-selected", "true")
    expect(staff_page.locator("#id_name_en")).to_be_visible()
    expect(staff_page.locator("#id_name_fr")).to_be_hidden()

    english.focus()
    staff_page.keyboard.press("ArrowLeft")
    expect(french).to_be_focused()
    expect(french).to_have_attribute("aria-selected", "true")
    expect(staff_page.locator("#id_name_fr")).to_be_visible()
    staff_page.keyboard.press("ArrowRight")
    expect(english).to_be_focused()
    expect(staff_page.locator("#id_name_en")).to_be_visible()

    # The main language switch moves every field's tabs.
    staff_page.locator("#modeltranslation-main-switch").select_option(label="English")
    expect(staff_page.locator("#id_city_en")).to_be_visible()
    # jQuery UI fetches a tab's link that is not of the page: none was fetched.
    assert requests == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_links_inside_text_stand_out_from_it(staff_page, axe, language):
    """The dashboard's links inside its lists' lines and the merge page's "open"
    links: axe-core's link-in-text-block wants them underlined (or 3:1 from the
    text), where Django's link colour is 2.6:1 from its text colour."""
    soon = timezone.localdate() + datetime.timedelta(days=30)
    GrantFactory(end_date=soon)
    AgreementFactory(ends_on=soon)
    UnitFactory(name_en="")  # a missing translation
    # Possible duplicates, then merged.
    partners = PartnerFactory.create_batch(
        2, name_fr="Université de Tokyo", name_en="University of Tokyo", country="JP"
    )
    cache.clear()  # the duplicates found when logging in: none

    staff_page.goto("/admin/")
    expect(staff_page.locator("#dashboard-ending li a")).to_have_count(2)
    expect(staff_page.locator("#dashboard-translations li a")).not_to_have_count(0)
    expect(staff_page.locator("#dashboard-duplicates li a")).not_to_have_count(0)
    axe(staff_page, context="#content")

    ids = ",".join(str(partner.pk) for partner in partners)
    staff_page.goto(f"{admin_url(Partner, 'merge')}?ids={ids}")
    expect(staff_page.locator("#merge-partners th a")).to_have_count(2)
    axe(staff_page, context="#content")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_back_office_page_refused_to_a_role_is_the_admins_page(page, axe, language):
    """A 403 inside /admin/ has the admin's header and menu (CnrsAdminSite)."""
    reader = User.objects.create_user("reader", password="reader-pw", is_staff=True)
    reader.groups.add(Group.objects.get(name=Role.READER.value))
    page.set_extra_http_headers({"Accept-Language": language})
    log_in(page, "reader", "reader-pw")

    response = page.goto(admin_url(User, "change", reader.pk))

    assert response.status == 403
    expect(page.locator("#header")).to_be_visible()
    with translation.override(language):
        expect(page.locator("#content h1")).to_have_text(gettext("Access refused"))
    axe(page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_username_locked_out_is_told_and_listed_without_violation(
    page, axe, language
):
    """django-axes' refusal on the admin's login page, and its pages in the admin."""
    User.objects.create_superuser("audit", password="audit-password")
    User.objects.create_user("derci", password="right-one", is_staff=True)
    page.set_extra_http_headers({"Accept-Language": language})
    for _ in range(10):
        page.goto("/admin/login/")
        page.fill("#id_username", "derci")
        page.fill("#id_password", "guess")
        with page.expect_response(re.compile(r"/admin/login/$")) as answer:
            page.click("#login-form [type=submit]")
    assert answer.value.status == 429
    with translation.override(language):
        refusal = gettext(
            "Too many wrong passwords for this username: try again in a quarter "
            "of an hour."
        )
    expect(page.locator(".errornote")).to_have_text(refusal)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Connexion" if language == "fr" else "Log in"
    )
    axe(page)

    log_in(page, "audit", "audit-password")
    for name in ("accessattempt", "accessfailurelog"):
        page.goto(f"/admin/axes/{name}/")
        expect(page.locator("#result_list")).to_be_visible()
        axe(page)
