SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- complaint_errors: every refused input of complaint.complaint, each followed by the proof
-- that nothing changed (same complaints, same events, same reference counters, and the
-- next insert gets the next serial); the append-only history; configuration rows in use.
--
\set SHOW_CONTEXT never
-- (facts are not checked against declarations here: strict_facts = false; the classify_*
-- suites test declared facts)
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix, strict_facts)
VALUES ('reg_err', '错误测试办法', 'Error test policy', 'cn', 'ER', false),
       ('reg_err2', '另一错误测试办法', 'Second error test policy', 'cn', 'ER2', false);
INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES
    ('reg_err', 'quality', '质量', 'Quality'),
    ('reg_err', 'billing', '账单', 'Billing'),
    ('reg_err', 'service', '服务', 'Service'),
    ('reg_err2', 'noise', '噪音', 'Noise');

-- the state that no failed statement may change
CREATE TEMP VIEW state AS
SELECT (SELECT count(*) FROM complaint.complaint) AS complaints,
       (SELECT md5(string_agg(c::text, '|' ORDER BY c.id)) FROM complaint.complaint c WHERE c.policy LIKE 'reg\_err%') AS rows_md5,
       (SELECT count(*) FROM complaint.event) AS events,
       (SELECT string_agg(prefix || '/' || month || '=' || last_serial, ', ' ORDER BY prefix, month)
          FROM complaint.ref_counter WHERE prefix = 'ER') AS counters;
CREATE TEMP TABLE snap AS SELECT * FROM state;
CREATE TEMP VIEW unchanged AS
SELECT n.complaints = s.complaints AS same_complaints, n.rows_md5 IS NOT DISTINCT FROM s.rows_md5 AS same_rows,
       n.events = s.events AS same_events, n.counters IS NOT DISTINCT FROM s.counters AS same_counters
  FROM state n, snap s;
-- try(sql): 'ok', or SQLSTATE and message with times of the clock masked
CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
    msg text;
BEGIN
    EXECUTE sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ': ' || regexp_replace(msg, '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?[+-]\d\d', '<time>', 'g');
END
$$;

INSERT INTO complaint.complaint (policy, received_at, subject, category)
VALUES ('reg_err', '2025-08-01 09:00', 'the first good one', 'quality') RETURNING ref;
TRUNCATE snap; INSERT INTO snap SELECT * FROM state;
SELECT counters FROM snap;

--
-- 1. Values that are not of the column's type
--
INSERT INTO complaint.complaint (policy, received_at, subject, channel) VALUES ('reg_err', '2025-08-02', 'x', 'fax');
INSERT INTO complaint.complaint (policy, received_at, subject, status) VALUES ('reg_err', '2025-08-02', 'x', 'open');
INSERT INTO complaint.complaint (policy, received_at, subject, validity) VALUES ('reg_err', '2025-08-02', 'x', 'valid');
INSERT INTO complaint.complaint (policy, received_at, subject, channel) VALUES ('reg_err', '2025-08-02', 'x', 'Phone');
SELECT * FROM unchanged;

--
-- 2. subject, body and the short texts
--
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '2025-08-02', NULL);
INSERT INTO complaint.complaint (policy, received_at) VALUES ('reg_err', '2025-08-02');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '2025-08-02', '');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '2025-08-02', E' \t\n ');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '2025-08-02', repeat('a', 501));
-- characters are counted, not bytes: 501 Chinese characters are too many ...
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '2025-08-02', repeat('漏', 501));
INSERT INTO complaint.complaint (policy, received_at, subject, complainant) VALUES ('reg_err', '2025-08-02', 'x', repeat('b', 201));
INSERT INTO complaint.complaint (policy, received_at, subject, contact) VALUES ('reg_err', '2025-08-02', 'x', repeat('c', 201));
INSERT INTO complaint.complaint (policy, received_at, subject, customer_type) VALUES ('reg_err', '2025-08-02', 'x', repeat('d', 201));
INSERT INTO complaint.complaint (policy, received_at, subject, unit) VALUES ('reg_err', '2025-08-02', 'x', repeat('e', 201));
INSERT INTO complaint.complaint (policy, received_at, subject, handler) VALUES ('reg_err', '2025-08-02', 'x', repeat('f', 201));
INSERT INTO complaint.complaint (policy, received_at, subject, body) VALUES ('reg_err', '2025-08-02', 'x', repeat('g', 1048577));
SELECT * FROM unchanged;
-- ... but 500 of them (1500 bytes) are fine, and so is a body of exactly 1 MB
INSERT INTO complaint.complaint (policy, received_at, subject, complainant, body)
VALUES ('reg_err', '2025-08-02', repeat('漏', 500), repeat('b', 200), repeat('g', 1048576))
RETURNING ref, length(subject) AS subject_chars, octet_length(subject) AS subject_bytes, octet_length(body) AS body_bytes;
TRUNCATE snap; INSERT INTO snap SELECT * FROM state;
-- the limits hold whatever the source of the value: a body or facts read from a table
-- arrive compressed and stored out of line (TOAST)
CREATE TEMP TABLE big_values (body text, facts jsonb);
INSERT INTO big_values
SELECT repeat('x', 2000000), (SELECT jsonb_object_agg('k' || g, repeat('v', 100)) FROM generate_series(1, 1000) g);
SELECT octet_length(body) AS body_bytes, pg_column_size(body) < 100000 AS body_compressed,
       octet_length(facts::text) AS facts_text_bytes, pg_column_size(facts) < 65536 AS facts_compressed
  FROM big_values;
