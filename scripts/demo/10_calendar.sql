-- make demo, part 1: the business calendar `cn` answers the questions a complaint desk asks
-- every day. All times are Beijing time.
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
\pset footer off

\echo
\echo '=== 1. Business calendars ========================================================='
\echo 'The bundled calendar "cn": Asia/Shanghai, Mon-Fri 09:00-12:00 and 13:00-18:00, with the'
\echo 'State Council holidays and make-up working days (调休上班) of 2020-2026.'
\echo
SELECT c.tz AS zone, i.weekly_hours, i.weekly_workdays AS workdays_per_week,
       count(*) FILTER (WHERE NOT d.is_workday) AS holidays,
       count(*) FILTER (WHERE d.is_workday) AS makeup_workdays,
       min(d.day) AS first_exception, max(d.day) AS last_exception
  FROM complaint.calendar c
  CROSS JOIN LATERAL complaint.calendar_info(c.name) i
  JOIN complaint.calendar_day d ON d.calendar = c.name
 WHERE c.name = 'cn'
 GROUP BY c.tz, i.weekly_hours, i.weekly_workdays;

\echo 'Deadlines a regulation writes as "N working hours" or "N working days":'
SELECT q.question,
       to_char(q.received, 'Dy YYYY-MM-DD HH24:MI') AS received,
       q.rule,
       to_char(q.due, 'Dy YYYY-MM-DD HH24:MI') AS due
  FROM (VALUES
    (1, 'phone call on a Friday evening', timestamptz '2025-03-07 17:30', '4 working hours',
        complaint.business_add('cn', '2025-03-07 17:30', '4 hours')),
    (2, 'email just before National Day (Oct 1-8 off)', '2025-09-30 17:00', '2 working hours',
        complaint.business_add('cn', '2025-09-30 17:00', '2 hours')),
    (3, 'call on make-up Sunday 28 Sep (a working day)', '2025-09-28 10:00', '4 working hours',
        complaint.business_add('cn', '2025-09-28 10:00', '4 hours')),
    (4, 'letter on Saturday 27 Sep: first working instant', '2025-09-27 10:00', 'next opening',
        complaint.next_business_time('cn', '2025-09-27 10:00')),
    (5, 'forum post at lunch time', '2025-03-03 12:20', '30 working minutes',
        complaint.business_add('cn', '2025-03-03 12:20', '30 minutes')),
    (6, 'improvement plan after 30 Sep', '2025-09-30 10:00', '3 working days',
        complaint.workdays_add('cn', '2025-09-30 10:00', 3)),
    (7, 'gift order before Spring Festival 2026', '2026-02-13 16:00', '2 working days',
        complaint.workdays_add('cn', '2026-02-13 16:00', 2)),
    (8, 'dispatch from a holiday morning', '2025-10-03 09:30', '6 working hours',
        complaint.business_add('cn', '2025-10-03 09:30', '6 hours'))
  ) AS q (n, question, received, rule, due)
 ORDER BY q.n;

\echo 'Working time actually spent (what SLA reports measure):'
SELECT to_char(a, 'YYYY-MM-DD HH24:MI') AS from_, to_char(b, 'YYYY-MM-DD HH24:MI') AS to_,
       b - a AS calendar_time,
       complaint.business_between('cn', a, b) AS working_time
  FROM (VALUES (timestamptz '2025-09-26 12:00', timestamptz '2025-10-13 12:00'),
               ('2025-01-27 17:00', '2025-02-05 11:00'),
               ('2025-03-03 09:00', '2025-04-07 18:00')) AS v (a, b);

\echo 'Your own calendar: a 24/7 hotline in Berlin. Spans are local wall-clock time, so the'
\echo 'day clocks go forward has 23 real hours and the day they go back has 25:'
INSERT INTO complaint.calendar (name, tz) VALUES ('berlin_hotline', 'Europe/Berlin');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'berlin_hotline', d, '00:00', '24:00' FROM pg_catalog.generate_series(1, 7) AS d;
SELECT day::date AS day,
       complaint.business_between('berlin_hotline', (day::date)::timestamp AT TIME ZONE 'Europe/Berlin',
                                  (day::date + 1)::timestamp AT TIME ZONE 'Europe/Berlin') AS working_time
  FROM (VALUES ('2025-03-29'), ('2025-03-30'), ('2025-10-26')) AS v (day);
