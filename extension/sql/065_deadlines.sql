-- Deadlines, escalations, the outbox and the penalty ledger (CONTRACT section 4).
--
-- complaint.deadline rows are written only by the complaint trigger (extension/src/deadline.c):
-- opened when an SLA rule's anchor is reached, met when the complaint enters a meeting status
-- (or a notification is recorded), paused and resumed, breached by the sweep. Every change of
-- a complaint's deadlines goes through an UPDATE of the complaint, so next_due_at (the
-- earliest open, unpaused deadline) is always right. The sweep (complaint.run_escalations)
-- finds its work through deadline.next_check_at and complaint.recheck_at, both indexed: its
-- cost grows with the due items, not with the table.

CREATE TABLE complaint.deadline (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id  bigint NOT NULL,
    kind          text NOT NULL,
    rule          text NOT NULL,
    occurrence    integer NOT NULL DEFAULT 1,
    started_at    timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    met_at        timestamptz,
    breached_at   timestamptz,
    cancelled_at  timestamptz,
    cancel_reason text,
    paused_at     timestamptz,
    paused_total  interval NOT NULL DEFAULT '0',
    next_check_at timestamptz
);
COMMENT ON TABLE complaint.deadline IS 'deadlines of complaints, opened, met, paused and breached by the rules (SLA rules of the policy); read-only for users';
COMMENT ON COLUMN complaint.deadline.complaint_id IS 'complaint.complaint.id (no foreign key: the trigger writes both, and deleting a complaint deletes its deadlines)';
COMMENT ON COLUMN complaint.deadline.kind IS 'deadline kind (complaint.deadline_kind)';
COMMENT ON COLUMN complaint.deadline.rule IS 'the SLA rule (complaint.sla_rule.name) that opened it';
COMMENT ON COLUMN complaint.deadline.occurrence IS '1, or the number of a repeated deadline (e.g. the n-th weekly progress report)';
COMMENT ON COLUMN complaint.deadline.started_at IS 'when the clock started (receipt, or entering the anchor status or level)';
COMMENT ON COLUMN complaint.deadline.due_at IS 'when it is due (moved later by the time spent paused)';
COMMENT ON COLUMN complaint.deadline.met_at IS 'when it was met (late when after due_at)';
COMMENT ON COLUMN complaint.deadline.breached_at IS 'when it was breached (its due time), set by complaint.run_escalations';
COMMENT ON COLUMN complaint.deadline.cancelled_at IS 'when it stopped counting without being met (complaint closed or rejected, restarted, superseded, next occurrence)';
COMMENT ON COLUMN complaint.deadline.paused_at IS 'set while the complaint is in a pausing status';
COMMENT ON COLUMN complaint.deadline.paused_total IS 'time spent paused, added back to due_at on resuming';
COMMENT ON COLUMN complaint.deadline.next_check_at IS 'when complaint.run_escalations next has work with it (breach, escalation step); NULL: none';

-- Plain indexes only: the trigger inserts deadline rows straight into the heap and indexes.
-- A change of a complaint reads its open deadlines (cancelled_at and met_at NULL) through
-- deadline_complaint, without visiting the many it had before (restarts, repetitions).
CREATE INDEX deadline_complaint ON complaint.deadline (complaint_id, cancelled_at, met_at);
CREATE INDEX deadline_next_check ON complaint.deadline (next_check_at);

-- Kinds of the complaint's breached deadlines: a fact the level rules read (breached.<kind>).
ALTER TABLE complaint.complaint ADD COLUMN breached text[] NOT NULL DEFAULT '{}';
COMMENT ON COLUMN complaint.complaint.breached IS 'kinds of deadline this complaint has breached (set by complaint.run_escalations; rules read them as breached.<kind>)';

-- Time-based classification: when the level rules may next change their mind by time alone.
ALTER TABLE complaint.complaint ADD COLUMN recheck_at timestamptz;
COMMENT ON COLUMN complaint.complaint.recheck_at IS 'when a time-based level rule (age, working age) may next raise the level; complaint.run_escalations re-runs the rules then';
CREATE INDEX complaint_recheck ON complaint.complaint (recheck_at) WHERE recheck_at IS NOT NULL;
CREATE INDEX complaint_next_due ON complaint.complaint (next_due_at) WHERE next_due_at IS NOT NULL;

