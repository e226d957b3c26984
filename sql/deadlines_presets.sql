SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- deadlines_presets: every deadline kind of every preset (CONTRACT sections 4, 7, 8), and a
-- custom policy on a DST calendar.
-- Deadlines counting from receipt show their exact due_at (received_at is fixed, in the
-- past). Deadlines counting from a status or a level start at the statement time of that
-- change (the clock), so they are shown as lengths: working time (business_between) and
-- calendar time between started_at and due_at, plus comparisons with the calendar
-- functions -- never a value that depends on when the test runs.
--
\set SHOW_CONTEXT never
SELECT complaint.install_preset(p) FROM unnest(ARRAY['property', 'fuel_retail', 'food', 'after_sales', 'gift_supply']) p;

-- dl: the deadlines of this file's complaints (subjects start with "DP ")
CREATE TEMP VIEW dl AS
SELECT c.subject, d.kind, d.rule, d.occurrence,
       CASE WHEN r.anchor = 'receipt' THEN d.started_at = c.received_at END AS from_receipt,
       CASE WHEN r.anchor = 'receipt' THEN d.due_at::text ELSE '(from ' || r.anchor || ' ' || r.anchor_value || ')' END AS due,
       complaint.business_between(p.calendar, d.started_at, d.due_at) AS working,
       d.due_at - d.started_at AS span,
       d.met_at IS NOT NULL AS met, d.met_at > d.due_at AS late,
       d.cancel_reason, d.paused_at IS NOT NULL AS paused
  FROM complaint.deadline d
  JOIN complaint.complaint c ON c.id = d.complaint_id
  JOIN complaint.policy p ON p.code = c.policy
  LEFT JOIN complaint.sla_rule r ON r.policy = c.policy AND r.name = d.rule
 WHERE c.subject LIKE 'DP %';
-- nd: next_due_at is the earliest open, unpaused due_at (NULL when none)
CREATE TEMP VIEW nd AS
SELECT c.subject, c.status, c.level,
       c.next_due_at IS NOT DISTINCT FROM
       (SELECT min(d.due_at) FROM complaint.deadline d
         WHERE d.complaint_id = c.id AND d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL) AS next_due_ok,
       c.next_due_at IS NULL AS no_due
  FROM complaint.complaint c WHERE c.subject LIKE 'DP %';

--
-- 1. property forward (5.2.2 and the reading of section 8). caused_by_us = false keeps the
--    age rules (the fixed dates are long past) out of these complaints.
--
-- 2025-09-12 is a Friday, 2025-09-14 a Sunday, 2025-09-15 a Monday; 2025-10-01..08 is the
-- National Day holiday, 2025-09-28 (Sunday) and 2025-10-11 (Saturday) are make-up workdays.
SELECT day, is_workday FROM complaint.calendar_day
 WHERE calendar = 'cn' AND day BETWEEN '2025-09-27' AND '2025-10-12' ORDER BY day;
INSERT INTO complaint.complaint (policy, received_at, channel, subject, facts) VALUES
    ('property', '2025-09-12 17:50', 'phone', 'DP fwd phone friday 17:50', '{"caused_by_us": false}'),
    ('property', '2025-09-15 10:00', 'email', 'DP fwd email monday 10:00', '{"caused_by_us": false}'),
    ('property', '2025-09-15 11:50', 'hotline', 'DP fwd hotline across lunch', '{"caused_by_us": false}'),
    ('property', '2025-09-15 11:30', 'forum', 'DP fwd forum 11:30', '{"caused_by_us": false}'),
    ('property', '2025-09-15 17:30', 'review', 'DP fwd review 17:30', '{"caused_by_us": false}'),
    ('property', '2025-09-15 19:00', 'email', 'DP fwd email monday 19:00', '{"caused_by_us": false}'),
    ('property', '2025-09-16 07:15', 'forum', 'DP fwd forum tuesday 07:15', '{"caused_by_us": false}'),
    ('property', '2025-09-16 12:30', 'phone', 'DP fwd phone at lunch', '{"caused_by_us": false}'),
    ('property', '2025-09-14 15:00', 'phone', 'DP fwd phone sunday', '{"caused_by_us": false}'),
    ('property', '2025-10-03 10:00', 'email', 'DP fwd email national day', '{"caused_by_us": false}'),
    ('property', '2025-10-08 23:59', 'forum', 'DP fwd forum last holiday minute', '{"caused_by_us": false}'),
    ('property', '2025-10-11 10:00', 'phone', 'DP fwd phone make-up saturday', '{"caused_by_us": false}'),
    ('property', '2025-09-28 17:45', 'forum', 'DP fwd forum make-up sunday 17:45', '{"caused_by_us": false}'),
    ('property', '2025-09-30 17:50', 'phone', 'DP fwd phone before national day', '{"caused_by_us": false}');
