SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- deadlines_errors: every bad input around deadlines and escalations is refused with a
-- clear message and changes nothing (CONTRACT sections 3 and 4): SLA rules, escalation
-- rules, run_escalations(), record_notification(), the trigger-maintained columns of a
-- complaint, and complaint.deadline itself for the staff roles.
--
\set SHOW_CONTEXT never
\set VERBOSITY default
-- try(sql): 'ok', or SQLSTATE and message with complaint refs and times masked
CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
    msg text;
BEGIN
    EXECUTE sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ': ' || regexp_replace(regexp_replace(msg, '[A-Z]+-[0-9]{6}-[0-9]+', '<ref>', 'g'),
                                        '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.+]+', '<time>', 'g');
END
$$;
SELECT complaint.install_preset('property');
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('de_pol', '期限错误测试', 'Deadline errors', 'cn', 'DE');
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES
    ('de_pol', 'high', 2, '高', 'High'), ('de_pol', 'low', 1, '低', 'Low');
-- one good rule of each table, so that "nothing changed" is visible
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'good', 'respond', 'working_time', '4 hours', '{assigned}');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, message_zh, message_en)
VALUES ('de_pol', 'good', 'respond', 'remind', '催办', 'reminder');
CREATE TEMP VIEW de_rows AS
SELECT (SELECT count(*) FROM complaint.sla_rule WHERE policy = 'de_pol') AS sla_rules,
       (SELECT count(*) FROM complaint.escalation_rule WHERE policy = 'de_pol') AS escalation_rules,
       (SELECT count(*) FROM complaint.deadline_kind) AS kinds;
TABLE de_rows;

--
-- 1. SLA rules
--
-- unknown kind
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'answer', 'working_time', '4 hours', '{assigned}');
-- working time: negative, zero, with a day part, with a month part
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'working_time', '-4 hours', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'working_time', '0', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'working_time', '2 days', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'working_time', '1 month', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'working_time', '10001 hours', '{closed}');
-- measure and amount/days that do not go together
INSERT INTO complaint.sla_rule (policy, name, kind, measure, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'working_time', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, days, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'working_time', '4 hours', 2, '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'calendar_time', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'calendar_time', '-1 day', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'workdays', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, days, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'workdays', -1, '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, days, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'workdays', 2, '1 hour', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'end_of_day', '1 hour', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'after_opening', '1 day', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'fortnight', '1 hour', '{closed}');
-- anchors: unknown anchor, unknown status, unknown level, a value for receipt
INSERT INTO complaint.sla_rule (policy, name, kind, anchor, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'creation', 'calendar_time', '1 day', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, anchor, anchor_value, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'status', 'working', 'calendar_time', '1 day', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, anchor, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'status', 'calendar_time', '1 day', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, anchor, anchor_value, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'level', 'urgent', 'calendar_time', '1 day', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, anchor, anchor_value, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'receipt', 'new', 'calendar_time', '1 day', '{closed}');
-- met_by with an unknown status: the enum refuses it
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', 'calendar_time', '1 day', '{closed,done}');
-- nothing meets it; a status both meets and pauses it; pausing in closed
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount)
VALUES ('de_pol', 'bad', 'resolve', 'calendar_time', '1 day');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by, pause_in)
VALUES ('de_pol', 'bad', 'resolve', 'calendar_time', '1 day', '{closed,pending_info}', '{pending_info}');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by, pause_in)
VALUES ('de_pol', 'bad', 'resolve', 'calendar_time', '1 day', '{accepted}', '{closed}');
-- repeat_every: negative, too short
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by_notification, repeat_every)
VALUES ('de_pol', 'bad', 'notify', 'calendar_time', '7 days', true, '-7 days');
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by_notification, repeat_every)
VALUES ('de_pol', 'bad', 'notify', 'calendar_time', '7 days', true, '30 seconds');
-- conditions: unknown fact, bad operator, similar complaints (not in an SLA rule)
INSERT INTO complaint.sla_rule (policy, name, kind, condition, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', '{"fact": "facts.nonexistent", "value": true}', 'calendar_time', '1 day', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, condition, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', '{"fact": "received_in_working_time", "op": "~~", "value": true}', 'calendar_time', '1 day', '{closed}');
INSERT INTO complaint.sla_rule (policy, name, kind, condition, measure, amount, met_by)
VALUES ('de_pol', 'bad', 'resolve', '{"fact": "similar", "op": ">=", "value": 3, "window": "30 days", "by": ["category"]}', 'calendar_time', '1 day', '{closed}');
-- a bad name
INSERT INTO complaint.sla_rule (policy, name, kind, measure, amount, met_by)
VALUES ('de_pol', 'Bad Name', 'resolve', 'calendar_time', '1 day', '{closed}');
-- an UPDATE is checked as well
UPDATE complaint.sla_rule SET amount = '-1 hour' WHERE policy = 'de_pol' AND name = 'good';
UPDATE complaint.sla_rule SET met_by = '{}' WHERE policy = 'de_pol' AND name = 'good';
-- the good conditions: both SLA facts compile
INSERT INTO complaint.sla_rule (policy, name, kind, condition, measure, amount, met_by)
VALUES ('de_pol', 'fine', 'resolve', '{"all": [{"fact": "received_in_working_time", "value": true}, {"fact": "received_on_workday", "value": true}]}',
        'calendar_time', '1 day', '{closed}');
