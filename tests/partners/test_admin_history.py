"""Undoing mistakes in the back-office: deleted records come back, editors publish."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from partners.models import Partner
from partners.roles import Role
from tests.factories import PartnerFactory, UnitFactory

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
