-- pgTAP tests of the deadline and escalation part of pg_complaint (CONTRACT sections 4, 7
-- and 8): the tables, columns and indexes, their registration with
-- pg_extension_config_dump, the grants, the SLA and escalation rules of the five presets
-- with their numbers, and a few behaviours (next_due_at is the earliest open deadline,
-- the sweep is idempotent, record_notification meets a hot complaint's notify deadline).
-- Run with: pg_prove -d <db> tests/pgtap/deadlines.sql
-- (in a database with CREATE EXTENSION pgtap; CREATE EXTENSION pg_complaint).
-- Everything happens in one transaction that is rolled back.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';
SET LOCAL datestyle = 'ISO, YMD';
SET LOCAL intervalstyle = 'postgres';

SELECT plan(138);

------------------------------------------------------------------------------------------
-- tables, columns, indexes
------------------------------------------------------------------------------------------
SELECT has_table('complaint', t, format('table complaint.%s exists', t))
  FROM unnest(ARRAY['deadline_kind', 'sla_rule', 'escalation_rule', 'unit_staff', 'penalty_scheme',
                    'penalty_rule', 'deadline', 'escalation', 'outbox', 'penalty']) t;                -- 10

CREATE TEMP TABLE dl_column (tbl name, col name, type text) ON COMMIT DROP;
INSERT INTO dl_column VALUES
    ('deadline', 'id', 'bigint'), ('deadline', 'complaint_id', 'bigint'), ('deadline', 'kind', 'text'),
    ('deadline', 'rule', 'text'), ('deadline', 'occurrence', 'integer'),
    ('deadline', 'started_at', 'timestamp with time zone'), ('deadline', 'due_at', 'timestamp with time zone'),
    ('deadline', 'met_at', 'timestamp with time zone'), ('deadline', 'breached_at', 'timestamp with time zone'),
    ('deadline', 'cancelled_at', 'timestamp with time zone'), ('deadline', 'paused_at', 'timestamp with time zone'),
    ('deadline', 'paused_total', 'interval'), ('deadline', 'next_check_at', 'timestamp with time zone'),
    ('sla_rule', 'kind', 'text'), ('sla_rule', 'seq', 'integer'), ('sla_rule', 'condition', 'jsonb'),
    ('sla_rule', 'anchor', 'text'), ('sla_rule', 'anchor_value', 'text'), ('sla_rule', 'measure', 'text'),
    ('sla_rule', 'amount', 'interval'), ('sla_rule', 'days', 'integer'), ('sla_rule', 'met_by', 'complaint.status[]'),
    ('sla_rule', 'met_by_notification', 'boolean'), ('sla_rule', 'pause_in', 'complaint.status[]'),
    ('sla_rule', 'repeat_every', 'interval'), ('sla_rule', 'restart', 'boolean'),
    ('escalation_rule', 'deadline_kind', 'text'), ('escalation_rule', 'after', 'interval'),
    ('escalation_rule', 'action', 'text'), ('escalation_rule', 'amounts', 'jsonb'),
    ('escalation_rule', 'repeat_every', 'interval'),
    ('escalation', 'deadline_id', 'bigint'), ('escalation', 'step', 'integer'),
    ('outbox', 'topic', 'text'), ('outbox', 'payload', 'jsonb'),
    ('penalty', 'amount', 'numeric(12,2)'), ('penalty', 'score', 'integer'), ('penalty', 'sanction', 'text'),
    ('complaint', 'next_due_at', 'timestamp with time zone'), ('complaint', 'breached', 'text[]'),
    ('complaint', 'recheck_at', 'timestamp with time zone');
SELECT col_type_is('complaint', tbl, col, type, format('complaint.%s.%s is %s', tbl, col, type))
  FROM dl_column ORDER BY tbl, col;                                                                  -- 41

SELECT has_index('complaint', t, i, format('index %s on complaint.%s', i, t))
  FROM (VALUES ('deadline', 'deadline_complaint'), ('deadline', 'deadline_next_check'),
               ('complaint', 'complaint_recheck'), ('complaint', 'complaint_next_due'),
               ('escalation', 'escalation_complaint'), ('outbox', 'outbox_complaint'),
               ('penalty', 'penalty_complaint')) v(t, i);                                           -- 7
SELECT col_is_unique('complaint', 'escalation', ARRAY['deadline_id', 'rule', 'step'],
                     'an escalation step is unique per deadline, rule and step');                    -- 1
SELECT col_is_unique('complaint', 'penalty', ARRAY['complaint_id', 'source', 'rule', 'role'],
                     'a penalty is unique per complaint, source, rule and role');                   -- 1

------------------------------------------------------------------------------------------
-- pg_extension_config_dump: user rows of the new tables survive pg_dump
------------------------------------------------------------------------------------------
SELECT set_eq(
    $$SELECT c.relname::text, coalesce(x.cond, '')
        FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(oid, cond)
        JOIN pg_class c ON c.oid = x.oid
       WHERE e.extname = 'pg_complaint'
         AND c.relname IN ('deadline_kind', 'sla_rule', 'escalation_rule', 'unit_staff', 'penalty_scheme',
                           'penalty_rule', 'deadline', 'deadline_id_seq', 'escalation', 'escalation_id_seq',
                           'outbox', 'outbox_id_seq', 'penalty', 'penalty_id_seq')$$,
    $$VALUES ('deadline_kind', 'WHERE NOT builtin'), ('sla_rule', ''), ('escalation_rule', ''), ('unit_staff', ''),
             ('penalty_scheme', ''), ('penalty_rule', ''), ('deadline', ''), ('deadline_id_seq', ''),
             ('escalation', ''), ('escalation_id_seq', ''), ('outbox', ''), ('outbox_id_seq', ''),
             ('penalty', ''), ('penalty_id_seq', '')$$,
    'the deadline tables and sequences are registered with pg_extension_config_dump');                 -- 1

------------------------------------------------------------------------------------------
-- functions and grants
------------------------------------------------------------------------------------------
SELECT has_function('complaint', 'run_escalations', ARRAY['timestamp with time zone', 'boolean'],
                    'complaint.run_escalations(timestamptz, boolean) exists');                         -- 1
SELECT has_function('complaint', 'record_notification', ARRAY['bigint', 'text'],
                    'complaint.record_notification(bigint, text) exists');                             -- 1
SELECT function_returns('complaint', 'run_escalations', ARRAY['timestamp with time zone', 'boolean'], 'integer',
                        'run_escalations returns integer');                                             -- 1
SELECT ok(NOT has_function_privilege('public', 'complaint.run_escalations(timestamptz, boolean)', 'EXECUTE'),
          'PUBLIC cannot run the sweep');                                                               -- 1
SELECT ok(has_function_privilege('complaint_admin', 'complaint.run_escalations(timestamptz, boolean)', 'EXECUTE'),
          'complaint_admin can run the sweep');                                                         -- 1
SELECT ok(NOT has_function_privilege('complaint_supervisor', 'complaint.run_escalations(timestamptz, boolean)', 'EXECUTE'),
          'complaint_supervisor cannot run the sweep');                                                 -- 1
SELECT table_privs_are('complaint', t, r, p, format('%s on complaint.%s: %s', r, t, p))
  FROM (VALUES ('deadline', 'complaint_admin', ARRAY['SELECT']),
               ('deadline', 'complaint_supervisor', ARRAY['SELECT']),
               ('deadline', 'complaint_agent', ARRAY['SELECT']),
               ('deadline', 'complaint_reader', ARRAY[]::text[]),
               ('escalation', 'complaint_admin', ARRAY['SELECT']),
               ('escalation', 'complaint_agent', ARRAY['SELECT']),
               ('penalty', 'complaint_admin', ARRAY['SELECT']),
               ('penalty', 'complaint_supervisor', ARRAY['SELECT']),
               ('penalty', 'complaint_agent', ARRAY[]::text[]),
               ('outbox', 'complaint_admin', ARRAY['SELECT', 'DELETE']),
               ('outbox', 'complaint_supervisor', ARRAY[]::text[]),
               ('sla_rule', 'complaint_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
               ('sla_rule', 'complaint_supervisor', ARRAY['SELECT']),
               ('escalation_rule', 'complaint_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
               ('escalation_rule', 'complaint_agent', ARRAY['SELECT'])) v(t, r, p);                  -- 15
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'complaint.deadline'::regclass),
          'row-level security on complaint.deadline');                                                 -- 1

------------------------------------------------------------------------------------------
-- presets: SLA and escalation rules, their numbers
------------------------------------------------------------------------------------------
SELECT complaint.install_preset(p) FROM unnest(ARRAY['property', 'fuel_retail', 'food', 'after_sales', 'gift_supply']) p;
SELECT is((SELECT count(*)::int FROM complaint.sla_rule WHERE policy = p), n, format('%s has %s SLA rules', p, n))
  FROM (VALUES ('property', 8), ('fuel_retail', 4), ('food', 1), ('after_sales', 4), ('gift_supply', 4)) v(p, n);  -- 5
SELECT is((SELECT count(*)::int FROM complaint.escalation_rule WHERE policy = p), n, format('%s has %s escalation rules', p, n))
  FROM (VALUES ('property', 4), ('fuel_retail', 5), ('food', 1), ('after_sales', 2), ('gift_supply', 2)) v(p, n);  -- 5
SELECT set_eq(
    $$SELECT policy, kind FROM complaint.sla_rule WHERE policy IN ('property', 'fuel_retail', 'food', 'after_sales', 'gift_supply')$$,
    $$VALUES ('property', 'forward'), ('property', 'respond'), ('property', 'initial_result'), ('property', 'notify'),
             ('fuel_retail', 'station_handling'), ('fuel_retail', 'feedback'), ('fuel_retail', 'confirm_with_customer'),
             ('fuel_retail', 'improve'), ('food', 'transmit'), ('after_sales', 'resolve'), ('after_sales', 'dispatch'),
             ('gift_supply', 'contact'), ('gift_supply', 'investigate'), ('gift_supply', 'reply'), ('gift_supply', 'resolve')$$,
    'the binding deadline kinds of CONTRACT section 7');                                               -- 1
SELECT is((SELECT (anchor, anchor_value, measure, amount, days)::text FROM complaint.sla_rule WHERE policy = p AND name = n), v,
          format('%s.%s is %s', p, n, v))
  FROM (VALUES
    ('property', 'forward_direct', '(receipt,,working_time,00:30:00,)'),
    ('property', 'forward_online', '(receipt,,working_time,01:00:00,)'),
    ('property', 'forward_after_hours', '(receipt,,after_opening,01:00:00,)'),
    ('property', 'forward_non_working_day', '(receipt,,end_of_day,,)'),
    ('property', 'respond', '(status,assigned,working_time,04:00:00,)'),
    ('property', 'initial_result', '(level,major,calendar_time,24:00:00,)'),
    ('property', 'notify_hot', '(level,hot,workdays,,1)'),
    ('property', 'notify_major_progress', '(level,major,calendar_time,"7 days",)'),
    ('fuel_retail', 'station_handling', '(status,assigned,working_time,02:00:00,)'),
    ('fuel_retail', 'feedback', '(receipt,,calendar_time,24:00:00,)'),
    ('fuel_retail', 'confirm_with_customer', '(status,proposed,calendar_time,04:00:00,)'),
    ('fuel_retail', 'improve', '(status,accepted,workdays,,3)'),
    ('food', 'transmit', '(status,acknowledged,calendar_time,01:00:00,)'),
    ('after_sales', 'resolve_domestic', '(receipt,,calendar_time,"13 days",)'),
    ('after_sales', 'resolve_foreign', '(receipt,,calendar_time,"17 days",)'),
    ('after_sales', 'dispatch_urban', '(receipt,,working_time,06:00:00,)'),
    ('after_sales', 'dispatch_suburban', '(receipt,,working_time,07:00:00,)'),
    ('gift_supply', 'contact', '(receipt,,working_time,01:00:00,)'),
    ('gift_supply', 'investigate', '(status,assigned,working_time,01:00:00,)'),
    ('gift_supply', 'reply', '(receipt,,end_of_day,,)'),
    ('gift_supply', 'resolve', '(receipt,,workdays,,2)')) v(p, n, v);                                 -- 21
SELECT is((SELECT repeat_every FROM complaint.sla_rule WHERE policy = 'property' AND name = 'notify_major_progress'),
          interval '7 days', 'major progress reports repeat every 7 days');                            -- 1
SELECT ok((SELECT met_by_notification FROM complaint.sla_rule WHERE policy = 'property' AND name = 'notify_hot'),
          'the hot notify deadline is met by a notification');                                         -- 1
SELECT ok((SELECT restart AND pause_in = '{pending_info}' FROM complaint.sla_rule WHERE policy = 'property' AND name = 'respond'),
          'respond restarts on reassignment and pauses in pending_info');                              -- 1
SELECT is((SELECT amounts FROM complaint.escalation_rule WHERE policy = 'fuel_retail' AND name = n), a::jsonb,
          format('fuel_retail %s books %s', n, a))
  FROM (VALUES ('station_overdue_fine', '{"station_manager": 200, "direct": 100}'),
               ('station_overdue_12h_fine', '{"station_manager": 300, "direct": 100}')) v(n, a);      -- 2
SELECT is((SELECT after FROM complaint.escalation_rule WHERE policy = 'fuel_retail' AND name = 'station_overdue_12h_fine'),
          interval '12 hours', 'the second overdue fine is 12 hours past due');                         -- 1
SELECT is((SELECT (direct_share, station_share, district_share)::text FROM complaint.penalty_scheme WHERE policy = 'fuel_retail'),
          '(0.5000,0.4000,0.1000)', 'fuel_retail splits fines 50/40/10');                               -- 1
SELECT set_eq($$SELECT level, fine, district_score, direct_sanction FROM complaint.penalty_rule WHERE policy = 'fuel_retail'$$,
              $$VALUES ('level1', 0::numeric, -20, 'dismissal'), ('level2', 1000, -5, NULL), ('level3', 800, -5, NULL)$$,
              'fuel_retail fines by level');                                                            -- 1
SELECT ok(EXISTS (SELECT 1 FROM complaint.rule WHERE policy = 'gift_supply' AND name = 'major_resolve_breached' AND level = 'major'),
          'gift_supply: a breached resolve deadline makes a complaint major');                          -- 1

------------------------------------------------------------------------------------------
-- behaviour
------------------------------------------------------------------------------------------
INSERT INTO complaint.complaint (policy, received_at, channel, subject, facts) VALUES
    ('after_sales', '2025-09-15 10:00', 'phone', 'tap as', '{}'),
    ('property', '2025-09-15 10:00', 'phone', 'tap hot', '{"caused_by_us": false, "legal_or_media_risk": true}');
SELECT is((SELECT next_due_at FROM complaint.complaint WHERE subject = 'tap as'),
          (SELECT min(due_at) FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
            WHERE c.subject = 'tap as' AND d.met_at IS NULL AND d.cancelled_at IS NULL),
          'next_due_at is the earliest open due_at');                                                   -- 1
SELECT is((SELECT next_due_at FROM complaint.complaint WHERE subject = 'tap as'), '2025-09-15 17:00+08'::timestamptz,
          'after_sales dispatch: 6 working hours after 10:00 is 17:00');                                -- 1
SELECT is((SELECT due_at FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
            WHERE c.subject = 'tap as' AND d.kind = 'resolve'), '2025-09-28 10:00+08'::timestamptz,
          'after_sales resolve: 13 days');                                                              -- 1
SELECT cmp_ok(complaint.run_escalations('2025-09-15 17:30', true), '>=', 2, 'the sweep breaches dispatch and reminds'); -- 1
SELECT is(complaint.run_escalations('2025-09-15 17:30', true), 0, 'the same as_of again does nothing'); -- 1
SELECT is((SELECT breached FROM complaint.complaint WHERE subject = 'tap as'), '{dispatch}'::text[],
          'breached lists the kind');                                                                   -- 1
SELECT is((SELECT count(*)::int FROM complaint.escalation x JOIN complaint.complaint c ON c.id = x.complaint_id
            WHERE c.subject = 'tap as'), 1, 'one escalation step');                                     -- 1
SELECT is((SELECT next_due_at FROM complaint.complaint WHERE subject = 'tap as'), '2025-09-15 17:00+08'::timestamptz,
          'a breached deadline that is still open stays the next due');                                 -- 1
SELECT is(complaint.record_notification((SELECT id FROM complaint.complaint WHERE subject = 'tap hot'), 'group informed'), 1,
          'record_notification meets the hot notify deadline');                                          -- 1
SELECT is((SELECT next_due_at FROM complaint.complaint WHERE subject = 'tap hot'),
          (SELECT min(due_at) FROM complaint.deadline d JOIN complaint.complaint c ON c.id = d.complaint_id
            WHERE c.subject = 'tap hot' AND d.met_at IS NULL AND d.cancelled_at IS NULL),
          'next_due_at follows the met notify deadline');                                               -- 1
SELECT throws_ok($$SELECT complaint.run_escalations(NULL)$$, '22004', NULL, 'as_of NULL is refused');   -- 1
SELECT throws_ok($$SELECT complaint.run_escalations(now() + interval '1 day')$$, '22023', NULL,
                 'a far-future as_of needs force');                                                     -- 1
SELECT throws_ok($$UPDATE complaint.complaint SET next_due_at = NULL WHERE subject = 'tap as'$$, '23Q03', NULL,
                 'next_due_at cannot be set by hand');                                                  -- 1

-- an outbox message about no particular complaint keeps complaint_id NULL (not 0)
SELECT complaint._outbox('2025-01-01 00:00+00', 'tap_note', NULL, '{}');
SELECT is((SELECT count(*) FROM complaint.outbox WHERE topic = 'tap_note' AND complaint_id IS NULL), 1::bigint,
          'an outbox message without a complaint has complaint_id NULL');                             -- 1

SELECT * FROM finish();
ROLLBACK;
