-- make demo, part 2: complaints walking the workflow under a policy, with reference
-- numbers, a refused transition and the history of one complaint.
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
\pset footer off

\echo
\echo '=== 2. Complaints, reference numbers, workflow and history ========================'
\echo 'A policy is rows: its calendar, the prefix of its reference numbers, its taxonomy, its'
\echo 'levels and rules. complaint.install_preset() installs the bundled ones:'
SELECT complaint.install_preset('property');
SELECT code, name_zh, name_en FROM complaint.category WHERE policy = 'property' ORDER BY code;

\echo 'A dozen complaints arrive (phone, email, forum, letter ...); each gets its reference'
\echo 'number <prefix>-<month of receipt in the calendar''s zone>-<gap-free serial> and a level:'
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, contact, unit)
VALUES
  ('property', now() - interval '3 days 05:55', 'phone',     'engineering_quality', '卫生间漏水 Bathroom leaks into the flat below', 'Zhang Wei', '138-0000-0001', 'Tower 3'),
  ('property', now() - interval '3 days 00:10', 'email',     'property_management', '电梯频繁故障 Lift keeps breaking down',      'Li Na',     'li@example.cn', 'Tower 1'),
  ('property', now() - interval '2 days 06:40', 'forum',     'planning_design',     '车位规划与宣传不符 Parking differs from brochure', 'Wang Fang', NULL,          'Phase II'),
  ('property', now() - interval '2 days 02:20', 'phone',     'sales_management',    '合同交房日期延误 Handover date missed',       'Liu Yang',  '139-0000-0004', 'Sales office'),
  ('property', now() - interval '1 day 22:00', 'letter',    'customer_service',    '客服态度差 Rude hotline agent',               'Chen Jie',  NULL,            'Service centre'),
  ('property', now() - interval '1 day 20:30', 'web',       'other',               '建议增加儿童游乐设施 Suggest a playground',   'Yang Min',  NULL,            'Phase II'),
  ('property', now() - interval '1 day 16:45', 'hotline',   'engineering_quality', '外墙开裂 Cracks in the facade',               'Zhao Lei',  '137-0000-0007', 'Tower 3'),
  ('property', now() - interval '1 day 02:50', 'in_person', 'property_management', '垃圾清运不及时 Rubbish not collected',       'Huang Li',  NULL,            'Tower 1'),
  ('property', now() - interval '1 day 01:15', 'phone',     'engineering_quality', '窗户密封不严 Windows let the rain in',      'Zhou Xin',  '136-0000-0009', 'Tower 3'),
  ('property', now() - interval '22:30', 'email',     'sales_management',    '发票开具错误 Wrong invoice',                'Wu Gang',   'wu@example.cn', 'Sales office'),
  ('property', now() - interval '18:55', 'review',    'customer_service',    '投诉无人回复 Nobody answers complaints',     'Xu Hui',    NULL,            'Service centre'),
  ('property', now() - interval '02:00', 'phone',     'property_management', '小区门禁失灵 Gate access broken',           'Sun Qiang', '135-0000-0012', 'Tower 1');
SELECT ref, to_char(received_at, 'YYYY-MM-DD HH24:MI') AS received, channel, category, level, subject
  FROM complaint.complaint WHERE policy = 'property' ORDER BY id;

\echo 'The desk works them through the workflow (each UPDATE is checked by the C trigger):'
UPDATE complaint.complaint SET status = 'acknowledged' WHERE policy = 'property';
UPDATE complaint.complaint SET status = 'assigned', handler = '王工 Eng. Wang'
 WHERE policy = 'property' AND unit = 'Tower 3';
UPDATE complaint.complaint SET status = 'assigned', handler = '李经理 Mgr. Li'
 WHERE policy = 'property' AND unit IN ('Tower 1', 'Sales office', 'Service centre');
UPDATE complaint.complaint SET status = 'investigating' WHERE policy = 'property' AND status = 'assigned' AND unit <> 'Sales office';
UPDATE complaint.complaint SET status = 'proposed' WHERE policy = 'property' AND unit = 'Tower 3';
UPDATE complaint.complaint SET status = 'accepted' WHERE policy = 'property' AND unit = 'Tower 3' AND complainant <> 'Zhao Lei';
UPDATE complaint.complaint SET status = 'follow_up' WHERE policy = 'property' AND status = 'accepted';
UPDATE complaint.complaint SET status = 'closed', satisfaction = 4, validity = 'effective'
 WHERE policy = 'property' AND status = 'follow_up';
UPDATE complaint.complaint SET status = 'rejected', validity = 'suggestion'
 WHERE policy = 'property' AND complainant = 'Yang Min';
UPDATE complaint.complaint SET status = 'escalated' WHERE policy = 'property' AND complainant = 'Zhao Lei';
SELECT ref, status, level, unit, handler, validity, satisfaction,
       resolved_at IS NOT NULL AS resolved, closed_at IS NOT NULL AS closed
  FROM complaint.complaint WHERE policy = 'property' ORDER BY id;

\echo 'An impossible step is refused, with the states that are allowed; a missing field is named:'
\set ON_ERROR_STOP 0
UPDATE complaint.complaint SET status = 'closed' WHERE complainant = 'Wu Gang' AND policy = 'property';
UPDATE complaint.complaint SET status = 'assigned' WHERE complainant = 'Yang Min' AND policy = 'property';
UPDATE complaint.complaint SET ref = 'PROP-209912-99999' WHERE complainant = 'Wu Gang';
\set ON_ERROR_STOP 1

\echo 'The customer is unhappy after closing: the complaint is reopened (counted):'
UPDATE complaint.complaint SET status = 'investigating' WHERE complainant = 'Zhou Xin' AND policy = 'property';

\echo 'The history of that complaint (append-only: UPDATE and DELETE on it are refused):'
SELECT to_char(h.at, 'HH24:MI:SS.US') AS at, h.actor, h.kind, h.detail
  FROM complaint.complaint c, complaint.history(c.id) h
 WHERE c.complainant = 'Zhou Xin' AND c.policy = 'property';
