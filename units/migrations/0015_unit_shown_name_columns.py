"""PostgreSQL: units' names as shown, folded, stored in generated columns.

A search's best matches come first (``best_matches_first``): a name starting with
the words typed, then by the name shown, folded (``shown_text``). Computed for each
match, folding cost 180 ms for the 5,000 units holding "laboratoire" where the list
by acronym took 8 ms; stored once per write, the sort reads them
(``STORED_SHOWN_TEXT`` in partners/search.py), as partners' names since partners
0013. Changing ``name_fr`` or ``name_en`` later needs these columns dropped first,
as partners 0013 says.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, shown_name

ORDERS = (("fr", "en"), ("en", "fr"))

FORWARD = [
    "ALTER TABLE units_unit "
    + ", ".join(
        f"ADD COLUMN shown_name_{language} text GENERATED ALWAYS AS "
        f"({shown_name(f'name_{language}', f'name_{other}')}) STORED"
        for language, other in ORDERS
    )
]
BACKWARD = [
    "ALTER TABLE units_unit "
    + ", ".join(
        f"DROP COLUMN IF EXISTS shown_name_{language}" for language, _other in ORDERS
    )
]


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0014_unit_search_words"),
        ("partners", "0013_partner_shown_name_columns"),
    ]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
