"""Bad input anywhere: a 400 and a message, or a 404; never a 500, on both databases.

The public site, and addresses every app's admin shares (history, export); bad values
in one app's admin forms are tested with that app's admin.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import translation

from cnrs_intl.models import KeyFigure
from partners.admin_forms import CheckedSelectionAdmin
from partners.models import Partner
from programmes.models import Grant, Project
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    GrantFactory,
    InstituteFactory,
    KeyFigureFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    UnitFactory,
)
from units.models import Institute, Person, Unit

pytestmark = pytest.mark.django_db


def url(name, language="en"):
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize("name", ["partners:list", "units:list"])
def test_a_list_refuses_a_search_text_too_long_to_search(client, name):
    PartnerFactory(name_fr="Université de Tokyo")
    UnitFactory(acronym="JFLI")
    # A thousand words made a condition each: SQLite gave up ("Expression tree is
    # too large"), PostgreSQL took a second.
    long_text = " ".join(f"w{number}" for number in range(1000))
    response = client.get(url(name), {"q": long_text})
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.content.decode()
    assert client.get(url(name), {"q": "tokyo " * 33}).status_code == 200


@pytest.mark.parametrize("code", ["ß", "ıt", "ﬆ"])
@pytest.mark.parametrize(
    "name", ["partners:list", "units:list", "programmes:project-list"]
)
def test_a_list_refuses_a_country_code_in_other_letters(client, name, code):
    # Upper-cased, they were real codes: "SS" (South Sudan), "IT", "ST".
    PartnerFactory(country="SS")
    response = client.get(url(name), {"country": code})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"“{code}” is not a country code" in html
    assert "selected>South Sudan" not in html
    if name == "units:list":
        # No unit in South Sudan: the units' country choices do not offer it.
        assert "South Sudan" not in html


def error_messages(html: str) -> str:
    """Return the error messages of a page: its fields', its page error, its 404's."""
    return " ".join(
        re.findall(
            r'<ul class="errorlist".*?</ul>|class="form-errors".*?</(?:div|p)>',
            html,
            re.DOTALL,
        )
    )


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("units:list", "country"),
        ("units:list", "kind"),
        ("partners:list", "kind"),
        ("programmes:grant-list", "year"),
        ("programmes:project-list", "programme"),
        ("partners:list", "page"),
    ],
)
def test_a_long_invalid_value_is_repeated_shortened(client, name, parameter):
    # The 5,000 characters of the value were all shown back.
    response = client.get(url(name), {parameter: "w" * 5000})

    assert response.status_code == 400
    messages = error_messages(response.content.decode()).lower()
    assert "w" * 40 + "…" in messages
    assert "w" * 41 not in messages


def test_a_long_country_code_is_repeated_shortened(client):
    response = client.get(f"/en/countries/{'w' * 500}/")

    assert response.status_code == 404
    messages = error_messages(response.content.decode())
    assert f"“{'w' * 40}…” is not a country code" in messages


@pytest.mark.parametrize(
    "address",
    [
        "/en/partners/names.json?q=mi%00t",
        "/en/partners/?q=a%00b",
        "/en/search/?q=%00",
        "/en/units/?country=%00",
    ],
)
def test_a_nul_character_in_the_address_is_refused(client, address):
    # PostgreSQL refuses NUL in text: the autocomplete failed with a 500.
    PartnerFactory(name_fr="Université de Tokyo")
    response = client.get(address)
    assert response.status_code == 400
    message = "The address holds a NUL character (%00), which is not text."
    if address.split("?")[0].endswith(".json"):
        assert response.json() == {"error": message}
    else:
        # Read as UTF-8 by browsers: "L’adresse" was shown as "Lâ€™adresse".
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert message in response.content.decode()


def test_a_nul_character_in_an_admin_search_is_refused(admin_client):
    PartnerFactory(name_fr="Université de Tokyo")
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "partners",
            "model_name": "partner",
            "field_name": "parent",
            "term": "ab\x00",
        },
    )
    assert response.status_code == 400
    changelist = admin_client.get("/admin/partners/partner/", {"q": "to\x00kyo"})
    assert changelist.status_code == 400


def test_the_refusal_is_in_the_visitors_language(client):
    response = client.get("/fr/partners/names.json?q=mi%00t")
    assert response.status_code == 400
    assert response.json()["error"] == (
        "L’adresse contient un caractère NUL (%00), qui n’est pas du texte."
    )


HISTORY_MODELS = {
    Partner: PartnerFactory,
    Unit: UnitFactory,
    Grant: GrantFactory,
    Institute: InstituteFactory,
    Person: PersonFactory,
    KeyFigure: KeyFigureFactory,
}
BAD_IDS = ["abc", "1.5", "-", "9" * 30]


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m._meta.model_name)
@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_history_address_with_a_bad_record_id_is_not_found(admin_client, model, bad):
    assert admin_client.get(admin_url(model, "history", bad)).status_code == 404
    response = admin_client.get(admin_url(model, "simple_history", bad, "1"))
    assert response.status_code == 404


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m._meta.model_name)
@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_history_address_with_a_bad_version_id_is_not_found(admin_client, model, bad):
    record = HISTORY_MODELS[model]()
    url = admin_url(model, "simple_history", record.pk, bad)
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {}).status_code == 404


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m._meta.model_name)
def test_a_history_address_of_a_missing_record_is_not_found(admin_client, model):
    record = HISTORY_MODELS[model]()
    version = record.history.first()
    assert admin_client.get(admin_url(model, "history", 999999)).status_code == 404
    url = admin_url(model, "simple_history", record.pk, version.history_id + 1000)
    assert admin_client.get(url).status_code == 404
    url = admin_url(model, "simple_history", 999999, version.history_id)
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("model", "query"),
    [
        (Partner, "?foo=bar"),
        (Partner, "?parent__id__exact=abc"),
        (Partner, "?established=abc"),
        (Project, "?start_date__year=abc"),
        (Grant, "?call_year=abc"),
    ],
)
def test_an_export_with_a_bad_filter_is_refused_with_a_message(
    admin_client, model, query
):
    # A list filter without choices is not shown, nor applied: one record each.
    PartnerFactory(), ProjectFactory(), GrantFactory()
    url = admin_url(model, "export") + query

    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    for response in (
        admin_client.get(url, **english),
        admin_client.post(url, {"format": "0"}, **english),
    ):
        assert response.status_code == 400
        page = response.content.decode()
        assert "The list’s filters are not valid" in page
        assert admin_url(model, "changelist") in page


def test_an_export_with_good_filters_still_opens(admin_client):
    ProjectFactory()
    url = admin_url(Project, "export") + "?start_date__year=2020"
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["units:list", "programmes:grant-list"])
def test_a_sort_of_empty_values_keeps_the_default_order(client, name):
    # "?ordering=,,," sorted the units by "": a FieldError and a 500.
    UnitFactory(acronym="JFLI")
    GrantFactory()
    response = client.get(url(name), {"ordering": ",,,"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 1


ACTION_MODELS = {
    Partner: PartnerFactory,
    Unit: UnitFactory,
    User: lambda: User.objects.create_user("someone"),
}


@pytest.mark.parametrize("model", ACTION_MODELS, ids=lambda m: m._meta.model_name)
@pytest.mark.parametrize("bad", ["abc", "9" * 30, "", "1.5"])
def test_an_action_on_ids_that_are_no_records_is_refused(admin_client, model, bad):
    # Django filtered the list by the posted ids: "abc" failed with a ValueError.
    record = ACTION_MODELS[model]()
    for data in (
        {"action": "delete_selected", "_selected_action": [record.pk, bad]},
        {"action": "delete_selected", "_selected_action": [bad], "post": "yes"},
    ):
        response = admin_client.post(
            admin_url(model, "changelist"), data, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400
        assert response.content.decode() == (
            "The selected ids are not record numbers: nothing was changed."
        )
    assert model.objects.filter(pk=record.pk).exists()


def test_every_admin_checks_the_ids_of_its_actions():
    for model_admin in admin.site._registry.values():
        assert isinstance(model_admin, CheckedSelectionAdmin), model_admin


MANY_TO_MANY = {
    (Unit, "secondary_institutes"): UnitFactory,
    (Project, "units"): ProjectFactory,
    (User, "groups"): lambda: User.objects.create_user("someone"),
    (Group, "permissions"): lambda: Group.objects.create(name="Some role"),
}


@pytest.mark.parametrize(
    ("model", "field"),
    MANY_TO_MANY,
    ids=lambda value: getattr(value, "__name__", value),
)
def test_a_many_to_many_id_too_big_for_its_column_is_a_form_error(
    admin_client, model, field
):
    # Django looks the ids up with __in, which SQLite failed with an OverflowError.
    record = MANY_TO_MANY[model, field]()
    url = admin_url(model, "change", record.pk)
    data = {**form_data(admin_client.get(url)), field: ["9" * 30]}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
