"""A change form saved as it was opened records nothing (the shared admin,
partners.admin_records.HistoryAdmin).

No version in the record's history, the same ``updated`` time, no new content
version (the cached pages stay), no entry in Django's admin log; the success
message and the redirect as for any save. A change to one field, or to one inline
row alone, is one version.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.messages import constants, get_messages
from django.test import Client

from partners.caching import content_version
from partners.history import one_version_per_edit
from partners.publication import PublicationStatus
from partners.roles import Role
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    KeyFigureFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    StaffProfileFactory,
    TestimonyFactory,
    UnitFactory,
)
from units.models import PartnerRole

pytestmark = pytest.mark.django_db


def change_url(record) -> str:
    return admin_url(type(record), "change", record.pk)


def save(client, record, changes=None, button="_continue"):
    """Post ``record``'s change form as the page shows it, with ``changes``."""
    data = form_data(client.get(change_url(record)))
    data.update(changes or {})
    data[button] = "1"
    response = client.post(change_url(record), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.fixture
def unit(unit_with_relations):
    return unit_with_relations


@pytest.fixture(params=["partner", "unit", "office"])
def record(request):
    if request.param == "unit":
        return request.getfixturevalue("unit")
    if request.param == "partner":
        return PartnerFactory(ror_id="02feahw73", website="https://www.u-tokyo.ac.jp")
    return OfficeFactory(address="1 rue du Japon\nTokyo", email="tokyo@cnrs.fr")


def test_a_form_saved_unchanged_records_nothing(admin_client, record):
    updated = record.updated
    versions = record.history.count()
    logged = LogEntry.objects.count()
    content = content_version()

    for button in ("_continue", "_save"):
        save(admin_client, record, button=button)

    record.refresh_from_db()
    assert record.updated == updated
    assert record.history.count() == versions
    assert content_version() == content
    assert LogEntry.objects.count() == logged


def test_a_form_saved_unchanged_says_saved_and_goes_on_as_usual(admin_client, record):
    response = save(admin_client, record, button="_continue")

    assert response.url == change_url(record)
    [message] = get_messages(response.wsgi_request)
    assert message.level == constants.SUCCESS


def test_a_text_sent_with_the_browsers_line_breaks_is_unchanged(admin_client):
    office = OfficeFactory(address="1 rue du Japon\nTokyo")
    versions = office.history.count()

    # What a browser sends of a textarea: its line breaks as CR LF.
    save(admin_client, office, {"address": "1 rue du Japon\r\nTokyo"})

    assert office.history.count() == versions


def test_a_draft_saved_unchanged_by_a_contributor_records_nothing(client):
    user = User.objects.create_user("contributor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.CONTRIBUTOR.value))
    client.force_login(user)
    office = OfficeFactory(publication_status=PublicationStatus.DRAFT)
    versions = office.history.count()

    save(client, office)
    save(client, office, {"name_en": "Another name"})

    assert office.history.count() == versions + 1


def test_one_field_changed_is_one_version(admin_client, record):
    updated = record.updated
    versions = record.history.count()
    logged = LogEntry.objects.count()
    content = content_version()

    save(admin_client, record, {"name_en": "Another name"})

    record.refresh_from_db()
    assert record.name_en == "Another name"
    assert record.updated > updated
    assert record.history.count() == versions + 1
    assert content_version() != content
    assert LogEntry.objects.count() == logged + 1


def test_one_inline_row_changed_alone_is_one_version_holding_it(admin_client, unit):
    updated = unit.updated
    versions = unit.history.count()
    content = content_version()
    data = form_data(admin_client.get(change_url(unit)))
    [row] = [
        index
        for index in range(2)
        if data[f"partnerships-{index}-role"] == PartnerRole.PARTNER
    ]

    save(admin_client, unit, {f"partnerships-{row}-role": PartnerRole.FUNDER})

    unit.refresh_from_db()
    assert unit.updated > updated
    assert unit.history.count() == versions + 1
    latest = unit.history.first()
    assert latest.relations_kept
    assert sorted(row.role for row in latest.partners.all()) == sorted(
        [PartnerRole.HOST, PartnerRole.FUNDER]
    )
    assert content_version() != content


def test_an_inline_row_added_or_deleted_alone_is_one_version_each(admin_client, unit):
    versions = unit.history.count()
    data = form_data(admin_client.get(change_url(unit)))
    added = {
        "partnerships-TOTAL_FORMS": "3",
        "partnerships-2-partner": str(PartnerFactory().pk),
        "partnerships-2-role": PartnerRole.PARTNER,
        "partnerships-2-order": "2",
        "partnerships-2-unit": str(unit.pk),
    }

    save(admin_client, unit, added)
    save(admin_client, unit, {"partnerships-0-DELETE": "on"})

    assert unit.history.count() == versions + 2
    assert unit.partnerships.count() == 2
    assert data["partnerships-TOTAL_FORMS"] == "2"


def test_a_relation_changed_alone_is_one_version(admin_client, unit):
    versions = unit.history.count()
    institute = InstituteFactory()

    save(admin_client, unit, {"secondary_institutes": [str(institute.pk)]})

    assert unit.history.count() == versions + 1
    assert list(unit.secondary_institutes.all()) == [institute]


def test_save_and_publish_unchanged_publishes_a_draft(admin_client):
    office = OfficeFactory(publication_status=PublicationStatus.DRAFT)
    versions = office.history.count()

    save(admin_client, office, button="_publish")

    office.refresh_from_db()
    assert office.publication_status == PublicationStatus.PUBLISHED
    assert office.history.count() == versions + 1


def test_save_and_publish_unchanged_leaves_a_published_record_alone(admin_client):
    office = OfficeFactory()
    versions = office.history.count()

    save(admin_client, office, button="_publish")

    assert office.history.count() == versions


def test_a_form_opened_before_an_unchanged_save_still_saves(admin_user):
    partner = PartnerFactory()
    first, second = Client(), Client()
    first.force_login(admin_user)
    second.force_login(admin_user)
    opened_before = form_data(second.get(change_url(partner)))

    save(first, partner)
    response = second.post(change_url(partner), {**opened_before, "acronym": "X"})

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.acronym == "X"


def test_a_form_opened_before_a_change_is_still_refused(admin_user):
    partner = PartnerFactory(acronym="UT")
    first, second = Client(), Client()
    first.force_login(admin_user)
    second.force_login(admin_user)
    opened_before = form_data(second.get(change_url(partner)))
    save(first, partner, {"name_en": "Todai"})

    for changes in ({}, {"acronym": "X"}):
        refused = second.post(change_url(partner), {**opened_before, **changes})

        assert refused.status_code == 200
        assert refused.context["adminform"].form.non_field_errors()
    partner.refresh_from_db()
    assert partner.acronym == "UT"


def test_a_revert_to_the_current_version_is_recorded(admin_client):
    partner = PartnerFactory()
    version = partner.history.get()
    url = admin_url(type(partner), "simple_history", partner.pk, version.pk)

    response = admin_client.post(url, form_data(admin_client.get(url)))

    assert response.status_code == 302
    assert partner.history.count() == 2
    assert partner.history.first().history_change_reason.startswith("Restored")


def agreement():
    agreement = AgreementFactory()
    agreement.partners.add(PartnerFactory())
    return agreement


def project():
    with one_version_per_edit():
        project = ProjectFactory()
        ProjectParticipantFactory(project=project)
        project.units.add(UnitFactory())
    return project


RECORDS = {
    "partner": PartnerFactory,
    "office": OfficeFactory,
    "agreement": agreement,
    "institute": InstituteFactory,
    "person": PersonFactory,
    "unit": UnitFactory,
    "testimony": lambda: TestimonyFactory(unit=UnitFactory()),
    "programme": ProgrammeFactory,
    "grant": GrantFactory,
    "project": project,
    "key figure": KeyFigureFactory,
    "staff profile": lambda: StaffProfileFactory(office=OfficeFactory()),
}


@pytest.mark.parametrize("make", RECORDS.values(), ids=RECORDS.keys())
def test_no_admin_records_a_form_saved_unchanged(admin_client, make):
    record = make()
    versions = record.history.count()
    content = content_version()

    save(admin_client, record)

    assert record.history.count() == versions
    assert content_version() == content
