-- bench/classify_report.sql — the report of the INSERT part of the `classify` section (see
-- bench/classify.sql): the TPS recorded in bench.tps by scripts/bench.sh, the classification
-- cost and the ratio to the peer against the targets, sanity checks.
--   psql -X -v ON_ERROR_STOP=1 -v md=<markdown file> -v secs=9 -v rounds=2 -f bench/classify_report.sql
--
-- Per case and synchronous_commit setting the BEST of the rounds is reported (all rounds are
-- listed next to it). "machine µs/tx" = 2 cores × 1e6 / TPS: the machine time one
-- transaction costs when both cores are saturated (server, pgbench and the OS together).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE TEMP TABLE cases (case_id text PRIMARY KEY, ord int, label text);
INSERT INTO cases VALUES
    ('b',  1, '(b) complaint.complaint, preset `property` (10 rules enabled, gap-free refs)'),
    ('d',  2, '(d) complaint.complaint, `property_off`: the same policy, every rule disabled'),
    ('b2', 3, '(b'') `property_nogap`: (b) with ref_gapless = false'),
    ('d2', 4, '(d'') `property_off_nogap`: (d) with ref_gapless = false'),
    ('c',  5, '(c) peer.complaint, PL/pgSQL triggers (classifies `property`, computes deadlines; gap-free refs)');

CREATE TEMP VIEW best AS
SELECT c.case_id, c.ord, c.label, t.sync,
       max(t.tps) AS tps,
       string_agg(round(t.tps)::text, ' / ' ORDER BY t.round) AS runs,
       (array_agg(t.lat_ms ORDER BY t.tps DESC))[1] AS lat_ms,
       (array_agg(t.other_cpu ORDER BY t.tps DESC))[1] AS other_cpu,
       (array_agg(t.idle ORDER BY t.tps DESC))[1] AS idle
  FROM cases c JOIN bench.tps t USING (case_id)
 GROUP BY c.case_id, c.ord, c.label, t.sync;

CREATE TEMP VIEW report AS
SELECT f.ord, f.label,
       round(f.tps) AS off_tps, f.runs AS off_runs, 2e6 / f.tps AS off_us, f.idle AS off_idle,
       2e6 * (1 - f.idle / 100) / f.tps AS off_busy_us,
       round(n.tps) AS on_tps, n.runs AS on_runs, n.lat_ms AS on_lat
  FROM best f JOIN best n ON n.case_id = f.case_id AND n.sync = 'on'
 WHERE f.sync = 'off';

-- kind: cost = 1 − num/den (lower is better, target is a maximum); x = num/den (target a minimum)
CREATE TEMP VIEW ratio AS
SELECT r.ord, r.label, r.target, r.kind,
       CASE r.kind WHEN 'cost' THEN 1 - f1.tps / f2.tps ELSE f1.tps / f2.tps END AS off,
       CASE r.kind WHEN 'cost' THEN 1 - n1.tps / n2.tps ELSE n1.tps / n2.tps END AS on_,
       2e6 * (1 - f1.idle / 100) / f1.tps - 2e6 * (1 - f2.idle / 100) / f2.tps AS off_us
  FROM (VALUES
        (1, 'classification cost 1 − (b)/(d): share of our insert TPS the rules take', 'b',  'd',  0.20, 'cost'),
        (2, 'the same without gap-free refs, 1 − (b'')/(d''): CPU-bound',              'b2', 'd2', NULL, 'cost'),
        (3, '(b)/(c): ours vs the peer',                                             'b',  'c',  3.0,  'x'),
        (4, '(d)/(c): ours without classification vs the peer',                      'd',  'c',  NULL, 'x'),
        (5, '(b'')/(c): ours without gap-free refs vs the peer',                      'b2', 'c',  NULL, 'x')
       ) AS r(ord, label, num, den, target, kind)
  JOIN best f1 ON f1.case_id = r.num AND f1.sync = 'off'
  JOIN best f2 ON f2.case_id = r.den AND f2.sync = 'off'
  JOIN best n1 ON n1.case_id = r.num AND n1.sync = 'on'
  JOIN best n2 ON n2.case_id = r.den AND n2.sync = 'on';

-- the same ratios round by round (each round runs the cases back to back on the same tables,
-- so a round's ratio is a paired comparison; the best-of figures above may come from
-- different rounds)
CREATE TEMP VIEW ratio_rounds AS
SELECT r.ord, t1.sync,
       string_agg(CASE r.kind WHEN 'cost' THEN round(100 * (1 - t1.tps / t2.tps))::text || ' %'
                              ELSE to_char(t1.tps / t2.tps, 'FM990.00') || '×' END, ' / ' ORDER BY t1.round) AS per_round
  FROM (VALUES (1, 'b', 'd', 'cost'), (2, 'b2', 'd2', 'cost'), (3, 'b', 'c', 'x'), (4, 'd', 'c', 'x'),
               (5, 'b2', 'c', 'x')) AS r(ord, num, den, kind)
  JOIN bench.tps t1 ON t1.case_id = r.num
  JOIN bench.tps t2 ON t2.case_id = r.den AND t2.sync = t1.sync AND t2.round = t1.round
 GROUP BY r.ord, t1.sync;

