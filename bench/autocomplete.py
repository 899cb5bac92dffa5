"""Time the partner name autocomplete as a visitor types, one letter at a time.

    .venv/bin/python bench/autocomplete.py [--language fr] [--sql] [--admin] WORD …

For each WORD, asks ``/LANGUAGE/partners/names.json?q=…`` with its first two letters,
then three, and so on, once each, in a fresh process: every text is new, as at each
keystroke, so nothing but what earlier texts cached is cached. Prints, per text, the
time, the number of SQL queries and the first suggestion; ``--sql`` lists each
query's time and start. Runs with the environment's settings and database, as
bench/page_times.py does (DJANGO_ENV=production, DJANGO_DATABASE_URL, …; the page
cache does not apply to this JSON). ``--admin`` asks the admin's partner picker
instead (``/admin/autocomplete/``, the agreement form's partners, with a superuser's
session; it makes one, ``bench-autocomplete``, if needed). A tool for a developer,
not a timed test; the figures are in docs/benchmarks.md, "Autocomplete at a million
partners" and "The admin's partner pickers at a million partners".
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("words", nargs="+", metavar="WORD")
    parser.add_argument("--language", default="fr")
    parser.add_argument("--sql", action="store_true", help="list the queries")
    parser.add_argument("--admin", action="store_true", help="the admin's picker")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"host": "127.0.0.1", "x-forwarded-proto": "https"})
    if args.admin:
        from django.contrib.auth import get_user_model

        staff, _created = get_user_model().objects.get_or_create(
            username="bench-autocomplete",
            defaults={"is_staff": True, "is_superuser": True},
        )
        client.force_login(staff)
        address = "/admin/autocomplete/"
        picker = {"app_label": "partners", "model_name": "agreement"}

        def query(text):
            return {**picker, "field_name": "partners", "term": text}

        def first_name(results):
            return results[0]["text"] if results else ""
    else:
        address = f"/{args.language}/partners/names.json"

        def query(text):
            return {"q": text}

        def first_name(results):
            return results[0]["name"] if results else ""

    client.get(address, query("xx"))  # imports, connection: not part of a keystroke
    for word in args.words:
        for length in range(2, len(word) + 1):
            text = word[:length]
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(address, query(text))
            elapsed = (time.perf_counter() - started) * 1000
            results = response.json()["results"]
            first = first_name(results)
            print(
                f"{text!r:32} {elapsed:7.0f} ms  {len(queries):2} queries  "
                f"{len(results):2} suggestions  {first}"
            )
            if args.sql:
                for query in queries.captured_queries:
                    print(f"    {query['time']} s  {query['sql'][:160]}")


if __name__ == "__main__":
    main()
