-- The five bundled policies (POLICIES.md; binding names of CONTRACT section 7), installed as
-- ordinary rows by complaint.install_preset(name). Every number here comes from the
-- regulation the preset encodes; the README's "Presets" section shows them side by side.

-- An unknown name is refused before anything is written; running it again adds nothing.
CREATE FUNCTION complaint.install_preset(name text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p text := install_preset.name;
BEGIN
    IF p IS NULL OR p NOT IN ('property', 'fuel_retail', 'food', 'after_sales', 'gift_supply') THEN
        RAISE EXCEPTION 'unknown preset "%"', p
            USING ERRCODE = '22023',
                  HINT = 'Presets: property, fuel_retail, food, after_sales, gift_supply.';
    END IF;

    ------------------------------------------------------------------ property
    IF p = 'property' THEN
        INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
        VALUES ('property', '房地产及物业投诉处理办法', 'Property developer and management complaint handling', 'cn', 'PROP')
        ON CONFLICT (code) DO NOTHING;
        INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES
            ('property', 'engineering_quality', '工程质量', 'Engineering quality'),
            ('property', 'planning_design', '规划设计', 'Planning and design'),
            ('property', 'sales_management', '销售管理', 'Sales management'),
            ('property', 'property_management', '物业管理', 'Property management'),
            ('property', 'customer_service', '客户服务', 'Customer service'),
            ('property', 'other', '其他（合作方、社会环境等）', 'Other (partners, social environment)')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES
            ('property', 'major', 4, '重大投诉', 'major'),
            ('property', 'hot', 3, '热点投诉', 'hot'),
            ('property', 'important', 2, '重要投诉', 'important'),
            ('property', 'general', 1, '一般投诉', 'general')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.fact (policy, key, type, default_value, name_zh, name_en) VALUES
            ('property', 'lawsuit_filed', 'boolean', 'false', '已提起诉讼', 'lawsuit filed'),
            ('property', 'media_exposed', 'boolean', 'false', '已被媒体曝光（报刊、外部网站）', 'exposed by media (press, external websites)'),
            ('property', 'legal_or_media_risk', 'boolean', 'false', '可能引发诉讼或媒体曝光', 'may lead to a lawsuit or media exposure'),
            ('property', 'needs_external_support', 'boolean', 'false', '需顾问或其他公司支持', 'needs consultant support or help from another company'),
            ('property', 'caused_by_us', 'boolean', 'true', '我方原因', 'caused by us')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en) VALUES
            ('property', 'major_lawsuit', 'major', '{"fact": "facts.lawsuit_filed"}',
             '已提起诉讼', 'lawsuit filed'),
            ('property', 'major_media', 'major', '{"fact": "facts.media_exposed"}',
             '媒体曝光', 'exposed by media'),
            ('property', 'major_collective', 'major', '{"fact": "collective_size", "op": ">=", "value": 10}',
             '10人及以上集体投诉', 'collective complaint of 10 or more people'),
            ('property', 'major_unresolved_month', 'major',
             '{"all": [{"fact": "unresolved"}, {"fact": "facts.caused_by_us"}, {"fact": "age", "op": ">=", "value": "1 month"}]}',
             '因我方原因一个月仍未有效解决', 'not effectively resolved one month after receipt, for reasons on our side'),
            ('property', 'hot_risk', 'hot', '{"fact": "facts.legal_or_media_risk"}',
             '可能引发诉讼或媒体曝光', 'may lead to a lawsuit or media exposure'),
            ('property', 'hot_similar', 'hot',
             '{"fact": "similar", "op": ">=", "value": 3, "by": ["category", "unit"], "window": "30 days"}',
             '一个月内3个及以上不同投诉人的相同投诉', '3 or more identical complaints from different complainants within one month'),
            ('property', 'hot_collective', 'hot', '{"fact": "collective_size", "op": ">=", "value": 3}',
             '3人及以上集体投诉', 'collective complaint of 3 or more people'),
            ('property', 'hot_unresolved_week', 'hot',
             '{"all": [{"fact": "unresolved"}, {"fact": "facts.caused_by_us"}, {"fact": "age", "op": ">=", "value": "7 days"}]}',
             '因我方原因一周仍未解决', 'unresolved one week after receipt, for reasons on our side'),
            ('property', 'important_second', 'important', '{"fact": "reopen_count", "op": ">=", "value": 1}',
             '二次投诉（首次投诉关闭后再次投诉）', 'second complaint after the first was closed'),
            ('property', 'important_support', 'important', '{"fact": "facts.needs_external_support"}',
             '需顾问或其他公司支持', 'needs consultant support or help from another company')
        ON CONFLICT DO NOTHING;

    ------------------------------------------------------------------ fuel_retail
    ELSIF p = 'fuel_retail' THEN
        INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
        VALUES ('fuel_retail', '加油站投诉处理管理办法', 'Fuel station complaint handling', 'cn', 'FUEL')
        ON CONFLICT (code) DO NOTHING;
        -- effective complaint categories (validity is set when the complaint is ruled) ...
        INSERT INTO complaint.category (policy, code, name_zh, name_en, parent, validity) VALUES
            ('fuel_retail', 'station_service', '加油站服务', 'Station service', NULL, NULL),
            ('fuel_retail', 'station_info', '加油站信息', 'Station information', NULL, NULL),
            ('fuel_retail', 'quantity', '油品数量', 'Fuel quantity', NULL, NULL),
            ('fuel_retail', 'quality', '油品质量', 'Fuel quality', NULL, NULL),
            ('fuel_retail', 'finance', '财务', 'Finance', NULL, NULL),
            ('fuel_retail', 'non_fuel', '非油品', 'Non-fuel goods', NULL, NULL),
            ('fuel_retail', 'card_outlet', '充值网点', 'Card top-up outlet', NULL, NULL),
            ('fuel_retail', 'call_centre', '呼叫中心', 'Call centre', NULL, NULL),
            ('fuel_retail', 'other', '其他', 'Other', NULL, NULL),
            -- ... the invalid class ...
            ('fuel_retail', 'invalid', '无效投诉', 'Invalid complaint', NULL, 'invalid'),
            ('fuel_retail', 'invalid_unrelated', '与公司无关', 'Unrelated to the company', 'invalid', 'invalid'),
            ('fuel_retail', 'invalid_competitor', '竞争对手', 'Competitor', 'invalid', 'invalid'),
            ('fuel_retail', 'invalid_malicious', '恶意投诉（如醉酒）', 'Malicious (e.g. drunk)', 'invalid', 'invalid'),
            -- ... and the suggestion class
            ('fuel_retail', 'suggestion', '意见建议', 'Suggestion', NULL, 'suggestion'),
            ('fuel_retail', 'suggestion_rules_policy', '规章制度', 'Rules and policy', 'suggestion', 'suggestion'),
            ('fuel_retail', 'suggestion_hardware', '硬件设施缺失', 'Missing hardware', 'suggestion', 'suggestion'),
            ('fuel_retail', 'suggestion_card_pump_link', '卡机未联网', 'Card and pump not linked', 'suggestion', 'suggestion'),
            ('fuel_retail', 'suggestion_system_design', '系统设计', 'System design', 'suggestion', 'suggestion')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.category (policy, code, name_zh, name_en, parent) VALUES
            ('fuel_retail', 'station_service_attitude', '服务态度', 'Service attitude', 'station_service'),
            ('fuel_retail', 'station_service_fault', '服务差错', 'Service fault', 'station_service'),
            ('fuel_retail', 'station_service_product_sales', '产品销售', 'Product sales', 'station_service'),
            ('fuel_retail', 'station_service_fuel_types', '油品品种', 'Fuel types', 'station_service'),
            ('fuel_retail', 'station_service_efficiency', '加油效率', 'Fuelling efficiency', 'station_service'),
            ('fuel_retail', 'station_service_other', '其他', 'Other', 'station_service'),
            ('fuel_retail', 'station_info_location', '位置', 'Location', 'station_info'),
            ('fuel_retail', 'station_info_phone', '电话', 'Phone', 'station_info'),
            ('fuel_retail', 'station_info_promotion', '促销', 'Promotion', 'station_info'),
            ('fuel_retail', 'station_info_opening', '营业状态', 'Opening status', 'station_info'),
            ('fuel_retail', 'finance_invoice', '发票', 'Invoice', 'finance'),
            ('fuel_retail', 'finance_cheque', '支票', 'Cheque', 'finance'),
            ('fuel_retail', 'finance_charged_amount', '扣款金额', 'Charged amount', 'finance'),
            ('fuel_retail', 'non_fuel_quantity', '商品数量', 'Goods quantity', 'non_fuel'),
            ('fuel_retail', 'non_fuel_quality', '商品质量', 'Goods quality', 'non_fuel'),
            ('fuel_retail', 'non_fuel_range', '商品品种', 'Goods range', 'non_fuel'),
            ('fuel_retail', 'non_fuel_price', '商品价格', 'Goods price', 'non_fuel'),
            ('fuel_retail', 'card_outlet_attitude', '服务态度', 'Service attitude', 'card_outlet'),
            ('fuel_retail', 'card_outlet_fault', '服务差错', 'Service fault', 'card_outlet'),
            ('fuel_retail', 'card_outlet_other', '其他', 'Other', 'card_outlet'),
            ('fuel_retail', 'call_centre_attitude', '服务态度', 'Service attitude', 'call_centre'),
            ('fuel_retail', 'call_centre_quality', '服务质量', 'Service quality', 'call_centre'),
            ('fuel_retail', 'call_centre_phone_line', '电话线路', 'Phone line', 'call_centre'),
            ('fuel_retail', 'call_centre_hours', '服务时间', 'Service hours', 'call_centre'),
            ('fuel_retail', 'other_card_website', '加油卡网站', 'Fuel card website', 'other'),
            ('fuel_retail', 'other_misc', '其他', 'Anything else', 'other')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES
            ('fuel_retail', 'level1', 3, '一级（重大影响）', 'level 1 (major impact)'),
            ('fuel_retail', 'level2', 2, '二级（紧急）', 'level 2 (urgent)'),
            ('fuel_retail', 'level3', 1, '三级（一般）', 'level 3 (general)')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.fact (policy, key, type, default_value, name_zh, name_en) VALUES
            ('fuel_retail', 'media', 'boolean', 'false', '媒体采访、媒体投诉或客户扬言找媒体', 'media interview, media complaint or customer threatens media'),
            ('fuel_retail', 'safety_incident', 'boolean', 'false', '安全事故（爆炸、火灾、泄漏、伤人、环境）', 'safety incident (explosion, fire, leak, injury, environment)'),
            ('fuel_retail', 'group_incident', 'boolean', 'false', '群体事件（打架、聚众）', 'group incident (fight, crowd)'),
            ('fuel_retail', 'food_poisoning', 'boolean', 'false', '便利店食物中毒', 'food poisoning in the shop'),
            ('fuel_retail', 'strong_attitude', 'boolean', 'false', '客户情绪激动', 'customer very upset'),
            ('fuel_retail', 'demands_short_deadline', 'boolean', 'false', '客户要求限期解决', 'customer demands a short deadline')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en) VALUES
            ('fuel_retail', 'level1_media', 'level1', '{"fact": "facts.media"}',
             '媒体介入', 'media involved'),
            ('fuel_retail', 'level1_safety', 'level1', '{"fact": "facts.safety_incident"}',
             '安全事故', 'safety incident'),
            ('fuel_retail', 'level1_group', 'level1', '{"fact": "facts.group_incident"}',
             '群体事件', 'group incident'),
            ('fuel_retail', 'level1_food_poisoning', 'level1', '{"fact": "facts.food_poisoning"}',
             '便利店食物中毒', 'food poisoning in the shop'),
            ('fuel_retail', 'level1_quality_repeat', 'level1',
             '{"all": [{"fact": "category", "op": "=", "value": "quality"}, {"fact": "similar", "op": ">=", "value": 2, "by": ["category"], "window": "30 days", "count": "complaints"}]}',
             '一个或多个站点多起油品质量投诉', 'several fuel quality complaints at one or more stations'),
            ('fuel_retail', 'level2_quantity_repeat', 'level2',
             '{"all": [{"fact": "category", "op": "=", "value": "quantity"}, {"fact": "similar", "op": ">=", "value": 2, "by": ["category", "unit"], "window": "30 days", "count": "complaints"}]}',
             '同一站点两起及以上数量投诉', 'two or more quantity complaints at the same station'),
            ('fuel_retail', 'level2_strong_attitude', 'level2', '{"fact": "facts.strong_attitude"}',
             '客户情绪激动', 'customer very upset'),
            ('fuel_retail', 'level2_short_deadline', 'level2', '{"fact": "facts.demands_short_deadline"}',
             '客户要求限期解决', 'customer demands a short deadline')
        ON CONFLICT DO NOTHING;

    ------------------------------------------------------------------ food
    ELSIF p = 'food' THEN
        INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
        VALUES ('food', '客诉处理管理办法', 'Food customer complaint handling', 'cn', 'FOOD')
        ON CONFLICT (code) DO NOTHING;
        INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES
            ('food', 'product_quality', '产品质量', 'Product quality'),
            ('food', 'packaging', '包装', 'Packaging'),
            ('food', 'labelling', '标识', 'Labelling'),
            ('food', 'logistics', '物流配送', 'Logistics and delivery'),
            ('food', 'service', '服务', 'Service'),
            ('food', 'other', '其他', 'Other')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.level (policy, code, rank, name_zh, name_en, compensation_ratio) VALUES
            ('food', 'A', 3, 'A类（重大）', 'class A (major)', 10),
            ('food', 'B', 2, 'B类（一般）', 'class B (general)', 2),
            ('food', 'C', 1, 'C类（一般）', 'class C (minor)', 1)
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.fact (policy, key, type, allowed, default_value, name_zh, name_en) VALUES
            ('food', 'defect', 'text',
             ARRAY['spoiled', 'foreign_matter', 'abnormal_color', 'burnt_rancid', 'batch', 'same_symptoms',
                   'empty_pack', 'short_pack', 'dirty_surface', 'no_date',
                   'broken_package', 'underweight', 'broken', 'leaking', 'color_difference'],
             NULL, '缺陷', 'defect'),
            ('food', 'quantity', 'number', NULL, '1', '涉及数量（袋）', 'number of packs affected'),
            ('food', 'health_harm', 'text', ARRAY['serious', 'minor', 'none'], '"none"', '健康损害', 'health harm')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.rule (policy, name, kind, level, condition, reason_zh, reason_en) VALUES
            ('food', 'a_defect', 'level', 'A',
             '{"fact": "facts.defect", "op": "in", "value": ["spoiled", "foreign_matter", "abnormal_color", "burnt_rancid", "batch", "same_symptoms"]}',
             'A类缺陷：发酵霉变、异物、颜色异常、焦糊哈喇味、批量问题（20箱以上）或同批多人同症状',
             'class A defect: spoiled, foreign matter, abnormal colour, burnt or rancid, batch problem (over 20 cases) or several people with the same symptoms'),
            ('food', 'a_health_harm', 'level', 'A', '{"fact": "facts.health_harm", "op": "=", "value": "serious"}',
             '严重健康损害', 'serious health harm'),
            ('food', 'b_defect', 'level', 'B',
             '{"fact": "facts.defect", "op": "in", "value": ["empty_pack", "short_pack", "dirty_surface", "no_date"]}',
             'B类缺陷：空袋、少袋、表面脏污破损、少量无生产日期',
             'class B defect: empty or short packs, dirty or damaged surface, a few packs without production date'),
            ('food', 'c_defect', 'level', 'C',
             '{"fact": "facts.defect", "op": "in", "value": ["broken_package", "underweight", "broken", "leaking", "color_difference"]}',
             'C类缺陷：包装破损、分量不足、破碎、漏液、色差',
             'class C defect: broken packaging, underweight, broken, leaking, colour difference'),
            ('food', 'special_regulator', 'note', NULL, '{"fact": "channel", "op": "=", "value": "regulator"}',
             '特殊投诉：来自政府监管部门、市场监管、食药监、卫生部门或消费者协会，最高关注',
             'special complaint: from a regulator, market supervision, food and drug administration, health authority or consumer association; highest attention')
        ON CONFLICT DO NOTHING;

    ------------------------------------------------------------------ after_sales
    ELSIF p = 'after_sales' THEN
        INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
        VALUES ('after_sales', '售后管理制度', 'After-sales service', 'cn', 'AS')
        ON CONFLICT (code) DO NOTHING;
        INSERT INTO complaint.category (policy, code, name_zh, name_en) VALUES
            ('after_sales', 'product_quality', '产品质量', 'Product quality'),
            ('after_sales', 'field_service', '上门服务', 'Field service'),
            ('after_sales', 'returns', '退换货', 'Returns and replacements'),
            ('after_sales', 'service_phone', '服务电话', 'Service phone'),
            ('after_sales', 'delivery', '交付', 'Delivery'),
            ('after_sales', 'other', '其他', 'Other')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES
            ('after_sales', 'serious', 2, '严重投诉', 'serious'),
            ('after_sales', 'ordinary', 1, '一般投诉', 'ordinary')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.fact (policy, key, type, allowed, default_value, name_zh, name_en) VALUES
            ('after_sales', 'region', 'text', ARRAY['domestic', 'foreign'], '"domestic"', '地区', 'region'),
            ('after_sales', 'area', 'text', ARRAY['urban', 'suburban'], '"urban"', '市区或郊区', 'urban or suburban'),
            ('after_sales', 'serious', 'boolean', NULL, 'false', '严重投诉', 'serious complaint')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en) VALUES
            ('after_sales', 'serious_complaint', 'serious', '{"fact": "facts.serious"}',
             '严重投诉：立即报副总经理', 'serious complaint: to the deputy general manager at once')
        ON CONFLICT DO NOTHING;

    ------------------------------------------------------------------ gift_supply
    ELSIF p = 'gift_supply' THEN
        INSERT INTO complaint.policy (code, name_zh, name_en, calendar, ref_prefix)
        VALUES ('gift_supply', '客户咨询及投诉处理方案', 'Gift supply complaint handling', 'cn', 'GIFT')
        ON CONFLICT (code) DO NOTHING;
        INSERT INTO complaint.category (policy, code, name_zh, name_en, parent) VALUES
            ('gift_supply', 'product_quality', '产品质量', 'Product quality', NULL),
            ('gift_supply', 'delivery', '配送', 'Delivery', NULL),
            ('gift_supply', 'service', '服务', 'Service', NULL),
            ('gift_supply', 'other', '其他', 'Other', NULL)
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.category (policy, code, name_zh, name_en, parent) VALUES
            ('gift_supply', 'product_quality_single', '单件质量问题', 'Single item quality', 'product_quality'),
            ('gift_supply', 'product_quality_batch', '批量质量问题', 'Batch quality', 'product_quality'),
            ('gift_supply', 'delivery_missing', '漏发', 'Missing items', 'delivery'),
            ('gift_supply', 'delivery_wrong', '错发', 'Wrong items', 'delivery'),
            ('gift_supply', 'delivery_damaged', '破损', 'Damaged in delivery', 'delivery'),
            ('gift_supply', 'service_attitude', '服务态度', 'Service attitude', 'service')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.level (policy, code, rank, name_zh, name_en) VALUES
            ('gift_supply', 'major', 2, '重大投诉', 'major'),
            ('gift_supply', 'general', 1, '一般投诉', 'general')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.fact (policy, key, type, default_value, name_zh, name_en) VALUES
            ('gift_supply', 'media_exposed', 'boolean', 'false', '媒体曝光', 'exposed by media'),
            ('gift_supply', 'lawsuit_filed', 'boolean', 'false', '诉讼', 'lawsuit filed'),
            ('gift_supply', 'group_litigation_risk', 'boolean', 'false', '可能引发群体诉讼', 'may lead to group litigation')
        ON CONFLICT DO NOTHING;
        INSERT INTO complaint.rule (policy, name, level, condition, reason_zh, reason_en) VALUES
            ('gift_supply', 'major_amount', 'major', '{"fact": "amount", "op": ">=", "value": 2000}',
             '涉及金额2000元及以上', 'amount involved 2000 yuan or more'),
            ('gift_supply', 'major_media', 'major', '{"fact": "facts.media_exposed"}',
             '媒体曝光', 'exposed by media'),
            ('gift_supply', 'major_lawsuit', 'major', '{"fact": "facts.lawsuit_filed"}',
             '诉讼', 'lawsuit filed'),
            ('gift_supply', 'major_group_litigation', 'major', '{"fact": "facts.group_litigation_risk"}',
             '可能引发群体诉讼', 'may lead to group litigation')
        ON CONFLICT DO NOTHING;
    END IF;
    PERFORM complaint._install_preset_deadlines(p);
    RETURN p;
END
$$;
COMMENT ON FUNCTION complaint.install_preset(text) IS
    'installs one of the bundled policies (property, fuel_retail, food, after_sales, gift_supply) as rows; idempotent: rows already there are kept';
