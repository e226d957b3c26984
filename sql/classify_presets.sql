SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- classify_presets: the five bundled policies (POLICIES.md, CONTRACT sections 3, 7 and 8),
-- installed with complaint.install_preset(), and one test per classification rule of each,
-- at the rule and at its boundary; the level only rises by itself, a hand-set level.
-- Output never depends on the clock: complaints of the property preset (whose rules read
-- the age) are either received relative to now() with only their level printed, or
-- classified with complaint.classify(c, as_of) at an explicit as_of.
--
\set SHOW_CONTEXT never
-- the reason of a raise names the complaint that reached the threshold; its ref carries the
-- month of receipt, which follows the clock for complaints dated relative to now()
CREATE FUNCTION pg_temp.mask_ref(t text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT regexp_replace(t, '\[raised with ([A-Z0-9]+)-[0-9]{6}-([0-9]+)\]', '[raised with \1-YYYYMM-NNNNN]', 'g') $$;
-- lists of complaints by subject: level and reasons (one line, reasons separated by " | ")
CREATE TEMP VIEW lv AS
SELECT c.id, c.policy, c.subject, c.level, pg_temp.mask_ref(array_to_string(c.level_reasons, ' | ')) AS reasons
  FROM complaint.complaint c;
-- try(sql): 'ok', or SQLSTATE and message (to show the SQLSTATE of an error)
CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
    msg text;
BEGIN
    EXECUTE sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ': ' || msg;
END
$$;
-- rows of the five presets, per policy and table
CREATE TEMP VIEW preset_rows AS
SELECT p.code,
       (SELECT count(*) FROM complaint.category c WHERE c.policy = p.code) AS categories,
       (SELECT count(*) FROM complaint.level l WHERE l.policy = p.code) AS levels,
       (SELECT count(*) FROM complaint.fact f WHERE f.policy = p.code) AS facts,
       (SELECT count(*) FROM complaint.rule r WHERE r.policy = p.code) AS rules
  FROM complaint.policy p
 WHERE p.code IN ('property', 'fuel_retail', 'food', 'after_sales', 'gift_supply');

--
-- 1. install_preset: each of the five once, then all again (nothing added), then a name
--    that is not a preset (refused, nothing installed)
--
TABLE preset_rows;
SELECT complaint.install_preset('property');
SELECT complaint.install_preset('fuel_retail');
SELECT complaint.install_preset('food');
SELECT complaint.install_preset('after_sales');
SELECT complaint.install_preset('gift_supply');
SELECT * FROM preset_rows ORDER BY code;
CREATE TEMP TABLE rows_once AS
SELECT 'policy' AS tbl, to_jsonb(x) AS row FROM complaint.policy x
UNION ALL SELECT 'category', to_jsonb(x) FROM complaint.category x
UNION ALL SELECT 'level', to_jsonb(x) FROM complaint.level x
UNION ALL SELECT 'fact', to_jsonb(x) FROM complaint.fact x
UNION ALL SELECT 'rule', to_jsonb(x) FROM complaint.rule x;
-- idempotent: a second call of each returns its name and adds (or changes) no row
SELECT complaint.install_preset(p) FROM unnest(ARRAY['property', 'fuel_retail', 'food', 'after_sales', 'gift_supply']) p;
CREATE TEMP VIEW rows_now AS
SELECT 'policy' AS tbl, to_jsonb(x) AS row FROM complaint.policy x
UNION ALL SELECT 'category', to_jsonb(x) FROM complaint.category x
UNION ALL SELECT 'level', to_jsonb(x) FROM complaint.level x
UNION ALL SELECT 'fact', to_jsonb(x) FROM complaint.fact x
UNION ALL SELECT 'rule', to_jsonb(x) FROM complaint.rule x;
SELECT (SELECT count(*) FROM rows_now) = (SELECT count(*) FROM rows_once) AS same_count,
       NOT EXISTS (SELECT * FROM rows_now EXCEPT SELECT * FROM rows_once) AS same_rows;
-- unknown names: refused before anything is written (22023)
SELECT complaint.install_preset('retail');
SELECT complaint.install_preset('Property');
SELECT complaint.install_preset(NULL);
SELECT pg_temp.try($$SELECT complaint.install_preset('retail')$$);
SELECT (SELECT count(*) FROM rows_now) = (SELECT count(*) FROM rows_once) AS same_count,
       NOT EXISTS (SELECT * FROM rows_now EXCEPT SELECT * FROM rows_once) AS same_rows;
-- the rules of each preset, in the order the classifier tries them (most severe level first)
SELECT r.policy, r.name, r.kind, r.level, r.enabled
  FROM complaint.rule r LEFT JOIN complaint.level l ON l.policy = r.policy AND l.code = r.level
 WHERE r.policy IN ('property', 'fuel_retail', 'food', 'after_sales', 'gift_supply')
 ORDER BY r.policy, l.rank DESC NULLS LAST, r.name;

--
-- 2. property (万科): major > hot > important > general
--
-- Complaints of 2.1 to 2.6 have no complainant (they never count as similar complaints)
-- and are received now (no age rule applies yet).
--
-- 2.1 major_lawsuit: a lawsuit filed is major; lawsuit_filed false (the default) is not
INSERT INTO complaint.complaint (policy, subject, facts) VALUES
    ('property', 'P lawsuit', '{"lawsuit_filed": true}'),
    ('property', 'P no lawsuit', '{"lawsuit_filed": false}'),
    ('property', 'P nothing', '{}');
SELECT subject, level, reasons FROM lv WHERE subject IN ('P lawsuit', 'P no lawsuit', 'P nothing') ORDER BY id;
-- 2.2 major_media: exposed by media is major; media_exposed false is general
INSERT INTO complaint.complaint (policy, subject, facts) VALUES
    ('property', 'P media', '{"media_exposed": true}'),
    ('property', 'P no media', '{"media_exposed": false}');
SELECT subject, level, reasons FROM lv WHERE subject IN ('P media', 'P no media') ORDER BY id;
-- 2.3 collective complaints: 10 or more people are major (major_collective), 9 are hot
--     (hot_collective: 3 or more), 3 are hot, 2 are general
INSERT INTO complaint.complaint (policy, subject, collective_size) VALUES
    ('property', 'P 10 people', 10), ('property', 'P 9 people', 9),
    ('property', 'P 3 people', 3), ('property', 'P 2 people', 2);
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'P _ people' OR subject = 'P 10 people' ORDER BY id;
-- 2.4 hot_risk: may lead to a lawsuit or media exposure is hot
INSERT INTO complaint.complaint (policy, subject, facts) VALUES
    ('property', 'P risk', '{"legal_or_media_risk": true}'),
    ('property', 'P no risk', '{"legal_or_media_risk": false}');
SELECT subject, level, reasons FROM lv WHERE subject IN ('P risk', 'P no risk') ORDER BY id;
-- 2.5 important_support: needing a consultant or another company is important
INSERT INTO complaint.complaint (policy, subject, facts) VALUES
    ('property', 'P support', '{"needs_external_support": true}'),
    ('property', 'P no support', '{"needs_external_support": false}');
SELECT subject, level, reasons FROM lv WHERE subject IN ('P support', 'P no support') ORDER BY id;
-- 2.6 several rules: the most severe level wins, with the reasons of that level only
--     (lawsuit and media: both major reasons; the hot and important rules are not listed)
INSERT INTO complaint.complaint (policy, subject, collective_size, facts) VALUES
    ('property', 'P everything', 3, '{"lawsuit_filed": true, "media_exposed": true, "legal_or_media_risk": true, "needs_external_support": true}');
SELECT subject, level, reasons FROM lv WHERE subject = 'P everything';

-- 2.7 age rules (major_unresolved_month, hot_unresolved_week), with classify(c, as_of) on a
--     stored complaint received 2025-01-31 10:00 (+08): one month later is 2025-02-28
--     10:00 (interval '1 month' clamps to the end of February). caused_by_us defaults to
--     true. Unresolved = not accepted, follow_up or closed (CONTRACT section 8).
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler)
VALUES ('property', '2025-01-31 10:00', 'P age', 'Tower 9', 'Wu');
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('property', '2025-01-31 10:00', 'P age not ours', '{"caused_by_us": false}');
SELECT v.label, v.as_of, (complaint.classify(c, v.as_of)).level
  FROM complaint.complaint c,
       (VALUES ('at receipt', timestamptz '2025-01-31 10:00'),
               ('7 days - 1 s', '2025-02-07 09:59:59'),
               ('7 days', '2025-02-07 10:00'),
               ('1 month - 1 s', '2025-02-28 09:59:59'),
               ('1 month', '2025-02-28 10:00'),
               ('1 year', '2026-01-31 10:00')) v(label, as_of)
 WHERE c.subject = 'P age'
 ORDER BY v.as_of;
