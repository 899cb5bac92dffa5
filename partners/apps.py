from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and offices")

    def ready(self):
        from partners import caching
        from partners.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions)
        # Any save or delete of public content invalidates the cached pages; bulk
        # writes (imports, merges, generate_data) call caching.content_changed().
        post_save.connect(caching.on_content_saved_or_deleted, dispatch_uid="saved")
        post_delete.connect(caching.on_content_saved_or_deleted, dispatch_uid="deleted")
        m2m_changed.connect(caching.on_m2m_changed, dispatch_uid="content-m2m")
