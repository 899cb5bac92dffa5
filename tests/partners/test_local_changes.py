"""Changes made by another process of the machine reach a local-memory cache."""

import pytest
from django.test import override_settings

from partners import caching
from partners.caching import LocalChanges, cached_by_content, content_version
from tests.factories import PartnerFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def another_process():
    """What another process of this machine holds: its own record of the file."""
    other = LocalChanges()
    other.seen_elsewhere()
    return other


def test_a_change_made_by_another_process_makes_a_new_version(another_process):
    before = content_version()
    assert content_version() == before
    another_process.announce()  # as generate_data or import_ror beside runserver
    after = content_version()
    assert after != before
    assert content_version() == after


def test_a_count_cached_before_another_processs_change_is_counted_again(
    another_process,
):
    PartnerFactory()
    counted = []

    def count():
        counted.append(1)
        return len(counted)

    assert cached_by_content("count:test", count) == 1
    assert cached_by_content("count:test", count) == 1
    another_process.announce()
    assert cached_by_content("count:test", count) == 2


def test_a_page_cached_before_another_processs_change_is_built_again(
    client, monkeypatch, another_process
):
    now = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: now[0])
    assert client.get("/fr/units/")["X-Page-Cache"] == "miss"
    assert client.get("/fr/units/")["X-Page-Cache"] == "hit"
    # Another process wrote to the database and told the file; the version is
    # read again within a second (DJANGO_PAGE_CACHE_VERSION_SECONDS).
    another_process.announce()
    now[0] += 1
    assert client.get("/fr/units/")["X-Page-Cache"] == "miss"
    assert client.get("/fr/units/")["X-Page-Cache"] == "hit"


def test_this_processs_own_change_is_announced_once_not_taken_back():
    path = LocalChanges.path()
    UnitFactory()  # a save: a new version now, and one on commit
    announced = path.stat().st_mtime_ns
    version = content_version()
    # Its own announcement is no change of another process's.
    assert content_version() == version
    assert path.stat().st_mtime_ns == announced


def test_a_change_taken_from_another_process_is_not_announced_again(
    another_process,
):
    content_version()
    another_process.announce()
    announced = LocalChanges.path().stat().st_mtime_ns
    content_version()
    # Else each process would tell the others in turn, forever.
    assert LocalChanges.path().stat().st_mtime_ns == announced
    assert not another_process.seen_elsewhere()


def test_two_changes_within_the_clocks_step_are_both_told(monkeypatch, another_process):
    monkeypatch.setattr(caching.time, "time_ns", lambda: 1_000_000_000)
    content_version()
    another_process.announce()
    first = content_version()
    another_process.announce()  # the same clock reading
    assert content_version() != first


def test_each_database_has_its_own_file(monkeypatch):
    """A test run is told nothing of the demo's changes, nor of a run beside it."""
    from django.db import connections

    path = LocalChanges.path()
    settings_dict = connections["default"].settings_dict
    monkeypatch.setitem(settings_dict, "NAME", f"{settings_dict['NAME']}-another")
    assert LocalChanges.path() != path


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
)
def test_only_a_local_memory_cache_is_told_through_the_file(another_process):
    path = LocalChanges.path()
    before = path.stat().st_mtime_ns if path.exists() else None
    caching.new_version()
    assert (path.stat().st_mtime_ns if path.exists() else None) == before
