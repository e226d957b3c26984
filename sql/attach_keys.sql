SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- attach_keys: every kind of key and place a table can have: a text and a uuid primary key,
-- a composite key whose values need quoting, a table in a schema and with names that need
-- quoting, and a partitioned table (a row moving to another partition keeps its complaint,
-- partitions with their own column order, detach removes the cloned triggers).
-- Uses policy helpdesk of attach.sql.
--
\set SHOW_CONTEXT never
CREATE SCHEMA "App Data";

-- text key
CREATE TABLE "App Data".by_code (code text PRIMARY KEY, created timestamptz, title text, state text DEFAULT 'new', ref text);
INSERT INTO "App Data".by_code VALUES ('A-1', '2025-04-01 10:00+08', 'first', 'new', NULL);
SELECT complaint.attach('"App Data".by_code', 'helpdesk',
    '{"subject": "title", "received_at": "created", "status": "state", "write_back": {"ref": "ref"}}');
INSERT INTO "App Data".by_code (code, created, title) VALUES ('B 2, "quoted"', '2025-04-02 10:00+08', 'second') RETURNING *;
UPDATE "App Data".by_code SET state = 'acknowledged' WHERE code = 'B 2, "quoted"' RETURNING *;
SELECT l.target, l.key, c.ref, c.status FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id
 WHERE l.target = '"App Data".by_code'::regclass ORDER BY l.key;
-- an enum status the application shares with us: no map needed, the same error
UPDATE "App Data".by_code SET state = 'closed' WHERE code = 'A-1';
UPDATE "App Data".by_code SET state = 'finished' WHERE code = 'A-1';

-- uuid key
CREATE TABLE "App Data"."Feedback" (id uuid PRIMARY KEY, at timestamp, "Text" text, level_seen text);
INSERT INTO "App Data"."Feedback" VALUES ('00000000-0000-0000-0000-000000000001', '2025-04-03 09:00', 'timestamp without zone', NULL);
SELECT complaint.attach('"App Data"."Feedback"', 'helpdesk',
    '{"subject": "Text", "received_at": "at", "write_back": {"level": "level_seen"}}');
INSERT INTO "App Data"."Feedback" VALUES ('00000000-0000-0000-0000-000000000002', '2025-04-03 10:00', 'second', 'tampered') RETURNING *;
SELECT l.key, c.ref, c.received_at FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id
 WHERE l.target = '"App Data"."Feedback"'::regclass ORDER BY l.key;

-- composite key, values with commas, quotes, parentheses and spaces: the key is ROW(...)::text
CREATE TABLE "App Data".lines (shop text, no int, created timestamptz, title text, ref text, PRIMARY KEY (shop, no));
SELECT complaint.attach('"App Data".lines', 'helpdesk', '{"subject": "title", "received_at": "created", "write_back": {"ref": "ref"}}');
INSERT INTO "App Data".lines VALUES ('shop (1), "east"', 1, '2025-04-05 10:00+08', 'a', NULL), ('west', 2, '2025-04-05 11:00+08', 'b', NULL);
SELECT t.shop, t.no, t.ref, l.key, l.key = ROW(t.shop, t.no)::text AS key_is_row_text
  FROM "App Data".lines t JOIN complaint.attached_row l ON l.target = '"App Data".lines'::regclass
  JOIN complaint.complaint c ON c.id = l.complaint_id AND c.ref = t.ref ORDER BY t.no;
UPDATE "App Data".lines SET no = 3 WHERE shop = 'west' RETURNING *;
SELECT l.key FROM complaint.attached_row l WHERE l.target = '"App Data".lines'::regclass ORDER BY l.key;

-- a change made in complaint.complaint comes back to the row of a composite key whose values
-- need quoting (the key is read back from its row literal)
CREATE TABLE "App Data".claims (shop text, no int, title text, lawsuit boolean, lvl text, PRIMARY KEY (shop, no));
SELECT complaint.attach('"App Data".claims', 'helpdesk',
    '{"subject": "title", "facts": {"lawsuit_filed": "lawsuit"}, "write_back": {"level": "lvl"}}');
