-- pgc import --dedupe-key (tools/pgc/import.c, README "pgc"): the key of the source row an
-- imported complaint came from (a ticket number of the hotline system, a letter's number).
-- Its unique index lets an import skip what an earlier run loaded, and keeps two imports
-- running at once from loading one key twice. NULL for complaints entered otherwise.
ALTER TABLE complaint.complaint ADD COLUMN import_key text;
COMMENT ON COLUMN complaint.complaint.import_key IS 'key of the source row of an imported complaint (pgc import --dedupe-key); unique; NULL when not imported that way';
CREATE UNIQUE INDEX complaint_import_key ON complaint.complaint (import_key);
COMMENT ON INDEX complaint.complaint_import_key IS 'one complaint per import key: re-running pgc import --dedupe-key adds no duplicates';
