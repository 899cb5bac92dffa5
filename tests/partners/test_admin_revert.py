"""Reverting from the history page asks what a normal save asks: the role's rules.

django-simple-history's revert view only asks whether the user may view the old
version; the shared admin (partners.admin_records.TranslatedHistoryAdmin) asks
whether they may change the record as it is now, in their scope, and publish or
unpublish it when the old version's publication status differs.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cnrs_intl.models import StaffProfile
from partners.models import Agreement, Partner
from partners.publication import PublicationStatus
from partners.roles import Role
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    UnitFactory,
)
from tests.plans import plan
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


def test_office_staff_cannot_revert_a_partner_to_a_country_out_of_their_scope():
    """A version from before it came to Korea would take it out of their scope."""
    partner = PartnerFactory(country="SG")
    version = edited(partner, country="KR")
    client = client_of(staff(Role.OFFICE_STAFF))

    page = client.get(revert_url(version), HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["revert_disabled"]
    # Said why: the page said only that the version could not be reverted to.
    assert (
        "You may view this version, not revert to it: this version is outside your "
        "scope, and reverting to it would take the record out of it."
    ) in " ".join(page.content.decode().split())
    response = client.post(revert_url(version), revert_data(version))

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.country == "KR"


def test_adviser_cannot_revert_a_unit_to_institutes_out_of_their_scope(insmi):
    unit = UnitFactory()
    version = edited(unit, lead_institute=insmi)
    client = client_of(staff(Role.INSTITUTE_ADVISER, insmi))

    assert client.get(revert_url(version)).context["revert_disabled"]
    response = client.post(revert_url(version), revert_data(version))

    assert response.status_code == 403
    assert Unit.objects.get(pk=unit.pk).lead_institute == insmi


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


def test_a_revert_says_which_version_it_restored_in_its_message_and_history():
    partner = PartnerFactory(name_fr="Ancien nom", name_en="Old name")
    version = edited(partner, name_fr="Nouveau nom")
    written = datetime.datetime(2024, 3, 5, 14, 30, 12, tzinfo=datetime.UTC)
    Partner.history.filter(pk=version.pk).update(history_date=written)
    version.refresh_from_db()
    client = client_of(staff(Role.EDITOR))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.post(revert_url(version), revert_data(version))

    assert response.status_code == 302
    partner.refresh_from_db()
    with translation.override("en"):
        name = str(partner)
    # 14:30 UTC, in Paris; to the second, as versions saved in a minute differ.
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "The version of 5 March 2024, 15:30:12 of the partner institution "
        f"“{name}” was restored."
    ]
    latest = partner.history.first()
    # Kept in English, its date in ISO 8601: each reader reads it in their language.
    assert (latest.name_fr, latest.history_change_reason) == (
        "Ancien nom",
        "Restored to the version of 2024-03-05T14:30:12+00:00",
    )
    for language, said in [
        ("en", "Restored to the version of 5 March 2024, 15:30:12"),
        ("fr", "Rétabli dans la version du 5 mars 2024 15:30:12"),
    ]:
        history = client.get(
            admin_url(Partner, "history", partner.pk), HTTP_ACCEPT_LANGUAGE=language
        )
        reasons = [v.history_change_reason for v in history.context["page_obj"]]
        assert reasons[0] == said


def test_the_history_dates_versions_to_the_second(admin_client):
    partner = PartnerFactory(name_fr="Premier nom")
    edited(partner, name_fr="Deuxième nom")
    edited(partner, name_fr="Troisième nom")
    versions = partner.history.order_by("history_id")
    for version, second in zip(versions, (5, 20, 41), strict=True):
        written = datetime.datetime(2026, 12, 6, 4, 19, second, tzinfo=datetime.UTC)
        Partner.history.filter(pk=version.pk).update(history_date=written)

    history = admin_client.get(admin_url(Partner, "history", partner.pk))

    # Three versions saved in one minute: to the minute, they read the same.
    assert [version.shown_date for version in history.context["page_obj"]] == [
        "6 décembre 2026 05:19:41",
        "6 décembre 2026 05:19:20",
        "6 décembre 2026 05:19:05",
    ]
    assert "6 décembre 2026 05:19:41" in history.text


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


def deleted_ids(client, model) -> list:
    """Return the ids of the records ``model``'s Deleted records page lists."""
    response = client.get(admin_url(model, "deleted"))
    assert response.status_code == 200
    return sorted(row.id for row in response.context["deletions"])