INSERT INTO "App Data".claims VALUES ('shop (1), "east"', 1, 'c', NULL, NULL), ('a\b', 2, 'd', NULL, NULL) RETURNING shop, no, lvl;
UPDATE complaint.complaint SET facts = '{"lawsuit_filed": true}'
 WHERE id IN (SELECT complaint_id FROM complaint.attached_row WHERE target = '"App Data".claims'::regclass);
SELECT shop, no, lvl FROM "App Data".claims ORDER BY no;

-- partitioned by region; the partition "overseas" has its own column order and a dropped column
CREATE TABLE "App Data".cases (region text, id int, created timestamptz, title text, state text DEFAULT 'new',
                               agent text, ref text, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
CREATE TABLE "App Data".cases_home PARTITION OF "App Data".cases FOR VALUES IN ('home');
CREATE TABLE "App Data".cases_overseas (junk int, ref text, agent text, state text DEFAULT 'new', title text,
                                        created timestamptz, id int NOT NULL, region text NOT NULL);
ALTER TABLE "App Data".cases_overseas DROP COLUMN junk;
ALTER TABLE "App Data".cases ATTACH PARTITION "App Data".cases_overseas FOR VALUES IN ('overseas');
INSERT INTO "App Data".cases (region, id, created, title) VALUES ('home', 1, '2025-04-07 10:00+08', 'old home case');
SELECT complaint.attach('"App Data".cases_home', 'helpdesk', '{"subject": "title"}');
SELECT complaint.attach('"App Data".cases', 'helpdesk',
    '{"subject": "title", "received_at": "created", "status": "state", "handler": "agent", "unit": "region",
      "write_back": {"ref": "ref"}}');
SELECT tgrelid::regclass AS rel, tgname FROM pg_trigger WHERE tgname LIKE 'zz_complaint%' AND tgrelid::regclass::text LIKE '"App Data".cases%'
 ORDER BY 1, 2;
INSERT INTO "App Data".cases (region, id, created, title) VALUES ('home', 2, '2025-04-07 11:00+08', 'home case'),
                                                                 ('overseas', 3, '2025-04-07 12:00+08', 'overseas case')
RETURNING tableoid::regclass AS partition, region, id, ref;
-- a row that moves to the other partition keeps its complaint, under its new key
UPDATE "App Data".cases SET region = 'overseas', state = 'assigned', agent = 'lee' WHERE id = 2
RETURNING tableoid::regclass AS partition, region, id, state, ref;
SELECT l.key, c.ref, c.status, c.unit FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id
 WHERE l.target = '"App Data".cases'::regclass ORDER BY l.key;
SELECT count(*) AS cases, (SELECT count(*) FROM complaint.attached_row WHERE target = '"App Data".cases'::regclass) AS links
  FROM "App Data".cases;
-- the rules hold in each partition, and deletes are refused in each
UPDATE "App Data".cases SET state = 'closed' WHERE id = 2;
DELETE FROM "App Data".cases_overseas WHERE id = 3;
-- a partition created after attach() gets the trigger too
CREATE TABLE "App Data".cases_other PARTITION OF "App Data".cases FOR VALUES IN ('other');
INSERT INTO "App Data".cases (region, id, created, title) VALUES ('other', 4, '2025-04-08 10:00+08', 'late partition') RETURNING ref;
SELECT complaint.detach('"App Data".cases') AS links_removed;
SELECT count(*) AS triggers_left FROM pg_trigger WHERE tgname LIKE 'zz_complaint%' AND tgrelid::regclass::text LIKE '"App Data".cases%';

-- the other tables, detached
SELECT target, linked_rows FROM complaint.attachments ORDER BY target::text;
SELECT complaint.detach(target) FROM complaint.attachments ORDER BY target::text;
-- a dropped table takes its attachment along
SELECT complaint.attach('"App Data".lines', 'helpdesk', '{"subject": "title", "received_at": "created"}');
DROP TABLE "App Data".lines;
SELECT count(*) AS attachments, (SELECT count(*) FROM complaint.attached_row) AS links FROM complaint.attachment;
DROP SCHEMA "App Data" CASCADE;
