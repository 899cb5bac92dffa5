from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy as _

from partners.admin_forms import (
    CheckedAutocompleteAdmin,
    IdentifierField,
    TranslatedChangeForm,
    UniqueRowsInlineFormSet,
)
from partners.admin_lists import (
    ORCID_LINKS,
    CountriesInScopeFilter,
    RelatedInUseFilter,
    country_column,
)
from partners.admin_records import (
    PUBLICATION_FIELDSET,
    RECORD_FIELDSET,
    PublishableAdmin,
    SharedRecordAdmin,
    saved_values,
)
from partners.admin_spreadsheets import SpreadsheetAdmin
from partners.history import keeps_link_to
from partners.roles import institute_scope
from units.models import (
    ORCID_PATTERN,
    Institute,
    Person,
    Testimony,
    Unit,
    UnitKind,
    UnitPartnership,
)
from units.resources import DIRECTOR_TITLES, UnitResource


def institute_codes(pks) -> str:
    """Return the codes of the institutes ``pks``, for a message."""
    codes = Institute.objects.filter(pk__in=pks).values_list("code", flat=True)
    return ", ".join(sorted(codes)) or "–"


def institute_column(field: str, description):
    """Return a changelist column of the institute in ``field`` by its code
    ("INSIS"), its name a tooltip: whole, the names took a fifth of the table's
    width and wrapped every row."""

    @admin.display(description=description, ordering=f"{field}__code")
    def column(record):
        institute = getattr(record, field)
        if institute is None:
            return None
        return format_html('<abbr title="{}">{}</abbr>', institute.name, institute.code)

    column.__name__ = field  # the cells' class, field-<name>, as the field's
    return column


# The kinds of units as staff write them; the labels, whole, wrapped every row.
UNIT_KIND_ACRONYMS = {UnitKind.IRL: "IRL", UnitKind.UMIFRE: "Umifre"}


@admin.display(description=_("kind"), ordering="kind")
def unit_kind_column(unit):
    """The unit's kind by its acronym, its label a tooltip."""
    return format_html(
        '<abbr title="{}">{}</abbr>',
        unit.get_kind_display(),
        UNIT_KIND_ACRONYMS.get(unit.kind, unit.kind),
    )


unit_kind_column.__name__ = "kind"


class OrcidField(IdentifierField):
    """An ORCID iD, typed alone (0000-0002-1825-0097) or pasted as its link."""

    links = ORCID_LINKS
    pattern = ORCID_PATTERN
    link_help_text = _(
        "Sixteen characters in four groups, e.g. 0000-0002-1825-0097, "
        "or the whole link."
    )
    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not an ORCID iD: write its sixteen characters "
            "(0000-0002-1825-0097) or paste its link "
            "(https://orcid.org/0000-0002-1825-0097)."
        ),
    }


@admin.register(Institute)
class InstituteAdmin(SharedRecordAdmin):
    add_label = _("Add a CNRS institute")
    list_display = ("code", "name", "slug", "website", "updated")
    search_fields = ("code", "name_fr", "name_en")
    prepopulated_fields = {"slug": ("code",)}
    fieldsets = (
        (None, {"fields": ("code", "name", "slug", "website")}),
        RECORD_FIELDSET,
    )


@admin.register(Person)
class PersonAdmin(SharedRecordAdmin):
    add_label = _("Add a person")
    delete_selected_description = _("Delete selected people")
    list_display = ("last_name", "first_name", "title", "orcid", "updated")
    # Names and titles, in this order, have a trigram index of their own on
    # PostgreSQL (units/migrations/0010_person_admin_search_index.py).
    search_fields = ("last_name", "first_name", "=orcid", "title_fr", "title_en")
    # The names have a trigram index (units/migrations/0003_search_indexes.py):
    # looking for near misses in the titles too read every row, 1.8 s at 95,000.
    near_miss_fields = ("first_name", "last_name")
    identifier_form_fields = {"orcid": OrcidField}
    fieldsets = (
        (None, {"fields": (("first_name", "last_name"), "title", "orcid")}),
        RECORD_FIELDSET,
    )


class UnitPartnershipInline(CheckedAutocompleteAdmin, admin.TabularInline):
    model = UnitPartnership
    # The unit's institutions, as its public page names them; not "Unit partnerships".
    verbose_name = _("institution")
    verbose_name_plural = _("host and partner institutions")
    fields = ("partner", "role", "order")
    autocomplete_fields = ("partner",)
    extra = 0
    formset = UniqueRowsInlineFormSet


class UnitForm(TranslatedChangeForm):
    def clean(self):
        cleaned_data = super().clean()
        lead = cleaned_data.get("lead_institute")
        if lead is not None and lead in cleaned_data.get("secondary_institutes", ()):
            self.add_error(
                "secondary_institutes",
                _(
                    "%(institute)s leads the unit: it is not also one of the "
                    "secondary institutes."
                )
                % {"institute": lead.code},
            )
        return cleaned_data


