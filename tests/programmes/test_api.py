"""The public API's programmes, grants and projects: published only, both
languages, the lists' filters, bad input, queries."""

import pytest

from programmes.models import ParticipantRole, ProgrammeKind, ProjectKind
from tests.api_client import get, queries_for
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def slugs(client, path, query=None) -> list[str]:
    return [record["slug"] for record in get(client, path, query)["results"]]


# Programmes ------------------------------------------------------------------------


def test_programmes_are_listed_by_kind_then_name_on_one_page(client):
    h2020 = ProgrammeFactory(
        slug="h2020",
        name_fr="Horizon 2020",
        name_en="Horizon 2020",
        description_fr="Le programme-cadre.",
        description_en="The framework programme.",
    )
    ProgrammeFactory(
        slug="erc",
        kind=ProgrammeKind.EU_SCHEME,
        name_fr="Conseil européen de la recherche",
        name_en="European Research Council",
        parent=h2020,
    )
    ProgrammeFactory(slug="fp7", name_fr="7e PCRD", name_en="FP7")
    ProgrammeFactory(slug="secret", publication_status="draft")

    data = get(client, "/api/programmes/")

    assert [programme["slug"] for programme in data] == ["fp7", "h2020", "erc"]
    erc = data[2]
    assert erc["name"] == {
        "fr": "Conseil européen de la recherche",
        "en": "European Research Council",
    }
    assert erc["parent"] == "h2020"
    assert erc["kind"] == "eu_scheme"
    assert data[1]["description"] == {
        "fr": "Le programme-cadre.",
        "en": "The framework programme.",
    }
    assert data[1]["page"]["en"] == "http://testserver/en/programmes/h2020/"


def test_a_programme_under_a_draft_names_no_parent(client):
    ProgrammeFactory(slug="child", parent=ProgrammeFactory(publication_status="draft"))
    [child] = get(client, "/api/programmes/")
    assert child["parent"] is None


def test_draft_programme_is_not_given(client):
    ProgrammeFactory(slug="h2020")
    ProgrammeFactory(slug="secret", publication_status="draft")
    assert get(client, "/api/programmes/h2020/")["slug"] == "h2020"
    get(client, "/api/programmes/secret/", status=404)


def test_programme_list_query_count_does_not_grow(client, uncached):
    for _ in range(3):
        ProgrammeFactory(parent=ProgrammeFactory())
    few = queries_for(client, "/api/programmes/")
    for _ in range(22):
        ProgrammeFactory(parent=ProgrammeFactory())
    many = queries_for(client, "/api/programmes/")
    # The programmes with their parent.
    assert few == many == 1


# Grants ----------------------------------------------------------------------------


def test_grant_list_gives_published_grants_in_both_languages(client):
    erc = ProgrammeFactory(slug="erc")
    lab = UnitFactory(slug="jrl", code="IRL 3218", acronym="JRL")
    GrantFactory(
        slug="icecube",
        acronym="ICECUBE",
        programme=erc,
        title_fr="Étude des glaciers alpins",
        title_en="Alpine glacier dynamics",
        summary_fr="",
        summary_en="Glaciers.",
        laureate=PersonFactory(
            first_name="Hélène", last_name="Lefèvre", orcid="0000-0002-1825-0097"
        ),
        institute=InstituteFactory(code="INSU"),
        unit=lab,
    )
    GrantFactory(slug="secret", publication_status="draft")

    data = get(client, "/api/grants/")

    assert data["count"] == 1
    [shown] = data["results"]
    assert shown["slug"] == "icecube"
    assert shown["programme"] == "erc"
    assert shown["title"] == {
        "fr": "Étude des glaciers alpins",
        "en": "Alpine glacier dynamics",
    }
    assert shown["summary"] == {"fr": "", "en": "Glaciers."}
    assert shown["laureate"] == {
        "name": "Hélène Lefèvre",
        "orcid": "0000-0002-1825-0097",
    }
    assert shown["institute"] == "INSU"
    assert shown["unit"]["slug"] == "jrl"
    assert shown["unit"]["code"] == "IRL 3218"
    assert shown["scheme"] == "erc_stg"
    assert shown["panel"] == "PE1"
    assert shown["call_year"] == 2016
    assert shown["start_date"] == "2017-01-01"
    assert shown["amount"] == 1500000.0
    assert shown["page"]["fr"] == "http://testserver/fr/grants/icecube/"


