#!/usr/bin/env bash
# pg_cron.sh — complaint.schedule() really runs the sweep from pg_cron: in database pgc_cron
# (cron.database_name of the test cluster, scripts/cluster.sh) the job
# pg_complaint_escalations is registered every minute, pg_cron runs it, and a complaint whose
# forward deadline is long past gets breached (escalation and outbox rows); bad intervals are
# refused; unschedule() removes the job; in a database without pg_cron, schedule() fails with
# SQLSTATE 55000 and says what to do.
#
# Runs on the cluster of `make check` (scripts/check.sh exports PGHOST, PGPORT, PGUSER; the
# cluster preloads pg_cron with cron.database_name = 'pgc_cron' and has that database). Can be
# run by hand against any such cluster where the current user is a superuser. Waits for one
# pg_cron run: at most PGC_CRON_WAIT (75) seconds. Prints "ok - ..." / "not ok - ..." per check
# and ends with "N passed, M failed"; exit status 1 when anything failed.
set -uo pipefail
export PATH=/usr/lib/postgresql/15/bin:$PATH
export PGTZ=Asia/Shanghai PGDATESTYLE='ISO, YMD'

CRONDB=pgc_cron
OTHER=pgc_cron_other
WAIT=${PGC_CRON_WAIT:-75}
PASS=0
FAIL=0

ok()    { echo "ok - $1"; PASS=$((PASS + 1)); }
notok() { echo "not ok - $1"; FAIL=$((FAIL + 1)); [[ -n ${2:-} ]] && printf '#   %s\n' "$2"; }
# q DB SQL: one value (tuples only, unaligned), stops on error
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>&1; }
# expect DESC GOT WANT
expect() { if [[ "$2" == "$3" ]]; then ok "$1"; else notok "$1" "got [$2], want [$3]"; fi; }

# the cron database keeps its pg_cron launcher connected: it is emptied, never dropped
clean() {
  psql -X -q -d "$CRONDB" -c "SET client_min_messages = warning" \
       -c "DROP EXTENSION IF EXISTS pg_cron" -c "DROP EXTENSION IF EXISTS pg_complaint CASCADE" >/dev/null 2>&1
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $OTHER" >/dev/null 2>&1
}
finish() {
  clean
  echo "$PASS passed, $FAIL failed"
  [[ $FAIL -eq 0 ]]
}
trap 'finish; exit $?' EXIT

# --- the cluster must preload pg_cron for the cron database
got=$(q postgres "SELECT current_setting('shared_preload_libraries') ~ 'pg_cron' AND current_setting('cron.database_name', true) = '$CRONDB' AND EXISTS (SELECT 1 FROM pg_database WHERE datname = '$CRONDB')")
if [[ $got != t ]]; then
  notok "the cluster preloads pg_cron with cron.database_name = '$CRONDB' and has that database (scripts/cluster.sh)" "$got"
  exit 1
fi
ok "the cluster preloads pg_cron for database $CRONDB"

clean
# a complaint received 10 days ago: its forward deadline is long past, nothing breached yet
if ! out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$CRONDB" 2>&1 <<'SQL'
CREATE EXTENSION pg_complaint;
CREATE EXTENSION pg_cron;
SELECT complaint.install_preset('property') \g /dev/null
INSERT INTO complaint.complaint (policy, received_at, channel, subject, complainant)
VALUES ('property', now() - interval '10 days', 'phone', 'lift broken', 'Chen');
SELECT count(*) FROM complaint.deadline WHERE kind = 'forward' AND due_at < now() AND breached_at IS NULL;
SQL
); then
  notok "set up $CRONDB: pg_complaint, pg_cron, property preset, an overdue complaint" "$out"
  exit 1
fi
expect "set up $CRONDB: an open forward deadline already past, not yet breached" "$out" "1"

# --- schedule() registers the job
job=$(q "$CRONDB" "SELECT complaint.schedule('1 minute')")
expect "schedule('1 minute') returns the job id" "$([[ $job =~ ^[0-9]+$ ]] && echo id || echo "$job")" "id"
expect "the job: name, schedule, command, database, active" \
  "$(q "$CRONDB" "SELECT jobname || '|' || schedule || '|' || command || '|' || database || '|' || active FROM cron.job WHERE jobid = ${job:-0}")" \
  "pg_complaint_escalations|* * * * *|SELECT complaint.run_escalations()|$CRONDB|true"

