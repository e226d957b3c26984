#!/usr/bin/env bash
# bi_clients.sh — real BI clients: the JDBC driver (Debian libpostgresql-jdbc-java, run by the
# machine's Java) and the ODBC driver (unixODBC + psqlODBC, Debian odbc-postgresql, through
# python3-pyodbc) connect as a complaint_reader login, list the BI views and their column
# types through the drivers' metadata calls, read every view, and find the tables closed.
#
# JDBC speaks TCP only (the PostgreSQL JDBC driver has no unix-socket transport of its own),
# while the cluster of `make check` listens on a unix socket only. So this harness starts a
# small cluster of its own (scripts/cluster.sh) that also listens on 127.0.0.1, on a free
# port, with trust authentication for the loopback (initdb --auth=trust): JDBC uses the
# loopback, ODBC the socket directory (psqlODBC takes it as Servername). Data: 80 generated
# complaints (complaint.generate). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
JAR=${PGC_JDBC_JAR:-/usr/share/java/postgresql.jar}
PY=/usr/bin/python3
PASS=0
FAIL=0

fail_all() { echo "bi_clients: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
command -v java >/dev/null || fail_all "java is missing (scripts/deps.sh installs default-jre-headless)"
[[ -f $JAR ]] || fail_all "the JDBC driver $JAR is missing (scripts/deps.sh installs libpostgresql-jdbc-java)"
$PY -c 'import pyodbc' 2>/dev/null || fail_all "python3-pyodbc is missing (scripts/deps.sh installs it)"
odbcinst -q -d 2>/dev/null | grep -q 'PostgreSQL Unicode' || fail_all "psqlODBC is missing (scripts/deps.sh installs odbc-postgresql)"

PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
source scripts/cluster.sh
PGC_PORT=$PORT cluster_start "listen_addresses = '127.0.0.1'" || fail_all "could not start a loopback cluster"
WORK=$(mktemp -d /tmp/pgc_bi_clients.XXXXXX)
trap 'cluster_stop; rm -rf "$WORK"' EXIT

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE bi" >/dev/null || fail_all "createdb failed"
psql -X -q -v ON_ERROR_STOP=1 -d bi >/dev/null <<'SQL' || fail_all "set-up failed"
SET client_min_messages = warning;
CREATE EXTENSION pg_complaint;
SELECT complaint.generate('fuel_retail', 50, '2026-03-01 00:00+08', '2026-03-20 00:00+08', 3);
SELECT complaint.generate('food', 30, '2026-03-01 00:00+08', '2026-03-20 00:00+08', 4);
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgc_bi_client') THEN CREATE ROLE pgc_bi_client LOGIN; END IF;
END $$;
GRANT complaint_reader TO pgc_bi_client;
SQL

# count_run NAME LOG: add the run's "N passed, N failed" to the totals
count_run() {
  local line ok bad
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -1)
  if [[ -z $line ]]; then
    cat "$2"; echo "not ok - $1 did not finish"; FAIL=$((FAIL + 1)); return
  fi
  ok=${line%% passed*}; bad=${line#*passed, }; bad=${bad%% failed*}
  grep -E '^(ok|not ok|#)' "$2" | sed "s/^/[$1] /"
  PASS=$((PASS + ok)); FAIL=$((FAIL + bad))
}

echo "== JDBC ($(basename "$(readlink -f "$JAR")"), java $(java -version 2>&1 | head -1 | cut -d'"' -f2)) over 127.0.0.1:$PORT"
java -cp "$JAR" tests/shell/bi_clients/BiClient.java "jdbc:postgresql://127.0.0.1:$PORT/bi" pgc_bi_client >"$WORK/jdbc.txt" 2>&1
count_run jdbc "$WORK/jdbc.txt"

echo "== ODBC (psqlODBC through unixODBC) over the socket in $PGHOST"
$PY tests/shell/bi_clients/bi_odbc.py \
    "Driver={PostgreSQL Unicode};Servername=$PGHOST;Port=$PORT;Database=bi;Username=pgc_bi_client" >"$WORK/odbc.txt" 2>&1
count_run odbc "$WORK/odbc.txt"

psql -X -q -d postgres -c "DROP DATABASE bi" -c "DROP ROLE pgc_bi_client" >/dev/null
echo "$PASS passed, $FAIL failed"
[[ $FAIL -eq 0 ]]
