"""A kind named alone on the grants or the projects ("MSCA", "ERC 2015",
"projets") lists its matches as the list lists them, the latest calls first,
read from the list's order index, unless a match's code is the words or its
title starts with them (``listed_as_kind_named``, partners/searchable.py); the
global search still ranks its group by its best match (``SearchGroup.leader``).
The same records are found as when they were ranked. On both databases."""

import pytest

from cnrs_intl.search import global_search
from partners.searchable import BEST_MATCH_ORDER
from programmes.models import Grant, GrantScheme, Project
from tests.factories import GrantFactory, ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def msca_grant(**fields):
    return GrantFactory(panel="", **fields)  # only ERC grants have a panel


@pytest.fixture
def grants():
    return {
        "old": msca_grant(scheme=GrantScheme.MSCA_PF, call_year=2015, acronym="ALPHA"),
        "new": msca_grant(scheme=GrantScheme.MSCA_DN, call_year=2022, acronym="ZETA"),
        "same year": msca_grant(
            scheme=GrantScheme.MSCA_SE, call_year=2022, acronym="BETA"
        ),
        # An ERC grant found by its acronym, which holds "msca": ranked, it came
        # first of all, before the MSCA grants.
        "holding": GrantFactory(
            scheme=GrantScheme.ERC_STG, call_year=2019, acronym="ATOMSCAPE"
        ),
        "other": GrantFactory(scheme=GrantScheme.ERC_ADG, call_year=2020),
    }


def listed(client, path, text):
    response = client.get(path, {"q": text})
    assert response.status_code == 200
    return [record.acronym for record in response.context["page_obj"].object_list]


def test_a_kind_named_alone_lists_its_grants_latest_calls_first(client, grants):
    assert listed(client, "/en/grants/", "MSCA") == [
        "BETA",
        "ZETA",
        "ATOMSCAPE",
        "ALPHA",
    ]
    # The records found are those found when they were ranked.
    found = Grant.objects.public().found("MSCA")
    assert set(found) == {grants[key] for key in ("old", "new", "same year", "holding")}
    assert list(found.best_matches_first("MSCA")) == sorted(
        found, key=lambda grant: (-grant.call_year, grant.acronym, grant.pk)
    )


def test_kinds_named_by_several_words_are_listed_so_too(client, grants):
    msca_grant(scheme=GrantScheme.MSCA_PF, call_year=2015, acronym="AAA")
    # "ERC" and a call year; the postdoctoral fellowships.
    assert listed(client, "/en/grants/", "ERC 2019") == ["ATOMSCAPE"]
    assert listed(client, "/en/grants/", "postdoctoral fellowships") == [
        "AAA",
        "ALPHA",
    ]


def test_a_title_starting_with_the_kind_keeps_the_best_matches_first(client, grants):
    GrantFactory(
        scheme=GrantScheme.ERC_COG,
        call_year=2010,
        acronym="FELLOWS",
        title_en="MSCA fellows in the Arctic",
    )
    records = Grant.objects.public().found("MSCA").best_matches_first("MSCA")
    assert tuple(records.query.order_by) == BEST_MATCH_ORDER
    assert listed(client, "/en/grants/", "MSCA")[:2] == ["FELLOWS", "ATOMSCAPE"]


def test_an_acronym_typed_whole_keeps_the_best_matches_first(client, grants):
    GrantFactory(scheme=GrantScheme.ERC_COG, call_year=2010, acronym="MSCA")
    assert listed(client, "/en/grants/", "msca")[0] == "MSCA"


def test_a_chosen_order_still_wins(client, grants):
    response = client.get("/en/grants/", {"q": "MSCA", "ordering": "acronym"})
    acronyms = [grant.acronym for grant in response.context["page_obj"].object_list]
    assert acronyms == ["ALPHA", "ATOMSCAPE", "BETA", "ZETA"]


def test_every_project_named_is_every_project_listed_by_acronym(client):
    ProjectFactory(acronym="GAMMA", title_en="A project on glaciers")
    ProjectFactory(acronym="ALPHA")
    ProjectFactory(acronym="BETA", publication_status="draft")
    assert listed(client, "/fr/projects/", "projets") == ["ALPHA", "GAMMA"]
    # Every record: no text searched, those holding the word are among them.
    found = Project.objects.public().found("projets")
    assert str(found.query) == str(Project.objects.public().query)
    assert listed(client, "/en/projects/", "the projects") == ["ALPHA", "GAMMA"]


def test_a_programme_named_alone_lists_its_projects_by_acronym(client):
    horizon = ProgrammeFactory(acronym="H2020", name_en="Horizon 2020")
    ProjectFactory(programme=horizon, acronym="ZULU")
    ProjectFactory(programme=horizon, acronym="ECHO")
    ProjectFactory(acronym="ALPHA")
    assert listed(client, "/en/projects/", "H2020") == ["ECHO", "ZULU"]


def test_the_global_search_ranks_a_kinds_group_by_its_best_match(grants):
    msca = ProgrammeFactory(acronym="MSCA", name_en="Marie Skłodowska-Curie Actions")
    ProjectFactory(programme=msca, acronym="ZULU")
    ProjectFactory(acronym="ATOMSCAPE2")
    groups = {group.key: group for group in global_search("MSCA")}
    kinds = [key for key in groups if groups[key].records]
    # Both groups' best matches hold "msca" in their acronyms: the grants, first
    # of the kinds, lead, as when their ten were ranked, though the grant shown
    # first (the latest call) holds no "msca", and the project shown first does.
    assert kinds.index("grants") < kinds.index("projects"), kinds
    assert groups["grants"].records[0] == grants["same year"]
    assert groups["grants"].leader == grants["holding"]
    assert groups["grants"].total == 4
    assert [project.acronym for project in groups["projects"].records] == [
        "ATOMSCAPE2",
        "ZULU",
    ]
