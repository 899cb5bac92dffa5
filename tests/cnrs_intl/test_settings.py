import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cnrs_intl.settings import (
    database_from_url,
    env_bool,
    env_choice,
    env_float,
    env_int,
)
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "international.cnrs.fr",
    "DJANGO_DATABASE_URL": "postgres://cnrs:secret@db.internal:5432/cnrs_intl",
}


def clean_environment() -> dict:
    """This process's environment without the variables the settings read."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CNRS_INTL_"))
    }


def load_settings(show="s.DEBUG, s.PRODUCTION", **overrides):
    """Import the settings in a fresh interpreter with only these DJANGO_* values."""
    environment = clean_environment()
    environment.update({k: v for k, v in overrides.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-c", f"import cnrs_intl.settings as s; print({show})"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_starts_with_its_variables():
    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_DATABASE_URL"]
)
def test_production_refuses_to_start_without(missing):
    result = load_settings(**{**PRODUCTION, missing: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing.replace("DJANGO_DATABASE_URL", "PostgreSQL") in result.stderr


def test_development_serves_the_local_addresses_without_any_variable():
    # make demo's runserver: Django refuses to start with no allowed host.
    result = load_settings("s.ALLOWED_HOSTS, s.DEBUG")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['localhost', '127.0.0.1', '[::1]', 'testserver'] False"
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "1", "DJANGO_DEBUG must be off in production"),
        ("DJANGO_ALLOWED_HOSTS", "*", "not '*'"),
        ("DJANGO_ALLOWED_HOSTS", "international.cnrs.fr,*", "not '*'"),
    ],
)
def test_production_refuses_debug_pages_and_any_host(variable, value, message):
    result = load_settings(**{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    # Development allows either.
    development = load_settings(**{variable: value})
    assert development.returncode == 0, development.stderr


@pytest.mark.parametrize(("hours", "seconds"), [(None, 36000), ("1.5", 5400)])
def test_a_staff_session_lasts_a_working_day_unless_told(hours, seconds):
    result = load_settings("s.SESSION_COOKIE_AGE", DJANGO_SESSION_HOURS=hours)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(seconds)


def test_read_replicas_are_databases_of_their_own_mirroring_the_primary_in_tests():
    show = (
        "(s.DATABASE_REPLICAS, "
        "[(a, d['HOST'], d['PORT'], d['NAME'], d.get('TEST'), d['OPTIONS'],"
        " d['CONN_MAX_AGE']) for a, d in s.DATABASES.items()])"
    )
    result = load_settings(
        show=show,
        **PRODUCTION,
        DJANGO_DATABASE_REPLICA_URLS=(
            "postgres://reader@replica-a.internal:5432/cnrs_intl,"
            "postgres://reader@replica-b.internal:5433/cnrs_intl"
        ),
    )
    assert result.returncode == 0, result.stderr
    replicas, databases = eval(result.stdout)  # the repr of lists, tuples and dicts
    assert replicas == ["replica1", "replica2"]
    assert [database[:4] for database in databases] == [
        ("default", "db.internal", "5432", "cnrs_intl"),
        ("replica1", "replica-a.internal", "5432", "cnrs_intl"),
        ("replica2", "replica-b.internal", "5433", "cnrs_intl"),
    ]
    default, *mirrors = databases
    assert default[5]["options"] == "-c pg_trgm.word_similarity_threshold=0.5"
    for mirror in mirrors:
        assert mirror[4] == {"MIRROR": "default"}
        # pg_trgm's threshold and kept connections as the primary's; a short wait
        # for a replica that does not answer.
        assert mirror[5] == {**default[5], "connect_timeout": 2}
        assert mirror[6] == default[6]


def test_read_replicas_need_postgresql_as_the_primary():
    result = load_settings(
        DJANGO_DATABASE_REPLICA_URLS="postgres://reader@replica-a.internal/cnrs_intl"
    )
    assert result.returncode != 0
    assert "read replicas need PostgreSQL" in result.stderr


def test_development_defaults_need_no_variable_and_keep_debug_off():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False"


def deploy_check(**variables):
    environment = clean_environment()
    environment.update(PRODUCTION, **variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """A STATIC_ROOT filled by production's collectstatic."""
    root = tmp_path_factory.mktemp("static")
    environment = clean_environment()
    environment.update(PRODUCTION, DJANGO_STATIC_ROOT=str(root))
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return str(root)