-- the reasons name the rule and the time of receipt
SELECT (complaint.classify(c, '2025-02-07 10:00')).reasons AS week,
       (complaint.classify(c, '2025-02-28 10:00')).reasons AS month
  FROM complaint.complaint c WHERE c.subject = 'P age';
-- caused_by_us false: neither age rule fires, not even a year later
SELECT (complaint.classify(c, '2025-02-07 10:00')).level AS week,
       (complaint.classify(c, '2025-02-28 10:00')).level AS month,
       (complaint.classify(c, '2026-01-31 10:00')).level AS year
  FROM complaint.complaint c WHERE c.subject = 'P age not ours';
-- each status, a month after receipt: accepted, follow_up and closed are resolved, and a
-- rejected complaint (ruled invalid or a suggestion) is not left unresolved by us either (the
-- stored row with only its status replaced)
SELECT s.status, (complaint.classify(jsonb_populate_record(c, jsonb_build_object('status', s.status)),
                                     '2025-02-28 10:00')).level
  FROM complaint.complaint c, unnest(enum_range(NULL::complaint.status)) s(status)
 WHERE c.subject = 'P age'
 ORDER BY s.status;
-- and the stored complaint walked to accepted, then closed: general by the rules a month
-- (and a year) later, while its stored level stays what it reached (levels only rise)
UPDATE complaint.complaint SET status = 'acknowledged' WHERE subject = 'P age';
UPDATE complaint.complaint SET status = 'assigned' WHERE subject = 'P age';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'P age';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject = 'P age';
UPDATE complaint.complaint SET status = 'accepted' WHERE subject = 'P age';
SELECT c.status, (complaint.classify(c, '2025-02-28 10:00')).level AS month,
       (complaint.classify(c, '2026-01-31 10:00')).level AS year, c.level AS stored
  FROM complaint.complaint c WHERE c.subject = 'P age';