SELECT subject, rule, due, working, late FROM dl WHERE kind = 'forward' ORDER BY subject;
-- the expected values, from the calendar functions
SELECT c.subject,
       d.due_at = CASE d.rule
           WHEN 'forward_direct' THEN complaint.business_add('cn', c.received_at, '30 minutes')
           WHEN 'forward_online' THEN complaint.business_add('cn', c.received_at, '1 hour')
           WHEN 'forward_after_hours' THEN complaint.next_business_time('cn', c.received_at) + interval '1 hour'
           WHEN 'forward_non_working_day' THEN (date_trunc('day', c.received_at AT TIME ZONE 'Asia/Shanghai') + interval '1 day') AT TIME ZONE 'Asia/Shanghai'
       END AS as_calendar_says
  FROM complaint.complaint c JOIN complaint.deadline d ON d.complaint_id = c.id AND d.kind = 'forward'
 WHERE c.subject LIKE 'DP fwd%' ORDER BY c.subject;
-- the one deadline is the complaint's next_due_at; nothing else is open for a new complaint
SELECT * FROM nd WHERE subject LIKE 'DP fwd%' ORDER BY subject;
SELECT count(*) AS deadlines, count(DISTINCT complaint_id) AS complaints
  FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id WHERE c.subject LIKE 'DP fwd%';
-- met on reaching assigned (late: received long ago); acknowledged does not meet it
UPDATE complaint.complaint SET status = 'acknowledged' WHERE subject = 'DP fwd phone friday 17:50';
SELECT subject, rule, met, late FROM dl WHERE subject = 'DP fwd phone friday 17:50';
UPDATE complaint.complaint SET status = 'assigned', unit = 'Tower 1', handler = 'Li' WHERE subject = 'DP fwd phone friday 17:50';
SELECT subject, kind, rule, met, late, working FROM dl WHERE subject = 'DP fwd phone friday 17:50' ORDER BY kind;
SELECT * FROM nd WHERE subject = 'DP fwd phone friday 17:50';
-- events: created, status, deadline_met (late), status, assignment
SELECT e.kind, e.detail->>'deadline' AS deadline, e.detail->>'late' AS late
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject = 'DP fwd phone friday 17:50' AND e.kind LIKE 'deadline%' ORDER BY e.id;
-- a suggestion closed straight from new: closed is among the statuses that meet forward
UPDATE complaint.complaint SET validity = 'suggestion', status = 'closed' WHERE subject = 'DP fwd phone sunday';
SELECT subject, rule, met, cancel_reason FROM dl WHERE subject = 'DP fwd phone sunday';
SELECT * FROM nd WHERE subject = 'DP fwd phone sunday';

--
-- 2. property respond: 4 h of working time from entering assigned, met by investigating;
--    a reassignment restarts it; pending_info pauses it and the working time left counts
--    again from the resume.
--
INSERT INTO complaint.complaint (policy, received_at, channel, subject, unit, handler, facts) VALUES
    ('property', '2025-09-15 10:00', 'phone', 'DP respond', 'Tower 2', 'Wang', '{"caused_by_us": false}'),
    ('property', '2025-09-15 10:00', 'phone', 'DP respond paused', 'Tower 2', 'Wang', '{"caused_by_us": false}');
UPDATE complaint.complaint SET status = 'assigned' WHERE subject IN ('DP respond', 'DP respond paused');
SELECT subject, kind, rule, occurrence, due, working, met, cancel_reason FROM dl
 WHERE subject LIKE 'DP respond%' ORDER BY subject, kind;
