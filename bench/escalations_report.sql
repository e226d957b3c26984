-- bench/escalations_report.sql — the tables of the `escalations` section of `make bench`
-- (scripts/bench.sh bench_escalations): the sweep on two table sizes (bench.sweep, written by
-- bench/escalations_sweep.sql's functions in the sweep database and copied here by
-- scripts/bench.sh) and INSERT throughput with deadlines on/off vs the peer (bench.tps).
-- psql -X -v md=FILE -f bench/escalations_report.sql
\set ON_ERROR_STOP 1
\pset footer off

CREATE TEMP VIEW sweep AS SELECT * FROM bench.sweep;

\echo
\echo '  run_escalations(T0) with the same due deadlines, median of the timed rounds:'
CREATE TEMP VIEW sweep_med AS
SELECT label, max(open_n) AS open_n, count(*) AS rounds, max(done) AS done,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, min(ms) AS min_ms, max(ms) AS max_ms
  FROM sweep WHERE round > 0 GROUP BY label;
SELECT label, open_n, done, rounds, round(ms::numeric, 1) AS median_ms, round(min_ms::numeric, 1) AS min_ms,
       round(max_ms::numeric, 1) AS max_ms, round((1000 * ms / done)::numeric, 1) AS us_per_thing
  FROM sweep_med ORDER BY open_n;
SELECT round((l.ms / s.ms)::numeric, 2) AS "ratio large/small (target <= 1.5)"
  FROM sweep_med s, sweep_med l WHERE s.label = 'small' AND l.label = 'large';

\echo
\echo '  single-row INSERT, synchronous_commit=off, pgbench 2 clients (median TPS of the rounds):'
CREATE TEMP VIEW ins AS
SELECT case_id, sync, count(*) AS rounds, percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) AS tps,
       min(tps) AS min_tps, max(tps) AS max_tps, avg(other_cpu) AS other_cpu, avg(idle) AS idle
  FROM bench.tps GROUP BY case_id, sync;
SELECT case_id, CASE case_id WHEN 'on' THEN 'ours, property (deadlines on)'
                             WHEN 'off' THEN 'ours, property_nodl (SLA rules disabled)'
                             ELSE 'peer (PL/pgSQL)' END AS what,
       sync, rounds, round(tps::numeric) AS tps, round(min_tps::numeric) AS min, round(max_tps::numeric) AS max,
       round((2e6 / tps)::numeric) AS machine_us_tx, round((2e6 / tps * (1 - idle / 100))::numeric) AS busy_us_tx,
       round(other_cpu::numeric, 1) AS other_cpu_pct, round(idle::numeric, 1) AS idle_pct
  FROM ins ORDER BY sync, case_id DESC;
SELECT i_on.sync, round((i_on.tps / i_off.tps)::numeric, 2) AS "on/off",
       round((i_on.tps / i_c.tps)::numeric, 2) AS "on/peer", round((i_off.tps / i_c.tps)::numeric, 2) AS "off/peer"
  FROM ins i_on JOIN ins i_off ON i_off.case_id = 'off' AND i_off.sync = i_on.sync
                JOIN ins i_c ON i_c.case_id = 'c' AND i_c.sync = i_on.sync
 WHERE i_on.case_id = 'on';

-- markdown
\pset format unaligned
\pset tuples_only on
\o :md
SELECT '### Sweep: run_escalations() on two table sizes, the same due deadlines'
UNION ALL SELECT ''
UNION ALL SELECT '| table | open complaints | things done | rounds | median ms | min ms | max ms | µs per thing |'
UNION ALL SELECT '|---|--:|--:|--:|--:|--:|--:|--:|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s |', label, open_n, done, rounds, round(ms::numeric, 1),
              round(min_ms::numeric, 1), round(max_ms::numeric, 1), round((1000 * ms / done)::numeric, 1))
  FROM sweep_med ORDER BY open_n) r;
SELECT '';
SELECT format('Ratio large/small of the medians: **%s** (target ≤ 1.5). "Things done" = run_escalations() result '
              '(breaches + escalation steps): the same work on both sizes.', round((l.ms / s.ms)::numeric, 2))
  FROM sweep_med s, sweep_med l WHERE s.label = 'small' AND l.label = 'large';
SELECT '';
SELECT '### Single-row INSERT with deadlines on / off / peer (synchronous_commit=off)'
UNION ALL SELECT ''
UNION ALL SELECT '| case | rounds | TPS (median) | min | max | machine µs/tx | busy µs/tx | other CPU | idle |'
UNION ALL SELECT '|---|--:|--:|--:|--:|--:|--:|--:|--:|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s %% | %s %% |',
              CASE case_id WHEN 'on' THEN 'ours, property (deadlines on)'
                           WHEN 'off' THEN 'ours, property_nodl (SLA rules disabled)' ELSE 'peer (PL/pgSQL)' END,
              rounds, round(tps::numeric), round(min_tps::numeric), round(max_tps::numeric), round((2e6 / tps)::numeric),
              round((2e6 / tps * (1 - idle / 100))::numeric), round(other_cpu::numeric, 1), round(idle::numeric, 1))
  FROM ins WHERE sync = 'off' ORDER BY case_id DESC) r;
SELECT '';
SELECT format('Ratios of the median TPS: on/off **%s**, on/peer **%s**, off/peer %s.',
              round((i_on.tps / i_off.tps)::numeric, 2), round((i_on.tps / i_c.tps)::numeric, 2), round((i_off.tps / i_c.tps)::numeric, 2))
  FROM ins i_on JOIN ins i_off ON i_off.case_id = 'off' AND i_off.sync = i_on.sync
                JOIN ins i_c ON i_c.case_id = 'c' AND i_c.sync = i_on.sync
 WHERE i_on.case_id = 'on' AND i_on.sync = 'off';
SELECT '';
SELECT 'Every run, in the order run:'
UNION ALL SELECT ''
UNION ALL SELECT '| # | round | case | TPS | latency ms | other CPU | idle |'
UNION ALL SELECT '|--:|--:|---|--:|--:|--:|--:|'
UNION ALL SELECT * FROM (
SELECT format('| %s | %s | %s | %s | %s | %s %% | %s %% |', row_number() OVER (ORDER BY run_at), round, case_id,
              round(tps), round(lat_ms::numeric, 3), round(other_cpu::numeric, 1), round(idle::numeric, 1))
  FROM bench.tps ORDER BY run_at) r;
\o
