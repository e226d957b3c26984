/*-------------------------------------------------------------------------
 *
 * calendar.c
 *	  The compiled business calendar: building it from rows, and the
 *	  arithmetic every deadline of pg_complaint is made of.
 *
 * Model.  Let C(d) be the real working time (microseconds) of all local days
 * before day d, counted from a fixed origin.  The working time before an
 * instant t is
 *
 *		F(t) = C(d - 1) + the parts of the spans of days d-1, d, d+1 before t
 *
 * where d is t's local day (the neighbours matter only where a change of UTC
 * offset moves a span across local midnight).  business_between(t1, t2) is
 * F(t2) - F(t1); business_add(t, w) is the first instant where F reaches
 * F(t) + w; workdays_add does the same over K(d), the number of working days
 * before day d.
 *
 * C(d) costs O(log n): a plain week repeats, so C(d) is whole weeks times the
 * week's total, plus a prefix of the week, plus the sum of (real - nominal)
 * working time over the "special days" before d, read from a prefix-sum
 * array by binary search.  Special days are the exception days of
 * calendar_day and the days touched by a change of the zone's UTC offset;
 * their spans are resolved through the zone once, at compile time, with
 * PostgreSQL's own DetermineTimeZoneOffset(), so a local time that does not
 * exist or is ambiguous resolves exactly as "timestamp AT TIME ZONE" does and
 * a span squeezed to nothing by a DST gap disappears.  Any other day's spans
 * are its weekday's spans shifted by the offset in force that day.
 *
 * Inverse lookups (on which day does the n-th working microsecond fall) start
 * from an estimate at the weekly rate and gallop from there, so no call loops
 * over the days it spans: cost grows with log(days), not with the work.
 *
 * Supported local days are 1900-01-01 .. 2199-12-31; instants outside raise
 * an error rather than guessing.
 *
 * IDENTIFICATION
 *	  extension/src/calendar.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "pg_complaint.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

/* The origin of all cumulative sums: a Monday four weeks before 1900-01-01. */
#define PGC_ORIGIN		(PGC_FIRST_DAY - 28)
/* Cumulative sums are defined up to this day (exclusive bound of 2199-12-31). */
#define PGC_MAX_CUM_DAY (PGC_LAST_DAY + 1)
/* "No working time in the next ten years" */
#define PGC_TEN_YEARS_DAYS 3653
#define PGC_NO_DAY		PG_INT32_MAX

/* The spans of one day as seen by the arithmetic: span + base = instant. */
typedef struct DayView
{
	const PgcSpan *spans;
	int			nspans;
	int64		base;
} DayView;

/* floor division for possibly negative microsecond values */
static inline int64
floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* day_isodow returns the ISO weekday (1 = Monday) of day d >= PGC_ORIGIN. */
static inline int
day_isodow(DateADT d)
{
	return (int) ((d - PGC_ORIGIN) % 7) + 1;
}

