from django_countries import countries

from partners.country_names import country_names, in_name_order
from partners.models import Office
from partners.publication import has_place
from partners.views import FilteredListView, RecordPageView
from units.filters import UnitFilterSet
from units.models import Unit
from units.structured_data import unit_description


def unit_marker(unit) -> dict:
    """Return the map marker of a unit that has coordinates."""
    return {
        "lat": float(unit.latitude),
        "lng": float(unit.longitude),
        "title": unit.acronym,
        "url": unit.get_absolute_url(),
    }


class UnitListView(FilteredListView):
    """The joint units, filtered by ``UnitFilterSet``, with a map.

    Besides FilteredListView's context: ``map_data`` (markers of the units of the
    current page, countries shaded by the number of units of the whole filtered
    list, in one aggregated query) and ``country_rows``, the same numbers as a table.
    """

    filterset_class = UnitFilterSet
    template_name = "units/unit_list.html"
    api_list = "api:unit-list"

    def get_queryset(self):
        units = Unit.objects.public().for_list()
        if not self.request.GET.get("q"):
            return units
        # A unit found by a person its testimonies quote, or by a partner
        # institution's name, says so on its card.
        return units.with_quoted_people().with_public_partners()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country_counts = self.object_list.country_counts()
        self.filterset.count_country_choices_within_others(
            self.object_list, country_counts
        )
        context["map_data"] = {
            "markers": [
                unit_marker(unit) for unit in context["object_list"] if has_place(unit)
            ],
            "countries": country_counts,
        }
        names = country_names()
        context["country_rows"] = [
            {
                "code": code,
                "name": names.get(code) or countries.name(code),
                "count": country_counts[code],
            }
            for code in in_name_order(country_counts)
        ]
        return context


class UnitDetailView(RecordPageView):
    """A joint unit with its partners, institutes, grants, projects and testimonies.

    Context: ``unit``, ``offices`` (the CNRS offices covering its country: whom
    to ask, where the unit gives no contact) and ``map_data`` (its marker, when it
    has coordinates).
    """

    queryset = Unit.objects.for_public_page()
    describe = staticmethod(unit_description)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["offices"] = Office.objects.public().covering(unit.country.code)
        context["map_data"] = (
            {"markers": [unit_marker(unit)], "countries": {unit.country.code: 1}}
            if has_place(unit)
            else None
        )
        return context