CREATE FUNCTION pg_temp.fmt(x float8, kind text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN '–'
                WHEN kind = 'cost' THEN round(100 * x)::text || ' %'
                ELSE to_char(x, 'FM990.00') || '×' END
$$;

CREATE TEMP VIEW ratio_fmt AS
SELECT ord, label, pg_temp.fmt(off, kind) AS off, pg_temp.fmt(on_, kind) AS on_,
       (SELECT per_round FROM ratio_rounds x WHERE x.ord = ratio.ord AND x.sync = 'off') AS off_rounds,
       (SELECT per_round FROM ratio_rounds x WHERE x.ord = ratio.ord AND x.sync = 'on') AS on_rounds,
       CASE WHEN kind = 'cost' THEN round(off_us::numeric, 1)::text || ' µs' ELSE '' END AS off_us,
       CASE WHEN target IS NULL THEN '–'
            WHEN kind = 'cost' THEN '≤ ' || round(100 * target) || ' % (sync off)'
            ELSE '≥ ' || target::int || '× (sync off)' END AS target,
       CASE WHEN target IS NULL THEN ''
            WHEN kind = 'cost' AND off <= target THEN 'met'
            WHEN kind = 'cost' THEN 'MISSED (' || round(100 * (off - target)) || ' points over)'
            WHEN off >= target THEN 'met'
            ELSE 'MISSED (' || round(100 * off / target) || ' % of the target)' END AS verdict
  FROM ratio;

-- sanity: what the runs left behind
CREATE TEMP VIEW sanity AS
SELECT 1 AS ord, format('%s: %s complaints in %s month(s), %s', m.policy, sum(n), count(*),
                        CASE WHEN NOT p.ref_gapless THEN format('%s distinct refs (ref_gapless = false: gaps allowed)', sum(nd))
                             WHEN bool_and(n = hi AND lo = 1) THEN 'serials gap-free 1..n in every month'
                             ELSE 'serials WITH GAPS' END) AS line
  FROM (SELECT policy, count(*) AS n, count(DISTINCT ref) AS nd, min(split_part(ref, '-', 3)::int) AS lo,
               max(split_part(ref, '-', 3)::int) AS hi
          FROM complaint.complaint GROUP BY policy, split_part(ref, '-', 2)) m
  JOIN complaint.policy p ON p.code = m.policy
 GROUP BY m.policy, p.ref_gapless
UNION ALL
SELECT 10, format('ours %s: levels %s', policy,
                  string_agg(format('%s %s %%', coalesce(level, '(none)'), round(100.0 * n / total, 1)), ', ' ORDER BY level))
  FROM (SELECT policy, level, count(*) AS n, sum(count(*)) OVER (PARTITION BY policy) AS total
          FROM complaint.complaint GROUP BY policy, level) l
 GROUP BY policy
UNION ALL
SELECT 20, 'our history events: ' || string_agg(format('%s %s', n, kind), ', ' ORDER BY kind)
  FROM (SELECT kind, count(*) AS n FROM complaint.event GROUP BY kind) e
UNION ALL
SELECT 30, format('peer: %s complaints; levels %s', sum(n),
                  string_agg(format('%s %s %%', level, round(100.0 * n / total, 1)), ', ' ORDER BY level))
  FROM (SELECT level, count(*) AS n, sum(count(*)) OVER () AS total FROM peer.complaint GROUP BY level) l
UNION ALL
SELECT 40, 'peer history events: ' || string_agg(format('%s %s', n, kind), ', ' ORDER BY kind)
  FROM (SELECT kind, count(*) AS n FROM peer.event GROUP BY kind) e
UNION ALL
SELECT 50, 'peer deadlines: ' || string_agg(format('%s %s', n, kind), ', ' ORDER BY kind)
  FROM (SELECT kind, count(*) AS n FROM peer.deadline GROUP BY kind) d
UNION ALL
SELECT 60, 'similar-complaint clusters (category, unit) at the end, rows per cluster: '
          || string_agg(format('%s %s', t, round(avg_n)), ', ' ORDER BY t)
  FROM (SELECT 'ours ' || policy AS t, avg(n) AS avg_n
          FROM (SELECT policy, count(*) AS n FROM complaint.complaint GROUP BY policy, category, unit) x GROUP BY policy
        UNION ALL
        SELECT 'peer', avg(n) FROM (SELECT count(*) AS n FROM peer.complaint GROUP BY category, unit) x) c;

-- ---- output: terminal
\pset footer off
\echo
\echo 'INSERT TPS, pgbench -n -c 2 -j 2 -M prepared -T' :secs ', best of' :rounds 'rounds (all rounds listed):'
SELECT label AS "case", off_tps AS "TPS sync=off", off_runs AS "rounds", round(off_us::numeric, 1) AS "machine µs/tx",
       round(off_idle::numeric, 1) AS "idle %", round(off_busy_us::numeric, 1) AS "busy µs/tx",
       on_tps AS "TPS sync=on", on_runs AS "rounds ", round(on_lat::numeric, 2) AS "latency ms (on)"
  FROM report ORDER BY ord;
SELECT label AS ratio, off AS "sync=off", off_rounds AS "per round", off_us AS "busy µs/insert (off)",
       on_ AS "sync=on", on_rounds AS "per round ", target, verdict
  FROM ratio_fmt ORDER BY ord;
\echo 'Every run, in the order run ("other CPU": share of the machine used by neither the cluster nor pgbench; "idle": share idle):'
SELECT t.round, t.sync, c.label AS "case", round(t.tps) AS tps, round(t.lat_ms::numeric, 3) AS "latency ms",
       round(t.other_cpu::numeric, 1) AS "other CPU %", round(t.idle::numeric, 1) AS "idle %"
  FROM bench.tps t JOIN cases c USING (case_id) ORDER BY t.run_at;
\pset tuples_only on
SELECT line FROM sanity ORDER BY ord, line;
\pset tuples_only off

-- ---- output: markdown
\pset tuples_only on
\pset format unaligned
\o :md
SELECT '### INSERT throughput with and without classification'
UNION ALL SELECT ''
UNION ALL SELECT '| case | TPS sync=off | rounds | machine µs/tx | idle | busy µs/tx | TPS sync=on | rounds | latency ms (on) |'
UNION ALL SELECT '|---|--:|--:|--:|--:|--:|--:|--:|--:|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s %% | %s | %s | %s | %s |', label, off_tps, off_runs, round(off_us::numeric, 1),
              round(off_idle::numeric, 1), round(off_busy_us::numeric, 1), on_tps, on_runs, round(on_lat::numeric, 2))
  FROM report ORDER BY ord) r;
