/*-------------------------------------------------------------------------
 *
 * deadline.c
 *	  SLA rules turned into deadlines (CONTRACT section 4): the deadline
 *	  stage of the complaint trigger, the validation of SLA rules, the
 *	  requests the sweep and complaint.record_notification() make of the
 *	  trigger, and the outbox.
 *
 * Every change of a complaint's deadlines happens inside an UPDATE (or the
 * INSERT) of the complaint itself, so that next_due_at, the earliest open
 * and unpaused deadline, is computed in the same BEFORE trigger that changes
 * them.  The BEFORE stage loads the open deadlines (UPDATE only), applies
 * the change to them in memory -- met, cancelled, paused, resumed, breached
 * (asked by the sweep), repeated, opened at an anchor -- and sets
 * next_due_at; the AFTER stage of the same row writes them (new rows
 * straight into the heap and indexes, changed rows by a kept plan) and the
 * history events.
 *
 * Measures: working_time = business_add(start, amount); calendar_time =
 * start + amount in the calendar's local time; workdays =
 * workdays_add(start, days); end_of_day = the next local midnight;
 * after_opening = next_business_time(start) + amount.  A pause stops the
 * clock: on resuming, what was left (working time for the working-time
 * measures, calendar time for the others) counts again from the resume.
 *
 * IDENTIFICATION
 *	  extension/src/deadline.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/stratnum.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "pg_complaint.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

PgcTouch   *pgc_touch = NULL;

#define STATUS_BIT(s)	((uint32) 1 << (s))
#define MAX_WORKING_USECS	(INT64CONST(10000) * USECS_PER_HOUR)

/* pgc_touch_for returns the sweep's (or a notification's) request for a complaint. */
PgcTouch *
pgc_touch_for(int64 complaint_id)
{
	if (pgc_touch != NULL && pgc_touch->kind != PGC_TOUCH_NONE &&
		pgc_touch->complaint_id == complaint_id)
		return pgc_touch;
	return NULL;
}

/* One deadline of a complaint, as loaded or opened, and what this change does to it. */
typedef struct Dl
{
	int64		id;				/* 0: opened by this change */
	ItemPointerData tid;		/* where a loaded row is stored (direct path) */
	char	   *kind;
	char	   *rule;
	int			occurrence;
	TimestampTz started_at;
	TimestampTz due_at;
	TimestampTz breached_at;	/* 0: not breached */
	TimestampTz paused_at;		/* 0: not paused */
	Interval	paused_total;
	TimestampTz next_check_at;	/* 0: NULL */
	TimestampTz met_at;			/* 0: not met */
	TimestampTz cancelled_at;	/* 0: not cancelled */
	char	   *cancel_reason;
	bool		dirty;
	bool		late;
	bool		newly_breached;
	bool		paused_now;
	bool		resumed_now;
} Dl;

typedef struct DlSet
{
	int			n;
	int			cap;
	Dl		   *dl;
} DlSet;

/* what the AFTER stage of one row writes */
typedef struct PendingDl
{
	int64		complaint_id;
	TimestampTz at;
	DlSet		set;
	PgcTouchKind touch;
	char	   *note;
	int			met_by_note;
} PendingDl;

static List *pending = NIL;
static LocalTransactionId pending_lxid = InvalidLocalTransactionId;

static inline bool
is_open(const Dl *d)
{
	return d->met_at == 0 && d->cancelled_at == 0;
}

static Dl *
dl_add(DlSet *set)
{
	if (set->n == set->cap)
	{
		set->cap = set->cap ? set->cap * 2 : 8;
		set->dl = set->dl ? repalloc(set->dl, sizeof(Dl) * set->cap) : palloc(sizeof(Dl) * set->cap);
	}
	memset(&set->dl[set->n], 0, sizeof(Dl));
	return &set->dl[set->n++];
}

static PgcSla *
sla_find(PgcPolicy *pol, const char *name)
{
	int			i;

	for (i = 0; i < pol->nsla; i++)
		if (strcmp(pol->sla[i].name, name) == 0)
			return &pol->sla[i];
	return NULL;
}

static int
row_status(PgcRow *row)
{
	return pgc_status_from_oid(DatumGetObjectId(PGC_VAL(row, C_STATUS)));
}

static bool
row_level_is(PgcRow *row, const char *code)
{
	return !PGC_ISNULL(row, C_LEVEL) &&
		strcmp(TextDatumGetCString(PGC_VAL(row, C_LEVEL)), code) == 0;
}

/* due_time computes when a deadline of a rule started at start is due. */
static TimestampTz
due_time(PgcPolicy *pol, PgcSla *sl, TimestampTz start)
{
	PgcCalendar *cal = pgc_calendar_get_cstring(pol->calendar);

	switch (sl->measure)
	{
		case PGC_M_WORKING:
			return pgc_cal_add(cal, start, sl->amount.time);
		case PGC_M_CALENDAR:
			return pgc_cal_shift(cal, start, &sl->amount);
		case PGC_M_WORKDAYS:
			return pgc_cal_workdays_add(cal, start, sl->days);
		case PGC_M_END_OF_DAY:
			return pgc_cal_local_midnight(cal, pgc_cal_local_day(cal, start) + 1);
		case PGC_M_AFTER_OPENING:
			return pgc_cal_shift(cal, pgc_cal_next_open(cal, start), &sl->amount);
	}
	return start;				/* keep compiler quiet */
}

/* interval_usecs: the length of a time-only interval */
static Interval
usecs_interval(int64 us)
{
	Interval	iv;

	iv.month = 0;
	iv.day = 0;
	iv.time = us;
	return iv;
}

static void
add_interval(Interval *acc, int64 us)
{
	acc->time += us;
}

/* open_deadline opens a deadline of a rule started at start. */
static Dl *
open_deadline(DlSet *set, PgcPolicy *pol, PgcSla *sl, TimestampTz start, int occurrence)
{
	Dl		   *d = dl_add(set);

	d->kind = sl->kind;
	d->rule = sl->name;
	d->occurrence = occurrence;
	d->started_at = start;
	d->due_at = due_time(pol, sl, start);
	d->paused_total = usecs_interval(0);
	d->next_check_at = d->due_at;
	d->dirty = true;
	return d;
}

/*
 * next_occurrence opens the deadline after d of a repeating rule: due
 * repeat_every after d's due time, stepped past now.
 */
