/*-------------------------------------------------------------------------
 *
 * policy.c
 *	  What the rules need to know about the database: the OIDs of the
 *	  extension's own objects (enum labels, tables, sequences, roles), and the
 *	  compiled policies (calendar, reference numbering, taxonomy).
 *
 * Both are per-backend caches rebuilt when the configuration epoch moves
 * (config_cache.c), read with the latest snapshot like the calendars.
 * Nothing on the per-row path reads a configuration table.
 *
 * IDENTIFICATION
 *	  extension/src/policy.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pg_complaint.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

const char *const pgc_status_names[PGC_NSTATUS] = {
	"new", "acknowledged", "assigned", "investigating", "pending_info",
	"proposed", "escalated", "external_review", "accepted", "follow_up",
	"closed", "rejected"
};

const char *const pgc_validity_names[PGC_NVALIDITY] = {
	"effective", "invalid", "suggestion"
};

static PgcCatalog catalog;
static uint64 catalog_epoch = 0;

/* enum_label_oid returns the OID of one label of an enum type. */
static Oid
enum_label_oid(Oid typid, const char *label)
{
	HeapTuple	tup = SearchSysCache2(ENUMTYPOIDNAME, ObjectIdGetDatum(typid),
									  CStringGetDatum(label));
	Oid			result;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "pg_complaint: enum label \"%s\" is missing; reinstall the extension", label);
	result = ((Form_pg_enum) GETSTRUCT(tup))->oid;
	ReleaseSysCache(tup);
	return result;
}

/* type_oid returns the OID of a type of schema complaint. */
static Oid
type_oid(Oid nsp, const char *name)
{
	Oid			typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										CStringGetDatum(name), ObjectIdGetDatum(nsp));

	if (!OidIsValid(typid))
		elog(ERROR, "pg_complaint: type complaint.%s is missing; reinstall the extension", name);
	return typid;
}

/*
 * pgc_catalog returns the OIDs of the extension's objects, looked up again
 * after every configuration invalidation (DROP/CREATE EXTENSION included).
 */
PgcCatalog *
pgc_catalog(void)
{
	Oid			nsp;
	Oid			typid;
	int			i;

	pgc_config_accept_invalidations();
	if (catalog_epoch == pgc_config_epoch)
		return &catalog;

	(void) pgc_config_sentinel();
	catalog_epoch = pgc_config_epoch;
	nsp = get_namespace_oid("complaint", false);
	catalog.namespace = nsp;
	catalog.complaint_rel = get_relname_relid("complaint", nsp);
	catalog.event_rel = get_relname_relid("event", nsp);
	catalog.ref_serial_seq = get_relname_relid("ref_serial", nsp);
	catalog.complaint_type = type_oid(nsp, "complaint");
	typid = type_oid(nsp, "status");
	for (i = 0; i < PGC_NSTATUS; i++)
		catalog.status_oid[i] = enum_label_oid(typid, pgc_status_names[i]);
	typid = type_oid(nsp, "validity");
	for (i = 0; i < PGC_NVALIDITY; i++)
		catalog.validity_oid[i] = enum_label_oid(typid, pgc_validity_names[i]);
	catalog.admin_role = get_role_oid("complaint_admin", true);
	return &catalog;
}

/* pgc_status_from_oid maps an enum value of complaint.status to PgcStatus. */
int
pgc_status_from_oid(Oid enumoid)
{
	int			i;

	for (i = 0; i < PGC_NSTATUS; i++)
		if (catalog.status_oid[i] == enumoid)
			return i;
	elog(ERROR, "pg_complaint: unknown status value %u", enumoid);
	return -1;					/* keep compiler quiet */
}

/* pgc_validity_from_oid maps an enum value of complaint.validity. */
int
pgc_validity_from_oid(Oid enumoid)
{
	int			i;

	for (i = 0; i < PGC_NVALIDITY; i++)
		if (catalog.validity_oid[i] == enumoid)
			return i;
	elog(ERROR, "pg_complaint: unknown validity value %u", enumoid);
	return -1;					/* keep compiler quiet */
}

/* pgc_is_admin: does the current user have the privileges of complaint_admin? */
bool
pgc_is_admin(void)
{
	PgcCatalog *cat = pgc_catalog();

	if (superuser())
		return true;
	return OidIsValid(cat->admin_role) && has_privs_of_role(GetUserId(), cat->admin_role);
}

/* ----------------------------------------------------------------
 * Compiled policies
 * ----------------------------------------------------------------
 */

#define POLICY_KEY_LEN 64

typedef struct PolicyEntry
{
	char		key[POLICY_KEY_LEN];
	uint64		epoch;
	MemoryContext cxt;
	PgcPolicy  *policy;
} PolicyEntry;

static HTAB *policy_cache = NULL;

