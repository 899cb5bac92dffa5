"""Search indexes of grants and projects on PostgreSQL (see partners 0005)."""

from django.db import migrations

from partners.pg_indexes import postgresql_indexes, search_text


INDEXES = {}
for table, prefix in (("programmes_grant", "grant"), ("programmes_project", "project")):
    INDEXES[f"{prefix}_search_trgm"] = "{} USING gin ({} gin_trgm_ops)".format(
        table, search_text("acronym", "title_fr", "title_en")
    )
    for language, config in (("fr", "french"), ("en", "english")):
        INDEXES[f"{prefix}_search_{config}"] = (
            f"{table} USING gin (to_tsvector('{config}'::regconfig, "
            f"{search_text(f'summary_{language}')}))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0002_synthetic_flag"),
        ("partners", "0005_search_indexes"),  # immutable_unaccent()
    ]

    operations = [postgresql_indexes(INDEXES)]
