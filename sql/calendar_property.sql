--
-- calendar_property: invariants of the calendar arithmetic over many deterministic
-- pseudo-random inputs, and a comparison with a plain-SQL oracle built from the
-- calendar tables.  Every result is a count of violations (0), plus a few coverage
-- checks (true) that show the samples reach the interesting cases.
--
--   cn     100,000 samples: 2019-2027 (the holiday data and its edges), boundary
--          instants (opening/closing +- 1 microsecond), and 1985-2160 (the Shanghai
--          DST years 1986-1991, far from the data) with up to 20,000 h of work
--   bmix    20,000 samples within 3 days of the Europe/Berlin changes of 2024-2027, on
--          a calendar with spans crossed or squeezed by the changes
--   ny247   10,000 samples on a 24/7 America/New_York calendar (working time = real time)
--
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';

-- bmix (Europe/Berlin): Mon-Fri 09:00-12:00, 13:00-17:00; Sat 22:00-24:00;
-- Sun 00:00-00:30, 01:00-02:30 (crossed by both changes), 02:45-03:15 (squeezed to
-- nothing in spring), 22:00-24:00; exceptions on change weekends
INSERT INTO complaint.calendar (name, tz) VALUES ('bmix', 'Europe/Berlin'), ('ny247', 'America/New_York');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'bmix', d, s.o, s.c FROM generate_series(1, 5) d,
       (VALUES (time '09:00', time '12:00'), ('13:00', '17:00')) s (o, c)
UNION ALL VALUES ('bmix', 6, time '22:00', time '24:00'),
                 ('bmix', 7, '00:00', '00:30'), ('bmix', 7, '01:00', '02:30'),
                 ('bmix', 7, '02:45', '03:15'), ('bmix', 7, '22:00', '24:00');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'ny247', d, '00:00', '24:00' FROM generate_series(1, 7) d;
INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES
    ('bmix', '2024-12-25', false, NULL),   -- a Wednesday holiday
    ('bmix', '2025-03-30', true, NULL),    -- spring Sunday, own (Sunday) spans
    ('bmix', '2025-10-26', true, 1),       -- autumn Sunday with Monday's spans
    ('bmix', '2026-03-29', false, NULL),   -- spring Sunday off
    ('bmix', '2026-10-24', true, 7);       -- the Saturday before a change, Sunday's spans

------------------------------------------------------------------------------------------
-- samples
------------------------------------------------------------------------------------------
-- three pseudo-random streams a, b, c per row number g (multiplicative hashing)
CREATE TEMP TABLE sample (cal text, g int, t timestamptz, w interval, d interval,
                          t2 timestamptz, u timestamptz, v timestamptz, n int);

INSERT INTO sample
SELECT 'cn', g, t,
       w, d, t + (c % 100000) * interval '1 second', u, u + (a % 5000000) * interval '1 second', (a % 23)::int
  FROM (SELECT g, a, b, c, t, t + (c % 5000000) * interval '1 second' + (a % 1000) * interval '1 microsecond' AS u,
               CASE (b / 7) % 6
                   WHEN 0 THEN interval '0'
                   WHEN 1 THEN (c % 600 + 1) * interval '1 hour'
                   WHEN 2 THEN (c % 1800000) * interval '1 second' + (a % 1000000) * interval '1 microsecond'
                   WHEN 3 THEN (c % 3600) * interval '1 second'
                   WHEN 4 THEN (ARRAY['3 hours', '5 hours', '8 hours', '40 hours', '0.000001 seconds']::interval[])[(c % 5 + 1)::int]
                   ELSE CASE WHEN g % 4 = 3 THEN (c % 72000000) * interval '1 second'
                             ELSE (c % 36000) * interval '1 second' END
               END AS w,
               CASE WHEN b % 2 = 0 THEN interval '0.000001 seconds' ELSE (a % 7200 + 1) * interval '1 second' END AS d
          FROM (SELECT g, a, b, c,
                       CASE g % 4
                           -- any instant of Oct 2019 .. Mar 2027, to the microsecond
                           WHEN 0 THEN timestamptz '2019-10-01 00:00+08' + (a % 236000000) * interval '1 second'
                                       + (b % 1000000) * interval '1 microsecond'
                           -- a boundary instant of a local day of Oct 2019 .. Feb 2027
                           WHEN 1 THEN (date '2019-10-01' + (a % 2700)::int
                                        + (ARRAY['00:00', '08:59:59.999999', '09:00', '09:00:00.000001',
                                                 '11:59:59.999999', '12:00', '12:59:59.999999', '13:00',
                                                 '17:59:59.999999', '18:00', '23:59:59.999999']::time[])[(b % 11 + 1)::int])
                                       AT TIME ZONE 'Asia/Shanghai'
                           -- whole minutes of Oct 2019 .. Mar 2027
                           WHEN 2 THEN timestamptz '2019-10-01 00:00+08' + (a % 3900000) * interval '1 minute'
                           -- any second of 1985 .. 2159
                           ELSE timestamptz '1985-01-01 00:00+08' + ((a * 7 + b) % 5520000000) * interval '1 second'
                       END AS t
                  FROM (SELECT g, (g::bigint * 2654435761) % 4294967291 AS a,
                               (g::bigint * 2246822519 + 3266489917) % 4294967279 AS b,
                               (g::bigint * 3266489917 + 668265263) % 4294967231 AS c
                          FROM generate_series(1, 100000) g) r) r2) r3;