-- started when assigned was entered (the status event), due 4 working hours later
SELECT c.subject,
       d.started_at = (SELECT max(e.at) FROM complaint.event e WHERE e.complaint_id = c.id AND e.kind = 'status') AS started_at_assigned,
       d.due_at = complaint.business_add('cn', d.started_at, '4 hours') AS due_ok
  FROM complaint.complaint c JOIN complaint.deadline d ON d.complaint_id = c.id AND d.kind = 'respond'
 WHERE c.subject LIKE 'DP respond%' ORDER BY 1;
SELECT * FROM nd WHERE subject LIKE 'DP respond%' ORDER BY subject;
-- reassignment (assigned -> assigned, another handler): the first respond deadline is
-- cancelled as restarted, a new one counts from the reassignment
UPDATE complaint.complaint SET status = 'assigned', handler = 'Zhao' WHERE subject = 'DP respond';
SELECT subject, kind, occurrence, working, met, cancel_reason FROM dl WHERE subject = 'DP respond' AND kind = 'respond'
 ORDER BY cancel_reason NULLS LAST;
SELECT count(*) FILTER (WHERE d.cancelled_at IS NULL) AS open_respond,
       bool_and(d.due_at = complaint.business_add('cn', d.started_at, '4 hours')) AS both_4h
  FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
 WHERE c.subject = 'DP respond' AND d.kind = 'respond';
-- investigating meets it
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'DP respond';
SELECT subject, kind, met, late, cancel_reason FROM dl WHERE subject = 'DP respond' AND kind = 'respond' ORDER BY cancel_reason NULLS LAST;
SELECT * FROM nd WHERE subject = 'DP respond';
-- pause: pending_info stops the clock (the deadline leaves next_due_at), resuming to
-- investigating would meet it, so resume to assigned (allowed from pending_info)
CREATE TEMP TABLE before_pause AS
SELECT d.id, d.due_at, d.started_at FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
 WHERE c.subject = 'DP respond paused' AND d.kind = 'respond';
UPDATE complaint.complaint SET status = 'pending_info' WHERE subject = 'DP respond paused';
SELECT subject, kind, paused, met, cancel_reason FROM dl WHERE subject = 'DP respond paused' ORDER BY kind;
SELECT * FROM nd WHERE subject = 'DP respond paused';
SELECT pg_sleep(0.05);
UPDATE complaint.complaint SET status = 'assigned' WHERE subject = 'DP respond paused';
-- the same deadline, still open (pending_info -> assigned resumes it, it does not restart),
-- no longer paused; the working time between start and due is 4 hours plus the working
-- time spent paused
SELECT d.cancelled_at IS NULL AS still_open, d.paused_at IS NULL AS resumed, d.paused_total > interval '0' AS paused_total_counted,
       d.due_at >= b.due_at AS not_earlier,
       complaint.business_between('cn', d.started_at, d.due_at)
         - complaint.business_between('cn', e_p.at, e_r.at) AS working_without_pause
  FROM before_pause b JOIN complaint.deadline d ON d.id = b.id,
       LATERAL (SELECT e.at FROM complaint.event e WHERE e.complaint_id = d.complaint_id AND e.kind = 'deadline_paused') e_p,
       LATERAL (SELECT e.at FROM complaint.event e WHERE e.complaint_id = d.complaint_id AND e.kind = 'deadline_resumed') e_r;
SELECT count(*) AS respond_deadlines, count(*) FILTER (WHERE d.cancelled_at IS NULL) AS open FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
 WHERE c.subject = 'DP respond paused' AND d.kind = 'respond';
SELECT * FROM nd WHERE subject = 'DP respond paused';
SELECT e.kind, e.detail->>'deadline' AS deadline FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject = 'DP respond paused' AND e.kind LIKE 'deadline%' ORDER BY e.id;

--
-- 3. property initial_result (24 h from becoming major), notify: hot -> workdays_add(t, 1),
--    met by complaint.record_notification(); major -> 7 days, repeating
--
INSERT INTO complaint.complaint (policy, received_at, channel, subject, unit, facts) VALUES
    ('property', '2025-09-15 10:00', 'phone', 'DP hot', 'Tower 3', '{"caused_by_us": false, "legal_or_media_risk": true}'),
    ('property', '2025-09-15 10:00', 'phone', 'DP major', 'Tower 3', '{"caused_by_us": false, "lawsuit_filed": true}');
