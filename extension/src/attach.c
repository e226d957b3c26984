/*-------------------------------------------------------------------------
 *
 * attach.c
 *	  Existing applications (CONTRACT section 5): complaint.attach(),
 *	  complaint.detach() and the row trigger of an attached table.
 *
 * An attached table keeps its own rows; each of them is linked (through
 * complaint.attached_row) to one row of complaint.complaint.  The trigger
 * on the table, BEFORE INSERT OR UPDATE OR DELETE for each row, maps the
 * application's row to complaint fields and inserts or updates the linked
 * complaint through a cached SPI plan, so that every rule of the native
 * pipeline (validation, workflow, classification, deadlines, reference
 * number, history) runs unchanged and fails with the same error; the
 * write-back columns are then filled from the plan's RETURNING into the
 * application's new row before it is stored.  The complaint is written as
 * the owner of the extension's tables (the way PostgreSQL's own RI
 * triggers work), with the application's user recorded as the actor.
 *
 * The mapping is compiled once per backend and trigger relation (the
 * target, or each partition of a partitioned target, whose columns may sit
 * at other positions) and rebuilt when complaint.attachment changes (the
 * configuration epoch) or the relation itself is invalidated.
 *
 * A row that moves between partitions is, to the triggers, an UPDATE on
 * the old partition, then a DELETE there and an INSERT into the new one;
 * the UPDATE does the work and the DELETE and INSERT that follow it in the
 * same command are recognised and let through.
 *
 * IDENTIFICATION
 *	  extension/src/attach.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pg_complaint.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#define TRIGGER_NAME		"zz_complaint_attach"
#define TRUNCATE_TRIGGER	"zz_complaint_attach_truncate"
#define IMPORT_BATCH		1000

/* what a complaint field accepts */
typedef enum FieldKind
{
	K_TEXT, K_ENUM, K_TS, K_INT, K_NUM, K_REASONS
} FieldKind;

typedef struct FieldSpec
{
	PgcCol		col;
	FieldKind	kind;
	const char *if_null;		/* SQL for a NULL application value, or NULL */
} FieldSpec;

/* complaint fields an application column may feed */
static const FieldSpec input_fields[] = {
	{C_RECEIVED_AT, K_TS, "pg_catalog.now()"},
	{C_CHANNEL, K_ENUM, "'other'::complaint.channel"},
	{C_CATEGORY, K_TEXT, NULL},
	{C_SUBJECT, K_TEXT, NULL},
	{C_BODY, K_TEXT, NULL},
	{C_COMPLAINANT, K_TEXT, NULL},
	{C_CONTACT, K_TEXT, NULL},
	{C_CUSTOMER_TYPE, K_TEXT, NULL},
	{C_UNIT, K_TEXT, NULL},
	{C_HANDLER, K_TEXT, NULL},
	{C_COLLECTIVE_SIZE, K_INT, "1"},
	{C_AMOUNT, K_NUM, NULL},
	{C_VALIDITY, K_ENUM, NULL},
	{C_STATUS, K_ENUM, "'new'::complaint.status"},
	{C_SATISFACTION, K_INT, NULL},
};

/* complaint fields the rules may write back into an application column */
static const FieldSpec wb_fields[] = {
	{C_ID, K_INT, NULL},
	{C_REF, K_TEXT, NULL},
	{C_LEVEL, K_TEXT, NULL},
	{C_LEVEL_REASONS, K_REASONS, NULL},
	{C_NEXT_DUE_AT, K_TS, NULL},
	{C_RESOLVED_AT, K_TS, NULL},
	{C_CLOSED_AT, K_TS, NULL},
	{C_REOPEN_COUNT, K_INT, NULL},
};

#define N_INPUT lengthof(input_fields)
#define N_WB	lengthof(wb_fields)

typedef struct MapEntry
{
	char	   *from;			/* the application's value, as text */
	Datum		to;
	bool		to_null;
} MapEntry;

/* one mapped input field */
typedef struct FieldMap
{
	const FieldSpec *spec;
	int			att;			/* 0-based attribute index in the row */
	char	   *column;
	Oid			srctype;
	bool		same;			/* the application's Datum is the field's */
	FmgrInfo	out;			/* output function of the application's type */
	Oid			dsttype;
	FmgrInfo	in;				/* input function of the field's type */
	Oid			in_ioparam;
	int			nmap;
	MapEntry   *map;
} FieldMap;

typedef enum FactKind
{
	F_BOOL, F_NUM, F_TEXT, F_JSON
} FactKind;

typedef struct FactMap
{
	char	   *key;
	int			att;
	FactKind	kind;
	FmgrInfo	out;
} FactMap;

typedef struct WriteBack
{
	const FieldSpec *spec;
	int			att;
	Oid			type;
	int32		typmod;
	bool		same;			/* the complaint's Datum fits the column as it is */
	FmgrInfo	in;
	Oid			in_ioparam;
	FmgrInfo	src_out;		/* output function of the complaint field */
} WriteBack;

/* a compiled mapping for one row layout */
typedef struct Attached
{
	MemoryContext cxt;
	Oid			relid;			/* trigger relation (InvalidOid for import) */
	Oid			target;			/* the attached table */
	char	   *target_name;	/* qualified, for messages */
	bool		valid;
	uint64		config_epoch;
	int			natts;
	bool		is_partition;
	char	   *policy;
	int			nkeys;
	int		   *key_att;
	FmgrInfo   *key_out;
	int			nfields;
	FieldMap   *fields;
	int			nfacts;
	FactMap    *facts;
	Datum		fact_keys;		/* text[] of the mapped fact keys */
	int			nwb;
	WriteBack  *wb;
	Oid			insert_types[N_INPUT + 2];
	char	   *insert_sql;
	char	   *update_sql;
	Oid			update_types[N_INPUT + 5];
	char	   *select_sql;		/* the complaint's write-back fields by (target, key) */
	SPIPlanPtr	insert_plan;
	SPIPlanPtr	update_plan;
	SPIPlanPtr	select_plan;
} Attached;

typedef struct AttachedEntry
{
	Oid			relid;
	Attached   *att;
} AttachedEntry;

static HTAB *attached_cache = NULL;

static SPIPlanPtr delete_plan = NULL;
static SPIPlanPtr rekey_plan = NULL;

/* the UPDATE of a row that may move to another partition (see header) */
static struct
{
	LocalTransactionId lxid;
	CommandId	cid;
	Oid			target;
	char	   *oldkey;			/* in TopMemoryContext */
	char	   *newkey;
	int			stage;			/* 1: after the UPDATE, 2: after its DELETE */
} moving;

/* ----------------------------------------------------------------
 * Cache invalidation
 * ----------------------------------------------------------------
 */

static void
attach_relcache_callback(Datum arg pg_attribute_unused(), Oid relid)
{
	HASH_SEQ_STATUS status;
	AttachedEntry *e;

	if (attached_cache == NULL)
		return;
	hash_seq_init(&status, attached_cache);
	while ((e = hash_seq_search(&status)) != NULL)
		if (e->att != NULL &&
			(relid == InvalidOid || e->att->relid == relid || e->att->target == relid))
			e->att->valid = false;
}

/* pgc_attach_init registers the invalidation callback; called from _PG_init. */
void
pgc_attach_init(void)
{
	CacheRegisterRelcacheCallback(attach_relcache_callback, (Datum) 0);
}

/* ----------------------------------------------------------------
 * Compiling a mapping
 * ----------------------------------------------------------------
 */

static bool
is_string_type(Oid type)
{
	char		category;
	bool		preferred;

	get_type_category_preferred(getBaseType(type), &category, &preferred);
	return category == TYPCATEGORY_STRING;
}

static bool
is_int_type(Oid type)
{
	type = getBaseType(type);
	return type == INT2OID || type == INT4OID || type == INT8OID;
}

static bool
is_number_type(Oid type)
{
	type = getBaseType(type);
	return is_int_type(type) || type == NUMERICOID || type == FLOAT4OID || type == FLOAT8OID;
}

/* is_scalar_type: a type whose text form can feed a text or enum field */
static bool
is_scalar_type(Oid type)
{
	char		typtype = get_typtype(getBaseType(type));

	return (typtype == TYPTYPE_BASE || typtype == TYPTYPE_ENUM) &&
		!OidIsValid(get_element_type(getBaseType(type)));
}

/* key types whose text form does not depend on settings (DateStyle, TimeZone, ...) */
static bool
is_key_type(Oid type)
{
	type = getBaseType(type);
	return is_int_type(type) || type == NUMERICOID || type == UUIDOID || type == OIDOID ||
		type == BOOLOID || is_string_type(type) || get_typtype(type) == TYPTYPE_ENUM;
}

static const char *
field_name(PgcCol c)
{
	return pgc_col_names[c];
}

static void
mapping_error(const char *target, const char *msg, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid mapping for %s: %s", target, msg),
			 hint ? errhint("%s", hint) : 0));
}

/* find_column returns the attribute index of an application column. */
static int
find_column(TupleDesc desc, const char *target, const char *column, const char *what)
{
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), column) == 0)
			return i;
	}
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" of %s (mapped to %s) does not exist", column, target, what),
			 errhint("Map existing columns of the table; after renaming or dropping a mapped column, detach and attach the table again.")));
	return -1;					/* keep compiler quiet */
}

