"""The confirmation pages of "Publish selected" and "Return selected to draft": what
they say of each record selected, and that nothing is written before "Yes"."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cnrs_intl.models import StaffProfile
from partners.admin_records import LANGUAGE_MISSING_NOTES, LISTED_RECORDS
from partners.history import Reason
from partners.models import FormerAddress, Partner
from partners.publication import PublicationStatus
from partners.roles import Role
from programmes.models import PLACEHOLDER_LAUREATE, Grant
from tests.admin_forms import admin_url
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    PartnerFactory,
    PersonFactory,
    TestimonyFactory,
)
from units.models import Testimony

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED


class FormFields(HTMLParser):
    """The fields of each form of a page, as (name, value) pairs in their order."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
            self.in_form = True
        elif (
            tag == "input"
            and self.in_form
            and "name" in attrs
            and attrs.get("type") != "submit"
        ):
            self.forms[-1].append((attrs["name"], attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def confirmation_form(response) -> dict[str, list[str]]:
    """Return what the page's "Yes" button posts: its form's fields."""
    parser = FormFields()
    parser.feed(response.content.decode())
    (form,) = [fields for fields in parser.forms if ("post", "yes") in fields]
    data: dict[str, list[str]] = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    return data


def ask(client, model, action, records, query="", language="en", **data):
    """Choose ``action`` for ``records`` in ``model``'s list, as its "Go" does."""
    return client.post(
        admin_url(model, "changelist") + query,
        {"action": action, "_selected_action": [r.pk for r in records], **data},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def listed(response, name) -> list:
    """Return the records a list of the page names (its context's ``name``)."""
    return [record for record, _notes in response.context[name].rows]


def notes(response, name) -> dict:
    """Return what a list of the page says of each record it names."""
    return {record: notes for record, notes in response.context[name].rows}


def writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


@pytest.fixture
def grants():
    """A grant of each kind "Publish selected" tells apart."""
    return {
        "ready": GrantFactory(publication_status=DRAFT),
        "one_language": GrantFactory(publication_status=DRAFT, title_en=""),
        "held": GrantFactory(
            publication_status=DRAFT, laureate=PersonFactory(**PLACEHOLDER_LAUREATE)
        ),
        "published": GrantFactory(),
    }


def statuses(records) -> list[tuple[str, int]]:
    return [
        (type(r).objects.get(pk=r.pk).publication_status, r.history.count())
        for r in records
    ]


def test_publishing_asks_first_and_writes_nothing(admin_client, grants):
    before = statuses(grants.values())

    with CaptureQueriesContext(connection) as queries:
        response = ask(admin_client, Grant, "publish_selected", grants.values())

    assert response.status_code == 200
    assert response.templates[0].name == "admin/publish_confirmation.html"
    assert writes(queries) == []
    assert statuses(grants.values()) == before
    assert list(response.context["messages"]) == []


def test_returning_to_draft_asks_first_and_writes_nothing(admin_client, grants):
    before = statuses(grants.values())

    with CaptureQueriesContext(connection) as queries:
        response = ask(admin_client, Grant, "return_selected_to_draft", grants.values())

    assert response.status_code == 200
    assert response.templates[0].name == "admin/return_to_draft_confirmation.html"
    assert writes(queries) == []
    assert statuses(grants.values()) == before


def test_the_publish_page_says_what_becomes_of_each_record(admin_client, grants):
    response = ask(admin_client, Grant, "publish_selected", grants.values())

    assert listed(response, "to_publish") == [grants["ready"], grants["one_language"]]
    assert notes(response, "one_language") == {
        grants["one_language"]: ["No English text for: project title."]
    }
    assert notes(response, "held") == {
        grants["held"]: [
            "Choose the laureate before publishing: “CORDIS (laureate to be "
            "completed)” stands for a name CORDIS does not publish."
        ]
    }
    assert listed(response, "already_published") == [grants["published"]]
    text = response.content.decode()
    for heading in (
        "<h2>2 records will be published</h2>",
        "<h2>1 record will be published with a text in one language only</h2>",
        "<h2>1 record will stay a draft</h2>",
        "<h2>1 record is published already</h2>",
    ):
        assert heading in text
    # Each linked to its change page, the reason beside it.
    held = grants["held"]
    assert (
        f'<li><a href="{admin_url(Grant, "change", held.pk)}">{held}</a> – Choose '
        "the laureate before publishing:" in text
    )
    assert 'value="Yes, publish"' in text


def test_yes_publishes_as_the_action_did_and_keeps_the_reason(admin_client, grants):
    page = ask(admin_client, Grant, "publish_selected", grants.values())

    response = admin_client.post(
        admin_url(Grant, "changelist"),
        confirmation_form(page),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "2 records published.",
        "1 record published has a text in one language only: the dashboard lists "
        "it until it is translated.",
        "1 record was left as a draft: it cannot be published as it is. Open it to "
        "see why.",
    ]
    assert set(Grant.objects.public()) == {
        grants["ready"],
        grants["one_language"],
        grants["published"],
    }
    assert grants["ready"].history.first().history_change_reason == Reason.PUBLISHED
    assert grants["published"].history.count() == 1


def test_the_return_to_draft_page_says_which_records_leave_the_site(
    admin_client, grants
):
    response = ask(admin_client, Grant, "return_selected_to_draft", grants.values())

    assert listed(response, "leaving") == [grants["published"]]
    assert listed(response, "drafts") == [
        grants["ready"],
        grants["one_language"],
        grants["held"],
    ]
    text = response.content.decode()
    assert "<h2>1 published record will leave the public site</h2>" in text
    assert "<h2>3 records are drafts already</h2>" in text
    assert "Their pages will answer “page not found” (404) to visitors" in text
    assert 'value="Yes, return to draft"' in text


def test_yes_returns_to_draft_and_the_pages_answer_as_the_page_said(admin_client):
    partner = PartnerFactory(slug="old-name")
    partner.slug = "new-name"
    partner.save()
    assert FormerAddress.objects.filter(slug="old-name").exists()
    visitor = Client()
    page = ask(admin_client, Partner, "return_selected_to_draft", [partner])

    response = admin_client.post(
        admin_url(Partner, "changelist"),
        confirmation_form(page),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "1 record returned to draft."
    ]
    latest = partner.history.first()
    assert latest.publication_status == DRAFT
    assert latest.history_change_reason == Reason.RETURNED_TO_DRAFT
    address = partner.get_absolute_url()
    # Not found, at its address and its former one; back at the same once published.
    assert visitor.get(address).status_code == 404
    assert visitor.get(address.replace("new-name", "old-name")).status_code == 404
    Partner.objects.filter(pk=partner.pk).update(publication_status=PUBLISHED)
    assert visitor.get(address).status_code == 200


def test_records_without_a_page_of_their_own_are_not_said_to_answer_404(
    admin_client,
):
    testimony = TestimonyFactory()

    response = ask(admin_client, Testimony, "return_selected_to_draft", [testimony])

    assert listed(response, "leaving") == [testimony]
    assert "404" not in response.content.decode()


def test_no_yes_button_when_the_action_would_do_nothing(admin_client, grants):
    publish = ask(
        admin_client, Grant, "publish_selected", [grants["held"], grants["published"]]
    )
    unpublish = ask(admin_client, Grant, "return_selected_to_draft", [grants["ready"]])

    assert "<h2>No record will be published</h2>" in publish.content.decode()
    assert "Yes, publish" not in publish.content.decode()
    assert "<h2>No record will leave the public site</h2>" in unpublish.content.decode()
    assert "Yes, return to draft" not in unpublish.content.decode()


def test_the_form_posts_the_selection_back_and_take_me_back_keeps_the_filters(
    admin_client,
):
    partners = PartnerFactory.create_batch(2, country="JP", publication_status=DRAFT)
    query = "?country=JP&o=2"

    response = ask(
        admin_client, Partner, "publish_selected", partners, query, select_across="0"
    )

    assert confirmation_form(response) == {
        "csrfmiddlewaretoken": [response.context["csrf_token"]],
        "_selected_action": [str(p.pk) for p in partners],
        "action": ["publish_selected"],
        "post": ["yes"],
    }
    assert (
        f'<a href="{admin_url(Partner, "changelist")}?country=JP&amp;o=2" '
        'class="closelink">No, take me back</a>' in response.content.decode()
    )


def test_a_whole_list_selected_is_posted_back_as_such_and_summarised(admin_client):
    drafts = PartnerFactory.create_batch(LISTED_RECORDS + 3, publication_status=DRAFT)
    on_the_page = drafts[:2]

    page = ask(
        admin_client, Partner, "publish_selected", on_the_page, select_across="1"
    )

    assert page.context["to_publish"].count == LISTED_RECORDS + 3
    assert len(listed(page, "to_publish")) == LISTED_RECORDS
    assert "<p>… and 3 more.</p>" in page.content.decode()
    form = confirmation_form(page)
    assert form["select_across"] == ["1"]
    assert form["_selected_action"] == [str(p.pk) for p in on_the_page]

    admin_client.post(admin_url(Partner, "changelist"), form)
    assert Partner.objects.drafts().count() == 0


def page_queries(client, model, action, records) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = ask(client, model, action, records)
    assert response.status_code == 200
    return len(queries)


def grants_of_each_kind(count: int) -> list:
    placeholder = PersonFactory(**PLACEHOLDER_LAUREATE)
    return [
        *GrantFactory.create_batch(count, publication_status=DRAFT),
        *GrantFactory.create_batch(count, publication_status=DRAFT, title_en=""),
        *GrantFactory.create_batch(
            count, publication_status=DRAFT, laureate=placeholder
        ),
        *GrantFactory.create_batch(count),
    ]


@pytest.mark.parametrize("action", ["publish_selected", "return_selected_to_draft"])
def test_the_pages_queries_do_not_grow_with_the_selection(admin_client, action):
    few = page_queries(admin_client, Grant, action, grants_of_each_kind(2))
    Grant.objects.all().delete()
    many = page_queries(
        admin_client, Grant, action, grants_of_each_kind(LISTED_RECORDS + 10)
    )

    assert many == few


def test_a_list_naming_records_by_a_relation_reads_it_in_the_same_query(
    admin_client,
):
    # A testimony is named by its person: read with it (the list's select_related).
    def testimonies(count):
        return [
            *TestimonyFactory.create_batch(count, publication_status=DRAFT),
            *TestimonyFactory.create_batch(count),
        ]

    few = page_queries(admin_client, Testimony, "publish_selected", testimonies(2))
    many = page_queries(admin_client, Testimony, "publish_selected", testimonies(60))

    assert many == few


def test_the_confirmation_is_protected_from_forged_requests(admin_user, grants):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(
        admin_url(Grant, "changelist"),
        {
            "action": "publish_selected",
            "_selected_action": [grants["ready"].pk],
            "post": "yes",
        },
    )

    assert response.status_code == 403
    assert not Grant.objects.get(pk=grants["ready"].pk).is_published


def staff(role, institute=None):
    user = User.objects.create_user(role.value, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role.value))
    profile = StaffProfile.objects.create(user=user)
    if institute is not None:
        profile.institutes.add(institute)
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.INSTITUTE_ADVISER])
def test_roles_that_may_not_publish_get_no_page_and_publish_nothing(client, role):
    insmi = InstituteFactory(code="INSMI")
    mine = GrantFactory(institute=insmi, publication_status=DRAFT)
    elsewhere = GrantFactory(publication_status=DRAFT)
    client.force_login(staff(role, insmi))

    for data in ({}, {"post": "yes"}):
        response = ask(client, Grant, "publish_selected", [mine, elsewhere], **data)
        # The list again: no action is theirs.
        names = [template.name for template in response.templates]
        assert "admin/change_list.html" in names
        assert "admin/publication_confirmation.html" not in names
    ask(client, Grant, "return_selected_to_draft", [GrantFactory()], post="yes")

    assert Grant.objects.public().count() == 1  # the last one, still published