static void
next_occurrence(DlSet *set, PgcPolicy *pol, PgcSla *sl, int idx, TimestampTz now)
{
	PgcCalendar *cal = pgc_calendar_get_cstring(pol->calendar);
	TimestampTz due = set->dl[idx].due_at;
	int			occ = set->dl[idx].occurrence;
	int			guard = 0;
	Dl		   *d;

	do
	{
		TimestampTz next = pgc_cal_shift(cal, due, &sl->repeat_every);

		if (next <= due)
			return;				/* cannot happen: validated positive */
		due = next;
		occ++;
	} while (due <= now && ++guard < 100000);
	d = dl_add(set);
	d->kind = sl->kind;
	d->rule = sl->name;
	d->occurrence = occ;
	d->started_at = set->dl[idx].due_at;
	d->due_at = due;
	d->paused_total = usecs_interval(0);
	d->next_check_at = due;
	d->dirty = true;
}

static void
cancel(Dl *d, TimestampTz now, const char *why)
{
	d->cancelled_at = now;
	d->cancel_reason = pstrdup(why);
	d->next_check_at = 0;
	d->dirty = true;
}

static void
meet(Dl *d, TimestampTz now)
{
	d->met_at = now;
	d->late = now > d->due_at;
	d->next_check_at = 0;
	d->dirty = true;
}

/* ----------------------------------------------------------------
 * Loading the open deadlines of a complaint
 * ----------------------------------------------------------------
 */
/* the columns of complaint.deadline, and where they are in its descriptor */
enum
{
	DL_ID, DL_COMPLAINT_ID, DL_KIND, DL_RULE, DL_OCCURRENCE, DL_STARTED_AT, DL_DUE_AT,
	DL_MET_AT, DL_BREACHED_AT, DL_CANCELLED_AT, DL_CANCEL_REASON, DL_PAUSED_AT,
	DL_PAUSED_TOTAL, DL_NEXT_CHECK_AT, DL_NCOLS
};
static const char *const dl_cols[DL_NCOLS] = {
	"id", "complaint_id", "kind", "rule", "occurrence", "started_at", "due_at",
	"met_at", "breached_at", "cancelled_at", "cancel_reason", "paused_at",
	"paused_total", "next_check_at"
};
static int	dl_attnum[DL_NCOLS];
static PgcDirectTable dl_table = {
	"complaint.deadline", DL_NCOLS, dl_cols, dl_attnum, InvalidOid, 0, InvalidOid, false,
	"complaint_id", InvalidOid, false
};
static SPIPlanPtr load_plan = NULL;
static SPIPlanPtr update_plan = NULL;

static TimestampTz
get_ts(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? 0 : DatumGetTimestampTz(d);
}

static void
load_open_sql(int64 complaint_id, DlSet *set, MemoryContext cxt)
{
	Datum		args[1];
	uint64		i;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (load_plan == NULL)
	{
		Oid			argtypes[1] = {INT8OID};
		SPIPlanPtr	plan;

		plan = SPI_prepare("SELECT id, kind, rule, occurrence, started_at, due_at, breached_at,"
						   " paused_at, paused_total, next_check_at"
						   " FROM complaint.deadline"
						   " WHERE complaint_id OPERATOR(pg_catalog.=) $1"
						   " AND met_at IS NULL AND cancelled_at IS NULL ORDER BY id",
						   1, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		load_plan = plan;
	}
	args[0] = Int64GetDatum(complaint_id);
	if (SPI_execute_plan(load_plan, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "pg_complaint: reading complaint.deadline failed");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		MemoryContext old = MemoryContextSwitchTo(cxt);
		Dl		   *d = dl_add(set);
		bool		isnull;

		d->id = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		d->kind = SPI_getvalue(tup, desc, 2);
		d->rule = SPI_getvalue(tup, desc, 3);
		d->occurrence = DatumGetInt32(SPI_getbinval(tup, desc, 4, &isnull));
		d->started_at = get_ts(tup, desc, 5);
		d->due_at = get_ts(tup, desc, 6);
		d->breached_at = get_ts(tup, desc, 7);
		d->paused_at = get_ts(tup, desc, 8);
		d->paused_total = *DatumGetIntervalP(SPI_getbinval(tup, desc, 9, &isnull));
		d->next_check_at = get_ts(tup, desc, 10);
		ItemPointerSetInvalid(&d->tid);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
}

static int
dl_cmp_id(const void *a, const void *b)
{
	int64		x = ((const Dl *) a)->id;
	int64		y = ((const Dl *) b)->id;

	return (x > y) - (x < y);
}

/*
 * load_open reads the open deadlines of a complaint, oldest first.  The
 * caller holds the complaint's row lock, so nobody else changes them.  They
 * are read straight from the index on complaint_id and the heap, with the
 * snapshot SPI would use; a table someone gave other indexes or triggers is
 * read through SQL.
 */
static void
load_open(int64 complaint_id, DlSet *set, MemoryContext cxt)
{
	Relation	rel;
	Relation	irel;
	TupleDesc	desc;
	ScanKeyData keys[3];
	int			nkeys = 0;
	int			i;
	SysScanDesc scan;
	Snapshot	snap;
	HeapTuple	tup;
	Datum	   *values;
	bool	   *nulls;

	rel = table_open(get_relname_relid("deadline", pgc_catalog()->namespace), RowExclusiveLock);
	pgc_direct_map(rel, &dl_table);
	if (!dl_table.direct_update || !OidIsValid(dl_table.key_index))
	{
		table_close(rel, NoLock);
		load_open_sql(complaint_id, set, cxt);
		return;
	}
	desc = RelationGetDescr(rel);
	values = palloc(sizeof(Datum) * desc->natts);
	nulls = palloc(sizeof(bool) * desc->natts);

	/*
	 * The index leads with complaint_id; when it goes on with cancelled_at
	 * and met_at (as the extension creates it), the scan goes straight to
	 * the open ones instead of reading every deadline the complaint had.
	 */
	irel = index_open(dl_table.key_index, AccessShareLock);
	ScanKeyInit(&keys[nkeys++], dl_attnum[DL_COMPLAINT_ID] + 1, BTEqualStrategyNumber, F_INT8EQ,
				Int64GetDatum(complaint_id));
	for (i = 1; i < irel->rd_index->indnkeyatts && nkeys < 3; i++)
	{
		AttrNumber	a = irel->rd_index->indkey.values[i];

		if (a != dl_attnum[DL_CANCELLED_AT] + 1 && a != dl_attnum[DL_MET_AT] + 1)
			break;
		ScanKeyEntryInitialize(&keys[nkeys++], SK_ISNULL | SK_SEARCHNULL, a,
							   InvalidStrategy, InvalidOid, InvalidOid, InvalidOid, (Datum) 0);
	}
	index_close(irel, AccessShareLock);
	CommandCounterIncrement();
	snap = RegisterSnapshot(GetTransactionSnapshot());
	scan = systable_beginscan(rel, dl_table.key_index, true, snap, nkeys, keys);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		MemoryContext old;
		Dl		   *d;

		heap_deform_tuple(tup, desc, values, nulls);
		if (!nulls[dl_attnum[DL_MET_AT]] || !nulls[dl_attnum[DL_CANCELLED_AT]])
			continue;
		old = MemoryContextSwitchTo(cxt);
		d = dl_add(set);
		d->id = DatumGetInt64(values[dl_attnum[DL_ID]]);
		d->tid = tup->t_self;
		d->kind = TextDatumGetCString(values[dl_attnum[DL_KIND]]);
		d->rule = TextDatumGetCString(values[dl_attnum[DL_RULE]]);
		d->occurrence = DatumGetInt32(values[dl_attnum[DL_OCCURRENCE]]);
		d->started_at = nulls[dl_attnum[DL_STARTED_AT]] ? 0 :
			DatumGetTimestampTz(values[dl_attnum[DL_STARTED_AT]]);
		d->due_at = nulls[dl_attnum[DL_DUE_AT]] ? 0 :
			DatumGetTimestampTz(values[dl_attnum[DL_DUE_AT]]);
		d->breached_at = nulls[dl_attnum[DL_BREACHED_AT]] ? 0 :
			DatumGetTimestampTz(values[dl_attnum[DL_BREACHED_AT]]);
		d->paused_at = nulls[dl_attnum[DL_PAUSED_AT]] ? 0 :
			DatumGetTimestampTz(values[dl_attnum[DL_PAUSED_AT]]);
		d->next_check_at = nulls[dl_attnum[DL_NEXT_CHECK_AT]] ? 0 :
			DatumGetTimestampTz(values[dl_attnum[DL_NEXT_CHECK_AT]]);
		d->paused_total = *DatumGetIntervalP(values[dl_attnum[DL_PAUSED_TOTAL]]);
		MemoryContextSwitchTo(old);
	}
	systable_endscan(scan);
	UnregisterSnapshot(snap);
	table_close(rel, NoLock);
	if (set->n > 1)
		qsort(set->dl, set->n, sizeof(Dl), dl_cmp_id);
}

/* ----------------------------------------------------------------
 * The BEFORE stage
 * ----------------------------------------------------------------
 */

/* add_breached appends a kind to the complaint's breached[] (once). */
static void
add_breached(PgcRow *row, const char *kind)
{
	ArrayType  *arr = DatumGetArrayTypeP(PGC_VAL(row, C_BREACHED));
	Datum	   *elems;
	bool	   *enulls;
	int			n,
				k;
	Datum	   *out;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &enulls, &n);
	for (k = 0; k < n; k++)
		if (!enulls[k] && strcmp(TextDatumGetCString(elems[k]), kind) == 0)
			return;
	out = palloc(sizeof(Datum) * (n + 1));
	memcpy(out, elems, sizeof(Datum) * n);
	out[n] = CStringGetTextDatum(kind);
	row->values[row->attnum[C_BREACHED]] =
		PointerGetDatum(construct_array(out, n + 1, TEXTOID, -1, false, TYPALIGN_INT));
	row->nulls[row->attnum[C_BREACHED]] = false;
}

