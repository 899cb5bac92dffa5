"""The Content Security Policy: on every public page, cached or not; not the admin's."""

import pytest

from cnrs_intl.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/fr/", "/en/partners/", "/fr/no-such-page/"])
def test_public_pages_carry_the_policy(client, path):
    first = client.get(path)
    second = client.get(path)  # from the page cache, when the page is cached

    for response in (first, second):
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


def test_the_admin_is_left_without_it(admin_client):
    # Django's admin templates and its packages' hold inline styles.
    assert "Content-Security-Policy" not in admin_client.get("/admin/")
