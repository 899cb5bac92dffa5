"""The filters of the grant and project lists, shared by the pages and the API.

Choices that come from the database or depend on the language are callables, read
when a form is built: a list frozen at import time would keep the language of the
first request (DESIGN.md, pitfall 3).
"""

import itertools

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import ExpressionWrapper, F, IntegerField
from django.db.models.functions import Upper
from django.forms.utils import pretty_name
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from django_filters.constants import EMPTY_VALUES

from partners.caching import cached_by_content, cached_rows_of
from partners.filters import (
    AnyCaseChoiceField,
    AnyCaseChoiceFilter,
    CountryFilter,
    PublicFilterForm,
    PublicFilterSet,
    SearchTextFilter,
    counted_country_choices,
    countries_to_choose,
    described_as,
)
from partners.models import acronym_beside, case_ignored_in_ordering
from partners.search import Fold, shown_text, sorted_once_found
from programmes.models import (
    FAMILY_PROGRAMME_ERRORS,
    FIRST_CALL_YEAR,
    CnrsRole,
    ErcPanel,
    Grant,
    GrantScheme,
    Period,
    Programme,
    Project,
    ProjectKind,
    SocietalChallenge,
    last_call_year,
    project_years,
    public_record_counts,
    scheme_family,
)
from units.filters import InstituteFilter, institutes


def call_year_choices():
    """Return the call years to choose from, the latest first: from the first
    calls to this year, or to a later one that published grants have."""
    last = last_call_year()
    return [(year, str(year)) for year in range(last, FIRST_CALL_YEAR - 1, -1)]


def running_year_choices():
    """Return the years in which published projects run, the latest first."""
    years = project_years()
    if years is None:
        return []
    first, last = years
    return [(year, str(year)) for year in range(last, first - 1, -1)]


def programme_choices(records: str = "", asked=None):
    """Return the published programmes to choose from, in the programmes list's
    order (``in_kind_order``), read once per content version and language.

    With ``records`` ("grants" or "projects"), only the programmes that have such
    published records, and the one an address asks for: a shared link to a
    programme that has none (any more) finds nothing rather than an error.
    """
    programmes = cached_rows_of(programmes_in_kind_order)
    if records:
        counts = cached_by_content("programme-record-counts", public_record_counts)
        kept = 0 if records == "grants" else 1
        asked = (asked or "").lower()
        programmes = [
            programme
            for programme in programmes
            if counts.get(programme.pk, (0, 0))[kept] or programme.slug == asked
        ]
    return [
        (
            programme.slug,
            f"{programme.name} ({acronym})"
            if (acronym := acronym_beside(programme.name, programme.acronym))
            else programme.name,
        )
        for programme in programmes
    ]


def programmes_in_kind_order():
    """The published programmes in the programmes list's order."""
    return Programme.objects.public().in_kind_order()


def descending(label):
    """Return ``label`` marked as the descending order, in the active language."""
    return django_filters.OrderingFilter.descending_fmt % label


descending_label = lazy(descending, str)


