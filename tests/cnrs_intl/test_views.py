import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    GrantFactory,
    KeyFigureFactory,
    OfficeFactory,
    PartnerFactory,
    TestimonyFactory,
    UnitFactory,
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
    populate(27)
    assert count_queries(client, "/fr/") == few


def test_testimony_is_marked_with_its_own_language(client):
    TestimonyFactory(quote="La recherche est de niveau mondial.", language="fr")
    html = client.get("/en/").content.decode()
    assert '<blockquote lang="fr">' in html


def test_root_sends_visitors_to_their_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Location"] == "/fr/"


def test_every_page_declares_its_alternates_and_links_the_other_language(client):
    html = client.get("/fr/").content.decode()
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/">' in html
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in html


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_unknown_page_is_a_404_in_the_site_look(client):
    response = client.get("/fr/nothing-here/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
