import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from partners.models import Office, Partner
from tests.factories import AgreementFactory, OfficeFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def assert_rejected_by_database(factory, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


@pytest.mark.parametrize(
    "ror_id", ["2feahw73", "02feahw7", "02feahi73", "12feahw73", "02FEAHW73"]
)
def test_database_rejects_malformed_ror_id(ror_id):
    assert_rejected_by_database(PartnerFactory, ror_id=ror_id)


def test_well_formed_ror_id_is_stored_with_its_url():
    partner = PartnerFactory(ror_id="042nb2s44")
    assert partner.ror_url == "https://ror.org/042nb2s44"


def test_ror_id_is_unique_but_may_be_left_empty():
    PartnerFactory(ror_id="042nb2s44")
    assert_rejected_by_database(PartnerFactory, ror_id="042nb2s44")
    PartnerFactory(ror_id="")
    PartnerFactory(ror_id="")
    assert Partner.objects.filter(ror_id="").count() == 2


def test_pic_is_nine_digits_and_unique():
    assert_rejected_by_database(PartnerFactory, pic="12345")
    PartnerFactory(pic="999997930")
    assert_rejected_by_database(PartnerFactory, pic="999997930")


def test_partner_cannot_be_its_own_parent():
    partner = PartnerFactory()
    partner.parent = partner
    with pytest.raises(IntegrityError), transaction.atomic():
        partner.save()


@pytest.mark.parametrize(
    "fields", [{"latitude": 91}, {"latitude": -90.5}, {"longitude": 180.5}]
)
def test_coordinates_stay_on_the_globe(fields):
    assert_rejected_by_database(PartnerFactory, **fields)


def test_model_validation_explains_a_malformed_ror_id():
    partner = PartnerFactory.build(ror_id="not-a-ror", slug="new-partner")
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "ROR" in str(error.value)


def test_agreement_cannot_end_before_its_signature():
    assert_rejected_by_database(
        AgreementFactory,
        signed_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2019, 12, 31),
    )


def test_slugs_are_unique():
    PartnerFactory(slug="mit")
    assert_rejected_by_database(PartnerFactory, slug="mit")


def test_offices_covering_a_country_include_host_and_covered_countries():
    tokyo = OfficeFactory(country="JP", countries=["JP", "KR", "TW"])
    OfficeFactory(country="SG", countries=["SG", "MY"])
    assert list(Office.objects.covering("KR")) == [tokyo]
    assert list(Office.objects.covering("JP")) == [tokyo]
    assert not Office.objects.covering("FR").exists()


def test_public_hides_drafts():
    published = PartnerFactory()
    PartnerFactory(publication_status="draft")
    assert list(Partner.objects.public()) == [published]


def test_kind_and_country_are_indexed_without_a_like_twin():
    """db_index on a CharField adds a LIKE index on PostgreSQL: none is wanted here."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, Partner._meta.db_table
        )
    indexed = [tuple(details["columns"]) for details in constraints.values()]
    assert indexed.count(("kind",)) == 1
    assert indexed.count(("country",)) == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s "
                "AND indexdef LIKE '%%pattern_ops%%'",
                [Partner._meta.db_table],
            )
            like_indexes = [name for (name,) in cursor.fetchall()]
        # The slug's comes with unique=True, the publication status's with the
        # base model of every record; kind's and country's are gone.
        assert like_indexes
        assert not [
            name for name in like_indexes if "kind" in name or "country" in name
        ]
