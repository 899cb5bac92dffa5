"""The back-office's login: a username guessed too often is closed for a while
(django-axes, settings.AXES_*)."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
REFUSED_EN = (
    "Too many wrong passwords for this username: try again in a quarter of an hour."
)
REFUSED_FR = (
    "Trop de mots de passe erronés pour cet identifiant\xa0: réessayez dans un quart "
    "d’heure."
)


@pytest.fixture(autouse=True)
def staff_member():
    return User.objects.create_user("derci", password="right-one", is_staff=True)


def log_in(client, password, username="derci", language="en"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def guess(client, times, username="derci"):
    """Send ``times`` wrong passwords, each answered as a wrong one."""
    for _ in range(times):
        response = log_in(client, "guess", username=username)
        assert response.status_code == 200
        assert errors(response) != [REFUSED_EN]


def lock_out(client, username="derci"):
    """Send the wrong passwords that lock ``username`` out: the last is refused."""
    guess(client, settings.AXES_FAILURE_LIMIT - 1, username=username)
    assert log_in(client, "guess", username=username).status_code == 429


def test_the_settings_say_ten_wrong_passwords_a_quarter_of_an_hour():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_the_right_password_logs_in(client):
    assert log_in(client, "right-one").status_code == 302


def test_after_ten_wrong_passwords_even_the_right_one_is_refused(client):
    guess(client, settings.AXES_FAILURE_LIMIT - 1)

    # The tenth is told at once, and the next ones, the right password too.
    for password in ("guess", "right-one"):
        response = log_in(client, password)
        assert response.status_code == 429
        assert response["Retry-After"] == "900"
        assert not response.wsgi_request.user.is_authenticated
        # On the admin's own login page, its form saying why.
        assert errors(response) == [REFUSED_EN]
        assert 'id="login-form"' in response.text
        assert "cnrs-intl — DERCI back-office" in response.text


def test_the_refusal_is_said_in_french_too(client):
    lock_out(client)

    response = log_in(client, "right-one", language="fr")

    assert response.status_code == 429
    assert errors(response) == [REFUSED_FR]
    assert REFUSED_FR in response.text


def test_the_count_is_by_username_whatever_its_case(client):
    guess(client, settings.AXES_FAILURE_LIMIT - 1, username="DERCI")
    assert log_in(client, "guess", username="Derci").status_code == 429

    assert log_in(client, "right-one").status_code == 429
    # Another staff member is not held up.
    User.objects.create_user("other", password="pw", is_staff=True)
    assert log_in(client, "pw", username="other").status_code == 302


def test_the_count_is_by_username_whatever_the_address_or_browser(client):
    # Behind the proxy every visitor has its address; a new browser name does not
    # start a new count either.
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "derci", "password": "guess"},
            REMOTE_ADDR=f"10.0.0.{number}",
            HTTP_USER_AGENT=f"browser {number}",
        )
    assert log_in(client, "right-one").status_code == 429


def test_a_login_forgets_the_wrong_passwords_before_it(client):
    guess(client, settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "right-one").status_code == 302
    client.logout()

    guess(client, settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "right-one").status_code == 302


def test_the_lock_ends_a_quarter_of_an_hour_after_the_tenth_failure(client):
    lock_out(client)
    tenth = AccessAttempt.objects.values_list(
        "attempt_time", "failures_since_start"
    ).get()
    # Attempts refused meanwhile do not make it longer: never locked for good.
    assert log_in(client, "guess").status_code == 429
    assert (
        AccessAttempt.objects.values_list("attempt_time", "failures_since_start").get()
        == tenth
    )

    quarter_of_an_hour_ago = AccessAttempt.objects.get().attempt_time - (
        datetime.timedelta(minutes=15, seconds=1)
    )
    AccessAttempt.objects.update(attempt_time=quarter_of_an_hour_ago)

    assert log_in(client, "right-one").status_code == 302


def test_retry_after_says_how_long_the_lock_has_left(client):
    # It said 900 seconds at any moment of the quarter of an hour.
    lock_out(client)
    ten_minutes_ago = AccessAttempt.objects.get().attempt_time - datetime.timedelta(
        minutes=10
    )
    AccessAttempt.objects.update(attempt_time=ten_minutes_ago)

    response = log_in(client, "right-one")

    assert response.status_code == 429
    assert 295 <= int(response["Retry-After"]) <= 300


def test_staff_unlock_a_username_with_a_command(client):
    lock_out(client)

    call_command("axes_reset_username", "derci", stdout=None)

    assert log_in(client, "right-one").status_code == 302


def test_every_failure_is_kept_for_the_admin(client):
    guess(client, 3)
    assert AccessFailureLog.objects.filter(username="derci").count() == 3


def test_administrators_see_the_attempts_and_unlock_a_username(client):
    lock_out(client)
    administrator = User.objects.create_user("boss", is_staff=True)
    administrator.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
    client.force_login(administrator)
    attempts = reverse("admin:axes_accessattempt_changelist")

    listed = client.get(attempts, HTTP_ACCEPT_LANGUAGE="en")
    assert listed.status_code == 200
    assert "locked out" in listed.text
    failures = client.get(reverse("admin:axes_accessfailurelog_changelist"))
    assert failures.status_code == 200
    assert failures.context["cl"].result_count == settings.AXES_FAILURE_LIMIT

    attempt = AccessAttempt.objects.get()
    unlocked = client.post(
        attempts,
        {"action": "unlock", "_selected_action": [attempt.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "1 username unlocked: derci." in unlocked.text
    client.logout()
    assert log_in(client, "right-one").status_code == 302


@pytest.mark.parametrize("name", ["accessattempt", "accessfailurelog"])
def test_the_login_protection_lists_queries_do_not_grow_with_their_rows(
    admin_client, name
):
    # A username's state is counted by a subquery of the list's, not a query a row.
    address = reverse(f"admin:axes_{name}_changelist")

    def record(count):
        for number in range(count):
            username = f"guessed-{AccessAttempt.objects.count()}-{number}"
            AccessAttempt.objects.create(
                username=username,
                ip_address="10.0.0.1",
                user_agent="a browser",
                failures_since_start=3,
            )
            AccessFailureLog.objects.create(
                username=username, ip_address="10.0.0.1", user_agent="a browser"
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(address).status_code == 200
        return len(captured)

    record(2)
    queries()  # what every admin page reads once per content version
    few = queries()
    record(30)
    assert queries() == few


@pytest.mark.parametrize("role", [Role.EDITOR, Role.READER])
def test_other_roles_do_not_see_the_attempts(client, role):
    user = User.objects.create_user("someone", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    client.force_login(user)

    for name in ("accessattempt", "accessfailurelog"):
        assert client.get(reverse(f"admin:axes_{name}_changelist")).status_code == 403


def test_the_test_clients_login_works_given_a_request(client):
    # django-axes counts by request: Client.login() is given one.
    assert client.login(request=HttpRequest(), username="derci", password="right-one")
