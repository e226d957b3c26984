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
# Sizes can be overridden from the environment (see each section) for a quick trial run;
# BENCH_REV names the revision when the tree is not a git checkout (e.g. a `git archive`);
# BENCH_KEEP=1 leaves the cluster (and its private server tree) running at the end, for
# looking into a result by hand; the last lines printed say how to connect and to stop it.
# Needs the peer at ../shared/peers/plpgsql/peer.sql (relative to the repository root); the
# benchmark reads it, the extension itself never does.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/bench/results
PEER_SQL=${BENCH_PEER_SQL:-$ROOT/../shared/peers/plpgsql/peer.sql}

SECTIONS=(calendar insert classify escalations attach bi pgc)   # run in this order; a new section = a bench_<name> function + a name here

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
  echo "- pg_complaint: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "${BENCH_REV:-unknown}")"
  echo "- command: \`make bench\` (= \`scripts/bench.sh\`; this section alone: \`scripts/bench.sh $1\`)"
}

# cpu_ticks: "<busy> <total> <cluster>" clock ticks so far: machine-wide busy time (steal
# included) and total time from /proc/stat, and the CPU time of the benchmark cluster (the
# postmaster, its live children, and the children it has already reaped: exited backends).
cpu_ticks() {
  local pm p line
  pm=$(head -1 "$PGC_TMP/data/postmaster.pid")
  awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6; exit }' /proc/stat \
    | tr '\n' ' '
  for p in "$pm" $(pgrep -P "$pm"); do
    { read -r line <"/proc/$p/stat"; } 2>/dev/null || continue
    echo "$line"
  done | awk -v pm="$pm" '{ pid = $1; s = $0; sub(/^.*\) /, "", s); split(s, f, " ")
                            if (pid == pm) t += f[12] + f[13] + f[14] + f[15]
                            else if (f[2] == pm) t += f[12] + f[13] }
                          END { print t + 0 }'
}

# idle_pct BEFORE AFTER: share of the machine's time (all cores) that was idle between two
# cpu_ticks snapshots: a run that leaves cores idle (clients waiting on each other's locks) is
# not CPU-bound, and its "machine µs/tx" overstates the CPU one transaction costs.
idle_pct() {
  local b0 t0 c0 b1 t1 c1
  read -r b0 t0 c0 <<<"$1"
  read -r b1 t1 c1 <<<"$2"
  awk -v db=$((b1 - b0)) -v dt=$((t1 - t0)) 'BEGIN { printf "%.1f", (dt > 0 ? 100 * (1 - db / dt) : 0) }'
}

# other_cpu_pct BEFORE AFTER CLIENT_SECONDS: share of the machine's time (all cores) between two
# cpu_ticks snapshots that went to neither the cluster nor the benchmark client: other
# people's work on a shared machine, hypervisor steal, interrupts. A disturbed run shows here.
other_cpu_pct() {
  local b0 t0 c0 b1 t1 c1
  read -r b0 t0 c0 <<<"$1"
  read -r b1 t1 c1 <<<"$2"
  awk -v db=$((b1 - b0)) -v dt=$((t1 - t0)) -v dc=$((c1 - c0)) -v cl="$3" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { o = dt > 0 ? 100 * (db - dc - cl * hz) / dt : 0; printf "%.1f", o < 0 ? 0 : o }'
}

