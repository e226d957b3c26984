-- Business calendars: the three configuration tables (CONTRACT section 1), their
-- validation, the guard on bundled rows, and the cache invalidation trigger.
--
-- The C engine (extension/src/calendar.c) compiles a calendar from these rows once per
-- backend; any change to them invalidates every backend's compiled copy at its next
-- statement (complaint._config_changed()).

CREATE TABLE complaint.calendar (
    name    text PRIMARY KEY,
    tz      text NOT NULL,
    builtin boolean NOT NULL DEFAULT false,
    CONSTRAINT calendar_name_length CHECK (pg_catalog.length(name) BETWEEN 1 AND 63)
);
COMMENT ON TABLE complaint.calendar IS
    'business calendars: a name and an IANA time zone; opening hours in complaint.calendar_hours, exceptions in complaint.calendar_day';
COMMENT ON COLUMN complaint.calendar.name IS 'calendar name used by every calendar function (1 to 63 characters)';
COMMENT ON COLUMN complaint.calendar.tz IS 'IANA time zone of the opening hours, e.g. Asia/Shanghai';
COMMENT ON COLUMN complaint.calendar.builtin IS 'true for rows installed by the extension (read-only; maintained by extension updates)';

CREATE TABLE complaint.calendar_hours (
    calendar text NOT NULL REFERENCES complaint.calendar (name) ON UPDATE CASCADE ON DELETE CASCADE,
    isodow   smallint NOT NULL,
    opens    time NOT NULL,
    closes   time NOT NULL,
    builtin  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (calendar, isodow, opens),
    CONSTRAINT calendar_hours_isodow CHECK (isodow BETWEEN 1 AND 7),
    CONSTRAINT calendar_hours_order CHECK (opens OPERATOR(pg_catalog.<) closes)
);
COMMENT ON TABLE complaint.calendar_hours IS
    'weekly opening hours: one or more non-overlapping spans [opens, closes) per ISO weekday, in local wall-clock time';
COMMENT ON COLUMN complaint.calendar_hours.isodow IS 'ISO weekday, 1 = Monday .. 7 = Sunday';
COMMENT ON COLUMN complaint.calendar_hours.opens IS 'local opening time (inclusive)';
COMMENT ON COLUMN complaint.calendar_hours.closes IS 'local closing time (exclusive); 24:00 means midnight at the end of the day';
COMMENT ON COLUMN complaint.calendar_hours.builtin IS 'true for rows installed by the extension (read-only)';

CREATE TABLE complaint.calendar_day (
    calendar   text NOT NULL REFERENCES complaint.calendar (name) ON UPDATE CASCADE ON DELETE CASCADE,
    day        date NOT NULL,
    is_workday boolean NOT NULL,
    hours_like smallint,
    builtin    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (calendar, day),
    CONSTRAINT calendar_day_hours_like CHECK (hours_like BETWEEN 1 AND 7),
    CONSTRAINT calendar_day_hours_like_workday CHECK (hours_like IS NULL OR is_workday),
    CONSTRAINT calendar_day_range CHECK (day BETWEEN '1900-01-01' AND '2199-12-31')
);
COMMENT ON TABLE complaint.calendar_day IS
    'exception days: a holiday (is_workday = false) or an extra working day such as a make-up weekend day (is_workday = true)';
COMMENT ON COLUMN complaint.calendar_day.day IS 'local date in the calendar''s zone (1900-01-01 .. 2199-12-31)';
COMMENT ON COLUMN complaint.calendar_day.is_workday IS 'false: no working time that day; true: a working day with the spans of weekday hours_like';
COMMENT ON COLUMN complaint.calendar_day.hours_like IS
    'working day only: ISO weekday whose spans apply; NULL = the day''s own weekday if it has spans, else Monday';
COMMENT ON COLUMN complaint.calendar_day.builtin IS 'true for rows installed by the extension (read-only)';

------------------------------------------------------------------------------------------
-- Validation. Each check raises a specific SQLSTATE with the offending value and a hint;
-- the CHECK constraints above stay as a second line of defence.
------------------------------------------------------------------------------------------

