"""One version number for all public content, so caches never show stale pages.

Every cached public page and every cached aggregate (partners per country, the home
page's counts) is stored with the content version it was built from, and is used
only while that version is current. Any change to public content (a save or delete
in the admin, an import, a merge, a revert) takes a new version once its transaction
commits: everything cached before is then ignored, and ages out of the cache.

One version for everything is coarse, but a page shows many kinds of records (a
unit page shows partners, grants, projects, testimonies): per-record invalidation
would have to know every page a record appears on. Content changes a few hundred
times a day; pages are read far more often.

With read replicas, every version carries the primary's WAL position when it was
made, and pages are read from a replica only once it has replayed that far; a version
made earlier never replaces one made later (partners/replicas.py).

The version lives in the cache itself (Redis when ``DJANGO_REDIS_URL`` is set), so
all app servers sharing that cache see a change at once. With the default
local-memory cache each process has its own version and its own pages; a change
made by another process on the same machine (a command such as ``generate_data``
or ``import_ror`` beside ``runserver``, another gunicorn worker) reaches it through
a file it touches (``LocalChanges``): the process then makes a version of its own.
Servers on other machines do not share that file: they need Redis (the
``cnrs_intl.W001`` check says so in production).
"""

import functools
import hashlib
import logging
import os
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connections, transaction
from django.utils.translation import get_language

from partners import replicas

VERSION_KEY = "content-version"
# The version this process read or made last, and when (time.monotonic()).
_seen = (None, 0.0)
# Content apps whose saves and deletes change public pages.
CONTENT_APPS = frozenset({"partners", "units", "programmes", "cnrs_intl"})
# Models of those apps that never show on a public page.
PRIVATE_MODELS = frozenset(
    {
        "cnrs_intl.staffprofile",
        "cnrs_intl.historicalstaffprofile",
        "cnrs_intl.historicalstaffprofile_institutes",
        "partners.previewedimport",
    }
)


logger = logging.getLogger(__name__)


class LocalChanges:
    """The changes other processes of this machine made to a database's content,
    told through the modification time of a file, for local-memory caches.

    A process that changes content touches the file (``announce``); one that sees
    its time differ from what it last saw (``seen_elsewhere``: one ``stat``, a few
    microseconds) makes a new version of its own, without touching the file again.
    The file is named after the database (its engine, host, port and name): a test
    run's database is told nothing of the demo's, nor of a test run beside it.
    """

    def __init__(self):
        self._seen = {}  # path: modification time (ns) last seen or made here
        self._lock = threading.Lock()

    @staticmethod
    def path() -> Path:
        connection = connections["default"]
        db = connection.settings_dict
        named = repr((db["ENGINE"], db.get("HOST"), db.get("PORT"), str(db["NAME"])))
        if getattr(connection, "is_in_memory_db", lambda: False)():
            # SQLite in memory (the tests'): no other process sees this database,
            # and two test runs at once share its name.
            named += f"@{os.getpid()}"
        return _changes_file(named)

    def seen_elsewhere(self) -> bool:
        """Tell whether another process changed content since this one looked."""
        path = self.path()
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:  # no process has changed content yet
            stamp = None
        with self._lock:
            seen = self._seen.get(path, _UNSEEN)
            self._seen[path] = stamp
        # A process's first look only starts its watch: its cache starts empty.
        return seen is not _UNSEEN and stamp != seen

    def announce(self) -> None:
        """Tell the other processes of this machine that content changed."""
        path = self.path()
        with self._lock:
            # Never the time last seen: two changes within the clock's step.
            stamp = max(time.time_ns(), (self._seen.get(path) or 0) + 1)
            try:
                path.touch()
                os.utime(path, ns=(stamp, stamp))
            except OSError as error:  # a read-only /tmp: one process only, then
                logger.warning("Other processes cannot be told of changes: %s", error)
                return
            self._seen[path] = stamp

    def forget(self) -> None:
        with self._lock:
            self._seen.clear()


@functools.lru_cache(maxsize=16)
def _changes_file(database: str) -> Path:
    """The file of changes of ``database`` (read at every version: hashed once)."""
    digest = hashlib.sha256(database.encode()).hexdigest()[:16]
    return _machine_temporary_directory() / f"cnrs-intl-content-{digest}"


@functools.cache
def _machine_temporary_directory() -> Path:
    """The temporary directory the processes of this machine agree on, read once:
    not a folder of its own a task later sets (``tempfile.tempdir``)."""
    return Path(tempfile.gettempdir())


_UNSEEN = object()
local_changes = LocalChanges()


def _is_local_memory() -> bool:
    return isinstance(caches["default"], LocMemCache)


def content_version() -> str:
    """Return the current content version, creating one when the cache has none."""
    return _current(cache.get(VERSION_KEY))


# The reconnections of each shared cache (by location) this process has seen
# (cnrs_intl/redis_cache.py).
_reconnections_seen = {}