def test_a_scope_limits_the_page_and_the_publication_to_the_records_in_it(
    client, monkeypatch
):
    # No role both publishes and has a scope today (partners.roles): an editor
    # given an adviser's scope stands for one, through the admin's get_queryset,
    # which the actions' records come from.
    insmi = InstituteFactory(code="INSMI")
    mine = GrantFactory(institute=insmi, publication_status=DRAFT)
    elsewhere = GrantFactory(publication_status=DRAFT)
    monkeypatch.setattr("programmes.admin.institute_scope", lambda user: {insmi.pk})
    client.force_login(staff(Role.EDITOR))

    page = ask(client, Grant, "publish_selected", [mine, elsewhere])
    assert listed(page, "to_publish") == [mine]
    # The ids out of scope are posted back, as forged, and ignored.
    client.post(admin_url(Grant, "changelist"), confirmation_form(page))

    assert list(Grant.objects.public()) == [mine]


def test_the_pages_speak_french(admin_client, grants):
    publish = ask(
        admin_client, Grant, "publish_selected", grants.values(), language="fr"
    )
    unpublish = ask(
        admin_client,
        Grant,
        "return_selected_to_draft",
        grants.values(),
        language="fr",
    )

    text = publish.content.decode()
    for french in (
        f"<h1>Publier la sélection{NBSP}?</h1>",
        "<h2>2 fiches seront publiées</h2>",
        "<h2>1 fiche sera publiée avec un texte dans une seule langue</h2>",
        f"Pas de texte en anglais pour{NBSP}: titre du projet.",
        "<h2>1 fiche restera en brouillon</h2>",
        "Choisissez le lauréat ou la lauréate avant de publier",
        "<h2>1 fiche est déjà publiée</h2>",
        'value="Oui, publier"',
        "Non, revenir à la page précédente",
    ):
        assert french in text
    text = unpublish.content.decode()
    for french in (
        f"<h1>Remettre la sélection en brouillon{NBSP}?</h1>",
        "<h2>1 fiche publiée quittera le site public</h2>",
        f"«{NBSP}page introuvable{NBSP}» (404)",
        "<h2>3 fiches sont déjà en brouillon</h2>",
        'value="Oui, remettre en brouillon"',
    ):
        assert french in text


def test_a_long_list_is_summarised_in_french(admin_client):
    drafts = PartnerFactory.create_batch(LISTED_RECORDS + 1, publication_status=DRAFT)

    response = ask(
        admin_client,
        Partner,
        "publish_selected",
        drafts[:1],
        language="fr",
        select_across="1",
    )

    assert "<p>… et 1 autre.</p>" in response.content.decode()


def test_every_language_of_the_site_has_its_note():
    assert set(LANGUAGE_MISSING_NOTES) == {code for code, _ in settings.LANGUAGES}
