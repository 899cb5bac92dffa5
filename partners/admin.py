"""Back-office for partners, and the admin pieces every app shares.

``partners`` is the first layer (partners <- units <- programmes <- cnrs_intl), so the
base admin classes and the publication actions live here and the other apps import
them from here.
"""

import csv
import dataclasses
import functools
import operator
import re
from functools import reduce

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import (
    NestedObjects,
    NotRelationField,
    get_fields_from_path,
    label_for_field,
    lookup_field,
    lookup_spawns_duplicates,
    quote,
    unquote,
)
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import get_permission_codename
from django.core.exceptions import (
    FieldDoesNotExist,
    FieldError,
    PermissionDenied,
    ValidationError,
)
from django.db import connections, models, router, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy as _, ngettext
from django.views.decorators.http import require_POST
from django_countries.fields import CountryField
from django_countries.filters import CountryFilter
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import (
    ConfirmImportForm,
    ImportForm,
    SelectableFieldsExportForm,
)
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic
from simple_history.utils import bulk_update_with_history

from partners import spreadsheets
from partners.caching import (
    cached_by_content,
    cached_count,
    cached_rows,
    content_changed,
    is_content_model,
)
from partners.country_names import country_list
from partners.filters import TEXT_MAX_LENGTH, FastSelect, country_name
from partners.history import (
    Reason,
    VersionChanges,
    change_reason,
    keep_relations_of_latest,
    keeps_link_to,
    kept_relations,
    link_changes,
    one_version_per_edit,
    relation_changes,
    relations_of,
    restore_relations,
    shown_moment,
    shown_reason,
)
from partners.models import (
    ROR_ID_PATTERN,
    Agreement,
    Office,
    Partner,
    choice_labels,
)
from partners.pagination import IdsFirstPaginator
from partners.publication import PublicationStatus, shown_by_published
from partners.resources import PartnerResource
from partners.roles import can_publish, changes_drafts_only, country_scope
from partners.ror import bare_ror_id, open_dump, unknown_country_codes
from partners.search import NotFromIndex, shown_text, text_search, typo_search
from partners.services import (
    RorImportError,
    import_ror,
    merge_collisions,
    merge_partners,
)

PUBLICATION_FIELDSET = (
    _("Publication"),
    {"fields": ("publication_status", ("created", "updated"))},
)
RECORD_FIELDSET = (
    _("Record"),
    {"fields": (("created", "updated"),), "classes": ("collapse",)},
)


def _set_publication_status(request, queryset, status, change_reason):
    """Give the selected records ``status``, with one history entry per change."""
    records = list(queryset.exclude(publication_status=status))
    now = timezone.now()
    for record in records:
        record.publication_status = status
        record.updated = now
    # A plain queryset.update() would leave no trace in the history.
    bulk_update_with_history(
        records,
        queryset.model,
        ["publication_status", "updated"],
        batch_size=500,
        default_user=request.user,
        default_change_reason=change_reason,
    )
    keep_relations_of_latest(queryset.model, records)
    content_changed()  # bulk updates send no signal
    return len(records)


@admin.action(description=_("Publish selected"), permissions=("publish",))
def publish_selected(modeladmin, request, queryset):
    held = list(
        queryset.not_ready_to_publish()
        .exclude(publication_status=PublicationStatus.PUBLISHED)
        .values_list("pk", flat=True)
    )
    count = _set_publication_status(
        request,
        queryset.exclude(pk__in=held),
        PublicationStatus.PUBLISHED,
        change_reason(Reason.PUBLISHED),
    )
    modeladmin.message_user(
        request,
        ngettext("%(count)d record published.", "%(count)d records published.", count)
        % {"count": count},
    )
    if held:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d record was left as a draft: it cannot be published as it "
                "is. Open it to see why.",
                "%(count)d records were left as drafts: they cannot be published as "
                "they are. Open each to see why.",
                len(held),
            )
            % {"count": len(held)},
            messages.WARNING,
        )


@admin.action(description=_("Return selected to draft"), permissions=("publish",))
def return_selected_to_draft(modeladmin, request, queryset):
    count = _set_publication_status(
        request,
        queryset,
        PublicationStatus.DRAFT,
        change_reason(Reason.RETURNED_TO_DRAFT),
    )
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d record returned to draft.",
            "%(count)d records returned to draft.",
            count,
        )
        % {"count": count},
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

    def lookup_choices(self, changelist):
        model = changelist.model
        codes = cached_by_content(
            f"countries-in-use:{model._meta.label_lower}:{self.field_path}",
            lambda: set(
                model._default_manager.order_by()
                .values_list(self.field_path, flat=True)
                .distinct()
            ),
        )
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
    """Django's filter by the related records in use, read once per content version."""

    def field_choices(self, field, request, model_admin):
        in_use = (
            model_admin.get_queryset(request)
            .distinct()
            .order_by()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"pk__in": cached_rows(in_use)},
            ordering=self.field_admin_ordering(field, request, model_admin),
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


