SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- complaint_roles: what complaint_admin, complaint_supervisor, complaint_agent (row-level
-- security on units) and complaint_reader may do, and a role without any grant. Each is
-- played by a login role (regress_*, cluster-wide: created when missing, dropped at the end).
--
\set SHOW_CONTEXT never
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES ('regress_admin', 'complaint_admin'),
                                   ('regress_supervisor', 'complaint_supervisor'),
                                   ('regress_agent1', 'complaint_agent'),
                                   ('regress_agent2', 'complaint_agent'),
                                   ('regress_reader', 'complaint_reader'),
                                   ('regress_nobody', NULL)) v(login, grp) LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.login) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', r.login);
        END IF;
        IF r.grp IS NOT NULL AND NOT pg_has_role(r.login, r.grp, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', r.grp, r.login);
        END IF;
    END LOOP;
END
$$;
SELECT m.rolname AS login, string_agg(g.rolname, ', ') AS member_of
  FROM pg_roles m LEFT JOIN pg_auth_members am ON am.member = m.oid LEFT JOIN pg_roles g ON g.oid = am.roleid
 WHERE m.rolname LIKE 'regress\_%' GROUP BY m.rolname ORDER BY m.rolname;

INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('reg_roles', '权限测试办法', 'Roles test policy', 'cn', 'RR');
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix, ref_gapless)
VALUES ('reg_roles_fast', '权限测试快速办法', 'Roles test policy, fast refs', 'cn', 'RRF', false);
INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES ('reg_roles', 'service', '服务', 'Service');
INSERT INTO complaint.agent_unit (agent, unit) VALUES ('regress_agent1', 'U1'), ('regress_agent2', 'U2');
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, contact) VALUES
    ('reg_roles', '2025-09-01 09:00', 'U1 first', 'U1', 'Han', '138-0000-0001'),
    ('reg_roles', '2025-09-01 10:00', 'U2 first', 'U2', 'Qi', '138-0000-0002'),
    ('reg_roles', '2025-09-01 11:00', 'no unit yet', NULL, NULL, NULL),
    ('reg_roles', '2025-09-01 12:00', 'U1 second', 'U1', 'Han', NULL),
    ('reg_roles', '2025-09-01 13:00', 'U2 second', 'U2', 'Qi', NULL)
RETURNING ref, unit;
-- the privileges of the four roles on the tables (has_table_privilege, through membership)
SELECT r.rolname AS role, t.tbl,
       concat_ws(',', CASE WHEN has_table_privilege(r.rolname, t.tbl, 'SELECT') THEN 'SELECT' END,
                      CASE WHEN has_table_privilege(r.rolname, t.tbl, 'INSERT') THEN 'INSERT' END,
                      CASE WHEN has_table_privilege(r.rolname, t.tbl, 'UPDATE') THEN 'UPDATE' END,
                      CASE WHEN has_table_privilege(r.rolname, t.tbl, 'DELETE') THEN 'DELETE' END,
                      CASE WHEN has_table_privilege(r.rolname, t.tbl, 'TRUNCATE') THEN 'TRUNCATE' END) AS privileges
  FROM (VALUES ('complaint_admin'), ('complaint_supervisor'), ('complaint_agent'), ('complaint_reader'), ('regress_nobody')) r(rolname),
       (VALUES ('complaint.complaint'), ('complaint.event'), ('complaint.ref_counter'), ('complaint.policy'),
               ('complaint.category'), ('complaint.agent_unit'), ('complaint.calendar'), ('complaint.level'),
               ('complaint.fact'), ('complaint.rule')) t(tbl)
 ORDER BY 1, 2;
SELECT tablename, policyname, roles, cmd FROM pg_policies WHERE schemaname = 'complaint' ORDER BY 1, 2;
SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
 WHERE relnamespace = 'complaint'::regnamespace AND relkind = 'r' AND relrowsecurity ORDER BY 1;

--
-- 1. complaint_admin: every complaint, configuration, deletion
--
SELECT count(*) AS all_complaints FROM complaint.complaint \gset
SELECT count(*) AS all_events FROM complaint.event \gset
SET SESSION AUTHORIZATION regress_admin;
SELECT current_user, count(*) FILTER (WHERE policy = 'reg_roles') AS complaints_of_reg_roles,
       count(*) = :all_complaints AS sees_all_complaints
  FROM complaint.complaint;
