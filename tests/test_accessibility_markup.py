"""Markup that assistive technologies rely on, found missing by an accessibility audit.

Titles that say the page number and the error of a list, the main menu's
``aria-current``, the text equivalents of the dashboard's change icons, and the
structure of the back-office's tables (history, deleted records, merge, import
preview). What needs a browser (reflow, focus, maps) is in tests/browser/test_a11y_*.
"""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from partners.models import Partner
from partners.views import FilteredListView
from tests.admin_forms import admin_url
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

SPREADSHEET = Path(__file__).parent / "data" / "spreadsheets" / "partners.csv"
LISTS = {
    "/fr/units/": UnitFactory,
    "/fr/partners/": PartnerFactory,
    "/fr/grants/": GrantFactory,
    "/fr/projects/": ProjectFactory,
}


def title(response) -> str:
    html = response.content.decode()
    return re.sub(r"[ \t\n]+", " ", re.search(r"<title>(.*?)</title>", html, re.S)[1])


def table(html: str, table_id: str) -> str:
    """Return the table whose id or class is ``table_id``, up to its end."""
    start = re.search(rf'(id|class)="{table_id}"', html).start()
    return html[start : html.index("</table>", start)]


def language_of(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


# --- Page titles of the public lists -------------------------------------------------


@pytest.mark.parametrize("address", LISTS)
def test_a_list_page_after_the_first_says_its_number_in_its_title(
    client, monkeypatch, address
):
    monkeypatch.setattr(FilteredListView, "paginate_by", 1)
    LISTS[address].create_batch(2)

    first = client.get(address)
    second = client.get(address, {"page": 2})

    assert first.status_code == second.status_code == 200
    assert " – page" not in title(first)
    page_2_of_2 = gettext("page %(number)s of %(total)s") % {"number": 2, "total": 2}
    assert title(second) == title(first).replace(" – CNRS", f" – {page_2_of_2} – CNRS")


@pytest.mark.parametrize("address", LISTS)
def test_a_list_answering_400_says_error_first_in_its_title(client, address):
    LISTS[address].create()

    valid = client.get(address)
    refused = client.get(address, {"page": 99})

    assert refused.status_code == 400
    assert title(refused) == f"{gettext('Error:')} {title(valid)}"


def test_an_invalid_filter_says_error_in_the_title(client):
    refused = client.get("/fr/units/", {"country": "ZZ"})

    assert refused.status_code == 400
    assert title(refused).startswith(f"{gettext('Error:')} ")
    # Not "0 results": nothing was searched, and a search may match.
    assert 'class="result-count"' not in refused.content.decode()


def test_a_refused_search_says_error_in_the_title(client):
    refused = client.get("/fr/search/", {"q": "x"})

    assert refused.status_code == 400
    assert title(refused).startswith(f"{gettext('Error:')} ")


# --- The main menu's current item -----------------------------------------------------


def current_items(response) -> dict[str, str]:
    """Map the main menu's links to their aria-current, for those that have one."""
    html = response.content.decode()
    menu = html[html.index('class="site-nav"') : html.index("</nav>")]
    return dict(re.findall(r'<a href="([^"]+)" aria-current="([^"]+)"', menu))


def test_the_menu_marks_a_list_as_the_current_page(client):
    assert current_items(client.get("/fr/units/")) == {"/fr/units/": "page"}
    assert current_items(client.get("/fr/")) == {"/fr/": "page"}


def test_the_menu_marks_the_section_of_a_record_page_as_current_not_as_the_page(
    client,
):
    unit, partner = UnitFactory(), PartnerFactory()

    assert current_items(client.get(unit.get_absolute_url())) == {"/fr/units/": "true"}
    assert current_items(client.get(partner.get_absolute_url())) == {
        "/fr/partners/": "true"
    }


def test_a_page_of_no_section_marks_no_menu_item(client):
    assert current_items(client.get("/fr/search/")) == {}


# --- The dashboard's last changes -----------------------------------------------------


def test_the_last_changes_say_in_words_whether_a_record_was_added_changed_or_deleted(
    admin_client,
):
    changed = PartnerFactory(name_en="Changed University")
    changed.city_en = "Kyoto"
    changed.save()
    PartnerFactory(name_en="Deleted University").delete()

    response = admin_client.get("/admin/")

    html = response.content.decode()
    changes = html[html.index('id="dashboard-changes"') :]
    changes = changes[: changes.index("</ul>")]
    kinds = re.findall(
        r'<li class="(\w+)">\s*<span class="visually-hidden">([^<]+)</span>', changes
    )
    with translation.override(language_of(response)):
        words = {
            "addlink": gettext("Added:"),
            "changelink": gettext("Changed:"),
            "deletelink": gettext("Deleted:"),
        }
    assert {kind for kind, _word in kinds} == set(words)
    assert all(word == words[kind] for kind, word in kinds)
    assert len(kinds) == changes.count("<li ")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        # Whole words, not "Modif. :", "Suppr. :": a screen reader reads them out.
        ("fr", ["Ajout\u00a0:", "Modification\u00a0:", "Suppression\u00a0:"]),
        ("en", ["Added:", "Changed:", "Deleted:"]),
    ],
)
def test_the_last_changes_words_are_whole_words(language, words):
    with translation.override(language):
        assert [gettext("Added:"), gettext("Changed:"), gettext("Deleted:")] == words


