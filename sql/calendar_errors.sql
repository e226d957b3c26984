--
-- calendar_errors: every bad input of the calendar functions and of the calendar
-- tables, with its exact message and SQLSTATE; after each failed write the row counts
-- show that nothing was half-written.
--
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
-- CONTEXT lines (line numbers inside the trigger functions) are not part of the contract
\set SHOW_CONTEXT never

-- row counts of the three tables, shown after each failed write
CREATE TEMP VIEW counts AS
SELECT (SELECT count(*) FROM complaint.calendar) AS calendars,
       (SELECT count(*) FROM complaint.calendar_hours) AS spans,
       (SELECT count(*) FROM complaint.calendar_day) AS days,
       (SELECT count(*) FROM complaint.calendar_day WHERE calendar = 'cn' AND builtin) AS cn_builtin_days;
TABLE counts;

------------------------------------------------------------------------------------------
-- work intervals: no day or month part, not negative (22023; the hint names workdays_add)
------------------------------------------------------------------------------------------
SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '-1 hour');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '-0.000001 seconds');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '1 day');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '1 day 2 hours');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '1 month');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '1 year');
\echo :LAST_ERROR_SQLSTATE
-- a day part is refused even when the total is zero ('1 day -24 hours')
SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '1 day -24 hours');
\echo :LAST_ERROR_SQLSTATE
-- negative day part with positive hours: still a day part
SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '-1 day 30 hours');
\echo :LAST_ERROR_SQLSTATE
-- the same length in hours is fine: Mon 10:00 + 24 h = 3 days of 8 h: Mon 10:00-18:00 (7),
-- Tue (8), Wed (8), Thu 09:00-10:00 (1) -> Thu Mar 6 10:00
SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '24 hours');

