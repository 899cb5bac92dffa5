"""The site information: the legal notice, the accessibility statement's contact and
date, and the one record staff keep them in."""

import datetime
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cnrs_intl.demo import data as demo_data
from cnrs_intl.models import SITE_INFORMATION_ID, SiteInformation
from partners.roles import Role, sync_roles
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    SiteInformationFactory,
)
from units.models import Unit

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def main_of(response) -> str:
    html = response.content.decode()
    return " ".join(html[html.index("<main") : html.index("</main>")].split())


# --- The legal notice -------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "fr",
            [
                "<h1>Mentions légales</h1>",
                "Centre national de la recherche scientifique (CNRS)",
                "Président-directeur général du CNRS",
                "Hébergeur d’essai",
                "Données personnelles",
                "ne dépose aucun cookie",
            ],
        ),
        (
            "en",
            [
                "<h1>Legal notice</h1>",
                "French National Centre for Scientific Research (CNRS)",
                "Chairman and CEO of the CNRS",
                "Test host",
                "Personal data",
                "sets no cookie",
            ],
        ),
    ],
)
def test_the_legal_notice_gives_the_publisher_director_contact_and_host(
    client, language, said
):
    SiteInformationFactory()

    response = client.get(f"/{language}/legal/")

    assert response.status_code == 200
    main = main_of(response)
    for words in said:
        assert words in main, words
    assert "<address>3 rue Michel-Ange<br>75794 Paris cedex 16<br>France</address>" in (
        main
    )
    assert "<address>1 quai de l’Essai<br>69000 Lyon<br>France</address>" in main
    assert '<a href="mailto:derci-site@example.org">derci-site@example.org</a>' in main
    # The reuse of the content: the open data page, in the page's language.
    assert f'<a href="/{language}/data/">' in main


def test_a_text_missing_in_english_is_shown_in_french_marked_as_such(client):
    SiteInformationFactory(host_name_en="")

    main = main_of(client.get("/en/legal/"))

    assert '<dd lang="fr">Hébergeur d’essai</dd>' in main


def test_without_the_site_information_the_notice_names_the_derci(client):
    response = client.get("/fr/legal/")

    assert response.status_code == 200
    main = main_of(response)
    assert "Direction Europe de la recherche et coopération internationale" in main
    assert "restent à indiquer ici" in main
    assert "mailto:" not in main and "@" not in main
    assert "Données personnelles" in main and 'href="/fr/data/"' in main


def test_without_a_contact_e_mail_visitors_write_to_the_publishers_address(client):
    SiteInformationFactory(contact_email="")

    legal = main_of(client.get("/en/legal/"))
    statement = main_of(client.get("/en/accessibility/"))

    assert "mailto:" not in legal and "mailto:" not in statement
    assert "write to the publisher at its address above" in legal
    assert "Write to it by post, at the publisher’s address:" in statement
    assert "<address>3 rue Michel-Ange<br>75794 Paris cedex 16<br>France</address>" in (
        statement
    )


@pytest.mark.parametrize("entered", [False, True])
def test_the_legal_notice_reads_the_site_information_alone(client, entered):
    if entered:
        SiteInformationFactory()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/fr/legal/").status_code == 200
    # The record, entered or not: the footer reads nothing.
    assert len(queries) == 1, [query["sql"] for query in queries]


def test_the_legal_notice_answers_get_and_head_only(client):
    assert client.head("/en/legal/").status_code == 200
    assert client.post("/en/legal/").status_code == 405


def test_the_legal_notice_sets_no_cookie_as_it_says(client):
    SiteInformationFactory()
    first = client.get("/fr/legal/")
    assert not first.cookies and "Set-Cookie" not in first
    assert client.get("/fr/legal/")["X-Page-Cache"] == "hit"


# Every footer links the legal notice: test_accessibility_statement.py, beside the
# statement's own link.


def test_the_sitemap_lists_the_legal_notice_in_both_languages(client):
    xml = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/fr/legal/</loc>" in xml
    assert 'hreflang="en" href="http://testserver/en/legal/"' in xml


# --- The accessibility statement ---------------------------------------------------