/* jsonb_string returns a JSON string's text, or NULL for another type. */
static char *
jsonb_string(JsonbValue *v)
{
	if (v->type != jbvString)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static const char *
enum_list(PgcCol c)
{
	StringInfoData buf;
	const char *const *names;
	int			n,
				i;

	if (c == C_CHANNEL)
		names = pgc_channel_names, n = PGC_NCHANNEL;
	else if (c == C_STATUS)
		names = pgc_status_names, n = PGC_NSTATUS;
	else
		names = pgc_validity_names, n = PGC_NVALIDITY;
	initStringInfo(&buf);
	for (i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", names[i]);
	return buf.data;
}

/* enum_value returns the OID of a label of complaint.channel/status/validity, or InvalidOid. */
static Oid
enum_value(PgcCol c, const char *label)
{
	PgcCatalog *cat = pgc_catalog();
	int			i;

	if (c == C_CHANNEL)
	{
		for (i = 0; i < PGC_NCHANNEL; i++)
			if (strcmp(pgc_channel_names[i], label) == 0)
				return cat->channel_oid[i];
	}
	else if (c == C_STATUS)
	{
		for (i = 0; i < PGC_NSTATUS; i++)
			if (strcmp(pgc_status_names[i], label) == 0)
				return cat->status_oid[i];
	}
	else
	{
		for (i = 0; i < PGC_NVALIDITY; i++)
			if (strcmp(pgc_validity_names[i], label) == 0)
				return cat->validity_oid[i];
	}
	return InvalidOid;
}

/*
 * field_value turns the text of a value into the Datum of a complaint
 * field, with a clear error when it is none of the field's values.
 */
static Datum
field_value(FieldMap *f, const char *s, const char *target)
{
	if (f->spec->kind == K_ENUM)
	{
		Oid			v = enum_value(f->spec->col, s);

		if (!OidIsValid(v))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("value \"%s\" of column \"%s\" of %s is not a complaint %s",
							s, f->column, target, field_name(f->spec->col)),
					 errdetail("Values of %s: %s.", field_name(f->spec->col), enum_list(f->spec->col)),
					 errhint("Map the application's values in the mapping: {\"%s\": {\"column\": \"%s\", \"map\": {\"%s\": \"...\"}}}.",
							 field_name(f->spec->col), f->column, s)));
		return ObjectIdGetDatum(v);
	}
	if (f->dsttype == TEXTOID)
		return CStringGetTextDatum(s);
	return InputFunctionCall(&f->in, (char *) s, f->in_ioparam, -1);
}

/* check_input_type refuses an application column that cannot feed a field. */
static void
check_input_type(const FieldSpec *spec, Oid type, const char *column, const char *target, bool has_map)
{
	bool		ok;
	const char *want;

	switch (spec->kind)
	{
		case K_TS:
			ok = getBaseType(type) == TIMESTAMPTZOID || getBaseType(type) == TIMESTAMPOID ||
				getBaseType(type) == DATEOID;
			want = "timestamp with time zone, timestamp or date";
			break;
		case K_INT:
			ok = is_int_type(type) || getBaseType(type) == NUMERICOID || has_map;
			want = "an integer type";
			break;
		case K_NUM:
			ok = is_number_type(type) || has_map;
			want = "a number type";
			break;
		default:
			ok = is_scalar_type(type);
			want = "a scalar type (text, an enum, a number, ...)";
			break;
	}
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of %s has type %s, which cannot be mapped to complaint %s",
						column, target, format_type_be(type), field_name(spec->col)),
				 errdetail("complaint %s needs %s.", field_name(spec->col), want)));
}

/* compile_field compiles one input field: "column" or {"column": ..., "map": {...}}. */
static void
compile_field(Attached *a, TupleDesc desc, TupleDesc cdesc, const int *catt,
			  const FieldSpec *spec, JsonbValue *v, PgcPolicy *pol)
{
	FieldMap   *f = &a->fields[a->nfields];
	JsonbValue *map = NULL;
	Oid			outfn;
	bool		isvarlena;
	Oid			infn;

	memset(f, 0, sizeof(*f));
	f->spec = spec;
	if (v->type == jbvString)
		f->column = jsonb_string(v);
	else if (v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data))
	{
		JsonbValue *col = getKeyJsonValueFromContainer(v->val.binary.data, "column", 6, NULL);
		JsonbIterator *it;
		JsonbValue	k;
		JsonbIteratorToken tok;

		if (col == NULL || col->type != jbvString)
			mapping_error(a->target_name, psprintf("%s needs {\"column\": \"<name>\", \"map\": {...}}", field_name(spec->col)),
						  "Give the application column's name as a JSON string.");
		f->column = jsonb_string(col);
		/* only "column" and "map" */
		it = JsonbIteratorInit(v->val.binary.data);
		while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
			if (tok == WJB_KEY)
			{
				char	   *key = pnstrdup(k.val.string.val, k.val.string.len);

				if (strcmp(key, "column") != 0 && strcmp(key, "map") != 0)
					mapping_error(a->target_name, psprintf("unknown key \"%s\" in the mapping of %s", key, field_name(spec->col)),
								  "A mapped field is \"<column>\" or {\"column\": \"<column>\", \"map\": {\"<app value>\": \"<complaint value>\"}}.");
			}
		map = getKeyJsonValueFromContainer(v->val.binary.data, "map", 3, NULL);
		if (map != NULL && !(map->type == jbvBinary && JsonContainerIsObject(map->val.binary.data)))
			mapping_error(a->target_name, psprintf("the map of %s must be a JSON object", field_name(spec->col)),
						  "Write {\"<app value>\": \"<complaint value>\", ...}.");
	}
	else
		mapping_error(a->target_name, psprintf("%s must be a column name or {\"column\": ..., \"map\": {...}}", field_name(spec->col)), NULL);

	f->att = find_column(desc, a->target_name, f->column, field_name(spec->col));
	f->srctype = TupleDescAttr(desc, f->att)->atttypid;
	check_input_type(spec, f->srctype, f->column, a->target_name, map != NULL);
	if (spec->kind == K_TS && map != NULL)
		mapping_error(a->target_name, psprintf("%s cannot have a value map", field_name(spec->col)), NULL);
	f->dsttype = TupleDescAttr(cdesc, catt[spec->col])->atttypid;
	f->same = map == NULL && (f->srctype == f->dsttype ||
							  (f->dsttype == TEXTOID && f->srctype == VARCHAROID));
	getTypeOutputInfo(f->srctype, &outfn, &isvarlena);
	fmgr_info_cxt(outfn, &f->out, a->cxt);
	getTypeInputInfo(f->dsttype, &infn, &f->in_ioparam);
	fmgr_info_cxt(infn, &f->in, a->cxt);

	if (map != NULL)
	{
		JsonbIterator *it = JsonbIteratorInit(map->val.binary.data);
		JsonbValue	k;
		JsonbIteratorToken tok;
		int			n = JsonContainerSize(map->val.binary.data);

		f->map = palloc0(sizeof(MapEntry) * Max(n, 1));
		while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
		{
			MapEntry   *e;
			char	   *to;

			if (tok == WJB_KEY)
			{
				e = &f->map[f->nmap++];
				e->from = pnstrdup(k.val.string.val, k.val.string.len);
				continue;
			}
			if (tok != WJB_VALUE)
				continue;
			e = &f->map[f->nmap - 1];
			if (k.type == jbvNull)
			{
				e->to_null = true;
				continue;
			}
			to = jsonb_string(&k);
			if (to == NULL)
				mapping_error(a->target_name,
							  psprintf("the map of %s gives \"%s\" a value that is not a string", field_name(spec->col), e->from),
							  "Map each application value to a complaint value written as a JSON string, or null.");
			if (spec->col == C_CATEGORY &&
				!pgc_category_find(pol->ncategories, pol->categories, to, strlen(to)))
				ereport(ERROR,
						(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
						 errmsg("invalid mapping for %s: category \"%s\" is not in the taxonomy of policy \"%s\"",
								a->target_name, to, pol->code),
						 errdetail("Categories of policy \"%s\": %s.", pol->code, pgc_policy_category_list(pol))));
			e->to = field_value(f, to, a->target_name);
		}
	}
	a->nfields++;
}

/* compile_facts compiles "facts": {"<fact>": "<column>", ...}. */
static void
compile_facts(Attached *a, TupleDesc desc, JsonbValue *v, PgcPolicy *pol)
{
	JsonbIterator *it;
	JsonbValue	k;
	JsonbIteratorToken tok;
	int			n;
	Datum	   *keys;

	if (!(v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data)))
		mapping_error(a->target_name, "facts must be a JSON object {\"<fact>\": \"<column>\", ...}", NULL);
	n = JsonContainerSize(v->val.binary.data);
	a->facts = palloc0(sizeof(FactMap) * Max(n, 1));
	keys = palloc(sizeof(Datum) * Max(n, 1));
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		FactMap    *f;
		PgcFactDecl *decl;
		Oid			type,
					outfn;
		bool		isvarlena;
		char	   *column;

		if (tok == WJB_KEY)
		{
			f = &a->facts[a->nfacts++];
			f->key = pnstrdup(k.val.string.val, k.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		f = &a->facts[a->nfacts - 1];
		column = jsonb_string(&k);
		if (column == NULL)
			mapping_error(a->target_name, psprintf("fact \"%s\" must name a column (a JSON string)", f->key), NULL);
		decl = pgc_fact_find(pol->nfacts, pol->facts, f->key, strlen(f->key));
		if (decl == NULL && pol->strict_facts)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid mapping for %s: policy \"%s\" declares no fact \"%s\"",
							a->target_name, pol->code, f->key),
					 errhint("Map declared facts (complaint.fact), or declare it first.")));
		f->att = find_column(desc, a->target_name, column, psprintf("fact %s", f->key));
		type = getBaseType(TupleDescAttr(desc, f->att)->atttypid);
		if (type == JSONBOID || type == JSONOID)
			f->kind = F_JSON;
		else if (type == BOOLOID)
			f->kind = F_BOOL;
		else if (is_number_type(type))
			f->kind = F_NUM;
		else if (is_scalar_type(type))
			f->kind = F_TEXT;
		else
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of %s has type %s, which cannot be mapped to fact \"%s\"",
							column, a->target_name, format_type_be(type), f->key)));
		if (decl != NULL && f->kind != F_JSON &&
			((decl->type == PGC_FT_BOOL && f->kind != F_BOOL) ||
			 (decl->type == PGC_FT_NUM && f->kind != F_NUM) ||
			 (decl->type == PGC_FT_TEXT && f->kind != F_TEXT)))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of %s has type %s, but fact \"%s\" of policy \"%s\" is a %s",
							column, a->target_name, format_type_be(type), f->key, pol->code,
							decl->type == PGC_FT_BOOL ? "boolean" : decl->type == PGC_FT_NUM ? "number" : "text"),
					 errhint("Map a column of a matching type (boolean, a number type, or text).")));
		getTypeOutputInfo(type, &outfn, &isvarlena);
		fmgr_info_cxt(outfn, &f->out, a->cxt);
		keys[a->nfacts - 1] = CStringGetTextDatum(f->key);
	}
	a->fact_keys = PointerGetDatum(construct_array(keys, a->nfacts, TEXTOID, -1, false, TYPALIGN_INT));
}

