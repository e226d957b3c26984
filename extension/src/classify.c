/*-------------------------------------------------------------------------
 *
 * classify.c
 *	  The classifier: evaluates a policy's compiled rules on a complaint,
 *	  most severe level first, and returns the level with the reasons that
 *	  name the rules and the facts that fired.  Also the facts the rules read
 *	  that are not plain columns: declared facts with defaults, the age of a
 *	  complaint in calendar and working time, and the similar-complaint count
 *	  (distinct complainants of the same policy/category/unit in a window),
 *	  and raising the open earlier complaints of a cluster that reaches a
 *	  similar-complaint threshold.
 *
 * The similar count is correct under concurrent inserts: the trigger takes a
 * transaction-level advisory lock per cluster before counting, and counts
 * with the latest snapshot, so the later of two concurrent inserts waits for
 * the earlier one and sees it (whatever the isolation level).  It walks an
 * index on (policy, category, unit, received_at) backwards, directly (no
 * SQL), and stops as soon as the rule is decided, at 1000 at most; a
 * grouping that no index serves is counted with SQL queries.
 *
 * complaint.classify(c, as_of) is the same code without locks or writes.
 *
 * IDENTIFICATION
 *	  extension/src/classify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pg_complaint.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#define PGC_SIMILAR_CAP 1000

/* Evaluation state of one classification. */
typedef struct EvalCtx
{
	PgcPolicy  *pol;
	PgcRow	   *row;
	int64		self_id;
	TimestampTz as_of;
	bool		lock;			/* trigger: lock clusters before counting */
	StringInfoData why;			/* facts of the conditions that held */
	/* raise candidates found while evaluating the current rule */
	int			nsim;
	PgcCond    *sim[8];
} EvalCtx;

/* ----------------------------------------------------------------
 * Reading facts
 * ----------------------------------------------------------------
 */

/* fact_value finds a key of the complaint's facts. */
static bool
fact_value(EvalCtx *cx, const char *key, JsonbValue *out)
{
	Jsonb	   *facts;
	JsonbValue *v;

	if (PGC_ISNULL(cx->row, C_FACTS))
		return false;
	facts = DatumGetJsonbP(PGC_VAL(cx->row, C_FACTS));
	v = getKeyJsonValueFromContainer(&facts->root, key, strlen(key), out);
	return v != NULL && v->type != jbvNull;
}

static double
numeric_to_double(Numeric n)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(n)));
}

/* shift returns t moved by iv in the local time of the policy's calendar. */
static TimestampTz
shift(EvalCtx *cx, TimestampTz t, const Interval *iv, int sign)
{
	PgcCalendar *cal = pgc_calendar_get_cstring(cx->pol->calendar);
	Interval	x = *iv;

	if (sign < 0)
	{
		x.month = -x.month;
		x.day = -x.day;
		x.time = -x.time;
	}
	return pgc_cal_shift(cal, t, &x);
}

/* cluster_key is the advisory-lock key of one similar-complaint cluster. */
static int64
cluster_key(EvalCtx *cx, PgcCond *c)
{
	StringInfoData buf;
	uint64		h;

	initStringInfo(&buf);
	appendStringInfo(&buf, "pg_complaint similar|%s|", cx->pol->code);
	if (c->by_category && !PGC_ISNULL(cx->row, C_CATEGORY))
		appendStringInfoString(&buf, TextDatumGetCString(PGC_VAL(cx->row, C_CATEGORY)));
	appendStringInfoChar(&buf, '|');
	if (c->by_unit && !PGC_ISNULL(cx->row, C_UNIT))
		appendStringInfoString(&buf, TextDatumGetCString(PGC_VAL(cx->row, C_UNIT)));
	h = hash_bytes_extended((const unsigned char *) buf.data, buf.len, 0);
	return (int64) h;
}

/* counts the row itself as a similar complaint? */
static bool
self_counts(EvalCtx *cx)
{
	int			validity;

	if (PGC_ISNULL(cx->row, C_COMPLAINANT))
		return false;
	if (PGC_ISNULL(cx->row, C_VALIDITY))
		return true;
	validity = pgc_validity_from_oid(DatumGetObjectId(PGC_VAL(cx->row, C_VALIDITY)));
	return validity == PGC_VAL_EFFECTIVE;
}

/* what a similar-complaint query does */
typedef enum SimilarQuery
{
	SQ_FIRST,					/* the complainants of the latest few complaints */
	SQ_PROBE,					/* the next distinct complainant, not yet seen */
	SQ_COUNT,					/* complaints of the cluster, up to a limit */
	SQ_RAISE					/* raise the open members of the cluster */
} SimilarQuery;

/* kept plans, per query and grouping (by category, by unit) */
static SPIPlanPtr similar_plans[4][4];

/*
 * similar_sql builds one similar-complaint query for one grouping.  Every
 * operator is qualified: the plan must not depend on the caller's
 * search_path (it runs as the table owner).  Parameters: $1 policy, $2 and
 * $3 the window, $4 this complaint's id, $5 category, $6 unit, then $7 the
 * complainants seen (probe), the limit (count), or the level, $8 the reason
 * and $9 the rank (raise).
 */
