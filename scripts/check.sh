#!/usr/bin/env bash
# check.sh — `make check`: install what is missing, build warning-free, install, start a
# throwaway cluster, run every suite (pg_regress, isolation, pgTAP, shell harnesses),
# remove the cluster, and end with one line "N passed, N failed". Exit status 0 only
# when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

scripts/deps.sh || exit 1
export PATH=/usr/lib/postgresql/15/bin:$PATH
echo "== build"
make -s clean >/dev/null 2>&1
make -s -j2 2>&1 | grep -v '^clang\|^/usr/bin/clang' ; [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
make -s install >/dev/null || { echo "install failed"; echo "0 passed, 1 failed"; exit 1; }

source scripts/cluster.sh
cluster_start || { echo "could not start the test cluster"; echo "0 passed, 1 failed"; exit 1; }

PASS=0
FAIL=0
LOG=$(mktemp -d /tmp/pgc_check_log.XXXXXX)
trap 'cluster_stop; rm -rf "$LOG"' EXIT

# count_regress FILE: "... ok" / "... FAILED" lines of pg_regress and pg_isolation_regress
count_regress() {
  local ok bad
  ok=$(grep -cE '\.\.\. ok|\.\.\. failed \(ignored\)' "$1")
  bad=$(grep -cE '\.\.\. FAILED' "$1")
  PASS=$((PASS + ok)); FAIL=$((FAIL + bad))
  echo "   -> $ok passed, $bad failed"
}

# show_suite LOG RC DIR: print a pg_regress-style run, count it, and on failure show why.
# A run that stopped early (non-zero exit with no FAILED test) counts as one failure.
show_suite() {
  local log=$1 rc=$2 dir=$3 before=$FAIL
  grep -E '^(test +| +)[a-z_0-9]+ +\.\.\.' "$log"
  count_regress "$log"
  if [[ $rc -ne 0 ]]; then
    [[ -f $dir/regression.diffs ]] && head -300 "$dir/regression.diffs"
    if [[ $FAIL -eq $before ]]; then
      tail -20 "$log"
      FAIL=$((FAIL + 1))
      echo "   -> the suite stopped early (exit $rc): counted as 1 failed"
    fi
  fi
}

echo "== pg_regress (sql/, expected/)"
make -s installcheck-regress >"$LOG/regress.txt" 2>&1
rc=$?
show_suite "$LOG/regress.txt" $rc tests/output_regress

echo "== isolation (tests/specs/)"
make -s installcheck-isolation >"$LOG/iso.txt" 2>&1
rc=$?
show_suite "$LOG/iso.txt" $rc tests/output_iso

echo "== pgTAP (tests/pgtap/)"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE pgtap_check" >/dev/null &&
  psql -X -q -v ON_ERROR_STOP=1 -d pgtap_check -c "CREATE EXTENSION pgtap; CREATE EXTENSION pg_complaint" >/dev/null
pg_prove -v -d pgtap_check tests/pgtap/*.sql >"$LOG/tap.txt" 2>&1
rc=$?
ok=$(grep -cE '^ok [0-9]+' "$LOG/tap.txt")
bad=$(grep -cE '^not ok [0-9]+' "$LOG/tap.txt")
grep -E '^tests/pgtap/.*\.sql|^Files=|^Result' "$LOG/tap.txt"
if [[ $rc -ne 0 ]]; then
  grep -B2 -A8 -E '^not ok|Dubious|Parse errors|ERROR' "$LOG/tap.txt" | head -120
  [[ $bad -eq 0 ]] && bad=1
fi
PASS=$((PASS + ok)); FAIL=$((FAIL + bad))
echo "   -> $ok passed, $bad failed"

echo "== harnesses (tests/shell/)"
for t in tests/shell/*.sh; do
  [[ -e $t ]] || continue
  echo " - $t"
  bash "$t" >"$LOG/shell.txt" 2>&1
  rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOG/shell.txt" | tail -1)
  if [[ -n $line ]]; then
    ok=${line%% passed*}; bad=${line#*passed, }; bad=${bad%% failed*}
  else
    ok=0; bad=1
  fi
  if [[ $rc -ne 0 && $bad -eq 0 ]]; then bad=1; fi
  [[ $bad -ne 0 ]] && tail -40 "$LOG/shell.txt"
  PASS=$((PASS + ok)); FAIL=$((FAIL + bad))
  echo "   -> $ok passed, $bad failed"
done

echo "$PASS passed, $FAIL failed"
[[ $FAIL -eq 0 ]]
