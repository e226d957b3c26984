/*-------------------------------------------------------------------------
 *
 * refs.c
 *	  Reference numbers <ref_prefix>-<YYYYMM>-<serial> (CONTRACT section 2).
 *
 * YYYYMM is the month of received_at in the zone of the policy's calendar.
 * For a gap-free policy (the default) the serial comes from the row of
 * complaint.ref_counter of (prefix, month), updated and thereby locked until
 * the end of the transaction: a concurrent insert of the same prefix and
 * month waits, and a rollback (or a failed insert) returns the number, so
 * the serials of committed complaints have no gaps.  This is the last stage
 * of the BEFORE pipeline so that the lock is held as briefly as possible.
 * A policy with ref_gapless = false takes its serial from a sequence: never
 * blocking, unique, increasing, with gaps.  Serials past 99999 widen.
 *
 * The counter row of a month usually exists: it is found through the
 * primary key and updated in place (heap_update, which waits for a
 * concurrent holder of the row and reports a newer version to follow),
 * without SQL.  The first serial of a month, a counter row that is being
 * inserted or was deleted concurrently, and a counter table changed so that
 * the direct path no longer fits it (triggers, unusual indexes) take the SQL
 * upsert, which resolves races on insert without surfacing a unique
 * violation.
 *
 * IDENTIFICATION
 *	  extension/src/refs.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/indexing.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "nodes/execnodes.h"
#include "pg_complaint.h"
#include "storage/bufmgr.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

static SPIPlanPtr counter_plan = NULL;

/* counter_sql returns the next gap-free serial of (prefix, month) by an upsert. */
static int64
counter_sql(const char *prefix, int32 month)
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

/* what the direct path knows of complaint.ref_counter, per relcache epoch */
static Oid	counter_relid = InvalidOid;
static uint64 counter_epoch = 0;
static bool counter_direct = false;
static Oid	counter_pkey = InvalidOid;
static int	counter_serial_att;		/* 0-based index of last_serial */

/*
 * counter_open opens complaint.ref_counter and, once per relcache epoch,
 * finds its columns and its primary key and decides whether the direct path
 * fits it: a heap table with plain-column indexes only, none on the serial,
 * and no trigger on UPDATE (the SQL path honours anything else).
 */
static Relation
counter_open(void)
{
	Relation	rel;
	TupleDesc	desc;
	List	   *indexes;
	ListCell   *lc;
	int			prefix_att = -1,
				month_att = -1,
				i;

	if (counter_epoch != pgc_relcache_epoch || !OidIsValid(counter_relid))
	{
		counter_relid = get_relname_relid("ref_counter", pgc_catalog()->namespace);
		if (!OidIsValid(counter_relid))
			elog(ERROR, "pg_complaint: table complaint.ref_counter is missing; reinstall the extension");
		counter_epoch = 0;
	}
	rel = table_open(counter_relid, RowExclusiveLock);
	if (counter_epoch == pgc_relcache_epoch)
		return rel;

	desc = RelationGetDescr(rel);
	counter_direct = rel->rd_rel->relkind == RELKIND_RELATION &&
		rel->rd_rel->relam == HEAP_TABLE_AM_OID &&
		!(rel->trigdesc && (rel->trigdesc->trig_update_before_row ||
							rel->trigdesc->trig_update_after_row ||
							rel->trigdesc->trig_update_instead_row ||
							rel->trigdesc->trig_update_before_statement ||
							rel->trigdesc->trig_update_after_statement));
	counter_serial_att = -1;
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		if (strcmp(NameStr(att->attname), "prefix") == 0 && att->atttypid == TEXTOID)
			prefix_att = i;
		else if (strcmp(NameStr(att->attname), "month") == 0 && att->atttypid == INT4OID)
			month_att = i;
		else if (strcmp(NameStr(att->attname), "last_serial") == 0 && att->atttypid == INT4OID)
			counter_serial_att = i;
	}
	if (prefix_att < 0 || month_att < 0 || counter_serial_att < 0)
		counter_direct = false;

	counter_pkey = InvalidOid;
	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Relation	irel = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index ind = irel->rd_index;

		if (RelationGetIndexExpressions(irel) != NIL ||
			RelationGetIndexPredicate(irel) != NIL ||
			!ind->indimmediate || ind->indisexclusion)
			counter_direct = false;
		else if (ind->indisunique && ind->indisvalid && ind->indnkeyatts == 2 &&
				 irel->rd_rel->relam == BTREE_AM_OID &&
				 ind->indkey.values[0] == prefix_att + 1 &&
				 ind->indkey.values[1] == month_att + 1)
			counter_pkey = RelationGetRelid(irel);
		for (i = 0; i < ind->indnatts; i++)
			if (ind->indkey.values[i] == counter_serial_att + 1)
				counter_direct = false; /* an index on the serial: take SQL */
		index_close(irel, AccessShareLock);
	}
	list_free(indexes);
	if (!OidIsValid(counter_pkey))
		counter_direct = false;
	counter_epoch = pgc_relcache_epoch;
	return rel;
}

