"""Imports name a row by its line in the file, as a spreadsheet program shows it:
the header is line 1, the first row under it line 2, and a row is one line whatever
line breaks its quoted cells hold (``file_line`` in partners/spreadsheets.py). The
spreadsheet imports' preview and the CORDIS import say it alike: "line N".

A blank line counts as a line, and holds nothing to import: it is skipped. tablib
dropped the blank lines of a CSV file, and named every row after one by the line
before its own.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from partners.models import Partner
from partners.spreadsheets import file_line
from programmes.cordis import CordisImportError, read_records
from tests.admin_forms import admin_url
from tests.factories import PartnerFactory
from tests.test_spreadsheets import CSV, XLSX, confirm, to_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["slug", "name_fr", "name_en", "kind", "country"]
GOOD = ["riken", "RIKEN", "RIKEN", "research_organisation", "JP"]
# No such country.
BAD = ["osaka", "Université d'Osaka", "Osaka University", "university", "XX"]
# The column heading the lines of the rows refused, in each language.
LINE = {"fr": "Ligne", "en": "Line"}


def to_csv(rows: list[list]) -> bytes:
    return "".join(
        ",".join(f'"{cell}"' for cell in row) + "\n" for row in rows
    ).encode()


def preview(client, content: bytes, language="fr", file_format=CSV):
    """Upload a file to the partners' import page, in the admin's ``language``."""
    name = "partners.xlsx" if file_format == XLSX else "partners.csv"
    return client.post(
        admin_url(Partner, "import"),
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )


def lines_refused(response) -> list[int]:
    assert "confirm_form" not in response.context
    return [row.number for row in response.context["result"].invalid_rows]


def test_the_header_is_line_1():
    assert [file_line(row) for row in (1, 2, 3)] == [2, 3, 4]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_a_refused_row_is_named_by_its_line(admin_client, file_format, language):
    rows = [HEADER, GOOD, BAD]
    content = to_csv(rows) if file_format == CSV else to_xlsx(rows)

    response = preview(admin_client, content, language, file_format)

    assert lines_refused(response) == [3]
    page = response.content.decode()
    assert f'<th scope="col">{LINE[language]}</th>' in page
    assert "<td>3</td>" in page
    assert not Partner.objects.filter(slug="osaka").exists()


def to_file(rows: list[list], file_format: str) -> bytes:
    """``rows`` as a CSV or XLSX file, an empty list a blank line."""
    if file_format == XLSX:
        return to_xlsx(rows)
    return b"".join(to_csv([row]) if row else b"\n" for row in rows)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_a_row_after_blank_lines_is_named_by_its_line(
    admin_client, file_format, language
):
    rows = [HEADER, GOOD, [], [], BAD]

    response = preview(admin_client, to_file(rows, file_format), language, file_format)

    assert lines_refused(response) == [5]
    assert "<td>5</td>" in response.content.decode()


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_blank_lines_are_skipped(admin_client, file_format):
    kyoto = ["kyoto", "Université de Kyoto", "Kyoto University", "university", "JP"]
    rows = [HEADER, [], GOOD, [], kyoto, []]

    response = preview(
        admin_client, to_file(rows, file_format), file_format=file_format
    )

    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    # Neither a row of the preview nor an unchanged one in its counts.
    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert result.totals["skip"] == 0
    confirm(admin_client, Partner, response)
    assert set(Partner.objects.values_list("slug", flat=True)) == {"riken", "kyoto"}


def test_a_line_of_empty_cells_is_a_blank_line(admin_client):
    # What a spreadsheet program writes for an empty row: separators only.
    content = to_csv([HEADER, GOOD]) + b",,,,\n" + b" , ,,,\n" + to_csv([BAD])

    response = preview(admin_client, content)

    assert lines_refused(response) == [5]
    assert response.context["result"].totals["skip"] == 0


def test_a_row_that_cannot_be_read_after_a_blank_line_is_named_by_its_line(
    admin_client,
):
    content = b"slug,name_fr,name_en\n\nosaka,Osa\x00ka,Osaka\n"

    response = preview(admin_client, content, "en")

    [(line, _errors)] = response.context["result"].row_errors()
    assert line == 3
    assert escape("Line 3: ") in response.content.decode()


def test_a_slug_on_two_rows_after_blank_lines_names_their_lines(admin_client):
    content = to_csv([HEADER, GOOD]) + b"\n\n" + to_csv([GOOD])

    response = preview(admin_client, content, "en")

    assert escape("of lines 2, 5: each record") in response.content.decode()


def test_a_row_of_several_text_lines_is_one_line(admin_client):
    # A cell holding line breaks, as a unit's description exports: one row.
    long = [
        "tokyo",
        "Université de Tokyo",
        "The University\nof Tokyo",
        "university",
        "JP",
    ]

    response = preview(admin_client, to_csv([HEADER, long, BAD]))

    assert lines_refused(response) == [3]


@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "Ligne 3\u00a0: "), ("en", "Line 3: ")],
)
def test_a_row_that_cannot_be_read_is_named_by_its_line(admin_client, language, said):
    PartnerFactory(slug="riken")
    content = b"slug,name_fr,name_en\nriken,RIKEN,RIKEN\nosaka,Osa\x00ka,Osaka\n"

    response = preview(admin_client, content, language)

    [(line, _errors)] = response.context["result"].row_errors()
    assert line == 3
    assert escape(said) in response.content.decode()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "fr",
            "«\u00a0riken\u00a0» figure dans la colonne «\u00a0slug\u00a0» des "
            "lignes 2, 4\u00a0: chaque fiche ne peut être que sur une ligne.",
        ),
        (
            "en",
            "“riken” is in the “slug” column of lines 2, 4: each record may be "
            "on one line only.",
        ),
    ],
)
def test_a_slug_on_two_rows_is_refused_naming_their_lines(admin_client, language, said):
    content = to_csv([HEADER, GOOD, BAD, GOOD])

    response = preview(admin_client, content, language)

    assert escape(said) in response.content.decode()
    assert "confirm_form" not in response.context


@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "project.csv, ligne 5, "), ("en", "project.csv, line 5, ")],
)
def test_a_cordis_record_is_named_by_its_line_as_a_spreadsheet_shows_it(language, said):
    text = (
        "id;acronym;objective\n"
        '1;ONE;"An objective\nof three\nlines"\n'
        "\n"  # a blank line: an empty row
        "2;TWO;Short\n"
        "3;THREE\n"  # a field missing
    )

    records = read_records(
        io.StringIO(text), name="project.csv", required=("id", "acronym")
    )

    assert [next(records).line, next(records).line] == [2, 4]
    with translation.override(language), pytest.raises(CordisImportError) as caught:
        next(records)
    assert caught.value.line == 5
    assert str(caught.value).startswith(said)
