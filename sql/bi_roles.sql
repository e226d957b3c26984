SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- bi_roles: who sees what through the BI views, logging in as each role (on the data set of
-- bi_reports, database pgc_bi_regress, dropped at the end). complaint_reader reads the views
-- only, with complainants as pseudonyms and contacts masked unless granted complaint_pii;
-- complaint_agent sees its units only, exactly the rows row-level security gives it on the
-- table; a leaky function in a caller's WHERE clause sees nothing more (security_barrier).
--
\set SHOW_CONTEXT never
\c pgc_bi_regress
SET client_min_messages = warning;
SELECT current_user AS superuser \gset
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES ('regress_bi_admin', 'complaint_admin'), ('regress_bi_supervisor', 'complaint_supervisor'),
                                   ('regress_bi_agent', 'complaint_agent'), ('regress_bi_reader', 'complaint_reader'),
                                   ('regress_bi_reader_pii', 'complaint_reader'), ('regress_bi_nobody', NULL)) v(login, grp) LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.login) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', r.login);
        END IF;
        IF r.grp IS NOT NULL AND NOT pg_has_role(r.login, r.grp, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', r.grp, r.login);
        END IF;
    END LOOP;
END
$$;
GRANT complaint_pii TO regress_bi_reader_pii;
INSERT INTO complaint.agent_unit (agent, unit) VALUES
    ('regress_bi_agent', '加油站 Station 001'), ('regress_bi_agent', '加油站 Station 002');
-- what the agent's units hold, as the table owner sees it
SELECT unit, count(*) FROM complaint.complaint WHERE unit IN ('加油站 Station 001', '加油站 Station 002') GROUP BY 1 ORDER BY 1;
SELECT count(*) AS penalty_rows FROM complaint.penalty WHERE unit IN ('加油站 Station 001', '加油站 Station 002');

-- a leaky function: records every value it is shown
CREATE TABLE public.bi_seen (who text, v text);
GRANT INSERT, SELECT ON public.bi_seen TO PUBLIC;
CREATE FUNCTION public.bi_leak(v text) RETURNS boolean LANGUAGE sql VOLATILE COST 0.0001
    AS $$ INSERT INTO public.bi_seen VALUES (current_user, v) RETURNING true $$;

\c - regress_bi_reader
SET timezone = 'Asia/Shanghai';
-- views only: the tables are closed
SELECT count(*) FROM complaint.complaint;
SELECT count(*) FROM complaint.penalty;
-- every complaint, every penalty, every report row
SELECT (SELECT count(*) FROM complaint.v_complaints) AS complaints, (SELECT count(*) FROM complaint.v_penalties) AS penalties,
       (SELECT sum(received) FROM complaint.v_monthly_report WHERE breakdown = 'total') AS received;
-- personal data masked: pseudonyms (stable: the same person twice) and masked contacts
SELECT ref, complainant, contact FROM complaint.v_complaints ORDER BY ref LIMIT 3;
SELECT ref, complainant, previous_ref FROM complaint.v_repeat_complaints ORDER BY ref LIMIT 2;
SELECT count(*) FILTER (WHERE complainant LIKE 'P-%') AS pseudonyms, count(*) FILTER (WHERE contact LIKE '___******__') AS masked,
       count(DISTINCT complainant) AS distinct_complainants
  FROM complaint.v_complaints;
-- a leaky function sees the masked values only
SELECT count(*) FROM complaint.v_complaints WHERE public.bi_leak(contact) AND policy = 'food';
SELECT count(*) AS seen, count(*) FILTER (WHERE v LIKE '___******__') AS masked FROM public.bi_seen WHERE who = current_user;
-- and cannot generate data or move the clock
SELECT complaint.generate('food', 1, '2026-01-01', '2026-01-02');
SELECT complaint._sim_clock('2026-01-01');

\c - regress_bi_reader_pii
-- complaint_pii: names and contacts in clear
SELECT ref, complainant, contact FROM complaint.v_complaints ORDER BY ref LIMIT 3;
SELECT count(*) FROM complaint.complaint;

\c - regress_bi_agent
SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD';
-- the agent's units only, in every view, and exactly what row-level security shows on the table
SELECT (SELECT count(*) FROM complaint.v_complaints) AS view_rows, (SELECT count(*) FROM complaint.complaint) AS table_rows,
       (SELECT string_agg(DISTINCT unit, ', ') FROM complaint.v_complaints) AS units;
SELECT (SELECT count(*) FROM complaint.v_penalties) AS penalties, (SELECT count(DISTINCT unit) FROM complaint.v_penalties) AS units,
       (SELECT count(*) FROM complaint.v_overdue) AS overdue, (SELECT count(*) FROM complaint.v_repeat_complaints) AS repeats;
SELECT policy, month, received, closed, closure_rate FROM complaint.v_monthly_report WHERE breakdown = 'total' AND received > 0 ORDER BY 1, 2;
SELECT handler, complaints, closure_rate FROM complaint.v_handler_scorecard ORDER BY quarter, handler;
SELECT dimension, key, received, previous FROM complaint.v_hotspots WHERE policy = 'fuel_retail' AND month = '2026-03-01' AND dimension = 'unit' ORDER BY key;
-- the agent sees contacts (staff) ...
SELECT count(*) FILTER (WHERE complainant LIKE '客户%') AS clear_names FROM complaint.v_complaints;
-- ... and a leaky function in its WHERE clause sees its units only
SELECT count(*) FROM complaint.v_complaints WHERE public.bi_leak(unit);
SELECT v AS unit, count(*) FROM public.bi_seen WHERE who = current_user GROUP BY v ORDER BY v;

\c - regress_bi_supervisor
SELECT (SELECT count(*) FROM complaint.v_complaints) AS complaints,
       (SELECT count(*) FILTER (WHERE complainant LIKE '客户%') FROM complaint.v_complaints) AS clear_names,
       (SELECT count(*) FROM complaint.v_penalties) AS penalties;

\c - regress_bi_admin
SELECT (SELECT count(*) FROM complaint.v_complaints) AS complaints, (SELECT count(*) FROM complaint.v_overdue) AS overdue;

\c - regress_bi_nobody
SELECT count(*) FROM complaint.v_complaints;
SELECT count(*) FROM complaint.v_monthly_report;

\c postgres :superuser
SET client_min_messages = warning;
DROP DATABASE pgc_bi_regress;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['regress_bi_admin', 'regress_bi_supervisor', 'regress_bi_agent', 'regress_bi_reader',
                             'regress_bi_reader_pii', 'regress_bi_nobody'] LOOP
        EXECUTE format('DROP ROLE %I', r);
    END LOOP;
END
$$;
