"""Values a form accepts only when they can be true: years, dates, check digits, points.

Found by a QA pass of the back-office: a partner founded in year 3000, an agreement
signed in year 1, an ORCID iD with a mistyped digit, a latitude without a longitude
(the record then showed on no map), an active unit with a closure year.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from partners.models import Office, Partner
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    KeyFigureFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    UnitFactory,
)
from tests.test_spreadsheets import csv_rows, export, preview, to_csv
from units.models import Unit, UnitStatus, orcid_check_digit

pytestmark = pytest.mark.django_db


def errors_of(record) -> dict:
    with translation.override("en"):
        try:
            record.full_clean()
        except ValidationError as error:
            return error.message_dict  # the messages are lazy: read them here
    return {}


@pytest.mark.parametrize(
    "year, valid",
    [(0, False), (1088, True), (timezone.now().year + 5, True), (3000, False)],
)
def test_a_partner_is_established_in_a_year_that_can_be(year, valid):
    partner = PartnerFactory(established=year)

    assert ("established" not in errors_of(partner)) is valid


ABOVE_1 = "Ensure this value is greater than or equal to 1."
SINCE_1939 = "The CNRS was founded in 1939."


@pytest.mark.parametrize(
    "factory, field, values, message",
    [
        (PartnerFactory, "established", ["-5", "0"], ABOVE_1),
        (
            UnitFactory,
            "creation_year",
            ["-5", "1899"],
            "Ensure this value is greater than or equal to 1900.",
        ),
        (OfficeFactory, "opening_year", ["-5", "5", "1938"], SINCE_1939),
        (KeyFigureFactory, "year", ["-5", "1938"], SINCE_1939),
        (
            GrantFactory,
            "call_year",
            ["-5", "2006"],
            "ERC and MSCA grants start with the 2007 calls.",
        ),
    ],
)
def test_a_year_too_early_is_told_one_rule_however_early(
    admin_client, factory, field, values, message
):
    # The form's own bound for a positive number (0) was said first, then the
    # model's: "≥ 0" for -5, then "≥ 1" for 0.
    record = factory()
    url = admin_url(type(record), "change", record.pk)
    data = form_data(admin_client.get(url))

    for value in values:
        response = admin_client.post(
            url, {**data, field: value}, HTTP_ACCEPT_LANGUAGE="en"
        )

        assert response.status_code == 200
        assert response.context["adminform"].form.errors[field] == [message]


def test_the_model_says_the_same_of_a_year_too_early():
    partner, office = PartnerFactory(), OfficeFactory()
    partner.established, office.opening_year = -5, 5

    assert errors_of(partner)["established"] == [ABOVE_1]
    assert errors_of(office)["opening_year"] == [SINCE_1939]


@pytest.mark.parametrize(
    "signed_on, valid",
    [
        (datetime.date(1, 1, 1), False),
        (datetime.date(1939, 10, 18), False),
        (datetime.date(1939, 10, 19), True),
        (datetime.date(2024, 5, 2), True),
    ],
)
def test_an_agreement_of_the_cnrs_is_not_older_than_the_cnrs(signed_on, valid):
    agreement = AgreementFactory(signed_on=signed_on, ends_on=None)

    errors = errors_of(agreement)

    assert ("signed_on" not in errors) is valid
    if not valid:
        assert errors["signed_on"] == [
            "The CNRS was founded on 19 October 1939: check the year."
        ]


@pytest.mark.parametrize(
    "orcid, valid",
    [
        ("0000-0002-1825-0097", True),  # ORCID's own example
        ("0000-0002-1694-233X", True),  # a check digit of 10 reads X
        ("0000-0002-1825-0098", False),
        ("0000-0002-1825-0079", False),  # two digits swapped
        ("", True),
    ],
)
def test_an_orcid_ids_last_character_is_its_check_digit(orcid, valid):
    person = PersonFactory(orcid=orcid)

    errors = errors_of(person)

    assert ("orcid" not in errors) is valid
    if not valid:
        assert "check digit" in errors["orcid"][0]


def test_the_check_digit_is_iso_7064_mod_11_2():
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"


@pytest.mark.parametrize("factory", [PartnerFactory, UnitFactory, OfficeFactory])
@pytest.mark.parametrize("given", ["latitude", "longitude"])
def test_a_point_has_a_latitude_and_a_longitude_or_neither(factory, given):
    record = factory(latitude=Decimal("35.6895"), longitude=Decimal("139.6917"))
    missing = "longitude" if given == "latitude" else "latitude"
    setattr(record, missing, None)

    assert errors_of(record)[missing] == [
        "Give both the latitude and the longitude, or neither: with one only, the "
        "record shows on no map."
    ]
    record.latitude = record.longitude = None
    assert not errors_of(record)


@pytest.mark.parametrize(
    "factory, model",
    [(PartnerFactory, Partner), (UnitFactory, Unit), (OfficeFactory, Office)],
)
@pytest.mark.parametrize("unread", ["latitude", "longitude"])
def test_a_coordinate_the_form_cannot_read_shows_its_own_error_only(
    admin_client, factory, model, unread
):
    record = factory(latitude=None, longitude=None)
    url = admin_url(model, "change", record.pk)
    data = form_data(admin_client.get(url))
    given = "longitude" if unread == "latitude" else "latitude"

    response = admin_client.post(
        url, {**data, unread: "abc", given: "35.5"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors[unread] == ["Enter a number."]  # not "Give both…" as well
    assert given not in form.errors


def test_a_spreadsheet_cell_that_cannot_be_read_shows_its_own_error_only(
    admin_client,
):
    PartnerFactory(latitude=None, longitude=None)
    [row] = csv_rows(export(admin_client, Partner))
    row.update(latitude="abc", longitude="35.5")

    response = preview(admin_client, Partner, to_csv([row]), "partners.csv")

    [invalid] = response.context["result"].invalid_rows
    assert list(invalid.field_specific_errors) == ["latitude"]
    [error] = invalid.field_specific_errors["latitude"]
    assert "abc" in error


def test_a_coordinate_missing_is_still_asked_for(admin_client):
    partner = PartnerFactory(latitude=None, longitude=None)
    url = admin_url(Partner, "change", partner.pk)
    data = form_data(admin_client.get(url))

    response = admin_client.post(
        url, {**data, "latitude": "35.5"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.context["adminform"].form.errors["longitude"] == [
        "Give both the latitude and the longitude, or neither: with one only, the "
        "record shows on no map."
    ]


@pytest.mark.parametrize(
    "status, closure_year, error",
    [
        (UnitStatus.ACTIVE, None, None),
        (UnitStatus.CLOSED, 2020, None),
        (UnitStatus.ACTIVE, timezone.now().year, None),  # due to close
        (
            UnitStatus.ACTIVE,
            2020,
            "An active unit closes this year or later: set its status to closed, "
            "or correct the year.",
        ),
        (UnitStatus.CLOSED, None, "A closed unit gives the year it closed."),
        (UnitStatus.CLOSED, timezone.now().year, None),  # closed this year
        (
            UnitStatus.CLOSED,
            timezone.now().year + 1,
            "A closed unit closed this year or before: set its status to active, "
            "or correct the year.",
        ),
    ],
)
def test_a_units_status_and_closure_year_agree(status, closure_year, error):
    unit = UnitFactory(status=status, closure_year=closure_year)

    assert errors_of(unit).get("closure_year") == ([error] if error else None)


def test_the_admin_refuses_a_closed_unit_closing_next_year(admin_client):
    unit = UnitFactory(status=UnitStatus.CLOSED, closure_year=2020)
    url = admin_url(Unit, "change", unit.pk)
    data = form_data(admin_client.get(url))
    data["closure_year"] = str(timezone.now().year + 1)

    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["closure_year"]
    assert error.startswith("A closed unit closed this year or before")
    unit.refresh_from_db()
    assert unit.closure_year == 2020


def test_the_lead_institute_is_not_also_a_secondary_one(admin_client):
    unit = UnitFactory()
    other = InstituteFactory()
    url = admin_url(Unit, "change", unit.pk)
    data = form_data(admin_client.get(url))
    data["secondary_institutes"] = [str(unit.lead_institute.pk), str(other.pk)]

    response = admin_client.post(url, data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["secondary_institutes"]
    assert error.startswith(unit.lead_institute.code)
    assert not unit.secondary_institutes.exists()

    data["secondary_institutes"] = [str(other.pk)]
    assert admin_client.post(url, data).status_code == 302
    assert list(unit.secondary_institutes.all()) == [other]
