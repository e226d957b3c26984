-- The sweep (CONTRACT section 4): complaint.run_escalations(as_of) marks breaches, applies the
-- escalation rules, re-runs time-based classification; complaint.record_notification();
-- the penalty ledger's confirmation fines; complaint.schedule() for pg_cron.
--
-- The sweep's outer loop is SQL (ARCHITECTURE: "SQL where SQL is the product"): it walks the
-- due items through two indexes (deadline.next_check_at, complaint.recheck_at), so its cost
-- grows with the due items only. Every change of a complaint itself -- a breach, a level --
-- is made by complaint._touch(), an UPDATE of the complaint whose C trigger does the work,
-- so history, next_due_at and classification follow the same single implementation as
-- every other change.

-- complaint._touch(id, as_of, what, deadline_id, level, reason): one step of the sweep on
-- one complaint, through its trigger (C).
CREATE FUNCTION complaint._touch(complaint_id bigint, as_of timestamptz, what text,
                                 deadline_id bigint, level text, reason text)
RETURNS integer
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_touch_sql';
REVOKE ALL ON FUNCTION complaint._touch(bigint, timestamptz, text, bigint, text, text) FROM PUBLIC;

-- complaint._outbox(at, topic, complaint_id, payload): one outbox row plus NOTIFY complaint.
CREATE FUNCTION complaint._outbox(at timestamptz, topic text, complaint_id bigint, payload text)
RETURNS void
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_outbox_write_sql';
REVOKE ALL ON FUNCTION complaint._outbox(timestamptz, text, bigint, text) FROM PUBLIC;

