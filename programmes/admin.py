from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partners.admin import PUBLICATION_FIELDSET, PublishableAdmin
from partners.roles import institute_scope
from programmes.models import Grant, Programme, Project, ProjectParticipant


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
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
    fieldsets = (
        (
            None,
            {"fields": ("name", "acronym", "slug", "kind", "parent", "former_name")},
        ),
        (
            _("Period and links"),
            {"fields": (("start_year", "end_year"), "website")},
        ),
        (_("Description"), {"fields": ("description",)}),
        PUBLICATION_FIELDSET,
    )


@admin.register(Grant)
class GrantAdmin(PublishableAdmin):
    list_display = (
        "acronym",
        "scheme",
        "laureate",
        "institute",
        "programme",
        "call_year",
        "panel",
        "start_date",
        "amount",
        "publication_status",
    )
    list_filter = (
        "scheme",
        "call_year",
        "panel",
        "institute",
        ("programme", admin.RelatedOnlyFieldListFilter),
        "publication_status",
    )
    list_select_related = ("laureate", "institute", "programme")
    search_fields = (
        "acronym",
        "title_fr",
        "title_en",
        "laureate__last_name",
        "laureate__first_name",
        "host_laboratory",
        "=cordis_id",
    )
    date_hierarchy = "start_date"
    autocomplete_fields = ("programme", "laureate", "unit", "institute")
    prepopulated_fields = {"slug": ("acronym",)}
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
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
            {"fields": (("start_date", "end_date"), "amount", "cordis_id")},
        ),
        (_("Summary"), {"fields": ("summary",)}),
        PUBLICATION_FIELDSET,
    )

    def scope_queryset(self, request, queryset):
        institutes = institute_scope(request.user)
        if institutes is None:
            return queryset
        return queryset.filter(institute__in=institutes)


class ProjectParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    fields = ("partner", "role", "country", "eu_contribution")
    autocomplete_fields = ("partner",)
    extra = 0


@admin.register(Project)
class ProjectAdmin(PublishableAdmin):
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
        ("programme", admin.RelatedOnlyFieldListFilter),
        "publication_status",
    )
    list_select_related = ("programme",)
    search_fields = ("acronym", "title_fr", "title_en", "=cordis_id")
    date_hierarchy = "start_date"
    autocomplete_fields = ("programme", "units")
    prepopulated_fields = {"slug": ("acronym",)}
    inlines = (ProjectParticipantInline,)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
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
                )
            },
        ),
        (_("Joint units"), {"fields": ("units",)}),
        PUBLICATION_FIELDSET,
    )
