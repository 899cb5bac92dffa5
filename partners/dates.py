"""Dates written out as the active language writes them, on every page.

French writes the first day of a month as an ordinal, "1er avril 2015", where
Django's formats give "1 avril 2015": the public pages, the admin's columns, its
history and its merge page write it the same way here.

The admin's date and time fields say the format they are typed in, in letters
("jj/mm/aaaa"): ``typed_format``.
"""

import datetime
import re

from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import pgettext


def first_day_written(date_format: str, value: datetime.date) -> str:
    """Return ``date_format`` with its day as "1er" when ``value`` is the first of a
    month and the language French."""
    if value.day == 1 and translation.get_language() == "fr":
        return date_format.replace("j", r"j\e\r", 1)
    return date_format


def long_date(value) -> str:
    """Return ``value`` (a date, or a datetime's local date) as DATE_FORMAT:
    "1er janvier 2026", "1 January 2026"; "" for none."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    date_format = formats.get_format("DATE_FORMAT")
    return dateformat.format(value, first_day_written(date_format, value))


def long_moment(value: datetime.datetime, date_format: str = "") -> str:
    """Return ``value`` in local time as ``date_format`` (DATETIME_FORMAT):
    "1er janvier 2026 09:30", "1 January 2026, 09:30"; "" for none."""
    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    date_format = date_format or formats.get_format("DATETIME_FORMAT")
    return dateformat.format(value, first_day_written(date_format, value))


def typed_format(input_format: str) -> str:
    """Return ``input_format`` (strftime's, as DATE_INPUT_FORMATS holds them) in the
    letters the active language names its parts by: "jj/mm/aaaa" for "%d/%m/%Y" in
    French, "yyyy-mm-dd" for "%Y-%m-%d" in English, "hh:mm:ss" for "%H:%M:%S"."""
    letters = {
        "%d": pgettext("typed format: a day", "dd"),
        "%m": pgettext("typed format: a month", "mm"),
        "%Y": pgettext("typed format: a year", "yyyy"),
        "%y": pgettext("typed format: a year in two digits", "yy"),
        "%H": pgettext("typed format: an hour", "hh"),
        "%M": pgettext("typed format: minutes", "mm"),
        "%S": pgettext("typed format: seconds", "ss"),
    }
    return re.sub(r"%.", lambda part: letters.get(part[0], part[0]), input_format)
