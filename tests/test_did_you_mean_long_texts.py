"""The suggestions ("Did you mean") know the words of the long texts too: a
unit's description and themes, a grant's or a project's summary, an office's role
("robtique": "robotique", a theme no unit's name holds), on the global search and
the lists, in both languages, on both databases (``DOCUMENT_WORDS`` in
partners/search.py: PostgreSQL's tables of their words, SQLite's words read in
Python; their indexes and triggers are tested in tests/partners/test_document_words.py).
The existing rules hold: only a slip of a word typed, only a suggestion that finds
published records, written as the records write it, a short text's word rather
than a long text's as close."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cnrs_intl.search import suggestions_anywhere
from partners.models import Office
from partners.publication import PublicationStatus
from partners.search import DOCUMENT_WORD_COLUMNS, DOCUMENT_WORDS
from programmes.models import Grant, Project
from tests.factories import GrantFactory, OfficeFactory, ProjectFactory, UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


def themed(themes_fr: str = "", themes_en: str = "", **fields):
    """A unit whose short texts say nothing of its themes."""
    fields = {"name_fr": "Laboratoire commun", "name_en": "Joint laboratory"} | fields
    return UnitFactory(themes_fr=themes_fr, themes_en=themes_en, **fields)


def suggested(client, address: str, text: str):
    """Return the suggestion of the page at ``address`` searched for ``text``, and
    the page."""
    response = client.get(address, {"q": text})
    assert response.status_code == 200
    return response.context.get("suggestion"), response.content.decode()


@pytest.mark.parametrize("address", ["/fr/search/", "/fr/units/"])
def test_a_theme_typed_with_a_slip_is_suggested(client, address):
    unit = themed("Robotique\nVision par ordinateur", "Robotics\nComputer vision")
    themed("Chimie des matériaux", "Materials chemistry")

    suggestion, html = suggested(client, address, "robtique")

    assert suggestion == "robotique"
    assert f'href="{address}?{urlencode({"q": "robotique"})}"' in html
    # Followed, it finds the unit, and needs no other suggestion.
    response = client.get(address, {"q": "robotique"})
    assert response.context.get("suggestion") is None
    assert unit.acronym in response.content.decode()


@pytest.mark.parametrize("address", ["/en/search/", "/en/units/"])
def test_an_english_theme_typed_with_a_slip_is_suggested(client, address):
    themed("Robotique humanoïde", "Humanoid robotics")

    assert suggested(client, address, "robotcs")[0] == "robotics"
    # Capitals kept as typed.
    assert suggested(client, address, "Humanoid Robotcs")[0] == "Humanoid Robotics"


@pytest.mark.parametrize(
    ("factory", "address"),
    [
        (GrantFactory, "/fr/search/"),
        (GrantFactory, "/fr/grants/"),
        (ProjectFactory, "/fr/search/"),
        (ProjectFactory, "/fr/projects/"),
    ],
)
def test_a_word_of_a_summary_is_suggested_as_the_summary_writes_it(
    client, factory, address
):
    factory(
        summary_fr="Une étude de l’océanographie côtière au large du Chili.",
        summary_en="A study of coastal oceanography off Chile.",
    )

    # The tables keep the words folded: the summary says how it is written.
    assert suggested(client, address, "oceanografie")[0] == "océanographie"


def test_a_word_of_an_offices_role_is_suggested_on_the_global_search(client):
    OfficeFactory(
        role_fr="Suit la coopération scientifique avec le Japon.",
        role_en="Follows scientific cooperation with Japan.",
    )

    assert suggested(client, "/en/search/", "scientfic")[0] == "scientific"
    assert suggested(client, "/fr/search/", "scientifiqe")[0] == "scientifique"


@pytest.mark.parametrize("address", ["/fr/search/", "/fr/units/"])
def test_a_word_only_a_draft_holds_is_not_suggested(client, address):
    # The words tables keep the drafts' words, as for the short texts: a
    # suggestion is offered only when it finds published records.
    draft = themed(
        "Volcanologie", "Volcanology", publication_status=PublicationStatus.DRAFT
    )

    assert suggested(client, address, "volcanolgie")[0] is None

    draft.publication_status = PublicationStatus.PUBLISHED
    draft.save()
    assert suggested(client, address, "volcanolgie")[0] == "volcanologie"


@pytest.mark.parametrize(
    ("address", "typed", "name", "theme", "meant"),
    [
        # "sismologe" is a letter from "sismologie" and from "sismologue", as
        # close by trigrams: the name's word.
        (
            "/fr/search/",
            "sismologe",
            "Observatoire de sismologie",
            "Le regard du sismologue",
            "sismologie",
        ),
        # "emergento", as close to both: the name's, though the theme's sorts
        # first.
        (
            "/fr/search/",
            "emergento",
            "Pays émergents",
            "Une économie émergente",
            "émergents",
        ),
        # A list finds "sismologe" by its stem, and suggests nothing beside:
        # "marinu", which no stem holds.
        ("/fr/units/", "marinu", "Station Marina", "Biologie marine", "marina"),
        ("/fr/units/", "marinu", "Biologie marine", "Vie de la marina", "marine"),
    ],
)
def test_a_short_texts_word_wins_over_a_long_texts_word_as_close(
    client, address, typed, name, theme, meant
):
    # Names are what visitors type most, and what the search ranks first.
    themed(name_fr=name, name_en="")
    themed(theme)

    assert suggested(client, address, typed)[0] == meant


@pytest.mark.parametrize("address", ["/en/search/", "/en/units/"])
def test_a_long_texts_word_closer_than_a_short_texts_wins(client, address):
    # "robotcs" is closer to "robotics", a theme, than to "robots", a name's
    # word: the closest is the likeliest meant, whichever text holds it.
    themed(name_fr="Robots et société", name_en="Robots and society")
    themed("Robotique", "Robotics")

    assert suggested(client, address, "robotcs")[0] == "robotics"


@pytest.mark.parametrize("address", ["/en/search/", "/en/units/"])
def test_a_long_texts_word_stemmed_as_the_word_typed_is_no_correction(client, address):
    # "relating" finds the units whose descriptions say "relations", stemmed
    # alike: "Did you mean relations?" would find them again, and made them
    # close records rather than matches.
    relations = themed(
        description_en="A unit studying international relations in Asia.",
        description_fr="",
    )

    themed("Robotique", "Robotics")

    response = client.get(address, {"q": "relating"})
    assert response.context.get("suggestion") is None
    assert relations.acronym in response.content.decode()
    # Beside a slip, kept as typed.
    assert suggestions_anywhere("robotcs relating")[0] == "robotics relating"


def test_a_word_of_the_long_texts_typed_right_is_no_slip(client):
    # "robotique", known as typed in the themes, is corrected to no close word
    # of a name ("robotiques"), which the short texts' words alone offered.
    themed("Robotique")
    UnitFactory(name_fr="Systèmes robotiques", name_en="")

    assert suggestions_anywhere("robotique") == []
    assert suggested(client, "/fr/search/", "robotique")[0] is None


def reads_long_text_words(sql: str) -> bool:
    """Tell whether a query reads the words of the long texts: PostgreSQL's
    tables of them, or on SQLite every row's long texts (``known_words``)."""
    quote = connection.ops.quote_name
    return any(
        words in sql
        or sql.startswith(
            f"SELECT {', '.join(map(quote, DOCUMENT_WORD_COLUMNS[table]))} "
            f"FROM {quote(table)}"
        )
        for table, words in DOCUMENT_WORDS.items()
    )