class OrderChoiceField(AnyCaseChoiceField):
    """An order among the choices, or one of ``aliases``: orders taken as another
    and not offered (StableOrderingFilter's ``same_as_own``), which links already
    out there name."""

    def __init__(self, *args, aliases=(), **kwargs):
        self.aliases = {alias.casefold(): alias for alias in aliases}
        super().__init__(*args, **kwargs)

    def valid_value(self, value):
        return str(value) in self.aliases.values() or super().valid_value(value)

    def choice_value(self, value: str) -> str:
        if value and value.casefold() in self.aliases:
            return self.aliases[value.casefold()]
        return super().choice_value(value)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Order by the chosen column, then by primary key so that pages never overlap.

    ``sort_keys`` maps a field to a function returning the expressions it is sorted
    by instead of its value (a name, accents and case ignored), given whether a
    text is searched. A search's matches are sorted once found, whatever the order
    (``sorted_once_found``): such a function returns, for them, keys that no index
    gives. A text field the model's ordering sorts case ignored (an acronym:
    ``case_ignored_in_ordering``) is sorted so by any order naming it, and a
    field that may be unknown (a date) has its unknown values last either way.

    ``latest_first`` maps a field to the label of its descending order, offered
    before the ascending one ("Latest start first"): "Start date (descending)"
    said it backwards.
    """

    field_class = OrderChoiceField

    def __init__(
        self,
        *args,
        sort_keys=None,
        own_order=None,
        same_as_own=(),
        latest_first=None,
        **kwargs,
    ):
        self.sort_keys = sort_keys or {}
        self.latest_first = latest_first or {}
        # (value, label): the list's own order (its model's), offered first.
        self.own_order = own_order
        # Orders that are the own one but for ties, taken as it and never
        # offered, neither by the page nor by the API's description (one value
        # per order): links naming them still work.
        self.same_as_own = frozenset(same_as_own)
        super().__init__(*args, aliases=sorted(self.same_as_own), **kwargs)

    def build_choices(self, fields, labels):
        # django-filter formats its "(descending)" labels when the FilterSet class is
        # defined, in the language of that first request; these wait until shown.
        choices = [self.own_order] if self.own_order else []
        for field, param in fields.items():
            label = labels.get(field, pretty_name(param))
            if field in self.latest_first:
                choices += [(f"-{param}", self.latest_first[field]), (param, label)]
            else:
                choices += [(param, label), (f"-{param}", descending_label(label))]
        return [choice for choice in choices if choice[0] not in self.same_as_own]

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        searched = bool(getattr(self.parent.form, "cleaned_data", {}).get("q"))
        params = [param for param in value if param]
        own = {self.own_order[0], *self.same_as_own} if self.own_order else set()
        if params and params[0] in own:
            names = list(qs.model._meta.ordering)
        else:
            names = [self.get_ordering_value(param) for param in params]
        ordering = [term for name in names for term in self.sort_terms(name, searched)]
        ordered = qs.order_by(*ordering, "pk")
        # The model's ordering may start with an expression (Upper("acronym")):
        # never one of the sort keys.
        first = names[0] if names and isinstance(names[0], str) else ""
        if searched and first.lstrip("-") not in self.sort_keys:
            # As the text filter sorts them in the list's own order: else
            # PostgreSQL may walk this order's index testing each row for the words.
            return sorted_once_found(ordered)
        return ordered

    def sort_terms(self, name, searched: bool) -> list:
        """Return what sorts by the field ``name`` ("-" first: descending), or by
        the model's ordering term ``name`` (an expression: ``Upper("acronym")``)."""
        if not isinstance(name, str):
            return [name]
        field = name.removeprefix("-")
        descending = name.startswith("-")
        unknown_last = self.may_be_unknown(field)
        if field in case_ignored_in_ordering(self.model):
            keys = [Upper(field)]
        elif field in self.sort_keys:
            keys = self.sort_keys[field](searched)
        elif unknown_last:
            keys = [F(field)]
        else:
            return [name]
        # Unknown last either way, as the unit list's years: PostgreSQL sorts NULL
        # first when descending, SQLite when ascending. Only then: "NULLS LAST" on
        # a descending name would keep PostgreSQL off its index.
        way = {"nulls_last": True} if unknown_last else {}
        return [key.desc(**way) if descending else key.asc(**way) for key in keys]

    def may_be_unknown(self, field: str) -> bool:
        """Tell whether ``field`` is a column of the model that may be NULL."""
        try:
            return self.model._meta.get_field(field).null
        except FieldDoesNotExist:  # a relation's ("laureate__last_name")
            return False


def laureate_name(searched: bool) -> list:
    """Return the laureate's last then first name, accents and case ignored.

    On PostgreSQL a page is read along the index of people's folded names
    (migration programmes 0013): folding and sorting every name took 0.3 s at
    100,000 grants. Not a search's matches: PostgreSQL walked that index testing
    each person's grants (2 to 10 s for a laureate's name); with the name hidden
    from the index, as ``sorted_once_found`` hides a column, it sorted every person
    before finding the matches (0.2 to 0.3 s for a common word). A first key of
    the grant's own, zero for all, makes it find them first, then sort them alone
    (80 ms for 7,000 matches).
    """
    return found_first(
        [Fold("laureate__last_name"), Fold("laureate__first_name")], searched
    )


def found_first(keys: list, searched: bool) -> list:
    """Return the sort ``keys``, after a key of the record's own, zero for all,
    when a text is searched: PostgreSQL then finds the matches through the search
    indexes and sorts them alone, rather than walking the index of the order
    testing each row for the words (``laureate_name``, ``sorted_once_found``)."""
    if not searched:
        return keys
    return [ExpressionWrapper(F("pk") * 0, output_field=IntegerField()), *keys]