static char *
similar_sql(SimilarQuery kind, bool by_category, bool by_unit)
{
	StringInfoData q;

	initStringInfo(&q);
	switch (kind)
	{
		case SQ_FIRST:
		case SQ_PROBE:
			appendStringInfoString(&q, "SELECT c.complainant FROM complaint.complaint c");
			break;
		case SQ_COUNT:
			appendStringInfoString(&q, "SELECT pg_catalog.count(*) FROM (SELECT 1 FROM complaint.complaint c");
			break;
		case SQ_RAISE:
			appendStringInfoString(&q, "UPDATE complaint.complaint c SET level = $7, level_reasons = ARRAY[$8]");
			break;
	}
	appendStringInfoString(&q,
						   " WHERE c.policy OPERATOR(pg_catalog.=) $1"
						   " AND c.received_at OPERATOR(pg_catalog.>=) $2"
						   " AND c.received_at OPERATOR(pg_catalog.<=) $3"
						   " AND c.complainant IS NOT NULL"
						   " AND (c.validity IS NULL OR c.validity OPERATOR(pg_catalog.=) 'effective'::complaint.validity)"
						   " AND ($4 IS NULL OR c.id OPERATOR(pg_catalog.<>) $4)");
	if (by_category)
		appendStringInfoString(&q, " AND c.category OPERATOR(pg_catalog.=) $5");
	if (by_unit)
		appendStringInfoString(&q, " AND c.unit OPERATOR(pg_catalog.=) $6");
	switch (kind)
	{
		case SQ_FIRST:
			appendStringInfoString(&q, " ORDER BY c.received_at DESC LIMIT $7");
			break;
		case SQ_PROBE:
			appendStringInfoString(&q, " AND NOT (c.complainant OPERATOR(pg_catalog.=) ANY ($7)) LIMIT 1");
			break;
		case SQ_COUNT:
			appendStringInfoString(&q, " LIMIT $7) s");
			break;
		case SQ_RAISE:
			appendStringInfoString(&q,
								   " AND c.status OPERATOR(pg_catalog.<>) 'closed'::complaint.status"
								   " AND c.status OPERATOR(pg_catalog.<>) 'rejected'::complaint.status"
								   " AND (c.level IS NULL OR c.level OPERATOR(pg_catalog.=) ANY"
								   "      (SELECT l.code FROM complaint.level l WHERE l.policy OPERATOR(pg_catalog.=) $1"
								   "       AND l.rank OPERATOR(pg_catalog.<) $9))");
			break;
	}
	return q.data;
}

/* similar_plan returns the kept plan of one query; inside SPI. */
static SPIPlanPtr
similar_plan(SimilarQuery kind, PgcCond *c)
{
	int			g = (c->by_category ? 1 : 0) | (c->by_unit ? 2 : 0);

	if (similar_plans[kind][g] == NULL)
	{
		Oid			types[9] = {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, TEXTOID, TEXTOID,
		kind == SQ_PROBE ? TEXTARRAYOID : (kind == SQ_RAISE ? TEXTOID : INT8OID),
		TEXTOID, INT2OID};
		SPIPlanPtr	plan = SPI_prepare(similar_sql(kind, c->by_category, c->by_unit),
									   kind == SQ_RAISE ? 9 : 7, types);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		similar_plans[kind][g] = plan;
	}
	return similar_plans[kind][g];
}

/* similar_args fills the common parameters $1..$6 of the similar queries. */
static void
similar_args(EvalCtx *cx, PgcCond *c, Datum *args, char *nulls)
{
	TimestampTz received = DatumGetTimestampTz(PGC_VAL(cx->row, C_RECEIVED_AT));

	args[0] = PGC_VAL(cx->row, C_POLICY);
	nulls[0] = ' ';
	args[1] = TimestampTzGetDatum(shift(cx, received, &c->window, -1));
	nulls[1] = ' ';
	args[2] = TimestampTzGetDatum(received);
	nulls[2] = ' ';
	args[3] = Int64GetDatum(cx->self_id);
	nulls[3] = cx->self_id > 0 ? ' ' : 'n';
	args[4] = PGC_VAL(cx->row, C_CATEGORY);
	nulls[4] = PGC_ISNULL(cx->row, C_CATEGORY) ? 'n' : ' ';
	args[5] = PGC_VAL(cx->row, C_UNIT);
	nulls[5] = PGC_ISNULL(cx->row, C_UNIT) ? 'n' : ' ';
}

/*
 * The direct scan: most clusters are counted by walking an index of
 * complaint.complaint backwards from the new complaint's receipt time,
 * without SQL.  For each grouping (by category, by unit) it needs a btree
 * index whose leading columns are the grouping's equality columns (policy,
 * and category and/or unit, in any order) followed by received_at, on plain
 * columns with their default operator classes, either complete or partial on
 * "complainant IS NOT NULL" (which the count requires anyway).  A grouping
 * without such an index takes the SQL queries below.
 */
typedef struct SimilarMap
{
	Oid			relid;
	uint64		epoch;
	int			attnum[PGC_NCOLS];	/* 0-based attribute indexes */
	Oid			index[4];		/* per grouping; InvalidOid: SQL */
	int			neq[4];			/* equality columns before received_at */
	PgcCol		eqcol[4][3];	/* which column each of them is */
} SimilarMap;

static SimilarMap smap;

/* is an index column a plain column with the default btree operator class? */
static bool
index_col_plain(Relation irel, TupleDesc desc, int i, int attnum)
{
	Form_pg_attribute att = TupleDescAttr(desc, attnum);

	return irel->rd_index->indkey.values[i] == attnum + 1 &&
		irel->rd_indcollation[i] == att->attcollation &&
		irel->rd_indoption[i] == 0 &&
		irel->rd_opfamily[i] == get_opclass_family(GetDefaultOpClass(att->atttypid, BTREE_AM_OID));
}

/* similar_index_fits: can this index serve the direct scan of grouping g? */
static bool
similar_index_fits(Relation irel, TupleDesc desc, int g, PgcCol *eqcol, int *neq)
{
	Form_pg_index ind = irel->rd_index;
	PgcCol		want[3];
	int			nwant = 0,
				i,
				j;
	List	   *pred;

	want[nwant++] = C_POLICY;
	if (g & 1)
		want[nwant++] = C_CATEGORY;
	if (g & 2)
		want[nwant++] = C_UNIT;
	if (irel->rd_rel->relam != BTREE_AM_OID || !ind->indisvalid || !ind->indisready ||
		ind->indnkeyatts < nwant + 1 || RelationGetIndexExpressions(irel) != NIL)
		return false;
	pred = RelationGetIndexPredicate(irel);
	if (pred != NIL)
	{
		NullTest   *nt = (NullTest *) linitial(pred);

		if (list_length(pred) != 1 || !IsA(nt, NullTest) || nt->nulltesttype != IS_NOT_NULL ||
			nt->argisrow || !IsA(nt->arg, Var) ||
			((Var *) nt->arg)->varattno != smap.attnum[C_COMPLAINANT] + 1)
			return false;
	}
	/* the equality columns first, in any order, each once */
	for (i = 0; i < nwant; i++)
	{
		for (j = 0; j < nwant; j++)
			if (index_col_plain(irel, desc, i, smap.attnum[want[j]]))
				break;
		if (j == nwant)
			return false;
		eqcol[i] = want[j];
		for (j = 0; j < i; j++)
			if (eqcol[j] == eqcol[i])
				return false;
	}
	if (!index_col_plain(irel, desc, nwant, smap.attnum[C_RECEIVED_AT]))
		return false;
	*neq = nwant;
	return true;
}

