#!/usr/bin/env bash
# pgc.sh — pgc, the command-line companion (tools/pgc/): import, watch, report.
#
#   import  good and bad rows of CSV and JSON lines with an exact rejects file; every bad
#           input of the issue (malformed CSV, invalid UTF-8, a 10 MB field, an empty file, a
#           header-only file, a missing file, a connection dropped mid-import) with its
#           message, its rejects and a database holding exactly what the summary reports;
#           --dedupe-key re-runs; 100,000 rows.
#   watch   at-least-once delivery counted across a server restart (no loss, no duplicate of
#           an acknowledged event), an unacknowledged event delivered again, two watchers
#           sharing the work, a failing --exec.
#   report  output checked against the view, CJK alignment, --month/--policy, formats.
#   all     --help of every command, exit codes, one valgrind (memcheck) run over an import
#           and a report.
#
# Runs on the cluster of `make check` (scripts/check.sh exports PGHOST, PGPORT, PGUSER) and
# restarts it once (pg_ctl as the postgres OS user, data directory $PGHOST/data as
# scripts/cluster.sh lays it out); can be run by hand against such a cluster. Uses the pgc
# built in tools/pgc/ (else the one on PATH). Prints "ok - ..." / "not ok - ..." per check
# and ends with "N passed, M failed"; exit status 1 when anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export PATH=/usr/lib/postgresql/15/bin:$PATH
export PGTZ=Asia/Shanghai PGDATESTYLE='ISO, YMD'
PGC=${PGC:-$ROOT/tools/pgc/pgc}
[[ -x $PGC ]] || PGC=$(command -v pgc)

DB=pgc_cli_test
TMP=$(mktemp -d /tmp/pgc_cli_t.XXXXXX)
chmod 755 "$TMP"
PASS=0
FAIL=0
BG=()

ok()    { echo "ok - $1"; PASS=$((PASS + 1)); }
notok() { echo "not ok - $1"; FAIL=$((FAIL + 1)); [[ -n ${2:-} ]] && printf '#   %s\n' "$2"; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>&1; }
expect() { if [[ "$2" == "$3" ]]; then ok "$1"; else notok "$1" "got [$2], want [$3]"; fi; }
contains() { if [[ "$2" == *"$3"* ]]; then ok "$1"; else notok "$1" "[$2] does not contain [$3]"; fi; }

finish() {
  local p
  for p in "${BG[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
  [[ -n ${KEEP_TMP:-} ]] || rm -rf "$TMP"
  echo "$PASS passed, $FAIL failed"
  [[ $FAIL -eq 0 ]]
}
trap 'finish; exit $?' EXIT

if [[ -z $PGC || ! -x $PGC ]]; then
  notok "pgc is built (tools/pgc/pgc)"
  exit 1
fi

# restart_server: a fast restart of the cluster (running backends are terminated)
DATA=${PGC_TEST_DATA:-${PGHOST:-}/data}
restart_server() {
  local run=()
  [[ $(id -u) -eq 0 ]] && run=(runuser -u postgres --)
  "${run[@]}" pg_ctl -D "$DATA" -m fast -w -t 60 restart -l "$DATA/../server.log" >/dev/null 2>&1
}

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null 2>&1
if ! out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" 2>&1 <<'SQL'
CREATE EXTENSION pg_complaint;
SELECT complaint.install_preset('property') \g /dev/null
SQL
); then
  notok "set up: pg_complaint with the property preset" "$out"
  exit 1
fi
ok "set up: pg_complaint with the property preset"
cd "$TMP"

# ---------------------------------------------------------------------------------------
echo "# --help and usage errors"
for cmd in "" import watch report; do
  out=$("$PGC" $cmd --help 2>&1); rc=$?
  expect "pgc $cmd --help: exit 0 and a usage text" "$rc $(grep -c '^Usage: pgc' <<<"$out")" "0 1"