def project_title(searched: bool) -> list:
    """Return the title as the page shows it (in the active language, else the
    other), accents and case ignored: "Écologie" among the E's.

    On PostgreSQL the stored folded titles (programmes 0015), read along their
    indexes (programmes 0025).
    """
    return found_first([shown_text("title")], searched)


def date_order(field: str):
    """Return the sort keys of the date ``field``, for ``sort_keys``: the date,
    its index read on PostgreSQL (programmes 0025), a search's matches sorted
    once found."""

    def keys(searched: bool) -> list:
        return found_first([F(field)], searched)

    return keys


def search_field():
    return SearchTextFilter(
        label=_("Search"), widget=forms.TextInput(attrs={"type": "search"})
    )


def period_filter() -> AnyCaseChoiceFilter:
    """The grants or projects ongoing, completed or not started yet, today."""
    return AnyCaseChoiceFilter(
        label=_("Period"),
        choices=Period.choices,
        empty_label=_("Any period"),
        method=lambda queryset, name, value: queryset.in_period(value),
    )


def number_read(value):
    """Return ``value`` as the lists read a number: a page's (Django's paginator,
    int()) or a call year. The spaces around it left out ("year=+2020" is
    " 2020"), digits of any script read ("２０２０": "2020"). Any other value as
    it is, which a message refusing it repeats as typed."""
    if isinstance(value, str) and (digits := value.strip()).isdecimal():
        return str(int(digits))
    return value


class YearChoiceField(AnyCaseChoiceField):
    """A year among those offered, read as a page number is (``number_read``);
    another is refused saying which years are (its ``invalid_choice`` message
    names the ``first`` and the ``last``): Django's "Select a valid choice" did
    not."""

    def choice_value(self, value: str) -> str:
        # The form's value and the select's choice alike (to_python, prepare_value).
        return super().choice_value(number_read(value))

    @cached_property
    def years(self) -> list[int]:
        """The years offered, read once per form (``choice_values``)."""
        return [int(year) for year in self.choice_values.values() if year.isdigit()]

    def invalid_choice_params(self) -> dict:
        return {
            **super().invalid_choice_params(),
            "first": min(self.years),
            "last": max(self.years),
        }


class CallYearChoiceField(YearChoiceField):
    default_error_messages = {
        "invalid_choice": _(
            "There is no call year “%(value)s”: years run from %(first)s to %(last)s."
        )
    }


class CallYearFilter(AnyCaseChoiceFilter):
    field_class = CallYearChoiceField


class RunningYearChoiceField(YearChoiceField):
    """A year in which projects run; none to choose while no published project
    has its dates."""

    default_error_messages = {
        "invalid_choice": _(
            "There is no year “%(value)s” to choose: projects run from %(first)s "
            "to %(last)s."
        ),
        "no_years": _(
            "There is no year “%(value)s” to choose: no project has its dates yet."
        ),
    }

    def validate(self, value):
        if value and not self.years:
            raise ValidationError(
                self.error_messages["no_years"],
                code="invalid_choice",
                params={"value": value},
            )
        super().validate(value)


class RunningYearFilter(AnyCaseChoiceFilter):
    field_class = RunningYearChoiceField


def call_year_filter(label, empty_label, lookup_expr="exact", shown_as=None):
    """A call year chosen among those grants may have: the very year, or an end
    of a span (``lookup_expr`` "gte", "lte"), which the page's title words
    (``shown_as``: "since 2015")."""
    # The first calls' year, and no last: this year, or a later one published
    # grants have, which a refusal names.
    return described_as(
        CallYearFilter(
            label=label,
            field_name="call_year",
            lookup_expr=lookup_expr,
            choices=call_year_choices,
            empty_label=empty_label,
            shown_as=shown_as,
        ),
        {"type": "integer", "minimum": FIRST_CALL_YEAR},
        label,
    )


