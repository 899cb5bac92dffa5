from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from cnrs_intl.models import KeyFigure, StaffProfile
from partners.admin import PUBLICATION_FIELDSET, PublishableAdmin


@admin.register(KeyFigure)
class KeyFigureAdmin(PublishableAdmin):
    list_display = (
        "label",
        "display_value",
        "year",
        "source",
        "order",
        "publication_status",
        "updated",
    )
    list_filter = ("year", "publication_status")
    search_fields = ("label_fr", "label_en", "source_fr", "source_en")
    fieldsets = (
        (None, {"fields": (("value", "suffix"), "label", "year", "source", "order")}),
        PUBLICATION_FIELDSET,
    )

    @admin.display(description=_("value"), ordering="value")
    def display_value(self, obj):
        return obj.display_value


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    verbose_name_plural = _("staff profile")
    autocomplete_fields = ("institutes", "office")


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin, with the institutes or office that limit a staff member."""

    inlines = (StaffProfileInline,)
    list_display = (*UserAdmin.list_display, "is_active")
    list_filter = (*UserAdmin.list_filter, "groups")