DELETE FROM complaint.sla_rule WHERE policy = 'de_pol' AND name = 'fine';
TABLE de_rows;
SELECT name, amount, met_by FROM complaint.sla_rule WHERE policy = 'de_pol';
-- bundled kinds are read-only; a kind of one's own is fine
UPDATE complaint.deadline_kind SET name_en = 'x' WHERE code = 'forward';
DELETE FROM complaint.deadline_kind WHERE code = 'forward';
INSERT INTO complaint.deadline_kind (code, name_zh, name_en, builtin) VALUES ('de_kind', '测试', 'test', true);
INSERT INTO complaint.deadline_kind (code, name_zh, name_en) VALUES ('De Kind', '测试', 'test');
TABLE de_rows;

--
-- 2. escalation rules
--
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'scold', '骂', 'scold');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, message_zh, message_en)
VALUES ('de_pol', 'bad', 'answer', 'remind', '催', 'remind');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'penalty', '罚', 'fine');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, amounts, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'penalty', '{}', '罚', 'fine');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, amounts, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'penalty', '{"cashier": 100}', '罚', 'fine');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, amounts, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'penalty', '{"direct": -100}', '罚', 'fine');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, amounts, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'penalty', '{"direct": "100"}', '罚', 'fine');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, amounts, repeat_every, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'penalty', '{"direct": 100}', '1 day', '罚', 'fine');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, amounts, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'remind', '{"direct": 100}', '催', 'remind');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'raise_level', '升', 'raise');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, level, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'raise_level', 'urgent', '升', 'raise');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, level, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'remind', 'high', '催', 'remind');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, level, repeat_every, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'raise_level', 'high', '1 day', '升', 'raise');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, after, action, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', '-1 hour', 'remind', '催', 'remind');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, repeat_every, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'remind', '10 seconds', '催', 'remind');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, message_zh, message_en)
VALUES ('de_pol', 'bad', 'respond', 'remind', ' ', 'remind');
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, message_zh, message_en)
VALUES ('de_pol', 'Bad', 'respond', 'remind', '催', 'remind');
-- a good raise_level rule is accepted
INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, action, level, message_zh, message_en)
VALUES ('de_pol', 'raise', 'respond', 'raise_level', 'high', '升级', 'raised');
DELETE FROM complaint.escalation_rule WHERE policy = 'de_pol' AND name = 'raise';
TABLE de_rows;

--
-- 3. run_escalations and record_notification
--
SELECT complaint.run_escalations(NULL);
SELECT complaint.run_escalations(NULL, true);
SELECT complaint.run_escalations('infinity');
SELECT pg_temp.try($$SELECT complaint.run_escalations(now() + interval '2 hours')$$) AS far_future;
SELECT pg_temp.try($$SELECT complaint.run_escalations(now() + interval '2 hours', force => false)$$) AS far_future_not_forced;
SELECT complaint.run_escalations(now() + interval '30 minutes') >= 0 AS within_limit;
INSERT INTO complaint.complaint (policy, received_at, channel, subject, facts)
VALUES ('property', '2025-09-15 10:00', 'phone', 'DE complaint', '{"caused_by_us": false}');
CREATE TEMP VIEW de_state AS
SELECT c.status, c.level, c.next_due_at, c.breached, c.recheck_at IS NULL AS no_recheck,
       (SELECT count(*) FROM complaint.deadline d WHERE d.complaint_id = c.id) AS deadlines,
       (SELECT count(*) FROM complaint.event e WHERE e.complaint_id = c.id) AS events
  FROM complaint.complaint c WHERE c.subject = 'DE complaint';
