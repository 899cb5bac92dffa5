"""Identifiers unique when given: a duplicate is an error on its field, naming who.

The database's constraints have a condition (an empty identifier may repeat), and for
those Django says only "Constraint “partner_unique_ror_id” is violated.", on no field.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from partners.models import Partner
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

IDENTIFIERS = [
    (PartnerFactory, "ror_id", "00pjdza24"),
    (PartnerFactory, "pic", "999997930"),
    (AgreementFactory, "reference", "CNRS-JSPS-2024"),
    (PersonFactory, "orcid", "0000-0002-1825-0097"),
    (UnitFactory, "code", "IRL 3757"),
    (GrantFactory, "cordis_id", "633152"),
    (ProjectFactory, "cordis_id", "101091623"),
]


@pytest.mark.parametrize("factory, field, value", IDENTIFIERS)
def test_an_identifier_another_record_holds_is_an_error_on_its_field(
    factory, field, value
):
    holder = factory(**{field: value})
    other = factory()
    setattr(other, field, value)

    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            other.full_clean()
        errors = caught.value.message_dict  # the messages are lazy
        expected = f"Another record has it: {other._meta.verbose_name} “{holder}”."

    assert errors[field] == [expected]
    assert "__all__" not in errors


@pytest.mark.parametrize("factory, field, value", IDENTIFIERS)
def test_a_record_keeps_its_identifier_and_empty_ones_repeat(factory, field, value):
    holder = factory(**{field: value})
    factory(**{field: ""})
    blank = factory(**{field: ""})

    holder.validate_constraints()
    blank.validate_constraints()


UNIQUE_FIELDS = [
    (PartnerFactory, "slug", "osaka-university"),
    (OfficeFactory, "slug", "tokyo"),
    (AgreementFactory, "slug", "cnrs-jsps"),
    (InstituteFactory, "slug", "inc"),
    (InstituteFactory, "code", "INC"),
    (UnitFactory, "slug", "jrl"),
    (ProgrammeFactory, "slug", "horizon-2020"),
    (GrantFactory, "slug", "geofluids"),
    (ProjectFactory, "slug", "tascmar"),
]


@pytest.mark.parametrize("factory, field, value", UNIQUE_FIELDS)
def test_a_slug_another_record_has_is_an_error_naming_it(factory, field, value):
    # Django said only "… with this slug already exists.", naming no one.
    holder = factory(**{field: value})
    other = factory()
    setattr(other, field, value)

    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            other.full_clean()
        errors = caught.value.message_dict  # the messages are lazy
        expected = f"Another record has it: {other._meta.verbose_name} “{holder}”."

    assert errors[field] == [expected]


def test_the_admin_names_the_record_with_that_slug(admin_client):
    PartnerFactory(slug="university-of-tokyo", name_en="University of Tokyo")
    other = PartnerFactory()
    url = admin_url(Partner, "change", other.pk)
    data = {**form_data(admin_client.get(url)), "slug": "university-of-tokyo"}

    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["slug"]
    assert error.startswith("Another record has it: partner institution “")
    other.refresh_from_db()
    assert other.slug != "university-of-tokyo"


def test_the_admin_shows_it_beside_the_field(admin_client):
    PartnerFactory(
        ror_id="00pjdza24",
        name_fr="Université de Californie",
        name_en="University of California",
    )
    other = PartnerFactory()
    url = admin_url(Partner, "change", other.pk)
    data = {**form_data(admin_client.get(url)), "ror_id": "00pjdza24"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    [error] = form.errors["ror_id"]  # in the admin's language
    assert error.startswith(
        ("Another record has it: ", "Une autre fiche l’a déjà\xa0: ")
    )
    assert "University of California" in error or "Université de Californie" in error
    other.refresh_from_db()
    assert other.ror_id != "00pjdza24"
