"""The log's lines: when (UTC), how grave, from where, which process; a database
that does not answer logged in one line per request, a bug with its traceback."""

import logging
import sqlite3

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client

from cnrs_intl.logs import UtcFormatter
from partners.views import PartnerListView


def site_formatter() -> logging.Formatter:
    formatter = settings.LOGGING["formatters"]["utc"]
    assert formatter["class"] == "cnrs_intl.logs.UtcFormatter"
    return UtcFormatter(formatter["format"])


def test_a_line_says_when_in_utc_how_grave_from_where_and_which_process():
    record = logging.LogRecord(
        "partners.replicas", logging.WARNING, __file__, 1, "%s is late", ("r1",), None
    )
    record.created, record.msecs, record.process = 1780000000.25, 250.0, 4242
    # The process runs in Europe/Paris (TIME_ZONE): 22:26 there.
    assert site_formatter().format(record) == (
        "2026-05-28T20:26:40.250Z WARNING partners.replicas [4242] r1 is late"
    )
    # Every handler writes it so.
    for handler in settings.LOGGING["handlers"].values():
        assert handler["formatter"] == "utc"


def outage(*args, **kwargs):
    # psycopg's error, which Django's OperationalError wraps: two tracebacks.
    try:
        raise ConnectionRefusedError("Connection refused")
    except ConnectionRefusedError as cause:
        raise OperationalError(
            'connection failed: connection to server at "10.0.0.5", port 5432 '
            "failed: Connection refused\n\tIs the server running on that host?"
        ) from cause


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_logged_in_one_line(monkeypatch, caplog):
    monkeypatch.setattr(PartnerListView, "get", outage)
    response = Client(raise_request_exception=False).get("/en/partners/")
    assert response.status_code == 503

    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is None
    line = site_formatter().format(record)
    assert line.endswith(
        f"ERROR django.request [{record.process}] Service Unavailable: /en/partners/ "
        '(OperationalError: connection failed: connection to server at "10.0.0.5", '
        "port 5432 failed: Connection refused)"
    )
    assert "\n" not in line


def missing_column():
    # SQLite's OperationalError for a bug, not an outage (cnrs_intl.views.is_outage).
    error = OperationalError("no such column: nickname")
    error.__cause__ = sqlite3.OperationalError("no such column: nickname")
    return error


@pytest.mark.django_db
@pytest.mark.parametrize("error", [ValueError("a bug"), missing_column()])
def test_a_server_error_keeps_its_traceback(monkeypatch, caplog, error):
    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(PartnerListView, "get", broken)
    response = Client(raise_request_exception=False).get("/en/partners/")
    assert response.status_code == 500

    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info[1] is error
    line = site_formatter().format(record)
    assert "Internal Server Error: /en/partners/\n" in line
    assert "Traceback (most recent call last)" in line
