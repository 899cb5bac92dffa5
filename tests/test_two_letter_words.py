"""A word of two or three letters typed ("EU", "IA", "ERC") starts a word of the
partners' texts, whatever comes before it: on PostgreSQL it is sought in their
texts with every other character a space, a stored column indexed by trigrams
(``StartsAWord``, partners/search.py; partners 0028 and 0029), the same partners
as the pattern finds. On both databases."""

import pytest
from django.db.models import Q

from partners.models import Partner
from partners.search import WORD_BEFORE, MatchesPattern, SearchText, StartsAWord
from tests.factories import PartnerFactory, UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

HOLDING = [
    "EU",
    "Délégation de l'UE et EU",
    "Institut EU-Japon",
    "EUR Research",
    "Europa Universität",
    "北京EU中心",  # after letters of another script
    "Centre (eu) 2",
    "Lab 3EU",  # after a digit: inside a word
]
NOT_HOLDING = ["Neuroscience Lab", "Lieu de mémoire", "Seoul University"]


@pytest.fixture
def partners():
    return {
        name: PartnerFactory(name_fr=name, name_en=name, city="", acronym="")
        for name in HOLDING + NOT_HOLDING
    }


def short(model):
    return SearchText(*model.objects.none().text_fields)


def test_a_two_letter_word_finds_the_partners_holding_a_word_it_starts(partners):
    found = {partner.name for partner in Partner.objects.public().search("EU")}
    assert found == set(HOLDING) - {"Lab 3EU"}


@pytest.mark.parametrize(
    "word", ["eu", "ur", "ab", "e", "lab", "ue", "eur", "tut", "cen", "3eu"]
)
def test_the_word_starts_are_those_of_the_pattern(partners, word):
    pattern = Q(MatchesPattern(short(Partner), f"{WORD_BEFORE}{word}"))
    starts = Q(StartsAWord(short(Partner), word))
    assert set(Partner.objects.filter(starts)) == set(Partner.objects.filter(pattern))


def test_other_tables_read_the_pattern():
    UnitFactory(name_fr="Institut EU-Japon", name_en="EU-Japan Institute")
    UnitFactory(name_fr="Lieu", name_en="Place")
    found = Unit.objects.filter(StartsAWord(short(Unit), "eu"))
    assert [unit.name_en for unit in found] == ["EU-Japan Institute"]
