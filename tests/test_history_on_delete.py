"""A deletion that empties other records' foreign keys writes a version of each.

Django's deletion empties a foreign key declared ``on_delete=SET_NULL`` (a unit's
director, a partner's parent institution) by one UPDATE that sends no signal:
partners.history writes the version simple-history would not, so that reverting
the record, once the deleted one is restored, brings the link back.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cnrs_intl.models import StaffProfile
from partners.history import links_emptied_by_deleting, one_version_per_edit
from partners.models import Agreement, Office, Partner
from programmes.models import Grant
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    StaffProfileFactory,
    TestimonyFactory,
    UnitFactory,
)
from units.models import Person, Testimony, Unit

pytestmark = pytest.mark.django_db

FACTORIES = {
    Agreement: AgreementFactory,
    Grant: GrantFactory,
    Office: OfficeFactory,
    Partner: PartnerFactory,
    Person: PersonFactory,
    StaffProfile: StaffProfileFactory,
    Testimony: TestimonyFactory,
    Unit: UnitFactory,
}


def emptied_links():
    """Every foreign key to any model, on a model with history, a deletion empties.

    A new one is tested as these are (FACTORIES must make its two models).
    """
    return [
        link
        for model in apps.get_models()
        for link in links_emptied_by_deleting(model)
        if hasattr(link.model._meta, "simple_history_manager_attribute")
    ]


def version_url(version):
    return admin_url(
        version.instance_type,
        "simple_history",
        getattr(version, version.instance_type._meta.pk.attname),
        version.history_id,
    )


def revert(client, version):
    """Post ``version``'s revert form as the page shows it to ``client``."""
    page = client.get(version_url(version))
    assert page.status_code == 200
    return client.post(version_url(version), form_data(page))


