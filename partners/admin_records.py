"""The admin classes every app's records share: history and revert
(``HistoryAdmin``), scope (``ScopedAdmin``), publication (``PublishableAdmin``)
and the publication actions.
"""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    label_for_field,
    lookup_field,
    unquote,
)
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth import get_permission_codename, get_user_model
from django.core.exceptions import (
    FieldDoesNotExist,
    FieldError,
    PermissionDenied,
    ValidationError,
)
from django.db import models, router, transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy as _, ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from partners.admin_deletion import DeletionNamesAdmin
from partners.admin_forms import (
    DATE_AND_TIME_WIDGETS,
    OPENED_VERSION,
    CheckedAutocompleteAdmin,
    CheckedSelectionAdmin,
    ConcurrentChangeForm,
    TranslatedChangeForm,
    is_value_of,
    translated_field_names,
)
from partners.admin_lists import (
    EstimatedCountPaginator,
    SearchResultsChangeList,
    TextSearchAdmin,
    choice_column,
)
from partners.dates import long_moment
from partners.history import (
    Reason,
    VersionChanges,
    change_reason,
    keep_first_version,
    kept_relations,
    link_changes,
    one_version_per_edit,
    relation_changes,
    relations_of,
    restore_relations,
    shown_moment,
    shown_reason,
)
from partners.models import languages_missing, translation_gap
from partners.publication import PublicationStatus, shown_by_published
from partners.roles import can_publish, changes_drafts_only
from partners.services import set_publication_status

PUBLICATION_FIELDSET = (
    _("Publication"),
    {"fields": ("publication_status", ("record_created", "record_updated"))},
)
RECORD_FIELDSET = (
    _("Record"),
    {"fields": (("record_created", "record_updated"),), "classes": ("collapse",)},
)


# How many records each list of a publication action's confirmation page names:
# the others are counted ("and 950 more"), a selection across a million partners
# too.
LISTED_RECORDS = 50

# What a record published with a text in one language only lacks, by the language
# missing: the confirmation page of "Publish selected" says it of each.
LANGUAGE_MISSING_NOTES = {
    "fr": _("No French text for: %(fields)s."),
    "en": _("No English text for: %(fields)s."),
}


@dataclasses.dataclass
class ListedRecords:
    """Records a confirmation page lists: the first ``LISTED_RECORDS``, each with
    what to say of it, and how many there are."""

    rows: list[tuple[models.Model, list[str]]]
    count: int

    @property
    def more(self) -> int:
        """How many are counted, not listed."""
        return self.count - len(self.rows)


def listed(queryset, notes=None) -> ListedRecords:
    """Return the first records of ``queryset`` and its count; ``notes(record)``
    says what to say of each."""
    count = queryset.count()
    records = list(queryset[:LISTED_RECORDS]) if count else []
    return ListedRecords(
        [(record, notes(record) if notes else []) for record in records], count
    )


def languages_missing_notes(record, fields) -> list[str]:
    """Say in which language ``record`` lacks which of its translated ``fields``."""
    return [
        LANGUAGE_MISSING_NOTES[code]
        % {
            "fields": ", ".join(
                str(record._meta.get_field(name).verbose_name) for name in names
            )
        }
        for code, names in languages_missing(record, fields).items()
    ]


def confirmation_page(modeladmin, request, template: str, context: dict):
    """Return the page asking to confirm a publication action on the selected
    records, as Django's "Delete selected" does: the selection posted back, with
    ``post``, does it. Nothing is written here."""
    opts = modeladmin.model._meta
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": opts,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        # The selection as posted: the ids checked, or the whole list ("select
        # all"), which the ids of its first page stand for.
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": forms.BooleanField(required=False).clean(
            request.POST.get("select_across")
        ),
        # "No, take me back": to the list as it was, filtered and sorted.
        "preserved_filters": modeladmin.get_preserved_filters(request),
        **context,
    }
    return TemplateResponse(request, template, context)


