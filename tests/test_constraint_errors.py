"""A check constraint's violation is an error on its field, which the admin marks.

Django reports it on no field: a list above the form, and no field highlighted
(partners.publication.ConstraintErrorsMixin).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation

from partners.models import Partner
from programmes.models import Grant, Programme, Project, ProjectParticipant
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


def messages(model, name) -> set[str]:
    """Return the message of ``model``'s constraint ``name``, in either language."""
    [constraint] = [each for each in model._meta.constraints if each.name == name]
    texts = set()
    for language in ("en", "fr"):
        with translation.override(language):
            texts.add(str(constraint.violation_error_message))
    return texts


def errors_of(record, exclude=None) -> dict:
    with translation.override("en"):
        try:
            record.full_clean(exclude=exclude)
        except ValidationError as error:
            return error.message_dict  # the messages are lazy: read them here
    return {}


def post_change(client, record, changes):
    """Post ``record``'s admin change form with ``changes``; return the response."""
    url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(url))
    data.update({name: str(value) for name, value in changes.items()})
    return client.post(url, data)


START, EARLIER = datetime.date(2020, 1, 1), datetime.date(2019, 1, 1)

VIOLATIONS = [
    # factory, changes, the field, the constraint
    (
        PartnerFactory,
        {"latitude": 95, "longitude": 10},
        "latitude",
        (Partner, "partner_latitude_range"),
    ),
    (
        PartnerFactory,
        {"latitude": 10, "longitude": -200},
        "longitude",
        (Partner, "partner_longitude_range"),
    ),
    (PartnerFactory, {"pic": "12ab"}, "pic", (Partner, "partner_pic_well_formed")),
    # A bad ROR id: the partner form's own field refuses it first (a link accepted).
    (
        GrantFactory,
        {"start_date": START, "end_date": EARLIER},
        "end_date",
        (Grant, "grant_ends_after_start"),
    ),
    (GrantFactory, {"amount": -10}, "amount", (Grant, "grant_amount_not_negative")),
    # An MSCA grant with a panel: the panel is what to clear.
    (
        GrantFactory,
        {"scheme": "msca_pf", "panel": "SH7"},
        "panel",
        (Grant, "grant_panel_only_for_erc"),
    ),
    (
        GrantFactory,
        {"call_year": 1900},
        "call_year",
        (Grant, "grant_call_year_since_2007"),
    ),
    (
        ProjectFactory,
        {"start_date": START, "end_date": EARLIER},
        "end_date",
        (Project, "project_ends_after_start"),
    ),
    (
        ProgrammeFactory,
        {"start_year": 2020, "end_year": 2010},
        "end_year",
        (Programme, "programme_ends_after_start"),
    ),
    (
        UnitFactory,
        {"latitude": 95, "longitude": 10},
        "latitude",
        (Unit, "unit_latitude_range"),
    ),
]


@pytest.mark.parametrize("factory, changes, field, constraint", VIOLATIONS)
def test_the_admin_shows_a_broken_rule_on_its_field(
    admin_client, factory, changes, field, constraint
):
    record = factory()

    response = post_change(admin_client, record, changes)

    assert response.status_code == 200  # the form again: nothing saved
    form = response.context["adminform"].form
    [error] = form.errors[field]
    assert error in messages(*constraint)
    assert not form.non_field_errors()
    assert 'class="errorlist' in response.content.decode()


def test_the_admin_shows_a_participants_negative_contribution_on_its_field(
    admin_client,
):
    participation = ProjectParticipantFactory()

    response = post_change(
        admin_client, participation.project, {"participations-0-eu_contribution": -5}
    )

    assert response.status_code == 200
    [form] = response.context["inline_admin_formsets"][0].formset.forms
    [error] = form.errors["eu_contribution"]
    assert error in messages(
        ProjectParticipant, "project_participant_contribution_not_negative"
    )
    assert not form.non_field_errors()


def test_valid_records_still_save(admin_client):
    partner = PartnerFactory()
    grant = GrantFactory()

    response = post_change(
        admin_client, partner, {"latitude": "45.5", "longitude": "-73.5"}
    )
    assert response.status_code == 302
    response = post_change(
        admin_client, grant, {"start_date": EARLIER, "end_date": START, "amount": 0}
    )
    assert response.status_code == 302

    partner.refresh_from_db()
    grant.refresh_from_db()
    assert (partner.latitude, partner.longitude) == (Decimal("45.5"), Decimal("-73.5"))
    assert (grant.end_date, grant.amount) == (START, 0)


@pytest.mark.parametrize(
    "factory, changes, field, message",
    [
        (
            AgreementFactory,
            {"signed_on": START, "ends_on": EARLIER},
            "ends_on",
            "An agreement cannot end before it is signed.",
        ),
        (
            OfficeFactory,
            {"opening_year": 1900},
            "opening_year",
            "The CNRS was founded in 1939.",
        ),
        (
            UnitFactory,
            {"status": "closed", "creation_year": 2010, "closure_year": 2005},
            "closure_year",
            "A unit cannot close before it is created.",
        ),
        (
            GrantFactory,
            {"scheme": "msca_pf", "panel": "SH7"},
            "panel",
            "Only ERC grants have a panel.",
        ),
    ],
)
def test_full_clean_reports_a_broken_rule_on_its_field(
    factory, changes, field, message
):
    record = factory()
    for name, value in changes.items():
        setattr(record, name, value)

    assert errors_of(record) == {field: [message]}


def test_a_rule_on_two_fields_stays_on_no_field_unless_a_field_is_named(monkeypatch):
    grant = GrantFactory()
    grant.start_date, grant.end_date = START, EARLIER
    monkeypatch.setattr(Grant, "constraint_fields", {})

    assert errors_of(grant) == {
        NON_FIELD_ERRORS: ["A grant cannot end before it starts."]
    }


@pytest.mark.parametrize(
    "named, exclude",
    [
        ("summary", ["summary"]),  # not on the form
        ("synthetic", None),  # on no form
        ("no_such_field", None),
    ],
)
def test_a_rule_named_for_a_field_no_form_shows_stays_on_no_field(
    monkeypatch, named, exclude
):
    grant = GrantFactory(start_date=START, end_date=START)
    grant.end_date = EARLIER
    monkeypatch.setattr(Grant, "constraint_fields", {"grant_ends_after_start": named})

    assert errors_of(grant, exclude) == {
        NON_FIELD_ERRORS: ["A grant cannot end before it starts."]
    }


def test_a_rule_on_an_excluded_field_is_not_checked():
    partner = PartnerFactory()
    partner.latitude, partner.longitude = 95, 10

    assert errors_of(partner, exclude=["latitude"]) == {}
    assert errors_of(partner) == {"latitude": ["Latitude must lie between -90 and 90."]}


def test_the_errors_of_several_rules_on_a_field_add_up(monkeypatch):
    small_loss = models.CheckConstraint(
        condition=Q(amount__isnull=True) | Q(amount__gte=-5),
        name="grant_amount_small_loss",
        violation_error_message="A loss is 5 at most.",
    )
    constraints = [*Grant._meta.constraints, small_loss]
    monkeypatch.setattr(Grant._meta, "constraints", constraints)
    grant = GrantFactory()
    grant.amount, grant.call_year = Decimal("-10"), 1900

    assert errors_of(grant) == {
        "amount": ["An amount cannot be negative.", "A loss is 5 at most."],
        "call_year": ["ERC and MSCA grants start with the 2007 calls."],
    }
