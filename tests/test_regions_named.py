"""A region of the world named in a search finds the records in its countries, as
a kind named does: "Asie", "units in Asia", "partenaires sud-américains",
"Latin American partners", "bureaux en Asie" (``region_phrases`` in
partners/regions.py). On both databases."""

import pytest
from django.utils import translation

from cnrs_intl.search import global_search
from partners.models import Office, Partner
from partners.regions import Region, countries_in, region_phrases
from partners.search import phrase_words
from programmes.models import Grant, Project
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return {
        "tokyo": UnitFactory(acronym="JRL", country="JP", description_en=""),
        "shanghai": UnitFactory(acronym="E2P2L", country="CN", description_en=""),
        "rio": UnitFactory(acronym="IMPA", country="BR", description_en=""),
        "paris": UnitFactory(acronym="LAB", country="FR", description_en=""),
        "usp": PartnerFactory(name_fr="Université de São Paulo", country="BR"),
        "unam": PartnerFactory(name_fr="Université de Mexico", country="MX"),
        "kyoto": PartnerFactory(name_fr="Université de Kyoto", country="JP"),
    }


@pytest.mark.parametrize("text", ["Asie", "Asia", "units in Asia", "unités asiatiques"])
def test_a_continent_named_finds_the_units_in_its_countries(world, text):
    found = set(Unit.objects.public().search(text))

    assert found == {world["tokyo"], world["shanghai"]}


@pytest.mark.parametrize(
    "text, names",
    [
        ("partenaires sud-américains", {"usp"}),
        ("South American partners", {"usp"}),
        ("Amérique du Sud", {"usp"}),
        ("Latin American partners", {"usp", "unam"}),
        ("universités d'Amérique latine", {"usp", "unam"}),
        ("Amérique du Nord", {"unam"}),
    ],
)
def test_a_subregion_named_finds_the_partners_in_its_countries(world, text, names):
    found = set(Partner.objects.public().search(text))

    assert found == {world[name] for name in names}


def test_america_alone_names_no_region(world):
    # "Amérique" often means the United States: no region, nor near misses.
    assert not Partner.objects.public().search("Amérique").filter(country="BR")


def test_offices_are_in_the_regions_of_the_countries_they_cover():
    tokyo = OfficeFactory(country="JP", countries=["JP", "KR"], role_en="", role_fr="")
    singapore = OfficeFactory(
        country="SG", countries=["SG", "ID"], role_en="", role_fr=""
    )
    OfficeFactory(country="BR", countries=["BR", "AR"], role_en="", role_fr="")

    assert set(Office.objects.public().search("bureaux en Asie")) == {
        tokyo,
        singapore,
    }
    assert list(Office.objects.public().search("Asie du Sud-Est")) == [singapore]


def test_records_in_no_country_are_not_filtered_by_a_region():
    # A grant is in no country: "Europe" is only a word of its texts.
    europe = GrantFactory(title_en="Europe's forests", title_fr="Forêts")
    GrantFactory(title_en="Oceans", title_fr="Océans")

    assert list(Grant.objects.public().search("Europe")) == [europe]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_continent_is_named_by_its_label(language):
    phrases = region_phrases()
    for region in Region:
        with translation.override(language):
            words = phrase_words(str(region.label))
        assert phrases[words] == sorted(countries_in(region))


def test_the_global_search_lists_the_units_in_a_continent(world):
    groups = {group.key: group for group in global_search("Asie")}

    assert set(groups["units"].records) == {world["tokyo"], world["shanghai"]}
    assert not groups["units"].near_misses


def test_projects_are_in_the_regions_of_their_participants():
    african = ProjectFactory(title_fr="Sols", title_en="Soils")
    ProjectParticipantFactory(project=african, partner__country="SN")
    ProjectParticipantFactory(project=african, partner__country="FR")
    european = ProjectFactory(title_fr="Forêts", title_en="Forests")
    ProjectParticipantFactory(project=european, partner__country="DE")

    assert list(Project.objects.public().search("projets en Afrique")) == [african]
    assert list(Project.objects.public().search("Africa")) == [african]