-- complaint._guard_builtin(): rows installed by the extension (builtin = true) are changed
-- only by the extension's own scripts; users add rows of their own instead.
CREATE FUNCTION complaint._guard_builtin()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF complaint._in_extension_script() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'cannot truncate %.%: it holds rows bundled with pg_complaint', TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = '55000',
                  HINT = 'Delete your own rows with DELETE ... WHERE NOT builtin.';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.builtin THEN
        RAISE EXCEPTION 'cannot % a bundled row of %.% (calendar "%")', lower(TG_OP), TG_TABLE_SCHEMA, TG_TABLE_NAME,
                coalesce(to_jsonb(OLD) ->> 'calendar', to_jsonb(OLD) ->> 'name')
            USING ERRCODE = '55000',
                  DETAIL = 'Bundled calendars are maintained by extension updates (ALTER EXTENSION pg_complaint UPDATE).',
                  HINT = 'Add exception days of your own to the bundled calendar, or copy it with complaint.copy_calendar(''cn'', ''my_calendar'') and edit the copy.';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.builtin THEN
        RAISE EXCEPTION 'builtin rows are reserved for rows bundled with pg_complaint'
            USING ERRCODE = '42501',
                  HINT = 'Leave builtin at its default (false).';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

-- complaint._calendar_check(): validates a complaint.calendar row.
CREATE FUNCTION complaint._calendar_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.name IS NULL OR length(NEW.name) NOT BETWEEN 1 AND 63 OR NEW.name <> btrim(NEW.name) THEN
        RAISE EXCEPTION 'invalid calendar name "%"', NEW.name
            USING ERRCODE = '22023',
                  HINT = 'A calendar name has 1 to 63 characters and no leading or trailing spaces.';
    END IF;
    IF NEW.tz IS NULL THEN
        RAISE EXCEPTION 'calendar "%" needs a time zone', NEW.name
            USING ERRCODE = '23502', HINT = 'Give an IANA zone name such as ''Asia/Shanghai''.';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.tz IS NOT DISTINCT FROM OLD.tz THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names z WHERE z.name = NEW.tz) THEN
        RAISE EXCEPTION 'time zone "%" of calendar "%" is not an IANA time zone name', NEW.tz, NEW.name
            USING ERRCODE = '22023',
                  HINT = 'Use a name listed in pg_timezone_names, e.g. ''Asia/Shanghai'' or ''Europe/Berlin'' (names are case-sensitive; abbreviations and POSIX rules are not accepted).';
    END IF;
    RETURN NEW;
END
$$;

-- complaint._calendar_hours_check(): validates one span (BEFORE ROW) and serialises
-- concurrent edits of one calendar by locking its row, so that the overlap check below
-- sees the other writer's committed spans.
CREATE FUNCTION complaint._calendar_hours_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.isodow IS NULL OR NEW.isodow NOT BETWEEN 1 AND 7 THEN
        RAISE EXCEPTION 'invalid weekday % in opening hours of calendar "%"', coalesce(NEW.isodow::text, 'NULL'), NEW.calendar
            USING ERRCODE = '22023', HINT = 'isodow is the ISO weekday: 1 = Monday .. 7 = Sunday.';
    END IF;
    IF NEW.opens IS NULL OR NEW.closes IS NULL THEN
        RAISE EXCEPTION 'opening hours of calendar "%" weekday % need both opens and closes', NEW.calendar, NEW.isodow
            USING ERRCODE = '23502';
    END IF;
    IF NEW.opens >= NEW.closes THEN
        RAISE EXCEPTION 'span %-% of calendar "%" weekday % does not open before it closes',
                NEW.opens, NEW.closes, NEW.calendar, NEW.isodow
            USING ERRCODE = '22023',
                  HINT = 'A span lies inside one day: opens < closes, with closes = ''24:00'' for midnight. Split a night shift into two spans on consecutive weekdays.';
    END IF;
    PERFORM 1 FROM complaint.calendar c WHERE c.name = NEW.calendar FOR NO KEY UPDATE;
    RETURN NEW;
END
$$;

-- complaint._calendar_hours_overlap(): AFTER ROW, when the new span and the others of the
-- statement are all visible: spans of one weekday must not overlap.
CREATE FUNCTION complaint._calendar_hours_overlap()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    o record;
BEGIN
    SELECT h.opens, h.closes INTO o
      FROM complaint.calendar_hours h
     WHERE h.calendar = NEW.calendar AND h.isodow = NEW.isodow
       AND h.opens <> NEW.opens AND h.opens < NEW.closes AND NEW.opens < h.closes
     ORDER BY h.opens
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'span %-% of calendar "%" weekday % overlaps span %-%',
                NEW.opens, NEW.closes, NEW.calendar, NEW.isodow, o.opens, o.closes
            USING ERRCODE = '23P01',
                  HINT = 'Merge the two spans into one, or make one end where the other begins.';
    END IF;
    RETURN NULL;
END
$$;

