from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CnrsIntlConfig(AppConfig):
    name = "cnrs_intl"
    verbose_name = _("Site")
