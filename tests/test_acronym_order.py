"""Units, projects and grants are listed by acronym as read, case ignored, then by
id: "Tascmar" between "TASC" and "TERRATECH2", where PostgreSQL (C.UTF-8) and
SQLite, sorting by code point, put every capital first. On every list, page,
answer of the API and admin changelist that shows them in acronym order. On both
databases."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Grant, Project
from tests.factories import (
    GrantFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

# Written in this order, so that neither the ids nor the code points give the
# order expected: "TASCMAR" is "Tascmar" case ignored, written after it.
WRITTEN = ["TERRATECH2", "Tascmar", "abyss", "TASC", "TASCMAR"]
EXPECTED = ["abyss", "TASC", "Tascmar", "TASCMAR", "TERRATECH2"]
# The code points' order, which the lists followed.
BY_CODE_POINT = sorted(WRITTEN)


def acronyms(records) -> list[str]:
    return [record.acronym for record in records]


def listed(client, address, query=None) -> list[str]:
    response = client.get(address, query or {})
    assert response.status_code == 200
    return acronyms(response.context["object_list"])


def api_listed(client, address, query=None) -> list[str]:
    response = client.get(address, query or {})
    assert response.status_code == 200, response.content
    return [record["acronym"] for record in response.json()["results"]]


def csv_listed(client, address) -> list[str]:
    response = client.get(address, {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    return [row["acronym"] for row in csv.DictReader(io.StringIO(text))]


@pytest.fixture
def units():
    return [UnitFactory(acronym=acronym, country="JP") for acronym in WRITTEN]


@pytest.fixture
def projects():
    return [ProjectFactory(acronym=acronym) for acronym in WRITTEN]


@pytest.fixture
def grants():
    return [GrantFactory(acronym=acronym, call_year=2020) for acronym in WRITTEN]


def test_the_data_sorts_otherwise_by_code_point():
    assert BY_CODE_POINT != EXPECTED


def test_the_models_order_acronyms_case_ignored(units, projects, grants):
    assert acronyms(Unit.objects.all()) == EXPECTED
    assert acronyms(Project.objects.all()) == EXPECTED
    assert acronyms(Grant.objects.all()) == EXPECTED


def test_the_unit_list_orders_acronyms_case_ignored(client, units):
    assert listed(client, "/en/units/") == EXPECTED
    assert listed(client, "/en/units/", {"ordering": "acronym"}) == EXPECTED


@pytest.mark.parametrize("ordering", ["country", "year"])
def test_the_unit_list_breaks_ties_by_acronym_case_ignored(client, units, ordering):
    # One country, one creation year: the acronyms decide.
    assert listed(client, "/en/units/", {"ordering": ordering}) == EXPECTED


def test_the_project_list_orders_acronyms_case_ignored(client, projects):
    assert listed(client, "/en/projects/") == EXPECTED
    assert listed(client, "/fr/projects/") == EXPECTED


def test_the_grant_list_orders_a_calls_acronyms_case_ignored(client, grants):
    GrantFactory(acronym="aardvark", call_year=2019)
    assert listed(client, "/en/grants/") == [*EXPECTED, "aardvark"]
    assert listed(client, "/en/grants/", {"ordering": "acronym"}) == [
        "aardvark",
        *EXPECTED,
    ]
    assert listed(client, "/en/grants/", {"ordering": "-acronym"}) == [
        "TERRATECH2",
        "Tascmar",
        "TASCMAR",  # the same acronym case ignored: by id still
        "TASC",
        "abyss",
        "aardvark",
    ]


def test_a_search_sorted_by_acronym_or_the_lists_order_sorts_its_matches_so(
    client, units, grants
):
    # Found first, then sorted (``sorted_once_found``) by the same keys.
    assert listed(client, "/en/units/", {"q": "tokyo", "ordering": "acronym"}) == (
        EXPECTED
    )
    for ordering in ("acronym", "latest"):
        found = listed(client, "/en/grants/", {"q": "funded", "ordering": ordering})
        assert found == EXPECTED


@pytest.mark.parametrize(
    ("address", "fixture"),
    [
        ("/api/units/", "units"),
        ("/api/projects/", "projects"),
        ("/api/grants/", "grants"),
    ],
)
def test_the_api_and_its_csv_order_acronyms_case_ignored(
    client, request, address, fixture
):
    request.getfixturevalue(fixture)
    assert api_listed(client, address) == EXPECTED
    assert csv_listed(client, address) == EXPECTED
    # Pages break between "Tascmar" and "TASCMAR" without sharing or skipping one.
    first = api_listed(client, address, {"page_size": 3})
    second = api_listed(client, address, {"page_size": 3, "page": 2})
    assert first + second == EXPECTED


def test_the_api_sorted_by_acronym_orders_them_case_ignored(client, units, grants):
    assert api_listed(client, "/api/units/", {"ordering": "acronym"}) == EXPECTED
    assert api_listed(client, "/api/grants/", {"ordering": "acronym"}) == EXPECTED


def test_a_countrys_page_orders_its_units_grants_and_projects_so(client, units):
    for unit, acronym in zip(units, WRITTEN, strict=True):
        GrantFactory(acronym=acronym, unit=unit)
        project = ProjectFactory(acronym=acronym)
        ProjectParticipantFactory(project=project, partner__country="JP")
    response = client.get("/en/countries/JP/")
    assert response.status_code == 200
    records = response.context["records"]
    assert acronyms(records.units) == EXPECTED
    assert acronyms(records.grants) == EXPECTED
    assert acronyms(records.projects) == EXPECTED


def test_a_partners_page_orders_its_units_and_projects_so(client):
    partner = PartnerFactory()
    for acronym in WRITTEN:
        UnitPartnershipFactory(partner=partner, unit__acronym=acronym)
        ProjectParticipantFactory(partner=partner, project__acronym=acronym)
    response = client.get(f"/en/partners/{partner.slug}/")
    assert response.status_code == 200
    shown = response.context["object"]
    assert acronyms(p.unit for p in shown.public_unit_partnerships) == EXPECTED
    assert acronyms(p.project for p in shown.public_project_participations) == (
        EXPECTED
    )
    # The API's partner gives them in the same order.
    data = client.get(f"/api/partners/{partner.slug}/").json()
    assert [row["unit"]["acronym"] for row in data["units"]] == EXPECTED
    assert [row["project"]["acronym"] for row in data["projects"]] == EXPECTED


def test_a_units_page_orders_its_grants_and_projects_so(client):
    unit = UnitFactory()
    for acronym in WRITTEN:
        GrantFactory(acronym=acronym, unit=unit, call_year=2020)
        ProjectFactory(acronym=acronym).units.add(unit)
    response = client.get(f"/en/units/{unit.slug}/")
    assert response.status_code == 200
    shown = response.context["object"]
    assert acronyms(shown.public_grants) == EXPECTED
    assert acronyms(shown.public_projects) == EXPECTED


def test_a_programmes_page_orders_its_projects_and_grants_so(client):
    programme = ProgrammeFactory()
    for acronym in WRITTEN:
        ProjectFactory(acronym=acronym, programme=programme)
        GrantFactory(acronym=acronym, programme=programme, call_year=2020)
    response = client.get(f"/en/programmes/{programme.slug}/")
    assert response.status_code == 200
    assert acronyms(response.context["projects"]) == EXPECTED
    assert acronyms(response.context["grants"]) == EXPECTED


def test_the_irl_programmes_page_orders_its_units_so(client, units):
    programme = ProgrammeFactory(slug=UnitKind.IRL)
    response = client.get(f"/en/programmes/{programme.slug}/")
    assert response.status_code == 200
    assert acronyms(response.context["units"]) == EXPECTED


def test_the_home_page_orders_its_units_so(client, units):
    response = client.get("/en/")
    assert response.status_code == 200
    assert acronyms(response.context["units"]) == EXPECTED


@pytest.mark.parametrize(
    ("address", "fixture"),
    [
        ("/admin/units/unit/", "units"),
        ("/admin/programmes/project/", "projects"),
        ("/admin/programmes/grant/", "grants"),
    ],
)
def test_the_admin_changelists_order_acronyms_case_ignored(
    admin_client, request, address, fixture
):
    request.getfixturevalue(fixture)
    response = admin_client.get(address)
    assert response.status_code == 200
    assert acronyms(response.context["cl"].result_list) == EXPECTED


@pytest.mark.parametrize(
    ("address", "fixture"),
    [
        ("/admin/units/unit/", "units"),
        ("/admin/programmes/project/", "projects"),
    ],
)
def test_an_admin_changelist_sorted_by_its_acronym_column_ignores_case(
    admin_client, request, address, fixture
):
    # A click on the column's header sorted by code point ("TERRATECH2" first).
    request.getfixturevalue(fixture)
    column = admin_client.get(address).context["cl"].list_display.index("acronym")

    ascending = admin_client.get(address, {"o": str(column)})
    descending = admin_client.get(address, {"o": f"-{column}"})

    assert acronyms(ascending.context["cl"].result_list) == EXPECTED
    # Ties (TASCMAR, Tascmar) keep their id order either way.
    assert acronyms(descending.context["cl"].result_list)[0] == "TERRATECH2"
    assert acronyms(descending.context["cl"].result_list)[-1] == "abyss"


def test_a_searched_admin_changelist_sorts_its_matches_once_found(admin_client, units):
    # Found first, then sorted (partners/admin_lists.py ``sorted_as_shown``), not
    # read along the list's index testing each unit.
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/units/unit/", {"q": "tokyo"})
    assert acronyms(response.context["cl"].result_list) == EXPECTED
    listed_sql = [q["sql"] for q in queries if "ORDER BY" in q["sql"]]
    assert any("UPPER(" in sql and "|| '')" in sql for sql in listed_sql), listed_sql
