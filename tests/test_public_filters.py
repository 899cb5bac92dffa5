"""What every public list's FilterSet shares (partners.filters.PublicFilterSet)."""

import pytest

from partners.filters import PartnerFilterSet, PublicFilterForm, PublicFilterSet
from programmes.filters import GrantFilterSet, ProjectFilterSet
from units.filters import UnitFilterSet

pytestmark = pytest.mark.django_db

PUBLIC_FILTERSETS = [PartnerFilterSet, UnitFilterSet, GrantFilterSet, ProjectFilterSet]


def test_every_public_filterset_is_tested_here():
    def subclasses(cls):
        for subclass in cls.__subclasses__():
            yield subclass
            yield from subclasses(subclass)

    assert set(subclasses(PublicFilterSet)) == set(PUBLIC_FILTERSETS)


@pytest.mark.parametrize("filterset_class", PUBLIC_FILTERSETS)
def test_every_public_filterset_repeats_an_invalid_value_shortened(filterset_class):
    # A Meta not inheriting PublicFilterSet.Meta would leave Django's form.
    assert issubclass(filterset_class._meta.form, PublicFilterForm)
    long_value = "w" * 5000
    filterset = filterset_class(
        {"country": long_value, "kind": long_value, "scheme": long_value}
    )

    assert not filterset.is_valid()
    messages = " ".join(map(str, filterset.errors.values())).lower()
    assert "w" * 40 + "…" in messages
    assert "w" * 41 not in messages
