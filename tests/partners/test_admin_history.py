"""Undoing mistakes in the back-office: deleted records come back, editors publish."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from partners.models import Partner
from partners.roles import Role
from tests.admin_forms import form_data
from tests.factories import PartnerFactory, PersonFactory, UnitFactory
from units.models import Person

pytestmark = pytest.mark.django_db


def test_deleted_partner_is_listed_and_restored_in_both_languages(admin_client):
    partner = PartnerFactory(
        name_fr="Université de Tokyo", name_en="University of Tokyo"
    )
    pk = partner.pk
    response = admin_client.post(
        reverse("admin:partners_partner_delete", args=[pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Partner.objects.filter(pk=pk).exists()

    changelist = admin_client.get(reverse("admin:partners_partner_changelist"))
    assert reverse("admin:partners_partner_deleted") in changelist.content.decode()
    deleted = admin_client.get(reverse("admin:partners_partner_deleted"))
    assert deleted.status_code == 200
    assert "Université de Tokyo" in deleted.content.decode()

    history = admin_client.get(reverse("admin:partners_partner_history", args=[pk]))
    assert history.status_code == 200
    last_version = Partner.history.filter(id=pk, history_type="~").first() or (
        Partner.history.filter(id=pk, history_type="+").get()
    )
    form_url = reverse(
        "admin:partners_partner_simple_history", args=[pk, last_version.history_id]
    )
    form = admin_client.get(form_url)
    assert form.status_code == 200
    data = {
        key: value
        for key, value in form.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data["country"] = "JP"
    response = admin_client.post(form_url, data)
    assert response.status_code == 302, getattr(response, "context", None) and (
        response.context["adminform"].form.errors
    )
    restored = Partner.objects.get(pk=pk)
    assert (restored.name_fr, restored.name_en) == (
        "Université de Tokyo",
        "University of Tokyo",
    )
    deleted = admin_client.get(reverse("admin:partners_partner_deleted"))
    assert list(deleted.context["deletions"]) == []


def test_the_history_shows_a_versions_reason_and_no_none_without_one(
    admin_client, admin_user
):
    partner = PartnerFactory()
    partner._change_reason = "Fusion des doublons"
    partner.save()
    # Both versions by someone: the "Changed by" column of one by nobody says None.
    Partner.history.filter(id=partner.pk).update(history_user=admin_user)

    page = admin_client.get(
        reverse("admin:partners_partner_history", args=[partner.pk])
    )

    content = page.content.decode()
    assertInHTML("<td>Fusion des doublons</td>", content, count=1)
    assertInHTML("<td>–</td>", content, count=1)
    assertInHTML("<td>None</td>", content, count=0)


def test_the_history_shows_a_dash_for_a_version_by_no_user(admin_client):
    """Versions written by a command (an import, the demo) have no user."""
    partner = PartnerFactory()
    partner._change_reason = "Import ROR"
    partner.save()

    page = admin_client.get(
        reverse("admin:partners_partner_history", args=[partner.pk])
    )

    content = page.content.decode()
    assertInHTML("<td>–</td>", content, count=3)  # two users, one reason
    assert "<td>None</td>" not in content
    assert "Aucun" not in content


def user_with_role(role):
    user = User.objects.create_user(role.value, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    return user


def test_editor_saves_and_publishes_from_the_form(client):
    client.force_login(user_with_role(Role.EDITOR))
    unit = UnitFactory(publication_status="draft")
    url = reverse("admin:units_unit_change", args=[unit.pk])
    form = client.get(url)
    assert 'name="_publish"' in form.content.decode()


def test_contributor_has_no_publish_button(client):
    client.force_login(user_with_role(Role.CONTRIBUTOR))
    unit = UnitFactory(publication_status="draft")
    form = client.get(reverse("admin:units_unit_change", args=[unit.pk]))
    assert form.status_code == 200
    assert 'name="_publish"' not in form.content.decode()


def test_publish_button_publishes(admin_client):
    partner = PartnerFactory(publication_status="draft")
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update({"country": "JP", "_publish": "1"})
    response = admin_client.post(url, data)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.is_published
    # Its version says why, as the "Publish selected" action's does.
    assert partner.history.first().history_change_reason == "Published"
    # And the page says so, not only that it "was changed".
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Fiche publiée\xa0: le public la voit désormais." in said


def test_saving_a_published_record_again_does_not_say_it_is_published_now(
    admin_client,
):
    partner = PartnerFactory(publication_status="published")
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    data = form_data(admin_client.get(url))
    data["name_fr"] = "Nouveau nom"

    response = admin_client.post(url, {**data, "_publish": "1"})

    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert not any("Fiche publiée" in message for message in said)


@pytest.mark.parametrize(
    "role",
    [
        Role.READER,
        Role.CONTRIBUTOR,
        Role.EDITOR,
        Role.OFFICE_STAFF,
        Role.INSTITUTE_ADVISER,
    ],
)
def test_the_history_names_the_author_unlinked_where_the_role_may_not_open_accounts(
    client, admin_user, role
):
    person = PersonFactory()
    Person.history.filter(id=person.pk).update(history_user=admin_user)
    client.force_login(user_with_role(role))

    page = client.get(reverse("admin:units_person_history", args=[person.pk]))

    assert page.status_code == 200
    account = reverse("admin:auth_user_change", args=[admin_user.pk])
    assert account not in page.content.decode()
    assertInHTML(f"<td>{admin_user}</td>", page.content.decode(), count=1)
    # The account's page is indeed refused to this role.
    assert client.get(account).status_code == 403


def test_the_history_links_the_author_to_their_account_for_an_administrator(
    client, admin_user
):
    person = PersonFactory()
    Person.history.filter(id=person.pk).update(history_user=admin_user)
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    page = client.get(reverse("admin:units_person_history", args=[person.pk]))

    account = reverse("admin:auth_user_change", args=[admin_user.pk])
    assertInHTML(
        f'<td><a href="{account}">{admin_user}</a></td>',
        page.content.decode(),
        count=1,
    )


def test_a_back_office_page_refused_to_a_role_answers_in_the_back_offices_look(
    client, admin_user
):
    client.force_login(user_with_role(Role.READER))

    page = client.get(reverse("admin:auth_user_change", args=[admin_user.pk]))

    assert page.status_code == 403
    content = page.content.decode()
    assert 'id="header"' in content  # the admin's header, its menu and logout
    assert reverse("admin:logout") in content
    assertInHTML("<h1>Accès refusé</h1>", content, count=1)
    assert "Votre compte ne peut pas ouvrir cette page." in content
    assert page.headers["Cache-Control"].startswith("max-age=0")


def test_a_deleted_record_restored_keeps_when_it_was_created(admin_client):
    # The restore writes the record again (an INSERT): its creation was then
    # the moment of the restore, on the change form and the merge page alike.
    partner = PartnerFactory()
    created = timezone.now() - datetime.timedelta(days=400)
    Partner.objects.filter(pk=partner.pk).update(created=created)
    partner.refresh_from_db()
    partner.save()  # a version holding that creation
    admin_client.post(
        reverse("admin:partners_partner_delete", args=[partner.pk]), {"post": "yes"}
    )
    last_version = Partner.history.filter(id=partner.pk).exclude(history_type="-")[0]
    form_url = reverse(
        "admin:partners_partner_simple_history",
        args=[partner.pk, last_version.history_id],
    )

    response = admin_client.post(form_url, form_data(admin_client.get(form_url)))

    assert response.status_code == 302
    assert Partner.objects.get(pk=partner.pk).created == created
    assert Partner.history.filter(id=partner.pk)[0].created == created


def test_a_record_added_is_created_now_whatever_its_created_says():
    # Only a restore keeps a creation (keeps_created): not an add, nor an import.
    past = timezone.now() - datetime.timedelta(days=400)
    partner = PartnerFactory.build(created=past)
    partner.save()

    partner.refresh_from_db()
    assert partner.created > past + datetime.timedelta(days=399)


@pytest.mark.parametrize(
    ("language", "created", "changed", "deleted"),
    [("fr", "Créé", "Modifié", "Supprimé"), ("en", "Created", "Changed", "Deleted")],
)
def test_the_history_names_a_versions_kind_in_simple_historys_words(
    admin_client, language, created, changed, deleted
):
    # Not "Création" (Django REST framework's French, and the site's own word for a
    # unit's founding year, which has a context now).
    partner = PartnerFactory()
    pk = partner.pk
    partner.save()
    partner.delete()

    page = admin_client.get(
        reverse("admin:partners_partner_history", args=[pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    content = page.content.decode()
    for kind in (created, changed, deleted):
        assertInHTML(f"<td>{kind}</td>", content, count=1)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "fr",
            "Choisissez une date dans la liste ci-dessous pour revenir à une version "
            "antérieure de cette fiche.",
        ),
        (
            "en",
            "Choose a date from the list below to go back to an earlier version of "
            "this record.",
        ),
    ],
)
def test_the_history_page_says_how_to_go_back_in_the_admins_words(
    admin_client, language, sentence
):
    # simple-history says "this object", and has no French for the sentence.
    partner = PartnerFactory()

    page = admin_client.get(
        reverse("admin:partners_partner_history", args=[partner.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    content = page.content.decode()
    assert sentence in content
    assert "this object" not in content


def test_a_deleted_record_is_restored_from_its_row_of_the_deleted_records(
    admin_client,
):
    partner = PartnerFactory(name_fr="Université de Kyoto")
    pk, name = partner.pk, str(partner)
    partner.delete()
    deletion = Partner.history.get(id=pk, history_type="-")

    listed = admin_client.get(reverse("admin:partners_partner_deleted"))

    restore_url = reverse(
        "admin:partners_partner_simple_history", args=[pk, deletion.history_id]
    )
    assertInHTML(
        f'<a href="{restore_url}" aria-label="Restaurer {name}">Restaurer</a>',
        listed.content.decode(),
    )
    page = admin_client.get(restore_url)
    assert admin_client.post(restore_url, form_data(page)).status_code == 302
    assert Partner.objects.get(pk=pk).name_fr == "Université de Kyoto"
