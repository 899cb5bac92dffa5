"""Staff accounts: a staff profile's history, and who may make a superuser.

A profile says which institutes an adviser, or which office's countries a member of
an office's staff, may change. Its changes were in no history: who widened whose
scope could not be read, nor undone.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User

from cnrs_intl.models import StaffProfile
from partners.caching import content_version
from partners.roles import Role
from tests.admin_forms import admin_url, form_data
from tests.factories import InstituteFactory, OfficeFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cnrs_intl.migrations.0006_staff_profile_history")


@pytest.fixture
def adviser():
    """An institute adviser of INSMI, with the first version of their profile."""
    user = User.objects.create_user("adviser", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.INSTITUTE_ADVISER.value))
    profile = StaffProfile.objects.create(user=user)
    profile.institutes.add(InstituteFactory(code="INSMI"))
    return user


def institute_codes(version) -> set[str]:
    return {row.institute.code for row in version.institutes.all()}


def change_user(client, user, **changes):
    """Post ``user``'s admin page with its staff profile's fields changed."""
    page = client.get(admin_url(User, "change", user.pk))
    data = form_data(page) | {
        f"staff_profile-0-{name}": value for name, value in changes.items()
    }
    # The admin splits the date joined into a date and a time.
    del data["date_joined"]
    data["date_joined_0"], data["date_joined_1"] = user.date_joined.strftime(
        "%Y-%m-%d %H:%M:%S"
    ).split()
    response = client.post(admin_url(User, "change", user.pk), data)
    assert response.status_code == 302, response.context["errors"]


def test_a_change_on_the_user_s_page_is_one_version_with_its_institutes(
    admin_client, admin_user, adviser
):
    inp = InstituteFactory(code="INP")
    insmi = adviser.staff_profile.institutes.get()
    profile = adviser.staff_profile
    before = profile.history.count()

    change_user(admin_client, adviser, institutes=[str(insmi.pk), str(inp.pk)])

    assert profile.history.count() == before + 1
    latest = profile.history.first()
    assert latest.history_user == admin_user
    assert latest.relations_kept
    assert institute_codes(latest) == {"INSMI", "INP"}


def test_reverting_a_profile_gives_back_its_institutes_and_office(
    admin_client, adviser
):
    profile = adviser.staff_profile
    tokyo = OfficeFactory()
    before = profile.history.first()
    change_user(
        admin_client,
        adviser,
        institutes=[str(InstituteFactory(code="INP").pk)],
        office=str(tokyo.pk),
    )
    url = admin_url(StaffProfile, "simple_history", profile.pk, before.history_id)

    page = admin_client.get(url)
    response = admin_client.post(url, form_data(page))

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.office is None
    assert [i.code for i in profile.institutes.all()] == ["INSMI"]
    assert institute_codes(profile.history.first()) == {"INSMI"}


def test_the_user_s_page_links_to_the_profile_s_versions(admin_client, adviser):
    page = admin_client.get(admin_url(User, "change", adviser.pk))

    history = admin_url(StaffProfile, "history", adviser.staff_profile.pk)
    assert f'<a href="{history}">' in page.content.decode()
    versions = admin_client.get(history)
    assert versions.status_code == 200
    assert len(versions.context["page_obj"]) == 2  # created, given INSMI


def test_the_profiles_are_listed_by_office_and_institute(admin_client, adviser):
    StaffProfileFactory(office=OfficeFactory())

    response = admin_client.get(
        admin_url(StaffProfile, "changelist"),
        {"institutes__id__exact": adviser.staff_profile.institutes.get().pk},
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [adviser.staff_profile]
    assert "INSMI" in response.content.decode()


def test_a_profile_is_made_with_its_user_not_on_its_own(admin_client):
    assert admin_client.get(admin_url(StaffProfile, "add")).status_code == 403


@pytest.mark.parametrize("role", [Role.EDITOR, Role.INSTITUTE_ADVISER])
def test_only_administrators_read_or_revert_the_profiles(client, adviser, role):
    user = User.objects.create_user("someone", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    client.force_login(user)
    profile = adviser.staff_profile
    version = profile.history.first()
    url = admin_url(StaffProfile, "simple_history", profile.pk, version.history_id)

    assert client.get(admin_url(StaffProfile, "history", profile.pk)).status_code in (
        403,
        404,
    )
    assert client.post(url, {}).status_code in (403, 404)


def test_the_migration_gives_each_existing_profile_a_first_version(adviser):
    profile = adviser.staff_profile
    profile.history.all().delete()

    migration.record_existing_profiles(apps, None)

    (version,) = profile.history.all()
    assert (version.history_type, version.relations_kept) == ("+", True)
    assert version.user_id == adviser.pk
    assert institute_codes(version) == {"INSMI"}


# Administrators manage accounts, superusers too: only a superuser makes one.


@pytest.fixture
def administrator(client):
    user = User.objects.create_user("administrator", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
    client.force_login(user)
    return user


def test_an_administrator_cannot_make_anyone_a_superuser(client, administrator):
    page = client.get(admin_url(User, "change", administrator.pk))
    data = form_data(page) | {"is_superuser": "on"}
    del data["date_joined"]
    data["date_joined_0"], data["date_joined_1"] = administrator.date_joined.strftime(
        "%Y-%m-%d %H:%M:%S"
    ).split()

    response = client.post(admin_url(User, "change", administrator.pk), data)

    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser


def test_an_administrator_cannot_change_a_superuser_s_account(
    client, administrator, admin_user
):
    assert (
        client.get(admin_url(User, "password_change", admin_user.pk)).status_code == 403
    )
    page = client.get(admin_url(User, "change", admin_user.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert not page.context["has_delete_permission"]


def test_the_versions_of_a_deleted_user_s_profile_still_show(admin_client, adviser):
    profile_id = adviser.staff_profile.pk
    response = admin_client.post(admin_url(User, "delete", adviser.pk), {"post": "yes"})
    assert response.status_code == 302

    # The profile went with its user: its versions name the user by id.
    deleted = admin_client.get(admin_url(StaffProfile, "deleted"))
    history = admin_client.get(admin_url(StaffProfile, "history", profile_id))
    assert (deleted.status_code, history.status_code) == (200, 200)
    assert f"#{adviser.pk}" in deleted.content.decode()
    version = StaffProfile.history.filter(id=profile_id).first()
    url = admin_url(StaffProfile, "simple_history", profile_id, version.history_id)
    assert admin_client.get(url).status_code == 200


def test_a_change_of_profile_leaves_the_public_pages_cached(adviser):
    office = OfficeFactory()
    version = content_version()

    profile = adviser.staff_profile
    profile.office = office
    profile.save()
    profile.institutes.clear()

    assert content_version() == version
