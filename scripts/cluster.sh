# cluster.sh — sourced by check.sh, demo.sh and bench.sh: a throwaway PostgreSQL 15 cluster
# run by the `postgres` OS user (PostgreSQL refuses to run as root) on a unix socket in a
# temporary directory, removed again on exit, failure or Ctrl-C.
#
#   cluster_start [extra postgres -c settings...]   exports PGHOST PGPORT PGUSER PGDATABASE
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
    echo "port = 5432"
    echo "max_connections = 50"
    echo "shared_buffers = 256MB"
    echo "log_min_messages = warning"
    echo "lc_messages = 'C'"
    for o in "${opts[@]}"; do echo "$o"; done
  } >>"$PGC_TMP/data/postgresql.conf"
  "${RUNPG[@]}" "$PGBIN/pg_ctl" -D "$PGC_TMP/data" -l "$PGC_TMP/server.log" -w -t 60 start >/dev/null \
    || { cat "$PGC_TMP/server.log" >&2; return 1; }
  export PGHOST="$PGC_TMP" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
}

cluster_restart() {
  "${RUNPG[@]}" "$PGBIN/pg_ctl" -D "$PGC_TMP/data" -l "$PGC_TMP/server.log" -w -t 60 restart >/dev/null
}
