SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- complaint: the table complaint.complaint, its defaults, reference numbers, the stamps
-- of the workflow and the history (complaint.event, complaint.history()) of complaints
-- walking every path of CONTRACT section 2; DELETE, import mode, received_at corrections.
-- Times of the clock are never printed: only whether stamps are set or equal.
--
\set SHOW_CONTEXT never
-- policies of this file (prefixes RM, RO, RF, RB are used nowhere else)
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix) VALUES
    ('reg_main', '回归测试办法', 'Regression policy', 'cn', 'RM'),
    ('reg_other', '另一办法', 'Another policy', 'cn', 'RO');
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix, ref_gapless)
VALUES ('reg_fast', '快速编号办法', 'Policy without gap-free refs', 'cn', 'RF', false);
INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES
    ('reg_main', 'quality', '质量', 'Quality'),
    ('reg_main', 'service', '服务', 'Service'),
    ('reg_other', 'billing', '账单', 'Billing');
INSERT INTO complaint.fact (policy, key, type, name_zh, name_en)
VALUES ('reg_main', 'lawsuit_filed', 'boolean', '已起诉', 'Lawsuit filed');
-- (no levels: level and level_reasons belong to the classifier, see the classify_* suites)
SELECT code, calendar, ref_prefix, ref_gapless, first_contact_resolution
  FROM complaint.policy WHERE code LIKE 'reg\_%' ORDER BY code;

-- the columns of CONTRACT section 2 (plus created_at, updated_at), types and defaults
SELECT column_name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS "default", a.attidentity AS identity
  FROM information_schema.columns c
  JOIN pg_attribute a ON a.attrelid = 'complaint.complaint'::regclass AND a.attname = c.column_name
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE c.table_schema = 'complaint' AND c.table_name = 'complaint'
 ORDER BY c.ordinal_position;
SELECT enum_range(NULL::complaint.channel) AS channels;
SELECT enum_range(NULL::complaint.status) AS statuses;
SELECT enum_range(NULL::complaint.validity) AS validities;

--
-- 1. An insert with only the required columns: every default, stamps set by the trigger
--
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_main', '2025-03-10 10:00', 'Lift broken')
RETURNING ref, policy, received_at, channel, category, subject, body, complainant, contact,
          customer_type, unit, handler, collective_size, amount, facts, validity, status,
          level, level_reasons, reopen_count, satisfaction, next_due_at, resolved_at, closed_at,
          created_at = statement_timestamp() AS created_now, created_at = updated_at AS updated_eq_created;
-- received_at defaults to now(); the ref is then of the current month
INSERT INTO complaint.complaint (policy, subject) VALUES ('reg_other', 'received now')
RETURNING received_at = now() AS received_now,
          ref = 'RO-' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMM') || '-00001' AS ref_of_this_month;
-- every column given (the derived ones are reset: a new complaint is not reopened, resolved or closed)
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, body, complainant,
        contact, customer_type, unit, handler, collective_size, amount, facts, validity,
        satisfaction, reopen_count, resolved_at, closed_at, next_due_at)
VALUES ('reg_main', '2025-03-11 09:30', 'phone', 'quality', '卫生间漏水 Bathroom leaks', '楼下漏水',
        'Zhang Wei', '138-0000-0001', 'owner', 'Tower 3', 'Wang', 12, 1999.995, '{"lawsuit_filed": false}',
        'effective', 4, 7, '2025-03-12', '2025-03-12', '2025-03-12')
RETURNING ref, channel, category, subject, body, complainant, contact, customer_type, unit, handler,
          collective_size, amount, facts, validity, status, level, level_reasons, satisfaction,
          reopen_count, resolved_at, closed_at, next_due_at;

--
-- 2. Reference numbers: <prefix>-<YYYYMM of received_at in the calendar's zone>-<serial>,
--    gap-free per prefix and month
--
-- 2025-03-31 23:30 UTC is 2025-04-01 07:30 in Shanghai: an April complaint
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_main', '2025-03-31 23:30+00', 'late on the 31st in UTC') RETURNING ref, received_at;
-- the last second of March in Shanghai, then its first second of April
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('reg_main', '2025-03-31 15:59:59+00', 'last second of March'),
    ('reg_main', '2025-03-31 16:00:00+00', 'first second of April')
