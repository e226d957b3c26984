-- bench/classify_calls.sql — second part of the `classify` section of `make bench`:
-- complaint.classify() calls per second over stored property complaints, and the PL/pgSQL
-- peer's peer.classify() on a sample of the same rows.
--
-- Run by `scripts/bench.sh classify` in a fresh database that has pg_complaint and peer.sql
-- loaded (not the one of the INSERT part):
--   psql -X -v ON_ERROR_STOP=1 -v n=100000 -v n_peer=10000 -v reps=3 \
--        -v md=<markdown file> -f bench/classify_calls.sql
--
-- The stored complaints (a year of a property developer's complaint desk)
--  * :n complaints under the `property` preset, received uniformly over the last 365 days,
--    inserted in order of receipt through our triggers in one INSERT … SELECT (so ref, level
--    and the cluster raises are what the product computed); channel, category, complainant (5,000 owners), unit (50
--    sites) and subject distributed as in the insert section, plus: 5 % without a complainant;
--    collective_size 1 (92 %), 2–9 (6 %), 10–30 (2 %); an amount on 30 %; validity invalid 4 %,
--    suggestion 4 %, else effective; facts: lawsuit_filed 0.5 %, media_exposed 0.5 %,
--    legal_or_media_risk 3 %, needs_external_support 5 %, caused_by_us false 25 % / true 5 % /
--    absent (default true) 70 %.
--  * A workflow state that fits each complaint's age (under 2 days: new/acknowledged/assigned;
--    older: more and more resolved; over 30 days: 85 % closed, ~7 % still open), with handler,
--    resolved_at, closed_at, satisfaction, and a reopen_count of 1–2 on 4 % of those older than
--    a week. Our rows are loaded with SET pg_complaint.import = on (the history import of the
--    README: any status, its preconditions checked, events marked imported).
--  * The peer's peer.complaint gets the same rows as ours stored them, copied with its
--    triggers off (session_replication_role = replica), so both classifiers see identical data
--    and identical similar-complaint clusters; the ids match.
--
-- Method
--  * One measurement = one query `SELECT count(<expr>) FROM <table> WHERE <filter>`, timed with
--    clock_timestamp() around EXECUTE in PL/pgSQL; µs/call = elapsed / rows; calls/s = 1e6 /
--    µs. Ours: count((complaint.classify(c, now())).level) over all :n rows (the headline), and
--    over the peer's sample. The peer: count(x.level) FROM peer.complaint c CROSS JOIN LATERAL
--    peer.classify(c) x (it is a set-returning function, so it cannot sit inside count())
--    over the sample: the rows whose id is a multiple of n / n_peer, evenly spread over the
--    year. On the sample ours is timed in the same LATERAL form, so the comparison is like
--    for like.
--  * Baseline: the same query with count(c.level) (the stored level) instead of the call: scan,
--    filter and aggregate without the classifier. net = raw − baseline.
--  * Round 0 warms up (plan caches, our compiled policy) and is discarded; then :reps rounds
--    run every case once, the order reversed in every other round; the median is reported.
--  * No parallel query, no JIT; tables vacuumed, frozen and analysed before timing.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

SELECT complaint.install_preset('property') \gset

