import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.urls import path, reverse
from django.utils import formats, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from partners.admin_forms import (
    CheckedAutocompleteAdmin,
    IdentifierField,
    UniqueRowsInlineFormSet,
)
from partners.admin_imports import (
    ImportFilter,
    RegistryImportForm,
    import_page,
    imported_url,
)
from partners.admin_lists import RelatedInUseFilter, StartYearFilter, ValuesInUseFilter
from partners.admin_records import PUBLICATION_FIELDSET, PublishableAdmin, saved_values
from partners.admin_spreadsheets import SpreadsheetAdmin
from partners.models import PIC_PATTERN
from partners.roles import institute_scope
from partners.services import first_named
from programmes.models import (
    CORDIS_ID_PATTERN,
    CORDIS_PAGES,
    ROUNDING_PER_SHARE,
    SCHEME_ACRONYMS,
    CnrsRole,
    Grant,
    ParticipantRole,
    Programme,
    Project,
    ProjectParticipant,
    contributions_excess,
)
from programmes.resources import GrantResource, ProjectResource
from programmes.services import CNRS_PIC, REMOVED, CordisImportError, import_cordis
from units.admin import institute_codes, institute_column

# The import creates and updates both grants and projects.
CORDIS_IMPORT_PERMISSIONS = (
    "programmes.add_grant",
    "programmes.change_grant",
    "programmes.add_project",
    "programmes.change_project",
)


def may_import_cordis(request) -> bool:
    return request.user.has_perms(CORDIS_IMPORT_PERMISSIONS)


class CordisImportForm(RegistryImportForm):
    projects = forms.FileField(
        label=_("Projects (project.csv)"),
        help_text=_("The list of projects from CORDIS’s open data, as published."),
    )
    organizations = forms.FileField(
        label=_("Participants (organization.csv)"),
        help_text=_("The list of participating organisations, from the same source."),
    )
    investigators = forms.FileField(
        label=_("ERC principal investigators"),
        required=False,
        help_text=_(
            "Optional: CORDIS’s file of ERC principal investigators, which names the "
            "laureates. A grant whose laureate is unknown gets the placeholder person "
            "“CORDIS (laureate to be completed)”, to replace on the grant."
        ),
    )
    pic = forms.RegexField(
        label=_("Participant code (PIC)"),
        regex=PIC_PATTERN,
        initial=CNRS_PIC,
        max_length=9,
        error_messages={"invalid": _("A PIC is nine digits.")},
        help_text=_("The grants and projects of this participant are imported."),
    )
    publish = forms.BooleanField(
        label=_("Publish the grants and projects"),
        required=False,
        help_text=_(
            "Otherwise new ones are created as drafts, for review. Those already here "
            "keep their status; new partners are always drafts."
        ),
    )


class CordisIdField(IdentifierField):
    """A CORDIS project id, typed alone (101001234) or pasted as its page's link."""

    links = CORDIS_PAGES
    pattern = CORDIS_ID_PATTERN
    link_help_text = _(
        "The number after https://cordis.europa.eu/project/id/, e.g. 101001234, "
        "or the whole link."
    )
    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a CORDIS project id: write its number (101001234) "
            "or paste its page's link "
            "(https://cordis.europa.eu/project/id/101001234)."
        ),
    }


