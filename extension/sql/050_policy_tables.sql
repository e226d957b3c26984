-- Policies (CONTRACT section 3). A policy is one company's regulation, as rows: its calendar
-- and reference numbering (complaint.policy), its complaint-type taxonomy
-- (complaint.category), its ordered levels (complaint.level), the facts its complaints carry
-- (complaint.fact) and its classification rules (complaint.rule). A company writes its own
-- policy with INSERTs alone; complaint.install_preset() installs the five bundled ones.

CREATE TABLE complaint.policy (
    code       text PRIMARY KEY,
    name_zh    text NOT NULL,
    name_en    text NOT NULL,
    calendar   text NOT NULL REFERENCES complaint.calendar (name) ON UPDATE CASCADE,
    ref_prefix text NOT NULL UNIQUE,
    ref_gapless boolean NOT NULL DEFAULT true,
    first_contact_resolution boolean NOT NULL DEFAULT false,
    strict_facts boolean NOT NULL DEFAULT true,
    CONSTRAINT policy_code_format CHECK (code OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
    CONSTRAINT policy_ref_prefix_format CHECK (ref_prefix OPERATOR(pg_catalog.~) '^[A-Za-z0-9]{1,12}$')
);
COMMENT ON TABLE complaint.policy IS 'complaint-handling policies: one company regulation each (calendar, reference numbers, taxonomy, rules)';
COMMENT ON COLUMN complaint.policy.code IS 'policy code used by complaint.complaint.policy (lower case, digits, underscore)';
COMMENT ON COLUMN complaint.policy.name_zh IS 'name in Chinese';
COMMENT ON COLUMN complaint.policy.name_en IS 'name in English';
COMMENT ON COLUMN complaint.policy.calendar IS 'business calendar of every working-time rule of the policy; its zone also dates reference numbers';
COMMENT ON COLUMN complaint.policy.ref_prefix IS 'prefix of reference numbers <prefix>-<YYYYMM>-<serial>';
COMMENT ON COLUMN complaint.policy.ref_gapless IS 'true: serials are gap-free per prefix and month (inserts of one month serialise until commit); false: unique, increasing, never blocking, with gaps';
COMMENT ON COLUMN complaint.policy.strict_facts IS 'true: a key of complaint.facts must be declared in complaint.fact (catches typos); false: undeclared keys are kept unchecked';
COMMENT ON COLUMN complaint.policy.first_contact_resolution IS 'true: a complaint may go from new straight to closed (first-contact resolution); otherwise only a suggestion may';

CREATE TABLE complaint.category (
    policy  text NOT NULL REFERENCES complaint.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    code    text NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    parent  text,
    validity complaint.validity,
    PRIMARY KEY (policy, code),
    FOREIGN KEY (policy, parent) REFERENCES complaint.category (policy, code) ON UPDATE CASCADE,
    CONSTRAINT category_code_format CHECK (code OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
    CONSTRAINT category_not_own_parent CHECK (parent IS DISTINCT FROM code)
);
COMMENT ON TABLE complaint.category IS 'complaint types (taxonomy) of each policy, with bilingual labels';
COMMENT ON COLUMN complaint.category.code IS 'category code used by complaint.complaint.category';
COMMENT ON COLUMN complaint.category.parent IS 'the category this one refines (sub-categories), or NULL';
COMMENT ON COLUMN complaint.category.validity IS 'validity class implied by the category (e.g. a competitor''s complaint is invalid): filled in when a complaint leaves validity NULL, and a contradicting validity is refused';

CREATE TABLE complaint.level (
    policy  text NOT NULL REFERENCES complaint.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    code    text NOT NULL,
    rank    smallint NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    compensation_ratio numeric(8,2),
    PRIMARY KEY (policy, code),
    UNIQUE (policy, rank),
    CONSTRAINT level_code_format CHECK (code OPERATOR(pg_catalog.~) '^[A-Za-z][A-Za-z0-9_]{0,62}$'),
    CONSTRAINT level_rank CHECK (rank BETWEEN 1 AND 100),
    CONSTRAINT level_compensation_ratio CHECK (compensation_ratio >= 0)
);
COMMENT ON TABLE complaint.level IS 'ordered severity levels of each policy; the least severe is the default level';
COMMENT ON COLUMN complaint.level.rank IS 'severity: 1 is the least severe, a higher rank is more severe';
COMMENT ON COLUMN complaint.level.compensation_ratio IS 'optional compensation ratio of the level (e.g. food: gift products 1:10 for class A)';

CREATE TABLE complaint.fact (
    policy        text NOT NULL REFERENCES complaint.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    key           text NOT NULL,
    type          text NOT NULL,
    allowed       text[],
    default_value jsonb,
    name_zh       text NOT NULL,
    name_en       text NOT NULL,
    PRIMARY KEY (policy, key),
    CONSTRAINT fact_key_format CHECK (key OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
    CONSTRAINT fact_type CHECK (type IN ('boolean', 'number', 'text'))
);
COMMENT ON TABLE complaint.fact IS 'facts (keys of complaint.complaint.facts) a policy''s complaints carry, with their types: the rules read them';
COMMENT ON COLUMN complaint.fact.type IS 'boolean, number or text';
COMMENT ON COLUMN complaint.fact.allowed IS 'text facts: the allowed values (NULL: any text)';
COMMENT ON COLUMN complaint.fact.default_value IS 'value the rules read when a complaint does not carry the fact';

CREATE TABLE complaint.rule (
    policy    text NOT NULL REFERENCES complaint.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    name      text NOT NULL,
    kind      text NOT NULL DEFAULT 'level',
    level     text,
    condition jsonb NOT NULL,
    reason_zh text NOT NULL,
    reason_en text NOT NULL,
    enabled   boolean NOT NULL DEFAULT true,
    PRIMARY KEY (policy, name),
    FOREIGN KEY (policy, level) REFERENCES complaint.level (policy, code) ON UPDATE CASCADE,
    CONSTRAINT rule_name_format CHECK (name OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$'),
    CONSTRAINT rule_kind CHECK (kind IN ('level', 'note')),
    CONSTRAINT rule_level_kind CHECK ((kind = 'level') = (level IS NOT NULL))
);
COMMENT ON TABLE complaint.rule IS 'classification rules: when condition holds, the complaint is at least at level (kind level), or the reason is noted (kind note); validated when written';
COMMENT ON COLUMN complaint.rule.kind IS 'level: raises the complaint to level; note: adds its reason to level_reasons without changing the level';
COMMENT ON COLUMN complaint.rule.condition IS 'JSON condition over facts: {"all": [...]}, {"any": [...]}, {"not": c}, {"fact": f, "op": o, "value": v} (README, "Rule language")';
COMMENT ON COLUMN complaint.rule.reason_zh IS 'reason shown in level_reasons (Chinese)';
COMMENT ON COLUMN complaint.rule.reason_en IS 'reason shown in level_reasons (English)';

-- complaint._complaints_use(policy, category, level): is any complaint of that policy (and
-- category, or level) there; with policy NULL, is there any complaint. The guards below ask it
-- before a policy, category or level that complaints may refer to is deleted, renamed or
-- truncated. complaint.complaint has no foreign keys to the configuration (the row trigger
-- checks policy and category against the compiled policy, which is cheaper per row); this
-- guard closes the race a foreign key would close: it takes SHARE on complaint.complaint
-- (complaints being written are waited for; new ones wait until this transaction ends and then
-- see the new configuration) and reads with the latest snapshot, as the table owner.
CREATE FUNCTION complaint._complaints_use(policy text, category text DEFAULT NULL, level text DEFAULT NULL)
RETURNS boolean
LANGUAGE C VOLATILE
AS 'MODULE_PATHNAME', 'pgc_complaints_use';
COMMENT ON FUNCTION complaint._complaints_use(text, text, text) IS 'internal: whether complaints use a policy, category or level (locks complaint.complaint in SHARE mode until the end of the transaction)';

-- complaint._policy_in_use(): a policy that has complaints cannot be deleted.
CREATE FUNCTION complaint._policy_in_use()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF complaint._complaints_use(OLD.code) THEN
        RAISE EXCEPTION 'cannot delete policy "%": it has complaints', OLD.code
            USING ERRCODE = '23503',
                  HINT = 'Complaints keep the policy they were received under; a policy that has complaints stays.';
    END IF;
    RETURN OLD;
END
$$;

-- complaint._config_truncate_guard(): TRUNCATE of the configuration complaints refer to
-- (policy, category, level), directly or by CASCADE, only while there are no complaints.
CREATE FUNCTION complaint._config_truncate_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF complaint._complaints_use(NULL) THEN
        RAISE EXCEPTION 'cannot truncate %.%: complaints refer to it', TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = '23503',
                  HINT = 'Delete the rows you no longer need; rows complaints use are kept.';
    END IF;
    RETURN NULL;
END
$$;

-- complaint._policy_check(): readable errors for policy rows.
CREATE FUNCTION complaint._policy_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.code IS NULL OR NEW.code !~ '^[a-z][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'invalid policy code "%"', NEW.code
            USING ERRCODE = '22023',
                  HINT = 'A policy code starts with a lower-case letter and has up to 63 lower-case letters, digits and underscores.';
    END IF;
    IF NEW.ref_prefix IS NULL OR NEW.ref_prefix !~ '^[A-Za-z0-9]{1,12}$' THEN
        RAISE EXCEPTION 'invalid reference prefix "%" of policy "%"', NEW.ref_prefix, NEW.code
            USING ERRCODE = '22023',
                  HINT = 'A reference prefix has 1 to 12 letters or digits, e.g. ''PROP''.';
    END IF;
    IF NEW.calendar IS NULL OR NOT EXISTS (SELECT 1 FROM complaint.calendar c WHERE c.name = NEW.calendar) THEN
        RAISE EXCEPTION 'business calendar "%" of policy "%" does not exist', NEW.calendar, NEW.code
            USING ERRCODE = '42704', HINT = 'Calendars are the rows of complaint.calendar; the bundled one is "cn".';
    END IF;
    IF coalesce(btrim(NEW.name_zh), '') = '' OR coalesce(btrim(NEW.name_en), '') = '' THEN
        RAISE EXCEPTION 'policy "%" needs a Chinese and an English name', NEW.code
            USING ERRCODE = '23502';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.ref_prefix IS DISTINCT FROM OLD.ref_prefix
       AND complaint._complaints_use(OLD.code) THEN
        RAISE EXCEPTION 'cannot change the reference prefix of policy "%": it has complaints', OLD.code
            USING ERRCODE = '55000',
                  HINT = 'Reference numbers already issued keep their prefix; create a new policy for a new numbering.';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.code IS DISTINCT FROM OLD.code
       AND complaint._complaints_use(OLD.code) THEN
        RAISE EXCEPTION 'cannot rename policy "%": it has complaints', OLD.code
            USING ERRCODE = '55000';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.ref_gapless IS DISTINCT FROM OLD.ref_gapless
       AND complaint._complaints_use(OLD.code) THEN
        -- complaints exist and none is being written now (SHARE lock): keep the serials apart
        PERFORM complaint._ref_mode_switch(OLD.ref_prefix, NEW.ref_gapless);
    END IF;
    RETURN NEW;
END
$$;

-- complaint._category_check(): readable errors for category rows.
CREATE FUNCTION complaint._category_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.code IS NULL OR NEW.code !~ '^[a-z][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'invalid category code "%" in policy "%"', NEW.code, NEW.policy
            USING ERRCODE = '22023',
                  HINT = 'A category code starts with a lower-case letter and has up to 63 lower-case letters, digits and underscores.';
    END IF;
    IF coalesce(btrim(NEW.name_zh), '') = '' OR coalesce(btrim(NEW.name_en), '') = '' THEN
        RAISE EXCEPTION 'category "%" of policy "%" needs a Chinese and an English label', NEW.code, NEW.policy
            USING ERRCODE = '23502';
    END IF;
    IF NEW.parent IS NOT NULL AND EXISTS (
        WITH RECURSIVE up (code, depth) AS (
            SELECT c.parent, 1 FROM complaint.category c WHERE c.policy = NEW.policy AND c.code = NEW.parent
            UNION ALL
            SELECT c.parent, up.depth + 1 FROM up JOIN complaint.category c ON c.policy = NEW.policy AND c.code = up.code
             WHERE up.depth < 64)
        SELECT 1 FROM up WHERE up.code = NEW.code) THEN
        RAISE EXCEPTION 'category "%" of policy "%" cannot have "%" as parent: that would make a cycle', NEW.code, NEW.policy, NEW.parent
            USING ERRCODE = '22023';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.code IS DISTINCT FROM OLD.code OR NEW.policy IS DISTINCT FROM OLD.policy)
       AND complaint._complaints_use(OLD.policy, OLD.code) THEN
        RAISE EXCEPTION 'cannot rename category "%" of policy "%": complaints use it', OLD.code, OLD.policy
            USING ERRCODE = '55000', HINT = 'Add a new category instead; labels can be changed freely.';
    END IF;
    RETURN NEW;
END
$$;

-- complaint._category_in_use(): a category used by complaints cannot be deleted.
CREATE FUNCTION complaint._category_in_use()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF complaint._complaints_use(OLD.policy, OLD.code) THEN
        RAISE EXCEPTION 'cannot delete category "%" of policy "%": complaints use it', OLD.code, OLD.policy
            USING ERRCODE = '23503', HINT = 'Recategorise those complaints first.';
    END IF;
    RETURN OLD;
END
$$;

-- complaint._level_check(): readable errors for level rows.
CREATE FUNCTION complaint._level_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.code IS NULL OR NEW.code !~ '^[A-Za-z][A-Za-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'invalid level code "%" in policy "%"', NEW.code, NEW.policy
            USING ERRCODE = '22023', HINT = 'A level code starts with a letter and has up to 63 letters, digits and underscores.';
    END IF;
    IF NEW.rank IS NULL OR NEW.rank NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION 'invalid rank % of level "%" in policy "%"', coalesce(NEW.rank::text, 'NULL'), NEW.code, NEW.policy
            USING ERRCODE = '22023', HINT = 'Ranks go from 1 (least severe) to 100; a higher rank is more severe.';
    END IF;
    IF EXISTS (SELECT 1 FROM complaint.level l WHERE l.policy = NEW.policy AND l.rank = NEW.rank
                AND l.code <> NEW.code AND (TG_OP = 'INSERT' OR l.code <> OLD.code)) THEN
        RAISE EXCEPTION 'policy "%" already has a level of rank %', NEW.policy, NEW.rank
            USING ERRCODE = '23505', HINT = 'Levels of a policy are strictly ordered: give each its own rank.';
    END IF;
    IF NEW.compensation_ratio < 0 THEN
        RAISE EXCEPTION 'compensation ratio % of level "%" is negative', NEW.compensation_ratio, NEW.code
            USING ERRCODE = '22023';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.code IS DISTINCT FROM OLD.code
       AND complaint._complaints_use(OLD.policy, NULL, OLD.code) THEN
        RAISE EXCEPTION 'cannot rename level "%" of policy "%": complaints have it', OLD.code, OLD.policy
            USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END
$$;

-- complaint._level_in_use(): a level complaints have cannot be deleted.
CREATE FUNCTION complaint._level_in_use()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF complaint._complaints_use(OLD.policy, NULL, OLD.code) THEN
        RAISE EXCEPTION 'cannot delete level "%" of policy "%": complaints have it', OLD.code, OLD.policy
            USING ERRCODE = '23503';
    END IF;
    RETURN OLD;
END
$$;

-- complaint._fact_check(): readable errors for fact declarations.
CREATE FUNCTION complaint._fact_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.key IS NULL OR NEW.key !~ '^[a-z][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'invalid fact key "%" in policy "%"', NEW.key, NEW.policy
            USING ERRCODE = '22023', HINT = 'A fact key starts with a lower-case letter and has up to 63 lower-case letters, digits and underscores.';
    END IF;
    IF NEW.type IS NULL OR NEW.type NOT IN ('boolean', 'number', 'text') THEN
        RAISE EXCEPTION 'invalid type "%" of fact "%" in policy "%"', NEW.type, NEW.key, NEW.policy
            USING ERRCODE = '22023', HINT = 'A fact is a boolean, a number or a text.';
    END IF;
    IF NEW.allowed IS NOT NULL AND NEW.type <> 'text' THEN
        RAISE EXCEPTION 'fact "%" of policy "%" is a %: only text facts have allowed values', NEW.key, NEW.policy, NEW.type
            USING ERRCODE = '22023';
    END IF;
    IF NEW.default_value IS NOT NULL AND jsonb_typeof(NEW.default_value) <>
       (CASE NEW.type WHEN 'text' THEN 'string' ELSE NEW.type END) THEN
        RAISE EXCEPTION 'default % of fact "%" in policy "%" is not a %', NEW.default_value, NEW.key, NEW.policy, NEW.type
            USING ERRCODE = '22023';
    END IF;
    IF NEW.default_value IS NOT NULL AND NEW.allowed IS NOT NULL
       AND NOT ((NEW.default_value #>> '{}') = ANY (NEW.allowed)) THEN
        RAISE EXCEPTION 'default % of fact "%" in policy "%" is not one of its allowed values', NEW.default_value, NEW.key, NEW.policy
            USING ERRCODE = '22023';
    END IF;
    RETURN NEW;
END
$$;

-- complaint._rule_check(): parses and validates a rule's condition against its policy (C).
CREATE FUNCTION complaint._rule_check()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'pgc_rule_check';

-- complaint._rules_revalidate(): after facts, levels or categories change, every rule of the
-- policy must still be valid (a rule may read a fact that was just removed).
CREATE FUNCTION complaint._rules_revalidate()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- a no-op UPDATE re-runs complaint._rule_check() on each rule
    UPDATE complaint.rule r SET condition = r.condition
     WHERE r.policy IN (SELECT DISTINCT policy FROM changed);
    RETURN NULL;
END
$$;

CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.policy
    FOR EACH ROW EXECUTE FUNCTION complaint._policy_check();
CREATE TRIGGER c_in_use BEFORE DELETE ON complaint.policy
    FOR EACH ROW EXECUTE FUNCTION complaint._policy_in_use();
CREATE TRIGGER c_in_use_truncate BEFORE TRUNCATE ON complaint.policy
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_truncate_guard();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.policy
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.category
    FOR EACH ROW EXECUTE FUNCTION complaint._category_check();
CREATE TRIGGER c_in_use BEFORE DELETE ON complaint.category
    FOR EACH ROW EXECUTE FUNCTION complaint._category_in_use();
CREATE TRIGGER c_in_use_truncate BEFORE TRUNCATE ON complaint.category
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_truncate_guard();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.category
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.level
    FOR EACH ROW EXECUTE FUNCTION complaint._level_check();
CREATE TRIGGER c_in_use BEFORE DELETE ON complaint.level
    FOR EACH ROW EXECUTE FUNCTION complaint._level_in_use();
CREATE TRIGGER c_in_use_truncate BEFORE TRUNCATE ON complaint.level
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_truncate_guard();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.level
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.fact
    FOR EACH ROW EXECUTE FUNCTION complaint._fact_check();
CREATE TRIGGER y_rules_revalidate_upd AFTER UPDATE ON complaint.fact
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION complaint._rules_revalidate();
CREATE TRIGGER y_rules_revalidate_del AFTER DELETE ON complaint.fact
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION complaint._rules_revalidate();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.fact
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

CREATE TRIGGER y_rules_revalidate_del AFTER DELETE ON complaint.category
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION complaint._rules_revalidate();

CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.rule
    FOR EACH ROW EXECUTE FUNCTION complaint._rule_check();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.rule
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

-- No policy is created by CREATE EXTENSION (presets are installed by a function call), so
-- every row is dumped.
SELECT pg_catalog.pg_extension_config_dump('complaint.policy', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.category', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.level', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.fact', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.rule', '');
