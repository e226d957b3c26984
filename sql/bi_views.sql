SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- bi_views: the BI views' binding metadata (CONTRACT section 6): names, columns, plain types,
-- a comment on every view and column, security_barrier, and who may read them. The reports'
-- numbers are checked on a generated data set in bi_reports.
--
-- every BI view of the schema (v_*), with its comment and options
SELECT c.relname AS view, c.reloptions, obj_description(c.oid, 'pg_class') IS NOT NULL AS commented
  FROM pg_class c WHERE c.relnamespace = 'complaint'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'v\_%' ORDER BY 1;
-- only plain types: text, bigint, numeric, date, timestamptz, boolean
SELECT DISTINCT format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'complaint'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'v\_%' AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY 1;
-- no column without a comment
SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'complaint'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'v\_%' AND a.attnum > 0
   AND coalesce(col_description(c.oid, a.attnum), '') = '';
-- the columns, in order (the binding shape the CLI and BI tools rely on)
SELECT c.relname AS view, a.attnum AS n, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'complaint'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'v\_%' AND a.attnum > 0
 ORDER BY 1, 2;
-- who may read them: the four roles; nobody else (PUBLIC has nothing)
SELECT c.relname AS view, string_agg(g.grantee || ':' || g.privilege_type, ', ' ORDER BY g.grantee) AS grants
  FROM pg_class c JOIN information_schema.role_table_grants g
    ON g.table_schema = 'complaint' AND g.table_name = c.relname AND g.grantee <> current_user
 WHERE c.relnamespace = 'complaint'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'v\_%'
 GROUP BY 1 ORDER BY 1;
-- the role that unmasks personal data exists and is not a login
SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = 'complaint_pii';
-- a policy without complaints has no rows (the reports have no period to show)
SELECT (SELECT count(*) FROM complaint.v_complaints WHERE policy LIKE 'bi\_%') AS complaints,
       (SELECT count(*) FROM complaint.v_overdue WHERE policy LIKE 'bi\_%') AS overdue,
       (SELECT count(*) FROM complaint.v_daily_report WHERE policy LIKE 'bi\_%') AS daily,
       (SELECT count(*) FROM complaint.v_monthly_report WHERE policy LIKE 'bi\_%') AS monthly,
       (SELECT count(*) FROM complaint.v_penalties WHERE policy LIKE 'bi\_%') AS penalties;
-- the masking helpers: first 3 and last 2 characters kept; short values fully masked;
-- pseudonyms are stable and do not show the name
SELECT complaint._mask_contact('13812345678') AS phone, complaint._mask_contact('li.na@example.com') AS email,
       complaint._mask_contact('12345') AS short, complaint._mask_contact(NULL) AS none,
       complaint._pseudonym('Li Na') = complaint._pseudonym('Li Na') AS stable,
       complaint._pseudonym('Li Na') <> complaint._pseudonym('Li Nan') AS distinct_names,
       position('Li' IN complaint._pseudonym('Li Na')) = 0 AS hides_name, length(complaint._pseudonym('x')) AS len;

-- complaint.generate(): bad arguments are refused before anything is written
SELECT count(*) AS complaints_before, (SELECT count(*) FROM complaint.policy) AS policies_before FROM complaint.complaint \gset
\set VERBOSITY terse
SELECT complaint.generate('bank', 10, '2026-03-01', '2026-04-01');
SELECT complaint.generate('food', 0, '2026-03-01', '2026-04-01');
SELECT complaint.generate('food', NULL, '2026-03-01', '2026-04-01');
SELECT complaint.generate('food', 10, '2026-04-01', '2026-03-01');
SELECT complaint.generate('food', 10, '2026-03-01', 'infinity');
SELECT complaint.generate('food', 10, '2026-03-01', '2999-01-01');
SELECT complaint.generate('food', 10, '2026-03-01', '2026-04-01', 1, '10 seconds');
SELECT complaint.generate('food', 10, '2026-03-01', '2026-04-01', NULL);
-- the simulated clock cannot run ahead of the real one
SELECT complaint._sim_clock('2999-01-01');
SELECT complaint._sim_clock('infinity');
\set VERBOSITY default
SELECT count(*) = :complaints_before AS no_complaint_written,
       (SELECT count(*) FROM complaint.policy) = :policies_before AS no_policy_installed
  FROM complaint.complaint;
