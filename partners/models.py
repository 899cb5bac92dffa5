import datetime
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from partners.addresses import detail_url
from partners.caching import cached_by_content, cached_count, query_key
from partners.country_names import CountryField, names_in
from partners.publication import (
    PublicationStatus,
    PublishableModel,
    PublishableQuerySet,
    coordinates_constraints,
    coordinates_fields,
    synthetic_field,
)
from partners.regions import region_phrases
from partners.search import (
    CORRECTIONS_PER_WORD,
    NotFromIndex,
    common_words_only,
    fold,
    rank_by,
    read_within,
    shown_text,
    typed_words,
    without_address,
)
from partners.searchable import per_model

# A ROR id is "0", six characters of Crockford base32 (no i, l, o, u) and two digits.
ROR_ID_PATTERN = r"^0[0-9a-hj-km-np-tv-z]{6}[0-9]{2}$"
PIC_PATTERN = r"^[0-9]{9}$"
# The addresses a ROR id is pasted with: its page's.
ROR_LINKS = ("https://ror.org/", "http://ror.org/", "ror.org/")


def bare_ror_id(text: str) -> str:
    """Return the id in ``text``, given alone (02feahw73) or as its link.

    As staff paste it: https://ror.org/02feahw73, http:// or ror.org/…, with or
    without a final slash. What is left is not checked: the caller's validation is.
    """
    return without_address(text, ROR_LINKS)


# A language tag as HTML's lang attribute takes it (BCP 47): "pt", "ja", "zh-Hant".
LANGUAGE_TAG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
validate_language_tag = RegexValidator(
    LANGUAGE_TAG_PATTERN,
    message=_("Enter a language code such as pt, ja or zh-Hant."),
)
# The addresses a public page may link to: javascript: and data: links run code,
# and browsers no longer open ftp: ones.
WEBSITE_SCHEMES = ("http", "https")
# Its own message: "Enter a valid URL." puzzles whoever typed a valid ftp:// one.
validate_website = URLValidator(
    schemes=WEBSITE_SCHEMES,
    message=_("Enter a web address starting with http:// or https://."),
)
# How far ahead a year may be (an office or a unit planned, a target figure).
YEARS_AHEAD = 5
# How long the autocomplete reads names in order for a text found inside them before
# it counts and sorts the matches instead (PartnerQuerySet.suggested).
SUGGESTIONS_ALONG_NAMES_MS = 50


# No agreement of the CNRS is older than the CNRS.
CNRS_FOUNDED = datetime.date(1939, 10, 19)
# Nor is a year of its own (an office's opening, a key figure's): the validator
# gives the admin's form the check constraint's bound and message, one rule for
# every year before it.
SINCE_CNRS_FOUNDED = MinValueValidator(
    CNRS_FOUNDED.year, message=_("The CNRS was founded in 1939.")
)


def latest_plausible_year() -> int:
    """Return the latest year a record may give: the current one and a few more."""
    return timezone.now().year + YEARS_AHEAD


def is_web_address(url: str) -> bool:
    """Whether ``url`` starts with http:// or https://: a link a page may show."""
    return url[:8].lower().startswith(("http://", "https://"))


def acronym_beside(name: str, acronym: str) -> str:
    """Return the acronym to show in brackets after ``name``: "" when there is
    none, or when the name already holds it as a word ("Horizon 2020" beside
    "Horizon 2020"; QA read "Seventh Framework Programme (FP7) (FP7)")."""
    if not acronym:
        return ""
    held = re.search(rf"(?<!\w){re.escape(acronym)}(?!\w)", name or "", re.IGNORECASE)
    return "" if held else acronym


def case_ignored_in_ordering(model) -> frozenset[str]:
    """Return the fields that ``model``'s ordering sorts case ignored
    (``Upper("acronym")``): the lists, their sort options and the admin's
    columns sort them so too."""
    names = set()
    for term in model._meta.ordering:
        expression = term.expression if isinstance(term, models.OrderBy) else term
        if isinstance(expression, Upper) and isinstance(
            expression.source_expressions[0], models.F
        ):
            names.add(expression.source_expressions[0].name)
    return frozenset(names)


def translation_gap(fields) -> Q:
    """Return a condition on rows with one of ``fields`` in a language, not another.

    ``fields`` are translated (modeltranslation's ``name`` for ``name_fr``…). The
    dashboard lists such records; the big tables keep a partial index on this very
    condition (PostgreSQL uses it only for a query holding the same), so both are
    built here, the fields sorted: modeltranslation keeps a model's in a set.
    """
    languages = [code for code, _name in settings.LANGUAGES]
    gap = Q()
    for field in sorted(fields):
        for language in languages:
            filled = ~Q(**{f"{field}_{language}": ""}) & Q(
                **{f"{field}_{language}__isnull": False}
            )
            for other in languages:
                if other != language:
                    empty = Q(**{f"{field}_{other}": ""}) | Q(
                        **{f"{field}_{other}__isnull": True}
                    )
                    gap |= filled & empty
    return gap


def languages_missing(record, fields) -> dict[str, list[str]]:
    """Return, by language, those of ``fields`` that ``record`` has in another
    language and not in this one: ``translation_gap`` for one record in memory."""
    languages = [code for code, _name in settings.LANGUAGES]
    missing: dict[str, list[str]] = {}
    for field in fields:
        filled = {code for code in languages if getattr(record, f"{field}_{code}")}
        if filled:
            for code in languages:
                if code not in filled:
                    missing.setdefault(code, []).append(field)
    return missing


