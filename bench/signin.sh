#!/usr/bin/env bash
# Self sign-in benchmark on a throw-away PostgreSQL server (default durability settings), stopped
# again when this script ends. Arguments go to bench/signin.py, e.g. --duration 20 --workers 4.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg.sh
. scripts/pg.sh
# The load comes from wrk, and curl checks the sign-in answers before it (scripts/debian.sh).
need_debian_packages wrk curl
pg_start
DATABASE_URL="$PG_URL" .venv/bin/python bench/signin.py "$@"
