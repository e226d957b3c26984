-- pgTAP tests of the complaint part of pg_complaint (CONTRACT sections 2 and 6): the table
-- and every contract column with its type, the enums, the triggers, the privileges of the
-- four roles, the row-level security policies, one error of each custom SQLSTATE and a
-- small workflow with its history.
-- Run with: pg_prove -d <db> tests/pgtap/complaint.sql
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

SELECT plan(162);

------------------------------------------------------------------------------------------
-- tables, columns and their types (CONTRACT section 2)
------------------------------------------------------------------------------------------
SELECT has_table('complaint', t, format('table complaint.%s exists', t))
  FROM unnest(ARRAY['complaint', 'event', 'ref_counter', 'policy', 'category', 'agent_unit']) t;   -- 6

CREATE TEMP TABLE contract_column (ord int, col name, type_schema name, type text) ON COMMIT DROP;
INSERT INTO contract_column VALUES
    (1, 'id', NULL, 'bigint'), (2, 'ref', NULL, 'text'), (3, 'policy', NULL, 'text'),
    (4, 'received_at', NULL, 'timestamp with time zone'), (5, 'channel', 'complaint', 'channel'),
    (6, 'category', NULL, 'text'), (7, 'subject', NULL, 'text'), (8, 'body', NULL, 'text'),
    (9, 'complainant', NULL, 'text'), (10, 'contact', NULL, 'text'), (11, 'customer_type', NULL, 'text'),
    (12, 'unit', NULL, 'text'), (13, 'handler', NULL, 'text'), (14, 'collective_size', NULL, 'integer'),
    (15, 'amount', NULL, 'numeric(14,2)'), (16, 'facts', NULL, 'jsonb'), (17, 'validity', 'complaint', 'validity'),
    (18, 'status', 'complaint', 'status'), (19, 'level', NULL, 'text'), (20, 'level_reasons', NULL, 'text[]'),
    (21, 'reopen_count', NULL, 'integer'), (22, 'satisfaction', NULL, 'smallint'),
    (23, 'next_due_at', NULL, 'timestamp with time zone'), (24, 'resolved_at', NULL, 'timestamp with time zone'),
    (25, 'closed_at', NULL, 'timestamp with time zone');
SELECT has_column('complaint', 'complaint', col, format('complaint.complaint has column %s', col))
  FROM contract_column ORDER BY ord;                                                               -- 25
SELECT CASE WHEN type_schema IS NULL
            THEN col_type_is('complaint', 'complaint', col, type, format('complaint.complaint.%s is %s', col, type))
            ELSE col_type_is('complaint', 'complaint', col, type_schema, type, format('complaint.complaint.%s is %s.%s', col, type_schema, type))
       END
  FROM contract_column ORDER BY ord;                                                               -- 25
SELECT col_is_pk('complaint', 'complaint', 'id', 'id is the primary key');
SELECT col_is_unique('complaint', 'complaint', 'ref', 'ref is unique');
SELECT col_not_null('complaint', 'complaint', c, format('%s is NOT NULL', c))
  FROM unnest(ARRAY['ref', 'policy', 'received_at', 'subject', 'status', 'collective_size', 'facts', 'reopen_count']::name[]) c; -- 8
SELECT col_has_default('complaint', 'complaint', c, format('%s has a default', c))
  FROM unnest(ARRAY['received_at', 'status', 'collective_size', 'facts']::name[]) c;             -- 4
SELECT has_trigger('complaint', 'policy', 'c_in_use', 'policy references are guarded: a used policy cannot be deleted');
SELECT has_column('complaint', 'event', c, format('complaint.event has column %s', c))
  FROM unnest(ARRAY['at', 'actor', 'complaint_id', 'kind', 'detail']::name[]) c;                   -- 5
SELECT col_type_is('complaint', 'event', 'detail', 'jsonb', 'event detail is jsonb');
SELECT has_function('complaint', 'history', ARRAY['bigint'], 'complaint.history(bigint) exists');

------------------------------------------------------------------------------------------
-- enums
------------------------------------------------------------------------------------------
SELECT enum_has_labels('complaint', 'channel',
    ARRAY['phone', 'email', 'web', 'forum', 'letter', 'in_person', 'hotline', 'review',
          'sales_feedback', 'regulator', 'other'], 'complaint.channel labels, in order');