def test_production_passes_the_deployment_checks(redis_url, collected_static):
    result = deploy_check(
        DJANGO_REDIS_URL=redis_url, DJANGO_STATIC_ROOT=collected_static
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checks_ask_for_collectstatic(tmp_path):
    # Without the manifest every page fails (the error page too) while /healthz
    # answers 200.
    result = deploy_check(
        DJANGO_PAGE_CACHE_SECONDS="0", DJANGO_STATIC_ROOT=str(tmp_path)
    )
    assert result.returncode != 0
    assert "cnrs_intl.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_the_deployment_checks_ask_for_collectstatic_again_for_new_files(
    collected_static, tmp_path
):
    # Collected for the release before: a page naming a file added since fails.
    root = tmp_path / "static"
    shutil.copytree(collected_static, root)
    manifest = json.loads((root / "staticfiles.json").read_text())
    del manifest["paths"]["css/site.css"]
    (root / "staticfiles.json").write_text(json.dumps(manifest))
    result = deploy_check(DJANGO_PAGE_CACHE_SECONDS="0", DJANGO_STATIC_ROOT=str(root))
    assert result.returncode != 0
    assert "cnrs_intl.E002" in result.stderr
    assert "collected before they were added: css/site.css." in result.stderr


def test_the_deployment_checks_ask_redis_whether_it_answers(collected_static):
    port = free_port()
    nobody = f"redis://:s3cret@127.0.0.1:{port}/0"
    result = deploy_check(DJANGO_REDIS_URL=nobody, DJANGO_STATIC_ROOT=collected_static)
    assert result.returncode != 0
    assert "cnrs_intl.W003" in result.stderr
    # Named without its password: the output goes to deployment logs.
    assert f"redis://127.0.0.1:{port}/0" in result.stderr
    assert "s3cret" not in result.stdout + result.stderr


