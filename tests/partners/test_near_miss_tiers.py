"""The near misses of one word mistyped ("universte"), many, are read closeness
by closeness (``NearMissTiers``, partners/searchable.py): the same rows in the
same order as the one query that ranks every near miss, on both databases,
across the tiers, the texts too long for the index of lengths, and a walk given
up for a sort."""

import pytest

from partners import searchable
from partners.models import Partner
from partners.pagination import rows_between
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

NAMES = [
    # "universite", the closest correction, at several lengths.
    "Université de Lyon",
    "Universite",
    "Université Paris Cité",
    "Université de Lyon",  # the same length: by id
    "Université de Strasbourg et de ses nombreux campus",  # longer than indexed
    # As close as each other: one tier, by length.
    "University of Oxford",
    "Università di Bologna",
    "Universitat",
    # Further.
    "Universidad de Chile",
    "Universität Wien und Graz",
    # Holding two corrections: the closest counts.
    "Universite University",
    # Not near misses.
    "CNRS",
    "Institut Pasteur",
]


@pytest.fixture
def partners(monkeypatch):
    monkeypatch.setattr(searchable, "SIMILARITY_RANKED_AT_MOST", 0)
    monkeypatch.setattr(searchable, "NEAR_MISSES_TIERED", 1)
    monkeypatch.setattr(searchable, "LENGTH_INDEXED", 40)
    return [PartnerFactory(name_fr=name, name_en=name, city="") for name in NAMES]


def near_misses(text):
    found, near_misses = Partner.objects.public().search_or_near_misses(text)
    assert near_misses
    return found.best_matches_first(text, near_misses=True)


WINDOWS = [(0, 20), (0, 3), (2, 6), (4, 9), (8, 11), (10, 20)]


@pytest.mark.parametrize("text", ["universte", "univrsity"])
def test_tiers_give_the_order_of_one_query(partners, text):
    records = near_misses(text)
    assert isinstance(records.query.best_match_tiers, searchable.NearMissTiers)
    expected = list(records.values_list("pk", flat=True))
    assert len(expected) >= 10
    for low, high in WINDOWS:
        assert records.tiered_ids(low, high) == expected[low:high], (low, high)
        page = rows_between(records, low, high)
        assert [partner.pk for partner in page] == expected[low:high]


def test_a_walk_given_up_sorts_the_tier(monkeypatch, partners):
    monkeypatch.setattr(searchable, "read_within", lambda rows, milliseconds: None)
    records = near_misses("universte")
    expected = list(records.values_list("pk", flat=True))
    for low, high in WINDOWS:
        assert records.tiered_ids(low, high) == expected[low:high], (low, high)


def test_the_list_pages_read_the_tiers(client, partners):
    names = [
        partner.name
        for partner in client.get("/fr/partners/", {"q": "universte"})
        .context["page_obj"]
        .object_list
    ]
    assert names[:5] == [
        "Universite",
        "Université de Lyon",
        "Université de Lyon",
        "Université Paris Cité",
        "Universite University",
    ], names
    assert "CNRS" not in names and len(names) == 11


def test_few_near_misses_or_far_pages_are_ranked_in_one_query(monkeypatch, partners):
    records = near_misses("universte")
    monkeypatch.setattr(searchable, "NEAR_MISSES_WALKED_AT_MOST", 5)
    assert records.tiered_ids(0, 5) is not None
    assert records.tiered_ids(0, 6) is None  # rows further than 5 in
    monkeypatch.setattr(searchable, "NEAR_MISSES_TIERED", 100)
    assert records.tiered_ids(0, 5) is None
    assert list(rows_between(records, 0, 3)) == list(records)[:3]


def test_several_words_mistyped_are_ranked_in_one_query(partners):
    records = near_misses("universte strasbourgg")
    assert getattr(records.query, "best_match_tiers", None) is None