/* resume restarts the clock of a paused deadline: what was left counts from now. */
static void
resume(PgcPolicy *pol, PgcSla *sl, Dl *d, TimestampTz now)
{
	PgcCalendar *cal = pgc_calendar_get_cstring(pol->calendar);

	if (d->due_at > d->paused_at)
	{
		if (sl != NULL && (sl->measure == PGC_M_WORKING || sl->measure == PGC_M_AFTER_OPENING))
		{
			int64		left = pgc_cal_between(cal, d->paused_at, d->due_at);

			d->due_at = pgc_cal_add(cal, now, left);
		}
		else
			d->due_at += now - d->paused_at;
	}
	add_interval(&d->paused_total, now - d->paused_at);
	d->paused_at = 0;
	d->resumed_now = true;
	d->next_check_at = d->breached_at ? now : d->due_at;
	d->dirty = true;
}

/* anchor_fires: does this change reach the anchor of a rule? */
static bool
anchor_fires(PgcSla *sl, PgcRow *oldrow, PgcRow *newrow, int from, int to, bool reassigned)
{
	switch (sl->anchor)
	{
		case PGC_ANCHOR_RECEIPT:
			return oldrow == NULL;
		case PGC_ANCHOR_STATUS:
			return to == sl->anchor_status &&
				(oldrow == NULL || from != to || (reassigned && sl->restart));
		case PGC_ANCHOR_LEVEL:
			return row_level_is(newrow, sl->anchor_level) &&
				(oldrow == NULL || !row_level_is(oldrow, sl->anchor_level));
	}
	return false;
}

