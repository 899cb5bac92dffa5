"""PostgreSQL: an index of the published partners' search texts by length.

The near misses of one word mistyped ("universte": the 390,000 partners
holding "universite", "university"…) are read closeness by closeness, each
shortest text first (``NearMissTiers``, partners/searchable.py): walked along
this index, the closest ones fill a page from the first rows, where ranking and
sorting them all took 1.6 s at a million partners. The text itself is in the
index, which tests the corrections without reading the table: the English
names holding "institute" are all longer than 57 letters, and reading the
162,000 shorter rows to reach them took 1.1 s, their index entries 0.15 s
(125 MB at a million partners). Only texts of up to 600 letters
(``LENGTH_INDEXED``), which fit an index entry whatever their script; the
longer ones (none, or hardly) are sorted after them. On ``search_text``,
PostgreSQL's own column (0010): SQLite, for the demo, sorts.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements

FORWARD = [
    "CREATE INDEX IF NOT EXISTS partner_search_text_length ON partners_partner "
    "(length(search_text), id) INCLUDE (search_text) "
    "WHERE publication_status = 'published' AND length(search_text) <= 600",
]
BACKWARD = ["DROP INDEX IF EXISTS partner_search_text_length"]


class Migration(migrations.Migration):
    dependencies = [("partners", "0026_former_address")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
