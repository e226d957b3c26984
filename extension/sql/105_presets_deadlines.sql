-- Deadlines and escalations of the five presets (CONTRACT section 7, "deadline kinds"; the
-- readings of section 8), installed by complaint.install_preset() after the policy itself.
-- Status sets used below:
--   "assigned or later"  assigned, investigating, pending_info, proposed, escalated,
--                        external_review, accepted, follow_up, closed
--   "investigating or later" the same without assigned and pending_info
--   "resolved"           accepted, follow_up, closed
CREATE FUNCTION complaint._install_preset_deadlines(p text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    assigned_or_later complaint.status[] := '{assigned,investigating,pending_info,proposed,escalated,external_review,accepted,follow_up,closed}';
    investigating_or_later complaint.status[] := '{investigating,proposed,escalated,external_review,accepted,follow_up,closed}';
    answered complaint.status[] := '{proposed,escalated,external_review,accepted,follow_up,closed}';
    resolved complaint.status[] := '{accepted,follow_up,closed}';
BEGIN
    ------------------------------------------------------------------ property
    IF p = 'property' THEN
        UPDATE complaint.level SET announce = true WHERE policy = 'property' AND code = 'major' AND NOT announce;
        INSERT INTO complaint.sla_rule (policy, name, kind, seq, condition, anchor, anchor_value, measure, amount, days,
                                        met_by, met_by_notification, pause_in, repeat_every, restart) VALUES
            -- 5.2.2: forwarding to the responsible agent, by day, time and channel of receipt
            ('property', 'forward_non_working_day', 'forward', 10, '{"fact": "received_on_workday", "value": false}',
             'receipt', NULL, 'end_of_day', NULL, NULL, assigned_or_later, false, '{}', NULL, false),
            ('property', 'forward_after_hours', 'forward', 20, '{"fact": "received_in_working_time", "value": false}',
             'receipt', NULL, 'after_opening', '1 hour', NULL, assigned_or_later, false, '{}', NULL, false),
            ('property', 'forward_direct', 'forward', 30,
             '{"fact": "channel", "op": "in", "value": ["phone", "hotline", "email", "web", "in_person", "letter", "sales_feedback", "regulator"]}',
             'receipt', NULL, 'working_time', '30 minutes', NULL, assigned_or_later, false, '{}', NULL, false),
            ('property', 'forward_online', 'forward', 40,
             '{"fact": "channel", "op": "in", "value": ["forum", "review", "other"]}',
             'receipt', NULL, 'working_time', '1 hour', NULL, assigned_or_later, false, '{}', NULL, false),
            -- the agent's written answer within 4 working hours of receiving it; pending_info pauses
            ('property', 'respond', 'respond', 10, NULL, 'status', 'assigned', 'working_time', '4 hours', NULL,
             investigating_or_later, false, '{pending_info}', NULL, true),
            -- major: initial handling result to the customer within 24 hours
            ('property', 'initial_result', 'initial_result', 10, NULL, 'level', 'major', 'calendar_time', '24 hours', NULL,
             '{proposed,accepted,follow_up,closed}', false, '{}', NULL, false),
            -- 5.5.2: hot -> notify within 1 working day; major -> announced at once, progress every 7 days
            ('property', 'notify_hot', 'notify', 10, NULL, 'level', 'hot', 'workdays', NULL, 1,
             '{}', true, '{}', NULL, false),
            ('property', 'notify_major_progress', 'notify', 20, NULL, 'level', 'major', 'calendar_time', '7 days', NULL,
             '{}', true, '{}', '7 days', false)
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, after, action, repeat_every, message_zh, message_en) VALUES
            ('property', 'forward_overdue', 'forward', '0', 'remind', NULL, '投诉未按时转交责任人，请立即转交', 'complaint not forwarded in time: forward it now'),
            ('property', 'respond_overdue', 'respond', '0', 'remind', '1 day', '责任人未在4小时内书面答复，催办', 'no written answer within 4 working hours: reminder (催办)'),
            ('property', 'initial_result_overdue', 'initial_result', '0', 'notify', NULL, '重大投诉24小时内未给客户初步处理结果', 'major complaint: no initial result to the customer within 24 hours'),
            ('property', 'notify_overdue', 'notify', '0', 'remind', NULL, '未按时通报公司及集团', 'company and group not notified in time')
        ON CONFLICT DO NOTHING;

    ------------------------------------------------------------------ fuel_retail
    ELSIF p = 'fuel_retail' THEN
        UPDATE complaint.level SET announce = true WHERE policy = 'fuel_retail' AND code = 'level1' AND NOT announce;
        INSERT INTO complaint.sla_rule (policy, name, kind, seq, condition, anchor, anchor_value, measure, amount, days,
                                        met_by, met_by_notification, pause_in, repeat_every, restart) VALUES
            ('fuel_retail', 'station_handling', 'station_handling', 10, NULL, 'status', 'assigned', 'working_time', '2 hours', NULL,
             answered, false, '{pending_info}', NULL, true),
            ('fuel_retail', 'feedback', 'feedback', 10, NULL, 'receipt', NULL, 'calendar_time', '24 hours', NULL,
             answered, false, '{}', NULL, false),
            ('fuel_retail', 'confirm_with_customer', 'confirm_with_customer', 10, NULL, 'status', 'proposed', 'calendar_time', '4 hours', NULL,
             '{accepted,escalated,follow_up,closed}', false, '{}', NULL, false),
            ('fuel_retail', 'improve', 'improve', 10, NULL, 'status', 'accepted', 'workdays', NULL, 3,
             '{follow_up,closed}', false, '{}', NULL, false)
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, after, action, amounts, repeat_every, message_zh, message_en) VALUES
            ('fuel_retail', 'station_overdue_fine', 'station_handling', '0', 'penalty', '{"station_manager": 200, "direct": 100}', NULL,
             '超时未有效处理：站长200元，直接责任人100元', 'overdue and not effectively handled: station head 200 yuan, direct person 100 yuan'),
            ('fuel_retail', 'station_overdue_12h_fine', 'station_handling', '12 hours', 'penalty', '{"station_manager": 300, "direct": 100}', NULL,
             '超时12小时：站长500元，直接责任人200元（在200/100基础上追加）', 'overdue by 12 hours: station head 500 yuan, direct person 200 yuan in all (adds 300/100 to the first fine)'),
            ('fuel_retail', 'feedback_overdue', 'feedback', '0', 'remind', NULL, NULL,
             '24小时内未反馈调查结果', 'no investigation feedback within 24 hours'),
            ('fuel_retail', 'confirm_overdue', 'confirm_with_customer', '0', 'remind', NULL, NULL,
             '4小时内未与客户确认', 'not confirmed with the customer within 4 hours'),
            ('fuel_retail', 'improve_overdue', 'improve', '0', 'remind', NULL, '1 day',
             '3个工作日内未提交整改方案', 'no improvement plan within 3 working days')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.penalty_scheme (policy, direct_share, station_share, district_share, repeat_window,
                                              station_double_at, station_demote_at, direct_warning_at, direct_termination_at)
        VALUES ('fuel_retail', 0.5, 0.4, 0.1, '1 year', 2, 3, 2, 3)
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.penalty_rule (policy, level, fine, district_score, direct_sanction) VALUES
            ('fuel_retail', 'level1', 0, -20, 'dismissal'),
            ('fuel_retail', 'level2', 1000, -5, NULL),
            ('fuel_retail', 'level3', 800, -5, NULL)
        ON CONFLICT DO NOTHING;

    ------------------------------------------------------------------ food
    ELSIF p = 'food' THEN
        UPDATE complaint.level SET announce = true WHERE policy = 'food' AND code = 'A' AND NOT announce;
        INSERT INTO complaint.sla_rule (policy, name, kind, seq, condition, anchor, anchor_value, measure, amount, days,
                                        met_by, met_by_notification, pause_in, repeat_every, restart) VALUES
            ('food', 'transmit', 'transmit', 10, NULL, 'status', 'acknowledged', 'calendar_time', '1 hour', NULL,
             assigned_or_later, false, '{}', NULL, false)
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, after, action, repeat_every, message_zh, message_en) VALUES
            ('food', 'transmit_overdue', 'transmit', '0', 'remind', NULL, '审批后1小时内未传递责任部门', 'not transmitted to the responsible department within 1 hour')
        ON CONFLICT DO NOTHING;

    ------------------------------------------------------------------ after_sales
    ELSIF p = 'after_sales' THEN
        UPDATE complaint.level SET announce = true WHERE policy = 'after_sales' AND code = 'serious' AND NOT announce;
        INSERT INTO complaint.sla_rule (policy, name, kind, seq, condition, anchor, anchor_value, measure, amount, days,
                                        met_by, met_by_notification, pause_in, repeat_every, restart) VALUES
            ('after_sales', 'resolve_domestic', 'resolve', 10, '{"fact": "facts.region", "value": "domestic"}',
             'receipt', NULL, 'calendar_time', '13 days', NULL, resolved, false, '{}', NULL, false),
            ('after_sales', 'resolve_foreign', 'resolve', 20, '{"fact": "facts.region", "value": "foreign"}',
             'receipt', NULL, 'calendar_time', '17 days', NULL, resolved, false, '{}', NULL, false),
            ('after_sales', 'dispatch_urban', 'dispatch', 10, '{"fact": "facts.area", "value": "urban"}',
             'receipt', NULL, 'working_time', '6 hours', NULL, investigating_or_later, false, '{}', NULL, false),
            ('after_sales', 'dispatch_suburban', 'dispatch', 20, '{"fact": "facts.area", "value": "suburban"}',
             'receipt', NULL, 'working_time', '7 hours', NULL, investigating_or_later, false, '{}', NULL, false)
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, after, action, repeat_every, message_zh, message_en) VALUES
            ('after_sales', 'resolve_reminder', 'resolve', '0', 'remind', '1 day', '催办单：投诉超期未结案', 'reminder (催办单): complaint open past its closure deadline'),
            ('after_sales', 'dispatch_overdue', 'dispatch', '0', 'remind', NULL, '服务人员未按时到达', 'field service did not arrive in time')
        ON CONFLICT DO NOTHING;

    ------------------------------------------------------------------ gift_supply
    ELSIF p = 'gift_supply' THEN
        UPDATE complaint.level SET announce = true WHERE policy = 'gift_supply' AND code = 'major' AND NOT announce;
        INSERT INTO complaint.sla_rule (policy, name, kind, seq, condition, anchor, anchor_value, measure, amount, days,
                                        met_by, met_by_notification, pause_in, repeat_every, restart) VALUES
            ('gift_supply', 'contact', 'contact', 10, NULL, 'receipt', NULL, 'working_time', '1 hour', NULL,
             '{acknowledged,assigned,investigating,pending_info,proposed,escalated,external_review,accepted,follow_up,closed}',
             false, '{}', NULL, false),
            ('gift_supply', 'investigate', 'investigate', 10, NULL, 'status', 'assigned', 'working_time', '1 hour', NULL,
             answered, false, '{pending_info}', NULL, true),
            ('gift_supply', 'reply', 'reply', 10, NULL, 'receipt', NULL, 'end_of_day', NULL, NULL,
             '{proposed,accepted,follow_up,closed}', false, '{}', NULL, false),
            ('gift_supply', 'resolve', 'resolve', 10, NULL, 'receipt', NULL, 'workdays', NULL, 2,
             resolved, false, '{}', NULL, false)
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en) VALUES
            ('gift_supply', 'major_resolve_breached', 'major', '{"fact": "breached.resolve"}',
             '一般投诉超过处理期限仍无最终解决方案', 'past its resolve deadline without a final solution')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.escalation_rule (policy, name, deadline_kind, after, action, repeat_every, message_zh, message_en) VALUES
            ('gift_supply', 'contact_overdue', 'contact', '0', 'remind', NULL, '1小时内未联系客户', 'customer not contacted within 1 hour'),
            ('gift_supply', 'resolve_overdue', 'resolve', '0', 'notify', NULL, '超过处理期限，升级为重大投诉并上报主管', 'past the resolve deadline: now major, supervisor notified')
        ON CONFLICT DO NOTHING;
    END IF;
END
$$;
