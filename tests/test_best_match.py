"""A search's best matches first, on the lists as on the global search
(``SearchableQuerySet.best_matches_first``)."""

import re

import pytest
from django.db import connection
from django.utils import translation

from partners.models import Partner
from partners.search import fold
from programmes.models import Grant, Project
from tests.factories import (
    GrantFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)
from tests.plans import plan
from units.models import Unit

pytestmark = pytest.mark.django_db


def shown_order(client, address: str) -> list:
    response = client.get(address)
    assert response.status_code == 200
    return list(response.context["object_list"])


def sort_options(client, address: str) -> list[tuple[str, str, bool]]:
    """The sort select's options: (value, label, selected)."""
    html = client.get(address).content.decode()
    select = re.search(r'<select name="ordering".*?</select>', html, re.S).group(0)
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select
        )
    ]


@pytest.fixture
def units():
    """Units that "link" finds: by a theme, by a name's later word, by an acronym."""
    return {
        "themed": UnitFactory(
            acronym="ALPHA",
            name_en="Alpha laboratory",
            description_en="Where materials link to structures.",
        ),
        "named": UnitFactory(acronym="BETA", name_en="Beta link laboratory"),
        "starting": UnitFactory(acronym="ZETA", name_en="Linked materials"),
        "acronym": UnitFactory(acronym="LINK", name_en="Key materials laboratory"),
    }


def test_a_searched_unit_list_shows_the_acronym_typed_first(client, units):
    order = shown_order(client, "/en/units/?q=link")
    # The acronym typed whole, then the name starting with it, then the name
    # holding it, before the unit found by its description alone.
    assert order == [
        units["acronym"],
        units["starting"],
        units["named"],
        units["themed"],
    ]


def test_a_units_code_typed_whole_comes_first(client):
    named = UnitFactory(acronym="AAA", name_en="IRL 20000 studies")
    coded = UnitFactory(acronym="ZZZ", code="IRL 20000", name_en="Zoology")
    assert shown_order(client, "/en/units/?q=irl+20000") == [coded, named]


def test_the_best_matches_first_is_an_order_the_visitor_can_leave(client, units):
    by_acronym = shown_order(client, "/en/units/?q=link&ordering=acronym")
    assert [unit.acronym for unit in by_acronym] == ["ALPHA", "BETA", "LINK", "ZETA"]
    newest = shown_order(client, "/en/units/?q=link&ordering=-year")
    assert set(newest) == set(units.values())


def test_the_sort_select_says_best_match_only_when_a_text_is_searched(client, units):
    assert sort_options(client, "/en/units/?q=link") == [
        ("", "Best match", True),
        ("acronym", "Acronym", False),
        ("name", "Name", False),
        ("country", "Country", False),
        ("-year", "Newest first", False),
        ("year", "Oldest first", False),
    ]
    # Without a text the empty option is the list's own order, offered once: the
    # form sent after typing a text then asks for the best matches.
    assert sort_options(client, "/en/units/")[:2] == [
        ("", "Acronym", True),
        ("name", "Name", False),
    ]
    assert sort_options(client, "/fr/units/?q=link")[0] == ("", "Pertinence", True)


def test_a_link_naming_the_lists_own_order_is_still_taken(client, units):
    # Shared before the empty option took its place, or typed by hand.
    response = client.get("/en/partners/?ordering=name")
    assert response.status_code == 200
    assert client.get("/en/units/?ordering=ACRONYM").status_code == 200
    # The select shows the empty option, which names that order.
    assert sort_options(client, "/en/units/?ordering=acronym")[0] == (
        "",
        "Acronym",
        False,
    )


def test_no_order_chosen_in_a_link_shows_the_select_not_a_text_box(client, units):
    # "?ordering=,," is three empty values: a box reading "None,None,None" was shown.
    response = client.get("/en/units/?ordering=,,&q=link")
    assert list(response.context["object_list"])[0] == units["acronym"]
    html = response.content.decode()
    assert 'name="ordering" value=' not in html
    assert '<option value="" selected>Best match</option>' in html


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("/en/units/?ordering=country,-year", ("country", "Country", True)),
        ("/en/grants/?ordering=year,laureate", ("year", "Oldest calls first", True)),
    ],
)
def test_several_orders_in_a_link_show_the_first_in_the_select(
    client, units, address, shown
):
    # The data API's several orders ("country,-year") were written in a text box
    # in place of the select.
    html = client.get(address).content.decode()
    assert 'name="ordering" value=' not in html
    assert shown in sort_options(client, address)


def test_a_searched_partner_list_shows_the_acronym_typed_first(client):
    later = PartnerFactory(name_en="Alpha Institute of Technology", acronym="AIT")
    named = PartnerFactory(name_en="MIT Alumni Association", acronym="MAA")
    mit = PartnerFactory(name_en="Massachusetts Institute of Technology", acronym="MIT")
    assert shown_order(client, "/en/partners/?q=mit") == [mit, named]
    by_name = shown_order(client, "/en/partners/?q=institute+technology&ordering=name")
    assert by_name == [later, mit]
    assert sort_options(client, "/en/partners/?q=mit")[0] == ("", "Best match", True)
    assert sort_options(client, "/en/partners/")[0] == ("", "Name", True)


