from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db import models
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

        name_links()


def link_name(link) -> str:
    """A row of a many-to-many table by its two records: "JRL – INSMI"."""
    ends = [field for field in link._meta.concrete_fields if field.is_relation]
    return " – ".join(str(getattr(link, field.name)) for field in ends)


def name_links():
    """Name the rows of the many-to-many tables Django makes by their two records.

    A deletion's confirmation listed a unit's secondary institutes as
    "Unit_secondary_institutes object (4)": the classes are Django's, made at
    run time, with no other place to say how their rows read.
    """
    for model in apps.get_models(include_auto_created=True):
        if (
            model._meta.auto_created
            and model._meta.app_label in OWN_APPS
            and model.__str__ is models.Model.__str__
        ):
            model.__str__ = link_name


# The site's apps (Django's own keep their ways).
OWN_APPS = ("partners", "units", "programmes", "cnrs_intl")


class CnrsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the staff dashboard as its home page."""

    default = False  # named explicitly in INSTALLED_APPS, in place of the admin
    default_site = "cnrs_intl.admin_site.CnrsAdminSite"
