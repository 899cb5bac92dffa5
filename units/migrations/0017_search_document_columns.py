"""PostgreSQL: units' full-text documents stored in generated columns.

As grants' and projects' (programmes 0016): a word most descriptions hold
("laboratoire") made PostgreSQL parse each unit's description again, 170 ms for
the 5,000 generated units; stored once per write, the documents are read instead
(``STORED_SEARCH_DOCUMENTS`` in partners/search.py), and the indexes of 0013 are
built again on the columns, under their names.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, search_document_columns

SHORT = ("name_fr", "name_en", "acronym", "code", "city_fr", "city_en")
DOCUMENTS = {
    ("fr", "french"): (*SHORT, "description_fr", "themes_fr"),
    ("en", "english"): (*SHORT, "description_en", "themes_en"),
}
FORWARD, BACKWARD = search_document_columns("units_unit", "unit", DOCUMENTS)


class Migration(migrations.Migration):
    dependencies = [("units", "0016_person_search_words")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
