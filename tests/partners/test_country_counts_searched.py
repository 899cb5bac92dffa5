"""The country choices of a text search count its matches unsorted: the records
the other filters keep (``without_country``) are not ranked best first, which the
counts drop, and are counted as the list shows them, on both databases."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.filters import PartnerFilterSet
from partners.models import Partner
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(uncached):
    """Each request builds its page."""


@pytest.fixture
def partners():
    for name, acronym, city, country, kind in [
        ("University of Tokyo", "UTokyo", "Tokyo", "JP", "university"),
        ("Tokyo Institute of Technology", "Tokyo Tech", "Tokyo", "JP", "university"),
        ("Japan Tokyo Research Centre", "", "Tokyo", "JP", "research_organisation"),
        ("Maison franco-japonaise", "MFJ", "Tokyo", "JP", "public_body"),
        ("Tokyo Foundation", "", "São Paulo", "BR", "other"),
        ("Technical University of Munich", "TUM", "Munich", "DE", "university"),
        ("Technical University of Berlin", "TUB", "Berlin", "DE", "university"),
        ("Max Planck Institute for Plasma Physics", "IPP", "Garching", "DE", "other"),
        ("University of São Paulo", "USP", "São Paulo", "BR", "university"),
    ]:
        PartnerFactory(
            name_fr=name,
            name_en=name,
            original_name=name,
            acronym=acronym,
            city_fr=city,
            city_en=city,
            country=country,
            kind=kind,
        )


def filterset_of(data):
    filterset = PartnerFilterSet(data, queryset=Partner.objects.public())
    # As the pages' lists: records holding most words when nothing else.
    filterset.offers_most_words = True
    assert filterset.is_valid(), filterset.errors
    return filterset


SEARCHES = [
    {"q": "tokyo"},  # matches, names first then cities
    {"q": "tokyo", "kind": "university"},  # with another filter
    {"q": "tokyo", "country": "JP"},  # a country chosen: every country counted
    {"q": "tokyo", "ordering": "city"},  # another order chosen
    {"q": "university"},  # a kind named alone
    {"q": "tokio"},  # near misses
    {"q": "Technical University of Munich Garching"},  # most words but one
]


@pytest.mark.parametrize("data", SEARCHES, ids=lambda data: "&".join(data.values()))
def test_the_country_choices_count_the_records_the_list_shows_in_each_country(
    partners, data
):
    anywhere = {name: value for name, value in data.items() if name != "country"}
    shown = Counter(partner.country for partner in filterset_of(anywhere).qs)
    assert shown  # each search finds some records

    filterset = filterset_of(data)
    list(filterset.qs)
    records = filterset.without_country()

    assert records.country_counts() == shown
    assert filterset.others_country_counts() == shown


@pytest.mark.parametrize("data", SEARCHES, ids=lambda data: "&".join(data.values()))
def test_the_records_counted_are_not_sorted(partners, data):
    filterset = filterset_of(data)
    near_misses, most_words = filterset.near_misses, filterset.most_words
    records = filterset.without_country()

    # In the list's own order (by name), not ranked.
    assert records.query.order_by == filterset.queryset.query.order_by
    assert "_best_match" not in records.query.annotations
    assert not filterset.counting
    # The list's own state, that the text filter set, is left as it was.
    assert (filterset.near_misses, filterset.most_words) == (near_misses, most_words)
    with CaptureQueriesContext(connection) as queries:
        records.country_counts()
    assert "ORDER BY" not in queries.captured_queries[-1]["sql"].upper()


@pytest.mark.parametrize("data", SEARCHES, ids=lambda data: "&".join(data.values()))
def test_the_list_itself_is_still_sorted(partners, data):
    filterset = filterset_of(data)
    filterset.without_country()

    assert filterset.qs.query.order_by != filterset.queryset.query.order_by
    assert [partner.pk for partner in filterset.qs] == [
        partner.pk for partner in filterset_of(data).qs
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_searched_pages_country_choices_are_counted(client, partners, language):
    response = client.get(
        f"/{language}/partners/", {"q": "tokyo", "kind": "university"}
    )

    assert response.status_code == 200
    choices = dict(response.context["filter"].form.fields["country"].choices)
    japan = "Japon" if language == "fr" else "Japan"
    assert choices["JP"] == f"{japan} (2)"
    assert "BR" not in choices


def test_the_searches_cover_near_misses_and_most_words(partners):
    tokio = filterset_of({"q": "tokio"})
    list(tokio.qs)
    garching = filterset_of({"q": "Technical University of Munich Garching"})
    list(garching.qs)

    assert tokio.near_misses
    assert garching.most_words
