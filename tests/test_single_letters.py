"""Two single letters ("a b", "x-y") hold no word: each starts a word of most
texts, and what they found said nothing of what was wanted. Refused with a
message (400) by the global search, the lists and the data API, as a text of
fewer than 2 letters and stop words alone are, unless a published record has
them for a code ("E U"), as "the" is searched where it is one ("who"). Found by
a QA pass over the demo's records and ``generate_data --scale 0.001``. On
SQLite and PostgreSQL alike."""

import pytest

from cnrs_intl.search import global_search
from partners.models import Partner
from partners.search import correctable, found_spans, word_sequence
from programmes.models import Grant
from tests.factories import GrantFactory, PartnerFactory, ProjectFactory, UnitFactory
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


# Letters joined by an ampersand are one word, a name: a record holds it as
# such, "R & D" too, and never its letters apart ("r" and "d" starting words of
# "Research and Development", "Royaume d’Eswatini", "coral reef").


@pytest.mark.parametrize(
    "text, words",
    [
        ("R&D", ["r&d"]),
        ("Texas A&M University", ["texas", "a&m", "university"]),
        ("AT&T", ["at&t"]),
        ("S&P 500", ["s&p", "500"]),
        ("R&D-centre", ["r&d", "centre"]),
        # Two letters alone around it, spaced, are the same name.
        ("R & D", ["r&d"]),
        ("Texas A & M", ["texas", "a&m"]),
        # Longer words joined or spaced are words apart.
        ("Arts&Métiers", ["arts", "metiers"]),
        ("PME & ETI", ["pme", "eti"]),
        ("x-y", ["x", "y"]),
    ],
)
def test_letters_joined_by_an_ampersand_are_one_word(text, words):
    assert word_sequence(text) == words


@pytest.fixture
def joined():
    records = {
        "rd": PartnerFactory(name_fr="", name_en="Toyota R&D Centre", acronym="TRDC"),
        "spaced": PartnerFactory(
            name_fr="", name_en="Kyoto R & D Laboratory", acronym="KRDL"
        ),
        "research": PartnerFactory(
            name_fr="", name_en="Research and Development Institute", acronym=""
        ),
        "eswatini": PartnerFactory(
            name_fr="Royaume d’Eswatini, ministère", name_en="", acronym=""
        ),
        "tamu": PartnerFactory(
            name_fr="", name_en="Texas A&M University", acronym="TAMU"
        ),
        "amu": PartnerFactory(
            name_fr="Matériaux Aix-Marseille", name_en="", acronym="MAM"
        ),
        "museum": PartnerFactory(name_fr="", name_en="Museum of Art", acronym=""),
        "unit": UnitFactory(
            name_fr="Laboratoire de recherche et développement",
            name_en="Research and development laboratory",
            acronym="LRD",
        ),
        "reef": GrantFactory(
            acronym="REEF",
            title_fr="Récifs coralliens",
            title_en="Coral reef resilience",
            summary_en="Research on reef development in Réunion.",
        ),
        # "R&D" in a summary, with another word typed.
        "rd_summary": GrantFactory(
            acronym="OCEANRD",
            title_fr="Océans",
            title_en="Oceans",
            summary_en="An R&D programme on coral growth.",
        ),
    }
    return records


@pytest.mark.parametrize("text", ["R&D", "r&d", "R & D"])
def test_letters_joined_find_the_records_holding_them_only(client, joined, text):
    groups = by_key(global_search(text))

    assert set(groups["partners"].records) == {joined["rd"], joined["spaced"]}
    assert not groups["countries"].records
    assert not groups["units"].records
    assert not groups["grants"].records
    # Each list and the data API alike.
    response = client.get("/en/partners/", {"q": text})
    assert set(response.context["object_list"]) == {joined["rd"], joined["spaced"]}
    assert client.get("/api/partners/", {"q": text}).json()["count"] == 2
    for address in ("/en/units/", "/en/grants/", "/en/projects/"):
        response = client.get(address, {"q": text})
        assert response.status_code == 200, address
        assert not list(response.context["object_list"]), address


def test_letters_joined_with_another_word_are_held_in_the_long_texts_too(joined):
    assert list(Grant.objects.public().search("R&D coral")) == [joined["rd_summary"]]
    assert list(Grant.objects.public().search("R&D reef")) == []


def test_a_and_m_joined_find_texas_a_and_m_only(client, joined):
    for path in ("/en/search/", "/fr/search/"):
        response = client.get(path, {"q": "A&M"})
        assert response.status_code == 200
        found = by_key(response.context["groups"])
        assert list(found["partners"].records) == [joined["tamu"]], path
        assert not found["units"].records, path
        html = response.content.decode()
        assert "<mark>A&amp;M</mark>" in html, path
    assert client.get("/api/partners/", {"q": "A&M"}).json()["count"] == 1
    results = client.get("/en/partners/names.json", {"q": "A&M"}).json()["results"]
    assert [result["name"] for result in results] == ["Texas A&M University"]
    assert results[0]["name_marks"] == [[6, 9]]


def test_the_letters_joined_are_marked_whole():
    assert found_spans("Texas A&M University", "A&M") == [(6, 9)]
    assert found_spans("Kyoto R & D Laboratory", "r&d") == [(6, 11)]
    # Not their letters apart.
    assert found_spans("Aix-Marseille Matériaux", "A&M") == []
    assert found_spans("Research and Development", "R&D") == []


@pytest.mark.parametrize("text", ["S&P", "AT&T", "A&M museum", "R&D institute"])
def test_letters_joined_that_nothing_holds_find_nothing(client, joined, text):
    # Nor near misses, most words or suggestions by their letters apart.
    response = client.get("/en/search/", {"q": text})
    assert response.status_code == 200
    groups = by_key(response.context["groups"])
    assert not any(group.records for group in groups.values()), text
    assert client.get("/api/partners/", {"q": text}).json()["count"] == 0
    assert not list(Partner.objects.public().search(text))
    assert not client.get("/en/partners/names.json", {"q": text}).json()["results"]


def test_letters_joined_are_no_word_to_correct(joined):
    assert not correctable("r&d")
    assert not correctable("at&t")


@pytest.mark.parametrize(
    "kind, factory, fields",
    [
        (
            "units",
            UnitFactory,
            {"name_en": "Joint lab with Texas A&M", "acronym": "JL"},
        ),
        ("grants", GrantFactory, {"title_en": "Texas A&M fellowship"}),
        ("projects", ProjectFactory, {"title_en": "Texas A&M consortium"}),
    ],
)
def test_every_list_and_the_data_api_find_the_letters_joined(
    client, joined, kind, factory, fields
):
    record = factory(**fields)

    response = client.get(f"/en/{kind}/", {"q": "A&M"})
    assert list(response.context["object_list"]) == [record]
    assert client.get(f"/api/{kind}/", {"q": "A&M"}).json()["count"] == 1
    assert by_key(global_search("A&M"))[kind].records == [record]
