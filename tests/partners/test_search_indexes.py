"""PostgreSQL: the search and sort queries use the indexes the migrations made.

Sequential scans are turned off for the EXPLAIN: on a test table of a few rows the
planner would rightly prefer them, and the question here is whether the index fits
the expression at all. An expression index is only used for the very expression it
was built on, so these tests fail as soon as the SQL built by partners/search.py and
the migrations' expressions drift apart.
"""

import io
import json
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from cnrs_intl.demo import data as demo_data
from partners import search, searchable
from partners.models import Partner, PartnerKind
from partners.search import (
    add_search_words,
    corrections,
    fold,
    search_words_added_by_caller,
    sorted_once_found,
    text_search,
    typed_words,
    typo_search,
    words_apart_search,
)
from partners.services import import_ror
from partners.views import CountryOrderPaginator
from programmes.filters import GrantFilterSet, ProjectFilterSet
from programmes.models import Grant, GrantScheme, Project, participating_projects
from tests.factories import (
    GrantFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    TestimonyFactory,
    UnitFactory,
)
from tests.plans import plan
from units.filters import UnitFilterSet
from units.models import Person, Unit

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

ROR_SAMPLE = Path(__file__).parent / "data" / "ror-v2-monash-university.json"


def ror_sample() -> dict:
    return json.loads(ROR_SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("search indexes exist on PostgreSQL only")


def trigram_indexes(prefix: str) -> tuple[str, ...]:
    """The trigram indexes of a table's short texts: partners' words of two or
    three letters have their own (partners 0029)."""
    if prefix == "partner":
        return ("partner_search_trgm", "partner_word_starts_trgm")
    return (f"{prefix}_search_trgm",)


def searched(model, text):
    queryset = model.objects.none()
    # Unordered: an index matching the default ordering could otherwise be chosen.
    return model.objects.filter(
        text_search(text, queryset.text_fields, queryset.document_fields)
    ).order_by()


@pytest.mark.parametrize(
    ("model", "prefix"),
    [(Partner, "partner"), (Unit, "unit"), (Grant, "grant"), (Project, "project")],
)
def test_words_use_the_trigram_and_full_text_indexes(model, prefix):
    result = plan(searched(model, "Sao Paulo"))
    assert any(index in result for index in trigram_indexes(prefix)), result
    if model is not Partner:  # partners have short names only: no full text
        assert f"{prefix}_search_french" in result, result
        assert f"{prefix}_search_english" in result, result


@pytest.mark.parametrize(
    ("model", "prefix"), [(Unit, "unit"), (Grant, "grant"), (Project, "project")]
)
def test_the_starts_of_words_use_the_full_text_indexes(model, prefix):
    # "math" for "mathématiques": PostgreSQL's prefix queries, on the same index.
    condition = model.objects.none().prefix_condition("math ocean")
    result = plan(model.objects.filter(condition).order_by())
    assert f"{prefix}_search_french" in result, result
    assert f"{prefix}_search_english" in result, result
    assert "to_tsquery('simple'::regconfig, 'math:* & ocean:*'" in result or (
        "''math'':* & ''ocean'':*" in result
    ), result


@pytest.mark.parametrize("model", [Unit, Grant, Project])
def test_full_text_search_reads_the_stored_documents(model):
    # A word most summaries hold ("projects") made PostgreSQL read every grant and
    # parse its summary twice (6 s at 100,000 grants): the documents are stored.
    queryset = model.objects.none()
    for condition in (
        text_search("projects", queryset.text_fields, queryset.document_fields),
        queryset.prefix_condition("math"),
    ):
        sql = str(model.objects.filter(condition).query)
        assert "search_document_fr" in sql, sql
        assert "search_document_en" in sql, sql
        assert "to_tsvector" not in sql, sql


@pytest.mark.parametrize(
    ("factory", "texts"),
    [
        (
            UnitFactory,
            {"name_en": "Quantum Robotics Laboratory", "description_fr": "Les océans"},
        ),
        (GrantFactory, {"title_en": "Glaciers", "summary_fr": "Des climats passés"}),
        (ProjectFactory, {"acronym": "TASCMAR", "summary_en": "Marine invertebrates"}),
    ],
)
def test_the_stored_documents_are_what_full_text_search_parses(factory, texts):
    # Built by the migrations from the columns the queries name (``document``):
    # a column added to one and not the other would silently miss its words.
    record = factory(**texts)
    model = type(record)
    for config, fields in model.objects.none().document_fields.items():
        expression = search.document(model.objects.none().text_fields, fields)
        parsed = (
            model.objects.filter(pk=record.pk)
            .annotate(text=expression)
            .values_list("text", flat=True)
            .get()
        )
        code = {"french": "fr", "english": "en"}[config]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_document_{code} = to_tsvector(%s::regconfig, %s) "
                f"FROM {model._meta.db_table} WHERE id = %s",
                [config, parsed, record.pk],
            )
            assert cursor.fetchone()[0] is True, (config, parsed)


