"""Benchmark the site's pages under load: gunicorn, production settings, wrk.

    .venv/bin/python bench/web.py [--scale 1.0] [--duration 10] [--runs 2] [--workers 4]
        [--worker-class gthread] [--connections 16] [--skip-generate]
        [--database-url URL] [--output docs/benchmarks.md] [--no-write]

On a PostgreSQL database (``--database-url``, else DJANGO_DATABASE_URL, else a
throw-away cluster started with scripts/pg-throwaway.sh): migrates, generates the data
set on the empty database (``manage.py generate_data --scale S``, timed;
``--skip-generate`` keeps the data already there), runs ANALYZE, collects the static
files into a temporary folder and starts Redis on a free loopback port. Then twice,
with the anonymous page cache on and off (DJANGO_PAGE_CACHE_SECONDS=0; Redis is the
cache either way), it starts gunicorn with DJANGO_ENV=production on 127.0.0.1 and drives
each page with wrk (a short warm-up, then ``--runs`` runs of ``--duration`` seconds at
``--connections`` connections, the best kept). Every page must answer 200 first. The
SQL queries per request and the time of a request alone (the median of five, after
a first) come from a separate process (bench/web_probe.py) with Django's test client.

Every request carries ``X-Forwarded-Proto: https``, as the TLS-terminating proxy in
front of production does (SECURE_PROXY_SSL_HEADER): production settings stay as they
are, SSL redirect included. The admin changelists are requested with a superuser's
session cookie. Prints one markdown table (requests/s, ratio to /healthz, p50, p99,
queries, target met or missed by how much) and rewrites the part of ``--output``
between ``<!-- web-bench:start -->`` and ``<!-- web-bench:end -->``.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
START_MARKER = "<!-- web-bench:start -->"
END_MARKER = "<!-- web-bench:end -->"
# The placeholder section the first run replaces.
OLD_SECTION = "## Still to come (issue 5)"

# Targets, as ratios to /healthz's requests per second in the same run (so they carry
# over between machines) and p99 latencies in milliseconds.
CACHED_RATIO = 0.9
LIST_RATIO = 0.25
DETAIL_RATIO = 0.4
DETAIL_P99_MS = 150
ADMIN_P99_MS = 250
GENERATE_TARGET_S = 600
# gthread rather than sync workers. Measured here (4 workers, 16 connections, demo
# data, a busy 2-core machine): /healthz 890-1100 req/s with gthread (4 threads) against
# 250-330 with sync, the static file and the cached pages 2-3 times faster too, uncached
# pages the same (they are CPU-bound). Sync workers close the connection after every
# response, so wrk mostly measured TCP set-up; gthread keeps connections alive and
# overlaps the waits on Redis and PostgreSQL.
DEFAULT_WORKER_CLASS = "gthread"


INTRO = """
`make bench` (BENCH_SCALE=1.0, BENCH_DURATION=10) generates the data set on a
throw-away PostgreSQL 15, serves the site with gunicorn and production settings on
loopback (Redis as the cache; requests carry `X-Forwarded-Proto: https` as from the TLS
proxy), and drives each page with wrk at {connections} connections (the best of
two runs: other work on this shared machine slows it for tens of seconds at a time,
which then spoils one run, not the figure), with the anonymous page cache on, then
off (`DJANGO_PAGE_CACHE_SECONDS=0`). Ratios are to `/healthz`'s
requests per second in the same run (the mean of a measure at its start and one at its
end), so that they carry over between machines. "alone" is the median time of five
requests one at a time with no other running, after a first, and "queries" the SQL
queries of one (Django's test client, same settings and cache).
Targets: cached public pages ≥ {cached}× `/healthz`; uncached list and search pages
≥ {listed}×; uncached detail pages ≥ {detail}× with p99 < {detail_p99} ms; admin
changelists p99 < {admin_p99} ms (staff have a session cookie: never page-cached).
The home page, which lists every unit and office, counts as a list page. The offices
list, empty in the generated data (the site's header and footer around a heading),
has no target: it shows what the least of the pages rendered by Django's templates
reaches uncached. gunicorn runs
gthread workers: they keep connections alive, where sync workers close each one (on
this machine sync served `/healthz` 3 times slower, uncached pages as fast).
"""


@dataclass
class Page:
    key: str
    label: str
    # healthz, static and floor are references; list, detail and admin have targets.
    kind: str


PAGES = [
    Page("healthz", "`/healthz` (trivial view, full middleware)", "healthz"),
    Page("static", "static file (site.css, WhiteNoise)", "static"),
    # What any page rendered by Django's templates costs at least: generate_data makes
    # no office, so this is the base template (header, language switcher, footer)
    # around a heading and an empty list. No target of its own.
    Page("offices", "offices list, empty (the smallest public page)", "floor"),
    # The home page gathers lists (every unit and office, counts): a list page.
    Page("home", "home page", "list"),
    Page("partners_country", "partners by country", "list"),
    Page("partners_search", "partner search by text", "list"),
    Page("unit", "a unit's page", "detail"),
    Page("country", "a country's page", "detail"),
    Page("grants", "grants list", "list"),
    Page("search", "global search", "list"),
    # The data API: the same lists and records as JSON, no template.
    Page("api_partners", "API: partners by country (JSON)", "list"),
    Page("api_unit", "API: a unit (JSON)", "detail"),
    Page("admin_partners", "admin: partners changelist", "admin"),
    Page("admin_grants", "admin: grants changelist", "admin"),
    Page("admin_projects", "admin: projects changelist", "admin"),
]
MODES = {"on": {}, "off": {"DJANGO_PAGE_CACHE_SECONDS": "0"}}


@dataclass
class Measure:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int = 0
    socket_errors: int = 0
    queries: int | None = None
    alone_ms: float | None = None
    ratio: float = 0.0
    page_cache: str = ""
    cancelled: int = 0


@dataclass
class Run:
    urls: dict
    cookie: str
    results: dict = field(default_factory=dict)  # (page key, mode) -> Measure
    healthz_end: dict = field(default_factory=dict)  # mode -> Measure


def log(message: str) -> None:
    print(f"web-bench: {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_tools() -> None:
    """Install wrk and redis-server from Debian when missing (as root only)."""
    missing = [
        package
        for package, program in (("wrk", "wrk"), ("redis-server", "redis-server"))
        if shutil.which(program) is None
    ]
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SystemExit(f"web-bench: install {' '.join(missing)} first")
    log(f"installing {' '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *missing],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def probe(env: dict, command: str, host: str, stdin: str | None = None):
    result = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "web_probe.py"), command, host],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        input=stdin,
        stdout=subprocess.PIPE,
    )
    return json.loads(result.stdout)


class Redis:
    """A redis-server on a free loopback port, in a temporary folder, no persistence."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(workdir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "1gb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
            stdout=(workdir / "redis.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while self.command("PING") != "PONG":
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit("web-bench: redis-server did not start")
            time.sleep(0.1)

    def command(self, *args: str) -> str:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args],
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    def version(self) -> str:
        info = self.command("INFO", "server")
        match = re.search(r"redis_version:(\S+)", info)
        return match.group(1) if match else "?"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Gunicorn:
    """gunicorn serving cnrs_intl.wsgi on 127.0.0.1:<free port>."""

    def __init__(self, env: dict, args: argparse.Namespace, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = [
            str(Path(PYTHON).parent / "gunicorn"),
            "cnrs_intl.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--error-logfile",
            str(log_path),
        ]
        if args.worker_class == "gthread":
            command += ["--threads", str(args.threads)]
        # Django logs to stderr: tracebacks land in the same file.
        with log_path.open("a") as output:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = fetch(self.base + "/healthz", {})
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise SystemExit(
                    f"web-bench: gunicorn did not start:\n{self.log_tail()}"
                )
            time.sleep(0.2)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def cpu_seconds(self) -> float:
        """Return the CPU time used so far by gunicorn's master and workers."""
        total = 0
        # Listed, then read one by one: a process may end between the two, which
        # pathlib's glob did not survive (it checks each entry it lists).
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                fields = Path("/proc", name, "stat").read_text().rsplit(")", 1)[1]
                fields = fields.split()
            except (OSError, IndexError):
                continue  # the process has gone
            pid = int(name)
            # fields[1] is the parent's pid; [11] and [12] are utime and stime.
            if pid == self.process.pid or int(fields[1]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, timeout: float = 120) -> None:
        """Wait until the workers have finished what wrk left in flight.

        When wrk stops, the requests it abandoned still run to their end in the
        workers: without this wait they would slow down the next measurement.
        """
        deadline = time.monotonic() + timeout
        used = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.cpu_seconds()
            if now - used < 0.05:  # under 10 % of a core over half a second
                return
            used = now
        log("WARNING: gunicorn still busy after wrk stopped; measuring anyway")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, headers: dict) -> tuple[int, dict]:
    """GET ``url`` without following redirects; return the status and headers."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with OPENER.open(request, timeout=120) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, dict(error.headers)


def headers_for(run: Run, key: str) -> dict:
    headers = {"X-Forwarded-Proto": "https"}
    if key.startswith("admin_"):
        headers["Cookie"] = run.cookie
    return headers


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> Measure:
    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise SystemExit(f"web-bench: cannot read wrk's output:\n{output}")
        return match

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Measure(
        rps=float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=parse_duration_ms(find(r"^\s+50%\s+(\S+)").group(1)),
        p99_ms=parse_duration_ms(find(r"^\s+99%\s+(\S+)").group(1)),
        requests=int(find(r"^\s+(\d+) requests in").group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        # Read errors are counted apart: sync workers close every connection.
        socket_errors=sum(int(errors.group(i)) for i in (1, 3, 4)) if errors else 0,
    )


def wrk(url: str, headers: dict, seconds: int, args: argparse.Namespace) -> str:
    command = [
        "wrk",
        f"-t{args.threads_wrk}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        # wrk's default timeout (2 s) would drop slow requests from the latencies.
        "--timeout",
        "60s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return result.stdout


def measure_mode(
    mode: str,
    env: dict,
    run: Run,
    args: argparse.Namespace,
    workdir: Path,
    database: "Database",
) -> None:
    server = Gunicorn(env, args, workdir / f"gunicorn-{mode}.log")
    host = f"127.0.0.1:{server.port}"

    def settle():
        # What wrk left in flight runs on: wait, cancel the queries of the requests
        # nobody waits for any more, and wait until gunicorn is idle again.
        cancelled = database.settle()
        server.wait_idle()
        return cancelled

    try:
        # Every page answers 200 before anything is measured.
        for page in PAGES:
            url = server.base + run.urls[page.key]
            status, _ = fetch(url, headers_for(run, page.key))
            if status != 200:
                raise SystemExit(
                    f"web-bench: {run.urls[page.key]} answered {status} "
                    f"(page cache {mode}); gunicorn's log:\n{server.log_tail()}"
                )
        alone = probe(
            env,
            "queries",
            host,
            json.dumps(
                {
                    page.key: {
                        "url": run.urls[page.key],
                        "cookie": run.cookie if page.kind == "admin" else "",
                    }
                    for page in PAGES
                    if page.kind != "static"
                }
            ),
        )
        # /healthz at the start and again at the end: the reference is their mean.
        for page in [*PAGES, PAGES[0]]:
            url = server.base + run.urls[page.key]
            headers = headers_for(run, page.key)
            if args.warmup > 0:
                wrk(url, headers, args.warmup, args)
                settle()
            # The best of --runs: other work on a shared machine slows it for tens
            # of seconds at a time (seen halving one page or two of a run, a
            # different one each run); it then spoils one run, not the figure.
            measure, cancelled = None, 0
            for _ in range(args.runs):
                attempt = parse_wrk(wrk(url, headers, args.duration, args))
                cancelled += settle()
                if measure is None or attempt.rps > measure.rps:
                    measure = attempt
            measure.cancelled = cancelled
            if page.key in alone:
                measure.queries = alone[page.key]["queries"]
                measure.alone_ms = alone[page.key]["ms"]
            if mode == "on" and page.kind in ("list", "detail"):
                measure.page_cache = fetch(url, headers)[1].get("X-Page-Cache", "")
            if (page.key, mode) in run.results:
                run.healthz_end[mode] = measure
            else:
                run.results[page.key, mode] = measure
            log(
                f"cache {mode:3} {page.key:17} {measure.rps:8.1f} req/s  "
                f"p50 {measure.p50_ms:7.1f} ms  p99 {measure.p99_ms:7.1f} ms  "
                f"{measure.queries if measure.queries is not None else '-'} queries"
                + (f"  {measure.non_2xx} non-2xx" if measure.non_2xx else "")
                + (f"  {measure.cancelled} cancelled" if measure.cancelled else "")
            )
    finally:
        server.stop()
    healthz = (run.results["healthz", mode].rps + run.healthz_end[mode].rps) / 2
    for page in PAGES:
        run.results[page.key, mode].ratio = run.results[page.key, mode].rps / healthz


class Database:
    """The benchmark's database, watched between two runs of wrk."""

    def __init__(self, url: str):
        self.url = url

    def active(self, cancel: bool = False) -> int:
        import psycopg

        query = (
            "SELECT {} FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND state = 'active' "
            "AND pid <> pg_backend_pid()"
        ).format("count(pg_cancel_backend(pid))" if cancel else "count(*)")
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(query).fetchone()[0]

    def analyze(self) -> None:
        """Gather the planner's statistics, as autovacuum does in time: queried
        before it has, the search read the whole index of published partners'
        countries (0.48 s for "Brasília" at a million, where 30 ms)."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute("ANALYZE")

    def settle(self, timeout: float = 15) -> int:
        """Wait for the running queries; cancel those left after ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.active():
            if time.monotonic() > deadline:
                cancelled = self.active(cancel=True)
                log(f"cancelled {cancelled} queries still running after wrk")
                time.sleep(0.5)
                return cancelled
            time.sleep(0.25)
        return 0


def verdict(page: Page, mode: str, m: Measure) -> tuple[str, str]:
    """Return the target and whether it is met, and by how much it is missed."""
    checks = []  # ("ratio" or "p99", bound)
    if page.kind in ("list", "detail") and mode == "on":
        checks.append(("ratio", CACHED_RATIO))
    elif page.kind == "list":
        checks.append(("ratio", LIST_RATIO))
    elif page.kind == "detail":
        checks += [("ratio", DETAIL_RATIO), ("p99", DETAIL_P99_MS)]
    elif page.kind == "admin":
        checks.append(("p99", ADMIN_P99_MS))
    else:
        return "reference", ""
    texts, misses = [], []
    for what, bound in checks:
        if what == "ratio":
            texts.append(f"≥ {bound:.2f}×")
            if m.ratio < bound:
                misses.append(
                    f"by {bound - m.ratio:.2f}× ({(1 - m.ratio / bound):.0%} short)"
                )
        else:
            texts.append(f"p99 < {bound} ms")
            if m.p99_ms >= bound:
                misses.append(f"p99 by {m.p99_ms - bound:.0f} ms")
    if m.requests == 0:
        misses = ["no request answered during the run"]
    result = "met" if not misses else "**missed** " + "; ".join(misses)
    if mode == "on" and page.kind in ("list", "detail") and m.page_cache != "hit":
        result += " ⚠ not served from the page cache"
    if m.cancelled:
        result += f" ⚠ {m.cancelled} queries still running 15 s after the run"
    if m.non_2xx or m.socket_errors:
        result += f" ⚠ {m.non_2xx} non-2xx, {m.socket_errors} socket errors"
    return ", ".join(texts), result


def format_ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def table(run: Run) -> str:
    lines = [
        "| page | cache | requests | req/s | × `/healthz` | p50 ms | p99 ms "
        "| alone ms | queries | target | result |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for page in PAGES:
        for mode in MODES:
            m = run.results[page.key, mode]
            goal, result = verdict(page, mode, m)
            queries = "–" if m.queries is None else str(m.queries)
            alone = "–" if m.alone_ms is None else format_ms(m.alone_ms)
            label = page.label if mode == "on" else ""
            lines.append(
                f"| {label} | {mode} | {m.requests:,} | {m.rps:,.1f} "
                f"| {m.ratio:.2f} | {format_ms(m.p50_ms)} | {format_ms(m.p99_ms)} "
                f"| {alone} | {queries} | {goal} | {result} |"
            )
    return "\n".join(lines)


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) / 2**20
    return f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB RAM"


def git_commit() -> str:
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return commit


def format_seconds(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{seconds:.1f} s"


def report(run: Run, info: dict, args: argparse.Namespace) -> str:
    data = info["data"]
    sizes = ", ".join(
        f"{data[kind]['total']:,} {kind} ({data[kind]['public']:,} published)"
        for kind in ("partners", "units", "grants", "projects")
    )
    if info["generate_seconds"] is None:
        generated = "not run (`--skip-generate`: data already in the database)"
    else:
        seconds = info["generate_seconds"]
        state = (
            "met"
            if seconds < GENERATE_TARGET_S
            else f"**missed** by {format_seconds(seconds - GENERATE_TARGET_S)}"
        )
        generated = (
            f"{format_seconds(seconds)} (`--scale {args.scale}`; "
            f"target < 10 min: {state})"
        )
    worker = f"{args.workers} {args.worker_class} workers"
    if args.worker_class == "gthread":
        worker += f" of {args.threads} threads"
    healthz = ", ".join(
        f"cache {mode} {run.results['healthz', mode].rps:,.0f} then "
        f"{run.healthz_end[mode].rps:,.0f} req/s"
        for mode in MODES
    )
    urls = "; ".join(
        f"{page.key} `{run.urls[page.key]}`"
        for page in PAGES
        if page.kind in ("list", "detail")
    )
    notes = []
    if info["missing_static"]:
        names = ", ".join(f"`static/{name}`" for name in info["missing_static"])
        notes.append(
            f"- Warning: production's `collectstatic` fails: {names} is named by a "
            "`sourceMappingURL` but missing (measured with an empty stand-in)"
        )
    lines = [
        "## Pages under load (`bench/web.py`)",
        "",
        INTRO.format(
            connections=args.connections,
            cached=CACHED_RATIO,
            listed=LIST_RATIO,
            detail=DETAIL_RATIO,
            detail_p99=DETAIL_P99_MS,
            admin_p99=ADMIN_P99_MS,
        ).strip(),
        "",
        f"- Date: {info['date']}; commit {info['commit']}",
        f"- Machine: {info['machine']}; load average {info['load']} before the run, "
        f"{info['load_after']} after (other work on the machine skews the figures)",
        f"- Software: PostgreSQL {info['postgresql']} (shared_buffers "
        f"{info['shared_buffers']}), Redis {info['redis']}, "
        f"gunicorn with {worker}; wrk with "
        f"{args.threads_wrk} threads and {args.connections} connections, "
        f"{args.warmup} s of warm-up then the best of {args.runs} runs of "
        f"{args.duration} s a page",
        f"- `/healthz` at the start and the end of each run: {healthz}",
        f"- Data set: {sizes}",
        f"- `generate_data`: {generated}",
        f"- Addresses: {urls}; the text searches look for “{info['search_word']}”, "
        f"the most common city of {info['country']}'s partners",
        *notes,
        "",
        table(run),
    ]
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    block = f"{START_MARKER}\n{section.rstrip()}\n{END_MARKER}"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START_MARKER in text and END_MARKER in text:
        before, rest = text.split(START_MARKER, 1)
        after = rest.split(END_MARKER, 1)[1]
        text = before + block + after
    elif OLD_SECTION in text:
        before, rest = text.split(OLD_SECTION, 1)
        following = re.search(r"^## ", rest, re.MULTILINE)
        after = rest[following.start() :] if following else ""
        text = before + block + "\n" + ("\n" + after if after else "")
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="generate_data's --scale (1.0: full)"
    )
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds of wrk per page and mode"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="seconds of wrk before each page",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=2,
        help="runs of --duration seconds a page and mode; the best is kept",
    )
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn's"
    )
    parser.add_argument(
        "--worker-class", choices=("sync", "gthread"), default=DEFAULT_WORKER_CLASS
    )
    parser.add_argument("--threads", type=int, default=4, help="gthread's threads")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads-wrk", type=int, default=2)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DJANGO_DATABASE_URL"),
        help="a PostgreSQL database (default: DJANGO_DATABASE_URL, else a "
        "throw-away cluster)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()

    if not args.database_url:
        # Run again inside a throw-away PostgreSQL cluster.
        script = ROOT / "scripts" / "pg-throwaway.sh"
        os.execv(str(script), [str(script), "--", PYTHON, *sys.argv])

    ensure_tools()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="web-bench-") as workdir:
        run_bench(args, Path(workdir))
    log(f"done in {format_seconds(time.monotonic() - started)}")