RETURNING ref, received_at;
-- the session's time zone does not matter: UTC 2025-05-31 20:00 is June in Shanghai
SET timezone = 'UTC';
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_main', '2025-05-31 20:00', 'typed in UTC') RETURNING ref;
SET timezone = 'Asia/Shanghai';
-- serials are per prefix: another policy in March starts at 1; a multi-row insert numbers in order
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('reg_other', '2025-03-02 08:00', 'first'),
    ('reg_other', '2025-03-01 08:00', 'second, received earlier'),
    ('reg_main', '2025-03-20 08:00', 'third')
RETURNING ref, policy, subject;
-- a rolled-back insert and a failed insert give their serial back
BEGIN;
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_main', '2025-03-21 08:00', 'rolled back') RETURNING ref;
ROLLBACK;
\set VERBOSITY sqlstate
INSERT INTO complaint.complaint (policy, received_at, subject, collective_size)
VALUES ('reg_main', '2025-03-21 08:00', 'fails its CHECK after the ref was drawn', 0);
\set VERBOSITY default
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_main', '2025-03-21 09:00', 'after the rollback') RETURNING ref;
-- the zone of the policy's calendar decides the month: 2025-03-31 21:30 UTC is
-- 23:30 in Berlin (March) but 05:30 on 1 April in Shanghai
INSERT INTO complaint.calendar (name, tz) VALUES ('reg_berlin', 'Europe/Berlin');
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('reg_berlin', '柏林办法', 'Berlin policy', 'reg_berlin', 'RB');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('reg_berlin', '2025-03-31 21:30+00', 'March in Berlin'),
    ('reg_berlin', '2025-03-31 22:30+00', 'April in Berlin')
RETURNING ref, received_at AT TIME ZONE 'Europe/Berlin' AS berlin_time;
SELECT prefix, month, last_serial FROM complaint.ref_counter
 WHERE prefix IN ('RM', 'RO', 'RB') AND month < 202600 ORDER BY prefix, month;
-- every committed ref of a month is gap-free (the complaint received now shows as 'this month',
-- so that the expected output does not depend on the date the test runs)
SELECT policy, CASE WHEN substr(ref, 4, 6) = to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMM')
                    THEN 'this month' ELSE substr(ref, 4, 6) END AS month, count(*) AS complaints,
       max(right(ref, 5)::int) AS last_serial, count(*) = max(right(ref, 5)::int) AS gap_free
  FROM complaint.complaint WHERE policy IN ('reg_main', 'reg_other', 'reg_berlin')
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT ref, subject FROM complaint.complaint WHERE policy IN ('reg_main', 'reg_berlin') ORDER BY ref;

-- serials past 99999 widen to 6 digits (the counter is set close to the limit by hand)
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('reg_wide', '宽编号办法', 'Wide serials', 'cn', 'RW');
INSERT INTO complaint.ref_counter (prefix, month, last_serial) VALUES ('RW', 202501, 99998);
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('reg_wide', '2025-01-15 10:00', 'serial 99999'),
    ('reg_wide', '2025-01-15 11:00', 'serial 100000'),
    ('reg_wide', '2025-01-15 12:00', 'serial 100001')
RETURNING ref, subject;

-- ref_gapless = false: serials from a sequence, in the same format, with gaps after a rollback
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_fast', '2025-03-05 10:00', 'fast 1') RETURNING ref ~ '^RF-202503-\d{5,}$' AS format_ok;
BEGIN;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_fast', '2025-03-05 10:00', 'fast rolled back');
ROLLBACK;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('reg_fast', '2025-04-05 10:00', 'fast 2'),
    ('reg_fast', '2025-03-06 10:00', 'fast 3');
SELECT subject, substr(ref, 1, 10) AS prefix_month,
       right(ref, 5)::int - min(right(ref, 5)::int) OVER () AS serial_after_first
  FROM complaint.complaint WHERE policy = 'reg_fast' ORDER BY id;
SELECT count(*) AS counter_rows FROM complaint.ref_counter WHERE prefix = 'RF';

--
-- 3. The happy path new -> acknowledged -> assigned -> investigating -> proposed ->
--    accepted -> follow_up -> closed, with its stamps, then a reopening
--
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant)
VALUES ('reg_main', '2025-04-02 10:00', 'email', 'service', 'Rude hotline agent', 'Li Na')
RETURNING ref;
SELECT id AS happy FROM complaint.complaint WHERE ref = 'RM-202504-00003' \gset
CREATE TEMP VIEW happy AS
SELECT ref, status, unit, handler, validity, satisfaction, reopen_count,
       resolved_at IS NOT NULL AS resolved, closed_at IS NOT NULL AS closed,
       updated_at = (SELECT max(e.at) FROM complaint.event e WHERE e.complaint_id = c.id) AS updated_at_is_last_event,
       updated_at > created_at AS touched
  FROM complaint.complaint c WHERE ref = 'RM-202504-00003';
