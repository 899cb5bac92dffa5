import functools
import math
from dataclasses import dataclass

from axes.helpers import get_client_username, get_cool_off, get_lockout_message
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import actions
from django.contrib.admin.utils import quote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import (
    get_language,
    gettext,
    gettext_lazy as _,
    gettext_noop,
)

from cnrs_intl import dashboard
from cnrs_intl.forms import AdminLoginForm
from partners.caching import cached_by_content
from partners.history import records_unlinked_by_deleting
from partners.models import Partner

# The change form's titles, in Django's words: its French ("Ajout de %s") elides
# nothing before a vowel ("Ajout de établissement partenaire"). Named here, they are
# in locale/fr, whose translations come before Django's (LOCALE_PATHS).
DJANGO_TITLES_REWORDED = (
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    # "Impossible de supprimer personne" read "cannot delete anybody".
    gettext_noop("Cannot delete %(name)s"),
    # An inline's button: « Ajouter un objet Établissement supplémentaire ».
    gettext_noop("Add another %(verbose_name)s"),
)
# Django's French writes a straight apostrophe where the rest of the admin has "’".
DJANGO_TYPOGRAPHY = (
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Breadcrumbs"),
)
# The kinds of a history's versions, simple-history's words: Django REST framework's
# French, installed before it, reads "Created" as "Création" (an HTTP status), and
# simple-history's own "Effacé" is no word of the admin's ("Supprimer").
SIMPLE_HISTORY_REWORDED = (
    gettext_noop("Created"),
    gettext_noop("Deleted"),
)
# django-axes' French lacks its newest model's name (the permission pickers show it).
AXES_UNTRANSLATED = (
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
)
# django-import-export's French lacks "Select all" and the space before its colons.
IMPORT_EXPORT_REWORDED = (
    gettext_noop("Select all"),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("This importer will import the following fields: "),
    # And quotes a button's name between straight quotes.
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the "
        "results, click 'Confirm import'"
    ),
)