class SearchResultsChangeList(ChangeList):
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
                if not _is_value_of(target, str(part)):
                    raise IncorrectLookupParameters(f"{part!r} is no {key}")

    def get_ordering_field(self, field_name):
        # Django leaves out the sort links of the columns ``sortable_by`` leaves
        # out, yet sorts by them when the address asks (an old bookmark).
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        if not self.query.strip():
            return ordering
        return [self.sorted_once_found(field) for field in ordering]

    def sorted_once_found(self, field):
        if not isinstance(field, str):
            return field
        name = field.removeprefix("-")
        try:
            model_field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return field
        options = translator.get_options_for_model(self.model)
        if name in options.all_fields:
            expression = NotFromIndex(shown_text(name))
        elif isinstance(model_field, (models.CharField, models.TextField)):
            expression = NotFromIndex(F(name))
        else:
            return field
        return expression.desc() if field.startswith("-") else expression.asc()


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
        texts = tuple(
            field.lstrip("^@") for field in search_fields if not field.startswith("=")
        )
        if getattr(queryset, "text_fields", None):
            # The model's own search: both languages, long texts, indexed.
            found, may_have_duplicates = queryset.search(text), False
        else:
            found = queryset.filter(text_search(text, texts))
            # A count, not exists(): see PublishableQuerySet.search_or_near_misses
            # (a text no person holds read all 95,000 under LIMIT 1: 250 ms).
            if not cached_count(found):
                found = queryset.filter(
                    typo_search(text, self.near_miss_fields or texts)
                )
            may_have_duplicates = any(
                lookup_spawns_duplicates(self.opts, field)
                for field in (*texts, *identifiers)
            )
        if identifiers:
            found = found | queryset.filter(self.identifier_condition(request, text))
        return found, may_have_duplicates

    def identifier_fields(self, request) -> list[str]:
        """Return the search fields matched exactly (``=orcid``), without the "="."""
        return [
            field[1:] for field in self.get_search_fields(request) if field[:1] == "="
        ]

    def identifier_condition(self, request, text) -> Q:
        """Return the condition of records one of whose identifiers is ``text``."""
        return reduce(
            operator.or_,
            (Q(**{field: text}) for field in self.identifier_fields(request)),
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


class CheckedAutocompleteMixin:
    """Draw only the values that may be keys of the related model.

    Django's autocomplete widgets look up every value of a form shown again, typed
    ones included: ``parent=abc`` failed that lookup with a 500, instead of the
    form's "Select a valid choice".
    """

    def optgroups(self, name, value, attr=None):
        remote_opts = self.field.remote_field.model._meta
        to_field = remote_opts.get_field(
            getattr(self.field.remote_field, "field_name", None) or remote_opts.pk.name
        )
        return super().optgroups(
            name, [item for item in value if _is_value_of(to_field, item)], attr
        )


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(
    CheckedAutocompleteMixin, AutocompleteSelectMultiple
):
    pass


def _is_value_of(field, text) -> bool:
    """Whether ``text`` is a value ``field`` may hold (an id: digits, in range)."""
    if text in field.empty_values:
        return False
    try:
        field.run_validators(field.to_python(text))
    except ValidationError:
        return False
    return True


class CheckedSelectionAdmin(admin.ModelAdmin):
    """Refuse an action on selected ids that can be no record's: a 400, not a 500.

    Django filters the list by the ids posted: ``abc`` failed that lookup with a
    ValueError. The list's checkboxes send record ids only, so this is a forged or
    broken form.
    """

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if all(_is_value_of(self.opts.pk, value) for value in selected):
            return super().response_action(request, queryset)
        return HttpResponseBadRequest(
            gettext("The selected ids are not record numbers: nothing was changed."),
            content_type="text/plain; charset=utf-8",
        )


class UniqueRowsInlineFormSet(BaseInlineFormSet):
    """Save rows under a unique constraint with the inline's foreign key, as the form
    leaves them: a unit holds a partner once.

    Django checks the rows of the form against each other, then saves them one by
    one: two rows exchanging their partners failed with an IntegrityError, the first
    row taking a partner the second held until its own save. The rows whose partner
    changes are written anew, once the others are saved. What the form cannot see,
    a row the record has and the form does not show (added since the page was
    opened, or a form posted without its saved rows), is refused as a form error.
    """

    def get_unique_error_message(self, unique_check):
        # Django names the fields as the code does ("partner"): by their labels,
        # as the inline's columns ("institution"). The foreign key keeps its name,
        # which Django leaves out.
        opts = self.model._meta
        return super().get_unique_error_message(
            [
                name if name == self.fk.name else opts.get_field(name).verbose_name
                for name in unique_check
            ]
        )

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        for fields in self.unique_row_fields():
            self.check_rows_not_shown(fields)

    def unique_row_fields(self) -> list[tuple[str, ...]]:
        """Return the other fields of each unique constraint with the foreign key."""
        return [
            tuple(name for name in constraint.fields if name != self.fk.name)
            for constraint in self.model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            and constraint.condition is None
            and self.fk.name in constraint.fields
        ]

    def check_rows_not_shown(self, fields: tuple[str, ...]) -> None:
        if self.instance.pk is None:
            return
        opts = self.model._meta
        columns = [opts.get_field(name).attname for name in fields]
        shown = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        rows = self.model._default_manager.filter(**{self.fk.name: self.instance})
        held = set(rows.exclude(pk__in=shown).values_list(*columns))
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if not form.has_changed():
                continue
            value = tuple(getattr(form.instance, column) for column in columns)
            if None not in value and value in held:
                shown_value = ", ".join(
                    str(getattr(form.instance, name)) for name in fields
                )
                form.add_error(
                    None,
                    gettext(
                        "%(value)s is on a row this page does not show, added since "
                        "it was opened: reload the page."
                    )
                    % {"value": shown_value},
                )

    def rows_in_the_way(self) -> list:
        """Return the forms whose new values another saved row holds until its save.

        Only those are written anew: a row keeps its id (the order of a project's
        participants) when its partner changes to one no other row has.
        """
        if self.instance.pk is None:
            return []
        forms = [
            form
            for form in self.initial_forms
            if form.instance.pk is not None
            and form not in self.deleted_forms
            and form.has_changed()
        ]
        in_the_way = set()
        for fields in self.unique_row_fields():
            opts = self.model._meta
            columns = [opts.get_field(name).attname for name in fields]
            rows = self.model._default_manager.filter(**{self.fk.name: self.instance})
            held = {pk: tuple(rest) for pk, *rest in rows.values_list("pk", *columns)}
            for form in forms:
                value = tuple(getattr(form.instance, column) for column in columns)
                if any(v == value for pk, v in held.items() if pk != form.instance.pk):
                    in_the_way.add(form)
        return [form for form in forms if form in in_the_way]

    def save_existing_objects(self, commit=True):
        moved = self.rows_in_the_way() if commit else []
        for form in moved:
            # Out of the way of the others; Django skips a row without id.
            self.model._base_manager.filter(pk=form.instance.pk).delete()
            form.instance.pk = None
            form.instance._state.adding = True
        saved = super().save_existing_objects(commit)
        for form in moved:
            self.changed_objects.append((form.instance, form.changed_data))
            saved.append(self.save_existing(form, form.instance, commit=commit))
        return saved


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuse an id out of the key column's range as not a record's: a form error.

    Django looks the ids up with ``__in``, which SQLite fails on a number too big
    for its integers (OverflowError, a 500): ``exact`` lookups have had Django's
    range check since 5.0, ``in`` has none.
    """

    def _check_values(self, value):
        opts = self.queryset.model._meta
        field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value:
            if pk not in self.empty_values and not _is_value_of(field, str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class TextareaField(forms.CharField):
    """A long text typed in a textarea, its line breaks taken as stored: LF.

    Browsers send a textarea's line breaks as CR LF, as HTML's form encoding says:
    a text saved untouched differed from the one stored, and its history showed it
    changed into itself.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value


class CheckedAutocompleteAdmin:
    """Give ``autocomplete_fields`` the checked widgets; for admins and inlines.

    Decimal numbers shown and read in the staff's language ("35,5" in French).
    And country fields a select box rendered in Python (``FastSelect``): Django's
    templates render each of its 250 options, 70 ms a box, and a project's change
    form has one per participant (0.7 s for eight). And long texts, in both
    languages, a field that takes them with the line breaks stored
    (``TextareaField``).
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, CountryField) and not db_field.multiple:
            kwargs.setdefault("widget", FastSelect)
        if isinstance(db_field, models.DecimalField):
            # Numbers as the staff's language writes them: "35,5" in French was
            # refused ("Saisissez un nombre"); "35.5" is taken in both.
            kwargs.setdefault("localize", True)
        if isinstance(db_field, models.TextField) and not db_field.choices:
            # modeltranslation's nullable columns derive their field from this one.
            kwargs.setdefault("form_class", TextareaField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self.labelled_as_suggested(formfield, db_field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self.labelled_as_suggested(formfield, db_field)

    def labelled_as_suggested(self, formfield, db_field):
        """Label the records chosen in ``formfield`` as its autocomplete suggests them.

        The widget draws the chosen ones again with the form (``label_from_instance``),
        with the related admin's ``autocomplete_label`` where it has one.
        """
        if formfield is None or not isinstance(
            formfield.widget, CheckedAutocompleteMixin
        ):
            return formfield
        related_admin = self.admin_site._registry.get(db_field.related_model)
        label = getattr(related_admin, "autocomplete_label", None)
        if label:
            formfield.label_from_instance = label
        return formfield

    # A picker offers the records the user's scope shows (the autocomplete view asks
    # the related model's admin); the form takes any id posted. Those it had already
    # may stay: an office's staff keep a partner's parent from another country.

    def scoped_choices(self, request) -> dict[str, models.QuerySet]:
        """Return the autocomplete fields whose records the user's scope limits."""
        scoped = {}
        for name in self.get_autocomplete_fields(request):
            related = self.model._meta.get_field(name).related_model
            if self.admin_site.is_registered(related):
                shown = self.admin_site.get_model_admin(related).get_queryset(request)
                if shown.query.where:
                    scoped[name] = shown
        return scoped

    def choices_in_scope(self, form_class, request):
        """Return ``form_class`` refusing a record out of scope newly chosen."""
        scoped = self.scoped_choices(request)
        if not scoped:
            return form_class

        class ScopedChoicesForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                for name, shown in scoped.items():
                    if name not in self.changed_data or not cleaned_data.get(name):
                        continue
                    new = _pks(cleaned_data[name]) - _pks(self[name].initial)
                    outside = new - set(
                        shown.filter(pk__in=new).values_list("pk", flat=True)
                    )
                    if outside:
                        # Django's "Select a valid choice" told no one why. Not
                        # named: a record out of scope is one they may not see.
                        self.add_error(
                            name,
                            ValidationError(
                                ngettext(
                                    "A record chosen is outside your scope: choose "
                                    "among those the picker offers.",
                                    "%(count)d records chosen are outside your "
                                    "scope: choose among those the picker offers.",
                                    len(outside),
                                )
                                % {"count": len(outside)},
                                code="out_of_scope",
                            ),
                        )
                return cleaned_data

        ScopedChoicesForm.__name__ = form_class.__name__
        return ScopedChoicesForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return self.choices_in_scope(form, request)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self.choices_in_scope(formset.form, request)
        return formset


def _pks(value) -> set:
    """Return the ids of a relation's value in a form: records, ids, one or a list."""
    values = value if isinstance(value, list | tuple | models.QuerySet) else [value]
    return {getattr(item, "pk", item) for item in values if item is not None}


# The hidden field of a change form holding the version of the record it was
# opened on; the version of a record deleted meanwhile.
OPENED_VERSION = "opened_version"
DELETED_VERSION = "deleted"


class ConcurrentChangeForm(forms.ModelForm):
    """A change form that saves only over the version of the record it was opened on.

    Two people editing one record would otherwise each save their form whole, the
    second undoing the first one's changes unseen. The form carries the record's
    ``updated`` time as it was when opened (the current record's, on a revert page)
    and refuses to save over a newer one, naming who saved it and when. Imports do
    not use it: they write their own rows.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.checks_version:
            self.fields[OPENED_VERSION] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
            self.initial[OPENED_VERSION] = self.current_version()

    @property
    def checks_version(self) -> bool:
        model = self._meta.model
        return not self.instance._state.adding and any(
            field.name == "updated" for field in model._meta.concrete_fields
        )

    def current_version(self, lock=False) -> str:
        """Return the stored record's ``updated`` time, read under a lock if asked."""
        if not lock and to_historic(self.instance) is None:
            return self.instance.updated.isoformat()
        model = self._meta.model
        records = model._base_manager.using(router.db_for_write(model))
        records = records.filter(pk=self.instance.pk)
        if lock and transaction.get_connection(records.db).in_atomic_block:
            # Held until the save commits: a second save waits, then sees it.
            records = records.select_for_update()
        updated = records.values_list("updated", flat=True).first()
        return DELETED_VERSION if updated is None else updated.isoformat()

    def clean(self):
        cleaned_data = super().clean()
        if self.checks_version:
            opened = self.data.get(self.add_prefix(OPENED_VERSION), "")
            if opened != self.current_version(lock=True):
                self.add_error(None, self.changed_meanwhile_error(bool(opened)))
        return cleaned_data

    def changed_meanwhile_error(self, knows_version: bool) -> ValidationError:
        model = self._meta.model
        history = getattr(model, model._meta.simple_history_manager_attribute)
        latest = (
            history.filter(**{model._meta.pk.attname: self.instance.pk})
            .select_related("history_user")
            .first()
        )
        if not knows_version or latest is None:
            return ValidationError(
                _(
                    "This record may have changed since this page was opened. "
                    "Nothing was saved: reload the page, then make your changes "
                    "again."
                ),
                code="changed_meanwhile",
            )
        params = {"date": shown_moment(latest.history_date)}
        user = latest.history_user
        if user is None:
            message = _(
                "This record was changed on %(date)s, after this page was opened. "
                "Nothing was saved: reload the page to see that version, then make "
                "your changes again."
            )
        else:
            params["user"] = user.get_full_name() or user.get_username()
            message = _(
                "%(user)s changed this record on %(date)s, after this page was "
                "opened. Nothing was saved: reload the page to see their version, "
                "then make your changes again."
            )
        return ValidationError(message, code="changed_meanwhile", params=params)


class TranslatedChangeForm(ConcurrentChangeForm):
    """A translated record's change form: a text needed in no particular language
    (``required_languages`` empty, as a grant's title) asks for one, either.

    modeltranslation's admin requires the default language's column of every
    required field: a grant imported from CORDIS, titled in English only, could not
    be saved until someone wrote its French title.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for columns in self.columns_in_any_language().values():
            for column in columns:
                self.fields[column].required = False

    def columns_in_any_language(self) -> dict[str, list[str]]:
        """Return, by field, the form's columns of the fields needed in any language."""
        model = self._meta.model
        try:
            options = translator.get_options_for_model(model)
        except NotRegistered:
            return {}
        if options.required_languages:
            return {}
        return {
            # In the order of LANGUAGES, the site's language first.
            name: [
                column
                for code, _name in settings.LANGUAGES
                if (column := build_localized_fieldname(name, code)) in self.fields
            ]
            for name in options.all_fields
            if not model._meta.get_field(name).blank
        }

    def clean(self):
        cleaned_data = super().clean()
        for name, columns in self.columns_in_any_language().items():
            if columns and not any(cleaned_data.get(column) for column in columns):
                field = self._meta.model._meta.get_field(name)
                self.add_error(
                    columns[0],
                    ValidationError(
                        _("Give the %(field)s in French or in English."),
                        code="required",
                        params={"field": field.verbose_name},
                    ),
                )
        return cleaned_data


def translated_field_names(model) -> list[str]:
    """Return the names of ``model``'s translated fields, not their columns'."""
    try:
        return list(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return []


def _key_or_404(field, text):
    """Return ``text`` as a value of ``field`` (an id), or raise Http404."""
    if not _is_value_of(field, text):
        raise Http404
    return field.to_python(text)


class HistoryAdmin(
    CheckedAutocompleteAdmin,
    CheckedSelectionAdmin,
    TextSearchAdmin,
    SimpleHistoryAdmin,
):
    """Edit a model with history and revert.

    Deleted records stay in the history: the "deleted records" page lists them, and
    reverting one to its last version from its history page brings it back.
    Reverting is saving: it asks what the change form asks of the record as it is
    now (``may_revert``), and is refused over a version newer than the page.
    """

    form = ConcurrentChangeForm
    paginator = EstimatedCountPaginator
    object_history_form_template = "admin/version_form.html"
    # Columns of the deleted records page besides the record, as list_display's
    # (fields or functions of the record as it was deleted): what tells apart
    # records of the same name.
    deleted_record_columns: tuple = ()

    def get_changelist(self, request, **kwargs):
        return SearchResultsChangeList

    def get_list_display(self, request):
        """The list's columns, choice fields shown by ``choice_column``."""
        return [
            choice_column(self.model, name) if self.is_choice_column(name) else name
            for name in super().get_list_display(request)
        ]

    def is_choice_column(self, name) -> bool:
        if not isinstance(name, str) or name in self.list_editable:
            return False
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        # CountryField(multiple=True) holds lists: Django's own lookup for those.
        return bool(
            field.choices
            and not field.is_relation
            and not getattr(field, "multiple", False)
        )

    def action_checkbox(self, obj):
        """Django's checkbox column, same HTML, without a template per row.

        Rendering a CheckboxInput through the form renderer took a third of a
        changelist's time (100 rows).
        """
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    # Django 6 makes https the default scheme of a bare domain; take it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_records_view),
                name=f"{opts.app_label}_{opts.model_name}_deleted",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "show_deleted_records": self.has_change_permission(request),
            **(extra_context or {}),
        }
        if ERROR_FLAG in request.GET and request.method == "GET":
            # Where Django sends a list whose filters it refused (a hand-edited or
            # outdated address), silently unfiltered.
            self.message_user(
                request,
                gettext(
                    "The filters in the address were not understood: the whole "
                    "list is shown."
                ),
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def deleted_records_view(self, request):
        """List the records deleted and not restored since, with their history link."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        history = self.model.history
        # NOT EXISTS, not NOT IN: PostgreSQL checked each deletion against the
        # million partners' ids one by one (300 deletions: 13 s).
        restored = self.model._default_manager.filter(pk=OuterRef("id"))
        all_deletions = history.filter(history_type="-").exclude(Exists(restored))
        deletions = self.scope_history(request, all_deletions)
        # scope_history returns what it is given to a role without a scope.
        scoped = deletions is not all_deletions
        deletions = deletions.select_related("history_user").order_by("-history_date")
        deletions = deletions[:200]
        columns = self.deleted_record_columns
        rows = []
        for deletion in deletions:
            record = deletion.instance
            cells = [lookup_field(name, record, self)[2] for name in columns]
            rows.append({"deletion": deletion, "record": record, "cells": cells})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s")
            % {"name": self.model._meta.verbose_name_plural},
            "opts": self.model._meta,
            "deletions": deletions,
            "column_titles": [
                label_for_field(name, self.model, self) for name in columns
            ],
            "rows": rows,
            # Restoring a deleted record is adding it (may_revert): scoped roles
            # may not, but see what was deleted in their scope, and by whom.
            "may_restore": self.has_add_permission(request),
            "scoped": scoped,
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)

    def scope_history(self, request, history):
        """Return the history rows of records this user may see; all by default."""
        return history

    def history_of(self, pk):
        """Return the history of the record ``pk``, deleted or not."""
        return self.model.history.filter(**{self.model._meta.pk.attname: pk})

    def history_record(self, request, object_id):
        """Return the record a history page is about, or None if it was deleted.

        Raise Http404 when ``object_id`` is no id, or names a record out of the
        user's scope: as its change page, its history answers as if missing.
        """
        pk = _key_or_404(self.model._meta.pk, unquote(object_id))
        record = self.get_object(request, pk)
        if record is None and (
            self.model._base_manager.filter(pk=pk).exists()
            or not self.scope_history(request, self.history_of(pk)).exists()
        ):
            raise Http404
        return record

    def history_view(self, request, object_id, extra_context=None):
        self.history_record(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The record, its inlines and its relations: one version (partners.history).
        with (
            transaction.atomic(using=router.db_for_write(self.model)),
            one_version_per_edit(),
        ):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show an old version; revert to it if the user may save it (may_revert).

        Reverting also gives the record the relations the version kept (a unit's
        partners, an agreement's), but for those to records deleted since.
        """
        self.history_record(request, object_id)
        history = self.history_of(unquote(object_id))
        version = get_object_or_404(
            history, pk=_key_or_404(history.model._meta.pk, version_id)
        )
        reverting = request.method == "POST"
        if reverting and not self.may_revert(request, version):
            raise PermissionDenied
        request.shown_version = version
        keeps_relations = bool(relations_of(self.model))
        extra_context = {
            "kept_relations": (
                kept_relations(version)
                if keeps_relations and version.relations_kept
                else []
            ),
            "relations_not_kept": keeps_relations and not version.relations_kept,
            # Why the Revert button is not there, when it is not.
            "revert_refusal": self.revert_refusal(request, version),
            **(extra_context or {}),
        }
        # As the change form's: the version check locks the record until saved.
        with (
            transaction.atomic(using=router.db_for_write(self.model)),
            one_version_per_edit(
                reason=self.restored_reason(version) if reverting else ""
            ),
        ):
            response = super().history_form_view(
                request, object_id, version_id, extra_context
            )
            if reverting and response.status_code == 302:
                pk = getattr(version, self.model._meta.pk.attname)
                record = self.model._base_manager.get(pk=pk)
                lost = restore_relations(record, version)
                if lost:
                    self.message_user(
                        request,
                        gettext(
                            "These relations of the version could not come back: "
                            "%(relations)s."
                        )
                        % {"relations": ", ".join(lost)},
                        messages.WARNING,
                    )
        return response

    def restored_reason(self, version) -> str:
        """Return the change reason of a revert to ``version`` (a history row)."""
        return change_reason(Reason.RESTORED, date=version.history_date)

    # A change form saved as it was opened writes nothing: no version, the same
    # ``updated`` time, the cached pages kept. Django would save the record all the
    # same, and log it: "No fields changed".

    def changes_record(self, request, obj, form) -> bool:
        """Whether saving ``form`` changes ``obj`` itself, its inlines aside."""
        return form.has_changed()

    def save_model(self, request, obj, form, change):
        version = getattr(request, "shown_version", None)
        if version is not None:  # a revert (history_form_view)
            obj._change_reason = self.restored_reason(version)
        elif change and not self.changes_record(request, obj, form):
            # Saved with its inlines if one of them changes (save_related).
            obj._unchanged = True
            return
        self.write_record(request, obj, form, change)

    def write_record(self, request, obj, form, change):
        """Save ``obj`` as Django's admin does, by the request's user."""
        obj._unchanged = False
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if getattr(obj, "_unchanged", False) and any(
            formset.has_changed() for formset in formsets
        ):
            # The record's version holds its inlines' rows (one_version_per_edit),
            # and its ``updated`` time, which the version check reads, moves.
            self.write_record(request, obj, form, change)
        super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if getattr(obj, "_unchanged", False):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        version = getattr(request, "shown_version", None)
        if version is None:
            return super().response_change(request, obj)
        # Django's message says the record "was changed", as if edited by hand.
        self.message_user(
            request,
            # The date in the middle: in English it ends with "p.m.".
            gettext("The version of %(date)s of the %(name)s “%(obj)s” was restored.")
            % {
                "name": self.opts.verbose_name,
                "obj": obj,
                "date": shown_moment(version.history_date),
            },
            messages.SUCCESS,
        )
        return self.response_post_save_change(request, obj)

    def render_history_view(self, request, template, context, **kwargs):
        # The history list's versions (a version's page has none): simple-history
        # prints a version without a reason as "None".
        for version in context.get("page_obj", ()):
            reason = version.history_change_reason
            version.history_change_reason = shown_reason(reason) if reason else "–"
        return super().render_history_view(request, template, context, **kwargs)

    def set_history_delta_changes(
        self, request, historical_records, foreign_keys_are_objs=True
    ):
        """List each version's changes; relations only between versions keeping them.

        A version written before versions kept relations holds none: compared with
        one that holds some, every relation would look removed (partners.history).
        """
        relations = [relation.name for relation in relations_of(self.model)]
        historical_records = list(historical_records)
        changed_relations = relation_changes(historical_records) if relations else {}
        # A translated field's own column holds the text of the language active
        # when it was saved: its "changes" are the language of the editor's admin.
        excluded = [*relations, *translated_field_names(self.model)]
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=excluded,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                changes = [
                    # An empty text written "" where it was NULL changed nothing.
                    change
                    for change in delta.changes
                    if change.old not in ("", None) or change.new not in ("", None)
                ]
                if relations and previous.relations_kept and current.relations_kept:
                    changes += changed_relations.get(previous.pk, [])
                delta = dataclasses.replace(delta, changes=changes)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def get_historical_record_context_helper(self, request, historical_record):
        return VersionChanges(self.model, historical_record)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        version = getattr(request, "shown_version", None)
        if version is None:
            return form
        return self.version_form(
            form, version, read_only=self.revert_disabled(request, obj)
        )

    def version_form(self, form, version, *, read_only: bool):
        """Show ``version`` in ``form``: the relations it kept; read only if asked."""
        relations = [
            relation
            for relation in relations_of(self.model)
            if relation.remote_field.through._meta.auto_created
        ]
        initial = {}
        if relations and version.relations_kept:
            for relation in relations:
                target = relation.m2m_reverse_field_name()
                initial[relation.name] = [
                    getattr(row, f"{target}_id")
                    for row in getattr(version, relation.name).all()
                ]

        class VersionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
                super().__init__(*args, **kwargs)
                if read_only:
                    for field in self.fields.values():
                        field.disabled = True

        VersionForm.__name__ = form.__name__
        return VersionForm

    def may_revert(self, request, version) -> bool:
        """Whether the user may save ``version`` (a history row) over the record."""
        return self.revert_refusal(request, version) is None

    def revert_refusal(self, request, version) -> str | None:
        """Say why the user may not save ``version`` over the record; None if they may.

        What saving the change form asks of the record as it is now; of a deleted
        record, what adding it asks, in the user's scope.
        """
        pk = getattr(version, self.model._meta.pk.attname)
        record = self.get_object(request, pk)
        if record is not None:
            if not self.has_change_permission(request, record):
                return gettext("your role does not let you change this record.")
        elif self.model._base_manager.filter(pk=pk).exists():
            return gettext("the record is outside your scope.")
        elif not self.has_add_permission(request):
            return gettext("your role does not let you add this record.")
        # The version too must be in scope: reverting to one from before the
        # record came into the user's scope would take it out (scope_error).
        if not self.version_in_scope(request, version):
            return gettext(
                "this version is outside your scope, and reverting to it would take "
                "the record out of it."
            )
        if not self.may_revert_publication(request, version, record):
            return gettext(
                "reverting to it would publish or unpublish the record, which "
                "editors do."
            )
        if not self.may_restore_links(request, version, record):
            return gettext(
                "reverting to it would add, change or remove links your role does "
                "not change."
            )
        return None

    def version_in_scope(self, request, version) -> bool:
        """Whether ``version`` is within the user's scope (``scope_history``)."""
        pk = getattr(version, self.model._meta.pk.attname)
        history = self.history_of(pk).filter(pk=version.pk)
        in_scope = self.scope_history(request, history)
        # scope_history returns what it is given to a role without a scope.
        return in_scope is history or in_scope.exists()

    def may_restore_links(self, request, version, record) -> bool:
        """Whether the user may add, change and delete the links reverting restores.

        A unit's partnerships are records of their own: a contributor, who may
        add them but not delete them, may not delete them by reverting either.
        """
        return all(
            request.user.has_perm(
                f"{link._meta.app_label}.{get_permission_codename(action, link._meta)}"
            )
            for link, action in link_changes(record, version)
        )

    def may_revert_publication(self, request, version, record) -> bool:
        """Whether reverting may change what the public sees; see PublishableAdmin."""
        return True

    def revert_disabled(self, request, obj=None):
        """Hide the Revert button from those who may not revert (may_revert)."""
        version = to_historic(obj) if obj is not None else None
        return super().revert_disabled(request, obj) or (
            version is not None and not self.may_revert(request, version)
        )

    # The delete page: the records the deletion unlinks -------------------------
    # Django names the records a deletion deletes, not those whose foreign key to
    # them it empties (a unit's director): the admin site names those
    # (CnrsAdminSite.unlinked_records, which the "delete selected" action's page
    # shows too).

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        if protected:
            # Django names a protecting record that has no page of its own by
            # itself alone: "Project participant: Monash University – Participant",
            # not in which project. Named here with the record whose page holds it.
            collector = NestedObjects(using=router.db_for_write(self.model))
            collector.collect(objs)
            deleted_keys = {(type(obj), obj.pk) for obj in objs}
            protected = [
                self.protecting_record(obj, deleted_keys) for obj in collector.protected
            ]
        return deleted, model_count, perms_needed, protected

    def protecting_record(self, obj, deleted_keys) -> str:
        """Name ``obj``, a record that prevents the deletion, with a link to the
        page where staff can change it: its own, or its parent record's."""
        label = capfirst(obj._meta.verbose_name)
        if url := self.change_url(obj):
            return format_html('{}: <a href="{}">{}</a>', label, url, obj)
        for field in obj._meta.concrete_fields:
            if not field.many_to_one:
                continue
            parent = getattr(obj, field.name)
            if parent is None or (type(parent), parent.pk) in deleted_keys:
                continue
            if url := self.change_url(parent):
                return format_html(
                    '{}: {} ({} <a href="{}">{}</a>)',
                    label,
                    obj,
                    parent._meta.verbose_name,
                    url,
                    parent,
                )
        return f"{label}: {obj}"

    def change_url(self, obj) -> str | None:
        """The admin page of ``obj``, if it has one."""
        if not self.admin_site.is_registered(type(obj)):
            return None
        opts = obj._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=(quote(obj.pk),),
        )

    def render_delete_form(self, request, context):
        unlinked = getattr(self.admin_site, "unlinked_records", None)
        if unlinked and not (context["perms_lacking"] or context["protected"]):
            context["unlinked_records"] = unlinked(request, [context["object"]])
        return super().render_delete_form(request, context)


def saved_values(form, *names) -> dict | None:
    """Return what saving ``form`` gives the fields ``names``; None if one is invalid.

    A field the form has its cleaned value (a relation's: its records); one it has
    not, the record's. Country codes as text, a relation's records as a list.
    """
    if any(name in form.errors for name in names):
        return None  # the form already says what is wrong
    values = {}
    for name in names:
        if name in form.cleaned_data:
            value = form.cleaned_data[name]
        else:
            value = getattr(form.instance, name, None)
            if hasattr(value, "all"):  # a many-to-many manager
                value = value.all() if form.instance.pk else []
        if isinstance(value, models.QuerySet | list | tuple):
            value = list(value)
        values[name] = value
    return values


def country_codes(value) -> set[str]:
    """Return the codes of a CountryField's value, one country or several."""
    if not value:
        return set()
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        value = [value]
    return {str(getattr(country, "code", country)) for country in value}


class TranslatedHistoryAdmin(HistoryAdmin, TabbedTranslationAdmin):
    """Edit a translated record with one tab per language, with history and revert."""

    form = TranslatedChangeForm
    readonly_fields = ("created", "updated")


class SharedRecordAdmin(TranslatedHistoryAdmin):
    """Admin for records without a publication status, shown by the published records
    that link to them (an institute, a person): contributors change one only until
    a published record shows it, as they change drafts only.
    """

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and changes_drafts_only(request.user, self.model)
            and shown_by_published(obj)
        ):
            return False
        return super().has_change_permission(request, obj)


