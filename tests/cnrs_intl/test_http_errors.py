"""Errors Django answers itself (400, 403) and the CSRF check: JSON at the JSON
endpoints, as their 404s and 500s, and the site's pages elsewhere."""

import json

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client

from cnrs_intl.views import bad_request, csrf_failure, permission_denied

pytestmark = pytest.mark.django_db

TOO_MANY_PARAMETERS = "&".join(f"x{number}=1" for number in range(1100))


@pytest.mark.parametrize("address", ["/api/units/", "/api/partners/", "/api/"])
def test_too_many_parameters_get_a_json_400_in_the_api(client, address):
    # Django's TooManyFieldsSent: the site's HTML page "Requête incomprise".
    response = client.get(f"{address}?{TOO_MANY_PARAMETERS}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "too many parameters" in response.json()["detail"] or (
        "trop de paramètres" in response.json()["detail"]
    )
    assert response["Access-Control-Allow-Origin"] == "*"


def test_too_many_parameters_get_the_sites_page_outside_the_api(client):
    response = client.get(f"/fr/units/?{TOO_MANY_PARAMETERS}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Requête incomprise</h1>" in response.content.decode()


def test_the_sites_own_json_addresses_get_a_json_400(client):
    response = client.get(f"/fr/partners/names.json?q=tokyo&{TOO_MANY_PARAMETERS}")

    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("handler", "exception", "status"),
    [
        (bad_request, SuspiciousOperation(), 400),
        (permission_denied, PermissionDenied(), 403),
    ],
)
def test_the_error_handlers_answer_json_in_the_api_html_elsewhere(
    rf, handler, exception, status
):
    response = handler(rf.get("/api/units/"), exception)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {"detail"}

    page = handler(rf.get("/en/units/"), exception)
    assert page.status_code == status
    assert page["Content-Type"].startswith("text/html")
    assert "<h1>" in page.content.decode()


def test_a_refused_security_token_is_said_in_json_in_the_api(rf):
    response = csrf_failure(rf.post("/api/units/"), reason="CSRF cookie not set.")

    assert response.status_code == 403
    assert set(json.loads(response.content)) == {"detail"}


def test_a_staff_page_refused_stays_the_sites_html_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "<h1>Request refused</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "ask an administrator of the management area."),
        ("fr", "demandez-le à un administrateur de l’espace de gestion."),
    ],
)
def test_the_refusal_names_the_management_area_as_the_admin_does(rf, language, words):
    # "back-office" here, "espace de gestion" in the admin's own title.
    from django.utils import translation

    with translation.override(language):
        page = permission_denied(rf.get(f"/{language}/units/"), PermissionDenied())
    html = page.content.decode()
    assert words in html
    assert "back-office" not in html