class CordisImportButtonMixin:
    """Show the "Import from CORDIS" button on the changelist to those allowed."""

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "has_cordis_import_permission": may_import_cordis(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
    add_label = _("Add a programme")
    list_display = (
        "name",
        "acronym",
        "kind",
        "parent",
        "start_year",
        "end_year",
        "publication_status",
        "updated",
    )
    list_filter = (
        "kind",
        ("parent", admin.RelatedOnlyFieldListFilter),
        "publication_status",
        "start_year",
    )
    list_select_related = ("parent",)
    search_fields = ("name_fr", "name_en", "acronym", "former_name")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name_fr",)}
    readonly_fields = (*PublishableAdmin.readonly_fields, "former_addresses")
    fieldsets = (
        (
            None,
            {"fields": ("name", "acronym", "slug", "kind", "parent", "former_name")},
        ),
        (
            _("Period and links"),
            {"fields": (("start_year", "end_year"), "website", "former_addresses")},
        ),
        (_("Description"), {"fields": ("description",)}),
        PUBLICATION_FIELDSET,
    )


@admin.display(
    description=Grant._meta.get_field("scheme").verbose_name, ordering="scheme"
)
def scheme_column(grant):
    """The grant's scheme by its acronym, its label a tooltip."""
    return format_html(
        '<abbr title="{}">{}</abbr>',
        grant.get_scheme_display(),
        SCHEME_ACRONYMS.get(grant.scheme, grant.scheme),
    )


@admin.display(
    description=Grant._meta.get_field("panel").verbose_name, ordering="panel"
)
def panel_column(grant):
    """The ERC grant's panel by its code ("SH7"), its name a tooltip."""
    if not grant.panel:
        return None
    return format_html(
        '<abbr title="{}">{}</abbr>', grant.get_panel_display(), grant.panel
    )


@admin.display(
    description=Grant._meta.get_field("amount").verbose_name, ordering="amount"
)
def amount_column(grant):
    """The EU contribution in whole euros, grouped as the staff's language writes
    numbers ("2 244 363"; the header says €): Django wrote "2244362,65"."""
    if grant.amount is None:
        return None
    return floatformat(grant.amount, "0g")  # rounded, as the public pages' euros


# The cells' classes, field-<name>, as the fields'.
scheme_column.__name__ = "scheme"
panel_column.__name__ = "panel"
amount_column.__name__ = "amount"


@admin.register(Grant)
class GrantAdmin(CordisImportButtonMixin, SpreadsheetAdmin, PublishableAdmin):
    add_label = _("Add a grant")
    resource_classes = (GrantResource,)
    # The import and export buttons join those of this template.
    change_list_template = "admin/programmes/grant/change_list.html"
    # No programme column: the scheme names it (ERC, MSCA).
    list_display = (
        "acronym",
        scheme_column,
        "laureate",
        institute_column("institute", _("institute")),
        "call_year",
        panel_column,
        "start_date",
        amount_column,
        "publication_status",
    )
    list_filter = (
        "scheme",
        ("call_year", ValuesInUseFilter),
        "panel",
        # An adviser's institutes only: the others' grants are out of their reach.
        ("institute", RelatedInUseFilter),
        ("programme", RelatedInUseFilter),
        StartYearFilter,
        "publication_status",
        ImportFilter,  # shown only when a CORDIS import's message links to it
    )
    list_select_related = ("laureate", "institute")
    search_fields = (
        "acronym",
        "title_fr",
        "title_en",
        "laureate__last_name",
        "laureate__first_name",
        "host_laboratory",
        "=cordis_id",
    )
    autocomplete_fields = ("programme", "laureate", "unit", "institute")
    identifier_form_fields = {"cordis_id": CordisIdField}
    prepopulated_fields = {"slug": ("acronym",)}
    readonly_fields = (*PublishableAdmin.readonly_fields, "former_addresses")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50  # as partners: half the rendering time of 100 rows
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "scheme",
                    "programme",
                    ("acronym", "slug"),
                    "title",
                    ("call_year", "panel"),
                )
            },
        ),
        (
            _("Laureate and host"),
            {"fields": ("laureate", "host_laboratory", "unit", "institute")},
        ),
        (
            _("Dates and funding"),
            {
                "fields": (
                    ("start_date", "end_date"),
                    "amount",
                    "cordis_id",
                    "former_addresses",
                )
            },
        ),
        (_("Summary"), {"fields": ("summary",)}),
        PUBLICATION_FIELDSET,
    )

    def exact_condition(self, request, text):
        """The grants a call year typed whole names ("2025"), besides those its
        identifiers name: no text of theirs holds their year."""
        condition = super().exact_condition(request, text)
        # Digits 0-9 only: str.isdigit() takes "²⁰²⁵", which int() refuses (a 500).
        if re.fullmatch(r"[0-9]{4}", text):
            year = Q(call_year=int(text))
            condition = year if condition is None else condition | year
        return condition

    def scope_queryset(self, request, queryset):
        institutes = institute_scope(request.user)
        if institutes is None:
            return queryset
        return queryset.filter(institute__in=institutes)

    def scope_error(self, request, form) -> str | None:
        institutes = institute_scope(request.user)
        values = saved_values(form, "institute") if institutes is not None else None
        if values is None or getattr(values["institute"], "pk", None) in institutes:
            return None
        return gettext(
            "The grant would leave your scope: its institute must be one of yours "
            "(%(institutes)s)."
        ) % {"institutes": institute_codes(institutes)}


def amount(value, decimal_pos=2) -> str:
    """Write an amount in euros as the staff's language does: "6 700 000,00 €" in
    French, "€6,700,000.00" in English (as the public pages' ``euros``)."""
    number = formats.number_format(value, decimal_pos=decimal_pos, force_grouping=True)
    if translation.get_language() == "en":
        return f"€{number}"
    return f"{number}\u00a0€"


