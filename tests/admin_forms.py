"""What the admin's change forms post, for tests that submit them as a browser would."""


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