/* compile_write_back compiles "write_back": {"<complaint field>": "<column>", ...}. */
static void
compile_write_back(Attached *a, TupleDesc desc, TupleDesc cdesc, const int *catt, JsonbValue *v)
{
	JsonbIterator *it;
	JsonbValue	k;
	JsonbIteratorToken tok;
	const FieldSpec *spec = NULL;
	int			i;

	if (!(v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data)))
		mapping_error(a->target_name, "write_back must be a JSON object {\"<complaint field>\": \"<column>\", ...}", NULL);
	a->wb = palloc0(sizeof(WriteBack) * N_WB);
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		WriteBack  *w;
		char	   *column;
		Form_pg_attribute att;
		Oid			src,
					fn;
		bool		ok,
					isvarlena;

		if (tok == WJB_KEY)
		{
			char	   *key = pnstrdup(k.val.string.val, k.val.string.len);

			spec = NULL;
			for (i = 0; i < (int) N_WB; i++)
				if (strcmp(key, field_name(wb_fields[i].col)) == 0)
					spec = &wb_fields[i];
			if (spec == NULL)
				mapping_error(a->target_name, psprintf("\"%s\" cannot be written back", key),
							  "write_back takes id, ref, level, level_reasons, next_due_at, resolved_at, closed_at, reopen_count.");
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		column = jsonb_string(&k);
		if (column == NULL)
			mapping_error(a->target_name, psprintf("write_back of %s must name a column (a JSON string)", field_name(spec->col)), NULL);
		w = &a->wb[a->nwb++];
		w->spec = spec;
		w->att = find_column(desc, a->target_name, column, psprintf("write_back %s", field_name(spec->col)));
		att = TupleDescAttr(desc, w->att);
		if (att->attgenerated || att->attidentity)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid mapping for %s: column \"%s\" is generated and cannot be written back", a->target_name, column)));
		for (i = 0; i < a->nkeys; i++)
			if (a->key_att[i] == w->att)
				mapping_error(a->target_name, psprintf("column \"%s\" is part of the primary key and cannot be written back", column), NULL);
		for (i = 0; i < a->nfields; i++)
			if (a->fields[i].att == w->att)
				mapping_error(a->target_name, psprintf("column \"%s\" is mapped to %s and cannot also be written back", column,
													   field_name(a->fields[i].spec->col)),
							  "A write-back column is owned by the rules; map the application's input from another column.");
		for (i = 0; i < a->nfacts; i++)
			if (a->facts[i].att == w->att)
				mapping_error(a->target_name, psprintf("column \"%s\" is mapped to fact %s and cannot also be written back", column, a->facts[i].key), NULL);
		for (i = 0; i < a->nwb - 1; i++)
			if (a->wb[i].att == w->att)
				mapping_error(a->target_name, psprintf("column \"%s\" is written back twice", column), NULL);
		w->type = att->atttypid;
		w->typmod = att->atttypmod;
		src = TupleDescAttr(cdesc, catt[spec->col])->atttypid;
		switch (spec->kind)
		{
			case K_TS:
				ok = getBaseType(w->type) == TIMESTAMPTZOID || getBaseType(w->type) == TIMESTAMPOID ||
					is_string_type(w->type);
				break;
			case K_INT:
				ok = is_number_type(w->type) || is_string_type(w->type);
				break;
			case K_REASONS:
				ok = w->type == TEXTARRAYOID || is_string_type(w->type);
				break;
			default:
				ok = is_string_type(w->type);
				break;
		}
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of %s has type %s, which cannot hold complaint %s (%s)",
							column, a->target_name, format_type_be(w->type), field_name(spec->col),
							format_type_be(src))));
		w->same = w->type == src && w->typmod < 0;
		getTypeInputInfo(w->type, &fn, &w->in_ioparam);
		fmgr_info_cxt(fn, &w->in, a->cxt);
		getTypeOutputInfo(src, &fn, &isvarlena);
		fmgr_info_cxt(fn, &w->src_out, a->cxt);
	}
}

/* compile_keys finds the primary-key columns of the target in a row layout. */
static void
compile_keys(Attached *a, TupleDesc desc, int nkeys, char **key_names)
{
	int			i;

	a->nkeys = nkeys;
	a->key_att = palloc(sizeof(int) * nkeys);
	a->key_out = palloc(sizeof(FmgrInfo) * nkeys);
	for (i = 0; i < nkeys; i++)
	{
		Oid			outfn;
		bool		isvarlena;

		a->key_att[i] = find_column(desc, a->target_name, key_names[i], "the key");
		getTypeOutputInfo(TupleDescAttr(desc, a->key_att[i])->atttypid, &outfn, &isvarlena);
		fmgr_info_cxt(outfn, &a->key_out[i], a->cxt);
	}
}

/* build_sql writes the INSERT and UPDATE statements of a compiled mapping. */
static void
build_sql(Attached *a)
{
	StringInfoData ins,
				vals,
				ret,
				upd;
	int			i,
				p;

	initStringInfo(&ins);
	initStringInfo(&vals);
	initStringInfo(&ret);
	initStringInfo(&upd);

	appendStringInfoString(&ret, " RETURNING id");
	for (i = 0; i < a->nwb; i++)
		appendStringInfo(&ret, ", %s", field_name(a->wb[i].spec->col));

	/* INSERT: $1 policy, then the fields, then facts */
	appendStringInfoString(&ins, "INSERT INTO complaint.complaint (policy");
	appendStringInfoString(&vals, ") VALUES ($1");
	a->insert_types[0] = TEXTOID;
	p = 2;
	for (i = 0; i < a->nfields; i++, p++)
	{
		FieldMap   *f = &a->fields[i];

		a->insert_types[p - 1] = f->dsttype;
		appendStringInfo(&ins, ", %s", field_name(f->spec->col));
		if (f->spec->if_null)
			appendStringInfo(&vals, ", COALESCE($%d, %s)", p, f->spec->if_null);
		else
			appendStringInfo(&vals, ", $%d", p);
	}
	if (a->nfacts > 0)
	{
		a->insert_types[p - 1] = JSONBOID;
		appendStringInfoString(&ins, ", facts");
		appendStringInfo(&vals, ", $%d", p);
	}
	appendStringInfo(&ins, "%s)%s", vals.data, ret.data);
	a->insert_sql = ins.data;

	/*
	 * UPDATE: $1 target, $2 key, $3 bit mask of the fields the application
	 * changed (only those are set: a field changed in complaint.complaint
	 * itself is not overwritten by a stale value), then the fields, then
	 * facts and their keys.
	 */
	a->update_types[0] = OIDOID;
	a->update_types[1] = TEXTOID;
	a->update_types[2] = INT8OID;
	appendStringInfoString(&upd, "UPDATE complaint.complaint SET ");
	p = 4;
	for (i = 0; i < a->nfields; i++, p++)
	{
		const char *col = field_name(a->fields[i].spec->col);

		a->update_types[p - 1] = a->fields[i].dsttype;
		appendStringInfo(&upd, "%s%s = CASE WHEN ($3 OPERATOR(pg_catalog.&) %lld::pg_catalog.int8) OPERATOR(pg_catalog.<>) 0 THEN ",
						 i ? ", " : "", col, (long long) (INT64CONST(1) << i));
		if (a->fields[i].spec->if_null)
			appendStringInfo(&upd, "COALESCE($%d, %s) ELSE %s END", p, col, col);
		else
			appendStringInfo(&upd, "$%d ELSE %s END", p, col);
	}
	if (a->nfacts > 0)
	{
		a->update_types[p - 1] = JSONBOID;
		a->update_types[p] = TEXTARRAYOID;
		appendStringInfo(&upd, "%sfacts = CASE WHEN ($3 OPERATOR(pg_catalog.&) %lld::pg_catalog.int8) OPERATOR(pg_catalog.<>) 0"
						 " THEN (facts OPERATOR(pg_catalog.-) $%d) OPERATOR(pg_catalog.||) $%d ELSE facts END",
						 a->nfields ? ", " : "", (long long) (INT64CONST(1) << a->nfields), p + 1, p);
		p += 2;
	}
	if (a->nfields == 0 && a->nfacts == 0)
		appendStringInfoString(&upd, "updated_at = updated_at");
	appendStringInfo(&upd, " WHERE id OPERATOR(pg_catalog.=) (SELECT l.complaint_id FROM complaint.attached_row l"
					 " WHERE l.target OPERATOR(pg_catalog.=) $1 AND l.key OPERATOR(pg_catalog.=) $2)%s",
					 ret.data);
	a->update_sql = upd.data;

	/* SELECT: $1 target, $2 key; the write-back fields as the RETURNING lists them */
	a->select_sql = psprintf("SELECT %s FROM complaint.complaint WHERE id OPERATOR(pg_catalog.=)"
							 " (SELECT l.complaint_id FROM complaint.attached_row l"
							 " WHERE l.target OPERATOR(pg_catalog.=) $1 AND l.key OPERATOR(pg_catalog.=) $2)",
							 ret.data + strlen(" RETURNING "));
}