/* similar_map finds, once per relcache epoch, the index of each grouping. */
static void
similar_map(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	List	   *indexes;
	ListCell   *lc;
	int			g;
	int			best[4];

	if (smap.relid == RelationGetRelid(rel) && smap.epoch == pgc_relcache_epoch)
		return;
	pgc_colmap_build(desc, smap.attnum, "complaint.complaint");
	for (g = 0; g < 4; g++)
	{
		smap.index[g] = InvalidOid;
		best[g] = INT_MAX;
	}
	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Relation	irel = index_open(lfirst_oid(lc), AccessShareLock);

		for (g = 0; g < 4; g++)
		{
			PgcCol		eqcol[3];
			int			neq;

			/* the fewest key columns: the tightest index */
			if (irel->rd_index->indnkeyatts < best[g] &&
				similar_index_fits(irel, desc, g, eqcol, &neq))
			{
				smap.index[g] = RelationGetRelid(irel);
				smap.neq[g] = neq;
				memcpy(smap.eqcol[g], eqcol, sizeof(eqcol));
				best[g] = irel->rd_index->indnkeyatts;
			}
		}
		index_close(irel, AccessShareLock);
	}
	list_free(indexes);
	smap.relid = RelationGetRelid(rel);
	smap.epoch = pgc_relcache_epoch;
}

/*
 * similar_scan counts on from n, as similar_count's queries do (same
 * conditions, same snapshot), by walking the cluster's index entries from
 * the latest receipt back to the start of the window and stopping as soon
 * as "need" is reached.  seen holds the complainants already counted (and
 * this complaint's own).  Returns -1 when no index fits the grouping.
 */
