"""The data API's answers as CSV (``?format=csv``, partners/csv_renderer.py), and
the lists' pages offering theirs, their filters kept."""

import csv
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.utils import extend_schema_field
from openpyxl import load_workbook
from rest_framework import serializers

from cnrs_intl.api import router
from partners.api import LABEL_SUFFIX
from partners.csv_renderer import column_name, flat, serializer_columns
from partners.models import Partner
from tests.api_client import API_LISTS, links
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    KeyFigureFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets know it is UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def partners():
    PartnerFactory(
        slug="usp",
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        country="BR",
        latitude="-23.559600",
        longitude="-46.731400",
    )
    PartnerFactory(slug="unicamp", name_fr="Unicamp", name_en="Unicamp", country="BR")
    PartnerFactory(slug="mit", country="US")


def test_a_list_as_csv_keeps_its_filters_and_spreads_the_languages(client, partners):
    response = client.get("/api/partners/", {"country": "BR", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="partners.csv"'
    assert response["X-Total-Count"] == "2"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Link" in response["Access-Control-Expose-Headers"]
    rows = rows_of(response)
    assert [row["slug"] for row in rows] == ["unicamp", "usp"]
    usp = rows[1]
    assert usp["name_fr"] == "Université de São Paulo"
    assert usp["name_en"] == "University of São Paulo"
    assert usp["page_en"].endswith("/en/partners/usp/")
    # A negative number is a number, not a formula to defuse.
    assert usp["latitude"] == "-23.559600"


def test_a_list_of_nothing_is_its_header_row(client, partners):
    text = client.get("/api/partners/", {"q": "zzzzqqq", "format": "csv"}).content

    assert text.decode().startswith("\ufeffslug,page_fr,page_en,name_fr,name_en,")
    assert text.decode().endswith(",project_count\r\n")
    assert text.count(b"\r\n") == 1


def test_a_text_a_spreadsheet_would_run_is_written_as_text(client):
    PartnerFactory(name_fr='=HYPERLINK("http://evil.example","clic")', acronym="@SUM")

    rows = rows_of(client.get("/api/partners/", {"format": "csv"}))

    assert rows[0]["name_fr"] == '\'=HYPERLINK("http://evil.example","clic")'
    assert rows[0]["acronym"] == "'@SUM"


def test_a_csv_list_comes_by_1000_records_the_next_page_in_the_link_header(
    client, partners
):
    response = client.get("/api/partners/", {"format": "csv", "page_size": "2"})

    assert len(rows_of(response)) == 2
    assert response["X-Total-Count"] == "3"
    assert links(response)["next"].endswith("?format=csv&page=2&page_size=2")
    assert len(rows_of(client.get("/api/partners/", {"format": "csv"}))) == 3
    too_many = client.get(
        "/api/partners/", {"format": "csv", "page_size": "1001", "lang": "en"}
    )
    assert too_many.status_code == 400
    assert "Give a number of records from 1 to 1,000." in too_many.content.decode()
    # JSON keeps its pages of 100 at most.
    assert client.get("/api/partners/", {"page_size": "101"}).status_code == 400


def test_every_list_and_a_record_come_as_csv(client):
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
        response = client.get(address, {"format": "csv", "lang": "en"})
        assert response.status_code == 200, address
        assert value in [row[column] for row in rows_of(response)], address
    disposition = client.get("/api/units/jrl/", {"format": "csv"})[
        "Content-Disposition"
    ]
    assert disposition == 'attachment; filename="units-jrl.csv"'


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("address", "query", "status"),
    [
        ("/api/units/", {"country": "ZZ"}, 400),
        ("/api/units/", {"page": "9"}, 404),
        ("/api/partners/", {"page": "0"}, 400),
        ("/api/partners/", {"lang": "de"}, 400),
        ("/api/partners/nowhere/", {}, 404),
        ("/api/countries/ZZZZ/", {}, 404),
    ],
)
def test_an_error_asked_as_a_spreadsheet_is_json_not_a_file(
    client, address, query, status, file_format
):
    """A message in a file saved as "units.xlsx" read as a row of data."""
    UnitFactory()
    PartnerFactory()
    as_json = client.get(address, query)

    response = client.get(address, {**query, "format": file_format})

    assert response.status_code == as_json.status_code == status
    assert response["Content-Type"] == "application/json"
    assert not response.has_header("Content-Disposition")
    assert response.json() == as_json.json()


def test_a_csv_list_reads_as_many_queries_for_few_records_as_for_many(client, uncached):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/partners/", {"country": "BR", "format": "csv"})
        return len(captured)

    PartnerFactory.create_batch(2, country="BR")
    few = queries()
    PartnerFactory.create_batch(20, country="BR")
    assert queries() == few


@pytest.mark.parametrize(
    ("address", "query", "link"),
    [
        (
            "/en/partners/",
            {"country": "BR", "page": "1"},
            "/api/partners/?country=BR&amp;format=csv&amp;lang=en",
        ),
        ("/fr/units/", {}, "/api/units/?format=csv&amp;lang=fr"),
        ("/en/grants/", {"since": "2015"}, "/api/grants/?since=2015&amp;format=csv"),
        ("/fr/projects/", {}, "/api/projects/?format=csv&amp;lang=fr"),
    ],
)
def test_lists_offer_their_records_as_a_spreadsheet(client, address, query, link):
    PartnerFactory(country="BR")
    UnitFactory()
    GrantFactory(call_year=2016)
    ProjectFactory()

    html = client.get(address, query).content.decode()

    assert f'<a href="{link}' in html
    assert f'<a href="{link.replace("format=csv", "format=xlsx")}' in html
    hidden = '<span class="visually-hidden">'
    assert f' rel="nofollow" download>CSV{hidden}' in html
    assert f' rel="nofollow" download>Excel (.xlsx){hidden}' in html


def test_no_spreadsheet_is_offered_for_nothing_found_or_a_wrong_filter(client):
    PartnerFactory(country="BR")
    for query in ({"country": "JP"}, {"country": "ZZ"}):
        html = client.get("/en/partners/", query).content.decode()
        assert "spreadsheet-link" not in html


@pytest.mark.parametrize(
    ("language", "announced"),
    [
        ("en", "No exact match; 1 close match"),
        ("fr", "Pas de résultat exact\u00a0; 1 fiche proche"),
    ],
)
def test_no_spreadsheet_is_offered_of_near_misses(
    client, partners, language, announced
):
    """The page says "No exact match; 1 close match"; a file saved holds rows
    alone, which would be read as matches."""
    address = f"/{language}/partners/"
    html = client.get(address, {"q": "Unicampp"}).content.decode()

    assert announced in html
    assert "spreadsheet-link" not in html
    # The very records found are offered.
    found = client.get(address, {"q": "Unicamp"}).content.decode()
    assert "spreadsheet-link" in found


def test_a_list_longer_than_a_file_says_the_file_holds_its_first_records(
    client, partners, monkeypatch
):
    monkeypatch.setattr("partners.views.CSV_PAGE_SIZE", 2)

    html = client.get("/en/partners/").content.decode()

    assert "Download the first 2 as a spreadsheet: <a" in html


def test_a_csv_of_near_misses_says_so_in_a_header(client, partners):
    """The file holds records alone: that none held every word is in a header."""
    found = client.get("/api/partners/", {"q": "Unicamp", "format": "csv"})
    close = client.get("/api/partners/", {"q": "Unicampp", "format": "csv"})

    assert found["X-Near-Misses"] == "false"
    assert close["X-Near-Misses"] == "true"
    assert [row["slug"] for row in rows_of(close)] == ["unicamp"]
    assert "X-Near-Misses" in close["Access-Control-Expose-Headers"]


def header_of(response) -> list[str]:
    """The first row of a CSV file or of a workbook."""
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        return next(csv.reader(io.StringIO(text[1:])))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell.value for cell in next(sheet.iter_rows(max_row=1))]


