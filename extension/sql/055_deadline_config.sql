-- Deadline and escalation configuration (CONTRACT sections 3 and 4): the kinds of deadline,
-- the SLA rules that open deadlines, the escalation rules the sweep applies to breached
-- ones, and the penalty scheme of policies that fine people (fuel_retail). All rows, no
-- code: a company writes its own with INSERTs. SLA rules are validated when written, like
-- classification rules (the condition by the same C compiler).

-- A level may be announced: a complaint reaching it writes an outbox message at once
-- (property: major, "notify immediately").
ALTER TABLE complaint.level ADD COLUMN announce boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN complaint.level.announce IS 'true: a complaint reaching this level is announced at once (complaint.outbox and NOTIFY complaint)';

-- Kinds of deadline. The bundled kinds (those of the five presets) are read-only; a company
-- adds its own.
CREATE TABLE complaint.deadline_kind (
    code    text PRIMARY KEY,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    builtin boolean NOT NULL DEFAULT false,
    CONSTRAINT deadline_kind_code_format CHECK (code OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$')
);
COMMENT ON TABLE complaint.deadline_kind IS 'kinds of deadline (forward, respond, resolve, ...) with bilingual labels; bundled kinds are read-only, add your own';
COMMENT ON COLUMN complaint.deadline_kind.builtin IS 'true for the kinds the extension ships (read-only, not dumped)';

INSERT INTO complaint.deadline_kind (code, name_zh, name_en, builtin) VALUES
    ('forward', '转交责任人', 'forward to the responsible person', true),
    ('acknowledge', '受理确认', 'acknowledge', true),
    ('respond', '书面答复', 'written answer', true),
    ('initial_result', '初步处理结果', 'initial handling result', true),
    ('notify', '通报', 'notify the company and group', true),
    ('station_handling', '油站处理', 'station handling', true),
    ('feedback', '调查反馈', 'investigation feedback', true),
    ('confirm_with_customer', '与客户确认', 'confirm with the customer', true),
    ('improve', '整改方案', 'improvement plan', true),
    ('transmit', '传递责任部门', 'transmit to the responsible department', true),
    ('resolve', '解决', 'resolve', true),
    ('dispatch', '上门服务', 'field service arrival', true),
    ('contact', '联系客户', 'contact the customer', true),
    ('investigate', '调查结果', 'investigation result', true),
    ('reply', '答复客户', 'reply to the customer', true),
    ('follow_up', '回访', 'follow-up visit', true);

-- SLA rules: when a complaint (matching condition) reaches the anchor, a deadline of the
-- kind opens, due after the measure; it is met when the complaint enters one of met_by (or
-- a notification is recorded), paused while in pause_in. Of several rules of one kind the
-- first matching one in seq order applies.
CREATE TABLE complaint.sla_rule (
    policy       text NOT NULL REFERENCES complaint.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    name         text NOT NULL,
    kind         text NOT NULL REFERENCES complaint.deadline_kind (code) ON UPDATE CASCADE,
    seq          integer NOT NULL DEFAULT 100,
    condition    jsonb,
    anchor       text NOT NULL DEFAULT 'receipt',
    anchor_value text,
    measure      text NOT NULL,
    amount       interval,
    days         integer,
    met_by       complaint.status[] NOT NULL DEFAULT '{}',
    met_by_notification boolean NOT NULL DEFAULT false,
    pause_in     complaint.status[] NOT NULL DEFAULT '{}',
    repeat_every interval,
    restart      boolean NOT NULL DEFAULT false,
    enabled      boolean NOT NULL DEFAULT true,
    PRIMARY KEY (policy, name),
    CONSTRAINT sla_rule_name_format CHECK (name OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
    CONSTRAINT sla_rule_anchor CHECK (anchor IN ('receipt', 'status', 'level')),
    CONSTRAINT sla_rule_measure CHECK (measure IN ('working_time', 'calendar_time', 'workdays', 'end_of_day', 'after_opening'))
);
COMMENT ON TABLE complaint.sla_rule IS 'SLA rules: which deadline a complaint gets, from when, how long, what meets it and what pauses it; validated when written';
COMMENT ON COLUMN complaint.sla_rule.kind IS 'deadline kind (complaint.deadline_kind); a complaint has at most one open deadline of a kind';
COMMENT ON COLUMN complaint.sla_rule.seq IS 'order among the rules of one kind: the first whose condition holds applies';
COMMENT ON COLUMN complaint.sla_rule.condition IS 'NULL (always), or a condition in the rule language of complaint.rule, plus received_in_working_time and received_on_workday';
COMMENT ON COLUMN complaint.sla_rule.anchor IS 'receipt (counts from received_at), status (from entering anchor_value), level (from becoming level anchor_value)';
COMMENT ON COLUMN complaint.sla_rule.measure IS 'working_time (amount of working time), calendar_time (amount in local calendar time), workdays (workdays_add(start, days)), end_of_day (next local midnight), after_opening (amount after the next opening)';
COMMENT ON COLUMN complaint.sla_rule.met_by IS 'statuses that meet the deadline when the complaint enters one of them';
COMMENT ON COLUMN complaint.sla_rule.met_by_notification IS 'true: complaint.record_notification() meets the deadline';
COMMENT ON COLUMN complaint.sla_rule.pause_in IS 'statuses during which the clock stops; the paused time is added back on leaving them';
COMMENT ON COLUMN complaint.sla_rule.repeat_every IS 'when a deadline of the rule is met or breached while the complaint is open, the next one is due this much after it (e.g. weekly progress reports)';
COMMENT ON COLUMN complaint.sla_rule.restart IS 'true: entering the anchor status again (including a reassignment assigned -> assigned) restarts the deadline';

-- Escalation rules: what the sweep (complaint.run_escalations) does when a deadline of a
-- kind is breached, after an optional delay, optionally again every repeat_every while the
-- deadline stays open.
CREATE TABLE complaint.escalation_rule (
    policy        text NOT NULL REFERENCES complaint.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    name          text NOT NULL,
    deadline_kind text NOT NULL REFERENCES complaint.deadline_kind (code) ON UPDATE CASCADE,
    after         interval NOT NULL DEFAULT '0',
    action        text NOT NULL,
    level         text,
    amounts       jsonb,
    repeat_every  interval,
    message_zh    text NOT NULL,
    message_en    text NOT NULL,
    enabled       boolean NOT NULL DEFAULT true,
    PRIMARY KEY (policy, name),
    FOREIGN KEY (policy, level) REFERENCES complaint.level (policy, code) ON UPDATE CASCADE,
    CONSTRAINT escalation_rule_name_format CHECK (name OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
    CONSTRAINT escalation_rule_action CHECK (action IN ('remind', 'notify', 'raise_level', 'penalty'))
);
COMMENT ON TABLE complaint.escalation_rule IS 'escalation rules: reminder (催办), notification, level raise or penalty when a deadline of a kind is breached';
COMMENT ON COLUMN complaint.escalation_rule.after IS 'how long after the due time the rule applies (0: at the breach)';
COMMENT ON COLUMN complaint.escalation_rule.action IS 'remind, notify (outbox rows), raise_level (to level), penalty (ledger rows from amounts)';
COMMENT ON COLUMN complaint.escalation_rule.amounts IS 'penalty: {"<role>": amount, ...}; roles direct (the handler), station_manager, district_manager (complaint.unit_staff)';
COMMENT ON COLUMN complaint.escalation_rule.repeat_every IS 'apply again every this long while the deadline is open (remind, notify)';

-- Who the roles of the penalty scheme are, per unit (station).
CREATE TABLE complaint.unit_staff (
    policy           text NOT NULL REFERENCES complaint.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    unit             text NOT NULL,
    station_manager  text,
    district         text,
    district_manager text,
    PRIMARY KEY (policy, unit)
);
COMMENT ON TABLE complaint.unit_staff IS 'the managers of each unit (station) and its district: who the penalty ledger books manager shares to';

-- Penalty scheme of a policy (fuel_retail): fines by level on confirmation, split between
-- the direct person (the handler), the station manager and the district manager.
CREATE TABLE complaint.penalty_scheme (
    policy            text PRIMARY KEY REFERENCES complaint.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    direct_share      numeric(5,4) NOT NULL,
    station_share     numeric(5,4) NOT NULL,
    district_share    numeric(5,4) NOT NULL,
    repeat_window     interval NOT NULL DEFAULT '1 year',
    station_double_at integer NOT NULL DEFAULT 2,
    station_demote_at integer NOT NULL DEFAULT 3,
    direct_warning_at integer NOT NULL DEFAULT 2,
    direct_termination_at integer NOT NULL DEFAULT 3,
    CONSTRAINT penalty_scheme_shares CHECK (direct_share >= 0 AND station_share >= 0 AND district_share >= 0
        AND direct_share OPERATOR(pg_catalog.+) station_share OPERATOR(pg_catalog.+) district_share = 1),
    CONSTRAINT penalty_scheme_counts CHECK (station_double_at >= 1 AND station_demote_at >= 1
        AND direct_warning_at >= 1 AND direct_termination_at >= 1)
);
COMMENT ON TABLE complaint.penalty_scheme IS 'how a policy fines confirmed complaints: shares of direct person / station manager / district manager, and the repeat thresholds within repeat_window';

CREATE TABLE complaint.penalty_rule (
    policy          text NOT NULL REFERENCES complaint.penalty_scheme (policy) ON UPDATE CASCADE ON DELETE CASCADE,
    level           text NOT NULL,
    fine            numeric(12,2) NOT NULL DEFAULT 0,
    district_score  integer NOT NULL DEFAULT 0,
    direct_sanction text,
    PRIMARY KEY (policy, level),
    FOREIGN KEY (policy, level) REFERENCES complaint.level (policy, code) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT penalty_rule_fine CHECK (fine >= 0),
    CONSTRAINT penalty_rule_score CHECK (district_score <= 0)
);
COMMENT ON TABLE complaint.penalty_rule IS 'per level: the fine split by the scheme''s shares, the district score change and the sanction of the direct person, booked when an effective complaint with a handler is closed';

-- complaint._sla_rule_check(): readable errors for SLA rules; the condition is compiled by C.
CREATE FUNCTION complaint._sla_rule_check()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_sla_rule_check';

-- complaint._escalation_rule_check(): readable errors for escalation rules.
CREATE FUNCTION complaint._escalation_rule_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k text;
    v jsonb;
BEGIN
    IF NEW.name IS NULL OR NEW.name !~ '^[a-z][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'invalid escalation rule name "%" in policy "%"', NEW.name, NEW.policy
            USING ERRCODE = '22023',
                  HINT = 'A rule name starts with a lower-case letter and has up to 63 lower-case letters, digits and underscores.';
    END IF;
    IF NEW.action IS NULL OR NEW.action NOT IN ('remind', 'notify', 'raise_level', 'penalty') THEN
        RAISE EXCEPTION 'escalation rule "%" of policy "%" has an unknown action "%"', NEW.name, NEW.policy, NEW.action
            USING ERRCODE = '22023', HINT = 'Actions: remind, notify, raise_level, penalty.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM complaint.deadline_kind d WHERE d.code = NEW.deadline_kind) THEN
        RAISE EXCEPTION 'escalation rule "%" of policy "%" names an unknown deadline kind "%"', NEW.name, NEW.policy, NEW.deadline_kind
            USING ERRCODE = '23503',
                  DETAIL = 'Kinds: ' || (SELECT string_agg(code, ', ' ORDER BY code) FROM complaint.deadline_kind) || '.',
                  HINT = 'Add the kind to complaint.deadline_kind first.';
    END IF;
    IF NEW.after IS NULL OR NEW.after < interval '0' THEN
        RAISE EXCEPTION 'escalation rule "%" of policy "%": after must not be negative', NEW.name, NEW.policy
            USING ERRCODE = '22023', HINT = 'after is how long after the due time the rule applies, e.g. ''12 hours''.';
    END IF;
    IF NEW.repeat_every IS NOT NULL AND (NEW.repeat_every <= interval '0' OR NEW.repeat_every < interval '1 minute') THEN
        RAISE EXCEPTION 'escalation rule "%" of policy "%": repeat_every must be at least 1 minute', NEW.name, NEW.policy
            USING ERRCODE = '22023';
    END IF;
    IF NEW.repeat_every IS NOT NULL AND NEW.action IN ('raise_level', 'penalty') THEN
        RAISE EXCEPTION 'escalation rule "%" of policy "%": a % rule cannot repeat', NEW.name, NEW.policy, NEW.action
            USING ERRCODE = '22023', HINT = 'Only remind and notify repeat; write a second rule with a later after for a second step.';
    END IF;
    IF (NEW.action = 'raise_level') <> (NEW.level IS NOT NULL) THEN
        RAISE EXCEPTION 'escalation rule "%" of policy "%": %', NEW.name, NEW.policy,
            CASE WHEN NEW.level IS NULL THEN 'a raise_level rule needs a level' ELSE 'only a raise_level rule has a level' END
            USING ERRCODE = '22023';
    END IF;
    IF NEW.level IS NOT NULL AND NOT EXISTS (SELECT 1 FROM complaint.level l WHERE l.policy = NEW.policy AND l.code = NEW.level) THEN
        RAISE EXCEPTION 'escalation rule "%" of policy "%" names an unknown level "%"', NEW.name, NEW.policy, NEW.level
            USING ERRCODE = '23503';
    END IF;
    IF NEW.action = 'penalty' THEN
        IF NEW.amounts IS NULL OR jsonb_typeof(NEW.amounts) <> 'object' OR NEW.amounts = '{}' THEN
            RAISE EXCEPTION 'escalation rule "%" of policy "%": a penalty rule needs amounts', NEW.name, NEW.policy
                USING ERRCODE = '22023', HINT = 'Write amounts as {"station_manager": 200, "direct": 100}.';
        END IF;
        FOR k, v IN SELECT * FROM jsonb_each(NEW.amounts) LOOP
            IF k NOT IN ('direct', 'station_manager', 'district_manager') THEN
                RAISE EXCEPTION 'escalation rule "%" of policy "%": unknown role "%" in amounts', NEW.name, NEW.policy, k
                    USING ERRCODE = '22023', HINT = 'Roles: direct, station_manager, district_manager.';
            END IF;
            IF jsonb_typeof(v) <> 'number' OR (v #>> '{}')::numeric < 0 THEN
                RAISE EXCEPTION 'escalation rule "%" of policy "%": amount % of role "%" is not a non-negative number', NEW.name, NEW.policy, v, k
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
    ELSIF NEW.amounts IS NOT NULL THEN
        RAISE EXCEPTION 'escalation rule "%" of policy "%": only a penalty rule has amounts', NEW.name, NEW.policy
            USING ERRCODE = '22023';
    END IF;
    IF coalesce(btrim(NEW.message_zh), '') = '' OR coalesce(btrim(NEW.message_en), '') = '' THEN
        RAISE EXCEPTION 'escalation rule "%" of policy "%" needs a message in Chinese and in English', NEW.name, NEW.policy
            USING ERRCODE = '23502';
    END IF;
    RETURN NEW;
END
$$;

-- complaint._deadline_kind_guard(): bundled kinds are read-only outside extension scripts.
CREATE FUNCTION complaint._deadline_kind_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF complaint._in_extension_script() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.builtin THEN
        RAISE EXCEPTION 'deadline kind "%" is bundled with pg_complaint and read-only', OLD.code
            USING ERRCODE = '42501', HINT = 'Add a kind of your own instead.';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.builtin THEN
            RAISE EXCEPTION 'only pg_complaint''s own scripts add bundled deadline kinds'
                USING ERRCODE = '42501', HINT = 'Leave builtin false.';
        END IF;
        IF NEW.code IS NULL OR NEW.code !~ '^[a-z][a-z0-9_]{0,62}$' THEN
            RAISE EXCEPTION 'invalid deadline kind "%"', NEW.code
                USING ERRCODE = '22023', HINT = 'A kind starts with a lower-case letter and has up to 63 lower-case letters, digits and underscores.';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER b_guard BEFORE INSERT OR UPDATE OR DELETE ON complaint.deadline_kind
    FOR EACH ROW EXECUTE FUNCTION complaint._deadline_kind_guard();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.deadline_kind
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.sla_rule
    FOR EACH ROW EXECUTE FUNCTION complaint._sla_rule_check();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.sla_rule
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.escalation_rule
    FOR EACH ROW EXECUTE FUNCTION complaint._escalation_rule_check();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.escalation_rule
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

-- SLA rules read facts and levels: changing those re-checks them (as for classification rules)
CREATE FUNCTION complaint._sla_rules_revalidate()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE complaint.sla_rule r SET condition = r.condition
     WHERE r.policy IN (SELECT DISTINCT policy FROM changed);
    RETURN NULL;
END
$$;
CREATE TRIGGER y_sla_revalidate_upd AFTER UPDATE ON complaint.fact
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION complaint._sla_rules_revalidate();
CREATE TRIGGER y_sla_revalidate_del AFTER DELETE ON complaint.fact
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION complaint._sla_rules_revalidate();
CREATE TRIGGER y_sla_revalidate_del AFTER DELETE ON complaint.category
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION complaint._sla_rules_revalidate();
CREATE TRIGGER y_sla_revalidate_del AFTER DELETE ON complaint.level
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION complaint._sla_rules_revalidate();

CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.unit_staff
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.penalty_scheme
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.penalty_rule
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

SELECT pg_catalog.pg_extension_config_dump('complaint.deadline_kind', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('complaint.sla_rule', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.escalation_rule', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.unit_staff', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.penalty_scheme', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.penalty_rule', '');