# --- Back-office tables ---------------------------------------------------------------


def test_the_history_table_has_a_caption_and_row_headers_and_marks_its_page(
    admin_client, monkeypatch
):
    monkeypatch.setattr(admin.site._registry[Partner], "history_list_per_page", 1)
    partner = PartnerFactory()
    partner.city_en = "Kyoto"
    partner.save()

    html = admin_client.get(admin_url(Partner, "history", partner.pk)).content.decode()

    rows = table(html, "change-history")
    assert re.search(r"<caption[^>]*>[^<]*\S[^<]*</caption>", rows)
    assert re.search(r'<tr>\s*<th scope="row">\s*<a href=', rows)
    assert re.search(r'<span class="this-page" aria-current="page">1</span>', html)


def test_the_deleted_records_table_has_a_caption(admin_client):
    PartnerFactory(name_en="Gone University").delete()

    html = admin_client.get(admin_url(Partner, "deleted")).content.decode()

    rows = table(html, "deleted-records")
    assert re.search(r"<caption[^>]*>[^<]*\S[^<]*</caption>", rows)


def test_the_merge_table_has_a_caption(admin_client):
    first, second = PartnerFactory(), PartnerFactory()

    response = admin_client.get(
        admin_url(Partner, "merge"), {"ids": f"{first.pk},{second.pk}"}
    )

    html = response.content.decode()
    rows = table(html, "merge-partners")
    with translation.override(language_of(response)):
        caption = gettext("Partner institutions to merge")
    assert f'<caption class="visually-hidden">{caption}</caption>' in rows


# --- Texts the scripts read: the map's close button, the translation switch ----------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_maps_give_the_popups_close_button_its_name_in_the_page_language(
    client, language
):
    UnitFactory()

    html = client.get(f"/{language}/units/").content.decode()

    with translation.override(language):
        assert f'data-popup-close="{gettext("Close")}"' in html