done
"$PGC" bogus >/dev/null 2>&1; expect "an unknown command: exit 2" "$?" "2"
"$PGC" import >/dev/null 2>&1; expect "import without a file: exit 2" "$?" "2"
"$PGC" import --batch-size 0 x.csv >/dev/null 2>&1; expect "import --batch-size 0: exit 2" "$?" "2"
"$PGC" watch --count x >/dev/null 2>&1; expect "watch --count x: exit 2" "$?" "2"
"$PGC" report nope >/dev/null 2>&1; expect "report nope: exit 2" "$?" "2"
"$PGC" report monthly --month 2025-13 >/dev/null 2>&1; expect "report --month 2025-13: exit 2" "$?" "2"
out=$("$PGC" -d "$DB" import --set channel=fax /dev/null 2>&1); rc=$?
expect "import --set with a value the column refuses: exit 2" "$rc" "2"
contains "... naming the value and the database's error" "$out" 'invalid input value for enum complaint.channel: "fax"'
out=$("$PGC" -d "host=$TMP/nowhere dbname=x" report monthly 2>&1); rc=$?
expect "no server: exit 4" "$rc" "4"
contains "... could not connect" "$out" "could not connect to the database"

# ---------------------------------------------------------------------------------------
echo "# import: good and bad rows, the exact rejects file"
printf '%s\n' \
  'policy,received_at,channel,category,subject,complainant,unit,lawsuit_filed,ticket' \
  'property,2025-03-03 10:00,phone,engineering_quality,water in the lift shaft,Sun,Tower A,false,T01' \
  'property,2025-03-03 11:00,fax,engineering_quality,bad channel,Li,Tower A,false,T02' \
  'property,2099-03-03 11:00,phone,,from the future,Li,Tower A,,T03' \
  'property,2025-03-04 12:00,email,nope,unknown category,Wu,Tower B,,T04' \
  'property,2025-03-04 12:30,email,other,"quoted, with ""quotes""' \
  'and a line break",Wu,Tower B,true,T05' \
  'property,2025-03-04 13:00,email,other,too many,fields,here,x,y,z' \
  'property,2025-03-04 14:00,email,other,bad"quote,Wu,Tower B,,T07' \
  'property,2025-03-04 15:00,web,,   ,Wu,Tower B,,T08' \
  'property,2025-03-04 16:00,web,customer_service,电梯噪音,王先生,物业一部,,T09' \
  'property,2025-03-04 17:00,web,customer_service,lawsuit as text,Zhao,Tower C,yes,T10' \
  'property,2025-03-04 18:00,letter,other,second T01,Zhao,Tower C,,T01' \
  >mixed.csv
printf 'property,2025-03-04 19:00,web,other,bad \xff byte,Qian,Tower C,,T12\n' >>mixed.csv
"$PGC" -d "$DB" import -q --dedupe-key ticket --map ticket=customer_type mixed.csv >import.out 2>import.err
rc=$?
expect "mixed.csv: exit 1 (rows rejected)" "$rc" "1"
expect "mixed.csv: the summary" "$(sed 's/ in [0-9.]* s ([0-9]* rows\/s)//' import.out)" \
  "mixed.csv: 12 rows read, 3 loaded, 8 rejected, 1 duplicate skipped; rejects in mixed.csv.rejects.csv"