def test_a_proxy_that_redirects_to_https_itself_passes_the_checks(collected_static):
    result = deploy_check(
        DJANGO_PAGE_CACHE_SECONDS="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=collected_static,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_host_not_served_is_logged_in_one_line(collected_static):
    request = (
        "import django; django.setup(); from django.test import Client; "
        "client = Client(raise_request_exception=False); "
        "print(client.get('/healthz', HTTP_HOST='evil.example').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", request],
        cwd=ROOT,
        env={
            **clean_environment(),
            **PRODUCTION,
            "DJANGO_SETTINGS_MODULE": "cnrs_intl.settings",
            "DJANGO_STATIC_ROOT": collected_static,
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "400", result.stderr
    assert "Invalid HTTP_HOST header: 'evil.example'" in result.stderr
    # Scanners send such requests all day: no traceback for each.
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_redis_that_hangs_is_given_up_on_quickly():
    show = 's.CACHES["default"]["OPTIONS"]'
    redis_url = "redis://cache.internal:6379/0"
    result = load_settings(show, **PRODUCTION, DJANGO_REDIS_URL=redis_url)
    assert result.returncode == 0, result.stderr
    # redis-py waits 5 s by default: each request would, while Redis hangs.
    assert result.stdout.strip() == (
        "{'socket_connect_timeout': 0.5, 'socket_timeout': 0.5, 'retry_seconds': 5.0}"
    )
    result = load_settings(
        show,
        **PRODUCTION,
        DJANGO_REDIS_URL=redis_url,
        DJANGO_REDIS_TIMEOUT="0.2",
        DJANGO_REDIS_RETRY_SECONDS="30",
    )
    assert result.stdout.strip() == (
        "{'socket_connect_timeout': 0.2, 'socket_timeout': 0.2, 'retry_seconds': 30.0}"
    )


def test_web_requests_have_their_statements_limited_and_manage_py_not():
    show = 's.DATABASES["default"]["OPTIONS"]["options"]'
    web = load_settings(show, **PRODUCTION, CNRS_INTL_WEB_PROCESS="1")
    assert web.returncode == 0, web.stderr
    assert web.stdout.split() == [
        "-c",
        "pg_trgm.word_similarity_threshold=0.5",
        "-c",
        "statement_timeout=30000",
    ]
    # manage.py: imports, generate_data, migrations.
    command = load_settings(show, **PRODUCTION)
    assert "statement_timeout" not in command.stdout
    longer = load_settings(
        show,
        **PRODUCTION,
        CNRS_INTL_WEB_PROCESS="1",
        DJANGO_STATEMENT_TIMEOUT_MS="5000",
    )
    assert "statement_timeout=5000" in longer.stdout
    unlimited = load_settings(
        show, **PRODUCTION, CNRS_INTL_WEB_PROCESS="1", DJANGO_STATEMENT_TIMEOUT_MS="0"
    )
    assert "statement_timeout" not in unlimited.stdout


@pytest.mark.parametrize("entry_point", ["wsgi", "asgi"])
def test_the_web_applications_are_web_processes(entry_point):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import cnrs_intl.{entry_point}; from django.conf import settings; "
            "print(settings.DATABASES['default']['OPTIONS']['options'])",
        ],
        cwd=ROOT,
        env={**clean_environment(), **PRODUCTION},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "statement_timeout=30000" in result.stdout


def test_production_warns_when_workers_would_not_share_the_page_cache(
    collected_static,
):
    result = deploy_check(DJANGO_STATIC_ROOT=collected_static)
    assert result.returncode != 0
    assert "cnrs_intl.W001" in result.stdout + result.stderr
    unshared = deploy_check(
        DJANGO_PAGE_CACHE_SECONDS="0", DJANGO_STATIC_ROOT=collected_static
    )
    assert unshared.returncode == 0, unshared.stderr


def test_database_url_is_split_into_its_parts():
    database = database_from_url("postgresql://derci:s%40cret@localhost:5433/cnrs")
    assert database == {
        "ENGINE": "cnrs_intl.backends.postgresql",
        "NAME": "cnrs",
        "USER": "derci",
        "PASSWORD": "s@cret",
        "HOST": "localhost",
        "PORT": "5433",
    }


def test_production_collects_and_hashes_every_static_file(collected_static):
    # The manifest storage follows every url() and sourceMappingURL: one missing
    # file (a vendored library's source map) would stop a deployment (the fixture
    # asserts that collectstatic succeeded).
    manifest = Path(collected_static) / "staticfiles.json"
    assert '"favicon.svg"' in manifest.read_text()


# Values that cannot be read


@pytest.mark.parametrize(
    ("value", "read"),
    [("1", True), ("TRUE", True), (" Yes ", True), ("on", True)]
    + [("0", False), ("False", False), ("NO ", False), ("off", False)]
    + [(None, "default"), ("", "default"), ("  ", "default")],
)
def test_a_switch_is_on_or_off_in_any_case(monkeypatch, value, read):
    if value is not None:
        monkeypatch.setenv("DJANGO_TEST_SWITCH", value)
    for default in (True, False):
        expected = default if read == "default" else read
        assert env_bool("DJANGO_TEST_SWITCH", default) is expected


def test_a_switch_mistyped_is_refused_not_taken_as_off(monkeypatch):
    monkeypatch.setenv("DJANGO_TEST_SWITCH", "flase")
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("DJANGO_TEST_SWITCH", True)
    assert str(refused.value) == (
        "DJANGO_TEST_SWITCH must be 1, true, yes or on, or 0, false, no or off; "
        "got 'flase'."
    )


def test_numbers_and_choices_read_as_before(monkeypatch):
    for name, value in {
        "DJANGO_TEST_INT": " 0 ",
        "DJANGO_TEST_FLOAT": "1.5",
        "DJANGO_TEST_CHOICE": "warning",
    }.items():
        monkeypatch.setenv(name, value)
    assert env_int("DJANGO_TEST_INT", 60, "seconds", "60") == 0
    assert env_float("DJANGO_TEST_FLOAT", 10.0, "hours", "10") == 1.5
    levels = ("DEBUG", "INFO", "WARNING")
    assert env_choice("DJANGO_TEST_CHOICE", "INFO", levels) == "WARNING"
    # Unset: the default.
    assert env_int("DJANGO_TEST_UNSET", 60, "seconds", "60") == 60
    assert env_float("DJANGO_TEST_UNSET", 0.5, "seconds", "0.5") == 0.5
    assert env_choice("DJANGO_TEST_UNSET", "INFO", levels) == "INFO"


def test_production_defaults_are_unchanged():
    show = (
        "s.DATABASES['default']['CONN_MAX_AGE'], s.STATEMENT_TIMEOUT_MS, "
        "s.SESSION_COOKIE_AGE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.PAGE_CACHE_SECONDS, s.PAGE_CACHE_LOCAL_BYTES, "
        "s.PAGE_CACHE_VERSION_SECONDS, s.PAGE_CACHE_STALE_SECONDS, "
        "s.SPREADSHEET_MAX_BYTES, s.SPREADSHEET_MAX_ROWS, s.REPLICA_CHECK_SECONDS, "
        "s.REPLICA_RETRY_SECONDS, s.REDIS_TIMEOUT, s.LOGGING['root']['level']"
    )
    result = load_settings(show, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.split()
        == (
            "60 30000 36000 True 31536000 600 33554432 1.0 86400 5242880 5000 1.0 "
            "10.0 0.5 INFO"
        ).split()
    )
    # A level in any case.
    result = load_settings("s.LOGGING['root']['level']", DJANGO_LOG_LEVEL="warning")
    assert result.stdout.strip() == "WARNING", result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "DJANGO_SESSION_HOURS",
            "abc",
            "must be a number of hours (more than 0), e.g. 10; got 'abc'.",
        ),
        (
            "DJANGO_CONN_MAX_AGE",
            "1m",
            "must be a whole number of seconds (0 or more), e.g. 60; got '1m'.",
        ),
        (
            "DJANGO_SECURE_HSTS_SECONDS",
            "1y",
            "must be a whole number of seconds (0 or more), e.g. 31536000; got '1y'.",
        ),
        (
            "DJANGO_PAGE_CACHE_SECONDS",
            "10m",
            "must be a whole number of seconds (0 or more), e.g. 600; got '10m'.",
        ),
        ("DJANGO_STATEMENT_TIMEOUT_MS", "-1", "(0 or more), e.g. 30000; got '-1'."),
        ("DJANGO_SPREADSHEET_MAX_MB", "5.5", "whole number of megabytes"),
        ("DJANGO_PAGE_CACHE_VERSION_SECONDS", "nan", "must be a number of seconds"),
        (
            "DJANGO_REDIS_TIMEOUT",
            "x",
            "must be a number of seconds (more than 0), e.g. 0.5; got 'x'.",
        ),
        ("DJANGO_REDIS_TIMEOUT", "0", "(more than 0)"),
        (
            "DJANGO_LOG_LEVEL",
            "bogus",
            "must be one of CRITICAL, FATAL, ERROR, WARN, WARNING, INFO, DEBUG, "
            "NOTSET; got 'bogus'.",
        ),
        (
            "DJANGO_REDIS_URL",
            "http://x",
            "must be a redis://, rediss:// or unix:// address, e.g. "
            "redis://127.0.0.1:6379/0; got one beginning 'http'.",
        ),
        (
            "DJANGO_REDIS_URL",
            "redis://:s3cret@cache.internal:6x/0",
            ": the port must be a number from 1 to 65535, e.g. 6379; got '6x'.",
        ),
        (
            "DJANGO_SECURE_SSL_REDIRECT",
            "flase",
            "must be 1, true, yes or on, or 0, false, no or off; got 'flase'.",
        ),
        ("DJANGO_ENV", "prod", "must be one of development, production; got 'prod'."),
        (
            "DJANGO_DATABASE_URL",
            "postgres://cnrs:s3cret@db.internal:5x/cnrs_intl",
            ": the port must be a number from 1 to 65535, e.g. 5432; got '5x'.",
        ),
        (
            "DJANGO_DATABASE_URL",
            "postgres://cnrs:s3cret@db.internal/cnrs_intl?sslmod=require",
            ": 'sslmod' is not a PostgreSQL connection parameter",
        ),
        (
            "DJANGO_DATABASE_REPLICA_URLS",
            "postgres://cnrs:s3cret@replica.internal:5x/cnrs_intl",
            ": the port must be a number",
        ),
        ("DJANGO_DB_PORT", "5x", ": the port must be a number"),
    ],
)
def test_a_value_that_cannot_be_read_stops_the_start_naming_its_variable(
    variable, value, message
):
    variables = {**PRODUCTION, variable: value}
    if variable == "DJANGO_DB_PORT":
        variables.update(DJANGO_DATABASE_URL=None, DJANGO_DB_NAME="cnrs_intl")
    result = load_settings(**variables)
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith(f"django.core.exceptions.ImproperlyConfigured: {variable}")
    assert message in error
    # Not a bare ValueError after it, nor a password in the deployment's logs.
    assert "ValueError" not in result.stderr
    assert "s3cret" not in result.stderr


