"""The data API's answers for spreadsheets: as CSV (``?format=csv``) and as an
Excel workbook (``?format=xlsx``), one row a record, one column a value.

Nested values are spread into columns named by their path ("name_fr", "name_en",
"page_fr"); a list of values is one cell, its items separated by "; ". The CSV
file starts with a byte order mark, by which spreadsheet programs know it is
UTF-8 ("Universidade de São Paulo" stayed readable), and a cell a spreadsheet
would take for a formula (starting with =, +, - or @) is written with an
apostrophe first: the texts are the site's, typed by many, and a file opened
must run nothing. The workbook is for Excel set to French: it opens a CSV file
in one column (its list separator is ";") and reads "35.5" as a date; in the
workbook numbers are numbers and texts are texts, never formulas.

A module of its own: Django REST framework reads the renderers of its settings
while defining its views, before partners/api.py could be read.
"""

import csv
import io
import json
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from rest_framework.renderers import BaseRenderer

# The records of a list a CSV file or a workbook holds (``?format=csv``,
# ``xlsx``): a spreadsheet takes a list whole, or nearly; the next ones are named
# in the Link header.
CSV_PAGE_SIZE = 1000
SPREADSHEET_FORMATS = ("csv", "xlsx")
BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ITEMS_SEPARATOR = "; "


def flat(value, prefix: str = "") -> dict[str, object]:
    """Return ``value`` spread into columns: {"name_fr": …, "name_en": …}."""
    if isinstance(value, dict):
        columns = {}
        for key, item in value.items():
            columns.update(flat(item, f"{prefix}_{key}" if prefix else str(key)))
        return columns
    if isinstance(value, list):
        return {prefix: ITEMS_SEPARATOR.join(map(cell_text, value))}
    return {prefix: value}


def cell_text(value) -> str:
    """A value written in one cell: a record of a list as JSON, others as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
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


def spreadsheet_rows(data) -> tuple[list[str], list[dict[str, object]]]:
    """Return the columns and the rows of an answer: a list's records (the
    ``results`` of a page), a plain list, or one record or a message."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        records = data["results"]
    elif isinstance(data, list):
        records = data
    else:
        records = [data]
    rows = [
        flat(record) if isinstance(record, dict) else {"value": record}
        for record in records
    ]
    columns = list(dict.fromkeys(column for row in rows for column in row))
    return columns, rows


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
        columns, rows = spreadsheet_rows(data)
        return self.written(columns, rows, renderer_context)

    def written(self, columns, rows, renderer_context) -> bytes:
        raise NotImplementedError


class CsvRenderer(SpreadsheetRenderer):
    """An answer as CSV."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def written(self, columns, rows, renderer_context) -> bytes:
        out = io.StringIO()
        out.write(BYTE_ORDER_MARK)
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(row.get(column)) for column in columns])
        return out.getvalue().encode(self.charset)


class XlsxRenderer(SpreadsheetRenderer):
    """An answer as an Excel workbook: one sheet, its header row bold and kept in
    view, numbers and true/false typed, every text a text (no formula)."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def written(self, columns, rows, renderer_context) -> bytes:
        workbook = Workbook(write_only=True)
        # A sheet's name: 31 characters at most, none of []:*?/\.
        sheet = workbook.create_sheet(
            (file_name(renderer_context) or "data")[:31].translate(
                str.maketrans("", "", "[]:*?/\\")
            )
        )
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        sheet.append([self.cell(sheet, column, font=bold) for column in columns])
        for row in rows:
            sheet.append([self.cell(sheet, row.get(column)) for column in columns])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    @staticmethod
    def cell(sheet, value, font=None):
        """Return ``value`` as the workbook writes it: numbers, true/false and
        nothing as they are, a text as a text."""
        if isinstance(value, (bool, int, float, Decimal)) or value is None:
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
