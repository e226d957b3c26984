-- Schema, version and internal helpers shared by every part of the extension.
--
-- The schema `complaint` comes from the control file (schema = complaint). Every object
-- below is schema-qualified and every built-in is written pg_catalog.*, so the script does
-- not depend on the installing session's search_path (see sql/calendar_security.sql).

-- The schema is created by CREATE EXTENSION itself (control file) when it does not exist
-- yet; it contains the extension, so it cannot be a member of it: DROP EXTENSION leaves
-- it empty, and DROP SCHEMA complaint removes it (README, "Uninstalling").

COMMENT ON SCHEMA complaint IS
    'pg_complaint: complaint-handling rules (calendars, workflow, classification, deadlines, escalation)';

-- complaint._in_extension_script() is true while CREATE/ALTER EXTENSION runs a script:
-- the guards on bundled (builtin) rows let only the extension's own scripts change them.
CREATE FUNCTION complaint._in_extension_script()
RETURNS boolean
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_in_extension_script';

-- complaint._config_changed() is the statement-level AFTER trigger on every configuration
-- table: it sends a transactional relcache invalidation for the table, which every backend
-- (this one at its next command, the others at their next statement) turns into "recompile
-- the cached configuration before the next use".
CREATE FUNCTION complaint._config_changed()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_config_changed';

-- complaint.version() reports the version of the loaded library, to detect a library and
-- SQL script out of step after an upgrade.
CREATE FUNCTION complaint.version()
RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_version';
COMMENT ON FUNCTION complaint.version() IS 'version of the loaded pg_complaint library';
