"""The back-office as a whole: every model, its pages, their query counts and assets."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from cnrs_intl.models import KeyFigure, SiteInformation, StaffProfile
from partners.admin_lists import TextSearchAdmin
from partners.models import Agreement, Office, Partner
from partners.publication import PublicationStatus
from partners.roles import Role
from programmes.models import Grant, Programme, Project
from tests.admin_forms import admin_url, form_data, search
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    InstituteFactory,
    KeyFigureFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProgrammeFactory,
    ProjectParticipantFactory,
    StaffProfileFactory,
    TestimonyFactory,
    UnitFactory,
    UnitPartnershipFactory,
)
from units.models import Institute, Person, Testimony, Unit

pytestmark = pytest.mark.django_db


def make_partner():
    return PartnerFactory(parent=PartnerFactory())


def make_agreement():
    agreement = AgreementFactory()
    agreement.partners.add(PartnerFactory(), PartnerFactory())
    return agreement


def make_unit():
    unit = UnitPartnershipFactory().unit
    unit.secondary_institutes.add(InstituteFactory())
    return unit


def make_testimony():
    return TestimonyFactory(unit=UnitFactory())


def make_programme():
    return ProgrammeFactory(parent=ProgrammeFactory())


def make_grant():
    return GrantFactory(unit=UnitFactory())


def make_project():
    project = ProjectParticipantFactory().project
    project.units.add(UnitFactory())
    return project


# One builder per admin: each row comes with its own related records (parent, office,
# institute, director, laureate, programme…) so that an N+1 query would show.
ROW_BUILDERS = {
    Partner: make_partner,
    Office: OfficeFactory,
    Agreement: make_agreement,
    Institute: InstituteFactory,
    Person: PersonFactory,
    Unit: make_unit,
    Testimony: make_testimony,
    Programme: make_programme,
    Grant: make_grant,
    Project: make_project,
    KeyFigure: KeyFigureFactory,
}
ADMIN_MODELS = pytest.mark.parametrize(
    "model", ROW_BUILDERS, ids=lambda model: model._meta.model_name
)
EXTERNAL_HOSTS = ("code.jquery.com", "googleapis", "cdnjs", "jsdelivr", "unpkg")


def changelist_queries(client, model):
    with CaptureQueriesContext(connection) as context:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return response, [query["sql"] for query in context.captured_queries]


def test_every_model_with_a_page_of_its_own_is_registered():
    """Every model but history tables, the models edited inline and working files."""
    # Staff profiles are edited inline on the user (cnrs_intl.admin.StaffUserAdmin).
    inline_only = {"unitpartnership", "projectparticipant", "staffprofile"}
    # Spreadsheets between their preview and their import: no records.
    working_files = {"previewedimport"}
    # Written by merges and slug changes, shown read-only on their record's page.
    shown_on_their_record = {"formeraddress", "formerslug"}
    # One record, never a list of rows to count: its pages are tested on their own
    # (test_site_information.py).
    single_records = {"siteinformation"}
    expected = {
        model
        for app_label in ("partners", "units", "programmes", "cnrs_intl")
        for model in apps.get_app_config(app_label).get_models()
        if not model.__name__.startswith("Historical")
        and model._meta.model_name
        not in inline_only | working_files | shown_on_their_record | single_records
    }
    assert expected == set(ROW_BUILDERS)
    assert expected | {SiteInformation} <= set(admin.site._registry)


@ADMIN_MODELS
def test_admin_has_language_tabs_and_history(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, TabbedTranslationAdmin)
    assert isinstance(model_admin, SimpleHistoryAdmin)


@ADMIN_MODELS
def test_changelist_opens(admin_client, model):
    ROW_BUILDERS[model]()
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@ADMIN_MODELS
def test_add_page_opens(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == 200


@ADMIN_MODELS
def test_change_page_opens_with_tabs_and_history_link(admin_client, model):
    obj = ROW_BUILDERS[model]()
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert admin_url(model, "history", obj.pk) in content
    assert "modeltranslation/js/tabbed_translation_fields.js" in content
    # Each translated field is split into one input per language, tabbed by the script.
    assert 'class="mt ' in content or " mt mt-field" in content


@ADMIN_MODELS
def test_history_page_opens(admin_client, model):
    obj = ROW_BUILDERS[model]()
    response = admin_client.get(admin_url(model, "history", obj.pk))
    assert response.status_code == 200


@ADMIN_MODELS
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    build = ROW_BUILDERS[model]
    for _ in range(3):
        build()
    # Warm up per-process caches (content types, site) before counting.
    admin_client.get(admin_url(model, "changelist"))
    response, at_3 = changelist_queries(admin_client, model)
    rows_at_3 = response.context["cl"].result_count

    for _ in range(9):
        build()
    # Again: the countries in use are cached until content changes.
    admin_client.get(admin_url(model, "changelist"))
    response, at_12 = changelist_queries(admin_client, model)

    assert response.context["cl"].result_count >= rows_at_3 + 9
    changelist = response.context["cl"]
    # Every row, up to a page (50 on the big tables).
    assert len(changelist.result_list) == min(
        changelist.result_count, changelist.list_per_page
    )
    assert len(at_12) == len(at_3), "\n".join(at_12)


@ADMIN_MODELS
def test_change_page_loads_nothing_from_another_site(admin_client, model):
    obj = ROW_BUILDERS[model]()
    content = admin_client.get(admin_url(model, "change", obj.pk)).content.decode()

    assets = re.findall(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", content)
    assert assets
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), url
    for host in EXTERNAL_HOSTS:
        assert host not in content
    # jQuery UI for the language tabs comes from our own static files.
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in assets
    assert finders.find("vendor/jquery-ui/jquery-ui.min.js")
    assert finders.find("vendor/jquery-ui/LICENSE.txt")


def test_every_searchable_admin_forgives_accents_and_typos():
    # TextSearchAdmin (partners/admin_lists.py) searches as the public site does,
    # and the autocomplete widgets of foreign keys search through it too.
    searchable = [
        model_admin
        for model_admin in admin.site._registry.values()
        if model_admin.search_fields
    ]
    assert {Person, Testimony, Institute, User, Group} <= {
        model_admin.model for model_admin in searchable
    }
    for model_admin in searchable:
        assert isinstance(model_admin, TextSearchAdmin), model_admin


@pytest.mark.parametrize("language", ["fr", "en"])
def test_admin_index_is_branded(admin_client, language):
    # The admin follows the browser's language; French is the default.
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language)
    content = response.content.decode()
    with translation.override(language):
        assert str(admin.site.site_header) in content
        assert f"| {admin.site.site_title}</title>" in content
    if language == "en":
        assert "cnrs-intl — DERCI back-office" in content


def test_key_figure_search_finds_both_languages(admin_client):
    figure = KeyFigureFactory(
        label_fr="des publications cosignées", label_en="of co-authored papers"
    )
    KeyFigureFactory(label_fr="bureaux", label_en="offices")
    url = admin_url(KeyFigure, "changelist")

    for term in ("cosignées", "co-authored"):
        response = admin_client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [figure]


def test_key_figure_search_ignores_accents(admin_client):
    figure = KeyFigureFactory(label_fr="des publications cosignées")
    KeyFigureFactory(label_fr="bureaux")

    assert search(admin_client, KeyFigure, "cosignees") == [figure]


def test_return_to_draft_action_unpublishes_selected_key_figures(admin_client):
    chosen, other = KeyFigureFactory(), KeyFigureFactory()

    response = admin_client.post(
        admin_url(KeyFigure, "changelist"),
        {
            "action": "return_selected_to_draft",
            "_selected_action": [chosen.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert chosen.publication_status == PublicationStatus.DRAFT
    assert other.publication_status == PublicationStatus.PUBLISHED
    assert chosen.history.count() == 2
    assert chosen.history.first().publication_status == PublicationStatus.DRAFT


def group_names(response):
    """Return the names the group list shows, in order."""
    return re.findall(
        r'<th class="field-role"><a href="[^"]*">([^<]*)</a></th>',
        response.content.decode(),
    )


def test_group_list_names_the_roles_in_french_by_their_label(admin_client):
    Group.objects.create(name="Asia desk")

    response = admin_client.get(reverse("admin:auth_group_changelist"))

    assert group_names(response) == [
        "Administrateurs",
        "Chargés de mission institut",
        "Contributeurs",
        "Éditeurs",
        "Lecteurs",
        "Personnel des bureaux",
        "Asia desk",  # a group the roles do not know, by its name, last
    ]
    # What the code knows the roles by stays as it is.
    assert Group.objects.filter(name=Role.READER.value).exists()


def test_group_list_names_the_roles_in_english_too(admin_client):
    response = admin_client.get(
        reverse("admin:auth_group_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Institute advisers" in group_names(response)


def test_group_search_finds_a_role_by_its_label(admin_client):
    response = admin_client.get(
        reverse("admin:auth_group_changelist"), {"q": "lecteur"}
    )
    assert group_names(response) == ["Lecteurs"]


def test_group_change_page_is_titled_by_the_roles_label(admin_client):
    readers = Group.objects.get(name=Role.READER.value)
    response = admin_client.get(reverse("admin:auth_group_change", args=[readers.pk]))
    assert response.context["subtitle"] == "Lecteurs"
    assert "<title>Lecteurs |" in response.content.decode()


def test_a_roles_group_keeps_its_name_and_is_not_deleted(admin_client):
    advisers = Group.objects.get(name=Role.INSTITUTE_ADVISER.value)
    url = reverse("admin:auth_group_change", args=[advisers.pk])
    page = admin_client.get(url)
    # Named by its label, not offered for renaming: the code knows the role, and
    # limits advisers to their institutes, by the group's stored name.
    assert "name" not in page.context["adminform"].form.fields
    assert "Chargés de mission institut" in page.content.decode()
    held = list(advisers.permissions.values_list("pk", flat=True))

    response = admin_client.post(
        url, {"name": "Chargés de mission", "permissions": held}
    )

    assert response.status_code == 302
    advisers.refresh_from_db()
    assert advisers.name == Role.INSTITUTE_ADVISER.value
    assert sorted(advisers.permissions.values_list("pk", flat=True)) == sorted(held)
    delete = reverse("admin:auth_group_delete", args=[advisers.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    selected = admin_client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [advisers.pk], "post": "yes"},
    )
    assert selected.status_code == 403
    assert Group.objects.filter(pk=advisers.pk).exists()


def test_another_group_is_renamed_and_deleted_as_django_does(admin_client):
    group = Group.objects.create(name="Asia desk")
    url = reverse("admin:auth_group_change", args=[group.pk])

    admin_client.post(url, {"name": "Asia-Pacific desk", "permissions": []})

    group.refresh_from_db()
    assert group.name == "Asia-Pacific desk"
    delete = reverse("admin:auth_group_delete", args=[group.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()


def test_user_form_and_filter_offer_the_roles_by_their_label(admin_client, admin_user):
    form = admin_client.get(reverse("admin:auth_user_change", args=[admin_user.pk]))
    choices = [
        label for _pk, label in form.context["adminform"].form["groups"].field.choices
    ]
    assert "Chargés de mission institut" in choices
    assert "Institute advisers" not in choices

    changelist = admin_client.get(
        reverse("admin:auth_user_changelist")
    ).content.decode()
    assert "Chargés de mission institut" in changelist
    assert "Institute advisers" not in changelist


def test_user_search_ignores_accents_and_typos(admin_client):
    staff = User.objects.create_user(
        "pnedellec", first_name="Patrick", last_name="Nédellec"
    )

    for term in ("nedellec", "Nédelec"):
        assert search(admin_client, User, term) == [staff]


def test_a_bad_autocomplete_value_in_the_staff_profile_is_a_form_error(
    admin_client, admin_user
):
    url = reverse("admin:auth_user_change", args=[admin_user.pk])
    page = admin_client.get(url)
    data = form_data(page)
    [inline] = page.context["inline_admin_formsets"]
    prefix = inline.formset.prefix
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-office": "abc",
            f"{prefix}-0-institutes": ["abc"],
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert {"office", "institutes"} <= set(inline.formset.forms[0].errors)


@pytest.mark.parametrize(
    ("model", "view"),
    [(Partner, "deleted"), (Partner, "import_ror"), (Unit, "deleted")],
)
def test_a_page_about_a_models_records_leads_back_to_its_list(
    admin_client, model, view
):
    """Pages beside a changelist (admin/model_page.html) lead back to it."""
    page = admin_client.get(admin_url(model, view))

    assert page.status_code == 200
    [breadcrumbs] = re.findall(
        r'<div class="breadcrumbs">(.*?)</div>', page.content.decode(), re.S
    )
    assert f'href="{admin_url(model, "changelist")}"' in breadcrumbs
    assert f'href="{reverse("admin:index")}"' in breadcrumbs


def permission_field(response, field: str = "permissions"):
    return response.context["adminform"].form[field].field


def test_the_permission_pickers_name_permissions_in_french(admin_client, admin_user):
    group = admin_client.get(reverse("admin:auth_group_add"))
    user = admin_client.get(reverse("admin:auth_user_change", args=[admin_user.pk]))

    for field in (permission_field(group), permission_field(user, "user_permissions")):
        labels = [label for _pk, label in field.choices]
        assert "Unités et instituts | unité mixte | Peut ajouter" in labels
        assert (
            "Site | toutes les sortes de fiches | Peut publier et dépublier des "
            "contenus" in labels
        )
        assert not any("Can " in label for label in labels)
        # django-axes' newest model, which its French does not name.
        assert (
            "Protection des connexions | expiration d’une tentative de connexion | "
            "Peut consulter" in labels
        )


def test_the_permission_pickers_leave_out_history_tables_but_keep_one_held(
    admin_client,
):
    held = Permission.objects.get(codename="view_historicalunit")
    group = Group.objects.create(name="Auditors")
    group.permissions.add(held)

    new = permission_field(admin_client.get(reverse("admin:auth_group_add")))
    kept = permission_field(
        admin_client.get(reverse("admin:auth_group_change", args=[group.pk]))
    )

    assert Permission.objects.filter(content_type__model="historicalunit").exists()
    assert not new.queryset.filter(content_type__model__startswith="historical")
    assert list(kept.queryset.filter(content_type__model__startswith="historical")) == [
        held
    ]
    # Saving the group unchanged keeps the permission it held.
    response = admin_client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Auditors", "permissions": [held.pk]},
    )
    assert response.status_code == 302
    assert list(group.permissions.all()) == [held]


@pytest.mark.parametrize("order", ["1", "-2"])
def test_a_search_of_records_without_translations_sorts_by_any_column(
    admin_client, order
):
    # Staff profiles have no translated field: sorting a search asked
    # modeltranslation for their options, a 500.
    StaffProfileFactory(user__first_name="Jean", user__username="jean")
    response = admin_client.get(
        admin_url(StaffProfile, "changelist"), {"q": "jean", "o": order}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize(
    ("language", "yes", "search"),
    [("fr", "Oui", "Rechercher"), ("en", "Yes", "Search")],
)
def test_a_changelists_icons_and_search_label_are_in_the_admins_language(
    admin_client, language, yes, search
):
    # Django writes alt="True" and alt="Search" whatever the language: a screen
    # reader read them out on every French list.
    html = admin_client.get(
        "/admin/auth/user/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assert f'icon-yes.svg" alt="{yes}"' in html
    assert 'alt="True"' not in html
    assert f'<img src="/static/admin/img/search.svg" alt="{search}">' in html
