"""The admin's changelists at scale: estimated counts, filters offering only
the values in use, and text search through the search module.
"""

import functools
import operator
from functools import reduce

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import (
    NotRelationField,
    get_fields_from_path,
    lookup_spawns_duplicates,
)
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import Lower, Upper
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from partners.admin_forms import (
    NamedChangeList,
    is_value_of,
    translated_field_names,
)
from partners.caching import (
    cached_by_content,
    cached_count,
    cached_rows,
    is_content_model,
    query_key,
)
from partners.filters import TEXT_MAX_LENGTH, country_name
from partners.models import case_ignored_in_ordering
from partners.pagination import IdsFirstPaginator
from partners.publication import choice_labels
from partners.search import (
    ORCID_LINKS,
    NotFromIndex,
    shown_text,
    text_search,
    typo_search,
    without_address,
)

# Above this many rows, an unfiltered changelist shows PostgreSQL's estimate of its
# size rather than counting every row on each page view (the 100,000 grants of a
# full data set took 10 ms to count, every page view).
ESTIMATE_ABOVE = 50_000


class EstimatedCountPaginator(IdsFirstPaginator):
    """Count an unfiltered big table from PostgreSQL's statistics, not COUNT(*).

    The estimate (pg_class.reltuples, refreshed by ANALYZE and autovacuum) is off
    by a few percent at most; a filtered list, or a small table, is counted exactly,
    once per content version for public content (a search for a common word counts
    a third of a million partners: each page of it counted them again).
    """

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where and not query.distinct:
            estimate = estimated_rows(self.object_list)
            if estimate is not None and estimate > ESTIMATE_ABOVE:
                return estimate
        if query is not None and is_content_model(self.object_list.model):
            return cached_count(self.object_list)
        return super().count


def estimated_rows(queryset) -> int | None:
    """Return PostgreSQL's estimate of the rows of ``queryset``'s table, or None."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    # -1: never analysed (PostgreSQL 14+).
    return row[0] if row and row[0] >= 0 else None


@admin.display(description=_("country"), ordering="country")
def country_column(record):
    """The country's name: django-countries' own lookup costs 2 ms a cell."""
    return country_name(record.country.code)


class CountriesInUseFilter(CountryFilter):
    """django-countries' filter, with the countries in use read once per version.

    Its own lookup runs a SELECT DISTINCT over the whole table on every page view,
    and sorts the 250 countries' names again; its choices build the list's query
    string again for each country: 10 % of the partners changelist.
    """

    def codes_in_use(self, changelist) -> set[str]:
        model = changelist.model
        return cached_by_content(
            f"countries-in-use:{model._meta.label_lower}:{self.field_path}",
            lambda: set(
                model._default_manager.order_by()
                .values_list(self.field_path, flat=True)
                .distinct()
            ),
        )

    def lookup_choices(self, changelist):
        codes = self.codes_in_use(changelist)
        language = translation.get_language()
        for code, name in _country_choices(self.field, language):
            if code in codes:
                yield code, name

    def choices(self, changelist):
        if self.field.multiple:
            yield from super().choices(changelist)
            return
        theirs = super().choices(changelist)
        yield next(theirs)  # "All"
        theirs.close()
        value = self.used_parameters.get(self.field_path)
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        query_string = query_strings(changelist, self.field_path)
        for code, name in self.lookup_choices(changelist):
            yield {
                "selected": value is not None and str(code) == value,
                "query_string": query_string(code),
                "display": name,
            }


class CountriesInScopeFilter(CountriesInUseFilter):
    """The countries of the records this user may see: an institute adviser's
    units are in a few countries, and the others' listed none of them."""

    def codes_in_use(self, changelist) -> set[str]:
        # Keyed by the query: each scope has its own.
        in_use = (
            changelist.root_queryset.order_by()
            .values_list(self.field_path, flat=True)
            .distinct()
        )
        return set(cached_rows(in_use))


@functools.lru_cache(maxsize=16)
def _country_choices(field, language):
    """A country field's choices in ``language``: django-countries sorts them anew."""
    with translation.override(language):
        return [
            (code, str(name)) for code, name in field.get_choices(include_blank=False)
        ]


