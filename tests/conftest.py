import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from cnrs_intl.page_cache import forget_recent_pages
from partners.caching import forget_recent_version

# The fixtures through which a test reaches the suite's database (besides the mark).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "admin_client",
        "admin_user",
        "django_user_model",
    }
)


def pytest_collection_modifyitems(config, items):
    """With ``CNRS_DATABASE_TESTS_ONLY=1``, leave out the tests that never reach the
    suite's database: `make test`'s PostgreSQL run, as its SQLite run has them
    (scripts/test-all.sh). pytest-django refuses the database to any other test.
    """
    if os.environ.get("CNRS_DATABASE_TESTS_ONLY") != "1":
        return
    kept, left_out = [], []
    for item in items:
        reaches = item.get_closest_marker("django_db") or (
            DATABASE_FIXTURES & set(item.fixturenames)
        )
        (kept if reaches else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def _migrations_digest() -> str:
    """A digest of every migration file and of the installed apps."""
    from django.apps import apps

    digest = hashlib.sha256()
    for app in apps.get_app_configs():
        digest.update(app.label.encode())
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def _sqlite_migrated_once():
    """With ``CNRS_TEST_SQLITE_MIGRATED=folder`` (scripts/test-all.sh), the SQLite
    runs migrate their in-memory test database once between them: the first copies
    it, migrated (its post_migrate rows too), into the folder; the others copy it
    back in place of the migrations (12-17 s a run), provided no migration changed.
    """
    from django.core.management.commands import migrate
    from django.db import connections

    folder = os.environ.get("CNRS_TEST_SQLITE_MIGRATED")
    real_handle = migrate.Command.handle

    def handle(self, *args, **options):
        migrate.Command.handle = real_handle  # the test database's migrate only
        connection = connections[options["database"]]
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            return real_handle(self, *args, **options)
        saved = Path(folder) / f"migrated-{_migrations_digest()}.sqlite3"
        connection.ensure_connection()
        if saved.exists():
            with closing(sqlite3.connect(saved)) as source:
                source.backup(connection.connection)
            return None
        result = real_handle(self, *args, **options)
        partial = saved.with_suffix(f".{os.getpid()}.partial")
        with closing(sqlite3.connect(partial)) as copy:
            connection.connection.backup(copy)
        partial.replace(saved)
        return result

    if folder:
        migrate.Command.handle = handle
    try:
        yield
    finally:
        migrate.Command.handle = real_handle


@pytest.fixture(scope="session")
def django_db_setup(_sqlite_migrated_once, django_db_setup):
    """pytest-django's, after ``_sqlite_migrated_once``."""
    yield


@pytest.fixture(autouse=True)
def _fast_and_french(settings):
    """Hash passwords cheaply and start every test in French, the default language."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test starts with an empty cache: no page cached by an earlier test, not
    # even in a live server's own store of recent pages.
    cache.clear()
    forget_recent_version()
    forget_recent_pages()
    with translation.override("fr"):
        yield


@pytest.fixture
def uncached(settings):
    """Pages and API answers built each time, as the query counts measure views."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def unit_with_relations(db):
    """A unit with a host, a partner institution and a secondary institute, written
    in one edit (one version holding its relations)."""
    from partners.history import one_version_per_edit
    from tests.factories import InstituteFactory, UnitFactory, UnitPartnershipFactory
    from units.models import PartnerRole

    with one_version_per_edit():
        unit = UnitFactory()
        UnitPartnershipFactory(unit=unit, role=PartnerRole.HOST, order=0)
        UnitPartnershipFactory(unit=unit, role=PartnerRole.PARTNER, order=1)
        unit.secondary_institutes.add(InstituteFactory(code="INSU"))
    return unit


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A throw-away redis-server on a free loopback port (Debian's, which `make test`
    installs when root). Without it the tests using it skip, and fail under CI=true."""
    server = shutil.which("redis-server")
    if not server:
        message = "redis-server is not installed (apt-get install -y redis-server)"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)
