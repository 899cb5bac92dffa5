"""The Content Security Policies: every public page's, cached or not; the admin's.
X-Frame-Options on every answer."""

import pytest
from django.test import Client

from cnrs_intl.middleware import (
    ADMIN_CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY,
    source_hash,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/fr/", "/en/partners/", "/fr/no-such-page/"])
def test_public_pages_carry_the_policy(client, path):
    first = client.get(path)
    second = client.get(path)  # from the page cache, when the page is cached

    for response in (first, second):
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/login/", "/admin/partners/partner/add/"]
)
def test_the_admin_has_its_own_policy(admin_client, path):
    # Django's admin templates and its packages' hold style attributes; scripts
    # are the site's files and one event handler, by its hash.
    response = admin_client.get(path)
    assert response["Content-Security-Policy"] == ADMIN_CONTENT_SECURITY_POLICY
    assert "style-src 'self' 'unsafe-inline'" in ADMIN_CONTENT_SECURITY_POLICY
    script_src = next(
        directive
        for directive in ADMIN_CONTENT_SECURITY_POLICY.split("; ")
        if directive.startswith("script-src")
    )
    assert "'unsafe-inline'" not in script_src
    assert source_hash("onSelectToggleChange(event)") in script_src


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
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_static_files_may_not_be_framed(client):
    # As the policy's frame-ancestors says for them too.
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