class CnrsAdminSite(admin.AdminSite):
    """The back-office, whose home page is the staff dashboard."""

    site_header = _("cnrs-intl — DERCI back-office")
    site_title = _("cnrs-intl back-office")
    index_title = _("International cooperation content")
    index_template = "admin/dashboard.html"
    login_form = AdminLoginForm

    def __init__(self, name="admin"):
        super().__init__(name)
        self.add_action(delete_selected)

    def admin_view(self, view, cacheable=False):
        # A page the user's role may not open answers 403 in the back-office's
        # look, with its header and menu, not as the public site's error page.
        @functools.wraps(view)
        def refused_in_admin_look(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied:
                return self.permission_denied(request)

        return super().admin_view(refused_in_admin_look, cacheable)

    def permission_denied(self, request):
        """The 403 page of a back-office address the user may not open."""
        context = {**self.each_context(request), "title": gettext("Access refused")}
        return TemplateResponse(request, "admin/403.html", context, status=403)

    def index(self, request, extra_context=None):
        # What the user's changelists show them: their role's scope applies.
        records = dashboard.shown_records(self, request)
        grants_ending, agreements_ending = dashboard.ending_soon(records=records)
        # The aggregates read whole tables: computed once per content version, so
        # exact after every change; the duplicates, the slowest, every ten minutes.
        # Each is kept for the records it was made from: users seeing the same ones
        # (every role without a scope) share it.
        scope = dashboard.scope_key(records)
        context = {
            "model_counts": cached_by_content(
                f"dashboard:model-counts:{scope}",
                lambda: dashboard.model_counts(records),
            ),
            "grants_ending": grants_ending,
            "agreements_ending": agreements_ending,
            "ending_soon_days": dashboard.ENDING_SOON_DAYS,
            "missing_translations": cached_by_content(
                f"dashboard:missing-translations:{get_language()}:{scope}",
                lambda: dashboard.missing_translations(records),
            ),
            "recent_changes": dashboard.recent_changes(
                dashboard.shown_history(self, request, records)
            ),
            "duplicates": dashboard.recent_duplicate_partners(
                records.get(Partner, Partner.objects.none())
            ),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def unlinked_records(self, request, records) -> list["UnlinkedRecords"]:
        """Name the records that deleting ``records`` leaves without their link to
        them, for the delete confirmation pages.

        As Django names the records deleted: with a link to those this site edits.
        At most ``UNLINKED_SHOWN`` per foreign key, and how many more.
        """
        groups = []
        for link, linked in records_unlinked_by_deleting(records):
            # The related records their names may show (a testimony's person).
            related = [
                field.name
                for field in link.model._meta.concrete_fields
                if field.is_relation
            ]
            linked = linked.select_related(*related).order_by("pk")
            shown = list(linked[: UNLINKED_SHOWN + 1])
            if not shown:
                continue
            more = 0
            if len(shown) > UNLINKED_SHOWN:
                shown = shown[:UNLINKED_SHOWN]
                more = linked.count() - UNLINKED_SHOWN
            groups.append(
                UnlinkedRecords(
                    [self._unlinked_name(record, link) for record in shown], more
                )
            )
        return groups

    def _unlinked_name(self, record, link) -> str:
        opts = record._meta
        kind = capfirst(opts.verbose_name)
        try:
            url = reverse(
                f"{self.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(record.pk)],
            )
        except NoReverseMatch:  # no admin of its own (a staff profile)
            name = record
        else:
            name = format_html('<a href="{}">{}</a>', url, record)
        # French puts a no-break space before the colon.
        return format_html(
            gettext("{kind}: {record} ({link})"),
            kind=kind,
            record=name,
            link=link.verbose_name,
        )

    def autocomplete_view(self, request):
        return SuggestingAutocompleteJsonView.as_view(admin_site=self)(request)

    def _build_app_dict(self, request, label=None):
        """Django's, each model's addresses reversed once per process.

        Its two reverse() calls per model, 40 for the sidebar of every admin page,
        cost more than the rest of it. The permissions are asked at each request.
        """
        app_dict = {}
        for model, model_admin in self._registry.items():
            app_label = model._meta.app_label
            if label and app_label != label:
                continue
            has_module_perms = model_admin.has_module_permission(request)
            if not has_module_perms:
                continue
            perms = model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            prefix = f"admin:{app_label}_{model._meta.model_name}"
            model_dict = {
                "model": model,
                "name": capfirst(model._meta.verbose_name_plural),
                "object_name": model._meta.object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                model_dict["admin_url"] = self._address(f"{prefix}_changelist")
            if perms.get("add"):
                model_dict["add_url"] = self._address(f"{prefix}_add")
            if app_label in app_dict:
                app_dict[app_label]["models"].append(model_dict)
            else:
                app_dict[app_label] = {
                    "name": apps.get_app_config(app_label).verbose_name,
                    "app_label": app_label,
                    "app_url": self._address("admin:app_list", app_label),
                    "has_module_perms": has_module_perms,
                    "models": [model_dict],
                }
        return app_dict

    def _address(self, name, app_label=None):
        """Return reverse(name) in this site, or None: once per URLconf and prefix."""
        return _reverse(
            name,
            app_label,
            self.name,
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
            get_language(),
        )


def login_username(request, credentials=None) -> str | None:
    """Return the username django-axes counts failures by (AXES_USERNAME_CALLABLE):
    the one typed, whatever its case, so that "DERCI" counts for "derci"."""
    field = settings.AXES_USERNAME_FORM_FIELD
    # As axes reads it without this callable: from the credentials, else the form.
    username = credentials.get(field) if credentials else request.POST.get(field)
    return username.casefold() if isinstance(username, str) else username


def login_refused(request, response=None, credentials=None):
    """Answer a login django-axes refused (AXES_LOCKOUT_CALLABLE): with the login page
    the admin gave, whose form says why (AdminLoginForm), as a 429.

    Refused whatever the password: said to clients and monitoring too, with when
    to try again.
    """
    if not isinstance(response, TemplateResponse):
        # Not the admin's login page (axes' ASGI path passes no response).
        response = HttpResponse(
            get_lockout_message(), content_type="text/plain; charset=utf-8"
        )
    response.status_code = 429
    response["Retry-After"] = str(seconds_locked(request, credentials))
    return response


def seconds_locked(request, credentials=None) -> int:
    """Return how long the username of a refused login stays locked: the
    cool-off from its last wrong password (AXES_COOLOFF_TIME; refusals do not
    extend it), in whole seconds, one at least."""
    cool_off = get_cool_off(request)
    latest = (
        AccessAttempt.objects.filter(username=get_client_username(request, credentials))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if latest is None:
        return math.ceil(cool_off.total_seconds())
    left = latest + cool_off - timezone.now()
    return max(1, math.ceil(left.total_seconds()))


# How many records a delete confirmation page names per foreign key the deletion
# empties: a partner may be the parent institution of thousands.
UNLINKED_SHOWN = 100


@dataclass
class UnlinkedRecords:
    """Records a deletion leaves without their link (one foreign key), as named."""

    names: list[str]
    more: int  # how many besides


@admin.action(
    permissions=["delete"], description=actions.delete_selected.short_description
)
def delete_selected(modeladmin, request, queryset):
    """Django's action; its confirmation page also names the records unlinked."""
    response = actions.delete_selected(modeladmin, request, queryset)
    if response is not None:  # the confirmation page, rendered later
        context = response.context_data
        if not (context["perms_lacking"] or context["protected"]):
            context["unlinked_records"] = modeladmin.admin_site.unlinked_records(
                request, queryset
            )
    return response


@functools.lru_cache(maxsize=1024)
def _reverse(name, app_label, current_app, script_prefix, urlconf, language):
    kwargs = {"app_label": app_label} if app_label else None
    try:
        return reverse(name, urlconf=urlconf, kwargs=kwargs, current_app=current_app)
    except NoReverseMatch:
        if app_label:
            raise  # as Django's
        return None


class SuggestingAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete widgets' view, suggesting as the public autocomplete.

    Where the model admin has suggestions (``TextSearchAdmin.suggestions``:
    partners), a page is cut from them, names starting with the text first. Django's
    view sorted every match and counted them for its pages: a third of a million
    partners hold "univ", half a second at each keystroke.
    """

    # Suggestions are for the first pages; further ones are Django's.
    suggested_pages = 10

    def serialize_result(self, obj, to_field_name):
        # Where records share names (partners), their admin labels them with what
        # tells them apart (``autocomplete_label``); the list's label is __str__.
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        return {**result, "text": label(obj)} if label else result

    def get(self, request, *args, **kwargs):
        term, model_admin, source_field, to_field_name = self.process_request(request)
        page = request.GET.get("page", "1")
        suggest = getattr(model_admin, "suggestions", None)
        if not (suggest and page.isdecimal() and 0 < int(page) <= self.suggested_pages):
            return super().get(request, *args, **kwargs)
        self.term, self.model_admin, self.source_field = term, model_admin, source_field
        if not self.has_perm(request):
            raise PermissionDenied
        records = model_admin.get_queryset(request).complex_filter(
            source_field.get_limit_choices_to()
        )
        end = int(page) * self.paginate_by
        # One more than the page: whether there is a next one.
        suggested = suggest(request, records, term, end + 1)
        if suggested is None:
            return super().get(request, *args, **kwargs)
        return JsonResponse(
            {
                "results": [
                    self.serialize_result(record, to_field_name)
                    for record in suggested[end - self.paginate_by : end]
                ],
                "pagination": {"more": len(suggested) > end},
            }
        )
