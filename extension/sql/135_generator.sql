-- Realistic data: complaint.generate(policy, n, period_start, period_end, seed) files n
-- complaints over a period under one of the five presets and replays their handling
-- through the real pipeline on a simulated clock (complaint._sim_clock, generator.c): every
-- complaint is inserted at its time of receipt, moved through the workflow by UPDATEs at
-- the times of its plan, and the sweep complaint.run_escalations() runs as the clock
-- advances, so deadlines are met, breached and escalated, levels rise with age and fines
-- are booked exactly as in production. Seeded and deterministic: the plan is drawn from
-- hash functions of (seed, complaint number), not from random().
--
-- The mixes: channels, categories and units per preset (units skewed: a few attract many
-- complaints), receipt by weekday (working days busier than weekends and holidays) and
-- hour (peaks in the morning and afternoon, some at night), 2-3 % collective complaints,
-- repeat complainants, 82 % effective, 7 % invalid (rejected), 11 % suggestions (closed at
-- once); effective ones are acknowledged, assigned, investigated (some wait for
-- information), answered, some escalated, accepted, some followed up, closed, 3 % reopened,
-- 2 % left unresolved; every morning the notifications of hot and major complaints are
-- recorded (9 in 10); durations are log-normal in working time around per-preset medians,
-- so most deadlines are met and some are missed.

CREATE FUNCTION complaint._sim_clock(t timestamptz)
RETURNS timestamptz
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_sim_clock';
COMMENT ON FUNCTION complaint._sim_clock(timestamptz) IS 'the generator''s simulated clock: the rest of the current statement runs as if it had started at t (NULL: back to the real clock); complaint_admin only';
REVOKE ALL ON FUNCTION complaint._sim_clock(timestamptz) FROM PUBLIC;

-- complaint._gen_r(seed, i, k): the k-th uniform draw in [0, 1) of complaint i (C).
CREATE FUNCTION complaint._gen_r(seed bigint, i bigint, k integer)
RETURNS double precision
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_gen_r';
COMMENT ON FUNCTION complaint._gen_r(bigint, bigint, integer) IS 'generator: deterministic uniform draw in [0, 1) number k of complaint i under a seed';

