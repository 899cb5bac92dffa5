from django.urls import path, register_converter
from django.urls.converters import SlugConverter

from units import views


class UnitAddressConverter(SlugConverter):
    """A unit's slug, or its code as printed, with a space before its number
    ("IRL 3218", "/fr/units/IRL%203218/"; a no-break space if copied from a page;
    a "+" as some forms write a space): the page redirects a code to the unit's
    (units.models.ADDRESS_CODE). Nothing wider: any other address is no page's, as
    Django's slug converter answers."""

    regex = r"[-a-zA-Z0-9_]+(?:[+\s][0-9]+)?"


register_converter(UnitAddressConverter, "unit_address")

app_name = "units"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="list"),
    path("<unit_address:slug>/", views.UnitDetailView.as_view(), name="detail"),
]