/* special_lb returns the number of special days before day d. */
static inline int
special_lb(const PgcCalendar *cal, DateADT d)
{
	int			lo = 0,
				hi = cal->nspecial;

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;

		if (cal->special[mid].day < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* gmtoff_at returns the zone's UTC offset (seconds east) at instant t. */
static inline int32
gmtoff_at(const PgcCalendar *cal, TimestampTz t)
{
	int			lo = 0,
				hi = cal->ntrans;

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;

		if (cal->trans[mid].at <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? cal->gmtoff_initial : cal->trans[lo - 1].gmtoff;
}

/*
 * gmtoff_of_day returns the UTC offset in force on a day that no offset
 * change touches (callers only ask for such days).
 */
static inline int32
gmtoff_of_day(const PgcCalendar *cal, DateADT d)
{
	int			lo = 0,
				hi = cal->ntrans;

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;

		if (cal->trans[mid].day <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? cal->gmtoff_initial : cal->trans[lo - 1].gmtoff;
}

/* cum_work returns C(d) given k = special_lb(cal, d). */
static inline int64
cum_work_k(const PgcCalendar *cal, DateADT d, int k)
{
	int64		n = (int64) d - PGC_ORIGIN;

	return (n / 7) * cal->week_total + cal->week_prefix[n % 7] +
		cal->special_cum[k];
}

static int64
cum_work(PgcCalendar *cal, DateADT d)
{
	return cum_work_k(cal, d, special_lb(cal, d));
}

/* cum_workdays returns K(d), the number of working days before day d. */
static int64
cum_workdays(PgcCalendar *cal, DateADT d)
{
	int64		n = (int64) d - PGC_ORIGIN;

	return (n / 7) * cal->week_workdays + cal->workday_prefix[n % 7] +
		cal->special_wdcum[special_lb(cal, d)];
}

/*
 * day_view fills v with the real spans of day d; *k is special_lb(cal, d) on
 * entry or any smaller index, and is advanced to it.
 */
static inline void
day_view(const PgcCalendar *cal, DateADT d, int *k, DayView *v)
{
	while (*k < cal->nspecial && cal->special[*k].day < d)
		(*k)++;
	if (*k < cal->nspecial && cal->special[*k].day == d)
	{
		const PgcSpecialDay *sd = &cal->special[*k];

		v->spans = cal->special_spans + sd->first_span;
		v->nspans = sd->nspans;
		v->base = 0;
	}
	else
	{
		const PgcWeekday *wd = &cal->week[day_isodow(d)];

		v->spans = wd->spans;
		v->nspans = wd->nspans;
		v->base = (int64) d * USECS_PER_DAY -
			(int64) gmtoff_of_day(cal, d) * USECS_PER_SEC;
	}
}

/* range_error reports an instant outside the supported days. */
static void
range_error(PgcCalendar *cal, TimestampTz t)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("timestamp %s is outside the range of business calendars",
					TIMESTAMP_NOT_FINITE(t) ? (TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity")
					: timestamptz_to_str(t)),
			 errdetail("Calendar \"%s\" covers local days 1900-01-01 to 2199-12-31.",
					   cal->name)));
}

/* pgc_cal_local_day returns the local day of instant t in the calendar's zone. */
DateADT
pgc_cal_local_day(PgcCalendar *cal, TimestampTz t)
{
	int64		d;

	if (TIMESTAMP_NOT_FINITE(t))
		range_error(cal, t);
	/* keep the addition below far from overflow */
	if (t < (int64) (PGC_FIRST_DAY - 2) * USECS_PER_DAY ||
		t > (int64) (PGC_LAST_DAY + 2) * USECS_PER_DAY)
		range_error(cal, t);
	d = floor_div(t + (int64) gmtoff_at(cal, t) * USECS_PER_SEC, USECS_PER_DAY);
	if (d < PGC_FIRST_DAY || d > PGC_LAST_DAY)
		range_error(cal, t);
	return (DateADT) d;
}

/* pgc_cal_worked returns F(t): the working time before t since the origin. */
int64
pgc_cal_worked(PgcCalendar *cal, TimestampTz t)
{
	DateADT		d = pgc_cal_local_day(cal, t);
	int			k = special_lb(cal, d - 1);
	int64		acc = cum_work_k(cal, d - 1, k);
	DateADT		x;

	for (x = d - 1; x <= d + 1; x++)
	{
		DayView		v;
		int			i;

		day_view(cal, x, &k, &v);
		for (i = 0; i < v.nspans; i++)
		{
			int64		s = v.spans[i].open + v.base;
			int64		e = v.spans[i].close + v.base;

			if (s >= t)
				break;
			acc += (e < t ? e : t) - s;
		}
	}
	return acc;
}

/*
 * search_cum returns the smallest day m in (lo, PGC_MAX_CUM_DAY] with
 * cum(m) >= target, knowing cum(lo) < target, or PGC_NO_DAY.  It starts at
 * guess and gallops, so a good guess costs a handful of probes whatever the
 * distance.
 */
static DateADT
search_cum(PgcCalendar *cal, int64 (*cum) (PgcCalendar *, DateADT),
		   DateADT lo, int64 guess, int64 target)
{
	DateADT		hi;
	int64		step = 1;

	if (guess <= lo)
		guess = lo + 1;
	if (guess > PGC_MAX_CUM_DAY)
		guess = PGC_MAX_CUM_DAY;

	if (cum(cal, (DateADT) guess) >= target)
	{
		hi = (DateADT) guess;
		while (hi - step > lo)
		{
			DateADT		p = (DateADT) (hi - step);

			if (cum(cal, p) < target)
			{
				lo = p;
				break;
			}
			hi = p;
			step *= 2;
		}
	}
	else
	{
		lo = (DateADT) guess;
		for (;;)
		{
			if (lo >= PGC_MAX_CUM_DAY)
				return PGC_NO_DAY;
			hi = (DateADT) Min((int64) lo + step, (int64) PGC_MAX_CUM_DAY);
			if (cum(cal, hi) >= target)
				break;
			lo = hi;
			step *= 2;
		}
	}
	while (hi - lo > 1)
	{
		DateADT		mid = lo + (hi - lo) / 2;

		if (cum(cal, mid) >= target)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* no_working_time reports a calendar without working time ahead. */
static void
no_working_time(PgcCalendar *cal, TimestampTz t, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("business calendar \"%s\" has no %s in the 10 years after %s",
					cal->name, what, timestamptz_to_str(t)),
			 errhint("Add opening hours to complaint.calendar_hours or working days to complaint.calendar_day.")));
}

/*
 * pgc_cal_locate returns the first instant at which "work" microseconds of
 * working time have elapsed after "from".  With strict, it returns the first
 * instant after which working time elapses (work must then be 0): that is
 * "from" itself inside a span, else the next opening.
 */
TimestampTz
pgc_cal_locate(PgcCalendar *cal, TimestampTz from, int64 work, bool strict)
{
	DateADT		d0 = pgc_cal_local_day(cal, from);
	int64		f = pgc_cal_worked(cal, from);
	int64		horizon = cum_work(cal, Min(d0 + PGC_TEN_YEARS_DAYS + 1, PGC_MAX_CUM_DAY));
	int64		target;
	int64		guess;
	DateADT		m;
	DateADT		d;
	DayView		v;
	int			k;
	int64		acc;
	int			i;

	if (horizon <= f)
	{
		if (d0 + PGC_TEN_YEARS_DAYS + 1 > PGC_MAX_CUM_DAY)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("business calendar \"%s\" has no working time between %s and the end of its range",
							cal->name, timestamptz_to_str(from)),
					 errdetail("Business calendars cover local days up to 2199-12-31.")));
		no_working_time(cal, from, "working time");
	}
	if (work > cum_work(cal, PGC_MAX_CUM_DAY) - f)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("working time from %s ends after the range of business calendar \"%s\"",
						timestamptz_to_str(from), cal->name),
				 errdetail("Business calendars cover local days up to 2199-12-31.")));

	/* smallest m with C(m) >= target; the work ends on day m - 1 */
	target = f + work + (strict ? 1 : 0);
	guess = (int64) d0;
	if (cal->week_total > 0)
		guess += (target - cum_work(cal, d0)) / cal->week_total * 7;
	m = search_cum(cal, cum_work, d0 - 1, guess, target);
	if (m == PGC_NO_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("working time from %s ends after the range of business calendar \"%s\"",
						timestamptz_to_str(from), cal->name)));
	d = m - 1;
	k = special_lb(cal, d);
	acc = cum_work_k(cal, d, k);
	day_view(cal, d, &k, &v);
	target = f + work;
	for (i = 0; i < v.nspans; i++)
	{
		int64		len = v.spans[i].close - v.spans[i].open;

		if (strict ? acc + len > target : acc + len >= target)
		{
			int64		into = target - acc;

			return v.spans[i].open + v.base + (into > 0 ? into : 0);
		}
		acc += len;
	}
	/* C(d) < target <= C(d + 1) guarantees a span above */
	elog(ERROR, "business calendar \"%s\": inconsistent compiled day %d", cal->name, d);
	return 0;					/* keep compiler quiet */
}

