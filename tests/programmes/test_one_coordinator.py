"""A project has one coordinator: a participant's row, or the CNRS (its CNRS role).

A rule of the database (migration programmes 0019): a partial unique index on the
coordinating rows, and triggers between the CNRS role and the rows. The admin
still lets staff hand the role over in one save, in any order of the rows; the
spreadsheet and CORDIS imports refuse a second coordinator, writing nothing.
On SQLite and PostgreSQL alike.
"""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from programmes.cordis import CordisImportError
from programmes.models import ParticipantRole, Project, ProjectParticipant
from programmes.services import import_cordis
from tests.admin_forms import admin_url, form_data
from tests.factories import PartnerFactory, ProjectFactory, ProjectParticipantFactory
from tests.programmes.test_cordis_import import (
    CNRS,
    ORGANIZATIONS,
    PROJECTS,
    participants,
    row_counts,
)
from tests.programmes.test_project_consistency import post_change, row_errors
from tests.test_plausibility import errors_of
from tests.test_spreadsheets import csv_rows, export, preview, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


COORDINATOR = ParticipantRole.COORDINATOR
PARTICIPANT = ParticipantRole.PARTICIPANT
MIGRATION = importlib.import_module(
    "programmes.migrations.0019_project_one_coordinator"
)


def project_with(cnrs_role: str, *roles: str) -> Project:
    project = ProjectFactory(cnrs_role=cnrs_role)
    for role in roles:
        ProjectParticipantFactory(
            project=project, role=role, partner=PartnerFactory(acronym="")
        )
    return project


def roles(project) -> list[str]:
    return list(project.participations.order_by("pk").values_list("role", flat=True))


# The database


def test_the_database_refuses_a_second_coordinating_participant():
    project = project_with("participant", COORDINATOR)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectParticipantFactory(project=project, role=COORDINATOR)

    other = ProjectParticipantFactory(project=project, role=PARTICIPANT)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectParticipant.objects.filter(pk=other.pk).update(role=COORDINATOR)
    assert roles(project) == [COORDINATOR, PARTICIPANT]


def test_other_projects_and_other_roles_are_free():
    project_with("participant", COORDINATOR, PARTICIPANT, PARTICIPANT)
    project_with("coordinator", PARTICIPANT, "associated_partner")
    project_with("participant", COORDINATOR)

    assert ProjectParticipant.objects.filter(role=COORDINATOR).count() == 2


def test_the_database_refuses_a_coordinating_participant_beside_the_cnrs():
    project = project_with("coordinator", PARTICIPANT)

    with pytest.raises(IntegrityError, match="project_one_coordinator"):
        with transaction.atomic():
            ProjectParticipantFactory(project=project, role=COORDINATOR)
    with pytest.raises(IntegrityError, match="project_one_coordinator"):
        with transaction.atomic():
            project.participations.update(role=COORDINATOR)
    assert roles(project) == [PARTICIPANT]


def test_the_database_refuses_the_cnrs_coordinating_beside_a_participant():
    project = project_with("participant", COORDINATOR)

    with pytest.raises(IntegrityError, match="project_one_coordinator"):
        with transaction.atomic():
            Project.objects.filter(pk=project.pk).update(cnrs_role="coordinator")
    project.refresh_from_db()
    assert project.cnrs_role == "participant"


def test_the_coordinator_triggers_survive_every_migration():
    # SQLite drops a table's triggers when a migration rebuilds it: a later
    # migration of projects or participants must create them again.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger")
            expected = {"participant_coordinates_alone", "cnrs_coordinates_alone"}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = {
                "participant_coordinates_alone_insert",
                "participant_coordinates_alone_update",
                "cnrs_coordinates_alone_insert",
                "cnrs_coordinates_alone_update",
            }
        found = {name for (name,) in cursor.fetchall()}
    assert expected <= found


def test_the_model_reports_a_second_coordinator_on_the_role():
    project = project_with("participant", COORDINATOR)
    second = ProjectParticipantFactory.build(
        project=project, role=COORDINATOR, partner=PartnerFactory()
    )

    assert errors_of(second) == {
        "role": [
            "Another institution coordinates this project already: a project has "
            "one coordinator."
        ]
    }


def test_the_model_reports_a_coordinator_beside_the_cnrs_on_the_role():
    project = project_with("coordinator")
    row = ProjectParticipantFactory.build(
        project=project, role=COORDINATOR, partner=PartnerFactory()
    )

    assert errors_of(row) == {
        "role": [
            "The CNRS coordinates this project (its CNRS role): another "
            "institution cannot coordinate it too."
        ]
    }


