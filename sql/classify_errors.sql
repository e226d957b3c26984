SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- classify_errors: every way to write a policy's classification rows wrong, and every way a
-- complaint's facts or level can contradict its policy, each with its exact error text,
-- and each followed by the proof that nothing changed (row counts of the policy).
-- Policies of this file: cls_err (strict facts) and cls_err_lax (strict_facts = false).
--
\set SHOW_CONTEXT never
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix) VALUES
    ('cls_err', '分类错误测试办法', 'Classification error test policy', 'cn', 'CE');
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix, strict_facts) VALUES
    ('cls_err_lax', '宽松事实办法', 'Policy with undeclared facts allowed', 'cn', 'CEL', false);
INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES
    ('cls_err', 'quality', '质量', 'Quality'),
    ('cls_err', 'service', '服务', 'Service'),
    ('cls_err', 'spare', '备用', 'Spare (no complaint uses it)'),
    ('cls_err_lax', 'quality', '质量', 'Quality');
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES
    ('cls_err', 'spare_level', 40, '备用', 'spare (no complaint, no rule)'),
    ('cls_err', 'high', 30, '高', 'high'),
    ('cls_err', 'mid', 20, '中', 'middle'),
    ('cls_err', 'low', 10, '低', 'low'),
    ('cls_err_lax', 'high', 2, '高', 'high'),
    ('cls_err_lax', 'low', 1, '低', 'low');
-- one fact of each type: a boolean, a number, a text with allowed values, a free text
INSERT INTO complaint.fact (policy, key, type, allowed, default_value, name_zh, name_en) VALUES
    ('cls_err', 'flag', 'boolean', NULL, 'false', '标志', 'flag'),
    ('cls_err', 'score', 'number', NULL, '0', '分数', 'score'),
    ('cls_err', 'kind', 'text', ARRAY['a', 'b', 'c'], '"a"', '种类', 'kind'),
    ('cls_err', 'remark', 'text', NULL, NULL, '备注', 'remark'),
    ('cls_err', 'spare_fact', 'boolean', NULL, NULL, '备用', 'spare (no rule reads it)'),
    ('cls_err_lax', 'flag', 'boolean', NULL, 'false', '标志', 'flag');
-- the rules that are there from the start: a level rule per fact, so that a fact in use can
-- be shown to be protected
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en) VALUES
    ('cls_err', 'high_flag', 'high', '{"fact": "facts.flag"}', '标志', 'flag set'),
    ('cls_err', 'mid_score', 'mid', '{"fact": "facts.score", "op": ">=", "value": 5}', '分数高', 'high score'),
    ('cls_err', 'mid_quality', 'mid', '{"fact": "category", "op": "=", "value": "quality"}', '质量', 'quality'),
    ('cls_err_lax', 'high_flag', 'high', '{"fact": "facts.flag"}', '标志', 'flag set');
-- a complaint at level mid (score 5), so that level mid and category service are in use
-- (category quality is read by a rule, but no complaint has it)
INSERT INTO complaint.complaint (policy, received_at, subject, category, complainant, facts)
VALUES ('cls_err', '2025-05-06 10:00', 'first', 'service', 'Ann', '{"score": 5}')
RETURNING ref, level, level_reasons;

-- the rows that no failed statement may change (rules_before: a digest of every rule row)
CREATE TEMP TABLE rules_before AS
SELECT md5(string_agg(r::text, '|' ORDER BY r.policy, r.name)) FROM complaint.rule r WHERE policy LIKE 'cls\_err%';
CREATE TEMP VIEW counts AS
SELECT (SELECT count(*) FROM complaint.category WHERE policy LIKE 'cls\_err%') AS categories,
       (SELECT count(*) FROM complaint.level WHERE policy LIKE 'cls\_err%') AS levels,
       (SELECT count(*) FROM complaint.fact WHERE policy LIKE 'cls\_err%') AS facts,
       (SELECT count(*) FROM complaint.rule WHERE policy LIKE 'cls\_err%') AS rules,
       (SELECT md5(string_agg(r::text, '|' ORDER BY r.policy, r.name)) = (SELECT md5 FROM rules_before)
          FROM complaint.rule r WHERE policy LIKE 'cls\_err%') AS same_rules,
       (SELECT count(*) FROM complaint.complaint WHERE policy LIKE 'cls\_err%') AS complaints;
TABLE counts;

-- a rule INSERT of this file: only the condition changes
PREPARE bad_rule(jsonb) AS
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
VALUES ('cls_err', 'bad', 'mid', $1, '错', 'wrong');

