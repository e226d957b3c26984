-- Existing applications (CONTRACT section 5): complaint.attach() puts C triggers on an
-- application's own table so that every row of it is a complaint under a policy, kept in step
-- with one linked row of complaint.complaint in the same transaction; complaint.detach()
-- removes them again. The work runs in C (extension/src/attach.c); this file holds the
-- attachments, the links, the SQL entry points and the guards around them.

-- One row per attached table. target is a regclass: it follows renames and is dumped by name.
CREATE TABLE complaint.attachment (
    target       regclass PRIMARY KEY,
    policy       text NOT NULL REFERENCES complaint.policy (code),
    mapping      jsonb NOT NULL,
    key_columns  name[] NOT NULL,
    existing     text NOT NULL CHECK (existing IN ('import', 'skip')),
    attached_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    attached_by  name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE complaint.attachment IS 'application tables attached with complaint.attach(); written by attach() and detach() only';
COMMENT ON COLUMN complaint.attachment.target IS 'the application''s table (a partitioned table counts with its partitions)';
COMMENT ON COLUMN complaint.attachment.policy IS 'the policy whose rules its rows follow';
COMMENT ON COLUMN complaint.attachment.mapping IS 'application columns -> complaint fields, as given to attach() (CONTRACT section 5)';
COMMENT ON COLUMN complaint.attachment.key_columns IS 'the primary-key columns that identify an application row';
COMMENT ON COLUMN complaint.attachment.existing IS 'what attach() did with the rows already there: import (brought under the rules) or skip (left alone)';
COMMENT ON COLUMN complaint.attachment.attached_at IS 'when attach() ran';
COMMENT ON COLUMN complaint.attachment.attached_by IS 'who ran attach()';

-- One row per linked application row: its key (the text form of its primary key; composite
-- keys as a row literal) and its complaint. Written straight by the trigger of the target.
CREATE TABLE complaint.attached_row (
    target       regclass NOT NULL REFERENCES complaint.attachment (target) ON DELETE CASCADE,
    key          text NOT NULL,
    complaint_id bigint NOT NULL UNIQUE,
    PRIMARY KEY (target, key)
);
COMMENT ON TABLE complaint.attached_row IS 'which complaint each row of an attached table is';
COMMENT ON COLUMN complaint.attached_row.target IS 'the attached table (complaint.attachment)';
COMMENT ON COLUMN complaint.attached_row.key IS 'the row''s primary key as text: the value itself, or (a,b) for a composite key';
COMMENT ON COLUMN complaint.attached_row.complaint_id IS 'the linked complaint (complaint.complaint.id)';

-- attach() and detach() change what the triggers of a target compile: every backend
-- recompiles at its next statement.
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.attachment
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

-- No foreign key to complaint.complaint: it would change how TRUNCATE of that table is refused.
-- A link whose complaint was deleted (by complaint_admin, in complaint.complaint) is treated as
-- no link: the application's row is no longer under the rules, and the link goes with it.
SELECT pg_catalog.pg_extension_config_dump('complaint.attachment', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.attached_row', '');

-- The row trigger on every attached table (BEFORE INSERT OR UPDATE OR DELETE, C).
CREATE FUNCTION complaint._attached_row()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_attached_row';
COMMENT ON FUNCTION complaint._attached_row() IS 'trigger of attached tables: keeps each row''s linked complaint in step (attach())';

-- TRUNCATE of an attached table would delete rows without their triggers: refused while a
-- linked complaint is open, else the links go with the rows.
CREATE FUNCTION complaint._attached_truncate()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    SELECT count(*) INTO n
      FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id
     WHERE l.target = TG_RELID AND c.status NOT IN ('closed', 'rejected');
    IF n > 0 THEN
        RAISE EXCEPTION 'cannot truncate %.%: % of its rows have an open complaint', TG_TABLE_SCHEMA, TG_TABLE_NAME, n
            USING ERRCODE = '55000',
                  HINT = 'Close or reject those complaints first, or run complaint.detach() on the table.';
    END IF;
    DELETE FROM complaint.attached_row WHERE target = TG_RELID;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION complaint._attached_truncate() IS 'TRUNCATE trigger of attached tables: refused while a linked complaint is open';

CREATE FUNCTION complaint.attach(target regclass, policy text, mapping jsonb, existing text DEFAULT 'import')
RETURNS bigint
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_attach';
COMMENT ON FUNCTION complaint.attach(regclass, text, jsonb, text) IS
    'attaches an application table to a policy: its rows become complaints (mapping: CONTRACT section 5); existing => ''import'' (default) or ''skip''; returns the number of rows imported';

CREATE FUNCTION complaint.detach(target regclass)
RETURNS bigint
LANGUAGE c STRICT
AS 'MODULE_PATHNAME', 'pgc_detach';
COMMENT ON FUNCTION complaint.detach(regclass) IS
    'removes the triggers and links of complaint.attach() from a table; its complaints stay; returns the number of links removed';

-- Only the target's owner or complaint_admin may attach or detach; the functions check it
-- themselves (they run with the caller's rights and switch to the extension owner for the
-- work on its own tables).
REVOKE ALL ON FUNCTION complaint.attach(regclass, text, jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION complaint.detach(regclass) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION complaint.attach(regclass, text, jsonb, text) TO PUBLIC;
GRANT EXECUTE ON FUNCTION complaint.detach(regclass) TO PUBLIC;

CREATE VIEW complaint.attachments AS
SELECT a.target,
       a.policy,
       a.mapping,
       a.key_columns,
       a.existing,
       (SELECT pg_catalog.count(*) FROM complaint.attached_row l WHERE l.target = a.target) AS linked_rows,
       (SELECT pg_catalog.count(*)
          FROM complaint.attached_row l JOIN complaint.complaint c ON c.id = l.complaint_id
         WHERE l.target = a.target AND c.status NOT IN ('closed', 'rejected')) AS open_complaints,
       a.attached_at,
       a.attached_by
  FROM complaint.attachment a
  JOIN pg_catalog.pg_class r ON r.oid = a.target
 WHERE pg_catalog.pg_has_role(r.relowner, 'USAGE')
    OR pg_catalog.pg_has_role('complaint_admin', 'USAGE')
    OR pg_catalog.pg_has_role('complaint_supervisor', 'USAGE');
COMMENT ON VIEW complaint.attachments IS 'attached application tables with their mapping (the tables you own, or all for complaint_admin and complaint_supervisor)';
COMMENT ON COLUMN complaint.attachments.target IS 'the attached table';
COMMENT ON COLUMN complaint.attachments.policy IS 'its policy';
COMMENT ON COLUMN complaint.attachments.mapping IS 'the mapping given to attach()';
COMMENT ON COLUMN complaint.attachments.key_columns IS 'primary-key columns identifying a row';
COMMENT ON COLUMN complaint.attachments.existing IS 'import or skip: what attach() did with the rows already there';
COMMENT ON COLUMN complaint.attachments.linked_rows IS 'rows linked to a complaint';
COMMENT ON COLUMN complaint.attachments.open_complaints IS 'linked complaints not closed or rejected';
COMMENT ON COLUMN complaint.attachments.attached_at IS 'when attach() ran';
COMMENT ON COLUMN complaint.attachments.attached_by IS 'who ran attach()';
GRANT SELECT ON complaint.attachments TO PUBLIC;
GRANT SELECT ON complaint.attachment, complaint.attached_row TO complaint_admin, complaint_supervisor;

-- A dropped target takes its attachment and links along (its complaints stay), so that no
-- stale regclass is left behind (it would be dumped as a bare number).
CREATE FUNCTION complaint._attached_drop()
RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM complaint.attachment a
     USING pg_catalog.pg_event_trigger_dropped_objects() d
     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
       AND a.target OPERATOR(pg_catalog.=) d.objid::pg_catalog.regclass;
END
$$;
COMMENT ON FUNCTION complaint._attached_drop() IS 'event trigger: forgets the attachment of a dropped table';
CREATE EVENT TRIGGER complaint_attached_drop ON sql_drop
    EXECUTE FUNCTION complaint._attached_drop();
