"""The WSGI application as each gunicorn worker loads it (no --preload): its URL
table imported at start, then what it holds frozen out of the garbage collector's
full collections (docs/benchmarks.md, session 45), with no query, so that a worker
starts with the database away; and the collector's first threshold raised (session
46)."""

import subprocess
import sys

from tests.cnrs_intl.test_settings import PRODUCTION, ROOT, clean_environment

LOADED = (
    "import gc, sys; import cnrs_intl.wsgi as wsgi; "
    "print(callable(wsgi.application), 'cnrs_intl.urls' in sys.modules, "
    "gc.get_freeze_count(), len(gc.get_objects()), *gc.get_threshold())"
)


def test_a_worker_loads_its_url_table_then_freezes_it_with_the_database_away():
    environment = clean_environment()
    # Nothing listens on port 1: a query would fail the import.
    environment.update(PRODUCTION, DJANGO_DATABASE_URL="postgres://cnrs@127.0.0.1:1/x")
    result = subprocess.run(
        [sys.executable, "-c", LOADED],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    application, urls, frozen, tracked, *threshold = result.stdout.split()
    assert application == urls == "True"
    # Nearly everything the application holds is frozen; what is left is the
    # little made since (this check's own objects).
    assert int(frozen) > 10 * int(tracked)
    # Young collections ten times rarer than Python's default (700): the oldest
    # generation's, which follow them, too (docs/benchmarks.md, session 46).
    assert [int(value) for value in threshold] == [7000, 10, 10]
