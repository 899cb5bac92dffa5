"""Typos in people's names, on both databases: a director's or a laureate's name
mistyped still finds their units and grants (``related_near_misses`` in
partners/searchable.py; PostgreSQL's table of the names' words in
units/migrations/0016_person_search_words.py, tested further in
tests/partners/test_search_indexes.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cnrs_intl.search import global_search, suggested_anywhere
from partners.search import SEARCH_WORDS, known_words
from programmes.models import Grant
from tests.factories import GrantFactory, PersonFactory, TestimonyFactory, UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


def people_words() -> set[str]:
    """The words of people's names as the database in use keeps them."""
    table = SEARCH_WORDS["units_person"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT word FROM {table}")
            return {row[0] for row in cursor.fetchall()}
    return set(known_words(table, connection))


def grant_of(first_name: str, last_name: str, title: str = "Machines analytiques"):
    laureate = PersonFactory(first_name=first_name, last_name=last_name)
    return GrantFactory(laureate=laureate, title_fr=title, title_en="")


def near_misses(model, text: str) -> list:
    records, near = model.objects.public().search_or_near_misses(text)
    assert near, f"{text!r} was found as typed"
    return list(records.closest_first(text))


def test_the_words_of_people_names_are_known_folded():
    PersonFactory(first_name="Ada", last_name="Lovelace")
    PersonFactory(first_name="Élise", last_name="Müller-Dubois")
    PersonFactory(first_name="Li", last_name="Wei")
    words = people_words()
    assert {"ada", "lovelace", "elise", "muller", "dubois", "wei"} <= words
    assert "li" not in words  # too short to correct: searched as typed


@pytest.mark.parametrize(
    "typed", ["lovlace", "Lovelcae", "ada lovelase", "Adda Lovelace"]
)
def test_a_laureates_name_mistyped_finds_their_grants(typed):
    ada = grant_of("Ada", "Lovelace")
    grant_of("Grace", "Hopper", title="Compilateurs")
    assert near_misses(Grant, typed) == [ada]


def test_a_directors_name_mistyped_finds_their_units():
    director = PersonFactory(first_name="Jean-Pierre", last_name="Bourguignon")
    unit = UnitFactory(director=director, name_fr="Laboratoire Poncelet", name_en="")
    UnitFactory(name_fr="Laboratoire Franco-Brésilien", name_en="")
    assert near_misses(Unit, "bourguigon") == [unit]
    assert near_misses(Unit, "jean pierre bourgignon") == [unit]


def test_the_closest_name_comes_first():
    curien = grant_of("Pierre", "Curien", title="Sémantique")
    curie = grant_of("Marie", "Curie", title="Radioactivité")
    assert near_misses(Grant, "curei") == [curie, curien]
    assert near_misses(Grant, "curien piere") == [curien]


def test_a_name_close_to_one_word_typed_adds_nobody():
    # "marine" is close to "Marie", but "marine biolgy" is nobody's name: only the
    # grant nearly titled so is a near miss, not every grant of a Marie.
    marine = GrantFactory(title_fr="", title_en="Marine biology")
    grant_of("Marie", "Curie", title="Radioactivité")
    assert near_misses(Grant, "marine biolgy") == [marine]


def test_a_name_typed_right_is_no_near_miss():
    ada = grant_of("Ada", "Lovelace")
    records, near = Grant.objects.public().search_or_near_misses("Lovelace")
    assert not near and list(records) == [ada]


def test_the_grant_list_and_the_global_search_find_a_mistyped_laureate(client):
    ada = grant_of("Ada", "Lovelace")
    page = client.get("/en/grants/", {"q": "lovlace"})
    assert page.status_code == 200
    assert list(page.context["page_obj"].object_list) == [ada]
    grants = next(group for group in global_search("lovlace") if group.key == "grants")
    assert grants.near_misses and grants.records == [ada]
    assert suggested_anywhere("lovlace") == "lovelace"


def test_a_draft_laureates_name_is_known_but_finds_no_draft_grant():
    grant_of("Ada", "Lovelace")
    Grant.objects.update(publication_status="draft")
    assert "lovelace" in people_words()
    records, near = Grant.objects.public().search_or_near_misses("lovlace")
    assert near and not records.exists()


def test_a_list_suggests_the_name_likely_meant(client):
    director = PersonFactory(first_name="Abderrahmane", last_name="Kheddar")
    UnitFactory(acronym="JRL", name_fr="Robotique", name_en="", director=director)
    page = client.get("/fr/units/", {"q": "khedar"})
    assert page.context["suggestion"] == "kheddar"
    assert "kheddar" in page.context["suggestion_url"]


def test_the_global_search_suggests_no_name_that_finds_nothing(client):
    # Someone quoted in a testimony only is no director nor laureate: their name is a
    # known word, but suggesting it led to a search finding nothing.
    PersonFactory(first_name="Patrick", last_name="Nédellec")
    grant_of("Ada", "Lovelace")
    assert client.get("/en/search/", {"q": "nedelec"}).context["suggestion"] is None
    assert client.get("/en/search/", {"q": "lovlace"}).context["suggestion"] == (
        "lovelace"
    )


def test_a_unit_found_by_its_directors_name_says_so(client):
    director = PersonFactory(first_name="Abderrahmane", last_name="Kheddar")
    UnitFactory(acronym="JRL", name_fr="Robotique", name_en="", director=director)
    UnitFactory(acronym="AAA", name_fr="Kheddar, robotique", name_en="")
    html = client.get("/fr/units/", {"q": "kheddar"}).content.decode()
    # The director is shown on the card found by their name, marked; not on others.
    assert html.count("<dt>Direction</dt>") == 1
    assert "Abderrahmane <mark>Kheddar</mark>" in html
    search = client.get("/fr/search/", {"q": "kheddar"}).content.decode()
    assert "dirigée par Abderrahmane <mark>Kheddar</mark>" in search
    assert "<dt>Direction</dt>" not in client.get("/fr/units/", {"q": "robotique"}).text


def test_a_unit_is_found_by_the_people_its_testimonies_quote():
    # A journalist looks for the researcher they read: quoted on the unit's
    # page, not its director.
    unit = UnitFactory(name_fr="Laboratoire Poncelet", name_en="")
    UnitFactory(name_fr="Laboratoire Fourier", name_en="")
    quoted = PersonFactory(first_name="Patrick", last_name="Lemaître")
    TestimonyFactory(person=quoted, unit=unit)
    draft = PersonFactory(first_name="Patrick", last_name="Brunet")
    TestimonyFactory(person=draft, unit=unit, publication_status="draft")

    assert list(Unit.objects.public().search("Lemaitre")) == [unit]
    assert list(Unit.objects.public().search("patrick lemaître")) == [unit]
    assert near_misses(Unit, "lemiatre") == [unit]
    assert list(Unit.objects.public().search("brunet")) == []
    groups = {group.key: group for group in global_search("lemaitre")}
    assert groups["units"].records == [unit]


def test_a_unit_found_by_a_person_it_quotes_names_them(client):
    unit = UnitFactory(name_fr="Laboratoire Poncelet", name_en="", acronym="LP")
    TestimonyFactory(
        person=PersonFactory(first_name="Patrick", last_name="Lemaître"), unit=unit
    )
    # Its director, quoted too, is named once, as its director.
    TestimonyFactory(person=unit.director, unit=unit)

    cards = client.get("/fr/units/", {"q": "lemaitre"}).text
    search = client.get("/en/search/", {"q": "lemaitre"}).text

    assert "<dt>Cité dans un témoignage</dt>" in cards
    assert "<dd>Patrick <mark>Lemaître</mark></dd>" in cards
    assert "testimonial by Patrick <mark>Lemaître</mark>" in search
    assert unit.director.full_name not in cards
    # Not when the search found the unit otherwise.
    assert (
        "Cité dans un témoignage"
        not in client.get("/fr/units/", {"q": "poncelet"}).text
    )


def test_a_units_list_reads_the_people_quoted_in_one_query(client):
    for number in range(3):
        unit = UnitFactory(name_fr=f"Laboratoire Lemaître {number}", name_en="")
        TestimonyFactory(person=PersonFactory(last_name="Lemaître"), unit=unit)
    client.get(
        "/fr/units/", {"q": "lemaitre"}
    )  # counts cached, as a visitor finds them
    with CaptureQueriesContext(connection) as few:
        client.get("/fr/units/", {"q": "lemaitre", "page": 1})
    for number in range(3, 8):
        unit = UnitFactory(name_fr=f"Laboratoire Lemaître {number}", name_en="")
        TestimonyFactory(person=PersonFactory(last_name="Lemaître"), unit=unit)
    client.get("/fr/units/", {"q": "lemaitre"})
    with CaptureQueriesContext(connection) as many:
        client.get("/fr/units/", {"q": "lemaitre", "page": 1})

    assert len(many) == len(few)