--
-- 1. The shape of a condition (rules.c, compile_node): an object with exactly one of
--    all / any / not, or a fact with op and value
--
-- not an object: an array, a string, a number
EXECUTE bad_rule('[{"fact": "facts.flag"}]');
EXECUTE bad_rule('"facts.flag"');
EXECUTE bad_rule('1');
-- the empty object
EXECUTE bad_rule('{}');
-- an unknown key (a typo of "value"), at the top and inside an "all"
EXECUTE bad_rule('{"fact": "facts.score", "op": ">", "valeu": 3}');
EXECUTE bad_rule('{"all": [{"fact": "facts.flag"}, {"fact": "facts.flag", "when": "now"}]}');
-- all mixed with fact, all mixed with any, op/value on a combination
EXECUTE bad_rule('{"all": [{"fact": "facts.flag"}], "fact": "facts.flag"}');
EXECUTE bad_rule('{"all": [{"fact": "facts.flag"}], "any": [{"fact": "facts.flag"}]}');
EXECUTE bad_rule('{"any": [{"fact": "facts.flag"}], "op": "=", "value": true}');
-- "all" not an array, "any" empty, an element that is not an object, "not" of an array
EXECUTE bad_rule('{"all": {"fact": "facts.flag"}}');
EXECUTE bad_rule('{"any": []}');
EXECUTE bad_rule('{"all": [{"fact": "facts.flag"}, 2]}');
EXECUTE bad_rule('{"not": [{"fact": "facts.flag"}]}');
-- "fact" that is not a string
EXECUTE bad_rule('{"fact": ["facts.flag"]}');
TABLE counts;
-- nesting: 32 levels are fine (31 "not" around one fact) ...
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en, enabled)
VALUES ('cls_err', 'deep32', 'mid', (repeat('{"not": ', 31) || '{"fact": "facts.flag"}' || repeat('}', 31))::jsonb,
        '深', 'deep', false)
RETURNING name, length(condition::text) AS chars;
DELETE FROM complaint.rule WHERE policy = 'cls_err' AND name = 'deep32';
-- ... 33 are not (the error points at the 33rd level), in "not" and in "all"
EXECUTE bad_rule((repeat('{"not": ', 32) || '{"fact": "facts.flag"}' || repeat('}', 32))::jsonb);
EXECUTE bad_rule((repeat('{"all": [', 32) || '{"fact": "facts.flag"}' || repeat(']}', 32))::jsonb);
TABLE counts;

--
-- 2. Facts: unknown names, columns that are not facts, undeclared keys of facts
--
EXECUTE bad_rule('{"fact": "colour", "op": "=", "value": "red"}');
EXECUTE bad_rule('{"fact": "facts.lawsuit_filed"}');
EXECUTE bad_rule('{"fact": "facts."}');
-- columns the rules do not read (body, contact, level, ref) and the key of another policy
EXECUTE bad_rule('{"fact": "body", "op": "=", "value": "x"}');
EXECUTE bad_rule('{"fact": "level", "op": "=", "value": "high"}');
EXECUTE bad_rule('{"fact": "facts.flag_other_policy"}');
TABLE counts;

--
-- 3. Operators
--
EXECUTE bad_rule('{"fact": "facts.score", "op": "~", "value": 3}');
EXECUTE bad_rule('{"fact": "facts.score", "op": "==", "value": 3}');
EXECUTE bad_rule('{"fact": "facts.score", "op": 1, "value": 3}');
-- a fact that is not a boolean needs op and value; an operator needs a value
EXECUTE bad_rule('{"fact": "facts.score"}');
EXECUTE bad_rule('{"fact": "facts.kind"}');
EXECUTE bad_rule('{"fact": "facts.score", "op": ">="}');
-- booleans compare with = or != only; texts with =, !=, in, not_in; intervals not with in
EXECUTE bad_rule('{"fact": "facts.flag", "op": "<", "value": true}');
EXECUTE bad_rule('{"fact": "facts.kind", "op": "<", "value": "b"}');
EXECUTE bad_rule('{"fact": "facts.remark", "op": ">=", "value": "m"}');
EXECUTE bad_rule('{"fact": "subject", "op": "<=", "value": "m"}');
EXECUTE bad_rule('{"fact": "age", "op": "in", "value": ["1 day"]}');
-- in / not_in take a non-empty array
EXECUTE bad_rule('{"fact": "facts.kind", "op": "in", "value": "a"}');
EXECUTE bad_rule('{"fact": "facts.kind", "op": "not_in", "value": []}');
EXECUTE bad_rule('{"fact": "collective_size", "op": "in", "value": {"a": 1}}');
-- exists / not_exists take no value, and only facts that can be missing have them
EXECUTE bad_rule('{"fact": "facts.remark", "op": "exists", "value": true}');
EXECUTE bad_rule('{"fact": "unit", "op": "not_exists", "value": null}');
EXECUTE bad_rule('{"fact": "age", "op": "exists"}');
EXECUTE bad_rule('{"fact": "similar", "op": "exists"}');
TABLE counts;

