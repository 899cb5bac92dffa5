"""Settings for cnrs-intl, driven by ``DJANGO_*`` environment variables.

Development defaults need no variable at all (SQLite in the project folder, debug off
unless ``DJANGO_DEBUG`` asks for it). ``DJANGO_ENV=production`` refuses to start without
a secret key and allowed hosts (named, not ``*``), or with debug on, and turns on the
HTTPS hardening that ``manage.py check --deploy`` expects.
"""

import datetime
import logging
import math
import os
import re
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from csp.constants import NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from django_countries.data import COUNTRIES

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Return the environment variable ``name``, or ``default`` when unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


# A variable that cannot be read stops the start with a message naming it: a value
# mistyped (DJANGO_SECURE_SSL_REDIRECT=flase, DJANGO_CONN_MAX_AGE=1m) was taken as
# off, or ended in a ValueError that named no variable.
def env_bool(name: str, default: bool = False) -> bool:
    """Return the switch ``name`` (1/true/yes/on, 0/false/no/off, in any case), or
    ``default`` when unset or blank."""
    value = (env(name) or "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be 1, true, yes or on, or 0, false, no or off; "
        f"got {os.environ[name]!r}."
    )


def env_number(name, default, kind, unit, example, *, positive=False):
    """Return the number of ``unit`` that ``name`` gives (``kind``: int or float),
    0 or more (more than 0 if ``positive``), or ``default`` when unset or blank."""
    value = (env(name) or "").strip()
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        number = None
    if (
        number is None
        or not math.isfinite(number)
        or number < 0
        or (positive and number == 0)
    ):
        raise ImproperlyConfigured(
            f"{name} must be {'a whole number' if kind is int else 'a number'} of "
            f"{unit} ({'more than 0' if positive else '0 or more'}), e.g. {example}; "
            f"got {os.environ[name]!r}."
        )
    return number


def env_int(name: str, default: int, unit: str, example: str) -> int:
    return env_number(name, default, int, unit, example)


def env_float(
    name: str, default: float, unit: str, example: str, *, positive: bool = False
) -> float:
    return env_number(name, default, float, unit, example, positive=positive)


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """Return the one of ``choices`` that ``name`` names (in any case), or
    ``default`` when unset or blank."""
    value = (env(name) or "").strip()
    if not value:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(
        f"{name} must be one of {', '.join(choices)}; got {os.environ[name]!r}."
    )


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def port_numbers(name: str, ports: str, example: str) -> str:
    """Return ``ports``, checked to be a port number (or libpq's comma-separated
    list of them, one per host); "" when none is given."""
    if ports and not all(
        port.isascii() and port.isdigit() and 0 < int(port) < 65536
        for port in ports.split(",")
    ):
        raise ImproperlyConfigured(
            f"{name}: the port must be a number from 1 to 65535, e.g. {example}; "
            f"got {ports!r}."
        )
    return ports


def check_url_port(name: str, parts: SplitResult, example: str) -> None:
    """Check the port of the URL ``parts``, as written: ``parts.port`` raises a
    ValueError that names no variable."""
    host_and_port = parts.netloc.rpartition("@")[2]
    port_numbers(name, host_and_port.rpartition("]")[2].partition(":")[2], example)


# Django's PostgreSQL backend, its timestamps read by psycopg's C loader.
POSTGRESQL_ENGINE = "cnrs_intl.backends.postgresql"
# Parameters of a database URL's query that are settings of their own.
URL_FIELDS = {
    "dbname": "NAME",
    "user": "USER",
    "password": "PASSWORD",
    "host": "HOST",
    "port": "PORT",
}


def libpq_keywords() -> set[str]:
    """The connection parameters that the libpq psycopg runs on knows."""
    from psycopg import pq  # only when PostgreSQL is configured

    return {option.keyword.decode() for option in pq.Conninfo.get_defaults()}