class ScopedAdmin(admin.ModelAdmin):
    """Show a staff member only the rows their role limits them to (partners.roles).

    Rows out of scope are absent from the list, from bulk actions and from direct
    URLs alike, because all three go through ``get_queryset``.
    """

    def scope_queryset(self, request, queryset):
        """Return the rows of ``queryset`` this user may see; all of them by default."""
        return queryset

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def scope_error(self, request, form) -> str | None:
        """Say why saving ``form`` would take its record out of the user's scope.

        None when it would not, or the user has no scope. Saving is changing what
        decides the scope (a partner's country, a unit's institutes): a record the
        user may change must stay one they may change (``form_value``).
        """
        return None

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        model_admin = self

        class ScopedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                error = model_admin.scope_error(request, self)
                if error:
                    raise ValidationError(error, code="out_of_scope")
                return cleaned_data

        ScopedForm.__name__ = form.__name__
        return ScopedForm

    def scope_history(self, request, history):
        """Return the history rows of the records in the user's scope, when deleted."""
        try:
            return self.scope_queryset(request, history)
        except FieldError:
            # A scope through relations the history cannot follow, unless the admin
            # says how (UnitAdmin.scope_history): none for those whose scope it is.
            return history.none()


class PublishableAdmin(ScopedAdmin, TranslatedHistoryAdmin):
    """Admin for a model with a publication status: draft until an editor publishes.

    Only users with the publish permission (editors, administrators) publish, through
    the actions or the status field; others create drafts, and contributors change
    drafts only.
    """

    actions = (publish_selected, return_selected_to_draft)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and obj.is_published
            and changes_drafts_only(request.user, self.model)
        ):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not can_publish(request.user):
            readonly = (*readonly, "publication_status")
        return readonly

    def publishes(self, request) -> bool:
        """Whether the request is "Save and publish" by someone who may publish."""
        return "_publish" in request.POST and can_publish(request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not self.publishes(request):
            return form

        class PublishingForm(form):
            """The form validated as published: the model's own checks before
            publishing (a grant's laureate) hold for "Save and publish" too."""

            def clean(self):
                cleaned_data = super().clean()
                if "publication_status" in self.fields:
                    cleaned_data["publication_status"] = PublicationStatus.PUBLISHED
                return cleaned_data

            def _post_clean(self):
                self.instance.publication_status = PublicationStatus.PUBLISHED
                super()._post_clean()

        PublishingForm.__name__ = form.__name__
        return PublishingForm

    def save_model(self, request, obj, form, change):
        if not can_publish(request.user):
            if not change:
                obj.publication_status = PublicationStatus.DRAFT
        elif self.publishes(request):
            obj.publication_status = PublicationStatus.PUBLISHED
        super().save_model(request, obj, form, change)

    def changes_record(self, request, obj, form) -> bool:
        # "Save and publish" changes a draft's status outside the form: the form's
        # initial status is the stored one.
        stored = form.initial.get("publication_status", obj.publication_status)
        return (
            super().changes_record(request, obj, form)
            or obj.publication_status != stored
        )

    def may_revert_publication(self, request, version, record) -> bool:
        """Reverting to another publication status publishes or unpublishes."""
        status = record.publication_status if record else PublicationStatus.DRAFT
        return version.publication_status == status or self.has_publish_permission(
            request
        )

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = kwargs.get("obj")
        context["show_publish"] = can_publish(request.user) and not (
            obj is not None and obj.is_published
        )
        return super().render_change_form(request, context, add, change, **kwargs)


PREVIEW_GONE = _(
    "The file previewed is no longer kept: it was imported already, or previewed "
    "more than a day ago. Upload it again."
)


class SpreadsheetImportForm(ImportForm):
    """The file to preview, refused before its preview if it is too large for one.

    The preview checks and shows every row within the request: about 2 ms a row,
    and a page of about 1 KB a row. Past a few thousand rows the proxy's timeout
    would cut it off with a 502 and nothing said (4,000 partners took 9 s).
    """

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.SPREADSHEET_MAX_BYTES:
            raise ValidationError(
                _(
                    "The file is %(size)s: a spreadsheet may be %(limit)s at most. "
                    "Split it into several files."
                ),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.SPREADSHEET_MAX_BYTES),
                },
            )
        return upload

    def clean(self):
        cleaned_data = super().clean()
        upload, index = cleaned_data.get("import_file"), cleaned_data.get("format")
        if upload is None or not index:
            return cleaned_data
        rows = spreadsheets.count_rows(self.formats[int(index)](), upload)
        limit = settings.SPREADSHEET_MAX_ROWS
        if rows is not None and rows > limit:
            self.add_error(
                "import_file",
                ValidationError(
                    ngettext(
                        "The file has %(rows)s rows: a spreadsheet may have "
                        "%(limit)s row at most. Split it into several files.",
                        "The file has %(rows)s rows: a spreadsheet may have "
                        "%(limit)s rows at most. Split it into several files.",
                        limit,
                    ),
                    code="too_many_rows",
                    params={
                        "rows": formats.number_format(rows, force_grouping=True),
                        "limit": formats.number_format(limit, force_grouping=True),
                    },
                ),
            )
        return cleaned_data


