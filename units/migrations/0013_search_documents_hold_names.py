"""PostgreSQL: units' full-text indexes hold their short texts with the long ones.

Full-text search reads one document a language: the names, acronym, code and
cities, then that language's description and themes (``partners.search.document``),
so that a unit holding some words typed in its name and the others in its
description is found. The indexes of 0003 are built again on that expression,
under their names.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, search_text

SHORT = ("name_fr", "name_en", "acronym", "code", "city_fr", "city_en")
LONG = {
    "french": ("description_fr", "themes_fr"),
    "english": ("description_en", "themes_en"),
}


def index(config: str, columns) -> str:
    return (
        f"CREATE INDEX unit_search_{config} ON units_unit USING gin "
        f"(to_tsvector('{config}'::regconfig, {search_text(*columns)}))"
    )


FORWARD, BACKWARD = [], []
for config, columns in LONG.items():
    drop = f"DROP INDEX IF EXISTS unit_search_{config}"
    FORWARD += [drop, index(config, SHORT + columns)]
    BACKWARD += [drop, index(config, columns)]


class Migration(migrations.Migration):
    dependencies = [("units", "0012_orcid_check_digit")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
