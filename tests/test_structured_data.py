"""What search engines and social networks read of a page: each record's page
describes it as schema.org does (JSON-LD), every page gives its title, summary and
address to a link shared (Open Graph)."""

import importlib
import json
import re
import struct
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape, strip_tags

from partners.views import PartnerDetailView
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
    UnitPartnershipFactory,
)

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def descriptions(html: str) -> dict[str, dict]:
    """Return the page's JSON-LD descriptions by their type, each once."""
    found = [json.loads(text) for text in JSON_LD.findall(html)]
    by_type = {description["@type"]: description for description in found}
    assert len(by_type) == len(found)
    return by_type


def described(client, address) -> dict:
    """Return the JSON-LD description of the page at ``address``, the way to it
    (BreadcrumbList) aside."""
    html = client.get(address).content.decode()
    [description] = [
        description
        for kind, description in descriptions(html).items()
        if kind != "BreadcrumbList"
    ]
    return description


def meta(html: str, name: str) -> str:
    """Return the content of the page's <meta property|name=``name``>."""
    match = re.search(rf'<meta (?:property|name)="{name}" content="([^"]*)">', html)
    assert match, f"no {name}"
    return match.group(1)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_unit_is_a_research_organisation_of_the_cnrs_and_its_partners(
    client, language
):
    unit = UnitFactory(
        acronym="JRL",
        slug="jrl",
        code="IRL 3218",
        name_fr="Laboratoire commun de robotique",
        name_en="Joint Robotics Laboratory",
        city_fr="Tsukuba",
        city_en="Tsukuba",
        country="JP",
        latitude=Decimal("36.06"),
        longitude=Decimal("140.13"),
        creation_year=2008,
        website="https://jrl.example.org/",
    )
    UnitPartnershipFactory(
        unit=unit, partner=PartnerFactory(name_en="AIST", name_fr="AIST", slug="aist")
    )

    data = described(client, f"/{language}/units/jrl/")

    name = {"fr": "Laboratoire commun de robotique", "en": "Joint Robotics Laboratory"}
    other = {"fr": "Joint Robotics Laboratory", "en": "Laboratoire commun de robotique"}
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ResearchOrganization"
    assert data["url"] == f"http://testserver/{language}/units/jrl/"
    assert data["name"] == name[language]
    assert data["alternateName"] == ["JRL", other[language]]
    assert data["identifier"] == "IRL 3218"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "JP",
        "addressLocality": "Tsukuba",
    }
    assert data["geo"]["latitude"] == 36.06
    assert data["foundingDate"] == "2008"
    assert data["sameAs"] == "https://jrl.example.org/"
    cnrs, aist = data["parentOrganization"]
    assert cnrs["sameAs"] == "https://ror.org/02feahw73"
    assert aist == {
        "@type": "CollegeOrUniversity",
        "name": "AIST",
        "url": f"http://testserver/{language}/partners/aist/",
    }


def test_a_partner_is_described_by_its_kind_with_its_ror_id_and_website(client):
    parent = PartnerFactory(
        name_en="University of California", publication_status="draft"
    )
    PartnerFactory(
        slug="ucb",
        name_en="University of California, Berkeley",
        acronym="UCB",
        kind="university",
        country="US",
        city_en="Berkeley",
        ror_id="01an7q238",
        website="https://www.berkeley.edu/",
        parent=parent,
    )

    data = described(client, "/en/partners/ucb/")

    assert data["@type"] == "CollegeOrUniversity"
    assert data["sameAs"] == [
        "https://ror.org/01an7q238",
        "https://www.berkeley.edu/",
    ]
    # A draft parent is named, without a page to link to.
    assert data["parentOrganization"] == {
        "@type": "CollegeOrUniversity",
        "name": "University of California",
    }


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        ("company", "Corporation"),
        ("research_organisation", "ResearchOrganization"),
        ("public_body", "GovernmentOrganization"),
        ("international_organisation", "Organization"),
    ],
)
def test_each_kind_of_partner_has_its_schema_type(client, kind, schema_type):
    PartnerFactory(slug="p", kind=kind)
    assert described(client, "/en/partners/p/")["@type"] == schema_type


def test_an_office_is_the_cnrs_s_and_serves_the_countries_it_covers(client):
    OfficeFactory(slug="tokyo", country="JP", countries=["JP", "KR"])

    data = described(client, "/en/offices/tokyo/")

    assert data["@type"] == "Organization"
    assert data["parentOrganization"]["alternateName"] == "CNRS"
    assert [country["identifier"] for country in data["areaServed"]] == ["JP", "KR"]