BEGIN;  -- rolled back below, whatever is accepted
SELECT pg_temp.try($$INSERT INTO complaint.complaint (policy, received_at, subject, body)
                     VALUES ('reg_err', '2025-08-02', 'x', repeat('x', 2000000))$$) AS body_literal;
SELECT pg_temp.try($$INSERT INTO complaint.complaint (policy, received_at, subject, body)
                     SELECT 'reg_err', '2025-08-02', 'x', body FROM big_values$$) AS body_from_table;
SELECT pg_temp.try($$UPDATE complaint.complaint SET body = (SELECT body FROM big_values)
                      WHERE ref = 'ER-202508-00001'$$) AS body_update_from_table;
SELECT pg_temp.try($$INSERT INTO complaint.complaint (policy, received_at, subject, facts)
                     SELECT 'reg_err', '2025-08-02', 'x', (SELECT facts::text FROM big_values)::jsonb$$) AS facts_literal;
SELECT pg_temp.try($$INSERT INTO complaint.complaint (policy, received_at, subject, facts)
                     SELECT 'reg_err', '2025-08-02', 'x', facts FROM big_values$$) AS facts_from_table;
SELECT pg_temp.try($$UPDATE complaint.complaint SET facts = (SELECT facts FROM big_values)
                      WHERE ref = 'ER-202508-00001'$$) AS facts_update_from_table;
SELECT * FROM unchanged;
ROLLBACK;

--
-- 3. facts: a JSON object of at most 64 kB
--
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('reg_err', '2025-08-02', 'x', '[1, 2]');
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('reg_err', '2025-08-02', 'x', '"lawsuit"');
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('reg_err', '2025-08-02', 'x', '42');
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('reg_err', '2025-08-02', 'x', 'null');
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('reg_err', '2025-08-02', 'x', '{"a": 1');
INSERT INTO complaint.complaint (policy, received_at, subject, facts)
VALUES ('reg_err', '2025-08-02', 'x', jsonb_build_object('notes', repeat('n', 70000)));
-- SQL NULL is refused by the NOT NULL constraint (terse: the DETAIL shows the clock)
\set VERBOSITY terse
INSERT INTO complaint.complaint (policy, received_at, subject, facts) VALUES ('reg_err', '2025-08-02', 'x', NULL);
\set VERBOSITY default
UPDATE complaint.complaint SET facts = '[]' WHERE ref = 'ER-202508-00001';
SELECT * FROM unchanged;

--
-- 4. policy and category
--
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('no_such_policy', '2025-08-02', 'x');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES (NULL, '2025-08-02', 'x');
INSERT INTO complaint.complaint (received_at, subject) VALUES ('2025-08-02', 'x');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('REG_ERR', '2025-08-02', 'x');
INSERT INTO complaint.complaint (policy, received_at, subject, category) VALUES ('reg_err', '2025-08-02', 'x', 'no_such_category');
-- a category of another policy is not in this policy's taxonomy
INSERT INTO complaint.complaint (policy, received_at, subject, category) VALUES ('reg_err', '2025-08-02', 'x', 'noise');
INSERT INTO complaint.complaint (policy, received_at, subject, category) VALUES ('reg_err', '2025-08-02', 'x', 'Quality');
INSERT INTO complaint.complaint (policy, received_at, subject, category) VALUES ('reg_err', '2025-08-02', 'x', 'quality ');
UPDATE complaint.complaint SET category = 'noise' WHERE ref = 'ER-202508-00001';
SELECT * FROM unchanged;

