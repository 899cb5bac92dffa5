"""The data API's answers as CSV (``?format=csv``, partners/csv_renderer.py), and
the lists' pages offering theirs, their filters kept."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    GrantFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)

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
    assert response["Link"].endswith('page=2&page_size=2>; rel="next"')
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


def test_a_wrong_filter_is_a_400_in_csv_too(client):
    response = client.get("/api/partners/", {"country": "ZZ", "format": "csv"})

    assert response.status_code == 400
    assert "country" in rows_of(response)[0]


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
    assert ' rel="nofollow" download>CSV</a>' in html
    assert ' rel="nofollow" download>Excel (.xlsx)</a>' in html


def test_no_spreadsheet_is_offered_for_nothing_found_or_a_wrong_filter(client):
    PartnerFactory(country="BR")
    for query in ({"country": "JP"}, {"country": "ZZ"}):
        html = client.get("/en/partners/", query).content.decode()
        assert "spreadsheet-link" not in html


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
