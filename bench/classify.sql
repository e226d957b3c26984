-- bench/classify.sql — set-up of the INSERT part of the `classify` section of `make bench`:
-- what classification costs a single-row INSERT. The same stream of property complaints goes
-- into complaint.complaint under (b) the `property` preset and (d) `property_off`, a copy of
-- that policy whose rules are all disabled (classification off, everything else on), and into
-- (c) the PL/pgSQL peer's peer.complaint. (b') and (d') are the same pair with ref_gapless =
-- false: with gap-free refs two clients wait for each other on the reference counter (held
-- until commit), classification runs outside that wait and partly fills the idle time, so
-- (b)/(d) shows what the rules cost at this concurrency and (b')/(d'), CPU-bound, what they
-- cost in CPU. The pgbench scripts are bench/insert_ours.pgbench (-D policy=...) and
-- bench/insert_peer.pgbench; scripts/bench.sh (bench_classify) runs them and
-- bench/classify_report.sql reports. The second part of the section (classify() calls per
-- second) is bench/classify_calls.sql.
--
-- Run by `scripts/bench.sh classify` in a database that has pg_complaint and peer.sql loaded:
--   psql -X -v ON_ERROR_STOP=1 -v pool=10000 -f bench/classify.sql
--
-- What it creates
--  * Policy `property`: complaint.install_preset('property') (4 levels, 5 facts, 10 rules,
--    gap-free refs).
--  * Copies of it made with INSERTs of its rows (policy, categories, levels, facts, rules)
--    under a new code and prefix: `property_off` (PROPOFF, rules then disabled with UPDATE
--    complaint.rule SET enabled = false), `property_nogap` (PROPNG, ref_gapless = false) and
--    `property_off_nogap` (PROPOFFNG, both). Complaints under a copy with its rules disabled
--    still go through every other rule of the triggers (validation, workflow, refs, history
--    event, foreign keys); the classifier finds no enabled rule and gives the default level.
--  * A pool of :pool complaints in complaint.complaint under each of the four policies and in
--    peer.complaint, with identical values (status `new`, received in the last 6 hours), so
--    the similar-complaint probes (ours under the policies with rules, the peer's) see
--    populated clusters from the first insert on, and every pair starts from the same table.
--  * bench.tps: where scripts/bench.sh records each pgbench run.
--
-- Value distributions: those of the insert section (bench/insert.sql): channel uniform over
-- the 11 channels, category over the 6 categories, complainant over 5,000 owners, unit over
-- 50 sites, received_at = now() − U(0, 360) min, subject one of 8 texts plus the owner number.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- ---- policies ---------------------------------------------------------------------------

SELECT complaint.install_preset('property') \gset

-- bench.copy_policy: the rows of `property` (policy, categories, levels, facts, rules) under
-- another code and prefix, with ref_gapless as given; rules_enabled = false then disables
-- every rule of the copy with an UPDATE, as an administrator would.
CREATE FUNCTION bench.copy_policy(dst text, prefix text, gapless boolean, rules_enabled boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE n_src int; n_dst int; n_dst_enabled int;
BEGIN
    INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix, ref_gapless,
                                  first_contact_resolution, strict_facts)
    SELECT dst, name_zh, name_en, calendar, prefix, gapless, first_contact_resolution, strict_facts
      FROM complaint.policy WHERE code = 'property';
    INSERT INTO complaint.category (policy, code, name_zh, name_en, parent, validity)
    SELECT dst, code, name_zh, name_en, parent, validity FROM complaint.category WHERE policy = 'property';
    INSERT INTO complaint.level (policy, code, rank, name_zh, name_en, compensation_ratio)
    SELECT dst, code, rank, name_zh, name_en, compensation_ratio FROM complaint.level WHERE policy = 'property';
    INSERT INTO complaint.fact (policy, key, type, allowed, default_value, name_zh, name_en)
    SELECT dst, key, type, allowed, default_value, name_zh, name_en FROM complaint.fact WHERE policy = 'property';
    INSERT INTO complaint.rule (policy, name, kind, level, condition, reason_zh, reason_en, enabled)
    SELECT dst, name, kind, level, condition, reason_zh, reason_en, enabled FROM complaint.rule WHERE policy = 'property';
    IF NOT rules_enabled THEN
        UPDATE complaint.rule SET enabled = false WHERE policy = dst;
    END IF;

    SELECT count(*) FILTER (WHERE policy = 'property' AND enabled),
           count(*) FILTER (WHERE policy = dst),
           count(*) FILTER (WHERE policy = dst AND enabled)
      INTO n_src, n_dst, n_dst_enabled
      FROM complaint.rule;
    IF n_src = 0 OR n_dst <> n_src OR n_dst_enabled <> (CASE WHEN rules_enabled THEN n_src ELSE 0 END) THEN
        RAISE EXCEPTION 'bench: policy copy % wrong: property % enabled rules, % % rules (% enabled)',
                        dst, n_src, dst, n_dst, n_dst_enabled;
    END IF;
END $$;

SELECT bench.copy_policy('property_off', 'PROPOFF', true, false) \gset
SELECT bench.copy_policy('property_nogap', 'PROPNG', false, true) \gset
SELECT bench.copy_policy('property_off_nogap', 'PROPOFFNG', false, false) \gset

-- ---- the pool ---------------------------------------------------------------------------

-- the same subject texts as the pgbench scripts (and bench/insert.sql)
CREATE FUNCTION bench.subject(subj int, who int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (ARRAY['Water leaking through the ceiling', 'Lift out of service for three days',
                  '外墙裂缝', 'Handover of the flat is late', '停车费纠纷',
                  'Construction noise at night', '销售顾问承诺未兑现',
                  'Garden differs from the brochure'])[subj] || ' #' || who::text   -- ::text: immutable, so it inlines
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
  FROM (VALUES (1, 'property'), (2, 'property_off'), (3, 'property_nogap'), (4, 'property_off_nogap')) AS p(k, policy)
 CROSS JOIN bench.pool_src ORDER BY p.k, i;
INSERT INTO peer.complaint (policy, received_at, channel, category, subject, complainant, unit)
SELECT 'property', received_at, channel, category, bench.subject(subj, who), 'owner ' || who, 'site ' || un
  FROM bench.pool_src ORDER BY i;

-- ---- results ----------------------------------------------------------------------------

CREATE TABLE bench.tps (
    case_id  text NOT NULL,          -- b, d, b2, d2, c
    sync     text NOT NULL,          -- synchronous_commit: off | on
    round    int NOT NULL,
    seconds  int NOT NULL,
    tps      float8 NOT NULL,
    lat_ms   float8 NOT NULL,
    xacts    bigint NOT NULL,
    other_cpu float8 NOT NULL,       -- % of the machine used by neither the cluster nor pgbench
    idle     float8 NOT NULL,        -- % of the machine idle during the run (not CPU-bound when high)
    run_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (case_id, sync, round)
);

VACUUM ANALYZE complaint.complaint;
VACUUM ANALYZE complaint.event;
VACUUM ANALYZE complaint.ref_counter;
VACUUM ANALYZE peer.complaint;
VACUUM ANALYZE peer.event;
VACUUM ANALYZE peer.deadline;
VACUUM ANALYZE peer.ref_counter;
