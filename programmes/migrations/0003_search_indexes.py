"""Search indexes of grants and projects on PostgreSQL (see partners 0005)."""

from django.db import migrations


def search_text(*columns):
    joined = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"lower(immutable_unaccent({joined}))"


INDEXES = {}
for table, prefix in (("programmes_grant", "grant"), ("programmes_project", "project")):
    INDEXES[f"{prefix}_search_trgm"] = (
        table,
        "USING gin ({} gin_trgm_ops)".format(
            search_text("acronym", "title_fr", "title_en")
        ),
    )
    for language, config in (("fr", "french"), ("en", "english")):
        INDEXES[f"{prefix}_search_{config}"] = (
            table,
            f"USING gin (to_tsvector('{config}'::regconfig, "
            f"{search_text(f'summary_{language}')}))",
        )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, definition) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0002_synthetic_flag"),
        ("partners", "0005_search_indexes"),  # immutable_unaccent()
    ]

    operations = [migrations.RunPython(create, drop)]
