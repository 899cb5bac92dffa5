"""Two people editing one record: the second save is refused, not silently merged.

The change form carries the record's ``updated`` time as it was when the form was
opened (partners.admin_forms.ConcurrentChangeForm); a save over a newer version is
refused, naming who made it and when.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from partners.models import Partner
from tests.admin_forms import form_data
from tests.factories import InstituteFactory, PartnerFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return User.objects.create_superuser(
        "alice", password="x", first_name="Alice", last_name="Martin"
    )


@pytest.fixture
def bob():
    return User.objects.create_superuser("bob", password="x")


def client_of(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the messages in the code's words
    client.force_login(user)
    return client


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def errors_of(response) -> str:
    return " ".join(response.context["adminform"].form.non_field_errors())


def test_the_second_of_two_concurrent_saves_is_refused(alice, bob):
    partner = PartnerFactory(name_fr="Université de Tokyo", acronym="UT")
    url = change_url(partner)
    alices_form = form_data(client_of(alice).get(url))
    bobs_form = form_data(client_of(bob).get(url))

    saved = client_of(alice).post(url, {**alices_form, "name_fr": "Todai"})
    assert saved.status_code == 302
    refused = client_of(bob).post(url, {**bobs_form, "acronym": "TODAI"})

    assert refused.status_code == 200
    message = errors_of(refused)
    assert "Alice Martin" in message
    assert "reload the page" in message
    partner.refresh_from_db()
    assert (partner.name_fr, partner.acronym) == ("Todai", "UT")
    assert partner.history.count() == 2


def test_the_refused_form_stays_refused_until_reloaded(alice, bob):
    partner = PartnerFactory()
    url = change_url(partner)
    bobs_form = form_data(client_of(bob).get(url))
    alices_form = form_data(client_of(alice).get(url))
    assert (
        client_of(alice).post(url, {**alices_form, "acronym": "X"}).status_code == 302
    )

    refused = client_of(bob).post(url, bobs_form)
    again = client_of(bob).post(url, form_data(refused))
    reloaded = client_of(bob).post(url, form_data(client_of(bob).get(url)))

    assert again.status_code == 200 and errors_of(again)
    assert reloaded.status_code == 302


def test_one_person_saves_the_same_record_twice(alice):
    partner = PartnerFactory()
    url = change_url(partner)
    client = client_of(alice)

    first = client.post(url, {**form_data(client.get(url)), "acronym": "A"})
    second = client.post(url, {**form_data(client.get(url)), "acronym": "B"})

    assert (first.status_code, second.status_code) == (302, 302)
    partner.refresh_from_db()
    assert partner.acronym == "B"


def test_a_change_by_an_import_after_opening_is_named_by_its_date(alice):
    partner = PartnerFactory(acronym="UT")
    url = change_url(partner)
    form = form_data(client_of(alice).get(url))
    partner.name_fr = "Changé par un import"
    partner.save()  # no user: an import, a command

    refused = client_of(alice).post(url, {**form, "acronym": "TODAI"})

    assert refused.status_code == 200
    assert "This record was changed on" in errors_of(refused)
    partner.refresh_from_db()
    assert partner.acronym == "UT"


def test_a_form_without_the_version_it_was_opened_on_is_refused(alice):
    partner = PartnerFactory(acronym="UT")
    url = change_url(partner)
    form = form_data(client_of(alice).get(url))
    del form["opened_version"]

    refused = client_of(alice).post(url, {**form, "acronym": "TODAI"})

    assert refused.status_code == 200
    assert errors_of(refused)
    partner.refresh_from_db()
    assert partner.acronym == "UT"


def test_the_version_is_a_hidden_field_of_the_page(alice):
    partner = PartnerFactory()
    page = client_of(alice).get(change_url(partner)).content.decode()
    partner.refresh_from_db()
    assert (
        f'type="hidden" name="opened_version" value="{partner.updated.isoformat()}"'
        in page
    )


def test_the_add_form_has_no_version(alice):
    page = client_of(alice).get(reverse("admin:partners_partner_add"))
    assert "opened_version" not in page.content.decode()


def test_an_inline_change_over_a_newer_version_is_refused(alice, bob):
    unit = UnitFactory(name_fr="Ancien nom")
    partner = PartnerFactory()
    url = change_url(unit)
    bobs_form = form_data(client_of(bob).get(url))
    alices_form = form_data(client_of(alice).get(url))
    saved = client_of(alice).post(url, {**alices_form, "name_fr": "Nouveau"})
    assert saved.status_code == 302
    bobs_form.update(
        {
            "partnerships-TOTAL_FORMS": "1",
            "partnerships-0-partner": str(partner.pk),
            "partnerships-0-role": "host",
            "partnerships-0-order": "0",
        }
    )

    refused = client_of(bob).post(url, bobs_form)

    assert refused.status_code == 200
    unit.refresh_from_db()
    assert unit.name_fr == "Nouveau"
    assert list(unit.partners.all()) == []


def test_a_record_without_publication_status_is_checked_too(alice, bob):
    institute = InstituteFactory(name_fr="Ancien nom")
    url = change_url(institute)
    bobs_form = form_data(client_of(bob).get(url))
    alices_form = form_data(client_of(alice).get(url))
    saved = client_of(alice).post(url, {**alices_form, "name_fr": "Nouveau"})
    assert saved.status_code == 302

    refused = client_of(bob).post(url, {**bobs_form, "website": "https://a.example"})

    assert refused.status_code == 200
    assert "Alice Martin" in errors_of(refused)


def revert_url(version):
    return reverse(
        "admin:partners_partner_simple_history",
        args=[version.instance.pk, version.history_id],
    )


def test_a_revert_over_a_version_newer_than_the_page_is_refused(alice, bob):
    """The revert form is checked against the record as it was when it opened."""
    partner = PartnerFactory(name_fr="Premier nom")
    first = partner.history.first()
    partner.name_fr = "Deuxième nom"
    partner.save()
    revert_page = client_of(bob).get(revert_url(first))
    alices_form = form_data(client_of(alice).get(change_url(partner)))
    saved = client_of(alice).post(
        change_url(partner), {**alices_form, "acronym": "NEW"}
    )
    assert saved.status_code == 302

    refused = client_of(bob).post(revert_url(first), form_data(revert_page))

    assert refused.status_code == 200
    assert "Alice Martin" in errors_of(refused)
    partner.refresh_from_db()
    assert (partner.name_fr, partner.acronym) == ("Deuxième nom", "NEW")


def test_a_revert_of_the_current_version_goes_through(alice):
    partner = PartnerFactory(name_fr="Premier nom")
    first = partner.history.first()
    partner.name_fr = "Deuxième nom"
    partner.save()
    client = client_of(alice)

    response = client.post(revert_url(first), form_data(client.get(revert_url(first))))

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name_fr == "Premier nom"


def test_a_restore_over_a_record_restored_meanwhile_is_refused(alice, bob):
    partner = PartnerFactory(name_fr="Supprimée")
    pk, version = partner.pk, partner.history.first()
    partner.delete()
    bobs_page = client_of(bob).get(revert_url(version))
    alices_page = client_of(alice).get(revert_url(version))
    restored = client_of(alice).post(revert_url(version), form_data(alices_page))
    assert restored.status_code == 302

    refused = client_of(bob).post(
        revert_url(version), {**form_data(bobs_page), "name_fr": "Autre"}
    )

    assert refused.status_code == 200
    assert errors_of(refused)
    assert Partner.objects.get(pk=pk).name_fr == "Supprimée"
