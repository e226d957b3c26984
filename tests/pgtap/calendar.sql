-- pgTAP tests of the business-calendar part of pg_complaint (CONTRACT section 1):
-- objects and their properties, key results, one error of each class, and the bundled
-- cn data against the spot checks of shared/data/cn-holidays/SOURCE.md.
-- Run with: pg_prove -d <db> tests/pgtap/calendar.sql
-- (in a database with CREATE EXTENSION pgtap; CREATE EXTENSION pg_complaint).
-- Everything happens in one transaction that is rolled back.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';
SET LOCAL datestyle = 'ISO, YMD';
SET LOCAL intervalstyle = 'postgres';

SELECT plan(181);

------------------------------------------------------------------------------------------
-- schema, extension, tables, columns, keys, triggers
------------------------------------------------------------------------------------------
SELECT has_schema('complaint', 'schema complaint exists');
SELECT has_extension('complaint', 'pg_complaint', 'extension pg_complaint lives in schema complaint');

SELECT has_table('complaint', 'calendar', 'table complaint.calendar exists');
SELECT has_table('complaint', 'calendar_hours', 'table complaint.calendar_hours exists');
SELECT has_table('complaint', 'calendar_day', 'table complaint.calendar_day exists');

SELECT columns_are('complaint', 'calendar', ARRAY['name', 'tz', 'builtin'],
                   'calendar has columns name, tz, builtin');
SELECT columns_are('complaint', 'calendar_hours', ARRAY['calendar', 'isodow', 'opens', 'closes', 'builtin'],
                   'calendar_hours has columns calendar, isodow, opens, closes, builtin');
SELECT columns_are('complaint', 'calendar_day', ARRAY['calendar', 'day', 'is_workday', 'hours_like', 'builtin'],
                   'calendar_day has columns calendar, day, is_workday, hours_like, builtin');

SELECT col_type_is('complaint', 'calendar', 'name', 'text', 'calendar.name is text');
SELECT col_type_is('complaint', 'calendar', 'tz', 'text', 'calendar.tz is text');
SELECT col_type_is('complaint', 'calendar', 'builtin', 'boolean', 'calendar.builtin is boolean');
SELECT col_type_is('complaint', 'calendar_hours', 'calendar', 'text', 'calendar_hours.calendar is text');
SELECT col_type_is('complaint', 'calendar_hours', 'isodow', 'smallint', 'calendar_hours.isodow is smallint');
SELECT col_type_is('complaint', 'calendar_hours', 'opens', 'time without time zone', 'calendar_hours.opens is time');
SELECT col_type_is('complaint', 'calendar_hours', 'closes', 'time without time zone', 'calendar_hours.closes is time');
SELECT col_type_is('complaint', 'calendar_day', 'calendar', 'text', 'calendar_day.calendar is text');
SELECT col_type_is('complaint', 'calendar_day', 'day', 'date', 'calendar_day.day is date');
SELECT col_type_is('complaint', 'calendar_day', 'is_workday', 'boolean', 'calendar_day.is_workday is boolean');
SELECT col_type_is('complaint', 'calendar_day', 'hours_like', 'smallint', 'calendar_day.hours_like is smallint');

SELECT col_not_null('complaint', 'calendar', 'name', 'calendar.name is NOT NULL');
SELECT col_not_null('complaint', 'calendar', 'tz', 'calendar.tz is NOT NULL');
SELECT col_not_null('complaint', 'calendar_hours', 'isodow', 'calendar_hours.isodow is NOT NULL');
SELECT col_not_null('complaint', 'calendar_hours', 'opens', 'calendar_hours.opens is NOT NULL');
SELECT col_not_null('complaint', 'calendar_hours', 'closes', 'calendar_hours.closes is NOT NULL');
SELECT col_not_null('complaint', 'calendar_day', 'day', 'calendar_day.day is NOT NULL');
SELECT col_not_null('complaint', 'calendar_day', 'is_workday', 'calendar_day.is_workday is NOT NULL');
SELECT col_is_null('complaint', 'calendar_day', 'hours_like', 'calendar_day.hours_like may be NULL');
SELECT col_default_is('complaint', 'calendar', 'builtin', 'false', 'calendar.builtin defaults to false');
SELECT col_default_is('complaint', 'calendar_hours', 'builtin', 'false', 'calendar_hours.builtin defaults to false');
SELECT col_default_is('complaint', 'calendar_day', 'builtin', 'false', 'calendar_day.builtin defaults to false');

