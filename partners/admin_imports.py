"""The admin's pages that import a registry's files (ROR, CORDIS): a form, the
import all or nothing, what it did said in messages."""

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext


class RegistryImportForm(forms.Form):
    """The files to import; the "publish" box only for those who may publish."""

    def __init__(self, *args, may_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            del self.fields["publish"]


def import_page(
    model_admin,
    request,
    form_class,
    run,
    *,
    refusals: tuple[type[Exception], ...],
    title,
    template: str,
    done_url: str,
    error_field: str | None = None,
):
    """Show ``form_class``'s page, and import what it was sent.

    ``run(cleaned_data)`` imports, then returns the messages to give, as (text,
    level) pairs; ``refusals`` are the exceptions it raises when it imports
    nothing, shown on the form (on ``error_field``, or above it) with a 400.
    Imported, the user goes to ``done_url``.
    """
    may_publish = model_admin.has_publish_permission(request)
    form = form_class(
        request.POST or None, request.FILES or None, may_publish=may_publish
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                said = run(form.cleaned_data)
            except refusals as error:
                form.add_error(
                    error_field,
                    gettext("Nothing was imported. %(error)s") % {"error": error},
                )
            else:
                for text, level in said:
                    model_admin.message_user(request, text, level)
                return redirect(done_url)
        status = 400
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.opts,
        "form": form,
        "may_publish": may_publish,
    }
    return TemplateResponse(request, template, context, status=status)