UPDATE complaint.complaint SET status = 'closed' WHERE subject = 'P age';
SELECT c.status, (complaint.classify(c, '2025-02-28 10:00')).level AS month, c.level AS stored
  FROM complaint.complaint c WHERE c.subject = 'P age';
-- the same rules in the trigger, with receipt times relative to now(): 6 days 23 hours old
-- is general, 7 days 1 hour old is hot; 27 days old is hot, 32 days old is major
-- (a month is 28 to 31 days); not ours: general
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES
    ('property', now() - interval '6 days 23 hours', 'P 6d23h', '{}'),
    ('property', now() - interval '7 days 1 hour', 'P 7d1h', '{}'),
    ('property', now() - interval '27 days', 'P 27d', '{}'),
    ('property', now() - interval '32 days', 'P 32d', '{}'),
    ('property', now() - interval '32 days', 'P 32d not ours', '{"caused_by_us": false}');
SELECT subject, level FROM lv WHERE subject IN ('P 6d23h', 'P 7d1h', 'P 27d', 'P 32d', 'P 32d not ours') ORDER BY id;

-- 2.8 important_second: a complaint reopened after it was closed (reopen_count 1) is
--     important; the change is a level event
INSERT INTO complaint.complaint (policy, subject, unit, handler) VALUES ('property', 'P reopened', 'Tower 8', 'Li');
UPDATE complaint.complaint SET status = 'acknowledged' WHERE subject = 'P reopened';
UPDATE complaint.complaint SET status = 'assigned' WHERE subject = 'P reopened';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'P reopened';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject = 'P reopened';
UPDATE complaint.complaint SET status = 'accepted' WHERE subject = 'P reopened';
UPDATE complaint.complaint SET status = 'closed' WHERE subject = 'P reopened';
SELECT lv.subject, c.status, c.reopen_count, lv.level FROM lv JOIN complaint.complaint c USING (id) WHERE lv.subject = 'P reopened';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'P reopened';
SELECT lv.subject, c.status, c.reopen_count, lv.level, lv.reasons FROM lv JOIN complaint.complaint c USING (id) WHERE lv.subject = 'P reopened';
SELECT e.kind, e.actor, e.detail ->> 'from' AS from_level, e.detail ->> 'to' AS to_level
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject = 'P reopened' AND e.kind IN ('level', 'reopen') ORDER BY e.id;

