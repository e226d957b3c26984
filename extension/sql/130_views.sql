-- BI views (CONTRACT section 6): stable names, plain column types (text, bigint, numeric,
-- date, timestamptz, boolean) and a COMMENT on every view and column, so that a BI tool
-- (JDBC, ODBC) sees clean metadata. The regulation's reports: the daily report
-- (投诉情况日报表), the semi-monthly report (due by the 18th), the monthly report (due by
-- the 3rd of the next month), the quarterly handler appraisal by closure rate of effective
-- complaints (投诉关闭率), plus repeat complaints, the fuel_retail penalty ledger, overdue
-- deadlines and hotspots.
--
-- Who sees what. The views run with the privileges of their owner (complaint_reader has no
-- table access: it reads these views only) and filter rows themselves, as the row-level
-- security of complaint.complaint does: complaint_admin, complaint_supervisor and
-- complaint_reader see every complaint, complaint_agent only those of its units
-- (complaint.agent_unit). Every view is a security_barrier, so that a function in a
-- caller's WHERE clause never sees a row the filter removed. The complainant's name and
-- contact are personal data: complaint_reader sees a pseudonym and a masked contact unless
-- it is also granted complaint_pii.
--
-- Times: days, half-months, months and quarters are local to the policy calendar's zone;
-- working time is measured on the policy calendar (complaint.business_between). A period of
-- a report is [start, end) in that zone; "by the end of the period" means before its end.

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'complaint_pii') THEN
        CREATE ROLE complaint_pii NOLOGIN;
    END IF;
END
$roles$;
COMMENT ON ROLE complaint_pii IS 'grant to a complaint_reader login to show complainant names and contacts in the BI views (pg_complaint)';

-- complaint._bi_sees_all(): may the current user see every complaint through the views?
CREATE FUNCTION complaint._bi_sees_all()
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER), false)
        OR pg_catalog.pg_has_role(CURRENT_USER, 'complaint_admin', 'USAGE')
        OR pg_catalog.pg_has_role(CURRENT_USER, 'complaint_supervisor', 'USAGE')
        OR pg_catalog.pg_has_role(CURRENT_USER, 'complaint_reader', 'USAGE')
$$;
COMMENT ON FUNCTION complaint._bi_sees_all() IS 'true when the current user sees every complaint in the BI views (superuser, complaint_admin, complaint_supervisor, complaint_reader); agents see their units';

-- complaint._bi_units(who): the units of an agent (complaint.agent_unit). The views pass
-- CURRENT_USER (inside this SECURITY DEFINER function it would be the owner); a session
-- learns only the units of roles it is a member of.
CREATE FUNCTION complaint._bi_units(who name)
RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(pg_catalog.array_agg(au.unit), '{}') FROM complaint.agent_unit au
     WHERE au.agent = who AND pg_catalog.pg_has_role(SESSION_USER, who, 'MEMBER')
$$;
COMMENT ON FUNCTION complaint._bi_units(name) IS 'units whose complaints an agent (a complaint_agent login, passed as CURRENT_USER by the BI views) sees; empty for a role the session is not a member of';

-- complaint._bi_sees_pii(): does the current user see complainants and contacts in clear?
CREATE FUNCTION complaint._bi_sees_pii()
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER), false)
        OR pg_catalog.pg_has_role(CURRENT_USER, 'complaint_pii', 'USAGE')
        OR pg_catalog.pg_has_role(CURRENT_USER, 'complaint_admin', 'USAGE')
        OR pg_catalog.pg_has_role(CURRENT_USER, 'complaint_supervisor', 'USAGE')
        OR pg_catalog.pg_has_role(CURRENT_USER, 'complaint_agent', 'USAGE')
$$;
COMMENT ON FUNCTION complaint._bi_sees_pii() IS 'true when the current user sees complainant names and contacts in clear in the BI views (staff roles, or a grant of complaint_pii)';

-- The small helpers below are inlined into the views' queries (no SET search_path, which
-- would prevent that and cost a configuration change per row); every name and operator in
-- them is schema-qualified instead.

-- complaint._mask_contact(contact): keeps the first 3 and last 2 characters.
CREATE FUNCTION complaint._mask_contact(contact text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE WHEN pg_catalog.length(contact) OPERATOR(pg_catalog.<=) 6
                THEN pg_catalog.repeat('*', pg_catalog.length(contact))
                ELSE pg_catalog.left(contact, 3)
                     OPERATOR(pg_catalog.||) pg_catalog.repeat('*', pg_catalog.length(contact) OPERATOR(pg_catalog.-) 5)
                     OPERATOR(pg_catalog.||) pg_catalog.right(contact, 2) END
$$;
COMMENT ON FUNCTION complaint._mask_contact(text) IS 'masked contact for the BI views: the first 3 and the last 2 characters, the rest as *';

-- complaint._pseudonym(complainant): a stable pseudonym (same person, same pseudonym), so
-- that BI can count distinct and repeat complainants without their names.
CREATE FUNCTION complaint._pseudonym(complainant text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT 'P-' OPERATOR(pg_catalog.||) pg_catalog.left(pg_catalog.md5('pg_complaint:' OPERATOR(pg_catalog.||) complainant), 10)
$$;
COMMENT ON FUNCTION complaint._pseudonym(text) IS 'stable pseudonym of a complainant for the BI views (P- and 10 hex digits of an MD5)';

CREATE FUNCTION complaint._status_zh(s complaint.status)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE s WHEN 'new' THEN '新建' WHEN 'acknowledged' THEN '已受理' WHEN 'assigned' THEN '已分派'
                  WHEN 'investigating' THEN '调查处理中' WHEN 'pending_info' THEN '待补充信息'
                  WHEN 'proposed' THEN '已提出解决方案' WHEN 'escalated' THEN '已升级'
                  WHEN 'external_review' THEN '外部评审' WHEN 'accepted' THEN '客户已接受'
                  WHEN 'follow_up' THEN '回访中' WHEN 'closed' THEN '已关闭' WHEN 'rejected' THEN '已驳回' END
$$;
COMMENT ON FUNCTION complaint._status_zh(complaint.status) IS 'Chinese label of a workflow state';

CREATE FUNCTION complaint._validity_zh(v complaint.validity)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE v WHEN 'effective' THEN '有效投诉' WHEN 'invalid' THEN '无效投诉' WHEN 'suggestion' THEN '意见建议' END
$$;
COMMENT ON FUNCTION complaint._validity_zh(complaint.validity) IS 'Chinese label of a validity ruling';

-- complaint._hours(interval): an interval as hours, numeric with 2 decimals.
CREATE FUNCTION complaint._hours(i interval)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT pg_catalog.round(EXTRACT(epoch FROM i) OPERATOR(pg_catalog./) 3600, 2)
$$;
COMMENT ON FUNCTION complaint._hours(interval) IS 'an interval in hours (numeric, 2 decimals)';

-- complaint._array_concat(float8[]) concatenates arrays (the working hours of several
-- groups, for one percentile over all of them).
CREATE AGGREGATE complaint._array_concat(float8[]) (
    SFUNC = pg_catalog.array_cat,
    STYPE = float8[],
    PARALLEL = SAFE
);

-- The reports count complaints closed in a period through this index, and repeat
-- complaints (same complainant and type in the 30 days before) through the next one: the
-- probe of a repeat reads the index only. Its text columns are ordered bytewise (COLLATE
-- "C"; the probes compare for equality only, which every deterministic collation agrees
-- on): the probe's descent then compares bytes instead of calling the locale's strcoll.
CREATE INDEX complaint_policy_closed ON complaint.complaint (policy, closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX complaint_policy_complainant
    ON complaint.complaint (policy, complainant COLLATE "C", category COLLATE "C", received_at)
    WHERE complainant IS NOT NULL;

------------------------------------------------------------------------ v_complaints
CREATE VIEW complaint.v_complaints WITH (security_barrier = true) AS
SELECT c.id,
       c.ref,
       c.policy,
       p.name_zh AS policy_zh,
       p.name_en AS policy_en,
       c.received_at,
       (c.received_at AT TIME ZONE cal.tz)::date AS received_date,
       complaint.is_business_time(p.calendar, c.received_at) AS received_in_working_time,
       c.channel::text AS channel,
       c.category,
       cat.name_zh AS category_zh,
       cat.name_en AS category_en,
       cat.parent AS category_parent,
       c.subject,
       CASE WHEN (SELECT complaint._bi_sees_pii()) THEN c.complainant ELSE complaint._pseudonym(c.complainant) END AS complainant,
       CASE WHEN (SELECT complaint._bi_sees_pii()) THEN c.contact ELSE complaint._mask_contact(c.contact) END AS contact,
       c.customer_type,
       c.unit,
       c.handler,
       c.collective_size::bigint AS collective_size,
       c.amount::numeric AS amount,
       c.validity::text AS validity,
       complaint._validity_zh(c.validity) AS validity_zh,
       c.status::text AS status,
       complaint._status_zh(c.status) AS status_zh,
       c.status NOT IN ('closed', 'rejected') AS is_open,
       c.level,
       l.name_zh AS level_zh,
       l.name_en AS level_en,
       l.rank::bigint AS level_rank,
       pg_catalog.array_to_string(c.level_reasons, '; ') AS level_reasons,
       c.reopen_count::bigint AS reopen_count,
       c.satisfaction::bigint AS satisfaction,
       c.next_due_at,
       c.resolved_at,
       c.closed_at,
       pg_catalog.round(EXTRACT(epoch FROM coalesce(c.closed_at, pg_catalog.now()) - c.received_at) / 86400, 2) AS age_days,
       complaint._hours(complaint.business_between(p.calendar, c.received_at, coalesce(c.closed_at, pg_catalog.now()))) AS age_working_hours,
       complaint._hours(complaint.business_between(p.calendar, c.received_at, c.closed_at)) AS working_hours_to_close,
       pg_catalog.cardinality(c.breached) > 0 OR coalesce(dl.any_missed, false) AS breached,
       pg_catalog.array_to_string(c.breached, ',') AS breached_kinds,
       coalesce(dl.open_deadlines, 0) AS open_deadlines,
       dl.forward_due_at, dl.forward_breached,
       dl.acknowledge_due_at, dl.acknowledge_breached,
       dl.respond_due_at, dl.respond_breached,
       dl.initial_result_due_at, dl.initial_result_breached,
       dl.notify_due_at, dl.notify_breached,
       dl.station_handling_due_at, dl.station_handling_breached,
       dl.feedback_due_at, dl.feedback_breached,
       dl.confirm_with_customer_due_at, dl.confirm_with_customer_breached,
       dl.improve_due_at, dl.improve_breached,
       dl.transmit_due_at, dl.transmit_breached,
       dl.resolve_due_at, dl.resolve_breached,
       dl.dispatch_due_at, dl.dispatch_breached,
       dl.contact_due_at, dl.contact_breached,
       dl.investigate_due_at, dl.investigate_breached,
       dl.reply_due_at, dl.reply_breached,
       dl.follow_up_due_at, dl.follow_up_breached,
       l.compensation_ratio::numeric AS compensation_ratio,
       l.compensation_ratio * CASE WHEN pg_catalog.jsonb_typeof(c.facts -> 'quantity') = 'number'
                                   THEN (c.facts ->> 'quantity')::numeric ELSE 1 END AS compensation_packs,
       c.facts::text AS facts
  FROM complaint.complaint c
  JOIN complaint.policy p ON p.code = c.policy
  JOIN complaint.calendar cal ON cal.name = p.calendar
  LEFT JOIN complaint.category cat ON cat.policy = c.policy AND cat.code = c.category
  LEFT JOIN complaint.level l ON l.policy = c.policy AND l.code = c.level
  LEFT JOIN LATERAL (
        SELECT pg_catalog.count(*) FILTER (WHERE d.met_at IS NULL AND d.cancelled_at IS NULL) AS open_deadlines,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now())) AS any_missed,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'forward'))[1] AS forward_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'forward') AS forward_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'acknowledge'))[1] AS acknowledge_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'acknowledge') AS acknowledge_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'respond'))[1] AS respond_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'respond') AS respond_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'initial_result'))[1] AS initial_result_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'initial_result') AS initial_result_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'notify'))[1] AS notify_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'notify') AS notify_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'station_handling'))[1] AS station_handling_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'station_handling') AS station_handling_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'feedback'))[1] AS feedback_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'feedback') AS feedback_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'confirm_with_customer'))[1] AS confirm_with_customer_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'confirm_with_customer') AS confirm_with_customer_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'improve'))[1] AS improve_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'improve') AS improve_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'transmit'))[1] AS transmit_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'transmit') AS transmit_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'resolve'))[1] AS resolve_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'resolve') AS resolve_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'dispatch'))[1] AS dispatch_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'dispatch') AS dispatch_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'contact'))[1] AS contact_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'contact') AS contact_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'investigate'))[1] AS investigate_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'investigate') AS investigate_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'reply'))[1] AS reply_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'reply') AS reply_breached,
               (pg_catalog.array_agg(d.due_at ORDER BY d.id DESC) FILTER (WHERE d.kind = 'follow_up'))[1] AS follow_up_due_at,
               pg_catalog.bool_or(d.breached_at IS NOT NULL OR d.met_at > d.due_at
                                  OR (d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL AND d.due_at < pg_catalog.now()))
                   FILTER (WHERE d.kind = 'follow_up') AS follow_up_breached
          FROM complaint.deadline d
         WHERE d.complaint_id = c.id) dl ON true
 WHERE (SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]);
