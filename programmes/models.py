import datetime
import functools
import re
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, NullIf, Upper
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _, ngettext

from partners.addresses import detail_url
from partners.caching import cached_by_content, cached_rows
from partners.country_names import CountryField
from partners.models import (
    MovableAddressMixin,
    ParentLoopMixin,
    Partner,
    WebsiteLinkMixin,
    translation_gap,
    website_field,
)
from partners.publication import (
    ChoiceLabelsMixin,
    ConstraintErrorsMixin,
    PublicationStatus,
    PublishableModel,
    PublishableQuerySet,
    choice_label,
    synthetic_field,
)
from partners.regions import region_phrases
from partners.search import phrase_words, rank_by, shown_text, without_address
from partners.searchable import per_model
from units.models import (
    PLACEHOLDER_PERSON,
    Institute,
    NamedByInstitutes,
    Person,
    Unit,
    UnitKind,
)

CORDIS_ID_PATTERN = r"^[0-9]{5,9}$"

# Grant.laureate is required, but CORDIS's project file names no one: a grant whose
# laureate is unknown gets this one shared placeholder person (programmes/services.py)
# until staff choose the laureate. Such a grant is not published.
PLACEHOLDER_LAUREATE = PLACEHOLDER_PERSON
# Why such a grant is not published: its form says so, and the "Publish selected"
# action's confirmation page.
PLACEHOLDER_LAUREATE_HOLD = _(
    "Choose the laureate before publishing: “CORDIS (laureate to be completed)” "
    "stands for a name CORDIS does not publish."
)


class ProgrammeKind(models.TextChoices):
    FRAMEWORK = "framework", _("EU framework programme")
    EU_SCHEME = "eu_scheme", _("EU funding scheme")
    CNRS_TOOL = "cnrs_tool", _("CNRS cooperation tool")
    BILATERAL = "bilateral", _("Bilateral programme")


def with_record_counts(programmes: list) -> list:
    """Give each programme ``grant_count`` and ``project_count`` (published records),
    and ``unit_count``, its published joint units when its instrument is units."""
    counts = cached_by_content("programme-record-counts", public_record_counts)
    unit_counts = {}
    if any(programme.unit_kind for programme in programmes):
        unit_counts = cached_by_content("unit-kind-counts", public_unit_counts)
    call_years = {}
    if any(programme.grant_calls for programme in programmes):
        call_years = cached_by_content("grant-call-year-counts", public_call_years)
    for programme in programmes:
        programme.grant_count, programme.project_count = counts.get(
            programme.pk, (0, 0)
        )
        if programme.grant_calls:
            first, last = programme.grant_calls
            programme.grant_count = sum(
                count
                for year, count in call_years.items()
                if year >= first and (last is None or year <= last)
            )
        programme.unit_count = unit_counts.get(programme.unit_kind, 0)
    return programmes


def public_call_years() -> dict[int, int]:
    """Return the published grants of each call year, by the year."""
    rows = Grant.objects.public().order_by().values_list("call_year")
    return dict(rows.annotate(count=Count("pk")))


def last_call_year() -> int:
    """Return the last call year the grants' filters offer: this year, or a later
    one that published grants have. Next year's calls open this year, but their
    grants come later: offering it, QA read "les années vont de 2007 à 2027"."""
    years = cached_by_content("grant-call-year-counts", public_call_years)
    return max([timezone.localdate().year, *years])


def public_project_dates() -> dict[str, datetime.date | None]:
    """Return the first and last start dates of the published projects, the last
    end date of those that have a start, and the first start of those that have
    no end (running still, as far as anyone knows)."""
    return Project.objects.public().aggregate(
        first_start=Min("start_date"),
        last_start=Max("start_date"),
        last_end=Max("end_date", filter=Q(start_date__isnull=False)),
        open_since=Min("start_date", filter=Q(end_date__isnull=True)),
    )


def project_years() -> tuple[int, int] | None:
    """Return the first and last years in which published projects run
    (``running_in``), or None when none has a start date; read once per content
    version. A project with no end runs this year too, once started."""
    dates = cached_by_content("project-dates", public_project_dates)
    if dates["first_start"] is None:
        return None
    today = timezone.localdate()
    last = [dates["last_start"].year]
    if dates["last_end"] is not None:
        last.append(dates["last_end"].year)
    if dates["open_since"] is not None and dates["open_since"] <= today:
        last.append(today.year)
    return dates["first_start"].year, max(last)


def public_unit_counts() -> dict[str, int]:
    """Return the published joint units of each kind, by the kind."""
    rows = Unit.objects.public().order_by().values_list("kind")
    return dict(rows.annotate(count=Count("pk")))


def public_record_counts() -> dict[int, tuple[int, int]]:
    """Return the published grants and projects of each programme, by its id."""

    def per_programme(model) -> dict[int, int]:
        rows = model.objects.public().order_by().values_list("programme")
        return dict(rows.annotate(count=Count("pk")))

    grants, projects = per_programme(Grant), per_programme(Project)
    return {
        programme: (grants.get(programme, 0), projects.get(programme, 0))
        for programme in grants.keys() | projects.keys()
    }


# The link from a programme of joint units to its units: "All IRL units" read as
# units of a unit.
ALL_UNITS_LABELS = {
    UnitKind.IRL: _("All International Research Laboratories (IRL)"),
    UnitKind.UMIFRE: _("All joint units of French research institutes abroad (Umifre)"),
}


class ProgrammeQuerySet(PublishableQuerySet):
    def for_list(self):
        return self.select_related("parent")

    def with_counts(self) -> list:
        """Return the programmes, each with ``grant_count`` and ``project_count``.

        Published records only, counted once per content version for every
        programme: counting the 50,000 grants of the ERC took 60 to 190 ms a view.
        """
        return with_record_counts(list(self))

    def by_name(self, *first):
        """Order by ``first``, then by the name shown in the active language.

        The name falls back to French like modeltranslation does on display. Call it
        while serving a request, never at import time: the language is read now.
        """
        return self.order_by(*first, shown_text("name"), "pk")

    def in_time_order(self, *first):
        """Order by ``first``, then by start year (those without one last), then
        by the shown name: FP7, Horizon 2020, Horizon Europe in both languages,
        where their names alone sorted them differently in each."""
        return self.by_name(*first, F("start_year").asc(nulls_last=True))

    def in_kind_order(self):
        """Order by kind (framework programmes first), then by start year and
        shown name (``in_time_order``)."""
        kind_rank = rank_by("kind", ProgrammeKind.values)
        return self.in_time_order(kind_rank)


