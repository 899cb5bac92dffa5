import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from partners.caching import cached_rows
from partners.filters import (
    UNKNOWN_CHOICE,
    AnyCaseChoiceField,
    AnyCaseChoiceFilter,
    CountryFilter,
    PublicFilterSet,
    SearchTextFilter,
    counted_country_choices,
    countries_to_choose,
)
from partners.regions import Region
from units.models import Institute, Unit, UnitKind, UnitStatus


class CachedModelChoiceIterator(ModelChoiceIterator):
    """The choices of a ModelChoiceField read once per content version: the ten
    institutes were a query on every list page that offers them."""

    def rows(self) -> list:
        return cached_rows(self.queryset)

    # As django-filter's iterator: the empty choice, its null choice, the records.
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for record in self.rows():
            yield self.choice(record)

    def __len__(self):
        extra = [self.field.empty_label, self.field.null_label]
        return len(self.rows()) + sum(label is not None for label in extra)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.rows())


class InstituteChoiceField(ModelChoiceField):
    """An institute given by its slug (``insis``), as the select sends it, or code.

    Its choices are read once per content version (``CachedModelChoiceIterator``);
    a value sent is looked up in the database.
    """

    iterator = CachedModelChoiceIterator
    default_error_messages = {"invalid_choice": UNKNOWN_CHOICE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.queryset.get(Q(slug=value) | Q(code__iexact=value))
        except (TypeError, ValueError, self.queryset.model.DoesNotExist) as error:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value, "label": self.label},
            ) from error


class InstituteFilter(django_filters.ModelChoiceFilter):
    field_class = InstituteChoiceField


def institutes(request):
    """Return the institutes to choose from (built per request, never at import)."""
    return Institute.objects.order_by("code")


class UnitOrderingFilter(django_filters.OrderingFilter):
    """Sort by acronym, name, country or creation year, in the visitor's language.

    Names sort as shown in the active language (with fallback), countries by their
    translated name; several orders apply in turn ("?ordering=country,-year"); ties
    are broken by acronym (case ignored) then id so that pages never overlap.
    """

    field_class = AnyCaseChoiceField

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        # "?ordering=,," gives empty values only: no order asked.
        params = [param for param in value if param]
        if not params:
            return qs
        columns = [self.get_ordering_value(param) for param in params]
        return qs.order_by_columns(columns, self.parent.country_codes)


class UnitFilterSet(PublicFilterSet):
    """Joint units by kind, institute, country, continent, status and free text.

    The base queryset is the published units (``Unit.objects.public().for_list()``)
    unless the caller gives a narrower one. The country choices are the countries
    that have published units, each with its number of units, named and sorted in
    the active language: they are built for each request, never at import time.
    """

    q = SearchTextFilter(
        label=_("Search"),
        help_text=_("Words from the name, acronym, code, city or research themes."),
    )
    kind = AnyCaseChoiceFilter(
        label=_("Kind of unit"),
        choices=UnitKind.choices,
        empty_label=_("All kinds"),
    )
    institute = InstituteFilter(
        # The model's verbose name "CNRS institute" is lower case in French.
        label=pgettext_lazy("label", "CNRS institute"),
        queryset=institutes,
        to_field_name="slug",
        empty_label=_("All institutes"),
        method="filter_institute",
        help_text=_("Lead or secondary institute."),
    )
    country = CountryFilter(label=_("Country"), empty_label=_("All countries"))
    region = AnyCaseChoiceFilter(
        label=_("Continent"),
        choices=Region.choices,
        empty_label=_("All continents"),
        method="filter_region",
    )
    status = AnyCaseChoiceFilter(
        label=_("Status"),
        choices=UnitStatus.choices,
        empty_label=_("All statuses"),
    )
    ordering = UnitOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("acronym", "acronym"),
            ("name", "name"),
            ("country", "country"),
            ("creation_year", "year"),
        ),
        choices=[
            ("acronym", _("Acronym")),
            ("name", _("Name")),
            ("country", _("Country")),
            ("-year", _("Newest first")),
            ("year", _("Oldest first")),
        ],
        empty_label=None,
    )
    own_order = "acronym"

    class Meta(PublicFilterSet.Meta):
        model = Unit
        fields = ["q", "kind", "institute", "country", "region", "status"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Unit.objects.public().for_list()
        super().__init__(data, queryset, **kwargs)
        self.country_codes = self.countries_in_order()
        self.filters["country"].extra["choices"] = counted_country_choices(
            self.country_codes, self.country_counts
        )

    def countries_in_order(self) -> list[str]:
        """Return the codes of the countries to choose from, sorted by name."""
        self.country_counts = Unit.objects.public().country_counts()
        return countries_to_choose(self.country_counts, self.data)

    def filter_institute(self, queryset, name, value: str):
        return queryset.with_institute(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)
