SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- classify_custom: a policy written from scratch with INSERTs alone (its own business
-- calendar, taxonomy, ordered levels, typed facts with defaults and allowed values, rules
-- in the whole rule language), complaints that exercise each rule, complaint.classify(c,
-- as_of) on stored rows at several times, and the compiled policy following every change
-- of its rows (rule updated, deleted, disabled, added; a change rolled back).
-- Policy of this file: cls_shop (prefix CS), calendar cls_tokyo.
--
\set SHOW_CONTEXT never
-- the reason of a raise names the complaint that reached the threshold; its ref carries the
-- month of receipt, which follows the clock for complaints dated relative to now()
CREATE FUNCTION pg_temp.mask_ref(t text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT regexp_replace(t, '\[raised with ([A-Z0-9]+)-[0-9]{6}-([0-9]+)\]', '[raised with \1-YYYYMM-NNNNN]', 'g') $$;
CREATE TEMP VIEW lv AS
SELECT c.id, c.subject, c.level, pg_temp.mask_ref(array_to_string(c.level_reasons, ' | ')) AS reasons
  FROM complaint.complaint c WHERE c.policy = 'cls_shop';

--
-- 1. The policy, as rows
--
-- a calendar of its own: Asia/Tokyo (UTC+9, no daylight saving time), Monday to Friday
-- 09:00-17:00 (8 working hours a day); Thursday 2025-03-20 is a holiday
INSERT INTO complaint.calendar (name, tz) VALUES ('cls_tokyo', 'Asia/Tokyo');
INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
SELECT 'cls_tokyo', d, '09:00', '17:00' FROM generate_series(1, 5) d;
INSERT INTO complaint.calendar_day (calendar, day, is_workday) VALUES ('cls_tokyo', '2025-03-20', false);
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('cls_shop', '网店投诉办法', 'Web shop complaints', 'cls_tokyo', 'CS');
-- taxonomy: a sub-category, and two categories that imply a validity
INSERT INTO complaint.category (policy, code, name_zh, name_en, parent, validity) VALUES
    ('cls_shop', 'product', '商品', 'Product', NULL, NULL),
    ('cls_shop', 'delivery', '配送', 'Delivery', NULL, NULL),
    ('cls_shop', 'delivery_late', '配送延迟', 'Late delivery', 'delivery', NULL),
    ('cls_shop', 'billing', '账单', 'Billing', NULL, NULL),
    ('cls_shop', 'spam', '垃圾信息', 'Spam', NULL, 'invalid'),
    ('cls_shop', 'idea', '建议', 'Idea', NULL, 'suggestion');
-- levels: the rank orders them (higher is more severe); low, the least severe, is the default
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en, compensation_ratio) VALUES
    ('cls_shop', 'low', 10, '低', 'low', NULL),
    ('cls_shop', 'medium', 20, '中', 'medium', NULL),
    ('cls_shop', 'high', 30, '高', 'high', 2),
    ('cls_shop', 'critical', 40, '危急', 'critical', 5);
-- facts of each type, with and without a default, a text with allowed values, a free text
INSERT INTO complaint.fact (policy, key, type, allowed, default_value, name_zh, name_en) VALUES
    ('cls_shop', 'injury', 'boolean', NULL, 'false', '人身伤害', 'someone was hurt'),
    ('cls_shop', 'vip', 'boolean', NULL, NULL, '贵宾', 'VIP customer'),
    ('cls_shop', 'refund', 'number', NULL, '0', '退款金额', 'refund asked'),
    ('cls_shop', 'severity', 'text', ARRAY['minor', 'major', 'fatal'], '"minor"', '严重程度', 'severity'),
    ('cls_shop', 'store', 'text', NULL, NULL, '门店', 'store');
