"""The data API's answers for spreadsheets: as CSV (``?format=csv``) and as an
Excel workbook (``?format=xlsx``), one row a record, one column a value.

The columns are the serializer's fields, in its order, whatever the records:
nested values are spread into columns named by their path ("name_fr", "name_en",
"director_name"), a nested record that is null leaving its columns empty, and the
header row is written even when no record is found. A reuser appends the batches
of a list (Link's next), or several filtered lists, column by column
(``serializer_columns``, ``answer_columns``).
A list of values is one cell, its items separated by "; ". The CSV
file starts with a byte order mark, by which spreadsheet programs know it is
UTF-8 ("Universidade de São Paulo" stayed readable), and a cell a spreadsheet
would take for a formula (starting with =, +, - or @) is written with an
apostrophe first: the texts are the site's, typed by many, and a file opened
must run nothing. The workbook is for Excel set to French: it opens a CSV file
in one column (its list separator is ";") and reads "35.5" as a date; in the
workbook numbers are numbers, dates are dates ("yyyy-mm-dd", which Excel sorts
and computes with) and texts are texts, never formulas; the CSV file writes
dates as the JSON does (ISO 8601, "2024-01-31").

A spreadsheet is read by people: beside each coded value ("JP", "active") its
label in the language of ``lang`` ("Japon", "En activité"), in a column of its
own ("country_label"). The serializers give these columns, to spreadsheets only
(partners.api.spreadsheet_fields); the columns stay the same whatever the
records.

A module of its own: Django REST framework reads the renderers of its settings
while defining its views, before partners/api.py could be read.
"""

import csv
import datetime
import io
import json
import typing
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.drainage import get_override
from drf_spectacular.types import OpenApiTypes
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

# The records of a list a CSV file or a workbook holds (``?format=csv``,
# ``xlsx``): a spreadsheet takes a list whole, or nearly; the next ones are named
# in the Link header.
CSV_PAGE_SIZE = 1000
SPREADSHEET_FORMATS = ("csv", "xlsx")
BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ITEMS_SEPARATOR = "; "


def asks_spreadsheet(request) -> bool:
    """Tell whether ``request`` asks for a file for spreadsheets (``?format=csv``,
    ``xlsx``)."""
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is not None and renderer.format in SPREADSHEET_FORMATS


# A column: the path of its value in a record, ("director", "name") for
# "director_name".
Path = tuple[str, ...]


def serializer_columns(serializer, path: Path = ()) -> list[Path]:
    """Return the columns of the records ``serializer`` gives, in its fields'
    order, known from its fields alone (never from the records written): a
    nested record spread into its fields' columns, a translated text or any
    value whose keys its OpenAPI declaration names (``extend_schema_field``) into
    a column per key, a list (``many=True``) in one cell."""
    found = []
    for name, field in serializer.fields.items():
        if not field.write_only:
            found += field_columns(serializer, name, field, (*path, name))
    return found


def field_columns(serializer, name: str, field, path: Path) -> list[Path]:
    """Return the columns of one field of ``serializer``."""
    if isinstance(field, serializers.SerializerMethodField):
        method = getattr(serializer, field.method_name)
        declared = get_override(method, "field")
        if declared is None:
            # A dictionary a method makes has keys its author knows: declared,
            # or refused, never taken from the records written.
            returned = typing.get_type_hints(method).get("return")
            if typing.get_origin(returned) is dict or returned is dict:
                raise ImproperlyConfigured(undeclared_keys(path))
            return [path]
        return shape_columns(declared, path)
    # drf-spectacular's declaration, on the field's class or the field (one
    # set on a declared field is not copied to its serializer's own fields).
    declared = get_override(field, "field")
    if declared is None:
        declared = get_override(serializer._declared_fields.get(name), "field")
    if declared is not None:
        return shape_columns(declared, path)
    if isinstance(field, (serializers.ListSerializer, ManyRelatedField)):
        return [path]
    if isinstance(field, serializers.BaseSerializer):
        return serializer_columns(field, path)
    # A plain value; a dictionary whose keys are the data's (DictField,
    # JSONField), which no declaration can name, is one cell, as JSON.
    return [path]


