"""Reverting from the history page asks what a normal save asks: the role's rules.

django-simple-history's revert view only asks whether the user may view the old
version; the shared admin (partners.admin.TranslatedHistoryAdmin) asks whether they
may change the record as it is now, in their scope, and publish or unpublish it when
the old version's publication status differs.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from cnrs_intl.models import StaffProfile
from partners.models import Partner
from partners.publication import PublicationStatus
from partners.roles import Role
from tests.admin_forms import form_data
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    UnitFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED


@pytest.fixture
def insmi():
    return InstituteFactory(code="INSMI")


def staff(role, insmi=None):
    """A staff member of ``role``, at the Tokyo office (Japan, Korea) and INSMI."""
    user = User.objects.create_user(role.value, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    profile = StaffProfile.objects.create(
        user=user, office=OfficeFactory(country="JP", countries=["JP", "KR"])
    )
    if insmi is not None:
        profile.institutes.add(insmi)
    return user


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def revert_url(version):
    opts = version.instance._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[version.instance.pk, version.history_id],
    )


def revert_data(version):
    """The revert form of ``version`` as an administrator would post it."""
    superuser = User.objects.filter(is_superuser=True).first() or (
        User.objects.create_superuser("root", password="x")
    )
    page = client_of(superuser).get(revert_url(version))
    assert page.status_code == 200
    return form_data(page)


def edited(record, **changes):
    """Save ``changes`` on ``record``; return its version from before them."""
    before = record.history.first()
    for name, value in changes.items():
        setattr(record, name, value)
    record.save()
    return before


def revert(user, version):
    data = revert_data(version)
    return client_of(user).post(revert_url(version), data)


# Refused


def test_reader_cannot_revert_a_published_partner():
    partner = PartnerFactory(name_fr="Ancien nom")
    version = edited(partner, name_fr="Nouveau nom")

    response = revert(staff(Role.READER), version)

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.name_fr == "Nouveau nom"
    assert partner.history.count() == 2


def test_reader_cannot_revert_a_published_unit(insmi):
    unit = UnitFactory(name_fr="Ancien nom", lead_institute=insmi)
    version = edited(unit, name_fr="Nouveau nom")

    response = revert(staff(Role.READER, insmi), version)

    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.name_fr == "Nouveau nom"


def test_reader_cannot_republish_a_draft_by_reverting():
    partner = PartnerFactory(publication_status=PUBLISHED)
    version = edited(partner, publication_status=DRAFT)

    response = revert(staff(Role.READER), version)

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.publication_status == DRAFT


def test_reader_cannot_restore_a_deleted_partner():
    partner = PartnerFactory()
    pk, version = partner.pk, partner.history.first()
    partner.delete()

    response = revert(staff(Role.READER), version)

    assert response.status_code == 403
    assert not Partner.objects.filter(pk=pk).exists()


def test_reader_cannot_revert_a_record_without_publication_status():
    person = PersonFactory(last_name="Dupont")
    version = edited(person, last_name="Durand")

    response = revert(staff(Role.READER), version)

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.last_name == "Durand"


def test_contributor_cannot_revert_a_published_partner():
    partner = PartnerFactory(name_fr="Ancien nom", publication_status=DRAFT)
    version = edited(partner, name_fr="Nouveau nom", publication_status=PUBLISHED)

    response = revert(staff(Role.CONTRIBUTOR), version)

    assert response.status_code == 403
    partner.refresh_from_db()
    assert (partner.name_fr, partner.publication_status) == ("Nouveau nom", PUBLISHED)


def test_contributor_cannot_publish_a_draft_by_reverting():
    partner = PartnerFactory(publication_status=PUBLISHED)
    version = edited(partner, publication_status=DRAFT)

    response = revert(staff(Role.CONTRIBUTOR), version)

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.publication_status == DRAFT


def test_contributor_cannot_restore_a_deleted_published_partner():
    partner = PartnerFactory(publication_status=PUBLISHED)
    pk, version = partner.pk, partner.history.first()
    partner.delete()

    response = revert(staff(Role.CONTRIBUTOR), version)

    assert response.status_code == 403
    assert not Partner.objects.filter(pk=pk).exists()


def test_office_staff_cannot_unpublish_a_partner_of_their_country_by_reverting():
    partner = PartnerFactory(country="JP", publication_status=DRAFT)
    version = edited(partner, publication_status=PUBLISHED)

    response = revert(staff(Role.OFFICE_STAFF), version)

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.publication_status == PUBLISHED


def test_office_staff_cannot_revert_a_partner_of_another_country():
    """Out of their scope, the record is as missing as on its change page."""
    partner = PartnerFactory(country="SG", name_fr="Ancien nom")
    version = edited(partner, name_fr="Nouveau nom")
    client = client_of(staff(Role.OFFICE_STAFF))

    assert client.get(revert_url(version)).status_code == 404
    response = client.post(revert_url(version), revert_data(version))

    assert response.status_code == 404
    partner.refresh_from_db()
    assert partner.name_fr == "Nouveau nom"


def test_office_staff_see_no_history_of_a_partner_of_another_country():
    partner = PartnerFactory(country="SG")
    client = client_of(staff(Role.OFFICE_STAFF))

    url = reverse("admin:partners_partner_history", args=[partner.pk])

    assert client.get(url).status_code == 404


def test_office_staff_cannot_restore_a_deleted_partner_of_another_country():
    partner = PartnerFactory(country="SG")
    pk, version = partner.pk, partner.history.first()
    partner.delete()
    client = client_of(staff(Role.OFFICE_STAFF))

    history = reverse("admin:partners_partner_history", args=[pk])
    assert client.get(history).status_code == 404
    deleted = client.get(reverse("admin:partners_partner_deleted"))
    assert list(deleted.context["deletions"]) == []
    response = client.post(revert_url(version), revert_data(version))

    assert response.status_code == 404
    assert not Partner.objects.filter(pk=pk).exists()


def test_adviser_cannot_revert_a_unit_of_another_institute(insmi):
    unit = UnitFactory(name_fr="Ancien nom")
    version = edited(unit, name_fr="Nouveau nom")
    client = client_of(staff(Role.INSTITUTE_ADVISER, insmi))

    assert client.get(revert_url(version)).status_code == 404
    response = client.post(revert_url(version), revert_data(version))

    assert response.status_code == 404
    unit.refresh_from_db()
    assert unit.name_fr == "Nouveau nom"


def test_reader_views_an_old_version_without_a_revert_button():
    partner = PartnerFactory(name_fr="Ancien nom")
    version = edited(partner, name_fr="Nouveau nom")

    page = client_of(staff(Role.READER)).get(revert_url(version))

    assert page.status_code == 200
    assert "Ancien nom" in page.content.decode()
    assert page.context["revert_disabled"]
    assert 'name="_save"' not in page.content.decode()


def test_contributor_sees_no_revert_button_on_a_published_partner():
    partner = PartnerFactory(publication_status=DRAFT)
    version = edited(partner, publication_status=PUBLISHED, name_fr="Autre")

    page = client_of(staff(Role.CONTRIBUTOR)).get(revert_url(version))

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


# Allowed


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMINISTRATOR])
def test_editors_revert_and_publish_by_reverting(role):
    partner = PartnerFactory(name_fr="Ancien nom", publication_status=PUBLISHED)
    version = edited(partner, name_fr="Nouveau nom", publication_status=DRAFT)
    user = staff(role)

    page = client_of(user).get(revert_url(version))
    assert 'name="_save"' in page.content.decode()
    response = client_of(user).post(revert_url(version), form_data(page))

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name_fr, partner.publication_status) == ("Ancien nom", PUBLISHED)
    assert partner.history.first().history_user == user


def test_editor_restores_a_deleted_published_partner():
    partner = PartnerFactory(name_fr="Supprimée", publication_status=PUBLISHED)
    pk, version = partner.pk, partner.history.first()
    partner.delete()

    response = revert(staff(Role.EDITOR), version)

    assert response.status_code == 302
    assert Partner.objects.get(pk=pk).name_fr == "Supprimée"


def test_contributor_reverts_a_draft_to_an_older_draft():
    partner = PartnerFactory(name_fr="Ancien nom", publication_status=DRAFT)
    version = edited(partner, name_fr="Nouveau nom")

    response = revert(staff(Role.CONTRIBUTOR), version)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name_fr, partner.publication_status) == ("Ancien nom", DRAFT)


def test_contributor_restores_a_deleted_draft():
    partner = PartnerFactory(publication_status=DRAFT)
    pk, version = partner.pk, partner.history.first()
    partner.delete()

    response = revert(staff(Role.CONTRIBUTOR), version)

    assert response.status_code == 302
    assert Partner.objects.filter(pk=pk, publication_status=DRAFT).exists()


def test_office_staff_revert_a_partner_of_their_country():
    partner = PartnerFactory(country="KR", name_fr="Ancien nom")
    version = edited(partner, name_fr="Nouveau nom")

    response = revert(staff(Role.OFFICE_STAFF), version)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name_fr == "Ancien nom"


def test_adviser_reverts_a_unit_of_their_institute(insmi):
    unit = UnitFactory(name_fr="Ancien nom", lead_institute=insmi)
    version = edited(unit, name_fr="Nouveau nom")

    response = revert(staff(Role.INSTITUTE_ADVISER, insmi), version)

    assert response.status_code == 302
    assert Unit.objects.get(pk=unit.pk).name_fr == "Ancien nom"


# Deleted records, in scope


def test_adviser_sees_the_deleted_grants_of_their_institutes_only(insmi):
    mine = GrantFactory(institute=insmi, acronym="MINE")
    other = GrantFactory(acronym="OTHER")
    mine_pk, other_pk = mine.pk, other.pk
    mine.delete()
    other.delete()
    client = client_of(staff(Role.INSTITUTE_ADVISER, insmi))

    deleted = client.get(reverse("admin:programmes_grant_deleted"))

    assert [row.id for row in deleted.context["deletions"]] == [mine_pk]
    history = "admin:programmes_grant_history"
    assert client.get(reverse(history, args=[mine_pk])).status_code == 200
    assert client.get(reverse(history, args=[other_pk])).status_code == 404


def test_adviser_sees_no_deleted_unit_its_history_cannot_place(insmi):
    """A unit's scope goes through its secondary institutes, which history lacks."""
    unit = UnitFactory(lead_institute=insmi)
    pk = unit.pk
    unit.delete()
    client = client_of(staff(Role.INSTITUTE_ADVISER, insmi))

    deleted = client.get(reverse("admin:units_unit_deleted"))

    assert list(deleted.context["deletions"]) == []
    history = reverse("admin:units_unit_history", args=[pk])
    assert client.get(history).status_code == 404
