"""PostgreSQL: grants' and projects' full-text documents stored in generated columns.

A word most summaries hold ("projects": every one of the 100,000 generated grants)
made PostgreSQL read the table rather than the index, and parse each summary again
for both languages: 6 s for the global search. Stored once per write, the
documents are read instead (``STORED_SEARCH_DOCUMENTS`` in partners/search.py);
the indexes of 0010 are built again on the columns, under their names, and writes
parse each summary once, as they did for those indexes. Changing a column a
document holds later needs these columns dropped first, as partners 0013 says of
its own.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, search_document_columns

SHORT = ("acronym", "title_fr", "title_en")
DOCUMENTS = {
    ("fr", "french"): (*SHORT, "summary_fr"),
    ("en", "english"): (*SHORT, "summary_en"),
}
GRANTS = search_document_columns("programmes_grant", "grant", DOCUMENTS)
PROJECTS = search_document_columns("programmes_project", "project", DOCUMENTS)
FORWARD, BACKWARD = GRANTS[0] + PROJECTS[0], PROJECTS[1] + GRANTS[1]


class Migration(migrations.Migration):
    dependencies = [("programmes", "0015_shown_title_columns")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
