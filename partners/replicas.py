"""Anonymous visitors' pages read from PostgreSQL replicas, and no stale page cached.

``DJANGO_DATABASE_REPLICA_URLS`` names read replicas (streaming standbys of the
primary). Only the requests that the page cache may serve — GET or HEAD of a public
page, by a visitor without a session (``cnrs_intl.middleware.ReplicaReadsMiddleware``)
— read from one; staff, the admin, every write,
every management command (imports, merges) and any transaction read the primary, so
that whoever changes data sees it at once.

A replica lags behind the primary, by milliseconds or, under load, seconds. A page
built from a lagging replica just after a change would be cached under the new
content version (partners/caching.py) and shown, stale, until the next change. So
each content version carries the primary's WAL position when it was made (the one
made once a change commits, past that change; ``caching.new_version``), and a
request reads from a replica only if that replica has replayed at least that far;
otherwise from the primary. Each process remembers how far each replica had replayed
when it last asked (a lower bound forever, since a replica only moves forward), so in
a steady state that costs no query: a replica is asked again when a newer version
needs it, or every ``REPLICA_CHECK_SECONDS``, which also finds a replica that went
down. A page or aggregate is cached only under a
version the data it was built from is known to include (``fresh_for``).

A replica that cannot be reached, or fails a request, is left alone for
``REPLICA_RETRY_SECONDS``, its requests read from the primary meanwhile; a request it
failed is served again from the primary.
"""

import logging
import random
import sys
import time
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
# A version's position when the primary's could not be read: beyond any replica's.
UNREACHABLE_POSITION = 2**63 - 1
# Where the reads of the current request go: a RequestReads for a request that may
# read from a replica (set by ReplicaReadsMiddleware), None for any other.
_request_reads: ContextVar["RequestReads | None"] = ContextVar(
    "request_reads", default=None
)


class ReplicaState:
    """What this process knows of one replica: how far it had replayed, and when."""

    def __init__(self):
        self.replayed = -1  # a WAL position, in bytes; -1: not asked yet
        self.checked_at = float("-inf")  # time.monotonic()
        # The position asked for then: not asked again for as much for a while.
        self.checked_for = -1
        self.down_until = float("-inf")
        # Another thread of this process is asking it: this one reads the primary
        # rather than wait for an answer too.
        self.asking = False

    def mark_down(self, alias, error) -> None:
        self.down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        logger.warning(
            "Replica %s unreachable, reading from the primary for %s s: %s",
            alias,
            settings.REPLICA_RETRY_SECONDS,
            error,
        )


_states: dict[str, ReplicaState] = {}


def configured_replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def wal_position_of_version(version: str | None) -> int:
    """The primary's WAL position a content version was made at (0 when unknown).

    Versions made before their change committed, or without replicas, carry none:
    what they stand for is not in any database yet, or only in the primary.
    """
    if not version:
        return 0
    _uuid, _, position = version.partition("@")
    return int(position) if position.isdigit() else 0


def supersedes(current: str, new: str) -> bool:
    """Whether content version ``current`` was made after ``new`` (both placed).

    Made at a later WAL position, that is: after ``new``'s change committed. One
    whose position was unknown is superseded by any.
    """
    position = wal_position_of_version(current)
    return position != UNREACHABLE_POSITION and position > wal_position_of_version(new)


def primary_wal_position() -> int | None:
    """The primary's current WAL position, for a new content version.

    None without replicas (nothing to compare with), or when the primary cannot
    tell (SQLite).
    """
    if not configured_replicas() or connections[PRIMARY].vendor != "postgresql":
        return None
    with connections[PRIMARY].cursor() as cursor:
        # Where WAL is inserted, not written: with synchronous_commit off, the
        # commit just made may not be written yet.
        cursor.execute("SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint")
        return cursor.fetchone()[0]


