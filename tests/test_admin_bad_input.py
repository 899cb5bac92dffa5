"""Bad input in the back-office's addresses and forms: a 404 or 400, never a 500."""

import pytest
from django.urls import reverse

from cnrs_intl.models import KeyFigure
from partners.models import Partner
from programmes.models import Grant, Project
from tests.admin_forms import form_data
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

HISTORY_MODELS = {
    Partner: PartnerFactory,
    Unit: UnitFactory,
    Grant: GrantFactory,
    Institute: InstituteFactory,
    Person: PersonFactory,
    KeyFigure: KeyFigureFactory,
}
BAD_IDS = ["abc", "1.5", "-", "9" * 30]


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


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


def test_a_bad_autocomplete_value_is_a_form_error(admin_client):
    partner = PartnerFactory()
    url = admin_url(Partner, "change", partner.pk)
    data = form_data(admin_client.get(url))

    for bad in ("abc", "1.5", "9" * 30):
        response = admin_client.post(url, {**data, "parent": bad})

        assert response.status_code == 200
        assert "parent" in response.context["adminform"].form.errors


def test_a_bad_autocomplete_value_of_a_many_to_many_field_is_a_form_error(
    admin_client,
):
    unit = UnitFactory()
    url = admin_url(Unit, "change", unit.pk)
    page = admin_client.get(url)
    data = form_data(page)
    for formset in page.context["inline_admin_formsets"]:
        for field in formset.formset.management_form:
            data[field.html_name] = str(field.value())

    response = admin_client.post(
        url, {**data, "secondary_institutes": ["abc", "1"], "director": "x"}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"secondary_institutes", "director"} <= set(errors)


def test_a_bad_autocomplete_value_in_an_inline_is_a_form_error(admin_client):
    unit = UnitFactory()
    url = admin_url(Unit, "change", unit.pk)
    page = admin_client.get(url)
    data = form_data(page)
    for formset in page.context["inline_admin_formsets"]:
        for field in formset.formset.management_form:
            data[field.html_name] = str(field.value())
    data.update(
        {
            "partnerships-TOTAL_FORMS": "1",
            "partnerships-0-partner": "abc",
            "partnerships-0-role": "host",
            "partnerships-0-order": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "partnerships"
    ]
    assert "partner" in formset.forms[0].errors


def test_a_bad_autocomplete_value_in_the_staff_profile_is_a_form_error(
    admin_client, admin_user
):
    url = reverse("admin:auth_user_change", args=[admin_user.pk])
    page = admin_client.get(url)
    data = form_data(page)
    [inline] = page.context["inline_admin_formsets"]
    prefix = inline.formset.prefix
    for field in inline.formset.management_form:
        data[field.html_name] = str(field.value())
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
