-- Business-calendar arithmetic (CONTRACT section 1), implemented in C
-- (extension/src/calendar.c). Every function reads the compiled calendar from the
-- backend's cache; STRICT: a NULL argument gives NULL.

CREATE FUNCTION complaint.business_add(cal text, start timestamptz, work interval)
RETURNS timestamptz
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_business_add';
COMMENT ON FUNCTION complaint.business_add(text, timestamptz, interval) IS
    'instant when work (hours/minutes/seconds, >= 0) of working time has elapsed from start; zero work = next_business_time(start)';

CREATE FUNCTION complaint.business_between(cal text, t1 timestamptz, t2 timestamptz)
RETURNS interval
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_business_between';
COMMENT ON FUNCTION complaint.business_between(text, timestamptz, timestamptz) IS
    'working time inside [t1, t2) in hours/minutes/seconds (never days); negative when t2 < t1';

CREATE FUNCTION complaint.is_business_time(cal text, t timestamptz)
RETURNS boolean
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_is_business_time';
COMMENT ON FUNCTION complaint.is_business_time(text, timestamptz) IS
    'true when t lies inside an opening span (opens inclusive, closes exclusive)';

CREATE FUNCTION complaint.next_business_time(cal text, t timestamptz)
RETURNS timestamptz
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_next_business_time';
COMMENT ON FUNCTION complaint.next_business_time(text, timestamptz) IS
    't itself when open, else the next opening';

CREATE FUNCTION complaint.workdays_add(cal text, start timestamptz, n integer)
RETURNS timestamptz
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_workdays_add';
COMMENT ON FUNCTION complaint.workdays_add(text, timestamptz, integer) IS
    'closing time of the n-th working day after the local day of start; n = 0: of that day if it is a working day, else of the next one';

CREATE FUNCTION complaint.calendar_info(cal text,
    OUT tz text, OUT weekly_hours interval, OUT weekly_workdays integer,
    OUT exception_days integer, OUT special_days integer, OUT offset_changes integer)
RETURNS record
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pgc_calendar_info';
COMMENT ON FUNCTION complaint.calendar_info(text) IS
    'what this backend compiled for a calendar: zone, weekly working time and working days, exception days, special days (exceptions and days next to a change of UTC offset), offset changes 1900-2199';
