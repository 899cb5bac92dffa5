"""The shared cache on a real Redis server: what several app servers rely on.

A throw-away redis-server (Debian's, which `make test` installs when root) runs on a
free loopback port for this module. Without it the tests skip, and fail under CI=true.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from cnrs_intl.redis_cache import RedisCache
from partners.caching import (
    VERSION_KEY,
    cached_by_content,
    content_version,
    forget_recent_version,
)
from tests.factories import PartnerFactory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
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


@pytest.fixture
def shared_cache(redis_url):
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "cnrs_intl.redis_cache.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "cnrs-intl-test",
            }
        }
    ):
        cache.clear()
        forget_recent_version()
        yield cache
        cache.clear()
    forget_recent_version()


def test_one_redis_client_serves_every_operation(redis_url):
    backend = RedisCache(redis_url, {})
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client
    backend.set("answer", {"value": 42})
    assert backend.get("answer") == {"value": 42}
    assert backend.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    assert backend.add("hits", 1)
    assert backend.incr("hits") == 2
    backend.delete_many(["answer", "hits"])
    assert backend.get("answer") is None
    assert backend._cache.get_client() is client


def test_the_content_version_is_set_unless_a_later_one_is_there(redis_url):
    backend = RedisCache(redis_url, {})
    later = lambda current, new: current > new  # noqa: E731
    assert backend.set_unless_superseded("version", "b", later)
    assert not backend.set_unless_superseded("version", "a", later)
    assert backend.get("version") == "b"
    assert backend.set_unless_superseded("version", "c", later)
    assert backend.get("version") == "c"
    stored_key = backend.make_and_validate_key("version")
    assert backend._cache.get_client().ttl(stored_key) == -1  # no expiry
    backend.delete("version")


def test_reads_spread_over_replicas_each_with_its_client(redis_url):
    backend = RedisCache([redis_url, redis_url, redis_url], {})
    writer = backend._cache.get_client(write=True)
    readers = {id(backend._cache.get_client()) for _ in range(50)}
    assert id(writer) not in readers
    assert len(readers) == 2  # one client per replica's pool, reused


@pytest.mark.django_db
def test_aggregates_in_redis_are_rebuilt_when_content_changes(shared_cache):
    built = []
    build = lambda: built.append(1) or len(built)  # noqa: E731
    assert cached_by_content("aggregate:test", build) == 1
    assert cached_by_content("aggregate:test", build) == 1
    version = content_version()
    PartnerFactory(name_fr="Université de Nagoya")
    assert shared_cache.get(VERSION_KEY) != version
    assert cached_by_content("aggregate:test", build) == 2


@pytest.mark.django_db
def test_app_servers_share_pages_and_changes_through_redis(shared_cache, settings):
    partner = PartnerFactory(name_fr="Université de Kyoto")
    # Two test clients stand for two app servers; each keeps its own recent pages,
    # only Redis is shared. They share this process's memory of the content version
    # too: every hit reads it from Redis, as a separate server would.
    settings.PAGE_CACHE_VERSION_SECONDS = 0
    servers = [Client(), Client()]
    built = servers[0].get("/fr/partners/")
    assert built["X-Page-Cache"] == "miss"
    served = servers[1].get("/fr/partners/")
    assert served["X-Page-Cache"] == "hit"
    assert served.content == built.content
    partner.name_fr = "Université impériale de Kyoto"
    partner.save()
    rebuilt, shared = (server.get("/fr/partners/") for server in servers)
    assert rebuilt["X-Page-Cache"] == "miss"
    assert shared["X-Page-Cache"] == "hit"
    assert "Université impériale de Kyoto" in shared.text
