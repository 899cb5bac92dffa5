"""The admin's pages that import a registry's files (ROR, CORDIS): a form, the
import all or nothing, what it did said in messages, which link to the records it
created or updated (``ImportFilter``)."""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy as _

from partners.history import Reason, change_reason, shown_moment
from partners.import_errors import (
    error_count,
    error_messages,
    more_errors,
    refusal_summary,
)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# The versions an import writes: created, updated (simple-history's types).
IMPORT_CHANGES = {"created": "+", "updated": "~"}
IMPORT_REASONS = (change_reason(Reason.ROR_IMPORT), change_reason(Reason.CORDIS_IMPORT))


class ImportFilter(admin.SimpleListFilter):
    """The records one import created, or those it updated: the list its message
    links to (``linked_counts``).

    An import dates all its versions alike: the value is the change and that
    moment, in microseconds since 1970 ("created-1796543160123456"). The filter is
    shown when given only, with the import's date.
    """

    title = _("import")
    parameter_name = "import"

    def __init__(self, request, params, model, model_admin):
        # Read before Django's __init__, which asks for the lookups.
        self.change, self.moment = None, None
        if values := params.get(self.parameter_name):
            value = values[-1]
            change, _dash, micros = value.partition("-")
            try:
                if change not in IMPORT_CHANGES or not (
                    micros.isascii() and micros.isdigit() and len(micros) <= 18
                ):
                    raise ValueError
                moment = EPOCH + datetime.timedelta(microseconds=int(micros))
            except (ValueError, OverflowError):  # after the year 9999
                # The changelist's answer to bad parameters: the list, with ?e=1.
                raise IncorrectLookupParameters(f"{value!r} names no import") from None
            self.change, self.moment = change, moment
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        if self.moment is None:
            return []
        label = (
            gettext("Created by the import of %(date)s")
            if self.change == "created"
            else gettext("Updated by the import of %(date)s")
        )
        return [(self.value(), label % {"date": shown_moment(self.moment)})]

    def queryset(self, request, queryset):
        if self.moment is None:
            return queryset
        model = queryset.model
        versions = model.history.filter(
            history_date=self.moment,
            history_type=IMPORT_CHANGES[self.change],
            history_change_reason__in=IMPORT_REASONS,
        )
        return queryset.filter(pk__in=versions.values(model._meta.pk.attname))


def imported_url(changelist_url: str, moment: datetime.datetime, change: str) -> str:
    """Return the list at ``changelist_url`` of the records an import of ``moment``
    created or updated (``change``)."""
    micros = (moment - EPOCH) // datetime.timedelta(microseconds=1)
    return f"{changelist_url}?{urlencode({'import': f'{change}-{micros}'})}"


def linked_counts(report, changelist_url: str):
    """Return the counts of an import's ``report`` (``counts()``: by outcome, as the
    report says them), joined, those of the records created and updated linking
    to them (``ImportFilter``)."""
    parts = []
    for outcome, text in report.counts().items():
        if outcome in IMPORT_CHANGES and report.date and getattr(report, outcome):
            url = imported_url(changelist_url, report.date, outcome)
            parts.append(format_html('<a href="{}">{}</a>', url, text))
        else:
            parts.append(text)
    return format_html_join(", ", "{}", ((part,) for part in parts))


class RegistryImportForm(forms.Form):
    """The files to import; the "publish" box only for those who may publish."""

    def __init__(self, *args, may_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            del self.fields["publish"]


def import_page(
    model_admin,
    request,
    form_class,
    run,
    *,
    refusals: tuple[type[Exception], ...],
    title,
    template: str,
    done_url: str,
    error_field: str | None = None,
):
    """Show ``form_class``'s page, and import what it was sent.

    ``run(cleaned_data)`` imports, then returns the messages to give, as (text,
    level) pairs; ``refusals`` are the exceptions it raises when it imports
    nothing, shown on the form (on ``error_field``, or above it) with a 400: one
    error as the form's, several listed under a sentence that counts them.
    Imported, the user goes to ``done_url``.
    """
    may_publish = model_admin.has_publish_permission(request)
    form = form_class(
        request.POST or None, request.FILES or None, may_publish=may_publish
    )
    status = 200
    listed, more = [], ""
    if request.method == "POST":
        if form.is_valid():
            try:
                said = run(form.cleaned_data)
            except refusals as error:
                if error_count(error) > 1:
                    form.add_error(error_field, refusal_summary(error))
                    listed, more = error_messages(error), more_errors(error)
                else:
                    form.add_error(
                        error_field,
                        gettext("Nothing was imported. %(error)s") % {"error": error},
                    )
            else:
                for text, level in said:
                    model_admin.message_user(request, text, level)
                return redirect(done_url)
        status = 400
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.opts,
        "form": form,
        "may_publish": may_publish,
        # Several errors: listed under the form's error that counts them.
        "import_errors": listed,
        "more_import_errors": more,
        "import_error_field": error_field,
    }
    return TemplateResponse(request, template, context, status=status)