SELECT col_is_pk('complaint', 'calendar', ARRAY['name'], 'calendar: primary key (name)');
SELECT col_is_pk('complaint', 'calendar_hours', ARRAY['calendar', 'isodow', 'opens'],
                 'calendar_hours: primary key (calendar, isodow, opens)');
SELECT col_is_pk('complaint', 'calendar_day', ARRAY['calendar', 'day'], 'calendar_day: primary key (calendar, day)');
SELECT fk_ok('complaint', 'calendar_hours', ARRAY['calendar'], 'complaint', 'calendar', ARRAY['name'],
             'calendar_hours.calendar references calendar.name');
SELECT fk_ok('complaint', 'calendar_day', ARRAY['calendar'], 'complaint', 'calendar', ARRAY['name'],
             'calendar_day.calendar references calendar.name');
SELECT is((SELECT string_agg(c.conrelid::regclass::text || ':' || c.confupdtype::text || c.confdeltype::text, ',' ORDER BY c.conrelid::regclass::text)
             FROM pg_catalog.pg_constraint c
            WHERE c.contype = 'f' AND c.confrelid = 'complaint.calendar'::regclass
              AND c.conrelid IN ('complaint.calendar_hours'::regclass, 'complaint.calendar_day'::regclass)),
          'complaint.calendar_day:cc,complaint.calendar_hours:cc',
          'both foreign keys are ON UPDATE CASCADE ON DELETE CASCADE');

SELECT has_trigger('complaint', 'calendar', 'a_guard_builtin', 'calendar has the bundled-row guard');
SELECT has_trigger('complaint', 'calendar', 'b_check', 'calendar has the validation trigger');
SELECT has_trigger('complaint', 'calendar', 'z_config_changed', 'calendar has the cache invalidation trigger');
SELECT has_trigger('complaint', 'calendar_hours', 'a_guard_builtin', 'calendar_hours has the bundled-row guard');
SELECT has_trigger('complaint', 'calendar_hours', 'b_check', 'calendar_hours has the validation trigger');
SELECT has_trigger('complaint', 'calendar_hours', 'c_no_overlap', 'calendar_hours has the overlap trigger');
SELECT has_trigger('complaint', 'calendar_hours', 'z_config_changed', 'calendar_hours has the cache invalidation trigger');
SELECT has_trigger('complaint', 'calendar_day', 'a_guard_builtin', 'calendar_day has the bundled-row guard');
SELECT has_trigger('complaint', 'calendar_day', 'b_check', 'calendar_day has the validation trigger');
SELECT has_trigger('complaint', 'calendar_day', 'z_config_changed', 'calendar_day has the cache invalidation trigger');

------------------------------------------------------------------------------------------
-- functions: signatures, return types, STABLE, STRICT, PARALLEL SAFE, C
------------------------------------------------------------------------------------------
SELECT has_function('complaint', 'business_add', ARRAY['text', 'timestamp with time zone', 'interval'],
                    'business_add(text, timestamptz, interval) exists');
SELECT has_function('complaint', 'business_between', ARRAY['text', 'timestamp with time zone', 'timestamp with time zone'],
                    'business_between(text, timestamptz, timestamptz) exists');
SELECT has_function('complaint', 'is_business_time', ARRAY['text', 'timestamp with time zone'],
                    'is_business_time(text, timestamptz) exists');
SELECT has_function('complaint', 'next_business_time', ARRAY['text', 'timestamp with time zone'],
                    'next_business_time(text, timestamptz) exists');
SELECT has_function('complaint', 'workdays_add', ARRAY['text', 'timestamp with time zone', 'integer'],
                    'workdays_add(text, timestamptz, integer) exists');
SELECT has_function('complaint', 'calendar_info', ARRAY['text'], 'calendar_info(text) exists');
SELECT has_function('complaint', 'copy_calendar', ARRAY['text', 'text', 'text'], 'copy_calendar(text, text, text) exists');

