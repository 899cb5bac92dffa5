import functools
import hashlib
import operator
import re
from functools import reduce

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Substr, Upper
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _, pgettext_lazy

from partners.addresses import detail_url
from partners.caching import cached_by_content, cached_rows, cached_rows_of
from partners.country_names import CountryField
from partners.models import (
    MovableAddressMixin,
    Partner,
    PlaceMixin,
    WebsiteLinkMixin,
    case_ignored_in_ordering,
    latest_plausible_year,
    translation_gap,
    website_field,
)
from partners.publication import (
    ChoiceLabelsMixin,
    PublicationStatus,
    PublishableModel,
    PublishableQuerySet,
    TimeStampedModel,
    coordinates_constraints,
    coordinates_fields,
    synthetic_field,
)
from partners.regions import countries_in
from partners.search import (
    ORCID_LINKS,
    SEARCH_WORDS,
    STOP_WORDS_FOLDED,
    best_named,
    holds_no_word,
    phrase_words,
    rank_by,
    shown_text,
    text_search,
    typed_words,
    without_address,
)
from partners.searchable import RELATED_MATCHES

ORCID_PATTERN = r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"
UNIT_CODE_PATTERN = r"^(IRL|UMI|UMIFRE|USR|UAR|UMR) [0-9]{1,5}$"
# An IRL keeps the number it had as a UMI: "UMI 3466" and "IRL 3466" are one unit.
IRL_CODE_PATTERN = re.compile(r"(IRL|UMI) ([0-9]{1,5})")
IRL_CODE_PREFIXES = ("IRL ", "UMI ")
IRL_CODES = Q(code__startswith="IRL ") | Q(code__startswith="UMI ")
# A unit's code as an address writes it: "irl-3757", "UMI3757", "umifre_19", or as
# printed, "IRL 3757" (its space, "%20", a no-break space, or the "+" some forms
# write for it: units.urls.UnitAddressConverter lets them reach the page).
ADDRESS_CODE = re.compile(r"(irl|umi|umifre|usr|uar|umr)[-_+\s]?0*([0-9]{1,5})", re.I)


def this_year() -> int:
    return timezone.now().year


def latest_creation_year() -> int:
    """Return the latest year a unit may be created: the next one.

    A unit is created by a decision of the CNRS and its partners, taking effect at
    the start of a year and entered once decided: next year's is planned, a later
    one a mistyped year (2062 for 2026). An active unit may give the year it is due
    to close further ahead (``latest_plausible_year``).
    """
    return this_year() + 1


def orcid_check_digit(digits: str) -> str:
    """Return the last character of the ORCID iD whose first 15 digits are given.

    ISO 7064 MOD 11-2, as ORCID computes it.
    """
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def validate_orcid_check_digit(value: str) -> None:
    """Refuse an ORCID iD whose last character is not its check digit: a typo."""
    digits = value.replace("-", "")
    if len(digits) != 16 or not digits[:15].isdigit():
        return  # the pattern's constraint says what is wrong with it
    if digits[15] != orcid_check_digit(digits[:15]):
        raise ValidationError(
            _(
                "The last character of this ORCID iD is not its check digit: "
                "look for a mistyped digit."
            ),
            code="orcid_check_digit",
        )


