"""Dates in English as Europe writes them (cnrs_intl/formats/en): the CNRS's staff
and partners read 05/12/2026 as 5 December, in French and in English alike."""

import datetime

import pytest
from django import forms
from django.utils import formats, translation

DAY = datetime.date(2026, 12, 5)


@pytest.mark.parametrize(
    ("language", "name", "text"),
    [
        ("en", "DATE_FORMAT", "5 December 2026"),
        ("en", "SHORT_DATE_FORMAT", "05/12/2026"),
        ("fr", "DATE_FORMAT", "5 décembre 2026"),
        ("fr", "SHORT_DATE_FORMAT", "05/12/2026"),
    ],
)
def test_a_date_is_written_day_first_in_both_languages(language, name, text):
    with translation.override(language):
        assert formats.date_format(DAY, name) == text


def test_a_time_is_written_on_a_24_hour_clock_in_english():
    moment = datetime.datetime(2026, 12, 5, 15, 30, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert (
            formats.date_format(moment, "DATETIME_FORMAT") == "5 December 2026, 15:30"
        )


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("typed", ["05/12/2026", "2026-12-05", "05/12/26"])
def test_a_date_typed_day_first_is_read_day_first(language, typed):
    with translation.override(language):
        assert forms.DateField().clean(typed) == DAY


def test_an_american_date_is_refused_not_read_as_another_day():
    # Django's "en" read 12/25/2026 as Christmas, and so 05/12/2026 as 12 May.
    with translation.override("en"):
        with pytest.raises(forms.ValidationError):
            forms.DateField().clean("12/25/2026")


def test_the_date_fields_show_the_iso_date_in_english():
    with translation.override("en"):
        rendered = forms.DateInput().render("signed_on", DAY)
    assert 'value="2026-12-05"' in rendered


def test_the_week_starts_on_monday_in_the_admin_calendars():
    with translation.override("en"):
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