@pytest.fixture
def linked_or_not():
    """Records with their nested link and without: a unit without director, a
    grant without unit."""
    jrl = UnitFactory(slug="jrl", acronym="JRL", country="JP")
    UnitFactory(slug="link", acronym="LINK", country="BR", director=None)
    GrantFactory(slug="robot", unit=jrl, panel="PE1")
    GrantFactory(slug="alone", unit=None, panel="LS2")
    PartnerFactory(slug="usp", country="BR")
    ProjectFactory(slug="tascmar", acronym="TASCMAR")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("address", "queries"),
    [
        # A record with its nested link, one without, none.
        ("/api/units/", [{"country": "JP"}, {"country": "BR"}, {"country": "US"}]),
        ("/api/grants/", [{"panel": "PE1"}, {"panel": "LS2"}, {"panel": "SH3"}]),
        ("/api/partners/", [{"country": "BR"}, {"country": "US"}]),
        ("/api/projects/", [{"q": "tascmar"}, {"q": "zzzzqqq"}]),
    ],
)
def test_a_list_has_the_same_columns_whatever_its_filter(
    client, linked_or_not, address, queries, file_format
):
    answers = [
        client.get(address, {**query, "format": file_format}) for query in queries
    ]

    assert answers[0]["X-Total-Count"] == "1"
    assert answers[-1]["X-Total-Count"] == "0"
    headers = [header_of(answer) for answer in answers]
    assert headers[0]
    assert all(header == headers[0] for header in headers)
    assert header_of(client.get(address, {"format": file_format})) == headers[0]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_nested_record_missing_leaves_its_columns_empty(
    client, linked_or_not, file_format
):
    units = client.get("/api/units/", {"format": file_format})
    header = header_of(units)

    assert "director" not in header
    assert header.index("director_orcid") == header.index("director_name") + 1
    if file_format == "csv":
        link = rows_of(client.get("/api/units/link/", {"format": "csv"}))[0]
        assert link["director_name"] == link["director_orcid"] == ""
        jrl, link = rows_of(units)
        assert (jrl["slug"], link["slug"]) == ("jrl", "link")
        assert jrl["director_name"] and link["director_name"] == ""
        grants = {
            row["slug"]: row
            for row in rows_of(client.get("/api/grants/", {"format": "csv"}))
        }
        assert grants["robot"]["unit_slug"] == "jrl"
        assert grants["alone"]["unit_slug"] == grants["alone"]["unit_name_en"] == ""
        assert "unit" not in grants["alone"]