SELECT enum_has_labels('complaint', 'status',
    ARRAY['new', 'acknowledged', 'assigned', 'investigating', 'pending_info', 'proposed',
          'escalated', 'external_review', 'accepted', 'follow_up', 'closed', 'rejected'],
    'complaint.status labels, in order');
SELECT enum_has_labels('complaint', 'validity', ARRAY['effective', 'invalid', 'suggestion'],
    'complaint.validity labels, in order');

------------------------------------------------------------------------------------------
-- triggers
------------------------------------------------------------------------------------------
SELECT has_trigger('complaint', 'complaint', 'complaint_before', 'BEFORE trigger on complaint.complaint');
SELECT has_trigger('complaint', 'complaint', 'complaint_after', 'AFTER trigger on complaint.complaint');
SELECT has_trigger('complaint', 'event', 'event_append_only', 'append-only trigger on complaint.event');
SELECT has_trigger('complaint', 'event', 'event_no_truncate', 'no-truncate trigger on complaint.event');
SELECT trigger_is('complaint', 'complaint', 'complaint_before', 'complaint', '_complaint_before', 'complaint_before runs complaint._complaint_before()');
SELECT trigger_is('complaint', 'complaint', 'complaint_after', 'complaint', '_complaint_after', 'complaint_after runs complaint._complaint_after()');
SELECT is((SELECT string_agg(tgname || '=' || tgenabled::text, ',' ORDER BY tgname) FROM pg_trigger
            WHERE tgrelid IN ('complaint.complaint'::regclass, 'complaint.event'::regclass) AND NOT tgisinternal),
          'complaint_after=A,complaint_before=A,complaint_no_truncate=A,complaint_penalty=A,event_append_only=A,event_no_truncate=A',
          'the six triggers fire ALWAYS (also under session_replication_role = replica)');

------------------------------------------------------------------------------------------
-- roles, privileges, row-level security (CONTRACT section 6)
------------------------------------------------------------------------------------------
SELECT has_role(r, format('role %s exists', r))
  FROM unnest(ARRAY['complaint_admin', 'complaint_supervisor', 'complaint_agent', 'complaint_reader']::name[]) r; -- 4
