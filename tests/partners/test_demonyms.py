"""The words of a country's people and things ("japonaises", "Brazilian") and its
other common names ("Ivory Coast", "Angleterre") name it in a search, with the
site's own words or without ("CNRS Japan"): partners/demonyms.py,
``_country_word_runs`` and ``SITE_WORDS`` in partners/country_names.py."""

import pytest

from cnrs_intl.search import global_search
from partners.country_names import country_among_words, country_named_whole
from partners.demonyms import DEMONYMS, demonyms, english_forms, french_forms
from partners.models import Partner, PartnerKind
from partners.search import fold
from tests.factories import PartnerFactory


@pytest.mark.parametrize(
    "masculine, forms",
    [
        ("brésilien", ("brésilien", "brésilienne", "brésiliens", "brésiliennes")),
        ("coréen", ("coréen", "coréenne", "coréens", "coréennes")),
        ("japonais", ("japonais", "japonaise", "japonaises")),
        ("belge", ("belge", "belges")),
        ("allemand", ("allemand", "allemande", "allemands", "allemandes")),
        ("grec", ("grec", "grecque", "grecs", "grecques")),
    ],
)
def test_french_words_take_their_feminine_and_plural(masculine, forms):
    assert french_forms(masculine) == forms


@pytest.mark.parametrize(
    "word, forms",
    [
        ("Brazilian", ("Brazilian", "Brazilians")),
        ("Israeli", ("Israeli", "Israelis")),
        ("Chinese", ("Chinese",)),
        ("French", ("French",)),
    ],
)
def test_english_words_naming_people_take_their_plural(word, forms):
    assert english_forms(word) == forms


@pytest.mark.parametrize(
    "text, code",
    [
        ("japonais", "JP"),
        ("Japonaises", "JP"),
        ("Japanese", "JP"),
        ("brésiliens", "BR"),
        ("Belgian", "BE"),
        ("french", "FR"),
        ("nord-coréen", "KP"),
        ("sud-coréennes", "KR"),
        ("Américains", "US"),
        # Other names, former or common.
        ("Ivory Coast", "CI"),
        ("Swaziland", "SZ"),
        ("Burma", "MM"),
        ("Angleterre", "GB"),
        ("Scotland", "GB"),
        # "CNRS": every record of the site is the CNRS's.
        ("CNRS Japan", "JP"),
        ("le CNRS au Japon", "JP"),
    ],
)
def test_a_countrys_people_or_other_names_name_it_whole(text, code):
    assert country_named_whole(text) == code


def test_no_word_names_two_countries():
    # A word two countries would share names neither (``_country_word_runs``):
    # none is listed twice.
    countries = {}
    for code, forms in demonyms().items():
        for word in forms:
            countries.setdefault(fold(word), set()).add(code)
    assert {word: codes for word, codes in countries.items() if len(codes) > 1} == {}
    assert len(DEMONYMS) > 100


@pytest.mark.parametrize(
    "text, named",
    [
        ("universités japonaises", ("JP", "universités")),
        ("French companies", ("FR", "companies")),
        ("partenaires brésiliens", ("BR", "partenaires")),
    ],
)
def test_a_countrys_people_among_words_name_it(text, named):
    assert country_among_words(text) == named


@pytest.mark.django_db
def test_kinds_of_partners_of_a_country_are_found_by_its_people():
    nagoya = PartnerFactory(name_fr="Université de Nagoya", country="JP")
    toyota = PartnerFactory(name_fr="Toyota", kind=PartnerKind.COMPANY, country="JP")
    thales = PartnerFactory(name_fr="Thales", kind=PartnerKind.COMPANY, country="FR")
    PartnerFactory(name_fr="Université de Lyon", country="FR")

    partners = Partner.objects.public()
    assert list(partners.search("universités japonaises")) == [nagoya]
    assert list(partners.search("French companies")) == [thales]
    assert set(partners.search("japonais")) == {nagoya, toyota}


@pytest.mark.django_db
def test_the_global_search_gives_the_country_of_its_people():
    PartnerFactory(
        name_fr="Université de Pékin", name_en="Peking University", country="CN"
    )

    groups = {group.key: group for group in global_search("chinois")}

    assert [country.code for country in groups["countries"].records] == ["CN"]
    assert groups["partners"].total == 1


@pytest.mark.django_db
def test_the_cnrs_in_a_country_is_everything_there():
    # Every record is the CNRS's: "CNRS Japan" is Japan, not the records
    # holding both words alone.
    office = PartnerFactory(name_fr="Institut national", name_en="", country="JP")
    named = PartnerFactory(name_fr="CNRS Japon", name_en="", country="JP")
    PartnerFactory(name_fr="Université de Lyon", name_en="", country="FR")

    groups = {group.key: group for group in global_search("CNRS Japan")}

    assert [country.code for country in groups["countries"].records] == ["JP"]
    assert set(groups["partners"].records) == {office, named}


@pytest.mark.parametrize(
    "text",
    [
        "Latin American universities",
        "South American partners",
        "universités latino-américaines",
        "partenaires sud-américains",
        "University of British Columbia",
        "Indian Ocean",
        "océan Indien",
        "New England universities",
    ],
)
def test_a_country_word_inside_another_name_names_no_country(text):
    assert country_among_words(text) is None
    assert country_named_whole(text) is None


@pytest.mark.parametrize(
    "text, named",
    [
        ("American universities", ("US", "universities")),
        ("Indian institutes", ("IN", "institutes")),
    ],
)
def test_a_country_word_alone_still_names_it(text, named):
    assert country_among_words(text) == named