SELECT subject, level FROM complaint.complaint WHERE subject IN ('DP hot', 'DP major') ORDER BY 1;
SELECT subject, kind, rule, occurrence, due, CASE WHEN rule <> 'notify_hot' THEN span END AS span, met FROM dl WHERE subject IN ('DP hot', 'DP major') ORDER BY subject, kind;
SELECT c.subject, d.kind,
       CASE d.rule WHEN 'notify_hot' THEN d.due_at = complaint.workdays_add('cn', d.started_at, 1)
                   ELSE d.due_at = d.started_at + r.amount END AS due_ok,
       d.started_at = c.created_at AS from_becoming_level
  FROM complaint.complaint c JOIN complaint.deadline d ON d.complaint_id = c.id
  JOIN complaint.sla_rule r ON r.policy = c.policy AND r.name = d.rule
 WHERE c.subject IN ('DP hot', 'DP major') AND d.kind IN ('notify', 'initial_result') ORDER BY 1, 2;
SELECT * FROM nd WHERE subject IN ('DP hot', 'DP major') ORDER BY subject;
-- the major complaint was announced at once (outbox, topic level)
SELECT o.topic, o.payload->>'level' AS level FROM complaint.outbox o JOIN complaint.complaint c ON c.id = o.complaint_id
 WHERE c.subject IN ('DP hot', 'DP major') ORDER BY o.id;
-- record_notification meets the hot notify deadline (returns 1), a second call meets nothing
SELECT complaint.record_notification(id, 'group office informed by phone') FROM complaint.complaint WHERE subject = 'DP hot';
SELECT complaint.record_notification(id, 'again') FROM complaint.complaint WHERE subject = 'DP hot';
SELECT subject, kind, rule, occurrence, met FROM dl WHERE subject = 'DP hot' ORDER BY kind, occurrence;
SELECT e.kind, e.detail->>'note' AS note, e.detail->>'deadlines_met' AS met FROM complaint.event e
  JOIN complaint.complaint c ON c.id = e.complaint_id WHERE c.subject = 'DP hot' AND e.kind = 'notification' ORDER BY e.id;
-- major: a progress report meets occurrence 1 and opens occurrence 2, due 7 days after 1
SELECT complaint.record_notification(id, 'weekly progress report 1') FROM complaint.complaint WHERE subject = 'DP major';
SELECT subject, kind, occurrence, span, met FROM dl WHERE subject = 'DP major' AND kind = 'notify' ORDER BY occurrence;
SELECT d2.due_at - d1.due_at AS between_reports, d2.started_at = d1.due_at AS counts_from_previous_due
  FROM complaint.deadline d1 JOIN complaint.deadline d2 ON d2.complaint_id = d1.complaint_id AND d2.kind = 'notify' AND d2.occurrence = 2
 WHERE d1.kind = 'notify' AND d1.occurrence = 1
   AND d1.complaint_id = (SELECT id FROM complaint.complaint WHERE subject = 'DP major');
SELECT * FROM nd WHERE subject = 'DP major';
-- the initial result (proposed) meets initial_result, not notify
UPDATE complaint.complaint SET status = 'assigned', handler = 'Sun' WHERE subject = 'DP major';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'DP major';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject = 'DP major';
SELECT subject, kind, occurrence, met, cancel_reason FROM dl WHERE subject = 'DP major' ORDER BY kind, occurrence;
-- a hot complaint that becomes major: the hot notify deadline is superseded
INSERT INTO complaint.complaint (policy, received_at, channel, subject, unit, facts) VALUES
    ('property', '2025-09-15 10:00', 'phone', 'DP hot then major', 'Tower 3', '{"caused_by_us": false, "legal_or_media_risk": true}');
UPDATE complaint.complaint SET facts = facts || '{"media_exposed": true}' WHERE subject = 'DP hot then major';
SELECT subject, kind, rule, met, cancel_reason FROM dl WHERE subject = 'DP hot then major' AND kind = 'notify' ORDER BY rule;
SELECT * FROM nd WHERE subject = 'DP hot then major';

--
-- 4. fuel_retail: station_handling (2 h wt from assigned), feedback (24 h from receipt),
--    confirm_with_customer (4 h from proposed), improve (workdays_add(t, 3) from accepted)
--
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, unit) VALUES
    ('fuel_retail', '2025-09-15 10:00', 'hotline', 'station_service', 'DP fuel', 'Station 7');
