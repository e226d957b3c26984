-- pgTAP tests of the classification part of pg_complaint (CONTRACT sections 3 and 7): the
-- tables level, fact and rule with their columns, the signatures of complaint.classify()
-- and complaint.install_preset(), and for each of the five presets its levels in order,
-- the binding category codes and fact keys, its rule count and the numbers of its rules;
-- one error of each SQLSTATE the classification rows and the classifier raise.
-- Run with: pg_prove -d <db> tests/pgtap/classify.sql
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
-- tables and columns (CONTRACT section 3)
------------------------------------------------------------------------------------------
SELECT has_table('complaint', t, format('table complaint.%s exists', t))
  FROM unnest(ARRAY['policy', 'category', 'level', 'fact', 'rule']) t;                               -- 5

CREATE TEMP TABLE cls_column (tbl name, ord int, col name, type text) ON COMMIT DROP;
INSERT INTO cls_column VALUES
    ('level', 1, 'policy', 'text'), ('level', 2, 'code', 'text'), ('level', 3, 'rank', 'smallint'),
    ('level', 4, 'name_zh', 'text'), ('level', 5, 'name_en', 'text'), ('level', 6, 'compensation_ratio', 'numeric(8,2)'),
    ('fact', 1, 'policy', 'text'), ('fact', 2, 'key', 'text'), ('fact', 3, 'type', 'text'),
    ('fact', 4, 'allowed', 'text[]'), ('fact', 5, 'default_value', 'jsonb'), ('fact', 6, 'name_zh', 'text'),
    ('fact', 7, 'name_en', 'text'),
    ('rule', 1, 'policy', 'text'), ('rule', 2, 'name', 'text'), ('rule', 3, 'kind', 'text'),
    ('rule', 4, 'level', 'text'), ('rule', 5, 'condition', 'jsonb'), ('rule', 6, 'reason_zh', 'text'),
    ('rule', 7, 'reason_en', 'text'), ('rule', 8, 'enabled', 'boolean');
SELECT has_column('complaint', tbl, col, format('complaint.%s has column %s', tbl, col))
  FROM cls_column ORDER BY tbl, ord;                                                                 -- 21
SELECT col_type_is('complaint', tbl, col, type, format('complaint.%s.%s is %s', tbl, col, type))
  FROM cls_column ORDER BY tbl, ord;                                                                 -- 21
SELECT col_is_pk('complaint', 'level', ARRAY['policy', 'code'], 'a level is identified by policy and code');
SELECT col_is_pk('complaint', 'fact', ARRAY['policy', 'key'], 'a fact is identified by policy and key');
SELECT col_is_pk('complaint', 'rule', ARRAY['policy', 'name'], 'a rule is identified by policy and name');
SELECT col_is_unique('complaint', 'level', ARRAY['policy', 'rank'], 'ranks are unique within a policy');
SELECT has_trigger('complaint', 'rule', 'b_check', 'rules are validated when written');             -- 5

------------------------------------------------------------------------------------------
-- functions
------------------------------------------------------------------------------------------
SELECT has_function('complaint', 'classify', ARRAY['complaint.complaint', 'timestamp with time zone'],
                    'complaint.classify(complaint.complaint, timestamptz) exists');
SELECT function_returns('complaint', 'classify', ARRAY['complaint.complaint', 'timestamp with time zone'], 'record',
                        'complaint.classify() returns a record');
SELECT is(pg_get_function_arguments('complaint.classify(complaint.complaint, timestamptz)'::regprocedure),
          'c complaint.complaint, as_of timestamp with time zone DEFAULT now(), OUT level text, OUT reasons text[]',
          'complaint.classify(c, as_of DEFAULT now()) returns (level text, reasons text[])');
SELECT volatility_is('complaint', 'classify', ARRAY['complaint.complaint', 'timestamp with time zone'], 'stable',
                     'complaint.classify() is stable (no write)');
SELECT is_strict('complaint', 'classify', ARRAY['complaint.complaint', 'timestamp with time zone'],
                 'complaint.classify() is strict');
