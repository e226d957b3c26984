SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
--
-- complaint_workflow: every (from, to) pair of the 12 states against the transition
-- table of CONTRACT section 2, then every precondition with its error text.
--
\set SHOW_CONTEXT never
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('reg_wf', '流程测试办法', 'Workflow test policy', 'cn', 'WF');
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix, first_contact_resolution)
VALUES ('reg_wf_fcr', '首问解决办法', 'First-contact resolution policy', 'cn', 'WX', true);

-- The transition table of the CONTRACT, typed in again here (not read from the engine).
CREATE TEMP TABLE contract_transition (f complaint.status, t complaint.status, PRIMARY KEY (f, t));
INSERT INTO contract_transition VALUES
    ('new', 'acknowledged'), ('new', 'assigned'), ('new', 'rejected'), ('new', 'closed'),
    ('acknowledged', 'assigned'), ('acknowledged', 'pending_info'), ('acknowledged', 'rejected'),
    ('assigned', 'assigned'), ('assigned', 'investigating'), ('assigned', 'pending_info'),
    ('investigating', 'proposed'), ('investigating', 'pending_info'), ('investigating', 'escalated'),
    ('pending_info', 'investigating'), ('pending_info', 'assigned'),
    ('proposed', 'accepted'), ('proposed', 'escalated'),
    ('escalated', 'investigating'), ('escalated', 'proposed'), ('escalated', 'external_review'),
    ('external_review', 'proposed'), ('external_review', 'accepted'), ('external_review', 'closed'),
    ('accepted', 'follow_up'), ('accepted', 'closed'),
    ('follow_up', 'closed'), ('follow_up', 'investigating'),
    ('closed', 'investigating'),
    ('rejected', 'investigating');
SELECT count(*) AS contract_transitions FROM contract_transition;

-- How to reach each state from new (every complaint of the matrix carries a unit, a
-- handler, validity 'suggestion' and a satisfaction, so that every precondition holds).
CREATE TEMP TABLE reach (s complaint.status PRIMARY KEY, path complaint.status[] NOT NULL);
INSERT INTO reach VALUES
    ('new', '{}'),
    ('acknowledged', '{acknowledged}'),
    ('assigned', '{assigned}'),
    ('investigating', '{assigned,investigating}'),
    ('pending_info', '{acknowledged,pending_info}'),
    ('proposed', '{assigned,investigating,proposed}'),
    ('escalated', '{assigned,investigating,escalated}'),
    ('external_review', '{assigned,investigating,escalated,external_review}'),
    ('accepted', '{assigned,investigating,proposed,accepted}'),
    ('follow_up', '{assigned,investigating,proposed,accepted,follow_up}'),
    ('closed', '{closed}'),
    ('rejected', '{rejected}');

-- For each of the 144 pairs: a fresh complaint driven to `from`, then the attempt to go to
-- `to` in a subtransaction (the reassignment assigned -> assigned changes the handler).
CREATE TEMP TABLE attempt (f complaint.status, t complaint.status, result text, status_after complaint.status,
                           events_written int, PRIMARY KEY (f, t));
DO $$
DECLARE
    f complaint.status;
    t complaint.status;
    st complaint.status;
    cid bigint;
    n_before int;
    n_after int;
    res text;
BEGIN
    FOR f, t IN SELECT a, b FROM unnest(enum_range(NULL::complaint.status)) a,
                                 unnest(enum_range(NULL::complaint.status)) b LOOP
        INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, validity, satisfaction)
        VALUES ('reg_wf', '2025-06-02 10:00', f || ' -> ' || t, 'U1', 'Han', 'suggestion', 5)
        RETURNING id INTO cid;
        FOREACH st IN ARRAY (SELECT path FROM reach WHERE s = f) LOOP
            UPDATE complaint.complaint SET status = st WHERE id = cid;
        END LOOP;
        SELECT count(*) INTO n_before FROM complaint.event WHERE complaint_id = cid;
        BEGIN
            UPDATE complaint.complaint
               SET status = t, handler = CASE WHEN f = 'assigned' AND t = 'assigned' THEN 'Reassigned' ELSE handler END
             WHERE id = cid;
            res := 'ok';
        EXCEPTION WHEN OTHERS THEN
            res := SQLSTATE;
        END;
        SELECT count(*) INTO n_after FROM complaint.event WHERE complaint_id = cid;
        INSERT INTO attempt SELECT f, t, res, c.status, n_after - n_before FROM complaint.complaint c WHERE c.id = cid;
    END LOOP;
