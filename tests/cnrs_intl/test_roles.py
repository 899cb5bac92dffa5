"""The role matrix: what each staff group may see and do, model by model.

Permissions are asked of each ModelAdmin the way the admin's own views ask them,
then a few cases are walked through real URLs (direct links, bulk actions).
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from cnrs_intl.models import StaffProfile
from partners.models import Partner
from partners.publication import PublicationStatus
from partners.roles import (
    ROLE_PERMISSIONS,
    CountryScope,
    Role,
    changes_drafts_only,
    sync_roles,
)
from programmes.models import Grant
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
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db

ALL = {"view", "add", "change", "delete", "publish"}
VIEW = {"view"}


@pytest.fixture
def world():
    """Records inside and outside the scope of an adviser (INSMI) and an office (JP)."""
    insmi = InstituteFactory(code="INSMI")
    inp = InstituteFactory(code="INP")
    tokyo = OfficeFactory(country="JP", countries=["JP", "KR"])
    return {
        "insmi": insmi,
        "tokyo": tokyo,
        "partner": PartnerFactory(country="KR"),
        "partner_elsewhere": PartnerFactory(country="BR"),
        "office": tokyo,
        "agreement": AgreementFactory(countries=["JP"], office=tokyo),
        "agreement_elsewhere": AgreementFactory(countries=["BR"], office=None),
        "institute": insmi,
        "person": PersonFactory(),
        "unit": UnitFactory(lead_institute=insmi),
        "unit_elsewhere": UnitFactory(lead_institute=inp),
        "testimony": TestimonyFactory(),
        "programme": ProgrammeFactory(),
        "grant": GrantFactory(institute=insmi),
        "grant_elsewhere": GrantFactory(institute=inp),
        "project": ProjectFactory(),
        "keyfigure": KeyFigureFactory(),
    }


def staff(role, world, name=None):
    user = User.objects.create_user(name or role.value, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    profile = StaffProfile.objects.create(user=user, office=world["tokyo"])
    profile.institutes.add(world["insmi"])
    return User.objects.get(pk=user.pk)  # fresh permission caches


def allowed_actions(user, record):
    model_admin = admin.site._registry[type(record)]
    request = RequestFactory().get("/admin/")
    request.user = user
    actions = set()
    if record in model_admin.get_queryset(request) and model_admin.has_view_permission(
        request, record
    ):
        actions.add("view")
    if model_admin.has_add_permission(request):
        actions.add("add")
    if record in model_admin.get_queryset(request):
        if model_admin.has_change_permission(request, record):
            actions.add("change")
        if model_admin.has_delete_permission(request, record):
            actions.add("delete")
    if "publish_selected" in model_admin.get_actions(request):
        actions.add("publish")
    return actions


RECORDS = [
    "partner",
    "office",
    "agreement",
    "institute",
    "person",
    "unit",
    "testimony",
    "programme",
    "grant",
    "project",
    "keyfigure",
]
# Institutes and people have no publication status, hence no publish action.
UNPUBLISHABLE = {"institute", "person"}


def expected(role, record):
    publishable = record not in UNPUBLISHABLE
    everything = ALL if publishable else ALL - {"publish"}
    if role in (Role.ADMINISTRATOR, Role.EDITOR):
        return everything
    if role == Role.CONTRIBUTOR:
        # The records of the fixture are published: contributors change drafts only,
        # and records without a publication status until a published one shows them
        # (the institute leads a published unit; the person is on no page).
        return {"view", "add"} if record != "person" else {"view", "add", "change"}
    if role == Role.INSTITUTE_ADVISER:
        return {"view", "change"} if record in {"unit", "grant"} else VIEW
    if role == Role.OFFICE_STAFF:
        return {"view", "change"} if record in {"partner", "agreement"} else VIEW
    return VIEW


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("record", RECORDS)
def test_role_matrix(world, role, record):
    user = staff(role, world)
    assert allowed_actions(user, world[record]) == expected(role, record)


@pytest.mark.parametrize("record", RECORDS)
def test_contributor_changes_drafts_but_cannot_publish_or_delete(world, record):
    draft = world[record]
    if record in UNPUBLISHABLE:
        # One no published record shows yet: the fixture's institute leads a unit.
        draft = type(draft)._default_manager.create(
            **(
                {"code": "NEW", "name": "New", "slug": "new"}
                if record == "institute"
                else {"last_name": "New"}
            )
        )
    else:
        draft.publication_status = PublicationStatus.DRAFT
        draft.save()
    user = staff(Role.CONTRIBUTOR, world)
    assert allowed_actions(user, draft) == {"view", "add", "change"}


def test_contributor_changes_people_until_a_published_record_shows_them(world):
    user = staff(Role.CONTRIBUTOR, world)
    laureate = PersonFactory()
    grant = GrantFactory(laureate=laureate, publication_status=PublicationStatus.DRAFT)
    assert "change" in allowed_actions(user, laureate)

    grant.publication_status = PublicationStatus.PUBLISHED
    grant.save()

    # Their name shows on the grant's page: changing it is changing that page.
    assert "change" not in allowed_actions(user, laureate)
    assert "change" not in allowed_actions(user, world["unit"].director)


def test_contributor_changes_an_institute_no_published_unit_shows(world):
    user = staff(Role.CONTRIBUTOR, world)
    new = InstituteFactory(code="INSU")
    assert "change" in allowed_actions(user, new)

    UnitFactory(lead_institute=new, publication_status=PublicationStatus.DRAFT)
    assert "change" in allowed_actions(user, new)
    UnitFactory().secondary_institutes.add(new)
    assert "change" not in allowed_actions(user, new)


@pytest.mark.parametrize(
    ("scoped_role", "changed", "drafts_only"),
    [
        (Role.OFFICE_STAFF, "partner", "unit"),
        (Role.INSTITUTE_ADVISER, "unit", "partner"),
    ],
)
def test_a_contributor_with_a_scoped_role_changes_published_records_of_its_scope_only(
    world, scoped_role, changed, drafts_only
):
    user = staff(Role.CONTRIBUTOR, world, name="both")
    user.groups.add(Group.objects.get(name=scoped_role.value))
    user = User.objects.get(pk=user.pk)

    assert "change" in allowed_actions(user, world[changed])
    # The contributor's part: drafts only. A change of every published record of
    # every model, out of any scope, was allowed.
    assert "change" not in allowed_actions(user, world[drafts_only])
    assert "change" not in allowed_actions(user, world["keyfigure"])
    assert changes_drafts_only(user)  # an import: drafts only


@pytest.mark.parametrize(
    ("role", "record"),
    [
        (Role.INSTITUTE_ADVISER, "unit_elsewhere"),
        (Role.INSTITUTE_ADVISER, "grant_elsewhere"),
        (Role.OFFICE_STAFF, "partner_elsewhere"),
        (Role.OFFICE_STAFF, "agreement_elsewhere"),
    ],
)
def test_scoped_roles_neither_see_nor_open_records_out_of_scope(
    client, world, role, record
):
    user = staff(role, world)
    obj = world[record]
    assert allowed_actions(user, obj) == set()
    client.force_login(user)
    opts = obj._meta
    changelist = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    )
    assert changelist.status_code == 200
    assert obj not in changelist.context["cl"].result_list
    # A direct link answers like a missing record: back to the model's list, which
    # the role may view, saying the record may be outside the scope (Django said
    # it did not exist, and went back to the admin's index).
    response = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert response["Location"] == changelist.wsgi_request.path
    [message] = get_messages(response.wsgi_request)
    assert str(message) == (
        f"The record “{obj.pk}” ({opts.verbose_name}) is outside your scope, or "
        "does not exist."
    )


def test_a_record_out_of_scope_is_named_in_french_and_its_list_keeps_its_filters(
    client, world
):
    client.force_login(staff(Role.INSTITUTE_ADVISER, world))
    unit = world["unit_elsewhere"]
    filters = "_changelist_filters=status%3Dactive"

    response = client.get(
        f"{admin_url(Unit, 'change', unit.pk)}?{filters}", HTTP_ACCEPT_LANGUAGE="fr"
    )

    # Django's sentence began with the model's name: « L'objet Unité mixte… ».
    [message] = get_messages(response.wsgi_request)
    assert str(message) == (
        f"La fiche «\u00a0{unit.pk}\u00a0» (unité mixte) est hors de votre "
        "périmètre, ou n’existe pas."
    )
    assert response["Location"] == f"{admin_url(Unit, 'changelist')}?status=active"


def post_change(client, record, **changes):
    """Post ``record``'s change form with ``changes``; return the response."""
    url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(url)) | changes
    return client.post(url, data)


