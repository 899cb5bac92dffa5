"""The delete confirmation pages name the rows of the many-to-many tables Django
makes as the links they are, read along with the rows, in a number of queries
that does not grow with them. Django named each "Project_units object (12)"."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cnrs_intl.models import StaffProfile
from partners.models import Partner
from partners.roles import Role
from programmes.models import Project
from tests.admin_forms import admin_url
from tests.factories import (
    AgreementFactory,
    InstituteFactory,
    PartnerFactory,
    ProgrammeFactory,
    ProjectFactory,
    StaffProfileFactory,
    StaffUserFactory,
    UnitFactory,
)
from units.models import Institute, Unit

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def single_delete_page(client, record, **headers):
    return client.get(admin_url(type(record), "delete", record.pk), **headers)


def bulk_delete_page(client, record, **headers):
    """The "delete selected" action's confirmation page, for ``record`` alone."""
    return client.post(
        admin_url(type(record), "changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk]},
        **headers,
    )


DELETE_PAGES = pytest.mark.parametrize(
    "delete_page", [single_delete_page, bulk_delete_page], ids=["single", "bulk"]
)


def linked_unit(links: int) -> Unit:
    """A unit in ``links`` projects, with as many secondary institutes."""
    unit = UnitFactory()
    programme = ProgrammeFactory()
    for project in ProjectFactory.create_batch(links, programme=programme):
        project.units.add(unit)
    unit.secondary_institutes.add(*InstituteFactory.create_batch(links))
    return unit


def queries_of(delete_page, client, record) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = delete_page(client, record)
    assert page.status_code == 200
    return len(queries)


def names(page) -> list[str]:
    """The names in Django's nested list of the records a deletion deletes (the
    action's page: a list of them for each record selected)."""

    def flattened(items):
        found = []
        for item in items:
            found += flattened(item) if isinstance(item, list) else [str(item)]
        return found

    context = page.context
    return flattened(context.get("deleted_objects") or context["deletable_objects"])


@DELETE_PAGES
def test_the_links_of_a_unit_are_named_in_as_many_queries_for_1_as_for_30(
    admin_client, delete_page
):
    one, thirty = linked_unit(1), linked_unit(30)
    delete_page(admin_client, UnitFactory())  # the session and caches, warmed

    assert queries_of(delete_page, admin_client, thirty) == queries_of(
        delete_page, admin_client, one
    )


@DELETE_PAGES
def test_a_units_links_are_named_by_their_two_records(admin_client, delete_page):
    unit = UnitFactory(acronym="JRL", code="IRL 3218")
    project = ProjectFactory(acronym="Tascmar")
    project.units.add(unit)
    insmi = InstituteFactory(code="INSMI", name_fr="Mathématiques")
    unit.secondary_institutes.add(insmi)

    page = delete_page(admin_client, unit)

    unit_link = f'<a href="{admin_url(Unit, "change", unit.pk)}">JRL (IRL 3218)</a>'
    project_link = f'<a href="{admin_url(Project, "change", project.pk)}">Tascmar</a>'
    insmi_link = (
        f'<a href="{admin_url(Institute, "change", insmi.pk)}">'
        "INSMI – Mathématiques</a>"
    )
    assert sorted(names(page)[1:]) == [
        f"Lien unité mixte – institut du CNRS{NBSP}: {unit_link} – {insmi_link}",
        f"Lien unité mixte – projet{NBSP}: {unit_link} – {project_link}",
    ]
    html = page.content.decode()
    assert "object (" not in html
    # The summary counts the links by the same name.
    assert f"<li>Liens unité mixte – projet{NBSP}: 1</li>" in html


def test_the_links_are_named_in_english_too(admin_client):
    unit = UnitFactory(acronym="JRL", code="IRL 3218")
    ProjectFactory(acronym="Tascmar").units.add(unit)

    page = single_delete_page(admin_client, unit, HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    assert "Joint unit–project link: <a " in html
    assert "<li>Joint unit–project links: 1</li>" in html


def test_a_link_is_named_from_the_side_of_the_record_deleted(admin_client):
    # The project's page: the project first.
    unit = UnitFactory(acronym="JRL", code="IRL 3218")
    project = ProjectFactory(acronym="Tascmar")
    project.units.add(unit)

    page = single_delete_page(admin_client, project)

    [link] = [name for name in names(page) if name.startswith("Lien")]
    assert link.startswith(f"Lien projet – unité mixte{NBSP}: <a ")
    assert link.index("Tascmar") < link.index("JRL (IRL 3218)")


@DELETE_PAGES
def test_an_agreements_partners_are_named_in_as_many_queries_for_1_as_for_30(
    admin_client, delete_page
):
    one = AgreementFactory()
    one.partners.add(PartnerFactory())
    thirty = AgreementFactory()
    thirty.partners.add(*PartnerFactory.create_batch(30))
    delete_page(admin_client, AgreementFactory())

    assert queries_of(delete_page, admin_client, thirty) == queries_of(
        delete_page, admin_client, one
    )
    page = delete_page(admin_client, one)
    partner = one.partners.get()
    partner_link = f'<a href="{admin_url(Partner, "change", partner.pk)}">{partner}</a>'
    assert any(
        name.startswith("Lien accord de coopération – établissement partenaire")
        and name.endswith(partner_link)
        for name in names(page)
    )


def test_staff_profiles_are_named_by_their_user_without_a_query_each(admin_client):
    # A staff profile is named by its user, read with the row too.
    one, thirty = InstituteFactory(), InstituteFactory()
    StaffProfileFactory(user=StaffUserFactory(username="tokyo")).institutes.add(one)
    for profile in StaffProfileFactory.create_batch(30):
        profile.institutes.add(thirty)
    single_delete_page(admin_client, InstituteFactory())

    assert queries_of(single_delete_page, admin_client, thirty) == queries_of(
        single_delete_page, admin_client, one
    )
    page = single_delete_page(admin_client, one)
    [link] = [name for name in names(page) if name.startswith("Lien")]
    assert link.startswith(f"Lien institut du CNRS – profil de gestionnaire{NBSP}:")
    assert link.endswith(
        f'<a href="{admin_url(StaffProfile, "change", one.staffprofile_set.get().pk)}">'
        "tokyo</a>"
    )


def test_a_record_the_user_may_not_view_is_named_by_its_kind_alone(client):
    # Editors delete institutes, not staff accounts: an adviser's profile linked to
    # the institute is no name of theirs to read (Django wrote "…object (3)").
    editor = User.objects.create_user("editor", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=Role.EDITOR.value))
    client.force_login(editor)
    institute = InstituteFactory()
    profile = StaffProfileFactory(user=StaffUserFactory(username="secret.adviser"))
    profile.institutes.add(institute)

    page = single_delete_page(client, institute)

    [link] = [name for name in names(page) if name.startswith("Lien")]
    assert link.endswith("– profil de gestionnaire (non affiché)")
    assert "secret.adviser" not in page.content.decode()
    assert admin_url(StaffProfile, "change", profile.pk) not in page.content.decode()


@DELETE_PAGES
def test_a_users_roles_are_named_in_as_many_queries_for_1_as_for_30(
    admin_client, delete_page
):
    permissions = list(Permission.objects.order_by("pk")[:30])
    one, thirty = StaffUserFactory(), StaffUserFactory(username="tokyo")
    one.user_permissions.add(permissions[0])
    thirty.user_permissions.add(*permissions)
    group = Group.objects.create(name="Tokyo office")
    thirty.groups.add(group)
    delete_page(admin_client, StaffUserFactory())

    assert queries_of(delete_page, admin_client, thirty) == queries_of(
        delete_page, admin_client, one
    )
    page = delete_page(admin_client, thirty)
    group_link = f'<a href="{admin_url(Group, "change", group.pk)}">Tokyo office</a>'
    user_link = f'<a href="{admin_url(User, "change", thirty.pk)}">tokyo</a>'
    assert f"Lien utilisateur – groupe{NBSP}: {user_link} – {group_link}" in (
        names(page)
    )
    assert all("object (" not in name for name in names(page))


def test_a_groups_permissions_are_named_in_as_many_queries_for_1_as_for_30(
    admin_client,
):
    one, thirty = Group.objects.create(name="One"), Group.objects.create(name="30")
    one.permissions.add(Permission.objects.first())
    thirty.permissions.add(*Permission.objects.all()[:30])
    single_delete_page(admin_client, Group.objects.create(name="Warm"))

    assert queries_of(single_delete_page, admin_client, thirty) == queries_of(
        single_delete_page, admin_client, one
    )
    page = single_delete_page(admin_client, one)
    assert all("object (" not in name for name in names(page))


def test_deleting_a_unit_deletes_its_links_not_the_records_linked(admin_client):
    unit = linked_unit(2)
    projects = list(unit.projects.all())
    institutes = list(unit.secondary_institutes.all())

    response = admin_client.post(admin_url(Unit, "delete", unit.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert Project.objects.filter(pk__in=[p.pk for p in projects]).count() == 2
    assert Institute.objects.filter(pk__in=[i.pk for i in institutes]).count() == 2
