"""The public page of every record that has one: published, draft, fallback, queries."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cnrs_intl.models import StaffProfile
from partners.roles import Role
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
    UnitPartnershipFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = [
    PartnerFactory,
    OfficeFactory,
    UnitFactory,
    ProgrammeFactory,
    GrantFactory,
    ProjectFactory,
]


def url_in(language, record):
    with translation.override(language):
        return record.get_absolute_url()


@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_published_record_has_a_public_page(client, factory, language):
    record = factory()
    response = client.get(url_in(language, record))
    assert response.status_code == 200
    assert "draft-banner" not in response.content.decode()


@pytest.mark.parametrize("factory", FACTORIES)
def test_draft_is_hidden_from_visitors(client, factory):
    record = factory(publication_status="draft")
    assert client.get(url_in("fr", record)).status_code == 404


@pytest.mark.parametrize("factory", FACTORIES)
def test_staff_preview_a_draft_with_a_banner(admin_client, factory):
    record = factory(publication_status="draft")
    response = admin_client.get(url_in("fr", record))
    assert response.status_code == 200
    assert "draft-banner" in response.content.decode()


@pytest.fixture
def tokyo_staff(client):
    """A member of the Tokyo office's staff (Japan and Korea), logged in."""
    user = User.objects.create_user("tokyo", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.OFFICE_STAFF.value))
    StaffProfile.objects.create(
        user=user, office=OfficeFactory(country="JP", countries=["KR"])
    )
    client.force_login(user)
    return user


def test_staff_preview_only_the_drafts_of_their_scope(client, tokyo_staff):
    mine = PartnerFactory(country="KR", publication_status="draft")
    elsewhere = PartnerFactory(country="FR", publication_status="draft")
    published_elsewhere = PartnerFactory(country="FR")

    assert client.get(url_in("fr", mine)).status_code == 200
    # As in the admin, where it is not theirs to see: the page was shown.
    assert client.get(url_in("fr", elsewhere)).status_code == 404
    assert client.get(url_in("fr", published_elsewhere)).status_code == 200


def test_staff_preview_drafts_of_every_model_they_may_view(client, tokyo_staff):
    # Office staff's scope bounds partners and agreements: other drafts show.
    unit = UnitFactory(publication_status="draft")
    assert client.get(url_in("fr", unit)).status_code == 200


def test_english_page_of_a_french_only_unit_shows_the_french_marked_as_such(client):
    unit = UnitFactory(
        name_fr="Laboratoire franco-brésilien de mathématiques",
        name_en="",
        description_fr="Systèmes dynamiques et géométrie.",
        description_en="",
    )
    html = client.get(url_in("en", unit)).content.decode()
    assert '<span class="subtitle" lang="fr">Laboratoire franco-brésilien' in html
    assert '<div class="prose" lang="fr"><p>Systèmes dynamiques et géométrie.' in html


def test_unit_page_names_its_partners_with_their_roles(client):
    partnership = UnitPartnershipFactory(
        partner=PartnerFactory(
            name_fr="Université de Tokyo", name_en="University of Tokyo"
        )
    )
    html = client.get(url_in("en", partnership.unit)).content.decode()
    assert "University of Tokyo" in html
    assert "Host institution" in html


def unit_with_relations():
    unit = UnitFactory()
    for _ in range(3):
        UnitPartnershipFactory(unit=unit)
    unit.secondary_institutes.add(InstituteFactory(), InstituteFactory())
    return unit


def project_with_participants():
    project = ProjectFactory()
    for _ in range(3):
        ProjectParticipantFactory(project=project)
    return project


@pytest.mark.parametrize("build", [unit_with_relations, project_with_participants])
def test_detail_query_count_does_not_grow_with_relations(client, build):
    small, large = build(), build()
    # Add more relations to the second record than the first.
    if hasattr(large, "partnerships"):
        for _ in range(20):
            UnitPartnershipFactory(unit=large)
    else:
        for _ in range(20):
            ProjectParticipantFactory(project=large)
    counts = []
    for record in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_in("fr", record)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
