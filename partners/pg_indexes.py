"""PostgreSQL's expression indexes, made by migrations: their SQL and one operation.

The expressions are those partners/search.py builds (``SearchText``, ``shown_text``),
character for character: PostgreSQL uses an expression index only for the very
expression it was built on, and tests/partners/test_search_indexes.py EXPLAINs the
queries to prove it. Migrations import this module: change what a function returns
and an index built before no longer matches the queries.
"""

from django.db import migrations


def search_text(*columns: str) -> str:
    """``SearchText(*columns)``: the columns joined, unaccented, lower-cased."""
    joined = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"lower(immutable_unaccent({joined}))"


def shown_name(first: str, second: str) -> str:
    """``shown_text``: the first column not empty, unaccented, lower-cased."""
    shown = f"COALESCE(NULLIF({first}, ''), NULLIF({second}, ''))"
    return f"lower(immutable_unaccent({shown}))"


def shown_text_columns(table: str, field: str, column: str):
    """Return the statements adding, and dropping, ``table``'s generated columns
    ``{column}_fr`` and ``{column}_en``: ``field`` as shown in each language, folded
    (``shown_name``; ``STORED_SHOWN_TEXT`` in partners/search.py reads them)."""
    orders = (("fr", "en"), ("en", "fr"))
    forward = f"ALTER TABLE {table} " + ", ".join(
        f"ADD COLUMN {column}_{language} text GENERATED ALWAYS AS "
        f"({shown_name(f'{field}_{language}', f'{field}_{other}')}) STORED"
        for language, other in orders
    )
    backward = f"ALTER TABLE {table} " + ", ".join(
        f"DROP COLUMN IF EXISTS {column}_{language}" for language, _other in orders
    )
    return [forward], [backward]


def search_document_columns(table: str, prefix: str, documents: dict):
    """Return the statements storing, and no longer storing, ``table``'s full-text
    documents in generated columns ``search_document_{language}``, their indexes
    ``{prefix}_search_{config}`` built on them rather than on the expression.

    ``documents``: ``{(language, config): columns}``, each document's columns in
    order (``document``, partners/search.py; ``STORED_SEARCH_DOCUMENTS`` reads them).
    """
    forward = [
        f"ALTER TABLE {table} "
        + ", ".join(
            f"ADD COLUMN search_document_{language} tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('{config}'::regconfig, {search_text(*columns)})) STORED"
            for (language, config), columns in documents.items()
        )
    ]
    backward = []
    for (language, config), columns in documents.items():
        index = f"{prefix}_search_{config}"
        forward += [
            f"DROP INDEX IF EXISTS {index}",
            f"CREATE INDEX {index} ON {table} USING gin (search_document_{language})",
        ]
        backward += [
            f"DROP INDEX IF EXISTS {index}",
            f"CREATE INDEX {index} ON {table} USING gin "
            f"(to_tsvector('{config}'::regconfig, {search_text(*columns)}))",
        ]
    backward.append(
        f"ALTER TABLE {table} "
        + ", ".join(
            f"DROP COLUMN IF EXISTS search_document_{language}"
            for (language, _config) in documents
        )
    )
    return forward, backward


def postgresql_indexes(indexes: dict[str, str]) -> migrations.RunPython:
    """Create ``{name: "table USING … (…)"}`` on PostgreSQL; drop them on the way back.

    Elsewhere (SQLite) nothing: these indexes serve PostgreSQL's functions only.
    """

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, definition in indexes.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)


def postgresql_statements(forward: list[str], backward: list[str]):
    """Run the SQL ``forward`` on PostgreSQL, ``backward`` on the way back.

    Elsewhere (SQLite) nothing: for what only PostgreSQL has (generated columns,
    triggers, the tables they fill).
    """

    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return operation

    return migrations.RunPython(run(forward), run(backward))


# A word worth correcting a typed one to: letters only, as partners/search.py splits
# what is typed (the texts are folded: a-z, or letters of other scripts). Not the
# parser's compounds ("ruhr-universitat", beside "ruhr" and "universitat"), hosts
# or acronyms with dots: no typed word is one, and they crowded the closest words
# out ("le-universitat" … "wang-universitat": 16 of the 25 closest to "universte").
# Not the words with a digit (a number, a code): they are searched as typed, and
# were most of the new words of an import. Spelled without character classes,
# which follow the database's locale (ASCII only under "C").
KNOWN_WORD = r"^([a-z]|[^\u0001-\u007f]){3,}$"


