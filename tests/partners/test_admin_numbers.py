"""Decimal numbers in the admin, as the staff's language writes them."""

from decimal import Decimal

import pytest

from tests.admin_forms import admin_url, form_data
from tests.factories import KeyFigureFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "typed"),
    [("fr", "35,5"), ("fr", "35.5"), ("en", "35.5")],
)
def test_a_decimal_is_typed_as_the_language_writes_it(admin_client, language, typed):
    # "35,5" in the French admin was refused: "Saisissez un nombre."
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    partner = PartnerFactory(latitude=None, longitude=None)
    url = admin_url(type(partner), "change", partner.pk)
    data = {**form_data(admin_client.get(url)), "latitude": typed, "longitude": "139"}

    response = admin_client.post(url, data)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.latitude == Decimal("35.5")


@pytest.mark.parametrize(("language", "shown"), [("fr", "12,50"), ("en", "12.50")])
def test_a_decimal_is_shown_as_the_language_writes_it(admin_client, language, shown):
    figure = KeyFigureFactory(value=Decimal("12.5"))
    page = admin_client.get(
        admin_url(type(figure), "change", figure.pk), HTTP_ACCEPT_LANGUAGE=language
    )
    assert f'name="value" value="{shown}"' in page.content.decode()