-- 2.9 hot_similar: 3 or more distinct complainants with a complaint of the same category
--     and unit within 30 days (CONTRACT section 8). Receipt times are relative to t0 (one
--     hour ago, fixed once); the earlier complaints are not "caused by us", so that no age
--     rule makes them hot by itself.
SELECT now() - interval '1 hour' AS t0 \gset
-- cluster engineering_quality / Tower 1: Owner A twice (counts once), then complaints that
-- do not count: without complainant, invalid, suggestion, another unit, another category
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant, validity, facts) VALUES
    ('property', :'t0'::timestamptz - interval '10 days', 'S A1', 'engineering_quality', 'Tower 1', 'Owner A', NULL, '{"caused_by_us": false}'),
    ('property', :'t0'::timestamptz - interval '9 days', 'S A2', 'engineering_quality', 'Tower 1', 'Owner A', NULL, '{"caused_by_us": false}'),
    ('property', :'t0'::timestamptz - interval '8 days', 'S anonymous', 'engineering_quality', 'Tower 1', NULL, NULL, '{"caused_by_us": false}'),
    ('property', :'t0'::timestamptz - interval '8 days', 'S invalid', 'engineering_quality', 'Tower 1', 'Owner I', 'invalid', '{"caused_by_us": false}'),
    ('property', :'t0'::timestamptz - interval '8 days', 'S suggestion', 'engineering_quality', 'Tower 1', 'Owner S', 'suggestion', '{"caused_by_us": false}'),
    ('property', :'t0'::timestamptz - interval '8 days', 'S other unit', 'engineering_quality', 'Tower 2', 'Owner U', NULL, '{"caused_by_us": false}'),
    ('property', :'t0'::timestamptz - interval '8 days', 'S other category', 'planning_design', 'Tower 1', 'Owner K', NULL, '{"caused_by_us": false}');
-- the first complaint of Owner A is closed before the third complainant arrives
UPDATE complaint.complaint SET unit = 'Tower 1', handler = 'Wang' WHERE subject = 'S A1';
UPDATE complaint.complaint SET status = 'acknowledged' WHERE subject = 'S A1';
UPDATE complaint.complaint SET status = 'assigned' WHERE subject = 'S A1';
UPDATE complaint.complaint SET status = 'investigating' WHERE subject = 'S A1';
UPDATE complaint.complaint SET status = 'proposed' WHERE subject = 'S A1';
UPDATE complaint.complaint SET status = 'accepted' WHERE subject = 'S A1';
UPDATE complaint.complaint SET status = 'closed' WHERE subject = 'S A1';
-- the second complainant: 2 distinct complainants (A, B) -> general. Had Owner A counted
-- twice, or any of the five others counted, it would be 3 -> hot.
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant, facts)
VALUES ('property', :'t0'::timestamptz - interval '5 days', 'S B', 'engineering_quality', 'Tower 1', 'Owner B', '{"caused_by_us": false}');
SELECT subject, level FROM lv WHERE subject LIKE 'S %' ORDER BY id;
-- what a third complaint from Owner A would be (classify, nothing stored): still 2 -> general
SELECT (complaint.classify(jsonb_populate_record(c, jsonb_build_object('id', NULL, 'received_at', :'t0', 'subject', 'S A3')),
                           :'t0')).level
  FROM complaint.complaint c WHERE c.subject = 'S A2';
-- the third complainant: hot, "3 distinct complainants" in its reason ...
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant)
VALUES ('property', :'t0', 'S C', 'engineering_quality', 'Tower 1', 'Owner C');
SELECT subject, level, reasons FROM lv WHERE subject = 'S C';
-- ... and the open earlier complaints of the cluster (A2, B) are raised to hot, each with a
-- reason and a level event; the closed one (A1) and those that are not in the cluster stay
SELECT lv.subject, c.status, lv.level, lv.reasons FROM lv JOIN complaint.complaint c USING (id) WHERE lv.subject LIKE 'S %' ORDER BY id;
SELECT c.subject, e.kind, e.actor, e.detail ->> 'from' AS from_level, e.detail ->> 'to' AS to_level,
       pg_temp.mask_ref(e.detail -> 'reasons' ->> 0) AS reason
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject LIKE 'S %' AND e.kind = 'level' ORDER BY e.id;
-- a fourth complainant: hot (4), and no complaint is raised again (no new level event)
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant)
VALUES ('property', :'t0', 'S D', 'engineering_quality', 'Tower 1', 'Owner D');
SELECT subject, level, reasons FROM lv WHERE subject = 'S D';
SELECT count(*) AS level_events FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject LIKE 'S %' AND e.kind = 'level';

