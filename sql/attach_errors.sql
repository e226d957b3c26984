SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- attach_errors: every refused attach() and detach(), each with its clear error and proof that
-- nothing changed (no attachment, no trigger, no complaint). Uses policy helpdesk of attach.sql.
--
\set SHOW_CONTEXT never
CREATE SCHEMA errs;
CREATE TABLE errs.t (id int PRIMARY KEY, created timestamptz, title text, kind text, state text, n int,
                     flag boolean, gen int GENERATED ALWAYS AS (n + 1) STORED, out_ts timestamptz, out_n int,
                     tags text[], blob bytea);
INSERT INTO errs.t (id, created, title, state) VALUES (1, '2025-05-06 10:00+08', 'ok', 'assigned');
SELECT count(*) AS complaints_before FROM complaint.complaint \gset

-- arguments
SELECT complaint.attach(NULL, 'helpdesk', '{"subject": "title"}');
SELECT complaint.attach('errs.t', NULL, '{"subject": "title"}');
SELECT complaint.attach('errs.t', 'helpdesk', NULL);
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title"}', existing => 'all');
SELECT complaint.attach('errs.nope', 'helpdesk', '{"subject": "title"}');
-- what cannot be attached
CREATE VIEW errs.v AS SELECT * FROM errs.t;
SELECT complaint.attach('errs.v', 'helpdesk', '{"subject": "title"}');
CREATE TEMP TABLE tmp_t (id int PRIMARY KEY, title text);
SELECT complaint.attach('tmp_t', 'helpdesk', '{"subject": "title"}');
SELECT complaint.attach('complaint.complaint', 'helpdesk', '{"subject": "subject"}');
CREATE TABLE errs.nokey (id int, title text);
SELECT complaint.attach('errs.nokey', 'helpdesk', '{"subject": "title"}');
CREATE TABLE errs.datekey (day date PRIMARY KEY, title text);
SELECT complaint.attach('errs.datekey', 'helpdesk', '{"subject": "title"}');
SELECT complaint.attach('errs.t', 'no_such_policy', '{"subject": "title"}');
-- the mapping
SELECT complaint.attach('errs.t', 'helpdesk', '["title"]');
SELECT complaint.attach('errs.t', 'helpdesk', '{"title": "title"}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "ref": "kind"}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"channel": "kind"}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "Title"}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "ctid"}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": 42}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": {"col": "title"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": {"column": "title", "other": 1}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "received_at": "title"}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "received_at": {"column": "created", "map": {}}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "collective_size": "title"}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "amount": "flag"}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "tags"}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "channel": {"column": "kind", "map": ["phone"]}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "channel": {"column": "kind", "map": {"tel": 1}}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "channel": {"column": "kind", "map": {"tel": "telephone"}}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "category": {"column": "kind", "map": {"x": "food"}}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "collective_size": {"column": "kind", "map": {"many": "lots"}}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "facts": ["flag"]}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "facts": {"media": "flag"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "facts": {"lawsuit_filed": "n"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "facts": {"lawsuit_filed": true}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "write_back": {"status": "kind"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "write_back": {"next_due_at": "n"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "write_back": {"level": "out_ts"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "write_back": {"ref": "title"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "write_back": {"ref": "id"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "write_back": {"id": "gen"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "facts": {"lawsuit_filed": "flag"}, "write_back": {"level": "flag"}}');
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "write_back": {"ref": "kind", "level": "kind"}}');
-- a row already there that breaks the rules: attach() fails and leaves nothing behind
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "received_at": "created", "status": "state"}');
SELECT (SELECT count(*) FROM complaint.attachment) AS attachments,
       (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'errs.t'::regclass) AS triggers,
       (SELECT count(*) FROM complaint.complaint) - :complaints_before AS new_complaints;
-- ... and with existing => 'skip' the same mapping attaches
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title", "received_at": "created", "status": "state"}', existing => 'skip');
-- attached twice
SELECT complaint.attach('errs.t', 'helpdesk', '{"subject": "title"}');
-- a mapped column renamed after attach(): a clear error at the next write
ALTER TABLE errs.t RENAME COLUMN title TO headline;
INSERT INTO errs.t (id, headline) VALUES (2, 'after rename');
ALTER TABLE errs.t RENAME COLUMN headline TO title;
INSERT INTO errs.t (id, created, title, state) VALUES (2, '2025-05-06 11:00+08', 'renamed back', 'new');
SELECT complaint.detach('errs.t');
-- detach of what is not attached
SELECT complaint.detach('errs.t');
SELECT complaint.detach('errs.nokey');
SELECT complaint.detach(NULL);
SELECT (SELECT count(*) FROM complaint.attachment) AS attachments,
       (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'errs.t'::regclass) AS triggers;
DROP SCHEMA errs CASCADE;
