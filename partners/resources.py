"""Spreadsheet import and export of partners (django-import-export), and the pieces
the resources of every app share.

``partners`` is the first layer (partners <- units <- programmes <- cnrs_intl), so the
base resource lives here and the other apps' resources import it from here.

What every resource guarantees:

- rows are found by their slug, the natural key that survives a round trip: a file
  without that column, or with a slug on two rows, is refused as a whole;
- a blank line is skipped, and the rows after it are still named by their line;
- each row's model is validated (``full_clean()``), so that a constraint violation is
  a row error in the preview, never a 500;
- the import runs in one transaction: nothing is written unless every row is valid;
- the confirmation writes nothing if a record the preview read has changed, been
  created or been deleted since: the file would undo a colleague's work unseen;
- unchanged rows are reported as such, so the preview tells new, changed and
  unchanged rows apart;
- numbers and dates are written the same whatever the language (1234.5, 2024-01-31),
  and read with a dot or a comma;
- a text cell that a spreadsheet program would run as a formula (starting with =, +,
  - or @) is exported with a leading apostrophe, which the import takes off again;
- only users who may publish set the publication status: others create drafts and
  leave the status of existing records alone; contributors change drafts only.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ValidationError,
)
from django.db import models, transaction
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext, gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField
from import_export import fields, resources, results, widgets
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

from partners.caching import changes_rolled_back, partners_written_in_bulk
from partners.history import Reason, change_reason, shown_moment, shown_user
from partners.models import Partner, bare_ror_id
from partners.publication import PublicationStatus
from partners.roles import can_publish, changes_drafts_only
from partners.spreadsheets import file_line, is_blank

CHANGE_REASON = change_reason(Reason.SPREADSHEET_IMPORT)
SLUG_REQUIRED = _(
    "Write the record's slug, the end of its address on the site: lowercase "
    "letters without accents, digits and hyphens, such as universite-de-tokyo."
)

# What makes a spreadsheet program read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"


def escape_formula(value):
    """Return ``value`` with a leading apostrophe when it would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return FORMULA_ESCAPE + value
    return value


def unescape_formula(value):
    """Undo ``escape_formula``, so that an exported file imports unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_ESCAPE)
        and value[1:].startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def _plain_number(value) -> str:
    """Return a number read from a cell as text Decimal takes: "1 234,5" -> "1234.5"."""
    text = str(value).strip()
    for space in (" ", "\u00a0", "\u202f"):
        text = text.replace(space, "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return text


class ColumnHeader(str):
    """A file's column name, with the field's name it is read into (``label``)."""

    def __new__(cls, column, label=""):
        header = super().__new__(cls, column)
        header.label = str(label)
        return header


def _same(value, other) -> bool:
    return value == other or (value in (None, "") and other in (None, ""))


class DecimalWidget(widgets.DecimalWidget):
    """A decimal number, read with a dot or a comma, whatever the language."""

    def __init__(self, decimal_places=None, **kwargs):
        self.decimal_places = decimal_places
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(_plain_number(value))
        except InvalidOperation:
            raise ValueError(
                gettext("“%(value)s” is not a number.") % {"value": value}
            ) from None
        # 48.85 is stored as 48.850000: padded to the column's places, it reads
        # unchanged in the preview. More places are left to full_clean() to refuse.
        if (
            self.decimal_places is not None
            and number.is_finite()
            and number.as_tuple().exponent > -self.decimal_places
        ):
            number = number.quantize(Decimal(1).scaleb(-self.decimal_places))
        return number


class IntegerWidget(widgets.IntegerWidget):
    """A whole number; 2016.0, as a spreadsheet may store it, is 2016."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(_plain_number(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral():
            raise ValueError(
                gettext("“%(value)s” is not a whole number.") % {"value": value}
            )
        return int(number)


