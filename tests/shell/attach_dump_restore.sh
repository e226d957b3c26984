#!/usr/bin/env bash
# attach_dump_restore.sh — a database with attached application tables survives pg_dump and a
# restore into a fresh database, in the custom (pg_dump -Fc | pg_restore) and the plain format
# (pg_dump | psql): the attachments and links are equal (their regclass targets come back by
# name), the triggers are back on the tables and on every partition, and the attachment keeps
# working: a new row gets the next reference number and its write-back columns, an impossible
# transition is refused, a row with an open complaint cannot be deleted, detach() works.
#
# Runs on the cluster of `make check` (scripts/check.sh exports PGHOST, PGPORT, PGUSER and puts
# /usr/lib/postgresql/15/bin on PATH); can be run by hand against any cluster where the current
# user is a superuser. Prints "ok - ..." / "not ok - ..." per check and ends with
# "N passed, M failed"; exit status 1 when anything failed.
set -uo pipefail
export PATH=/usr/lib/postgresql/15/bin:$PATH
export PGTZ=Asia/Shanghai PGDATESTYLE='ISO, YMD'

SRC=pgc_adr_source
DBS=(pgc_adr_custom pgc_adr_plain)
TMP=$(mktemp -d /tmp/pgc_attach_dump.XXXXXX)
PASS=0
FAIL=0

ok()    { echo "ok - $1"; PASS=$((PASS + 1)); }
notok() { echo "not ok - $1"; FAIL=$((FAIL + 1)); [[ -n ${2:-} ]] && printf '#   %s\n' "$2"; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>&1; }
expect() { if [[ "$2" == "$3" ]]; then ok "$1"; else notok "$1" "got [$2], want [$3]"; fi; }

drop_all() {
  for db in "$SRC" "${DBS[@]}"; do
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  done
}
finish() {
  drop_all
  rm -rf "$TMP"
  echo "$PASS passed, $FAIL failed"
  [[ $FAIL -eq 0 ]]
}
trap 'finish; exit $?' EXIT

drop_all
createdb "$SRC" || { notok "create the source database"; exit 1; }
if ! psql -X -q -v ON_ERROR_STOP=1 -d "$SRC" >"$TMP/setup.log" 2>&1 <<'SQL'
CREATE EXTENSION pg_complaint;
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix) VALUES ('desk', '工单', 'Desk', 'cn', 'DK');
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('desk', 'high', 2, '高', 'high'), ('desk', 'low', 1, '低', 'low');
INSERT INTO complaint.fact (policy, key, type, default_value, name_zh, name_en) VALUES ('desk', 'vip', 'boolean', 'false', '贵宾', 'VIP');
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en) VALUES ('desk', 'vip', 'high', '{"fact": "facts.vip"}', '贵宾', 'VIP');
CREATE SCHEMA support;
CREATE TABLE support.tickets (id serial PRIMARY KEY, created timestamptz NOT NULL, title text, vip boolean,
                              state text NOT NULL DEFAULT 'open', agent text, site text, ref text, prio text);
INSERT INTO support.tickets (created, title, state) VALUES ('2025-08-01 10:00+08', 'before attach', 'open');
SELECT complaint.attach('support.tickets', 'desk', '{"subject": "title", "received_at": "created", "handler": "agent",
    "unit": "site", "facts": {"vip": "vip"},
    "status": {"column": "state", "map": {"open": "new", "assigned": "assigned", "done": "closed"}},
    "write_back": {"ref": "ref", "level": "prio"}}');
INSERT INTO support.tickets (created, title, vip) VALUES ('2025-08-02 10:00+08', 'vip one', true), ('2025-08-03 10:00+08', 'plain', false);
UPDATE support.tickets SET state = 'assigned', agent = 'wang', site = 'north' WHERE id = 2;
CREATE TABLE support.cases (region text, id int, created timestamptz, title text, ref text, PRIMARY KEY (region, id))
    PARTITION BY LIST (region);
CREATE TABLE support.cases_a PARTITION OF support.cases FOR VALUES IN ('a');
CREATE TABLE support.cases_b PARTITION OF support.cases FOR VALUES IN ('b');
SELECT complaint.attach('support.cases', 'desk', '{"subject": "title", "received_at": "created", "write_back": {"ref": "ref"}}');
INSERT INTO support.cases VALUES ('a', 1, '2025-08-04 10:00+08', 'case a', NULL), ('b', 2, '2025-08-04 11:00+08', 'case b', NULL);
SQL
then
  notok "set up the source database" "$(tail -5 "$TMP/setup.log")"; exit 1
