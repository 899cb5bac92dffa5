"""The admin's autocomplete widgets for partners suggest as the public autocomplete.

Names starting with the text typed come first (read from the name index on
PostgreSQL), then the other partners the search finds; a partner one of whose
identifiers is the text, first of all. Pages are cut from those suggestions.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cnrs_intl.models import StaffProfile
from partners.publication import PublicationStatus
from partners.roles import Role
from tests.factories import OfficeFactory, PartnerFactory, UnitFactory

pytestmark = pytest.mark.django_db


def partner(name, **fields):
    return PartnerFactory(**{"name_fr": name, "name_en": name, "acronym": "", **fields})


def suggest(client, term, page=None, model_name="partner", field_name="parent"):
    """Return (names, more) of the autocomplete of ``model_name.field_name``."""
    query = {
        "app_label": "partners",
        "model_name": model_name,
        "field_name": field_name,
        "term": term,
    }
    if page is not None:
        query["page"] = page
    response = client.get(reverse("admin:autocomplete"), query)
    assert response.status_code == 200
    data = response.json()
    # The records suggested, in order, by their names: their labels go on with
    # where they are, after a dash (test_admin_partner_labels.py).
    names = [result["text"].split(" — ")[0] for result in data["results"]]
    return names, data["pagination"]["more"]


def test_names_starting_with_the_text_come_first(admin_client):
    partner("Institut universitaire de France")
    partner("Université de Tokyo")
    partner("Universidade de São Paulo")
    partner("Observatoire de Paris")

    names, more = suggest(admin_client, "univ")

    assert names == [
        "Universidade de São Paulo",
        "Université de Tokyo",
        "Institut universitaire de France",
    ]
    assert more is False


def test_accents_and_typos_are_forgiven(admin_client):
    partner("Universidade de São Paulo", acronym="USP")
    partner("Université de Tokyo")

    assert suggest(admin_client, "universidade de sao")[0] == [
        "Universidade de São Paulo (USP)"
    ]
    assert suggest(admin_client, "Sao Paolo")[0] == ["Universidade de São Paulo (USP)"]


def test_a_partner_whose_identifier_is_the_text_comes_first(admin_client):
    partner("Université 036rp1748")
    partner("Université de Tokyo", ror_id="036rp1748")

    names, _more = suggest(admin_client, "036rp1748")

    assert names == ["Université de Tokyo", "Université 036rp1748"]


def test_pages_follow_each_other_without_repeating_a_partner(admin_client):
    for number in range(25):
        partner(f"Université {number:02}")
    partner("Institut universitaire")

    first, more = suggest(admin_client, "univ")
    second, more_after = suggest(admin_client, "univ", page=2)

    assert first == [f"Université {number:02}" for number in range(20)]
    assert more is True
    assert second == [
        *(f"Université {number:02}" for number in range(20, 25)),
        "Institut universitaire",
    ]
    assert more_after is False


@pytest.mark.parametrize("page", ["0", "abc", "-1", "9" * 30])
def test_a_page_that_is_no_page_is_a_404(admin_client, page):
    PartnerFactory(name_fr="Université de Tokyo")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "partners",
            "model_name": "partner",
            "field_name": "parent",
            "term": "univ",
            "page": page,
        },
    )
    assert response.status_code == 404


def test_staff_are_suggested_drafts_too(admin_client):
    partner("Université de Tokyo", publication_status=PublicationStatus.DRAFT)
    assert suggest(admin_client, "univ")[0] == ["Université de Tokyo"]


def test_office_staff_are_suggested_the_partners_of_their_countries(client):
    office = OfficeFactory(country="JP", countries=["JP"])
    user = User.objects.create_user("office", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.OFFICE_STAFF.value))
    StaffProfile.objects.create(user=user, office=office)
    partner("Université de Tokyo", country="JP")
    partner("Université de São Paulo", country="BR")
    client.force_login(user)

    assert suggest(client, "univ", model_name="agreement", field_name="partners")[
        0
    ] == ["Université de Tokyo"]


def test_other_models_keep_djangos_autocomplete(admin_client):
    unit = UnitFactory(name_fr="Laboratoire de Tokyo", name_en="Tokyo laboratory")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "programmes",
            "model_name": "grant",
            "field_name": "unit",
            "term": "tokyo",
        },
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == [str(unit)]


def test_queries_do_not_grow_with_the_partners(admin_client):
    def count(term):
        with CaptureQueriesContext(connection) as queries:
            suggest(admin_client, term)
        return len(queries)

    partner("Université 00")
    few = count("univ")
    # Both fewer than a page: the same way through the suggestions.
    for number in range(1, 15):
        partner(f"Université {number:02}")
    assert count("univ") == few