class DateWidget(widgets.DateWidget):
    """A date written 2024-01-31 (as exported) or 31/01/2024 (as typed in France)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formats = ("%Y-%m-%d", "%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if isinstance(value, datetime.datetime):
            return value.date()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                gettext("“%(value)s” is not a date: write it 2024-01-31.")
                % {"value": value}
            ) from None


class CountryWidget(widgets.CharWidget):
    """An ISO 3166 country code, in capitals whatever the file says."""

    def clean(self, value, row=None, **kwargs):
        typed = super().clean(value, row, **kwargs).strip()
        if typed and typed.upper() not in countries:
            # Named as typed: the model's message read « 'JAPON' » for "Japon".
            raise ValueError(
                gettext(
                    "“%(value)s” is not a country code: use two letters such as JP."
                )
                % {"value": typed}
            )
        return typed.upper()


class ChoiceWidget(widgets.CharWidget):
    """One of the values of a field with choices, as stored ("university")."""

    def __init__(self, choices=(), **kwargs):
        super().__init__(**kwargs)
        self.values = [str(value) for value, _label in choices if value != ""]

    def clean(self, value, row=None, **kwargs):
        typed = super().clean(value, row, **kwargs).strip()
        if typed and typed not in self.values:
            # Django's message quotes the value twice: « 'castle' ».
            raise ValueError(
                gettext("“%(value)s” is not one of this column's values: %(values)s.")
                % {"value": typed, "values": ", ".join(self.values)}
            )
        return typed


class RorIdWidget(widgets.CharWidget):
    """A ROR id, given alone (02feahw73) or as its URL (https://ror.org/02feahw73)."""

    def clean(self, value, row=None, **kwargs):
        # As the partner form reads it: a final slash too.
        return bare_ror_id(super().clean(value, row, **kwargs))


class ForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related record by one of its identifiers (slug, code, ORCID).

    An unknown identifier is a row error naming it, not an exception; an empty
    cell, where the record needs one, says what to write (``required``), not the
    model's "This field cannot be null".
    """

    def __init__(self, model, field="pk", *, required="", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "") and self.required:
            raise ValueError(str(self.required))
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                gettext("No %(model)s has the %(field)s “%(value)s”.")
                % {
                    "model": self.model._meta.verbose_name,
                    "field": self.model._meta.get_field(self.field).verbose_name,
                    "value": value,
                }
            ) from None


def related(
    model, field: str, column: str | None = None, attribute: str = "", required=""
):
    """Declare a foreign key column that names the related record by ``field``;
    ``required``, what to write in it when the record needs one."""
    return fields.Field(
        attribute=attribute or None,
        column_name=column,
        widget=ForeignKeyWidget(model, field=field, required=required),
    )


class SpreadsheetRefused(Exception):
    """A file the import refuses as a whole, with the message staff see."""


class SpreadsheetRowRefused(ValueError):
    """A row the import cannot read, with the message staff see."""


class ChangedSincePreview(Exception):
    """Records changed since an import's preview: nothing is written.

    ``records`` says, for each one, what happened to it, who did it and when.
    """

    def __init__(self, records: list[str]):
        super().__init__(records)
        self.records = records


class SpreadsheetResult(results.Result):
    """An import's result, its rows named by their line in the file (``file_line``:
    the header is line 1), as a spreadsheet program shows them and as the CORDIS
    import names its records: django-import-export counts the rows under the
    header from 1.
    """

    def row_errors(self):
        return [(file_line(row.number), row.errors) for row in self.error_rows]

    def append_invalid_row(self, number, row, validation_error):
        # An XLSX file's empty cell is None, which the preview showed as "None";
        # a CSV file's is "".
        shown = {
            column: "" if value is None else value for column, value in row.items()
        }
        super().append_invalid_row(file_line(number), shown, validation_error)

    # A blank line is neither a row of the preview nor one of its counts.

    def increment_row_result_total(self, row_result):
        if not isinstance(row_result, BlankRowResult):
            super().increment_row_result_total(row_result)

    def append_row_result(self, row_result):
        if not isinstance(row_result, BlankRowResult):
            super().append_row_result(row_result)


class BlankRowResult(results.RowResult):
    """A blank line of the file (``is_blank``): skipped, and said nowhere."""

    def __init__(self):
        super().__init__()
        self.import_type = self.IMPORT_TYPE_SKIP


class SpreadsheetResource(resources.ModelResource):
    """A model resource with the guarantees listed in this module's docstring."""

    notes: list[tuple[int, str]] | None = None

    class Meta:
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = False

    def get_result_class(self):
        return SpreadsheetResult

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, CountryField):
            return CountryWidget
        if isinstance(f, models.CharField) and f.choices:
            return ChoiceWidget
        if isinstance(f, models.DecimalField):
            return DecimalWidget
        if isinstance(f, models.IntegerField):
            return IntegerWidget
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            return DateWidget
        if isinstance(f, models.TextField):
            return widgets.CharWidget  # a blank cell is "", never None
        return super().widget_from_django_field(f, default)

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        if isinstance(django_field, models.DecimalField):
            kwargs.setdefault("decimal_places", django_field.decimal_places)
        if cls.widget_from_django_field(django_field) is ChoiceWidget:
            kwargs.setdefault("choices", django_field.flatchoices)
        return kwargs

    @classmethod
    def field_label(cls, field) -> str:
        """Return the name, in the active language, of the model field that the
        resource's ``field`` reads and writes ("Nom [fr]" for ``name_fr``), or "".

        The file's column keeps its name (``field.column_name``): files round-trip.
        """
        try:
            model_field = cls._meta.model._meta.get_field(field.attribute or "")
        except FieldDoesNotExist:
            return ""
        return capfirst(getattr(model_field, "verbose_name", ""))

    def get_diff_headers(self):
        """The preview's column headers: each column's name, as in the file, with
        its field's name in the admin's language where the column is a field's."""
        return [
            ColumnHeader(field.column_name, label=self.field_label(field))
            for field in self.get_import_fields()
        ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Tell unchanged rows, taking an empty cell for an empty translation.

        Translation columns are nullable: a missing translation may be stored as
        NULL, and it is exported (and read back) as an empty cell.
        """
        if import_validation_errors or original is None:
            return False
        unchanged = all(
            _same(field.get_value(instance), field.get_value(original))
            for field in self.get_import_fields()
        )
        if getattr(instance, "_found_by_slug_made", False) and not unchanged:
            # A row without a slug would change the record whose slug its name
            # makes: maybe another of the same name. The same values are that
            # record, as the file imported already leaves it: unchanged.
            raise ValidationError(
                {
                    self.fields["slug"].column_name: gettext(
                        "The slug made from this row's name, “%(slug)s”, is that "
                        "of %(record)s already. If this row is that record, write "
                        "its slug; if it is another, write a slug of its own."
                    )
                    % {"slug": instance.slug, "record": original}
                }
            )
        return unchanged

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        # A cell the import could not read ("abc" for a latitude) keeps its own
        # error only, as a field of the admin's forms does: the model's rules read
        # the record's value instead, none or the one saved.
        unread = {
            # A copy: the lists are extended with the model's errors.
            name: list(messages)
            for name, messages in (import_validation_errors or {}).items()
            if name != NON_FIELD_ERRORS
        }
        try:
            super().validate_instance(
                instance, import_validation_errors, validate_unique
            )
        except ValidationError as error:
            errors = ValidationError({**error.error_dict, **unread}).error_dict
            if any(e.code == "blank" for e in errors.get("slug", ())):
                # "This field cannot be blank" said nothing to staff who do not
                # know what a slug is.
                errors["slug"] = [ValidationError(SLUG_REQUIRED, code="blank")]
            raise ValidationError(self.on_columns(errors)) from None

    def on_columns(self, errors: dict) -> dict:
        """Return ``errors`` (lists of ValidationError by field) under the file's
        columns.

        modeltranslation checks a required translated field under its own name
        ("name", "city"), which is no column of the file: its error goes to the
        column of the default language ("name_fr"), once.
        """
        columns = {field.attribute for field in self.get_import_fields()}
        found = {}
        for name, messages in errors.items():
            if name != NON_FIELD_ERRORS and name not in columns:
                localized = build_localized_fieldname(
                    name, mt_settings.DEFAULT_LANGUAGE
                )
                if localized in columns:
                    name = localized
            kept = found.setdefault(name, [])
            said = [message.messages for message in kept]
            kept += [message for message in messages if message.messages not in said]
        return found

    def export_field(self, field, instance, **kwargs):
        """Return the cell's text: plain numbers and ISO dates, formulas escaped."""
        value = super().export_field(
            field, instance, **{**kwargs, "force_native_type": True}
        )
        if value is None:
            return ""
        if isinstance(value, str):
            return escape_formula(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    def import_data(self, dataset, dry_run=False, **kwargs):
        """Preview (``dry_run``) or write the rows; the result of a preview holds the
        version of each row's record it read (``versions_read``).

        Given those (``versions_at_preview``), the import refuses, with
        ``ChangedSincePreview``, to write over records changed since.
        """
        if not dry_run:
            previewed = kwargs.pop("versions_at_preview", None)
            with transaction.atomic(using=self.get_db_connection_name()):
                if previewed:
                    self.refuse_changes_since_preview(previewed)
                return super().import_data(dataset, dry_run=dry_run, **kwargs)
        self.versions_read = {}
        self.notes = []
        # The preview saves rows and rolls them back: no page changed.
        with changes_rolled_back():
            result = super().import_data(dataset, dry_run=dry_run, **kwargs)
        result.versions_read = self.versions_read
        result.notes = sorted(self.notes)
        # Which encoding a CSV file was read in (spreadsheets.CSV), for the preview.
        result.read_as = getattr(dataset, "read_as", "")
        return result

    def note(self, row_number: int, message: str) -> None:
        """Tell staff, in the preview, something to check on a valid row before
        confirming (as the change form's warnings, which save all the same)."""
        if self.notes is not None:  # a preview's
            self.notes.append((file_line(row_number), message))

    def give_slugs(self, dataset, sources) -> None:
        """Slug each row without one from its columns ``sources`` (the fields the
        add form's slug is made from), as that form does, in the dataset itself.

        Staff need not know what a slug is to add a record. A slug so made that
        is already a record's is the row's error (``after_init_instance``): the
        row would change that record, maybe another of the same name.
        """
        self.slugs_made = set()
        column = self.fields["slug"].column_name
        sources = [
            self.fields[name].column_name
            for name in sources
            if name in self.fields and self.fields[name].column_name in dataset.headers
        ]
        if not sources or column not in dataset.headers:
            return
        max_length = self._meta.model._meta.get_field("slug").max_length
        slugs = []
        for row in dataset.dict:
            slug = str(row[column] or "").strip()
            if not slug and not is_blank(row.values()):
                text = " ".join(str(row[source] or "") for source in sources)
                slug = slugify(text)[:max_length].strip("-")
                if slug:
                    self.slugs_made.add(slug)
            slugs.append(slug or row[column])
        index = dataset.headers.index(column)
        del dataset[column]
        dataset.insert_col(index, slugs, header=column)

    def import_key(self, row) -> str:
        """Return the identifier the row's record is found by (its slug)."""
        (name,) = self.get_import_id_fields()
        return str(self.fields[name].clean(row) or "").strip()

    @staticmethod
    def version_of(record) -> list | None:
        """Return the version of a stored record, as JSON keeps it, or None."""
        if record is None or record.pk is None:
            return None
        return [str(record.pk), record.updated.isoformat()]

    def current_versions(self, keys) -> dict[str, list]:
        """Return the version of the records of ``keys`` as stored, locked until the
        transaction ends: a save made meanwhile waits for the import."""
        (name,) = self.get_import_id_fields()
        attribute = self.fields[name].attribute
        records = self.get_queryset().select_for_update(of=("self",))
        found = {}
        keys = list(keys)
        # Within the number of parameters a query may have, on SQLite too.
        for chunk in (keys[i : i + 500] for i in range(0, len(keys), 500)):
            rows = records.filter(**{f"{attribute}__in": chunk}).values_list(
                attribute, "pk", "updated"
            )
            found.update(
                (str(key), [str(pk), updated.isoformat()]) for key, pk, updated in rows
            )
        return found

    def refuse_changes_since_preview(self, previewed: dict[str, list | None]) -> None:
        """Raise ``ChangedSincePreview`` if a record the preview read was changed,
        created or deleted since.

        A row previewed as unchanged is refused too: its record's newer values
        would be overwritten by the file's older ones.
        """
        current = self.current_versions(previewed)
        changed = sorted(key for key in previewed if current.get(key) != previewed[key])
        if changed:
            raise ChangedSincePreview(
                [
                    self.change_since_preview(key, previewed[key], current.get(key))
                    for key in changed
                ]
            )

    def change_since_preview(self, key: str, before, now) -> str:
        """Say what happened to the record of ``key`` since the preview, who did it
        and when, from its history."""
        model = self._meta.model
        history = getattr(model, model._meta.simple_history_manager_attribute)
        versions = history.filter(**{model._meta.pk.attname: (now or before)[0]})
        if before is None:
            # Created since: by whom, whoever changed it next.
            versions = versions.filter(history_type="+")
        latest = (
            versions.select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
        if latest is None:
            return gettext("%(record)s: changed since the preview.") % {"record": key}
        params = {
            "record": f"{latest.instance} [{key}]",
            "date": shown_moment(latest.history_date),
        }
        user = latest.history_user
        if user is not None:
            params["user"] = shown_user(user)
        if before is None:
            message = (
                gettext("%(record)s: created by %(user)s on %(date)s.")
                if user
                else gettext("%(record)s: created on %(date)s.")
            )
        elif now is None:
            message = (
                gettext("%(record)s: deleted by %(user)s on %(date)s.")
                if user
                else gettext("%(record)s: deleted on %(date)s.")
            )
        else:
            message = (
                gettext("%(record)s: changed by %(user)s on %(date)s.")
                if user
                else gettext("%(record)s: changed on %(date)s.")
            )
        return message % params

    def before_import(self, dataset, **kwargs):
        """Refuse a file whose rows cannot be told apart by their slug.

        Without the column each row failed with a Python traceback; with a slug on
        two rows the last one silently won.
        """
        self.give_slugs(dataset, kwargs.get("slug_from", ()))
        for name in self._meta.import_id_fields:
            column = self.fields[name].column_name
            if column not in (dataset.headers or []):
                raise SpreadsheetRefused(
                    gettext(
                        "The file has no “%(column)s” column (its columns: "
                        "%(columns)s). Start from an export of this list, saved "
                        "as XLSX or as CSV."
                    )
                    % {
                        "column": column,
                        "columns": ", ".join(map(str, dataset.headers or [])) or "–",
                    }
                )
            lines = {}
            for number, value in enumerate(dataset[column], start=1):
                if value not in (None, ""):
                    lines.setdefault(str(value).strip(), []).append(file_line(number))
            twice = {value: found for value, found in lines.items() if len(found) > 1}
            if twice:
                value, found = next(iter(twice.items()))
                raise SpreadsheetRefused(
                    gettext(
                        "“%(value)s” is in the “%(column)s” column of lines "
                        "%(lines)s: each record may be on one line only."
                    )
                    % {
                        "value": value,
                        "column": column,
                        "lines": ", ".join(map(str, found)),
                    }
                )
        super().before_import(dataset, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        # Told by skip_row, once the row's values are read: the record it would
        # change, or a record it holds as it is (the file imported already).
        instance._found_by_slug_made = not new and self.import_key(row) in getattr(
            self, "slugs_made", ()
        )
        if kwargs.get("dry_run"):
            # The version whose values the preview compares the row with.
            self.versions_read[self.import_key(row)] = self.version_of(
                None if new else instance
            )
        super().after_init_instance(instance, new, row, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        # The file's blank lines stay rows (spreadsheets.CSV), so that the rows
        # after them keep their line: they hold nothing to import.
        if is_blank(row.values()):
            return BlankRowResult()
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            if isinstance(value, str) and "\x00" in value:
                # PostgreSQL's text cannot hold it: even looking a value up fails.
                raise SpreadsheetRowRefused(
                    gettext(
                        "The “%(column)s” cell holds a NUL character (\\x00), "
                        "which is not text."
                    )
                    % {"column": column}
                )
            row[column] = unescape_formula(value)
            if isinstance(value, str):
                # Line breaks as the change forms store them (LF): a file from
                # another program may hold CR LF, and its texts read as changed.
                row[column] = row[column].replace("\r\n", "\n").replace("\r", "\n")
        super().before_import_row(row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = CHANGE_REASON
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user
        super().before_save_instance(instance, row, **kwargs)


class PublishableResource(SpreadsheetResource):
    """A resource of a model with a publication status (``PublishableModel``)."""

    may_publish = False
    drafts_only = True

    def before_import(self, dataset, **kwargs):
        user = kwargs.get("user")
        self.may_publish = user is not None and can_publish(user)
        self.drafts_only = user is None or changes_drafts_only(user)
        super().before_import(dataset, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._status_before_import = None if new else instance.publication_status
        super().after_init_instance(instance, new, row, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        """Take the file's status only from those who may publish, and never blank."""
        status = instance.publication_status
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if not self.may_publish or not instance.publication_status:
                instance.publication_status = status

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        errors = dict(import_validation_errors or {})
        if (
            self.drafts_only
            and getattr(instance, "_status_before_import", None)
            == PublicationStatus.PUBLISHED
        ):
            errors[NON_FIELD_ERRORS] = [
                ValidationError(
                    _(
                        "This record is published: you may change drafts only. "
                        "Ask an editor, or leave the row unchanged."
                    ),
                    code="published",
                )
            ]
        super().validate_instance(instance, errors, validate_unique)


class PartnerResource(PublishableResource):
    ror_id = fields.Field(
        attribute="ror_id", column_name="ror_id", widget=RorIdWidget()
    )
    parent = related(Partner, "slug", "parent", "parent")

    class Meta(PublishableResource.Meta):
        model = Partner
        name = _("Partner institutions")
        fields = (
            "slug",
            "name_fr",
            "name_en",
            "original_name",
            "original_name_language",
            "acronym",
            "kind",
            "country",
            "city_fr",
            "city_en",
            "latitude",
            "longitude",
            "website",
            "ror_id",
            "pic",
            "status",
            "established",
            "parent",
            "publication_status",
        )

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors():
            # The dashboard's possible duplicates are found again (kept a while
            # whatever single saves change).
            partners_written_in_bulk()
