"""Words the stemmers make one lexeme of though they mean different things
("relativity" and "relations", "organic" and "organization", "united" and "units"):
a rarer sense typed finds the long texts holding a word of its own family, the
common word all of them (``RARER_SENSES`` and ``full_text`` in partners/search.py),
on both databases."""

import pytest
from django.utils import translation

from cnrs_intl.search import global_search
from partners.search import RARER_SENSES, _lexeme
from tests.factories import OfficeFactory, UnitFactory


@pytest.mark.parametrize("config", RARER_SENSES)
def test_each_rarer_sense_shares_the_common_words_stem(config):
    words = []
    for common, families in RARER_SENSES[config].items():
        for family in families:
            assert {_lexeme(word, config) for word in family} == {
                _lexeme(common, config)
            }, family
            assert common not in family
            words.extend(family)
    assert len(words) == len(set(words)), "a word in two families"


def found(text, language="en"):
    """The units and offices the global search finds for ``text`` (not near misses)."""
    with translation.override(language):
        return {
            str(record)
            for group in global_search(text)
            if group.key in ("units", "offices") and not group.near_misses
            for record in group.records
        }


@pytest.fixture
def described(db):
    """Units and an office whose descriptions hold words of one stem each."""
    UnitFactory(
        acronym="GRAVITY",
        description_en="General relativity and gravitational waves.",
        description_fr="Relativité générale et ondes gravitationnelles.",
    )
    UnitFactory(
        acronym="DIPLOMA",
        description_en="A unit studying international relations in Asia.",
        description_fr="Une unité qui étudie les relations internationales en Asie.",
    )
    UnitFactory(
        acronym="CHEMORG",
        description_en="Organic chemistry of natural products.",
        description_fr="Chimie organique des produits naturels.",
    )
    UnitFactory(
        acronym="GOVERN",
        description_en="The organization of research in intergovernmental bodies.",
        description_fr="Les organismes de recherche intergouvernementaux.",
    )
    OfficeFactory(
        name_en="CNRS Office in Washington",
        city_en="Washington",
        country="US",
        role_en="Follows the cooperation with the United States and Canada.",
        role_fr="Suit la coopération avec les États-Unis et le Canada.",
    )
    UnitFactory(
        acronym="OCEAN",
        description_en="Coastal oceanography.",
        description_fr="Océanographie de la mer d'Iroise et des côtes.",
    )


@pytest.mark.parametrize(
    ("text", "language", "expected", "not_expected"),
    [
        ("relativity", "en", "GRAVITY", "DIPLOMA"),
        ("organic", "en", "CHEMORG", "GOVERN"),
        ("organique", "fr", "CHEMORG", "GOVERN"),
        ("relatif", "fr", None, "DIPLOMA"),
        ("mère", "fr", None, "OCEAN"),
        ("united", "en", None, "DIPLOMA"),  # "A unit studying…"
        # The common words find their stem's rarer senses too.
        ("relations", "en", "DIPLOMA", None),
        ("international relations", "en", "DIPLOMA", None),
        ("organization", "en", "GOVERN", None),
        ("organismes", "fr", "GOVERN", None),
        ("mer", "fr", "OCEAN", None),
    ],
)
def test_a_word_finds_its_own_family_not_its_stems_others(
    described, text, language, expected, not_expected
):
    names = {name.split(" ")[0] for name in found(text, language)}
    if expected:
        assert expected in names
    if not_expected:
        assert not_expected not in names


def test_the_united_states_are_found_by_their_name(described):
    assert any("Washington" in name for name in found("united states"))
    assert any("Washington" in name for name in found("united"))


def test_a_word_of_the_stem_outside_the_families_finds_them_all(described):
    """ "relational" is a relation's; "relating", listed nowhere, finds as before."""
    names = {name.split(" ")[0] for name in found("relating")}
    assert {"GRAVITY", "DIPLOMA"} <= names


def test_the_lists_search_their_family_too(client, described):
    response = client.get("/en/units/", {"q": "relativity"})
    assert [unit.acronym for unit in response.context["object_list"]] == ["GRAVITY"]
    response = client.get("/fr/units/", {"q": "organique"})
    assert [unit.acronym for unit in response.context["object_list"]] == ["CHEMORG"]