def test_change_forms_load_the_translation_switch_labels(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    partner = PartnerFactory()

    response = admin_client.get(admin_url(Partner, "change", partner.pk))

    html = response.content.decode()
    with translation.override(language_of(response)):
        label = gettext("Language of the translated fields:")
    assert re.search(
        r'<script src="[^"]*js/admin-translation-switch\.js" '
        rf'data-label="{re.escape(label)}" '
        r'data-language-fr="Français" data-language-en="English" '
        r'data-tab-fr="Français" data-tab-error-fr="Français, contient une erreur" '
        r'data-field-fr="français" '
        r'data-tab-en="Anglais" data-tab-error-en="Anglais, contient une erreur" '
        r'data-field-en="anglais"></script>',
        html,
    )


def test_english_change_forms_name_the_languages_of_the_translated_fields(
    admin_client,
):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    html = admin_client.get(admin_url(Partner, "add")).content.decode()

    assert (
        ' data-tab-fr="French" data-tab-error-fr="French, contains an error" '
        'data-field-fr="French" data-tab-en="English" '
        'data-tab-error-en="English, contains an error" data-field-en="English" '
        "data-open-first-language></script>"
    ) in html


@pytest.mark.parametrize(
    ("view", "french"),
    [
        ("add", "Ajout\u00a0: établissement partenaire"),
        ("change", "Modification\u00a0: établissement partenaire"),
    ],
)
def test_french_change_form_titles_read_before_a_vowel(admin_client, view, french):
    # Django's French reads "Ajout de établissement partenaire".
    args = (PartnerFactory().pk,) if view == "change" else ()
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"

    response = admin_client.get(admin_url(Partner, view, *args))

    assert f"{french} | " in title(response)
    assert f"<h1>{french}</h1>" in response.content.decode()


def test_back_office_pages_load_the_widgets_names_and_underlined_breadcrumbs(
    admin_client,
):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"

    change_form = admin_client.get(admin_url(Partner, "add")).content.decode()
    changelist = admin_client.get(admin_url(Partner, "changelist")).content.decode()

    for html in (change_form, changelist):
        assert re.search(r'<link rel="stylesheet" href="[^"]*css/admin\.css">', html)
        assert re.search(
            r'<script src="[^"]*js/admin-widgets-a11y\.js" '
            r'data-original-label="Fiche enregistrée" '
            r'data-search-label="Rechercher\u00a0:"></script>',
            html,
        )


def test_the_import_preview_is_titled_captioned_and_scrolls_in_its_own_box(
    admin_client,
):
    content = SPREADSHEET.read_bytes()

    response = admin_client.post(
        admin_url(Partner, "import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("partners.csv", content),
        },
    )

    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    html = response.content.decode()
    with translation.override(language_of(response)):
        name = Partner._meta.verbose_name_plural
        heading = gettext("Import %(name)s: preview") % {"name": name}
        status = gettext("Status")
    assert title(response).startswith(f"{heading} | ")
    assert f"<h1>{heading}</h1>" in html
    assert re.search(
        r'<div class="import-preview-scroll" role="region" '
        r'aria-labelledby="import-preview-caption" tabindex="0">\s*'
        r'<table class="import-preview" data-added="[^"]+" data-removed="[^"]+" '
        r'data-end="[^"]+">\s*<caption id="import-preview-caption">[^<]+</caption>',
        html,
    )
    assert re.search(rf'<th scope="col">{status}</th>', table(html, "import-preview"))
    assert "js/import-preview.js" in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_lines_to_correct_show_their_errors_in_their_cell(admin_client, language):
    # django-import-export showed a row's errors on hover only, in a tooltip that
    # neither the keyboard nor a screen reader reached.
    content = SPREADSHEET.with_name("partners_bad_ror_id.csv").read_bytes()

    response = admin_client.post(
        admin_url(Partner, "import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("partners.csv", content),
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )

    with translation.override(language):
        message = gettext(
            "A ROR id is 9 characters: 0, six letters or digits, two digits."
        )
    [row] = response.context["result"].invalid_rows
    assert row.field_specific_errors["ror_id"] == [message]
    html = response.content.decode()
    assert re.search(
        r'<div class="import-preview-scroll" role="region" '
        r'aria-labelledby="import-errors-caption" tabindex="0">\s*'
        r'<table class="import-preview import-errors">\s*'
        r'<caption id="import-errors-caption">[^<]+</caption>',
        html,
    )
    [cell] = re.findall(
        r'<td class="import-errors__cell">(.*?)</td>',
        table(html, "import-preview import-errors"),
        re.S,
    )
    assert re.search(
        r'<span class="import-errors__field">ror_id</span>\s*'
        rf'<ul class="errorlist"><li>{re.escape(escape(message))}</li></ul>',
        cell,
    )
    assert "validation-error-container" not in html


def test_the_import_form_names_what_it_imports(admin_client):
    response = admin_client.get(admin_url(Partner, "import"))

    with translation.override(language_of(response)):
        heading = gettext("Import %(name)s") % {
            "name": Partner._meta.verbose_name_plural
        }
    assert title(response).startswith(f"{heading} | ")
    assert f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.parametrize(
    "address",
    ["/fr/offices/", "/en/units/", "/fr/countries/", "/en/grants/", "/fr/projects/"],
)
def test_every_scrolling_table_is_a_named_region_the_keyboard_can_scroll(
    client, address
):
    # A table wider than a phone scrolls in its box: reached with Tab, it scrolls
    # with the arrow keys, and is announced by its caption.
    unit = UnitFactory()
    OfficeFactory(city_fr="Tokyo", city_en="Tokyo", country="JP")
    GrantFactory(unit=unit)
    ProjectFactory()
    html = client.get(address).content.decode()
    boxes = re.findall(r'<div class="table-scroll[^"]*"[^>]*>', html)
    assert boxes
    for box in boxes:
        assert 'role="region"' in box and 'tabindex="0"' in box, box
        [caption_id] = re.findall(r'aria-labelledby="([^"]+)"', box)
        assert f'<caption id="{caption_id}"' in html


@pytest.mark.parametrize(
    ("address", "title"),
    [
        (
            "/en/units/?country=JP",
            "<title>Joint units abroad – Japan – 1 result – CNRS",
        ),
        (
            "/fr/units/?country=JP&q=tokyo",
            "<title>Unités mixtes à l’étranger – «\u00a0tokyo\u00a0», Japon "
            "– 1 résultat – CNRS",
        ),
        (
            "/en/partners/?country=JP&kind=university",
            "<title>Partner institutions: Japan – University – 1 result – CNRS",
        ),
        ("/en/partners/?country=JP", "<title>Partner institutions: Japan – 1 result –"),
        ("/en/projects/?q=ocean", "<title>Projects – “ocean” – 0 results – CNRS"),
        (
            "/en/grants/?family=erc",
            "<title>ERC and MSCA grants – ERC – 0 results – CNRS",
        ),
        # Sorted, not narrowed: no count.
        ("/en/units/?ordering=name", "<title>Joint units abroad – CNRS"),
        ("/en/units/?utm_source=letter", "<title>Joint units abroad – CNRS"),
        # A page the list does not have: the error, not a count.
        (
            "/en/units/?country=JP&page=9",
            "<title>Error: Joint units abroad – Japan – CNRS",
        ),
        # Near misses are no results.
        (
            "/en/partners/?q=tokio",
            "<title>Partner institutions by country – “tokio” – No exact match; "
            "1 close match – CNRS",
        ),
        # An invalid filter: the error, what else was chosen, not a count.
        (
            "/en/units/?q=tokyo&ordering=bogus",
            "<title>Error: Joint units abroad – “tokyo” – CNRS",
        ),
        (
            "/en/grants/?q=ocean&family=nonsense",
            "<title>Error: ERC and MSCA grants – “ocean” – CNRS",
        ),
        (
            "/en/partners/?country=JP&kind=nonsense",
            "<title>Error: Partner institutions: Japan – CNRS",
        ),
    ],
)
def test_a_filtered_list_has_a_title_of_its_own(client, address, title):
    # Tabs and the browser's history told one filtered list from another by
    # nothing but its address (WCAG 2.4.2); the number of records the filters
    # kept is then the first thing a screen reader reads of the new page.
    UnitFactory(country="JP")
    PartnerFactory(country="JP", kind="university", name_en="University of Tokyo")
    html = client.get(address).content.decode()
    assert title in html


@pytest.mark.parametrize(
    "language, status",
    [
        ("en", "No exact match; 1 close match"),
        ("fr", "Pas de résultat exact ; 1 fiche proche"),
    ],
)
def test_a_lists_status_says_its_near_misses_are_no_results(client, language, status):
    # The title said so, the status line "1 result": what a screen reader
    # announces of a search made again on the same page.
    PartnerFactory(country="JP", name_fr="", name_en="University of Tokyo")

    html = client.get(f"/{language}/partners/", {"q": "tokio"}).content.decode()

    assert re.search(rf'role="status">\s*{status}\s*</p>', html.replace("\u00a0", " "))


def test_the_grants_table_has_a_heading_of_its_own(client):
    # Heading navigation put the grants table in the chart's section.
    GrantFactory()
    html = client.get("/en/grants/").content.decode()
    chart = html.index('<h2 id="per-year-title">')
    results = html.index('<h2 id="grants-results-title">Results</h2>')
    assert chart < results < html.index('<caption id="grants-caption">')


@pytest.mark.parametrize(
    ("address", "heading"),
    [
        ("/en/units/", "Results"),
        ("/en/partners/", "All partner institutions"),
        ("/en/grants/", "Results"),
        ("/en/projects/", "Results"),
    ],
)
def test_every_list_heads_its_count_downloads_and_results_alike(
    client, address, heading
):
    # QA47 24: the grants' count and downloads came before the chart's heading,
    # far above "Results"; the projects had no heading after the h1.
    factory = LISTS[address.replace("/en/", "/fr/")]
    factory()
    html = client.get(address).content.decode()
    status = html.index('role="status"')
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html[:status])
    assert headings[-1] == heading
    assert status < html.index('class="spreadsheet-link"')
    # The chart, with its own heading, before them.
    if address == "/en/grants/":
        assert "Grants per call year" in headings