CREATE FUNCTION bench.subject(subj int, who int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT (ARRAY['Water leaking through the ceiling', 'Lift out of service for three days',
                  '外墙裂缝', 'Handover of the flat is late', '停车费纠纷',
                  'Construction noise at night', '销售顾问承诺未兑现',
                  'Garden differs from the brochure'])[subj] || ' #' || who::text
$$;

-- ---- the stored complaints --------------------------------------------------------------

SELECT setseed(0.2027) \gset
CREATE TABLE bench.src AS
SELECT i,
       now() - random() * interval '365 days' AS received_at,
       (ARRAY['phone', 'email', 'web', 'forum', 'letter', 'in_person', 'hotline', 'review',
              'sales_feedback', 'regulator', 'other'])[1 + floor(random() * 11)::int] AS channel,
       (ARRAY['engineering_quality', 'planning_design', 'sales_management',
              'property_management', 'customer_service', 'other'])[1 + floor(random() * 6)::int] AS category,
       1 + floor(random() * 8)::int AS subj,
       CASE WHEN random() < 0.05 THEN NULL ELSE 1 + floor(random() * 5000)::int END AS who,
       1 + floor(random() * 50)::int AS un,
       (SELECT CASE WHEN u < 0.92 THEN 1 WHEN u < 0.98 THEN 2 + floor(random() * 8)::int
                    ELSE 10 + floor(random() * 21)::int END FROM (SELECT random() + i * 0 AS u) x) AS collective_size,
       CASE WHEN random() < 0.30 THEN round((random() * 50000)::numeric, 2) END AS amount,
       (SELECT CASE WHEN u < 0.04 THEN 'invalid' WHEN u < 0.08 THEN 'suggestion' ELSE 'effective' END
          FROM (SELECT random() + i * 0 AS u) x) AS validity,
       jsonb_strip_nulls(jsonb_build_object(
           'lawsuit_filed',          CASE WHEN random() < 0.005 THEN true END,
           'media_exposed',          CASE WHEN random() < 0.005 THEN true END,
           'legal_or_media_risk',    CASE WHEN random() < 0.03 THEN true END,
           'needs_external_support', CASE WHEN random() < 0.05 THEN true END,
           'caused_by_us',           (SELECT CASE WHEN u < 0.25 THEN false WHEN u < 0.30 THEN true END
                                        FROM (SELECT random() + i * 0 AS u) x))) AS facts
  FROM generate_series(1, :n) i;

-- a workflow state that fits the age of each complaint
ALTER TABLE bench.src ADD status text, ADD handler text, ADD resolved_at timestamptz,
    ADD closed_at timestamptz, ADD satisfaction int, ADD reopen_count int;
WITH r AS (
    SELECT i, extract(epoch FROM now() - received_at) / 86400 AS age, validity,
           random() AS u1, random() AS u2, random() AS u3, random() AS u4
      FROM bench.src),
s AS (
    SELECT i, age, validity, u2, u3, u4,
           CASE WHEN validity IN ('invalid', 'suggestion') AND age >= 3
                     THEN CASE WHEN u1 < 0.7 THEN 'rejected' ELSE 'closed' END
                WHEN age < 2 THEN CASE WHEN u1 < 0.4 THEN 'new' WHEN u1 < 0.7 THEN 'acknowledged' ELSE 'assigned' END
                WHEN age < 7 THEN CASE WHEN u1 < 0.1 THEN 'acknowledged' WHEN u1 < 0.5 THEN 'assigned'
                                       WHEN u1 < 0.7 THEN 'investigating' WHEN u1 < 0.8 THEN 'pending_info'
                                       WHEN u1 < 0.9 THEN 'proposed' ELSE 'accepted' END
                WHEN age < 30 THEN CASE WHEN u1 < 0.15 THEN 'assigned' WHEN u1 < 0.25 THEN 'investigating'
                                        WHEN u1 < 0.30 THEN 'pending_info' WHEN u1 < 0.40 THEN 'proposed'
                                        WHEN u1 < 0.60 THEN 'accepted' WHEN u1 < 0.75 THEN 'follow_up'
                                        ELSE 'closed' END
                ELSE CASE WHEN u1 < 0.85 THEN 'closed' WHEN u1 < 0.89 THEN 'follow_up' WHEN u1 < 0.93 THEN 'accepted'
                          WHEN u1 < 0.96 THEN 'assigned' WHEN u1 < 0.98 THEN 'investigating'
                          WHEN u1 < 0.99 THEN 'escalated' ELSE 'external_review' END
           END AS status
      FROM r)
UPDATE bench.src x
   SET status = s.status,
       handler = CASE WHEN s.status NOT IN ('new', 'acknowledged') THEN 'handler ' || (1 + floor(s.u4 * 200)::int) END,
       resolved_at = CASE WHEN s.status IN ('accepted', 'follow_up', 'closed')
                          THEN x.received_at + s.u2 * least(s.age, 20) * interval '1 day' END,
       closed_at = CASE WHEN s.status IN ('closed', 'rejected')
                        THEN x.received_at + s.u2 * least(s.age, 20) * interval '1 day' END,
       satisfaction = CASE WHEN s.status = 'closed' AND s.validity = 'effective' THEN 1 + floor(s.u3 * 5)::int END,
       reopen_count = CASE WHEN s.age >= 7 AND s.u3 < 0.04 AND s.status NOT IN ('rejected', 'new')
                           THEN 1 + (s.u4 < 0.2)::int ELSE 0 END
  FROM s WHERE s.i = x.i;

-- our complaints: imported in order of receipt through the triggers, as an admin migrating a
-- year of history would (status and stamps as given, preconditions checked, refs assigned,
-- classified and clusters raised, events marked imported)
SELECT clock_timestamp() AS t_load0 \gset
SET pg_complaint.import = on;
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit,
                                 collective_size, amount, validity, facts, status, handler,
                                 resolved_at, closed_at, satisfaction, reopen_count)