class GrantFilterForm(PublicFilterForm):
    """The grant list's filters: a span of call years runs forwards, and holds the
    call year chosen with it; the family, scheme, programme and panel chosen are of
    one programme family (else the list is empty, always)."""

    def families_chosen(self, cleaned_data) -> list[tuple[str, str]]:
        """Return (field, family) for each filter chosen that implies a programme
        family: the family itself, a scheme, the ERC or MSCA programme, a panel
        (ERC's only)."""
        chosen = []
        if family := cleaned_data.get("family"):
            chosen.append(("family", family))
        if scheme := cleaned_data.get("scheme"):
            chosen.append(("scheme", scheme_family(scheme)))
        if (programme := cleaned_data.get("programme")) in FAMILY_PROGRAMME_ERRORS:
            chosen.append(("programme", programme))
        if cleaned_data.get("panel"):
            chosen.append(("panel", "erc"))
        return chosen

    def chosen_label(self, name: str, cleaned_data):
        """The label of the choice ``name`` holds, lazy (the message is read in the
        page's language)."""
        value = cleaned_data[name]
        return dict(self.fields[name].choices).get(value, value)

    def clean(self):
        cleaned_data = super().clean()
        chosen = self.families_chosen(cleaned_data)
        for (first, family), (second, other) in itertools.pairwise(chosen):
            if family != other:
                # "ERC" with "MSCA Postdoctoral Fellowship": two filters that
                # both choose the family, and the grants list has both.
                self.in_error_together(first, second)
                raise ValidationError(
                    _(
                        "No grant is both “%(first)s” and “%(second)s”: they "
                        "belong to different programme families."
                    ),
                    code="families_differ",
                    params={
                        "first": self.chosen_label(first, cleaned_data),
                        "second": self.chosen_label(second, cleaned_data),
                    },
                )
        year = cleaned_data.get("year")
        since, until = cleaned_data.get("since"), cleaned_data.get("until")
        if since and until and int(since) > int(until):
            self.in_error_together("since", "until")
            raise ValidationError(
                _("The first call year (%(since)s) comes after the last (%(until)s)."),
                code="years_reversed",
                params={"since": since, "until": until},
            )
        if year and since and int(year) < int(since):
            self.in_error_together("year", "since")
            raise ValidationError(
                _("The call year (%(year)s) comes before the first (%(since)s)."),
                code="year_before_span",
                params={"year": year, "since": since},
            )
        if year and until and int(year) > int(until):
            self.in_error_together("year", "until")
            raise ValidationError(
                _("The call year (%(year)s) comes after the last (%(until)s)."),
                code="year_after_span",
                params={"year": year, "until": until},
            )
        return cleaned_data


class ProgrammeRecordsFilterSet(PublicFilterSet):
    """The published grants or projects (``Meta.model``), by programme and country
    among others: the programmes that fund them, and the countries they are in
    (their model's ``country_counts``), each with its number of records."""

    def __init__(self, data=None, queryset=None, **kwargs):
        model = self._meta.model
        if queryset is None:
            queryset = model.objects.public().for_list()
        super().__init__(data, queryset, **kwargs)
        # Offering the IRPs or Horizon Europe to grants led to an empty list.
        self.filters["programme"].extra["choices"] = programme_choices(
            model._meta.get_field("programme").related_query_name(),
            (data or {}).get("programme"),
        )
        # Counted when the select is shown: the API never shows it.
        self.filters["country"].extra["choices"] = lambda: counted_country_choices(
            self.country_codes, self.country_counts
        )

    @cached_property
    def country_counts(self) -> dict[str, int]:
        return self._meta.model.objects.public().country_counts()

    @cached_property
    def country_codes(self) -> list[str]:
        """The codes of the countries to choose from, sorted by name."""
        return countries_to_choose(self.country_counts, self.data)


