"""The sitemap: every public page in French and English, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cnrs_intl.countries import country_activity
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
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class PublishedSitemap(I18nSitemap):
    """The published records of ``model``, with their last update; one query."""

    model = None

    def items(self):
        return self.model.objects.public().order_by("pk").only("pk", "slug", "updated")

    def lastmod(self, item):
        return item.updated


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