INSERT INTO sample
SELECT 'bmix', g, t, w, d, t + (c % 20000) * interval '1 second', u, u + (a % 200000) * interval '1 second', (a % 9)::int
  FROM (SELECT g, a, b, c, t, t + (c % 400000) * interval '1 second' AS u,
               CASE (b / 5) % 4
                   WHEN 0 THEN interval '0'
                   WHEN 1 THEN interval '0.000001 seconds'
                   WHEN 2 THEN (c % 3600) * interval '1 second'
                   ELSE (c % 216000) * interval '1 second' + (a % 1000000) * interval '1 microsecond'
               END AS w,
               CASE WHEN b % 2 = 0 THEN interval '0.000001 seconds' ELSE (a % 7200 + 1) * interval '1 second' END AS d
          FROM (SELECT g, a, b, c,
                       CASE WHEN g % 3 = 0
                            -- a local boundary time on the change Sunday or its neighbours
                            THEN (day + (b % 3)::int - 1
                                  + (ARRAY['00:00', '00:30', '01:00', '02:00', '02:30', '02:45', '03:00', '03:15',
                                           '09:00', '17:00', '22:00', '23:59:59.999999']::time[])[(c % 12 + 1)::int])
                                 AT TIME ZONE 'Europe/Berlin'
                            -- any instant within 3 days of the change Sunday's local midnight
                            ELSE (day::timestamp AT TIME ZONE 'Europe/Berlin')
                                 + ((a % 518400) - 259200) * interval '1 second'
                                 + (b % 1000000) * interval '1 microsecond'
                       END AS t
                  FROM (SELECT g, a, b, c,
                               (ARRAY['2024-03-31', '2024-10-27', '2025-03-30', '2025-10-26',
                                      '2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31']::date[])[(g % 8 + 1)::int] AS day
                          FROM (SELECT g, (g::bigint * 2654435761) % 4294967291 AS a,
                                       (g::bigint * 2246822519 + 3266489917) % 4294967279 AS b,
                                       (g::bigint * 3266489917 + 668265263) % 4294967231 AS c
                                  FROM generate_series(1, 20000) g) r) r1) r2) r3;

INSERT INTO sample
SELECT 'ny247', g, t, (c % 1800000) * interval '1 second', interval '1 second',
       t + interval '1 second', t + (b % 5000000) * interval '1 second', t + (b % 5000000 + a % 100000) * interval '1 second',
       (a % 9)::int
  FROM (SELECT g, a, b, c, timestamptz '2024-01-01 00:00-05' + (a % 126000000) * interval '1 second' AS t
          FROM (SELECT g, (g::bigint * 2654435761) % 4294967291 AS a,
                       (g::bigint * 2246822519 + 3266489917) % 4294967279 AS b,
                       (g::bigint * 3266489917 + 668265263) % 4294967231 AS c
                  FROM generate_series(1, 10000) g) r) r1;

SELECT cal, count(*) AS samples, count(DISTINCT t) > 0.6 * count(*) AS mostly_distinct_starts
  FROM sample GROUP BY cal ORDER BY cal;