-- complaint._gen_bounds(weights): the lower bounds of the weights' shares of [0, 1), for
-- width_bucket(r, bounds): the 1-based index of a weighted choice for a uniform draw r.
CREATE FUNCTION complaint._gen_bounds(weights double precision[])
RETURNS double precision[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.array_agg(c.cum / c.total ORDER BY c.n)
      FROM (SELECT w.n, pg_catalog.sum(w.x) OVER (ORDER BY w.n) - w.x AS cum, pg_catalog.sum(w.x) OVER () AS total
              FROM pg_catalog.unnest(weights) WITH ORDINALITY w (x, n)) c
$$;
COMMENT ON FUNCTION complaint._gen_bounds(double precision[]) IS 'generator: lower bounds of the weights'' shares of [0, 1), for width_bucket(r, bounds)';

-- complaint._gen_lognormal(median, r1, r2): log-normal draw (sigma 0.8) around a median (C).
CREATE FUNCTION complaint._gen_lognormal(median double precision, r1 double precision, r2 double precision)
RETURNS double precision
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_gen_lognormal';
COMMENT ON FUNCTION complaint._gen_lognormal(double precision, double precision, double precision) IS 'generator: a log-normal draw (sigma 0.8) with the given median, from two uniform draws';

-- complaint._gen_prepare(): checks the arguments and plans every complaint and step of its
-- handling into temporary tables (gen_plan, gen_new, gen_step, and gen_state for the replay).
CREATE FUNCTION complaint._gen_prepare(policy text, n integer, period_start timestamptz,
                                       period_end timestamptz, seed bigint, tick interval)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p        text := _gen_prepare.policy;
    cal      text;
    tz       text;
    channels complaint.channel[];
    chw      double precision[];
    cats     text[];
    catw     double precision[];
    units    text[];
    nunits   integer;
    names    text[] := ARRAY['王芳 Wang Fang', '李娜 Li Na', '张伟 Zhang Wei', '刘洋 Liu Yang', '陈静 Chen Jing',
                             '杨丽 Yang Li', '赵敏 Zhao Min', '黄强 Huang Qiang', '周杰 Zhou Jie', '吴磊 Wu Lei',
                             '徐涛 Xu Tao', '孙燕 Sun Yan', '马超 Ma Chao', '朱红 Zhu Hong', '胡军 Hu Jun',
                             '郭鑫 Guo Xin', '何斌 He Bin', '林慧 Lin Hui', '罗平 Luo Ping', '高峰 Gao Feng',
                             '梁晨 Liang Chen', '宋佳 Song Jia', '郑凯 Zheng Kai', '谢婷 Xie Ting', '韩冰 Han Bing',
                             '唐亮 Tang Liang', '冯雪 Feng Xue', '于洋 Yu Yang', '董雯 Dong Wen', '萧然 Xiao Ran'];
    pace     double precision[];    -- medians: ack, assign, investigate, propose (working minutes), accept (hours), close (working minutes)
    hours    double precision[] := ARRAY[0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.5, 4, 8, 8, 7, 4, 6, 7, 7, 6.5, 5, 3, 2.5, 2, 1.5, 1, 0.6];
    chb      double precision[];
    catb     double precision[];
    hourb    double precision[];
    defb     double precision[];
BEGIN
    IF p IS NULL OR p NOT IN ('property', 'fuel_retail', 'food', 'after_sales', 'gift_supply') THEN
        RAISE EXCEPTION 'complaint.generate() knows the five presets, not "%"', p
            USING ERRCODE = '22023', HINT = 'Presets: property, fuel_retail, food, after_sales, gift_supply.';
    END IF;
    IF n IS NULL OR n < 1 OR n > 100000000 THEN
        RAISE EXCEPTION 'cannot generate % complaints', coalesce(n::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Give a number from 1 to 100,000,000.';
    END IF;
    IF period_start IS NULL OR period_end IS NULL OR NOT isfinite(period_start) OR NOT isfinite(period_end)
       OR period_end <= period_start THEN
        RAISE EXCEPTION 'invalid period [%, %) for complaint.generate()', period_start, period_end
            USING ERRCODE = '22023', HINT = 'The period starts before it ends, e.g. ''2026-03-01'', ''2026-04-01''.';
    END IF;
    IF period_end > now() THEN
        RAISE EXCEPTION 'the period of complaint.generate() ends in the future (%)', period_end
            USING ERRCODE = '22023',
                  DETAIL = 'Complaints are replayed on a simulated clock that cannot run ahead of the real one.',
                  HINT = 'End the period now or earlier (the default is now()).';
    END IF;
    IF tick IS NULL OR tick < interval '1 minute' OR tick > interval '1 day' THEN
        RAISE EXCEPTION 'invalid tick % for complaint.generate()', tick
            USING ERRCODE = '22023', HINT = 'The clock advances by at least 1 minute and at most 1 day per step; the default is 1 minute.';
    END IF;
    IF seed IS NULL THEN
        RAISE EXCEPTION 'complaint.generate() needs a seed' USING ERRCODE = '22004';
    END IF;
    IF NOT complaint._bi_can_generate() THEN
        RAISE EXCEPTION 'only complaint_admin may generate complaints'
            USING ERRCODE = '42501', HINT = 'Generated complaints go through every rule; run it as complaint_admin in a test or demo database.';
    END IF;

    PERFORM complaint.install_preset(p);
    SELECT pc.calendar, c.tz INTO cal, tz FROM complaint.policy pc JOIN complaint.calendar c ON c.name = pc.calendar
     WHERE pc.code = p;

    -- the preset's mixes
    nunits := greatest(4, ceil(n * 30.0 / greatest(1, extract(epoch FROM period_end - period_start) / 86400) / 4))::integer;
    IF p = 'property' THEN
        channels := '{phone,hotline,email,web,forum,in_person,letter,sales_feedback,review}';
        chw := ARRAY[30, 20, 12, 10, 8, 10, 2, 5, 3];
        cats := ARRAY['engineering_quality', 'planning_design', 'sales_management', 'property_management', 'customer_service', 'other'];
        catw := ARRAY[30, 8, 10, 35, 12, 5];
        units := ARRAY(SELECT format('%s 期 Estate %s', u, lpad(u::text, 2, '0')) FROM generate_series(1, least(nunits, 5000)) u);
        pace := ARRAY[6, 10, 100, 900, 8, 240];
    ELSIF p = 'fuel_retail' THEN
        channels := '{hotline,phone,other,web}';
        chw := ARRAY[55, 25, 10, 10];
        cats := ARRAY['station_service_attitude', 'station_service_fault', 'station_service_efficiency', 'station_service_other',
                      'station_info_opening', 'station_info_promotion', 'quantity', 'quality', 'finance_invoice',
                      'finance_charged_amount', 'non_fuel_price', 'non_fuel_quality', 'card_outlet_attitude', 'card_outlet_fault',
                      'call_centre_attitude', 'call_centre_phone_line', 'other_card_website', 'other_misc',
                      'invalid_unrelated', 'invalid_competitor', 'invalid_malicious',
                      'suggestion_rules_policy', 'suggestion_hardware', 'suggestion_card_pump_link', 'suggestion_system_design'];
        catw := ARRAY[16, 8, 10, 4, 3, 4, 2.5, 0.5, 7, 6, 3, 3, 3, 2, 3, 2, 2, 3, 2.5, 1.5, 3, 4, 3, 2, 2];
        units := ARRAY(SELECT format('加油站 Station %s', lpad(u::text, 3, '0')) FROM generate_series(1, least(nunits * 2, 5000)) u);
        pace := ARRAY[5, 8, 25, 45, 2, 600];
    ELSIF p = 'food' THEN
        channels := '{hotline,phone,email,web,review,regulator,letter}';
        chw := ARRAY[35, 20, 10, 15, 15, 2, 3];
        cats := ARRAY['product_quality', 'packaging', 'labelling', 'logistics', 'service', 'other'];
        catw := ARRAY[45, 20, 8, 15, 7, 5];
        units := ARRAY['生产一组 Production team 1', '生产二组 Production team 2', '设备部 Equipment', '品控部 Quality assurance',
                       '市场部 Marketing', '物流部 Logistics'];
        pace := ARRAY[20, 30, 240, 960, 12, 480];
    ELSIF p = 'after_sales' THEN
        channels := '{hotline,phone,email,web,letter}';
        chw := ARRAY[45, 25, 12, 15, 3];
        cats := ARRAY['product_quality', 'field_service', 'returns', 'service_phone', 'delivery', 'other'];
        catw := ARRAY[35, 25, 15, 8, 12, 5];
        units := ARRAY['服务部北区 Service north', '服务部南区 Service south', '服务部东区 Service east',
                       '服务部西区 Service west', '郊区服务站 Suburban station', '海外服务 Overseas service'];
        pace := ARRAY[20, 40, 180, 1500, 24, 600];
    ELSE
        channels := '{phone,hotline,email,web,sales_feedback}';
        chw := ARRAY[35, 20, 20, 15, 10];
        cats := ARRAY['product_quality_single', 'product_quality_batch', 'delivery_missing', 'delivery_wrong',
                      'delivery_damaged', 'service_attitude', 'other'];
        catw := ARRAY[30, 5, 15, 12, 18, 12, 8];
        units := ARRAY['售后服务部 After-sales', '客服中心 Service centre', '物流部 Logistics', '采购部 Purchasing'];
        pace := ARRAY[25, 15, 30, 120, 6, 300];
    END IF;
    nunits := cardinality(units);
    chb := complaint._gen_bounds(chw);
    catb := complaint._gen_bounds(catw);
    hourb := complaint._gen_bounds(hours);
    defb := complaint._gen_bounds(ARRAY[8, 6, 2, 3, 0.5, 0.5, 6, 8, 5, 4, 20, 12, 10, 10, 5]);

    -- the days of the period, weighted: working days 1, other days 0.45
    IF to_regclass('pg_temp.gen_state') IS NOT NULL OR to_regclass('pg_temp.gen_plan') IS NOT NULL THEN
        DROP TABLE IF EXISTS gen_day, gen_plan, gen_new, gen_step, gen_state;  -- left by an earlier call in this session that failed
    END IF;
    CREATE TEMP TABLE gen_day AS
    SELECT d::date AS day,
           CASE WHEN complaint.workdays_add(cal, d::timestamp AT TIME ZONE tz, 0) < (d + interval '1 day')::timestamp AT TIME ZONE tz
                THEN 1.0 ELSE 0.45 END::double precision AS w
      FROM generate_series(date_trunc('day', period_start AT TIME ZONE tz), date_trunc('day', (period_end - interval '1 microsecond') AT TIME ZONE tz), interval '1 day') d;

    -- the plan of every complaint: what it is and when it is received
    CREATE TEMP TABLE gen_plan AS
    WITH dw AS (SELECT array_agg(day ORDER BY day) AS days, complaint._gen_bounds(array_agg(w ORDER BY day)) AS wb FROM gen_day),
    base AS (
        SELECT i,
               (dw.days[width_bucket(complaint._gen_r(seed, i, 1), dw.wb)]
                + make_interval(hours => width_bucket(complaint._gen_r(seed, i, 2), hourb) - 1)
                + make_interval(secs => floor(complaint._gen_r(seed, i, 3) * 3600))) AS local_at,
               complaint._gen_r(seed, i, 4) AS r_val,
               complaint._gen_r(seed, i, 5) AS r_rep
          FROM generate_series(1, n) i, dw)
    SELECT b.i,
           greatest(period_start, least(period_end - interval '1 second', b.local_at AT TIME ZONE tz)) AS received_at,
           channels[width_bucket(complaint._gen_r(seed, b.i, 6), chb)] AS channel,
           cats[width_bucket(complaint._gen_r(seed, b.i, 7), catb)] AS category,
           units[1 + floor(nunits * power(complaint._gen_r(seed, b.i, 8), 1.3))::integer] AS unit,
           format('客户 Customer %s', lpad((1 + floor(complaint._gen_r(seed, b.i, 9) * n * 3))::text, 7, '0')) AS complainant,
           b.r_val, b.r_rep, NULL::bigint AS cid
      FROM base b;
    -- repeat complainants: 4 % complain again about the same thing shortly after an earlier complaint
    UPDATE gen_plan g SET complainant = x.prev_complainant, category = x.prev_category, unit = x.prev_unit
      FROM (SELECT i, lag(complainant, 1 + floor(r_rep * 1000)::integer % 7) OVER w AS prev_complainant,
                   lag(category, 1 + floor(r_rep * 1000)::integer % 7) OVER w AS prev_category,
                   lag(unit, 1 + floor(r_rep * 1000)::integer % 7) OVER w AS prev_unit
              FROM gen_plan WINDOW w AS (ORDER BY received_at, i)) x
     WHERE x.i = g.i AND g.r_rep < 0.04 AND x.prev_complainant IS NOT NULL;
    ALTER TABLE gen_plan ADD COLUMN handler text, ADD COLUMN validity complaint.validity, ADD COLUMN facts jsonb,
        ADD COLUMN collective_size integer, ADD COLUMN amount numeric, ADD COLUMN subject text, ADD COLUMN contact text,
        ADD COLUMN customer_type text, ADD COLUMN path text;
    UPDATE gen_plan g SET
        handler = names[1 + ((array_position(units, g.unit) * 3 + floor(complaint._gen_r(seed, g.i, 10) * 3)::integer) % cardinality(names))],
        validity = CASE WHEN g.category LIKE 'invalid%' THEN 'invalid'
                        WHEN g.category LIKE 'suggestion%' THEN 'suggestion'
                        WHEN p = 'fuel_retail' THEN 'effective'
                        WHEN g.r_val < 0.07 THEN 'invalid' WHEN g.r_val < 0.18 THEN 'suggestion' ELSE 'effective' END::complaint.validity,
        collective_size = CASE WHEN p IN ('food', 'after_sales') THEN 1
                               WHEN complaint._gen_r(seed, g.i, 11) < 0.007 THEN 10 + floor(complaint._gen_r(seed, g.i, 12) * 30)::integer
                               WHEN complaint._gen_r(seed, g.i, 11) < 0.03 THEN 2 + floor(complaint._gen_r(seed, g.i, 12) * 8)::integer
                               ELSE 1 END,
        amount = CASE WHEN p = 'gift_supply' THEN round(complaint._gen_lognormal(400, complaint._gen_r(seed, g.i, 13), complaint._gen_r(seed, g.i, 14))::numeric, 2)
                      WHEN p = 'fuel_retail' AND g.category LIKE 'finance%' THEN round((20 + complaint._gen_r(seed, g.i, 13) * 480)::numeric, 2) END,
        contact = '1' || (ARRAY['38', '39', '58', '86', '37', '50'])[1 + floor(complaint._gen_r(seed, g.i, 15) * 6)::integer]
                  || lpad(floor(complaint._gen_r(seed, g.i, 16) * 100000000)::text, 8, '0'),
        customer_type = CASE p WHEN 'property' THEN (ARRAY['业主 owner', '业主 owner', '业主 owner', '准业主 prospective owner', '意向客户 prospect', '其他 other'])[1 + floor(complaint._gen_r(seed, g.i, 17) * 6)::integer]
                               WHEN 'fuel_retail' THEN (ARRAY['车主 driver', '车主 driver', '加油卡用户 card holder', '车队 fleet'])[1 + floor(complaint._gen_r(seed, g.i, 17) * 4)::integer]
                               ELSE (ARRAY['消费者 consumer', '消费者 consumer', '经销商 dealer', '企业客户 business'])[1 + floor(complaint._gen_r(seed, g.i, 17) * 4)::integer] END,
        facts = CASE p
            WHEN 'property' THEN jsonb_strip_nulls(jsonb_build_object(
                'lawsuit_filed', CASE WHEN complaint._gen_r(seed, g.i, 18) < 0.003 THEN true END,
                'media_exposed', CASE WHEN complaint._gen_r(seed, g.i, 19) < 0.004 THEN true END,
                'legal_or_media_risk', CASE WHEN complaint._gen_r(seed, g.i, 20) < 0.02 THEN true END,
                'needs_external_support', CASE WHEN complaint._gen_r(seed, g.i, 21) < 0.03 THEN true END,
                'caused_by_us', CASE WHEN complaint._gen_r(seed, g.i, 22) < 0.25 THEN false END))
            WHEN 'fuel_retail' THEN jsonb_strip_nulls(jsonb_build_object(
                'media', CASE WHEN complaint._gen_r(seed, g.i, 18) < 0.003 THEN true END,
                'safety_incident', CASE WHEN complaint._gen_r(seed, g.i, 19) < 0.001 THEN true END,
                'group_incident', CASE WHEN complaint._gen_r(seed, g.i, 20) < 0.001 THEN true END,
                'strong_attitude', CASE WHEN complaint._gen_r(seed, g.i, 21) < 0.05 THEN true END,
                'demands_short_deadline', CASE WHEN complaint._gen_r(seed, g.i, 22) < 0.03 THEN true END))
            WHEN 'food' THEN jsonb_build_object(
                'defect', (ARRAY['spoiled', 'foreign_matter', 'abnormal_color', 'burnt_rancid', 'batch', 'same_symptoms',
                                 'empty_pack', 'short_pack', 'dirty_surface', 'no_date',
                                 'broken_package', 'underweight', 'broken', 'leaking', 'color_difference'])
                          [width_bucket(complaint._gen_r(seed, g.i, 18), defb)],
                'quantity', 1 + floor(power(complaint._gen_r(seed, g.i, 19), 3) * 20)::integer,
                'health_harm', CASE WHEN complaint._gen_r(seed, g.i, 20) < 0.01 THEN 'serious' WHEN complaint._gen_r(seed, g.i, 20) < 0.06 THEN 'minor' ELSE 'none' END)
            WHEN 'after_sales' THEN jsonb_strip_nulls(jsonb_build_object(
                'region', CASE WHEN g.unit LIKE '%Overseas%' THEN 'foreign' END,
                'area', CASE WHEN g.unit LIKE '%Suburban%' THEN 'suburban' END,
                'serious', CASE WHEN complaint._gen_r(seed, g.i, 18) < 0.03 THEN true END))
            ELSE jsonb_strip_nulls(jsonb_build_object(
                'media_exposed', CASE WHEN complaint._gen_r(seed, g.i, 18) < 0.003 THEN true END,
                'lawsuit_filed', CASE WHEN complaint._gen_r(seed, g.i, 19) < 0.002 THEN true END,
                'group_litigation_risk', CASE WHEN complaint._gen_r(seed, g.i, 20) < 0.003 THEN true END)) END;
    UPDATE gen_plan g SET subject = coalesce(c.name_zh || ' ' || c.name_en, '其他 Other')
                                    || (ARRAY['', '：再次反映 (again)', '：要求尽快处理 (urgent)', '：要求赔偿 (wants compensation)', '：处理不满意 (unhappy with handling)'])
                                       [1 + floor(complaint._gen_r(seed, g.i, 23) * 5)::integer],
                          path = CASE WHEN g.validity = 'suggestion' THEN 'suggestion'
                                      WHEN g.validity = 'invalid' THEN 'invalid'
                                      WHEN complaint._gen_r(seed, g.i, 24) < 0.02 THEN 'stuck' ELSE 'effective' END
      FROM complaint.category c WHERE c.policy = p AND c.code = g.category;

    -- identifiers drawn now, in order of receipt, from the table's own identity sequence
    UPDATE gen_plan g SET cid = x.cid
      FROM (SELECT i, nextval('complaint.complaint_id_seq') AS cid
              FROM (SELECT i FROM gen_plan ORDER BY received_at, i) o) x
     WHERE x.i = g.i;

    -- the steps of every complaint's handling, with their times
    -- (OFFSET 0: each step's time is computed once, not again in every step that uses it)
    CREATE TEMP TABLE gen_step AS
    WITH t AS (
        SELECT g.i, g.cid, g.path, g.validity, g.handler, g.received_at AS t0,
               (SELECT d.w < 1 FROM gen_day d WHERE d.day = (g.received_at AT TIME ZONE tz)::date) AS off_day,
               complaint._gen_r(seed, g.i, 30) AS r_pend, complaint._gen_r(seed, g.i, 31) AS r_esc,
               complaint._gen_r(seed, g.i, 32) AS r_fu, complaint._gen_r(seed, g.i, 33) AS r_reopen,
               1 + floor(complaint._gen_r(seed, g.i, 34) * 5)::integer AS sat,
               make_interval(secs => 60 * complaint._gen_lognormal(pace[1], complaint._gen_r(seed, g.i, 40), complaint._gen_r(seed, g.i, 41))) AS d_ack,
               make_interval(secs => 60 * complaint._gen_lognormal(pace[2], complaint._gen_r(seed, g.i, 42), complaint._gen_r(seed, g.i, 43))) AS d_assign,
               make_interval(secs => 60 * complaint._gen_lognormal(pace[3], complaint._gen_r(seed, g.i, 44), complaint._gen_r(seed, g.i, 45))) AS d_inv,
               make_interval(secs => 60 * complaint._gen_lognormal(pace[4], complaint._gen_r(seed, g.i, 46), complaint._gen_r(seed, g.i, 47))) AS d_prop,
               make_interval(secs => 3600 * complaint._gen_lognormal(pace[5], complaint._gen_r(seed, g.i, 48), complaint._gen_r(seed, g.i, 49))) AS d_acc,
               make_interval(secs => 60 * complaint._gen_lognormal(pace[6], complaint._gen_r(seed, g.i, 50), complaint._gen_r(seed, g.i, 51))) AS d_close,
               make_interval(secs => 3600 * (2 + 70 * complaint._gen_r(seed, g.i, 52))) AS d_wait,
               make_interval(days => 2 + floor(18 * complaint._gen_r(seed, g.i, 53))::integer) AS d_reopen
          FROM gen_plan g OFFSET 0),
    -- on a non-working day the staff on duty forward a complaint the same day (calendar time)
    s1 AS (SELECT t.*, CASE WHEN off_day THEN t0 + d_ack ELSE complaint.business_add(cal, t0, d_ack) END AS t_ack FROM t OFFSET 0),
    s2 AS (SELECT s1.*, CASE WHEN off_day THEN t_ack + d_assign ELSE complaint.business_add(cal, t_ack, d_assign) END AS t_assign FROM s1 OFFSET 0),
    s3 AS (SELECT s2.*, CASE WHEN r_pend < 0.06 THEN complaint.business_add(cal, t_assign, d_inv / 2) END AS t_pend FROM s2 OFFSET 0),
    s4 AS (SELECT s3.*, CASE WHEN t_pend IS NULL THEN complaint.business_add(cal, t_assign, d_inv)
                             ELSE complaint.business_add(cal, t_pend + d_wait, interval '0') END AS t_inv FROM s3 OFFSET 0),
    s5 AS (SELECT s4.*, complaint.business_add(cal, t_inv, d_prop) AS t_prop FROM s4 OFFSET 0),
    s6 AS (SELECT s5.*, CASE WHEN r_esc < 0.07 THEN t_prop + d_acc / 2 END AS t_esc FROM s5 OFFSET 0),
    s7 AS (SELECT s6.*, CASE WHEN t_esc IS NOT NULL THEN complaint.business_add(cal, t_esc, d_prop / 2) END AS t_prop2 FROM s6 OFFSET 0),
    s8 AS (SELECT s7.*, coalesce(t_prop2, t_prop) + d_acc AS t_acc FROM s7 OFFSET 0),
    s9 AS (SELECT s8.*, CASE WHEN r_fu < 0.6 THEN complaint.business_add(cal, t_acc, d_close / 2) END AS t_fu FROM s8 OFFSET 0),
    s10 AS (SELECT s9.*, complaint.business_add(cal, coalesce(t_fu, t_acc), d_close) AS t_close FROM s9 OFFSET 0),
    s11 AS (SELECT s10.*, CASE WHEN r_reopen < 0.03 THEN t_close + d_reopen END AS t_reopen FROM s10 OFFSET 0)
    SELECT s.i, s.cid, st.seq,
           CASE WHEN st.at = date_trunc('second', st.at) THEN st.at ELSE date_trunc('second', st.at) + interval '1 second' END AS at,
           st.status, st.validity, st.handler, st.satisfaction
      FROM s11 s
     CROSS JOIN LATERAL (VALUES
        -- suggestions are closed at once; invalid complaints acknowledged and rejected
        (1, CASE WHEN s.path = 'suggestion' THEN complaint.business_add(cal, s.t0, s.d_ack * 4) END, 'closed'::complaint.status, NULL::complaint.validity, NULL::text, NULL::integer),
        (2, CASE WHEN s.path <> 'suggestion' THEN s.t_ack END, 'acknowledged', s.validity, NULL, NULL),
        (3, CASE WHEN s.path = 'invalid' THEN complaint.business_add(cal, s.t_ack, s.d_inv) END, 'rejected', NULL, NULL, NULL),
        (4, CASE WHEN s.path IN ('effective', 'stuck') THEN s.t_assign END, 'assigned', NULL, s.handler, NULL),
        (5, CASE WHEN s.path IN ('effective', 'stuck') THEN s.t_pend END, 'pending_info', NULL, NULL, NULL),
        (6, CASE WHEN s.path IN ('effective', 'stuck') THEN s.t_inv END, 'investigating', NULL, NULL, NULL),
        (7, CASE WHEN s.path = 'effective' THEN s.t_prop END, 'proposed', NULL, NULL, NULL),
        (8, CASE WHEN s.path = 'effective' THEN s.t_esc END, 'escalated', NULL, NULL, NULL),
        (9, CASE WHEN s.path = 'effective' THEN s.t_prop2 END, 'proposed', NULL, NULL, NULL),
        (10, CASE WHEN s.path = 'effective' THEN s.t_acc END, 'accepted', NULL, NULL, NULL),
        (11, CASE WHEN s.path = 'effective' THEN s.t_fu END, 'follow_up', NULL, NULL, NULL),
        (12, CASE WHEN s.path = 'effective' THEN s.t_close END, 'closed', NULL, NULL, CASE WHEN s.t_fu IS NOT NULL THEN s.sat END),
        -- reopened: investigated again, answered, accepted, closed
        (13, CASE WHEN s.path = 'effective' THEN s.t_reopen END, 'investigating', NULL, NULL, NULL),
        (14, CASE WHEN s.path = 'effective' AND s.t_reopen IS NOT NULL THEN complaint.business_add(cal, s.t_reopen, s.d_prop) END, 'proposed', NULL, NULL, NULL),
        (15, CASE WHEN s.path = 'effective' AND s.t_reopen IS NOT NULL THEN complaint.business_add(cal, s.t_reopen, s.d_prop) + s.d_acc END, 'accepted', NULL, NULL, NULL),
        (16, CASE WHEN s.path = 'effective' AND s.t_reopen IS NOT NULL THEN complaint.business_add(cal, complaint.business_add(cal, s.t_reopen, s.d_prop) + s.d_acc, s.d_close) END, 'closed', NULL, NULL, NULL)
     ) st (seq, at, status, validity, handler, satisfaction)
     WHERE st.at IS NOT NULL AND st.at < period_end;
    -- the replay finds its work through indexes on times; they are built on fresh copies: an
    -- index on a table updated in this transaction could not be used before it commits
    CREATE TEMP TABLE gen_new AS SELECT * FROM gen_plan ORDER BY received_at, i;
    CREATE INDEX ON gen_new (received_at);
    CREATE INDEX ON gen_step (at);
    ANALYZE gen_new;
    ANALYZE gen_step;

    -- fuel_retail books fines to the managers of each station
    IF p = 'fuel_retail' THEN
        INSERT INTO complaint.unit_staff (policy, unit, station_manager, district, district_manager)
        SELECT p, u, format('站长 Head of %s', split_part(u, ' ', 3)),
               format('片区 District %s', 1 + (array_position(units, u) - 1) / 10),
               names[1 + (array_position(units, u) - 1) / 10 % cardinality(names)] || ' (片区经理 district manager)'
          FROM unnest(units) u
        ON CONFLICT DO NOTHING;
    END IF;

    DROP TABLE gen_day, gen_plan;
    CREATE TEMP TABLE gen_state AS
    SELECT p AS policy, n::bigint AS total, seed, tick, tz, period_end, period_start - tick AS prev, 0::bigint AS done,
           (period_start AT TIME ZONE tz)::date - 1 AS notified, (n / 10)::bigint AS nextnote;
END
$$;
COMMENT ON FUNCTION complaint._gen_prepare(text, integer, timestamptz, timestamptz, bigint, interval) IS
    'generator: checks the arguments and plans the complaints and their handling into temporary tables';
REVOKE ALL ON FUNCTION complaint._gen_prepare(text, integer, timestamptz, timestamptz, bigint, interval) FROM PUBLIC;

-- complaint._gen_replay(stop): replays the planned complaints on the simulated clock up to
-- stop (or the end of the period); returns how many have been filed so far.
CREATE FUNCTION complaint._gen_replay(stop timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- every statement of the replay works on a few rows of a growing table: plan each one for
-- its actual time window
SET plan_cache_mode = force_custom_plan
AS $$
<<replay>>
DECLARE
    st       record;
    p        text;
    seed     bigint;
    tick     interval;
    tz       text;
    prev     timestamptz;
    clock    timestamptz;
    done     bigint;
    total    bigint;
    nextnote bigint;
    notified date;
    k        integer;
    upto     timestamptz;
    analyze_ok boolean := pg_has_role((SELECT c.relowner FROM pg_class c WHERE c.oid = 'complaint.complaint'::regclass), 'USAGE');
BEGIN
    SELECT * INTO st FROM gen_state;
    p := st.policy; seed := st.seed; tick := st.tick; tz := st.tz; prev := st.prev; done := st.done;
    total := st.total; nextnote := st.nextnote; notified := st.notified;
    upto := least(stop, st.period_end);
    BEGIN
        WHILE prev < st.period_end LOOP
            -- to the next thing that happens (a receipt, a step, a deadline, a time-based level
            -- rule), at least one tick on
            clock := least(st.period_end, greatest(prev + tick, coalesce(least(
                (SELECT min(g.received_at) FROM gen_new g WHERE g.received_at > prev),
                (SELECT min(s.at) FROM gen_step s WHERE s.at > prev),
                (SELECT min(d.next_check_at) FROM complaint.deadline d WHERE d.next_check_at > prev),
                (SELECT min(c.recheck_at) FROM complaint.complaint c WHERE c.recheck_at > prev)), st.period_end)));
            -- a later call goes on from here (the stops do not change when things happen)
            EXIT WHEN clock > upto;
            PERFORM complaint._sim_clock(clock);
            -- complaints received by now
            INSERT INTO complaint.complaint (id, policy, received_at, channel, category, subject, body, complainant, contact,
                                             customer_type, unit, collective_size, amount, facts, validity)
            OVERRIDING SYSTEM VALUE
            SELECT g.cid, p, g.received_at, g.channel, g.category, g.subject,
                   format('生成的投诉 generated complaint %s (seed %s)', g.i, seed), g.complainant, g.contact,
                   g.customer_type, g.unit, g.collective_size, g.amount, g.facts,
                   CASE WHEN g.validity = 'suggestion' THEN g.validity END
              FROM gen_new g WHERE g.received_at > prev AND g.received_at <= clock
             ORDER BY g.received_at, g.i;
            GET DIAGNOSTICS k = ROW_COUNT;
            done := done + k;
            -- their handling, step by step
            FOR k IN SELECT DISTINCT s.seq FROM gen_step s WHERE s.at > prev AND s.at <= clock ORDER BY 1 LOOP
                UPDATE complaint.complaint c
                   SET status = s.status,
                       validity = coalesce(s.validity, c.validity),
                       handler = coalesce(s.handler, c.handler),
                       satisfaction = coalesce(s.satisfaction, c.satisfaction)
                  FROM gen_step s
                 WHERE s.seq = k AND s.at > prev AND s.at <= clock AND c.id = s.cid;
            END LOOP;
            -- every morning the complaint office notifies the company and group of the
            -- complaints that became hot or major (9 in 10 of them; the others are missed)
            IF (clock AT TIME ZONE tz)::time >= '10:00' AND (clock AT TIME ZONE tz)::date > notified THEN
                notified := (clock AT TIME ZONE tz)::date;
                -- fresh statistics once a day: the tables grow from nothing, and plans made
                -- on stale ones (the sweep's among them) would scan them whole (owner only)
                IF analyze_ok THEN
                    ANALYZE complaint.complaint, complaint.deadline;
                END IF;
                PERFORM complaint.record_notification(x.complaint_id, '已通报公司及集团 company and group notified')
                   FROM (SELECT DISTINCT d.complaint_id FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
                          WHERE d.next_check_at > clock AND d.next_check_at <= clock + interval '8 days' AND d.kind = 'notify'
                            AND d.started_at <= clock AND d.met_at IS NULL AND d.cancelled_at IS NULL AND d.paused_at IS NULL
                            AND c.policy = p AND complaint._gen_r(seed, d.id, 60) >= 0.1) x;
            END IF;
            -- the sweep
            PERFORM complaint.run_escalations(clock);
            prev := clock;
            IF total >= 10000 AND done >= nextnote THEN
                nextnote := nextnote + total / 10;
                RAISE NOTICE 'complaint.generate: % of % complaints filed, clock at %', done, total, clock;
            END IF;
        END LOOP;
        PERFORM complaint._sim_clock(NULL);
    EXCEPTION WHEN OTHERS THEN
        PERFORM complaint._sim_clock(NULL);
        RAISE;
    END;
    UPDATE gen_state SET prev = replay.prev, done = replay.done, nextnote = replay.nextnote,
                         notified = replay.notified;
    RETURN done;
END
$$;
COMMENT ON FUNCTION complaint._gen_replay(timestamptz) IS
    'generator: replays the planned complaints through every rule on the simulated clock up to a time; returns how many are filed';
REVOKE ALL ON FUNCTION complaint._gen_replay(timestamptz) FROM PUBLIC;

-- complaint.generate(): see the head of this file. One transaction; returns the number of
-- complaints filed.
CREATE FUNCTION complaint.generate(policy text, n integer, period_start timestamptz,
                                   period_end timestamptz DEFAULT pg_catalog.now(), seed bigint DEFAULT 1,
                                   tick interval DEFAULT '1 minute')
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    done bigint;
    slots bigint := current_setting('max_locks_per_transaction')::bigint
                    * (current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint);
BEGIN
    -- the classifier takes a lock per complaint until the end of the transaction
    IF n > slots / 2 THEN
        RAISE EXCEPTION 'complaint.generate() files at most % complaints in one transaction on this server', slots / 2
            USING ERRCODE = '54000',
                  DETAIL = 'Each complaint holds a lock until the end of the transaction; the server has room for about ' || slots || ' (max_locks_per_transaction x (max_connections + max_prepared_transactions)).',
                  HINT = 'CALL complaint.generate_large(...) with the same arguments: it commits every simulated hour.';
    END IF;
    PERFORM complaint._gen_prepare(policy, n, period_start, period_end, seed, tick);
    done := complaint._gen_replay(period_end);
    DROP TABLE gen_new, gen_step, gen_state;
    RETURN done;
END
$$;
COMMENT ON FUNCTION complaint.generate(text, integer, timestamptz, timestamptz, bigint, interval) IS
    'files n realistic complaints received in [period_start, period_end) under a preset and replays their handling through every rule on a simulated clock (deadlines, escalations, fines); seeded, deterministic; one transaction; complaint_admin only';
REVOKE ALL ON FUNCTION complaint.generate(text, integer, timestamptz, timestamptz, bigint, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION complaint.generate(text, integer, timestamptz, timestamptz, bigint, interval) TO complaint_admin;

-- complaint.generate_large(): the same for millions of complaints, committing after every
-- simulated hour, so that the rows the replay has finished with can be cleaned up (in one
-- transaction every step would walk past all the versions it left behind) and the
-- classifier's per-complaint locks are released. CALL it outside a transaction block. The
-- same arguments give the same complaints as generate().
CREATE PROCEDURE complaint.generate_large(policy text, n integer, period_start timestamptz,
                                          period_end timestamptz DEFAULT pg_catalog.now(), seed bigint DEFAULT 1,
                                          tick interval DEFAULT '1 minute', INOUT filed bigint DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    stop timestamptz := period_start;
BEGIN
    PERFORM complaint._gen_prepare(policy, n, period_start, period_end, seed, tick);
    COMMIT;
    WHILE stop < period_end LOOP
        stop := LEAST(stop OPERATOR(pg_catalog.+) interval '1 hour', period_end);
        filed := complaint._gen_replay(stop);
        COMMIT;
    END LOOP;
    DROP TABLE pg_temp.gen_new, pg_temp.gen_step, pg_temp.gen_state;
END
$$;
COMMENT ON PROCEDURE complaint.generate_large(text, integer, timestamptz, timestamptz, bigint, interval, bigint) IS
    'as complaint.generate(), for millions of complaints: commits after every simulated hour; CALL it outside a transaction block; filed: how many were filed';
REVOKE ALL ON PROCEDURE complaint.generate_large(text, integer, timestamptz, timestamptz, bigint, interval, bigint) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE complaint.generate_large(text, integer, timestamptz, timestamptz, bigint, interval, bigint) TO complaint_admin;
GRANT EXECUTE ON FUNCTION complaint._gen_prepare(text, integer, timestamptz, timestamptz, bigint, interval),
    complaint._gen_replay(timestamptz) TO complaint_admin;
GRANT EXECUTE ON FUNCTION complaint._sim_clock(timestamptz) TO complaint_admin;

-- complaint._bi_can_generate(): superuser or complaint_admin.
CREATE FUNCTION complaint._bi_can_generate()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER), false)
        OR pg_catalog.pg_has_role(CURRENT_USER, 'complaint_admin', 'USAGE')
$$;
COMMENT ON FUNCTION complaint._bi_can_generate() IS 'generator: may the current user generate complaints (superuser or complaint_admin)';
