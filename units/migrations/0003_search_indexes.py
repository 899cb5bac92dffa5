"""Search indexes of units on PostgreSQL (see partners 0005_search_indexes)."""

from django.db import migrations


def search_text(*columns):
    joined = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"lower(immutable_unaccent({joined}))"


INDEXES = {
    "unit_search_trgm": "units_unit USING gin ({} gin_trgm_ops)".format(
        search_text("name_fr", "name_en", "acronym", "code", "city_fr", "city_en")
    ),
    "unit_search_french": "units_unit USING gin (to_tsvector('french'::regconfig, {}))".format(
        search_text("description_fr", "themes_fr")
    ),
    "unit_search_english": "units_unit USING gin (to_tsvector('english'::regconfig, {}))".format(
        search_text("description_en", "themes_en")
    ),
    # Grants are searched by their laureate's name (GrantQuerySet.related_text_fields).
    "person_search_trgm": "units_person USING gin ({} gin_trgm_ops)".format(
        search_text("first_name", "last_name")
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {definition}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_synthetic_flag"),
        ("partners", "0005_search_indexes"),  # immutable_unaccent()
    ]

    operations = [migrations.RunPython(create, drop)]
