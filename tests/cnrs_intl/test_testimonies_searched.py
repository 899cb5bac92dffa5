"""The global search finds published testimonies by their person's name ("Antoine
Petit", whom no other record names), leading to where the public reads them: their
unit's page, else the home page (``matching_testimonies`` in cnrs_intl/search.py)."""

import pytest
from django.utils import translation

from cnrs_intl.search import global_search
from tests.factories import PersonFactory, TestimonyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def found_testimonies(text):
    group = {group.key: group for group in global_search(text)}["testimonies"]
    return group.records, group.near_misses


@pytest.fixture
def quoted():
    """The CNRS's chairman quoted on the home page, a director on his unit's page."""
    petit = TestimonyFactory(
        person=PersonFactory(first_name="Antoine", last_name="Petit"),
        role_en="Chairman and CEO of the CNRS",
        quote="Collaborer avec le monde entier…",
    )
    kheddar = TestimonyFactory(
        person=PersonFactory(first_name="Abderrahmane", last_name="Kheddar"),
        unit=UnitFactory(acronym="JRL", slug="jrl"),
    )
    return petit, kheddar


@pytest.mark.parametrize("text", ["Antoine Petit", "petit", "PETIT antoine"])
def test_a_testimony_is_found_by_its_persons_name(quoted, text):
    petit, _kheddar = quoted
    assert found_testimonies(text) == ([petit], False)


def test_a_name_typed_with_a_slip_offers_it_as_a_near_miss(quoted):
    petit, _kheddar = quoted
    # Names are no words: "Petti" has the stem of "Petit", and is another name.
    assert found_testimonies("Antoine Petti") == ([petit], True)


def test_a_draft_testimony_is_not_found(quoted):
    petit, _kheddar = quoted
    petit.publication_status = "draft"
    petit.save()
    records, _near_misses = found_testimonies("Antoine Petit")
    assert petit not in records


def test_the_results_lead_to_the_unit_page_or_the_home_page(client, quoted):
    with translation.override("en"):
        html = client.get("/en/search/", {"q": "Petit"}).content.decode()
        assert '<a href="/en/#testimonies">Antoine <mark>Petit</mark></a>' in html
        assert "Chairman and CEO of the CNRS" in html
        assert '<q lang="fr">Collaborer avec le monde entier…</q>' in html

        html = client.get("/en/search/", {"q": "Kheddar"}).content.decode()
        assert '<a href="/en/units/jrl/#testimonies">' in html
    home = client.get("/en/").content.decode()
    assert '<section id="testimonies"' in home
    assert '<h2 id="testimonies">' in client.get("/en/units/jrl/").content.decode()


def test_a_testimony_of_a_draft_unit_leads_to_the_home_page(client, quoted):
    _petit, kheddar = quoted
    kheddar.unit.publication_status = "draft"
    kheddar.unit.save()
    html = client.get("/en/search/", {"q": "Kheddar"}).content.decode()
    assert '<a href="/en/#testimonies">' in html