class ConfirmSpreadsheetForm(ConfirmImportForm):
    """Confirm a previewed import: in one of the formats offered, its file still kept.

    The confirmed import takes the file the preview kept: confirming twice found no
    file (a 500), as did a format that is none of the admin's.
    """

    def __init__(self, *args, formats, **kwargs):
        super().__init__(*args, **kwargs)
        self.formats = formats

    def clean_format(self):
        value = self.cleaned_data["format"]
        # The index of one of the formats, as the import page sends it.
        if value not in [str(index) for index in range(len(self.formats))]:
            raise ValidationError(
                _("This file format is not one of those offered."), code="format"
            )
        return value

    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        if not spreadsheets.is_kept(name):
            raise ValidationError(PREVIEW_GONE, code="gone")
        return name


class SpreadsheetExportForm(SelectableFieldsExportForm):
    """The export form, each column's box named by its field in the admin's language.

    django-import-export names them after the attribute ("Name Fr", "Cnrs Role"),
    in English whatever the language.
    """

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        label = resource.field_label(field) if field is not None else ""
        return label or super()._get_field_label(resource, field_name)


class SpreadsheetAdmin(ImportExportMixin):
    """CSV and XLSX import, previewed before it is written, and export of the list.

    Put it first among the bases: ``class UnitAdmin(SpreadsheetAdmin,
    PublishableAdmin)``, with the resource in ``resource_classes``. An admin with a
    changelist template of its own names it in ``change_list_template``: the import
    and export buttons are added to its buttons.

    The import previews every row as new, changed or unchanged with its errors, and
    offers to confirm only when every row is valid; the confirmed import runs in one
    transaction, rolled back if a row has become invalid meanwhile. Only users who
    may add and change the model import; those who may view it export the rows
    their list shows them (``get_queryset``, filters and search included).
    """

    formats = (base_formats.CSV, base_formats.XLSX)
    import_export_change_list_template = "admin/spreadsheets/change_list.html"
    import_template_name = "admin/spreadsheets/import.html"
    import_form_class = SpreadsheetImportForm
    confirm_form_class = ConfirmSpreadsheetForm
    export_form_class = SpreadsheetExportForm
    # In the database: any server may confirm the preview another made.
    tmp_storage_class = spreadsheets.DatabaseStorage
    import_error_display = ("message", "row")

    def has_import_permission(self, request):
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def has_export_permission(self, request):
        return super().has_export_permission(request) and self.has_view_permission(
            request
        )

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            # The list answers its bad filters with ?e=1; the export explains.
            context = {
                **self.admin_site.each_context(request),
                "title": _("Export"),
                "opts": self.model._meta,
            }
            return TemplateResponse(
                request, "admin/spreadsheets/export_error.html", context, status=400
            )

    def add_data_read_fail_error_to_form(self, form, e):
        # django-import-export names the Python exception ("'BadZipFile'
        # encountered…"): say what is wrong with the file instead.
        if isinstance(e, UnicodeDecodeError):
            message = _(
                "The file is not UTF-8 text. Save it as “CSV UTF-8”, or as XLSX."
            )
        elif isinstance(e, csv.Error):
            message = _(
                "The file is not readable CSV: a quote is left open, or a cell is "
                "longer than 128 KB (%(error)s)."
            ) % {"error": e}
        else:
            chosen = self.get_import_formats()[int(form.cleaned_data["format"])]()
            message = _(
                "The file cannot be read as %(format)s: check the format chosen."
            ) % {"format": chosen.get_title().upper()}
        form.add_error("import_file", message)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        # The upload itself: a file that cannot be read leaves the form's data.
        kept = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if kept and "confirm_form" not in context:
            # A preview with errors, or of an unreadable file, is never confirmed.
            self.tmp_storage_class(name=kept).remove()
        return response

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        return {**kwargs, "formats": self.get_import_formats()}

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            # django-import-export would show the confirmation again, hidden fields
            # and all.
            errors = [error for errors in form.errors.values() for error in errors]
            return self.import_refused(request, errors)
        try:
            return super().process_import(request, **kwargs)
        except spreadsheets.PreviewGone:
            # Another confirmation of the same preview took the file first.
            return self.import_refused(request, [PREVIEW_GONE])

    def import_refused(self, request, errors):
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": opts,
            "errors": errors,
            "import_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_import",
                current_app=self.admin_site.name,
            ),
        }
        return TemplateResponse(
            request, "admin/spreadsheets/import_refused.html", context, status=400
        )

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The records changed between the preview and the confirmation.
            self.message_user(
                request,
                gettext(
                    "Nothing was imported: some rows are no longer valid. Import "
                    "the file again to see why."
                ),
                messages.ERROR,
            )
            opts = self.model._meta
            return redirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_import",
                    current_app=self.admin_site.name,
                )
            )
        return super().process_result(result, request)