/*
 * compile compiles a mapping against a row layout: it is also the
 * validation of attach(), so every error says what to fix.
 */
static Attached *
compile(TupleDesc desc, Oid target, const char *target_name, const char *policy,
		Jsonb *mapping, int nkeys, char **key_names, MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "pg_complaint attached table", ALLOCSET_SMALL_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Attached   *a = palloc0(sizeof(Attached));
	PgcPolicy  *pol;
	Relation	crel;
	TupleDesc	cdesc;
	int			catt[PGC_NCOLS];
	JsonbIterator *it;
	JsonbValue	k;
	JsonbIteratorToken tok;
	char	   *key = NULL;
	bool		has_subject = false;
	JsonbValue *facts_v = NULL,
			   *wb_v = NULL;
	int			i;

	a->cxt = cxt;
	a->target = target;
	a->target_name = pstrdup(target_name);
	a->policy = pstrdup(policy);
	a->natts = desc->natts;
	pol = pgc_policy_get(policy, strlen(policy));

	crel = table_open(pgc_catalog()->complaint_rel, AccessShareLock);
	cdesc = CreateTupleDescCopy(RelationGetDescr(crel));
	pgc_colmap_build(cdesc, catt, "complaint.complaint");
	table_close(crel, AccessShareLock);

	if (!JB_ROOT_IS_OBJECT(mapping) || JB_ROOT_IS_SCALAR(mapping))
		mapping_error(target_name, "the mapping must be a JSON object",
					  "Write {\"subject\": \"<column>\", \"status\": {\"column\": \"<column>\", \"map\": {...}}, ...} (README, \"Existing applications\").");

	compile_keys(a, desc, nkeys, key_names);
	a->fields = palloc0(sizeof(FieldMap) * N_INPUT);
	it = JsonbIteratorInit(&mapping->root);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		const FieldSpec *spec = NULL;

		if (tok == WJB_KEY)
		{
			key = pnstrdup(k.val.string.val, k.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (strcmp(key, "facts") == 0)
		{
			facts_v = palloc(sizeof(JsonbValue));
			*facts_v = k;
			continue;
		}
		if (strcmp(key, "write_back") == 0)
		{
			wb_v = palloc(sizeof(JsonbValue));
			*wb_v = k;
			continue;
		}
		for (i = 0; i < (int) N_INPUT; i++)
			if (strcmp(key, field_name(input_fields[i].col)) == 0)
				spec = &input_fields[i];
		if (spec == NULL)
			mapping_error(target_name, psprintf("\"%s\" is not a complaint field an application column can feed", key),
						  "Keys: received_at, channel, category, subject, body, complainant, contact, customer_type, unit, handler, collective_size, amount, validity, status, satisfaction, facts, write_back.");
		if (spec->col == C_SUBJECT)
			has_subject = true;
		compile_field(a, desc, cdesc, catt, spec, &k, pol);
	}
	if (!has_subject)
		mapping_error(target_name, "subject is not mapped",
					  "Every complaint needs a subject: map a column with a short description, e.g. {\"subject\": \"title\"}.");
	if (facts_v)
		compile_facts(a, desc, facts_v, pol);
	if (wb_v)
		compile_write_back(a, desc, cdesc, catt, wb_v);
	build_sql(a);
	a->config_epoch = pgc_config_epoch;
	a->valid = true;
	MemoryContextSwitchTo(old);
	return a;
}

/* ----------------------------------------------------------------
 * Rows
 * ----------------------------------------------------------------
 */

/* append_row_item appends one value of a row literal, quoted as record_out quotes it. */
static void
append_row_item(StringInfo buf, const char *v)
{
	bool		nq = (v[0] == '\0');
	const char *p;

	for (p = v; *p && !nq; p++)
		if (*p == '"' || *p == '\\' || *p == '(' || *p == ')' || *p == ',' || isspace((unsigned char) *p))
			nq = true;
	if (!nq)
	{
		appendStringInfoString(buf, v);
		return;
	}
	appendStringInfoChar(buf, '"');
	for (p = v; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			appendStringInfoChar(buf, *p);
		appendStringInfoChar(buf, *p);
	}
	appendStringInfoChar(buf, '"');
}

/*
 * row_key returns the key of an application row: the text of its primary
 * key, or for a composite key the row literal, as ROW(a, b)::text gives it.
 */
static char *
row_key(Attached *a, Datum *values, bool *nulls)
{
	StringInfoData buf;
	int			i;

	if (a->nkeys == 1)
		return nulls[a->key_att[0]] ? NULL : OutputFunctionCall(&a->key_out[0], values[a->key_att[0]]);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	for (i = 0; i < a->nkeys; i++)
	{
		if (i)
			appendStringInfoChar(&buf, ',');
		if (nulls[a->key_att[i]])
			return NULL;
		append_row_item(&buf, OutputFunctionCall(&a->key_out[i], values[a->key_att[i]]));
	}
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

/* input_value maps one application value to its complaint field. */
static Datum
input_value(Attached *a, FieldMap *f, Datum v, bool isnull, bool *outnull)
{
	char	   *s;
	int			i;

	*outnull = isnull;
	if (isnull)
		return (Datum) 0;
	if (f->same)
		return v;
	if (f->spec->kind == K_TS)
	{
		Oid			t = getBaseType(f->srctype);

		if (t == TIMESTAMPOID)
			return DirectFunctionCall1(timestamp_timestamptz, v);
		if (t == DATEOID)
			return DirectFunctionCall1(date_timestamptz, v);
		return v;
	}
	s = OutputFunctionCall(&f->out, v);
	for (i = 0; i < f->nmap; i++)
		if (strcmp(f->map[i].from, s) == 0)
		{
			*outnull = f->map[i].to_null;
			return f->map[i].to;
		}
	return field_value(f, s, a->target_name);
}

/* facts_value builds the facts object of an application row. */
static Datum
facts_value(Attached *a, Datum *values, bool *nulls)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < a->nfacts; i++)
	{
		FactMap    *f = &a->facts[i];
		char	   *s;

		if (nulls[f->att])
			continue;
		s = OutputFunctionCall(&f->out, values[f->att]);
		if (f->kind == F_BOOL)
			s = DatumGetBool(values[f->att]) ? "true" : "false";
		else if (f->kind == F_NUM && (strcmp(s, "NaN") == 0 || strstr(s, "Infinity") != NULL))
			continue;
		if (f->kind == F_TEXT)
			pgc_json_add_text(&buf, f->key, s);
		else
			pgc_json_add_raw(&buf, f->key, s);
	}
	appendStringInfoChar(&buf, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data));
}

/*
 * write_back_value converts a complaint value into the application's
 * column type (NULL stays NULL).
 */
static Datum
write_back_value(WriteBack *w, Datum v, bool isnull, bool *outnull)
{
	char	   *s;

	*outnull = isnull;
	if (isnull)
		return (Datum) 0;
	if (w->same)
		return datumCopy(v, get_typbyval(w->type), get_typlen(w->type));
	if (w->spec->kind == K_REASONS)
	{
		ArrayType  *arr = DatumGetArrayTypeP(v);
		Datum	   *elems;
		bool	   *enulls;
		int			n,
					i;
		StringInfoData buf;

		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &enulls, &n);
		initStringInfo(&buf);
		for (i = 0; i < n; i++)
			if (!enulls[i])
				appendStringInfo(&buf, "%s%s", buf.len ? "; " : "", TextDatumGetCString(elems[i]));
		s = buf.data;
	}
	else if (w->spec->kind == K_TS && getBaseType(w->type) == TIMESTAMPOID)
		return DirectFunctionCall1(timestamptz_timestamp, v);
	else
		s = OutputFunctionCall(&w->src_out, v);
	return InputFunctionCall(&w->in, s, w->in_ioparam, w->typmod);
}

/* ----------------------------------------------------------------
 * The trigger
 * ----------------------------------------------------------------
 */

/* read_attachment finds the attachment of a relation or of one of its ancestors. */
static bool
read_attachment(Relation rel, Oid *target, char **policy, Jsonb **mapping,
				int *nkeys, char ***key_names)
{
	MemoryContext caller = CurrentMemoryContext;
	List	   *ids = list_make1_oid(RelationGetRelid(rel));
	StringInfoData arr;
	ListCell   *lc;
	Datum		args[1];
	PgcUserSwitch sw;
	bool		found = false;
	bool		isnull;

	if (rel->rd_rel->relispartition)
		ids = list_concat(ids, get_partition_ancestors(RelationGetRelid(rel)));
	initStringInfo(&arr);
	appendStringInfoChar(&arr, '{');
	foreach(lc, ids)
		appendStringInfo(&arr, "%s%u", arr.len > 1 ? "," : "", lfirst_oid(lc));
	appendStringInfoChar(&arr, '}');
	args[0] = CStringGetTextDatum(arr.data);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	pgc_switch_to_owner(pgc_config_owner(), &sw);
	pgc_config_query("SELECT target::pg_catalog.oid, policy, mapping, key_columns::pg_catalog.text[]"
					 " FROM complaint.attachment"
					 " WHERE target::pg_catalog.oid OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.text::pg_catalog.oid[])",
					 args, pgc_config_snapshot());
	pgc_switch_back(&sw);
	if (SPI_processed > 0)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		MemoryContext old = MemoryContextSwitchTo(caller);
		Datum	   *elems;
		bool	   *enulls;
		int			i;

		*target = DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull));
		*policy = TextDatumGetCString(SPI_getbinval(tup, desc, 2, &isnull));
		*mapping = DatumGetJsonbPCopy(SPI_getbinval(tup, desc, 3, &isnull));
		deconstruct_array(DatumGetArrayTypeP(SPI_getbinval(tup, desc, 4, &isnull)), TEXTOID, -1, false,
						  TYPALIGN_INT, &elems, &enulls, nkeys);
		*key_names = palloc(sizeof(char *) * *nkeys);
		for (i = 0; i < *nkeys; i++)
			(*key_names)[i] = TextDatumGetCString(elems[i]);
		MemoryContextSwitchTo(old);
		found = true;
	}
	SPI_finish();
	return found;
}

