/*-------------------------------------------------------------------------
 *
 * policy.c
 *	  What the rules need to know about the database: the OIDs of the
 *	  extension's own objects (enum labels, tables, sequences, roles), and the
 *	  compiled policies (calendar, reference numbering, taxonomy, levels,
 *	  declared facts, compiled classification rules).
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
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

const char *const pgc_status_names[PGC_NSTATUS] = {
	"new", "acknowledged", "assigned", "investigating", "pending_info",
	"proposed", "escalated", "external_review", "accepted", "follow_up",
	"closed", "rejected"
};

const char *const pgc_channel_names[PGC_NCHANNEL] = {
	"phone", "email", "web", "forum", "letter", "in_person", "hotline", "review",
	"sales_feedback", "regulator", "other"
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
	typid = type_oid(nsp, "channel");
	for (i = 0; i < PGC_NCHANNEL; i++)
		catalog.channel_oid[i] = enum_label_oid(typid, pgc_channel_names[i]);
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

/* pgc_channel_name returns the label of a complaint.channel value. */
const char *
pgc_channel_name(Oid enumoid)
{
	int			i;

	for (i = 0; i < PGC_NCHANNEL; i++)
		if (catalog.channel_oid[i] == enumoid)
			return pgc_channel_names[i];
	elog(ERROR, "pg_complaint: unknown channel value %u", enumoid);
	return NULL;				/* keep compiler quiet */
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
category_cmp(const void *a, const void *b)
{
	return strcmp(((const PgcCategory *) a)->code, ((const PgcCategory *) b)->code);
}

static int
fact_cmp(const void *a, const void *b)
{
	return strcmp(((const PgcFactDecl *) a)->key, ((const PgcFactDecl *) b)->key);
}

static char *
get_text(HeapTuple tup, TupleDesc desc, int col, MemoryContext cxt)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? NULL : MemoryContextStrdup(cxt, TextDatumGetCString(d));
}

/* status_index returns the PgcStatus of a status name (-1 if unknown). */
static int
status_index(const char *name)
{
	int			k;

	for (k = 0; name && k < PGC_NSTATUS; k++)
		if (strcmp(name, pgc_status_names[k]) == 0)
			return k;
	return -1;
}

/* status_bits turns a text[] of status names into a bit set. */
static uint32
status_bits(Datum arr, bool isnull)
{
	Datum	   *elems;
	bool	   *enulls;
	int			n,
				k;
	uint32		bits = 0;

	if (isnull)
		return 0;
	deconstruct_array(DatumGetArrayTypeP(arr), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &enulls, &n);
	for (k = 0; k < n; k++)
	{
		int			st = enulls[k] ? -1 : status_index(TextDatumGetCString(elems[k]));

		if (st >= 0)
			bits |= (uint32) 1 << st;
	}
	return bits;
}

/*
 * load_policy reads one policy's rows (policy, categories, levels, facts,
 * rules) and compiles its rules, allocating in CurrentMemoryContext.
 */
