-- make demo, part 3: classification. A mixed stream of complaints under two presets; the C
-- classifier gives each a level and says why (rules as data, most severe level first).
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
\pset footer off

\echo
\echo '=== 3. Classification: levels and reasons ========================================='
SELECT complaint.install_preset('fuel_retail');
\echo 'Rules are rows of complaint.rule, conditions are JSON, validated when written:'
SELECT policy, name, level, condition FROM complaint.rule
 WHERE policy = 'fuel_retail' AND name IN ('level1_quality_repeat', 'level2_quantity_repeat', 'level1_media')
 ORDER BY name;

\echo 'A stream of complaints arrives at the fuel chain''s call centre and the property desk:'
INSERT INTO complaint.complaint (policy, received_at, channel, category, subject, complainant, unit, collective_size, amount, facts)
VALUES
  ('fuel_retail', now() - interval '20 hours', 'hotline', 'quantity', '加油量不足 Pump delivered short', 'Driver Ma', 'Station 12', 1, 300, '{}'),
  ('fuel_retail', now() - interval '19 hours', 'hotline', 'station_service_attitude', '员工态度差 Rude attendant', 'Driver Qian', 'Station 5', 1, NULL, '{}'),
  ('fuel_retail', now() - interval '15 hours', 'phone',   'quantity', '数量不足 Short fill again', 'Driver Gao', 'Station 12', 1, 280, '{}'),
  ('fuel_retail', now() - interval '12 hours', 'web',     'quality', '油品质量问题 Engine knocking after refuel', 'Driver Luo', 'Station 3', 1, NULL, '{}'),
  ('fuel_retail', now() - interval '9 hours',  'phone',   'quality', '油品浑浊 Cloudy diesel', 'Driver Zhu', 'Station 7', 1, NULL, '{}'),
  ('fuel_retail', now() - interval '6 hours',  'phone',   'station_service_fault', '记者来电 Reporter asking about a fault', 'Reporter Hu', 'Station 9', 1, NULL, '{"media": true}'),
  ('fuel_retail', now() - interval '5 hours',  'other',   'invalid_competitor', '竞争对手冒充客户 Competitor posing as customer', 'Anon', 'Station 5', 1, NULL, '{}'),
  ('fuel_retail', now() - interval '4 hours',  'hotline', 'finance_invoice', '发票开错 Wrong invoice, wants it today', 'Driver Yu', 'Station 2', 1, NULL, '{"demands_short_deadline": true}'),
  ('property',    now() - interval '8 hours',  'in_person', 'engineering_quality', '十二户联名投诉渗水 12 households: water ingress', 'Residents B2', 'Tower 5', 12, NULL, '{}'),
  ('property',    now() - interval '7 hours',  'letter', 'sales_management', '律师函：交房延误 Lawyer''s letter: late handover', 'Mr. Tang', 'Sales office', 1, NULL, '{"lawsuit_filed": true}'),
  ('property',    now() - interval '3 hours',  'phone', 'property_management', '停车收费不透明 Parking fees unclear', 'Ms. Lin', 'Tower 2', 3, NULL, '{}');

SELECT c.policy, c.ref, c.category, c.unit, c.level, c.validity,
       split_part(c.level_reasons[1], ' (', 1) AS why
  FROM complaint.complaint c
 WHERE c.policy = 'fuel_retail' OR c.unit IN ('Tower 5', 'Tower 2', 'Sales office', 'Tower 3')
 ORDER BY c.policy, c.received_at;

\echo 'The full reason of one complaint names the rule and the facts that fired:'
SELECT unnest(level_reasons) AS level_reasons FROM complaint.complaint WHERE complainant = 'Driver Gao';

\echo 'The first quantity complaint at Station 12 was raised when the second arrived (history):'
SELECT e.kind, e.detail ->> 'from' AS from_level, e.detail ->> 'to' AS to_level, e.actor
  FROM complaint.complaint c JOIN complaint.event e ON e.complaint_id = c.id
 WHERE c.complainant = 'Driver Ma' AND e.kind = 'level';

\echo 'A level only rises by itself; lowering it takes complaint_admin (and is recorded):'
UPDATE complaint.complaint SET facts = '{}' WHERE complainant = 'Mr. Tang';
SELECT ref, level, facts FROM complaint.complaint WHERE complainant = 'Mr. Tang';
UPDATE complaint.complaint SET level = 'important' WHERE complainant = 'Mr. Tang';   -- as an admin
SELECT e.kind, e.actor, e.detail ->> 'from' AS from_level, e.detail ->> 'to' AS to_level,
       e.detail -> 'reasons' ->> 0 AS reason
  FROM complaint.complaint c JOIN complaint.event e ON e.complaint_id = c.id
 WHERE c.complainant = 'Mr. Tang' AND e.kind = 'level';
