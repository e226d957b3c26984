-- bench/insert_report.sql — the report of the `insert` section (see bench/insert.sql): the
-- TPS recorded in bench.tps by scripts/bench.sh, ratios against the targets, sanity checks.
--   psql -X -v ON_ERROR_STOP=1 -v md=<markdown file> -v secs=10 -v rounds=2 -f bench/insert_report.sql
--
-- Per case and synchronous_commit setting the BEST of the rounds is reported (all rounds are
-- listed next to it). "machine µs/tx" = 2 cores × 1e6 / TPS: the machine time one
-- transaction costs when both cores are saturated (server, pgbench and the OS together); its
-- difference to the plain case is the price of the rules per row.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE TEMP TABLE cases (case_id text PRIMARY KEY, ord int, stmt text, label text);
INSERT INTO cases VALUES
    ('a',  1, 'INSERT', '(a) plain table, no trigger'),
    ('b',  2, 'INSERT', '(b) complaint.complaint, C triggers, gap-free refs'),
    ('b2', 3, 'INSERT', '(b'') complaint.complaint, C triggers, ref_gapless = false'),
    ('c',  4, 'INSERT', '(c) peer.complaint, PL/pgSQL triggers (gap-free refs)'),
    ('ua', 5, 'UPDATE', '(a) plain table, no trigger'),
    ('ub', 6, 'UPDATE', '(b) complaint.complaint, C triggers'),
    ('uc', 7, 'UPDATE', '(c) peer.complaint, PL/pgSQL triggers');

CREATE TEMP VIEW best AS
SELECT c.case_id, c.ord, c.stmt, c.label, t.sync,
       max(t.tps) AS tps,
       string_agg(round(t.tps)::text, ' / ' ORDER BY t.round) AS runs,
       (array_agg(t.lat_ms ORDER BY t.tps DESC))[1] AS lat_ms,
       (array_agg(t.other_cpu ORDER BY t.tps DESC))[1] AS other_cpu,
       100 * (max(t.tps) - min(t.tps)) / max(t.tps) AS spread_pct
  FROM cases c JOIN bench.tps t USING (case_id)
 GROUP BY c.case_id, c.ord, c.stmt, c.label, t.sync;

CREATE TEMP VIEW report AS
SELECT b.ord, b.stmt, b.label,
       round(f.tps) AS off_tps, f.runs AS off_runs, 2e6 / f.tps AS off_us,
       2e6 / f.tps - 2e6 / pf.tps AS off_extra_us,
       round(n.tps) AS on_tps, n.runs AS on_runs, n.lat_ms AS on_lat,
       f.other_cpu AS off_other, n.other_cpu AS on_other
  FROM (SELECT DISTINCT case_id, ord, stmt, label FROM best) b
  JOIN best f ON f.case_id = b.case_id AND f.sync = 'off'
  JOIN best n ON n.case_id = b.case_id AND n.sync = 'on'
  JOIN best pf ON pf.case_id = CASE b.stmt WHEN 'INSERT' THEN 'a' ELSE 'ua' END AND pf.sync = 'off';

CREATE TEMP VIEW ratio AS
SELECT r.ord, r.label, r.num, r.den, r.target, r.kind,
       f1.tps / f2.tps AS off, n1.tps / n2.tps AS on_
  FROM (VALUES
        (1, 'INSERT (b)/(a): ours vs no trigger',          'b',  'a',  0.70, 'pct'),
        (2, 'INSERT (b'')/(a): ours without gap-free refs', 'b2', 'a',  NULL, 'pct'),
        (3, 'INSERT (b)/(c): ours vs the peer',            'b',  'c',  3.0,  'x'),
        (4, 'INSERT (b'')/(c)',                             'b2', 'c',  NULL, 'x'),
        (5, 'UPDATE (b)/(a): ours vs no trigger',          'ub', 'ua', 0.70, 'pct'),
        (6, 'UPDATE (b)/(c): ours vs the peer',            'ub', 'uc', 3.0,  'x')
       ) AS r(ord, label, num, den, target, kind)
  JOIN best f1 ON f1.case_id = r.num AND f1.sync = 'off'
  JOIN best f2 ON f2.case_id = r.den AND f2.sync = 'off'
  JOIN best n1 ON n1.case_id = r.num AND n1.sync = 'on'
  JOIN best n2 ON n2.case_id = r.den AND n2.sync = 'on';