def replayed_position(alias: str) -> int:
    """How far ``alias`` has replayed the WAL (its own end if it is no standby)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
            " ELSE pg_current_wal_insert_lsn() END - '0/0')::bigint"
        )
        position = cursor.fetchone()[0]
    # NULL: a standby that has replayed nothing yet.
    return -1 if position is None else position


def _replica_at(alias: str, needed: int) -> int | None:
    """How far ``alias`` has replayed, if reachable and it has replayed ``needed``."""
    state = _states.setdefault(alias, ReplicaState())
    since = time.monotonic() - state.checked_at
    if since < settings.REPLICA_CHECK_SECONDS:
        if state.replayed >= needed:
            return state.replayed
        # Behind when asked for as much, a moment ago: a standby whose replay is
        # stuck would otherwise cost every request a query.
        if state.checked_for >= needed and since < settings.REPLICA_CHECK_SECONDS / 10:
            return None
    if time.monotonic() < state.down_until or state.asking:
        return None
    state.asking = True
    try:
        state.replayed = replayed_position(alias)
    except DatabaseError as error:
        state.mark_down(alias, error)
        connections[alias].close()
        return None
    finally:
        state.asking = False
    state.checked_at, state.checked_for = time.monotonic(), needed
    return state.replayed if state.replayed >= needed else None


class RequestReads:
    """Where one request reads from, decided at its first query (if any)."""

    def __init__(self):
        self.alias = None
        # What the data read is known to include: a WAL position, or everything.
        self.includes = float("inf")
        self.failed = False  # the replica failed the request (note_replica_failure)

    def database(self) -> str:
        if self.alias is None:
            self.alias, self.includes = self._choose()
        return self.alias

    def on_replica(self) -> bool:
        return self.alias not in (None, PRIMARY)

    def read_primary(self) -> None:
        """Read the primary from now on (the replica failed during the request)."""
        self.alias, self.includes = PRIMARY, float("inf")

    @staticmethod
    def _choose():
        # The version current now: anything cached during this request is stored
        # under it or an older one.
        from partners.caching import content_version

        needed = wal_position_of_version(content_version())
        replicas = configured_replicas()
        for alias in random.sample(replicas, len(replicas)):
            replayed = _replica_at(alias, needed)
            if replayed is not None:
                return alias, replayed
        return PRIMARY, float("inf")


def fresh_for(version: str) -> bool:
    """Whether what this request read may be cached under content ``version``."""
    reads = _request_reads.get()
    if reads is None or not reads.on_replica():
        return True
    return wal_position_of_version(version) <= reads.includes


def note_replica_failure(sender, request=None, **kwargs):
    """got_request_exception receiver: a replica that failed a request is left alone.

    It may have gone down since this process last asked it, or cancelled a query
    that conflicted with its replay; ``ReplicaReadsMiddleware`` then serves the
    request again from the primary.
    """
    reads = _request_reads.get()
    error = sys.exc_info()[1]
    if reads is None or not reads.on_replica():
        return
    if isinstance(error, (OperationalError, InterfaceError)):
        _states.setdefault(reads.alias, ReplicaState()).mark_down(reads.alias, error)
        with suppress(DatabaseError):
            connections[reads.alias].close()
        reads.failed = True


class ReplicaRouter:
    """Anonymous public pages read from a fresh replica, all else from the primary."""

    def db_for_read(self, model, **hints):
        reads = _request_reads.get()
        if reads is None or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return reads.database()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's rows: a record read from one may be
        # linked to one read from another.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


@contextmanager
def replica_reads():
    """Let the reads of the block go to a replica fresh enough (a request's view).

    Yields the block's RequestReads, or None without replicas.
    """
    if not configured_replicas():
        yield None
        return
    reads = RequestReads()
    token = _request_reads.set(reads)
    try:
        yield reads
    finally:
        _request_reads.reset(token)


def forget_replica_states() -> None:
    """Forget what this process knew of the replicas (tests)."""
    _states.clear()
