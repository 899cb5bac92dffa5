"""The admin's busiest HTML written in Python: the same HTML as Django's templates.

Django renders a changelist's table cell by cell (``items_for_result``): for each of
the 500-odd cells of a page it looks the column up again, asks the admin for its
empty value, formats the cell through ``format_html`` and, on the first column,
reverses the record's address: 40 % of the time of a big model's changelist,
whatever its data. Here each column is looked up once per page and each row is one
string, each value escaped once. The navigation sidebar of every admin page, a
template include per model, and the list filters beside a changelist (a template
loop over a country filter's 200-odd choices) are written the same way. The
markup, classes, links and labels are Django's (templates/admin/change_list.html,
app_list.html, filter.html); the tests compare the pages with Django's.
"""

import datetime
import html
import operator
from urllib.parse import quote as url_quote

from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from partners.dates import long_date, long_moment

# Stands for a record's id in its change address, reversed once per page.
_PK_MARK = "~pk~"


def result_rows(cl) -> list[str]:
    """Return the rows of ``cl``'s table, each the cells of one ``<tr>``.

    As Django's ``items_for_result`` without a formset (``list_editable``), which
    Django's own rendering handles (``cnrs_admin.fast_result_list``).
    """
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        # Django's link_in_col(): the same columns link on every row.
        if cl.list_display_links is None:
            link = False
        else:
            link = (first and not cl.list_display_links) or (
                name in cl.list_display_links
            )
        columns.append(_Column(cl, index, name, link, "th" if first else "td"))
        first = first and not link
    links = _change_links(cl)
    rows = []
    for record in cl.result_list:
        cells = []
        for column in columns:
            text, classes = column.cell(record)
            if column.link:
                url = links(record)
                if url is not None:
                    text = f'<a href="{url}"{_popup_opener(cl, record)}>{text}</a>'
                tag = column.tag
                cells.append(f'<{tag} class="{classes}">{text}</{tag}>')
            else:
                cells.append(f'<td class="{classes}">{text}</td>')
        rows.append(mark_safe("".join(cells)))
    return rows


