#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster, then stop and delete it.
#
#   scripts/pg-throwaway.sh [--] COMMAND [ARGS...]
#
# The cluster lives in a fresh temporary folder, listens on a Unix socket in that
# folder and on a free loopback port, trusts local connections and is tuned for
# speed, not durability (fsync off). Its bootstrap role is a superuser, so Django's
# test runner may create and drop test_<name>. The command runs with
#   DJANGO_DATABASE_URL=postgres://cnrs@127.0.0.1:PORT/cnrs
#   PGHOST / PGPORT / PGUSER / PGDATABASE   (for psql and friends)
# and this script exits with the command's exit code. The cluster is stopped and
# its folder removed on exit, whatever happens (trap on EXIT, INT and TERM).
#
# initdb and postgres refuse to run as root: as root they run as the `postgres`
# system user (runuser). PG_SHARED_BUFFERS sets shared_buffers (128MB, PostgreSQL's
# default, unless given: the benchmark gives room for its data set, as a
# production server would). PostgreSQL 15 is preferred (PG_BINDIR overrides the
# search); when no server is installed and we are root on Debian, it is installed
# with apt-get. Exit codes of its own: 90 no PostgreSQL, 91 cluster did not start.
#
# PG_STANDBY=1 also starts a streaming standby of the cluster (pg_basebackup, hot
# standby, on another free loopback port) and exports its address as
#   DJANGO_TEST_STANDBY_URL=postgres://cnrs@127.0.0.1:PORT2/cnrs
# for the tests of read replicas (tests/partners/test_replicas.py).
set -euo pipefail

if [[ "${1:-}" == "--" ]]; then shift; fi
if [[ $# -eq 0 ]]; then
    echo "usage: $0 [--] COMMAND [ARGS...]" >&2
    exit 2
fi

log() { echo "pg-throwaway: $*" >&2; }

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" && -x "${PG_BINDIR}/initdb" ]]; then
        echo "$PG_BINDIR"; return 0
    fi
    if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
        echo /usr/lib/postgresql/15/bin; return 0
    fi
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$candidate" && -x "$candidate/initdb" ]]; then
        echo "$candidate"; return 0
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"; return 0
    fi
    return 1
}

if ! BINDIR=$(find_bindir); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "no PostgreSQL server found: installing it with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq postgresql-15 >/dev/null \
            || apt-get install -y -qq postgresql >/dev/null
    fi
    if ! BINDIR=$(find_bindir); then
        log "no PostgreSQL server (initdb) found; install postgresql-15"
        exit 90
    fi
fi
log "using $("$BINDIR/postgres" --version)"

# A free loopback port, chosen by the kernel.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/cnrs-pg.XXXXXX")
chmod 755 "$WORKDIR"
DATADIR="$WORKDIR/data"
STANDBYDIR="$WORKDIR/standby"
SOCKDIR="$WORKDIR/socket"
mkdir -p "$SOCKDIR"

# Run PostgreSQL's own programs as a user they accept.
if [[ $(id -u) -eq 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
        log "running as root but there is no 'postgres' system user"
        exit 90
    fi
    chown -R postgres: "$WORKDIR"
    as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
    as_pg() { "$@"; }
fi

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local dir
    for dir in "$STANDBYDIR" "$DATADIR"; do
        if [[ -f "$dir/postmaster.pid" ]]; then
            as_pg "$BINDIR/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null 2>&1 || true
        fi
    done
    rm -rf "$WORKDIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg "$BINDIR/initdb" -D "$DATADIR" -U cnrs --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-sync >"$WORKDIR/initdb.log" 2>&1 \
    || as_pg "$BINDIR/initdb" -D "$DATADIR" -U cnrs --auth=trust --encoding=UTF8 \
        --locale=C --no-sync >"$WORKDIR/initdb.log" 2>&1 \
    || { cat "$WORKDIR/initdb.log" >&2; log "initdb failed"; exit 91; }

OPTS="-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$SOCKDIR"
OPTS+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
OPTS+=" -c max_connections=50 -c shared_buffers=${PG_SHARED_BUFFERS:-128MB}"
if ! as_pg "$BINDIR/pg_ctl" -D "$DATADIR" -o "$OPTS" -l "$WORKDIR/server.log" \
        -w -t 60 start >/dev/null; then
    cat "$WORKDIR/server.log" >&2 || true
    log "the cluster did not start"
    exit 91
fi

export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=cnrs PGDATABASE=cnrs
"$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U cnrs cnrs
export DJANGO_DATABASE_URL="postgres://cnrs@127.0.0.1:$PORT/cnrs"
unset DJANGO_DB_NAME DJANGO_DB_USER DJANGO_DB_PASSWORD DJANGO_DB_HOST DJANGO_DB_PORT
log "cluster up on 127.0.0.1:$PORT (socket in $SOCKDIR), DJANGO_DATABASE_URL=$DJANGO_DATABASE_URL"

if [[ "${PG_STANDBY:-}" == 1 ]]; then
    STANDBY_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # -R writes the standby's primary_conninfo and standby.signal; a fast
    # checkpoint, or pg_basebackup waits 90 s for a spread one.
    as_pg "$BINDIR/pg_basebackup" -h 127.0.0.1 -p "$PORT" -U cnrs -D "$STANDBYDIR" \
        -R -X stream --no-sync --checkpoint=fast >"$WORKDIR/basebackup.log" 2>&1 \
        || { cat "$WORKDIR/basebackup.log" >&2; log "pg_basebackup failed"; exit 91; }
    STANDBY_OPTS="-c listen_addresses=127.0.0.1 -c port=$STANDBY_PORT"
    STANDBY_OPTS+=" -c unix_socket_directories=$SOCKDIR -c hot_standby=on"
    STANDBY_OPTS+=" -c fsync=off -c max_connections=50"
    if ! as_pg "$BINDIR/pg_ctl" -D "$STANDBYDIR" -o "$STANDBY_OPTS" \
            -l "$WORKDIR/standby.log" -w -t 60 start >/dev/null; then
        cat "$WORKDIR/standby.log" >&2 || true
        log "the standby did not start"
        exit 91
    fi
    export DJANGO_TEST_STANDBY_URL="postgres://cnrs@127.0.0.1:$STANDBY_PORT/cnrs"
    log "standby up on 127.0.0.1:$STANDBY_PORT, DJANGO_TEST_STANDBY_URL=$DJANGO_TEST_STANDBY_URL"
fi

set +e
"$@"
status=$?
set -e
exit "$status"