def test_a_grant_names_its_draft_unit_and_programme_without_their_slug(client):
    GrantFactory(
        programme=ProgrammeFactory(publication_status="draft"),
        unit=UnitFactory(acronym="DRAFTLAB", publication_status="draft"),
        institute=None,
    )
    [shown] = get(client, "/api/grants/")["results"]
    assert shown["programme"] is None
    assert shown["unit"]["slug"] is None
    assert shown["unit"]["acronym"] == "DRAFTLAB"
    assert shown["institute"] is None


def test_draft_grant_is_not_given(client):
    GrantFactory(slug="icecube")
    GrantFactory(slug="secret", publication_status="draft")
    assert get(client, "/api/grants/icecube/")["slug"] == "icecube"
    get(client, "/api/grants/secret/", status=404)


def test_grant_list_filters_by_programme(client):
    GrantFactory(slug="old", programme=ProgrammeFactory(slug="horizon-2020"))
    GrantFactory(slug="new", programme=ProgrammeFactory(slug="horizon-europe"))

    assert slugs(client, "/api/grants/", {"programme": "horizon-2020"}) == ["old"]


@pytest.mark.parametrize("text", ["etude glaciers", "GLACIER DYNAMICS", "helene"])
def test_grant_list_text_search_ignores_accents_and_language(client, text):
    GrantFactory(
        slug="icecube",
        title_fr="Étude des glaciers alpins",
        title_en="Alpine glacier dynamics",
        laureate=PersonFactory(first_name="Hélène", last_name="Lefèvre"),
    )
    GrantFactory(slug="other", title_fr="Autre chose", title_en="Something else")

    assert slugs(client, "/api/grants/", {"q": text}) == ["icecube"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"programme": "nope"}, "programme", "“nope” is not one of the choices"),
        ({"scheme": "erc_xxl"}, "scheme", "“erc_xxl” is not one of the choices"),
        ({"year": "1999"}, "year", "There is no call year “1999”: years run from"),
        ({"since": "1999"}, "since", "There is no call year “1999”: years run from"),
        ({"since": "2020", "until": "2015"}, "non_field_errors", "comes after"),
        (
            {"year": "2015", "since": "2016"},
            "non_field_errors",
            "The call year (2015) comes before the first (2016).",
        ),
        (
            {"year": "2021", "until": "2016"},
            "non_field_errors",
            "The call year (2021) comes after the last (2016).",
        ),
    ],
)
def test_bad_grant_filter_is_a_400_with_the_fields_message(
    client, query, field, message
):
    GrantFactory()
    data = get(client, "/api/grants/", {**query, "lang": "en"}, status=400)
    assert message in data[field][0]


def add_grants(count):
    for index in range(count):
        GrantFactory(
            programme=ProgrammeFactory(),
            call_year=2010 + index % 12,
            laureate=PersonFactory(),
            institute=InstituteFactory(),
            unit=UnitFactory(),
        )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The programme choices, the published grants and projects of each
        # programme (counted once per content version), the count, the page.
        ({}, 5),
        # Besides: the laureates whose name holds the text, the count that tells
        # matches from near misses, the institutes and the programmes a text may
        # name (``kind_phrases``, read once per content version).
        ({"family": "erc", "q": "projet"}, 9),
        # Besides: the published grants of each call year, which the years offered
        # run to (``last_call_year``, read once per content version).
        ({"since": "2012", "until": "2018", "period": "completed"}, 6),
    ],
)
def test_grant_list_query_count_does_not_grow(client, uncached, query, expected):
    add_grants(3)
    few = queries_for(client, "/api/grants/", query)
    add_grants(22)
    many = queries_for(client, "/api/grants/", query)
    assert few == many == expected


def test_the_grants_orders_are_described_one_value_each(client):
    schema = client.get("/api/schema/", {"lang": "en"}).json()
    (ordering,) = [
        parameter
        for parameter in schema["paths"]["/api/grants/"]["get"]["parameters"]
        if parameter["name"] == "ordering"
    ]
    values = ["latest", "year", "acronym", "-acronym", "laureate", "-laureate"]
    assert ordering["schema"]["items"]["enum"] == sorted(values)
    # "-year" was described as "Oldest calls first (descending)": the latest
    # calls first, which "latest" already is.
    assert "`-year`" not in ordering["description"]
    assert "* `latest` - Latest calls first" in ordering["description"]
    assert "* `year` - Oldest calls first" in ordering["description"]


