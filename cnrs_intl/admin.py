from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cnrs_intl.models import KeyFigure
from partners.admin import PUBLICATION_FIELDSET, PublishableAdmin

admin.site.site_header = _("cnrs-intl — DERCI back-office")
admin.site.site_title = _("cnrs-intl back-office")
admin.site.index_title = _("International cooperation content")


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
