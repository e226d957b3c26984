-- Policies and their complaint-type taxonomy (CONTRACT section 3). A policy is one company's
-- regulation: its calendar, the prefix of its reference numbers, its categories. The
-- classification issue extends it with levels and rules; all of it is rows, no code.

CREATE TABLE complaint.policy (
    code       text PRIMARY KEY,
    name_zh    text NOT NULL,
    name_en    text NOT NULL,
    calendar   text NOT NULL REFERENCES complaint.calendar (name) ON UPDATE CASCADE,
    ref_prefix text NOT NULL UNIQUE,
    ref_gapless boolean NOT NULL DEFAULT true,
    first_contact_resolution boolean NOT NULL DEFAULT false,
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
COMMENT ON COLUMN complaint.policy.first_contact_resolution IS 'true: a complaint may go from new straight to closed (first-contact resolution); otherwise only a suggestion may';

CREATE TABLE complaint.category (
    policy  text NOT NULL REFERENCES complaint.policy (code) ON UPDATE CASCADE ON DELETE CASCADE,
    code    text NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    PRIMARY KEY (policy, code),
    CONSTRAINT category_code_format CHECK (code OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,62}$')
);
COMMENT ON TABLE complaint.category IS 'complaint types (taxonomy) of each policy, with bilingual labels';
COMMENT ON COLUMN complaint.category.code IS 'category code used by complaint.complaint.category';

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
       AND EXISTS (SELECT 1 FROM complaint.complaint c WHERE c.policy = OLD.code) THEN
        RAISE EXCEPTION 'cannot change the reference prefix of policy "%": it has complaints', OLD.code
            USING ERRCODE = '55000',
                  HINT = 'Reference numbers already issued keep their prefix; create a new policy for a new numbering.';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.code IS DISTINCT FROM OLD.code
       AND EXISTS (SELECT 1 FROM complaint.complaint c WHERE c.policy = OLD.code) THEN
        RAISE EXCEPTION 'cannot rename policy "%": it has complaints', OLD.code
            USING ERRCODE = '55000';
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
    IF TG_OP = 'UPDATE' AND (NEW.code IS DISTINCT FROM OLD.code OR NEW.policy IS DISTINCT FROM OLD.policy)
       AND EXISTS (SELECT 1 FROM complaint.complaint c WHERE c.policy = OLD.policy AND c.category = OLD.code) THEN
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
    IF EXISTS (SELECT 1 FROM complaint.complaint c WHERE c.policy = OLD.policy AND c.category = OLD.code) THEN
        RAISE EXCEPTION 'cannot delete category "%" of policy "%": complaints use it', OLD.code, OLD.policy
            USING ERRCODE = '23503', HINT = 'Recategorise those complaints first.';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.policy
    FOR EACH ROW EXECUTE FUNCTION complaint._policy_check();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.policy
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.category
    FOR EACH ROW EXECUTE FUNCTION complaint._category_check();
CREATE TRIGGER c_in_use BEFORE DELETE ON complaint.category
    FOR EACH ROW EXECUTE FUNCTION complaint._category_in_use();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.category
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

-- No policy is created by CREATE EXTENSION (presets are installed by a function call), so
-- every row is dumped.
SELECT pg_catalog.pg_extension_config_dump('complaint.policy', '');
SELECT pg_catalog.pg_extension_config_dump('complaint.category', '');
