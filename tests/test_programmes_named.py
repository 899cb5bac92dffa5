"""A programme named in a search finds its grants and projects, and those of the
programmes under it, as a kind named does ("H2020", "Tascmar H2020", "projets
Horizon 2020": ``programme_phrases`` in programmes/models.py); a CNRS institute
named, its units and grants ("INC", "Institute of Chemistry":
``institute_phrases`` in units/models.py). On both databases."""

import pytest

from cnrs_intl.search import global_search, matching_institutes, without_kind_words
from partners.country_names import countries_named
from programmes.models import Grant, Project, programme_phrases
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    ProgrammeFactory,
    ProjectFactory,
    UnitFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def horizon():
    h2020 = ProgrammeFactory(
        name_fr="Horizon 2020", name_en="Horizon 2020", acronym="H2020", slug="h2020"
    )
    erc = ProgrammeFactory(
        name_fr="Conseil européen de la recherche",
        name_en="European Research Council",
        acronym="ERC",
        parent=h2020,
        slug="erc",
    )
    europe = ProgrammeFactory(
        name_fr="Horizon Europe", name_en="", acronym="HE", slug="horizon-europe"
    )
    return h2020, erc, europe


@pytest.mark.parametrize(
    "text",
    [
        "H2020",
        "h2020",
        "Horizon 2020",
        "horizon2020",
        "projets Horizon 2020",
        "H2020 projects",
    ],
)
def test_a_programme_named_finds_its_projects(horizon, text):
    h2020, _erc, europe = horizon
    tascmar = ProjectFactory(
        acronym="Tascmar", title_en="Marine compounds", programme=h2020
    )
    ProjectFactory(acronym="Later", title_en="Oceans", programme=europe)

    assert list(Project.objects.public().search(text)) == [tascmar]


def test_a_programme_named_with_other_words_finds_its_records_holding_them(horizon):
    h2020, _erc, europe = horizon
    tascmar = ProjectFactory(
        acronym="Tascmar", title_en="Marine compounds", programme=h2020
    )
    ProjectFactory(acronym="Oceano", title_en="Marine biology", programme=europe)
    ProjectFactory(acronym="Other", title_en="Soils", programme=h2020)

    assert list(Project.objects.public().search("Tascmar H2020")) == [tascmar]
    assert list(Project.objects.public().search("marine H2020")) == [tascmar]


def test_the_records_of_the_programmes_under_it_are_found_too(horizon):
    h2020, erc, _europe = horizon
    grant = GrantFactory(acronym="Aqua", title_en="Water", programme=erc)

    assert list(Grant.objects.public().search("Horizon 2020")) == [grant]


def test_drafts_name_no_programme(horizon):
    h2020, _erc, _europe = horizon
    ProgrammeFactory(
        name_fr="Brouillon",
        name_en="Draft",
        acronym="DRAFT",
        publication_status="draft",
    )

    phrases = programme_phrases()

    assert phrases[("h2020",)] == {"programme__in": sorted([h2020.pk, horizon[1].pk])}
    assert ("draft",) not in phrases
    assert ("horizon", "2020") in phrases


@pytest.fixture
def chemistry():
    return InstituteFactory(
        code="INC", name_fr="Institut de chimie", name_en="Institute of Chemistry"
    )


@pytest.mark.parametrize(
    "text", ["INC", "inc", "Institute of Chemistry", "institut de chimie", "unités INC"]
)
def test_an_institute_named_finds_its_units(chemistry, text):
    led = UnitFactory(name_fr="Produits", name_en="", lead_institute=chemistry)
    attached = UnitFactory(name_fr="Matériaux", name_en="")
    attached.secondary_institutes.add(chemistry)
    UnitFactory(name_fr="Robotique", name_en="")

    assert set(Unit.objects.public().search(text)) == {led, attached}


def test_an_institute_named_with_other_words_finds_its_units_holding_them(chemistry):
    shanghai = UnitFactory(
        name_fr="Produits", name_en="", lead_institute=chemistry, city_fr="Shanghai"
    )
    UnitFactory(
        name_fr="Catalyse", name_en="", lead_institute=chemistry, city_fr="Lyon"
    )
    UnitFactory(name_fr="Robotique", name_en="", city_fr="Shanghai")

    assert list(Unit.objects.public().search("INC Shanghai")) == [shanghai]


def test_an_institute_named_finds_its_grants(chemistry):
    grant = GrantFactory(acronym="Aqua", title_en="Water", institute=chemistry)
    GrantFactory(acronym="Terra", title_en="Soil")

    assert list(Grant.objects.public().search("INC grants")) == [grant]


def test_a_word_of_an_institutes_name_alone_names_it(chemistry):
    # "chimie" names the Institut de chimie, as the global search's institutes
    # group said while the units list found none of its units
    # (tests/test_institutes_named_by_a_word.py).
    products = UnitFactory(name_fr="Produits", name_en="", lead_institute=chemistry)

    assert list(Unit.objects.public().found("chimie")) == [products]


@pytest.mark.parametrize(
    "text", ["Horizon 2020 programme", "programme Horizon 2020", "H2020 program"]
)
def test_a_programme_named_as_a_programme_finds_its_projects(horizon, text):
    h2020, _erc, _europe = horizon
    tascmar = ProjectFactory(acronym="Tascmar", title_en="Marine", programme=h2020)

    assert list(Project.objects.public().search(text)) == [tascmar]


@pytest.mark.parametrize(
    "text, key, code",
    [
        ("ERC grants", "programmes", "ERC"),
        ("Horizon2020", "programmes", "H2020"),
        ("programme Horizon 2020", "programmes", "H2020"),
        ("INC grants", "institutes", "INC"),
        ("unités INC", "institutes", "INC"),
    ],
)
def test_a_programme_or_institute_named_among_kind_words_has_its_card(
    horizon, chemistry, text, key, code
):
    groups = {group.key: group for group in global_search(text)}

    records = groups[key].records
    assert [getattr(record, "acronym", None) or record.code for record in records] == [
        code
    ]
    assert not groups[key].near_misses


def test_without_kind_words_keeps_the_words_naming_part_of_a_kind():
    assert without_kind_words("ERC grants") == "erc"
    assert without_kind_words("unités de l'INC") == "inc"
    assert without_kind_words("robotique") == "robotique"


@pytest.mark.parametrize(
    "text", ["biology", "biologie", "biological", "Biological Sciences"]
)
def test_an_institute_is_named_by_its_words_in_another_form(text):
    # "biology" named nothing: the institute's name says "Biological".
    biology = InstituteFactory(
        code="INSB",
        name_fr="Institut des sciences biologiques",
        name_en="Institute of Biological Sciences",
    )
    InstituteFactory(code="INC", name_fr="Institut de chimie", name_en="Chemistry")

    assert matching_institutes(text, slips=False) == [biology]


def test_words_in_another_form_name_no_country():
    # "units" and "United States" share the stem "unit": only the word's start.
    assert countries_named("units", slips=False) == []
    assert {"GB", "US"} <= set(countries_named("united", slips=False))


@pytest.mark.parametrize("text", ["the", "et", "de la", "of the"])
def test_stop_words_alone_name_no_country_nor_institute(text):
    InstituteFactory(code="INEE", name_en="Institute of Ecology and Environment")

    assert countries_named(text, slips=False) == []
    assert matching_institutes(text, slips=False) == []


def test_a_short_name_in_capitals_still_names_its_country():
    assert countries_named("US", slips=False)[0] == "US"