def test_office_staff_choose_a_parent_among_their_countries_only(client, world):
    user = staff(Role.OFFICE_STAFF, world)
    client.force_login(user)
    partner = world["partner"]
    draft_elsewhere = PartnerFactory(
        country="FR", publication_status=PublicationStatus.DRAFT
    )

    response = post_change(client, partner, parent=str(draft_elsewhere.pk))

    # The picker never offered it; posted by hand, it was saved, and the change
    # page then showed the name of a draft they may not see.
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    partner.refresh_from_db()
    assert partner.parent is None
    in_scope = PartnerFactory(country="JP")
    assert post_change(client, partner, parent=str(in_scope.pk)).status_code == 302


def test_office_staff_keep_a_parent_from_elsewhere_an_editor_chose(client, world):
    partner = world["partner"]
    partner.parent = world["partner_elsewhere"]
    partner.save()
    client.force_login(staff(Role.OFFICE_STAFF, world))

    response = post_change(client, partner, city_fr="Séoul")

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.parent, partner.city_fr) == (world["partner_elsewhere"], "Séoul")


def test_office_staff_add_to_an_agreement_partners_of_their_countries_only(
    client, world
):
    client.force_login(staff(Role.OFFICE_STAFF, world))
    agreement = world["agreement"]
    before = set(agreement.partners.all())

    response = post_change(
        client,
        agreement,
        partners=[str(p.pk) for p in (*before, world["partner_elsewhere"])],
    )

    assert response.status_code == 200
    # Said, where Django's "Select a valid choice" told no one why.
    assert response.context["adminform"].form.errors["partners"] == [
        "Une fiche choisie est hors de votre périmètre\u00a0: choisissez parmi "
        "celles que propose le sélecteur."
    ]
    assert set(agreement.partners.all()) == before


