"""System checks of the deployment settings that Django's own checks do not cover."""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.cache import cache
from django.core.checks import Error, Info, Tags, Warning, register
from django.db import connections


@register(deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """The page cache needs a shared cache once there is more than one server."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS > 0 and backend.endswith("LocMemCache"):
        return [
            Warning(
                "The page cache is on with a local-memory cache: each gunicorn worker "
                "builds and keeps its own pages, and app servers on other machines "
                "are never told of a change made through this one (the workers of "
                "one machine are, through a file in its temporary directory), so "
                f"they serve stale pages for up to {settings.PAGE_CACHE_SECONDS} s.",
                hint="Set DJANGO_REDIS_URL (redis://host:6379/0), or run a single "
                "server, or set DJANGO_PAGE_CACHE_SECONDS=0.",
                id="cnrs_intl.W001",
            )
        ]
    return []


@register(deploy=True)
def check_shared_cache_answers(app_configs, **kwargs):
    """The shared cache configured answers (it pings Redis)."""
    is_reachable = getattr(cache, "is_reachable", None)
    if is_reachable is None or is_reachable():
        return []
    return [
        Warning(
            f"The shared cache at {cache.shown_location} does not "
            "answer: pages will be built for every request, and each gunicorn worker "
            "will count wrong passwords on its own, until it does.",
            hint="Start Redis, or correct DJANGO_REDIS_URL.",
            id="cnrs_intl.W003",
        )
    ]


@register(deploy=True)
def check_static_files_collected(app_configs, **kwargs):
    """Pages name their static files by the manifest collectstatic writes."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    if not staticfiles_storage.exists(staticfiles_storage.manifest_name):
        # /healthz would still answer 200, every page 500, and the error page too.
        return [
            Error(
                f"No {staticfiles_storage.manifest_name} in {settings.STATIC_ROOT}: "
                "every page would fail, looking up its static files there.",
                hint="Run manage.py collectstatic --noinput (with the same "
                "DJANGO_STATIC_ROOT) before starting the site.",
                id="cnrs_intl.E001",
            )
        ]
    # Collected for an older release: a page naming a file added since fails.
    collected, _hash = staticfiles_storage.load_manifest()
    missing = sorted(set(static_files()) - set(collected))
    if not missing:
        return []
    shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
    return [
        Error(
            f"Static files missing from {staticfiles_storage.manifest_name} in "
            f"{settings.STATIC_ROOT}, collected before they were added: {shown}. "
            "The pages naming them would fail.",
            hint="Run manage.py collectstatic --noinput at each release, before "
            "starting the site.",
            id="cnrs_intl.E002",
        )
    ]


def static_files():
    """The paths of the static files collectstatic would collect (its finders')."""
    ignore_patterns = apps.get_app_config("staticfiles").ignore_patterns
    for finder in get_finders():
        for path, _storage in finder.list(ignore_patterns):
            yield path


def postgresql_databases(databases):
    """Return (alias, connection) of the databases asked for that are PostgreSQL's
    (migrate, or ``check --database``)."""
    for alias in databases or ():
        if connections[alias].vendor == "postgresql":
            yield alias, connections[alias]


# Lower-cased by PostgreSQL under the database's locale: the plain "C" locale folds
# ASCII letters only. Search compares lower(...) with what Python lower-cased.
LOWER_PROBE = "SELECT lower(%s) = %s"


@register(Tags.database)
def check_database_folds_every_alphabet(app_configs, databases=None, **kwargs):
    """Search needs PostgreSQL to lower-case every alphabet, as Python does."""
    warnings = []
    for alias, connection in postgresql_databases(databases):
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


# Whether the migrations could make immutable_unaccent() call unaccent's C function,
# which only a superuser may (partners/migrations/0005_search_indexes.py).
FAST_UNACCENT_PROBE = """
SELECT EXISTS (
    SELECT FROM pg_proc JOIN pg_language ON pg_language.oid = pg_proc.prolang
    WHERE pg_proc.proname = 'immutable_unaccent' AND pg_language.lanname = 'c'
)
"""


@register(Tags.database)
def check_fast_unaccent(app_configs, databases=None, **kwargs):
    """Say when search folds accents through the slower SQL wrapper."""
    notes = []
    for alias, connection in postgresql_databases(databases):
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regprocedure('immutable_unaccent(text)')")
            if cursor.fetchone()[0] is None:
                continue  # not migrated yet
            cursor.execute(FAST_UNACCENT_PROBE)
            if cursor.fetchone()[0]:
                continue
        notes.append(
            Info(
                f"The database {alias!r} removes accents through unaccent's SQL "
                "wrapper, about ten times slower per row than its C function: the "
                "migrations did not run as a superuser.",
                hint="Run scripts/fast-unaccent.sql once as a superuser: psql -U "
                "postgres -d <database> -f scripts/fast-unaccent.sql",
                id="cnrs_intl.I001",
            )
        )
    return notes