/* pgc_cal_add: business_add() */
TimestampTz
pgc_cal_add(PgcCalendar *cal, TimestampTz start, int64 work)
{
	if (work == 0)
		return pgc_cal_next_open(cal, start);
	return pgc_cal_locate(cal, start, work, false);
}

/* pgc_cal_between: business_between(), in microseconds, negative if t2 < t1 */
int64
pgc_cal_between(PgcCalendar *cal, TimestampTz t1, TimestampTz t2)
{
	return pgc_cal_worked(cal, t2) - pgc_cal_worked(cal, t1);
}

/* pgc_cal_is_open: is t inside a span (opens inclusive, closes exclusive)? */
bool
pgc_cal_is_open(PgcCalendar *cal, TimestampTz t)
{
	DateADT		d = pgc_cal_local_day(cal, t);
	int			k = special_lb(cal, d - 1);
	DateADT		x;

	for (x = d - 1; x <= d + 1; x++)
	{
		DayView		v;
		int			i;

		day_view(cal, x, &k, &v);
		for (i = 0; i < v.nspans; i++)
		{
			if (v.spans[i].open + v.base <= t && t < v.spans[i].close + v.base)
				return true;
		}
	}
	return false;
}

/* pgc_cal_next_open: t itself if open, else the next opening */
TimestampTz
pgc_cal_next_open(PgcCalendar *cal, TimestampTz t)
{
	if (pgc_cal_is_open(cal, t))
		return t;
	return pgc_cal_locate(cal, t, 0, true);
}