COMMENT ON VIEW complaint.v_complaints IS 'one row per complaint: labels in Chinese and English, level, deadlines as columns, missed-deadline flags, working-time age, food compensation; agents see their units, complaint_reader sees masked personal data';
COMMENT ON COLUMN complaint.v_complaints.id IS 'internal identifier (complaint.complaint.id)';
COMMENT ON COLUMN complaint.v_complaints.ref IS 'reference number <prefix>-<YYYYMM>-<serial>';
COMMENT ON COLUMN complaint.v_complaints.policy IS 'policy code (property, fuel_retail, food, after_sales, gift_supply or a company''s own)';
COMMENT ON COLUMN complaint.v_complaints.policy_zh IS 'policy name in Chinese';
COMMENT ON COLUMN complaint.v_complaints.policy_en IS 'policy name in English';
COMMENT ON COLUMN complaint.v_complaints.received_at IS 'when the complaint reached the company';
COMMENT ON COLUMN complaint.v_complaints.received_date IS 'local day of receipt in the policy calendar''s zone';
COMMENT ON COLUMN complaint.v_complaints.received_in_working_time IS 'true when received inside the working hours of the policy calendar';
COMMENT ON COLUMN complaint.v_complaints.channel IS 'how it arrived: phone, email, web, forum, letter, in_person, hotline, review, sales_feedback, regulator, other';
COMMENT ON COLUMN complaint.v_complaints.category IS 'complaint type (category code of the policy), NULL when not yet categorised';
COMMENT ON COLUMN complaint.v_complaints.category_zh IS 'complaint type in Chinese';
COMMENT ON COLUMN complaint.v_complaints.category_en IS 'complaint type in English';
COMMENT ON COLUMN complaint.v_complaints.category_parent IS 'the broader type this one refines (e.g. station_service for station_service_attitude), or NULL';
COMMENT ON COLUMN complaint.v_complaints.subject IS 'short description';
COMMENT ON COLUMN complaint.v_complaints.complainant IS 'who complains; for complaint_reader without complaint_pii a stable pseudonym (P-xxxxxxxxxx)';
COMMENT ON COLUMN complaint.v_complaints.contact IS 'contact details (personal data); masked for complaint_reader without complaint_pii';
COMMENT ON COLUMN complaint.v_complaints.customer_type IS 'kind of customer, e.g. owner, prospect';
COMMENT ON COLUMN complaint.v_complaints.unit IS 'responsible department, site or station';
COMMENT ON COLUMN complaint.v_complaints.handler IS 'person in charge (first-contact owner)';
COMMENT ON COLUMN complaint.v_complaints.collective_size IS 'number of people behind the complaint (collective complaint when more than 1)';
COMMENT ON COLUMN complaint.v_complaints.amount IS 'amount of money involved (yuan)';
COMMENT ON COLUMN complaint.v_complaints.validity IS 'ruling: effective, invalid or suggestion; NULL when not yet ruled';
COMMENT ON COLUMN complaint.v_complaints.validity_zh IS 'ruling in Chinese: 有效投诉, 无效投诉, 意见建议';
COMMENT ON COLUMN complaint.v_complaints.status IS 'workflow state (new, acknowledged, assigned, investigating, pending_info, proposed, escalated, external_review, accepted, follow_up, closed, rejected)';
COMMENT ON COLUMN complaint.v_complaints.status_zh IS 'workflow state in Chinese';
COMMENT ON COLUMN complaint.v_complaints.is_open IS 'true unless closed or rejected';
COMMENT ON COLUMN complaint.v_complaints.level IS 'severity level code chosen by the rules';
COMMENT ON COLUMN complaint.v_complaints.level_zh IS 'severity level in Chinese';
COMMENT ON COLUMN complaint.v_complaints.level_en IS 'severity level in English';
COMMENT ON COLUMN complaint.v_complaints.level_rank IS 'severity rank of the level within its policy: 1 is the least severe';
COMMENT ON COLUMN complaint.v_complaints.level_reasons IS 'why the rules chose the level, separated by "; "';
COMMENT ON COLUMN complaint.v_complaints.reopen_count IS 'how often the complaint was reopened after closing (二次投诉 when 1 or more)';
COMMENT ON COLUMN complaint.v_complaints.satisfaction IS 'customer satisfaction 1 (worst) to 5 (best) from the follow-up visit';
COMMENT ON COLUMN complaint.v_complaints.next_due_at IS 'earliest open deadline';
COMMENT ON COLUMN complaint.v_complaints.resolved_at IS 'when the customer accepted a solution (or the complaint was closed)';
COMMENT ON COLUMN complaint.v_complaints.closed_at IS 'when the complaint was closed; NULL while open';
COMMENT ON COLUMN complaint.v_complaints.age_days IS 'calendar days from receipt to closing (to now while open)';
COMMENT ON COLUMN complaint.v_complaints.age_working_hours IS 'working hours of the policy calendar from receipt to closing (to now while open)';
COMMENT ON COLUMN complaint.v_complaints.working_hours_to_close IS 'working hours from receipt to closing; NULL while open';
COMMENT ON COLUMN complaint.v_complaints.breached IS 'true when any deadline of the complaint was missed (breached, met late, or open past due)';
COMMENT ON COLUMN complaint.v_complaints.breached_kinds IS 'kinds of deadline recorded as breached by complaint.run_escalations, comma-separated';
COMMENT ON COLUMN complaint.v_complaints.open_deadlines IS 'number of deadlines still running (neither met nor cancelled)';
COMMENT ON COLUMN complaint.v_complaints.compensation_ratio IS 'compensation ratio of the level (food: A 10, B 2, C 1 gift packs per affected pack); NULL when the level has none';
COMMENT ON COLUMN complaint.v_complaints.compensation_packs IS 'compensation in gift packs: compensation_ratio x facts.quantity (default 1); NULL when the level has no ratio';
COMMENT ON COLUMN complaint.v_complaints.facts IS 'policy-specific facts as a JSON object (text)';
COMMENT ON COLUMN complaint.v_complaints.forward_due_at IS 'forward to the responsible person (转交责任人) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.forward_breached IS 'forward to the responsible person (转交责任人) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.acknowledge_due_at IS 'acknowledge (受理确认) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.acknowledge_breached IS 'acknowledge (受理确认) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.respond_due_at IS 'written answer (书面答复) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.respond_breached IS 'written answer (书面答复) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.initial_result_due_at IS 'initial handling result (初步处理结果) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.initial_result_breached IS 'initial handling result (初步处理结果) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.notify_due_at IS 'notification (通报) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.notify_breached IS 'notification (通报) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.station_handling_due_at IS 'station handling (油站处理) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.station_handling_breached IS 'station handling (油站处理) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.feedback_due_at IS 'investigation feedback (调查反馈) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.feedback_breached IS 'investigation feedback (调查反馈) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.confirm_with_customer_due_at IS 'confirmation with the customer (与客户确认) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.confirm_with_customer_breached IS 'confirmation with the customer (与客户确认) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.improve_due_at IS 'improvement plan (整改方案) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.improve_breached IS 'improvement plan (整改方案) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.transmit_due_at IS 'transmission to the responsible department (传递责任部门) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.transmit_breached IS 'transmission to the responsible department (传递责任部门) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.resolve_due_at IS 'resolution (解决) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.resolve_breached IS 'resolution (解决) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.dispatch_due_at IS 'field service arrival (上门服务) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.dispatch_breached IS 'field service arrival (上门服务) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.contact_due_at IS 'customer contact (联系客户) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.contact_breached IS 'customer contact (联系客户) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.investigate_due_at IS 'investigation result (调查结果) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.investigate_breached IS 'investigation result (调查结果) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.reply_due_at IS 'reply to the customer (答复客户) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.reply_breached IS 'reply to the customer (答复客户) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';
COMMENT ON COLUMN complaint.v_complaints.follow_up_due_at IS 'follow-up visit (回访) deadline: due time of the latest one (NULL: the complaint has none)';
COMMENT ON COLUMN complaint.v_complaints.follow_up_breached IS 'follow-up visit (回访) deadline missed: true when breached, met late or open past due; false when met in time or still in time; NULL: none';

