import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from programmes.models import Grant
from tests.factories import (
    GrantFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
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
