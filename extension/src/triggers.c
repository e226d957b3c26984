/*-------------------------------------------------------------------------
 *
 * triggers.c
 *	  The two trigger pipelines of complaint.complaint.
 *
 *	  BEFORE INSERT OR UPDATE (row):
 *		validate input -> immutable columns -> workflow transition and
 *		preconditions -> stamps -> classification -> deadlines -> (insert:
 *		the "created" event and the deadline rows) -> reference number (last:
 *		it takes the gap-free counter lock as late as possible)
 *	  AFTER INSERT OR UPDATE OR DELETE (row):
 *		history events and deadline rows of changes and deletions, raised
 *		clusters, announcements
 *
 * Each stage works on a deformed row (values/nulls arrays) and a column map
 * built from the table's descriptor, so attach() can later run the same
 * stages on a row mapped from an application table.  "Now" is the
 * statement's timestamp, read once per row.
 *
 * Rows restored by pg_restore (inserted by a superuser with their reference
 * number already set) are taken as they are: no rule, no new history.
 *
 * IDENTIFICATION
 *	  extension/src/triggers.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "executor/tuptable.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "pg_complaint.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

const char *const pgc_col_names[PGC_NCOLS] = {
	"id", "ref", "policy", "received_at", "channel", "category", "subject",
	"body", "complainant", "contact", "customer_type", "unit", "handler",
	"collective_size", "amount", "facts", "validity", "status", "level",
	"level_reasons", "reopen_count", "satisfaction", "next_due_at",
	"resolved_at", "closed_at", "created_at", "updated_at", "breached",
	"recheck_at"
};

#define col_names pgc_col_names

/* Limits on free text, so that an absurd value is refused with a clear error. */
#define PGC_MAX_SUBJECT_CHARS	500
#define PGC_MAX_SHORT_CHARS		200
#define PGC_MAX_BODY_BYTES		(1024 * 1024)
#define PGC_MAX_FACTS_BYTES		(64 * 1024)
#define PGC_FUTURE_MARGIN_USECS (5 * 60 * USECS_PER_SEC)

/* column map of one relation */
typedef struct ColMap
{
	Oid			relid;
	uint64		epoch;
	int			natts;
	int			attnum[PGC_NCOLS];	/* 0-based index into values[] */
} ColMap;

static ColMap colmap;

typedef PgcRow Row;

static bool column_changed(Relation rel, Row *oldrow, Row *newrow, PgcCol c);

#define VAL(r, c)	PGC_VAL(r, c)
#define ISNULL(r, c) PGC_ISNULL(r, c)

/*
 * pgc_colmap_build maps every PgcCol to its attribute index in a descriptor
 * of complaint.complaint (or of its row type).
 */
void
pgc_colmap_build(TupleDesc desc, int *attnum, const char *relname)
{
	int			c,
				i;

	for (c = 0; c < PGC_NCOLS; c++)
	{
		attnum[c] = -1;
		for (i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && strcmp(NameStr(att->attname), col_names[c]) == 0)
			{
				attnum[c] = i;
				break;
			}
		}
		if (attnum[c] < 0)
			elog(ERROR, "pg_complaint: column \"%s\" of %s is missing; reinstall the extension",
				 col_names[c], relname);
	}
}

/* load_colmap builds the column map of the trigger's relation when needed. */
static void
load_colmap(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (colmap.relid == RelationGetRelid(rel) && colmap.epoch == pgc_relcache_epoch &&
		colmap.natts == desc->natts)
		return;
	pgc_colmap_build(desc, colmap.attnum, RelationGetRelationName(rel));
	colmap.relid = RelationGetRelid(rel);
	colmap.epoch = pgc_relcache_epoch;
	colmap.natts = desc->natts;
}

/* deform fills a Row from a tuple (in CurrentMemoryContext). */
static void
deform(Relation rel, HeapTuple tuple, Row *row)
{
	int			natts = RelationGetDescr(rel)->natts;

	row->values = palloc(sizeof(Datum) * natts);
	row->nulls = palloc(sizeof(bool) * natts);
	row->attnum = colmap.attnum;
	heap_deform_tuple(tuple, RelationGetDescr(rel), row->values, row->nulls);
}

static inline void
set_value(Row *row, PgcCol c, Datum v, bool isnull)
{
	row->values[colmap.attnum[c]] = v;
	row->nulls[colmap.attnum[c]] = isnull;
}

/*
 * raw_bytes returns the uncompressed byte length of a varlena column (0 for
 * NULL): a value copied from another table may arrive compressed or toasted.
 */
static inline int64
raw_bytes(Row *row, PgcCol c)
{
	return ISNULL(row, c) ? 0 : (int64) toast_raw_datum_size(VAL(row, c)) - VARHDRSZ;
}

static inline char *
text_cstring(Row *row, PgcCol c)
{
	return ISNULL(row, c) ? NULL : TextDatumGetCString(VAL(row, c));
}

/* has_text: is a text column non-NULL and not blank? */
static bool
has_text(Row *row, PgcCol c)
{
	text	   *t;
	const char *p;
	int			len,
				i;

	if (ISNULL(row, c))
		return false;
	t = DatumGetTextPP(VAL(row, c));
	p = VARDATA_ANY(t);
	len = VARSIZE_ANY_EXHDR(t);
	for (i = 0; i < len; i++)
		if (!isspace((unsigned char) p[i]))
			return true;
	return false;
}

/* check_length refuses absurdly long free text. */
static void
check_length(Row *row, PgcCol c, int max_chars)
{
	text	   *t;
	int			chars;

	if (ISNULL(row, c))
		return;
	t = DatumGetTextPP(VAL(row, c));
	if ((int) VARSIZE_ANY_EXHDR(t) <= max_chars)
		return;					/* fewer bytes than the limit: fewer chars */
	chars = pg_mbstrlen_with_len(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	if (chars > max_chars)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("complaint %s is too long (%d characters)", col_names[c], chars),
				 errdetail("The limit is %d characters.", max_chars),
				 errhint("Put long text into body.")));
}

/*
 * validate_row checks what every insert and update must satisfy and returns
 * the compiled policy.  The CHECK constraints of the table repeat the simple
 * ones; these errors come first and say more.
 */