def website_field(max_length: int = 500) -> models.URLField:
    """Return a ``website`` field: blank, or an http(s) address a page may link to."""
    return WebsiteField(
        _("website"), max_length=max_length, blank=True, validators=[validate_website]
    )


class WebsiteField(models.URLField):
    """A URLField checked by its ``validators`` alone.

    URLField's own validator said "Enter a valid URL." beside ``validate_website``'s
    message: two messages for one address (a spreadsheet's cell). A URLField to
    migrations, which keep no validator's class.
    """

    default_validators = []

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs


class WebsiteLinkMixin:
    """Give a model with a ``website`` field the link its public page shows."""

    @property
    def website_link(self) -> str:
        """Return the website if a page may link to it (http or https), else "".

        The field refuses other addresses, but a row written before it did, or
        by update(), may hold one.
        """
        return self.website if is_web_address(self.website) else ""


class PlaceMixin:
    """Give a model with ``city`` and ``country`` fields the place its pages show."""

    @property
    def city_beside_country(self) -> str:
        """Return the city, or "" when it bears the country's name.

        A city-state's (Singapore): "Singapour, Singapour" said it twice. Its
        name in either language, case aside: a city given in English only is
        shown on the French pages ("Singapore, Singapour").
        """
        code = self.country.code
        names = {fold(names_in(language).get(code, "")) for language in ("fr", "en")}
        return "" if fold(self.city) in names - {""} else self.city

    @property
    def place(self) -> str:
        """Return the city and the country: "Cambridge (Massachusetts), United States".

        Written for descriptions; "Cambridge (Massachusetts) (United States)"
        doubled the parentheses.
        """
        return ", ".join(filter(None, [self.city_beside_country, self.country.name]))


# Not a slug: a record read without its slug (``only()``) says so.
UNKNOWN_SLUG = object()


class MovableAddressMixin:
    """Keep a page's former addresses: a save changing the slug leaves the old one
    leading to the record's page (301), for bookmarks and search engines.

    The former slugs are FormerSlug rows; a partner keeps its own (FormerAddress),
    which merges fill too.
    """

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        # The address it was read with, to keep when a save changes it.
        record._saved_slug = record.__dict__.get("slug", UNKNOWN_SLUG)
        return record

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._saved_slug = self.__dict__.get("slug", UNKNOWN_SLUG)

    def stored_slug(self) -> str | None:
        """Return the slug the database holds for the record; None for a new one."""
        saved = getattr(self, "_saved_slug", UNKNOWN_SLUG)
        if saved is not UNKNOWN_SLUG:
            return saved
        if self.pk is None:
            return None
        # Built rather than read: a version restored from the history, or a
        # record read without its slug. Its row, if any, says where it was.
        return (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values_list("slug", flat=True)
            .first()
        )

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "slug" not in update_fields:
            return super().save(*args, **kwargs)  # the slug stays as stored
        previous = self.stored_slug()
        super().save(*args, **kwargs)
        if previous != self.slug:
            self.address_moved(previous)
        self._saved_slug = self.slug

    def address_moved(self, old_slug: str | None) -> None:
        """Record that the page left ``old_slug`` (None: it is new) for its slug."""
        FormerSlug.objects.moved(self, old_slug)

    def former_slugs(self) -> list[str]:
        """Return the slugs that lead to the record's page."""
        return FormerSlug.objects.of(self)

    @classmethod
    def moved_from(cls, slug: str, records):
        """Return the record among ``records`` whose page was at ``slug``, or None."""
        return FormerSlug.objects.leading_to(slug, records)

    @classmethod
    def page_for(cls, address_part: str, records):
        """Return the record among ``records`` whose page an address that is not
        one of theirs means, or None: one whose page was there (``moved_from``),
        one it names by an identifier, stable where slugs may change (a unit's
        code, "irl-3757"; a partner's ROR id; a project's CORDIS id), or one whose
        slug it is, or was, in another case (/units/JRL/, the acronym as
        printed)."""
        lowered = capitals_lowered(address_part)
        return (
            cls.moved_from(address_part, records)
            or records.identified_by(address_part)
            or slug_in_other_case(address_part, records)
            or (lowered and cls.moved_from(lowered, records))
            or None
        )


# What a slug may hold, as Django's slug converter and SlugField take it.
SLUG_SHAPE = re.compile(r"[-a-zA-Z0-9_]+")


def capitals_lowered(address_part: str) -> str | None:
    """Return ``address_part`` in lower case if it holds capitals and may be a slug
    written with them, else None."""
    lowered = address_part.lower()
    # A slug is ASCII letters, digits, hyphens and underscores (SlugField):
    # "İ".lower() is no slug's letter, and "IRL 3218" (a unit's code as printed,
    # which units' addresses take) no slug.
    if lowered == address_part or not SLUG_SHAPE.fullmatch(address_part):
        return None
    return lowered