class _Column:
    """One column of ``list_display``, looked up once for the page.

    ``cell(record)`` returns the cell's escaped text and its classes, as Django's
    ``items_for_result`` computes them; a column this does not look up once (a
    record's attribute or property, a lookup through relations) goes through
    Django's ``lookup_field`` for each cell.
    """

    def __init__(self, cl, index, name, link, tag):
        self.cl = cl
        self.name = name
        self.link = link
        self.tag = tag
        model_admin = cl.model_admin
        self.default_empty = model_admin.get_empty_value_display()
        if callable(name):
            coerced = f"lambda{index}" if name.__name__ == "<lambda>" else name.__name__
        else:
            coerced = name
        # The classes of a cell whose record is missing (ObjectDoesNotExist).
        self.missing_classes = f"field-{coerced}"
        self.classes = self.missing_classes
        self.field = None
        self.attr = None
        self.getter = None  # record -> value, for the columns found once
        try:
            self.field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if callable(name):
                self.attr = self.getter = name
            elif hasattr(model_admin, name) and name != "__str__":
                self.attr = self.getter = getattr(model_admin, name)
        else:
            self.getter = operator.attrgetter(name)
        field = self.field
        self.choices = None
        self.shown = {}  # value -> its cell's text, for field_value()
        if field is None or field.auto_created:
            self.display = self.plain_value
            if name == "action_checkbox":
                self.classes = "action-checkbox"
        else:
            if isinstance(field.remote_field, models.ManyToOneRel):
                self.display = self.related_object
            elif getattr(field, "flatchoices", None):
                self.display = self.choice
            else:
                self.display = self.field_value
            if isinstance(
                field, (models.DateField, models.TimeField, models.ForeignKey)
            ):
                self.classes += " nowrap"

    def cell(self, record):
        try:
            if self.getter is None:
                _field, attr, value = lookup_field(
                    self.name, record, self.cl.model_admin
                )
            else:
                attr, value = self.attr, self.getter(record)
        except ObjectDoesNotExist:
            return conditional_escape(self.default_empty), self.missing_classes
        if isinstance(value, str) and value.strip() == "":
            value = ""
        return self.display(record, attr, value)

    def plain_value(self, record, attr, value):
        empty = getattr(attr, "empty_value_display", self.default_empty)
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        if isinstance(value, datetime.datetime):
            return _escaped(long_moment(value)), self.classes + " nowrap"
        if isinstance(value, datetime.date):
            return _escaped(long_date(value)), self.classes + " nowrap"
        if boolean and value in (True, False, None):
            return boolean_icon(value), self.classes
        shown = _escaped(display_for_value(value, empty, boolean))
        if isinstance(value, datetime.time):
            return shown, self.classes + " nowrap"
        return shown, self.classes

    def related_object(self, record, attr, value):
        related = getattr(record, self.field.name)
        shown = self.default_empty if related is None else related
        return _escaped(shown), self.classes

    def choice(self, record, attr, value):
        if self.choices is None:
            try:
                self.choices = dict(self.field.flatchoices)
            except TypeError:
                self.choices = False  # list-like choices: Django's way
        try:
            if self.choices is not False:
                shown = self.choices.get(value, self.default_empty)
                return _escaped(shown), self.classes
        except TypeError:
            pass  # an unhashable value: Django's way
        return self.field_value(record, attr, value)

    def field_value(self, record, attr, value):
        # The same value shows the same on a page: dates and numbers, formatted
        # for the language, repeat from row to row (start dates, call years).
        try:
            return self.shown[value], self.classes
        except KeyError:
            pass
        except TypeError:  # unhashable
            return self.format(value), self.classes
        shown = self.shown[value] = self.format(value)
        return shown, self.classes

    def format(self, value):
        # A date as the public pages write it: "1er janvier 2026" in French.
        if isinstance(value, datetime.datetime):
            return _escaped(long_moment(value))
        if isinstance(value, datetime.date):
            return _escaped(long_date(value))
        if isinstance(self.field, models.BooleanField):
            return boolean_icon(value)
        return _escaped(
            display_for_field(value, self.field, self.default_empty, self.link)
        )


def boolean_icon(value: bool | None) -> str:
    """Return Django's icon of a yes or no, its text in the admin's language: Django
    writes "True" and "False", which screen readers read out on French lists."""
    icon = {True: "yes", False: "no", None: "unknown"}[value]
    text = {True: gettext("Yes"), False: gettext("No"), None: gettext("Unknown")}
    return (
        f'<img src="{html.escape(static(f"admin/img/icon-{icon}.svg"))}" '
        f'alt="{html.escape(text[value])}">'
    )


def _escaped(value) -> str:
    """Return ``conditional_escape(value)``, without its wrappers for a plain str."""
    if type(value) is str:
        return html.escape(value)  # what django.utils.html.escape() does
    return conditional_escape(value)