static PgcPolicy *
validate_row(Row *row)
{
	PgcPolicy  *pol;
	text	   *t;

	if (ISNULL(row, C_POLICY))
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a complaint needs a policy"),
				 errhint("Set policy to a code of complaint.policy.")));
	t = DatumGetTextPP(VAL(row, C_POLICY));
	pol = pgc_policy_get(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	if (ISNULL(row, C_SUBJECT))
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a complaint needs a subject"),
				 errhint("Set subject to a short description of the complaint.")));
	if (!has_text(row, C_SUBJECT))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("the subject of a complaint cannot be blank"),
				 errhint("Set subject to a short description of the complaint.")));
	check_length(row, C_SUBJECT, PGC_MAX_SUBJECT_CHARS);
	check_length(row, C_COMPLAINANT, PGC_MAX_SHORT_CHARS);
	check_length(row, C_CONTACT, PGC_MAX_SHORT_CHARS);
	check_length(row, C_CUSTOMER_TYPE, PGC_MAX_SHORT_CHARS);
	check_length(row, C_UNIT, PGC_MAX_SHORT_CHARS);
	check_length(row, C_HANDLER, PGC_MAX_SHORT_CHARS);
	if (raw_bytes(row, C_BODY) > PGC_MAX_BODY_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("complaint body is too long (%lld bytes)", (long long) raw_bytes(row, C_BODY)),
				 errdetail("The limit is %d bytes.", PGC_MAX_BODY_BYTES),
				 errhint("Store attachments and long documents elsewhere and reference them.")));
	if (raw_bytes(row, C_FACTS) > PGC_MAX_FACTS_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("complaint facts are too large (%lld bytes)", (long long) raw_bytes(row, C_FACTS)),
				 errdetail("The limit is %d bytes.", PGC_MAX_FACTS_BYTES)));
	if (!ISNULL(row, C_FACTS))
	{
		Jsonb	   *facts = DatumGetJsonbP(VAL(row, C_FACTS));

		if (!JB_ROOT_IS_OBJECT(facts) || JB_ROOT_IS_SCALAR(facts))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("complaint facts must be a JSON object"),
					 errhint("Write facts as {\"name\": value, ...}, e.g. '{\"lawsuit_filed\": true}'.")));
	}

	if (!ISNULL(row, C_CATEGORY))
	{
		text	   *cat = DatumGetTextPP(VAL(row, C_CATEGORY));

		if (!pgc_category_find(pol->ncategories, pol->categories, VARDATA_ANY(cat), VARSIZE_ANY_EXHDR(cat)))
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("category \"%s\" is not in the taxonomy of policy \"%s\"",
							text_to_cstring(cat), pol->code),
					 errdetail("Categories of policy \"%s\": %s.", pol->code,
							   pgc_policy_category_list(pol)),
					 errhint("Use one of those codes, or NULL.")));
	}
	if (!ISNULL(row, C_FACTS))
		pgc_check_facts(pol, DatumGetJsonbP(VAL(row, C_FACTS)));

	/* a category may imply a validity class (fuel_retail: a competitor's complaint is invalid) */
	if (!ISNULL(row, C_CATEGORY))
	{
		text	   *cat = DatumGetTextPP(VAL(row, C_CATEGORY));
		PgcCategory *pc = pgc_category_find(pol->ncategories, pol->categories,
											VARDATA_ANY(cat), VARSIZE_ANY_EXHDR(cat));

		if (pc != NULL && pc->validity >= 0)
		{
			int			validity = ISNULL(row, C_VALIDITY) ? -1 :
			pgc_validity_from_oid(DatumGetObjectId(VAL(row, C_VALIDITY)));

			if (validity < 0)
				set_value(row, C_VALIDITY, ObjectIdGetDatum(pgc_catalog()->validity_oid[pc->validity]), false);
			else if (validity != pc->validity)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("category \"%s\" of policy \"%s\" is a class of %s complaints, not %s",
								pc->code, pol->code, pgc_validity_names[pc->validity],
								pgc_validity_names[validity]),
						 errhint("Choose a category of the validity class, or leave validity out to have it set from the category.")));
		}
	}

	/* the level, when given, is one of the policy's */
	if (!ISNULL(row, C_LEVEL))
	{
		text	   *lv = DatumGetTextPP(VAL(row, C_LEVEL));

		if (pgc_level_index(pol, VARDATA_ANY(lv), VARSIZE_ANY_EXHDR(lv)) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("level \"%s\" is not a level of policy \"%s\"", text_to_cstring(lv), pol->code),
					 errdetail("Levels of policy \"%s\", most severe first: %s.", pol->code,
							   pgc_policy_level_list(pol))));
	}
	return pol;
}

/* ----------------------------------------------------------------
 * Classification stage
 * ----------------------------------------------------------------
 */

/* set while the rules raise the open complaints of a cluster (no reclassification) */
static bool in_cluster_raise = false;
static char *actor_override = NULL;

static int
row_level(PgcPolicy *pol, Row *row)
{
	text	   *lv;

	if (ISNULL(row, C_LEVEL))
		return -1;
	lv = DatumGetTextPP(VAL(row, C_LEVEL));
	return pgc_level_index(pol, VARDATA_ANY(lv), VARSIZE_ANY_EXHDR(lv));
}

/* more_severe: is level a more severe than level b (-1: none)? */
static inline bool
more_severe(PgcPolicy *pol, int a, int b)
{
	if (a < 0)
		return false;
	if (b < 0)
		return true;
	return pol->levels[a].rank > pol->levels[b].rank;
}

static void
set_level(Row *row, PgcPolicy *pol, int level, Datum reasons)
{
	set_value(row, C_LEVEL, CStringGetTextDatum(pol->levels[level].code), false);
	set_value(row, C_LEVEL_REASONS, reasons, false);
}