/* pgc_cal_day_end returns the end of the last span of a working day. */
TimestampTz
pgc_cal_day_end(PgcCalendar *cal, DateADT day)
{
	int			k = special_lb(cal, day);
	DayView		v;

	day_view(cal, day, &k, &v);
	if (v.nspans == 0)
		elog(ERROR, "business calendar \"%s\": day %d is not a working day", cal->name, day);
	return v.spans[v.nspans - 1].close + v.base;
}

/* pgc_cal_is_workday: does the local day have any working time? */
bool
pgc_cal_is_workday(PgcCalendar *cal, DateADT day)
{
	int			k = special_lb(cal, day);
	DayView		v;

	day_view(cal, day, &k, &v);
	return v.nspans > 0;
}

/*
 * pgc_cal_workdays_add: closing time of the n-th working day after the local
 * day of start (n >= 1); for n = 0, of that day if it is a working day, else
 * of the next working day.
 */
TimestampTz
pgc_cal_workdays_add(PgcCalendar *cal, TimestampTz start, int32 n)
{
	DateADT		d0 = pgc_cal_local_day(cal, start);
	DateADT		base = (n == 0) ? d0 : d0 + 1;
	int64		need = (n == 0) ? 1 : n;
	int64		kbase = cum_workdays(cal, base);
	int64		guess;
	DateADT		m;

	Assert(n >= 0);
	if (cum_workdays(cal, Min(base + PGC_TEN_YEARS_DAYS, PGC_MAX_CUM_DAY)) == kbase)
	{
		if (base + PGC_TEN_YEARS_DAYS > PGC_MAX_CUM_DAY)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("business calendar \"%s\" has no working day between %s and the end of its range",
							cal->name, timestamptz_to_str(start)),
					 errdetail("Business calendars cover local days up to 2199-12-31.")));
		no_working_time(cal, start, "working day");
	}
	guess = (int64) base + (cal->week_workdays > 0 ? need * 7 / cal->week_workdays : 1);
	m = search_cum(cal, cum_workdays, base, guess, kbase + need);
	if (m == PGC_NO_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%d working days after %s end after the range of business calendar \"%s\"",
						n, timestamptz_to_str(start), cal->name),
				 errdetail("Business calendars cover local days up to 2199-12-31.")));
	return pgc_cal_day_end(cal, m - 1);
}

static TimestampTz local_to_utc(pg_tz *tz, Timestamp local);

/*
 * pgc_cal_shift returns t moved by an interval in the calendar's local time
 * ("received + 1 month" is the same local time a month later, across DST).
 */
TimestampTz
pgc_cal_shift(PgcCalendar *cal, TimestampTz t, const Interval *iv)
{
	Timestamp	local;

	if (TIMESTAMP_NOT_FINITE(t))
		return t;
	local = t + (int64) gmtoff_at(cal, t) * USECS_PER_SEC;
	local = DatumGetTimestamp(DirectFunctionCall2(timestamp_pl_interval,
												  TimestampGetDatum(local),
												  IntervalPGetDatum((Interval *) iv)));
	return local_to_utc(cal->tz, local);
}

/*
 * pgc_cal_local_midnight returns the instant a local day begins in the
 * calendar's zone (the next local midnight of day - 1).
 */
TimestampTz
pgc_cal_local_midnight(PgcCalendar *cal, DateADT day)
{
	return local_to_utc(cal->tz, (Timestamp) day * USECS_PER_DAY);
}

