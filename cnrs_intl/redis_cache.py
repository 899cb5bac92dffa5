"""Django's Redis cache backend, with one Redis client per connection pool.

Django's ``RedisCacheClient.get_client()`` makes a new ``redis.Redis`` for every cache
operation, and redis-py builds a table of about 170 response callbacks in each one
(redis/redis-py#3624). That was a third of the time of a page-cache hit, which reads
one key. A ``redis.Redis`` holds no connection of its own (it borrows one from its
pool for each command) and is safe to share between threads, so one per pool does.

And a Redis that cannot be reached is a cache that misses, not a site that fails:
Django's backend raised, and every public page was a 500 while Redis restarted.
Here an operation that fails answers as a miss would (``get`` its default, ``set``
nothing), locks and counters are kept in the process's memory meanwhile; Redis is
then left alone for ``RETRY_SECONDS`` (option ``retry_seconds``) rather than made
to time out on every request, and tried again after. A change made meanwhile could
not reach the content version, so pages cached before the outage may be stale:
``reconnections`` counts the outages that ended, and partners/caching.py makes a
new version when it changes.

And an entry this release cannot read (pickled by an earlier one whose class has
since moved or changed) is a miss too, then written again, rather than a 500 on
every page that reads it until it expires.
"""

import functools
import logging
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import (
    RedisCache as DjangoRedisCache,
    RedisCacheClient,
    RedisSerializer,
)

logger = logging.getLogger(__name__)


class UnreadableEntry(Exception):
    """A cached value this code cannot rebuild from its bytes."""


class ReleaseTolerantSerializer(RedisSerializer):
    def loads(self, data):
        try:
            return super().loads(data)
        # Unpickling runs the code of the classes named in the bytes: whatever a
        # class renamed, moved or changed since raises, the entry is unreadable.
        except Exception as error:
            raise UnreadableEntry(error) from error


def _unreadable(key, error) -> None:
    logger.warning(
        "Cache entry %s cannot be read by this release (%s): taken as missing.",
        key,
        error,
    )


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, serializer=ReleaseTolerantSerializer, **options):
        super().__init__(servers, serializer, **options)
        self._clients = {}

    def get(self, key, default):
        try:
            return super().get(key, default)
        except UnreadableEntry as error:
            _unreadable(key, error)
            return default

    def get_many(self, keys):
        values = self.get_client(None).mget(keys)
        found = {}
        for key, value in zip(keys, values, strict=True):
            if value is None:
                continue
            try:
                found[key] = self._serializer.loads(value)
            except UnreadableEntry as error:
                _unreadable(key, error)
        return found

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        # Pools live as long as this object (Django keeps them in self._pools), so
        # their id() is a stable key.
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# How long an unreachable Redis is left alone before it is tried again (s).
RETRY_SECONDS = 5.0


class Reachability:
    """Whether the Redis at one location answers, shared by a process's threads
    (Django makes a cache backend per thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # time.monotonic(): Redis is not tried before
        self.down = False
        self.reconnections = 0

    def failed(self, location, error, retry_seconds) -> None:
        with self.lock:
            self.down_until = time.monotonic() + retry_seconds
            if self.down:
                return
            self.down = True
        logger.warning(
            "Redis at %s is unreachable (%s): pages and aggregates are built "
            "without the cache, and Redis tried again every %s s.",
            location,
            error,
            retry_seconds,
        )

    def answered(self, location) -> None:
        with self.lock:
            if not self.down:
                return
            self.down = False
            self.reconnections += 1
        logger.warning("Redis at %s answers again.", location)


_reachability = {}
_reachability_lock = threading.Lock()


def without_passwords(location: str) -> str:
    """Return ``location``, Redis URLs separated by commas, without passwords."""
    shown = []
    for url in location.split(","):
        parts = urlsplit(url)
        if parts.password is not None:
            user = f"{parts.username}@" if parts.username else ""
            host = parts.netloc.rpartition("@")[2]
            url = urlunsplit(parts._replace(netloc=user + host))
        shown.append(url)
    return ",".join(shown)


def reachability(location) -> Reachability:
    """The process's ``Reachability`` of the Redis at ``location``."""
    with _reachability_lock:
        return _reachability.setdefault(location, Reachability())


