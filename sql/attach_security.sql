SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- attach_security: who may attach and detach (the table's owner or complaint_admin, nobody
-- else), an application user with no right on complaint.* writing through the trigger (the
-- history names that user), hostile identifiers and values in the mapping (quoted or refused,
-- never executed), and a hostile search_path. Uses policy helpdesk of attach.sql.
--
\set SHOW_CONTEXT never
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['regress_app_owner', 'regress_app_user', 'regress_app_other', 'regress_app_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', r);
        END IF;
    END LOOP;
END
$$;
GRANT complaint_admin TO regress_app_admin;
-- a table owner who holds no complaint role needs USAGE on schema complaint to call attach()
GRANT USAGE ON SCHEMA complaint TO regress_app_owner, regress_app_other;
CREATE SCHEMA app AUTHORIZATION regress_app_owner;
GRANT USAGE ON SCHEMA app TO regress_app_user, regress_app_other, regress_app_admin;

SET ROLE regress_app_owner;
CREATE TABLE app.tickets (id int PRIMARY KEY, created timestamptz, title text, state text DEFAULT 'open', ref text);
CREATE TABLE app.notes (id int PRIMARY KEY, title text);
GRANT SELECT, INSERT, UPDATE, DELETE ON app.tickets TO regress_app_user;
-- the owner of the table may attach it
SELECT complaint.attach('app.tickets', 'helpdesk', '{"subject": "title", "received_at": "created",
    "status": {"column": "state", "map": {"open": "new", "seen": "acknowledged"}}, "write_back": {"ref": "ref"}}');
SELECT target, policy FROM complaint.attachments;
RESET ROLE;

-- an application user with no grant on complaint.*: its inserts and updates get the rules
SET ROLE regress_app_user;
SELECT has_schema_privilege('complaint', 'USAGE') AS may_use_schema_complaint;
INSERT INTO app.tickets (id, created, title) VALUES (1, '2025-06-02 10:00+08', 'from the app') RETURNING *;
UPDATE app.tickets SET state = 'seen' WHERE id = 1;
UPDATE app.tickets SET state = 'open' WHERE id = 1;
DELETE FROM app.tickets WHERE id = 1;
RESET ROLE;
SELECT e.kind, e.actor FROM complaint.event e JOIN complaint.complaint c ON c.id = e.complaint_id
 WHERE c.ref = (SELECT ref FROM app.tickets WHERE id = 1) ORDER BY e.id;

-- another role may not attach or detach the owner's tables, nor see their attachments
SET ROLE regress_app_other;
SELECT complaint.attach('app.notes', 'helpdesk', '{"subject": "title"}');
SELECT complaint.detach('app.tickets');
SELECT count(*) AS visible_attachments FROM complaint.attachments;
SELECT count(*) FROM complaint.attachment;
RESET ROLE;
-- complaint_admin may, and may detach what the owner attached
SET ROLE regress_app_admin;
SELECT complaint.attach('app.notes', 'helpdesk', '{"subject": "title"}');
SELECT target, attached_by FROM complaint.attachments ORDER BY target::text;
SELECT complaint.detach('app.notes');
SELECT complaint.detach('app.tickets');
RESET ROLE;

-- injection through column names: a name is a name, never SQL
SET ROLE regress_app_owner;
CREATE TABLE app.victim (id int PRIMARY KEY);
CREATE TABLE app."weird; table" ("id""); DROP TABLE app.victim; --" int PRIMARY KEY,
    "title'); DROP TABLE app.victim; --" text, "ref"" = 'x'; DROP TABLE app.victim; --" text);
INSERT INTO app."weird; table" VALUES (1, 'first', NULL);
SELECT complaint.attach('app.tickets', 'helpdesk', '{"subject": "title\"); DROP TABLE app.victim; --"}');
SELECT complaint.attach('app."weird; table"', 'helpdesk',
    '{"subject": "title''); DROP TABLE app.victim; --", "write_back": {"ref": "ref\" = ''x''; DROP TABLE app.victim; --"}}');
SELECT "id""); DROP TABLE app.victim; --" AS id, "ref"" = 'x'; DROP TABLE app.victim; --" LIKE 'HD-%' AS ref_written
  FROM app."weird; table";
INSERT INTO app."weird; table" VALUES (2, 'second', NULL)
RETURNING "id""); DROP TABLE app.victim; --" AS id, "ref"" = 'x'; DROP TABLE app.victim; --" LIKE 'HD-%' AS ref_written;
RESET ROLE;
SELECT l.key, c.subject FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id
 WHERE l.target = 'app."weird; table"'::regclass ORDER BY l.key;
SET ROLE regress_app_owner;
SELECT complaint.detach('app."weird; table"');
-- injection through value maps: values are data
SELECT complaint.attach('app.tickets', 'helpdesk', '{"subject": "title", "received_at": "created",
    "status": {"column": "state", "map": {"x''); DROP TABLE app.victim; --": "new"}},
    "channel": {"column": "ref", "map": {"a": "phone''); DROP TABLE app.victim; --"}}}');
SELECT complaint.attach('app.tickets', 'helpdesk', '{"subject": "title", "received_at": "created",
    "status": {"column": "state", "map": {"x''); DROP TABLE app.victim; --": "new"}},
    "unit": {"column": "ref", "map": {"a": "unit''); DROP TABLE app.victim; --"}}}', existing => 'skip');
INSERT INTO app.tickets (id, created, title, state, ref) VALUES (2, '2025-06-02 11:00+08', 'mapped', 'x''); DROP TABLE app.victim; --', 'a');
RESET ROLE;
SELECT c.status, c.unit FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id
 WHERE l.target = 'app.tickets'::regclass AND l.key = '2';
SELECT to_regclass('app.victim') IS NOT NULL AS victim_still_there;

-- a hostile search_path: the trigger's statements name everything by schema
CREATE SCHEMA evil;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-01'::timestamptz $$;
CREATE FUNCTION evil.band(int8, int8) RETURNS int8 LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'evil operator called'; END $$;
CREATE OPERATOR evil.& (LEFTARG = int8, RIGHTARG = int8, FUNCTION = evil.band);
GRANT USAGE ON SCHEMA evil TO PUBLIC;
SET ROLE regress_app_user;
SET search_path = evil, pg_catalog, public;
INSERT INTO app.tickets (id, title, state) VALUES (3, 'no received_at given', 'new');
UPDATE app.tickets SET title = 'changed under a hostile search_path' WHERE id = 3;
RESET search_path;
RESET ROLE;
SELECT c.received_at > '2020-01-01' AS received_now, c.subject
  FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id
 WHERE l.target = 'app.tickets'::regclass AND l.key = '3';
SELECT complaint.detach('app.tickets');

DROP SCHEMA evil CASCADE;
DROP SCHEMA app CASCADE;
REVOKE complaint_admin FROM regress_app_admin;
REVOKE USAGE ON SCHEMA complaint FROM regress_app_owner, regress_app_other;
DROP ROLE regress_app_owner, regress_app_user, regress_app_other, regress_app_admin;