UPDATE complaint.complaint SET status = 'acknowledged' WHERE id = :happy;
SELECT * FROM happy;
UPDATE complaint.complaint SET status = 'assigned', unit = 'Service centre', handler = 'Chen' WHERE id = :happy;
SELECT * FROM happy;
UPDATE complaint.complaint SET status = 'investigating', validity = 'effective' WHERE id = :happy;
SELECT * FROM happy;
UPDATE complaint.complaint SET status = 'proposed' WHERE id = :happy;
SELECT * FROM happy;
UPDATE complaint.complaint SET status = 'accepted' WHERE id = :happy;
SELECT * FROM happy;
UPDATE complaint.complaint SET status = 'follow_up' WHERE id = :happy;
SELECT * FROM happy;
UPDATE complaint.complaint SET status = 'closed', satisfaction = 4 WHERE id = :happy;
SELECT * FROM happy;
SELECT closed_at = resolved_at AS closed_at_eq_resolved_at, closed_at > created_at AS closed_after_created
  FROM complaint.complaint WHERE id = :happy;
-- an update that changes nothing of the workflow leaves no event (but moves updated_at)
UPDATE complaint.complaint SET body = 'notes after closing' WHERE id = :happy;
SELECT * FROM happy;
-- reopen: closed -> investigating counts, clears closed_at and resolved_at
UPDATE complaint.complaint SET status = 'investigating' WHERE id = :happy;
SELECT * FROM happy;
UPDATE complaint.complaint SET status = 'proposed' WHERE id = :happy;
UPDATE complaint.complaint SET status = 'accepted' WHERE id = :happy;
UPDATE complaint.complaint SET status = 'closed' WHERE id = :happy;
SELECT * FROM happy;
UPDATE complaint.complaint SET status = 'investigating' WHERE id = :happy;
SELECT * FROM happy;
-- its history, oldest first
SELECT actor, kind, detail FROM complaint.history(:happy);
-- the same rows in complaint.event; each at is the time of its statement, and the last
-- one is the complaint's updated_at
SELECT kind, detail ->> 'from' AS "from", detail ->> 'to' AS "to", imported
  FROM complaint.event WHERE complaint_id = :happy ORDER BY id;
SELECT count(*) AS events, count(DISTINCT at) AS distinct_times,
       bool_and(at >= c.created_at AND at <= c.updated_at) AS within_life,
       max(at) = c.updated_at AS last_is_updated_at,
       min(at) = c.created_at AS first_is_created_at
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.id = :happy GROUP BY c.created_at, c.updated_at;
-- the created event records the complaint as filed (received_at in UTC, ISO 8601)
SELECT detail FROM complaint.event WHERE complaint_id = :happy AND kind = 'created';

--
-- 4. Reassignment (assigned -> assigned with another handler or unit): an assignment event
--
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler)
VALUES ('reg_main', '2025-04-03 10:00', 'Reassigned twice', 'Tower 1', 'Liu') RETURNING ref;
SELECT id AS re FROM complaint.complaint WHERE ref = 'RM-202504-00004' \gset
UPDATE complaint.complaint SET status = 'assigned' WHERE id = :re;
UPDATE complaint.complaint SET handler = 'Zhou' WHERE id = :re;
UPDATE complaint.complaint SET status = 'assigned', unit = 'Tower 2', handler = 'Sun' WHERE id = :re;
-- setting the same values again is no reassignment: no event
UPDATE complaint.complaint SET status = 'assigned', unit = 'Tower 2', handler = 'Sun' WHERE id = :re;
SELECT status, unit, handler FROM complaint.complaint WHERE id = :re;
SELECT kind, detail FROM complaint.history(:re);
-- a validity ruling is an event of its own
UPDATE complaint.complaint SET validity = 'effective' WHERE id = :re;
UPDATE complaint.complaint SET validity = 'invalid' WHERE id = :re;
SELECT kind, detail FROM complaint.history(:re) OFFSET 4;

