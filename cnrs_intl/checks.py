"""System checks of the deployment settings that Django's own checks do not cover."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import connections


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


# Lower-cased by PostgreSQL under the database's locale: the plain "C" locale folds
# ASCII letters only. Search compares lower(...) with what Python lower-cased.
LOWER_PROBE = "SELECT lower(%s) = %s"


@register(Tags.database)
def check_database_folds_every_alphabet(app_configs, databases=None, **kwargs):
    """Search needs PostgreSQL to lower-case every alphabet, as Python does."""
    warnings = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(LOWER_PROBE, ["ÉΩЖ", "éωж"])
            if not cursor.fetchone()[0]:
                warnings.append(
                    Warning(
                        f"The database {alias!r} lower-cases ASCII letters only (its "
                        "locale is C): a search typed in Cyrillic or Greek, or with "
                        "capital accented letters, will miss records.",
                        hint="Create the database with a UTF-8 locale: CREATE "
                        "DATABASE … LOCALE 'C.UTF-8' TEMPLATE template0.",
                        id="cnrs_intl.W002",
                    )
                )
    return warnings
