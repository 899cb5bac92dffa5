"""A person's ORCID iD, typed bare or pasted as its link, finds their records
as the identifiers of the records themselves do (ROR ids, PICs, CORDIS ids:
tests/test_identifiers_searched.py): the grants they hold (laureate) on the
grants list, the global search and the API, the units they direct on the units
list (``related_identifier_condition`` in partners/searchable.py, the
identifiers ``Person`` declares); an ORCID nobody has finds nothing, and offers
no near misses of its digits."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cnrs_intl.search import global_search
from programmes.models import Grant
from tests.factories import (
    GrantFactory,
    PartnerFactory,
    PersonFactory,
    UnitFactory,
)
from tests.plans import plan
from tests.search_groups import by_key
from units.models import Person, Unit

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"
# Well formed, its check digit right, and nobody's.
NOBODY = "0000-0000-0000-1899"


@pytest.fixture
def people():
    carberry = PersonFactory(first_name="Josiah", last_name="Carberry", orcid=ORCID)
    other = PersonFactory(
        first_name="Ada", last_name="Lovelace", orcid="0000-0001-5109-3700"
    )
    return {
        "grant": GrantFactory(acronym="PSYCHO", laureate=carberry),
        "other_grant": GrantFactory(acronym="ENGINE", laureate=other),
        # Digits near those of the ORCIDs typed, in a title and an identifier.
        "digits": GrantFactory(
            acronym="ARCHIVE",
            title_en="Letters of 1899",
            title_fr="Lettres de 1899",
            cordis_id="101018250",
        ),
        "partner": PartnerFactory(
            name_en="Foundation 1899", name_fr="Fondation 1899", pic="900000189"
        ),
        "unit": UnitFactory(acronym="BROWN", director=carberry),
        "other_unit": UnitFactory(acronym="BABBAGE", director=other),
    }


@pytest.mark.parametrize(
    "text",
    [
        ORCID,
        f" {ORCID} ",
        f"https://orcid.org/{ORCID}",
        f"http://orcid.org/{ORCID}/",
        f"orcid.org/{ORCID}",
        f"ORCID {ORCID}",
    ],
)
def test_a_grant_is_found_by_its_laureates_orcid(people, text):
    assert list(Grant.objects.public().search(text)) == [people["grant"]]
    assert list(Unit.objects.public().search(text)) == [people["unit"]]


def test_an_orcid_ending_in_x_is_found_in_any_case():
    person = PersonFactory(orcid="0000-0003-4444-444X")
    grant = GrantFactory(laureate=person)
    assert list(Grant.objects.public().search("0000-0003-4444-444x")) == [grant]


def test_an_orcid_is_found_on_the_lists_the_global_search_and_the_api(client, people):
    for url in (f"https://orcid.org/{ORCID}", ORCID):
        listed = client.get("/fr/grants/", {"q": url})
        assert listed.status_code == 200
        assert list(listed.context["object_list"]) == [people["grant"]]
        units = client.get("/fr/units/", {"q": url})
        assert list(units.context["object_list"]) == [people["unit"]]
        groups = by_key(global_search(url))
        assert groups["grants"].records == [people["grant"]]
        assert groups["units"].records == [people["unit"]]
        answered = client.get("/api/grants/", {"q": url}).json()
        assert [grant["acronym"] for grant in answered["results"]] == ["PSYCHO"]
        answered = client.get("/api/units/", {"q": url}).json()
        assert [unit["acronym"] for unit in answered["results"]] == ["BROWN"]


@pytest.mark.parametrize("text", [NOBODY, f"https://orcid.org/{NOBODY}"])
def test_an_orcid_nobody_has_finds_nothing(client, people, text):
    assert list(Grant.objects.public().search(text)) == []
    listed = client.get("/fr/grants/", {"q": text})
    assert listed.status_code == 200
    assert list(listed.context["object_list"]) == []
    assert "near_misses_of" not in listed.context
    groups = by_key(global_search(text))
    assert not any(group.total for group in groups.values())
    answered = client.get("/api/grants/", {"q": text}).json()
    assert (answered["count"], answered["near_misses"]) == (0, False)


def test_the_queries_of_an_orcid_searched_do_not_grow_with_the_grants(client, people):
    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/fr/grants/", {"q": ORCID}).status_code == 200
        return len(queries)

    few = count()
    carberry = people["grant"].laureate
    for _number in range(5):
        GrantFactory(laureate=carberry)
        GrantFactory()
    assert count() == few


@pytest.mark.postgresql
def test_the_people_are_read_from_their_orcid_index():
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    lookups = Grant.objects.none().related_identifier(f"https://orcid.org/{ORCID}")
    assert lookups == {"orcid": ORCID}
    result = plan(Person.objects.filter(**lookups).order_by())
    assert "person_unique_orcid" in result, result
