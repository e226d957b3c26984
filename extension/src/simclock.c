/*-------------------------------------------------------------------------
 *
 * simclock.c
 *	  The simulated clock of the data generator (complaint.generate()).
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
 * IDENTIFICATION
 *	  extension/src/simclock.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pg_complaint.h"
#include "storage/proc.h"
#include "utils/timestamp.h"

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