class ProjectParticipantForm(forms.ModelForm):
    """A participant's row, whose coordination its formset checks."""

    def validate_constraints(self):
        # One coordinating row per project: the formset checks the rows together,
        # as the form leaves them. Alone, a row taking the role from another was
        # refused while that one still held it in the database.
        exclude = self._get_validation_exclusions() | {"role"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class ProjectParticipantFormSet(UniqueRowsInlineFormSet):
    """A project's participants, of whom one at most coordinates it, and none when
    the CNRS does (its CNRS role, ``ProjectParticipant.clean``): the rows together,
    as the form leaves them.

    The database allows one coordinator at a time (migration programmes 0019) and
    the rows are saved one by one: the rows giving the role up are written first.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        coordinators = [
            form
            for form in self.forms
            if form.cleaned_data.get("role") == ParticipantRole.COORDINATOR
            and not (self.can_delete and self._should_delete_form(form))
        ]
        first, *others = coordinators or [None]
        for form in others:
            form.add_error(
                "role",
                _(
                    "%(partner)s coordinates this project already: a project has "
                    "one coordinator."
                )
                % {"partner": first.cleaned_data["partner"]},
            )
        if first is not None or self.instance.cnrs_role == CnrsRole.COORDINATOR:
            self.check_coordinator_not_shown(first)
        self.check_contributions()

    def check_contributions(self) -> None:
        """Refuse participants' EU contributions adding up to more than the
        project's, beyond CORDIS's rounding (``contributions_excess``).

        Only in an edit of the amounts (a row's, or the project's): a project
        imported so from CORDIS (its import names them) is not locked until then.
        """
        whole = self.instance.eu_contribution
        kept = [
            form
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
        ]
        shares = [form.cleaned_data.get("eu_contribution") for form in kept]
        if self.instance.pk is not None:
            shown = [form.instance.pk for form in self.initial_forms]
            shares += self.instance.participations.exclude(pk__in=shown).values_list(
                "eu_contribution", flat=True
            )
        total = contributions_excess(whole, shares)
        if total is None or not self.edits_contributions():
            return
        raise ValidationError(
            gettext(
                "The participants’ EU contributions add up to %(total)s, more "
                "than the project’s EU contribution, %(whole)s (a rounding of up "
                "to %(rounding)s a participant is allowed): correct one or the "
                "other."
            )
            % {
                "total": amount(total),
                "whole": amount(whole),
                "rounding": amount(ROUNDING_PER_SHARE, decimal_pos=0),
            },
            code="contributions_above_the_project",
        )

    def edits_contributions(self) -> bool:
        """Whether the form changes a participant's contribution, a row with one,
        or the project's EU contribution."""
        for form in self.forms:
            deleted = self.can_delete and self._should_delete_form(form)
            if "eu_contribution" in form.changed_data or (
                deleted and form.initial.get("eu_contribution") is not None
            ):
                return True
        if self.instance.pk is None:
            return False
        saved = (
            type(self.instance)
            ._base_manager.filter(pk=self.instance.pk)
            .values_list("eu_contribution", flat=True)
            .first()
        )
        return saved != self.instance.eu_contribution

    def check_coordinator_not_shown(self, form) -> None:
        """Refuse a coordinator beside a coordinating row the page does not show
        (added since it was opened)."""
        if self.instance.pk is None:
            return
        shown = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        hidden = (
            self.instance.participations.exclude(pk__in=shown)
            .filter(role=ParticipantRole.COORDINATOR)
            .select_related("partner")
            .first()
        )
        if hidden is None:
            return
        message = gettext(
            "%(partner)s coordinates this project, on a row this page does not "
            "show, added since it was opened: reload the page."
        ) % {"partner": hidden.partner}
        if form is not None:
            form.add_error("role", message)
        else:
            raise ValidationError(message)

    def save_existing_objects(self, commit=True):
        if commit:
            self.give_up_coordination()
        return super().save_existing_objects(commit)

    def give_up_coordination(self) -> None:
        """Write first that the saved rows losing the coordinator's role (or
        deleted) lose it, so that the row taking it may save: the rows' own
        values follow, as the form leaves them."""
        losing = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk is not None
            and form.initial.get("role") == ParticipantRole.COORDINATOR
            and (
                form in self.deleted_forms
                or form.cleaned_data.get("role") != ParticipantRole.COORDINATOR
            )
        ]
        if losing:
            self.model._base_manager.filter(pk__in=losing).update(
                role=ParticipantRole.PARTICIPANT
            )


