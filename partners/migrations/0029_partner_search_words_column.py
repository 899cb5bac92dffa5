"""PostgreSQL: the partners' search texts with every other character a space,
stored in a generated column, and 0028's index of word starts made on it.

0028 indexed ``regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g')``: PostgreSQL
then replaced each candidate row's characters again to check it (5 µs a row), and
a common word start cost five times what the pattern on ``search_text`` cost ("uni",
78,000 of 200,000 partners: 518 ms, 98 ms through the pattern), so three-letter
words kept the pattern, whose only trigram is found inside words too ("erc" in
every "recherche": 36,587 rows checked for 108 found, 72 ms; through the words'
index 220 rows, 2.5 ms). Stored, the check reads the column as the pattern reads
``search_text``: ``StartsAWord`` takes the column for words of two and three letters
(partners/search.py, ``STORED_WORD_STARTS``).

A generated column cannot read another: the expression folds the columns again,
as 0010's ``search_text`` does. A later migration changing one of ``COLUMNS``
must run this module's ``BACKWARD`` statements, then 0010's, before its AlterField,
and their ``FORWARD`` after it (0010's docstring).
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, search_text

COLUMNS = ("name_fr", "name_en", "original_name", "acronym", "city_fr", "city_en")
WORD_STARTS = f"regexp_replace({search_text(*COLUMNS)}, '[^a-z0-9]+', ' ', 'g')"

FORWARD = [
    "ALTER TABLE partners_partner ADD COLUMN search_words text "
    f"GENERATED ALWAYS AS ({WORD_STARTS}) STORED",
    "DROP INDEX IF EXISTS partner_word_starts_trgm",
    "CREATE INDEX partner_word_starts_trgm ON partners_partner "
    "USING gin (search_words gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS partner_word_starts_trgm",
    "ALTER TABLE partners_partner DROP COLUMN IF EXISTS search_words",
    "CREATE INDEX partner_word_starts_trgm ON partners_partner USING gin "
    "((regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g')) gin_trgm_ops)",
]


class Migration(migrations.Migration):
    dependencies = [("partners", "0028_partner_word_starts_index")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