def test_the_latest_calls_first_are_still_given_by_links_naming_minus_year(client):
    # Links out there name it: taken as the list's own order, in any case.
    GrantFactory(slug="older", call_year=2015)
    GrantFactory(slug="later", call_year=2023)
    for value in ("-year", "-YEAR", "latest", "-year,acronym"):
        assert slugs(client, "/api/grants/", {"ordering": value}) == ["later", "older"]
    assert slugs(client, "/api/grants/", {"ordering": "year"}) == ["older", "later"]


def test_a_grant_gives_the_country_of_its_joint_unit(client):
    """What the grants page filters by ("Country of the joint unit")."""
    GrantFactory(slug="dynamo", unit=UnitFactory(country="BR"))
    GrantFactory(slug="nounit", unit=None)

    given = {
        record["slug"]: record["country"]
        for record in get(client, "/api/grants/")["results"]
    }

    assert given == {"dynamo": "BR", "nounit": None}
    assert get(client, "/api/grants/dynamo/")["country"] == "BR"
    found = get(client, "/api/grants/", {"country": "BR"})["results"]
    assert [record["slug"] for record in found] == ["dynamo"]


def test_grant_detail_query_count_does_not_grow(client, uncached):
    add_grants(3)
    grant = GrantFactory(unit=UnitFactory())
    few = queries_for(client, f"/api/grants/{grant.slug}/")
    add_grants(22)
    many = queries_for(client, f"/api/grants/{grant.slug}/")
    # The grant with its laureate, institute, programme and unit.
    assert few == many == 1


# Projects --------------------------------------------------------------------------


def test_project_list_gives_published_projects_in_both_languages(client):
    ProjectFactory(
        slug="tascmar",
        programme=ProgrammeFactory(slug="h2020"),
        title_fr="Outils marins",
        title_en="Marine tools",
    )
    ProjectFactory(slug="secret", publication_status="draft")

    data = get(client, "/api/projects/")

    assert data["count"] == 1
    [shown] = data["results"]
    assert shown["slug"] == "tascmar"
    assert shown["programme"] == "h2020"
    assert shown["title"] == {"fr": "Outils marins", "en": "Marine tools"}
    assert shown["kind"] == "eu_project"
    assert shown["cnrs_role"] == "coordinator"
    assert shown["eu_contribution"] == 6700000.0
    assert "participants" not in shown


def test_project_detail_gives_its_participants_and_published_units(client):
    # Kyoto coordinates it: the CNRS takes part.
    project = ProjectFactory(slug="tascmar", cnrs_role="participant")
    ProjectParticipantFactory(
        project=project,
        partner=PartnerFactory(slug="kyoto", name_fr="Kyoto", name_en="Kyoto U."),
        role=ParticipantRole.COORDINATOR,
        eu_contribution="1000.00",
    )
    ProjectParticipantFactory(
        project=project,
        partner=PartnerFactory(
            publication_status="draft", name_fr="Brouillon", name_en="Draft"
        ),
        country="KR",
    )
    project.units.add(
        UnitFactory(slug="jrl", acronym="JRL"),
        UnitFactory(slug="secret", publication_status="draft"),
    )

    shown = get(client, "/api/projects/tascmar/")

    assert shown["participants"] == [
        {
            "partner": {"slug": "kyoto", "name": {"fr": "Kyoto", "en": "Kyoto U."}},
            "role": "coordinator",
            "country": "JP",
            "eu_contribution": 1000.0,
        },
        {
            "partner": {"slug": None, "name": {"fr": "Brouillon", "en": "Draft"}},
            "role": "participant",
            "country": "KR",
            "eu_contribution": None,
        },
    ]
    assert [unit["slug"] for unit in shown["units"]] == ["jrl"]
    # As the list gives them.
    assert shown["participant_countries"] == ["JP", "KR"]