/* counter_find returns the TID of the counter row of (prefix, month), if any. */
static bool
counter_find(Relation rel, const char *prefix, int32 month, ItemPointer tid)
{
	Relation	irel = index_open(counter_pkey, AccessShareLock);
	SnapshotData dirty;
	ScanKeyData keys[2];
	IndexScanDesc scan;
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	bool		found;

	/* a dirty snapshot: the latest version, committed or not */
	InitDirtySnapshot(dirty);
	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(prefix));
	keys[0].sk_collation = irel->rd_indcollation[0];
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_INT4EQ, Int32GetDatum(month));
	scan = index_beginscan(rel, irel, &dirty, 2, 0);
	index_rescan(scan, keys, 2, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, slot);
	if (found)
		*tid = slot->tts_tid;
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(irel, AccessShareLock);
	return found;
}

/* counter_index_insert adds the index entries of a counter version that is not heap-only. */
static void
counter_index_insert(Relation rel, HeapTuple tuple)
{
	CatalogIndexState indstate = CatalogOpenIndexes(rel);
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsHeapTuple);
	int			i;

	ExecStoreHeapTuple(tuple, slot, false);
	for (i = 0; i < indstate->ri_NumIndices; i++)
	{
		Relation	irel = indstate->ri_IndexRelationDescs[i];
		IndexInfo  *info = indstate->ri_IndexRelationInfo[i];
		Datum		values[INDEX_MAX_KEYS];
		bool		isnull[INDEX_MAX_KEYS];

		if (!info->ii_ReadyForInserts)
			continue;
		FormIndexDatum(info, slot, NULL, values, isnull);
		/* the serial is in no index (counter_open), so every key is unchanged */
		index_insert(irel, values, isnull, &tuple->t_self, rel,
					 irel->rd_index->indisunique ? UNIQUE_CHECK_YES : UNIQUE_CHECK_NO,
					 true, info);
	}
	ExecDropSingleTupleTableSlot(slot);
	CatalogCloseIndexes(indstate);
}

static void
serialization_failure(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("could not serialize access due to concurrent update")));
}

/*
 * counter_update takes the next serial from an existing counter row, the
 * way the upsert's DO UPDATE would: the latest version of the row is updated
 * (waiting for a transaction that holds it, following its update), and under
 * REPEATABLE READ or SERIALIZABLE a version this transaction cannot see is a
 * serialization failure.  Returns false when there is no row to update
 * (the caller takes the SQL path).
 */
static bool
counter_update(Relation rel, ItemPointer start, int64 *serial)
{
	TupleDesc	desc = RelationGetDescr(rel);
	ItemPointerData tid = *start;
	CommandId	cid;

	/* like SPI before a write: this statement's earlier writes are visible */
	CommandCounterIncrement();
	cid = GetCurrentCommandId(true);
	for (;;)
	{
		SnapshotData dirty;
		HeapTupleData oldtup;
		HeapTuple	newtup;
		Buffer		buf;
		Datum	   *values = palloc(sizeof(Datum) * desc->natts);
		bool	   *nulls = palloc(sizeof(bool) * desc->natts);
		int32		last;
		TM_Result	res;
		TM_FailureData tmfd;
		LockTupleMode lockmode;

		InitDirtySnapshot(dirty);
		oldtup.t_self = tid;
		if (!heap_fetch(rel, &dirty, &oldtup, &buf, false))
			return false;		/* deleted meanwhile */
		if (TransactionIdIsValid(dirty.xmin))
		{
			/* being inserted by another transaction: the upsert waits for it */
			ReleaseBuffer(buf);
			return false;
		}
		if (IsolationUsesXactSnapshot() &&
			!TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetXmin(oldtup.t_data)))
		{
			bool		visible;

			LockBuffer(buf, BUFFER_LOCK_SHARE);
			visible = HeapTupleSatisfiesVisibility(&oldtup, GetTransactionSnapshot(), buf);
			LockBuffer(buf, BUFFER_LOCK_UNLOCK);
			if (!visible)
			{
				ReleaseBuffer(buf);
				serialization_failure();
			}
		}
		heap_deform_tuple(&oldtup, desc, values, nulls);
		ReleaseBuffer(buf);
		if (nulls[counter_serial_att])
			return false;		/* cannot be (NOT NULL); let SQL say so */
		last = DatumGetInt32(values[counter_serial_att]);
		if (last == PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("integer out of range")));
		values[counter_serial_att] = Int32GetDatum(last + 1);
		newtup = heap_form_tuple(desc, values, nulls);

		res = heap_update(rel, &tid, newtup, cid, InvalidSnapshot, true, &tmfd, &lockmode);
		switch (res)
		{
			case TM_Ok:
				if (!HeapTupleIsHeapOnly(newtup))
					counter_index_insert(rel, newtup);
				*serial = last + 1;
				return true;
			case TM_Updated:
				/* a concurrent insert took a serial and committed */
				if (IsolationUsesXactSnapshot())
					serialization_failure();
				if (ItemPointerEquals(&tmfd.ctid, &tid))
					return false;
				tid = tmfd.ctid;	/* follow it to the newer version */
				break;
			case TM_Deleted:
				return false;
			default:
				elog(ERROR, "pg_complaint: unexpected result %d updating complaint.ref_counter", (int) res);
		}
		heap_freetuple(newtup);
	}
}

/* counter_next returns the next gap-free serial of (prefix, month). */
static int64
counter_next(const char *prefix, int32 month)
{
	Relation	rel = counter_open();
	ItemPointerData tid;
	int64		serial;
	bool		done = false;

	if (counter_direct && counter_find(rel, prefix, month, &tid))
		done = counter_update(rel, &tid, &serial);
	table_close(rel, NoLock);
	if (!done)
		serial = counter_sql(prefix, month);
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