def delete(client, record):
    response = client.post(
        admin_url(type(record), "delete", record.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not type(record).objects.filter(pk=record.pk).exists()


def test_the_links_a_deletion_empties_are_found_on_the_models():
    found = {f"{link.model._meta.label}.{link.name}" for link in emptied_links()}
    assert found == {
        "units.Unit.director",
        "units.Testimony.unit",
        "programmes.Grant.unit",
        "partners.Partner.parent",
        "partners.Agreement.office",
        "cnrs_intl.StaffProfile.office",
    }


@pytest.mark.parametrize(
    "link", emptied_links(), ids=lambda link: f"{link.model.__name__}.{link.name}"
)
def test_a_deletion_is_a_version_of_each_record_it_unlinks_and_reverting_relinks(
    admin_client, admin_user, link
):
    deleted = FACTORIES[link.related_model]()
    record = FACTORIES[link.model](**{link.name: deleted})
    before = record.history.first()
    name = str(deleted)

    delete(admin_client, deleted)

    record.refresh_from_db()
    assert getattr(record, link.attname) is None
    latest = record.history.first()
    assert latest.pk != before.pk
    assert latest.history_type == "~"
    assert getattr(latest, link.attname) is None
    assert latest.history_user == admin_user
    # Kept in English, shown in the reader's language.
    assert latest.history_change_reason == f"Related record deleted: {name}"[:100]
    # The deleted record comes back from its last version, then the record's
    # version from before the deletion links it again.
    gone = deleted.history.filter(history_type="-").get()
    assert revert(admin_client, gone).status_code == 302
    assert revert(admin_client, before).status_code == 302
    record.refresh_from_db()
    assert getattr(record, link.attname) == deleted.pk


def test_deleting_a_person_keeps_the_units_relations_in_its_version(admin_client):
    unit = UnitFactory()
    partner = PartnerFactory()
    with one_version_per_edit():
        unit.save()
        unit.partners.add(partner, through_defaults={"role": "host"})

    delete(admin_client, unit.director)

    latest = unit.history.first()
    assert latest.director_id is None
    assert latest.relations_kept
    assert [row.partner_id for row in latest.partners.all()] == [partner.pk]


def test_the_version_is_by_whoever_the_deleted_record_names(admin_user):
    """A merge names who deletes the partners it merges, outside any request."""
    parent = PartnerFactory()
    child = PartnerFactory(parent=parent)
    parent._history_user = admin_user
    parent.delete()

    assert child.history.first().history_user == admin_user


def test_a_record_deleted_with_the_one_it_was_linked_to_ends_deleted(admin_client):
    grandparent = PartnerFactory()
    parent = PartnerFactory(parent=grandparent)
    child = PartnerFactory(parent=parent)

    response = admin_client.post(
        admin_url(Partner, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [grandparent.pk, parent.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert parent.history.first().history_type == "-"
    assert [v.history_type for v in child.history.all()] == ["~", "+"]
    assert child.history.first().parent_id is None


def test_deleting_a_parent_of_many_partners_takes_as_many_queries_as_of_few(
    admin_client,
):
    def queries(children):
        parent = PartnerFactory()
        PartnerFactory.create_batch(children, parent=parent)
        with CaptureQueriesContext(connection) as context:
            delete(admin_client, parent)
        changed = Partner.history.filter(history_type="~", parent_id=None)
        assert changed.count() == children
        Partner.history.all().delete()
        return len(context)

    queries(1)  # fills the process's caches (content types), as any run before may
    assert queries(3) == queries(12)


def test_an_office_deleted_leaves_its_staff_without_office(admin_client):
    office = OfficeFactory()
    user = User.objects.create_user("tokyo", password="x", is_staff=True)
    profile = StaffProfile.objects.create(user=user, office=office)

    delete(admin_client, office)

    profile.refresh_from_db()
    assert profile.office is None


# The delete confirmation pages


def test_the_delete_page_names_the_records_that_lose_their_link(admin_client):
    person = PersonFactory()
    unit = UnitFactory(director=person, acronym="LAB-X")
    UnitFactory(acronym="LAB-Y")  # another director

    page = admin_client.get(
        admin_url(Person, "delete", person.pk), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert page.status_code == 200
    text = page.content.decode()
    assert "These records will lose their link to it:" in text
    unlinked = text[text.index('id="unlinked-objects"') :]
    unlinked = unlinked[: unlinked.index("</ul>")]
    assert f'<a href="{admin_url(Unit, "change", unit.pk)}">{unit}</a>' in unlinked
    assert unlinked.count("<li>") == 1


def test_the_delete_page_names_staff_profiles_without_a_link(admin_client):
    office = OfficeFactory()
    user = User.objects.create_user("tokyo", password="x", is_staff=True)
    profile = StaffProfile.objects.create(user=user, office=office)

    page = admin_client.get(admin_url(Office, "delete", office.pk))

    [group] = page.context["unlinked_records"]
    url = admin_url(StaffProfile, "change", profile.pk)
    assert group.names == [
        f'Profil de gestionnaire\u00a0: <a href="{url}">tokyo</a> (bureau)'
    ]


def test_the_delete_page_names_the_first_children_and_counts_the_others(
    admin_client, monkeypatch
):
    from cnrs_intl import admin_site

    monkeypatch.setattr(admin_site, "UNLINKED_SHOWN", 2)
    parent = PartnerFactory()
    PartnerFactory.create_batch(5, parent=parent)

    page = admin_client.get(admin_url(Partner, "delete", parent.pk))

    [group] = page.context["unlinked_records"]
    assert (len(group.names), group.more) == (2, 3)
    assert "et 3 autres" in page.content.decode()


def test_a_record_without_such_links_has_the_usual_delete_page(admin_client):
    page = admin_client.get(admin_url(Grant, "delete", GrantFactory().pk))

    assert page.context["unlinked_records"] == []
    assert 'id="unlinked-objects"' not in page.content.decode()


def test_the_delete_selected_page_names_the_records_that_lose_their_link(
    admin_client,
):
    parent, other = PartnerFactory(), PartnerFactory()
    child = PartnerFactory(parent=parent)
    PartnerFactory(parent=other)  # not deleted: its parent is not selected

    page = admin_client.post(
        admin_url(Partner, "changelist"),
        {"action": "delete_selected", "_selected_action": [parent.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 200
    [group] = page.context["unlinked_records"]
    assert len(group.names) == 1 and str(child) in group.names[0]
    assert "These records will lose their link to them:" in page.content.decode()


def test_a_partner_deleted_with_its_parent_is_not_named_as_unlinked(admin_client):
    parent = PartnerFactory()
    child = PartnerFactory(parent=parent)

    page = admin_client.post(
        admin_url(Partner, "changelist"),
        {"action": "delete_selected", "_selected_action": [parent.pk, child.pk]},
    )

    assert page.context["unlinked_records"] == []
