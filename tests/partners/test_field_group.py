"""field_group (partners/filters.py) writes the HTML of Django's as_field_group()."""

import pytest
from django import forms
from django.utils import translation

from cnrs_intl.forms import SearchForm
from partners.filters import PartnerFilterSet, field_group
from programmes.filters import GrantFilterSet, ProjectFilterSet
from tests.factories import InstituteFactory, PartnerFactory, UnitFactory
from units.filters import UnitFilterSet

pytestmark = pytest.mark.django_db

# Unbound, valid, and invalid in every way a visitor's address can be.
DATA = [
    None,
    {"q": "tokyo", "country": "JP", "kind": "university", "ordering": "city"},
    {"q": "x" * 300, "country": "ZZ", "kind": "nope", "institute": "none"},
    {"q": "<script>", "year": "1800", "ordering": "nope", "page": "2"},
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize(
    "filterset_class",
    [PartnerFilterSet, UnitFilterSet, GrantFilterSet, ProjectFilterSet],
)
def test_each_public_filter_is_written_as_django_writes_it(
    filterset_class, data, language
):
    PartnerFactory(country="JP")
    UnitFactory(country="BR", lead_institute=InstituteFactory(code="INSB"))
    with translation.override(language):
        form = filterset_class(data).form
        form.is_valid()
        for field in form:
            assert field_group(field) == field.as_field_group(), field.name


class EveryCase(forms.Form):
    """What the public forms do not hold yet: a label ending in punctuation, no
    label, no id, a required field, help text with markup."""

    required_css_class = "required"

    question = forms.CharField(label="Where?", help_text="<em>A city</em>")
    unlabelled = forms.CharField(label="", required=False)
    suffixed = forms.CharField(label="Name & co", label_suffix=" →", required=False)
    chosen = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    several = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )


@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize("data", [None, {"question": "", "chosen": "z"}])
def test_the_cases_public_forms_do_not_hold_yet_are_djangos_too(auto_id, data):
    form = EveryCase(data, auto_id=auto_id)
    form.is_valid()
    for field in form:
        assert field_group(field) == field.as_field_group(), field.name


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("data", [None, {"q": "x"}, {"q": "tokyo"}])
def test_the_search_pages_box_is_djangos(data, language):
    with translation.override(language):
        form = SearchForm(data)
        form.is_valid()
        assert field_group(form["q"]) == form["q"].as_field_group()
