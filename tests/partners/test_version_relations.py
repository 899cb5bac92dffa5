"""Versions keep a record's relations; reverting brings them back (partners.history).

A unit's partners (with their roles) and secondary institutes, an agreement's
partners, a project's participants and units: each version of the record holds
them as the edit that wrote it left them, one version per edit.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from partners.history import (
    one_version_per_edit,
    relation_changes,
    restore_relations,
)
from partners.models import Agreement, Partner
from partners.services import merge_partners
from programmes.models import ParticipantRole, Project
from programmes.services import import_cordis
from tests.admin_forms import form_data, new_unit_data
from tests.factories import (
    AgreementFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import PartnerRole, Unit, UnitPartnership

pytestmark = pytest.mark.django_db


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def version_url(version):
    opts = version.instance._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[version.instance.pk, version.history_id],
    )


def revert(client, version, **extra):
    """Post ``version``'s revert form as the page shows it to ``client``."""
    page = client.get(version_url(version))
    return client.post(version_url(version), form_data(page), **extra)


def kept(version, relation):
    """The ids of the records ``version`` kept in ``relation``."""
    target = version.instance._meta.get_field(relation).m2m_reverse_field_name()
    return sorted(
        getattr(row, f"{target}_id") for row in getattr(version, relation).all()
    )


def roles(version):
    """A unit version's partnerships as (partner id, role, order)."""
    return sorted(
        (row.partner_id, row.role, row.order) for row in version.partners.all()
    )


@pytest.fixture
def unit(unit_with_relations):
    return unit_with_relations


def test_a_record_written_in_one_edit_has_one_version_holding_its_relations(unit):
    [version] = unit.history.all()

    assert version.history_type == "+"
    assert version.relations_kept
    assert roles(version) == sorted(
        (p.partner_id, p.role, p.order) for p in unit.partnerships.all()
    )
    assert kept(version, "secondary_institutes") == [unit.secondary_institutes.get().pk]


def test_a_record_created_reads_none_of_its_relations_for_its_version():
    """A record just written has no relations (their rows need its key): its
    version reads none, where simple-history would read each relation's rows."""
    UnitFactory()  # its institute and director exist: the next unit's are new too
    with CaptureQueriesContext(connection) as queries:
        unit = UnitFactory()
    through_tables = {
        Unit.partners.through._meta.db_table,
        Unit.secondary_institutes.through._meta.db_table,
    }
    read = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in read if any(t in sql for t in through_tables)]
    [version] = unit.history.all()
    assert version.relations_kept
    assert (roles(version), kept(version, "secondary_institutes")) == ([], [])


def test_a_unit_added_in_the_admin_has_one_version_holding_its_relations(
    admin_client,
):
    insb, partner = InstituteFactory(), PartnerFactory()
    data = new_unit_data(
        admin_client,
        InstituteFactory(),
        **{
            "secondary_institutes": [str(insb.pk)],
            "partnerships-TOTAL_FORMS": "1",
            "partnerships-0-partner": str(partner.pk),
            "partnerships-0-role": PartnerRole.HOST,
            "partnerships-0-order": "0",
        },
    )

    response = admin_client.post(reverse("admin:units_unit_add"), data)

    assert response.status_code == 302, response.context["errors"]
    [version] = Unit.objects.get(slug="gt-cnrs").history.all()
    assert (version.history_type, version.relations_kept) == ("+", True)
    assert roles(version) == [(partner.pk, PartnerRole.HOST, 0)]
    assert kept(version, "secondary_institutes") == [insb.pk]