static int64
similar_scan(EvalCtx *cx, PgcCond *c, int64 n, int64 need, Datum *seen, int nseen,
			 Snapshot snap)
{
	Relation	rel = table_open(pgc_catalog()->complaint_rel, AccessShareLock);
	int			g = (c->by_category ? 1 : 0) | (c->by_unit ? 2 : 0);
	Relation	irel;
	ScanKeyData keys[5];
	int			nkeys = 0,
				i;
	TimestampTz received = DatumGetTimestampTz(PGC_VAL(cx->row, C_RECEIVED_AT));
	Oid			effective = pgc_catalog()->validity_oid[PGC_VAL_EFFECTIVE];
	IndexScanDesc scan;
	TupleTableSlot *slot;
	int			att_complainant,
				att_validity,
				att_id;

	similar_map(rel);
	if (!OidIsValid(smap.index[g]))
	{
		table_close(rel, AccessShareLock);
		return -1;
	}
	irel = index_open(smap.index[g], AccessShareLock);
	for (i = 0; i < smap.neq[g]; i++)
	{
		ScanKeyInit(&keys[nkeys], i + 1, BTEqualStrategyNumber, F_TEXTEQ,
					PGC_VAL(cx->row, smap.eqcol[g][i]));
		keys[nkeys].sk_collation = irel->rd_indcollation[i];
		nkeys++;
	}
	ScanKeyInit(&keys[nkeys++], smap.neq[g] + 1, BTGreaterEqualStrategyNumber, F_TIMESTAMPTZ_GE,
				TimestampTzGetDatum(shift(cx, received, &c->window, -1)));
	ScanKeyInit(&keys[nkeys++], smap.neq[g] + 1, BTLessEqualStrategyNumber, F_TIMESTAMPTZ_LE,
				TimestampTzGetDatum(received));
	att_complainant = smap.attnum[C_COMPLAINANT] + 1;
	att_validity = smap.attnum[C_VALIDITY] + 1;
	att_id = smap.attnum[C_ID] + 1;

	slot = table_slot_create(rel, NULL);
	scan = index_beginscan(rel, irel, snap, nkeys, 0);
	index_rescan(scan, keys, nkeys, NULL, 0);
	while (n < need && index_getnext_slot(scan, BackwardScanDirection, slot))
	{
		Datum		who;
		Datum		d;
		bool		isnull;
		int			k;

		CHECK_FOR_INTERRUPTS();
		who = slot_getattr(slot, att_complainant, &isnull);
		if (isnull)
			continue;
		d = slot_getattr(slot, att_validity, &isnull);
		if (!isnull && DatumGetObjectId(d) != effective)
			continue;
		if (cx->self_id > 0)
		{
			d = slot_getattr(slot, att_id, &isnull);
			if (!isnull && DatumGetInt64(d) == cx->self_id)
				continue;
		}
		if (c->count_complaints)
		{
			n++;
			continue;
		}
		for (k = 0; k < nseen; k++)
			if (datum_image_eq(seen[k], who, false, -1))
				break;
		if (k < nseen)
			continue;
		seen[nseen++] = datumCopy(who, false, -1);
		n++;
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(irel, AccessShareLock);
	table_close(rel, AccessShareLock);
	return n;
}

/*
 * similar_count returns the number of distinct complainants (or complaints)
 * of the cluster in the window, this complaint included, counting no
 * further than "need".  The direct scan reads the latest complaints of the
 * cluster until the count is decided.  Without an index for it, distinct
 * complainants are found by SQL, one index probe at a time, so the cost is
 * a few probes whatever the size of the cluster.
 */
static int64
similar_count(EvalCtx *cx, PgcCond *c, int64 need)
{
	Datum		args[7];
	char		nulls[7];
	bool		isnull;
	int64		n = self_counts(cx) ? 1 : 0;
	PgcUserSwitch sw;
	Snapshot	snap;

	/* a complaint without the grouping columns is a cluster of its own */
	if ((c->by_category && PGC_ISNULL(cx->row, C_CATEGORY)) ||
		(c->by_unit && PGC_ISNULL(cx->row, C_UNIT)) || n >= need)
		return n;

	if (cx->lock)
		DirectFunctionCall1(pg_advisory_xact_lock_int8, Int64GetDatum(cluster_key(cx, c)));

	/* the latest snapshot: see a concurrent insert that committed while we waited */
	{
		Datum	   *seen = palloc(sizeof(Datum) * (need + 1));
		int			nseen = 0;
		int64		counted;

		/* this complaint's own complainant is counted once, here or not at all */
		if (!c->count_complaints && !PGC_ISNULL(cx->row, C_COMPLAINANT))
			seen[nseen++] = PGC_VAL(cx->row, C_COMPLAINANT);
		snap = RegisterSnapshot(GetLatestSnapshot());
		counted = similar_scan(cx, c, n, need, seen, nseen, snap);
		UnregisterSnapshot(snap);
		if (counted >= 0)
			return counted;
	}

	/* no index fits the grouping: SQL */
	similar_args(cx, c, args, nulls);
	pgc_switch_to_owner(pgc_config_owner(), &sw);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	snap = GetLatestSnapshot();
	if (c->count_complaints)
	{
		args[6] = Int64GetDatum(need - n);
		nulls[6] = ' ';
		if (SPI_execute_snapshot(similar_plan(SQ_COUNT, c), args, nulls, snap,
								 InvalidSnapshot, true, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "pg_complaint: counting similar complaints failed");
		n += DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	else
	{
		int			first = (int) Min(need + 2, 64);
		Datum	   *seen = palloc(sizeof(Datum) * (need + first + 1));
		int			nseen = 0;
		uint64		got,
					r;
		int			k;

		/* this complaint's own complainant is counted once, here or not at all */
		if (!PGC_ISNULL(cx->row, C_COMPLAINANT))
			seen[nseen++] = PGC_VAL(cx->row, C_COMPLAINANT);

		/* usually the latest few complaints of the cluster decide */
		args[6] = Int64GetDatum(first);
		nulls[6] = ' ';
		if (SPI_execute_snapshot(similar_plan(SQ_FIRST, c), args, nulls, snap,
								 InvalidSnapshot, true, false, first) != SPI_OK_SELECT)
			elog(ERROR, "pg_complaint: counting similar complaints failed");
		got = SPI_processed;
		for (r = 0; r < got && n < need; r++)
		{
			Datum		who = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull);

			for (k = 0; k < nseen; k++)
				if (datumIsEqual(seen[k], who, false, -1))
					break;
			if (k < nseen)
				continue;
			seen[nseen++] = datumCopy(who, false, -1);
			n++;
		}

		/* a crowded cluster of few complainants: one probe per further complainant */
		while (n < need && got == (uint64) first)
		{
			args[6] = PointerGetDatum(construct_array(seen, nseen, TEXTOID, -1, false, TYPALIGN_INT));
			nulls[6] = ' ';
			if (SPI_execute_snapshot(similar_plan(SQ_PROBE, c), args, nulls, snap,
									 InvalidSnapshot, true, false, 1) != SPI_OK_SELECT)
				elog(ERROR, "pg_complaint: counting similar complaints failed");
			if (SPI_processed == 0)
				break;
			seen[nseen++] = datumCopy(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
									  false, -1);
			n++;
		}
	}
	SPI_finish();
	pgc_switch_back(&sw);
	return n;
}

/*
 * similar_need is how far a similar count must go to decide a comparison,
 * and to tell whether this complaint is the one that brings the cluster to
 * its threshold (one more than the threshold).
 */
static int64
similar_need(PgcCond *c)
{
	double		top = 0;
	int			i;

	for (i = 0; i < c->nvalues; i++)
		top = Max(top, c->nums[i]);
	return Min((int64) top + (c->op == PGC_OP_GT ? 2 : 1), PGC_SIMILAR_CAP);
}

/* similar_reached: with n counted, did this complaint bring the cluster to the threshold? */
static bool
similar_reached(PgcCond *c, int64 n)
{
	switch (c->op)
	{
		case PGC_OP_GE:
		case PGC_OP_EQ:
			return n == (int64) c->nums[0];
		case PGC_OP_GT:
			return n == (int64) c->nums[0] + 1;
		default:
			return false;
	}
}

/* ----------------------------------------------------------------
 * Evaluation
 * ----------------------------------------------------------------
 */

static bool
cmp_num(PgcOp op, double a, const PgcCond *c)
{
	int			i;

	switch (op)
	{
		case PGC_OP_EQ:
			return a == c->nums[0];
		case PGC_OP_NE:
			return a != c->nums[0];
		case PGC_OP_LT:
			return a < c->nums[0];
		case PGC_OP_LE:
			return a <= c->nums[0];
		case PGC_OP_GT:
			return a > c->nums[0];
		case PGC_OP_GE:
			return a >= c->nums[0];
		case PGC_OP_IN:
		case PGC_OP_NOT_IN:
			for (i = 0; i < c->nvalues; i++)
				if (a == c->nums[i])
					return op == PGC_OP_IN;
			return op == PGC_OP_NOT_IN;
		default:
			return false;
	}
}

static bool
cmp_text(PgcOp op, const char *a, const PgcCond *c)
{
	int			i;

	switch (op)
	{
		case PGC_OP_EQ:
			return strcmp(a, c->texts[0]) == 0;
		case PGC_OP_NE:
			return strcmp(a, c->texts[0]) != 0;
		case PGC_OP_IN:
		case PGC_OP_NOT_IN:
			for (i = 0; i < c->nvalues; i++)
				if (strcmp(a, c->texts[i]) == 0)
					return op == PGC_OP_IN;
			return op == PGC_OP_NOT_IN;
		default:
			return false;
	}
}

/* cmp_time compares an instant with a threshold the way "age op value" reads. */
static bool
cmp_time(PgcOp op, TimestampTz now, TimestampTz threshold)
{
	switch (op)
	{
		case PGC_OP_EQ:
			return now == threshold;
		case PGC_OP_NE:
			return now != threshold;
		case PGC_OP_LT:
			return now < threshold;
		case PGC_OP_LE:
			return now <= threshold;
		case PGC_OP_GT:
			return now > threshold;
		case PGC_OP_GE:
			return now >= threshold;
		default:
			return false;
	}
}

/* note_fact appends "name op value (actual)" of a condition that held. */
static void
note_fact(EvalCtx *cx, PgcCond *c, const char *actual)
{
	if (cx->why.len > 0)
		appendStringInfoString(&cx->why, ", ");
	appendStringInfoString(&cx->why, c->name);
	if (c->op == PGC_OP_EXISTS || c->op == PGC_OP_NOT_EXISTS)
		appendStringInfo(&cx->why, " %s", c->op == PGC_OP_EXISTS ? "exists" : "does not exist");
	else
		appendStringInfo(&cx->why, " %s %s", pgc_op_names[c->op], c->value_text);
	if (actual)
		appendStringInfo(&cx->why, " (%s)", actual);
}

static bool eval(EvalCtx *cx, PgcCond *c);

/* eval_cmp evaluates one comparison. */
static bool
eval_cmp(EvalCtx *cx, PgcCond *c)
{
	JsonbValue	jv;
	bool		present;
	bool		result = false;
	char	   *actual = NULL;

	switch (c->fkind)
	{
		case PGC_FK_COLUMN:
			present = !PGC_ISNULL(cx->row, c->column);
			if (c->op == PGC_OP_EXISTS || c->op == PGC_OP_NOT_EXISTS)
			{
				result = present == (c->op == PGC_OP_EXISTS);
				break;
			}
			if (!present)
			{
				result = (c->op == PGC_OP_NE || c->op == PGC_OP_NOT_IN);
				break;
			}
			if (c->type == PGC_FT_NUM)
			{
				Datum		d = PGC_VAL(cx->row, c->column);
				double		a;

				if (c->column == C_AMOUNT)
					a = numeric_to_double(DatumGetNumeric(d));
				else if (c->column == C_SATISFACTION)
					a = DatumGetInt16(d);
				else
					a = DatumGetInt32(d);
				result = cmp_num(c->op, a, c);
				actual = psprintf("%g", a);
			}
			else
			{
				const char *a;

				if (c->column == C_STATUS)
					a = pgc_status_names[pgc_status_from_oid(DatumGetObjectId(PGC_VAL(cx->row, c->column)))];
				else if (c->column == C_VALIDITY)
					a = pgc_validity_names[pgc_validity_from_oid(DatumGetObjectId(PGC_VAL(cx->row, c->column)))];
				else if (c->column == C_CHANNEL)
					a = pgc_channel_name(DatumGetObjectId(PGC_VAL(cx->row, c->column)));
				else
					a = TextDatumGetCString(PGC_VAL(cx->row, c->column));
				result = cmp_text(c->op, a, c);
				if (c->op == PGC_OP_IN)
					actual = (char *) a;
			}
			break;

		case PGC_FK_FACT:
			present = fact_value(cx, c->fact_key, &jv);
			if (c->op == PGC_OP_EXISTS || c->op == PGC_OP_NOT_EXISTS)
			{
				result = present == (c->op == PGC_OP_EXISTS);
				break;
			}
			if (c->type == PGC_FT_BOOL)
			{
				bool		b;

				if (present && jv.type == jbvBool)
					b = jv.val.boolean;
				else if (c->has_default)
					b = c->def_bool;
				else
					b = false;
				result = (c->op == PGC_OP_EQ) ? (b == c->bval) : (b != c->bval);
				if (!present)
					actual = "default";
			}
			else if (c->type == PGC_FT_NUM)
			{
				double		a;

				if (present && jv.type == jbvNumeric)
					a = numeric_to_double(jv.val.numeric);
				else if (c->has_default)
					a = c->def_num;
				else
				{
					result = (c->op == PGC_OP_NE || c->op == PGC_OP_NOT_IN);
					break;
				}
				result = cmp_num(c->op, a, c);
				actual = psprintf("%g", a);
			}
			else
			{
				const char *a;

				if (present && jv.type == jbvString)
					a = pnstrdup(jv.val.string.val, jv.val.string.len);
				else if (c->has_default)
					a = c->def_text;
				else
				{
					result = (c->op == PGC_OP_NE || c->op == PGC_OP_NOT_IN);
					break;
				}
				result = cmp_text(c->op, a, c);
				if (c->op == PGC_OP_IN)
					actual = (char *) a;
			}
			break;

		case PGC_FK_AGE:
			{
				TimestampTz received = DatumGetTimestampTz(PGC_VAL(cx->row, C_RECEIVED_AT));

				result = cmp_time(c->op, cx->as_of, shift(cx, received, &c->ival, 1));
				actual = psprintf("received %s", timestamptz_to_str(received));
			}
			break;

		case PGC_FK_WORKING_AGE:
			{
				PgcCalendar *cal = pgc_calendar_get_cstring(cx->pol->calendar);
				TimestampTz received = DatumGetTimestampTz(PGC_VAL(cx->row, C_RECEIVED_AT));
				int64		worked = pgc_cal_between(cal, received, cx->as_of);

				result = cmp_time(c->op, (TimestampTz) worked, (TimestampTz) c->ival.time);
				actual = psprintf("%.1f working hours", (double) worked / USECS_PER_HOUR);
			}
			break;

		case PGC_FK_RECEIVED_OPEN:
		case PGC_FK_RECEIVED_WORKDAY:
			{
				PgcCalendar *cal = pgc_calendar_get_cstring(cx->pol->calendar);
				TimestampTz received = DatumGetTimestampTz(PGC_VAL(cx->row, C_RECEIVED_AT));
				bool		b;

				if (c->fkind == PGC_FK_RECEIVED_OPEN)
					b = pgc_cal_is_open(cal, received);
				else
					b = pgc_cal_is_workday(cal, pgc_cal_local_day(cal, received));
				result = (c->op == PGC_OP_EQ) ? (b == c->bval) : (b != c->bval);
				actual = psprintf("received %s", timestamptz_to_str(received));
			}
			break;

		case PGC_FK_BREACHED:
			{
				bool		b = false;

				if (!PGC_ISNULL(cx->row, C_BREACHED))
				{
					Datum	   *elems;
					bool	   *enulls;
					int			n,
								k;

					deconstruct_array(DatumGetArrayTypeP(PGC_VAL(cx->row, C_BREACHED)), TEXTOID, -1,
									  false, TYPALIGN_INT, &elems, &enulls, &n);
					for (k = 0; k < n && !b; k++)
						b = !enulls[k] && strcmp(TextDatumGetCString(elems[k]), c->fact_key) == 0;
				}
				result = (c->op == PGC_OP_EQ) ? (b == c->bval) : (b != c->bval);
			}
			break;

		case PGC_FK_UNRESOLVED:
			{
				int			st = pgc_status_from_oid(DatumGetObjectId(PGC_VAL(cx->row, C_STATUS)));
				bool		unresolved = !(st == PGC_ST_ACCEPTED || st == PGC_ST_FOLLOW_UP ||
										   st == PGC_ST_CLOSED || st == PGC_ST_REJECTED);

				result = (c->op == PGC_OP_EQ) ? (unresolved == c->bval) : (unresolved != c->bval);
				actual = (char *) pgc_status_names[st];
			}
			break;

		case PGC_FK_SIMILAR:
			{
				int64		n = similar_count(cx, c, similar_need(c));

				result = cmp_num(c->op, (double) n, c);
				actual = psprintf("%lld %s, same %s%s%s, %s",
								  (long long) n, c->count_complaints ? "complaints" : "distinct complainants",
								  c->by_category ? "category" : "",
								  c->by_category && c->by_unit ? " and " : "",
								  c->by_unit ? "unit" : (c->by_category ? "" : "policy"),
								  DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(&c->window))));
				/* the complaint that brings its cluster to the threshold raises it */
				if (result && similar_reached(c, n) && cx->nsim < (int) lengthof(cx->sim))
					cx->sim[cx->nsim++] = c;
			}
			break;
	}
	if (result)
		note_fact(cx, c, actual);
	return result;
}