--
-- 5. received_at: at most 5 minutes ahead of the clock, finite, not NULL
--
SELECT pg_temp.try($$INSERT INTO complaint.complaint (policy, received_at, subject)
                     VALUES ('reg_err', now() + interval '6 minutes', 'x')$$) AS six_minutes_ahead;
SELECT pg_temp.try($$INSERT INTO complaint.complaint (policy, received_at, subject)
                     VALUES ('reg_err', '2099-01-01', 'x')$$) AS in_2099;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', 'infinity', 'x');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '-infinity', 'x');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', NULL, 'x');
SELECT * FROM unchanged;
-- 4 minutes ahead is accepted (a clock a little fast); it is a complaint of the current month
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_err2', now() + interval '4 minutes', 'four minutes ahead')
RETURNING ref = 'ER2-' || to_char((now() + interval '4 minutes') AT TIME ZONE 'Asia/Shanghai', 'YYYYMM') || '-00001' AS ref_ok,
          received_at > now() AS in_the_future;
TRUNCATE snap; INSERT INTO snap SELECT * FROM state;

--
-- 6. A new complaint starts as new; its reference number is assigned by pg_complaint
--
INSERT INTO complaint.complaint (policy, received_at, subject, status) VALUES ('reg_err', '2025-08-02', 'x', 'acknowledged');
INSERT INTO complaint.complaint (policy, received_at, subject, status, unit, handler, validity, satisfaction)
VALUES ('reg_err', '2025-08-02', 'x', 'closed', 'U1', 'Han', 'suggestion', 5);
SET ROLE complaint_supervisor;
INSERT INTO complaint.complaint (policy, received_at, subject, ref) VALUES ('reg_err', '2025-08-02', 'x', 'ER-202508-00002');
INSERT INTO complaint.complaint (policy, received_at, subject, ref) VALUES ('reg_err', '2025-08-02', 'x', 'MY-OWN-REF');
RESET ROLE;
SELECT * FROM unchanged;
-- A superuser's insert with a ref is taken as a row of pg_restore: stored as it is, with no
-- rule; a row created before this transaction (as a dumped row is) gets no new history ...
BEGIN;
INSERT INTO complaint.complaint (policy, received_at, subject, ref, status, created_at, updated_at)
VALUES ('reg_err', '2025-08-02', 'restored', 'ER-202508-00004', 'closed', '2025-08-02 10:00', '2025-08-02 10:00')
RETURNING ref, status, validity, closed_at;
SELECT count(*) AS events_of_restored FROM complaint.event
 WHERE complaint_id = (SELECT id FROM complaint.complaint WHERE ref = 'ER-202508-00004');
-- (QUESTIONABLE, see the report) ... but the gap-free counter does not learn of it: the
-- next ordinary insert gets 00003, and every one after collides with 00004, since the
-- failed insert gives its serial back
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '2025-08-03', 'next') RETURNING ref;
SAVEPOINT s;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '2025-08-03', 'collides');
ROLLBACK TO s;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '2025-08-03', 'collides again');
ROLLBACK;
-- ... and the same holds outside a transaction block (the AFTER trigger tells a restored row
-- by a created_at older than the transaction); rolled back in a subtransaction
DO $$
DECLARE
    cid bigint;
    n int;
BEGIN
    INSERT INTO complaint.complaint (policy, received_at, subject, ref, created_at)
    VALUES ('reg_err', '2025-08-02', 'restored in autocommit', 'ER-202508-00004', '2025-08-02 10:00') RETURNING id INTO cid;
    SELECT count(*) INTO n FROM complaint.event WHERE complaint_id = cid;
    RAISE EXCEPTION 'roll back' USING DETAIL = n::text;
EXCEPTION WHEN raise_exception THEN
    GET STACKED DIAGNOSTICS n = PG_EXCEPTION_DETAIL;
    RAISE NOTICE 'events of a row restored outside a transaction block: %', n;
