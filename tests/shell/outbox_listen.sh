#!/usr/bin/env bash
# outbox_listen.sh — the outbox's notifications reach a listener: scripts/outbox_listen.sh
# LISTENs in one session while another session runs the sweep on a complaint with a breached
# deadline; the listener must receive one notification per outbox row (topics
# deadline_breached and remind) carrying that row's id and complaint, and print the row. A
# sweep that is rolled back first announces nothing.
#
# Runs on the cluster of `make check` (scripts/check.sh exports PGHOST, PGPORT, PGUSER); can be
# run by hand against any cluster where the current user is a superuser. Prints
# "ok - ..." / "not ok - ..." per check and ends with "N passed, M failed"; exit status 1 when
# anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PATH=/usr/lib/postgresql/15/bin:$PATH
export PGTZ=Asia/Shanghai PGDATESTYLE='ISO, YMD'

DB=pgc_outbox_listen
TMP=$(mktemp -d /tmp/pgc_outbox_listen_t.XXXXXX)
PASS=0
FAIL=0
LISTENER=""

ok()    { echo "ok - $1"; PASS=$((PASS + 1)); }
notok() { echo "not ok - $1"; FAIL=$((FAIL + 1)); [[ -n ${2:-} ]] && printf '#   %s\n' "$2"; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>&1; }
expect() { if [[ "$2" == "$3" ]]; then ok "$1"; else notok "$1" "got [$2], want [$3]"; fi; }

finish() {
  [[ -n $LISTENER ]] && kill "$LISTENER" 2>/dev/null && wait "$LISTENER" 2>/dev/null
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
  [[ -n ${KEEP_TMP:-} ]] || rm -rf "$TMP"
  echo "$PASS passed, $FAIL failed"
  [[ $FAIL -eq 0 ]]
}
trap 'finish; exit $?' EXIT

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null 2>&1
if ! out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" 2>&1 <<'SQL'
CREATE EXTENSION pg_complaint;
SELECT complaint.install_preset('property') \g /dev/null
INSERT INTO complaint.complaint (policy, received_at, channel, subject, complainant)
VALUES ('property', now() - interval '10 days', 'phone', 'water in the lift shaft', 'Sun');
SELECT count(*) FROM complaint.deadline WHERE due_at < now() AND breached_at IS NULL;
SQL
); then
  notok "set up: a complaint with an overdue deadline" "$out"
  exit 1
fi
expect "set up: a complaint with an overdue, unbreached deadline" "$out" "1"

# the listener: two notifications expected, 20 s without one is a failure
scripts/outbox_listen.sh -d "$DB" --count 2 --timeout 20 >"$TMP/listen.out" 2>&1 &
LISTENER=$!
for _ in $(seq 50); do
  grep -q '^listening on channel complaint' "$TMP/listen.out" && break
  sleep 0.2
done
expect "the listener is listening" "$(head -1 "$TMP/listen.out")" "listening on channel complaint"

# a rolled-back sweep announces nothing; then the sweep, committed, in another session
got=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" 2>&1 <<'SQL'
BEGIN;
SELECT complaint.run_escalations(now(), force => true);
ROLLBACK;
SELECT complaint.run_escalations(now(), force => true);
SQL
)
expect "the sweep (force => true) did 2 things, after a rolled-back one" "$(tr '\n' ' ' <<<"$got")" "2 2 "

wait "$LISTENER"
rc=$?
LISTENER=""
expect "the listener got its 2 notifications and ended" "$rc" "0"
sed 's/^/#   /' "$TMP/listen.out"

want_notify=$(q "SELECT string_agg(format('notify id=%s topic=%s complaint_id=%s', id, topic, complaint_id), E'\n' ORDER BY id) FROM complaint.outbox")
expect "notifications carry the ids, topics and complaints of the committed outbox rows" \
  "$(grep '^notify ' "$TMP/listen.out")" "$want_notify"
expect "... topics deadline_breached and remind" \
  "$(grep -o 'topic=[a-z_]*' "$TMP/listen.out" | tr '\n' ' ')" "topic=deadline_breached topic=remind "
expect "... and not the ids of the rolled-back rows (the first committed id is 3)" \
  "$(q "SELECT min(id) FROM complaint.outbox")" "3"
want_rows=$(q "SELECT string_agg(format('  outbox %s | %s | %s | %s | %s', id, at, topic, complaint_id, payload), E'\n' ORDER BY id) FROM complaint.outbox")
expect "the listener printed the outbox row of each notification" \
  "$(grep '^  outbox ' "$TMP/listen.out")" "$want_rows"
expect "no more notifications: a second sweep finds nothing to do" \
  "$(q "SELECT complaint.run_escalations(now(), force => true)")" "0"

# --delete: a consumer that processed a row deletes it
scripts/outbox_listen.sh -d "$DB" --count 1 --timeout 20 --delete >"$TMP/listen2.out" 2>&1 &
LISTENER=$!
for _ in $(seq 50); do
  grep -q '^listening' "$TMP/listen2.out" && break
  sleep 0.2
done
q "SELECT complaint._outbox(now(), 'remind', 1, '{\"test\": true}')" >/dev/null
wait "$LISTENER"
rc=$?
LISTENER=""
expect "--delete: the listener got the notification" "$rc$(grep -c '^notify .*topic=remind complaint_id=1$' "$TMP/listen2.out")" "01"
expect "... and deleted the row it printed" "$(q "SELECT count(*) FROM complaint.outbox WHERE payload ? 'test'")" "0"