# Database URLs


def test_a_database_url_passes_libpq_parameters_on_to_psycopg():
    database = database_from_url(
        "postgres://cnrs:s3cret@db.internal:5432/cnrs_intl?sslmode=verify-full"
        "&sslrootcert=%2Fetc%2Fssl%2Fcnrs-ca.pem&connect_timeout=5"
        "&application_name=cnrs+intl&target_session_attrs=read-write"
        "&options=-c%20search_path%3Dcnrs"
    )
    assert database["HOST"] == "db.internal"
    assert database["OPTIONS"] == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/ssl/cnrs-ca.pem",
        "connect_timeout": "5",
        # As libpq decodes a URL: "+" is a plus sign.
        "application_name": "cnrs+intl",
        "target_session_attrs": "read-write",
        "options": "-c search_path=cnrs",
    }


def test_a_database_urls_query_may_give_the_host_and_port_as_in_libpq():
    database = database_from_url(
        "postgresql:///cnrs_intl?host=%2Frun%2Fpostgresql&port=5433&user=cnrs"
    )
    assert {k: database[k] for k in ("NAME", "USER", "HOST", "PORT")} == {
        "NAME": "cnrs_intl",
        "USER": "cnrs",
        "HOST": "/run/postgresql",
        "PORT": "5433",
    }
    assert "OPTIONS" not in database


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?sslmod=require", "'sslmod' is not a PostgreSQL connection parameter"),
        ("?isolation_level=1", "'isolation_level' is not a PostgreSQL connection"),
        ("?sslmode", "'sslmode' has no value (sslmode=…)."),
        ("?sslmode=require&sslmode=disable", "'sslmode' is given twice."),
        ("?client_encoding=LATIN1", "client_encoding cannot be chosen"),
        ("?port=54x", "the port must be a number from 1 to 65535, e.g. 5432"),
    ],
)
def test_a_database_urls_query_that_libpq_would_not_read_is_refused(query, message):
    for variable in ("DJANGO_DATABASE_URL", "DJANGO_DATABASE_REPLICA_URLS"):
        with pytest.raises(ImproperlyConfigured) as refused:
            database_from_url(
                f"postgres://cnrs:s3cret@db.internal/cnrs_intl{query}", variable
            )
        assert str(refused.value).startswith(f"{variable}: {message}")
        assert "s3cret" not in str(refused.value)


