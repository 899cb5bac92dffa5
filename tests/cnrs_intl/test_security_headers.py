"""The Content Security Policies: every public page's, cached or not; the admin's.
X-Frame-Options on every answer."""

import pytest
from django.test import Client

from tests.content_security import (
    ADMIN_POLICY,
    SITE_POLICY,
    directives,
    source_hash,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/fr/", "/en/partners/", "/fr/no-such-page/"])
def test_public_pages_carry_the_policy(client, path):
    first = client.get(path)
    second = client.get(path)  # from the page cache, when the page is cached

    for response in (first, second):
        assert directives(response["Content-Security-Policy"]) == SITE_POLICY
        assert response["X-Frame-Options"] == "DENY"
    assert SITE_POLICY["script-src"] == "'self'"
    assert "'unsafe-inline'" not in str(SITE_POLICY)


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/login/", "/admin/partners/partner/add/"]
)
def test_the_admin_has_its_own_policy(admin_client, path):
    # Django's admin templates and its packages' hold style attributes; scripts
    # are the site's files and one event handler, by its hash.
    response = admin_client.get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy == ADMIN_POLICY
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert source_hash("onSelectToggleChange(event)") in policy["script-src"]


def test_the_admins_policy_is_the_sites_but_for_two_directives(settings):
    site = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    admin = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert {name for name in admin if admin[name] != site.get(name)} == {
        "script-src",
        "style-src",
    }


def test_a_404_in_the_admin_has_the_admins_policy(admin_client):
    response = admin_client.get("/admin/no-such-page/")
    assert response.status_code == 404
    assert directives(response["Content-Security-Policy"]) == ADMIN_POLICY


def test_a_hash_source_is_the_base64_sha256_of_the_script():
    # The CSP specification's own example (Level 3, "hash-source").
    assert source_hash("var inline = 1;") == (
        "'sha256-B2yPHKaXnvFWtRChIbabYmUBFZdVfKKXHbWtWidDVF8='"
    )


@pytest.mark.parametrize(
    ("path", "https_redirect"),
    [
        ("/fr/", False),  # refused by the page cache, which keys pages by host
        ("/admin/login/", False),  # by CommonMiddleware
        ("/fr/", True),  # by the HTTPS redirection, first of all
    ],
)
def test_the_400_of_a_host_not_served_may_not_be_framed_either(
    settings, path, https_redirect
):
    settings.SECURE_SSL_REDIRECT = https_redirect
    response = Client().get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == "'none'"
    assert policy == (ADMIN_POLICY if path.startswith("/admin/") else SITE_POLICY)


def test_static_files_may_not_be_framed(client):
    # As the policy's frame-ancestors says for them too.
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response["Content-Security-Policy"]) == SITE_POLICY
