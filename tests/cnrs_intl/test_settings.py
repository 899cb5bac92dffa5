import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cnrs_intl.settings import database_from_url
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