SELECT function_returns('complaint', 'business_add', ARRAY['text', 'timestamp with time zone', 'interval'],
                        'timestamp with time zone', 'business_add returns timestamptz');
SELECT function_returns('complaint', 'business_between', ARRAY['text', 'timestamp with time zone', 'timestamp with time zone'],
                        'interval', 'business_between returns interval');
SELECT function_returns('complaint', 'is_business_time', ARRAY['text', 'timestamp with time zone'],
                        'boolean', 'is_business_time returns boolean');
SELECT function_returns('complaint', 'next_business_time', ARRAY['text', 'timestamp with time zone'],
                        'timestamp with time zone', 'next_business_time returns timestamptz');
SELECT function_returns('complaint', 'workdays_add', ARRAY['text', 'timestamp with time zone', 'integer'],
                        'timestamp with time zone', 'workdays_add returns timestamptz');
SELECT function_returns('complaint', 'calendar_info', ARRAY['text'], 'record', 'calendar_info returns a record');
SELECT function_returns('complaint', 'copy_calendar', ARRAY['text', 'text', 'text'], 'text', 'copy_calendar returns text');

SELECT volatility_is('complaint', 'business_add', ARRAY['text', 'timestamp with time zone', 'interval'],
                     'stable', 'business_add is STABLE');
SELECT volatility_is('complaint', 'business_between', ARRAY['text', 'timestamp with time zone', 'timestamp with time zone'],
                     'stable', 'business_between is STABLE');
SELECT volatility_is('complaint', 'is_business_time', ARRAY['text', 'timestamp with time zone'],
                     'stable', 'is_business_time is STABLE');
SELECT volatility_is('complaint', 'next_business_time', ARRAY['text', 'timestamp with time zone'],
                     'stable', 'next_business_time is STABLE');
SELECT volatility_is('complaint', 'workdays_add', ARRAY['text', 'timestamp with time zone', 'integer'],
                     'stable', 'workdays_add is STABLE');
SELECT volatility_is('complaint', 'calendar_info', ARRAY['text'], 'stable', 'calendar_info is STABLE');

-- STRICT, PARALLEL SAFE and LANGUAGE c, read from pg_proc
SELECT is(p.proisstrict, true, p.oid::regprocedure::text || ' is STRICT')
  FROM pg_catalog.pg_proc p
 WHERE p.pronamespace = 'complaint'::regnamespace
   AND p.proname IN ('business_add', 'business_between', 'is_business_time', 'next_business_time',
                     'workdays_add', 'calendar_info')
 ORDER BY p.proname;
SELECT is(p.proparallel, 's', p.oid::regprocedure::text || ' is PARALLEL SAFE')
  FROM pg_catalog.pg_proc p
 WHERE p.pronamespace = 'complaint'::regnamespace
   AND p.proname IN ('business_add', 'business_between', 'is_business_time', 'next_business_time',
                     'workdays_add', 'calendar_info')
 ORDER BY p.proname;
SELECT is(l.lanname, 'c', p.oid::regprocedure::text || ' is written in C')
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'complaint'::regnamespace
   AND p.proname IN ('business_add', 'business_between', 'is_business_time', 'next_business_time',
                     'workdays_add', 'calendar_info')
 ORDER BY p.proname;
SELECT is(array_to_string(p.proargnames, ','), 'cal,start,work', 'business_add argument names are cal, start, work')
  FROM pg_catalog.pg_proc p WHERE p.oid = 'complaint.business_add(text, timestamptz, interval)'::regprocedure;
SELECT is(array_to_string(p.proargnames, ','), 'cal,tz,weekly_hours,weekly_workdays,exception_days,special_days,offset_changes',
          'calendar_info output columns')
  FROM pg_catalog.pg_proc p WHERE p.oid = 'complaint.calendar_info(text)'::regprocedure;

------------------------------------------------------------------------------------------
-- key results on cn (hand-worked; same cases as sql/calendar.sql)
------------------------------------------------------------------------------------------
-- Fri 17:30 + 4 h: 0.5 h Friday, Mon 09-12 (3 h), 13:00-13:30 (0.5 h)
SELECT is(complaint.business_add('cn', '2025-03-07 17:30+08', '4 hours'), '2025-03-10 13:30+08'::timestamptz,
          'Friday 17:30 + 4 h = Monday 13:30');
