import re
import sqlite3

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, resolve
from django.utils import translation
from django.views.defaults import server_error

from cnrs_intl.countries import COUNTRY_PAGE_LIMIT
from cnrs_intl.views import address_words
from partners.api import ReadOnlyApiMixin
from partners.models import Partner
from partners.views import PartnerListView
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    KeyFigureFactory,
    OfficeFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)

pytestmark = pytest.mark.django_db


def populate(rows):
    for _ in range(rows):
        UnitFactory()
        PartnerFactory()
        OfficeFactory()
        GrantFactory()
        KeyFigureFactory()
        TestimonyFactory(unit=UnitFactory())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_page_answers_in_both_languages(client, language):
    populate(1)
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_home_leaves_out_the_kinds_of_record_with_none_published(client):
    UnitFactory(country="JP")
    GrantFactory(publication_status="draft")
    html = client.get("/en/").content.decode()
    assert "</span> active joint unit abroad</a>" in html
    # The demo has no grant: "0 ERC and MSCA grants" sat beside "440 ERC laureates".
    assert "</span> ERC and MSCA grants</a>" not in html
    assert "</span> offices abroad</a>" not in html
    GrantFactory()
    assert "</span> ERC or MSCA grant</a>" in client.get("/en/").content.decode()


def test_home_counts_published_records_only(client):
    UnitFactory(country="JP")
    UnitFactory(country="SG")
    UnitFactory(country="BR", publication_status="draft")
    response = client.get("/en/")
    assert response.context["counts"]["units"] == 2
    assert response.context["counts"]["countries"] == 2


def test_home_query_count_does_not_grow_with_the_data(client):
    populate(3)
    few = count_queries(client, "/fr/")
    populate(9)
    assert count_queries(client, "/fr/") == few


def test_testimony_is_marked_with_its_own_language(client):
    TestimonyFactory(quote="La recherche est de niveau mondial.", language="fr")
    html = client.get("/en/").content.decode()
    assert '<blockquote lang="fr">' in html


@pytest.mark.parametrize(
    ("language", "about", "nearly"),
    [
        ("fr", "environ</span> 60\xa0000", "près de</span> 4\xa0000"),
        ("en", "about</span> 60,000", "nearly</span> 4,000"),
    ],
)
def test_an_approximate_key_figure_says_so_before_its_number(
    client, language, about, nearly
):
    # "60 000 missions à l’étranger environ chaque année…": said before it.
    KeyFigureFactory(value=60000, suffix="", approximation="about")
    KeyFigureFactory(value=4000, suffix="", approximation="nearly")
    KeyFigureFactory(value=37, suffix="")

    html = client.get(f"/{language}/").content.decode()

    values = re.findall(r'<span class="stats__value">(.*?\d)</span>', html)
    shown = [
        value.replace('<span class="stats__approximation">', "") for value in values
    ]
    assert shown == [about, nearly, "37"]


def figcaptions(html: str) -> list[str]:
    return re.findall(r"<figcaption>(.*?)</figcaption>", html, re.DOTALL)


def test_a_testimonys_role_naming_its_unit_links_it_there_not_again(client):
    # "…CNRS/MIT/Aix-Marseille Université (<MSE>2)": the role names it already.
    mse2 = UnitFactory(acronym="<MSE>2", slug="mse2")
    TestimonyFactory(
        unit=mse2,
        role_en="Director of the <MSE>2 international joint unit, CNRS/MIT",
    )

    [caption] = figcaptions(client.get("/en/").content.decode())

    link = f'<a href="{mse2.get_absolute_url()}">&lt;MSE&gt;2</a>'
    # A role after the name and a comma, in lower case as a sentence writes it.
    assert f"director of the {link} international joint unit, CNRS/MIT" in caption
    assert caption.count("MSE") == 1


def test_a_testimonys_role_not_naming_its_unit_is_followed_by_it(client):
    jrl = UnitFactory(acronym="JRL", name_en="CNRS-AIST Joint Robotics Laboratory")
    # "Link" is a word of the role, not the unit LINK.
    TestimonyFactory(unit=jrl, role_en="Director of a robotics lab, a link to Japan")

    [caption] = figcaptions(client.get("/en/").content.decode())

    assert caption.endswith(
        f'a link to Japan</span> (<a href="{jrl.get_absolute_url()}">JRL</a>)'
    )


def test_root_sends_visitors_to_their_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert "Accept-Language" in response["Vary"]
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,en;q=0.5")
    assert response["Location"] == "/fr/"


@pytest.mark.parametrize(
    "accepted, language",
    [
        # Neither of the site's languages: English, the one more visitors read.
        ("de", "en"),
        ("ja,zh-CN;q=0.8", "en"),
        # French named, even after another language: French.
        ("de-DE,de;q=0.9,fr;q=0.8", "fr"),
        ("de-DE,de;q=0.9,en;q=0.8", "en"),
        # Naming none (crawlers, tools), or anything: the site's default.
        ("", "fr"),
        ("*", "fr"),
    ],
)
def test_a_visitor_without_a_language_of_ours_gets_english(client, accepted, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accepted)
    assert response["Location"] == f"/{language}/"
    # The addresses without a language that pages name (x-default) too.
    response = client.get("/partners/?country=JP", HTTP_ACCEPT_LANGUAGE=accepted)
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/partners/?country=JP"