def slug_in_other_case(address_part: str, records):
    """Return the record among ``records`` whose slug ``address_part`` is with
    capitals ("JRL", "Jrl" for jrl), or None.

    Asked only once the slug as given found nothing, so that a page's own address
    reads no more, and only of a part holding capitals. The slugs the site makes
    are in lower case (slugify, the admin's prefilled slug): the part in lower
    case is then read from each table's unique index of slugs, a million
    partners' too, where a comparison ignoring case (iexact, UPPER(slug)) needs
    another index that every write pays. A slug staff typed with capitals is
    found as typed only; a part in lower case that missed reads nothing more, as
    every 404 of a crawler or a typo.
    """
    lowered = capitals_lowered(address_part)
    if lowered is None:
        return None
    # Unordered: one record at most has the slug.
    found = (
        records.select_related(None)
        .prefetch_related(None)
        .filter(slug=lowered)
        .order_by()
        .only("slug")[:1]
    )
    return next(iter(found), None)


class ParentLoopMixin:
    """Refuse a ``parent`` that is the record itself or one of its descendants."""

    # Set by each model: French agrees with its noun.
    own_parent_message: str
    parent_loop_message: str  # with %(chain)s

    def clean_parent(self) -> None:
        """Raise a ValidationError on ``parent`` if it would make a loop."""
        if self.pk is not None and self.parent_id == self.pk:
            # The database refuses it too (a check constraint on each model).
            error = ValidationError(self.own_parent_message, code="own_parent")
        elif chain := self.parent_loop():
            error = ValidationError(
                self.parent_loop_message,
                code="parent_loop",
                params={"chain": " → ".join(str(record) for record in chain)},
            )
        else:
            return
        raise ValidationError({"parent": error})

    def parent_loop(self) -> list:
        """Return the loop the parent chain makes back to this record, or [].

        [self, its parent, …, self]: one query per ancestor, as chains are short.
        A loop higher up that does not come back here (older rows) ends the walk.
        """
        chain, seen = [self], set()
        parent_id = self.parent_id
        while parent_id is not None and parent_id not in seen:
            if self.pk is not None and parent_id == self.pk:
                return [*chain, self]
            seen.add(parent_id)
            parent = type(self)._base_manager.filter(pk=parent_id).first()
            if parent is None:
                break
            chain.append(parent)
            parent_id = parent.parent_id
        return []


class PartnerKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    RESEARCH_ORGANISATION = "research_organisation", _("Research organisation")
    COMPANY = "company", _("Company")
    FUNDING_AGENCY = "funding_agency", _("Funding agency")
    PUBLIC_BODY = "public_body", _("Public body")
    INTERNATIONAL_ORGANISATION = (
        "international_organisation",
        _("International organisation"),
    )
    OTHER = "other", _("Other")


class PartnerStatus(models.TextChoices):
    # A context per model: French agrees with the noun (établissement actif,
    # unité active), and the two statuses would otherwise share one translation.
    ACTIVE = "active", pgettext_lazy("institution status", "Active")
    CLOSED = "closed", pgettext_lazy("institution status", "Closed")