END
$$;
SELECT count(*) AS pairs, count(*) FILTER (WHERE result = 'ok') AS succeeded,
       count(*) FILTER (WHERE result = '23Q01') AS invalid_transition,
       count(*) FILTER (WHERE result NOT IN ('ok', '23Q01')) AS other_errors
  FROM attempt;

-- The matrix: ok = the UPDATE succeeded, 23Q01 = refused as an invalid transition.
-- (rows: from; columns: to, in enum order new, acknowledged, assigned, investigating,
-- pending_info, proposed, escalated, external_review, accepted, follow_up, closed, rejected)
SELECT f AS "from",
       max(result) FILTER (WHERE t = 'new') AS new,
       max(result) FILTER (WHERE t = 'acknowledged') AS ack,
       max(result) FILTER (WHERE t = 'assigned') AS asgn,
       max(result) FILTER (WHERE t = 'investigating') AS inv,
       max(result) FILTER (WHERE t = 'pending_info') AS pend,
       max(result) FILTER (WHERE t = 'proposed') AS prop,
       max(result) FILTER (WHERE t = 'escalated') AS esc,
       max(result) FILTER (WHERE t = 'external_review') AS ext,
       max(result) FILTER (WHERE t = 'accepted') AS acc,
       max(result) FILTER (WHERE t = 'follow_up') AS fup,
       max(result) FILTER (WHERE t = 'closed') AS clos,
       max(result) FILTER (WHERE t = 'rejected') AS rej
  FROM attempt GROUP BY f ORDER BY f;

-- Compared with the CONTRACT: an allowed pair succeeds, leaves the complaint in `to` and
-- writes its event(s); setting the status a complaint already has is no transition (it
-- succeeds and writes nothing); every other pair fails with 23Q01 and changes nothing.
SELECT a.f, a.t, a.result, a.status_after, a.events_written, ct.f IS NOT NULL AS in_contract
  FROM attempt a LEFT JOIN contract_transition ct ON ct.f = a.f AND ct.t = a.t
 WHERE CASE
         WHEN ct.f IS NOT NULL THEN NOT (a.result = 'ok' AND a.status_after = a.t AND a.events_written >= 1)
         WHEN a.f = a.t THEN NOT (a.result = 'ok' AND a.status_after = a.t AND a.events_written = 0)
         ELSE NOT (a.result = '23Q01' AND a.status_after = a.f AND a.events_written = 0)
       END
 ORDER BY a.f, a.t;
-- every pair that succeeded, with the events it wrote (none for a status kept as it is)
SELECT a.f AS "from", a.t AS "to", a.status_after,
       (SELECT string_agg(x.kind, ', ' ORDER BY x.id)
          FROM (SELECT e.id, e.kind FROM complaint.event e WHERE e.complaint_id = c.id
                 ORDER BY e.id DESC LIMIT a.events_written) x) AS events
  FROM attempt a JOIN complaint.complaint c ON c.policy = 'reg_wf' AND c.subject = a.f || ' -> ' || a.t
 WHERE a.result = 'ok'
 ORDER BY a.f, a.t;