def _change_links(cl):
    """Return a function giving a record's change address, escaped, or None."""
    pk_attname = cl.lookup_opts.pk.attname
    try:
        marked = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_PK_MARK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        marked = None
    else:
        marked = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, marked
        )

    def url_of(record):
        try:
            url = cl.url_for_result(record)
        except NoReverseMatch:
            return None
        return escape(
            add_preserved_filters(
                {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
            )
        )

    if marked is None or marked.count(_PK_MARK) != 1:
        return url_of
    before, after = (escape(part) for part in marked.split(_PK_MARK))

    def link(record):
        pk = getattr(record, pk_attname)
        if type(pk) is int:
            return f"{before}{pk}{after}"
        return url_of(record)  # other keys quoted as Django does

    return link


def _popup_opener(cl, record) -> str:
    if not cl.is_popup:
        return ""
    value = record.serializable_value(
        str(cl.to_field) if cl.to_field else cl.pk_attname
    )
    return f' data-popup-opener="{conditional_escape(value)}"'


def app_list(apps, path: str, show_changelinks: bool) -> str:
    """Return Django's admin/app_list.html, in Python: the navigation sidebar's.

    ``apps`` is AdminSite.get_app_list()'s; the current application and model are
    marked from ``path`` (``request.path``).
    """
    if not apps:
        nothing = gettext("You don’t have permission to view or edit anything.")
        return mark_safe(f"<p>{escape(nothing)}</p>")
    path = url_quote(path)  # the template's urlencode filter
    model_name = escape(gettext("Model name"))
    add_link = escape(gettext("Add link"))
    change_link = escape(gettext("Change or view list link"))
    headers = (
        '<thead class="visually-hidden"><tr>'
        f'<th scope="col">{model_name}</th>'
        f'<th scope="col">{add_link}</th>'
        f'<th scope="col">{change_link}</th>'
        "</tr></thead>"
    )
    add = escape(gettext("Add"))
    view = escape(gettext("View"))
    change = escape(gettext("Change"))
    parts = []
    for app in apps:
        label = escape(app["app_label"])
        name = escape(app["name"])
        title = gettext("Models in the %(name)s application") % {"name": name}
        current_app = " current-app" if _within(app["app_url"], path) else ""
        parts.append(
            f'<div class="app-{label} module{current_app}"><table><caption>'
            f'<a href="{escape(app["app_url"])}" class="section" title="{title}">'
            f"{name}</a></caption>{headers}"
        )
        for model in app["models"]:
            lower = escape(str(model["object_name"]).lower())
            row_id = f"{label}-{lower}"
            admin_url = model["admin_url"]
            current = _within(admin_url, path)
            parts.append(
                f'<tr class="model-{lower}{" current-model" if current else ""}">'
                f'<th scope="row" id="{row_id}">'
            )
            if admin_url:
                aria = ' aria-current="page"' if current else ""
                parts.append(
                    f'<a href="{escape(admin_url)}"{aria}>{escape(model["name"])}</a>'
                )
            else:
                parts.append(escape(model["name"]))
            parts.append("</th>")
            if model.get("add_url"):
                parts.append(
                    f'<td><a href="{escape(model["add_url"])}" class="addlink" '
                    f'aria-describedby="{row_id}">{add}</a></td>'
                )
            else:
                parts.append("<td></td>")
            if admin_url and show_changelinks:
                kind, text = (
                    ("viewlink", view)
                    if model["view_only"]
                    else (
                        "changelink",
                        change,
                    )
                )
                parts.append(
                    f'<td><a href="{escape(admin_url)}" class="{kind}" '
                    f'aria-describedby="{row_id}">{text}</a></td>'
                )
            elif show_changelinks:
                parts.append("<td></td>")
            parts.append("</tr>")
        parts.append("</table></div>")
    return mark_safe("".join(parts))


def _within(url, path: str) -> bool:
    """The template's ``url in path``: False for a missing URL."""
    try:
        return url in path
    except TypeError:
        return False


def list_filter(title, choices) -> str:
    """Return Django's admin/filter.html, in Python: one list filter and its choices.

    ``choices`` are the filter's ``choices(changelist)``: dicts of ``selected``,
    ``query_string`` and ``display``.
    """
    title = conditional_escape(title)
    heading = gettext(" By %(filter_title)s ") % {"filter_title": title}
    items = []
    for choice in choices:
        selected = ' class="selected"' if choice["selected"] else ""
        href = escape(iri_to_uri(choice["query_string"]))
        items.append(
            f'<li{selected}><a href="{href}">'
            f"{conditional_escape(choice['display'])}</a></li>"
        )
    return mark_safe(
        f'<details data-filter-title="{title}" open><summary>{heading}</summary>'
        f"<ul>{''.join(items)}</ul></details>"
    )
