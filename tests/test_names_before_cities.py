"""Partners whose names hold the words typed come before those found by their
cities alone, on the list, the API and the global search's group
(``best_matches_first``'s ``NAMED`` rank), on both databases; among near
misses, a name nearly holding the word before a city (``closest_first``); of
the partners with the acronym typed, those the CNRS works with first."""

import pytest

from cnrs_intl.search import global_search
from partners.models import Partner
from tests.factories import (
    PartnerFactory,
    ProjectParticipantFactory,
    UnitPartnershipFactory,
)
from tests.search_groups import shown_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def geneva():
    return {
        # First by name, in Geneva: found by its city alone.
        "city": PartnerFactory(
            name_fr="Centre Aubert de recherche en informatique",
            name_en="Aubert Centre for Computer Science Research",
            acronym="",
            city_fr="Genève",
            city_en="Geneva",
            country="CH",
        ),
        "named": PartnerFactory(
            name_fr="Université de Genève",
            name_en="University of Geneva",
            acronym="UNIGE",
            city_fr="Genève",
            city_en="Geneva",
            country="CH",
        ),
        "original": PartnerFactory(
            name_fr="Institut Zoé de physique",
            name_en="Zoé Institute of Physics",
            original_name="Institut Zoé de physique de Genève",
            acronym="",
            city_fr="Lausanne",
            city_en="Lausanne",
            country="CH",
        ),
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_list_shows_the_partners_named_by_the_word_before_the_city_s(
    client, geneva, language
):
    order = shown_order(client, f"/{language}/partners/", {"q": "Geneve"})
    assert order[-1] == geneva["city"]
    assert set(order) == set(geneva.values())


def test_the_api_lists_them_in_that_order(client, geneva):
    response = client.get("/api/partners/", {"q": "Geneve"})
    assert response.status_code == 200
    slugs = [row["slug"] for row in response.json()["results"]]
    assert slugs[-1] == geneva["city"].slug
    assert len(slugs) == 3


def test_the_global_search_s_group_too(geneva):
    group = next(group for group in global_search("Geneve") if group.key == "partners")
    assert group.records[-1] == geneva["city"]
    assert len(group.records) == 3


def test_a_name_in_the_other_language_counts(client):
    # "Quebec": the French name holds it, shown on the English page too.
    city = PartnerFactory(
        name_fr="Banerjee Diagnostics Inc.",
        name_en="Banerjee Diagnostics Inc.",
        acronym="",
        city_fr="Québec",
        city_en="Quebec City",
        country="CA",
    )
    named = PartnerFactory(
        name_fr="Université de Québec",
        name_en="",
        acronym="",
        city_fr="Montréal",
        city_en="Montreal",
        country="CA",
    )
    assert shown_order(client, "/en/partners/", {"q": "Quebec"}) == [named, city]


def test_within_a_rank_the_names_keep_their_order(client, geneva):
    later = PartnerFactory(
        name_fr="Bibliothèque de Genève",
        name_en="Geneva Library",
        acronym="",
        city_fr="Genève",
        city_en="Geneva",
        country="CH",
    )
    order = shown_order(client, "/fr/partners/", {"q": "Geneve"})
    # Neither starts with the word: by name as shown, then the city's.
    assert order == [later, geneva["original"], geneva["named"], geneva["city"]]


def test_a_name_starting_with_the_word_still_comes_first(client, geneva):
    starting = PartnerFactory(
        name_fr="Genève Biotech",
        name_en="Geneva Biotech",
        acronym="",
        city_fr="Genève",
        city_en="Geneva",
        country="CH",
    )
    order = shown_order(client, "/fr/partners/", {"q": "Geneve"})
    assert order[0] == starting
    assert order[-1] == geneva["city"]


def test_words_split_between_name_and_city_rank_with_the_city_s(client, geneva):
    # "informatique geneve": a word in the name, the other in the city.
    order = shown_order(client, "/fr/partners/", {"q": "informatique geneve"})
    assert order == [geneva["city"]]
    # "universite geneve": the universities named for Geneva first (a kind
    # named is left out of the words a name must hold), then by the city.
    order = shown_order(client, "/fr/partners/", {"q": "universite geneve"})
    assert order == [geneva["original"], geneva["named"], geneva["city"]]


def test_a_kind_named_alone_is_ranked_as_before(client):
    # Read rank by rank where many (``BestMatchTiers``), which has no such rank:
    # the universities not starting with the word, by name alone.
    named = PartnerFactory(name_fr="Beta Université", name_en="Beta University")
    other = PartnerFactory(name_fr="Alpha Institut", name_en="Alpha Institute")
    assert shown_order(client, "/fr/partners/", {"q": "universités"}) == [
        other,
        named,
    ]


def test_the_rank_reads_the_names_as_shown_not_the_cities():
    sql = str(Partner.objects.all().best_matches_first("Geneve").query)
    case = sql[sql.index("CASE") :]
    assert "city" not in case[: case.index("END")]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_near_miss_named_comes_before_one_in_the_city(client, language):
    # "Tokio": the shortest first, the university in Tokyo came before the
    # university named for Tokyo.
    city = PartnerFactory(
        name_fr="Université Wójcik",
        name_en="Wójcik University",
        acronym="",
        city_fr="Tokyo",
        city_en="Tokyo",
    )
    named = PartnerFactory(
        name_fr="Université des sciences de Tokyo",
        name_en="Tokyo University of Science",
        acronym="",
        city_fr="Noda",
        city_en="Noda",
    )
    response = client.get(f"/{language}/partners/", {"q": "Tokio"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [named, city]


def test_of_the_partners_with_the_acronym_typed_those_working_with_the_cnrs_first(
    client,
):
    others = [
        PartnerFactory(name_fr=f"Institut {letter}", name_en="", acronym="MIT")
        for letter in "ABC"
    ]
    real = PartnerFactory(
        name_fr="Massachusetts Institute of Technology",
        name_en="Massachusetts Institute of Technology",
        acronym="MIT",
    )
    UnitPartnershipFactory(partner=real)
    participant = PartnerFactory(name_fr="Mitaka Institut", acronym="MIT")
    ProjectParticipantFactory(partner=participant)
    order = shown_order(client, "/fr/partners/", {"q": "MIT"})
    # Then by name as shown, as before.
    assert order == [real, participant, *others]