-- the rules: all / any / not, in / not_in, exists / not_exists, =, !=, >, >=, boolean,
-- number and text facts, columns, age, working_age, unresolved, similar complaints with
-- their own window, grouping and counting, and two notes
INSERT INTO complaint.rule (policy, name, kind, level, condition, reason_zh, reason_en) VALUES
    ('cls_shop', 'critical_injury', 'level', 'critical', '{"fact": "facts.injury"}',
     '人身伤害', 'someone was hurt'),
    ('cls_shop', 'critical_fatal', 'level', 'critical',
     '{"all": [{"fact": "facts.severity", "op": "=", "value": "fatal"},
               {"not": {"fact": "validity", "op": "in", "value": ["invalid", "suggestion"]}}]}',
     '致命缺陷', 'fatal defect'),
    ('cls_shop', 'high_money', 'level', 'high',
     '{"any": [{"fact": "facts.refund", "op": ">", "value": 500}, {"fact": "amount", "op": ">=", "value": 1000}]}',
     '金额大', 'large amount'),
    ('cls_shop', 'high_repeat', 'level', 'high',
     '{"fact": "similar", "op": ">=", "value": 2, "window": "2 hours", "by": ["unit"], "count": "complaints"}',
     '同一门店两小时内两起', 'two complaints about one unit within two hours'),
    ('cls_shop', 'high_slow', 'level', 'high',
     '{"all": [{"fact": "unresolved"}, {"fact": "working_age", "op": ">=", "value": "16 hours"}]}',
     '两个工作日未解决', 'unresolved after two working days'),
    ('cls_shop', 'medium_public', 'level', 'medium',
     '{"all": [{"fact": "channel", "op": "in", "value": ["forum", "review"]},
               {"fact": "category", "op": "not_in", "value": ["spam", "idea"]}]}',
     '公开渠道', 'posted in public'),
    ('cls_shop', 'medium_vip', 'level', 'medium', '{"fact": "facts.vip", "value": true}',
     '贵宾', 'VIP customer'),
    ('cls_shop', 'medium_severity', 'level', 'medium', '{"fact": "facts.severity", "op": "!=", "value": "minor"}',
     '缺陷较重', 'more than a minor defect'),
    ('cls_shop', 'medium_old', 'level', 'medium',
     '{"all": [{"fact": "age", "op": ">", "value": "3 days"},
               {"fact": "status", "op": "not_in", "value": ["accepted", "follow_up", "closed", "rejected"]}]}',
     '超过三天', 'older than three days'),
    ('cls_shop', 'note_anonymous', 'note', NULL, '{"fact": "complainant", "op": "not_exists"}',
     '匿名，无法回访', 'anonymous: no call-back possible'),
    ('cls_shop', 'note_store', 'note', NULL,
     '{"all": [{"fact": "facts.store", "op": "exists"}, {"fact": "facts.store", "op": "!=", "value": "online"}]}',
     '门店投诉', 'complaint about a store');
SELECT r.name, r.kind, r.level, l.rank FROM complaint.rule r LEFT JOIN complaint.level l ON (l.policy, l.code) = (r.policy, r.level)
 WHERE r.policy = 'cls_shop' ORDER BY l.rank DESC NULLS LAST, r.name;

--
-- 2. The rules one by one, at receipt. These complaints are received now (no age rule
--    applies yet), have a complainant (no note_anonymous) and no unit (no similar ones).
--
INSERT INTO complaint.complaint (policy, subject, complainant, channel, category, amount, facts) VALUES
    -- critical_injury: a boolean fact; false is the default
    ('cls_shop', 'injury', 'K', 'phone', NULL, NULL, '{"injury": true}'),
    ('cls_shop', 'no injury', 'K', 'phone', NULL, NULL, '{"injury": false}'),
    -- critical_fatal: a text fact and a "not" of a column "in" a list; a fatal defect of a
    -- spam complaint (validity invalid, set from its category) is not critical, but still
    -- more than minor (medium_severity)
    ('cls_shop', 'fatal', 'K', 'phone', 'product', NULL, '{"severity": "fatal"}'),
    ('cls_shop', 'fatal spam', 'K', 'phone', 'spam', NULL, '{"severity": "fatal"}'),
    -- high_money: a number fact with a default of 0 (> 500) or a number column (>= 1000)
    ('cls_shop', 'refund 501', 'K', 'phone', NULL, NULL, '{"refund": 501}'),
    ('cls_shop', 'refund 500', 'K', 'phone', NULL, NULL, '{"refund": 500}'),
    ('cls_shop', 'amount 1000', 'K', 'phone', NULL, 1000, '{}'),
    ('cls_shop', 'amount 999.99', 'K', 'phone', NULL, 999.99, '{}'),
    -- medium_public: channel in (forum, review) and category not_in (spam, idea); a missing
    -- category is "not in" the list
    ('cls_shop', 'forum product', 'K', 'forum', 'product', NULL, '{}'),
    ('cls_shop', 'review idea', 'K', 'review', 'idea', NULL, '{}'),
    ('cls_shop', 'forum no category', 'K', 'forum', NULL, NULL, '{}'),
    ('cls_shop', 'phone product', 'K', 'phone', 'product', NULL, '{}'),
    -- medium_vip: a boolean fact without default; missing is not true
    ('cls_shop', 'vip', 'K', 'phone', NULL, NULL, '{"vip": true}'),
    ('cls_shop', 'not vip', 'K', 'phone', NULL, NULL, '{"vip": false}'),
    ('cls_shop', 'vip unknown', 'K', 'phone', NULL, NULL, '{}'),
    -- medium_severity: != on a text fact with a default ("minor")
    ('cls_shop', 'major defect', 'K', 'phone', NULL, NULL, '{"severity": "major"}'),
    ('cls_shop', 'minor defect', 'K', 'phone', NULL, NULL, '{"severity": "minor"}'),
    -- the notes: no complainant (not_exists), a store other than "online" (exists and !=)
    ('cls_shop', 'anonymous', NULL, 'phone', NULL, NULL, '{}'),
    ('cls_shop', 'store Shibuya', 'K', 'phone', NULL, NULL, '{"store": "Shibuya"}'),
    ('cls_shop', 'store online', 'K', 'phone', NULL, NULL, '{"store": "online"}'),
    -- several rules: the most severe level with the reasons of its rules (by rule name),
    -- then every note; the rules of lower levels are not listed
    ('cls_shop', 'everything', NULL, 'forum', 'product', 2000, '{"injury": true, "severity": "fatal", "vip": true, "store": "Ueno"}'),
    ('cls_shop', 'two mediums', 'K', 'review', 'delivery_late', NULL, '{"vip": true}');