def delete_all(*records) -> list:
    """Delete ``records``; return their ids."""
    pks = []
    for record in records:
        pks.append(record.pk)
        record.delete()
    return pks


def test_office_staff_see_the_deleted_partners_of_their_countries_only():
    [korean, singaporean] = delete_all(
        PartnerFactory(country="KR"), PartnerFactory(country="SG")
    )
    client = client_of(staff(Role.OFFICE_STAFF))

    assert deleted_ids(client, Partner) == [korean]
    assert client.get(admin_url(Partner, "history", korean)).status_code == 200
    assert client.get(admin_url(Partner, "history", singaporean)).status_code == 404


def test_office_staff_who_may_not_restore_get_no_restore_link():
    delete_all(PartnerFactory(country="KR"))

    listed = client_of(staff(Role.OFFICE_STAFF)).get(admin_url(Partner, "deleted"))

    assert listed.context["deletions"]
    assert "Restaurer" not in listed.text.split('id="deleted-records"')[1]


def test_the_empty_page_says_whether_it_is_the_scope_that_is_empty():
    delete_all(PartnerFactory(country="SG"))  # not the office's country
    scoped = client_of(staff(Role.OFFICE_STAFF)).get(admin_url(Partner, "deleted"))
    assert "Rien n’a été supprimé dans votre périmètre." in scoped.text
    editor = client_of(staff(Role.EDITOR))
    assert editor.get(admin_url(Partner, "deleted")).context["deletions"]
    assert "Rien n’a été supprimé." in editor.get(admin_url(Agreement, "deleted")).text


def test_office_staff_see_the_deleted_agreements_of_their_countries_only():
    """An agreement is theirs by its own countries or by its partners' country."""
    korean = AgreementFactory(countries=["KR"])
    with_japanese = AgreementFactory(countries=["FR"])
    with_japanese.partners.add(PartnerFactory(country="JP"))
    other = AgreementFactory(countries=["FR"])
    other.partners.add(PartnerFactory(country="SG"))
    [korean, with_japanese, other] = delete_all(korean, with_japanese, other)
    client = client_of(staff(Role.OFFICE_STAFF))

    assert deleted_ids(client, Agreement) == [korean, with_japanese]
    assert client.get(admin_url(Agreement, "history", with_japanese)).status_code == 200
    assert client.get(admin_url(Agreement, "history", other)).status_code == 404


def test_adviser_sees_the_deleted_units_of_their_institutes_only(insmi):
    """A unit is theirs by its lead institute or by one of its secondary ones."""
    led = UnitFactory(lead_institute=insmi)
    secondary = UnitFactory()
    secondary.secondary_institutes.add(insmi)
    other = UnitFactory()
    other.secondary_institutes.add(InstituteFactory())
    [led, secondary, other] = delete_all(led, secondary, other)
    client = client_of(staff(Role.INSTITUTE_ADVISER, insmi))

    assert deleted_ids(client, Unit) == [led, secondary]
    assert client.get(admin_url(Unit, "history", secondary)).status_code == 200
    assert client.get(admin_url(Unit, "history", other)).status_code == 404


def test_a_unit_deleted_before_versions_kept_relations_is_placed_by_its_lead(insmi):
    unit = UnitFactory()
    unit.secondary_institutes.add(insmi)
    [pk] = delete_all(unit)
    versions = Unit.history.filter(id=pk)
    versions.update(relations_kept=False)
    Unit.history.model.secondary_institutes.filter(history__in=versions).delete()

    assert deleted_ids(client_of(staff(Role.INSTITUTE_ADVISER, insmi)), Unit) == []


def agreement_with_a_korean_partner(insmi):
    agreement = AgreementFactory(countries=["FR"])
    agreement.partners.add(PartnerFactory(country="KR"))
    return agreement


def unit_with_insmi_second(insmi):
    unit = UnitFactory()
    unit.secondary_institutes.add(insmi)
    return unit


IN_SCOPE_THROUGH_RELATIONS = pytest.mark.parametrize(
    ("role", "in_scope"),
    [
        (Role.OFFICE_STAFF, agreement_with_a_korean_partner),
        (Role.INSTITUTE_ADVISER, unit_with_insmi_second),
    ],
    ids=["office staff", "adviser"],
)


