#!/usr/bin/env bash
# deps.sh — install what pg_complaint's build, tests, demo and benchmarks need on Debian 12,
# and nothing that is already there. Needs root (apt-get); prints what it installs.
set -euo pipefail

PACKAGES=(
  make gcc                                  # build
  postgresql-15 postgresql-server-dev-15    # server, PGXS, pg_regress, pg_isolation_regress
  postgresql-15-pgtap                       # pgTAP
  libtap-parser-sourcehandler-pgtap-perl    # pg_prove
  postgresql-15-cron                        # pg_cron (complaint.schedule(), tests/shell/pg_cron.sh)
  libpq-dev                                 # pgc, the command-line companion (tools/pgc/)
  valgrind                                  # tests/shell/pgc.sh: one run under memcheck
  python3                                   # tests/shell/pgc.sh: JSON and display-width checks
  libpostgresql-jdbc-java                   # JDBC driver (tests/shell/bi_clients.sh)
  unixodbc odbc-postgresql python3-pyodbc   # ODBC driver manager, psqlODBC, an ODBC client (same harness)
)
# the JDBC test runs on the machine's Java; a headless JRE when there is none
command -v java >/dev/null 2>&1 || PACKAGES+=(default-jre-headless)

missing=()
for p in "${PACKAGES[@]}"; do
  [[ $p == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "deps: missing packages: ${missing[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# pg_config of PostgreSQL 15 must come first (Debian's /usr/bin/pg_config may be libpq's)
if ! /usr/lib/postgresql/15/bin/pg_config --version | grep -q ' 15\.'; then
  echo "deps: PostgreSQL 15 pg_config not found" >&2
  exit 1
fi