def make_every_link():
    """One record of each list, its nested links all present."""
    unit = UnitFactory(country="JP")
    GrantFactory(unit=unit)
    PartnerFactory(country="JP")
    ProjectFactory()
    OfficeFactory(country="JP")
    KeyFigureFactory()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
# The columns a reuser reads by position: the serializer's, whatever the records.
@pytest.mark.parametrize("address", API_LISTS)
def test_an_export_of_nothing_has_the_header_of_the_records(
    client, uncached, address, file_format
):
    header = header_of(client.get(address, {"format": file_format}))
    make_every_link()
    full = client.get(address, {"format": file_format})
    answer = client.get(address).json()
    record = (answer["results"] if isinstance(answer, dict) else answer)[0]

    assert header
    assert header_of(full) == header
    # The keys of a record with every nested link, spread as they are written;
    # a spreadsheet adds each code's label beside it (test_spreadsheet_labels).
    as_json = [name for name in header if not name.endswith(LABEL_SUFFIX)]
    assert as_json == list(flat(record))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("address", "record", "links"),
    [
        (
            "/api/units/",
            "/api/units/jrl/",
            ["partners", "grants", "projects", "testimonies"],
        ),
        (
            "/api/partners/",
            "/api/partners/usp/",
            [
                "parent_slug",
                "parent_name_fr",
                "parent_name_en",
                "children",
                "units",
                "agreements",
                "projects",
            ],
        ),
        ("/api/offices/", "/api/offices/tokyo/", ["agreements"]),
        ("/api/projects/", "/api/projects/tascmar/", ["participants", "units"]),
        ("/api/grants/", "/api/grants/robot/", []),
        ("/api/programmes/", "/api/programmes/erc/", []),
        ("/api/institutes/", "/api/institutes/inshs/", []),
        ("/api/countries/", "/api/countries/JP/", []),
    ],
)
def test_a_record_has_the_columns_of_its_list_then_its_links(
    client, linked_or_not, address, record, links, file_format
):
    OfficeFactory(slug="tokyo")
    ProgrammeFactory(slug="erc")
    InstituteFactory(slug="inshs")

    listed = header_of(client.get(address, {"format": file_format}))

    assert header_of(client.get(record, {"format": file_format})) == listed + links


