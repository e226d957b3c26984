--
-- calendar_dst: calendars in zones with daylight-saving time.  Spans are local
-- wall-clock times; across a change the real elapsed time counts; a local time that
-- does not exist (spring gap) is resolved with the offset before the change, an
-- ambiguous one (autumn repeat) with the offset after it, as "timestamp AT TIME ZONE"
-- does; a span squeezed to nothing by the gap is dropped.
--
-- Changes used (tz database):
--   America/New_York  2025: Sun Mar 9 02:00 EST -> 03:00 EDT (07:00 UTC),
--                           Sun Nov 2 02:00 EDT -> 01:00 EST (06:00 UTC)
--                     2026: Sun Mar 8, Sun Nov 1 (same local times)
--                     2006 (rules before 2007): Sun Apr 2, Sun Oct 29
--   Europe/Berlin     2025: Sun Mar 30 02:00 CET -> 03:00 CEST (01:00 UTC),
--                           Sun Oct 26 03:00 CEST -> 02:00 CET (01:00 UTC)
--                     2026: Sun Mar 29, Sun Oct 25 (same local times)
--
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';

-- the resolution rule the engine must follow, shown once (in UTC): a nonexistent local
-- time takes the offset before the change, an ambiguous one the offset after it:
-- NY 02:30 EST = 07:30 UTC; NY 01:30 EST = 06:30 UTC; Berlin 02:30 CET = 01:30 UTC (twice)
SELECT timestamp '2025-03-09 02:30' AT TIME ZONE 'America/New_York' AS ny_gap_0230,
       timestamp '2025-11-02 01:30' AT TIME ZONE 'America/New_York' AS ny_repeat_0130,
       timestamp '2025-03-30 02:30' AT TIME ZONE 'Europe/Berlin' AS berlin_gap_0230,
       timestamp '2025-10-26 02:30' AT TIME ZONE 'Europe/Berlin' AS berlin_repeat_0230;

------------------------------------------------------------------------------------------
-- America/New_York
------------------------------------------------------------------------------------------
SET timezone = 'America/New_York';

INSERT INTO complaint.calendar (name, tz) VALUES
    ('ny247', 'America/New_York'),    -- 00:00-24:00 every day
    ('ny_office', 'America/New_York'),-- Mon-Fri 09:00-17:00
    ('ny_sun', 'America/New_York'),   -- Sundays 00:00-01:30 and 02:00-03:00
    ('ny_gap', 'America/New_York');   -- Sundays 02:00-03:00 only
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'ny247', d, time '00:00', time '24:00' FROM generate_series(1, 7) d
UNION ALL SELECT 'ny_office', d, time '09:00', time '17:00' FROM generate_series(1, 5) d
UNION ALL VALUES ('ny_sun', 7, time '00:00', time '01:30'), ('ny_sun', 7, '02:00', '03:00'),
                 ('ny_gap', 7, '02:00', '03:00');

-- 24/7: the local day of the spring change has 23 real hours, the autumn one 25, an
-- ordinary day 24 (2025 and 2026)
SELECT complaint.business_between('ny247', '2025-03-09 00:00-05', '2025-03-10 00:00-04') AS spring_2025,
       complaint.business_between('ny247', '2025-11-02 00:00-04', '2025-11-03 00:00-05') AS autumn_2025,
       complaint.business_between('ny247', '2025-03-10 00:00-04', '2025-03-11 00:00-04') AS ordinary,
       complaint.business_between('ny247', '2026-03-08 00:00-05', '2026-03-09 00:00-04') AS spring_2026,
       complaint.business_between('ny247', '2026-11-01 00:00-04', '2026-11-02 00:00-05') AS autumn_2026;
