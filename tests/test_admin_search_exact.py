"""The admin's search boxes find the records holding the words typed, in any shape
and with typos forgiven, but not those a word names without holding it (a kind, a
country), and say when they list close records (``staff_search`` in
partners/searchable.py, ``TextSearchAdmin`` in partners/admin_lists.py)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from partners.models import PartnerKind
from tests.factories import PartnerFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db

PARTNERS = reverse("admin:partners_partner_changelist")


@pytest.fixture
def partners():
    return {
        "tokyo": PartnerFactory(
            name_fr="Université de Tokyo", name_en="University of Tokyo", country="JP"
        ),
        "mit": PartnerFactory(
            name_fr="",
            name_en="Massachusetts Institute of Technology",
            acronym="MIT",
            country="US",
            city_fr="Cambridge",
            city_en="Cambridge",
        ),
        "aist": PartnerFactory(
            name_fr="",
            name_en="AIST",
            kind=PartnerKind.RESEARCH_ORGANISATION,
            country="JP",
        ),
    }


def listed(admin_client, address, text):
    response = admin_client.get(address, {"q": text})
    assert response.status_code == 200
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    return set(response.context["cl"].result_list), notes


def test_words_find_the_partners_holding_them_not_those_they_name(
    admin_client, partners
):
    # The public site finds MIT too, a university its name does not say.
    found, notes = listed(admin_client, PARTNERS, "universités")
    assert (found, notes) == ({partners["tokyo"]}, [])
    # The public site finds the partners in Japan: here, none holds the word,
    # and the closest listed are said to be close.
    for text in ("japonais", "institutions"):
        found, notes = listed(admin_client, PARTNERS, text)
        assert partners["aist"] not in found, text
        assert not found or len(notes) == 1, text


def test_the_public_search_still_finds_what_words_name(partners):
    from partners.models import Partner

    assert set(Partner.objects.public().search("universités")) == {
        partners["tokyo"],
        partners["mit"],
    }


def test_close_records_are_said_to_be_close(admin_client, partners):
    found, notes = listed(admin_client, PARTNERS, "Univrsité de Tokio")

    assert partners["tokyo"] in found
    assert notes == [
        "Aucun enregistrement ne contient tous les mots de "
        "«\xa0Univrsité de Tokio\xa0»\xa0: voici les plus proches."
    ]
    _found, notes = listed(admin_client, PARTNERS, "Tokyo")
    assert notes == []


def test_words_typed_together_find_the_records_holding_them_apart(
    admin_client, partners
):
    # Nothing held "telaviv" nor a slip of it: nothing was listed.
    tel_aviv = PartnerFactory(
        name_fr="Université de Tel-Aviv", name_en="", country="IL"
    )
    found, notes = listed(admin_client, PARTNERS, "telaviv")
    assert found == {tel_aviv}
    assert notes == [
        "Aucun enregistrement ne contient tous les mots de "
        "«\xa0telaviv\xa0»\xa0: voici les plus proches."
    ]


@pytest.mark.parametrize(
    "address",
    [
        PARTNERS,
        reverse("admin:units_unit_changelist"),
        reverse("admin:units_person_changelist"),
        reverse("admin:auth_user_changelist"),
    ],
)
def test_no_close_record_is_announced_when_none_is_listed(
    admin_client, partners, address
):
    found, notes = listed(admin_client, address, "zzzz")

    assert (found, notes) == (set(), [])


def test_a_person_found_by_an_orcid_is_not_called_close(admin_client):
    person = PersonFactory(last_name="Pellenq", orcid="0000-0001-5109-3700")

    found, notes = listed(
        admin_client,
        reverse("admin:units_person_changelist"),
        "https://orcid.org/0000-0001-5109-3700",
    )

    assert (found, notes) == ({person}, [])


def test_a_units_former_code_is_searched_too(admin_client):
    link = UnitFactory(acronym="LINK", predecessor_code="UMR 9012")
    UnitFactory(acronym="JRL")

    for text in ("UMR 9012", "9012"):
        found, _notes = listed(
            admin_client, reverse("admin:units_unit_changelist"), text
        )
        assert found == {link}, text


@pytest.mark.parametrize(
    "text",
    [
        "0000-0001-5109-3700",
        "https://orcid.org/0000-0001-5109-3700",
        "orcid.org/0000-0001-5109-3700/",
    ],
)
def test_a_person_is_found_by_an_orcid_pasted_as_its_link(admin_client, text):
    person = PersonFactory(last_name="Pellenq", orcid="0000-0001-5109-3700")
    PersonFactory(last_name="Kheddar")

    found, _notes = listed(admin_client, reverse("admin:units_person_changelist"), text)

    assert found == {person}
