"""PostgreSQL: grants' and projects' full-text indexes hold their short texts too.

Full-text search reads one document a language: the acronym and titles, then that
language's summary (``partners.search.document``), so that a grant holding some
words typed in its title and the others in its summary is found. The indexes of
0003 are built again on that expression, under their names.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, search_text

SHORT = ("acronym", "title_fr", "title_en")
TABLES = (("programmes_grant", "grant"), ("programmes_project", "project"))
CONFIGS = (("fr", "french"), ("en", "english"))


def index(table: str, prefix: str, config: str, columns) -> str:
    return (
        f"CREATE INDEX {prefix}_search_{config} ON {table} USING gin "
        f"(to_tsvector('{config}'::regconfig, {search_text(*columns)}))"
    )


FORWARD, BACKWARD = [], []
for table, prefix in TABLES:
    for language, config in CONFIGS:
        drop = f"DROP INDEX IF EXISTS {prefix}_search_{config}"
        summary = (f"summary_{language}",)
        FORWARD += [drop, index(table, prefix, config, SHORT + summary)]
        BACKWARD += [drop, index(table, prefix, config, summary)]


class Migration(migrations.Migration):
    dependencies = [("programmes", "0009_participants_listed_by_cordis")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
