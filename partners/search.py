"""Text search that forgives accents, case and small typos, on both databases.

A model's short texts (names in both languages, acronyms, cities) are searched as
one folded string (``SearchText``): lower-cased, accents removed, fields joined by
spaces. A record matches when every word typed is in it, a short one
(``WORD_START_MAX_LENGTH``) at the start of a word; long texts (descriptions,
summaries) match by full-text search in their own language, stemmed ("climats"
finds "climat"), read with the short texts (``document``). Only when nothing
matches so does a near miss count: the whole text typed close to a stretch of the
short texts (pg_trgm's word similarity), so that "Universte de Sao Paolo" still
finds the Universidade de São Paulo while "universidade" does not bring every
"université". Partners (a million of them), units, grants and projects correct
each typed word instead, against the words their texts hold (``corrected_search``):
comparing the whole text with every row took seconds. On PostgreSQL a table keeps
those words; SQLite finds them in Python (``known_words``).

On PostgreSQL each of these is served by a GIN index made by a migration (trigrams
for ``search_text``, a ``tsvector`` per language for long texts): the SQL built here
must stay the indexed expression, character for character, and tests EXPLAIN the
queries to prove the indexes are used. Since PostgreSQL's ``unaccent()`` is not
immutable, an immutable wrapper, ``IMMUTABLE_UNACCENT``, is what gets indexed. The
folded short texts of partners, units, grants and projects, and the partners' names
as shown in each language (the sort key of their lists), are stored columns
(``STORED_SEARCH_TEXT``, ``STORED_SHOWN_TEXT``).

Typed text is folded in Python (``fold``) by PostgreSQL's own unaccent rules, so
that it compares with what PostgreSQL folded. SQLite gets Python functions on
every connection (its ``LOWER`` and ``LIKE`` fold ASCII only, and it has neither
unaccent nor trigrams): the demo finds the same records for accents and typos, with
a full scan; full-text search stems the long texts' words as PostgreSQL does, with
the same Snowball stemmers and stop words (``full_text_match``).
"""

import difflib
import functools
import hashlib
import operator
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from contextlib import contextmanager
from functools import reduce
from pathlib import Path