SELECT subject, level, reasons FROM lv ORDER BY id;

--
-- 3. complaint.classify(c, as_of) on a stored complaint at several times: received
--    Wednesday 2025-03-19 16:00 in Tokyo. medium_old: age > 3 days, i.e. after Saturday
--    16:00. high_slow: 16 working hours: Wed 16-17 (1), Thu is a holiday, Fri 9-17 (8),
--    Mon 9-16 (7) -> Monday 2025-03-24 16:00 Tokyo.
--
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit, handler)
VALUES ('cls_shop', '2025-03-19 16:00+09', 'timed', 'T', 'Store 1', 'Sato');
CREATE TEMP TABLE as_of (label text, t timestamptz);
INSERT INTO as_of VALUES
    ('at receipt (Wed 16:00)', '2025-03-19 16:00+09'),
    ('Thu 16:00 (holiday)', '2025-03-20 16:00+09'),
    ('Sat 16:00 (3 days)', '2025-03-22 16:00+09'),
    ('Sat 16:00:01', '2025-03-22 16:00:01+09'),
    ('Mon 15:59:59', '2025-03-24 15:59:59+09'),
    ('Mon 16:00 (16 wh)', '2025-03-24 16:00+09'),
    ('a year later', '2026-03-19 16:00+09');
SELECT a.label, (complaint.classify(c, a.t)).level
  FROM complaint.complaint c, as_of a WHERE c.subject = 'timed' ORDER BY a.t;
-- the reasons show the working hours and the receipt (in the session's time zone)
SELECT unnest((complaint.classify(c, '2025-03-24 16:00+09')).reasons) AS reasons
  FROM complaint.complaint c WHERE c.subject = 'timed';
-- the session's time zone changes nothing (the calendar's zone counts)
SET timezone = 'America/New_York';
SELECT a.label, (complaint.classify(c, a.t)).level
  FROM complaint.complaint c, as_of a WHERE c.subject = 'timed' ORDER BY a.t;
SET timezone = 'Asia/Shanghai';
-- resolved (accepted, follow_up, closed) or rejected: neither rule fires (high_slow reads
-- unresolved; medium_old has its own status list)
SELECT s.status, (complaint.classify(jsonb_populate_record(c, jsonb_build_object('status', s.status)), '2025-03-24 16:00+09')).level
  FROM complaint.complaint c, (VALUES ('new'), ('investigating'), ('accepted'), ('follow_up'), ('closed'), ('rejected')) s(status)
 WHERE c.subject = 'timed' ORDER BY 1;
-- the stored complaint itself: inserted long after 2025, so the trigger classified it as of
-- its insertion (high_slow, the more severe of the two age rules)
SELECT subject, level, split_part(reasons, ' (', 1) AS rules FROM lv WHERE subject = 'timed';

--
-- 4. Similar complaints of this policy: at least 2 complaints (not complainants) about the
--    same unit (any category) within 2 hours. Receipt times relative to t0 (an hour ago,
--    fixed once), so that no age rule applies to any of them.
--
SELECT now() - interval '1 hour' AS t0 \gset
-- the same complainant twice counts twice; exactly 2 hours before counts; the earlier
-- one is raised (low -> high)
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit, category) VALUES
    ('cls_shop', :'t0'::timestamptz - interval '2 hours', 'U7 first', 'K1', 'Store 7', 'product');
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit, category) VALUES
    ('cls_shop', :'t0', 'U7 again', 'K1', 'Store 7', 'product');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'U7 %' ORDER BY id;
