"""A CNRS institute named by one word of its names, in some form, finds its units
and grants on the lists, as its whole name or code does: "chemistry", "chimie"
the INC's, "biology" the INSB's (``institutes_named_by_a_word`` in
units/models.py). A word naming most institutes ("sciences") names none. On both
databases."""

import pytest
from django.utils import translation

from cnrs_intl.search import global_search
from programmes.models import Grant
from tests.factories import GrantFactory, InstituteFactory, UnitFactory
from units.models import Unit, institutes_named_by_a_word

pytestmark = pytest.mark.django_db


@pytest.fixture
def institutes():
    names = {
        "INC": ("Institut de chimie", "Institute of Chemistry"),
        "INSB": (
            "Institut des sciences biologiques",
            "Institute of Biological Sciences",
        ),
        "INSIS": (
            "Institut des sciences de l’ingénierie et des systèmes",
            "Institute for Engineering and Systems Sciences",
        ),
        "INSHS": (
            "Institut des sciences humaines et sociales",
            "Institute for Humanities and Social Sciences",
        ),
        "INP": ("Institut de physique", "Institute of Physics"),
        "IN2P3": (
            "Institut national de physique nucléaire et de physique des particules",
            "National Institute of Nuclear and Particle Physics",
        ),
    }
    return {
        code: InstituteFactory(code=code, name_fr=fr, name_en=en, slug=code.lower())
        for code, (fr, en) in names.items()
    }


def codes(found_ids, institutes):
    by_pk = {institute.pk: code for code, institute in institutes.items()}
    return sorted(by_pk[pk] for pk in found_ids)


@pytest.mark.parametrize(
    ("word", "named"),
    [
        ("chemistry", ["INC"]),
        ("chimie", ["INC"]),
        ("Chemistry", ["INC"]),
        ("biology", ["INSB"]),
        ("biologie", ["INSB"]),
        ("engineering", ["INSIS"]),
        ("ingénierie", ["INSIS"]),
        ("physique", ["IN2P3", "INP"]),
        ("la chimie", ["INC"]),
        ("sciences", []),
        ("institute", []),
        ("chimie organique", []),
        ("chimei", []),
    ],
)
def test_a_word_names_the_institutes_whose_names_hold_it(institutes, word, named):
    assert codes(institutes_named_by_a_word(word), institutes) == named


def test_an_institute_renamed_is_named_by_its_new_name(institutes):
    """What a word names is kept per word and names (``_institutes_named_by``):
    a name changed is another key, read once content has changed."""
    assert codes(institutes_named_by_a_word("chimie"), institutes) == ["INC"]
    inc = institutes["INC"]
    inc.name_fr, inc.name_en = "Institut de la matière", "Institute of Matter"
    inc.save()

    assert codes(institutes_named_by_a_word("chimie"), institutes) == []
    assert codes(institutes_named_by_a_word("matière"), institutes) == ["INC"]


def test_the_units_list_finds_an_institutes_units_by_a_word(client, institutes):
    led = UnitFactory(
        name_en="Soft Matter Laboratory", lead_institute=institutes["INC"]
    )
    attached = UnitFactory(
        name_en="Materials Laboratory", lead_institute=institutes["INSIS"]
    )
    attached.secondary_institutes.add(institutes["INC"])
    UnitFactory(name_en="Robotics Laboratory", lead_institute=institutes["INSIS"])
    for language, word in (("en", "chemistry"), ("fr", "chimie")):
        response = client.get(f"/{language}/units/", {"q": word})
        assert set(response.context["page_obj"].object_list) == {led, attached}, word
        assert not response.context["filter"].near_misses
    with translation.override("en"):
        units = {group.key: group for group in global_search("chemistry")}["units"]
    assert set(units.records) == {led, attached}


def test_a_word_and_a_country_find_the_institutes_units_there(institutes):
    in_japan = UnitFactory(lead_institute=institutes["INC"], country="JP")
    UnitFactory(
        lead_institute=institutes["INC"], country="BR", city_fr="Rio", city_en="Rio"
    )
    UnitFactory(lead_institute=institutes["INSIS"], country="JP")
    assert list(Unit.objects.public().found("chemistry japan")) == [in_japan]


def test_the_grants_list_finds_an_institutes_grants_by_a_word(client, institutes):
    chemistry = GrantFactory(institute=institutes["INC"], title_en="Catalysis")
    GrantFactory(institute=institutes["INSB"], title_en="Cells")
    assert list(Grant.objects.public().found("chemistry")) == [chemistry]
    response = client.get("/en/grants/", {"q": "chimie"})
    assert list(response.context["page_obj"].object_list) == [chemistry]


def test_a_word_naming_most_institutes_names_none(institutes):
    UnitFactory(lead_institute=institutes["INC"], name_en="Joint Laboratory")
    # "sciences" names three of these six: the units holding it, none here.
    assert Unit.objects.public().found("sciences") is None
    # Nor is it a kind of unit the lists would filter by.
    assert Unit.objects.public().kind_filters("chemistry", ("kind",)) is None
