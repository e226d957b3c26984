SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- bi_reports: every BI view on a fixed generated data set. complaint.generate() is seeded
-- and deterministic; a database of its own keeps the numbers independent of the other
-- files. Data: fuel_retail, 300 complaints in February and March 2026 (seed 11); property,
-- 400 in March 2026 (seed 7); food, 60 in March 2026 (seed 5). Columns that depend on the
-- real clock (ages, hours overdue) are left out.
--
\set SHOW_CONTEXT never
SET client_min_messages = warning;
DROP DATABASE IF EXISTS pgc_bi_regress;
CREATE DATABASE pgc_bi_regress;
\c pgc_bi_regress
SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
SET client_min_messages = warning;
CREATE EXTENSION pg_complaint;
SELECT complaint.generate('fuel_retail', 300, '2026-02-01 00:00+08', '2026-04-01 00:00+08', 11) AS fuel,
       complaint.generate('property', 400, '2026-03-01 00:00+08', '2026-04-01 00:00+08', 7) AS property,
       complaint.generate('food', 60, '2026-03-01 00:00+08', '2026-04-01 00:00+08', 5) AS food;
-- the generator left nothing behind and gave the clock back
SELECT to_regclass('pg_temp.gen_plan') IS NULL AS no_scratch, now() = transaction_timestamp() AS clock_back;

-- the mixes
SELECT policy, count(*) AS complaints, count(DISTINCT unit) AS units, count(DISTINCT handler) AS handlers,
       count(*) FILTER (WHERE validity = 'effective') AS effective, count(*) FILTER (WHERE validity = 'invalid') AS invalid,
       count(*) FILTER (WHERE validity = 'suggestion') AS suggestion, count(*) FILTER (WHERE collective_size > 1) AS collective,
       count(*) FILTER (WHERE reopen_count > 0) AS reopened, count(*) FILTER (WHERE status NOT IN ('closed', 'rejected')) AS open,
       count(*) FILTER (WHERE NOT complaint.is_business_time('cn', received_at)) AS outside_hours
  FROM complaint.complaint GROUP BY policy ORDER BY policy;
SELECT policy, status, count(*) FROM complaint.complaint GROUP BY 1, 2 ORDER BY 1, 2;
SELECT policy, level, count(*) FROM complaint.complaint GROUP BY 1, 2 ORDER BY 1, 2;
SELECT policy, channel, count(*) FROM complaint.complaint GROUP BY 1, 2 ORDER BY 1, 2;
SELECT c.policy, d.kind, count(*) AS deadlines, count(*) FILTER (WHERE d.met_at <= d.due_at) AS met_on_time,
       count(*) FILTER (WHERE d.met_at > d.due_at) AS met_late, count(*) FILTER (WHERE d.breached_at IS NOT NULL) AS breached,
       count(*) FILTER (WHERE d.cancelled_at IS NOT NULL) AS cancelled, count(*) FILTER (WHERE d.met_at IS NULL AND d.cancelled_at IS NULL) AS open
  FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id GROUP BY 1, 2 ORDER BY 1, 2;
-- events are dated by the simulated clock, inside the generated periods
SELECT min(at) >= '2026-02-01' AND max(at) < '2026-04-01' AS events_in_period, count(*) > 5000 AS many
  FROM complaint.event;

-- Checked by hand below (the figures of this run):
--  * closure rate, property, March: 256 of the 335 effective complaints received in March
--    were closed by 2026-04-01: 256 / 335 = 0.76418 -> 0.7642 (total row; recomputed from
--    v_complaints further down);
--  * repeat, property, March: 36 = 32 same_complainant + 4 reopened rows of
--    v_repeat_complaints (no property complaint is both);
--  * p90 and mean, food level A: see the eight values listed further down.
-- v_monthly_report: total and by level
SELECT policy, month, due_by, breakdown, level, received, received_effective, collective, severe, closed, closed_effective,
       open_at_end, overdue, closure_rate, mean_working_hours_to_close, p90_working_hours_to_close, repeat
  FROM complaint.v_monthly_report WHERE breakdown IN ('total', 'level') ORDER BY policy, month, breakdown DESC, level_rank DESC;
-- by category (property, March)
SELECT category, category_en, received, closed, open_at_end, overdue, closure_rate, p90_working_hours_to_close, repeat
  FROM complaint.v_monthly_report WHERE policy = 'property' AND breakdown = 'category' ORDER BY category;
