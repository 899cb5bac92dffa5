"""UnitFilterSet called directly: each filter, bad values, sorting in both languages."""

import pytest
from django.utils import translation
from django_countries import countries

from partners.regions import Region, countries_in
from tests.factories import InstituteFactory, UnitFactory
from units.filters import UnitFilterSet
from units.models import Unit, UnitKind, UnitStatus

pytestmark = pytest.mark.django_db


def acronyms(data, queryset=None):
    filterset = UnitFilterSet(data, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return [unit.acronym for unit in filterset.qs]


def errors(data):
    filterset = UnitFilterSet(data)
    assert not filterset.is_valid()
    return filterset.errors


def test_without_a_queryset_only_published_units_are_filtered():
    UnitFactory(acronym="SHOWN")
    UnitFactory(acronym="HIDDEN", publication_status="draft")
    assert acronyms({}) == ["SHOWN"]


def test_country_filter_keeps_the_units_of_that_country():
    UnitFactory(acronym="JRL", country="JP")
    UnitFactory(acronym="IMPA", country="BR")
    assert acronyms({"country": "JP"}, Unit.objects.public()) == ["JRL"]


def test_country_filter_reads_a_lower_case_code():
    UnitFactory(acronym="JRL", country="JP")
    assert acronyms({"country": "jp"}) == ["JRL"]


def test_country_filter_accepts_a_real_country_without_units():
    UnitFactory(country="JP")
    assert acronyms({"country": "DE"}) == []


@pytest.mark.parametrize("code", ["ZZ", "JPN", "1", "<script>"])
def test_country_filter_refuses_what_is_no_country_code(code):
    assert "country" in errors({"country": code})


def test_country_choices_are_the_countries_with_published_units_and_their_count():
    UnitFactory(country="JP")
    UnitFactory(country="JP")
    UnitFactory(country="DE")
    UnitFactory(country="BR", publication_status="draft")
    choices = list(UnitFilterSet().form.fields["country"].choices)
    assert choices == [
        ("", "Tous les pays"),
        ("DE", "Allemagne (1)"),
        ("JP", "Japon (2)"),
    ]


def test_country_choices_follow_the_active_language():
    UnitFactory(country="DE")
    UnitFactory(country="BR")
    with translation.override("en"):
        choices = list(UnitFilterSet().form.fields["country"].choices)
    # Sorted by the English names: Brazil before Germany.
    assert choices[1:] == [("BR", "Brazil (1)"), ("DE", "Germany (1)")]


def test_kind_filter():
    UnitFactory(acronym="IRL", kind=UnitKind.IRL)
    UnitFactory(acronym="UMIFRE", kind=UnitKind.UMIFRE, code="UMIFRE 19")
    assert acronyms({"kind": "umifre"}) == ["UMIFRE"]
    assert "kind" in errors({"kind": "nope"})


def test_institute_filter_finds_lead_and_secondary_institutes_once():
    insis = InstituteFactory(code="INSIS", slug="insis")
    led = UnitFactory(acronym="LED", lead_institute=insis)
    led.secondary_institutes.add(InstituteFactory(), insis)
    secondary = UnitFactory(acronym="SECONDARY")
    secondary.secondary_institutes.add(insis, InstituteFactory())
    UnitFactory(acronym="OTHER")
    assert acronyms({"institute": "insis"}) == ["LED", "SECONDARY"]


@pytest.mark.parametrize("value", ["insis", "INSIS", "Insis"])
def test_institute_filter_takes_the_slug_or_the_code(value):
    insis = InstituteFactory(code="INSIS", slug="insis")
    UnitFactory(acronym="JRL", lead_institute=insis)
    UnitFactory(acronym="OTHER")
    assert acronyms({"institute": value}) == ["JRL"]


def test_unknown_institute_is_an_error():
    assert "institute" in errors({"institute": "nope"})


def test_region_filter_keeps_the_units_of_the_continent():
    UnitFactory(acronym="JRL", country="JP")
    UnitFactory(acronym="E2P2L", country="CN")
    UnitFactory(acronym="IMPA", country="BR")
    assert acronyms({"region": "asia"}) == ["E2P2L", "JRL"]
    assert acronyms({"region": "americas"}) == ["IMPA"]
    assert acronyms({"region": "africa"}) == []
    assert "region" in errors({"region": "atlantis"})


def test_every_country_but_antarctica_belongs_to_one_continent():
    codes = {code for code, _name in countries}
    in_regions = [code for region in Region for code in countries_in(region)]
    assert len(in_regions) == len(set(in_regions))  # in one continent only
    assert codes - set(in_regions) == {"AQ"}
    assert set(in_regions) <= codes
    assert "JP" in countries_in(Region.ASIA)
    assert "FR" in countries_in(Region.EUROPE)


def test_status_filter():
    UnitFactory(acronym="OPEN")
    UnitFactory(acronym="GONE", status=UnitStatus.CLOSED, closure_year=2020)
    assert acronyms({"status": "closed"}) == ["GONE"]
    assert acronyms({"status": "active"}) == ["OPEN"]


@pytest.fixture
def mechanics():
    UnitFactory(acronym="OTHER")
    return UnitFactory(
        acronym="LMS",
        code="IRL 3757",
        name_fr="Laboratoire de mécanique des solides",
        name_en="Solid Mechanics Laboratory",
        city_fr="São Paulo",
        city_en="Sao Paulo",
        themes_fr="Rupture des matériaux\nÉlasticité",
        themes_en="Fracture of materials\nElasticity",
    )


@pytest.mark.parametrize(
    "text",
    [
        "mécanique",
        "mecanique",
        "MÉCANIQUE",
        "Mecanique solides",  # every word, in any order of the fields
        "solid mechanics",  # the English name, while French is active
        "lms",
        "irl 3757",
        "sao paulo",
        "elasticite",
        "fracture",
    ],
)
def test_text_search_ignores_accents_case_and_language(mechanics, text):
    assert acronyms({"q": text}) == ["LMS"]


def test_text_search_in_english_finds_the_french_name_too(mechanics):
    with translation.override("en"):
        assert acronyms({"q": "mecanique"}) == ["LMS"]
        assert acronyms({"q": "Mechanics"}) == ["LMS"]


def test_text_search_needs_every_word_when_a_unit_has_them_all(mechanics):
    UnitFactory(acronym="LMF", name_fr="Laboratoire de mécanique des fluides")
    assert acronyms({"q": "mecanique fluides"}) == ["LMF"]


def test_text_search_forgives_a_typo_when_nothing_matches(mechanics):
    assert acronyms({"q": "mecanqiue des solides"}) == ["LMS"]
    assert acronyms({"q": "astrophysique"}) == []


def test_blank_text_keeps_every_unit(mechanics):
    assert acronyms({"q": "   "}) == ["LMS", "OTHER"]


@pytest.fixture
def three_units():
    UnitFactory(
        acronym="AAA",
        name_fr="Zoologie",
        name_en="Animal sciences",
        country="JP",
        creation_year=2012,
    )
    UnitFactory(
        acronym="BBB",
        name_fr="Écologie",
        name_en="Ecology",
        country="DE",
        creation_year=2018,
    )
    UnitFactory(
        acronym="CCC",
        name_fr="Biologie",
        name_en="",  # shown in French on the English pages
        country="BR",
        creation_year=2001,
    )


def test_default_order_is_by_acronym(three_units):
    assert acronyms({}) == ["AAA", "BBB", "CCC"]


def test_name_order_follows_the_name_shown_in_each_language(three_units):
    # French: Biologie, Écologie (the accent does not send it last), Zoologie.
    assert acronyms({"ordering": "name"}) == ["CCC", "BBB", "AAA"]
    with translation.override("en"):
        # English: Animal sciences, Biologie (French fallback), Ecology.
        assert acronyms({"ordering": "name"}) == ["AAA", "CCC", "BBB"]


def test_country_order_follows_the_country_names_of_each_language(three_units):
    # Allemagne, Brésil, Japon.
    assert acronyms({"ordering": "country"}) == ["BBB", "CCC", "AAA"]
    with translation.override("en"):
        # Brazil, Germany, Japan.
        assert acronyms({"ordering": "country"}) == ["CCC", "BBB", "AAA"]


def test_creation_year_order(three_units):
    assert acronyms({"ordering": "-year"}) == ["BBB", "AAA", "CCC"]
    assert acronyms({"ordering": "year"}) == ["CCC", "AAA", "BBB"]


def test_units_of_no_known_year_come_last_in_both_orders(three_units):
    # "Oldest first" listed them before 2001 on SQLite, "Newest first" before
    # 2018 on PostgreSQL.
    UnitFactory(acronym="ABC", creation_year=None)
    UnitFactory(acronym="ZZZ", creation_year=None)
    assert acronyms({"ordering": "year"}) == ["CCC", "AAA", "BBB", "ABC", "ZZZ"]
    assert acronyms({"ordering": "-year"}) == ["BBB", "AAA", "CCC", "ABC", "ZZZ"]


def test_several_orders_apply_in_turn(three_units):
    # As the data API describes them (an array): each sorts what the one before
    # left tied, where only the first was read.
    UnitFactory(acronym="DDD", country="JP", creation_year=2020)
    UnitFactory(acronym="EEE", country="JP", creation_year=None)
    # Allemagne, Brésil, Japon; in Japan the newest first, no known year last.
    assert acronyms({"ordering": "country,-year"}) == [
        "BBB", "CCC", "DDD", "AAA", "EEE",
    ]  # fmt: skip
    assert acronyms({"ordering": "country,year"})[2:] == ["AAA", "DDD", "EEE"]
    assert acronyms({"ordering": "year,name"})[:3] == ["CCC", "AAA", "BBB"]
    # An empty value among them is none.
    assert acronyms({"ordering": ",country,"}) == acronyms({"ordering": "country"})


def test_an_order_of_empty_values_keeps_the_default_order(three_units):
    # "?ordering=,,," failed with a FieldError (order_by("")): a 500.
    assert acronyms({"ordering": ",,,"}) == ["AAA", "BBB", "CCC"]


def test_unknown_order_is_an_error(three_units):
    assert "ordering" in errors({"ordering": "publication_status"})


def test_filters_combine(three_units):
    assert acronyms({"region": "asia", "ordering": "name", "kind": "irl"}) == ["AAA"]