------------------------------------------------------------------------------------------
-- the functions, once per sample
------------------------------------------------------------------------------------------
CREATE TEMP TABLE result AS
SELECT s.*,
       complaint.business_add(cal, t, w) AS r,                -- result
       complaint.business_add(cal, t, w + d) AS r_more,       -- more work
       complaint.business_add(cal, t2, w) AS r_later,         -- later start (t2 >= t)
       complaint.is_business_time(cal, t) AS open_t,
       complaint.is_business_time(cal, u) AS open_u,
       complaint.next_business_time(cal, t) AS nb,
       complaint.business_between(cal, t, u) AS btu,
       complaint.business_between(cal, u, t) AS but,
       complaint.business_between(cal, u, v) AS buv,
       complaint.business_between(cal, t, v) AS btv,
       complaint.workdays_add(cal, t, n) AS wd,
       complaint.workdays_add(cal, t, n + 1) AS wd_next
  FROM sample s;

------------------------------------------------------------------------------------------
-- invariants: counts of violations per calendar (all 0)
------------------------------------------------------------------------------------------
SELECT cal, x.check_name, x.violations
  FROM (SELECT cal,
  -- business_between(t, business_add(t, w)) = w, and business_between is hours only
  count(*) FILTER (WHERE complaint.business_between(cal, t, r) <> w) AS inverse,
  count(*) FILTER (WHERE extract(day FROM btu) <> 0 OR extract(month FROM btu) <> 0
                      OR extract(day FROM btv) <> 0) AS hours_only,
  -- zero work is next_business_time
  count(*) FILTER (WHERE w = '0' AND r <> nb) AS zero_is_next,
  -- next_business_time(t) >= t, is open, and no working time lies between t and it
  count(*) FILTER (WHERE nb < t OR NOT complaint.is_business_time(cal, nb)
                      OR complaint.business_between(cal, t, nb) <> '0') AS next_is_first_open,
  -- is_business_time(t) <=> next_business_time(t) = t
  count(*) FILTER (WHERE open_t <> (nb = t)) AS open_iff_next_is_t,
  -- positive work ends after the start, its last microsecond is working time
  count(*) FILTER (WHERE w > '0' AND (r <= t OR NOT complaint.is_business_time(cal, r - interval '0.000001 seconds')
                      OR complaint.business_between(cal, r - interval '0.000001 seconds', r) <> '0.000001 seconds')) AS last_microsecond_worked,
  -- more work ends strictly later; a later start never ends earlier
  count(*) FILTER (WHERE r_more <= r) AS strictly_monotone_in_work,
  count(*) FILTER (WHERE r_later < r) AS monotone_in_start,
  -- business_between: antisymmetric, additive, between 0 and the elapsed time
  count(*) FILTER (WHERE btu <> -but) AS antisymmetric,
  count(*) FILTER (WHERE btu + buv <> btv) AS additive,
  count(*) FILTER (WHERE btu < '0' OR btu > u - t) AS bounded_by_elapsed,
  -- business_add(t, business_between(t, u)) is the first instant with all that work
  -- done: not after u, no working time left before u, and u itself when u lies inside a
  -- span (open, and open just before: at an opening instant it is the previous close)
  count(*) FILTER (WHERE btu > '0' AND (complaint.business_add(cal, t, btu) > u
                      OR complaint.business_between(cal, complaint.business_add(cal, t, btu), u) <> '0'
                      OR (open_u AND complaint.is_business_time(cal, u - interval '0.000001 seconds')
                          AND complaint.business_add(cal, t, btu) <> u))) AS add_inverts_between,
  -- workdays_add: a closing instant preceded by working time; n + 1 is one working day
  -- later (n >= 1), or the same day when n = 0 started on a day without working time
  count(*) FILTER (WHERE NOT complaint.is_business_time(cal, wd - interval '0.000001 seconds')
                      OR (n >= 1 AND (wd_next <= wd OR complaint.business_between(cal, wd, wd_next) <= '0'
                                      OR complaint.workdays_add(cal, wd - interval '0.000001 seconds', 1) <> wd_next))
                      OR (n = 0 AND wd_next <> wd
                                AND complaint.workdays_add(cal, wd - interval '0.000001 seconds', 1) <> wd_next)) AS workdays_step,
  count(*) FILTER (WHERE (wd AT TIME ZONE c.tz - interval '0.000001 seconds')::date
                         < (t AT TIME ZONE c.tz)::date + CASE WHEN n > 0 THEN 1 ELSE 0 END) AS workdays_after_start_day
  FROM result JOIN complaint.calendar c ON c.name = result.cal
  GROUP BY cal) v
  CROSS JOIN LATERAL (VALUES
      (1, 'inverse', inverse), (2, 'hours_only', hours_only), (3, 'zero_is_next', zero_is_next),
      (4, 'next_is_first_open', next_is_first_open), (5, 'open_iff_next_is_t', open_iff_next_is_t),
      (6, 'last_microsecond_worked', last_microsecond_worked),
      (7, 'strictly_monotone_in_work', strictly_monotone_in_work), (8, 'monotone_in_start', monotone_in_start),
      (9, 'antisymmetric', antisymmetric), (10, 'additive', additive), (11, 'bounded_by_elapsed', bounded_by_elapsed),
      (12, 'add_inverts_between', add_inverts_between), (13, 'workdays_step', workdays_step),
      (14, 'workdays_after_start_day', workdays_after_start_day)) x (k, check_name, violations)
 ORDER BY cal, x.k;

