"""PostgreSQL: the table of partners' words keeps words of letters only.

to_tsvector's parser also gives compounds ("ruhr-universitat", beside "ruhr" and
"universitat"), hosts and dotted acronyms. No typed word is one of them (typed text
is split into runs of letters and digits), yet they took the place of real words
among a typo's closest ones: 16 of the 25 words closest to "universte", at a million
generated partners, were "le-universitat" … "wang-universitat", and "universidade"
was not among them. The trigger's function keeps only ``KNOWN_WORD``
(partners/pg_indexes.py) and the others are deleted. Back: the function as 0011 made
it (words of three letters or more without a digit); the deleted words stay deleted,
which only leaves out corrections no typed word needed.
"""

from django.db import migrations

from partners.pg_indexes import KNOWN_WORD, postgresql_statements, words_of


def add_search_words(words: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION partners_add_search_words() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO partners_search_word (word)
        {words}
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$
    """


# 0011's words, spelled out: words_of() now returns this migration's.
WORDS_OF_0011 = """
    SELECT DISTINCT word
    FROM (SELECT NEW.search_text) AS written(search_text),
        unnest(tsvector_to_array(to_tsvector('simple', search_text))) word
    WHERE length(word) >= 3 AND word !~ '[0-9]'
"""

FORWARD = [
    add_search_words(words_of("(SELECT NEW.search_text) AS written(search_text)")),
    f"DELETE FROM partners_search_word WHERE word !~ '{KNOWN_WORD}'",
]
BACKWARD = [add_search_words(WORDS_OF_0011)]


class Migration(migrations.Migration):
    dependencies = [("partners", "0011_partner_search_words")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