CREATE FUNCTION pg_temp.fmt(x float8, kind text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–'
                WHEN kind = 'pct' THEN round(100 * x)::text || ' %'
                ELSE to_char(x, 'FM990.00') || '×' END
$$;

CREATE TEMP VIEW ratio_fmt AS
SELECT ord, label, pg_temp.fmt(off, kind) AS off, pg_temp.fmt(on_, kind) AS on_,
       CASE WHEN target IS NULL THEN '–'
            WHEN kind = 'pct' THEN '≥ ' || round(100 * target) || ' % (sync off)'
            ELSE '≥ ' || target::int || '× (sync off)' END AS target,
       CASE WHEN target IS NULL THEN ''
            WHEN off >= target THEN 'met'
            ELSE 'MISSED (' || pg_temp.fmt(off / target, 'pct') || ' of the target)' END AS verdict
  FROM ratio;

-- sanity: what the runs left behind
CREATE TEMP VIEW sanity AS
SELECT 1 AS ord, format('property (gap-free): %s complaints in %s month(s), serials %s',
                        n, months, CASE WHEN gapless THEN 'gap-free 1..n in every month' ELSE 'WITH GAPS' END) AS line
  FROM (SELECT sum(n) AS n, count(*) AS months, bool_and(n = hi AND lo = 1) AS gapless
          FROM (SELECT count(*) AS n, min(split_part(ref, '-', 3)::int) AS lo, max(split_part(ref, '-', 3)::int) AS hi
                  FROM complaint.complaint WHERE policy = 'property' GROUP BY split_part(ref, '-', 2)) m) x
UNION ALL
SELECT 2, format('property_nogap: %s complaints, %s distinct refs', count(*), count(DISTINCT ref))
  FROM complaint.complaint WHERE policy = 'property_nogap'
UNION ALL
SELECT 40, 'our history events: ' || string_agg(format('%s %s', n, kind), ', ' ORDER BY kind)
  FROM (SELECT kind, count(*) AS n FROM complaint.event GROUP BY kind) e
UNION ALL
SELECT 3, format('ours: %s complaints; levels: %s', sum(n),
                 string_agg(format('%s %s %%', coalesce(level, '(none)'), round(100.0 * n / total, 1)), ', ' ORDER BY level))
  FROM (SELECT level, count(*) AS n, sum(count(*)) OVER () AS total FROM complaint.complaint GROUP BY level) l
UNION ALL
SELECT 50, format('peer: %s complaints; levels: %s', sum(n),
                 string_agg(format('%s %s %%', level, round(100.0 * n / total, 1)), ', ' ORDER BY level))
  FROM (SELECT level, count(*) AS n, sum(count(*)) OVER () AS total FROM peer.complaint GROUP BY level) l
UNION ALL
SELECT 60, 'peer history events: ' || string_agg(format('%s %s', n, kind), ', ' ORDER BY kind)
  FROM (SELECT kind, count(*) AS n FROM peer.event GROUP BY kind) e
UNION ALL
SELECT 70, 'peer deadlines: ' || string_agg(format('%s %s', n, kind), ', ' ORDER BY kind)
  FROM (SELECT kind, count(*) AS n FROM peer.deadline GROUP BY kind) d
UNION ALL
SELECT 80, format('plain: %s rows', count(*)) FROM bench.plain
UNION ALL
SELECT 90, 'similar-complaint clusters (policy, category, unit; every row is inside the 30-day window) at the end, rows per cluster: '
          || string_agg(format('%s %s', t, round(avg_n)), ', ' ORDER BY t)
  FROM (SELECT 'ours property' AS t, avg(n) AS avg_n FROM (SELECT count(*) AS n FROM complaint.complaint WHERE policy = 'property' GROUP BY category, unit) x
        UNION ALL
        SELECT 'ours property_nogap', avg(n) FROM (SELECT count(*) AS n FROM complaint.complaint WHERE policy = 'property_nogap' GROUP BY category, unit) x
        UNION ALL
        SELECT 'peer', avg(n) FROM (SELECT count(*) AS n FROM peer.complaint GROUP BY category, unit) x) c;

-- ---- output: terminal
\pset footer off
\echo
\echo 'TPS, pgbench -n -c 2 -j 2 -M prepared -T' :secs ', best of' :rounds 'rounds (all rounds listed):'
SELECT stmt, label AS "case", off_tps AS "TPS sync=off", off_runs AS "rounds",
       round(off_us::numeric, 1) AS "machine µs/tx", round(off_extra_us::numeric, 1) AS "− plain",
       on_tps AS "TPS sync=on", on_runs AS "rounds ", round(on_lat::numeric, 2) AS "latency ms (on)"
  FROM report ORDER BY ord;
SELECT label AS ratio, off AS "sync=off", on_ AS "sync=on", target, verdict FROM ratio_fmt ORDER BY ord;
\echo 'Every run, in the order run ("other CPU": share of the machine used by neither the cluster nor pgbench; "idle": share idle):'
SELECT t.round, t.sync, c.stmt, c.label AS "case", round(t.tps) AS tps, round(t.lat_ms::numeric, 3) AS "latency ms",
       round(t.other_cpu::numeric, 1) AS "other CPU %", round(t.idle::numeric, 1) AS "idle %"
  FROM bench.tps t JOIN cases c USING (case_id) ORDER BY t.run_at;
\pset tuples_only on
SELECT line FROM sanity ORDER BY ord;
\pset tuples_only off

-- ---- output: markdown
\pset tuples_only on
\pset format unaligned
\o :md
SELECT '| statement | case | TPS sync=off | rounds | machine µs/tx | − plain µs | TPS sync=on | rounds | latency ms (on) |'
UNION ALL SELECT '|---|---|--:|--:|--:|--:|--:|--:|--:|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s | %s |', stmt, label, off_tps, off_runs,
              round(off_us::numeric, 1), CASE WHEN off_extra_us > 0.05 THEN round(off_extra_us::numeric, 1)::text ELSE '–' END,
              on_tps, on_runs, round(on_lat::numeric, 2))
  FROM report ORDER BY ord) r;
