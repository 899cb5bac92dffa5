#!/usr/bin/env bash
# Run the whole test suite three ways and print a summary (what `make test` runs).
#
#   1. postgresql: every test that reaches the database but the browser ones, on a
#      throw-away PostgreSQL cluster and a streaming standby of it
#      (scripts/pg-throwaway.sh), with CNRS_EXPECT_DB=postgresql;
#   2. sqlite:     every test but the browser and PostgreSQL-only ones, on SQLite,
#      with CNRS_EXPECT_DB=sqlite;
#   3. browser:    the browser tests (Playwright + Debian's Chromium), on SQLite.
#
# The first two run at the same time (each one core), then the browser run on the
# core the SQLite run leaves. The SQLite run is made of two parts: the programmes',
# the units' and the settings' tests (LATE_SQLITE_TESTS, about 170 s of SQLite's
# 400) run after the PostgreSQL run, on its core, so that both cores end about
# together (CI took 948 s of its 900 when the SQLite run's 490 s then the
# browser's 414 s came one after the other, the PostgreSQL run's 654 s beside
# them; at b843897, 627 s: PostgreSQL 416 s then late SQLite 132 s, beside
# SQLite 270 s then the browser 357 s, before the units' tests, ~35 s, moved to
# the late part; at 0734e06, 589 s: PostgreSQL 405 s then late SQLite 148 s,
# beside SQLite 231 s then the browser 358 s; the settings' tests, 20 s, mostly
# wait for the processes they start). Since, the later runs skip the migrations
# and the rewriting of the test modules (below), and the browser run's tests no
# longer send post_migrate after each flush nor fetch every static file again
# (tests/browser/conftest.py): the browser run's share fell most. Not yet
# re-measured on a quiet machine: at 6391260 the runs took 905 s (PostgreSQL),
# 606 s (SQLite), 412 s (browser) and 131 s (late SQLite) with other work loading
# both cores (load 5-14; the SQLite run, whose tests did not change, took 2.3
# times its 258 s of the CI before), so the split is left as it was.
# All runs run even when one fails; the script exits non-zero if any failed.
# Debian's chromium and redis-server (the shared cache's tests start one) are
# installed with apt-get when missing and we are root (never `playwright install`).
# With CI=true a run that cannot happen (no PostgreSQL, no Chromium, no
# redis-server) or that collects no test is a failure; otherwise it is reported as
# skipped. Extra arguments go to every pytest run (e.g. -x, -k expr).
#
# Environment: PYTHON (default .venv/bin/python), CNRS_TEST_TIMEOUT (seconds per
# run, default 1500), CNRS_TEST_RUNS (default "postgresql sqlite browser").
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
# Python writes its bytecode, pytest its rewritten test modules (__pycache__/,
# ignored by git): the runs that start later import them rather than compile and
# rewrite the 180 test modules again (collection: 17 s, then 4 s, under load).
unset PYTHONDONTWRITEBYTECODE
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
TIMEOUT=${CNRS_TEST_TIMEOUT:-1500}
RUNS=${CNRS_TEST_RUNS:-postgresql sqlite browser}
case "${CI:-}" in 1 | true | TRUE | True | yes) IN_CI=1 ;; *) IN_CI=0 ;; esac

LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/cnrs-tests.XXXXXX")
trap 'rm -rf "$LOGDIR"' EXIT

say() { printf '\n=== %s ===\n' "$*"; }

# The database variables of the caller must not leak into the SQLite runs.
DB_VARS=(DJANGO_DATABASE_URL DJANGO_DB_NAME DJANGO_DB_USER DJANGO_DB_PASSWORD
    DJANGO_DB_HOST DJANGO_DB_PORT DJANGO_SQLITE_PATH)
SQLITE_ENV=(env)
for var in "${DB_VARS[@]}"; do SQLITE_ENV+=(-u "$var"); done
# A production environment would refuse SQLite: tests run in development mode.
SQLITE_ENV+=(DJANGO_ENV=development)
# The SQLite runs migrate their test database once between them: the first to
# migrate leaves a copy here, which the others load in place of the migrations
# (tests/conftest.py, _sqlite_migrated_once; 12-17 s a run).
mkdir -p "$LOGDIR/sqlite-migrated"
SQLITE_ENV+=(CNRS_TEST_SQLITE_MIGRATED="$LOGDIR/sqlite-migrated")