/* eval evaluates a condition; the facts of the conditions that held go to cx->why. */
static bool
eval(EvalCtx *cx, PgcCond *c)
{
	int			i;
	int			mark = cx->why.len;
	int			nsim = cx->nsim;

	switch (c->kind)
	{
		case PGC_C_ALL:
			for (i = 0; i < c->nchildren; i++)
				if (!eval(cx, c->children[i]))
				{
					cx->why.len = mark;
					cx->why.data[mark] = '\0';
					cx->nsim = nsim;
					return false;
				}
			return true;
		case PGC_C_ANY:
			for (i = 0; i < c->nchildren; i++)
				if (eval(cx, c->children[i]))
				{
					int			j;

					/*
					 * A similar-complaint branch after the one that held
					 * still matters for its cluster (CONTRACT section 8):
					 * evaluate it for the raise, not for the reasons.
					 */
					for (j = i + 1; j < c->nchildren; j++)
					{
						int			keep = cx->why.len;

						if (!c->children[j]->expensive)
							continue;
						(void) eval(cx, c->children[j]);
						cx->why.len = keep;
						cx->why.data[keep] = '\0';
					}
					return true;
				}
			return false;
		case PGC_C_NOT:
			{
				bool		r = eval(cx, c->children[0]);

				/* what held inside a "not" is not a reason */
				cx->why.len = mark;
				cx->why.data[mark] = '\0';
				cx->nsim = nsim;
				return !r;
			}
		case PGC_C_CMP:
			return eval_cmp(cx, c);
	}
	return false;
}