static char *
qualified_name(Oid relid)
{
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid));
}

/* attached_get returns the compiled mapping of a trigger relation. */
static Attached *
attached_get(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	AttachedEntry *e;
	bool		found;
	Oid			target;
	char	   *policy;
	Jsonb	   *mapping;
	int			nkeys;
	char	  **key_names;
	Attached   *a,
			   *old;

	pgc_config_accept_invalidations();
	if (attached_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(AttachedEntry);
		ctl.hcxt = CacheMemoryContext;
		attached_cache = hash_create("pg_complaint attached tables", 16, &ctl,
									 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	e = hash_search(attached_cache, &relid, HASH_ENTER, &found);
	if (!found)
		e->att = NULL;
	old = e->att;
	if (old != NULL && old->valid && old->config_epoch == pgc_config_epoch &&
		old->natts == RelationGetDescr(rel)->natts)
		return old;

	if (!read_attachment(rel, &target, &policy, &mapping, &nkeys, &key_names))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table %s has the trigger of complaint.attach() but is not attached",
						qualified_name(relid)),
				 errhint("Attach it with complaint.attach(), or drop trigger %s.", TRIGGER_NAME)));
	a = compile(RelationGetDescr(rel), target, qualified_name(target), policy, mapping,
				nkeys, key_names, CacheMemoryContext);
	a->relid = relid;
	a->is_partition = rel->rd_rel->relispartition;
	if (old != NULL)
	{
		/* keep the plans when the statements did not change */
		if (old->insert_plan && strcmp(old->insert_sql, a->insert_sql) == 0)
			a->insert_plan = old->insert_plan, old->insert_plan = NULL;
		if (old->update_plan && strcmp(old->update_sql, a->update_sql) == 0)
			a->update_plan = old->update_plan, old->update_plan = NULL;
		if (old->select_plan && strcmp(old->select_sql, a->select_sql) == 0)
			a->select_plan = old->select_plan, old->select_plan = NULL;
		if (old->insert_plan)
			SPI_freeplan(old->insert_plan);
		if (old->update_plan)
			SPI_freeplan(old->update_plan);
		if (old->select_plan)
			SPI_freeplan(old->select_plan);
		pgc_config_retire(old->cxt);
	}
	e->att = a;
	return a;
}

static SPIPlanPtr
keep_plan(const char *sql, int nargs, Oid *types)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, types);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
	SPI_keepplan(plan);
	return plan;
}

/*
 * The application rows whose complaint the trigger is writing right now
 * (nested: a complaint's rules may change other complaints).  A change of
 * one of these complaints is not copied back by pgc_attach_refresh(): the
 * trigger fills the write-back columns itself.
 */
#define MAX_SYNC	16
static struct
{
	LocalTransactionId lxid;
	int			depth;
	Oid			target[MAX_SYNC];
	char	   *key[MAX_SYNC];	/* in TopMemoryContext */
} syncing;

static int
sync_depth(void)
{
	if (syncing.lxid != MyProc->lxid)
	{
		while (syncing.depth > 0)
			pfree(syncing.key[--syncing.depth]);
		syncing.lxid = MyProc->lxid;
	}
	return syncing.depth;
}

static void
sync_push(Oid target, const char *key)
{
	int			d = sync_depth();

	if (d >= MAX_SYNC)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("attached tables nested too deeply: more than %d application rows written within each other",
						MAX_SYNC)));
	syncing.target[d] = target;
	syncing.key[d] = MemoryContextStrdup(TopMemoryContext, key ? key : "");
	syncing.depth = d + 1;
}

static void
sync_pop_to(int depth)
{
	while (sync_depth() > depth)
		pfree(syncing.key[--syncing.depth]);
}

static bool
sync_active(Oid target, const char *key)
{
	int			i;

	for (i = 0; i < sync_depth(); i++)
		if (syncing.target[i] == target && strcmp(syncing.key[i], key) == 0)
			return true;
	return false;
}

/* state of one call into complaint.complaint on the application's behalf */
typedef struct OnBehalf
{
	PgcUserSwitch sw;
	char	   *actor;
	bool		import;
	int			depth;			/* of the syncing stack before this call */
	MemoryContext caller;
} OnBehalf;

static void
behalf_begin(OnBehalf *b, bool import, Oid target, const char *key)
{
	b->depth = sync_depth();
	sync_push(target, key);
	b->caller = CurrentMemoryContext;
	b->actor = pgc_set_actor(GetUserNameFromId(GetUserId(), false));
	b->import = pgc_import_mode;
	pgc_import_mode = import;
	pgc_switch_to_owner(pgc_config_owner(), &b->sw);
}

static void
behalf_end(OnBehalf *b)
{
	pgc_switch_back(&b->sw);
	pgc_import_mode = b->import;
	pgc_set_actor(b->actor);
	sync_pop_to(b->depth);
}

/*
 * run_plan executes a plan on the application's behalf; an error keeps its
 * message, detail and hint (they are the rules' own) and says which row of
 * which table it is about instead of quoting our statement.
 */
static int
run_plan(Attached *a, OnBehalf *b, SPIPlanPtr plan, Datum *args, char *nulls, const char *key)
{
	int			rc = 0;

	PG_TRY();
	{
		rc = SPI_execute_plan(plan, args, nulls, false, 0);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		if (b->actor != NULL)
			behalf_end(b);
		MemoryContextSwitchTo(b->caller);
		edata = CopyErrorData();
		FlushErrorState();
		edata->context = psprintf("complaint of row %s of %s (attached to policy \"%s\")",
								  key ? key : "(new)", a->target_name, a->policy);
		ReThrowError(edata);
	}
	PG_END_TRY();
	return rc;
}

/* link_insert stores the link of an application row. */
static void
link_insert(Oid target, const char *key, int64 complaint_id)
{
	Relation	rel = table_open(get_relname_relid("attached_row", pgc_catalog()->namespace), RowExclusiveLock);
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	HeapTuple	tup;

	if (RelationGetDescr(rel)->natts != 3)
		elog(ERROR, "pg_complaint: complaint.attached_row has changed; reinstall the extension");
	values[0] = ObjectIdGetDatum(target);
	values[1] = CStringGetTextDatum(key);
	values[2] = Int64GetDatum(complaint_id);
	tup = heap_form_tuple(RelationGetDescr(rel), values, nulls);
	pgc_direct_insert(rel, tup);
	heap_freetuple(tup);
	table_close(rel, NoLock);
}

/* link_exists: is an application row of this key already linked? */
static bool
link_exists(Oid target, const char *key)
{
	Relation	rel = table_open(get_relname_relid("attached_row", pgc_catalog()->namespace), AccessShareLock);
	Oid			pk = RelationGetPrimaryKeyIndex(rel);
	Relation	irel = index_open(pk, AccessShareLock);
	ScanKeyData keys[2];
	IndexScanDesc scan;
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	bool		found;

	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(target));
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(key));
	keys[1].sk_collation = irel->rd_indcollation[1];
	scan = index_beginscan(rel, irel, GetLatestSnapshot(), 2, 0);
	index_rescan(scan, keys, 2, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, slot);
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(irel, AccessShareLock);
	table_close(rel, AccessShareLock);
	return found;
}

/*
 * apply_write_back puts the RETURNING values (id, then the write-back
 * fields) into values/nulls of the application's row; done in the caller's
 * memory, before SPI_finish.
 */
static void
apply_write_back(Attached *a, MemoryContext caller, Datum *values, bool *nulls, bool *repl, int64 *id)
{
	HeapTuple	tup = SPI_tuptable->vals[0];
	TupleDesc	desc = SPI_tuptable->tupdesc;
	MemoryContext old = MemoryContextSwitchTo(caller);
	bool		isnull;
	int			i;

	*id = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
	for (i = 0; i < a->nwb; i++)
	{
		WriteBack  *w = &a->wb[i];
		Datum		v = SPI_getbinval(tup, desc, i + 2, &isnull);

		values[w->att] = write_back_value(w, v, isnull, &nulls[w->att]);
		repl[w->att] = true;
	}
	MemoryContextSwitchTo(old);
}

/*
 * insert_args fills the INSERT plan's arguments from an application row
 * (values/nulls in the layout the mapping was compiled for).
 */
static void
insert_args(Attached *a, Datum *values, bool *nulls, Datum *args, char *argnulls)
{
	int			i,
				p = 0;

	args[p] = CStringGetTextDatum(a->policy);
	argnulls[p++] = ' ';
	for (i = 0; i < a->nfields; i++, p++)
	{
		FieldMap   *f = &a->fields[i];
		bool		n;

		args[p] = input_value(a, f, values[f->att], nulls[f->att], &n);
		argnulls[p] = n ? 'n' : ' ';
	}
	if (a->nfacts > 0)
	{
		args[p] = facts_value(a, values, nulls);
		argnulls[p++] = ' ';
	}
}