SELECT c.subject, e.kind, e.detail ->> 'from' AS from_level, e.detail ->> 'to' AS to_level
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.policy = 'cls_shop' AND c.subject LIKE 'U7 %' AND e.kind = 'level' ORDER BY e.id;
-- 2 hours and 1 second before does not count
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit) VALUES
    ('cls_shop', :'t0'::timestamptz - interval '2 hours 1 second', 'U8 first', 'K3', 'Store 8');
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit) VALUES
    ('cls_shop', :'t0', 'U8 second', 'K4', 'Store 8');
SELECT subject, level FROM lv WHERE subject LIKE 'U8 %' ORDER BY id;
-- a complaint without complainant does not count, even when complaints are counted
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit) VALUES
    ('cls_shop', :'t0'::timestamptz - interval '1 hour', 'U9 anonymous', NULL, 'Store 9');
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit) VALUES
    ('cls_shop', :'t0', 'U9 named', 'K5', 'Store 9');
SELECT subject, level FROM lv WHERE subject LIKE 'U9 %' ORDER BY id;
-- grouped by unit only: another category of the same unit counts, the same category at
-- another unit does not
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit, category) VALUES
    ('cls_shop', :'t0'::timestamptz - interval '30 minutes', 'U10 product', 'K6', 'Store 10', 'product'),
    ('cls_shop', :'t0'::timestamptz - interval '30 minutes', 'U11 billing', 'K7', 'Store 11', 'billing');
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit, category) VALUES
    ('cls_shop', :'t0', 'U10 billing', 'K7', 'Store 10', 'billing');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'U1_ %' ORDER BY id;
-- a similar-complaint condition inside "any": when the cluster reaches the threshold, its
-- open earlier complaints are raised (CONTRACT section 8), also when another branch of the
-- "any" holds for the new complaint. (high_repeat is disabled meanwhile, so that only the
-- rule under test can raise.)
UPDATE complaint.rule SET enabled = false WHERE policy = 'cls_shop' AND name = 'high_repeat';
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en) VALUES
    ('cls_shop', 'high_refund_or_repeat', 'high',
     '{"any": [{"fact": "facts.refund", "op": ">", "value": 500},
               {"fact": "similar", "op": ">=", "value": 2, "window": "2 hours", "by": ["unit"], "count": "complaints"}]}',
     '退款大或重复', 'large refund or repeated complaint');
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit) VALUES
    ('cls_shop', :'t0'::timestamptz - interval '1 hour', 'U12 first', 'K8', 'Store 12'),
    ('cls_shop', :'t0'::timestamptz - interval '1 hour', 'U13 first', 'K8', 'Store 13');
-- Store 12: the second complaint holds through the similar branch; Store 13: through the
-- refund (and the similar branch holds as well): both first complaints are raised
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, unit, facts) VALUES
    ('cls_shop', :'t0', 'U12 second', 'K9', 'Store 12', '{}'),
    ('cls_shop', :'t0', 'U13 second, refund 600', 'K9', 'Store 13', '{"refund": 600}');
SELECT subject, level FROM lv WHERE subject LIKE 'U12 %' OR subject LIKE 'U13 %' ORDER BY id;
DELETE FROM complaint.rule WHERE policy = 'cls_shop' AND name = 'high_refund_or_repeat';
UPDATE complaint.rule SET enabled = true WHERE policy = 'cls_shop' AND name = 'high_repeat';

--
-- 5. The compiled policy follows every change of its rows, at the next statement
--
-- 5.1 a threshold changed: refund > 500 becomes refund > 100
INSERT INTO complaint.complaint (policy, subject, complainant, facts) VALUES ('cls_shop', 'refund 200 before', 'K', '{"refund": 200}');
UPDATE complaint.rule SET condition = '{"any": [{"fact": "facts.refund", "op": ">", "value": 100}, {"fact": "amount", "op": ">=", "value": 1000}]}'
 WHERE policy = 'cls_shop' AND name = 'high_money';
INSERT INTO complaint.complaint (policy, subject, complainant, facts) VALUES ('cls_shop', 'refund 200 after', 'K', '{"refund": 200}');
-- the earlier complaint keeps its stored level (rules are not re-run on stored rows), but
-- classify() gives it the new one
SELECT l.subject, l.level, (complaint.classify(c)).level AS classify_now
  FROM lv l JOIN complaint.complaint c USING (id) WHERE l.subject LIKE 'refund 200 %' ORDER BY id;