def connection_parameters(name: str, query: str) -> dict[str, str]:
    """Return the libpq parameters of a database URL's query string, decoded as
    libpq decodes them ("+" stays "+"). Values are never repeated in a message: a
    password may be one."""
    if not query:
        return {}
    parameters = {}
    known = libpq_keywords()
    for pair in filter(None, query.split("&")):
        keyword, equals, value = pair.partition("=")
        keyword = unquote(keyword)
        if keyword not in known:
            raise ImproperlyConfigured(
                f"{name}: {keyword!r} is not a PostgreSQL connection parameter "
                "(libpq's include sslmode, sslrootcert, connect_timeout, "
                "application_name, options, target_session_attrs)."
            )
        if keyword == "client_encoding":
            # Django's backend sets UTF8 over it.
            raise ImproperlyConfigured(
                f"{name}: client_encoding cannot be chosen: Django connects in UTF8."
            )
        if not equals:
            raise ImproperlyConfigured(
                f"{name}: {keyword!r} has no value ({keyword}=…)."
            )
        if keyword in parameters:
            raise ImproperlyConfigured(f"{name}: {keyword!r} is given twice.")
        parameters[keyword] = unquote(value)
    return parameters


def database_from_url(url: str, name: str = "DJANGO_DATABASE_URL") -> dict:
    """Turn ``postgres://user:password@host:port/name?sslmode=require`` into a
    DATABASES entry (``name``: the variable that gives it, for its messages).

    The query's parameters are libpq's (sslmode, sslrootcert, connect_timeout,
    application_name, options, target_session_attrs…), passed to psycopg through
    OPTIONS; dbname, user, password, host and port there win over the address's, as
    in libpq.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name}: unsupported scheme {parts.scheme!r}; "
            "use postgres://user:password@host:port/name"
        )
    check_url_port(name, parts, "5432")
    database = {
        "ENGINE": POSTGRESQL_ENGINE,
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        # A socket folder may be given as an URL-encoded host (%2Frun%2Fpostgresql).
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(parts.port or ""),
    }
    options = {}
    for keyword, value in connection_parameters(name, parts.query).items():
        if keyword == "port":
            value = port_numbers(name, value, "5432")
        if keyword in URL_FIELDS:
            database[URL_FIELDS[keyword]] = value
        else:
            options[keyword] = value
    if options:
        database["OPTIONS"] = options
    return database


# Environment
ENVIRONMENT = env_choice("DJANGO_ENV", "development", ("development", "production"))
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", False)
if DEBUG and PRODUCTION:
    # Debug pages show settings, SQL and source to whoever causes an error.
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required in production.")
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required in production.")
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
if PRODUCTION and "*" in ALLOWED_HOSTS:
    # Any Host header accepted: canonical, hreflang and sitemap links would name the
    # host a request gave, and each such host fill the page cache with its copies.
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must name the site's hosts in production, not '*'."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Its page (templates/403_csrf.html), or JSON at the JSON endpoints.
CSRF_FAILURE_VIEW = "cnrs_intl.views.csrf_failure"

# Applications
INSTALLED_APPS = [
    # modeltranslation must come before the admin so that its tabs and fields apply.
    "modeltranslation",
    "cnrs_intl.apps.CnrsAdminConfig",  # django.contrib.admin with our dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "import_export",
    # django-axes, named in the staff's language in the admin.
    "cnrs_intl.apps.LoginProtectionConfig",
    "partners",
    "units",
    "programmes",
    "cnrs_intl",
]

MIDDLEWARE = [
    # First: every answer carries it, the 400 of a host not served included, which
    # the first middleware that reads the host raises (the HTTPS redirection, the
    # page cache's key, CommonMiddleware). Static files too, as the policy's
    # frame-ancestors.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Outside the page cache, its hits get the policy too; and outside the HTTPS
    # redirection, so does the 400 it gives a host not served. django-csp's, with
    # the admin's policy under /admin/.
    "cnrs_intl.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Around the page cache, so that it knows what a page was read from.
    "cnrs_intl.middleware.ReplicaReadsMiddleware",
    # Before the page cache, which then keys a shared link's page by its address.
    "cnrs_intl.middleware.TrackingParametersMiddleware",
    # Before sessions and authentication: a cached page needs neither.
    "cnrs_intl.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, which in the API takes the language from the
    # address; around the rest, so that their answers (a redirection, a NUL
    # refused) get the API's CORS header.
    "cnrs_intl.middleware.ApiMiddleware",
    # After the locale: its message is in the visitor's language.
    "cnrs_intl.middleware.RejectNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside CommonMiddleware, which then counts the length of the page it gives.
    "cnrs_intl.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a login it refused into its answer (a 429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cnrs_intl.urls"
WSGI_APPLICATION = "cnrs_intl.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cnrs_intl.context_processors.alternates",
                "cnrs_intl.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite in the project folder unless PostgreSQL is configured.
if env("DJANGO_DATABASE_URL"):
    DATABASES = {"default": database_from_url(env("DJANGO_DATABASE_URL"))}
elif env("DJANGO_DB_NAME"):
    DATABASES = {
        "default": {
            "ENGINE": POSTGRESQL_ENGINE,
            "NAME": env("DJANGO_DB_NAME"),
            "USER": env("DJANGO_DB_USER", ""),
            "PASSWORD": env("DJANGO_DB_PASSWORD", ""),
            "HOST": env("DJANGO_DB_HOST", ""),
            "PORT": port_numbers("DJANGO_DB_PORT", env("DJANGO_DB_PORT", ""), "5432"),
        }
    }
else:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "Production runs on PostgreSQL: set DJANGO_DATABASE_URL or DJANGO_DB_NAME."
        )
    DATABASES = {
        "default": {
            "ENGINE": "cnrs_intl.backends.sqlite3",
            "NAME": env("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # Two admin saves at once: a transaction that reads, then writes,
                # cannot wait for the other's lock and failed at once ("database is
                # locked", a 500). IMMEDIATE takes the write lock when it begins,
                # waiting for the other to finish, up to the timeout (seconds).
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DATABASES["default"]["CONN_MAX_AGE"] = env_int(
    "DJANGO_CONN_MAX_AGE", 60, "seconds", "60"
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The longest an SQL statement of a web request may run (ms) before PostgreSQL
# cancels it and the visitor gets the 503 page (cnrs_intl/views.py): a runaway
# query would hold a worker and a database connection for as long as it ran.
# Only in the web processes (cnrs_intl/wsgi.py, asgi.py): imports, generate_data and
# migrations, run by manage.py, take the time they need. 0: no limit.
STATEMENT_TIMEOUT_MS = env_int(
    "DJANGO_STATEMENT_TIMEOUT_MS", 30000, "milliseconds", "30000"
)
# The near-miss threshold of the trigram operator <% (partners/search.py), and the
# statement timeout, set at connection time: no statement per request.
connection_options = "-c pg_trgm.word_similarity_threshold=0.5"
if os.environ.get("CNRS_INTL_WEB_PROCESS") and STATEMENT_TIMEOUT_MS:
    connection_options += f" -c statement_timeout={STATEMENT_TIMEOUT_MS}"


def add_connection_options(database: dict) -> None:
    """Give a PostgreSQL database the site's connection options, then the ones its
    URL gives (?options=-c%20…), which win."""
    options = database.setdefault("OPTIONS", {})
    options["options"] = " ".join(
        filter(None, [connection_options, options.get("options")])
    )


if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    add_connection_options(DATABASES["default"])

# Read replicas (partners/replicas.py): streaming standbys of the primary, from which
# anonymous visitors' public pages are read once they have replayed the latest
# content change; everything else reads the primary.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DJANGO_DATABASE_REPLICA_URLS"), start=1):
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            "DJANGO_DATABASE_REPLICA_URLS: read replicas need PostgreSQL as the "
            "primary database (DJANGO_DATABASE_URL)."
        )
    alias = f"replica{number}"
    # Its URL's parameters (?sslmode=…), not the primary's: each URL says all.
    DATABASES[alias] = {
        **database_from_url(url, "DJANGO_DATABASE_REPLICA_URLS"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": DATABASES["default"]["CONN_HEALTH_CHECKS"],
        # Tests read the test database (its copy, on a standby), never create one.
        "TEST": {"MIRROR": "default"},
    }
    add_connection_options(DATABASES[alias])
    # A replica that does not answer is left for the primary after 2 s, not the
    # minutes of the system's TCP timeout.
    DATABASES[alias]["OPTIONS"].setdefault("connect_timeout", 2)
    DATABASE_REPLICAS.append(alias)
DATABASE_ROUTERS = ["partners.replicas.ReplicaRouter"]
# How often, at most, a process asks a replica how far it has replayed when it need
# not (to find one that went down); and how long a replica that could not be
# reached is left alone.
REPLICA_CHECK_SECONDS = env_float("DJANGO_REPLICA_CHECK_SECONDS", 1.0, "seconds", "1")
REPLICA_RETRY_SECONDS = env_float("DJANGO_REPLICA_RETRY_SECONDS", 10.0, "seconds", "10")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication. django-axes first: it refuses a username locked out before the
# password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Login protection (django-axes). After ten wrong passwords for one username, that
# username's logins are refused, the right password too, for a quarter of an hour:
# a 429 with Retry-After on the admin's login page (AdminLoginForm and
# login_refused in cnrs_intl). By username (whatever its case), not address: behind
# the proxy every visitor has the proxy's. Counted in the database, which every
# app server shares, Redis away or not; staff with the right see the attempts and
# failures in the admin and unlock a username there, or with manage.py
# axes_reset_username.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "cnrs_intl.admin_site.login_username"
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
# Never for good (axes' default without a cool-off), nor longer than Retry-After
# says: an attempt refused does not start the quarter of an hour again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cnrs_intl.admin_site.login_refused"
AXES_COOLOFF_MESSAGE = _(
    "Too many wrong passwords for this username: try again in a quarter of an hour."
)
# Each failure is kept (the attempts under way are deleted once over), at most
# 1,000 per username; `manage.py axes_reset_failure_logs --age DAYS` prunes them.
# Successful logins are not (Django keeps each user's last one).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_DISABLE_ACCESS_LOG = True
# Its pages are the back-office's own (cnrs_intl/admin.py).
AXES_ENABLE_ADMIN = False
# Its failures are logged (a warning each, the username masked), not a line at
# the start of every process and command.
AXES_VERBOSE = False
# axes.W006 wants the address among the lockout parameters, lest attackers escape
# a count by changing their browser's name: by username alone, every failure for
# it counts, whatever the browser or address; by address, every visitor behind
# the proxy would be locked out together.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Languages: French first; every public text exists in French and English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# English dates as Europe writes them (5 December 2026, 05/12/2026), not America's.
FORMAT_MODULE_PATH = ["cnrs_intl.formats"]
TIME_ZONE = "Europe/Paris"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
# A record written in one language only shows that text in the other language too.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "en")}
# The tabbed admin would otherwise load jQuery UI from a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"


def _typographic_apostrophes(name):
    """Return the translated ``name``, its apostrophes typographic (’)."""

    def translated():
        return str(name).replace("'", "’")

    return lazy(translated, str)()


# ROR and CORDIS use XK for Kosovo, which ISO 3166 has not assigned yet.
# django-countries writes "États-Unis d'Amérique" and "Côte d'Ivoire" (in English
# too) with a straight apostrophe, the site "l’étranger" and "the CNRS’s";
# searches fold both alike. They name Guyana
# "Guyane", which in French is French Guiana ("guyane" found Guyana), and misspell
# the Marshall Islands ("Îles Marshal"), and Nauru in English by its Nauruan name
# ("Naoero"). Others read as ISO's lists, not as people write them: "Bahamas (The)",
# "Eswatini (République d’)", "Trinidad et Tobago", "Palestine, État de", "Réunion,
# La", "Guatémala"; the French ones here are the official forms. People say
# "États-Unis" and "the United States" (not "États-Unis d'Amérique"), and "Îles
# Salomon" (not "Salomon"). Their former spellings still find them
# (partners.country_names.OTHER_NAMES).
COUNTRIES_OVERRIDE = {
    "XK": _("Kosovo"),
    "GY": pgettext_lazy("country", "Guyana"),
    "MH": pgettext_lazy("country", "Marshall Islands"),
    "NR": pgettext_lazy("country", "Nauru"),
    "BS": pgettext_lazy("country", "Bahamas"),
    "BZ": pgettext_lazy("country", "Belize"),
    "FM": pgettext_lazy("country", "Micronesia"),
    "GT": pgettext_lazy("country", "Guatemala"),
    "MK": pgettext_lazy("country", "North Macedonia"),
    "PS": pgettext_lazy("country", "Palestine"),
    "RE": pgettext_lazy("country", "Réunion"),
    "SA": pgettext_lazy("country", "Saudi Arabia"),
    "TL": pgettext_lazy("country", "Timor-Leste"),
    "TT": pgettext_lazy("country", "Trinidad and Tobago"),
    "WF": pgettext_lazy("country", "Wallis and Futuna"),
    "SZ": pgettext_lazy("country", "Eswatini"),
    "US": pgettext_lazy("country", "United States"),
    "SB": pgettext_lazy("country", "Solomon Islands"),
    **{code: _typographic_apostrophes(COUNTRIES[code]) for code in ("CI", "IO")},
}

# Static files, served by WhiteNoise
STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve straight from the app and project folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Cache: local memory (one process) unless DJANGO_REDIS_URL names a Redis server,
# which several app servers then share, the content version included
# (partners/caching.py).
REDIS_URL = env("DJANGO_REDIS_URL")
# Each of its servers (Django's RedisCache splits it at "," and ";"), checked here:
# redis-py's errors named no variable. The URL is not repeated (its password).
for server in filter(None, re.split("[;,]", REDIS_URL or "")):
    redis_parts = urlsplit(server.strip())
    if redis_parts.scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            "DJANGO_REDIS_URL must be a redis://, rediss:// or unix:// address, e.g. "
            f"redis://127.0.0.1:6379/0; got one beginning {redis_parts.scheme!r}."
        )
    check_url_port("DJANGO_REDIS_URL", redis_parts, "6379")
REDIS_TIMEOUT = env_float("DJANGO_REDIS_TIMEOUT", 0.5, "seconds", "0.5", positive=True)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cnrs_intl.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("DJANGO_CACHE_KEY_PREFIX", "cnrs-intl"),
            "OPTIONS": {
                # A Redis that hangs makes requests wait this long (s), not
                # redis-py's 5 s, before they go on without the cache; one on
                # loopback or the same network answers in well under a millisecond.
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                # Then Redis is left alone this long (s) before it is tried again.
                "retry_seconds": env_float(
                    "DJANGO_REDIS_RETRY_SECONDS", 5.0, "seconds", "5"
                ),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cnrs-intl",
            # A million partners make many distinct list pages: keep more than 300.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# How long an anonymous public page may be served from the cache (any content
# change invalidates it before that); 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 600, "seconds", "600")
# What each process keeps of the pages it served last, so that a hit reads only the
# content version from a shared cache (cnrs_intl/page_cache.py), in megabytes.
PAGE_CACHE_LOCAL_BYTES = (
    env_int("DJANGO_PAGE_CACHE_LOCAL_MB", 32, "megabytes", "32") * 1024 * 1024
)
# How often, at most, a page-cache hit asks the shared cache for the content version:
# another server's change reaches this one's visitors within that many seconds.
PAGE_CACHE_VERSION_SECONDS = env_float(
    "DJANGO_PAGE_CACHE_VERSION_SECONDS", 1.0, "seconds", "1"
)
# While the database cannot be reached (a 503), the last page cached for an address
# is served instead, whatever content version it was built from, if built within
# that many seconds: an older page rather than an error. 0: the 503.
PAGE_CACHE_STALE_SECONDS = env_int(
    "DJANGO_PAGE_CACHE_STALE_SECONDS", 86400, "seconds", "86400"
)

# The largest spreadsheet the admin previews for import: the preview checks and shows
# every row within one request, which the proxy's timeout bounds.
SPREADSHEET_MAX_BYTES = (
    env_int("DJANGO_SPREADSHEET_MAX_MB", 5, "megabytes", "5") * 1024 * 1024
)
SPREADSHEET_MAX_ROWS = env_int("DJANGO_SPREADSHEET_MAX_ROWS", 5000, "rows", "5000")

# The public data API (/api/, cnrs_intl/api.py): read-only JSON of published records.
# No authentication, so no session is read and answers are cached by address as the
# pages are; JSON only (the browsable API's pages would be public pages to keep
# accessible in two languages); numbers as numbers (coordinates, amounts).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "partners.csv_renderer.CsvRenderer",
        "partners.csv_renderer.XlsxRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "partners.negotiation.AddressNegotiation",
    "DEFAULT_PARSER_CLASSES": [],
    # drf-spectacular's, describing the errors and redirections too.
    "DEFAULT_SCHEMA_CLASS": "partners.openapi.PublicApiSchema",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("CNRS international cooperation API"),
    "DESCRIPTION": _(
        "Read-only data of the CNRS's cooperation abroad: partner institutions, "
        "offices, joint units, programmes, ERC and MSCA grants, projects. Published "
        "records only; texts in French and English."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models have a "kind": each its own enumeration, by its class's name.
    # (Statuses are described by their values: partners.api.choice_field.)
    "ENUM_NAME_OVERRIDES": {
        "PartnerKind": "partners.models.PartnerKind",
        "OfficeKind": "partners.models.OfficeKind",
        "AgreementKind": "partners.models.AgreementKind",
        "UnitKind": "units.models.UnitKind",
        "UnitPartnerRole": "units.models.PartnerRole",
        "ProgrammeKind": "programmes.models.ProgrammeKind",
        "GrantScheme": "programmes.models.GrantScheme",
        "ErcPanel": "programmes.models.ErcPanel",
        "ProjectKind": "programmes.models.ProjectKind",
        "SocietalChallenge": "programmes.models.SocietalChallenge",
        "CnrsRole": "programmes.models.CnrsRole",
        "ParticipantRole": "programmes.models.ParticipantRole",
    },
    # Filters and their choices come from the FilterSets, built per request.
    "COMPONENT_SPLIT_REQUEST": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partners.openapi.blank_text_either",
        "cnrs_intl.openapi.licence_and_contact",
    ],
}

# Security: HTTPS hardening in production (behind a TLS-terminating proxy).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Only staff have sessions (public pages set no cookie): a working day, not Django's
# two weeks, so that a back-office left open on a shared computer closes itself.
# A minute at least: a fraction of an hour rounded to no second logged staff out
# as soon as they logged in.
SESSION_COOKIE_AGE = max(
    60,
    round(env_float("DJANGO_SESSION_HOURS", 10.0, "hours", "10", positive=True) * 3600),
)
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp, through cnrs_intl.middleware).
# What a public page may load and run: the site's own scripts, styles, images and
# fonts, nothing inline (the templates hold no inline script or style attribute),
# nothing from another site. Should a text ever slip past escaping, its script
# would not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The admin's (under /admin/): the same, but Django's and its packages' templates
# hold style attributes, and django-import-export's export page one event handler
# (its "Select all" box), allowed by its hash alone (a package upgrade that changes
# it fails tests/browser/test_content_security_policy.py). A script slipped into a
# record shown to the staff, whose sessions may change everything, still would not
# run.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [
            SELF,
            UNSAFE_HASHES,
            # onSelectToggleChange(event)
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
        ],
        "style-src": [SELF, UNSAFE_INLINE],
    }
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        # Turned off because the proxy redirects to HTTPS itself (README): the
        # deployment checks, which cannot see the proxy, must still pass.
        SILENCED_SYSTEM_CHECKS.append("security.W008")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int(
        "DJANGO_SECURE_HSTS_SECONDS", 31536000, "seconds", "31536000"
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Set only when staff choose the back-office's language (i18n/setlang/).
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True

# Logging: everything to stderr, where gunicorn and the platform collect it.
# Each line says when (UTC), how grave, from where and which process.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "class": "cnrs_intl.logs.UtcFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
        },
    },
    "filters": {
        "without_traceback": {"()": "cnrs_intl.logs.WithoutTraceback"},
        "database_outage": {"()": "cnrs_intl.logs.DatabaseOutageInOneLine"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "utc"},
        "console_one_line": {
            "class": "logging.StreamHandler",
            "formatter": "utc",
            "filters": ["without_traceback"],
        },
    },
    "loggers": {
        # A Host header not in DJANGO_ALLOWED_HOSTS is a probe or a proxy sending
        # the wrong name: one line each (the 400 is answered), not a traceback.
        "django.security.DisallowedHost": {
            "handlers": ["console_one_line"],
            "propagate": False,
        },
        # While the database does not answer, every request's 503 in one line.
        "django.request": {"filters": ["database_outage"]},
        # django-axes: each wrong password and lockout (warnings), not the lines
        # of every login.
        "axes": {"level": "WARNING"},
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "DJANGO_LOG_LEVEL", "INFO", tuple(logging.getLevelNamesMapping())
        ),
    },
}

# Admin
SIMPLE_HISTORY_REVERT_DISABLED = False

# Spreadsheet import and export (django-import-export): the admin mixin in
# partners/admin_spreadsheets.py limits the formats to CSV and XLSX. Blank lines stay
# rows, skipped by the resources, so that the rows after one keep their line: leave
# IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES unset (XLSX would drop them).
# Every import runs in one transaction: nothing is written unless every row is valid.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Importing needs the add permission (and change: SpreadsheetAdmin checks it too);
# exporting needs the view permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# No cell of an export may run as a formula in a spreadsheet program; the resources
# (partners/resources.py) also escape text starting with +, - or @.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
