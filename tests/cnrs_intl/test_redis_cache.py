"""The shared cache on a real Redis server: what several app servers rely on.

A throw-away redis-server (tests/conftest.py's ``redis_url``) serves these tests.
A Redis that cannot be reached is a free port where nothing listens.
"""

import logging
from unittest import mock

import pytest
import redis
from django.core.cache import cache
from django.test import Client, override_settings

from cnrs_intl.redis_cache import RedisCache, without_passwords
from partners.caching import (
    VERSION_KEY,
    cached_by_content,
    content_version,
    forget_recent_version,
)
from tests.conftest import free_port
from tests.factories import PartnerFactory


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


def redis_cache_settings(location, **options):
    return {
        "default": {
            "BACKEND": "cnrs_intl.redis_cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "cnrs-intl-test",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                **options,
            },
        }
    }


@pytest.fixture
def unreachable_cache():
    """A Redis cache on a port where nothing listens, left alone 60 s after failing."""
    with override_settings(
        CACHES=redis_cache_settings(
            f"redis://127.0.0.1:{free_port()}/0", retry_seconds=60
        )
    ):
        forget_recent_version()
        yield cache
    forget_recent_version()


@pytest.mark.django_db
def test_pages_are_served_while_redis_cannot_be_reached(
    unreachable_cache, client, caplog
):
    PartnerFactory(name_fr="Université de Hokkaido", country="JP")
    with caplog.at_level(logging.WARNING, logger="cnrs_intl.redis_cache"):
        for address in ["/fr/", "/fr/", "/en/partners/?country=JP", "/fr/countries/"]:
            response = client.get(address)
            assert response.status_code == 200, address
            assert response.get("X-Page-Cache") != "hit"
        assert "Hokkaido" in client.get("/fr/partners/").text
        PartnerFactory(name_fr="Université de Tohoku", country="JP")  # no error
        assert "Tohoku" in client.get("/fr/partners/").text
        ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"database": "ok", "cache": "unavailable"}
    # Said once for the outage, not for each request.
    outages = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outages) == 1
    assert unreachable_cache.location in outages[0].getMessage()


@pytest.mark.django_db
def test_the_login_protection_counts_while_redis_cannot_be_reached(
    unreachable_cache, client
):
    """Wrong passwords are counted in the database (django-axes), which every app
    server shares: none is let through while Redis is away."""
    from django.conf import settings
    from django.contrib.auth.models import User

    User.objects.create_user("derci", password="right-password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.post("/admin/login/", {"username": "derci", "password": "x"})
        assert wrong.status_code == 200
        assert "mots de passe erronés" not in wrong.content.decode()
    assert (
        client.post("/admin/login/", {"username": "derci", "password": "x"}).status_code
        == 429
    )
    refused = client.post(
        "/admin/login/", {"username": "derci", "password": "right-password"}
    )
    assert refused.status_code == 429
    assert "mots de passe erronés" in refused.content.decode()


@pytest.mark.django_db
def test_staff_log_in_while_redis_cannot_be_reached(unreachable_cache, client):
    from django.contrib.auth.models import User

    User.objects.create_user("derci", password="right-password", is_staff=True)
    client.post("/admin/login/", {"username": "derci", "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": "derci", "password": "right-password"}
    )
    assert response.status_code == 302


def test_redis_is_left_alone_after_failing_then_tried_again():
    backend = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {}})
    assert backend._retry_seconds == 5.0
    assert backend.get("key", "default") == "default"  # refused: as a miss
    state = backend._reachability
    assert state.down
    with mock.patch.object(backend._cache, "get") as get:
        assert backend.get("key") is None
        assert backend.get_many(["key", "other"]) == {}
        assert backend.set_many({"a": 1, "b": 2}) == ["a", "b"]
        backend.set("key", 1)
        # Locks and counters in the process's memory meanwhile.
        assert backend.add("lock", True) is True
        assert backend.add("lock", True) is False
        assert backend.delete("lock") is True
        assert backend.add("attempts", 0)
        assert backend.incr("attempts") == 1
        assert backend.incr("attempts") == 2
    get.assert_not_called()
    state.down_until = 0  # the retry time has passed
    with mock.patch.object(backend._cache, "get", return_value="back") as get:
        assert backend.get("key") == "back"
    get.assert_called_once()
    assert not state.down
    assert backend.reconnections == 1


