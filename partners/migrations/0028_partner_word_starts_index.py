"""PostgreSQL: a trigram index of the partners' search texts, word by word.

A word of one or two letters typed ("EU", "IA") must start a word of the texts
(``holds``): a pattern, "(^|[^a-z0-9])eu", from which pg_trgm draws no trigram,
so PostgreSQL read the million partners' texts (1 s). In the text with every
character other than a letter or digit of the folded Latin alphabet made a
space, the same words start after a space or at the start, as pg_trgm's words
do: "eu" gives the trigram " eu", which this index holds (``StartsAWord``,
partners/search.py: the same partners, read through it in 20 ms). 95 MB at a
million partners. On ``search_text``, PostgreSQL's own column (0010): SQLite,
for the demo, reads the pattern.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements

FORWARD = [
    "CREATE INDEX IF NOT EXISTS partner_word_starts_trgm ON partners_partner "
    "USING gin ((regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g')) "
    "gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS partner_word_starts_trgm"]


class Migration(migrations.Migration):
    dependencies = [("partners", "0027_partner_search_text_length_index")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