/* new_complaint creates the complaint of a new application row and links it. */
static int64
new_complaint(Attached *a, Datum *values, bool *nulls, bool *repl, const char *key, bool import)
{
	Datum		args[N_INPUT + 2];
	char		argnulls[N_INPUT + 2];
	OnBehalf	b;
	int64		id;

	insert_args(a, values, nulls, args, argnulls);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	behalf_begin(&b, import, a->target, key);
	if (a->insert_plan == NULL)
		a->insert_plan = keep_plan(a->insert_sql, 1 + a->nfields + (a->nfacts > 0), a->insert_types);
	if (run_plan(a, &b, a->insert_plan, args, argnulls, key) != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
		elog(ERROR, "pg_complaint: inserting the complaint of an attached row failed");
	apply_write_back(a, b.caller, values, nulls, repl, &id);
	link_insert(a->target, key, id);
	behalf_end(&b);
	SPI_finish();
	return id;
}

static bool
att_changed(TupleDesc desc, int att, Datum *ov, bool *on, Datum *nv, bool *nn)
{
	Form_pg_attribute fa = TupleDescAttr(desc, att);

	if (on[att] != nn[att])
		return true;
	if (on[att])
		return false;
	return !datum_image_eq(ov[att], nv[att], fa->attbyval, fa->attlen);
}

static void
moving_remember(Attached *a, const char *oldkey, const char *newkey)
{
	if (moving.oldkey)
		pfree(moving.oldkey);
	if (moving.newkey)
		pfree(moving.newkey);
	moving.oldkey = MemoryContextStrdup(TopMemoryContext, oldkey);
	moving.newkey = MemoryContextStrdup(TopMemoryContext, newkey);
	moving.lxid = MyProc->lxid;
	moving.cid = GetCurrentCommandId(false);
	moving.target = a->target;
	moving.stage = 1;
}

/* moving_step: is this DELETE (stage 1) or INSERT (stage 2) the second half of a move? */
static bool
moving_step(Attached *a, const char *key, int stage)
{
	if (moving.stage != stage || moving.lxid != MyProc->lxid ||
		moving.cid != GetCurrentCommandId(false) || moving.target != a->target ||
		strcmp(stage == 1 ? moving.oldkey : moving.newkey, key) != 0)
		return false;
	moving.stage = stage == 1 ? 2 : 0;
	return true;
}

static HeapTuple
attached_insert(Attached *a, Relation rel, HeapTuple tuple)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	bool	   *repl = palloc0(sizeof(bool) * desc->natts);
	char	   *key;

	heap_deform_tuple(tuple, desc, values, nulls);
	key = row_key(a, values, nulls);
	if (key == NULL)
		return tuple;			/* the primary key's NOT NULL will say so */
	if (a->is_partition && moving_step(a, key, 2))
		return tuple;
	/*
	 * Already linked: the row exists, and the application's own unique
	 * violation or ON CONFLICT follows.  A transaction-level advisory lock
	 * on (target, key) makes a concurrent insert of the same key wait for
	 * the first one's end and then see its link.
	 */
	DirectFunctionCall2(pg_advisory_xact_lock_int4, Int32GetDatum((int32) a->target),
						Int32GetDatum((int32) hash_any((const unsigned char *) key, strlen(key))));
	if (link_exists(a->target, key))
		return tuple;
	new_complaint(a, values, nulls, repl, key, false);
	return heap_modify_tuple(tuple, desc, values, nulls, repl);
}

static HeapTuple
attached_update(Attached *a, Relation rel, HeapTuple oldtuple, HeapTuple newtuple)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			natts = desc->natts;
	Datum	   *ov = palloc(sizeof(Datum) * natts),
			   *nv = palloc(sizeof(Datum) * natts);
	bool	   *on = palloc(sizeof(bool) * natts),
			   *nn = palloc(sizeof(bool) * natts),
			   *repl = palloc0(sizeof(bool) * natts);
	Datum		args[N_INPUT + 5];
	char		argnulls[N_INPUT + 5];
	int64		mask = 0;
	char	   *oldkey,
			   *newkey;
	int			i,
				p;
	OnBehalf	b;
	bool		linked = true;
	int64		id;

	heap_deform_tuple(oldtuple, desc, ov, on);
	heap_deform_tuple(newtuple, desc, nv, nn);
	oldkey = row_key(a, ov, on);
	newkey = row_key(a, nv, nn);
	if (oldkey == NULL || newkey == NULL)
		return newtuple;

	for (i = 0; i < a->nfields; i++)
		if (att_changed(desc, a->fields[i].att, ov, on, nv, nn))
			mask |= INT64CONST(1) << i;
	for (i = 0; i < a->nfacts; i++)
		if (att_changed(desc, a->facts[i].att, ov, on, nv, nn))
			mask |= INT64CONST(1) << a->nfields;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	behalf_begin(&b, false, a->target, oldkey);
	if (mask != 0)
	{
		args[0] = ObjectIdGetDatum(a->target);
		args[1] = CStringGetTextDatum(oldkey);
		args[2] = Int64GetDatum(mask);
		argnulls[0] = argnulls[1] = argnulls[2] = ' ';
		for (i = 0, p = 3; i < a->nfields; i++, p++)
		{
			FieldMap   *f = &a->fields[i];
			bool		n = true;

			args[p] = (mask & (INT64CONST(1) << i)) ?
				input_value(a, f, nv[f->att], nn[f->att], &n) : (Datum) 0;
			argnulls[p] = n ? 'n' : ' ';
		}
		if (a->nfacts > 0)
		{
			args[p] = facts_value(a, nv, nn);
			args[p + 1] = a->fact_keys;
			argnulls[p] = argnulls[p + 1] = ' ';
		}
		if (a->update_plan == NULL)
			a->update_plan = keep_plan(a->update_sql, 3 + a->nfields + (a->nfacts > 0 ? 2 : 0), a->update_types);
		if (run_plan(a, &b, a->update_plan, args, argnulls, oldkey) != SPI_OK_UPDATE_RETURNING)
			elog(ERROR, "pg_complaint: updating the complaint of an attached row failed");
		linked = SPI_processed == 1;
		if (linked)
			apply_write_back(a, b.caller, nv, nn, repl, &id);
	}
	else if (a->nwb > 0)
	{
		/*
		 * Nothing the rules read changed: the write-back columns get what the
		 * complaint has now (the sweep, a cluster or a direct change may have
		 * moved it since: pgc_attach_refresh() comes this way), or keep their
		 * values for a row without a complaint.
		 */
		args[0] = ObjectIdGetDatum(a->target);
		args[1] = CStringGetTextDatum(oldkey);
		if (a->select_plan == NULL)
		{
			Oid			types[2] = {OIDOID, TEXTOID};

			a->select_plan = keep_plan(a->select_sql, 2, types);
		}
		if (run_plan(a, &b, a->select_plan, args, NULL, oldkey) != SPI_OK_SELECT)
			elog(ERROR, "pg_complaint: reading the complaint of an attached row failed");
		linked = SPI_processed == 1;
		if (linked)
			apply_write_back(a, b.caller, nv, nn, repl, &id);
		else
			for (i = 0; i < a->nwb; i++)
			{
				nv[a->wb[i].att] = ov[a->wb[i].att];
				nn[a->wb[i].att] = on[a->wb[i].att];
				repl[a->wb[i].att] = true;
			}
	}
	if (linked && strcmp(oldkey, newkey) != 0)
	{
		Datum		rargs[3];

		if (rekey_plan == NULL)
		{
			Oid			types[3] = {OIDOID, TEXTOID, TEXTOID};

			rekey_plan = keep_plan("UPDATE complaint.attached_row SET key = $3"
								   " WHERE target OPERATOR(pg_catalog.=) $1 AND key OPERATOR(pg_catalog.=) $2", 3, types);
		}
		rargs[0] = ObjectIdGetDatum(a->target);
		rargs[1] = CStringGetTextDatum(oldkey);
		rargs[2] = CStringGetTextDatum(newkey);
		run_plan(a, &b, rekey_plan, rargs, NULL, oldkey);
	}
	behalf_end(&b);
	SPI_finish();
	if (a->is_partition)
		moving_remember(a, oldkey, newkey);
	return heap_modify_tuple(newtuple, desc, nv, nn, repl);
}

static HeapTuple
attached_delete(Attached *a, Relation rel, HeapTuple tuple)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	char	   *key;
	Datum		args[2];
	OnBehalf	b;

	heap_deform_tuple(tuple, desc, values, nulls);
	key = row_key(a, values, nulls);
	if (key == NULL)
		return tuple;
	if (a->is_partition && moving_step(a, key, 1))
		return tuple;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	behalf_begin(&b, false, a->target, key);
	if (delete_plan == NULL)
	{
		Oid			types[2] = {OIDOID, TEXTOID};

		delete_plan = keep_plan("DELETE FROM complaint.attached_row l"
								" WHERE l.target OPERATOR(pg_catalog.=) $1 AND l.key OPERATOR(pg_catalog.=) $2"
								" RETURNING (SELECT c.ref FROM complaint.complaint c WHERE c.id OPERATOR(pg_catalog.=) l.complaint_id),"
								" (SELECT c.status::pg_catalog.text FROM complaint.complaint c WHERE c.id OPERATOR(pg_catalog.=) l.complaint_id)",
								2, types);
	}
	args[0] = ObjectIdGetDatum(a->target);
	args[1] = CStringGetTextDatum(key);
	run_plan(a, &b, delete_plan, args, NULL, key);
	behalf_end(&b);
	if (SPI_processed == 1)
	{
		char	   *ref = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		char	   *status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

		if (status != NULL && strcmp(status, "closed") != 0 && strcmp(status, "rejected") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cannot delete row %s of %s: its complaint %s is open (status \"%s\")",
							key, a->target_name, ref, status),
					 errdetail("A complaint stays on record until it is closed or rejected."),
					 errhint("Close or reject the complaint first (through the mapped status column), or detach the table with complaint.detach().")));
	}
	SPI_finish();
	return tuple;
}

PG_FUNCTION_INFO_V1(pgc_attached_row);

/* pgc_attached_row is complaint._attached_row(), the row trigger of attached tables. */
Datum
pgc_attached_row(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Attached   *a;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("complaint._attached_row() must be called as a trigger")));
	if (!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("complaint._attached_row() must be fired BEFORE ... FOR EACH ROW")));
	a = attached_get(trigdata->tg_relation);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		PG_RETURN_POINTER(attached_insert(a, trigdata->tg_relation, trigdata->tg_trigtuple));
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		PG_RETURN_POINTER(attached_update(a, trigdata->tg_relation, trigdata->tg_trigtuple,
										  trigdata->tg_newtuple));
	PG_RETURN_POINTER(attached_delete(a, trigdata->tg_relation, trigdata->tg_trigtuple));
}