/* rule_reason formats one fired rule for level_reasons. */
static char *
rule_reason(PgcRule *rule, const char *why)
{
	return psprintf("%s: %s / %s%s%s%s", rule->name, rule->reason_zh, rule->reason_en,
					why[0] ? " (" : "", why, why[0] ? ")" : "");
}

/*
 * pgc_classify evaluates every enabled rule of the policy on a row, as of a
 * time, and returns the most severe level whose rules fire with the reasons
 * of those rules (plus every note that fires).  Without a firing rule the
 * level is the least severe one.  The clusters of similar-complaint rules
 * that fired are returned for raising.
 */
void
pgc_classify(PgcPolicy *pol, PgcRow *row, bool lock, TimestampTz as_of,
			 PgcClassification *out)
{
	EvalCtx		cx;
	int			r;
	int			best = -1;
	char	  **notes;
	int			nnotes = 0;

	memset(out, 0, sizeof(*out));
	out->level = -1;
	if (pol->nlevels == 0)
		return;
	memset(&cx, 0, sizeof(cx));
	cx.pol = pol;
	cx.row = row;
	cx.self_id = PGC_ISNULL(row, C_ID) ? 0 : DatumGetInt64(PGC_VAL(row, C_ID));
	cx.as_of = as_of;
	cx.lock = lock;
	initStringInfo(&cx.why);

	out->reasons = palloc(sizeof(char *) * (pol->nrules + 1));
	notes = palloc(sizeof(char *) * (pol->nrules + 1));
	out->raise_cond = palloc(sizeof(PgcCond *) * (pol->nrules * 8 + 1));
	out->raise_level = palloc(sizeof(int) * (pol->nrules * 8 + 1));
	out->raise_reason = palloc(sizeof(char *) * (pol->nrules * 8 + 1));

	for (r = 0; r < pol->nrules; r++)
	{
		PgcRule    *rule = &pol->rules[r];
		int			k;

		resetStringInfo(&cx.why);
		cx.nsim = 0;
		/* a level rule below the chosen level matters only for its clusters */
		if (!rule->note && best >= 0 && rule->level > best && !rule->cond->expensive)
			continue;
		if (!eval(&cx, rule->cond))
			continue;
		if (rule->note)
		{
			notes[nnotes++] = rule_reason(rule, cx.why.data);
			continue;
		}
		for (k = 0; k < cx.nsim; k++)
		{
			out->raise_cond[out->nraise] = cx.sim[k];
			out->raise_level[out->nraise] = rule->level;
			out->raise_reason[out->nraise] = rule_reason(rule, cx.why.data);
			out->nraise++;
		}
		if (best < 0 || rule->level < best)
		{
			best = rule->level;
			out->nreasons = 0;
		}
		if (rule->level == best)
			out->reasons[out->nreasons++] = rule_reason(rule, cx.why.data);
	}
	if (best < 0)
	{
		PgcLevel   *lv = &pol->levels[pol->nlevels - 1];

		best = pol->nlevels - 1;
		out->reasons[out->nreasons++] =
			psprintf("default: %s / %s (no rule of a higher level applies)", lv->name_zh, lv->name_en);
	}
	out->level = best;
	memcpy(out->reasons + out->nreasons, notes, sizeof(char *) * nnotes);
	out->nreasons += nnotes;
}