@admin.action(description=_("Publish selected"), permissions=("publish",))
def publish_selected(modeladmin, request, queryset):
    if not request.POST.get("post"):
        return confirm_publishing(modeladmin, request, queryset)
    held = list(
        queryset.not_ready_to_publish()
        .exclude(publication_status=PublicationStatus.PUBLISHED)
        .values_list("pk", flat=True)
    )
    published = queryset.exclude(pk__in=held)
    # Those the action publishes with a text in one language only, counted before.
    fields = translated_field_names(queryset.model)
    one_language = (
        published.exclude(publication_status=PublicationStatus.PUBLISHED)
        .filter(translation_gap(fields))
        .count()
        if fields
        else 0
    )
    count = set_publication_status(
        published,
        PublicationStatus.PUBLISHED,
        user=request.user,
        reason=change_reason(Reason.PUBLISHED),
    )
    modeladmin.message_user(
        request,
        ngettext("%(count)d record published.", "%(count)d records published.", count)
        % {"count": count},
    )
    if one_language:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d record published has a text in one language only: the "
                "dashboard lists it until it is translated.",
                "%(count)d records published have a text in one language only: the "
                "dashboard lists them until they are translated.",
                one_language,
            )
            % {"count": one_language},
            messages.WARNING,
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


def confirm_publishing(modeladmin, request, queryset):
    """Say what "Publish selected" will do: which records it publishes, with a text
    in one language only or not; which stay drafts, and why; which are published
    already."""
    drafts = queryset.exclude(publication_status=PublicationStatus.PUBLISHED)
    held = drafts.not_ready_to_publish()
    to_publish = drafts.exclude(pk__in=held.values("pk"))
    fields = translated_field_names(queryset.model)
    one_language = (
        to_publish.filter(translation_gap(fields)) if fields else to_publish.none()
    )
    return confirmation_page(
        modeladmin,
        request,
        "admin/publish_confirmation.html",
        {
            "title": _("Publish the selection?"),
            "to_publish": listed(to_publish),
            "held": listed(held.with_holds(), lambda record: record.holds),
            "one_language": listed(
                one_language, lambda record: languages_missing_notes(record, fields)
            ),
            "already_published": listed(queryset.public()),
        },
    )