--
-- Error texts of invalid transitions: the message names both states, DETAIL lists the
-- allowed next states in enum order
--
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler, validity)
VALUES ('reg_wf', '2025-07-01 09:00', 'error texts', 'U1', 'Han', 'suggestion') RETURNING ref;
SELECT id AS e FROM complaint.complaint WHERE ref = 'WF-202507-00001' \gset
UPDATE complaint.complaint SET status = 'investigating' WHERE id = :e;
UPDATE complaint.complaint SET status = 'follow_up' WHERE id = :e;
UPDATE complaint.complaint SET status = 'acknowledged' WHERE id = :e;
-- the transition is checked before its preconditions: acknowledged -> closed is refused as
-- such even for a suggestion
UPDATE complaint.complaint SET status = 'closed' WHERE id = :e;
UPDATE complaint.complaint SET status = 'new' WHERE id = :e;
UPDATE complaint.complaint SET status = 'assigned' WHERE id = :e;
UPDATE complaint.complaint SET status = 'investigating' WHERE id = :e;
UPDATE complaint.complaint SET status = 'closed' WHERE id = :e;
UPDATE complaint.complaint SET status = 'escalated' WHERE id = :e;
UPDATE complaint.complaint SET status = 'proposed' WHERE id = :e;
UPDATE complaint.complaint SET status = 'closed' WHERE id = :e;
UPDATE complaint.complaint SET status = 'accepted' WHERE id = :e;
UPDATE complaint.complaint SET status = 'investigating' WHERE id = :e;
UPDATE complaint.complaint SET status = 'closed' WHERE id = :e;
UPDATE complaint.complaint SET status = 'follow_up' WHERE id = :e;
UPDATE complaint.complaint SET status = 'accepted' WHERE id = :e;
UPDATE complaint.complaint SET status = 'closed' WHERE id = :e;
UPDATE complaint.complaint SET status = 'follow_up' WHERE id = :e;
UPDATE complaint.complaint SET status = 'new' WHERE id = :e;
INSERT INTO complaint.complaint (policy, received_at, subject, validity)
VALUES ('reg_wf', '2025-07-01 09:00', 'rejected', 'invalid') RETURNING ref;
UPDATE complaint.complaint SET status = 'rejected' WHERE ref = 'WF-202507-00002';
UPDATE complaint.complaint SET status = 'closed' WHERE ref = 'WF-202507-00002';
UPDATE complaint.complaint SET status = 'acknowledged' WHERE ref = 'WF-202507-00002';
-- a multi-row UPDATE with one refused row changes no row
SELECT ref, status FROM complaint.complaint WHERE ref IN ('WF-202507-00001', 'WF-202507-00002') ORDER BY ref;
UPDATE complaint.complaint SET status = 'investigating' WHERE ref IN ('WF-202507-00001', 'WF-202507-00002');
SELECT ref, status, unit, handler, reopen_count FROM complaint.complaint
 WHERE ref IN ('WF-202507-00001', 'WF-202507-00002') ORDER BY ref;
UPDATE complaint.complaint SET status = 'investigating', unit = 'U1', handler = 'Han'
 WHERE ref IN ('WF-202507-00001', 'WF-202507-00002');
SELECT ref, status, unit, handler, reopen_count FROM complaint.complaint
 WHERE ref IN ('WF-202507-00001', 'WF-202507-00002') ORDER BY ref;

--
-- Preconditions (SQLSTATE 23Q02): the message names the missing thing, the HINT the field
--
-- assigned needs a unit and a handler (blank counts as missing), checked on the row as
-- it will be stored, so they can be set in the same UPDATE
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_wf', '2025-07-02 09:00', 'preconditions of assigned') RETURNING ref;
UPDATE complaint.complaint SET status = 'assigned' WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'assigned', unit = 'U1' WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'assigned', handler = 'Han' WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'assigned', unit = '   ', handler = 'Han' WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'assigned', unit = 'U1', handler = E'\t' WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'acknowledged' WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'assigned', unit = 'U1' WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'assigned', unit = 'U1', handler = 'Han' WHERE ref = 'WF-202507-00003'
RETURNING ref, status, unit, handler;
-- a reassignment that removes the handler or the unit is refused too
UPDATE complaint.complaint SET handler = NULL WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'assigned', unit = '' WHERE ref = 'WF-202507-00003';
-- investigating needs them as well: removing the handler on the way is refused
UPDATE complaint.complaint SET status = 'investigating', handler = NULL WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'pending_info' WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'investigating', unit = NULL WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'assigned', handler = ' ' WHERE ref = 'WF-202507-00003';
UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'WF-202507-00003' RETURNING ref, status;
-- a complaint put on hold before it was assigned has no unit yet: pending_info ->
-- investigating needs it
INSERT INTO complaint.complaint (policy, received_at, subject)
VALUES ('reg_wf', '2025-07-02 10:00', 'pending before assignment') RETURNING ref;
UPDATE complaint.complaint SET status = 'acknowledged' WHERE ref = 'WF-202507-00004';
UPDATE complaint.complaint SET status = 'pending_info' WHERE ref = 'WF-202507-00004';
UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'WF-202507-00004';
UPDATE complaint.complaint SET status = 'investigating', unit = 'U2' WHERE ref = 'WF-202507-00004';
UPDATE complaint.complaint SET status = 'investigating', unit = 'U2', handler = 'Qi' WHERE ref = 'WF-202507-00004'
RETURNING ref, status;

