"""FastSelect (partners/filters.py) writes the HTML of Django's Select widget."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from pytest_django.asserts import assertHTMLEqual

from partners.filters import FastSelect, PartnerFilterSet
from partners.models import Partner
from tests.factories import PartnerFactory

SCRIPT = "<script>alert('x')</script> & Co"

CHOICES = [
    ("", "Tous les pays"),
    ("BR", "Brésil (12)"),
    ("XS", SCRIPT),
    ("SAFE", mark_safe("<b>déjà sûr</b>")),
    (3, gettext_lazy("Name")),
    (None, "rien"),
    ("Europe", [("FR", "France"), ("DE", "Allemagne & co")]),
    ("Asie", (("JP", "Japon"), ("KR", "Corée"))),
    ("BR", "Brésil, encore"),  # a value twice: only the first is selected
]


@pytest.mark.parametrize(
    "value", [None, "", "BR", "DE", "KR", 3, "3", "nothing", SCRIPT, ["BR", "JP"]]
)
@pytest.mark.parametrize("attrs", [None, {"id": "id_country", "required": True}])
def test_the_select_box_is_djangos(value, attrs):
    ours = FastSelect(choices=CHOICES, attrs={"class": "wide"})
    djangos = forms.Select(choices=CHOICES, attrs={"class": "wide"})
    assertHTMLEqual(
        ours.render("country", value, attrs), djangos.render("country", value, attrs)
    )


@pytest.mark.parametrize("value", [None, ["BR", "KR"], "DE"])
def test_a_multiple_select_box_is_djangos(value):
    class FastSelectMultiple(FastSelect):
        allow_multiple_selected = True

    ours = FastSelectMultiple(choices=CHOICES).render("countries", value)
    djangos = forms.SelectMultiple(choices=CHOICES).render("countries", value)
    assertHTMLEqual(ours, djangos)
    assert " multiple" in ours


def test_labels_are_escaped_once():
    html = FastSelect(choices=CHOICES).render("country", "XS")
    assert "<script>" not in html
    assert (
        '<option value="XS" selected>'
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co</option>"
    ) in html
    assert "<b>déjà sûr</b>" in html  # a safe label as it is
    assert html.count(" selected") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_partner_lists_country_filter_is_djangos(language):
    PartnerFactory(country="BR")
    PartnerFactory(country="JP")
    with translation.override(language):
        field = PartnerFilterSet({"country": "JP"}, queryset=Partner.objects.all())
        bound = field.form["country"]
        ours = str(bound)
        djangos = forms.Select(choices=bound.field.choices).render(
            bound.html_name,
            bound.value(),
            bound.build_widget_attrs({"id": bound.auto_id}),
        )
    assertHTMLEqual(ours, djangos)
    assert '<option value="JP" selected>' in ours
