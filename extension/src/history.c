/*-------------------------------------------------------------------------
 *
 * history.c
 *	  The append-only history of complaints (complaint.event): writing
 *	  events, and the guard that refuses UPDATE, DELETE and TRUNCATE of it
 *	  for everyone, the table owner included.
 *
 * Events are written by the AFTER trigger as the table owner (no role has
 * INSERT on complaint.event), with actor = the user who made the change,
 * directly into the heap and its indexes (no SPI on this hot path).
 * Details are JSON objects built here with PostgreSQL's own escaping.  The
 * direct-append path (pgc_direct_map, pgc_direct_insert) also serves the
 * deadline rows of deadline.c.
 *
 * IDENTIFICATION
 *	  extension/src/history.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "catalog/pg_trigger.h"
#include "commands/sequence.h"
#include "executor/spi.h"
#include "access/genam.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pg_complaint.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

/* pgc_json_add_text appends "key": "value" (or null) to an open JSON object. */
void
pgc_json_add_text(StringInfo buf, const char *key, const char *value)
{
	if (buf->len > 1)
		appendStringInfoString(buf, ", ");
	escape_json(buf, key);
	appendStringInfoString(buf, ": ");
	if (value == NULL)
		appendStringInfoString(buf, "null");
	else
		escape_json(buf, value);
}

/* pgc_json_add_raw appends "key": <json> to an open JSON object. */
void
pgc_json_add_raw(StringInfo buf, const char *key, const char *json)
{
	if (buf->len > 1)
		appendStringInfoString(buf, ", ");
	escape_json(buf, key);
	appendStringInfoString(buf, ": ");
	appendStringInfoString(buf, json ? json : "null");
}

/* the columns of complaint.event, and where they are in its descriptor */
enum
{
	EV_ID, EV_COMPLAINT_ID, EV_AT, EV_ACTOR, EV_KIND, EV_DETAIL, EV_IMPORTED, EV_NCOLS
};
static const char *const event_cols[EV_NCOLS] = {
	"id", "complaint_id", "at", "actor", "kind", "detail", "imported"
};
static int	event_attnum[EV_NCOLS];
static PgcDirectTable event_table = {
	"complaint.event", EV_NCOLS, event_cols, event_attnum, InvalidOid, 0, InvalidOid, false,
	NULL, InvalidOid, false
};
static SPIPlanPtr event_plan = NULL;

/*
 * pgc_direct_map maps the columns of a table the rules append to, finds its
 * identity sequence, and decides whether rows may go straight into the heap
 * and indexes: the direct path handles plain-column indexes only; an
 * expression, partial, deferrable or exclusion index, or an INSERT trigger
 * someone added, takes the caller's SQL path (an UPDATE trigger, for
 * updates).  Internal (foreign-key) triggers do not count: the rules write
 * rows whose references hold.  It also finds a B-tree index that leads
 * with key_col, which direct reads use.
 */
void
pgc_direct_map(Relation rel, PgcDirectTable *t)
{
	TupleDesc	desc = RelationGetDescr(rel);
	List	   *indexes;
	ListCell   *lc;
	List	   *seqs;
	int			c,
				i;

	if (t->relid == RelationGetRelid(rel) && t->epoch == pgc_relcache_epoch)
		return;
	for (c = 0; c < t->ncols; c++)
	{
		t->attnum[c] = -1;
		for (i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && strcmp(NameStr(att->attname), t->cols[c]) == 0)
				t->attnum[c] = i;
		}
		if (t->attnum[c] < 0)
			elog(ERROR, "pg_complaint: column \"%s\" of %s is missing; reinstall the extension",
				 t->cols[c], t->name);
	}
	t->direct = true;
	t->direct_update = true;
	t->key_index = InvalidOid;
	if (rel->trigdesc)
		for (i = 0; i < rel->trigdesc->numtriggers; i++)
		{
			Trigger    *trg = &rel->trigdesc->triggers[i];

			if (!trg->tgisinternal && (trg->tgtype & TRIGGER_TYPE_INSERT))
				t->direct = false;
			if (!trg->tgisinternal && (trg->tgtype & TRIGGER_TYPE_UPDATE))
				t->direct_update = false;
		}
	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Relation	irel = index_open(lfirst_oid(lc), AccessShareLock);

		if (RelationGetIndexExpressions(irel) != NIL ||
			RelationGetIndexPredicate(irel) != NIL ||
			!irel->rd_index->indimmediate ||
			irel->rd_index->indisexclusion)
			t->direct = false;
		else if (t->key_col != NULL && !OidIsValid(t->key_index) &&
				 irel->rd_rel->relam == BTREE_AM_OID &&
				 irel->rd_index->indkey.values[0] > 0 &&
				 strcmp(NameStr(TupleDescAttr(desc, irel->rd_index->indkey.values[0] - 1)->attname),
						t->key_col) == 0)
			t->key_index = RelationGetRelid(irel);
		index_close(irel, AccessShareLock);
	}
	if (!t->direct)
		t->direct_update = false;
	seqs = getOwnedSequences(RelationGetRelid(rel));
	if (list_length(seqs) != 1)
		elog(ERROR, "pg_complaint: the identity sequence of %s is missing; reinstall the extension",
			 t->name);
	t->seq = linitial_oid(seqs);
	t->relid = RelationGetRelid(rel);
	t->epoch = pgc_relcache_epoch;
}

/*
 * pgc_direct_insert stores a tuple and its index entries the way
 * PostgreSQL's own catalog code does: no parse, plan or executor.
 */