@pytest.mark.parametrize(
    ("language", "date", "contact"),
    [
        (
            "fr",
            "Déclaration établie le "
            '<time datetime="2026-12-01">1er décembre 2026</time>.',
            "Écrivez à",
        ),
        (
            "en",
            'Statement made on <time datetime="2026-12-01">1 December 2026</time>.',
            "Write to",
        ),
    ],
)
def test_the_statement_gives_its_contact_and_its_date(client, language, date, contact):
    SiteInformationFactory()

    main = main_of(client.get(f"/{language}/accessibility/"))

    assert date in main
    feedback = main[
        main.index('id="contact-title"') : main.index('id="remedies-title"')
    ]
    assert (
        f'{contact} <a href="mailto:derci-site@example.org">derci-site@example.org</a>.'
        in feedback
    )


def test_the_statement_reads_the_site_information_alone(client):
    SiteInformationFactory()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/fr/accessibility/").status_code == 200
    assert len(queries) == 1


@pytest.mark.parametrize(
    ("auditor", "said"),
    [
        (
            "Audit & Co",
            'Un audit réalisé le <time datetime="2026-11-20">20 novembre 2026</time> '
            "par Audit &amp; Co a mesuré sa conformité au RGAA.",
        ),
        (
            "",
            'Un audit réalisé le <time datetime="2026-11-20">20 novembre 2026</time> '
            "a mesuré sa conformité au RGAA.",
        ),
    ],
)
def test_an_audit_entered_replaces_the_no_audit_wording(client, auditor, said):
    SiteInformationFactory(
        accessibility_audit_date=datetime.date(2026, 11, 20),
        accessibility_auditor=auditor,
    )

    main = main_of(client.get("/fr/accessibility/"))

    assert said in main
    assert "Aucun audit" not in main
    assert "qui n’ont pas encore été réalisés" not in main


def test_without_an_audit_the_statement_says_none_was_made(client):
    SiteInformationFactory()

    main = main_of(client.get("/en/accessibility/"))

    assert "No audit has measured it yet." in main
    assert "An audit carried out" not in main


# --- Cached pages -------------------------------------------------------------------


def test_a_change_of_the_site_information_shows_at_once_on_cached_pages(client):
    addresses = ["/fr/legal/", "/fr/accessibility/", "/en/legal/"]
    for address in addresses:
        client.get(address)
        assert client.get(address)["X-Page-Cache"] == "hit", address

    # Entered: the pages built from none are not served any more.
    information = SiteInformationFactory()
    for address in addresses:
        response = client.get(address)
        assert response["X-Page-Cache"] == "miss", address
        assert "derci-site@example.org" in response.text, address

    information.contact_email = "accessibilite@example.org"
    information.save()
    for address in addresses:
        response = client.get(address)
        assert response["X-Page-Cache"] == "miss", address
        assert "accessibilite@example.org" in response.text, address


# --- The record: one, its rules -----------------------------------------------------


def test_there_is_one_site_information_record_whatever_the_path():
    SiteInformationFactory()
    second = SiteInformation(
        id=2,
        publisher_name_fr="Autre",
        publisher_address="Ailleurs",
        publication_director_fr="Quelqu’un",
        host_name_fr="Autre",
        host_address="Ailleurs",
        accessibility_statement_date=datetime.date(2026, 12, 1),
    )
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="The site has one set of information"),
    ):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        # A new record takes the one id, which the first holds.
        SiteInformation.objects.create(
            publisher_name_fr="Autre",
            publisher_address="Ailleurs",
            publication_director_fr="Quelqu’un",
            host_name_fr="Autre",
            host_address="Ailleurs",
            accessibility_statement_date=datetime.date(2026, 12, 1),
        )
    assert SiteInformation.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accessibility_auditor": "Audit & Co"}, "accessibility_audit_date"),
        (
            {"accessibility_audit_date": datetime.date(2026, 12, 2)},
            "accessibility_audit_date",
        ),
        (
            {"accessibility_statement_date": datetime.date(2999, 1, 1)},
            "accessibility_statement_date",
        ),
    ],
    ids=["auditor-without-audit", "audit-after-statement", "statement-to-come"],
)
def test_dates_that_cannot_be_are_refused_on_their_field(changes, field):
    information = SiteInformationFactory.build(**changes)

    with pytest.raises(ValidationError) as refused:
        information.full_clean()

    assert field in refused.value.message_dict


# --- The licence of the data ------------------------------------------------------

ETALAB = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "fr",
            f'Les fiches sont publiées sous la <a href="{ETALAB}">Licence Ouverte '
            "version 2.0 (Etalab)</a>, dont les conditions disent comment les "
            "réutiliser.",
        ),
        (
            "en",
            f'The records are published under the <a href="{ETALAB}">Open Licence '
            "version 2.0 (Etalab)</a>, whose terms say how they may be reused.",
        ),
    ],
)
@pytest.mark.parametrize("page", ["data", "legal"])
def test_the_open_data_page_and_the_legal_notice_name_the_datas_licence(
    client, language, said, page
):
    SiteInformationFactory(
        data_licence_fr="Licence Ouverte version 2.0 (Etalab)",
        data_licence_en="Open Licence version 2.0 (Etalab)",
        data_licence_url=ETALAB,
    )

    assert said in main_of(client.get(f"/{language}/{page}/"))


