"""PostgreSQL: the tables of the words of the long texts (``DOCUMENT_WORDS``,
``document_words_statements`` in partners/pg_indexes.py; units 0023, programmes
0024, partners 0034), which "Did you mean" reads beside the short texts' (what it
suggests, on both databases: tests/test_did_you_mean_long_texts.py).

Kept by row triggers on every write, deferred by bulk writers, who add the words
at the end (``search_words_added_by_caller``, ``add_search_words``); the same
words as SQLite finds in Python (``known_words``); the closest to a typed word read
through their trigram index.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners import search
from partners.models import Office
from partners.search import (
    DOCUMENT_WORDS,
    add_search_words,
    corrections,
    search_words_added_by_caller,
    typed_words,
)
from programmes.models import Grant, Project
from tests.factories import GrantFactory, OfficeFactory, ProjectFactory, UnitFactory
from tests.plans import plan
from units.models import Unit

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the tables of words exist on PostgreSQL only")


def document_words(model) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {DOCUMENT_WORDS[model._meta.db_table]}")
        return {row[0] for row in cursor.fetchall()}


# (model, factory, a long text of each language).
LONG_TEXTS = pytest.mark.parametrize(
    ("model", "factory", "french", "english"),
    [
        (Unit, UnitFactory, "themes_fr", "description_en"),
        (Grant, GrantFactory, "summary_fr", "summary_en"),
        (Project, ProjectFactory, "summary_fr", "summary_en"),
        (Office, OfficeFactory, "role_fr", "role_en"),
    ],
)


@LONG_TEXTS
def test_postgresql_keeps_the_words_of_every_long_text_written(
    model, factory, french, english
):
    record = factory(**{french: "Océanographie côtière", english: ""})
    assert {"oceanographie", "cotiere"} <= document_words(model)
    model.objects.filter(pk=record.pk).update(**{english: "Coastal oceanography"})
    assert {"coastal", "oceanography"} <= document_words(model)
    # Words of two letters, numbers and codes are not corrected: not kept.
    model.objects.filter(pk=record.pk).update(**{english: "El Niño 2024 co2"})
    assert not {"el", "2024", "co2"} & document_words(model)
    assert "nino" in document_words(model)
    # Nor are the short texts' words, which have their own table.
    assert "turbulences" not in document_words(model)
    factory(**{french: "", english: ""}, **short_text(model, "Turbulences"))
    assert "turbulences" not in document_words(model)


def short_text(model, text: str) -> dict:
    """A short text of ``model`` holding ``text``: a name, or a title."""
    return {"name_fr": text} if model in (Unit, Office) else {"title_fr": text}


@LONG_TEXTS
def test_bulk_writers_add_the_long_texts_words_themselves(
    model, factory, french, english
):
    with search_words_added_by_caller(connection):
        deferred = factory(**{french: "Séismes lents", english: ""})
        assert "seismes" not in document_words(model)  # left to the writer
        if model is not Office:  # offices are never written in bulk
            add_search_words(connection, [deferred.pk], model._meta.db_table)
            assert "seismes" in document_words(model)
    factory(**{french: "Glaciers tropicaux", english: ""})
    assert "glaciers" in document_words(model)  # the triggers are back


def test_generate_data_adds_the_words_of_the_long_texts():
    call_command("generate_data", scale=0.0002, stdout=io.StringIO())
    for model, field in (
        (Unit, "themes_fr"),
        (Unit, "description_en"),
        (Grant, "summary_fr"),
        (Project, "summary_en"),
    ):
        generated = model.objects.filter(synthetic=True).last()
        words = {
            word
            for word in typed_words(getattr(generated, field))
            if len(word) >= 3 and word.isalpha()
        }
        assert words and words <= document_words(model), (model, field)


@LONG_TEXTS
def test_python_finds_the_long_texts_words_postgresql_does(
    model, factory, french, english
):
    factory(**{french: "Matériaux quantiques à l’échelle", english: "Quantum matter"})
    factory(**{french: "Veðurstofa Íslands", english: ""}, publication_status="draft")
    table = DOCUMENT_WORDS[model._meta.db_table]
    python_words = search.known_words(table, connection)
    assert set(python_words) == document_words(model)
    by_postgresql = corrections(["quantiqes"], table, connection)["quantiqes"]
    assert by_postgresql[0][0] == "quantiques"
    # Of the closest words, the plausible slips (not "quantum"), as corrections
    # keeps them.
    assert by_postgresql == [
        (word, pytest.approx(score, abs=1e-5))
        for word, score in search.closest_known_words("quantiqes", python_words)
        if search.plausible_slip("quantiqes", word)
    ]


@pytest.mark.parametrize("model", [Unit, Grant, Project, Office])
def test_the_closest_long_texts_words_are_read_through_their_trigram_index(model):
    table = DOCUMENT_WORDS[model._meta.db_table]
    with CaptureQueriesContext(connection) as captured:
        corrections(["robtique"], table, connection)
    (query,) = [q["sql"] for q in captured.captured_queries if table in q["sql"]]
    with connection.cursor() as cursor:
        # Off: on a test table of a few rows the planner would rightly read it all,
        # or walk its primary key testing each word (as it did in CI): what is
        # asked here is whether the trigram index can serve the similarity.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {query}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{table}_trgm" in plan, plan


@pytest.mark.parametrize(
    ("model", "prefix"), [(Unit, "unit"), (Grant, "grant"), (Project, "project")]
)
def test_how_the_long_texts_write_a_word_is_read_through_their_text_indexes(
    model, prefix
):
    # A suggestion is written as the records write it ("océanographie"): the
    # rows holding it are found by the full-text indexes, where a LIKE alone
    # read every summary.
    holding = model.objects.none().long_texts_holding("oceanographie")
    result = plan(model.objects.filter(holding).order_by())
    assert f"{prefix}_search_french" in result, result
    assert f"{prefix}_search_english" in result, result
