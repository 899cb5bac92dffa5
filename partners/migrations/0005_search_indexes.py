"""Search indexes on PostgreSQL: trigrams and full text, and the sort by name.

The expressions are those partners/search.py builds (SearchText, shown_text),
character for character: PostgreSQL uses an expression index only for the same
expression. tests/partners/test_search_indexes.py EXPLAINs the queries to prove it.
``unaccent()`` is only STABLE (its dictionary could change), so an IMMUTABLE wrapper
is what gets indexed; it names the extension's schema, as index expressions must
not depend on the search_path. SQLite registers a Python function of the same name.

The wrapper is evaluated for every row a filter reads: a SQL function over the
STABLE unaccent() is never inlined and costs ~20 µs a call. Declaring the
extension's C function IMMUTABLE under another name lets the SQL wrapper inline to a
plain C call (ten times faster), but needs a superuser; without one, the slower
wrapper is kept and works the same.
"""

from django.db import migrations, transaction

from partners.pg_indexes import postgresql_indexes, search_text, shown_name

FAST_IMMUTABLE_UNACCENT = (
    """
CREATE OR REPLACE FUNCTION immutable_unaccent(regdictionary, text) RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE STRICT AS '$libdir/unaccent', 'unaccent_dict'
""",
    """
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.immutable_unaccent('public.unaccent'::regdictionary, $1) $$
""",
)
PORTABLE_IMMUTABLE_UNACCENT = """
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""


INDEXES = {
    "partner_search_trgm": "partners_partner USING gin ({} gin_trgm_ops)".format(
        search_text(
            "name_fr", "name_en", "original_name", "acronym", "city_fr", "city_en"
        )
    ),
    # The public list sorted by the name shown in French, then in English.
    "partner_public_name_fr": "partners_partner ({}, id) "
    "WHERE publication_status = 'published'".format(
        shown_name("name_fr", "name_en")
    ),
    "partner_public_name_en": "partners_partner ({}, id) "
    "WHERE publication_status = 'published'".format(
        shown_name("name_en", "name_fr")
    ),
}


def create_immutable_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            for statement in FAST_IMMUTABLE_UNACCENT:
                schema_editor.execute(statement)
    except Exception:  # not a superuser: "permission denied for language c"
        schema_editor.execute(PORTABLE_IMMUTABLE_UNACCENT)


class Migration(migrations.Migration):
    dependencies = [("partners", "0004_synthetic_flag")]

    operations = [
        # Kept on the way back: later migrations' indexes may still use it.
        migrations.RunPython(create_immutable_unaccent, migrations.RunPython.noop),
        postgresql_indexes(INDEXES),
    ]