def test_a_licence_named_in_french_only_is_marked_french_on_english_pages(client):
    SiteInformationFactory(
        data_licence_fr="Licence Ouverte version 2.0 (Etalab)", data_licence_url=""
    )

    main = main_of(client.get("/en/data/"))

    assert (
        'under the <span lang="fr">Licence Ouverte version 2.0 (Etalab)</span>, whose'
        in main
    )
    assert "<a href" not in main.split("published under the")[1].split("</p>")[0]


@pytest.mark.parametrize("entered", [False, True])
def test_without_a_licence_named_the_pages_name_none(client, entered):
    if entered:
        SiteInformationFactory()
    for address in ["/fr/data/", "/en/data/", "/fr/legal/", "/en/legal/"]:
        main = main_of(client.get(address))
        assert "sous la" not in main and "published under" not in main, address


def test_a_licences_address_without_its_name_is_refused_on_the_name():
    information = SiteInformationFactory.build(data_licence_url=ETALAB)

    with pytest.raises(ValidationError) as refused:
        information.full_clean()

    assert refused.value.message_dict["data_licence"] == [
        "Donnez le nom de la licence avec l’adresse de son texte."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteInformationFactory(data_licence_url=ETALAB)


def test_pages_are_sensible_before_anything_is_entered(client):
    assert SiteInformation.objects.current() is None
    for address in ["/fr/legal/", "/en/legal/", "/fr/accessibility/", "/en/"]:
        assert client.get(address).status_code == 200, address
    statement = main_of(client.get("/en/accessibility/"))
    assert "Statement made on" not in statement and "mailto:" not in statement
    assert "No audit has measured it yet." in statement


# --- The admin ----------------------------------------------------------------------


def new_information_data(client) -> dict:
    data = form_data(client.get(admin_url(SiteInformation, "add")))
    data.update(
        {
            "publisher_name_fr": "Centre national de la recherche scientifique (CNRS)",
            "publisher_name_en": "French National Centre for Scientific Research",
            "publisher_address": "3 rue Michel-Ange\r\n75794 Paris cedex 16",
            "publication_director_fr": "Président-directeur général du CNRS",
            "publication_director_en": "Chairman and CEO of the CNRS",
            "contact_email": "",
            "host_name_fr": "CNRS",
            "host_name_en": "CNRS",
            "host_address": "3 rue Michel-Ange\r\n75794 Paris cedex 16",
            "accessibility_statement_date": "2026-12-01",
        }
    )
    return data


def test_staff_add_it_once_and_then_change_it(admin_client):
    # None yet: the admin's link leads to the form that adds it.
    response = admin_client.get(admin_url(SiteInformation, "changelist"))
    assert response.status_code == 302
    assert response["Location"] == admin_url(SiteInformation, "add")

    data = new_information_data(admin_client)
    response = admin_client.post(admin_url(SiteInformation, "add"), data)

    assert response.status_code == 302
    information = SiteInformation.objects.get()
    assert information.pk == SITE_INFORMATION_ID
    assert information.accessibility_statement_date == datetime.date(2026, 12, 1)
    # Now its list is that record, and no second can be added.
    response = admin_client.get(admin_url(SiteInformation, "changelist"))
    assert response["Location"] == admin_url(SiteInformation, "change", information.pk)
    assert admin_client.get(admin_url(SiteInformation, "add")).status_code == 403
    assert admin_client.post(admin_url(SiteInformation, "add"), data).status_code == (
        403
    )
    index = admin_client.get(reverse("admin:index"))
    assert admin_url(SiteInformation, "add") not in index.content.decode()
    assert SiteInformation.objects.count() == 1


def test_the_index_offers_to_add_it_while_there_is_none(admin_client):
    index = admin_client.get(reverse("admin:index"))
    assert admin_url(SiteInformation, "add") in index.content.decode()


def test_no_one_deletes_it(admin_client):
    information = SiteInformationFactory()

    url = admin_url(SiteInformation, "delete", information.pk)

    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(is_superuser=True)
    model_admin = admin.site._registry[SiteInformation]
    assert "delete_selected" not in model_admin.get_actions(request)
    assert SiteInformation.objects.exists()


def test_its_change_page_has_language_tabs_history_and_nothing_from_elsewhere(
    admin_client,
):
    information = SiteInformationFactory()

    response = admin_client.get(admin_url(SiteInformation, "change", information.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert admin_url(SiteInformation, "history", information.pk) in content
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in content
    for host in ("code.jquery.com", "googleapis", "cdnjs", "jsdelivr", "unpkg"):
        assert host not in content
    form = response.context["adminform"].form
    translated = {"publisher_name_fr", "publisher_name_en", "host_name_en"}
    assert translated <= set(form.fields)
    # Addresses are written once, as on an envelope.
    assert "publisher_address" in form.fields
    assert "publisher_address_en" not in form.fields


def test_a_published_text_in_one_language_is_saved_with_a_warning(admin_client):
    information = SiteInformationFactory()
    url = admin_url(SiteInformation, "change", information.pk)
    data = form_data(admin_client.get(url)) | {"host_name_en": ""}

    response = admin_client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    messages = [str(message) for message in response.context["messages"]]
    # Always public: every footer leads to it.
    assert (
        "This published record has no English text for: host. Visitors reading "
        "English see the French text instead."
    ) in messages


def test_every_change_is_kept_and_a_revert_restores_both_languages(
    admin_client, admin_user
):
    information = SiteInformationFactory()
    first = information.history.first()
    url = admin_url(SiteInformation, "change", information.pk)
    data = form_data(admin_client.get(url)) | {
        "publication_director_fr": "Directrice générale déléguée",
        "publication_director_en": "Deputy Director General",
        "contact_email": "nouveau@example.org",
    }
    assert admin_client.post(url, data).status_code == 302
    information.refresh_from_db()
    assert information.publication_director_en == "Deputy Director General"
    assert information.history.count() == 2
    assert information.history.first().history_user == admin_user

    version_url = admin_url(
        SiteInformation, "simple_history", information.pk, first.history_id
    )
    response = admin_client.post(version_url, form_data(admin_client.get(version_url)))

    assert response.status_code == 302
    information.refresh_from_db()
    assert information.publication_director_fr == "Président-directeur général du CNRS"
    assert information.publication_director_en == "Chairman and CEO of the CNRS"
    assert information.contact_email == "derci-site@example.org"
    assert information.history.count() == 3


# --- Roles -------------------------------------------------------------------------


def staff(role: Role) -> User:
    user = User.objects.create_user(role.value, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    return User.objects.get(pk=user.pk)  # fresh permission caches


def allowed(user, information) -> set[str]:
    model_admin = admin.site._registry[SiteInformation]
    request = RequestFactory().get("/admin/")
    request.user = user
    checks = {
        "view": model_admin.has_view_permission(request, information),
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_change_permission(request, information),
        "delete": model_admin.has_delete_permission(request, information),
    }
    return {action for action, granted in checks.items() if granted}


@pytest.mark.parametrize("role", list(Role))
def test_editors_and_administrators_keep_it_other_roles_read_it(role):
    user = staff(role)
    if role in (Role.ADMINISTRATOR, Role.EDITOR):
        assert allowed(user, None) == {"view", "add", "change"}
    information = SiteInformationFactory()
    # Always public: no draft for contributors to change; never deleted.
    keepers = role in (Role.ADMINISTRATOR, Role.EDITOR)
    assert allowed(user, information) == ({"view", "change"} if keepers else {"view"})


def test_the_roles_migration_runs_before_the_site_information_exists():
    # cnrs_intl 0003_roles syncs the roles with the models of its time, before
    # 0010 adds the site information: its permissions come after the last migration
    # (post_migrate). A new database's migrations stopped with a LookupError.
    state = MigrationLoader(connection).project_state(("cnrs_intl", "0003_roles"))
    Permission.objects.filter(content_type__model="siteinformation").delete()

    sync_roles(state.apps)

    editors = Group.objects.get(name=Role.EDITOR.value)
    assert editors.permissions.filter(codename="change_partner").exists()
    assert not editors.permissions.filter(codename="change_siteinformation").exists()
    sync_roles()  # as post_migrate does
    assert editors.permissions.filter(codename="change_siteinformation").exists()


def test_a_role_naming_a_model_found_nowhere_stops_the_sync(monkeypatch):
    wanted = {Role.READER: ("cnrs_intl.view_siteinformatoin",)}
    monkeypatch.setattr("partners.roles.ROLE_PERMISSIONS", wanted)

    with pytest.raises(LookupError, match="cnrs_intl.view_siteinformatoin"):
        sync_roles()


def test_a_reader_opens_it_read_only(client):
    information = SiteInformationFactory()
    client.force_login(staff(Role.READER))

    response = client.get(admin_url(SiteInformation, "changelist"))
    assert response["Location"] == admin_url(SiteInformation, "change", information.pk)
    page = client.get(admin_url(SiteInformation, "change", information.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    url = admin_url(SiteInformation, "change", information.pk)
    assert client.post(url, {"contact_email": "x@example.org"}).status_code == 403


# --- The demo -----------------------------------------------------------------------


def run(command: str, *args, **options) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def test_the_demo_gives_the_cnrss_public_facts_and_a_contact_no_one_owns():
    run("load_demo")

    information = SiteInformation.objects.get()
    assert information.publisher_name_fr == (
        "Centre national de la recherche scientifique (CNRS)"
    )
    assert information.publisher_address == (
        "3 rue Michel-Ange\n75794 Paris cedex 16\nFrance"
    )
    assert information.publication_director_en == "Chairman and CEO of the CNRS"
    assert information.host_address == information.publisher_address
    # example.org is reserved (RFC 2606): staff enter the DERCI's real address.
    assert information.contact_email.endswith("@example.org")
    assert information.data_licence_fr == "Licence Ouverte version 2.0 (Etalab)"
    assert information.data_licence_url.startswith("https://www.etalab.gouv.fr/")
    assert information.history.count() == 1


def test_a_demo_loaded_before_the_site_information_gets_it_and_keeps_the_rest():
    run("load_demo")
    SiteInformation.objects.all().delete()  # as before the model existed
    unit_updates = sorted(Unit.objects.values_list("pk", "updated"))

    output = run("load_demo")

    assert "Site information: 1 created" in output
    assert (
        SiteInformation.objects.get().publisher_address
        == (demo_data.SITE_INFORMATION["publisher_address"])
    )
    assert sorted(Unit.objects.values_list("pk", "updated")) == unit_updates
    # Then left as staff leave it.
    SiteInformation.objects.update(contact_email="derci@example.org")
    assert "already loaded" in run("load_demo")
    assert SiteInformation.objects.get().contact_email == "derci@example.org"


def test_the_dashboard_lists_its_changes_and_missing_english_not_a_count(
    admin_client, admin_user
):
    information = SiteInformationFactory()
    url = admin_url(SiteInformation, "change", information.pk)
    data = form_data(admin_client.get(url)) | {"host_name_en": ""}
    assert admin_client.post(url, data).status_code == 302

    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")

    [latest] = response.context["recent_changes"][:1]
    assert latest.instance_type is SiteInformation
    assert latest.history_user == admin_user
    [gap] = [
        gap
        for gap in response.context["missing_translations"]
        if gap["model"] is SiteInformation
    ]
    assert gap["count"] == 1
    assert gap["examples"] == [("Site information", url)]
    # One record, not content: the counts leave it out.
    counted = {count.model for count in response.context["model_counts"]}
    assert SiteInformation not in counted
    assert Unit in counted


@pytest.mark.parametrize(
    ("language", "licence", "publisher"),
    [
        ("fr", "Licence Ouverte version 2.0 (Etalab)", "Centre national"),
        ("en", "Open Licence version 2.0 (Etalab)", "French National Centre"),
    ],
)
def test_the_openapi_description_names_the_licence_and_the_contact(
    client, language, licence, publisher
):
    SiteInformationFactory(
        publisher_name_fr="Centre national de la recherche scientifique",
        publisher_name_en="French National Centre for Scientific Research",
        contact_email="derci@example.org",
        data_licence_fr="Licence Ouverte version 2.0 (Etalab)",
        data_licence_en="Open Licence version 2.0 (Etalab)",
        data_licence_url=ETALAB,
    )

    info = client.get("/api/schema/", {"lang": language}).json()["info"]

    assert info["license"] == {"name": licence, "url": ETALAB}
    assert info["contact"]["email"] == "derci@example.org"
    assert info["contact"]["name"].startswith(publisher)


def test_without_the_site_information_the_description_names_no_licence(client):
    info = client.get("/api/schema/").json()["info"]
    assert "license" not in info and "contact" not in info
    SiteInformationFactory(data_licence_fr="", data_licence_en="", contact_email="")
    info = client.get("/api/schema/").json()["info"]
    assert "license" not in info and "contact" not in info
