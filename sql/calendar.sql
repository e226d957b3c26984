--
-- calendar: business-calendar arithmetic on the bundled calendar cn (Asia/Shanghai,
-- Mon-Fri 09:00-12:00 and 13:00-18:00, State Council holidays and make-up days 2020-2026)
-- and on custom calendars (24:00 close, several spans per day, exception days).
--
-- Every expected value was worked out by hand; the reasoning is in the comment above
-- each query.  Weekdays used below (checked against a printed calendar):
--   2025: Mon Mar 3 .. Fri Mar 7, Sat Mar 8; Mon Sep 1; Fri Sep 26, Sat 27, Sun 28,
--         Mon 29, Tue 30; Wed Oct 1 .. Wed Oct 8 off; Thu Oct 9, Fri 10, Sat 11, Mon 13;
--         Mon Jan 27, Tue Jan 28 .. Tue Feb 4 off, Wed Feb 5; Mon Dec 1, Tue Dec 2.
--   2026: Fri Feb 13, Sat Feb 14 (make-up), Sun Feb 15 .. Mon Feb 23 off, Tue Feb 24,
--         Sat Feb 28 (make-up), Sun Mar 1, Mon Mar 2.
--
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';

------------------------------------------------------------------------------------------
-- business_add: where the start lies
------------------------------------------------------------------------------------------

-- Mon 07:00 is before the opening: count from 09:00; 09:00 + 1 h = 10:00
SELECT complaint.business_add('cn', '2025-03-03 07:00+08', '1 hour');
-- Mon 10:15 is inside the morning span: 10:15 + 1 h = 11:15
SELECT complaint.business_add('cn', '2025-03-03 10:15+08', '1 hour');
-- Mon 11:00 + 2 h: 11:00-12:00 (1 h), lunch, 13:00-14:00 (1 h) -> 14:00
SELECT complaint.business_add('cn', '2025-03-03 11:00+08', '2 hours');
-- Mon 12:30 is in the lunch gap: count from 13:00; + 30 min = 13:30
SELECT complaint.business_add('cn', '2025-03-03 12:30+08', '30 minutes');
-- Mon 19:00 is after the close: Tue 09:00 + 1 h = Tue 10:00
SELECT complaint.business_add('cn', '2025-03-03 19:00+08', '1 hour');
-- Sat 10:00 (ordinary weekend): Mon 09:00 + 1 h = Mon 10:00
SELECT complaint.business_add('cn', '2025-03-08 10:00+08', '1 hour');
-- the local day is Shanghai's, not the session's: 2025-03-07 23:30 UTC is Sat 07:30 in
-- Shanghai -> Mon 09:00 + 1 h = Mon 10:00 +08
SELECT complaint.business_add('cn', '2025-03-07 23:30+00', '1 hour');
-- Fri 17:30 + 4 h: Fri 17:30-18:00 (0.5 h) + Mon 09-12 (3 h) + 13:00-13:30 (0.5 h) -> Mon 13:30
SELECT complaint.business_add('cn', '2025-03-07 17:30+08', '4 hours');
-- fractions: Mon 09:00 + 1 h 2 min 3.5 s = 10:02:03.5
SELECT complaint.business_add('cn', '2025-03-03 09:00+08', '01:02:03.5');

------------------------------------------------------------------------------------------
-- exact opening and closing instants
------------------------------------------------------------------------------------------

-- opening instant 09:00 + 3 h: the whole morning span, ends exactly at its 12:00 close,
-- and a result on a closing time stays there (not 13:00)
SELECT complaint.business_add('cn', '2025-03-03 09:00+08', '3 hours');
-- Mon 11:00 + 1 h ends on the 12:00 close -> 12:00
SELECT complaint.business_add('cn', '2025-03-03 11:00+08', '1 hour');
-- Mon 13:00 + 5 h: the whole afternoon, ends on the 18:00 close -> 18:00 (not Tue 09:00)
SELECT complaint.business_add('cn', '2025-03-03 13:00+08', '5 hours');
-- Mon 09:00 + 8 h: the whole day, 12:00 close not counted as a stop -> 18:00
SELECT complaint.business_add('cn', '2025-03-03 09:00+08', '8 hours');
-- Mon 12:00 is a closing instant (closes exclusive): count from 13:00; + 1 h = 14:00
SELECT complaint.business_add('cn', '2025-03-03 12:00+08', '1 hour');
-- one microsecond before noon + 1 microsecond ends exactly on the 12:00 close
SELECT complaint.business_add('cn', '2025-03-03 11:59:59.999999+08', '0.000001 seconds');
-- one microsecond of work from the 12:00 close: 13:00:00 + 1 microsecond
SELECT complaint.business_add('cn', '2025-03-03 12:00+08', '0.000001 seconds');