/* ----------------------------------------------------------------
 * Compilation
 * ----------------------------------------------------------------
 */

/* local_to_utc resolves a local wall-clock time as timestamp AT TIME ZONE does. */
static TimestampTz
local_to_utc(pg_tz *tz, Timestamp local)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			off;

	if (timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	off = DetermineTimeZoneOffset(&tm, tz);
	return local + (int64) off * USECS_PER_SEC;
}

static int
span_cmp(const void *a, const void *b)
{
	const PgcSpan *x = a;
	const PgcSpan *y = b;

	if (x->open != y->open)
		return x->open < y->open ? -1 : 1;
	return x->close < y->close ? -1 : (x->close > y->close ? 1 : 0);
}

/*
 * normalize_spans sorts spans, drops empty ones and merges overlapping ones;
 * returns the new count.  The tables forbid overlaps, but DST resolution can
 * make resolved spans overlap or vanish, and the arithmetic relies on sorted
 * disjoint spans.
 */
static int
normalize_spans(PgcSpan *s, int n, bool sort)
{
	int			i,
				out = 0;

	if (sort && n > 1)
		qsort(s, n, sizeof(PgcSpan), span_cmp);
	for (i = 0; i < n; i++)
	{
		PgcSpan		cur = s[i];

		if (out > 0 && cur.open < s[out - 1].close)
			cur.open = s[out - 1].close;
		if (cur.close <= cur.open)
			continue;
		if (out > 0 && cur.open == s[out - 1].close)
		{
			s[out - 1].close = cur.close;	/* adjacent: one span */
			continue;
		}
		s[out++] = cur;
	}
	return out;
}

static int
dateadt_cmp(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

/* qsort comparator of exception row indexes by day (sort_days is set by the caller) */
static const DateADT *sort_days;

static int
order_cmp(const void *a, const void *b)
{
	DateADT		x = sort_days[*(const int *) a];
	DateADT		y = sort_days[*(const int *) b];

	return x < y ? -1 : (x > y ? 1 : 0);
}

/* pg_time_t (seconds since 1970) <-> TimestampTz (microseconds since 2000) */
#define PGC_EPOCH_DIFF_SECS ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

static inline TimestampTz
pgtime_to_ts(pg_time_t t)
{
	return ((int64) t - PGC_EPOCH_DIFF_SECS) * USECS_PER_SEC;
}

/*
 * collect_transitions records every change of UTC offset of the zone between
 * a few days before the first supported day and a few days after the last.
 */
static void
collect_transitions(PgcCalendar *cal)
{
	pg_time_t	t = (pg_time_t) ((int64) (PGC_FIRST_DAY - 3) * SECS_PER_DAY + PGC_EPOCH_DIFF_SECS);
	pg_time_t	end = (pg_time_t) ((int64) (PGC_LAST_DAY + 3) * SECS_PER_DAY + PGC_EPOCH_DIFF_SECS);
	int			cap = 64;
	bool		first = true;

	cal->trans = palloc(sizeof(PgcTransition) * cap);
	cal->ntrans = 0;
	cal->gmtoff_initial = 0;
	for (;;)
	{
		long int	before_gmtoff,
					after_gmtoff;
		int			before_isdst,
					after_isdst;
		pg_time_t	boundary;
		int			res;

		res = pg_next_dst_boundary(&t, &before_gmtoff, &before_isdst, &boundary,
								   &after_gmtoff, &after_isdst, cal->tz);
		if (res < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot read the rules of time zone \"%s\" of calendar \"%s\"",
							cal->tzname, cal->name)));
		if (first)
		{
			cal->gmtoff_initial = (int32) before_gmtoff;
			first = false;
		}
		if (res == 0 || boundary > end)
			break;
		if (boundary <= t)
			elog(ERROR, "time zone \"%s\": transitions out of order", cal->tzname);
		if (after_gmtoff != before_gmtoff)
		{
			PgcTransition *tr;

			if (cal->ntrans == cap)
			{
				cap *= 2;
				cal->trans = repalloc(cal->trans, sizeof(PgcTransition) * cap);
			}
			tr = &cal->trans[cal->ntrans++];
			tr->at = pgtime_to_ts(boundary);
			tr->gmtoff = (int32) after_gmtoff;
			tr->day = (DateADT) floor_div(tr->at + (int64) after_gmtoff * USECS_PER_SEC,
										  USECS_PER_DAY);
		}
		t = boundary;
	}
}

