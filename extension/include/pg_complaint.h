/*-------------------------------------------------------------------------
 *
 * pg_complaint.h
 *	  Types and functions shared by the C files of pg_complaint.
 *
 * Every exported symbol carries the pgc_ prefix.  Times are PostgreSQL
 * TimestampTz values (microseconds since 2000-01-01 00:00 UTC), days are
 * DateADT values (days since 2000-01-01), durations are int64 microseconds.
 *
 * IDENTIFICATION
 *	  extension/include/pg_complaint.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_COMPLAINT_H
#define PG_COMPLAINT_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/date.h"

#define PGC_VERSION "0.1"

/* Custom SQLSTATEs are documented in README.md ("Errors"). */

/* ----------------------------------------------------------------
 * config_cache.c: invalidation of everything compiled from configuration
 * ----------------------------------------------------------------
 */

/*
 * pgc_config_epoch counts invalidations of the configuration tables seen by
 * this backend.  A compiled object remembers the epoch it was built at and is
 * rebuilt when the counter has moved on.
 */
extern uint64 pgc_config_epoch;

extern void pgc_config_cache_init(void);
extern void pgc_config_accept_invalidations(void);
extern Oid	pgc_config_sentinel(void);
extern void pgc_config_retire(MemoryContext cxt);

/* ----------------------------------------------------------------
 * calendar.c: the compiled business calendar and its arithmetic
 * ----------------------------------------------------------------
 */

/* Supported local days: 1900-01-01 .. 2199-12-31 (DateADT). */
#define PGC_FIRST_DAY	(-36524)
#define PGC_LAST_DAY	73048

/* A working span of one day.  Local microseconds since midnight, or absolute. */
typedef struct PgcSpan
{
	int64		open;
	int64		close;
} PgcSpan;

/* The spans of one ISO weekday, nominal (wall-clock) lengths. */
typedef struct PgcWeekday
{
	int			nspans;
	PgcSpan    *spans;			/* local microseconds since midnight */
	int64		total;			/* sum of span lengths */
} PgcWeekday;

/*
 * A special day is a day whose real spans differ from "weekday spans at the
 * zone's current offset": an exception day (holiday, make-up day) or a day
 * next to a change of the zone's UTC offset (DST).  Its spans are stored as
 * absolute TimestampTz values, already resolved through the zone.
 */
typedef struct PgcSpecialDay
{
	DateADT		day;
	int			nspans;
	int			first_span;		/* index into PgcCalendar.special_spans */
	int64		total;			/* real working microseconds */
} PgcSpecialDay;

/* A change of the zone's UTC offset. */
typedef struct PgcTransition
{
	TimestampTz at;				/* first instant of the new offset */
	DateADT		day;			/* local day of that instant (new offset) */
	int32		gmtoff;			/* seconds east of UTC from "at" on */
} PgcTransition;

typedef struct PgcCalendar
{
	char	   *name;
	char	   *tzname;
	pg_tz	   *tz;

	PgcWeekday	week[8];		/* index 1..7 = ISO weekday */
	int64		week_total;		/* working microseconds of a plain week */
	int64		week_prefix[8]; /* [r] = sum over Monday..(r-th day) */
	int			week_workdays;	/* weekdays with at least one span */
	int			workday_prefix[8];

	int			nspecial;
	PgcSpecialDay *special;		/* sorted by day */
	int64	   *special_cum;	/* [k] = sum over special[0..k-1] of real -
								 * nominal */
	int32	   *special_wdcum;	/* the same for working-day counts */
	PgcSpan    *special_spans;

	int			ntrans;
	PgcTransition *trans;		/* sorted by at */
	int32		gmtoff_initial; /* offset before the first transition */
	int			nexceptions;	/* rows of calendar_day (for reporting) */
} PgcCalendar;

extern PgcCalendar *pgc_calendar_get(text *name);
extern PgcCalendar *pgc_calendar_get_cstring(const char *name);

extern int64 pgc_cal_worked(PgcCalendar *cal, TimestampTz t);
extern TimestampTz pgc_cal_locate(PgcCalendar *cal, TimestampTz from,
								  int64 work, bool strict);
extern TimestampTz pgc_cal_add(PgcCalendar *cal, TimestampTz start, int64 work);
extern int64 pgc_cal_between(PgcCalendar *cal, TimestampTz t1, TimestampTz t2);
extern bool pgc_cal_is_open(PgcCalendar *cal, TimestampTz t);
extern TimestampTz pgc_cal_next_open(PgcCalendar *cal, TimestampTz t);
extern TimestampTz pgc_cal_workdays_add(PgcCalendar *cal, TimestampTz start,
										int32 n);
extern DateADT pgc_cal_local_day(PgcCalendar *cal, TimestampTz t);
extern bool pgc_cal_is_workday(PgcCalendar *cal, DateADT day);
extern TimestampTz pgc_cal_day_end(PgcCalendar *cal, DateADT day);

/* calendar.c: compilation */
extern void pgc_calendar_compile(PgcCalendar *cal, const char *tzname,
								 int nhours, const int *isodow,
								 const int64 *opens, const int64 *closes,
								 int ndays, const DateADT *days,
								 const bool *is_workday,
								 const int *hours_like);

#endif							/* PG_COMPLAINT_H */
