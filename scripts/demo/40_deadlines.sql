-- make demo, part 4: deadlines and escalations. SLA rules open deadlines when complaints
-- arrive or move; the sweep complaint.run_escalations(as_of) marks breaches, sends reminders,
-- raises levels with age and books fines. The sweep runs here on a simulated clock: as_of
-- values ahead of now(), with force => true (a real installation runs it every few minutes,
-- complaint.schedule()).
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
\pset footer off

-- what the demo shows of a deadline: its complaint, what it is and where it stands
CREATE TEMP VIEW dl AS
SELECT c.ref, c.subject, d.kind, d.rule, d.occurrence AS occ,
       to_char(d.started_at, 'Dy MM-DD HH24:MI') AS started,
       to_char(d.due_at, 'Dy MM-DD HH24:MI') AS due,
       CASE WHEN d.cancelled_at IS NOT NULL THEN 'cancelled (' || d.cancel_reason || ')'
            WHEN d.met_at IS NOT NULL AND d.met_at <= d.due_at THEN 'met on time'
            WHEN d.met_at IS NOT NULL THEN 'met late'
            WHEN d.paused_at IS NOT NULL THEN 'paused since ' || to_char(d.paused_at, 'MM-DD HH24:MI:SS')
            WHEN d.breached_at IS NOT NULL THEN 'breached, open'
            ELSE 'open' END AS state,
       d.complaint_id, d.id
  FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id;

\echo
\echo '=== 4. Deadlines and escalations ================================================'
\echo 'SLA rules are rows: which deadline a complaint gets, from when, how long, what meets it,'
\echo 'what pauses it. The property preset (installed in part 2) forwards by time and channel:'
SELECT name, kind, anchor || coalesce(' ' || anchor_value, '') AS anchor, measure,
       coalesce(amount::text, days || ' workday(s)', '') AS amount, met_by[1] AS "met by (first)", pause_in
  FROM complaint.sla_rule WHERE policy = 'property' ORDER BY kind, seq;
\echo '... and the escalation rules say what the sweep does once one is breached:'
SELECT name, deadline_kind, after, action, repeat_every, message_en
  FROM complaint.escalation_rule WHERE policy = 'property' ORDER BY deadline_kind, after;

\echo
\echo '--- 4.1 Deadlines follow the calendar (cn: Mon-Fri 09:00-12:00, 13:00-18:00, holidays) ---'
\echo 'Three complaints from earlier this year (not our fault, so the age rules leave their level'
\echo 'alone): a phone call on Friday 17:50 (30 working minutes: 10 on Friday, 20 on Monday), an'
\echo 'e-mail at 20:15 (after hours: 1 hour after the next opening), a letter on National Day:'
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit, facts)
VALUES ('property', '2026-03-13 17:50', 'phone',  'property_management', '楼道灯坏 Stair lights out',          'Ma Jun',   'Tower 8', '{"caused_by_us": false}'),
       ('property', '2026-03-11 20:15', 'email',  'customer_service',    '物业费账单 Service charge query',   'Tang Li',  'Tower 8', '{"caused_by_us": false}'),
       ('property', '2026-10-02 11:00', 'letter', 'planning_design',     '绿化改动 Garden redesigned',        'Deng Hua', 'Tower 8', '{"caused_by_us": false}');
SELECT dl.ref, to_char(c.received_at, 'Dy YYYY-MM-DD HH24:MI') AS received, channel, rule, due, state
  FROM dl JOIN complaint.complaint c ON c.id = dl.complaint_id
 WHERE c.complainant IN ('Ma Jun', 'Tang Li', 'Deng Hua') ORDER BY c.id;

\echo 'They are forwarded (assigned) only now: met, but late. A call that came in two minutes ago'
\echo 'and is forwarded at once is met on time; its assignment opens the next deadline (respond:'
\echo 'a written answer within 4 working hours):'
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit)
VALUES ('property', now() - interval '2 minutes', 'phone', 'engineering_quality', '电梯异响 Lift makes noises', 'Fang Yu', 'Tower 8'),
       ('property', now() - interval '1 minute', 'email', 'property_management', '夜间施工噪音 Building work at night', 'Guo Qing', 'Tower 8'),
       ('property', now() - interval '1 minute', 'web', 'engineering_quality', '地下室渗水 Water in the basement', 'He Ping', 'Tower 8');
UPDATE complaint.complaint SET status = 'acknowledged'
 WHERE complainant IN ('Ma Jun', 'Tang Li', 'Deng Hua', 'Fang Yu', 'Guo Qing');
UPDATE complaint.complaint SET status = 'assigned', handler = '钱工 Eng. Qian'
 WHERE complainant IN ('Ma Jun', 'Tang Li', 'Deng Hua', 'Fang Yu', 'Guo Qing');
