# cnrs-intl: the two commands, and a few helpers.
#
#   make demo    Set up and start the site with demo data, from a fresh clone:
#                creates .venv (Python 3.11) with the runtime dependencies, applies
#                the migrations, compiles the translations when a .po changed
#                (scripts/compile-messages.sh; the .mo files are committed, so
#                gettext is optional), loads the demo data (load_demo), prints the
#                staff login (ensure_demo_staff), then serves the site on
#                http://127.0.0.1:$(PORT)/ (PORT=8000 by default: make demo PORT=8765).
#                Data go to ./db.sqlite3 (or DJANGO_DATABASE_URL / DJANGO_SQLITE_PATH)
#                and are kept: running it again changes nothing but starts faster.
#   make test    Installs what the suite needs (.venv with the `test` extra; Debian's
#                chromium, PostgreSQL and redis-server with apt-get when missing and
#                root), then
#                runs the suite three ways (scripts/test-all.sh): on a throw-away
#                PostgreSQL 15 cluster, on SQLite, and the browser tests in
#                headless Chromium. All three always run; it fails if any fails,
#                and ends with one summary line per run and a `total:` line.
#                PYTEST_ARGS="-x -k expr" passes options to every run.
#   make bench   The benchmarks of bench/ (scripts, not tests), figures in
#                docs/benchmarks.md. First the ROR import of a generated dump
#                (BENCH_RECORDS=120000 records by default), on SQLite then on a
#                throw-away PostgreSQL; time and peak memory. Then the pages under
#                load (bench/web.py): on a throw-away PostgreSQL, generate_data
#                (BENCH_SCALE=1.0, a million partners, timed), gunicorn with
#                production settings and Redis on loopback, wrk at 16 connections
#                for BENCH_DURATION=10 s a page, page cache on and off; prints one
#                table (req/s, ratio to /healthz, p50, p99, queries, targets) and
#                rewrites its section of docs/benchmarks.md. About 25 min at full
#                size; wrk and redis-server come from apt-get when missing (root).
#                Quick check: make bench BENCH_SCALE=0.01 BENCH_DURATION=3.
#                BENCH_WEB_ARGS passes options to bench/web.py (--workers,
#                --worker-class, --no-write; --help lists them). Its PostgreSQL
#                has BENCH_SHARED_BUFFERS=2GB of shared buffers, room for the
#                1.4 GB database at full size, as in production (README).
#   make lint    ruff check and ruff format --check.
#   make format  ruff format and ruff check --fix.
#   make clean   Removes .venv, db.sqlite3 and staticfiles/.
#
# .ci/run is `CI=true make test`: under CI a run that cannot happen (no PostgreSQL,
# no Chromium, no test collected) is a failure, never a skip.

SHELL := /bin/bash
PYTHON_SYSTEM ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test bench lint format clean venv venv-test messages
BENCH_RECORDS ?= 120000
BENCH_SCALE ?= 1.0
BENCH_DURATION ?= 10
BENCH_WEB_ARGS ?=
BENCH_SHARED_BUFFERS ?= 2GB

# .venv, made with Python 3.11 when missing.
define make_venv
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
		|| { echo "$(VENV) is not Python 3.11: make clean, then retry" >&2; exit 1; }
endef

# The runtime environment: rebuilt only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(make_venv)
	$(PIP) install -e .
	@touch $@

# The test environment: the runtime one and the `test` extra, in one pip run (the
# runtime first, then the extra, took 5-10 s more from a fresh clone: each run
# resolves the dependencies and builds the project again).
$(VENV)/.installed-test: pyproject.toml
	$(make_venv)
	$(PIP) install -e '.[test]'
	@touch $(VENV)/.installed $@

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

messages: $(VENV)/.installed
	@PYTHON=$(PY) scripts/compile-messages.sh

# ensure_demo_staff prints the login on the port served (PORT), unless DEMO_ADMIN_URL
# gives another address.
demo: $(VENV)/.installed messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	PORT=$(PORT) $(PY) manage.py ensure_demo_staff
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# messages after the environment, never beside it (make -j): both would install.
test: $(VENV)/.installed-test
	@$(MAKE) --no-print-directory messages
	@PYTHON=$(PY) scripts/test-all.sh $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(PY) bench/ror_import.py --records $(BENCH_RECORDS)
	scripts/pg-throwaway.sh -- sh -c \
		'$(PY) bench/ror_import.py --records $(BENCH_RECORDS) --database-url "$$DJANGO_DATABASE_URL"'
	PG_SHARED_BUFFERS=$(BENCH_SHARED_BUFFERS) scripts/pg-throwaway.sh -- \
		$(PY) bench/web.py --scale $(BENCH_SCALE) \
		--duration $(BENCH_DURATION) $(BENCH_WEB_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-journal staticfiles .pytest_cache .ruff_cache
