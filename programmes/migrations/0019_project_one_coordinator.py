"""A project has one coordinator, a rule of the database.

Coordination is stored in two places: a participant's row with the role
"coordinator", and the project's own "CNRS role: coordinator". Until now only the
admin's participants formset kept them to one; the spreadsheet import, the CORDIS
import, a revert or the shell could store two. Now:

- a partial unique index allows one coordinating participant's row per project
  (``project_one_coordinating_participant``, a model constraint);
- triggers, on PostgreSQL and SQLite alike, refuse a coordinating participant's row
  in a project the CNRS coordinates, and the CNRS's coordination of a project one
  of whose participants coordinates it (a rule across two tables, which no
  constraint can state). They raise an integrity error named
  ``project_one_coordinator``. On PostgreSQL a participant's row written reads its
  project ``FOR SHARE``: a concurrent change of the CNRS role waits for it, and
  sees it.

Rows that break the rule stop the migration before anything is changed, with the
list of the projects to correct (in the admin, whose project form refuses a
second coordinator already): nothing is chosen for staff.
"""

from django.db import migrations, models

from partners.migration_checks import refuse_rows_breaking

PROJECTS = "programmes_project"
PARTICIPANTS = "programmes_projectparticipant"
COORDINATOR = "'coordinator'"
RULE = "project_one_coordinator"
CNRS_COORDINATES = (
    f"{RULE}: the CNRS coordinates this project (its CNRS role), a participant "
    "cannot coordinate it too"
)
PARTICIPANT_COORDINATES = (
    f"{RULE}: a participant coordinates this project, the CNRS cannot coordinate "
    "it too"
)

POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION participant_coordinates_alone() RETURNS trigger AS $$
    DECLARE
        project_role varchar;
    BEGIN
        SELECT p.cnrs_role INTO project_role FROM {PROJECTS} p
        WHERE p.id = NEW.project_id FOR SHARE;
        IF project_role = {COORDINATOR} THEN
            RAISE EXCEPTION '{CNRS_COORDINATES} (project %)', NEW.project_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER participant_coordinates_alone
    BEFORE INSERT OR UPDATE OF role, project_id ON {PARTICIPANTS}
    FOR EACH ROW WHEN (NEW.role = {COORDINATOR})
    EXECUTE FUNCTION participant_coordinates_alone()
    """,
    f"""
    CREATE FUNCTION cnrs_coordinates_alone() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM {PARTICIPANTS}
            WHERE project_id = NEW.id AND role = {COORDINATOR}
        ) THEN
            RAISE EXCEPTION '{PARTICIPANT_COORDINATES} (project %)', NEW.id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER cnrs_coordinates_alone
    BEFORE INSERT OR UPDATE OF cnrs_role ON {PROJECTS}
    FOR EACH ROW WHEN (NEW.cnrs_role = {COORDINATOR})
    EXECUTE FUNCTION cnrs_coordinates_alone()
    """,
]
POSTGRESQL_BACKWARD = [
    f"DROP TRIGGER IF EXISTS cnrs_coordinates_alone ON {PROJECTS}",
    "DROP FUNCTION IF EXISTS cnrs_coordinates_alone()",
    f"DROP TRIGGER IF EXISTS participant_coordinates_alone ON {PARTICIPANTS}",
    "DROP FUNCTION IF EXISTS participant_coordinates_alone()",
]

CNRS_COORDINATING = (
    f"EXISTS (SELECT 1 FROM {PROJECTS} "
    f"WHERE id = NEW.project_id AND cnrs_role = {COORDINATOR})"
)
PARTICIPANT_COORDINATING = (
    f"EXISTS (SELECT 1 FROM {PARTICIPANTS} "
    f"WHERE project_id = NEW.id AND role = {COORDINATOR})"
)
# SQLite writes one transaction at a time: no race to guard against.
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER participant_coordinates_alone_insert
    BEFORE INSERT ON {PARTICIPANTS}
    WHEN NEW.role = {COORDINATOR} AND {CNRS_COORDINATING}
    BEGIN SELECT RAISE(ABORT, '{CNRS_COORDINATES}'); END
    """,
    f"""
    CREATE TRIGGER participant_coordinates_alone_update
    BEFORE UPDATE OF role, project_id ON {PARTICIPANTS}
    WHEN NEW.role = {COORDINATOR} AND {CNRS_COORDINATING}
    BEGIN SELECT RAISE(ABORT, '{CNRS_COORDINATES}'); END
    """,
    f"""
    CREATE TRIGGER cnrs_coordinates_alone_insert
    BEFORE INSERT ON {PROJECTS}
    WHEN NEW.cnrs_role = {COORDINATOR} AND {PARTICIPANT_COORDINATING}
    BEGIN SELECT RAISE(ABORT, '{PARTICIPANT_COORDINATES}'); END
    """,
    f"""
    CREATE TRIGGER cnrs_coordinates_alone_update
    BEFORE UPDATE OF cnrs_role ON {PROJECTS}
    WHEN NEW.cnrs_role = {COORDINATOR} AND {PARTICIPANT_COORDINATING}
    BEGIN SELECT RAISE(ABORT, '{PARTICIPANT_COORDINATES}'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS participant_coordinates_alone_insert",
    "DROP TRIGGER IF EXISTS participant_coordinates_alone_update",
    "DROP TRIGGER IF EXISTS cnrs_coordinates_alone_insert",
    "DROP TRIGGER IF EXISTS cnrs_coordinates_alone_update",
]


def projects_with_two_coordinators(apps) -> list[str]:
    """Name the projects with two coordinators: "ACRONYM (id 12): …"."""
    Project = apps.get_model("programmes", "Project")
    ProjectParticipant = apps.get_model("programmes", "ProjectParticipant")
    coordinating = ProjectParticipant.objects.filter(role="coordinator")
    counts = {}
    for project_id in coordinating.values_list("project_id", flat=True):
        counts[project_id] = counts.get(project_id, 0) + 1
    cnrs = set(
        Project.objects.filter(cnrs_role="coordinator", pk__in=list(counts))
        .values_list("pk", flat=True)
    )
    broken = sorted(pk for pk, count in counts.items() if count > 1 or pk in cnrs)
    names = dict(
        Project.objects.filter(pk__in=broken).values_list("pk", "acronym")
    )
    found = []
    for pk in broken:
        who = [
            str(partner)
            for partner in coordinating.filter(project_id=pk)
            .order_by("pk")
            .values_list("partner__name_en", flat=True)
        ]
        if pk in cnrs:
            who.insert(0, "the CNRS (CNRS role)")
        found.append(f"{names.get(pk)} (id {pk}): {', '.join(who)}")
    return found


def check_one_coordinator(apps, schema_editor):
    refuse_rows_breaking(
        "programmes 0019",
        "a project has one coordinator, the CNRS or one participant",
        projects_with_two_coordinators(apps),
    )


def triggers(forward: bool):
    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            run = POSTGRESQL_FORWARD if forward else POSTGRESQL_BACKWARD
        elif vendor == "sqlite":
            run = SQLITE_FORWARD if forward else SQLITE_BACKWARD
        else:
            raise NotImplementedError(f"No triggers written for {vendor}.")
        for statement in run:
            # No parameters: PL/pgSQL's RAISE reads its own % placeholders.
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0025_office_opening_year_validated_since_1939"),
        ("programmes", "0018_grant_call_year_validated_since_2007"),
    ]

    operations = [
        migrations.RunPython(check_one_coordinator, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="projectparticipant",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", "coordinator")),
                fields=("project",),
                name="project_one_coordinating_participant",
                violation_error_message=(
                    "Another institution coordinates this project already: a "
                    "project has one coordinator."
                ),
            ),
        ),
        migrations.RunPython(triggers(forward=True), triggers(forward=False)),
    ]
