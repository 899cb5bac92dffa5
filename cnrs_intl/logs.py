"""Formatter and filters of the settings' LOGGING."""

import logging
import time

from django import db


class UtcFormatter(logging.Formatter):
    """Write a record's time in UTC, ISO 8601 (2026-05-04T13:07:42.512Z)."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


class WithoutTraceback(logging.Filter):
    """Keep a record's message and drop its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


class DatabaseOutageInOneLine(logging.Filter):
    """Log the 503 of a database that does not answer (cnrs_intl.views.server_error)
    in one line: the request, then the error's class and first line.

    During an outage every request fails alike, and each logged a traceback of
    about a hundred lines (psycopg's error, then Django's that wraps it). A 500, a
    bug, keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) == 503 and isinstance(error, db.Error):
            first_line = next(iter(str(error).strip().splitlines()), "")
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {first_line})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