-- 2.10 the 30-day window, looking back from the new complaint's receipt, includes exactly
--      30 days: cluster sales_management / Sales office. Owner F complained 31 days and
--      30 days 1 second before t0 (one complainant: so these two and H are 2 distinct
--      complainants, general), Owner H exactly 30 days before t0.
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant, facts) VALUES
    ('property', :'t0'::timestamptz - interval '31 days', 'W 31 days', 'sales_management', 'Sales office', 'Owner F', '{"caused_by_us": false}'),
    ('property', :'t0'::timestamptz - interval '30 days 1 second', 'W 30 days 1 s', 'sales_management', 'Sales office', 'Owner F', '{"caused_by_us": false}'),
    ('property', :'t0'::timestamptz - interval '30 days', 'W 30 days', 'sales_management', 'Sales office', 'Owner H', '{"caused_by_us": false}');
SELECT subject, level FROM lv WHERE subject LIKE 'W %' ORDER BY id;
-- a complaint at t0: H (exactly 30 days before) counts, F and G do not: 2 -> general
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant)
VALUES ('property', :'t0', 'W now 1', 'sales_management', 'Sales office', 'Owner J');
SELECT subject, level FROM lv WHERE subject LIKE 'W %' ORDER BY id;
-- what a complaint of Owner L would be (classify, nothing stored): at t0 it sees H, J and
-- itself -> 3, hot; one second later H is more than 30 days before -> 2, general
SELECT v.label,
       (complaint.classify(jsonb_populate_record(c, jsonb_build_object('id', NULL, 'complainant', 'Owner L',
            'received_at', v.received_at)), v.received_at)).level
  FROM complaint.complaint c,
       (VALUES ('at t0', :'t0'::timestamptz), ('at t0 + 1 s', :'t0'::timestamptz + interval '1 second')) v(label, received_at)
 WHERE c.subject = 'W now 1'
 ORDER BY v.received_at;
-- Owner L at t0, stored: hot with "3 distinct complainants" (H, J, L: had one of Owner F's
-- complaints counted it would be 4); H and J are raised, Owner F's (outside the window) are not
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant)
VALUES ('property', :'t0', 'W now 2', 'sales_management', 'Sales office', 'Owner L');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'W %' ORDER BY id;

-- 2.11 levels only go up: removing the fact that made a complaint major keeps it major
--      (with its reasons); a lower-level fact added later does not lower it either
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('property', '2025-06-02 10:00', 'P keeps major', '{"lawsuit_filed": true, "caused_by_us": false}');
UPDATE complaint.complaint SET facts = '{"caused_by_us": false}' WHERE subject = 'P keeps major';
UPDATE complaint.complaint SET facts = '{"caused_by_us": false, "needs_external_support": true}' WHERE subject = 'P keeps major';
SELECT subject, level, reasons FROM lv WHERE subject = 'P keeps major';
-- while the rules alone now say important
SELECT (complaint.classify(c, '2025-06-02 10:00')).level FROM complaint.complaint c WHERE subject = 'P keeps major';
-- ... and a new fact of a higher level raises it (general -> hot)
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('property', '2025-06-02 10:00', 'P rises', '{"caused_by_us": false}');
UPDATE complaint.complaint SET facts = '{"caused_by_us": false, "legal_or_media_risk": true}' WHERE subject = 'P rises';
SELECT subject, level, reasons FROM lv WHERE subject = 'P rises';

-- 2.12 a level set by hand: more severe than the rules' is kept, at receipt and later
SET ROLE complaint_supervisor;
INSERT INTO complaint.complaint (policy, received_at, subject, level, facts)
VALUES ('property', '2025-06-02 10:00', 'P hot by hand', 'hot', '{"caused_by_us": false}');
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('property', '2025-06-02 10:00', 'P raised by hand', '{"caused_by_us": false}');
UPDATE complaint.complaint SET level = 'hot' WHERE subject = 'P raised by hand';
-- a fact of a lower level (important) changes nothing
UPDATE complaint.complaint SET facts = '{"caused_by_us": false, "needs_external_support": true}'
 WHERE subject IN ('P hot by hand', 'P raised by hand');