static Datum
one_reason(const char *fmt, const char *a, const char *b, const char *c)
{
	Datum		d = CStringGetTextDatum(psprintf(fmt, a, b, c));

	return PointerGetDatum(construct_array(&d, 1, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * Raising a cluster updates other complaints, which the BEFORE trigger must
 * not do: a multi-row UPDATE may yet update one of them itself ("tuple
 * already modified by an operation triggered by the current command").  So
 * the BEFORE trigger queues what to raise, and the AFTER trigger of the same
 * row raises it, once every row of the statement is stored.  The queue lives
 * in the transaction's memory; an entry whose row never reached its AFTER
 * trigger (an error) is simply never used.
 */
typedef struct PendingRaise
{
	int64		id;
	PgcPolicy  *pol;			/* valid until the next statement (retired, not freed) */
	PgcClassification cls;
} PendingRaise;

static List *pending_raises = NIL;
static LocalTransactionId pending_lxid = InvalidLocalTransactionId;

/* queue_raise remembers the clusters a complaint brought to their threshold. */
static void
queue_raise(PgcPolicy *pol, Row *row, PgcClassification *cls)
{
	MemoryContext old;
	PendingRaise *pr;
	int			i;

	if (cls->nraise == 0)
		return;
	if (pending_lxid != MyProc->lxid)
	{
		pending_raises = NIL;	/* the old list went with its transaction */
		pending_lxid = MyProc->lxid;
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	pr = palloc0(sizeof(PendingRaise));
	pr->id = DatumGetInt64(VAL(row, C_ID));
	pr->pol = pol;
	pr->cls.nraise = cls->nraise;
	pr->cls.raise_cond = palloc(sizeof(PgcCond *) * cls->nraise);
	pr->cls.raise_level = palloc(sizeof(int) * cls->nraise);
	pr->cls.raise_reason = palloc(sizeof(char *) * cls->nraise);
	for (i = 0; i < cls->nraise; i++)
	{
		pr->cls.raise_cond[i] = cls->raise_cond[i];
		pr->cls.raise_level[i] = cls->raise_level[i];
		pr->cls.raise_reason[i] = pstrdup(cls->raise_reason[i]);
	}
	pending_raises = lappend(pending_raises, pr);
	MemoryContextSwitchTo(old);
}

/* take_raise returns (and forgets) the queued raise of a complaint, if any. */
static PendingRaise *
take_raise(int64 id)
{
	ListCell   *lc;
	PendingRaise *found = NULL;

	if (pending_lxid != MyProc->lxid || pending_raises == NIL)
		return NULL;
	foreach(lc, pending_raises)
	{
		PendingRaise *pr = lfirst(lc);

		if (pr->id == id)
			found = pr;			/* the latest one counts */
	}
	if (found)
		pending_raises = list_delete_ptr(pending_raises, found);
	return found;
}

/* raise_clusters raises the open earlier complaints of fired similar rules. */
static void
raise_clusters(PgcPolicy *pol, Row *row, PgcClassification *cls, const char *ref)
{
	char	   *user = GetUserNameFromId(GetUserId(), false);
	char	   *saved_actor = actor_override;

	if (cls->nraise == 0)
		return;
	PG_TRY();
	{
		in_cluster_raise = true;
		actor_override = saved_actor ? saved_actor : user;
		pgc_raise_clusters(pol, row, cls, ref);
	}
	PG_FINALLY();
	{
		in_cluster_raise = false;
		actor_override = saved_actor;
	}
	PG_END_TRY();
}

/*
 * pgc_set_actor names the user that history records for changes the rules
 * make on someone's behalf (the trigger of an attached table runs as the
 * extension's owner); NULL restores current_user.  Returns the previous one.
 */
char *
pgc_set_actor(char *actor)
{
	char	   *old = actor_override;

	actor_override = actor;
	return old;
}

/*
 * classify_insert sets the level of a new complaint: the classifier's, or a
 * more severe one given in the INSERT.
 */
static void
classify_insert(Row *row, PgcPolicy *pol, TimestampTz now, PgcClassification *cls)
{
	int			given;

	memset(cls, 0, sizeof(*cls));
	if (pol->nlevels == 0)
		return;
	given = row_level(pol, row);
	pgc_classify(pol, row, true, now, cls);
	if (more_severe(pol, given, cls->level))
		set_level(row, pol, given,
				  one_reason("manual: %s / %s (set by %s at receipt)", pol->levels[given].name_zh,
							 pol->levels[given].name_en, GetUserNameFromId(GetUserId(), false)));
	else
		set_level(row, pol, cls->level, pgc_reasons_datum(cls));
}

/*
 * classify_update reclassifies a changed complaint when an input of the
 * rules changed or the level was set by hand.  Levels only go up
 * automatically; only complaint_admin lowers one (the level event records
 * it).
 */
static void
classify_update(Relation rel, Row *oldrow, Row *newrow, PgcPolicy *pol, TimestampTz now,
				const char *ref, bool force)
{
	PgcClassification cls;
	bool		level_set = column_changed(rel, oldrow, newrow, C_LEVEL);
	bool		inputs = false;
	int			c;
	int			old_level,
				new_level;
	char	   *user;

	if (pol->nlevels == 0)
		return;
	old_level = row_level(pol, oldrow);
	new_level = row_level(pol, newrow);
	if (level_set && ISNULL(newrow, C_LEVEL))
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("the level of complaint %s cannot be cleared", ref),
				 errhint("complaint_admin may set a lower level instead.")));
	if (in_cluster_raise)
		return;					/* a raise by the rules themselves */

	for (c = 0; c < PGC_NCOLS && !inputs; c++)
		if ((pol->read_cols & (UINT64CONST(1) << c)) && column_changed(rel, oldrow, newrow, c))
			inputs = true;
	if (pol->reads_facts && column_changed(rel, oldrow, newrow, C_FACTS))
		inputs = true;
	if (!inputs && !level_set && !force && old_level >= 0)
		return;

	user = GetUserNameFromId(GetUserId(), false);
	if (level_set && more_severe(pol, old_level, new_level))
	{
		/* lowering by hand */
		if (!pgc_is_admin())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only complaint_admin can lower the level of complaint %s from \"%s\" to \"%s\"",
							ref, pol->levels[old_level].code, pol->levels[new_level].code),
					 errhint("Levels rise automatically with the facts; ask an administrator to lower one.")));
		set_level(newrow, pol, new_level,
				  one_reason("manual: lowered from %s to %s by %s", pol->levels[old_level].code,
							 pol->levels[new_level].code, user));
		return;
	}

	pgc_classify(pol, newrow, true, now, &cls);
	if (level_set && !more_severe(pol, cls.level, new_level))
	{
		/* raised by hand, at least as severe as the rules say */
		if (new_level != old_level && !column_changed(rel, oldrow, newrow, C_LEVEL_REASONS))
			set_level(newrow, pol, new_level,
					  one_reason("manual: raised from %s to %s by %s",
								 old_level >= 0 ? pol->levels[old_level].code : "(none)",
								 pol->levels[new_level].code, user));
	}
	else if (old_level < 0 || !more_severe(pol, old_level, cls.level))
		set_level(newrow, pol, cls.level, pgc_reasons_datum(&cls));
	else if (!level_set)
	{
		/* the rules say less than the complaint already has: it keeps its level */
		set_value(newrow, C_LEVEL, VAL(oldrow, C_LEVEL), false);
		set_value(newrow, C_LEVEL_REASONS, VAL(oldrow, C_LEVEL_REASONS), ISNULL(oldrow, C_LEVEL_REASONS));
	}
	queue_raise(pol, newrow, &cls);
}