-- the rules of the year count: in 2006 the change was on Sun Apr 2 / Sun Oct 29, so
-- Sun Mar 12 2006 (2nd Sunday of March, today's rule) was an ordinary 24 h day
SELECT complaint.business_between('ny247', '2006-03-12 00:00-05', '2006-03-13 00:00-05') AS mar_12_2006,
       complaint.business_between('ny247', '2006-04-02 00:00-05', '2006-04-03 00:00-04') AS apr_2_2006,
       complaint.business_between('ny247', '2006-10-29 00:00-04', '2006-10-30 00:00-05') AS oct_29_2006;
-- a whole year of 24/7 is 365 x 24 = 8760 h: the lost and the repeated hour cancel out
SELECT complaint.business_between('ny247', '2025-01-01 00:00-05', '2026-01-01 00:00-05');
-- adding work across the spring change: Sat Mar 8 12:00 EST + 48 h = 48 real hours =
-- Mon Mar 10 12:00 EST wall clock + 1 h = Mon 13:00 EDT
SELECT complaint.business_add('ny247', '2025-03-08 12:00-05', '48 hours');
-- Sun Mar 9 01:30 EST + 1 h = 07:30 UTC = 03:30 EDT (02:xx does not exist)
SELECT complaint.business_add('ny247', '2025-03-09 01:30-05', '1 hour');
-- across the autumn change: Sun Nov 2 00:30 EDT + 2 h = 06:30 UTC = 01:30 EST (the second
-- 01:30 of the day)
SELECT complaint.business_add('ny247', '2025-11-02 00:30-04', '2 hours');
-- inside the repeated hour every instant is working time, both passes: 01:30 EDT, 01:30 EST
SELECT complaint.is_business_time('ny247', '2025-11-02 01:30-04') AS first_pass,
       complaint.is_business_time('ny247', '2025-11-02 01:30-05') AS second_pass,
       complaint.next_business_time('ny247', '2025-11-02 01:30-05') AS next_is_itself;
-- workdays_add on a change day: n = 0 on Sun Mar 9 -> that day's 24:00 = Mon 00:00 EDT;
-- on Sun Nov 2 -> Mon Nov 3 00:00 EST
SELECT complaint.workdays_add('ny247', '2025-03-09 10:00-04', 0) AS spring_close,
       complaint.workdays_add('ny247', '2025-11-02 10:00-05', 0) AS autumn_close;

-- office hours across the weekend of the change: Fri Mar 7 16:00 EST + 2 h: Fri 16-17
-- (1 h), Mon Mar 10 09:00 EDT + 1 h -> Mon 10:00 EDT
SELECT complaint.business_add('ny_office', '2025-03-07 16:00-05', '2 hours');
-- Fri Oct 31 16:00 EDT + 2 h: 1 h Friday, Mon Nov 3 09:00 EST + 1 h -> 10:00 EST
SELECT complaint.business_add('ny_office', '2025-10-31 16:00-04', '2 hours');
-- the week with the change still has 5 x 8 = 40 working hours (Mon Mar 3 -> Mon Mar 10)
SELECT complaint.business_between('ny_office', '2025-03-03 00:00-05', '2025-03-10 00:00-04');
-- workdays_add: Fri Mar 7 + 1 -> Mon Mar 10 17:00 EDT
SELECT complaint.workdays_add('ny_office', '2025-03-07 10:00-05', 1);

-- ny_sun (Sundays 00:00-01:30 and 02:00-03:00):
--   ordinary Sun Mar 2: 1.5 h + 1 h = 2.5 h
--   Sun Mar 9 (gap 02:00-03:00): 00:00-01:30 EST = 1.5 h; 02:00-03:00: 02:00 does not
--     exist -> EST -> 07:00 UTC, 03:00 EDT = 07:00 UTC: squeezed to nothing -> 1.5 h
--   Sun Nov 2 (01:00-02:00 twice): 00:00 EDT (04:00 UTC) - 01:30 ambiguous -> EST
--     (06:30 UTC) = 2.5 h; 02:00-03:00 EST (07:00-08:00 UTC) = 1 h -> 3.5 h
SELECT complaint.business_between('ny_sun', '2025-03-02 00:00-05', '2025-03-03 00:00-05') AS ordinary,
       complaint.business_between('ny_sun', '2025-03-09 00:00-05', '2025-03-10 00:00-04') AS spring,
       complaint.business_between('ny_sun', '2025-11-02 00:00-04', '2025-11-03 00:00-05') AS autumn;
-- inside the repeated hour: 01:45 EDT (05:45 UTC) lies in [04:00, 06:30 UTC) -> t;
-- 01:45 EST (06:45 UTC) lies between 01:30 EST and 02:00 EST -> f;
-- 01:15 EST (06:15 UTC) -> t
SELECT complaint.is_business_time('ny_sun', '2025-11-02 01:45-04') AS edt_0145,
       complaint.is_business_time('ny_sun', '2025-11-02 01:45-05') AS est_0145,
       complaint.is_business_time('ny_sun', '2025-11-02 01:15-05') AS est_0115;
-- Sun Nov 2 00:00 EDT + 3 h: 2.5 h to 01:30 EST, then 02:00 EST + 0.5 h -> 02:30 EST
SELECT complaint.business_add('ny_sun', '2025-11-02 00:00-04', '3 hours');
-- workdays_add closing time on a change day: Sat Nov 1 + 1 -> Sun Nov 2, last close
-- 03:00 EST; Sat Mar 8 + 1 -> Sun Mar 9, whose 02:00-03:00 span is gone: last close
-- 01:30 EST
SELECT complaint.workdays_add('ny_sun', '2025-11-01 12:00-04', 1) AS autumn_close,
       complaint.workdays_add('ny_sun', '2025-03-08 12:00-05', 1) AS spring_close;

-- ny_gap (Sundays 02:00-03:00 only): Sun Mar 9 2025 has no working time at all
SELECT complaint.business_between('ny_gap', '2025-03-09 00:00-05', '2025-03-10 00:00-04') AS spring,
       complaint.business_between('ny_gap', '2025-11-02 00:00-04', '2025-11-03 00:00-05') AS autumn,
       complaint.business_between('ny_gap', '2025-03-16 00:00-04', '2025-03-17 00:00-04') AS ordinary;
-- 03:00 EDT on Mar 9 (the would-be 02:00) is not working time; the next opening after
-- Sun Mar 9 00:00 is Sun Mar 16 02:00 EDT
SELECT complaint.is_business_time('ny_gap', '2025-03-09 03:00-04') AS at_0300_edt,
       complaint.next_business_time('ny_gap', '2025-03-09 00:00-05') AS next_open;
-- Sun Mar 2 02:30 EST + 1 h: 02:30-03:00 (0.5 h), Mar 9 none, Sun Mar 16 02:00-02:30 EDT
SELECT complaint.business_add('ny_gap', '2025-03-02 02:30-05', '1 hour');
-- workdays_add skips a day squeezed to nothing: Sat Mar 8 + 1 -> Sun Mar 16 03:00 EDT;
-- Sun Mar 9 + 0 -> Sun Mar 16 03:00 EDT
SELECT complaint.workdays_add('ny_gap', '2025-03-08 12:00-05', 1) AS plus_1,
       complaint.workdays_add('ny_gap', '2025-03-09 12:00-04', 0) AS plus_0;

------------------------------------------------------------------------------------------
-- Europe/Berlin
------------------------------------------------------------------------------------------
SET timezone = 'Europe/Berlin';

INSERT INTO complaint.calendar (name, tz) VALUES
    ('berlin', 'Europe/Berlin'),        -- Mon-Fri 09:00-17:00
    ('berlin_night', 'Europe/Berlin'),  -- Sundays 01:00-04:00 (crossed by both changes)
    ('berlin_gap', 'Europe/Berlin'),    -- Sundays 02:00-03:00
    ('berlin247', 'Europe/Berlin');     -- 00:00-24:00 every day
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'berlin', d, time '09:00', time '17:00' FROM generate_series(1, 5) d
UNION ALL SELECT 'berlin247', d, time '00:00', time '24:00' FROM generate_series(1, 7) d
UNION ALL VALUES ('berlin_night', 7, time '01:00', time '04:00'), ('berlin_gap', 7, '02:00', '03:00');

-- a span that the change crosses: Sun 01:00-04:00 local is 3 h on an ordinary Sunday,
-- 2 real hours in spring (01:00 CET = 00:00 UTC .. 04:00 CEST = 02:00 UTC) and 4 in
-- autumn (01:00 CEST = 23:00 UTC .. 04:00 CET = 03:00 UTC); the same in 2026
SELECT complaint.business_between('berlin_night', '2025-03-23 00:00+01', '2025-03-24 00:00+01') AS ordinary,
       complaint.business_between('berlin_night', '2025-03-30 00:00+01', '2025-03-31 00:00+02') AS spring_2025,
       complaint.business_between('berlin_night', '2025-10-26 00:00+02', '2025-10-27 00:00+01') AS autumn_2025,
       complaint.business_between('berlin_night', '2026-03-29 00:00+01', '2026-03-30 00:00+02') AS spring_2026,
       complaint.business_between('berlin_night', '2026-10-25 00:00+02', '2026-10-26 00:00+01') AS autumn_2026;
-- adding inside the crossed span, autumn: 01:00 CEST (23:00 UTC) + 3.5 h = 02:30 UTC = 03:30 CET
SELECT complaint.business_add('berlin_night', '2025-10-26 01:00+02', '3 hours 30 minutes');
-- spring: 01:00 CET (00:00 UTC) + 1.5 h = 01:30 UTC = 03:30 CEST
SELECT complaint.business_add('berlin_night', '2025-03-30 01:00+01', '1 hour 30 minutes');
-- spring: + 2 h uses the whole (2 h) span and ends on its close, 04:00 CEST
SELECT complaint.business_add('berlin_night', '2025-03-30 01:00+01', '2 hours');
-- spring: + 2 h 1 min: the span gives 2 h, the last minute is Sun Apr 6 01:00-01:01 CEST
SELECT complaint.business_add('berlin_night', '2025-03-30 01:00+01', '2 hours 1 minute');
-- is_business_time inside the repeated hour: 02:30 CEST (00:30 UTC) and 02:30 CET
-- (01:30 UTC) both lie in [23:00, 03:00 UTC) -> t, t; 04:00 CET (the close) -> f
SELECT complaint.is_business_time('berlin_night', '2025-10-26 02:30+02') AS cest_0230,
       complaint.is_business_time('berlin_night', '2025-10-26 02:30+01') AS cet_0230,
       complaint.is_business_time('berlin_night', '2025-10-26 04:00+01') AS cet_0400;
-- workdays_add closing time on a change day: Sat + 1 -> Sunday 04:00 local:
-- autumn 04:00 CET, spring 04:00 CEST
SELECT complaint.workdays_add('berlin_night', '2025-10-25 12:00+02', 1) AS autumn_close,
       complaint.workdays_add('berlin_night', '2025-03-29 12:00+01', 1) AS spring_close;

-- a span squeezed to nothing: Sundays 02:00-03:00.  Spring: 02:00 does not exist ->
-- CET -> 01:00 UTC; 03:00 CEST = 01:00 UTC -> empty, no working time that day.
-- Autumn: 02:00 is ambiguous -> CET (01:00 UTC); 03:00 CET = 02:00 UTC -> 1 h
SELECT complaint.business_between('berlin_gap', '2025-03-30 00:00+01', '2025-03-31 00:00+02') AS spring,
       complaint.business_between('berlin_gap', '2025-10-26 00:00+02', '2025-10-27 00:00+01') AS autumn;
-- in autumn only the second 02:xx is working time: 02:30 CEST (00:30 UTC) f,
-- 02:30 CET (01:30 UTC) t
SELECT complaint.is_business_time('berlin_gap', '2025-10-26 02:30+02') AS cest_0230,
       complaint.is_business_time('berlin_gap', '2025-10-26 02:30+01') AS cet_0230;
-- the next opening after the first 02:00 (02:00 CEST = 00:00 UTC) is the second 02:00 (CET)
SELECT complaint.next_business_time('berlin_gap', '2025-10-26 02:00+02');
-- in spring the Sunday of the change is skipped: next opening after Sun Mar 30 00:00 is
-- Sun Apr 6 02:00 CEST; workdays_add from Sat Mar 29 + 1 -> Sun Apr 6 03:00 CEST
SELECT complaint.next_business_time('berlin_gap', '2025-03-30 00:00+01') AS next_open,
       complaint.workdays_add('berlin_gap', '2025-03-29 12:00+01', 1) AS plus_1;

-- spans that overlap once resolved count once: Sundays 01:00-02:59 and 03:00-04:00.
-- Spring: 01:00 CET = 00:00 UTC .. 02:59 (does not exist -> CET) = 01:59 UTC, and
-- 03:00 CEST = 01:00 UTC .. 04:00 CEST = 02:00 UTC: together [00:00, 02:00 UTC) = 2 h
-- (the real time from 01:00 to 04:00 local), not 1:59 + 1:00.
-- Ordinary Sunday: 1:59 + 1:00 = 2:59.  Autumn: 01:00 CEST = 23:00 UTC .. 02:59
-- (ambiguous -> CET) = 01:59 UTC = 2:59, plus 03:00-04:00 CET = 1:00 -> 3:59
INSERT INTO complaint.calendar (name, tz) VALUES ('berlin_overlap', 'Europe/Berlin');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
VALUES ('berlin_overlap', 7, '01:00', '02:59'), ('berlin_overlap', 7, '03:00', '04:00');
SELECT complaint.business_between('berlin_overlap', '2025-03-23 00:00+01', '2025-03-24 00:00+01') AS ordinary,
       complaint.business_between('berlin_overlap', '2025-03-30 00:00+01', '2025-03-31 00:00+02') AS spring,
       complaint.business_between('berlin_overlap', '2025-10-26 00:00+02', '2025-10-27 00:00+01') AS autumn;
-- spring: 01:00 CET + 1 h 59 min = 01:59 UTC = 03:59 CEST; + 2 h = 02:00 UTC = 04:00 CEST
-- (the close); 03:30 CEST (01:30 UTC) is working time
SELECT complaint.business_add('berlin_overlap', '2025-03-30 01:00+01', '1 hour 59 minutes') AS plus_1h59,
       complaint.business_add('berlin_overlap', '2025-03-30 01:00+01', '2 hours') AS plus_2h,
       complaint.is_business_time('berlin_overlap', '2025-03-30 03:30+02') AS at_0330;
DELETE FROM complaint.calendar WHERE name = 'berlin_overlap';

-- 24/7 in Berlin: spring day 23 h, autumn day 25 h (2025)
SELECT complaint.business_between('berlin247', '2025-03-30 00:00+01', '2025-03-31 00:00+02') AS spring,
       complaint.business_between('berlin247', '2025-10-26 00:00+02', '2025-10-27 00:00+01') AS autumn;
-- the week Mon Mar 24 00:00 CET -> Mon Mar 31 00:00 CEST = 7 x 24 - 1 = 167 h
SELECT complaint.business_between('berlin247', '2025-03-24 00:00+01', '2025-03-31 00:00+02');
-- Sun Oct 26 00:00 CEST (22:00 UTC Oct 25) + 3 h = 01:00 UTC = 02:00 CET
SELECT complaint.business_add('berlin247', '2025-10-26 00:00+02', '3 hours');
-- Sat Mar 29 12:00 CET (11:00 UTC) + 24 h = Sun 11:00 UTC = 13:00 CEST
SELECT complaint.business_add('berlin247', '2025-03-29 12:00+01', '24 hours');
-- workdays_add n = 0 on the autumn change day: its 24:00 = Mon Oct 27 00:00 CET
SELECT complaint.workdays_add('berlin247', '2025-10-26 10:00+01', 0);

-- office hours: Fri Mar 28 16:00 CET + 2 h: 1 h Friday, Mon Mar 31 09:00 CEST + 1 h
SELECT complaint.business_add('berlin', '2025-03-28 16:00+01', '2 hours');
-- Fri Oct 24 16:00 CEST + 2 h: 1 h Friday, Mon Oct 27 09:00 CET + 1 h
SELECT complaint.business_add('berlin', '2025-10-24 16:00+02', '2 hours');
-- Fri Mar 28 09:00 CET -> Mon Mar 31 17:00 CEST: 8 h + 8 h = 16 h
SELECT complaint.business_between('berlin', '2025-03-28 09:00+01', '2025-03-31 17:00+02');
-- 2026: Fri Mar 27 16:00 CET + 2 h -> Mon Mar 30 10:00 CEST
SELECT complaint.business_add('berlin', '2026-03-27 16:00+01', '2 hours');

-- the local day is the calendar's, not the session's: with the session in Shanghai,
-- 2025-10-26 09:30+08 = 01:30 UTC = 02:30 CET (second pass) -> berlin_gap is open
SET timezone = 'Asia/Shanghai';
SELECT complaint.is_business_time('berlin_gap', '2025-10-26 09:30+08');
SET timezone = 'Europe/Berlin';

------------------------------------------------------------------------------------------
-- a local day that does not exist: Samoa (Pacific/Apia) skipped Friday 2011-12-30
-- (Thu Dec 29 23:59:59 -10 was followed by Sat Dec 31 00:00 +14, at 10:00 UTC).
-- Resolved as AT TIME ZONE resolves it, the missing Friday's 09:00-17:00 falls on the
-- real time of Saturday's 09:00-17:00 (both [Dec 30 19:00, Dec 31 03:00 UTC)); working
-- time that exists once counts once, as for the overlapping spans of berlin_overlap.
------------------------------------------------------------------------------------------
SET timezone = 'UTC';
INSERT INTO complaint.calendar (name, tz) VALUES ('apia', 'Pacific/Apia');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'apia', d, time '09:00', time '17:00' FROM generate_series(1, 7) d;
SELECT timestamp '2011-12-30 09:00' AT TIME ZONE 'Pacific/Apia' AS missing_fri_0900,
       timestamp '2011-12-31 09:00' AT TIME ZONE 'Pacific/Apia' AS sat_0900;
-- 8 real hours [Dec 30 19:00, Dec 31 03:00 UTC) hold 8 h of working time (Sat 09-17 +14)
SELECT complaint.business_between('apia', '2011-12-30 19:00+00', '2011-12-31 03:00+00');
-- [Dec 30 00:00, Dec 31 12:00 UTC): Thu 09:00-17:00 -10 ends Dec 30 03:00 UTC (3 h inside)
-- + Sat 8 h = 11 h
SELECT complaint.business_between('apia', '2011-12-30 00:00+00', '2011-12-31 12:00+00');
-- Thu Dec 29 10:00 -10 (20:00 UTC) + 20 h: Thu 10:00-17:00 (7 h, to Dec 30 03:00 UTC),
-- Sat 09:00-17:00 +14 (8 h, to Dec 31 03:00 UTC), Sun Jan 1 09:00 +14 (Dec 31 19:00 UTC)
-- + 5 h -> 2012-01-01 00:00 UTC; and business_between gives the 20 h back
SELECT complaint.business_add('apia', '2011-12-29 20:00+00', '20 hours') AS plus_20h,
       complaint.business_between('apia', '2011-12-29 20:00+00',
                                  complaint.business_add('apia', '2011-12-29 20:00+00', '20 hours')) AS back;
DELETE FROM complaint.calendar WHERE name = 'apia';
SET timezone = 'Europe/Berlin';

DELETE FROM complaint.calendar
 WHERE name IN ('ny247', 'ny_office', 'ny_sun', 'ny_gap', 'berlin', 'berlin_night', 'berlin_gap', 'berlin247');
SELECT count(*) AS calendars FROM complaint.calendar;