def test_a_save_in_the_admin_is_one_version_with_the_relations_it_left(
    admin_client, unit
):
    page = admin_client.get(change_url(unit))
    data = form_data(page)
    host, partner = unit.partnerships.order_by("order")
    insb = InstituteFactory(code="INSB")
    new_partner = PartnerFactory()
    # Change a role, delete a partnership, add one, change the secondary institutes.
    rows = {data[f"partnerships-{i}-id"]: i for i in range(2)}
    data[f"partnerships-{rows[str(host.pk)]}-role"] = PartnerRole.FUNDER
    data[f"partnerships-{rows[str(partner.pk)]}-DELETE"] = "on"
    data.update(
        {
            "partnerships-TOTAL_FORMS": "3",
            "partnerships-2-partner": str(new_partner.pk),
            "partnerships-2-role": PartnerRole.PARTNER,
            "partnerships-2-order": "2",
            "partnerships-2-unit": str(unit.pk),
            "secondary_institutes": [str(insb.pk)],
        }
    )
    before = unit.history.count()

    response = admin_client.post(change_url(unit), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert unit.history.count() == before + 1
    latest = unit.history.first()
    assert latest.relations_kept
    assert roles(latest) == [
        (host.partner_id, PartnerRole.FUNDER, host.order),
        (new_partner.pk, PartnerRole.PARTNER, 2),
    ]
    assert kept(latest, "secondary_institutes") == [insb.pk]


def test_reverting_brings_back_the_relations_of_the_version(admin_client, unit):
    version = unit.history.get()
    host, partner = unit.partnerships.order_by("order")
    # Later edits: a role changed, a partnership removed, another added, institutes.
    host.role = PartnerRole.FUNDER
    host.save()
    partner.delete()
    added = UnitPartnershipFactory(unit=unit, role=PartnerRole.INDUSTRIAL, order=5)
    unit.secondary_institutes.set([InstituteFactory(code="INSB")])

    page = admin_client.get(version_url(version))
    partnership_versions = UnitPartnership.history.filter(unit=unit)
    before = {
        kind: partnership_versions.filter(history_type=kind).count() for kind in "+~-"
    }
    response = admin_client.post(version_url(version), form_data(page))

    assert response.status_code == 302
    assert sorted(
        unit.partnerships.values_list("partner_id", "role", "order")
    ) == roles(version)
    assert not UnitPartnership.objects.filter(pk=added.pk).exists()
    assert sorted(unit.secondary_institutes.values_list("pk", flat=True)) == kept(
        version, "secondary_institutes"
    )
    # The partnerships' own history records each change of the revert: the
    # partner institution back, the host's role back, the industrial partner gone.
    after = {
        kind: partnership_versions.filter(history_type=kind).count() for kind in "+~-"
    }
    assert {kind: after[kind] - before[kind] for kind in "+~-"} == {
        "+": 1,
        "~": 1,
        "-": 1,
    }
    # And the revert is one version of the unit, holding what it restored.
    latest = unit.history.first()
    assert roles(latest) == roles(version)


def test_the_version_page_shows_what_the_version_kept(admin_client, unit):
    version = unit.history.get()
    institute = unit.secondary_institutes.get()
    unit.secondary_institutes.clear()

    page = admin_client.get(version_url(version), HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Relations in this version" in text
    for partnership in unit.partnerships.all():
        assert str(partnership) in text
    # The form shows the version's secondary institutes, not today's.
    form = page.context["adminform"].form
    assert [int(pk) for pk in form["secondary_institutes"].value()] == [institute.pk]


def test_a_relation_to_a_record_deleted_since_is_named_and_the_rest_restored(
    admin_client, unit
):
    version = unit.history.get()
    host, partner = unit.partnerships.order_by("order")
    gone = partner.partner
    gone_name = str(gone)
    partner.delete()
    gone.delete()

    response = revert(admin_client, version, follow=True)

    assert response.status_code == 200
    assert list(unit.partnerships.values_list("partner_id", flat=True)) == [
        host.partner_id
    ]
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(gone_name in message for message in warnings), warnings


def test_a_version_without_relations_leaves_them_as_they_are(admin_client, unit):
    version = unit.history.get()
    # As a version written before versions kept relations.
    type(version).objects.filter(pk=version.pk).update(relations_kept=False)
    version.refresh_from_db()
    unit.partnerships.order_by("order").last().delete()
    now = sorted(unit.partnerships.values_list("pk", flat=True))

    page = admin_client.get(version_url(version), HTTP_ACCEPT_LANGUAGE="en")
    assert "reverting to it leaves the record's relations as they are" in (
        page.content.decode()
    )
    response = admin_client.post(version_url(version), form_data(page))

    assert response.status_code == 302
    assert sorted(unit.partnerships.values_list("pk", flat=True)) == now
    assert restore_relations(unit, version) == []


def test_the_history_page_lists_relation_changes(admin_client, unit):
    unit.secondary_institutes.add(InstituteFactory(code="INSB", name_en="Biology"))

    page = admin_client.get(reverse("admin:units_unit_history", args=[unit.pk]))

    assert page.status_code == 200
    [latest, _first] = page.context["page_obj"].object_list
    changed = [str(change["field"]) for change in latest.history_delta_changes]
    assert changed == [
        capfirst(Unit._meta.get_field("secondary_institutes").verbose_name)
    ]


def test_no_relation_change_is_shown_against_a_version_without_relations(
    admin_client, unit
):
    first = unit.history.get()
    type(first).objects.filter(pk=first.pk).update(relations_kept=False)
    unit.acronym = "NEW"
    unit.save()

    page = admin_client.get(reverse("admin:units_unit_history", args=[unit.pk]))

    [latest, _first] = page.context["page_obj"].object_list
    assert [str(c["field"]) for c in latest.history_delta_changes] == [
        capfirst(Unit._meta.get_field("acronym").verbose_name)
    ]


def test_a_relation_changed_outside_an_edit_is_a_version_of_its_own(unit):
    before = unit.history.count()
    insb = InstituteFactory(code="INSB")

    unit.secondary_institutes.add(insb)

    assert unit.history.count() == before + 1
    latest = unit.history.first()
    assert latest.history_type == "~"
    assert insb.pk in kept(latest, "secondary_institutes")


def test_a_relation_changed_from_the_other_side_is_a_version_of_the_unit(unit):
    before = unit.history.count()
    insb = InstituteFactory(code="INSB")
    institute_versions = insb.history.count()

    insb.secondary_units.add(unit)

    assert unit.history.count() == before + 1
    assert insb.pk in kept(unit.history.first(), "secondary_institutes")
    assert insb.history.count() == institute_versions


def test_the_publish_action_keeps_the_relations_in_its_versions(admin_client, unit):
    Unit.objects.filter(pk=unit.pk).update(publication_status="draft")

    response = admin_client.post(
        reverse("admin:units_unit_changelist"),
        {"action": "publish_selected", "_selected_action": [unit.pk], "post": "yes"},
    )

    assert response.status_code == 302
    latest = unit.history.first()
    assert latest.publication_status == "published"
    assert latest.relations_kept
    assert len(roles(latest)) == 2


def test_merging_partners_is_a_version_of_each_record_they_were_related_to(unit):
    duplicate = unit.partnerships.order_by("order").last().partner
    kept_partner = PartnerFactory()
    agreement = AgreementFactory()
    agreement.partners.add(duplicate)
    project = ProjectFactory()
    ProjectParticipantFactory(project=project, partner=duplicate)
    user = User.objects.create_superuser("merger", password="x")
    versions = {r: r.history.count() for r in (unit, agreement, project)}

    merge_partners(kept_partner, [duplicate], user=user)

    for record, count in versions.items():
        assert record.history.count() == count + 1, record
        latest = record.history.first()
        assert latest.history_user == user
        assert latest.history_change_reason
    assert kept_partner.pk in [p for p, _, _ in roles(unit.history.first())]
    assert kept(agreement.history.first(), "partners") == [kept_partner.pk]
    assert kept(project.history.first(), "participants") == [kept_partner.pk]


def test_an_agreement_edited_in_the_admin_keeps_its_partners_and_reverts(
    admin_client,
):
    first, second = PartnerFactory(), PartnerFactory()
    with one_version_per_edit():
        agreement = AgreementFactory(signed_on=datetime.date(2020, 1, 1))
        agreement.partners.add(first)
    version = agreement.history.get()
    data = form_data(admin_client.get(change_url(agreement)))
    data["partners"] = [str(second.pk)]

    response = admin_client.post(change_url(agreement), data)

    assert response.status_code == 302
    assert agreement.history.count() == 2
    assert kept(agreement.history.first(), "partners") == [second.pk]

    response = revert(admin_client, version)

    assert response.status_code == 302
    assert list(Agreement.objects.get(pk=agreement.pk).partners.all()) == [first]


def test_a_project_reverts_to_its_participants_and_their_roles(admin_client):
    with one_version_per_edit():
        project = ProjectFactory(cnrs_role="participant")
        participation = ProjectParticipantFactory(
            project=project, role=ParticipantRole.COORDINATOR
        )
    version = project.history.get()
    participation.role = ParticipantRole.PARTICIPANT
    participation.save()
    ProjectParticipantFactory(project=project)

    response = revert(admin_client, version)

    assert response.status_code == 302
    assert list(
        Project.objects.get(pk=project.pk).participations.values_list(
            "partner_id", "role"
        )
    ) == [(participation.partner_id, ParticipantRole.COORDINATOR)]


def test_an_institution_moving_country_changes_no_version_of_its_projects(
    admin_client,
):
    # A participation's copy of its institution's country is the database's: it
    # changes without any edit of the project, and a revert would not restore it.
    with one_version_per_edit():
        project = ProjectFactory()
        participation = ProjectParticipantFactory(
            project=project, partner=PartnerFactory(country="BR")
        )
    older = project.history.get()
    partner = participation.partner
    partner.country = "PT"
    partner.save()
    with one_version_per_edit():
        project.acronym = "MOVED"
        project.save()
    newer = project.history.first()

    assert relation_changes([newer, older]) == {}
    response = revert(admin_client, older)
    assert response.status_code == 302
    assert project.participations.get().partner_country == "PT"


def test_a_reader_sees_an_old_version_read_only(client, unit):
    from django.contrib.auth.models import Group

    from partners.roles import Role

    reader = User.objects.create_user("reader", password="x", is_staff=True)
    reader.groups.add(Group.objects.get(name=Role.READER.value))
    client.force_login(reader)

    page = client.get(version_url(unit.history.get()))

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.fields and all(field.disabled for field in form.fields.values())


def test_a_project_imported_from_cordis_has_one_version_with_its_participants():
    data = Path(__file__).resolve().parents[1] / "programmes" / "data"

    import_cordis(data / "project.csv", data / "organization.csv")

    projects = Project.objects.filter(participations__isnull=False).distinct()
    assert projects
    for project in projects:
        [version] = project.history.all()
        assert kept(version, "participants") == sorted(
            project.participations.values_list("partner_id", flat=True)
        )


def test_a_clear_from_the_other_side_is_a_version_of_each_unit(unit):
    institute = unit.secondary_institutes.get()
    other = UnitFactory()
    other.secondary_institutes.add(institute)
    counts = {u.pk: u.history.count() for u in (unit, other)}

    institute.secondary_units.clear()

    for record in (unit, other):
        assert record.history.count() == counts[record.pk] + 1
        assert kept(record.history.first(), "secondary_institutes") == []


def test_a_role_change_is_listed_with_the_roles(admin_client, unit):
    host = unit.partnerships.order_by("order").first()
    with one_version_per_edit():
        unit.save()
        host.role = PartnerRole.FUNDER
        host.save()

    page = admin_client.get(reverse("admin:units_unit_history", args=[unit.pk]))

    [latest, _first] = page.context["page_obj"].object_list
    [change] = latest.history_delta_changes
    assert change["field"] == capfirst(Unit._meta.get_field("partners").verbose_name)
    assert change["new"].startswith(str(host))
    host.role = PartnerRole.HOST
    assert change["old"].startswith(str(host))


def test_a_link_changed_in_place_is_listed_with_what_changed(admin_client):
    with one_version_per_edit():
        project = ProjectFactory()
        participation = ProjectParticipantFactory(
            project=project, eu_contribution=Decimal("1000.00")
        )
    with one_version_per_edit():
        project.save()
        participation.eu_contribution = Decimal("2500.00")
        participation.save()

    page = admin_client.get(
        reverse("admin:programmes_project_history", args=[project.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    [latest, _first] = page.context["page_obj"].object_list
    [change] = latest.history_delta_changes
    assert change["old"] == f"{participation} (EU contribution (€): 1000.00)"
    assert change["new"] == f"{participation} (EU contribution (€): 2500.00)"


def test_the_history_page_reads_relations_once_whatever_the_versions(
    admin_client, unit, django_assert_max_num_queries
):
    institutes = [InstituteFactory() for _ in range(3)]
    url = reverse("admin:units_unit_history", args=[unit.pk])

    def edits(count):
        for i in range(count):
            with one_version_per_edit():
                unit.save()
                unit.secondary_institutes.set(institutes[: i % 3 + 1])

    edits(2)
    admin_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    edits(10)
    admin_client.get(url)  # what every admin page reads once per content version
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)

    assert len(many) == len(few)


@pytest.mark.parametrize("restored_from", ["deletion", "version before"])
def test_a_deleted_unit_comes_back_with_its_relations(
    admin_client, unit, restored_from
):
    partners = sorted(unit.partnerships.values_list("partner_id", "role", "order"))
    before = unit.history.get()
    admin_client.post(
        reverse("admin:units_unit_delete", args=[unit.pk]), {"post": "yes"}
    )
    deletion = unit.history.first()
    assert deletion.history_type == "-"
    # Written after the cascade, it keeps the relations the unit had before it.
    assert roles(deletion) == partners
    assert not UnitPartnership.objects.filter(unit_id=unit.pk).exists()

    version = deletion if restored_from == "deletion" else before
    response = revert(admin_client, version)

    assert response.status_code == 302
    restored = Unit.objects.get(pk=unit.pk)
    assert (
        sorted(restored.partnerships.values_list("partner_id", "role", "order"))
        == partners
    )
    assert restored.secondary_institutes.count() == 1


def test_a_contributor_reverting_a_draft_removes_the_partnerships_added_since(
    client, admin_client
):
    from django.contrib.auth.models import Group

    from partners.roles import Role

    with one_version_per_edit():
        unit = UnitFactory(publication_status="draft")
        UnitPartnershipFactory(unit=unit)
    version = unit.history.get()
    UnitPartnershipFactory(unit=unit, role=PartnerRole.PARTNER)
    contributor = User.objects.create_user("contributor", password="x", is_staff=True)
    contributor.groups.add(Group.objects.get(name=Role.CONTRIBUTOR.value))
    client.force_login(contributor)
    data = form_data(admin_client.get(version_url(version)))

    page = client.get(version_url(version))
    response = client.post(version_url(version), data)

    # As the form lets them remove a row of their draft's partners.
    assert page.status_code == 200
    assert not page.context["revert_disabled"]
    assert response.status_code == 302
    assert unit.partnerships.count() == 1


def test_relations_are_listed_in_the_models_order():
    from partners.history import relations_of

    assert [r.name for r in relations_of(Unit)] == ["partners", "secondary_institutes"]
    assert [r.name for r in relations_of(Project)] == ["participants", "units"]


def test_a_save_in_another_language_changes_no_translated_text(admin_client, unit):
    data = form_data(admin_client.get(change_url(unit)))
    admin_client.post(change_url(unit), data, HTTP_ACCEPT_LANGUAGE="en")
    data = form_data(admin_client.get(change_url(unit)))
    admin_client.post(change_url(unit), data, HTTP_ACCEPT_LANGUAGE="fr")

    page = admin_client.get(reverse("admin:units_unit_history", args=[unit.pk]))

    for version in page.context["page_obj"].object_list[:-1]:
        assert version.history_delta_changes == [], version.history_delta_changes


def test_a_reader_is_told_the_version_is_read_only(client, unit):
    from django.contrib.auth.models import Group

    from partners.roles import Role

    reader = User.objects.create_user("reader", password="x", is_staff=True)
    reader.groups.add(Group.objects.get(name=Role.READER.value))
    client.force_login(reader)

    text = client.get(
        version_url(unit.history.get()), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert (
        "You may view this version, not revert to it: your role does not let you "
        "change this record." in " ".join(text.split())
    )
    assert "Reverting gives the record these relations again." not in text
    assert "admin-version" in text  # the style of read-only fields


def test_publishing_many_units_keeps_their_relations_in_a_few_queries(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish(count):
        units = []
        for _ in range(count):
            unit = UnitFactory(publication_status="draft")
            UnitPartnershipFactory(unit=unit)
            units.append(unit)
        with CaptureQueriesContext(connection) as queries:
            admin_client.post(
                reverse("admin:units_unit_changelist"),
                {
                    "action": "publish_selected",
                    "post": "yes",
                    "_selected_action": [u.pk for u in units],
                },
            )
        for unit in units:
            latest = unit.history.first()
            assert latest.publication_status == "published"
            assert kept(latest, "partners") == [unit.partnerships.get().partner_id]
        return len(queries)

    assert publish(6) == publish(2)


def test_deleting_a_partner_is_a_version_of_the_agreements_it_leaves(admin_client):
    kept_partner, deleted = PartnerFactory(), PartnerFactory()
    with one_version_per_edit():
        agreement = AgreementFactory()
        agreement.partners.set([kept_partner, deleted])
    before = agreement.history.get()

    response = admin_client.post(
        reverse("admin:partners_partner_delete", args=[deleted.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    latest = agreement.history.first()
    assert latest.pk != before.pk
    assert kept(latest, "partners") == [kept_partner.pk]
    assert str(deleted) in latest.history_change_reason
    # Once the partner is restored, reverting the agreement links it again.
    restore = Partner.history.filter(id=deleted.pk, history_type="-").get()
    assert revert(admin_client, restore).status_code == 302
    assert revert(admin_client, before).status_code == 302
    assert sorted(agreement.partners.values_list("pk", flat=True)) == sorted(
        [kept_partner.pk, deleted.pk]
    )


def test_the_history_names_a_deleted_partner(admin_client, unit):
    partnership = unit.partnerships.order_by("order").last()
    gone = partnership.partner
    name = str(gone)
    with one_version_per_edit():
        unit.save()
        partnership.delete()
    gone.delete()

    page = admin_client.get(reverse("admin:units_unit_history", args=[unit.pk]))

    latest = page.context["page_obj"].object_list[0]
    changes = [c for c in latest.history_delta_changes if name in c["old"]]
    assert changes, latest.history_delta_changes


def test_the_history_shows_labels_and_no_none(admin_client, unit):
    unit.publication_status = "draft"
    unit.closure_year = 2030
    unit.save()

    page = admin_client.get(
        reverse("admin:units_unit_history", args=[unit.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    latest = page.context["page_obj"].object_list[0]
    changes = {
        str(c["field"]): (c["old"], c["new"]) for c in latest.history_delta_changes
    }
    assert changes["Publication status"] == ("Published", "Draft")
    assert changes["Closure year"] == ("–", "2030")


def test_the_version_page_reads_each_relation_once(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(partners):
        with one_version_per_edit():
            unit = UnitFactory()
            for order in range(partners):
                UnitPartnershipFactory(unit=unit, order=order)
        url = version_url(unit.history.get())
        admin_client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    assert queries(5) == queries(1)


def test_the_history_names_countries(admin_client):
    office = OfficeFactory(country="CN", countries=["MN"])
    office.country = "JP"
    office.countries = ["KR", "BE"]
    office.save()

    page = admin_client.get(
        reverse("admin:partners_office_history", args=[office.pk]),
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    changes = {
        str(c["field"]): (c["old"], c["new"])
        for c in page.context["page_obj"].object_list[0].history_delta_changes
    }
    assert changes["Pays d’accueil"] == ("Chine", "Japon")
    assert changes["Pays couverts"] == ("Mongolie", "Belgique, Corée du Sud")


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "added: {new}"), ("fr", "ajout\u00a0: {new}")],
)
def test_a_partner_added_is_said_added_not_the_list_before_and_after(
    admin_client, unit, language, said
):
    # "– → NTU" read as if the unit had had no partner before NTU.
    with one_version_per_edit():
        unit.save()
        added = UnitPartnershipFactory(unit=unit, role=PartnerRole.PARTNER, order=2)

    page = admin_client.get(
        reverse("admin:units_unit_history", args=[unit.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    with translation.override(language):
        new = str(added)
    [item] = [
        re.sub(r"[ \n]+", " ", li)  # not the no-break spaces
        for li in re.findall(r"<li>(.*?)</li>", page.content.decode(), re.S)
        if new in li
    ]
    assert said.format(new=new) in item
    assert "→" not in item and "–\u00a0→" not in item


def test_a_record_written_without_versions_gets_one_before_its_first_edit(
    admin_client,
):
    """``generate_data`` writes no version: a first edit in the admin could not be
    undone. The record's state before it is kept as a version, with its partners,
    and reverting to it brings the name and the partners back."""
    first, second = PartnerFactory(), PartnerFactory()
    agreement = AgreementFactory(title_fr="Accord tel que généré")
    agreement.partners.add(first)
    agreement.history.all().delete()  # as generate_data leaves it
    data = form_data(admin_client.get(change_url(agreement)))
    data.update(title_fr="Accord modifié", partners=[str(second.pk)])

    assert admin_client.post(change_url(agreement), data).status_code == 302

    generated, edited = agreement.history.order_by("history_id")
    assert generated.history_type == "+"
    assert generated.title_fr == "Accord tel que généré"
    assert kept(generated, "partners") == [first.pk]
    assert edited.title_fr == "Accord modifié"
    assert revert(admin_client, generated).status_code == 302
    agreement.refresh_from_db()
    assert agreement.title_fr == "Accord tel que généré"
    assert list(agreement.partners.all()) == [first]


def test_a_record_with_versions_gets_no_other_before_an_edit(admin_client):
    agreement = AgreementFactory()
    data = form_data(admin_client.get(change_url(agreement)))
    data.update(title_fr="Accord modifié")

    assert admin_client.post(change_url(agreement), data).status_code == 302

    assert agreement.history.count() == 2
