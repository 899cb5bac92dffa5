"""Selectors for the country pages: what the CNRS does in each country.

Countries are not a model: they are the ISO 3166 codes stored on units, partners,
offices, agreements and project participants (django-countries). These functions
gather them with a fixed number of queries, whatever the number of countries, and
merge the counts in Python.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django_countries import countries
from django_countries.fields import Country

from partners.addresses import detail_url
from partners.caching import cached_by_content, cached_count
from partners.country_names import (
    EU_COUNTRY_CODES,
    country_name,
    country_named_joined,
    country_named_whole,
    in_name_order,
)
from partners.filters import shown_value
from partners.models import Agreement, Office, Partner
from partners.publication import PublicationStatus, has_place
from partners.search import fold
from programmes.models import Grant, Project, ProjectParticipant, participation_country
from units.models import Unit, UnitPartnership, UnitStatus

# The CNRS's own country: listed with the others for its partners (of international
# units, agreements and projects), not counted among the countries abroad.
HOME_COUNTRY = "FR"

# How many partners and projects a country page lists before linking to the full list.
COUNTRY_PAGE_LIMIT = 20

# The world outline the maps draw (static/js/map.js).
WORLD_OUTLINE = "vendor/natural-earth/countries-110m.geojson"


def country_from_code(code: str) -> Country | None:
    """Return the country of the two-letter ISO code ``code`` (any case), or None."""
    code = code or ""
    # ASCII letters checked before upper-casing: "ß".upper() is "SS" (South Sudan),
    # "ıt".upper() "IT" (Italy).
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        return None
    code = code.upper()
    return Country(code) if code in countries else None


def not_a_country(code: str, page: str = "country-detail") -> str:
    """The message of a country page or API address whose code is no country's
    nor names one; ``page``: the name of that address's URL pattern, whose
    address named by Japan's name in the active language is shown as an example
    ("/fr/countries/japon/")."""
    named = reverse(page, kwargs={"code": slugify(country_name("JP"))})
    return gettext(
        "“%(code)s” is not a country code or name. Countries are named by their "
        "two-letter ISO 3166 code, such as JP, or by their name, such as %(named)s."
    ) % {"code": shown_value(code), "named": named}


def country_named_by(address_part: str) -> Country | None:
    """Return the country a country page's address names other than by its
    two-letter ISO code ("BRA", "076", "bresil", "united-kingdom", "hongkong", or
    the EU's "EL" and "UK"), or None."""
    code = ""
    # ASCII checked before upper-casing, as in country_from_code ("ß" is "SS").
    if address_part.isascii() and address_part.isalnum():
        upper = address_part.upper()
        code = EU_COUNTRY_CODES.get(upper) or countries.alpha2(upper)
    code = (
        code
        or country_named_whole(address_part.replace("-", " "))
        # Its name written without its spaces or hyphens ("newzealand").
        or country_named_joined(address_part)
    )
    return Country(code) if code else None


def country_asked(address_part: str) -> Country | None:
    """Return the country an address of its page or API record names, by its code
    in any case or otherwise (``country_named_by``), or None. Its one address is
    its code in capitals: any other redirects there."""
    return country_from_code(address_part) or country_named_by(address_part)


@cache
def outlined_countries() -> frozenset[str]:
    """Return the codes of the countries the maps' world outline draws.

    Its 1:110m scale leaves out small countries (Singapore, Malta, Mauritius): a
    map framing one of them would show the world, with nothing set apart.
    """
    path = finders.find(WORLD_OUTLINE)
    if path is None:  # read from the checkout's static/, as the finders know it
        raise ImproperlyConfigured(
            f"The maps' world outline {WORLD_OUTLINE} is not among the static files."
        )
    with open(path, encoding="utf-8") as outline:
        features = json.load(outline)["features"]
    return frozenset(
        feature["properties"]["iso"]
        for feature in features
        if feature["properties"]["iso"]
    )


def outline_names(codes: Iterable[str]) -> dict[str, str]:
    """Return the names, in the active language, of the outlined countries
    other than ``codes``: the countries index names them on its map."""
    return {
        code: Country(code).name for code in sorted(outlined_countries() - set(codes))
    }


def _codes(value) -> list[str]:
    """Return the codes of a multiple CountryField value, raw ("JP,KR") or parsed."""
    if not value:
        return []
    if isinstance(value, str):
        return [code for code in value.split(",") if code]
    return [getattr(country, "code", country) for country in value]


@dataclass
class CountryActivity:
    """One row of the countries index: the counts of a country's public records."""

    code: str
    units: int = 0
    # Of ``units``: the units closed, which the countries index and API count apart.
    closed_units: int = 0
    partners: int = 0
    projects: int = 0
    agreements: int = 0
    hosted_offices: int = 0
    offices: list[Office] = field(default_factory=list)

    @property
    def country(self) -> Country:
        return Country(self.code)

    def get_absolute_url(self) -> str:
        return detail_url("country-detail", "code", self.code)

    @property
    def name(self) -> str:
        return self.country.name

    @property
    def initial(self) -> str:
        """The first letter of the country's name, accents and case aside: the
        index groups the countries by it, in their order (``sort_by_country_name``)."""
        return fold(self.name)[:1].upper()

    @property
    def covering_offices(self) -> list[Office]:
        """The offices covering the country from another one (Tokyo's, for Korea)."""
        return [office for office in self.offices if office.country.code != self.code]

    @property
    def active_units(self) -> int:
        return self.units - self.closed_units

    @property
    def is_current(self) -> bool:
        """Whether the CNRS works in the country now: it has an active joint unit,
        an office, a project with a participant there, or an agreement naming it
        or one of its partners (``countries_abroad`` counts these).

        A closed unit is the record of work that has stopped, and a partner
        institution alone is a name in the directory (a ROR import lists those the
        CNRS has never worked with; the partners of a closed unit stay published):
        the country stays listed for them, but its page says nothing the CNRS
        does there now. Projects and agreements count whatever their dates, as
        their lists and the country pages show them.
        """
        return bool(
            self.active_units or self.projects or self.agreements or self.hosted_offices
        )

    @property
    def total(self) -> int:
        """Return the activity the map shades the country by."""
        return (
            self.units
            + self.partners
            + self.projects
            + self.agreements
            + self.hosted_offices
        )


def _agreement_counts() -> dict[str, int]:
    # An agreement is in a country when it names the country or one of its partners is
    # there; the countries are a comma-separated column, so the union is made here.
    agreements_by_country: dict[str, set[int]] = defaultdict(set)
    for pk, codes in (
        Agreement.objects.public().order_by().values_list("pk", "countries")
    ):
        for code in _codes(codes):
            agreements_by_country[code].add(pk)
    links = Agreement.partners.through.objects.filter(
        agreement__publication_status=PublicationStatus.PUBLISHED
    ).values_list("agreement_id", "partner__country")
    for pk, code in links:
        if code:
            agreements_by_country[code].add(pk)
    return {code: len(pks) for code, pks in agreements_by_country.items()}


def country_activity() -> list[CountryActivity]:
    """Return every country with public CNRS records, sorted by its name.

    A country is listed when it has a published unit, partner, project participant,
    agreement or office; each row also names the published offices covering it. The
    order follows the country names in the active language.
    """
    return [row for row in country_pages() if row.total]


def countries_abroad(rows: Iterable[CountryActivity]) -> int:
    """Return how many of ``rows`` are countries where the CNRS works abroad: all
    but France, those where it works now (``CountryActivity.is_current``)."""
    return sum(1 for row in rows if row.code != HOME_COUNTRY and row.is_current)


def country_pages() -> list[CountryActivity]:
    """Return ``country_activity()`` and the countries a published office covers
    from another country, sorted by name: every country whose page says something.

    Korea, covered by the CNRS office in Tokyo, has no record of its own: its page
    and the search lead a visitor to the office to ask. Six queries, cached until
    content changes: they aggregate every partner and participant. Counted once for
    both languages, sorted once per language.
    """
    return cached_by_content(
        f"country-pages:{get_language()}",
        lambda: sort_by_country_name(
            cached_by_content("country-pages", _country_pages, timeout=3600)
        ),
        timeout=3600,
    )


def _country_pages() -> list[CountryActivity]:
    rows: dict[str, CountryActivity] = {}

    def row(code: str) -> CountryActivity:
        if code not in rows:
            rows[code] = CountryActivity(code)
        return rows[code]

    for code, (count, closed) in Unit.objects.public().country_closed_counts().items():
        if code:
            row(code).units = count
            row(code).closed_units = closed
    # Shared with the partner list and pages: one GROUP BY a content version.
    for code, count in Partner.objects.public_country_counts().items():
        if code:
            row(code).partners = count
    for code, count in Project.objects.public().country_counts().items():
        row(code).projects = count
    for code, count in _agreement_counts().items():
        row(code).agreements = count
    offices = list(Office.objects.public())
    for office in offices:
        row(office.country.code).hosted_offices += 1
    for office in offices:
        for code in {office.country.code, *_codes(office.countries)}:
            row(code).offices.append(office)
    return list(rows.values())


def sort_by_country_name(rows: Iterable[CountryActivity]) -> list[CountryActivity]:
    """Sort ``rows`` by country name in the active language, as the list filters
    offer countries (``in_name_order``: accents and case ignored)."""
    by_code = {row.code: row for row in rows}
    return [by_code[code] for code in in_name_order(by_code)]


def projects_in_country(code: str):
    """Return the published projects with a participant taking part from ``code``."""
    return Project.objects.public().with_participant_in(code)


def project_ids_in_country(code: str) -> list[int]:
    """Return the ids of ``projects_in_country(code)`` in list order, once per version.

    No index finds a participation's country, its own or else its partner's:
    sorting and paging the projects through that join took 80 to 130 ms a view at
    20,000 projects. In order, a page's projects are its first ids: asking for all
    of them (2,000 in Brazil) cost 25 ms of SQL to write and parse.
    """
    return cached_by_content(
        f"country-projects-in-order:{code}",
        lambda: list(
            projects_in_country(code)
            .order_by(*Project._meta.ordering, "pk")
            .values_list("pk", flat=True)
        ),
    )


def agreements_in_country(code: str):
    """Return the published agreements naming ``code`` or a partner in it."""
    # CountryField(multiple=True) stores "BR,AR,CL": two-letter codes never overlap.
    return Agreement.objects.public().filter(
        Q(countries__contains=code)
        | Q(
            pk__in=Agreement.partners.through.objects.filter(
                partner__country=code
            ).values("agreement_id")
        )
    )


@dataclass
class CountryRecords:
    """What the CNRS does in one country: the records its page shows."""

    country: Country
    units: list[Unit]
    partners: list[Partner]
    partner_count: int
    offices: list[Office]
    agreements: list[Agreement]
    projects: list[Project]
    project_count: int
    grants: list[Grant]
    grant_count: int

    @property
    def hosted_offices(self) -> list[Office]:
        return [office for office in self.offices if office.country == self.country]

    @property
    def closed_units(self) -> int:
        return sum(1 for unit in self.units if unit.status == UnitStatus.CLOSED)

    @property
    def partner_groups(self) -> tuple[list[Partner], list[Partner]]:
        """The partners listed, in their two runs (``partners_linked_first``):
        those in a published unit, project or agreement, then the others."""
        linked = [p for p in self.partners if getattr(p, "linked", False)]
        return linked, [p for p in self.partners if not getattr(p, "linked", False)]

    @property
    def has_places(self) -> bool:
        """Whether a unit or an office of the country can be put on its map."""
        return any(map(has_place, (*self.units, *self.hosted_offices)))

    @property
    def has_map(self) -> bool:
        """Whether the page maps the country: its outline, or its places."""
        return self.has_places or self.country.code in outlined_countries()

    @property
    def has_activity(self) -> bool:
        return bool(
            self.units
            or self.partner_count
            or self.agreements
            or self.project_count
            or self.grants
            or self.hosted_offices
        )


def partners_linked_first(code: str) -> list[Partner]:
    """Return the first ``COUNTRY_PAGE_LIMIT`` published partners of the country
    ``code`` as its page lists them: those in a published unit, project or
    agreement first (``linked_partner_ids``), then the others, each by name. In
    two queries, and a third once per content version.

    By name alone, the MIT, <MSE>2's host, was not among the first twenty of the
    United States' partners; after a ROR import, a country's first twenty would be
    registry entries the CNRS has never worked with.
    """
    ids = linked_partner_ids(code)
    first = sorted(
        Partner.objects.filter(pk__in=ids).for_list(), key=lambda p: ids.index(p.pk)
    )
    # The others read along the name index as before; those already listed left.
    by_name = Partner.objects.public().in_country(code).for_list().order_by_name()
    others = [p for p in by_name[:COUNTRY_PAGE_LIMIT] if p.pk not in ids]
    # Each run is headed on the page, which said nothing of the two orders.
    for partner in first:
        partner.linked = True
    return (first + others)[:COUNTRY_PAGE_LIMIT]


def linked_partner_ids(code: str) -> list[int]:
    """Return the ids of the first ``COUNTRY_PAGE_LIMIT`` published partners of
    the country ``code`` in a published unit, project or agreement, by name in
    the active language. Once per content version and language: 70 ms for Brazil
    at a million partners (PostgreSQL walks the country's names testing each
    against the links, hashed), where the page's other queries take a few.
    """
    published = PublicationStatus.PUBLISHED
    linked = (
        Q(
            pk__in=UnitPartnership.objects.filter(
                unit__publication_status=published
            ).values("partner")
        )
        # The participations from the country, by the index on their country
        # (its own, else its institution's), not all of them (130,000).
        | Q(
            pk__in=ProjectParticipant.objects.alias(where=participation_country())
            .filter(where=code, project__publication_status=published)
            .values("partner")
        )
        | Q(
            pk__in=Agreement.partners.through.objects.filter(
                agreement__publication_status=published
            ).values("partner")
        )
    )
    return cached_by_content(
        f"country-linked-partners:{code}:{get_language()}",
        lambda: list(
            Partner.objects.public()
            .in_country(code)
            .order_by_name()
            .filter(linked)
            .values_list("pk", flat=True)[:COUNTRY_PAGE_LIMIT]
        ),
        timeout=3600,
    )


def country_records(country: Country) -> CountryRecords:
    """Gather the published records of ``country`` for its page, in ten queries
    (eleven once per content version)."""
    code = country.code
    partners = Partner.objects.public().in_country(code)
    project_ids = project_ids_in_country(code)
    shown_ids = project_ids[:COUNTRY_PAGE_LIMIT]
    projects = Project.objects.public().filter(pk__in=shown_ids).for_list()
    units = list(Unit.objects.public().for_list().in_country(code))
    # The grants held in those units, by their ids: a join on the unit's country
    # made PostgreSQL walk every grant in date order (70 ms at 100,000 grants), and
    # a join on the units merged all of them (15 ms): their units are those above.
    units_by_id = {unit.pk: unit for unit in units}
    grants = Grant.objects.public().filter(unit__in=units_by_id)
    shown_grants = list(grants[:COUNTRY_PAGE_LIMIT])
    for grant in shown_grants:
        grant.unit = units_by_id[grant.unit_id]
    return CountryRecords(
        country=country,
        units=units,
        partners=partners_linked_first(code),
        partner_count=cached_count(partners),
        offices=list(Office.objects.public().covering(code)),
        agreements=list(
            agreements_in_country(code)
            .in_force_first()
            .select_related("office")
            .prefetch_related("partners")
        ),
        projects=sorted(projects, key=lambda project: shown_ids.index(project.pk)),
        project_count=len(project_ids),
        grants=shown_grants,
        grant_count=cached_count(grants),
    )