------------------------------------------------------------------------ v_overdue
-- Open deadlines past due, now. A complaint with one has next_due_at (its earliest open,
-- unpaused deadline) in the past: the view starts from that index, so it costs what is
-- overdue, not the size of the table.
CREATE VIEW complaint.v_overdue WITH (security_barrier = true) AS
SELECT d.id AS deadline_id,
       c.id AS complaint_id,
       c.ref,
       c.policy,
       c.unit,
       c.handler,
       c.category,
       cat.name_zh AS category_zh,
       cat.name_en AS category_en,
       c.subject,
       c.status::text AS status,
       complaint._status_zh(c.status) AS status_zh,
       c.level,
       l.name_zh AS level_zh,
       l.name_en AS level_en,
       l.rank::bigint AS level_rank,
       c.received_at,
       d.kind,
       k.name_zh AS kind_zh,
       k.name_en AS kind_en,
       d.rule,
       d.occurrence::bigint AS occurrence,
       d.started_at,
       d.due_at,
       d.breached_at,
       complaint._hours(pg_catalog.now() - d.due_at) AS overdue_hours,
       complaint._hours(complaint.business_between(p.calendar, d.due_at, pg_catalog.now())) AS overdue_working_hours,
       (SELECT pg_catalog.count(*) FROM complaint.escalation e WHERE e.deadline_id = d.id) AS escalations,
       (SELECT pg_catalog.max(e.at) FROM complaint.escalation e WHERE e.deadline_id = d.id) AS last_escalation_at
  FROM complaint.complaint c
  JOIN complaint.deadline d ON d.complaint_id = c.id
  JOIN complaint.policy p ON p.code = c.policy
  LEFT JOIN complaint.deadline_kind k ON k.code = d.kind
  LEFT JOIN complaint.category cat ON cat.policy = c.policy AND cat.code = c.category
  LEFT JOIN complaint.level l ON l.policy = c.policy AND l.code = c.level
 WHERE c.next_due_at < pg_catalog.now()
   AND d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL
   AND d.due_at < pg_catalog.now()
   AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]));
COMMENT ON VIEW complaint.v_overdue IS 'one row per deadline that is running and past due now (not met, not cancelled, not paused), with how late it is and how often it was escalated';
COMMENT ON COLUMN complaint.v_overdue.deadline_id IS 'complaint.deadline.id';
COMMENT ON COLUMN complaint.v_overdue.complaint_id IS 'complaint.complaint.id';
COMMENT ON COLUMN complaint.v_overdue.ref IS 'reference number of the complaint';
COMMENT ON COLUMN complaint.v_overdue.policy IS 'policy code';
COMMENT ON COLUMN complaint.v_overdue.unit IS 'responsible department, site or station';
COMMENT ON COLUMN complaint.v_overdue.handler IS 'person in charge';
COMMENT ON COLUMN complaint.v_overdue.category IS 'complaint type code';
COMMENT ON COLUMN complaint.v_overdue.category_zh IS 'complaint type in Chinese';
COMMENT ON COLUMN complaint.v_overdue.category_en IS 'complaint type in English';
COMMENT ON COLUMN complaint.v_overdue.subject IS 'short description';
COMMENT ON COLUMN complaint.v_overdue.status IS 'workflow state';
COMMENT ON COLUMN complaint.v_overdue.status_zh IS 'workflow state in Chinese';
COMMENT ON COLUMN complaint.v_overdue.level IS 'severity level code';
COMMENT ON COLUMN complaint.v_overdue.level_zh IS 'severity level in Chinese';
COMMENT ON COLUMN complaint.v_overdue.level_en IS 'severity level in English';
COMMENT ON COLUMN complaint.v_overdue.level_rank IS 'severity rank: 1 is the least severe';
COMMENT ON COLUMN complaint.v_overdue.received_at IS 'when the complaint was received';
COMMENT ON COLUMN complaint.v_overdue.kind IS 'deadline kind (forward, respond, station_handling, resolve, ...)';
COMMENT ON COLUMN complaint.v_overdue.kind_zh IS 'deadline kind in Chinese';
COMMENT ON COLUMN complaint.v_overdue.kind_en IS 'deadline kind in English';
COMMENT ON COLUMN complaint.v_overdue.rule IS 'the SLA rule that opened the deadline';
COMMENT ON COLUMN complaint.v_overdue.occurrence IS '1, or the number of a repeated deadline (weekly progress reports)';
COMMENT ON COLUMN complaint.v_overdue.started_at IS 'when its clock started';
COMMENT ON COLUMN complaint.v_overdue.due_at IS 'when it was due';
COMMENT ON COLUMN complaint.v_overdue.breached_at IS 'when complaint.run_escalations recorded the breach (its due time); NULL when the sweep has not seen it yet';
COMMENT ON COLUMN complaint.v_overdue.overdue_hours IS 'hours since it was due';
COMMENT ON COLUMN complaint.v_overdue.overdue_working_hours IS 'working hours of the policy calendar since it was due';
COMMENT ON COLUMN complaint.v_overdue.escalations IS 'escalation steps applied to it so far (reminders, notifications, fines)';
COMMENT ON COLUMN complaint.v_overdue.last_escalation_at IS 'when the last escalation step was applied; NULL when none';