/* set_recheck stores when time alone may next raise the level (or NULL). */
static void
set_recheck(Row *row, PgcPolicy *pol, TimestampTz now)
{
	TimestampTz t = pgc_recheck_at(pol, row, now);

	set_value(row, C_RECHECK_AT, TimestampTzGetDatum(t), t == 0);
}

/* check_received_at refuses a receipt time in the future. */
static void
check_received_at(Row *row)
{
	TimestampTz received;
	TimestampTz clock = GetCurrentTimestamp();

	if (ISNULL(row, C_RECEIVED_AT))
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a complaint needs received_at"),
				 errhint("Leave it out to use the current time.")));
	received = DatumGetTimestampTz(VAL(row, C_RECEIVED_AT));
	if (TIMESTAMP_NOT_FINITE(received))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("received_at must be a finite time")));
	if (received > clock + PGC_FUTURE_MARGIN_USECS)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("received_at %s is in the future", timestamptz_to_str(received)),
				 errdetail("A complaint can be dated at most 5 minutes ahead of the database clock (%s).",
						   timestamptz_to_str(clock)),
				 errhint("Check the time zone of the value, or leave received_at out to use the current time.")));
}

static int
row_status(Row *row)
{
	return pgc_status_from_oid(DatumGetObjectId(VAL(row, C_STATUS)));
}

static int
row_validity(Row *row)
{
	return ISNULL(row, C_VALIDITY) ? -1 : pgc_validity_from_oid(DatumGetObjectId(VAL(row, C_VALIDITY)));
}

/* fill_ctx fills the facts a transition's preconditions read. */
static void
fill_ctx(PgcTransitionCtx *ctx, Row *row, PgcPolicy *pol, const char *ref)
{
	ctx->ref = ref;
	ctx->has_unit = has_text(row, C_UNIT);
	ctx->has_handler = has_text(row, C_HANDLER);
	ctx->has_satisfaction = !ISNULL(row, C_SATISFACTION);
	ctx->validity = row_validity(row);
	ctx->first_contact_resolution = pol->first_contact_resolution;
}

/* column_changed: do two rows differ in one column? */
static bool
column_changed(Relation rel, Row *oldrow, Row *newrow, PgcCol c)
{
	int			i = colmap.attnum[c];
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), i);

	if (oldrow->nulls[i] != newrow->nulls[i])
		return true;
	if (oldrow->nulls[i])
		return false;
	return !datum_image_eq(oldrow->values[i], newrow->values[i], att->attbyval, att->attlen);
}

/* immutable_error reports a change of a column the rules own. */
static void
immutable_error(Row *oldrow, PgcCol c, const char *hint)
{
	char	   *ref = text_cstring(oldrow, C_REF);

	ereport(ERROR,
			(errcode(ERRCODE_PGC_IMMUTABLE),
			 errmsg("column \"%s\" of complaint %s cannot be changed", col_names[c], ref),
			 hint ? errhint("%s", hint) : 0));
}

/* form returns the tuple for a Row. */
static HeapTuple
form(Relation rel, Row *row)
{
	return heap_form_tuple(RelationGetDescr(rel), row->values, row->nulls);
}

/* is_restore: an INSERT of a row that already has its reference, by a superuser */
static bool
is_restore(Row *row)
{
	return !ISNULL(row, C_REF) && superuser();
}

/* check_trigger verifies how a pipeline function was fired. */
static TriggerData *
check_trigger(FunctionCallInfo fcinfo, const char *name, bool before)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be called as a trigger", name)));
	if (!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		(before ? !TRIGGER_FIRED_BEFORE(trigdata->tg_event) : !TRIGGER_FIRED_AFTER(trigdata->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be fired %s ... FOR EACH ROW", name, before ? "BEFORE" : "AFTER")));
	return trigdata;
}

static char *datum_json(Relation rel, Row *row, PgcCol c);
static void write_created_event(Relation rel, Row *row, TimestampTz now,
								const char *actor, bool imported);

/*
 * check_id_free refuses a new complaint whose id is taken (supplied with
 * OVERRIDING SYSTEM VALUE).  PostgreSQL detects that conflict only after the
 * BEFORE trigger, which by then has written the complaint's history and
 * deadlines and taken its reference serial: with ON CONFLICT DO NOTHING they
 * would stay behind without the complaint.  A concurrent insert of the same id
 * is waited for, as the unique index would.
 */
static void
check_id_free(Relation rel, Row *row)
{
	Oid			pk = RelationGetPrimaryKeyIndex(rel);
	Relation	irel;
	SnapshotData dirty;
	ScanKeyData key;
	TupleTableSlot *slot;
	IndexScanDesc scan;
	int64		id = DatumGetInt64(VAL(row, C_ID));

	if (!OidIsValid(pk))
		return;
	irel = index_open(pk, AccessShareLock);
	if (IndexRelationGetNumberOfKeyAttributes(irel) != 1 ||
		irel->rd_index->indkey.values[0] != colmap.attnum[C_ID] + 1)
	{
		index_close(irel, AccessShareLock);
		return;
	}
	InitDirtySnapshot(dirty);
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(id));
	slot = table_slot_create(rel, NULL);
	for (;;)
	{
		TransactionId xwait;
		ItemPointerData tid;

		scan = index_beginscan(rel, irel, &dirty, 1, 0);
		index_rescan(scan, &key, 1, NULL, 0);
		if (!index_getnext_slot(scan, ForwardScanDirection, slot))
		{
			index_endscan(scan);
			break;
		}
		xwait = TransactionIdIsValid(dirty.xmin) ? dirty.xmin : dirty.xmax;
		tid = slot->tts_tid;
		index_endscan(scan);
		if (TransactionIdIsValid(xwait))
		{
			XactLockTableWait(xwait, rel, &tid, XLTW_InsertIndex);
			continue;
		}
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("duplicate key value violates unique constraint \"%s\"",
						RelationGetRelationName(irel)),
				 errdetail("Key (id)=(" INT64_FORMAT ") already exists.", id),
				 errhint("Leave id out of the INSERT: pg_complaint assigns it. INSERT ... ON CONFLICT (id) on complaint.complaint raises this error instead of skipping the row."),
				 errtableconstraint(rel, RelationGetRelationName(irel))));
	}
	ExecDropSingleTupleTableSlot(slot);
	index_close(irel, AccessShareLock);
}

