"""Country names read from a table made once per language (partners.country_names)."""

import difflib

import pytest
from django.utils import translation
from django_countries import countries
from django_countries.fields import Country

from partners.country_names import (
    CountryField,
    NamedCountries,
    countries_named,
    country_among_words,
    country_name,
    country_named_whole,
    in_name_order,
    names_in,
)
from partners.models import Office, Partner
from partners.search import SLIP_RATIO, fold, is_slip, typed_words
from tests.factories import OfficeFactory, PartnerFactory


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_name_is_django_countries_own(language):
    named = NamedCountries()
    with translation.override(language):
        for code, name in countries:
            assert named.name(code) == str(name) == country_name(code)
            assert Country(code, custom_countries=named).name == str(name)


def test_names_follow_the_active_language_and_the_settings_overrides():
    named = NamedCountries()
    with translation.override("fr"):
        assert named.name("DE") == "Allemagne"
        assert named.name("XK") == "Kosovo"  # COUNTRIES_OVERRIDE
        assert named.name("NR") == "Nauru"
    with translation.override("en"):
        assert named.name("DE") == "Germany"
        assert named.name("NR") == "Nauru"  # not "Naoero"


def test_names_write_the_typographic_apostrophe():
    # django-countries writes "États-Unis d'Amérique", the site "l’étranger"; and
    # "Côte d'Ivoire" in English, the site "the CNRS’s".
    with translation.override("fr"):
        assert [str(name) for _code, name in countries if "'" in str(name)] == []
        assert NamedCountries().name("CI") == "Côte d’Ivoire"
    with translation.override("en"):
        assert [str(name) for _code, name in countries if "'" in str(name)] == []
        assert names_in("en")["CI"] == "Côte d’Ivoire"
        assert Country("CI").name == "Côte d’Ivoire"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("États-Unis d'Amérique", "US"),
        ("etats-unis d’amerique", "US"),
        ("Côte d'Ivoire", "CI"),
        ("cote d’ivoire", "CI"),
    ],
)
def test_a_name_typed_with_either_apostrophe_names_its_country(text, code):
    assert countries_named(text) == [code]


@pytest.mark.parametrize(
    ("language", "code", "name"),
    [
        ("fr", "US", "États-Unis"),
        ("en", "US", "United States"),
        ("fr", "SB", "Îles Salomon"),
        ("en", "SB", "Solomon Islands"),
    ],
)
def test_countries_are_named_as_people_name_them(language, code, name):
    # QA: "États-Unis d'Amérique" and "Salomon" (COUNTRIES_OVERRIDE).
    with translation.override(language):
        assert names_in(language)[code] == name
        assert Country(code).name == name
        assert NamedCountries().name(code) == name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The names django-countries gave, which searches may still type.
        ("États-Unis d’Amérique", "US"),
        ("Etats Unis d'Amerique", "US"),
        ("United States of America", "US"),
        ("Etats Unis", "US"),
        ("États-Unis", "US"),
        ("United States", "US"),
        ("USA", "US"),
        ("Salomon", "SB"),
        ("iles salomon", "SB"),
        ("Solomon Islands", "SB"),
    ],
)
def test_the_old_and_new_names_both_name_the_country(text, code):
    assert countries_named(text, slips=False)[:1] == [code]


def test_other_spellings_of_a_code_are_still_read():
    named = NamedCountries()
    with translation.override("en"):
        assert named.alpha2("jp") == "JP"
        assert named.alpha2("JPN") == "JP"
        assert named.alpha2(392) == "JP"
        assert named.alpha2("ZZ") == ""
        assert named.name("jp") == "Japan"
        assert named.name("ZZ") == ""
    assert bool(named)


@pytest.mark.django_db
def test_records_countries_are_named_by_the_table():
    partner = PartnerFactory(country="BR")
    office = OfficeFactory(countries=["AR", "CL"])

    partner = Partner.objects.get(pk=partner.pk)
    office = Office.objects.get(pk=office.pk)
    assert isinstance(partner.country.countries, NamedCountries)
    with translation.override("fr"):
        assert partner.country.name == "Brésil"
        assert [country.name for country in office.countries] == ["Argentine", "Chili"]


def test_the_field_migrates_as_django_countries_field():
    field = CountryField("country", multiple=True, blank=True)
    field.set_attributes_from_name("countries")

    _name, path, _args, kwargs = field.deconstruct()

    assert path == "django_countries.fields.CountryField"
    assert "countries" not in kwargs
    assert kwargs["multiple"] is True


