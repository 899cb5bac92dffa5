"""PostgreSQL: tables of the words of grants' and projects' summaries, for "did
you mean".

As units 0023 for units' descriptions and themes: a word of a summary typed with a
slip is corrected to it, the suggestions having known only the acronyms and titles
(programmes 0011). Filled by row triggers, which bulk writers defer
(``document_words_statements``, ``search_words_added_by_caller``; ``generate_data``
then adds the words of what it wrote, ``add_search_words``).
"""

from django.db import migrations

from partners.pg_indexes import document_words_statements, postgresql_statements

COLUMNS = ("summary_fr", "summary_en")
FORWARD, BACKWARD = [], []
for table in ("programmes_grant", "programmes_project"):
    forward, backward = document_words_statements(table, COLUMNS)
    FORWARD += forward
    BACKWARD += backward


class Migration(migrations.Migration):
    dependencies = [("programmes", "0023_programme_former_name_translated")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