ensure_chromium() {
    if command -v chromium >/dev/null 2>&1 || [[ -n "${CHROMIUM_PATH:-}" ]]; then
        return 0
    fi
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian's chromium (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else
        echo "chromium is missing and we cannot apt-get install it (not root)" >&2
    fi
    command -v chromium >/dev/null 2>&1
}

ensure_redis() {
    command -v redis-server >/dev/null 2>&1 && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian's redis-server (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
    fi
    command -v redis-server >/dev/null 2>&1 ||
        echo "redis-server is missing: the shared cache's tests will skip" \
            "(or fail under CI=true)" >&2
}

declare -A STATUS SUMMARY SECONDS_TAKEN STARTED PIDS
FAILED_RUNS=()

# start NAME EXPECTED_DB COMMAND...: start a run in the background, its output in
# its log (printed whole when it ends: runs at once would interleave their lines).
start() {
    local name=$1 expect=$2
    shift 2
    say "$name: started: $*"
    STARTED[$name]=$(date +%s)
    (
        CNRS_EXPECT_DB=$expect "$@" >"$LOGDIR/$name.log" 2>&1
        echo $? >"$LOGDIR/$name.rc"
        date +%s >"$LOGDIR/$name.end"
    ) &
    PIDS[$name]=$!
}

# finish NAME: wait for the run, print its output and record how it went.
finish() {
    local name=$1
    local log="$LOGDIR/$name.log" rc
    wait "${PIDS[$name]}"
    rc=$(cat "$LOGDIR/$name.rc" 2>/dev/null || echo 1)
    SECONDS_TAKEN[$name]=$(($(cat "$LOGDIR/$name.end") - STARTED[$name]))
    say "$name: output"
    cat "$log"
    # pytest's closing line: "==== 12 passed, 1 skipped in 3.40s ====".
    SUMMARY[$name]=$(grep -E '^=+ .*( in [0-9.]+s)( \([0-9:]+\))? =+$' "$log" |
        tail -n 1 | sed -E 's/^=+ //; s/ =+$//')
    case $rc in
    0) STATUS[$name]=passed ;;
    5)
        STATUS[$name]="no test collected (pytest exit 5)"
        [[ $IN_CI -eq 1 ]] && FAILED_RUNS+=("$name")
        ;;
    90 | 91)
        if [[ $IN_CI -eq 1 ]]; then
            STATUS[$name]="FAILED: PostgreSQL unavailable (exit $rc)"
            FAILED_RUNS+=("$name")
        else
            STATUS[$name]="skipped: PostgreSQL unavailable (exit $rc)"
        fi
        ;;
    124 | 137) STATUS[$name]="FAILED: timed out after ${TIMEOUT}s" && FAILED_RUNS+=("$name") ;;
    *) STATUS[$name]="FAILED (exit $rc)" && FAILED_RUNS+=("$name") ;;
    esac
}

PYTEST=(timeout -k 30 "$TIMEOUT" "$PYTHON" -m pytest -p no:cacheprovider "$@")
# The SQLite tests run after the PostgreSQL run, on its core (above). Chosen so
# that both chains end together: SQLite then browser (352 + 475 s at 545912f)
# against PostgreSQL then these (601 + 128 s); the last four files, ~50 s,
# moved here in session 47 (CI 849 s, where 657 s a session before).
LATE_SQLITE_TESTS=(
    tests/programmes
    tests/units
    tests/cnrs_intl/test_settings.py
    tests/cnrs_intl/test_site_information.py
    tests/partners/test_admin_publication_confirmation.py
    tests/partners/test_spreadsheet_labels.py
    tests/partners/test_xlsx.py
)
TOTAL_START=$(date +%s)