def break_the_rule():
    """Take the rule away inside the test's transaction, as before 0019."""
    statements = ["DROP INDEX project_one_coordinating_participant"]
    if connection.vendor == "postgresql":
        statements += [
            "DROP TRIGGER participant_coordinates_alone "
            "ON programmes_projectparticipant",
            "DROP TRIGGER cnrs_coordinates_alone ON programmes_project",
        ]
    else:
        statements += [
            f"DROP TRIGGER {name}"
            for name in (
                "participant_coordinates_alone_insert",
                "participant_coordinates_alone_update",
                "cnrs_coordinates_alone_insert",
                "cnrs_coordinates_alone_update",
            )
        ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def test_the_migration_stops_naming_the_projects_with_two_coordinators():
    break_the_rule()
    fine = project_with("participant", COORDINATOR, PARTICIPANT)
    two = ProjectFactory(acronym="TWOCOORD", cnrs_role="participant")
    for name in ("Alpha Institute", "Beta University"):
        ProjectParticipantFactory(
            project=two, role=COORDINATOR, partner=PartnerFactory(name_en=name)
        )
    cnrs = project_with("coordinator", COORDINATOR)
    cnrs.acronym = "CNRSCOORD"
    cnrs.save()

    with pytest.raises(CommandError) as stopped:
        MIGRATION.check_one_coordinator(apps, None)

    message = str(stopped.value)
    assert "“a project has one coordinator, the CNRS or one participant”" in message
    assert "2 existing record(s)" in message and "nothing was changed" in message
    assert f"TWOCOORD (id {two.pk}): Alpha Institute, Beta University" in message
    assert f"CNRSCOORD (id {cnrs.pk}): the CNRS (CNRS role), " in message
    assert f"(id {fine.pk})" not in message


def test_the_migration_goes_on_when_each_project_has_one_coordinator():
    project_with("participant", COORDINATOR, PARTICIPANT)
    project_with("coordinator", PARTICIPANT)

    MIGRATION.check_one_coordinator(apps, None)  # raises nothing


# The admin: the role handed over in one save, whatever the rows' order


def test_the_coordinator_may_change_hands_to_an_earlier_row(admin_client):
    # Row 0 takes the role from row 1: saved in the rows' order, row 0 took it
    # while row 1 still held it.
    project = project_with("participant", PARTICIPANT, COORDINATOR)

    response = post_change(
        admin_client,
        project,
        {"participations-0-role": COORDINATOR, "participations-1-role": PARTICIPANT},
    )

    assert response.status_code == 302
    assert roles(project) == [COORDINATOR, PARTICIPANT]


def test_the_coordinator_may_be_removed_as_another_takes_the_role(admin_client):
    project = project_with("participant", PARTICIPANT, COORDINATOR)
    leaving = project.participations.order_by("pk").last()

    response = post_change(
        admin_client,
        project,
        {"participations-0-role": COORDINATOR, "participations-1-DELETE": "on"},
    )

    assert response.status_code == 302
    assert roles(project) == [COORDINATOR]
    assert not ProjectParticipant.objects.filter(pk=leaving.pk).exists()


def test_a_participant_may_take_over_from_the_cnrs(admin_client):
    project = project_with("coordinator", PARTICIPANT)

    response = post_change(
        admin_client,
        project,
        {"cnrs_role": "participant", "participations-0-role": COORDINATOR},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.cnrs_role, roles(project)) == ("participant", [COORDINATOR])


def test_the_cnrs_may_take_over_from_a_coordinator_it_removes(admin_client):
    project = project_with("participant", COORDINATOR, PARTICIPANT)

    response = post_change(
        admin_client,
        project,
        {"cnrs_role": "coordinator", "participations-0-DELETE": "on"},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.cnrs_role, roles(project)) == ("coordinator", [PARTICIPANT])


def test_a_coordinator_added_since_the_page_opened_is_named(admin_client):
    project = project_with("participant", PARTICIPANT)

    url = admin_url(Project, "change", project.pk)
    data = {**form_data(admin_client.get(url)), "cnrs_role": "coordinator"}
    late = ProjectParticipantFactory(
        project=project, role=COORDINATOR, partner=PartnerFactory(name_en="Late")
    )

    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        f"{late.partner} coordinates this project, on a row this page does not "
        "show, added since it was opened: reload the page."
    ]
    project.refresh_from_db()
    assert project.cnrs_role == "participant"


def test_a_second_coordinator_is_still_refused_on_its_row(admin_client):
    project = project_with("participant", COORDINATOR, PARTICIPANT)

    response = post_change(
        admin_client, project, {"participations-1-role": "coordinator"}
    )

    assert response.status_code == 200
    assert row_errors(response)[1]["role"]
    assert roles(project) == [COORDINATOR, PARTICIPANT]


# The spreadsheet import