sed -i 's/database clock ([^)]*)/database clock (NOW)/' mixed.csv.rejects.csv
cat >want.csv <<'EOF'
line,sqlstate,error,detail,record
3,22P02,"invalid input value for enum complaint.channel: ""fax""",,"property,2025-03-03 11:00,fax,engineering_quality,bad channel,Li,Tower A,false,T02"
4,23514,received_at 2099-03-03 11:00:00+08 is in the future,A complaint can be dated at most 5 minutes ahead of the database clock (NOW).,"property,2099-03-03 11:00,phone,,from the future,Li,Tower A,,T03"
5,23503,"category ""nope"" is not in the taxonomy of policy ""property""","Categories of policy ""property"": customer_service, engineering_quality, other, planning_design, property_management, sales_management.","property,2025-03-04 12:00,email,nope,unknown category,Wu,Tower B,,T04"
8,22P04,"the record has 10 fields, the header has 9",,"property,2025-03-04 13:00,email,other,too many,fields,here,x,y,z"
9,22P04,field 5: a quote inside an unquoted field (quote the whole field and double the quotes inside it),,"property,2025-03-04 14:00,email,other,bad""quote,Wu,Tower B,,T07"
10,23514,the subject of a complaint cannot be blank,,"property,2025-03-04 15:00,web,,   ,Wu,Tower B,,T08"
12,22023,"fact ""lawsuit_filed"" of policy ""property"" must be a boolean (true or false), not ""yes""",,"property,2025-03-04 17:00,web,customer_service,lawsuit as text,Zhao,Tower C,yes,T10"
EOF
printf '14,22021,field 5 is not valid UTF-8: byte 0xff at offset 4 of the field,,"property,2025-03-04 19:00,web,other,bad \xff byte,Qian,Tower C,,T12"\n' >>want.csv
if diff want.csv mixed.csv.rejects.csv >rejects.diff; then ok "mixed.csv: the rejects file, line by line"; else notok "mixed.csv: the rejects file, line by line" "$(cat rejects.diff)"; fi
expect "mixed.csv: the database holds the 3 loaded rows, in line order" \
  "$(q "SELECT string_agg(customer_type || ':' || subject || ':' || coalesce(facts->>'lawsuit_filed', '-'), '|' ORDER BY id) FROM complaint.complaint")" \
  'T01:water in the lift shaft:false|T05:quoted, with "quotes"
and a line break:true|T09:电梯噪音:-'
expect "... each through the rules (a reference number, a level)" \
  "$(q "SELECT count(*) FILTER (WHERE ref LIKE 'PROP-202503-%' AND level IS NOT NULL) FROM complaint.complaint")" "3"
contains "... a note names the input columns kept as facts" "$(cat import.err)" "kept as keys of facts: lawsuit_filed (--strict refuses them)"
"$PGC" -d "$DB" import -q --dedupe-key ticket --map ticket=customer_type mixed.csv >import2.out 2>/dev/null
expect "--dedupe-key: a re-run loads nothing again" "$(sed 's/ in [0-9.]* s ([0-9]* rows\/s)//' import2.out)" \
  "mixed.csv: 12 rows read, 0 loaded, 8 rejected, 4 duplicates skipped; rejects in mixed.csv.rejects.csv"
expect "... and the table still has 3 rows" "$(q "SELECT count(*) FROM complaint.complaint")" "3"
out=$("$PGC" -d "$DB" import -q --strict mixed.csv 2>&1); rc=$?
expect "--strict: an input column that is no field: exit 3" "$rc" "3"
contains "... naming the column" "$out" 'column "lawsuit_filed" of the header is not a field of complaint.complaint (--strict)'

echo "# import: JSON lines"
cat >events.jsonl <<'EOF'
{"policy": "property", "subject": "漏水", "channel": "phone", "received_at": "2025-04-01T10:00:00+08:00", "unit": "物业二部", "facts": {"media_exposed": true}, "lawsuit_filed": false}
{"policy": "property", "subject": "bad", "collective_size": "many"}

not json at all
{"policy": "property", "subject": "escaped \u00e9 \ud83d\ude00", "amount": 12.5, "complainant": null}
{"policy": "property", "subject": "two", "subject": "keys"}
{"policy": "property", "subject": "trailing"} x
EOF
"$PGC" -d "$DB" import -q events.jsonl >j.out 2>&1; rc=$?
expect "events.jsonl: exit 1 and the summary" "$rc $(sed 's/ in [0-9.]* s ([0-9]* rows\/s)//' j.out)" \
  "1 events.jsonl: 6 rows read, 2 loaded, 4 rejected, 0 duplicates skipped; rejects in events.jsonl.rejects.csv"
expect "events.jsonl: rejects: lines and errors" "$(cut -d, -f1-2 events.jsonl.rejects.csv | tr '\n' ' ')" \
  "line,sqlstate 2,22P02 4,22P02 6,22P02 7,22P02 "
