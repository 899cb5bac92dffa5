"""A record's identifier typed whole finds it in the public searches: a
project's or grant's CORDIS id, a partner's ROR id (or its link) or PIC
(``identifier_patterns`` in partners/searchable.py), on both databases."""

import pytest
from django.db import connection

from partners.models import Partner
from programmes.models import Grant, Project
from tests.factories import GrantFactory, PartnerFactory, ProjectFactory
from tests.plans import plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def tascmar():
    ProjectFactory(acronym="Other", title_fr="", title_en="Ocean", cordis_id="101000")
    return ProjectFactory(
        acronym="Tascmar", title_fr="", title_en="Marine compounds", cordis_id="634674"
    )


@pytest.mark.parametrize(
    "text",
    [
        "634674",
        " 634674 ",
        "CORDIS 634674",
        "https://cordis.europa.eu/project/id/634674",
        "cordis.europa.eu/project/id/634674/",
    ],
)
def test_a_project_is_found_by_its_cordis_id(tascmar, text):
    assert list(Project.objects.public().search(text)) == [tascmar]


def test_a_cordis_id_is_found_on_the_list_the_global_search_and_the_api(
    client, tascmar
):
    listed = client.get("/en/projects/", {"q": "634674"})
    searched = client.get("/en/search/", {"q": "634674"})
    answered = client.get("/api/projects/", {"q": "634674"}).json()

    assert [project.pk for project in listed.context["object_list"]] == [tascmar.pk]
    assert f'href="/en/projects/{tascmar.slug}/"' in searched.text
    assert [project["acronym"] for project in answered["results"]] == ["Tascmar"]


def test_a_grant_is_found_by_its_cordis_id():
    grant = GrantFactory(acronym="Aqua", cordis_id="101039876")
    GrantFactory(acronym="Terra", cordis_id="101039877")

    assert list(Grant.objects.public().search("101039876")) == [grant]


@pytest.mark.parametrize(
    "text",
    [
        "035xkbk20",
        "035XKBK20",
        "https://ror.org/035xkbk20",
        "https://ror.org/035xkbk20/",
        "ror.org/035xkbk20",
        "ROR 035xkbk20",
        "999888777",  # its PIC
        "PIC 999888777",
    ],
)
def test_a_partner_is_found_by_its_ror_id_or_its_link_or_its_pic(text):
    amu = PartnerFactory(
        name_fr="Aix-Marseille Université", ror_id="035xkbk20", pic="999888777"
    )
    PartnerFactory(name_fr="Université de Tokyo", ror_id="057zh3y96", pic="")

    assert list(Partner.objects.public().search(text)) == [amu]


@pytest.mark.parametrize("text", ["634", "6346740000", "ror 035xkbk20x", "tascmar"])
def test_what_is_no_identifier_is_searched_as_words(text):
    assert Project.objects.none().identifier_condition(text) is None
    assert Partner.objects.none().identifier_condition(text) is None


@pytest.mark.postgresql
def test_an_identifier_is_read_from_its_unique_index():
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    condition = Project.objects.none().identifier_condition("634674")
    result = plan(Project.objects.filter(condition).order_by())
    assert "project_unique_cordis_id" in result, result