/* before_insert: the BEFORE pipeline of a new complaint */
static HeapTuple
before_insert(Relation rel, HeapTuple tuple)
{
	Row			row;
	PgcPolicy  *pol;
	TimestampTz now = GetCurrentStatementStartTimestamp();
	int			status;
	bool		import = false;
	PgcUserSwitch sw;
	char	   *ref;
	char	   *actor;
	PgcClassification cls;

	(void) pgc_catalog();		/* enum OIDs of this database, current */
	deform(rel, tuple, &row);
	if (!ISNULL(&row, C_REF))
	{
		if (is_restore(&row))
			return tuple;
		ereport(ERROR,
				(errcode(ERRCODE_PGC_IMMUTABLE),
				 errmsg("the reference number of a complaint is assigned by pg_complaint"),
				 errhint("Leave ref out of the INSERT.")));
	}

	/* input */
	pol = validate_row(&row);
	check_received_at(&row);

	/* workflow: a complaint starts as new, unless an admin imports history */
	status = row_status(&row);
	if (status != PGC_ST_NEW)
	{
		PgcTransitionCtx ctx;

		if (!pgc_import_mode || !pgc_is_admin())
			ereport(ERROR,
					(errcode(ERRCODE_PGC_INITIAL_STATUS),
					 errmsg("a new complaint must have status \"new\", not \"%s\"",
							pgc_status_names[status]),
					 errhint("Insert it as new and move it through the workflow with UPDATE; complaint_admin can import history with SET pg_complaint.import = on.")));
		import = true;
		memset(&ctx, 0, sizeof(ctx));
		ctx.from = ctx.to = status;
		ctx.import = true;
		fill_ctx(&ctx, &row, pol, NULL);
		pgc_workflow_check_preconditions(&ctx);
	}

	/* stamps */
	if (!import)
	{
		set_value(&row, C_REOPEN_COUNT, Int32GetDatum(0), false);
		set_value(&row, C_RESOLVED_AT, (Datum) 0, true);
		set_value(&row, C_CLOSED_AT, (Datum) 0, true);
		set_value(&row, C_NEXT_DUE_AT, (Datum) 0, true);
		set_value(&row, C_BREACHED, PointerGetDatum(construct_empty_array(TEXTOID)), false);
	}
	else
	{
		if ((status == PGC_ST_CLOSED) && ISNULL(&row, C_CLOSED_AT))
			set_value(&row, C_CLOSED_AT, TimestampTzGetDatum(now), false);
		if ((status == PGC_ST_CLOSED || status == PGC_ST_ACCEPTED || status == PGC_ST_FOLLOW_UP) &&
			ISNULL(&row, C_RESOLVED_AT))
			set_value(&row, C_RESOLVED_AT, TimestampTzGetDatum(now), false);
	}
	set_value(&row, C_CREATED_AT, TimestampTzGetDatum(now), false);
	set_value(&row, C_UPDATED_AT, TimestampTzGetDatum(now), false);

	/* classification (clusters are raised once the reference number is known) */
	classify_insert(&row, pol, now, &cls);
	set_recheck(&row, pol, now);

	actor = actor_override ? actor_override : GetUserNameFromId(GetUserId(), false);
	pgc_switch_to_owner(rel->rd_rel->relowner, &sw);

	/* deadlines: next_due_at */
	pgc_deadlines_before(pol, NULL, &row, now, false);

	/*
	 * History and deadline rows: written here, before the reference number,
	 * rather than by the AFTER trigger, so that the gap-free counter row is
	 * held for as short a time as possible (a concurrent insert of the same
	 * prefix and month waits for it until commit).  They need only the id.
	 */
	check_id_free(rel, &row);
	write_created_event(rel, &row, now, actor, pgc_import_mode && pgc_is_admin());
	pgc_deadlines_after(DatumGetInt64(VAL(&row, C_ID)), now, actor);

	/* reference number: last, as the table owner */
	ref = pgc_ref_assign(pol, DatumGetTimestampTz(VAL(&row, C_RECEIVED_AT)));
	pgc_switch_back(&sw);
	set_value(&row, C_REF, CStringGetTextDatum(ref), false);
	queue_raise(pol, &row, &cls);

	return form(rel, &row);
}