import snowballstemmer
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import (
    Case,
    CharField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Lookup,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Col, OrderBy
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import Contains
from django.utils.translation import get_language
from psycopg.errors import QueryCanceled

from partners.caching import cached_by_content
from partners.pg_indexes import KNOWN_WORD, search_text as folded_sql, words_of

# PostgreSQL 15's unaccent dictionary, as it ships (contrib/unaccent/unaccent.rules,
# PostgreSQL License): a character, a tab, what it becomes (nothing for a combining
# accent). Python folds typed text, and SQLite's texts, by the very same rules:
# Unicode's decompositions differ for 500 letters (PostgreSQL makes "ð" "d" and "þ"
# "th", keeps the "й" of Russian names…), and where the two differed a name typed
# exactly as written was not found on PostgreSQL.
UNACCENT_RULES = Path(__file__).parent / "data" / "unaccent.rules"
# PostgreSQL 15's stop words of its text search configurations (tsearch_data/*.stop,
# from Snowball, BSD licence): the words its full-text search leaves out of a query.
STOP_WORDS = {
    config: frozenset(
        (Path(__file__).parent / "data" / f"{config}.stop")
        .read_text(encoding="utf-8")
        .split()
    )
    for config in ("french", "english")
}


def _unaccent_table(rules: Path) -> dict[int, str]:
    table = {}
    # Lines end with "\n" only: splitlines() would also split at U+2028 and the like.
    for line in rules.read_text(encoding="utf-8").split("\n"):
        if not line:
            continue
        source, _tab, target = line.partition("\t")
        table[ord(source)] = target.strip()
    return table


_UNACCENT = _unaccent_table(UNACCENT_RULES)


def unaccent(text: str | None) -> str | None:
    """Remove the accents of ``text`` as PostgreSQL's unaccent does; None stays None."""
    if text is None:
        return None
    return text.translate(_UNACCENT)


# The letters and digits written with an accent that unaccent makes each folded
# one ("e": "éèêëÉ…"), for a text not folded (``written_pattern``).
_ACCENTED = defaultdict(set)
for _code, _target in _UNACCENT.items():
    if len(_target) == 1 and _target.isascii() and _target.isalnum():
        _ACCENTED[_target.lower()].add(chr(_code))
_ACCENTED = {letter: "".join(sorted(chars)) for letter, chars in _ACCENTED.items()}


def written_pattern(word: str, start: bool = False) -> str:
    """Return the regular expression (case to be ignored) of folded ``word`` in a
    text as written, not folded: each letter with any accent folding to it
    ("geneve" finds "Genève"). ``start``: at a word's start (``WORD_BEFORE``).
    Folded to more letters ("ß": "ss", "œ": "oe"), a letter is not found."""
    parts = [
        f"[{char}{char.upper()}{_ACCENTED[char]}]"
        if char in _ACCENTED
        else re.escape(char)
        for char in word
    ]
    return (WORD_BEFORE if start else "") + "".join(parts)


# Characters that show nothing, typed or pasted inside a word: a soft hyphen (a word
# processor's, "uni\u00adversity"), a zero-width space, a word joiner, a byte order
# mark (copied from web pages). Left out, the word is the word without them; they
# split it in two, neither found. A record's form leaves them out of its one-line
# texts too (``TimeStampedModel.collapse_spaces``).
INVISIBLE = "\u00ad\u200b\u2060\ufeff"
# Left out of what is typed, not of the records: the marks and embeddings of a
# text's direction (left-to-right and right-to-left marks, the Arabic letter
# mark, embeddings, overrides and isolates, pasted with a name from a page that
# mixes scripts) and the invisible operators of mathematics. Within a record's
# name they place the words of two directions, and show nothing either.
TYPED_INVISIBLE = (
    INVISIBLE
    + "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    + "\u2061\u2062\u2063\u2064"
)
# The zero-width non-joiner and joiner, and the Mongolian vowel separator, too,
# but within the words of scripts that write them: Persian, the scripts of India,
# Mongolian write them inside their words, and a name typed as written is held as
# written. Between Latin letters or digits, or beside a space, they are typos.
_JOINERS = re.compile("[\u200c\u200d\u180e]+")
_LEFT_OUT = dict.fromkeys(map(ord, TYPED_INVISIBLE))
_FOLD = {**_UNACCENT, **_LEFT_OUT}


def _has_joiners(text: str) -> bool:
    # Three tests of a substring: fold() folds every row's texts on SQLite.
    return "\u200c" in text or "\u200d" in text or "\u180e" in text


def _joins(char: str) -> bool:
    """Whether a joiner beside ``char`` may be written within a word: ``char`` is
    a letter or a mark of a script other than Latin (``_JOINERS``)."""
    if not (char.isalpha() or unicodedata.category(char).startswith("M")):
        return False
    folded = unaccent(char).lower()
    return not (folded.isascii() and folded.isalnum())


def _without_stray_joiners(text: str) -> str:
    """Return ``text`` without the joiners that are not within a word of a script
    writing them (``_JOINERS``)."""

    def kept(match: re.Match) -> str:
        start, end = match.span()
        within = (
            0 < start
            and end < len(text)
            and _joins(text[start - 1])
            and _joins(text[end])
        )
        return match[0] if within else ""

    return _JOINERS.sub(kept, text)


def visible(text: str) -> str:
    """Return ``text`` without the characters typed or pasted in it that show
    nothing (``TYPED_INVISIBLE``, stray ``_JOINERS``): the text a search field
    takes ("uni\u00adversity" is "university"), so that what a search finds,
    suggests, repeats in a message or puts in a link is the text as it reads."""
    text = text.translate(_LEFT_OUT)
    if _has_joiners(text):
        text = _without_stray_joiners(text)
    return text


def fold(text: str | None) -> str | None:
    """Return ``text`` lower-cased and without accents, as the database compares it,
    and without the characters that show nothing (``visible``).

    The one place the words typed are normalised: every search folds them, and
    SQLite folds the records' texts by it too. The search fields leave those
    characters out already (``visible``): fold leaves them out of any text
    searched by other ways (the admin's, a caller's). PostgreSQL's unaccent makes
    a soft hyphen a hyphen: the records' forms leave them out of names
    (``TimeStampedModel.collapse_spaces``). None stays None, as NULL does in SQL.
    """
    if text is None:
        return None
    folded = text.translate(_FOLD).lower()
    if _has_joiners(folded):
        folded = _without_stray_joiners(folded)
    return folded


class Fold(Func):
    """The expression lower-cased and unaccented, as ``fold`` does in Python."""

    # The name indexes' expression (partners/pg_indexes.py, ``shown_name``).
    template = "LOWER(IMMUTABLE_UNACCENT(%(expressions)s))"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite's LOWER() folds ASCII only: "Московский" would not find "московский".
        return super().as_sql(compiler, connection, template="FOLD(%(expressions)s)")


# What counts as a near miss: pg_trgm's word similarity from this value up. Lower
# than pg_trgm's default (0.6), which misses "Sao Paolo" for "São Paulo" (0.54);
# PostgreSQL connections set it (settings.DATABASES, pg_trgm.word_similarity_threshold).
WORD_SIMILARITY_THRESHOLD = 0.5


def trigrams(text: str) -> list[str]:
    """Return the trigrams of ``text`` in order, as pg_trgm makes them."""
    found = []
    for word in re.findall(r"[^\W_]+", fold(text or "")):
        padded = f"  {word} "
        found.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def word_similarity(text: str | None, target: str | None) -> float | None:
    """Return pg_trgm's word_similarity(text, target), from 0 to 1.

    The best Jaccard similarity between the trigrams of ``text`` and those of a
    stretch of ``target``; NULL if either is (pg_trgm's functions are strict).
    Used on SQLite, whose tables are small: quadratic.
    """
    if text is None or target is None:
        return None
    wanted = set(trigrams(text))
    sequence = trigrams(target)
    if not wanted or not sequence:
        return 0.0
    best = 0.0
    starts = [i for i, trigram in enumerate(sequence) if trigram in wanted]
    for start in starts:
        seen = set()
        for trigram in sequence[start:]:
            seen.add(trigram)
            if trigram in wanted:
                common = len(seen & wanted)
                best = max(best, common / (len(wanted) + len(seen) - common))
    return best


_STEMMERS = {config: snowballstemmer.stemmer(config) for config in STOP_WORDS}
# A stemmer keeps the word it is stemming in itself: gunicorn's gthread workers
# search in several threads at once, which then failed (IndexError) or could
# cache a wrong stem in ``_lexeme`` for the life of the process.
_STEMMING = threading.Lock()


@functools.lru_cache(maxsize=65536)
def _lexeme(word: str, config: str) -> str | None:
    """Return what PostgreSQL's ``config`` makes of a folded word: None for a stop
    word, a word with a digit as it is, any other stemmed by Snowball's algorithm
    (the ``{config}_stem`` dictionary's, PostgreSQL's own)."""
    if word in STOP_WORDS[config]:
        return None
    if any(char.isdigit() for char in word):
        return word
    with _STEMMING:
        return _STEMMERS[config].stemWord(word)


def text_lexemes(text: str, config: str) -> set[str]:
    """Return the lexemes of a folded ``text`` in ``config``, as ``to_tsvector``'s.

    Its words are runs of letters and digits (PostgreSQL's parser also keeps a
    hyphenated compound whole, beside its parts: not needed to find its parts).
    """
    found = (_lexeme(word, config) for word in re.findall(r"[^\W_]+", text))
    return {lexeme for lexeme in found if lexeme}


def full_text_match(text: str | None, query: str, config: str) -> bool | None:
    """SQLite's ``to_tsvector(config, text) @@ plainto_tsquery(config, …)``.

    ``query``: the lexemes of the words typed, space-separated (``FullTextMatch``
    makes them once per query, not once per row). The text's lexemes are made for
    every row: SQLite reads every row anyway, and its tables are the demo's.
    """
    if text is None:
        return None
    return set(query.split()) <= text_lexemes(text, config)


def full_text_prefix(text: str | None, query: str, config: str) -> bool | None:
    """SQLite's ``to_tsvector(config, text) @@ to_tsquery('simple', "math:* & …")``.

    ``query``: the terms typed (``FullTextPrefix.terms``), space-separated, each
    of alternatives separated by "|": a lexeme of the text is one, or starts with
    one ending in "*".
    """
    if text is None:
        return None
    lexemes = text_lexemes(text, config)
    return all(
        any(
            any(lexeme.startswith(wanted[:-1]) for lexeme in lexemes)
            if wanted.endswith("*")
            else wanted in lexemes
            for wanted in term.split("|")
        )
        for term in query.split()
    )


def register_sqlite_functions(sender, connection, **kwargs):
    """Give every new SQLite connection the search functions (connection_created)."""
    if connection.vendor == "sqlite":
        # Each answers NULL to NULL, as PostgreSQL's do: an exception raised in one
        # fails the whole query (FOLD(NULL) of a partner without a city, sorted by
        # city, made the partner list a 500).
        connection.connection.create_function(
            "IMMUTABLE_UNACCENT", 1, unaccent, deterministic=True
        )
        connection.connection.create_function(
            "WORD_SIMILARITY", 2, word_similarity, deterministic=True
        )
        connection.connection.create_function("FOLD", 1, fold, deterministic=True)
        connection.connection.create_function(
            "FULL_TEXT_MATCH", 3, full_text_match, deterministic=True
        )
        connection.connection.create_function(
            "FULL_TEXT_PREFIX", 3, full_text_prefix, deterministic=True
        )


# The partners' short texts, as PostgreSQL's generated columns fold them (partners
# 0010 and 0029).
PARTNER_SHORT_TEXTS = (
    "partners_partner",
    ("name_fr", "name_en", "original_name", "acronym", "city_fr", "city_en"),
)
# Short texts PostgreSQL keeps folded in a stored, generated column of their table,
# made by a migration (partners/migrations/0010_partner_search_column.py): the
# table and the columns SearchText would fold, and the column holding the result.
STORED_SEARCH_TEXT = {
    PARTNER_SHORT_TEXTS: "search_text",
    # units/migrations/0014_unit_search_words.py
    (
        "units_unit",
        ("name_fr", "name_en", "acronym", "code", "city_fr", "city_en"),
    ): "search_text",
    # programmes/migrations/0011_grant_project_search_words.py
    ("programmes_grant", ("acronym", "title_fr", "title_en")): "search_text",
    ("programmes_project", ("acronym", "title_fr", "title_en")): "search_text",
    # units/migrations/0016_person_search_words.py: directors' and laureates' names
    ("units_person", ("first_name", "last_name")): "search_text",
}


def stored_column(compiler, connection, columns: list, stored: dict) -> str | None:
    """Return the SQL of the column PostgreSQL computes from ``columns``, if any.

    ``stored`` maps (table, column names in order) to a generated column of that
    table (``STORED_SEARCH_TEXT``, ``STORED_SHOWN_TEXT``, ``STORED_WORD_STARTS``).
    None unless ``columns`` are columns of one table, not other expressions.
    """
    if not columns or not all(isinstance(column, Col) for column in columns):
        return None
    aliases = {column.alias for column in columns}
    tables = {column.target.model._meta.db_table for column in columns}
    if len(aliases) != 1 or len(tables) != 1:
        return None
    names = tuple(column.target.column for column in columns)
    if name := stored.get((tables.pop(), names)):
        alias = compiler.quote_name_unless_alias(aliases.pop())
        return f"{alias}.{connection.ops.quote_name(name)}"
    return None


class SearchText(Func):
    """``fields`` joined by spaces, unaccented and lower-cased: what is indexed.

    Literal SQL only (no parameters), so that PostgreSQL sees exactly the expression
    of the trigram index (partners/migrations/0005_search_indexes.py and siblings).
    Where PostgreSQL stores that text in a column (``STORED_SEARCH_TEXT``), the
    column: checking each row the index finds then reads it instead of folding
    six columns again.
    """

    output_field = TextField()

    def __init__(self, *fields):
        super().__init__(*(F(field) for field in fields))

    def as_postgresql(self, compiler, connection, **extra_context):
        columns = self.get_source_expressions()
        if stored := stored_column(compiler, connection, columns, STORED_SEARCH_TEXT):
            return stored, []
        return self.as_sql(compiler, connection, **extra_context)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, field_params = compiler.compile(expression)
            parts.append(f"COALESCE({sql}, '')")
            params.extend(field_params)
        joined = " || ' ' || ".join(parts)
        if connection.vendor == "sqlite":
            return f"FOLD({joined})", params  # see Fold
        return f"LOWER(IMMUTABLE_UNACCENT({joined}))", params


class WordSimilar(Lookup):
    """``text`` is close to some stretch of the left-hand side (typo tolerance)."""

    lookup_name = "word_similar"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        condition = f"WORD_SIMILARITY({rhs}, {lhs}) >= {WORD_SIMILARITY_THRESHOLD}"
        return condition, (*rhs_params, *lhs_params)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # The operator, not the function: only the operator uses the trigram index.
        return f"{rhs} <%% {lhs}", (*rhs_params, *lhs_params)


class FullTextMatch(Lookup):
    """The long texts of one language hold the words of ``text``, stemmed.

    On PostgreSQL: ``to_tsvector(config, search_text) @@ plainto_tsquery(...)``
    over the GIN index of that language. On SQLite, for the demo, the same in
    Python (``full_text_match``): "climats" finds "climat", "researchers"
    "researcher".
    """

    lookup_name = "full_text"
    prepare_rhs = False

    def __init__(self, lhs, rhs, config):
        self.config = config
        super().__init__(lhs, rhs)

    def words(self) -> str:
        """The words typed, space-separated: PostgreSQL's parser would keep
        "cnrs-solvay" and "«mit»" whole, a word the texts must hold as written."""
        return " ".join(typed_words(self.rhs))

    def as_sql(self, compiler, connection):
        lexemes = text_lexemes(self.words(), self.config)
        if not lexemes:
            return "1 = 0", ()
        lhs, lhs_params = self.process_lhs(compiler, connection)
        query = " ".join(sorted(lexemes))
        return f"FULL_TEXT_MATCH({lhs}, %s, %s)", (*lhs_params, query, self.config)

    def as_postgresql(self, compiler, connection):
        vector, params = self.vector(compiler, connection)
        query = f"plainto_tsquery('{self.config}'::regconfig, %s)"
        return f"{vector} @@ {query}", (*params, self.words())

    def vector(self, compiler, connection) -> tuple[str, tuple]:
        """PostgreSQL's ``to_tsvector`` of the document, or the column storing it
        (``STORED_SEARCH_DOCUMENTS``): parsed again for each row read, a word
        most summaries hold cost seconds."""
        columns = self.lhs.get_source_expressions()
        documents = STORED_SEARCH_DOCUMENTS.get(self.config, {})
        if stored := stored_column(compiler, connection, columns, documents):
            return stored, ()
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"to_tsvector('{self.config}'::regconfig, {lhs})", tuple(lhs_params)


# Words typed this long may be the start of a word of the long texts ("math":
# "mathématiques"), when nothing holds them whole: shorter, a start is most words.
PREFIX_MIN_LENGTH = 4


# Plurals this short may be abbreviations whose singular starts the words of the
# long texts ("maths": "mathématiques", "mathematicians").
SHORT_PLURAL_MAX_LENGTH = 6


class FullTextPrefix(FullTextMatch):
    """The long texts of one language hold words starting with the words of
    ``text`` of ``PREFIX_MIN_LENGTH`` letters or more ("math", "nanotech",
    "cimen"), the others whole, or each word stemmed ("Fields medal": the texts
    hold "field" and "medallist"): PostgreSQL's prefix queries
    (``to_tsquery('simple', 'math:* | math')``), over the same GIN index.

    A start is the word as typed, not stemmed: stemmed, a typo started a word
    ("robotiqe", "robotiq": "robotique") and was no longer one.
    """

    lookup_name = "full_text_prefix"

    def terms(self) -> list[str]:
        """The words typed but stop words, each as its alternatives: the word,
        ending in "*" when it is a start, its lexeme when another, and the
        singular of a short plural as a start ("maths": "math*")."""
        terms = []
        for word in typed_words(self.rhs):
            if not (lexeme := _lexeme(word, self.config)):
                continue
            alternatives = [word + ("*" if len(word) >= PREFIX_MIN_LENGTH else "")]
            if lexeme != word:
                alternatives.append(lexeme)
            # Short only: "massachusets" is a typo, no start of "massachuset".
            if (
                len(word) <= SHORT_PLURAL_MAX_LENGTH
                and (one := singular(word)) != word
                and len(one) >= PREFIX_MIN_LENGTH
            ):
                alternatives.append(one + "*")
            terms.append("|".join(dict.fromkeys(alternatives)))
        return terms

    def as_sql(self, compiler, connection):
        terms = self.terms()
        if not terms:
            return "1 = 0", ()
        lhs, lhs_params = self.process_lhs(compiler, connection)
        query = " ".join(sorted(terms))
        return f"FULL_TEXT_PREFIX({lhs}, %s, %s)", (*lhs_params, query, self.config)

    def as_postgresql(self, compiler, connection):
        terms = self.terms()
        if not terms:
            return "1 = 0", ()
        vector, params = self.vector(compiler, connection)
        # Folded letters and digits only (``typed_words``): nothing to quote.
        query = " & ".join(
            "("
            + " | ".join(wanted.replace("*", ":*") for wanted in term.split("|"))
            + ")"
            for term in terms
        )
        return f"{vector} @@ to_tsquery('simple'::regconfig, %s)", (*params, query)


# Words Snowball's stemmers make one lexeme of though they mean different things:
# full-text search found every "international relations" for "relativity", every
# "organization" for "organic", every "university" for "universe". Here, by the
# common word of each stem in the site's texts, the families of its rarer senses: a
# word typed from one of those finds the long texts holding a word of its family,
# whole (``full_text``). The common word is not held to its family: that would
# read again every text it finds (20,000 grants saying "international": 0.17 s to
# 0.46 s), and the rarer words it also finds are few. Folded; each family shares
# the common word's stem (tests/test_stem_families.py).
RARER_SENSES = {
    "english": {
        "units": [{"unite", "united", "unites", "uniting"}],
        "university": [{"universe", "universes"}, {"universal"}],
        "organization": [
            {"organ", "organs"},
            {"organic"},
            {"organism", "organisms"},
        ],
        "relations": [{"relative", "relatives"}, {"relativity"}],
        "international": [{"internal"}, {"intern", "interns"}],
        "information": [{"informal"}],
    },
    "french": {
        "organismes": [{"organe", "organes"}, {"organique", "organiques"}],
        "relations": [{"relatif", "relative", "relatifs", "relatives"}],
        "commun": [{"communication", "communications"}, {"communisme"}],
        "mer": [{"mere", "meres"}],
    },
}
_FAMILY_OF = {
    config: {
        word: family
        for families in senses.values()
        for family in families
        for word in family
    }
    for config, senses in RARER_SENSES.items()
}


def full_text(document_text, text: str, config: str, lookup=FullTextMatch) -> Q:
    """Return the condition of records whose ``document_text`` holds the words of
    ``text`` by ``lookup`` (FullTextMatch, FullTextPrefix), each word typed from
    one of ``RARER_SENSES`` as a word of its family.

    A name joined by an ampersand ("R&D": ``is_joined``) is no lexeme: the parser
    splits it into its letters, which the long texts of most records hold. It is
    held as a whole (``word_pattern``) by the documents the other words find; a
    search of such names alone finds by the short texts only (``text_search``),
    no index serving a pattern over the long texts."""
    words = typed_words(text)
    joined = [word for word in words if is_joined(word)]
    if joined:
        others = [word for word in words if not is_joined(word)]
        if not others:
            return Q(pk__in=[])
        text = " ".join(others)
    condition = Q(lookup(document_text, text, config))
    for word in joined:
        condition &= Q(MatchesPattern(document_text, word_pattern(word)))
    for word in dict.fromkeys(typed_words(text)):
        if family := _FAMILY_OF.get(config, {}).get(word):
            forms = "|".join(sorted(family))
            pattern = f"{WORD_BEFORE}({forms}){WORD_AFTER}"
            condition &= Q(MatchesPattern(document_text, pattern))
    return condition


# Typed words this short (acronyms: "ENS", "MIT", "ERC") must start a word of the
# texts: held anywhere, "ens" found every "sciences" and "erc" every "recherche".
# Longer words may be held inside a word ("klinikum" in "Universitätsklinikum").
WORD_START_MAX_LENGTH = 3
_WORD_START = re.compile(rf"[a-z0-9]{{1,{WORD_START_MAX_LENGTH}}}")
# A word starts the text or follows a character other than a letter or digit of the
# folded Latin alphabet, so that scripts written without spaces (Chinese, Japanese)
# are still searched inside their names.
WORD_BEFORE = "(^|[^a-z0-9])"
WORD_AFTER = "([^a-z0-9]|$)"
_LATIN_ALNUM = re.compile("[a-z0-9]")
# Words names write in full or abbreviated ("University of St Andrews", "Saint
# Petersburg State University", "Washington University in St. Louis"): either
# finds both. Typed in full, the abbreviation counts as a whole word only, lest
# "saint" find every "stanford".
ABBREVIATIONS = {"saint": "st", "sainte": "ste", "mount": "mt"}
_IN_FULL = {short: full for full, short in ABBREVIATIONS.items()}
# Words that stand for each other: the CNRS's international joint units (UMI) were
# renamed International Research Laboratories (IRL) keeping their numbers, and are
# known by either code ("UMI 3757", "IRL 3757"). The other one is a whole word:
# "irl" typed also starts "Irlande".
SAME_WORDS = {"umi": "irl", "irl": "umi"}


class MatchesPattern(Lookup):
    """The left-hand side matches a regular expression (``~``; SQLite: ``REGEXP``).

    On PostgreSQL, pg_trgm's index serves it as it serves ``LIKE``, by the
    trigrams the expression requires.
    """

    lookup_name = "matches_pattern"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        operator = "~" if connection.vendor == "postgresql" else "REGEXP"
        return f"{lhs} {operator} %s", (*lhs_params, self.rhs)


# Words too short for a trigram: a pattern of them narrows no row of a trigram
# index ("eu": the million partners' texts read, 1 s).
TRIGRAM_LENGTH = 3
# Short texts PostgreSQL also keeps with every character other than a letter or
# digit of the folded Latin alphabet made a space, in a generated column indexed
# by trigrams (partners/migrations/0029_partner_search_words_column.py), where a
# short word starts a word of the text as it starts one of pg_trgm's words: "eu"
# gives the trigram " eu", "erc" the trigrams " er" and "erc".
STORED_WORD_STARTS = {PARTNER_SHORT_TEXTS: "search_words"}


class StartsAWord(MatchesPattern):
    """The left-hand side (folded) holds a word starting with ``word``, letters
    and digits of the folded Latin alphabet (``WORD_BEFORE``).

    On PostgreSQL, a word of two or three letters in a text stored word by word
    (``STORED_WORD_STARTS``) is sought there after a space or at the start: the
    same rows, through its index. Two letters give no trigram to the pattern
    ("eu": the million partners' texts were read, 1 s); three give one, found
    inside words too ("erc" in every "recherche": 36,587 of 200,000 partners
    checked for 108 found, where the words' index gives 220). Elsewhere, and for
    the other tables, the pattern.
    """

    lookup_name = "starts_a_word"

    def __init__(self, lhs, word: str):
        super().__init__(lhs, f"{WORD_BEFORE}{word}")
        self.word = word

    def as_postgresql(self, compiler, connection):
        # Not a letter alone: it starts too many words for the index to gain
        # ("b": 188,000 partners, rechecked in 6 s where they were read in 3).
        words = None
        if len(self.word) >= TRIGRAM_LENGTH - 1 and isinstance(self.lhs, SearchText):
            columns = self.lhs.get_source_expressions()
            words = stored_column(compiler, connection, columns, STORED_WORD_STARTS)
        if words is None:
            return self.as_sql(compiler, connection)
        return f"{words} ~ %s", (f"(^| ){self.word}",)


def word_pattern(word: str) -> str | None:
    """Return the regular expression of a folded ``word`` held at a word's start, or
    None for a word held anywhere in a text (see ``holds``).

    Its boundaries (``WORD_BEFORE``, ``WORD_AFTER``) are the only characters
    it matches besides letters and digits of the folded Latin alphabet.
    """
    if is_joined(word):
        # Whole, spaces around the mark or not ("R&D", "R & D"): pg_trgm's trigrams
        # of the letters as words of their own (" r ", " d ") serve it, rechecked.
        pieces = (re.escape(piece) for piece in word.split(JOINED_BY))
        return f"{WORD_BEFORE}{f' ?{JOINED_BY} ?'.join(pieces)}{WORD_AFTER}"
    if same := SAME_WORDS.get(word):
        return f"{WORD_BEFORE}({word}|{same}{WORD_AFTER})"
    if full := _IN_FULL.get(word):
        return f"{WORD_BEFORE}({word}|{full})"
    if short := ABBREVIATIONS.get(word):
        return f"{word}|{WORD_BEFORE}{short}{WORD_AFTER}"
    if _WORD_START.fullmatch(word):
        return f"{WORD_BEFORE}{word}"
    return None


# A unit's code typed without its space ("umi2924", "irl3757"). Its kinds only:
# "co2" is no "co" and "2", "covid19" no "covid" and "19".
_GLUED_CODE = re.compile("(irl|umi|umifre|umr|usr)([0-9]+)")


# Where three letters or more meet digits in a word typed: "MSE2" for the unit
# "<MSE>2". Not fewer: "co" and "2" apart are the "Collège 2" of anything typed "co2".
_LETTERS_DIGITS = re.compile(r"(?<=[^\W\d_]{3})(?=\d)|(?<=\d)(?=[^\W\d_]{3})")


# PostgreSQL's French list (Snowball's) lacks the commonest article: typed, "les"
# names nothing ("les États-Unis" found no country), whatever the texts hold. Nor
# has it "où", nor the words of a question, which the English list has ("what",
# "does", "how"): "que fait le CNRS au Japon" searched "fait" in every record.
TYPED_STOP_WORDS = frozenset(
    {
        "les",
        "où",
        "quoi",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "quand",
        "pourquoi",
        "combien",
        "fait",
        "faire",
    }
)
# The stop words as the lists write them, accents kept ("été", "à"), lower-cased.
STOP_WORDS_WRITTEN = (
    frozenset(word for words in STOP_WORDS.values() for word in words)
    | TYPED_STOP_WORDS
)
STOP_WORDS_FOLDED = frozenset(fold(word) for word in STOP_WORDS_WRITTEN)
# Stop words that a search box only ever takes for acronyms, in any case: "ai"
# (artificial intelligence, not the French "j'ai"), "eu" (the European Union, not
# "il a eu"), "it" (information technology). Searched as any word, alone or not.
ACRONYM_STOP_WORDS = frozenset({"ai", "eu", "it"})
# Stop words of one language that are words of the other, or of their own: the
# French "ours" (a bear), "or" (gold), "but" (a goal), "don" (a gift), the
# English "son" and "aura". Typed alone, they are searched (as before any was
# refused); beside other words, a record need not hold them ("Japan or Korea").
WORDS_OF_THEIR_OWN = frozenset({"ours", "or", "but", "don", "son", "aura"})


def words_as_typed(text: str) -> list[str]:
    """Return the words of ``text`` as ``word_sequence`` splits them, each written
    as typed, its case and accents kept ("L'EU est": ["EU", "est"])."""
    unelided = _ELISION_ANY_CASE.sub(
        " ", letters_joined(undotted(plain_digits(visible(text or ""))))
    )
    return _WORD.findall(unelided)


def _stop_words_typed(text: str) -> list[tuple[str, bool]]:
    """Return each word of ``text`` as typed, and whether it is typed as a stop
    word: a word of the lists as they write it ("été"), or without its accents
    ("ete", "a" for "à"), in any case but capitals.

    Not a word with an accent the stop word lacks: "Lê" (a name) is no "le". Nor
    one in capitals, an acronym ("EU", "WHO", "UN") or an initial (the "T" of
    "Jean T. Dupont"), but a letter alone first ("A study", "À Tokyo") and the
    English "I", which are written so; nor one of ``ACRONYM_STOP_WORDS`` ("ai"),
    in any case.
    """
    words = words_as_typed(text)
    typed = []
    for position, word in enumerate(words):
        lower = word.lower()
        capitals = word.isupper() and (len(word) > 1 or position > 0) and word != "I"
        stop = (
            not capitals
            and lower not in ACRONYM_STOP_WORDS
            and (
                lower in STOP_WORDS_WRITTEN
                or (lower.isascii() and lower in STOP_WORDS_FOLDED)
            )
        )
        typed.append((word, stop))
    return typed


def optional_words(text: str) -> frozenset[str]:
    """Return the words of ``text`` (folded) that a record need not hold to be
    found: its stop words as typed (``_stop_words_typed``), when it has others.

    "à Nairobi", "in Tokyo", "the university of Tokyo": the records holding
    "Nairobi", "Tokyo", "university" and "Tokyo", whether their texts say "à",
    "in", "the" or "of" or not; those whose names start with the words typed, stop
    words too, still come first (``best_matches_first``). A stop word in capitals
    is an acronym ("EU projects": "eu" must be held), and stop words alone are
    what is searched ("The").
    """
    typed = _stop_words_typed(text)
    stop = {fold(word) for word, is_stop in typed if is_stop}
    others = {fold(word) for word, is_stop in typed if not is_stop}
    return frozenset(stop - others) if others else frozenset()


def searched_words(text: str) -> list[str]:
    """Return the words of ``text`` that a record must hold to be found: its
    ``typed_words`` but the ``optional_words``."""
    optional = optional_words(text)
    return [word for word in typed_words(text) if word not in optional]


def after_stop_words(text: str) -> list[str]:
    """Return the ``typed_words`` of ``text`` from the first one a record must
    hold ("the university of tokyo": "university", "of", "tokyo"; ``optional_words``):
    how the names meant start."""
    words = typed_words(text)
    optional = optional_words(text)
    first = next((i for i, word in enumerate(words) if word not in optional), 0)
    return words[first:]


def common_words_only(text: str) -> bool:
    """Tell whether ``text`` is made of stop words alone, typed as such: every word
    in lower case and a French or English stop word as written ("the", "of the",
    "de la", "été"; ``_stop_words_typed``), or in capitals ("DE", "WHO", "the
    UN": ``code_of_a_stop_word``), one of two letters or more. Too common to
    search by, they start a word of most texts: a search finds only the records
    whose code they are (``coded``), and the pages refuse them when none has.

    Not a word typed with a capital letter first, a name ("Est", "Ma", "He"), nor
    with an accent the stop word lacks ("Lê"), nor an acronym in any case ("ai",
    "EU": ``ACRONYM_STOP_WORDS``), nor a word of its own ("ours":
    ``WORDS_OF_THEIR_OWN``); nor a code dotted ("e.u.") or typed letter by letter
    ("w h o", "M I T", "c n r s": ``code_typed_apart``); nor letters alone, which
    are initials ("%m%i%t": "m", "i" and "t" are stop words, and start the words
    of "Massachusetts Institute of Technology"); letters joined by an
    ampersand are a word of their own ("AT&T": ``is_joined``)."""
    if code_typed_apart(text):
        return False
    typed = _stop_words_typed(text)
    return any(len(word) > 1 for word, _stop in typed) and all(
        (stop and word.islower() and word not in WORDS_OF_THEIR_OWN)
        or code_of_a_stop_word(word)
        for word, stop in typed
    )


def code_of_a_stop_word(word: str) -> bool:
    """Tell whether ``word`` is a stop word typed in capitals, two letters or
    more ("DE", "THE", "WHO"): a code, which a record has or none ("WHO" is the
    World Health Organization's, "DE" nothing's), not a word that texts hold. Not
    one of ``ACRONYM_STOP_WORDS`` nor of ``WORDS_OF_THEIR_OWN`` ("EU", "OR":
    searched as any word), nor one with an accent the stop word lacks ("LÊ")."""
    lower = word.lower()
    return (
        len(word) > 1
        and word.isupper()
        and lower not in ACRONYM_STOP_WORDS
        and lower not in WORDS_OF_THEIR_OWN
        and (
            lower in STOP_WORDS_WRITTEN
            or (lower.isascii() and lower in STOP_WORDS_FOLDED)
        )
    )


# Articles typed before a code ("the WHO", "le MIT"): the code is then the rest.
ARTICLES = frozenset({"the", "a", "an", "le", "la", "les"})


def code_forms(text: str) -> list[str]:
    """Return the codes ``text`` may be typing: as typed; its words without their
    dots or an elided article ("W.H.O.": "who", "l'EU": "eu"); its letters typed
    apart, together ("E U": "EU"); without an article before ("the UN": "un")."""
    words = word_sequence(text)
    forms = [text.strip(), " ".join(words), code_typed_apart(text)]
    if len(words) > 1 and words[0] in ARTICLES:
        forms.append(" ".join(words[1:]))
    return [form for form in dict.fromkeys(forms) if form]


def without_stop_words(text: str) -> str:
    """Return the words of ``text`` but its French and English stop words ("the
    university of pennsylvania": "university pennsylvania"), or ``text`` itself
    when it has none, or nothing else: what a search tries when nothing holds
    every word typed, as full-text search leaves them out of long texts."""
    words = typed_words(text)
    kept = [word for word in words if word not in STOP_WORDS_FOLDED]
    return " ".join(kept) if kept and len(kept) < len(words) else text


def phrase_words(text: str) -> tuple[str, ...]:
    """Return the words of ``text`` as a phrase is looked for among the words
    typed (``phrases_among``): folded, stop words left out ("Institut de chimie":
    ("institut", "chimie"))."""
    return tuple(word for word in word_sequence(text) if word not in STOP_WORDS_FOLDED)


def phrases_among(words: list[str], phrases) -> tuple[list[tuple[str, ...]], list[int]]:
    """Return the ``phrases`` (tuples of folded words, stop words left out) that
    ``words`` (folded, ``word_sequence``) hold, the longest first, and the
    positions of the words left: "organismes de recherche au japon" holds
    ("organismes", "recherche"), and leaves "de", "au" and "japon"."""
    longest = max((len(phrase) for phrase in phrases), default=0)
    kept = [i for i, word in enumerate(words) if word not in STOP_WORDS_FOLDED]
    found, used, start = [], set(), 0
    while start < len(kept):
        for length in range(min(longest, len(kept) - start), 0, -1):
            run = tuple(words[i] for i in kept[start : start + length])
            if run in phrases:
                found.append(run)
                used.update(kept[start : start + length])
                start += length
                break
        else:
            start += 1
    return found, [i for i in range(len(words)) if i not in used]


def singular(word: str) -> str:
    """Return a folded ``word`` without its plural ending, for a text to hold it
    anywhere: "universites" holds in "université", "universities" as "universit"
    in "university" (and "université"), "bureaux" as "burea" in "bureau". Words of
    fewer than five letters, with digits, or ending in "ss", are kept."""
    if len(word) < 5 or not word.isalpha() or word.endswith("ss"):
        return word
    if word.endswith(("ies", "aux")):
        return word[:-3] if word.endswith("ies") else word[:-2]
    return word[:-1] if word.endswith(("s", "x")) else word


def singular_forms(word: str) -> list[str]:
    """Return the words a folded ``word`` may be the plural of ("universities":
    "university", "bureaux": "bureau", "nationaux": "national"), or none."""
    if singular(word) == word:
        return []
    forms = [word[:-1]]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("aux"):
        forms.append(word[:-3] + "al")
    return forms


def singular_words(text: str, known=None) -> str:
    """Return the words of ``text``, each plural one in the singular, or ``text``
    itself when none is: what a search tries when nothing holds the words typed
    ("universités au japon": the names say "Université").

    ``known(forms)``: those of the singular forms (``singular_forms``) the texts
    searched hold as words, of which each plural takes the first: a word ending
    in "s" may be none ("massachusets", a typo); a short one takes its first
    anyway ("maths": "math"). Without it, its ending is cut (``singular``).
    """
    words = word_sequence(text)
    forms = {word: singular_forms(word) for word in words}
    if not any(forms.values()):
        return text
    if known is None:
        singulars = [singular(word) for word in words]
    else:
        held = known([form for word_forms in forms.values() for form in word_forms])
        # A short plural may be an abbreviation no text holds whole ("maths").
        singulars = [
            next(
                (
                    form
                    for form in forms[word]
                    if form in held or len(word) <= SHORT_PLURAL_MAX_LENGTH
                ),
                word,
            )
            for word in words
        ]
    return " ".join(singulars) if singulars != words else text


# A hyphen between two letters or digits ("E2-P2L", "Paris-Saclay").
_HYPHEN = re.compile(r"(?<=[^\W_])[-‐‑](?=[^\W_])")


# Digits written above or below the line ("MSE²", "CO₂"), which PostgreSQL's
# unaccent keeps as they are.
_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉", "0123456789" * 2)


def plain_digits(text: str) -> str:
    """Return ``text`` with its superscript and subscript digits written plainly
    ("MSE²": "MSE2"), as the words typed are searched (``word_sequence``)."""
    return text.translate(_PLAIN_DIGITS)


def code_typed_apart(text: str) -> str | None:
    """Return the code ``text`` types in pieces, written together ("C N R S":
    "CNRS", "E2 P2L": "E2P2L"), or None: it holds other words."""
    whole = spaces_left_out(text)
    return whole if len(whole.split()) == 1 < len(text.split()) else None


def code_shapes(text: str) -> list[str]:
    """Return the other shapes the codes of ``text`` may be written in, those
    whose words differ from its own: letters apart from digits ("MSE2", "MSE²":
    "MSE 2"), hyphens left out ("E2-P2L": "E2P2L"), spaces left out ("E2 P2L")."""
    plain = plain_digits(text)
    shapes = (
        letters_apart_from_digits(plain),
        hyphens_left_out(plain),
        spaces_left_out(plain),
    )
    typed = word_sequence(text)
    return [shape for shape in dict.fromkeys(shapes) if word_sequence(shape) != typed]


def hyphens_left_out(text: str) -> str:
    """Return ``text`` without the hyphens inside its words ("E2-P2L": "E2P2L"):
    what a search tries when nothing holds the words typed apart."""
    return _HYPHEN.sub("", text)


# A piece of a code typed apart: a short word mixing letters and digits ("E2",
# "P2L"), or a single letter or digit ("C N R S").
_CODE_PIECE = re.compile(r"[^\W_]|(?=[^\W_]{0,4}\d)(?=[^\W_]{0,4}[^\W\d_])[^\W_]{2,5}")


def spaces_left_out(text: str) -> str:
    """Return ``text`` with the pieces of a code typed apart written together
    ("E2 P2L": "E2P2L", "C N R S": "CNRS"): what a search tries when nothing
    holds the words typed apart. "IRL 2958", "labo E2" and "tokyo 2" stay apart.
    """
    parts: list[list[str]] = []  # runs of pieces, and single other words
    for word in text.split():
        piece = bool(_CODE_PIECE.fullmatch(word))
        if piece and parts and parts[-1][0] == "piece":
            parts[-1].append(word)
        else:
            parts.append(["piece" if piece else "word", word])
    if all(len(part) == 2 for part in parts):
        return text
    return " ".join("".join(words) for _kind, *words in parts)


def letters_apart_from_digits(text: str) -> str:
    """Return ``text`` with three letters or more and digits typed together written
    apart ("MSE2": "MSE 2"): what a search tries when nothing holds the words typed."""
    return _LETTERS_DIGITS.sub(" ", text)


def holds(text, word: str, whole: bool = False) -> Q:
    """Return the condition of ``text`` (an expression, folded) holding ``word``.

    ``word`` is folded: a short one of letters and digits starts a word of the
    text, any other is anywhere in it (``LIKE``, which pg_trgm serves best); an
    abbreviation and its word in full (``ABBREVIATIONS``) find each other, and so
    do ``SAME_WORDS`` ("IRL 2924": "UMI 2924"). A unit's code glued to its number
    is also found apart ("umi2924": "UMI 2924"). ``whole``: a longer word is a
    word of the text, not inside one (a country named: "chine", not "machine").
    """
    condition = _holds_word(text, word, whole)
    if glued := _GLUED_CODE.fullmatch(word):
        condition |= _holds_word(text, glued[1]) & _holds_word(text, glued[2])
    return condition


def _holds_word(text, word: str, whole: bool = False) -> Q:
    if (pattern := word_pattern(word)) == f"{WORD_BEFORE}{word}":
        return Q(StartsAWord(text, word))
    if pattern:
        return Q(MatchesPattern(text, pattern))
    if whole:
        return Q(MatchesPattern(text, f"{WORD_BEFORE}{re.escape(word)}{WORD_AFTER}"))
    return Q(Contains(text, word))


def text_search(
    text: str, text_fields, document_fields: dict | None = None, whole_words=False
) -> Q:
    """Return the condition of records matching ``text``; see the module docstring.

    ``text_fields``: short texts, every language column named (``name_fr``,
    ``name_en``), searched as one string. ``document_fields``: long texts by
    PostgreSQL text search configuration, e.g. ``{"french": ("summary_fr",)}``,
    each searched with the short texts (``document``). ``whole_words``: the
    short texts hold each word whole (``holds``).

    The words typed are its letters and digits: "paris-saclay" finds "Paris
    Saclay" as "paris saclay" finds "Paris-Saclay". Its stop words are not
    required beside other words ("à Nairobi": ``searched_words``). Empty text
    matches every record, punctuation alone none.
    """
    if not fold(text).strip():
        return Q()
    words = searched_words(text)
    if not words:
        return Q(pk__in=[])
    short = SearchText(*text_fields)
    condition = reduce(
        operator.and_, (holds(short, word, whole_words) for word in words)
    )
    searched = " ".join(words)
    for config, fields in (document_fields or {}).items():
        condition |= full_text(document(text_fields, fields), searched, config)
    return condition


def document(text_fields, fields) -> SearchText:
    """The text full-text search reads: the short texts, then one language's long ones.

    With the names in it, words found in a unit's name and others in its description
    find it ("JFLI informatique", "climats arctique" for Takuvik, named for the
    Arctic, whose description speaks of climate), stemmed as the long texts are.
    The search indexes of PostgreSQL are built on this very expression.
    """
    return SearchText(*text_fields, *fields)


def words_apart_search(
    text: str, text_fields, document_fields: dict, related=None
) -> Q | None:
    """Return the condition of records holding each word of ``text`` in any of their
    texts, short or long, or None when it would find no other than ``text_search``.

    What ``text_search`` does not find: a word within a word of the names and
    another in a description, words in the French texts and others in the English
    ones, a grant's laureate and its summary ("lovelace quantum"). The stop words of the
    documents' languages ("de", "the") are left out, as full-text search leaves them
    out of its query, and those typed beside other words (``searched_words``): every
    record ``text_search`` finds is found. Tried only when
    that finds nothing: on PostgreSQL each row the indexes give is checked word by
    word, its long texts parsed again for each word its names lack (0.5 ms became
    15 ms for three words among 4,000 projects). ``related``: the words' conditions
    on related records (a grant's laureate: "lovelace quantum"), a function of the
    words giving each one's condition, read in one query for them all.
    """
    kept = words_held_apart(text, document_fields)
    if len(typed_words(text)) < 2 or not kept or not document_fields:
        return None
    return reduce(
        operator.and_, word_conditions(kept, text_fields, document_fields, related)
    )


def words_held_apart(text: str, document_fields: dict) -> list[str]:
    """Return the words of ``text`` that a record holding each word apart holds
    (``words_apart_search``, ``most_words_search``): its ``searched_words`` but
    the stop words of the documents' languages, which full-text search leaves
    out of its query."""
    stop = set().union(*(STOP_WORDS.get(config, ()) for config in document_fields))
    return [word for word in searched_words(text) if word not in stop]


def word_conditions(
    words: list[str], text_fields, document_fields: dict, related=None
) -> list[Q]:
    """Return, for each of ``words`` (folded), the condition of the records
    holding it in one of their texts: the short ones (``holds``), one language's
    long ones (``full_text``), or a related record's (``related``: a function of
    the words giving each one's condition, as ``words_apart_search`` takes)."""
    short = SearchText(*text_fields)
    related_conditions = related(words) if related else {}
    return [
        reduce(
            operator.or_,
            [holds(short, word)]
            + [
                full_text(document(text_fields, fields), word, config)
                for config, fields in document_fields.items()
            ]
            + ([related_conditions[word]] if related else []),
        )
        for word in words
    ]


# A search of this many words or more (``words_held_apart``: its stop words not
# counted) that nothing holds, not even nearly, finds the records holding all of
# them but one (``most_words_search``): with fewer, one word is half the search.
MOST_WORDS_FROM = 3
# Nor past this many: the condition names each word once per word left out, n
# times n - 1 conditions (8 words: 56), and so many words typed are rather a
# sentence pasted, which fewer words would search better.
MOST_WORDS_AT_MOST = 8


def most_words_search(conditions: list[Q]) -> Q:
    """Return the condition of the records meeting every one of ``conditions``
    (``word_conditions``) but one at most: each left out in turn, the n searches
    united. Each is the words' own search, served by the same indexes (trigrams,
    full-text documents), so that no row is read that none of them finds;
    counting the conditions met for each row ("at least n - 1") would read every
    row that holds any one word ("university": hundreds of thousands)."""
    return reduce(
        operator.or_,
        (
            reduce(operator.and_, conditions[:left_out] + conditions[left_out + 1 :])
            for left_out in range(len(conditions))
        ),
    )


def most_words_meant(text: str, suggestions: list[str], most_words):
    """Return the text whose records holding all its words but one a search
    shows, with what ``most_words`` gives for it, or None: ``most_words`` is a
    function of a text returning those records (and what goes with them) and
    the words, folded, that none of them holds, or None when none are.

    The words as typed, unless none of their records holds a word that one of
    ``suggestions`` (the words likely meant, likeliest first, none of which
    finds anything) corrects, or they have none: then the first suggestion
    that has some ("Universty of Tokyo Kyoto": the universities of Tokyo and
    Kyoto, holding all the words of "University of Tokyo Kyoto" but one; as
    typed, "Universty" was left out first, and only a centre holding "Tokyo"
    and "Kyoto" shown). A word held as typed by some of them is no slip:
    "shales", a word of a unit's description, is not Thales. At most one
    search of the words typed and one per suggestion (two at most:
    ``suggested_texts``).
    """
    typed = most_words(text)
    if typed is not None and not any(
        typed[1] & corrected_words(text, suggestion) for suggestion in suggestions
    ):
        return text, typed[0]
    for suggestion in suggestions:
        if (corrected := most_words(suggestion)) is not None:
            return suggestion, corrected[0]
    return (text, typed[0]) if typed is not None else None


def corrected_words(text: str, suggestion: str) -> set[str]:
    """Return the words of ``text`` (folded) that ``suggestion`` corrects."""
    suggested = set(typed_words(suggestion))
    return {word for word in typed_words(text) if word not in suggested}


def typo_search(text: str, text_fields) -> Q:
    """Return the condition of records whose short texts nearly hold ``text``.

    Names joined by an ampersand ("A&M": ``is_joined``) are held as typed, the
    other words nearly: pg_trgm would compare their letters as words apart."""
    folded = fold(text).strip()
    if not folded:
        return Q()
    short = SearchText(*text_fields)
    words = typed_words(text)
    if not any(is_joined(word) for word in words):
        return Q(WordSimilar(short, folded))
    held = [holds(short, word) for word in words if is_joined(word)]
    if others := " ".join(word for word in words if not is_joined(word)):
        held.append(Q(WordSimilar(short, others)))
    return reduce(operator.and_, held)


# Tables of the distinct words of a table's stored search text, made and kept up to
# date by PostgreSQL (partners/migrations/0011_partner_search_words.py,
# units/migrations/0014_unit_search_words.py,
# programmes/migrations/0011_grant_project_search_words.py, and for people's names
# units/migrations/0016_person_search_words.py).
SEARCH_WORDS = {
    "partners_partner": "partners_search_word",
    "units_unit": "units_unit_search_word",
    "programmes_grant": "programmes_grant_search_word",
    "programmes_project": "programmes_project_search_word",
    "units_person": "units_person_search_word",
}
# Tables of the distinct words of a table's long texts (``document_fields``: a
# unit's description and themes, a grant's or project's summary, an office's role),
# in both languages, made and kept up to date by PostgreSQL as ``SEARCH_WORDS``
# (``document_words_statements`` in partners/pg_indexes.py; partners 0034, units
# 0023, programmes 0024), and the columns they are the words of. Not for near
# misses, which correct the short texts' words: for the words a search likely meant
# ("robtique": "robotique", a theme of units whose names do not say it), written
# as the long texts write them (``suggested_texts``).
DOCUMENT_WORDS = {
    "units_unit": "units_unit_document_word",
    "programmes_grant": "programmes_grant_document_word",
    "programmes_project": "programmes_project_document_word",
    "partners_office": "partners_office_document_word",
}
DOCUMENT_WORD_COLUMNS = {
    "units_unit": ("description_fr", "description_en", "themes_fr", "themes_en"),
    "programmes_grant": ("summary_fr", "summary_en"),
    "programmes_project": ("summary_fr", "summary_en"),
    "partners_office": ("role_fr", "role_en"),
}
# Every table of known words a suggestion is drawn from: the short texts' first,
# whose words win a tie (``suggested_texts``).
SUGGESTED_WORDS = (*SEARCH_WORDS.values(), *DOCUMENT_WORDS.values())
# How many known words may stand for one typed word: its closest ones, by trigrams;
# more when those find nothing ("universite" for "Universidade de São Paulo", where
# "universita", "university", "universitet" … are closer).
CORRECTIONS_PER_WORD = 5
MORE_CORRECTIONS_PER_WORD = 20


@contextmanager
def search_words_added_by_caller(connection):
    """Within it, PostgreSQL's triggers leave the words of every table of
    ``SEARCH_WORDS`` and ``DOCUMENT_WORDS`` to ``add_search_words``.

    For bulk writes in a transaction (COPY of thousands of rows): a trigger per row
    would add their words one row at a time. The caller adds them at the end.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # is_local: undone with the transaction, or its savepoint, if it fails.
        cursor.execute("SELECT set_config('partners.search_words', 'deferred', true)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('partners.search_words', '', true)")


def add_search_words(connection, pks, table: str = "partners_partner") -> None:
    """Add the words of the records ``pks`` (a list, or a range) of ``table`` (one
    of ``SEARCH_WORDS``) to its table of words, and those of their long texts to
    theirs (``DOCUMENT_WORDS``)."""
    if connection.vendor != "postgresql" or not pks:
        return
    if isinstance(pks, range):
        where, params = "id >= %s AND id < %s", [pks.start, pks.stop]
    else:
        where, params = "id = ANY(%s)", [list(pks)]
    texts = {SEARCH_WORDS[table]: "search_text"}
    if table in DOCUMENT_WORDS:
        texts[DOCUMENT_WORDS[table]] = folded_sql(*DOCUMENT_WORD_COLUMNS[table])
    with connection.cursor() as cursor:
        for words, text in texts.items():
            rows = (
                f"(SELECT {text} AS search_text FROM {table} WHERE {where}) AS written"
            )
            cursor.execute(
                f"INSERT INTO {words} (word) {words_of(rows)} ON CONFLICT DO NOTHING",
                params,
            )


# The addresses an ORCID iD is pasted with, or the word naming it ("ORCID
# 0000-0002-1825-0097"), in any case (``without_address``).
ORCID_LINKS = ("https://orcid.org/", "http://orcid.org/", "orcid.org/", "orcid ")


def without_address(text: str, addresses) -> str:
    """Return the identifier in ``text``, typed alone or pasted with one of
    ``addresses`` (its page's, in any case: "https://ror.org/02feahw73/",
    "CORDIS 634674"), without a final slash. What is left is not checked."""
    value = text.strip()
    for address in addresses:
        if value.lower().startswith(address):
            value = value[len(address) :]
    return value.removesuffix("/")


def holds_no_word(text: str) -> bool:
    """Whether ``text`` is punctuation only ("'", "-"): something typed, no word."""
    return bool(text.strip()) and not any(char.isalnum() for char in text)


# How close a typed word must be to a word of a name to be taken for it, misspelt
# (difflib's ratio: "chnie" for "chine" is 0.8, "japn" for "japon" 0.89).
SLIP_RATIO = 0.8
SLIP_MIN_LENGTH = 4


def _word_found(
    typed: str, words: list[str], stems: bool = False, whole: bool = False
) -> int | None:
    """Return 0 if ``typed`` starts one of ``words``, 1 if it nearly is one, or None.

    An abbreviation and its word in full (``ABBREVIATIONS``) are the same word, and
    so are ``SAME_WORDS``; ``stems``: so are words of one stem (``_stems``).
    ``whole``: ``typed`` is a word of its own, which names by one of ``words``
    whole, not by its start ("sao", the start of "saoudite").
    """
    if any(word == typed if whole else word.startswith(typed) for word in words):
        return 0
    if (full := _IN_FULL.get(typed)) and any(word.startswith(full) for word in words):
        return 0
    if (short := ABBREVIATIONS.get(typed)) and short in words:
        return 0
    if (same := SAME_WORDS.get(typed)) and same in words:
        return 0
    # The same word in another form, its stem in French or English: "biology"
    # names the Institute of Biological Sciences, "mathematics" the institute
    # of "sciences mathématiques".
    # Not for every name: "units" and "United States" share the stem "unit".
    if stems and len(typed) >= SLIP_MIN_LENGTH and (typed_stems := _stems(typed)):
        if any(
            typed_stems & _stems(word) for word in words if len(word) >= SLIP_MIN_LENGTH
        ):
            return 0
    # Both words long enough: "univ", the start of "university", is not a slip of
    # the "Uni" of "Royaume-Uni".
    if len(typed) >= SLIP_MIN_LENGTH and any(
        len(word) >= SLIP_MIN_LENGTH and is_slip(typed, word) for word in words
    ):
        return 1
    return None


@functools.lru_cache(maxsize=65536)
def _stems(word: str) -> frozenset[str]:
    """Return the stems of a folded word in French and English (``_lexeme``)."""
    return frozenset(filter(None, (_lexeme(word, config) for config in _STEMMERS)))


def is_slip(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with a slip (difflib's ratio ≥ ``SLIP_RATIO``)
    or with two neighbouring letters swapped ("crns" for "cnrs").

    The ratio's two upper bounds first, by the words' lengths then their letters,
    as ``difflib.get_close_matches`` does: the same answers, sooner. The ratio of
    every word of every country's names took 20 to 40 ms of each global search.
    """
    # real_quick_ratio() and quick_ratio() as difflib computes them, without
    # making a matcher for each word. A swap passes both.
    length = len(typed) + len(word)
    if 2.0 * min(len(typed), len(word)) / length < SLIP_RATIO:
        return False
    if 2.0 * (_letters(typed) & _letters(word)).total() / length < SLIP_RATIO:
        return False
    if len(typed) == len(word) and word in swapped_letters(typed):
        return True
    return difflib.SequenceMatcher(None, typed, word).ratio() >= SLIP_RATIO


# Typed words this long at most are short: their slip is a letter wrong, missing,
# extra or swapped, and not the first one (``plausible_slip``).
SHORT_SLIP_LENGTH = 5
# Then as many letters as a word of this length at most may have wrong, missing,
# extra or swapped: 2, and 3 beyond ("arctique" for "arctic", "turbulemce" for
# "turbulentes", "universite" for "universidade").
MEDIUM_SLIP_LENGTH = 7


def plausible_slip(typed: str, word: str) -> bool:
    """Whether the known ``word`` may correct ``typed`` (both folded): as many
    letters wrong, missing, extra or swapped (``edit_distance``) as the length
    typed allows, 1 up to ``SHORT_SLIP_LENGTH`` letters, then 2, then 3; or,
    typed longer, the same word but for its ending.

    A trigram similarity of 0.3 took "compas" for "computer", "nippon" for
    "niphr", "weiss" for "wei" and "thales" for "thao". A short word's first
    letter is kept, unless swapped with the second: "avila" is not "vila", but
    "tokio" is "tokyo" and "crns" "cnrs".
    """
    if len(typed) <= SHORT_SLIP_LENGTH:
        if word in swapped_letters(typed):
            return True
        return typed[:1] == word[:1] and edit_distance(typed, word) <= 1
    most = 2 if len(typed) <= MEDIUM_SLIP_LENGTH else 3
    if abs(len(typed) - len(word)) > most:
        return False
    # A long word with another ending, another language's: all but its last two
    # letters typed ("universte": "universidad").
    if len(typed) > MEDIUM_SLIP_LENGTH and word.startswith(typed[:-2]):
        return True
    return edit_distance(typed, word) <= most


def swapped_letters(word: str) -> list[str]:
    """Return ``word`` with each two neighbouring letters swapped, in turn
    ("crns": "rcns", "cnrs", "crsn").

    The commonest slip in typing, and the one trigrams forgive least: "crns" and
    "cnrs" share one trigram in nine (0.11), "tahles" and "thales" 0.27.
    """
    return [
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    ]


@functools.lru_cache(maxsize=8192)
def _letters(word: str) -> Counter:
    return Counter(word)


@functools.lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[str, tuple[str, ...]]:
    """Return a name's folded text and its words: names are ranked again and again
    (every country's at each global search)."""
    words = tuple(typed_words(name))
    return " ".join(words), words


def name_rank(
    typed: list[str],
    names: list[str],
    stems: bool = False,
    whole: frozenset[str] = frozenset(),
) -> int | None:
    """Rank how ``names`` (a record's names and acronyms) answer the words ``typed``
    (``typed_words``), or None.

    0: one of the names is the text; 1: each typed word starts a word of the names
    (``stems``: or has the stem of one; those of ``whole`` is one); 2: some typed
    word nearly does. None: a typed word is in none of them.
    """
    if not typed:
        return None
    folded = " ".join(typed)
    names = [_name_words(name) for name in names if name]
    if any(name == folded for name, _words in names):
        return 0
    words = [word for _name, name_words in names for word in name_words]
    worst = 0
    for word in typed:
        found = _word_found(word, words, stems, word in whole)
        if found is None:
            return None
        worst = max(worst, found)
    return 1 + worst


# ``name_rank`` of names holding a slip of a word typed ("japn", "horizn").
NEARLY_NAMED = 2


def best_named(
    text: str,
    items,
    names_of,
    slips: bool = True,
    stems: bool = False,
    whole: frozenset[str] = frozenset(),
) -> list:
    """Return the ``items`` whose names (``names_of(item)``) answer ``text``.

    Best first (``name_rank``), in their given order among equals. ``slips``: also
    those whose names nearly hold a word typed (``NEARLY_NAMED``); ``stems``: a
    word typed in another form of a word of the names answers it; ``whole``: the
    words typed that are words of their own, which answer a word of the names
    whole, not its start.
    """
    typed = typed_words(text)
    ranked = [(name_rank(typed, names_of(item), stems, whole), item) for item in items]
    worst = NEARLY_NAMED if slips else NEARLY_NAMED - 1
    # Stop words alone name only what they are the whole name of ("US"): "the"
    # named the Democratic Republic of the Congo, "et" Ethiopia and Estonia.
    if all(word in STOP_WORDS_FOLDED for word in typed):
        worst = 0
    found = [
        (rank, item) for rank, item in ranked if rank is not None and rank <= worst
    ]
    return [item for _rank, item in sorted(found, key=lambda pair: pair[0])]


def found_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Return where ``text`` holds the words of ``query``: (start, end) in ``text``.

    As the search finds them, accents and case ignored, in order and merged; each
    character of ``text`` folded alone, so that positions in the folded text lead
    back to the characters shown.

    Stop words are not marked beside other words: "du" of "Afrique du Sud" in
    "Bureau du CNRS", "de" inside "des".
    """
    words = typed_words(query)
    if not text or not words:
        return []
    words = [word for word in words if word not in STOP_WORDS_FOLDED] or words
    # A plural is found in the singular ("universités": "Université",
    # ``singular_words``).
    words += [form for word in words for form in singular_forms(word)]
    # A code glued to its number is found apart too ("umi2924": "UMI 2924").
    words += [
        part
        for word in words
        if (glued := _GLUED_CODE.fullmatch(word))
        for part in glued.groups()
    ]
    whole = fold(text)
    # Letters and digits typed together are found apart ("mse2": "<MSE>2",
    # ``letters_apart_from_digits``) in a text that does not hold them together.
    words += [
        part
        for word in words
        if len(parts := letters_apart_from_digits(word).split()) > 1
        and not re.search(_marked_pattern(word)[0], whole)
        for part in parts
    ]
    patterns = [
        (pattern, bounded)
        for pattern, bounded in map(_marked_pattern, words)
        if re.search(pattern, whole)
    ]
    if not patterns:  # most texts of a page: no need to fold them a letter at a time
        return []
    folded, origins = [], []
    for position, character in enumerate(text):
        for folded_character in fold(character):
            folded.append(folded_character)
            origins.append(position)
    folded = "".join(folded)
    spans = []
    for pattern, bounded in patterns:
        for match in re.finditer(pattern, folded):
            start, end = match.span()
            if bounded:  # the boundary characters around the word are not marked
                while start < end and not _LATIN_ALNUM.fullmatch(folded[start]):
                    start += 1
                while end > start and not _LATIN_ALNUM.fullmatch(folded[end - 1]):
                    end -= 1
            if start < end:
                spans.append((origins[start], origins[end - 1] + 1))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked_pattern(word: str) -> tuple[str, bool]:
    """Return the pattern of ``word`` in a folded text, and whether its matches may
    hold a boundary character around the word (``found_spans``)."""
    if pattern := word_pattern(word):
        return pattern, True
    return re.escape(word), False


# French elides "le", "de", "que"… before a vowel: "l'université", "d’Alembert". The
# letter alone is no word to look for (a short word must start a word of the text,
# and "l" starts none of "Université de Tel-Aviv").
_ELISION = re.compile(r"(?<![^\W_])(?:qu|[cdjlmnst])['’ʼ‘](?=[^\W_])")
_ELISION_ANY_CASE = re.compile(_ELISION.pattern, re.IGNORECASE)
# Short runs of letters or digits joined by an ampersand: a name, one word ("Texas
# A&M", "R&D", "AT&T", "S&P 500"), as typed and as texts write it, where its
# letters apart each started a word of most texts ("r" and "d": "Research",
# "Royaume d’Eswatini"). Pieces of an initialism's length (``WORD_START_MAX_LENGTH``):
# "Arts&Métiers" is two words typed without spaces. A hyphen or a dash still sets
# words apart, and dots make an acronym (``undotted``).
JOINED_BY = "&"
_PIECE = rf"[^\W_]{{1,{WORD_START_MAX_LENGTH}}}"
_JOINED = rf"(?<![^\W_]){_PIECE}(?:{JOINED_BY}{_PIECE})+(?![^\W_{JOINED_BY}])"
# A word: letters and digits of any script, or a name joined by an ampersand.
_WORD = re.compile(rf"{_JOINED}|[^\W_]+")


# Two letters alone on each side of an ampersand, typed with spaces ("R & D", "A & M"),
# as texts write them too: the same name as "R&D", where the letters apart were
# refused as single letters. Not longer words: "PME & ETI" are two.
_JOINED_APART = re.compile(rf"(?<![^\W_])([^\W_])\s*{JOINED_BY}\s*([^\W_])(?![^\W_])")


def letters_joined(text: str) -> str:
    """Return ``text`` with letters set apart around an ampersand joined ("R & D":
    "R&D")."""
    return _JOINED_APART.sub(rf"\1{JOINED_BY}\2", text)


def is_joined(word: str) -> bool:
    """Whether a word (``word_sequence``) is letters joined by an ampersand ("r&d"):
    a name held as such, never its letters apart (``word_pattern``, ``full_text``)."""
    return JOINED_BY in word


# Letters alone, each followed by a dot ("U.S.", "E.N.S."): one word, an acronym, as
# it is typed without them; "U.S. office" searched a "u" and an "s".
_DOTTED = re.compile(r"(?<![^\W_])[^\W\d_](?:\.[^\W\d_])+\.?(?![^\W_])")


def undotted(text: str) -> str:
    """Return ``text`` with its dotted acronyms written in capitals without their
    dots ("u.s. office": "US office"): the dots say it is one."""
    return _DOTTED.sub(lambda match: match[0].replace(".", "").upper(), text)


def dotted_acronyms(text: str) -> tuple[list[str], str]:
    """Return the dotted acronyms of ``text`` folded, as a text writes them
    ("u.s"), and its other words: what a search tries when nothing holds the
    acronym, for texts that write it dotted ("U.S. Geological Survey"). Their
    letters apart found any "u" and "s" starting words ("Union", "Science")."""
    acronyms = [fold(match[0]).rstrip(".") for match in _DOTTED.finditer(text)]
    return acronyms, _DOTTED.sub(" ", text)


def dotted_search(acronyms: list[str], text_fields) -> Q:
    """Return the condition of records whose short texts write ``acronyms``
    dotted (``dotted_acronyms``)."""
    short = SearchText(*text_fields)
    return reduce(operator.and_, (Q(Contains(short, acronym)) for acronym in acronyms))


def typed_words(text: str) -> list[str]:
    """Return the distinct words of ``text``, folded, as the word tables split them,
    French elisions left out ("l'université": "universite")."""
    return list(dict.fromkeys(word_sequence(text)))


def word_sequence(text: str) -> list[str]:
    """Return the words of ``text`` as ``typed_words`` does, each time it is typed;
    digits above or below the line written plainly ("MSE²": "mse2"), as
    PostgreSQL's full-text parser would not keep them in a word."""
    folded = fold(letters_joined(undotted(plain_digits(text or ""))))
    return _WORD.findall(_ELISION.sub(" ", folded))


def correctable(word: str) -> bool:
    """Whether a typed word is corrected (the word tables hold no other); not a
    name joined by an ampersand ("AT&T": ``is_joined``), no word of those tables."""
    return (
        len(word) >= 3
        and not any(char.isdigit() for char in word)
        and not is_joined(word)
    )


def corrections(
    words: list[str], table: str, connection
) -> dict[str, list[tuple[str, float]]]:
    """Return the known words closest to each of ``words``, with their similarity.

    pg_trgm's ``%`` (similarity ≥ 0.3) over the table's trigram index, at most
    ``MORE_CORRECTIONS_PER_WORD``, closest first, a word known as typed first of
    all; in one query, read once per content version (the words change only with
    the records). Words of one or two letters, and those with a digit, are left as
    typed (``correctable``). SQLite has no table of words: the same is computed in
    Python (``closest_known_words``).
    """
    long_words = [word for word in words if correctable(word)]
    if not long_words:
        return {}

    def closest():
        swaps = {word: swapped_letters(word) for word in long_words}
        if connection.vendor != "postgresql":
            known = known_words(table, connection)
            found = {word: closest_known_words(word, known) for word in long_words}
            return with_swaps(found, swaps, set(known))
        found = {word: [] for word in long_words}
        pairs = [(word, swap) for word in long_words for swap in swaps[word]]
        known = set()
        with connection.cursor() as cursor:
            # The swaps known, without a score, are read by the table's primary
            # key: a few lookups, whatever its size.
            cursor.execute(
                f"""
                SELECT typed, close.word, close.score
                FROM unnest(%s::text[]) AS typed
                CROSS JOIN LATERAL (
                    SELECT word, similarity(word, typed) AS score FROM {table}
                    WHERE word %% typed ORDER BY score DESC, word LIMIT %s
                ) AS close
                UNION ALL
                SELECT swap.typed, swap.word, NULL
                FROM unnest(%s::text[], %s::text[]) AS swap (typed, word)
                WHERE EXISTS (SELECT FROM {table} WHERE {table}.word = swap.word)
                """,
                [
                    long_words,
                    MORE_CORRECTIONS_PER_WORD,
                    [typed for typed, _swap in pairs],
                    [swap for _typed, swap in pairs],
                ],
            )
            for typed, word, score in cursor.fetchall():
                if score is None:
                    known.add(word)
                else:
                    found[typed].append((word, score))
        return with_swaps(found, swaps, known)

    key = f"slips:{table}:" + hashlib.sha256(" ".join(long_words).encode()).hexdigest()
    return cached_by_content(key, closest)


# pg_trgm's similarity threshold, its default, from which ``%`` holds: how close a
# known word must be to correct a typed one (``closest_known_words``).
SIMILARITY_THRESHOLD = 0.3
# The closeness given to a known word that is the typed one with two letters
# swapped, whatever their trigrams say: as close as a word with one letter wrong
# ("universiti" for "university", 0.57).
SWAPPED_SIMILARITY = 0.6


def with_swaps(found, swaps, known) -> dict[str, list[tuple[str, float]]]:
    """Return the corrections ``found`` by trigrams, each typed word's ``swaps``
    that are ``known`` words among them, closest first (``corrections``); only
    those that are plausible slips of the word typed (``plausible_slip``)."""
    merged = {}
    for typed, close in found.items():
        scores = {word: score for word, score in close if plausible_slip(typed, word)}
        for swap in swaps[typed]:
            if swap in known:
                scores[swap] = max(scores.get(swap, 0.0), SWAPPED_SIMILARITY)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        merged[typed] = ranked[:MORE_CORRECTIONS_PER_WORD]
    return merged


_KNOWN_WORD = re.compile(KNOWN_WORD)


def _word_trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def known_words(table: str, connection) -> list[str]:
    """Return the words of ``table`` (a table of words) as Python finds them.

    For SQLite, which has no such table: the distinct words of the searched texts
    of every row (drafts too, as PostgreSQL's triggers keep them), short or long
    (``SEARCH_WORDS``, ``DOCUMENT_WORDS``), split and kept as PostgreSQL does
    (``KNOWN_WORD``); unlike PostgreSQL's table, not the words no row holds any
    more. Read once per content version; a full scan, as everything on SQLite,
    whose tables are the demo's.
    """
    source, columns = words_source(table)
    quote = connection.ops.quote_name

    def read():
        found = set()
        with connection.cursor() as cursor:
            names = ", ".join(quote(column) for column in columns)
            cursor.execute(f"SELECT {names} FROM {quote(source)}")
            for row in cursor.fetchall():
                text = fold(" ".join(value for value in row if value))
                found.update(re.findall(r"[^\W_]+", text))
        return sorted(word for word in found if _KNOWN_WORD.match(word))

    return cached_by_content(f"known-words:{table}", read)


def words_source(table: str) -> tuple[str, tuple[str, ...]]:
    """Return the table and the columns whose words ``table`` (a table of words)
    keeps."""
    for source, words in DOCUMENT_WORDS.items():
        if words == table:
            return source, DOCUMENT_WORD_COLUMNS[source]
    return next(
        (source, columns)
        for (source, columns), _column in STORED_SEARCH_TEXT.items()
        if SEARCH_WORDS.get(source) == table
    )


def closest_known_words(typed: str, known: list[str]) -> list[tuple[str, float]]:
    """Return the words of ``known`` closest to ``typed``, as ``corrections`` does.

    pg_trgm's similarity: the trigrams the two words share, over all their
    trigrams; from ``SIMILARITY_THRESHOLD`` up, closest first, then in the order
    of ``known`` (alphabetical for a table's words, as PostgreSQL gives them).
    """
    wanted = _word_trigrams(typed)
    scored = []
    for word in known:
        trigrams_ = _word_trigrams(word)
        common = len(wanted & trigrams_)
        score = common / (len(wanted) + len(trigrams_) - common)
        if score >= SIMILARITY_THRESHOLD:
            scored.append((-score, word))
    scored.sort(key=lambda pair: pair[0])
    return [(word, -score) for score, word in scored[:MORE_CORRECTIONS_PER_WORD]]


def suggested_texts(
    text: str, tables, connection, more_known: list[str] = (), writings=None
) -> list[str]:
    """Return ``text`` with each word replaced by its closest known word, likeliest
    first; empty when no word changes.

    Known words: those of ``tables`` (tables of words, ``SEARCH_WORDS``) and
    ``more_known``, the fewest letters away of them all, then the closest by
    trigrams; a word known as typed stays, as do
    short words and numbers (``correctable``). A known word replaces a typed one
    only when it is a slip of it (``is_slip``, ``plausible_slip``), a long
    text's word only when stemmed otherwise (``stemmed_alike``): the closest by
    trigrams may be much shorter ("ocean" for "oceanographie"), and a slip of a
    short word is a letter more or less at most (``close_in_length``: not
    "robotics" for "robots", "lents" for "talents"). The tables' corrections are
    read once per content version, as near misses read them. Of known words as
    close, the first of ``more_known``, then of ``tables`` in turn. A word with
    no slip a letter away may be known words typed together (``run_together``:
    "hongkong", "hong kong").

    The tables keep words folded: ``writings({word: table})`` tells how the
    records write the corrections, each with the table it is from (None:
    ``more_known``), so that a suggestion reads "Université", not "Universite",
    and in which languages (``Writing``): of known words as many letters from a
    word typed ("institue": "institut", "institute"), the one in the language of
    the phrase (``phrase_language``) comes first, then the closest by trigrams,
    as suggested before languages were told: the caller offers the first that
    finds something, so that no phrase loses a suggestion.
    """
    # Corrected where typed: a soft hyphen inside a word cut it in two, neither
    # corrected ("Tah\u00adles"), and one after it was kept in the suggestion.
    text = visible(text)
    words = typed_words(text)
    found = [(table, corrections(words, table, connection)) for table in tables]
    if more_known:
        # First: of words as close, ``more_known``'s, in its order ("japn" is as
        # close to "japon" as to "japan", the French page's country first).
        found.insert(
            0,
            (
                None,
                {
                    word: closest_known_words(word, more_known)
                    for word in words
                    if correctable(word)
                },
            ),
        )
    slips_of = defaultdict(list)
    long_texts = set(DOCUMENT_WORDS.values())
    for table, close_words in found:
        for word, close in close_words.items():
            slips = [
                (known, score, table)
                for known, score in close
                if close_in_length(word, known)
                and is_slip(word, known)
                and plausible_slip(word, known)
                # A long texts' word stemmed as the word typed is no correction:
                # the search found what holds it ("relating": "relations").
                and not (table in long_texts and stemmed_alike(word, known))
            ]
            slips_of[word] += slips
    # Of a word's slips, the fewest letters away: "allemange" is two letters
    # swapped from "allemagne", two changes from "allemand", which shares more
    # trigrams ("man"). The closest by trigrams when as many away, then the first
    # source's (``more_known``, then ``tables`` in turn).
    best = {
        word: min(slips, key=lambda slip: (edit_distance(word, slip[0]), -slip[1]))
        for word, slips in slips_of.items()
        if slips
    }
    closest = {word: known for word, (known, *_) in best.items() if known != word}
    # Words typed together ("hongkong", "newyork", "riodejaneiro"): known words
    # a space or two away, before any slip of more letters ("network").
    apart = run_together(
        [
            word
            for word in words
            if correctable(word)
            and (word not in best or edit_distance(word, best[word][0]) > 1)
        ],
        tables,
        connection,
        more_known,
    )
    for word in apart:
        best.pop(word, None)
        closest.pop(word, None)
    if not closest and not apart:
        return []
    # "institue" is a letter from "institut" and from "institute": of the words
    # as many letters away, the phrase's language's, which the texts tell
    # (``writings``: the same reads, asked for each of these words).
    tied = {word: same_distance(word, best[word], slips_of[word]) for word in closest}
    # A word no other is as close to, as its best slip is from.
    sources = {
        known: table
        for word in closest
        for known, _score, table in (
            tied[word] if writings and len(tied[word]) > 1 else [best[word]]
        )
    }
    for parts in apart.values():
        sources |= {part: table for part, table in parts}
    stored = writings(sources) if writings else {}
    meant = dict(closest)
    if any(len(choices) > 1 for choices in tied.values()):
        language = phrase_language(words, closest, best, stored, writings)
        for word, choices in tied.items():
            meant[word] = next(
                (
                    known
                    for known, _score, _table in choices
                    if language in languages_of(stored.get(known))
                ),
                closest[word],
            )
    for word, parts in apart.items():
        meant[word] = closest[word] = " ".join(part for part, _table in parts)

    def written(meant: dict[str, str]) -> str:
        def corrected(token: re.Match) -> str:
            if (correction := meant.get(fold(token[0]))) is None:
                return token[0]
            parts = correction.split(" ")
            return " ".join(
                # A stop word between two words typed together stays in lower
                # case ("Riodejaneiro": "Rio de Janeiro").
                stored.get(part, part)
                if 0 < index < len(parts) - 1
                and part in WORDS_BETWEEN
                and not token[0].isupper()
                else as_typed(token[0], stored.get(part, part))
                for index, part in enumerate(parts)
            )

        # Each word corrected where it was typed, the signs between kept
        # ("éco-eficaces": "éco-efficaces").
        return _WORD.sub(corrected, " ".join(text.split()))

    return list(dict.fromkeys([written(meant), written(closest)]))


# The stop words of one language alone: "de", "des", "la" say a phrase is French,
# "of", "the", "for" that it is English ("on", "a" are both's).
LANGUAGE_STOP_WORDS = {
    "fr": (frozenset(map(fold, STOP_WORDS["french"])) | TYPED_STOP_WORDS)
    - frozenset(map(fold, STOP_WORDS["english"])),
    "en": frozenset(map(fold, STOP_WORDS["english"]))
    - frozenset(map(fold, STOP_WORDS["french"]))
    - TYPED_STOP_WORDS,
}


def phrase_language(
    words: list[str], closest: dict[str, str], best: dict, stored: dict, writings
) -> str:
    """Return the language the words of a phrase (folded, ``typed_words``) are in,
    those corrected aside (``closest``): its stop words' ("Institue de chimie"),
    else the language of the texts writing its other words ("Institue materials":
    "materials" is the English names' word), else the page's.

    Only a language more of the words say than the other: a phrase of both, or
    of neither (a name, an acronym), says nothing. The words known as typed are
    asked of their tables (``writings``) only when the stop words say nothing.
    """
    others = [word for word in words if word not in closest]
    votes = Counter(
        language
        for word in others
        for language, stop_words in LANGUAGE_STOP_WORDS.items()
        if word in stop_words
    )
    if not votes and writings:
        # The words known as typed, each from the table it is known in; and the
        # words corrected that no other word is as close to, as the texts write
        # them.
        known = {
            word: best[word][2]
            for word in others
            if word in best and best[word][0] == word and word not in STOP_WORDS_FOLDED
        }
        written = writings(known) if known else {}
        votes = Counter(
            language for word in known if (language := main_language(written.get(word)))
        )
    ranked = votes.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return get_language()


def same_distance(word: str, best: tuple, slips: list[tuple]) -> list[tuple]:
    """Return the ``slips`` of ``word`` ((known word, score, table), from every
    source) as many letters away from it as ``best``, ``best`` first, then
    closest first, each known word once: from a table of records' words rather
    than ``more_known`` (None) when both know it, whose records tell the
    languages writing it ("institute" names a kind of record, in no language
    said, and partners in English)."""
    distance = edit_distance(word, best[0])
    same = {best[0]: best}
    for slip in sorted(slips, key=lambda slip: -slip[1]):
        if slip[0] in same:
            if same[slip[0]][2] is None and slip[2] is not None:
                same[slip[0]] = (*same[slip[0]][:2], slip[2])
        elif edit_distance(word, slip[0]) == distance:
            same[slip[0]] = slip
    return list(same.values())


def edit_distance(typed: str, word: str) -> int:
    """Return how many letters typed are wrong, missing, extra or swapped with
    the next (the optimal string alignment distance)."""
    previous2, previous = None, list(range(len(word) + 1))
    for i, typed_char in enumerate(typed, 1):
        current = [i]
        for j, char in enumerate(word, 1):
            cost = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (typed_char != char),
            )
            if (
                previous2 is not None
                and j > 1
                and typed_char == word[j - 2]
                and typed[i - 2] == char
            ):
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