------------------------------------------------------------------------ v_daily_report
-- 投诉情况日报表: one row per policy and local day, from the first to the last day with a
-- complaint received. Filter on day (and policy): only those days are computed.
CREATE VIEW complaint.v_daily_report WITH (security_barrier = true) AS
SELECT p.code AS policy,
       p.name_zh AS policy_zh,
       p.name_en AS policy_en,
       s.day,
       r.received, r.received_effective, r.collective, r.severe, r.closed, r.closed_effective, r.open_at_end,
       r.overdue, r.closure_rate, r.mean_working_hours_to_close, r.p90_working_hours_to_close, r.repeat,
       r.received_outside_hours,
       r.severe_received
  FROM complaint.policy p
  JOIN complaint.calendar cal ON cal.name = p.calendar
 CROSS JOIN LATERAL (
        SELECT pg_catalog.min(x.received_at) AS first_at, pg_catalog.max(x.received_at) AS last_at,
               (SELECT pg_catalog.min(lv.rank) FROM complaint.level lv WHERE lv.policy = p.code) AS lowest_rank
          FROM complaint.complaint x WHERE x.policy = p.code) e
 CROSS JOIN LATERAL (
        SELECT g::date AS day, g AT TIME ZONE cal.tz AS t0, (g + interval '1 day') AT TIME ZONE cal.tz AS t1
          FROM pg_catalog.generate_series(pg_catalog.date_trunc('day', e.first_at AT TIME ZONE cal.tz),
                                          pg_catalog.date_trunc('day', e.last_at AT TIME ZONE cal.tz), interval '1 day') g) s
 CROSS JOIN LATERAL (
        SELECT pg_catalog.count(*) FILTER (WHERE f.k = 'r') AS received,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.validity = 'effective') AS received_effective,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.collective_size > 1) AS collective,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND fl.rank > e.lowest_rank) AS severe,
               pg_catalog.count(*) FILTER (WHERE f.k = 'c') AS closed,
               pg_catalog.count(*) FILTER (WHERE f.k = 'c' AND f.validity = 'effective') AS closed_effective,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.status <> 'rejected'
                                           AND (f.closed_at IS NULL OR f.closed_at >= s.t1)) AS open_at_end,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND pg_catalog.cardinality(f.breached) > 0) AS overdue,
               pg_catalog.round(pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.validity = 'effective' AND f.closed_at < s.t1)::numeric
                     / NULLIF(pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.validity = 'effective'), 0), 4) AS closure_rate,
               pg_catalog.round(pg_catalog.avg(f.hours), 2) AS mean_working_hours_to_close,
               pg_catalog.round(pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY f.hours)::numeric, 2) AS p90_working_hours_to_close,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND (f.reopen_count > 0 OR CASE WHEN f.category IS NULL THEN EXISTS (
                            SELECT 1 FROM complaint.complaint x
                             WHERE x.policy = p.code AND x.complainant = f.complainant COLLATE "C" AND x.category IS NULL
                               AND x.received_at >= f.received_at - interval '30 days' AND x.received_at < f.received_at)
                          ELSE EXISTS (
                            SELECT 1 FROM complaint.complaint x
                             WHERE x.policy = p.code AND x.complainant = f.complainant COLLATE "C" AND x.category = f.category COLLATE "C"
                               AND x.received_at >= f.received_at - interval '30 days' AND x.received_at < f.received_at) END)) AS repeat,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND NOT complaint.is_business_time(p.calendar, f.received_at)) AS received_outside_hours,
               pg_catalog.string_agg(f.ref || ' ' || f.level || ': ' || f.subject, E'\n' ORDER BY fl.rank DESC, f.ref)
                   FILTER (WHERE f.k = 'r' AND fl.rank > e.lowest_rank) AS severe_received
          FROM (
                SELECT 'r'::text AS k, c.category, c.level, c.validity, c.received_at, c.closed_at, c.status,
                       c.breached, c.reopen_count, c.collective_size, c.complainant, c.id, c.ref, c.subject,
                       NULL::numeric AS hours
                  FROM complaint.complaint c
                 WHERE c.policy = p.code AND c.received_at >= s.t0 AND c.received_at < s.t1
                   AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]))
                UNION ALL
                SELECT 'c'::text, c.category, c.level, c.validity, c.received_at, c.closed_at, c.status,
                       c.breached, c.reopen_count, c.collective_size, c.complainant, c.id, c.ref, c.subject,
                       complaint._hours(complaint.business_between(p.calendar, c.received_at, c.closed_at))
                  FROM complaint.complaint c
                 WHERE c.policy = p.code AND c.closed_at >= s.t0 AND c.closed_at < s.t1
                   AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]))) f
          LEFT JOIN complaint.level fl ON fl.policy = p.code AND fl.code = f.level) r;
COMMENT ON VIEW complaint.v_daily_report IS '投诉情况日报表 daily report: per policy and local day, complaints received (outside working hours, collective, severe), closed, open at the end, overdue, closure rate, time to close, repeats';
COMMENT ON COLUMN complaint.v_daily_report.policy IS 'policy code';
COMMENT ON COLUMN complaint.v_daily_report.policy_zh IS 'policy name in Chinese';
COMMENT ON COLUMN complaint.v_daily_report.policy_en IS 'policy name in English';
COMMENT ON COLUMN complaint.v_daily_report.day IS 'the local day (policy calendar''s zone)';
COMMENT ON COLUMN complaint.v_daily_report.received IS 'complaints received in the period';
COMMENT ON COLUMN complaint.v_daily_report.received_effective IS 'of those, ruled effective (有效投诉)';
COMMENT ON COLUMN complaint.v_daily_report.collective IS 'of those, collective complaints (more than 1 person)';
COMMENT ON COLUMN complaint.v_daily_report.severe IS 'of those, at a level above the policy''s least severe (e.g. property important, hot, major)';
COMMENT ON COLUMN complaint.v_daily_report.closed IS 'complaints closed in the period, whenever received';
COMMENT ON COLUMN complaint.v_daily_report.closed_effective IS 'of those, effective';
COMMENT ON COLUMN complaint.v_daily_report.open_at_end IS 'complaints received in the period and neither closed nor rejected by its end';
COMMENT ON COLUMN complaint.v_daily_report.overdue IS 'complaints received in the period with a deadline recorded as breached (complaint.run_escalations)';
COMMENT ON COLUMN complaint.v_daily_report.closure_rate IS 'closure rate of effective complaints (投诉关闭率): effective complaints received in the period and closed by its end / effective complaints received in it; 0..1, NULL when none';
COMMENT ON COLUMN complaint.v_daily_report.mean_working_hours_to_close IS 'mean working hours (policy calendar) from receipt to closing, over the complaints closed in the period';
COMMENT ON COLUMN complaint.v_daily_report.p90_working_hours_to_close IS '90th percentile (interpolated) of the working hours from receipt to closing, over the complaints closed in the period';
COMMENT ON COLUMN complaint.v_daily_report.repeat IS 'repeat complaints received in the period: reopened (二次投诉), or the same complainant complained about the same type in the 30 days before';
COMMENT ON COLUMN complaint.v_daily_report.received_outside_hours IS 'complaints received that day outside the working hours of the policy calendar (or on a non-working day)';
COMMENT ON COLUMN complaint.v_daily_report.severe_received IS 'the severe complaints received that day, one per line: reference, level, subject';

