"""PostgreSQL: a country's published partners sorted by name, from one index.

Partners by country is the portal's main search. With only the name indexes of
0005, PostgreSQL walked the published partners in name order and kept those of the
country: fast for Brazil, 40 ms for Iceland's few at a million partners. The
expressions are 0005's (``shown_text`` in partners/search.py), character for
character; tests/partners/test_search_indexes.py EXPLAINs the query.
"""

from django.db import migrations


def shown_name(first, second):
    shown = f"COALESCE(NULLIF({first}, ''), NULLIF({second}, ''))"
    return f"lower(immutable_unaccent({shown}))"


INDEXES = {
    f"partner_public_country_name_{language}": (
        f"(country, {shown_name(f'name_{language}', f'name_{other}')}, id) "
        "WHERE publication_status = 'published'"
    )
    for language, other in (("fr", "en"), ("en", "fr"))
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON partners_partner {definition}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_name_indexes")]

    operations = [migrations.RunPython(create, drop)]
