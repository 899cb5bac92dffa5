"""PostgreSQL: a table of the words of offices' roles, for "did you mean".

As units 0023 and programmes 0024 for the other long texts: the global search
suggests a word of an office's role typed with a slip. A few dozen offices, none
written in bulk; the table is what the suggestions read on both kinds of tables
alike (``document_words_statements``).
"""

from django.db import migrations

from partners.pg_indexes import document_words_statements, postgresql_statements

COLUMNS = ("role_fr", "role_en")
FORWARD, BACKWARD = document_words_statements("partners_office", COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("partners", "0033_publication_index_without_like")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
