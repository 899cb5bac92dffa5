"""The CSV files French Excel saves import: separated by semicolons, in Windows-1252.

Excel in French offers "CSV (séparateur : point-virgule)", written in Windows-1252,
and "CSV UTF-8", separated by semicolons too (partners.spreadsheets.CSV).
"""

import pytest
from django.utils import timezone

from partners import spreadsheets
from partners.models import Partner, PreviewedImport
from tests.admin_forms import admin_url
from tests.factories import PartnerFactory
from tests.test_spreadsheets import XLSX, confirm, preview, to_xlsx, totals

pytestmark = pytest.mark.django_db

HEADER = "slug;name_fr;name_en;acronym;kind;country;city_fr;city_en"
# As Excel writes it: a quoted cell where the text holds the separator, CR LF.
ROWS = [
    'universite-de-tokyo;Université de Tokyo;"University of Tokyo; Todai";UTokyo;'
    "university;JP;Tōkyō;Tokyo",
    "ecole-normale;École normale supérieure;École normale supérieure;ENS;"
    "university;FR;Paris;Paris",
]
# "Tōkyō" has no Windows-1252 letter: Excel writes "Tokyo".
ROWS_1252 = [ROWS[0].replace("Tōkyō", "Tokyo"), ROWS[1]]


def excel_csv(encoding: str, rows=ROWS) -> bytes:
    return "\r\n".join([HEADER, *rows, ""]).encode(encoding)


def one_line(response) -> str:
    return " ".join(response.content.decode().replace("\xa0", " ").split())


def test_a_semicolon_separated_utf8_file_imports(admin_client):
    content = excel_csv("utf-8-sig")

    response = preview(admin_client, Partner, content, "partenaires.csv")

    assert totals(response) == {"new": 2}
    assert "import-read-as" not in response.content.decode()  # nothing guessed
    assert confirm(admin_client, Partner, response).status_code == 302
    tokyo = Partner.objects.get(slug="universite-de-tokyo")
    # The quoted cell holds its semicolon.
    assert (tokyo.name_fr, tokyo.name_en) == (
        "Université de Tokyo",
        "University of Tokyo; Todai",
    )
    assert tokyo.city_fr == "Tōkyō"


def test_a_windows_1252_file_imports_and_the_preview_says_how_it_was_read(
    admin_client,
):
    content = excel_csv("cp1252", ROWS_1252)
    assert "Université".encode("cp1252") in content  # é is the byte 0xE9

    response = preview(admin_client, Partner, content, "partenaires.csv")

    assert totals(response) == {"new": 2}
    page = one_line(response)
    assert "il a été lu en Windows-1252" in page
    assert "Université de Tokyo" in page and "École normale supérieure" in page
    assert confirm(admin_client, Partner, response).status_code == 302
    assert Partner.objects.get(slug="ecole-normale").name_fr == (
        "École normale supérieure"
    )
    assert Partner.objects.get(slug="universite-de-tokyo").name_en == (
        "University of Tokyo; Todai"
    )


def test_a_windows_1252_file_with_errors_says_how_it_was_read_too(admin_client):
    content = excel_csv("cp1252", [ROWS[1].replace(";FR;", ";France;")])

    response = preview(admin_client, Partner, content, "partenaires.csv")

    assert response.context["result"].has_validation_errors()
    assert "il a été lu en Windows-1252" in one_line(response)


def test_damaged_utf8_is_refused_rather_than_read_garbled(admin_client):
    # Rows pasted from a UTF-8 file into a Windows-1252 one: read either way, some
    # names would be garbled ("UniversitÃ©").
    content = excel_csv("utf-8", ROWS[:1]) + ROWS[1].encode("cp1252") + b"\r\n"

    response = preview(admin_client, Partner, content, "partenaires.csv")

    [error] = response.context["form"].errors["import_file"]
    assert "ni en UTF-8 ni en Windows-1252" in error
    assert "XLSX" in error
    assert not PreviewedImport.objects.exists()
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    "header, expected",
    [
        ("slug,name_fr", ","),
        ("slug;name_fr;name_en", ";"),
        ("slug\tname_fr", "\t"),
        ("slug", ","),
    ],
)
def test_the_separator_is_the_header_lines(header, expected):
    assert spreadsheets.separator(f"{header}\nx,y;z\n") == expected


def test_a_semicolon_files_rows_count_toward_the_limit(admin_client, settings):
    settings.SPREADSHEET_MAX_ROWS = 1

    response = preview(admin_client, Partner, excel_csv("cp1252", ROWS_1252), "p.csv")

    [error] = response.context["form"].errors["import_file"]
    assert "2" in error and "1" in error
    assert not PreviewedImport.objects.exists()