------------------------------------------------------------------------ v_semimonthly_report
-- Semi-monthly report: the 1st to the 15th (due by the 18th of the month) and the 16th to
-- the end of the month (due by the 3rd of the next month, with the monthly report).
CREATE VIEW complaint.v_semimonthly_report WITH (security_barrier = true) AS
SELECT p.code AS policy,
       p.name_zh AS policy_zh,
       p.name_en AS policy_en,
       s.period_start,
       s.period_end,
       s.half,
       s.due_by,
       r.received, r.received_effective, r.collective, r.severe, r.closed, r.closed_effective, r.open_at_end,
       r.overdue, r.closure_rate, r.mean_working_hours_to_close, r.p90_working_hours_to_close, r.repeat,
       r.notable_closed
  FROM complaint.policy p
  JOIN complaint.calendar cal ON cal.name = p.calendar
 CROSS JOIN LATERAL (
        SELECT pg_catalog.min(x.received_at) AS first_at, pg_catalog.max(x.received_at) AS last_at,
               (SELECT pg_catalog.min(lv.rank) FROM complaint.level lv WHERE lv.policy = p.code) AS lowest_rank
          FROM complaint.complaint x WHERE x.policy = p.code) e
 CROSS JOIN LATERAL (
        SELECT (m + h.o)::date AS period_start,
               (CASE h.half WHEN 1 THEN m + interval '14 days' ELSE m + interval '1 month' - interval '1 day' END)::date AS period_end,
               h.half::bigint AS half,
               (CASE h.half WHEN 1 THEN m + interval '17 days' ELSE m + interval '1 month 2 days' END)::date AS due_by,
               (m + h.o) AT TIME ZONE cal.tz AS t0,
               (CASE h.half WHEN 1 THEN m + interval '15 days' ELSE m + interval '1 month' END) AT TIME ZONE cal.tz AS t1
          FROM pg_catalog.generate_series(pg_catalog.date_trunc('month', e.first_at AT TIME ZONE cal.tz),
                                          pg_catalog.date_trunc('month', e.last_at AT TIME ZONE cal.tz), interval '1 month') m,
               (VALUES (1, interval '0'), (2, interval '15 days')) h (half, o)) s
 CROSS JOIN LATERAL (
        SELECT pg_catalog.count(*) FILTER (WHERE f.k = 'r') AS received,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.validity = 'effective') AS received_effective,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.collective_size > 1) AS collective,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND fl.rank > e.lowest_rank) AS severe,
               pg_catalog.count(*) FILTER (WHERE f.k = 'c') AS closed,
               pg_catalog.count(*) FILTER (WHERE f.k = 'c' AND f.validity = 'effective') AS closed_effective,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.status <> 'rejected'
                                           AND (f.closed_at IS NULL OR f.closed_at >= s.t1)) AS open_at_end,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND pg_catalog.cardinality(f.breached) > 0) AS overdue,
               pg_catalog.round(pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.validity = 'effective' AND f.closed_at < s.t1)::numeric
                     / NULLIF(pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.validity = 'effective'), 0), 4) AS closure_rate,
               pg_catalog.round(pg_catalog.avg(f.hours), 2) AS mean_working_hours_to_close,
               pg_catalog.round(pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY f.hours)::numeric, 2) AS p90_working_hours_to_close,
               pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND (f.reopen_count > 0 OR CASE WHEN f.category IS NULL THEN EXISTS (
                            SELECT 1 FROM complaint.complaint x
                             WHERE x.policy = p.code AND x.complainant = f.complainant COLLATE "C" AND x.category IS NULL
                               AND x.received_at >= f.received_at - interval '30 days' AND x.received_at < f.received_at)
                          ELSE EXISTS (
                            SELECT 1 FROM complaint.complaint x
                             WHERE x.policy = p.code AND x.complainant = f.complainant COLLATE "C" AND x.category = f.category COLLATE "C"
                               AND x.received_at >= f.received_at - interval '30 days' AND x.received_at < f.received_at) END)) AS repeat,
               pg_catalog.string_agg(f.ref || ' ' || f.level || ': ' || f.subject, E'\n' ORDER BY fl.rank DESC, f.ref)
                   FILTER (WHERE f.k = 'c' AND fl.rank > e.lowest_rank) AS notable_closed
          FROM (
                SELECT 'r'::text AS k, c.category, c.level, c.validity, c.received_at, c.closed_at, c.status,
                       c.breached, c.reopen_count, c.collective_size, c.complainant, c.id, c.ref, c.subject,
                       NULL::numeric AS hours
                  FROM complaint.complaint c
                 WHERE c.policy = p.code AND c.received_at >= s.t0 AND c.received_at < s.t1
                   AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]))
                UNION ALL
                SELECT 'c'::text, c.category, c.level, c.validity, c.received_at, c.closed_at, c.status,
                       c.breached, c.reopen_count, c.collective_size, c.complainant, c.id, c.ref, c.subject,
                       complaint._hours(complaint.business_between(p.calendar, c.received_at, c.closed_at))
                  FROM complaint.complaint c
                 WHERE c.policy = p.code AND c.closed_at >= s.t0 AND c.closed_at < s.t1
                   AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]))) f
          LEFT JOIN complaint.level fl ON fl.policy = p.code AND fl.code = f.level) r;
COMMENT ON VIEW complaint.v_semimonthly_report IS 'semi-monthly report (半月报): per policy, the 1st-15th (due by the 18th) and the 16th-end of month (due by the 3rd of the next month); counts, closure rate, time to close, and the severe complaints closed in the period listed individually';
COMMENT ON COLUMN complaint.v_semimonthly_report.policy IS 'policy code';
COMMENT ON COLUMN complaint.v_semimonthly_report.policy_zh IS 'policy name in Chinese';
COMMENT ON COLUMN complaint.v_semimonthly_report.policy_en IS 'policy name in English';
COMMENT ON COLUMN complaint.v_semimonthly_report.period_start IS 'first local day of the period (the 1st or the 16th)';
COMMENT ON COLUMN complaint.v_semimonthly_report.period_end IS 'last local day of the period (the 15th or the last day of the month)';
COMMENT ON COLUMN complaint.v_semimonthly_report.half IS '1 for the 1st-15th, 2 for the 16th to the end of the month';
COMMENT ON COLUMN complaint.v_semimonthly_report.due_by IS 'the report is due by this day: the 18th for the first half, the 3rd of the next month for the second';
COMMENT ON COLUMN complaint.v_semimonthly_report.received IS 'complaints received in the period';
COMMENT ON COLUMN complaint.v_semimonthly_report.received_effective IS 'of those, ruled effective (有效投诉)';
COMMENT ON COLUMN complaint.v_semimonthly_report.collective IS 'of those, collective complaints (more than 1 person)';
COMMENT ON COLUMN complaint.v_semimonthly_report.severe IS 'of those, at a level above the policy''s least severe (e.g. property important, hot, major)';
COMMENT ON COLUMN complaint.v_semimonthly_report.closed IS 'complaints closed in the period, whenever received';
COMMENT ON COLUMN complaint.v_semimonthly_report.closed_effective IS 'of those, effective';
COMMENT ON COLUMN complaint.v_semimonthly_report.open_at_end IS 'complaints received in the period and neither closed nor rejected by its end';
COMMENT ON COLUMN complaint.v_semimonthly_report.overdue IS 'complaints received in the period with a deadline recorded as breached (complaint.run_escalations)';
COMMENT ON COLUMN complaint.v_semimonthly_report.closure_rate IS 'closure rate of effective complaints (投诉关闭率): effective complaints received in the period and closed by its end / effective complaints received in it; 0..1, NULL when none';
COMMENT ON COLUMN complaint.v_semimonthly_report.mean_working_hours_to_close IS 'mean working hours (policy calendar) from receipt to closing, over the complaints closed in the period';
COMMENT ON COLUMN complaint.v_semimonthly_report.p90_working_hours_to_close IS '90th percentile (interpolated) of the working hours from receipt to closing, over the complaints closed in the period';
COMMENT ON COLUMN complaint.v_semimonthly_report.repeat IS 'repeat complaints received in the period: reopened (二次投诉), or the same complainant complained about the same type in the 30 days before';
COMMENT ON COLUMN complaint.v_semimonthly_report.notable_closed IS 'the severe complaints closed in the period, listed individually (one per line: reference, level, subject)';

