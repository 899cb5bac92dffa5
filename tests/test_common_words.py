"""Stop words typed alone ("the", "de la"): too common to search by, the global
search and the lists refuse them with a message (400, as a text too short), unless
they are a record's code ("WHO"); mixed with other words they are searched as
before (``common_words_only`` in partners/search.py, ``found`` in
partners/publication.py, ``searchable_words`` in partners/filters.py), on both
databases."""

import pytest

from cnrs_intl.search import global_search
from partners.models import Office, Partner
from partners.search import common_words_only
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def by_key(groups):
    return {group.key: group for group in groups}


@pytest.mark.parametrize(
    ("text", "common"),
    [
        ("the", True),
        ("of the", True),
        ("Le", True),
        ("de la", True),
        ("and", True),
        ("l'", False),  # a letter: refused as one (``enough_letters``)
        ("M I T", False),  # a code typed apart
        ("%m%i%t", False),  # initials
        ("les", True),
        ("the lab", False),
        ("laboratoire de la mer", False),
        ("", False),
        ("--", False),
    ],
)
def test_stop_words_alone_are_told_apart(text, common):
    assert common_words_only(text) is common


@pytest.fixture
def records():
    OfficeFactory(
        name_en="CNRS Brussels Office, branch at the European Union",
        name_fr="Bureau du CNRS à Bruxelles, antenne auprès de l’Union européenne",
    )
    PartnerFactory(name_en="The University of Tokyo", name_fr="Université de Tokyo")
    UnitFactory(name_en="Laboratory of the sea", name_fr="Laboratoire de la mer")
    GrantFactory(title_en="The origins of life", title_fr="Les origines de la vie")
    ProjectFactory(
        title_en="The ocean and the climate", title_fr="L’océan et le climat"
    )


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        (
            "en",
            "the",
            "“the” is too common a word to search by: add a more specific word.",
        ),
        (
            "en",
            "of the",
            "“of the” are too common words to search by: add a more specific word.",
        ),
        (
            "fr",
            "de la",
            "«\u00a0de la\u00a0» sont des mots trop courants pour une recherche\u00a0: "
            "ajoutez un mot plus précis.",
        ),
        (
            "fr",
            "le",
            "«\u00a0le\u00a0» est un mot trop courant pour une recherche\u00a0: "
            "ajoutez un mot plus précis.",
        ),
    ],
)
def test_the_global_search_refuses_stop_words_alone(
    client, records, language, text, message
):
    response = client.get(f"/{language}/search/", {"q": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    # Not the message of a text too short, and no results nor suggestion.
    assert "2 letters" not in html and "2 lettres" not in html
    assert response.context["groups"] is None


@pytest.mark.parametrize(
    "path", ["/en/partners/", "/en/units/", "/en/grants/", "/en/projects/"]
)
@pytest.mark.parametrize("text", ["the", "and", "de la"])
def test_the_lists_refuse_stop_words_alone(client, records, path, text):
    response = client.get(path, {"q": text})
    assert response.status_code == 400
    assert "too common" in response.content.decode()


def test_the_lists_say_it_in_french(client, records):
    response = client.get("/fr/units/", {"q": "le"})
    assert response.status_code == 400
    assert "«\u00a0le\u00a0» est un mot trop courant" in response.content.decode()


def test_the_data_api_refuses_them_too(client, records):
    response = client.get("/api/partners/", {"q": "the", "lang": "en"})
    assert response.status_code == 400
    assert "too common" in response.content.decode()


def test_stop_words_alone_find_nothing_in_the_search_itself(records):
    # Nor near misses: "the" is close to "thea" and "theory".
    for text in ("the", "of the", "de la", "and"):
        groups = global_search(text)
        assert not any(group.total for group in groups), text
        records_, near_misses = Partner.objects.public().search_or_near_misses(text)
        assert not records_.exists() and not near_misses


def test_a_stop_word_that_is_a_code_is_found_by_it(client):
    who = PartnerFactory(
        name_en="World Health Organization",
        name_fr="Organisation mondiale de la santé",
        acronym="WHO",
        country="CH",
    )
    # Holds "who" at the start of a word: found by the word before, not now.
    PartnerFactory(name_en="Whole Earth Institute", name_fr="", acronym="WEI")
    response = client.get("/en/partners/", {"q": "who"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [who]
    response = client.get("/en/search/", {"q": "WHO"})
    assert response.status_code == 200
    assert by_key(response.context["groups"])["partners"].records == [who]
    # A list of other records refuses the word.
    assert client.get("/en/units/", {"q": "who"}).status_code == 400


def test_stop_words_mixed_with_other_words_are_searched_as_before(client, records):
    response = client.get("/en/search/", {"q": "the Brussels office"})
    assert response.status_code == 200
    assert by_key(response.context["groups"])["offices"].total == 1
    response = client.get("/fr/units/", {"q": "laboratoire de la mer"})
    assert response.status_code == 200
    assert response.context["result_count"] == 1
    response = client.get("/en/partners/", {"q": "the university of tokyo"})
    assert response.status_code == 200
    assert response.context["result_count"] == 1


def test_the_admin_still_searches_them(records):
    # Staff look for what records hold (``staff_search``).
    found, near_misses = Office.objects.staff_search("the")
    assert found.count() == 1 and not near_misses
