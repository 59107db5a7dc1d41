# Start a throw-away PostgreSQL 15 server on 127.0.0.1 for tests and benchmarks.
# Source this file, call `pg_start [extra server options]`, read $PG_URL; `pg_stop` ends it
# (pg_start also arranges for it to stop when the calling shell exits).
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# shellcheck source=scripts/debian.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian.sh"

pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
    need_debian_packages postgresql-15
    PG_DIR=$(mktemp -d /tmp/cascade-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 $*" start >/dev/null \
        || { cat "$PG_DIR/server.log" >&2; return 1; }
    trap pg_stop EXIT
    PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/cascade"
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres cascade
    export PG_URL PG_PORT PG_DIR
}

pg_stop() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
        pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
        PG_DIR=
    fi
}