SELECT '';
SELECT format('pgbench -n -c 2 -j 2 -M prepared -T %s per run; %s rounds per case and setting, alternating '
              '(round 2 runs the cases in reverse order); the best round is reported, all are listed. '
              '"machine µs/tx" = 2 cores × 10⁶ / TPS (server, pgbench and OS together); "− plain" subtracts the plain '
              'table''s figure for the same statement: the price of the rules per row.', :secs, :rounds);
SELECT '';
SELECT '| ratio (TPS / TPS) | sync=off | sync=on | target | verdict |'
UNION ALL SELECT '|---|--:|--:|---|---|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s |', label, off, on_, target, verdict) FROM ratio_fmt ORDER BY ord) r;
SELECT '';
SELECT 'Every run, in the order run; "other CPU" is the share of the machine (both cores) that went to neither '
       'the benchmark cluster nor pgbench during the run (other work on a shared machine, hypervisor steal, '
       'interrupts): a disturbed run shows there. "idle" is the share of the machine that was idle: a run '
       'that leaves cores idle (clients waiting for each other''s locks, e.g. the gap-free reference counter) is '
       'not CPU-bound.';
SELECT '';
SELECT '| # | round | sync | statement | case | TPS | latency ms | other CPU | idle |'
UNION ALL SELECT '|--:|--:|---|---|---|--:|--:|--:|--:|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s %% | %s %% |', row_number() OVER (ORDER BY t.run_at), t.round, t.sync,
              c.stmt, c.label, round(t.tps), round(t.lat_ms::numeric, 3), round(t.other_cpu::numeric, 1),
              round(t.idle::numeric, 1))
  FROM bench.tps t JOIN cases c USING (case_id) ORDER BY t.run_at) r;
SELECT '';
SELECT 'After the runs:';
SELECT '';
SELECT '- ' || line FROM (SELECT line FROM sanity ORDER BY ord) s;
\o