# New rows without a slug ----------------------------------------------------------


def test_a_new_row_without_a_slug_is_given_one_made_from_its_name(admin_client):
    content = excel_csv("utf-8", [ROWS[0], ROWS[1].replace("ecole-normale", "")])

    response = preview(admin_client, Partner, content, "partenaires.csv")

    assert totals(response) == {"new": 2}
    assert confirm(admin_client, Partner, response).status_code == 302
    # As the add form makes it from the French name.
    ens = Partner.objects.get(acronym="ENS")
    assert ens.slug == "ecole-normale-superieure"


def test_a_slug_made_from_a_name_another_record_has_is_the_rows_error(
    admin_client,
):
    existing = PartnerFactory(
        slug="ecole-normale-superieure", name_fr="École normale supérieure"
    )
    content = excel_csv("utf-8", [ROWS[1].replace("ecole-normale", "")])

    response = preview(admin_client, Partner, content, "partenaires.csv")

    [row] = response.context["result"].invalid_rows
    [error] = row.field_specific_errors["slug"]
    assert "« ecole-normale-superieure »" in error.replace("\xa0", " ")
    assert str(existing) in error
    assert "confirm_form" not in response.context
    existing.refresh_from_db()
    assert existing.acronym != "ENS"


def test_a_file_of_new_rows_imported_again_is_unchanged(admin_client):
    # Sent again (one cell corrected elsewhere in the file, say), the rows without
    # a slug were each refused: the slug made from their name was the record the
    # first import had made.
    content = excel_csv("utf-8", [ROWS[0], ROWS[1].replace("ecole-normale", "")])
    confirm(admin_client, Partner, preview(admin_client, Partner, content, "p.csv"))

    response = preview(admin_client, Partner, content, "p.csv")

    assert totals(response) == {"skip": 2}
    assert confirm(admin_client, Partner, response).status_code == 302
    assert Partner.objects.filter(acronym="ENS").count() == 1
    # Changed, the row may be another record of that name: still its error.
    changed = ROWS[1].replace("ecole-normale", "").replace("ENS", "ENSP")
    response = preview(admin_client, Partner, excel_csv("utf-8", [changed]), "p.csv")
    [row] = response.context["result"].invalid_rows
    assert "ecole-normale-superieure" in row.field_specific_errors["slug"][0]


def test_a_new_row_with_neither_slug_nor_name_says_what_a_slug_is(admin_client):
    content = excel_csv("utf-8", [";;;XYZ;university;FR;Paris;Paris"])

    response = preview(admin_client, Partner, content, "partenaires.csv")

    [row] = response.context["result"].invalid_rows
    [error] = row.field_specific_errors["slug"]
    assert "adresse" in error and "universite-de-tokyo" in error


def test_the_import_form_says_what_the_columns_with_set_values_accept(admin_client):
    response = admin_client.get(admin_url(Partner, "import"))

    legend = dict(response.context["column_legend"])
    assert "university (Université)" in legend["kind"]
    assert legend["publication_status"].startswith("draft (")
    assert "published (" in legend["publication_status"]
    assert "name_fr" in legend["slug"]
    page = response.content.decode().replace("\xa0", " ")
    assert "<code>kind</code> : university (Université)" in page


def test_an_xlsx_rows_empty_cells_show_blank_beside_its_errors(admin_client):
    content = to_xlsx(
        [
            ["slug", "name_fr", "name_en", "acronym", "kind", "country"],
            ["ens", "École normale supérieure", None, None, "castle", "FR"],
        ]
    )

    response = preview(admin_client, Partner, content, "p.xlsx", XLSX)

    result = response.context["result"]
    [row] = result.invalid_rows
    cells = dict(zip(result.diff_headers, row.values, strict=True))
    assert (cells["name_en"], cells["acronym"]) == ("", "")
    assert "<td>None</td>" not in response.content.decode()


@pytest.mark.parametrize(
    "language, name",
    [("fr", "etablissements-partenaires"), ("en", "partner-institutions")],
)
def test_an_export_is_named_after_the_list_in_the_admins_language(
    admin_client, language, name
):
    url = admin_url(Partner, "export")
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = admin_client.post(
        url, {"resource": "0", "format": "0", "partnerresource_slug": "on"}
    )

    day = timezone.localdate().isoformat()
    assert response.status_code == 200
    assert f'filename="{name}-{day}.csv"' in response["Content-Disposition"]
