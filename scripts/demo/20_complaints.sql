-- make demo, part 2: complaints walking the workflow under a policy, with reference
-- numbers, a refused transition and the history of one complaint.
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
\pset footer off

\echo
\echo '=== 2. Complaints, reference numbers, workflow and history ========================'
\echo 'A policy is rows: its calendar, the prefix of its reference numbers, its taxonomy.'
INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
VALUES ('demo_property', '物业投诉处理办法', 'Property complaint handling', 'cn', 'PROP');
INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES
    ('demo_property', 'engineering_quality', '工程质量', 'Engineering quality'),
    ('demo_property', 'planning_design', '规划设计', 'Planning and design'),
    ('demo_property', 'sales_management', '销售管理', 'Sales management'),
    ('demo_property', 'property_management', '物业管理', 'Property management'),
    ('demo_property', 'customer_service', '客户服务', 'Customer service'),
    ('demo_property', 'other', '其他', 'Other');

\echo 'A dozen complaints arrive (phone, email, forum, letter ...); each gets its reference'
\echo 'number <prefix>-<month of receipt in the calendar''s zone>-<gap-free serial>:'
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, contact, unit)
VALUES
  ('demo_property', '2025-09-26 10:05', 'phone',     'engineering_quality', '卫生间漏水 Bathroom leaks into the flat below', 'Zhang Wei', '138-0000-0001', 'Tower 3'),
  ('demo_property', '2025-09-26 17:50', 'email',     'property_management', '电梯频繁故障 Lift keeps breaking down',      'Li Na',     'li@example.cn', 'Tower 1'),
  ('demo_property', '2025-09-27 11:20', 'forum',     'planning_design',     '车位规划与宣传不符 Parking differs from brochure', 'Wang Fang', NULL,          'Phase II'),
  ('demo_property', '2025-09-28 09:40', 'phone',     'sales_management',    '合同交房日期延误 Handover date missed',       'Liu Yang',  '139-0000-0004', 'Sales office'),
  ('demo_property', '2025-09-29 14:00', 'letter',    'customer_service',    '客服态度差 Rude hotline agent',               'Chen Jie',  NULL,            'Service centre'),
  ('demo_property', '2025-09-30 08:30', 'web',       'other',               '建议增加儿童游乐设施 Suggest a playground',   'Yang Min',  NULL,            'Phase II'),
  ('demo_property', '2025-10-02 20:15', 'hotline',   'engineering_quality', '外墙开裂 Cracks in the facade',               'Zhao Lei',  '137-0000-0007', 'Tower 3'),
  ('demo_property', '2025-10-09 09:10', 'in_person', 'property_management', '垃圾清运不及时 Rubbish not collected',       'Huang Li',  NULL,            'Tower 1'),
  ('demo_property', '2025-10-09 10:45', 'phone',     'engineering_quality', '窗户密封不严 Windows let the rain in',      'Zhou Xin',  '136-0000-0009', 'Tower 3'),
  ('demo_property', '2025-10-10 16:30', 'email',     'sales_management',    '发票开具错误 Wrong invoice',                'Wu Gang',   'wu@example.cn', 'Sales office'),
  ('demo_property', '2025-10-11 09:05', 'review',    'customer_service',    '投诉无人回复 Nobody answers complaints',     'Xu Hui',    NULL,            'Service centre'),
  ('demo_property', '2025-10-13 11:00', 'phone',     'property_management', '小区门禁失灵 Gate access broken',           'Sun Qiang', '135-0000-0012', 'Tower 1');
SELECT ref, to_char(received_at, 'YYYY-MM-DD HH24:MI') AS received, channel, category, subject
  FROM complaint.complaint WHERE policy = 'demo_property' ORDER BY id;

\echo 'The desk works them through the workflow (each UPDATE is checked by the C trigger):'
UPDATE complaint.complaint SET status = 'acknowledged' WHERE policy = 'demo_property';
UPDATE complaint.complaint SET status = 'assigned', handler = '王工 Eng. Wang'
 WHERE policy = 'demo_property' AND unit = 'Tower 3';
UPDATE complaint.complaint SET status = 'assigned', handler = '李经理 Mgr. Li'
 WHERE policy = 'demo_property' AND unit IN ('Tower 1', 'Sales office', 'Service centre');
UPDATE complaint.complaint SET status = 'investigating' WHERE policy = 'demo_property' AND status = 'assigned' AND unit <> 'Sales office';
UPDATE complaint.complaint SET status = 'proposed' WHERE policy = 'demo_property' AND unit = 'Tower 3';
UPDATE complaint.complaint SET status = 'accepted' WHERE policy = 'demo_property' AND unit = 'Tower 3' AND complainant <> 'Zhao Lei';
UPDATE complaint.complaint SET status = 'follow_up' WHERE policy = 'demo_property' AND status = 'accepted';
UPDATE complaint.complaint SET status = 'closed', satisfaction = 4, validity = 'effective'
 WHERE policy = 'demo_property' AND status = 'follow_up';
UPDATE complaint.complaint SET status = 'rejected', validity = 'suggestion'
 WHERE policy = 'demo_property' AND complainant = 'Yang Min';
UPDATE complaint.complaint SET status = 'escalated' WHERE policy = 'demo_property' AND complainant = 'Zhao Lei';
SELECT ref, status, unit, handler, validity, satisfaction,
       resolved_at IS NOT NULL AS resolved, closed_at IS NOT NULL AS closed
  FROM complaint.complaint WHERE policy = 'demo_property' ORDER BY id;

\echo 'An impossible step is refused, with the states that are allowed; a missing field is named:'
\set ON_ERROR_STOP 0
UPDATE complaint.complaint SET status = 'closed' WHERE ref = 'PROP-202510-00004';
UPDATE complaint.complaint SET status = 'assigned' WHERE complainant = 'Yang Min' AND policy = 'demo_property';
UPDATE complaint.complaint SET ref = 'PROP-202510-99999' WHERE complainant = 'Wu Gang';
\set ON_ERROR_STOP 1

\echo 'The customer is unhappy after closing: the complaint is reopened (counted):'
UPDATE complaint.complaint SET status = 'investigating' WHERE complainant = 'Zhou Xin' AND policy = 'demo_property';

\echo 'The history of that complaint (append-only: UPDATE and DELETE on it are refused):'
SELECT to_char(h.at, 'HH24:MI:SS.US') AS at, h.actor, h.kind, h.detail
  FROM complaint.complaint c, complaint.history(c.id) h
 WHERE c.complainant = 'Zhou Xin' AND c.policy = 'demo_property';
