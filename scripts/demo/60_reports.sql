-- make demo, part 6: the regulation's reports through the BI views, on realistic data.
-- complaint.generate() files two months of complaints of a property developer and a month of
-- a fuel-station chain and replays their handling through every rule on a simulated clock;
-- the views then give the daily, semi-monthly and monthly reports, the handler appraisal,
-- the hotspots and the fines. The demo ends with the monthly report of the last generated
-- month.
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
\pset footer off

\echo
\echo '=== 6. Reports for managers and BI tools =========================================='
\echo 'complaint.generate(preset, n, from, to, seed) files n complaints with realistic mixes'
\echo '(channels, categories, busy units, office hours and weekends, collective and repeat'
\echo 'complaints) and replays their handling -- acknowledge, assign, investigate, answer,'
\echo 'accept, follow up, close, sometimes reopen -- through the real triggers on a simulated'
\echo 'clock, running the sweep as the clock advances: deadlines are met or missed, levels rise,'
\echo 'fines are booked, as in production. Seeded: the same call gives the same data.'
SELECT (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '2 months')::date AS m1,
       (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '1 month')::date AS m2,
       date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date AS m3 \gset
\timing on
SELECT complaint.generate('property', 1200, (:'m1'::timestamp AT TIME ZONE 'Asia/Shanghai'),
                          (:'m3'::timestamp AT TIME ZONE 'Asia/Shanghai'), 2026) AS "property complaints",
       complaint.generate('fuel_retail', 300, (:'m2'::timestamp AT TIME ZONE 'Asia/Shanghai'),
                          (:'m3'::timestamp AT TIME ZONE 'Asia/Shanghai'), 2026) AS "fuel_retail complaints";
\timing off

\echo
\echo '--- 6.1 v_daily_report: 投诉情况日报表, the first week of the last month (property) ---'
SELECT day, to_char(day, 'Dy') AS dow, received, received_outside_hours AS "after hours", severe, closed,
       open_at_end AS "open at day end", overdue
  FROM complaint.v_daily_report WHERE policy = 'property' AND day >= :'m2' AND day < :'m2'::date + 7 ORDER BY day;

\echo
\echo '--- 6.2 v_semimonthly_report: due by the 18th and by the 3rd (property) ------------'
SELECT period_start, period_end, due_by, received, closed, open_at_end AS "open at end", overdue,
       to_char(100 * closure_rate, 'FM990.0') || ' %' AS "closure rate", p90_working_hours_to_close AS "p90 h to close",
       array_length(string_to_array(notable_closed, E'\n'), 1) AS "severe closed (listed)"
  FROM complaint.v_semimonthly_report WHERE policy = 'property' AND period_start >= :'m1' AND period_start < :'m3' ORDER BY period_start;
\echo 'The severe complaints closed in the first half of the last month are listed one by one'
\echo '(the regulation wants important and hot ones described individually), e.g.:'
SELECT line AS "notable_closed (first 5 lines)" FROM complaint.v_semimonthly_report,
       unnest(string_to_array(notable_closed, E'\n')) WITH ORDINALITY AS l (line, n)
 WHERE policy = 'property' AND period_start = :'m2' AND n <= 5;

\echo
\echo '--- 6.3 v_handler_scorecard: the quarterly appraisal by closure rate of effective complaints ---'
(SELECT quarter_label AS quarter, closure_rank AS rank, handler, complaints, effective, closed_effective,
        to_char(100 * closure_rate, 'FM990.0') || ' %' AS "closure rate", overdue, mean_satisfaction AS satisfaction
   FROM complaint.v_handler_scorecard WHERE policy = 'property' AND quarter = date_trunc('quarter', :'m2'::date)::date AND effective >= 5
  ORDER BY closure_rank, handler LIMIT 3)
UNION ALL
(SELECT quarter_label, closure_rank, handler, complaints, effective, closed_effective,
        to_char(100 * closure_rate, 'FM990.0') || ' %', overdue, mean_satisfaction
   FROM complaint.v_handler_scorecard WHERE policy = 'property' AND quarter = date_trunc('quarter', :'m2'::date)::date AND effective >= 5
  ORDER BY closure_rank DESC, handler LIMIT 3);

\echo
\echo '--- 6.4 v_hotspots: what rose against the month before (property) -----------------'
SELECT dimension, key_en AS "category / unit", previous AS "month before", received AS "last month", change,
       coalesce(change_pct || ' %', 'new') AS "change %"
  FROM complaint.v_hotspots WHERE policy = 'property' AND month = :'m2' AND rise_rank <= 3 ORDER BY dimension, rise_rank, key;

\echo
\echo '--- 6.5 v_penalties: the fuel chain''s fines per person (confirmed complaints and missed'
\echo '    2-hour station handling deadlines; level 2: 1000 yuan, level 3: 800, split 50/40/10) ---'
SELECT role_zh || ' ' || role AS role, person, count(DISTINCT complaint_id) AS complaints, sum(amount) AS "yuan",
       string_agg(DISTINCT sanction, ', ') AS sanctions
  FROM complaint.v_penalties WHERE policy = 'fuel_retail' AND person IS NOT NULL AND role <> 'district'
 GROUP BY role, role_zh, person ORDER BY sum(amount) DESC, person LIMIT 6;

\echo
\echo '--- 6.6 v_overdue: what is running late right now -----------------------------------'
SELECT policy, kind_en AS deadline, count(*) AS overdue, round(avg(overdue_working_hours), 1) AS "avg working h late",
       sum(escalations) AS "escalation steps"
  FROM complaint.v_overdue WHERE policy IN ('property', 'fuel_retail') GROUP BY policy, kind_en ORDER BY policy, count(*) DESC;

\echo
\echo '--- 6.7 v_monthly_report: 月报 of the last month, due by the 3rd (property) -----------'
\echo 'Received in the month, closed in it, still open at its end, with a missed deadline;'
\echo 'closure rate of effective complaints; working hours from receipt to closing (mean, p90);'
\echo 'repeat complaints (reopened, or the same person about the same thing within 30 days):'
SELECT CASE breakdown WHEN 'total' THEN '合计 Total' ELSE category_zh || ' ' || category_en END AS "类型 category",
       received AS "受理 received", closed AS "关闭 closed", open_at_end AS "未结 open", overdue AS "超期 overdue",
       to_char(100 * closure_rate, 'FM990.0') || ' %' AS "关闭率 closure rate",
       mean_working_hours_to_close AS "mean h", p90_working_hours_to_close AS "p90 h", repeat AS "重复 repeat"
  FROM complaint.v_monthly_report
 WHERE policy = 'property' AND month = :'m2' AND breakdown IN ('category', 'total')
 ORDER BY breakdown = 'total', received DESC, category;
\echo '... and by level:'
SELECT level_zh || ' ' || level_en AS "级别 level", received AS "受理 received", closed AS "关闭 closed",
       open_at_end AS "未结 open", overdue AS "超期 overdue", to_char(100 * closure_rate, 'FM990.0') || ' %' AS "关闭率 closure rate",
       p90_working_hours_to_close AS "p90 h"
  FROM complaint.v_monthly_report
 WHERE policy = 'property' AND month = :'m2' AND breakdown = 'level' ORDER BY level_rank DESC;
