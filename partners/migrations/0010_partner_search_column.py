"""PostgreSQL: partners' folded search text stored in a generated column, indexed.

The trigram index on ``SearchText(name_fr, …, city_en)`` (0005) finds the partners
whose text may hold a word, and PostgreSQL then computes the expression again for
each of them to check: for "Brasília", 5,400 unaccents of six columns, 20 µs each
without a superuser (0005's portable wrapper). Stored once per write in a generated
column, the check reads it. ``search_text`` is PostgreSQL's own column, not a Django
field: PostgreSQL fills it on every INSERT, UPDATE and COPY, which all name their
columns, and ``SearchText`` compiles to it (partners/search.py,
``STORED_SEARCH_TEXT``). SQLite, for the demo, keeps computing the expression.
The index keeps its name, which tests/partners/test_search_indexes.py looks for.

PostgreSQL refuses to change the type of a column a generated column reads ("cannot
alter type of a column used by a generated column"): a later migration that changes
one of ``COLUMNS`` (a longer ``max_length``, say) must run this module's ``BACKWARD``
statements before its AlterField and ``FORWARD`` after it (``postgresql_statements``).
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, search_text

COLUMNS = ("name_fr", "name_en", "original_name", "acronym", "city_fr", "city_en")

FORWARD = [
    "ALTER TABLE partners_partner ADD COLUMN search_text text "
    f"GENERATED ALWAYS AS ({search_text(*COLUMNS)}) STORED",
    "DROP INDEX IF EXISTS partner_search_trgm",
    "CREATE INDEX partner_search_trgm ON partners_partner "
    "USING gin (search_text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS partner_search_trgm",
    "ALTER TABLE partners_partner DROP COLUMN IF EXISTS search_text",
    "CREATE INDEX partner_search_trgm ON partners_partner "
    f"USING gin ({search_text(*COLUMNS)} gin_trgm_ops)",
]


class Migration(migrations.Migration):
    dependencies = [("partners", "0009_kind_country_indexes_without_like")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
