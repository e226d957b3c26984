SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
--
-- setup: the first file of REGRESS; loads the extension once for every file that follows.
--
CREATE EXTENSION pg_complaint;
-- everything lives in schema complaint, and the library matches the SQL script
SELECT e.extname, e.extversion, n.nspname, e.extrelocatable, complaint.version() AS library
  FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'pg_complaint';
-- the three calendar tables and the bundled calendar cn: Mon-Fri x 2 spans = 10, and the
-- 255 exception days of shared/data/cn-holidays (2020-2026)
SELECT (SELECT count(*) FROM complaint.calendar) AS calendars,
       (SELECT count(*) FROM complaint.calendar_hours) AS spans,
       (SELECT count(*) FROM complaint.calendar_day) AS exception_days;
