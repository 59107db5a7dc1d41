#!/usr/bin/env bash
# Foundation benchmark on a throw-away PostgreSQL server (default durability settings), stopped
# again when this script ends. Arguments go to bench/foundation.py, e.g. --people 150000 --explain.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg.sh
. scripts/pg.sh
pg_start
DATABASE_URL="$PG_URL" .venv/bin/python bench/foundation.py "$@"