class Writing(str):
    """How texts write a word (``writings_in``), and the languages of the texts
    writing it: "institut" the French names', "institute" the English ones'."""

    languages: frozenset[str] = frozenset()
    # How many of the texts read write it, in each language.
    texts_in: Counter = Counter()


def languages_of(writing) -> frozenset[str]:
    """Return the languages of the texts writing a word (a ``Writing``), if told."""
    return getattr(writing, "languages", frozenset())


def main_language(writing) -> str | None:
    """Return the language most of the texts writing a word are in (a
    ``Writing``): "materials" is the English names' word, though partners' names
    left untranslated write it in French too. None when none is most."""
    ranked = getattr(writing, "texts_in", Counter()).most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def writings_in(texts, words) -> dict[str, Writing]:
    """Return how ``texts`` write each of ``words`` (folded words): its accents,
    and its capitals when it is an acronym ("CNRS"); lower-case else, as the
    suggestion writes a word with the capitals of the word typed (``as_typed``).

    ``texts``: texts, or (language, text) pairs, the language None when the text
    is in none (an acronym, a name in its own language): each writing tells the
    languages of the texts holding the word (``Writing.languages``).
    """
    wanted = set(words)
    found: dict[str, str] = {}
    languages = defaultdict(Counter)
    for item in texts:
        language, text = item if isinstance(item, tuple) else (None, item)
        for folded, written in written_words(text).items():
            if folded not in wanted:
                continue
            if language:
                languages[folded][language] += 1
            if folded not in found:
                upper = len(written) > 1 and written.isupper()
                found[folded] = written if upper else written.lower()
    writings = {}
    for folded, written in found.items():
        writings[folded] = Writing(written)
        writings[folded].languages = frozenset(languages[folded])
        writings[folded].texts_in = languages[folded]
    return writings