/* pgc_reasons_datum returns the reasons as a text[] datum. */
Datum
pgc_reasons_datum(PgcClassification *cls)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(cls->nreasons, 1));
	int			i;

	for (i = 0; i < cls->nreasons; i++)
		elems[i] = CStringGetTextDatum(cls->reasons[i]);
	return PointerGetDatum(construct_array(elems, cls->nreasons, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * pgc_raise_clusters raises the open earlier complaints of every cluster
 * whose similar-complaint rule fired for this complaint to that rule's level
 * (CONTRACT section 8), as the table owner; their level events are written
 * by the trigger of that UPDATE.
 */
void
pgc_raise_clusters(PgcPolicy *pol, PgcRow *row, PgcClassification *cls, const char *ref)
{
	int			i;
	PgcUserSwitch sw;
	EvalCtx		cx;

	if (cls->nraise == 0)
		return;
	memset(&cx, 0, sizeof(cx));
	cx.pol = pol;
	cx.row = row;
	cx.self_id = PGC_ISNULL(row, C_ID) ? 0 : DatumGetInt64(PGC_VAL(row, C_ID));

	pgc_switch_to_owner(pgc_config_owner(), &sw);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	for (i = 0; i < cls->nraise; i++)
	{
		PgcCond    *c = cls->raise_cond[i];
		PgcLevel   *lv = &pol->levels[cls->raise_level[i]];
		Datum		args[9];
		char		nulls[9];
		Snapshot	cross = InvalidSnapshot;

		similar_args(&cx, c, args, nulls);
		args[6] = CStringGetTextDatum(lv->code);
		nulls[6] = ' ';
		args[7] = CStringGetTextDatum(psprintf("%s [raised with %s]", cls->raise_reason[i],
											   ref ? ref : "a later complaint"));
		nulls[7] = ' ';
		args[8] = Int16GetDatum((int16) lv->rank);
		nulls[8] = ' ';

		/*
		 * Find the cluster with the latest snapshot, as the count did.  Under
		 * REPEATABLE READ or SERIALIZABLE a member committed after this
		 * transaction's snapshot cannot be raised consistently: the
		 * crosscheck snapshot turns that into a serialization failure
		 * instead of a cluster half raised.
		 */
		if (IsolationUsesXactSnapshot())
			cross = GetTransactionSnapshot();
		if (SPI_execute_snapshot(similar_plan(SQ_RAISE, c), args, nulls, GetLatestSnapshot(), cross,
								 false, true, 0) != SPI_OK_UPDATE)
			elog(ERROR, "pg_complaint: raising similar complaints failed");
	}
	SPI_finish();
	pgc_switch_back(&sw);
}

/* ----------------------------------------------------------------
 * Declared facts of a complaint
 * ----------------------------------------------------------------
 */

/*
 * pgc_check_facts refuses a complaint whose facts contradict the policy's
 * declarations: a wrong type, a value outside the allowed ones, or (strict
 * policies) an undeclared key.
 */
void
pgc_check_facts(PgcPolicy *pol, Jsonb *facts)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	it = JsonbIteratorInit(&facts->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		PgcFactDecl *decl;
		const char *want;
		bool		ok;
		int			i;

		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE || key == NULL)
			continue;
		decl = pgc_fact_find(pol->nfacts, pol->facts, key, strlen(key));
		if (decl == NULL)
		{
			StringInfoData buf;

			if (!pol->strict_facts)
				continue;
			initStringInfo(&buf);
			for (i = 0; i < pol->nfacts; i++)
				appendStringInfo(&buf, "%s%s", i ? ", " : "", pol->facts[i].key);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown fact \"%s\" for policy \"%s\"", key, pol->code),
					 errdetail("Facts of policy \"%s\": %s.", pol->code, pol->nfacts ? buf.data : "(none)"),
					 errhint("Declare it in complaint.fact, or use a column of complaint.complaint (e.g. collective_size) if there is one.")));
		}
		if (v.type == jbvNull)
			continue;			/* null: the default applies */
		switch (decl->type)
		{
			case PGC_FT_BOOL:
				ok = v.type == jbvBool;
				want = "a boolean (true or false)";
				break;
			case PGC_FT_NUM:
				ok = v.type == jbvNumeric;
				want = "a number";
				break;
			default:
				ok = v.type == jbvString;
				want = "a text";
				break;
		}
		if (!ok)
		{
			JsonbValue	copy = v;
			Jsonb	   *jv = JsonbValueToJsonb(&copy);

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fact \"%s\" of policy \"%s\" must be %s, not %s",
							key, pol->code, want, JsonbToCString(NULL, &jv->root, VARSIZE(jv)))));
		}
		if (decl->type == PGC_FT_TEXT && decl->nallowed > 0)
		{
			StringInfoData buf;

			for (i = 0; i < decl->nallowed; i++)
				if ((int) strlen(decl->allowed[i]) == v.val.string.len &&
					strncmp(decl->allowed[i], v.val.string.val, v.val.string.len) == 0)
					break;
			if (i < decl->nallowed)
				continue;
			initStringInfo(&buf);
			for (i = 0; i < decl->nallowed; i++)
				appendStringInfo(&buf, "%s%s", i ? ", " : "", decl->allowed[i]);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fact \"%s\" of policy \"%s\" cannot be \"%.*s\"", key, pol->code,
							v.val.string.len, v.val.string.val),
					 errdetail("Allowed values: %s.", buf.data)));
		}
	}
}

/* ----------------------------------------------------------------
 * complaint.classify(c complaint.complaint, as_of timestamptz)
 * ----------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(pgc_classify_sql);

/* complaint.classify()'s column map of the row type it was last called with */
static Oid	cm_type = InvalidOid;
static int32 cm_typmod = -1;
static int	cm_natts = 0;
static uint64 cm_epoch = 0;
static int	cm_attnum[PGC_NCOLS];