def test_a_searched_grant_list_shows_the_best_matches_first(client):
    older = GrantFactory(call_year=2015, acronym="OCEANS", title_en="Oceans")
    later = GrantFactory(call_year=2023, acronym="DEEP", title_en="Deep oceans")
    assert shown_order(client, "/en/grants/?q=oceans") == [older, later]
    # Its own order is the latest calls first, the empty option's label.
    assert shown_order(client, "/en/grants/?q=oceans&ordering=-year") == [
        later,
        older,
    ]
    assert sort_options(client, "/en/grants/")[:2] == [
        ("", "Latest calls first", True),
        ("year", "Oldest calls first", False),
    ]
    assert sort_options(client, "/en/grants/?q=oceans")[:2] == [
        ("", "Best match", True),
        ("latest", "Latest calls first", False),
    ]
    # The list's own order stays one choice away once a text is searched.
    assert shown_order(client, "/en/grants/?q=oceans&ordering=latest") == [
        later,
        older,
    ]


def test_the_grant_list_offers_its_own_order_once(client):
    # "Call year (descending)" was the latest calls first but for ties: not
    # offered besides it, and a link naming it sorts as the list's own order.
    beta = GrantFactory(call_year=2023, acronym="BETA")
    alpha = GrantFactory(call_year=2023, acronym="ALPHA")
    older = GrantFactory(call_year=2015, acronym="AAA")
    assert shown_order(client, "/en/grants/?ordering=-year") == [alpha, beta, older]
    assert shown_order(client, "/en/grants/") == [alpha, beta, older]
    for address in ("/en/grants/?page=1", "/en/grants/?q=grant"):
        values = [value for value, _label, _selected in sort_options(client, address)]
        assert "-year" not in values and "year" in values, address


def test_a_searched_project_list_shows_the_best_matches_first(client):
    # The projects' list offers no order to choose.
    titled = ProjectFactory(acronym="AAA", title_en="Climate of the oceans")
    named = ProjectFactory(acronym="CLIMATE", title_en="Modelling the atmosphere")
    assert shown_order(client, "/en/projects/?q=climate") == [named, titled]


def test_the_data_api_gives_the_best_matches_first(client, units):
    rows = client.get("/api/units/", {"q": "link", "lang": "en"}).json()["results"]
    assert [row["acronym"] for row in rows] == ["LINK", "ZETA", "BETA", "ALPHA"]


def test_a_list_opened_from_the_global_search_goes_on_in_its_order(client, units):
    response = client.get("/en/search/", {"q": "link"})
    group = next(group for group in response.context["groups"] if group.key == "units")
    assert group.records == shown_order(client, group.more_url)


def test_near_misses_come_closest_first_on_a_list(client):
    far = PartnerFactory(name_en="Universal Robotics Company", acronym="URC")
    close = PartnerFactory(name_en="University of Lagos", acronym="UNILAG")
    response = client.get("/en/partners/?q=universty+lagos")
    assert response.context["filter"].near_misses
    assert list(response.context["object_list"])[0] == close
    assert far not in list(response.context["object_list"])[:1]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_best_matches_are_sorted_by_the_name_shown(language):
    # A record missing the active language's name sorts by the other's, as shown.
    french_only = PartnerFactory(name_fr="Banque de données", name_en="")
    both = PartnerFactory(name_fr="Académie des données", name_en="Zeta data")
    with translation.override(language):
        order = list(Partner.objects.public().best_matches_first("donnees"))
    expected = {"fr": [both, french_only], "en": [french_only, both]}
    assert order == expected[language]


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("model", "factory", "search_index"),
    [
        (Partner, PartnerFactory, "partner_search_trgm"),
        (Unit, UnitFactory, "unit_search"),
        (Grant, GrantFactory, "grant_search"),
        (Project, ProjectFactory, "project_search"),
    ],
)
def test_best_matches_are_found_by_the_search_indexes_then_sorted(
    model, factory, search_index
):
    # Sorted by a computed rank, the matches cannot come in order from an index:
    # PostgreSQL finds them through the search indexes, then sorts them alone
    # (``sorted_once_found``'s aim, reached by the rank).
    factory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")
    # Not only the published: on a few rows PostgreSQL rightly reads the
    # publication status's index instead (tests of the search indexes do the same).
    records = model.objects.matching("ocean climate")
    result = plan(records.best_matches_first("ocean climate")[:20], ordered=True)
    assert "Sort" in result.split("\n")[1], result
    assert search_index in result, result
    # The stored, folded names (partners 0013, units 0015, programmes 0015): no
    # name folded for each match (180 ms for 5,000 units, where 8 ms by acronym).
    sql, _params = model.objects.best_matches_first("océan").query.sql_with_params()
    assert '"shown_' in sql, sql
    assert "UNACCENT" not in sql.upper(), sql