def test_the_starts_of_words_or_their_stems_use_the_full_text_indexes():
    # "Fields medal": "Fields" whole is the lexeme "field" ("a Fields medallist").
    condition = Unit.objects.none().prefix_condition("fields medal")
    result = plan(Unit.objects.filter(condition).order_by())
    assert "unit_search_english" in result, result
    assert "''fields'':* | ''field''" in result, result


@pytest.mark.parametrize(
    ("model", "prefix"), [(Unit, "unit"), (Grant, "grant"), (Project, "project")]
)
def test_short_words_starting_a_word_use_the_trigram_index(model, prefix):
    # "usp" must start a word: a regular expression, which pg_trgm serves too.
    # Partners: test_a_short_word_is_sought_through_the_index_of_word_starts.
    result = plan(searched(model, "USP"))
    assert f"{prefix}_search_trgm" in result, result
    assert "~ '(^|[^a-z0-9])usp'" in result, result


@pytest.mark.parametrize(
    ("model", "prefix"),
    [(Partner, "partner"), (Unit, "unit"), (Grant, "grant"), (Project, "project")],
)
def test_a_country_named_whole_uses_the_trigram_and_full_text_indexes(model, prefix):
    # "chine" is a word whole ("machine" is not China): a regular expression too.
    result = plan(model.objects.matching("chine", whole_words=True).order_by())
    assert f"{prefix}_search_trgm" in result, result
    assert "~ '(^|[^a-z0-9])chine([^a-z0-9]|$)'" in result, result
    assert "Seq Scan" not in result, result


@pytest.mark.parametrize("text", ["st andrews", "saint andrews"])
def test_abbreviations_and_their_words_in_full_use_the_trigram_index(text):
    result = plan(searched(Partner, text))
    assert "Bitmap Index Scan on partner_search_trgm" in result, result
    assert "search_text ~ " in result, result
    PartnerFactory(name_fr="University of St Andrews")
    assert Partner.objects.search(text).count() == 1


@pytest.mark.parametrize("config", ["french", "english"])
def test_the_stop_words_left_out_are_postgresqls_own(config):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM unnest(%s::text[]) word"
            " WHERE numnode(plainto_tsquery(%s::regconfig, word)) > 0",
            [sorted(search.STOP_WORDS[config]), config],
        )
        assert cursor.fetchall() == []
        cursor.execute(f"SELECT numnode(plainto_tsquery('{config}', 'arctique'))")
        assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize(
    ("model", "prefix"), [(Unit, "unit"), (Grant, "grant"), (Project, "project")]
)
def test_words_in_names_or_long_texts_use_the_indexes(model, prefix):
    # Each word in the short texts or the long ones: the three indexes per word.
    queryset = model.objects.none()
    apart = words_apart_search(
        "JFLI informatique de", queryset.text_fields, queryset.document_fields
    )
    result = plan(model.objects.filter(apart).order_by())
    assert f"{prefix}_search_trgm" in result, result
    assert f"{prefix}_search_french" in result, result
    assert f"{prefix}_search_english" in result, result
    assert "Seq Scan" not in result, result


def test_laureates_are_found_through_their_own_index():
    words = text_search("Ada Lovelace", ("first_name", "last_name"))
    result = plan(Person.objects.filter(words).order_by())
    assert "person_search_trgm" in result, result
    grant = GrantFactory(laureate__first_name="Ada", laureate__last_name="Lovelace")
    GrantFactory()
    assert list(Grant.objects.search("ada lovelace")) == [grant]


def test_units_found_by_the_people_they_name_are_read_from_the_indexes():
    # A unit is found by its director and by the people its testimonies quote: as a
    # subquery ORed with the texts' conditions, the quoted people made PostgreSQL
    # parse every unit's description ("chine", a "Chinedu" among the people).
    quoted = PersonFactory(first_name="Chinedu", last_name="Okafor")
    unit = UnitFactory()
    TestimonyFactory(unit=unit, person=quoted)
    directed = UnitFactory(director__first_name="Chinedu")
    UnitFactory()
    result = plan(Unit.objects.search("chinedu").order_by())
    assert "unit_search_french" in result, result
    assert "Seq Scan on units_unit" not in result, result
    assert set(Unit.objects.search("chinedu")) == {unit, directed}


def test_names_mistyped_are_corrected_through_the_people_indexes():
    # units 0016: people's names stored folded, the trigram index on them, and the
    # table of their words, where a name mistyped is corrected.
    grant = GrantFactory(laureate__first_name="Ada", laureate__last_name="Lovelace")
    condition = search.corrected_search(
        "lovlace", ("first_name", "last_name"), "units_person_search_word", connection
    )
    result = plan(Person.objects.filter(condition).order_by())
    assert "person_search_trgm" in result, result
    assert "search_text" in result and "immutable_unaccent" not in result, result
    records, near_misses = Grant.objects.search_or_near_misses("lovlace")
    assert near_misses and list(records) == [grant]