-- Escalation steps applied by the sweep; the unique key makes each step happen once.
CREATE TABLE complaint.escalation (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deadline_id  bigint NOT NULL,
    complaint_id bigint NOT NULL,
    rule         text NOT NULL,
    step         integer NOT NULL,
    at           timestamptz NOT NULL,
    action       text NOT NULL,
    detail       jsonb NOT NULL DEFAULT '{}',
    UNIQUE (deadline_id, rule, step)
);
COMMENT ON TABLE complaint.escalation IS 'escalation steps applied by complaint.run_escalations: one row per rule, deadline and repetition';
COMMENT ON COLUMN complaint.escalation.step IS '0 for the first application, n for the n-th repetition';
COMMENT ON COLUMN complaint.escalation.at IS 'the as_of of the sweep that applied it';
CREATE INDEX escalation_complaint ON complaint.escalation (complaint_id);

-- Outbox: what other systems should hear of (level raises, breaches, escalations). Each row
-- is also announced with pg_notify('complaint', '{"id": ..., "topic": ..., "complaint_id": ...}').
CREATE TABLE complaint.outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    topic        text NOT NULL,
    complaint_id bigint,
    payload      jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE complaint.outbox IS 'messages for other systems (topic, complaint, payload), announced by NOTIFY complaint; consumers read by id and delete what they processed';
COMMENT ON COLUMN complaint.outbox.topic IS 'level, deadline_breached, remind, notify, penalty';
CREATE INDEX outbox_complaint ON complaint.outbox (complaint_id);

-- Penalty ledger (fuel_retail): exact amounts, one row per person and role.
CREATE TABLE complaint.penalty (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id bigint NOT NULL,
    policy       text NOT NULL,
    unit         text,
    booked_at    timestamptz NOT NULL,
    source       text NOT NULL,
    rule         text NOT NULL,
    role         text NOT NULL,
    person       text,
    amount       numeric(12,2) NOT NULL DEFAULT 0,
    score        integer NOT NULL DEFAULT 0,
    sanction     text,
    note         text,
    UNIQUE (complaint_id, source, rule, role),
    CONSTRAINT penalty_source CHECK (source IN ('confirmation', 'overdue')),
    CONSTRAINT penalty_role CHECK (role IN ('direct', 'station_manager', 'district_manager', 'district'))
);
COMMENT ON TABLE complaint.penalty IS 'penalty ledger: fines, score changes and sanctions per complaint, role and person';
COMMENT ON COLUMN complaint.penalty.source IS 'confirmation (an effective complaint closed with a responsible handler) or overdue (a breached deadline)';
COMMENT ON COLUMN complaint.penalty.role IS 'direct (the handler), station_manager, district_manager, district (score only)';
COMMENT ON COLUMN complaint.penalty.person IS 'who pays; NULL when complaint.unit_staff does not name the manager';
COMMENT ON COLUMN complaint.penalty.amount IS 'fine in yuan (exact)';
COMMENT ON COLUMN complaint.penalty.score IS 'change of the district''s score (negative)';
COMMENT ON COLUMN complaint.penalty.sanction IS 'dismissal, warning_and_transfer, contract_terminated, demotion';
CREATE INDEX penalty_complaint ON complaint.penalty (complaint_id);
CREATE INDEX penalty_person ON complaint.penalty (person, booked_at);

-- complaint._refuse_change(): deadlines, escalations and the ledger are written by the rules.
CREATE FUNCTION complaint._rules_only()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION '% on %.% is not allowed: its rows are written by pg_complaint''s rules', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = '42501',
              HINT = 'Deadlines follow the complaint: change its status, or record a notification with complaint.record_notification().';
END
$$;
CREATE TRIGGER escalation_no_truncate BEFORE TRUNCATE ON complaint.escalation
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._rules_only();
CREATE TRIGGER penalty_no_truncate BEFORE TRUNCATE ON complaint.penalty
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._rules_only();

SELECT pg_catalog.pg_extension_config_dump('complaint.deadline', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.deadline_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.escalation', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.escalation_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.outbox', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.outbox_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.penalty', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.penalty_id_seq', '');
