"""A misspelt word as close to a French word as to an English one ("institue":
"institut", "institute") is suggested in the language of the phrase, else in the
page's (``suggested_texts`` and ``phrase_language`` in partners/search.py, the
languages of the texts writing each word: ``writings_in``), on the global search
and the lists, on both databases; the closest word when that one finds nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cnrs_intl.search import suggested_anywhere
from partners.search import edit_distance, main_language, writings_in
from tests.factories import PartnerFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "word", "distance"),
    [
        ("institue", "institut", 1),
        ("institue", "institute", 1),
        ("crns", "cnrs", 1),
        ("universty", "university", 1),
        ("japn", "japon", 1),
        ("japn", "japan", 1),
        ("robotcs", "robotique", 4),
        ("same", "same", 0),
    ],
)
def test_edit_distance(typed, word, distance):
    assert edit_distance(typed, word) == distance


def test_writings_tell_the_languages_of_the_texts_writing_them():
    found = writings_in(
        [("fr", "Institut de chimie"), ("en", "Institute of Chemistry"), "CNRS"],
        ["institut", "institute", "cnrs"],
    )
    assert found == {"institut": "institut", "institute": "institute", "cnrs": "CNRS"}
    assert found["institut"].languages == {"fr"}
    assert found["institute"].languages == {"en"}
    assert found["cnrs"].languages == frozenset()


def institutes(count=1):
    for number in range(count):
        PartnerFactory(
            name_fr=f"Institut national des matériaux {number}",
            name_en=f"National Institute for Materials {number}",
            acronym=f"NIM{number}",
        )
        UnitFactory(
            name_fr=f"Institut franco-japonais {number}",
            name_en=f"French-Japanese Institute {number}",
        )


@pytest.mark.parametrize(
    ("language", "meant"), [("en", "institute"), ("fr", "institut")]
)
def test_the_global_search_suggests_the_word_of_the_pages_language(
    client, language, meant
):
    institutes()
    with translation.override(language):
        assert suggested_anywhere("institue") == meant
        # "materials" is the English names' word: the phrase is English.
        assert suggested_anywhere("Institue materials") == "Institute materials"
    response = client.get(f"/{language}/search/", {"q": "institue"})
    assert response.status_code == 200
    assert response.context["suggestion"] == meant


@pytest.mark.parametrize(
    ("language", "meant"), [("en", "institute"), ("fr", "institut")]
)
@pytest.mark.parametrize("path", ["partners", "units"])
def test_the_lists_suggest_the_word_of_the_pages_language(
    client, language, meant, path
):
    institutes()
    response = client.get(f"/{language}/{path}/", {"q": "institue"})
    assert response.status_code == 200
    assert response.context["suggestion"] == meant


def test_a_word_closer_in_letters_is_still_suggested_in_the_other_language():
    # "laboratiore" is "laboratoire" with two letters swapped, three letters from
    # "laboratory": no tie, the French word on the English pages too.
    PartnerFactory(name_fr="Laboratoire de physique", name_en="Physics laboratory")
    with translation.override("en"):
        assert suggested_anywhere("laboratiore") == "laboratoire"


def test_the_suggestion_query_count_does_not_grow_with_the_data(client):
    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get("/en/search/", {"q": "institue"})
        assert response.context["suggestion"] == "institute"
        return len(context)

    institutes(3)
    few = queries()
    institutes(9)
    assert queries() == few


def test_writings_count_the_texts_in_each_language():
    found = writings_in(
        [("fr", "Materials Lab"), ("en", "Materials Lab"), ("en", "Materials")],
        ["materials", "lab"],
    )
    assert main_language(found["materials"]) == "en"
    assert main_language(found["lab"]) is None


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # Its stop words tell the phrase's language, whatever the page's.
        ("Institue de chimie", "Institut de chimie"),
        ("Institue des matériaux", "Institut des matériaux"),
        ("Institue of Chemistry", "Institute of Chemistry"),
        ("Institue for Materials", "Institute for Materials"),
        # Else its other words, as the texts write them.
        ("Institue chimie", "Institut chimie"),
        ("Institue Chemistry", "Institute Chemistry"),
    ],
)
def test_the_suggestion_follows_the_language_of_the_phrase(
    client, language, typed, meant
):
    PartnerFactory(name_fr="Institut de chimie", name_en="Institute of Chemistry")
    PartnerFactory(name_fr="Institut des matériaux", name_en="Institute for Materials")
    with translation.override(language):
        assert suggested_anywhere(typed) == meant
    response = client.get(f"/{language}/search/", {"q": typed})
    assert response.context["suggestion"] == meant
    response = client.get(f"/{language}/partners/", {"q": typed})
    assert response.context["suggestion"] == meant


@pytest.mark.parametrize("path", ["search", "partners"])
def test_the_closest_word_is_suggested_when_the_phrases_finds_nothing(client, path):
    # "pasteur" is both languages' word: the page's, "institute", is tried
    # first, but no record holds "institute" and "pasteur".
    PartnerFactory(name_fr="Institut Pasteur", name_en="Pasteur Foundation")
    PartnerFactory(name_fr="Institut national", name_en="National Institute")
    response = client.get(f"/en/{path}/", {"q": "institue pasteur"})
    assert response.context["suggestion"] == "institut pasteur"