def test_an_adviser_gives_a_grant_a_unit_of_their_institutes_only(client, world):
    client.force_login(staff(Role.INSTITUTE_ADVISER, world))
    grant = world["grant"]

    response = post_change(client, grant, unit=str(world["unit_elsewhere"].pk))

    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    response = post_change(client, grant, unit=str(world["unit"].pk))
    assert response.status_code == 302


def test_adviser_sees_units_of_a_secondary_institute_too(world):
    unit = world["unit_elsewhere"]
    unit.secondary_institutes.add(world["insmi"])
    user = staff(Role.INSTITUTE_ADVISER, world)
    assert allowed_actions(user, unit) == {"view", "change"}


def test_an_advisers_list_filters_offer_what_their_scope_holds(client, world):
    # The countries and institutes of every unit and grant were offered, those
    # outside the scope listing nothing.
    Unit.objects.filter(pk=world["unit"].pk).update(country="KR")
    Unit.objects.filter(pk=world["unit_elsewhere"].pk).update(country="BR")
    client.force_login(staff(Role.INSTITUTE_ADVISER, world))

    def choices(model, parameter) -> set[str] | None:
        """The filter's choices, None when not offered (a single one)."""
        changelist = client.get(admin_url(model, "changelist")).context["cl"]
        specs = [
            spec
            for spec in changelist.filter_specs
            if spec.has_output()
            and any(parameter in name for name in spec.expected_parameters())
        ]
        if not specs:
            return None
        return {choice["display"] for choice in specs[0].choices(changelist)} - {"Tout"}

    assert choices(Unit, "country") == {"Corée du Sud"}
    # Their one institute: no choice to make but grants of none ("-").
    assert choices(Unit, "lead_institute") is None
    assert choices(Grant, "institute") == {"-", str(world["insmi"])}

    # An editor is offered those of every record, as before.
    client.force_login(staff(Role.EDITOR, world, name="editor"))
    assert choices(Unit, "country") == {"Brésil", "Corée du Sud"}
    inp = world["grant_elsewhere"].institute
    assert choices(Grant, "institute") == {"-", str(world["insmi"]), str(inp)}


