"""Typo tolerance for grants and projects, on both databases: typed words corrected.

As for partners (tests/partners/test_typo_search.py): PostgreSQL keeps the words of
the grants' and projects' acronyms and titles in a table each
(programmes/migrations/0011_grant_project_search_words.py), SQLite finds the same
words in Python, and the near misses of a search are the records holding a close
word of each word typed, closest first. The PostgreSQL side (triggers, bulk
writers, indexes) is in tests/partners/test_search_indexes.py.
"""

import pytest
from django.db import connection

from cnrs_intl.search import global_search
from partners.search import SEARCH_WORDS, known_words
from programmes.models import Grant, Project
from tests.factories import GrantFactory, ProjectFactory

pytestmark = pytest.mark.django_db

FACTORIES = {Grant: GrantFactory, Project: ProjectFactory}
MODELS = pytest.mark.parametrize("model", [Grant, Project])


def words_known(model) -> set[str]:
    """The model's words as the database in use keeps them."""
    table = SEARCH_WORDS[model._meta.db_table]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT word FROM {table}")
            return {row[0] for row in cursor.fetchall()}
    return set(known_words(table, connection))


def titled(model, title_fr, title_en="", **fields):
    return FACTORIES[model](title_fr=title_fr, title_en=title_en, **fields)


@MODELS
def test_the_words_known_are_those_of_acronyms_and_titles_drafts_included(model):
    titled(model, "Turbulence aux interfaces", "Turbulence at interfaces")
    titled(model, "Séismes lents", acronym="QUAKE-2", publication_status="draft")
    words = words_known(model)
    assert {"turbulence", "interfaces", "seismes", "lents", "quake"} <= words
    assert not {word for word in words if not word.isalpha() or len(word) < 3}


@MODELS
def test_a_typo_search_finds_the_records_holding_a_correction_of_each_word(model):
    turbulence = titled(
        model, "Contrôler la turbulence aux interfaces", "Controlling turbulence"
    )
    titled(model, "Explorer les matériaux quantiques", "Exploring quantum materials")
    records, near_misses = model.objects.public().search_or_near_misses(
        "turbulemce interfces"
    )
    assert near_misses
    assert list(records) == [turbulence]
    sql, _params = records.query.sql_with_params()
    assert "<%" not in sql and "WORD_SIMILARITY" not in sql.upper()
    # Nothing close to any word typed finds nothing.
    assert not model.objects.public().search("xqzjv wyxq").exists()


@MODELS
def test_words_no_record_holds_together_offer_those_holding_both_nearly(model):
    # "climat arctique": no record holds both. A near miss holds a close word of
    # each ("climate" and "arctic"); one holding a single word is no near miss,
    # where comparing the whole text typed offered every "climat".
    arctic = titled(model, "", "Climate of the Arctic Ocean")
    titled(model, "Le climat des villes", "")
    titled(model, "Glaces de l’Arctique", "")
    records, near_misses = model.objects.public().search_or_near_misses(
        "climat arctique"
    )
    assert near_misses
    assert list(records.closest_first("climat arctique")) == [arctic]


@MODELS
def test_near_misses_come_closest_first(model):
    # Holding the best correction of each word first ("turbulence" for
    # "turbulemce", before "turbulentes"); among equals, the closest whole text,
    # then the shortest.
    farther = titled(model, "Interfaces turbulentes", "")
    closest = titled(model, "Turbulence aux interfaces", "")
    longer = titled(model, "Contrôler la turbulence aux interfaces des glaces", "")
    typed = "turbulemce interfaces"
    records, near_misses = model.objects.public().search_or_near_misses(typed)
    assert near_misses
    ranked = list(records.closest_first(typed))
    assert ranked == [closest, longer, farther]


def test_the_global_search_offers_the_grants_and_projects_nearly_named():
    grant = GrantFactory(title_fr="Explorer les matériaux quantiques", title_en="")
    project = ProjectFactory(title_fr="Mesurer les protéines membranaires", title_en="")
    groups = {group.key: group for group in global_search("quantiqes")}
    assert groups["grants"].near_misses
    assert groups["grants"].records == [grant]
    assert groups["projects"].records == []
    groups = {group.key: group for group in global_search("protienes membranaires")}
    assert groups["projects"].near_misses
    assert groups["projects"].records == [project]
