"""A unit is found by the names of its partner institutions ("MIT" finds <MSE>2,
whose texts need not say it), and its card says which partner the search found
(``units_partnered_with`` in units/models.py). On both databases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cnrs_intl.search import global_search
from partners.publication import PublicationStatus
from tests.factories import PartnerFactory, UnitFactory, UnitPartnershipFactory
from units import models as unit_models
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def mse2():
    unit = UnitFactory(
        acronym="MSE2",
        name_fr="Matériaux multi-échelles",
        name_en="Multi-scale materials",
        description_fr="",
        description_en="",
        country="US",
    )
    mit = PartnerFactory(
        name_fr="Institut de technologie du Massachusetts",
        name_en="Massachusetts Institute of Technology",
        acronym="MIT",
        country="US",
        city_fr="Cambridge",
        city_en="Cambridge",
    )
    amu = PartnerFactory(
        name_fr="Aix-Marseille Université",
        name_en="Aix-Marseille University",
        acronym="AMU",
        country="FR",
        city_fr="Marseille",
        city_en="Marseille",
    )
    UnitPartnershipFactory(unit=unit, partner=mit)
    UnitPartnershipFactory(unit=unit, partner=amu)
    UnitFactory(acronym="JRL", name_fr="Robotique", name_en="Robotics")
    return unit


@pytest.mark.parametrize(
    "text",
    [
        "MIT",
        "Massachusetts",
        "institut de technologie du massachusetts",
        "AMU",
        "Aix-Marseille Universite",
    ],
)
def test_a_unit_is_found_by_its_partners_names(mse2, text):
    assert list(Unit.objects.public().search(text)) == [mse2]


def test_an_unpublished_partner_finds_no_unit(mse2):
    hidden = PartnerFactory(
        name_fr="Société discrète",
        name_en="",
        acronym="",
        publication_status=PublicationStatus.DRAFT,
    )
    UnitPartnershipFactory(unit=mse2, partner=hidden)

    assert not Unit.objects.public().search("discrète").exists()


def test_a_word_most_partners_hold_names_none_of_them(mse2, monkeypatch):
    # "université": a kind of partner, not one of them; every unit has some.
    monkeypatch.setattr(unit_models, "RELATED_MATCHES", 1)
    other = UnitFactory(acronym="LINK", name_fr="Matériaux", name_en="Materials")
    UnitPartnershipFactory(
        unit=other, partner=PartnerFactory(name_fr="Université de Tsukuba")
    )

    # Two partners hold it: more than the few a name finds.
    assert not Unit.objects.public().search("université").exists()
    assert list(Unit.objects.public().search("Tsukuba")) == [other]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_units_list_says_which_partner_the_search_found(client, mse2, language):
    response = client.get(f"/{language}/units/", {"q": "MIT"})

    assert list(response.context["object_list"]) == [mse2]
    label = "Établissements partenaires" if language == "fr" else "Partner institutions"
    content = response.content.decode()
    assert f"<dt>{label}</dt>" in content
    assert "(<mark>MIT</mark>)" in content
    # Only the partner holding the words.
    assert "Aix-Marseille" not in content.split(label)[1].split("</dd>")[0]


def test_the_global_search_finds_the_unit_by_its_partner(mse2):
    groups = {group.key: group for group in global_search("AMU")}

    assert groups["units"].records == [mse2]
    assert not groups["units"].near_misses


def test_a_searched_units_lists_queries_do_not_grow_with_its_partners(client, settings):
    settings.PAGE_CACHE_SECONDS = 0

    def queries(units: int) -> int:
        Unit.objects.all().delete()
        for _ in range(units):
            unit = UnitFactory()
            for _ in range(3):
                UnitPartnershipFactory(
                    unit=unit, partner=PartnerFactory(name_fr="Institut Kepler")
                )
        client.get("/fr/units/", {"q": "Kepler"})  # the counts, then cached
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/fr/units/", {"q": "Kepler"})
        assert len(response.context["object_list"]) == units
        return len(captured)

    # The page of units, their quoted people, their partners (the choices and
    # counts are read from the cache).
    assert queries(2) == queries(6) == 3


@pytest.mark.parametrize("text", ["Marseille", "Cambridge"])
def test_a_partners_city_finds_none_of_its_units(mse2, text):
    # "Marseille" is in AMU's name, "Cambridge" only MIT's city.
    found = list(Unit.objects.public().search(text))
    assert found == ([mse2] if text == "Marseille" else [])


@pytest.mark.parametrize(
    "text", ["universités", "universities", "universités françaises"]
)
def test_words_naming_only_kinds_of_partners_or_a_country_find_no_unit(mse2, text):
    assert not Unit.objects.public().search(text).exists()


def test_the_card_names_the_partner_found_in_the_other_language(client, mse2):
    response = client.get(
        "/en/units/", {"q": "Institut de technologie du Massachusetts"}
    )

    assert list(response.context["object_list"]) == [mse2]
    content = response.content.decode()
    assert "<dt>Partner institutions</dt>" in content
    assert "Technology</span> (MIT)</dd>" in content


@pytest.mark.parametrize(
    "language, label", [("fr", "partenaire\u00a0:"), ("en", "partner:")]
)
def test_the_global_search_says_which_partner_found_the_unit(
    client, mse2, language, label
):
    content = client.get(f"/{language}/search/", {"q": "AMU"}).content.decode()

    assert f"{label} Aix-Marseille" in content
    assert "(<mark>AMU</mark>)" in content


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_partners_name_mistyped_on_the_units_list_is_corrected(
    client, mse2, language
):
    # "Solvai" found nothing and suggested nothing: the units' words lack it.
    response = client.get(f"/{language}/units/", {"q": "Massachusets"})

    assert response.context["suggestion"] == "Massachusetts"
    followed = client.get(response.context["suggestion_url"])
    assert list(followed.context["object_list"]) == [mse2]


def test_a_record_named_by_the_words_leads_the_units_found_by_a_partner(mse2):
    # Both rank alike (no name starts with "Marseille"); the partner's name
    # holds the word, the unit's does not.
    keys = [group.key for group in global_search("Marseille") if group.records]

    assert keys.index("partners") < keys.index("units")


def test_letters_alone_name_no_partner(mse2):
    # Each starts a word of most names (here of "Aix-Marseille Université");
    # together they are no code ("%m%i%t" is MIT's).
    assert not Unit.objects.public().search("%u%a%m").exists()
    assert list(Unit.objects.public().search("%m%i%t")) == [mse2]


def test_a_partner_meant_by_a_typo_leads_the_units_it_finds(mse2):
    # Both are close records, found by the suggestion "Massachusetts": the
    # partner's name holds it.
    groups = {group.key: group for group in global_search("Massachusets")}
    keys = [key for key, group in groups.items() if group.records]

    assert groups["partners"].near_misses and groups["units"].near_misses
    assert keys.index("partners") < keys.index("units")
