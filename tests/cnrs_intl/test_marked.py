"""The words searched for, marked where the records found hold them (``marked``)."""

import pytest
from django.template import Context, Template

from cnrs_intl.templatetags.cnrs_intl import marked
from partners.search import found_spans
from tests.factories import GrantFactory, PartnerFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


def shown(text, query):
    return [text[start:end] for start, end in found_spans(text, query)]


@pytest.mark.parametrize(
    ("text", "query", "words"),
    [
        ("Universidade de São Paulo", "sao paulo", ["São", "Paulo"]),
        ("UNIVERSITÉ PARIS-SACLAY", "paris-saclay", ["PARIS", "SACLAY"]),
        ("École normale supérieure (ENS-Lyon)", "ens", ["ENS"]),
        ("Académie des sciences", "ens", []),  # a short word starts a word
        ("Universitätsklinikum", "klinikum", ["klinikum"]),
        ("University of St Andrews", "saint andrews", ["St", "Andrews"]),
        ("Université Jean Monnet Saint-Étienne", "st etienne", ["Saint", "Étienne"]),
        ("Straße der Pariser Kommune", "strasse", ["Straße"]),
        ("北京大学", "大学", ["大学"]),
        ("北京ENS", "ens", ["ENS"]),  # the character before the word is not marked
        # Plurals found in the singular, as the search finds them.
        ("Université de Tokyo", "universités", ["Université"]),
        ("University of Tokyo", "universities", ["University"]),
        ("Bureau du CNRS", "bureaux", ["Bureau"]),
        # A dotted acronym is one word.
        ("CNRS Washington Office, US", "U.S. office", ["Office", "US"]),
        # Letters and digits typed together, found apart (the unit "<MSE>2")…
        ("<MSE>2 Multi-Scale Materials Evolution", "mse2", ["MSE", "2"]),
        # … only where the text does not hold them together.
        ("Laboratoire MSE2, salle 2", "mse2", ["MSE2"]),
        ("Université de Tokyo", "", []),
        ("Université de Tokyo", "'", []),
        # Stop words are not marked beside other words ("du" of "Afrique du Sud",
        # "de" inside "des")…
        ("Bureau du CNRS à Pretoria", "bureau afrique du sud", ["Bureau"]),
        ("Institut des sciences de la mer", "de la mer", ["mer"]),
        # … but alone, they are what was searched.
        ("Institut de la mer", "de la", ["de", "la"]),
    ],
)
def test_the_words_are_found_as_the_search_finds_them(text, query, words):
    assert shown(text, query) == words


def test_overlapping_and_adjacent_finds_make_one_mark():
    assert shown("Universidade", "univ universidad") == ["Universidad"]


def test_the_text_around_and_inside_the_marks_is_escaped():
    result = marked("<b>Tokyo</b> & “Tōkyō”", "tokyo")
    assert result == (
        "&lt;b&gt;<mark>Tokyo</mark>&lt;/b&gt; &amp; “<mark>Tōkyō</mark>”"
    )
    assert marked("<i>", "x") == "&lt;i&gt;"
    assert marked(None, "x") == ""


def test_the_filter_escapes_what_it_marks_in_a_template():
    template = Template("{% load cnrs_intl %}{{ name|marked:q }}")
    html = template.render(Context({"name": "A&M <University>", "q": "univ"}))
    assert html == "A&amp;M &lt;<mark>Univ</mark>ersity&gt;"


def test_the_partners_list_marks_the_words_found(client):
    PartnerFactory(
        name_fr="Universidade de São Paulo",
        name_en="University of São Paulo",
        acronym="USP",
        city_fr="São Paulo",
        city_en="São Paulo",
    )
    html = client.get("/fr/partners/", {"q": "sao paulo usp"}).content.decode()
    assert "<mark>São</mark> <mark>Paulo</mark>" in html
    assert "(<mark>USP</mark>)" in html
    # Listed without a search: nothing marked.
    assert "<mark>" not in client.get("/fr/partners/").content.decode()


def test_near_misses_are_not_marked(client):
    PartnerFactory(name_fr="Universidade de São Paulo", name_en="", acronym="")
    response = client.get("/fr/partners/", {"q": "Universidade de Sao Paolo"})
    assert "Universidade de São Paulo" in response.content.decode()
    assert "<mark>" not in response.content.decode()


def test_the_units_list_and_the_global_search_mark_the_words_found(client):
    UnitFactory(acronym="JFLI", name_fr="Laboratoire franco-japonais d’informatique")
    units = client.get("/fr/units/", {"q": "japonais"}).content.decode()
    assert "franco-<mark>japonais</mark> d’informatique" in units
    search = client.get("/en/search/", {"q": "jfli"}).content.decode()
    assert "<mark>JFLI</mark>" in search
    UnitFactory(acronym="<MSE>2", name_en="Multi-Scale Materials Evolution")
    apart = client.get("/en/units/", {"q": "MSE2"}).content.decode()
    assert "&lt;<mark>MSE</mark>&gt;<mark>2</mark>" in apart


def test_the_grants_and_projects_lists_mark_the_words_found(client):
    GrantFactory(
        acronym="QUANTUM",
        title_fr="Matière quantique",
        title_en="Quantum matter",
        laureate__first_name="Ada",
        laureate__last_name="Lovelace",
    )
    ProjectFactory(acronym="OCEANS", title_fr="Océans et climat", title_en="")
    grants = client.get("/fr/grants/", {"q": "quantique"}).content.decode()
    assert "Matière <mark>quantique</mark>" in grants
    laureate = client.get("/fr/grants/", {"q": "lovelace"}).content.decode()
    assert "Ada <mark>Lovelace</mark>" in laureate
    projects = client.get("/fr/projects/", {"q": "oceans"}).content.decode()
    assert "<mark>OCEANS</mark>" in projects
    assert "<mark>Océans</mark> et climat" in projects
