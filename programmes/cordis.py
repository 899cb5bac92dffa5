"""Read the CORDIS open-data files: CSV records, their values and the code mappings.

CORDIS publishes Horizon 2020 and Horizon Europe as semicolon-separated UTF-8 files
(``project.csv``, ``organization.csv``, and the ERC principal-investigator file; see
``formats/README.md`` in the shared folder). Quoted fields may hold semicolons and line
breaks, amounts may use a decimal comma, and countries use the EU's codes (EL, UK).

Nothing here touches the database: ``programmes.services.import_cordis`` does.
"""

import csv
import io
import itertools
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django_countries import countries

from partners.country_names import EU_COUNTRY_CODES
from partners.import_errors import ErrorList, SeveralErrors
from partners.models import PartnerKind
from partners.spreadsheets import file_line
from programmes.models import GrantScheme, ParticipantRole, SocietalChallenge

CNRS_PIC = "999997930"

PROJECT_COLUMNS = (
    "id",
    "acronym",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "legalBasis",
    "topics",
    "ecSignatureDate",
    "frameworkProgramme",
    "masterCall",
    "subCall",
    "fundingScheme",
)
# The real project.csv has them; the shared sample does not.
PROJECT_OPTIONAL_COLUMNS = ("title", "objective")

ORGANIZATION_COLUMNS = (
    "projectID",
    "organisationID",
    "name",
    "activityType",
    "country",
    "role",
    "ecContribution",
)
ORGANIZATION_OPTIONAL_COLUMNS = (
    "shortName",
    "city",
    "geolocation",
    "organizationURL",
    "endOfParticipation",
    "active",
)

INVESTIGATOR_COLUMNS = ("projectId", "firstName", "lastName")
INVESTIGATOR_OPTIONAL_COLUMNS = ("organisationId",)

# The files the import reads, by the name CORDIS gives them, with their columns: a
# file given for another is recognised by them (``read_records``).
FILES_COLUMNS = {
    "project.csv": PROJECT_COLUMNS,
    "organization.csv": ORGANIZATION_COLUMNS,
    "erc-pi.csv": INVESTIGATOR_COLUMNS,
}


class CordisImportError(ValueError):
    """A CORDIS file that cannot be imported, with where the problem lies.

    ``stops_reading``: the import cannot go on after it to look for other errors
    (the database refused a row: PostgreSQL takes no more queries in the
    transaction).
    """

    def __init__(
        self, message, *, file="", line=None, subject="", field="", stops_reading=False
    ):
        self.file, self.line, self.field, self.problem = file, line, field, message
        self.subject = subject
        self.stops_reading = stops_reading
        where = [file] if file else []
        if line is not None:
            where.append(_("line %(line)d") % {"line": line})
        # Lines as a spreadsheet program numbers them (read_records); an editor's
        # differ after fields of several lines: the id finds the record in both.
        if subject:
            where.append(subject)
        if field:
            where.append(_("field “%(field)s”") % {"field": field})
        if where:
            # French puts a no-break space before the colon.
            message = _("%(where)s: %(problem)s") % {
                "where": ", ".join(where),
                "problem": message,
            }
        super().__init__(message)


class CordisImportErrors(SeveralErrors, CordisImportError):
    """CORDIS files that cannot be imported: several lines are wrong, listed in
    ``errors`` (the first ``ERRORS_LISTED``), and ``more`` others."""

    # Each error says where it lies.
    file, line, subject, field, problem, stops_reading = "", None, "", "", "", False

    def __init__(self, errors: list[CordisImportError], more: int = 0):
        # File by file (in the order they were first named), line by line: a
        # participant's row is checked when its project is read, which may be
        # after the next lines (or in project.csv's turn: two coordinators).
        files: dict[str, int] = {}
        for error in errors:
            files.setdefault(error.file, len(files))
        errors = sorted(errors, key=lambda e: (files[e.file], e.line or 0))
        super().__init__(errors, more)


