#!/usr/bin/env bash
# dump_restore.sh — a database using pg_complaint survives pg_dump and a restore into a
# fresh database, in the custom format (pg_dump -Fc | pg_restore) and in the plain format
# (pg_dump | psql): every table of the extension is equal row by row, the sequences go on
# where they were (next id, next reference serial), no history is invented or lost, and
# the rules (workflow, append-only history) still work.
#
# Runs on the cluster of `make check` (scripts/check.sh exports PGHOST, PGPORT, PGUSER and
# puts /usr/lib/postgresql/15/bin on PATH); can be run by hand against any cluster where
# the current user is a superuser. Prints "ok - ..." / "not ok - ..." per check and ends
# with "N passed, M failed"; exit status 1 when anything failed.
set -uo pipefail
export PATH=/usr/lib/postgresql/15/bin:$PATH
export PGTZ=Asia/Shanghai PGDATESTYLE='ISO, YMD'

SRC=pgc_dr_source
DBS=(pgc_dr_custom pgc_dr_plain)
TMP=$(mktemp -d /tmp/pgc_dump_restore.XXXXXX)
PASS=0
FAIL=0

ok()    { echo "ok - $1"; PASS=$((PASS + 1)); }
notok() { echo "not ok - $1"; FAIL=$((FAIL + 1)); [[ -n ${2:-} ]] && printf '#   %s\n' "$2"; }
# q DB SQL: one value (tuples only, unaligned), stops on error
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>&1; }
# expect DESC GOT WANT
expect() { if [[ "$2" == "$3" ]]; then ok "$1"; else notok "$1" "got [$2], want [$3]"; fi; }

drop_all() {
  for db in "$SRC" "${DBS[@]}"; do
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  done
}
finish() {
  drop_all
  [[ -n ${KEEP_TMP:-} ]] || rm -rf "$TMP"
  echo "$PASS passed, $FAIL failed"
  [[ $FAIL -eq 0 ]]
}
trap 'finish; exit $?' EXIT

drop_all
createdb "$SRC" || { notok "create the source database"; exit 1; }

# --- the source: a custom calendar, an extra cn day, policies, categories, complaints walked
#     through the workflow (reopened, rejected, deleted, imported), an agent_unit row
if ! psql -X -q -v ON_ERROR_STOP=1 -d "$SRC" >"$TMP/setup.log" 2>&1 <<'SQL'
CREATE EXTENSION pg_complaint;
INSERT INTO complaint.calendar (name, tz) VALUES ('dr_berlin', 'Europe/Berlin');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'dr_berlin', d, '08:00', '16:30' FROM generate_series(1, 5) d;
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('dr_berlin', 6, '09:00', '12:00');
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('dr_berlin', '2025-12-24', false);
INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES ('dr_berlin', '2025-12-28', true, 1);
-- an extra day of the bundled calendar (a company holiday)
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('cn', '2025-12-24', false);

-- a preset (levels, facts, rules) and policies of our own; dr_main keeps undeclared facts
SELECT complaint.install_preset('property');
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix, strict_facts) VALUES
    ('dr_main', '导出测试办法', 'Dump test policy', 'cn', 'DR', false),
    ('dr_berlin', '柏林办法', 'Berlin policy', 'dr_berlin', 'DB', true);
INSERT INTO complaint.fact (policy, key, type, name_zh, name_en)
VALUES ('dr_main', 'lawsuit_filed', 'boolean', '已起诉', 'Lawsuit filed');
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix, ref_gapless, first_contact_resolution)
VALUES ('dr_fast', '快速办法', 'Fast refs', 'cn', 'DF', false, true);
INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES
    ('dr_main', 'quality', '质量', 'Quality'), ('dr_main', 'service', '服务', 'Service'),
    ('dr_berlin', 'noise', '噪音', 'Noise');
INSERT INTO complaint.agent_unit (agent, unit) VALUES ('dr_agent', 'U1'), ('dr_agent', 'U2');

INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, body, complainant, contact,
                                 unit, handler, collective_size, amount, facts)
