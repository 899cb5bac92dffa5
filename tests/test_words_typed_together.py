"""Two words typed without the space between them ("hongkong", "telaviv") are
suggested apart when they are known words (``run_together`` in partners/search.py),
on the global search and the lists, on both databases: no slip of a known word
was close enough, so nothing was suggested and nothing found."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.search import run_together, ways_apart
from tests.factories import PartnerFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def suggestion(client, path, text):
    response = client.get(path, {"q": text})
    assert response.status_code == 200
    return response.context["suggestion"]


@pytest.fixture
def tel_aviv():
    return PartnerFactory(
        name_fr="Université de Tel-Aviv",
        name_en="Tel Aviv University",
        acronym="TAU",
        city_fr="Tel-Aviv",
        city_en="Tel Aviv",
        country="IL",
    )


def test_words_typed_together_are_suggested_apart(client, tel_aviv):
    PartnerFactory(name_en="University of Hong Kong", name_fr="", country="HK")
    for path in ("/en/search/", "/en/partners/"):
        assert suggestion(client, path, "telaviv") == "tel aviv"
        # Written as typed: capitals on each word of a word typed with one.
        assert suggestion(client, path, "Telaviv university") == ("Tel Aviv university")
        assert suggestion(client, path, "HONGKONG") == "HONG KONG"
    # The suggestion finds what was meant.
    response = client.get("/en/partners/", {"q": "tel aviv"})
    assert list(response.context["object_list"]) == [tel_aviv]


def test_three_words_typed_together_are_suggested_apart(client):
    PartnerFactory(
        name_fr="Université fédérale de Rio de Janeiro",
        name_en="Federal University of Rio de Janeiro",
        country="BR",
    )
    for path in ("/fr/search/", "/fr/partners/"):
        assert suggestion(client, path, "riodejaneiro") == "rio de janeiro"
        # The stop word between stays in lower case.
        assert suggestion(client, path, "Riodejaneiro") == "Rio de Janeiro"
    assert suggestion(client, "/en/search/", "RIODEJANEIRO") == "RIO DE JANEIRO"


def test_two_words_one_space_apart_before_a_slip_two_letters_away(client):
    PartnerFactory(name_en="New York University", name_fr="", country="US")
    ProjectFactory(title_en="A network of sensors", title_fr="")
    # "network" is two letters from "newyork"; "new york" one (the space).
    assert suggestion(client, "/en/search/", "newyork") == "new york"


def test_a_word_is_split_only_into_known_words_of_three_letters_or_more(tel_aviv):
    tables = list(type(tel_aviv).objects.word_sources())
    assert run_together(["telaviv"], tables, connection) == {
        "telaviv": (("tel", tables[0]), ("aviv", tables[0]))
    }
    # "kawasaki": neither side known; "telavivx": no word "avivx"; "de" is no
    # word apart ("deaviv"), which "de" and "la" would make of many words' ends.
    assert run_together(["kawasaki", "telavivx", "deaviv"], tables, connection) == {}
    # A word longer than any name run together is not split (its ways grow with
    # the square of its length).
    assert ways_apart("telaviv" * 6) == []
    assert ("tel", "aviv") in ways_apart("telaviv")
    # A word of the page's own (a country's name) is known too.
    assert run_together(["telisrael"], tables, connection, ["israel"]) == {
        "telisrael": (("tel", tables[0]), ("israel", None))
    }


def test_run_together_are_read_once_per_content_version(tel_aviv):
    tables = list(type(tel_aviv).objects.word_sources())
    with CaptureQueriesContext(connection) as first:
        run_together(["telaviv"], tables, connection)
    with CaptureQueriesContext(connection) as again:
        assert run_together(["telaviv"], tables, connection)
    assert len(first) >= 1 and len(again) == 0
