-- bench/escalations.sql — set-up of the INSERT part of the `escalations` section of `make
-- bench`: what deadlines cost a single-row INSERT. The same stream of property complaints
-- goes into complaint.complaint under (on) the `property` preset, whose SLA rules open a
-- forward deadline for every complaint at receipt, and (off) `property_nodl`, a copy of that
-- policy (levels, facts, classification rules, SLA and escalation rules) whose SLA rules are
-- then disabled with `UPDATE complaint.sla_rule SET enabled = false` (deadlines off,
-- everything else on: refs, workflow, classification, history), and into (c) the PL/pgSQL
-- peer's peer.complaint (which opens its deadlines too). Both of ours have gap-free refs, as
-- the preset. The pgbench scripts are bench/insert_ours.pgbench (-D policy=...) and
-- bench/insert_peer.pgbench; scripts/bench.sh (bench_escalations) runs them and
-- bench/escalations_report.sql reports. The sweep part is bench/escalations_sweep.sql.
--
-- Run by `scripts/bench.sh escalations` in a database that has pg_complaint and peer.sql:
--   psql -X -v ON_ERROR_STOP=1 -v pool=10000 -f bench/escalations.sql
--
-- A pool of :pool complaints per policy and in the peer (values as in bench/classify.sql:
-- received in the last 6 hours, complainant over 5,000 owners, unit over 50 sites) lets every
-- case start from the same populated tables.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

SELECT complaint.install_preset('property') \gset

-- bench.copy_row(tbl, src, dst): the rows of policy src in tbl again under policy dst (every
-- column, through jsonb, so the copy follows the table's definition)
CREATE FUNCTION bench.copy_rows(tbl text, src text, dst text, extra jsonb DEFAULT '{}')
RETURNS void LANGUAGE plpgsql AS $$
DECLARE col text := CASE WHEN tbl = 'complaint.policy' THEN 'code' ELSE 'policy' END;
BEGIN
    EXECUTE format('INSERT INTO %s SELECT (jsonb_populate_record(NULL::%s, to_jsonb(t) || jsonb_build_object(%L, $1) || $2)).* FROM %s t WHERE %I = $3',
                   tbl, tbl, col, tbl, col)
      USING dst, extra, src;
END $$;

SELECT bench.copy_rows('complaint.policy', 'property', 'property_nodl', '{"ref_prefix": "PROPND"}'),
       bench.copy_rows('complaint.category', 'property', 'property_nodl'),
       bench.copy_rows('complaint.level', 'property', 'property_nodl'),
       bench.copy_rows('complaint.fact', 'property', 'property_nodl'),
       bench.copy_rows('complaint.rule', 'property', 'property_nodl'),
       bench.copy_rows('complaint.sla_rule', 'property', 'property_nodl'),
       bench.copy_rows('complaint.escalation_rule', 'property', 'property_nodl') \gset
UPDATE complaint.sla_rule SET enabled = false WHERE policy = 'property_nodl';

DO $$
DECLARE a int; b int; c int; d int;
BEGIN
    SELECT count(*) FILTER (WHERE policy = 'property' AND enabled), count(*) FILTER (WHERE policy = 'property_nodl'),
           count(*) FILTER (WHERE policy = 'property_nodl' AND enabled)
      INTO a, b, c FROM complaint.sla_rule;
    SELECT count(*) FILTER (WHERE policy = 'property_nodl' AND enabled) - count(*) FILTER (WHERE policy = 'property' AND enabled)
      INTO d FROM complaint.rule;
    IF a = 0 OR b <> a OR c <> 0 OR d <> 0 THEN
        RAISE EXCEPTION 'bench: property_nodl is not property with its % SLA rules disabled (% copied, % enabled, rules differ by %)', a, b, c, d;
    END IF;
END $$;

-- the same subject texts as the pgbench scripts (and bench/insert.sql, bench/classify.sql)
CREATE FUNCTION bench.subject(subj int, who int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (ARRAY['Water leaking through the ceiling', 'Lift out of service for three days',
                  '外墙裂缝', 'Handover of the flat is late', '停车费纠纷',
                  'Construction noise at night', '销售顾问承诺未兑现',
                  'Garden differs from the brochure'])[subj] || ' #' || who::text
$$;

SELECT setseed(0.2026) \gset
CREATE TABLE bench.pool_src AS
SELECT i,
       now() - (floor(random() * 361))::int * interval '1 minute' AS received_at,
       (ARRAY['phone', 'email', 'web', 'forum', 'letter', 'in_person', 'hotline', 'review',
              'sales_feedback', 'regulator', 'other'])[1 + floor(random() * 11)::int] AS channel,
       (ARRAY['engineering_quality', 'planning_design', 'sales_management',
              'property_management', 'customer_service', 'other'])[1 + floor(random() * 6)::int] AS category,
       1 + floor(random() * 8)::int AS subj,
       1 + floor(random() * 5000)::int AS who,
       1 + floor(random() * 50)::int AS un
  FROM generate_series(1, :pool) i;

INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit)
SELECT p.policy, received_at, channel::complaint.channel, category, bench.subject(subj, who),
       'owner ' || who, 'site ' || un
  FROM (VALUES (1, 'property'), (2, 'property_nodl')) AS p(k, policy)
 CROSS JOIN bench.pool_src ORDER BY p.k, i;
INSERT INTO peer.complaint (policy, received_at, channel, category, subject, complainant, unit)
SELECT 'property', received_at, channel, category, bench.subject(subj, who), 'owner ' || who, 'site ' || un
  FROM bench.pool_src ORDER BY i;

DO $$
DECLARE on_ int; off_ int;
BEGIN
    SELECT count(*) FILTER (WHERE c.policy = 'property'), count(*) FILTER (WHERE c.policy = 'property_nodl')
      INTO on_, off_ FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id;
    IF on_ = 0 OR off_ <> 0 THEN
        RAISE EXCEPTION 'bench: deadlines on/off not as intended: % under property, % under property_nodl', on_, off_;
    END IF;
END $$;

CREATE TABLE bench.tps (
    case_id  text NOT NULL,          -- on, off, c
    sync     text NOT NULL,
    round    int NOT NULL,
    seconds  int NOT NULL,
    tps      float8 NOT NULL,
    lat_ms   float8 NOT NULL,
    xacts    bigint NOT NULL,
    other_cpu float8 NOT NULL,
    idle     float8 NOT NULL,
    run_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (case_id, sync, round)
);

VACUUM ANALYZE complaint.complaint;
VACUUM ANALYZE complaint.event;
VACUUM ANALYZE complaint.deadline;
VACUUM ANALYZE complaint.ref_counter;
VACUUM ANALYZE peer.complaint;
VACUUM ANALYZE peer.event;
VACUUM ANALYZE peer.deadline;
VACUUM ANALYZE peer.ref_counter;
