import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partners.models import Partner, PartnerKind
from partners.search import fold


def country_name_key(code: str) -> str:
    """Sort key of a country code: its name in the active language, folded."""
    return fold(countries.name(code))


class PartnerFilterSet(django_filters.FilterSet):
    """Partner institutions by country, kind and name, sorted as the visitor asks.

    The country choices are the countries that have published partners, each with
    its number of partners, named and sorted in the active language: they are built
    for each request (one aggregated query), never at import time.
    """

    country = django_filters.ChoiceFilter(
        label=_("Country"), empty_label=_("All countries")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of institution"),
        choices=PartnerKind.choices,
        empty_label=_("All kinds"),
    )
    q = django_filters.CharFilter(
        label=_("Name, acronym or city"), method="filter_text"
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("name", _("Name")), ("country", _("Country")), ("city", _("City"))],
        empty_label=None,
        method="sort",
    )

    class Meta:
        model = Partner
        fields = ["country", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_codes = self.countries_in_order()
        self.filters["country"].extra["choices"] = [
            (code, f"{countries.name(code)} ({self.country_counts.get(code, 0)})")
            for code in self.country_codes
        ]

    def countries_in_order(self) -> list[str]:
        """Return the codes of the countries to choose from, sorted by name."""
        self.country_counts = Partner.objects.public_country_counts()
        codes = set(self.country_counts)
        # A shared link to a real country that has no partner (any more) finds
        # nothing rather than an error; only codes that are no country are refused.
        asked = (self.data or {}).get("country")
        if asked and asked in countries:
            codes.add(asked)
        return sorted(codes, key=country_name_key)

    def filter_text(self, queryset, name, value):
        records, self.near_misses = queryset.search_or_near_misses(value)
        return records

    def sort(self, queryset, name, value):
        if value == "country":
            return queryset.order_by_countries(self.country_codes)
        if value == "city":
            return queryset.order_by_city()
        return queryset.order_by_name()
