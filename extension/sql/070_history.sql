-- History (CONTRACT section 2): complaint.event is append-only. It is written by the
-- complaint trigger as the table owner; no role has INSERT, and UPDATE, DELETE and
-- TRUNCATE are refused by triggers for everyone, the owner included (ENABLE ALWAYS, so
-- session_replication_role does not switch them off either).

CREATE TABLE complaint.event (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    complaint_id bigint NOT NULL,
    at           timestamptz NOT NULL,
    actor        text NOT NULL,
    kind         text NOT NULL,
    detail       jsonb NOT NULL DEFAULT '{}',
    imported     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE complaint.event IS 'append-only history of complaints: creation, status changes, reopenings, assignments, validity and level changes, corrections, deletions';
COMMENT ON COLUMN complaint.event.complaint_id IS 'complaint.complaint.id (kept after a complaint is deleted)';
COMMENT ON COLUMN complaint.event.at IS 'when the change was made (start of the statement that made it)';
COMMENT ON COLUMN complaint.event.actor IS 'database user who made the change';
COMMENT ON COLUMN complaint.event.kind IS 'created, status, reopen, assignment, validity, level, received_at, deleted';
COMMENT ON COLUMN complaint.event.detail IS 'what changed, e.g. {"from": "new", "to": "assigned"}';
COMMENT ON COLUMN complaint.event.imported IS 'true for complaints imported with pg_complaint.import = on';

CREATE INDEX event_complaint ON complaint.event (complaint_id, id);

CREATE FUNCTION complaint._event_append_only()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_event_append_only';

CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON complaint.event
    FOR EACH ROW EXECUTE FUNCTION complaint._event_append_only();
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON complaint.event
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._event_append_only();
ALTER TABLE complaint.event ENABLE ALWAYS TRIGGER event_append_only;
ALTER TABLE complaint.event ENABLE ALWAYS TRIGGER event_no_truncate;

SELECT pg_catalog.pg_extension_config_dump('complaint.event', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.event_id_seq', '');

-- complaint.history(id) lists the events of one complaint in order.
CREATE FUNCTION complaint.history(complaint_id bigint)
RETURNS TABLE (at timestamptz, actor text, kind text, detail jsonb)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT e.at, e.actor, e.kind, e.detail
      FROM complaint.event e
     WHERE e.complaint_id = history.complaint_id
     ORDER BY e.id
$$;
COMMENT ON FUNCTION complaint.history(bigint) IS 'events of one complaint, oldest first';
