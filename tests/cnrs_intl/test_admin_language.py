"""Staff choose the back-office's language in its header: the admin has no /fr/ or
/en/ of its own and took the browser's language alone (Django's set_language, a
cookie). The public pages keep their address's language."""

import re

import pytest

pytestmark = pytest.mark.django_db


def html_language(response) -> str:
    return re.search(r'<html lang="([a-z-]+)"', response.text)[1]


def test_the_admin_offers_the_other_language(admin_client):
    english = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_language(english) == "en"
    assert '<button type="submit" name="language" value="fr" lang="fr">Français' in (
        english.text
    )
    french = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr")
    assert html_language(french) == "fr"
    assert '<button type="submit" name="language" value="en" lang="en">English' in (
        french.text
    )


def test_the_language_chosen_is_kept_over_the_browsers(admin_client):
    page = "/admin/units/unit/?q=tokyo"
    response = admin_client.post(
        "/i18n/setlang/", {"language": "fr", "next": page}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert response["Location"] == page
    assert response.cookies["django_language"].value == "fr"
    assert html_language(admin_client.get(page, HTTP_ACCEPT_LANGUAGE="en")) == "fr"
    # The public pages are in their address's language, the choice aside.
    assert html_language(admin_client.get("/en/", HTTP_ACCEPT_LANGUAGE="en")) == "en"


def test_the_switch_leads_back_to_this_site_only(admin_client):
    response = admin_client.post(
        "/i18n/setlang/", {"language": "en", "next": "https://example.org/"}
    )
    assert response.status_code == 302
    assert "example.org" not in response["Location"]


def test_an_unknown_language_changes_nothing(admin_client):
    response = admin_client.post(
        "/i18n/setlang/", {"language": "xx", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert "django_language" not in response.cookies