class RorIdField(forms.CharField):
    """A ROR id, typed alone (02feahw73) or pasted as its link; cleaned to the id.

    The column holds the nine characters, and its max_length cut a pasted link to
    "https://r" in the input.
    """

    # "https://ror.org/02feahw73/" and room for the spaces a paste brings.
    link_max_length = 64
    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a ROR id: write its nine characters (02feahw73) "
            "or paste its link (https://ror.org/02feahw73)."
        ),
    }

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return text
        ror_id = bare_ror_id(text)
        if not re.match(ROR_ID_PATTERN, ror_id):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text}
            )
        return ror_id


class RorImportForm(forms.Form):
    file = forms.FileField(
        label=_("ROR file"),
        help_text=_("The ROR v2 data dump: the .zip ROR publishes, or its .json file."),
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_(
            "Import only the institutions of these countries: ISO codes separated "
            "by commas, e.g. JP, KR. Leave empty to import every country."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish the new partners"),
        required=False,
        help_text=_("Otherwise they are created as drafts, for review."),
    )

    def __init__(self, *args, may_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            del self.fields["publish"]

    def clean_countries(self) -> set[str]:
        codes = {
            code.strip().upper()
            for code in self.cleaned_data["countries"].split(",")
            if code.strip()
        }
        unknown = unknown_country_codes(codes)
        if unknown:
            raise ValidationError(
                _("Unknown country code: %(codes)s."),
                code="unknown_country",
                params={"codes": ", ".join(unknown)},
            )
        return codes


# The links counted on the merge page: (relation, column title).
MERGE_LINK_COUNTS = (
    ("unit_partnerships", _("Units")),
    ("project_participations", _("Projects")),
    ("agreements", _("Agreements")),
    ("children", _("Child institutions")),
)


class MergeRequestError(Exception):
    """A merge page asked with ids that name no set of partners to merge."""


@admin.register(Partner)
class PartnerAdmin(SpreadsheetAdmin, PublishableAdmin):
    resource_classes = (PartnerResource,)
    # The import and export buttons join those of this template.
    change_list_template = "admin/partners/partner/change_list.html"
    list_display = (
        "name",
        "acronym",
        "kind",
        country_column,
        "city",
        "parent",
        "status",
        "publication_status",
        "updated",
    )
    list_filter = (
        ("country", CountriesInUseFilter),
        "kind",
        "status",
        "publication_status",
    )
    # Columns the list is not sorted by: at a million partners each sort read and
    # sorted them all (kind 0.1 s, status 0.35 s, publication 0.3 s, the parent's
    # name, a join, 0.5 s) to group a list that the filters beside narrow instead.
    unsorted_columns = frozenset({"kind", "status", "publication_status", "parent"})
    list_select_related = ("parent",)
    search_fields = (
        "name_fr",
        "name_en",
        "original_name",
        "acronym",
        "city_fr",
        "city_en",
        "=ror_id",
        "=pic",
    )
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name_fr",)}
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # Staff find a partner among a million by search and filters, not by paging:
    # half of Django's 100 rows halves the time of a page (~110 ms to render 100).
    list_per_page = 50

    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    ("original_name", "original_name_language"),
                    "acronym",
                    "slug",
                    "kind",
                    "status",
                    "parent",
                    "established",
                )
            },
        ),
        (_("Location"), {"fields": ("country", "city", ("latitude", "longitude"))}),
        (_("Identifiers and links"), {"fields": ("website", "ror_id", "pic")}),
        PUBLICATION_FIELDSET,
    )

    actions = (*PublishableAdmin.actions, "merge_selected")
    # Partners share names ("Université de Madrid" five times): the pickers
    # (autocomplete_label, read by the site's autocomplete view) and the deleted
    # records page tell them apart by where they are.
    deleted_record_columns = ("city", country_column, "ror_id")

    def autocomplete_label(self, partner) -> str:
        """Return ``partner`` with what tells namesakes apart, for the pickers.

        "Université de Madrid (UM) — Madrid, Espagne · ROR 02p0gd045".
        """
        place = ", ".join(filter(None, (partner.city, country_column(partner))))
        label = f"{partner} — {place}"
        return f"{label} · ROR {partner.ror_id}" if partner.ror_id else label

    def get_search_results(self, request, queryset, search_term):
        # A ROR id is pasted as its link as often as alone: its words ("https",
        # "ror") are no name to look for.
        if self.ror_link(search_term):
            return queryset.filter(
                self.identifier_condition(request, search_term)
            ), False
        return super().get_search_results(request, queryset, search_term)

    def identifier_condition(self, request, text) -> Q:
        condition = super().identifier_condition(request, text)
        ror_id = self.ror_link(text)
        return condition | Q(ror_id=ror_id) if ror_id else condition

    @staticmethod
    def ror_link(text: str) -> str:
        """Return the ROR id ``text`` links to ("https://ror.org/02feahw73"), or ""."""
        ror_id = bare_ror_id(text)
        linked = ror_id != text.strip() and re.match(ROR_ID_PATTERN, ror_id)
        return ror_id if linked else ""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "ror_id":
            kwargs.update(
                form_class=RorIdField,
                max_length=RorIdField.link_max_length,
                help_text=_(
                    "The nine characters after https://ror.org/, e.g. 02feahw73, "
                    "or the whole link."
                ),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "import-ror/",
                self.admin_site.admin_view(self.ror_import_view),
                name="partners_partner_import_ror",
            ),
            path(
                "merge/",
                self.admin_site.admin_view(self.merge_view),
                name="partners_partner_merge",
            ),
            *super().get_urls(),
        ]

    def has_merge_permission(self, request) -> bool:
        """Merging deletes partners and may change published ones: editors only."""
        return self.has_publish_permission(request) and self.has_delete_permission(
            request
        )

    @admin.action(description=_("Merge the selected partners"), permissions=("merge",))
    def merge_selected(self, request, queryset):
        pks = sorted(queryset.values_list("pk", flat=True))
        if len(pks) < 2:
            self.message_user(
                request,
                gettext("Select at least two partners to merge."),
                messages.WARNING,
            )
            return None
        query = QueryDict(mutable=True)
        query["ids"] = ",".join(str(pk) for pk in pks)
        url = reverse("admin:partners_partner_merge", current_app=self.admin_site.name)
        return redirect(f"{url}?{query.urlencode(safe=',')}")

    def merge_view(self, request):
        """Merge partners (partners.services.merge_partners), keeping the one chosen.

        ``?ids=1,2`` names the partners; the form posts the one kept.
        """
        if not self.has_merge_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge partner institutions"),
            "opts": self.opts,
            "link_titles": [title for _name, title in MERGE_LINK_COUNTS],
        }
        try:
            partners = self._partners_to_merge(request)
        except MergeRequestError as exc:
            return self._merge_response(request, {**context, "error": str(exc)}, 400)
        kept_pk = _default_kept(partners).pk
        if request.method == "POST":
            chosen = request.POST.get("kept", "")
            kept = next((p for p in partners if str(p.pk) == chosen), None)
            if kept is None:
                context["error"] = gettext("Choose the partner to keep.")
            else:
                duplicates = [p for p in partners if p.pk != kept.pk]
                try:
                    report = merge_partners(kept, duplicates, user=request.user)
                except ValueError as exc:
                    context["error"] = str(exc)
                    kept_pk = kept.pk
                else:
                    self.message_user(
                        request,
                        gettext("Merge done: %(summary)s.")
                        % {"summary": report.summary()},
                        messages.SUCCESS,
                    )
                    return redirect(
                        reverse(
                            "admin:partners_partner_change",
                            args=[kept.pk],
                            current_app=self.admin_site.name,
                        )
                    )
        context["collisions"] = merge_collisions(partners)
        # ROR holds two ids as two organisations: said before, not only after.
        ror_ids = sorted({partner.ror_id for partner in partners if partner.ror_id})
        context["different_ror_ids"] = ror_ids if len(ror_ids) > 1 else []
        context["rows"] = [
            {
                "partner": partner,
                "counts": [
                    getattr(partner, f"merge_{name}")
                    for name, _title in MERGE_LINK_COUNTS
                ],
                "checked": partner.pk == kept_pk,
            }
            for partner in partners
        ]
        status = 400 if "error" in context else 200
        return self._merge_response(request, context, status)

    def _partners_to_merge(self, request) -> list[Partner]:
        """Return the partners named by ``?ids=``, with their links counted."""
        text = request.GET.get("ids", "")
        ids = [part.strip() for part in text.split(",") if part.strip()]
        # Digits, in the range of the id column (_is_value_of): a bigger number made
        # SQLite fail (OverflowError), and Python reads no more than 4,300 digits.
        pk = Partner._meta.pk
        if not all(part.isdecimal() and _is_value_of(pk, part) for part in ids):
            raise MergeRequestError(
                gettext("The ids must be partner numbers separated by commas.")
            )
        pks = list(dict.fromkeys(int(part) for part in ids))
        if len(pks) < 2:
            raise MergeRequestError(gettext("Choose at least two partners to merge."))
        counts = {
            f"merge_{name}": Count(name, distinct=True)
            for name, _title in MERGE_LINK_COUNTS
        }
        partners = list(
            self.get_queryset(request)
            .filter(pk__in=pks)
            .annotate(**counts)
            .order_by("pk")
        )
        missing = set(pks) - {partner.pk for partner in partners}
        if missing:
            raise MergeRequestError(
                gettext("No partner #%(pks)s: it may have been merged or deleted.")
                % {"pks": ", #".join(str(pk) for pk in sorted(missing))}
            )
        return partners

    def _merge_response(self, request, context, status):
        return TemplateResponse(
            request, "admin/partners/partner/merge.html", context, status=status
        )

    def has_ror_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_sortable_by(self, request):
        return [
            column
            for column in self.get_list_display(request)
            if getattr(column, "__name__", column) not in self.unsorted_columns
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "has_ror_import_permission": self.has_ror_import_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def ror_import_view(self, request):
        """Import partners from an uploaded ROR dump (partners.services.import_ror)."""
        if not self.has_ror_import_permission(request):
            raise PermissionDenied
        may_publish = self.has_publish_permission(request)
        form = RorImportForm(
            request.POST or None, request.FILES or None, may_publish=may_publish
        )
        status = 200
        if request.method == "POST":
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    with open_dump(upload, upload.name) as stream:
                        report = import_ror(
                            stream,
                            form.cleaned_data["countries"],
                            publish=form.cleaned_data.get("publish", False),
                            user=request.user,
                        )
                except RorImportError as exc:
                    form.add_error(
                        "file",
                        gettext("Nothing was imported: %(error)s") % {"error": exc},
                    )
                else:
                    self.message_user(
                        request,
                        gettext("ROR import: %(summary)s.")
                        % {"summary": report.summary()},
                        messages.SUCCESS,
                    )
                    return redirect(
                        reverse(
                            "admin:partners_partner_changelist",
                            current_app=self.admin_site.name,
                        )
                    )
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import partners from ROR"),
            "opts": self.opts,
            "form": form,
            "may_publish": may_publish,
        }
        return TemplateResponse(
            request, "admin/partners/partner/ror_import.html", context, status=status
        )

    def scope_queryset(self, request, queryset):
        countries = country_scope(request.user)
        return queryset if countries is None else queryset.filter(country__in=countries)

    def scope_error(self, request, form) -> str | None:
        countries = country_scope(request.user)
        values = saved_values(form, "country") if countries is not None else None
        if values is None or country_codes(values["country"]) & countries:
            return None
        return gettext(
            "The partner would leave your scope: its country must be one of your "
            "office's (%(countries)s)."
        ) % {"countries": country_list(countries)}


