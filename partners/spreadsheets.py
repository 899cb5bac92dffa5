"""Where the admin keeps a spreadsheet between its import's preview and confirmation."""

import csv
import datetime
import io
import re
import zipfile
from uuid import uuid4

import openpyxl
import tablib
from django.utils import timezone
from import_export.formats import base_formats
from import_export.tmp_storages import BaseStorage

from partners.models import PreviewedImport

# A preview left unconfirmed longer than this is removed at the next one.
KEPT_FOR = datetime.timedelta(days=1)


class PreviewGone(Exception):
    """A confirmed import's file is no longer kept: imported already, or too old."""


class DatabaseStorage(BaseStorage):
    """django-import-export's temporary storage, in the database every server shares.

    The preview saves the file and reads it back from memory. The confirmation opens
    it by name and takes it: reading deletes the row, so that of two confirmations of
    one preview (a button pressed twice, on one server or two) only the first
    imports; the other raises ``PreviewGone``.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.content: bytes | None = None

    def save(self, data: bytes):
        PreviewedImport.objects.filter(created__lt=timezone.now() - KEPT_FOR).delete()
        self.name = uuid4().hex
        PreviewedImport.objects.create(name=self.name, content=data)
        self.content = bytes(data)

    def read(self):
        if self.content is None:
            self.content = take(self.name)
        if "b" in self.read_mode:
            return self.content
        return self.content.decode(self.encoding or "utf-8-sig")

    def remove(self):
        PreviewedImport.objects.filter(name=self.name).delete()


def is_kept(name: str) -> bool:
    return PreviewedImport.objects.filter(name=name).exists()


def keep_versions(name: str, versions: dict) -> None:
    """Keep, beside a previewed file, the versions of the records its preview read."""
    PreviewedImport.objects.filter(name=name).update(versions=versions)


def versions_read(name: str) -> dict:
    """Return the versions of the records a kept file's preview read."""
    versions = (
        PreviewedImport.objects.filter(name=name)
        .values_list("versions", flat=True)
        .first()
    )
    return versions or {}


def take(name: str) -> bytes:
    """Return a previewed file's content and delete it, or raise ``PreviewGone``."""
    content = (
        PreviewedImport.objects.filter(name=name)
        .values_list("content", flat=True)
        .first()
    )
    # The delete decides between two confirmations that read the file at once: the
    # second waits for the first's and deletes nothing.
    deleted, _ = PreviewedImport.objects.filter(name=name).delete()
    if content is None or not deleted:
        raise PreviewGone(name)
    return bytes(content)


def file_line(row: int) -> int:
    """Return the line of a file's ``row``-th row under its header, as a spreadsheet
    program numbers them: the header is line 1, the first row line 2.

    What staff see beside the row, in the preview of a spreadsheet import and in a
    CORDIS import's errors alike; a row of a CSV file is one line whatever line
    breaks its quoted cells hold, and a blank line is a line (``CSV``).
    """
    return row + 1


def is_blank(values) -> bool:
    """Whether a row's cells are all empty: a blank line of the file, skipped."""
    return all(value is None or str(value).strip() == "" for value in values)


# The encoding of the CSV files Excel saves in French ("CSV (séparateur :
# point-virgule)"), read when a file is not UTF-8.
WINDOWS_1252 = "cp1252"
# A character of two to four bytes as UTF-8 writes it: in a file that is not UTF-8
# nonetheless, UTF-8 damaged (two files pasted together), which read as
# Windows-1252 would garble each accent ("UniversitÃ©").
UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# A comma, or the semicolon Excel writes in French, or a tab.
SEPARATORS = (",", ";", "\t")


def decoded(content: bytes) -> tuple[str, str]:
    """Return a CSV file's text and the encoding it was read in: UTF-8 (with or
    without a byte order mark), else Windows-1252.

    Raise UnicodeDecodeError for a file that is neither, or is damaged UTF-8.
    """
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        if UTF8_CHARACTER.search(content):
            raise
        try:
            return content.decode(WINDOWS_1252), WINDOWS_1252
        except UnicodeDecodeError:
            raise error from None


def separator(text: str) -> str:
    """Return the separator of a CSV file's columns: the one its header line holds
    most of (column names hold none), a comma by default."""
    header = text.split("\n", 1)[0]
    return max(SEPARATORS, key=header.count)


class CSV(base_formats.CSV):
    """CSV as Excel saves it too: separated by commas or semicolons, in UTF-8 or
    Windows-1252 (``decoded``); its blank lines stay in the dataset, as rows of
    empty cells.

    tablib drops blank lines, and every row after one was numbered a line too
    soon, in the preview and its errors alike: kept, a row's position is its line
    (``file_line``), and the resource skips them (``is_blank``). XLSX keeps its
    blank rows already (unless ``IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES``).

    A dataset read as Windows-1252 says so (``read_as``): the preview tells staff
    to check its accents.
    """

    def get_read_mode(self):
        # The kept file comes back as bytes: ``decoded`` tells its encoding.
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        encoding = "utf-8"
        if isinstance(in_stream, bytes):
            in_stream, encoding = decoded(in_stream)
        reader = csv.reader(
            io.StringIO(in_stream, newline=""), delimiter=separator(in_stream)
        )
        dataset = tablib.Dataset()
        dataset.read_as = encoding
        header = next(reader, None)
        if header is None:
            return dataset
        dataset.headers = header
        for row in reader:
            # As tablib reads a row: short ones padded, long ones refused.
            dataset.append(row + [""] * (len(header) - len(row)))
        return dataset


def count_rows(file_format, upload) -> int | None:
    """Return how many rows under its header ``upload`` holds, or None if unreadable.

    A CSV's blank lines are not counted; an XLSX sheet's are (its stated size).

    An unreadable file is the preview's to explain, in its own words.
    """
    content = b"".join(upload.chunks())
    try:
        if isinstance(file_format, base_formats.XLSX):
            return _count_xlsx_rows(content)
        if not file_format.is_binary():
            text, _encoding = decoded(content)
            rows = csv.reader(io.StringIO(text, newline=""), delimiter=separator(text))
            next(rows, None)  # the header
            # Blank lines are skipped by the import: they do not count either.
            return sum(1 for row in rows if not is_blank(row))
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, KeyError, ValueError):
        return None
    return None


def _count_xlsx_rows(content: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        sheet = book.active
        # The sheet's stated size, when it states one: reading every cell would
        # cost as much as the preview's own reading.
        rows = sheet.max_row if sheet.max_row else sum(1 for _row in sheet.rows)
        return max(rows - 1, 0)
    finally:
        book.close()