SELECT count(*) = :all_events AS sees_all_events FROM complaint.event;
INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES ('reg_roles', 'billing', '账单', 'Billing');
UPDATE complaint.policy SET name_en = 'Roles test policy (edited by the admin)' WHERE code = 'reg_roles';
INSERT INTO complaint.calendar (name, tz) VALUES ('reg_roles_cal', 'Asia/Shanghai');
DELETE FROM complaint.calendar WHERE name = 'reg_roles_cal';
INSERT INTO complaint.agent_unit (agent, unit) VALUES ('regress_agent1', 'U9');
DELETE FROM complaint.agent_unit WHERE agent = 'regress_agent1' AND unit = 'U9';
INSERT INTO complaint.complaint (policy, received_at, subject, category, unit, handler)
VALUES ('reg_roles', '2025-09-02 09:00', 'filed by the admin', 'billing', 'U3', 'Ma') RETURNING ref, unit;
SELECT id AS admin_complaint FROM complaint.complaint WHERE ref = 'RR-202509-00006' \gset
UPDATE complaint.complaint SET status = 'assigned' WHERE ref = 'RR-202509-00006';
DELETE FROM complaint.complaint WHERE ref = 'RR-202509-00006';
-- the history stays out of reach even for the admin (no INSERT, UPDATE, DELETE grants)
INSERT INTO complaint.event (complaint_id, at, actor, kind) VALUES (1, now(), 'me', 'created');
UPDATE complaint.event SET actor = 'me';
DELETE FROM complaint.event;
SELECT * FROM complaint.ref_counter;
RESET SESSION AUTHORIZATION;
SELECT actor, kind, coalesce(detail ->> 'to', detail ->> 'status') AS status FROM complaint.history(:admin_complaint);

--
-- 2. complaint_supervisor: every complaint, read and write; no configuration, no deletion
--
SELECT count(*) AS all_events FROM complaint.event \gset
SET SESSION AUTHORIZATION regress_supervisor;
SELECT current_user, count(*) AS complaints_seen, count(*) FILTER (WHERE unit IS NULL) AS without_unit
  FROM complaint.complaint WHERE policy = 'reg_roles';
SELECT count(*) = :all_events AS sees_all_events FROM complaint.event;
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler)
VALUES ('reg_roles', '2025-09-03 09:00', 'filed by the supervisor in U2', 'U2', 'Qi') RETURNING ref, unit;
UPDATE complaint.complaint SET status = 'acknowledged' WHERE ref = 'RR-202509-00003';
UPDATE complaint.complaint SET status = 'assigned', unit = 'U1', handler = 'Han' WHERE ref = 'RR-202509-00003';
UPDATE complaint.complaint SET unit = 'U2', handler = 'Qi' WHERE ref = 'RR-202509-00003';
SELECT ref, status, unit, handler FROM complaint.complaint WHERE ref = 'RR-202509-00003';
DELETE FROM complaint.complaint WHERE ref = 'RR-202509-00003';
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix) VALUES ('reg_sup', 's', 's', 'cn', 'SUP');
UPDATE complaint.category SET name_en = 'x' WHERE policy = 'reg_roles';
DELETE FROM complaint.category WHERE policy = 'reg_roles' AND code = 'billing';
INSERT INTO complaint.agent_unit (agent, unit) VALUES ('regress_agent1', 'U2');
INSERT INTO complaint.calendar (name, tz) VALUES ('reg_sup_cal', 'Asia/Shanghai');
SELECT agent, unit FROM complaint.agent_unit WHERE agent LIKE 'regress\_%' ORDER BY 1, 2;
SELECT count(*) > 0 AS reads_configuration FROM complaint.policy p JOIN complaint.category c ON c.policy = p.code
 WHERE p.code = 'reg_roles';
SET pg_complaint.allow_received_at_change = on;
UPDATE complaint.complaint SET received_at = '2025-09-01 08:00' WHERE ref = 'RR-202509-00003';
RESET pg_complaint.allow_received_at_change;
RESET SESSION AUTHORIZATION;