-- the category x level rows add up to the category rows
SELECT count(*) AS mismatches FROM (
    SELECT policy, month, category, sum(received) AS r, sum(closed) AS c FROM complaint.v_monthly_report
     WHERE breakdown = 'category_level' GROUP BY 1, 2, 3) x
  JOIN complaint.v_monthly_report m ON m.policy = x.policy AND m.month = x.month AND m.breakdown = 'category'
   AND m.category IS NOT DISTINCT FROM x.category
 WHERE m.received <> x.r OR m.closed <> x.c;
-- the same numbers computed again from v_complaints (property, March 2026)
SELECT count(*) AS received,
       count(*) FILTER (WHERE validity = 'effective') AS effective,
       count(*) FILTER (WHERE validity = 'effective' AND closed_at < '2026-04-01') AS effective_closed_in_march,
       round(count(*) FILTER (WHERE validity = 'effective' AND closed_at < '2026-04-01')::numeric
             / count(*) FILTER (WHERE validity = 'effective'), 4) AS closure_rate
  FROM complaint.v_complaints WHERE policy = 'property';
SELECT count(*) AS closed_in_march, round(avg(working_hours_to_close), 2) AS mean_hours,
       round(percentile_cont(0.9) WITHIN GROUP (ORDER BY working_hours_to_close)::numeric, 2) AS p90_hours
  FROM complaint.v_complaints WHERE policy = 'property' AND closed_at >= '2026-03-01' AND closed_at < '2026-04-01';
-- a small group for the p90 by hand: food, level A, closed in March
SELECT ref, working_hours_to_close FROM complaint.v_complaints
 WHERE policy = 'food' AND level = 'A' AND closed_at >= '2026-03-01' AND closed_at < '2026-04-01'
 ORDER BY working_hours_to_close;
-- By hand: percentile_cont(0.9) of 8 sorted values sits at 0.9 x (8 - 1) = 6.3 (from 0):
-- 65.06 + 0.3 x (82.44 - 65.06) = 65.06 + 5.214 = 70.274 -> 70.27. Mean: 387.80 / 8 = 48.475
-- -> 48.48. The level A row of the monthly report says the same:
SELECT p90_working_hours_to_close, mean_working_hours_to_close, closed FROM complaint.v_monthly_report
 WHERE policy = 'food' AND breakdown = 'level' AND level = 'A';

-- v_semimonthly_report
SELECT policy, period_start, period_end, half, due_by, received, closed, open_at_end, overdue, closure_rate,
       p90_working_hours_to_close, repeat, pg_catalog.array_length(string_to_array(notable_closed, E'\n'), 1) AS notable
  FROM complaint.v_semimonthly_report ORDER BY policy, period_start;
SELECT notable_closed FROM complaint.v_semimonthly_report WHERE policy = 'food' AND half = 1;
-- v_daily_report: the first week of March, property
SELECT day, received, received_outside_hours, collective, severe, closed, open_at_end, overdue, closure_rate, repeat
  FROM complaint.v_daily_report WHERE policy = 'property' AND day BETWEEN '2026-03-01' AND '2026-03-07' ORDER BY day;
-- the days add up to the month
SELECT sum(d.received) = m.received AS received_adds_up, sum(d.closed) = m.closed AS closed_adds_up
  FROM complaint.v_daily_report d JOIN complaint.v_monthly_report m
    ON m.policy = d.policy AND m.month = date_trunc('month', d.day)::date AND m.breakdown = 'total'
 WHERE d.policy = 'property' GROUP BY m.received, m.closed;

-- v_handler_scorecard: Q1 2026, property, the five best and the five worst
(SELECT handler, complaints, effective, closed_effective, closure_rate, closure_rank, overdue, reopened, mean_satisfaction
   FROM complaint.v_handler_scorecard WHERE policy = 'property' ORDER BY closure_rank, handler LIMIT 5)
UNION ALL
(SELECT handler, complaints, effective, closed_effective, closure_rate, closure_rank, overdue, reopened, mean_satisfaction
   FROM complaint.v_handler_scorecard WHERE policy = 'property' ORDER BY closure_rank DESC, handler LIMIT 5);