SELECT is(complaint.business_add('cn', '2025-03-03 11:00+08', '1 hour'), '2025-03-03 12:00+08'::timestamptz,
          'work that ends on a closing time stays there');
SELECT is(complaint.business_add('cn', '2025-03-03 12:00+08', '0'), '2025-03-03 13:00+08'::timestamptz,
          'zero work at a closing instant = next opening');
SELECT is(complaint.business_add('cn', '2025-03-03 12:30+08', '30 minutes'), '2025-03-03 13:30+08'::timestamptz,
          'a start in the lunch gap counts from 13:00');
SELECT is(complaint.business_add('cn', '2025-09-30 17:00+08', '2 hours'), '2025-10-09 10:00+08'::timestamptz,
          'National Day 2025 is skipped');
SELECT is(complaint.business_add('cn', '2025-09-27 10:00+08', '1 hour'), '2025-09-28 10:00+08'::timestamptz,
          'make-up Sunday 2025-09-28 works with Monday hours');
SELECT is(complaint.business_add('cn', '2026-02-14 17:00+08', '2 hours'), '2026-02-24 10:00+08'::timestamptz,
          'Spring Festival 2026 is skipped');
SELECT is(complaint.business_add('cn', '2025-09-01 09:00+08', '500 hours'), '2025-12-02 14:00+08'::timestamptz,
          '500 h from Mon 2025-09-01 09:00 ends Tue 2025-12-02 14:00');
SELECT is(complaint.business_between('cn', '2025-03-03 09:00+08', '2025-03-10 09:00+08'), '40:00:00'::interval,
          'one ordinary week is 40 h');
SELECT is(complaint.business_between('cn', '2025-03-10 09:00+08', '2025-03-03 09:00+08')::text, '-40:00:00',
          'reversed bounds give -40:00:00');
SELECT is(complaint.business_between('cn', '2025-01-01 00:00+08', '2026-01-01 00:00+08')::text, '1984:00:00',
          '2025 has 248 working days = 1984:00:00, in hours, never days');
SELECT is(complaint.is_business_time('cn', '2025-03-03 09:00+08'), true, '09:00 is open (inclusive)');
SELECT is(complaint.is_business_time('cn', '2025-03-03 11:59:59.999999+08'), true, '11:59:59.999999 is open');
SELECT is(complaint.is_business_time('cn', '2025-03-03 12:00+08'), false, '12:00 is closed (exclusive)');
SELECT is(complaint.is_business_time('cn', '2025-10-03 10:00+08'), false, 'a holiday is closed');
SELECT is(complaint.next_business_time('cn', '2025-10-01 10:00+08'), '2025-10-09 09:00+08'::timestamptz,
          'next opening after a National Day morning is Oct 9 09:00');
SELECT is(complaint.next_business_time('cn', '2025-03-03 10:15+08'), '2025-03-03 10:15+08'::timestamptz,
          'next_business_time of an open instant is itself');
SELECT is(complaint.workdays_add('cn', '2025-03-07 10:00+08', 1), '2025-03-10 18:00+08'::timestamptz,
          'Friday + 1 working day = Monday 18:00');
SELECT is(complaint.workdays_add('cn', '2025-03-08 10:00+08', 0), '2025-03-10 18:00+08'::timestamptz,
          'Saturday + 0 working days = Monday 18:00');
SELECT is(complaint.workdays_add('cn', '2025-09-30 10:00+08', 2), '2025-10-10 18:00+08'::timestamptz,
          'Sep 30 + 2 working days = Oct 10 18:00 (across National Day)');
SELECT is(complaint.workdays_add('cn', '2025-09-22 10:00+08', 20), '2025-10-24 18:00+08'::timestamptz,
          'Sep 22 + 20 working days = Oct 24 18:00');
SELECT is((SELECT row(i.*)::text FROM complaint.calendar_info('cn') i),
          '(Asia/Shanghai,40:00:00,5,255,351,29)', 'calendar_info(cn)');