--
-- 3. complaint_agent: only the complaints of its units (regress_agent1: U1)
--
SET SESSION AUTHORIZATION regress_agent1;
SELECT current_user;
SELECT ref, unit, subject FROM complaint.complaint WHERE policy = 'reg_roles' ORDER BY ref;
SELECT agent, unit FROM complaint.agent_unit ORDER BY 1, 2;
-- files complaints of U1 (the reference number comes from counters it cannot read)
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler)
VALUES ('reg_roles', '2025-09-04 09:00', 'filed by agent1', 'U1', 'Han') RETURNING ref, unit;
INSERT INTO complaint.complaint (policy, received_at, subject, unit)
VALUES ('reg_roles_fast', '2025-09-04 09:00', 'filed by agent1, fast refs', 'U1') RETURNING ref ~ '^RRF-202509-\d{5,}$' AS ref_ok, unit;
SELECT * FROM complaint.ref_counter;
SELECT nextval('complaint.ref_serial');
-- ... but not of U2, nor without a unit
INSERT INTO complaint.complaint (policy, received_at, subject, unit) VALUES ('reg_roles', '2025-09-04 10:00', 'for U2', 'U2');
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_roles', '2025-09-04 10:00', 'no unit');
-- moves its complaints through the workflow
UPDATE complaint.complaint SET status = 'assigned' WHERE ref = 'RR-202509-00001' RETURNING ref, status;
UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'RR-202509-00001' RETURNING ref, status;
-- cannot hand a complaint to U2 (nor take it out of every unit)
UPDATE complaint.complaint SET status = 'pending_info', unit = 'U2' WHERE ref = 'RR-202509-00001';
UPDATE complaint.complaint SET unit = NULL WHERE ref = 'RR-202509-00001';
-- does not see, hence cannot change, complaints of U2
UPDATE complaint.complaint SET status = 'acknowledged' WHERE ref = 'RR-202509-00002' RETURNING ref;
UPDATE complaint.complaint SET subject = 'hijacked' WHERE unit = 'U2' RETURNING ref;
DELETE FROM complaint.complaint WHERE ref = 'RR-202509-00004';
-- sees only the events of its complaints
SELECT CASE WHEN c.policy = 'reg_roles_fast' THEN 'RRF-202509-*' ELSE c.ref END AS ref, e.actor, e.kind, e.detail ->> 'to' AS "to"
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.policy LIKE 'reg\_roles%' ORDER BY e.id;
SELECT count(*) > 0 AS sees_events,
       count(*) FILTER (WHERE e.complaint_id NOT IN (SELECT id FROM complaint.complaint)) AS events_of_unseen_complaints,
       count(*) FILTER (WHERE e.kind = 'deleted') AS deleted_events_seen
  FROM complaint.event e;
SELECT count(*) AS history_of_a_u2_complaint
  FROM complaint.history((SELECT min(e.complaint_id) FROM complaint.event e WHERE e.detail ->> 'ref' = 'RR-202509-00002'));
-- cannot write the history nor the unit mapping
INSERT INTO complaint.event (complaint_id, at, actor, kind) VALUES (1, now(), 'me', 'created');
INSERT INTO complaint.agent_unit (agent, unit) VALUES ('regress_agent1', 'U2');
UPDATE complaint.agent_unit SET unit = 'U2' WHERE agent = 'regress_agent1';
-- nor import history
SET pg_complaint.import = on;
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, status)
VALUES ('reg_roles', '2025-09-04 11:00', 'imported by an agent', 'U1', 'Han', 'investigating');
RESET pg_complaint.import;
RESET SESSION AUTHORIZATION;
-- agent2 sees U2 only
SET SESSION AUTHORIZATION regress_agent2;
SELECT current_user, string_agg(ref || ' ' || unit, ', ' ORDER BY ref) AS seen
  FROM complaint.complaint WHERE policy = 'reg_roles';
UPDATE complaint.complaint SET status = 'assigned' WHERE ref = 'RR-202509-00002' RETURNING ref, status;
RESET SESSION AUTHORIZATION;

--
-- 4. complaint_reader: no table at all (BI reads views)
--
SET SESSION AUTHORIZATION regress_reader;
SELECT count(*) FROM complaint.complaint;
SELECT count(*) FROM complaint.event;
SELECT count(*) FROM complaint.policy;
SELECT count(*) FROM complaint.agent_unit;
INSERT INTO complaint.complaint (policy, received_at, subject, unit) VALUES ('reg_roles', '2025-09-05 09:00', 'x', 'U1');
SELECT count(*) FROM complaint.history(1);
RESET SESSION AUTHORIZATION;

--
-- 5. A role with no grant: not even the schema
--
SET SESSION AUTHORIZATION regress_nobody;
SELECT count(*) FROM complaint.complaint;
SELECT count(*) FROM complaint.event;
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES ('reg_roles', '2025-09-05 09:00', 'x');
RESET SESSION AUTHORIZATION;

