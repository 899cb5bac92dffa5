"""The data API's answers as CSV (``?format=csv``), for spreadsheets: one row a
record, one column a value.

Nested values are spread into columns named by their path ("name_fr", "name_en",
"page_fr"); a list of values is one cell, its items separated by "; ". The file
starts with a byte order mark, by which spreadsheet programs know it is UTF-8
("Universidade de São Paulo" stayed readable), and a cell a spreadsheet would take
for a formula (starting with =, +, - or @) is written with an apostrophe first:
the texts are the site's, typed by many, and a file opened must run nothing.

A module of its own: Django REST framework reads the renderers of its settings
while defining its views, before partners/api.py could be read.
"""

import csv
import io
import json
from decimal import Decimal

from rest_framework.renderers import BaseRenderer

# The records of a list a CSV file holds (``?format=csv``): a spreadsheet takes a
# list whole, or nearly; the next ones are named in the Link header.
CSV_PAGE_SIZE = 1000
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


class CsvRenderer(BaseRenderer):
    """A list's records (the ``results`` of a page), a plain list, or one record
    or a message, as CSV."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response, request = context.get("response"), context.get("request")
        if response is not None and request is not None:
            # Saved under the address's name ("partners.csv", "units-jrl.csv"),
            # not as "partners" without an extension.
            parts = [part for part in request.path.split("/") if part][1:]
            name = "-".join(parts) or "data"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        if data is None:
            return b""
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
        out = io.StringIO()
        out.write(BYTE_ORDER_MARK)
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(row.get(column)) for column in columns])
        return out.getvalue().encode(self.charset)
