"""PostgreSQL: the distinct words of partners' search texts, to correct typos.

A typo search ("Universte de Sao Paolo") looked for partners whose whole text was
close to what was typed (pg_trgm's ``<%``): at a million partners the trigram index
handed over hundreds of thousands of candidates sharing "univ", " de " or "sao", each
checked by computing the similarity (3 s). As pg_trgm's documentation suggests, each
typed word is now corrected first against this table of words (tens of thousands,
trigram-indexed: a millisecond), and the partners holding the corrected words are
found by the ordinary word search (partners/search.py, ``corrected_search``).

Row triggers add the words of each partner inserted, or updated with another text
(0010's stored column), unless the transaction set ``partners.search_words`` to
``deferred``: bulk writers (the ROR import, generate_data) do, and add the words of
the rows they wrote in one statement at the end (``add_search_words``). A trigger
per COPYed row, or one per COPY statement reading its rows back, cost the ROR import
of 120,000 records 6 to 10 s. Words are never removed: one no partner holds any more
only makes a correction that finds nothing. Not a Django model: only
``corrections()`` reads the table. SQLite, for the demo, finds the words in Python.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, words_of

NOT_DEFERRED = "current_setting('partners.search_words', true) IS DISTINCT FROM 'deferred'"

FORWARD = [
    "CREATE TABLE partners_search_word (word text PRIMARY KEY)",
    "CREATE INDEX partners_search_word_trgm ON partners_search_word "
    "USING gin (word gin_trgm_ops)",
    f"""
    CREATE FUNCTION partners_add_search_words() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO partners_search_word (word)
        {words_of("(SELECT NEW.search_text) AS written(search_text)")}
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER partner_search_words_insert AFTER INSERT ON partners_partner "
    f"FOR EACH ROW WHEN ({NOT_DEFERRED}) "
    "EXECUTE FUNCTION partners_add_search_words()",
    "CREATE TRIGGER partner_search_words_update AFTER UPDATE ON partners_partner "
    "FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text "
    f"AND {NOT_DEFERRED}) "
    "EXECUTE FUNCTION partners_add_search_words()",
    "INSERT INTO partners_search_word (word) " + words_of("partners_partner"),
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS partner_search_words_update ON partners_partner",
    "DROP TRIGGER IF EXISTS partner_search_words_insert ON partners_partner",
    "DROP FUNCTION IF EXISTS partners_add_search_words()",
    "DROP TABLE IF EXISTS partners_search_word",
]


class Migration(migrations.Migration):
    dependencies = [("partners", "0010_partner_search_column")]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