def words_of(rows: str) -> str:
    """SELECT the distinct words of the search texts of ``rows`` (a FROM item).

    Split by to_tsvector('simple')'s C parser (faster than a regular expression),
    kept when ``KNOWN_WORD``. For the tables of known words (partners 0011 and
    0012, programmes 0011).
    """
    return f"""
        SELECT DISTINCT word
        FROM {rows}, unnest(tsvector_to_array(to_tsvector('simple', search_text))) word
        WHERE word ~ '{KNOWN_WORD}'
    """


# Bulk writers set it (partners.search.search_words_added_by_caller) for the
# triggers to leave the words of the rows they write to them.
NOT_DEFERRED = (
    "current_setting('partners.search_words', true) IS DISTINCT FROM 'deferred'"
)


def known_words_statements(table: str, prefix: str, columns) -> tuple[list, list]:
    """Return the SQL giving ``table`` a stored search text and a table of its words.

    As partners 0010 and 0011 did for partners: ``search_text``, a generated column
    of ``columns`` folded (``search_text()``), the trigram index
    ``{prefix}_search_trgm`` built again on it, and ``{table}_search_word``, the
    distinct words of those texts, filled by row triggers unless deferred
    (``NOT_DEFERRED``) and by what the table holds already. (forward, backward).
    """
    words = f"{table}_search_word"
    function = f"{table}_add_search_words"
    forward = [
        f"ALTER TABLE {table} ADD COLUMN search_text text "
        f"GENERATED ALWAYS AS ({search_text(*columns)}) STORED",
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
    backward = [
        f"DROP TRIGGER IF EXISTS {prefix}_search_words_update ON {table}",
        f"DROP TRIGGER IF EXISTS {prefix}_search_words_insert ON {table}",
        f"DROP FUNCTION IF EXISTS {function}()",
        f"DROP TABLE IF EXISTS {words}",
        f"DROP INDEX IF EXISTS {prefix}_search_trgm",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_text",
        f"CREATE INDEX {prefix}_search_trgm ON {table} "
        f"USING gin ({search_text(*columns)} gin_trgm_ops)",
    ]
    return forward, backward


def document_words_statements(table: str, columns) -> tuple[list, list]:
    """Return the SQL giving ``table`` a table of the words of its long texts.

    ``{table}_document_word``: the distinct words of ``columns`` (a unit's
    description and themes, a grant's summary…, in both languages) folded as
    ``search_text()`` folds them, with a trigram index to find the words closest
    to one typed; filled by row triggers unless deferred (``NOT_DEFERRED``, as
    ``known_words_statements``' are) and by what the table holds already.

    Unlike the short texts', no stored column of the long texts: the trigger
    folds them, when a row is written or one of them changed, a test in its body
    rather than in its WHEN clause, which would bind the columns' types to it
    (PostgreSQL refuses to change the type of a column a trigger's WHEN reads).
    (forward, backward).
    """
    words = f"{table}_document_word"
    function = f"{table}_add_document_words"
    written = search_text(*(f"NEW.{column}" for column in columns))
    old = ", ".join(f"OLD.{column}" for column in columns)
    new = ", ".join(f"NEW.{column}" for column in columns)
    every_row = (
        f"(SELECT {search_text(*columns)} AS search_text FROM {table}) AS written"
    )
    forward = [
        f"CREATE TABLE {words} (word text PRIMARY KEY)",
        f"CREATE INDEX {words}_trgm ON {words} USING gin (word gin_trgm_ops)",
        f"""
        CREATE FUNCTION {function}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND ROW({old}) IS NOT DISTINCT FROM ROW({new}) THEN
                RETURN NULL;
            END IF;
            INSERT INTO {words} (word)
            {words_of(f"(SELECT {written}) AS written(search_text)")}
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END
        $$
        """,
        f"CREATE TRIGGER {table}_document_words_insert AFTER INSERT ON {table} "
        f"FOR EACH ROW WHEN ({NOT_DEFERRED}) EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {table}_document_words_update AFTER UPDATE ON {table} "
        f"FOR EACH ROW WHEN ({NOT_DEFERRED}) EXECUTE FUNCTION {function}()",
        f"INSERT INTO {words} (word) {words_of(every_row)}",
    ]
    backward = [
        f"DROP TRIGGER IF EXISTS {table}_document_words_update ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_document_words_insert ON {table}",
        f"DROP FUNCTION IF EXISTS {function}()",
        f"DROP TABLE IF EXISTS {words}",
    ]
    return forward, backward
