"""sitemap.xml: every public page in both languages, with hreflang alternates."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localdate

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


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): url for url in root.findall("sm:url", NS)
    }


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


def test_sitemap_query_count_does_not_grow_with_the_data(client):
    def populate(rows):
        for index in range(rows):
            UnitFactory(country=["JP", "SG", "BR"][index % 3])
            PartnerFactory()
            OfficeFactory()
            GrantFactory()
            ProjectFactory()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap.xml").status_code == 200
        return len(captured)

    populate(3)
    few = queries()
    populate(27)
    assert queries() == few