SELECT '';
SELECT format('pgbench -n -c 2 -j 2 -M prepared -T %s per run; %s rounds per case and setting, alternating '
              '(round 2 runs the cases in reverse order); the best round is reported, all are listed. '
              '"machine µs/tx" = 2 cores × 10⁶ / TPS (server, pgbench and OS together); "idle" = share of the machine '
              'idle during that run (I/O wait included); "busy µs/tx" = machine µs/tx × (1 − idle): the CPU one insert '
              'costs even when the clients wait for each other.', :secs, :rounds);
SELECT '';
SELECT '| ratio (TPS / TPS) | sync=off | per round | busy µs/insert (sync=off) | sync=on | per round | target | verdict |'
UNION ALL SELECT '|---|--:|--:|--:|--:|--:|---|---|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s |', label, off, off_rounds, off_us, on_, on_rounds, target, verdict)
  FROM ratio_fmt ORDER BY ord) r;
SELECT '';
SELECT 'Ratios of the best rounds; "per round" gives the same ratio within each round (round 1 / round 2), '
       'where the cases ran back to back on the same tables. "µs/insert" of a classification cost = '
       'busy µs/tx of the case with rules − busy µs/tx of the case without: the CPU the rules add to one insert.';
SELECT '';
SELECT 'Every run, in the order run; "other CPU" is the share of the machine (both cores) that went to neither '
       'the benchmark cluster nor pgbench during the run (other work on a shared machine, hypervisor steal, '
       'interrupts): a disturbed run shows there. "idle": the share of the machine idle (I/O wait included).';
SELECT '';
SELECT '| # | round | sync | case | TPS | latency ms | other CPU | idle |'
UNION ALL SELECT '|--:|--:|---|---|--:|--:|--:|--:|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s | %s | %s %% | %s %% |', row_number() OVER (ORDER BY t.run_at), t.round, t.sync,
              c.label, round(t.tps), round(t.lat_ms::numeric, 3), round(t.other_cpu::numeric, 1), round(t.idle::numeric, 1))
  FROM bench.tps t JOIN cases c USING (case_id) ORDER BY t.run_at) r;
SELECT '';
SELECT 'After the runs:';
SELECT '';
SELECT '- ' || line FROM (SELECT line FROM sanity ORDER BY ord, line) s;
\o
