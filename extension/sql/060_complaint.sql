-- Complaints (CONTRACT section 2): the enums, the table, reference-number counters and the
-- trigger pipeline. The rules themselves run in C (extension/src/triggers.c,
-- workflow.c, refs.c, history.c); the CHECK constraints below are a second line of defence
-- behind the trigger's own, more readable, errors. Policy and category are checked by the
-- trigger against the compiled policy rather than by foreign keys (two SPI queries and two
-- row locks less per written complaint); the configuration tables' guards
-- (complaint._complaints_use, 050_policy_tables.sql) keep them from disappearing under a
-- complaint, as a foreign key's ON DELETE NO ACTION would.

CREATE TABLE complaint.complaint (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref             text NOT NULL UNIQUE,
    policy          text NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    channel         complaint.channel NOT NULL DEFAULT 'other',
    category        text,
    subject         text NOT NULL,
    body            text,
    complainant     text,
    contact         text,
    customer_type   text,
    unit            text,
    handler         text,
    collective_size integer NOT NULL DEFAULT 1,
    amount          numeric(14,2),
    facts           jsonb NOT NULL DEFAULT '{}',
    validity        complaint.validity,
    status          complaint.status NOT NULL DEFAULT 'new',
    level           text,
    level_reasons   text[],
    reopen_count    integer NOT NULL DEFAULT 0,
    satisfaction    smallint,
    next_due_at     timestamptz,
    resolved_at     timestamptz,
    closed_at       timestamptz,
    created_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT complaint_collective_size CHECK (collective_size >= 1),
    CONSTRAINT complaint_amount CHECK (amount >= 0),
    CONSTRAINT complaint_subject CHECK (pg_catalog.btrim(subject) <> ''),
    CONSTRAINT complaint_facts_object CHECK (pg_catalog.jsonb_typeof(facts) = 'object'),
    CONSTRAINT complaint_satisfaction CHECK (satisfaction BETWEEN 1 AND 5),
    CONSTRAINT complaint_reopen_count CHECK (reopen_count >= 0)
);
COMMENT ON TABLE complaint.complaint IS 'complaints; inserts and updates run the rules of their policy (workflow, reference numbers, history)';
COMMENT ON COLUMN complaint.complaint.id IS 'internal identifier';
COMMENT ON COLUMN complaint.complaint.ref IS 'reference number <policy ref_prefix>-<YYYYMM>-<serial>, assigned on insert; YYYYMM is the month of received_at in the policy calendar''s zone';
COMMENT ON COLUMN complaint.complaint.policy IS 'code of the policy whose rules apply (complaint.policy)';
COMMENT ON COLUMN complaint.complaint.received_at IS 'when the complaint reached the company; at most 5 minutes in the future; immutable';
COMMENT ON COLUMN complaint.complaint.channel IS 'how it arrived';
COMMENT ON COLUMN complaint.complaint.category IS 'complaint type, a code of the policy''s taxonomy (complaint.category), or NULL';
COMMENT ON COLUMN complaint.complaint.subject IS 'short description (required)';
COMMENT ON COLUMN complaint.complaint.body IS 'full text';
COMMENT ON COLUMN complaint.complaint.complainant IS 'who complains (a customer identifier or name)';
COMMENT ON COLUMN complaint.complaint.contact IS 'contact details of the complainant (personal data)';
COMMENT ON COLUMN complaint.complaint.customer_type IS 'kind of customer, e.g. owner, prospect';
COMMENT ON COLUMN complaint.complaint.unit IS 'responsible department, site or station';
COMMENT ON COLUMN complaint.complaint.handler IS 'person in charge (first-contact owner)';
COMMENT ON COLUMN complaint.complaint.collective_size IS 'number of people behind the complaint (collective complaint when > 1)';
COMMENT ON COLUMN complaint.complaint.amount IS 'amount of money involved';
COMMENT ON COLUMN complaint.complaint.facts IS 'policy-specific facts (a JSON object)';
COMMENT ON COLUMN complaint.complaint.validity IS 'ruling: effective, invalid or suggestion';
COMMENT ON COLUMN complaint.complaint.status IS 'workflow state';
COMMENT ON COLUMN complaint.complaint.level IS 'severity level chosen by the classifier (a level code of the policy)';
COMMENT ON COLUMN complaint.complaint.level_reasons IS 'why the classifier chose the level';
COMMENT ON COLUMN complaint.complaint.reopen_count IS 'how often the complaint was reopened after closing';
COMMENT ON COLUMN complaint.complaint.satisfaction IS 'customer satisfaction 1 (worst) .. 5 (best)';
COMMENT ON COLUMN complaint.complaint.next_due_at IS 'earliest open deadline';
COMMENT ON COLUMN complaint.complaint.resolved_at IS 'when the customer accepted a solution (or the complaint was closed)';
COMMENT ON COLUMN complaint.complaint.closed_at IS 'when the complaint was closed; cleared on reopening';
COMMENT ON COLUMN complaint.complaint.created_at IS 'when the row was inserted';
COMMENT ON COLUMN complaint.complaint.updated_at IS 'when the row was last changed';

