from django.db import migrations


def create_extensions(apps, schema_editor):
    # Accent- and typo-tolerant search needs both on PostgreSQL; SQLite registers a
    # Python unaccent function on its connections instead.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(create_extensions, migrations.RunPython.noop)]
