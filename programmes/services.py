"""Writes that span several models: the CORDIS import.

``import_cordis`` is what ``manage.py import_cordis`` and the admin upload page call.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _, ngettext

from partners.caching import content_changed, partners_written_in_bulk
from partners.history import Reason, change_reason, one_version_per_edit
from partners.import_errors import ErrorList
from partners.models import Partner, validate_website
from partners.publication import PublicationStatus
from partners.roles import changes_drafts_only
from partners.services import first_named
from programmes import cordis
from programmes.cordis import (
    CNRS_PIC,
    CordisImportError,
    CordisImportErrors,
    Record,
)
from programmes.models import (
    PLACEHOLDER_LAUREATE,
    SHARE_ABOVE_THE_PROJECT,
    CnrsRole,
    Grant,
    ParticipantRole,
    Programme,
    ProgrammeKind,
    Project,
    ProjectKind,
    ProjectParticipant,
    contributions_excess,
    scheme_family,
)
from units.models import Person

__all__ = [
    "CNRS_PIC",
    "CordisImportError",
    "CordisImportErrors",
    "ImportReport",
    "import_cordis",
]

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
REMOVED = "removed"  # a participant CORDIS no longer lists
CHANGE_REASON = change_reason(Reason.CORDIS_IMPORT)

# Grant.laureate is required, but project.csv names no one, and the ERC's
# principal-investigator file covers H2020 ERC grants only. A grant whose laureate is
# unknown gets one shared placeholder person (PLACEHOLDER_LAUREATE, in models.py: such
# a grant is not published); staff replace it on each grant, and a later import with
# a principal-investigator file replaces it too. It is never put back over a laureate
# chosen by staff.
PLACEHOLDER_TITLE = {
    "title_fr": (
        "Lauréat ou lauréate à renseigner : CORDIS ne publie pas ce nom. Choisissez "
        "la bonne personne sur chaque financement ; ne renommez pas cette fiche."
    ),
    "title_en": (
        "Laureate to be completed: CORDIS does not publish this name. Choose the "
        "right person on each grant; do not rename this record."
    ),
}


@dataclass
class ImportReport:
    """What an import created, updated or left alone, and what it skipped."""

    counts: dict[str, Counter] = field(default_factory=dict)
    # Reasons for skipping a project of the participant, with how many each.
    skipped: Counter = field(default_factory=Counter)
    # Projects of the participant in organization.csv that project.csv lacks.
    missing: int = 0
    # Grants whose laureate is still the placeholder after the import.
    laureates_to_complete: int = 0
    # New partners' addresses that are no http(s) address: "file, line 12: ftp://…".
    websites_left_out: list[str] = field(default_factory=list)
    # Grants and projects imported before whose participation has since ended.
    participation_ended: list[str] = field(default_factory=list)
    # Projects whose participants' EU contributions add up to more than the
    # project's, beyond CORDIS's rounding, or one of which alone does:
    # (project, their sum, its contribution).
    contributions_above: list[tuple[str, Decimal, Decimal]] = field(
        default_factory=list
    )
    # The moment of the versions the import wrote, all alike: the admin links to
    # the grants and projects it created or updated by it (ImportFilter).
    date: datetime.datetime | None = None

    def record(self, model: type[models.Model], outcome: str) -> None:
        self.counts.setdefault(model._meta.label, Counter())[outcome] += 1

    def recount(self, model: type[models.Model], outcome: str, now: str) -> None:
        """Count as ``now`` one record of ``model`` counted as ``outcome``."""
        counter = self.counts[model._meta.label]
        counter[outcome] -= 1
        counter[now] += 1

    def count(self, model: type[models.Model], outcome: str) -> int:
        return self.counts.get(model._meta.label, Counter())[outcome]

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def changed(self) -> bool:
        return bool(self.total(CREATED) or self.total(UPDATED) or self.total(REMOVED))

    def summary(self) -> str:
        return (
            f"{self.count(Grant, CREATED)} grants and {self.count(Project, CREATED)} "
            f"projects created, {self.count(Grant, UPDATED)} grants and "
            f"{self.count(Project, UPDATED)} projects updated, "
            f"{self.count(Grant, UNCHANGED)} grants and "
            f"{self.count(Project, UNCHANGED)} projects unchanged, "
            f"{self.count(ProjectParticipant, REMOVED)} participants CORDIS no "
            "longer lists removed; "
            f"{sum(self.skipped.values())} skipped, {self.missing} missing from "
            f"project.csv, {self.laureates_to_complete} laureates to complete"
        )

    def lines(self) -> list[str]:
        lines = [
            f"{label}: {counter[CREATED]} created, {counter[UPDATED]} updated, "
            f"{counter[UNCHANGED]} unchanged"
            + (f", {counter[REMOVED]} removed" if counter[REMOVED] else "")
            for label, counter in sorted(self.counts.items())
        ]
        lines += [f"skipped ({reason}): {n}" for reason, n in self.skipped.items()]
        lines += [
            f"website left out (not an http or https address): {where}"
            for where in self.websites_left_out
        ]
        lines += [
            f"participation ended, record left as it is: {record}"
            for record in self.participation_ended
        ]
        lines += [
            f"participants' EU contributions ({total}) above the project's "
            f"({whole}), imported as CORDIS gives them: {record}"
            for record, total, whole in self.contributions_above
        ]
        return lines


# --- Reading organization.csv ---------------------------------------------------------


@dataclass
class Participation:
    """One institution's part in a project, merged over its rows."""

    record: Record  # its first row, for the institution's name, country…
    role: str
    contribution: Decimal | None
    ended: bool  # the institution left the project: all its rows say so

    def merge(self, role: str, contribution: Decimal | None, ended: bool) -> None:
        if cordis.ROLE_RANK.index(role) < cordis.ROLE_RANK.index(self.role):
            self.role = role
        if contribution is not None:
            self.contribution = (self.contribution or 0) + contribution
        self.ended = self.ended and ended