static void
queue_pending(int64 id, TimestampTz at, DlSet *set, PgcTouch *touch)
{
	MemoryContext old;
	PendingDl  *p;
	int			i;

	if (pending_lxid != MyProc->lxid)
	{
		pending = NIL;			/* the old list went with its transaction */
		pending_lxid = MyProc->lxid;
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	p = palloc0(sizeof(PendingDl));
	p->complaint_id = id;
	p->at = at;
	p->set.n = 0;
	for (i = 0; i < set->n; i++)
	{
		Dl		   *src = &set->dl[i];
		Dl		   *d;

		if (!src->dirty)
			continue;
		d = dl_add(&p->set);
		*d = *src;
		d->kind = pstrdup(src->kind);
		d->rule = pstrdup(src->rule);
		d->cancel_reason = src->cancel_reason ? pstrdup(src->cancel_reason) : NULL;
	}
	if (touch != NULL)
	{
		p->touch = touch->kind;
		p->note = touch->reason ? pstrdup(touch->reason) : NULL;
		p->met_by_note = touch->done;
	}
	pending = lappend(pending, p);
	MemoryContextSwitchTo(old);
}

/*
 * pgc_deadlines_before is the deadline stage of the BEFORE trigger: it
 * applies the change (oldrow -> newrow; oldrow NULL for an INSERT) to the
 * complaint's deadlines and sets next_due_at (and, for a breach, breached).
 * now is the statement's time, or the sweep's as_of.  The caller runs it as
 * the table owner.
 */
void
pgc_deadlines_before(PgcPolicy *pol, PgcRow *oldrow, PgcRow *newrow,
					 TimestampTz now, bool reassigned)
{
	int64		id = DatumGetInt64(PGC_VAL(newrow, C_ID));
	PgcTouch   *touch = pgc_touch_for(id);
	int			from = oldrow ? row_status(oldrow) : -1;
	int			to = row_status(newrow);
	bool		status_changed = oldrow == NULL || from != to;
	bool		level_changed;
	bool		terminal = (to == PGC_ST_CLOSED || to == PGC_ST_REJECTED);
	DlSet		set;
	TimestampTz next_due = 0;
	int			nloaded;
	int			i,
				k;

	memset(&set, 0, sizeof(set));
	level_changed = oldrow == NULL ||
		PGC_ISNULL(oldrow, C_LEVEL) != PGC_ISNULL(newrow, C_LEVEL) ||
		(!PGC_ISNULL(newrow, C_LEVEL) &&
		 strcmp(TextDatumGetCString(PGC_VAL(oldrow, C_LEVEL)),
				TextDatumGetCString(PGC_VAL(newrow, C_LEVEL))) != 0);

	if (oldrow != NULL)
	{
		/* nothing that moves deadlines: keep what the rules last computed */
		if ((!status_changed && !level_changed && !reassigned && touch == NULL) ||
			(pol->nsla == 0 && touch == NULL && PGC_ISNULL(oldrow, C_NEXT_DUE_AT)))
		{
			newrow->values[newrow->attnum[C_NEXT_DUE_AT]] = PGC_VAL(oldrow, C_NEXT_DUE_AT);
			newrow->nulls[newrow->attnum[C_NEXT_DUE_AT]] = PGC_ISNULL(oldrow, C_NEXT_DUE_AT);
			return;
		}
		load_open(id, &set, CurrentMemoryContext);
	}
	else if (pol->nsla == 0)
	{
		newrow->nulls[newrow->attnum[C_NEXT_DUE_AT]] = true;
		return;
	}

	/* what happens to the open deadlines (not those this change opens) */
	nloaded = set.n;
	for (i = 0; i < nloaded; i++)
	{
		Dl		   *d = &set.dl[i];
		PgcSla	   *sl = sla_find(pol, d->rule);

		if (touch && touch->kind == PGC_TOUCH_BREACH && touch->deadline_id == d->id &&
			d->breached_at == 0 && d->paused_at == 0 && d->due_at <= now)
		{
			d->breached_at = d->due_at;
			d->newly_breached = true;
			d->dirty = true;
			add_breached(newrow, d->kind);
			touch->done++;
			if (sl && sl->has_repeat && !terminal)
			{
				cancel(d, now, "next occurrence");
				next_occurrence(&set, pol, sl, i, now);
				d = &set.dl[i];
			}
		}
		if (!is_open(d))
			continue;
		if (touch && touch->kind == PGC_TOUCH_NOTIFICATION && sl && sl->met_by_notification)
		{
			meet(d, now);
			touch->done++;
		}
		else if (status_changed && sl && (sl->met_by & STATUS_BIT(to)))
			meet(d, now);
		if (d->met_at != 0)
		{
			if (sl && sl->has_repeat && !terminal)
				next_occurrence(&set, pol, sl, i, now);
			continue;
		}
		if (status_changed && terminal)
		{
			cancel(d, now, to == PGC_ST_CLOSED ? "complaint closed" : "complaint rejected");
			continue;
		}
		if (status_changed && sl)
		{
			bool		pause_now = (sl->pause_in & STATUS_BIT(to)) != 0;

			if (pause_now && d->paused_at == 0)
			{
				d->paused_at = now;
				d->paused_now = true;
				d->next_check_at = 0;
				d->dirty = true;
			}
			else if (!pause_now && d->paused_at != 0)
				resume(pol, sl, d, now);
		}
	}

	/* anchors reached by this change: the first matching rule of each kind */
	for (k = 0; k < pol->nsla && !terminal;)
	{
		const char *kind = pol->sla[k].kind;
		int			end = k,
					j;

		while (end < pol->nsla && strcmp(pol->sla[end].kind, kind) == 0)
			end++;
		for (j = k; j < end; j++)
		{
			PgcSla	   *cand = &pol->sla[j];
			Dl		   *cur = NULL;

			if (!anchor_fires(cand, oldrow, newrow, from, to, reassigned))
				continue;
			if (cand->met_by & STATUS_BIT(to))
				continue;		/* already met by the state it starts in */
			if (!pgc_cond_holds(pol, newrow, cand->cond, now))
				continue;
			for (i = 0; i < set.n; i++)
				if (is_open(&set.dl[i]) && strcmp(set.dl[i].kind, kind) == 0)
					cur = &set.dl[i];
			/*
			 * Already running; a restarting rule restarts on re-entering its
			 * status, but not when the change only returns from a pausing
			 * status (pending_info -> assigned): then the paused clock
			 * resumes, as pause_in promises.
			 */
			if (cur != NULL && strcmp(cur->rule, cand->name) == 0 &&
				(!(cand->anchor == PGC_ANCHOR_STATUS && cand->restart) || cur->resumed_now))
				break;
			if (cur != NULL)
				cancel(cur, now, strcmp(cur->rule, cand->name) == 0 ? "restarted" :
					   psprintf("superseded by rule %s", cand->name));
			(void) open_deadline(&set, pol, cand,
								 cand->anchor == PGC_ANCHOR_RECEIPT ?
								 DatumGetTimestampTz(PGC_VAL(newrow, C_RECEIVED_AT)) : now, 1);
			break;
		}
		k = end;
	}

	for (i = 0; i < set.n; i++)
	{
		Dl		   *d = &set.dl[i];

		if (is_open(d) && d->paused_at == 0 && (next_due == 0 || d->due_at < next_due))
			next_due = d->due_at;
	}
	newrow->values[newrow->attnum[C_NEXT_DUE_AT]] = TimestampTzGetDatum(next_due);
	newrow->nulls[newrow->attnum[C_NEXT_DUE_AT]] = (next_due == 0);

	queue_pending(id, now, &set, touch);
}

/* ----------------------------------------------------------------
 * The AFTER stage: writing deadlines and their events
 * ----------------------------------------------------------------
 */
static SPIPlanPtr insert_plan = NULL;

static void
set_ts(Datum *values, bool *nulls, int col, TimestampTz t)
{
	values[dl_attnum[col]] = TimestampTzGetDatum(t);
	nulls[dl_attnum[col]] = (t == 0);
}

/* dl_values fills the columns of a deadline row. */
static void
dl_values(Dl *d, int64 complaint_id, Datum *values, bool *nulls)
{
	values[dl_attnum[DL_ID]] = Int64GetDatum(d->id);
	nulls[dl_attnum[DL_ID]] = false;
	values[dl_attnum[DL_COMPLAINT_ID]] = Int64GetDatum(complaint_id);
	nulls[dl_attnum[DL_COMPLAINT_ID]] = false;
	values[dl_attnum[DL_KIND]] = CStringGetTextDatum(d->kind);
	nulls[dl_attnum[DL_KIND]] = false;
	values[dl_attnum[DL_RULE]] = CStringGetTextDatum(d->rule);
	nulls[dl_attnum[DL_RULE]] = false;
	values[dl_attnum[DL_OCCURRENCE]] = Int32GetDatum(d->occurrence);
	nulls[dl_attnum[DL_OCCURRENCE]] = false;
	set_ts(values, nulls, DL_STARTED_AT, d->started_at);
	set_ts(values, nulls, DL_DUE_AT, d->due_at);
	set_ts(values, nulls, DL_MET_AT, d->met_at);
	set_ts(values, nulls, DL_BREACHED_AT, d->breached_at);
	set_ts(values, nulls, DL_CANCELLED_AT, d->cancelled_at);
	values[dl_attnum[DL_CANCEL_REASON]] = d->cancel_reason ? CStringGetTextDatum(d->cancel_reason) : (Datum) 0;
	nulls[dl_attnum[DL_CANCEL_REASON]] = d->cancel_reason == NULL;
	set_ts(values, nulls, DL_PAUSED_AT, d->paused_at);
	values[dl_attnum[DL_PAUSED_TOTAL]] = IntervalPGetDatum(&d->paused_total);
	nulls[dl_attnum[DL_PAUSED_TOTAL]] = false;
	set_ts(values, nulls, DL_NEXT_CHECK_AT, d->next_check_at);
}

/* dl_insert writes a new deadline row. */
static void
dl_insert(Relation rel, Dl *d, int64 complaint_id)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Datum	   *values = palloc0(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);

	memset(nulls, true, sizeof(bool) * desc->natts);
	d->id = nextval_internal(dl_table.seq, false);
	dl_values(d, complaint_id, values, nulls);
	if (dl_table.direct)
	{
		HeapTuple	tuple = heap_form_tuple(desc, values, nulls);

		pgc_direct_insert(rel, tuple);
		heap_freetuple(tuple);
		return;
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (insert_plan == NULL)
	{
		Oid			argtypes[DL_NCOLS];
		SPIPlanPtr	plan;
		int			c;

		for (c = 0; c < DL_NCOLS; c++)
			argtypes[c] = TupleDescAttr(desc, dl_attnum[c])->atttypid;
		plan = SPI_prepare("INSERT INTO complaint.deadline (id, complaint_id, kind, rule, occurrence,"
						   " started_at, due_at, met_at, breached_at, cancelled_at, cancel_reason,"
						   " paused_at, paused_total, next_check_at) OVERRIDING SYSTEM VALUE"
						   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
						   DL_NCOLS, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		insert_plan = plan;
	}
	{
		Datum		args[DL_NCOLS];
		char		argnulls[DL_NCOLS];
		int			c;

		for (c = 0; c < DL_NCOLS; c++)
		{
			args[c] = values[dl_attnum[c]];
			argnulls[c] = nulls[dl_attnum[c]] ? 'n' : ' ';
		}
		if (SPI_execute_plan(insert_plan, args, argnulls, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "pg_complaint: writing complaint.deadline failed");
	}
	SPI_finish();
}

/*
 * dl_update writes the changed state of a loaded deadline: straight into the
 * heap (and the indexes, unless the update is HOT) when it was read that
 * way, else through SQL.
 */
static void
dl_update(Relation rel, Dl *d, int64 complaint_id)
{
	Datum		args[10];
	char		argnulls[10];

	if (ItemPointerIsValid(&d->tid) && dl_table.direct_update)
	{
		TupleDesc	desc = RelationGetDescr(rel);
		Datum	   *values = palloc0(sizeof(Datum) * desc->natts);
		bool	   *nulls = palloc(sizeof(bool) * desc->natts);
		HeapTuple	tuple;

		memset(nulls, true, sizeof(bool) * desc->natts);
		dl_values(d, complaint_id, values, nulls);
		tuple = heap_form_tuple(desc, values, nulls);
		pgc_direct_update(rel, &d->tid, tuple);
		heap_freetuple(tuple);
		return;
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (update_plan == NULL)
	{
		Oid			argtypes[10] = {INT8OID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID,
		TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TIMESTAMPTZOID, INTERVALOID, TIMESTAMPTZOID};
		SPIPlanPtr	plan;

		plan = SPI_prepare("UPDATE complaint.deadline SET rule = $2, due_at = $3, met_at = $4,"
						   " breached_at = $5, cancelled_at = $6, cancel_reason = $7, paused_at = $8,"
						   " paused_total = $9, next_check_at = $10"
						   " WHERE id OPERATOR(pg_catalog.=) $1", 10, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		update_plan = plan;
	}
	memset(argnulls, ' ', sizeof(argnulls));
	args[0] = Int64GetDatum(d->id);
	args[1] = CStringGetTextDatum(d->rule);
	args[2] = TimestampTzGetDatum(d->due_at);
#define TSARG(i, t) (args[i] = TimestampTzGetDatum(t), argnulls[i] = (t) ? ' ' : 'n')
	TSARG(3, d->met_at);
	TSARG(4, d->breached_at);
	TSARG(5, d->cancelled_at);
	args[6] = d->cancel_reason ? CStringGetTextDatum(d->cancel_reason) : (Datum) 0;
	argnulls[6] = d->cancel_reason ? ' ' : 'n';
	TSARG(7, d->paused_at);
	args[8] = IntervalPGetDatum(&d->paused_total);
	TSARG(9, d->next_check_at);
#undef TSARG
	if (SPI_execute_plan(update_plan, args, argnulls, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "pg_complaint: updating complaint.deadline failed");
	SPI_finish();
}

static void
dl_event(int64 complaint_id, TimestampTz at, const char *actor, const char *kind, Dl *d)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	pgc_json_add_text(&buf, "deadline", d->kind);
	pgc_json_add_text(&buf, "rule", d->rule);
	pgc_json_add_raw(&buf, "occurrence", psprintf("%d", d->occurrence));
	pgc_json_add_raw(&buf, "due_at", pgc_json_timestamptz(d->due_at));
	if (strcmp(kind, "deadline_met") == 0)
		pgc_json_add_raw(&buf, "late", d->late ? "true" : "false");
	appendStringInfoChar(&buf, '}');
	pgc_event_write(complaint_id, at, actor, kind, buf.data, false);
}

/*
 * pgc_deadlines_after writes what the BEFORE stage decided for this row.
 * The caller runs it as the table owner.
 */
void
pgc_deadlines_after(int64 complaint_id, TimestampTz now, const char *actor)
{
	ListCell   *lc;
	PendingDl  *p = NULL;
	Relation	rel;
	int			i;

	if (pending_lxid != MyProc->lxid || pending == NIL)
		return;
	foreach(lc, pending)
	{
		PendingDl  *x = lfirst(lc);

		if (x->complaint_id == complaint_id)
			p = x;				/* the latest one counts */
	}
	if (p == NULL)
		return;
	pending = list_delete_ptr(pending, p);
	(void) now;

	rel = table_open(get_relname_relid("deadline", pgc_catalog()->namespace), RowExclusiveLock);
	pgc_direct_map(rel, &dl_table);
	for (i = 0; i < p->set.n; i++)
	{
		Dl		   *d = &p->set.dl[i];

		if (d->id == 0)
			dl_insert(rel, d, complaint_id);
		else
			dl_update(rel, d, complaint_id);
		if (d->newly_breached)
			dl_event(complaint_id, p->at, actor, "deadline_breached", d);
		if (d->met_at != 0)
			dl_event(complaint_id, p->at, actor, "deadline_met", d);
		if (d->paused_now)
			dl_event(complaint_id, p->at, actor, "deadline_paused", d);
		if (d->resumed_now)
			dl_event(complaint_id, p->at, actor, "deadline_resumed", d);
	}
	table_close(rel, NoLock);
	if (p->touch == PGC_TOUCH_NOTIFICATION)
	{
		StringInfoData buf;

		initStringInfo(&buf);
		appendStringInfoChar(&buf, '{');
		pgc_json_add_text(&buf, "note", p->note);
		pgc_json_add_raw(&buf, "deadlines_met", psprintf("%d", p->met_by_note));
		appendStringInfoChar(&buf, '}');
		pgc_event_write(complaint_id, p->at, actor, "notification", buf.data, false);
	}
}

/* pgc_deadlines_delete removes the deadlines of a deleted complaint (as the owner). */
void
pgc_deadlines_delete(int64 complaint_id)
{
	static SPIPlanPtr plan = NULL;
	Datum		args[1];

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (plan == NULL)
	{
		Oid			argtypes[1] = {INT8OID};
		SPIPlanPtr	p = SPI_prepare("DELETE FROM complaint.deadline WHERE complaint_id OPERATOR(pg_catalog.=) $1",
									1, argtypes);

		if (p == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(p);
		plan = p;
	}
	args[0] = Int64GetDatum(complaint_id);
	if (SPI_execute_plan(plan, args, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "pg_complaint: deleting from complaint.deadline failed");
	SPI_finish();
}

/* ----------------------------------------------------------------
 * The outbox
 * ----------------------------------------------------------------
 */
static SPIPlanPtr outbox_plan = NULL;

/*
 * pgc_outbox_write appends a message to complaint.outbox and announces it
 * with NOTIFY complaint (delivered at commit).  Run as the table owner.
 */
void
pgc_outbox_write(TimestampTz at, const char *topic, int64 complaint_id, const char *payload_json)
{
	Datum		args[4];
	bool		isnull;
	int64		id;
	StringInfoData note;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (outbox_plan == NULL)
	{
		Oid			argtypes[4] = {TIMESTAMPTZOID, TEXTOID, INT8OID, TEXTOID};
		SPIPlanPtr	plan;

		plan = SPI_prepare("INSERT INTO complaint.outbox (at, topic, complaint_id, payload)"
						   " VALUES ($1, $2, $3, $4::pg_catalog.jsonb) RETURNING id", 4, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		outbox_plan = plan;
	}
	args[0] = TimestampTzGetDatum(at);
	args[1] = CStringGetTextDatum(topic);
	args[2] = Int64GetDatum(complaint_id);
	args[3] = CStringGetTextDatum(payload_json);
	if (SPI_execute_plan(outbox_plan, args, complaint_id > 0 ? NULL : "  n ", false, 1) !=
		SPI_OK_INSERT_RETURNING)
		elog(ERROR, "pg_complaint: writing complaint.outbox failed");
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();

	initStringInfo(&note);
	appendStringInfo(&note, "{\"id\": " INT64_FORMAT ", \"topic\": ", id);
	escape_json(&note, topic);
	if (complaint_id > 0)
		appendStringInfo(&note, ", \"complaint_id\": " INT64_FORMAT "}", complaint_id);
	else
		appendStringInfoString(&note, ", \"complaint_id\": null}");
	Async_Notify("complaint", note.data);
}

PG_FUNCTION_INFO_V1(pgc_outbox_write_sql);

/* pgc_outbox_write_sql is complaint._outbox(at, topic, complaint_id, payload). */
Datum
pgc_outbox_write_sql(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("an outbox message needs a time, a topic and a payload")));
	pgc_outbox_write(PG_GETARG_TIMESTAMPTZ(0), text_to_cstring(PG_GETARG_TEXT_PP(1)),
					 PG_ARGISNULL(2) ? 0 : PG_GETARG_INT64(2),
					 text_to_cstring(PG_GETARG_TEXT_PP(3)));
	PG_RETURN_VOID();
}

/* ----------------------------------------------------------------
 * Requests of the sweep and of complaint.record_notification()
 * ----------------------------------------------------------------
 */

/* touch runs UPDATE complaint.complaint for one complaint with a request. */
static int
touch_complaint(PgcTouch *t)
{
	static SPIPlanPtr plan = NULL;
	Datum		args[1];
	PgcTouch   *save = pgc_touch;
	uint64		n = 0;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (plan == NULL)
	{
		Oid			argtypes[1] = {INT8OID};
		SPIPlanPtr	p;

		p = SPI_prepare("UPDATE complaint.complaint SET updated_at = updated_at"
						" WHERE id OPERATOR(pg_catalog.=) $1", 1, argtypes);
		if (p == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(p);
		plan = p;
	}
	args[0] = Int64GetDatum(t->complaint_id);
	PG_TRY();
	{
		pgc_touch = t;
		if (SPI_execute_plan(plan, args, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "pg_complaint: updating complaint.complaint failed");
		n = SPI_processed;
	}
	PG_FINALLY();
	{
		pgc_touch = save;
	}
	PG_END_TRY();
	SPI_finish();
	return (int) n;
}

PG_FUNCTION_INFO_V1(pgc_record_notification);

/*
 * pgc_record_notification is complaint.record_notification(id, note): the
 * notification duty of the complaint is done (property: hot and major
 * complaints).  Meets its open deadlines that a notification meets and
 * records the note in the history; returns how many deadlines it met.
 * Runs as the caller: row-level security decides whose complaints.
 */
Datum
pgc_record_notification(PG_FUNCTION_ARGS)
{
	PgcTouch	t;
	text	   *note;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("complaint.record_notification() needs a complaint id")));
	if (PG_ARGISNULL(1) || VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(1)) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a notification needs a note"),
				 errhint("Say whom you notified and how, e.g. 'group office informed by phone'.")));
	note = PG_GETARG_TEXT_PP(1);
	if (VARSIZE_ANY_EXHDR(note) > 2000)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("the note of a notification is too long (%d bytes)", (int) VARSIZE_ANY_EXHDR(note)),
				 errdetail("The limit is 2000 bytes.")));
	memset(&t, 0, sizeof(t));
	t.kind = PGC_TOUCH_NOTIFICATION;
	t.complaint_id = PG_GETARG_INT64(0);
	t.as_of = GetCurrentStatementStartTimestamp();
	t.reason = text_to_cstring(note);
	if (touch_complaint(&t) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("complaint " INT64_FORMAT " does not exist", t.complaint_id),
				 errhint("Or it belongs to a unit you do not handle.")));
	PG_RETURN_INT32(t.done);
}

PG_FUNCTION_INFO_V1(pgc_touch_sql);

/*
 * pgc_touch_sql is complaint._touch(id, as_of, what, deadline_id, level,
 * reason), the sweep's per-complaint step: 'breach' a deadline,
 * 'reclassify' as of a time, or 'raise' the level.  Returns what the
 * trigger did (1 when the deadline was breached, the level changed).
 */
Datum
pgc_touch_sql(PG_FUNCTION_ARGS)
{
	PgcTouch	t;
	char	   *what;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("complaint._touch() needs a complaint, a time and a request")));
	memset(&t, 0, sizeof(t));
	t.complaint_id = PG_GETARG_INT64(0);
	t.as_of = PG_GETARG_TIMESTAMPTZ(1);
	what = text_to_cstring(PG_GETARG_TEXT_PP(2));
	if (strcmp(what, "breach") == 0)
	{
		t.kind = PGC_TOUCH_BREACH;
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("complaint._touch(..., 'breach') needs a deadline id")));
		t.deadline_id = PG_GETARG_INT64(3);
	}
	else if (strcmp(what, "reclassify") == 0)
		t.kind = PGC_TOUCH_RECLASSIFY;
	else if (strcmp(what, "raise") == 0)
	{
		t.kind = PGC_TOUCH_RAISE;
		if (PG_ARGISNULL(4) || PG_ARGISNULL(5))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("complaint._touch(..., 'raise') needs a level and a reason")));
		t.level = text_to_cstring(PG_GETARG_TEXT_PP(4));
		t.reason = text_to_cstring(PG_GETARG_TEXT_PP(5));
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown request \"%s\"", what),
				 errhint("Requests: breach, reclassify, raise.")));
	(void) touch_complaint(&t);
	PG_RETURN_INT32(t.done);
}