VALUES ('dr_main', '2025-11-03 09:10', 'phone', 'quality', '漏水 "leak" \ quoted', E'line 1\nline 2\ttab', 'Zhang', '138',
        'U1', 'Han', 3, 120.50, '{"lawsuit_filed": false, "n": [1, 2]}'),
       ('dr_main', '2025-11-04 10:00', 'email', 'service', 'rude agent', NULL, 'Li', NULL, 'U1', 'Han', 1, NULL, '{}'),
       ('dr_main', '2025-11-05 11:00', 'web', NULL, 'a suggestion', NULL, NULL, NULL, NULL, NULL, 1, NULL, '{}'),
       ('dr_main', '2025-11-06 12:00', 'letter', NULL, 'to be deleted', NULL, NULL, NULL, 'U2', 'Qi', 1, NULL, '{}'),
       ('dr_main', '2025-10-31 17:00+00', 'forum', NULL, 'November in Shanghai', NULL, NULL, NULL, 'U2', 'Qi', 1, NULL, '{}'),
       ('dr_berlin', '2025-11-07 08:30', 'in_person', 'noise', 'noise at night', NULL, NULL, NULL, 'U3', 'Hans', 1, NULL, '{}'),
       ('dr_fast', '2025-11-07 09:00', 'hotline', NULL, 'fast ref', NULL, NULL, NULL, 'U1', 'Han', 1, NULL, '{}');
-- classified complaints of the property preset
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit, facts)
VALUES ('property', '2025-11-10 10:00', 'phone', 'engineering_quality', 'lawsuit', 'Zhou', 'Tower 1', '{"lawsuit_filed": true}'),
       ('property', '2025-11-10 11:00', 'email', 'customer_service', 'ordinary', 'Wu', 'Tower 2', '{}');
-- complaint 1: the full path, closed, reopened, investigating again
UPDATE complaint.complaint SET status = 'acknowledged' WHERE subject LIKE '漏水%';
UPDATE complaint.complaint SET status = 'assigned' WHERE subject LIKE '漏水%';
UPDATE complaint.complaint SET status = 'investigating', validity = 'effective' WHERE subject LIKE '漏水%';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject LIKE '漏水%';
UPDATE complaint.complaint SET status = 'accepted' WHERE subject LIKE '漏水%';
UPDATE complaint.complaint SET status = 'follow_up' WHERE subject LIKE '漏水%';
UPDATE complaint.complaint SET status = 'closed', satisfaction = 2 WHERE subject LIKE '漏水%';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject LIKE '漏水%';
-- complaint 2: reassigned, escalated, external review, accepted
UPDATE complaint.complaint SET status = 'assigned' WHERE subject = 'rude agent';
UPDATE complaint.complaint SET handler = 'Ma' WHERE subject = 'rude agent';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'rude agent';
UPDATE complaint.complaint SET status = 'escalated' WHERE subject = 'rude agent';
UPDATE complaint.complaint SET status = 'external_review' WHERE subject = 'rude agent';
UPDATE complaint.complaint SET status = 'accepted' WHERE subject = 'rude agent';
-- complaint 3: a suggestion, rejected
UPDATE complaint.complaint SET status = 'rejected', validity = 'suggestion' WHERE subject = 'a suggestion';
-- complaint 4: deleted
DELETE FROM complaint.complaint WHERE subject = 'to be deleted';
-- complaint 6: pending
UPDATE complaint.complaint SET status = 'acknowledged' WHERE subject = 'noise at night';
UPDATE complaint.complaint SET status = 'pending_info' WHERE subject = 'noise at night';
-- complaint 7: first-contact resolution
UPDATE complaint.complaint SET status = 'closed' WHERE subject = 'fast ref';
-- a rolled-back insert of the fast policy leaves a gap in its sequence
BEGIN;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('dr_fast', '2025-11-08 09:00', 'rolled back');
ROLLBACK;
-- an imported complaint (history marked imported)
SET pg_complaint.import = on;
SET ROLE complaint_admin;
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, validity, status, satisfaction,
                                 resolved_at, closed_at)
VALUES ('dr_main', '2024-06-01 10:00', 'imported', 'U1', 'Old', 'effective', 'closed', 5,
        '2024-06-10 10:00', '2024-06-11 10:00');
RESET ROLE;
RESET pg_complaint.import;
SQL
then
  notok "set up the source database" "$(tail -5 "$TMP/setup.log")"
  exit 1
fi
ok "set up the source database"

# fingerprint DB: one line per table (and sequence): name, row count, md5 of its rows in order
fingerprint() {
  psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT 'complaint.complaint ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM complaint.complaint t;
SELECT 'complaint.event ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM complaint.event t;
SELECT 'complaint.ref_counter ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.prefix, t.month), '')) FROM complaint.ref_counter t;
SELECT 'complaint.calendar ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.name), '')) FROM complaint.calendar t;
SELECT 'complaint.calendar_hours ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.calendar, t.isodow, t.opens), '')) FROM complaint.calendar_hours t;
SELECT 'complaint.calendar_day ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.calendar, t.day), '')) FROM complaint.calendar_day t;
SELECT 'complaint.policy ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.code), '')) FROM complaint.policy t;
SELECT 'complaint.category ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.policy, t.code), '')) FROM complaint.category t;
SELECT 'complaint.level ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.policy, t.code), '')) FROM complaint.level t;
SELECT 'complaint.fact ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.policy, t.key), '')) FROM complaint.fact t;
SELECT 'complaint.rule ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.policy, t.name), '')) FROM complaint.rule t;
SELECT 'complaint.agent_unit ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.agent, t.unit), '')) FROM complaint.agent_unit t;
SELECT 'sequence complaint.complaint_id_seq ' || last_value || ' ' || is_called FROM complaint.complaint_id_seq;
SELECT 'sequence complaint.event_id_seq ' || last_value || ' ' || is_called FROM complaint.event_id_seq;
SELECT 'sequence complaint.ref_serial ' || last_value || ' ' || is_called FROM complaint.ref_serial;
SQL
}

