"""Time a unit's history page in the admin as its versions grow.

    .venv/bin/python bench/history_page.py [--slug jrl] [--versions 60]

Gives the unit ``--slug`` (the demo's JRL by default) that many more versions, each
an edit changing its acronym and secondary institutes, then requests its history
page as a superuser with Django's test client and prints the status, the SQL
queries, the time and the number of versions. Runs with the environment's settings
and database (DJANGO_SETTINGS_MODULE, DJANGO_SQLITE_PATH or DJANGO_DATABASE_URL);
it writes to that database: use a copy or the demo's. A tool for a developer, not a
timed test; the figures are in docs/benchmarks.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="jrl")
    parser.add_argument("--versions", type=int, default=60)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from partners.history import one_version_per_edit
    from units.models import Institute, Unit

    unit = Unit.objects.get(slug=args.slug)
    institutes = list(Institute.objects.all()[:5])
    for i in range(args.versions):
        with one_version_per_edit():
            unit.acronym = f"{unit.acronym.rstrip('0123456789')}{i % 3}"
            unit.save()
            unit.secondary_institutes.set(institutes[: i % 5])
    admin = User.objects.filter(is_superuser=True).first() or (
        User.objects.create_superuser("bench-history", password="x")
    )
    client = Client()
    client.force_login(admin)
    url = f"/admin/units/unit/{unit.pk}/history/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    print(
        f"{url}: {response.status_code}, {len(queries)} queries, "
        f"{elapsed * 1000:.0f} ms, {unit.history.count()} versions"
    )


if __name__ == "__main__":
    main()
