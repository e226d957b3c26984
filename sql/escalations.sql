SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- escalations: complaint.run_escalations(as_of, force) -- breaches, escalation steps and
-- their repeats, idempotent reruns, age-based levels, gift_supply's breached resolve ->
-- major, the fuel_retail penalty ledger (confirmation fines, doubling, sanctions, overdue
-- fines), the outbox and the events (CONTRACT section 4, POLICIES.md).
-- Simulated time: fixed received_at in the past and explicit as_of values. The sweep is
-- global, so its return value is shown only where it does not depend on other files'
-- rows (a rerun returns 0); what it did to this file's complaints is counted in the tables.
--
\set SHOW_CONTEXT never
SELECT complaint.install_preset(p) FROM unnest(ARRAY['property', 'fuel_retail', 'after_sales', 'gift_supply']) p;

-- per complaint of this file (subjects start with "ES "): deadlines, escalations, events, outbox
CREATE TEMP VIEW es_counts AS
SELECT c.subject,
       (SELECT count(*) FROM complaint.deadline d WHERE d.complaint_id = c.id) AS deadlines,
       (SELECT count(*) FROM complaint.deadline d WHERE d.complaint_id = c.id AND d.breached_at IS NOT NULL) AS breached,
       (SELECT count(*) FROM complaint.escalation x WHERE x.complaint_id = c.id) AS escalations,
       (SELECT count(*) FROM complaint.event e WHERE e.complaint_id = c.id) AS events,
       (SELECT count(*) FROM complaint.outbox o WHERE o.complaint_id = c.id) AS outbox,
       (SELECT count(*) FROM complaint.penalty p WHERE p.complaint_id = c.id) AS penalties
  FROM complaint.complaint c WHERE c.subject LIKE 'ES %';
CREATE TEMP VIEW es_dl AS
SELECT c.subject, d.kind, d.occurrence, d.due_at, d.breached_at, d.met_at IS NOT NULL AS met, d.cancel_reason
  FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id WHERE c.subject LIKE 'ES %';
CREATE TEMP VIEW es_esc AS
SELECT c.subject, x.rule, x.step, x.at, x.action, x.detail->>'deadline' AS deadline
  FROM complaint.escalation x JOIN complaint.complaint c ON c.id = x.complaint_id WHERE c.subject LIKE 'ES %';

--
-- 1. after_sales: dispatch (6 h wt) breached -> one reminder; resolve (13 days) breached ->
--    a reminder every day while open (催办单)
--
INSERT INTO complaint.complaint (policy, received_at, channel, subject) VALUES
    ('after_sales', '2025-09-15 10:00', 'phone', 'ES after_sales');
SELECT subject, kind, due_at, breached_at FROM es_dl WHERE subject = 'ES after_sales' ORDER BY kind;
-- nothing due yet
SELECT complaint.run_escalations('2025-09-15 16:59', force => true) >= 0 AS ran;
SELECT * FROM es_counts WHERE subject = 'ES after_sales';
-- 30 minutes after the dispatch deadline
SELECT complaint.run_escalations('2025-09-15 17:30', force => true) >= 2 AS ran;
SELECT subject, kind, due_at, breached_at FROM es_dl WHERE subject = 'ES after_sales' ORDER BY kind;
SELECT subject, breached, next_due_at FROM complaint.complaint WHERE subject = 'ES after_sales';
SELECT subject, rule, step, at, action, deadline FROM es_esc WHERE subject = 'ES after_sales' ORDER BY rule, step;
SELECT * FROM es_counts WHERE subject = 'ES after_sales';
-- idempotent: the same as_of again does nothing
SELECT complaint.run_escalations('2025-09-15 17:30', force => true) AS rerun;
SELECT * FROM es_counts WHERE subject = 'ES after_sales';
-- the resolve deadline (13 days: 2025-09-28 10:00): breach and step 0 of the daily reminder
SELECT complaint.run_escalations('2025-09-28 10:00', force => true) >= 2 AS ran;
SELECT complaint.run_escalations('2025-09-28 10:00', force => true) AS rerun;
-- one day later step 1, two days and an hour later step 2; each once
SELECT complaint.run_escalations('2025-09-29 10:00', force => true) >= 1 AS ran;
SELECT complaint.run_escalations('2025-09-30 11:00', force => true) >= 1 AS ran;
SELECT complaint.run_escalations('2025-09-30 11:00', force => true) AS rerun;
SELECT subject, rule, step, at, action, deadline FROM es_esc WHERE subject = 'ES after_sales' ORDER BY rule, step;
SELECT subject, kind, due_at, breached_at, met FROM es_dl WHERE subject = 'ES after_sales' ORDER BY kind;
SELECT subject, breached FROM complaint.complaint WHERE subject = 'ES after_sales';
-- events and outbox rows of the sweep, in order
SELECT e.at, e.kind, e.detail->>'deadline' AS deadline, e.detail->>'rule' AS rule, e.detail->>'step' AS step
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject = 'ES after_sales' AND e.kind IN ('deadline_breached', 'escalation') ORDER BY e.id;
SELECT o.at, o.topic, o.payload->>'deadline' AS deadline, o.payload->>'rule' AS rule, o.payload->>'message_en' AS message
  FROM complaint.outbox o JOIN complaint.complaint c ON c.id = o.complaint_id
 WHERE c.subject = 'ES after_sales' ORDER BY o.id;
