"""Characters that show nothing, typed or pasted inside a word (a soft hyphen, a
zero-width space, joiner or non-joiner, a word joiner, a byte order mark, the
marks, embeddings and isolates of a text's direction, the invisible operators,
the Mongolian vowel separator), are left out of the text a search field takes
(``SearchTextField``, ``visible`` in partners/search.py): "uni\u00adversity" finds,
suggests and repeats what "university" does, on the global search, the lists, the
data API and the autocomplete. ``fold`` leaves them out of any other text
searched, and a record's form leaves the first ones out of its names
(``collapse_spaces``), on both databases."""

import pytest

from cnrs_intl.forms import SearchForm
from cnrs_intl.search import global_search
from partners.models import PartnerKind
from partners.search import fold, found_spans, typed_words, visible
from tests.factories import PartnerFactory, UnitFactory
from tests.search_groups import by_key

pytestmark = pytest.mark.django_db

INVISIBLE = [
    "\u00ad",  # soft hyphen
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u202a",  # left-to-right embedding
    "\u202b",  # right-to-left embedding
    "\u202c",  # pop directional formatting
    "\u202d",  # left-to-right override
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2067",  # right-to-left isolate
    "\u2068",  # first strong isolate
    "\u2069",  # pop directional isolate
    "\u2061",  # function application
    "\u2062",  # invisible times
    "\u2063",  # invisible separator
    "\u2064",  # invisible plus
    "\u180e",  # Mongolian vowel separator
]


@pytest.mark.parametrize("character", INVISIBLE)
def test_they_are_left_out_of_the_words_typed(character):
    assert fold(f"Uni{character}versity") == "university"
    assert typed_words(f"universi{character}ty of to{character}kyo") == [
        "university",
        "of",
        "tokyo",
    ]
    # Inside a word, before or after it: the text as it reads.
    assert visible(f"{character}Uni{character}versity{character} ") == "University "


def test_a_non_joiner_written_within_a_persian_word_is_kept():
    # "دانشگاه‌ها" (universities): the non-joiner is how the word is written.
    word = "دانشگاه\u200cها"
    assert fold(word) == word
    assert visible(word) == word
    # A joiner after a virama, as Devanagari writes a half form; a vowel
    # separator within a Mongolian word.
    for written in ("क्\u200dष", "ᠬᠠ\u180eᠭ"):
        assert visible(written) == fold(written) == written
    # Not beside a space, nor at the end of a word: typed by mistake.
    assert visible("دانشگاه\u200c ها\u200d") == "دانشگاه ها"


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


def test_the_search_form_takes_the_text_without_them():
    form = SearchForm({"q": "\u200buni\u00adversity\u200e "})
    assert form.is_valid()
    assert form.cleaned_data["q"] == "university"
    # One letter and invisible characters: one letter.
    form = SearchForm({"q": "a\u200b\u00ad"})
    assert not form.is_valid()
    assert form.has_error("q", "min_length")


@pytest.fixture
def thales():
    return PartnerFactory(
        name_en="Thales", name_fr="Thales", acronym="", kind=PartnerKind.COMPANY
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Tah\u00adles", "Thales"),
        ("Tahles\u200b", "Thales"),
        ("Tah\u200eles", "Thales"),
    ],
)
def test_a_typo_holding_them_is_still_corrected(client, thales, typed, meant):
    response = client.get("/en/partners/", {"q": typed})
    assert response.status_code == 200
    # Repeated as it reads, and corrected into a text without them.
    assert response.context["near_misses_of"] == "Tahles"
    assert response.context["suggestion"] == meant
    assert response.context["suggestion_url"] == "/en/partners/?q=Thales"
    response = client.get("/en/search/", {"q": typed})
    assert response.context["suggestion"] == meant


def test_the_global_search_finds_and_links_the_word_without_them(client):
    PartnerFactory(name_en="University of Tokyo", name_fr="Université de Tokyo")
    PartnerFactory(name_en="Kyoto University", name_fr="Université de Kyoto")
    plain = client.get("/en/search/", {"q": "university"}).context
    typed = client.get("/en/search/", {"q": "uni\u200eversity\u200b"}).context
    assert typed["total"] == plain["total"] == 2
    assert typed["form"].cleaned_data["q"] == "university"
    partners = {group.key: group for group in typed["groups"]}["partners"]
    assert partners.searched == "university"
    assert partners.more_url == "/en/partners/?q=university"


def test_a_refusal_repeats_the_text_without_them(client):
    response = client.get("/en/search/", {"q": "\u200bthe\u00ad"})
    assert response.status_code == 400
    assert "“the” is too common a word" in response.content.decode()
    response = client.get("/en/partners/", {"q": "th\u200be"})
    assert response.status_code == 400
    assert "“the” is too common a word" in response.content.decode()


def test_the_data_api_and_the_autocomplete_take_the_text_without_them(client):
    tokyo = PartnerFactory(name_en="University of Tokyo", name_fr="Université de Tokyo")
    response = client.get("/api/partners/", {"q": "univer\u2062sity tok\u202eyo"})
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == [tokyo.slug]
    response = client.get("/en/partners/names.json", {"q": "univ\u00adersity\u200b"})
    answer = response.json()
    assert answer["query"] == "university"
    assert [row["name"] for row in answer["results"]] == ["University of Tokyo"]
    assert answer["results"][0]["name_marks"] == [[0, 10]]
