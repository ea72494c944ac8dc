#!/usr/bin/env bash
# The team deployment without containers: PostgreSQL, a Chroma server and advisor workers, as plain commands.
#
#   deploy/plain/cluster.sh start [postgres] [chroma] [workers]   # all three when none is named
#   deploy/plain/cluster.sh stop
#
# Everything lives under $DEPLOY_DIR. On one machine the parts talk over loopback; on several, run each part where
# it belongs and point ADVISOR_DATABASE_URL / ADVISOR_CHROMA_URL at it. Settings (defaults in brackets):
#   DEPLOY_DIR [/srv/advisor]   PG_PORT [5432]   CHROMA_PORT [8001]   WORKER_PORTS ["8101 8102"]   BIND [127.0.0.1]
#   PG_BIN [newest /usr/lib/postgresql/*/bin, else PATH]   ADVISOR [advisor]   CHROMA [chroma]
# Each worker gets its own ADVISOR_HOME (home-<port>): nothing is shared through the local disk.
set -euo pipefail

DEPLOY_DIR=${DEPLOY_DIR:-/srv/advisor}
PG_PORT=${PG_PORT:-5432}
CHROMA_PORT=${CHROMA_PORT:-8001}
WORKER_PORTS=${WORKER_PORTS:-"8101 8102"}
BIND=${BIND:-127.0.0.1}
ADVISOR=${ADVISOR:-advisor}
CHROMA=${CHROMA:-chroma}
# Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<version>/bin; a tool not there comes from PATH
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
export ADVISOR_DATABASE_URL=${ADVISOR_DATABASE_URL:-postgresql+psycopg://advisor@127.0.0.1:${PG_PORT}/advisor}
export ADVISOR_CHROMA_URL=${ADVISOR_CHROMA_URL:-http://127.0.0.1:${CHROMA_PORT}}

as_postgres() {  # PostgreSQL refuses to run as root; the Debian package brings a `postgres` user for that
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg() {  # TOOL ARGS...: a PostgreSQL tool from PG_BIN, else from PATH, as the server's user
    local tool=$1
    shift
    if [ -n "$PG_BIN" ] && [ -x "$PG_BIN/$tool" ]; then tool="$PG_BIN/$tool"; fi
    as_postgres "$tool" "$@"
}

wait_for() {  # URL, what: poll until it answers (60 s)
    for _ in $(seq 1 300); do
        if curl -sf -o /dev/null "$1"; then return 0; fi
        sleep 0.2
    done
    echo "cluster.sh: $2 did not come up at $1 (see $DEPLOY_DIR/*.log)" >&2
    return 1
}

start_postgres() {
    mkdir -p "$DEPLOY_DIR/pg-socket"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DEPLOY_DIR" "$DEPLOY_DIR/pg-socket"; fi
    if [ ! -f "$DEPLOY_DIR/pg/PG_VERSION" ]; then
        # trust on loopback only; on a network set a password (--auth=scram-sha-256 --pwfile=...) and listen wider
        pg initdb -D "$DEPLOY_DIR/pg" -U advisor --auth=trust -E UTF8 --no-sync >/dev/null
    fi
    if ! pg pg_ctl -D "$DEPLOY_DIR/pg" status >/dev/null 2>&1; then
        pg pg_ctl -D "$DEPLOY_DIR/pg" -l "$DEPLOY_DIR/postgres.log" -w \
            -o "-h 127.0.0.1 -p $PG_PORT -k $DEPLOY_DIR/pg-socket" start >/dev/null
    fi
    if ! pg psql -h 127.0.0.1 -p "$PG_PORT" -U advisor -d postgres -Atc \
        "SELECT 1 FROM pg_database WHERE datname = 'advisor'" | grep -q 1; then
        pg createdb -h 127.0.0.1 -p "$PG_PORT" -U advisor advisor
    fi
    echo "postgres: $ADVISOR_DATABASE_URL"
}

start_chroma() {
    mkdir -p "$DEPLOY_DIR/chroma"
    nohup "$CHROMA" run --path "$DEPLOY_DIR/chroma" --host 127.0.0.1 --port "$CHROMA_PORT" \
        >"$DEPLOY_DIR/chroma.log" 2>&1 &
    echo $! >"$DEPLOY_DIR/chroma.pid"
    wait_for "$ADVISOR_CHROMA_URL/api/v2/heartbeat" chroma
    # one ingest for the whole deployment (unchanged files are skipped), so workers start with --no-ingest
    ADVISOR_HOME="$DEPLOY_DIR/home-ingest" "$ADVISOR" ingest >"$DEPLOY_DIR/ingest.log" 2>&1
    echo "chroma: $ADVISOR_CHROMA_URL"
}

start_workers() {
    for port in $WORKER_PORTS; do
        ADVISOR_HOME="$DEPLOY_DIR/home-$port" nohup "$ADVISOR" serve --no-ingest --host "$BIND" --port "$port" \
            >"$DEPLOY_DIR/worker-$port.log" 2>&1 &
        echo $! >"$DEPLOY_DIR/worker-$port.pid"
    done
    for port in $WORKER_PORTS; do
        wait_for "http://$BIND:$port/healthz" "worker $port"
        echo "worker: http://$BIND:$port"
    done
}

stop_all() {
    for pidfile in "$DEPLOY_DIR"/worker-*.pid "$DEPLOY_DIR"/chroma.pid; do
        [ -f "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    done
    if [ -f "$DEPLOY_DIR/pg/postmaster.pid" ]; then
        pg pg_ctl -D "$DEPLOY_DIR/pg" -m fast -w stop >/dev/null
    fi
}

command=${1:-}
shift || true
case "$command" in
    start)
        mkdir -p "$DEPLOY_DIR"
        parts=${*:-postgres chroma workers}
        for part in $parts; do
            case "$part" in
                postgres) start_postgres ;;
                chroma) start_chroma ;;
                workers) start_workers ;;
                *) echo "cluster.sh: unknown part $part (postgres, chroma, workers)" >&2; exit 2 ;;
            esac
        done
        ;;
    stop) stop_all ;;
    *) echo "usage: deploy/plain/cluster.sh start [postgres] [chroma] [workers] | stop" >&2; exit 2 ;;
esac