def test_the_language_a_visitor_chose_wins_over_their_browser(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Location"] == "/fr/"


def test_every_page_declares_its_alternates_and_links_the_other_language(client):
    html = client.get("/fr/").content.decode()
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/">' in html
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in html
    default = '<link rel="alternate" hreflang="x-default" href="http://testserver/">'
    assert default in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_page_declares_the_address_without_a_language_its_sitemap_names(
    client, language
):
    # The sitemap's x-default: the French address with its prefix dropped, which
    # sends each visitor to their own language, with the query kept.
    html = client.get(f"/{language}/partners/?country=JP").content.decode()

    default = "http://testserver/partners/?country=JP"
    assert f'<link rel="alternate" hreflang="x-default" href="{default}">' in html
    assert client.get(default, HTTP_ACCEPT_LANGUAGE="en")["Location"] == (
        "/en/partners/?country=JP"
    )


def test_the_other_languages_address_keeps_an_unencoded_query_as_typed(client):
    # A WSGI server hands the query's bytes over decoded as latin-1: "Pékin" typed
    # in the address bar gave links to "P%C3%83%C2%A9kin".
    typed = "q=Pékin&kind=university&q=Tokyo".encode().decode("latin-1")
    html = client.get("/fr/partners/", QUERY_STRING=typed).content.decode()

    query = "?q=P%C3%A9kin&amp;q=Tokyo&amp;kind=university"
    assert f'<a href="/en/partners/{query}" hreflang="en"' in html
    assert f'hreflang="en" href="http://testserver/en/partners/{query}">' in html


@pytest.mark.parametrize(
    ("address", "other", "offer"),
    [
        (
            "/fr/nexistepas/",
            '<a href="/en/nexistepas/" hreflang="en"',
            "Search the site for “nexistepas”",
        ),
        (
            "/en/nope/?from=lettre",
            '<a href="/fr/nope/?from=lettre" hreflang="fr"',
            "Rechercher «\u00a0nope\u00a0» sur le site",
        ),
        (
            "/en/units/jrl/%C3%A9t%C3%A9/",
            '<a href="/fr/units/jrl/%C3%A9t%C3%A9/" hreflang="fr"',
            "Rechercher «\u00a0été\u00a0» sur le site",
        ),
    ],
)
def test_a_page_not_found_links_the_same_address_in_the_other_language(
    client, address, other, offer
):
    # translate_url() gives back an address it cannot resolve as it is: the link
    # said "English" and led to the same French page; then to the English home
    # page (QA46 B7), where every other page keeps its path and query. The same
    # address in the other language is the 404 page, its search in that language.
    response = client.get(address)
    assert response.status_code == 404
    assert other in response.content.decode()
    href = other.split('"')[1].replace("&amp;", "&")
    translated = client.get(href)
    assert translated.status_code == 404
    assert offer in translated.content.decode()


def test_a_page_not_found_outside_the_languages_links_their_home_pages(client):
    response = client.get("/nope/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<a href="/en/" hreflang="en"' in html


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_readyz_says_the_database_is_down_without_saying_where(
    monkeypatch, client, caplog
):
    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "10.0.0.7", port 5432 failed')

    monkeypatch.setattr(connection, "cursor", refused)
    with caplog.at_level("WARNING", logger="cnrs_intl.views"):
        response = client.get("/readyz")
    assert response.status_code == 503
    # The proxy may let anyone ask: the address goes to the log only.
    assert response.json() == {"database": "unavailable", "cache": "ok"}
    assert "10.0.0.7" in caplog.text


def test_unknown_page_is_a_404_in_the_site_look(client):
    response = client.get("/fr/nothing-here/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_home_links_every_section(client):
    html = client.get("/en/").content.decode()
    for url in [
        "/en/units/",
        "/en/partners/",
        "/en/countries/",
        "/en/offices/",
        "/en/grants/",
        "/en/projects/",
        "/en/programmes/",
    ]:
        assert f'href="{url}"' in html, url


def placed_items(html: str, list_id: str) -> list[str]:
    """Return the opening tags of the items of list ``list_id`` that carry a place."""
    listing = html.split(f'id="{list_id}"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li [^>]*data-lat[^>]*>", listing)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_maps_offices_as_markers_and_units_from_their_list(client, language):
    UnitFactory(acronym="JRL", country="JP", latitude=35.6762, longitude=139.6503)
    OfficeFactory(slug="tokyo", latitude=35.6762, longitude=139.6503)
    UnitFactory(acronym="NOWHERE", latitude=None, longitude=None)
    response = client.get(f"/{language}/")
    map_data = response.context["map_data"]
    assert [marker["url"] for marker in map_data["markers"]] == [
        f"/{language}/offices/tokyo/"
    ]
    assert map_data["countries"]["JP"] >= 1
    html = response.content.decode()
    assert 'data-markers-from="home-units"' in html
    # Unlocalised: a French decimal comma would not parse as a number.
    assert placed_items(html, "home-units") == [
        '<li class="card" data-lat="35.676200" data-lng="139.650300">'
    ]
    written = html.split('<script id="home-map" type="application/json">', 1)[1]
    written = written.split("</script>", 1)[0]
    assert '"title"' in written  # the office's marker
    assert written.count('"url"') == 1  # the units' are not written twice


@pytest.mark.parametrize(
    ("language", "link"),
    [("en", "See all 3 joint units"), ("fr", "Voir les 3 unités mixtes")],
)
def test_home_past_its_limit_lists_the_first_units_and_links_to_all(
    client, monkeypatch, language, link
):
    monkeypatch.setattr("cnrs_intl.views.HOME_UNIT_LIMIT", 2)
    UnitFactory.create_batch(3)
    response = client.get(f"/{language}/")
    assert len(response.context["units"]) == 2
    assert len(placed_items(response.content.decode(), "home-units")) == 2
    html = " ".join(response.content.decode().split())
    assert f'<a href="/{language}/units/">{link}</a>' in html


def test_home_within_its_limit_needs_no_link_to_all_units(client):
    UnitFactory.create_batch(3)
    html = " ".join(client.get("/en/").content.decode().split())
    assert "See all 3 joint units" not in html


def test_home_groups_its_counts_by_thousands_in_both_languages(client):
    # In bulk: a thousand saves one by one would take seconds.
    Partner.objects.bulk_create(PartnerFactory.build_batch(1001))
    UnitFactory()
    KeyFigureFactory(year=2024, value=4000, suffix="")
    french = client.get("/fr/").text
    assert (
        '<span class="stats__value">1\xa0001</span> établissements partenaires'
        in french
    )
    # The count, a number, still chooses the plural.
    assert (
        '<span class="stats__value">1</span> unité mixte active à l’étranger' in french
    )
    # As the key figures are, whose years are not grouped.
    assert '<span class="stats__value">4\xa0000</span>' in french
    assert "(2024" in french
    english = client.get("/en/").text
    assert '<span class="stats__value">1,001</span> partner institutions' in english
    assert '<span class="stats__value">1</span> active joint unit abroad' in english
    assert '<span class="stats__value">4,000</span>' in english


@pytest.mark.parametrize(
    ("value", "suffix", "french", "english"),
    [
        (60, "%", "60\u00a0%", "60%"),
        ("4.50", "%", "4,5\u00a0%", "4.5%"),
        (1200, "M€", "1\u00a0200\u00a0M€", "1,200\u00a0M€"),
    ],
)
def test_a_key_figure_is_written_as_each_language_writes_numbers(
    client, value, suffix, french, english
):
    # "60 %" and "4,50 %" in English, from one template for both languages.
    KeyFigureFactory(year=2024, value=value, suffix=suffix)
    for language, shown in [("fr", french), ("en", english)]:
        html = client.get(f"/{language}/").text
        assert f'<span class="stats__value">{shown}</span>' in html


def test_home_shows_key_figures_with_their_year(client):
    KeyFigureFactory(year=2016, label_en="of publications have a foreign co-author")
    html = client.get("/en/").content.decode()
    assert "of publications have a foreign co-author" in html
    assert "(2016" in html


@pytest.mark.parametrize(
    ("language", "counted", "figures"),
    [
        ("fr", "Les fiches publiées sur ce site", "Les chiffres du CNRS pour toute"),
        ("en", "The records published on this site", "The CNRS’s own figures for all"),
    ],
)
def test_home_tells_its_counts_from_the_cnrs_key_figures(
    client, language, counted, figures
):
    """Counts of "12 joint units" beside "37 UMI" read as a contradiction: they are
    what the site lists, the key figures all the CNRS does abroad."""
    UnitFactory()
    KeyFigureFactory(year=2017)
    html = client.get(f"/{language}/").text
    assert counted in html
    assert figures in html
    assert html.index(counted) < html.index(figures)


# --- Countries index


@pytest.mark.parametrize("language", ["fr", "en"])
def test_country_list_answers_in_both_languages(client, language):
    UnitFactory(country="JP")
    response = client.get(f"/{language}/countries/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert {"fr": "Japon", "en": "Japan"}[language] in html
    assert f'href="/{language}/countries/JP/"' in html


def test_country_list_table_is_accessible_and_lists_published_activity(client):
    UnitFactory(country="JP")
    UnitFactory(country="BR", publication_status="draft")
    OfficeFactory(slug="tokyo", city_en="Tokyo", country="JP", countries=["JP"])
    html = client.get("/en/countries/").content.decode()
    assert '<caption id="country-table-caption">' in html
    assert '<th role="columnheader" scope="col">Country</th>' in html
    assert (
        '<th role="rowheader" scope="row"><a href="/en/countries/JP/">Japan</a></th>'
        in html
    )
    # Brazil's unit is a draft: the map names it (as every country), no row.
    assert 'href="/en/countries/BR/"' not in html
    assert 'data-country="BR"' not in html
    assert 'href="/en/offices/tokyo/"' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_country_list_offers_its_table_as_a_spreadsheet(client, language):
    # As the lists do: a journalist keeps the table (QA: the API gave it, no link).
    PartnerFactory(country="JP")
    html = client.get(f"/{language}/countries/").content.decode()
    address = f"/api/countries/?format=csv&amp;lang={language}"
    assert f'<a href="{address}" rel="nofollow" download>' in html

    response = client.get(address.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "JP" in response.content.decode("utf-8-sig")


def test_country_list_map_is_shaded_by_activity(client):
    UnitFactory.create_batch(2, country="JP")
    PartnerFactory(country="SG")
    response = client.get("/en/countries/")
    assert response.context["map_data"]["countries"] == {"JP": 2, "SG": 1}
    assert 'id="countries-map"' in response.content.decode()


@pytest.mark.parametrize(("language", "brazil"), [("fr", "Brésil"), ("en", "Brazil")])
def test_country_list_map_names_the_countries_its_table_does_not(
    client, language, brazil
):
    UnitFactory(country="JP")
    response = client.get(f"/{language}/countries/")
    names = response.context["map_data"]["names"]
    # The table names Japan and links its page, for the map too (hovered, clicked).
    assert "JP" not in names
    assert names["BR"] == brazil
    assert "SG" not in names  # not on the world outline
    html = response.content.decode()
    assert 'data-countries-from="country-table"' in html
    assert (
        '<table class="data-table data-table--cards country-table" role="table" '
        'id="country-table">' in html
    )
    assert '<tr role="row" data-country="JP">' in html


def letters_and_countries(html: str) -> dict[str, list[str]]:
    """The countries index's letters, each with the codes of its rows, in order."""
    groups: dict[str, list[str]] = {}
    for letter, code in re.findall(
        r'<th [^>]*id="countries-(\w)"|<tr role="row" data-country="(\w\w)"', html
    ):
        if letter:
            groups[letter] = []
        else:
            groups[list(groups)[-1]].append(code)
    return groups


@pytest.mark.parametrize(
    ("language", "groups"),
    [
        # Émirats arabes unis under E, as its name is sorted.
        ("fr", {"A": ["DE"], "E": ["AE", "ES"], "J": ["JP"]}),
        ("en", {"G": ["DE"], "J": ["JP"], "S": ["ES"], "U": ["AE"]}),
    ],
)
def test_country_list_groups_the_countries_by_their_names_first_letters(
    client, language, groups
):
    for code in ("DE", "AE", "ES", "JP"):
        PartnerFactory(country=code)

    html = client.get(f"/{language}/countries/").content.decode()

    assert letters_and_countries(html) == groups
    # The letters lead to their rows, in order.
    assert re.findall(r'<a class="initials__link" href="#countries-(\w)">', html) == (
        list(groups)
    )


def test_country_list_has_no_letters_to_choose_from_for_one(client):
    PartnerFactory(country="JP")
    PartnerFactory(country="JO")
    html = client.get("/en/countries/").content.decode()
    assert letters_and_countries(html) == {"J": ["JP", "JO"]}
    assert 'class="initials"' not in html


def populate_countries(rows):
    codes = ["JP", "KR", "SG", "BR", "CL", "DE", "IT", "ES", "IN", "ZA"]
    for index in range(rows):
        code = codes[index % len(codes)]
        unit = UnitFactory(country=code)
        partner = PartnerFactory(country=code)
        OfficeFactory(country=code, countries=[code])
        agreement = AgreementFactory(countries=[code])
        agreement.partners.add(partner)
        ProjectParticipantFactory(partner=partner)
        GrantFactory(unit=unit)


def test_country_list_query_count_does_not_grow_with_the_data(client):
    populate_countries(3)
    few = count_queries(client, "/fr/countries/")
    populate_countries(9)  # every one of the ten countries
    assert count_queries(client, "/fr/countries/") == few


def test_france_is_listed_but_not_counted_among_the_countries_abroad(client):
    # QA: "10 pays où le CNRS est présent" counted France, for its partners of
    # international units (AMU, Thales): the site is about the CNRS abroad.
    UnitFactory(country="JP")
    PartnerFactory(country="FR")

    home = client.get("/en/").content.decode()
    assert (
        '<span class="stats__value">1</span> country where the CNRS works abroad'
        in home
    )
    english = " ".join(client.get("/en/countries/").content.decode().split())
    assert "The CNRS works with researchers in 1 country abroad:" in english
    assert "France is listed too, for the French partners" in english
    assert '<a href="/en/countries/FR/">France</a>' in english
    french = re.sub(r"[ \n]+", " ", client.get("/fr/countries/").content.decode())
    assert (
        "Le CNRS travaille avec des scientifiques dans 1 pays étranger\xa0:" in french
    )
    assert client.get("/fr/countries/FR/").status_code == 200


def test_without_french_partners_the_countries_index_says_nothing_of_france(client):
    UnitFactory(country="JP")
    html = client.get("/en/countries/").content.decode()
    assert "France is listed too" not in html


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "abroad and in France"), ("fr", "à l’étranger et en France")],
)
def test_the_partners_intro_says_french_partners_are_listed_too(
    client, language, words
):
    html = " ".join(client.get(f"/{language}/partners/").content.decode().split())
    lead = html[html.index('<p class="lead">') :]
    assert words in lead[: lead.index("</p>")]


# --- One country's page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_country_page_answers_in_both_languages(client, language):
    UnitFactory(country="JP")
    response = client.get(f"/{language}/countries/JP/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    name = {"fr": "Japon", "en": "Japan"}[language]
    # Read "Japan: What the CNRS does…", not run together with its subtitle.
    separator = {"fr": "\xa0:", "en": ":"}[language]
    assert (
        f'<h1>{name}<span class="visually-hidden">{separator}</span> '
        '<span class="subtitle">'
    ) in html
    assert f"<title>{name}" in html
    assert f'<meta name="description" content="{name}' in html


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Key figures"), ("fr", "Chiffres clés")]
)
def test_country_page_heads_its_counts_as_key_figures(client, language, heading):
    # As the open data page and the home page say: not "Key numbers".
    UnitFactory(country="JP")
    html = client.get(f"/{language}/countries/JP/").content.decode()
    assert f'<h2 id="numbers-title" class="visually-hidden">{heading}</h2>' in html


@pytest.mark.parametrize(
    ("language", "linked_heading", "others_heading"),
    [
        (
            "en",
            "Partners of the CNRS’s units, projects and agreements",
            "Other institutions",
        ),
        (
            "fr",
            "Partenaires des unités, projets et accords du CNRS",
            "Autres établissements",
        ),
    ],
)
def test_country_page_heads_the_partners_two_runs(
    client, language, linked_heading, others_heading
):
    # QA: two alphabetical runs (the partners the CNRS works with, then the others)
    # read as one list out of order.
    linked = PartnerFactory(country="JP", name_fr="Zeta", name_en="Zeta")
    UnitPartnershipFactory(partner=linked, unit=UnitFactory(country="JP"))
    PartnerFactory(country="JP", name_fr="Alpha", name_en="Alpha")

    html = client.get(f"/{language}/countries/JP/").content.decode()
    first = f'<h3 id="partners-linked-title">{linked_heading}</h3>'
    second = f'<h3 id="partners-others-title">{others_heading}</h3>'
    assert first in html and second in html
    assert html.index(first) < html.index(">Zeta<") < html.index(second)
    assert html.index(second) < html.index(">Alpha<")


def test_country_page_heads_no_partners_run_when_there_is_one(client):
    PartnerFactory(country="JP")
    html = client.get("/en/countries/JP/").content.decode()
    assert "partners-linked-title" not in html
    assert "partners-others-title" not in html


@pytest.mark.parametrize("code", ["jp", "Jp", "jP"])
def test_country_page_in_another_case_redirects_to_the_code_in_capitals(client, code):
    # It was a second page, whose language links kept the lower case.
    UnitFactory(country="JP")
    response = client.get(f"/fr/countries/{code}/", {"from": "lettre"})

    assert response.status_code == 301
    assert response["Location"] == "/fr/countries/JP/?from=lettre"


def test_country_page_names_its_address_without_the_query_as_canonical(client):
    UnitFactory(country="JP")
    response = client.get("/en/countries/JP/", {"from": "newsletter"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="canonical" href="http://testserver/en/countries/JP/">' in html
    assert 'hreflang="fr" href="http://testserver/fr/countries/JP/?from' in html


# "ß" and "ıt" upper-case to "SS" (South Sudan) and "IT" (Italy).
@pytest.mark.parametrize("code", ["ZZ", "zz", "XYZ", "J1", "nothing", "ß", "ıt", "999"])
def test_country_page_of_an_unknown_code_is_a_404_with_a_message(client, code):
    response = client.get(f"/en/countries/{code}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f"“{code}” is not a country code" in html
    assert "<h1>" in html  # the site's look, not a bare error


@pytest.mark.parametrize(
    ("language", "message", "named"),
    [
        (
            "fr",
            "«\u00a0newyork\u00a0» n’est ni un code ni un nom de pays. Les pays sont"
            " désignés par leur code ISO 3166 à deux lettres, comme JP, ou par leur"
            " nom, comme /fr/countries/japon/.",
            "/fr/countries/japon/",
        ),
        (
            "en",
            "“newyork” is not a country code or name. Countries are named by their"
            " two-letter ISO 3166 code, such as JP, or by their name, such as"
            " /en/countries/japan/.",
            "/en/countries/japan/",
        ),
    ],
)
def test_country_page_not_found_says_a_name_works_too(client, language, message, named):
    # It said only codes did, while names redirected (QA46 B5).
    response = client.get(f"/{language}/countries/newyork/")
    assert response.status_code == 404
    assert message in response.content.decode()
    example = client.get(named)
    assert (example.status_code, example["Location"]) == (
        301,
        f"/{language}/countries/JP/",
    )


@pytest.mark.parametrize(
    ("language", "named", "code"),
    [
        ("en", "JPN", "JP"),  # ISO 3166's three letters
        ("fr", "bra", "BR"),
        ("en", "076", "BR"),  # and its number
        ("en", "japan", "JP"),  # the name in either language, whatever the page's
        ("en", "Japon", "JP"),
        ("fr", "bresil", "BR"),
        ("fr", "Brésil", "BR"),
        ("en", "united-kingdom", "GB"),
        ("fr", "etats-unis", "US"),
        ("en", "uk", "GB"),
        ("fr", "EL", "GR"),  # as the EU writes Greece
        ("en", "el", "GR"),
        # A name of several words written joined (QA46 B5), in either language,
        # accents and case ignored: it was a 404 saying only codes worked.
        ("fr", "hongkong", "HK"),
        ("en", "newzealand", "NZ"),
        ("fr", "NouvelleZélande", "NZ"),
        ("en", "southkorea", "KR"),
        ("fr", "coreedusud", "KR"),
        ("en", "CoreeDuSud", "KR"),
        ("fr", "etatsunis", "US"),
        ("en", "ÉtatsUnis", "US"),
        ("en", "unitedkingdom", "GB"),
    ],
)
def test_country_page_named_otherwise_than_by_its_code_redirects_there(
    client, language, named, code
):
    response = client.get(f"/{language}/countries/{named}/", {"from": "lettre"})

    assert response.status_code == 301
    assert response["Location"] == f"/{language}/countries/{code}/?from=lettre"


# --- The page not found


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/en/units/umi-2924/", "umi 2924"),
        ("/fr/partenaires/universite_de_sao_paulo/", "universite de sao paulo"),
        ("/fr/international.html", "international"),
        ("/en/index.php", "index"),
        ("/en/units/IRL 3757/", "IRL 3757"),
        ("/fr/pays/Brésil/", "Brésil"),
        ("/en/", ""),  # no page's name
        ("/", ""),
        ("/en/units/x/", ""),  # shorter than a search's two characters
        ("/en/units/---/", ""),
        ("/en/units/a\x00b/", "ab"),
        ("/en/units/" + "long-" * 40 + "/", ("long " * 20).strip()),
    ],
)
def test_address_words_are_those_of_the_page_asked_for(path, words):
    assert address_words(path) == words


@pytest.mark.parametrize(
    ("language", "offer"),
    [
        ("en", "Search the site for “cnrs impa”"),
        ("fr", "Rechercher «\u00a0cnrs impa\u00a0» sur le site"),
    ],
)
def test_a_page_not_found_offers_to_search_for_the_words_of_its_address(
    client, language, offer
):
    UnitFactory(acronym="CNRS-IMPA", slug="impa")

    response = client.get(f"/{language}/labs/cnrs-impa/")

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<a href="/{language}/search/?q=cnrs+impa">{offer}</a>' in html
    found = client.get(f"/{language}/search/", {"q": "cnrs impa"}).content.decode()
    assert f'href="/{language}/units/impa/"' in found


def test_a_page_not_found_writes_the_words_of_its_address_as_text(client):
    html = client.get("/en/<b>bold<i>/").content.decode()
    assert "<b>bold" not in html
    assert "Search the site for “&lt;b&gt;bold&lt;i&gt;”" in html


def test_a_country_not_found_offers_to_search_for_its_name_too(client):
    html = client.get("/en/countries/atlantis/").content.decode()
    assert "“atlantis” is not a country code" in html
    assert '<a href="/en/search/?q=atlantis">' in html


@pytest.mark.parametrize(
    ("language", "offer"),
    [
        (
            "fr",
            '<a href="/fr/units/jrl/">Aller à la page «\u00a0JRL (IRL 3218)\u00a0»</a>',
        ),
        ("en", '<a href="/en/units/jrl/">Go to the page of “JRL (IRL 3218)”</a>'),
    ],
)
def test_a_page_not_found_below_a_record_s_page_offers_it(client, language, offer):
    # It offered a search for "extra" only (QA46 S10): the record's page first.
    UnitFactory(acronym="JRL", slug="jrl", code="IRL 3218")

    for address in (f"/{language}/units/jrl/extra/", f"/{language}/units/jrl/a/b"):
        response = client.get(address)
        assert response.status_code == 404  # not redirected: no page of JRL's
        assert offer in response.content.decode()


@pytest.mark.parametrize(
    ("address", "offer"),
    [
        ("/en/partners/tokyo-u/contact/", '<a href="/en/partners/tokyo-u/">'),
        ("/en/offices/tokyo/staff/", '<a href="/en/offices/tokyo/">'),
        ("/en/grants/robocog/x/", '<a href="/en/grants/robocog/">'),
        ("/en/projects/tascmar/x/", '<a href="/en/projects/tascmar/">'),
        ("/en/programmes/erc/x/", '<a href="/en/programmes/erc/">'),
        (
            "/fr/countries/japon/extra/",
            '<a href="/fr/countries/JP/">Aller à la page «\u00a0Japon\u00a0»</a>',
        ),
    ],
)
def test_each_record_s_page_is_offered_below_it(client, address, offer):
    PartnerFactory(slug="tokyo-u")
    OfficeFactory(slug="tokyo")
    GrantFactory(slug="robocog")
    ProjectFactory(slug="tascmar")
    ProgrammeFactory(slug="erc")

    response = client.get(address)

    assert response.status_code == 404
    assert offer in response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/en/units/nope/extra/",  # no such unit
        "/en/units/draft/extra/",  # not published
        "/en/nope/extra/",  # no page above
        "/en/units/extra/",  # the unit's page itself is not found
        "/en/search/extra/",  # a page, but no record's
    ],
)
def test_no_record_s_page_is_offered_where_there_is_none(client, address):
    UnitFactory(slug="draft", publication_status="draft")
    response = client.get(address)
    assert response.status_code == 404
    assert "Go to the page of" not in response.content.decode()


def test_a_record_s_page_offered_reads_one_query(client, uncached):
    UnitFactory(slug="jrl")
    client.get("/en/nope/")  # the first request's one-off reads

    def count(address: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 404
        return len(queries)

    nowhere = count("/en/nope/extra/")
    assert count("/en/units/jrl/extra/") == nowhere + 1
    assert count("/en/units/nope/extra/") == nowhere + 1
    assert count("/en/countries/JP/extra/") == nowhere
    for _ in range(5):
        UnitFactory()
    assert count("/en/units/jrl/extra/") == nowhere + 1


def test_an_api_address_not_found_answers_json_without_an_offer(client):
    response = client.get("/api/units/umi-2924/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_country_page_shows_only_its_country_and_published_records(client):
    UnitFactory(acronym="TOKYOLAB", country="JP")
    UnitFactory(acronym="SEOULLAB", country="KR")
    UnitFactory(acronym="DRAFTLAB", country="JP", publication_status="draft")
    PartnerFactory(name_en="University of Tokyo", country="JP")
    PartnerFactory(name_en="Seoul National University", country="KR")
    PartnerFactory(name_en="Draft University", country="JP", publication_status="draft")

    html = client.get("/en/countries/JP/").content.decode()

    assert "TOKYOLAB" in html
    assert "University of Tokyo" in html
    for hidden in [
        "SEOULLAB",
        "DRAFTLAB",
        "Seoul National University",
        "Draft University",
    ]:
        assert hidden not in html


def test_country_page_gathers_offices_agreements_projects_and_grants(client):
    unit = UnitFactory(country="JP")
    partner = PartnerFactory(country="JP")
    OfficeFactory(name_en="CNRS Tokyo Office", country="JP", countries=["JP", "KR"])
    agreement = AgreementFactory(title_en="Agreement with Japan", countries=[])
    agreement.partners.add(partner)
    ProjectParticipantFactory(
        project=ProjectFactory(acronym="TASCMAR"), partner=partner
    )
    GrantFactory(acronym="ROBOTGRANT", unit=unit)

    html = client.get("/en/countries/JP/").content.decode()

    for text in ["CNRS Tokyo Office", "Agreement with Japan", "TASCMAR", "ROBOTGRANT"]:
        assert text in html, text


@pytest.mark.parametrize(
    ("language", "tool_meta", "eu_meta"),
    [
        (
            "fr",
            "Réseau de recherche international (IRN)",
            "Projet collaboratif européen · Horizon 2020",
        ),
        (
            "en",
            "International Research Network (IRN)",
            "European collaborative project · Horizon 2020",
        ),
    ],
)
def test_country_page_names_a_projects_programme_only_beyond_its_kind(
    client, language, tool_meta, eu_meta
):
    # An IRN project belongs to the IRN programme: "… (IRN) · IRN" said it twice.
    partner = PartnerFactory(country="JP")
    irn = ProgrammeFactory(slug="irn", acronym="IRN", kind="cnrs_tool")
    # Named in full, as Horizon Europe is: "H2020" beside it read as another kind.
    h2020 = ProgrammeFactory(
        slug="horizon-2020",
        acronym="H2020",
        name_fr="Horizon 2020",
        name_en="Horizon 2020",
    )
    for kind, programme in [("irn", irn), ("eu_project", h2020)]:
        ProjectParticipantFactory(
            project=ProjectFactory(kind=kind, programme=programme), partner=partner
        )

    html = client.get(f"/{language}/countries/JP/").content.decode()

    metas = re.findall(r'<p class="card__meta">(.*?)</p>', html)
    assert sorted(metas) == sorted([tool_meta, eu_meta])


def test_country_pages_group_their_counts_by_thousands(client):
    # In bulk: a thousand saves one by one would take seconds.
    Partner.objects.bulk_create(PartnerFactory.build_batch(1001, country="JP"))
    cell = '<td role="cell" data-label="{}" class="data-table__number">{}</td>'
    french_cell = cell.format("Établissements partenaires", "1\xa0001")
    assert french_cell in client.get("/fr/countries/").text
    english_cell = cell.format("Partner institutions", "1,001")
    assert english_cell in client.get("/en/countries/").text
    french = client.get("/fr/countries/JP/").text
    assert '<span class="stats__value">1\xa0001</span>' in french
    assert "(1\xa0001)" in french
    english = client.get("/en/countries/JP/").text
    assert '<span class="stats__value">1,001</span>' in english
    assert "(1,001)" in english


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("fr", "1</span> unité mixte<", "2</span> établissements partenaires<"),
        ("en", "1</span> joint unit<", "2</span> partner institutions<"),
    ],
)
def test_country_pages_say_one_unit_not_one_units(client, language, one, two):
    UnitFactory(country="BR")
    PartnerFactory.create_batch(2, country="BR")
    html = client.get(f"/{language}/countries/BR/").text
    assert one in html and two in html
    assert ("0</span> projet<" if language == "fr" else "0</span> projects<") in html


def test_country_page_links_the_partner_search_of_the_country(client):
    PartnerFactory(country="JP")
    html = client.get("/en/countries/JP/").content.decode()
    assert 'href="/en/partners/?country=JP"' in html


def test_country_page_lists_the_partners_the_cnrs_works_with_first(client):
    """By name alone the MIT, <MSE>2's host, was not among the first twenty of
    the United States' partners: those in a unit, a project or an agreement come
    first, then the others, each by name; drafts' links count for nothing."""
    for number in range(COUNTRY_PAGE_LIMIT):
        PartnerFactory(country="US", name_en=f"Academy {number:02}")
    mit = PartnerFactory(country="US", name_en="Massachusetts Institute")
    UnitPartnershipFactory(partner=mit)
    in_project = PartnerFactory(country="US", name_en="Project University")
    ProjectParticipantFactory(partner=in_project)
    in_agreement = PartnerFactory(country="US", name_en="Signed University")
    AgreementFactory(countries=["US"]).partners.add(in_agreement)
    in_draft = PartnerFactory(country="US", name_en="Draft Unit University")
    UnitPartnershipFactory(
        partner=in_draft, unit=UnitFactory(publication_status="draft")
    )

    partners = client.get("/en/countries/US/").context["records"].partners

    names = [partner.name for partner in partners]
    assert names[:3] == [
        "Massachusetts Institute",
        "Project University",
        "Signed University",
    ]
    assert names[3:] == [f"Academy {number:02}" for number in range(17)]
    assert "Draft Unit University" not in names


def test_country_page_maps_its_units_from_their_list(client):
    unit = UnitFactory(country="JP", latitude=35.0116, longitude=135.7681)
    UnitFactory(country="JP", latitude=None, longitude=None)
    response = client.get("/fr/countries/JP/")
    assert response.context["map_data"]["markers"] == []
    html = response.content.decode()
    assert 'id="country-map"' in html
    assert 'data-markers-from="country-units"' in html
    assert placed_items(html, "country-units") == [
        '<li class="card" data-lat="35.011600" data-lng="135.768100">'
    ]
    assert f'href="/fr/units/{unit.slug}/" data-marker-title>' in html
    assert "leaflet.css" in html and "js/map.js" in html  # no office needed


def test_country_page_maps_its_country_without_places(client):
    # Germany with partners alone had no map: it shows where the country is.
    PartnerFactory(country="DE")
    response = client.get("/en/countries/DE/")
    assert response.context["map_data"] == {"markers": [], "focus": ["DE"]}
    html = response.content.decode()
    assert 'aria-label="Map showing the location of the country"' in html
    assert "leaflet.css" in html and "js/map.js" in html


def test_country_page_maps_its_places_within_the_country(client):
    OfficeFactory(country="JP", countries=["JP"], latitude=35.68, longitude=139.69)
    response = client.get("/en/countries/JP/")
    assert response.context["map_data"]["focus"] == ["JP"]
    assert len(response.context["map_data"]["markers"]) == 1
    html = response.content.decode()
    assert (
        'aria-label="Map of the CNRS joint units and offices in this country"' in html
    )


def test_country_page_of_a_country_too_small_for_the_outline_without_places_has_no_map(
    client,
):
    # Singapore is not on the 1:110m world outline: its map would show nothing.
    UnitFactory(country="SG", latitude=None, longitude=None)
    html = client.get("/en/countries/SG/").content.decode()
    assert 'id="country-map"' not in html
    assert "leaflet" not in html


def test_country_page_without_activity_says_so_and_is_not_indexed(client):
    OfficeFactory(name_en="CNRS Rio de Janeiro Office", country="BR", countries=["CL"])
    response = client.get("/en/countries/CL/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing is published about this country yet" in html
    assert "CNRS Rio de Janeiro Office" in html
    assert '<meta name="robots" content="noindex">' in html


def test_country_page_query_count_does_not_grow_with_the_data(client):
    def populate_japan(rows):
        for _ in range(rows):
            unit = UnitFactory(country="JP")
            partner = PartnerFactory(country="JP")
            OfficeFactory(country="JP", countries=["JP"])
            agreement = AgreementFactory(countries=["JP"])
            agreement.partners.add(partner, PartnerFactory(country="KR"))
            ProjectParticipantFactory(partner=partner)
            GrantFactory(unit=unit)

    populate_japan(3)
    few = count_queries(client, "/fr/countries/JP/")
    populate_japan(COUNTRY_PAGE_LIMIT - 2)  # past what the page shows of each
    assert count_queries(client, "/fr/countries/JP/") == few


# --- robots.txt and error pages


def test_robots_txt_allows_all_but_the_admin_and_the_api_and_names_the_sitemap(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    # The records of the pages again, as JSON: crawlers read the pages.
    assert "Disallow: /api/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line.strip() == "Disallow: /" for line in lines)
    # A page per text anyone may type, in each language.
    for language in ("fr", "en"):
        assert f"Disallow: /{language}/search/" in lines
        assert f"Disallow: /{language}/partners/names.json" in lines


NOINDEX = '<meta name="robots" content="noindex, follow">'


@pytest.mark.parametrize(
    ("address", "indexed"),
    [
        ("/en/partners/", True),
        ("/fr/partners/?country=JP", True),  # the partners in Japan: a page to find
        ("/en/partners/?page=2", True),
        ("/en/units/?institute=INSIS&country=JP", True),
        ("/en/partners/?q=tokyo", False),  # a page per text typed
        ("/en/units/?q=robot&country=JP", False),
        ("/en/partners/?ordering=-name", False),  # the same records again
        ("/en/partners/?ordering=&country=JP", True),  # the form sent, no order
        ("/en/grants/?year=abc", False),  # bad input: a 400
        ("/en/search/?q=robot", False),
        ("/fr/search/", False),
    ],
)
def test_search_engines_index_lists_by_their_filters_not_by_texts_typed(
    client, address, indexed
):
    UnitFactory(country="JP")
    PartnerFactory.create_batch(21, country="JP")
    InstituteFactory(code="INSIS")

    html = client.get(address).content.decode()

    assert (NOINDEX not in html) is indexed


def test_robots_txt_builds_the_sitemap_address_from_the_request(client, settings):
    settings.ALLOWED_HOSTS = ["international.cnrs.fr"]
    response = client.get("/robots.txt", HTTP_HOST="international.cnrs.fr", secure=True)
    assert "Sitemap: https://international.cnrs.fr/sitemap.xml" in (
        response.content.decode()
    )


def test_favicon_ico_leads_to_the_sites_icon(client, django_assert_num_queries):
    # It was a 404 on every visit, the only error in the browser's console.
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"

    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"


def test_the_icon_needs_nothing_the_content_security_policy_forbids():
    with open(finders.find("favicon.svg"), encoding="utf-8") as file:
        svg = file.read()
    assert "<svg" in svg
    for forbidden in ("<script", "style", "href", "url("):
        assert forbidden not in svg


@pytest.mark.parametrize("address", ["/fr/", "/en/units/", "/fr/nothing-here/"])
def test_pages_name_the_icon(client, address):
    html = client.get(address).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_error_pages_name_the_icon_too(rf):
    html = server_error(rf.get("/fr/")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Site momentanément indisponible"), ("en", "Site temporarily unavailable")],
)
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_that_cannot_be_reached_is_a_503_to_come_back_to(
    monkeypatch, django_assert_num_queries, language, heading, error
):
    def unreachable(*args, **kwargs):
        raise error("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(PartnerListView, "get", unreachable)
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get(f"/{language}/partners/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<a href="/{language}/">' in html
    assert "127.0.0.1" not in html  # the error stays in the log


@pytest.mark.postgresql
def test_a_statement_past_its_time_limit_is_a_503(monkeypatch):
    """PostgreSQL cancels a statement past DJANGO_STATEMENT_TIMEOUT_MS (in the web
    processes, settings.py): the visitor is asked to come back."""

    def slow(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(5)")

    monkeypatch.setattr(PartnerListView, "get", slow)
    response = Client(raise_request_exception=False).get("/en/partners/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"


def test_a_query_of_a_missing_table_is_a_500_on_either_database(monkeypatch):
    """SQLite says OperationalError for it, as for a locked file: it is a bug, not an
    outage, and must not be hidden behind "come back later"."""

    def broken(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(PartnerListView, "get", broken)
    response = Client(raise_request_exception=False).get("/en/partners/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.parametrize(
    ("message", "status"),
    [
        ("database is locked", 503),
        ("unable to open database file", 503),
        ("disk I/O error", 503),
        ("no such column: partners_partner.nickname", 500),
        ('near "SELEC": syntax error', 500),
    ],
)
def test_only_a_busy_or_unreadable_sqlite_file_is_an_outage(
    monkeypatch, message, status
):
    def failing(*args, **kwargs):
        raise OperationalError(message) from sqlite3.OperationalError(message)

    monkeypatch.setattr(PartnerListView, "get", failing)
    response = Client(raise_request_exception=False).get("/en/partners/")
    assert response.status_code == status


def test_any_other_error_is_still_a_500(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(PartnerListView, "get", broken)
    response = Client(raise_request_exception=False).get("/en/partners/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "<h1>Server error</h1>" in response.content.decode()


def test_server_error_page_renders_without_any_query(rf, django_assert_num_queries):
    request = rf.get("/fr/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "<h1>" in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_request_sent_without_its_token_gets_a_page_saying_what_to_do(language):
    # Django's own page was unstyled, in English whatever the language.
    # The language switch of the back-office's header, the one form outside the
    # admin: public pages take no POST (405, below).
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/i18n/setlang/", {"language": "en"}, HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert f"<h1>{translation.gettext('Request refused')}</h1>" in html
    # It led to /, whatever the page's language, and spoke of the back-office only.
    assert f'<a href="/{language}/">' in html


def test_the_token_page_in_the_admin_leads_to_the_home_page_in_its_language():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert '<a href="/en/">' in response.content.decode()


def test_a_request_from_an_unknown_host_gets_the_sites_400_page(client):
    response = client.get("/fr/", HTTP_HOST="elsewhere.example")

    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Requête incomprise</h1>" in html or (
        "<h1>Request not understood</h1>" in html
    )


def test_a_back_office_page_staff_may_not_open_answers_403_with_a_message(client):
    user = User.objects.create_user("reader", password="x", is_staff=True)
    client.force_login(user)  # staff without any permission

    response = client.get("/admin/partners/partner/add/")

    assert response.status_code == 403
    assert "Access refused" in response.content.decode() or (
        "Accès refusé" in response.content.decode()
    )


# --- HTTP methods: every public page answers GET and HEAD only

FUNCTION_VIEW_ADDRESSES = [
    "/",
    "/fr/",
    "/en/countries/",
    "/fr/countries/JP/",
    "/fr/search/?q=tokyo",
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-partners.xml",
    "/healthz",
    "/readyz",
]
CLASS_VIEW_ADDRESSES = [
    "/fr/partners/",
    "/fr/partners/nope/",
    "/fr/offices/",
    "/fr/units/",
    "/fr/grants/",
    "/fr/projects/",
    "/fr/programmes/",
    "/fr/programmes/irl/",
]


@pytest.mark.parametrize("address", FUNCTION_VIEW_ADDRESSES)
def test_function_views_answer_get_and_head(client, address):
    PartnerFactory(country="JP")
    expected = 302 if address == "/" else 200
    assert client.get(address).status_code == expected
    assert client.head(address).status_code == expected


@pytest.mark.parametrize("method", ["trace", "options", "put", "post", "delete"])
@pytest.mark.parametrize("address", FUNCTION_VIEW_ADDRESSES + CLASS_VIEW_ADDRESSES)
def test_public_pages_refuse_every_other_method(client, address, method):
    # TRACE and OPTIONS got the function views' whole page, with 200; OPTIONS got
    # 200 and an empty page from the class-based views, even of no record.
    response = getattr(client, method)(address)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}


def public_views(patterns=None):
    """Yield the view of every URL pattern outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from public_views(pattern.url_patterns)
        else:
            yield pattern.callback


def test_every_public_class_based_view_answers_get_and_head_only():
    classes = {
        view.view_class for view in public_views() if hasattr(view, "view_class")
    }
    assert classes  # the walk found them
    for view_class in classes:
        # The data API's also answer a browser's CORS preflight.
        preflight = {"options"} if issubclass(view_class, ReadOnlyApiMixin) else set()
        assert set(view_class.http_method_names) == {"get", "head"} | preflight, (
            view_class
        )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_refused_method_gets_a_page_in_the_visitors_language(
    client, language, django_assert_num_queries
):
    # The answer was empty (Content-Length: 0).
    with django_assert_num_queries(0):
        response = client.post(f"/{language}/partners/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Length"] == str(len(response.content))
    assert not response.cookies
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert f"<h1>{translation.gettext('Method not allowed')}</h1>" in html
        assert (
            translation.gettext(
                "This address only answers GET requests: it can be read, but "
                "accepts nothing sent to it."
            )
            in html
        )


def test_a_post_with_a_valid_csrf_token_gets_the_page_too():
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    response = client.post("/en/partners/", HTTP_X_CSRFTOKEN="a" * 32)

    assert response.status_code == 405
    assert "<h1>Method not allowed</h1>" in response.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "address",
    FUNCTION_VIEW_ADDRESSES
    + CLASS_VIEW_ADDRESSES
    + ["/fr/partners/names.json?q=tokyo", "/favicon.ico"],
)
def test_a_write_to_a_public_page_gets_405_not_the_csrf_checks_403(address, method):
    # As curl or a form of another site sends it, without a token: the CSRF check
    # ran before the view and answered 403, "request refused, reload the page".
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(address)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_only_views_taking_no_write_skip_the_csrf_check():
    exempt = [
        view
        for view in public_views()
        if getattr(view, "csrf_exempt", False)
        and not getattr(view, "cls", None)  # Django REST framework's, its own
    ]
    assert exempt  # the walk found them
    for view in exempt:
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            assert set(view_class.http_method_names) == {"get", "head"}, view_class
    # The forms that do write keep it.
    assert not getattr(resolve("/i18n/setlang/").func, "csrf_exempt", False)


@pytest.mark.parametrize("address", ["/i18n/setlang/", "/admin/login/"])
def test_the_forms_that_write_keep_their_csrf_check(address):
    client = Client(enforce_csrf_checks=True)
    response = client.post(address, {"language": "en"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "<h1>Request refused</h1>" in response.content.decode()
    assert "django_language" not in response.cookies


def test_a_json_endpoint_refuses_another_method_in_json(client):
    response = client.post("/en/partners/names.json?q=tokyo")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "only answers GET requests" in response.json()["error"]


def test_the_admins_refused_methods_are_left_as_django_answers_them(admin_client):
    # The logout answers POST only: a page saying GET would mislead.
    response = admin_client.get("/admin/logout/")

    assert response.status_code == 405
    assert not response.content


# --- Closed units (QA47 6): figures count the units at work, lists say "Closed"


def closed_unit(**fields):
    return UnitFactory(status="closed", creation_year=2000, closure_year=2020, **fields)


def test_home_counts_the_active_units_and_the_countries_where_the_cnrs_works(client):
    # A journalist quoted "8 joint units abroad" where 7 were active, and "10
    # countries" where one had only a closed unit and the partner that hosted it.
    UnitFactory(country="JP")
    UnitFactory(country="BR")
    chile = PartnerFactory(country="CL")
    UnitPartnershipFactory(unit=closed_unit(country="CL", acronym="CMM"), partner=chile)
    PartnerFactory(country="DE")  # a partner alone: a name in the directory

    response = client.get("/en/")

    assert response.context["counts"]["units"] == 2
    assert response.context["counts"]["countries"] == 2
    html = response.content.decode()
    assert (
        '<a class="stats__link" href="/en/units/?status=active">'
        '<span class="stats__value">2</span> active joint units abroad</a>'
    ) in html
    assert "</span> countries where the CNRS works abroad</a>" in html
    french = client.get("/fr/").content.decode()
    assert '<span class="stats__value">2</span> unités mixtes actives à' in french
    assert '<span class="stats__value">2</span> pays où le CNRS' in french


def test_home_lists_a_closed_unit_saying_so(client):
    UnitFactory(country="JP", acronym="JRL", code="IRL 3218")
    closed_unit(country="CL", acronym="CMM", code="IRL 2807")

    html = client.get("/en/").content.decode()
    cards = html[html.index('id="home-units"') :]

    assert re.search(r"CMM</a>.*?· IRL 2807 · Closed</p>", cards, re.DOTALL)
    assert not re.search(r"JRL</a>.*?· IRL 3218 · Closed</p>", cards, re.DOTALL)
    assert "· IRL 2807 · Fermée</p>" in client.get("/fr/").content.decode()


def test_home_links_all_its_units_counted_with_the_closed_ones(client, settings):
    # "See all N joint units" leads to the list, which shows the closed ones too.
    from cnrs_intl import views

    UnitFactory(country="JP")
    UnitFactory(country="JP")
    closed_unit(country="CL")
    views.HOME_UNIT_LIMIT, limit = 2, views.HOME_UNIT_LIMIT
    try:
        html = client.get("/en/").content.decode()
    finally:
        views.HOME_UNIT_LIMIT = limit
    assert "See all 3 joint units</a>" in html


def test_countries_index_counts_the_countries_where_the_cnrs_works_now(client):
    UnitFactory(country="JP")
    closed_unit(country="CL")
    PartnerFactory(country="DE")

    english = " ".join(client.get("/en/countries/").content.decode().split())

    assert "The CNRS works with researchers in 1 country abroad:" in english
    assert (
        "The countries abroad where it has only partner institutions or closed "
        "joint units are listed too, not counted."
    ) in english
    # Listed all the same: their pages say what there was.
    for code in ("CL", "DE", "JP"):
        assert f'href="/en/countries/{code}/"' in english
    french = re.sub(r"[ \n]+", " ", client.get("/fr/countries/").content.decode())
    assert "dans 1 pays étranger\xa0:" in french
    assert "des unités mixtes fermées sont aussi listés, sans être comptés." in french


def test_countries_index_says_nothing_of_past_countries_without_any(client):
    UnitFactory(country="JP")
    html = client.get("/en/countries/").content.decode()
    assert "are listed too, not counted" not in html


def test_closed_units_keep_the_home_and_countries_query_counts(client):
    populate_countries(3)
    few = count_queries(client, "/fr/"), count_queries(client, "/fr/countries/")
    for code in ("JP", "CL", "AR"):
        closed_unit(country=code)
    assert (
        count_queries(client, "/fr/"),
        count_queries(client, "/fr/countries/"),
    ) == few


# --- A country's page leads to its lists (QA47 7, 25)


def test_country_page_links_each_list_filtered_by_the_country_with_its_count(
    client,
):
    unit = UnitFactory(country="BR")
    closed_unit(country="BR")
    GrantFactory(unit=unit)
    ProjectParticipantFactory(partner=PartnerFactory(country="BR"))

    html = " ".join(client.get("/en/countries/BR/").content.decode().split())

    assert (
        '<a class="more-link" href="/en/units/?country=BR">'
        "See the joint units of this country in their list (2)</a>"
    ) in html
    assert (
        '<a class="more-link" href="/en/grants/?country=BR">'
        "See all the ERC and MSCA grants held in its joint units (1)</a>"
    ) in html
    # Also when the page lists them all: the list has the downloads.
    assert (
        '<a class="more-link" href="/en/projects/?country=BR">'
        "See all the projects with a participant in this country (1)</a>"
    ) in html
    assert '<a class="more-link" href="/en/partners/?country=BR">' in html
    assert "2 joint units (1 closed)" in re.sub(r"<[^>]+>", "", html)
    french = " ".join(client.get("/fr/countries/BR/").content.decode().split())
    assert "Voir les unités mixtes de ce pays dans leur liste (2)</a>" in french
    assert (
        "Voir tous les financements ERC et MSCA obtenus dans ses unités mixtes (1)"
    ) in french
    assert "2 unités mixtes (dont 1 fermée)" in re.sub(r"<[^>]+>", "", french)


def test_country_page_links_no_list_it_has_nothing_of(client):
    PartnerFactory(country="BR")

    html = client.get("/en/countries/BR/").content.decode()

    assert 'href="/en/partners/?country=BR"' in html
    for list_address in ("/en/units/", "/en/grants/", "/en/projects/"):
        assert f'href="{list_address}?country=BR"' not in html
    assert "closed)" not in html


def test_country_page_eyebrow_is_no_second_link_to_the_countries(client):
    # The breadcrumb just above links the index: two "Countries" links in a row.
    UnitFactory(country="BR")
    html = client.get("/en/countries/BR/").content.decode()
    content = html[html.index('id="main"') :]
    assert '<p class="eyebrow">Countries</p>' in content
    assert content.count('href="/en/countries/"') == 0
