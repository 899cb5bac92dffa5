"""The sitemap: every public page in French and English, with hreflang alternates.

``/sitemap.xml`` is an index of sections, each paged (``/sitemap-partners.xml?p=3``):
a million partners make 2,000,000 addresses, where one sitemap file may hold 50,000.
Django's i18n sitemaps build the list of (record, language) pairs of the whole table
for every page: at a million partners, 65 s and 61 MB for the one page the single
sitemap served. Records are read a page at a time here (``InEachLanguage``), and
each section's page written in Python (``urlset``, ``section``), as Django's
template would.
"""

import datetime
from html import escape

from django.contrib.sitemaps import Sitemap, views as sitemap_views
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.timezone import template_localtime

from cnrs_intl.countries import country_activity
from partners.caching import (
    cached_by_content,
    cached_count,
    query_key,
    remember,
    remembered,
)
from partners.models import Office, Partner
from programmes.models import Grant, Programme, Project
from units.models import Unit


class I18nSitemap(Sitemap):
    """List each page once per language, each entry naming the others (hreflang)."""

    i18n = True
    alternates = True
    # x-default points to the address without a language, which redirects visitors
    # to their own language.
    x_default = True


class StaticSitemap(I18nSitemap):
    """The home page and the lists."""

    changefreq = "daily"
    url_names = [
        "home",
        "units:list",
        "partners:list",
        "country-list",
        "partners:office-list",
        "programmes:list",
        "programmes:grant-list",
        "programmes:project-list",
        "open-data",
        "accessibility",
        "legal-notice",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class InEachLanguage:
    """The (record, language) pairs of ``records``, read a page of records at a time.

    What an i18n Sitemap pages through (``Sitemap._items``), as Django's own list of
    pairs, but counted once per content version and sliced in SQL. ``records`` are
    in the order of their ids.
    """

    def __init__(self, records, languages):
        self.records = records
        self.languages = languages

    def count(self) -> int:
        return cached_count(self.records) * len(self.languages)

    __len__ = count

    def __getitem__(self, index: slice) -> list:
        each = len(self.languages)
        first, last = index.start // each, -(-index.stop // each)
        pairs = [
            (record, language)
            for record in self.records_between(first, last)
            for language in self.languages
        ]
        return pairs[index.start - first * each : index.stop - first * each]

    def records_between(self, first: int, last: int) -> list:
        """Return the records from position ``first`` up to ``last``.

        After the id the page before ended on, when known for this content version:
        crawlers read the pages in turn, and OFFSET read every record before the
        page (0.2 s for the last pages of a million partners).
        """
        after = remembered(self._after_key(first)) if first else None
        if after is None:
            records = list(self.records[first:last])
        else:
            records = list(self.records.filter(pk__gt=after)[: last - first])
        if records:
            remember(self._after_key(first + len(records)), records[-1].pk)
        return records

    def _after_key(self, position: int) -> str:
        """The key of the id of the record just before ``position``."""
        return f"{query_key('sitemap-after', self.records)}:{position}"


class PublishedSitemap(I18nSitemap):
    """The published records of ``model``, with their last update; a page at a time."""

    model = None
    # Addresses a page (a record's in each language, each naming three alternates):
    # about 1.2 MB, written in a tenth of a second or two (``urlset``).
    limit = 2_000

    def items(self):
        return self.model.objects.public().order_by("pk").only("pk", "slug", "updated")

    def _items(self):
        # Django's builds every (record, language) pair of the table (see above).
        return InEachLanguage(self.items(), self._languages())

    def lastmod(self, item):
        return item.updated

    def _location(self, item, force_lang_code=None):
        # Django asks for each (record, language) pair's address, then for its
        # alternates': four times each record's address in each language, each
        # under its own translation.override(). Once is enough.
        key = (item[0].pk, force_lang_code or item[1])
        if key not in self._locations:
            self._locations[key] = super()._location(item, force_lang_code)
        return self._locations[key]

    @cached_property
    def _locations(self) -> dict:
        """The addresses found so far, by (record id, language): one sitemap page's."""
        return {}

    def get_latest_lastmod(self):
        # For the index; Django's reads every record to find it.
        return cached_by_content(
            f"sitemap-lastmod:{self.model._meta.label_lower}",
            lambda: self.items().aggregate(latest=Max("updated"))["latest"],
        )


class UnitSitemap(PublishedSitemap):
    model = Unit


class PartnerSitemap(PublishedSitemap):
    model = Partner


class OfficeSitemap(PublishedSitemap):
    model = Office


class ProgrammeSitemap(PublishedSitemap):
    model = Programme


class GrantSitemap(PublishedSitemap):
    model = Grant


class ProjectSitemap(PublishedSitemap):
    model = Project


class CountrySitemap(I18nSitemap):
    """The pages of the countries with public records (empty ones are left out)."""

    def items(self):
        return [row.code for row in country_activity()]

    def location(self, item):
        return reverse("country-detail", kwargs={"code": item})


SITEMAPS = {
    "pages": StaticSitemap,
    "units": UnitSitemap,
    "partners": PartnerSitemap,
    "offices": OfficeSitemap,
    "programmes": ProgrammeSitemap,
    "grants": GrantSitemap,
    "projects": ProjectSitemap,
    "countries": CountrySitemap,
}


def urlset(urls) -> str:
    """Write a sitemap page as Django's sitemap.xml template does, byte for byte
    (Django's ``escape`` is the standard library's).

    A page of 2,000 addresses and their alternates took 0.4 s through the template,
    about 80,000 variables resolved: crawlers ask for every page of every section.
    """
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    ]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if lastmod := url["lastmod"]:
            # The template's |date:"Y-m-d": the day in the current time zone.
            day = template_localtime(lastmod)
            day = day.date() if isinstance(day, datetime.datetime) else day
            parts.append(f"<lastmod>{day.isoformat()}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url["priority"]:
            parts.append(f"<priority>{escape(url['priority'])}</priority>")
        parts.extend(
            f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}"'
            f' href="{escape(alternate["location"])}"/>'
            for alternate in url["alternates"]
        )
        parts.append("</url>")
    parts.append("\n</urlset>\n")
    return "".join(parts)


def section(request, section):
    """Django's sitemap of a section (pages, 404s, Last-Modified), written by
    ``urlset`` instead of its template."""
    response = sitemap_views.sitemap(request, SITEMAPS, section=section)
    response.content = urlset(response.context_data["urlset"])
    return response
