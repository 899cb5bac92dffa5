from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and offices")

    def ready(self):
        from partners.search import register_sqlite_unaccent

        connection_created.connect(register_sqlite_unaccent)
