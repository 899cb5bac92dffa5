"""The accessibility statement the RGAA asks for, linked from every page's footer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OfficeFactory, PartnerFactory, UnitFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [
        ("fr", "Déclaration d’accessibilité", "<strong>non conforme</strong>"),
        ("en", "Accessibility statement", "<strong>not compliant</strong>"),
    ],
)
def test_the_statement_gives_the_status_without_an_audit(
    client, language, heading, status
):
    response = client.get(f"/{language}/accessibility/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    # No audit has been done: the RGAA's status is then "non conforme".
    assert status in html
    main = html[html.index("<main") : html.index("</main>")].lower()
    for claim in ["partiellement conforme", "totalement conforme", "fully compliant"]:
        assert claim not in main
    assert "axe-core" in main and "tab" in main
    # The DERCI as the contact, with no address made up.
    assert "derci" in main
    assert "mailto:" not in main and "@" not in main


@pytest.mark.parametrize(
    ("language", "link", "legal"),
    [
        ("fr", f"Accessibilité{NBSP}: non conforme", "Mentions légales"),
        ("en", "Accessibility: not compliant", "Legal notice"),
    ],
)
def test_every_page_links_it_and_the_legal_notice_from_its_footer(
    client, language, link, legal
):
    unit, partner, office = UnitFactory(), PartnerFactory(), OfficeFactory()
    pages = [
        f"/{language}/",
        f"/{language}/units/",
        unit.get_absolute_url().replace("/fr/", f"/{language}/"),
        f"/{language}/partners/",
        partner.get_absolute_url().replace("/fr/", f"/{language}/"),
        office.get_absolute_url().replace("/fr/", f"/{language}/"),
        f"/{language}/countries/",
        f"/{language}/countries/JP/",
        f"/{language}/programmes/",
        f"/{language}/grants/",
        f"/{language}/projects/",
        f"/{language}/search/?q=tokyo",
        f"/{language}/data/",
        f"/{language}/accessibility/",
        f"/{language}/legal/",
        f"/{language}/no-such-page/",
    ]
    for page in pages:
        html = client.get(page).content.decode()
        footer = html[html.index("<footer") :]
        expected = f'<a href="/{language}/accessibility/">{link}</a>'
        assert expected in footer, page
        assert f'<a href="/{language}/legal/">{legal}</a>' in footer, page


def test_the_statement_reads_the_site_information_alone(client):
    # Its contact and date (test_site_information.py), entered or not: one query.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/fr/accessibility/").status_code == 200
    assert len(queries) == 1


def test_the_statement_answers_get_and_head_only(client):
    assert client.head("/en/accessibility/").status_code == 200
    assert client.post("/en/accessibility/").status_code == 405


def test_the_sitemap_lists_it_in_both_languages(client):
    xml = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/fr/accessibility/</loc>" in xml
    assert 'hreflang="en" href="http://testserver/en/accessibility/"' in xml


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [
        (
            "en",
            ["each marker is a tab stop", "the tab order", "lets you bypass it"],
            ["a stop of the Tab key", "the order of the Tab key", "leads past it"],
        ),
        (
            "fr",
            [
                "autant d’appuis sur la touche Tab",
                "permet de la contourner",
                "l’ordre de tabulation",
            ],
            ["autant de pressions", "mène après elle", "l’ordre de la touche Tab"],
        ),
    ],
)
def test_the_statement_speaks_of_tab_stops_as_people_say_it(
    client, language, said, not_said
):
    html = " ".join(client.get(f"/{language}/accessibility/").content.decode().split())
    for words in said:
        assert words in html
    for words in not_said:
        assert words not in html