SELECT 'property', received_at, channel::complaint.channel, category, bench.subject(subj, coalesce(who, 0)),
       'owner ' || who, 'site ' || un, collective_size, amount, validity::complaint.validity, facts,
       status::complaint.status, handler, resolved_at, closed_at, satisfaction, reopen_count
  FROM bench.src ORDER BY received_at, i;
RESET pg_complaint.import;
SELECT round(extract(epoch FROM clock_timestamp() - :'t_load0'::timestamptz)::numeric, 1) AS load_ours_s \gset

-- the peer's copy: the same rows as stored by ours (ids 1..n in the same order), without its
-- triggers (session_replication_role = replica; ours are ENABLE ALWAYS, the peer's are not)
SELECT clock_timestamp() AS t_load1 \gset
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO peer.complaint (ref, policy, received_at, channel, category, subject, body, complainant,
                            contact, customer_type, unit, handler, collective_size, amount, facts,
                            validity, status, level, level_reasons, reopen_count, satisfaction,
                            next_due_at, resolved_at, closed_at, updated_at)
SELECT ref, policy, received_at, channel::text, category, subject, body, complainant,
       contact, customer_type, unit, handler, collective_size, amount, facts,
       validity::text, status::text, level, level_reasons, reopen_count, satisfaction,
       next_due_at, resolved_at, closed_at, updated_at
  FROM complaint.complaint ORDER BY id;
COMMIT;
SELECT round(extract(epoch FROM clock_timestamp() - :'t_load1'::timestamptz)::numeric, 1) AS load_peer_s \gset

DO $$
DECLARE bad bigint;
BEGIN
    SELECT count(*) INTO bad
      FROM complaint.complaint o FULL JOIN peer.complaint p USING (id)
     WHERE o.ref IS DISTINCT FROM p.ref OR o.received_at IS DISTINCT FROM p.received_at
        OR o.status::text IS DISTINCT FROM p.status;
    IF bad <> 0 THEN
        RAISE EXCEPTION 'bench: the peer''s copy differs from ours in % rows', bad;
    END IF;
END $$;

VACUUM (FREEZE, ANALYZE) complaint.complaint, peer.complaint;

-- what the stored rows look like (for the report)
CREATE TABLE bench.mix AS
SELECT count(*) AS n,
       min(received_at) AS first, max(received_at) AS last,
       count(*) FILTER (WHERE received_at >= now() - interval '30 days') AS last30,
       count(*) FILTER (WHERE status NOT IN ('accepted', 'follow_up', 'closed', 'rejected')) AS unresolved,
       count(*) FILTER (WHERE status IN ('closed', 'rejected')) AS finished,
       count(*) FILTER (WHERE complainant IS NULL) AS anonymous,
       count(*) FILTER (WHERE validity <> 'effective') AS not_effective,
       count(*) FILTER (WHERE facts <> '{}') AS with_facts,
       count(*) FILTER (WHERE collective_size >= 3) AS collective3,
       count(*) FILTER (WHERE reopen_count >= 1) AS reopened
  FROM complaint.complaint;
CREATE TABLE bench.stored_levels AS
SELECT level, count(*) AS n FROM complaint.complaint GROUP BY level;
CREATE TABLE bench.events AS
SELECT kind, count(*) AS n FROM complaint.event GROUP BY kind;

-- ---- the cases --------------------------------------------------------------------------

CREATE TABLE bench.cases (
    id    serial PRIMARY KEY,
    grp   int NOT NULL,             -- 1 ours over every row, 2 ours on the sample, 3 the peer on the sample
    label text NOT NULL,
    kind  text NOT NULL CHECK (kind IN ('fn', 'base')),
    q     text NOT NULL,
    n     bigint NOT NULL
);
INSERT INTO bench.cases (grp, label, kind, q, n) VALUES
    (1, 'ours: complaint.classify(c, now()), every stored complaint', 'base',
     'SELECT count(c.level) FROM complaint.complaint c WHERE c.policy = ''property''', :n),
    (1, 'ours: complaint.classify(c, now()), every stored complaint', 'fn',
     'SELECT count((complaint.classify(c, now())).level) FROM complaint.complaint c WHERE c.policy = ''property''', :n),
    (2, 'ours: complaint.classify(c, now()), the sample', 'base',
     format('SELECT count(c.level) FROM complaint.complaint c WHERE c.policy = ''property'' AND c.id %% %s = 0', :n / :n_peer), :n_peer),
    (2, 'ours: complaint.classify(c, now()), the sample', 'fn',
     format('SELECT count(x.level) FROM complaint.complaint c CROSS JOIN LATERAL complaint.classify(c, now()) x WHERE c.policy = ''property'' AND c.id %% %s = 0', :n / :n_peer), :n_peer),
    (3, 'peer: peer.classify(c), the sample', 'base',
     format('SELECT count(c.level) FROM peer.complaint c WHERE c.policy = ''property'' AND c.id %% %s = 0', :n / :n_peer), :n_peer),
    (3, 'peer: peer.classify(c), the sample', 'fn',
     format('SELECT count(x.level) FROM peer.complaint c CROSS JOIN LATERAL peer.classify(c) x WHERE c.policy = ''property'' AND c.id %% %s = 0', :n / :n_peer), :n_peer);

CREATE TABLE bench.timing (
    case_id int NOT NULL REFERENCES bench.cases,
    round   int NOT NULL,
    us_per_call float8 NOT NULL
);

-- One round: every case once (reversed order in odd rounds). Round 0 is not recorded.
CREATE FUNCTION bench.round(r int, reps int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    c  record;
    t0 timestamptz;
    t1 timestamptz;
    r0 timestamptz := clock_timestamp();
    n  bigint;
BEGIN
    FOR c IN SELECT * FROM bench.cases ORDER BY CASE WHEN r % 2 = 0 THEN id ELSE -id END LOOP
        t0 := clock_timestamp();
        EXECUTE c.q INTO n;
        t1 := clock_timestamp();
        IF n <> c.n THEN
            RAISE EXCEPTION 'case %: counted % rows, expected %: %', c.id, n, c.n, c.q;
        END IF;
        IF r > 0 THEN
            INSERT INTO bench.timing VALUES (c.id, r, extract(epoch FROM t1 - t0) * 1e6 / n);
        END IF;
    END LOOP;
    RETURN format('  round %s/%s%s: %s s', r, reps, CASE WHEN r = 0 THEN ' (warm-up)' ELSE '' END,
                  round(extract(epoch FROM clock_timestamp() - r0), 1));
END $$;

\pset tuples_only on
\pset format unaligned
\echo '  stored complaints:' :n '(ours, through the triggers in' :load_ours_s 's), the peer''s copy (' :load_peer_s 's);' :reps 'rounds + 1 warm-up'
SELECT format('SELECT bench.round(%s, %s)', r, :reps) FROM generate_series(0, :reps) r
\gexec

-- What the classifiers say, as of now (one more pass each, untimed): level mix, and ours
-- against the peer on the sample.
CREATE TABLE bench.levels AS
SELECT 'ours, every stored complaint' AS side, x.level, count(*) AS n
  FROM complaint.complaint c CROSS JOIN LATERAL complaint.classify(c, now()) x GROUP BY x.level;
CREATE TABLE bench.agree AS
SELECT o.level AS ours, p.level AS peer, count(*) AS n
  FROM (SELECT c.id, x.level FROM complaint.complaint c CROSS JOIN LATERAL complaint.classify(c, now()) x
         WHERE c.id % (:n / :n_peer) = 0) o
  JOIN (SELECT c.id, x.level FROM peer.complaint c CROSS JOIN LATERAL peer.classify(c) x
         WHERE c.id % (:n / :n_peer) = 0) p USING (id)
 GROUP BY o.level, p.level;

-- ---- results ----------------------------------------------------------------------------

CREATE VIEW bench.stats AS
SELECT c.grp, c.label, c.kind, c.n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY t.us_per_call) AS med,
       min(t.us_per_call) AS lo, max(t.us_per_call) AS hi
  FROM bench.cases c JOIN bench.timing t ON t.case_id = c.id
 GROUP BY c.grp, c.label, c.kind, c.n;

CREATE VIEW bench.result AS
SELECT grp, label, max(n) AS n,
       max(med) FILTER (WHERE kind = 'fn') AS fn,
       max(med) FILTER (WHERE kind = 'base') AS base,
       max(med) FILTER (WHERE kind = 'fn') - max(med) FILTER (WHERE kind = 'base') AS net,
       max(lo) FILTER (WHERE kind = 'fn') AS lo,
       max(hi) FILTER (WHERE kind = 'fn') AS hi
  FROM bench.stats GROUP BY grp, label;

CREATE FUNCTION bench.us(x float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–'
                WHEN abs(x) < 10 THEN to_char(x, 'FM990.00')
                WHEN abs(x) < 100 THEN to_char(x, 'FM990.0')
                ELSE to_char(x, 'FM999990') END
$$;
CREATE FUNCTION bench.per_s(us float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN us IS NULL OR us <= 0 THEN '–' ELSE to_char(round(1e6 / us), 'FM999,999,990') END
$$;

CREATE VIEW bench.report AS
SELECT r.grp, r.label AS "case", r.n AS calls, bench.per_s(r.fn) AS "calls/s", bench.us(r.fn) AS "µs/call",
       bench.us(r.base) AS "baseline µs", bench.us(r.net) AS "net µs/call", bench.per_s(r.net) AS "net calls/s",
       to_char(100 * (r.hi - r.lo) / r.fn, 'FM990.0') || ' %' AS "spread",
       CASE WHEN r.grp = 3 THEN to_char(r.fn / o.fn, 'FM999990.0') || '× / ' || to_char(r.net / o.net, 'FM999990.0') || '×'
            ELSE '' END AS "peer/ours (raw / net)"
  FROM bench.result r CROSS JOIN (SELECT fn, net FROM bench.result WHERE grp = 2) o;

CREATE VIEW bench.notes AS
SELECT 1 AS ord, format('stored: %s complaints received %s .. %s (%s in the last 30 days); %s %% unresolved, %s %% closed or rejected; '
                        '%s %% without complainant, %s %% invalid or suggestion, %s %% with facts, %s %% collective ≥ 3, %s %% reopened',
                        n, to_char(first, 'YYYY-MM-DD'), to_char(last, 'YYYY-MM-DD'), last30,
                        round(100.0 * unresolved / n, 1), round(100.0 * finished / n, 1), round(100.0 * anonymous / n, 1),
                        round(100.0 * not_effective / n, 1), round(100.0 * with_facts / n, 1),
                        round(100.0 * collective3 / n, 1), round(100.0 * reopened / n, 1)) AS line
  FROM bench.mix
UNION ALL
SELECT 2, 'stored levels (as classified on insert, raised with their clusters): '
          || string_agg(format('%s %s %%', level, round(100.0 * n / sum_n, 1)), ', ' ORDER BY level)
  FROM (SELECT level, n, sum(n) OVER () AS sum_n FROM bench.stored_levels) l
UNION ALL
SELECT 3, 'our events from the load: ' || string_agg(format('%s %s', n, kind), ', ' ORDER BY kind) FROM bench.events
UNION ALL
SELECT 4, 'complaint.classify() as of now, every stored complaint: '
          || string_agg(format('%s %s %%', level, round(100.0 * n / sum_n, 1)), ', ' ORDER BY level)
  FROM (SELECT level, n, sum(n) OVER () AS sum_n FROM bench.levels) l
UNION ALL
SELECT 5, format('the sample (%s complaints): ours and the peer give the same level for %s; differing: %s', sum(n),
                 coalesce(sum(n) FILTER (WHERE ours = peer), 0),
                 coalesce(string_agg(format('%s ours %s / peer %s', n, ours, peer), ', ' ORDER BY n DESC) FILTER (WHERE ours <> peer), 'none'))
  FROM bench.agree
UNION ALL
SELECT 6, format('load: %s complaints imported into complaint.complaint through our triggers in one INSERT … SELECT: %s s (%s rows/s)',
                 :n, :load_ours_s, round(:n / :load_ours_s));

-- ---- output: terminal
\pset tuples_only off
\pset format aligned
\pset footer off
\echo
\echo 'classify() per call, median of' :reps 'rounds (net = raw − the same query reading the stored level instead):'
SELECT "case", calls, "calls/s", "µs/call", "baseline µs", "net µs/call", "net calls/s", spread, "peer/ours (raw / net)"
  FROM bench.report ORDER BY grp;
\pset tuples_only on
SELECT line FROM bench.notes ORDER BY ord;

-- ---- output: markdown
\pset format unaligned
\o :md
SELECT '### complaint.classify() calls per second'
UNION ALL SELECT ''
UNION ALL SELECT '| case | calls | calls/s | µs/call | baseline µs | net µs/call | net calls/s | spread of rounds | peer/ours (raw / net) |'
UNION ALL SELECT '|---|--:|--:|--:|--:|--:|--:|--:|--:|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s | %s |', "case", calls, "calls/s", "µs/call", "baseline µs",
              "net µs/call", "net calls/s", spread, "peer/ours (raw / net)")
  FROM bench.report ORDER BY grp) r;
SELECT '';
SELECT format('Median of %s rounds after a warm-up. Ours over all %s stored complaints, `count((complaint.classify(c, now())).level)`; '
              'on the sample (the %s rows whose id is a multiple of %s) both sides in the form `count(x.level) FROM … CROSS JOIN LATERAL …classify(c…) x`. '
              '"baseline" is the same query counting the stored level (scan, filter, aggregate without the classifier); net = raw − baseline. '
              '"spread of rounds" = (max − min) / median of the raw times.', :reps, :n, :n_peer, :n / :n_peer);
SELECT '';
SELECT '- ' || line FROM (SELECT line FROM bench.notes ORDER BY ord) s;
\o
