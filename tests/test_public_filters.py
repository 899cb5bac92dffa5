"""What every public list's FilterSet shares (partners.filters.PublicFilterSet)."""

import pytest
from django import forms

from partners.filters import (
    AnyCaseChoiceField,
    CountryChoiceField,
    PartnerFilterSet,
    PublicFilterForm,
    PublicFilterSet,
)
from programmes.filters import GrantFilterSet, ProjectFilterSet
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)
from units.filters import InstituteChoiceField, UnitFilterSet
from units.models import UnitKind

pytestmark = pytest.mark.django_db

PUBLIC_FILTERSETS = [PartnerFilterSet, UnitFilterSet, GrantFilterSet, ProjectFilterSet]


def test_every_public_filterset_is_tested_here():
    def subclasses(cls):
        for subclass in cls.__subclasses__():
            yield subclass
            yield from subclasses(subclass)

    # Those of a list: not a base of several (ProgrammeRecordsFilterSet).
    lists = {cls for cls in subclasses(PublicFilterSet) if cls._meta.model}
    assert lists == set(PUBLIC_FILTERSETS)


@pytest.mark.parametrize("filterset_class", PUBLIC_FILTERSETS)
def test_every_public_filterset_repeats_an_invalid_value_shortened(filterset_class):
    # A Meta not inheriting PublicFilterSet.Meta would leave Django's form.
    assert issubclass(filterset_class._meta.form, PublicFilterForm)
    long_value = "w" * 5000
    filterset = filterset_class(
        {"country": long_value, "kind": long_value, "scheme": long_value}
    )

    assert not filterset.is_valid()
    messages = " ".join(map(str, filterset.errors.values())).lower()
    assert "w" * 40 + "…" in messages
    assert "w" * 41 not in messages


CASE_FOLDING_FIELDS = (AnyCaseChoiceField, CountryChoiceField, InstituteChoiceField)


@pytest.mark.parametrize("filterset_class", PUBLIC_FILTERSETS)
def test_every_choice_filter_reads_its_values_in_any_case(filterset_class):
    for name, filter_ in filterset_class.base_filters.items():
        if issubclass(filter_.field_class, forms.ChoiceField):
            assert issubclass(filter_.field_class, CASE_FOLDING_FIELDS), name


@pytest.mark.parametrize("filterset_class", PUBLIC_FILTERSETS)
def test_every_choice_is_taken_in_another_case(filterset_class):
    ProgrammeFactory(slug="irl")
    fields = filterset_class().form.fields
    for name, field in fields.items():
        if not isinstance(field, AnyCaseChoiceField):
            continue
        for value, _label in field.choices:
            if value == "":
                continue
            filterset = filterset_class({name: str(value).swapcase()})
            assert filterset.is_valid(), filterset.errors
            assert filterset.form.cleaned_data[name] in (str(value), [str(value)])


@pytest.mark.parametrize(
    ("address", "chosen"),
    [
        ("/en/grants/?programme=IRL", '<option value="irl" selected>'),
        ("/en/units/?region=Europe", '<option value="europe" selected>'),
        ("/en/units/?kind=IRL", '<option value="irl" selected>'),
        ("/en/grants/?panel=pe1", '<option value="PE1" selected>'),
        ("/en/units/?ordering=-Year", '<option value="-year" selected>'),
        ("/en/partners/?kind=University", '<option value="university" selected>'),
    ],
)
def test_a_hand_typed_link_shows_its_choice_as_the_form_writes_it(
    client, address, chosen
):
    # Each answered 400, whereas ?country=jp and ?institute=INSIS were taken.
    ProgrammeFactory(slug="irl")
    response = client.get(address)

    assert response.status_code == 200
    assert chosen in response.content.decode()


def test_a_choice_in_another_case_filters_as_the_choice(client):
    UnitFactory(acronym="JFLI", kind=UnitKind.IRL, country="JP")
    UnitFactory(acronym="IFRE", kind=UnitKind.UMIFRE, country="JP")

    response = client.get("/en/units/", {"kind": "Irl"})

    assert [unit.acronym for unit in response.context["object_list"]] == ["JFLI"]