SELECT dl.ref, dl.subject, kind, due, state FROM dl JOIN complaint.complaint c ON c.id = dl.complaint_id
 WHERE c.unit = 'Tower 8' ORDER BY dl.complaint_id, dl.id;

\echo
\echo '--- 4.2 A simulated clock -------------------------------------------------------'
\echo 'From here on the sweep runs as of later times (run_escalations(as_of, force => true)).'
\echo '"Lift makes noises" waits for information from the customer (pending_info pauses its respond'
\echo 'deadline); "Building work at night" gets no answer; "Water in the basement" is never forwarded.'
UPDATE complaint.complaint SET status = 'pending_info' WHERE complainant = 'Fang Yu';
SELECT d.due_at AS respond_due FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
 WHERE c.complainant = 'Guo Qing' AND d.kind = 'respond' \gset
SELECT c.received_at AS basement_received, c.id AS basement_id FROM complaint.complaint c WHERE c.complainant = 'He Ping' \gset
SELECT id AS outbox_before FROM (SELECT coalesce(max(id), 0) AS id FROM complaint.outbox) o \gset

\echo
\echo '>> clock: 1 hour after the answer to "Building work at night" was due'
SELECT to_char(:'respond_due'::timestamptz + interval '1 hour', 'Dy YYYY-MM-DD HH24:MI') AS "as_of",
       complaint.run_escalations(:'respond_due'::timestamptz + interval '1 hour', force => true) AS "things done (whole database)";
SELECT dl.ref, dl.subject, kind, due, state FROM dl JOIN complaint.complaint c ON c.id = dl.complaint_id
 WHERE c.complainant IN ('Fang Yu', 'Guo Qing', 'He Ping') ORDER BY dl.complaint_id, dl.id;
\echo 'What the sweep did to them (complaint.escalation): after each breach a reminder (催办):'
SELECT c.ref, e.rule, e.step, e.action, to_char(e.at, 'Dy MM-DD HH24:MI') AS at, e.detail->>'message_en' AS message
  FROM complaint.escalation e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.complainant IN ('Fang Yu', 'Guo Qing', 'He Ping') ORDER BY e.id;
\echo '(The three old complaints of 4.1, assigned a moment ago, got their respond reminders too.)'

\echo
\echo '>> clock: one and two days later: the reminder about the missing answer repeats every day'
SELECT to_char(t, 'Dy YYYY-MM-DD HH24:MI') AS "as_of", complaint.run_escalations(t, force => true) AS "things done"
  FROM (VALUES (:'respond_due'::timestamptz + interval '1 day 1 hour'),
               (:'respond_due'::timestamptz + interval '2 days 1 hour')) AS clock(t);
SELECT c.ref, e.rule, e.step, to_char(e.at, 'Dy MM-DD HH24:MI') AS at
  FROM complaint.escalation e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.complainant = 'Guo Qing' ORDER BY e.id;
\echo 'Meanwhile "Lift makes noises" is still paused, untouched by the sweep. The customer answers;'
\echo 'the agent investigates, which meets the respond deadline (its due time moves by the time'
\echo 'spent paused: here only the moments of real time this demo took):'
UPDATE complaint.complaint SET status = 'investigating' WHERE complainant = 'Fang Yu';
SELECT dl.ref, dl.subject, kind, due, state FROM dl JOIN complaint.complaint c ON c.id = dl.complaint_id
 WHERE c.complainant = 'Fang Yu' ORDER BY dl.id;

\echo
\echo '--- 4.3 Levels rise with age ------------------------------------------------------'
\echo '"Water in the basement" stays unresolved. The level rules hot_unresolved_week and'
\echo 'major_unresolved_month depend on time alone; the sweep re-runs them when they may change:'
\echo '>> clock: received + 1 week'
SELECT to_char(t, 'Dy YYYY-MM-DD HH24:MI') AS "as_of", complaint.run_escalations(t, force => true) AS "things done"
  FROM (VALUES (:'basement_received'::timestamptz + interval '7 days 1 minute')) AS clock(t);
SELECT ref, level FROM complaint.complaint WHERE id = :basement_id;
\echo '>> clock: received + 1 month'
SELECT to_char(t, 'Dy YYYY-MM-DD HH24:MI') AS "as_of", complaint.run_escalations(t, force => true) AS "things done"
  FROM (VALUES (:'basement_received'::timestamptz + interval '1 month 1 minute')) AS clock(t);
SELECT ref, level FROM complaint.complaint WHERE id = :basement_id;
\echo 'Its history says why (the events are dated by the sweep''s clock):'
SELECT to_char(at, 'MM-DD HH24:MI') AS at, kind, detail->>'to' AS "to", detail->>'reasons' AS why
  FROM complaint.event WHERE complaint_id = :basement_id AND kind = 'level'
 ORDER BY id;