SELECT has_function('complaint', 'install_preset', ARRAY['text'], 'complaint.install_preset(text) exists');
SELECT function_returns('complaint', 'install_preset', ARRAY['text'], 'text', 'complaint.install_preset() returns text');
                                                                                                      -- 7

------------------------------------------------------------------------------------------
-- the five presets (CONTRACT section 7, POLICIES.md)
------------------------------------------------------------------------------------------
SELECT is(complaint.install_preset(p), p, format('install_preset(%L)', p))
  FROM unnest(ARRAY['property', 'fuel_retail', 'food', 'after_sales', 'gift_supply']) p;              -- 5
SELECT is(complaint.install_preset(p), p, format('install_preset(%L) again', p))
  FROM unnest(ARRAY['property', 'fuel_retail', 'food', 'after_sales', 'gift_supply']) p;              -- 5
SELECT results_eq(
    $$SELECT code, ref_prefix, calendar FROM complaint.policy
       WHERE code IN ('property', 'fuel_retail', 'food', 'after_sales', 'gift_supply') ORDER BY code$$,
    $$VALUES ('after_sales', 'AS', 'cn'), ('food', 'FOOD', 'cn'), ('fuel_retail', 'FUEL', 'cn'),
             ('gift_supply', 'GIFT', 'cn'), ('property', 'PROP', 'cn')$$,
    'five preset policies on calendar cn, once each');                                               -- 1

-- levels, most severe first
SELECT results_eq(format('SELECT code FROM complaint.level WHERE policy = %L ORDER BY rank DESC', p),
                  format('SELECT unnest(%L::text[])', lv), format('%s levels, most severe first', p))
  FROM (VALUES ('property', ARRAY['major', 'hot', 'important', 'general']),
               ('fuel_retail', ARRAY['level1', 'level2', 'level3']),
               ('food', ARRAY['A', 'B', 'C']),
               ('after_sales', ARRAY['serious', 'ordinary']),
               ('gift_supply', ARRAY['major', 'general'])) v(p, lv);                                 -- 5
SELECT results_eq($$SELECT code, compensation_ratio FROM complaint.level WHERE policy = 'food' ORDER BY rank DESC$$,
                  $$VALUES ('A', 10.00::numeric(8,2)), ('B', 2.00), ('C', 1.00)$$,
                  'food: compensation ratios 1:10, 1:2, 1:1');                                       -- 1

-- the binding category codes: property's taxonomy exactly, fuel_retail's main categories
-- (it has sub-categories and the invalid and suggestion classes besides)
SELECT set_eq($$SELECT code FROM complaint.category WHERE policy = 'property'$$,
              ARRAY['engineering_quality', 'planning_design', 'sales_management', 'property_management',
                    'customer_service', 'other'],
              'property: the six complaint types');
SELECT set_has($$SELECT code FROM complaint.category WHERE policy = 'fuel_retail'$$,
               $$VALUES ('station_service'), ('station_info'), ('quantity'), ('quality'), ('finance'), ('non_fuel'),
                        ('card_outlet'), ('call_centre'), ('other')$$,
               'fuel_retail: the nine effective complaint categories');
SELECT set_eq($$SELECT code FROM complaint.category WHERE policy = 'fuel_retail' AND parent IS NULL AND validity IS NULL$$,
              ARRAY['station_service', 'station_info', 'quantity', 'quality', 'finance', 'non_fuel',
                    'card_outlet', 'call_centre', 'other'],
              'fuel_retail: the top-level effective categories are exactly these nine');
SELECT set_eq($$SELECT validity::text FROM complaint.category WHERE policy = 'fuel_retail' AND validity IS NOT NULL GROUP BY 1$$,
              ARRAY['invalid', 'suggestion'],
              'fuel_retail: invalid and suggestion categories');                                     -- 4