@admin.register(Unit)
class UnitAdmin(SpreadsheetAdmin, PublishableAdmin):
    add_label = _("Add a joint unit")
    delete_selected_description = _("Delete selected joint units")
    form = UnitForm
    resource_classes = (UnitResource,)
    list_display = (
        "acronym",
        "code",
        "name",
        unit_kind_column,
        country_column,
        institute_column("lead_institute", _("lead institute")),
        "director",
        "status",
        "publication_status",
        "updated",
    )
    list_filter = (
        "kind",
        # Those of the records this user may see: an adviser's institutes' only.
        ("country", CountriesInScopeFilter),
        ("lead_institute", RelatedInUseFilter),
        "status",
        "publication_status",
        "creation_year",
    )
    list_select_related = ("lead_institute", "director")
    search_fields = (
        "acronym",
        "code",
        "predecessor_code",
        "name_fr",
        "name_en",
        "city_fr",
        "city_en",
    )
    autocomplete_fields = ("lead_institute", "secondary_institutes", "director")
    prepopulated_fields = {"slug": ("acronym",)}
    readonly_fields = (*PublishableAdmin.readonly_fields, "former_addresses")
    inlines = (UnitPartnershipInline,)
    show_full_result_count = False
    fieldsets = (
        (
            None,
            {"fields": ("kind", ("code", "acronym"), "name", "slug", "status")},
        ),
        (_("Research"), {"fields": ("description", "themes")}),
        (_("Location"), {"fields": ("city", "country", ("latitude", "longitude"))}),
        (
            _("Institutes and director"),
            {
                "fields": (
                    "lead_institute",
                    "secondary_institutes",
                    "director",
                    "director_title",
                )
            },
        ),
        (
            _("Dates and links"),
            {
                "fields": (
                    ("creation_year", "closure_year"),
                    "predecessor_code",
                    "website",
                    "former_addresses",
                )
            },
        ),
        PUBLICATION_FIELDSET,
    )

    def scope_queryset(self, request, queryset):
        institutes = institute_scope(request.user)
        if institutes is None:
            return queryset
        return queryset.of_institutes(institutes)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The title was the former director's: the page now gives it to the new
        # one. It may suit them too ("interim director"): a warning, not an error.
        titles = DIRECTOR_TITLES
        if (
            change
            and "director" in form.changed_data
            and obj.director is not None
            and any(getattr(obj, name) for name in titles)
            and not set(titles) & set(form.changed_data)
        ):
            request.director_title_kept = obj

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if getattr(request, "director_title_kept", None) is obj:
            self.message_user(
                request,
                gettext(
                    "The director changed, not their title at this unit: its "
                    "page now gives “%(title)s” to %(name)s. Change it, or empty "
                    "it to show the person’s own title."
                )
                % {"title": obj.director_title, "name": obj.director.full_name},
                messages.WARNING,
            )
        return response

    def scope_error(self, request, form) -> str | None:
        institutes = institute_scope(request.user)
        values = (
            saved_values(form, "lead_institute", "secondary_institutes")
            if institutes is not None
            else None
        )
        if values is None or any(
            institute is not None and institute.pk in institutes
            for institute in [values["lead_institute"], *values["secondary_institutes"]]
        ):
            return None
        return gettext(
            "The unit would leave your scope: its lead or one of its secondary "
            "institutes must be one of yours (%(institutes)s)."
        ) % {"institutes": institute_codes(institutes)}

    def scope_history(self, request, history):
        institutes = institute_scope(request.user)
        if institutes is None:
            return history
        # A version that kept no relations (an older one): its lead institute alone.
        return history.filter(
            models.Q(lead_institute__in=institutes)
            | keeps_link_to(Unit, "secondary_institutes", pk__in=institutes)
        )


@admin.register(Testimony)
class TestimonyAdmin(PublishableAdmin):
    add_label = _("Add a testimony")
    list_display = (
        "person",
        "short_quote",
        "unit",
        "language",
        "order",
        "publication_status",
        "updated",
    )
    list_filter = ("language", "publication_status")
    list_select_related = ("person", "unit")
    search_fields = (
        "quote",
        "person__last_name",
        "person__first_name",
        "role_fr",
        "role_en",
        "unit__acronym",
    )
    autocomplete_fields = ("person", "unit")
    fieldsets = (
        (None, {"fields": ("quote", "language", "person", "role", "unit", "order")}),
        PUBLICATION_FIELDSET,
    )

    @admin.display(description=_("quotation"), ordering="quote")
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) <= 80 else f"{obj.quote[:79]}…"