------------------------------------------------------------------------ v_monthly_report
-- Monthly report, due by the 3rd of the next month: per policy and month, the total and
-- the breakdowns by category, by level and by both (column breakdown says which).
CREATE VIEW complaint.v_monthly_report WITH (security_barrier = true) AS
SELECT p.code AS policy,
       p.name_zh AS policy_zh,
       p.name_en AS policy_en,
       s.month,
       s.due_by,
       r.breakdown,
       r.category,
       cat.name_zh AS category_zh,
       cat.name_en AS category_en,
       r.level,
       lv.name_zh AS level_zh,
       lv.name_en AS level_en,
       lv.rank::bigint AS level_rank,
       r.received, r.received_effective, r.collective, r.severe, r.closed, r.closed_effective, r.open_at_end,
       r.overdue, r.closure_rate, r.mean_working_hours_to_close, r.p90_working_hours_to_close, r.repeat
  FROM complaint.policy p
  JOIN complaint.calendar cal ON cal.name = p.calendar
 CROSS JOIN LATERAL (
        SELECT pg_catalog.min(x.received_at) AS first_at, pg_catalog.max(x.received_at) AS last_at,
               (SELECT pg_catalog.min(lv.rank) FROM complaint.level lv WHERE lv.policy = p.code) AS lowest_rank
          FROM complaint.complaint x WHERE x.policy = p.code) e
 CROSS JOIN LATERAL (
        SELECT m::date AS month, (m + interval '1 month 2 days')::date AS due_by,
               m AT TIME ZONE cal.tz AS t0, (m + interval '1 month') AT TIME ZONE cal.tz AS t1
          FROM pg_catalog.generate_series(pg_catalog.date_trunc('month', e.first_at AT TIME ZONE cal.tz),
                                          pg_catalog.date_trunc('month', e.last_at AT TIME ZONE cal.tz), interval '1 month') m) s
 CROSS JOIN LATERAL (
        -- Two stages: the month's complaints are counted once per (category, level) (one hash
        -- aggregation, every flag evaluated once per row); the four breakdowns then add up
        -- those few dozen groups. The working hours to close travel as one array per group,
        -- concatenated per breakdown row for its percentile.
        SELECT CASE WHEN GROUPING(g.category, g.level) = 0 THEN 'category_level'
                    WHEN GROUPING(g.category) = 0 THEN 'category'
                    WHEN GROUPING(g.level) = 0 THEN 'level'
                    ELSE 'total' END AS breakdown,
               g.category, g.level,
               coalesce(pg_catalog.sum(g.received), 0)::bigint AS received,
               coalesce(pg_catalog.sum(g.received_effective), 0)::bigint AS received_effective,
               coalesce(pg_catalog.sum(g.collective), 0)::bigint AS collective,
               coalesce(pg_catalog.sum(g.received) FILTER (WHERE fl.rank > e.lowest_rank), 0)::bigint AS severe,
               coalesce(pg_catalog.sum(g.closed), 0)::bigint AS closed,
               coalesce(pg_catalog.sum(g.closed_effective), 0)::bigint AS closed_effective,
               coalesce(pg_catalog.sum(g.open_at_end), 0)::bigint AS open_at_end,
               coalesce(pg_catalog.sum(g.overdue), 0)::bigint AS overdue,
               pg_catalog.round(pg_catalog.sum(g.effective_closed_in_time)
                                / NULLIF(pg_catalog.sum(g.received_effective), 0), 4) AS closure_rate,
               pg_catalog.round(pg_catalog.sum(g.hours_sum) / NULLIF(pg_catalog.sum(g.hours_n), 0), 2) AS mean_working_hours_to_close,
               (SELECT pg_catalog.round(pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY u)::numeric, 2)
                  FROM pg_catalog.unnest(complaint._array_concat(g.hours)) u) AS p90_working_hours_to_close,
               coalesce(pg_catalog.sum(g.repeat), 0)::bigint AS repeat
          FROM (
                SELECT f.category, f.level,
                       pg_catalog.count(*) FILTER (WHERE f.k = 'r') AS received,
                       pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.effective) AS received_effective,
                       pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.collective) AS collective,
                       pg_catalog.count(*) FILTER (WHERE f.k = 'c') AS closed,
                       pg_catalog.count(*) FILTER (WHERE f.k = 'c' AND f.effective) AS closed_effective,
                       pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.open_at_end) AS open_at_end,
                       pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.overdue) AS overdue,
                       pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.effective AND f.closed_in_time) AS effective_closed_in_time,
                       pg_catalog.sum(f.hours) AS hours_sum,
                       pg_catalog.count(f.hours) AS hours_n,
                       pg_catalog.array_agg(f.hours::float8) FILTER (WHERE f.k = 'c') AS hours,
                       pg_catalog.count(*) FILTER (WHERE f.k = 'r' AND f.is_repeat) AS repeat
                  FROM (
                        -- complaints received in the month, each reduced to the flags the counts need
                        SELECT 'r'::text AS k, c.category, c.level, c.validity = 'effective' AS effective,
                               c.collective_size > 1 AS collective,
                               c.status <> 'rejected' AND (c.closed_at IS NULL OR c.closed_at >= s.t1) AS open_at_end,
                               pg_catalog.cardinality(c.breached) > 0 AS overdue,
                               c.closed_at < s.t1 AS closed_in_time,
                               -- a repeat: reopened, or an earlier complaint (any unit) of the same
                               -- complainant and type in the 30 days before (an index-only probe of
                               -- complaint_policy_complainant)
                               (c.reopen_count > 0 OR CASE WHEN c.category IS NULL THEN EXISTS (
                                    SELECT 1 FROM complaint.complaint x
                                     WHERE x.policy = p.code AND x.complainant = c.complainant COLLATE "C" AND x.category IS NULL
                                       AND x.received_at >= c.received_at - interval '30 days' AND x.received_at < c.received_at)
                                  ELSE EXISTS (
                                    SELECT 1 FROM complaint.complaint x
                                     WHERE x.policy = p.code AND x.complainant = c.complainant COLLATE "C" AND x.category = c.category COLLATE "C"
                                       AND x.received_at >= c.received_at - interval '30 days' AND x.received_at < c.received_at) END) AS is_repeat,
                               NULL::numeric AS hours
                          FROM complaint.complaint c
                         WHERE c.policy = p.code AND c.received_at >= s.t0 AND c.received_at < s.t1
                           AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]))
                        UNION ALL
                        -- complaints closed in the month, with their working time to close
                        SELECT 'c'::text, c.category, c.level, c.validity = 'effective', NULL, NULL, NULL, NULL, NULL,
                               complaint._hours(complaint.business_between(p.calendar, c.received_at, c.closed_at))
                          FROM complaint.complaint c
                         WHERE c.policy = p.code AND c.closed_at >= s.t0 AND c.closed_at < s.t1
                           AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]))) f
                 GROUP BY f.category, f.level) g
          LEFT JOIN complaint.level fl ON fl.policy = p.code AND fl.code = g.level
         GROUP BY GROUPING SETS ((), (g.category), (g.level), (g.category, g.level))) r
  LEFT JOIN complaint.category cat ON cat.policy = p.code AND cat.code = r.category
  LEFT JOIN complaint.level lv ON lv.policy = p.code AND lv.code = r.level;
COMMENT ON VIEW complaint.v_monthly_report IS 'monthly report (月报, due by the 3rd of the next month): per policy and month, received / closed / open at the end / overdue, closure rate of effective complaints, mean and p90 working time to close, repeat complaints; in total and by category, by level and by both';
COMMENT ON COLUMN complaint.v_monthly_report.policy IS 'policy code';
COMMENT ON COLUMN complaint.v_monthly_report.policy_zh IS 'policy name in Chinese';
COMMENT ON COLUMN complaint.v_monthly_report.policy_en IS 'policy name in English';
COMMENT ON COLUMN complaint.v_monthly_report.month IS 'first local day of the month (policy calendar''s zone)';
COMMENT ON COLUMN complaint.v_monthly_report.due_by IS 'the report is due by this day: the 3rd of the next month';
COMMENT ON COLUMN complaint.v_monthly_report.breakdown IS 'total (one row per month), category, level, or category_level: which of category and level the row is broken down by';
COMMENT ON COLUMN complaint.v_monthly_report.category IS 'complaint type code of a category or category_level row (NULL there: not categorised); NULL in total and level rows';
COMMENT ON COLUMN complaint.v_monthly_report.category_zh IS 'complaint type in Chinese';
COMMENT ON COLUMN complaint.v_monthly_report.category_en IS 'complaint type in English';
COMMENT ON COLUMN complaint.v_monthly_report.level IS 'severity level code of a level or category_level row (the complaint''s current level); NULL in total and category rows';
COMMENT ON COLUMN complaint.v_monthly_report.level_zh IS 'severity level in Chinese';
COMMENT ON COLUMN complaint.v_monthly_report.level_en IS 'severity level in English';
COMMENT ON COLUMN complaint.v_monthly_report.level_rank IS 'severity rank of the level: 1 is the least severe';
COMMENT ON COLUMN complaint.v_monthly_report.received IS 'complaints received in the period';
COMMENT ON COLUMN complaint.v_monthly_report.received_effective IS 'of those, ruled effective (有效投诉)';
COMMENT ON COLUMN complaint.v_monthly_report.collective IS 'of those, collective complaints (more than 1 person)';
COMMENT ON COLUMN complaint.v_monthly_report.severe IS 'of those, at a level above the policy''s least severe (e.g. property important, hot, major)';
COMMENT ON COLUMN complaint.v_monthly_report.closed IS 'complaints closed in the period, whenever received';
COMMENT ON COLUMN complaint.v_monthly_report.closed_effective IS 'of those, effective';
COMMENT ON COLUMN complaint.v_monthly_report.open_at_end IS 'complaints received in the period and neither closed nor rejected by its end';
COMMENT ON COLUMN complaint.v_monthly_report.overdue IS 'complaints received in the period with a deadline recorded as breached (complaint.run_escalations)';
COMMENT ON COLUMN complaint.v_monthly_report.closure_rate IS 'closure rate of effective complaints (投诉关闭率): effective complaints received in the period and closed by its end / effective complaints received in it; 0..1, NULL when none';
COMMENT ON COLUMN complaint.v_monthly_report.mean_working_hours_to_close IS 'mean working hours (policy calendar) from receipt to closing, over the complaints closed in the period';
COMMENT ON COLUMN complaint.v_monthly_report.p90_working_hours_to_close IS '90th percentile (interpolated) of the working hours from receipt to closing, over the complaints closed in the period';
COMMENT ON COLUMN complaint.v_monthly_report.repeat IS 'repeat complaints received in the period: reopened (二次投诉), or the same complainant complained about the same type in the 30 days before';