-- the binding fact keys
SELECT set_eq(format('SELECT key FROM complaint.fact WHERE policy = %L', p), keys, format('%s: fact keys', p))
  FROM (VALUES ('property', ARRAY['lawsuit_filed', 'media_exposed', 'legal_or_media_risk', 'needs_external_support', 'caused_by_us']),
               ('fuel_retail', ARRAY['media', 'safety_incident', 'group_incident', 'food_poisoning', 'strong_attitude', 'demands_short_deadline']),
               ('food', ARRAY['defect', 'quantity', 'health_harm']),
               ('after_sales', ARRAY['region', 'area', 'serious']),
               ('gift_supply', ARRAY['media_exposed', 'lawsuit_filed', 'group_litigation_risk'])) v(p, keys); -- 5
-- their types and defaults ("booleans unless stated")
SELECT results_eq(
    $$SELECT policy, key, type, default_value::text FROM complaint.fact
       WHERE policy IN ('property', 'fuel_retail', 'gift_supply') ORDER BY policy, key$$,
    $$VALUES ('fuel_retail', 'demands_short_deadline', 'boolean', 'false'), ('fuel_retail', 'food_poisoning', 'boolean', 'false'),
             ('fuel_retail', 'group_incident', 'boolean', 'false'), ('fuel_retail', 'media', 'boolean', 'false'),
             ('fuel_retail', 'safety_incident', 'boolean', 'false'), ('fuel_retail', 'strong_attitude', 'boolean', 'false'),
             ('gift_supply', 'group_litigation_risk', 'boolean', 'false'), ('gift_supply', 'lawsuit_filed', 'boolean', 'false'),
             ('gift_supply', 'media_exposed', 'boolean', 'false'),
             ('property', 'caused_by_us', 'boolean', 'true'), ('property', 'lawsuit_filed', 'boolean', 'false'),
             ('property', 'legal_or_media_risk', 'boolean', 'false'), ('property', 'media_exposed', 'boolean', 'false'),
             ('property', 'needs_external_support', 'boolean', 'false')$$,
    'boolean facts, false by default except caused_by_us (true)');
SELECT results_eq(
    $$SELECT key, type, default_value::text FROM complaint.fact WHERE policy IN ('food', 'after_sales') ORDER BY policy, key$$,
    $$VALUES ('area', 'text', '"urban"'), ('region', 'text', '"domestic"'), ('serious', 'boolean', 'false'),
             ('defect', 'text', NULL), ('health_harm', 'text', '"none"'), ('quantity', 'number', '1')$$,
    'food and after_sales: types and defaults of their facts');
SELECT set_eq($$SELECT unnest(allowed) FROM complaint.fact WHERE policy = 'food' AND key = 'defect'$$,
              ARRAY['spoiled', 'foreign_matter', 'abnormal_color', 'burnt_rancid', 'batch', 'same_symptoms',
                    'empty_pack', 'short_pack', 'dirty_surface', 'no_date',
                    'broken_package', 'underweight', 'broken', 'leaking', 'color_difference'],
              'food: the fifteen defects');
SELECT set_eq($$SELECT unnest(allowed) FROM complaint.fact WHERE policy = 'food' AND key = 'health_harm'$$,
              ARRAY['serious', 'minor', 'none'], 'food: health harm serious, minor or none');
SELECT set_eq($$SELECT unnest(allowed) FROM complaint.fact WHERE policy = 'after_sales' AND key = 'region'$$,
              ARRAY['domestic', 'foreign'], 'after_sales: region domestic or foreign');
SELECT set_eq($$SELECT unnest(allowed) FROM complaint.fact WHERE policy = 'after_sales' AND key = 'area'$$,
              ARRAY['urban', 'suburban'], 'after_sales: area urban or suburban');                    -- 6

-- rule counts, every rule enabled, and the kind of each
SELECT is((SELECT count(*)::int FROM complaint.rule WHERE policy = p), n, format('%s: %s rules', p, n))
  FROM (VALUES ('property', 10), ('fuel_retail', 8), ('food', 5), ('after_sales', 1), ('gift_supply', 5)) v(p, n); -- 5
SELECT is((SELECT count(*)::int FROM complaint.rule
            WHERE policy IN ('property', 'fuel_retail', 'food', 'after_sales', 'gift_supply') AND NOT enabled), 0,
          'every preset rule is enabled');