# Stands for a filter's value in the list's query string, written once per page.
_VALUE_MARK = "VALUE-MARK"


def query_strings(changelist, parameter):
    """Return a function of a value: ``changelist.get_query_string({parameter: …})``.

    The query string is built once, and each value written in its place: Django
    builds it again for each choice of a filter.
    """
    marked = changelist.get_query_string({parameter: _VALUE_MARK}, [])

    def query_string(value):
        text = str(value)
        if marked.count(_VALUE_MARK) == 1 and text.isascii() and text.isalnum():
            # Letters and digits: urlencode() writes them as they are.
            return marked.replace(_VALUE_MARK, text)
        return changelist.get_query_string({parameter: value}, [])

    return query_string


class StartYearFilter(admin.SimpleListFilter):
    """The start years in use, read once per content version, newest first.

    Stands in for ``date_hierarchy`` on big tables, whose MIN, MAX and SELECT
    DISTINCT over every row cost 140 ms a page view at 100,000 grants. The
    parameter is the one ``date_hierarchy`` used.
    """

    title = _("start year")
    parameter_name = "start_date__year"

    def lookups(self, request, model_admin):
        # Keyed by the query: a scoped admin (an institute's grants) has its own.
        days = model_admin.get_queryset(request).dates("start_date", "year", "DESC")
        return [(str(day.year), str(day.year)) for day in cached_rows(days)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        year = self.value()
        if not (year.isascii() and year.isdigit() and 1 <= int(year) <= 9999):
            # The changelist's answer to bad parameters: the list again, with ?e=1.
            raise IncorrectLookupParameters(f"{year!r} is not a year")
        return queryset.filter(start_date__year=int(year))


class ValuesInUseFilter(admin.AllValuesFieldListFilter):
    """Django's filter by the values in use, read once per content version.

    Its own lookup runs a SELECT DISTINCT over the whole table on every page view.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        # Keyed by the query: a scoped admin (an institute's grants) has its own.
        self.lookup_choices = cached_rows(self.lookup_choices)


class RelatedInUseFilter(admin.RelatedOnlyFieldListFilter):
    """Django's filter by the related records in use, read once per content version
    and language: the records in use and their names (a query each page view,
    the grants changelist's institutes and programmes, where the list is cached)."""

    def field_choices(self, field, request, model_admin):
        in_use = (
            model_admin.get_queryset(request)
            .distinct()
            .order_by()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        # Keyed by the records in use's SQL: an adviser's scope is in it.
        key = query_key(
            f"related-in-use:{translation.get_language()}:{ordering}", in_use
        )
        if key is None:
            return []
        return cached_by_content(
            key,
            lambda: field.get_choices(
                include_blank=False,
                limit_choices_to={"pk__in": list(in_use)},
                ordering=ordering,
            ),
        )


@functools.cache
def choice_column(model, field_name):
    """A changelist column showing a choice field's label, as Django's would.

    Django looks the label up in a dict of the field's choices that it builds again
    for each cell, from lazy translations: 6 % of a changelist's time for two choice
    columns of 50 rows. The labels here are made once per language.
    """
    field = model._meta.get_field(field_name)

    def column(record):
        # None: the empty value.
        return choice_labels(field).get(getattr(record, field.attname))

    column.__name__ = field_name  # the cells keep their class, field-<name>
    column.short_description = field.verbose_name
    column.admin_order_field = field_name
    return column


# The lookups of a relation by the id of the record it points to.
LOOKUPS_BY_ID = {"exact", "in", "gt", "gte", "lt", "lte"}


class SearchResultsChangeList(NamedChangeList):
    """A changelist whose search results are sorted once found, by any column.

    Sorted by a column with an index (the name), PostgreSQL walks the index and tests
    each row until a page of matches turns up: 0.9 s for "universidade" at a million
    partners, where sorting the matches takes a tenth of that. A translated column
    sorts as the public lists do, by the text shown in the active language, folded.
    """

    def get_filters(self, request):
        try:
            filters = super().get_filters(request)
        except (ValueError, OverflowError) as error:
            # Django's date hierarchy computes the end of the year, month or day
            # asked outside its own check: year 9999, or a number past a C long.
            raise IncorrectLookupParameters(error) from error
        for key, values in filters[2].items():
            self.check_ids(key, values)
        return filters

    def check_ids(self, key: str, values: list) -> None:
        """Refuse a filter in the address on a relation by a number that can be no
        record's id, as Django refuses one by a word (IncorrectLookupParameters).

        Django checks the range of an integer column's own lookups since 5.0, not
        of a relation's ("?office=99999999999999999999"): SQLite then failed on
        the number (OverflowError, a 500).
        """
        *path, lookup = key.split("__")
        if lookup not in LOOKUPS_BY_ID:
            path.append(lookup)
        try:
            field = get_fields_from_path(self.model, "__".join(path))[-1]
        except (FieldDoesNotExist, NotRelationField):
            return  # Django refuses it, or it is no relation
        if not field.is_relation:
            return
        target = field.target_field
        for value in values:
            for part in value if isinstance(value, list) else [value]:
                if not is_value_of(target, str(part)):
                    raise IncorrectLookupParameters(f"{part!r} is no {key}")

    def get_ordering_field(self, field_name):
        # Django leaves out the sort links of the columns ``sortable_by`` leaves
        # out, yet sorts by them when the address asks (an old bookmark).
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        searched = bool(self.query.strip())
        return [self.sorted_as_shown(field, searched) for field in ordering]

    def sorted_as_shown(self, field, searched: bool):
        """Sort a translated column by its text as shown, folded, also when the list
        is not searched: by the language's own column (``name_fr``), the partners
        of a kind were found walking its index past the other kinds' (0.5 to 0.7 s
        at a million), where the name as shown has an index with the kind
        (partners 0031). ``searched``: sorted once found (any text column, and
        the acronyms, case ignored, of the models' orderings)."""
        if not isinstance(field, str):
            return self.expression_as_shown(field, searched)
        name = field.removeprefix("-")
        try:
            model_field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return field
        if name in translated_field_names(self.model):
            expression = shown_text(name)
        elif name in case_ignored_in_ordering(self.model):
            # A click on "Acronym" sorted by code point ("TERRATECH2" before
            # "Tascmar"), where the default order ignores case, with no index.
            expression = Upper(name)
        elif searched and isinstance(model_field, (models.CharField, models.TextField)):
            expression = F(name)
        else:
            return field
        if searched:
            expression = NotFromIndex(expression)
        return expression.desc() if field.startswith("-") else expression.asc()

    @staticmethod
    def expression_as_shown(term, searched: bool):
        """Sort by the ordering expression ``term`` (``Upper("acronym")``, maybe
        descending), once a search's matches are found when it is a text's."""
        ordered = term if isinstance(term, models.OrderBy) else term.asc()
        if not searched or not isinstance(ordered.expression, (Upper, Lower)):
            return term
        expression = NotFromIndex(ordered.expression)
        return expression.desc() if ordered.descending else expression.asc()


class TextSearchAdmin(admin.ModelAdmin):
    """Search as the public site does: accents and case ignored, typos forgiven.

    Django's default, an OR of ``icontains`` over every search field, finds
    "université" but not "universite", nor "Pellenq" typed "Pelenq", and reads every
    row of a big table. The autocomplete widgets of foreign keys to the model search
    through here too. Identifiers (``=orcid``) match exactly.
    """

    # Where near misses of the text are looked for, when nothing holds it: every
    # search field unless named (indexed ones answer fast on PostgreSQL).
    near_miss_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        text = search_term.strip()
        search_fields = self.get_search_fields(request)
        if not text or not search_fields:
            return super().get_search_results(request, queryset, search_term)
        if len(text) > TEXT_MAX_LENGTH:
            # As the public lists refuse it: each word is a condition, and SQLite
            # gave up on 500 words with an error (a 500).
            if getattr(request.resolver_match, "url_name", "") != "autocomplete":
                self.message_user(
                    request,
                    _(
                        "A search may hold %(limit)d characters at most, and this "
                        "one holds %(length)d: nothing was searched."
                    )
                    % {"limit": TEXT_MAX_LENGTH, "length": len(text)},
                    messages.ERROR,
                )
            return queryset.none(), False
        identifiers = self.identifier_fields(request)
        exact = self.exact_condition(request, text)
        texts = tuple(
            field.lstrip("^@") for field in search_fields if not field.startswith("=")
        )
        if getattr(queryset, "text_fields", None):
            # The model's own search: both languages, long texts, indexed; the
            # records holding the words only, not a kind or a country they name.
            found, near_misses = queryset.staff_search(text)
            # The admin's own fields besides ("predecessor_code"); not those
            # across a relation, which the model's search follows its own way.
            others = [
                field
                for field in texts
                if "__" not in field and field not in queryset.text_fields
            ]
            if others:
                held = queryset.filter(text_search(text, others))
                if not near_misses:
                    found = found | held
                elif cached_count(held):
                    found, near_misses = held, False
            may_have_duplicates = False
        else:
            found = queryset.filter(text_search(text, texts))
            # A count, not exists(): see SearchableQuerySet.search_or_near_misses
            # (a text no person holds read all 95,000 under LIMIT 1: 250 ms).
            near_misses = not cached_count(found)
            if near_misses:
                found = queryset.filter(
                    typo_search(text, self.near_miss_fields or texts)
                )
            may_have_duplicates = any(
                lookup_spawns_duplicates(self.opts, field)
                for field in (*texts, *identifiers)
            )
        named = queryset.filter(exact) if exact is not None else None
        if near_misses and named is not None and cached_count(named):
            # What was typed names records exactly: no slip to correct.
            found, near_misses = queryset.none(), False
        close = found
        if named is not None:
            found = found | named
        # Said only of close records listed: not when none was found either, nor of
        # a record found by its identifier alone.
        if (
            near_misses
            and getattr(request.resolver_match, "url_name", "") != "autocomplete"
            and cached_count(close)
        ):
            self.message_user(
                request,
                _(
                    "No record holds every word of “%(text)s”: here are the "
                    "closest ones."
                )
                % {"text": text},
                messages.INFO,
                # Asked outside a changelist too (a view searching the same way).
                fail_silently=True,
            )
        return found, may_have_duplicates

    def exact_condition(self, request, text) -> Q | None:
        """Return the condition of the records ``text`` names exactly, whatever
        their words: by an identifier (``identifier_condition``); None if none may.

        Those records are listed besides the ones holding the words, and instead of
        near misses.
        """
        if not self.identifier_fields(request):
            return None
        return self.identifier_condition(request, text)

    def identifier_fields(self, request) -> list[str]:
        """Return the search fields matched exactly (``=orcid``), without the "="."""
        return [
            field[1:] for field in self.get_search_fields(request) if field[:1] == "="
        ]

    def identifier_condition(self, request, text) -> Q:
        """Return the condition of records one of whose identifiers is ``text``,
        pasted as its link too ("https://orcid.org/0000-0001-5109-3700")."""
        typed = without_address(text, ORCID_LINKS)
        return reduce(
            operator.or_,
            (Q(**{field: typed}) for field in self.identifier_fields(request)),
            Q(pk__in=[]),  # none without identifiers
        )

    def suggestions(self, request, queryset, text, limit):
        """Return at most ``limit`` records to suggest for ``text``, as it is typed.

        For the admin's autocomplete widgets; None where the model has no
        suggestions of its own (``suggested``, partners'), to search as the list
        does. The public autocomplete's: names starting with the text first, from
        the name index, then the others; a record one of whose identifiers is the
        text comes first.
        """
        if not text.strip() or not hasattr(queryset, "suggested"):
            return None
        if len(text.strip()) > TEXT_MAX_LENGTH:
            return []  # as get_search_results: not searched
        exact = list(queryset.filter(self.identifier_condition(request, text))[:limit])
        suggested = queryset.exclude(pk__in=[record.pk for record in exact])
        return exact + suggested.suggested(text, limit - len(exact))
