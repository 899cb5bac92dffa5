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