-- 5.2 a change rolled back is forgotten: in the transaction the threshold is 1000, after
-- the rollback it is 100 again
BEGIN;
UPDATE complaint.rule SET condition = '{"fact": "facts.refund", "op": ">", "value": 1000}'
 WHERE policy = 'cls_shop' AND name = 'high_money';
INSERT INTO complaint.complaint (policy, subject, complainant, facts) VALUES ('cls_shop', 'refund 300 in transaction', 'K', '{"refund": 300}')
RETURNING subject, level;
ROLLBACK;
INSERT INTO complaint.complaint (policy, subject, complainant, facts) VALUES ('cls_shop', 'refund 300 after rollback', 'K', '{"refund": 300}')
RETURNING subject, level;
-- 5.3 a rule disabled, then enabled again
UPDATE complaint.rule SET enabled = false WHERE policy = 'cls_shop' AND name = 'critical_injury';
INSERT INTO complaint.complaint (policy, subject, complainant, facts) VALUES ('cls_shop', 'injury, rule disabled', 'K', '{"injury": true}')
RETURNING subject, level, level_reasons;
UPDATE complaint.rule SET enabled = true WHERE policy = 'cls_shop' AND name = 'critical_injury';
INSERT INTO complaint.complaint (policy, subject, complainant, facts) VALUES ('cls_shop', 'injury, rule enabled', 'K', '{"injury": true}')
RETURNING subject, level, level_reasons;
-- 5.4 a rule deleted
DELETE FROM complaint.rule WHERE policy = 'cls_shop' AND name = 'medium_vip';
INSERT INTO complaint.complaint (policy, subject, complainant, facts) VALUES ('cls_shop', 'vip, rule deleted', 'K', '{"vip": true}')
RETURNING subject, level, level_reasons;
-- 5.5 a rule moved to another level, a note's text changed
UPDATE complaint.rule SET level = 'high' WHERE policy = 'cls_shop' AND name = 'medium_severity';
UPDATE complaint.rule SET reason_en = 'complaint about a physical store' WHERE policy = 'cls_shop' AND name = 'note_store';
INSERT INTO complaint.complaint (policy, subject, complainant, facts) VALUES ('cls_shop', 'major defect, rule moved', 'K', '{"severity": "major", "store": "Ginza"}')
RETURNING subject, level, level_reasons;
-- 5.6 a new fact, a new category and a new rule reading both, in one transaction; the rule
-- applies to the next complaint of the same transaction
BEGIN;
INSERT INTO complaint.fact (policy, key, type, name_zh, name_en) VALUES ('cls_shop', 'repeat_buyer', 'boolean', '回头客', 'repeat buyer');
INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES ('cls_shop', 'returns', '退货', 'Returns');
INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en) VALUES
    ('cls_shop', 'medium_returns', 'medium',
     '{"all": [{"fact": "category", "op": "=", "value": "returns"}, {"fact": "facts.repeat_buyer"}]}',
     '回头客退货', 'a repeat buyer returns goods');
INSERT INTO complaint.complaint (policy, subject, complainant, category, facts) VALUES
    ('cls_shop', 'returns, repeat buyer', 'K', 'returns', '{"repeat_buyer": true}')
RETURNING subject, level, level_reasons;
COMMIT;
-- 5.7 a fact's default changed: injury now defaults to true
UPDATE complaint.fact SET default_value = 'true' WHERE policy = 'cls_shop' AND key = 'injury';
INSERT INTO complaint.complaint (policy, subject, complainant) VALUES ('cls_shop', 'injury by default', 'K')
RETURNING subject, level, level_reasons;
UPDATE complaint.fact SET default_value = 'false' WHERE policy = 'cls_shop' AND key = 'injury';
-- 5.8 a new most severe level, and a rule moved to it
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('cls_shop', 'emergency', 50, '紧急', 'emergency');
UPDATE complaint.rule SET level = 'emergency' WHERE policy = 'cls_shop' AND name = 'critical_injury';
INSERT INTO complaint.complaint (policy, subject, complainant, facts) VALUES ('cls_shop', 'injury, emergency', 'K', '{"injury": true}')
RETURNING subject, level, level_reasons;
-- 5.9 the least severe level is the default: a new level below "low" becomes it
INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES ('cls_shop', 'info', 1, '信息', 'for information');
INSERT INTO complaint.complaint (policy, subject, complainant) VALUES ('cls_shop', 'nothing at all', 'K')
RETURNING subject, level, level_reasons;
SELECT code, rank, compensation_ratio FROM complaint.level WHERE policy = 'cls_shop' ORDER BY rank DESC;
