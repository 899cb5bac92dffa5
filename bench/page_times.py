"""Time pages one request at a time, in process, to find where a page spends its time.

    .venv/bin/python bench/page_times.py [--repeat 15] [--sql] [--profile]
        [--cookie sessionid=…] [--after-change [--in-turn | --at-once N]]
        NAME=/address …

Runs with the environment's settings and database (bench/web.py's environment, for
instance DJANGO_ENV=production, DJANGO_DATABASE_URL, DJANGO_REDIS_URL, and
DJANGO_PAGE_CACHE_SECONDS=0 to time the views themselves). Each address is requested
once to warm up, then ``--repeat`` times with Django's test client; prints the median
and fastest time, the median CPU time of this process (Python's share, which other
work on the machine changes far less than the time: compare commits by it), the
SQL queries of one request and their time, and the size of the page. ``--sql``
lists the queries; ``--profile`` prints cProfile's top functions over ten requests.
Addresses under /admin/ are requested with ``--cookie`` (a staff session, as
bench/web_probe.py's ``prepare`` makes). ``--after-change`` takes a new
content version before each timed request, so that what is cached per version (the
dashboard's counts) is built again, as after an admin save; with ``--in-turn``, one
new version a round and then every address in turn, so that a page reuses what an
earlier one rebuilt (the countries in French, then in English); with ``--at-once N``,
N requests of each address at the same moment after each change, each in its own
thread and database connection (visitors arriving together: the time until the last
one is served). A tool for a developer, not a benchmark: bench/web.py measures pages
under load.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", metavar="NAME=/address")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sql", action="store_true", help="list the queries")
    parser.add_argument("--profile", action="store_true", help="cProfile 10 requests")
    parser.add_argument("--cookie", default="", help="staff session for /admin/")
    parser.add_argument(
        "--after-change",
        action="store_true",
        help="a new content version before each request (aggregates rebuilt)",
    )
    parser.add_argument(
        "--in-turn",
        action="store_true",
        help="with --after-change: one new version a round, then each address in "
        "turn (the first after a change rebuilds what the next ones share)",
    )
    parser.add_argument(
        "--at-once",
        type=int,
        default=0,
        metavar="N",
        help="with --after-change: N requests of each address at once after each "
        "change, in threads",
    )
    args = parser.parse_args()
    if (args.in_turn or args.at_once) and not args.after_change:
        parser.error("--in-turn and --at-once go with --after-change")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from partners.caching import content_changed

    if args.in_turn:
        time_in_turn(args, Client, content_changed)
        return
    if args.at_once:
        time_at_once(args, Client, content_changed)
        return

    for page in args.pages:
        name, _, address = page.partition("=")
        headers = {"host": "127.0.0.1", "x-forwarded-proto": "https"}
        if address.startswith("/admin/") and args.cookie:
            headers["cookie"] = args.cookie
        client = Client(headers=headers)
        response = client.get(address)
        if response.status_code != 200:
            raise SystemExit(f"{address} answered {response.status_code}")
        times, cpu = [], []
        for _ in range(args.repeat):
            if args.after_change:
                content_changed()  # as after an admin save
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(address)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        if args.after_change:
            content_changed()  # the queries listed are those after a change too
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        print(
            f"{name:20} median {statistics.median(times):7.1f} ms  "
            f"fastest {min(times):7.1f} ms  "
            f"cpu {statistics.median(cpu):6.1f} ms  {len(queries)} queries "
            f"({sql_ms:.0f} ms)  {len(response.content):,} bytes"
        )
        if args.sql:
            for query in queries.captured_queries:
                print(f"    {query['time']} {query['sql'][:300]}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(10):
                client.get(address)
            profile.disable()
            for order in ("cumulative", "tottime"):
                text = io.StringIO()
                pstats.Stats(profile, stream=text).sort_stats(order).print_stats(40)
                print(text.getvalue())


def time_in_turn(args, Client, content_changed) -> None:
    """Time each address right after a change, in the order given, round by round."""
    client = Client(headers={"host": "127.0.0.1", "x-forwarded-proto": "https"})
    pages = [page.partition("=")[::2] for page in args.pages]
    for _name, address in pages:
        if (status := client.get(address).status_code) != 200:
            raise SystemExit(f"{address} answered {status}")
    times = {name: [] for name, _address in pages}
    for _ in range(args.repeat):
        content_changed()  # as after an admin save
        for name, address in pages:
            started = time.perf_counter()
            client.get(address)
            times[name].append((time.perf_counter() - started) * 1000)
    for name, _address in pages:
        median = statistics.median(times[name])
        print(f"{name:20} median {median:7.1f} ms after a change")


def time_at_once(args, Client, content_changed) -> None:
    """Time ``--at-once`` requests of each address made together after a change."""
    from concurrent.futures import ThreadPoolExecutor

    headers = {"host": "127.0.0.1", "x-forwarded-proto": "https"}

    def get(address: str) -> float:
        # Each thread keeps its own database connection, as a server's would.
        started = time.perf_counter()
        if (status := Client(headers=headers).get(address).status_code) != 200:
            raise SystemExit(f"{address} answered {status}")
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(args.at_once) as pool:
        for page in args.pages:
            name, _, address = page.partition("=")
            get(address)
            slowest, medians = [], []
            for _ in range(args.repeat):
                content_changed()  # as after an admin save
                times = list(pool.map(get, [address] * args.at_once))
                slowest.append(max(times))
                medians.append(statistics.median(times))
            print(
                f"{name:20} {args.at_once} at once after a change: median request "
                f"{statistics.median(medians):7.1f} ms, the last served "
                f"{statistics.median(slowest):7.1f} ms (medians of {args.repeat})"
            )


if __name__ == "__main__":
    main()
