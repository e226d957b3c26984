/*-------------------------------------------------------------------------
 *
 * calendar_sql.c
 *	  The SQL-callable business-calendar functions (CONTRACT section 1):
 *	  argument checks and conversion around the arithmetic of calendar.c.
 *
 * All are declared STABLE STRICT PARALLEL SAFE: a NULL argument gives NULL.
 *
 * IDENTIFICATION
 *	  extension/src/calendar_sql.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "pg_complaint.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/*
 * work_interval_usecs checks that an interval is a length of working time
 * (no month or day part, not negative) and returns it in microseconds.
 */
static int64
work_interval_usecs(Interval *work)
{
	if (work->month != 0 || work->day != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("working time \"%s\" has a day or month part",
						DatumGetCString(DirectFunctionCall1(interval_out, PointerGetDatum(work)))),
				 errdetail("Working time is counted in hours, minutes and seconds of opening hours; a day or a month has no fixed working length."),
				 errhint("Write the time in hours, e.g. '36 hours', or count working days with complaint.workdays_add().")));
	if (work->time < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("working time \"%s\" is negative",
						DatumGetCString(DirectFunctionCall1(interval_out, PointerGetDatum(work)))),
				 errhint("Give a working time of zero or more; to go back in time use complaint.business_between().")));
	return work->time;
}

PG_FUNCTION_INFO_V1(pgc_business_add);

/* complaint.business_add(cal text, start timestamptz, work interval) */
Datum
pgc_business_add(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	TimestampTz start = PG_GETARG_TIMESTAMPTZ(1);
	int64		work = work_interval_usecs(PG_GETARG_INTERVAL_P(2));
	PgcCalendar *cal = pgc_calendar_get(name);

	PG_RETURN_TIMESTAMPTZ(pgc_cal_add(cal, start, work));
}

PG_FUNCTION_INFO_V1(pgc_business_between);

/* complaint.business_between(cal text, t1 timestamptz, t2 timestamptz) */
Datum
pgc_business_between(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	TimestampTz t1 = PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz t2 = PG_GETARG_TIMESTAMPTZ(2);
	PgcCalendar *cal = pgc_calendar_get(name);
	Interval   *result = (Interval *) palloc(sizeof(Interval));

	result->time = pgc_cal_between(cal, t1, t2);
	result->day = 0;
	result->month = 0;
	PG_RETURN_INTERVAL_P(result);
}

PG_FUNCTION_INFO_V1(pgc_is_business_time);

/* complaint.is_business_time(cal text, t timestamptz) */
Datum
pgc_is_business_time(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(1);
	PgcCalendar *cal = pgc_calendar_get(name);

	PG_RETURN_BOOL(pgc_cal_is_open(cal, t));
}

PG_FUNCTION_INFO_V1(pgc_next_business_time);

/* complaint.next_business_time(cal text, t timestamptz) */
Datum
pgc_next_business_time(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(1);
	PgcCalendar *cal = pgc_calendar_get(name);

	PG_RETURN_TIMESTAMPTZ(pgc_cal_next_open(cal, t));
}

PG_FUNCTION_INFO_V1(pgc_workdays_add);

/* complaint.workdays_add(cal text, start timestamptz, n integer) */
Datum
pgc_workdays_add(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	TimestampTz start = PG_GETARG_TIMESTAMPTZ(1);
	int32		n = PG_GETARG_INT32(2);
	PgcCalendar *cal;

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of working days %d is negative", n),
				 errhint("Give 0 for the closing time of the first working day at or after the start, or a positive count.")));
	cal = pgc_calendar_get(name);
	PG_RETURN_TIMESTAMPTZ(pgc_cal_workdays_add(cal, start, n));
}

PG_FUNCTION_INFO_V1(pgc_calendar_info);

/*
 * complaint.calendar_info(cal text): what the backend compiled for a
 * calendar, for checking the cache and the data behind it.
 */
Datum
pgc_calendar_info(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	PgcCalendar *cal = pgc_calendar_get(name);
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	Interval   *weekly = (Interval *) palloc(sizeof(Interval));

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	weekly->time = cal->week_total;
	weekly->day = 0;
	weekly->month = 0;
	values[0] = CStringGetTextDatum(cal->tzname);
	values[1] = IntervalPGetDatum(weekly);
	values[2] = Int32GetDatum(cal->week_workdays);
	values[3] = Int32GetDatum(cal->nexceptions);
	values[4] = Int32GetDatum(cal->nspecial);
	values[5] = Int32GetDatum(cal->ntrans);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