------------------------------------------------------------------------------------------
-- zero work = next_business_time(start)
------------------------------------------------------------------------------------------

-- inside a span: the start itself (10:15)
SELECT complaint.business_add('cn', '2025-03-03 10:15+08', '0');
-- before the opening 07:00 -> 09:00
SELECT complaint.business_add('cn', '2025-03-03 07:00+08', '0');
-- zero work at the 12:00 closing instant -> next opening 13:00
SELECT complaint.business_add('cn', '2025-03-03 12:00+08', '0');
-- zero work at the 18:00 closing instant (Mon) -> Tue 09:00
SELECT complaint.business_add('cn', '2025-03-03 18:00+08', '0 hours');
-- zero work at Fri 18:00 -> Mon 09:00 (weekend)
SELECT complaint.business_add('cn', '2025-03-07 18:00+08', '00:00:00');
-- zero work at an opening instant: 13:00 is open -> 13:00
SELECT complaint.business_add('cn', '2025-03-03 13:00+08', '0');

------------------------------------------------------------------------------------------
-- holidays and make-up days
------------------------------------------------------------------------------------------

-- National Day 2025: Tue Sep 30 17:00 + 2 h: 17:00-18:00 (1 h), Oct 1-8 off,
-- Thu Oct 9 09:00-10:00 (1 h) -> Oct 9 10:00
SELECT complaint.business_add('cn', '2025-09-30 17:00+08', '2 hours');
-- start inside National Day (Fri Oct 3 15:00): counting starts Thu Oct 9 09:00; + 4 h:
-- 09-12 (3 h) + 13:00-14:00 (1 h) -> Oct 9 14:00
SELECT complaint.business_add('cn', '2025-10-03 15:00+08', '4 hours');
-- make-up Sunday: Sat Sep 27 10:00 is off; Sun Sep 28 is a working day with Monday's
-- hours -> Sep 28 09:00 + 1 h = 10:00
SELECT complaint.business_add('cn', '2025-09-27 10:00+08', '1 hour');
-- make-up Saturday Oct 11: Fri Oct 10 17:00 + 2 h: Fri 1 h, Sat Oct 11 09:00-10:00 -> Sat 10:00
SELECT complaint.business_add('cn', '2025-10-10 17:00+08', '2 hours');
-- Spring Festival 2025: Mon Jan 27 17:00 + 3 h: 1 h Monday, Jan 28 - Feb 4 off,
-- Wed Feb 5 09:00-11:00 (2 h) -> Feb 5 11:00
SELECT complaint.business_add('cn', '2025-01-27 17:00+08', '3 hours');
-- Spring Festival 2026: Fri Feb 13 17:00 + 2 h: 1 h Friday, Sat Feb 14 is a make-up day
-- 09:00-10:00 -> Sat Feb 14 10:00
SELECT complaint.business_add('cn', '2026-02-13 17:00+08', '2 hours');
-- Sat Feb 14 2026 17:00 + 2 h: 17:00-18:00 (1 h), Feb 15-23 off (Sun..Mon),
-- Tue Feb 24 09:00-10:00 -> Feb 24 10:00
SELECT complaint.business_add('cn', '2026-02-14 17:00+08', '2 hours');
-- Mon Mar 3 2025 09:00 + 200 h: Mar 3 - Apr 3 are 24 working days (Mar: 21, Apr 1-3: 3)
-- = 192 h, Fri Apr 4 - Sun Apr 6 Qingming off, Mon Apr 7 09:00-18:00 gives the last 8 h
-- -> ends exactly on the Apr 7 18:00 close
SELECT complaint.business_add('cn', '2025-03-03 09:00+08', '200 hours');
-- long work, 500 h from Mon Sep 1 2025 09:00:
--   Sep: 22 weekdays + make-up Sun Sep 28 = 23 days = 184 h
--   Oct: Oct 1-8 off; Oct 9, 10, 13-17, 20-24, 27-31 (17) + make-up Sat Oct 11 = 18 days = 144 h (328)
--   Nov: 3-7, 10-14, 17-21, 24-28 = 20 days = 160 h (488)
--   Mon Dec 1: 8 h (496); Tue Dec 2: 09-12 (499) + 13:00-14:00 (500) -> Dec 2 14:00
SELECT complaint.business_add('cn', '2025-09-01 09:00+08', '500 hours');
-- and back: the same span is 500 h of working time, written in hours (never days)
SELECT complaint.business_between('cn', '2025-09-01 09:00+08', '2025-12-02 14:00+08');
-- work given in minutes is the same length: 30000 min = 500 h
SELECT complaint.business_add('cn', '2025-09-01 09:00+08', '30000 minutes');

