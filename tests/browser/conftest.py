"""Browser tests: Playwright's sync API driving Debian's Chromium against live_server.

Everything under tests/browser/ gets the ``browser`` marker, so ``pytest -m browser``
runs these tests and ``pytest -m "not browser"`` leaves them out.

Fixtures:
- ``browser``: one headless Chromium for the package (Debian's ``chromium`` on the
  PATH, never a browser downloaded by ``playwright install``). When it is missing
  the tests are skipped, or fail when ``CI=true``.
- ``page``: a new browser context per test, its base URL set to ``live_server.url``
  (so ``page.goto("/fr/")`` works), on a transactional database so that the live
  server sees what the test writes. Every request leaving the site is recorded in
  ``external_requests`` and fails; a test that made one errors at teardown.
  Chromium sends every request but the loopback's to a proxy that is a closed
  port (``_closed_port``): nothing reaches the network, nor even a DNS server.
  No route handler: Playwright's routes turn the browser's cache off, and each
  page then fetched its 25-30 static files again (5 times the live server's
  requests in the admin's pages).
- ``axe``: ``axe(page)`` runs axe-core (shipped inside axe-playwright-python, no
  network) on the page and fails with a readable list of the violations.

Each transactional test ends with a flush, after which Django sends post_migrate:
content types, permissions and the role groups made again, some 0.3 s a test. Here
the rows they make are written once, then put back as they were after each flush
(``_post_migrate_rows_put_back``): the same rows, a few inserts.

Playwright's sync API keeps an asyncio event loop running in the main thread, which
makes Django refuse ORM calls ("You cannot call this from an async context"). The
``browser`` fixture sets DJANGO_ALLOW_ASYNC_UNSAFE only while Playwright runs, that
is for the browser tests of this package, and restores it afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BROWSER_TESTS_DIR = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Hosts that belong to the site under test; anything else is "leaving the site".
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser/ with ``browser`` (before -m selects)."""
    for item in items:
        if BROWSER_TESTS_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        message = (
            "Debian's Chromium is not installed (apt-get install -y chromium); "
            "`make test` installs it when run as root"
        )
        if _in_ci():
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="package")
def _closed_port() -> Iterator[int]:
    """A loopback port bound but never listening: a connection to it is refused,
    and no other program can listen on it while the browser runs."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        yield closed.getsockname()[1]


@pytest.fixture(scope="package")
def browser(chromium_path, _closed_port):
    from playwright.sync_api import sync_playwright

    env = pytest.MonkeyPatch()
    env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path,
            # Chromium sends the loopback's requests directly, never to a proxy.
            args=[*CHROMIUM_ARGS, f"--proxy-server=http://127.0.0.1:{_closed_port}"],
            headless=True,
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        env.undo()


def _tables_in_dependency_order(tables: set[str]) -> list[str]:
    """``tables`` ordered so that a table comes after those its foreign keys name."""
    from django.apps import apps

    models = {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
    }
    ordered: list[str] = []

    def visit(table: str, seen: frozenset = frozenset()) -> None:
        if table in ordered or table in seen:
            return
        model = models.get(table)
        if model is not None:
            for field in model._meta.concrete_fields:
                if field.remote_field is not None:
                    visit(field.related_model._meta.db_table, seen | {table})
        if table in tables:
            ordered.append(table)

    for table in sorted(tables):
        visit(table)
    return ordered


@pytest.fixture(scope="package", autouse=True)
def _post_migrate_rows_put_back():
    """After a flush, put back the rows post_migrate made after the first one.

    The first flush sends post_migrate as Django does; the rows then in the emptied
    database (content types, permissions, the role groups and theirs) are what it
    writes. Later flushes write those very rows again, in place of the signal: the
    same database after each test, in a few inserts rather than the handlers'
    hundreds of queries.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.commands import flush
    from django.db import connections, transaction

    real_emit = flush.emit_post_migrate_signal
    written: dict[str, list[tuple[str, list[str], list[tuple]]]] = {}

    def emit_post_migrate_signal(verbosity, interactive, db, **kwargs):
        connection = connections[db]
        if db not in written:
            real_emit(verbosity, interactive, db, **kwargs)
            quote = connection.ops.quote_name
            rows = {}
            with connection.cursor() as cursor:
                for table in connection.introspection.django_table_names(
                    only_existing=True, include_views=False
                ):
                    cursor.execute(f"SELECT * FROM {quote(table)}")
                    if found := cursor.fetchall():
                        columns = [column[0] for column in cursor.description]
                        rows[table] = (columns, found)
            written[db] = [
                (table, *rows[table])
                for table in _tables_in_dependency_order(set(rows))
            ]
            return
        quote = connection.ops.quote_name
        with transaction.atomic(using=db), connection.cursor() as cursor:
            for table, columns, found in written[db]:
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))})"
                    f" VALUES ({', '.join(['%s'] * len(columns))})",
                    found,
                )
        ContentType.objects.clear_cache()

    flush.emit_post_migrate_signal = emit_post_migrate_signal
    try:
        yield
    finally:
        flush.emit_post_migrate_signal = real_emit