# Some Umifres carry on French institutes abroad founded in the 1920s.
EARLIEST_UNIT_YEAR = 1900
UNIT_YEAR_VALIDATORS = [
    MinValueValidator(EARLIEST_UNIT_YEAR),
    MaxValueValidator(latest_plausible_year),
]
CREATION_YEAR_VALIDATORS = [
    MinValueValidator(EARLIEST_UNIT_YEAR),
    MaxValueValidator(
        latest_creation_year,
        message=_(
            "A unit is created this year, or next year once decided: "
            "%(limit_value)s at the latest."
        ),
    ),
]
# The ISO 639-1 language codes (two letters); a page's lang attribute takes them.
ISO_639_1_CODES = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs
    cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv
    ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl
    km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt
    my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru
    rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn
    to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    """.split()
)


def validate_language_code(value: str) -> None:
    """Refuse anything but an ISO 639-1 code, in lower case (fr, en, ja)."""
    if value not in ISO_639_1_CODES:
        raise ValidationError(
            _("“%(value)s” is not an ISO 639-1 language code, such as fr or en."),
            code="invalid_language",
            params={"value": value},
        )


class Institute(WebsiteLinkMixin, TimeStampedModel):
    """One of the ten CNRS institutes that steer research."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=20, unique=True)
    website = website_field(max_length=200)

    class Meta:
        verbose_name = _("CNRS institute")
        verbose_name_plural = _("CNRS institutes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"


# The one person standing for every laureate CORDIS does not name, until staff
# choose the laureate (programmes.models.PLACEHOLDER_LAUREATE). Its stored name is
# English; ``Person.full_name`` shows it in the page's language.
PLACEHOLDER_PERSON = {
    "first_name": "CORDIS",
    "last_name": "(laureate to be completed)",
}


class Person(TimeStampedModel):
    """A unit director, a grant laureate or the author of a testimony."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    orcid = models.CharField(
        _("ORCID"),
        max_length=19,
        blank=True,
        help_text=_("Sixteen characters in four groups, e.g. 0000-0002-1825-0097."),
        validators=[validate_orcid_check_digit],
    )
    title = models.CharField(
        _("title or role"),
        max_length=255,
        blank=True,
        help_text=_("e.g. CNRS research director, chairman and CEO of the CNRS."),
    )

    synthetic = synthetic_field()

    # The identifiers a search finds a person's records by (the grants they hold,
    # the units they direct: ``related_identifier_condition``), as a
    # ``SearchableQuerySet``'s own (``identifier_patterns``).
    identifier_patterns = {"orcid": ORCID_PATTERN}

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="person_name"),
            # The dashboard's people missing a language (see Partner's).
            models.Index(
                fields=["id"],
                condition=translation_gap(("title",)),
                name="person_translation_gap",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["orcid"], condition=~Q(orcid=""), name="person_unique_orcid"
            ),
            models.CheckConstraint(
                condition=Q(orcid="") | Q(orcid__regex=ORCID_PATTERN),
                name="person_orcid_well_formed",
                violation_error_message=_("An ORCID reads 0000-0002-1825-0097."),
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.is_placeholder:
            # Stored in English (data): named in the language of the page.
            return gettext("CORDIS (laureate to be completed)")
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_placeholder(self) -> bool:
        """Whether this is the person standing for a laureate CORDIS does not name."""
        return all(
            getattr(self, name) == value for name, value in PLACEHOLDER_PERSON.items()
        )

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""

    @staticmethod
    def bare_identifier(text: str) -> str:
        """Return the ORCID iD ``text`` may be, as it is stored: pasted as its
        link ("https://orcid.org/0000-0002-1825-0097") or named ("ORCID …"),
        its check digit typed "x" too."""
        return without_address(text, ORCID_LINKS).upper()


class UnitKind(models.TextChoices):
    IRL = "irl", _("International Research Laboratory (IRL, formerly UMI)")
    UMIFRE = "umifre", _("Joint unit of French research institutes abroad (Umifre)")


class UnitStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("unit status", "Active")
    CLOSED = "closed", pgettext_lazy("unit status", "Closed")


def institute_phrases(key: str, records_of) -> dict[tuple[str, ...], dict]:
    """Return the CNRS institutes' codes and names as a search types them
    (``word_sequence``, stop words left out: "INC", "Institute of Chemistry"),
    each with the filter of its records, ``records_of(institute ids)``'s
    {institute id: filter}. Read once per content version and ``key``."""

    def read():
        filters = institute_filters(key, records_of)
        phrases = {}
        for institute in institute_rows():
            names = (institute.code, institute.name_fr, institute.name_en)
            for name in filter(None, names):
                if words := phrase_words(name):
                    phrases[words] = filters.get(institute.pk, {"pk__in": []})
        return phrases

    return cached_by_content(f"institute-phrases:{key}", read)


def institute_rows() -> list:
    """Return the CNRS institutes, read once per content version."""
    return cached_rows_of(institutes_by_id)


def institutes_by_id():
    """Every CNRS institute, by id (``institute_rows``)."""
    return Institute.objects.order_by("pk")


def institute_filters(key: str, records_of) -> dict[int, dict]:
    """Return ``records_of(institute ids)``: the filter of each institute's
    records, by institute id. Read once per content version and ``key``."""

    def read():
        return records_of([institute.pk for institute in institute_rows()])

    return cached_by_content(f"institute-filters:{key}", read)


# A word names the institutes whose names hold it in some form, when it names two
# at most: "physique" the INP and the IN2P3; "sciences" names six.
INSTITUTES_A_WORD_NAMES = 2


def institutes_named_by_a_word(text: str) -> list[int]:
    """Return the ids of the institutes the one word of ``text`` (stop words
    aside) names in some form ("biology": the Institute of Biological Sciences;
    "chimie": the Institut de chimie), or none (``INSTITUTES_A_WORD_NAMES``).

    The whole names and codes are kind phrases (``institute_phrases``); a word
    alone is matched here, its other forms too, as the global search names the
    institutes (``best_named``)."""
    words = [word for word in typed_words(text) if word not in STOP_WORDS_FOLDED]
    if len(words) != 1:
        return []
    names = tuple(
        (institute.pk, institute.name_fr, institute.name_en)
        for institute in institute_rows()
    )
    return list(_institutes_named_by(words[0], names))


@functools.lru_cache(maxsize=1024)
def _institutes_named_by(word: str, names: tuple) -> tuple[int, ...]:
    """Return ``institutes_named_by_a_word`` of ``word`` among the institutes'
    ``names`` (id, French name, English name): the global search asks once for
    each kind of record it searches, five times a search."""
    named = best_named(
        word, names, lambda institute: institute[1:], slips=False, stems=True
    )
    if len(named) > INSTITUTES_A_WORD_NAMES:
        return ()
    return tuple(pk for pk, *_names in named)


class NamedByInstitutes:
    """A QuerySet mixin: the CNRS institutes named find their records, as kinds
    do, by their codes and whole names (``institute_phrases``) or one word of
    their names in some form ("chemistry", "biologie": the INC's, the INSB's).

    ``institutes_key`` names the records in the cache; ``filters_of_institutes``
    gives the filter of each institute's records, by institute id.
    """

    institutes_key = ""

    @staticmethod
    def filters_of_institutes(institutes: list[int]) -> dict[int, dict]:
        raise NotImplementedError

    def kind_phrases(self) -> dict[tuple[str, ...], dict]:
        return {
            **institute_phrases(self.institutes_key, self.filters_of_institutes),
            **super().kind_phrases(),
        }

    def kind_named(self, text: str) -> tuple[Q, str] | None:
        named = super().kind_named(text)
        if named is not None or not (institutes := institutes_named_by_a_word(text)):
            return named
        filters = institute_filters(self.institutes_key, self.filters_of_institutes)
        condition = reduce(
            operator.or_, (Q(**filters.get(pk, {"pk__in": []})) for pk in institutes)
        )
        return condition, ""


def units_by_institute(_institutes: list[int]) -> dict[int, dict]:
    """Return the filter of the units each institute leads or counts among its
    others, by institute id: their ids (a few hundred), read in two queries."""
    units: dict[int, set[int]] = {}
    for institute, unit in Unit.objects.values_list("lead_institute", "pk"):
        units.setdefault(institute, set()).add(unit)
    through = Unit.secondary_institutes.through.objects.values_list("institute", "unit")
    for institute, unit in through:
        units.setdefault(institute, set()).add(unit)
    return {institute: {"pk__in": sorted(ids)} for institute, ids in units.items()}


def units_quoting(people: list[int]) -> list[int]:
    """Return the ids of the units whose published testimonies quote one of
    ``people``, read once per content version.

    As ids, not a subquery: PostgreSQL cannot read a subquery ORed with the
    search's other conditions from an index, and parsed every unit's
    description instead (550 ms for "chine" at 5,000 units, 2 ms as ids).
    """
    digest = hashlib.sha256(",".join(map(str, sorted(people))).encode()).hexdigest()
    return cached_by_content(
        f"units-quoting:{digest}",
        lambda: sorted(
            set(
                Testimony.objects.public()
                .filter(person__in=people, unit__isnull=False)
                .values_list("unit", flat=True)
            )
        ),
    )


# What names a partner institution, for the units it is a partner of: not its city
# ("Bruxelles" found the units of Solvay, whose seat is there).
PARTNER_NAMES = ("name_fr", "name_en", "original_name", "acronym")


def units_partnered_with(text: str, whole_words: bool = False) -> list[int]:
    """Return the ids of the units one of whose published partner institutions
    ``text`` names ("AMU", "University of Tokyo", a ROR id: ``PARTNER_NAMES``,
    identifiers), when it names few of the units' partners: a word most of
    them hold ("université") names none, nor do words naming only kinds of
    partners or a country ("universités américaines"). Read once per content
    version.
    """
    # Letters alone ("%s%s%n": "s", "s", "n") start a word of most names.
    if Partner.objects.none().names_kinds_or_country_only(text) or all(
        len(word) < 2 for word in typed_words(text)
    ):
        return []
    digest = hashlib.sha256(f"{whole_words}:{text}".encode()).hexdigest()

    def read():
        names = text_search(text, PARTNER_NAMES, whole_words=whole_words)
        if (
            identified := Partner.objects.none().identifier_condition(text)
        ) is not None:
            names |= identified
        # Among the units' partners (10,000 at full size), not the million:
        # counting every partner holding "université" took 300 ms. Their
        # stored texts first (``matching``), then their names.
        partners = (
            Partner.objects.public()
            .filter(pk__in=UnitPartnership.objects.values("partner"))
            .matching(text, whole_words)
            .filter(names)
            .order_by()
            .values_list("pk", flat=True)
        )
        ids = list(partners[: RELATED_MATCHES + 1])
        if len(ids) > RELATED_MATCHES:
            return []
        return sorted(
            set(
                UnitPartnership.objects.filter(partner__in=ids).values_list(
                    "unit", flat=True
                )
            )
        )

    return cached_by_content(f"units-partnered:{digest}", read)


class UnitQuerySet(NamedByInstitutes, PublishableQuerySet):
    # What the free-text search looks in: both languages, whatever the active one.
    # An institute named finds the units it leads or counts among its others
    # ("INC", "Institute of Chemistry", "chimie").
    institutes_key = "units"
    filters_of_institutes = staticmethod(units_by_institute)
    text_fields = ("name_fr", "name_en", "acronym", "code", "city_fr", "city_en")
    document_fields = {
        "french": ("description_fr", "themes_fr"),
        "english": ("description_en", "themes_en"),
    }
    # A unit's page names its director: "Kheddar" finds the JRL.
    related_text_fields = ("director", ("first_name", "last_name"))

    def address_identifier_condition(self, address_part: str) -> Q | None:
        """A unit named in an address by its code ("irl-3757", "UMI3757",
        "umifre-19", "IRL 3757"), current or former; an IRL by its number as a UMI
        too."""
        match = ADDRESS_CODE.fullmatch(address_part)
        if match is None:
            return None
        prefix, number = match.group(1).upper(), int(match.group(2))
        prefixes = IRL_CODE_PREFIXES if f"{prefix} " in IRL_CODE_PREFIXES else ()
        codes = [f"{each}{number}" for each in prefixes] or [f"{prefix} {number}"]
        return Q(code__in=codes) | Q(predecessor_code__in=codes)

    code_fields = ("acronym", "code")
    country_field = "country"
    kind_words = {
        **dict.fromkeys(
            (
                "unité",
                "unités",
                "unit",
                "units",
                "laboratoire",
                "laboratoires",
                "laboratory",
                "laboratories",
                "labo",
                "labos",
                "lab",
                "labs",
            ),
            {},
        ),
        # Joint units, as people call them: the Umifre are joint units too
        # ("unités mixtes des instituts français de recherche à l'étranger").
        **dict.fromkeys(
            (
                "joint unit",
                "joint units",
                "unité mixte",
                "unités mixtes",
            ),
            {},
        ),
        # The kinds by their names and acronyms: "umifre" named no unit when none
        # was published, and offered every IRL as a close record. The IRLs by
        # their former name too (UMI, "unité mixte internationale"), and as
        # people say it: "laboratoires internationaux au Japon" named every
        # laboratory in Japan holding "international", LINK but not the JRL.
        **dict.fromkeys(
            (
                "irl",
                "irls",
                "umi",
                "umis",
                "international research laboratory",
                "international research laboratories",
                "international laboratory",
                "international laboratories",
                "international joint unit",
                "international joint units",
                "laboratoire de recherche international",
                "laboratoires de recherche internationaux",
                "laboratoire international",
                "laboratoires internationaux",
                "unité mixte internationale",
                "unités mixtes internationales",
            ),
            {"kind": UnitKind.IRL},
        ),
        **dict.fromkeys(
            (
                "umifre",
                "umifres",
                "french research institute abroad",
                "french research institutes abroad",
                "institut français de recherche à l'étranger",
                "instituts français de recherche à l'étranger",
            ),
            {"kind": UnitKind.UMIFRE},
        ),
    }

    def related_to(self, ids: list[int]) -> Q:
        """A unit is found by its director's name, and by the names of the people
        its published testimonies quote: a journalist looks for the researcher
        they read."""
        return super().related_to(ids) | Q(pk__in=units_quoting(ids))

    def matching(self, text: str, whole_words: bool = False):
        """Return the units holding the words of ``text`` (``SearchableQuerySet``),
        and those one of whose partner institutions it names (``units_partnered_with``):
        "MIT" finds <MSE>2, whose texts need not say it."""
        matches = super().matching(text, whole_words)
        if holds_no_word(text) or not text.strip():
            return matches
        if partnered := units_partnered_with(text, whole_words):
            return matches | self.filter(pk__in=partnered)
        return matches

    def word_sources(self):
        """Add the names of partners: "Solvai" on the units list suggests "Solvay",
        which finds the units it is a partner of (``matching``)."""
        return {
            **super().word_sources(),
            SEARCH_WORDS[Partner._meta.db_table]: (
                Partner.objects.public(),
                Partner.objects.none().text_fields,
            ),
        }

    def for_list(self):
        """Return units with the institute a list row shows, and the director it
        shows when a search found their name."""
        return self.select_related("lead_institute", "director")

    def with_public_partners(self):
        """Return units with their published partner institutions
        (``public_partnerships``), one query for a page: a searched unit found by
        a partner's name says so (``matching``)."""
        return self.prefetch_related(
            models.Prefetch(
                "partnerships",
                queryset=UnitPartnership.objects.filter(
                    partner__publication_status=PublicationStatus.PUBLISHED
                ).select_related("partner"),
                to_attr="public_partnerships",
            )
        )

    def with_quoted_people(self):
        """Return units with their published testimonies and the people quoted
        (``quoting_testimonies``), one query for a page: a searched unit found by a
        person it quotes says so (``related_to``)."""
        return self.prefetch_related(
            models.Prefetch(
                "testimonies",
                queryset=Testimony.objects.public().select_related("person"),
                to_attr="quoting_testimonies",
            )
        )

    def for_api_list(self):
        """Return units with what the API's list gives of each: besides the list
        page's institute, the director (joined) and the secondary institutes (read
        for the whole page in one query)."""
        return (
            self.for_list()
            .select_related("director")
            .prefetch_related("secondary_institutes")
        )

    def for_detail(self):
        """Return units with every relation their page shows, in fixed queries."""
        return self.select_related("lead_institute", "director").prefetch_related(
            "secondary_institutes",
            models.Prefetch(
                "partnerships",
                queryset=UnitPartnership.objects.select_related("partner"),
            ),
        )

    def of_institutes(self, institutes):
        """Return the units led by one of ``institutes`` or attached to one."""
        attached = self.filter(
            Q(lead_institute__in=institutes) | Q(secondary_institutes__in=institutes)
        )
        # Through a subquery: the join gave a unit once per institute matched.
        return self.filter(pk__in=attached.values("pk"))

    def in_country(self, country_code: str):
        return self.filter(country=country_code)

    def for_public_page(self):
        """Return units with everything their public page shows, in fixed queries.

        Grants and projects belong to the programmes app, further up the layers:
        their models are reached through the relations, never imported. Only
        published grants, projects and testimonies are listed.
        """
        grant = self.model._meta.get_field("grants").related_model
        project = self.model._meta.get_field("projects").related_model
        return self.for_detail().prefetch_related(
            models.Prefetch(
                "grants",
                queryset=grant.objects.public().select_related("laureate"),
                to_attr="public_grants",
            ),
            models.Prefetch(
                "projects",
                queryset=project.objects.public().select_related("programme"),
                to_attr="public_projects",
            ),
            models.Prefetch(
                "testimonies",
                queryset=Testimony.objects.public().select_related("person"),
                to_attr="public_testimonies",
            ),
        )

    def with_institute(self, institute):
        """Return the units led by ``institute`` or counting it among the others."""
        # A subquery rather than a join on secondary_institutes: a join would repeat
        # a unit once per secondary institute and call for DISTINCT.
        secondary = self.model.secondary_institutes.through.objects.filter(
            institute=institute
        ).values("unit")
        return self.filter(Q(lead_institute=institute) | Q(pk__in=secondary))

    def in_region(self, region: str):
        """Return the units in the countries of ``region`` (a continent)."""
        return self.filter(country__in=countries_in(region))

    def country_counts(self) -> dict[str, int]:
        """Return how many units each country has, read once per content version.

        The unit list asks twice (its country choices, its map) for the same ~200 rows.
        """
        rows = self.order_by().values_list("country").annotate(count=Count("pk"))
        return dict(cached_rows(rows))

    def country_closed_counts(self) -> dict[str, tuple[int, int]]:
        """Return how many units each country has, and how many of them are
        closed, as ``(units, closed)``, in one query read once per content version."""
        rows = (
            self.order_by()
            .values_list("country")
            .annotate(
                count=Count("pk"),
                closed=Count("pk", filter=Q(status=UnitStatus.CLOSED)),
            )
        )
        return {code: (count, closed) for code, count, closed in cached_rows(rows)}

    def active(self):
        """Return the units at work, those closed left out."""
        return self.filter(status=UnitStatus.ACTIVE)

    def order_by_columns(self, columns: list[str], country_codes: list[str]):
        """Sort by each of ``columns`` in turn ("-" first: descending), then by
        acronym (case ignored) and id, so that pages never overlap.

        A name sorts as shown in the active language, accents and case ignored;
        a country by its name, the caller giving the codes already sorted by their
        name in the active language (django-countries translates them, none is
        stored); units of no known creation year come last either way.
        """
        terms = []
        for column in columns:
            field = column.removeprefix("-")
            descending = column.startswith("-")
            if field == "name":
                key = shown_text("name")
            elif field == "country":
                key = rank_by("country", country_codes)
            elif field in case_ignored_in_ordering(self.model):
                key = Upper(field)
            else:
                key = F(field)
            # A year may be unknown: last either way, where PostgreSQL sorts NULL
            # first when descending and SQLite when ascending. Only then: "NULLS
            # LAST" on a descending acronym would keep PostgreSQL off its index.
            nullable = isinstance(key, F) and self.model._meta.get_field(field).null
            way = {"nulls_last": True} if nullable else {}
            terms.append(key.desc(**way) if descending else key.asc(**way))
            if field == "country":
                terms.append(F("country").asc())  # codes not ranked, together
        fields = {column.removeprefix("-") for column in columns}
        if not fields & {"name", "acronym"}:
            # A name is as good as unique, and sorted by its index then by id.
            terms.append(Upper("acronym").asc())
        return self.order_by(*terms, "pk")


# What the records held in a unit say of new years: functions of the unit as
# edited and its years as stored (created, closed), returning {field: error}.
# The apps built on this one register theirs (programmes: the grants held in
# it), which this one cannot import.
LIFETIME_CHECKS: list = []


class Unit(MovableAddressMixin, PlaceMixin, WebsiteLinkMixin, PublishableModel):
    """A joint unit abroad: an International Research Laboratory or an Umifre."""

    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices)
    code = models.CharField(
        _("code"),
        max_length=20,
        blank=True,
        help_text=_('The CNRS code, e.g. "IRL 3757".'),
    )
    acronym = models.CharField(_("acronym"), max_length=50)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    themes = models.TextField(
        _("research themes"), blank=True, help_text=_("One theme per line.")
    )
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    latitude, longitude = coordinates_fields()
    partners = models.ManyToManyField(
        Partner,
        through="UnitPartnership",
        verbose_name=_("host and partner institutions"),
        related_name="units",
        blank=True,
    )
    lead_institute = models.ForeignKey(
        Institute,
        verbose_name=_("lead institute"),
        on_delete=models.PROTECT,
        related_name="led_units",
    )
    secondary_institutes = models.ManyToManyField(
        Institute,
        verbose_name=_("secondary institutes"),
        related_name="secondary_units",
        blank=True,
    )
    director = models.ForeignKey(
        Person,
        verbose_name=_("director"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directed_units",
    )
    # The role belongs to the unit: a person directing two units (an IRL and an
    # Umifre, an interim) has one title of their own (Person.title) for both.
    director_title = models.CharField(
        _("director’s title at this unit"),
        max_length=255,
        blank=True,
        help_text=_(
            "Shown after the director’s name on this unit’s page, e.g. “director "
            "since 2024”, “interim director”: no need to name the unit. Blank, the "
            "person’s own title is shown."
        ),
    )
    creation_year = models.PositiveSmallIntegerField(
        _("creation year"), null=True, blank=True, validators=CREATION_YEAR_VALIDATORS
    )
    closure_year = models.PositiveSmallIntegerField(
        _("closure year"), null=True, blank=True, validators=UNIT_YEAR_VALIDATORS
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=UnitStatus.choices,
        default=UnitStatus.ACTIVE,
    )
    predecessor_code = models.CharField(
        _("predecessor code"),
        max_length=20,
        blank=True,
        help_text=_('The code before a renewal or renaming, e.g. "UMI 3757".'),
    )
    website = website_field()

    synthetic = synthetic_field()

    objects = UnitQuerySet.as_manager()

    constraint_fields = {
        "unit_closes_after_creation": "closure_year",
        "unit_irl_code": "code",
        "unit_umifre_code": "code",
    }

    class Meta(PublishableModel.Meta):
        verbose_name = _("joint unit")
        verbose_name_plural = _("joint units")
        # Acronyms as read, case ignored: PostgreSQL (C.UTF-8) and SQLite sort by
        # code point, all capitals first ("TERRATECH2" before "Tascmar"). The id
        # last: pages never share or skip a unit of the same acronym.
        ordering = [Upper("acronym"), "id"]
        indexes = [
            *PublishableModel.Meta.indexes,
            # Not db_index, for the reason PublishableModel.Meta gives.
            models.Index(fields=["country"], name="unit_country"),
            # Lists read in this order: the home page's first units without a sort.
            models.Index(Upper("acronym"), "id", name="unit_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="unit_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(code="") | Q(code__regex=UNIT_CODE_PATTERN),
                name="unit_code_well_formed",
                violation_error_message=_(
                    'A unit code reads "IRL 3757" or "UMIFRE 19".'
                ),
            ),
            # The number: what follows "IRL " or "UMI ", from the fifth character.
            models.UniqueConstraint(
                Substr("code", 5),
                condition=IRL_CODES,
                name="unit_unique_irl_number",
                violation_error_message=_(
                    "Another unit has this number as a UMI or an IRL."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=UnitKind.IRL, code__startswith="UMIFRE "),
                name="unit_irl_code",
                violation_error_message=_(
                    'An IRL’s code reads "IRL 3757", or "UMI 3757" under its former '
                    'name: "UMIFRE …" is an Umifre’s.'
                ),
            ),
            models.CheckConstraint(
                condition=~(Q(kind=UnitKind.UMIFRE) & IRL_CODES),
                name="unit_umifre_code",
                violation_error_message=_(
                    'An Umifre’s code reads "UMIFRE 19": "IRL …" and "UMI …" are '
                    "those of IRLs."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closure_year__isnull=True)
                | Q(creation_year__isnull=True)
                | Q(closure_year__gte=models.F("creation_year")),
                name="unit_closes_after_creation",
                violation_error_message=_("A unit cannot close before it is created."),
            ),
            *coordinates_constraints("unit"),
        ]

    def __str__(self):
        return f"{self.acronym} ({self.code})" if self.code else self.acronym

    def closed_ahead(self) -> bool:
        """Whether the unit is closed in a year still to come."""
        closure = self.closure_year
        return (
            self.status == UnitStatus.CLOSED
            and isinstance(closure, int)
            and closure > this_year()
        )

    def clean_fields(self, exclude=None):
        # A closed unit's closure year ahead is told by clean(), which says why; the
        # field's own bound (an active unit's, years ahead) said it a second time,
        # in other words ("… 2031 at most") where 2030 got clean()'s alone.
        if self.closed_ahead():
            exclude = {*(exclude or ()), "closure_year"}
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        # An active unit may give the year it is due to close, not a past one.
        closure = self.closure_year
        if self.status == UnitStatus.ACTIVE and closure and closure < this_year():
            raise ValidationError(
                {
                    "closure_year": _(
                        "An active unit closes this year or later: set its status "
                        "to closed, or correct the year."
                    )
                },
                code="active_but_closed",
            )
        if self.status == UnitStatus.CLOSED and self.closure_year is None:
            raise ValidationError(
                {"closure_year": _("A closed unit gives the year it closed.")},
                code="closed_when",
            )
        # Read in addresses ("irl-3757" leads to the unit that was UMI 3757).
        former = self.predecessor_code
        if former and not re.fullmatch(UNIT_CODE_PATTERN, former):
            raise ValidationError(
                {
                    "predecessor_code": _(
                        'A unit code reads "UMI 3757", "IRL 3757" or "UMIFRE 19".'
                    )
                },
                code="predecessor_malformed",
            )
        if former and former == self.code:
            raise ValidationError(
                {
                    "predecessor_code": _(
                        "This is the unit’s code now: give the one it had before, "
                        "or leave it empty."
                    )
                },
                code="predecessor_itself",
            )
        # A year ahead is the one an active unit is due to close.
        if self.closed_ahead():
            raise ValidationError(
                {
                    "closure_year": _(
                        "A closed unit closed this year or before: set its status "
                        "to active, or correct the year."
                    )
                },
                code="closed_ahead",
            )
        self.check_records_held()

    def check_records_held(self):
        """Refuse new years that would leave records held in the unit outside its
        lifetime, which the years stored did not (``LIFETIME_CHECKS``): a grant
        edited after would be refused for a unit it did not choose."""
        if self.pk is None or not LIFETIME_CHECKS:
            return
        for name in ("creation_year", "closure_year"):
            try:
                self._meta.get_field(name).clean(getattr(self, name), self)
            except ValidationError:
                return  # a year out of bounds, which clean_fields() tells
        stored = (
            type(self)
            ._default_manager.filter(pk=self.pk)
            .values_list("creation_year", "closure_year")
            .first()
        )
        if stored is None or stored == (self.creation_year, self.closure_year):
            return
        errors = {}
        for check in LIFETIME_CHECKS:
            errors.update(check(self, *stored))
        if errors:
            raise ValidationError(errors)

    def identifier_holders(self, exclude):
        """And the unit that has this code's number as a UMI or an IRL: "IRL 3466"
        beside "UMI 3466" would be one unit twice."""
        yield from super().identifier_holders(exclude)
        if "code" not in exclude and (holder := self.holder_of_number()):
            yield (
                "code",
                holder,
                _(
                    "Another record has this number: %(model)s “%(holder)s”. "
                    "A unit keeps its number when its UMI becomes an IRL."
                ),
            )

    def holder_of_number(self):
        """Return the other unit whose code is this one's under the other name
        ("UMI 3466" for "IRL 3466"), or None. The same code is the unique
        constraint's to name."""
        match = IRL_CODE_PATTERN.fullmatch(self.code)
        if match is None:
            return None
        others = [prefix + match[2] for prefix in IRL_CODE_PREFIXES]
        others.remove(self.code)
        holders = type(self)._default_manager.filter(code__in=others)
        if self.pk is not None:
            holders = holders.exclude(pk=self.pk)
        return holders.first()

    def get_absolute_url(self):
        return detail_url("units:detail", "slug", self.slug)

    @property
    def theme_list(self) -> list[str]:
        return [line.strip() for line in self.themes.splitlines() if line.strip()]

    def named_in(self, text: str | None) -> tuple[int, int] | None:
        """Return where ``text`` (a person's role or title) names the unit: by its
        acronym as written, a word of its own ("JRL", "<MSE>2"; not the word "link"
        for LINK), or by its name in either language, in any case. None if not."""
        if not text:
            return None
        patterns = [
            re.compile(rf"(?<!\w){re.escape(self.acronym)}(?!\w)")
            if self.acronym
            else None,
            *(
                re.compile(re.escape(name), re.IGNORECASE)
                for name in dict.fromkeys((self.name_fr, self.name_en))
                if name
            ),
        ]
        for pattern in filter(None, patterns):
            if found := pattern.search(text):
                return found.span()
        return None


class PartnerRole(models.TextChoices):
    HOST = "host", _("Host institution")
    PARTNER = "partner", _("Partner institution")
    INDUSTRIAL = "industrial", _("Industrial partner")
    FUNDER = "funder", _("Funder")


class UnitPartnership(ChoiceLabelsMixin, models.Model):
    """The part an institution plays in a joint unit."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="unit_partnerships",
    )
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("unit partnership")
        verbose_name_plural = _("unit partnerships")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "partner"], name="unit_partnership_unique_partner"
            )
        ]

    def __str__(self):
        return f"{self.partner} – {self.get_role_display()}"


class TestimonyQuerySet(PublishableQuerySet):
    def for_list(self):
        return self.select_related("person", "unit")


# How much of a quotation names its testimony (the admin's lists, history, deletions).
QUOTE_SHOWN_CHARACTERS = 60


def quote_opening(quote: str, limit: int = QUOTE_SHOWN_CHARACTERS) -> str:
    """Return ``quote`` on one line, cut after a whole word with "…" past ``limit``
    characters (the ellipsis counted in)."""
    quote = " ".join(quote.split())
    if len(quote) <= limit:
        return quote
    opening = quote[: limit - 1]
    if quote[limit - 1] != " " and " " in opening:
        # Cut inside a word: back to the end of the word before it.
        opening = opening.rsplit(" ", 1)[0]
    # "collaborer, …" reads "collaborer…".
    return opening.rstrip(" ,;:") + "…"


class Testimony(PublishableModel):
    """A quotation kept in the language its author spoke it."""

    quote = models.TextField(_("quotation"))
    language = models.CharField(
        _("language of the quotation"),
        max_length=10,
        default="fr",
        validators=[validate_language_code],
        help_text=_(
            "An ISO 639-1 code such as fr or en; the page marks the quotation with it."
        ),
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="testimonies",
    )
    role = models.CharField(
        _("role when quoted"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Director of the Joint Robotics Laboratory."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonies",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TestimonyQuerySet.as_manager()

    class Meta(PublishableModel.Meta):
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        ordering = ["order", "pk"]

    def __str__(self):
        # A dash, not a colon: the name follows "Added:" and the like (the
        # dashboard's last changes, "Change: …" titles), where two colons read as a
        # list. The same in both languages.
        return f"{self.person} — {self.quote_opening}"

    @property
    def quote_opening(self) -> str:
        """The start of the quotation, as lists name it (``quote_opening``)."""
        return quote_opening(self.quote)

    @property
    def unit_page_url(self) -> str:
        """Its published unit's page, at its testimonies; "" without one (the home
        page shows them all)."""
        if self.unit_id and self.unit.is_published:
            return f"{self.unit.get_absolute_url()}#testimonies"
        return ""