SELECT is(complaint.business_add(NULL, '2025-03-03 10:00+08', '1 hour'), NULL, 'NULL calendar gives NULL');
SELECT is(complaint.workdays_add('cn', '2025-03-03 10:00+08', NULL), NULL, 'NULL count gives NULL');

------------------------------------------------------------------------------------------
-- one error of each class, with SQLSTATE and message
------------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '-1 hour')$$,
                 '22023', 'working time "-01:00:00" is negative', 'negative work: 22023');
SELECT throws_ok($$SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '1 day')$$,
                 '22023', 'working time "1 day" has a day or month part', 'a day part: 22023');
SELECT throws_ok($$SELECT complaint.business_add('cn', '2025-03-03 10:00+08', '1 month')$$,
                 '22023', 'working time "1 mon" has a day or month part', 'a month part: 22023');
SELECT throws_ok($$SELECT complaint.business_add('nope', '2025-03-03 10:00+08', '1 hour')$$,
                 '42704', 'business calendar "nope" does not exist', 'unknown calendar: 42704 with the name');
SELECT throws_ok($$SELECT complaint.business_between('nope', '2025-03-03 10:00+08', '2025-03-04 10:00+08')$$,
                 '42704', 'business calendar "nope" does not exist', 'unknown calendar in business_between: 42704');
SELECT throws_ok($$SELECT complaint.workdays_add('cn', '2025-03-03 10:00+08', -1)$$,
                 '22023', 'number of working days -1 is negative', 'workdays_add with n < 0: 22023');
SELECT throws_ok($$SELECT complaint.is_business_time('cn', 'infinity')$$,
                 '22008', 'timestamp infinity is outside the range of business calendars', 'infinity: 22008');
SELECT throws_ok($$SELECT complaint.business_add('cn', '2200-01-01 00:00+08', '1 hour')$$,
                 '22008', 'timestamp 2200-01-01 00:00:00+08 is outside the range of business calendars',
                 'a local day after 2199-12-31: 22008');
SELECT throws_ok($$SELECT complaint.business_add('cn', '2199-12-31 10:00+08', '100 hours')$$,
                 '22008', 'working time from 2199-12-31 10:00:00+08 ends after the range of business calendar "cn"',
                 'work ending after 2199: 22008');

-- a calendar without working time: an error, not a hang
INSERT INTO complaint.calendar (name, tz) VALUES ('tap_empty', 'UTC');
SELECT throws_ok($$SELECT complaint.business_add('tap_empty', '2025-03-03 10:00+08', '1 hour')$$,
                 '22023', 'business calendar "tap_empty" has no working time in the 10 years after 2025-03-03 10:00:00+08',
                 'no working time: 22023');
SELECT throws_ok($$SELECT complaint.workdays_add('tap_empty', '2025-03-03 10:00+08', 1)$$,
                 '22023', 'business calendar "tap_empty" has no working day in the 10 years after 2025-03-03 10:00:00+08',
                 'no working day: 22023');

-- table validation
SELECT throws_ok($$INSERT INTO complaint.calendar (name, tz) VALUES ('tap_mars', 'Mars/Olympus')$$,
                 '22023', 'time zone "Mars/Olympus" of calendar "tap_mars" is not an IANA time zone name',
                 'unknown zone: 22023');
SELECT throws_ok($$INSERT INTO complaint.calendar (name, tz) VALUES ('tap_lower', 'asia/shanghai')$$,
                 '22023', 'time zone "asia/shanghai" of calendar "tap_lower" is not an IANA time zone name',
                 'zone names are case-sensitive: 22023');
SELECT throws_ok($$INSERT INTO complaint.calendar (name, tz) VALUES ('', 'UTC')$$,
                 '22023', 'invalid calendar name ""', 'empty calendar name: 22023');
SELECT throws_ok($$INSERT INTO complaint.calendar (name, tz) VALUES (repeat('x', 64), 'UTC')$$,
                 '22023', 'invalid calendar name "' || repeat('x', 64) || '"', '64-character calendar name: 22023');
SELECT throws_ok($$INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('tap_empty', 8, '09:00', '12:00')$$,
                 '22023', 'invalid weekday 8 in opening hours of calendar "tap_empty"', 'isodow 8: 22023');
