"""The grant list sorted by laureate: accents and case ignored, read from an index."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from programmes.filters import GrantFilterSet
from tests.factories import GrantFactory, PersonFactory
from tests.plans import plan

pytestmark = pytest.mark.django_db

LAUREATES = [
    ("Anne", "Ávila"),
    ("Louis", "de Broglie"),
    ("Abderrahmane", "Kheddar"),
    ("Élodie", "Martin"),
    ("zoé", "Martin"),
    ("Ayşe", "Öztürk"),
    ("Roland", "Pellenq"),
]


@pytest.fixture
def laureates():
    # Created out of order, so that neither the ids nor the acronyms give it.
    for first_name, last_name in reversed(LAUREATES):
        GrantFactory(
            acronym=f"{last_name} {first_name}".upper(),
            laureate=PersonFactory(first_name=first_name, last_name=last_name),
        )


def laureates_in(data) -> list[tuple[str, str]]:
    filterset = GrantFilterSet(data)
    assert filterset.is_valid(), filterset.errors
    return [
        (grant.laureate.first_name, grant.laureate.last_name) for grant in filterset.qs
    ]


def test_laureates_sort_without_accents_or_case(laureates):
    # Ávila had come after Pellenq, Öztürk first of the descending order.
    assert laureates_in({"ordering": "laureate"}) == LAUREATES
    assert laureates_in({"ordering": "-laureate"}) == LAUREATES[::-1]


def test_the_matches_of_a_search_sort_by_laureate_too(laureates):
    GrantFactory(title_fr="Autre chose", title_en="Something else")

    assert laureates_in({"ordering": "laureate", "q": "projet"}) == LAUREATES
    assert laureates_in({"ordering": "-laureate", "q": "projet"}) == LAUREATES[::-1]


def test_grants_of_one_laureate_keep_a_stable_order():
    laureate = PersonFactory(last_name="Curie")
    grants = [GrantFactory(laureate=laureate) for _ in range(3)]

    for ordering in ("laureate", "-laureate"):
        filterset = GrantFilterSet({"ordering": ordering})
        assert list(filterset.qs) == grants


def test_the_grant_page_lists_them_in_that_order(client, laureates):
    with translation.override("fr"):
        url = reverse("programmes:grant-list")

    response = client.get(url, {"ordering": "laureate"})

    assert response.status_code == 200
    shown = [grant.laureate.last_name for grant in response.context["object_list"]]
    assert shown == [last_name for _first_name, last_name in LAUREATES]


# --- PostgreSQL reads a page from the index of folded names (programmes 0013) ---------


@pytest.fixture
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only")


@pytest.mark.postgresql
@pytest.mark.usefixtures("_postgresql_only")
@pytest.mark.parametrize("ordering", ["laureate", "-laureate"])
def test_a_page_sorted_by_laureate_reads_the_index_of_folded_names(ordering):
    GrantFactory.create_batch(3)
    filterset = GrantFilterSet({"ordering": ordering})
    with connection.cursor() as cursor:
        # A laureate's grants still sort by id (an incremental sort); any other
        # way to the order is a full sort, which this leaves out.
        cursor.execute("SET LOCAL enable_sort = off")

    result = plan(filterset.qs[:20])

    assert "person_folded_name" in result, result


@pytest.mark.postgresql
@pytest.mark.usefixtures("_postgresql_only")
def test_a_searchs_matches_sorted_by_laureate_are_sorted_once_found():
    # Along the index, PostgreSQL tested each person's grants for the words: 2 to
    # 10 s for a laureate's name at 100,000 grants. With sorts disabled, a Sort
    # still in the plan means no index gives the order.
    GrantFactory.create_batch(3, title_fr="Climat de l'océan")
    filterset = GrantFilterSet({"ordering": "laureate", "q": "ocean climat"})

    result = plan(filterset.qs[:20], ordered=True)

    assert "person_folded_name" not in result, result
    assert result.split("\n")[1].strip().startswith("->  Sort "), result
