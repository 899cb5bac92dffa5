"""PostgreSQL: the distinct words of partners' search texts, to correct typos.

A typo search ("Universte de Sao Paolo") looked for partners whose whole text was
close to what was typed (pg_trgm's ``<%``): at a million partners the trigram index
handed over hundreds of thousands of candidates sharing "univ", " de " or "sao", each
checked by computing the similarity (3 s). As pg_trgm's documentation suggests, each
typed word is now corrected first against this table of words (a few tens of
thousands, trigram-indexed: a millisecond), and the partners holding the corrected
words are found by the ordinary word search (partners/search.py, ``corrected_search``).

The words are added by triggers, once per statement (a COPY batch of the ROR import,
an admin save), from the stored search text (0010); never removed: a word no partner
holds any more only makes a correction that finds nothing. Not a Django model: only
that one query reads it. SQLite, for the demo, keeps comparing whole texts.
"""

from django.db import migrations

# Words as partners/search.py splits the typed text: runs of letters and digits.
WORDS_OF_NEW_ROWS = """
    SELECT DISTINCT word
    FROM new_rows, regexp_split_to_table(new_rows.search_text, '[^[:alnum:]]+') AS word
    WHERE length(word) >= 3
"""

FORWARD = [
    "CREATE TABLE partners_search_word (word text PRIMARY KEY)",
    "CREATE INDEX partners_search_word_trgm ON partners_search_word "
    "USING gin (word gin_trgm_ops)",
    f"""
    CREATE FUNCTION partners_add_search_words() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO partners_search_word (word) {WORDS_OF_NEW_ROWS}
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER partner_search_words_insert AFTER INSERT ON partners_partner "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION partners_add_search_words()",
    "CREATE TRIGGER partner_search_words_update AFTER UPDATE ON partners_partner "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION partners_add_search_words()",
    "INSERT INTO partners_search_word (word) "
    + WORDS_OF_NEW_ROWS.replace("new_rows", "partners_partner"),
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS partner_search_words_update ON partners_partner",
    "DROP TRIGGER IF EXISTS partner_search_words_insert ON partners_partner",
    "DROP FUNCTION IF EXISTS partners_add_search_words()",
    "DROP TABLE IF EXISTS partners_search_word",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("partners", "0010_partner_search_column")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
