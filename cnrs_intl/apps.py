from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CnrsIntlConfig(AppConfig):
    name = "cnrs_intl"
    verbose_name = _("Site")

    def ready(self):
        from cnrs_intl import checks  # noqa: F401  (registers the checks)
        from cnrs_intl.search import KINDS
        from partners.roles import sync_roles
        from partners.searchable import SEARCHED_KINDS

        # The lists' country offers ask every kind the global search shows; the
        # base layer they are built in cannot import them.
        SEARCHED_KINDS[:] = [records for _key, _label, records, *_rest in KINDS]

        # A flush (as between transactional tests) empties the groups: make them again.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="cnrs_intl.roles")


class CnrsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the staff dashboard as its home page."""

    default = False  # named explicitly in INSTALLED_APPS, in place of the admin
    default_site = "cnrs_intl.admin_site.CnrsAdminSite"


class LoginProtectionConfig(axes_apps.AppConfig):
    """django-axes (settings.AXES_*), its admin pages grouped under a name in the
    staff's language rather than "Axes"."""

    default = False  # named explicitly in INSTALLED_APPS, in place of axes
    verbose_name = _("Login protection")