TABLE de_state;
SELECT complaint.record_notification(NULL, 'note');
SELECT complaint.record_notification(id, NULL) FROM complaint.complaint WHERE subject = 'DE complaint';
SELECT complaint.record_notification(id, '') FROM complaint.complaint WHERE subject = 'DE complaint';
SELECT complaint.record_notification(id, repeat('x', 2001)) FROM complaint.complaint WHERE subject = 'DE complaint';
SELECT complaint.record_notification(-1, 'note');
-- a complaint without a notification duty: recorded (an event), nothing met
SELECT complaint.record_notification(id, 'told the owner') FROM complaint.complaint WHERE subject = 'DE complaint';
TABLE de_state;

--
-- 4. the columns the rules maintain cannot be set by users
--
SELECT pg_temp.try($$UPDATE complaint.complaint SET next_due_at = '2030-01-01' WHERE subject = 'DE complaint'$$) AS next_due_at;
SELECT pg_temp.try($$UPDATE complaint.complaint SET breached = '{forward}' WHERE subject = 'DE complaint'$$) AS breached;
SELECT pg_temp.try($$UPDATE complaint.complaint SET recheck_at = '2030-01-01' WHERE subject = 'DE complaint'$$) AS recheck_at;
-- also together with an allowed change: the whole UPDATE is refused
SELECT pg_temp.try($$UPDATE complaint.complaint SET status = 'acknowledged', next_due_at = NULL WHERE subject = 'DE complaint'$$) AS with_status;
TABLE de_state;
-- on INSERT the values given are replaced by what the rules compute
INSERT INTO complaint.complaint (policy, received_at, channel, subject, facts, next_due_at, breached, recheck_at)
VALUES ('property', '2025-09-15 10:00', 'phone', 'DE with due', '{"caused_by_us": false}', '2030-01-01', '{forward}', '2030-01-01');
SELECT next_due_at, breached, recheck_at FROM complaint.complaint WHERE subject = 'DE with due';

--
-- 5. complaint.deadline, escalation, penalty and outbox for the staff roles: read-only
--    (the admin may read and delete outbox rows), and TRUNCATE refused even for the owner
--
SET ROLE complaint_admin;
INSERT INTO complaint.deadline (complaint_id, kind, rule, started_at, due_at)
SELECT id, 'resolve', 'x', now(), now() FROM complaint.complaint WHERE subject = 'DE complaint';
UPDATE complaint.deadline SET due_at = due_at + interval '1 day';
DELETE FROM complaint.deadline;
INSERT INTO complaint.escalation (deadline_id, complaint_id, rule, step, at, action) VALUES (1, 1, 'x', 0, now(), 'remind');
UPDATE complaint.penalty SET amount = 0;
SELECT count(*) >= 1 AS admin_reads_deadlines FROM complaint.deadline;
RESET ROLE;
SET ROLE complaint_supervisor;
INSERT INTO complaint.deadline (complaint_id, kind, rule, started_at, due_at)
SELECT id, 'resolve', 'x', now(), now() FROM complaint.complaint WHERE subject = 'DE complaint';
UPDATE complaint.deadline SET met_at = now();
DELETE FROM complaint.deadline;
DELETE FROM complaint.outbox;
SELECT complaint.run_escalations('2025-01-01');
SELECT count(*) >= 1 AS supervisor_reads_deadlines FROM complaint.deadline;
RESET ROLE;
TRUNCATE complaint.escalation;
TRUNCATE complaint.penalty;
TABLE de_state;

-- clean up
DELETE FROM complaint.complaint WHERE subject LIKE 'DE %';
DELETE FROM complaint.policy WHERE code = 'de_pol';