class GrantFilterSet(ProgrammeRecordsFilterSet):
    """ERC and MSCA grants by scheme, call year or span of years, institute, panel
    and text."""

    q = search_field()
    family = AnyCaseChoiceFilter(
        label=_("Programme family"),
        choices=[("erc", _("ERC")), ("msca", _("Marie Skłodowska-Curie Actions"))],
        empty_label=_("ERC and MSCA"),
        method="filter_family",
    )
    scheme = AnyCaseChoiceFilter(
        label=_("Scheme"), choices=GrantScheme.choices, empty_label=_("All schemes")
    )
    year = call_year_filter(_("Call year"), _("Any year"))
    # "The ERC laureates in mathematics since 2015": a span of calls, either end
    # open. The title says which end a year is ("since 2015"), or the span
    # ("2015–2018", ``spans``).
    since = call_year_filter(
        _("First call year"),
        _("No limit"),
        "gte",
        shown_as=_("since %(value)s"),
    )
    until = call_year_filter(
        _("Last call year"),
        _("No limit"),
        "lte",
        shown_as=_("until %(value)s"),
    )
    period = period_filter()
    # Its code (IN2P3) as the select sends it, or, as on the unit list, its slug;
    # in any case.
    institute = InstituteFilter(
        label=_("Institute"),
        queryset=institutes,
        to_field_name="code",
        empty_label=_("All institutes"),
    )
    panel = AnyCaseChoiceFilter(
        # The model's verbose name "ERC panel" is lower case in French.
        label=pgettext_lazy("label", "ERC panel"),
        choices=ErcPanel.choices,
        empty_label=_("All panels"),
    )
    programme = AnyCaseChoiceFilter(
        label=_("Programme"),
        field_name="programme__slug",
        choices=programme_choices,
        empty_label=_("All programmes"),
    )
    # As the country's page lists them: "?country=JP" was taken for a filter
    # and listed every grant.
    country = CountryFilter(
        label=_("Country of the joint unit"),
        empty_label=_("All countries"),
        method="filter_country",
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("call_year", "year"),
            ("acronym", "acronym"),
            ("laureate__last_name", "laureate"),
        ),
        field_labels={
            # Ascending: "Latest calls first" is the own order, its reverse.
            "call_year": _("Oldest calls first"),
            "acronym": _("Acronym"),
            "laureate__last_name": _("Laureate"),
        },
        # "Ávila" among the A's, not after "Zola".
        sort_keys={"laureate__last_name": laureate_name},
        own_order=("latest", _("Latest calls first")),
        # "Call year (descending)" offered besides "Latest calls first" read as a
        # second order; they differ only in how a year's grants are sorted.
        same_as_own=("-year",),
        empty_label=None,
    )
    own_order = "latest"
    spans = (("since", "until"),)

    class Meta(PublicFilterSet.Meta):
        model = Grant
        fields = []
        form = GrantFilterForm

    def filter_family(self, queryset, name, value):
        return queryset.erc() if value == "erc" else queryset.msca()

    def filter_country(self, queryset, name, value: str):
        return queryset.held_in_country(value)


class ProjectFilterSet(ProgrammeRecordsFilterSet):
    """Projects by kind, programme, societal challenge, country, CNRS role, year
    and text, sorted as the visitor asks.

    The country choices are the countries where published projects have a
    participant, each with its number of projects, named and sorted in the active
    language, as the unit and partner lists offer theirs.
    """

    q = search_field()
    kind = AnyCaseChoiceFilter(
        label=_("Kind"), choices=ProjectKind.choices, empty_label=_("All kinds")
    )
    programme = AnyCaseChoiceFilter(
        label=_("Programme"),
        field_name="programme__slug",
        choices=programme_choices,
        empty_label=_("All programmes"),
    )
    challenge = AnyCaseChoiceFilter(
        label=_("Societal challenge"),
        field_name="societal_challenge",
        choices=SocietalChallenge.choices,
        empty_label=_("All challenges"),
    )
    country = CountryFilter(
        label=_("Participant’s country"),
        empty_label=_("All countries"),
        method="filter_country",
    )
    cnrs_role = AnyCaseChoiceFilter(
        label=_("CNRS role"), choices=CnrsRole.choices, empty_label=_("Any role")
    )
    period = period_filter()
    # "The projects of 2020": those running at any time that year, among the
    # years projects span (``project_years``), which a refusal names.
    year = described_as(
        RunningYearFilter(
            label=_("Running in"),
            choices=running_year_choices,
            empty_label=_("Any year"),
            method="filter_year",
            shown_as=_("running in %(value)s"),
        ),
        {"type": "integer"},
        _("Running in"),
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("title", "title"),
            ("start_date", "start"),
            ("end_date", "end"),
        ),
        field_labels={
            "title": _("Title"),
            "start_date": _("Earliest start first"),
            "end_date": _("Earliest end first"),
        },
        latest_first={
            "start_date": _("Latest start first"),
            "end_date": _("Latest end first"),
        },
        # "Écologie" among the E's, in the language of the page.
        sort_keys={
            "title": project_title,
            "start_date": date_order("start_date"),
            "end_date": date_order("end_date"),
        },
        own_order=("acronym", _("Acronym")),
        empty_label=None,
    )
    own_order = "acronym"

    class Meta(PublicFilterSet.Meta):
        model = Project
        fields = []

    def filter_year(self, queryset, name, value: str):
        return queryset.running_in(int(value))

    def filter_country(self, queryset, name, value: str):
        return queryset.with_participant_in(value)
