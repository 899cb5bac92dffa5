"""System checks of the deployment settings that Django's own checks do not cover."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """The page cache needs a shared cache once there is more than one process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS > 0 and backend.endswith("LocMemCache"):
        return [
            Warning(
                "The page cache is on with a local-memory cache: each gunicorn worker "
                "keeps its own pages and content version, so a change made through "
                "one worker leaves the others serving stale pages for up to "
                f"{settings.PAGE_CACHE_SECONDS} s.",
                hint="Set DJANGO_REDIS_URL (redis://host:6379/0), or run a single "
                "worker, or set DJANGO_PAGE_CACHE_SECONDS=0.",
                id="cnrs_intl.W001",
            )
        ]
    return []
