"""The changelists' rows and the lists of models written in Python (admin_html.py)
give the HTML Django's templates give: each page is compared with the same page
rendered by Django's own code."""

import datetime
import re
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.models import Group, User
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from pytest_django.asserts import assertHTMLEqual

from cnrs_intl import admin_html
from cnrs_intl.models import StaffProfile
from cnrs_intl.templatetags import cnrs_admin
from partners.dates import long_date, long_moment
from partners.models import Partner
from partners.publication import PublicationStatus
from partners.roles import Role
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script> & Co"

PAGES = (
    "/admin/partners/partner/",
    "/admin/partners/partner/?kind__exact=university&o=-3.2",
    "/admin/partners/partner/?country=KR&q=univ",
    # The search text holds the mark the country filter's links are written from.
    "/admin/partners/partner/?q=VALUE-MARK",
    "/admin/partners/partner/?_popup=1&_to_field=id",
    "/admin/programmes/grant/",
    "/admin/programmes/grant/?scheme__exact=erc_stg&o=2",
    "/admin/programmes/project/",
    "/admin/programmes/project/?o=-6",
    "/admin/partners/office/",
    "/admin/units/unit/",
    "/admin/auth/user/",
    "/admin/programmes/grant/add/",
    "/admin/",  # the dashboard's list of models, with their change links
)


@pytest.fixture
def records():
    laureate = PersonFactory(last_name=SCRIPT)
    parent = PartnerFactory(name_fr=SCRIPT, name_en=SCRIPT, acronym="", country="KR")
    partners = [
        parent,
        PartnerFactory(name_fr="Université de Séoul", parent=parent, country="KR"),
        PartnerFactory(
            name_fr="Universidade de São Paulo",
            country="BR",
            city_fr="",
            publication_status=PublicationStatus.DRAFT,
        ),
    ]
    GrantFactory(acronym=SCRIPT, laureate=laureate)
    GrantFactory(amount=None, institute=None)
    ProjectFactory(title_fr=SCRIPT, end_date=None)
    ProjectFactory(start_date=None)
    UnitFactory()
    OfficeFactory(country="JP", countries=["JP", "KR"])
    return partners


DJANGOS_APP_LIST = engines["django"].from_string(
    (Path(admin.__file__).parent / "templates/admin/app_list.html").read_text()
)


def django_rendering():
    """Patch the Python rendering back to Django's templates and cells."""

    def rows(cl):
        return [
            mark_safe("".join(admin_list.items_for_result(cl, record, None)))
            for record in cl.result_list
        ]

    def app_list(apps, path, show_changelinks):
        return DJANGOS_APP_LIST.render(
            {
                "app_list": apps,
                "show_changelinks": show_changelinks,
                "request": RequestFactory().get(path),
            }
        )

    return (
        mock.patch.object(cnrs_admin, "result_rows", rows),
        mock.patch.object(cnrs_admin, "app_list", app_list),
        mock.patch.object(cnrs_admin, "list_filter", djangos_list_filter),
        # Django's cells, but its dates written as the site writes them ("1er").
        mock.patch.object(
            admin_list, "display_for_field", dated(admin_list.display_for_field)
        ),
        mock.patch.object(
            admin_list, "display_for_value", dated(admin_list.display_for_value)
        ),
    )


def dated(display):
    """Wrap Django's ``display_for_field`` or ``_value``: dates as partners.dates
    writes them, the first of a month "1er" in French."""

    def shown(value, *args, **kwargs):
        if isinstance(value, datetime.datetime):
            return long_moment(value)
        if isinstance(value, datetime.date):
            return long_date(value)
        return display(value, *args, **kwargs)

    return shown


def djangos_list_filter(title, choices):
    """Django's admin_list_filter: admin/filter.html, not overridden here."""
    return get_template("admin/filter.html").render(
        {"title": title, "choices": list(choices), "spec": None}
    )


def page_both_ways(client, address, **headers):
    ours = client.get(address, headers=headers)
    with ExitStack() as stack:
        for patch in django_rendering():
            stack.enter_context(patch)
        djangos = client.get(address, headers=headers)
    assert ours.status_code == djangos.status_code == 200
    return without_csrf(ours), in_the_admins_words(without_csrf(djangos), djangos)