class ProjectParticipantInline(CheckedAutocompleteAdmin, admin.TabularInline):
    model = ProjectParticipant
    form = ProjectParticipantForm
    fields = ("partner", "role", "country", "eu_contribution")
    autocomplete_fields = ("partner",)
    extra = 0
    formset = ProjectParticipantFormSet


@admin.register(Project)
class ProjectAdmin(CordisImportButtonMixin, SpreadsheetAdmin, PublishableAdmin):
    add_label = _("Add a project")
    resource_classes = (ProjectResource,)
    # The import and export buttons join those of this template.
    change_list_template = "admin/programmes/project/change_list.html"
    list_display = (
        "acronym",
        "title",
        "kind",
        "programme",
        "cnrs_role",
        "start_date",
        "end_date",
        "publication_status",
    )
    list_filter = (
        "kind",
        "cnrs_role",
        "societal_challenge",
        ("programme", RelatedInUseFilter),
        StartYearFilter,
        "publication_status",
        ImportFilter,  # shown only when a CORDIS import's message links to it
    )
    list_select_related = ("programme",)
    search_fields = ("acronym", "title_fr", "title_en", "=cordis_id")
    autocomplete_fields = ("programme", "units")
    identifier_form_fields = {"cordis_id": CordisIdField}
    prepopulated_fields = {"slug": ("acronym",)}
    readonly_fields = (*PublishableAdmin.readonly_fields, "former_addresses")
    inlines = (ProjectParticipantInline,)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50  # as partners: half the rendering time of 100 rows
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "programme",
                    ("acronym", "slug"),
                    "title",
                    ("cnrs_role", "societal_challenge"),
                )
            },
        ),
        (_("Summary"), {"fields": ("summary", "website")}),
        (
            _("Dates and figures"),
            {
                "fields": (
                    ("start_date", "end_date"),
                    ("total_cost", "eu_contribution"),
                    ("researcher_count", "country_count", "industrial_partner_count"),
                    "cordis_id",
                    "former_addresses",
                )
            },
        ),
        (_("Joint units"), {"fields": ("units",)}),
        PUBLICATION_FIELDSET,
    )

    def write_record(self, request, obj, form, change):
        if change and obj.cnrs_role == CnrsRole.COORDINATOR:
            # The CNRS takes the coordination from a participant: the row gives it
            # up first, as the database allows one coordinator. The participants'
            # formset checked that no row keeps it, and saves each row's role
            # after this (ProjectParticipantFormSet).
            obj.participations.filter(role=ParticipantRole.COORDINATOR).update(
                role=ParticipantRole.PARTICIPANT
            )
        super().write_record(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "import-cordis/",
                self.admin_site.admin_view(self.cordis_import_view),
                name="programmes_project_import_cordis",
            ),
            *super().get_urls(),
        ]

    def cordis_import_view(self, request):
        """Import grants and projects from uploaded CORDIS files (services.py)."""
        if not may_import_cordis(request):
            raise PermissionDenied

        def run(data):
            report = import_cordis(
                data["projects"],
                data["organizations"],
                data["pic"],
                pi_file=data["investigators"],
                publish=data.get("publish", False),
                user=request.user,
            )
            return cordis_messages(report, self.admin_site.name)

        # The Grant changelist's button brings the user back there.
        back_to = "grant" if request.GET.get("from") == "grant" else "project"
        return import_page(
            self,
            request,
            CordisImportForm,
            run,
            refusals=(CordisImportError,),
            title=_("Import grants and projects from CORDIS"),
            template="admin/programmes/project/cordis_import.html",
            done_url=reverse(
                f"admin:programmes_{back_to}_changelist",
                current_app=self.admin_site.name,
            ),
        )


def cordis_messages(report, current_app: str = "admin") -> list[tuple[str, int]]:
    """Say what a CORDIS import did: its counts, then what staff should know."""
    said = [(cordis_message(report, current_app), messages.SUCCESS)]
    if removed := report.count(ProjectParticipant, REMOVED):
        said.append(
            (
                ngettext(
                    "%(count)d participant CORDIS no longer lists was "
                    "removed from its project.",
                    "%(count)d participants CORDIS no longer lists were "
                    "removed from their projects.",
                    removed,
                )
                % {"count": removed},
                messages.INFO,
            )
        )
    if ended := report.participation_ended:
        said.append((participation_ended_message(ended), messages.WARNING))
    if left_out := report.websites_left_out:
        said.append((websites_left_out_message(left_out), messages.WARNING))
    if above := report.contributions_above:
        said.append((contributions_above_message(above), messages.WARNING))
    return said