-- rejected needs validity invalid or suggestion (from new and from acknowledged)
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('reg_wf', '2025-07-03 09:00', 'rejected from new'),
    ('reg_wf', '2025-07-03 10:00', 'rejected from acknowledged')
RETURNING ref;
UPDATE complaint.complaint SET status = 'rejected' WHERE ref = 'WF-202507-00005';
UPDATE complaint.complaint SET status = 'rejected', validity = 'effective' WHERE ref = 'WF-202507-00005';
UPDATE complaint.complaint SET status = 'rejected', validity = 'invalid' WHERE ref = 'WF-202507-00005'
RETURNING ref, status, validity;
UPDATE complaint.complaint SET status = 'acknowledged', validity = 'effective' WHERE ref = 'WF-202507-00006';
UPDATE complaint.complaint SET status = 'rejected' WHERE ref = 'WF-202507-00006';
UPDATE complaint.complaint SET status = 'rejected', validity = 'suggestion' WHERE ref = 'WF-202507-00006'
RETURNING ref, status, validity;
-- disputing a ruling (rejected -> investigating) needs a unit and a handler
UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'WF-202507-00006';
UPDATE complaint.complaint SET status = 'investigating', unit = 'U1', handler = 'Han', validity = 'effective'
 WHERE ref = 'WF-202507-00006' RETURNING ref, status, validity;

-- closed from follow_up needs the satisfaction of the follow-up visit
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler)
VALUES ('reg_wf', '2025-07-04 09:00', 'closed from follow_up', 'U1', 'Han') RETURNING ref;
UPDATE complaint.complaint SET status = 'assigned' WHERE ref = 'WF-202507-00007';
UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'WF-202507-00007';
UPDATE complaint.complaint SET status = 'proposed' WHERE ref = 'WF-202507-00007';
UPDATE complaint.complaint SET status = 'accepted' WHERE ref = 'WF-202507-00007';
UPDATE complaint.complaint SET status = 'follow_up' WHERE ref = 'WF-202507-00007';
UPDATE complaint.complaint SET status = 'closed' WHERE ref = 'WF-202507-00007';
UPDATE complaint.complaint SET status = 'closed', satisfaction = 2 WHERE ref = 'WF-202507-00007'
RETURNING ref, status, satisfaction, closed_at IS NOT NULL AS closed;
-- from accepted and from external_review no satisfaction is needed
INSERT INTO complaint.complaint (policy, received_at, subject, unit, handler) VALUES
    ('reg_wf', '2025-07-04 10:00', 'closed from accepted', 'U1', 'Han'),
    ('reg_wf', '2025-07-04 11:00', 'closed from external_review', 'U1', 'Han')
RETURNING ref;
UPDATE complaint.complaint SET status = 'assigned' WHERE ref IN ('WF-202507-00008', 'WF-202507-00009');
UPDATE complaint.complaint SET status = 'investigating' WHERE ref IN ('WF-202507-00008', 'WF-202507-00009');
UPDATE complaint.complaint SET status = 'proposed' WHERE ref = 'WF-202507-00008';
UPDATE complaint.complaint SET status = 'accepted' WHERE ref = 'WF-202507-00008';
UPDATE complaint.complaint SET status = 'escalated' WHERE ref = 'WF-202507-00009';
UPDATE complaint.complaint SET status = 'external_review' WHERE ref = 'WF-202507-00009';
UPDATE complaint.complaint SET status = 'closed' WHERE ref IN ('WF-202507-00008', 'WF-202507-00009')
RETURNING ref, status, satisfaction, closed_at IS NOT NULL AS closed, resolved_at IS NOT NULL AS resolved;