def test_a_grant_is_a_monetary_grant_of_its_funder_to_its_laureate(client):
    laureate = PersonFactory(
        first_name="Alberto", last_name="Enciso", orcid="0000-0002-1825-0097"
    )
    GrantFactory(
        slug="geofluids",
        acronym="GEOFLUIDS",
        scheme="erc_stg",
        laureate=laureate,
        cordis_id="633152",
        amount=Decimal("1500000"),
    )
    GrantFactory(slug="msca", scheme="msca_pf", panel="")

    data = described(client, "/en/grants/geofluids/")

    assert data["@type"] == "MonetaryGrant"
    assert data["name"] == "GEOFLUIDS"
    assert data["funder"]["name"] == "European Research Council"
    assert data["fundedItem"] == {
        "@type": "Person",
        "name": "Alberto Enciso",
        "sameAs": "https://orcid.org/0000-0002-1825-0097",
    }
    assert data["sameAs"] == "https://cordis.europa.eu/project/id/633152"
    assert data["amount"] == {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": 1500000.0,
    }
    msca = described(client, "/en/grants/msca/")
    assert msca["funder"]["name"] == "European Commission"


def test_a_project_is_a_research_project_with_its_participants(client):
    project = ProjectFactory(slug="tascmar", acronym="Tascmar", cordis_id="634674")
    ProjectParticipantFactory(
        project=project, partner=PartnerFactory(name_en="Tel Aviv University")
    )

    data = described(client, "/en/projects/tascmar/")

    assert data["@type"] == "ResearchProject"
    assert data["foundingDate"] == "2015-04-01"
    assert data["sameAs"] == ["https://cordis.europa.eu/project/id/634674"]
    assert [member["name"] for member in data["member"]] == ["Tel Aviv University"]


def test_a_programme_is_a_funding_scheme_within_its_parent(client):
    horizon = ProgrammeFactory(slug="h2020", name_en="Horizon 2020", acronym="H2020")
    ProgrammeFactory(
        slug="erc-h2020",
        name_en="ERC in Horizon 2020",
        parent=horizon,
        start_year=2014,
        end_year=2020,
    )

    data = described(client, "/en/programmes/erc-h2020/")

    assert data["@type"] == "FundingScheme"
    assert data["foundingDate"] == "2014"
    assert data["dissolutionDate"] == "2020"
    assert data["parentOrganization"] == {
        "@type": "FundingScheme",
        "name": "Horizon 2020",
        "url": "http://testserver/en/programmes/h2020/",
    }


def test_each_record_s_page_describes_it_without_reading_more(
    client, monkeypatch, uncached
):
    """The description of each kind reads what its page reads: as many queries
    with it as without."""
    pages = {
        "units/u": UnitPartnershipFactory(unit=UnitFactory(slug="u")).unit,
        "offices/o": OfficeFactory(slug="o"),
        "grants/g": GrantFactory(slug="g", laureate=PersonFactory()),
        "projects/p": ProjectParticipantFactory(
            project=ProjectFactory(slug="p")
        ).project,
        "programmes/pr": ProgrammeFactory(slug="pr", parent=ProgrammeFactory()),
    }
    for page in pages:
        client.get(f"/en/{page}/")  # what is cached per content version, read
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/en/{page}/").content.decode()
        assert "application/ld+json" in html
        views = {
            "units": "units.views.UnitDetailView",
            "offices": "partners.views.OfficeDetailView",
            "grants": "programmes.views.GrantDetailView",
            "projects": "programmes.views.ProjectDetailView",
            "programmes": "programmes.views.ProgrammeDetailView",
        }
        module, name = views[page.split("/")[0]].rsplit(".", 1)
        view = getattr(importlib.import_module(module), name)
        with monkeypatch.context() as patched:
            patched.setattr(view, "describe", None)
            with CaptureQueriesContext(connection) as without:
                client.get(f"/en/{page}/")
        assert [q["sql"] for q in queries] == [q["sql"] for q in without], page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_home_page_describes_the_site_and_its_search(client, language):
    data = described(client, f"/{language}/")

    assert data["@type"] == "WebSite"
    assert data["inLanguage"] == language
    assert data["potentialAction"]["target"]["urlTemplate"] == (
        f"http://testserver/{language}/search/?q={{search_term_string}}"
    )


def test_a_text_cannot_end_the_description_s_element(client):
    text = "Robots </script><script>alert(1)</script> & <!-- co."
    UnitFactory(slug="jrl", description_en=text)

    html = client.get("/en/units/jrl/").content.decode()

    assert "<script>alert(1)" not in html
    assert descriptions(html)["ResearchOrganization"]["description"] == text