# pgbench_cases DB SECS ROUNDS CASE...: runs every case (id|pgbench script under bench/|extra
# pgbench arguments) with synchronous_commit off and on (PGBENCH_SYNCS: "off" for off only), ROUNDS times (even rounds in reverse
# order), SECS seconds each, `pgbench -n -c 2 -j 2 -M prepared`, a CHECKPOINT before each
# run; prints a line per run and records it in DB's bench.tps (case_id, sync, round, seconds,
# tps, lat_ms, xacts, other_cpu, idle). The clients' application_name is bench_<case id>_<sync>.
pgbench_cases() {
  local db=$1 secs=$2 rounds=$3
  shift 3
  local cases=("$@")
  local runs=() r sync c
  for ((r = 1; r <= rounds; r++)); do
    local order=()
    for sync in ${PGBENCH_SYNCS:-off on}; do
      for c in "${cases[@]}"; do order+=("$r|$sync|$c"); done
    done
    if ((r % 2 == 0)); then   # even rounds: everything in reverse
      local rev=() i
      for ((i = ${#order[@]} - 1; i >= 0; i--)); do rev+=("${order[i]}"); done
      order=("${rev[@]}")
    fi
    runs+=("${order[@]}")
  done

  echo "  ${#runs[@]} pgbench runs of $secs s (pgbench -n -c 2 -j 2 -M prepared)"
  local run id script args out tps lat xacts ticks0 ticks1 client other idle
  local outf=$PGC_TMP/pgbench.out timef=$PGC_TMP/pgbench.time TIMEFORMAT='%3U %3S'
  for run in "${runs[@]}"; do
    IFS='|' read -r r sync id script args <<<"$run"
    bpsql -d $db -c CHECKPOINT   # every run starts with the same (empty) checkpoint debt
    ticks0=$(cpu_ticks)
    # application_name bench_<case>_<sync>: lets an observer (perf, pg_stat_activity) find the run
    # shellcheck disable=SC2086  # args is a list of words
    if ! { time PGAPPNAME="bench_${id}_$sync" PGOPTIONS="-c synchronous_commit=$sync" pgbench -n -c 2 -j 2 -M prepared -T "$secs" \
             $args -f "bench/$script.pgbench" $db >"$outf" 2>&1; } 2>"$timef"; then
      cat "$outf" >&2
      echo "bench: pgbench failed: case $id, synchronous_commit=$sync" >&2
      return 1
    fi
    sleep 0.2   # let the postmaster reap the two backends (their CPU time moves to it)
    ticks1=$(cpu_ticks)
    client=$(awk '{ print $1 + $2 }' "$timef")
    other=$(other_cpu_pct "$ticks0" "$ticks1" "$client")
    idle=$(idle_pct "$ticks0" "$ticks1")
    out=$(cat "$outf")
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' <<<"$out")
    lat=$(sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p' <<<"$out")
    xacts=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
    if [[ -z $tps || -z $lat || -z $xacts ]] || grep -q '^number of failed transactions: [1-9]' <<<"$out"; then
      echo "$out" >&2
      echo "bench: unexpected pgbench output: case $id, synchronous_commit=$sync" >&2
      return 1
    fi
    printf '  round %s  sync=%-3s  %-3s %-13s %9.0f tps  %7.3f ms   other CPU %5.1f %%   idle %5.1f %%\n' \
      "$r" "$sync" "$id" "$script" "$tps" "$lat" "$other" "$idle"
    bpsql -d $db -c "INSERT INTO bench.tps (case_id, sync, round, seconds, tps, lat_ms, xacts, other_cpu, idle)
                     VALUES ('$id', '$sync', $r, $secs, $tps, $lat, $xacts, $other, $idle)"
  done
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

# insert: pgbench TPS of single-row INSERT and a workflow UPDATE (reassign) through our C
# triggers, against a plain table without triggers and against the peer's PL/pgSQL triggers,
# each with synchronous_commit off (CPU cost of the rules) and on (bench/insert.sql sets up,
# bench/insert_*.pgbench and bench/update_*.pgbench are the transactions,
# bench/insert_report.sql reports). BENCH_INS_SECONDS (9) per pgbench run, BENCH_INS_ROUNDS
# (2) runs per case and setting, alternating; BENCH_INS_POOL (10000) assigned complaints per
# table for the UPDATE cases.
bench_insert() {
  local secs=${BENCH_INS_SECONDS:-9} rounds=${BENCH_INS_ROUNDS:-2} pool=${BENCH_INS_POOL:-10000}
  local db=pgc_bench_insert table=$PGC_TMP/insert_table.md
  local base_plain base_ours base_peer
  bench_db $db
  echo "  set-up: policies property (gap-free) and property_nogap, plain table, $pool assigned complaints per table"
  bpsql -d $db -v pool="$pool" -f bench/insert.sql
  read -r base_plain base_ours base_peer < <(psql -X -At -F ' ' -d $db -c "SELECT plain, ours, peer FROM bench.pool_base")

  # case id | pgbench script | extra pgbench arguments
  local cases=(
    "a|insert_plain|"
    "b|insert_ours|-D policy=property"
    "b2|insert_ours|-D policy=property_nogap"
    "c|insert_peer|"
    "ua|update_plain|-D base=$base_plain -D pool=$pool"
    "ub|update_ours|-D base=$base_ours -D pool=$pool"
    "uc|update_peer|-D base=$base_peer -D pool=$pool"
  )
  pgbench_cases $db "$secs" "$rounds" "${cases[@]}"

  bpsql -d $db -v md="$table" -v secs="$secs" -v rounds="$rounds" -f bench/insert_report.sql
  {
    echo "## INSERT and UPDATE throughput: our C triggers vs no trigger vs the PL/pgSQL peer"
    echo
    machine_md insert
    echo "- pgbench: 2 clients, 2 threads, prepared statements; synchronous_commit set per session (PGOPTIONS)"
    echo
    cat "$table"
  } >"$RESULTS/insert.md"
  echo "  -> $RESULTS/insert.md"
}

# classify: what classification costs. (1) pgbench TPS of single-row INSERT of property
# complaints into complaint.complaint under the `property` preset (b), under a copy of it
# with every rule disabled (d), the same pair without gap-free refs (b', d'), and into the
# peer's peer.complaint (c), synchronous_commit off and on (bench/classify.sql sets up, bench/insert_ours.pgbench and bench/insert_peer.pgbench
# are the transactions, bench/classify_report.sql reports). (2) complaint.classify() calls per
# second over stored property complaints, and peer.classify() on a sample of the same rows
# (bench/classify_calls.sql, in a second database). BENCH_CLS_SECONDS (9) per pgbench run,
# BENCH_CLS_ROUNDS (2) runs per case and setting, BENCH_CLS_POOL (10000) complaints per table
# before the runs; BENCH_CLS_N (100000) stored complaints, BENCH_CLS_N_PEER (10000) of them
# classified by the peer, BENCH_CLS_REPS (3) timed rounds (median) after one warm-up.
bench_classify() {
  local secs=${BENCH_CLS_SECONDS:-9} rounds=${BENCH_CLS_ROUNDS:-2} pool=${BENCH_CLS_POOL:-10000}
  local n=${BENCH_CLS_N:-100000} n_peer=${BENCH_CLS_N_PEER:-10000} reps=${BENCH_CLS_REPS:-3}
  local db=pgc_bench_classify db2=pgc_bench_classify_calls
  local t_ins=$PGC_TMP/classify_insert.md t_calls=$PGC_TMP/classify_calls.md
  if ((n % n_peer != 0)); then
    echo "bench: BENCH_CLS_N ($n) must be a multiple of BENCH_CLS_N_PEER ($n_peer)" >&2
    return 1
  fi

  echo "  -- INSERT with and without classification"
  bench_db $db
  echo "  set-up: policies property, property_off (every rule disabled) and both without gap-free refs, $pool complaints per policy and in the peer"
  bpsql -d $db -v pool="$pool" -f bench/classify.sql
  local cases=(
    "b|insert_ours|-D policy=property"
    "d|insert_ours|-D policy=property_off"
    "b2|insert_ours|-D policy=property_nogap"
    "d2|insert_ours|-D policy=property_off_nogap"
    "c|insert_peer|"
  )
  pgbench_cases $db "$secs" "$rounds" "${cases[@]}"
  bpsql -d $db -v md="$t_ins" -v secs="$secs" -v rounds="$rounds" -f bench/classify_report.sql
  bpsql -d postgres -c "DROP DATABASE $db" >/dev/null   # its pages out of the way of part 2

  echo "  -- classify() calls per second"
  bench_db $db2
  bpsql -d $db2 -v n="$n" -v n_peer="$n_peer" -v reps="$reps" -v md="$t_calls" -f bench/classify_calls.sql
  {
    echo "## Classification: its cost per INSERT, and classify() calls per second"
    echo
    machine_md classify
    echo "- pgbench: 2 clients, 2 threads, prepared statements; synchronous_commit set per session (PGOPTIONS)"
    echo "- classify() timing: one session, jit=off, max_parallel_workers_per_gather=0"
    echo
    cat "$t_ins"
    echo
    cat "$t_calls"
  } >"$RESULTS/classify.md"
  echo "  -> $RESULTS/classify.md"
}

# escalations: (1) the sweep: complaint.run_escalations() as of one instant T0 with the same
# BENCH_ESC_DUE (1000) complaints due, on BENCH_ESC_SMALL (100000) and then BENCH_ESC_LARGE
# (1000000) open complaints, every complaint inserted through the trigger (bench/escalations_sweep.sql
# explains how none but the due ones is due); one warm-up and BENCH_ESC_REPS (5) timed rounds per
# size, each rolled back, VACUUM between rounds; the ratio large/small should stay within 1.5.
# (2) pgbench TPS of single-row INSERT under the property preset (deadlines on) vs a copy with
# its SLA rules disabled (off) vs the peer, synchronous_commit=off only (bench/escalations.sql
# sets up, bench/insert_ours.pgbench and bench/insert_peer.pgbench are the transactions);
# BENCH_ESC_SECONDS (9) per run, BENCH_ESC_ROUNDS (3), BENCH_ESC_POOL (10000). Both parts are
# reported by bench/escalations_report.sql.
bench_escalations() {
  local due=${BENCH_ESC_DUE:-1000} small=${BENCH_ESC_SMALL:-100000} large=${BENCH_ESC_LARGE:-1000000}
  local reps=${BENCH_ESC_REPS:-5} secs=${BENCH_ESC_SECONDS:-9} rounds=${BENCH_ESC_ROUNDS:-3} pool=${BENCH_ESC_POOL:-10000}
  local db=pgc_bench_esc db2=pgc_bench_esc_sweep table=$PGC_TMP/escalations.md sweep=$PGC_TMP/escalations_sweep.tsv
  local label n have t r ticks0 ticks1

  echo "  -- the sweep: $due due among $small and $large open complaints"
  bench_db $db2
  bpsql -d $db2 -v due="$due" -f bench/escalations_sweep.sql
  for label in small large; do
    [[ $label == small ]] && n=$small || n=$large
    t=$SECONDS
    ticks0=$(cpu_ticks)
    have=0
    while ((have < n)); do
      have=$(psql -X -At -v ON_ERROR_STOP=1 -d $db2 -c "SELECT bench.grow($n, 100000)")
      printf '\r  inserting open complaints through the trigger: %s / %s' "$have" "$n"
    done
    ticks1=$(cpu_ticks)
    echo "  ($((SECONDS - t)) s, idle $(idle_pct "$ticks0" "$ticks1") %)"
    bpsql -d $db2 -c "VACUUM ANALYZE complaint.complaint" -c "VACUUM ANALYZE complaint.deadline" \
          -c "VACUUM ANALYZE complaint.event" -c CHECKPOINT
    echo "  $(psql -X -At -d $db2 -c "SELECT bench.check_due($due)")"
    ticks0=$(cpu_ticks)
    for ((r = 0; r <= reps; r++)); do
      echo "  $(psql -X -q -At -v ON_ERROR_STOP=1 -d $db2 -c "SET jit = off" -c "SELECT bench.sweep_once('$label', $r)")$( ((r == 0)) && echo ' (warm-up)')"
      bpsql -d $db2 -c "VACUUM complaint.deadline, complaint.complaint, complaint.escalation, complaint.outbox, complaint.event"
    done
    ticks1=$(cpu_ticks)
    echo "  sweep rounds: other CPU $(other_cpu_pct "$ticks0" "$ticks1" 0) % (includes the psql clients), idle $(idle_pct "$ticks0" "$ticks1") %"
  done
  bpsql -d $db2 -c "\copy bench.sweep TO '$sweep'"
  bpsql -d postgres -c "DROP DATABASE $db2" >/dev/null

  echo "  -- INSERT with deadlines on / off / peer"
  bench_db $db
  echo "  set-up: policies property and property_nodl (its SLA rules disabled), $pool complaints per policy and in the peer"
  bpsql -d $db -v pool="$pool" -f bench/escalations.sql
  bpsql -d $db -c "CREATE TABLE bench.sweep (label text, round int, open_n bigint, ms float8, done int)" \
        -c "COPY bench.sweep FROM STDIN" <"$sweep"
  local cases=(
    "on|insert_ours|-D policy=property"
    "off|insert_ours|-D policy=property_nodl"
    "c|insert_peer|"
  )
  PGBENCH_SYNCS=off pgbench_cases $db "$secs" "$rounds" "${cases[@]}"
  bpsql -d $db -v md="$table" -f bench/escalations_report.sql
  {
    echo "## Escalations: the sweep on 100,000 vs 1,000,000 open complaints; INSERT with deadlines on / off / peer"
    echo
    machine_md escalations
    echo "- sweep: one session, jit=off; $due due complaints, $small and $large open ones; median of $reps rounds after a warm-up, each rolled back"
    echo "- pgbench: 2 clients, 2 threads, prepared statements, synchronous_commit=off (PGOPTIONS), $rounds rounds of $secs s per case"
    echo
    cat "$table"
  } >"$RESULTS/escalations.md"
  echo "  -> $RESULTS/escalations.md"
}

# pgc: rows/s of `pgc import` (tools/pgc/) loading BENCH_PGC_ROWS (1000000) generated property
# complaints from CSV into complaint.complaint through every rule of the `property` preset,
# against `psql \copy` of the same file into bench.plain_import, a table of the same shape
# (LIKE complaint.complaint, defaults and identity) without triggers, indexes or constraints;
# one run of each, in that order, in one database. The CSV is generated first (awk).
bench_pgc() {
  local rows=${BENCH_PGC_ROWS:-1000000} db=pgc_bench_import csv=$PGC_TMP/pgc_import.csv
  local t0 t1 plain_s pgc_s summary
  bench_db $db
  bpsql -d $db -c "SELECT complaint.install_preset('property')" >/dev/null
  bpsql -d $db -c "CREATE SCHEMA IF NOT EXISTS bench" \
        -c "CREATE TABLE bench.plain_import (LIKE complaint.complaint INCLUDING DEFAULTS INCLUDING IDENTITY)" \
        -c "ALTER TABLE bench.plain_import ALTER ref DROP NOT NULL" >/dev/null
  awk -v n="$rows" 'BEGIN { print "policy,received_at,channel,category,subject,complainant,unit,ticket";
             split("phone email web forum letter hotline", ch, " ");
             split("engineering_quality planning_design sales_management property_management customer_service other", ca, " ");
             for (i = 0; i < n; i++)
               printf "property,2025-%02d-%02d %02d:%02d+08,%s,%s,subject %d,c%d,unit%d,K%d\n",
                      1 + i % 12, 1 + i % 28, 8 + i % 10, i % 60, ch[1 + i % 6], ca[1 + i % 6], i, i % 5000, i % 200, i }' >"$csv"
  echo "  $rows rows, $(($(stat -c %s "$csv") / 1048576)) MiB of CSV"
  bpsql -d $db -c CHECKPOINT
  t0=$(date +%s.%N)
  bpsql -d $db -c "\copy bench.plain_import (policy, received_at, channel, category, subject, complainant, unit, customer_type) FROM '$csv' CSV HEADER"
  t1=$(date +%s.%N)
  plain_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  echo "  psql \\copy into bench.plain_import: $plain_s s"
  bpsql -d $db -c CHECKPOINT
  t0=$(date +%s.%N)
  summary=$("$ROOT/tools/pgc/pgc" -d $db import -q --map ticket=customer_type "$csv")
  t1=$(date +%s.%N)
  pgc_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  echo "  pgc import: $pgc_s s ($summary)"
  local n_plain n_ours
  n_plain=$(psql -X -At -d $db -c "SELECT count(*) FROM bench.plain_import")
  n_ours=$(psql -X -At -d $db -c "SELECT count(*) FROM complaint.complaint")
  if [[ $n_plain != "$rows" || $n_ours != "$rows" ]]; then
    echo "bench: expected $rows rows in each table, got $n_plain (plain) and $n_ours (pgc)" >&2
    return 1
  fi
  {
    echo "## pgc import: 1,000,000 rows through the rules vs psql \\copy into a plain table"
    echo
    machine_md pgc
    echo "- $rows generated property complaints (8 CSV columns, $(($(stat -c %s "$csv") / 1048576)) MiB); pgc import with its defaults (batches of 1,000 rows, one transaction each)"
    echo
    echo "| load | seconds | rows/s | share of the plain rate |"
    echo "|---|--:|--:|--:|"
    awk -v r="$rows" -v p="$plain_s" -v o="$pgc_s" 'BEGIN {
      printf "| psql \\copy into bench.plain_import (no trigger, index or constraint) | %.1f | %.0f | 100 %% |\n", p, r / p
      printf "| pgc import into complaint.complaint (preset property, every rule) | %.1f | %.0f | %.1f %% |\n", o, r / o, 100 * p / o }'
  } >"$RESULTS/pgc.md"
  echo "  -> $RESULTS/pgc.md"
}

# attach: the application's single-row INSERT into its own table, unattached (a) vs attached to
# the `property` preset with complaint.attach() (t) vs the same values inserted into
# complaint.complaint directly (d); first with gap-free refs (the policy's default), then the
# same three with ref_gapless = false (a2, t2, d2). Target: attached >= 60 % of unattached.
# bench/attach.sql sets up, bench/attach_*.pgbench are the transactions. BENCH_ATT_SECONDS (9)
# per pgbench run, BENCH_ATT_ROUNDS (2) runs per case and setting, BENCH_ATT_POOL (5000) rows
# per table before the runs.
bench_attach() {
  local secs=${BENCH_ATT_SECONDS:-9} rounds=${BENCH_ATT_ROUNDS:-2} pool=${BENCH_ATT_POOL:-5000}
  local db=pgc_bench_attach table=$PGC_TMP/attach_table.md
  bpsql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  bpsql -d $db -c "CREATE EXTENSION pg_complaint" >/dev/null
  echo "  set-up: app.tickets_plain and app.tickets_attached (property), $pool rows each"
  bpsql -d $db -v pool="$pool" -f bench/attach.sql >/dev/null
  pgbench_cases $db "$secs" "$rounds" "a|attach_plain|" "t|attach_attached|" "d|attach_direct|"
  # the switch moves the shared serial sequence past the gap-free serials already issued
  bpsql -d $db -c "UPDATE complaint.policy SET ref_gapless = false WHERE code = 'property'" >/dev/null
  pgbench_cases $db "$secs" "$rounds" "a2|attach_plain|" "t2|attach_attached|" "d2|attach_direct|"

  psql -X -q -At -v ON_ERROR_STOP=1 -d $db >"$table" <<'SQL'
WITH best AS (
    SELECT case_id, sync, max(tps) AS tps, string_agg(round(tps)::text, ' / ' ORDER BY round) AS runs,
           (array_agg(other_cpu ORDER BY tps DESC))[1] AS other, (array_agg(idle ORDER BY tps DESC))[1] AS idle
      FROM bench.tps GROUP BY case_id, sync),
lbl(case_id, ord, refs, label) AS (VALUES
    ('a', 1, 'gap-free', '(a) app.tickets_plain, not attached'),
    ('t', 2, 'gap-free', '(t) app.tickets_attached, attached'),
    ('d', 3, 'gap-free', '(d) complaint.complaint directly'),
    ('a2', 4, 'ref_gapless = false', '(a) app.tickets_plain, not attached'),
    ('t2', 5, 'ref_gapless = false', '(t) app.tickets_attached, attached'),
    ('d2', 6, 'ref_gapless = false', '(d) complaint.complaint directly'))
SELECT '| refs | case | TPS sync=off | rounds | other CPU | idle | TPS sync=on | rounds |' || chr(10) ||
       '|---|---|--:|--:|--:|--:|--:|--:|' || chr(10) ||
       string_agg(format('| %s | %s | %s | %s | %s %% | %s %% | %s | %s |', l.refs, l.label,
                         round(off.tps), off.runs, off.other, off.idle, round(onn.tps), onn.runs), chr(10) ORDER BY l.ord)
  FROM lbl l JOIN best off ON off.case_id = l.case_id AND off.sync = 'off'
  LEFT JOIN best onn ON onn.case_id = l.case_id AND onn.sync = 'on';
WITH best AS (SELECT case_id, sync, max(tps) AS tps FROM bench.tps GROUP BY case_id, sync)
SELECT chr(10) || '| ratio (best TPS / best TPS) | refs | sync=off | sync=on | target |' || chr(10) ||
       '|---|---|--:|--:|---|' || chr(10) ||
       string_agg(format('| %s | %s | %s %% | %s %% | %s |', r.what, r.refs,
                         round(100 * t_off.tps / b_off.tps), round(100 * t_on.tps / b_on.tps), r.target), chr(10) ORDER BY r.ord)
  FROM (VALUES (1, 'attached / unattached', 'gap-free', 't', 'a', '≥ 60 %'),
               (2, 'attached / complaint.complaint directly', 'gap-free', 't', 'd', ''),
               (3, 'attached / unattached', 'ref_gapless = false', 't2', 'a2', '≥ 60 %'),
               (4, 'attached / complaint.complaint directly', 'ref_gapless = false', 't2', 'd2', ''))
       AS r(ord, what, refs, num, den, target)
  JOIN best t_off ON t_off.case_id = r.num AND t_off.sync = 'off' JOIN best b_off ON b_off.case_id = r.den AND b_off.sync = 'off'
  JOIN best t_on ON t_on.case_id = r.num AND t_on.sync = 'on' JOIN best b_on ON b_on.case_id = r.den AND b_on.sync = 'on';
SELECT chr(10) || format('After the runs: %s attached tickets, %s links, %s without a link; %s complaints.',
       (SELECT count(*) FROM app.tickets_attached), (SELECT count(*) FROM complaint.attached_row),
       (SELECT count(*) FROM app.tickets_attached t WHERE NOT EXISTS (SELECT 1 FROM complaint.attached_row l
             WHERE l.target = 'app.tickets_attached'::regclass AND l.key = t.id::text)),
       (SELECT count(*) FROM complaint.complaint));
SQL
  cat "$table"
  {
    echo "## attach: the application's INSERT into its own table, attached vs not vs complaint.complaint"
    echo
    machine_md attach
    echo "- pgbench: 2 clients, 2 threads, prepared statements; synchronous_commit set per session (PGOPTIONS)"
    echo
    cat "$table"
  } >"$RESULTS/attach.md"
  echo "  -> $RESULTS/attach.md"
}

# bi: the BI views at volume. complaint.generate() files BENCH_BI_N (1000000) property
# complaints over BENCH_BI_DAYS (365) days through every rule on a simulated clock, then
# bench/bi.sql times v_monthly_report for one month, v_overdue and the other reports with
# EXPLAIN ANALYZE as complaint_reader (target < 1 s each), median of BENCH_BI_REPS (5) rounds.
bench_bi() {
  local n=${BENCH_BI_N:-1000000} days=${BENCH_BI_DAYS:-365} tick=${BENCH_BI_TICK:-5 minutes} reps=${BENCH_BI_REPS:-5}
  local db=pgc_bench_bi table=$PGC_TMP/bi.md plans=$PGC_TMP/bi_plans.txt t gen month counts

  echo "  -- CALL complaint.generate_large('property', $n, now() - $days days, now()): every rule, on a simulated clock (tick $tick)"
  bench_db $db
  t=$SECONDS
  bpsql -d $db -c "CALL complaint.generate_large('property', $n, now() - interval '$days days', now() - interval '1 minute', 2026, '$tick')"
  gen=$((SECONDS - t))
  echo "  generated in $gen s"
  bpsql -d $db -c "VACUUM ANALYZE" -c CHECKPOINT
  month=$(psql -X -At -d $db -c "SELECT (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '1 month')::date")
  counts=$(psql -X -At -F ' ' -d $db -c "SELECT count(*), (SELECT count(*) FROM complaint.deadline), (SELECT count(*) FROM complaint.event), (SELECT count(*) FILTER (WHERE status NOT IN ('closed', 'rejected')) FROM complaint.complaint) FROM complaint.complaint")
  echo "  complaints, deadlines, events, open: $counts; timing month $month, $reps rounds after a warm-up"
  bpsql -d $db -v month="$month" -v reps="$reps" -v md="$table" -v plans="$plans" -f bench/bi.sql
  {
    echo "## BI views at volume: reports on $n generated complaints"
    echo
    machine_md bi
    echo "- data: \`CALL complaint.generate_large('property', $n, now() - $days days, now(), seed 2026, tick $tick)\` in $gen s; complaints, deadlines, events, open complaints: $counts"
    echo "- queries as complaint_reader, jit off; time = planning + execution time of EXPLAIN (ANALYZE, TIMING OFF), median of $reps rounds after a warm-up; month $month"
    echo
    cat "$table"
    echo
    echo '```'
    cat "$plans"
    echo '```'
  } >"$RESULTS/bi.md"
  echo "  -> $RESULTS/bi.md"
}

# ---------------------------------------------------------------------------------------------
# main

run=()
for a in "$@"; do
  case $a in
    --list) printf '%s\n' "${SECTIONS[@]}"; exit 0 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# The extension is installed into a private copy of the PostgreSQL 15 server tree (binaries,
# libraries, share; PostgreSQL finds them relative to its binaries), never into the system
# one: what is measured is this tree's build even when someone else runs `make install` on
# the same machine during the run. Removed on exit together with the cluster.
PRIV=$(mktemp -d /tmp/pgc_bench_inst.XXXXXX)
cleanup() { cluster_stop 2>/dev/null || true; rm -rf "$PRIV"; }
trap cleanup EXIT
chmod 755 "$PRIV"
mkdir -p "$PRIV/usr/lib/postgresql" "$PRIV/usr/share/postgresql"
cp -a /usr/lib/postgresql/15 "$PRIV/usr/lib/postgresql/"
cp -a /usr/share/postgresql/15 "$PRIV/usr/share/postgresql/"

echo "== build"
buildlog=$(mktemp /tmp/pgc_bench_build.XXXXXX)
if ! { make -s && make -s install DESTDIR="$PRIV" >/dev/null; } >"$buildlog" 2>&1; then
  cat "$buildlog" >&2; rm -f "$buildlog"
  echo "bench: build or install failed" >&2
  exit 1
fi
grep -v '^clang\|^/usr/bin/clang' "$buildlog" || true
rm -f "$buildlog"
export PGBIN=$PRIV/usr/lib/postgresql/15/bin
export PATH=$PGBIN:$PATH
echo "  installed into $PRIV (private server tree)"

source scripts/cluster.sh
# Stock durability settings, stated explicitly: the throughput sections must pay for real
# commits. Parallel query and JIT are switched off per session where a section needs it.
cluster_start "fsync = on" "synchronous_commit = on" "full_page_writes = on" \
  || { echo "bench: could not start the benchmark cluster" >&2; exit 1; }
trap cleanup EXIT   # cluster_start set its own
mkdir -p "$RESULTS"

T0=$SECONDS
for s in "${run[@]}"; do
  echo "== $s"
  t=$SECONDS
  "bench_$s"
  echo "  ($((SECONDS - t)) s)"
done
echo "== done in $((SECONDS - T0)) s; results in bench/results/"
if [[ ${BENCH_KEEP:-} == 1 ]]; then
  trap - EXIT
  echo "== cluster kept: PATH=$PGBIN:\$PATH PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER psql -d <database>"
  echo "   stop: su postgres -c '$PGBIN/pg_ctl -D $PGC_TMP/data stop'; rm -rf $PGC_TMP $PRIV"
fi