SELECT throws_ok($$INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('tap_empty', 0, '09:00', '12:00')$$,
                 '22023', 'invalid weekday 0 in opening hours of calendar "tap_empty"', 'isodow 0: 22023');
SELECT throws_ok($$INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('tap_empty', 1, '12:00', '12:00')$$,
                 '22023', 'span 12:00:00-12:00:00 of calendar "tap_empty" weekday 1 does not open before it closes',
                 'opens = closes: 22023');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('tap_empty', 1, '09:00', '12:00');
SELECT throws_ok($$INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('tap_empty', 1, '11:00', '14:00')$$,
                 '23P01', 'span 11:00:00-14:00:00 of calendar "tap_empty" weekday 1 overlaps span 09:00:00-12:00:00',
                 'overlapping spans: 23P01');
SELECT throws_ok($$INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('tap_nope', 1, '09:00', '12:00')$$,
                 '23503', NULL, 'hours of an unknown calendar: 23503');
SELECT throws_ok($$INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES ('tap_empty', '2025-05-01', false, 1)$$,
                 '22023', 'holiday 2025-05-01 of calendar "tap_empty" cannot borrow the hours of weekday 1',
                 'a holiday with hours_like: 22023');
SELECT throws_ok($$INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES ('tap_empty', '2025-05-03', true, 9)$$,
                 '22023', 'invalid weekday 9 in hours_like of calendar "tap_empty" day 2025-05-03', 'hours_like 9: 22023');
SELECT throws_ok($$INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('tap_empty', '2200-01-01', false)$$,
                 '22008', 'exception day 2200-01-01 of calendar "tap_empty" is outside the supported range',
                 'a day after 2199-12-31: 22008');
SELECT throws_ok($$INSERT INTO complaint.calendar (name, tz) VALUES ('cn', 'UTC')$$,
                 '23505', NULL, 'a duplicate calendar name: 23505');

-- the bundled calendar is read-only; own rows are allowed
SELECT throws_ok($$UPDATE complaint.calendar SET tz = 'UTC' WHERE name = 'cn'$$,
                 '55000', 'cannot update a bundled row of complaint.calendar (calendar "cn")', 'updating cn: 55000');
SELECT throws_ok($$DELETE FROM complaint.calendar_hours WHERE calendar = 'cn'$$,
                 '55000', 'cannot delete a bundled row of complaint.calendar_hours (calendar "cn")', 'deleting cn hours: 55000');
SELECT throws_ok($$DELETE FROM complaint.calendar_day WHERE calendar = 'cn' AND day = '2025-10-01'$$,
                 '55000', 'cannot delete a bundled row of complaint.calendar_day (calendar "cn")', 'deleting a cn holiday: 55000');
SELECT throws_ok($$TRUNCATE complaint.calendar_day$$,
                 '55000', 'cannot truncate complaint.calendar_day: it holds rows bundled with pg_complaint',
                 'truncating calendar_day: 55000');
SELECT throws_ok($$INSERT INTO complaint.calendar (name, tz, builtin) VALUES ('tap_mine', 'UTC', true)$$,
                 '42501', 'builtin rows are reserved for rows bundled with pg_complaint', 'inserting builtin = true: 42501');
SELECT lives_ok($$INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('cn', '2027-10-01', false)$$,
                'an own exception day on cn is allowed');
SELECT is(complaint.is_business_time('cn', '2027-10-01 10:00+08'), false, 'and takes effect at once');
SELECT lives_ok($$DELETE FROM complaint.calendar_day WHERE calendar = 'cn' AND NOT builtin$$,
                'own rows on cn can be deleted');
SELECT is(complaint.is_business_time('cn', '2027-10-01 10:00+08'), true, 'and the day is an ordinary Friday again');

-- copy_calendar
SELECT is(complaint.copy_calendar('cn', 'tap_copy'), 'tap_copy', 'copy_calendar returns the new name');
SELECT set_eq($$SELECT isodow, opens, closes FROM complaint.calendar_hours WHERE calendar = 'tap_copy'$$,
              $$SELECT isodow, opens, closes FROM complaint.calendar_hours WHERE calendar = 'cn'$$,
              'the copy has the hours of cn');