------------------------------------------------------------------------ v_handler_scorecard
-- The quarterly appraisal of the property policy (and a useful figure for every policy):
-- closure rate of effective complaints per handler. A complaint counts in the quarter it
-- was received, for its current handler.
CREATE VIEW complaint.v_handler_scorecard WITH (security_barrier = true) AS
SELECT p.code AS policy,
       s.quarter,
       s.quarter_label,
       h.handler,
       h.units,
       h.complaints,
       h.effective,
       h.closed_effective,
       h.closure_rate,
       pg_catalog.rank() OVER (PARTITION BY p.code, s.quarter ORDER BY h.closure_rate DESC NULLS LAST, h.effective DESC)::bigint AS closure_rank,
       h.overdue,
       h.reopened,
       h.mean_working_hours_to_close,
       h.mean_satisfaction
  FROM complaint.policy p
  JOIN complaint.calendar cal ON cal.name = p.calendar
 CROSS JOIN LATERAL (
        SELECT pg_catalog.min(x.received_at) AS first_at, pg_catalog.max(x.received_at) AS last_at
          FROM complaint.complaint x WHERE x.policy = p.code) e
 CROSS JOIN LATERAL (
        SELECT q::date AS quarter,
               pg_catalog.to_char(q, 'YYYY "Q"Q') AS quarter_label,
               q AT TIME ZONE cal.tz AS t0, (q + interval '3 months') AT TIME ZONE cal.tz AS t1
          FROM pg_catalog.generate_series(pg_catalog.date_trunc('quarter', e.first_at AT TIME ZONE cal.tz),
                                          pg_catalog.date_trunc('quarter', e.last_at AT TIME ZONE cal.tz), interval '3 months') q) s
 CROSS JOIN LATERAL (
        SELECT c.handler,
               pg_catalog.string_agg(DISTINCT c.unit, ', ') AS units,
               pg_catalog.count(*) AS complaints,
               pg_catalog.count(*) FILTER (WHERE c.validity = 'effective') AS effective,
               pg_catalog.count(*) FILTER (WHERE c.validity = 'effective' AND c.closed_at < s.t1) AS closed_effective,
               pg_catalog.round(pg_catalog.count(*) FILTER (WHERE c.validity = 'effective' AND c.closed_at < s.t1)::numeric
                     / NULLIF(pg_catalog.count(*) FILTER (WHERE c.validity = 'effective'), 0), 4) AS closure_rate,
               pg_catalog.count(*) FILTER (WHERE pg_catalog.cardinality(c.breached) > 0) AS overdue,
               pg_catalog.count(*) FILTER (WHERE c.reopen_count > 0) AS reopened,
               pg_catalog.round(pg_catalog.avg(complaint._hours(complaint.business_between(p.calendar, c.received_at, c.closed_at))), 2) AS mean_working_hours_to_close,
               pg_catalog.round(pg_catalog.avg(c.satisfaction), 2) AS mean_satisfaction
          FROM complaint.complaint c
         WHERE c.policy = p.code AND c.received_at >= s.t0 AND c.received_at < s.t1 AND c.handler IS NOT NULL
           AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]))
         GROUP BY c.handler) h;
COMMENT ON VIEW complaint.v_handler_scorecard IS 'quarterly appraisal per handler: closure rate of effective complaints (投诉关闭率) and its rank within the policy, breaches, reopenings, time to close, satisfaction; complaints count in the quarter they were received';
COMMENT ON COLUMN complaint.v_handler_scorecard.policy IS 'policy code';
COMMENT ON COLUMN complaint.v_handler_scorecard.quarter IS 'first local day of the quarter (policy calendar''s zone)';
COMMENT ON COLUMN complaint.v_handler_scorecard.quarter_label IS 'the quarter as text, e.g. 2026 Q1';
COMMENT ON COLUMN complaint.v_handler_scorecard.handler IS 'person in charge (complaint.complaint.handler)';
COMMENT ON COLUMN complaint.v_handler_scorecard.units IS 'units of the handler''s complaints in the quarter, comma-separated';
COMMENT ON COLUMN complaint.v_handler_scorecard.complaints IS 'complaints received in the quarter with this handler';
COMMENT ON COLUMN complaint.v_handler_scorecard.effective IS 'of those, ruled effective';
COMMENT ON COLUMN complaint.v_handler_scorecard.closed_effective IS 'effective ones closed by the end of the quarter';
COMMENT ON COLUMN complaint.v_handler_scorecard.closure_rate IS 'closure rate of effective complaints: closed_effective / effective, 0..1 (4 decimals); NULL when no effective complaint';
COMMENT ON COLUMN complaint.v_handler_scorecard.closure_rank IS 'rank of the handler by closure rate within the policy and quarter (1 = best; ties by more effective complaints)';
COMMENT ON COLUMN complaint.v_handler_scorecard.overdue IS 'complaints with a deadline recorded as breached';
COMMENT ON COLUMN complaint.v_handler_scorecard.reopened IS 'complaints reopened after closing at least once';
COMMENT ON COLUMN complaint.v_handler_scorecard.mean_working_hours_to_close IS 'mean working hours from receipt to closing of the closed ones';
COMMENT ON COLUMN complaint.v_handler_scorecard.mean_satisfaction IS 'mean customer satisfaction (1-5) where recorded';

------------------------------------------------------------------------ v_repeat_complaints
-- Repeat complaints: reopened after closing (二次投诉), or the same complainant complained
-- about the same type (same policy and category) in the 30 days before.
CREATE VIEW complaint.v_repeat_complaints WITH (security_barrier = true) AS
SELECT c.id AS complaint_id,
       c.ref,
       c.policy,
       c.received_at,
       CASE WHEN (SELECT complaint._bi_sees_pii()) THEN c.complainant ELSE complaint._pseudonym(c.complainant) END AS complainant,
       c.category,
       cat.name_zh AS category_zh,
       cat.name_en AS category_en,
       c.unit,
       c.handler,
       c.level,
       c.status::text AS status,
       c.reopen_count::bigint AS reopen_count,
       CASE WHEN c.reopen_count > 0 AND prev.ref IS NOT NULL THEN 'both'
            WHEN c.reopen_count > 0 THEN 'reopened' ELSE 'same_complainant' END AS repeat_kind,
       prev.ref AS previous_ref,
       prev.received_at AS previous_received_at,
       pg_catalog.round(EXTRACT(epoch FROM c.received_at - prev.received_at) / 86400, 2) AS days_since_previous,
       prev.status::text AS previous_status
  FROM complaint.complaint c
  LEFT JOIN complaint.category cat ON cat.policy = c.policy AND cat.code = c.category
  LEFT JOIN LATERAL (
        SELECT x.ref, x.received_at, x.status
          FROM complaint.complaint x
         WHERE x.policy = c.policy AND x.complainant = c.complainant COLLATE "C"
           AND x.received_at < c.received_at AND x.received_at >= c.received_at - interval '30 days'
           AND x.category IS NOT DISTINCT FROM c.category AND x.id <> c.id
         ORDER BY x.received_at DESC, x.id DESC
         LIMIT 1) prev ON true
 WHERE (c.reopen_count > 0 OR prev.ref IS NOT NULL)
   AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]));
COMMENT ON VIEW complaint.v_repeat_complaints IS 'repeat complaints: reopened after closing (二次投诉), or from a complainant who complained about the same type in the 30 days before (with that earlier complaint)';
COMMENT ON COLUMN complaint.v_repeat_complaints.complaint_id IS 'complaint.complaint.id of the repeat complaint';
COMMENT ON COLUMN complaint.v_repeat_complaints.ref IS 'reference number of the repeat complaint';
COMMENT ON COLUMN complaint.v_repeat_complaints.policy IS 'policy code';
COMMENT ON COLUMN complaint.v_repeat_complaints.received_at IS 'when the repeat complaint was received';
COMMENT ON COLUMN complaint.v_repeat_complaints.complainant IS 'who complains; a stable pseudonym for complaint_reader without complaint_pii';
COMMENT ON COLUMN complaint.v_repeat_complaints.category IS 'complaint type code';
COMMENT ON COLUMN complaint.v_repeat_complaints.category_zh IS 'complaint type in Chinese';
COMMENT ON COLUMN complaint.v_repeat_complaints.category_en IS 'complaint type in English';
COMMENT ON COLUMN complaint.v_repeat_complaints.unit IS 'responsible department, site or station';
COMMENT ON COLUMN complaint.v_repeat_complaints.handler IS 'person in charge';
COMMENT ON COLUMN complaint.v_repeat_complaints.level IS 'severity level code';
COMMENT ON COLUMN complaint.v_repeat_complaints.status IS 'workflow state';
COMMENT ON COLUMN complaint.v_repeat_complaints.reopen_count IS 'how often it was reopened after closing';
COMMENT ON COLUMN complaint.v_repeat_complaints.repeat_kind IS 'reopened, same_complainant, or both';
COMMENT ON COLUMN complaint.v_repeat_complaints.previous_ref IS 'the latest earlier complaint of the same complainant and type within 30 days; NULL for a reopening only';
COMMENT ON COLUMN complaint.v_repeat_complaints.previous_received_at IS 'when that earlier complaint was received';
COMMENT ON COLUMN complaint.v_repeat_complaints.days_since_previous IS 'days between the earlier complaint and this one';
COMMENT ON COLUMN complaint.v_repeat_complaints.previous_status IS 'workflow state of the earlier complaint now';

