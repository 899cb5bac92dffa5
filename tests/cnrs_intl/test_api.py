"""The data API's endpoints that gather several apps (countries and key figures),
and its OpenAPI description, checked against real answers of every endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.publication import PublicationStatus
from tests.api_client import API_LISTS, get, schema_errors
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    KeyFigureFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def api(client, address, status=200, **query):
    return get(client, address, query, status)


@pytest.fixture
def japan_and_brazil():
    UnitFactory(country="JP")
    UnitFactory(country="JP", publication_status=DRAFT)
    PartnerFactory.create_batch(2, country="JP")
    PartnerFactory(country="BR")
    PartnerFactory(country="DE")
    OfficeFactory(slug="tokyo", country="JP", countries=["JP", "KR"])


def test_countries_are_listed_by_name_with_their_published_records(
    client, japan_and_brazil
):
    countries = api(client, "/api/countries/")
    # Allemagne, Brésil, Japon; not Korea, which only an office covers.
    assert [country["code"] for country in countries] == ["DE", "BR", "JP"]
    japan = countries[2]
    assert japan["name"] == {"fr": "Japon", "en": "Japan"}
    assert (japan["units"], japan["partners"], japan["hosted_offices"]) == (1, 2, 1)
    assert japan["offices"] == ["tokyo"]
    assert japan["page"] == {
        "fr": "http://testserver/fr/countries/JP/",
        "en": "http://testserver/en/countries/JP/",
    }
    english = api(client, "/api/countries/", lang="en")
    assert [country["code"] for country in english] == ["BR", "DE", "JP"]


def test_a_country_is_given_by_its_code(client, japan_and_brazil):
    japan = api(client, "/api/countries/JP/")
    assert japan["code"] == "JP"
    assert japan["partners"] == 2


@pytest.mark.parametrize("code", ["jp", "Jp", "jP"])
def test_a_code_not_in_capitals_redirects_as_the_page_does(
    client, japan_and_brazil, code
):
    # One address per country, where /api/countries/jp/ was a second one, cached
    # apart, while its page redirected.
    response = client.get(f"/api/countries/{code}/", {"lang": "en"})
    assert response.status_code == 301
    assert response["Location"] == "/api/countries/JP/?lang=en"
    page = client.get(f"/en/countries/{code}/")
    assert (page.status_code, page["Location"]) == (301, "/en/countries/JP/")


@pytest.mark.parametrize("code", ["ZZ", "ß", "ZZZ", "EU"])
def test_a_code_that_is_no_country_is_not_found(client, japan_and_brazil, code):
    answer = api(client, f"/api/countries/{code}/", status=404)
    # A name works too, which the message says (QA46 B5).
    assert "n’est ni un code ni un nom de pays" in answer["detail"]
    assert "ou par leur nom, comme /api/countries/japon/." in answer["detail"]
    english = api(client, f"/api/countries/{code}/?lang=en", status=404)
    assert "or by their name, such as /api/countries/japan/." in english["detail"]


@pytest.mark.parametrize(
    ("named", "code"),
    [
        ("UK", "GB"),  # as the EU writes them
        ("el", "GR"),
        ("JPN", "JP"),  # ISO 3166's three letters, as the country's page takes them
        ("076", "BR"),
        ("bresil", "BR"),
        ("hongkong", "HK"),  # its name written without its space
        ("coreedusud", "KR"),
    ],
)
def test_a_country_named_otherwise_redirects_as_its_page_does(
    client, japan_and_brazil, named, code
):
    response = client.get(f"/api/countries/{named}/", {"lang": "en"})

    assert response.status_code == 301
    assert response["Location"] == f"/api/countries/{code}/?lang=en"
    assert api(client, response["Location"])["code"] == code


def test_a_country_without_published_records_has_counts_of_zero(
    client, japan_and_brazil
):
    # As its page, which answers 200 and says so: the address stays valid.
    france = api(client, "/api/countries/FR/")
    assert france["code"] == "FR"
    assert france["name"] == {"fr": "France", "en": "France"}
    counts = ["units", "partners", "projects", "agreements", "hosted_offices"]
    assert [france[count] for count in counts] == [0, 0, 0, 0, 0]
    assert france["offices"] == []
    assert client.get("/fr/countries/FR/").status_code == 200


def test_a_country_only_an_office_covers_names_the_office(client, japan_and_brazil):
    korea = api(client, "/api/countries/KR/")
    assert (korea["partners"], korea["offices"]) == (0, ["tokyo"])


def test_countries_query_count_does_not_grow_with_countries(client, settings):
    settings.PAGE_CACHE_SECONDS = 0

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/countries/").status_code == 200
        return len(queries)

    PartnerFactory(country="JP")
    few = count()
    for code in ["BR", "FR", "DE", "IN", "CL"]:
        PartnerFactory(country=code)
        UnitFactory(country=code)
    assert count() == few


def test_key_figures_are_published_ones_in_the_home_pages_order(client):
    KeyFigureFactory(value=60, suffix="%", order=2, label_fr="des publications")
    KeyFigureFactory(value=1000, order=1, label_fr="unités", label_en="units")
    KeyFigureFactory(order=0, publication_status=DRAFT)
    figures = api(client, "/api/key-figures/")
    assert [figure["value"] for figure in figures] == [1000, 60]
    assert figures[0]["label"] == {"fr": "unités", "en": "units"}
    assert figures[1]["suffix"] == "%"


# The OpenAPI description against real answers ----------------------------------


@pytest.fixture
def every_kind_of_record():
    """Records of every endpoint, with and without their optional links: a
    partner with a published parent, one with a draft's, one with none; a unit
    with and without a director; grants with and without a unit or institute…"""
    parent = PartnerFactory(slug="parent", country="US")
    mit = PartnerFactory(slug="mit", country="US", parent=parent, website="")
    PartnerFactory(slug="orphan", parent=PartnerFactory(publication_status=DRAFT))
    PartnerFactory(slug="alone", latitude=None, established=None)
    unit = UnitFactory(slug="jrl", acronym="JRL")
    UnitFactory(slug="headless", director=None)
    UnitPartnershipFactory(unit=unit, partner=mit)
    TestimonyFactory(unit=unit)
    AgreementFactory(office=OfficeFactory(slug="tokyo")).partners.add(mit)
    OfficeFactory(slug="quiet")
    horizon = ProgrammeFactory(slug="horizon")
    ProgrammeFactory(slug="erc", parent=horizon)
    GrantFactory(slug="with-unit", unit=unit)
    GrantFactory(slug="alone", unit=None, institute=None)
    project = ProjectFactory(slug="tascmar", programme=horizon)
    project.units.add(unit)
    ProjectParticipantFactory(project=project, partner=mit)
    ProjectFactory(
        slug="draft-programme", programme=ProgrammeFactory(publication_status=DRAFT)
    )
    InstituteFactory(code="INSB", slug="insb")
    KeyFigureFactory()


def records(answer) -> list[dict]:
    return answer["results"] if isinstance(answer, dict) else answer


@pytest.mark.parametrize("listed", API_LISTS)
def test_every_answer_is_as_the_openapi_description_says(
    client, every_kind_of_record, listed
):
    schema = client.get("/api/schema/").json()
    answer = api(client, listed)
    assert records(answer), "nothing to check"
    assert schema_errors(schema, listed, answer) == []
    if listed == "/api/key-figures/":
        return
    key = "code" if listed == "/api/countries/" else "slug"
    detail = f"{listed}{{{key}}}/"
    for record in records(answer):
        one = api(client, f"{listed}{record[key]}/")
        assert schema_errors(schema, detail, one) == [], record[key]


def test_the_description_allows_a_partner_without_parent(client, every_kind_of_record):
    schema = client.get("/api/schema/").json()
    detail = schema["components"]["schemas"]["PartnerDetail"]
    assert detail["properties"]["parent"]["nullable"] is True
    assert api(client, "/api/partners/alone/")["parent"] is None
    # A draft parent is named, its slug null, as everywhere else.
    orphan = api(client, "/api/partners/orphan/")["parent"]
    assert orphan["slug"] is None
    assert orphan["name"]["fr"]


@pytest.mark.parametrize(
    ("address", "path", "status"),
    [
        ("/api/partners/?country=ZZ", "/api/partners/", 400),
        ("/api/grants/?since=2020&until=2010", "/api/grants/", 400),
        ("/api/units/?page_size=1000", "/api/units/", 400),
        ("/api/projects/?lang=en&lang=fr", "/api/projects/", 400),
        ("/api/offices/?lang=xx", "/api/offices/", 400),
        ("/api/key-figures/?format=xml", "/api/key-figures/", 400),
        ("/api/units/jrl/?format=json&format=csv", "/api/units/{slug}/", 400),
        ("/api/units/?page=99", "/api/units/", 404),
        ("/api/partners/nowhere/", "/api/partners/{slug}/", 404),
        ("/api/countries/ZZ/", "/api/countries/{code}/", 404),
        ("/api/units/JRL/", "/api/units/{slug}/", 301),
        ("/api/partners/OLD/", "/api/partners/{slug}/", 404),
        ("/api/institutes/INSB/", "/api/institutes/{slug}/", 301),
        ("/api/countries/jp/", "/api/countries/{code}/", 301),
    ],
)
def test_errors_and_redirections_are_as_the_openapi_description_says(
    client, every_kind_of_record, address, path, status
):
    schema = client.get("/api/schema/").json()
    response = client.get(address)
    assert response.status_code == status, response.content
    assert schema_errors(schema, path, response.json(), status) == []
    if status == 301:
        described = schema["paths"][path]["get"]["responses"]["301"]
        assert described["headers"]["Location"]["required"] is True
        assert response["Location"]


def test_every_operation_names_the_statuses_it_answers(client):
    schema = client.get("/api/schema/").json()
    paged = {"/api/partners/", "/api/units/", "/api/grants/", "/api/projects/"}
    for path, operations in schema["paths"].items():
        statuses = set(operations["get"]["responses"])
        if "{" in path:
            assert statuses == {"200", "301", "400", "404"}, path
        elif path in paged:
            assert statuses == {"200", "400", "404"}, path
        else:
            # Whole lists: no page to be past the last of.
            assert statuses == {"200", "400"}, path


def test_the_answers_other_than_200_are_described_in_lang(client):
    def described(**query) -> dict:
        schema = client.get("/api/schema/", query).json()
        texts = {
            (path, status): response["description"]
            for path, operations in schema["paths"].items()
            for status, response in operations["get"]["responses"].items()
            if status != "200"
        }
        for name in ("Error", "InvalidParameters", "Moved"):
            texts[name] = schema["components"]["schemas"][name]["description"]
        texts["Location"] = schema["paths"]["/api/units/{slug}/"]["get"]["responses"][
            "301"
        ]["headers"]["Location"]["description"]
        return texts

    french, english = described(), described(lang="en")
    assert all(english.values())
    assert [where for where in french if french[where] == english[where]] == []
    assert french["/api/countries/{code}/", "404"] == (
        "Ce n’est le code ni le nom d’aucun pays."
    )


def test_a_country_counts_its_closed_units_apart_as_its_index_does(client):
    # QA47 6: the countries index counted a unit closed in 2020 as one of Chile's.
    UnitFactory(country="CL", status="closed", creation_year=2000, closure_year=2020)
    UnitFactory(country="BR")
    UnitFactory(country="BR", status="closed", creation_year=2000, closure_year=2020)

    chile, brazil = (api(client, f"/api/countries/{code}/") for code in ("CL", "BR"))

    # "units" counts every published unit, as before and as the unit list does
    # (?country=CL); the closed ones are said apart.
    assert (chile["units"], chile["closed_units"]) == (1, 1)
    assert (brazil["units"], brazil["closed_units"]) == (2, 1)
    listed = {row["code"]: row for row in api(client, "/api/countries/")}
    assert (listed["BR"]["units"], listed["BR"]["closed_units"]) == (2, 1)
    html = " ".join(client.get("/en/countries/").content.decode().split())
    assert (
        '<td role="cell" data-label="Joint units" class="data-table__number">2 '
        '<span class="country-table__closed">(1 closed)</span></td>'
    ) in html


def test_errors_are_described_as_json_whatever_the_format_asked(client):
    schema = client.get("/api/schema/").json()
    for path, operations in schema["paths"].items():
        for status, response in operations["get"]["responses"].items():
            if status != "200":
                assert list(response["content"]) == ["application/json"], path


def parameters_by_name(schema) -> dict[str, dict[str, dict]]:
    """Each query parameter's schema, by name, then by the path taking it."""
    found = {}
    for path, operations in schema["paths"].items():
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                found.setdefault(parameter["name"], {})[path] = parameter["schema"]
    return found


