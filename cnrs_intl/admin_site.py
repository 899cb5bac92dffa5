from django.contrib import admin
from django.utils.translation import get_language, gettext_lazy as _

from cnrs_intl import dashboard
from partners.caching import cached_by_content


class CnrsAdminSite(admin.AdminSite):
    """The back-office, whose home page is the staff dashboard."""

    site_header = _("cnrs-intl — DERCI back-office")
    site_title = _("cnrs-intl back-office")
    index_title = _("International cooperation content")
    index_template = "admin/dashboard.html"

    def index(self, request, extra_context=None):
        grants_ending, agreements_ending = dashboard.ending_soon()
        language = get_language()
        # The aggregates read whole tables: computed once per content version, so
        # exact after every change; the duplicates, the slowest, every ten minutes.
        context = {
            "model_counts": cached_by_content(
                "dashboard:model-counts", dashboard.model_counts
            ),
            "grants_ending": grants_ending,
            "agreements_ending": agreements_ending,
            "ending_soon_days": dashboard.ENDING_SOON_DAYS,
            "missing_translations": cached_by_content(
                f"dashboard:missing-translations:{language}",
                dashboard.missing_translations,
            ),
            "recent_changes": dashboard.recent_changes(),
            "duplicate_partners": dashboard.recent_duplicate_partners(),
            **(extra_context or {}),
        }
        return super().index(request, context)
