from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes, grants and projects")

    def ready(self):
        from programmes.models import grants_left_outside
        from units.models import LIFETIME_CHECKS

        # A unit's new years are checked against the grants held in it.
        if grants_left_outside not in LIFETIME_CHECKS:
            LIFETIME_CHECKS.append(grants_left_outside)