/* ----------------------------------------------------------------
 * complaint._sla_rule_check(): validation of SLA rules when written
 * ----------------------------------------------------------------
 */

static void
sla_error(const char *name, const char *policy, const char *hint, const char *fmt,...)
pg_attribute_printf(4, 5);

static void
sla_error(const char *name, const char *policy, const char *hint, const char *fmt,...)
{
	va_list		ap;
	StringInfoData buf;

	initStringInfo(&buf);
	for (;;)
	{
		int			needed;

		va_start(ap, fmt);
		needed = appendStringInfoVA(&buf, fmt, ap);
		va_end(ap);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("SLA rule \"%s\" of policy \"%s\": %s", name, policy, buf.data),
			 hint ? errhint("%s", hint) : 0));
}

/* status_set reads a complaint.status[] column into a bit set. */
static uint32
status_set(HeapTuple tuple, TupleDesc desc, const char *col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, SPI_fnumber(desc, col), &isnull);
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *enulls;
	int			n,
				k;
	uint32		bits = 0;

	if (isnull)
		return 0;
	arr = DatumGetArrayTypeP(d);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), 4, true, TYPALIGN_INT, &elems, &enulls, &n);
	for (k = 0; k < n; k++)
		if (!enulls[k])
			bits |= STATUS_BIT(pgc_status_from_oid(DatumGetObjectId(elems[k])));
	return bits;
}

