"""A migration adding a rule names the existing records that break it.

Adding a constraint over rows that break it fails with the database's bare
IntegrityError, naming neither the rule nor the records: units 0018 and
programmes 0017 check first (partners/migration_checks.py). Tested on
PostgreSQL, where a test can drop a constraint and have it back when its
transaction rolls back (SQLite would rebuild the table, and drop its triggers).
"""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import ProjectFactory, UnitFactory
from units.models import Unit, UnitKind

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

units_0018 = importlib.import_module(
    "units.migrations.0018_unit_codes_of_their_kind_and_number"
)
programmes_0017 = importlib.import_module(
    "programmes.migrations.0017_project_contributions_within_their_whole"
)


def without_constraints(table: str, *names: str, indexes: tuple[str, ...] = ()):
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name in indexes:
            cursor.execute(f'DROP INDEX "{name}"')


def test_units_breaking_no_rule_let_the_migration_run():
    UnitFactory(code="IRL 3757")
    UnitFactory(code="UMIFRE 19", kind=UnitKind.UMIFRE)

    units_0018.refuse_units_breaking_the_rules(apps, None)


def test_a_number_held_as_umi_and_as_irl_stops_the_migration_naming_both():
    without_constraints("units_unit", indexes=("unit_unique_irl_number",))
    UnitFactory(code="UMI 3757", slug="jrl")
    UnitFactory(code="IRL 3757", slug="jrl-again")
    UnitFactory(code="IRL 3218", slug="other")

    with pytest.raises(CommandError) as refused:
        units_0018.refuse_units_breaking_the_rules(apps, None)

    message = str(refused.value)
    assert "“a unit's number is one unit's, as UMI or IRL”" in message
    assert "2 existing record(s)" in message
    assert "  - IRL 3757 (jrl-again)\n  - UMI 3757 (jrl)\n" in message
    assert "IRL 3218" not in message
    assert "nothing was changed" in message


def test_codes_of_another_kind_stop_the_migration():
    without_constraints("units_unit", "unit_irl_code", "unit_umifre_code")
    UnitFactory(code="UMIFRE 19", kind=UnitKind.IRL, slug="ifre-as-irl")

    with pytest.raises(CommandError, match=r"UMIFRE 19 \(ifre-as-irl\)"):
        units_0018.refuse_units_breaking_the_rules(apps, None)

    Unit.objects.filter(slug="ifre-as-irl").update(kind=UnitKind.UMIFRE, code="IRL 4")
    with pytest.raises(CommandError, match="an Umifre's code starts with UMIFRE"):
        units_0018.refuse_units_breaking_the_rules(apps, None)


def test_an_eu_contribution_above_the_total_cost_stops_the_migration():
    without_constraints(
        "programmes_project", "project_eu_contribution_within_total_cost"
    )
    ProjectFactory(
        acronym="Tascmar",
        slug="tascmar",
        eu_contribution=Decimal("6700000.00"),
        total_cost=Decimal("6000000.00"),
    )
    ProjectFactory(eu_contribution=Decimal("10.00"), total_cost=Decimal("10.00"))

    with pytest.raises(CommandError) as refused:
        programmes_0017.refuse_contributions_above_their_whole(apps, None)

    assert (
        "1 existing record(s) break:\n"
        "  - Tascmar (tascmar): EU contribution 6700000.00, total cost 6000000.00\n"
    ) in str(refused.value)


def test_many_records_breaking_a_rule_are_named_twenty_at_most():
    from partners.migration_checks import refuse_rows_breaking

    with pytest.raises(CommandError) as refused:
        refuse_rows_breaking("x 0001", "a rule", [f"record {n}" for n in range(25)])

    message = str(refused.value)
    assert "25 existing record(s)" in message
    assert "  - record 19\n  … and 5 more\n" in message
    assert "record 20" not in message
