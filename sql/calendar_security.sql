--
-- calendar_security: the calendar code must not depend on the caller's search_path
-- (compare contrib/seg/sql/security.sql).  An unprivileged role plants functions and
-- operators that raise in a schema placed before pg_catalog; the calendar validation,
-- copy_calendar and every calendar function must still give their normal results,
-- i.e. all SQL the extension runs is schema-qualified (or runs with a safe path).
--
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
-- CONTEXT lines (line numbers inside functions) are not part of the contract
\set SHOW_CONTEXT never

CREATE ROLE regress_pgc_hostile;
SELECT current_database() AS datname \gset
GRANT CREATE ON DATABASE :"datname" TO regress_pgc_hostile;
SET ROLE regress_pgc_hostile;
CREATE SCHEMA evil;
CREATE FUNCTION evil.trap1(text) RETURNS text LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile function called'; END$$;
CREATE FUNCTION evil.trap1i(text) RETURNS integer LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile function called'; END$$;
CREATE FUNCTION evil.trap1j(anyelement) RETURNS jsonb LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile function called'; END$$;
CREATE FUNCTION evil.trap_tt(text, text) RETURNS boolean LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile operator called'; END$$;
CREATE FUNCTION evil.trap_dd(date, date) RETURNS boolean LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile operator called'; END$$;
CREATE FUNCTION evil.trap_mm(time, time) RETURNS boolean LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile operator called'; END$$;
CREATE FUNCTION evil.trap_si(smallint, integer) RETURNS boolean LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile operator called'; END$$;
CREATE FUNCTION evil.trap_ss(smallint, smallint) RETURNS boolean LANGUAGE plpgsql
    AS $$BEGIN RAISE EXCEPTION 'hostile operator called'; END$$;
-- functions the calendar code could call unqualified
CREATE FUNCTION evil.length(text) RETURNS integer LANGUAGE sql AS 'SELECT evil.trap1i($1)';
CREATE FUNCTION evil.btrim(text) RETURNS text LANGUAGE sql AS 'SELECT evil.trap1($1)';
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE sql AS 'SELECT evil.trap1($1)';
CREATE FUNCTION evil.upper(text) RETURNS text LANGUAGE sql AS 'SELECT evil.trap1($1)';
CREATE FUNCTION evil.to_jsonb(anyelement) RETURNS jsonb LANGUAGE sql AS 'SELECT evil.trap1j($1)';
-- operators on the types of the calendar columns
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.trap_tt);
CREATE OPERATOR evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.trap_tt);
CREATE OPERATOR evil.= (LEFTARG = date, RIGHTARG = date, FUNCTION = evil.trap_dd);
CREATE OPERATOR evil.< (LEFTARG = date, RIGHTARG = date, FUNCTION = evil.trap_dd);
CREATE OPERATOR evil.>= (LEFTARG = date, RIGHTARG = date, FUNCTION = evil.trap_dd);
CREATE OPERATOR evil.<= (LEFTARG = date, RIGHTARG = date, FUNCTION = evil.trap_dd);
CREATE OPERATOR evil.< (LEFTARG = time, RIGHTARG = time, FUNCTION = evil.trap_mm);
CREATE OPERATOR evil.>= (LEFTARG = time, RIGHTARG = time, FUNCTION = evil.trap_mm);
CREATE OPERATOR evil.<> (LEFTARG = time, RIGHTARG = time, FUNCTION = evil.trap_mm);
CREATE OPERATOR evil.= (LEFTARG = smallint, RIGHTARG = smallint, FUNCTION = evil.trap_ss);
CREATE OPERATOR evil.>= (LEFTARG = smallint, RIGHTARG = integer, FUNCTION = evil.trap_si);
CREATE OPERATOR evil.<= (LEFTARG = smallint, RIGHTARG = integer, FUNCTION = evil.trap_si);
GRANT USAGE ON SCHEMA evil TO PUBLIC;
RESET ROLE;

-- the victim (a superuser) puts the schema before pg_catalog
SET search_path = evil, pg_catalog, public;

-- the traps work: plain SQL in this session now calls them
SELECT 'a'::text = 'a'::text;
SELECT length('abc');
SELECT time '09:00' < time '10:00';