SELECT subject, kind, rule, due, met FROM dl WHERE subject = 'DP fuel' ORDER BY kind;
UPDATE complaint.complaint SET status = 'assigned', handler = 'Zhou' WHERE subject = 'DP fuel';
SELECT subject, kind, due, working, met FROM dl WHERE subject = 'DP fuel' ORDER BY kind;
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'DP fuel';
SELECT subject, kind, met FROM dl WHERE subject = 'DP fuel' ORDER BY kind;
-- investigating -> pending_info -> investigating pauses and resumes station_handling
UPDATE complaint.complaint SET status = 'pending_info' WHERE subject = 'DP fuel';
SELECT subject, kind, paused FROM dl WHERE subject = 'DP fuel' ORDER BY kind;
SELECT * FROM nd WHERE subject = 'DP fuel';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'DP fuel';
SELECT d.cancelled_at IS NULL AS still_open, d.paused_at IS NULL AS resumed,
       complaint.business_between('cn', d.started_at, d.due_at) >= interval '2 hours' AS at_least_2h_working,
       (SELECT count(*) FROM complaint.event e WHERE e.complaint_id = c.id AND e.kind IN ('deadline_paused', 'deadline_resumed')) AS pause_events
  FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
 WHERE c.subject = 'DP fuel' AND d.kind = 'station_handling';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject = 'DP fuel';
SELECT subject, kind, due, CASE WHEN kind <> 'station_handling' THEN span END AS span, met, late FROM dl WHERE subject = 'DP fuel' ORDER BY kind;
UPDATE complaint.complaint SET status = 'accepted' WHERE subject = 'DP fuel';
SELECT subject, kind, due, met, late FROM dl WHERE subject = 'DP fuel' ORDER BY kind;
SELECT d.due_at = complaint.workdays_add('cn', d.started_at, 3) AS improve_is_workdays_add_3
  FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
 WHERE c.subject = 'DP fuel' AND d.kind = 'improve';
SELECT * FROM nd WHERE subject = 'DP fuel';
UPDATE complaint.complaint SET status = 'follow_up' WHERE subject = 'DP fuel';
SELECT subject, kind, met, late FROM dl WHERE subject = 'DP fuel' ORDER BY kind;
SELECT * FROM nd WHERE subject = 'DP fuel';

--
-- 5. food transmit: 1 h from acknowledged, met by assigned
--
INSERT INTO complaint.complaint (policy, received_at, channel, subject, unit, facts) VALUES
    ('food', '2025-09-15 10:00', 'phone', 'DP food', 'QA', '{"defect": "short_pack"}');
SELECT count(*) AS deadlines_before_acknowledged FROM dl WHERE subject = 'DP food';
UPDATE complaint.complaint SET status = 'acknowledged' WHERE subject = 'DP food';
SELECT subject, kind, rule, due, span, met FROM dl WHERE subject = 'DP food';
SELECT * FROM nd WHERE subject = 'DP food';
UPDATE complaint.complaint SET status = 'assigned', handler = 'Ma' WHERE subject = 'DP food';
SELECT subject, kind, met, late FROM dl WHERE subject = 'DP food';
SELECT * FROM nd WHERE subject = 'DP food';

--
-- 6. after_sales: resolve 13 days (domestic, the default) / 17 days (foreign), calendar
--    time from receipt; dispatch 6 h wt urban (default) / 7 h wt suburban
--
INSERT INTO complaint.complaint (policy, received_at, channel, subject, facts) VALUES
    ('after_sales', '2025-09-15 10:00', 'phone', 'DP as default', '{}'),
    ('after_sales', '2025-09-15 10:00', 'phone', 'DP as foreign suburban', '{"region": "foreign", "area": "suburban"}'),
    ('after_sales', '2025-09-26 16:00', 'phone', 'DP as urban across national day', '{"region": "domestic", "area": "urban"}');
SELECT subject, kind, rule, due, working, span FROM dl WHERE subject LIKE 'DP as %' ORDER BY subject, kind;
UPDATE complaint.complaint SET status = 'assigned', unit = 'Service', handler = 'He' WHERE subject = 'DP as default';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'DP as default';
SELECT subject, kind, met, late FROM dl WHERE subject = 'DP as default' ORDER BY kind;
SELECT * FROM nd WHERE subject LIKE 'DP as %' ORDER BY subject;