-- a hand-set level below the rules' is overruled at receipt: a lawsuit is major
INSERT INTO complaint.complaint (policy, received_at, subject, level, facts)
VALUES ('property', '2025-06-02 10:00', 'P general by hand', 'general', '{"caused_by_us": false, "lawsuit_filed": true}');
RESET ROLE;
SELECT subject, level, reasons FROM lv WHERE subject IN ('P hot by hand', 'P raised by hand', 'P general by hand') ORDER BY id;
SELECT c.subject, e.actor, e.detail ->> 'from' AS from_level, e.detail ->> 'to' AS to_level
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject IN ('P hot by hand', 'P raised by hand') AND e.kind = 'level' ORDER BY e.id;

-- 2.13 lowering: refused for a supervisor (42501), nothing changes ...
SET ROLE complaint_supervisor;
UPDATE complaint.complaint SET level = 'general' WHERE subject = 'P keeps major';
SELECT pg_temp.try($$UPDATE complaint.complaint SET level = 'important' WHERE subject = 'P keeps major'$$);
RESET ROLE;
SELECT subject, level FROM lv WHERE subject = 'P keeps major';
-- ... and done by complaint_admin: kept, with the reason, and recorded as a level event
SET ROLE complaint_admin;
UPDATE complaint.complaint SET level = 'important' WHERE subject = 'P keeps major';
RESET ROLE;
SELECT subject, level, reasons FROM lv WHERE subject = 'P keeps major';
SELECT e.kind, e.actor, e.detail ->> 'from' AS from_level, e.detail ->> 'to' AS to_level,
       pg_temp.mask_ref(e.detail -> 'reasons' ->> 0) AS reason
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.subject = 'P keeps major' AND e.kind = 'level' ORDER BY e.id;
-- an update that is no input of the rules keeps the lowered level
UPDATE complaint.complaint SET body = 'settled out of court' WHERE subject = 'P keeps major';
SELECT subject, level FROM lv WHERE subject = 'P keeps major';

--
-- 3. fuel_retail (加油站): level1 > level2 > level3. Fixed receipt times (no age rule).
--
-- 3.1 each boolean fact: media, safety incident, group incident, food poisoning -> level1;
--     very upset customer, short deadline -> level2; none -> level3
INSERT INTO complaint.complaint (policy, received_at, subject, category, facts) VALUES
    ('fuel_retail', '2025-05-05 09:00', 'F media', 'station_service_attitude', '{"media": true}'),
    ('fuel_retail', '2025-05-05 09:00', 'F safety', 'station_service_fault', '{"safety_incident": true}'),
    ('fuel_retail', '2025-05-05 09:00', 'F group', 'station_service_other', '{"group_incident": true}'),
    ('fuel_retail', '2025-05-05 09:00', 'F poisoning', 'non_fuel_quality', '{"food_poisoning": true}'),
    ('fuel_retail', '2025-05-05 09:00', 'F upset', 'station_service_attitude', '{"strong_attitude": true}'),
    ('fuel_retail', '2025-05-05 09:00', 'F deadline', 'finance_invoice', '{"demands_short_deadline": true}'),
    ('fuel_retail', '2025-05-05 09:00', 'F all false', 'station_info_phone',
     '{"media": false, "safety_incident": false, "group_incident": false, "food_poisoning": false, "strong_attitude": false, "demands_short_deadline": false}'),
    ('fuel_retail', '2025-05-05 09:00', 'F none', NULL, '{}');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'F %' ORDER BY id;
-- 3.2 quantity: two complaints at the same station (two customers) -> level2, and the
--     first is raised; at two different stations -> level3 both
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant) VALUES
    ('fuel_retail', '2025-05-06 09:00', 'Q station 1 first', 'quantity', 'Station 1', 'Driver 1'),
    ('fuel_retail', '2025-05-06 09:00', 'Q station 2', 'quantity', 'Station 2', 'Driver 2');
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant) VALUES
    ('fuel_retail', '2025-05-07 09:00', 'Q station 1 second', 'quantity', 'Station 1', 'Driver 3');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'Q %' ORDER BY id;