def test_postgresql_keeps_the_words_of_peoples_names():
    table = "units_person_search_word"
    person = PersonFactory(first_name="Élise", last_name="Müller-Dubois")
    assert {"elise", "muller", "dubois"} <= known_words(table)
    Person.objects.filter(pk=person.pk).update(last_name="Lefèvre")
    assert "lefevre" in known_words(table)
    with search_words_added_by_caller(connection):
        deferred = PersonFactory(first_name="Ada", last_name="Lovelace")
        assert "lovelace" not in known_words(table)  # left to the bulk writer
        add_search_words(connection, [deferred.pk], "units_person")
        assert "lovelace" in known_words(table)
    assert set(search.known_words(table, connection)) <= known_words(table)
    by_postgresql = corrections(["lovlace"], table, connection)["lovlace"]
    assert by_postgresql[0][0] == "lovelace"
    assert by_postgresql == [
        (word, pytest.approx(score, abs=1e-5))
        for word, score in search.closest_known_words(
            "lovlace", search.known_words(table, connection)
        )
    ]


def test_the_admin_search_of_people_reads_its_own_index(rf, admin_user):
    from django.contrib.admin.sites import site

    PersonFactory(first_name="Ada", last_name="Lovelace")
    request = rf.get("/admin/units/person/", {"q": "Lovelace"})
    request.user = admin_user
    person_admin = site._registry[Person]
    found, _duplicates = person_admin.get_search_results(
        request, Person.objects.all(), "Lovelace"
    )

    result = plan(found.order_by())
    assert "person_admin_search_trgm" in result, result