SELECT results_eq($$SELECT policy, name FROM complaint.rule WHERE kind = 'note'
                     AND policy IN ('property', 'fuel_retail', 'food', 'after_sales', 'gift_supply')$$,
                  $$VALUES ('food', 'special_regulator')$$, 'one note rule: the food special complaint'); -- 2
-- rules per level
SELECT results_eq(
    $$SELECT r.policy, r.level, count(*)::int FROM complaint.rule r
       WHERE r.policy IN ('property', 'fuel_retail', 'food', 'after_sales', 'gift_supply') AND r.kind = 'level'
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    $$VALUES ('after_sales', 'serious', 1), ('food', 'A', 2), ('food', 'B', 1), ('food', 'C', 1),
             ('fuel_retail', 'level1', 5), ('fuel_retail', 'level2', 3),
             ('gift_supply', 'major', 5),
             ('property', 'hot', 4), ('property', 'important', 2), ('property', 'major', 4)$$,
    'rules per level of each preset');                                                               -- 1

-- the numbers of the rules (POLICIES.md: "numbers here are binding")
SELECT is((SELECT condition FROM complaint.rule WHERE policy = p AND name = n), c, format('%s.%s', p, n))
  FROM (VALUES
    ('property', 'major_collective', '{"fact": "collective_size", "op": ">=", "value": 10}'::jsonb),
    ('property', 'hot_collective', '{"fact": "collective_size", "op": ">=", "value": 3}'),
    ('property', 'hot_similar', '{"fact": "similar", "op": ">=", "value": 3, "by": ["category", "unit"], "window": "30 days"}'),
    ('property', 'major_unresolved_month', '{"all": [{"fact": "unresolved"}, {"fact": "facts.caused_by_us"}, {"fact": "age", "op": ">=", "value": "1 month"}]}'),
    ('property', 'hot_unresolved_week', '{"all": [{"fact": "unresolved"}, {"fact": "facts.caused_by_us"}, {"fact": "age", "op": ">=", "value": "7 days"}]}'),
    ('property', 'important_second', '{"fact": "reopen_count", "op": ">=", "value": 1}'),
    ('fuel_retail', 'level1_quality_repeat', '{"all": [{"fact": "category", "op": "=", "value": "quality"}, {"fact": "similar", "op": ">=", "value": 2, "by": ["category"], "window": "30 days", "count": "complaints"}]}'),
    ('fuel_retail', 'level2_quantity_repeat', '{"all": [{"fact": "category", "op": "=", "value": "quantity"}, {"fact": "similar", "op": ">=", "value": 2, "by": ["category", "unit"], "window": "30 days", "count": "complaints"}]}'),
    ('food', 'a_health_harm', '{"fact": "facts.health_harm", "op": "=", "value": "serious"}'),
    ('food', 'special_regulator', '{"fact": "channel", "op": "=", "value": "regulator"}'),
    ('gift_supply', 'major_amount', '{"fact": "amount", "op": ">=", "value": 2000}')) v(p, n, c); -- 11
SELECT set_eq($$SELECT jsonb_array_elements_text(condition -> 'value') FROM complaint.rule WHERE policy = 'food' AND name = 'a_defect'$$,
              ARRAY['spoiled', 'foreign_matter', 'abnormal_color', 'burnt_rancid', 'batch', 'same_symptoms'], 'food: class A defects');
SELECT set_eq($$SELECT jsonb_array_elements_text(condition -> 'value') FROM complaint.rule WHERE policy = 'food' AND name = 'b_defect'$$,
              ARRAY['empty_pack', 'short_pack', 'dirty_surface', 'no_date'], 'food: class B defects');
SELECT set_eq($$SELECT jsonb_array_elements_text(condition -> 'value') FROM complaint.rule WHERE policy = 'food' AND name = 'c_defect'$$,
              ARRAY['broken_package', 'underweight', 'broken', 'leaking', 'color_difference'], 'food: class C defects'); -- 3