void
pgc_direct_insert(Relation rel, HeapTuple tuple)
{
	CatalogIndexState indstate = CatalogOpenIndexes(rel);

	CatalogTupleInsertWithInfo(rel, tuple, indstate);
	CatalogCloseIndexes(indstate);
}

/*
 * pgc_direct_update replaces a row the caller read and holds (nobody else
 * may change it meanwhile), with index entries unless the update is HOT.
 */
void
pgc_direct_update(Relation rel, ItemPointer otid, HeapTuple tuple)
{
	CatalogIndexState indstate = CatalogOpenIndexes(rel);

	CatalogTupleUpdateWithInfo(rel, otid, tuple, indstate);
	CatalogCloseIndexes(indstate);
}

/* pgc_json_timestamptz renders an instant as a JSON string, ISO 8601 in UTC. */
char *
pgc_json_timestamptz(TimestampTz t)
{
	char		iso[MAXDATELEN + 1];
	const int	utc = 0;
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '"');
	appendStringInfoString(&buf, JsonEncodeDateTime(iso, TimestampTzGetDatum(t), TIMESTAMPTZOID, &utc));
	appendStringInfoChar(&buf, '"');
	return buf.data;
}

/* event_write_sql appends one event through SQL (see pgc_event_write). */
static void
event_write_sql(int64 complaint_id, TimestampTz at, const char *actor,
				const char *kind, const char *detail_json, bool imported)
{
	Datum		args[6];

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (event_plan == NULL)
	{
		Oid			argtypes[6] = {INT8OID, TIMESTAMPTZOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID};
		SPIPlanPtr	plan;

		plan = SPI_prepare("INSERT INTO complaint.event (complaint_id, at, actor, kind, detail, imported)"
						   " VALUES ($1, $2, $3, $4, $5::pg_catalog.jsonb, $6)", 6, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		event_plan = plan;
	}
	args[0] = Int64GetDatum(complaint_id);
	args[1] = TimestampTzGetDatum(at);
	args[2] = CStringGetTextDatum(actor);
	args[3] = CStringGetTextDatum(kind);
	args[4] = CStringGetTextDatum(detail_json);
	args[5] = BoolGetDatum(imported);
	if (SPI_execute_plan(event_plan, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "pg_complaint: writing complaint.event failed");
	SPI_finish();
}

/*
 * pgc_event_write appends one event.  This is the hottest write of the
 * rules (every change of a complaint), so it inserts the heap tuple and its
 * index entries directly, as PostgreSQL's own catalog code does, rather
 * than through SPI: no parse, plan or executor per event.  The table has
 * plain-column indexes only, no insert trigger of ours, and no role may
 * insert into it; the caller runs it as the table owner.
 */
void
pgc_event_write(int64 complaint_id, TimestampTz at, const char *actor,
				const char *kind, const char *detail_json, bool imported)
{
	Relation	rel = table_open(pgc_catalog()->event_rel, RowExclusiveLock);
	TupleDesc	desc = RelationGetDescr(rel);
	Datum	   *values = palloc0(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	HeapTuple	tuple;

	pgc_direct_map(rel, &event_table);
	if (!event_table.direct)
	{
		table_close(rel, NoLock);
		event_write_sql(complaint_id, at, actor, kind, detail_json, imported);
		return;
	}
	memset(nulls, true, sizeof(bool) * desc->natts);
	values[event_attnum[EV_ID]] = Int64GetDatum(nextval_internal(event_table.seq, false));
	values[event_attnum[EV_COMPLAINT_ID]] = Int64GetDatum(complaint_id);
	values[event_attnum[EV_AT]] = TimestampTzGetDatum(at);
	values[event_attnum[EV_ACTOR]] = CStringGetTextDatum(actor);
	values[event_attnum[EV_KIND]] = CStringGetTextDatum(kind);
	values[event_attnum[EV_DETAIL]] = DirectFunctionCall1(jsonb_in, CStringGetDatum(detail_json));
	values[event_attnum[EV_IMPORTED]] = BoolGetDatum(imported);
	nulls[event_attnum[EV_ID]] = false;
	nulls[event_attnum[EV_COMPLAINT_ID]] = false;
	nulls[event_attnum[EV_AT]] = false;
	nulls[event_attnum[EV_ACTOR]] = false;
	nulls[event_attnum[EV_KIND]] = false;
	nulls[event_attnum[EV_DETAIL]] = false;
	nulls[event_attnum[EV_IMPORTED]] = false;

	tuple = heap_form_tuple(desc, values, nulls);
	pgc_direct_insert(rel, tuple);
	heap_freetuple(tuple);
	table_close(rel, NoLock);
}

PG_FUNCTION_INFO_V1(pgc_event_append_only);

/*
 * pgc_event_append_only is complaint._event_append_only(): BEFORE UPDATE OR
 * DELETE (row) and BEFORE TRUNCATE (statement) on complaint.event.
 */
Datum
pgc_event_append_only(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	const char *op;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("complaint._event_append_only() must be called as a trigger")));
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		op = "UPDATE";
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		op = "DELETE";
	else if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		op = "TRUNCATE";
	else
		PG_RETURN_POINTER(trigdata->tg_trigtuple);
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("complaint history is append-only: %s on complaint.event is not allowed", op),
			 errdetail("Every change of a complaint is recorded once and kept."),
			 errhint("Record a correction as a new change of the complaint; its history keeps both.")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}