def test_bulk_publish_is_refused_to_a_contributor(client, world):
    user = staff(Role.CONTRIBUTOR, world)
    draft = UnitFactory(publication_status=PublicationStatus.DRAFT)
    client.force_login(user)
    client.post(
        reverse("admin:units_unit_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk], "post": "yes"},
    )
    draft.refresh_from_db()
    assert draft.publication_status == PublicationStatus.DRAFT


def test_bulk_delete_is_refused_to_a_contributor(client, world):
    user = staff(Role.CONTRIBUTOR, world)
    draft = UnitFactory(publication_status=PublicationStatus.DRAFT)
    client.force_login(user)
    client.post(
        reverse("admin:units_unit_changelist"),
        {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
    )
    assert type(draft).objects.filter(pk=draft.pk).exists()


def test_a_record_created_without_the_publish_permission_is_a_draft(client, world):
    user = staff(Role.CONTRIBUTOR, world)
    client.force_login(user)
    response = client.post(
        reverse("admin:units_institute_add"),
        {"code": "INSB2", "name_fr": "Biologie", "name_en": "Biology", "slug": "insb2"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("admin:cnrs_intl_keyfigure_add"),
        {
            "value": "37",
            "label_fr": "unités mixtes internationales",
            "label_en": "international joint units",
            "year": "2017",
            "order": "0",
            "publication_status": "published",  # read-only for them: ignored
        },
    )
    assert response.status_code == 302
    from cnrs_intl.models import KeyFigure

    assert KeyFigure.objects.get(year=2017, value=37).publication_status == "draft"


def test_groups_match_the_code_after_a_flush(django_db_setup):
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        granted = {
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        }
        assert granted == set(names)


def test_roles_are_synced_in_a_few_queries_once_the_permissions_exist(
    django_assert_max_num_queries,
):
    # After every flush (each browser test's end): the permissions exist, read in
    # one query, not one each (0.2 s of each browser test's teardown).
    Group.objects.get(name=Role.CONTRIBUTOR.value).permissions.clear()

    with django_assert_max_num_queries(1 + 4 * len(ROLE_PERMISSIONS)):
        sync_roles()

    for role, names in ROLE_PERMISSIONS.items():
        assert Group.objects.get(name=role.value).permissions.count() == len(names)


def test_a_role_naming_an_unknown_permission_stops_the_sync(monkeypatch):
    wanted = {Role.CONTRIBUTOR: ("partners.fly_partner",)}
    monkeypatch.setattr("partners.roles.ROLE_PERMISSIONS", wanted)

    with pytest.raises(LookupError, match="partners.fly_partner"):
        sync_roles()


def test_a_role_naming_an_app_installed_nowhere_stops_the_sync(monkeypatch):
    # Those of an installed app not migrated yet are left for later (axes, inside
    # a migration), not those of a misspelt one.
    wanted = {Role.ADMINISTRATOR: ("axess.view_accessattempt",)}
    monkeypatch.setattr("partners.roles.ROLE_PERMISSIONS", wanted)

    with pytest.raises(LookupError, match="axess.view_accessattempt"):
        sync_roles()


# A record a scoped role may change stays within their scope when they save it.


def change_as(client, record, **changes):
    """Post ``record``'s change form with ``changes``; return the response."""
    url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def scope_errors(response) -> list[str]:
    assert response.status_code == 200, "saved, where it should have been refused"
    return response.context["adminform"].form.non_field_errors()


def logged_in(client, role, world):
    client.force_login(staff(role, world))
    return client


def test_office_staff_cannot_move_a_partner_out_of_their_countries(client, world):
    partner = world["partner"]
    client = logged_in(client, Role.OFFICE_STAFF, world)

    [error] = scope_errors(change_as(client, partner, country="BR"))

    assert "(Corée du Sud, Japon)" in error  # by name, not "JP, KR"
    partner.refresh_from_db()
    assert partner.country == "KR"
    assert change_as(client, partner, country="JP").status_code == 302
    partner.refresh_from_db()
    assert partner.country == "JP"


def test_office_staff_keep_an_agreement_in_scope_by_a_country_or_a_partner(
    client, world
):
    agreement = world["agreement"]
    client = logged_in(client, Role.OFFICE_STAFF, world)

    assert scope_errors(change_as(client, agreement, countries=["BR"]))
    agreement.refresh_from_db()
    assert [str(c) for c in agreement.countries] == ["JP"]

    korean = world["partner"]
    response = change_as(client, agreement, countries=["BR"], partners=[korean.pk])
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert [str(c) for c in agreement.countries] == ["BR"]
    assert list(agreement.partners.all()) == [korean]


def test_advisers_keep_a_unit_in_scope_by_its_lead_or_a_secondary_institute(
    client, world
):
    unit = world["unit"]
    inp = world["unit_elsewhere"].lead_institute
    client = logged_in(client, Role.INSTITUTE_ADVISER, world)

    [error] = scope_errors(change_as(client, unit, lead_institute=inp.pk))

    assert "INSMI" in error
    unit.refresh_from_db()
    assert unit.lead_institute == world["insmi"]
    response = change_as(
        client,
        unit,
        lead_institute=inp.pk,
        secondary_institutes=[world["insmi"].pk],
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.lead_institute == inp


def test_advisers_cannot_give_a_grant_to_another_institute(client, world):
    grant = world["grant"]
    inp = world["grant_elsewhere"].institute
    client = logged_in(client, Role.INSTITUTE_ADVISER, world)

    [error] = scope_errors(change_as(client, grant, institute=inp.pk))

    assert "INSMI" in error
    grant.refresh_from_db()
    assert grant.institute == world["insmi"]


def test_roles_without_a_scope_move_records_anywhere(client, world):
    partner = world["partner"]
    client = logged_in(client, Role.EDITOR, world)

    assert change_as(client, partner, country="BR").status_code == 302
    partner.refresh_from_db()
    assert partner.country == "BR"


def test_an_offices_countries_read_in_the_same_order_in_every_process():
    # A set's order follows string hashes, salted per process: the scope's SQL, and
    # the dashboard caches keyed by it, differed between workers.
    scope = CountryScope({"TW", "JP", "KR"})

    assert list(scope) == ["JP", "KR", "TW"]
    assert scope & {"KR", "FR"} == {"KR"}
    _sql, params = Partner.objects.filter(country__in=scope).query.sql_with_params()
    assert list(params) == ["JP", "KR", "TW"]


@pytest.mark.parametrize("published", [False, True])
def test_contributor_removes_a_partner_from_a_draft_unit_only(client, world, published):
    # The rows had no delete box, and a posted DELETE was ignored, "changed
    # successfully" all the same.
    unit = UnitFactory(
        publication_status=(
            PublicationStatus.PUBLISHED if published else PublicationStatus.DRAFT
        )
    )
    UnitPartnershipFactory(unit=unit, order=0)
    UnitPartnershipFactory(unit=unit, order=1)
    client.force_login(staff(Role.CONTRIBUTOR, world))
    url = admin_url(type(unit), "change", unit.pk)
    page = client.get(url)

    if published:
        # Read only: the contributor changes drafts only.
        assert 'name="partnerships-1-DELETE"' not in page.content.decode()
        assert client.post(url, {}).status_code == 403
        assert unit.partnerships.count() == 2
        return
    assert 'name="partnerships-1-DELETE"' in page.content.decode()
    response = client.post(url, {**form_data(page), "partnerships-1-DELETE": "on"})
    assert response.status_code == 302
    assert unit.partnerships.count() == 1
