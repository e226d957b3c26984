# cluster.sh — sourced by check.sh, demo.sh and bench.sh: a throwaway PostgreSQL 15 cluster
# run by the `postgres` OS user (PostgreSQL refuses to run as root) on a unix socket in a
# temporary directory, removed again on exit, failure or Ctrl-C.
#
# The cluster preloads pg_cron (package postgresql-15-cron, scripts/deps.sh) for
# tests/shell/pg_cron.sh: its launcher runs in database pgc_cron (cron.database_name), which
# cluster_start creates right after the start. Until then (and if it is dropped) the launcher
# fails to connect and the postmaster retries it; nothing else is affected. Only a database
# that runs CREATE EXTENSION pg_cron has its cron schema; the other suites never see pg_cron.
#
#   cluster_start [extra postgres -c settings...]   exports PGHOST PGPORT PGUSER PGDATABASE
#                                                    (PGC_PORT: the port, default 5432)
#   cluster_stop                                     (also run by the EXIT trap)

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGC_TMP=""

cluster_stop() {
  if [[ -n "$PGC_TMP" && -d "$PGC_TMP" ]]; then
    if [[ -f "$PGC_TMP/data/postmaster.pid" ]]; then
      runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGC_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGC_TMP"
  fi
  PGC_TMP=""
}

cluster_start() {
  local opts=("$@")
  PGC_TMP=$(mktemp -d /tmp/pg_complaint.XXXXXX)
  trap cluster_stop EXIT
  trap 'cluster_stop; exit 130' INT
  trap 'cluster_stop; exit 143' TERM
  chown postgres: "$PGC_TMP"
  chmod 700 "$PGC_TMP"
  if [[ $(id -u) -eq 0 ]]; then
    RUNPG=(runuser -u postgres --)
  else
    RUNPG=()
  fi
  "${RUNPG[@]}" "$PGBIN/initdb" -D "$PGC_TMP/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$PGC_TMP/initdb.log" 2>&1 \
    || { cat "$PGC_TMP/initdb.log" >&2; return 1; }
  {
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$PGC_TMP'"
    echo "port = ${PGC_PORT:-5432}"
    echo "max_connections = 50"
    echo "shared_buffers = 256MB"
    echo "log_min_messages = warning"
    echo "lc_messages = 'C'"
    echo "shared_preload_libraries = 'pg_cron'"
    echo "cron.database_name = 'pgc_cron'"
    echo "cron.use_background_workers = on"
    echo "max_worker_processes = 16"
    for o in "${opts[@]}"; do echo "$o"; done
  } >>"$PGC_TMP/data/postgresql.conf"
  "${RUNPG[@]}" "$PGBIN/pg_ctl" -D "$PGC_TMP/data" -l "$PGC_TMP/server.log" -w -t 60 start >/dev/null \
    || { cat "$PGC_TMP/server.log" >&2; return 1; }
  export PGHOST="$PGC_TMP" PGPORT=${PGC_PORT:-5432} PGUSER=postgres PGDATABASE=postgres
  # pg_cron's launcher connects to cron.database_name: give it its database at once
  "$PGBIN/psql" -X -q -d postgres -c "CREATE DATABASE pgc_cron" >/dev/null \
    || { cat "$PGC_TMP/server.log" >&2; return 1; }
}

cluster_restart() {
  "${RUNPG[@]}" "$PGBIN/pg_ctl" -D "$PGC_TMP/data" -l "$PGC_TMP/server.log" -w -t 60 restart >/dev/null
}