class Programme(
    MovableAddressMixin, WebsiteLinkMixin, ParentLoopMixin, PublishableModel
):
    """A funding or cooperation programme: Horizon 2020, ERC, MSCA, IRP…"""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    former_name = models.CharField(
        _("former name"),
        max_length=100,
        blank=True,
        help_text=_("e.g. LIA for IRP, GDRI for IRN, PICS for IEA."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("start year"), null=True, blank=True
    )
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = website_field()

    objects = ProgrammeQuerySet.as_manager()

    constraint_fields = {"programme_ends_after_start": "end_year"}

    own_parent_message = _("A programme cannot be its own parent.")
    parent_loop_message = _("The parent programmes would form a loop: %(chain)s.")

    class Meta(PublishableModel.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="programme_ends_after_start",
                violation_error_message=_("A programme cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="programme_not_its_own_parent",
                violation_error_message=_("A programme cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.acronym or self.name

    def clean(self):
        super().clean()
        self.clean_parent()

    def get_absolute_url(self):
        return detail_url("programmes:detail", "slug", self.slug)

    @property
    def grant_calls(self) -> tuple[int, int | None] | None:
        """Return the first and last call years (None: still open) of the ERC and
        MSCA grants that a framework programme funds, or None for other programmes.

        The ERC and the MSCA run through the framework programmes one after the
        other (FP7, Horizon 2020, Horizon Europe): their grants are the framework
        programme's by the year of their call, not by a parent of the ERC's.
        """
        if self.kind != ProgrammeKind.FRAMEWORK or not self.start_year:
            return None
        return self.start_year, self.end_year

    @property
    def funds_grants(self) -> bool:
        """Whether ERC or MSCA grants are the programme's: the ERC's and the MSCA's,
        and a framework programme's by their calls; never a CNRS tool's (IRP, IEA)
        nor a programme of joint units."""
        return self.grant_calls is not None or self.slug in FAMILY_PROGRAMME_ERRORS

    @property
    def funds_projects(self) -> bool:
        """Whether projects may be the programme's: not the ERC's nor the MSCA's,
        which fund people (grants), nor a programme of joint units."""
        return not self.unit_kind and self.slug not in FAMILY_PROGRAMME_ERRORS

    def public_grants(self):
        """The published grants of the programme (a framework's by their calls)."""
        if self.grant_calls is None:
            return self.grants.public()
        first, last = self.grant_calls
        grants = Grant.objects.public().filter(call_year__gte=first)
        return grants if last is None else grants.filter(call_year__lte=last)

    def grant_list_query(self) -> str:
        """The query string of the grants list that shows the programme's grants."""
        if self.grant_calls is None:
            return urlencode({"programme": self.slug})
        first, last = self.grant_calls
        # Within the years the list's filters offer (``last_call_year``); a period
        # ending later is open.
        query = {"since": max(first, FIRST_CALL_YEAR)}
        if last is not None and last <= last_call_year():
            query["until"] = last
        return urlencode(query)

    @property
    def unit_kind(self) -> str:
        """Return the kind of joint units the programme consists of, or "".

        The IRL programme funds no grant or project: its instrument is the joint
        units of kind IRL. Its slug is the kind's, as a CNRS tool's is its
        projects' kind; an Umifre programme would be found the same way.
        """
        return self.slug if self.slug in UnitKind.values else ""

    @property
    def all_units_label(self) -> str:
        """The link to the units list of the programme's kind of joint units."""
        return ALL_UNITS_LABELS.get(self.unit_kind, "")


class GrantScheme(models.TextChoices):
    ERC_STG = "erc_stg", _("ERC Starting Grant (StG)")
    ERC_COG = "erc_cog", _("ERC Consolidator Grant (CoG)")
    ERC_ADG = "erc_adg", _("ERC Advanced Grant (AdG)")
    ERC_SYG = "erc_syg", _("ERC Synergy Grant (SyG)")
    ERC_POC = "erc_poc", _("ERC Proof of Concept (PoC)")
    MSCA_PF = "msca_pf", _("MSCA Postdoctoral Fellowship (PF)")
    MSCA_IF = "msca_if", _("MSCA Individual Fellowship (IF, former name of PF)")
    MSCA_DN = "msca_dn", _("MSCA Doctoral Network (DN)")
    MSCA_ITN = (
        "msca_itn",
        _("MSCA Innovative Training Network (ITN, former name of DN)"),
    )
    MSCA_SE = "msca_se", _("MSCA Staff Exchanges (SE)")
    MSCA_RISE = "msca_rise", _("MSCA RISE (former name of Staff Exchanges)")
    MSCA_COFUND = "msca_cofund", _("MSCA COFUND")

    @classmethod
    def erc(cls):
        return [s for s in cls if s.value.startswith("erc_")]

    @classmethod
    def msca(cls):
        return [s for s in cls if s.value.startswith("msca_")]


# The schemes as staff write them, in both languages: the admin's grants list shows
# them (whole, the labels, "MSCA Innovative Training Network (ITN, former name of
# DN)", wrapped every row).
SCHEME_ACRONYMS = {
    GrantScheme.ERC_STG: "ERC StG",
    GrantScheme.ERC_COG: "ERC CoG",
    GrantScheme.ERC_ADG: "ERC AdG",
    GrantScheme.ERC_SYG: "ERC SyG",
    GrantScheme.ERC_POC: "ERC PoC",
    GrantScheme.MSCA_PF: "MSCA PF",
    GrantScheme.MSCA_IF: "MSCA IF",
    GrantScheme.MSCA_DN: "MSCA DN",
    GrantScheme.MSCA_ITN: "MSCA ITN",
    GrantScheme.MSCA_SE: "MSCA SE",
    GrantScheme.MSCA_RISE: "MSCA RISE",
    GrantScheme.MSCA_COFUND: "MSCA COFUND",
}


def scheme_family(scheme: str) -> str:
    """Return the family of a grant scheme, "erc" or "msca"."""
    return scheme.partition("_")[0]


# A grant belongs to the programme of its scheme's family, whose slug is the family's
# name: an ERC Starting Grant to the ERC, not to Horizon 2020, which funds the ERC.
# What each of those programmes says of a grant of the other family.
FAMILY_PROGRAMME_ERRORS = {
    "erc": _(
        "Only ERC grants belong to the ERC programme: file this Marie "
        "Skłodowska-Curie grant under the MSCA programme."
    ),
    "msca": _(
        "Only Marie Skłodowska-Curie grants belong to the MSCA programme: file "
        "this ERC grant under the ERC programme."
    ),
}


class ErcPanel(models.TextChoices):
    PE1 = "PE1", _("PE1 Mathematics")
    PE2 = "PE2", _("PE2 Fundamental constituents of matter")
    PE3 = "PE3", _("PE3 Condensed matter physics")
    PE4 = "PE4", _("PE4 Physical and analytical chemical sciences")
    PE5 = "PE5", _("PE5 Synthetic chemistry and materials")
    PE6 = "PE6", _("PE6 Computer science and informatics")
    PE7 = "PE7", _("PE7 Systems and communication engineering")
    PE8 = "PE8", _("PE8 Products and processes engineering")
    PE9 = "PE9", _("PE9 Universe sciences")
    PE10 = "PE10", _("PE10 Earth system science")
    PE11 = "PE11", _("PE11 Materials engineering")
    LS1 = "LS1", _("LS1 Molecules of life")
    LS2 = "LS2", _("LS2 Integrative biology")
    LS3 = "LS3", _("LS3 Cell biology, development and regeneration")
    LS4 = "LS4", _("LS4 Physiology in health, disease and ageing")
    LS5 = "LS5", _("LS5 Neuroscience and disorders of the nervous system")
    LS6 = "LS6", _("LS6 Immunity, infection and immunotherapy")
    LS7 = "LS7", _("LS7 Prevention, diagnosis and treatment of human diseases")
    LS8 = "LS8", _("LS8 Environmental biology, ecology and evolution")
    LS9 = "LS9", _("LS9 Biotechnology and biosystems engineering")
    SH1 = "SH1", _("SH1 Individuals, markets and organisations")
    SH2 = "SH2", _("SH2 Institutions, governance and legal systems")
    SH3 = "SH3", _("SH3 The social world and its interactions")
    SH4 = "SH4", _("SH4 The human mind and its complexity")
    SH5 = "SH5", _("SH5 Texts and concepts")
    SH6 = "SH6", _("SH6 The study of the human past")
    SH7 = "SH7", _("SH7 Human mobility, environment and space")
    SH8 = "SH8", _("SH8 Studies of cultures and arts")


def programme_phrases() -> dict[tuple[str, ...], dict]:
    """Return the public programmes' names, acronyms and former names as a search
    types them (``word_sequence``, stop words left out), each with the filter of
    the records of that programme or of one under it: "H2020", "Horizon 2020",
    "ERC" (under Horizon 2020). Read once per content version."""

    def read():
        rows = list(
            Programme.objects.public()
            .order_by("pk")
            .values_list(
                "pk",
                "parent_id",
                "name_fr",
                "name_en",
                "acronym",
                "former_name_fr",
                "former_name_en",
            )
        )
        children: dict[int | None, list[int]] = {}
        for pk, parent, *_names in rows:
            children.setdefault(parent, []).append(pk)

        def under(pk: int) -> list[int]:
            found, waiting = [], [pk]
            while waiting:
                found.append(current := waiting.pop())
                # Loops of parents are refused (ParentLoopMixin): guarded anyway.
                seen = set(found)
                waiting += [pk for pk in children.get(current, []) if pk not in seen]
            return sorted(found)

        phrases = {}
        for pk, _parent, *names in rows:
            for name in filter(None, names):
                if words := phrase_words(name):
                    # "programme Horizon 2020", "Horizon 2020 program" too.
                    filters = {"programme__in": under(pk)}
                    phrases[words] = filters
                    for word in ("programme", "program"):
                        phrases[(word, *words)] = phrases[(*words, word)] = filters
        return phrases

    return cached_by_content("programme-phrases", read)


# How a CORDIS id is pasted or typed: its project page's address, or named.
CORDIS_PAGES = (
    "https://cordis.europa.eu/project/id/",
    "http://cordis.europa.eu/project/id/",
    "cordis.europa.eu/project/id/",
    "cordis ",
)


class Period(models.TextChoices):
    """Where a grant or a project stands today, by its dates."""

    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    UPCOMING = "upcoming", _("Not started yet")


class ProgrammeRecordsQuerySet(PublishableQuerySet):
    """Grants and projects, each of a programme: a programme named ("H2020",
    "Horizon 2020 projects") finds its records as a kind named does, and their
    CORDIS id, typed or pasted, the record."""

    identifier_patterns = {"cordis_id": CORDIS_ID_PATTERN}
    # "MSCA", "ERC 2015", "H2020 projects": their grants and projects are
    # tens of thousands, listed as the lists list them.
    kind_alone_in_list_order = True

    @staticmethod
    def bare_identifier(text: str) -> str:
        """Return the CORDIS id ``text`` may be: pasted as its page's address,
        or named ("CORDIS 634674")."""
        return without_address(text, CORDIS_PAGES)

    def kind_phrases(self) -> dict[tuple[str, ...], dict]:
        # The model's own words win: "ERC" is the grants' schemes.
        return {**programme_phrases(), **super().kind_phrases()}

    def in_period(self, period: str):
        """Return the records ``period`` (``Period``) today, the local date.

        Ongoing: started, or with no start date, and not ended; a record with
        neither date is none of the three.
        """
        today = timezone.localdate()
        if period == Period.COMPLETED:
            return self.filter(end_date__lt=today)
        if period == Period.UPCOMING:
            return self.filter(start_date__gt=today)
        started = Q(start_date__lte=today) | Q(start_date__isnull=True)
        not_ended = Q(end_date__gte=today) | Q(end_date__isnull=True)
        return self.filter(started & not_ended).exclude(
            start_date__isnull=True, end_date__isnull=True
        )

    def running_in(self, year: int):
        """Return the records running during ``year``: started on or before its
        last day, and ended on or after its first day, or not ended.

        A record of no start date is in no year: when it started is not known
        (``in_period`` takes it as started, today alone).
        """
        return self.filter(
            Q(end_date__gte=datetime.date(year, 1, 1)) | Q(end_date__isnull=True),
            start_date__lte=datetime.date(year, 12, 31),
        )


def scheme_words(
    name: str, acronym: str, scheme: str, french: tuple[str, ...] = ()
) -> dict[str, dict]:
    """Return the words naming an ERC grant scheme, each with its filter: its
    acronym ("StG"), its name as a grant's ("starting grants") or the ERC's
    ("ERC starting"), and its French names as a grant's, in the singular and
    the plural, "bourse" or "subvention" ("bourses de démarrage": ``french``,
    each written "de démarrage" after the word of a grant)."""
    words = [acronym, f"{name} grant", f"{name} grants", f"erc {name}"]
    for grant in ("bourse", "subvention"):
        for singular, plural in french_plurals(french):
            words += [f"{grant} {singular}", f"{grant}s {plural}"]
    return dict.fromkeys(words, {"scheme": scheme})


def french_plurals(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """Return each French adjective or complement in ``names`` with its plural
    ("avancée": "avancées"; "de démarrage" stays)."""
    return [(name, name if name.startswith("de ") else f"{name}s") for name in names]


# The ERC and the Marie Curie actions of FP7 opened their first calls in 2007.
FIRST_CALL_YEAR = 2007
FIRST_CALLS_MESSAGE = _("ERC and MSCA grants start with the 2007 calls.")


def call_year_phrases() -> dict[tuple[str, ...], dict]:
    """Return the call years as a search types them, each with the filter of its
    grants: "2015", and "depuis 2015", "since 2015", "à partir de 2015" for
    that year's and the later ones' ("lauréats ERC mathématiques depuis 2015").
    """
    phrases = {}
    for year in range(FIRST_CALL_YEAR, timezone.localdate().year + 2):
        phrases[(str(year),)] = {"call_year": year}
        for since in ("since", "depuis", "partir"):
            phrases[(since, str(year))] = {"call_year__gte": year}
        phrases[("apres", str(year))] = {"call_year__gt": year}
    return phrases


@functools.cache
def panel_phrases() -> dict[tuple[str, ...], dict]:
    """Return the ERC panels' codes and names in both languages as a search
    types them ("PE1", "PE 1", "mathematics", "mathématiques", "condensed
    matter physics"), each with the filter of its grants: "ERC laureates in
    mathematics" are the panel's, whatever their titles say.

    Cached for the process: the names are the code's and its translations'.
    """
    phrases = {}
    for panel in ErcPanel:
        grants = {"panel": panel.value}
        letters, digits = re.fullmatch(r"([A-Z]+)([0-9]+)", panel.value).groups()
        phrases[phrase_words(panel.value)] = grants
        phrases[(letters.lower(), digits)] = grants
        for code, _language in settings.LANGUAGES:
            with translation.override(code):
                name = str(panel.label).removeprefix(panel.value).strip()
            phrases[phrase_words(name)] = grants
    # The mathematics panel by its everyday names.
    for everyday in ("maths", "math"):
        phrases[(everyday,)] = {"panel": ErcPanel.PE1.value}
    return phrases


def grants_by_institute(institutes: list[int]) -> dict[int, dict]:
    """Return the filter of each institute's grants, by institute id."""
    return {pk: {"institute__in": [pk]} for pk in institutes}


class GrantQuerySet(NamedByInstitutes, ProgrammeRecordsQuerySet):
    """Grants, found by their programme (``ProgrammeRecordsQuerySet``) or their
    institute ("INC grants") named."""

    institutes_key = "grants"
    filters_of_institutes = staticmethod(grants_by_institute)
    text_fields = ("acronym", "title_fr", "title_en")
    document_fields = {"french": ("summary_fr",), "english": ("summary_en",)}
    related_text_fields = ("laureate", ("first_name", "last_name"))
    title_field = "title"
    kind_words = {
        **dict.fromkeys(
            ("bourse", "bourses", "grant", "grants", "lauréat", "lauréats", "lauréate"),
            {},
        ),
        # The schemes, by their names and acronyms in both languages ("ERC
        # starting", "StG", "bourses de démarrage"), a former name for its
        # successor too ("ITN", "MSCA RISE": the Doctoral Networks, the Staff
        # Exchanges). A name alone that is a word of most titles names a scheme
        # with the others only: "advanced materials", "starting from" and "sea
        # level rise" name none, "advanced grants", "ERC starting" and "MSCA
        # RISE" do. The rarer ones name it alone ("Consolidator", "Synergy",
        # "Proof of Concept"): with other words, the grants of the scheme holding
        # those words are found besides those holding them all; named alone in
        # the global search, other kinds show only what their names hold
        # (``kinds_naming`` in cnrs_intl/search.py).
        "erc": {"scheme__in": GrantScheme.erc()},
        # The programme by its name without "Actions", as researchers say it
        # (its full names name the MSCA programme: ``programme_phrases``), and
        # by Marie Curie's name alone, as the actions were first called.
        **dict.fromkeys(
            (
                "msca",
                "marie skłodowska-curie",
                "skłodowska-curie",
                "marie curie",
                "marie curie actions",
                "actions marie curie",
            ),
            {"scheme__in": GrantScheme.msca()},
        ),
        **scheme_words(
            "starting", "stg", GrantScheme.ERC_STG, french=("de démarrage",)
        ),
        **scheme_words(
            "consolidator", "cog", GrantScheme.ERC_COG, french=("de consolidation",)
        ),
        "consolidator": {"scheme": GrantScheme.ERC_COG},
        **scheme_words("advanced", "adg", GrantScheme.ERC_ADG, french=("avancée",)),
        **scheme_words("synergy", "syg", GrantScheme.ERC_SYG, french=("de synergie",)),
        **dict.fromkeys(("synergy", "synergie"), {"scheme": GrantScheme.ERC_SYG}),
        **scheme_words("proof of concept", "poc", GrantScheme.ERC_POC),
        **dict.fromkeys(
            ("proof of concept", "preuve de concept", "preuves de concept"),
            {"scheme": GrantScheme.ERC_POC},
        ),
        **dict.fromkeys(
            (
                "postdoctoral",
                "postdoctoral fellowship",
                "postdoctoral fellowships",
                "fellowship",
                "fellowships",
                "individual fellowship",
                "individual fellowships",
                "bourse postdoctorale",
                "bourses postdoctorales",
                "bourse individuelle",
                "bourses individuelles",
            ),
            {"scheme__in": [GrantScheme.MSCA_PF, GrantScheme.MSCA_IF]},
        ),
        **dict.fromkeys(
            (
                "itn",
                "doctoral network",
                "doctoral networks",
                "msca doctoral",
                "innovative training network",
                "innovative training networks",
                "réseau doctoral",
                "réseaux doctoraux",
                "réseau de formation innovant",
                "réseaux de formation innovants",
            ),
            {"scheme__in": [GrantScheme.MSCA_DN, GrantScheme.MSCA_ITN]},
        ),
        **dict.fromkeys(
            (
                "msca rise",
                "staff exchange",
                "staff exchanges",
                "msca se",
                "échange de personnel",
                "échanges de personnel",
            ),
            {"scheme__in": [GrantScheme.MSCA_SE, GrantScheme.MSCA_RISE]},
        ),
        "cofund": {"scheme": GrantScheme.MSCA_COFUND},
    }

    def publication_holds(self):
        """A grant whose laureate is still CORDIS's placeholder waits for its own."""
        placeholder = Q(
            **{
                f"laureate__{name}": value
                for name, value in PLACEHOLDER_LAUREATE.items()
            }
        )
        return [(placeholder, PLACEHOLDER_LAUREATE_HOLD)]

    def kind_phrases(self) -> dict[tuple[str, ...], dict]:
        return {
            **panel_phrases(),
            **call_year_phrases(),
            **super().kind_phrases(),
        }

    def for_list(self):
        """Return grants with their laureate, institute and programme, in one query."""
        return self.select_related("laureate", "institute", "programme", "unit")

    def erc(self):
        return self.filter(scheme__in=GrantScheme.erc())

    def msca(self):
        return self.filter(scheme__in=GrantScheme.msca())

    def held_in_country(self, code: str):
        """Return the grants held in the published joint units of the country
        ``code``: those its page lists.

        By the units' ids, read once per content version: a join on the unit's
        country walked every grant in date order (``country_records``).
        """
        units = Unit.objects.public().in_country(code).order_by().values_list("pk")
        return self.filter(unit__in=[pk for (pk,) in cached_rows(units)])

    def country_counts(self) -> dict[str, int]:
        """Return how many of these grants the published joint units of each
        country hold, read once per content version."""
        rows = (
            self.filter(unit__publication_status=PublicationStatus.PUBLISHED)
            .order_by()
            .values_list("unit__country")
            .annotate(count=Count("pk"))
        )
        return dict(cached_rows(rows))

    def per_year(self):
        """Return ``{"call_year", "count"}`` rows, oldest first, in one query."""
        return (
            self.order_by()
            .values("call_year")
            .annotate(count=Count("pk"))
            .order_by("call_year")
        )


class Grant(MovableAddressMixin, PublishableModel):
    """An individual ERC or MSCA grant held at the CNRS."""

    scheme = models.CharField(_("scheme"), max_length=20, choices=GrantScheme.choices)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="grants",
        help_text=_(
            "The programme of its scheme: the ERC for ERC grants, the MSCA for "
            "Marie Skłodowska-Curie grants."
        ),
    )
    acronym = models.CharField(_("project acronym"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("project title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    laureate = models.ForeignKey(
        Person,
        verbose_name=_("laureate"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    host_laboratory = models.CharField(
        _("host laboratory"),
        max_length=255,
        blank=True,
        help_text=_("e.g. UMR 8553 – LPENS."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("joint unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grants",
        help_text=_("When the grant is held in one of the joint units abroad."),
    )
    institute = models.ForeignKey(
        Institute,
        verbose_name=_("institute"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
    )
    panel = models.CharField(
        _("ERC panel"),
        max_length=5,
        choices=ErcPanel.choices,
        blank=True,
    )
    call_year = models.PositiveSmallIntegerField(
        _("call year"),
        db_index=True,
        # The check constraint's bound and message, for the admin's form.
        validators=[MinValueValidator(FIRST_CALL_YEAR, message=FIRST_CALLS_MESSAGE)],
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    amount = models.DecimalField(
        _("EU contribution (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cordis_id = models.CharField(_("CORDIS project id"), max_length=12, blank=True)

    synthetic = synthetic_field()

    objects = GrantQuerySet.as_manager()

    # An MSCA grant with a panel: the panel is what to clear (the scheme, chosen
    # first, files the grant under its programme).
    constraint_fields = {
        "grant_ends_after_start": "end_date",
        "grant_panel_only_for_erc": "panel",
    }

    class Meta(PublishableModel.Meta):
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        # Acronyms case ignored, as units' (Unit.Meta). The id last: pages of a
        # list never share or skip a grant of the same call and acronym (projects
        # are ordered by acronym and id likewise).
        ordering = ["-call_year", Upper("acronym"), "id"]
        indexes = [
            *PublishableModel.Meta.indexes,
            # Not db_index, for the reason PublishableModel.Meta gives.
            models.Index(fields=["scheme"], name="grant_scheme"),
            models.Index(fields=["panel"], name="grant_panel"),
            # The list's order: its first page is read from here, not sorted from
            # a whole call year (25 ms at 100,000 grants).
            models.Index(
                models.F("call_year").desc(),
                Upper("acronym"),
                "id",
                name="grant_list_order",
            ),
            # The dashboard's grants ending soon, at each view.
            models.Index(fields=["end_date"], name="grant_end_date"),
            # The dashboard's grants missing a language (see Partner's).
            models.Index(
                fields=["id"],
                condition=translation_gap(("title", "summary")),
                name="grant_translation_gap",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cordis_id"],
                condition=~Q(cordis_id=""),
                name="grant_unique_cordis_id",
            ),
            models.CheckConstraint(
                condition=Q(cordis_id="") | Q(cordis_id__regex=CORDIS_ID_PATTERN),
                name="grant_cordis_id_well_formed",
                violation_error_message=_("A CORDIS project id is a number."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="grant_ends_after_start",
                violation_error_message=_("A grant cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="grant_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(call_year__gte=FIRST_CALL_YEAR),
                name="grant_call_year_since_2007",
                violation_error_message=FIRST_CALLS_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(panel="") | Q(scheme__startswith="erc_"),
                name="grant_panel_only_for_erc",
                violation_error_message=_("Only ERC grants have a panel."),
            ),
        ]

    def __str__(self):
        scheme = choice_label(self._meta.get_field("scheme"), self.scheme)
        return f"{self.acronym} ({scheme}, {self.call_year})"

    def get_absolute_url(self):
        return detail_url("programmes:grant-detail", "slug", self.slug)

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.publication_status == PublicationStatus.PUBLISHED
            and self.has_placeholder_laureate
        ):
            errors["laureate"] = PLACEHOLDER_LAUREATE_HOLD
        if self.programme_id is not None and self.scheme in GrantScheme.values:
            slug = self.programme.slug
            if slug in FAMILY_PROGRAMME_ERRORS and slug != scheme_family(self.scheme):
                errors["programme"] = FAMILY_PROGRAMME_ERRORS[slug]
        # A grant is awarded by its call: it cannot start before the call's year.
        start = self.start_date
        if start is not None and self.call_year and self.call_year > start.year:
            errors["call_year"] = ValidationError(
                _(
                    "The call year cannot be later than the year the grant starts "
                    "(%(year)s)."
                ),
                code="call_after_start",
                params={"year": start.year},
            )
        if self.unit_id is not None and (error := self.unit_lifetime_error()):
            errors["unit"] = error
        if errors:
            raise ValidationError(errors)

    def unit_lifetime_error(self) -> ValidationError | None:
        """Say why the joint unit cannot hold this grant, or None: it closed before
        the grant started (the call year when the start is not known: it cannot
        start earlier), or was created after it ended. A grant moving to a unit
        created while it runs, or staying in one closing, is the laureate's life."""
        unit = self.unit
        start = self.start_date.year if self.start_date else self.call_year
        if unit.closure_year and start and unit.closure_year < start:
            return ValidationError(
                _(
                    "This joint unit closed in %(closed)s, before the grant started "
                    "(%(year)s): choose the unit that holds it, or none."
                ),
                code="unit_closed_before",
                params={"closed": unit.closure_year, "year": start},
            )
        end = self.end_date
        if unit.creation_year and end and unit.creation_year > end.year:
            return ValidationError(
                _(
                    "This joint unit was created in %(created)s, after the grant "
                    "ended (%(year)s): choose the unit that held it, or none."
                ),
                code="unit_created_after",
                params={"created": unit.creation_year, "year": end.year},
            )
        return None

    @property
    def has_placeholder_laureate(self) -> bool:
        """Whether the laureate is still CORDIS's placeholder, to be replaced."""
        return self.laureate_id is not None and self.laureate.is_placeholder

    @property
    def is_erc(self) -> bool:
        return self.scheme.startswith("erc_")


# A unit's years refuse what would leave a grant it holds outside them.
GRANTS_NAMED = 3


def grants_left_outside(unit, created, closed) -> dict[str, ValidationError]:
    """Say which grants held in ``unit`` its new years would leave outside its
    lifetime, where the years stored (``created``, ``closed``) did not: by the
    rule of ``Grant.unit_lifetime_error``. Registered in
    ``units.models.LIFETIME_CHECKS``."""
    grants = unit.grants.annotate(
        started=Coalesce(
            ExtractYear("start_date"), "call_year", output_field=IntegerField()
        )
    ).order_by("started", "pk")
    errors = {}
    if unit.closure_year and unit.closure_year != closed:
        late = grants.filter(started__gt=unit.closure_year)
        if closed:  # already outside: not this change's doing
            late = late.exclude(started__gt=closed)
        if message := grants_named(
            late,
            lambda count: ngettext(
                "%(count)s grant held in this unit started after %(year)s: "
                "%(grants)s. Give it the unit that holds it first, or correct "
                "the year.",
                "%(count)s grants held in this unit started after %(year)s: "
                "%(grants)s. Give them the unit that holds them first, or "
                "correct the year.",
                count,
            ),
            unit.closure_year,
        ):
            errors["closure_year"] = ValidationError(message, code="grants_after")
    if unit.creation_year and unit.creation_year != created:
        early = grants.filter(end_date__year__lt=unit.creation_year)
        if created:
            early = early.exclude(end_date__year__lt=created)
        if message := grants_named(
            early.order_by("end_date", "pk"),
            lambda count: ngettext(
                "%(count)s grant held in this unit ended before %(year)s: "
                "%(grants)s. Give it the unit that held it first, or correct "
                "the year.",
                "%(count)s grants held in this unit ended before %(year)s: "
                "%(grants)s. Give them the unit that held them first, or "
                "correct the year.",
                count,
            ),
            unit.creation_year,
        ):
            errors["creation_year"] = ValidationError(message, code="grants_before")
    return errors


def grants_named(grants, message, year: int) -> str:
    """Return ``message(count)`` naming the first ``GRANTS_NAMED`` of
    ``grants``, or "" when there is none."""
    named = list(grants[: GRANTS_NAMED + 1])
    if not named:
        return ""
    count = len(named) if len(named) <= GRANTS_NAMED else grants.count()
    listed = ", ".join(str(grant) for grant in named[:GRANTS_NAMED])
    if (others := count - GRANTS_NAMED) > 0:
        listed = ngettext(
            "%(grants)s and %(count)d other", "%(grants)s and %(count)d others", others
        ) % {"grants": listed, "count": others}
    return message(count) % {"count": count, "year": year, "grants": listed}


class ProjectKind(models.TextChoices):
    EU_PROJECT = "eu_project", _("European collaborative project")
    IRP = "irp", _("International Research Project (IRP)")
    IRN = "irn", _("International Research Network (IRN)")
    IEA = "iea", _("International Emerging Action (IEA)")


# The CNRS's cooperation tools: a project of one belongs to the tool's programme,
# whose slug is the kind's ("irp"), and no European programme funds it; a European
# project belongs to no CNRS tool. The programme's kind says which it is.
CNRS_TOOL_PROJECTS = (ProjectKind.IRP, ProjectKind.IRN, ProjectKind.IEA)
EUROPEAN_PROGRAMMES = (ProgrammeKind.FRAMEWORK, ProgrammeKind.EU_SCHEME)


class SocietalChallenge(models.TextChoices):
    HEALTH = "health", _("Health, demographic change and wellbeing")
    BIOECONOMY = (
        "bioeconomy",
        _("Food security, sustainable agriculture, marine research and the bioeconomy"),
    )
    ENERGY = "energy", _("Secure, clean and efficient energy")
    TRANSPORT = "transport", _("Smart, green and integrated transport")
    CLIMATE = (
        "climate",
        _("Climate action, environment, resource efficiency and raw materials"),
    )
    SOCIETIES = (
        "societies",
        _("Europe in a changing world: inclusive, innovative and reflective societies"),
    )
    SECURITY = "security", _("Secure societies")


class CnrsRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTICIPANT = "participant", _("Participant")


class ProjectQuerySet(ProgrammeRecordsQuerySet):
    text_fields = ("acronym", "title_fr", "title_en")
    document_fields = {"french": ("summary_fr",), "english": ("summary_en",)}
    title_field = "title"
    kind_words = dict.fromkeys(("projet", "projets", "project", "projects"), {})

    def for_list(self):
        return self.select_related("programme")

    def for_api_list(self):
        """Return projects with what the API's list gives of each: besides the
        list page's programme, their participants' countries
        (``Project.participant_countries``), read for the whole page in one
        query."""
        return self.for_list().prefetch_related(
            models.Prefetch(
                "participations",
                queryset=ProjectParticipant.objects.only(
                    "project", "country", "partner_country"
                ),
            )
        )

    united_by_subqueries = True

    def country_condition(self, country_code: str) -> Q:
        """A project is in its participants' countries (``with_participant_in``)."""
        return Q(pk__in=participating_projects(country_code))

    @per_model
    def region_conditions(self) -> dict[tuple[str, ...], Q]:
        """A project is in the regions of its participants' countries ("projets
        en Afrique")."""
        return {
            phrase: Q(pk__in=participating_projects(countries))
            for phrase, countries in region_phrases().items()
        }

    def for_detail(self):
        """Return projects with their participants and units, in fixed queries."""
        return self.select_related("programme").prefetch_related(
            models.Prefetch(
                "participations",
                queryset=ProjectParticipant.objects.select_related("partner"),
            ),
            "units",
        )

    def for_public_detail(self):
        """Return projects with their participants and published units only."""
        return self.select_related("programme").prefetch_related(
            models.Prefetch(
                "participations",
                queryset=ProjectParticipant.objects.select_related("partner"),
            ),
            models.Prefetch("units", queryset=Unit.objects.public()),
        )

    def with_participant_in(self, country_code: str):
        """Return the projects with a participant in the country ``country_code``.

        A participation's own country, when recorded, wins over its institution's.
        Through a subquery of the participations' country index
        (``participating_projects``), not the list of their ids: with a text
        searched, PostgreSQL walked 2,200 Brazilian projects by their ids computing
        each one's text vector, twice, instead of reading the text index (at full
        size, /fr/projects/?q=ocean&country=BR 631 -> 47 ms; ?country=BR alone
        70 -> 46 ms).
        """
        return self.filter(self.country_condition(country_code))

    def country_counts(self) -> dict[str, int]:
        """Return how many of these projects have a participant in each country,
        read once per content version.

        A participation's own country, when recorded, wins over its institution's,
        as ``with_participant_in`` finds them; from the participations alone.
        """
        rows = (
            ProjectParticipant.objects.filter(project__in=self.order_by().values("pk"))
            .annotate(participation_country=participation_country())
            .order_by()
            .values("participation_country")
            .annotate(count=Count("project", distinct=True))
            .values_list("participation_country", "count")
        )
        return {code: count for code, count in cached_rows(rows) if code}


def participating_projects(country_code: str | list[str]):
    """Return the ids of the projects with a participant in ``country_code`` (or
    one of several), as a query: a participation's own country, else its
    institution's.

    From the participations alone, by the index of their countries
    (``participation_country``): the partners' country is copied on them.
    """
    codes = [country_code] if isinstance(country_code, str) else country_code
    return (
        ProjectParticipant.objects.annotate(
            participation_country=participation_country()
        )
        .filter(participation_country__in=codes)
        .order_by()
        .values_list("project_id", flat=True)
        .distinct()
    )


def participation_country():
    """Return the country a participant takes part from: its own, else its
    institution's (kept on the participation, ``partner_country``)."""
    return Coalesce(NullIf("country", Value("")), "partner_country")


class Project(MovableAddressMixin, WebsiteLinkMixin, PublishableModel):
    """A collaborative project: an EU project or a CNRS IRP, IRN or IEA."""

    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    acronym = models.CharField(_("acronym"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    societal_challenge = models.CharField(
        _("societal challenge"),
        max_length=20,
        choices=SocietalChallenge.choices,
        blank=True,
    )
    cnrs_role = models.CharField(
        _("CNRS role"), max_length=20, choices=CnrsRole.choices, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    total_cost = models.DecimalField(
        _("total cost (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    eu_contribution = models.DecimalField(
        _("EU contribution (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    researcher_count = models.PositiveIntegerField(
        _("researchers"), null=True, blank=True
    )
    country_count = models.PositiveSmallIntegerField(
        _("countries"),
        null=True,
        blank=True,
        help_text=_(
            "As published by the project, when not every participant is recorded."
        ),
    )
    industrial_partner_count = models.PositiveSmallIntegerField(
        _("industrial partners"), null=True, blank=True
    )
    participants = models.ManyToManyField(
        Partner,
        through="ProjectParticipant",
        verbose_name=_("participants"),
        related_name="projects",
        blank=True,
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("joint units"), related_name="projects", blank=True
    )
    website = website_field()
    cordis_id = models.CharField(_("CORDIS project id"), max_length=12, blank=True)

    synthetic = synthetic_field()

    objects = ProjectQuerySet.as_manager()

    constraint_fields = {
        "project_ends_after_start": "end_date",
        "project_eu_contribution_within_total_cost": "eu_contribution",
    }

    class Meta(PublishableModel.Meta):
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        # Acronyms case ignored, as units' (Unit.Meta), then the id.
        ordering = [Upper("acronym"), "id"]
        indexes = [
            *PublishableModel.Meta.indexes,
            # The lists' order: a page is read from here, not sorted from 20,000.
            models.Index(Upper("acronym"), "id", name="project_list_order"),
            # The dashboard's projects missing a language (see Partner's).
            models.Index(
                fields=["id"],
                condition=translation_gap(("title", "summary")),
                name="project_translation_gap",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cordis_id"],
                condition=~Q(cordis_id=""),
                name="project_unique_cordis_id",
            ),
            models.CheckConstraint(
                condition=Q(cordis_id="") | Q(cordis_id__regex=CORDIS_ID_PATTERN),
                name="project_cordis_id_well_formed",
                violation_error_message=_("A CORDIS project id is a number."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("A project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(total_cost__isnull=True) | Q(total_cost__gte=0),
                name="project_total_cost_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(eu_contribution__isnull=True) | Q(eu_contribution__gte=0),
                name="project_eu_contribution_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            # The EU funds a share of the costs, at most all of them.
            models.CheckConstraint(
                condition=Q(total_cost__isnull=True)
                | Q(eu_contribution__isnull=True)
                | Q(eu_contribution__lte=models.F("total_cost")),
                name="project_eu_contribution_within_total_cost",
                violation_error_message=_(
                    "The EU contribution cannot be greater than the total cost."
                ),
            ),
        ]

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return detail_url("programmes:project-detail", "slug", self.slug)

    @property
    def has_ended(self) -> bool:
        """Whether the project ended before today (the local date): its page then
        speaks of it in the past."""
        return bool(self.end_date) and self.end_date < timezone.localdate()

    @property
    def participants_partly_listed(self) -> bool:
        """Whether the participants listed come from fewer countries than the
        project's count of its countries says: then the list is partial (the demo's
        Tascmar, 8 countries, lists its partner in Israel). From the participations
        prefetched by its page."""
        listed = self.participant_countries
        return bool(self.country_count) and len(listed) < self.country_count

    @property
    def participant_countries(self) -> list[str]:
        """The codes of the countries its participants take part from, sorted: a
        participation's own country, else its institution's
        (``participation_country``, which the country filter reads). From the
        participations prefetched."""
        return sorted(
            {
                code
                for participation in self.participations.all()
                if (
                    code := (
                        participation.country or participation.partner_country
                    ).code
                )
            }
        )

    @property
    def programme_beyond_kind(self):
        """The programme, unless the kind names it already.

        A CNRS tool's projects belong to the tool's programme, whose slug is the
        kind's: "International Research Network (IRN) · IRN" said it twice.
        """
        return None if self.programme.slug == self.kind else self.programme

    def clean(self):
        super().clean()
        if self.programme_id is not None and self.kind in ProjectKind.values:
            error = self.programme_error(self.programme)
            if error is not None:
                raise ValidationError({"programme": error})

    def programme_error(self, programme) -> ValidationError | None:
        """Say why ``programme`` does not fund a project of this kind, or None."""
        params = {"programme": programme}
        if programme.slug in CNRS_TOOL_PROJECTS and programme.slug != self.kind:
            return ValidationError(
                _(
                    "Only %(kind)s projects belong to the %(programme)s programme: "
                    "file this one under the programme of its kind."
                ),
                code="programme_of_another_kind",
                params={**params, "kind": programme.slug.upper()},
            )
        if self.kind in CNRS_TOOL_PROJECTS and programme.kind in EUROPEAN_PROGRAMMES:
            return ValidationError(
                _(
                    "%(programme)s is a European programme: it does not fund the "
                    "CNRS’s cooperation tools (IRP, IRN, IEA). File this project "
                    "under the programme of its kind."
                ),
                code="european_programme",
                params=params,
            )
        if (
            self.kind == ProjectKind.EU_PROJECT
            and programme.kind == ProgrammeKind.CNRS_TOOL
        ):
            return ValidationError(
                _(
                    "%(programme)s is a CNRS cooperation tool: it does not fund "
                    "European collaborative projects. File this project under its "
                    "European programme."
                ),
                code="cnrs_tool_programme",
                params=params,
            )
        return None


# CORDIS rounds each participant's EU contribution (to the euro, or the cent): the
# shares may add up to a little more than the project's whole, a euro a share.
ROUNDING_PER_SHARE = Decimal("1")


# The code of ProjectParticipant.clean's refusal of one share above the project's,
# which the CORDIS import reports instead (programmes.services).
SHARE_ABOVE_THE_PROJECT = "more_than_the_project"


def contributions_excess(whole: Decimal | None, shares) -> Decimal | None:
    """Return the sum of the participants' ``shares`` when it passes the project's
    EU contribution ``whole`` by more than their rounding, else None."""
    shares = [share for share in shares if share is not None]
    if whole is None or not shares:
        return None
    total = sum(shares, Decimal(0))
    return total if total > whole + ROUNDING_PER_SHARE * len(shares) else None


CNRS_COORDINATES_MESSAGE = _(
    "The CNRS coordinates this project (its CNRS role): another institution "
    "cannot coordinate it too."
)


class ParticipantRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTICIPANT = "participant", _("Participant")
    ASSOCIATED_PARTNER = "associated_partner", _("Associated partner")
    THIRD_PARTY = "third_party", _("Third party")


class ProjectParticipant(ConstraintErrorsMixin, ChoiceLabelsMixin, models.Model):
    """An institution taking part in a project, with its role."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="project_participations",
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )
    country = CountryField(
        _("country"),
        blank=True,
        help_text=_(
            "Country of participation, when it differs from the institution's."
        ),
    )
    # The institution's country, a copy the database keeps in step (triggers,
    # migration programmes 0012): a participation's country is its own, else
    # this one, and counting participations per country reads this table alone,
    # where a join to every partner took 0.45 s at a million partners.
    partner_country = CountryField(
        _("institution's country"), blank=True, editable=False
    )
    eu_contribution = models.DecimalField(
        _("EU contribution (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Set by the CORDIS import: a participant it listed and CORDIS no longer does
    # has left the project; one staff added by hand is theirs to remove.
    from_cordis = models.BooleanField(
        _("listed by CORDIS"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("project participant")
        verbose_name_plural = _("project participants")
        ordering = ["pk"]
        # A country's participations (participating_projects).
        indexes = [models.Index(participation_country(), name="participation_country")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "partner"], name="project_participant_unique_partner"
            ),
            models.CheckConstraint(
                condition=Q(eu_contribution__isnull=True) | Q(eu_contribution__gte=0),
                name="project_participant_contribution_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            # A project has one coordinator: one participant's row at most, and
            # none when the CNRS coordinates it (Project.cnrs_role: that half of
            # the rule is the triggers of migration 0019, as it spans two tables).
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role=ParticipantRole.COORDINATOR),
                name="project_one_coordinating_participant",
                violation_error_message=_(
                    "Another institution coordinates this project already: a "
                    "project has one coordinator."
                ),
            ),
        ]

    # Written by the database (triggers): versions neither compare nor restore it.
    derived_fields = ("partner_country",)

    constraint_fields = {"project_one_coordinating_participant": "role"}

    def __str__(self):
        return f"{self.partner} – {self.get_role_display()}"

    def combine_duplicate_row(self, other: "ProjectParticipant") -> list[str]:
        """Take in ``other``, this project's row for a partner merged into this
        row's (``merge_partners``): its coordination, and its EU contribution
        added to this one's, which dropping it lost. Return the fields changed."""
        changed = []
        if (
            other.role == ParticipantRole.COORDINATOR
            and self.role != ParticipantRole.COORDINATOR
        ):
            # Saved after ``other`` is deleted: the project keeps one coordinator.
            self.role = ParticipantRole.COORDINATOR
            changed.append("role")
        if self.eu_contribution is not None and other.eu_contribution is not None:
            self.eu_contribution += other.eu_contribution
            changed.append("eu_contribution")
        return changed

    def amounts_as_saved(self, project: Project) -> bool:
        """Whether this share and its ``project``'s EU contribution are those
        saved: a query, asked only of a share above the project's."""
        if self.pk is None or project.pk is None:
            return False
        return (
            type(self)
            ._base_manager.filter(
                pk=self.pk,
                project=project,
                eu_contribution=self.eu_contribution,
                project__eu_contribution=project.eu_contribution,
            )
            .exists()
        )

    def clean(self):
        super().clean()
        try:
            project = self.project
        except Project.DoesNotExist:  # a row not given its project yet
            return
        if (
            self.role == ParticipantRole.COORDINATOR
            and project.cnrs_role == CnrsRole.COORDINATOR
        ):
            # The code on the field's error: a dict's own code= is dropped.
            raise ValidationError(
                {
                    "role": ValidationError(
                        CNRS_COORDINATES_MESSAGE, code="cnrs_coordinates"
                    )
                }
            )
        # A participant's share is part of the project's EU contribution, but for
        # CORDIS's rounding of it. Checked in an edit of either amount only, as the
        # participants' sum is (the project admin's formset): the CORDIS import
        # keeps CORDIS's figures and names them, and such a project is not locked
        # for an edit of its title.
        if contributions_excess(
            project.eu_contribution, [self.eu_contribution]
        ) and not self.amounts_as_saved(project):
            # The code on the field's error: a dict's own code= is dropped.
            raise ValidationError(
                {
                    "eu_contribution": ValidationError(
                        _(
                            "A participant’s EU contribution cannot be greater "
                            "than the project’s: correct one or the other."
                        ),
                        code=SHARE_ABOVE_THE_PROJECT,
                    )
                }
            )
