"""PartnerFilterSet, called directly: country, kind, text, ordering, country choices."""

import pytest
from django.utils import translation

from partners.filters import PartnerFilterSet
from partners.models import Partner, PartnerKind
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def filtered(data):
    filterset = PartnerFilterSet(data, queryset=Partner.objects.public())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


@pytest.fixture
def tokyo():
    return PartnerFactory(
        name_fr="Université de Tokyo",
        name_en="University of Tokyo",
        original_name="東京大学",
        acronym="UTokyo",
        country="JP",
        city_fr="Tokyo",
        city_en="Tokyo",
    )


@pytest.fixture
def sao_paulo():
    return PartnerFactory(
        name_fr="Université de São Paulo",
        name_en="University of São Paulo",
        original_name="Universidade de São Paulo",
        acronym="USP",
        country="BR",
        city_fr="São Paulo",
        city_en="São Paulo",
    )


@pytest.fixture
def fraunhofer():
    return PartnerFactory(
        name_fr="Société Fraunhofer",
        name_en="Fraunhofer Society",
        original_name="Fraunhofer-Gesellschaft",
        acronym="FhG",
        kind=PartnerKind.RESEARCH_ORGANISATION,
        country="DE",
        city_fr="Munich",
        city_en="Munich",
    )


@pytest.fixture
def partners(tokyo, sao_paulo, fraunhofer):
    return tokyo, sao_paulo, fraunhofer


def test_country_keeps_the_partners_of_that_country(partners):
    tokyo, _sao_paulo, _fraunhofer = partners
    kyoto = PartnerFactory(name_fr="Université de Kyoto", country="JP")
    assert set(filtered({"country": "JP"})) == {tokyo, kyoto}


def test_kind_keeps_the_partners_of_that_kind(partners):
    _tokyo, _sao_paulo, fraunhofer = partners
    assert filtered({"kind": PartnerKind.RESEARCH_ORGANISATION}) == [fraunhofer]


def test_country_and_kind_combine(partners):
    assert filtered({"country": "JP", "kind": PartnerKind.RESEARCH_ORGANISATION}) == []


@pytest.mark.parametrize(
    "text",
    [
        "Sao Paulo",  # without accents, finds "São Paulo"
        "São Paulo",  # with accents
        "SAO PAULO",  # case ignored
        "universidade",  # the original name
        "usp",  # the acronym
        "University of Sao",  # the English name, while French is active
    ],
)
def test_text_ignores_accents_and_case_across_names_and_acronym(partners, text):
    _tokyo, sao_paulo, _fraunhofer = partners
    assert filtered({"q": text}) == [sao_paulo]


def test_text_without_accents_finds_the_french_name_with_accents(partners):
    tokyo, sao_paulo, _fraunhofer = partners
    assert set(filtered({"q": "Universite"})) == {tokyo, sao_paulo}


def test_text_with_accents_finds_a_name_written_without(partners):
    plain = PartnerFactory(name_fr="Universite sans accent", name_en="Plain")
    assert plain in filtered({"q": "Université sans"})


@pytest.mark.parametrize(
    "text",
    ["Veðurstofa Íslands", "vedurstofa islands", "Московский", "московский"],
)
def test_names_in_other_alphabets_are_found_as_typed_and_unaccented(text):
    # Folded as PostgreSQL's unaccent does ("ð" is "d"; the "й" of Russian stays):
    # where Python folded otherwise, PostgreSQL did not find what was typed.
    iceland = PartnerFactory(name_fr="Veðurstofa Íslands", name_en="", city_fr="")
    moscow = PartnerFactory(
        name_fr="Université de Moscou",
        original_name="Московский государственный университет",
        city_fr="",
    )
    expected = moscow if "сков" in text else iceland
    assert filtered({"q": text}) == [expected]


def test_text_searches_the_city_in_both_languages():
    munich = PartnerFactory(name_fr="Institut", city_fr="Munich", city_en="Munich")
    cologne = PartnerFactory(name_fr="Institut", city_fr="Cologne", city_en="Köln")
    assert filtered({"q": "koln"}) == [cologne]
    with translation.override("en"):
        assert filtered({"q": "cologne"}) == [cologne]
        assert filtered({"q": "munich"}) == [munich]


def test_text_needs_every_word_when_a_record_has_them_all(partners):
    tokyo, _sao_paulo, _fraunhofer = partners
    assert filtered({"q": "Universite Tokyo"}) == [tokyo]


@pytest.mark.parametrize(
    "typo",
    ["Universidade de Sao Paolo", "Univresidade de Sao Paulo", "Sao Paolo"],
)
def test_a_typo_finds_the_near_misses_and_says_so(partners, typo):
    _tokyo, sao_paulo, _fraunhofer = partners
    filterset = PartnerFilterSet({"q": typo}, queryset=Partner.objects.public())
    assert list(filterset.qs) == [sao_paulo]
    assert filterset.near_misses