\echo 'Being hot obliged the company to notify (within 1 working day), being major to report'
\echo 'progress every week and to give the customer an initial result within 24 hours:'
SELECT kind, rule, occ, started, due, state FROM dl WHERE complaint_id = :basement_id ORDER BY id;
\echo 'The notifications are done and recorded (complaint.record_notification meets the open'
\echo 'notify deadlines):'
SELECT complaint.record_notification(:basement_id, '已通报公司及集团 company and group informed') AS "deadlines met";
SELECT kind, rule, occ, due, state FROM dl WHERE complaint_id = :basement_id AND kind = 'notify' ORDER BY id;

\echo
\echo '--- 4.4 The outbox: what other systems hear of -------------------------------------'
\echo 'Every breach, reminder, notification and level announcement is a row of complaint.outbox,'
\echo 'announced with NOTIFY complaint (scripts/outbox_listen.sh is a consumer). Since 4.2, for'
\echo '"Building work at night" and "Water in the basement":'
SELECT o.id, to_char(o.at, 'MM-DD HH24:MI') AS at, o.topic, c.ref,
       coalesce(o.payload->>'message_en', o.payload->>'deadline', o.payload->>'level', '') AS about
  FROM complaint.outbox o JOIN complaint.complaint c ON c.id = o.complaint_id
 WHERE o.id > :outbox_before AND c.complainant IN ('Guo Qing', 'He Ping') ORDER BY o.id;
\echo 'All of the database''s outbox since 4.2, by topic (a consumer deletes what it has passed on):'
SELECT topic, count(*) FROM complaint.outbox WHERE id > :outbox_before GROUP BY topic ORDER BY topic;

\echo
\echo '--- 4.5 Fines: the fuel chain''s penalty ledger ------------------------------------'
\echo 'fuel_retail fines people: on confirmation of an effective complaint (by level, split between'
\echo 'the attendant, the station head and the district manager) and when a station misses its'
\echo '2-working-hour handling deadline. Who heads Station 21 and its district:'
INSERT INTO complaint.unit_staff (policy, unit, station_manager, district, district_manager)
VALUES ('fuel_retail', 'Station 21', '站长 Head Ren', 'District East', '片区经理 Mgr. Bai');
SELECT * FROM complaint.unit_staff WHERE unit = 'Station 21';
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit, handler)
VALUES ('fuel_retail', now() - interval '3 minutes', 'hotline', 'station_service_attitude', '加油员态度恶劣 Rude attendant', 'Driver Kong', 'Station 21', '加油员 Attendant Deng'),
       ('fuel_retail', now() - interval '2 minutes', 'phone', 'station_service_efficiency', '排队一小时 Queued for an hour', 'Driver Shi', 'Station 21', '加油员 Attendant Lu');
UPDATE complaint.complaint SET status = 'acknowledged' WHERE unit = 'Station 21';
UPDATE complaint.complaint SET status = 'assigned' WHERE unit = 'Station 21';
\echo 'The rude attendant''s complaint is confirmed: investigated, effective, closed:'
UPDATE complaint.complaint SET status = 'investigating', validity = 'effective' WHERE complainant = 'Driver Kong';
UPDATE complaint.complaint SET status = 'proposed' WHERE complainant = 'Driver Kong';
UPDATE complaint.complaint SET status = 'accepted' WHERE complainant = 'Driver Kong';
UPDATE complaint.complaint SET status = 'follow_up' WHERE complainant = 'Driver Kong';
UPDATE complaint.complaint SET status = 'closed', satisfaction = 3 WHERE complainant = 'Driver Kong';
\echo 'Closing it booked the confirmation fine of its level (level3: 800 yuan, 50/40/10 %):'
SELECT p.role, p.person, p.amount, p.score, p.note
  FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.complainant = 'Driver Kong' ORDER BY p.id;
SELECT d.due_at AS station_due FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
 WHERE c.complainant = 'Driver Shi' AND d.kind = 'station_handling' \gset
\echo '>> clock: the queue complaint, never handled, 13 hours after its station deadline'
SELECT to_char(:'station_due'::timestamptz + interval '13 hours', 'Dy YYYY-MM-DD HH24:MI') AS "as_of",
       complaint.run_escalations(:'station_due'::timestamptz + interval '13 hours', force => true) AS "things done";
\echo 'Overdue: 200 / 100 yuan at the breach, 300 / 100 more after 12 hours (500 / 200 in all):'
SELECT c.subject, p.source, p.rule, p.role, p.person, p.amount, to_char(p.booked_at, 'Dy MM-DD HH24:MI') AS booked
  FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.complainant = 'Driver Shi' ORDER BY p.id;
\echo 'The ledger of Station 21, per person:'
SELECT p.person, sum(p.amount) AS "fines (yuan)"
  FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.unit = 'Station 21' AND p.amount > 0 GROUP BY p.person ORDER BY 2 DESC;
