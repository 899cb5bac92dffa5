"""The admin as a browser uses it: its addresses, its change forms, its searches."""

from django.urls import reverse


def admin_url(model, view: str, *args) -> str:
    """Return the address of ``model``'s admin ``view`` ("changelist", "history"…)."""
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def form_data(response):
    """Return the POST data that submits the admin form in ``response`` unchanged.

    The record's form and its inlines' forms, with their management forms.
    """
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = "on" if value is True else str(value)
    return data


def new_unit_data(client, lead_institute, **fields) -> dict:
    """Return the POST data of the admin's unit add form for a new joint unit
    (Georgia Tech – CNRS, slug "gt-cnrs") led by ``lead_institute``, with
    ``fields`` (a relation, an inline row) on top."""
    data = form_data(client.get(reverse("admin:units_unit_add")))
    data.update(
        {
            "kind": "irl",
            "code": "IRL 2958",
            "acronym": "GT-CNRS",
            "slug": "gt-cnrs",
            "name_fr": "Laboratoire Georgia Tech – CNRS",
            "name_en": "Georgia Tech – CNRS laboratory",
            "city_fr": "Atlanta",
            "country": "US",
            "lead_institute": str(lead_institute.pk),
            **fields,
        }
    )
    return data


def search(client, model, term) -> list:
    """Return the records the changelist of ``model`` lists for the search ``term``."""
    response = client.get(admin_url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def autocomplete(client, model, field_name, term) -> list[int]:
    """Return the ids the autocomplete widget of ``model.field_name`` offers."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return [int(result["id"]) for result in response.json()["results"]]