contains "... the database's error for a bad value" "$(cat events.jsonl.rejects.csv)" 'invalid input syntax for type integer: ""many""'
contains "... a line that is no object" "$(cat events.jsonl.rejects.csv)" "the line is not a JSON object"
contains "... a key given twice" "$(cat events.jsonl.rejects.csv)" 'the key ""subject"" appears twice in the object'
expect "events.jsonl: the loaded rows, facts merged, escapes decoded" \
  "$(q "SELECT string_agg(subject || ':' || facts::text || ':' || coalesce(amount::text, '-'), '|' ORDER BY id) FROM complaint.complaint WHERE unit = '物业二部' OR subject LIKE 'escaped%'")" \
  '漏水:{"lawsuit_filed": false, "media_exposed": true}:-|escaped é 😀:{}:12.50'

echo "# import: bad input"
: >empty.csv
out=$("$PGC" -d "$DB" import -q empty.csv 2>&1); rc=$?
expect "an empty file: exit 3" "$rc" "3"
contains "... and says so" "$out" "empty.csv: the file is empty"
head -1 mixed.csv >header.csv
out=$("$PGC" -d "$DB" import -q header.csv 2>&1); rc=$?
expect "a header-only file: exit 0" "$rc" "0"
contains "... says there are no rows" "$out" "header.csv: the file has a header line but no rows"
contains "... and reports 0 rows" "$out" "header.csv: 0 rows read, 0 loaded"
out=$("$PGC" -d "$DB" import -q missing.csv 2>&1); rc=$?
expect "a missing file: exit 3, no rejects file" "$rc $([[ -e missing.csv.rejects.csv ]] && echo rejects)" "3 "
contains "... naming the file and the cause" "$out" "cannot open missing.csv: No such file or directory"
printf 'policy,subject\nproperty,before\nproperty,"never closed\nproperty,after\n' >unbalanced.csv
out=$("$PGC" -d "$DB" import -q unbalanced.csv 2>&1); rc=$?
expect "an unbalanced quote: exit 1; the rows before it are loaded" "$rc $(q "SELECT count(*) FROM complaint.complaint WHERE subject = 'before'")" "1 1"
expect "... the reject names where the quote opened and what it swallowed" "$(sed -n 2p unbalanced.csv.rejects.csv)" \
  '3,22P04,"unterminated quoted field: the quote opened on line 3 is never closed (the rest of the file, to line 4, was read as this field)",,"property,""never closed'
{ echo 'policy,subject,body'; printf 'property,huge,'; head -c 10485760 /dev/zero | tr '\0' 'x'; printf '\nproperty,small after huge,y\n'; } >big.csv
out=$("$PGC" -d "$DB" import -q big.csv 2>&1); rc=$?
expect "a 10 MB field: exit 1, the row rejected, the next loaded" "$rc $(q "SELECT count(*) FROM complaint.complaint WHERE subject = 'small after huge'")" "1 1"
expect "... the reject: line, SQLSTATE 54000, the size, the record cut at 64 kB" \
  "$(sed -n 2p big.csv.rejects.csv | cut -c1-114) $(sed -n 2p big.csv.rejects.csv | grep -o 'x*\.\.\."$' | tr -d '."' | wc -c)" \
  '2,54000,"field 3 is 10485760 bytes long, more than the limit of 1048576 bytes (--max-field-size)",,"property,huge, 65523'
out=$("$PGC" -d "$DB" import -q --max-field-size 20M big.csv 2>&1); rc=$?
expect "... with --max-field-size 20M the database's own limit refuses it" "$rc $(cut -d, -f1-3 big.csv.rejects.csv | sed -n 2p)" \
  "1 2,22001,complaint body is too long (10485760 bytes)"

echo "# import: 100,000 rows"
awk 'BEGIN { print "policy,received_at,channel,category,subject,complainant,unit,ticket";
             split("phone email web forum letter hotline", ch, " ");
             split("engineering_quality planning_design sales_management property_management customer_service other", ca, " ");
             for (i = 0; i < 100000; i++)
               printf "property,2025-%02d-%02d %02d:%02d,%s,%s,subject %d,c%d,unit%d,K%d\n",
                      1 + i % 12, 1 + i % 28, 8 + i % 10, i % 60, ch[1 + i % 6], ca[1 + i % 6], i, i % 5000, i % 200, i }' >big100k.csv