@admin.action(description=_("Return selected to draft"), permissions=("publish",))
def return_selected_to_draft(modeladmin, request, queryset):
    if not request.POST.get("post"):
        return confirm_returning_to_draft(modeladmin, request, queryset)
    count = set_publication_status(
        queryset,
        PublicationStatus.DRAFT,
        user=request.user,
        reason=change_reason(Reason.RETURNED_TO_DRAFT),
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


def confirm_returning_to_draft(modeladmin, request, queryset):
    """Say what "Return selected to draft" will do: which published records leave
    the public site, which are drafts already."""
    return confirmation_page(
        modeladmin,
        request,
        "admin/return_to_draft_confirmation.html",
        {
            "title": _("Return the selection to draft?"),
            "leaving": listed(queryset.public()),
            "drafts": listed(queryset.drafts()),
            # Whether its records have pages of their own, at an address.
            "has_pages": hasattr(queryset.model, "get_absolute_url"),
        },
    )


def _key_or_404(field, text):
    """Return ``text`` as a value of ``field`` (an id), or raise Http404."""
    if not is_value_of(field, text):
        raise Http404
    return field.to_python(text)


class HistoryAdmin(
    DeletionNamesAdmin,
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

    # The "delete selected" action's label, for a model whose name Django's
    # ("Delete selected %(verbose_name_plural)s") does not agree with in French:
    # "Supprimer les unités mixtes sélectionnés". A whole sentence, so that each
    # language agrees it with the model's name.
    delete_selected_description = None

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.delete_selected_description and "delete_selected" in actions:
            function, name, _description = actions["delete_selected"]
            actions[name] = (function, name, self.delete_selected_description)
        return actions

    # Django 6 makes https the default scheme of a bare domain; take it now. Dates
    # and times say the format they are typed in.
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        **DATE_AND_TIME_WIDGETS,
    }

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
            # Where Django sends a list whose filters or page number it refused
            # (a hand-edited or outdated address, a page past the last), silently
            # unfiltered.
            self.message_user(
                request,
                gettext(
                    "The filters or the page number in the address were not "
                    "understood: the whole list is shown, from its first page."
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
            # A deleted record restored keeps the creation its versions hold.
            obj.keeps_created = True
        elif change and not self.changes_record(request, obj, form):
            # Saved with its inlines if one of them changes (save_related).
            obj._unchanged = True
            return
        self.write_record(request, obj, form, change)

    def write_record(self, request, obj, form, change):
        """Save ``obj`` as Django's admin does, by the request's user."""
        obj._unchanged = False
        if change:
            keep_first_version(obj)
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
        # prints a version without a reason as "None", and its date to the minute.
        for version in context.get("page_obj", ()):
            reason = version.history_change_reason
            version.history_change_reason = shown_reason(reason) if reason else "–"
            version.shown_date = shown_moment(version.history_date)
        # Each version's author links to their account only for those who may open
        # it: to others the link answered 403.
        context["may_view_users"] = self.may_view_users(request)
        return super().render_history_view(request, template, context, **kwargs)

    def may_view_users(self, request) -> bool:
        """Whether the user may open the staff accounts' pages in this admin."""
        user_admin = self.admin_site._registry.get(get_user_model())
        return user_admin is not None and user_admin.has_view_permission(request)

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
        """Show ``version`` in ``form``, the relations it kept, read only.

        Reverting saves the version as it was: what is typed on its page would be
        saved too while the message and the history say "restored" (staff QA), so
        its fields take no input; a record is changed after, in its change form.
        Not the change check's hidden field, which a revert posts (``read_only``:
        the user may not revert).
        """
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
                for name, field in self.fields.items():
                    if read_only or name != OPENED_VERSION:
                        field.disabled = True

            def get_initial_for_field(self, field, field_name):
                value = super().get_initial_for_field(field, field_name)
                # Cleaned as the value saved: a multiple choice wants a list, where
                # django-countries gives its own sequence of countries.
                if isinstance(field, forms.MultipleChoiceField) and not isinstance(
                    value, list | tuple | type(None)
                ):
                    value = list(value)
                return value

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
    # Django names the records a deletion deletes (DeletionNamesAdmin, in words),
    # not those whose foreign key to them it empties (a unit's director): the admin
    # site names those (CnrsAdminSite.unlinked_records, which the "delete selected"
    # action's page shows too).

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


# The warning of a public record saved with a text in one language only, by the
# language missing. Visitors reading it see the text in the other (modeltranslation's
# fallback) meanwhile.
MISSING_LANGUAGE_WARNINGS = {
    "fr": _(
        "This published record has no French text for: %(fields)s. Visitors "
        "reading French see the English text instead."
    ),
    "en": _(
        "This published record has no English text for: %(fields)s. Visitors "
        "reading English see the French text instead."
    ),
}


class TranslationGapAdmin(admin.ModelAdmin):
    """Warn that a public record just saved has a text in one language only.

    The record is saved all the same: a translation may follow. Without the
    warning, staff learnt of it from the dashboard's list of texts missing a
    language, if at all.
    """

    def is_public(self, obj) -> bool:
        """Whether visitors see ``obj``: here, whether a published record shows it."""
        return shown_by_published(obj)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self.warn_of_languages_missing(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self.warn_of_languages_missing(request, obj)
        return response

    def warn_of_languages_missing(self, request, obj) -> None:
        # A popup closes on saving, and Django says nothing there either.
        if IS_POPUP_VAR in request.POST:
            return
        missing = languages_missing(obj, translated_field_names(self.model))
        if not missing or not self.is_public(obj):
            return
        for code, fields in missing.items():
            names = ", ".join(
                str(self.model._meta.get_field(name).verbose_name) for name in fields
            )
            self.message_user(
                request,
                MISSING_LANGUAGE_WARNINGS[code] % {"fields": names},
                messages.WARNING,
            )


class TranslatedHistoryAdmin(TranslationGapAdmin, HistoryAdmin, TabbedTranslationAdmin):
    """Edit a translated record with one tab per language, with history and revert."""

    form = TranslatedChangeForm
    readonly_fields = ("record_created", "record_updated")

    # The record's moments, as the admin's columns write them ("1er mars 2026
    # 09:30"). "Fiche créée le", not the model's "Date de création" (its
    # verbose name, which a migration of every app would change): beside a unit's
    # "Année de création", its founding year, it read as the same thing.
    @admin.display(description=_("Record created"))
    def record_created(self, obj):
        return long_moment(obj.created) or self.get_empty_value_display()

    @admin.display(description=_("last updated"))
    def record_updated(self, obj):
        return long_moment(obj.updated) or self.get_empty_value_display()


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
        """Return the rows of ``queryset`` this user may see; all of them by default.

        To a role without a scope, ``queryset`` itself: ``scoped_rows`` and
        ``scope_history``'s callers tell by it that no scope applies.
        """
        return queryset

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Where Django sends a change page whose record get_queryset lacks: to a
        # role with a scope, a record outside it, which Django said "doesn't
        # exist. Perhaps it was deleted?" while the public site shows it. The
        # model's name stays in lower case, in brackets, where Django's sentence
        # began with it ("L'objet Unité mixte d'identifiant…"); back to the list
        # the record was looked for in, which the role may view, not the index.
        records = self.model._default_manager.all()
        if self.scope_queryset(request, records) is records:
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        self.message_user(
            request,
            gettext(
                "The record “%(key)s” (%(name)s) is outside your scope, or does not "
                "exist."
            )
            % {"name": opts.verbose_name, "key": unquote(object_id)},
            messages.WARNING,
        )
        if not self.has_view_or_change_permission(request):
            return HttpResponseRedirect(
                reverse("admin:index", current_app=self.admin_site.name)
            )
        changelist = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        context = {
            "preserved_filters": self.get_preserved_filters(request),
            "opts": opts,
        }
        return HttpResponseRedirect(add_preserved_filters(context, changelist))

    def scope_error(self, request, form) -> str | None:
        """Say why saving ``form`` would take its record out of the user's scope.

        None when it would not, or the user has no scope. Saving is changing what
        decides the scope (a partner's country, a unit's institutes): a record the
        user may change must stay one they may change (``saved_values``).
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

    def is_public(self, obj) -> bool:
        return obj.is_published

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and obj.is_published
            and changes_drafts_only(request.user, self.model)
        ):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("former addresses"))
    def former_addresses(self, obj) -> str:
        """The slugs that lead to the record's page (MovableAddressMixin): its own
        before a change; a partner's, those of the partners merged into it too."""
        if obj.pk is None:
            return "–"
        return ", ".join(obj.former_slugs()) or "–"

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
            # Its version says so, as the "Publish selected" action's does.
            if form.initial.get("publication_status") != PublicationStatus.PUBLISHED:
                obj._change_reason = change_reason(Reason.PUBLISHED)
                request.published_now = obj
            obj.publication_status = PublicationStatus.PUBLISHED
        super().save_model(request, obj, form, change)

    # Django's message says the record "was changed" or "added": after "Save and
    # publish", staff checked the list to learn whether it was published (QA).

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self.say_published(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self.say_published(request, obj)
        return response

    def say_published(self, request, obj) -> None:
        if getattr(request, "published_now", None) is obj:
            self.message_user(
                request,
                gettext("Record published: visitors see it now."),
                messages.SUCCESS,
            )

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
