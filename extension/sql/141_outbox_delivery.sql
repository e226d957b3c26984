-- pgc watch (tools/pgc/watch.c, README "pgc"): delivery of complaint.outbox events. A watcher
-- takes the oldest event with SELECT ... FOR UPDATE SKIP LOCKED (several watchers share the
-- work), delivers it and deletes it in the same transaction. A delivery that fails (the
-- --exec command exits non-zero) is counted on the event, with its error, and retried.
ALTER TABLE complaint.outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE complaint.outbox ADD COLUMN last_error text;
COMMENT ON COLUMN complaint.outbox.attempts IS 'failed deliveries of this event so far (pgc watch --exec); 0 while none failed';
COMMENT ON COLUMN complaint.outbox.last_error IS 'why the last delivery failed (pgc watch), or NULL';
-- FOR UPDATE needs UPDATE on a column; the delivery columns are the ones a consumer writes.
GRANT UPDATE (attempts, last_error) ON complaint.outbox TO complaint_admin;