def test_the_urls_parameters_reach_the_primary_and_each_replica_its_own():
    show = "{a: d['OPTIONS'] for a, d in s.DATABASES.items()}"
    result = load_settings(
        show,
        **{
            **PRODUCTION,
            "DJANGO_DATABASE_URL": PRODUCTION["DJANGO_DATABASE_URL"]
            + "?sslmode=require&application_name=cnrs-intl"
            "&options=-c%20search_path%3Dcnrs",
        },
        DJANGO_DATABASE_REPLICA_URLS=(
            "postgres://reader@replica-a.internal/cnrs_intl?sslmode=verify-full,"
            "postgres://reader@replica-b.internal/cnrs_intl?connect_timeout=10"
        ),
        CNRS_INTL_WEB_PROCESS="1",
    )
    assert result.returncode == 0, result.stderr
    site = "-c pg_trgm.word_similarity_threshold=0.5 -c statement_timeout=30000"
    assert eval(result.stdout) == {  # the repr of a dict of dicts
        "default": {
            "sslmode": "require",
            "application_name": "cnrs-intl",
            # The site's, then the URL's, which win.
            "options": f"{site} -c search_path=cnrs",
        },
        "replica1": {"sslmode": "verify-full", "options": site, "connect_timeout": 2},
        "replica2": {"connect_timeout": "10", "options": site},
    }