fi
ok "source database with two attached tables (one partitioned)"

pg_dump -Fc -d "$SRC" -f "$TMP/db.dump" 2>"$TMP/dump.err" && ok "pg_dump -Fc" || notok "pg_dump -Fc" "$(head -3 "$TMP/dump.err")"
pg_dump -d "$SRC" -f "$TMP/db.sql" 2>"$TMP/dump.err" && ok "pg_dump (plain)" || notok "pg_dump (plain)" "$(head -3 "$TMP/dump.err")"
createdb "${DBS[0]}" && pg_restore -d "${DBS[0]}" "$TMP/db.dump" >"$TMP/restore.log" 2>&1 \
  && ok "pg_restore into a fresh database" || notok "pg_restore into a fresh database" "$(head -5 "$TMP/restore.log")"
createdb "${DBS[1]}" && psql -X -q -v ON_ERROR_STOP=1 -d "${DBS[1]}" -f "$TMP/db.sql" >"$TMP/restore2.log" 2>&1 \
  && ok "psql < plain dump into a fresh database" || notok "psql < plain dump into a fresh database" "$(head -5 "$TMP/restore2.log")"

ATT="SELECT target::text || ' ' || policy || ' ' || mapping::text || ' ' || key_columns::text || ' ' || existing FROM complaint.attachment ORDER BY 1"
LINKS="SELECT l.target::text || ' ' || l.key || ' ' || c.ref FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id ORDER BY 1"
TRIG="SELECT string_agg(tgrelid::regclass::text || '.' || tgname, ' ' ORDER BY tgrelid::regclass::text, tgname) FROM pg_trigger WHERE tgname LIKE 'zz_complaint%'"
APP="SELECT string_agg(concat_ws('|', id, state, ref, prio), ' ' ORDER BY id) FROM support.tickets"
src_att=$(q "$SRC" "$ATT"); src_links=$(q "$SRC" "$LINKS"); src_trig=$(q "$SRC" "$TRIG"); src_app=$(q "$SRC" "$APP")

for db in "${DBS[@]}"; do
  expect "$db: attachments equal" "$(q "$db" "$ATT")" "$src_att"
  expect "$db: links equal (5 rows)" "$(q "$db" "$LINKS")" "$src_links"
  expect "$db: triggers on the tables and on every partition" "$(q "$db" "$TRIG")" "$src_trig"
  expect "$db: application rows equal" "$(q "$db" "$APP")" "$src_app"
  expect "$db: a new row gets the next reference number and its level" \
    "$(q "$db" "INSERT INTO support.tickets (created, title, vip) VALUES ('2025-08-05 10:00+08', 'after restore', true) RETURNING ref || ' ' || prio")" \
    "DK-202508-00006 high"
  expect "$db: the new row is linked" \
    "$(q "$db" "SELECT count(*) FROM complaint.attached_row l JOIN support.tickets t ON l.key = t.id::text WHERE l.target = 'support.tickets'::regclass AND t.title = 'after restore'")" "1"
  expect "$db: an impossible transition is refused" \
    "$(q "$db" "UPDATE support.tickets SET state = 'open' WHERE id = 2" | head -1)" \
    'ERROR:  complaint DK-202508-00002 cannot move from "assigned" to "new"'
  expect "$db: a row with an open complaint cannot be deleted" \
    "$(q "$db" "DELETE FROM support.cases WHERE id = 2" | head -1)" \
    'ERROR:  cannot delete row (b,2) of support.cases: its complaint DK-202508-00005 is open (status "new")'
  expect "$db: a row moving between partitions keeps its complaint" \
    "$(q "$db" "UPDATE support.cases SET region = 'a' WHERE id = 2 RETURNING ref")" "DK-202508-00005"
  expect "$db: detach() works" "$(q "$db" "SELECT complaint.detach('support.cases')" | tail -1)" "2"
  expect "$db: its triggers are gone from every partition" \
    "$(q "$db" "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'zz_complaint%' AND tgrelid::regclass::text LIKE 'support.cases%'")" "0"
done
