"""Two single letters ("a b", "x-y") hold no word: each starts a word of most
texts, and what they found said nothing of what was wanted. Refused with a
message (400) by the global search, the lists and the data API, as a text of
fewer than 2 letters and stop words alone are, unless a published record has
them for a code ("E U"), as "the" is searched where it is one ("who"). Found by
a QA pass over the demo's records and ``generate_data --scale 0.001``. On
SQLite and PostgreSQL alike."""

import pytest

from tests.factories import PartnerFactory, UnitFactory
from tests.search_groups import by_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/en/search/", "/fr/search/"])
@pytest.mark.parametrize("text", ["a b", "A B", "x-y", "b c", "1 2"])
def test_two_single_letters_are_refused_by_the_global_search(client, path, text):
    PartnerFactory(name_fr="Agence de Bamako", name_en="", acronym="")
    UnitFactory(name_fr="Laboratoire de biologie", name_en="", acronym="LB")

    response = client.get(path, {"q": text})

    assert response.status_code == 400
    assert response.context["groups"] is None
    html = response.content.decode()
    if path.startswith("/en/"):
        assert "holds no word, only single letters" in html
        assert "try again" in html
    else:
        assert "ne contient aucun mot, seulement des lettres isolées\u00a0:" in html
        assert "réessayez" in html


@pytest.mark.parametrize("path", ["/en/partners/", "/en/units/", "/api/projects/"])
def test_two_single_letters_are_refused_by_the_lists_and_the_api(client, path):
    PartnerFactory(name_fr="Agence de Bamako", name_en="", acronym="")

    response = client.get(path, {"q": "a b"})

    assert response.status_code == 400
    # The data API answers in French, the default language.
    content = response.content.decode()
    assert "only single letters" in content or "lettres isolées" in content


def test_two_single_letters_spelling_a_records_code_are_searched(client):
    # "E U" is the EU's code, as "W H O" the WHO's: the code typed apart.
    eu = PartnerFactory(name_fr="Union européenne", name_en="", acronym="EU")

    response = client.get("/en/search/", {"q": "E U"})

    assert response.status_code == 200
    assert by_key(response.context["groups"])["partners"].records[0] == eu
    assert client.get("/en/partners/", {"q": "e u"}).status_code == 200


@pytest.mark.parametrize("text", ["C N R S", "m i t", "vitamin d", "a study"])
def test_more_letters_or_a_word_beside_them_are_searched(client, text):
    response = client.get("/en/search/", {"q": text})
    assert response.status_code == 200


@pytest.mark.parametrize("text", ["A&M", "R&D", "s&p"])
def test_two_letters_joined_by_a_mark_are_a_name_searched(client, text):
    # "Texas A&M University": the mark joins the letters, as a space does not.
    PartnerFactory(name_fr="", name_en="Texas A&M University", acronym="TAMU")

    response = client.get("/en/search/", {"q": text})
    assert response.status_code == 200
    if text == "A&M":
        found = by_key(response.context["groups"])["partners"].records
        assert found[0].acronym == "TAMU"
    for address in ("/en/partners/", "/api/partners/"):
        assert client.get(address, {"q": text}).status_code == 200, address
