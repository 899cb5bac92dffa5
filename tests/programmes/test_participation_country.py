"""A participation keeps its institution's country, kept in step by the database.

On both databases: the triggers of migration programmes 0012 write it, whatever
writes the participation or the partner (the ORM, a bulk write, a raw update).
"""

import pytest
from django.db import connection

from cnrs_intl.countries import country_activity
from partners.models import Partner
from programmes.models import (
    Project,
    ProjectParticipant,
    participating_projects,
)
from tests.factories import PartnerFactory, ProjectFactory, ProjectParticipantFactory

pytestmark = pytest.mark.django_db


def partner_countries() -> dict[int, str]:
    return dict(ProjectParticipant.objects.values_list("pk", "partner_country"))


def test_a_participation_takes_its_institutions_country():
    participation = ProjectParticipantFactory(partner=PartnerFactory(country="BR"))
    # Django wrote its own value (blank); the database's wins.
    assert partner_countries() == {participation.pk: "BR"}

    participation.country = "AR"  # its own country, recorded beside
    participation.save()
    assert partner_countries() == {participation.pk: "BR"}


def test_a_participation_moved_to_another_institution_takes_its_country():
    participation = ProjectParticipantFactory(partner=PartnerFactory(country="BR"))
    participation.partner = PartnerFactory(country="JP")
    participation.save()
    assert partner_countries() == {participation.pk: "JP"}

    # As a merge moves them: an update of the column alone.
    other = PartnerFactory(country="KR")
    ProjectParticipant.objects.filter(pk=participation.pk).update(partner=other)
    assert partner_countries() == {participation.pk: "KR"}


def test_written_in_bulk_a_participation_takes_its_institutions_country():
    project = ProjectFactory()
    rows = ProjectParticipant.objects.bulk_create(
        [
            ProjectParticipant(project=project, partner=PartnerFactory(country=code))
            for code in ("BR", "JP")
        ]
    )
    assert sorted(partner_countries().values()) == ["BR", "JP"]
    assert len(rows) == 2


def test_an_institution_given_another_country_gives_it_to_its_participations():
    partner = PartnerFactory(country="BR")
    first, second = ProjectParticipantFactory.create_batch(2, partner=partner)
    untouched = ProjectParticipantFactory(partner=PartnerFactory(country="BR"))

    partner.country = "PT"
    partner.save()
    assert partner_countries() == {first.pk: "PT", second.pk: "PT", untouched.pk: "BR"}

    # As the ROR import writes partners: in bulk, or by an update of the column.
    Partner.objects.filter(pk=partner.pk).update(country="ES")
    assert partner_countries()[first.pk] == "ES"
    partner.country = "IT"
    Partner.objects.bulk_update([partner], ["country"])
    assert partner_countries()[second.pk] == "IT"
    assert partner_countries()[untouched.pk] == "BR"


def test_an_institutions_other_changes_leave_its_participations_alone():
    partner = PartnerFactory(country="BR")
    participation = ProjectParticipantFactory(partner=partner)
    partner.name_fr = "Universidade Federal"
    partner.save()
    assert partner_countries() == {participation.pk: "BR"}


def test_a_countrys_projects_and_counts_follow_an_institution_that_moves():
    brazilian = PartnerFactory(country="BR")
    project = ProjectFactory()
    ProjectParticipantFactory(project=project, partner=brazilian)
    # Its own country, when recorded, wins over its institution's.
    ProjectParticipantFactory(
        project=ProjectFactory(), partner=PartnerFactory(country="BR"), country="AR"
    )
    assert list(participating_projects("BR")) == [project.pk]
    assert list(Project.objects.with_participant_in("BR")) == [project]
    assert Project.objects.with_participant_in("AR").count() == 1

    brazilian.country = "PT"
    brazilian.save()
    assert list(participating_projects("BR")) == []
    assert list(Project.objects.with_participant_in("PT")) == [project]
    projects = {row.code: row.projects for row in country_activity()}
    assert projects.get("PT") == 1 and projects.get("AR") == 1
    assert "BR" not in projects or projects["BR"] == 0


def test_the_triggers_survive_every_migration():
    # SQLite drops a table's triggers when a migration rebuilds the table (most
    # changes of a column): a later migration of participants or partners must
    # create them again. This test database is built by every migration.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname IN "
                "('participant_partner_country', 'partner_country_to_participants')"
            )
            expected = {
                "participant_partner_country",
                "partner_country_to_participants",
            }
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = {
                "participant_partner_country_insert",
                "participant_partner_country_update",
                "partner_country_to_participants",
            }
        found = {name for (name,) in cursor.fetchall()}
    assert expected <= found


def test_a_countrys_projects_are_found_by_a_subquery_not_a_list_of_ids():
    # With a list of 2,200 ids, PostgreSQL walked them computing each project's
    # text vector for a search, instead of reading the text index (0.6 s).
    query = str(Project.objects.public().with_participant_in("BR").query)
    assert "IN (SELECT" in query
