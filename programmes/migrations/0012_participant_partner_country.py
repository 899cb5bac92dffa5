"""A participation keeps its institution's country, kept in step by the database.

A participation's country is its own, else its institution's. Counting the projects
of each country (the countries' activity, once per content version) joined 130,000
participations to a million partners: 0.45 s at full size, the first request after
each change of the home and countries pages. ``partner_country`` is a copy of the
partner's country that triggers keep (on PostgreSQL and SQLite alike, so that the
demo counts as production does): a participation written (by the admin, the CORDIS
import, ``generate_data``, a merge or a revert) takes its partner's country, and a
partner given another country (by the admin or the ROR import) gives it to its
participations. Whatever the value Django writes, the trigger's wins.
"""

import django_countries.fields
from django.db import migrations, models
from django.db.models.functions import Coalesce, NullIf

PARTICIPANTS = "programmes_projectparticipant"
PARTNERS = "partners_partner"
PARTNER_COUNTRY = f"(SELECT country FROM {PARTNERS} WHERE id = NEW.partner_id)"

POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION participant_partner_country() RETURNS trigger AS $$
    BEGIN
        NEW.partner_country := COALESCE({PARTNER_COUNTRY}, '');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER participant_partner_country
    BEFORE INSERT OR UPDATE ON {PARTICIPANTS}
    FOR EACH ROW EXECUTE FUNCTION participant_partner_country()
    """,
    f"""
    CREATE FUNCTION partner_country_to_participants() RETURNS trigger AS $$
    BEGIN
        UPDATE {PARTICIPANTS} SET partner_country = NEW.country
        WHERE partner_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER partner_country_to_participants
    AFTER UPDATE OF country ON {PARTNERS}
    FOR EACH ROW WHEN (OLD.country IS DISTINCT FROM NEW.country)
    EXECUTE FUNCTION partner_country_to_participants()
    """,
]
POSTGRESQL_BACKWARD = [
    f"DROP TRIGGER IF EXISTS partner_country_to_participants ON {PARTNERS}",
    "DROP FUNCTION IF EXISTS partner_country_to_participants()",
    f"DROP TRIGGER IF EXISTS participant_partner_country ON {PARTICIPANTS}",
    "DROP FUNCTION IF EXISTS participant_partner_country()",
]

# SQLite's triggers cannot change the row being written: they write it again after.
# Its recursive triggers are off, so that write does not fire them once more.
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER participant_partner_country_insert
    AFTER INSERT ON {PARTICIPANTS}
    BEGIN
        UPDATE {PARTICIPANTS} SET partner_country = COALESCE({PARTNER_COUNTRY}, '')
        WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER participant_partner_country_update
    AFTER UPDATE ON {PARTICIPANTS}
    WHEN NEW.partner_country IS NOT COALESCE({PARTNER_COUNTRY}, '')
    BEGIN
        UPDATE {PARTICIPANTS} SET partner_country = COALESCE({PARTNER_COUNTRY}, '')
        WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER partner_country_to_participants
    AFTER UPDATE OF country ON {PARTNERS}
    WHEN OLD.country IS NOT NEW.country
    BEGIN
        UPDATE {PARTICIPANTS} SET partner_country = NEW.country
        WHERE partner_id = NEW.id;
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS participant_partner_country_insert",
    "DROP TRIGGER IF EXISTS participant_partner_country_update",
    "DROP TRIGGER IF EXISTS partner_country_to_participants",
]

# The participations written before: their partners' countries.
FILL = (
    f"UPDATE {PARTICIPANTS} SET partner_country = "
    f"(SELECT country FROM {PARTNERS} WHERE {PARTNERS}.id = {PARTICIPANTS}.partner_id)"
)


def statements(forward: bool):
    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            run = POSTGRESQL_FORWARD if forward else POSTGRESQL_BACKWARD
        elif vendor == "sqlite":
            run = SQLITE_FORWARD if forward else SQLITE_BACKWARD
        else:
            raise NotImplementedError(f"No triggers written for {vendor}.")
        for statement in run:
            schema_editor.execute(statement)
        if forward:
            schema_editor.execute(FILL)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0011_grant_project_search_words"),
        ("partners", "0023_partner_public_country_index"),
    ]

    operations = [
        # The participations, and the copies of them that projects' versions keep.
        *(
            migrations.AddField(
                model_name=model_name,
                name="partner_country",
                field=django_countries.fields.CountryField(
                    blank=True,
                    editable=False,
                    max_length=2,
                    verbose_name="institution's country",
                ),
            )
            for model_name in (
                "historicalproject_participants",
                "historicalprojectparticipant",
                "projectparticipant",
            )
        ),
        migrations.RunPython(statements(forward=True), statements(forward=False)),
        # A country's participations (programmes.models.participating_projects).
        migrations.AddIndex(
            model_name="projectparticipant",
            index=models.Index(
                Coalesce(NullIf("country", models.Value("")), "partner_country"),
                name="participation_country",
            ),
        ),
    ]
