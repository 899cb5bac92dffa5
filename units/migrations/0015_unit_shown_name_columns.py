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

from partners.pg_indexes import postgresql_statements, shown_text_columns

FORWARD, BACKWARD = shown_text_columns("units_unit", "name", "shown_name")


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0014_unit_search_words"),
        ("partners", "0013_partner_shown_name_columns"),
    ]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
