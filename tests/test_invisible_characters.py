"""Characters that show nothing, typed or pasted inside a word (a soft hyphen, a
zero-width space, joiner or non-joiner, a word joiner, a byte order mark), are
left out of the words searched: "uni\u00adversity" finds what "university" finds
(``fold`` in partners/search.py), and a record's form leaves them out of its names
(``collapse_spaces``), on both databases."""

import pytest

from cnrs_intl.search import global_search
from partners.models import PartnerKind
from partners.search import fold, found_spans, typed_words
from tests.factories import PartnerFactory, UnitFactory

pytestmark = pytest.mark.django_db

INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize("character", INVISIBLE)
def test_they_are_left_out_of_the_words_typed(character):
    assert fold(f"Uni{character}versity") == "university"
    assert typed_words(f"universi{character}ty of to{character}kyo") == [
        "university",
        "of",
        "tokyo",
    ]


def test_a_non_joiner_written_within_a_persian_word_is_kept():
    # "دانشگاه‌ها" (universities): the non-joiner is how the word is written.
    word = "دانشگاه\u200cها"
    assert fold(word) == word


def by_key(groups):
    return {group.key: group for group in groups}


@pytest.mark.parametrize("character", INVISIBLE)
def test_the_global_search_and_the_lists_find_the_word_without_them(client, character):
    tokyo = PartnerFactory(
        name_en="University of Tokyo", name_fr="Université de Tokyo", acronym="UT"
    )
    # Of another kind: "university" names every university.
    PartnerFactory(
        name_en="Kyoto Institute",
        name_fr="Institut de Kyoto",
        kind=PartnerKind.RESEARCH_ORGANISATION,
    )
    jrl = UnitFactory(name_en="Joint Robotics Laboratory", acronym="JRL")
    # Cut before a short tail ("ty" must start a word): found nothing.
    typed = f"universi{character}ty"
    assert by_key(global_search(typed))["partners"].records == [tokyo]
    response = client.get("/en/partners/", {"q": typed})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [tokyo]
    response = client.get("/en/units/", {"q": f"robo{character}tics"})
    assert list(response.context["object_list"]) == [jrl]


def test_the_words_found_are_marked_across_them():
    name = "Uni\u00adversity of Tokyo"
    assert found_spans(name, "university") == [(0, 11)]
    assert found_spans("University of Tokyo", "uni\u200bversity") == [(0, 10)]


def test_a_name_saved_through_its_form_loses_them_and_is_found():
    # PostgreSQL's unaccent makes a soft hyphen a hyphen: "uni-versity".
    partner = PartnerFactory.build(
        name_en="Uni\u00adversity of Ky\u200boto",
        name_fr="Univer\u00adsité de Kyoto",
        slug="kyoto",
    )
    partner.full_clean()
    partner.save()
    assert partner.name_en == "University of Kyoto"
    assert partner.name_fr == "Université de Kyoto"
    assert by_key(global_search("university kyoto"))["partners"].records == [partner]


def test_a_persian_name_keeps_its_non_joiners_and_is_found_as_written():
    partner = PartnerFactory.build(
        name_en="Tehran Universities",
        name_fr="Universités de Téhéran",
        original_name="دانشگاه\u200cها تهران",
        slug="tehran",
    )
    partner.full_clean()
    partner.save()
    assert "\u200c" in partner.original_name
    assert by_key(global_search("دانشگاه\u200cها"))["partners"].records == [partner]
