"""Every link of the public site leads somewhere: a crawl of the demo data.

From /fr/ and /en/, and from every address in the sitemap, follow every link within
the site (``<a href>`` and ``<link rel="alternate" hreflang>``), redirects included,
and check that each answers 200, naming the page that linked to a broken one.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
SKIPPED_PREFIXES = ("/admin/", f"/{settings.STATIC_URL}", f"/{settings.MEDIA_URL}")
# Lists link to each of their filter values and pages. The demo's lists hold a few
# each (the partners' seven countries at most) and the whole crawl takes about
# 15 s; past ten, further variants of a list address run the same code with other
# values, and would multiply the crawl by the countries, kinds and pages of any
# data set added to the demo.
QUERY_VARIANTS_PER_PATH = 10


class LinkParser(HTMLParser):
    """Collect a page's links and its hreflang alternates."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.alternates = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        href = attrs.get("href")
        if href is None:
            return
        if tag == "a":
            self.links.append(href)
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates.append(href)


def site_address(href: str, page: str) -> str | None:
    """Return ``href`` on ``page`` as a path and query; None if not to be crawled."""
    parts = urlsplit(urljoin(SITE + page, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Crawl:
    """Breadth-first walk of the site, each address fetched once."""

    def __init__(self, client):
        self.client = client
        self.queue = deque()
        # address -> the page that linked to it first
        self.linked_from = {}
        self.variants = {}
        self.broken = []
        self.bad_alternates = []
        self.status = {}
        self.alternates = {}

    def add(self, address: str, page: str, capped: bool = True) -> None:
        """Queue ``address``; past the cap of its path's variants only if it is
        the alternate of a page crawled (``capped`` false), which must answer."""
        if address in self.linked_from:
            return
        path, _, query = address.partition("?")
        if query:
            seen = self.variants.setdefault(path, set())
            if capped and len(seen) >= QUERY_VARIANTS_PER_PATH:
                return
            seen.add(query)
        self.linked_from[address] = page
        self.queue.append(address)

    def run(self) -> None:
        while self.queue:
            address = self.queue.popleft()
            self.status[address], response = self.fetch(address)
            if self.status[address] != 200:
                self.broken.append(
                    f"{address} answers {self.status[address]} "
                    f"(linked from {self.linked_from[address]})"
                )
                continue
            if not response["Content-Type"].startswith("text/html"):
                continue
            parser = LinkParser()
            parser.feed(response.content.decode())
            for href in parser.links:
                if (target := site_address(href, address)) is not None:
                    self.add(target, address)
            for href in parser.alternates:
                if (target := site_address(href, address)) is not None:
                    self.add(target, address, capped=False)
            self.alternates[address] = [
                site_address(href, address) or href for href in parser.alternates
            ]

    def fetch(self, address: str):
        """Return the status and response of ``address``, redirects followed."""
        seen = [address]
        while True:
            response = self.client.get(address)
            if response.status_code not in (301, 302, 303, 307, 308):
                return response.status_code, response
            target = site_address(response["Location"], address)
            if target is None or target in seen or len(seen) > 5:
                return response.status_code, response
            seen.append(target)
            address = target

    def check_alternates(self) -> None:
        for page, alternates in self.alternates.items():
            if not alternates:
                self.bad_alternates.append(f"{page} declares no hreflang alternate")
            for alternate in alternates:
                if self.status.get(alternate) != 200:
                    self.bad_alternates.append(
                        f"{page}: alternate {alternate} answers "
                        f"{self.status.get(alternate, 'nothing (not crawled)')}"
                    )


def sitemap_addresses(client) -> list[tuple[str, str]]:
    """Return every address in the sitemap's sections, each with its section."""
    addresses = []
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    for section in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        section_address = site_address(section.text, "/sitemap.xml")
        response = client.get(section_address)
        assert response.status_code == 200, section_address
        urls = ElementTree.fromstring(response.content).findall("sm:url", SITEMAP_NS)
        for url in urls:
            # The page, and its alternates, x-default (no language) included.
            hrefs = [url.find("sm:loc", SITEMAP_NS).text] + [
                link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)
            ]
            addresses += [
                (site_address(href, section_address), section_address) for href in hrefs
            ]
    return addresses


@pytest.fixture
def crawl(client):
    call_command("load_demo", verbosity=0)
    crawl = Crawl(client)
    crawl.add("/fr/", "the start")
    crawl.add("/en/", "the start")
    for address, section in sitemap_addresses(client):
        crawl.add(address, section)
    crawl.run()
    crawl.check_alternates()
    return crawl


def test_every_page_linked_from_the_site_or_its_sitemap_answers(crawl):
    # Units, partners, offices, grants, projects, programmes and countries of the
    # demo, in both languages: a crawl that stopped early would find far fewer.
    assert len(crawl.status) > 150
    assert crawl.broken == []
    assert crawl.bad_alternates == []