def run_with_database(url: str, script: str):
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env={
            **clean_environment(),
            "DJANGO_SETTINGS_MODULE": "cnrs_intl.settings",
            "DJANGO_DATABASE_URL": url,
        },
        capture_output=True,
        text=True,
    )


@pytest.mark.postgresql
def test_postgresql_is_reached_with_the_urls_parameters():
    url = os.environ.get("DJANGO_DATABASE_URL")  # scripts/pg-throwaway.sh's
    if not url:
        pytest.skip("needs DJANGO_DATABASE_URL")
    show = (
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('SHOW application_name'); print(cursor.fetchone()[0])"
    )
    result = run_with_database(f"{url}?application_name=cnrs-intl-qa", show)
    assert result.stdout.strip() == "cnrs-intl-qa", result.stderr
    # The throw-away server has no TLS: asked to require it, psycopg refuses to
    # connect without (it connected in clear before).
    refused = run_with_database(f"{url}?sslmode=require", show)
    assert refused.returncode != 0
    assert "server does not support SSL" in refused.stderr


def test_a_database_that_does_not_answer_is_logged_in_one_line_a_request(
    collected_static,
):
    request = (
        "from django.test import Client; "
        "client = Client(raise_request_exception=False); "
        "print(client.get('/en/units/', HTTP_HOST='international.cnrs.fr', "
        "secure=True).status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {request}"],
        cwd=ROOT,
        env={
            **clean_environment(),
            **PRODUCTION,
            "DJANGO_SETTINGS_MODULE": "cnrs_intl.settings",
            "DJANGO_STATIC_ROOT": collected_static,
            "DJANGO_DATABASE_URL": f"postgres://cnrs@127.0.0.1:{free_port()}/cnrs",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "503", result.stderr
    # Each request of an outage logged ~100 lines: psycopg's traceback and Django's.
    (line,) = result.stderr.strip().splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ERROR django\.request \[\d+\] "
        r"Service Unavailable: /en/units/ \(OperationalError: connection failed: "
        r".*Connection refused\)",
        line,
    ), line