def rows_by_column(response) -> list[dict]:
    """The rows of a CSV file or of a workbook, by column."""
    header = header_of(response)
    if response["Content-Type"].startswith("text/csv"):
        return rows_of(response)
    sheet = load_workbook(io.BytesIO(response.content)).active
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    return [dict(zip(header, line, strict=True)) for line in lines]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("address", "record", "key", "value"),
    [
        ("/api/partners/", "/api/partners/usp/", "slug", "usp"),
        ("/api/units/", "/api/units/jrl/", "slug", "jrl"),
        ("/api/offices/", "/api/offices/tokyo/", "slug", "tokyo"),
        ("/api/projects/", "/api/projects/tascmar/", "slug", "tascmar"),
        ("/api/grants/", "/api/grants/robot/", "slug", "robot"),
        ("/api/programmes/", "/api/programmes/erc/", "slug", "erc"),
        ("/api/institutes/", "/api/institutes/inshs/", "slug", "inshs"),
        ("/api/countries/", "/api/countries/JP/", "code", "JP"),
    ],
)
def test_a_record_alone_has_the_values_of_its_row_in_its_list(
    client, linked_or_not, address, record, key, value, file_format
):
    """A file read record by record adds up to the list's: a partner's counts
    of links too (they were left empty)."""
    usp = Partner.objects.get(slug="usp")
    UnitPartnershipFactory(partner=usp, unit=Unit.objects.get(slug="jrl"))
    AgreementFactory().partners.add(usp)
    OfficeFactory(slug="tokyo")
    ProgrammeFactory(slug="erc")
    InstituteFactory(slug="inshs")

    listed = rows_by_column(client.get(address, {"format": file_format}))
    [alone] = rows_by_column(client.get(record, {"format": file_format}))

    [row] = [row for row in listed if row[key] == value]
    assert {column: alone[column] for column in row} == row
    if address == "/api/partners/":
        counts = [row[f"{kind}_count"] for kind in ("unit", "agreement", "project")]
        assert counts == (["1", "1", "0"] if file_format == "csv" else [1, 1, 0])


def test_every_endpoint_s_columns_are_known_and_named_once():
    for _prefix, viewset, _basename in router.registry:
        for serializer in (
            viewset.serializer_class,
            getattr(viewset, "detail_serializer_class", None),
        ):
            if serializer is None:
                continue
            names = [column_name(path) for path in serializer_columns(serializer())]
            assert names, serializer
            assert len(set(names)) == len(names), serializer


class Shaped(serializers.Serializer):
    declared = serializers.SerializerMethodField()
    listed = serializers.SerializerMethodField()
    free = serializers.DictField(read_only=True)

    @extend_schema_field(
        {"type": "object", "properties": {"low": {"type": "number"}, "high": {}}}
    )
    def get_declared(self, record) -> dict:
        return record

    def get_listed(self, record) -> list[str]:
        return []


class Undeclared(serializers.Serializer):
    span = serializers.SerializerMethodField()

    def get_span(self, record) -> dict[str, int]:
        return {}


def test_a_value_of_keys_is_spread_by_its_declaration_never_by_its_records():
    names = [column_name(path) for path in serializer_columns(Shaped())]

    # A dictionary of keys not known (DictField) is one cell, as JSON.
    assert names == ["declared_low", "declared_high", "listed", "free"]
    with pytest.raises(ImproperlyConfigured, match="span"):
        serializer_columns(Undeclared())
