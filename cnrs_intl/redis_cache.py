"""Django's Redis cache backend, with one Redis client per connection pool.

Django's ``RedisCacheClient.get_client()`` makes a new ``redis.Redis`` for every cache
operation, and redis-py builds a table of about 170 response callbacks in each one
(redis/redis-py#3624). That was a third of the time of a page-cache hit, which reads
one key. A ``redis.Redis`` holds no connection of its own (it borrows one from its
pool for each command) and is safe to share between threads, so one per pool does.
"""

import redis
from django.core.cache.backends.redis import (
    RedisCache as DjangoRedisCache,
    RedisCacheClient,
)


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        # Pools live as long as this object (Django keeps them in self._pools), so
        # their id() is a stable key.
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with its clients reused."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

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