-- resolving it stops the reminders: a later sweep adds nothing for it
UPDATE complaint.complaint SET status = 'assigned', unit = 'Service', handler = 'He' WHERE subject = 'ES after_sales';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'ES after_sales';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject = 'ES after_sales';
UPDATE complaint.complaint SET status = 'accepted' WHERE subject = 'ES after_sales';
CREATE TEMP TABLE es_before AS SELECT * FROM es_counts;
SELECT complaint.run_escalations('2025-10-05 10:00', force => true) >= 0 AS ran;
SELECT (SELECT count(*) FROM (SELECT * FROM es_counts EXCEPT SELECT * FROM es_before) x) AS changed_complaints;
SELECT subject, kind, met, cancel_reason FROM es_dl WHERE subject = 'ES after_sales' ORDER BY kind;

--
-- 2. gift_supply: contact (1 h wt) -> reminder, reply (end of the day) -> breach only,
--    resolve (2 working days) -> notify, and the level rule major_resolve_breached
--
INSERT INTO complaint.complaint (policy, received_at, channel, subject, amount) VALUES
    ('gift_supply', '2025-09-15 10:00', 'phone', 'ES gift', 100);
SELECT subject, level, breached FROM complaint.complaint WHERE subject = 'ES gift';
SELECT complaint.run_escalations('2025-09-16 09:00', force => true) >= 3 AS ran;
SELECT subject, kind, due_at, breached_at FROM es_dl WHERE subject = 'ES gift' ORDER BY kind;
SELECT subject, level, breached FROM complaint.complaint WHERE subject = 'ES gift';
SELECT complaint.run_escalations('2025-09-17 18:00', force => true) >= 2 AS ran;
SELECT subject, level, breached, level_reasons FROM complaint.complaint WHERE subject = 'ES gift';
SELECT subject, rule, step, at, action, deadline FROM es_esc WHERE subject = 'ES gift' ORDER BY at, rule;
SELECT e.at, e.kind, coalesce(e.detail->>'deadline', e.detail->>'to') AS what
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject = 'ES gift' AND e.kind <> 'created' ORDER BY e.id;
SELECT o.at, o.topic, coalesce(o.payload->>'deadline', o.payload->>'level') AS what
  FROM complaint.outbox o JOIN complaint.complaint c ON c.id = o.complaint_id
 WHERE c.subject = 'ES gift' ORDER BY o.id;
SELECT * FROM es_counts WHERE subject = 'ES gift';
SELECT complaint.run_escalations('2025-09-17 18:00', force => true) AS rerun;
SELECT * FROM es_counts WHERE subject = 'ES gift';

--
-- 3. property age rules, applied by the sweep: unresolved 7 days -> hot, 1 month -> major.
--    Received one day before the clock, so only levels are shown.
--
INSERT INTO complaint.complaint (policy, received_at, channel, subject, unit)
VALUES ('property', now() - interval '1 day', 'phone', 'ES property age', 'Tower 9');
SELECT subject, level, recheck_at IS NOT NULL AS recheck_set FROM complaint.complaint WHERE subject = 'ES property age';
SELECT complaint.run_escalations(now() + interval '5 days', force => true) >= 0 AS ran;
SELECT subject, level FROM complaint.complaint WHERE subject = 'ES property age';
SELECT complaint.run_escalations(now() + interval '7 days', force => true) >= 1 AS ran;
SELECT subject, level, recheck_at > now() + interval '7 days' AS recheck_later FROM complaint.complaint WHERE subject = 'ES property age';
SELECT complaint.run_escalations(now() + interval '7 days', force => true) AS rerun;
SELECT complaint.run_escalations(now() + interval '32 days', force => true) >= 1 AS ran;
SELECT subject, level FROM complaint.complaint WHERE subject = 'ES property age';
SELECT e.kind, e.detail->>'from' AS from_level, e.detail->>'to' AS to_level
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject = 'ES property age' AND e.kind = 'level' ORDER BY e.id;
-- major: announced (outbox level), the hot notify deadline superseded, initial_result and
-- the weekly notify opened
SELECT o.topic, o.payload->>'level' AS level FROM complaint.outbox o JOIN complaint.complaint c ON c.id = o.complaint_id
 WHERE c.subject = 'ES property age' AND o.topic = 'level' ORDER BY o.id;