static void
load_policy(PgcPolicy *pol, bool with_rules)
{
	MemoryContext caller = CurrentMemoryContext;
	Datum		args[1];
	Snapshot	snap;
	bool		isnull;
	HeapTuple	tup;
	TupleDesc	desc;
	uint64		i;
	int			nrules;
	char	  **rule_name;
	char	  **rule_level;
	bool	   *rule_note;
	char	  **rule_zh;
	char	  **rule_en;
	Jsonb	  **rule_cond;
	PgcRuleScope scope;
	int			r,
				out;
	int			nsla;
	Jsonb	  **sla_cond;

	args[0] = CStringGetTextDatum(pol->code);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	snap = pgc_config_snapshot();

	pgc_config_query("SELECT calendar, ref_prefix, ref_gapless, first_contact_resolution, strict_facts"
			  " FROM complaint.policy WHERE code OPERATOR(pg_catalog.=) $1", args, snap);
	if (SPI_processed == 0)
		unknown_policy(pol->code, strlen(pol->code));
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	pol->calendar = get_text(tup, desc, 1, caller);
	pol->ref_prefix = get_text(tup, desc, 2, caller);
	pol->ref_gapless = DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));
	pol->first_contact_resolution = DatumGetBool(SPI_getbinval(tup, desc, 4, &isnull));
	pol->strict_facts = DatumGetBool(SPI_getbinval(tup, desc, 5, &isnull));

	pgc_config_query("SELECT code, validity::pg_catalog.text FROM complaint.category"
			  " WHERE policy OPERATOR(pg_catalog.=) $1", args, snap);
	pol->ncategories = (int) SPI_processed;
	pol->categories = MemoryContextAllocZero(caller, sizeof(PgcCategory) * Max(pol->ncategories, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *v;
		int			k;

		pol->categories[i].code = get_text(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, caller);
		v = get_text(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, caller);
		pol->categories[i].validity = -1;
		for (k = 0; v && k < PGC_NVALIDITY; k++)
			if (strcmp(v, pgc_validity_names[k]) == 0)
				pol->categories[i].validity = k;
	}
	qsort(pol->categories, pol->ncategories, sizeof(PgcCategory), category_cmp);

	pgc_config_query("SELECT code, rank::pg_catalog.int4, name_zh, name_en, announce FROM complaint.level"
			  " WHERE policy OPERATOR(pg_catalog.=) $1 ORDER BY rank DESC", args, snap);
	pol->nlevels = (int) SPI_processed;
	pol->levels = MemoryContextAllocZero(caller, sizeof(PgcLevel) * Max(pol->nlevels, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		tup = SPI_tuptable->vals[i];
		desc = SPI_tuptable->tupdesc;
		pol->levels[i].code = get_text(tup, desc, 1, caller);
		pol->levels[i].rank = DatumGetInt32(SPI_getbinval(tup, desc, 2, &isnull));
		pol->levels[i].name_zh = get_text(tup, desc, 3, caller);
		pol->levels[i].name_en = get_text(tup, desc, 4, caller);
		pol->levels[i].announce = DatumGetBool(SPI_getbinval(tup, desc, 5, &isnull));
	}

	pgc_config_query("SELECT key, type, allowed, default_value FROM complaint.fact"
			  " WHERE policy OPERATOR(pg_catalog.=) $1",
			  args, snap);
	pol->nfacts = (int) SPI_processed;
	pol->facts = MemoryContextAllocZero(caller, sizeof(PgcFactDecl) * Max(pol->nfacts, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		PgcFactDecl *f = &pol->facts[i];
		char	   *type;
		Datum		d;

		tup = SPI_tuptable->vals[i];
		desc = SPI_tuptable->tupdesc;
		f->key = get_text(tup, desc, 1, caller);
		type = get_text(tup, desc, 2, caller);
		f->type = strcmp(type, "boolean") == 0 ? PGC_FT_BOOL :
			strcmp(type, "number") == 0 ? PGC_FT_NUM : PGC_FT_TEXT;
		d = SPI_getbinval(tup, desc, 3, &isnull);
		if (!isnull)
		{
			Datum	   *elems;
			bool	   *enulls;
			int			n,
						k;
			MemoryContext old = MemoryContextSwitchTo(caller);

			deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
							  &elems, &enulls, &n);
			f->allowed = palloc(sizeof(char *) * Max(n, 1));
			for (k = 0; k < n; k++)
				if (!enulls[k])
					f->allowed[f->nallowed++] = TextDatumGetCString(elems[k]);
			MemoryContextSwitchTo(old);
		}
		d = SPI_getbinval(tup, desc, 4, &isnull);
		if (!isnull)
		{
			Jsonb	   *jb = DatumGetJsonbP(d);
			JsonbValue	v;

			if (JsonbExtractScalar(&jb->root, &v))
			{
				f->has_default = true;
				if (v.type == jbvBool)
					f->def_bool = v.val.boolean;
				else if (v.type == jbvNumeric)
					f->def_num = DatumGetFloat8(DirectFunctionCall1(numeric_float8,
																	NumericGetDatum(v.val.numeric)));
				else if (v.type == jbvString)
					f->def_text = MemoryContextStrdup(caller, pnstrdup(v.val.string.val, v.val.string.len));
				else
					f->has_default = false;
			}
		}
	}
	qsort(pol->facts, pol->nfacts, sizeof(PgcFactDecl), fact_cmp);

	pgc_config_query("SELECT r.name, r.level, r.kind OPERATOR(pg_catalog.=) 'note', r.reason_zh, r.reason_en, r.condition"
			  " FROM complaint.rule r LEFT JOIN complaint.level l"
			  "   ON l.policy OPERATOR(pg_catalog.=) r.policy AND l.code OPERATOR(pg_catalog.=) r.level"
			  " WHERE r.policy OPERATOR(pg_catalog.=) $1 AND r.enabled ORDER BY l.rank DESC NULLS LAST, r.name", args, snap);
	nrules = (int) SPI_processed;
	rule_name = palloc(sizeof(char *) * Max(nrules, 1));
	rule_level = palloc(sizeof(char *) * Max(nrules, 1));
	rule_note = palloc(sizeof(bool) * Max(nrules, 1));
	rule_zh = palloc(sizeof(char *) * Max(nrules, 1));
	rule_en = palloc(sizeof(char *) * Max(nrules, 1));
	rule_cond = palloc(sizeof(Jsonb *) * Max(nrules, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		MemoryContext old;

		tup = SPI_tuptable->vals[i];
		desc = SPI_tuptable->tupdesc;
		rule_name[i] = get_text(tup, desc, 1, caller);
		rule_level[i] = get_text(tup, desc, 2, caller);
		rule_note[i] = DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));
		rule_zh[i] = get_text(tup, desc, 4, caller);
		rule_en[i] = get_text(tup, desc, 5, caller);
		old = MemoryContextSwitchTo(caller);
		rule_cond[i] = DatumGetJsonbPCopy(SPI_getbinval(tup, desc, 6, &isnull));
		MemoryContextSwitchTo(old);
	}

	pgc_config_query("SELECT name, kind, condition, anchor, anchor_value, measure, amount, days,"
					 " met_by::pg_catalog.text[], met_by_notification, pause_in::pg_catalog.text[],"
					 " repeat_every, restart"
					 " FROM complaint.sla_rule WHERE policy OPERATOR(pg_catalog.=) $1 AND enabled"
					 " ORDER BY kind, seq, name", args, snap);
	nsla = (int) SPI_processed;
	pol->sla = MemoryContextAllocZero(caller, sizeof(PgcSla) * Max(nsla, 1));
	sla_cond = palloc0(sizeof(Jsonb *) * Max(nsla, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		PgcSla	   *sl = &pol->sla[i];
		char	   *anchor;
		char	   *measure;
		char	   *anchor_value;
		Datum		d;
		MemoryContext old;

		tup = SPI_tuptable->vals[i];
		desc = SPI_tuptable->tupdesc;
		sl->name = get_text(tup, desc, 1, caller);
		sl->kind = get_text(tup, desc, 2, caller);
		d = SPI_getbinval(tup, desc, 3, &isnull);
		if (!isnull)
		{
			old = MemoryContextSwitchTo(caller);
			sla_cond[i] = DatumGetJsonbPCopy(d);
			MemoryContextSwitchTo(old);
		}
		anchor = get_text(tup, desc, 4, caller);
		anchor_value = get_text(tup, desc, 5, caller);
		sl->anchor = strcmp(anchor, "status") == 0 ? PGC_ANCHOR_STATUS :
			strcmp(anchor, "level") == 0 ? PGC_ANCHOR_LEVEL : PGC_ANCHOR_RECEIPT;
		if (sl->anchor == PGC_ANCHOR_STATUS)
			sl->anchor_status = status_index(anchor_value);
		else if (sl->anchor == PGC_ANCHOR_LEVEL)
			sl->anchor_level = anchor_value;
		measure = get_text(tup, desc, 6, caller);
		sl->measure = strcmp(measure, "working_time") == 0 ? PGC_M_WORKING :
			strcmp(measure, "calendar_time") == 0 ? PGC_M_CALENDAR :
			strcmp(measure, "workdays") == 0 ? PGC_M_WORKDAYS :
			strcmp(measure, "end_of_day") == 0 ? PGC_M_END_OF_DAY : PGC_M_AFTER_OPENING;
		d = SPI_getbinval(tup, desc, 7, &isnull);
		if (!isnull)
			sl->amount = *DatumGetIntervalP(d);
		d = SPI_getbinval(tup, desc, 8, &isnull);
		if (!isnull)
			sl->days = DatumGetInt32(d);
		d = SPI_getbinval(tup, desc, 9, &isnull);
		sl->met_by = status_bits(d, isnull);
		sl->met_by_notification = DatumGetBool(SPI_getbinval(tup, desc, 10, &isnull));
		d = SPI_getbinval(tup, desc, 11, &isnull);
		sl->pause_in = status_bits(d, isnull);
		d = SPI_getbinval(tup, desc, 12, &isnull);
		sl->has_repeat = !isnull;
		if (!isnull)
			sl->repeat_every = *DatumGetIntervalP(d);
		sl->restart = DatumGetBool(SPI_getbinval(tup, desc, 13, &isnull));
	}
	SPI_finish();

	if (!with_rules)
		return;

	/* compile the rules against this policy */
	scope.policy = pol->code;
	scope.nfacts = pol->nfacts;
	scope.facts = pol->facts;
	scope.ncategories = pol->ncategories;
	scope.categories = pol->categories;
	pol->rules = palloc0(sizeof(PgcRule) * Max(nrules, 1));
	out = 0;
	for (r = 0; r < nrules; r++)
	{
		PgcRule    *rule = &pol->rules[out];

		rule->name = rule_name[r];
		rule->note = rule_note[r];
		rule->level = rule_level[r] ? pgc_level_index(pol, rule_level[r], strlen(rule_level[r])) : -1;
		if (!rule->note && rule->level < 0)
			continue;			/* cannot happen: foreign key */
		rule->reason_zh = rule_zh[r];
		rule->reason_en = rule_en[r];
		rule->cond = pgc_rule_compile(rule_cond[r], &scope, rule->name,
									  &pol->read_cols, &pol->reads_facts, &pol->has_similar);
		out++;
	}
	pol->nrules = out;

	/* SLA conditions, against the same scope */
	for (r = 0; r < nsla; r++)
		if (sla_cond[r] != NULL)
			pol->sla[r].cond = pgc_rule_compile(sla_cond[r], &scope, pol->sla[r].name,
												&pol->sla_read_cols, &pol->sla_reads_facts, NULL);
	pol->nsla = nsla;
}

/* pgc_level_index returns the index of a level code in pol->levels, or -1. */
int
pgc_level_index(PgcPolicy *pol, const char *code, int len)
{
	int			i;

	for (i = 0; i < pol->nlevels; i++)
		if (strncmp(pol->levels[i].code, code, len) == 0 && pol->levels[i].code[len] == '\0')
			return i;
	return -1;
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
	load_policy(pol, true);
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

/*
 * pgc_policy_scope returns a policy's categories, levels and facts read
 * afresh, not from the cache and without its rules: what a rule being
 * written (or re-checked after a change of facts) may refer to right now.
 */
PgcPolicy *
pgc_policy_scope(const char *code)
{
	PgcPolicy  *pol = palloc0(sizeof(PgcPolicy));
	PgcUserSwitch sw;

	(void) pgc_catalog();
	pol->code = pstrdup(code);
	pgc_switch_to_owner(pgc_config_owner(), &sw);
	load_policy(pol, false);
	pgc_switch_back(&sw);
	return pol;
}

/* pgc_policy_level_list returns "a, b, c" (most severe first) for error details. */
char *
pgc_policy_level_list(PgcPolicy *pol)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < pol->nlevels; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", pol->levels[i].code);
	if (pol->nlevels == 0)
		appendStringInfoString(&buf, "(none)");
	return buf.data;
}

/* pgc_policy_category_list returns "a, b, c" for error details. */
char *
pgc_policy_category_list(PgcPolicy *pol)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < pol->ncategories; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", pol->categories[i].code);
	if (pol->ncategories == 0)
		appendStringInfoString(&buf, "(none)");
	return buf.data;
}

