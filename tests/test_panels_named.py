"""An ERC panel named in a search finds its grants, whatever their titles say, as
a kind named does: "Who are the ERC laureates in mathematics?" ("mathematics",
"mathématiques", "PE1", "condensed matter physics": ``panel_phrases`` in
programmes/models.py). On both databases."""

import pytest

from cnrs_intl.search import global_search
from programmes.models import ErcPanel, Grant, GrantScheme, panel_phrases
from tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants():
    mathematics = GrantFactory(
        panel="PE1", title_fr="Systèmes dynamiques", title_en="Dynamical systems"
    )
    condensed = GrantFactory(
        panel="PE3", title_fr="Supraconducteurs", title_en="Superconductors"
    )
    # Its title says "mathematics", its panel is the life sciences'.
    saying_it = GrantFactory(
        panel="LS2",
        title_fr="Biologie et mathématiques",
        title_en="Biology and mathematics",
    )
    GrantFactory(panel="SH6", title_fr="Archéologie", title_en="Archaeology")
    return mathematics, condensed, saying_it


@pytest.mark.parametrize("text", ["mathematics", "Mathématiques"])
def test_the_mathematics_panel_named_finds_its_grants_and_those_saying_it(grants, text):
    mathematics, _condensed, saying_it = grants

    assert set(Grant.objects.public().search(text)) == {mathematics, saying_it}


@pytest.mark.parametrize("text", ["maths", "PE1", "pe 1", "ERC mathematics"])
def test_the_mathematics_panel_named_otherwise_finds_its_grants(grants, text):
    mathematics, _condensed, _saying_it = grants

    assert list(Grant.objects.public().search(text)) == [mathematics]


@pytest.mark.parametrize(
    "text",
    [
        "condensed matter physics",
        "physique de la matière condensée",
        "PE3",
        "lauréats PE3",
    ],
)
def test_a_panel_named_in_several_words_finds_its_grants(grants, text):
    _mathematics, condensed, _saying_it = grants

    assert list(Grant.objects.public().search(text)) == [condensed]


def test_a_panel_named_with_other_words_finds_its_grants_holding_them(grants):
    mathematics, _condensed, _saying_it = grants
    GrantFactory(panel="PE3", title_fr="Systèmes", title_en="Dynamical systems")

    assert list(Grant.objects.public().search("dynamical mathematics")) == [mathematics]


def test_a_panel_and_a_scheme_named_are_both_required(grants):
    mathematics, _condensed, _saying_it = grants
    advanced = GrantFactory(
        panel="PE1", scheme=GrantScheme.ERC_ADG, title_en="Number theory"
    )

    assert list(Grant.objects.public().search("advanced grants PE1")) == [advanced]
    assert mathematics not in Grant.objects.public().search("ERC advanced maths")


def test_every_panel_is_named_by_its_code_and_both_its_names():
    phrases = panel_phrases()
    for panel in ErcPanel:
        assert phrases[(panel.value.lower(),)] == {"panel": panel.value}
    assert phrases[("molecules", "life")] == {"panel": "LS1"}
    assert phrases[("molecules", "vivant")] == {"panel": "LS1"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_grants_list_and_the_global_search_list_the_panels_grants(
    client, grants, language
):
    mathematics, _condensed, saying_it = grants

    response = client.get(f"/{language}/grants/", {"q": "mathematics"})
    assert set(response.context["object_list"]) == {mathematics, saying_it}

    groups = {group.key: group for group in global_search("mathematics")}
    assert set(groups["grants"].records) == {mathematics, saying_it}
    assert not groups["grants"].near_misses