END
$$;
SELECT * FROM unchanged;

--
-- 7. Columns owned by the rules cannot be updated (23Q03)
--
UPDATE complaint.complaint SET id = id + 1000 WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET id = DEFAULT WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET ref = 'ER-202508-99999' WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET policy = 'reg_err2' WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET created_at = '2025-08-01' WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET received_at = '2025-08-01 08:00' WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET reopen_count = 1 WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET resolved_at = '2025-08-05' WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET closed_at = '2025-08-05' WHERE ref = 'ER-202508-00001';
-- even together with a valid transition, and even for complaint_admin
UPDATE complaint.complaint SET status = 'acknowledged', closed_at = now() WHERE ref = 'ER-202508-00001';
SET ROLE complaint_admin;
UPDATE complaint.complaint SET reopen_count = 0, resolved_at = now() WHERE ref = 'ER-202508-00001';
RESET ROLE;
-- setting a column to the value it has is no change
UPDATE complaint.complaint SET ref = ref, policy = policy, received_at = received_at, created_at = created_at,
       reopen_count = reopen_count, resolved_at = resolved_at, closed_at = closed_at
 WHERE ref = 'ER-202508-00001' RETURNING ref, status;
SELECT n.same_complaints, n.same_events, n.same_counters FROM unchanged n;
TRUNCATE snap; INSERT INTO snap SELECT * FROM state;

--
-- 8. CHECK constraints: collective_size >= 1, amount >= 0, satisfaction 1..5
--    (terse: the DETAIL of a CHECK violation shows the row with its clock times)
--
\set VERBOSITY terse
INSERT INTO complaint.complaint (policy, received_at, subject, collective_size) VALUES ('reg_err', '2025-08-02', 'x', 0);
INSERT INTO complaint.complaint (policy, received_at, subject, collective_size) VALUES ('reg_err', '2025-08-02', 'x', -3);
INSERT INTO complaint.complaint (policy, received_at, subject, collective_size) VALUES ('reg_err', '2025-08-02', 'x', NULL);
INSERT INTO complaint.complaint (policy, received_at, subject, amount) VALUES ('reg_err', '2025-08-02', 'x', -1);
INSERT INTO complaint.complaint (policy, received_at, subject, amount) VALUES ('reg_err', '2025-08-02', 'x', -0.01);
INSERT INTO complaint.complaint (policy, received_at, subject, amount) VALUES ('reg_err', '2025-08-02', 'x', 1e12);
INSERT INTO complaint.complaint (policy, received_at, subject, satisfaction) VALUES ('reg_err', '2025-08-02', 'x', 6);
INSERT INTO complaint.complaint (policy, received_at, subject, satisfaction) VALUES ('reg_err', '2025-08-02', 'x', 0);
UPDATE complaint.complaint SET collective_size = 0 WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET amount = -1 WHERE ref = 'ER-202508-00001';
UPDATE complaint.complaint SET satisfaction = 6 WHERE ref = 'ER-202508-00001';
\set VERBOSITY default
SELECT * FROM unchanged;
-- the boundaries are accepted
INSERT INTO complaint.complaint (policy, received_at, subject, collective_size, amount, satisfaction)
VALUES ('reg_err', '2025-08-02', 'boundaries', 1, 0, 1),
       ('reg_err', '2025-08-02', 'boundaries', 2147483647, 999999999999.99, 5)
RETURNING ref, collective_size, amount, satisfaction;
SELECT counters FROM state;
TRUNCATE snap; INSERT INTO snap SELECT * FROM state;

--
-- 9. complaint.event is append-only: UPDATE, DELETE, TRUNCATE refused even for the
--    superuser (the owner) and with session_replication_role = replica
--
UPDATE complaint.event SET actor = 'someone else' WHERE complaint_id = (SELECT id FROM complaint.complaint WHERE ref = 'ER-202508-00001');
DELETE FROM complaint.event WHERE complaint_id = (SELECT id FROM complaint.complaint WHERE ref = 'ER-202508-00001');
TRUNCATE complaint.event;
SET session_replication_role = replica;
UPDATE complaint.event SET actor = 'someone else' WHERE complaint_id = (SELECT id FROM complaint.complaint WHERE ref = 'ER-202508-00001');
DELETE FROM complaint.event WHERE complaint_id = (SELECT id FROM complaint.complaint WHERE ref = 'ER-202508-00001');
TRUNCATE complaint.event;
-- and the complaint rules stay on too
INSERT INTO complaint.complaint (policy, received_at, subject, status) VALUES ('reg_err', '2025-08-02', 'x', 'closed');
RESET session_replication_role;
SELECT tgname, tgenabled FROM pg_trigger
 WHERE tgrelid IN ('complaint.event'::regclass, 'complaint.complaint'::regclass) AND NOT tgisinternal
 ORDER BY tgrelid::regclass::text, tgname;
