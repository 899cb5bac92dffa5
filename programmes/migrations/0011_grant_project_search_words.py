"""PostgreSQL: grants' and projects' search text stored, and a table of their words.

What partners got in partners 0010 to 0012, for the same reason: near misses
(a typo, or words no record holds together) compared what was typed with the
whole text of every grant the trigram index offered ("climat arctique": 16,780 of
100,000 grants, each unaccented again and its similarity computed, 340 ms of the
global search). Each typed word is now corrected against the known words of the
grants' (or projects') acronyms and titles, then the records holding the
corrections are found by the ordinary word search (``corrected_search``).

``search_text`` is a generated column, as partners' (the trigram index is built
on it again, under its name); the words tables are filled by row triggers, which
bulk writers defer with ``partners.search_words`` as for partners
(``search_words_added_by_caller``, ``add_search_words``). PostgreSQL refuses to
change the type of a column a generated column reads: a later migration changing
``acronym`` or a title must drop ``search_text`` first (``BACKWARD``) and add it
again after (``FORWARD``), as partners 0010 says.
"""

from django.db import migrations

from partners.pg_indexes import postgresql_statements, search_text, words_of

COLUMNS = ("acronym", "title_fr", "title_en")
TABLES = (("programmes_grant", "grant"), ("programmes_project", "project"))
NOT_DEFERRED = "current_setting('partners.search_words', true) IS DISTINCT FROM 'deferred'"

FORWARD, BACKWARD = [], []
for table, prefix in TABLES:
    words = f"{table}_search_word"
    function = f"{table}_add_search_words"
    FORWARD += [
        f"ALTER TABLE {table} ADD COLUMN search_text text "
        f"GENERATED ALWAYS AS ({search_text(*COLUMNS)}) STORED",
        f"DROP INDEX IF EXISTS {prefix}_search_trgm",
        f"CREATE INDEX {prefix}_search_trgm ON {table} "
        "USING gin (search_text gin_trgm_ops)",
        f"CREATE TABLE {words} (word text PRIMARY KEY)",
        f"CREATE INDEX {words}_trgm ON {words} USING gin (word gin_trgm_ops)",
        f"""
        CREATE FUNCTION {function}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {words} (word)
            {words_of("(SELECT NEW.search_text) AS written(search_text)")}
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END
        $$
        """,
        f"CREATE TRIGGER {prefix}_search_words_insert AFTER INSERT ON {table} "
        f"FOR EACH ROW WHEN ({NOT_DEFERRED}) EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {prefix}_search_words_update AFTER UPDATE ON {table} "
        "FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text "
        f"AND {NOT_DEFERRED}) EXECUTE FUNCTION {function}()",
        f"INSERT INTO {words} (word) {words_of(table)}",
    ]
    BACKWARD += [
        f"DROP TRIGGER IF EXISTS {prefix}_search_words_update ON {table}",
        f"DROP TRIGGER IF EXISTS {prefix}_search_words_insert ON {table}",
        f"DROP FUNCTION IF EXISTS {function}()",
        f"DROP TABLE IF EXISTS {words}",
        f"DROP INDEX IF EXISTS {prefix}_search_trgm",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_text",
        f"CREATE INDEX {prefix}_search_trgm ON {table} "
        f"USING gin ({search_text(*COLUMNS)} gin_trgm_ops)",
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0010_search_documents_hold_titles"),
        ("partners", "0012_search_words_letters_only"),
    ]

    operations = [postgresql_statements(FORWARD, BACKWARD)]