/*
 * pgc_classify_sql is complaint.classify(): the level and reasons the rules
 * give a complaint row as of a time, with no lock and no write.
 */
Datum
pgc_classify_sql(PG_FUNCTION_ARGS)
{
	HeapTupleHeader rec = PG_GETARG_HEAPTUPLEHEADER(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	TupleDesc	desc;
	HeapTupleData tuple;
	int			attnum[PGC_NCOLS];
	PgcRow		row;
	PgcPolicy  *pol;
	text	   *code;
	PgcClassification cls;
	TupleDesc	rdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(rec), HeapTupleHeaderGetTypMod(rec));
	tuple.t_len = HeapTupleHeaderGetDatumLength(rec);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = rec;
	/* the column map of the row type, built once per type and relcache epoch */
	if (cm_type != HeapTupleHeaderGetTypeId(rec) || cm_typmod != HeapTupleHeaderGetTypMod(rec) ||
		cm_natts != desc->natts || cm_epoch != pgc_relcache_epoch)
	{
		cm_type = InvalidOid;
		pgc_colmap_build(desc, cm_attnum, "complaint.complaint");
		cm_type = HeapTupleHeaderGetTypeId(rec);
		cm_typmod = HeapTupleHeaderGetTypMod(rec);
		cm_natts = desc->natts;
		cm_epoch = pgc_relcache_epoch;
	}
	memcpy(attnum, cm_attnum, sizeof(attnum));
	row.values = palloc(sizeof(Datum) * desc->natts);
	row.nulls = palloc(sizeof(bool) * desc->natts);
	row.attnum = attnum;
	heap_deform_tuple(&tuple, desc, row.values, row.nulls);
	ReleaseTupleDesc(desc);

	(void) pgc_catalog();
	if (PGC_ISNULL(&row, C_POLICY) || PGC_ISNULL(&row, C_RECEIVED_AT) || PGC_ISNULL(&row, C_STATUS))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("complaint.classify() needs policy, received_at and status")));
	code = DatumGetTextPP(PGC_VAL(&row, C_POLICY));
	pol = pgc_policy_get(VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code));
	pgc_classify(pol, &row, false, as_of, &cls);

	if (get_call_result_type(fcinfo, NULL, &rdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rdesc = BlessTupleDesc(rdesc);
	if (cls.level < 0)
	{
		nulls[0] = nulls[1] = true;
	}
	else
	{
		values[0] = CStringGetTextDatum(pol->levels[cls.level].code);
		values[1] = pgc_reasons_datum(&cls);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(rdesc, values, nulls)));
}

/* ----------------------------------------------------------------
 * Conditions of SLA rules; when time alone may change the level
 * ----------------------------------------------------------------
 */

/*
 * pgc_cond_holds evaluates one condition (an SLA rule's) on a row as of a
 * time.  SLA conditions never count similar complaints (refused when written).
 */
bool
pgc_cond_holds(PgcPolicy *pol, PgcRow *row, PgcCond *c, TimestampTz as_of)
{
	EvalCtx		cx;

	if (c == NULL)
		return true;
	memset(&cx, 0, sizeof(cx));
	cx.pol = pol;
	cx.row = row;
	cx.self_id = PGC_ISNULL(row, C_ID) ? 0 : DatumGetInt64(PGC_VAL(row, C_ID));
	cx.as_of = as_of;
	initStringInfo(&cx.why);
	return eval(&cx, c);
}

/* age_thresholds collects the instants after as_of at which an age comparison may flip. */
static void
age_thresholds(EvalCtx *cx, PgcCond *c, TimestampTz *best)
{
	int			i;
	TimestampTz t;

	if (c->kind != PGC_C_CMP)
	{
		for (i = 0; i < c->nchildren; i++)
			age_thresholds(cx, c->children[i], best);
		return;
	}
	if (c->fkind == PGC_FK_AGE)
		t = shift(cx, DatumGetTimestampTz(PGC_VAL(cx->row, C_RECEIVED_AT)), &c->ival, 1);
	else if (c->fkind == PGC_FK_WORKING_AGE)
	{
		PgcCalendar *cal = pgc_calendar_get_cstring(cx->pol->calendar);

		t = pgc_cal_add(cal, DatumGetTimestampTz(PGC_VAL(cx->row, C_RECEIVED_AT)), c->ival.time);
	}
	else
		return;
	if (c->op == PGC_OP_GT || c->op == PGC_OP_LE)
		t += 1;					/* "age > x" first holds just after the threshold */
	if (t > cx->as_of && (*best == 0 || t < *best))
		*best = t;
}

/*
 * pgc_recheck_at returns when the level rules may next raise the level of a
 * complaint by the passing of time alone (an age or working-age comparison of
 * a rule of a more severe level than the complaint has), or 0 when never:
 * complaint.run_escalations re-runs the rules then.  Closed and rejected
 * complaints are not rechecked.
 */
TimestampTz
pgc_recheck_at(PgcPolicy *pol, PgcRow *row, TimestampTz as_of)
{
	EvalCtx		cx;
	TimestampTz best = 0;
	int			level = -1;
	int			st;
	int			r;

	if (pol->nlevels == 0 || PGC_ISNULL(row, C_RECEIVED_AT))
		return 0;
	st = pgc_status_from_oid(DatumGetObjectId(PGC_VAL(row, C_STATUS)));
	if (st == PGC_ST_CLOSED || st == PGC_ST_REJECTED)
		return 0;
	if (!PGC_ISNULL(row, C_LEVEL))
	{
		text	   *lv = DatumGetTextPP(PGC_VAL(row, C_LEVEL));

		level = pgc_level_index(pol, VARDATA_ANY(lv), VARSIZE_ANY_EXHDR(lv));
	}
	memset(&cx, 0, sizeof(cx));
	cx.pol = pol;
	cx.row = row;
	cx.as_of = as_of;
	for (r = 0; r < pol->nrules; r++)
	{
		PgcRule    *rule = &pol->rules[r];

		if (rule->note || (level >= 0 && rule->level >= level))
			continue;			/* cannot raise the level */
		age_thresholds(&cx, rule->cond, &best);
	}
	return best;
}
