#!/usr/bin/env bash
# outbox_listen.sh — an example consumer of pg_complaint's outbox: LISTENs on channel
# `complaint` and prints every notification and the complaint.outbox row it points to.
#
#   scripts/outbox_listen.sh [-d DB] [--count N] [--timeout SECS] [--delete] [--poll SECS]
#
#   -d DB          database (default: $PGDATABASE); connection as usual from PGHOST, PGPORT, PGUSER
#   --count N      exit after N notifications (default: run until Ctrl-C)
#   --timeout S    exit (status 1) when no notification came for S seconds (default: never)
#   --delete       delete each outbox row once printed (what a real consumer does when it has
#                  passed the message on)
#   --poll S       how often the listening session looks for notifications (default 0.5)
#
# Output, per notification (after a first line "listening on channel complaint"):
#   notify id=<outbox id> topic=<topic> complaint_id=<id>
#     outbox <id> | <at> | <topic> | <complaint_id> | <payload>      (or: outbox row <id> is gone)
#
# Every outbox row is announced with pg_notify('complaint', '{"id": .., "topic": .., "complaint_id": ..}')
# when the transaction that wrote it commits; a rolled-back sweep announces nothing. A
# notification is a hint, not the message: a consumer that was not listening (restarted, lost
# its connection) catches up by reading complaint.outbox by id, and deletes what it processed.
#
# How: psql prints a notification (`Asynchronous notification "complaint" with payload "..."`)
# after the next command it runs, so the listening session is fed an empty query every --poll
# seconds; each notification's row is read in a second, short session.
set -uo pipefail

DB=${PGDATABASE:-}
COUNT=0
TIMEOUT=0
DELETE=0
POLL=0.5
while (($#)); do
  case $1 in
    -d) DB=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --delete) DELETE=1; shift ;;
    --poll) POLL=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "outbox_listen: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
DBARGS=()
[[ -n $DB ]] && DBARGS=(-d "$DB")

# the listening session runs while $RUN exists; removing it ends psql's input, and psql ends
RUN=$(mktemp /tmp/pgc_outbox_listen.XXXXXX)
trap 'rm -f "$RUN"' EXIT
trap 'rm -f "$RUN"; exit 130' INT TERM

feed() {
  echo "LISTEN complaint;"
  echo "\\echo listening on channel complaint"
  while [[ -e $RUN ]]; do
    echo "SELECT WHERE false;"
    sleep "$POLL"
  done
}

# show PAYLOAD: the notification and its outbox row
show() {
  psql -X -q -At -F ' | ' -v ON_ERROR_STOP=1 "${DBARGS[@]}" -v payload="$1" -v del="$DELETE" <<'SQL'
SELECT format('notify id=%s topic=%s complaint_id=%s', p->>'id', p->>'topic', coalesce(p->>'complaint_id', 'null'))
  FROM (SELECT :'payload'::jsonb AS p) n;
SELECT coalesce((SELECT format('  outbox %s | %s | %s | %s | %s', o.id, o.at, o.topic, o.complaint_id, o.payload)
                   FROM complaint.outbox o WHERE o.id = (:'payload'::jsonb->>'id')::bigint),
                format('  outbox row %s is gone', :'payload'::jsonb->>'id'));
SELECT :del = 1 AS del \gset
\if :del
DELETE FROM complaint.outbox WHERE id = (:'payload'::jsonb->>'id')::bigint;
\endif
SQL
}

n=0
rc=0
exec 3< <(feed | psql -X -q -At "${DBARGS[@]}" 2>&1)
session=$!
prefix='Asynchronous notification "complaint" with payload "'
while true; do
  if ((TIMEOUT > 0)); then
    IFS= read -r -t "$TIMEOUT" line <&3 || { echo "outbox_listen: no notification for $TIMEOUT s" >&2; rc=1; break; }
  else
    IFS= read -r line <&3 || { echo "outbox_listen: the listening session ended" >&2; rc=1; break; }
  fi
  case $line in
    "$prefix"*)
      payload=${line#"$prefix"}
      payload=${payload%\" received from server process with PID *}
      show "$payload" || rc=1
      n=$((n + 1))
      ((COUNT > 0 && n >= COUNT)) && break
      ;;
    *) echo "$line" ;;   # "listening on channel complaint", or an error of the session
  esac
done
rm -f "$RUN"
exec 3<&-
wait "$session" 2>/dev/null   # the listening session ends within --poll seconds
exit $rc