static char *
status_names(uint32 bits)
{
	StringInfoData buf;
	int			s;

	initStringInfo(&buf);
	for (s = 0; s < PGC_NSTATUS; s++)
		if (bits & STATUS_BIT(s))
			appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", pgc_status_names[s]);
	return buf.data;
}

static Interval *
get_interval(HeapTuple tuple, TupleDesc desc, const char *col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, SPI_fnumber(desc, col), &isnull);

	return isnull ? NULL : DatumGetIntervalP(d);
}

static bool
interval_negative(const Interval *iv)
{
	return iv->month < 0 || iv->day < 0 || iv->time < 0;
}

PG_FUNCTION_INFO_V1(pgc_sla_rule_check);

/*
 * pgc_sla_rule_check is the BEFORE INSERT OR UPDATE row trigger of
 * complaint.sla_rule: every column must make sense with the others, and the
 * condition must compile against the policy as it is now.
 */
Datum
pgc_sla_rule_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		isnull;
	char	   *policy,
			   *name,
			   *kind,
			   *anchor,
			   *anchor_value,
			   *measure;
	Interval   *amount,
			   *repeat;
	Datum		d;
	uint32		met_by,
				pause_in;
	bool		by_note;
	PgcPolicy  *pol;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("complaint._sla_rule_check() must be fired BEFORE ... FOR EACH ROW")));
	(void) pgc_catalog();
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	desc = RelationGetDescr(trigdata->tg_relation);

	pgc_rule_identity(tuple, desc, true, &name, &policy);
	pol = pgc_policy_scope(policy);

	/* kind */
	kind = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "kind"));
	if (kind == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("SLA rule \"%s\" of policy \"%s\" needs a deadline kind", name, policy)));
	{
		Datum		args[1];
		char	   *kinds;
		PgcUserSwitch sw;
		int			found;

		args[0] = CStringGetTextDatum(kind);
		pgc_switch_to_owner(pgc_config_owner(), &sw);
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		pgc_config_query("SELECT (SELECT count(*) FROM complaint.deadline_kind"
						 "          WHERE code OPERATOR(pg_catalog.=) $1)::pg_catalog.int4,"
						 " (SELECT pg_catalog.string_agg(code, ', ' ORDER BY code) FROM complaint.deadline_kind)",
						 args, pgc_config_snapshot());
		found = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		kinds = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		kinds = kinds ? pstrdup(kinds) : "(none)";
		SPI_finish();
		pgc_switch_back(&sw);
		if (found == 0)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("SLA rule \"%s\" of policy \"%s\" has an unknown deadline kind \"%s\"", name, policy, kind),
					 errdetail("Kinds: %s.", kinds),
					 errhint("Add the kind to complaint.deadline_kind first.")));
	}

	/* anchor */
	anchor = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "anchor"));
	anchor_value = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "anchor_value"));
	if (anchor == NULL || (strcmp(anchor, "receipt") != 0 && strcmp(anchor, "status") != 0 &&
						   strcmp(anchor, "level") != 0))
		sla_error(name, policy, "An SLA rule counts from receipt, from entering a status (anchor 'status', anchor_value the status) or from becoming a level (anchor 'level').",
				  "unknown anchor \"%s\"", anchor ? anchor : "NULL");
	if (strcmp(anchor, "receipt") == 0 && anchor_value != NULL)
		sla_error(name, policy, "Leave anchor_value NULL, or set anchor to 'status' or 'level'.",
				  "a rule counting from receipt has no anchor_value");
	if (strcmp(anchor, "status") == 0)
	{
		int			s;

		for (s = 0; anchor_value && s < PGC_NSTATUS; s++)
			if (strcmp(anchor_value, pgc_status_names[s]) == 0)
				break;
		if (anchor_value == NULL || s == PGC_NSTATUS)
			sla_error(name, policy, "Statuses: new, acknowledged, assigned, investigating, pending_info, proposed, escalated, external_review, accepted, follow_up, closed, rejected.",
					  "unknown status \"%s\" as anchor", anchor_value ? anchor_value : "NULL");
	}
	if (strcmp(anchor, "level") == 0 &&
		(anchor_value == NULL || pgc_level_index(pol, anchor_value, strlen(anchor_value)) < 0))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("SLA rule \"%s\" of policy \"%s\" counts from an unknown level \"%s\"", name, policy,
						anchor_value ? anchor_value : "NULL"),
				 errdetail("Levels of policy \"%s\": %s.", policy, pgc_policy_level_list(pol))));

	/* measure */
	measure = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "measure"));
	amount = get_interval(tuple, desc, "amount");
	d = SPI_getbinval(tuple, desc, SPI_fnumber(desc, "days"), &isnull);
	if (measure == NULL)
		sla_error(name, policy, "Measures: working_time, calendar_time, workdays, end_of_day, after_opening.",
				  "a rule needs a measure");
	if (strcmp(measure, "working_time") == 0 || strcmp(measure, "after_opening") == 0)
	{
		bool		working = measure[0] == 'w';

		if (amount == NULL)
			sla_error(name, policy, "Set amount, e.g. '30 minutes'.", "measure %s needs an amount", measure);
		if (amount->month != 0 || amount->day != 0 || amount->time < 0 ||
			(working && amount->time == 0))
			sla_error(name, policy,
					  working ? "Working time is hours and minutes, e.g. '4 hours'; for whole working days use measure 'workdays'." :
					  "Give hours and minutes after the opening, e.g. '1 hour'.",
					  "amount %s is not a %s duration of hours and minutes",
					  DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(amount))),
					  working ? "positive" : "non-negative");
		if (amount->time > MAX_WORKING_USECS)
			sla_error(name, policy, NULL, "amount is absurdly large (the limit is 10000 hours)");
		if (!isnull)
			sla_error(name, policy, "Leave days NULL.", "measure %s takes no days", measure);
	}
	else if (strcmp(measure, "calendar_time") == 0)
	{
		if (amount == NULL)
			sla_error(name, policy, "Set amount, e.g. '24 hours' or '13 days'.", "measure calendar_time needs an amount");
		if (interval_negative(amount))
			sla_error(name, policy, NULL, "amount %s is negative",
					  DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(amount))));
		if (amount->month > 120 || amount->day > 3660 || amount->time > 3660 * USECS_PER_DAY)
			sla_error(name, policy, NULL, "amount is absurdly large (the limit is 10 years)");
		if (!isnull)
			sla_error(name, policy, "Leave days NULL.", "measure calendar_time takes no days");
	}
	else if (strcmp(measure, "workdays") == 0)
	{
		if (isnull)
			sla_error(name, policy, "Set days, e.g. 3 for workdays_add(t, 3).", "measure workdays needs days");
		if (DatumGetInt32(d) < 0 || DatumGetInt32(d) > 3660)
			sla_error(name, policy, NULL, "days %d is out of range (0 to 3660)", DatumGetInt32(d));
		if (amount != NULL)
			sla_error(name, policy, "Leave amount NULL.", "measure workdays takes no amount");
	}
	else if (strcmp(measure, "end_of_day") == 0)
	{
		if (amount != NULL || !isnull)
			sla_error(name, policy, "Leave amount and days NULL.", "measure end_of_day takes no amount and no days");
	}
	else
		sla_error(name, policy, "Measures: working_time, calendar_time, workdays, end_of_day, after_opening.",
				  "unknown measure \"%s\"", measure);

	/* meeting, pausing, repeating */
	met_by = status_set(tuple, desc, "met_by");
	pause_in = status_set(tuple, desc, "pause_in");
	by_note = DatumGetBool(SPI_getbinval(tuple, desc, SPI_fnumber(desc, "met_by_notification"), &isnull));
	if (met_by == 0 && !by_note)
		sla_error(name, policy, "List the statuses that meet it in met_by, or set met_by_notification.",
				  "nothing meets the deadline");
	if (met_by & pause_in)
		sla_error(name, policy, "A status either meets the deadline or pauses it.",
				  "status %s both meets and pauses the deadline", status_names(met_by & pause_in));
	if (pause_in & (STATUS_BIT(PGC_ST_CLOSED) | STATUS_BIT(PGC_ST_REJECTED)))
		sla_error(name, policy, "Closing or rejecting a complaint ends its deadlines.",
				  "a deadline cannot pause in status %s",
				  status_names(pause_in & (STATUS_BIT(PGC_ST_CLOSED) | STATUS_BIT(PGC_ST_REJECTED))));
	repeat = get_interval(tuple, desc, "repeat_every");
	if (repeat != NULL &&
		(interval_negative(repeat) ||
		 (repeat->month == 0 && repeat->day == 0 && repeat->time < USECS_PER_MINUTE)))
		sla_error(name, policy, "Repeat at most once a minute, e.g. '7 days'.",
				  "repeat_every %s is not a positive interval of at least 1 minute",
				  DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(repeat))));

	/* condition */
	d = SPI_getbinval(tuple, desc, SPI_fnumber(desc, "condition"), &isnull);
	if (!isnull)
	{
		PgcRuleScope scope;
		bool		similar = false;

		scope.policy = pol->code;
		scope.nfacts = pol->nfacts;
		scope.facts = pol->facts;
		scope.ncategories = pol->ncategories;
		scope.categories = pol->categories;
		(void) pgc_rule_compile(DatumGetJsonbP(d), &scope, name, NULL, NULL, &similar);
		if (similar)
			sla_error(name, policy, "Classify with a level rule, and anchor the SLA rule on the level.",
					  "an SLA condition cannot count similar complaints");
	}
	PG_RETURN_POINTER(tuple);
}
