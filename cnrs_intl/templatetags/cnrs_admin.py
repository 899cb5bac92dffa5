"""The admin's changelist rows, list filters and list of models, written in Python;
the moments of its records' versions; the translated fields' languages.

The HTML of Django's templates, from cnrs_intl/admin_html.py.
"""

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils.translation import pgettext_lazy

from cnrs_intl.admin_html import app_list, list_filter, result_rows
from partners.history import shown_moment

register = template.Library()


def fast_result_list(cl):
    """Django's ``result_list`` context, its rows written by ``result_rows``."""
    if cl.formset:
        return admin_list.result_list(cl)  # list_editable: Django's own cells
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(
            1 for header in headers if header["sortable"] and header["sorted"]
        ),
        # One item per row, all of its cells: the template writes <tr>{items}</tr>.
        "results": [admin_list.ResultList(None, [row]) for row in result_rows(cl)],
    }


@register.tag(name="fast_result_list")
def fast_result_list_tag(parser, token):
    """``{% fast_result_list cl %}``: as Django's ``{% result_list cl %}``."""
    return InclusionAdminNode(
        parser,
        token,
        func=fast_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )


@register.simple_tag(takes_context=True)
def fast_app_list(context, apps, show_changelinks=False):
    """``{% fast_app_list app_list show_changelinks %}``: admin/app_list.html."""
    path = getattr(context.get("request"), "path", "")
    return app_list(apps, path, bool(show_changelinks))


# The template list_filter writes; filters with another template are Django's.
FILTER_TEMPLATE = "admin/filter.html"


@register.simple_tag
def fast_list_filter(cl, spec):
    """``{% fast_list_filter cl spec %}``: as Django's ``{% admin_list_filter %}``."""
    if spec.template != FILTER_TEMPLATE:
        return admin_list.admin_list_filter(cl, spec)
    return list_filter(spec.title, spec.choices(cl))


@register.filter(name="moment")
def moment_filter(value):
    """Write a version's date to the second, as the history pages do: versions
    saved within a minute read the same to the minute (``shown_moment``)."""
    return shown_moment(value) if value else ""


# A translated field's language as its label names it, inside a sentence: "Nom
# (français)", "Name (French)", where the languages' own names begin with a capital
# in every language ("Français", the tabs' names).
FIELD_LANGUAGES = {
    "fr": pgettext_lazy("language of a translated field", "French"),
    "en": pgettext_lazy("language of a translated field", "English"),
}


@register.simple_tag
def field_language(code):
    """``{% field_language "en" %}``: the language ``code``, as a translated field's
    label names it in the admin's language ("anglais"); the code, for another."""
    return FIELD_LANGUAGES.get(code, code)
