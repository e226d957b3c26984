-- pgc import --dedupe-key (tools/pgc/import.c, README "pgc"): the keys of the source rows
-- that were imported (a ticket number of the hotline system, a letter's number). An import
-- inserts the key and the complaint in one statement (INSERT ... ON CONFLICT DO NOTHING on
-- the key, then the complaint for the keys that were new), so re-running it skips what an
-- earlier run loaded, and two imports running at once never load one key twice. A key stays
-- when its complaint is deleted: re-importing the file does not bring a deleted complaint back.
CREATE TABLE complaint.import_key (
    key         text PRIMARY KEY,
    imported_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE complaint.import_key IS 'keys of source rows loaded by pgc import --dedupe-key: a row whose key is here is not imported again';
COMMENT ON COLUMN complaint.import_key.key IS 'the value of the --dedupe-key column of the source row';
COMMENT ON COLUMN complaint.import_key.imported_at IS 'when the row was imported';
GRANT SELECT, INSERT ON complaint.import_key TO complaint_admin, complaint_supervisor, complaint_agent;
GRANT DELETE ON complaint.import_key TO complaint_admin;
SELECT pg_catalog.pg_extension_config_dump('complaint.import_key', '');
