"""Bad input anywhere gets a 400 and a message, never a 500, on both databases."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PartnerFactory, UnitFactory

pytestmark = pytest.mark.django_db


def url(name, language="en"):
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize("name", ["partners:list", "units:list"])
def test_a_list_refuses_a_search_text_too_long_to_search(client, name):
    PartnerFactory(name_fr="Université de Tokyo")
    UnitFactory(acronym="JFLI")
    # A thousand words made a condition each: SQLite gave up ("Expression tree is
    # too large"), PostgreSQL took a second.
    long_text = " ".join(f"w{number}" for number in range(1000))
    response = client.get(url(name), {"q": long_text})
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.content.decode()
    assert client.get(url(name), {"q": "tokyo " * 33}).status_code == 200


@pytest.mark.parametrize(
    "address",
    [
        "/en/partners/names.json?q=mi%00t",
        "/en/partners/?q=a%00b",
        "/en/search/?q=%00",
        "/en/units/?country=%00",
    ],
)
def test_a_nul_character_in_the_address_is_refused(client, address):
    # PostgreSQL refuses NUL in text: the autocomplete failed with a 500.
    PartnerFactory(name_fr="Université de Tokyo")
    response = client.get(address)
    assert response.status_code == 400
    message = "The address holds a NUL character (%00), which is not text."
    if address.split("?")[0].endswith(".json"):
        assert response.json() == {"error": message}
    else:
        assert message in response.content.decode()


def test_a_nul_character_in_an_admin_search_is_refused(admin_client):
    PartnerFactory(name_fr="Université de Tokyo")
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "partners",
            "model_name": "partner",
            "field_name": "parent",
            "term": "ab\x00",
        },
    )
    assert response.status_code == 400
    changelist = admin_client.get("/admin/partners/partner/", {"q": "to\x00kyo"})
    assert changelist.status_code == 400


def test_the_refusal_is_in_the_visitors_language(client):
    response = client.get("/fr/partners/names.json?q=mi%00t")
    assert response.status_code == 400
    assert response.json()["error"] == (
        "L’adresse contient un caractère NUL (%00), qui n’est pas du texte."
    )