# after_restore DB: the same statements, run on the source and on each restored copy; their
# output must be equal. New complaints (next id, next serial), workflow steps on restored
# complaints, and the rules that refuse things.
after_restore() {
  psql -X -q -At -v ON_ERROR_STOP=0 -d "$1" 2>&1 <<'SQL'
\set VERBOSITY terse
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('dr_main', '2025-11-20 10:00', 'after restore')
RETURNING id, ref;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('dr_main', '2025-10-31 18:00+00', 'after restore, second November')
RETURNING id, ref;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('dr_berlin', '2025-11-20 10:00', 'after restore, Berlin')
RETURNING id, ref;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('dr_fast', '2025-11-20 10:00', 'after restore, fast')
RETURNING id, ref;
UPDATE complaint.complaint SET status = 'proposed' WHERE subject LIKE '漏水%' RETURNING ref, status, reopen_count;
UPDATE complaint.complaint SET status = 'follow_up' WHERE subject = 'rude agent' RETURNING ref, status;
UPDATE complaint.complaint SET status = 'closed' WHERE subject = 'rude agent';
UPDATE complaint.complaint SET status = 'closed', satisfaction = 5 WHERE subject = 'rude agent' RETURNING ref, status, satisfaction;
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'noise at night' RETURNING ref, status;
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'imported' RETURNING ref, status, reopen_count;
UPDATE complaint.complaint SET ref = 'DR-202511-09999' WHERE subject = 'a suggestion';
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit, facts)
VALUES ('property', '2025-11-20 10:00', 'phone', 'engineering_quality', 'media after restore', 'Qian', 'Tower 3', '{"media_exposed": true}')
RETURNING ref, level, level_reasons;
SELECT ref, level FROM complaint.complaint WHERE policy = 'property' ORDER BY ref;
DELETE FROM complaint.event;
SELECT kind, detail::text FROM complaint.event WHERE id > (SELECT max(id) - 12 FROM complaint.event) ORDER BY id;
SELECT complaint.business_add('dr_berlin', '2025-12-23 15:30+01', '2 hours'),
       complaint.is_business_time('cn', '2025-12-24 10:00+08');
SQL
}

fingerprint "$SRC" >"$TMP/source.fp" || { notok "fingerprint the source database"; exit 1; }
[[ $(grep -c . "$TMP/source.fp") -eq 15 ]] && ok "fingerprint the source database (12 tables, 3 sequences)" \
  || notok "fingerprint the source database" "$(cat "$TMP/source.fp")"
expect "the source has complaints, events and counters" \
  "$(q "$SRC" "SELECT (SELECT count(*) FROM complaint.complaint) > 0 AND (SELECT count(*) FROM complaint.event) > 20 AND (SELECT count(*) FROM complaint.ref_counter) >= 3")" "t"

src_max_id=$(q "$SRC" "SELECT max(id) FROM complaint.complaint")

# --- dump once, in both formats, before anything else happens to the source
pg_dump -Fc -f "$TMP/source.dump" "$SRC" 2>"$TMP/dump.err" && ok "pg_dump -Fc" || notok "pg_dump -Fc" "$(head -3 "$TMP/dump.err")"
pg_dump -f "$TMP/source.sql" "$SRC" 2>"$TMP/dump_plain.err" && ok "pg_dump (plain)" || notok "pg_dump (plain)" "$(head -3 "$TMP/dump_plain.err")"
# what the source answers after the dump is what every restored copy must answer
after_restore "$SRC" >"$TMP/source.after"

