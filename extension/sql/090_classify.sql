-- Classification (CONTRACT section 3): the classifier is C (extension/src/classify.c),
-- run by the complaint trigger on INSERT and on UPDATE of any input of the rules, and
-- callable on any complaint row.

CREATE FUNCTION complaint.classify(c complaint.complaint, as_of timestamptz DEFAULT pg_catalog.now(),
    OUT level text, OUT reasons text[])
RETURNS record
LANGUAGE c STABLE STRICT PARALLEL RESTRICTED
AS 'MODULE_PATHNAME', 'pgc_classify_sql';
COMMENT ON FUNCTION complaint.classify(complaint.complaint, timestamptz) IS
    'level and reasons the policy''s rules give a complaint as of a time (no lock, no write); levels only rise automatically, so a stored level may be higher';