class PartnerQuerySet(PublishableQuerySet):
    text_fields = (
        "name_fr",
        "name_en",
        "original_name",
        "acronym",
        "city_fr",
        "city_en",
    )
    # Found by their cities alone, partners rank after those named by the words.
    place_fields = ("city_fr", "city_en")
    # Of the partners with the acronym typed, those the CNRS works with first.
    work_relations = ("unit_partnerships", "project_participations")
    # The names' indexes, and the codes' (migration 0024): "universite" lists the
    # universities from them.
    best_matches_by_tiers = True
    # No full-text search: names are short, trigrams and near misses cover them,
    # and a stemmed match per row made a common word (université) slow to list.
    country_field = "country"
    identifier_patterns = {"ror_id": ROR_ID_PATTERN, "pic": PIC_PATTERN}
    kind_words = {
        **dict.fromkeys(
            (
                "partenaire",
                "partenaires",
                "partner",
                "partners",
                "établissement",
                "établissements",
                "institution",
                "institutions",
            ),
            {},
        ),
        **dict.fromkeys(
            ("université", "universités", "university", "universities"),
            {"kind": PartnerKind.UNIVERSITY},
        ),
        **dict.fromkeys(
            (
                "entreprise",
                "entreprises",
                "société",
                "sociétés",
                "company",
                "companies",
                "firm",
                "firms",
                "industriel",
                "industriels",
                "industrial",
            ),
            {"kind": PartnerKind.COMPANY},
        ),
        # The other kinds by their labels ("Research organisation", on the cards).
        **dict.fromkeys(
            (
                "organisme de recherche",
                "organismes de recherche",
                "research organisation",
                "research organisations",
                "research organization",
                "research organizations",
            ),
            {"kind": PartnerKind.RESEARCH_ORGANISATION},
        ),
        **dict.fromkeys(
            (
                "agence de financement",
                "agences de financement",
                "funding agency",
                "funding agencies",
            ),
            {"kind": PartnerKind.FUNDING_AGENCY},
        ),
        **dict.fromkeys(
            (
                "organisme public",
                "organismes publics",
                "public body",
                "public bodies",
            ),
            {"kind": PartnerKind.PUBLIC_BODY},
        ),
        **dict.fromkeys(
            (
                "organisation internationale",
                "organisations internationales",
                "international organisation",
                "international organisations",
                "international organization",
                "international organizations",
            ),
            {"kind": PartnerKind.INTERNATIONAL_ORGANISATION},
        ),
    }

    @staticmethod
    def bare_identifier(text: str) -> str:
        """Return the ROR id or PIC ``text`` may be: a ROR id pasted as its link
        ("https://ror.org/02feahw73/"), typed in capitals or named ("ROR
        02feahw73", "PIC 999888777") is found too."""
        value = text.strip().lower()
        for named in ("ror ", "pic "):
            value = value.removeprefix(named)
        return bare_ror_id(value)

    def for_list(self):
        """Return partners with what a list row shows: their own columns only.

        Not their parent, which only their page shows: joined before the sort, it
        cost a lookup for each match of a search (14 ms for 5,400 matches).
        """
        return self.all()

    def in_country(self, country_code: str):
        return self.filter(country=country_code)

    def with_links(self):
        """Count the published units, agreements and projects of each partner.

        Correlated subqueries, not joins with GROUP BY: PostgreSQL computes them for
        the rows of the page only, after the sort and LIMIT, where a GROUP BY would
        aggregate every partner first. Drafts are left out so that the counts match
        what the partner's page lists.
        """
        published = PublicationStatus.PUBLISHED

        def published_count(relation: str, link: str, status: str):
            model = self.model._meta.get_field(relation).related_model
            rows = model.objects.filter(**{link: OuterRef("pk"), status: published})
            counted = rows.order_by().values(link).annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(counted), 0)

        return self.annotate(
            unit_count=published_count(
                "unit_partnerships", "partner", "unit__publication_status"
            ),
            agreement_count=published_count(
                "agreements", "partners", "publication_status"
            ),
            project_count=published_count(
                "project_participations", "partner", "project__publication_status"
            ),
        )

    def for_detail(self):
        """Return partners with what their page shows, in a fixed number of queries.

        Units and projects belong to apps further up the layers: their models are
        reached through the relations, never imported.
        """
        published = PublicationStatus.PUBLISHED
        partnership = self.model._meta.get_field("unit_partnerships").related_model
        participation = self.model._meta.get_field(
            "project_participations"
        ).related_model
        return self.select_related("parent").prefetch_related(
            Prefetch(
                "children",
                queryset=self.model.objects.public().order_by_name(),
                to_attr="public_children",
            ),
            Prefetch(
                "unit_partnerships",
                queryset=partnership.objects.filter(unit__publication_status=published)
                .select_related("unit")
                .order_by(Upper("unit__acronym"), "unit"),
                to_attr="public_unit_partnerships",
            ),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.public().in_force_first(),
                to_attr="public_agreements",
            ),
            Prefetch(
                "project_participations",
                queryset=participation.objects.filter(
                    project__publication_status=published
                )
                .select_related("project")
                .order_by(Upper("project__acronym"), "project"),
                to_attr="public_project_participations",
            ),
        )

    def order_by_name(self, searched: bool = False):
        """Sort by the name shown in the active language, ignoring accents and case.

        ``searched``: the rows are a text search's matches, sorted once found
        rather than read along the name index (partners.search.NotFromIndex).
        """
        name = shown_text("name")
        return self.order_by(NotFromIndex(name) if searched else name, "pk")

    def named_starting_with(self, text: str, language: str | None = None):
        """Return the partners whose name as shown starts with ``text``, by name.

        Accents and case ignored; the name shown in ``language`` (by default the
        active one). On PostgreSQL a range of the name index (its stored, folded
        names), so that a prefix held by a third of a million partners ("univ")
        answers at once: the autocomplete's first suggestions.
        """
        prefix = fold(text).strip()
        if not prefix:
            return self.none()
        with translation.override(language or translation.get_language()):
            name = shown_text("name")
        # Every name starting with the prefix sorts from it up to the prefix with
        # its last letter the next one: the bounds let PostgreSQL seek the index.
        following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return (
            self.alias(shown_name=name)
            .filter(
                shown_name__gte=prefix,
                shown_name__lt=following,
                shown_name__startswith=prefix,
            )
            .order_by(name, "pk")
        )

    def suggested(self, text: str, limit: int) -> list:
        """Return at most ``limit`` partners to suggest for ``text`` as it is
        typed (``suggestions``)."""
        return self.suggestions(text, limit)[0]

    def suggestions(self, text: str, limit: int) -> tuple[list, bool]:
        """Return ``(partners, close)``: at most ``limit`` partners to suggest for
        ``text`` as it is typed, and whether they are close names only, none
        holding every word.

        First those whose name starts with it, by name; then, if fewer, the others
        holding its words, by name; else those the search finds (``found``:
        "universités au Japon", the universities in Japan), by name. When none
        does: the names starting with the words corrected ("univresity" →
        "university"), else the near misses, closest first. A name's start is
        what a visitor types, and it is read from the name index: counting and
        sorting the third of a million partners holding "univ" at each keystroke
        took 800 ms.
        """
        partners = list(self.named_starting_with(text)[:limit])
        if len(partners) == limit:
            return partners, False
        if common_words_only(text):
            # "de", "DE", "who": the names starting so, as they are typed, and
            # the partners whose code it is (``found``), as the lists find
            # them; not every name holding "de", nor names close to it.
            found = self.found(text)
            if found is not None:
                partners += found.exclude(
                    pk__in=[partner.pk for partner in partners]
                ).order_by_name(searched=True)[: limit - len(partners)]
            return partners, False
        matches = self.matching(text)
        # A text common inside names ("tec": technology, polytechnic) fills the
        # list at once along the name index; counting and sorting its matches took
        # 0.5 s. A rare one would read the whole index: given up in a moment.
        along_names = self._along_names(matches, partners, limit)
        if along_names is not None and (along_names or partners):
            return partners + along_names, False
        if along_names is None and cached_count(matches):
            more, close = matches.order_by_name(searched=True), False
        elif (found := self.found(text)) is not None:
            # What the words name rather than hold: a kind, a country, plurals.
            along_names = self._along_names(found, partners, limit)
            if along_names is None:
                along_names = list(
                    found.order_by_name(searched=True).exclude(
                        pk__in=[partner.pk for partner in partners]
                    )[: limit - len(partners)]
                )
            return partners + along_names, False
        elif self.names_kinds_or_country_only(text):
            # "universités japonaises", none in Japan: no close names.
            return partners, False
        else:
            close = True
            # The corrected words may begin a name in the other language only
            # ("university" where French names begin with "université").
            current = translation.get_language()
            languages = [current] + [
                code for code, _name in settings.LANGUAGES if code != current
            ]
            corrected_texts = self.corrected_texts(text)
            for corrected in corrected_texts:
                for language in languages:
                    found = self.named_starting_with(corrected, language).exclude(
                        pk__in=[partner.pk for partner in partners]
                    )
                    partners += found[: limit - len(partners)]
                    if len(partners) == limit:
                        return partners, close
            one_word = len(typed_words(text)) == 1
            if partners and not one_word:
                return partners, close
            # One word mistyped ("technolg"): after the names starting with its
            # corrections, those holding them ("Aix-Marseille Université" for
            # "universty"), one correction after the other, each along the name
            # index as above or else sorted once found; ranking every near miss (a
            # hundred thousand holding "technology") took 0.5 to 0.9 s.
            if one_word:
                for corrected in corrected_texts[:CORRECTIONS_PER_WORD]:
                    holding = self.matching(corrected)
                    found = self._along_names(holding, partners, limit)
                    if found is None:
                        found = list(
                            holding.exclude(
                                pk__in=[partner.pk for partner in partners]
                            ).order_by_name(searched=True)[: limit - len(partners)]
                        )
                    partners += found
                    if len(partners) == limit:
                        return partners, close
                if partners:
                    return partners, close
            more = self.filter(self.near_miss_condition(text)).closest_first(text)
        more = more.exclude(pk__in=[partner.pk for partner in partners])
        return partners + list(more[: limit - len(partners)]), close

    def _along_names(self, records, partners: list, limit: int) -> list | None:
        """Return the first ``records`` by name but ``partners``, to fill ``limit``,
        read along the name index; None when that took too long (a rare text)."""
        return read_within(
            records.order_by_name().exclude(
                pk__in=[partner.pk for partner in partners]
            )[: limit - len(partners)],
            SUGGESTIONS_ALONG_NAMES_MS,
        )

    def order_by_city(self, searched: bool = False):
        """Sort by the city shown in the active language, then by name.

        Partners without a city come last on both databases (SQLite would put them
        first). ``searched``: as for ``order_by_name``, the matches of a text search
        are sorted once found, not read along the city index.
        """
        city = shown_text("city")
        if searched:
            city = NotFromIndex(city)
        return self.order_by(city.asc(nulls_last=True), shown_text("name"), "pk")

    def order_by_countries(self, country_codes: list[str]):
        """Sort by country in the order of ``country_codes``, then by name.

        Country names are translated by django-countries, not stored: the caller
        gives the codes already sorted by their name in the active language.
        """
        rank = rank_by("country", country_codes)
        return self.order_by(rank, "country", shown_text("name"), "pk")

    def country_counts(self) -> dict[str, int]:
        """Return how many partners each country has, in one aggregated query."""
        return {row["country"]: row["count"] for row in self._country_count_rows()}

    def cached_country_counts(self) -> dict[str, int]:
        """Return ``country_counts()``, counted once per content version.

        Keyed by the aggregate's SQL: the same filters give the same counts,
        whatever the list annotates or sorts its rows by.
        """
        key = query_key("country-counts", self._country_count_rows())
        return {} if key is None else cached_by_content(key, self.country_counts)

    def cached_kind_country_counts(self) -> dict[str, dict[str, int]]:
        """Return how many partners each kind has in each country, counted once per
        content version: {kind: {country: count}}.

        One GROUP BY serves the lists of every kind: each kind's own count read the
        whole table (0.35 s at a million) the first time after a change.
        """
        rows = self.order_by().values("kind", "country").annotate(count=Count("*"))

        def count() -> dict[str, dict[str, int]]:
            counts: dict[str, dict[str, int]] = {}
            for row in rows:
                counts.setdefault(row["kind"], {})[row["country"]] = row["count"]
            return counts

        key = query_key("kind-country-counts", rows)
        return {} if key is None else cached_by_content(key, count)

    def _country_count_rows(self):
        # COUNT(*), not of the ids: PostgreSQL then counts from an index of the
        # countries alone (partner_public_country), without the ids.
        return self.order_by().values("country").annotate(count=Count("*"))

    def public_country_counts(self) -> dict[str, int]:
        """Return the published partners per country, cached until content changes.

        A GROUP BY over a million partners takes a few hundred milliseconds: every
        partner page view must not pay it.
        """
        # The same entry as the unfiltered public list's (sorted by country) and
        # the countries' activity: one GROUP BY per content version for them all.
        return self.public().cached_country_counts()

    def public_count(self) -> int:
        """Return the number of published partners, from ``public_country_counts``.

        Once a content version, the countries' activity, the partner list's
        choices and this share one GROUP BY; a COUNT of its own cost 140 ms more
        at a million partners.
        """
        return sum(self.public_country_counts().values())


