#!/usr/bin/env bash
# Dashboards benchmark on a throw-away PostgreSQL server, stopped again when this script ends.
# Arguments go to bench/dashboards.py, e.g. --people 150000 --requests 10 --explain.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg.sh
. scripts/pg.sh
pg_start
DATABASE_URL="$PG_URL" .venv/bin/python bench/dashboards.py "$@"
