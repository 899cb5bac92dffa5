import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.factories import PersonFactory, UnitFactory, UnitPartnershipFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


def assert_rejected_by_database(factory, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


def test_unit_code_is_unique():
    UnitFactory(code="IRL 3757")
    assert_rejected_by_database(UnitFactory, code="IRL 3757")


@pytest.mark.parametrize("code", ["IRL3757", "irl 3757", "LAB 12", "IRL 3757 bis"])
def test_unit_code_is_well_formed(code):
    assert_rejected_by_database(UnitFactory, code=code)


def test_unit_cannot_close_before_it_opens():
    assert_rejected_by_database(UnitFactory, creation_year=2010, closure_year=2009)


def test_orcid_is_well_formed_and_unique():
    assert_rejected_by_database(PersonFactory, orcid="0000-0002-1825-009")
    PersonFactory(orcid="0000-0002-1825-0097")
    assert_rejected_by_database(PersonFactory, orcid="0000-0002-1825-0097")
    PersonFactory(orcid="0000-0001-5109-396X")


def test_institution_takes_part_in_a_unit_once():
    partnership = UnitPartnershipFactory()
    assert_rejected_by_database(
        UnitPartnershipFactory, unit=partnership.unit, partner=partnership.partner
    )


def test_name_falls_back_to_french_when_english_is_missing():
    unit = UnitFactory(name_fr="Laboratoire franco-japonais", name_en="")
    with translation.override("en"):
        assert Unit.objects.get(pk=unit.pk).name == "Laboratoire franco-japonais"


def test_filter_on_a_translated_field_uses_the_active_language():
    UnitFactory(name_fr="Laboratoire de robotique", name_en="Robotics laboratory")
    with translation.override("en"):
        assert Unit.objects.filter(name__icontains="robotics").count() == 1
    with translation.override("fr"):
        assert Unit.objects.filter(name__icontains="robotique").count() == 1


def test_theme_list_skips_blank_lines():
    unit = UnitFactory(themes_fr="Robotique humanoïde\n\n  Vision  \n")
    assert unit.theme_list == ["Robotique humanoïde", "Vision"]