def contributions_above_message(projects: list[tuple]) -> str:
    named = [
        f"{record} ({amount(total)} > {amount(whole)})"
        for record, total, whole in projects
    ]
    return ngettext(
        "The participants’ EU contributions of %(count)d project add up to more "
        "than its EU contribution, beyond CORDIS’s rounding. They were imported "
        "as CORDIS gives them, for you to check: %(projects)s.",
        "The participants’ EU contributions of %(count)d projects add up to more "
        "than their EU contribution, beyond CORDIS’s rounding. They were imported "
        "as CORDIS gives them, for you to check: %(projects)s.",
        len(named),
    ) % {"count": len(named), "projects": first_named(named)}


def websites_left_out_message(left_out: list[str]) -> str:
    return ngettext(
        "The website of %(count)d new partner was left out, as it is not an http "
        "or https address: %(websites)s.",
        "The websites of %(count)d new partners were left out, as they are not "
        "http or https addresses: %(websites)s.",
        len(left_out),
    ) % {"count": len(left_out), "websites": first_named(left_out)}


def participation_ended_message(records: list[str]) -> str:
    return ngettext(
        "CORDIS says the participation in %(count)d record imported before has "
        "ended. It was left as it is, for you to keep or unpublish: %(records)s.",
        "CORDIS says the participation in %(count)d records imported before has "
        "ended. They were left as they are, for you to keep or unpublish: "
        "%(records)s.",
        len(records),
    ) % {"count": len(records), "records": first_named(records)}


def cordis_message(report, current_app: str = "admin") -> str:
    """Say what a CORDIS import did, each number with its noun's plural; the
    grants and projects it created or updated linked to their lists
    (``ImportFilter``), where staff review and publish them."""
    created_grants = report.count(Grant, "created")
    created_projects = report.count(Project, "created")
    updated_grants = report.count(Grant, "updated")
    updated_projects = report.count(Project, "updated")
    unchanged = report.count(Grant, "unchanged") + report.count(Project, "unchanged")
    skipped = sum(report.skipped.values())
    laureates = report.laureates_to_complete
    grants = reverse("admin:programmes_grant_changelist", current_app=current_app)
    projects = reverse("admin:programmes_project_changelist", current_app=current_app)
    made = [
        imported_link(
            ngettext(
                "%(count)d grant created", "%(count)d grants created", created_grants
            )
            % {"count": created_grants},
            report,
            created_grants,
            grants,
            "created",
        ),
        imported_link(
            ngettext(
                "%(count)d project created",
                "%(count)d projects created",
                created_projects,
            )
            % {"count": created_projects},
            report,
            created_projects,
            projects,
            "created",
        ),
        imported_link(
            ngettext(
                "%(count)d grant updated", "%(count)d grants updated", updated_grants
            )
            % {"count": updated_grants},
            report,
            updated_grants,
            grants,
            "updated",
        ),
        imported_link(
            ngettext(
                "%(count)d project updated",
                "%(count)d projects updated",
                updated_projects,
            )
            % {"count": updated_projects},
            report,
            updated_projects,
            projects,
            "updated",
        ),
        conditional_escape(
            ngettext(
                "%(count)d record unchanged", "%(count)d records unchanged", unchanged
            )
            % {"count": unchanged}
        ),
    ]
    left = [
        ngettext(
            "%(count)d skipped (unknown scheme or programme, or participation ended)",
            "%(count)d skipped (unknown scheme or programme, or participation ended)",
            skipped,
        )
        % {"count": skipped},
        ngettext(
            "%(count)d missing from project.csv",
            "%(count)d missing from project.csv",
            report.missing,
        )
        % {"count": report.missing},
    ]
    to_complete = ngettext(
        "%(count)d grant with a laureate to complete, not published until then",
        "%(count)d grants with a laureate to complete, not published until then",
        laureates,
    ) % {"count": laureates}
    # Our own sentence, escaped as a whole; the links made by format_html.
    said = conditional_escape(
        gettext("CORDIS import: %(made)s; %(left)s; %(laureates)s.")
    )
    return mark_safe(
        said
        % {
            "made": ", ".join(made),
            "left": conditional_escape(", ".join(left)),
            "laureates": conditional_escape(to_complete),
        }
    )


def imported_link(text: str, report, count: int, changelist: str, change: str):
    """Return ``text`` (escaped) linked to the ``count`` records the import of
    ``report`` made ``change`` to, if any."""
    if not count or report.date is None:
        return conditional_escape(text)
    return format_html(
        '<a href="{}">{}</a>', imported_url(changelist, report.date, change), text
    )
