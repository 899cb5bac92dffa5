"""Benchmark the ROR import on a generated dump: time and peak memory.

    .venv/bin/python bench/ror_import.py [--records 120000] [--database-url URL]

Writes a synthetic ROR v2 dump of N records (shaped like the real ones: several
names and languages, external ids, links, relationships, about 2 KB each) to a
temporary file, migrates a throw-away SQLite database (or the empty PostgreSQL
database given by ``--database-url``), imports the dump, imports it again (which must
change nothing), and prints the time of each run and the process's peak memory.

The peak resident set size (``ru_maxrss``) covers the whole process: run it at two
sizes (e.g. 20,000 and 120,000) to see how the import's memory grows with the file
(only by the ids seen, about 120 bytes a record). ``--tracemalloc`` also reports the
peak of Python allocations during the first import (slower: it traces every
allocation).
"""

import argparse
import json
import os
import random
import resource
import string
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROR_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
COUNTRIES = [
    ("US", "United States", "en"),
    ("FR", "France", "fr"),
    ("DE", "Germany", "de"),
    ("JP", "Japan", "ja"),
    ("BR", "Brazil", "pt"),
    ("AU", "Australia", "en"),
    ("IN", "India", "hi"),
    ("ES", "Spain", "es"),
]
TYPES = [
    ["education"],
    ["education", "funder"],
    ["facility"],
    ["healthcare"],
    ["company"],
    ["government", "funder"],
    ["nonprofit"],
    ["archive"],
    ["other"],
]


def ror_id(n: int) -> str:
    """Return a well-formed, distinct ROR id for ``n``."""
    chars = []
    for _ in range(6):
        n, rest = divmod(n, len(ROR_ALPHABET))
        chars.append(ROR_ALPHABET[rest])
    return "0" + "".join(reversed(chars)) + f"{n % 100:02d}"


def synthetic_record(n: int, total: int, rng: random.Random) -> dict:
    code, country_name, lang = COUNTRIES[n % len(COUNTRIES)]
    word = "".join(rng.choices(string.ascii_lowercase, k=8)).capitalize()
    names = [
        {
            "value": f"{word} Institute {n}",
            "types": ["ror_display", "label"],
            "lang": "en",
        },
        {"value": f"{word[:3].upper()}{n}", "types": ["acronym"], "lang": None},
        {"value": f"{word} Inst. {n}", "types": ["alias"], "lang": "en"},
    ]
    if n % 3 == 0:
        names.append(
            {"value": f"Institut {word} {n}", "types": ["label"], "lang": "fr"}
        )
    if lang not in ("en", "fr"):
        names.append({"value": f"{word} local {n}", "types": ["label"], "lang": lang})
    relationships = [
        {
            "type": "related",
            "label": f"Related Institute of {word} number {n}",
            "id": f"https://ror.org/{ror_id(rng.randrange(total))}",
        }
        for _ in range(10)
    ]
    # A fifth of the records have a parent, half of them further down the file.
    if n % 5 == 0 and total > 1:
        parent = (n + rng.randrange(1, total)) % total
        relationships.append(
            {
                "type": "parent",
                "label": "Parent",
                "id": f"https://ror.org/{ror_id(parent)}",
            }
        )
    return {
        "admin": {
            "created": {"date": "2020-04-25", "schema_version": "1.0"},
            "last_modified": {"date": "2024-05-13", "schema_version": "2.0"},
        },
        "domains": [f"{word.lower()}{n}.example.org"],
        "established": 1850 + n % 170 if n % 7 else None,
        "external_ids": [
            {
                "type": "grid",
                "all": [f"grid.{n}.{n % 97}"],
                "preferred": f"grid.{n}.{n % 97}",
            },
            {
                "type": "isni",
                "all": [f"0000 0004 {n % 10000:04d} {n % 9999:04d}"],
                "preferred": None,
            },
            {"type": "wikidata", "all": [f"Q{n + 1000}"], "preferred": None},
            {
                "type": "fundref",
                "all": [f"50110000{n % 10000:04d}", f"10000{n % 10000:04d}"],
                "preferred": f"50110000{n % 10000:04d}",
            },
        ],
        "id": f"https://ror.org/{ror_id(n)}",
        "links": [
            {"type": "website", "value": f"https://www.{word.lower()}{n}.example.org/"},
            {"type": "wikipedia", "value": f"https://en.wikipedia.org/wiki/{word}_{n}"},
        ],
        "locations": [
            {
                "geonames_id": 2000000 + n,
                "geonames_details": {
                    "continent_code": "EU",
                    "continent_name": "Europe",
                    "country_code": code,
                    "country_name": country_name,
                    "country_subdivision_code": None,
                    "country_subdivision_name": None,
                    "lat": round(rng.uniform(-60, 70), 6),
                    "lng": round(rng.uniform(-179, 179), 6),
                    "name": f"City {n % 5000}",
                },
            }
        ],
        "names": names,
        "relationships": relationships,
        "status": "active" if n % 20 else "inactive",
        "types": TYPES[n % len(TYPES)],
    }


def write_dump(path: Path, total: int) -> int:
    """Write ``total`` records, one at a time, to ``path``; return its size in bytes."""
    rng = random.Random(2024)
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for n in range(total):
            if n:
                out.write(",\n")
            out.write(json.dumps(synthetic_record(n, total, rng), ensure_ascii=False))
        out.write("\n]\n")
    return path.stat().st_size


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=120_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        help="an empty PostgreSQL database (postgres://…); default: temporary SQLite",
    )
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    # The dump and the SQLite database go, whatever happens.
    with tempfile.TemporaryDirectory(prefix="ror-bench-") as workdir:
        run(args, Path(workdir))


def run(args: argparse.Namespace, workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cnrs_intl.settings"
    os.environ["DJANGO_DEBUG"] = "0"  # debug mode would keep every query in memory
    if args.database_url:
        os.environ["DJANGO_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DJANGO_DATABASE_URL", None)
        os.environ["DJANGO_SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    translation.activate("en")

    from partners.models import Partner
    from partners.services import import_ror

    dump = workdir / "ror-data.json"
    started = time.perf_counter()
    size = write_dump(dump, args.records)
    print(
        f"dump: {args.records:,} records, {size / 2**20:.0f} MB, "
        f"written in {time.perf_counter() - started:.1f} s"
    )
    call_command("migrate", verbosity=0)
    print(
        f"database: {connection.vendor}; peak RSS before import {peak_rss_mb():.0f} MB"
    )

    for run in ("first import", "second import"):
        if args.tracemalloc and run == "first import":
            tracemalloc.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        with dump.open("rb") as stream:
            report = import_ror(stream, batch_size=args.batch_size)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        traced = ""
        if tracemalloc.is_tracing():
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            traced = f", Python allocations peak {peak:.0f} MB"
            tracemalloc.stop()
        print(
            f"{run}: {elapsed:.1f} s ({args.records / elapsed:,.0f} records/s; "
            f"CPU {cpu:.1f} s), "
            f"peak RSS {peak_rss_mb():.0f} MB{traced}; {report.summary()}"
        )
    print(
        f"partners: {Partner.objects.count():,}, with a parent: "
        f"{Partner.objects.filter(parent__isnull=False).count():,}, "
        f"history rows: {Partner.history.count():,}"
    )
    connection.close()


if __name__ == "__main__":
    main()
