#!/usr/bin/env bash
# demo.sh — `make demo`: install what is missing, build, start a throwaway cluster, load
# pg_complaint and walk through what it does (scripts/demo/*.sql, in name order).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
export PATH=/usr/lib/postgresql/15/bin:$PATH
make -s -j2 >/dev/null
make -s install >/dev/null

source scripts/cluster.sh
cluster_start
psql -X -q -c "CREATE DATABASE demo" >/dev/null
export PGDATABASE=demo
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION pg_complaint"

for f in scripts/demo/*.sql; do
  psql -X -q -v ON_ERROR_STOP=1 -P pager=off -f "$f"
done
echo
echo "(demo cluster removed; the extension stays installed — see README.md to use it in your own database)"