-- complaint.record_notification(id, note): the notification duty is done (property: hot
-- complaints within 1 working day, major complaints' weekly progress).
CREATE FUNCTION complaint.record_notification(complaint_id bigint, note text)
RETURNS integer
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_record_notification';
COMMENT ON FUNCTION complaint.record_notification(bigint, text) IS
    'records that the notification duty of a complaint is done: meets its open deadlines that a notification meets, writes a notification event; returns how many it met';

-- complaint._escalate(deadline_id, as_of): the sweep's work on one due deadline.
CREATE FUNCTION complaint._escalate(did bigint, as_of timestamptz)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dl     complaint.deadline;
    cp     record;
    r      record;
    st     complaint.unit_staff;
    n      integer := 0;
    base   timestamptz;
    nxt    timestamptz;
    step   integer;
    eid    bigint;
    open   boolean;
    role   text;
    amount jsonb;
    person text;
    detail jsonb;
BEGIN
    SELECT * INTO dl FROM complaint.deadline d WHERE d.id = did;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    IF dl.met_at IS NOT NULL OR dl.cancelled_at IS NOT NULL OR dl.paused_at IS NOT NULL THEN
        UPDATE complaint.deadline d SET next_check_at = NULL WHERE d.id = did;
        RETURN 0;
    END IF;
    IF dl.due_at > as_of THEN
        UPDATE complaint.deadline d SET next_check_at = dl.due_at WHERE d.id = did;
        RETURN 0;
    END IF;

    SELECT c.id, c.ref, c.policy, c.unit, c.handler, c.level INTO cp
      FROM complaint.complaint c WHERE c.id = dl.complaint_id;

    -- the breach itself, through the complaint's trigger (event, breached[], reclassification)
    IF dl.breached_at IS NULL THEN
        IF complaint._touch(dl.complaint_id, as_of, 'breach', dl.id, NULL, NULL) > 0 THEN
            n := n + 1;
            PERFORM complaint._outbox(as_of, 'deadline_breached', cp.id,
                jsonb_build_object('ref', cp.ref, 'deadline', dl.kind, 'rule', dl.rule,
                                   'occurrence', dl.occurrence, 'due_at', dl.due_at, 'unit', cp.unit,
                                   'handler', cp.handler)::text);
        END IF;
        SELECT * INTO dl FROM complaint.deadline d WHERE d.id = did;
        IF dl.breached_at IS NULL THEN
            RETURN n;           -- paused or met meanwhile
        END IF;
    END IF;
    open := dl.met_at IS NULL AND dl.cancelled_at IS NULL;

    -- escalation rules of the kind, each step once (complaint.escalation's unique key)
    FOR r IN SELECT * FROM complaint.escalation_rule e
              WHERE e.policy = cp.policy AND e.deadline_kind = dl.kind AND e.enabled
              ORDER BY e.after, e.name LOOP
        base := dl.due_at + r.after;
        IF base > as_of THEN
            IF open THEN
                nxt := least(nxt, base);
            END IF;
            CONTINUE;
        END IF;
        step := 0;
        IF r.repeat_every IS NOT NULL THEN
            IF open THEN
                step := floor(extract(epoch FROM as_of - base) / extract(epoch FROM r.repeat_every))::integer;
                nxt := least(nxt, base + (step + 1) * r.repeat_every);
            END IF;
        END IF;
        detail := jsonb_build_object('rule', r.name, 'action', r.action, 'deadline', dl.kind,
                                     'deadline_rule', dl.rule, 'occurrence', dl.occurrence,
                                     'due_at', dl.due_at, 'step', step,
                                     'message_zh', r.message_zh, 'message_en', r.message_en);
        INSERT INTO complaint.escalation (deadline_id, complaint_id, rule, step, at, action, detail)
        VALUES (dl.id, cp.id, r.name, step, as_of, r.action, detail)
        ON CONFLICT DO NOTHING
        RETURNING id INTO eid;
        IF eid IS NULL THEN
            CONTINUE;           -- applied already (an earlier run, or another session)
        END IF;
        n := n + 1;
        INSERT INTO complaint.event (complaint_id, at, actor, kind, detail)
        VALUES (cp.id, as_of, session_user, 'escalation', detail);

        IF r.action IN ('remind', 'notify') THEN
            PERFORM complaint._outbox(as_of, r.action, cp.id,
                (detail || jsonb_build_object('ref', cp.ref, 'unit', cp.unit, 'handler', cp.handler))::text);
        ELSIF r.action = 'raise_level' THEN
            PERFORM complaint._touch(cp.id, as_of, 'raise', NULL, r.level,
                format('%s: %s / %s (%s deadline due %s breached)', r.name, r.message_zh, r.message_en,
                       dl.kind, dl.due_at));
        ELSIF r.action = 'penalty' THEN
            SELECT * INTO st FROM complaint.unit_staff u WHERE u.policy = cp.policy AND u.unit = cp.unit;
            FOR role, amount IN SELECT * FROM jsonb_each(r.amounts) LOOP
                person := CASE role WHEN 'direct' THEN cp.handler
                                    WHEN 'station_manager' THEN st.station_manager
                                    WHEN 'district_manager' THEN st.district_manager END;
                INSERT INTO complaint.penalty (complaint_id, policy, unit, booked_at, source, rule, role,
                                               person, amount, note)
                VALUES (cp.id, cp.policy, cp.unit, as_of, 'overdue', r.name, role, person,
                        (amount #>> '{}')::numeric, r.message_en)
                ON CONFLICT DO NOTHING;
            END LOOP;
            PERFORM complaint._outbox(as_of, 'penalty', cp.id,
                (detail || jsonb_build_object('ref', cp.ref, 'amounts', r.amounts))::text);
        END IF;
    END LOOP;

    UPDATE complaint.deadline d SET next_check_at = CASE WHEN open THEN nxt END WHERE d.id = did;
    RETURN n;
END
$$;
REVOKE ALL ON FUNCTION complaint._escalate(bigint, timestamptz) FROM PUBLIC;

-- complaint.run_escalations(as_of, force): the sweep. Returns the number of things it did
-- (breaches marked, escalation steps applied, levels changed by time-based rules).
CREATE FUNCTION complaint.run_escalations(as_of timestamptz DEFAULT pg_catalog.now(), force boolean DEFAULT false)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n     integer := 0;
    d     record;
    c     record;
    lim   interval;
BEGIN
    -- The setting is defined when the library loads; a fresh session (a pg_cron job) may
    -- not have loaded it yet: call into it first.
    PERFORM complaint.version();
    lim := current_setting('pg_complaint.escalation_future_limit')::interval;
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'as_of of complaint.run_escalations() must not be NULL'
            USING ERRCODE = '22004', HINT = 'Leave it out to escalate as of now().';
    END IF;
    IF NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'as_of of complaint.run_escalations() must be a finite time'
            USING ERRCODE = '22008';
    END IF;
    IF as_of > now() + lim AND NOT coalesce(force, false) THEN
        RAISE EXCEPTION 'as_of % is more than % ahead of the clock', as_of, lim
            USING ERRCODE = '22023',
                  DETAIL = 'Escalating as of a future time breaches every deadline due before it, for real.',
                  HINT = 'Pass force => true to simulate a future clock (tests, demos), or raise pg_complaint.escalation_future_limit.';
    END IF;

    FOR d IN SELECT dl.id FROM complaint.deadline dl
              WHERE dl.next_check_at <= as_of
              ORDER BY dl.next_check_at, dl.id
              FOR UPDATE SKIP LOCKED LOOP
        n := n + complaint._escalate(d.id, as_of);
    END LOOP;

    FOR c IN SELECT x.id FROM complaint.complaint x
              WHERE x.recheck_at <= as_of
              ORDER BY x.recheck_at, x.id
              FOR UPDATE SKIP LOCKED LOOP
        n := n + complaint._touch(c.id, as_of, 'reclassify', NULL, NULL, NULL);
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION complaint.run_escalations(timestamptz, boolean) IS
    'the sweep: marks breached deadlines, applies escalation rules (remind, notify, raise_level, penalty), re-runs time-based level rules, as of a time; idempotent for one as_of, safe in several sessions at once';
REVOKE ALL ON FUNCTION complaint.run_escalations(timestamptz, boolean) FROM PUBLIC;

-- complaint._book_confirmation(): fines of a confirmed complaint (closed as effective with a
-- responsible handler) under a policy with a penalty scheme; booked once per complaint.
CREATE FUNCTION complaint._book_confirmation()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sch      complaint.penalty_scheme;
    pr       complaint.penalty_rule;
    st       complaint.unit_staff;
    at       timestamptz := coalesce(NEW.closed_at, now());
    nstation integer;
    ndirect  integer;
    factor   integer;
    dsanc    text;
    msanc    text;
BEGIN
    SELECT * INTO sch FROM complaint.penalty_scheme s WHERE s.policy = NEW.policy;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT * INTO pr FROM complaint.penalty_rule p WHERE p.policy = NEW.policy AND p.level = NEW.level;
    IF NOT FOUND OR EXISTS (SELECT 1 FROM complaint.penalty x WHERE x.complaint_id = NEW.id AND x.source = 'confirmation') THEN
        RETURN NULL;
    END IF;
    SELECT * INTO st FROM complaint.unit_staff u WHERE u.policy = NEW.policy AND u.unit = NEW.unit;

    -- this complaint included: confirmed complaints at the station / of the person in the window
    nstation := 1 + (SELECT count(DISTINCT x.complaint_id) FROM complaint.penalty x
                      WHERE x.policy = NEW.policy AND x.unit = NEW.unit AND x.source = 'confirmation'
                        AND x.booked_at > at - sch.repeat_window);
    ndirect := 1 + (SELECT count(DISTINCT x.complaint_id) FROM complaint.penalty x
                     WHERE x.policy = NEW.policy AND x.person = NEW.handler AND x.role = 'direct'
                       AND x.source = 'confirmation' AND x.booked_at > at - sch.repeat_window);
    factor := CASE WHEN nstation >= sch.station_double_at THEN 2 ELSE 1 END;
    msanc := CASE WHEN nstation >= sch.station_demote_at THEN 'demotion' END;
    dsanc := coalesce(pr.direct_sanction,
                      CASE WHEN ndirect >= sch.direct_termination_at THEN 'contract_terminated'
                           WHEN ndirect >= sch.direct_warning_at THEN 'warning_and_transfer' END);

    INSERT INTO complaint.penalty (complaint_id, policy, unit, booked_at, source, rule, role, person,
                                   amount, score, sanction, note)
    SELECT NEW.id, NEW.policy, NEW.unit, at, 'confirmation', 'level_' || NEW.level, v.role, v.person,
           v.amount, v.score, v.sanction, v.note
      FROM (VALUES
            ('direct', NEW.handler, round(pr.fine * sch.direct_share, 2), 0, dsanc,
             format('complaint %s of the person in %s', ndirect, sch.repeat_window)),
            ('station_manager', st.station_manager, round(pr.fine * sch.station_share * factor, 2), 0, msanc,
             format('complaint %s at the station in %s%s', nstation, sch.repeat_window,
                    CASE WHEN factor = 2 THEN ': share doubled' ELSE '' END)),
            ('district_manager', st.district_manager, round(pr.fine * sch.district_share, 2), 0, NULL, NULL),
            ('district', st.district, 0::numeric, pr.district_score, NULL, NULL)
           ) AS v (role, person, amount, score, sanction, note)
     WHERE v.amount > 0 OR v.score <> 0 OR v.sanction IS NOT NULL;
    PERFORM complaint._outbox(at, 'penalty', NEW.id,
        jsonb_build_object('ref', NEW.ref, 'level', NEW.level, 'unit', NEW.unit, 'handler', NEW.handler,
                           'fine', pr.fine, 'station_count', nstation, 'person_count', ndirect)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER complaint_penalty AFTER UPDATE OF status ON complaint.complaint
    FOR EACH ROW
    WHEN (NEW.status = 'closed' AND OLD.status <> 'closed' AND NEW.validity = 'effective'
          AND NEW.handler IS NOT NULL)
    EXECUTE FUNCTION complaint._book_confirmation();
ALTER TABLE complaint.complaint ENABLE ALWAYS TRIGGER complaint_penalty;

-- complaint.schedule(every): run the sweep from pg_cron.
CREATE FUNCTION complaint.schedule(every interval DEFAULT '5 minutes')
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    secs numeric;
    expr text;
    job  bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in this database'
            USING ERRCODE = '55000',
                  DETAIL = 'complaint.schedule() registers complaint.run_escalations() as a pg_cron job.',
                  HINT = 'Install the Debian package postgresql-15-cron, set shared_preload_libraries = ''pg_cron'' and cron.database_name to this database, restart, CREATE EXTENSION pg_cron; or run SELECT complaint.run_escalations(); every few minutes from any scheduler (cron, a systemd timer).';
    END IF;
    IF every IS NULL OR every < interval '1 minute' THEN
        RAISE EXCEPTION 'cannot run the sweep every %', coalesce(every::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'pg_cron runs jobs at most once a minute: give 1 minute or more.';
    END IF;
    secs := extract(epoch FROM every);
    IF secs % 60 = 0 AND secs / 60 < 60 AND 60 % (secs / 60) = 0 THEN
        expr := CASE WHEN secs = 60 THEN '* * * * *' ELSE format('*/%s * * * *', secs / 60) END;
    ELSIF secs % 3600 = 0 AND secs / 3600 < 24 AND 24 % (secs / 3600) = 0 THEN
        expr := CASE WHEN secs = 3600 THEN '0 * * * *' ELSE format('0 */%s * * *', secs / 3600) END;
    ELSIF secs = 86400 THEN
        expr := '0 0 * * *';
    ELSE
        RAISE EXCEPTION 'cannot run the sweep every %', every
            USING ERRCODE = '22023',
                  HINT = 'Give a number of minutes that divides an hour (1, 2, 5, 10, 15, 30), of hours that divides a day, or 1 day.';
    END IF;
    EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO job
        USING 'pg_complaint_escalations', expr, 'SELECT complaint.run_escalations()';
    RETURN job;
END
$$;
COMMENT ON FUNCTION complaint.schedule(interval) IS
    'registers complaint.run_escalations() with pg_cron as job pg_complaint_escalations, every minute to every day; says what to do when pg_cron is missing';

CREATE FUNCTION complaint.unschedule()
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ok boolean;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        RETURN false;
    END IF;
    EXECUTE 'SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = $1' INTO ok USING 'pg_complaint_escalations';
    RETURN coalesce(ok, false);
END
$$;
COMMENT ON FUNCTION complaint.unschedule() IS 'removes the pg_cron job of complaint.schedule()';

-- privileges
GRANT EXECUTE ON FUNCTION complaint.run_escalations(timestamptz, boolean) TO complaint_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON complaint.deadline_kind, complaint.sla_rule, complaint.escalation_rule,
    complaint.unit_staff, complaint.penalty_scheme, complaint.penalty_rule TO complaint_admin;
GRANT SELECT ON complaint.deadline_kind, complaint.sla_rule, complaint.escalation_rule,
    complaint.unit_staff, complaint.penalty_scheme, complaint.penalty_rule
    TO complaint_supervisor, complaint_agent;
GRANT SELECT ON complaint.deadline, complaint.escalation TO complaint_admin, complaint_supervisor, complaint_agent;
GRANT SELECT ON complaint.penalty TO complaint_admin, complaint_supervisor;
GRANT SELECT, DELETE ON complaint.outbox TO complaint_admin;

ALTER TABLE complaint.deadline ENABLE ROW LEVEL SECURITY;
CREATE POLICY deadline_staff_all ON complaint.deadline TO complaint_admin, complaint_supervisor
    USING (true);
CREATE POLICY deadline_agent_units ON complaint.deadline TO complaint_agent
    USING (complaint_id IN (SELECT c.id FROM complaint.complaint c));
ALTER TABLE complaint.escalation ENABLE ROW LEVEL SECURITY;
CREATE POLICY escalation_staff_all ON complaint.escalation TO complaint_admin, complaint_supervisor
    USING (true);
CREATE POLICY escalation_agent_units ON complaint.escalation TO complaint_agent
    USING (complaint_id IN (SELECT c.id FROM complaint.complaint c));