------------------------------------------------------------------------------------------
-- unknown calendar: SQLSTATE 42704 naming the calendar, from every function
------------------------------------------------------------------------------------------
SELECT complaint.business_add('nope', '2025-03-03 10:00+08', '1 hour');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_between('nope', '2025-03-03 10:00+08', '2025-03-04 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.is_business_time('nope', '2025-03-03 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.next_business_time('nope', '2025-03-03 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.workdays_add('nope', '2025-03-03 10:00+08', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM complaint.calendar_info('nope');
\echo :LAST_ERROR_SQLSTATE
-- names are case-sensitive and not trimmed
SELECT complaint.is_business_time('CN', '2025-03-03 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.is_business_time('cn ', '2025-03-03 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.is_business_time('', '2025-03-03 10:00+08');
\echo :LAST_ERROR_SQLSTATE
-- a failed lookup leaves nothing cached: once the calendar exists it is found
INSERT INTO complaint.calendar (name, tz) VALUES ('nope', 'UTC');
SELECT complaint.is_business_time('nope', '2025-03-03 10:00+08');
DELETE FROM complaint.calendar WHERE name = 'nope';
SELECT complaint.is_business_time('nope', '2025-03-03 10:00+08');
\echo :LAST_ERROR_SQLSTATE

------------------------------------------------------------------------------------------
-- workdays_add with a negative count (22023)
------------------------------------------------------------------------------------------
SELECT complaint.workdays_add('cn', '2025-03-03 10:00+08', -1);
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.workdays_add('cn', '2025-03-03 10:00+08', -2147483648);
\echo :LAST_ERROR_SQLSTATE

------------------------------------------------------------------------------------------
-- NULL arguments give NULL (STRICT), even with an unknown calendar or a bad count
------------------------------------------------------------------------------------------
SELECT complaint.business_add(NULL, '2025-03-03 10:00+08', '1 hour') IS NULL AS add_cal,
       complaint.business_add('cn', NULL, '1 hour') IS NULL AS add_start,
       complaint.business_add('cn', '2025-03-03 10:00+08', NULL) IS NULL AS add_work,
       complaint.business_add('nope', NULL, '-1 day') IS NULL AS add_bad_but_null,
       complaint.business_between(NULL, '2025-03-03 10:00+08', '2025-03-04 10:00+08') IS NULL AS between_cal,
       complaint.business_between('cn', NULL, '2025-03-04 10:00+08') IS NULL AS between_t1,
       complaint.business_between('cn', '2025-03-03 10:00+08', NULL) IS NULL AS between_t2;
SELECT complaint.is_business_time(NULL, '2025-03-03 10:00+08') IS NULL AS is_cal,
       complaint.is_business_time('cn', NULL) IS NULL AS is_t,
       complaint.next_business_time(NULL, '2025-03-03 10:00+08') IS NULL AS next_cal,
       complaint.next_business_time('cn', NULL) IS NULL AS next_t,
       complaint.workdays_add(NULL, '2025-03-03 10:00+08', 1) IS NULL AS wd_cal,
       complaint.workdays_add('cn', NULL, 1) IS NULL AS wd_start,
       complaint.workdays_add('cn', '2025-03-03 10:00+08', NULL) IS NULL AS wd_n,
       complaint.workdays_add('nope', NULL, -1) IS NULL AS wd_bad_but_null;
SELECT * FROM complaint.calendar_info(NULL);

------------------------------------------------------------------------------------------
-- instants outside the local days 1900-01-01 .. 2199-12-31 (22008)
------------------------------------------------------------------------------------------
-- Shanghai used local mean time (+08:05:43) until 1901: local 1900-01-01 00:00 is
-- 1899-12-31 15:54:17 UTC.  That instant is inside (a Monday before opening: f); one
-- microsecond earlier is outside
SELECT complaint.is_business_time('cn', '1899-12-31 15:54:17+00');
SELECT complaint.is_business_time('cn', '1899-12-31 15:54:16.999999+00');
\echo :LAST_ERROR_SQLSTATE
-- Mon 1900-01-01 (LMT) has the usual 09-12 and 13-18: 8 h
SELECT complaint.business_between('cn', '1899-12-31 15:54:17+00', '1900-01-01 15:54:17+00');
-- 2199-12-31 23:59:59.999999 +08 is the last instant inside; 2200-01-01 00:00 +08 is outside
SELECT complaint.is_business_time('cn', '2199-12-31 23:59:59.999999+08');
SELECT complaint.is_business_time('cn', '2200-01-01 00:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_add('cn', '1850-06-01 10:00+08', '1 hour');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_between('cn', '2025-03-03 10:00+08', '2300-01-01 00:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.workdays_add('cn', '1899-01-01 10:00+08', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_add('cn', 'infinity', '1 hour');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_add('cn', '-infinity', '1 hour');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_between('cn', '-infinity', 'infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.is_business_time('cn', 'infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.next_business_time('cn', '-infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.workdays_add('cn', 'infinity', 0);
\echo :LAST_ERROR_SQLSTATE
-- work that would end after 2199-12-31: Tue 2199-12-31 10:00 + 100 h
SELECT complaint.business_add('cn', '2199-12-31 10:00+08', '100 hours');
\echo :LAST_ERROR_SQLSTATE
-- 5 working days after Mon 2199-12-30: only Tue 2199-12-31 is left
SELECT complaint.workdays_add('cn', '2199-12-30 10:00+08', 5);
\echo :LAST_ERROR_SQLSTATE
-- but the last working day itself is reachable: Mon 2199-12-30 + 1 -> Tue 2199-12-31 18:00
SELECT complaint.workdays_add('cn', '2199-12-30 10:00+08', 1);
-- after the last close of the range there is no next opening inside it
SELECT complaint.next_business_time('cn', '2199-12-31 20:00+08');
\echo :LAST_ERROR_SQLSTATE

------------------------------------------------------------------------------------------
-- a calendar without any working time: a clear error, never a hang
------------------------------------------------------------------------------------------
SET statement_timeout = '10s';
INSERT INTO complaint.calendar (name, tz) VALUES ('empty', 'UTC');
SELECT complaint.business_add('empty', '2025-03-03 10:00+08', '1 hour');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.business_add('empty', '2025-03-03 10:00+08', '0');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.next_business_time('empty', '2025-03-03 10:00+08');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.workdays_add('empty', '2025-03-03 10:00+08', 0);
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.workdays_add('empty', '2025-03-03 10:00+08', 1000000);
\echo :LAST_ERROR_SQLSTATE
-- questions with an answer still get one: no working time is zero, nothing is open
SELECT complaint.business_between('empty', '2025-03-03 10:00+08', '2125-03-03 10:00+08'),
       complaint.is_business_time('empty', '2025-03-03 10:00+08');
-- UTC, no hours, no working weekday, no exceptions, no offset changes
SELECT * FROM complaint.calendar_info('empty');
-- a "working" exception day cannot help: hours_like NULL -> own weekday (none) -> Monday
-- (none): still no working time
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('empty', '2025-03-05', true);
SELECT complaint.business_add('empty', '2025-03-03 10:00+08', '1 hour');
\echo :LAST_ERROR_SQLSTATE
DELETE FROM complaint.calendar WHERE name = 'empty';

-- a calendar whose only working time is more than 10 years ahead: Sundays 09:00-10:00
-- UTC, but every Sunday from 1900-01-07 to 2040-12-30 (7357 of them) is a holiday; the
-- first working time is Sun 2041-01-06 09:00 UTC = 17:00 +08
INSERT INTO complaint.calendar (name, tz) VALUES ('far', 'UTC');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('far', 7, '09:00', '10:00');
INSERT INTO complaint.calendar_day (calendar, day, is_workday)
SELECT 'far', date '1900-01-07' + 7 * g, false FROM generate_series(0, 7356) g;
SELECT count(*) AS holiday_sundays, min(day), max(day), count(DISTINCT extract(isodow FROM day)) AS weekdays
  FROM complaint.calendar_day WHERE calendar = 'far';
-- from 2025 the first working time is 16 years ahead: error
SELECT complaint.business_add('far', '2025-01-01 00:00+00', '1 hour');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.next_business_time('far', '2025-01-01 00:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT complaint.workdays_add('far', '2025-01-01 00:00+00', 0);
\echo :LAST_ERROR_SQLSTATE
-- from 2035 it is 6 years ahead: found.  Sun 2041-01-06 09:00 UTC + 1 h = 10:00 UTC = 18:00 +08;
-- next opening 09:00 UTC = 17:00 +08; its day's close 10:00 UTC = 18:00 +08
SELECT complaint.business_add('far', '2035-01-01 00:00+00', '1 hour') AS add_1h,
       complaint.next_business_time('far', '2035-01-01 00:00+00') AS next_open,
       complaint.workdays_add('far', '2035-01-01 00:00+00', 0) AS workdays_0;
-- business_between needs no search: Jan 2041 has 4 working Sundays (6, 13, 20, 27) = 4 h
SELECT complaint.business_between('far', '2025-01-01 00:00+00', '2041-02-01 00:00+00');
DELETE FROM complaint.calendar WHERE name = 'far';
RESET statement_timeout;
TABLE counts;

------------------------------------------------------------------------------------------
-- complaint.calendar: name and zone validation
------------------------------------------------------------------------------------------
-- an unknown zone (22023)
INSERT INTO complaint.calendar (name, tz) VALUES ('mars', 'Mars/Olympus');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- zone names are case-sensitive: 'asia/shanghai' is not a name of pg_timezone_names
SELECT count(*) FILTER (WHERE name = 'asia/shanghai') AS lowercase_listed,
       count(*) FILTER (WHERE name = 'Asia/Shanghai') AS listed
  FROM pg_catalog.pg_timezone_names;
INSERT INTO complaint.calendar (name, tz) VALUES ('lower', 'asia/shanghai');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- an abbreviation is not a zone name ('CST' is not listed), nor is a POSIX rule
INSERT INTO complaint.calendar (name, tz) VALUES ('abbrev', 'CST');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar (name, tz) VALUES ('posix', '<+08>-8');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar (name, tz) VALUES ('posix2', 'EST5EDT,M3.2.0,M11.1.0');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- 'EST5EDT' is a zone of the tz database (listed in pg_timezone_names): accepted; it
-- follows the US rules, so its 2025 spring Sunday has 23 h on a 24/7 calendar
SELECT count(*) AS est5edt_listed FROM pg_catalog.pg_timezone_names WHERE name = 'EST5EDT';
INSERT INTO complaint.calendar (name, tz) VALUES ('est5edt', 'EST5EDT');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'est5edt', d, '00:00', '24:00' FROM generate_series(1, 7) d;
SELECT complaint.business_between('est5edt', '2025-03-09 00:00-05', '2025-03-10 00:00-04');
DELETE FROM complaint.calendar WHERE name = 'est5edt';
-- a missing zone (23502)
INSERT INTO complaint.calendar (name, tz) VALUES ('nozone', NULL);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- names: empty, 64 characters, leading or trailing space, NULL (22023); 63 characters is fine
INSERT INTO complaint.calendar (name, tz) VALUES ('', 'UTC');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar (name, tz) VALUES (repeat('x', 64), 'UTC');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar (name, tz) VALUES (' padded', 'UTC');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar (name, tz) VALUES ('padded ', 'UTC');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar (name, tz) VALUES (NULL, 'UTC');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar (name, tz) VALUES (repeat('y', 63), 'UTC');
-- a 63-character calendar works like any other (no hours: nothing open)
SELECT complaint.is_business_time(repeat('y', 63), '2025-03-03 10:00+08');
DELETE FROM complaint.calendar WHERE name = repeat('y', 63);
-- several rows in one statement, the last one bad: none is written
INSERT INTO complaint.calendar (name, tz) VALUES ('ok1', 'UTC'), ('ok2', 'Europe/Berlin'), ('bad', 'Mars/Olympus');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- a duplicate name (23505)
INSERT INTO complaint.calendar (name, tz) VALUES ('cn', 'UTC');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;

-- the calendar used below: v, Asia/Shanghai, Monday 09:00-12:00 and 13:00-18:00
INSERT INTO complaint.calendar (name, tz) VALUES ('v', 'Asia/Shanghai');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
VALUES ('v', 1, '09:00', '12:00'), ('v', 1, '13:00', '18:00');
TABLE counts;
-- changing its zone is validated too
UPDATE complaint.calendar SET tz = 'Mars/Olympus' WHERE name = 'v';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, tz FROM complaint.calendar WHERE name = 'v';
UPDATE complaint.calendar SET tz = 'Europe/Berlin' WHERE name = 'v';
UPDATE complaint.calendar SET tz = 'Asia/Shanghai' WHERE name = 'v';
SELECT tz FROM complaint.calendar_info('v');

------------------------------------------------------------------------------------------
-- complaint.calendar_hours: weekday, span order, overlaps
------------------------------------------------------------------------------------------
-- isodow 0 and 8 (22023)
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 0, '09:00', '12:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 8, '09:00', '12:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- opens >= closes (22023): empty span, reversed span, a night span across midnight,
-- 24:00-24:00
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 2, '10:00', '10:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 2, '18:00', '09:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 2, '22:00', '02:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 2, '24:00', '24:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- NULL times (23502)
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 2, '09:00', NULL);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- overlapping spans of one weekday (23P01): partial overlap, inside, around
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 1, '11:00', '14:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 1, '10:00', '11:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 1, '08:00', '19:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- the same opening time is the primary key (23505)
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 1, '09:00', '10:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- two overlapping spans in one statement: neither is written
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 3, '09:00', '12:00'), ('v', 3, '11:00', '15:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- an update that makes spans overlap (23P01): 13:00-18:00 moved to open at 11:30
UPDATE complaint.calendar_hours SET opens = '11:30' WHERE calendar = 'v' AND isodow = 1 AND opens = '13:00';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, opens, closes FROM complaint.calendar_hours WHERE calendar = 'v' ORDER BY opens;
-- an update to opens >= closes (22023)
UPDATE complaint.calendar_hours SET closes = '08:00' WHERE calendar = 'v' AND isodow = 1 AND opens = '09:00';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, opens, closes FROM complaint.calendar_hours WHERE calendar = 'v' ORDER BY opens;
-- hours of an unknown calendar (23503)
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('nope', 1, '09:00', '12:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- allowed: spans that touch (12:00-13:00 fills the lunch gap and merges with both
-- neighbours: Monday becomes 09:00-18:00 = 9 h), the same times on another weekday,
-- and 24:00 as a close
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('v', 1, '12:00', '13:00'),
       ('v', 2, '09:00', '12:00'), ('v', 2, '20:00', '24:00');
SELECT complaint.business_between('v', '2025-03-03 00:00+08', '2025-03-04 00:00+08') AS monday,
       complaint.business_between('v', '2025-03-04 00:00+08', '2025-03-05 00:00+08') AS tuesday;
-- moving a span (no overlap) is fine
UPDATE complaint.calendar_hours SET opens = '08:00', closes = '09:00' WHERE calendar = 'v' AND isodow = 2 AND opens = '20:00';
SELECT isodow, opens, closes FROM complaint.calendar_hours WHERE calendar = 'v' ORDER BY isodow, opens;

------------------------------------------------------------------------------------------
-- complaint.calendar_day: exception days
------------------------------------------------------------------------------------------
-- a holiday cannot borrow hours (22023)
INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES ('v', '2025-05-01', false, 1);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- hours_like outside 1..7 (22023)
INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES ('v', '2025-05-03', true, 9);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES ('v', '2025-05-03', true, 0);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- days outside 1900-01-01 .. 2199-12-31 (22008)
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('v', '1899-12-31', false);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('v', '2200-01-01', false);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- missing is_workday (23502)
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('v', '2025-05-01', NULL);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- a day of an unknown calendar (23503)
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('nope', '2025-05-01', false);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- the same day twice (23505): the first row of the statement is not kept either
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('v', '2025-05-01', false), ('v', '2025-05-01', true);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- an update to a holiday that borrows hours (22023)
INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES ('v', '2025-05-03', true, 1);
UPDATE complaint.calendar_day SET is_workday = false WHERE calendar = 'v' AND day = '2025-05-03';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, day, is_workday, hours_like FROM complaint.calendar_day WHERE calendar = 'v';
-- boundary days are allowed
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('v', '1900-01-01', false), ('v', '2199-12-31', false);
SELECT day, is_workday, hours_like FROM complaint.calendar_day WHERE calendar = 'v' ORDER BY day;

------------------------------------------------------------------------------------------
-- the bundled calendar cn: its rows are read-only (55000, with a hint); own rows are fine
------------------------------------------------------------------------------------------
UPDATE complaint.calendar SET tz = 'UTC' WHERE name = 'cn';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
UPDATE complaint.calendar SET name = 'cn2' WHERE name = 'cn';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
DELETE FROM complaint.calendar WHERE name = 'cn';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
UPDATE complaint.calendar_hours SET closes = '17:00' WHERE calendar = 'cn' AND isodow = 5 AND opens = '13:00';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
DELETE FROM complaint.calendar_hours WHERE calendar = 'cn' AND isodow = 5;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
UPDATE complaint.calendar_day SET is_workday = true WHERE calendar = 'cn' AND day = '2025-10-01';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
DELETE FROM complaint.calendar_day WHERE calendar = 'cn' AND day = '2025-10-01';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- clearing the flag is an update of a bundled row too
UPDATE complaint.calendar_day SET builtin = false WHERE calendar = 'cn' AND day = '2025-10-01';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- a statement over all rows fails as a whole: v's rows stay as well
DELETE FROM complaint.calendar_hours;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
DELETE FROM complaint.calendar_day;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- TRUNCATE (55000); on complaint.calendar the foreign keys object first (0A000), and with
-- CASCADE the guard does
TRUNCATE complaint.calendar_day;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
TRUNCATE complaint.calendar_hours;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
TRUNCATE complaint.calendar;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- (the NOTICEs naming the cascaded tables are not shown: other parts of the extension
-- reference complaint.calendar too)
SET client_min_messages = warning;
TRUNCATE complaint.calendar CASCADE;
RESET client_min_messages;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- builtin = true is reserved (42501), on insert and on update of an own row
INSERT INTO complaint.calendar (name, tz, builtin) VALUES ('mine', 'UTC', true);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes, builtin) VALUES ('v', 4, '09:00', '12:00', true);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
INSERT INTO complaint.calendar_day (calendar, day, is_workday, builtin) VALUES ('cn', '2027-10-01', false, true);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
UPDATE complaint.calendar SET builtin = true WHERE name = 'v';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
-- own rows on cn are allowed: a holiday of our own (Fri 2027-10-01 is beyond the bundled
-- data, so an ordinary Friday until now) and Saturday morning hours
SELECT complaint.is_business_time('cn', '2027-10-01 10:00+08') AS fri_before,
       complaint.is_business_time('cn', '2027-10-02 10:00+08') AS sat_before;
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('cn', '2027-10-01', false);
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('cn', 6, '09:00', '12:00');
SELECT complaint.is_business_time('cn', '2027-10-01 10:00+08') AS fri_after,
       complaint.is_business_time('cn', '2027-10-02 10:00+08') AS sat_after;
TABLE counts;
-- own rows can be changed and removed; the bundled ones stay
UPDATE complaint.calendar_day SET is_workday = true, hours_like = 3 WHERE calendar = 'cn' AND day = '2027-10-01';
DELETE FROM complaint.calendar_day WHERE calendar = 'cn' AND NOT builtin;
DELETE FROM complaint.calendar_hours WHERE calendar = 'cn' AND NOT builtin;
SELECT complaint.is_business_time('cn', '2027-10-01 10:00+08') AS fri_again,
       complaint.is_business_time('cn', '2027-10-02 10:00+08') AS sat_again;
-- a new own row cannot overlap a bundled span (23P01)
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('cn', 1, '11:00', '14:00');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;

------------------------------------------------------------------------------------------
-- copy_calendar errors: nothing is written
------------------------------------------------------------------------------------------
SELECT complaint.copy_calendar('nope', 'copy');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
SELECT complaint.copy_calendar('cn', 'cn');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
SELECT complaint.copy_calendar('cn', '');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
SELECT complaint.copy_calendar('cn', 'copy', 'Mars/Olympus');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;
SELECT complaint.copy_calendar('cn', 'v');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, * FROM counts;

-- clean up: v goes with its hours and days
DELETE FROM complaint.calendar WHERE name = 'v';
TABLE counts;
