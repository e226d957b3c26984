-- bench/insert.sql — set-up of the `insert` section of `make bench`: single-row INSERT and a
-- workflow UPDATE through pg_complaint's C triggers, against a plain table without triggers
-- and against the PL/pgSQL peer's peer.complaint. The pgbench scripts are
-- bench/insert_*.pgbench and bench/update_*.pgbench; scripts/bench.sh (bench_insert) runs them
-- and bench/insert_report.sql turns the recorded TPS into the report.
--
-- Run by `scripts/bench.sh insert` in a database that has pg_complaint and peer.sql loaded:
--   psql -X -v ON_ERROR_STOP=1 -v pool=10000 -f bench/insert.sql
--
-- What it creates
--  * Policy `property` (ref_gapless = true): complaint.install_preset('property') when that
--    function exists, else the policy row and the six categories of POLICIES.md section 1 by
--    INSERT (calendar cn, prefix PROP; the same names and labels as peer.policy).
--  * Policy `property_nogap`: a copy of `property` (every row of every table that references
--    complaint.policy, so rules a preset adds are copied too) with prefix PROPNG and
--    ref_gapless = false.
--  * bench.plain: CREATE TABLE ... (LIKE complaint.complaint INCLUDING ALL): the same columns,
--    types, defaults, identity, CHECKs and indexes (PK, UNIQUE ref, the partial and the unit
--    index), but no trigger and no foreign key. The client fills ref from bench.plain_ref.
--  * A pool of :pool complaints in each of bench.plain, complaint.complaint (policy property)
--    and peer.complaint, with identical values (same generator, same distributions as the
--    pgbench scripts), then moved to `assigned` with a unit and a handler through each
--    table's own rules: the rows the UPDATE cases reassign. They also give the similar-
--    complaint probes (ours and the peer's) populated clusters from the first insert on. The
--    same rows once more under property_nogap, left `new`, so that (b) and (b') start alike.
--  * bench.tps: where scripts/bench.sh records each pgbench run.
--
-- Value distributions (identical for the pool and all INSERT cases, see insert_*.pgbench):
-- channel uniform over the 11 channels, category uniform over the 6 categories, complainant
-- uniform over 5,000 owners, unit uniform over 50 sites, received_at = now() − U(0, 360) min,
-- subject one of 8 texts (English and Chinese) plus the owner number, handler one of 200.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- ---- policies ---------------------------------------------------------------------------

DO $$
BEGIN
    IF to_regprocedure('complaint.install_preset(text)') IS NOT NULL THEN
        EXECUTE 'SELECT complaint.install_preset(''property'')';
    ELSE
        INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
        VALUES ('property', '万科投诉处理办法', 'Real-estate developer / property management', 'cn', 'PROP');
        INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES
            ('property', 'engineering_quality', '工程质量', 'Engineering quality'),
            ('property', 'planning_design',     '规划设计', 'Planning & design'),
            ('property', 'sales_management',    '销售管理', 'Sales management'),
            ('property', 'property_management', '物业管理', 'Property management'),
            ('property', 'customer_service',    '客户服务', 'Customer service'),
            ('property', 'other',               '其他',     'Other');
    END IF;
    UPDATE complaint.policy SET ref_gapless = true WHERE code = 'property' AND NOT ref_gapless;
END $$;

-- bench.clone_policy: copy policy src as dst with another prefix and ref_gapless, together
-- with the rows of every table holding a foreign key to complaint.policy (categories, and
-- whatever later issues add: levels, rules, ...). Identity and generated columns are left to
-- their defaults; tables that reference each other are copied in passes until all succeed.
CREATE FUNCTION bench.clone_policy(src text, dst text, prefix text, gapless boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    todo regclass[];
    done regclass[] := '{}';
    progress boolean;
    cols text;
    sel text;
    last_err text;
BEGIN
    -- the policy row itself, every column copied but the three that differ
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg(CASE a.attname WHEN 'code' THEN quote_literal(dst)
                                     WHEN 'ref_prefix' THEN quote_literal(prefix)
                                     WHEN 'ref_gapless' THEN gapless::text
                                     ELSE quote_ident(a.attname) END, ', ' ORDER BY a.attnum)
      INTO cols, sel
      FROM pg_attribute a
     WHERE a.attrelid = 'complaint.policy'::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attidentity = '' AND a.attgenerated = '';
    EXECUTE format('INSERT INTO complaint.policy (%s) SELECT %s FROM complaint.policy WHERE code = %L',
                   cols, sel, src);

    SELECT array_agg(DISTINCT c.conrelid) INTO todo
      FROM pg_constraint c
     WHERE c.contype = 'f' AND c.confrelid = 'complaint.policy'::regclass
       AND c.conrelid NOT IN ('complaint.complaint'::regclass, 'complaint.policy'::regclass);
    todo := coalesce(todo, '{}');
    LOOP
        progress := false;
        FOR t IN
            SELECT r.rel, a.attname AS fkcol
              FROM unnest(todo) AS r(rel)
              JOIN pg_constraint c ON c.conrelid = r.rel AND c.contype = 'f'
                                  AND c.confrelid = 'complaint.policy'::regclass
              JOIN pg_attribute a ON a.attrelid = r.rel AND a.attnum = c.conkey[1]
             WHERE r.rel <> ALL (done)
        LOOP
            SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
                   string_agg(CASE WHEN a.attname = t.fkcol THEN quote_literal(dst)
                                   ELSE quote_ident(a.attname) END, ', ' ORDER BY a.attnum)
              INTO cols, sel
              FROM pg_attribute a
             WHERE a.attrelid = t.rel AND a.attnum > 0 AND NOT a.attisdropped
               AND a.attidentity = '' AND a.attgenerated = '';
            BEGIN
                EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s WHERE %I = %L',
                               t.rel, cols, sel, t.rel, t.fkcol, src);
                done := done || t.rel;
                progress := true;
            EXCEPTION WHEN OTHERS THEN   -- e.g. a row whose parent table is not copied yet
                last_err := format('%s: %s', t.rel, SQLERRM);
            END;
        END LOOP;
        EXIT WHEN cardinality(done) >= cardinality(todo);
        IF NOT progress THEN
            RAISE EXCEPTION 'bench: cannot copy policy % as %: %', src, dst, last_err;
        END IF;
    END LOOP;
END $$;

SELECT bench.clone_policy('property', 'property_nogap', 'PROPNG', false) \gset

-- ---- the plain table --------------------------------------------------------------------

CREATE TABLE bench.plain (LIKE complaint.complaint INCLUDING ALL);
CREATE SEQUENCE bench.plain_ref AS bigint;

-- ---- the pool ---------------------------------------------------------------------------

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
       1 + floor(random() * 50)::int AS un,
       1 + floor(random() * 200)::int AS h
  FROM generate_series(1, :pool) i;

-- the same subject texts as the pgbench scripts
CREATE FUNCTION bench.subject(subj int, who int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (ARRAY['Water leaking through the ceiling', 'Lift out of service for three days',
                  '外墙裂缝', 'Handover of the flat is late', '停车费纠纷',
                  'Construction noise at night', '销售顾问承诺未兑现',
                  'Garden differs from the brochure'])[subj] || ' #' || who::text   -- ::text: immutable, so it inlines
$$;

INSERT INTO bench.plain (ref, policy, received_at, channel, category, subject, complainant, unit)
SELECT 'PLAIN-' || nextval('bench.plain_ref'), 'property', received_at, channel::complaint.channel,
       category, bench.subject(subj, who), 'owner ' || who, 'site ' || un
  FROM bench.pool_src ORDER BY i;
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit)
SELECT 'property', received_at, channel::complaint.channel, category, bench.subject(subj, who),
       'owner ' || who, 'site ' || un
  FROM bench.pool_src ORDER BY i;
INSERT INTO peer.complaint (policy, received_at, channel, category, subject, complainant, unit)
SELECT 'property', received_at, channel, category, bench.subject(subj, who), 'owner ' || who, 'site ' || un
  FROM bench.pool_src ORDER BY i;
-- the same rows under property_nogap (not assigned): both of our policies start with the same
-- clusters and statistics, as (b) and (b') insert into the same table
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit)
SELECT 'property_nogap', received_at, channel::complaint.channel, category, bench.subject(subj, who),
       'owner ' || who, 'site ' || un
  FROM bench.pool_src ORDER BY i;

-- the pool rows are the first :pool ids of each table (fresh database)
CREATE TABLE bench.pool_base AS
SELECT :pool::int AS n,
       (SELECT min(id) FROM bench.plain) AS plain,
       (SELECT min(id) FROM complaint.complaint WHERE policy = 'property') AS ours,
       (SELECT min(id) FROM peer.complaint) AS peer;

-- new -> assigned one complaint per statement, as an application would: a single UPDATE of
-- many complaints can fail in ours when the classifier raises an earlier complaint of the
-- same cluster that this very statement has already updated.
DO $$
DECLARE s record; b bench.pool_base;
BEGIN
    SELECT * INTO b FROM bench.pool_base;
    FOR s IN SELECT i, h FROM bench.pool_src ORDER BY i LOOP
        UPDATE bench.plain SET status = 'assigned', handler = 'handler ' || s.h WHERE id = b.plain + s.i - 1;
        UPDATE complaint.complaint SET status = 'assigned', handler = 'handler ' || s.h WHERE id = b.ours + s.i - 1;
        UPDATE peer.complaint SET status = 'assigned', handler = 'handler ' || s.h WHERE id = b.peer + s.i - 1;
    END LOOP;
END $$;

DO $$
DECLARE n int; n_plain bigint; n_ours bigint; n_peer bigint;
BEGIN
    SELECT b.n INTO n FROM bench.pool_base b;
    SELECT count(*) INTO n_plain FROM bench.plain p, bench.pool_base b
     WHERE p.id BETWEEN b.plain AND b.plain + b.n - 1 AND p.status = 'assigned';
    SELECT count(*) INTO n_ours FROM complaint.complaint c, bench.pool_base b
     WHERE c.id BETWEEN b.ours AND b.ours + b.n - 1 AND c.status = 'assigned' AND c.policy = 'property';
    SELECT count(*) INTO n_peer FROM peer.complaint c, bench.pool_base b
     WHERE c.id BETWEEN b.peer AND b.peer + b.n - 1 AND c.status = 'assigned';
    IF n_plain <> n OR n_ours <> n OR n_peer <> n THEN
        RAISE EXCEPTION 'bench: pool not assigned: plain %, ours %, peer % of %', n_plain, n_ours, n_peer, n;
    END IF;
END $$;

-- ---- results ----------------------------------------------------------------------------

CREATE TABLE bench.tps (
    case_id  text NOT NULL,          -- a, b, b2, c, ua, ub, uc
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

VACUUM ANALYZE bench.plain;
VACUUM ANALYZE complaint.complaint;
VACUUM ANALYZE complaint.event;
VACUUM ANALYZE complaint.ref_counter;
VACUUM ANALYZE peer.complaint;
VACUUM ANALYZE peer.event;
VACUUM ANALYZE peer.deadline;
VACUUM ANALYZE peer.ref_counter;