--
-- 7. gift_supply: contact 1 h wt, investigate 1 h wt from assigned, reply by the end of the
--    local day of receipt, resolve workdays_add(t, 2)
--
INSERT INTO complaint.complaint (policy, received_at, channel, subject, amount) VALUES
    ('gift_supply', '2025-09-15 17:30', 'phone', 'DP gift', 100),
    ('gift_supply', '2025-09-30 10:00', 'phone', 'DP gift before national day', 100);
SELECT subject, kind, rule, due, met FROM dl WHERE subject LIKE 'DP gift%' ORDER BY subject, kind;
SELECT c.subject, bool_and(d.due_at = CASE d.kind WHEN 'resolve' THEN complaint.workdays_add('cn', c.received_at, 2)
                                          WHEN 'contact' THEN complaint.business_add('cn', c.received_at, '1 hour')
                                          ELSE d.due_at END) AS as_calendar_says
  FROM complaint.complaint c JOIN complaint.deadline d ON d.complaint_id = c.id
 WHERE c.subject LIKE 'DP gift%' GROUP BY 1 ORDER BY 1;
UPDATE complaint.complaint SET status = 'acknowledged' WHERE subject = 'DP gift';
UPDATE complaint.complaint SET status = 'assigned', unit = 'Sales', handler = 'Lin' WHERE subject = 'DP gift';
SELECT subject, kind, due, working, met, late FROM dl WHERE subject = 'DP gift' ORDER BY kind;
UPDATE complaint.complaint SET status = 'pending_info' WHERE subject = 'DP gift';
SELECT subject, kind, paused FROM dl WHERE subject = 'DP gift' AND kind = 'investigate';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'DP gift';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject = 'DP gift';
SELECT subject, kind, met, late, paused FROM dl WHERE subject = 'DP gift' ORDER BY kind;
UPDATE complaint.complaint SET status = 'accepted' WHERE subject = 'DP gift';
SELECT subject, kind, met, late FROM dl WHERE subject = 'DP gift' ORDER BY kind;
SELECT * FROM nd WHERE subject LIKE 'DP gift%' ORDER BY subject;

--
-- 8. a custom policy on a DST calendar (America/New_York, Mon-Fri 09:00-17:00): working
--    time across the change to summer time (2025-03-09) and back (2025-11-02)
--
INSERT INTO complaint.calendar (name, tz) VALUES ('dp_ny', 'America/New_York');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'dp_ny', d, '09:00', '17:00' FROM generate_series(1, 5) d;
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('dp_dst', '夏令时测试', 'DST deadlines', 'dp_ny', 'DPD');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by) VALUES
    ('dp_dst', 'answer', 'respond', 'working_time', '10 hours', '{assigned}'),
    ('dp_dst', 'settle', 'resolve', 'calendar_time', '2 days', '{closed}');
SET timezone = 'America/New_York';
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('dp_dst', '2025-03-07 15:00', 'DP dst spring'),
    ('dp_dst', '2025-10-31 15:00', 'DP dst autumn');
-- Friday 15:00 + 10 working hours: 2 h on Friday, 8 h on Monday -> Monday 17:00 local, in
-- spring 70 real hours later (one hour lost), in autumn 72 (one hour gained); the 2 calendar
-- days end at 15:00 local on Sunday
SELECT subject, kind, due, working, span FROM dl WHERE subject LIKE 'DP dst%' ORDER BY subject, kind;
SELECT * FROM nd WHERE subject LIKE 'DP dst%' ORDER BY subject;
SET timezone = 'Asia/Shanghai';

-- clean up this file's rows (deadlines go with their complaints)
DELETE FROM complaint.complaint WHERE subject LIKE 'DP %';
SELECT count(*) AS deadlines_left FROM complaint.deadline d
 WHERE NOT EXISTS (SELECT 1 FROM complaint.complaint c WHERE c.id = d.complaint_id);
DELETE FROM complaint.sla_rule WHERE policy = 'dp_dst';
DELETE FROM complaint.ref_counter WHERE prefix = 'DPD';
DELETE FROM complaint.policy WHERE code = 'dp_dst';
DELETE FROM complaint.calendar_hours WHERE calendar = 'dp_ny';
DELETE FROM complaint.calendar WHERE name = 'dp_ny';