def _default_kept(partners: list[Partner]) -> Partner:
    """Return the partner with the most links, then the oldest: the one to keep."""
    return min(
        partners,
        key=lambda p: (
            -sum(getattr(p, f"merge_{name}") for name, _title in MERGE_LINK_COUNTS),
            p.created,
            p.pk,
        ),
    )


@admin.register(Office)
class OfficeAdmin(PublishableAdmin):
    list_display = (
        "name",
        "city",
        country_column,
        "kind",
        "opening_year",
        "head",
        "publication_status",
        "updated",
    )
    list_filter = (
        ("country", CountriesInUseFilter),
        ("countries", CountryFilter),
        "kind",
        "publication_status",
    )
    search_fields = ("name_fr", "name_en", "city_fr", "city_en", "head")
    prepopulated_fields = {"slug": ("city_fr",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "head", "opening_year")}),
        (
            _("Location"),
            {
                "fields": (
                    "city",
                    "country",
                    "countries",
                    "address",
                    ("latitude", "longitude"),
                )
            },
        ),
        (_("Contact"), {"fields": ("email", "phone", "website")}),
        (_("Role"), {"fields": ("role",)}),
        PUBLICATION_FIELDSET,
    )


@admin.register(Agreement)
class AgreementAdmin(PublishableAdmin):
    list_display = (
        "title",
        "kind",
        "reference",
        "signed_on",
        "ends_on",
        "office",
        "publication_status",
        "updated",
    )
    list_filter = (
        "kind",
        ("countries", CountryFilter),
        "office",
        "publication_status",
    )
    list_select_related = ("office",)
    search_fields = (
        "title_fr",
        "title_en",
        "reference",
        "partners__name_fr",
        "partners__name_en",
        "partners__acronym",
    )
    date_hierarchy = "signed_on"
    autocomplete_fields = ("partners", "office")
    prepopulated_fields = {"slug": ("title_fr",)}

    def scope_queryset(self, request, queryset):
        countries = country_scope(request.user)
        if countries is None:
            return queryset
        # An agreement is in scope when one of its countries or partners is.
        in_scope = models.Q(partners__country__in=countries)
        for country in countries:
            in_scope |= models.Q(countries__contains=country)
        return queryset.filter(pk__in=queryset.filter(in_scope).values("pk"))

    def scope_history(self, request, history):
        countries = country_scope(request.user)
        if countries is None:
            return history
        # Kept partners by their country now: one deleted since places it no more.
        in_scope = models.Q(keeps_link_to(Agreement, "partners", country__in=countries))
        for country in countries:
            in_scope |= models.Q(countries__contains=country)
        return history.filter(in_scope)

    def scope_error(self, request, form) -> str | None:
        countries = country_scope(request.user)
        values = (
            saved_values(form, "countries", "partners")
            if countries is not None
            else None
        )
        if values is None or (
            country_codes(values["countries"]) & countries
            or any(
                country_codes(partner.country) & countries
                for partner in values["partners"]
            )
        ):
            return None
        return gettext(
            "The agreement would leave your scope: one of its countries or partners' "
            "countries must be one of your office's (%(countries)s)."
        ) % {"countries": country_list(countries)}

    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "reference")}),
        (_("Parties"), {"fields": ("partners", "countries", "office")}),
        (_("Dates"), {"fields": (("signed_on", "ends_on"),)}),
        (_("Description"), {"fields": ("description",)}),
        PUBLICATION_FIELDSET,
    )