class Partner(
    MovableAddressMixin, PlaceMixin, WebsiteLinkMixin, ParentLoopMixin, PublishableModel
):
    """An institution abroad the CNRS works with."""

    name = models.CharField(_("name"), max_length=255)
    original_name = models.CharField(
        _("name in the original language"),
        max_length=255,
        blank=True,
        help_text=_(
            "The name as the institution writes it, e.g. Universidade de São Paulo."
        ),
    )
    # Screen readers read the name in this language (HTML's lang attribute).
    original_name_language = models.CharField(
        _("language of the original name"),
        max_length=35,
        blank=True,
        validators=[validate_language_tag],
        help_text=_(
            "Its language code, e.g. pt for Portuguese or ja for Japanese, so that "
            "screen readers read it in that language."
        ),
    )
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    # Unique by a constraint (Meta), not unique=True: that made PostgreSQL a second
    # index of every slug, for LIKE, which no query uses and every write paid.
    slug = models.SlugField(_("slug"), max_length=255, db_index=False)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude, longitude = coordinates_fields()
    website = website_field()
    ror_id = models.CharField(
        _("ROR id"),
        max_length=9,
        blank=True,
        help_text=_("The nine characters after https://ror.org/, e.g. 02feahw73."),
    )
    pic = models.CharField(_("EU participant code (PIC)"), max_length=9, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PartnerStatus.choices,
        default=PartnerStatus.ACTIVE,
    )
    established = models.PositiveSmallIntegerField(
        _("established"),
        null=True,
        blank=True,
        # As the ROR import takes it: a year from 1 on, and none far ahead.
        validators=[MinValueValidator(1), MaxValueValidator(latest_plausible_year)],
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )

    synthetic = synthetic_field()

    objects = PartnerQuerySet.as_manager()

    own_parent_message = _("An institution cannot be its own parent.")
    parent_loop_message = _("The parent institutions would form a loop: %(chain)s.")

    class Meta(PublishableModel.Meta):
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        ordering = ["name"]
        # The admin's list is sorted by name: without an index, a sort of every row.
        # Queries read and sort "name" as the active language's column (name_fr,
        # name_en: modeltranslation); an index of the "name" column itself, of
        # which modeltranslation made these two, was one that no query read.
        # Kind and country are indexed here rather than with db_index, which on
        # PostgreSQL adds a second (LIKE) index to each that no query uses and every
        # write of a million-row table pays.
        indexes = [
            *PublishableModel.Meta.indexes,
            models.Index(fields=["name_fr", "id"], name="partner_name-fr"),
            models.Index(fields=["name_en", "id"], name="partner_name-en"),
            # Kind: on PostgreSQL with the name as shown in each language, the order
            # of the list filtered by kind (migration 0031); SQLite has none.
            models.Index(fields=["country"], name="partner_country"),
            # The published partners per country, counted once per content version
            # (public_country_counts): read from this index alone, 250 -> 100 ms at
            # a million partners, where the others are wider or hold the drafts.
            models.Index(
                fields=["country"],
                condition=Q(publication_status=PublicationStatus.PUBLISHED),
                name="partner_public_country",
            ),
            # A search's acronyms typed whole, or their starts, first
            # (``BestMatchTiers``): "UPPER(acronym) = …" read the table.
            models.Index(Upper("acronym"), name="partner_acronym_upper"),
            # The dashboard's count and latest of the partners missing a language:
            # without it, a read of the million after each change (0.3-0.5 s).
            models.Index(
                fields=["id"],
                condition=translation_gap(("name", "city")),
                name="partner_translation_gap",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="partner_unique_slug"),
            models.UniqueConstraint(
                fields=["ror_id"], condition=~Q(ror_id=""), name="partner_unique_ror_id"
            ),
            models.CheckConstraint(
                condition=Q(ror_id="") | Q(ror_id__regex=ROR_ID_PATTERN),
                name="partner_ror_id_well_formed",
                violation_error_message=_(
                    "A ROR id is 9 characters: 0, six letters or digits, two digits."
                ),
            ),
            models.UniqueConstraint(
                fields=["pic"], condition=~Q(pic=""), name="partner_unique_pic"
            ),
            models.CheckConstraint(
                condition=Q(pic="") | Q(pic__regex=PIC_PATTERN),
                name="partner_pic_well_formed",
                violation_error_message=_("A PIC is nine digits."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="partner_not_its_own_parent",
                violation_error_message=_("An institution cannot be its own parent."),
            ),
            *coordinates_constraints("partner"),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def clean(self):
        super().clean()
        self.clean_parent()

    def address_moved(self, old_slug: str | None) -> None:
        FormerAddress.objects.moved(self, old_slug)

    def former_slugs(self) -> list[str]:
        return FormerAddress.objects.of(self)

    @classmethod
    def moved_from(cls, slug: str, records):
        return FormerAddress.objects.leading_to(slug, records)

    def get_absolute_url(self):
        return detail_url("partners:detail", "slug", self.slug)

    @property
    def ror_url(self) -> str:
        return f"https://ror.org/{self.ror_id}" if self.ror_id else ""


def an_address_now(record) -> Exists:
    """Whether a former slug row's slug is a page's address again: a published
    record's of ``record``'s kind, or ``record``'s own as stored (an instance in
    memory may be older than its row)."""
    holders = type(record).objects.filter(slug=OuterRef("slug"))
    return Exists(
        holders.filter(
            Q(publication_status=PublicationStatus.PUBLISHED) | Q(pk=record.pk)
        )
    )


class FormerAddressQuerySet(models.QuerySet):
    def moved(self, partner: Partner, old_slug: str | None) -> None:
        """Record that ``partner``'s page left ``old_slug`` for its slug now.

        A row for the slug it has now stays (as FormerSlugQuerySet.moved's): a
        page found at an address is served before any former one, so a partner
        restored after a merge, or taking back its old slug, is served there.
        """
        if old_slug:
            self.update_or_create(slug=old_slug, defaults={"partner": partner})

    def of(self, partner: Partner) -> list[str]:
        """Return the slugs that lead to ``partner``'s page (FormerSlugQuerySet.of)."""
        return list(
            self.filter(partner=partner)
            .exclude(an_address_now(partner))
            .values_list("slug", flat=True)
        )

    def leading_to(self, slug: str, partners) -> Partner | None:
        """Return the partner among ``partners`` whose page was at ``slug``."""
        former = (
            self.filter(slug=slug, partner__in=partners)
            .select_related("partner")
            .only("partner__slug")
            .first()
        )
        return former.partner if former else None


class FormerAddress(models.Model):
    """An address a partner's page had: the slug of a partner merged into it, or
    its own before staff changed it. Bookmarks and search engines asking for it
    are sent to the partner's page (301)."""

    slug = models.SlugField(_("former slug"), max_length=255, unique=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="former_addresses",
        verbose_name=_("partner institution"),
    )
    recorded = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = FormerAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        ordering = ["slug"]

    def __str__(self):
        return self.slug


class FormerSlugQuerySet(models.QuerySet):
    def moved(self, record, old_slug: str | None) -> None:
        """Record that ``record``'s page left ``old_slug`` for its slug now.

        A row for the slug it has now stays: a page found at an address is served
        before any former one (RecordPageView), so a record taking another's
        former slug has the address once published, and until then, a draft, it
        leaves the address leading to the page that had it. A new record's save
        writes nothing here.
        """
        if old_slug:
            self.update_or_create(
                content_type=ContentType.objects.get_for_model(record),
                slug=old_slug,
                defaults={"object_id": record.pk},
            )

    def of(self, record) -> list[str]:
        """Return the former slugs leading to ``record``'s page: not its own slug
        now, nor one a published record of its kind has taken."""
        return list(
            self.filter(
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
            )
            .exclude(an_address_now(record))
            .values_list("slug", flat=True)
        )

    def leading_to(self, slug: str, records):
        """Return the record among ``records`` whose page was at ``slug``, or None."""
        kind = ContentType.objects.get_for_model(records.model)
        former = self.filter(content_type=kind, slug=slug).values("object_id")
        # Its address only: not what its page reads.
        records = records.select_related(None).prefetch_related(None)
        return records.filter(pk__in=former).only("slug").first()


class FormerSlug(models.Model):
    """A slug a unit's, office's, programme's, grant's or project's page had
    before staff changed it: bookmarks and search engines asking for it are sent
    to the page (301).

    Kept when the record is deleted (no foreign key): restored from its history,
    the record has its former addresses back. Kept too when another record takes
    the slug: the page found there is served first (FormerSlugQuerySet.moved).
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    slug = models.SlugField(_("former slug"), max_length=255, db_index=False)
    recorded = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = FormerSlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("former slug")
        verbose_name_plural = _("former slugs")
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"], name="former_slug_unique_per_kind"
            )
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id"], name="former_slug_record"
            )
        ]

    def __str__(self):
        return self.slug


class OfficeKind(models.TextChoices):
    OFFICE = "office", _("Office abroad")
    EU_BRANCH = "eu_branch", _("Branch office at the European Union")


class OfficeQuerySet(PublishableQuerySet):
    text_fields = ("name_fr", "name_en", "city_fr", "city_en")
    document_fields = {"french": ("role_fr",), "english": ("role_en",)}
    code_fields = ()
    kind_words = dict.fromkeys(("bureau", "bureaux", "office", "offices"), {})

    def covering(self, country_code: str):
        """Return the offices whose area includes the country ``country_code``."""
        return self.filter(self.country_condition(country_code))

    @per_model
    def region_conditions(self) -> dict[tuple[str, ...], Q]:
        """An office is in the regions of the countries it covers ("bureaux en
        Asie": Tokyo's and Beijing's, whatever their texts say).

        One pattern for the countries covered: a condition per country of a
        region, compiled for each count a search reads, took 0.4 s.
        """
        return {
            phrase: Q(country__in=countries)
            | Q(countries__regex=rf"(^|,)({'|'.join(countries)})(,|$)")
            for phrase, countries in region_phrases().items()
        }

    @staticmethod
    def country_condition(country_code: str) -> Q:
        """An office is in the countries it covers ("bureau japon": the one in
        Tokyo covers Japan)."""
        # CountryField(multiple=True) stores "BR,AR,CL": two-letter codes never overlap.
        return Q(country=country_code) | Q(countries__contains=country_code)

    def order_by_city(self):
        """Sort by the city shown in the active language, ignoring accents and case."""
        return self.order_by(shown_text("city"), "pk")

    def for_detail(self):
        """Return offices with the published agreements they follow."""
        return self.prefetch_related(
            Prefetch(
                "agreements",
                queryset=Agreement.objects.public().in_force_first(),
                to_attr="public_agreements",
            )
        )


class Office(MovableAddressMixin, PlaceMixin, WebsiteLinkMixin, PublishableModel):
    """A CNRS representation office at a scientific hub abroad."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OfficeKind.choices, default=OfficeKind.OFFICE
    )
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("host country"))
    countries = CountryField(
        _("countries covered"),
        multiple=True,
        blank=True,
        help_text=_("Countries whose partners and agreements this office follows."),
    )
    latitude, longitude = coordinates_fields()
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = website_field()
    opening_year = models.PositiveSmallIntegerField(
        _("opening year"),
        null=True,
        blank=True,
        validators=[SINCE_CNRS_FOUNDED, MaxValueValidator(latest_plausible_year)],
    )
    head = models.CharField(_("head of office"), max_length=200, blank=True)
    role = models.TextField(
        _("role"), blank=True, help_text=_("What the office does, for the public page.")
    )

    objects = OfficeQuerySet.as_manager()

    class Meta(PublishableModel.Meta):
        verbose_name = _("CNRS office abroad")
        verbose_name_plural = _("CNRS offices abroad")
        ordering = ["city"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opening_year__isnull=True)
                | Q(opening_year__gte=CNRS_FOUNDED.year),
                name="office_opening_after_cnrs_founded",
                violation_error_message=_("The CNRS was founded in 1939."),
            ),
            *coordinates_constraints("office"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("partners:office-detail", "slug", self.slug)

    def clean(self):
        super().clean()
        # A country has one office: its page, its partners' pages and the offices
        # table name the office covering it, and two would be named for one country.
        taken = {}
        others = Office.objects.exclude(pk=self.pk).only("name", "country", "countries")
        for office in others.order_by("name"):
            for country in office.area:
                taken.setdefault(country.code, office)
        errors = {}
        if self.country and self.country.code in taken:
            errors["country"] = _(
                "%(country)s is already covered by %(office)s: remove it from that "
                "office's countries first."
            ) % {"country": self.country.name, "office": taken[self.country.code]}
        covered = [c for c in self.countries if c.code in taken and c != self.country]
        if covered:
            errors["countries"] = [
                _(
                    "%(country)s is already covered by %(office)s: remove it from "
                    "this list, or from that office first."
                )
                % {"country": country.name, "office": taken[country.code]}
                for country in covered
            ]
        if errors:
            raise ValidationError(errors)

    @property
    def area(self) -> list:
        """The countries it covers, its host country included, as ``covering``
        finds them (the Brussels branch covers Belgium without listing it)."""
        covered = list(self.countries)
        if self.country and self.country not in covered:
            covered.append(self.country)
        return covered


class AgreementKind(models.TextChoices):
    FRAMEWORK = "framework", _("Framework agreement")
    MOU = "mou", _("Memorandum of understanding")
    BILATERAL = "bilateral", _("Bilateral cooperation agreement")
    OTHER = "other", _("Other agreement")


class AgreementQuerySet(PublishableQuerySet):
    def in_countries(self, countries):
        """Return the agreements of which a country or a partner's is one of
        ``countries``."""
        in_scope = Q(partners__country__in=countries)
        for country in countries:
            in_scope |= Q(countries__contains=country)
        # Through a subquery: the join gave an agreement once per partner matched.
        return self.filter(pk__in=self.filter(in_scope).values("pk"))

    def in_force_first(self):
        """Order the agreements in force first, then those ended (``has_ended``),
        each the latest signed first."""
        ended = Case(
            When(ends_on__lt=timezone.localdate(), then=Value(1)),
            default=Value(0),
            output_field=models.IntegerField(),
        )
        return self.order_by(ended, "-signed_on", "title", "pk")


class Agreement(PublishableModel):
    """A cooperation agreement between the CNRS and institutions abroad."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    partners = models.ManyToManyField(
        Partner,
        verbose_name=_("partner institutions"),
        related_name="agreements",
        blank=True,
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    signed_on = models.DateField(
        _("signature date"),
        validators=[
            MinValueValidator(
                CNRS_FOUNDED,
                message=_("The CNRS was founded on 19 October 1939: check the year."),
            )
        ],
    )
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office following it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    description = models.TextField(_("description"), blank=True)

    objects = AgreementQuerySet.as_manager()

    constraint_fields = {"agreement_ends_after_signature": "ends_on"}

    class Meta(PublishableModel.Meta):
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="agreement_unique_reference",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("signed_on")),
                name="agreement_ends_after_signature",
                violation_error_message=_(
                    "An agreement cannot end before it is signed."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def has_ended(self) -> bool:
        """Whether its end date has passed (pages say "ended on", not "until")."""
        return self.ends_on is not None and self.ends_on < timezone.localdate()


class PreviewedImport(models.Model):
    """A spreadsheet previewed in the admin, kept until its import is confirmed.

    In the database rather than a server's temporary folder, so that the server
    which receives the confirmation need not be the one which made the preview.
    ``partners.spreadsheets.DatabaseStorage`` writes and takes them.
    """

    name = models.CharField(max_length=32, unique=True)
    content = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # The version of each row's record the preview read (``versions_read``): the
    # confirmation refuses to write over another.
    versions = models.JSONField(default=dict)

    def __str__(self):
        return self.name