/* before_update: the BEFORE pipeline of a changed complaint */
static HeapTuple
before_update(Relation rel, HeapTuple oldtuple, HeapTuple newtuple)
{
	Row			oldrow,
				newrow;
	PgcPolicy  *pol;
	TimestampTz now = GetCurrentStatementStartTimestamp();
	int			from,
				to;
	char	   *ref;
	PgcTouch   *touch;
	TimestampTz rules_now;
	PgcUserSwitch sw;

	(void) pgc_catalog();
	deform(rel, oldtuple, &oldrow);
	deform(rel, newtuple, &newrow);
	ref = text_cstring(&oldrow, C_REF);

	/* columns nobody changes */
	if (column_changed(rel, &oldrow, &newrow, C_ID))
		immutable_error(&oldrow, C_ID, NULL);
	if (column_changed(rel, &oldrow, &newrow, C_REF))
		immutable_error(&oldrow, C_REF, "A reference number identifies the complaint for good.");
	if (column_changed(rel, &oldrow, &newrow, C_POLICY))
		immutable_error(&oldrow, C_POLICY, "The rules of a complaint are fixed at receipt; close it and file a new complaint under the other policy.");
	if (column_changed(rel, &oldrow, &newrow, C_CREATED_AT))
		immutable_error(&oldrow, C_CREATED_AT, NULL);
	if (column_changed(rel, &oldrow, &newrow, C_RECEIVED_AT))
	{
		if (!pgc_allow_received_at_change || !pgc_is_admin())
			immutable_error(&oldrow, C_RECEIVED_AT,
							"complaint_admin can correct it with SET pg_complaint.allow_received_at_change = on; the correction is recorded in the history.");
		check_received_at(&newrow);
	}
	/* columns the workflow maintains */
	if (column_changed(rel, &oldrow, &newrow, C_REOPEN_COUNT))
		immutable_error(&oldrow, C_REOPEN_COUNT, "It counts reopenings (closed -> investigating).");
	if (column_changed(rel, &oldrow, &newrow, C_RESOLVED_AT))
		immutable_error(&oldrow, C_RESOLVED_AT, "It is stamped when the complaint reaches accepted or closed.");
	if (column_changed(rel, &oldrow, &newrow, C_CLOSED_AT))
		immutable_error(&oldrow, C_CLOSED_AT, "It is stamped when the complaint is closed.");
	if (column_changed(rel, &oldrow, &newrow, C_NEXT_DUE_AT))
		immutable_error(&oldrow, C_NEXT_DUE_AT, "It is the earliest open deadline (complaint.deadline), kept by the rules.");
	if (column_changed(rel, &oldrow, &newrow, C_BREACHED))
		immutable_error(&oldrow, C_BREACHED, "complaint.run_escalations records breached deadlines.");
	if (column_changed(rel, &oldrow, &newrow, C_RECHECK_AT))
		immutable_error(&oldrow, C_RECHECK_AT, "The rules compute when time alone may change the level.");

	pol = validate_row(&newrow);

	/* workflow */
	from = row_status(&oldrow);
	to = row_status(&newrow);
	if (from != to ||
		(from == PGC_ST_ASSIGNED &&
		 (column_changed(rel, &oldrow, &newrow, C_UNIT) ||
		  column_changed(rel, &oldrow, &newrow, C_HANDLER))))
	{
		PgcTransitionCtx ctx;

		memset(&ctx, 0, sizeof(ctx));
		ctx.from = from;
		ctx.to = to;
		fill_ctx(&ctx, &newrow, pol, ref);
		pgc_workflow_check(&ctx);
	}
	else
	{
		/* staying in a state: what the state needs must stay true */
		PgcTransitionCtx ctx;

		memset(&ctx, 0, sizeof(ctx));
		ctx.from = ctx.to = to;
		fill_ctx(&ctx, &newrow, pol, ref);
		pgc_workflow_check_invariants(&ctx);
	}

	/* stamps */
	if (from != to)
	{
		if (to == PGC_ST_ACCEPTED && ISNULL(&newrow, C_RESOLVED_AT))
			set_value(&newrow, C_RESOLVED_AT, TimestampTzGetDatum(now), false);
		if (to == PGC_ST_CLOSED)
		{
			set_value(&newrow, C_CLOSED_AT, TimestampTzGetDatum(now), false);
			if (ISNULL(&newrow, C_RESOLVED_AT))
				set_value(&newrow, C_RESOLVED_AT, TimestampTzGetDatum(now), false);
		}
		if (from == PGC_ST_CLOSED)
		{
			/* a reopening: the next closing needs a new follow-up result */
			set_value(&newrow, C_REOPEN_COUNT,
					  Int32GetDatum(DatumGetInt32(VAL(&oldrow, C_REOPEN_COUNT)) + 1), false);
			set_value(&newrow, C_CLOSED_AT, (Datum) 0, true);
			set_value(&newrow, C_RESOLVED_AT, (Datum) 0, true);
			if (!column_changed(rel, &oldrow, &newrow, C_SATISFACTION))
				set_value(&newrow, C_SATISFACTION, (Datum) 0, true);
		}
		if (from == PGC_ST_FOLLOW_UP && to == PGC_ST_INVESTIGATING)
			set_value(&newrow, C_RESOLVED_AT, (Datum) 0, true);
	}
	set_value(&newrow, C_UPDATED_AT, TimestampTzGetDatum(now), false);

	/* classification, as of the sweep's time when the sweep asks */
	touch = pgc_touch_for(DatumGetInt64(VAL(&oldrow, C_ID)));
	rules_now = touch ? touch->as_of : now;
	classify_update(rel, &oldrow, &newrow, pol, rules_now, ref,
					touch && (touch->kind == PGC_TOUCH_RECLASSIFY || touch->kind == PGC_TOUCH_BREACH));
	if (touch && touch->kind == PGC_TOUCH_RAISE)
	{
		int			target = pgc_level_index(pol, touch->level, strlen(touch->level));

		if (target >= 0 && more_severe(pol, target, row_level(pol, &newrow)))
			set_level(&newrow, pol, target, one_reason("%s%s%s", touch->reason, "", ""));
	}
	if (touch && (touch->kind == PGC_TOUCH_RECLASSIFY || touch->kind == PGC_TOUCH_RAISE) &&
		column_changed(rel, &oldrow, &newrow, C_LEVEL))
		touch->done = 1;
	set_recheck(&newrow, pol, rules_now);

	/* deadlines */
	pgc_switch_to_owner(rel->rd_rel->relowner, &sw);
	pgc_deadlines_before(pol, &oldrow, &newrow, rules_now,
						 from == PGC_ST_ASSIGNED && to == PGC_ST_ASSIGNED &&
						 (column_changed(rel, &oldrow, &newrow, C_UNIT) ||
						  column_changed(rel, &oldrow, &newrow, C_HANDLER)));
	pgc_switch_back(&sw);
	return form(rel, &newrow);
}

PG_FUNCTION_INFO_V1(pgc_complaint_before);

/* pgc_complaint_before is complaint._complaint_before(). */
Datum
pgc_complaint_before(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = check_trigger(fcinfo, "complaint._complaint_before", true);
	Relation	rel = trigdata->tg_relation;

	load_colmap(rel);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		PG_RETURN_POINTER(before_insert(rel, trigdata->tg_trigtuple));
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		PG_RETURN_POINTER(before_update(rel, trigdata->tg_trigtuple, trigdata->tg_newtuple));
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("complaint._complaint_before() must be fired for INSERT or UPDATE")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}

/* ----------------------------------------------------------------
 * AFTER: history
 * ----------------------------------------------------------------
 */

