"""Versions' change reasons: kept in English, shown in the reader's language."""

import datetime

import pytest
from django.utils import translation

from partners.history import Reason, change_reason, shown_reason


@pytest.mark.parametrize(
    ("kept", "french"),
    [
        (change_reason(Reason.PUBLISHED), "Publié"),
        (change_reason(Reason.ROR_IMPORT), "Import ROR"),
        (
            change_reason(Reason.MERGED_ONE, partners="#3 (MIT)"),
            "Partenaire #3 (MIT) fusionné dans celui-ci",
        ),
        (
            change_reason(
                Reason.RESTORED,
                date=datetime.datetime(2024, 4, 1, 8, 0, tzinfo=datetime.UTC),
            ),
            "Rétabli dans la version du 1er avril 2024 10:00:00",  # "1er", as elsewhere
        ),
    ],
)
def test_a_reason_kept_in_english_is_shown_in_french(kept, french):
    with translation.override("fr"):
        assert shown_reason(kept) == french
    with translation.override("en"):
        assert shown_reason(kept) == kept.replace(
            "2024-04-01T08:00:00+00:00", "1 April 2024, 10:00:00"
        )


@pytest.mark.parametrize(
    "kept",
    [
        # Kept before reasons were kept in English; written by hand; shortened.
        "Rétabli dans la version du 5 mars 2024 15:30",
        "Recorded when history began",
        "Restored to the version of yesterday",
        change_reason(Reason.MERGED_MANY, partners="x" * 200),
    ],
)
def test_any_other_reason_is_shown_as_kept(kept):
    with translation.override("fr"):
        assert shown_reason(kept) == kept


def test_a_reason_is_shortened_to_the_column():
    assert len(change_reason(Reason.MERGED_MANY, partners="x" * 200)) == 100