# --- bad intervals are refused (and leave the job alone)
for bad in '30 seconds' '7 minutes'; do
  got=$(q "$CRONDB" "DO \$\$ BEGIN PERFORM complaint.schedule('$bad'); RAISE NOTICE 'accepted'; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'refused %', SQLSTATE; END \$\$" 2>&1)
  expect "schedule('$bad') is refused (SQLSTATE 22023)" "${got#NOTICE:  }" "refused 22023"
done
expect "the refused calls left one job every minute" \
  "$(q "$CRONDB" "SELECT count(*) || ' ' || min(schedule) FROM cron.job WHERE jobname = 'pg_complaint_escalations'")" "1 * * * * *"

# --- without pg_cron: 55000 and a hint
psql -X -q -d postgres -c "CREATE DATABASE $OTHER" >/dev/null 2>&1
q "$OTHER" "CREATE EXTENSION pg_complaint" >/dev/null
got=$(q "$OTHER" "DO \$\$ DECLARE h text; BEGIN PERFORM complaint.schedule(); EXCEPTION WHEN OTHERS THEN GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT; RAISE NOTICE '% | %', SQLSTATE, h; END \$\$" 2>&1)
got=${got#NOTICE:  }
expect "schedule() without pg_cron fails with SQLSTATE 55000" "${got%% |*}" "55000"
if [[ $got == *"shared_preload_libraries"*"CREATE EXTENSION pg_cron"*"run_escalations"* ]]; then
  ok "... and its hint says how to install pg_cron or run the sweep otherwise"
else
  notok "... and its hint says how to install pg_cron or run the sweep otherwise" "$got"
fi
expect "unschedule() without pg_cron returns false" "$(q "$OTHER" "SELECT complaint.unschedule()")" "f"

# --- pg_cron runs the sweep: wait for a succeeded run and the breach
echo "# waiting for pg_cron to run job $job (at most $WAIT s; it starts at the next full minute)"
t0=$SECONDS
state=""
while ((SECONDS - t0 < WAIT)); do
  state=$(q "$CRONDB" "SELECT (SELECT string_agg(status, ',' ORDER BY runid) FROM cron.job_run_details WHERE jobid = ${job:-0})
                          || ' | ' || (SELECT count(*) FROM complaint.deadline WHERE breached_at IS NOT NULL)")
  [[ $state == *succeeded*' | 1' ]] && break
  [[ $state == *failed* ]] && break
  sleep 2
done
echo "# after $((SECONDS - t0)) s: runs [${state% |*}]"
if [[ $state == *succeeded* ]]; then
  ok "pg_cron ran the job and it succeeded"
else
  notok "pg_cron ran the job and it succeeded" \
    "runs [$state]; $(q "$CRONDB" "SELECT string_agg(status || ': ' || coalesce(return_message, ''), '; ') FROM cron.job_run_details WHERE jobid = ${job:-0}")"
fi
expect "the run breached the overdue forward deadline" \
  "$(q "$CRONDB" "SELECT count(*) FROM complaint.deadline WHERE kind = 'forward' AND breached_at IS NOT NULL")" "1"
expect "... the complaint knows it (breached)" \
  "$(q "$CRONDB" "SELECT breached FROM complaint.complaint")" "{forward}"
expect "... an escalation step forward_overdue (remind) was applied" \
  "$(q "$CRONDB" "SELECT string_agg(rule || ':' || action, ',') FROM complaint.escalation")" "forward_overdue:remind"
expect "... the outbox holds deadline_breached and remind" \
  "$(q "$CRONDB" "SELECT string_agg(topic, ',' ORDER BY id) FROM complaint.outbox")" "deadline_breached,remind"
expect "... the run returned one row (SELECT 1)" \
  "$(q "$CRONDB" "SELECT return_message FROM cron.job_run_details WHERE jobid = ${job:-0} AND status = 'succeeded' ORDER BY runid LIMIT 1")" "SELECT 1"

# --- unschedule() removes it
expect "unschedule() returns true" "$(q "$CRONDB" "SELECT complaint.unschedule()")" "t"
expect "... and the job is gone" "$(q "$CRONDB" "SELECT count(*) FROM cron.job WHERE jobname = 'pg_complaint_escalations'")" "0"
expect "unschedule() again returns false" "$(q "$CRONDB" "SELECT complaint.unschedule()")" "f"