@pytest.mark.parametrize("address", ["/fr/search/", "/fr/units/"])
def test_a_search_needing_no_suggestion_reads_no_long_texts_words(client, address):
    themed("Robotique", name_fr="Laboratoire de robotique", name_en="")

    with CaptureQueriesContext(connection) as named:
        assert suggested(client, address, "laboratoire robotique")[0] is None
    assert not [q for q in named.captured_queries if reads_long_text_words(q["sql"])]
    # Where a word is known nowhere else, they are read.
    with CaptureQueriesContext(connection) as slipped:
        assert suggested(client, address, "laboratoire robtique")[0] == (
            "laboratoire robotique"
        )
    assert [q for q in slipped.captured_queries if reads_long_text_words(q["sql"])]


def populate(count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        themed(f"Robotique {number}\nVision", f"Robotics {number}\nVision")
        GrantFactory(summary_fr=f"Océanographie côtière {number}.")


@pytest.mark.parametrize(
    ("address", "text", "meant"),
    [
        ("/fr/search/", "robtique", "robotique"),
        ("/fr/units/", "robtique", "robotique"),
        ("/fr/grants/", "oceanografie", "océanographie"),
        ("/fr/search/", "robotique", None),
        ("/fr/units/", "robotique", None),
    ],
)
def test_the_query_count_does_not_grow_with_the_long_texts(
    client, address, text, meant
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert suggested(client, address, text)[0] == meant
        return len(context)

    populate(2)
    few = queries()
    populate(12, start=2)
    assert queries() == few


@pytest.mark.parametrize("model", [Unit, Grant, Project, Office])
def test_the_tables_of_words_keep_the_words_of_the_long_texts_searched(model):
    # partners/search.py cannot import the models' QuerySets (the apps to its
    # right): its columns must stay those searched.
    searched = model.objects.none().long_text_fields()
    assert set(DOCUMENT_WORD_COLUMNS[model._meta.db_table]) == set(searched)