@dataclass
class ProjectParticipations:
    """The given participant's part in one project, and the other participants."""

    own: Participation | None = None
    others: dict[str, Participation] = field(default_factory=dict)

    def add(self, record: Record, pic: str) -> None:
        organisation = cordis.parse_pic(record, "organisationID")
        role = cordis.participant_role(record["role"])
        contribution = cordis.parse_amount(record, "ecContribution")
        ended = cordis.participation_ended(record)
        if organisation == pic:
            if self.own is None:
                self.own = Participation(record, role, contribution, ended)
            else:
                self.own.merge(role, contribution, ended)
        elif organisation in self.others:
            self.others[organisation].merge(role, contribution, ended)
        else:
            self.others[organisation] = Participation(record, role, contribution, ended)


# The columns of organization.csv a partner is made of.
PARTNER_COLUMNS = (
    "organisationID",
    "name",
    "shortName",
    "activityType",
    "country",
    "city",
    "geolocation",
    "organizationURL",
)


def partner_values(record: Record) -> dict:
    """Return the values of the partner an organisation row describes, but its PIC,
    slug and status; its coordinates and country checked."""
    name = record["name"]
    # "UNIVERSITE DE BORDEAUX", as CORDIS writes most names: "Universite de Bordeaux".
    readable = cordis.readable_name(name, acronyms=[record["shortName"]])
    latitude, longitude = cordis.parse_coordinates(record, "geolocation")
    return {
        "name_fr": readable,
        "name_en": readable,
        **_short_name(record["shortName"], name),
        "kind": cordis.partner_kind(record["activityType"]),
        "country": cordis.parse_country(record, "country"),
        # "ATHINA", "GIF SUR YVETTE": "Athina", "Gif sur Yvette", as the name.
        "city_fr": cordis.readable_name(record["city"]),
        "city_en": cordis.readable_name(record["city"]),
        "latitude": latitude,
        "longitude": longitude,
        "website": _website(record["organizationURL"]),
    }


