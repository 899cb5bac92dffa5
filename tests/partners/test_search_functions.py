"""The folding and similarity functions of partners/search.py, NULL included.

SQLite runs them as Python functions (``register_sqlite_functions``), PostgreSQL as
its own: both must answer NULL to NULL, since an exception raised in a SQLite
function fails the whole query.
"""

import pytest
from django.db.models import TextField, Value

from partners.models import Partner
from partners.search import (
    Fold,
    WordSimilarity,
    fold,
    unaccent,
    word_similarity,
)
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_python_keeps_none_as_sql_keeps_null():
    assert unaccent(None) is None
    assert fold(None) is None
    assert word_similarity(None, "tokyo") is None
    assert word_similarity("tokyo", None) is None


def test_the_search_expressions_of_null_are_null_on_either_database():
    PartnerFactory()
    null = Value(None, output_field=TextField())
    row = (
        Partner.objects.annotate(
            folded=Fold(null),
            similarity=WordSimilarity("tokyo", null),
        )
        .values("folded", "similarity")
        .get()
    )
    assert row == {"folded": None, "similarity": None}