def placeholder_source_maps(static_root: Path) -> list[str]:
    """Create empty stand-ins in ``static_root`` for source maps missing from static/.

    The manifest storage of production's collectstatic fails on a file that names a
    source map not shipped with it. The stand-ins let the benchmark run; the missing
    files are reported, since a real deployment fails there.
    """
    missing = []
    for path in sorted((ROOT / "static").rglob("*")):
        if path.suffix not in {".js", ".css"}:
            continue
        for name in re.findall(r"sourceMappingURL=([^\s*]+)", path.read_text("utf-8")):
            if (path.parent / name).exists() or ":" in name:
                continue
            relative = (path.parent / name).relative_to(ROOT / "static")
            stand_in = static_root / relative
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_text("")
            missing.append(str(relative))
    for name in missing:
        log(
            f"WARNING: static/{name} is named by a sourceMappingURL but missing: "
            "production's collectstatic fails on it (an empty stand-in is used here)"
        )
    return missing


def run_bench(args: argparse.Namespace, workdir: Path) -> None:
    load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cnrs_intl.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_DATABASE_URL=args.database_url,
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    log("migrating")
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    generate_seconds = None
    if not args.skip_generate:
        log(f"generate_data --scale {args.scale}")
        begun = time.monotonic()
        manage(env, "generate_data", "--scale", str(args.scale), "--in-production")
        generate_seconds = time.monotonic() - begun
        log(f"generate_data took {format_seconds(generate_seconds)}")
    log("ANALYZE")
    Database(args.database_url).analyze()
    warnings = placeholder_source_maps(workdir / "static")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")

    redis = Redis(workdir)
    try:
        env["DJANGO_REDIS_URL"] = redis.url
        info = probe(env, "prepare", "127.0.0.1")
        run = Run(urls=info["urls"], cookie=info["session_cookie"])
        database = Database(args.database_url)
        for page in PAGES:
            log(f"{page.key}: {run.urls[page.key]}")
        for mode, extra in MODES.items():
            # Each run starts from an empty cache; the session lives in the database.
            redis.command("FLUSHALL")
            measure_mode(mode, {**env, **extra}, run, args, workdir, database)
        info.update(
            redis=redis.version(),
            generate_seconds=generate_seconds,
            machine=machine(),
            commit=git_commit(),
            load=load,
            load_after="{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
            missing_static=warnings,
            date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    finally:
        redis.stop()
    section = report(run, info, args)
    print(section)
    if not args.no_write:
        write_section(args.output, section)
        log(f"wrote {args.output}")


if __name__ == "__main__":
    main()