-- an exception day of our own on cn (allowed, builtin = false): make Mon Mar 3 2025 a
-- holiday; Fri Mar 7 17:30 is then unaffected, but Fri Feb 28 17:00 + 2 h skips Monday:
-- Fri 1 h, Mon Mar 3 off, Tue Mar 4 09:00-10:00 -> Mar 4 10:00
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('cn', '2025-03-03', false);
SELECT complaint.business_add('cn', '2025-02-28 17:00+08', '2 hours');
-- removing our row restores Monday: Fri 1 h + Mon Mar 3 09:00-10:00 -> Mon 10:00
DELETE FROM complaint.calendar_day WHERE calendar = 'cn' AND day = '2025-03-03' AND NOT builtin;
SELECT complaint.business_add('cn', '2025-02-28 17:00+08', '2 hours');

------------------------------------------------------------------------------------------
-- business_between: [t1, t2), negative when reversed, hours/minutes/seconds only
------------------------------------------------------------------------------------------

-- one ordinary week Mon 09:00 -> next Mon 09:00 = 5 x 8 h = 40 h
SELECT complaint.business_between('cn', '2025-03-03 09:00+08', '2025-03-10 09:00+08');
-- reversed bounds: -40 h
SELECT complaint.business_between('cn', '2025-03-10 09:00+08', '2025-03-03 09:00+08');
-- the same instant: zero
SELECT complaint.business_between('cn', '2025-03-03 10:00+08', '2025-03-03 10:00+08');
-- within the lunch gap 12:00 -> 13:00: zero
SELECT complaint.business_between('cn', '2025-03-03 12:00+08', '2025-03-03 13:00+08');
-- 11:00 -> 14:00: 11-12 (1 h) + 13-14 (1 h) = 2 h
SELECT complaint.business_between('cn', '2025-03-03 11:00+08', '2025-03-03 14:00+08');
-- Sat 00:00 -> Mon 00:00: a weekend, zero
SELECT complaint.business_between('cn', '2025-03-08 00:00+08', '2025-03-10 00:00+08');
-- the last microsecond of the morning span: 11:59:59.999999 -> 12:00:00 = 1 microsecond
SELECT complaint.business_between('cn', '2025-03-03 11:59:59.999999+08', '2025-03-03 12:00+08');
-- Fri Sep 26 12:00 -> Mon Oct 13 12:00 over National Day: Sep 26 13-18 (5), make-up
-- Sun Sep 28 (8), Mon 29 (8), Tue 30 (8), Oct 1-8 off, Thu Oct 9 (8), Fri 10 (8),
-- make-up Sat 11 (8), Mon 13 09-12 (3) = 56 h
SELECT complaint.business_between('cn', '2025-09-26 12:00+08', '2025-10-13 12:00+08');
-- and reversed: -56 h
SELECT complaint.business_between('cn', '2025-10-13 12:00+08', '2025-09-26 12:00+08');
-- Spring Festival 2026, Fri Feb 13 09:00 -> Mon Mar 2 09:00: Feb 13 (8), make-up Sat 14 (8),
-- Feb 15-23 off, Tue 24 - Fri 27 (4 x 8 = 32), make-up Sat 28 (8), Sun Mar 1 off = 56 h
SELECT complaint.business_between('cn', '2026-02-13 09:00+08', '2026-03-02 09:00+08');
-- the whole of 2025: 261 weekdays (Jan 1 is a Wednesday, 52 weeks + Wed Dec 31),
-- minus 18 weekday holidays (Jan 1; Jan 28-31, Feb 3-4; Apr 4; May 1, 2, 5; Jun 2;
-- Oct 1-3, 6-8), plus 5 make-up days (Jan 26, Feb 8, Apr 27, Sep 28, Oct 11)
-- = 248 working days = 1984 h: '1984:00:00', never '82 days 16:00:00'
SELECT complaint.business_between('cn', '2025-01-01 00:00+08', '2026-01-01 00:00+08');
-- the result has no day or month part and feeds back into business_add:
-- 2025-01-01 00:00 + 1984 h ends on the last close of 2025 (Wed Dec 31 18:00)
SELECT extract(day FROM w) AS days, extract(month FROM w) AS months,
       complaint.business_add('cn', '2025-01-01 00:00+08', w) AS back
  FROM complaint.business_between('cn', '2025-01-01 00:00+08', '2026-01-01 00:00+08') AS w;

