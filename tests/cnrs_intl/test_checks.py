import pytest
from django.core.management import call_command
from django.db import connection

from cnrs_intl import checks

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
