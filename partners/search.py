"""Accent- and case-insensitive text search that behaves the same on both databases.

PostgreSQL has the ``unaccent`` extension (created by a migration); SQLite gets a
Python function of the same name on every connection, because its ``LIKE`` folds
ASCII only and "Sao Paulo" would never find "São Paulo".
"""

import operator
import unicodedata
from functools import reduce

from django.conf import settings
from django.db.models import Case, CharField, Func, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.db.models.lookups import Contains
from django.utils.translation import get_language

# Letters that Unicode does not decompose but PostgreSQL's unaccent maps anyway.
_EXTRA_FOLDS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)


def unaccent(text: str) -> str:
    """Remove the accents of ``text`` like PostgreSQL's unaccent does."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Return ``text`` lower-cased and without accents, as the database compares it."""
    return unaccent(text).lower()


class Unaccent(Func):
    function = "UNACCENT"
    output_field = CharField()


def register_sqlite_unaccent(sender, connection, **kwargs):
    """Give every new SQLite connection an UNACCENT() function (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "UNACCENT", 1, unaccent, deterministic=True
        )


def text_search(fields: list[str], text: str) -> Q:
    """Match records where every word of ``text`` is in one of ``fields``.

    Accents and case are ignored on both sides. Name the language columns of a
    translated field explicitly (``name_fr``, ``name_en``): filters on ``name`` would
    only look at the active language.
    """
    words = fold(text).split()
    if not words:
        return Q()
    return reduce(
        operator.and_,
        (
            reduce(
                operator.or_,
                (Q(Contains(Unaccent(Lower(field)), word)) for field in fields),
            )
            for word in words
        ),
    )


def shown_text(field: str):
    """Return translated ``field`` as a page shows it, folded, for sorting.

    modeltranslation falls back to the other language on display only: sorting on the
    active language's column alone would put the records missing it first. Build it
    while serving a request, never at import time: the language is read now.
    """
    current = get_language() or settings.LANGUAGE_CODE
    languages = [current] + [
        code for code, _name in settings.LANGUAGES if code != current
    ]
    shown = Coalesce(*(NullIf(f"{field}_{code}", Value("")) for code in languages))
    # Unaccent first: SQLite's LOWER() folds ASCII only and would leave "É" first.
    return Lower(Unaccent(shown))


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