def shape_columns(declared, path: Path) -> list[Path]:
    """Return the columns of a value described by ``declared``, as
    ``extend_schema_field`` takes it: an OpenAPI schema, a serializer or a type."""
    if isinstance(declared, type) and issubclass(declared, serializers.BaseSerializer):
        declared = declared()
    if isinstance(declared, serializers.ListSerializer):
        return [path]
    if isinstance(declared, serializers.BaseSerializer):
        return serializer_columns(declared, path)
    if isinstance(declared, dict):
        if declared.get("type") != "object":
            return [path]
        properties = declared.get("properties")
        if not properties:
            raise ImproperlyConfigured(undeclared_keys(path))
        return [
            column
            for key, schema in properties.items()
            for column in shape_columns(schema, (*path, key))
        ]
    if declared is dict or declared == OpenApiTypes.OBJECT:
        raise ImproperlyConfigured(undeclared_keys(path))
    return [path]


def undeclared_keys(path: Path) -> str:
    return (
        f"The spreadsheet columns of “{'.'.join(path)}” cannot be known: declare "
        "its keys with extend_schema_field({'type': 'object', 'properties': …})."
    )


def column_name(path: Path) -> str:
    return "_".join(path)


def cell_value(record, path: Path):
    """Return the value of the column ``path`` in ``record``: empty where a
    nested record is null, a list's items in one cell."""
    value = record
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, list):
        return ITEMS_SEPARATOR.join(map(cell_text, value))
    return value


def flat(value, prefix: str = "") -> dict[str, object]:
    """Return ``value`` spread into columns: {"name_fr": …, "name_en": …}; for an
    answer no serializer gave (a message), whose columns are its keys."""
    if isinstance(value, dict):
        spread = {}
        for key, item in value.items():
            spread.update(flat(item, f"{prefix}_{key}" if prefix else str(key)))
        return spread
    if isinstance(value, list):
        return {prefix: ITEMS_SEPARATOR.join(map(cell_text, value))}
    return {prefix: value}