def test_a_project_gives_the_countries_its_participants_take_part_from(client):
    """What the projects page filters by: a participation's own country, else
    its institution's, each once, sorted."""
    project = ProjectFactory(slug="tascmar")
    ProjectParticipantFactory(project=project, partner=PartnerFactory(country="JP"))
    ProjectParticipantFactory(project=project, partner=PartnerFactory(country="JP"))
    ProjectParticipantFactory(
        project=project, partner=PartnerFactory(country="JP"), country="FR"
    )
    ProjectParticipantFactory(project=project, partner=PartnerFactory(country="BR"))
    ProjectFactory(slug="alone")

    given = {
        record["slug"]: record["participant_countries"]
        for record in get(client, "/api/projects/")["results"]
    }

    assert given == {"tascmar": ["BR", "FR", "JP"], "alone": []}
    for country in ("BR", "FR", "JP"):
        found = get(client, "/api/projects/", {"country": country})["results"]
        assert [record["slug"] for record in found] == ["tascmar"]


def test_draft_project_is_not_given(client):
    ProjectFactory(slug="secret", publication_status="draft")
    assert get(client, "/api/projects/")["count"] == 0
    get(client, "/api/projects/secret/", status=404)


def test_project_list_filters_by_kind_and_participants_country(client):
    ProjectParticipantFactory(
        project=ProjectFactory(slug="eu-jp"), partner=PartnerFactory(country="JP")
    )
    ProjectParticipantFactory(
        project=ProjectFactory(slug="irp-jp", kind=ProjectKind.IRP),
        partner=PartnerFactory(country="JP"),
    )
    ProjectParticipantFactory(
        project=ProjectFactory(slug="eu-br"), partner=PartnerFactory(country="BR")
    )

    assert sorted(slugs(client, "/api/projects/", {"country": "JP"})) == [
        "eu-jp",
        "irp-jp",
    ]
    assert slugs(client, "/api/projects/", {"country": "jp", "kind": "irp"}) == [
        "irp-jp"
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "“ZZ” is not a country code"),
        ({"kind": "nope"}, "kind", "“nope” is not one of the choices for “Kind”"),
    ],
)
def test_bad_project_filter_is_a_400_with_the_fields_message(
    client, query, field, message
):
    ProjectFactory()
    data = get(client, "/api/projects/", {**query, "lang": "en"}, status=400)
    assert message in data[field][0]


def add_projects(count):
    for _ in range(count):
        project = ProjectFactory(programme=ProgrammeFactory())
        ProjectParticipantFactory(project=project)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The programme choices, the published grants and projects of each
        # programme (counted once per content version), the count, the page, its
        # participations (their countries).
        ({}, 6),
        # The projects with a participant in the country: a subquery of each.
        ({"country": "JP", "kind": "eu_project"}, 6),
        ({"period": "completed"}, 6),
        # Besides: the years projects run in, which the year is checked against
        # (``project_years``, read once per content version). The orders add none.
        ({"year": "2016", "ordering": "-start"}, 7),
        ({"ordering": "title"}, 6),
    ],
)
def test_project_list_query_count_does_not_grow(client, uncached, query, expected):
    add_projects(3)
    few = queries_for(client, "/api/projects/", query)
    add_projects(22)
    many = queries_for(client, "/api/projects/", query)
    assert few == many == expected


def test_project_detail_query_count_does_not_grow(client, uncached):
    small, large = ProjectFactory(), ProjectFactory()
    for project, count in ((small, 3), (large, 25)):
        for _ in range(count):
            ProjectParticipantFactory(project=project)
            project.units.add(UnitFactory())
    # The project with its programme, its participations with their partners, its
    # published units.
    assert (
        queries_for(client, f"/api/projects/{small.slug}/")
        == queries_for(client, f"/api/projects/{large.slug}/")
        == 3
    )


def test_the_openapi_description_documents_programmes_grants_and_projects(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert {
        "/api/programmes/",
        "/api/grants/",
        "/api/grants/{slug}/",
        "/api/projects/",
        "/api/projects/{slug}/",
    } <= set(schema["paths"])
    parameters = {
        parameter["name"]
        for parameter in schema["paths"]["/api/projects/"]["get"]["parameters"]
    }
    assert {"q", "kind", "programme", "challenge", "country", "cnrs_role"} <= parameters
    assert "ProjectDetail" in schema["components"]["schemas"]
    described = schema["components"]["schemas"]
    country = described["Grant"]["properties"]["country"]
    assert (country["type"], country["nullable"]) == ("string", True)
    countries = described["Project"]["properties"]["participant_countries"]
    assert countries["type"] == "array"
    assert countries["items"] == {"type": "string"}