SELECT table_privs_are('complaint', t, r, p, format('%s on complaint.%s: %s', r, t, coalesce(nullif(array_to_string(p, ', '), ''), 'nothing')))
  FROM (VALUES
    ('complaint', 'complaint_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('complaint', 'complaint_supervisor', ARRAY['SELECT', 'INSERT', 'UPDATE']),
    ('complaint', 'complaint_agent', ARRAY['SELECT', 'INSERT', 'UPDATE']),
    ('complaint', 'complaint_reader', ARRAY[]::text[]),
    ('event', 'complaint_admin', ARRAY['SELECT']),
    ('event', 'complaint_supervisor', ARRAY['SELECT']),
    ('event', 'complaint_agent', ARRAY['SELECT']),
    ('event', 'complaint_reader', ARRAY[]::text[]),
    ('ref_counter', 'complaint_admin', ARRAY[]::text[]),
    ('ref_counter', 'complaint_supervisor', ARRAY[]::text[]),
    ('ref_counter', 'complaint_agent', ARRAY[]::text[]),
    ('ref_counter', 'complaint_reader', ARRAY[]::text[]),
    ('policy', 'complaint_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('policy', 'complaint_supervisor', ARRAY['SELECT']),
    ('policy', 'complaint_agent', ARRAY['SELECT']),
    ('policy', 'complaint_reader', ARRAY[]::text[]),
    ('category', 'complaint_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('category', 'complaint_supervisor', ARRAY['SELECT']),
    ('category', 'complaint_agent', ARRAY['SELECT']),
    ('category', 'complaint_reader', ARRAY[]::text[]),
    ('agent_unit', 'complaint_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('agent_unit', 'complaint_supervisor', ARRAY['SELECT']),
    ('agent_unit', 'complaint_agent', ARRAY['SELECT']),
    ('agent_unit', 'complaint_reader', ARRAY[]::text[]),
    ('level', 'complaint_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('level', 'complaint_supervisor', ARRAY['SELECT']),
    ('level', 'complaint_agent', ARRAY['SELECT']),
    ('level', 'complaint_reader', ARRAY[]::text[]),
    ('fact', 'complaint_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('fact', 'complaint_supervisor', ARRAY['SELECT']),
    ('fact', 'complaint_agent', ARRAY['SELECT']),
    ('fact', 'complaint_reader', ARRAY[]::text[]),
    ('rule', 'complaint_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    ('rule', 'complaint_supervisor', ARRAY['SELECT']),
    ('rule', 'complaint_agent', ARRAY['SELECT']),
    ('rule', 'complaint_reader', ARRAY[]::text[])) v(t, r, p);                                    -- 36
SELECT is((SELECT array_agg(relname::text ORDER BY relname) FROM pg_class
            WHERE relnamespace = 'complaint'::regnamespace AND relkind = 'r' AND relrowsecurity),
          ARRAY['agent_unit', 'complaint', 'deadline', 'escalation', 'event'],
          'row-level security on complaint, event, deadline, escalation and agent_unit');
SELECT policies_are('complaint', 'complaint',
    ARRAY['complaint_admin_all', 'complaint_supervisor_all', 'complaint_agent_units'],
    'RLS policies of complaint.complaint');
SELECT policies_are('complaint', 'event', ARRAY['event_staff_all', 'event_agent_units'],
    'RLS policies of complaint.event');
SELECT policies_are('complaint', 'agent_unit', ARRAY['agent_unit_staff_all', 'agent_unit_own'],
    'RLS policies of complaint.agent_unit');
SELECT policy_roles_are('complaint', 'complaint', 'complaint_agent_units', ARRAY['complaint_agent'],
    'complaint_agent_units applies to complaint_agent');
SELECT policy_roles_are('complaint', 'complaint', 'complaint_supervisor_all', ARRAY['complaint_supervisor'],
    'complaint_supervisor_all applies to complaint_supervisor');
SELECT policy_roles_are('complaint', 'complaint', 'complaint_admin_all', ARRAY['complaint_admin'],
    'complaint_admin_all applies to complaint_admin');
SELECT policy_roles_are('complaint', 'event', 'event_agent_units', ARRAY['complaint_agent'],
    'event_agent_units applies to complaint_agent');
SELECT policy_cmd_is('complaint', 'complaint', 'complaint_agent_units', 'ALL',
    'complaint_agent_units covers every command');

------------------------------------------------------------------------------------------
-- one error of each custom SQLSTATE, and the errors of the history
------------------------------------------------------------------------------------------
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('tap_policy', 'pgTAP 测试办法', 'pgTAP policy', 'cn', 'TAP');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('tap_policy', '2025-10-09 10:00', 'pgTAP complaint');

SELECT is((SELECT ref FROM complaint.complaint WHERE policy = 'tap_policy'), 'TAP-202510-00001', 'the first ref of the month');
SELECT throws_ok($$UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'TAP-202510-00001'$$,
    '23Q01', 'complaint TAP-202510-00001 cannot move from "new" to "investigating"',
    '23Q01: a transition that is not in the workflow');
SELECT throws_ok($$UPDATE complaint.complaint SET status = 'assigned', handler = 'Han' WHERE ref = 'TAP-202510-00001'$$,
    '23Q02', 'complaint TAP-202510-00001 cannot move from "new" to "assigned": no responsible unit',
    '23Q02: a precondition (assigned needs a unit)');
SELECT throws_ok($$UPDATE complaint.complaint SET status = 'closed' WHERE ref = 'TAP-202510-00001'$$,
    '23Q02', 'complaint TAP-202510-00001 cannot move from "new" to "closed": only a suggestion can be closed without handling',
    '23Q02: closed straight from new only for a suggestion');
SELECT throws_ok($$UPDATE complaint.complaint SET ref = 'TAP-202510-99999' WHERE ref = 'TAP-202510-00001'$$,
    '23Q03', 'column "ref" of complaint TAP-202510-00001 cannot be changed',
    '23Q03: an immutable column');
SELECT throws_ok($$UPDATE complaint.complaint SET reopen_count = 3 WHERE ref = 'TAP-202510-00001'$$,
    '23Q03', 'column "reopen_count" of complaint TAP-202510-00001 cannot be changed',
    '23Q03: a column the workflow maintains');
SELECT throws_ok($$INSERT INTO complaint.complaint (policy, received_at, subject, status) VALUES ('tap_policy', '2025-10-09 11:00', 'x', 'assigned')$$,
    '23Q04', 'a new complaint must have status "new", not "assigned"',
    '23Q04: a new complaint starts as new');
SELECT throws_ok($$UPDATE complaint.event SET actor = 'x'$$, '42501', NULL, 'UPDATE of complaint.event refused');
SELECT throws_ok($$DELETE FROM complaint.event$$, '42501', NULL, 'DELETE of complaint.event refused');
SELECT throws_ok($$TRUNCATE complaint.event$$, '42501', NULL, 'TRUNCATE of complaint.event refused');
SELECT throws_ok($$DELETE FROM complaint.policy WHERE code = 'tap_policy'$$,
    '23503', 'cannot delete policy "tap_policy": it has complaints', 'a policy with complaints cannot be deleted');
SELECT throws_ok($$TRUNCATE complaint.policy CASCADE$$,
    '23503', 'cannot truncate complaint.policy: complaints refer to it', 'nor truncated');
SELECT is((SELECT ref FROM complaint.complaint WHERE subject = 'pgTAP complaint' AND status = 'new'), 'TAP-202510-00001',
    'the refused statements changed nothing');

------------------------------------------------------------------------------------------
-- a small workflow and its history
------------------------------------------------------------------------------------------
SELECT lives_ok($$UPDATE complaint.complaint SET status = 'acknowledged' WHERE ref = 'TAP-202510-00001'$$, 'new -> acknowledged');
SELECT lives_ok($$UPDATE complaint.complaint SET status = 'assigned', unit = 'U1', handler = 'Han' WHERE ref = 'TAP-202510-00001'$$, 'acknowledged -> assigned');
SELECT lives_ok($$UPDATE complaint.complaint SET handler = 'Qi' WHERE ref = 'TAP-202510-00001'$$, 'reassigned');
SELECT lives_ok($$UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'TAP-202510-00001'$$, 'assigned -> investigating');
SELECT lives_ok($$UPDATE complaint.complaint SET status = 'proposed' WHERE ref = 'TAP-202510-00001'$$, 'investigating -> proposed');
SELECT lives_ok($$UPDATE complaint.complaint SET status = 'accepted' WHERE ref = 'TAP-202510-00001'$$, 'proposed -> accepted');
SELECT lives_ok($$UPDATE complaint.complaint SET status = 'closed' WHERE ref = 'TAP-202510-00001'$$, 'accepted -> closed');
SELECT lives_ok($$UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'TAP-202510-00001'$$, 'closed -> investigating (reopen)');
SELECT results_eq(
    $$SELECT format('%s %s -> %s by %s', h.kind, h.detail ->> 'from', h.detail ->> 'to',
                    CASE WHEN h.actor = current_user THEN 'me' ELSE h.actor END)
        FROM complaint.complaint c, complaint.history(c.id) h WHERE c.ref = 'TAP-202510-00001'$$,
    $$VALUES ('created  ->  by me'), ('status new -> acknowledged by me'), ('status acknowledged -> assigned by me'),
             ('assignment  ->  by me'), ('assignment  ->  by me'), ('status assigned -> investigating by me'),
             ('status investigating -> proposed by me'), ('status proposed -> accepted by me'),
             ('status accepted -> closed by me'), ('reopen closed -> investigating by me')$$,
    'the history of the workflow, in order');
SELECT results_eq(
    $$SELECT format('%s %s %s %s %s', status, handler, reopen_count, resolved_at IS NULL, closed_at IS NULL)
        FROM complaint.complaint WHERE ref = 'TAP-202510-00001'$$,
    $$VALUES ('investigating Qi 1 t t')$$,
    'reopened: counted, closed_at and resolved_at cleared');
SELECT is((SELECT detail FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
            WHERE c.ref = 'TAP-202510-00001' AND e.kind = 'assignment' ORDER BY e.id DESC LIMIT 1),
          '{"handler": {"from": "Han", "to": "Qi"}}'::jsonb, 'the reassignment event says who took over');
SELECT is((SELECT count(*)::int FROM complaint.ref_counter WHERE prefix = 'TAP'), 1, 'one counter row for TAP, 2025-10');

SELECT * FROM finish();
ROLLBACK;
