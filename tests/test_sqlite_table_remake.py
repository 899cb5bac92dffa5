"""SQLite remakes a table for most changes of it: the triggers naming the table stay.

``cnrs_intl.backends.sqlite3`` sets them aside and makes them again; with Django's
own backend the remake lost the table's triggers and failed on other tables' ones
("error in trigger …: no such table"), as partners 0032 did on a demo database.
On a database of its own: it runs alike in the suite's SQLite and PostgreSQL runs.
"""

import pytest
from django.db import models
from django.db.utils import ConnectionHandler
from django.test.utils import isolate_apps

TRIGGERS = [
    # A participation takes its institution's country (it names the institutions).
    """
    CREATE TRIGGER participation_country AFTER INSERT ON remake_participation
    BEGIN
        UPDATE remake_participation SET country = (
            SELECT country FROM remake_institution WHERE id = NEW.institution_id
        ) WHERE id = NEW.id;
    END
    """,
    # An institution that moves takes its participations along (a trigger on it).
    """
    CREATE TRIGGER institution_moves AFTER UPDATE OF country ON remake_institution
    BEGIN
        UPDATE remake_participation SET country = NEW.country
        WHERE institution_id = NEW.id;
    END
    """,
]


@pytest.fixture
def sqlite(tmp_path, django_db_blocker):
    # Named "default" as a handler of its own wants; not the suite's database.
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "cnrs_intl.backends.sqlite3",
                "NAME": str(tmp_path / "remake.sqlite3"),
            }
        }
    )
    connection = handler["default"]
    with django_db_blocker.unblock():
        yield connection
        connection.close()


def trigger_names(connection) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


@isolate_apps("partners")
def test_a_table_remade_keeps_its_triggers_and_those_naming_it(sqlite):
    class Institution(models.Model):  # noqa: DJ008 (a table, not a record shown)
        country = models.CharField(max_length=2)
        name = models.CharField(max_length=50)

        class Meta:
            app_label = "partners"
            db_table = "remake_institution"

    class Participation(models.Model):  # noqa: DJ008
        institution = models.ForeignKey(Institution, models.CASCADE)
        country = models.CharField(max_length=2, default="")

        class Meta:
            app_label = "partners"
            db_table = "remake_participation"

    with sqlite.schema_editor() as editor:
        editor.create_model(Institution)
        editor.create_model(Participation)
        for sql in TRIGGERS:
            editor.execute(sql, None)
    longer = models.CharField(max_length=80, unique=True)
    longer.set_attributes_from_name("name")
    longer.model = Institution

    # A longer, unique name: SQLite remakes the table.
    with sqlite.schema_editor() as editor:
        editor.alter_field(Institution, Institution._meta.get_field("name"), longer)

    assert trigger_names(sqlite) == {"participation_country", "institution_moves"}
    with sqlite.cursor() as cursor:
        cursor.execute(
            "INSERT INTO remake_institution (country, name) VALUES ('JP', 'Todai')"
        )
        cursor.execute(
            "INSERT INTO remake_participation (institution_id, country) VALUES (1, '')"
        )
        cursor.execute("SELECT country FROM remake_participation")
        assert cursor.fetchone() == ("JP",)
        cursor.execute("UPDATE remake_institution SET country = 'FR'")
        cursor.execute("SELECT country FROM remake_participation")
        assert cursor.fetchone() == ("FR",)
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'remake_institution'"
        )
        assert "varchar(80) NOT NULL UNIQUE" in cursor.fetchone()[0]
