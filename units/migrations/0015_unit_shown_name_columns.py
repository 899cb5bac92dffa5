"""PostgreSQL: units' names as shown, folded, stored in generated columns.

A search's best matches come first (``best_matches_first``): a name starting with
the words typed, then by the name shown, folded (``shown_text``): computed for each
match, one more unaccent a row and a sort (all 5,000 units hold "laboratoire");
stored once per write, the sort reads them (``STORED_SHOWN_TEXT`` in
partners/search.py), as partners' names since partners 0013 and grants' and
projects' titles since programmes 0015. Changing ``name_fr`` or ``name_en`` later needs these columns dropped first,
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