------------------------------------------------------------------------ v_penalties
-- The penalty ledger (fuel_retail): one row per complaint, rule and role, with the person
-- who pays and the share of the fine that role bears.
CREATE VIEW complaint.v_penalties WITH (security_barrier = true) AS
SELECT pe.id AS penalty_id,
       pe.complaint_id,
       c.ref,
       pe.policy,
       pe.unit,
       st.district,
       c.level,
       pe.booked_at,
       (pe.booked_at AT TIME ZONE cal.tz)::date AS booked_date,
       pe.source,
       pe.rule,
       pe.role,
       CASE pe.role WHEN 'direct' THEN '直接责任人' WHEN 'station_manager' THEN '站长'
                    WHEN 'district_manager' THEN '片区经理' WHEN 'district' THEN '片区' END AS role_zh,
       pe.person,
       pe.amount::numeric AS amount,
       CASE WHEN pe.source = 'confirmation' THEN pr.fine::numeric END AS fine_total,
       CASE WHEN pe.source = 'confirmation' AND pr.fine > 0 AND pe.role <> 'district' THEN pg_catalog.round(pe.amount / pr.fine, 4) END AS share,
       pe.score::bigint AS score,
       pe.sanction,
       pe.note
  FROM complaint.penalty pe
  JOIN complaint.policy p ON p.code = pe.policy
  JOIN complaint.calendar cal ON cal.name = p.calendar
  LEFT JOIN complaint.complaint c ON c.id = pe.complaint_id
  LEFT JOIN complaint.unit_staff st ON st.policy = pe.policy AND st.unit = pe.unit
  LEFT JOIN complaint.penalty_rule pr ON pr.policy = pe.policy AND pe.source = 'confirmation' AND pe.rule = 'level_' || pr.level
 WHERE (SELECT complaint._bi_sees_all()) OR pe.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]);
COMMENT ON VIEW complaint.v_penalties IS 'penalty ledger (fuel_retail): fines, district score changes and sanctions per complaint, rule, role and person, with each role''s share of the confirmation fine (direct 50 %, station manager 40 % (doubled on a repeat), district manager 10 %)';
COMMENT ON COLUMN complaint.v_penalties.penalty_id IS 'complaint.penalty.id';
COMMENT ON COLUMN complaint.v_penalties.complaint_id IS 'complaint.complaint.id';
COMMENT ON COLUMN complaint.v_penalties.ref IS 'reference number of the complaint';
COMMENT ON COLUMN complaint.v_penalties.policy IS 'policy code';
COMMENT ON COLUMN complaint.v_penalties.unit IS 'the station (unit) of the complaint';
COMMENT ON COLUMN complaint.v_penalties.district IS 'the district of the station (complaint.unit_staff)';
COMMENT ON COLUMN complaint.v_penalties.level IS 'severity level of the complaint now';
COMMENT ON COLUMN complaint.v_penalties.booked_at IS 'when the row was booked (closing time, or the sweep''s time for overdue fines)';
COMMENT ON COLUMN complaint.v_penalties.booked_date IS 'local day of booking';
COMMENT ON COLUMN complaint.v_penalties.source IS 'confirmation (an effective complaint closed with a responsible handler) or overdue (a missed station handling deadline)';
COMMENT ON COLUMN complaint.v_penalties.rule IS 'level_<level> for confirmation fines, the escalation rule for overdue fines';
COMMENT ON COLUMN complaint.v_penalties.role IS 'direct (the handler), station_manager, district_manager, or district (score only)';
COMMENT ON COLUMN complaint.v_penalties.role_zh IS 'role in Chinese';
COMMENT ON COLUMN complaint.v_penalties.person IS 'who pays (the district for score rows); NULL when complaint.unit_staff does not name the manager';
COMMENT ON COLUMN complaint.v_penalties.amount IS 'fine in yuan';
COMMENT ON COLUMN complaint.v_penalties.fine_total IS 'confirmation rows: the fine of the level before the split (level2 1000, level3 800); NULL for overdue rows';
COMMENT ON COLUMN complaint.v_penalties.share IS 'confirmation rows of a person: amount / fine_total (direct 0.5, station manager 0.4 or 0.8 when doubled, district manager 0.1); NULL for overdue and district score rows';
COMMENT ON COLUMN complaint.v_penalties.score IS 'change of the district''s score (negative)';
COMMENT ON COLUMN complaint.v_penalties.sanction IS 'dismissal, warning_and_transfer, contract_terminated, demotion, or NULL';
COMMENT ON COLUMN complaint.v_penalties.note IS 'why: repeat counts within the window, or the escalation rule''s message';

------------------------------------------------------------------------ v_hotspots
-- What a complaint manager asks next: which categories and units received more complaints
-- this month than the month before.
CREATE VIEW complaint.v_hotspots WITH (security_barrier = true) AS
SELECT p.code AS policy,
       s.month,
       h.dimension,
       h.key,
       CASE h.dimension WHEN 'category' THEN cat.name_zh END AS key_zh,
       CASE h.dimension WHEN 'category' THEN cat.name_en ELSE h.key END AS key_en,
       h.received,
       h.previous,
       h.received - h.previous AS change,
       pg_catalog.round(100.0 * (h.received - h.previous) / NULLIF(h.previous, 0), 1) AS change_pct,
       h.received > h.previous AS rising,
       pg_catalog.rank() OVER (PARTITION BY p.code, s.month, h.dimension ORDER BY h.received - h.previous DESC, h.received DESC)::bigint AS rise_rank
  FROM complaint.policy p
  JOIN complaint.calendar cal ON cal.name = p.calendar
 CROSS JOIN LATERAL (
        SELECT pg_catalog.min(x.received_at) AS first_at, pg_catalog.max(x.received_at) AS last_at
          FROM complaint.complaint x WHERE x.policy = p.code) e
 CROSS JOIN LATERAL (
        SELECT m::date AS month, (m - interval '1 month') AT TIME ZONE cal.tz AS tp,
               m AT TIME ZONE cal.tz AS t0, (m + interval '1 month') AT TIME ZONE cal.tz AS t1
          FROM pg_catalog.generate_series(pg_catalog.date_trunc('month', e.first_at AT TIME ZONE cal.tz),
                                          pg_catalog.date_trunc('month', e.last_at AT TIME ZONE cal.tz), interval '1 month') m) s
 CROSS JOIN LATERAL (
        SELECT d.dimension, d.key,
               pg_catalog.count(*) FILTER (WHERE c.received_at >= s.t0) AS received,
               pg_catalog.count(*) FILTER (WHERE c.received_at < s.t0) AS previous
          FROM complaint.complaint c
         CROSS JOIN LATERAL (VALUES ('category', c.category), ('unit', c.unit)) d (dimension, key)
         WHERE c.policy = p.code AND c.received_at >= s.tp AND c.received_at < s.t1 AND d.key IS NOT NULL
           AND ((SELECT complaint._bi_sees_all()) OR c.unit = ANY ((SELECT complaint._bi_units(CURRENT_USER))::text[]))
         GROUP BY d.dimension, d.key) h
  LEFT JOIN complaint.category cat ON h.dimension = 'category' AND cat.policy = p.code AND cat.code = h.key;
COMMENT ON VIEW complaint.v_hotspots IS 'hotspots: per policy and month, complaints received per category and per unit against the month before, with the change and its rank (rising = more than the month before)';
COMMENT ON COLUMN complaint.v_hotspots.policy IS 'policy code';
COMMENT ON COLUMN complaint.v_hotspots.month IS 'first local day of the month';
COMMENT ON COLUMN complaint.v_hotspots.dimension IS 'category or unit';
COMMENT ON COLUMN complaint.v_hotspots.key IS 'the category code or the unit';
COMMENT ON COLUMN complaint.v_hotspots.key_zh IS 'the category in Chinese; NULL for units';
COMMENT ON COLUMN complaint.v_hotspots.key_en IS 'the category in English, or the unit';
COMMENT ON COLUMN complaint.v_hotspots.received IS 'complaints received in the month';
COMMENT ON COLUMN complaint.v_hotspots.previous IS 'complaints received in the month before';
COMMENT ON COLUMN complaint.v_hotspots.change IS 'received - previous';
COMMENT ON COLUMN complaint.v_hotspots.change_pct IS 'change in per cent of the month before; NULL when it had none';
COMMENT ON COLUMN complaint.v_hotspots.rising IS 'true when more complaints than the month before';
COMMENT ON COLUMN complaint.v_hotspots.rise_rank IS 'rank by change within policy, month and dimension (1 = the largest rise)';

------------------------------------------------------------------------ privileges
GRANT SELECT ON complaint.v_complaints, complaint.v_overdue, complaint.v_daily_report,
    complaint.v_semimonthly_report, complaint.v_monthly_report, complaint.v_handler_scorecard,
    complaint.v_repeat_complaints, complaint.v_penalties, complaint.v_hotspots
    TO complaint_admin, complaint_supervisor, complaint_agent, complaint_reader;