SELECT set_eq($$SELECT day, is_workday, hours_like FROM complaint.calendar_day WHERE calendar = 'tap_copy'$$,
              $$SELECT day, is_workday, hours_like FROM complaint.calendar_day WHERE calendar = 'cn'$$,
              'the copy has the exception days of cn');
SELECT lives_ok($$DELETE FROM complaint.calendar_day WHERE calendar = 'tap_copy' AND day BETWEEN '2025-10-01' AND '2025-10-08'$$,
                'the copy can be edited');
SELECT is(complaint.business_add('tap_copy', '2025-09-30 17:00+08', '2 hours'), '2025-10-01 10:00+08'::timestamptz,
          'the edited copy has no National Day');
SELECT throws_ok($$SELECT complaint.copy_calendar('nope', 'tap_x')$$,
                 '42704', 'business calendar "nope" does not exist', 'copying an unknown calendar: 42704');

------------------------------------------------------------------------------------------
-- the bundled cn data (SOURCE.md)
------------------------------------------------------------------------------------------
SELECT is((SELECT tz FROM complaint.calendar WHERE name = 'cn'), 'Asia/Shanghai', 'cn is in Asia/Shanghai');
SELECT results_eq($$SELECT isodow::int, opens, closes FROM complaint.calendar_hours WHERE calendar = 'cn' ORDER BY 1, 2$$,
                  $$SELECT d, o, c FROM generate_series(1, 5) d,
                           (VALUES (time '09:00', time '12:00'), (time '13:00', time '18:00')) s (o, c) ORDER BY 1, 2$$,
                  'cn is open Mon-Fri 09:00-12:00 and 13:00-18:00');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day WHERE calendar = 'cn'), 255, 'cn has 255 exception days');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day WHERE calendar = 'cn' AND is_workday), 47,
          '47 of them are make-up working days');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day WHERE calendar = 'cn' AND NOT is_workday), 208,
          '208 of them are days off');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day WHERE calendar = 'cn' AND is_workday AND hours_like IS DISTINCT FROM 1), 0,
          'every make-up day has Monday''s hours (hours_like = 1)');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day WHERE calendar = 'cn' AND NOT is_workday AND hours_like IS NOT NULL), 0,
          'no day off borrows hours');
SELECT is((SELECT bool_and(builtin) FROM complaint.calendar_day WHERE calendar = 'cn'), true, 'all cn days are builtin');
SELECT is((SELECT min(day)::text || ' .. ' || max(day)::text FROM complaint.calendar_day WHERE calendar = 'cn'),
          '2020-01-01 .. 2026-10-10', 'cn days cover 2020-01-01 .. 2026-10-10');
SELECT results_eq($$SELECT extract(year FROM day)::int, (count(*) FILTER (WHERE is_workday))::int
                      FROM complaint.calendar_day WHERE calendar = 'cn' GROUP BY 1 ORDER BY 1$$,
                  $$VALUES (2020, 7), (2021, 7), (2022, 7), (2023, 7), (2024, 8), (2025, 5), (2026, 6)$$,
                  'make-up days per year: 7, 7, 7, 7, 8, 5, 6');
-- spot checks
SELECT is((SELECT is_workday FROM complaint.calendar_day WHERE calendar = 'cn' AND day = '2025-01-26'), true,
          '2025-01-26 (Sun) is a make-up working day');
SELECT is((SELECT is_workday FROM complaint.calendar_day WHERE calendar = 'cn' AND day = '2025-02-08'), true,
          '2025-02-08 (Sat) is a make-up working day');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day
            WHERE calendar = 'cn' AND day BETWEEN '2025-10-01' AND '2025-10-08' AND NOT is_workday), 8,
          '2025-10-01 .. 2025-10-08 are all off');
SELECT is((SELECT string_agg(day::text, ',' ORDER BY day) FROM complaint.calendar_day
            WHERE calendar = 'cn' AND is_workday AND day BETWEEN '2025-09-01' AND '2025-10-31'),
          '2025-09-28,2025-10-11', '2025-09-28 (Sun) and 2025-10-11 (Sat) are make-up days');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day
            WHERE calendar = 'cn' AND day BETWEEN '2024-02-10' AND '2024-02-17' AND NOT is_workday), 8,
          '2024-02-10 .. 2024-02-17 are all off');