-- a quantity complaint 31 days after the first at Station 1 (30 days after the second):
-- the second is in its window, so it is level2 too; at Station 2 one day later: level3
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant) VALUES
    ('fuel_retail', '2025-06-06 09:00', 'Q station 1 third', 'quantity', 'Station 1', 'Driver 4'),
    ('fuel_retail', '2025-06-07 09:00', 'Q station 2 late', 'quantity', 'Station 2', 'Driver 5');
SELECT subject, level FROM lv WHERE subject LIKE 'Q %' ORDER BY id;
-- 3.3 quality: two complaints in 30 days at any stations -> level1, the first raised
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant)
VALUES ('fuel_retail', '2025-05-10 09:00', 'QL station 3', 'quality', 'Station 3', 'Driver 6');
SELECT subject, level FROM lv WHERE subject LIKE 'QL %' ORDER BY id;
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant)
VALUES ('fuel_retail', '2025-05-20 09:00', 'QL station 4', 'quality', 'Station 4', 'Driver 7');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'QL %' ORDER BY id;
-- one quality complaint alone, 2 months later: level3
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, complainant)
VALUES ('fuel_retail', '2025-07-25 09:00', 'QL alone', 'quality', 'Station 3', 'Driver 8');
SELECT subject, level FROM lv WHERE subject = 'QL alone';
-- 3.4 the invalid and suggestion sub-categories set validity; a contradicting validity is
--     refused (23514); the matching one is accepted
INSERT INTO complaint.complaint (policy, received_at, subject, category) VALUES
    ('fuel_retail', '2025-05-08 09:00', 'V competitor', 'invalid_competitor'),
    ('fuel_retail', '2025-05-08 09:00', 'V drunk', 'invalid_malicious'),
    ('fuel_retail', '2025-05-08 09:00', 'V invalid', 'invalid'),
    ('fuel_retail', '2025-05-08 09:00', 'V hardware', 'suggestion_hardware'),
    ('fuel_retail', '2025-05-08 09:00', 'V suggestion', 'suggestion'),
    ('fuel_retail', '2025-05-08 09:00', 'V effective category', 'quantity');
SELECT lv.subject, c.category, c.validity, lv.level FROM lv JOIN complaint.complaint c USING (id) WHERE lv.subject LIKE 'V %' ORDER BY id;
INSERT INTO complaint.complaint (policy, received_at, subject, category, validity)
VALUES ('fuel_retail', '2025-05-08 09:00', 'V contradiction', 'invalid_competitor', 'effective');
INSERT INTO complaint.complaint (policy, received_at, subject, category, validity)
VALUES ('fuel_retail', '2025-05-08 09:00', 'V contradiction', 'suggestion_system_design', 'invalid');
SELECT pg_temp.try($$INSERT INTO complaint.complaint (policy, received_at, subject, category, validity)
                     VALUES ('fuel_retail', '2025-05-08 09:00', 'V contradiction', 'invalid_unrelated', 'suggestion')$$);
UPDATE complaint.complaint SET validity = 'effective' WHERE subject = 'V hardware';
INSERT INTO complaint.complaint (policy, received_at, subject, category, validity)
VALUES ('fuel_retail', '2025-05-08 09:00', 'V consistent', 'invalid_unrelated', 'invalid');
SELECT lv.subject, c.category, c.validity FROM lv JOIN complaint.complaint c USING (id) WHERE lv.subject LIKE 'V %' ORDER BY id;

--
-- 4. food (客诉): A > B > C, by the defect; serious health harm is A; a regulator's
--    complaint is special (a note, the level is unchanged)
--
-- 4.1 every defect value of the preset, and no defect
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
SELECT 'food', '2025-05-05 10:00', 'D ' || d, jsonb_build_object('defect', d)
  FROM unnest(ARRAY['spoiled', 'foreign_matter', 'abnormal_color', 'burnt_rancid', 'batch', 'same_symptoms',
                    'empty_pack', 'short_pack', 'dirty_surface', 'no_date',
                    'broken_package', 'underweight', 'broken', 'leaking', 'color_difference']) WITH ORDINALITY u(d, n)
 ORDER BY n;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('food', '2025-05-05 10:00', 'D none');