------------------------------------------------------------------------------------------
-- is_business_time: opens inclusive, closes exclusive; next_business_time
------------------------------------------------------------------------------------------

-- Mon Mar 3 2025: 08:59:59.999999 f, 09:00 t, 11:59:59.999999 t, 12:00 f,
-- 12:59:59.999999 f, 13:00 t, 17:59:59.999999 t, 18:00 f
SELECT t::time AS local_time, complaint.is_business_time('cn', t)
  FROM unnest(ARRAY['2025-03-03 08:59:59.999999+08', '2025-03-03 09:00+08',
                    '2025-03-03 11:59:59.999999+08', '2025-03-03 12:00+08',
                    '2025-03-03 12:59:59.999999+08', '2025-03-03 13:00+08',
                    '2025-03-03 17:59:59.999999+08', '2025-03-03 18:00+08']::timestamptz[]) AS t;
-- ordinary Sat 10:00 f; holiday Fri Oct 3 2025 10:00 f; make-up Sun Sep 28 10:00 t and
-- 12:30 f (Monday's lunch gap); make-up Sat Feb 14 2026 17:59:59.999999 t, 18:00 f;
-- Spring Festival Wed Feb 18 2026 10:00 f
SELECT t, complaint.is_business_time('cn', t)
  FROM unnest(ARRAY['2025-03-08 10:00+08', '2025-10-03 10:00+08',
                    '2025-09-28 10:00+08', '2025-09-28 12:30+08',
                    '2026-02-14 17:59:59.999999+08', '2026-02-14 18:00+08',
                    '2026-02-18 10:00+08']::timestamptz[]) AS t;
-- next_business_time: an open instant is itself (10:15, 09:00, 13:00); 08:59:59.999999 ->
-- 09:00; 12:00 -> 13:00; Mon 18:00 -> Tue 09:00; Fri 18:00 -> Mon 09:00;
-- holiday Oct 1 10:00 -> Thu Oct 9 09:00; Sat Sep 27 -> make-up Sun Sep 28 09:00;
-- Sat Feb 14 2026 07:00 (make-up) -> 09:00 that day; Sun Feb 15 2026 -> Tue Feb 24 09:00
SELECT t, complaint.next_business_time('cn', t)
  FROM unnest(ARRAY['2025-03-03 10:15+08', '2025-03-03 09:00+08', '2025-03-03 13:00+08',
                    '2025-03-03 08:59:59.999999+08', '2025-03-03 12:00+08',
                    '2025-03-03 18:00+08', '2025-03-07 18:00+08',
                    '2025-10-01 10:00+08', '2025-09-27 10:00+08',
                    '2026-02-14 07:00+08', '2026-02-15 00:00+08']::timestamptz[]) AS t;

------------------------------------------------------------------------------------------
-- workdays_add: closing time of the n-th working day after the local day of start
------------------------------------------------------------------------------------------

-- n = 0 on a working day: that day's close (Mon 10:00 -> Mon 18:00)
SELECT complaint.workdays_add('cn', '2025-03-03 10:00+08', 0);
-- n = 0 on a working day after its close (Fri 20:00): the local day is a working day,
-- so its close Fri 18:00 (contract table: "closing time of the local day of start")
SELECT complaint.workdays_add('cn', '2025-03-07 20:00+08', 0);
-- n = 0 on Saturday -> next working day Mon Mar 10 18:00
SELECT complaint.workdays_add('cn', '2025-03-08 10:00+08', 0);
-- n = 0 from a holiday (Oct 3 2025) -> next working day Thu Oct 9 18:00
SELECT complaint.workdays_add('cn', '2025-10-03 10:00+08', 0);
-- n = 1 from Fri Mar 7 -> Mon Mar 10 18:00
SELECT complaint.workdays_add('cn', '2025-03-07 10:00+08', 1);
-- n = 1 from Mon 00:00 (early) counts after the local day Mon -> Tue 18:00
SELECT complaint.workdays_add('cn', '2025-03-03 00:00+08', 1);
-- n = 1 from Sat Sep 27 -> make-up Sun Sep 28 18:00
SELECT complaint.workdays_add('cn', '2025-09-27 10:00+08', 1);
-- n = 1 from a holiday (Wed Oct 1) -> Thu Oct 9 18:00
SELECT complaint.workdays_add('cn', '2025-10-01 10:00+08', 1);
-- n = 3 from Wed Oct 1 -> Oct 9 (1), Oct 10 (2), make-up Sat Oct 11 (3) -> Oct 11 18:00
SELECT complaint.workdays_add('cn', '2025-10-01 10:00+08', 3);
-- n = 2 from Tue Sep 30 across National Day -> Oct 9 (1), Oct 10 (2) -> Oct 10 18:00
SELECT complaint.workdays_add('cn', '2025-09-30 10:00+08', 2);
-- n = 2 from Fri Feb 13 2026 -> make-up Sat Feb 14 (1), Feb 15-23 off, Tue Feb 24 (2)
SELECT complaint.workdays_add('cn', '2026-02-13 10:00+08', 2);
-- n = 20 from Mon Sep 22 2025: Sep 23-26 (1-4), Sun 28 (5), Mon 29 (6), Tue 30 (7),
-- Oct 9 (8), Oct 10 (9), Sat Oct 11 (10), Oct 13-17 (11-15), Oct 20-24 (16-20) -> Fri Oct 24 18:00
SELECT complaint.workdays_add('cn', '2025-09-22 10:00+08', 20);
-- n = 20 from an ordinary Mon Mar 3 2025: 4 weeks of 5 days from Tue Mar 4 -> the 20th is
-- Mon Mar 31 (Mar 4-7: 4, 10-14: 9, 17-21: 14, 24-28: 19, Mar 31: 20)
SELECT complaint.workdays_add('cn', '2025-03-03 10:00+08', 20);
-- local day by the calendar's zone: 2025-03-07 23:30 UTC is Sat Mar 8 in Shanghai;
-- n = 0 -> Mon Mar 10 18:00 (not Fri Mar 7)
SELECT complaint.workdays_add('cn', '2025-03-07 23:30+00', 0);

------------------------------------------------------------------------------------------
-- calendar_info('cn')
------------------------------------------------------------------------------------------

-- tz Asia/Shanghai; weekly 5 x 8 h = 40 h on 5 weekdays; 255 exception days (SOURCE.md
-- data, 2020-2026); offset changes of Asia/Shanghai 1900-2199 (zdump): LMT->CST 1901 (1),
-- 1919 (2), 1940 (2), 1941 (2), 1942 + 1945 (2), 1946-1949 (8), 1986-1991 (12) = 29;
-- special days = 255 exception days + days next to a change: each change touches the
-- local days before and after it plus one on each side: 3 days when the change stays
-- within one local day (20), 4 when it moves the clock back across midnight (LMT->CST
-- 1901 and the 8 autumn changes 1919-1949 at 24:00 -> 23:00) -> 20 x 3 + 9 x 4 = 96;
-- no overlap with 2020-2026 -> 351
SELECT * FROM complaint.calendar_info('cn');

------------------------------------------------------------------------------------------
-- custom calendar: a night shift with a 24:00 close
------------------------------------------------------------------------------------------
-- Mon-Fri 20:00-24:00 and Tue-Sat 00:00-04:00: a Mon 20:00 - Tue 04:00 shift split
-- at midnight.  Week: Mon 4 h, Tue-Fri 8 h each, Sat 4 h = 40 h on 6 weekdays.
INSERT INTO complaint.calendar (name, tz) VALUES ('night', 'Asia/Shanghai');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'night', d, time '20:00', time '24:00' FROM generate_series(1, 5) d
UNION ALL
SELECT 'night', d, time '00:00', time '04:00' FROM generate_series(2, 6) d;
SELECT isodow, opens, closes FROM complaint.calendar_hours WHERE calendar = 'night' ORDER BY isodow, opens;
-- Mon 22:00 + 3 h: 22:00-24:00 (2 h) + Tue 00:00-01:00 -> Tue 01:00
SELECT complaint.business_add('night', '2025-03-03 22:00+08', '3 hours');
-- Mon 23:00 + 1 h ends on Monday's 24:00 close = Tue 00:00
SELECT complaint.business_add('night', '2025-03-03 23:00+08', '1 hour');
-- Tue 03:00 + 2 h: 03:00-04:00 (1 h), closed 04:00-20:00, 20:00-21:00 -> Tue 21:00
SELECT complaint.business_add('night', '2025-03-04 03:00+08', '2 hours');
-- Fri 23:00 + 6 h: Fri 23-24 (1 h), Sat 00-04 (4 h), Mon 20:00-21:00 (1 h) -> Mon Mar 10 21:00
SELECT complaint.business_add('night', '2025-03-07 23:00+08', '6 hours');
-- zero work at Tue 04:00 (a close) -> Tue 20:00
SELECT complaint.business_add('night', '2025-03-04 04:00+08', '0');
-- Mon 20:00 -> Tue 04:00 is one shift, 8 h
SELECT complaint.business_between('night', '2025-03-03 20:00+08', '2025-03-04 04:00+08');
-- a whole week Mon 00:00 -> Mon 00:00 = 40 h
SELECT complaint.business_between('night', '2025-03-03 00:00+08', '2025-03-10 00:00+08');
-- Mon 23:59:59.999999 t; Tue 00:00 t (Tuesday's span opens); Mon 00:00 f (no Monday
-- morning span); Tue 04:00 f; Sat 00:00 t (Friday's 24:00 close = Saturday's opening);
-- Sun 00:00 f (Saturday has no 24:00 span)
SELECT t, complaint.is_business_time('night', t)
  FROM unnest(ARRAY['2025-03-03 23:59:59.999999+08', '2025-03-04 00:00+08',
                    '2025-03-03 00:00+08', '2025-03-04 04:00+08',
                    '2025-03-08 00:00+08', '2025-03-09 00:00+08']::timestamptz[]) AS t;
-- workdays_add n = 0: Mon's last close is 24:00 = Tue 00:00; Tue's = Tue 24:00 = Wed 00:00;
-- Sat's (only 00-04) = Sat 04:00; Sun has none -> Monday's 24:00 = Tue Mar 11 00:00
SELECT t, complaint.workdays_add('night', t, 0)
  FROM unnest(ARRAY['2025-03-03 12:00+08', '2025-03-04 12:00+08',
                    '2025-03-08 12:00+08', '2025-03-09 12:00+08']::timestamptz[]) AS t;
-- Asia/Shanghai, 40 h, 6 working weekdays, no exceptions, 96 days next to a change, 29 changes
SELECT * FROM complaint.calendar_info('night');

------------------------------------------------------------------------------------------
-- custom calendar: several spans per day, exception days and hours_like
------------------------------------------------------------------------------------------
-- shop: Mon 09:00-17:00 (8 h); Tue-Fri 10:00-12:00, 13:00-15:00, 16:00-19:00 (7 h);
-- Sat 10:00-14:00 (4 h); Sun closed.  Week = 8 + 4 x 7 + 4 = 40 h on 6 weekdays.
INSERT INTO complaint.calendar (name, tz) VALUES ('shop', 'Asia/Shanghai');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
VALUES ('shop', 1, '09:00', '17:00'), ('shop', 6, '10:00', '14:00');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'shop', d, s.o, s.c
  FROM generate_series(2, 5) d,
       (VALUES (time '10:00', time '12:00'), ('13:00', '15:00'), ('16:00', '19:00')) s (o, c);
-- exception days (March 2025):
--   Sat Mar 8  working, hours_like NULL -> own weekday (Saturday has spans): 10-14, 4 h
--   Sun Mar 9  working, hours_like NULL -> Sunday has none -> Monday's 09-17, 8 h
--   Wed Mar 12 holiday
--   Sat Mar 15 working, hours_like 1 -> Monday's 09-17, 8 h
--   Sun Mar 16 working, hours_like 3 -> Wednesday's three spans, 7 h
INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES
    ('shop', '2025-03-08', true, NULL), ('shop', '2025-03-09', true, NULL),
    ('shop', '2025-03-12', false, NULL), ('shop', '2025-03-15', true, 1),
    ('shop', '2025-03-16', true, 3);
-- Asia/Shanghai, 40 h, 6 working weekdays, 5 exceptions, 5 + 96 = 101 special days, 29 changes
SELECT * FROM complaint.calendar_info('shop');
-- working time of each local day Mar 8 .. Mar 17 (hand values):
--   Sat 8: 4 h (own Saturday, not Monday's 8 h); Sun 9: 8 h (Monday fallback);
--   Mon 10: 8; Tue 11: 7; Wed 12: 0 (holiday); Thu 13: 7; Fri 14: 7;
--   Sat 15: 8 (like Monday); Sun 16: 7 (like Wednesday); Mon 17: 8
SELECT d::date AS day, to_char(d, 'Dy') AS dow,
       complaint.business_between('shop', d, d + interval '1 day') AS worked
  FROM generate_series(timestamptz '2025-03-08 00:00+08', '2025-03-17 00:00+08', interval '1 day') d;
-- Mon Mar 10 00:00 -> Mon Mar 17 00:00 = 8 + 7 + 0 + 7 + 7 + 8 + 7 = 44 h
SELECT complaint.business_between('shop', '2025-03-10 00:00+08', '2025-03-17 00:00+08');
-- Sun Mar 9 (Monday fallback) 08:00 -> opens 09:00
SELECT complaint.next_business_time('shop', '2025-03-09 08:00+08');
-- Sat Mar 8 (own Saturday hours) 09:30 is closed (Monday's 09:00 does not apply) -> 10:00
SELECT complaint.next_business_time('shop', '2025-03-08 09:30+08');
-- Sun Mar 16 (like Wednesday): 12:30 f (gap), 13:30 t, 15:30 f, 18:59:59.999999 t, 19:00 f
SELECT t, complaint.is_business_time('shop', t)
  FROM unnest(ARRAY['2025-03-16 12:30+08', '2025-03-16 13:30+08', '2025-03-16 15:30+08',
                    '2025-03-16 18:59:59.999999+08', '2025-03-16 19:00+08']::timestamptz[]) AS t;
-- holiday Wed Mar 12 10:30 is closed
SELECT complaint.is_business_time('shop', '2025-03-12 10:30+08');
-- Tue Mar 4 10:00 + 2 h ends on the 12:00 close of the first span -> 12:00
SELECT complaint.business_add('shop', '2025-03-04 10:00+08', '2 hours');
-- Tue Mar 4 11:00 + 4 h: 11-12 (1), 13-15 (2), 16:00-17:00 (1) -> 17:00
SELECT complaint.business_add('shop', '2025-03-04 11:00+08', '4 hours');
-- Tue Mar 4 11:30 + 3.5 h: 11:30-12 (0.5), 13-15 (2), 16:00-17:00 (1) -> 17:00
SELECT complaint.business_add('shop', '2025-03-04 11:30+08', '3 hours 30 minutes');
-- Tue Mar 11 14:30 + 5 h: 14:30-15:00 (0.5), 16-19 (3), Wed Mar 12 holiday,
-- Thu Mar 13 10:00-11:30 (1.5) -> Thu 11:30
SELECT complaint.business_add('shop', '2025-03-11 14:30+08', '5 hours');
-- Fri Mar 14 18:00 + 10 h: Fri 18-19 (1), Sat Mar 15 like Monday 09-17 (8), Sun Mar 16 like
-- Wednesday 10:00-11:00 (1) -> Sun Mar 16 11:00
SELECT complaint.business_add('shop', '2025-03-14 18:00+08', '10 hours');
-- workdays_add: Tue Mar 11 + 1 -> Wed holiday, Thu Mar 13 closes 19:00;
-- Fri Mar 14 + 1 -> Sat Mar 15 (Monday's hours) closes 17:00;
-- Sat Mar 15 + 1 -> Sun Mar 16 (Wednesday's hours) closes 19:00;
-- Sat Mar 22 + 1 -> Sun Mar 23 is closed -> Mon Mar 24 closes 17:00;
-- Sun Mar 9 + 0 -> Sun Mar 9 is a working day (Monday fallback) closes 17:00
SELECT t, n, complaint.workdays_add('shop', t, n)
  FROM (VALUES (timestamptz '2025-03-11 10:00+08', 1), ('2025-03-14 10:00+08', 1),
               ('2025-03-15 10:00+08', 1), ('2025-03-22 10:00+08', 1),
               ('2025-03-09 10:00+08', 0)) v (t, n);
-- changing a span takes effect at once in this session: Saturday 10:00-14:00 becomes
-- 10:00-15:00, so Sat Mar 8 (own Saturday hours) now has 5 h, Sat Mar 15 (like Monday)
-- keeps 8 h
UPDATE complaint.calendar_hours SET closes = '15:00' WHERE calendar = 'shop' AND isodow = 6;
SELECT complaint.business_between('shop', '2025-03-08 00:00+08', '2025-03-09 00:00+08') AS sat_8,
       complaint.business_between('shop', '2025-03-15 00:00+08', '2025-03-16 00:00+08') AS sat_15;
-- and the weekly total is 41 h now
SELECT weekly_hours FROM complaint.calendar_info('shop');

-- clean up: deleting a calendar of our own removes its hours and days (ON DELETE CASCADE)
DELETE FROM complaint.calendar WHERE name IN ('night', 'shop');
SELECT (SELECT count(*) FROM complaint.calendar) AS calendars,
       (SELECT count(*) FROM complaint.calendar_hours) AS spans,
       (SELECT count(*) FROM complaint.calendar_day) AS days;

-- The calendar functions are PARALLEL SAFE. A parallel worker starts with an empty calendar
-- cache and compiles the calendar inside the parallel operation, where no new snapshot may
-- be taken: it reads the calendar with the statement's snapshot (a fresh session, so the
-- leader compiles inside the parallel operation too).
\c
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
CREATE TABLE public.cal_parallel AS
  SELECT timestamptz '2026-01-30 09:00+08' + i * interval '37 minutes' AS t FROM generate_series(1, 2000) i;
ANALYZE public.cal_parallel;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT sum(extract(epoch FROM complaint.business_between('cn', t, complaint.business_add('cn', t, interval '4 hours'))))
  FROM public.cal_parallel;
-- every one of the 2,000 spans is 4 working hours: 2,000 x 14,400 s
SELECT sum(extract(epoch FROM complaint.business_between('cn', t, complaint.business_add('cn', t, interval '4 hours'))))
  FROM public.cal_parallel;
-- a single query run by a worker alone: Wed Sep 30 2026 + 1 working day = Thu Oct 8
-- (National Day Oct 1-7 off), its close at 18:00
SET force_parallel_mode = on;
SELECT complaint.workdays_add('cn', '2026-09-30 10:00+08', 1) AS after_national_day;
RESET force_parallel_mode;
DROP TABLE public.cal_parallel;