before=$(q "SELECT count(*) FROM complaint.complaint")
t0=$SECONDS
"$PGC" -d "$DB" import --progress-interval 3 --dedupe-key ticket --map ticket=customer_type big100k.csv >h.out 2>h.err; rc=$?
expect "100,000 rows: exit 0, all loaded ($((SECONDS - t0)) s)" "$rc $(sed 's/ in [0-9.]* s ([0-9]* rows\/s)//' h.out)" \
  "0 big100k.csv: 100000 rows read, 100000 loaded, 0 rejected, 0 duplicates skipped; no rejects"
expect "... the table grew by 100,000" "$(q "SELECT count(*) - $before FROM complaint.complaint")" "100000"
contains "... progress lines on a non-terminal" "$(head -1 h.err)" "pgc import: "
sed 's/^/#   /' h.out

echo "# import: the connection dropped mid-import"
awk 'NR == 1 || NR <= 30001' big100k.csv | sed 's/,K\([0-9]*\)$/,D\1/' >drop.csv
"$PGC" -d "$DB" import -q --batch-size 200 --dedupe-key ticket --map ticket=customer_type drop.csv >drop.out 2>drop.err &
IMP=$!
BG+=("$IMP")
for _ in $(seq 200); do
  n=$(q "SELECT count(*) FROM complaint.import_key WHERE key LIKE 'D%'")
  ((n >= 2000)) && break
  sleep 0.1
done
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgc import' AND datname = '$DB'" >/dev/null
wait "$IMP"; rc=$?
BG=()
loaded=$(sed -n 's/^drop.csv: [0-9]* rows read, \([0-9]*\) loaded.*/\1/p' drop.out)
expect "a dropped connection: exit 4" "$rc" "4"
contains "... the error says what happened" "$(cat drop.err)" "the connection to the database was lost"
have=$(q "SELECT count(*) FROM complaint.complaint WHERE customer_type LIKE 'D%'")
if [[ -n $loaded && $loaded -gt 0 && $loaded -lt 30000 ]]; then ok "... part was loaded before the drop ($loaded rows)"; else notok "... part was loaded before the drop" "summary: $(cat drop.out)"; fi
expect "... the database holds exactly what the summary calls loaded" "$have" "$loaded"
"$PGC" -d "$DB" import -q --batch-size 2000 --dedupe-key ticket --map ticket=customer_type drop.csv >drop2.out 2>&1; rc=$?
expect "... the same command again loads the rest, no row twice" \
  "$rc $(q "SELECT count(*) || ' ' || count(DISTINCT customer_type) FROM complaint.complaint WHERE customer_type LIKE 'D%'")" "0 30000 30000"