/*
 * pgc_calendar_compile builds the compiled form of a calendar from its rows,
 * allocating in CurrentMemoryContext.  cal->name must be set.  Hours are
 * (isodow, opens, closes) in local microseconds since midnight; days are
 * (day, is_workday, hours_like or 0 for NULL).
 */
void
pgc_calendar_compile(PgcCalendar *cal, const char *tzname,
					 int nhours, const int *isodow,
					 const int64 *opens, const int64 *closes,
					 int ndays, const DateADT *days,
					 const bool *is_workday, const int *hours_like)
{
	int			i,
				w;
	DateADT    *irregular;
	int			nirregular = 0;
	int			capirr;
	DateADT    *all;
	int			nall;
	int			nexc_idx;
	int			nspans_cap;
	int			nspans_used = 0;
	int		   *order;
	int			e = 0;

	cal->tzname = pstrdup(tzname);
	cal->tz = pg_tzset(tzname);
	if (cal->tz == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" of business calendar \"%s\" is not recognized",
						tzname, cal->name),
				 errhint("Set complaint.calendar.tz to a name listed in pg_timezone_names.")));

	/* the plain week */
	cal->week_total = 0;
	cal->week_workdays = 0;
	cal->week_prefix[0] = 0;
	cal->workday_prefix[0] = 0;
	for (w = 1; w <= 7; w++)
	{
		PgcWeekday *wd = &cal->week[w];
		int			n = 0;

		for (i = 0; i < nhours; i++)
			if (isodow[i] == w)
				n++;
		wd->spans = palloc(sizeof(PgcSpan) * Max(n, 1));
		n = 0;
		for (i = 0; i < nhours; i++)
		{
			if (isodow[i] != w)
				continue;
			wd->spans[n].open = opens[i];
			wd->spans[n].close = closes[i];
			n++;
		}
		wd->nspans = normalize_spans(wd->spans, n, true);
		wd->total = 0;
		for (i = 0; i < wd->nspans; i++)
			wd->total += wd->spans[i].close - wd->spans[i].open;
		cal->week_total += wd->total;
		cal->week_workdays += wd->nspans > 0 ? 1 : 0;
		cal->week_prefix[w] = cal->week_total;
		cal->workday_prefix[w] = cal->week_workdays;
	}

	/* offset changes, and the days they touch */
	collect_transitions(cal);
	capirr = cal->ntrans * 4 + 1;
	irregular = palloc(sizeof(DateADT) * capirr);
	for (i = 0; i < cal->ntrans; i++)
	{
		int32		before = (i == 0) ? cal->gmtoff_initial : cal->trans[i - 1].gmtoff;
		DateADT		d1 = (DateADT) floor_div(cal->trans[i].at + (int64) before * USECS_PER_SEC,
											 USECS_PER_DAY);
		DateADT		d2 = cal->trans[i].day;
		DateADT		lo = Min(d1, d2) - 1;
		DateADT		hi = Max(d1, d2) + 1;
		DateADT		d;

		for (d = lo; d <= hi; d++)
		{
			if (d < PGC_FIRST_DAY - 2 || d > PGC_LAST_DAY + 2)
				continue;
			if (nirregular == capirr)
			{
				capirr *= 2;
				irregular = repalloc(irregular, sizeof(DateADT) * capirr);
			}
			irregular[nirregular++] = d;
		}
	}

	/* special days = exception days + irregular days, sorted, unique */
	nall = ndays + nirregular;
	all = palloc(sizeof(DateADT) * Max(nall, 1));
	memcpy(all, days, sizeof(DateADT) * ndays);
	memcpy(all + ndays, irregular, sizeof(DateADT) * nirregular);
	qsort(all, nall, sizeof(DateADT), dateadt_cmp);
	nexc_idx = 0;
	for (i = 0; i < nall; i++)
		if (nexc_idx == 0 || all[nexc_idx - 1] != all[i])
			all[nexc_idx++] = all[i];
	nall = nexc_idx;
	qsort(irregular, nirregular, sizeof(DateADT), dateadt_cmp);

	cal->nspecial = nall;
	cal->nexceptions = ndays;
	cal->special = palloc(sizeof(PgcSpecialDay) * Max(nall, 1));
	cal->special_cum = palloc(sizeof(int64) * (nall + 1));
	cal->special_wdcum = palloc(sizeof(int32) * (nall + 1));
	nspans_cap = 16;
	cal->special_spans = palloc(sizeof(PgcSpan) * nspans_cap);
	cal->special_cum[0] = 0;
	cal->special_wdcum[0] = 0;

	/* exception rows in day order */
	order = palloc(sizeof(int) * Max(ndays, 1));
	for (i = 0; i < ndays; i++)
		order[i] = i;
	sort_days = days;
	qsort(order, ndays, sizeof(int), order_cmp);

	for (i = 0; i < nall; i++)
	{
		DateADT		d = all[i];
		PgcSpecialDay *sd = &cal->special[i];
		const PgcWeekday *nominal;
		const PgcWeekday *own = &cal->week[day_isodow(d)];
		bool		irr;
		int			j;
		int			lo,
					hi;

		/* the exception row of this day, if any */
		nominal = own;
		while (e < ndays && days[order[e]] < d)
			e++;
		if (e < ndays && days[order[e]] == d)
		{
			j = order[e];
			if (!is_workday[j])
				nominal = NULL;
			else if (hours_like[j] >= 1 && hours_like[j] <= 7)
				nominal = &cal->week[hours_like[j]];
			else if (own->nspans > 0)
				nominal = own;
			else
				nominal = &cal->week[1];
		}

		/* irregular? (binary search) */
		lo = 0;
		hi = nirregular;
		while (lo < hi)
		{
			int			mid = (lo + hi) >> 1;

			if (irregular[mid] < d)
				lo = mid + 1;
			else
				hi = mid;
		}
		irr = (lo < nirregular && irregular[lo] == d);

		sd->day = d;
		sd->first_span = nspans_used;
		sd->nspans = 0;
		sd->total = 0;
		if (nominal != NULL && nominal->nspans > 0)
		{
			int64		shift = (int64) d * USECS_PER_DAY -
			(int64) gmtoff_of_day(cal, d) * USECS_PER_SEC;
			PgcSpan    *out;

			while (nspans_used + nominal->nspans > nspans_cap)
			{
				nspans_cap *= 2;
				cal->special_spans = repalloc(cal->special_spans, sizeof(PgcSpan) * nspans_cap);
			}
			out = cal->special_spans + nspans_used;
			for (j = 0; j < nominal->nspans; j++)
			{
				if (irr)
				{
					Timestamp	base = (Timestamp) d * USECS_PER_DAY;

					out[j].open = local_to_utc(cal->tz, base + nominal->spans[j].open);
					out[j].close = local_to_utc(cal->tz, base + nominal->spans[j].close);
				}
				else
				{
					out[j].open = nominal->spans[j].open + shift;
					out[j].close = nominal->spans[j].close + shift;
				}
			}
			/*
			 * A day that does not exist locally (Pacific/Apia skipped
			 * 2011-12-30) resolves onto the instants of its neighbour: what
			 * the previous day already covers is not worked twice.
			 */
			if (irr && i > 0 && cal->special[i - 1].day == d - 1 && cal->special[i - 1].nspans > 0)
			{
				const PgcSpecialDay *prev = &cal->special[i - 1];
				int64		prev_end = cal->special_spans[prev->first_span + prev->nspans - 1].close;

				for (j = 0; j < nominal->nspans; j++)
					if (out[j].open < prev_end)
						out[j].open = prev_end;
			}
			sd->nspans = normalize_spans(out, nominal->nspans, false);
			for (j = 0; j < sd->nspans; j++)
				sd->total += out[j].close - out[j].open;
			nspans_used += sd->nspans;
		}
		cal->special_cum[i + 1] = cal->special_cum[i] + (sd->total - own->total);
		cal->special_wdcum[i + 1] = cal->special_wdcum[i] +
			((sd->nspans > 0 ? 1 : 0) - (own->nspans > 0 ? 1 : 0));
	}
	pfree(order);
	pfree(all);
	pfree(irregular);
}