def test_errors_of_a_command_are_not_outages(redis_url):
    backend = RedisCache(redis_url, {})
    backend.set("text", "not a number")
    with pytest.raises(redis.ResponseError):
        backend._cache.get_client(write=True).incr(
            backend.make_and_validate_key("text")
        )
    with mock.patch.object(
        backend._cache, "incr", side_effect=redis.ResponseError("not an integer")
    ):
        with pytest.raises(redis.ResponseError):
            backend.incr("text")
    assert not backend._reachability.down
    backend.delete("text")


@pytest.mark.django_db
def test_pages_cached_before_an_outage_are_not_served_after_it(
    shared_cache, settings, client, caplog
):
    """A change made while Redis was away could not make a new content version:
    the first process to reach Redis again makes one."""
    settings.PAGE_CACHE_VERSION_SECONDS = 0
    partner = PartnerFactory(name_fr="Université de Kobe")
    assert client.get("/fr/partners/")["X-Page-Cache"] == "miss"
    assert client.get("/fr/partners/")["X-Page-Cache"] == "hit"
    with mock.patch.object(
        redis.Redis, "execute_command", side_effect=redis.ConnectionError("down")
    ):
        partner.name_fr = "Université de Kobe (Hyōgo)"
        partner.save()
        during = client.get("/fr/partners/")
    assert during.status_code == 200
    assert "Kobe (Hyōgo)" in during.text
    # Redis is back with the old version and the old page in it.
    shared_cache._reachability.down_until = 0
    with caplog.at_level(logging.WARNING, logger="cnrs_intl.redis_cache"):
        after = client.get("/fr/partners/")
    assert after["X-Page-Cache"] == "miss"
    assert "Kobe (Hyōgo)" in after.text
    assert client.get("/fr/partners/")["X-Page-Cache"] == "hit"
    assert any("answers again" in r.getMessage() for r in caplog.records)


class Moved:
    """A class a later release renames: entries pickled with it cannot be read."""


def test_an_entry_an_earlier_release_wrote_is_a_miss_then_written_again(
    shared_cache, caplog, monkeypatch
):
    shared_cache.set("institutes", Moved())
    shared_cache.set("garbled", "text")
    client = shared_cache._cache.get_client()
    client.set(shared_cache.make_and_validate_key("garbled"), b"\x80\x05garbage")
    monkeypatch.delattr(__import__(__name__, fromlist=["Moved"]), "Moved")

    with caplog.at_level(logging.WARNING, logger="cnrs_intl.redis_cache"):
        assert shared_cache.get("institutes") is None
        assert shared_cache.get("garbled", "default") == "default"
        assert shared_cache.get_many(["institutes", "garbled"]) == {}
    assert "cannot be read by this release" in caplog.text

    # What reads it builds it again and keeps it: the entry is readable again.
    shared_cache.set("institutes", ["read again"])
    assert shared_cache.get_many(["institutes"]) == {"institutes": ["read again"]}


def test_counters_are_still_read_as_numbers(shared_cache):
    shared_cache.set("attempts", 3)
    assert shared_cache.incr("attempts") == 4
    assert shared_cache.get("attempts") == 4


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("redis://:s3cret@cache.internal:6379/0", "redis://cache.internal:6379/0"),
        ("rediss://app:s3cret@[::1]:6380/1", "rediss://app@[::1]:6380/1"),
        ("redis://cache.internal:6379/0", "redis://cache.internal:6379/0"),
        (
            "redis://:a@one:6379/0,redis://:b@two:6379/0",
            "redis://one:6379/0,redis://two:6379/0",
        ),
    ],
)
def test_logs_name_redis_without_its_password(location, shown):
    assert without_passwords(location) == shown
    assert RedisCache(location, {}).shown_location == shown