def test_unaccent_is_inlined_to_the_fast_c_function():
    # The test cluster's role is a superuser, as the migration needs for it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT immutable_unaccent('Université de São Paulo')")
        assert cursor.fetchone()[0] == "Universite de Sao Paulo"
        cursor.execute(
            "SELECT count(*) FROM pg_proc WHERE proname = 'immutable_unaccent'"
            " AND prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')"
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize(
    ("model", "prefix"),
    [(Partner, "partner"), (Unit, "unit"), (Grant, "grant"), (Project, "project")],
)
def test_near_misses_use_the_trigram_index(model, prefix):
    queryset = model.objects.none()
    near_misses = typo_search("Sao Paolo", queryset.text_fields)
    result = plan(model.objects.filter(near_misses).order_by())
    assert f"{prefix}_search_trgm" in result, result


def stored_search_text(partner, column: str = "search_text") -> str:
    """A partner's generated column, as PostgreSQL stored it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM partners_partner WHERE id = %s", [partner.pk]
        )
        return cursor.fetchone()[0]


def test_partners_are_checked_against_their_stored_search_text():
    # The trigram index finds the candidates; each is then checked against the
    # stored column, not against six columns unaccented again.
    PartnerFactory(name_fr="Université de São Paulo")
    result = plan(Partner.objects.search("Paulo").order_by())
    assert "partner_search_trgm" in result, result
    assert "search_text" in result, result
    assert "immutable_unaccent" not in result, result
    near_misses = typo_search("Sao Paolo", Partner.objects.none().text_fields)
    result = plan(Partner.objects.filter(near_misses).order_by())
    assert "search_text" in result and "immutable_unaccent" not in result, result


def test_postgresql_keeps_the_stored_search_text_of_every_write():
    partner = PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        original_name="Universidade de São Paulo",
        acronym="USP",
        city_fr="São Paulo",
        city_en="",
    )
    assert stored_search_text(partner) == (
        "universite de sao paulo university of sao paulo "
        "universidade de sao paulo usp sao paulo "
    )
    Partner.objects.filter(pk=partner.pk).update(acronym="ÚSP-2")
    assert "usp-2" in stored_search_text(partner)
    imported = import_ror(io.BytesIO(json.dumps([ror_sample()]).encode()))
    assert imported.created == 1
    ror_partner = Partner.objects.latest("pk")  # written by COPY
    assert stored_search_text(ror_partner) == fold(
        " ".join(
            getattr(ror_partner, name) or ""
            for name in Partner.objects.none().text_fields
        )
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_public_list_sorted_by_name_reads_the_name_index(language):
    with translation.override(language):
        result = plan(Partner.objects.public().order_by_name()[:20], ordered=True)
    assert f"partner_shown_name_{language}" in result, result
    assert "Sort" not in result.split("\n")[1], result


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_names_starting_with_a_text_are_a_range_of_the_name_index(language, public):
    # The autocomplete's first query: "univ" begins a third of a million names.
    # The admin's partner pickers suggest drafts too (not public).
    partners = Partner.objects.public() if public else Partner.objects.all()
    with translation.override(language):
        starting = partners.named_starting_with("Univ")[:10]
        result = plan(starting, ordered=True)
    assert f"Index Scan using partner_shown_name_{language}" in result, result
    assert "Index Cond" in result, result  # a range, not the whole index
    assert "Sort" not in result, result


def test_the_indexed_queries_find_the_records():
    sao_paulo = PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        original_name="Universidade de São Paulo",
        acronym="USP",
    )
    PartnerFactory(name_fr="Université de Tokyo", name_en="University of Tokyo")
    unit = UnitFactory(description_fr="Les climats anciens de l'Amazonie")
    GrantFactory(title_fr="Éruptions", title_en="Eruptions")
    ProjectFactory(summary_en="Glaciers are melting faster")
    assert list(Partner.objects.search("universidade sao paulo")) == [sao_paulo]
    assert list(Partner.objects.search("Universidade de Sao Paolo")) == [sao_paulo]
    assert list(Partner.objects.search("universites")) != []  # a near miss
    assert list(Unit.objects.search("climat amazonie")) == [unit]
    assert Grant.objects.search("eruption").count() == 1
    assert Project.objects.search("glacier melts").count() == 1  # stemmed English


def test_the_grants_list_reads_its_first_page_from_its_order_index():
    GrantFactory.create_batch(3)
    result = plan(Grant.objects.public().for_list()[:20], ordered=True)
    assert "grant_list_order" in result, result


@pytest.mark.parametrize(
    ("filterset", "data", "index"),
    [
        (UnitFilterSet, {}, "unit_list_order"),
        (UnitFilterSet, {"ordering": "acronym"}, "unit_list_order"),
        (ProjectFilterSet, {}, "project_list_order"),
        (GrantFilterSet, {}, "grant_list_order"),
        (GrantFilterSet, {"ordering": "latest"}, "grant_list_order"),
    ],
)
def test_the_lists_read_their_acronyms_case_ignored_from_their_order_index(
    filterset, data, index
):
    # Ordered by UPPER(acronym) and id ("Tascmar" between "TASC" and
    # "TERRATECH2"): the index holds that very expression, and no sort is left.
    UnitFactory.create_batch(3)
    ProjectFactory.create_batch(3)
    GrantFactory.create_batch(3)
    records = filterset(data).qs
    sql = str(records.query)
    assert 'UPPER("' in sql, sql
    result = plan(records[:20], ordered=True)
    assert index in result, result
    assert "Sort" not in result, result


@pytest.mark.parametrize(
    ("model", "text", "index"),
    [
        (Grant, "MSCA", "grant_list_order"),
        (Grant, "ERC 2016", "grant_list_order"),
        (Project, "projets", "project_list_order"),
    ],
)
def test_a_kind_named_alone_reads_its_page_from_the_list_order_index(
    model, text, index
):
    # Ranked, each of the 40,110 MSCA grants had its rank computed, then was
    # sorted by title (0.2 s at 100,000 grants): listed as the list is, a page
    # is read along the list's index (``listed_as_kind_named``), its ids first
    # (``rows_between``).
    GrantFactory.create_batch(3, scheme=GrantScheme.MSCA_PF, panel="")
    GrantFactory.create_batch(3, call_year=2016)
    ProjectFactory.create_batch(3)
    found = model.objects.public().found(text)
    listed = found.best_matches_first(text)
    assert found.exists()
    assert tuple(listed.query.order_by) == (*model._meta.ordering, "pk")
    # On a few rows the index of the list's first key alone (the call year's),
    # then an incremental sort of each year's few grants, costs what the list's
    # index does: the planner took either, by the statistics earlier tests left.
    # Without those, the plan shows whether the list's index serves this order.
    drop_indexes_leading_with(model, model._meta.ordering[0], keep=index)
    result = plan(listed.values("pk")[:20], ordered=True, incremental=True)
    assert index in result, result


def drop_indexes_leading_with(model, ordering, keep: str) -> None:
    """Drop, within the test's transaction, the indexes of ``model``'s table but
    ``keep`` whose first column is that of ``ordering`` ("-call_year", or an
    expression of it: ``Upper("acronym")``), as it is or upper-cased."""
    if not isinstance(ordering, str):
        ordering = ordering.source_expressions[0].name
    column = model._meta.get_field(ordering.lstrip("-")).column
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname <> %s"
            " AND indexdef ~ %s",
            [table, keep, rf"\((upper\(\()?{column}(\)::text\))?( |,|\))"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")


def test_the_closest_near_misses_are_walked_along_the_index_of_lengths(monkeypatch):
    # Ranked, each of the 390,000 near misses of "universte" was tested against
    # twenty corrections and sorted (1.6 s at a million partners): the closest
    # are walked along this index, shortest first, their texts read from it.
    monkeypatch.setattr(searchable, "SIMILARITY_RANKED_AT_MOST", 0)
    for name in ("Université de Lyon", "University of Oxford", "Universidad"):
        PartnerFactory(name_fr=name, name_en=name)
    found, near_misses = Partner.objects.public().search_or_near_misses("universte")
    assert near_misses
    records = found.best_matches_first("universte", near_misses=True)
    tiers = records.query.best_match_tiers
    walked = tiers.walked(records.filter(tiers.tiers[0]), 20)
    result = plan(walked, ordered=True)
    assert "partner_search_text_length" in result, result


@pytest.mark.parametrize("text", ["EU", "ia", "erc", "MIT"])
def test_a_short_word_is_sought_through_the_index_of_word_starts(text):
    # No trigram narrows "(^|[^a-z0-9])eu": the million partners' texts were
    # read (1 s). With every other character a space, "eu" gives " eu"; "erc"
    # gives " er" beside "erc", found inside every "recherche" too. The rows the
    # index gives are checked against the stored column (partners 0029), not
    # against their texts' characters replaced again.
    PartnerFactory(name_fr="Institut EU-Japon", name_en="EU-Japan Institute")
    PartnerFactory(name_fr="Institut IA", name_en="AI Institute")
    PartnerFactory(name_fr="Conseil (ERC)", name_en="Council (ERC)")
    PartnerFactory(name_fr="MIT", name_en="Massachusetts Institute of Technology")
    PartnerFactory(name_fr="Institut de recherche", name_en="Lieu")
    result = plan(searched(Partner, text))
    assert "partner_word_starts_trgm" in result, result
    assert "search_words ~ " in result and "regexp_replace" not in result, result
    assert Partner.objects.public().search(text).count() == 1


@pytest.mark.parametrize("text", ["x", "euro"])
def test_other_words_are_sought_as_before(text):
    # A letter alone starts too many words; four letters give two trigrams.
    sql = str(searched(Partner, text).query)
    assert "search_words" not in sql, sql


def test_postgresql_keeps_the_words_of_every_write_apart():
    partner = PartnerFactory(
        name_fr="Délégation de l'UE",
        name_en="EU-Japan (Tokyo)",
        original_name="",
        acronym="北京EU",
        city_fr="",
        city_en="",
    )
    assert (
        stored_search_text(partner, "search_words")
        == "delegation de l ue eu japan tokyo eu "
    )
    Partner.objects.filter(pk=partner.pk).update(acronym="ÚSP-2")
    assert stored_search_text(partner, "search_words").endswith(" usp 2 ")


def test_the_home_pages_first_units_come_from_their_order_index():
    UnitFactory.create_batch(3)
    result = plan(Unit.objects.public().for_list()[:150], ordered=True)
    assert "unit_list_order" in result, result


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_matches_of_a_search_are_sorted_not_read_along_the_name_index(language):
    # Walking the name index until a page of matches turns up took seconds when
    # they all sorted late: the matches are sorted once found. With sorts
    # disabled, a Sort still in the plan means no index can give that order.
    PartnerFactory(name_fr="Université de São Paulo")
    with translation.override(language):
        searched = Partner.objects.public().search("sao paulo")
        assert searched.exists()
        result = plan(searched.order_by_name(searched=True)[:20], ordered=True)
    assert "Sort" in result.split("\n")[1], result


@pytest.mark.parametrize("language", ["fr", "en"])
def test_partners_sort_by_the_shown_name_postgresql_stores(language):
    # Computing it for each of a search's matches took most of the query's time.
    french = PartnerFactory(name_fr="Économie Lab", name_en="")
    english = PartnerFactory(name_fr="", name_en="Zoology Institute")
    both = PartnerFactory(name_fr="Institut Öko", name_en="Eco Institute")
    with translation.override(language):
        ordered = Partner.objects.order_by_name(searched=True)
        sql, _params = ordered.query.sql_with_params()
        assert f'"shown_name_{language}"' in sql
        assert "UNACCENT" not in sql.upper()
        expected = {"fr": [french, both, english], "en": [both, french, english]}
        assert list(ordered) == expected[language]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shown_name_fr, shown_name_en FROM partners_partner WHERE id = %s",
            [both.pk],
        )
        assert cursor.fetchone() == ("institut oko", "eco institute")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_countrys_partners_sorted_by_name_come_from_one_index(language):
    # Statistics where Iceland is rare, as at a million partners: without them the
    # planner's guess depends on what earlier tests left in the table.
    PartnerFactory.create_batch(40, country="BR")
    PartnerFactory.create_batch(2, country="IS")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_partner")
    with translation.override(language):
        partners = Partner.objects.public().in_country("IS").order_by_name()
        result = plan(partners[:20], ordered=True)
    assert f"partner_public_country_name_{language}" in result, result


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_kinds_partners_sorted_by_name_come_from_one_index(language):
    # Walking the index of names, skipping the partners of other kinds, took 0.26 s
    # for the universities in French at a million partners (0.6 s for "other"):
    # their names gather where "Université" sorts. The list filtered by kind, and
    # the global search's kind named alone ("universités").
    PartnerFactory.create_batch(40, kind=PartnerKind.COMPANY)
    PartnerFactory.create_batch(2, kind=PartnerKind.UNIVERSITY)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_partner")
    kind = PartnerKind.UNIVERSITY
    with translation.override(language):
        listed = Partner.objects.public().for_list().filter(kind=kind)
        result = plan(listed.order_by_name()[:20], ordered=True)
        assert f"partner_kind_name_{language}" in result, result
        text = {"fr": "universités", "en": "universities"}[language]
        found = Partner.objects.public().found(text)
        assert set(found) == set(Partner.objects.filter(kind=kind))
        result = plan(found.best_matches_first(text)[:10], ordered=True)
    # Two rows sorted: either language's index gives them.
    assert "partner_kind_name_" in result, result


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_country_named_alone_lists_its_partners_from_its_name_index(language):
    # No partner's name starts with "Islande": ranked, each of a country's
    # partners was (China's 44,000, 100 ms at a million); by name, its first
    # twenty are read from the index.
    PartnerFactory.create_batch(40, country="BR")
    PartnerFactory.create_batch(2, country="IS")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_partner")
    with translation.override(language):
        found = Partner.objects.public().found("Islande")
        result = plan(found.best_matches_first("Islande")[:20], ordered=True)
    assert f"partner_public_country_name_{language}" in result, result


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("country", [None, "IS"])
def test_the_public_list_sorted_by_city_reads_a_city_index(language, country):
    # Without it PostgreSQL sorted a million partners for each page: 0.9 s.
    # Statistics where Iceland is rare, as at a million partners (see above): with
    # those earlier tests left, the planner read the city index of every country
    # and filtered Iceland's rows, which is as quick for three rows (CI at 9b36fcd).
    PartnerFactory.create_batch(40, country="BR")
    PartnerFactory.create_batch(3, country="IS")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_partner")
    partners = Partner.objects.public()
    if country:
        partners = partners.in_country(country)
    with translation.override(language):
        result = plan(partners.order_by_city()[:20], ordered=True)
    index = f"partner_public_{'country_' if country else ''}city_{language}"
    assert f"Index Scan using {index} " in result, result
    assert "Sort" not in result, result


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_matches_of_a_search_sorted_by_city_are_sorted_once_found(language):
    PartnerFactory(name_fr="Université de São Paulo", city_fr="São Paulo")
    with translation.override(language):
        searched = Partner.objects.public().search("sao paulo")
        result = plan(searched.order_by_city(searched=True)[:20], ordered=True)
    assert "partner_public_city" not in result, result
    assert "Sort" in result.split("\n")[1], result


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_page_sorted_by_country_reads_the_countries_it_cuts_from_their_index(
    language,
):
    PartnerFactory.create_batch(30, country="BR")
    PartnerFactory.create_batch(30, country="IS")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_partner")
    with translation.override(language):
        rows = Partner.objects.public().order_by_countries(["BR", "IS"])
        paginator = CountryOrderPaginator(rows, 20, country_codes=["BR", "IS"])
        page = paginator.rows_between(20, 40)  # Brazil's last ten, Iceland's first
        # Sorts off: the few rows of the page itself are sorted all the same.
        result = plan(page, ordered=True)
        assert [partner.country.code for partner in page] == ["BR"] * 10 + ["IS"] * 10
    assert result.count(f"partner_public_country_name_{language}") == 2, result


@pytest.mark.parametrize(
    ("model", "order_index"),
    [
        (Unit, "unit_list_order"),
        (Grant, "grant_list_order"),
        (Project, "project_list_order"),
    ],
)
def test_a_lists_search_matches_are_found_then_sorted(model, order_index):
    # Walking the list's order index, testing each row, took 1.5 s among 20,000
    # projects for two words no project held. With sorts off, a Sort still in the
    # plan means no index gives the order.
    records = searched(model, "ocean climate").order_by(*model._meta.ordering)
    result = plan(sorted_once_found(records)[:20], ordered=True)
    assert order_index not in result, result
    assert "Sort" in result.split("\n")[1], result
    assert f"{model._meta.model_name}_search_french" in result, result


def known_words(table: str = "partners_search_word") -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {table}")
        return {row[0] for row in cursor.fetchall()}


def test_postgresql_keeps_the_words_of_every_write():
    partner = PartnerFactory(name_fr="Université de São Paulo", name_en="", city_fr="")
    assert {"universite", "sao", "paulo"} <= known_words()
    assert "de" not in known_words()  # too short to correct
    Partner.objects.filter(pk=partner.pk).update(acronym="Unicamp")
    assert "unicamp" in known_words()
    import_ror(io.BytesIO(json.dumps([ror_sample()]).encode()))  # COPY
    assert "monash" in known_words()


def test_python_folds_every_letter_as_postgresql_does():
    # Typed text is folded in Python and compared with texts PostgreSQL folded.
    letters = [
        chr(code)
        for code in range(0xA0, 0x3000)
        if unicodedata.category(chr(code))[0] in "LM"
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c, lower(immutable_unaccent(c)) FROM unnest(%s::text[]) AS c",
            [letters],
        )
        differing = {c: pg for c, pg in cursor.fetchall() if fold(c) != pg}
    assert not differing


def demo_words() -> list[str]:
    """The words of letters of every text of the demo data, folded."""
    texts = []

    def walk(value):
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif hasattr(value, "__dict__"):
            walk(vars(value))

    for name in dir(demo_data):
        if name.isupper():
            walk(getattr(demo_data, name))
    words = {word for text in texts for word in typed_words(text)}
    return sorted(word for word in words if word.isalpha())


@pytest.mark.parametrize("config", ["french", "english"])
def test_python_stems_every_word_of_the_demo_as_postgresql_does(config):
    # SQLite's full-text search (partners.search.full_text_match) stems in Python,
    # with the Snowball stemmers and stop words of PostgreSQL's configurations.
    words = demo_words()
    assert len(words) > 1000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, array(SELECT lexeme FROM unnest(to_tsvector(%s::regconfig,"
            " word))) FROM unnest(%s::text[]) AS word",
            [config, words],
        )
        differing = {
            word: (lexemes, search._lexeme(word, config))
            for word, lexemes in cursor.fetchall()
            if (lexemes[0] if lexemes else None) != search._lexeme(word, config)
        }
    assert not differing


def test_a_typo_search_finds_partners_through_the_trigram_index():
    # What it finds, on both databases: tests/partners/test_typo_search.py.
    PartnerFactory(name_fr="Université de São Paulo", name_en="University of São Paulo")
    records, near_misses = Partner.objects.search_or_near_misses(
        "Universte de Sao Paolo"
    )
    assert near_misses
    result = plan(records.order_by())
    assert any(index in result for index in trigram_indexes("partner")), result
    assert "Seq Scan" not in result, result


def test_bulk_writers_add_the_words_themselves_at_the_end():
    with search_words_added_by_caller(connection):
        deferred = PartnerFactory(name_fr="Université Kyushu", name_en="", city_fr="")
        assert "kyushu" not in known_words()  # the triggers leave it to the writer
        add_search_words(connection, [deferred.pk])
        assert "kyushu" in known_words()
    PartnerFactory(name_fr="Université Hokkaido", name_en="", city_fr="")
    assert "hokkaido" in known_words()  # the triggers are back


def test_the_ror_import_and_generate_data_add_their_words():
    import_ror(io.BytesIO(json.dumps([ror_sample()]).encode()))
    PartnerFactory(name_fr="Université Tohoku", name_en="", city_fr="")
    assert {"monash", "tohoku"} <= known_words()
    call_command("generate_data", scale=0.0002, stdout=io.StringIO())
    for model, field in (
        (Partner, "name_fr"),
        (Unit, "name_fr"),
        (Grant, "title_fr"),
        (Project, "title_en"),
        (Person, "last_name"),
    ):
        generated = model.objects.filter(synthetic=True).last()
        words = {
            word for word in typed_words(getattr(generated, field)) if len(word) >= 3
        }
        table = search.SEARCH_WORDS[model._meta.db_table]
        assert words and words <= known_words(table), model


KNOWN_WORD_KINDS = pytest.mark.parametrize(
    ("model", "factory", "prefix"),
    [
        (Unit, UnitFactory, "unit"),
        (Grant, GrantFactory, "grant"),
        (Project, ProjectFactory, "project"),
    ],
)


def named(factory, text: str, acronym: str = "", **fields):
    """A unit named ``text``, or a grant or project so titled, no other short text."""
    if factory is UnitFactory:
        fields |= {
            "name_fr": text,
            "name_en": "",
            "code": "",
            "city_fr": "",
            "city_en": "",
        }
    else:
        fields |= {"title_fr": text, "title_en": ""}
    return factory(acronym=acronym, **fields)


@KNOWN_WORD_KINDS
def test_postgresql_keeps_the_words_of_every_unit_grant_and_project(
    model, factory, prefix
):
    table = search.SEARCH_WORDS[model._meta.db_table]
    record = named(factory, "Turbulence aux interfaces", "TURB")
    assert {"turb", "turbulence", "aux", "interfaces"} <= known_words(table)
    assert "turbulence" not in known_words()  # partners' words are apart
    english = "name_en" if model is Unit else "title_en"
    model.objects.filter(pk=record.pk).update(**{english: "Slow earthquakes"})
    assert {"slow", "earthquakes"} <= known_words(table)
    with search_words_added_by_caller(connection):
        deferred = named(factory, "Séismes lents")
        assert "seismes" not in known_words(table)  # left to the bulk writer
        add_search_words(connection, [deferred.pk], model._meta.db_table)
        assert "seismes" in known_words(table)


@KNOWN_WORD_KINDS
def test_units_grants_and_projects_are_checked_against_their_stored_search_text(
    model, factory, prefix
):
    record = named(factory, "Turbulence à São Paulo", "TURB")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT search_text FROM {model._meta.db_table} WHERE id = %s",
            [record.pk],
        )
        stored = cursor.fetchone()[0]
    fields = model.objects.none().text_fields
    assert stored == fold(" ".join(getattr(record, name) or "" for name in fields))
    assert "turbulence a sao paulo" in stored
    records, near_misses = model.objects.search_or_near_misses("turbulemce")
    assert near_misses and list(records) == [record]
    result = plan(records.order_by())
    assert f"{prefix}_search_trgm" in result, result
    assert "search_text" in result and "immutable_unaccent" not in result, result


@KNOWN_WORD_KINDS
def test_python_finds_the_words_of_units_grants_and_projects_postgresql_does(
    model, factory, prefix
):
    named(factory, "Matériaux quantiques", "ERC-QMAT")
    named(factory, "Veðurstofa Íslands", publication_status="draft")
    table = search.SEARCH_WORDS[model._meta.db_table]
    python_words = search.known_words(table, connection)
    assert set(python_words) == known_words(table)
    by_postgresql = corrections(["quantiqes"], table, connection)["quantiqes"]
    assert by_postgresql[0][0] == "quantiques"
    assert by_postgresql == [
        (word, pytest.approx(score, abs=1e-5))
        for word, score in search.closest_known_words("quantiqes", python_words)
    ]


def test_python_finds_the_words_and_corrections_postgresql_does():
    # SQLite corrects typed words in Python (partners.search.known_words and
    # closest_known_words): the demo must find what production finds.
    for name in (
        "Université de São Paulo",
        "Universidade Federal do Rio de Janeiro",
        "Ruhr-Universität Bochum",
        "Московский государственный университет",
        "Veðurstofa Íslands",
        "Université Paris 13",
        "King's College London",
    ):
        PartnerFactory(name_fr=name, name_en="", city_fr="Saint-Étienne")
    PartnerFactory(name_fr="Universiteit Leiden", publication_status="draft")
    python_words = search.known_words("partners_search_word", connection)
    assert set(python_words) == known_words()
    for typed in ("universte", "paolo", "bochun", "университ", "islnds", "colege"):
        by_postgresql = corrections([typed], "partners_search_word", connection)
        by_python = search.closest_known_words(typed, python_words)
        assert [word for word, _ in by_python] == [
            word for word, _ in by_postgresql[typed]
        ], typed
        assert [round(score, 5) for _, score in by_python] == [
            round(score, 5) for _, score in by_postgresql[typed]
        ], typed


def test_a_countrys_projects_are_found_through_the_participations_index():
    # A participation's country is its own, else its institution's: with one OR
    # across the join, PostgreSQL read every partner (a million: 0.3 s a country).
    # The institution's country is kept on the participation, which is indexed
    # by the two.
    ProjectParticipantFactory(partner=PartnerFactory(country="TV"))
    result = plan(participating_projects("TV"))
    assert "participation_country" in result, result
    assert "partners_partner" not in result, result
    assert Project.objects.with_participant_in("TV").count() == 1


def test_a_partners_slug_has_one_index_the_unique_one():
    # unique=True gave it a second, for LIKE, that every partner written paid.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes "
            "WHERE tablename = 'partners_partner' AND indexdef LIKE '%%(slug%%'"
        )
        assert [name for (name,) in cursor.fetchall()] == ["partner_unique_slug"]
    holder = PartnerFactory(slug="osaka-university")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(slug=holder.slug)


@pytest.mark.parametrize(
    ("model", "prefix"),
    [(Partner, "partner"), (Unit, "unit"), (Grant, "grant"), (Project, "project")],
)
def test_letters_joined_use_the_trigram_index(model, prefix):
    # "A&M" whole: pg_trgm takes the trigrams of its letters as words of their
    # own (" a ", " m "), the regular expression rechecks the rows they give.
    # Alone, no full-text search: its parser would split it into its letters.
    result = plan(searched(model, "A&M"))
    assert any(index in result for index in trigram_indexes(prefix)), result
    assert "~ '(^|[^a-z0-9])a ?& ?m([^a-z0-9]|$)'" in result, result
    assert "Seq Scan" not in result, result
    assert "tsquery" not in result, result
    # With another word, the long texts hold it by the full-text index.
    if model is not Partner:
        result = plan(searched(model, "A&M ocean"))
        assert f"{prefix}_search_english" in result, result
        assert "Seq Scan" not in result, result
