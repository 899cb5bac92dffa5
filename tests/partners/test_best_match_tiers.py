"""A kind or region named alone ("universités", "Asie") has its best matches read
rank by rank from the indexes (``BestMatchTiers``, partners/searchable.py):
the same rows in the same order as the one query that ranks every match, on both
databases, from the first page to the last."""

import pytest
from django.utils import translation

from partners import searchable
from partners.models import Partner, PartnerKind
from partners.pagination import rows_between
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners():
    made = [
        # Rank 0: the acronym typed whole.
        PartnerFactory(name_fr="Zeta", name_en="Zeta", acronym="UNIVERSITE"),
        # Rank 1: names starting with the word, in French or in English only.
        PartnerFactory(name_fr="Université de Tokyo", name_en="University of Tokyo"),
        PartnerFactory(name_fr="Université Laval", name_en="Laval University"),
        PartnerFactory(name_fr="Universitéa", name_en="Universitéa"),
        PartnerFactory(name_fr="Tohoku", name_en="Université Tohoku", kind="other"),
        # An acronym starting with the word.
        PartnerFactory(name_fr="Mu", name_en="Mu", acronym="UNIVERSITE-X"),
        # Rank 2: universities whose names do not start with it, and a partner
        # whose name holds it inside.
        PartnerFactory(name_fr="Aalto-yliopisto", name_en="Aalto University"),
        PartnerFactory(name_fr="Kyoto Daigaku", name_en="Kyoto University"),
        PartnerFactory(
            name_fr="Presses de l'Université", name_en="University Press", kind="other"
        ),
        PartnerFactory(name_fr="Universitf", name_en="Universitf"),
        # Not found.
        PartnerFactory(name_fr="CNRS", name_en="CNRS", kind=PartnerKind.PUBLIC_BODY),
    ]
    return made


def ranked_in_one_query(records):
    return list(records.filter(pk__in=records.values("pk")))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("text", ["universite", "université", "universités"])
def test_tiers_give_the_order_of_one_query(monkeypatch, partners, language, text):
    monkeypatch.setattr(searchable, "TIERED_MATCHES", 1)
    with translation.override(language):
        records = Partner.objects.public().search(text).best_matches_first(text)
        assert records.query.best_match_tiers is not None
        expected = list(records)
        assert len(expected) == (8 if text == "universités" else 10)
        for low, high in [(0, 10), (0, 3), (2, 5), (4, 9), (8, 20)]:
            ids = records.tiered_ids(low, high)
            assert ids == [record.pk for record in expected[low:high]], (low, high)
            assert list(rows_between(records, low, high)) == expected[low:high]


def test_too_few_matches_are_ranked_in_one_query(partners):
    records = (
        Partner.objects.public().search("universite").best_matches_first("universite")
    )
    # Fewer than TIERED_MATCHES: one query sorts them.
    assert records.tiered_ids(0, 10) is None
    assert list(rows_between(records, 0, 3)) == list(records)[:3]


def test_words_not_naming_a_kind_are_ranked_in_one_query(monkeypatch, partners):
    monkeypatch.setattr(searchable, "TIERED_MATCHES", 1)
    records = Partner.objects.public().search("tokyo").best_matches_first("tokyo")
    assert getattr(records.query, "best_match_tiers", None) is None
    # Another order chosen: the ranks no longer apply.
    records = (
        Partner.objects.public().search("universite").best_matches_first("universite")
    )
    assert records.order_by("-pk").tiered_ids(0, 10) is None


def test_the_partner_list_pages_read_the_tiers(monkeypatch, client, partners):
    monkeypatch.setattr(searchable, "TIERED_MATCHES", 1)
    # Typed without its accent, as the acronym is written.
    first = client.get("/fr/partners/", {"q": "universite"})
    names = [partner.name for partner in first.context["page_obj"].object_list]
    assert names == [
        "Zeta",  # its acronym typed whole
        "Mu",  # its acronym started
        "Tohoku",  # its English name started
        "Université de Tokyo",
        "Université Laval",
        "Universitéa",
        "Aalto-yliopisto",
        "Kyoto Daigaku",
        "Presses de l'Université",
        "Universitf",
    ], names