--
-- 5. rejected -> investigating (the customer disputes the ruling)
--
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_main', '2025-04-04 10:00', 'Wants a free flat') RETURNING ref;
SELECT id AS rj FROM complaint.complaint WHERE ref = 'RM-202504-00005' \gset
UPDATE complaint.complaint SET status = 'rejected', validity = 'invalid' WHERE id = :rj;
UPDATE complaint.complaint SET status = 'investigating', unit = 'Sales office', handler = 'Wu', validity = 'effective'
 WHERE id = :rj;
SELECT status, validity, reopen_count, resolved_at IS NULL AS unresolved FROM complaint.complaint WHERE id = :rj;
SELECT kind, detail FROM complaint.history(:rj);

--
-- 6. pending_info: from acknowledged (back to assigned), from assigned and from
--    investigating (back to investigating)
--
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('reg_main', '2025-04-05 10:00', 'pending from acknowledged'),
    ('reg_main', '2025-04-05 11:00', 'pending from assigned'),
    ('reg_main', '2025-04-05 12:00', 'pending from investigating')
RETURNING ref;
UPDATE complaint.complaint SET status = 'acknowledged' WHERE ref = 'RM-202504-00006';
UPDATE complaint.complaint SET status = 'pending_info' WHERE ref = 'RM-202504-00006';
UPDATE complaint.complaint SET status = 'assigned', unit = 'U1', handler = 'Ma' WHERE ref = 'RM-202504-00006';
UPDATE complaint.complaint SET status = 'assigned', unit = 'U1', handler = 'Ma' WHERE ref IN ('RM-202504-00007', 'RM-202504-00008');
UPDATE complaint.complaint SET status = 'pending_info' WHERE ref = 'RM-202504-00007';
UPDATE complaint.complaint SET status = 'investigating' WHERE ref IN ('RM-202504-00007', 'RM-202504-00008');
UPDATE complaint.complaint SET status = 'pending_info' WHERE ref = 'RM-202504-00008';
UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'RM-202504-00008';
SELECT c.ref, string_agg(e.detail ->> 'to', ' -> ' ORDER BY e.id) AS path, c.status
  FROM complaint.complaint c JOIN complaint.event e ON e.complaint_id = c.id AND e.kind = 'status'
 WHERE c.ref IN ('RM-202504-00006', 'RM-202504-00007', 'RM-202504-00008')
 GROUP BY c.ref, c.status ORDER BY c.ref;

--
-- 7. escalated -> external_review -> closed; escalated -> proposed; external_review ->
--    proposed / accepted; follow_up -> investigating (clears resolved_at)
--
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler) VALUES
    ('reg_main', '2025-04-06 10:00', 'external review, closed', 'U2', 'Gao'),
    ('reg_main', '2025-04-06 11:00', 'external review, proposed', 'U2', 'Gao'),
    ('reg_main', '2025-04-06 12:00', 'follow-up unsatisfied', 'U2', 'Gao')
RETURNING ref;
UPDATE complaint.complaint SET status = 'assigned' WHERE ref BETWEEN 'RM-202504-00009' AND 'RM-202504-00011';
UPDATE complaint.complaint SET status = 'investigating' WHERE ref BETWEEN 'RM-202504-00009' AND 'RM-202504-00011';
UPDATE complaint.complaint SET status = 'escalated' WHERE ref IN ('RM-202504-00009', 'RM-202504-00010');
UPDATE complaint.complaint SET status = 'external_review' WHERE ref IN ('RM-202504-00009', 'RM-202504-00010');
UPDATE complaint.complaint SET status = 'closed' WHERE ref = 'RM-202504-00009';
UPDATE complaint.complaint SET status = 'proposed' WHERE ref = 'RM-202504-00010';
UPDATE complaint.complaint SET status = 'escalated' WHERE ref = 'RM-202504-00010';
UPDATE complaint.complaint SET status = 'proposed' WHERE ref = 'RM-202504-00010';
UPDATE complaint.complaint SET status = 'escalated' WHERE ref = 'RM-202504-00010';
UPDATE complaint.complaint SET status = 'external_review' WHERE ref = 'RM-202504-00010';
UPDATE complaint.complaint SET status = 'accepted' WHERE ref = 'RM-202504-00010';
UPDATE complaint.complaint SET status = 'proposed' WHERE ref = 'RM-202504-00011';
UPDATE complaint.complaint SET status = 'accepted' WHERE ref = 'RM-202504-00011';
UPDATE complaint.complaint SET status = 'follow_up' WHERE ref = 'RM-202504-00011';
SELECT ref, status, resolved_at IS NOT NULL AS resolved FROM complaint.complaint WHERE ref = 'RM-202504-00011';
UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'RM-202504-00011';
SELECT c.ref, string_agg(e.detail ->> 'to', ' -> ' ORDER BY e.id) AS path, c.status,
       c.resolved_at IS NOT NULL AS resolved, c.closed_at IS NOT NULL AS closed, c.reopen_count
  FROM complaint.complaint c JOIN complaint.event e ON e.complaint_id = c.id AND e.kind = 'status'
 WHERE c.ref BETWEEN 'RM-202504-00009' AND 'RM-202504-00011'
 GROUP BY c.id ORDER BY c.ref;

