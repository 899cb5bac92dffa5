import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from programmes.models import Grant, Programme
from tests.admin_forms import form_data
from tests.factories import (
    GrantFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def assert_rejected_by_database(factory, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


def test_grant_amount_cannot_be_negative():
    assert_rejected_by_database(GrantFactory, amount=Decimal("-1"))


def test_grant_cannot_end_before_it_starts():
    assert_rejected_by_database(
        GrantFactory,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2019, 1, 1),
    )


def test_only_erc_grants_have_a_panel():
    assert_rejected_by_database(GrantFactory, scheme="msca_pf", panel="PE1")
    GrantFactory(scheme="msca_pf", panel="")


def test_cordis_id_is_numeric_and_unique():
    assert_rejected_by_database(GrantFactory, cordis_id="H2020-1")
    GrantFactory(cordis_id="634674")
    assert_rejected_by_database(GrantFactory, cordis_id="634674")


def test_grants_start_with_the_2007_calls():
    assert_rejected_by_database(GrantFactory, call_year=2006)


CALL_AFTER_START = "The call year cannot be later than the year the grant starts"


@pytest.mark.parametrize(
    "call_year, start_date, valid",
    [
        (2016, datetime.date(2017, 1, 1), True),
        (2023, datetime.date(2023, 11, 1), True),  # a Proof of Concept, same year
        (2016, None, True),
        (2018, datetime.date(2017, 1, 1), False),
    ],
)
def test_a_grant_starts_in_its_call_year_or_later(call_year, start_date, valid):
    grant = GrantFactory(call_year=2016, start_date=datetime.date(2017, 1, 1))
    grant.call_year, grant.start_date = call_year, start_date

    with translation.override("en"):
        try:
            grant.full_clean()
            errors = {}
        except ValidationError as error:
            errors = error.message_dict

    if valid:
        assert "call_year" not in errors
    else:
        assert errors["call_year"] == [f"{CALL_AFTER_START} (2017)."]


def test_the_admin_refuses_a_call_year_after_the_start_on_the_call_year(admin_client):
    grant = GrantFactory(call_year=2016, start_date=datetime.date(2017, 1, 1))
    url = reverse("admin:programmes_grant_change", args=(grant.pk,))
    data = form_data(admin_client.get(url))

    response = admin_client.post(
        url, {**data, "call_year": "2019"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["call_year"]
    assert error.startswith(CALL_AFTER_START)
    grant.refresh_from_db()
    assert grant.call_year == 2016


@pytest.mark.parametrize(
    "created, closed, start_date, end_date, error",
    [
        (2010, None, datetime.date(2017, 1, 1), datetime.date(2021, 12, 31), None),
        # Closing while the grant runs, or in the year it starts: it was there.
        (2010, 2019, datetime.date(2017, 1, 1), datetime.date(2021, 12, 31), None),
        (2010, 2017, datetime.date(2017, 1, 1), datetime.date(2021, 12, 31), None),
        # Created while it runs: the laureate may move there.
        (2020, None, datetime.date(2017, 1, 1), datetime.date(2021, 12, 31), None),
        (2021, None, datetime.date(2017, 1, 1), datetime.date(2021, 12, 31), None),
        (None, None, datetime.date(2017, 1, 1), datetime.date(2021, 12, 31), None),
        (
            2010, 2016, datetime.date(2017, 1, 1), datetime.date(2021, 12, 31),
            "This joint unit closed in 2016, before the grant started (2017): "
            "choose the unit that holds it, or none.",
        ),
        # No start date: the call year, which it cannot start before.
        (
            2010, 2015, None, None,
            "This joint unit closed in 2015, before the grant started (2016): "
            "choose the unit that holds it, or none.",
        ),
        (2010, 2016, None, None, None),
        (
            2024, None, datetime.date(2017, 1, 1), datetime.date(2021, 12, 31),
            "This joint unit was created in 2024, after the grant ended (2021): "
            "choose the unit that held it, or none.",
        ),
        (2024, None, datetime.date(2017, 1, 1), None, None),
    ],
)  # fmt: skip
def test_a_grant_is_held_in_a_unit_that_exists_while_it_runs(
    created, closed, start_date, end_date, error
):
    status = "closed" if closed else "active"
    unit = UnitFactory(creation_year=created, closure_year=closed, status=status)
    grant = GrantFactory(
        call_year=2016, start_date=start_date, end_date=end_date, unit=unit
    )

    with translation.override("en"):
        try:
            grant.full_clean()
            errors = {}
        except ValidationError as exception:
            errors = exception.message_dict

    assert errors.get("unit") == ([error] if error else None)


def test_a_unit_closed_before_the_grant_is_refused_in_french_in_the_admin(
    admin_client,
):
    grant = GrantFactory(call_year=2016, start_date=datetime.date(2017, 1, 1))
    closed = UnitFactory(creation_year=2005, closure_year=2012, status="closed")
    url = reverse("admin:programmes_grant_change", args=(grant.pk,))
    data = form_data(admin_client.get(url))

    response = admin_client.post(
        url, {**data, "unit": closed.pk}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["unit"]
    assert error == (
        "Cette unité mixte a fermé en 2012, avant le début du financement "
        "(2017)\u00a0: choisissez l’unité qui l’accueille, ou aucune."
    )
    grant.refresh_from_db()
    assert grant.unit_id is None


def test_a_unit_created_after_the_grant_is_refused_in_french():
    unit = UnitFactory(creation_year=2024)
    grant = GrantFactory(end_date=datetime.date(2021, 12, 31), unit=unit)

    with translation.override("fr"), pytest.raises(ValidationError) as raised:
        grant.full_clean()

    assert raised.value.message_dict["unit"] == [
        "Cette unité mixte a été créée en 2024, après la fin du financement "
        "(2021)\u00a0: choisissez l’unité qui l’accueillait, ou aucune."
    ]


def unit_years_errors(unit, language="en") -> dict:
    with translation.override(language):
        try:
            unit.full_clean()
        except ValidationError as exception:
            return exception.message_dict
    return {}


def test_a_unit_cannot_close_before_a_grant_it_holds_started():
    unit = UnitFactory(creation_year=2005)
    GrantFactory(acronym="EARLY", call_year=2012, start_date=None, unit=unit)
    GrantFactory(
        acronym="LATE", call_year=2016, start_date=datetime.date(2017, 3, 1), unit=unit
    )
    unit.status, unit.closure_year = "closed", 2014

    assert unit_years_errors(unit) == {
        "closure_year": [
            "1 grant held in this unit started after 2014: LATE (ERC Starting "
            "Grant (StG), 2016). Give it the unit that holds it first, or correct the "
            "year."
        ]
    }
    unit.closure_year = 2017
    assert unit_years_errors(unit) == {}


def test_a_unit_cannot_be_created_after_grants_it_holds_ended():
    unit = UnitFactory(creation_year=2005)
    for number in range(5):
        GrantFactory(
            acronym=f"G{number}",
            call_year=2008,
            start_date=datetime.date(2009, 1, 1),
            end_date=datetime.date(2010 + number, 12, 31),
            unit=unit,
        )
    unit.creation_year = 2016

    [error] = unit_years_errors(unit, "fr")["creation_year"]

    assert error == (
        "5 financements accueillis dans cette unité ont pris fin avant 2016\u00a0: "
        "G0 (ERC Starting Grant (StG), 2008), G1 (ERC Starting Grant (StG), 2008), "
        "G2 (ERC Starting Grant (StG), 2008) et 2 autres. Donnez-leur d’abord "
        "l’unité qui les accueillait, ou corrigez l’année."
    )


def test_grants_already_outside_a_unit_s_years_do_not_stop_its_edits():
    """Held before the rule was, they are the grants' edits to mend: the unit's
    other fields, and years that leave no other grant outside, are saved."""
    unit = UnitFactory(creation_year=2005, closure_year=2012, status="closed")
    GrantFactory(call_year=2016, unit=unit)  # saved without its clean()

    unit.name_en = "Renamed"
    assert unit_years_errors(unit) == {}
    unit.closure_year = 2014
    assert unit_years_errors(unit) == {}
    unit.closure_year = 2010
    assert unit_years_errors(unit) == {}


def test_a_unit_closed_under_its_grants_is_refused_in_french_in_the_admin(
    admin_client,
):
    unit = UnitFactory(creation_year=2005)
    GrantFactory(
        acronym="LATE", call_year=2016, start_date=datetime.date(2017, 3, 1), unit=unit
    )
    url = reverse("admin:units_unit_change", args=(unit.pk,))
    data = form_data(admin_client.get(url))

    response = admin_client.post(
        url,
        {**data, "status": "closed", "closure_year": "2015"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["closure_year"]
    assert error.startswith(
        "1 financement accueilli dans cette unité a commencé après 2015\u00a0: LATE"
    )
    unit.refresh_from_db()
    assert unit.closure_year is None


def test_erc_and_msca_querysets_split_grants_by_scheme():
    erc = GrantFactory(scheme="erc_adg")
    msca = GrantFactory(scheme="msca_dn", panel="")
    assert list(Grant.objects.erc()) == [erc]
    assert list(Grant.objects.msca()) == [msca]


@pytest.mark.parametrize("field", ["total_cost", "eu_contribution"])
def test_project_amounts_cannot_be_negative(field):
    assert_rejected_by_database(ProjectFactory, **{field: Decimal("-0.01")})


def test_project_cannot_end_before_it_starts():
    assert_rejected_by_database(
        ProjectFactory,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2019, 1, 1),
    )


def test_researcher_count_cannot_be_negative():
    assert_rejected_by_database(ProjectFactory, researcher_count=-1)


def test_institution_takes_part_in_a_project_once():
    participation = ProjectParticipantFactory()
    assert_rejected_by_database(
        ProjectParticipantFactory,
        project=participation.project,
        partner=participation.partner,
    )


def test_programme_cannot_end_before_it_starts():
    assert_rejected_by_database(ProgrammeFactory, start_year=2021, end_year=2020)


# Parent programmes never loop


def test_the_database_refuses_a_programme_as_its_own_parent():
    programme = ProgrammeFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(parent=programme)


def test_a_parent_chain_without_a_loop_is_valid():
    horizon = ProgrammeFactory()
    erc = ProgrammeFactory(parent=horizon)
    starting = ProgrammeFactory(parent=erc)

    starting.full_clean()
    assert starting.parent_loop() == []


def test_model_validation_refuses_a_programme_as_its_own_parent():
    programme = ProgrammeFactory()
    programme.parent = programme

    with pytest.raises(ValidationError) as error:
        programme.full_clean()

    assert [e.code for e in error.value.error_dict["parent"]] == ["own_parent"]
    with translation.override("en"):
        assert error.value.message_dict == {
            "parent": ["A programme cannot be its own parent."]
        }


def test_a_programme_cannot_be_the_parent_of_its_own_parent():
    first = ProgrammeFactory()
    second = ProgrammeFactory(parent=first)
    first.parent = second

    with pytest.raises(ValidationError) as error:
        first.full_clean()

    assert [e.code for e in error.value.error_dict["parent"]] == ["parent_loop"]
    with translation.override("en"):
        assert error.value.message_dict == {
            "parent": [
                f"The parent programmes would form a loop: "
                f"{first} → {second} → {first}."
            ]
        }


def test_a_longer_loop_is_found_too():
    first = ProgrammeFactory()
    second = ProgrammeFactory(parent=first)
    third = ProgrammeFactory(parent=second)
    first.parent = third

    assert first.parent_loop() == [first, third, second, first]
    with pytest.raises(ValidationError) as error:
        first.full_clean()
    assert [e.code for e in error.value.error_dict["parent"]] == ["parent_loop"]


def test_a_loop_higher_up_ends_the_walk():
    """Rows written before the rule may loop: checking another programme still ends."""
    first, second = ProgrammeFactory(), ProgrammeFactory()
    Programme.objects.filter(pk=first.pk).update(parent=second)
    Programme.objects.filter(pk=second.pk).update(parent=first)
    child = ProgrammeFactory.build(parent=first, slug="child")

    assert child.parent_loop() == []


def programme_form(admin_client, programme) -> tuple[str, dict]:
    url = reverse("admin:programmes_programme_change", args=(programme.pk,))
    return url, form_data(admin_client.get(url))


def test_the_admin_refuses_a_parent_that_would_loop(admin_client):
    first = ProgrammeFactory()
    second = ProgrammeFactory(parent=first)
    third = ProgrammeFactory(parent=second)
    url, data = programme_form(admin_client, first)

    response = admin_client.post(url, {**data, "parent": str(third.pk)})

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["parent"]
    assert f"{first} → {third} → {second} → {first}" in error
    first.refresh_from_db()
    assert first.parent is None


def test_the_admin_refuses_a_programme_as_its_own_parent(admin_client):
    programme = ProgrammeFactory()
    url, data = programme_form(admin_client, programme)

    response = admin_client.post(url, {**data, "parent": str(programme.pk)})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]
    programme.refresh_from_db()
    assert programme.parent is None


def test_the_admin_saves_a_parent_that_does_not_loop(admin_client):
    first, second = ProgrammeFactory(), ProgrammeFactory()
    url, data = programme_form(admin_client, first)

    response = admin_client.post(url, {**data, "parent": str(second.pk)})

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.parent == second