/* datum_json renders a column value as JSON text (null, string or number). */
static char *
datum_json(Relation rel, Row *row, PgcCol c)
{
	int			i = colmap.attnum[c];
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), i);
	Oid			outfn;
	bool		isvarlena;
	char	   *s;
	StringInfoData buf;

	if (row->nulls[i])
		return "null";
	getTypeOutputInfo(att->atttypid, &outfn, &isvarlena);
	s = OidOutputFunctionCall(outfn, row->values[i]);
	if (att->atttypid == TEXTARRAYOID)
	{
		Datum	   *elems;
		bool	   *enulls;
		int			n,
					k;

		deconstruct_array(DatumGetArrayTypeP(row->values[i]), TEXTOID, -1, false, TYPALIGN_INT,
						  &elems, &enulls, &n);
		initStringInfo(&buf);
		appendStringInfoChar(&buf, '[');
		for (k = 0; k < n; k++)
		{
			if (k > 0)
				appendStringInfoString(&buf, ", ");
			if (enulls[k])
				appendStringInfoString(&buf, "null");
			else
				escape_json(&buf, TextDatumGetCString(elems[k]));
		}
		appendStringInfoChar(&buf, ']');
		return buf.data;
	}
	if (att->atttypid == INT4OID || att->atttypid == INT8OID || att->atttypid == INT2OID ||
		att->atttypid == NUMERICOID || att->atttypid == JSONBOID)
		return s;
	if (att->atttypid == TIMESTAMPTZOID)	/* ISO 8601 in UTC, whatever the DateStyle */
		return pgc_json_timestamptz(DatumGetTimestampTz(row->values[i]));
	initStringInfo(&buf);
	escape_json(&buf, s);
	return buf.data;
}

/* change_json returns {"from": old, "to": new} for one column. */
static char *
change_json(Relation rel, Row *oldrow, Row *newrow, PgcCol c)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	pgc_json_add_raw(&buf, "from", datum_json(rel, oldrow, c));
	pgc_json_add_raw(&buf, "to", datum_json(rel, newrow, c));
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

static void
write_event(Row *row, TimestampTz now, const char *actor, const char *kind,
			StringInfo detail, bool imported)
{
	appendStringInfoChar(detail, '}');
	pgc_event_write(DatumGetInt64(VAL(row, C_ID)), now, actor, kind, detail->data, imported);
}

/*
 * write_created_event writes the "created" event of a new complaint, from the
 * BEFORE trigger, before the reference number exists (so the detail has no
 * ref: it is on the complaint, and in its "deleted" event).
 */
static void
write_created_event(Relation rel, Row *row, TimestampTz now, const char *actor,
					bool imported)
{
	StringInfoData d;

	initStringInfo(&d);
	appendStringInfoChar(&d, '{');
	pgc_json_add_raw(&d, "policy", datum_json(rel, row, C_POLICY));
	pgc_json_add_raw(&d, "status", datum_json(rel, row, C_STATUS));
	pgc_json_add_raw(&d, "channel", datum_json(rel, row, C_CHANNEL));
	pgc_json_add_raw(&d, "category", datum_json(rel, row, C_CATEGORY));
	pgc_json_add_raw(&d, "unit", datum_json(rel, row, C_UNIT));
	pgc_json_add_raw(&d, "handler", datum_json(rel, row, C_HANDLER));
	pgc_json_add_raw(&d, "validity", datum_json(rel, row, C_VALIDITY));
	pgc_json_add_raw(&d, "level", datum_json(rel, row, C_LEVEL));
	pgc_json_add_raw(&d, "received_at", datum_json(rel, row, C_RECEIVED_AT));
	write_event(row, now, actor, "created", &d, imported);
}

/*
 * stamped_by_rules: false for a new row the rules did not stamp (created
 * before this transaction: a row restored by pg_restore, whose history is
 * restored too), which gets no AFTER work.
 */
static bool
stamped_by_rules(Relation rel, HeapTuple tuple, bool by_superuser)
{
	Row			row;

	if (!by_superuser)
		return true;
	deform(rel, tuple, &row);
	return DatumGetTimestampTz(VAL(&row, C_CREATED_AT)) >= GetCurrentTransactionStartTimestamp();
}

/*
 * after_deadlines writes the deadlines the BEFORE trigger decided, and
 * announces a complaint that reached an announced level (outbox + NOTIFY).
 */
