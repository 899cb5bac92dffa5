"""Countries named in their own languages ("Deutschland", "España", "日本", "Россия")
as they are in French or English: by the search of every list and the global
search (``ENDONYMS`` in partners/endonyms.py, read as the other names of
partners/country_names.py). On both databases."""

import pytest

from cnrs_intl.search import global_search, suggested_anywhere
from partners.country_names import (
    countries_named,
    country_among_words,
    country_name_words,
    country_named_whole,
)
from partners.endonyms import ENDONYMS
from partners.models import Partner
from partners.search import fold
from tests.factories import PartnerFactory, UnitFactory
from tests.search_groups import by_key
from units.models import Unit


@pytest.mark.parametrize(
    "name, code",
    [
        ("deutschland", "DE"),
        ("Schweiz", "CH"),
        ("Svizzera", "CH"),
        ("España", "ES"),
        ("espana", "ES"),
        ("brasil", "BR"),
        ("Italia", "IT"),
        ("Nederland", "NL"),
        ("België", "BE"),
        ("Österreich", "AT"),
        ("Polska", "PL"),
        ("Sverige", "SE"),
        ("Norge", "NO"),
        ("Suomi", "FI"),
        ("Danmark", "DK"),
        ("Česko", "CZ"),
        ("Magyarország", "HU"),
        ("México", "MX"),
        ("Perú", "PE"),
        ("Türkiye", "TR"),
        ("Россия", "RU"),
        ("Україна", "UA"),
        ("日本", "JP"),
        ("Nippon", "JP"),
        ("中国", "CN"),
        ("한국", "KR"),
        ("대한민국", "KR"),
        ("台灣", "TW"),
        ("Ελλάδα", "GR"),
        ("ישראל", "IL"),
        ("भारत", "IN"),
        ("Việt Nam", "VN"),
        ("ประเทศไทย", "TH"),
        ("مصر", "EG"),
        ("المغرب", "MA"),
    ],
)
def test_a_country_is_named_in_its_own_language(name, code):
    assert countries_named(name)[0] == code, name
    assert country_named_whole(name) == code, name
    assert country_named_whole(f"le CNRS en {name}") == code, name
    assert country_among_words(f"université {name}") == (code, "université"), name


def test_the_biggest_partners_countries_have_their_own_names():
    assert len(ENDONYMS) >= 40
    # Each a country's alone: a name two countries share names neither.
    owners = {}
    for code, names in ENDONYMS.items():
        for name in names:
            owners.setdefault(fold(name), set()).add(code)
    assert {name: codes for name, codes in owners.items() if len(codes) > 1} == {}


@pytest.mark.django_db
def test_partners_are_found_by_their_countrys_own_name():
    berlin = PartnerFactory(name_fr="Université libre de Berlin", country="DE")
    madrid = PartnerFactory(name_fr="Université Complutense", country="ES")
    # "España" found it by "Spain" (a near miss).
    PartnerFactory(name_fr="Port of Spain Pharma", name_en="", country="TT")
    tokyo = PartnerFactory(name_fr="Université de Tokyo", country="JP")
    partners = Partner.objects.public()

    assert list(partners.search("deutschland")) == [berlin]
    assert list(partners.search("España")) == [madrid]
    assert list(partners.search("日本")) == [tokyo]
    assert list(partners.search("universités 日本")) == [tokyo]


@pytest.mark.django_db
def test_brasil_names_brazil_and_brasilia_is_still_a_city():
    brasilia = PartnerFactory(
        name_fr="Université de Brasília", city_fr="Brasília", country="BR"
    )
    sao_paulo = PartnerFactory(
        name_fr="Université de São Paulo", city_fr="São Paulo", country="BR"
    )
    partners = Partner.objects.public()

    # Every Brazilian partner, not only the names starting "Brasil".
    assert set(partners.search("brasil")) == {brasilia, sao_paulo}
    assert list(partners.search("Brasília")) == [brasilia]
    assert list(partners.search("brasilia")) == [brasilia]


@pytest.mark.django_db
def test_norge_is_norway_and_no_slip_of_george():
    oslo = PartnerFactory(name_fr="Université d’Oslo", country="NO")
    PartnerFactory(name_fr="Université George Washington", country="US")

    assert list(Partner.objects.public().search("Norge")) == [oslo]
    assert suggested_anywhere("norge") is None
    assert "NO" not in countries_named("george")


@pytest.mark.django_db
def test_the_global_search_names_the_country_in_its_own_language():
    unit = UnitFactory(country="JP")

    for text in ("日本", "Nippon"):
        groups = by_key(global_search(text))
        assert [country.code for country in groups["countries"].records] == ["JP"]
        assert groups["units"].records == [unit]
    groups = by_key(global_search("Deutschland"))
    assert [country.code for country in groups["countries"].records] == ["DE"]


def test_the_own_names_are_words_of_their_own():
    # Typed whole, not the start of a longer word: "brasil" is no "brasilia".
    assert {"brasil", "norge", "deutschland"} <= country_name_words()


@pytest.mark.django_db
def test_a_units_list_finds_the_units_in_the_country_named_so():
    tokyo = UnitFactory(country="JP")
    UnitFactory(country="SG")

    assert list(Unit.objects.public().search("Nihon")) == [tokyo]