def _current(version: str | None) -> str:
    """Return ``version``, read from the shared cache, or a new one when the cache
    has none or has just come back from an outage.

    After an outage: a change made while the cache was unreachable could not make
    a new version, so what was cached before may be stale. Any process that saw the
    outage makes one new version (a few processes may each make one: harmless).
    """
    reconnections = getattr(cache, "reconnections", None)  # Redis only
    if reconnections is not None:
        location = cache.location
        if reconnections != _reconnections_seen.get(location, 0):
            _reconnections_seen[location] = reconnections
            return new_version()
    elif _is_local_memory() and local_changes.seen_elsewhere():
        return new_version(announce=False)  # made elsewhere: told already
    return version if version is not None else new_version()


def recent_content_version(max_age: float) -> str:
    """Return the content version as this process saw it at most ``max_age`` s ago.

    Spares a page-cache hit its round trip to the shared cache. A change made by
    another process reaches this one within ``max_age``; this process's own changes
    at once (``new_version`` records them). 0 reads the shared cache every time.
    """
    global _seen
    version, seen_at = _seen
    now = time.monotonic()
    if version is None or now - seen_at >= max_age:
        version = content_version()
        _seen = (version, now)
    return version


def forget_recent_version() -> None:
    """Make the next ``recent_content_version`` read the shared cache."""
    global _seen
    _seen = (None, 0.0)
    local_changes.forget()


def new_version(announce: bool = True) -> str:
    """Make a new content version, with the WAL position of the primary if replicas.

    With a local-memory cache, other processes of this machine are told
    (``announce``), but for a version made because one of them changed content.
    """
    global _seen
    if announce and _is_local_memory():
        local_changes.announce()
    version = uuid.uuid4().hex
    try:
        position = replicas.primary_wal_position()
    except DatabaseError:  # a transaction that failed, a primary gone
        # Unknown: no replica serves this version's pages; the next one may.
        position = replicas.UNREACHABLE_POSITION
    if position is None:
        # No expiry: a version that vanished would make a new one and drop every page.
        cache.set(VERSION_KEY, version, timeout=None)
    else:
        # Replicas serve the version's pages once they have replayed that far:
        # every change committed before it, whether this one commits or not.
        version += f"@{position}"
        if not _store_unless_superseded(version):
            # Another process made a later one meanwhile, which stands for this
            # change too: it was made after this change's position was read.
            forget_recent_version()
            return cache.get(VERSION_KEY) or version
    _seen = (version, time.monotonic())
    return version


_store_lock = threading.Lock()


def _store_unless_superseded(version: str) -> bool:
    """Store ``version`` unless the current one was made at a later WAL position."""
    atomic = getattr(cache, "set_unless_superseded", None)  # Redis: shared by servers
    if atomic is not None:
        return atomic(VERSION_KEY, version, replicas.supersedes)
    with _store_lock:  # one process's memory: its threads
        current = cache.get(VERSION_KEY)
        if current is not None and replicas.supersedes(current, version):
            return False
        cache.set(VERSION_KEY, version, timeout=None)
        return True


# Set while writes are made to be rolled back (a spreadsheet preview's dry run).
_rolled_back = ContextVar("content_changes_rolled_back", default=False)


@contextmanager
def changes_rolled_back():
    """Make the writes of the block, all rolled back, leave the cached pages alone.

    Their callbacks on commit are dropped with them by the rollback.
    """
    token = _rolled_back.set(True)
    try:
        yield
    finally:
        _rolled_back.reset(token)


# Set anew when partners are written in bulk (an import, generated data): what
# is kept a while whatever single saves change, the dashboard's possible
# duplicates, is found again after such writes (``partners_written_in_bulk``).
PARTNERS_BULK_KEY = "partners-written-in-bulk"


def partners_written_in_bulk() -> None:
    """Mark that partners were written in bulk, now and when the transaction
    commits (``content_changed`` is called beside it)."""

    def mark():
        cache.set(PARTNERS_BULK_KEY, uuid.uuid4().hex, None)

    mark()
    transaction.on_commit(mark)


def partners_bulk_mark() -> str | None:
    """Return the mark of the last bulk write of partners, None before any."""
    return cache.get(PARTNERS_BULK_KEY)


def content_changed() -> None:
    """Invalidate every cached page and aggregate, now and when the transaction commits.

    Now, so that this process (and a test) never reads a page older than its own
    write; again on commit, because a page built from the old rows while the
    transaction ran may have been stored under the first new version.
    """
    if not _rolled_back.get():
        new_version()
    connection = transaction.get_connection()
    # Once per transaction: each save of an import would add one more.
    if not any(func is new_version for _ids, func, _robust in connection.run_on_commit):
        transaction.on_commit(new_version)


# How long a request waits for the value another one is building (s), and how
# often it looks; past that it builds the value itself.
BUILD_WAIT_SECONDS = 5.0
BUILD_POLL_SECONDS = 0.02


def cached_by_content(key: str, build, timeout: int = 3600):
    """Return ``build()``, cached under ``key`` until content changes.

    One cache round trip: the version and the value are read together. Built by
    one request at a time: right after a change, every visitor of the home page at
    that moment counted the million partners at once; the others wait for its value
    (``BUILD_WAIT_SECONDS`` at most).
    """
    found = cache.get_many([VERSION_KEY, key])
    version = _current(found.get(VERSION_KEY))
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    if not replicas.fresh_for(version):
        return build()  # not cached: this version's values are the primary's
    with built_once(key, version) as built:
        if built is not None:
            return built[1]
        value = build()
        cache.set(key, (version, value), timeout)
    return value