SELECT kind, occurrence, met, cancel_reason, breached_at IS NOT NULL AS breached FROM es_dl
 WHERE subject = 'ES property age' AND kind IN ('notify', 'initial_result') ORDER BY kind, cancel_reason NULLS FIRST, occurrence;
-- caused_by_us = false: the age rules do not apply
INSERT INTO complaint.complaint (policy, received_at, channel, subject, unit, facts)
VALUES ('property', now() - interval '1 day', 'phone', 'ES property not ours', 'Tower 9', '{"caused_by_us": false}');
SELECT complaint.run_escalations(now() + interval '40 days', force => true) >= 0 AS ran;
SELECT subject, level FROM complaint.complaint WHERE subject = 'ES property not ours';

--
-- 4. fuel_retail penalty ledger. Fine split 50 / 40 / 10 (direct / station manager /
--    district manager); level2 1000, level3 800, levels 2 and 3 district score -5; level1
--    dismissal and -20. From the 2nd confirmed complaint at a station within a year the
--    manager's share doubles, at the 3rd the manager is demoted; a direct person's 2nd ->
--    warning_and_transfer, 3rd -> contract_terminated.
--
-- the ledger outlives deleted complaints: start from an empty ledger for this file's
-- stations (the owner may delete; TRUNCATE is refused)
DELETE FROM complaint.penalty WHERE unit LIKE 'ES %';
INSERT INTO complaint.unit_staff (policy, unit, station_manager, district, district_manager) VALUES
    ('fuel_retail', 'ES Station A', 'Manager A', 'District 1', 'District manager 1'),
    ('fuel_retail', 'ES Station B', 'Manager B', 'District 1', 'District manager 1');
-- close(subject): through the whole workflow to closed, as effective
CREATE FUNCTION pg_temp.close(s text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE complaint.complaint SET validity = 'effective', status = 'assigned' WHERE subject = s;
    UPDATE complaint.complaint SET status = 'investigating' WHERE subject = s;
    UPDATE complaint.complaint SET status = 'proposed' WHERE subject = s;
    UPDATE complaint.complaint SET status = 'accepted' WHERE subject = s;
    UPDATE complaint.complaint SET status = 'closed' WHERE subject = s;
END
$$;
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, unit, handler, facts) VALUES
    ('fuel_retail', '2025-09-15 10:00', 'hotline', 'station_service', 'ES fuel 1 A level3 P1', 'ES Station A', 'Person 1', '{}'),
    ('fuel_retail', '2025-09-15 11:00', 'hotline', 'station_service', 'ES fuel 2 A level2 P2', 'ES Station A', 'Person 2', '{"strong_attitude": true}'),
    ('fuel_retail', '2025-09-15 12:00', 'hotline', 'station_service', 'ES fuel 3 A level3 P1', 'ES Station A', 'Person 1', '{}'),
    ('fuel_retail', '2025-09-15 13:00', 'hotline', 'station_service', 'ES fuel 4 B level3 P1', 'ES Station B', 'Person 1', '{}'),
    ('fuel_retail', '2025-09-15 14:00', 'hotline', 'station_service', 'ES fuel 5 B level1 P3', 'ES Station B', 'Person 3', '{"safety_incident": true}'),
    ('fuel_retail', '2025-09-15 15:00', 'hotline', 'station_service', 'ES fuel 6 B invalid', 'ES Station B', 'Person 3', '{}');
SELECT subject, level FROM complaint.complaint WHERE subject LIKE 'ES fuel%' ORDER BY subject;
SELECT pg_temp.close('ES fuel 1 A level3 P1');
SELECT pg_temp.close('ES fuel 2 A level2 P2');
SELECT pg_temp.close('ES fuel 3 A level3 P1');
SELECT pg_temp.close('ES fuel 4 B level3 P1');
SELECT pg_temp.close('ES fuel 5 B level1 P3');
-- an invalid complaint is rejected, not confirmed: no fine
UPDATE complaint.complaint SET validity = 'invalid', status = 'rejected' WHERE subject = 'ES fuel 6 B invalid';
SELECT c.subject, p.source, p.rule, p.role, p.person, p.amount, p.score, p.sanction, p.note
  FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.subject LIKE 'ES fuel%' ORDER BY c.subject, p.role;
-- totals per person
SELECT p.person, sum(p.amount) AS fines, sum(p.score) AS score, string_agg(p.sanction, ', ' ORDER BY p.id) AS sanctions
  FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.subject LIKE 'ES fuel%' GROUP BY p.person ORDER BY p.person;