------------------------------------------------------------------------------------------
-- the classifier on a few complaints (as of an explicit time)
------------------------------------------------------------------------------------------
INSERT INTO complaint.complaint (policy, received_at, subject, collective_size, facts) VALUES
    ('property', '2025-04-01 10:00', 'tap 10 people', 10, '{"caused_by_us": false}'),
    ('property', '2025-04-01 10:00', 'tap 9 people', 9, '{"caused_by_us": false}'),
    ('property', '2025-04-01 10:00', 'tap nothing', 1, '{}');
INSERT INTO complaint.complaint (policy, received_at, subject, amount) VALUES
    ('gift_supply', '2025-04-01 10:00', 'tap 1999.99', 1999.99), ('gift_supply', '2025-04-01 10:00', 'tap 2000', 2000);
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES
    ('food', '2025-04-01 10:00', 'tap spoiled', '{"defect": "spoiled"}'), ('food', '2025-04-01 10:00', 'tap leaking', '{"defect": "leaking"}'),
    ('after_sales', '2025-04-01 10:00', 'tap serious', '{"serious": true}'),
    ('fuel_retail', '2025-04-01 10:00', 'tap upset', '{"strong_attitude": true}');
SELECT results_eq(
    $$SELECT c.subject, c.level, (complaint.classify(c, '2025-04-01 10:00')).level FROM complaint.complaint c
       WHERE c.subject LIKE 'tap %' ORDER BY c.id$$,
    $$VALUES ('tap 10 people', 'major', 'major'), ('tap 9 people', 'hot', 'hot'), ('tap nothing', 'major', 'general'),
             ('tap 1999.99', 'general', 'general'), ('tap 2000', 'major', 'major'),
             ('tap spoiled', 'A', 'A'), ('tap leaking', 'C', 'C'), ('tap serious', 'serious', 'serious'),
             ('tap upset', 'level2', 'level2')$$,
    'stored levels (as of the insert) and complaint.classify() at receipt');
SELECT is((complaint.classify(c, '2025-04-08 10:00')).level, 'hot', 'property: unresolved a week after receipt is hot')
  FROM complaint.complaint c WHERE c.subject = 'tap nothing';
SELECT is((complaint.classify(c, '2025-05-01 10:00')).level, 'major', 'property: unresolved a month after receipt is major')
  FROM complaint.complaint c WHERE c.subject = 'tap nothing';
SELECT is((complaint.classify(c, '2025-05-01 09:59:59')).level, 'hot', 'property: one second before the month, still hot')
  FROM complaint.complaint c WHERE c.subject = 'tap nothing';
SELECT ok((complaint.classify(c)).reasons[1] LIKE 'major_collective: %', 'the reason names the rule')
  FROM complaint.complaint c WHERE c.subject = 'tap 10 people';                                     -- 5

------------------------------------------------------------------------------------------
-- SQLSTATEs
------------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT complaint.install_preset('retail')$$, '22023', 'unknown preset "retail"',
                 'an unknown preset: 22023');
SELECT throws_ok($$INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
                   VALUES ('property', 'tap_bad', 'hot', '{"fact": "facts.nope"}', '错', 'wrong')$$, '22023',
                 'invalid condition in rule "tap_bad" of policy "property": unknown fact "facts.nope"',
                 'a rule reading an unknown fact: 22023');
SELECT throws_ok($$INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
                   VALUES ('property', 'tap_bad', 'hot', '{"fact": "collective_size", "op": "~", "value": 3}', '错', 'wrong')$$, '22023',
                 'invalid condition in rule "tap_bad" of policy "property": unknown operator "~"',
                 'a rule with an unknown operator: 22023');
SELECT throws_ok($$INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
                   VALUES ('property', 'tap_bad', 'urgent', '{"fact": "facts.lawsuit_filed"}', '错', 'wrong')$$, '23503',
                 'rule "tap_bad" of policy "property" names an unknown level "urgent"',
                 'a rule naming an unknown level: 23503');
SELECT throws_ok($$INSERT INTO complaint.rule (policy, name, kind, level, condition, reason_zh, reason_en)
                   VALUES ('property', 'tap_bad', 'note', 'hot', '{"fact": "facts.lawsuit_filed"}', '错', 'wrong')$$, '22023',
                 'rule "tap_bad" of policy "property": a note rule has no level',
                 'a note rule with a level: 22023');