SELECT * FROM unchanged;
-- TRUNCATE of complaint.complaint is refused even for the superuser: a deletion must leave
-- its 'deleted' event (rolled back here in any case)
SELECT count(*) AS deleted_before FROM complaint.event WHERE kind = 'deleted' \gset
BEGIN;
TRUNCATE complaint.complaint;
SELECT (SELECT count(*) FROM complaint.complaint) AS complaints_left,
       (SELECT count(*) FROM complaint.event WHERE kind = 'deleted') - :deleted_before AS deleted_events_written;
ROLLBACK;
SELECT * FROM unchanged;

--
-- 10. Configuration rows in use
--
-- a category used by a complaint cannot be deleted nor renamed; an unused one can
DELETE FROM complaint.category WHERE policy = 'reg_err' AND code = 'quality';
UPDATE complaint.category SET code = 'product_quality' WHERE policy = 'reg_err' AND code = 'quality';
UPDATE complaint.category SET name_en = 'Product quality' WHERE policy = 'reg_err' AND code = 'quality'
RETURNING policy, code, name_en;
DELETE FROM complaint.category WHERE policy = 'reg_err' AND code = 'billing' RETURNING policy, code;
INSERT INTO complaint.complaint (policy, received_at, subject, category) VALUES ('reg_err', '2025-08-02', 'x', 'billing');
-- a policy with complaints cannot be renamed, given another prefix or deleted
UPDATE complaint.policy SET code = 'reg_err_renamed' WHERE code = 'reg_err';
UPDATE complaint.policy SET ref_prefix = 'EX' WHERE code = 'reg_err';
DELETE FROM complaint.policy WHERE code = 'reg_err';
-- its labels can change
UPDATE complaint.policy SET name_en = 'Error test policy (renamed label)' WHERE code = 'reg_err' RETURNING code, name_en;
-- a policy without complaints can be renamed and re-prefixed
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix) VALUES ('reg_err3', '空', 'Empty', 'cn', 'ER3');
UPDATE complaint.policy SET code = 'reg_err4', ref_prefix = 'ER4' WHERE code = 'reg_err3' RETURNING code, ref_prefix;
DELETE FROM complaint.policy WHERE code = 'reg_err4' RETURNING code;
SELECT policy, code FROM complaint.category WHERE policy LIKE 'reg\_err%' ORDER BY 1, 2;
SELECT * FROM unchanged;

-- an id that is taken (OVERRIDING SYSTEM VALUE) is refused before the history and the
-- reference serial are written, also under ON CONFLICT (id) DO NOTHING, which would
-- otherwise skip the row only after the BEFORE trigger and leave them behind
SELECT min(id) AS taken_id FROM complaint.complaint WHERE policy = 'reg_err' \gset
SELECT pg_temp.try(format($$INSERT INTO complaint.complaint (id, policy, received_at, subject)
    OVERRIDING SYSTEM VALUE VALUES (%s, 'reg_err', '2025-08-02', 'same id')$$, :taken_id)) AS same_id;
SELECT pg_temp.try(format($$INSERT INTO complaint.complaint (id, policy, received_at, subject)
    OVERRIDING SYSTEM VALUE VALUES (%s, 'reg_err', '2025-08-02', 'same id') ON CONFLICT (id) DO NOTHING$$, :taken_id)) AS same_id_on_conflict;
SELECT * FROM unchanged;

-- after all of this, the next complaint of August gets the next serial
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_err', '2025-08-31 23:59', 'the last good one') RETURNING ref;
SELECT ref, left(subject, 20) AS subject FROM complaint.complaint WHERE policy = 'reg_err' ORDER BY ref;
SELECT prefix, month, last_serial FROM complaint.ref_counter WHERE prefix = 'ER' ORDER BY month;