--
-- 4. Values of the wrong type, for each type of fact
--
-- boolean fact, boolean column-like fact "unresolved"
EXECUTE bad_rule('{"fact": "facts.flag", "op": "=", "value": "yes"}');
EXECUTE bad_rule('{"fact": "facts.flag", "value": 1}');
EXECUTE bad_rule('{"fact": "unresolved", "op": "=", "value": "true"}');
-- number fact and number columns
EXECUTE bad_rule('{"fact": "facts.score", "op": ">=", "value": "5"}');
EXECUTE bad_rule('{"fact": "collective_size", "op": ">=", "value": true}');
EXECUTE bad_rule('{"fact": "amount", "op": "in", "value": [100, "200"]}');
-- text fact and text columns
EXECUTE bad_rule('{"fact": "facts.remark", "op": "=", "value": 1}');
EXECUTE bad_rule('{"fact": "unit", "op": "in", "value": ["U1", null]}');
EXECUTE bad_rule('{"fact": "complainant", "op": "!=", "value": false}');
-- intervals are written as strings
EXECUTE bad_rule('{"fact": "age", "op": ">=", "value": 7}');
EXECUTE bad_rule('{"fact": "working_age", "op": ">=", "value": {"hours": 4}}');
TABLE counts;

--
-- 5. Intervals: must parse, working_age in hours only, never negative
--
EXECUTE bad_rule('{"fact": "age", "op": ">=", "value": "seven days"}');
EXECUTE bad_rule('{"fact": "age", "op": ">=", "value": ""}');
EXECUTE bad_rule('{"fact": "working_age", "op": ">=", "value": "2 days"}');
EXECUTE bad_rule('{"fact": "working_age", "op": ">=", "value": "1 month"}');
EXECUTE bad_rule('{"fact": "working_age", "op": ">=", "value": "1 day 4 hours"}');
EXECUTE bad_rule('{"fact": "age", "op": ">=", "value": "-1 day"}');
EXECUTE bad_rule('{"fact": "age", "op": ">", "value": "1 month -1 day"}');
EXECUTE bad_rule('{"fact": "working_age", "op": ">=", "value": "-4 hours"}');
TABLE counts;
-- (the accepted forms, as the custom suite uses them: working_age in hours, "36 hours"
--  included, and age in any unit; a zero interval is allowed: "age >= 0" is always true)
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en, enabled) VALUES
    ('cls_err', 'ok_working', 'mid', '{"fact": "working_age", "op": ">=", "value": "36 hours"}', '工时', 'working hours', false),
    ('cls_err', 'ok_age', 'mid', '{"fact": "age", "op": ">=", "value": "1 year 2 mons 3 days 04:05:06"}', '时长', 'age', false),
    ('cls_err', 'ok_zero', 'mid', '{"fact": "age", "op": ">=", "value": "0"}', '零', 'zero', false)
RETURNING name;
DELETE FROM complaint.rule WHERE policy = 'cls_err' AND name LIKE 'ok\_%';
TABLE counts;