def check_partner_row(record: Record, checked: set) -> None:
    """Refuse an organisation row no partner could be made of (coordinates off the
    globe, a name too long), its PIC new or known alike; ``checked``: the rows'
    values checked already (a partner's rows repeat them, project after project).

    A known partner is left as it is, but its row is checked all the same: a bad
    row refused the whole file when its PIC was new, and was ignored otherwise.
    """
    key = tuple(record[column] for column in PARTNER_COLUMNS)
    if key in checked:
        return
    partner = Partner(pic=record["organisationID"], **partner_values(record))
    try:
        # As Importer.save checks a new partner: no query (the slug is made then).
        partner.full_clean(
            exclude=["slug"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        raise _import_error(error, record, PARTNER_FIELD_COLUMNS, partner) from None
    checked.add(key)


def read_participations(
    source, pic: str, errors: ErrorList | None = None
) -> dict[str, ProjectParticipations]:
    """Return the projects of participant ``pic``, by CORDIS id, with their partners.

    organization.csv is read once, keeping one project's rows at a time: CORDIS lists
    a project's participants together, so memory follows the participant's projects
    (and one id per other project), not the file's rows. Should a project's rows be
    scattered and some dropped before its participant's row turned up, the file is
    read a second time for those projects only. The other participants' rows are
    checked as they are kept (``check_partner_row``).

    A wrong row raises ``CordisImportError``, unless ``errors`` is given: it is
    added there and left out (a project whose participant's own row is wrong is
    left out whole: its ``own`` is None), and the rows after it are read on.
    """
    name = cordis.source_name(source, "organization.csv")

    def records(errors=errors):
        return cordis.read_records(
            source,
            name=name,
            required=cordis.ORGANIZATION_COLUMNS,
            optional=cordis.ORGANIZATION_OPTIONAL_COLUMNS,
            errors=errors,
        )

    projects: dict[str, ProjectParticipations] = {}
    dropped: set[str] = set()
    # The projects to read again, with the line from which their rows were kept
    # (and checked) the first time.
    read_again: dict[str, int] = {}
    group_id, group = None, []
    checked: set[tuple] = set()

    def keep(record, *, checked_before=False):
        participations = projects[record["projectID"]]
        try:
            participations.add(record, pic)
            if record["organisationID"] != pic:
                check_partner_row(record, checked)
        except CordisImportError as error:
            if errors is None:
                raise
            # Named once, and left out of the project: its values were wrong.
            participations.others.pop(record["organisationID"], None)
            if not checked_before:
                errors.add(error)

    def close_group():
        if group_id is None:
            return
        if group_id in projects or any(r["organisationID"] == pic for r in group):
            if group_id in dropped:
                read_again.setdefault(group_id, group[0].line)
            projects.setdefault(group_id, ProjectParticipations())
            for record in group:
                keep(record)
        else:
            dropped.add(group_id)

    for record in records():
        if record["projectID"] != group_id:
            close_group()
            group_id, group = record["projectID"], []
        group.append(record)
    close_group()

    if read_again:
        for project_id in read_again:
            projects[project_id] = ProjectParticipations()
        # The malformed lines were named the first time.
        for record in records(errors=None if errors is None else ErrorList(0)):
            if (kept_from := read_again.get(record["projectID"])) is not None:
                keep(record, checked_before=record.line >= kept_from)
    for participations in projects.values():
        if participations.own is None:
            continue  # its row was wrong, and named
        try:
            cordis.parse_cordis_id(participations.own.record, "projectID")
        except CordisImportError as error:
            if errors is None:
                raise
            errors.add(error)
            participations.own = None
    return projects


def read_investigators(
    source, project_ids, pic: str, errors: ErrorList | None = None
) -> dict[str, tuple[str, str]]:
    """Return ``{project id: (first name, last name)}`` from the ERC PI file.

    A Synergy grant has several principal investigators: the one hosted by the
    participant ``pic`` is taken, else the first. Malformed lines: as
    ``read_participations``'s.
    """
    name = cordis.source_name(source, "erc-pi.csv")
    found: dict[str, tuple[str, str]] = {}
    hosted: set[str] = set()
    for record in cordis.read_records(
        source,
        name=name,
        required=cordis.INVESTIGATOR_COLUMNS,
        optional=cordis.INVESTIGATOR_OPTIONAL_COLUMNS,
        errors=errors,
    ):
        project_id = record["projectId"]
        names = (record["firstName"], record["lastName"])
        if project_id not in project_ids or not all(names) or project_id in hosted:
            continue
        if record["organisationId"] == pic:
            found[project_id] = names
            hosted.add(project_id)
        else:
            found.setdefault(project_id, names)
    return found


# --- Writing --------------------------------------------------------------------------


def _same(model_field: models.Field, current, new) -> bool:
    if model_field.many_to_one or model_field.one_to_one:
        return current == (new.pk if new is not None else None)
    # get_prep_value normalises both sides: Decimal scale, country codes.
    return model_field.get_prep_value(current) == model_field.get_prep_value(new)


# Model fields -> the CSV column they come from, to name it in an error.
PROJECT_FIELD_COLUMNS = {
    "cordis_id": "id",
    "acronym": "acronym",
    "slug": "acronym",
    "title": "title",
    "title_en": "title",
    "summary": "objective",
    "summary_en": "objective",
    "start_date": "startDate",
    "end_date": "endDate",
    "total_cost": "totalCost",
    "eu_contribution": "ecMaxContribution",
    "amount": "ecMaxContribution",
    "call_year": "masterCall",
    "scheme": "fundingScheme",
}
PARTNER_FIELD_COLUMNS = {
    "pic": "organisationID",
    "name": "name",
    "name_fr": "name",
    "name_en": "name",
    "slug": "name",
    "acronym": "shortName",
    "original_name": "shortName",
    "kind": "activityType",
    "country": "country",
    "city": "city",
    "city_fr": "city",
    "city_en": "city",
    "latitude": "geolocation",
    "longitude": "geolocation",
    "website": "organizationURL",
    "role": "role",
    "eu_contribution": "ecContribution",
}


class Importer:
    """Create or update records, saving only what changed, with a history entry.

    With ``drafts_only`` (a contributor's import), a change to a published record,
    or to the participants of a published project, is noted instead of saved, and
    ``refuse_published_changes`` refuses the import.
    """

    def __init__(
        self, report: ImportReport, *, publish: bool, user=None, drafts_only=False
    ):
        self.report = report
        self.publish = publish
        self.user = user
        self.drafts_only = drafts_only
        # The published records the files would change, by (model, pk): their names.
        self.refused: dict[tuple[str, int], str] = {}
        self.programmes: dict[str, Programme] = {}
        self.partners: dict[str, Partner] = {}
        self.people: dict[tuple[str, str], Person] = {}
        self._placeholder = ...  # not looked up yet

    def save(self, obj, outcome: str, record: Record, columns: dict) -> None:
        if outcome == UNCHANGED:
            self.report.record(type(obj), outcome)
            return
        # Field validation only: the constraints' checks cost a query each, and the
        # values were checked while reading (amounts, dates, ids, coordinates) and
        # looked up (CORDIS ids, PICs, slugs). The database still enforces them.
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            if refused := _refused(error):
                raise _import_error(refused, record, columns, obj) from None
        obj._change_reason = CHANGE_REASON
        if self.user is not None:
            obj._history_user = self.user
        try:
            obj.save()
        except IntegrityError as error:
            # Raised on through import_cordis's atomic block, which rolls back.
            raise CordisImportError(
                _("the database refused it (%(error)s).") % {"error": error},
                file=record.file,
                line=record.line,
                stops_reading=True,
            ) from None
        self.report.record(type(obj), outcome)

    def upsert(
        self, obj, new_values: dict, record: Record, columns: dict, *, owner=None
    ) -> str:
        """Give ``obj`` ``new_values``; save it if it is new or one of them differs.
        Return what became of it: CREATED, UPDATED or UNCHANGED.

        ``owner``: the record ``obj`` is part of (a participant's project), when
        it was published before the import.
        """
        outcome = CREATED if obj.pk is None else UNCHANGED
        protected = None  # the published record a contributor may not change
        if self.drafts_only:
            owner = owner or (obj if _is_published(obj) else None)
            if owner is not None:
                # Named as it stands before the changes.
                protected = ((owner._meta.label, owner.pk), _describe(owner))
        for name, new in new_values.items():
            model_field = obj._meta.get_field(name)
            if outcome == CREATED or not _same(
                model_field, getattr(obj, model_field.attname), new
            ):
                setattr(obj, name, new)
                outcome = outcome if outcome == CREATED else UPDATED
        if protected and outcome != UNCHANGED:
            self.refused.setdefault(*protected)
            self.report.record(type(obj), outcome)
            return outcome
        self.save(obj, outcome, record, columns)
        return outcome

    def refuse_published_changes(self, file: str) -> None:
        """Raise ``CordisImportError`` if the files would change published records."""
        if not self.refused:
            return
        names = list(self.refused.values())
        raise CordisImportError(
            ngettext(
                "the import would change %(count)d published record: %(records)s. "
                "You may change drafts only: ask an editor to import these files.",
                "the import would change %(count)d published records: %(records)s. "
                "You may change drafts only: ask an editor to import these files.",
                len(names),
            )
            % {"count": len(names), "records": first_named(names)},
            file=file,
        )

    def status(self, existing=None) -> dict:
        """The status of a record the import creates: a draft, published with
        ``publish``. That of a record already there (``existing``) is staff's: a
        record put back to draft stays one, as the ROR import leaves it."""
        if self.publish and existing is None:
            return {"publication_status": PublicationStatus.PUBLISHED}
        return {}

    # Programmes, people and partners: found, or created once.

    def programme(
        self, slug: str, kind: str, defaults: dict, record: Record
    ) -> Programme:
        """Return the programme ``slug``, created from ``defaults`` if missing."""
        if slug not in self.programmes:
            programme = Programme.objects.filter(slug=slug).first()
            if programme is None:
                programme = Programme(slug=slug, kind=kind)
                self.upsert(
                    programme, {**defaults, **self.status()}, record, {"slug": ""}
                )
            self.programmes[slug] = programme
        return self.programmes[slug]

    def framework_programme(self, record: Record) -> Programme:
        """Return a project's programme: its framework programme (Horizon 2020)."""
        slug, defaults = cordis.FRAMEWORK_PROGRAMMES[framework(record)]
        return self.programme(slug, ProgrammeKind.FRAMEWORK, defaults, record)

    def scheme_programme(self, scheme: str, record: Record) -> Programme:
        """Return a grant's programme: its scheme's (the ERC, the MSCA)."""
        family = scheme_family(scheme)
        defaults = cordis.FAMILY_PROGRAMMES[family]
        return self.programme(family, ProgrammeKind.EU_SCHEME, defaults, record)

    def person(self, first_name: str, last_name: str, record: Record) -> Person:
        key = (first_name, last_name)
        if key not in self.people:
            person = (
                Person.objects.filter(first_name=first_name, last_name=last_name)
                .order_by("pk")
                .first()
            )
            if person is None:
                person = Person()
                self.upsert(
                    person,
                    {"first_name": first_name, "last_name": last_name},
                    record,
                    {},
                )
            self.people[key] = person
        return self.people[key]

    def placeholder_pk(self) -> int | None:
        """Return the id of the placeholder laureate, if there is one yet."""
        if self._placeholder is ...:
            self._placeholder = (
                Person.objects.filter(**PLACEHOLDER_LAUREATE).order_by("pk").first()
            )
        return self._placeholder.pk if self._placeholder else None

    def placeholder(self, record: Record) -> Person:
        if self.placeholder_pk() is None:
            self._placeholder = Person()
            self.upsert(
                self._placeholder,
                {**PLACEHOLDER_LAUREATE, **PLACEHOLDER_TITLE},
                record,
                {},
            )
        return self._placeholder

    @staticmethod
    def imported(cordis_id: str) -> str:
        """Name the grant or project an earlier import made of ``cordis_id``, if any."""
        for model in (Grant, Project):
            if found := model.objects.filter(cordis_id=cordis_id).first():
                return f"{found.acronym} ({_identify(found)})"
        return ""

    def prefetch_partners(self, pics) -> None:
        pics = list(pics)
        for start in range(0, len(pics), 500):
            # Repeat the partial unique index's condition, or it is not used.
            batch = pics[start : start + 500]
            for partner in Partner.objects.exclude(pic="").filter(pic__in=batch):
                self.partners[partner.pic] = partner

    def partner(self, pic: str, record: Record) -> Partner:
        """Return the partner with this PIC; a new one is a draft for staff to check."""
        if pic in self.partners:
            return self.partners[pic]
        values = {
            "pic": pic,
            **partner_values(record),
            "slug": _unique_slug(Partner, record["name"], pic, max_length=255),
            "publication_status": PublicationStatus.DRAFT,
        }
        if record["organizationURL"] and not values["website"]:
            line = _("line %(line)d") % {"line": record.line}
            self.report.websites_left_out.append(
                f"{record.file}, {line}: {record['organizationURL'][:80]}"
            )
        partner = Partner()
        self.upsert(partner, values, record, PARTNER_FIELD_COLUMNS)
        self.partners[pic] = partner
        return partner

    # Grants and projects.

    def grant(self, record, scheme, programme, participations, investigators):
        cordis_id = record["id"]
        grant = Grant.objects.filter(cordis_id=cordis_id).first()
        year = cordis.call_year(record)
        if year is None or year < 2007:
            raise record.error(
                "masterCall", _("no call year since 2007 in the call or the dates.")
            )
        own = participations.own
        amount = own.contribution
        if amount is None:
            amount = cordis.parse_amount(record, "ecMaxContribution")
        values = {
            "scheme": scheme,
            "programme": programme,
            # Too long, it is refused (full_clean), never clipped: clipped, it
            # could name another project, and pages and searches go by it.
            "acronym": record["acronym"],
            "call_year": year,
            "start_date": cordis.parse_date(record, "startDate"),
            "end_date": cordis.parse_date(record, "endDate"),
            "amount": amount,
            "cordis_id": cordis_id,
            **self._texts(record, grant),
            **self.status(grant),
        }
        if grant is None:
            grant = Grant(
                slug=_unique_slug(Grant, record["acronym"], cordis_id, max_length=120),
                title_en=record["acronym"],
            )
        # The laureate is set on a new grant, or over the placeholder: never over a
        # person staff chose.
        if grant.laureate_id is None or grant.laureate_id == self.placeholder_pk():
            names = investigators.get(cordis_id)
            values["laureate"] = (
                self.person(*names, record) if names else self.placeholder(record)
            )
        laureate = values.get("laureate")
        if laureate is not None and laureate.pk == self.placeholder_pk():
            # Published once staff have chosen the laureate (Grant.clean).
            values.pop("publication_status", None)
        _check_dates(record, values)
        self.upsert(grant, values, record, PROJECT_FIELD_COLUMNS)
        if grant.laureate_id == self.placeholder_pk():
            self.report.laureates_to_complete += 1
        return grant

    def project(self, record, programme, participations):
        cordis_id = record["id"]
        project = Project.objects.filter(cordis_id=cordis_id).first()
        published = _is_published(project)
        own = participations.own
        values = {
            "kind": ProjectKind.EU_PROJECT,
            "programme": programme,
            "acronym": record["acronym"],  # as a grant's
            "cnrs_role": (
                CnrsRole.COORDINATOR
                if own.role == CnrsRole.COORDINATOR
                else CnrsRole.PARTICIPANT
            ),
            "start_date": cordis.parse_date(record, "startDate"),
            "end_date": cordis.parse_date(record, "endDate"),
            # CORDIS writes 0 for a total cost it does not publish (its MSCA
            # actions, some lump sums): no cost, below the EU contribution.
            "total_cost": cordis.parse_amount(record, "totalCost") or None,
            "eu_contribution": cordis.parse_amount(record, "ecMaxContribution"),
            "cordis_id": cordis_id,
            **self._texts(record, project),
            **self.status(project),
        }
        # Only H2020's third pillar has challenges: never erase one staff chose.
        challenge = cordis.societal_challenge(record)
        if challenge:
            values["societal_challenge"] = challenge
        if project is None:
            project = Project(
                slug=_unique_slug(
                    Project, record["acronym"], cordis_id, max_length=120
                ),
                title_en=record["acronym"],
            )
        _check_dates(record, values)
        # Staff's rows and CORDIS's, as they are before the import.
        existing = (
            {p.partner_id: p for p in project.participations.all()}
            if project.pk is not None
            else {}
        )
        rows = []  # (participant's row, its values from CORDIS, its record)
        for pic, participation in participations.others.items():
            if participation.ended:
                # Listed as having left: removed below if an import added it.
                continue
            partner = self.partner(pic, participation.record)
            row = existing.pop(partner.pk, None) or ProjectParticipant(
                partner=partner, from_cordis=True
            )
            country = cordis.parse_country(participation.record, "country")
            row_values = {
                "role": participation.role,
                "eu_contribution": participation.contribution,
                # Recorded only when it differs from the institution's own.
                "country": "" if country == partner.country else country,
            }
            rows.append((row, row_values, participation.record))
        # A participant CORDIS listed and lists no more has left the project; those
        # staff added by hand are kept.
        removed = [row for row in existing.values() if row.from_cordis]
        kept = [row for row in existing.values() if not row.from_cordis]
        check_one_coordinator(record, participations, kept)

        # The database allows one coordinator at a time (migration programmes
        # 0019): the rows giving up the role are written first, then the project,
        # whose CNRS role may take it, then the rows that may take it.
        self.remove_participants(project, removed, published)
        giving_up, others = [], []
        for row, row_values, row_record in rows:
            losing = (
                row.pk is not None
                and row.role == ParticipantRole.COORDINATOR
                and row_values["role"] != ParticipantRole.COORDINATOR
            )
            (giving_up if losing else others).append((row, row_values, row_record))
        participants_changed = self.write_participants(project, giving_up, published)
        outcome = self.upsert(project, values, record, PROJECT_FIELD_COLUMNS)
        participants_changed |= self.write_participants(project, others, published)
        # CORDIS's rounding of the shares is no error (contributions_excess); more,
        # in their sum or in one share, is imported as CORDIS publishes it, and
        # named for staff to check.
        shares = [row_values["eu_contribution"] for _row, row_values, _r in rows]
        shares += [row.eu_contribution for row in kept]
        whole = values["eu_contribution"]
        if (total := contributions_above(whole, shares)) is not None:
            self.report.contributions_above.append((_describe(project), total, whole))
        if outcome == UNCHANGED and (participants_changed or removed):
            # Its participants are the project's: its history has a version for them.
            self.report.recount(Project, UNCHANGED, UPDATED)
        return project

    def write_participants(self, project, rows, published: bool) -> bool:
        """Give the participants' ``rows`` CORDIS's values; return whether one
        changed."""
        changed = False
        listed = []
        for row, values, record in rows:
            row.project = project
            row_outcome = self.upsert(
                row,
                values,
                record,
                PARTNER_FIELD_COLUMNS,
                owner=project if published else None,
            )
            changed |= row_outcome != UNCHANGED
            if not row.from_cordis and row.pk is not None:
                listed.append(row.pk)
        # Where it came from is no change of the project's: no version, no refusal.
        ProjectParticipant.objects.filter(pk__in=listed).update(from_cordis=True)
        return changed

    def remove_participants(self, project, rows, published: bool) -> None:
        for row in rows:
            if self.drafts_only and published:
                self.refused.setdefault(
                    (project._meta.label, project.pk), _describe(project)
                )
            else:
                row._change_reason = CHANGE_REASON
                if self.user is not None:
                    row._history_user = self.user
                row.delete()
            self.report.record(ProjectParticipant, REMOVED)

    @staticmethod
    def _texts(record: Record, obj) -> dict:
        """CORDIS writes in English: title and objective go to the English fields.

        The objective fills an empty summary only: staff often shorten it for the
        public page, and an import must not undo their work. A title too long for
        the field is refused (full_clean), like an acronym, never clipped.
        """
        texts = {}
        if record["title"]:
            texts["title_en"] = record["title"]
        if record["objective"] and not (obj and obj.summary_en):
            texts["summary_en"] = record["objective"]
        return texts


def _short_name(short_name: str, name: str) -> dict:
    """Return the partner fields that keep CORDIS's shortName.

    The short name is free text: one too long for an acronym (50 characters) is a
    name, often the institution's own spelling of it. It is kept as the name in
    the original language, unless it only repeats the legal name; longer than
    that field too, full_clean refuses it.
    """
    if len(short_name) <= Partner._meta.get_field("acronym").max_length:
        return {"acronym": short_name}
    if short_name.casefold() == name.casefold():
        return {}
    return {"original_name": short_name}


def _describe(record) -> str:
    """Name a grant or a project in a message: "project TASCMAR (634674)"."""
    return f"{record._meta.verbose_name} {record.acronym} ({record.cordis_id})"


def _identify(obj) -> str:
    """Name a record by its CORDIS id or PIC in a message: "project 634674".

    Not by its acronym, which may be the value refused, a hundred thousand
    characters long.
    """
    key = getattr(obj, "cordis_id", "") or getattr(obj, "pic", "")
    return f"{obj._meta.verbose_name} {key}" if key else ""


def _is_published(obj) -> bool:
    """Whether ``obj`` is a saved record with a publication status, published."""
    return (
        obj is not None
        and obj.pk is not None
        and getattr(obj, "publication_status", None) == PublicationStatus.PUBLISHED
    )


def _unique_slug(model, text: str, key: str, *, max_length: int) -> str:
    base = slugify(text)[: max_length - len(key) - 1].strip("-") or key
    if base != key and not model._default_manager.filter(slug=base).exists():
        return base
    return f"{base}-{key}" if base != key else key


def _website(url: str) -> str:
    """Return a well-formed http(s) address, or "" rather than fail on another one.

    CORDIS's addresses are typed by the participants: an ftp:// or otherwise
    unusable one is left out, as the partner's page could not link to it. A
    well-formed address too long for the field is refused (full_clean), not
    dropped.
    """
    if not url:
        return ""
    if "://" not in url:
        url = f"https://{url}"
    try:
        validate_website(url)
    except ValidationError:
        return ""
    return url


def framework(record: Record) -> str:
    """Return the record's framework programme as CORDIS names it: H2020, HORIZON."""
    return record["frameworkProgramme"].upper()


def _check_dates(record: Record, values: dict) -> None:
    start, end = values["start_date"], values["end_date"]
    if start and end and end < start:
        raise record.error("endDate", _("the project ends before it starts."))


def check_one_coordinator(
    record: Record, participations: ProjectParticipations, kept: list
) -> None:
    """Refuse a project with two coordinators: two in organization.csv (the
    participant's own row among them), or one there beside a participant staff
    added by hand (``kept``) who has the role.

    CORDIS names one coordinator per project: two are a file to check, and a
    row staff added is theirs to correct, not the import's to overwrite.
    """
    own = participations.own
    named = [
        (participation.record["name"] or pic, participation.record)
        for pic, participation in participations.others.items()
        if not participation.ended and participation.role == ParticipantRole.COORDINATOR
    ]
    if own.role == ParticipantRole.COORDINATOR:
        named.insert(
            0, (own.record["name"] or own.record["organisationID"], own.record)
        )
    if len(named) > 1:
        (first, first_record), (second, second_record) = named[:2]
        raise second_record.error(
            "role",
            _(
                "project %(project)s has two coordinators, %(first)s (line "
                "%(line)d) and %(second)s: a project has one coordinator."
            )
            % {
                "project": record["id"],
                "first": first,
                "line": first_record.line,
                "second": second,
            },
        )
    by_hand = next(
        (row for row in kept if row.role == ParticipantRole.COORDINATOR), None
    )
    if named and by_hand is not None:
        coordinator, coordinator_record = named[0]
        raise coordinator_record.error(
            "role",
            _(
                "CORDIS names %(coordinator)s as the coordinator of project "
                "%(project)s, and staff gave that role to %(partner)s, a "
                "participant CORDIS does not list: change its role on the "
                "project’s page, then import again."
            )
            % {
                "coordinator": coordinator,
                "project": record["id"],
                "partner": by_hand.partner,
            },
        )


# CORDIS is the record of an EU project's money: a participant's share above the
# project's is imported as CORDIS publishes it and named in the report
# (contributions_above), as shares adding up to more are. Refused, it failed the
# whole file, and every other project with it.
IMPORTED_AS_CORDIS_GIVES_THEM = frozenset({SHARE_ABOVE_THE_PROJECT})


def _refused(error: ValidationError) -> ValidationError | None:
    """Return ``error`` without the rules waived for CORDIS's figures, or None if
    none is left."""
    if not hasattr(error, "error_dict"):
        return error
    left = {}
    for name, errors in error.error_dict.items():
        kept = [e for e in errors if e.code not in IMPORTED_AS_CORDIS_GIVES_THEM]
        if kept:
            left[name] = kept
    return ValidationError(left) if left else None


def contributions_above(whole: Decimal | None, shares) -> Decimal | None:
    """Return the sum of the participants' ``shares`` when they pass the project's
    EU contribution ``whole`` beyond CORDIS's rounding, together or one alone,
    else None."""
    shares = [share for share in shares if share is not None]
    if contributions_excess(whole, shares) is None and not any(
        contributions_excess(whole, [share]) for share in shares
    ):
        return None
    return sum(shares, Decimal(0))


def _import_error(error: ValidationError, record: Record, columns: dict, obj):
    errors = error.message_dict
    name = next(iter(errors))
    column = "" if name == NON_FIELD_ERRORS else columns.get(name, name)
    return record.error(column, " ".join(errors[name]), subject=_identify(obj))


# --- The import -----------------------------------------------------------------------


def import_cordis(
    projects_file,
    organizations_file,
    pic: str = CNRS_PIC,
    *,
    pi_file=None,
    publish: bool = False,
    user=None,
) -> ImportReport:
    """Import the ERC and MSCA grants and the projects of participant ``pic``.

    ``projects_file`` and ``organizations_file`` are CORDIS's project.csv and
    organization.csv (paths or open files, e.g. uploads); ``pi_file`` is the optional
    ERC principal-investigator file, which names the laureates. Records are found by
    CORDIS id and saved only when a value changed, so running it again changes
    nothing. New grants and projects are drafts unless ``publish``; new partners are
    always drafts. Either the whole import is written or, on a CordisImportError,
    nothing is: a malformed file, a project listed twice in project.csv, or, when
    ``user`` changes drafts only (a contributor), a change to a published record.

    The lines after a wrong one are read and checked all the same: with several
    wrong, it raises ``CordisImportErrors``, which lists them (the first
    ``import_errors.ERRORS_LISTED``) file by file, line by line; a file that cannot
    be read on (not CSV, the wrong columns) stops there.
    """
    if not cordis.PIC.match(pic or ""):
        raise CordisImportError(_("a participant code is nine digits."), field="pic")
    errors = ErrorList()
    refusal = None
    try:
        projects = read_participations(organizations_file, pic, errors)
        investigators = (
            read_investigators(pi_file, projects, pic, errors) if pi_file else {}
        )
        # Once a line is wrong, the others are still imported, to check them as
        # they are written: the transaction is rolled back at the end.
        moment = timezone.now()
        with transaction.atomic(), one_version_per_edit(user=user, moment=moment):
            report = _import_projects(
                projects_file, projects, investigators, errors, publish, user
            )
            report.date = moment
            if errors:
                raise (refusal := errors.refusal(CordisImportErrors))
    except CordisImportError as error:
        if error is refusal or not errors:
            raise
        # A file that cannot be read on, after wrong lines: named after them.
        errors.add(error)
        raise errors.refusal(CordisImportErrors) from None
    return report


def _import_projects(
    projects_file, projects, investigators, errors: ErrorList, publish, user
) -> ImportReport:
    """Import the rows of project.csv that are ``projects``' (import_cordis), inside
    its transaction; add the wrong ones to ``errors``."""
    report = ImportReport()
    name = cordis.source_name(projects_file, "project.csv")
    importer = Importer(
        report,
        publish=publish,
        user=user,
        drafts_only=user is not None and changes_drafts_only(user),
    )
    seen: dict[str, int] = {}  # project id: the line it was first read on
    # Bulk writes send no signals: the cached pages are invalidated here.
    content_changed()
    partners_written_in_bulk()  # the participants' institutions
    importer.prefetch_partners({other for p in projects.values() for other in p.others})
    for record in cordis.read_records(
        projects_file,
        name=name,
        required=cordis.PROJECT_COLUMNS,
        optional=cordis.PROJECT_OPTIONAL_COLUMNS,
        errors=errors,
    ):
        try:
            _import_project(importer, record, projects, investigators, seen)
        except CordisImportError as error:
            errors.add(error)
            if error.stops_reading:
                break
    if not errors:
        importer.refuse_published_changes(name)
    report.missing = len(projects) - len(seen)
    return report


def _import_project(importer, record, projects, investigators, seen) -> None:
    """Import one row of project.csv: a grant, a project, or nothing (another
    participant's project, one to skip)."""
    report = importer.report
    project_id = record["id"]
    if project_id not in projects:
        return
    if project_id in seen:
        raise record.error(
            "id",
            _("the same project id as line %(line)d.") % {"line": seen[project_id]},
        )
    seen[project_id] = record.line
    cordis.parse_cordis_id(record, "id")
    own = projects[project_id].own
    if own is None:
        return  # the participant's row in organization.csv is wrong: named
    if own.ended:
        # A grant carried to another host, a project the participant left.
        # What an earlier import wrote stays for staff to decide: it is
        # named in the report.
        report.skipped["participation ended"] += 1
        if imported := importer.imported(project_id):
            report.participation_ended.append(imported)
        return
    kind, scheme = cordis.classify(
        record["fundingScheme"], record["masterCall"], record["subCall"]
    )
    if kind == cordis.UNKNOWN:
        report.skipped[f"scheme {record['fundingScheme'] or '(none)'}"] += 1
        return
    if framework(record) not in cordis.FRAMEWORK_PROGRAMMES:
        shown = record["frameworkProgramme"] or "(none)"
        report.skipped[f"framework programme {shown}"] += 1
        return
    if kind == cordis.GRANT:
        importer.grant(
            record,
            scheme,
            importer.scheme_programme(scheme, record),
            projects[project_id],
            investigators,
        )
    else:
        importer.project(
            record, importer.framework_programme(record), projects[project_id]
        )
