"""The back-office's login: a username guessed too often is closed for a while."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

from cnrs_intl.forms import LOGIN_FAILURES_ALLOWED, LOGIN_LOCKOUT_SECONDS

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def staff_member():
    cache.clear()
    yield User.objects.create_user("derci", password="right-one", is_staff=True)
    cache.clear()


def log_in(client, password, username="derci"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def test_the_right_password_logs_in(client):
    assert log_in(client, "right-one").status_code == 302


def test_after_too_many_wrong_passwords_even_the_right_one_is_refused(client):
    for _ in range(LOGIN_FAILURES_ALLOWED):
        assert log_in(client, "guess").status_code == 200

    response = log_in(client, "right-one")

    assert response.status_code == 429
    assert response["Retry-After"] == str(LOGIN_LOCKOUT_SECONDS)
    assert not response.wsgi_request.user.is_authenticated
    assert errors(response) in (
        [
            "Too many wrong passwords for this username: try again in a quarter of an "
            "hour."
        ],
        [
            "Trop de mots de passe erronés pour cet identifiant\xa0: réessayez dans un "
            "quart d’heure."
        ],
    )


def test_the_count_is_by_username_whatever_its_case(client):
    for _ in range(LOGIN_FAILURES_ALLOWED):
        log_in(client, "guess", username="DERCI")

    assert log_in(client, "right-one").status_code == 429
    # Another staff member is not held up.
    User.objects.create_user("other", password="pw", is_staff=True)
    assert log_in(client, "pw", username="other").status_code == 302


def test_a_login_forgets_the_wrong_passwords_before_it(client):
    for _ in range(LOGIN_FAILURES_ALLOWED - 1):
        log_in(client, "guess")
    assert log_in(client, "right-one").status_code == 302
    client.logout()

    for _ in range(LOGIN_FAILURES_ALLOWED - 1):
        log_in(client, "guess")
    assert log_in(client, "right-one").status_code == 302
