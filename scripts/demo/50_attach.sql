-- make demo, part 5: an existing application. support.tickets belongs to a help-desk program
-- nobody wants to change; one complaint.attach() call puts the property rules under it, and
-- the program's own plain INSERT and UPDATE statements get reference numbers, levels,
-- deadlines and refused transitions.
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
\pset footer off

\echo
\echo '=== 5. Existing applications: complaint.attach() ================================'
\echo 'The help-desk program''s own table, with two tickets from before:'
CREATE SCHEMA support;
CREATE TABLE support.tickets (
    id       serial PRIMARY KEY,
    created  timestamptz NOT NULL DEFAULT now(),
    source   text,             -- tel, mail, bbs
    kind     text,             -- the program's own categories
    title    text NOT NULL,
    customer text,
    site     text,
    agent    text,
    state    text NOT NULL DEFAULT 'open',
    lawsuit  boolean,
    prio     text,             -- written back: the level
    due      timestamptz,      -- written back: the next deadline
    ref      text              -- written back: the reference number
);
INSERT INTO support.tickets (created, source, kind, title, customer, site) VALUES
  ('2026-11-20 17:50+08', 'tel',  'repair', 'Water through the ceiling', 'owner 17', 'Tower 3'),
  ('2026-11-21 10:00+08', 'mail', 'fees',   'Parking fee charged twice', 'owner 4',  'Tower 1');
TABLE support.tickets;

\echo 'One call: the mapping names the program''s columns and translates its values.'
\echo 'The two tickets already there are brought under the rules (existing => ''import''):'
SELECT complaint.attach('support.tickets', 'property', '{
    "received_at": "created",
    "channel":  {"column": "source", "map": {"tel": "phone", "mail": "email", "bbs": "forum"}},
    "category": {"column": "kind",   "map": {"repair": "engineering_quality", "fees": "property_management"}},
    "subject": "title", "complainant": "customer", "unit": "site", "handler": "agent",
    "status":   {"column": "state",  "map": {"open": "new", "assigned": "assigned", "working": "investigating",
                                            "solved": "proposed", "ok": "accepted", "done": "closed"}},
    "facts": {"lawsuit_filed": "lawsuit"},
    "write_back": {"ref": "ref", "level": "prio", "next_due_at": "due"}}') AS imported;
SELECT id, state, ref, prio, due FROM support.tickets ORDER BY id;

\echo 'The program goes on with its plain INSERT; a lawsuit makes the ticket major at once:'
INSERT INTO support.tickets (created, source, kind, title, customer, site, lawsuit)
VALUES (now() - interval '10 minutes', 'bbs', 'repair', 'Cracks in the outer wall, lawyer engaged', 'owner 9', 'Tower 3', true)
RETURNING id, ref, prio, due;

\echo 'Its UPDATE moves the ticket; the rules check every move, with the native errors:'
\set ON_ERROR_STOP 0
UPDATE support.tickets SET state = 'assigned' WHERE id = 1;
UPDATE support.tickets SET state = 'done' WHERE id = 1;
\set ON_ERROR_STOP 1
UPDATE support.tickets SET state = 'assigned', agent = 'Wang Lei' WHERE id = 1 RETURNING id, state, prio, due;
\echo 'A ticket with an open complaint cannot be deleted:'
\set ON_ERROR_STOP 0
DELETE FROM support.tickets WHERE id = 1;
\set ON_ERROR_STOP 1

\echo 'Every ticket is a complaint like any other: views, the sweep and reports see it.'
SELECT c.ref, c.channel, c.category, c.status, c.level, c.next_due_at, l.key AS ticket
  FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id
 WHERE l.target = 'support.tickets'::regclass ORDER BY l.key::int;
SELECT e.kind, e.actor, e.detail->>'from' AS "from", e.detail->>'to' AS "to"
  FROM complaint.event e JOIN complaint.attached_row l ON l.complaint_id = e.complaint_id
 WHERE l.target = 'support.tickets'::regclass AND l.key = '1' ORDER BY e.id;
SELECT target, policy, key_columns, linked_rows, open_complaints FROM complaint.attachments;

\echo 'complaint.detach() removes the triggers and links; the table is as it was, the'
\echo 'complaints stay on record:'
SELECT complaint.detach('support.tickets') AS links_removed;
SELECT count(*) AS triggers_left FROM pg_trigger WHERE tgrelid = 'support.tickets'::regclass;
