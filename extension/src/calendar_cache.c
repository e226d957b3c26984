/*-------------------------------------------------------------------------
 *
 * calendar_cache.c
 *	  Per-backend cache of compiled business calendars: lookup by name,
 *	  loading the rows of complaint.calendar, calendar_hours and
 *	  calendar_day, and rebuilding after an invalidation.
 *
 * Entries live in a hash table in CacheMemoryContext, each compiled calendar
 * in a context of its own.  An entry is valid while the configuration epoch
 * it was built at is current (config_cache.c).  Rows are read with the
 * latest snapshot, so a rebuild sees every committed change whatever the
 * isolation level of the transaction that triggers it.  A compilation that
 * fails (unknown calendar, bad zone) leaves no entry behind: it is built in
 * a transaction-local context and moved into the cache only when complete.
 * Rows are read as the owner of the configuration tables, so a calendar
 * answers the same whoever calls it first.
 *
 * IDENTIFICATION
 *	  extension/src/calendar_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "pg_complaint.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

/* Calendar names are 1..63 characters: at most 252 bytes of UTF-8. */
#define CAL_KEY_LEN 256

typedef struct CalendarEntry
{
	char		key[CAL_KEY_LEN];	/* hash key: the name, NUL-padded */
	int			keylen;
	uint64		epoch;			/* pgc_config_epoch when compiled */
	MemoryContext cxt;			/* owns *cal */
	PgcCalendar *cal;
} CalendarEntry;

static HTAB *calendar_cache = NULL;
static CalendarEntry *last_entry = NULL;

/* unknown_calendar reports a calendar that does not exist. */
static void
unknown_calendar(const char *name, int len)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("business calendar \"%.*s\" does not exist", len, name),
			 errhint("Calendars are the rows of complaint.calendar; the bundled one is \"cn\".")));
}

/*
 * load_calendar reads the rows of one calendar and compiles them into cal,
 * allocating in CurrentMemoryContext.
 */
static void
load_calendar(PgcCalendar *cal)
{
	MemoryContext caller = CurrentMemoryContext;
	Datum		args[1];
	char	   *tzname;
	int			nhours,
				ndays,
				i;
	int		   *isodow,
			   *hours_like;
	int64	   *opens,
			   *closes;
	DateADT    *days;
	bool	   *is_workday;
	bool		isnull;
	Snapshot	snap;

	args[0] = CStringGetTextDatum(cal->name);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	snap = pgc_config_snapshot();

	pgc_config_query("SELECT tz FROM complaint.calendar WHERE name OPERATOR(pg_catalog.=) $1", args, snap);
	if (SPI_processed == 0)
		unknown_calendar(cal->name, strlen(cal->name));
	tzname = MemoryContextStrdup(caller,
								 TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0],
																   SPI_tuptable->tupdesc, 1, &isnull)));

	pgc_config_query("SELECT isodow::pg_catalog.int4, opens, closes FROM complaint.calendar_hours"
					 " WHERE calendar OPERATOR(pg_catalog.=) $1", args, snap);
	nhours = (int) SPI_processed;
	isodow = MemoryContextAlloc(caller, sizeof(int) * Max(nhours, 1));
	opens = MemoryContextAlloc(caller, sizeof(int64) * Max(nhours, 1));
	closes = MemoryContextAlloc(caller, sizeof(int64) * Max(nhours, 1));
	for (i = 0; i < nhours; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		isodow[i] = DatumGetInt32(SPI_getbinval(tup, desc, 1, &isnull));
		opens[i] = DatumGetTimeADT(SPI_getbinval(tup, desc, 2, &isnull));
		closes[i] = DatumGetTimeADT(SPI_getbinval(tup, desc, 3, &isnull));
	}

	pgc_config_query("SELECT day, is_workday, coalesce(hours_like, 0)::pg_catalog.int4 FROM complaint.calendar_day"
					 " WHERE calendar OPERATOR(pg_catalog.=) $1", args, snap);
	ndays = (int) SPI_processed;
	days = MemoryContextAlloc(caller, sizeof(DateADT) * Max(ndays, 1));
	is_workday = MemoryContextAlloc(caller, sizeof(bool) * Max(ndays, 1));
	hours_like = MemoryContextAlloc(caller, sizeof(int) * Max(ndays, 1));
	for (i = 0; i < ndays; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		days[i] = DatumGetDateADT(SPI_getbinval(tup, desc, 1, &isnull));
		is_workday[i] = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull));
		hours_like[i] = DatumGetInt32(SPI_getbinval(tup, desc, 3, &isnull));
	}
	SPI_finish();

	pgc_calendar_compile(cal, tzname, nhours, isodow, opens, closes,
						 ndays, days, is_workday, hours_like);
}

/*
 * compile_entry (re)builds a cache entry.  The calendar is compiled in a
 * context under the caller's (freed with the transaction if anything fails)
 * and moved under CacheMemoryContext once complete.
 */
static PgcCalendar *
compile_entry(const char *key, int keylen)
{
	uint64		epoch;
	MemoryContext cxt;
	MemoryContext old;
	PgcCalendar *cal;
	CalendarEntry *entry;
	bool		found;
	PgcUserSwitch sw;

	/* read the sentinel first: invalidations from here on bump the epoch */
	(void) pgc_config_sentinel();
	epoch = pgc_config_epoch;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "pg_complaint calendar",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	cal = palloc0(sizeof(PgcCalendar));
	cal->name = pnstrdup(key, keylen);
	pgc_switch_to_owner(pgc_config_owner(), &sw);
	load_calendar(cal);
	pgc_switch_back(&sw);
	MemoryContextSwitchTo(old);

	MemoryContextSetParent(cxt, CacheMemoryContext);
	MemoryContextSetIdentifier(cxt, cal->name);
	entry = hash_search(calendar_cache, key, HASH_ENTER, &found);
	if (found && entry->cxt != NULL)
		pgc_config_retire(entry->cxt);
	entry->keylen = keylen;
	entry->epoch = epoch;
	entry->cxt = cxt;
	entry->cal = cal;
	last_entry = entry;
	return cal;
}

/* lookup returns the compiled calendar of a name given as bytes. */
static PgcCalendar *
lookup(const char *name, int len)
{
	char		key[CAL_KEY_LEN];
	CalendarEntry *entry;

	pgc_config_accept_invalidations();

	if (last_entry != NULL && last_entry->epoch == pgc_config_epoch &&
		last_entry->keylen == len && memcmp(last_entry->key, name, len) == 0)
		return last_entry->cal;

	if (len <= 0 || len >= CAL_KEY_LEN)
		unknown_calendar(name, len);

	if (calendar_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = CAL_KEY_LEN;
		ctl.entrysize = sizeof(CalendarEntry);
		ctl.hcxt = CacheMemoryContext;
		calendar_cache = hash_create("pg_complaint calendars", 16, &ctl,
									 HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	memset(key, 0, sizeof(key));
	memcpy(key, name, len);
	if (memchr(key, '\0', len) != NULL)
		unknown_calendar(name, len);

	entry = hash_search(calendar_cache, key, HASH_FIND, NULL);
	if (entry != NULL && entry->epoch == pgc_config_epoch)
	{
		last_entry = entry;
		return entry->cal;
	}
	return compile_entry(key, len);
}

/* pgc_calendar_get returns the compiled calendar named by a text value. */
PgcCalendar *
pgc_calendar_get(text *name)
{
	return lookup(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
}

/* pgc_calendar_get_cstring returns the compiled calendar of a C string name. */
PgcCalendar *
pgc_calendar_get_cstring(const char *name)
{
	return lookup(name, strlen(name));
}
