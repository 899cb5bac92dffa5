"""Spreadsheet import and export in the admin: a preview, then all-or-nothing."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import (
    PermissionDenied,
    ValidationError,
)
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy as _, ngettext
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import (
    ConfirmImportForm,
    ImportForm,
    SelectableFieldsExportForm,
)

from partners import spreadsheets
from partners.resources import ChangedSincePreview, ChoiceWidget

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

    # spreadsheets.CSV keeps the blank lines tablib drops: the rows after one are
    # named by their line.
    formats = (spreadsheets.CSV, base_formats.XLSX)
    import_export_change_list_template = "admin/spreadsheets/change_list.html"
    import_template_name = "admin/spreadsheets/import.html"
    import_form_class = SpreadsheetImportForm
    confirm_form_class = ConfirmSpreadsheetForm
    export_form_class = SpreadsheetExportForm
    # In the database: any server may confirm the preview another made.
    tmp_storage_class = spreadsheets.DatabaseStorage
    import_error_display = ("message", "row")
    # CSV exports open with a byte order mark: Excel, which staff open them with,
    # read a file without one in the machine's code page ("UniversitÃ©").
    # The import reads files with or without it.
    to_encoding = "utf-8-sig"

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

    def get_export_filename(self, request, queryset, file_format):
        # django-import-export names it after the model's class ("Partner-…"),
        # in English: staff name it as the list they exported, in their language.
        name = slugify(self.model._meta.verbose_name_plural)
        day = timezone.localdate().isoformat()
        return f"{name}-{day}.{file_format.get_extension()}"

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
            # Neither UTF-8 nor Windows-1252 (spreadsheets.decoded): XLSX leaves
            # no encoding to guess.
            message = _(
                "The file's text is neither UTF-8 nor Windows-1252: its letters "
                "cannot be read with certainty. Save it as XLSX (or as “CSV UTF-8”)."
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
        if "form" in context:
            context["column_legend"] = self.column_legend(request)
        if "form" in context and not context.get("fields_list"):
            # django-import-export lists the fields of no resource after a file it
            # could not read: "This importer will import the following fields:"
            # then nothing. Those the empty form lists.
            context["fields_list"] = self.import_fields_list(
                request, context["form"], **kwargs
            )
        # The upload itself: a file that cannot be read leaves the form's data.
        kept = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if kept and "confirm_form" not in context:
            # A preview with errors, or of an unreadable file, is never confirmed.
            self.tmp_storage_class(name=kept).remove()
        elif kept:
            # What the confirmation checks nobody has changed since.
            spreadsheets.keep_versions(kept, context["result"].versions_read)
        return response

    def column_legend(self, request) -> list[tuple[str, str]]:
        """Return, for the import form, what the columns with set values accept,
        and where a new row's slug comes from."""
        legend = []
        sources = self.prepopulated_fields.get("slug", ())
        for resource_class in self.get_import_resource_classes(request):
            resource = resource_class()
            for field in resource.get_user_visible_fields():
                if field.attribute == "slug" and sources:
                    columns = [resource.fields[name].column_name for name in sources]
                    legend.append(
                        (
                            field.column_name,
                            gettext(
                                "empty on a new row: made from %(columns)s, as the "
                                "add form makes it"
                            )
                            % {"columns": ", ".join(columns)},
                        )
                    )
                elif isinstance(field.widget, ChoiceWidget):
                    model_field = self.model._meta.get_field(field.attribute)
                    legend.append(
                        (
                            field.column_name,
                            ", ".join(
                                f"{value} ({label})"
                                for value, label in model_field.flatchoices
                                if value != ""
                            ),
                        )
                    )
        return legend

    def import_fields_list(self, request, form, **kwargs):
        """The columns of each resource, as django-import-export's empty form lists."""
        res_kwargs = self.get_import_resource_kwargs(
            request=request, form=form, **kwargs
        )
        resources = [
            resource_class(**res_kwargs)
            for resource_class in self.get_import_resource_classes(request)
        ]
        return [
            (
                resource.get_display_name(),
                [field.column_name for field in resource.get_user_visible_fields()],
            )
            for resource in resources
        ]

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
        versions = spreadsheets.versions_read(form.cleaned_data["import_file_name"])
        try:
            return super().process_import(
                request, versions_at_preview=versions, **kwargs
            )
        except spreadsheets.PreviewGone:
            # Another confirmation of the same preview took the file first.
            return self.import_refused(request, [PREVIEW_GONE])
        except ChangedSincePreview as changes:
            # As the change form refuses to save over a colleague's version.
            message = _(
                "Since the preview, colleagues have changed, created or deleted "
                "records of the file: importing it would undo their work. Upload "
                "the file again for a fresh preview, which shows their versions."
            )
            return self.import_refused(request, [message], details=changes.records)

    def import_refused(self, request, errors, details=()):
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": opts,
            "errors": errors,
            "details": details,
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
        # A new row without a slug is given one made from the columns the add
        # form makes it from (SpreadsheetResource.give_slugs).
        kwargs["slug_from"] = self.prepopulated_fields.get("slug", ())
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

    def add_success_message(self, result, request):
        # django-import-export's read "Importation terminée: 1 nouveaux, 1 modifiés,
        # 0 supprimés et 1 sautés": no plural forms, and deletions no import here
        # makes. The preview's words, its unchanged rows being the skipped ones.
        new, changed, unchanged = (
            result.totals[kind] for kind in ("new", "update", "skip")
        )
        rows = [
            ngettext("%(counter)s new row", "%(counter)s new rows", new)
            % {"counter": new},
            ngettext("%(counter)s changed", "%(counter)s changed", changed)
            % {"counter": changed},
            ngettext("%(counter)s unchanged", "%(counter)s unchanged", unchanged)
            % {"counter": unchanged},
        ]
        self.message_user(
            request,
            gettext("Import finished: %(rows)s.") % {"rows": ", ".join(rows)},
            messages.SUCCESS,
        )