------------------------------------------------------------------------------------------
-- calendar functions (the first use in this session compiles the calendar and reads the
-- calendar tables).  Same values as in sql/calendar.sql:
--   Fri 17:30 + 4 h -> Mon 13:30; Sep 26 12:00 -> Oct 13 12:00 = 56 h (National Day);
--   make-up Sunday Sep 28 10:00 is open; next opening after Oct 1 10:00 is Oct 9 09:00;
--   Tue Sep 30 + 2 working days -> Fri Oct 10 18:00; calendar_info as in calendar.sql
------------------------------------------------------------------------------------------
SELECT complaint.business_add('cn', '2025-03-07 17:30+08', '4 hours');
SELECT complaint.business_between('cn', '2025-09-26 12:00+08', '2025-10-13 12:00+08');
SELECT complaint.is_business_time('cn', '2025-09-28 10:00+08');
SELECT complaint.next_business_time('cn', '2025-10-01 10:00+08');
SELECT complaint.workdays_add('cn', '2025-09-30 10:00+08', 2);
SELECT * FROM complaint.calendar_info('cn');
-- an unknown calendar still gives its own error, not a trap
SELECT complaint.is_business_time('nope', '2025-09-28 10:00+08');

------------------------------------------------------------------------------------------
-- calendar validation (triggers) under the hostile path
------------------------------------------------------------------------------------------
-- a valid calendar, hours and days are accepted
INSERT INTO complaint.calendar (name, tz) VALUES ('sec', 'Europe/Berlin');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
VALUES ('sec', 1, '09:00', '12:00'), ('sec', 1, '13:00', '17:00');
INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like)
VALUES ('sec', '2025-05-01', false, NULL), ('sec', '2025-05-03', true, 1);
UPDATE complaint.calendar_hours SET closes = '18:00' WHERE calendar OPERATOR(pg_catalog.=) 'sec' AND opens OPERATOR(pg_catalog.=) '13:00';
-- and the invalid ones get their own errors
INSERT INTO complaint.calendar (name, tz) VALUES ('', 'UTC');
INSERT INTO complaint.calendar (name, tz) VALUES ('mars', 'Mars/Olympus');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('sec', 8, '09:00', '12:00');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('sec', 2, '12:00', '09:00');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes) VALUES ('sec', 1, '11:00', '14:00');
INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like) VALUES ('sec', '2025-05-04', false, 2);
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('sec', '2200-01-01', false);
-- the guard on bundled rows (its message uses lower() and to_jsonb())
UPDATE complaint.calendar SET tz = 'UTC' WHERE name OPERATOR(pg_catalog.=) 'cn';
DELETE FROM complaint.calendar_day WHERE calendar OPERATOR(pg_catalog.=) 'cn' AND day OPERATOR(pg_catalog.=) '2025-10-01';
TRUNCATE complaint.calendar_hours;
INSERT INTO complaint.calendar (name, tz, builtin) VALUES ('mine', 'UTC', true);
-- what was written (ORDER BY uses the default operator class, not the path)
SELECT isodow, opens, closes FROM complaint.calendar_hours WHERE calendar OPERATOR(pg_catalog.=) 'sec' ORDER BY 1, 2;
SELECT day, is_workday, hours_like FROM complaint.calendar_day WHERE calendar OPERATOR(pg_catalog.=) 'sec' ORDER BY 1;

------------------------------------------------------------------------------------------
-- copy_calendar under the hostile path: hours and days copied, builtin false
------------------------------------------------------------------------------------------
SELECT complaint.copy_calendar('cn', 'cn_copy');
SELECT complaint.copy_calendar('cn', 'cn_utc', 'UTC');
SELECT name, tz, builtin FROM complaint.calendar ORDER BY name;
SELECT calendar, count(*) AS spans, bool_or(builtin) AS any_builtin
  FROM complaint.calendar_hours GROUP BY calendar ORDER BY calendar;
SELECT calendar, count(*) AS days, count(*) FILTER (WHERE is_workday) AS make_up_days, bool_or(builtin) AS any_builtin
  FROM complaint.calendar_day GROUP BY calendar ORDER BY calendar;

------------------------------------------------------------------------------------------
-- back to a normal path: the copy is identical to cn, and can be edited
------------------------------------------------------------------------------------------
RESET search_path;
(SELECT isodow, opens, closes FROM complaint.calendar_hours WHERE calendar = 'cn'
 EXCEPT SELECT isodow, opens, closes FROM complaint.calendar_hours WHERE calendar = 'cn_copy')
UNION ALL
(SELECT isodow, opens, closes FROM complaint.calendar_hours WHERE calendar = 'cn_copy'
 EXCEPT SELECT isodow, opens, closes FROM complaint.calendar_hours WHERE calendar = 'cn');
(SELECT day, is_workday, hours_like FROM complaint.calendar_day WHERE calendar = 'cn'
 EXCEPT SELECT day, is_workday, hours_like FROM complaint.calendar_day WHERE calendar = 'cn_copy')
UNION ALL
(SELECT day, is_workday, hours_like FROM complaint.calendar_day WHERE calendar = 'cn_copy'
 EXCEPT SELECT day, is_workday, hours_like FROM complaint.calendar_day WHERE calendar = 'cn');
