"""A word typed whole names a country by a whole word of its names, not by
the start of a longer one, when it is a word of its own: a word of a
country's names, or one the records hold. "São" named Arabie saoudite
("saoudite"); it names Sao Tomé-et-Principe, beside the records of São Paulo.
Found by a QA pass over the demo's records. On SQLite and PostgreSQL alike."""

import pytest
from django.utils import translation

from cnrs_intl.search import global_search, matching_countries
from partners.country_names import countries_named
from tests.factories import OfficeFactory, PartnerFactory
from tests.search_groups import by_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def sao_paulo():
    usp = PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        acronym="USP",
        country="BR",
        city="São Paulo",
    )
    # Partners in Saudi Arabia and in São Tomé: the countries are on the site.
    PartnerFactory(name_fr="Université du Roi-Saoud", name_en="", country="SA")
    OfficeFactory(countries=["ST"])
    return usp


@pytest.mark.parametrize("language", ["fr", "en"])
def test_sao_names_sao_tome_not_saudi_arabia(sao_paulo, language):
    # "Arabie saoudite": "sao" started "saoudite".
    with translation.override(language):
        groups = by_key(global_search("São"))

    assert [country.code for country in groups["countries"].records] == ["ST"]
    assert sao_paulo in groups["partners"].records
    assert not groups["partners"].near_misses


def test_the_start_of_a_word_still_names_its_country(sao_paulo):
    # Words of no name nor record: typed so far, "saoudi" and "allem" start them.
    PartnerFactory(name_fr="Université de Berlin", name_en="", country="DE")
    with translation.override("fr"):
        assert [country.code for country in matching_countries("saoudi")] == ["SA"]
        assert [country.code for country in matching_countries("allem")] == ["DE"]


def test_a_word_the_records_hold_is_no_start_of_a_countrys_name():
    # "bel" is no word of a country's name; it starts Belgique's, Belize's...
    PartnerFactory(name_fr="Université de Louvain", name_en="", country="BE")
    with translation.override("fr"):
        assert [country.code for country in matching_countries("bel")] == ["BE"]
        # ...until a record holds it: the word of that record.
        PartnerFactory(name_fr="Laboratoires Bel Air", name_en="", country="FR")
        assert matching_countries("bel") == []
        assert "BE" in countries_named("bel")  # without the records' words


def test_a_countrys_own_word_names_no_longer_one():
    # "Niger" is a country, not the start of "Nigeria".
    assert countries_named("niger", slips=False) == ["NE"]
    assert countries_named("nigeria", slips=False) == ["NG"]
