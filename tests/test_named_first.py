"""Records whose names (or acronyms, codes) hold the words typed come before those
found by their descriptions or summaries alone, on the lists and in the global
search's groups (``best_matches_first``'s ``NAMED`` rank), on both databases;
partners, searched by their short texts alone, by their names before their
cities (tests/test_names_before_cities.py)."""

import pytest

from cnrs_intl.search import global_search
from partners.models import Partner
from programmes.models import Grant
from tests.factories import GrantFactory, ProjectFactory, UnitFactory
from tests.search_groups import shown_order
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return {
        # Sorted first by name, found by its description alone.
        "described": UnitFactory(
            acronym="E2P2L",
            name_en="Eco-Efficient Products and Processes Laboratory",
            name_fr="Laboratoire des produits et procédés éco-efficaces",
            description_en="Green chemistry and new materials for industry.",
            description_fr="Chimie verte et nouveaux matériaux pour l’industrie.",
        ),
        "named": UnitFactory(
            acronym="LINK",
            name_en="Laboratory for Innovative Key Materials and Structures",
            name_fr="Laboratoire des matériaux et structures clés innovants",
        ),
        "also_named": UnitFactory(
            acronym="MSE2",
            name_en="Multi-Scale Materials Science for Energy",
            name_fr="Matériaux multi-échelles pour l’énergie",
        ),
    }


@pytest.mark.parametrize(
    ("language", "text"), [("en", "materials"), ("fr", "matériaux")]
)
def test_the_unit_list_shows_the_units_named_by_the_words_first(
    client, units, language, text
):
    order = shown_order(client, f"/{language}/units/", {"q": text})
    assert order[-1] == units["described"]
    assert set(order[:2]) == {units["named"], units["also_named"]}


def test_the_global_search_shows_them_first_too(units):
    group = next(group for group in global_search("materials") if group.key == "units")
    assert group.records == [units["named"], units["also_named"], units["described"]]


def test_stop_words_and_a_country_named_do_not_keep_a_name_from_ranking_first(
    client, units
):
    order = shown_order(client, "/en/units/", {"q": "the materials"})
    assert order[-1] == units["described"]


@pytest.mark.parametrize(
    ("path", "factory"), [("grants", GrantFactory), ("projects", ProjectFactory)]
)
def test_grants_and_projects_titled_by_the_words_come_first(client, path, factory):
    summarised = factory(
        acronym="AAA",
        title_en="Algae of the reefs",
        title_fr="Algues des récifs",
        summary_en="Coral reefs and their photosynthesis.",
        summary_fr="Les récifs coralliens et leur photosynthèse.",
    )
    titled = factory(
        acronym="ZZZ",
        title_en="Zooxanthellae photosynthesis",
        title_fr="Photosynthèse des zooxanthelles",
        summary_en="",
        summary_fr="",
    )
    assert shown_order(client, f"/en/{path}/", {"q": "photosynthesis"}) == [
        titled,
        summarised,
    ]


def test_the_partners_matches_are_tested_by_their_names_alone():
    # Found by their short texts alone: their names, not their cities, are
    # tested again (tests/test_names_before_cities.py).
    (named,) = Partner.objects.all()._named_rank("materials")
    assert "city" not in str(named)
    assert Unit.objects.all()._named_rank("materials")
    assert Grant.objects.all()._named_rank("the materials")


@pytest.mark.parametrize(
    "text",
    [
        # A region, a kind named: the records there, of that kind, the names
        # holding the other words first, as with a country named.
        "materials Asia",
        "materials labs",
        "materials units",
        "laboratoires de matériaux",
        "unités matériaux en Asie",
    ],
)
def test_a_region_or_a_kind_named_is_no_word_the_names_must_hold(client, units, text):
    for unit in units.values():
        unit.country = "JP"
        unit.save()
    order = shown_order(client, "/en/units/", {"q": text})
    assert set(order[:2]) == {units["named"], units["also_named"]}
    assert order[-1] == units["described"]
    group = next(group for group in global_search(text) if group.key == "units")
    assert set(group.records[:2]) == {units["named"], units["also_named"]}
