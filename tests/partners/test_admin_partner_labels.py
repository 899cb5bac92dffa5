"""Staff tell partners of the same name apart: by city, country and ROR id.

The partner pickers of other admins (project participants, unit partnerships, an
agreement's partners) showed « Université de Madrid (UM) » five times; so did the
deleted records page, and the merge page had no city.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Agreement, Partner
from tests.admin_forms import admin_url
from tests.factories import (
    AgreementFactory,
    PartnerFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db

# The site's autocomplete, which asks the partner admin how to label a partner.
PICKER_URL = reverse("admin:autocomplete")


def madrid(city: str, country: str, ror_id: str = "") -> Partner:
    return PartnerFactory(
        name_fr="Université de Madrid",
        name_en="University of Madrid",
        acronym="UM",
        city_fr=city,
        city_en=city,
        country=country,
        ror_id=ror_id,
    )


@pytest.fixture
def namesakes() -> list[Partner]:
    return [
        madrid("Madrid", "ES", "02p0gd045"),
        madrid("Getafe", "ES"),
        madrid("", "MX"),
    ]


def suggested(client, term="madrid", language="fr", source="programmes"):
    """Return the labels the partner picker of ``source`` suggests for ``term``."""
    model_name, field_name = {
        "programmes": ("projectparticipant", "partner"),
        "units": ("unitpartnership", "partner"),
        "partners": ("agreement", "partners"),
    }[source]
    response = client.get(
        PICKER_URL,
        {
            "app_label": source,
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


@pytest.mark.parametrize("source", ["programmes", "units", "partners"])
def test_the_partner_pickers_tell_namesakes_apart(admin_client, namesakes, source):
    assert suggested(admin_client, source=source) == [
        "Université de Madrid (UM) — Getafe, Espagne",
        "Université de Madrid (UM) — Madrid, Espagne · ROR 02p0gd045",
        "Université de Madrid (UM) — Mexique",
    ]
    assert suggested(admin_client, language="en", source=source) == [
        "University of Madrid (UM) — Getafe, Spain",
        "University of Madrid (UM) — Madrid, Spain · ROR 02p0gd045",
        "University of Madrid (UM) — Mexico",
    ]


def test_a_partner_is_found_by_its_ror_id_with_its_label(admin_client, namesakes):
    assert suggested(admin_client, term="02p0gd045") == [
        "Université de Madrid (UM) — Madrid, Espagne · ROR 02p0gd045"
    ]


def test_the_partner_widgets_ask_the_pickers_and_label_the_chosen_partner(
    admin_client, namesakes
):
    unit = UnitFactory()
    UnitPartnershipFactory(unit=unit, partner=namesakes[0])
    agreement = AgreementFactory()
    agreement.partners.add(namesakes[1])
    child = PartnerFactory(parent=namesakes[2])

    pages = [
        admin_client.get(admin_url(Unit, "change", unit.pk)).text,
        admin_client.get(admin_url(Agreement, "change", agreement.pk)).text,
        admin_client.get(admin_url(Partner, "change", child.pk)).text,
    ]

    for page in pages:
        assert f'data-ajax--url="{PICKER_URL}"' in page
    chosen = [re.findall(r"<option [^>]*selected>([^<]*)</option>", p) for p in pages]
    assert "Université de Madrid (UM) — Madrid, Espagne · ROR 02p0gd045" in chosen[0]
    assert "Université de Madrid (UM) — Getafe, Espagne" in chosen[1]
    assert "Université de Madrid (UM) — Mexique" in chosen[2]


def test_a_search_too_long_in_a_partner_picker_leaves_no_message(admin_client):
    assert suggested(admin_client, term="Tokyo " * 60) == []

    page = admin_client.get(admin_url(Partner, "changelist"))

    assert not list(page.context["messages"])


@pytest.mark.parametrize("term", ["univ", ""], ids=["suggested", "django's pages"])
def test_the_pickers_queries_do_not_grow_with_the_partners(admin_client, term):
    def labels_and_queries():
        with CaptureQueriesContext(connection) as queries:
            labels = suggested(admin_client, term=term)
        return len(labels), len(queries)

    madrid("Madrid", "ES")
    one, few = labels_and_queries()
    for number in range(14):
        madrid(f"Ville {number}", "ES", ror_id=f"02p0gd0{number:02}")
    fifteen, many = labels_and_queries()

    assert (one, fifteen) == (1, 15)
    assert many == few


def deleted_rows(client) -> list[list[str]]:
    """Return the cells of each row of the deleted partners page (the name first)."""
    page = client.get(admin_url(Partner, "deleted"))
    assert page.status_code == 200
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page.text, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.split(r"</t[hd]>", row)]
        for row in rows
    ]


def test_the_deleted_partners_page_tells_namesakes_apart(admin_client, namesakes):
    for partner in namesakes:
        partner.delete()

    page = admin_client.get(admin_url(Partner, "deleted"))
    rows = sorted(row[:4] for row in deleted_rows(admin_client))

    assert re.search(
        r'<th scope="col">Fiche</th>\s*<th scope="col">Ville</th>'
        r'<th scope="col">Pays</th><th scope="col">Identifiant ROR</th>',
        page.text,
    )
    assert rows == [
        ["Université de Madrid (UM)", "Getafe", "Espagne", "–"],
        ["Université de Madrid (UM)", "Madrid", "Espagne", "02p0gd045"],
        ["Université de Madrid (UM)", "–", "Mexique", "–"],
    ]


def test_the_deleted_partners_cities_cost_no_query_per_row(admin_client):
    def rows_and_queries():
        with CaptureQueriesContext(connection) as queries:
            rows = deleted_rows(admin_client)
        return rows, len(queries)

    madrid("Madrid", "ES").delete()
    one, few = rows_and_queries()
    for number in range(4):
        madrid(f"Ville {number}", "ES", ror_id=f"02p0gd0{number:02}").delete()
    five, many = rows_and_queries()

    assert [row[1] for row in one] == ["Madrid"]
    assert sorted(row[1] for row in five) == [
        "Madrid",
        *(f"Ville {number}" for number in range(4)),
    ]
    assert many == few


def test_the_merge_page_shows_each_partners_city(admin_client, namesakes):
    ids = ",".join(str(partner.pk) for partner in namesakes)

    page = admin_client.get(f"{reverse('admin:partners_partner_merge')}?ids={ids}")

    assert '<th scope="col">Ville</th>\n' in page.text
    cities = re.findall(r"</th>\s*<td>([^<]*)</td>\s*<td>[^<]*</td>", page.text)
    assert cities == ["Madrid", "Getafe", "–"]