-- closed straight from new: only a suggestion ...
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('reg_wf', '2025-07-05 09:00', 'closed from new without validity'),
    ('reg_wf', '2025-07-05 10:00', 'closed from new, effective'),
    ('reg_wf', '2025-07-05 11:00', 'closed from new, invalid'),
    ('reg_wf', '2025-07-05 12:00', 'closed from new, suggestion')
RETURNING ref;
UPDATE complaint.complaint SET status = 'closed' WHERE ref = 'WF-202507-00010';
UPDATE complaint.complaint SET status = 'closed', validity = 'effective' WHERE ref = 'WF-202507-00011';
UPDATE complaint.complaint SET status = 'closed', validity = 'invalid' WHERE ref = 'WF-202507-00012';
UPDATE complaint.complaint SET status = 'closed', validity = 'suggestion' WHERE ref = 'WF-202507-00013'
RETURNING ref, status, validity, closed_at IS NOT NULL AS closed, resolved_at IS NOT NULL AS resolved;
-- ... unless the policy allows first-contact resolution
INSERT INTO complaint.complaint (policy, received_at, subject) VALUES
    ('reg_wf_fcr', '2025-07-05 09:00', 'solved on the phone'),
    ('reg_wf_fcr', '2025-07-05 10:00', 'solved on the phone, effective')
RETURNING ref;
UPDATE complaint.complaint SET status = 'closed' WHERE ref = 'WX-202507-00001';
UPDATE complaint.complaint SET status = 'closed', validity = 'effective' WHERE ref = 'WX-202507-00002';
SELECT ref, status, validity, closed_at IS NOT NULL AS closed FROM complaint.complaint
 WHERE ref LIKE 'WX-%' ORDER BY ref;
-- the policy setting is read at the next statement after a change
UPDATE complaint.policy SET first_contact_resolution = true WHERE code = 'reg_wf';
UPDATE complaint.complaint SET status = 'closed' WHERE ref = 'WF-202507-00010' RETURNING ref, status;
UPDATE complaint.policy SET first_contact_resolution = false WHERE code = 'reg_wf';
UPDATE complaint.complaint SET status = 'closed', validity = 'effective' WHERE ref = 'WF-202507-00011';
-- a closed complaint (closed from new, no unit) is reopened only with a unit and a handler
UPDATE complaint.complaint SET status = 'investigating' WHERE ref = 'WF-202507-00013';
UPDATE complaint.complaint SET status = 'investigating', unit = 'U3', handler = 'Lu' WHERE ref = 'WF-202507-00013'
RETURNING ref, status, reopen_count, closed_at IS NULL AS closed_at_cleared;

-- failed attempts left no event: every status event of this part is a successful step
SELECT c.ref, string_agg(e.detail ->> 'to', ' -> ' ORDER BY e.id) AS path
  FROM complaint.complaint c JOIN complaint.event e ON e.complaint_id = c.id AND e.kind IN ('status', 'reopen')
 WHERE c.received_at >= '2025-07-01' AND c.policy IN ('reg_wf', 'reg_wf_fcr')
 GROUP BY c.ref ORDER BY c.ref;

--
-- The needs of a state hold while the complaint stays in it: a complaint under
-- investigation cannot lose its unit or handler, a rejected one cannot become effective
-- (the customer's dispute goes through investigating). Satisfaction is the follow-up's
-- result and may be corrected. So the first two updates fail and write no event.
--
UPDATE complaint.complaint SET handler = NULL, unit = NULL WHERE ref = 'WF-202507-00004' RETURNING ref, status, unit, handler;
UPDATE complaint.complaint SET validity = 'effective' WHERE ref = 'WF-202507-00005' RETURNING ref, status, validity;
UPDATE complaint.complaint SET satisfaction = NULL WHERE ref = 'WF-202507-00007' RETURNING ref, status, satisfaction;
SELECT c.ref, e.kind, e.detail
  FROM complaint.complaint c JOIN complaint.event e ON e.complaint_id = c.id
 WHERE c.ref IN ('WF-202507-00004', 'WF-202507-00005', 'WF-202507-00007')
   AND e.id > (SELECT max(e2.id) FROM complaint.event e2 JOIN complaint.complaint c2 ON c2.id = e2.complaint_id
                WHERE c2.ref = 'WF-202507-00013')
 ORDER BY e.id;