--
-- 6. Similar complaints: a whole number from 1 to 1000, a positive window of at most 10
--    years, grouped by category and/or unit, counting complainants or complaints
--
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 0}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 1.5}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 1001}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": -3}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": "3"}');
-- every value of an in / not_in list is a count, not only the first one
EXECUTE bad_rule('{"fact": "similar", "op": "in", "value": [2, 0]}');
EXECUTE bad_rule('{"fact": "similar", "op": "not_in", "value": [1, 2.5]}');
-- (removes the rule "bad" if one of the two statements above was accepted)
DELETE FROM complaint.rule WHERE policy = 'cls_err' AND name = 'bad';
-- window
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "window": "a month"}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "window": 30}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "window": "0 days"}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "window": "-30 days"}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "window": "11 years"}');
-- by
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "by": "unit"}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "by": ["unit", "channel"]}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "by": [1]}');
-- count
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "count": "people"}');
EXECUTE bad_rule('{"fact": "similar", "op": ">=", "value": 3, "count": 3}');
-- window, by and count on a fact that is not "similar"
EXECUTE bad_rule('{"fact": "collective_size", "op": ">=", "value": 3, "window": "30 days"}');
EXECUTE bad_rule('{"fact": "facts.flag", "by": ["unit"]}');
EXECUTE bad_rule('{"fact": "age", "op": ">=", "value": "1 day", "count": "complaints"}');
TABLE counts;
-- the limits themselves are fine: 1000 complaints, a window of exactly 10 years, by []
-- (the whole policy is one cluster)
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en, enabled) VALUES
    ('cls_err', 'ok_similar', 'mid',
     '{"fact": "similar", "op": ">=", "value": 1000, "window": "10 years", "by": [], "count": "complaints"}',
     '相似', 'similar', false)
RETURNING name;
DELETE FROM complaint.rule WHERE policy = 'cls_err' AND name = 'ok_similar';

--
-- 7. Values outside the domain of their fact: category, channel, status, validity,
--    allowed values of a text fact (in "=" and in "in")
--
EXECUTE bad_rule('{"fact": "category", "op": "=", "value": "noise"}');
EXECUTE bad_rule('{"fact": "category", "op": "in", "value": ["quality", "Quality"]}');
EXECUTE bad_rule('{"fact": "channel", "op": "=", "value": "fax"}');
EXECUTE bad_rule('{"fact": "status", "op": "not_in", "value": ["closed", "done"]}');
EXECUTE bad_rule('{"fact": "validity", "op": "=", "value": "valid"}');
EXECUTE bad_rule('{"fact": "facts.kind", "op": "=", "value": "z"}');
EXECUTE bad_rule('{"fact": "facts.kind", "op": "in", "value": ["a", "B"]}');
TABLE counts;

--
-- 8. The rule row: level, kind, reasons
--
-- an unknown level (the error lists the levels of the policy, most severe first)
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
VALUES ('cls_err', 'bad', 'urgent', '{"fact": "facts.flag"}', '错', 'wrong');
-- a level of another policy is unknown here too
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
VALUES ('cls_err_lax', 'bad', 'mid', '{"fact": "facts.flag"}', '错', 'wrong');
-- a level rule without a level, a note rule with a level, an unknown kind
INSERT INTO complaint.rule (policy, name, kind, level, condition, reason_zh, reason_en)
VALUES ('cls_err', 'bad', 'level', NULL, '{"fact": "facts.flag"}', '错', 'wrong');
INSERT INTO complaint.rule (policy, name, kind, level, condition, reason_zh, reason_en)
VALUES ('cls_err', 'bad', 'note', 'high', '{"fact": "facts.flag"}', '错', 'wrong');
INSERT INTO complaint.rule (policy, name, kind, level, condition, reason_zh, reason_en)
VALUES ('cls_err', 'bad', 'alert', 'high', '{"fact": "facts.flag"}', '错', 'wrong');
-- reasons in both languages are required; so is a condition
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
VALUES ('cls_err', 'bad', 'high', '{"fact": "facts.flag"}', '错', NULL);
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
VALUES ('cls_err', 'bad', 'high', NULL, '错', 'wrong');
-- an unknown policy; a badly formed rule name
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
VALUES ('cls_nope', 'bad', 'high', '{"fact": "facts.flag"}', '错', 'wrong');
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en)
VALUES ('cls_err', 'Bad Name', 'high', '{"fact": "facts.flag"}', '错', 'wrong');
TABLE counts;
-- an UPDATE is validated like an INSERT: a rule cannot be broken afterwards
UPDATE complaint.rule SET condition = '{"fact": "facts.score", "op": ">=", "value": "5"}'
 WHERE policy = 'cls_err' AND name = 'mid_score';
UPDATE complaint.rule SET level = 'urgent' WHERE policy = 'cls_err' AND name = 'mid_score';
UPDATE complaint.rule SET kind = 'note' WHERE policy = 'cls_err' AND name = 'mid_score';
TABLE counts;