/* unknown_policy reports a policy code that does not exist. */
static void
unknown_policy(const char *code, int len)
{
	ereport(ERROR,
			(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
			 errmsg("policy \"%.*s\" does not exist", len, code),
			 errhint("Policies are the rows of complaint.policy; install one with complaint.install_preset() or INSERT your own.")));
}

static int
cstring_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* load_policy reads one policy's rows into pol (CurrentMemoryContext). */
static void
load_policy(PgcPolicy *pol)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	SPIPlanPtr	plan;
	Snapshot	snap;
	bool		isnull;
	HeapTuple	tup;
	TupleDesc	desc;
	uint64		i;

	args[0] = CStringGetTextDatum(pol->code);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	snap = GetLatestSnapshot();

	plan = SPI_prepare("SELECT calendar, ref_prefix, ref_gapless, first_contact_resolution"
					   " FROM complaint.policy WHERE code = $1", 1, argtypes);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (SPI_execute_snapshot(plan, args, NULL, snap, InvalidSnapshot, true, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading complaint.policy failed");
	if (SPI_processed == 0)
		unknown_policy(pol->code, strlen(pol->code));
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	pol->calendar = MemoryContextStrdup(caller, TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull)));
	pol->ref_prefix = MemoryContextStrdup(caller, TextDatumGetCString(SPI_getbinval(tup, desc, 2, &isnull)));
	pol->ref_gapless = DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));
	pol->first_contact_resolution = DatumGetBool(SPI_getbinval(tup, desc, 4, &isnull));

	plan = SPI_prepare("SELECT code FROM complaint.category WHERE policy = $1", 1, argtypes);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (SPI_execute_snapshot(plan, args, NULL, snap, InvalidSnapshot, true, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading complaint.category failed");
	pol->ncategories = (int) SPI_processed;
	pol->categories = MemoryContextAlloc(caller, sizeof(char *) * Max(pol->ncategories, 1));
	for (i = 0; i < SPI_processed; i++)
		pol->categories[i] = MemoryContextStrdup(caller,
												 TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[i],
																				   SPI_tuptable->tupdesc, 1, &isnull)));
	SPI_finish();
	qsort(pol->categories, pol->ncategories, sizeof(char *), cstring_cmp);
}

/*
 * pgc_policy_get returns the compiled policy of a code; an unknown code is
 * an error (SQLSTATE 23503).
 */
PgcPolicy *
pgc_policy_get(const char *code, int len)
{
	char		key[POLICY_KEY_LEN];
	PolicyEntry *entry;
	bool		found;
	uint64		epoch;
	MemoryContext cxt;
	MemoryContext old;
	PgcPolicy  *pol;
	PgcUserSwitch sw;

	pgc_config_accept_invalidations();
	if (len <= 0 || len >= POLICY_KEY_LEN || memchr(code, '\0', len) != NULL)
		unknown_policy(code, len);
	if (policy_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = POLICY_KEY_LEN;
		ctl.entrysize = sizeof(PolicyEntry);
		ctl.hcxt = CacheMemoryContext;
		policy_cache = hash_create("pg_complaint policies", 16, &ctl,
								   HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	memset(key, 0, sizeof(key));
	memcpy(key, code, len);
	entry = hash_search(policy_cache, key, HASH_FIND, NULL);
	if (entry != NULL && entry->epoch == pgc_config_epoch)
		return entry->policy;

	(void) pgc_config_sentinel();
	epoch = pgc_config_epoch;
	cxt = AllocSetContextCreate(CurrentMemoryContext, "pg_complaint policy",
								ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(cxt);
	pol = palloc0(sizeof(PgcPolicy));
	pol->code = pstrdup(key);
	pgc_switch_to_owner(pgc_config_owner(), &sw);
	load_policy(pol);
	pgc_switch_back(&sw);
	MemoryContextSwitchTo(old);
	MemoryContextSetParent(cxt, CacheMemoryContext);

	entry = hash_search(policy_cache, key, HASH_ENTER, &found);
	if (found && entry->cxt != NULL)
		pgc_config_retire(entry->cxt);
	entry->epoch = epoch;
	entry->cxt = cxt;
	entry->policy = pol;
	return pol;
}

/* pgc_policy_has_category: is code (not NUL-terminated) in the taxonomy? */
bool
pgc_policy_has_category(PgcPolicy *pol, const char *code, int len)
{
	int			lo = 0,
				hi = pol->ncategories;

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;
		int			c = strncmp(pol->categories[mid], code, len);

		if (c == 0 && pol->categories[mid][len] != '\0')
			c = 1;
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* pgc_policy_category_list returns "a, b, c" for error details. */
char *
pgc_policy_category_list(PgcPolicy *pol)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < pol->ncategories; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", pol->categories[i]);
	if (pol->ncategories == 0)
		appendStringInfoString(&buf, "(none)");
	return buf.data;
}
