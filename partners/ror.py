"""Read a ROR (Research Organization Registry) v2 dump and map its records.

A dump is one JSON array of organisation records (see ``shared/formats/README.md``).
It is read as a stream with ijson, one record at a time, so that the records are never
all in memory (the import keeps only each id's position, to refuse one seen twice);
this module knows the format, ``partners.services.import_ror`` writes.
"""

import functools
import json
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import BinaryIO

import ijson
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from partners.import_errors import SeveralErrors
from partners.models import (
    LANGUAGE_TAG_PATTERN,
    ROR_ID_PATTERN,
    Partner,
    PartnerKind,
    PartnerStatus,
    latest_plausible_year,
    validate_website,
)

ROR_URL = re.compile(r"^https://ror\.org/(?P<ror_id>" + ROR_ID_PATTERN[1:-1] + r")$")

# A record with several types takes the kind of the first one in this order: what an
# institution mainly is (a university, a company, a laboratory) before what it also
# does (funding), and "government", a legal status, only when nothing says more.
KIND_BY_TYPE = {
    "education": PartnerKind.UNIVERSITY,
    "company": PartnerKind.COMPANY,
    "facility": PartnerKind.RESEARCH_ORGANISATION,
    "healthcare": PartnerKind.RESEARCH_ORGANISATION,
    "archive": PartnerKind.RESEARCH_ORGANISATION,
    "funder": PartnerKind.FUNDING_AGENCY,
    "nonprofit": PartnerKind.RESEARCH_ORGANISATION,
    "government": PartnerKind.PUBLIC_BODY,
    "other": PartnerKind.OTHER,
}
STATUS_BY_ROR_STATUS = {
    "active": PartnerStatus.ACTIVE,
    "inactive": PartnerStatus.CLOSED,
    "withdrawn": PartnerStatus.CLOSED,
}
SIX_PLACES = Decimal("0.000001")
# Most websites read http(s)://host.name/path: this pattern accepts a part of what
# URLValidator accepts (its host, domain, TLD and path patterns, narrowed to ASCII
# letters), in a microsecond where URLValidator takes twelve, 1.5 s of a whole
# ROR dump. URLValidator itself judges any other address.
PLAIN_WEBSITE = re.compile(
    r"https?://(?P<host>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    r"[a-zA-Z]{2,63})(?:[/?#][^\s]*)?\Z"
)
MAX_HOST_LENGTH = 253  # as URLValidator (RFC 1034)


class RorImportError(ValueError):
    """The ROR file cannot be imported; the message names the record and the field.

    Messages are translated when raised, in the language of the request that imports
    (staff read them on the admin's upload page).
    """


class RorImportErrors(SeveralErrors, RorImportError):
    """The ROR file cannot be imported: several records are wrong, listed in
    ``errors`` (the first ``ERRORS_LISTED``), and ``more`` others."""


@dataclass(frozen=True, slots=True)
class RorRecord:
    """The values of one ROR record, mapped onto ``Partner``'s fields."""

    ror_id: str
    name_en: str
    name_fr: str  # "" when ROR has no French name
    original_name: str
    original_name_language: str  # "" when ROR does not say
    acronym: str
    kind: str
    country: str
    city: str
    latitude: Decimal | None
    longitude: Decimal | None
    website: str
    status: str
    established: int | None
    parent_ror_ids: tuple[str, ...]


def ror_id_from_url(value, *, position: int, field: str, ror_id: str = "") -> str:
    """Return the nine characters of ``https://ror.org/0abcdef12``."""
    if is_missing(value):
        if field == "id":  # the record's own: it has no name to give yet
            raise record_error(position, None, _("the ROR id (field id) is missing."))
        raise record_error(position, field, _("missing."), ror_id)
    match = ROR_URL.match(value) if isinstance(value, str) else None
    if match is None:
        raise record_error(
            position,
            field,
            _("%(value)s is not a ROR id (https://ror.org/0…).")
            % {"value": shown(value)},
            ror_id,
        )
    return match["ror_id"]


def is_missing(value) -> bool:
    """Whether a record's ``value`` is absent, null or blank text."""
    return value is None or (isinstance(value, str) and not value.strip())


# How much of a value a message quotes: a whole record may be one malformed name.
SHOWN_CHARACTERS = 80


def shown(value) -> str:
    """Return a value of the file as messages quote it: text between quotes, any
    other JSON value as the file writes it (``12``, ``true``, ``{"lang": "en"}``),
    not as Python's repr (``None``, ``'text'``, ``{'lang': 'en'}``)."""
    if isinstance(value, str):
        if not value.strip():
            return _("an empty text")  # not “”, nor “ ”
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    # A NUL character written as the file's JSON writes it, not sent to the page.
    text = text.replace("\x00", "\\u0000")
    if len(text) > SHOWN_CHARACTERS:
        text = text[: SHOWN_CHARACTERS - 1] + "…"
    if isinstance(value, str):
        # French quotes with « », a no-break space inside.
        return _("“%(text)s”") % {"text": text}
    return text


def country_codes(values: Iterable[str]) -> set[str]:
    """Return the ISO 3166 alpha-2 codes in ``values`` (upper-cased), or raise."""
    codes = {value.strip().upper() for value in values if value.strip()}
    unknown = unknown_country_codes(codes)
    if unknown:
        raise RorImportError(
            _("Unknown country code: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return codes


def unknown_country_codes(codes: Iterable[str]) -> list[str]:
    """Return, sorted, the codes in ``codes`` that are no ISO 3166 country."""
    return sorted(code for code in codes if not all_countries.alpha2(code))


def iter_records(stream: BinaryIO) -> Iterator[tuple[int, object]]:
    """Yield ``(position, record)`` for each element of the JSON array in ``stream``,
    or the one record of a JSON object (a record as ROR's API gives it).

    Positions start at 1. Anything but a JSON array or object raises
    ``RorImportError``.
    """
    stream, one_record = _starting_with_array_or_object(stream)
    position = 0
    try:
        records = ijson.items(
            stream, "" if one_record else "item", use_float=True, buf_size=64 * 1024
        )
        for position, record in enumerate(records, 1):
            yield position, record
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        detail = exc.args[0] if exc.args else ""
        if isinstance(detail, bytes):  # yajl's C backend gives bytes
            detail = detail.decode("utf-8", "replace")
        # yajl's message spans several lines; the first one says what is wrong.
        detail = str(detail).splitlines()[0] if detail else exc.__class__.__name__
        # The sentence closes the quotation with its own full stop.
        detail = detail.rstrip().removesuffix(".")
        if isinstance(exc, UnicodeDecodeError) or "invalid bytes in UTF8" in detail:
            raise record_error(
                position + 1,
                None,
                _(
                    "the file is not UTF-8 text, as ROR's dumps are. Was it saved "
                    "again in another encoding?"
                ),
            ) from exc
        # yajl's "premature EOF" (the Python parsers': "Incomplete JSON content").
        if "premature EOF" in detail or "Incomplete JSON" in detail:
            raise record_error(
                position + 1,
                None,
                _(
                    "the file ends in the middle of this record: was it cut short, "
                    "by a download left unfinished?"
                ),
            ) from exc
        # The parser's words are English: the sentence says they are its.
        raise record_error(
            position + 1,
            None,
            _("the file is not valid JSON; the JSON reader says: “%(error)s”.")
            % {"error": detail},
        ) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise record_error(
            position + 1,
            None,
            _("the zip file is damaged; the zip reader says: “%(error)s”.")
            % {"error": exc},
        ) from exc


def parse_record(data, position: int) -> RorRecord:
    """Map one ROR v2 record onto partner values, or raise ``RorImportError``."""
    if not isinstance(data, dict):
        raise record_error(position, None, _("a record must be a JSON object."))
    if "names" not in data and "name" in data:
        raise record_error(
            position, "names", _("this is ROR schema v1; import the v2 file.")
        )
    ror_id = ror_id_from_url(data.get("id"), position=position, field="id")
    names = _names(data.get("names"), position, ror_id)
    location = _first_location(data.get("locations"), position, ror_id)
    details = location.get("geonames_details")
    if not isinstance(details, dict):
        raise record_error(
            position, "locations.geonames_details", _("missing."), ror_id
        )
    country = details.get("country_code")
    if is_missing(country):
        raise record_error(
            position, "locations.geonames_details.country_code", _("missing."), ror_id
        )
    if not isinstance(country, str) or not _is_country(country):
        raise record_error(
            position,
            "locations.geonames_details.country_code",
            _("%(value)s is not an ISO 3166 country code.") % {"value": shown(country)},
            ror_id,
        )

    display = next(name for name in names if "ror_display" in name["types"])
    labels = [name for name in names if {"ror_display", "label"} & set(name["types"])]
    english = _in_language(labels, "en", display)
    french = _in_language(labels, "fr", display)
    original = _original_name(display, labels, country.lower())
    acronym = next((n["value"] for n in names if "acronym" in n["types"]), "")
    types = data.get("types") or []
    if not isinstance(types, list):
        raise record_error(position, "types", _("must be a list."), ror_id)
    kind = next(
        (KIND_BY_TYPE[t] for t in KIND_BY_TYPE if t in types), PartnerKind.OTHER
    )
    if is_missing(data.get("status")):
        raise record_error(position, "status", _("missing."), ror_id)
    status = STATUS_BY_ROR_STATUS.get(data.get("status"))
    if status is None:
        raise record_error(
            position,
            "status",
            _("%(value)s is not active, inactive or withdrawn.")
            % {"value": shown(data.get("status"))},
            ror_id,
        )

    record = RorRecord(
        ror_id=ror_id,
        name_en=english["value"] if english else display["value"],
        name_fr=french["value"] if french else "",
        original_name=original["value"],
        original_name_language=_language(original),
        acronym=acronym,
        kind=kind,
        country=country.upper(),
        city=_text(
            details.get("name"), position, "locations.geonames_details.name", ror_id
        ),
        latitude=_coordinate(details.get("lat"), 90, position, "lat", ror_id),
        longitude=_coordinate(details.get("lng"), 180, position, "lng", ror_id),
        website=_website(data.get("links"), position, ror_id),
        status=status,
        established=_established(data.get("established"), position, ror_id),
        parent_ror_ids=_parents(data.get("relationships"), position, ror_id),
    )
    _check_texts(record, position)
    return record


# The first bytes of a zip file (its first member's header).
ZIP_START = b"PK\x03\x04"


@contextmanager
def open_dump(file: BinaryIO, name: str = ""):
    """Yield a binary stream of the JSON dump in ``file``, a .json or a .zip file.

    ROR publishes its dump zipped, with the JSON (and a CSV) inside: the JSON member
    is decompressed as it is read, never extracted whole.
    """
    if not zipfile.is_zipfile(file):
        file.seek(0)
        # A zip's first bytes without its directory at the end: a download cut
        # short, which read as JSON was said to be "not valid JSON".
        if file.read(4) == ZIP_START:
            raise RorImportError(
                _(
                    "The zip file %(name)s is damaged or incomplete (was its "
                    "download cut short?): download it again."
                )
                % {"name": name}
            )
        if name.lower().endswith(".zip"):
            # Named a zip, read as JSON, it was said to be "not valid JSON".
            raise RorImportError(
                _(
                    "The file %(name)s is named as a zip file but is not one: "
                    "upload ROR's dump as downloaded, a .zip or its .json."
                )
                % {"name": name}
            )
        file.seek(0)
        yield file
        return
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        members = [n for n in archive.namelist() if n.lower().endswith(".json")]
        if len(members) > 1:
            # Dumps of the v1/v2 transition hold both schemas; take the v2 one.
            members = [n for n in members if "schema_v2" in n] or members
        if not members:
            raise RorImportError(
                _("The zip file %(name)s must hold one .json file; it holds none.")
                % {"name": name}
            )
        if len(members) > 1:
            raise RorImportError(
                _(
                    "The zip file %(name)s must hold one .json file; it holds "
                    "%(count)d: %(members)s."
                )
                % {"name": name, "count": len(members), "members": ", ".join(members)}
            )
        with archive.open(members[0]) as member:
            yield member


@functools.cache
def _is_country(code: str) -> bool:
    # django-countries looks a code up in its translated list: cache the answer.
    return bool(all_countries.alpha2(code))


def record_error(position: int, field: str | None, problem: str, ror_id: str = ""):
    """Return the error of record ``position`` (its ``field``): "Record 3, field id: …".

    ``problem`` is translated already, with its final punctuation.
    """
    if ror_id:
        where = _("Record %(position)d (%(ror_id)s)") % {
            "position": position,
            "ror_id": ror_id,
        }
    else:
        where = _("Record %(position)d") % {"position": position}
    if field:
        where = _("%(record)s, field %(field)s") % {"record": where, "field": field}
    # The colon is the translation's: French puts a space before it.
    return RorImportError(
        _("%(where)s: %(problem)s") % {"where": where, "problem": problem}
    )


def _names(names, position: int, ror_id: str) -> list[dict]:
    if not isinstance(names, list) or not names:
        raise record_error(position, "names", _("missing or empty."), ror_id)
    for name in names:
        if (
            not isinstance(name, dict)
            or not isinstance(name.get("value"), str)
            or not name["value"].strip()
            or not isinstance(name.get("types"), list)
        ):
            raise record_error(
                position,
                "names",
                _("malformed name %(name)s.") % {"name": shown(name)},
                ror_id,
            )
    if sum("ror_display" in name["types"] for name in names) != 1:
        raise record_error(
            position, "names", _("needs exactly one ror_display name."), ror_id
        )
    return [{**name, "value": name["value"].strip()} for name in names]


def _first_location(locations, position: int, ror_id: str) -> dict:
    if not isinstance(locations, list) or not locations:
        raise record_error(position, "locations", _("missing or empty."), ror_id)
    if not isinstance(locations[0], dict):
        raise record_error(position, "locations", _("malformed location."), ror_id)
    return locations[0]


def _in_language(labels: list[dict], lang: str, display: dict) -> dict | None:
    """Return the ror_display name if it is in ``lang``, else the first such label."""
    if display.get("lang") == lang:
        return display
    return next((name for name in labels if name.get("lang") == lang), None)


def _original_name(display: dict, labels: list[dict], country_lang: str) -> dict:
    """Return the name in the institution's own language, as far as ROR tells it.

    ROR displays most institutions under their own name, but those in non-Latin
    scripts under an English one. So: the display name unless it is tagged English;
    else a label in the language whose code is the country's (``pt`` in Portugal), or
    in a non-Latin script (東京大学); else the display name.
    """
    if display.get("lang") != "en":
        return display
    others = [name for name in labels if name.get("lang") not in (None, "en")]
    for name in others:
        if name["lang"] == country_lang:
            return name
    for name in others:
        if not _is_latin(name["value"]):
            return name
    return display


def _language(name: dict) -> str:
    """Return the language code of a ROR name, "" when untagged or not a code."""
    lang = name.get("lang")
    return (
        lang if isinstance(lang, str) and re.match(LANGUAGE_TAG_PATTERN, lang) else ""
    )


def _is_latin(text: str) -> bool:
    if text.isascii():  # most names: spares naming each of their letters
        return True
    return all(
        unicodedata.name(char, "").startswith("LATIN")
        for char in text
        if char.isalpha()
    )


def _text(value, position: int, field: str, ror_id: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise record_error(
            position,
            field,
            _("%(value)s is not text.") % {"value": shown(value)},
            ror_id,
        )
    return value.strip()


def _coordinate(value, limit: int, position: int, field: str, ror_id: str):
    if value is None:
        return None
    try:
        coordinate = Decimal(str(value))
        # NaN passes quantize() and then fails every comparison: refused here.
        if coordinate.is_finite():
            coordinate = coordinate.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
        else:
            coordinate = None
    except (InvalidOperation, ValueError):
        coordinate = None
    if isinstance(value, bool) or coordinate is None or abs(coordinate) > limit:
        raise record_error(
            position,
            f"locations.geonames_details.{field}",
            _("%(value)s is not a coordinate between -%(limit)d and %(limit)d.")
            % {"value": shown(value), "limit": limit},
            ror_id,
        )
    return coordinate


def _website(links, position: int, ror_id: str) -> str:
    if links is None:
        return ""
    if not isinstance(links, list):
        raise record_error(position, "links", _("must be a list."), ror_id)
    for link in links:
        if isinstance(link, dict) and link.get("type") == "website":
            website = _text(link.get("value"), position, "links.value", ror_id)
            if website:
                _check_website(website, position, ror_id)
            return website
    return ""


def _check_website(website: str, position: int, ror_id: str) -> None:
    """Refuse what the partner's website field refuses: a public page links to it.

    Its length is checked with the other values' (``_check_texts``).
    """
    plain = PLAIN_WEBSITE.match(website)
    if plain and len(plain["host"]) <= MAX_HOST_LENGTH:
        return
    try:
        validate_website(website)
    except ValidationError:
        raise record_error(
            position,
            "links.value",
            _("%(value)s is not an http or https web address.")
            % {"value": shown(website)},
            ror_id,
        ) from None


def _established(value, position: int, ror_id: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10000:
        raise record_error(
            position,
            "established",
            _("%(value)s is not a year.") % {"value": shown(value)},
            ror_id,
        )
    # As the admin refuses it: the partner could not be saved there afterwards.
    if value > (latest := latest_plausible_year()):
        raise record_error(
            position,
            "established",
            _("%(year)d is after %(latest)d.") % {"year": value, "latest": latest},
            ror_id,
        )
    return value


def _parents(relationships, position: int, ror_id: str) -> tuple[str, ...]:
    if relationships is None:
        return ()
    if not isinstance(relationships, list):
        raise record_error(position, "relationships", _("must be a list."), ror_id)
    parents = []
    for relationship in relationships:
        if isinstance(relationship, dict) and relationship.get("type") == "parent":
            parent = ror_id_from_url(
                relationship.get("id"),
                position=position,
                field="relationships.id",
                ror_id=ror_id,
            )
            if parent != ror_id:
                parents.append(parent)
    return tuple(parents)


# (RorRecord attribute, the Partner field it fills, where it comes from in ROR)
LENGTH_CHECKS = [
    (attribute, Partner._meta.get_field(field_name).max_length, source)
    for attribute, field_name, source in (
        ("name_en", "name", "names"),
        ("name_fr", "name", "names"),
        ("original_name", "original_name", "names"),
        ("acronym", "acronym", "names"),
        ("city", "city", "locations.geonames_details.name"),
        ("website", "website", "links"),
    )
]


def _check_texts(record: RorRecord, position: int) -> None:
    for attribute, limit, source in LENGTH_CHECKS:
        value = getattr(record, attribute)
        if "\x00" in value:
            # PostgreSQL's text cannot hold it: the insert would fail mid-import.
            raise record_error(
                position,
                source,
                _("%(value)s holds a NUL character (\\x00), which is not text.")
                % {"value": shown(value[:40])},
                record.ror_id,
            )
        if len(value) > limit:
            raise record_error(
                position,
                source,
                _("%(value)s… is longer than %(limit)d characters.")
                % {"value": shown(value[:40]), "limit": limit},
                record.ror_id,
            )


class _Replayed:
    """A binary stream that returns ``head`` before the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        # ijson reads 0 bytes first to learn whether the stream gives bytes or text.
        if self._head and size != 0:
            head, self._head = self._head, b""
            return head
        return self._stream.read(size)


def _starting_with_array_or_object(stream: BinaryIO) -> tuple[_Replayed, bool]:
    """Check that the JSON text is an array or an object before ijson reads it, and
    say whether it is an object (one record); skip a BOM."""
    head = b""
    while not head.lstrip():
        chunk = stream.read(4096)
        if not chunk:
            raise RorImportError(_("The file is empty; a ROR dump is a JSON array."))
        head = (head + chunk).removeprefix(b"\xef\xbb\xbf")
    if not head.lstrip().startswith((b"[", b"{")):
        raise RorImportError(
            _(
                'The file is not valid JSON; a ROR dump is a JSON array, opened by "[" '
                '(or one record, a JSON object opened by "{").'
            )
        )
    return _Replayed(head, stream), head.lstrip().startswith(b"{")