/* ----------------------------------------------------------------
 * Copying changes of complaint.complaint back to the application
 * ----------------------------------------------------------------
 */

/* any_attachment: is any table attached (read once per configuration epoch)? */
static bool
any_attachment(void)
{
	static uint64 epoch = 0;
	static bool known = false;
	static bool any = true;
	PgcUserSwitch sw;
	Datum		unused = CStringGetTextDatum("");

	pgc_config_accept_invalidations();
	if (known && epoch == pgc_config_epoch)
		return any;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	pgc_switch_to_owner(pgc_config_owner(), &sw);
	pgc_config_query("SELECT 1 FROM complaint.attachment LIMIT 1", &unused, pgc_config_snapshot());
	pgc_switch_back(&sw);
	any = SPI_processed > 0;
	SPI_finish();
	epoch = pgc_config_epoch;
	known = true;
	return any;
}

/*
 * split_row_key splits the row literal of a composite key (as row_key
 * writes it) into its items.
 */
static char **
split_row_key(const char *key, int nkeys)
{
	char	  **items = palloc0(sizeof(char *) * nkeys);
	const char *p = key;
	int			i;

	if (*p++ != '(')
		return NULL;
	for (i = 0; i < nkeys; i++)
	{
		StringInfoData buf;

		initStringInfo(&buf);
		if (*p == '"')
		{
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
			{
				if ((*p == '"' || *p == '\\') && p[1] == *p)
					p++;
				appendStringInfoChar(&buf, *p);
			}
			if (*p++ != '"')
				return NULL;
		}
		else
			for (; *p && *p != ',' && *p != ')'; p++)
				appendStringInfoChar(&buf, *p);
		items[i] = buf.data;
		if (*p != (i == nkeys - 1 ? ')' : ','))
			return NULL;
		p++;
	}
	return *p == '\0' ? items : NULL;
}

/*
 * pgc_attach_refresh is called by the complaint's AFTER UPDATE trigger when
 * a field that can be written back changed.  When the complaint belongs to
 * a row of an attached table and the change did not come from that row's
 * own trigger (the sweep marked a breach, the rules raised its level, staff
 * changed it in complaint.complaint), the row is updated as the table's
 * owner with its first write-back column set to itself: its trigger then
 * fills every write-back column from the complaint (attached_update).  The
 * application's other triggers see an ordinary UPDATE of the row.
 */
void
pgc_attach_refresh(int64 complaint_id)
{
	static SPIPlanPtr link_plan = NULL;
	Datum		arg = Int64GetDatum(complaint_id);
	PgcUserSwitch sw;
	Oid			target;
	char	   *key;
	Relation	rel;
	TupleDesc	desc;
	Attached   *a;
	StringInfoData sql;
	Oid		   *types;
	Datum	   *args;
	char	  **items;
	bool		isnull;
	int			i;

	if (!any_attachment())
		return;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	pgc_switch_to_owner(pgc_config_owner(), &sw);
	if (link_plan == NULL)
	{
		Oid			type = INT8OID;

		link_plan = keep_plan("SELECT target::pg_catalog.oid, key FROM complaint.attached_row"
							  " WHERE complaint_id OPERATOR(pg_catalog.=) $1", 1, &type);
	}
	if (SPI_execute_plan(link_plan, &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "pg_complaint: reading complaint.attached_row failed");
	pgc_switch_back(&sw);
	if (SPI_processed == 0)
	{
		SPI_finish();
		return;
	}
	target = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	key = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (sync_active(target, key))
	{
		SPI_finish();
		return;
	}

	rel = table_open(target, AccessShareLock);
	desc = RelationGetDescr(rel);
	a = attached_get(rel);
	if (a->nwb == 0)
	{
		table_close(rel, AccessShareLock);
		SPI_finish();
		return;
	}
	items = a->nkeys == 1 ? &key : split_row_key(key, a->nkeys);
	if (items == NULL)
		elog(ERROR, "pg_complaint: malformed key %s of %s in complaint.attached_row", key, a->target_name);
	initStringInfo(&sql);
	appendStringInfo(&sql, "UPDATE %s SET %s = %s WHERE ", a->target_name,
					 quote_identifier(NameStr(TupleDescAttr(desc, a->wb[0].att)->attname)),
					 quote_identifier(NameStr(TupleDescAttr(desc, a->wb[0].att)->attname)));
	types = palloc(sizeof(Oid) * a->nkeys);
	args = palloc(sizeof(Datum) * a->nkeys);
	for (i = 0; i < a->nkeys; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, a->key_att[i]);

		appendStringInfo(&sql, "%s%s OPERATOR(pg_catalog.=) CAST($%d AS %s)", i ? " AND " : "",
						 quote_identifier(NameStr(att->attname)), i + 1,
						 format_type_with_typemod(att->atttypid, att->atttypmod));
		types[i] = TEXTOID;
		args[i] = CStringGetTextDatum(items[i]);
	}
	pgc_switch_to_owner(rel->rd_rel->relowner, &sw);
	if (SPI_execute_with_args(sql.data, a->nkeys, types, args, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "pg_complaint: refreshing row %s of %s failed", key, a->target_name);
	pgc_switch_back(&sw);
	table_close(rel, AccessShareLock);
	SPI_finish();
}

/* ----------------------------------------------------------------
 * attach() and detach()
 * ----------------------------------------------------------------
 */

/* check_may_attach: the target's owner or complaint_admin */
static void
check_may_attach(Oid relid, const char *verb)
{
	if (!pg_class_ownercheck(relid, GetUserId()) && !pgc_is_admin())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to %s table %s", verb, qualified_name(relid)),
				 errdetail("Only the owner of the table or a member of complaint_admin may %s it.", verb)));
}

/* run_sql runs one statement as the current (switched) user. */
static void
run_sql(const char *sql, int nargs, Oid *types, Datum *args, int expect)
{
	int			rc = SPI_execute_with_args(sql, nargs, types, args, NULL, false, 0);

	if (rc != expect)
		elog(ERROR, "pg_complaint: \"%s\" failed: %s", sql, SPI_result_code_string(rc));
}

/*
 * import_rows brings the rows already in the table under the rules, in
 * batches: a complaint each (imported: any status, its preconditions
 * checked), a link, and the write-back columns.  Runs before the trigger
 * exists, as the extension's owner.
 */
static int64
import_rows(Oid relid, const char *name, const char *policy, Jsonb *mapping,
			int nkeys, char **key_names)
{
	char	   *select_sql = psprintf("SELECT * FROM %s", name);
	int64		total,
				done = 0;
	Portal		portal;
	Attached   *a = NULL;
	SPIPlanPtr	wb_plan = NULL;
	bool		isnull;
	OnBehalf	here;

	/* the caller already runs as the extension's owner: errors only get their context */
	memset(&here, 0, sizeof(here));
	here.caller = CurrentMemoryContext;
	run_sql(psprintf("SELECT pg_catalog.count(*) FROM %s", name), 0, NULL, NULL, SPI_OK_SELECT);
	total = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (total == 0)
		return 0;
	portal = SPI_cursor_open_with_args(NULL, select_sql, 0, NULL, NULL, NULL, true, 0);
	for (;;)
	{
		SPITupleTable *batch;
		uint64		i;

		SPI_cursor_fetch(portal, true, IMPORT_BATCH);
		batch = SPI_tuptable;
		if (SPI_processed == 0)
			break;
		if (a == NULL)
		{
			StringInfoData sql;
			Oid		   *types;
			int			k;

			a = compile(batch->tupdesc, relid, name, policy, mapping, nkeys, key_names, CurrentMemoryContext);
			a->insert_plan = keep_plan(a->insert_sql, 1 + a->nfields + (a->nfacts > 0), a->insert_types);
			if (a->nwb > 0)
			{
				initStringInfo(&sql);
				types = palloc(sizeof(Oid) * (a->nwb + a->nkeys));
				appendStringInfo(&sql, "UPDATE %s SET ", name);
				for (k = 0; k < a->nwb; k++)
				{
					Form_pg_attribute att = TupleDescAttr(batch->tupdesc, a->wb[k].att);

					appendStringInfo(&sql, "%s%s = $%d", k ? ", " : "", quote_identifier(NameStr(att->attname)), k + 1);
					types[k] = att->atttypid;
				}
				for (k = 0; k < a->nkeys; k++)
				{
					Form_pg_attribute att = TupleDescAttr(batch->tupdesc, a->key_att[k]);

					appendStringInfo(&sql, " %s %s OPERATOR(pg_catalog.=) $%d", k ? "AND" : "WHERE",
									 quote_identifier(NameStr(att->attname)), a->nwb + k + 1);
					types[a->nwb + k] = att->atttypid;
				}
				wb_plan = keep_plan(sql.data, a->nwb + a->nkeys, types);
			}
		}
		for (i = 0; i < batch->numvals; i++)
		{
			int			natts = batch->tupdesc->natts;
			Datum	   *values = palloc(sizeof(Datum) * natts);
			bool	   *nulls = palloc(sizeof(bool) * natts);
			bool	   *repl = palloc0(sizeof(bool) * natts);
			Datum		args[N_INPUT + 2];
			char		argnulls[N_INPUT + 2];
			char	   *key;
			int64		id;
			int			k;

			heap_deform_tuple(batch->vals[i], batch->tupdesc, values, nulls);
			key = row_key(a, values, nulls);
			insert_args(a, values, nulls, args, argnulls);
			if (run_plan(a, &here, a->insert_plan, args, argnulls, key) != SPI_OK_INSERT_RETURNING)
				elog(ERROR, "pg_complaint: importing a row failed");
			apply_write_back(a, here.caller, values, nulls, repl, &id);
			link_insert(relid, key, id);
			if (wb_plan != NULL)
			{
				Datum		wargs[N_WB + INDEX_MAX_KEYS];
				char		wnulls[N_WB + INDEX_MAX_KEYS];

				for (k = 0; k < a->nwb; k++)
				{
					wargs[k] = values[a->wb[k].att];
					wnulls[k] = nulls[a->wb[k].att] ? 'n' : ' ';
				}
				for (k = 0; k < a->nkeys; k++)
				{
					wargs[a->nwb + k] = values[a->key_att[k]];
					wnulls[a->nwb + k] = ' ';
				}
				if (SPI_execute_plan(wb_plan, wargs, wnulls, false, 0) != SPI_OK_UPDATE)
					elog(ERROR, "pg_complaint: writing back into %s failed", name);
			}
			done++;
		}
		SPI_freetuptable(batch);
		if (total > IMPORT_BATCH)
			ereport(NOTICE,
					(errmsg("attach: %lld of %lld rows of %s imported", (long long) done,
							(long long) total, name)));
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	if (wb_plan)
		SPI_freeplan(wb_plan);
	if (a->insert_plan)
		SPI_freeplan(a->insert_plan);
	return done;
}

/* primary_key returns the names of the primary-key columns of a table. */
static int
primary_key(Relation rel, const char *name, char ***names)
{
	Oid			pk = RelationGetPrimaryKeyIndex(rel);
	Relation	irel;
	int			n,
				i;

	if (!OidIsValid(pk))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table %s has no primary key", name),
				 errdetail("Each row of an attached table is linked to its complaint by its primary key."),
				 errhint("Add a primary key to the table (ALTER TABLE ... ADD PRIMARY KEY).")));
	irel = index_open(pk, AccessShareLock);
	n = irel->rd_index->indnkeyatts;
	*names = palloc(sizeof(char *) * n);
	for (i = 0; i < n; i++)
	{
		AttrNumber	attno = irel->rd_index->indkey.values[i];
		Form_pg_attribute att;

		if (attno <= 0)
			elog(ERROR, "pg_complaint: unexpected expression in the primary key of %s", name);
		att = TupleDescAttr(RelationGetDescr(rel), attno - 1);
		if (!is_key_type(att->atttypid))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("primary-key column \"%s\" of %s has type %s, which cannot identify an attached row",
							NameStr(att->attname), name, format_type_be(att->atttypid)),
					 errdetail("Keys of an integer, numeric, text, uuid, boolean or enum type are supported: their text does not depend on settings such as DateStyle.")));
		(*names)[i] = pstrdup(NameStr(att->attname));
	}
	index_close(irel, AccessShareLock);
	return n;
}

