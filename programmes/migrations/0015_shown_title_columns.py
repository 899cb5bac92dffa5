"""PostgreSQL: grants' and projects' titles as shown, folded, stored in generated
columns.

A search's best matches come first (``best_matches_first``): a title starting with
the words typed, then by the title shown, folded (``shown_text``). Computed for each
match, folding cost the grants holding "climate" 30 ms more than their list by
year; stored once per write, the sort reads them (``STORED_SHOWN_TEXT`` in
partners/search.py), as partners' names since partners 0013. Changing ``title_fr``
or ``title_en`` later needs these columns dropped first, as partners 0013 says.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, shown_name

TABLES = ("programmes_grant", "programmes_project")
ORDERS = (("fr", "en"), ("en", "fr"))

FORWARD = [
    f"ALTER TABLE {table} "
    + ", ".join(
        f"ADD COLUMN shown_title_{language} text GENERATED ALWAYS AS "
        f"({shown_name(f'title_{language}', f'title_{other}')}) STORED"
        for language, other in ORDERS
    )
    for table in TABLES
]
BACKWARD = [
    f"ALTER TABLE {table} "
    + ", ".join(
        f"DROP COLUMN IF EXISTS shown_title_{language}" for language, _other in ORDERS
    )
    for table in TABLES
]


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0014_grant_programme_of_its_scheme"),
        ("partners", "0013_partner_shown_name_columns"),
    ]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