def test_number_parameters_are_described_by_the_bounds_the_api_refuses_by(
    client, settings
):
    """Not the storage's (a call year up to 2^63 - 1): a refusal says the range."""
    parameters = parameters_by_name(client.get("/api/schema/").json())

    for name, schemas in parameters.items():
        for path, schema in schemas.items():
            if schema.get("type") == "integer":
                assert schema.get("maximum", 0) < 2**31, (name, path)
    for name in ("year", "since", "until"):
        assert parameters[name]["/api/grants/"] == {"type": "integer", "minimum": 2007}
    assert parameters["year"]["/api/projects/"] == {"type": "integer"}
    for name in ("page", "page_size"):
        assert {schema["minimum"] for schema in parameters[name].values()} == {1}
    # The bound said is the refusal's.
    GrantFactory(call_year=2015)
    answer = api(client, "/api/grants/", status=400, year="2006", lang="en")
    assert "years run from 2007 to" in answer["year"][0]


def test_a_parameter_taken_by_several_lists_is_described_alike(client):
    parameters = parameters_by_name(client.get("/api/schema/").json())

    countries = parameters["country"]
    assert set(countries) == {
        "/api/partners/",
        "/api/units/",
        "/api/grants/",
        "/api/projects/",
    }
    assert len({str(schema) for schema in countries.values()}) == 1
    assert {"JP", "BR", "XK"} <= set(countries["/api/grants/"]["enum"])
    institutes = parameters["institute"]
    assert set(institutes) == {"/api/units/", "/api/grants/"}
    assert len({str(schema) for schema in institutes.values()}) == 1