static void
after_deadlines(Relation rel, HeapTuple oldtuple, HeapTuple newtuple, TimestampTz now,
				const char *actor)
{
	Row			newrow;
	int64		id;
	PgcPolicy  *pol;
	text	   *t;
	int			level;

	deform(rel, newtuple, &newrow);
	id = DatumGetInt64(VAL(&newrow, C_ID));
	pgc_deadlines_after(id, now, actor);

	if (ISNULL(&newrow, C_LEVEL))
		return;
	if (oldtuple != NULL)
	{
		Row			oldrow;

		deform(rel, oldtuple, &oldrow);
		if (!column_changed(rel, &oldrow, &newrow, C_LEVEL))
			return;
	}
	t = DatumGetTextPP(VAL(&newrow, C_POLICY));
	pol = pgc_policy_get(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	level = row_level(pol, &newrow);
	if (level >= 0 && pol->levels[level].announce)
	{
		StringInfoData d;

		initStringInfo(&d);
		appendStringInfoChar(&d, '{');
		pgc_json_add_raw(&d, "ref", datum_json(rel, &newrow, C_REF));
		pgc_json_add_raw(&d, "policy", datum_json(rel, &newrow, C_POLICY));
		pgc_json_add_raw(&d, "level", datum_json(rel, &newrow, C_LEVEL));
		pgc_json_add_raw(&d, "reasons", datum_json(rel, &newrow, C_LEVEL_REASONS));
		pgc_json_add_raw(&d, "unit", datum_json(rel, &newrow, C_UNIT));
		pgc_json_add_raw(&d, "subject", datum_json(rel, &newrow, C_SUBJECT));
		appendStringInfoChar(&d, '}');
		pgc_outbox_write(now, "level", id, d.data);
	}
}

static void
after_update(Relation rel, HeapTuple oldtuple, HeapTuple newtuple, TimestampTz now,
			 const char *actor)
{
	Row			oldrow,
				newrow;
	StringInfoData d;
	bool		unit_changed,
				handler_changed;

	deform(rel, oldtuple, &oldrow);
	deform(rel, newtuple, &newrow);

	if (column_changed(rel, &oldrow, &newrow, C_STATUS))
	{
		bool		reopen = row_status(&oldrow) == PGC_ST_CLOSED;

		initStringInfo(&d);
		appendStringInfoChar(&d, '{');
		pgc_json_add_raw(&d, "from", datum_json(rel, &oldrow, C_STATUS));
		pgc_json_add_raw(&d, "to", datum_json(rel, &newrow, C_STATUS));
		if (reopen)
		{
			pgc_json_add_raw(&d, "reopen_count", datum_json(rel, &newrow, C_REOPEN_COUNT));
			pgc_json_add_raw(&d, "satisfaction_before", datum_json(rel, &oldrow, C_SATISFACTION));
		}
		write_event(&newrow, now, actor, reopen ? "reopen" : "status", &d, false);
	}
	unit_changed = column_changed(rel, &oldrow, &newrow, C_UNIT);
	handler_changed = column_changed(rel, &oldrow, &newrow, C_HANDLER);
	if (unit_changed || handler_changed)
	{
		initStringInfo(&d);
		appendStringInfoChar(&d, '{');
		if (unit_changed)
			pgc_json_add_raw(&d, "unit", change_json(rel, &oldrow, &newrow, C_UNIT));
		if (handler_changed)
			pgc_json_add_raw(&d, "handler", change_json(rel, &oldrow, &newrow, C_HANDLER));
		write_event(&newrow, now, actor, "assignment", &d, false);
	}
	if (column_changed(rel, &oldrow, &newrow, C_VALIDITY))
	{
		initStringInfo(&d);
		appendStringInfoChar(&d, '{');
		pgc_json_add_raw(&d, "from", datum_json(rel, &oldrow, C_VALIDITY));
		pgc_json_add_raw(&d, "to", datum_json(rel, &newrow, C_VALIDITY));
		write_event(&newrow, now, actor, "validity", &d, false);
	}
	if (column_changed(rel, &oldrow, &newrow, C_LEVEL))
	{
		initStringInfo(&d);
		appendStringInfoChar(&d, '{');
		pgc_json_add_raw(&d, "from", datum_json(rel, &oldrow, C_LEVEL));
		pgc_json_add_raw(&d, "to", datum_json(rel, &newrow, C_LEVEL));
		pgc_json_add_raw(&d, "reasons", datum_json(rel, &newrow, C_LEVEL_REASONS));
		pgc_json_add_raw(&d, "reasons_before", datum_json(rel, &oldrow, C_LEVEL_REASONS));
		write_event(&newrow, now, actor, "level", &d, false);
	}
	if (column_changed(rel, &oldrow, &newrow, C_RECEIVED_AT))
	{
		initStringInfo(&d);
		appendStringInfoChar(&d, '{');
		pgc_json_add_raw(&d, "from", datum_json(rel, &oldrow, C_RECEIVED_AT));
		pgc_json_add_raw(&d, "to", datum_json(rel, &newrow, C_RECEIVED_AT));
		write_event(&newrow, now, actor, "received_at", &d, false);
	}
	/* a row of an attached table gets what the rules wrote back (attach.c) */
	if (column_changed(rel, &oldrow, &newrow, C_LEVEL) ||
		column_changed(rel, &oldrow, &newrow, C_LEVEL_REASONS) ||
		column_changed(rel, &oldrow, &newrow, C_NEXT_DUE_AT) ||
		column_changed(rel, &oldrow, &newrow, C_RESOLVED_AT) ||
		column_changed(rel, &oldrow, &newrow, C_CLOSED_AT) ||
		column_changed(rel, &oldrow, &newrow, C_REOPEN_COUNT))
		pgc_attach_refresh(DatumGetInt64(VAL(&newrow, C_ID)));
}

static void
after_delete(Relation rel, HeapTuple oldtuple, TimestampTz now, const char *actor)
{
	Row			row;
	StringInfoData d;
	int			c;

	deform(rel, oldtuple, &row);
	initStringInfo(&d);
	appendStringInfoChar(&d, '{');
	for (c = 0; c < PGC_NCOLS; c++)
	{
		if (c == C_ID)
			continue;
		pgc_json_add_raw(&d, col_names[c], datum_json(rel, &row, c));
	}
	write_event(&row, now, actor, "deleted", &d, false);
}

PG_FUNCTION_INFO_V1(pgc_complaint_after);

/* pgc_complaint_after is complaint._complaint_after(). */
Datum
pgc_complaint_after(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = check_trigger(fcinfo, "complaint._complaint_after", false);
	Relation	rel = trigdata->tg_relation;
	TimestampTz now = GetCurrentStatementStartTimestamp();
	char	   *actor = actor_override ? actor_override : GetUserNameFromId(GetUserId(), false);
	bool		by_superuser = superuser();
	PgcTouch   *touch;
	PgcUserSwitch sw;
	bool		isnull;

	load_colmap(rel);
	(void) pgc_catalog();

	/* a step of the sweep: its events happen at its as_of, by whoever runs it */
	if (!TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		Row			row;

		deform(rel, trigdata->tg_trigtuple, &row);
		touch = pgc_touch_for(DatumGetInt64(VAL(&row, C_ID)));
		if (touch && touch->kind != PGC_TOUCH_NOTIFICATION)
		{
			now = touch->as_of;
			actor = GetUserNameFromId(GetSessionUserId(), false);
		}
	}

	/* clusters this row brought to a similar-complaint threshold (queued by BEFORE) */
	if (!TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		HeapTuple	stored = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
			trigdata->tg_newtuple : trigdata->tg_trigtuple;
		Row			row;
		PendingRaise *pr;

		deform(rel, stored, &row);
		pr = take_raise(DatumGetInt64(VAL(&row, C_ID)));
		if (pr != NULL)
			raise_clusters(pr->pol, &row, &pr->cls, text_cstring(&row, C_REF));
	}

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		pgc_switch_to_owner(rel->rd_rel->relowner, &sw);
		if (stamped_by_rules(rel, trigdata->tg_trigtuple, by_superuser))
			after_deadlines(rel, NULL, trigdata->tg_trigtuple, now, actor);
		pgc_switch_back(&sw);
	}
	else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		pgc_switch_to_owner(rel->rd_rel->relowner, &sw);
		after_update(rel, trigdata->tg_trigtuple, trigdata->tg_newtuple, now, actor);
		after_deadlines(rel, trigdata->tg_trigtuple, trigdata->tg_newtuple, now, actor);
		pgc_switch_back(&sw);
	}
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		pgc_switch_to_owner(rel->rd_rel->relowner, &sw);
		after_delete(rel, trigdata->tg_trigtuple, now, actor);
		pgc_deadlines_delete(DatumGetInt64(heap_getattr(trigdata->tg_trigtuple, colmap.attnum[C_ID] + 1,
														RelationGetDescr(rel), &isnull)));
		pgc_switch_back(&sw);
	}
	PG_RETURN_POINTER(NULL);
}