def test_the_description_reads_nothing_the_page_does_not(client, monkeypatch, uncached):
    partner = PartnerFactory(slug="p", parent=PartnerFactory())
    UnitPartnershipFactory(partner=partner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/en/partners/p/")
        return len(captured)

    described_queries = queries()
    monkeypatch.setattr(PartnerDetailView, "describe", None)
    assert queries() == described_queries


@pytest.mark.parametrize(
    ("language", "locale", "other"),
    [("fr", "fr_FR", "en_GB"), ("en", "en_GB", "fr_FR")],
)
def test_every_page_gives_a_shared_link_its_title_summary_and_address(
    client, language, locale, other
):
    UnitFactory(slug="jrl", acronym="JRL", name_en="Joint Robotics Laboratory")

    html = client.get(f"/{language}/units/jrl/", {"from": "x"}).content.decode()

    title = re.search(r"<title>(.*) – CNRS</title>", html).group(1)
    assert meta(html, "og:title") == title
    assert meta(html, "og:description") == meta(html, "description")
    assert meta(html, "og:url") == f"http://testserver/{language}/units/jrl/"
    assert meta(html, "og:locale") == locale
    assert meta(html, "og:locale:alternate") == other


@pytest.mark.parametrize(
    ("language", "alt"),
    [
        ("fr", "CNRS — coopération internationale"),
        ("en", "CNRS — international cooperation"),
    ],
)
def test_every_page_gives_a_shared_link_its_picture(client, language, alt):
    html = client.get(f"/{language}/").content.decode()

    assert meta(html, "og:image") == "http://testserver/static/img/share.png"
    assert meta(html, "og:image:type") == "image/png"
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == (
        "1200",
        "630",
    )
    assert meta(html, "og:image:alt") == alt
    assert meta(html, "twitter:card") == "summary_large_image"


def test_the_shared_picture_is_the_size_the_page_says(client):
    picture = finders.find("img/share.png")
    header = Path(picture).read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1200, 630)
    assert Path(picture).stat().st_size < 100_000
    assert client.get("/static/img/share.png").status_code == 200


def test_the_shared_picture_is_named_by_its_hashed_name_in_production(
    client, settings, tmp_path, uncached
):
    # ManifestStaticFilesStorage, as production's collectstatic leaves it: every
    # file the page names under a hashed name, read from the manifest.
    named = re.compile(r"/static/([^\"?#]+)")
    page_files = set(named.findall(client.get("/en/").content.decode()))
    manifest = {name: name.replace(".", ".0123456789ab.", 1) for name in page_files}
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": manifest, "version": "1.1", "hash": "0123456789ab"})
    )
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }

    html = client.get("/en/").content.decode()

    assert meta(html, "og:image") == (
        "http://testserver/static/img/share.0123456789ab.png"
    )


def test_a_page_cached_for_one_host_names_the_picture_on_another_s_own(client):
    client.get("/en/", HTTP_HOST="localhost")
    replayed = client.get("/en/", HTTP_HOST="localhost")
    assert replayed["X-Page-Cache"] == "hit"
    assert meta(replayed.content.decode(), "og:image").startswith("http://localhost/")

    other_host = client.get("/en/", HTTP_HOST="127.0.0.1")
    secure = client.get("/en/", HTTP_HOST="localhost", secure=True)

    assert meta(other_host.content.decode(), "og:image") == (
        "http://127.0.0.1/static/img/share.png"
    )
    assert meta(secure.content.decode(), "og:image") == (
        "https://localhost/static/img/share.png"
    )


def test_a_country_page_shares_its_address_without_its_query(client):
    UnitFactory(country="JP")
    html = client.get("/en/countries/JP/", {"from": "x"}).content.decode()
    assert meta(html, "og:url") == "http://testserver/en/countries/JP/"


# --- The way up from a record's page


@pytest.fixture
def records():
    unit = UnitFactory(slug="mse2", acronym="<MSE>2")
    partner = PartnerFactory(slug="mit", name_en="MIT", name_fr="")
    return {
        "units/mse2": ("Units", "/en/units/", "<MSE>2"),
        "partners/mit": ("Partners", "/en/partners/", "MIT"),
        "offices/tokyo": ("Offices", "/en/offices/", "CNRS Tokyo Office"),
        "grants/g": ("Grants", "/en/grants/", "GEOFLUIDS"),
        "projects/p": ("Projects", "/en/projects/", "Tascmar"),
        "programmes/h2020": ("Programmes", "/en/programmes/", "Horizon 2020"),
        "countries/JP": ("Countries", "/en/countries/", "Japan"),
        "_records": [
            unit,
            partner,
            OfficeFactory(slug="tokyo", name_en="CNRS Tokyo Office"),
            GrantFactory(slug="g", acronym="GEOFLUIDS"),
            ProjectFactory(slug="p", acronym="Tascmar"),
            ProgrammeFactory(slug="h2020", name_en="Horizon 2020"),
        ],
    }


