"""History tables are indexed by what history is read by, not by the model's indexes."""

import pytest
from django.apps import apps
from django.db import connection
from simple_history.models import HistoricalChanges

# The record, the date and the author; history_id is the table's key.
READ_BY = {"history_id", "id", "history_date", "history_user"}

# A version's relations (partners.history) are read by their version.
RELATIONS_READ_BY = {"m2m_history_id", "history"}

HISTORICAL_MODELS = [
    model
    for model in apps.get_models()
    if issubclass(model, HistoricalChanges) and not hasattr(model, "m2m_history_id")
]
RELATION_MODELS = [
    model
    for model in apps.get_models()
    if issubclass(model, HistoricalChanges) and hasattr(model, "m2m_history_id")
]


def indexed(model) -> set[str]:
    """The fields of ``model`` with an index."""
    return {
        field.name
        for field in model._meta.concrete_fields
        if field.db_index or field.unique or field.primary_key
    }


def test_every_record_model_has_its_history():
    assert {model._meta.model_name for model in HISTORICAL_MODELS} >= {
        "historicalpartner",
        "historicalunit",
        "historicalgrant",
        "historicalproject",
        "historicalkeyfigure",
    }


@pytest.mark.parametrize(
    "model", HISTORICAL_MODELS, ids=lambda model: model._meta.model_name
)
def test_a_history_table_indexes_only_record_date_and_author(model):
    assert indexed(model) == READ_BY


def test_the_versions_of_units_agreements_projects_and_profiles_keep_relations():
    assert {model._meta.model_name for model in RELATION_MODELS} == {
        "historicalstaffprofile_institutes",
        "historicalunit_partners",
        "historicalunit_secondary_institutes",
        "historicalagreement_partners",
        "historicalproject_participants",
        "historicalproject_units",
    }


@pytest.mark.parametrize(
    "model", RELATION_MODELS, ids=lambda model: model._meta.model_name
)
def test_a_relations_history_table_indexes_only_its_version(model):
    assert indexed(model) == RELATIONS_READ_BY


@pytest.mark.django_db
def test_the_partner_history_table_has_only_those_indexes():
    table = "partners_historicalpartner"
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = {
        tuple(details["columns"])
        for details in constraints.values()
        if details["index"] or details["primary_key"]
    }

    assert indexed == {
        ("history_id",),
        ("id",),
        ("history_date",),
        ("history_user_id",),
    }