SELECT subject, level, split_part(reasons, ':', 1) AS rule FROM lv WHERE policy = 'food' AND subject LIKE 'D %' ORDER BY id;
-- a defect outside the list is refused (the fact's allowed values)
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('food', '2025-05-05 10:00', 'D mouldy', '{"defect": "mouldy"}');
-- 4.2 health harm: serious -> A (even with a class C defect); minor and none -> by defect
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES
    ('food', '2025-05-05 10:00', 'H serious', '{"defect": "broken", "health_harm": "serious"}'),
    ('food', '2025-05-05 10:00', 'H serious only', '{"health_harm": "serious"}'),
    ('food', '2025-05-05 10:00', 'H minor', '{"defect": "short_pack", "health_harm": "minor"}'),
    ('food', '2025-05-05 10:00', 'H none', '{"defect": "broken", "health_harm": "none"}');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'H %' ORDER BY id;
-- 4.3 channel regulator: the special-complaint note is added, the level is the defect's
INSERT INTO complaint.complaint (policy, received_at, subject, channel, facts) VALUES
    ('food', '2025-05-05 10:00', 'R regulator B', 'regulator', '{"defect": "no_date"}'),
    ('food', '2025-05-05 10:00', 'R regulator none', 'regulator', '{}'),
    ('food', '2025-05-05 10:00', 'R phone B', 'phone', '{"defect": "no_date"}');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'R %' ORDER BY id;
-- 4.4 compensation ratios of the levels: 1:10, 1:2, 1:1
SELECT code, rank, compensation_ratio FROM complaint.level WHERE policy = 'food' ORDER BY rank DESC;

--
-- 5. after_sales (售后): serious > ordinary
--
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES
    ('after_sales', '2025-05-05 10:00', 'AS serious', '{"serious": true}'),
    ('after_sales', '2025-05-05 10:00', 'AS not serious', '{"serious": false, "region": "foreign", "area": "suburban"}'),
    ('after_sales', '2025-05-05 10:00', 'AS default', '{}');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'AS %' ORDER BY id;
-- region and area take their allowed values only
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('after_sales', '2025-05-05 10:00', 'AS mars', '{"region": "mars"}');

--
-- 6. gift_supply (礼品): major > general
--
-- 6.1 amount involved: 1999.99 is general, 2000 is major; no amount is general
INSERT INTO complaint.complaint (policy, received_at, subject, amount) VALUES
    ('gift_supply', '2025-05-05 10:00', 'G 1999.99', 1999.99),
    ('gift_supply', '2025-05-05 10:00', 'G 2000', 2000),
    ('gift_supply', '2025-05-05 10:00', 'G 150000', 150000),
    ('gift_supply', '2025-05-05 10:00', 'G no amount', NULL);
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'G %' ORDER BY id;
-- 6.2 media, lawsuit, group litigation risk: major each; false: general
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES
    ('gift_supply', '2025-05-05 10:00', 'GF media', '{"media_exposed": true}'),
    ('gift_supply', '2025-05-05 10:00', 'GF lawsuit', '{"lawsuit_filed": true}'),
    ('gift_supply', '2025-05-05 10:00', 'GF group litigation', '{"group_litigation_risk": true}'),
    ('gift_supply', '2025-05-05 10:00', 'GF all false', '{"media_exposed": false, "lawsuit_filed": false, "group_litigation_risk": false}');
SELECT subject, level, reasons FROM lv WHERE subject LIKE 'GF %' ORDER BY id;
-- 6.3 raising the amount later raises the level
UPDATE complaint.complaint SET amount = 2000 WHERE subject = 'G 1999.99';
SELECT subject, level, reasons FROM lv WHERE subject = 'G 1999.99';
-- fuel_retail counts quantity and quality complaints, not complainants (CONTRACT section 7:
-- "2+ quantity complaints at the same unit"): one driver complaining twice at one station
-- makes both level2
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit)
VALUES ('fuel_retail', '2025-06-02 10:00', 'hotline', 'quantity', 'Q same driver 1', 'same driver', 'Station 77'),
       ('fuel_retail', '2025-06-09 10:00', 'hotline', 'quantity', 'Q same driver 2', 'same driver', 'Station 77');
SELECT subject, level FROM lv WHERE subject LIKE 'Q same driver %' ORDER BY id;
