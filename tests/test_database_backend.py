"""Prove which database each run of the suite really used.

`make test` runs the suite once on a throw-away PostgreSQL cluster and once on
SQLite, and tells each run what it expects through ``CNRS_EXPECT_DB``
(``postgresql`` or ``sqlite``). These tests fail when the run is not on that
database, so a PostgreSQL run that quietly fell back to SQLite cannot pass.

Outside the harness (no ``CNRS_EXPECT_DB``), ``DJANGO_DATABASE_URL`` alone means
PostgreSQL is expected. The PostgreSQL-only test skips on SQLite for a developer's
plain ``pytest``, but never when PostgreSQL was asked for, nor in CI's PostgreSQL run.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _expected_vendor() -> str | None:
    expected = os.environ.get("CNRS_EXPECT_DB", "").strip().lower()
    if expected:
        return expected
    if os.environ.get("DJANGO_DATABASE_URL") or os.environ.get("DJANGO_DB_NAME"):
        return "postgresql"
    return None


@pytest.mark.django_db
def test_runs_on_the_expected_database():
    expected = _expected_vendor()
    if expected is None:
        if _in_ci():
            pytest.fail("CI=true: the run must name its database (CNRS_EXPECT_DB)")
        pytest.skip("no CNRS_EXPECT_DB nor DJANGO_DATABASE_URL: nothing to check")
    assert expected in {"postgresql", "sqlite"}, f"CNRS_EXPECT_DB={expected!r}?"

    assert connection.vendor == expected


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_has_the_search_extensions():
    if connection.vendor != "postgresql":
        if _expected_vendor() == "postgresql":
            pytest.fail(f"PostgreSQL was expected, the run is on {connection.vendor}")
        pytest.skip("needs PostgreSQL (set DJANGO_DATABASE_URL)")

    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {name for (name,) in cursor.fetchall()}
        assert {"unaccent", "pg_trgm"} <= extensions, extensions

        # They are installed in the test database and answer, not just listed.
        cursor.execute("SELECT unaccent('Élève à Orsay'), similarity('cnrs', 'cnrs')")
        unaccented, similarity = cursor.fetchone()
    assert unaccented == "Eleve a Orsay"
    assert similarity == pytest.approx(1.0)


WRITER = """
import time
import django
django.setup()
from django.db import connection, transaction
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM saves")
        time.sleep(0.5)
        cursor.execute("INSERT INTO saves VALUES (1)")
"""


def test_two_saves_at_once_on_the_demo_database_wait_for_each_other(tmp_path):
    # Two admin saves, each reading then writing, in two processes (two gunicorn
    # workers, or runserver's threads): one failed at once with "database is
    # locked" until SQLite transactions took their write lock when they began.
    database = tmp_path / "demo.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE saves (x integer)")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_ENV="development",
        DJANGO_SQLITE_PATH=str(database),
        DJANGO_SETTINGS_MODULE="cnrs_intl.settings",
    )
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER],
            cwd=Path(__file__).resolve().parents[1],
            env=environment,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [writer.communicate(timeout=60)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], errors
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT count(*) FROM saves").fetchone() == (2,)