for db in "${DBS[@]}"; do
  case $db in
    pgc_dr_custom) fmt="custom format (pg_restore)" ;;
    pgc_dr_plain)  fmt="plain format (psql)" ;;
  esac
  createdb "$db" || { notok "$fmt: create the target database"; continue; }
  if [[ $db == pgc_dr_custom ]]; then
    pg_restore --exit-on-error -d "$db" "$TMP/source.dump" >"$TMP/$db.restore.log" 2>&1
  else
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$TMP/source.sql" >"$TMP/$db.restore.log" 2>&1
  fi
  rc=$?
  if [[ $rc -eq 0 ]]; then ok "$fmt: restore exits 0"; else notok "$fmt: restore exits 0" "$(grep -m3 -i error "$TMP/$db.restore.log")"; fi
  expect "$fmt: restore prints no error or warning" "$(grep -ciE 'error|warning' "$TMP/$db.restore.log")" "0"

  fingerprint "$db" >"$TMP/$db.fp"
  while read -r line; do
    name=${line% * *}
    got=$(grep -F "$name " "$TMP/$db.fp" | head -1)
    expect "$fmt: ${name} equal row by row" "$got" "$line"
  done <"$TMP/source.fp"

  expect "$fmt: restoring wrote no history (no created event without its complaint's own history)" \
    "$(q "$db" "SELECT count(*) FROM complaint.event e WHERE e.kind = 'created' AND e.at <> (SELECT c.created_at FROM complaint.complaint c WHERE c.id = e.complaint_id)")" "0"
  expect "$fmt: the imported event is still marked imported" \
    "$(q "$db" "SELECT count(*) FROM complaint.event WHERE imported")" "1"
  expect "$fmt: the triggers are still ENABLE ALWAYS" \
    "$(q "$db" "SELECT string_agg(tgname || '=' || tgenabled::text, ',' ORDER BY tgname) FROM pg_trigger WHERE tgrelid IN ('complaint.complaint'::regclass, 'complaint.event'::regclass) AND NOT tgisinternal")" \
    "complaint_after=A,complaint_before=A,complaint_no_truncate=A,complaint_penalty=A,event_append_only=A,event_no_truncate=A"
  expect "$fmt: row-level security still on" \
    "$(q "$db" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'complaint'::regnamespace AND relrowsecurity")" \
    "agent_unit,complaint,deadline,escalation,event"

  after_restore "$db" >"$TMP/$db.after"
  if diff -u "$TMP/source.after" "$TMP/$db.after" >"$TMP/$db.after.diff"; then
    ok "$fmt: new complaints, workflow steps and refusals answer as in the source"
  else
    notok "$fmt: new complaints, workflow steps and refusals answer as in the source" "$(head -20 "$TMP/$db.after.diff" | tr '\n' ' ')"
  fi
  # the expectations on those answers, spelled out
  mapfile -t new < <(grep -E '^[0-9]+\|' "$TMP/$db.after")
  src_seq=$(grep 'complaint_id_seq' "$TMP/source.fp" | awk '{print $3}')
  expect "$fmt: the next insert gets the next id" "${new[0]%%|*}" "$((src_seq + 1))"
  expect "$fmt: the next id is past every restored id" "$(( ${new[0]%%|*} > src_max_id ))" "1"
  expect "$fmt: the next November ref of DR gets the next serial" "${new[0]#*|}" "DR-202511-00006"
  expect "$fmt: and the one after" "${new[1]#*|}" "DR-202511-00007"
  expect "$fmt: the next ref of the Berlin policy" "${new[2]#*|}" "DB-202511-00002"
  expect "$fmt: the non-gap-free policy goes on from its sequence" "${new[3]#*|}" \
    "DF-202511-$(printf '%05d' $(( $(grep 'ref_serial' "$TMP/source.fp" | awk '{print $3}') + 1 )))"
  expect "$fmt: the workflow goes on (reopened complaint proposed)" \
    "$(grep -c '^DR-202511-00001|proposed|1$' "$TMP/$db.after")" "1"
  expect "$fmt: a precondition is still checked (closed from follow_up without satisfaction)" \
    "$(grep -c 'cannot move from "follow_up" to "closed": the follow-up visit recorded no satisfaction' "$TMP/$db.after")" "1"
  expect "$fmt: a restored closed complaint can be reopened (counted)" \
    "$(grep -c '^DR-202406-00001|investigating|1$' "$TMP/$db.after")" "1"
  expect "$fmt: the reference number is still immutable" \
    "$(grep -c 'column "ref" of complaint DR-202511-00003 cannot be changed' "$TMP/$db.after")" "1"
  expect "$fmt: the history is still append-only" \
    "$(grep -c 'complaint history is append-only: DELETE on complaint.event is not allowed' "$TMP/$db.after")" "1"
  expect "$fmt: the classifier still runs (property preset)" \
    "$(grep -c '^PROP-202511-00003|major|{"major_media: ' "$TMP/$db.after")" "1"
  expect "$fmt: the restored calendars answer (Berlin hours, the extra cn holiday)" \
    "$(tail -1 "$TMP/$db.after")" "$(tail -1 "$TMP/source.after")"
done