--
-- 8. DELETE by the superuser: a deleted event with the whole row; the history stays
--
SELECT id AS del FROM complaint.complaint WHERE ref = 'RM-202504-00009' \gset
SELECT count(*) AS events_before FROM complaint.event WHERE complaint_id = :del;
DELETE FROM complaint.complaint WHERE id = :del;
SELECT count(*) AS events_after FROM complaint.event WHERE complaint_id = :del;
SELECT actor, kind, detail ->> 'ref' AS ref, detail ->> 'status' AS status, detail ->> 'subject' AS subject,
       detail ->> 'unit' AS unit, detail -> 'collective_size' AS collective_size, detail -> 'facts' AS facts,
       detail ? 'closed_at' AS has_closed_at, detail ? 'id' AS has_id,
       (SELECT count(*) FROM jsonb_object_keys(detail)) AS keys
  FROM complaint.history(:del) WHERE kind = 'deleted';
SELECT count(*) AS rows_left FROM complaint.complaint WHERE id = :del;
-- a deleted serial is not reused: the next April complaint gets the next number
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_main', '2025-04-07 10:00', 'after a deletion') RETURNING ref;

--
-- 9. Import mode: complaint_admin inserts history in any status with pg_complaint.import = on
--
SET pg_complaint.import = on;
SET ROLE complaint_admin;
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, validity, status, satisfaction)
VALUES ('reg_main', '2024-11-02 10:00', 'imported, closed', 'U1', 'Old', 'effective', 'closed', 5)
RETURNING ref, status, satisfaction, resolved_at IS NOT NULL AS resolved, closed_at IS NOT NULL AS closed;
-- stamps given by the importer are kept
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, validity, status,
        reopen_count, resolved_at, closed_at)
VALUES ('reg_main', '2024-11-03 10:00', 'imported, closed with its stamps', 'U1', 'Old', 'effective', 'closed',
        2, '2024-11-20 10:00', '2024-11-21 10:00')
RETURNING ref, status, reopen_count, resolved_at, closed_at;
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, status)
VALUES ('reg_main', '2024-11-04 10:00', 'imported, investigating', 'U1', 'Old', 'investigating')
RETURNING ref, status;
-- the preconditions of the status are still checked
INSERT INTO complaint.complaint (policy, received_at, subject, status)
VALUES ('reg_main', '2024-11-05 10:00', 'imported, rejected without a ruling', 'rejected');
INSERT INTO complaint.complaint (policy, received_at, subject, status)
VALUES ('reg_main', '2024-11-05 10:00', 'imported, assigned to nobody', 'assigned');
RESET ROLE;
SELECT e.actor, e.kind, e.detail ->> 'status' AS status, e.imported
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.policy = 'reg_main' AND c.received_at < '2025-01-01' ORDER BY e.id;
-- the imported complaint then walks the workflow like any other (events not imported)
UPDATE complaint.complaint SET status = 'proposed' WHERE ref = 'RM-202411-00003';
SELECT e.kind, e.detail, e.imported FROM complaint.event e
 WHERE e.complaint_id = (SELECT id FROM complaint.complaint WHERE ref = 'RM-202411-00003') ORDER BY e.id;
-- a complaint inserted by complaint_admin in import mode is imported history even in status
-- new: its event is marked imported
SET ROLE complaint_admin;
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_main', '2024-11-07 10:00', 'imported, still new') RETURNING ref, status;
RESET ROLE;
SELECT kind, imported FROM complaint.event
 WHERE complaint_id = (SELECT id FROM complaint.complaint WHERE ref = 'RM-202411-00004');
