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

from partners.pg_indexes import postgresql_statements, shown_text_columns

GRANTS = shown_text_columns("programmes_grant", "title", "shown_title")
PROJECTS = shown_text_columns("programmes_project", "title", "shown_title")
FORWARD, BACKWARD = GRANTS[0] + PROJECTS[0], PROJECTS[1] + GRANTS[1]


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0014_grant_programme_of_its_scheme"),
        ("partners", "0013_partner_shown_name_columns"),
    ]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