@pytest.mark.parametrize(
    "page",
    [
        "units/mse2",
        "partners/mit",
        "offices/tokyo",
        "grants/g",
        "projects/p",
        "programmes/h2020",
        "countries/JP",
    ],
)
def test_a_record_s_page_shows_the_way_up_to_its_section(client, records, page):
    section, section_url, title = records[page]

    html = client.get(f"/en/{page}/").content.decode()

    trail = re.search(
        r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', html, re.S
    )
    assert trail, "no breadcrumbs"
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', trail.group(1))
    assert links == [("/en/", "Home"), (section_url, section)]
    current = re.search(r'<li aria-current="page">(.*?)</li>', trail.group(1)).group(1)
    assert strip_tags(current) == escape(title)
    listed = descriptions(html)["BreadcrumbList"]["itemListElement"]
    assert [(item["position"], item["name"], item["item"]) for item in listed] == [
        (1, "Home", "http://testserver/en/"),
        (2, section, f"http://testserver{section_url}"),
        (3, title, f"http://testserver/en/{page}/"),
    ]


def test_a_name_written_in_the_other_language_says_so_in_the_trail(client):
    PartnerFactory(slug="u", name_fr="Université de Tokyo", name_en="")
    html = client.get("/en/partners/u/").content.decode()
    assert (
        '<li aria-current="page"><span lang="fr">Université de Tokyo</span></li>'
        in html
    )


@pytest.mark.parametrize(
    "address", ["/en/", "/en/units/", "/en/search/?q=robot", "/en/nope/"]
)
def test_other_pages_have_no_trail(client, address):
    html = client.get(address).content.decode()
    assert 'class="breadcrumbs"' not in html
    assert "BreadcrumbList" not in html


def test_the_trail_is_in_french_on_a_french_page(client):
    UnitFactory(slug="jrl", acronym="JRL")
    html = client.get("/fr/units/jrl/").content.decode()
    assert '<nav class="breadcrumbs" aria-label="Fil d’Ariane">' in html
    assert '<a href="/fr/units/">Unités</a>' in html


@pytest.mark.parametrize(
    ("factory", "path"),
    [
        (UnitFactory, "units"),
        (PartnerFactory, "partners"),
        (OfficeFactory, "offices"),
        (GrantFactory, "grants"),
        (ProjectFactory, "projects"),
        (ProgrammeFactory, "programmes"),
    ],
)
def test_a_record_s_page_names_its_address_without_the_query_as_canonical(
    client, factory, path
):
    factory(slug="here")

    html = client.get(f"/fr/{path}/here/", {"from": "lettre"}).content.decode()

    canonical = f"http://testserver/fr/{path}/here/"
    assert html.count('rel="canonical"') == 1
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert meta(html, "og:url") == canonical


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "2 unités mixtes, 1 accord et 1 projet avec le CNRS."),
        ("en", "2 joint units, 1 agreement and 1 project with the CNRS."),
    ],
)
def test_a_partner_s_summary_counts_its_links_with_the_cnrs(client, language, expected):
    partner = PartnerFactory(slug="p")
    UnitPartnershipFactory.create_batch(2, partner=partner)
    AgreementFactory().partners.add(partner)
    ProjectParticipantFactory(partner=partner)

    html = client.get(f"/{language}/partners/p/").content.decode()

    assert meta(html, "description").endswith(expected)
    assert meta(html, "og:description") == meta(html, "description")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Aucune unité mixte, aucun accord ni projet avec le CNRS n’est"),
        ("en", "No joint unit, agreement or project with the CNRS is published yet."),
    ],
)
def test_a_partner_with_no_link_says_so_in_its_summary(client, language, expected):
    PartnerFactory(slug="p")
    html = client.get(f"/{language}/partners/p/").content.decode()
    assert expected in meta(html, "description")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_indexed_list_names_its_address_without_what_narrows_nothing(
    client, language
):
    PartnerFactory.create_batch(25, country="JP")

    html = client.get(
        f"/{language}/partners/",
        {"country": "jp", "utm_source": "newsletter", "page": "2"},
    ).content.decode()

    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    expected = f"http://testserver/{language}/partners/?country=JP&amp;page=2"
    assert canonical == expected
    assert meta(html, "og:url") == expected


def test_a_list_s_first_page_unfiltered_is_its_address_alone(client):
    PartnerFactory()
    html = client.get("/en/partners/", {"page": "1", "from": "x"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/en/partners/">' in html


def test_a_list_out_of_search_engines_names_no_canonical_address(client):
    PartnerFactory(name_en="Tokyo University")
    html = client.get("/en/partners/", {"q": "tokyo"}).content.decode()
    assert 'rel="canonical"' not in html
    assert meta(html, "robots") == "noindex, follow"