# ---------------------------------------------------------------------------------------
echo "# watch"
q "DELETE FROM complaint.outbox" >/dev/null
emit() {  # emit N TAG: N outbox events
  q "SELECT count(complaint._outbox(now(), 'remind', g, format('{\"tag\": \"%s\", \"n\": %s}', '$2', g))) FROM generate_series(1, $1) g" >/dev/null
}
emit 25 before
: >delivered.jsonl
"$PGC" -d "$DB" watch --count 50 --max-backoff 1 --exec 'cat >>delivered.jsonl' >watch.out 2>watch.err &
W=$!
BG+=("$W")
for _ in $(seq 100); do [[ $(wc -l <delivered.jsonl 2>/dev/null || echo 0) -ge 25 ]] && break; sleep 0.1; done
expect "watch: the 25 waiting events delivered" "$(wc -l <delivered.jsonl)" "25"
if [[ -f $DATA/postmaster.pid ]]; then
  restart_server; rc=$?
  expect "the server restarted" "$rc" "0"
  for _ in $(seq 100); do pg_isready -q && break; sleep 0.1; done
  emit 25 after
  for _ in $(seq 200); do kill -0 "$W" 2>/dev/null || break; sleep 0.1; done
  wait "$W"; rc=$?
  BG=()
  expect "watch: exit 0 after --count 50" "$rc" "0"
  contains "... it lost the connection and reconnected" "$(cat watch.err)" "connection lost"
  expect "... 50 deliveries, 50 distinct events, 25 before and 25 after the restart" \
    "$(wc -l <delivered.jsonl) $(grep -o '"id": [0-9]*' delivered.jsonl | sort -u | wc -l) $(grep -c '"tag": "before"' delivered.jsonl) $(grep -c '"tag": "after"' delivered.jsonl)" \
    "50 50 25 25"
  expect "... and the outbox is empty" "$(q "SELECT count(*) FROM complaint.outbox")" "0"

  # an event whose delivery is cut by a restart is not acknowledged: delivered again
  emit 3 inflight
  : >slow.log
  "$PGC" -d "$DB" watch --count 3 --max-backoff 1 --exec 'cat >>slow.jsonl; echo x >>slow.log; sleep 2' >/dev/null 2>watch2.err &
  W=$!
  BG+=("$W")
  for _ in $(seq 100); do [[ -s slow.log ]] && break; sleep 0.1; done
  restart_server
  for _ in $(seq 200); do kill -0 "$W" 2>/dev/null || break; sleep 0.1; done
  wait "$W"; rc=$?
  BG=()
  first=$(head -1 slow.jsonl | grep -o '"id": [0-9]*')
  expect "watch: a delivery cut by a restart: exit 0; the event came again, the others once; outbox empty" \
    "$rc $(grep -c "$first," slow.jsonl) $(grep -o '"id": [0-9]*' slow.jsonl | sort -u | wc -l) $(q "SELECT count(*) FROM complaint.outbox")" \
    "0 2 3 0"
else
  notok "watch across a server restart" "no data directory at $DATA (run by scripts/check.sh, or set PGC_TEST_DATA)"
fi

emit 300 shared
"$PGC" -d "$DB" watch --once --exec 'cat >>shared1.jsonl' >/dev/null 2>&1 &
W1=$!
"$PGC" -d "$DB" watch --once --exec 'cat >>shared2.jsonl' >/dev/null 2>&1 &
W2=$!
BG+=("$W1" "$W2")
wait "$W1"; rc1=$?
wait "$W2"; rc2=$?
BG=()
touch shared1.jsonl shared2.jsonl
n1=$(wc -l <shared1.jsonl); n2=$(wc -l <shared2.jsonl)
expect "two watchers: both exit 0; 300 deliveries of 300 distinct events; outbox empty" \
  "$rc1 $rc2 $((n1 + n2)) $(cat shared1.jsonl shared2.jsonl | grep -o '"id": [0-9]*' | sort -u | wc -l) $(q "SELECT count(*) FROM complaint.outbox")" \
  "0 0 300 300 0"
echo "#   shared: $n1 + $n2"

emit 1 failing
out=$("$PGC" -d "$DB" watch --once --max-attempts 2 --max-backoff 0.1 --exec 'exit 3' 2>&1); rc=$?
expect "a failing --exec: exit 5 after --max-attempts, the event kept with its attempts and error" \
  "$rc $(q "SELECT attempts || ':' || last_error FROM complaint.outbox")" "5 2:the command exited with status 3"
"$PGC" -d "$DB" watch --once >stdout.jsonl 2>/dev/null; rc=$?
expect "watch to stdout: the event as one JSON line, then the outbox is empty" \
  "$rc $(grep -c '"topic": "remind", "complaint_id": 1, "payload": {"n": 1, "tag": "failing"}}$' stdout.jsonl) $(q "SELECT count(*) FROM complaint.outbox")" "0 1 0"

# ---------------------------------------------------------------------------------------
echo "# report"
if [[ $(q "SELECT to_regclass('complaint.v_monthly_report') IS NULL") == t ]]; then
  # the BI views are not in this build: a stand-in of the same kind, so the output path is tested
  echo "#   complaint.v_monthly_report missing: testing against a stand-in view"
  q "CREATE VIEW complaint.v_monthly_report AS
       SELECT policy, to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, unit,
              count(*)::int AS complaints, sum(amount) AS amount
         FROM complaint.complaint GROUP BY 1, 2, 3" >/dev/null
