"""sitemap.xml: every public page in both languages, with hreflang alternates.

An index of sections, each paged: the helper below reads every page of every section.
"""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localdate

from cnrs_intl.sitemaps import SITEMAPS, PartnerSitemap
from partners.models import Partner
from tests.factories import (
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
BASE = "http://testserver"


def xml(client, address):
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def sitemap_pages(client) -> list[str]:
    """Return the addresses of the sitemaps the index lists."""
    index = xml(client, "/sitemap.xml")
    return [
        entry.findtext("sm:loc", namespaces=NS).removeprefix(BASE)
        for entry in index.findall("sm:sitemap", NS)
    ]


def sitemap(client):
    urls = {}
    for address in sitemap_pages(client):
        for url in xml(client, address).findall("sm:url", NS):
            location = url.findtext("sm:loc", namespaces=NS)
            assert location not in urls, f"{location} twice"
            urls[location] = url
    return urls


def alternates(url):
    return {
        link.get("hreflang"): link.get("href")
        for link in url.findall("xhtml:link", NS)
        if link.get("rel") == "alternate"
    }


def test_sitemap_lists_home_and_lists_in_both_languages(client):
    urls = sitemap(client)
    for path in [
        "/",
        "/units/",
        "/partners/",
        "/countries/",
        "/offices/",
        "/programmes/",
        "/grants/",
        "/projects/",
    ]:
        for language in ["fr", "en"]:
            assert f"{BASE}/{language}{path}" in urls, f"/{language}{path}"


def test_each_entry_names_its_other_language_and_the_default(client):
    unit = UnitFactory(slug="jrl")
    entry = sitemap(client)[f"{BASE}/en/units/jrl/"]
    assert alternates(entry) == {
        "fr": f"{BASE}/fr/units/jrl/",
        "en": f"{BASE}/en/units/jrl/",
        "x-default": f"{BASE}/units/jrl/",
    }
    # The page says the same in its head.
    html = client.get("/en/units/jrl/").content.decode()
    for code, href in alternates(entry).items():
        assert f'<link rel="alternate" hreflang="{code}" href="{href}">' in html
    assert (
        entry.findtext("sm:lastmod", namespaces=NS)
        == localdate(unit.updated).isoformat()
    )


@pytest.mark.parametrize(
    ("factory", "prefix"),
    [
        (UnitFactory, "units"),
        (PartnerFactory, "partners"),
        (OfficeFactory, "offices"),
        (ProgrammeFactory, "programmes"),
        (GrantFactory, "grants"),
        (ProjectFactory, "projects"),
    ],
)
def test_sitemap_lists_published_records_and_no_draft(client, factory, prefix):
    published = factory()
    draft = factory(publication_status="draft")
    urls = sitemap(client)
    for language in ["fr", "en"]:
        assert f"{BASE}/{language}/{prefix}/{published.slug}/" in urls
        assert f"{BASE}/{language}/{prefix}/{draft.slug}/" not in urls


def test_sitemap_lists_the_countries_with_activity_only(client):
    UnitFactory(country="JP")
    UnitFactory(country="BR", publication_status="draft")
    OfficeFactory(country="SG", countries=["SG", "CL"])
    urls = sitemap(client)
    for language in ["fr", "en"]:
        assert f"{BASE}/{language}/countries/JP/" in urls
        assert f"{BASE}/{language}/countries/SG/" in urls  # hosts an office
        assert f"{BASE}/{language}/countries/BR/" not in urls
        assert f"{BASE}/{language}/countries/CL/" not in urls  # only covered


def test_the_index_lists_each_section_and_big_ones_page_by_page(client, monkeypatch):
    monkeypatch.setattr(PartnerSitemap, "limit", 4)  # addresses: 2 partners a page
    partners = [PartnerFactory() for _ in range(5)]
    pages = sitemap_pages(client)
    assert "/sitemap-pages.xml" in pages
    assert [page for page in pages if "partners" in page] == [
        "/sitemap-partners.xml",
        "/sitemap-partners.xml?p=2",
        "/sitemap-partners.xml?p=3",
    ]
    urls = sitemap(client)  # each address once
    for partner in partners:
        for language in ["fr", "en"]:
            assert f"{BASE}/{language}/partners/{partner.slug}/" in urls
    assert client.get("/sitemap-partners.xml?p=4").status_code == 404
    assert client.get("/sitemap-partners.xml?p=two").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_pages_are_not_page_cached(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    PartnerFactory()
    assert "X-Page-Cache" not in client.get("/sitemap-partners.xml")
    assert client.get("/sitemap.xml")["X-Page-Cache"] == "miss"


def test_sitemap_query_count_does_not_grow_with_the_data(client):
    def populate(rows):
        for index in range(rows):
            UnitFactory(country=["JP", "SG", "BR"][index % 3])
            PartnerFactory()
            OfficeFactory()
            GrantFactory()
            ProjectFactory()

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            for address in ["/sitemap.xml", *sitemap_pages(client)]:
                assert client.get(address).status_code == 200
        return len(captured)

    populate(3)
    few = queries()
    populate(9)
    assert queries() == few


def test_each_section_page_is_written_as_djangos_template_writes_it(
    client, rf, monkeypatch
):
    # cnrs_intl.sitemaps.urlset writes the XML in Python: byte for byte what
    # Django's sitemap view and its template give, for every page of every section.
    monkeypatch.setattr(PartnerSitemap, "limit", 4)
    UnitFactory(country="JP")
    OfficeFactory(country="SG")
    ProgrammeFactory()
    GrantFactory()
    ProjectFactory()
    late = PartnerFactory()
    # Updated at 23:30 UTC: already the next day in Paris, the day the template
    # writes.
    Partner.objects.filter(pk=late.pk).update(
        updated=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    )
    PartnerFactory.create_batch(4)
    for address in sitemap_pages(client):
        path, _, query = address.partition("?")
        section = path.removeprefix("/sitemap-").removesuffix(".xml")
        ours = client.get(address)
        djangos = sitemap_views.sitemap(
            rf.get(path, dict([query.split("=")]) if query else {}),
            SITEMAPS,
            section=section,
        ).render()
        assert ours.content == djangos.content, address
        assert ours.get("Last-Modified") == djangos.get("Last-Modified"), address
    late_entry = sitemap(client)[f"{BASE}/fr/partners/{late.slug}/"]
    assert late_entry.findtext("sm:lastmod", namespaces=NS) == "2026-03-02"


def partner_pages(client) -> list[str]:
    return [address for address in sitemap_pages(client) if "partners" in address]


def test_pages_read_in_turn_start_after_the_last_record_of_the_page_before(
    client, monkeypatch
):
    # OFFSET read every record before a page: 0.3 s for the last pages of a
    # million partners, which crawlers read in turn.
    monkeypatch.setattr(PartnerSitemap, "limit", 4)  # 2 partners a page
    PartnerFactory.create_batch(7)
    addresses = partner_pages(client)
    assert len(addresses) == 4
    cache.clear()
    out_of_order = {address: client.get(address).content for address in addresses[::-1]}

    cache.clear()
    in_turn = {}
    for address in addresses:
        with CaptureQueriesContext(connection) as captured:
            in_turn[address] = client.get(address).content
        (rows,) = [
            q["sql"] for q in captured if '"partners_partner"."slug"' in q["sql"]
        ]
        if address != addresses[0]:
            assert "OFFSET" not in rows, rows
            assert '"partners_partner"."id" >' in rows, rows
    assert in_turn == out_of_order


def test_a_page_read_after_a_change_does_not_start_where_the_last_one_ended(
    client, monkeypatch
):
    monkeypatch.setattr(PartnerSitemap, "limit", 4)  # 2 partners a page
    partners = PartnerFactory.create_batch(6)
    first, second = partner_pages(client)[:2]
    client.get(first)
    partners[0].delete()  # a new content version: page 2 starts a record later

    after_change = client.get(second).content
    cache.clear()
    assert after_change == client.get(second).content
    locations = [
        url.findtext("sm:loc", namespaces=NS)
        for url in ET.fromstring(after_change).findall("sm:url", NS)
    ]
    assert f"{BASE}/fr/partners/{partners[3].slug}/" in locations
    assert f"{BASE}/fr/partners/{partners[2].slug}/" not in locations