-- 24/7 (ny247): working time is real time, whatever the offset changes
SELECT count(*) FILTER (WHERE r <> t + w) AS add_is_real_time,
       count(*) FILTER (WHERE btu <> u - t OR btv <> v - t) AS between_is_real_time,
       count(*) FILTER (WHERE NOT open_t OR nb <> t) AS always_open,
       -- n = 0: the next local midnight in New York
       count(*) FILTER (WHERE n = 0 AND wd <> ((t AT TIME ZONE 'America/New_York')::date + 1)::timestamp
                                               AT TIME ZONE 'America/New_York') AS workdays_0_is_midnight
  FROM result WHERE cal = 'ny247';

------------------------------------------------------------------------------------------
-- the oracle: every span of every local day, resolved with AT TIME ZONE, straight from
-- the tables (hours_like NULL = own weekday when it has spans, else Monday)
------------------------------------------------------------------------------------------
CREATE TEMP TABLE oracle_span AS
SELECT c.name AS cal, d.day, sp.s, sp.e
  FROM complaint.calendar c
  CROSS JOIN LATERAL (SELECT CASE c.name WHEN 'cn' THEN date '1984-12-01' ELSE date '2023-12-01' END + k AS day
                        FROM generate_series(0, CASE c.name WHEN 'cn' THEN 64200 ELSE 1700 END) k) d
  LEFT JOIN complaint.calendar_day x ON x.calendar = c.name AND x.day = d.day
  CROSS JOIN LATERAL (SELECT CASE
             WHEN x.day IS NULL THEN extract(isodow FROM d.day)::int
             WHEN NOT x.is_workday THEN NULL
             WHEN x.hours_like IS NOT NULL THEN x.hours_like
             WHEN EXISTS (SELECT 1 FROM complaint.calendar_hours h2
                           WHERE h2.calendar = c.name AND h2.isodow = extract(isodow FROM d.day))
                  THEN extract(isodow FROM d.day)::int
             ELSE 1 END AS like_dow) l
  JOIN complaint.calendar_hours h ON h.calendar = c.name AND h.isodow = l.like_dow
  CROSS JOIN LATERAL (SELECT (d.day + h.opens) AT TIME ZONE c.tz AS s,
                             (d.day + h.closes) AT TIME ZONE c.tz AS e) sp
 WHERE c.name IN ('cn', 'bmix') AND sp.e > sp.s;
CREATE INDEX ON oracle_span (cal, s);
CREATE TEMP TABLE oracle_day AS
SELECT cal, day, max(e) AS closes FROM oracle_span GROUP BY cal, day;
CREATE INDEX ON oracle_day (cal, day);
ANALYZE oracle_span;
ANALYZE oracle_day;
-- what the oracle covers (counted independently, from the rules above and the cn rows):
-- cn 1984-12-01 .. 2160-09-09 has 45774 working days (Mon-Fri, minus the weekday
-- holidays, plus the weekend make-up days) x 2 spans = 91548, the first on Mon
-- 1984-12-03; bmix 2023-12-01 .. 2028-07-27: 15 spans a week (5 x 2 + 1 + 4), minus the
-- 02:45-03:15 span on the spring Sundays 2024, 2025, 2027, 2028, the changes of the
-- exception days (Wed 2024-12-25 -2, Sun 2025-10-26 like Monday -2, Sun 2026-03-29 -4,
-- Sat 2026-10-24 like Sunday +3) = 3636
SELECT cal, count(*) AS spans, min(day), max(day) FROM oracle_span GROUP BY cal ORDER BY cal;

