/*-------------------------------------------------------------------------
 *
 * generator.c
 *	  C support of the data generator (complaint.generate()): its simulated
 *	  clock and its deterministic draws.
 *
 * Every rule of the complaint trigger takes its "now" from the start of the
 * current statement.  To replay months of complaint handling through the
 * real pipeline -- inserts, workflow updates, deadlines met and breached,
 * the sweep -- the generator moves that clock: complaint._sim_clock(t) makes
 * the statements the generator runs next (inside its own call) start at t,
 * and the transaction with them, so that now() agrees.  It sets the two
 * timestamps the way a parallel worker receives its leader's; the next
 * top-level statement starts on the real clock again, and
 * complaint._sim_clock(NULL) gives the transaction back its real start.
 *
 * The clock never runs ahead of the real one (a complaint may not be
 * received in the future), and only complaint_admin may move it.
 *
 * The draws are pure functions of (seed, complaint number, draw number), so
 * that the same call generates the same complaints; they are called tens of
 * millions of times for a million complaints, hence in C.
 *
 * IDENTIFICATION
 *	  extension/src/generator.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pg_complaint.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/timestamp.h"

#include <math.h>

/* the real start of the transaction and statement, saved by the first move */
static LocalTransactionId saved_lxid = InvalidLocalTransactionId;
static TimestampTz saved_xact_start;
static TimestampTz saved_stmt_start;

/* set_start_timestamps sets both, as for a parallel worker. */
static void
set_start_timestamps(TimestampTz xact_ts, TimestampTz stmt_ts)
{
#ifdef USE_ASSERT_CHECKING
	int			save = ParallelWorkerNumber;

	ParallelWorkerNumber = 0;	/* SetParallelStartTimestamps asserts it */
	SetParallelStartTimestamps(xact_ts, stmt_ts);
	ParallelWorkerNumber = save;
#else
	SetParallelStartTimestamps(xact_ts, stmt_ts);
#endif
}

PG_FUNCTION_INFO_V1(pgc_sim_clock);

/*
 * pgc_sim_clock is complaint._sim_clock(t): moves the clock of the rest of
 * the current statement to t, or back to the real one when t is NULL.
 * Returns the clock now in force.
 */
Datum
pgc_sim_clock(PG_FUNCTION_ARGS)
{
	TimestampTz t;

	if (!pgc_is_admin())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only complaint_admin may move the simulated clock")));

	if (PG_ARGISNULL(0))
	{
		if (saved_lxid == MyProc->lxid)
		{
			set_start_timestamps(saved_xact_start, saved_stmt_start);
			saved_lxid = InvalidLocalTransactionId;
		}
		PG_RETURN_TIMESTAMPTZ(GetCurrentStatementStartTimestamp());
	}

	t = PG_GETARG_TIMESTAMPTZ(0);
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the simulated clock needs a finite time")));
	if (t > GetCurrentTimestamp())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the simulated clock cannot run ahead of the real clock"),
				 errdetail("Asked for %s; it is %s.", timestamptz_to_str(t),
						   timestamptz_to_str(GetCurrentTimestamp())),
				 errhint("Generate a period that ends now or earlier.")));

	if (saved_lxid != MyProc->lxid)
	{
		saved_lxid = MyProc->lxid;
		saved_xact_start = GetCurrentTransactionStartTimestamp();
		saved_stmt_start = GetCurrentStatementStartTimestamp();
	}
	set_start_timestamps(t, t);
	PG_RETURN_TIMESTAMPTZ(t);
}

PG_FUNCTION_INFO_V1(pgc_gen_r);

/*
 * pgc_gen_r is complaint._gen_r(seed, i, k): the k-th uniform draw in
 * [0, 1) of complaint i, the low 52 bits of hashint8extended(i * 64 + k,
 * seed) over 2^52.
 */
Datum
pgc_gen_r(PG_FUNCTION_ARGS)
{
	int64		seed = PG_GETARG_INT64(0);
	int64		i = PG_GETARG_INT64(1);
	int32		k = PG_GETARG_INT32(2);
	int64		h;

	h = DatumGetInt64(DirectFunctionCall2(hashint8extended,
										  Int64GetDatum(i * 64 + k),
										  Int64GetDatum(seed)));
	PG_RETURN_FLOAT8((float8) (h & INT64CONST(0xFFFFFFFFFFFFF)) / 4503599627370496.0);
}

PG_FUNCTION_INFO_V1(pgc_gen_lognormal);

/*
 * pgc_gen_lognormal is complaint._gen_lognormal(median, r1, r2): a
 * log-normal draw (sigma 0.8) around median from two uniform draws
 * (Box-Muller).
 */
Datum
pgc_gen_lognormal(PG_FUNCTION_ARGS)
{
	float8		median = PG_GETARG_FLOAT8(0);
	float8		r1 = PG_GETARG_FLOAT8(1);
	float8		r2 = PG_GETARG_FLOAT8(2);

	PG_RETURN_FLOAT8(median * exp(0.8 * sqrt(-2.0 * log(1.0 - r1)) * cos(2.0 * M_PI * r2)));
}