def as_typed(written: str, correction: str) -> str:
    """Return the ``correction`` of a word ``written``, capitalised as it
    ("Pensylvanie": "Pennsylvanie", "UPEN": "UPENN"): a suggestion reads as the
    words typed."""
    if len(written) > 1 and written.isupper():
        return correction.upper()
    if written[:1].isupper():
        return correction[:1].upper() + correction[1:]
    return correction


def written_words(text: str) -> dict[str, str]:
    """Map each word of ``text`` as ``typed_words`` folds it to its first writing."""
    unelided = _ELISION_ANY_CASE.sub(" ", letters_joined(undotted(text or "")))
    written = {}
    for token in _WORD.findall(unelided):
        written.setdefault(fold(token), token)
    return written


def stemmed_alike(typed: str, word: str) -> bool:
    """Whether the full-text search stems ``typed`` and ``word`` (folded words)
    alike in French or English: the long texts holding ``word`` are those the
    search of ``typed`` finds ("relating", "relations"; not "robtique",
    "robotique")."""
    return any(
        (lexeme := _lexeme(typed, config)) is not None
        and lexeme == _lexeme(word, config)
        for config in STOP_WORDS
    )


def close_in_length(typed: str, word: str) -> bool:
    """Whether ``word`` is as long as ``typed`` give or take a letter, or one in five
    of a long word ("oceanographique" for "oceanographie", "massachusetts" for
    "masachusets", both its doubled letters typed once; not "robotics" for
    "robots")."""
    return abs(len(word) - len(typed)) <= max(1, len(typed) // 5)


# The shortest word a word typed together with another is split into ("tel",
# "sao", "new"): two letters would make "de", "la", "of" of any word's ends.
SHORTEST_WORD_APART = 3
# Stop words a name holds between two others, typed together with them ("rio de
# janeiro", "trinidad and tobago"): words apart though shorter; not "ai", "eu",
# "it", which a search takes for acronyms.
WORDS_BETWEEN = STOP_WORDS_FOLDED - ACRONYM_STOP_WORDS
# The longest word read as words typed together: its three-word ways grow with the
# square of its length (a 200-letter word had 19,000, each part looked up).
LONGEST_RUN_TOGETHER = 40


def ways_apart(word: str) -> list[tuple[str, ...]]:
    """Return the ways of writing ``word`` (folded) as two words, then as three
    (the middle one may be a stop word: "rio de janeiro"), each word but a stop
    word between two at least ``SHORTEST_WORD_APART`` letters long."""
    shortest, length = SHORTEST_WORD_APART, len(word)
    if length > LONGEST_RUN_TOGETHER:
        return []
    two = [(word[:i], word[i:]) for i in range(shortest, length - shortest + 1)]
    three = [
        (word[:i], word[i:j], word[j:])
        for i in range(shortest, length - shortest - 1)
        for j in range(i + 2, length - shortest + 1)
        if j - i >= shortest or word[i:j] in WORDS_BETWEEN
    ]
    return two + three


def run_together(
    words: list[str], tables, connection, more_known=()
) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """Return, for each of ``words`` (folded) that is known words typed without
    the spaces between them ("hongkong", "riodejaneiro"), those words, each with
    the table that knows it (None: ``more_known``, or a stop word between two);
    two words rather than three, then the way whose shortest word is longest
    ("tel aviv").

    Known: in ``tables`` (tables of words, first first) or ``more_known``. Read
    once per content version, in one query on PostgreSQL.
    """
    ways = {word: ways_apart(word) for word in words}
    parts = sorted(
        {
            part
            for splits in ways.values()
            for split in splits
            for part in split
            if part not in WORDS_BETWEEN
        }
    )
    if not parts:
        return {}

    def read() -> dict[str, str]:
        return known_in_tables(parts, tables, connection)

    asked = " ".join([*tables, "", *parts])
    digest = hashlib.sha256(asked.encode()).hexdigest()
    tables_of = {part: None for part in parts if part in set(more_known)}
    tables_of |= cached_by_content(f"apart:{digest}", read)

    def known(part: str, between: bool) -> bool:
        return part in tables_of or (between and part in WORDS_BETWEEN)

    found = {}
    for word, splits in ways.items():
        readable = [
            split
            for split in splits
            if all(
                known(part, 0 < index < len(split) - 1)
                for index, part in enumerate(split)
            )
        ]
        if readable:
            best = min(
                readable,
                key=lambda split: (
                    len(split),
                    -min(len(part) for part in split if part not in WORDS_BETWEEN),
                ),
            )
            found[word] = tuple((part, tables_of.get(part)) for part in best)
    return found


def known_in_tables(words: list[str], tables, connection) -> dict[str, str]:
    """Return those of ``words`` that ``tables`` (tables of words) know as typed,
    each with the first table knowing it."""
    if connection.vendor != "postgresql":
        found = {}
        for table in tables:
            for word in set(words) & set(known_words(table, connection)):
                found.setdefault(word, table)
        return found
    if not words:
        return {}
    union = " UNION ALL ".join(
        f"SELECT word, %s FROM {table} WHERE word = ANY(%s)" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(union, [value for table in tables for value in (table, words)])
        rows = cursor.fetchall()
    order = {table: position for position, table in enumerate(tables)}
    found = {}
    for word, table in sorted(rows, key=lambda row: order[row[1]]):
        found.setdefault(word, table)
    return found


def known_among(words: list[str], tables, connection) -> set[str]:
    """Return those of ``words`` that ``tables`` (tables of words) know as typed."""
    return set(known_in_tables(words, tables, connection))


def corrected_search(
    text: str,
    text_fields,
    table: str,
    connection,
    per_word=CORRECTIONS_PER_WORD,
    every_word=False,
) -> Q:
    """Return the condition of records holding, for each word of ``text``, a close one.

    Typo tolerance for big tables: each typed word is corrected against the
    table's known words (``SEARCH_WORDS``), its ``per_word`` closest, then the
    records are found by the ordinary word search over the trigram index. A typed
    word no known word is close to is left out, as long as at least half of the
    words are corrected: otherwise what is found holds too little of what was
    typed ("Universite de Sao Paulo" where no "sao" nor "paulo" is known would offer
    every "université"). Short words and numbers must be held as typed.
    ``every_word``: each typed word must be corrected (a name: "marine" is close to
    "Marie", but "marine biolgy" is nobody's name).
    """
    words = typed_words(text)
    close = corrections(words, table, connection)
    short = SearchText(*text_fields)
    conditions = []
    for word in words:
        if not correctable(word):
            conditions.append(holds(short, word))
        elif close[word]:
            conditions.append(
                reduce(
                    operator.or_,
                    (holds(short, c) for c, _ in close[word][:per_word]),
                )
            )
    corrected = [word for word, found in close.items() if found]
    if not corrected or 2 * len(corrected) < len(close):
        return Q(pk__in=[])
    if every_word and len(corrected) < len(close):
        return Q(pk__in=[])
    return reduce(operator.and_, conditions)


def corrected_texts(
    text: str, table: str, connection, per_word=CORRECTIONS_PER_WORD
) -> list[str]:
    """Return what ``text`` most likely meant, likeliest first ("univresity" →
    "university", "universite"…).

    Its words replaced by their closest known words; the first word that has
    corrections takes each of its ``per_word`` closest in turn. Empty when no
    word changes.
    """
    words = typed_words(text)
    close = corrections(words, table, connection)
    best = [close[word][0][0] if close.get(word) else word for word in words]
    varied = next((i for i, word in enumerate(words) if close.get(word)), None)
    if varied is None:
        return []
    texts = []
    for correction, _score in close[words[varied]][:per_word]:
        candidate = [*best[:varied], correction, *best[varied + 1 :]]
        if candidate != words:
            texts.append(" ".join(candidate))
    return texts


def corrected_closeness(
    text: str, text_fields, table: str, connection, whole_words=False
):
    """Return how close each record found by ``corrected_search`` is to ``text``.

    For each typed word, the similarity of the closest correction the record
    holds, summed: records holding the best correction of every word come first.
    Tests the words the search tested, closest first, stopping at the first one
    held, whichever number of corrections the search took; computing pg_trgm's
    similarity of the whole text for every record took seconds when they were
    hundreds of thousands (a single common word mistyped). ``whole_words``: a
    correction counts only as a word of the text, not within one (people's names:
    "curei" is closer to Marie Curie than to Pierre Curien, who holds "curie" too).
    """
    short = SearchText(*text_fields)

    def held(word):
        if whole_words:
            return Q(MatchesPattern(short, f"{WORD_BEFORE}{word}{WORD_AFTER}"))
        return holds(short, word)

    scores = [
        Case(
            *(When(held(word), then=Value(score)) for word, score in close),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for close in corrections(typed_words(text), table, connection).values()
        if close
    ]
    return reduce(operator.add, scores) if scores else Value(0.0)


class WordSimilarity(Func):
    """How close ``text`` is to a stretch of the expression, from 0 to 1."""

    function = "WORD_SIMILARITY"
    output_field = FloatField()

    def __init__(self, text: str, expression):
        super().__init__(Value(fold(text).strip()), expression)


def read_within(queryset, milliseconds: int) -> list | None:
    """Return ``list(queryset)``, or None if PostgreSQL takes over ``milliseconds``.

    For a plan fast only when matches abound, such as reading the name index in
    order until a few matches turn up: tried first, given up early for the plan
    that is never fast but never slow. SQLite reads whatever it takes.
    """
    alias = queryset.db
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        # A savepoint: a cancelled statement must not break a caller's transaction,
        # and SET LOCAL ends with it.
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {int(milliseconds)}")
            rows = list(queryset.using(alias))
            with connection.cursor() as cursor:
                # A savepoint released keeps its SET LOCAL until the transaction ends.
                cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
    except OperationalError as error:
        if isinstance(error.__cause__, QueryCanceled):
            return None
        raise
    return rows


class NotFromIndex(Func):
    """``expression`` unchanged, in a form no index matches: an order to sort by.

    For the matches of a text search. PostgreSQL would otherwise walk the name
    index and test each row until a page of matches turns up: seconds when they
    all sort late ("universidade": 4 s at a million partners), where sorting what
    the trigram index found takes 0.15 s.
    """

    template = "(%(expressions)s || '')"
    output_field = TextField()


def sorted_once_found(records):
    """Return a search's matches in their order, found first, then sorted.

    In a list's order PostgreSQL may walk the index of that order and test each
    row until a page of matches turns up: when few match or none, every row, its
    long texts parsed for the full-text search ("ocean climate" among 20,000
    projects: 0.8 s, 1.5 s once names joined the documents). The order's first
    key in a form no index holds (``NotFromIndex``; a number plus 0) makes it
    find the matches through the search indexes and sort only them.
    """
    query = records.query
    ordering = list(query.order_by)
    if not ordering and query.default_ordering:
        ordering = list(records.model._meta.ordering)
    if not ordering:
        return records
    first, *rest = ordering
    return records.order_by(_not_from_index(records.model, first), *rest)


def _not_from_index(model, term):
    """Return the ordering ``term`` (a name or an expression) that no index gives."""
    if isinstance(term, OrderBy):
        return OrderBy(
            _not_from_index(model, term.expression),
            descending=term.descending,
            nulls_first=term.nulls_first,
            nulls_last=term.nulls_last,
        )
    if not isinstance(term, str):
        return NotFromIndex(term)  # a text expression: ``shown_text``
    name = term.removeprefix("-")
    if name == "?" or "__" in name:
        return term
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if isinstance(field, (CharField, TextField)):
        expression = NotFromIndex(F(name))
    elif isinstance(field, IntegerField):
        expression = ExpressionWrapper(F(name) + 0, output_field=IntegerField())
    else:
        return term
    return OrderBy(expression, descending=term.startswith("-"))


# Names as shown, folded, that PostgreSQL keeps in stored, generated columns, made by
# a migration (partners/migrations/0013_partner_shown_name_columns.py): the table and
# the columns ShownText would fold, in order, and the column holding the result.
STORED_SHOWN_TEXT = {
    ("partners_partner", ("name_fr", "name_en")): "shown_name_fr",
    ("partners_partner", ("name_en", "name_fr")): "shown_name_en",
    # units 0015, programmes 0015: a search's best matches sorted by them.
    ("units_unit", ("name_fr", "name_en")): "shown_name_fr",
    ("units_unit", ("name_en", "name_fr")): "shown_name_en",
    ("programmes_grant", ("title_fr", "title_en")): "shown_title_fr",
    ("programmes_grant", ("title_en", "title_fr")): "shown_title_en",
    ("programmes_project", ("title_fr", "title_en")): "shown_title_fr",
    ("programmes_project", ("title_en", "title_fr")): "shown_title_en",
}


# Full-text documents (``document``) that PostgreSQL keeps in stored, generated
# columns (units/migrations/0017_search_document_columns.py, programmes 0016), by
# text search configuration: the table and the columns in order, and the column.
_UNIT_SHORT = ("name_fr", "name_en", "acronym", "code", "city_fr", "city_en")
_PROGRAMME_SHORT = ("acronym", "title_fr", "title_en")
STORED_SEARCH_DOCUMENTS = {
    config: {
        ("units_unit", (*_UNIT_SHORT, f"description_{code}", f"themes_{code}")): (
            f"search_document_{code}"
        ),
        **{
            (table, (*_PROGRAMME_SHORT, f"summary_{code}")): f"search_document_{code}"
            for table in ("programmes_grant", "programmes_project")
        },
    }
    for code, config in (("fr", "french"), ("en", "english"))
}


class ShownText(Func):
    """The first of ``fields`` not empty, unaccented and lower-cased: a sort key.

    The expression of the name indexes (partners/migrations/0005_search_indexes.py,
    0007), or, where PostgreSQL stores it (``STORED_SHOWN_TEXT``), the column:
    sorting the 350,000 partners matching "universite" by computing it for each
    took 1.9 of the query's 2.3 s.
    """

    template = "%(expressions)s"
    output_field = TextField()

    def __init__(self, *fields):
        shown = Coalesce(*(NullIf(field, Value("")) for field in fields))
        super().__init__(Fold(shown))

    def as_postgresql(self, compiler, connection, **extra_context):
        columns = [
            expression
            for expression in self.get_source_expressions()[0].flatten()
            if isinstance(expression, Col)
        ]
        if stored := stored_column(compiler, connection, columns, STORED_SHOWN_TEXT):
            return stored, []
        return self.as_sql(compiler, connection, **extra_context)


def shown_text(field: str, language: str | None = None):
    """Return translated ``field`` as a page shows it, folded, for sorting.

    modeltranslation falls back to the other language on display only: sorting on the
    active language's column alone would put the records missing it first. Build it
    while serving a request, never at import time: the language is read now.
    ``language``: as the pages in that language show it, not the active one.
    """
    current = language or get_language() or settings.LANGUAGE_CODE
    languages = [current] + [
        code for code, _name in settings.LANGUAGES if code != current
    ]
    return ShownText(*(f"{field}_{code}" for code in languages))


def rank_by(field: str, values) -> Case:
    """Return an expression sorting rows by where ``field``'s value is in ``values``.

    Used where the order is not in the database: country names translated by
    django-countries, the order of a TextChoices.
    """
    values = list(values)
    return Case(
        *(
            When(**{field: value}, then=Value(rank))
            for rank, value in enumerate(values)
        ),
        default=Value(len(values)),
        output_field=IntegerField(),
    )