PG_FUNCTION_INFO_V1(pgc_attach);

/*
 * pgc_attach is complaint.attach(target, policy, mapping, existing): validates
 * the mapping against the table, records it, imports the rows already there
 * (unless existing = 'skip') and creates the triggers.
 */
Datum
pgc_attach(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *policy;
	Jsonb	   *mapping;
	char	   *existing;
	Relation	rel;
	char	   *name;
	char	  **key_names;
	int			nkeys,
				i;
	PgcUserSwitch sw;
	bool		saved_import = pgc_import_mode;
	char	   *saved_actor;
	volatile int64 imported = 0;
	Datum	   *key_datums;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("complaint.attach() needs a table, a policy and a mapping")));
	relid = PG_GETARG_OID(0);
	policy = text_to_cstring(PG_GETARG_TEXT_PP(1));
	mapping = PG_GETARG_JSONB_P(2);
	existing = PG_ARGISNULL(3) ? "import" : text_to_cstring(PG_GETARG_TEXT_PP(3));
	if (strcmp(existing, "import") != 0 && strcmp(existing, "skip") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("existing must be 'import' or 'skip', not '%s'", existing),
				 errhint("'import' (the default) brings the rows already in the table under the rules; 'skip' leaves them alone.")));

	pgc_config_accept_invalidations();
	rel = table_open(relid, ShareRowExclusiveLock);
	name = qualified_name(relid);
	check_may_attach(relid, "attach");
	if (rel->rd_rel->relkind != RELKIND_RELATION && rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s is not a table", name)));
	if (rel->rd_rel->relispartition)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s is a partition", name),
				 errhint("Attach the partitioned table; its partitions follow.")));
	if (rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s is a temporary table", RelationGetRelationName(rel)),
				 errdetail("Its complaints would outlive it.")));
	if (RelationGetNamespace(rel) == pgc_catalog()->namespace)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s belongs to pg_complaint and cannot be attached", name)));

	nkeys = primary_key(rel, name, &key_names);
	/* validation: the same compilation the trigger uses */
	(void) compile(RelationGetDescr(rel), relid, name, policy, mapping, nkeys, key_names, CurrentMemoryContext);

	key_datums = palloc(sizeof(Datum) * nkeys);
	for (i = 0; i < nkeys; i++)
		key_datums[i] = CStringGetTextDatum(key_names[i]);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	saved_actor = pgc_set_actor(GetUserNameFromId(GetUserId(), false));
	{
		Oid			types[6] = {OIDOID, TEXTOID, JSONBOID, TEXTARRAYOID, TEXTOID, TEXTOID};
		Datum		args[6];

		args[0] = ObjectIdGetDatum(relid);
		args[1] = CStringGetTextDatum(policy);
		args[2] = JsonbPGetDatum(mapping);
		args[3] = PointerGetDatum(construct_array(key_datums, nkeys, TEXTOID, -1, false, TYPALIGN_INT));
		args[4] = CStringGetTextDatum(existing);
		args[5] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
		pgc_switch_to_owner(pgc_config_owner(), &sw);
		if (SPI_execute_with_args("SELECT 1 FROM complaint.attachment WHERE target OPERATOR(pg_catalog.=) $1",
								  1, types, args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "pg_complaint: reading complaint.attachment failed");
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("table %s is already attached", name),
					 errhint("Run complaint.detach('%s') first to attach it with another policy or mapping.", name)));
		run_sql("INSERT INTO complaint.attachment (target, policy, mapping, key_columns, existing, attached_by)"
				" VALUES ($1::pg_catalog.regclass, $2, $3, $4::pg_catalog.name[], $5, $6::pg_catalog.name)",
				6, types, args, SPI_OK_INSERT);
	}
	PG_TRY();
	{
		if (strcmp(existing, "import") == 0)
		{
			pgc_import_mode = true;
			imported = import_rows(relid, name, policy, mapping, nkeys, key_names);
			pgc_import_mode = saved_import;
		}
		run_sql(psprintf("CREATE TRIGGER %s BEFORE INSERT OR UPDATE OR DELETE ON %s"
						 " FOR EACH ROW EXECUTE FUNCTION complaint._attached_row()", TRIGGER_NAME, name),
				0, NULL, NULL, SPI_OK_UTILITY);
		run_sql(psprintf("CREATE TRIGGER %s BEFORE TRUNCATE ON %s"
						 " FOR EACH STATEMENT EXECUTE FUNCTION complaint._attached_truncate()", TRUNCATE_TRIGGER, name),
				0, NULL, NULL, SPI_OK_UTILITY);
	}
	PG_FINALLY();
	{
		pgc_import_mode = saved_import;
		pgc_set_actor(saved_actor);
	}
	PG_END_TRY();
	pgc_switch_back(&sw);
	SPI_finish();
	table_close(rel, NoLock);
	PG_RETURN_INT64(imported);
}

PG_FUNCTION_INFO_V1(pgc_detach);

/*
 * pgc_detach is complaint.detach(target): drops the triggers and forgets the
 * attachment and its links; the complaints stay.
 */
Datum
pgc_detach(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	Relation	rel;
	char	   *name;
	PgcUserSwitch sw;
	Oid			types[1] = {OIDOID};
	Datum		args[1];
	int64		links,
				open;
	bool		isnull;

	pgc_config_accept_invalidations();
	rel = table_open(relid, ShareRowExclusiveLock);
	name = qualified_name(relid);
	check_may_attach(relid, "detach");
	args[0] = ObjectIdGetDatum(relid);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	pgc_switch_to_owner(pgc_config_owner(), &sw);
	run_sql("SELECT (SELECT pg_catalog.count(*) FROM complaint.attached_row l WHERE l.target OPERATOR(pg_catalog.=) $1),"
			" (SELECT pg_catalog.count(*) FROM complaint.attached_row l JOIN complaint.complaint c ON c.id OPERATOR(pg_catalog.=) l.complaint_id"
			"   WHERE l.target OPERATOR(pg_catalog.=) $1 AND c.status::pg_catalog.text OPERATOR(pg_catalog.<>) ALL ('{closed,rejected}'))"
			" FROM complaint.attachment WHERE target OPERATOR(pg_catalog.=) $1",
			1, types, args, SPI_OK_SELECT);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("table %s is not attached", name),
				 errhint("complaint.attachments lists the attached tables.")));
	links = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	open = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	run_sql(psprintf("DROP TRIGGER IF EXISTS %s ON %s", TRIGGER_NAME, name), 0, NULL, NULL, SPI_OK_UTILITY);
	run_sql(psprintf("DROP TRIGGER IF EXISTS %s ON %s", TRUNCATE_TRIGGER, name), 0, NULL, NULL, SPI_OK_UTILITY);
	run_sql("DELETE FROM complaint.attachment WHERE target OPERATOR(pg_catalog.=) $1", 1, types, args, SPI_OK_DELETE);
	pgc_switch_back(&sw);
	SPI_finish();
	table_close(rel, NoLock);
	if (open > 0)
		ereport(NOTICE,
				(errmsg("%lld complaints of %s are still open; they stay in complaint.complaint", (long long) open, name),
				 errhint("Close or reject them in complaint.complaint, or they keep their deadlines and escalations.")));
	PG_RETURN_INT64(links);
}