-- without the privileges of complaint_admin the setting does not help: 23Q04
SET ROLE complaint_supervisor;
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, validity, status, satisfaction)
VALUES ('reg_main', '2024-11-06 10:00', 'import by a supervisor', 'U1', 'Old', 'effective', 'closed', 5);
RESET ROLE;
RESET pg_complaint.import;
-- and without the setting complaint_admin cannot either
SET ROLE complaint_admin;
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, validity, status, satisfaction)
VALUES ('reg_main', '2024-11-06 10:00', 'import without the setting', 'U1', 'Old', 'effective', 'closed', 5);
RESET ROLE;
SELECT count(*) AS november_complaints FROM complaint.complaint WHERE ref LIKE 'RM-202411-%';

--
-- 10. received_at correction: complaint_admin with pg_complaint.allow_received_at_change
--
SET ROLE complaint_admin;
UPDATE complaint.complaint SET received_at = '2025-04-07 09:00' WHERE ref = 'RM-202504-00012';
SET pg_complaint.allow_received_at_change = on;
UPDATE complaint.complaint SET received_at = '2025-04-07 09:00' WHERE ref = 'RM-202504-00012';
-- still at most 5 minutes in the future (23514; the message shows the clock)
\set VERBOSITY sqlstate
UPDATE complaint.complaint SET received_at = now() + interval '1 hour' WHERE ref = 'RM-202504-00012';
\set VERBOSITY default
RESET ROLE;
SELECT ref, received_at FROM complaint.complaint WHERE ref = 'RM-202504-00012';
SELECT actor, kind, detail FROM complaint.history((SELECT id FROM complaint.complaint WHERE ref = 'RM-202504-00012'));
-- a correction into another month keeps the reference number (it identifies the complaint for good)
SET ROLE complaint_admin;
UPDATE complaint.complaint SET received_at = '2025-03-30 09:00' WHERE ref = 'RM-202504-00012'
RETURNING ref, received_at;
UPDATE complaint.complaint SET received_at = '2025-04-07 09:00' WHERE ref = 'RM-202504-00012';
RESET ROLE;
-- even the superuser needs the setting
RESET pg_complaint.allow_received_at_change;
UPDATE complaint.complaint SET received_at = '2025-04-07 08:00' WHERE ref = 'RM-202504-00012';
SET pg_complaint.allow_received_at_change = on;
-- the setting is for complaint_admin only
SET ROLE complaint_supervisor;
UPDATE complaint.complaint SET received_at = '2025-04-07 08:00' WHERE ref = 'RM-202504-00012';
RESET ROLE;
RESET pg_complaint.allow_received_at_change;
SELECT ref, received_at FROM complaint.complaint WHERE ref = 'RM-202504-00012';
SELECT actor, kind, detail FROM complaint.history((SELECT id FROM complaint.complaint WHERE ref = 'RM-202504-00012'))
OFFSET 1;

-- switching a policy between gap-free and sequence serials never reissues a serial: to the
-- sequence, the shared sequence moves past the prefix's gap-free serials; back to gap-free,
-- each month's counter starts after the highest serial the month has
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix) VALUES ('reg_switch', '切换', 'Switch', 'cn', 'SWI');
INSERT INTO complaint.complaint (policy, received_at, subject)
SELECT 'reg_switch', '2025-10-10 10:00', 'gap-free ' || g FROM generate_series(1, 3) g;
UPDATE complaint.policy SET ref_gapless = false WHERE code = 'reg_switch';
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_switch', '2025-10-11 10:00', 'from the sequence');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_switch', '2025-11-11 10:00', 'from the sequence, November');
UPDATE complaint.policy SET ref_gapless = true WHERE code = 'reg_switch';
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_switch', '2025-10-12 10:00', 'gap-free again');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_switch', '2025-11-12 10:00', 'gap-free again, November');
-- serials shown relative to the first sequence serial (the sequence is shared by every policy)
WITH r AS (SELECT id, subject, split_part(ref, '-', 2) AS month, split_part(ref, '-', 3)::bigint AS serial
             FROM complaint.complaint WHERE policy = 'reg_switch')
SELECT subject, month,
       CASE WHEN subject LIKE 'gap-free _' THEN serial::text
            ELSE 's + ' || serial - (SELECT serial FROM r WHERE subject = 'from the sequence') END AS serial
  FROM r ORDER BY id;
SELECT (SELECT serial FROM (SELECT split_part(ref, '-', 3)::bigint AS serial FROM complaint.complaint
         WHERE subject = 'from the sequence') x) > 3 AS sequence_past_gap_free,
       count(DISTINCT ref) = count(*) AS refs_distinct
  FROM complaint.complaint WHERE policy = 'reg_switch';