@pytest.mark.parametrize(
    ("language", "text", "link"),
    [
        ("fr", "japon", "Filtrer par pays\u00a0: Japon"),
        ("en", "Japan", "Filter by country: Japan"),
        ("fr", "japn", "Filtrer par pays\u00a0: Japon"),  # one slip
    ],
)
def test_a_partner_search_naming_a_country_offers_that_countrys_filter(
    client, language, text, link
):
    # Names hold no country: "japon" found nothing on the partners list.
    PartnerFactory(country="JP", name_fr="Université de Kyoto", name_en="")
    PartnerFactory(country="FR", name_fr="Université de Lyon", name_en="")

    response = client.get(f"/{language}/partners/", {"q": text})

    html = response.content.decode()
    assert f'<a href="/{language}/partners/?country=JP">{link}</a>' in html
    assert "country=FR" not in html


@pytest.mark.parametrize(
    ("language", "text", "link"),
    [
        ("fr", "Brésil", "Filtrer par pays\u00a0: Brésil"),
        ("en", "brazil", "Filter by country: Brazil"),
    ],
)
def test_a_unit_search_naming_a_country_offers_that_countrys_filter(
    client, language, text, link
):
    UnitFactory(acronym="CNRS-IMPA", country="BR", description_fr="", description_en="")
    UnitFactory(acronym="JRL", country="JP")

    response = client.get(f"/{language}/units/", {"q": text})

    html = response.content.decode()
    assert f'<a href="/{language}/units/?country=BR">{link}</a>' in html
    assert "?country=JP" not in html
    chosen = client.get(f"/{language}/units/", {"q": text, "country": "BR"})
    assert chosen.context["countries_named"] == []


def test_no_country_is_offered_once_chosen_or_without_partners_there(client):
    PartnerFactory(country="JP", name_fr="Université de Kyoto", name_en="")

    chosen = client.get("/en/partners/", {"q": "japan", "country": "JP"})
    elsewhere = client.get("/en/partners/", {"q": "china"})

    assert chosen.context["countries_named"] == []
    assert elsewhere.context["countries_named"] == []


INSTITUTES = ("Institut des sciences de l’ingénierie", "sciences de l’Univers")
PROGRAMMES = ("Horizon Europe (HE)", "Horizon 2020 (H2020)")


def with_records(programme):
    """A programme with a published grant and project: the lists offer no other."""
    GrantFactory(programme=programme)
    ProjectFactory(programme=programme)


@pytest.mark.parametrize(
    ("filterset_class", "field", "labels"),
    [
        (UnitFilterSet, "institute", INSTITUTES),
        (GrantFilterSet, "institute", INSTITUTES),
        (ProjectFilterSet, "programme", PROGRAMMES),
        (GrantFilterSet, "programme", PROGRAMMES),
    ],
)
def test_institutes_and_programmes_to_choose_from_are_read_once_per_content_version(
    django_assert_num_queries, filterset_class, field, labels
):
    InstituteFactory(code="INSIS", name_fr="Institut des sciences de l’ingénierie")
    with_records(
        ProgrammeFactory(
            name_fr="Horizon Europe", name_en="Horizon Europe", acronym="HE"
        )
    )
    str(filterset_class().form[field])  # read once
    with django_assert_num_queries(0):
        html = str(filterset_class().form[field])
    assert labels[0] in html
    assert labels[1] not in html
    # A new one is offered at once: the change made a new content version.
    InstituteFactory(code="INSU", name_fr="Institut national des sciences de l’Univers")
    with_records(
        ProgrammeFactory(
            name_fr="Horizon 2020", name_en="Horizon 2020", acronym="H2020"
        )
    )
    assert labels[1] in str(filterset_class().form[field])


def test_an_institute_sent_is_still_checked_against_the_database():
    InstituteFactory(code="INSIS", slug="insis")
    assert UnitFilterSet({"institute": "insis"}).is_valid()
    filterset = UnitFilterSet({"institute": "nowhere"})
    assert not filterset.is_valid()
    assert "institute" in filterset.errors


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        # Words of the records, no slip of San Marino nor of Finland.
        ("marine", []),
        ("finance", []),
        # A word no record holds, nearly a country's name: offered.
        ("japn", ["JP"]),
    ],
)
def test_a_word_of_the_records_offers_no_country_it_nearly_names(client, text, offered):
    ProjectFactory(title_en="Marine biology", title_fr="", summary_en="")
    UnitFactory(description_en="Green finance.", description_fr="")
    for country in ("SM", "FI", "JP"):
        ProjectParticipantFactory(partner=PartnerFactory(country=country))
    response = client.get("/en/projects/", {"q": text})
    codes = [country.code for country, _query in response.context["countries_named"]]
    assert codes == offered