@contextmanager
def built_once(key: str, version: str):
    """Let one request at a time build what it caches under ``key`` for ``version``.

    Yields None to the request that builds it (the others wait meanwhile), or the
    entry another request cached while this one waited (``built_by_another``).
    For ``cached_by_content`` and the page cache.
    """
    building = f"building:{version}:{key}"
    locked = cache.add(building, True, BUILD_WAIT_SECONDS)
    if not locked and (entry := built_by_another(key, version, building)):
        yield entry
        return
    try:
        yield None
    finally:
        if locked:
            cache.delete(building)


def built_by_another(key: str, version: str, building: str):
    """Wait for the request that holds ``building`` to cache ``key`` for
    ``version``: its entry, or None if it gave up (an error) or took too long."""
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(BUILD_POLL_SECONDS)
        found = cache.get_many([key, building])
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            return entry
        if building not in found:
            return None
    return None


def remembered(key: str):
    """Return what ``remember`` kept under ``key`` for the current content version,
    or None."""
    found = cache.get_many([VERSION_KEY, key])
    entry = found.get(key)
    version = found.get(VERSION_KEY)
    if version is not None:
        version = _current(version)
    if entry is not None and version is not None and entry[0] == version:
        return entry[1]
    return None


def remember(key: str, value, timeout: int = 3600) -> None:
    """Keep ``value`` under ``key`` until content changes (``remembered``): what a
    request found that a later one may use, as ``cached_by_content`` keeps what it
    builds."""
    version = content_version()
    if replicas.fresh_for(version):
        cache.set(key, (version, value), timeout)


def query_key(prefix: str, queryset) -> str | None:
    """Return a cache key naming ``queryset``'s SQL, or None if it selects nothing."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none() or pk__in=[]
        return None
    return f"{prefix}:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()


_UNKNOWN = object()


def cached_count(queryset) -> int:
    """Return ``queryset.count()``, counted once per content version.

    Keyed by the query's SQL, ordering left out: the same filters give the same
    key. A million partners take a while to count; paging through them should not
    recount.

    The key is kept on ``queryset`` itself (its clones, made by every method that
    changes it, start without): a search counts its matches to decide between them
    and near misses, then again to show their number, and compiling the SQL of a
    search took 0.3 to 1.4 ms each time, 14 times a global search.
    """
    counted = queryset if queryset.query.is_sliced else queryset.order_by()
    key = queryset.__dict__.get("_count_key", _UNKNOWN)
    if key is _UNKNOWN:
        key = queryset._count_key = count_key(queryset)
    return 0 if key is None else cached_by_content(key, counted.count)


def count_key(queryset) -> str | None:
    """Return the cache key of ``queryset``'s count (``cached_count``), or None
    if it selects nothing.

    Named by the SQL of the query as counted: its order left out, and its
    columns narrowed to the ids where that keeps one row per row (no DISTINCT,
    GROUP BY, UNION or window). Its joins and conditions, all that decides the
    count, are still in the SQL; the columns a list shows (a partner's counts of
    links, a grant's laureate and unit) were most of what was compiled: 0.7 ms
    for a searched list's matches, 0.15 narrowed.
    """
    query = queryset.query
    if query.is_sliced:
        return query_key("count", queryset)
    counted = queryset.order_by()
    if not (
        query.distinct
        or query.group_by
        or query.combinator
        or any(
            getattr(annotation, "contains_over_clause", False)
            for annotation in query.annotations.values()
        )
    ):
        counted = counted.values("pk")
    return query_key("count", counted)


def cached_rows(queryset) -> list:
    """Return ``list(queryset)``, read once per content version (small aggregates)."""
    key = query_key("rows", queryset)
    return [] if key is None else cached_by_content(key, lambda: list(queryset))


def cached_rows_of(rows) -> list:
    """Return ``cached_rows(rows())``, the SQL of ``rows`` compiled once per
    process and language rather than at each call.

    ``rows``: a module's function returning a queryset that depends on nothing
    but the active language (every institute; the published programmes in
    their order), whose SQL then never changes; its rows are read again when
    content changes, as ``cached_rows``'. The global search asked for the
    institutes five times, compiling their SQL each time.
    """
    key = _rows_key(rows, get_language())
    return [] if key is None else cached_by_content(key, lambda: list(rows()))


@functools.lru_cache(maxsize=64)
def _rows_key(rows, language: str | None) -> str | None:
    return query_key("rows", rows())


def is_content_model(model) -> bool:
    meta = model._meta
    return meta.app_label in CONTENT_APPS and meta.label_lower not in PRIVATE_MODELS


def on_content_saved_or_deleted(sender, **kwargs):
    """post_save, post_delete and m2m_changed receiver for every model."""
    if kwargs.get("raw"):  # loaddata: fixtures are loaded before anything is cached
        return
    if is_content_model(sender):
        content_changed()


def on_m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and is_content_model(type(instance)):
        content_changed()