/* ----------------------------------------------------------------
 * Guarding configuration that complaints refer to
 * ----------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(pgc_complaints_use);

/*
 * pgc_complaints_use is complaint._complaints_use(policy, category, level):
 * whether any complaint has that policy (and category, or level), or, with
 * policy NULL, whether there is any complaint at all.  The guards of the
 * configuration tables call it before a policy, category or level is
 * deleted, renamed or truncated.
 *
 * complaint.complaint has no foreign keys to the configuration: the row
 * trigger checks policy and category against the compiled policy, and this
 * guard closes the race a foreign key would: it takes SHARE on
 * complaint.complaint (so that no complaint is being written until this
 * transaction ends: writers already running are waited for, new ones wait
 * and then see the new configuration), and reads with the latest snapshot
 * (whatever the isolation level), as the table owner (row-level security
 * does not hide rows from it).
 */
Datum
pgc_complaints_use(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plans[4];
	static const char *const queries[4] = {
		"SELECT 1 FROM complaint.complaint LIMIT 1",
		"SELECT 1 FROM complaint.complaint WHERE policy OPERATOR(pg_catalog.=) $1 LIMIT 1",
		"SELECT 1 FROM complaint.complaint WHERE policy OPERATOR(pg_catalog.=) $1"
		" AND category OPERATOR(pg_catalog.=) $2 LIMIT 1",
		"SELECT 1 FROM complaint.complaint WHERE policy OPERATOR(pg_catalog.=) $1"
		" AND level OPERATOR(pg_catalog.=) $2 LIMIT 1"
	};
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		args[2];
	int			q;
	int			nargs;
	bool		found;
	PgcUserSwitch sw;
	Oid			relid = pgc_catalog()->complaint_rel;

	if (PG_ARGISNULL(0))
		q = 0;
	else if (!PG_ARGISNULL(1))
		q = 2;
	else if (!PG_ARGISNULL(2))
		q = 3;
	else
		q = 1;
	nargs = q == 0 ? 0 : (q == 1 ? 1 : 2);
	if (q >= 1)
		args[0] = PG_GETARG_DATUM(0);
	if (q == 2)
		args[1] = PG_GETARG_DATUM(1);
	if (q == 3)
		args[1] = PG_GETARG_DATUM(2);

	LockRelationOid(relid, ShareLock);
	pgc_switch_to_owner(pgc_config_owner(), &sw);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (plans[q] == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(queries[q], nargs, argtypes);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		plans[q] = plan;
	}
	if (SPI_execute_snapshot(plans[q], args, NULL, GetLatestSnapshot(), InvalidSnapshot,
							 true, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "pg_complaint: reading complaint.complaint failed");
	found = SPI_processed > 0;
	SPI_finish();
	pgc_switch_back(&sw);
	PG_RETURN_BOOL(found);
}