def cell_text(value) -> str:
    """A value written in one cell: a record of a list as JSON, a date in ISO
    8601, others as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        # REST framework's encoder: a date in a record of a list (a partner's
        # agreements) as its JSON writes it.
        return json.dumps(value, ensure_ascii=False, cls=JSONEncoder)
    return str(value)


def safe_cell(value) -> str:
    """Return ``value`` as a cell's text that no spreadsheet runs as a formula.

    Numbers stay numbers: "-71.094", a longitude, is no formula.
    """
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    text = cell_text(value)
    if text.startswith(FORMULA_STARTS):
        return f"'{text}"
    return text


def answer_columns(serializer, view) -> list[Path]:
    """Return the columns of an answer ``serializer`` gave.

    A list's: its serializer's. A record's, when its serializer extends the
    list's with its links (a unit's partners, a partner's units): the list's
    columns first, then its own, so that a record's row is appended to a list's
    column by column. A list's column the record's serializer does not give is
    left empty (every record gives its list's columns: tested).
    """
    if isinstance(serializer, serializers.ListSerializer):
        return serializer_columns(serializer.child)
    found = serializer_columns(serializer)
    listed = getattr(view, "serializer_class", None)
    if listed is None or type(serializer) is listed:
        return found
    if not issubclass(type(serializer), listed):
        return found
    first = serializer_columns(listed(context=serializer.context))
    return first + [column for column in found if column not in first]


def spreadsheet_rows(data, view=None) -> tuple[list[str], list[list[object]]]:
    """Return the header and the rows of an answer: a list's records (the
    ``results`` of a page), a plain list, or one record or a message.

    A serializer's answer (REST framework's data keeps it, ``serializer``) is
    written in its columns (``answer_columns``), the same whatever the records,
    none included; another, a message, in its own keys.
    """
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    records = data if isinstance(data, list) else [data]
    serializer = getattr(data, "serializer", None)
    if serializer is None:
        rows = [
            flat(record) if isinstance(record, dict) else {"value": record}
            for record in records
        ]
        header = list(dict.fromkeys(column for row in rows for column in row))
        return header, [[row.get(column) for column in header] for row in rows]
    paths = answer_columns(serializer, view)
    header = [column_name(path) for path in paths]
    return header, [[cell_value(record, path) for path in paths] for record in records]


def file_name(renderer_context) -> str | None:
    """Return the file's name without extension, from the address: "partners",
    "units-jrl"; None out of a request."""
    context = renderer_context or {}
    response, request = context.get("response"), context.get("request")
    if response is None or request is None:
        return None
    parts = [part for part in request.path.split("/") if part][1:]
    return "-".join(parts) or "data"


def saved_as(renderer_context, extension: str) -> None:
    """Have the answer saved under the address's name ("partners.csv"), not as
    "partners" without an extension."""
    if (name := file_name(renderer_context)) is not None:
        renderer_context["response"]["Content-Disposition"] = (
            f'attachment; filename="{name}.{extension}"'
        )


class SpreadsheetRenderer(BaseRenderer):
    """An answer as a file for spreadsheets, saved under the address's name with
    the format as its extension, its records spread into rows (``written``)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        saved_as(renderer_context, self.format)
        if data is None:
            return b""
        view = (renderer_context or {}).get("view")
        header, rows = spreadsheet_rows(data, view)
        return self.written(header, rows, renderer_context)

    def written(self, header, rows, renderer_context) -> bytes:
        raise NotImplementedError


class CsvRenderer(SpreadsheetRenderer):
    """An answer as CSV."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def written(self, header, rows, renderer_context) -> bytes:
        out = io.StringIO()
        out.write(BYTE_ORDER_MARK)
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
        return out.getvalue().encode(self.charset)


class XlsxRenderer(SpreadsheetRenderer):
    """An answer as an Excel workbook: one sheet, its header row bold, kept in
    view and filtering, numbers, dates and true/false typed, every text a text (no
    formula)."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def written(self, header, rows, renderer_context) -> bytes:
        workbook = Workbook(write_only=True)
        # A sheet's name: 31 characters at most, none of []:*?/\.
        sheet = workbook.create_sheet(
            (file_name(renderer_context) or "data")[:31].translate(
                str.maketrans("", "", "[]:*?/\\")
            )
        )
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        sheet.append([self.cell(sheet, name, font=bold) for name in header])
        count = 0
        for count, row in enumerate(rows, start=1):  # noqa: B007  (counted)
            sheet.append([self.cell(sheet, value) for value in row])
        # The header's filter buttons: a reader sorts and narrows at once.
        sheet.auto_filter.ref = (
            f"A1:{get_column_letter(max(len(header), 1))}{count + 1}"
        )
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    @staticmethod
    def cell(sheet, value, font=None):
        """Return ``value`` as the workbook writes it: numbers, true/false, dates
        and nothing as they are (openpyxl gives a date the number format
        "yyyy-mm-dd"), a text as a text."""
        if isinstance(value, (bool, int, float, Decimal, datetime.date)) or (
            value is None
        ):
            written = value
        else:
            # The characters XML cannot hold (control ones) left out, as no
            # spreadsheet shows them.
            written = ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))
        if font is None and not (isinstance(written, str) and written[:1] == "="):
            # A plain value, the fastest to write (a cell object each: twice the
            # time).
            return written
        cell = WriteOnlyCell(sheet, value=written)
        if isinstance(written, str):
            # Set as a string, so that "=…" is no formula.
            cell.data_type = "s"
        if font is not None:
            cell.font = font
        return cell