--
-- 6. The actor of every event is the role that acted (SET ROLE included)
--
SET ROLE regress_supervisor;
UPDATE complaint.complaint SET status = 'acknowledged' WHERE ref = 'RR-202509-00005';
RESET ROLE;
SET ROLE regress_agent2;
UPDATE complaint.complaint SET status = 'assigned' WHERE ref = 'RR-202509-00005';
RESET ROLE;
SELECT CASE WHEN c.policy = 'reg_roles_fast' THEN 'RRF-202509-*' ELSE c.ref END AS ref, e.actor, e.kind,
       CASE e.kind WHEN 'assignment' THEN e.detail::text ELSE e.detail ->> 'to' END AS "to"
  FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.policy LIKE 'reg\_roles%' ORDER BY c.ref, e.id;
SELECT CASE WHEN policy = 'reg_roles_fast' THEN 'RRF-202509-*' ELSE ref END AS ref, status, unit, handler
  FROM complaint.complaint WHERE policy LIKE 'reg\_roles%' ORDER BY complaint.ref;

--
-- 7. The rules run their own queries as the owner of the tables (a superuser): a role that
--    files complaints and owns a schema must not get its operators called by them.
--    regress_hostile (complaint_supervisor) puts its own text "=" and integer "+" first on
--    its search_path and files a complaint under a policy no backend has loaded yet.
--    Every call of its operators is logged with the role it ran as; none may be privileged.
--    (BUG, see the report: the policy loader's "code = $1" / "policy = $1" and the
--    reference counter's "last_serial + 1" call them as the superuser.)
--
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regress_hostile') THEN
        CREATE ROLE regress_hostile LOGIN;
    END IF;
    IF NOT pg_has_role('regress_hostile', 'complaint_supervisor', 'MEMBER') THEN
        GRANT complaint_supervisor TO regress_hostile;
    END IF;
END
$$;
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS regress_spy CASCADE;
RESET client_min_messages;
CREATE SCHEMA regress_spy AUTHORIZATION regress_hostile;
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('reg_hostile', '敌意测试办法', 'Hostile search_path policy', 'cn', 'RH');
INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES ('reg_hostile', 'service', '服务', 'Service');
SET SESSION AUTHORIZATION regress_hostile;
CREATE TABLE regress_spy.log (op text, a text, b text, session_role name, run_as name);
GRANT INSERT ON regress_spy.log TO PUBLIC;
CREATE FUNCTION regress_spy.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN
    INSERT INTO regress_spy.log VALUES ('=', $1, $2, session_user, current_user);
    RETURN $1 OPERATOR(pg_catalog.=) $2;
END
$f$;
CREATE OPERATOR regress_spy.= (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_spy.text_eq);
CREATE FUNCTION regress_spy.int4_plus(integer, integer) RETURNS integer LANGUAGE plpgsql AS $f$
BEGIN
    INSERT INTO regress_spy.log VALUES ('+', $1, $2, session_user, current_user);
    RETURN $1 OPERATOR(pg_catalog.+) $2;
END
$f$;
CREATE OPERATOR regress_spy.+ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = regress_spy.int4_plus);
SET search_path = regress_spy, pg_catalog;
INSERT INTO complaint.complaint (policy, received_at, subject, category)
VALUES ('reg_hostile', '2025-09-06 09:00', 'first complaint of the month', 'service') RETURNING ref;
INSERT INTO complaint.complaint (policy, received_at, subject, category)
VALUES ('reg_hostile', '2025-09-06 10:00', 'second complaint of the month', 'service') RETURNING ref;
RESET search_path;
RESET SESSION AUTHORIZATION;
-- the calls the complaint rules made with privileges other than the caller's
SELECT op, count(*) AS calls, run_as
  FROM regress_spy.log
 WHERE run_as <> session_role AND (op = '+' OR 'reg_hostile' IN (a, b))
 GROUP BY op, run_as ORDER BY op;
SET client_min_messages = warning;
DROP SCHEMA regress_spy CASCADE;
RESET client_min_messages;

-- roles are cluster-wide: drop them again
DELETE FROM complaint.agent_unit WHERE agent LIKE 'regress\_%';
DROP ROLE regress_admin, regress_supervisor, regress_agent1, regress_agent2, regress_reader, regress_nobody, regress_hostile;
SELECT count(*) AS regress_roles_left FROM pg_roles WHERE rolname LIKE 'regress\_%';