def in_the_admins_words(html: str, response) -> str:
    """Django's page with its yes/no icons' text in the page's language, as ours
    writes it (``admin_html.boolean_icon``): Django writes "True" and "False"."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        for value, text in [("True", "Yes"), ("False", "No"), ("None", "Unknown")]:
            html = html.replace(f'alt="{value}"', f'alt="{translation.gettext(text)}"')
    return html


def without_csrf(response) -> str:
    # The token is masked anew for each response.
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"',
        'name="csrfmiddlewaretoken" value=""',
        response.content.decode(),
    )


@pytest.mark.parametrize("address", PAGES)
def test_the_page_is_the_one_djangos_templates_write(admin_client, records, address):
    ours, djangos = page_both_ways(admin_client, address)
    assertHTMLEqual(ours, djangos)


def test_a_date_column_writes_the_first_of_a_month_as_the_public_pages(
    admin_client, records
):
    GrantFactory(
        acronym="FIRSTDAY",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2030, 12, 31),
    )
    address = "/admin/programmes/grant/?q=FIRSTDAY"
    french = admin_client.get(address, headers={"accept-language": "fr"}).text
    english = admin_client.get(address, headers={"accept-language": "en"}).text
    assert '<td class="field-start_date nowrap">1er janvier 2026</td>' in french
    assert '<td class="field-start_date nowrap">1 January 2026</td>' in english


def test_the_page_is_the_same_in_english(admin_client, records):
    ours, djangos = page_both_ways(
        admin_client, "/admin/programmes/grant/", accept_language="en"
    )
    assert "Select this object for an action" in ours
    assertHTMLEqual(ours, djangos)


@pytest.mark.parametrize(
    "address",
    ["/admin/partners/partner/", "/admin/programmes/grant/", "/admin/partners/office/"],
)
def test_a_scoped_role_gets_the_page_djangos_templates_write(client, records, address):
    user = User.objects.create_user("office", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.OFFICE_STAFF.value))
    profile = StaffProfile.objects.create(
        user=user, office=OfficeFactory(country="KR", countries=["KR"])
    )
    profile.institutes.add(InstituteFactory())
    client.force_login(user)
    ours, djangos = page_both_ways(client, address)
    assertHTMLEqual(ours, djangos)
    # The sidebar lists what the role may see, and not the users.
    assert 'href="/admin/partners/partner/"' in ours
    assert 'href="/admin/auth/user/"' not in ours


def test_names_are_escaped_once(admin_client, records):
    ours, _djangos = page_both_ways(admin_client, "/admin/partners/partner/")
    assert "<script>alert" not in ours
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co"
    parent = records[0]
    # The name links to the change page, in the row's first cell after the box.
    assert (
        f'<th class="field-name"><a href="/admin/partners/partner/{parent.pk}/change/">'
        f"{escaped}</a></th>"
    ) in ours
    # As the parent of the second partner, and in the box's label.
    assert f'<td class="field-parent nowrap">{escaped}</td>' in ours
    assert f'aria-label="Choisir cet objet pour une action - {escaped}"' in ours
    assert "&amp;amp;" not in ours


def test_rows_keep_the_filters_in_their_links(admin_client, records):
    seoul = Partner.objects.get(name_fr="Université de Séoul")
    ours, _djangos = page_both_ways(admin_client, "/admin/partners/partner/?country=KR")
    assert (
        f'<a href="/admin/partners/partner/{seoul.pk}/change/'
        '?_changelist_filters=country%3DKR">'
    ) in ours
    # The country filter (CountriesInUseFilter): the chosen country marked, each
    # link with its code.
    assert re.search(r'<li class="selected">\s*<a href="\?country=KR">', ours)
    assert '<a href="?country=BR">' in ours


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_list_filter_is_djangos(language):
    choices = [
        {"selected": False, "query_string": "?", "display": "Tout"},
        {"selected": True, "query_string": "?office=1&q=S%C3%A9oul", "display": SCRIPT},
        {"selected": False, "query_string": "?city=Séoul", "display": mark_safe("<b>")},
    ]
    with translation.override(language):
        ours = admin_html.list_filter(SCRIPT, iter(choices))
        djangos = djangos_list_filter(SCRIPT, choices)
    assertHTMLEqual(ours, djangos)
    assert "<script>" not in ours
    assert 'href="?city=S%C3%A9oul"' in ours  # iriencode
    assert ("Par" if language == "fr" else "By") in ours


def test_a_filter_with_its_own_template_is_rendered_by_it(admin_client, monkeypatch):
    """Only admin/filter.html is written in Python; other templates stay Django's."""
    own_filter = type(
        "OwnFilter",
        (admin.AllValuesFieldListFilter,),
        {"template": "admin/own_filter.html"},
    )
    model_admin = admin.site._registry[Partner]
    monkeypatch.setattr(model_admin, "list_filter", (("kind", own_filter),))
    PartnerFactory(kind="university")
    own_template = engines["django"].from_string("<p>own {{ choices|length }}</p>")
    with mock.patch.object(admin_list, "get_template", return_value=own_template):
        response = admin_client.get(reverse("admin:partners_partner_changelist"))
    content = response.content.decode()
    assert "<p>own 2</p>" in content  # "All" and the one kind
    assert "data-filter-title" not in content


def test_the_sidebar_marks_the_current_model(admin_client, records):
    ours, _djangos = page_both_ways(admin_client, "/admin/programmes/grant/")
    assert re.search(
        r'<tr class="model-grant current-model"><th scope="row" '
        r'id="programmes-grant"><a href="/admin/programmes/grant/" '
        r'aria-current="page">',
        ours,
    )


def test_a_list_editable_changelist_keeps_djangos_cells(
    admin_client, records, monkeypatch
):
    """Django's own rendering writes the editable cells and their errors."""
    model_admin = admin.site._registry[Partner]
    monkeypatch.setattr(model_admin, "list_editable", ("acronym",))
    response = admin_client.get(reverse("admin:partners_partner_changelist"))
    content = response.content.decode()
    assert 'name="form-0-acronym"' in content
    assert 'name="form-TOTAL_FORMS"' in content


@pytest.mark.parametrize("role", [None, Role.OFFICE_STAFF, Role.CONTRIBUTOR])
@pytest.mark.parametrize("label", [None, "partners"])
def test_the_list_of_models_is_djangos(rf, role, label):
    """CnrsAdminSite reverses each model's addresses once: the same list as Django's."""
    if role is None:
        user = User.objects.create_superuser("root", password="x")
    else:
        user = User.objects.create_user("staff", password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=role.value))
    request = rf.get("/admin/")
    request.user = User.objects.get(pk=user.pk)
    for _ in range(2):  # reversed, then from the cache
        ours = admin.site._build_app_dict(request, label)
        assert ours == AdminSite._build_app_dict(admin.site, request, label)
    assert ours