-- the copy computes like cn: Tue Sep 30 17:00 + 2 h -> Oct 9 10:00 (National Day)
SELECT complaint.business_add('cn_copy', '2025-09-30 17:00+08', '2 hours');
-- edit the copy: no National Day holidays (Oct 1-8 rows go; Oct 1-3 and 6-8 are
-- weekdays, Oct 4-5 a weekend) and Friday afternoons end at 17:00
DELETE FROM complaint.calendar_day WHERE calendar = 'cn_copy' AND day BETWEEN '2025-10-01' AND '2025-10-08';
UPDATE complaint.calendar_hours SET closes = '17:00' WHERE calendar = 'cn_copy' AND isodow = 5 AND opens = '13:00';
SELECT (SELECT count(*) FROM complaint.calendar_day WHERE calendar = 'cn_copy') AS copy_days,
       (SELECT count(*) FROM complaint.calendar_day WHERE calendar = 'cn') AS cn_days;
-- Tue Sep 30 17:00 + 2 h on the copy: 1 h Sep 30, Wed Oct 1 09:00-10:00 -> Oct 1 10:00;
-- cn itself is unchanged -> Oct 9 10:00
SELECT complaint.business_add('cn_copy', '2025-09-30 17:00+08', '2 hours') AS on_copy,
       complaint.business_add('cn', '2025-09-30 17:00+08', '2 hours') AS on_cn;
-- Fri Oct 10 2025 16:30 + 1 h: copy closes Friday 17:00 -> 0.5 h, then make-up Sat Oct 11
-- 09:00-09:30; cn: 16:30 + 1 h = 17:30
SELECT complaint.business_add('cn_copy', '2025-10-10 16:30+08', '1 hour') AS on_copy,
       complaint.business_add('cn', '2025-10-10 16:30+08', '1 hour') AS on_cn;
-- the copy in UTC: Mon Mar 3 2025 09:00 UTC = 17:00 +08; + 4 h: 09-12 UTC (3 h),
-- 13:00-14:00 UTC -> 14:00 UTC = 22:00 +08
SELECT complaint.business_add('cn_utc', '2025-03-03 17:00+08', '4 hours');
SELECT tz, weekly_hours, exception_days FROM complaint.calendar_info('cn_copy');

------------------------------------------------------------------------------------------
-- an unprivileged caller (USAGE on schema complaint, like complaint_reader) puts its own
-- text "=" first on its path.  This one does not raise: it logs who runs it and answers
-- correctly, so nothing looks wrong from outside.  The calendar code must never call it,
-- least of all with the privileges of the owner of the calendar tables.
------------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA complaint TO regress_pgc_hostile;
SET ROLE regress_pgc_hostile;
CREATE SCHEMA spy;
CREATE TABLE spy.log (session_role name, run_as name, run_as_superuser boolean);
GRANT INSERT ON spy.log TO PUBLIC;
CREATE FUNCTION spy.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO spy.log VALUES (session_user, current_user,
        (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) current_user));
    RETURN $1 OPERATOR(pg_catalog.=) $2;
END$$;
CREATE OPERATOR spy.= (LEFTARG = text, RIGHTARG = text, FUNCTION = spy.text_eq);
RESET ROLE;
-- a change of any calendar row makes every backend recompile at its next use
INSERT INTO complaint.calendar (name, tz) VALUES ('recompile', 'UTC');
DELETE FROM complaint.calendar WHERE name = 'recompile';
SET ROLE regress_pgc_hostile;
SET search_path = spy, pg_catalog;
-- make-up Sunday Sep 28 10:00 is open; Sep 26 12:00 -> Oct 13 12:00 = 56 h
SELECT complaint.is_business_time('cn', '2025-09-28 10:00+08');
SELECT complaint.business_between('cn', '2025-09-26 12:00+08', '2025-10-13 12:00+08');
RESET search_path;
-- the spy was never called
SELECT count(*) AS calls,
       count(*) FILTER (WHERE run_as <> 'regress_pgc_hostile') AS calls_as_another_role,
       coalesce(bool_or(run_as_superuser), false) AS called_as_superuser
  FROM spy.log;
RESET ROLE;
SET client_min_messages = warning;
DROP SCHEMA spy CASCADE;
RESET client_min_messages;
REVOKE USAGE ON SCHEMA complaint FROM regress_pgc_hostile;

-- clean up
DELETE FROM complaint.calendar WHERE name IN ('sec', 'cn_copy', 'cn_utc');
SELECT (SELECT count(*) FROM complaint.calendar) AS calendars,
       (SELECT count(*) FROM complaint.calendar_hours) AS spans,
       (SELECT count(*) FROM complaint.calendar_day) AS days;
SET client_min_messages = warning;
DROP SCHEMA evil CASCADE;
RESET client_min_messages;
REVOKE CREATE ON DATABASE :"datname" FROM regress_pgc_hostile;
DROP ROLE regress_pgc_hostile;