def tolerant(fallback):
    """Make a cache operation answer ``fallback(*args, **kwargs)`` when Redis fails
    or is being left alone after failing."""

    def decorate(operation):
        @functools.wraps(operation)
        def wrapper(self, *args, **kwargs):
            state = self._reachability
            if state.down and time.monotonic() < state.down_until:
                return fallback(*args, **kwargs)
            try:
                result = operation(self, *args, **kwargs)
            except redis.RedisError as error:
                # Errors of a command Redis understood (a wrong type, an incr of
                # a text) are not outages: the caller gets them as before.
                if not isinstance(error, (redis.ConnectionError, redis.TimeoutError)):
                    raise
                state.failed(self.shown_location, error, self._retry_seconds)
                return fallback(*args, **kwargs)
            if state.down:
                state.answered(self.shown_location)
            return result

        return wrapper

    return decorate


# What an operation answers while Redis is away, to be done in memory instead.
_AWAY = object()


def _away(*args, **kwargs):
    return _AWAY


def _true(*args, **kwargs):
    return True


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with its clients reused, that
    misses rather than fails while Redis cannot be reached."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self._retry_seconds = float(options.pop("retry_seconds", RETRY_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self.location = ",".join(self._servers)
        # Logs and the deployment checks name Redis without its password.
        self.shown_location = without_passwords(self.location)
        self._reachability = reachability(self.location)
        # Shared by the process's threads: local-memory caches of one name are.
        self._local = LocMemCache(f"redis-away:{self.location}", {})

    @property
    def reconnections(self) -> int:
        """How many times Redis answered again after failing, in this process."""
        return self._reachability.reconnections

    def is_reachable(self) -> bool:
        """Ask Redis now (for /readyz), whatever the last operations found."""
        try:
            self._cache.get_client().ping()
        except (redis.ConnectionError, redis.TimeoutError) as error:
            self._reachability.failed(self.shown_location, error, self._retry_seconds)
            return False
        self._reachability.answered(self.shown_location)
        return True

    # As a miss: nothing found, nothing kept.
    get = tolerant(_default)(DjangoRedisCache.get)
    get_many = tolerant(lambda keys, version=None: {})(DjangoRedisCache.get_many)
    has_key = tolerant(_false)(DjangoRedisCache.has_key)
    set = tolerant(_nothing)(DjangoRedisCache.set)
    set_many = tolerant(lambda data, *args, **kwargs: list(data))(
        DjangoRedisCache.set_many
    )
    touch = tolerant(_false)(DjangoRedisCache.touch)
    delete_many = tolerant(_nothing)(DjangoRedisCache.delete_many)
    clear = tolerant(_false)(DjangoRedisCache.clear)

    # Locks and counters in the process's memory instead, as without Redis: a lock
    # (partners/caching.py's built_once) is the process's, a counter counts the
    # process's calls rather than none. (The login protection counts wrong
    # passwords in the database, not here: django-axes' database handler.)
    _shared_add = tolerant(_away)(DjangoRedisCache.add)
    _shared_incr = tolerant(_away)(DjangoRedisCache.incr)
    _shared_delete = tolerant(_away)(DjangoRedisCache.delete)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        done = self._shared_add(key, value, timeout, version=version)
        if done is _AWAY:
            return self._local.add(key, value, timeout, version=version)
        return done

    def incr(self, key, delta=1, version=None):
        done = self._shared_incr(key, delta, version=version)
        if done is _AWAY:
            return self._local.incr(key, delta, version=version)
        return done

    def delete(self, key, version=None):
        done = self._shared_delete(key, version=version)
        if done is _AWAY:
            return self._local.delete(key, version=version)
        return done

    @tolerant(_true)
    def set_unless_superseded(self, key, value, supersedes) -> bool:
        """Set ``key`` (no expiry) unless ``supersedes(its value, value)``; atomic.

        For the content version (partners/caching.py): two app servers may write it
        in the opposite order from the one they made it in.
        """
        client = self._cache.get_client(key, write=True)
        serializer = self._cache._serializer
        stored_key = self.make_and_validate_key(key)
        with client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(stored_key)
                    current = pipe.get(stored_key)
                    if current is not None and supersedes(
                        serializer.loads(current), value
                    ):
                        pipe.unwatch()
                        return False
                    pipe.multi()
                    pipe.set(stored_key, serializer.dumps(value))
                    pipe.execute()
                    return True
                except redis.WatchError:  # written meanwhile: compare again
                    continue