ensure_redis
# The PostgreSQL and SQLite runs share nothing (their own databases, Redis on a
# free port, temporary folders): they run at once, one a core. The browser run
# takes the core the SQLite run leaves (it ends about two minutes before the
# PostgreSQL run, which the browser run waited for: CI took 14.5 minutes of its
# 15): never beside both, whose load would disturb its timing.
for name in $RUNS; do
    case $name in
    postgresql)
        # With a streaming standby, for the tests of read replicas.
        # Without the tests that never reach the database (CNRS_DATABASE_TESTS_ONLY,
        # tests/conftest.py): the SQLite runs have them, 40 s of the PostgreSQL run.
        start postgresql postgresql env PG_STANDBY=1 CNRS_DATABASE_TESTS_ONLY=1 \
            scripts/pg-throwaway.sh -- "${PYTEST[@]}" -m "not browser"
        ;;
    sqlite)
        start sqlite sqlite "${SQLITE_ENV[@]}" "${PYTEST[@]}" -m "not browser and not postgresql" \
            "${LATE_SQLITE_TESTS[@]/#/--ignore=}"
        ;;
    browser) ;;
    *)
        echo "unknown run '$name' in CNRS_TEST_RUNS" >&2
        exit 2
        ;;
    esac
done
start_browser() {
    if ! ensure_chromium; then
        echo "Debian's chromium is not available: the browser tests will skip" \
            "(or fail under CI=true)" >&2
    fi
    start browser sqlite "${SQLITE_ENV[@]}" "${PYTEST[@]}" -m browser
}
start_sqlite_late() {
    start sqlite-late sqlite "${SQLITE_ENV[@]}" "${PYTEST[@]}" \
        -m "not browser and not postgresql" "${LATE_SQLITE_TESTS[@]}"
}
wants_browser=0
[[ " $RUNS " == *" browser "* ]] && wants_browser=1
wants_late=0
if [[ " $RUNS " == *" sqlite "* ]]; then
    RUNS="$RUNS sqlite-late"
    wants_late=1
    # Without a PostgreSQL run, its core is free from the start.
    if [[ " $RUNS " != *" postgresql "* ]]; then
        start_sqlite_late
        wants_late=2
    fi
fi
# The SQLite run first: it is the shorter, and its end starts the browser run;
# the PostgreSQL run's end starts the late SQLite tests.
for name in sqlite postgresql; do
    [[ " $RUNS " == *" $name "* ]] || continue
    finish "$name"
    if [[ $name == sqlite && $wants_browser -eq 1 ]]; then
        start_browser
        wants_browser=2
    fi
    if [[ $name == postgresql && $wants_late -eq 1 ]]; then
        start_sqlite_late
        wants_late=2
    fi
done
if [[ $wants_browser -eq 1 ]]; then
    start_browser
fi
if [[ $wants_browser -ge 1 ]]; then
    finish browser
fi
if [[ $wants_late -ge 1 ]]; then
    finish sqlite-late
fi

# The closing lines: one per run, then the totals across the runs.
passed=0 failed=0 skipped=0
count() { grep -oE "[0-9]+ $1" <<<"$2" | awk '{s += $1} END {print s + 0}'; }
say "summary"
for name in $RUNS; do
    summary=${SUMMARY[$name]:-no pytest summary}
    printf '%-16s %s -- %s (%ss)\n' "$name:" "${STATUS[$name]}" "$summary" \
        "${SECONDS_TAKEN[$name]}"
    run_failed=$(($(count failed "$summary") + $(count 'errors?' "$summary")))
    if [[ $run_failed -eq 0 && " ${FAILED_RUNS[*]} " == *" $name "* ]]; then
        run_failed=1 # a run that failed without a failing test still counts
    fi
    passed=$((passed + $(count passed "$summary")))
    failed=$((failed + run_failed))
    skipped=$((skipped + $(count skipped "$summary")))
done
echo "time: $(($(date +%s) - TOTAL_START))s for the runs"
if [[ ${#FAILED_RUNS[@]} -gt 0 ]]; then
    echo "make test: FAILED (${FAILED_RUNS[*]})"
    echo "total: $passed passed, $failed failed, $skipped skipped"
    exit 1
fi
echo "make test: OK"
echo "total: $passed passed, $failed failed, $skipped skipped"
