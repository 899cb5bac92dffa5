"""The public API's units and institutes: published only, both languages, the
list's filters, bad input, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_client import get
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import PartnerRole, UnitKind

pytestmark = pytest.mark.django_db


def slugs(client, query=None) -> list[str]:
    return [unit["slug"] for unit in get(client, "/api/units/", query)["results"]]


# The list --------------------------------------------------------------------------


def test_unit_list_gives_published_units_in_both_languages(client):
    insb = InstituteFactory(code="INSB", slug="insb")
    unit = UnitFactory(
        slug="jrl",
        acronym="JRL",
        code="IRL 3218",
        name_fr="Laboratoire commun de robotique",
        name_en="Joint Robotics Laboratory",
        themes_fr="Robotique humanoïde",
        themes_en="Humanoid robotics",
        country="JP",
        director=PersonFactory(
            first_name="Abderrahmane", last_name="Kheddar", orcid="0000-0001-9033-9742"
        ),
        director_title_fr="Directeur depuis 2008",
        director_title_en="Director since 2008",
    )
    unit.secondary_institutes.add(insb)
    UnitFactory(slug="secret", publication_status="draft")

    data = get(client, "/api/units/")

    assert data["count"] == 1
    [shown] = data["results"]
    assert shown["slug"] == "jrl"
    assert shown["code"] == "IRL 3218"
    assert shown["kind"] == "irl"
    assert shown["name"] == {
        "fr": "Laboratoire commun de robotique",
        "en": "Joint Robotics Laboratory",
    }
    assert shown["themes"] == {"fr": "Robotique humanoïde", "en": "Humanoid robotics"}
    assert shown["city"] == {"fr": "Tokyo", "en": "Tokyo"}
    assert shown["country"] == "JP"
    assert shown["latitude"] == 35.6895
    assert shown["lead_institute"] == unit.lead_institute.code
    assert shown["secondary_institutes"] == ["INSB"]
    assert shown["director"] == {
        "name": "Abderrahmane Kheddar",
        "orcid": "0000-0001-9033-9742",
    }
    # The director's title at this unit: a person's own may be another unit's role.
    assert shown["director_title"] == {
        "fr": "Directeur depuis 2008",
        "en": "Director since 2008",
    }
    assert shown["status"] == "active"
    assert shown["page"] == {
        "fr": "http://testserver/fr/units/jrl/",
        "en": "http://testserver/en/units/jrl/",
    }
    assert "partners" not in shown


def test_a_text_not_translated_yet_is_empty_not_the_other_language(client):
    UnitFactory(
        name_fr="Laboratoire",
        name_en="",
        description_en="",
        director_title_fr="Directeur par intérim",
    )
    [shown] = get(client, "/api/units/")["results"]
    assert shown["name"] == {"fr": "Laboratoire", "en": ""}
    assert shown["description"] == {"fr": "Un laboratoire commun.", "en": ""}
    assert shown["director_title"] == {"fr": "Directeur par intérim", "en": ""}


def test_a_unit_without_a_title_for_its_director_gives_it_empty(client):
    # Not null, not the person's own title: a client tells one from the other.
    UnitFactory(slug="jrl")
    [listed] = get(client, "/api/units/")["results"]
    assert listed["director_title"] == {"fr": "", "en": ""}
    assert get(client, "/api/units/jrl/")["director_title"] == {"fr": "", "en": ""}


def test_a_unit_without_director_has_none(client):
    UnitFactory(director=None)
    [shown] = get(client, "/api/units/")["results"]
    assert shown["director"] is None


def test_unit_list_filters_by_country_and_kind(client):
    UnitFactory(slug="jrl", country="JP")
    UnitFactory(slug="ifre", country="JP", kind=UnitKind.UMIFRE)
    UnitFactory(slug="impa", country="BR")

    assert sorted(slugs(client, {"country": "JP"})) == ["ifre", "jrl"]
    assert slugs(client, {"country": "jp", "kind": "umifre"}) == ["ifre"]


def test_unit_list_filters_by_institute_code_or_slug(client):
    insb = InstituteFactory(code="INSB", slug="insb")
    UnitFactory(slug="led", lead_institute=insb)
    UnitFactory(slug="helped").secondary_institutes.add(insb)
    UnitFactory(slug="other")

    assert sorted(slugs(client, {"institute": "insb"})) == ["helped", "led"]
    assert sorted(slugs(client, {"institute": "INSB"})) == ["helped", "led"]


@pytest.mark.parametrize("text", ["mecanique", "MÉCANIQUE", "solid mechanics"])
def test_unit_list_text_search_ignores_accents_and_language(client, text):
    UnitFactory(
        slug="lms",
        name_fr="Laboratoire de mécanique des solides",
        name_en="Solid mechanics laboratory",
    )
    UnitFactory(slug="other", name_fr="Autre chose", name_en="Something else")

    data = get(client, "/api/units/", {"q": text})

    assert [unit["slug"] for unit in data["results"]] == ["lms"]
    assert data["near_misses"] is False


def test_unit_list_sorts_by_name_in_the_language_asked(client):
    UnitFactory(slug="a", name_fr="Zoologie", name_en="Animal studies")
    UnitFactory(slug="b", name_fr="Biologie", name_en="Zymology")

    assert slugs(client, {"ordering": "name"}) == ["b", "a"]
    assert slugs(client, {"ordering": "name", "lang": "en"}) == ["a", "b"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "“ZZ” is not a country code"),
        ({"kind": "nope"}, "kind", "“nope” is not one of the choices for “Kind"),
        ({"institute": "nope"}, "institute", "“nope” is not one of the choices"),
        (
            {"ordering": "password"},
            "ordering",
            "“password” is not one of the choices for “Sort by”",
        ),
    ],
)
def test_bad_filter_is_a_400_with_the_fields_message(client, query, field, message):
    UnitFactory()
    data = get(client, "/api/units/", {**query, "lang": "en"}, status=400)
    assert message in data[field][0]


def test_bad_filter_message_is_in_french_by_default(client):
    data = get(client, "/api/units/", {"kind": "nope"}, status=400)
    assert "«\u00a0nope\u00a0» ne fait pas partie des choix" in data["kind"][0]


def list_queries(client, count: int) -> int:
    for index in range(count):
        unit = UnitFactory(country=["JP", "BR", "DE"][index % 3])
        unit.secondary_institutes.add(InstituteFactory(), InstituteFactory())
        UnitPartnershipFactory(unit=unit)
    with CaptureQueriesContext(connection) as queries:
        get(client, "/api/units/", {"status": "active", "ordering": "country"})
    return len(queries)


def test_unit_list_query_count_does_not_grow_with_the_units(client, uncached):
    few = list_queries(client, 3)
    many = list_queries(client, 22)
    # The country choices (aggregate), the count, the page of units with their
    # lead institute and director, their secondary institutes.
    assert few == many == 4


# One unit --------------------------------------------------------------------------


def test_unit_detail_gives_its_partners_and_published_records(client):
    unit = UnitFactory(slug="jrl")
    UnitPartnershipFactory(
        unit=unit,
        partner=PartnerFactory(slug="aist", name_fr="AIST", name_en="AIST"),
        role=PartnerRole.HOST,
    )
    UnitPartnershipFactory(
        unit=unit,
        partner=PartnerFactory(
            publication_status="draft", name_fr="Brouillon", name_en="Draft"
        ),
        role=PartnerRole.FUNDER,
    )
    GrantFactory(unit=unit, slug="humanoid", acronym="HUMANOID")
    GrantFactory(unit=unit, publication_status="draft")
    ProjectFactory(slug="tascmar", acronym="TASCMAR").units.add(unit)
    ProjectFactory(publication_status="draft").units.add(unit)
    TestimonyFactory(
        unit=unit,
        quote="Robots are great.",
        language="en",
        person=PersonFactory(first_name="Ada", last_name="Lovelace"),
    )
    TestimonyFactory(unit=unit, publication_status="draft")

    shown = get(client, "/api/units/jrl/")

    assert shown["slug"] == "jrl"
    assert shown["partners"] == [
        {
            "partner": {"slug": "aist", "name": {"fr": "AIST", "en": "AIST"}},
            "role": "host",
        },
        {
            "partner": {"slug": None, "name": {"fr": "Brouillon", "en": "Draft"}},
            "role": "funder",
        },
    ]
    assert [grant["slug"] for grant in shown["grants"]] == ["humanoid"]
    assert shown["grants"][0]["acronym"] == "HUMANOID"
    assert set(shown["grants"][0]["title"]) == {"fr", "en"}
    assert [project["slug"] for project in shown["projects"]] == ["tascmar"]
    assert shown["testimonies"] == [
        {
            "quote": "Robots are great.",
            "language": "en",
            "person": "Ada Lovelace",
            "role": {"fr": "Directeur de laboratoire", "en": "Laboratory director"},
        }
    ]


def test_draft_unit_is_not_given(client):
    UnitFactory(slug="secret", publication_status="draft")
    assert get(client, "/api/units/")["count"] == 0
    get(client, "/api/units/secret/", status=404)


def test_a_list_filter_does_not_hide_a_unit_asked_by_its_slug(client):
    UnitFactory(slug="jrl", country="JP")
    assert get(client, "/api/units/jrl/", {"country": "BR"})["slug"] == "jrl"


def unit_with(count: int):
    unit = UnitFactory()
    for _ in range(count):
        unit.secondary_institutes.add(InstituteFactory())
        UnitPartnershipFactory(unit=unit)
        GrantFactory(unit=unit)
        ProjectFactory().units.add(unit)
        TestimonyFactory(unit=unit)
    return unit


def test_unit_detail_query_count_does_not_grow_with_its_relations(client, uncached):
    counts = []
    for unit in (unit_with(3), unit_with(12)):
        with CaptureQueriesContext(connection) as queries:
            get(client, f"/api/units/{unit.slug}/")
        counts.append(len(queries))
    # The unit with its lead institute and director, then one query each for its
    # secondary institutes, partnerships, grants, projects and testimonies.
    assert counts == [6, 6]


# Institutes ------------------------------------------------------------------------


def test_institutes_are_listed_by_code_on_one_page(client):
    InstituteFactory(code="INSIS", slug="insis", name_fr="Ingénierie", name_en="")
    InstituteFactory(code="INSB", slug="insb", name_fr="Biologie", name_en="Biology")

    data = get(client, "/api/institutes/")

    assert [institute["code"] for institute in data] == ["INSB", "INSIS"]
    assert data[0]["name"] == {"fr": "Biologie", "en": "Biology"}
    assert data[1]["name"] == {"fr": "Ingénierie", "en": ""}
    assert get(client, "/api/institutes/insb/")["code"] == "INSB"
    get(client, "/api/institutes/nope/", status=404)


def test_institute_list_query_count_does_not_grow(client, uncached):
    InstituteFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        get(client, "/api/institutes/")
    InstituteFactory.create_batch(7)
    with CaptureQueriesContext(connection) as many:
        get(client, "/api/institutes/")
    assert len(few) == len(many) == 1


def test_the_openapi_description_documents_the_units_and_institutes(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert {"/api/units/", "/api/units/{slug}/", "/api/institutes/"} <= set(
        schema["paths"]
    )
    parameters = {
        parameter["name"]
        for parameter in schema["paths"]["/api/units/"]["get"]["parameters"]
    }
    assert {"q", "kind", "institute", "country", "region", "status"} <= parameters
    assert schema["components"]["schemas"]["UnitKind"]["enum"] == ["irl", "umifre"]
    for name in ("Unit", "UnitDetail"):
        title = schema["components"]["schemas"][name]["properties"]["director_title"]
        assert set(title["properties"]) == {"fr", "en"}
        assert title["description"].startswith(
            "Le titre de la personne à la direction dans cette unité"
        )
    english = client.get("/api/schema/", {"format": "json", "lang": "en"}).json()
    title = english["components"]["schemas"]["Unit"]["properties"]["director_title"]
    assert title["description"].startswith("The director’s title at this unit")


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("year", ["old", "new", "unknown"]), ("-year", ["new", "old", "unknown"])],
)
def test_unit_list_puts_the_units_of_no_known_year_last(client, ordering, expected):
    UnitFactory(slug="unknown", acronym="AAA", creation_year=None)
    UnitFactory(slug="old", acronym="BBB", creation_year=1995)
    UnitFactory(slug="new", acronym="CCC", creation_year=2015)
    assert slugs(client, {"ordering": ordering}) == expected
