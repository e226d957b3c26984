-- Roles and row-level security (CONTRACT section 6).
--
--   complaint_admin       configuration (calendars, policies, categories, levels, facts, rules,
--                         agent units), every complaint,
--                         history import, corrections of received_at, deletions
--   complaint_supervisor  every complaint: read, file, move through the workflow
--   complaint_agent       only complaints of the units mapped to the login role in
--                         complaint.agent_unit: read, file, move through the workflow
--   complaint_reader      BI: no table access (reads the reporting views)
--
-- Roles are cluster-wide: they are created when missing and left in place by DROP EXTENSION.
-- Grant them to login roles: GRANT complaint_agent TO alice;

DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['complaint_admin', 'complaint_supervisor', 'complaint_agent', 'complaint_reader'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;

-- Which units an agent (a login role) handles.
CREATE TABLE complaint.agent_unit (
    agent name NOT NULL,
    unit  text NOT NULL,
    PRIMARY KEY (agent, unit)
);
COMMENT ON TABLE complaint.agent_unit IS 'units (departments, sites, stations) whose complaints each complaint_agent login role sees and handles';
COMMENT ON COLUMN complaint.agent_unit.agent IS 'login role, member of complaint_agent';
COMMENT ON COLUMN complaint.agent_unit.unit IS 'a value of complaint.complaint.unit';
SELECT pg_catalog.pg_extension_config_dump('complaint.agent_unit', '');

GRANT USAGE ON SCHEMA complaint TO complaint_admin, complaint_supervisor, complaint_agent, complaint_reader;

-- configuration: admin writes, staff reads
GRANT SELECT, INSERT, UPDATE, DELETE ON complaint.calendar, complaint.calendar_hours, complaint.calendar_day,
    complaint.policy, complaint.category, complaint.level, complaint.fact, complaint.rule,
    complaint.agent_unit TO complaint_admin;
GRANT SELECT ON complaint.calendar, complaint.calendar_hours, complaint.calendar_day,
    complaint.policy, complaint.category, complaint.level, complaint.fact, complaint.rule
    TO complaint_supervisor, complaint_agent;
GRANT SELECT ON complaint.agent_unit TO complaint_supervisor, complaint_agent;
-- the guards of the configuration run as the user who changes it: only its writers may lock
-- complaint.complaint in SHARE mode through them
REVOKE ALL ON FUNCTION complaint._complaints_use(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION complaint._complaints_use(text, text, text) TO complaint_admin;
GRANT EXECUTE ON FUNCTION complaint._ref_mode_switch(text, boolean) TO complaint_admin;

-- complaints and their history
GRANT SELECT, INSERT, UPDATE, DELETE ON complaint.complaint TO complaint_admin;
GRANT SELECT, INSERT, UPDATE ON complaint.complaint TO complaint_supervisor, complaint_agent;
GRANT SELECT ON complaint.event TO complaint_admin, complaint_supervisor, complaint_agent;

ALTER TABLE complaint.complaint ENABLE ROW LEVEL SECURITY;
CREATE POLICY complaint_admin_all ON complaint.complaint TO complaint_admin
    USING (true) WITH CHECK (true);
CREATE POLICY complaint_supervisor_all ON complaint.complaint TO complaint_supervisor
    USING (true) WITH CHECK (true);
CREATE POLICY complaint_agent_units ON complaint.complaint TO complaint_agent
    USING (unit IN (SELECT au.unit FROM complaint.agent_unit au WHERE au.agent = CURRENT_USER))
    WITH CHECK (unit IN (SELECT au.unit FROM complaint.agent_unit au WHERE au.agent = CURRENT_USER));

ALTER TABLE complaint.event ENABLE ROW LEVEL SECURITY;
CREATE POLICY event_staff_all ON complaint.event TO complaint_admin, complaint_supervisor
    USING (true);
CREATE POLICY event_agent_units ON complaint.event TO complaint_agent
    USING (complaint_id IN (SELECT c.id FROM complaint.complaint c));

ALTER TABLE complaint.agent_unit ENABLE ROW LEVEL SECURITY;
CREATE POLICY agent_unit_staff_all ON complaint.agent_unit TO complaint_admin, complaint_supervisor
    USING (true) WITH CHECK (true);
CREATE POLICY agent_unit_own ON complaint.agent_unit TO complaint_agent
    USING (agent = CURRENT_USER);