@pytest.mark.postgresql
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_stored_shown_names_are_those_shown(language):
    unit = UnitFactory(name_fr="Écologie des îles", name_en="")
    grant = GrantFactory(title_fr="Océans", title_en="Oceans")
    project = ProjectFactory(title_fr="", title_en="Ocean Forest")
    with translation.override(language):
        assert list(Unit.objects.filter(pk=unit.pk).best_matches_first("eco")) == [unit]
        for record, model, field in [
            (unit, Unit, "name"),
            (grant, Grant, "title"),
            (project, Project, "title"),
        ]:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT shown_{field}_{language} FROM {model._meta.db_table} "
                    "WHERE id = %s",
                    [record.pk],
                )
                stored = cursor.fetchone()[0]
            shown = getattr(record, field)
            assert stored == fold(shown).strip(), (model, stored, shown)


def test_the_sort_select_is_named_per_request_after_the_schema_was_read(client, units):
    # The OpenAPI description builds the filters' fields once for good (django-filter
    # then copies them to each FilterSet): naming the empty option through the
    # filters' arguments then named it as the first request had, for every list.
    assert client.get("/api/schema/").status_code == 200
    assert sort_options(client, "/en/units/?q=link")[0] == ("", "Best match", True)
    assert sort_options(client, "/en/units/")[:2] == [
        ("", "Acronym", True),
        ("name", "Name", False),
    ]
    assert sort_options(client, "/en/grants/?q=link")[0] == ("", "Best match", True)
    assert sort_options(client, "/en/grants/")[0] == ("", "Latest calls first", True)


@pytest.mark.parametrize(
    "typed",
    [
        "laboratoire  des",
        "« laboratoire des »",
        "laboratoire, des",
        "l'laboratoire des",
    ],
)
def test_spaces_and_marks_typed_do_not_change_the_best_matches(typed):
    later = UnitFactory(acronym="AAA", name_fr="Autre laboratoire des mers")
    first = UnitFactory(acronym="ZZZ", name_fr="Laboratoire des îles")
    with translation.override("fr"):
        order = list(Unit.objects.public().best_matches_first(typed))
    assert order == [first, later]


def test_an_elision_typed_does_not_change_the_best_matches():
    later = PartnerFactory(name_fr="Aix-Marseille Université", acronym="AMU")
    first = PartnerFactory(name_fr="Université de Tel-Aviv", acronym="TAU")
    with translation.override("fr"):
        order = list(Partner.objects.public().best_matches_first("l'université"))
    assert order == [first, later]


@pytest.mark.parametrize(
    "typed",
    ["franco bresilien", "Franco  Brésilien,", "franco bresilien de la", "franco"],
)
def test_words_typed_apart_start_a_name_written_with_punctuation(typed):
    later = UnitFactory(acronym="AAA", name_fr="Centre franco-brésilien de la mer")
    first = UnitFactory(acronym="ZZZ", name_fr="Franco-Brésilien de la mer")
    with translation.override("fr"):
        order = list(Unit.objects.public().best_matches_first(typed))
    assert order == [first, later]


def test_punctuation_after_a_later_word_typed_is_a_space_too():
    later = PartnerFactory(acronym="AAA", name_fr="Institut Paris-Saclay")
    first = PartnerFactory(acronym="ZZZ", name_fr="Université Paris-Saclay")
    spaced = PartnerFactory(acronym="ZZY", name_fr="Université Paris Sud")
    with translation.override("fr"):
        order = list(Partner.objects.public().best_matches_first("universite paris"))
        assert order == [spaced, first, later]
        order = list(
            Partner.objects.public().best_matches_first("universite paris saclay")
        )
    assert order == [first, later, spaced]


def test_a_name_starting_with_the_likeliest_correction_is_the_closest_near_miss():
    # Both hold "washington", as close to "washingtn": the one named so comes first,
    # where the shorter text did ("washingtn" listed the university in Washington
    # before Washington Photonics).
    city = PartnerFactory(
        name_en="Georgetown University", name_fr="", acronym="GU", city_en="Washington"
    )
    named = PartnerFactory(
        name_en="Washington Photonics Research Institute",
        name_fr="",
        acronym="WPRI",
        city_en="Redmond",
    )
    records, near_misses = Partner.objects.public().search_or_near_misses("washingtn")
    assert near_misses
    with translation.override("en"):
        assert list(records.closest_first("washingtn")) == [named, city]


def test_a_code_starting_with_the_word_typed_comes_before_mere_mentions(client):
    mention = UnitFactory(
        acronym="COMPASS", name_en="Complex assemblies", description_en="With the CNRS."
    )
    impa = UnitFactory(acronym="CNRS-IMPA", name_en="Pure and applied mathematics")
    assert shown_order(client, "/en/units/?q=cnrs") == [impa, mention]