@IN_SCOPE_THROUGH_RELATIONS
def test_scoped_roles_see_deleted_records_they_may_not_restore(insmi, role, in_scope):
    record = in_scope(insmi)
    model = type(record)
    [pk] = delete_all(record)
    deletion = model.history.get(id=pk, history_type="-")
    client = client_of(staff(role, insmi))

    page = client.get(admin_url(model, "deleted"))
    assert [row.id for row in page.context["deletions"]] == [pk]
    assert not page.context["may_restore"]
    assert client.get(revert_url(deletion)).context["revert_disabled"]
    response = client.post(revert_url(deletion), revert_data(deletion))

    assert response.status_code == 403
    assert not model.objects.filter(pk=pk).exists()


def test_the_deleted_records_page_tells_editors_how_to_restore():
    page = client_of(staff(Role.EDITOR)).get(admin_url(Partner, "deleted"))

    assert page.context["may_restore"]


@IN_SCOPE_THROUGH_RELATIONS
def test_the_deleted_records_page_queries_alike_whatever_the_rows(
    insmi, role, in_scope
):
    client = client_of(staff(role, insmi))

    def listed_and_queries(count: int) -> tuple[int, int]:
        records = [in_scope(insmi) for _ in range(count)]
        delete_all(*records)
        with CaptureQueriesContext(connection) as captured:
            listed = deleted_ids(client, type(records[0]))
        return len(listed), len(captured)

    [(one, few), (four, many)] = [listed_and_queries(1), listed_and_queries(3)]
    assert (one, four) == (1, 4)
    assert many == few


@pytest.mark.postgresql
def test_the_deleted_records_are_told_from_the_live_ones_by_an_anti_join(
    admin_client,
):
    # NOT IN (SELECT id …) of a million partners ran as a subplan per deletion: 13 s.
    delete_all(PartnerFactory(), PartnerFactory())
    page = admin_client.get(admin_url(Partner, "deleted"))
    deletions = page.context["deletions"]

    assert "Anti Join" in plan(deletions)
    assert len(deletions) == 2


def test_what_is_typed_on_a_version_page_is_not_saved_by_the_revert(admin_client):
    # The page shows the old version; "restored" must mean that version, not one
    # edited on the way (staff QA): its fields take no input.
    partner = PartnerFactory(name_fr="Nom d’origine")
    version = partner.history.get()
    partner.name_fr = "Nom d’aujourd’hui"
    partner.save()
    address = reverse(
        "admin:partners_partner_simple_history", args=[partner.pk, version.pk]
    )
    page = admin_client.get(address)
    form = page.context["adminform"].form
    fields = form.fields.items()
    assert all(field.disabled for name, field in fields if name != "opened_version")
    data = form_data(page)
    data["name_fr"] = "Nom tapé sur la page de la version"

    assert admin_client.post(address, data).status_code == 302

    partner.refresh_from_db()
    assert partner.name_fr == "Nom d’origine"


def test_an_agreements_countries_come_back_with_its_version(admin_client):
    agreement = AgreementFactory(countries=["JP", "KR"])
    version = agreement.history.get()
    agreement.countries = ["BR"]
    agreement.save()
    address = reverse(
        "admin:partners_agreement_simple_history", args=[agreement.pk, version.pk]
    )

    response = admin_client.post(address, form_data(admin_client.get(address)))

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert [country.code for country in agreement.countries] == ["JP", "KR"]


@pytest.mark.parametrize(
    ("language", "crumbs"),
    [
        ("fr", ["Accueil", "Unités et instituts", "Unités mixtes"]),
        ("en", ["Home", "Units and institutes", "Joint units"]),
    ],
)
def test_a_version_pages_breadcrumbs_name_the_app_and_list_as_the_admin_does(
    admin_client, language, crumbs
):
    unit = UnitFactory()
    version = unit.history.get()

    page = admin_client.get(
        reverse("admin:units_unit_simple_history", args=[unit.pk, version.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    html = page.content.decode()
    breadcrumbs = html[html.index('<div class="breadcrumbs">') :]
    breadcrumbs = breadcrumbs[: breadcrumbs.index("</div>")]
    links = [
        text.split(">", 1)[1].split("</a", 1)[0]
        for text in breadcrumbs.split("<a ")[1:4]
    ]
    assert links == crumbs
    assert "Historical" not in breadcrumbs and ">Units<" not in breadcrumbs