@dataclass(frozen=True)
class Record:
    """One CSV record: its line (``read_records``) and its columns by name."""

    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def error(
        self, column: str, message: str, *, subject: str = ""
    ) -> CordisImportError:
        return CordisImportError(
            message, file=self.file, line=self.line, subject=subject, field=column
        )


def source_name(source, default: str) -> str:
    """Return the file name to show in messages: a path's or an upload's base name."""
    if isinstance(source, str | os.PathLike):
        return os.path.basename(os.fspath(source))
    name = getattr(source, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else default


@contextmanager
def open_text(source):
    """Open a path, a binary file (an upload) or a text file for the csv module."""
    if isinstance(source, str | os.PathLike):
        with open(source, encoding="utf-8-sig", newline="") as handle:
            yield handle
        return
    # Django's UploadedFile keeps the real file object in ``file``.
    raw = getattr(source, "file", source)
    if raw.seekable():
        raw.seek(0)
    if isinstance(raw, io.TextIOBase):
        yield raw
        return
    wrapper = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        yield wrapper
    finally:
        # Leave the caller's file open: closing is the caller's business.
        wrapper.detach()


def read_records(
    source,
    *,
    name: str,
    required: tuple,
    optional: tuple = (),
    errors: ErrorList | None = None,
) -> Iterator[Record]:
    """Yield the records of a semicolon-separated file, checking its shape.

    A record's line is its row as a spreadsheet program shows the file: the header
    is line 1, and a record is one line whatever line breaks its quoted fields hold
    (a project's objective often has some), as the spreadsheet imports number
    their rows (``file_line``).

    A file that cannot be read (not UTF-8, not CSV, the wrong columns) raises
    ``CordisImportError``. So does a malformed line (fields too many or too few, a
    NUL character), unless ``errors`` is given: it is added there, and the lines
    after it are read on.
    """

    def refuse(error: CordisImportError) -> None:
        if errors is None:
            raise error
        errors.add(error)

    with open_text(source) as handle:
        reader = csv.reader(handle, delimiter=";")
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as error:
            raise CordisImportError(_describe(error), file=name, line=1) from error
        if not header:
            raise CordisImportError(_("the file is empty."), file=name, line=1)
        header = [column.strip().lstrip("\ufeff") for column in header]
        if header[0].startswith(("{", "[")):
            # A ROR dump picked by mistake: "column id missing" sent staff to look
            # at the header.
            raise CordisImportError(
                _("the file is JSON, not one of CORDIS’s CSV files."),
                file=name,
                line=1,
            )
        if len(header) == 1 and ("," in header[0] or "\t" in header[0]):
            raise CordisImportError(
                _("the columns are not separated by semicolons."), file=name, line=1
            )
        missing = [column for column in required if column not in header]
        looks_like = [
            other
            for other, columns in FILES_COLUMNS.items()
            if columns != required and all(column in header for column in columns)
        ]
        if missing and looks_like:
            # Two files swapped in the form: "column projectID missing" sent
            # staff to look at a header that is right, for the other file.
            raise CordisImportError(
                _(
                    "this file has the columns of %(other)s, not those of the file "
                    "expected here: were the files swapped?"
                )
                % {"other": looks_like[0]},
                file=name,
                line=1,
            )
        if missing:
            raise CordisImportError(
                _("this column is missing from the header."),
                file=name,
                line=1,
                field=missing[0],
            )
        wanted = {
            column: header.index(column)
            for column in (*required, *optional)
            if column in header
        }
        for position in itertools.count(1):
            line = file_line(position)
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                raise CordisImportError(
                    _describe(error), file=name, line=line
                ) from error
            if not row:
                continue  # a blank line: an empty row, counted all the same
            if len(row) != len(header):
                refuse(
                    CordisImportError(
                        _(
                            "%(found)d fields where the header has %(expected)d: "
                            "check the semicolons and the quotes."
                        )
                        % {"found": len(row), "expected": len(header)},
                        file=name,
                        line=line,
                        field=header[len(row)] if len(row) < len(header) else "",
                    )
                )
                continue
            values = {column: row[i].strip() for column, i in wanted.items()}
            # PostgreSQL's text cannot hold it: the insert would fail.
            damaged = next((c for c, v in values.items() if "\x00" in v), None)
            if damaged is not None:
                refuse(
                    CordisImportError(
                        _("a NUL character (\\x00) is not text: is the file damaged?"),
                        file=name,
                        line=line,
                        field=damaged,
                    )
                )
                continue
            yield Record(name, line, values)


def _describe(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return _("the file is not UTF-8 text.")
    return _("the file is not valid CSV (%(error)s).") % {"error": error}


# --- Values ---------------------------------------------------------------------------

ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")
AMOUNT = re.compile(r"^-?\d+(?:[.,]\d+)?$")
CORDIS_ID = re.compile(r"^[0-9]{5,9}$")
PIC = re.compile(r"^[0-9]{9}$")
CENTS = Decimal("0.01")
MICRODEGREES = Decimal("0.000001")


def parse_date(record: Record, column: str) -> date | None:
    value = record[column]
    if not value:
        return None
    match = ISO_DATE.match(value)
    try:
        if match is None:
            raise ValueError
        return date.fromisoformat(match.group(1))
    except ValueError:
        raise record.error(
            column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}
        ) from None


def parse_amount(record: Record, column: str) -> Decimal | None:
    """Read an amount in euros; CORDIS writes some with a decimal comma."""
    value = record[column].replace(" ", "").replace("\u00a0", "")
    if not value:
        return None
    if not AMOUNT.match(value):
        raise record.error(
            column, _("“%(value)s” is not an amount.") % {"value": record[column]}
        )
    amount = Decimal(value.replace(",", "."))
    if amount < 0:
        raise record.error(column, _("an amount cannot be negative."))
    return amount.quantize(CENTS)


def parse_flag(record: Record, column: str) -> bool | None:
    """Read CORDIS's ``true`` or ``false``; an empty field says nothing."""
    value = record[column].strip().lower()
    if not value:
        return None
    if value in ("true", "false"):
        return value == "true"
    raise record.error(
        column,
        _("“true” or “false” expected, not “%(value)s”.") % {"value": record[column]},
    )


def participation_ended(record: Record) -> bool:
    """Whether this row's participation has ended: the institution left the project.

    CORDIS keeps such a row, with ``endOfParticipation`` true (``active`` false in
    Horizon Europe's files), where its site marks it "participation ended".
    """
    ended = parse_flag(record, "endOfParticipation")
    active = parse_flag(record, "active")
    return ended is True or active is False


def parse_cordis_id(record: Record, column: str) -> str:
    value = record[column]
    if not value.strip():
        raise record.error(column, _("this field is empty."))
    if not CORDIS_ID.match(value):
        raise record.error(
            column, _("“%(value)s” is not a CORDIS project id.") % {"value": value}
        )
    return value


def parse_pic(record: Record, column: str) -> str:
    value = record[column]
    if not value.strip():
        raise record.error(column, _("this field is empty."))
    if not PIC.match(value):
        raise record.error(
            column,
            _("“%(value)s” is not a participant code (nine digits).")
            % {"value": value},
        )
    return value


def parse_coordinates(
    record: Record, column: str
) -> tuple[Decimal | None, Decimal | None]:
    """Read CORDIS's "lat,lon" geolocation."""
    value = record[column]
    if not value:
        return None, None
    try:
        latitude, longitude = (Decimal(part.strip()) for part in value.split(","))
    except (ValueError, InvalidOperation):
        raise record.error(
            column,
            _("“%(value)s” is not a “latitude,longitude” pair.") % {"value": value},
        ) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise record.error(
            column, _("“%(value)s” is not on the globe.") % {"value": value}
        )
    return latitude.quantize(MICRODEGREES), longitude.quantize(MICRODEGREES)


def parse_country(record: Record, column: str) -> str:
    value = record[column].upper()
    if not value.strip():
        raise record.error(column, _("this field is empty."))
    code = EU_COUNTRY_CODES.get(value, value)
    if code not in countries:
        raise record.error(
            column, _("“%(value)s” is not a country code.") % {"value": record[column]}
        )
    return code


ACTIVITY_KINDS = {
    "HES": PartnerKind.UNIVERSITY,
    "REC": PartnerKind.RESEARCH_ORGANISATION,
    "PRC": PartnerKind.COMPANY,
    "PUB": PartnerKind.PUBLIC_BODY,
    "OTH": PartnerKind.OTHER,
}


def partner_kind(activity_type: str) -> str:
    return ACTIVITY_KINDS.get(activity_type.upper(), PartnerKind.OTHER)


PARTICIPANT_ROLES = {
    "coordinator": ParticipantRole.COORDINATOR,
    "participant": ParticipantRole.PARTICIPANT,
    "associatedpartner": ParticipantRole.ASSOCIATED_PARTNER,
    "thirdparty": ParticipantRole.THIRD_PARTY,
}
# When an institution appears in several rows of one project, its strongest role wins.
ROLE_RANK = [
    ParticipantRole.COORDINATOR,
    ParticipantRole.PARTICIPANT,
    ParticipantRole.ASSOCIATED_PARTNER,
    ParticipantRole.THIRD_PARTY,
]


def participant_role(value: str) -> str:
    """Map a CORDIS role; a role this code does not know is a plain participation."""
    return PARTICIPANT_ROLES.get(
        value.replace("_", "").replace(" ", "").lower(), ParticipantRole.PARTICIPANT
    )


# --- Names ----------------------------------------------------------------------------

# The words linking others in institutions' names, in the languages CORDIS names them
# in; written in lower case but at the start or the end of a name.
LINKING_WORDS = frozenset(
    # French (CORDIS often writes "A L ENERGIE" for "à l'énergie")
    "a au aux d de des du en et l la le les pour sur".split()
    # English
    + "and at for in of on the".split()
    # German, Dutch, Scandinavian
    + "am an bei der die das für fur fuer im mit und vom von zu zum zur".split()
    + "het op van voor af av för och og".split()
    # Italian, Spanish, Portuguese
    + "da dal dalla dei degli del della delle dello di do dos e ed el".split()
    + "las los nel nella per y".split()
)
# Before an apostrophe, an elided word: "D'AIX" is "d'Aix", "DELL'ARTE" "dell'Arte".
ELIDED_WORDS = frozenset("c d j l m n qu s t all dall dell nell sull".split())
# Words whose case is their own: legal forms and abbreviations.
OWN_CASE = {
    word.upper(): word
    for word in (
        "AB AG AS ASA BV Co GmbH gGmbH Inc KG Ltd mbH NV Oy Oyj PLC SA SARL SAS SE "
        "SL SLU SpA Srl eV Dr Jr Mt St"
    ).split()
}
ROMAN_NUMERAL = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
# Vowels, once accents are taken apart from their letters.
VOWELS = frozenset("AEIOUYÆØŒ")
# A name's words and what lies between them ("-", "'", ", ", " (").
NAME_PARTS = re.compile(r"(\w+)")


def readable_name(name: str, acronyms=()) -> str:
    """Return ``name`` in a readable case if CORDIS wrote it in capitals.

    "UNIVERSITE D'AIX-MARSEILLE" is "Universite d'Aix-Marseille": each word
    capitalised, but the linking words (de, of, für…) and the elided ones (d', l')
    in lower case unless they start the name, and in upper case the words that read
    as acronyms: one of ``acronyms`` (CORDIS's short name), one without vowels
    (CNRS), a Roman numeral (II), a word with digits (H2020), letters joined by dots
    or "&" (S.A., R&D); legal forms keep their own case (GmbH). A name not all in
    capitals is left as its institution wrote it.
    """
    if not name.isupper():
        return name
    given = {acronym.upper() for acronym in acronyms if acronym}
    parts = NAME_PARTS.split(name)
    # Odd indexes hold the words, even ones what lies between them.
    words = range(1, len(parts), 2)
    first, last = words[0], words[-1]
    for index in words:
        word = parts[index]
        before, after = parts[index - 1], parts[index + 1]
        parts[index] = _readable_word(
            word,
            given,
            starts=index == first,
            ends=index == last,
            elided=after[:1] in "'’" and word.lower() in ELIDED_WORDS,
            possessive=before[-1:] in "'’" and word == "S" and index != first,
            joined=(len(word) == 1 and after[:1] == ".")
            or "&" in (before[-1:], after[:1]),
        )
    return "".join(parts)


def _readable_word(
    word: str,
    given: set,
    *,
    starts: bool,
    ends: bool,
    elided: bool,
    possessive: bool,
    joined: bool,
) -> str:
    if word in given or joined or any(character.isdigit() for character in word):
        return word  # CNRS, S.A., R&D, H2020
    if word in OWN_CASE:
        return OWN_CASE[word]
    if possessive:  # KING'S
        return "s"
    lowered = word.lower()
    if (elided or lowered in LINKING_WORDS) and not starts and (elided or not ends):
        return lowered
    if len(word) > 1 and (
        ROMAN_NUMERAL.fullmatch(word)
        or not VOWELS & set(unicodedata.normalize("NFD", word))
    ):
        return word
    return word[0] + word[1:].lower()


# --- Programmes, schemes and challenges -----------------------------------------------

# frameworkProgramme -> (slug of the programme, what to create when it is missing).
FRAMEWORK_PROGRAMMES = {
    "H2020": (
        "horizon-2020",
        {
            "name_fr": "Horizon 2020",
            "name_en": "Horizon 2020",
            "acronym": "H2020",
            "start_year": 2014,
            "end_year": 2020,
        },
    ),
    "HORIZON": (
        "horizon-europe",
        {
            "name_fr": "Horizon Europe",
            "name_en": "Horizon Europe",
            "acronym": "",
            "start_year": 2021,
            "end_year": 2027,
        },
    ),
}

# A grant's scheme family -> what to create when its programme is missing: a grant
# belongs to the programme of its scheme (Grant.programme), whose slug is the
# family's name. Projects belong to their framework programme.
FAMILY_PROGRAMMES = {
    "erc": {
        "name_fr": "Conseil européen de la recherche",
        "name_en": "European Research Council",
        "acronym": "ERC",
        "start_year": 2007,
    },
    "msca": {
        "name_fr": "Actions Marie Skłodowska-Curie",
        "name_en": "Marie Skłodowska-Curie Actions",
        "acronym": "MSCA",
    },
}

ERC_TYPES = {
    "STG": GrantScheme.ERC_STG,
    "COG": GrantScheme.ERC_COG,
    "ADG": GrantScheme.ERC_ADG,
    "SYG": GrantScheme.ERC_SYG,
    "POC": GrantScheme.ERC_POC,
}
# H2020: ERC-STG, ERC-POC-LS…; Horizon Europe: HORIZON-ERC-POC, HORIZON-ERC-SYG.
ERC_SCHEME = re.compile(r"^(?:HORIZON-)?ERC-(STG|COG|ADG|SYG|POC)(?:-|$)")
# Horizon Europe's HORIZON-ERC gives the type in the call only: ERC-2021-STG. H2020
# calls read ERC-2014-STG or ERC-StG-2014.
ERC_CALL = re.compile(r"(?:^|[^A-Z])ERC-(?:\d{4}-)?(STG|COG|ADG|SYG|POC)(?:[^A-Z]|$)")
MSCA_SCHEMES = [
    (re.compile(r"^MSCA-IF(?:-|$)"), GrantScheme.MSCA_IF),
    (re.compile(r"^HORIZON-TMA-MSCA-PF(?:-|$)"), GrantScheme.MSCA_PF),
    (re.compile(r"^MSCA-ITN(?:-|$)"), GrantScheme.MSCA_ITN),
    (re.compile(r"^HORIZON-TMA-MSCA-DN(?:-|$)"), GrantScheme.MSCA_DN),
    (re.compile(r"^MSCA-RISE(?:-|$)"), GrantScheme.MSCA_RISE),
    (re.compile(r"^HORIZON-TMA-MSCA-SE(?:-|$)"), GrantScheme.MSCA_SE),
    (re.compile(r"^(?:HORIZON-TMA-)?MSCA-COFUND(?:-|$)"), GrantScheme.MSCA_COFUND),
]

GRANT, PROJECT, UNKNOWN = "grant", "project", "unknown"


def classify(funding_scheme: str, master_call: str, sub_call: str):
    """Return ``(GRANT, scheme)``, ``(PROJECT, None)`` or ``(UNKNOWN, None)``.

    ERC and MSCA individual and network schemes are grants; an ERC or MSCA scheme
    that none of them matches (MSCA-NIGHT…) is unknown; anything else is a
    collaborative project.
    """
    scheme = funding_scheme.strip().upper()
    if scheme.startswith(("ERC", "HORIZON-ERC")):
        match = ERC_SCHEME.match(scheme)
        if match is None:
            calls = f"{master_call} {sub_call}".upper()
            match = ERC_CALL.search(calls)
        return (GRANT, ERC_TYPES[match.group(1)]) if match else (UNKNOWN, None)
    if "MSCA" in scheme:
        for pattern, grant_scheme in MSCA_SCHEMES:
            if pattern.match(scheme):
                return GRANT, grant_scheme
        return UNKNOWN, None
    return PROJECT, None


# A call's year, e.g. 2017 in H2020-MSCA-IF-2017 (not the 2020 of "H2020").
CALL_YEAR = re.compile(r"(?<![0-9A-Z])(20[0-9]{2})(?![0-9])")


def call_year(record: Record) -> int | None:
    """Return the year of the call, else of the signature, else of the start."""
    for column in ("masterCall", "subCall"):
        match = CALL_YEAR.search(record[column].upper())
        if match:
            return int(match.group(1))
    for column in ("ecSignatureDate", "startDate"):
        day = parse_date(record, column)
        if day:
            return day.year
    return None


# H2020's third pillar: legal bases H2020-EU.3.1. to H2020-EU.3.7. and their parts.
CHALLENGE_LEGAL_BASES = {
    "1": SocietalChallenge.HEALTH,
    "2": SocietalChallenge.BIOECONOMY,
    "3": SocietalChallenge.ENERGY,
    "4": SocietalChallenge.TRANSPORT,
    "5": SocietalChallenge.CLIMATE,
    "6": SocietalChallenge.SOCIETIES,
    "7": SocietalChallenge.SECURITY,
}
CHALLENGE_LEGAL_BASIS = re.compile(r"^H2020-EU\.3\.([1-7])(?:\.|$)")
# Topics of the challenges' work programmes start with SC1- … SC7- (SC5-01-2014).
CHALLENGE_TOPIC = re.compile(r"^SC([1-7])-")


def societal_challenge(record: Record) -> str:
    """Return the H2020 societal challenge of a project, or ""."""
    match = CHALLENGE_LEGAL_BASIS.match(
        record["legalBasis"].upper()
    ) or CHALLENGE_TOPIC.match(record["topics"].upper())
    return CHALLENGE_LEGAL_BASES[match.group(1)] if match else ""
