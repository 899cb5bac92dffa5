import importlib
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from cnrs_intl import checks

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the database's locale matters on PostgreSQL only")


def test_a_database_lower_casing_every_alphabet_passes():
    assert checks.check_database_folds_every_alphabet(None, databases=["default"]) == []
    call_command("check", databases=["default"], fail_level="WARNING")


def test_a_database_lower_casing_ascii_only_is_reported(monkeypatch):
    # What the "C" locale does: lower('É') stays 'É'.
    monkeypatch.setattr(checks, "LOWER_PROBE", 'SELECT lower(%s COLLATE "C") = %s')
    [warning] = checks.check_database_folds_every_alphabet(None, databases=["default"])
    assert warning.id == "cnrs_intl.W002"
    assert "C.UTF-8" in warning.hint
    # Only the databases asked for (migrate, or ``check --database``) are probed.
    assert checks.check_database_folds_every_alphabet(None, databases=None) == []


def test_search_folding_through_unaccent_s_c_function_passes():
    # The suite's PostgreSQL migrates as a superuser.
    assert checks.check_fast_unaccent(None, databases=["default"]) == []


def test_search_folding_through_the_sql_wrapper_is_noted(monkeypatch):
    monkeypatch.setattr(checks, "FAST_UNACCENT_PROBE", "SELECT false")
    [note] = checks.check_fast_unaccent(None, databases=["default"])
    assert note.id == "cnrs_intl.I001"
    assert "scripts/fast-unaccent.sql" in note.hint
    # A note, not a warning: the deployment checks pass all the same.
    call_command("check", databases=["default"], fail_level="WARNING")


def normalized(sql: str) -> str:
    return " ".join(sql.replace(";", " ").split())


def test_the_fast_unaccent_script_runs_the_migration_s_statements():
    migration = importlib.import_module("partners.migrations.0005_search_indexes")
    script = (ROOT / "scripts" / "fast-unaccent.sql").read_text()
    script = re.sub(r"--[^\n]*", "", script)
    for statement in migration.FAST_IMMUTABLE_UNACCENT:
        assert normalized(statement) in normalized(script)
    with connection.cursor() as cursor:
        for statement in script.split(";"):
            if statement.strip() and statement.strip() not in ("BEGIN", "COMMIT"):
                cursor.execute(statement)
        cursor.execute("SELECT immutable_unaccent('Universidade de São Paulo')")
        assert cursor.fetchone()[0] == "Universidade de Sao Paulo"