SELECT is((SELECT string_agg(day::text, ',' ORDER BY day) FROM complaint.calendar_day
            WHERE calendar = 'cn' AND is_workday AND day BETWEEN '2024-02-01' AND '2024-02-29'),
          '2024-02-04,2024-02-18', '2024-02-04 (Sun) and 2024-02-18 (Sun) are make-up days');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day
            WHERE calendar = 'cn' AND day BETWEEN '2026-01-01' AND '2026-01-03' AND NOT is_workday), 3,
          '2026-01-01 .. 2026-01-03 are all off');
SELECT is((SELECT is_workday FROM complaint.calendar_day WHERE calendar = 'cn' AND day = '2026-01-04'), true,
          '2026-01-04 (Sun) is a make-up working day');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day
            WHERE calendar = 'cn' AND day BETWEEN '2026-02-15' AND '2026-02-23' AND NOT is_workday), 9,
          '2026-02-15 .. 2026-02-23 are all off');
SELECT is((SELECT string_agg(day::text, ',' ORDER BY day) FROM complaint.calendar_day
            WHERE calendar = 'cn' AND is_workday AND day BETWEEN '2026-02-01' AND '2026-02-28'),
          '2026-02-14,2026-02-28', '2026-02-14 (Sat) and 2026-02-28 (Sat) are make-up days');
SELECT is((SELECT is_workday FROM complaint.calendar_day WHERE calendar = 'cn' AND day = '2022-12-31'), false,
          '2022-12-31 (from the 2023 notice) is off');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day
            WHERE calendar = 'cn' AND day BETWEEN '2020-01-24' AND '2020-02-02' AND NOT is_workday), 10,
          'the 2020 Spring Festival extension: 2020-01-24 .. 2020-02-02 are all off');
SELECT is((SELECT is_workday FROM complaint.calendar_day WHERE calendar = 'cn' AND day = '2020-02-03'), true,
          '2020-02-03 (Mon) is listed as a working day');
SELECT is((SELECT count(*)::int FROM complaint.calendar_day WHERE calendar = 'cn' AND day = '2020-02-01' AND is_workday), 0,
          '2020-02-01 (Sat) is not a working day (the extension notice is in force)');
-- and the engine agrees with the rows
SELECT is(complaint.is_business_time('cn', '2024-02-04 10:00+08'), true, 'open on make-up Sunday 2024-02-04');
SELECT is(complaint.is_business_time('cn', '2024-02-12 10:00+08'), false, 'closed on Monday 2024-02-12 (Spring Festival)');
SELECT is(complaint.is_business_time('cn', '2026-01-04 10:00+08'), true, 'open on make-up Sunday 2026-01-04');
SELECT is(complaint.is_business_time('cn', '2026-01-02 10:00+08'), false, 'closed on Friday 2026-01-02 (New Year)');
SELECT is(complaint.is_business_time('cn', '2026-02-28 10:00+08'), true, 'open on make-up Saturday 2026-02-28');
SELECT is(complaint.is_business_time('cn', '2020-01-31 10:00+08'), false, 'closed on Friday 2020-01-31 (extension)');
-- whole months: Feb 2026 has 20 weekdays, minus 6 weekday holidays (Feb 16-20, 23), plus
-- make-up Saturdays Feb 14 and 28 = 16 working days = 128 h
SELECT is(complaint.business_between('cn', '2026-02-01 00:00+08', '2026-03-01 00:00+08')::text, '128:00:00',
          'February 2026 has 128 working hours');
-- Oct 2025: 23 weekdays, minus 6 weekday holidays (Oct 1-3, 6-8), plus make-up Sat Oct 11
-- = 18 working days = 144 h
SELECT is(complaint.business_between('cn', '2025-10-01 00:00+08', '2025-11-01 00:00+08')::text, '144:00:00',
          'October 2025 has 144 working hours');

SELECT * FROM finish();
ROLLBACK;
