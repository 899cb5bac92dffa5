"""Words naming a kind of record and nothing else ("projects", "units",
"laboratoires") in the global search: that kind's records lead, and of the other
kinds only the records whose own names hold the words, not those whose long texts
do (``kinds_naming`` and ``global_search`` in cnrs_intl/search.py,
``found_by_names`` in partners/searchable.py). On both databases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cnrs_intl.search import global_search, kinds_naming
from programmes.models import Grant
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    UnitFactory,
)
from tests.search_groups import by_key

pytestmark = pytest.mark.django_db


def shown(groups):
    return [group.key for group in groups if group.records]


@pytest.fixture
def records():
    return {
        "project": ProjectFactory(acronym="TASCMAR", title_en="Marine invertebrates"),
        # Every grant's summary says "project": found by it, they were listed
        # first, before the projects.
        "summary": GrantFactory(
            acronym="ALPHA",
            title_en="Entangled light",
            summary_en="This project maps entangled light.",
        ),
        "title": GrantFactory(
            acronym="OMEGA",
            title_en="Research projects in the Arctic",
            summary_en="Ice.",
        ),
        "unit": UnitFactory(acronym="JRL", name_en="Joint Robotics Laboratory"),
        # "units": "United States" has the stem of "units".
        "office": OfficeFactory(
            name_en="CNRS Washington Office",
            role_en="Follows the partnerships in the United States.",
        ),
        "laboratory": PartnerFactory(
            name_en="National Laboratory for Optics", name_fr="", acronym="NLO"
        ),
    }


def test_the_words_naming_a_kind_alone():
    assert kinds_naming("projects") == {"projects"}
    assert kinds_naming("unités") == {"units"}
    assert kinds_naming("laboratoires") >= {"units"}
    # Other words beside the kind: no kind named alone.
    assert kinds_naming("projects arctic") == set()
    assert kinds_naming("arctic") == set()


def test_the_kind_named_leads_and_other_kinds_are_found_by_their_names(records):
    groups = by_key(global_search("projects"))
    assert shown(groups.values())[-2:] == ["projects", "grants"]
    assert groups["projects"].records == [records["project"]]
    # The grant titled so, not the one whose summary says "project".
    assert groups["grants"].records == [records["title"]]
    assert groups["grants"].total == 1 and groups["grants"].names_only
    assert not groups["projects"].names_only
    # The grants list searches every text, as before.
    assert set(Grant.objects.public().found("projects")) == {
        records["summary"],
        records["title"],
    }


def test_units_named_leave_out_the_office_in_the_united_states(records):
    groups = by_key(global_search("units"))
    assert groups["units"].records == [records["unit"]]
    assert groups["offices"].total == 0
    # Another word beside it: the office's role is searched as before.
    assert by_key(global_search("united states"))["offices"].records == [
        records["office"]
    ]


def test_a_plural_kind_finds_the_names_in_the_singular(records):
    groups = global_search("laboratories")
    assert shown(groups) == ["units", "partners"]
    assert by_key(groups)["partners"].records == [records["laboratory"]]


def test_other_words_still_find_the_long_texts(records):
    # Not a kind named alone: the summary holding the words is found.
    groups = by_key(global_search("entangled project"))
    assert groups["grants"].records == [records["summary"]]
    assert not groups["grants"].names_only


@pytest.mark.parametrize(
    ("language", "link"),
    [
        (
            "en",
            '<a href="/en/grants/?q=projects">'
            "Search the ERC and MSCA grants for “projects”</a>",
        ),
        (
            "fr",
            '<a href="/fr/grants/?q=projets">'
            "Rechercher «\u00a0projets\u00a0» dans les financements ERC et MSCA</a>",
        ),
    ],
)
def test_the_page_offers_to_search_every_text_of_the_kinds_found_by_name(
    client, language, link
):
    GrantFactory(title_fr="Projets arctiques", title_en="Arctic projects")
    ProjectFactory()
    text = "projects" if language == "en" else "projets"
    response = client.get(f"/{language}/search/", {"q": text})
    assert response.status_code == 200
    assert link in response.text
    html = response.text
    assert html.index('id="search-projects"') < html.index('id="search-grants"')


def test_the_queries_do_not_grow_with_the_records(records, uncached):
    def queries(text):
        global_search(text)  # the counts, cached per content version
        with CaptureQueriesContext(connection) as captured:
            global_search(text)
        return len(captured)

    few = queries("projects")
    for index in range(5):
        GrantFactory(summary_en=f"This project {index}.")
        GrantFactory(title_en=f"Projects {index}")
        ProjectFactory()
    assert queries("projects") == few