-- the engine against the oracle: every 10th cn sample (10,000) and every bmix sample (20,000)
SELECT cal,
       count(*) AS compared,
       count(*) FILTER (WHERE btu <> o_between) AS between_vs_oracle,
       count(*) FILTER (WHERE open_t <> o_open) AS is_open_vs_oracle,
       count(*) FILTER (WHERE nb IS DISTINCT FROM o_next) AS next_vs_oracle,
       count(*) FILTER (WHERE wd IS DISTINCT FROM o_workdays) AS workdays_vs_oracle
  FROM (SELECT r.cal, r.btu, r.open_t, r.nb, r.wd,
               (SELECT coalesce(sum(least(o.e, r.u) - greatest(o.s, r.t)), '0')
                  FROM oracle_span o
                 WHERE o.cal = r.cal AND o.s < r.u AND o.e > r.t AND o.s > r.t - interval '2 days') AS o_between,
               EXISTS (SELECT 1 FROM oracle_span o
                        WHERE o.cal = r.cal AND o.s <= r.t AND o.e > r.t AND o.s > r.t - interval '2 days') AS o_open,
               (SELECT min(greatest(o.s, r.t)) FROM oracle_span o
                 WHERE o.cal = r.cal AND o.e > r.t AND o.s > r.t - interval '2 days'
                   AND o.s < r.t + interval '30 days') AS o_next,
               (SELECT od.closes FROM oracle_day od
                 WHERE od.cal = r.cal
                   AND od.day >= (r.t AT TIME ZONE c.tz)::date + CASE WHEN r.n > 0 THEN 1 ELSE 0 END
                 ORDER BY od.day OFFSET greatest(r.n - 1, 0) LIMIT 1) AS o_workdays
          FROM result r JOIN complaint.calendar c ON c.name = r.cal
         WHERE (r.cal = 'cn' AND r.g % 10 = 0) OR r.cal = 'bmix') x
 GROUP BY cal ORDER BY cal;

------------------------------------------------------------------------------------------
-- coverage: the samples reach the cases that matter
------------------------------------------------------------------------------------------
SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM complaint.calendar_day x
                                       WHERE x.calendar = 'cn' AND NOT x.is_workday
                                         AND x.day = (t AT TIME ZONE 'Asia/Shanghai')::date)) > 1000 AS starts_on_holidays,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM complaint.calendar_day x
                                       WHERE x.calendar = 'cn' AND x.is_workday
                                         AND x.day = (t AT TIME ZONE 'Asia/Shanghai')::date)) > 200 AS starts_on_make_up_days,
       count(*) FILTER (WHERE t < '1992-01-01' AND t >= '1986-01-01') > 500 AS starts_in_shanghai_dst_years,
       count(*) FILTER (WHERE open_t) > 10000 AND count(*) FILTER (WHERE NOT open_t) > 10000 AS starts_open_and_closed,
       count(*) FILTER (WHERE w > '0' AND NOT complaint.is_business_time('cn', r)) > 1000 AS results_on_a_close,
       count(*) FILTER (WHERE w = '0') > 10000 AS zero_work,
       count(*) FILTER (WHERE w > '1000 hours') > 1000 AS long_work,
       count(*) FILTER (WHERE btu > '0' AND NOT open_u) > 10000 AS between_ends_closed
  FROM result WHERE cal = 'cn';
SELECT count(*) FILTER (WHERE (t AT TIME ZONE 'Europe/Berlin')::date
                              IN ('2024-03-31', '2025-03-30', '2026-03-29', '2027-03-28')) > 1000 AS starts_on_spring_sundays,
       count(*) FILTER (WHERE (t AT TIME ZONE 'Europe/Berlin')::date
                              IN ('2024-10-27', '2025-10-26', '2026-10-25', '2027-10-31')) > 1000 AS starts_on_autumn_sundays,
       count(*) FILTER (WHERE t >= '2025-10-26 00:00+00' AND t < '2025-10-26 01:00+00'
                           OR t >= '2024-10-27 00:00+00' AND t < '2024-10-27 01:00+00'
                           OR t >= '2026-10-25 00:00+00' AND t < '2026-10-25 01:00+00'
                           OR t >= '2027-10-31 00:00+00' AND t < '2027-10-31 01:00+00') > 20 AS starts_in_first_repeated_hour,
       count(*) FILTER (WHERE open_t) > 1000 AS starts_open
  FROM result WHERE cal = 'bmix';

DELETE FROM complaint.calendar WHERE name IN ('bmix', 'ny247');
