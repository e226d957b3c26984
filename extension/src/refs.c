/*-------------------------------------------------------------------------
 *
 * refs.c
 *	  Reference numbers <ref_prefix>-<YYYYMM>-<serial> (CONTRACT section 2).
 *
 * YYYYMM is the month of received_at in the zone of the policy's calendar.
 * For a gap-free policy (the default) the serial comes from the row of
 * complaint.ref_counter of (prefix, month), upserted and thereby locked until
 * the end of the transaction: a concurrent insert of the same prefix and
 * month waits, and a rollback (or a failed insert) returns the number, so
 * the serials of committed complaints have no gaps.  This is the last stage
 * of the BEFORE pipeline so that the lock is held as briefly as possible.
 * A policy with ref_gapless = false takes its serial from a sequence: never
 * blocking, unique, increasing, with gaps.  Serials past 99999 widen.
 *
 * IDENTIFICATION
 *	  extension/src/refs.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "executor/spi.h"
#include "pg_complaint.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

static SPIPlanPtr counter_plan = NULL;

/* counter_next returns the next gap-free serial of (prefix, month). */
static int64
counter_next(const char *prefix, int32 month)
{
	Datum		args[2];
	bool		isnull;
	int64		serial;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (counter_plan == NULL)
	{
		Oid			argtypes[2] = {TEXTOID, INT4OID};
		SPIPlanPtr	plan;

		plan = SPI_prepare("INSERT INTO complaint.ref_counter AS c (prefix, month, last_serial)"
						   " VALUES ($1, $2, 1)"
						   " ON CONFLICT (prefix, month) DO UPDATE SET last_serial = c.last_serial OPERATOR(pg_catalog.+) 1"
						   " RETURNING c.last_serial", 2, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		counter_plan = plan;
	}
	args[0] = CStringGetTextDatum(prefix);
	args[1] = Int32GetDatum(month);
	if (SPI_execute_plan(counter_plan, args, NULL, false, 1) != SPI_OK_INSERT_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "pg_complaint: updating complaint.ref_counter failed");
	serial = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	return serial;
}

/*
 * pgc_ref_assign returns the reference number of a new complaint.  The
 * caller runs it as the table owner (complaint.ref_counter has no grants).
 */
char *
pgc_ref_assign(PgcPolicy *pol, TimestampTz received_at)
{
	PgcCalendar *cal = pgc_calendar_get_cstring(pol->calendar);
	DateADT		day = pgc_cal_local_day(cal, received_at);
	int			year,
				mon,
				mday;
	int64		serial;

	j2date(day + POSTGRES_EPOCH_JDATE, &year, &mon, &mday);
	if (pol->ref_gapless)
		serial = counter_next(pol->ref_prefix, year * 100 + mon);
	else
		serial = nextval_internal(pgc_catalog()->ref_serial_seq, false);
	return psprintf("%s-%04d%02d-%05lld", pol->ref_prefix, year, mon, (long long) serial);
}
