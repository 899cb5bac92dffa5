"""Back-office for partners, offices and agreements.

``partners`` is the first layer (partners <- units <- programmes <- cnrs_intl), so
the admin pieces every app shares live beside this module and the other apps
import them from there: ``admin_records`` (history and revert, scope,
publication), ``admin_forms``, ``admin_lists`` and ``admin_spreadsheets``.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import (
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.db.models import Count, Q
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy as _
from django_countries.filters import CountryFilter

from partners.admin_forms import IdentifierField, is_value_of
from partners.admin_imports import (
    ImportFilter,
    RegistryImportForm,
    import_page,
    linked_counts,
)
from partners.admin_lists import CountriesInUseFilter, country_column
from partners.admin_records import (
    PUBLICATION_FIELDSET,
    PublishableAdmin,
    country_codes,
    saved_values,
)
from partners.admin_spreadsheets import SpreadsheetAdmin
from partners.country_names import country_list
from partners.history import keeps_link_to
from partners.models import (
    ROR_ID_PATTERN,
    ROR_LINKS,
    Agreement,
    Office,
    Partner,
    bare_ror_id,
)
from partners.resources import PartnerResource
from partners.roles import country_scope
from partners.ror import open_dump, unknown_country_codes
from partners.services import (
    RorImportError,
    import_ror,
    merge_collisions,
    merge_partners,
    merged_into,
)


class RorIdField(IdentifierField):
    """A ROR id, typed alone (02feahw73) or pasted as its link."""

    links = ROR_LINKS
    pattern = ROR_ID_PATTERN
    link_help_text = _(
        "The nine characters after https://ror.org/, e.g. 02feahw73, or the whole link."
    )
    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a ROR id: write its nine characters (02feahw73) "
            "or paste its link (https://ror.org/02feahw73)."
        ),
    }


class RorImportForm(RegistryImportForm):
    file = forms.FileField(
        label=_("ROR file"),
        help_text=_(
            "The ROR v2 data dump: the .zip ROR publishes, or its .json file; or one "
            "record's .json, as ror.org's API gives it."
        ),
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_(
            "Import only the institutions of these countries: ISO codes separated "
            "by commas, e.g. JP, KR. Leave empty to import every country."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish the new partners"),
        required=False,
        help_text=_("Otherwise they are created as drafts, for review."),
    )

    def clean_countries(self) -> set[str]:
        codes = {
            code.strip().upper()
            for code in self.cleaned_data["countries"].split(",")
            if code.strip()
        }
        unknown = unknown_country_codes(codes)
        if unknown:
            raise ValidationError(
                _("Unknown country code: %(codes)s."),
                code="unknown_country",
                params={"codes": ", ".join(unknown)},
            )
        return codes


# The links counted on the merge page: (relation, column title).
MERGE_LINK_COUNTS = (
    ("unit_partnerships", _("Units")),
    ("project_participations", _("Projects")),
    ("agreements", _("Agreements")),
    ("children", _("Child institutions")),
)


class MergeRequestError(Exception):
    """A merge page asked with ids that name no set of partners to merge."""


@admin.register(Partner)
class PartnerAdmin(SpreadsheetAdmin, PublishableAdmin):
    add_label = _("Add a partner institution")
    resource_classes = (PartnerResource,)
    # The import and export buttons join those of this template.
    change_list_template = "admin/partners/partner/change_list.html"
    list_display = (
        "name",
        "acronym",
        "kind",
        country_column,
        "city",
        "parent",
        "status",
        "publication_status",
        "updated",
    )
    list_filter = (
        ("country", CountriesInUseFilter),
        "kind",
        "status",
        "publication_status",
        ImportFilter,  # shown only when a ROR import's message links to it
    )
    # Columns the list is not sorted by: at a million partners each sort read and
    # sorted them all (kind 0.1 s, status 0.35 s, publication 0.3 s, the parent's
    # name, a join, 0.5 s) to group a list that the filters beside narrow instead.
    unsorted_columns = frozenset({"kind", "status", "publication_status", "parent"})
    list_select_related = ("parent",)
    search_fields = (
        "name_fr",
        "name_en",
        "original_name",
        "acronym",
        "city_fr",
        "city_en",
        "=ror_id",
        "=pic",
    )
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name_fr",)}
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # Staff find a partner among a million by search and filters, not by paging:
    # half of Django's 100 rows halves the time of a page (~110 ms to render 100).
    list_per_page = 50

    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    ("original_name", "original_name_language"),
                    "acronym",
                    "slug",
                    "kind",
                    "status",
                    "parent",
                    "established",
                )
            },
        ),
        (_("Location"), {"fields": ("country", "city", ("latitude", "longitude"))}),
        (
            _("Identifiers and links"),
            {"fields": ("website", "ror_id", "pic", "former_addresses")},
        ),
        PUBLICATION_FIELDSET,
    )
    readonly_fields = (*PublishableAdmin.readonly_fields, "former_addresses")

    actions = (*PublishableAdmin.actions, "merge_selected")
    # Partners share names ("Université de Madrid" five times): the pickers
    # (autocomplete_label, read by the site's autocomplete view) and the deleted
    # records page tell them apart by where they are.
    deleted_record_columns = ("city", country_column, "ror_id")
    identifier_form_fields = {"ror_id": RorIdField}

    def autocomplete_label(self, partner) -> str:
        """Return ``partner`` with what tells namesakes apart, for the pickers.

        "Université de Madrid (UM) — Madrid, Espagne · ROR 02p0gd045".
        """
        place = ", ".join(filter(None, (partner.city, country_column(partner))))
        label = f"{partner} — {place}"
        return f"{label} · ROR {partner.ror_id}" if partner.ror_id else label

    def get_search_results(self, request, queryset, search_term):
        # A ROR id is pasted as its link as often as alone: its words ("https",
        # "ror") are no name to look for.
        if self.ror_link(search_term):
            return queryset.filter(
                self.identifier_condition(request, search_term)
            ), False
        return super().get_search_results(request, queryset, search_term)

    def identifier_condition(self, request, text) -> Q:
        condition = super().identifier_condition(request, text)
        ror_id = self.ror_link(text)
        return condition | Q(ror_id=ror_id) if ror_id else condition

    @staticmethod
    def ror_link(text: str) -> str:
        """Return the ROR id ``text`` links to ("https://ror.org/02feahw73"), or ""."""
        ror_id = bare_ror_id(text)
        linked = ror_id != text.strip() and re.match(ROR_ID_PATTERN, ror_id)
        return ror_id if linked else ""

    def get_urls(self):
        return [
            path(
                "import-ror/",
                self.admin_site.admin_view(self.ror_import_view),
                name="partners_partner_import_ror",
            ),
            path(
                "merge/",
                self.admin_site.admin_view(self.merge_view),
                name="partners_partner_merge",
            ),
            *super().get_urls(),
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A partner deleted by a merge: its links moved to the kept partner, and
        # restoring it does not take them back (they may have changed since).
        pk = unquote(object_id)
        kept_pk = None
        if (
            is_value_of(Partner._meta.pk, pk)
            and not Partner.objects.filter(pk=pk).exists()
        ):
            kept_pk = merged_into(pk)
        extra_context = {
            "merged_into_pk": kept_pk,
            # Named and linked only if the user may see it (a scoped role may not).
            "merged_into": (
                self.get_queryset(request).filter(pk=kept_pk).first()
                if kept_pk
                else None
            ),
            **(extra_context or {}),
        }
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_merge_permission(self, request) -> bool:
        """Merging deletes partners and may change published ones: editors only."""
        return self.has_publish_permission(request) and self.has_delete_permission(
            request
        )

    @admin.action(
        description=_("Merge the selected partner institutions"),
        permissions=("merge",),
    )
    def merge_selected(self, request, queryset):
        pks = sorted(queryset.values_list("pk", flat=True))
        if len(pks) < 2:
            self.message_user(
                request,
                gettext("Select at least two partners to merge."),
                messages.WARNING,
            )
            return None
        query = QueryDict(mutable=True)
        query["ids"] = ",".join(str(pk) for pk in pks)
        url = reverse("admin:partners_partner_merge", current_app=self.admin_site.name)
        return redirect(f"{url}?{query.urlencode(safe=',')}")

    def merge_view(self, request):
        """Merge partners (partners.services.merge_partners), keeping the one chosen.

        ``?ids=1,2`` names the partners; the form posts the one kept.
        """
        if not self.has_merge_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge partner institutions"),
            "opts": self.opts,
            "link_titles": [title for _name, title in MERGE_LINK_COUNTS],
        }
        try:
            partners = self._partners_to_merge(request)
        except MergeRequestError as exc:
            return self._merge_response(request, {**context, "error": str(exc)}, 400)
        kept_pk = _default_kept(partners).pk
        if request.method == "POST":
            chosen = request.POST.get("kept", "")
            kept = next((p for p in partners if str(p.pk) == chosen), None)
            if kept is None:
                context["error"] = gettext("Choose the partner to keep.")
            else:
                duplicates = [p for p in partners if p.pk != kept.pk]
                try:
                    report = merge_partners(kept, duplicates, user=request.user)
                except ValueError as exc:
                    context["error"] = str(exc)
                    kept_pk = kept.pk
                else:
                    self.message_user(
                        request,
                        gettext("Merge done: %(summary)s.")
                        % {"summary": report.summary()},
                        messages.SUCCESS,
                    )
                    return redirect(
                        reverse(
                            "admin:partners_partner_change",
                            args=[kept.pk],
                            current_app=self.admin_site.name,
                        )
                    )
        context["collisions"] = merge_collisions(partners)
        # ROR holds two ids as two organisations: said before, not only after.
        ror_ids = sorted({partner.ror_id for partner in partners if partner.ror_id})
        context["different_ror_ids"] = ror_ids if len(ror_ids) > 1 else []
        # Namesakes in two countries ("University of Manchester", in England and
        # in New Hampshire) are two institutions: merged, one country stays.
        countries = {partner.country.code for partner in partners}
        context["different_countries"] = (
            country_list(countries) if len(countries) > 1 else ""
        )
        # A draft kept is published with a published duplicate (merge_partners).
        statuses = {partner.publication_status for partner in partners}
        context["drafts_published"] = len(statuses) > 1
        context["rows"] = [
            {
                "partner": partner,
                "counts": [
                    getattr(partner, f"merge_{name}")
                    for name, _title in MERGE_LINK_COUNTS
                ],
                "checked": partner.pk == kept_pk,
            }
            for partner in partners
        ]
        status = 400 if "error" in context else 200
        return self._merge_response(request, context, status)

    def _partners_to_merge(self, request) -> list[Partner]:
        """Return the partners named by ``?ids=``, with their links counted."""
        text = request.GET.get("ids", "")
        ids = [part.strip() for part in text.split(",") if part.strip()]
        # Digits, in the range of the id column (is_value_of): a bigger number made
        # SQLite fail (OverflowError), and Python reads no more than 4,300 digits.
        pk = Partner._meta.pk
        if not all(part.isdecimal() and is_value_of(pk, part) for part in ids):
            raise MergeRequestError(
                gettext("The ids must be partner numbers separated by commas.")
            )
        pks = list(dict.fromkeys(int(part) for part in ids))
        if len(pks) < 2:
            raise MergeRequestError(gettext("Choose at least two partners to merge."))
        counts = {
            f"merge_{name}": Count(name, distinct=True)
            for name, _title in MERGE_LINK_COUNTS
        }
        partners = list(
            self.get_queryset(request)
            .filter(pk__in=pks)
            .annotate(**counts)
            .order_by("pk")
        )
        missing = set(pks) - {partner.pk for partner in partners}
        if missing:
            raise MergeRequestError(
                gettext("No partner #%(pks)s: it may have been merged or deleted.")
                % {"pks": ", #".join(str(pk) for pk in sorted(missing))}
            )
        return partners

    def _merge_response(self, request, context, status):
        return TemplateResponse(
            request, "admin/partners/partner/merge.html", context, status=status
        )

    def has_ror_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_sortable_by(self, request):
        return [
            column
            for column in self.get_list_display(request)
            if getattr(column, "__name__", column) not in self.unsorted_columns
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "has_ror_import_permission": self.has_ror_import_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def ror_import_view(self, request):
        """Import partners from an uploaded ROR dump (partners.services.import_ror)."""
        if not self.has_ror_import_permission(request):
            raise PermissionDenied

        def run(data):
            with open_dump(data["file"], data["file"].name) as stream:
                report = import_ror(
                    stream,
                    data["countries"],
                    publish=data.get("publish", False),
                    user=request.user,
                )
            # The partners created and those updated, each count a link to them.
            changelist = reverse(
                "admin:partners_partner_changelist", current_app=self.admin_site.name
            )
            summary = format_html(
                gettext("ROR import: {summary}."),
                summary=linked_counts(report, changelist),
            )
            return [(summary, messages.SUCCESS)]

        return import_page(
            self,
            request,
            RorImportForm,
            run,
            refusals=(RorImportError,),
            title=_("Import partners from ROR"),
            template="admin/partners/partner/ror_import.html",
            done_url=reverse(
                "admin:partners_partner_changelist", current_app=self.admin_site.name
            ),
            error_field="file",
        )

    def scope_queryset(self, request, queryset):
        countries = country_scope(request.user)
        return queryset if countries is None else queryset.filter(country__in=countries)

    def scope_error(self, request, form) -> str | None:
        countries = country_scope(request.user)
        values = saved_values(form, "country") if countries is not None else None
        if values is None or country_codes(values["country"]) & countries:
            return None
        return gettext(
            "The partner would leave your scope: its country must be one of your "
            "office's (%(countries)s)."
        ) % {"countries": country_list(countries)}


def _default_kept(partners: list[Partner]) -> Partner:
    """Return the partner with the most links, then the oldest: the one to keep."""
    return min(
        partners,
        key=lambda p: (
            -sum(getattr(p, f"merge_{name}") for name, _title in MERGE_LINK_COUNTS),
            p.created,
            p.pk,
        ),
    )


@admin.register(Office)
class OfficeAdmin(PublishableAdmin):
    add_label = _("Add a CNRS office abroad")
    list_display = (
        "name",
        "city",
        country_column,
        "kind",
        "opening_year",
        "head",
        "publication_status",
        "updated",
    )
    list_filter = (
        ("country", CountriesInUseFilter),
        ("countries", CountryFilter),
        "kind",
        "publication_status",
    )
    search_fields = ("name_fr", "name_en", "city_fr", "city_en", "head")
    prepopulated_fields = {"slug": ("city_fr",)}
    readonly_fields = (*PublishableAdmin.readonly_fields, "former_addresses")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "former_addresses",
                    "kind",
                    "head",
                    "opening_year",
                )
            },
        ),
        (
            _("Location"),
            {
                "fields": (
                    "city",
                    "country",
                    "countries",
                    "address",
                    ("latitude", "longitude"),
                )
            },
        ),
        (_("Contact"), {"fields": ("email", "phone", "website")}),
        (_("Role"), {"fields": ("role",)}),
        PUBLICATION_FIELDSET,
    )


@admin.register(Agreement)
class AgreementAdmin(PublishableAdmin):
    add_label = _("Add a cooperation agreement")
    list_display = (
        "title",
        "kind",
        "reference",
        "signed_on",
        "ends_on",
        "office",
        "publication_status",
        "updated",
    )
    list_filter = (
        "kind",
        ("countries", CountryFilter),
        "office",
        "publication_status",
    )
    list_select_related = ("office",)
    search_fields = (
        "title_fr",
        "title_en",
        "reference",
        "partners__name_fr",
        "partners__name_en",
        "partners__acronym",
    )
    date_hierarchy = "signed_on"
    autocomplete_fields = ("partners", "office")
    prepopulated_fields = {"slug": ("title_fr",)}

    def scope_queryset(self, request, queryset):
        countries = country_scope(request.user)
        if countries is None:
            return queryset
        return queryset.in_countries(countries)

    def scope_history(self, request, history):
        countries = country_scope(request.user)
        if countries is None:
            return history
        # Kept partners by their country now: one deleted since places it no more.
        in_scope = models.Q(keeps_link_to(Agreement, "partners", country__in=countries))
        for country in countries:
            in_scope |= models.Q(countries__contains=country)
        return history.filter(in_scope)

    def scope_error(self, request, form) -> str | None:
        countries = country_scope(request.user)
        values = (
            saved_values(form, "countries", "partners")
            if countries is not None
            else None
        )
        if values is None or (
            country_codes(values["countries"]) & countries
            or any(
                country_codes(partner.country) & countries
                for partner in values["partners"]
            )
        ):
            return None
        return gettext(
            "The agreement would leave your scope: one of its countries or partners' "
            "countries must be one of your office's (%(countries)s)."
        ) % {"countries": country_list(countries)}

    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "reference")}),
        (_("Parties"), {"fields": ("partners", "countries", "office")}),
        (_("Dates"), {"fields": (("signed_on", "ends_on"),)}),
        (_("Description"), {"fields": ("description",)}),
        PUBLICATION_FIELDSET,
    )