def test_slips_are_judged_as_difflib_judges_them():
    # partners.search.is_slip skips difflib's ratio when its upper bounds already
    # fall short: it must answer as the ratio itself, for every word of every
    # country's names against typed words near and far.
    names = [name for language in ("fr", "en") for name in names_in(language).values()]
    words = sorted({word for name in names for word in typed_words(name)})
    typed = ["chnie", "japn", "allemagen", "etats", "unis", "bresil", "arctique"]
    typed += [word[:-1] + "x" for word in words[::7]] + words[::11]
    for typed_word in typed:
        for word in words:
            ratio = difflib.SequenceMatcher(None, typed_word, word).ratio()
            assert is_slip(typed_word, word) == (ratio >= SLIP_RATIO), (
                typed_word,
                word,
            )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_countries_in_name_order_are_sorted_as_their_folded_names(language):
    every = [code for code, _name in countries]
    with translation.override(language):
        assert in_name_order(every) == sorted(
            every, key=lambda code: fold(country_name(code))
        )
        assert in_name_order({"JP", "DE", "BR"}) == (
            ["DE", "BR", "JP"] if language == "fr" else ["BR", "DE", "JP"]
        )
        # "Égypte" among the E's, not after the Z's.
        if language == "fr":
            assert in_name_order({"ZA", "EG", "ES"}) == ["ZA", "EG", "ES"]
    assert in_name_order(set()) == []


def test_codes_no_country_names_come_last():
    with translation.override("fr"):
        assert in_name_order({"JP", "QQ", "DE"}) == ["DE", "JP", "QQ"]


@pytest.mark.parametrize(
    ("text", "code"),
    [("USA", "US"), ("U.S.", "US"), ("UK", "GB"), ("uae", "AE")],
)
def test_a_country_written_short_is_named_first(text, code):
    # Then those whose names start so ("UK": Ukraine).
    assert countries_named(text)[0] == code


@pytest.mark.parametrize(
    ("word", "code"), [("de", "DE"), ("jp", "JP"), ("gb", "GB"), ("eau", "AE")]
)
def test_an_iso_code_or_a_word_is_no_name(word, code):
    # "de" and "eau" are words; "in" still names India, as its name's start.
    assert code not in countries_named(word)


def test_guyana_is_not_named_as_french_guiana_in_french():
    # django-countries' French catalogue names Guyana "Guyane", French Guiana's
    # name in French: "guyane" found Guyana first (COUNTRIES_OVERRIDE).
    assert names_in("fr")["GY"] == "Guyana"
    assert names_in("fr")["GF"] == "Guyane française"
    assert countries_named("guyane")[0] == "GF"
    with translation.override("fr"):
        assert Country("GY").name == "Guyana"
    # It also writes "Îles Marshal".
    assert names_in("fr")["MH"] == "Îles Marshall"


# django-countries' names as ISO lists them, or misspelt, and as the site writes them
# (COUNTRIES_OVERRIDE): the official French forms, and "Bahamas" in English.
RENAMED = [
    ("BS", "Bahamas (The)", "Bahamas", "Bahamas"),
    ("BZ", "Bélize", "Belize", "Belize"),
    ("FM", "Micronésie (États Fédérés de)", "Micronésie", "Micronesia"),
    ("GT", "Guatémala", "Guatemala", "Guatemala"),
    ("MK", "République de Macédoine du Nord", "Macédoine du Nord", "North Macedonia"),
    ("PS", "Palestine, État de", "Palestine", "Palestine"),
    ("RE", "Réunion, La", "La Réunion", "Réunion"),
    ("SA", "Arabie Saoudite", "Arabie saoudite", "Saudi Arabia"),
    ("TL", "Timor Oriental", "Timor oriental", "Timor-Leste"),
    ("TT", "Trinidad et Tobago", "Trinité-et-Tobago", "Trinidad and Tobago"),
    ("WF", "Wallis et Futuna", "Wallis-et-Futuna", "Wallis and Futuna"),
    ("SZ", "Eswatini (République d’)", "Eswatini", "Eswatini"),
]


@pytest.mark.parametrize(("code", "former", "french", "english"), RENAMED)
def test_countries_are_named_in_their_official_forms(code, former, french, english):
    assert names_in("fr")[code] == french
    assert names_in("en")[code] == english
    with translation.override("fr"):
        assert Country(code).name == french
    with translation.override("en"):
        assert Country(code).name == english


@pytest.mark.parametrize(("code", "former", "french", "english"), RENAMED)
def test_a_country_is_found_by_its_names_old_and_new(code, former, french, english):
    for name in (former, french, english):
        assert countries_named(name)[0] == code, name
        assert country_named_whole(name) == code, name
        assert country_among_words(f"université {name}") == (code, "université")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["États-Unis d'Amérique", "Etats Unis", "United States of America"]
)
def test_the_partners_list_finds_the_united_states_by_its_old_and_new_names(
    client, text
):
    PartnerFactory(country="US", name_fr="Université Alpha", name_en="Alpha University")
    PartnerFactory(country="JP", name_fr="Université Beta", name_en="Beta University")
    for language in ("fr", "en"):
        response = client.get(f"/{language}/partners/", {"q": text})
        assert response.status_code == 200
        names = {p.name_en for p in response.context["page_obj"].object_list}
        assert names == {"Alpha University"}, (language, text)
