"""Reading from PostgreSQL replicas: who reads where, and never a stale page cached.

The replicas here are registered for a test only. "The primary as its own replica"
is a second connection to the test database, for the routing rules. The streaming
standby is a real one, started beside the throw-away cluster by
``PG_STANDBY=1 scripts/pg-throwaway.sh`` (``make test`` does): its replay is paused
to make it lag, as a busy replica does.
"""

import os
import socket
import time
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.db.utils import load_backend
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from cnrs_intl.settings import database_from_url
from partners import caching, replicas
from partners.caching import VERSION_KEY, content_version
from partners.models import Partner
from tests.factories import PartnerFactory


@pytest.fixture(autouse=True)
def _no_replica_known():
    replicas.forget_replica_states()
    yield
    replicas.forget_replica_states()


# Rules that need no database


def test_a_version_made_after_a_commit_carries_the_primarys_wal_position():
    assert replicas.wal_position_of_version("3f2a@123456") == 123456
    assert replicas.wal_position_of_version("3f2a") == 0
    assert replicas.wal_position_of_version(None) == 0


@contextmanager
def reads_decided(alias, includes):
    """A request that read from ``alias``, known to include WAL up to ``includes``."""
    reads = replicas.RequestReads()
    reads.alias, reads.includes = alias, includes
    token = replicas._request_reads.set(reads)
    try:
        yield
    finally:
        replicas._request_reads.reset(token)


def test_what_was_read_from_a_replica_is_cached_only_under_a_version_it_had_replayed():
    assert replicas.fresh_for("v@999")  # outside a request that may use a replica
    with reads_decided("replica1", includes=100):
        assert replicas.fresh_for("v@100")
        assert replicas.fresh_for("v")  # made before its change committed
        assert not replicas.fresh_for("v@101")
    with reads_decided("default", includes=float("inf")):
        assert replicas.fresh_for("v@101")


def test_a_version_made_later_is_never_replaced_by_one_made_earlier():
    """Servers may write versions in another order than the one they made them in."""
    assert replicas.supersedes("b@200", "a@100")
    assert not replicas.supersedes("a@100", "b@200")
    assert not replicas.supersedes("a@100", "b@100")
    assert not replicas.supersedes("a", "b@100")  # made before replicas were read
    # A version whose position could not be read gives way to any.
    assert not replicas.supersedes(f"a@{replicas.UNREACHABLE_POSITION}", "b@100")


# With PostgreSQL