@pytest.fixture
def external_requests() -> list[str]:
    """The URLs outside the site that the page tried to fetch (all were aborted)."""
    return []


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return True  # data:, blob:, about: never leave the machine
    return (parts.hostname or "") in LOCAL_HOSTS


@contextmanager
def guarded_page(browser, base_url: str, external_requests: list[str]):
    """Open a page in a new browser context that records outside requests (which
    fail: the ``browser`` fixture's proxy is a closed port)."""
    context = browser.new_context(base_url=base_url, service_workers="block")

    def record(request):
        if not _is_local(request.url):
            external_requests.append(request.url)

    context.on("request", record)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server, transactional_db, external_requests):
    with guarded_page(browser, live_server.url, external_requests) as page:
        yield page
    if external_requests:
        pytest.fail(
            "The page tried to leave the site (requests aborted):\n  "
            + "\n  ".join(external_requests),
            pytrace=False,
        )


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" [{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"][:10]:
            target = ", ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
            if summary:
                lines.append(f"      {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture
def axe() -> Callable[..., dict]:
    """``axe(page, context=None, options=None)``: assert axe-core finds nothing."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page, context=None, options: dict | None = None) -> dict:
        # A page just navigated to by a click: its address may have changed before
        # its document is read (seen after an admin form's "save and continue":
        # no main landmark, no h1, the new page half parsed).
        page.wait_for_load_state("load")
        run_options = {"resultTypes": ["violations"], **(options or {})}
        results = checker.run(page, context=context, options=run_options)
        violations = results.response["violations"]
        assert results.violations_count == 0, _format_violations(page.url, violations)
        return results.response

    return check


@pytest.fixture
def staff_page(page, language):
    """The page, logged in as a superuser, asking for the admin in ``language``."""
    from django.contrib.auth.models import User

    User.objects.create_superuser("audit", password="audit-password")
    page.set_extra_http_headers({"Accept-Language": language})
    log_in(page, "audit", "audit-password")
    return page


def log_in(page, username: str, password: str) -> None:
    """Log in to the back office with its form, as a member of staff would."""
    from playwright.sync_api import expect

    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form [type=submit]")
    expect(page.locator("#content h1")).to_be_visible()


def focus_by_tabbing(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}", pytrace=False)


def click_marker(page, marker, attempts: int = 5) -> None:
    """Click the map marker ``marker`` until its popup opens.

    The map zooms to fit its markers once drawn (Leaflet's fitBounds, animated a
    frame later); a click made just before that moves the marker lands where the
    marker no longer is. A visitor clicks again; so does this, once the map has
    settled, at most ``attempts`` times.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError, expect

    popup = page.locator(".leaflet-popup")
    for _ in range(attempts - 1):
        marker.click()
        try:
            popup.wait_for(state="visible", timeout=2000)
            return
        except PlaywrightTimeoutError:
            continue
    marker.click()
    expect(popup).to_be_visible()


@pytest.fixture
def tab_order() -> Callable[..., Iterator[dict]]:
    """``tab_order(page, limit)``: press Tab and yield what has the focus each time."""

    def walk(page, limit: int = 60) -> Iterator[dict]:
        for _ in range(limit):
            page.keyboard.press("Tab")
            yield page.evaluate(
                """() => {
                    const el = document.activeElement;
                    if (!el || el === document.body) return {tag: "body"};
                    const box = el.getBoundingClientRect();
                    return {
                        tag: el.tagName.toLowerCase(),
                        id: el.id,
                        className: el.className,
                        href: el.getAttribute("href"),
                        text: (el.innerText || el.value || "").trim().slice(0, 80),
                        width: box.width,
                        height: box.height,
                    };
                }"""
            )

    return walk
