SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- attach: an existing application table (support.tickets) attached to a policy. Rows already
-- there are imported; the application's plain INSERT, UPDATE and DELETE statements then get
-- reference numbers, levels, deadlines and refused transitions, each row with exactly one
-- linked complaint. detach() leaves the table's catalog state exactly as before.
--
\set SHOW_CONTEXT never
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('helpdesk', '客服工单', 'Help desk', 'cn', 'HD');
INSERT INTO complaint.category (policy, code, name_zh, name_en)
VALUES ('helpdesk', 'billing', '账单', 'Billing'), ('helpdesk', 'service', '服务', 'Service');
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en)
VALUES ('helpdesk', 'urgent', 2, '紧急', 'urgent'), ('helpdesk', 'normal', 1, '普通', 'normal');
INSERT INTO complaint.fact (policy, key, type, default_value, name_zh, name_en)
VALUES ('helpdesk', 'lawsuit_filed', 'boolean', 'false', '已起诉', 'lawsuit filed');
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
VALUES ('helpdesk', 'lawsuit', 'urgent', '{"fact": "facts.lawsuit_filed"}', '已起诉', 'a lawsuit was filed');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('helpdesk', 'forward', 'forward', 'working_time', '30 minutes', '{assigned,investigating,proposed,accepted,closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, anchor, anchor_value, measure, amount, met_by, restart)
VALUES ('helpdesk', 'respond', 'respond', 'status', 'assigned', 'working_time', '4 hours', '{investigating,proposed,accepted,closed}', true);

CREATE SCHEMA support;
CREATE TABLE support.tickets (
    id       serial PRIMARY KEY,
    created  timestamptz NOT NULL DEFAULT now(),
    source   text,
    topic    text,
    title    text,
    customer text,
    site     text,
    agent    text,
    state    text NOT NULL DEFAULT 'open',
    lawsuit  boolean,
    note     text,
    prio     text,
    due      timestamptz,
    ticket_ref varchar(20),
    why      text
);
-- three tickets from before the attachment, one of them already assigned
INSERT INTO support.tickets (created, source, topic, title, customer, site, agent, state) VALUES
    ('2025-03-03 10:00+08', 'tel', 'bill', 'double charge', 'Li', 'north', NULL, 'open'),
    ('2025-03-04 11:00+08', 'mail', 'svc', 'rude staff', 'Wu', 'south', 'zhao', 'assigned'),
    ('2025-02-27 09:00+08', 'web', NULL, 'no answer', 'Ma', 'north', NULL, 'open');

-- catalog state of the table (relhastriggers aside: PostgreSQL clears it only at VACUUM),
-- taken before attach() to compare after detach()
CREATE TEMP VIEW catalog_state AS
SELECT 'class' AS what, row(c.relname, c.relkind, c.relnatts, c.relhasindex, c.relhasrules, c.relacl)::text AS state
  FROM pg_class c WHERE c.oid = 'support.tickets'::regclass
UNION ALL SELECT 'attribute', row(a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.atthasdef)::text
  FROM pg_attribute a WHERE a.attrelid = 'support.tickets'::regclass
UNION ALL SELECT 'trigger', row(t.tgname, t.tgenabled)::text FROM pg_trigger t WHERE t.tgrelid = 'support.tickets'::regclass
UNION ALL SELECT 'constraint', row(k.conname, k.contype)::text FROM pg_constraint k WHERE k.conrelid = 'support.tickets'::regclass
UNION ALL SELECT 'index', i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = 'support.tickets'::regclass
UNION ALL SELECT 'depend', row(d.classid::regclass, d.objsubid, d.deptype)::text FROM pg_depend d
  WHERE d.refobjid = 'support.tickets'::regclass AND d.classid NOT IN ('pg_class'::regclass, 'pg_rewrite'::regclass);
CREATE TEMP TABLE before_attach AS SELECT * FROM catalog_state;

SELECT complaint.attach('support.tickets', 'helpdesk', '{
    "received_at": "created",
    "channel": {"column": "source", "map": {"tel": "phone", "mail": "email"}},
    "category": {"column": "topic", "map": {"bill": "billing", "svc": "service"}},
    "subject": "title", "complainant": "customer", "unit": "site", "handler": "agent",
    "status": {"column": "state", "map": {"open": "new", "assigned": "assigned", "working": "investigating",
                                          "proposed": "proposed", "accepted": "accepted", "done": "closed"}},
    "facts": {"lawsuit_filed": "lawsuit"},
    "write_back": {"ref": "ticket_ref", "level": "prio", "next_due_at": "due", "level_reasons": "why"}}') AS imported;

-- the imported rows got their reference numbers (ordered by receipt), levels and deadlines
-- (an imported assigned complaint's respond deadline counts from now: shown as written back)
SELECT t.id, t.state, t.ticket_ref, t.prio, CASE WHEN t.state = 'open' THEN t.due::text
       ELSE (t.due = c.next_due_at)::text END AS due, t.why
  FROM support.tickets t JOIN complaint.complaint c ON c.ref = t.ticket_ref ORDER BY t.id;
SELECT c.ref, c.channel, c.category, c.status, c.unit, c.handler, c.received_at
  FROM complaint.complaint c WHERE c.policy = 'helpdesk' ORDER BY c.ref;
SELECT l.target, l.key, c.ref FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id ORDER BY l.key;
-- imported history is marked so
SELECT c.ref, e.kind, e.imported FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.policy = 'helpdesk' ORDER BY c.ref, e.id;
SELECT target, policy, key_columns, existing, linked_rows, open_complaints, attached_by FROM complaint.attachments;
SELECT tgname, tgenabled, tgtype FROM pg_trigger WHERE tgrelid = 'support.tickets'::regclass ORDER BY tgname;

-- the application's own INSERT: a Friday-evening phone complaint
INSERT INTO support.tickets (created, source, topic, title, customer, site)
VALUES ('2025-03-07 17:50+08', 'tel', 'bill', 'charged twice again', 'Li', 'north')
RETURNING id, state, ticket_ref, prio, due;
-- a lawsuit makes it urgent at once
INSERT INTO support.tickets (created, source, title, customer, site, lawsuit)
VALUES ('2025-03-10 09:00+08', 'mail', 'lawyer letter', 'Qian', 'south', true)
RETURNING id, ticket_ref, prio, why;

-- workflow through the application's UPDATE: assignment needs an agent, as natively
UPDATE support.tickets SET state = 'assigned' WHERE id = 4;
UPDATE support.tickets SET state = 'assigned', agent = 'zhou' WHERE id = 4
RETURNING id, state, due = (SELECT next_due_at FROM complaint.complaint WHERE ref = ticket_ref) AS due_written_back;
-- an impossible transition fails with the native error, word for word
UPDATE support.tickets SET state = 'done' WHERE id = 4;
DO $$
DECLARE
    app text; native text; st text; msg text; det text; hin text;
BEGIN
    BEGIN
        UPDATE support.tickets SET state = 'done' WHERE id = 4;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hin = PG_EXCEPTION_HINT;
        app := concat_ws(' | ', st, msg, det, hin);
    END;
    BEGIN
        UPDATE complaint.complaint SET status = 'closed' WHERE ref = (SELECT ticket_ref FROM support.tickets WHERE id = 4);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hin = PG_EXCEPTION_HINT;
        native := concat_ws(' | ', st, msg, det, hin);
    END;
    RAISE NOTICE 'same error: %', app = native;
    RAISE NOTICE '%', app;
END
$$;
-- nothing changed by the refused statements
SELECT t.state, c.status FROM support.tickets t JOIN complaint.complaint c ON c.ref = t.ticket_ref WHERE t.id = 4;
-- a new ticket must start open (new), as a native complaint must
INSERT INTO support.tickets (source, title, customer, state) VALUES ('tel', 'already assigned', 'Sun', 'assigned');
-- a value the map does not know and that is no channel
INSERT INTO support.tickets (source, title, customer) VALUES ('fax', 'by fax', 'Sun');
-- a category outside the policy's taxonomy (no map entry, not a code)
INSERT INTO support.tickets (topic, title, customer) VALUES ('food', 'cold soup', 'Sun');
-- a missing subject: the native error
INSERT INTO support.tickets (source, customer) VALUES ('tel', 'Sun');
SELECT count(*) AS tickets, (SELECT count(*) FROM complaint.complaint WHERE policy = 'helpdesk') AS complaints
  FROM support.tickets;

-- the write-back columns belong to the rules: a hand edit is undone, a change of a column the
-- rules do not read does not touch the complaint
SELECT updated_at AS before_update FROM complaint.complaint WHERE ref = 'HD-202503-00003' \gset
UPDATE support.tickets SET prio = 'low', note = 'called back' WHERE id = 4 RETURNING id, prio, note;
SELECT updated_at = :'before_update' AS complaint_untouched FROM complaint.complaint WHERE ref = 'HD-202503-00003';
-- a fact raised by the application raises the level, with a level event
UPDATE support.tickets SET lawsuit = true WHERE id = 1 RETURNING id, prio, why;
SELECT e.kind, e.detail->>'from' AS level_from, e.detail->>'to' AS level_to FROM complaint.event e
  JOIN complaint.complaint c ON c.id = e.complaint_id WHERE c.ref = 'HD-202503-00001' AND e.kind = 'level';
-- a multi-row UPDATE moves every row through the rules
UPDATE support.tickets SET state = 'working' WHERE id IN (2, 4) RETURNING id, state, due;
SELECT c.ref, c.status, d.kind, d.met_at IS NOT NULL AS met FROM complaint.complaint c
  JOIN complaint.deadline d ON d.complaint_id = c.id WHERE c.ref IN ('HD-202503-00002', 'HD-202503-00003') ORDER BY c.ref, d.kind;

-- what changes in complaint.complaint itself (staff, the rules, the sweep) comes back to the
-- ticket's write-back columns in the same transaction: a fact set by staff raises the level
SELECT id, prio, why FROM support.tickets WHERE id = 2;
UPDATE complaint.complaint SET facts = facts || '{"lawsuit_filed": true}' WHERE ref = 'HD-202503-00002';
SELECT id, prio, why FROM support.tickets WHERE id = 2;
-- a ticket assigned in complaint.complaint: its forward deadline is met and its respond
-- deadline opens, and the ticket's due follows (its state column is the application's input,
-- not written back)
SELECT due AS due_before FROM support.tickets WHERE id = 1 \gset
BEGIN;
UPDATE complaint.complaint SET status = 'assigned', handler = 'qian', unit = 'north' WHERE ref = 'HD-202503-00001';
SELECT t.state, t.due IS NOT DISTINCT FROM c.next_due_at AS due_follows, t.due <> :'due_before' AS due_moved, c.status
  FROM support.tickets t JOIN complaint.complaint c ON c.ref = t.ticket_ref WHERE t.id = 1;
ROLLBACK;
-- the ticket's own history shows no extra change: the refresh only rewrote the columns
SELECT e.kind, count(*) FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.ref = 'HD-202503-00002' GROUP BY e.kind ORDER BY e.kind;

-- deleting a ticket whose complaint is open is refused
DELETE FROM support.tickets WHERE id = 4;
TRUNCATE support.tickets;
-- once closed it may go: the link goes, the complaint stays on record
UPDATE support.tickets SET state = 'proposed' WHERE id = 4;
UPDATE support.tickets SET state = 'accepted' WHERE id = 4;
UPDATE support.tickets SET state = 'done' WHERE id = 4 RETURNING id, state, due;
DELETE FROM support.tickets WHERE id = 4;
SELECT c.ref, c.status, (SELECT count(*) FROM complaint.attached_row l WHERE l.complaint_id = c.id) AS links
  FROM complaint.complaint c WHERE c.ref = 'HD-202503-00003';

-- INSERT ... ON CONFLICT on the key: no second complaint
INSERT INTO support.tickets (id, title, customer) VALUES (1, 'duplicate', 'Li') ON CONFLICT (id) DO NOTHING;
INSERT INTO support.tickets (id, title, customer) VALUES (1, 'duplicate', 'Li')
    ON CONFLICT (id) DO UPDATE SET title = 'double charge (reminded)' RETURNING id, title, ticket_ref;
INSERT INTO support.tickets (id, title, customer) VALUES (1, 'duplicate', 'Li');
SELECT subject FROM complaint.complaint WHERE ref = 'HD-202503-00001';
-- a new key: the link follows
UPDATE support.tickets SET id = 100 WHERE id = 3 RETURNING id, ticket_ref;
SELECT l.key FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id WHERE c.ref = 'HD-202502-00001';
UPDATE support.tickets SET title = 'no answer at all' WHERE id = 100;
SELECT subject FROM complaint.complaint WHERE ref = 'HD-202502-00001';
-- every ticket has exactly one complaint
SELECT count(*) AS tickets, count(DISTINCT l.complaint_id) AS linked
  FROM support.tickets t JOIN complaint.attached_row l ON l.target = 'support.tickets'::regclass AND l.key = t.id::text;

-- detach: triggers and links go, the complaints stay; the table is as it was
SELECT complaint.detach('support.tickets') AS links_removed;
SELECT count(*) AS attachments FROM complaint.attachments;
SELECT count(*) AS links FROM complaint.attached_row;
SELECT count(*) AS complaints FROM complaint.complaint WHERE policy = 'helpdesk';
CREATE TEMP TABLE after_detach AS SELECT * FROM catalog_state;
SELECT 'only before' AS side, * FROM (SELECT * FROM before_attach EXCEPT ALL SELECT * FROM after_detach) x
UNION ALL
SELECT 'only after', * FROM (SELECT * FROM after_detach EXCEPT ALL SELECT * FROM before_attach) y;
SELECT count(*) AS catalog_rows_compared FROM before_attach;
-- the plain table again: any status, any delete
UPDATE support.tickets SET state = 'done' WHERE id = 2;
DELETE FROM support.tickets WHERE id = 2;
SELECT complaint.detach('support.tickets');

-- attach again, leaving the rows already there alone: they stay unlinked, new rows are linked
SELECT complaint.attach('support.tickets', 'helpdesk', '{"subject": "title", "complainant": "customer", "received_at": "created",
    "write_back": {"ref": "ticket_ref"}}', existing => 'skip') AS imported;
SELECT existing, linked_rows FROM complaint.attachments;
UPDATE support.tickets SET state = 'whatever', title = 'edited' WHERE id = 1 RETURNING id, state, ticket_ref;
INSERT INTO support.tickets (created, title, customer) VALUES ('2025-03-11 10:00+08', 'new after skip', 'Zhu')
RETURNING ticket_ref;
DELETE FROM support.tickets WHERE id = 100;
SELECT complaint.detach('support.tickets') AS links_removed;
-- and attach -> detach -> attach with the default import
SELECT complaint.attach('support.tickets', 'helpdesk', '{"subject": "title", "received_at": "created"}') AS imported;
SELECT linked_rows FROM complaint.attachments;
SELECT complaint.detach('support.tickets') AS links_removed;