def test_the_spreadsheet_import_refuses_the_cnrs_beside_a_coordinator(admin_client):
    project = project_with("participant", COORDINATOR)
    coordinator = project.participations.get().partner
    [row] = csv_rows(export(admin_client, Project))
    row["cnrs_role"] = "coordinator"

    response = preview(admin_client, Project, to_csv([row]), "projects.csv")

    [invalid] = response.context["result"].invalid_rows
    assert invalid.field_specific_errors["cnrs_role"] == [
        f"{coordinator} coordinates this project (its participants): the CNRS "
        "cannot coordinate it too. Change that participant’s role on the "
        "project’s page first."
    ]
    project.refresh_from_db()
    assert project.cnrs_role == "participant"


def test_the_spreadsheet_import_lets_the_cnrs_coordinate_alone(admin_client):
    project_with("participant", PARTICIPANT)
    [row] = csv_rows(export(admin_client, Project))
    row["cnrs_role"] = "coordinator"

    response = preview(admin_client, Project, to_csv([row]), "projects.csv")

    assert not response.context["result"].invalid_rows
    assert not response.context["result"].has_errors()


# The CORDIS import

MATCHMAKER = "101091687;MatCHMaker;"


def organizations(change) -> io.StringIO:
    """organization.csv with ``change(line)`` applied to each line."""
    lines = ORGANIZATIONS.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    return io.StringIO("".join(change(line) for line in lines))


def with_role(line: str, role: str) -> str:
    """Give an organization.csv line another role (its 20th column)."""
    columns = line.split(";")
    columns[19] = role
    return ";".join(columns)


def coordinating(*pics: str):
    """Make ``pics`` MatCHMaker's coordinators, the CNRS a participant."""

    def change(line):
        if line.startswith(tuple(f"{MATCHMAKER}{pic};" for pic in pics)):
            return with_role(line, "coordinator")
        if line.startswith(f"{MATCHMAKER}{CNRS};"):
            return with_role(line, "participant")
        return line

    return change


def test_the_cordis_import_refuses_the_cnrs_beside_another_coordinator():
    def change(line):
        if line.startswith(f"{MATCHMAKER}900000003;"):
            return with_role(line, "coordinator")
        return line

    with pytest.raises(CordisImportError) as refused:
        import_cordis(PROJECTS, organizations(change))

    error = refused.value
    assert (error.file, error.line, error.field) == ("organization.csv", 9, "role")
    assert error.problem == (
        "project 101091687 has two coordinators, CENTRE NATIONAL DE LA "
        "RECHERCHE SCIENTIFIQUE CNRS (line 8) and UNIVERSIDAD DE EJEMPLO: a "
        "project has one coordinator."
    )
    assert not any(row_counts().values())  # all or nothing


def test_the_cordis_import_refuses_two_other_coordinators():
    with pytest.raises(CordisImportError, match="has two coordinators") as refused:
        import_cordis(PROJECTS, organizations(coordinating("900000003", "900000006")))

    assert refused.value.line == 11
    assert not any(row_counts().values())


def test_the_cordis_import_hands_the_coordination_over_in_any_order():
    import_cordis(PROJECTS, organizations(coordinating("900000006")))
    assert participants("101091687")["900000006"][0] == COORDINATOR

    # 900000003 comes before 900000006 in the file: it takes the role from it.
    import_cordis(PROJECTS, organizations(coordinating("900000003")))

    found = participants("101091687")
    assert (found["900000003"][0], found["900000006"][0]) == (
        COORDINATOR,
        ParticipantRole.THIRD_PARTY,
    )

    # And the CNRS takes it back from a participant.
    import_cordis(PROJECTS, ORGANIZATIONS)
    assert Project.objects.get(cordis_id="101091687").cnrs_role == "coordinator"
    assert COORDINATOR not in {role for role, _ in participants("101091687").values()}


def test_the_cordis_import_leaves_a_coordinator_staff_added_to_them():
    import_cordis(PROJECTS, ORGANIZATIONS)
    project = Project.objects.get(cordis_id="101091687")
    project.cnrs_role = "participant"
    project.save()
    by_hand = ProjectParticipantFactory(
        project=project, role=COORDINATOR, partner=PartnerFactory(name_en="By Hand")
    )
    before = row_counts()

    with pytest.raises(CordisImportError) as refused:
        import_cordis(PROJECTS, ORGANIZATIONS)

    assert refused.value.problem == (
        "CORDIS names CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE CNRS as the "
        "coordinator of project 101091687, and staff gave that role to "
        f"{by_hand.partner}, a participant CORDIS does not list: change its role "
        "on the project’s page, then import again."
    )
    assert row_counts() == before
    by_hand.refresh_from_db()
    assert by_hand.role == COORDINATOR