-- v_repeat_complaints
SELECT policy, repeat_kind, count(*) FROM complaint.v_repeat_complaints GROUP BY 1, 2 ORDER BY 1, 2;
SELECT ref, complainant, category, repeat_kind, previous_ref, days_since_previous
  FROM complaint.v_repeat_complaints WHERE policy = 'fuel_retail' ORDER BY received_at LIMIT 6;

-- By hand (POLICIES.md, fuel_retail): FUEL-202602-00006 is level2, fine 1000 yuan, split
-- direct 50 % = 500, station manager 40 % = 400, district manager 10 % = 100, district score
-- -5; it also missed its 2-working-hour station handling deadline: station head 200, direct
-- person 100 (source overdue). A station's second confirmed complaint within a year doubles
-- the manager's share: max_share 0.8 = 2 x 0.4.
-- v_penalties: per role, and the ledger of the first complaints fined
SELECT source, role, count(*), sum(amount) AS amount, sum(score) AS score, min(share) AS min_share, max(share) AS max_share
  FROM complaint.v_penalties GROUP BY 1, 2 ORDER BY 1, 2;
SELECT ref, unit, level, source, rule, role, person, amount, fine_total, share, score, sanction
  FROM complaint.v_penalties WHERE complaint_id IN (SELECT complaint_id FROM complaint.v_penalties WHERE source = 'confirmation' ORDER BY booked_at, complaint_id LIMIT 3)
 ORDER BY booked_at, complaint_id, source, rule, role;
-- per person: who pays most
SELECT person, count(DISTINCT complaint_id) AS complaints, sum(amount) AS total FROM complaint.v_penalties
 WHERE person IS NOT NULL GROUP BY person ORDER BY total DESC, person LIMIT 5;

-- v_hotspots: fuel_retail, March against February: the rising categories and stations
SELECT dimension, key, key_en, received, previous, change, change_pct, rise_rank
  FROM complaint.v_hotspots WHERE policy = 'fuel_retail' AND month = '2026-03-01' AND rise_rank <= 3 ORDER BY dimension, rise_rank, key;

-- v_overdue: what is still running past due (the data ends on 2026-04-01)
SELECT policy, kind, count(*), count(*) FILTER (WHERE breached_at IS NOT NULL) AS breach_recorded, sum(escalations) AS escalations
  FROM complaint.v_overdue GROUP BY 1, 2 ORDER BY 1, 2;
SELECT ref, kind, rule, status, level, due_at, breached_at, escalations
  FROM complaint.v_overdue WHERE policy = 'property' ORDER BY due_at, ref LIMIT 5;

-- v_complaints: a few rows; food compensation = level ratio x quantity
-- By hand: FOOD-202603-00002 is class B (ratio 1:2) with 7 packs affected: 2 x 7 = 14 packs.
SELECT ref, category_en, level, level_zh, compensation_ratio, facts::jsonb ->> 'quantity' AS quantity, compensation_packs
  FROM complaint.v_complaints WHERE policy = 'food' ORDER BY ref LIMIT 6;
SELECT ref, channel, received_in_working_time, status, status_zh, level_en, forward_due_at, forward_breached, respond_breached,
       breached, breached_kinds, working_hours_to_close
  FROM complaint.v_complaints WHERE policy = 'property' ORDER BY ref LIMIT 6;

-- complaint.generate_large() commits every simulated day and files the same complaints as
-- generate() (same arguments, another database)
\c postgres
SET client_min_messages = warning;
DROP DATABASE IF EXISTS pgc_bi_regress_large;
CREATE DATABASE pgc_bi_regress_large;
\c pgc_bi_regress_large
SET client_min_messages = warning;
CREATE EXTENSION pg_complaint;
CALL complaint.generate_large('food', 60, '2026-03-01 00:00+08', '2026-04-01 00:00+08', 5);
SELECT md5(string_agg(concat_ws('|', ref, received_at, status, level, closed_at, satisfaction, breached::text), ',' ORDER BY ref)) AS large
  FROM complaint.complaint \gset
\c pgc_bi_regress
SELECT md5(string_agg(concat_ws('|', ref, received_at, status, level, closed_at, satisfaction, breached::text), ',' ORDER BY ref)) = :'large' AS same_complaints
  FROM complaint.complaint WHERE policy = 'food';
\c postgres
DROP DATABASE pgc_bi_regress_large;
\c pgc_bi_regress
