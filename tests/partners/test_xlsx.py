"""The data API's answers as an Excel workbook (``?format=xlsx``,
partners/csv_renderer.py's XlsxRenderer): what Excel set to French opens right,
where a CSV file came in one column and "35.5" became a date."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.api_client import links
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_of(response):
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content)).active


def rows_of(response) -> list[dict]:
    rows = list(sheet_of(response).iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_list_as_a_workbook_keeps_its_filters_and_types_its_numbers(client):
    PartnerFactory(
        slug="usp",
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        country="BR",
        latitude="-23.559600",
        longitude="-46.731400",
    )
    PartnerFactory(slug="mit", country="US")

    response = client.get("/api/partners/", {"country": "BR", "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="partners.xlsx"'
    assert response["X-Total-Count"] == "1"
    sheet = sheet_of(response)
    assert sheet.title == "partners"
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert sheet["A1"].font.bold
    [usp] = rows_of(response)
    assert usp["slug"] == "usp"
    assert usp["name_fr"] == "Université de São Paulo"
    assert usp["name_en"] == "University of São Paulo"
    # Numbers, not texts Excel in French would read as dates.
    assert usp["latitude"] == pytest.approx(-23.5596)
    assert usp["longitude"] == pytest.approx(-46.7314)


def test_a_text_is_never_a_formula_nor_breaks_the_file(client):
    PartnerFactory(
        name_fr='=HYPERLINK("http://evil.example","clic")',
        acronym="@SUM",
        city_fr="Lyon\x01",
    )

    sheet = sheet_of(client.get("/api/partners/", {"format": "xlsx"}))

    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["name_fr"].value == '=HYPERLINK("http://evil.example","clic")'
    assert row["name_fr"].data_type == "s"
    assert row["acronym"].value == "@SUM"
    # A control character XML cannot hold is left out.
    assert row["city_fr"].value == "Lyon"


def test_every_list_and_a_record_come_as_a_workbook(client):
    unit = UnitFactory(slug="jrl", acronym="JRL")
    GrantFactory(unit=unit, acronym="ROBOT")
    ProjectFactory(acronym="TASCMAR")

    for address, column, value in (
        ("/api/units/", "acronym", "JRL"),
        ("/api/grants/", "acronym", "ROBOT"),
        ("/api/projects/", "acronym", "TASCMAR"),
        ("/api/countries/", "code", "JP"),
        ("/api/units/jrl/", "acronym", "JRL"),
    ):
        response = client.get(address, {"format": "xlsx", "lang": "en"})
        assert response.status_code == 200, address
        assert value in [row[column] for row in rows_of(response)], address


def test_a_workbook_of_nothing_has_its_header_row(client):
    PartnerFactory(country="BR")

    sheet = sheet_of(client.get("/api/partners/", {"q": "zzzzqqq", "format": "xlsx"}))

    [header] = list(sheet.iter_rows())
    names = [cell.value for cell in header]
    assert names[:5] == ["slug", "page_fr", "page_en", "name_fr", "name_en"]
    assert names[-1] == "project_count"
    assert all(cell.font.bold for cell in header)


def test_a_unit_without_director_has_its_director_s_cells_empty(client):
    UnitFactory(slug="link", director=None)

    [link] = rows_of(client.get("/api/units/", {"format": "xlsx"}))

    assert "director" not in link
    assert link["director_name"] is None
    assert link["director_orcid"] is None
    assert link["latitude"] == pytest.approx(35.6895)


def test_a_workbook_comes_by_1000_records_and_refuses_more(client):
    PartnerFactory.create_batch(3)

    response = client.get("/api/partners/", {"format": "xlsx", "page_size": "2"})

    assert len(rows_of(response)) == 2
    assert links(response)["next"].endswith("?format=xlsx&page=2&page_size=2")
    too_many = client.get("/api/partners/", {"format": "xlsx", "page_size": "1001"})
    assert too_many.status_code == 400
    assert "page_size" in too_many.json()


def test_a_workbook_reads_as_many_queries_for_few_records_as_for_many(client, uncached):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/partners/", {"country": "BR", "format": "xlsx"})
        return len(captured)

    PartnerFactory.create_batch(2, country="BR")
    few = queries()
    PartnerFactory.create_batch(20, country="BR")
    assert queries() == few


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_countries_index_offers_both_files(client, language):
    UnitFactory(country="JP")

    html = client.get(f"/{language}/countries/").content.decode()

    for file_format in ("xlsx", "csv"):
        assert (
            f'href="/api/countries/?format={file_format}&amp;lang={language}"' in html
        )
    text = {
        "fr": "Télécharger pour un tableur\u00a0: <a",
        "en": "Download as a spreadsheet: <a",
    }
    assert text[language] in html


@pytest.mark.parametrize(
    ("address", "api", "factory"),
    [
        ("offices", "/api/offices/", OfficeFactory),
        ("programmes", "/api/programmes/", ProgrammeFactory),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_offices_and_programmes_lists_offer_both_files(
    client, language, address, api, factory
):
    factory()

    html = client.get(f"/{language}/{address}/").content.decode()

    for file_format in ("xlsx", "csv"):
        link = f"{api}?format={file_format}&amp;lang={language}"
        assert f'href="{link}"' in html
        assert client.get(link.replace("&amp;", "&")).status_code == 200


@pytest.mark.parametrize(
    ("address", "subject"),
    [
        ("/en/countries/", "the countries table"),
        ("/fr/offices/", "le tableau des bureaux"),
        ("/en/programmes/", "the programmes listed"),
        ("/fr/units/", "les résultats de la liste"),
    ],
)
def test_each_download_link_says_what_it_downloads(client, address, subject):
    """Read alone, in a screen reader's list of links (WCAG 2.4.9)."""
    UnitFactory(country="JP")
    OfficeFactory()
    ProgrammeFactory()

    html = client.get(address).content.decode()

    hidden = f'<span class="visually-hidden">, {subject}</span></a>'
    assert f"download>Excel (.xlsx){hidden}" in html
    assert f"download>CSV{hidden}" in html


@pytest.mark.parametrize("count", [0, 3])
def test_the_workbook_s_header_filters_every_row(client, count):
    UnitFactory.create_batch(count)

    sheet = sheet_of(client.get("/api/units/", {"format": "xlsx"}))

    assert (
        sheet.auto_filter.ref
        == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{count + 1}"
    )
    assert sheet.freeze_panes == "A2"