def test_a_text_far_from_every_record_finds_nothing(partners):
    assert filtered({"q": "Heidelberg"}) == []


def test_country_choices_show_the_number_of_partners_in_french(partners):
    PartnerFactory(country="JP")
    PartnerFactory(country="JP", publication_status="draft")

    choices = (
        PartnerFilterSet(queryset=Partner.objects.public())
        .form.fields["country"]
        .choices
    )

    # Sorted by the French name: Allemagne, Brésil, Japon; drafts are not counted.
    assert choices[0][0] == ""  # all countries
    assert choices[1:] == [
        ("DE", "Allemagne (1)"),
        ("BR", "Brésil (1)"),
        ("JP", "Japon (2)"),
    ]


def test_country_choices_follow_the_active_language(partners):
    with translation.override("en"):
        choices = (
            PartnerFilterSet(queryset=Partner.objects.public())
            .form.fields["country"]
            .choices
        )

    # Sorted by the English name: Brazil, Germany, Japan.
    assert choices[1:] == [
        ("BR", "Brazil (1)"),
        ("DE", "Germany (1)"),
        ("JP", "Japan (1)"),
    ]


def test_country_choices_are_counted_in_one_query(partners, django_assert_num_queries):
    with django_assert_num_queries(1):
        form = PartnerFilterSet(queryset=Partner.objects.public()).form
        assert len(form.fields["country"].choices) == 4


def test_country_choices_leave_out_countries_without_published_partners(partners):
    PartnerFactory(country="CA", publication_status="draft")
    choices = (
        PartnerFilterSet(queryset=Partner.objects.public())
        .form.fields["country"]
        .choices
    )
    assert "CA" not in dict(choices)


def test_an_unknown_country_code_is_a_form_error(partners):
    filterset = PartnerFilterSet({"country": "ZZ"}, queryset=Partner.objects.public())
    assert not filterset.is_valid()
    assert "country" in filterset.errors


def test_a_code_in_other_letters_does_not_offer_the_country_it_upper_cases_to(
    partners,
):
    # "ß".upper() is "SS": South Sudan must not be offered, let alone chosen.
    filterset = PartnerFilterSet({"country": "ß"}, queryset=Partner.objects.public())
    assert not filterset.is_valid()
    assert "SS" not in dict(filterset.form.fields["country"].choices)
    assert "selected" not in str(filterset.form["country"])


def test_a_real_country_without_partners_finds_nothing_without_error(partners):
    # A shared link outlives the partners it found.
    assert filtered({"country": "NZ"}) == []


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "nope"),
        ("ordering", "nope"),
        ("country", "ZZ"),
        # Letters other than ASCII upper-case to real codes: "SS", "IT", "ST".
        ("country", "ß"),
        ("country", "ıt"),
        ("country", "ﬆ"),
    ],
)
def test_invalid_choices_are_form_errors(partners, field, value):
    filterset = PartnerFilterSet({field: value}, queryset=Partner.objects.public())
    assert not filterset.is_valid()
    assert field in filterset.errors


def test_ordering_by_name_uses_the_active_language_ignoring_accents():
    zurich = PartnerFactory(name_fr="Zurich EPF", name_en="ETH Zurich")
    ecole = PartnerFactory(name_fr="École polytechnique", name_en="Polytechnic School")
    berlin = PartnerFactory(name_fr="Université libre", name_en="Free University")
    assert filtered({"ordering": "name"}) == [ecole, berlin, zurich]
    with translation.override("en"):
        assert filtered({"ordering": "name"}) == [zurich, berlin, ecole]


def test_ordering_by_name_falls_back_on_the_other_language():
    first = PartnerFactory(name_fr="Bêta", name_en="")
    second = PartnerFactory(name_fr="Zêta", name_en="Alpha")
    with translation.override("en"):
        assert filtered({"ordering": "name"}) == [second, first]


def test_ordering_by_country_uses_the_country_name_in_the_active_language(
    partners,
):
    tokyo, sao_paulo, fraunhofer = partners
    assert filtered({"ordering": "country"}) == [fraunhofer, sao_paulo, tokyo]
    with translation.override("en"):
        assert filtered({"ordering": "country"}) == [sao_paulo, fraunhofer, tokyo]


def test_ordering_by_city(partners):
    tokyo, sao_paulo, fraunhofer = partners
    assert filtered({"ordering": "city"}) == [fraunhofer, sao_paulo, tokyo]


def test_ordering_by_city_keeps_the_partners_without_a_city(partners):
    # Sorted on SQLite, the city of neither language made FOLD(NULL) fail the query.
    tokyo, sao_paulo, fraunhofer = partners
    nowhere = PartnerFactory(city_fr="", city_en="")
    found = filtered({"ordering": "city"})
    # Last on both databases, as PostgreSQL sorts NULL.
    assert list(found) == [fraunhofer, sao_paulo, tokyo, nowhere]