SELECT throws_ok($$INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('property', 'tap', 3, '重', 'dup')$$,
                 '23505', 'policy "property" already has a level of rank 3', 'a duplicate rank: 23505');
SELECT throws_ok($$INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('property', 'tap', 101, '重', 'dup')$$,
                 '22023', 'invalid rank 101 of level "tap" in policy "property"', 'rank 101: 22023');
SELECT throws_ok($$INSERT INTO complaint.fact (policy, key, type, default_value, name_zh, name_en) VALUES ('property', 'tap', 'boolean', '"yes"', '错', 'bad')$$,
                 '22023', 'default "yes" of fact "tap" in policy "property" is not a boolean', 'a default of the wrong type: 22023');
SELECT throws_ok($$DELETE FROM complaint.level WHERE policy = 'gift_supply' AND code = 'general'$$,
                 '23503', 'cannot delete level "general" of policy "gift_supply": complaints have it',
                 'deleting a level complaints have: 23503');
SELECT throws_ok($$INSERT INTO complaint.complaint (policy, subject, facts) VALUES ('property', 'tap', '{"collective": "many"}')$$,
                 '22023', 'unknown fact "collective" for policy "property"', 'an undeclared fact: 22023');
SELECT throws_ok($$INSERT INTO complaint.complaint (policy, subject, facts) VALUES ('property', 'tap', '{"lawsuit_filed": "yes"}')$$,
                 '22023', 'fact "lawsuit_filed" of policy "property" must be a boolean (true or false), not "yes"',
                 'a fact of the wrong type: 22023');
SELECT throws_ok($$INSERT INTO complaint.complaint (policy, subject, facts) VALUES ('food', 'tap', '{"defect": "mouldy"}')$$,
                 '22023', 'fact "defect" of policy "food" cannot be "mouldy"', 'a fact outside its allowed values: 22023');
SELECT throws_ok($$INSERT INTO complaint.complaint (policy, subject, level) VALUES ('property', 'tap', 'urgent')$$,
                 '23503', 'level "urgent" is not a level of policy "property"', 'an unknown level on insert: 23503');
SELECT throws_ok($$INSERT INTO complaint.complaint (policy, subject, category, validity) VALUES ('fuel_retail', 'tap', 'invalid_competitor', 'effective')$$,
                 '23514', 'category "invalid_competitor" of policy "fuel_retail" is a class of invalid complaints, not effective',
                 'a validity contradicting the category: 23514');
SELECT throws_ok($$SET LOCAL ROLE complaint_supervisor;
                   UPDATE complaint.complaint SET level = 'general' WHERE subject = 'tap 10 people'$$,
                 '42501', NULL, 'a supervisor lowering a level: 42501');
SELECT throws_ok($$UPDATE complaint.complaint SET level = NULL WHERE subject = 'tap 10 people'$$,
                 '23502', NULL, 'clearing a level: 23502');
SELECT throws_ok($$SELECT complaint.classify(ROW(NULL, NULL, 'property', NULL, 'phone', NULL, 'x', NULL, NULL, NULL, NULL,
                   NULL, NULL, 1, NULL, '{}', NULL, 'new', NULL, NULL, 0, NULL, NULL, NULL, NULL, now(), now(), '{}', NULL)::complaint.complaint)$$,
                 '22004', 'complaint.classify() needs policy, received_at and status', 'classify() without received_at: 22004');
SELECT is(current_user::text, session_user::text, 'the role of a failed statement is not kept');   -- 18
SELECT lives_ok($$SET LOCAL ROLE complaint_admin;
                  UPDATE complaint.complaint SET level = 'hot' WHERE subject = 'tap 10 people';
                  RESET ROLE$$, 'complaint_admin lowers a level');
SELECT results_eq($$SELECT level, level_reasons[1] FROM complaint.complaint WHERE subject = 'tap 10 people'$$,
                  $$VALUES ('hot', 'manual: lowered from major to hot by complaint_admin')$$,
                  'the lowered level is kept with its reason');                                     -- 2

SELECT * FROM finish();
ROLLBACK;