-- complaint._calendar_day_check(): validates an exception day.
CREATE FUNCTION complaint._calendar_day_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.day IS NULL OR NEW.is_workday IS NULL THEN
        RAISE EXCEPTION 'exception day of calendar "%" needs day and is_workday', NEW.calendar
            USING ERRCODE = '23502';
    END IF;
    IF NEW.day NOT BETWEEN '1900-01-01' AND '2199-12-31' THEN
        RAISE EXCEPTION 'exception day % of calendar "%" is outside the supported range', NEW.day, NEW.calendar
            USING ERRCODE = '22008',
                  HINT = 'Calendars cover 1900-01-01 .. 2199-12-31.';
    END IF;
    IF NEW.hours_like IS NOT NULL AND NEW.hours_like NOT BETWEEN 1 AND 7 THEN
        RAISE EXCEPTION 'invalid weekday % in hours_like of calendar "%" day %', NEW.hours_like, NEW.calendar, NEW.day
            USING ERRCODE = '22023', HINT = 'hours_like is an ISO weekday: 1 = Monday .. 7 = Sunday, or NULL.';
    END IF;
    IF NEW.hours_like IS NOT NULL AND NOT NEW.is_workday THEN
        RAISE EXCEPTION 'holiday % of calendar "%" cannot borrow the hours of weekday %', NEW.day, NEW.calendar, NEW.hours_like
            USING ERRCODE = '22023', HINT = 'hours_like applies to working days only; leave it NULL for a holiday.';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER a_guard_builtin BEFORE INSERT OR UPDATE OR DELETE ON complaint.calendar
    FOR EACH ROW EXECUTE FUNCTION complaint._guard_builtin();
CREATE TRIGGER a_guard_builtin_truncate BEFORE TRUNCATE ON complaint.calendar
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._guard_builtin();
CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.calendar
    FOR EACH ROW EXECUTE FUNCTION complaint._calendar_check();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.calendar
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

CREATE TRIGGER a_guard_builtin BEFORE INSERT OR UPDATE OR DELETE ON complaint.calendar_hours
    FOR EACH ROW EXECUTE FUNCTION complaint._guard_builtin();
CREATE TRIGGER a_guard_builtin_truncate BEFORE TRUNCATE ON complaint.calendar_hours
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._guard_builtin();
CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.calendar_hours
    FOR EACH ROW EXECUTE FUNCTION complaint._calendar_hours_check();
CREATE TRIGGER c_no_overlap AFTER INSERT OR UPDATE ON complaint.calendar_hours
    FOR EACH ROW EXECUTE FUNCTION complaint._calendar_hours_overlap();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.calendar_hours
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

CREATE TRIGGER a_guard_builtin BEFORE INSERT OR UPDATE OR DELETE ON complaint.calendar_day
    FOR EACH ROW EXECUTE FUNCTION complaint._guard_builtin();
CREATE TRIGGER a_guard_builtin_truncate BEFORE TRUNCATE ON complaint.calendar_day
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._guard_builtin();
CREATE TRIGGER b_check BEFORE INSERT OR UPDATE ON complaint.calendar_day
    FOR EACH ROW EXECUTE FUNCTION complaint._calendar_day_check();
CREATE TRIGGER z_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint.calendar_day
    FOR EACH STATEMENT EXECUTE FUNCTION complaint._config_changed();

-- User rows survive pg_dump / pg_restore; bundled rows come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('complaint.calendar', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('complaint.calendar_hours', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('complaint.calendar_day', 'WHERE NOT builtin');

-- complaint.copy_calendar(source, target, tz) copies a calendar (hours and exception days)
-- under a new name, e.g. to edit a copy of the bundled cn calendar.
CREATE FUNCTION complaint.copy_calendar(source text, target text, tz text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM complaint.calendar c WHERE c.name = source) THEN
        RAISE EXCEPTION 'business calendar "%" does not exist', source
            USING ERRCODE = '42704', HINT = 'Calendars are the rows of complaint.calendar.';
    END IF;
    INSERT INTO complaint.calendar (name, tz)
    SELECT target, coalesce(copy_calendar.tz, c.tz) FROM complaint.calendar c WHERE c.name = source;
    INSERT INTO complaint.calendar_hours (calendar, isodow, opens, closes)
    SELECT target, h.isodow, h.opens, h.closes FROM complaint.calendar_hours h WHERE h.calendar = source;
    INSERT INTO complaint.calendar_day (calendar, day, is_workday, hours_like)
    SELECT target, d.day, d.is_workday, d.hours_like FROM complaint.calendar_day d WHERE d.calendar = source;
    RETURN target;
END
$$;
COMMENT ON FUNCTION complaint.copy_calendar(text, text, text) IS
    'copies a business calendar (zone, hours, exception days) under a new name; tz overrides the zone';
