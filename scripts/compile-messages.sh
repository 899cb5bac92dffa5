#!/usr/bin/env bash
# Compile locale/*/LC_MESSAGES/*.po into .mo files, when there is something to do.
#
# The compiled .mo files are committed, so a machine without gettext still has
# working translations. This script recompiles when a .po has no .mo or is newer
# than it: with msgfmt on the PATH it runs `manage.py compilemessages`; without it,
# as root on Debian it installs gettext first; otherwise it warns and carries on
# with the committed .mo files.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

shopt -s nullglob
po_files=(locale/*/LC_MESSAGES/*.po)
if [[ ${#po_files[@]} -eq 0 ]]; then
    echo "compile-messages: no locale/*/LC_MESSAGES/*.po, nothing to compile"
    exit 0
fi

stale=0
for po in "${po_files[@]}"; do
    mo=${po%.po}.mo
    if [[ ! -f $mo || $po -nt $mo ]]; then stale=1; fi
done
if [[ $stale -eq 0 ]]; then
    echo "compile-messages: the .mo files are up to date"
    exit 0
fi

if ! command -v msgfmt >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "compile-messages: installing gettext (apt-get) for msgfmt"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq gettext >/dev/null || true
    fi
fi
if ! command -v msgfmt >/dev/null 2>&1; then
    echo "compile-messages: WARNING: msgfmt (gettext) is missing; using the committed .mo files" >&2
    exit 0
fi
"$PYTHON" manage.py compilemessages --ignore=.venv --ignore=node_modules -v 1
