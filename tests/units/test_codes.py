"""A unit's code: one unit's number, as a UMI or an IRL, with its kind's prefix.

Found by a QA pass of the back-office: "UMI 3466" and "IRL 3466" were saved as two
units, though a unit keeps its number when its UMI becomes an IRL (and searches
take them for one); an Umifre was saved with an "IRL" code, an IRL with "UMIFRE 19".
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.admin_forms import admin_url, form_data
from tests.factories import UnitFactory
from tests.test_spreadsheets import csv_rows, export, preview, to_csv
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def code_errors(unit) -> list[str]:
    with translation.override("en"):
        try:
            unit.full_clean()
        except ValidationError as error:
            return error.message_dict.get("code", [])
    return []


@pytest.mark.parametrize(
    "held, given", [("UMI 3466", "IRL 3466"), ("IRL 3466", "UMI 3466")]
)
def test_a_number_another_unit_has_as_umi_or_irl_is_refused_naming_it(held, given):
    UnitFactory(acronym="COMPASS", code=held)
    unit = UnitFactory(code="IRL 20001")
    unit.code = given

    assert code_errors(unit) == [
        f"Another record has this number: joint unit “COMPASS ({held})”. A unit "
        "keeps its number when its UMI becomes an IRL."
    ]


def test_the_database_refuses_a_number_another_unit_has_as_umi_or_irl():
    UnitFactory(code="UMI 3466")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(code="IRL 3466")


def test_a_unit_keeps_its_number_when_its_umi_becomes_an_irl():
    unit = UnitFactory(code="UMI 3466")
    UnitFactory(code="UMIFRE 3466", kind=UnitKind.UMIFRE)  # another kind's series
    unit.code = "IRL 3466"

    assert code_errors(unit) == []
    unit.save()


def test_the_same_code_twice_keeps_its_own_message():
    UnitFactory(acronym="COMPASS", code="IRL 3466")
    unit = UnitFactory()
    unit.code = "IRL 3466"

    assert code_errors(unit) == [
        "Another record has it: joint unit “COMPASS (IRL 3466)”."
    ]


IRL_CODE = (
    'An IRL’s code reads "IRL 3757", or "UMI 3757" under its former name: '
    '"UMIFRE …" is an Umifre’s.'
)
UMIFRE_CODE = (
    'An Umifre’s code reads "UMIFRE 19": "IRL …" and "UMI …" are those of IRLs.'
)


@pytest.mark.parametrize(
    "kind, code, error",
    [
        (UnitKind.IRL, "IRL 3757", None),
        (UnitKind.IRL, "UMI 3757", None),  # its former name
        (UnitKind.IRL, "UMIFRE 19", IRL_CODE),
        (UnitKind.UMIFRE, "UMIFRE 19", None),
        (UnitKind.UMIFRE, "IRL 3757", UMIFRE_CODE),
        (UnitKind.UMIFRE, "UMI 3757", UMIFRE_CODE),
        (UnitKind.UMIFRE, "USR 3337", None),  # the CNRS's own code of some Umifres
    ],
)
def test_a_codes_prefix_is_its_kinds(kind, code, error):
    unit = UnitFactory(kind=kind)
    unit.code = code

    assert code_errors(unit) == ([error] if error else [])
    if error:
        with pytest.raises(IntegrityError), transaction.atomic():
            unit.save()


def test_the_admin_names_the_unit_with_that_number_beside_the_code(admin_client):
    UnitFactory(acronym="COMPASS", code="UMI 3466")
    unit = UnitFactory(code="IRL 20001")
    url = admin_url(Unit, "change", unit.pk)
    data = {**form_data(admin_client.get(url)), "code": "IRL 3466"}

    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    form = response.context["adminform"].form
    [error] = form.errors["code"]
    assert "COMPASS (UMI 3466)" in error
    assert not form.non_field_errors()
    unit.refresh_from_db()
    assert unit.code == "IRL 20001"


def test_the_admin_refuses_an_umifre_with_an_irl_code_on_the_code(admin_client):
    unit = UnitFactory(kind=UnitKind.UMIFRE)
    url = admin_url(Unit, "change", unit.pk)
    data = {**form_data(admin_client.get(url)), "code": "IRL 3757"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["code"]
    assert not form.non_field_errors()


def test_the_spreadsheet_import_refuses_a_number_another_unit_has(admin_client):
    UnitFactory(acronym="COMPASS", code="UMI 3466")
    unit = UnitFactory(code="IRL 20001")
    rows = csv_rows(export(admin_client, Unit))
    [row] = [row for row in rows if row["slug"] == unit.slug]
    row["code"] = "IRL 3466"

    response = preview(admin_client, Unit, to_csv([row]), "units.csv")

    [invalid] = response.context["result"].invalid_rows
    [error] = invalid.field_specific_errors["code"]
    assert "COMPASS (UMI 3466)" in error
    unit.refresh_from_db()
    assert unit.code == "IRL 20001"
