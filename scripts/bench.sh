#!/usr/bin/env bash
# bench.sh — `make bench`: pg_complaint against its PL/pgSQL peer, side by side in one run,
# on a throwaway cluster. Not part of `make check`.
#
#   scripts/bench.sh                 every section
#   scripts/bench.sh calendar ...    only the named sections
#   scripts/bench.sh --list          the sections
#
# Each section is a function bench_<name>; it prints a readable table and writes the same as
# markdown to bench/results/<name>.md (gitignored; machine and date on top) for BENCHMARKS.md.
# Sizes can be overridden from the environment (see each section) for a quick trial run.
# Needs the peer at ../shared/peers/plpgsql/peer.sql (relative to the repository root); the
# benchmark reads it, the extension itself never does.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/bench/results
PEER_SQL=${BENCH_PEER_SQL:-$ROOT/../shared/peers/plpgsql/peer.sql}

SECTIONS=(calendar)   # run in this order; a new section = a bench_<name> function + a name here

# ---------------------------------------------------------------------------------------------
# helpers

# psql with the settings every section wants
bpsql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# bench_db NAME: a fresh database with pg_complaint and the peer loaded
bench_db() {
  bpsql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" \
        -c "CREATE DATABASE $1" >/dev/null
  bpsql -d "$1" -c "CREATE EXTENSION pg_complaint" >/dev/null
  bpsql -d "$1" -f "$PEER_SQL" >/dev/null
}

# machine_md: the machine and software, as markdown list items
machine_md() {
  local cpu mem
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  cpu+=" (family $(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  cpu+=" model $(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  cpu+=", $(sed -n 's/^cpu MHz[[:space:]]*: \([0-9]*\).*/\1/p' /proc/cpuinfo | head -1) MHz"
  grep -qw hypervisor /proc/cpuinfo && cpu+=", virtual machine"
  cpu+=")"
  mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, ${cpu}, $mem RAM, $(uname -sr), Debian $(cat /etc/debian_version 2>/dev/null || echo ?)"
  echo "- PostgreSQL: $(psql -X -At -d postgres -c 'SELECT version()')"
  echo "- server settings: $(psql -X -At -d postgres -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'fsync', 'synchronous_commit', 'jit', 'max_parallel_workers_per_gather')")"
  echo "- pg_complaint: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
  echo "- command: \`make bench\` (= \`scripts/bench.sh\`; this section alone: \`scripts/bench.sh $1\`)"
}

# ---------------------------------------------------------------------------------------------
# sections

# calendar: per-call time of business_add / business_between, ours vs peer (bench/calendar.sql)
#   BENCH_CAL_N_OURS (1000000) calls per measurement of ours, BENCH_CAL_N_PEER (5000) of the
#   peer, BENCH_CAL_REPS (5) measured rounds (median reported) after one warm-up round.
bench_calendar() {
  local n_ours=${BENCH_CAL_N_OURS:-1000000} n_peer=${BENCH_CAL_N_PEER:-5000} reps=${BENCH_CAL_REPS:-5}
  local table=$PGC_TMP/calendar_table.md   # inside the cluster's temp dir: removed on exit
  bench_db pgc_bench_calendar
  bpsql -d pgc_bench_calendar -v n_ours="$n_ours" -v n_peer="$n_peer" -v reps="$reps" \
        -v md="$table" -f bench/calendar.sql
  {
    echo "## Calendar functions: per-call time, ours (C) vs the PL/pgSQL peer"
    echo
    machine_md calendar
    echo "- session settings of this section: jit=off, max_parallel_workers_per_gather=0 (one core per call, no JIT compile time)"
    echo
    cat "$table"
  } >"$RESULTS/calendar.md"
  echo "  -> $RESULTS/calendar.md"
}

# ---------------------------------------------------------------------------------------------
# main

run=()
for a in "$@"; do
  case $a in
    --list) printf '%s\n' "${SECTIONS[@]}"; exit 0 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *)
      if [[ " ${SECTIONS[*]} " != *" $a "* ]]; then
        echo "bench: unknown section '$a' (sections: ${SECTIONS[*]})" >&2
        exit 2
      fi
      run+=("$a") ;;
  esac
done
((${#run[@]})) || run=("${SECTIONS[@]}")

if [[ ! -f $PEER_SQL ]]; then
  echo "bench: the PL/pgSQL peer is missing: expected $(realpath -m "$PEER_SQL")" >&2
  echo "bench: every benchmark compares against it; check out shared/ next to this repository" >&2
  exit 1
fi

scripts/deps.sh
export PATH=/usr/lib/postgresql/15/bin:$PATH
echo "== build"
buildlog=$(mktemp /tmp/pgc_bench_build.XXXXXX)
if ! { make -s && make -s install >/dev/null; } >"$buildlog" 2>&1; then
  cat "$buildlog" >&2; rm -f "$buildlog"
  echo "bench: build or install failed" >&2
  exit 1
fi
grep -v '^clang\|^/usr/bin/clang' "$buildlog" || true
rm -f "$buildlog"

source scripts/cluster.sh
# Stock durability settings, stated explicitly: the throughput sections must pay for real
# commits. Parallel query and JIT are switched off per session where a section needs it.
cluster_start "fsync = on" "synchronous_commit = on" "full_page_writes = on" \
  || { echo "bench: could not start the benchmark cluster" >&2; exit 1; }
mkdir -p "$RESULTS"

T0=$SECONDS
for s in "${run[@]}"; do
  echo "== $s"
  t=$SECONDS
  "bench_$s"
  echo "  ($((SECONDS - t)) s)"
done
echo "== done in $((SECONDS - T0)) s; results in bench/results/"