@contextmanager
def registered_replica(alias="replica1", **where):
    """A database alias reading the test database, at ``where`` (HOST, PORT).

    A connection made here, not a configured database: the test case forbids the
    configured ones it was not told of, and allows those made on the fly.
    """
    settings_dict = {**connections["default"].settings_dict, **where}
    backend = load_backend(settings_dict["ENGINE"])
    connections[alias] = backend.DatabaseWrapper(settings_dict, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


@pytest.fixture
def replica_settings(settings):
    if connections["default"].vendor != "postgresql":
        pytest.skip("read replicas are PostgreSQL's")
    settings.PAGE_CACHE_SECONDS = 600
    settings.REPLICA_CHECK_SECONDS = 60
    settings.REPLICA_RETRY_SECONDS = 60
    return settings


@pytest.fixture
def primary_as_replica(replica_settings):
    with registered_replica() as alias:
        replica_settings.DATABASE_REPLICAS = [alias]
        yield alias


def queries_of(alias):
    return CaptureQueriesContext(connections[alias])


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_anonymous_visitors_pages_read_from_the_replica(primary_as_replica):
    partner = PartnerFactory(
        name_fr="Université de Tartu", name_en="University of Tartu"
    )
    with (
        queries_of(primary_as_replica) as on_replica,
        queries_of("default") as on_primary,
    ):
        response = Client().get(partner.get_absolute_url())
    assert response.status_code == 200
    assert "Université de Tartu" in response.text
    assert len(on_replica) > 1  # how far it had replayed, then the page
    assert len(on_primary) == 0


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_staff_and_the_back_office_read_the_primary(primary_as_replica, admin_user):
    partner = PartnerFactory()
    client = Client()
    client.force_login(admin_user)
    with queries_of(primary_as_replica) as on_replica:
        assert client.get(partner.get_absolute_url()).status_code == 200
        assert client.get("/admin/partners/partner/").status_code == 200
    assert len(on_replica) == 0


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_code_outside_a_public_page_and_transactions_read_the_primary(
    primary_as_replica,
):
    assert Partner.objects.all().db == "default"  # commands, imports, the shell
    with replicas.replica_reads():
        assert Partner.objects.all().db == primary_as_replica
        with transaction.atomic():
            assert Partner.objects.all().db == "default"
    assert Partner.objects.all().db == "default"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_an_unreachable_replica_is_left_alone_and_pages_read_the_primary(
    replica_settings, caplog
):
    partner = PartnerFactory(name_fr="Institut Pasteur de Dakar")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # a port nothing listens on
    port = closed.getsockname()[1]
    with registered_replica(HOST="127.0.0.1", PORT=str(port)) as alias:
        replica_settings.DATABASE_REPLICAS = [alias]
        replica_settings.PAGE_CACHE_SECONDS = 0
        client = Client()
        for _ in range(3):
            response = client.get(partner.get_absolute_url())
            assert response.status_code == 200
            assert "Institut Pasteur de Dakar" in response.text
        state = replicas._states[alias]
    closed.close()
    warnings = [r for r in caplog.records if r.name == "partners.replicas"]
    assert len(warnings) == 1  # tried once, then left alone for a while
    assert "unreachable" in warnings[0].getMessage()
    assert state.down_until > time.monotonic()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_replica_failing_a_request_is_left_and_the_page_read_again_from_the_primary(
    primary_as_replica,
):
    partner = PartnerFactory(name_fr="Université de Lund")
    replica_settings = connections[primary_as_replica].settings_dict
    visitor = Client(raise_request_exception=False)
    assert visitor.get(partner.get_absolute_url()).status_code == 200
    # It goes down between two checks: this process still thinks it up to date.
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    connections[primary_as_replica].close()
    replica_settings["HOST"], replica_settings["PORT"] = (
        "127.0.0.1",
        closed.getsockname()[1],
    )
    partner.name_fr = "Université de Lund (Suède)"
    partner.save()
    response = visitor.get(partner.get_absolute_url())
    closed.close()
    assert response.status_code == 200
    assert "Université de Lund (Suède)" in response.text
    assert replicas._states[primary_as_replica].down_until > time.monotonic()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_every_content_version_says_where_the_primary_was(primary_as_replica):
    """Even one whose change was rolled back, or made when the cache lost it."""
    with pytest.raises(RuntimeError), transaction.atomic():
        PartnerFactory()
        raise RuntimeError("an import refused")
    assert replicas.wal_position_of_version(content_version()) > 0
    cache.delete(VERSION_KEY)
    assert replicas.wal_position_of_version(content_version()) > 0


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_version_written_late_does_not_replace_a_later_one(primary_as_replica):
    later = f"made-by-another-server@{2**62}"
    cache.set(VERSION_KEY, later)
    assert caching.new_version() == later
    assert content_version() == later
    cache.set(VERSION_KEY, f"unplaced@{replicas.UNREACHABLE_POSITION}")
    made = caching.new_version()
    assert content_version() == made
    assert 0 < replicas.wal_position_of_version(made) < 2**62


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_one_version_on_commit_for_a_transaction_of_many_saves(primary_as_replica):
    with transaction.atomic():
        for _ in range(3):
            PartnerFactory()
        pending = transaction.get_connection().run_on_commit
        assert len([f for _, f, _ in pending if f is caching.new_version]) == 1


# A real streaming standby


@pytest.fixture
def standby(replica_settings):
    url = os.environ.get("DJANGO_TEST_STANDBY_URL")
    if not url:
        message = (
            "no streaming standby (run under PG_STANDBY=1 scripts/pg-throwaway.sh)"
        )
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    where = database_from_url(url)
    with registered_replica(HOST=where["HOST"], PORT=where["PORT"]) as alias:
        replica_settings.DATABASE_REPLICAS = [alias]
        yield alias
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def wait_for_replay(alias):
    """Wait until ``alias`` has replayed everything the primary has written."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint")
        written = cursor.fetchone()[0]
    deadline = time.monotonic() + 20
    while replicas.replayed_position(alias) < written:
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.02)


def name_on(alias, partner):
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT name_fr FROM partners_partner WHERE id = %s", [partner.pk]
        )
        return cursor.fetchone()[0]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_lagging_standby_is_not_read_and_no_stale_page_is_cached(standby):
    partner = PartnerFactory(name_fr="Université d'Avant", name_en="Before University")
    wait_for_replay(standby)
    visitor = Client()
    with queries_of(standby) as on_standby:
        assert "Université d&#x27;Avant" in visitor.get(partner.get_absolute_url()).text
    assert len(on_standby) > 1

    with connections[standby].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    partner.name_fr = "Université d'Après"
    partner.save()
    time.sleep(0.2)
    assert name_on(standby, partner) == "Université d'Avant"  # it lags

    assert "@" in content_version()  # the change's version knows where it was written
    for _ in range(2):  # built from the primary, then served from the cache
        with queries_of(standby) as on_standby:
            response = visitor.get(partner.get_absolute_url())
        assert "Université d&#x27;Après" in response.text
        assert len(on_standby) <= 1  # at most, how far it had replayed
    with override_settings(PAGE_CACHE_SECONDS=0), queries_of(standby) as on_standby:
        for _ in range(5):
            assert (
                "Université d&#x27;Après"
                in visitor.get(partner.get_absolute_url()).text
            )
    assert len(on_standby) == 0  # a stuck standby is not asked at each request

    with connections[standby].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay(standby)
    partner.name_en = "After University"
    partner.save()  # a new version: the page is built again, from the standby now
    wait_for_replay(standby)
    with queries_of(standby) as on_standby:
        response = visitor.get(partner.get_absolute_url())
    assert "Université d&#x27;Après" in response.text
    assert len(on_standby) > 1