fi
"$PGC" -d "$DB" report monthly --format csv >report.csv; rc=$?
psql -X -q -d "$DB" -c "\\copy (SELECT * FROM complaint.v_monthly_report ORDER BY 1, 2, 3, 4) TO 'view.csv' CSV HEADER"
if [[ $rc -eq 0 ]] && cmp -s report.csv view.csv; then ok "report monthly --format csv: the view's rows, as psql \\copy writes them"; else notok "report monthly --format csv equals the view" "$(diff report.csv view.csv | head -5)"; fi
month=$(q "SELECT left(min(month)::text, 7) FROM complaint.v_monthly_report")
"$PGC" -d "$DB" report monthly --month "$month" --policy property --format json >report.json; rc=$?
expect "report --month --policy --format json: the view's rows of that month" \
  "$rc $(python3 -c 'import json,sys; print(len(json.load(open("report.json"))))')" \
  "0 $(q "SELECT count(*) FROM complaint.v_monthly_report WHERE policy = 'property' AND left(month::text, 7) = '$month'")"
"$PGC" -d "$DB" report monthly --format table >report.txt; rc=$?
widths=$(python3 - <<'EOF'
import unicodedata
w = set()
for line in open('report.txt', encoding='utf-8').read().splitlines()[:-1]:
    w.add(sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in line.ljust(0)))
lines = open('report.txt', encoding='utf-8').read().splitlines()[:-1]
# every '|' of every line sits at the same display column
cols = set()
for line in lines:
    pos, col = [], 0
    for c in line:
        if c in '|+':
            pos.append(col)
        col += 2 if unicodedata.east_asian_width(c) in 'WF' else 1
    cols.add(tuple(pos))
print(len(cols))
EOF
)
expect "report --format table: the column separators line up, CJK text counted two columns wide" "$rc $widths" "0 1"
cjk=$(python3 -c '
import csv, sys
for row in csv.reader(open("view.csv", encoding="utf-8")):
    for v in row:
        if any(ord(c) > 0x2E80 for c in v):
            print(v); sys.exit()')
contains "... it shows the view's Chinese text ($cjk)" "$(cat report.txt)" "$cjk"
"$PGC" -d "$DB" report overdue --month 2025-03 >/dev/null 2>&1; rc=$?
if [[ $(q "SELECT to_regclass('complaint.v_overdue') IS NULL") == t ]]; then
  expect "report overdue without its view: exit 4" "$rc" "4"
else
  ok "report overdue exists (exit $rc)"
fi

# ---------------------------------------------------------------------------------------
echo "# valgrind"
if command -v valgrind >/dev/null; then
  head -201 big100k.csv | sed 's/,K\([0-9]*\)$/,V\1/' >vg.csv
  valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=99 "$PGC" -d "$DB" import -q --batch-size 64 --dedupe-key ticket --map ticket=customer_type vg.csv >vg.out 2>vg.err; rc=$?
  expect "valgrind: an import (200 rows, 4 batches), no invalid access, no leak" "$rc" "0"
  [[ $rc -ne 0 ]] && sed 's/^/#   /' vg.err | head -30
  valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=99 "$PGC" -d "$DB" import -q mixed.csv >/dev/null 2>vg2.err; rc=$?
  expect "valgrind: an import with rejects of every kind, no invalid access, no leak" "$rc" "1"
  [[ $rc -ne 1 ]] && sed 's/^/#   /' vg2.err | head -30
  valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=99 "$PGC" -d "$DB" report monthly --format table >/dev/null 2>vg3.err; rc=$?
  expect "valgrind: a report, no invalid access, no leak" "$rc" "0"
  [[ $rc -ne 0 ]] && sed 's/^/#   /' vg3.err | head -30
else
  notok "valgrind is installed (scripts/deps.sh)"
fi