-- one outbox penalty message per confirmation
SELECT c.subject, o.topic, o.payload->>'fine' AS fine, o.payload->>'station_count' AS station_count, o.payload->>'person_count' AS person_count
  FROM complaint.outbox o JOIN complaint.complaint c ON c.id = o.complaint_id
 WHERE c.subject LIKE 'ES fuel%' AND o.topic = 'penalty' ORDER BY c.subject;
-- reopening and closing again does not book a second time
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'ES fuel 1 A level3 P1';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject = 'ES fuel 1 A level3 P1';
UPDATE complaint.complaint SET status = 'accepted' WHERE subject = 'ES fuel 1 A level3 P1';
UPDATE complaint.complaint SET status = 'closed' WHERE subject = 'ES fuel 1 A level3 P1';
SELECT count(*) AS penalty_rows FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.subject = 'ES fuel 1 A level3 P1';

-- overdue: station_handling (2 h wt from assigned) breached -> station manager 200, direct
-- 100; 12 hours past due -> 300 and 100 more (500 and 200 in all)
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, unit, handler)
VALUES ('fuel_retail', '2025-09-16 10:00', 'hotline', 'station_service', 'ES fuel overdue', 'ES Station A', 'Person 4');
UPDATE complaint.complaint SET validity = 'effective', status = 'assigned' WHERE subject = 'ES fuel overdue';
CREATE TEMP TABLE es_due AS
SELECT d.due_at FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
 WHERE c.subject = 'ES fuel overdue' AND d.kind = 'station_handling';
SELECT complaint.run_escalations((SELECT due_at FROM es_due) - interval '1 minute', force => true) >= 0 AS ran;
SELECT count(*) AS overdue_rows FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.subject = 'ES fuel overdue';
SELECT complaint.run_escalations((SELECT due_at FROM es_due) + interval '1 minute', force => true) >= 2 AS ran;
SELECT complaint.run_escalations((SELECT due_at FROM es_due) + interval '1 minute', force => true) AS rerun;
SELECT p.rule, p.role, p.person, p.amount FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.subject = 'ES fuel overdue' ORDER BY p.id;
SELECT complaint.run_escalations((SELECT due_at FROM es_due) + interval '11 hours 59 minutes', force => true) >= 0 AS ran;
SELECT count(*) AS overdue_rows FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.subject = 'ES fuel overdue';
SELECT complaint.run_escalations((SELECT due_at FROM es_due) + interval '12 hours', force => true) >= 1 AS ran;
SELECT complaint.run_escalations((SELECT due_at FROM es_due) + interval '12 hours', force => true) AS rerun;
SELECT p.role, p.person, sum(p.amount) AS total, count(*) AS rows
  FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.subject = 'ES fuel overdue' AND p.source = 'overdue' GROUP BY p.role, p.person ORDER BY p.role;
SELECT x.rule, x.step, x.at - (SELECT due_at FROM es_due) AS after_due, x.action
  FROM complaint.escalation x JOIN complaint.complaint c ON c.id = x.complaint_id
 WHERE c.subject = 'ES fuel overdue' AND x.deadline_id = (SELECT d.id FROM complaint.deadline d WHERE d.complaint_id = c.id AND d.kind = 'station_handling')
 ORDER BY x.id;
SELECT o.topic, o.payload->>'rule' AS rule, o.payload->'amounts' AS amounts
  FROM complaint.outbox o JOIN complaint.complaint c ON c.id = o.complaint_id
 WHERE c.subject = 'ES fuel overdue' AND o.topic IN ('penalty', 'deadline_breached') ORDER BY o.id;
-- handled in time after all (proposed) stops nothing already booked and books nothing new
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'ES fuel overdue';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject = 'ES fuel overdue';
SELECT complaint.run_escalations((SELECT due_at FROM es_due) + interval '2 days', force => true) >= 0 AS ran;
SELECT count(*) AS overdue_rows FROM complaint.penalty p JOIN complaint.complaint c ON c.id = p.complaint_id
 WHERE c.subject = 'ES fuel overdue' AND p.source = 'overdue';

-- a last global rerun at an as_of already used does nothing
CREATE TEMP TABLE es_all AS SELECT * FROM es_counts;
SELECT complaint.run_escalations((SELECT due_at FROM es_due) + interval '2 days', force => true) AS rerun;
SELECT (SELECT count(*) FROM (SELECT * FROM es_counts EXCEPT SELECT * FROM es_all) x) AS changed_complaints;

-- clean up
DELETE FROM complaint.complaint WHERE subject LIKE 'ES %';
DELETE FROM complaint.unit_staff WHERE unit LIKE 'ES %';
DELETE FROM complaint.penalty WHERE unit LIKE 'ES %';
