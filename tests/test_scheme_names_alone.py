"""Every ERC and MSCA scheme found by its full name, its short name and its former
name, in French and English, named alone or with other words ("Synergy", "Proof
of Concept", "MSCA RISE", "Individual Fellowships", "Marie Curie", "bourse de
démarrage": ``GrantQuerySet.kind_words`` in programmes/models.py), and a scheme's
word named alone in the global search treated as a kind named alone
(``kinds_naming`` in cnrs_intl/search.py). On both databases."""

import pytest

from cnrs_intl.search import global_search, kinds_naming
from programmes.models import Grant, GrantScheme
from tests.factories import GrantFactory, PartnerFactory, PersonFactory, UnitFactory
from tests.search_groups import by_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants():
    """One grant of each scheme, its titles holding none of the schemes' words."""
    titles = {
        GrantScheme.ERC_STG: "Glaciers alpins",
        GrantScheme.ERC_COG: "Matériaux quantiques",
        GrantScheme.ERC_ADG: "Océans profonds",
        GrantScheme.ERC_SYG: "Cerveau et langage",
        GrantScheme.ERC_POC: "Capteurs de gaz",
        GrantScheme.MSCA_PF: "Chimie verte",
        GrantScheme.MSCA_IF: "Chimie douce",
        GrantScheme.MSCA_DN: "Réseau de physique",
        GrantScheme.MSCA_ITN: "Réseau de chimie",
        GrantScheme.MSCA_SE: "Volcans actifs",
        GrantScheme.MSCA_RISE: "Volcans éteints",
        GrantScheme.MSCA_COFUND: "Écoles doctorales",
    }
    return {
        scheme: GrantFactory(
            scheme=scheme,
            title_fr=title,
            title_en="",
            acronym="",
            panel="PE1" if scheme.startswith("erc_") else "",
            # Not the factory's "Marie0 Curie0", whom "Marie Curie" finds.
            laureate=PersonFactory(first_name="Ada", last_name="Lovelace"),
        )
        for scheme, title in titles.items()
    }


ERC_SYG = {GrantScheme.ERC_SYG}
ERC_POC = {GrantScheme.ERC_POC}
PF = {GrantScheme.MSCA_PF, GrantScheme.MSCA_IF}
DN = {GrantScheme.MSCA_DN, GrantScheme.MSCA_ITN}
SE = {GrantScheme.MSCA_SE, GrantScheme.MSCA_RISE}
MSCA = set(GrantScheme.msca())


@pytest.mark.parametrize(
    "text, schemes",
    [
        # The ERC's schemes by their names, short names, in both languages.
        ("Synergy", ERC_SYG),
        ("synergie", ERC_SYG),
        ("Synergy Grant", ERC_SYG),
        ("SyG", ERC_SYG),
        ("bourse de synergie", ERC_SYG),
        ("subventions de synergie", ERC_SYG),
        ("Proof of Concept", ERC_POC),
        ("preuve de concept", ERC_POC),
        ("ERC proof of concept", ERC_POC),
        ("PoC", ERC_POC),
        ("Consolidator", {GrantScheme.ERC_COG}),
        ("bourse de consolidation", {GrantScheme.ERC_COG}),
        ("bourses de démarrage", {GrantScheme.ERC_STG}),
        ("subvention de démarrage", {GrantScheme.ERC_STG}),
        ("bourses avancées", {GrantScheme.ERC_ADG}),
        # The MSCA's, their former names finding their successors' too.
        ("MSCA RISE", SE),
        ("Staff Exchanges", SE),
        ("échanges de personnel", SE),
        ("Individual Fellowships", PF),
        ("individual fellowship", PF),
        ("bourses individuelles", PF),
        ("Postdoctoral Fellowships", PF),
        ("bourse postdoctorale", PF),
        ("ITN", DN),
        ("Innovative Training Networks", DN),
        ("Doctoral Networks", DN),
        ("réseaux doctoraux", DN),
        ("réseau de formation innovant", DN),
        # "Marie Curie" names the family, as "MSCA" does.
        ("Marie Curie", MSCA),
        ("Marie-Curie", MSCA),
        ("Marie Skłodowska-Curie", MSCA),
        ("actions Marie Curie", MSCA),
        ("Marie Curie fellowship", PF),
        ("bourses Marie Curie", MSCA),
        ("Marie Curie chimie", PF | {GrantScheme.MSCA_ITN}),
    ],
)
def test_a_scheme_named_finds_its_grants(grants, text, schemes):
    found = Grant.objects.public().search(text)
    assert found is not None, text
    assert {grant.scheme for grant in found} == schemes, text


def test_the_grants_list_finds_a_scheme_named_alone(client, grants):
    for text in ("Synergy", "Proof of Concept", "MSCA RISE", "Marie Curie"):
        response = client.get("/fr/grants/", {"q": text})
        assert response.status_code == 200
        assert "Cerveau et langage" in response.text or text != "Synergy"
        assert "Capteurs de gaz" in response.text or text != "Proof of Concept"
        assert "Volcans éteints" in response.text or text != "MSCA RISE"
        assert "Écoles doctorales" in response.text or text != "Marie Curie"


def test_common_words_of_schemes_alone_still_name_none(grants):
    held = GrantFactory(
        scheme=GrantScheme.ERC_STG, title_fr="", title_en="Advanced optics"
    )
    # "advanced", "starting": words of most titles, a scheme with "grant" only.
    assert list(Grant.objects.public().search("advanced")) == [held]
    # "rise" too ("sea level rise"), which names the RISE with "MSCA" only.
    risen = GrantFactory(scheme=GrantScheme.ERC_STG, title_en="Sea level rise")
    assert list(Grant.objects.public().search("sea level rise")) == [risen]


@pytest.mark.parametrize(
    "text", ["synergy", "proof of concept", "marie curie", "preuve de concept"]
)
def test_a_scheme_named_alone_is_a_kind_named_alone(text):
    assert kinds_naming(text) == {"grants"}


def test_a_scheme_named_alone_does_not_swamp_the_other_kinds(grants):
    named = PartnerFactory(name_en="Synergy Materials", name_fr="", acronym="")
    # A unit whose description only says the word: not shown beside the grants.
    UnitFactory(description_en="Synergy between light and matter.")
    for text in ("Synergy", "synergy"):
        groups = by_key(global_search(text))
        assert groups["grants"].records == [grants[GrantScheme.ERC_SYG]]
        assert groups["partners"].records == [named]
        assert groups["partners"].names_only
        assert groups["units"].total == 0