--
-- 9. Fact declarations (complaint._fact_check)
--
INSERT INTO complaint.fact (policy, key, type, name_zh, name_en) VALUES ('cls_err', 'when', 'date', '日期', 'date');
INSERT INTO complaint.fact (policy, key, type, name_zh, name_en) VALUES ('cls_err', 'Bad Key', 'boolean', '错', 'bad');
INSERT INTO complaint.fact (policy, key, type, allowed, name_zh, name_en) VALUES ('cls_err', 'n', 'number', ARRAY['1', '2'], '数', 'n');
INSERT INTO complaint.fact (policy, key, type, allowed, name_zh, name_en) VALUES ('cls_err', 'b', 'boolean', ARRAY['true'], '布尔', 'b');
INSERT INTO complaint.fact (policy, key, type, default_value, name_zh, name_en) VALUES ('cls_err', 'b', 'boolean', '"yes"', '布尔', 'b');
INSERT INTO complaint.fact (policy, key, type, default_value, name_zh, name_en) VALUES ('cls_err', 'n', 'number', '"1"', '数', 'n');
INSERT INTO complaint.fact (policy, key, type, default_value, name_zh, name_en) VALUES ('cls_err', 't', 'text', '1', '文', 't');
INSERT INTO complaint.fact (policy, key, type, allowed, default_value, name_zh, name_en) VALUES ('cls_err', 't', 'text', ARRAY['x', 'y'], '"z"', '文', 't');
-- a key declared twice
INSERT INTO complaint.fact (policy, key, type, name_zh, name_en) VALUES ('cls_err', 'flag', 'boolean', '标志', 'flag');
TABLE counts;

--
-- 10. Level declarations (complaint._level_check)
--
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('cls_err', 'top', 30, '顶', 'top');
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('cls_err', 'top', 0, '顶', 'top');
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('cls_err', 'top', 101, '顶', 'top');
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('cls_err', 'top', NULL, '顶', 'top');
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('cls_err', '1st', 45, '顶', 'top');
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en, compensation_ratio) VALUES ('cls_err', 'top', 45, '顶', 'top', -1);
UPDATE complaint.level SET rank = 20 WHERE policy = 'cls_err' AND code = 'low';
-- the boundaries 1 and 100 are fine
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES
    ('cls_err', 'r100', 100, '百', 'rank 100'), ('cls_err', 'r1', 1, '一', 'rank 1')
RETURNING code, rank;
DELETE FROM complaint.level WHERE policy = 'cls_err' AND code IN ('r100', 'r1');
TABLE counts;

--
-- 11. The facts of a complaint (classify.c, pgc_check_facts)
--
-- an undeclared key on a strict policy (the error lists the declared facts)
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('cls_err', '2025-05-07 10:00', 'x', '{"collective": "many"}');
-- a wrong type, for each type of fact
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('cls_err', '2025-05-07 10:00', 'x', '{"flag": "yes"}');
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('cls_err', '2025-05-07 10:00', 'x', '{"score": "7"}');
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('cls_err', '2025-05-07 10:00', 'x', '{"remark": ["a"]}');
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('cls_err', '2025-05-07 10:00', 'x', '{"flag": {"v": true}}');
-- a value outside the allowed ones (case matters)
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('cls_err', '2025-05-07 10:00', 'x', '{"kind": "A"}');
-- facts that are not an object
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('cls_err', '2025-05-07 10:00', 'x', '[]');
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('cls_err', '2025-05-07 10:00', 'x', 'true');
-- the same checks on UPDATE
UPDATE complaint.complaint SET facts = '{"flag": 1}' WHERE policy = 'cls_err' AND subject = 'first';
UPDATE complaint.complaint SET facts = '{"typo": true}' WHERE policy = 'cls_err' AND subject = 'first';
TABLE counts;
-- null stands for "not given" (the default applies): accepted
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('cls_err', '2025-05-07 10:00', 'null facts', '{"flag": null, "kind": null}')
RETURNING level, facts;
-- strict_facts = false: an undeclared key is kept unchecked, a declared one is still checked
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('cls_err_lax', '2025-05-07 10:00', 'lax', '{"collective": "many", "flag": true}')
RETURNING level, facts;
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('cls_err_lax', '2025-05-07 10:00', 'lax', '{"collective": "many", "flag": "yes"}');
TABLE counts;

--
-- 12. A level that is not one of the policy's, on INSERT and on UPDATE; clearing a level
--
INSERT INTO complaint.complaint (policy, received_at, subject, level) VALUES ('cls_err', '2025-05-07 10:00', 'x', 'urgent');
INSERT INTO complaint.complaint (policy, received_at, subject, level) VALUES ('cls_err', '2025-05-07 10:00', 'x', 'High');
UPDATE complaint.complaint SET level = 'urgent' WHERE policy = 'cls_err' AND subject = 'first';
UPDATE complaint.complaint SET level = NULL WHERE policy = 'cls_err' AND subject = 'first';
TABLE counts;
SELECT subject, level FROM complaint.complaint WHERE policy LIKE 'cls\_err%' ORDER BY id;

