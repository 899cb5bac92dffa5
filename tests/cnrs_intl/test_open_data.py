"""The open data page, which presents the data API to people."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cnrs_intl.views import API_LISTS
from tests.factories import PartnerFactory, SiteInformationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "schema", "lang"),
    [
        ("fr", "Données ouvertes", "/api/schema/?lang=fr", ""),
        # English readers got French messages and French sorts by name.
        ("en", "Open data", "/api/schema/?lang=en", "?lang=en"),
    ],
)
def test_the_page_lists_every_list_of_the_api(client, language, heading, schema, lang):
    response = client.get(f"/{language}/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    for address in [
        "/api/partners/",
        "/api/units/",
        "/api/institutes/",
        "/api/offices/",
        "/api/programmes/",
        "/api/grants/",
        "/api/projects/",
        "/api/countries/",
        "/api/key-figures/",
    ]:
        address += lang
        assert f'<a href="{address}" lang="en"><code>{address}</code></a>' in html
        answer = client.get(address)
        assert answer.status_code == 200
        assert answer["Content-Language"] == language
    assert f"/api/partners/&lt;slug&gt;/{lang}</code>" in html
    # The filters named are those the endpoint reads.
    assert '<code lang="en">country, kind, q, ordering</code>' in html
    assert f'href="{schema}"' in html
    assert client.get(schema).status_code == 200


def test_every_page_links_to_it_from_its_footer(client):
    html = client.get("/en/partners/").content.decode()
    footer = html[html.index("<footer") :]
    assert '<a href="/en/data/">Open data</a>' in footer


@pytest.mark.parametrize(
    ("address", "location"),
    [
        ("/fr/open-data/", "/fr/data/"),
        ("/en/open-data/", "/en/data/"),
        ("/en/open-data", "/en/open-data/"),
        ("/en/open-data/?section=api", "/en/data/?section=api"),
    ],
)
def test_the_address_people_guess_leads_to_it_for_good(client, address, location):
    response = client.get(address)

    assert response.status_code == 301
    assert response["Location"] == location
    assert client.post("/en/open-data/").status_code == 405


@pytest.mark.parametrize("entered", [False, True])
def test_the_page_reads_the_site_information_alone(client, entered):
    PartnerFactory()
    if entered:
        SiteInformationFactory(
            data_licence_fr="Licence Ouverte version 2.0 (Etalab)",
            data_licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        )
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/fr/data/").status_code == 200
    # The data's licence, named or not; the lists are described, not read.
    assert len(queries) == 1, [query["sql"] for query in queries]


def test_the_sitemap_lists_it_in_both_languages(client):
    xml = client.get("/sitemap-pages.xml").content.decode()
    assert "http://testserver/fr/data/" in xml
    assert "http://testserver/en/data/" in xml


def test_each_list_is_named_with_a_capital_in_french(client):
    # The models' plural names, said in sentences, are lower case in French.
    html = client.get("/fr/data/").content.decode()
    for label in [
        "Établissements partenaires",
        "Instituts du CNRS",
        "Bureaux du CNRS à l’étranger",
        "Financements ERC et MSCA",
    ]:
        row = rf'<th scope="row">(<a href="[^"]+">)?{re.escape(label)}(</a>)?</th>'
        assert re.search(row, html), label


def test_the_lists_taking_filters_are_the_paged_ones_as_the_page_says(client):
    # The page and README said every list came in pages; five came whole.
    for _label, route, _page, filterset in API_LISTS:
        answer = client.get(reverse(f"api:{route}-list")).json()
        paged = isinstance(answer, dict)
        assert paged == (filterset is not None), route
        if paged:
            assert set(answer) == {
                "count",
                "near_misses",
                "next",
                "previous",
                "results",
            }
        else:
            assert isinstance(answer, list)

    html = client.get("/en/data/").content.decode()
    assert "Filterable lists are paginated, 20 records per page" in html
    assert "The other lists, which are short, come whole, as a plain list." in html
    french = client.get("/fr/data/").content.decode()
    assert "Les listes filtrables sont paginées, 20 enregistrements par page" in french


def test_the_page_reads_as_english_and_french_prose(client):
    # QA read "one row a record" and "Each list’s page offers its records so".
    text = " ".join(client.get("/en/data/").content.decode().split())
    assert "one row per record" in text
    assert "Each list page offers both downloads, with its filters applied." in text
    assert "format=xlsx</code> gives them as an Excel workbook" in text
    french = " ".join(client.get("/fr/data/").content.decode().split())
    assert "une ligne par enregistrement" in french
    assert "La page de chaque liste propose les deux téléchargements" in french


def test_the_page_says_the_spreadsheets_columns_are_fixed(client):
    text = " ".join(client.get("/en/data/").content.decode().split())
    assert "The columns are the same, in the same order, whatever the filters" in text
    assert "the first row names them, even when no record is found" in text
    # A translation is one line: its non-breaking spaces read as written.
    french = client.get("/fr/data/").content.decode()
    assert "Les colonnes sont les mêmes, dans le même ordre" in french
    assert "mis bout à bout\u00a0; la première ligne les nomme" in french


def test_the_page_says_the_spreadsheets_label_their_codes_in_the_language_asked(
    client,
):
    text = " ".join(client.get("/en/data/").content.decode().split())
    assert (
        'then <code lang="en">country_label</code> <span lang="fr">Japon</span>, or '
        'Japan with <code lang="en">lang=en</code>. The labels are in the language of'
    ) in text
    assert "numbers as numbers and dates as dates" in text
    french = client.get("/fr/data/").content.decode()
    assert (
        '<code lang="en">country_label</code> «\u00a0Japon\u00a0», ou '
        '«\u00a0<span lang="en">Japan</span>\u00a0»'
    ) in french
    assert "Les libellés sont dans la langue de" in french


def test_every_list_is_named_in_french(client):
    # "Key figures" was marked by an alias makemessages does not read: never translated.
    html = client.get("/fr/data/").content.decode()
    assert '<a href="/fr/">Chiffres clés</a></th>' in html
    assert "Key figures" not in html


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "partner institutions, joint units, CNRS institutes, offices, "
            "programmes, grants, projects, countries and key figures.",
        ),
        (
            "fr",
            "établissements partenaires, unités mixtes, instituts du CNRS, bureaux, "
            "programmes, financements, projets, pays et chiffres clés.",
        ),
    ],
)
def test_the_introduction_names_every_list_of_the_table(client, language, sentence):
    # It named six kinds of records where the table offers nine.
    text = " ".join(client.get(f"/{language}/data/").content.decode().split())
    lead = text[text.index('<p class="lead">') :]
    assert sentence in lead[: lead.index("</p>")]
    assert len(API_LISTS) == 9
