/*-------------------------------------------------------------------------
 *
 * config_cache.c
 *	  Invalidation of everything pg_complaint compiles from its
 *	  configuration tables (calendars now; policies and rules later).
 *
 * Plain DML never sends a relcache invalidation, so every configuration
 * table carries a statement-level AFTER trigger, complaint._config_changed(),
 * that sends a transactional relcache invalidation of one sentinel relation
 * (complaint.calendar).  The relcache callback registered in _PG_init only
 * advances pgc_config_epoch; compiled objects remember the epoch they were
 * built at and are rebuilt lazily at their next use.  The callback never
 * reads catalogs and never frees memory.
 *
 * A backend normally processes invalidations when it takes a new lock.  A
 * calendar function used in a statement that touches no table would not, so
 * pgc_config_accept_invalidations() processes them once per top-level
 * statement: a change committed by one session is seen by every other
 * session at its next statement.
 *
 * Compiled objects replaced by a rebuild are not freed at once (a caller may
 * still hold a pointer into them): they are parked in a "retired" context
 * that is emptied at the start of the next statement.
 *
 * IDENTIFICATION
 *	  extension/src/config_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pg_complaint.h"
#include "storage/proc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

uint64		pgc_config_epoch = 1;
uint64		pgc_relcache_epoch = 1;

static Oid	sentinel_relid = InvalidOid;
static LocalTransactionId last_lxid = InvalidLocalTransactionId;
static TimestampTz last_statement = 0;
static MemoryContext retired_cxt = NULL;

/*
 * config_relcache_callback marks every compiled object stale when the
 * sentinel is invalidated, and every column map on any invalidation.
 */
static void
config_relcache_callback(Datum arg pg_attribute_unused(), Oid relid)
{
	pgc_relcache_epoch++;
	if (relid == InvalidOid || sentinel_relid == InvalidOid || relid == sentinel_relid)
		pgc_config_epoch++;
}

/* pgc_config_cache_init registers the callback; called once from _PG_init. */
void
pgc_config_cache_init(void)
{
	CacheRegisterRelcacheCallback(config_relcache_callback, (Datum) 0);
}

/*
 * pgc_config_sentinel returns (and remembers) the OID of the sentinel
 * relation, or InvalidOid when the extension's schema is not there.
 */
Oid
pgc_config_sentinel(void)
{
	Oid			nsp = get_namespace_oid("complaint", true);

	sentinel_relid = OidIsValid(nsp) ? get_relname_relid("calendar", nsp) : InvalidOid;
	return sentinel_relid;
}

/*
 * pgc_config_owner returns the owner of the configuration tables: caches are
 * loaded as that role, so what a backend compiles does not depend on the
 * privileges of whoever happens to use a calendar or policy first.  Kept
 * until the next relcache invalidation (ALTER ... OWNER sends one).
 */
Oid
pgc_config_owner(void)
{
	static Oid	owner = InvalidOid;
	static uint64 owner_epoch = 0;
	Oid			relid;
	HeapTuple	tup;

	if (OidIsValid(owner) && owner_epoch == pgc_relcache_epoch)
		return owner;
	relid = pgc_config_sentinel();
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("pg_complaint is not installed in this database"),
				 errhint("Run CREATE EXTENSION pg_complaint.")));
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	owner_epoch = pgc_relcache_epoch;
	ReleaseSysCache(tup);
	return owner;
}

/* pgc_switch_to_owner runs what follows as the given role (see header). */
void
pgc_switch_to_owner(Oid owner, PgcUserSwitch *sw)
{
	GetUserIdAndSecContext(&sw->save_userid, &sw->save_sec_context);
	SetUserIdAndSecContext(owner, sw->save_sec_context |
						   SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
}

/* pgc_switch_back undoes pgc_switch_to_owner. */
void
pgc_switch_back(PgcUserSwitch *sw)
{
	SetUserIdAndSecContext(sw->save_userid, sw->save_sec_context);
}

/*
 * pgc_config_snapshot is the snapshot a cache rebuild reads the configuration
 * with: the latest one, so that a rebuild sees every committed change whatever
 * the caller's isolation level. In parallel mode (a parallel worker, or the
 * leader while its workers run; calendar functions are PARALLEL SAFE) no new
 * snapshot may be taken: there the statement's snapshot is used, the one the
 * leader and its workers share, so every participant compiles the same rows.
 */
Snapshot
pgc_config_snapshot(void)
{
	if (IsInParallelMode())
		return ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	return GetLatestSnapshot();
}

/*
 * pgc_config_query runs one read of configuration rows, with a single text
 * parameter, under SPI and with the given snapshot (pgc_config_snapshot), so that a
 * rebuild sees every committed change whatever the caller's isolation.
 */
void
pgc_config_query(const char *sql, Datum *args, Snapshot snap)
{
	Oid			argtypes[1] = {TEXTOID};
	SPIPlanPtr	plan = SPI_prepare(sql, 1, argtypes);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (SPI_execute_snapshot(plan, args, NULL, snap, InvalidSnapshot, true, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "pg_complaint: reading the configuration failed: %s", sql);
}

/*
 * pgc_config_accept_invalidations processes pending invalidations once per
 * top-level statement, and frees objects retired by the previous statement.
 */
void
pgc_config_accept_invalidations(void)
{
	TimestampTz stmt = GetCurrentStatementStartTimestamp();

	if (MyProc->lxid == last_lxid && stmt == last_statement)
		return;
	last_lxid = MyProc->lxid;
	last_statement = stmt;
	AcceptInvalidationMessages();
	if (retired_cxt != NULL)
		MemoryContextReset(retired_cxt);
}

/* pgc_config_retire parks a replaced compiled object until the next statement. */
void
pgc_config_retire(MemoryContext cxt)
{
	if (retired_cxt == NULL)
		retired_cxt = AllocSetContextCreate(CacheMemoryContext,
											"pg_complaint retired config",
											ALLOCSET_SMALL_SIZES);
	MemoryContextSetParent(cxt, retired_cxt);
}

PG_FUNCTION_INFO_V1(pgc_config_changed);

/*
 * pgc_config_changed is complaint._config_changed(), the statement-level
 * AFTER trigger on every configuration table.
 */
Datum
pgc_config_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Oid			relid;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("complaint._config_changed() must be called as a trigger")));
	if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("complaint._config_changed() must be fired AFTER ... FOR EACH STATEMENT")));

	relid = pgc_config_sentinel();
	if (!OidIsValid(relid))
		relid = RelationGetRelid(trigdata->tg_relation);
	CacheInvalidateRelcacheByRelid(relid);
	PG_RETURN_POINTER(NULL);
}