--
-- 13. complaint.classify() needs a complaint of an existing policy
--
SELECT * FROM complaint.classify(ROW(NULL, NULL, 'cls_nope', now(), 'phone', NULL, 'x', NULL, NULL, NULL, NULL,
       NULL, NULL, 1, NULL, '{}', NULL, 'new', NULL, NULL, 0, NULL, NULL, NULL, NULL, now(), now(), '{}', NULL)::complaint.complaint);
SELECT * FROM complaint.classify(ROW(NULL, NULL, 'cls_err', NULL, 'phone', NULL, 'x', NULL, NULL, NULL, NULL,
       NULL, NULL, 1, NULL, '{}', NULL, 'new', NULL, NULL, 0, NULL, NULL, NULL, NULL, now(), now(), '{}', NULL)::complaint.complaint,
       '2025-05-08');
-- a NULL complaint or as_of: NULL (the function is strict)
SELECT * FROM complaint.classify(NULL::complaint.complaint);
SELECT (complaint.classify(c, NULL)).* FROM complaint.complaint c WHERE policy = 'cls_err' AND subject = 'first';

--
-- 14. Changing or deleting what a rule reads or complaints use
--
-- a level complaints have (refused, 23503); a level a rule names (the foreign key of rule)
DELETE FROM complaint.level WHERE policy = 'cls_err' AND code = 'mid';
DELETE FROM complaint.level WHERE policy = 'cls_err' AND code = 'high';
-- a category complaints use
DELETE FROM complaint.category WHERE policy = 'cls_err' AND code = 'service';
TABLE counts;
-- A fact a rule reads, the type of such a fact, a category a rule reads: each change is
-- refused and the error names the rule (complaint._rules_revalidate re-checks every rule of
-- the policy).  First in a session that has just classified a complaint of the policy, so
-- that it holds a compiled copy: the check must see the change, not that copy.  Each case
-- in a transaction that is rolled back, so that a wrongly accepted change does not stay.
BEGIN;
SELECT (complaint.classify(c, '2025-05-07')).level FROM complaint.complaint c WHERE policy = 'cls_err' AND subject = 'first';
DELETE FROM complaint.fact WHERE policy = 'cls_err' AND key = 'score';
ROLLBACK;
BEGIN;
SELECT (complaint.classify(c, '2025-05-07')).level FROM complaint.complaint c WHERE policy = 'cls_err' AND subject = 'first';
UPDATE complaint.fact SET type = 'text', default_value = NULL WHERE policy = 'cls_err' AND key = 'score';
ROLLBACK;
BEGIN;
SELECT (complaint.classify(c, '2025-05-07')).level FROM complaint.complaint c WHERE policy = 'cls_err' AND subject = 'first';
DELETE FROM complaint.category WHERE policy = 'cls_err' AND code = 'quality';
ROLLBACK;
TABLE counts;
-- what nothing uses goes: the spare fact, the spare category, the spare level; the
-- policy still classifies afterwards
DELETE FROM complaint.fact WHERE policy = 'cls_err' AND key = 'spare_fact';
DELETE FROM complaint.category WHERE policy = 'cls_err' AND code = 'spare';
DELETE FROM complaint.level WHERE policy = 'cls_err' AND code = 'spare_level';
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('cls_err', '2025-05-07 12:00', 'still works', '{"score": 7}')
RETURNING level, level_reasons;
TABLE counts;
-- The same three changes in a new session (no compiled copy of the policy yet); a new
-- session has no temporary view, so the counts are read directly.
\c -
SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
DELETE FROM complaint.fact WHERE policy = 'cls_err' AND key = 'score';
UPDATE complaint.fact SET type = 'text', default_value = NULL WHERE policy = 'cls_err' AND key = 'score';
DELETE FROM complaint.category WHERE policy = 'cls_err' AND code = 'quality';
SELECT (SELECT count(*) FROM complaint.fact WHERE policy = 'cls_err') AS facts,
       (SELECT count(*) FROM complaint.fact WHERE policy = 'cls_err' AND key = 'score' AND type = 'number') AS score_is_number,
       (SELECT count(*) FROM complaint.category WHERE policy = 'cls_err') AS categories;
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('cls_err', '2025-05-07 13:00', 'and still works', '{"score": 7}')
RETURNING level;