CREATE INDEX complaint_policy_received ON complaint.complaint (policy, received_at);
CREATE INDEX complaint_unit ON complaint.complaint (unit);
-- similar complaints (classification): a cluster is (policy, category[, unit]) in a window
CREATE INDEX complaint_similar_unit ON complaint.complaint (policy, category, unit, received_at)
    WHERE complainant IS NOT NULL;
CREATE INDEX complaint_similar_category ON complaint.complaint (policy, category, received_at)
    WHERE complainant IS NOT NULL;
CREATE INDEX complaint_status ON complaint.complaint (status) WHERE status NOT IN ('closed', 'rejected');

-- Gap-free reference serials: one row per prefix and month, updated by the insert trigger
-- and kept locked until commit, so a rolled-back insert frees its number.
CREATE TABLE complaint.ref_counter (
    prefix      text NOT NULL,
    month       integer NOT NULL,
    last_serial integer NOT NULL,
    PRIMARY KEY (prefix, month)
);
COMMENT ON TABLE complaint.ref_counter IS 'last reference serial issued per prefix and month (YYYYMM), for gap-free policies';

-- Serials of policies with ref_gapless = false: never blocks, never reused, may have gaps.
CREATE SEQUENCE complaint.ref_serial AS bigint;
COMMENT ON SEQUENCE complaint.ref_serial IS 'reference serials of policies with ref_gapless = false';

-- complaint._ref_mode_switch(prefix, gapless): called by complaint._policy_check() when a
-- policy's ref_gapless changes, with complaint.complaint already locked in SHARE mode (no
-- complaint is being written). Serials of the two modes must not meet: a policy switched to
-- ref_gapless = false moves the shared sequence past every gap-free serial of its prefix; one
-- switched to gap-free starts each month's counter after the highest serial that month
-- already has (so its next serials follow without reissuing one; the numbers before it keep
-- their gaps).
CREATE FUNCTION complaint._ref_mode_switch(prefix text, gapless boolean)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    top bigint;
BEGIN
    IF NOT gapless THEN
        SELECT max(rc.last_serial) INTO top FROM complaint.ref_counter rc WHERE rc.prefix = $1;
        IF top IS NOT NULL THEN
            PERFORM pg_catalog.setval('complaint.ref_serial',
                        greatest(top, (SELECT s.last_value FROM complaint.ref_serial s)), true);
        END IF;
    ELSE
        INSERT INTO complaint.ref_counter AS rc (prefix, month, last_serial)
        SELECT $1, split_part(c.ref, '-', 2)::integer, max(split_part(c.ref, '-', 3)::bigint)::integer
          FROM complaint.complaint c
         WHERE c.ref LIKE $1 || '-%'
         GROUP BY 2
        ON CONFLICT ON CONSTRAINT ref_counter_pkey
        DO UPDATE SET last_serial = greatest(rc.last_serial, excluded.last_serial);
    END IF;
END
$$;
REVOKE ALL ON FUNCTION complaint._ref_mode_switch(text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION complaint._ref_mode_switch(text, boolean) IS 'internal: keeps gap-free and sequence serials of a prefix apart when a policy switches ref_gapless';

-- The trigger pipeline (C). One BEFORE and one AFTER row trigger, each running a fixed
-- sequence of stages (README, "Design"); ENABLE ALWAYS so that session_replication_role
-- does not switch the rules off.
CREATE FUNCTION complaint._complaint_before()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_complaint_before';

CREATE FUNCTION complaint._complaint_after()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_complaint_after';

CREATE TRIGGER complaint_before BEFORE INSERT OR UPDATE ON complaint.complaint
    FOR EACH ROW EXECUTE FUNCTION complaint._complaint_before();
CREATE TRIGGER complaint_after AFTER INSERT OR UPDATE OR DELETE ON complaint.complaint
    FOR EACH ROW EXECUTE FUNCTION complaint._complaint_after();
-- complaint._refuse_truncate(): a deletion is recorded row by row (a 'deleted' event with the
-- whole row); TRUNCATE would delete without a trace.
CREATE FUNCTION complaint._refuse_truncate()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'cannot truncate %.%: every deleted complaint is recorded in its history', TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = '55000',
              HINT = 'complaint_admin deletes complaints with DELETE; each deletion writes a ''deleted'' event.';
END
$$;
CREATE TRIGGER complaint_no_truncate BEFORE TRUNCATE ON complaint.complaint
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._refuse_truncate();

ALTER TABLE complaint.complaint ENABLE ALWAYS TRIGGER complaint_before;
ALTER TABLE complaint.complaint ENABLE ALWAYS TRIGGER complaint_after;
ALTER TABLE complaint.complaint ENABLE ALWAYS TRIGGER complaint_no_truncate;

SELECT pg_catalog.pg_extension_config_dump('complaint.complaint', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.complaint_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.ref_counter', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.ref_serial', '');
