/*-------------------------------------------------------------------------
 *
 * rules.c
 *	  The rule language of classification rules: parsing a condition stored
 *	  as jsonb, validating it against its policy (facts, categories, enum
 *	  values, types), and compiling it into a PgcCond tree.  Also the C side
 *	  of complaint._rule_check(), which runs the same compiler when a rule is
 *	  written, so that a rule that would not compile never gets stored.
 *
 * Grammar (README, "Rule language"):
 *
 *	cond  := {"all": [cond, ...]} | {"any": [cond, ...]} | {"not": cond}
 *		   | {"fact": F, "op": OP, "value": V}
 *		   | {"fact": F}								(a boolean fact is true)
 *		   | {"fact": "similar", "op": OP, "value": N,
 *			  "window": "30 days", "by": ["category", "unit"],
 *			  "count": "complainants" | "complaints"}
 *	F	  := a column (channel, category, subject, complainant, customer_type,
 *			 unit, handler, collective_size, amount, reopen_count,
 *			 satisfaction, validity, status)
 *		   | "facts.<key>" (declared in complaint.fact)
 *		   | "age" | "working_age" (intervals since received_at)
 *		   | "unresolved" | "similar"
 *		   | "received_in_working_time" | "received_on_workday"
 *		   | "breached.<deadline kind>"
 *	OP	  := = != < <= > >= in not_in exists not_exists
 *
 * Errors point into the condition with a path such as $.all[1].value.
 *
 * IDENTIFICATION
 *	  extension/src/rules.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pg_complaint.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

const char *const pgc_op_names[] = {
	"=", "!=", "<", "<=", ">", ">=", "in", "not_in", "exists", "not_exists"
};
#define PGC_NOPS 10


/* facts that are columns of complaint.complaint */
typedef struct ColumnFact
{
	const char *name;
	PgcCol		col;
	PgcFactType type;
	char		domain;			/* 'c'hannel, 'k' category, 'v'alidity, 's'tatus, 0 */
} ColumnFact;

static const ColumnFact column_facts[] = {
	{"channel", C_CHANNEL, PGC_FT_TEXT, 'c'},
	{"category", C_CATEGORY, PGC_FT_TEXT, 'k'},
	{"subject", C_SUBJECT, PGC_FT_TEXT, 0},
	{"complainant", C_COMPLAINANT, PGC_FT_TEXT, 0},
	{"customer_type", C_CUSTOMER_TYPE, PGC_FT_TEXT, 0},
	{"unit", C_UNIT, PGC_FT_TEXT, 0},
	{"handler", C_HANDLER, PGC_FT_TEXT, 0},
	{"collective_size", C_COLLECTIVE_SIZE, PGC_FT_NUM, 0},
	{"amount", C_AMOUNT, PGC_FT_NUM, 0},
	{"reopen_count", C_REOPEN_COUNT, PGC_FT_NUM, 0},
	{"satisfaction", C_SATISFACTION, PGC_FT_NUM, 0},
	{"validity", C_VALIDITY, PGC_FT_TEXT, 'v'},
	{"status", C_STATUS, PGC_FT_TEXT, 's'},
	{NULL, 0, 0, 0}
};

#define COLBIT(c) (UINT64CONST(1) << (c))

/* Compilation state: where we are, for error messages. */
typedef struct CompileCtx
{
	const PgcRuleScope *scope;
	const char *rule;
	const char *text;			/* the whole condition, for errdetail */
	uint64		read_cols;
	bool		reads_facts;
	bool		has_similar;
	int			depth;
} CompileCtx;

static void rule_error(CompileCtx *cx, const char *path, const char *hint, const char *fmt,...) pg_attribute_printf(4, 5);

/* rule_error reports an invalid condition with the path of the offending part. */
static void
rule_error(CompileCtx *cx, const char *path, const char *hint, const char *fmt,...)
{
	char		msg[1024];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid condition in rule \"%s\" of policy \"%s\": %s",
					cx->rule, cx->scope->policy, msg),
			 errdetail("At %s of %s", path, cx->text),
			 hint ? errhint("%s", hint) : 0));
}

/* get_key returns the value of key in an object container, or NULL. */
static JsonbValue *
get_key(JsonbContainer *obj, const char *key)
{
	return getKeyJsonValueFromContainer(obj, key, strlen(key), NULL);
}

static const char *
jbv_type_name(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "a string";
		case jbvNumeric:
			return "a number";
		case jbvBool:
			return "a boolean";
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data) ? "an array" : "an object";
		default:
			return "a value";
	}
}

static char *
jbv_string(JsonbValue *v)
{
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static double
jbv_number(JsonbValue *v)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
}

/* parse_interval turns a string into an interval, reporting the path on error. */
static Interval
parse_interval(CompileCtx *cx, const char *path, const char *s)
{
	Interval	result;
	MemoryContext oldcxt = CurrentMemoryContext;

	PG_TRY();
	{
		Interval   *iv = DatumGetIntervalP(DirectFunctionCall3(interval_in,
															   CStringGetDatum(s),
															   ObjectIdGetDatum(InvalidOid),
															   Int32GetDatum(-1)));

		result = *iv;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcxt);
		FlushErrorState();
		rule_error(cx, path, "Write an interval such as \"7 days\", \"1 month\" or \"4 hours\".",
				   "\"%s\" is not an interval", s);
	}
	PG_END_TRY();
	return result;
}

static bool
interval_negative_or_zero(const Interval *iv)
{
	return iv->month < 0 || iv->day < 0 || iv->time < 0 ||
		(iv->month == 0 && iv->day == 0 && iv->time == 0);
}

/* pgc_fact_find finds a declared fact by key (facts sorted by key). */
PgcFactDecl *
pgc_fact_find(int nfacts, PgcFactDecl *facts, const char *key, int len)
{
	int			lo = 0,
				hi = nfacts;

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;
		int			c = strncmp(facts[mid].key, key, len);

		if (c == 0 && facts[mid].key[len] != '\0')
			c = 1;
		if (c == 0)
			return &facts[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* pgc_category_find finds a category by code (categories sorted by code). */
PgcCategory *
pgc_category_find(int n, PgcCategory *cats, const char *code, int len)
{
	int			lo = 0,
				hi = n;

	while (lo < hi)
	{
		int			mid = (lo + hi) >> 1;
		int			c = strncmp(cats[mid].code, code, len);

		if (c == 0 && cats[mid].code[len] != '\0')
			c = 1;
		if (c == 0)
			return &cats[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* fact_list returns the facts a rule of this scope may read, for hints. */
static char *
fact_list(const PgcRuleScope *scope)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "Facts: ");
	for (i = 0; column_facts[i].name; i++)
		appendStringInfo(&buf, "%s, ", column_facts[i].name);
	appendStringInfoString(&buf, "age, working_age, unresolved, similar, received_in_working_time, received_on_workday, breached.<deadline kind>");
	for (i = 0; i < scope->nfacts; i++)
		appendStringInfo(&buf, ", facts.%s", scope->facts[i].key);
	appendStringInfoString(&buf, " (declare new facts in complaint.fact).");
	return buf.data;
}

/* check_domain verifies a text value against the domain of its fact. */
static void
check_domain(CompileCtx *cx, PgcCond *c, char domain, const PgcFactDecl *decl,
			 const char *path, const char *value)
{
	int			i;

	switch (domain)
	{
		case 'c':
			for (i = 0; i < PGC_NCHANNEL; i++)
				if (strcmp(pgc_channel_names[i], value) == 0)
					return;
			rule_error(cx, path, "Channels: phone, email, web, forum, letter, in_person, hotline, review, sales_feedback, regulator, other.",
					   "\"%s\" is not a channel", value);
			break;
		case 'k':
			if (pgc_category_find(cx->scope->ncategories, cx->scope->categories, value, strlen(value)))
				return;
			rule_error(cx, path, "Add the category to complaint.category first.",
					   "\"%s\" is not a category of policy \"%s\"", value, cx->scope->policy);
			break;
		case 'v':
			for (i = 0; i < PGC_NVALIDITY; i++)
				if (strcmp(pgc_validity_names[i], value) == 0)
					return;
			rule_error(cx, path, "Validity is effective, invalid or suggestion.",
					   "\"%s\" is not a validity", value);
			break;
		case 's':
			for (i = 0; i < PGC_NSTATUS; i++)
				if (strcmp(pgc_status_names[i], value) == 0)
					return;
			rule_error(cx, path, NULL, "\"%s\" is not a status", value);
			break;
		default:
			if (decl != NULL && decl->nallowed > 0)
			{
				StringInfoData buf;

				for (i = 0; i < decl->nallowed; i++)
					if (strcmp(decl->allowed[i], value) == 0)
						return;
				initStringInfo(&buf);
				appendStringInfo(&buf, "Allowed values of %s:", c->name);
				for (i = 0; i < decl->nallowed; i++)
					appendStringInfo(&buf, " %s", decl->allowed[i]);
				appendStringInfoChar(&buf, '.');
				rule_error(cx, path, buf.data, "\"%s\" is not an allowed value of %s", value, c->name);
			}
			break;
	}
}

/* scalar_value checks one value of a comparison and stores it in c. */
static void
scalar_value(CompileCtx *cx, PgcCond *c, JsonbValue *v, const char *path, int i,
			 char domain, const PgcFactDecl *decl)
{
	switch (c->type)
	{
		case PGC_FT_BOOL:
			if (v->type != jbvBool)
				rule_error(cx, path, NULL, "%s is a boolean fact; the value is %s", c->name, jbv_type_name(v));
			c->bval = v->val.boolean;
			break;
		case PGC_FT_NUM:
			if (v->type != jbvNumeric)
				rule_error(cx, path, NULL, "%s is a number; the value is %s", c->name, jbv_type_name(v));
			c->nums[i] = jbv_number(v);
			break;
		case PGC_FT_TEXT:
			if (v->type != jbvString)
				rule_error(cx, path, NULL, "%s is a text; the value is %s", c->name, jbv_type_name(v));
			c->texts[i] = jbv_string(v);
			check_domain(cx, c, domain, decl, path, c->texts[i]);
			break;
		case PGC_FT_INTERVAL:
			if (v->type != jbvString)
				rule_error(cx, path, "Write an interval such as \"7 days\".",
						   "%s is compared with an interval written as a string; the value is %s",
						   c->name, jbv_type_name(v));
			c->ival = parse_interval(cx, path, jbv_string(v));
			if (c->fkind == PGC_FK_WORKING_AGE && (c->ival.month != 0 || c->ival.day != 0))
				rule_error(cx, path, "Write working time in hours, e.g. \"36 hours\".",
						   "working_age is counted in working hours; \"%s\" has a day or month part",
						   jbv_string(v));
			if (c->ival.month < 0 || c->ival.day < 0 || c->ival.time < 0)
				rule_error(cx, path, NULL, "the interval \"%s\" is negative", jbv_string(v));
			break;
	}
}

static PgcCond *compile_node(CompileCtx *cx, JsonbContainer *node, const char *path);

/* compile_list compiles the array of an "all" or "any". */
static void
compile_list(CompileCtx *cx, PgcCond *c, JsonbValue *v, const char *path, const char *key)
{
	JsonbIterator *it;
	JsonbValue	elem;
	JsonbIteratorToken tok;
	int			n,
				i = 0;
	PgcCond   **cheap;
	PgcCond   **dear;
	int			ncheap = 0,
				ndear = 0;

	if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		rule_error(cx, psprintf("%s.%s", path, key), NULL, "\"%s\" takes an array of conditions", key);
	n = JsonContainerSize(v->val.binary.data);
	if (n == 0)
		rule_error(cx, psprintf("%s.%s", path, key), NULL, "\"%s\" needs at least one condition", key);
	cheap = palloc(sizeof(PgcCond *) * n);
	dear = palloc(sizeof(PgcCond *) * n);
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		char	   *p;
		PgcCond    *child;

		if (tok != WJB_ELEM)
			continue;
		p = psprintf("%s.%s[%d]", path, key, i++);
		if (elem.type != jbvBinary || !JsonContainerIsObject(elem.val.binary.data))
			rule_error(cx, p, NULL, "a condition must be a JSON object, not %s", jbv_type_name(&elem));
		child = compile_node(cx, elem.val.binary.data, p);
		/* evaluate conditions that read the table last */
		if (child->expensive)
			dear[ndear++] = child;
		else
			cheap[ncheap++] = child;
	}
	c->nchildren = ncheap + ndear;
	c->children = palloc(sizeof(PgcCond *) * c->nchildren);
	memcpy(c->children, cheap, sizeof(PgcCond *) * ncheap);
	memcpy(c->children + ncheap, dear, sizeof(PgcCond *) * ndear);
	c->expensive = ndear > 0;
}

/* compile_similar reads the extra keys of a similar-complaints fact. */
static void
compile_similar(CompileCtx *cx, PgcCond *c, JsonbContainer *node, const char *path)
{
	JsonbValue *v;

	c->expensive = true;
	cx->has_similar = true;
	cx->read_cols |= COLBIT(C_CATEGORY) | COLBIT(C_UNIT) | COLBIT(C_COMPLAINANT) | COLBIT(C_VALIDITY);
	c->window.month = 0;
	c->window.day = 30;
	c->window.time = 0;
	c->by_category = c->by_unit = true;
	c->count_complaints = false;

	if ((v = get_key(node, "window")) != NULL)
	{
		char	   *p = psprintf("%s.window", path);

		if (v->type != jbvString)
			rule_error(cx, p, "Write the window as an interval, e.g. \"30 days\".", "window must be a string, not %s", jbv_type_name(v));
		c->window = parse_interval(cx, p, jbv_string(v));
		if (interval_negative_or_zero(&c->window))
			rule_error(cx, p, NULL, "the window must be positive");
		if (c->window.month > 120 || c->window.day > 3660 || c->window.time > INT64CONST(3660) * USECS_PER_DAY)
			rule_error(cx, p, NULL, "the window may not exceed 10 years");
	}
	if ((v = get_key(node, "by")) != NULL)
	{
		char	   *p = psprintf("%s.by", path);
		JsonbIterator *it;
		JsonbValue	elem;
		JsonbIteratorToken tok;

		if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
			rule_error(cx, p, "Give an array such as [\"category\", \"unit\"].", "by must be an array");
		c->by_category = c->by_unit = false;
		it = JsonbIteratorInit(v->val.binary.data);
		while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
		{
			char	   *s;

			if (tok != WJB_ELEM)
				continue;
			if (elem.type != jbvString)
				rule_error(cx, p, NULL, "by lists column names, not %s", jbv_type_name(&elem));
			s = jbv_string(&elem);
			if (strcmp(s, "category") == 0)
				c->by_category = true;
			else if (strcmp(s, "unit") == 0)
				c->by_unit = true;
			else
				rule_error(cx, p, "Similar complaints are grouped by category, unit or both.",
						   "cannot group similar complaints by \"%s\"", s);
		}
	}
	if ((v = get_key(node, "count")) != NULL)
	{
		char	   *p = psprintf("%s.count", path);
		char	   *s;

		if (v->type != jbvString)
			rule_error(cx, p, NULL, "count must be \"complainants\" or \"complaints\"");
		s = jbv_string(v);
		if (strcmp(s, "complaints") == 0)
			c->count_complaints = true;
		else if (strcmp(s, "complainants") != 0)
			rule_error(cx, p, NULL, "count must be \"complainants\" or \"complaints\", not \"%s\"", s);
	}
}

/* compile_cmp compiles {"fact": ..., "op": ..., "value": ...}. */
static void
compile_cmp(CompileCtx *cx, PgcCond *c, JsonbContainer *node, const char *path)
{
	JsonbValue *fv = get_key(node, "fact");
	JsonbValue *ov = get_key(node, "op");
	JsonbValue *vv = get_key(node, "value");
	char		domain = 0;
	const PgcFactDecl *decl = NULL;
	char	   *fpath = psprintf("%s.fact", path);
	char	   *vpath = psprintf("%s.value", path);
	int			i;

	c->kind = PGC_C_CMP;
	if (fv->type != jbvString)
		rule_error(cx, fpath, NULL, "fact must be a string, not %s", jbv_type_name(fv));
	c->name = jbv_string(fv);

	/* which fact */
	if (strncmp(c->name, "facts.", 6) == 0)
	{
		decl = pgc_fact_find(cx->scope->nfacts, cx->scope->facts, c->name + 6, strlen(c->name + 6));
		if (decl == NULL)
			rule_error(cx, fpath, fact_list(cx->scope), "unknown fact \"%s\"", c->name);
		c->fkind = PGC_FK_FACT;
		c->type = decl->type;
		c->fact_key = pstrdup(decl->key);
		c->has_default = decl->has_default;
		c->def_bool = decl->def_bool;
		c->def_num = decl->def_num;
		c->def_text = decl->def_text ? pstrdup(decl->def_text) : NULL;
		cx->reads_facts = true;
	}
	else if (strcmp(c->name, "age") == 0 || strcmp(c->name, "working_age") == 0)
	{
		c->fkind = c->name[0] == 'a' ? PGC_FK_AGE : PGC_FK_WORKING_AGE;
		c->type = PGC_FT_INTERVAL;
		cx->read_cols |= COLBIT(C_STATUS);
	}
	else if (strcmp(c->name, "received_in_working_time") == 0 ||
			 strcmp(c->name, "received_on_workday") == 0)
	{
		c->fkind = c->name[9] == 'i' ? PGC_FK_RECEIVED_OPEN : PGC_FK_RECEIVED_WORKDAY;
		c->type = PGC_FT_BOOL;
		cx->read_cols |= COLBIT(C_RECEIVED_AT);
	}
	else if (strncmp(c->name, "breached.", 9) == 0)
	{
		const char *k = c->name + 9;
		bool		ok = (*k >= 'a' && *k <= 'z') && strlen(k) <= 63;

		for (; ok && *k; k++)
			ok = (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_';
		if (!ok)
			rule_error(cx, fpath, "Write breached.<deadline kind>, e.g. breached.resolve.",
					   "\"%s\" does not name a deadline kind", c->name);
		c->fkind = PGC_FK_BREACHED;
		c->type = PGC_FT_BOOL;
		c->fact_key = pstrdup(c->name + 9);
		cx->read_cols |= COLBIT(C_BREACHED);
	}
	else if (strcmp(c->name, "unresolved") == 0)
	{
		c->fkind = PGC_FK_UNRESOLVED;
		c->type = PGC_FT_BOOL;
		cx->read_cols |= COLBIT(C_STATUS);
	}
	else if (strcmp(c->name, "similar") == 0)
	{
		c->fkind = PGC_FK_SIMILAR;
		c->type = PGC_FT_NUM;
		compile_similar(cx, c, node, path);
	}
	else
	{
		for (i = 0; column_facts[i].name; i++)
			if (strcmp(column_facts[i].name, c->name) == 0)
				break;
		if (column_facts[i].name == NULL)
			rule_error(cx, fpath, fact_list(cx->scope), "unknown fact \"%s\"", c->name);
		c->fkind = PGC_FK_COLUMN;
		c->type = column_facts[i].type;
		c->column = column_facts[i].col;
		domain = column_facts[i].domain;
		cx->read_cols |= COLBIT(c->column);
	}
	if (c->fkind != PGC_FK_SIMILAR &&
		(get_key(node, "window") || get_key(node, "by") || get_key(node, "count")))
		rule_error(cx, path, NULL, "window, by and count belong to the fact \"similar\" only");

	/* operator */
	if (ov == NULL)
	{
		if (vv != NULL)
			c->op = PGC_OP_EQ;
		else if (c->type == PGC_FT_BOOL)
		{
			c->op = PGC_OP_EQ;
			c->bval = true;
			c->value_text = "true";
			return;
		}
		else
			rule_error(cx, path, "Give \"op\" and \"value\", e.g. {\"fact\": \"collective_size\", \"op\": \">=\", \"value\": 10}.",
					   "%s is not a boolean fact: the condition needs an operator and a value", c->name);
	}
	else
	{
		char	   *op;

		if (ov->type != jbvString)
			rule_error(cx, psprintf("%s.op", path), NULL, "op must be a string");
		op = jbv_string(ov);
		for (i = 0; i < PGC_NOPS; i++)
			if (strcmp(pgc_op_names[i], op) == 0)
				break;
		if (i == PGC_NOPS)
			rule_error(cx, psprintf("%s.op", path), "Operators: =, !=, <, <=, >, >=, in, not_in, exists, not_exists.",
					   "unknown operator \"%s\"", op);
		c->op = (PgcOp) i;
	}

	/* operator and type */
	if (c->op == PGC_OP_EXISTS || c->op == PGC_OP_NOT_EXISTS)
	{
		if (vv != NULL)
			rule_error(cx, vpath, NULL, "%s takes no value", pgc_op_names[c->op]);
		if (c->fkind != PGC_FK_COLUMN && c->fkind != PGC_FK_FACT)
			rule_error(cx, path, NULL, "%s always exists", c->name);
		c->value_text = "";
		return;
	}
	if (vv == NULL)
		rule_error(cx, path, NULL, "operator %s needs a value", pgc_op_names[c->op]);
	if (c->type == PGC_FT_BOOL && c->op != PGC_OP_EQ && c->op != PGC_OP_NE)
		rule_error(cx, psprintf("%s.op", path), NULL, "%s is a boolean: compare it with = or !=", c->name);
	if (c->type == PGC_FT_TEXT && c->op >= PGC_OP_LT && c->op <= PGC_OP_GE)
		rule_error(cx, psprintf("%s.op", path), NULL, "%s is a text: compare it with =, !=, in or not_in", c->name);
	if (c->type == PGC_FT_INTERVAL && (c->op == PGC_OP_IN || c->op == PGC_OP_NOT_IN))
		rule_error(cx, psprintf("%s.op", path), NULL, "%s is an interval: compare it with =, !=, <, <=, > or >=", c->name);

	/* value(s) */
	if (c->op == PGC_OP_IN || c->op == PGC_OP_NOT_IN)
	{
		JsonbIterator *it;
		JsonbValue	elem;
		JsonbIteratorToken tok;

		if (vv->type != jbvBinary || !JsonContainerIsArray(vv->val.binary.data) ||
			JsonContainerSize(vv->val.binary.data) == 0)
			rule_error(cx, vpath, NULL, "%s takes a non-empty array of values", pgc_op_names[c->op]);
		c->nvalues = JsonContainerSize(vv->val.binary.data);
		c->nums = palloc0(sizeof(double) * c->nvalues);
		c->texts = palloc0(sizeof(char *) * c->nvalues);
		it = JsonbIteratorInit(vv->val.binary.data);
		i = 0;
		while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
		{
			if (tok != WJB_ELEM)
				continue;
			scalar_value(cx, c, &elem, psprintf("%s[%d]", vpath, i), i, domain, decl);
			i++;
		}
	}
	else
	{
		c->nvalues = 1;
		c->nums = palloc0(sizeof(double));
		c->texts = palloc0(sizeof(char *));
		scalar_value(cx, c, vv, vpath, 0, domain, decl);
	}
	for (i = 0; c->fkind == PGC_FK_SIMILAR && i < c->nvalues; i++)
		if (c->nums[i] < 1 || c->nums[i] > 1000 || c->nums[i] != (int) c->nums[i])
			rule_error(cx, c->nvalues > 1 ? psprintf("%s[%d]", vpath, i) : vpath, NULL,
					   "similar complaints are counted up to 1000: compare with a whole number from 1 to 1000");
	{
		Jsonb	   *jv = JsonbValueToJsonb(vv);

		c->value_text = JsonbToCString(NULL, &jv->root, VARSIZE(jv));
	}
}

/* compile_node compiles one condition object. */
static PgcCond *
compile_node(CompileCtx *cx, JsonbContainer *node, const char *path)
{
	PgcCond    *c = palloc0(sizeof(PgcCond));
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			ncomb = 0;
	bool		has_fact = false;
	JsonbValue *val;

	check_stack_depth();
	if (++cx->depth > 32)
		rule_error(cx, path, "Flatten the condition.", "conditions may nest 32 deep at most");

	/* keys */
	it = JsonbIteratorInit(node);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = jbv_string(&v);
		if (strcmp(key, "all") == 0 || strcmp(key, "any") == 0 || strcmp(key, "not") == 0)
			ncomb++;
		else if (strcmp(key, "fact") == 0)
			has_fact = true;
		else if (strcmp(key, "op") != 0 && strcmp(key, "value") != 0 &&
				 strcmp(key, "window") != 0 && strcmp(key, "by") != 0 &&
				 strcmp(key, "count") != 0)
			rule_error(cx, path, "A condition has either one of all, any, not, or the keys fact, op, value (and window, by, count for similar).",
					   "unknown key \"%s\"", key);
	}
	if (ncomb + (has_fact ? 1 : 0) != 1)
		rule_error(cx, path, "A condition has either one of all, any, not, or the keys fact, op, value (and window, by, count for similar).",
				   ncomb + has_fact == 0 ? "the condition is empty" : "the condition mixes all, any, not and fact");

	if ((val = get_key(node, "all")) != NULL)
	{
		c->kind = PGC_C_ALL;
		compile_list(cx, c, val, path, "all");
	}
	else if ((val = get_key(node, "any")) != NULL)
	{
		c->kind = PGC_C_ANY;
		compile_list(cx, c, val, path, "any");
	}
	else if ((val = get_key(node, "not")) != NULL)
	{
		char	   *p = psprintf("%s.not", path);

		c->kind = PGC_C_NOT;
		if (val->type != jbvBinary || !JsonContainerIsObject(val->val.binary.data))
			rule_error(cx, p, NULL, "\"not\" takes one condition object, not %s", jbv_type_name(val));
		c->nchildren = 1;
		c->children = palloc(sizeof(PgcCond *));
		c->children[0] = compile_node(cx, val->val.binary.data, p);
		c->expensive = c->children[0]->expensive;
		if (get_key(node, "op") || get_key(node, "value"))
			rule_error(cx, path, NULL, "op and value belong inside the condition of not");
	}
	else
	{
		if (ncomb == 0 && !has_fact)
			rule_error(cx, path, NULL, "the condition is empty");
		compile_cmp(cx, c, node, path);
	}
	if (c->kind != PGC_C_CMP && (get_key(node, "op") || get_key(node, "value")))
		rule_error(cx, path, NULL, "op and value belong to a condition with a fact");
	cx->depth--;
	return c;
}

/*
 * pgc_rule_compile compiles a rule's condition in CurrentMemoryContext and
 * reports what it reads.  Any problem is an error pointing into the rule.
 */
PgcCond *
pgc_rule_compile(Jsonb *condition, const PgcRuleScope *scope, const char *rule_name,
				 uint64 *read_cols, bool *reads_facts, bool *has_similar)
{
	CompileCtx	cx;
	PgcCond    *c;

	memset(&cx, 0, sizeof(cx));
	cx.scope = scope;
	cx.rule = rule_name;
	cx.text = JsonbToCString(NULL, &condition->root, VARSIZE(condition));
	if (!JB_ROOT_IS_OBJECT(condition) || JB_ROOT_IS_SCALAR(condition))
		rule_error(&cx, "$", "Write a condition object such as {\"fact\": \"facts.lawsuit_filed\"}.",
				   "a condition must be a JSON object");
	c = compile_node(&cx, &condition->root, "$");
	if (read_cols)
		*read_cols |= cx.read_cols;
	if (reads_facts)
		*reads_facts |= cx.reads_facts;
	if (has_similar)
		*has_similar |= cx.has_similar;
	return c;
}

/* ----------------------------------------------------------------
 * complaint._rule_check(): validation when a rule is written
 * ----------------------------------------------------------------
 */

/*
 * pgc_rule_identity reads and checks the policy and name of a
 * classification rule (sla = false) or an SLA rule (sla = true) row.
 */
void
pgc_rule_identity(HeapTuple tuple, TupleDesc desc, bool sla, char **name, char **policy)
{
	const char *p;
	bool		ok;

	*name = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "name"));
	*policy = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "policy"));
	if (*name == NULL || *policy == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 sla ? errmsg("an SLA rule needs a policy and a name") :
				 errmsg("a rule needs a policy and a name")));
	p = *name;
	ok = (*p >= 'a' && *p <= 'z') && strlen(p) <= 63;
	for (; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 sla ? errmsg("invalid SLA rule name \"%s\" in policy \"%s\"", *name, *policy) :
				 errmsg("invalid rule name \"%s\" in policy \"%s\"", *name, *policy),
				 sla ? errhint("A rule name starts with a lower-case letter and has up to 63 lower-case letters, digits and underscores.") :
				 errhint("A rule name starts with a lower-case letter and has up to 63 lower-case letters, digits and underscores; it is shown in level_reasons.")));
}

PG_FUNCTION_INFO_V1(pgc_rule_check);

/*
 * pgc_rule_check is the BEFORE INSERT OR UPDATE row trigger of complaint.rule:
 * the condition must compile against the policy as it is now (its facts and
 * categories, read fresh), and a level rule needs a level.
 */
Datum
pgc_rule_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		isnull;
	char	   *policy;
	char	   *name;
	char	   *kind;
	char	   *level;
	Datum		cond;
	PgcPolicy  *pol;
	PgcRuleScope scope;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("complaint._rule_check() must be fired BEFORE ... FOR EACH ROW")));
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	desc = RelationGetDescr(trigdata->tg_relation);

	pgc_rule_identity(tuple, desc, false, &name, &policy);
	if (SPI_getvalue(tuple, desc, SPI_fnumber(desc, "reason_zh")) == NULL ||
		SPI_getvalue(tuple, desc, SPI_fnumber(desc, "reason_en")) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("rule \"%s\" of policy \"%s\" needs a reason in Chinese and in English", name, policy),
				 errhint("The reasons are what level_reasons shows when the rule fires.")));
	kind = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "kind"));
	level = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "level"));
	if (kind == NULL || (strcmp(kind, "level") != 0 && strcmp(kind, "note") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rule \"%s\" of policy \"%s\" has an unknown kind \"%s\"", name, policy,
						kind ? kind : "NULL"),
				 errhint("A rule of kind 'level' raises the complaint to its level; a rule of kind 'note' only adds its reason.")));
	if ((strcmp(kind, "level") == 0) != (level != NULL))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rule \"%s\" of policy \"%s\": %s", name, policy,
						level ? "a note rule has no level" : "a level rule needs a level"),
				 errhint("Set level to a level code of the policy, or kind to 'note'.")));
	cond = SPI_getbinval(tuple, desc, SPI_fnumber(desc, "condition"), &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("rule \"%s\" of policy \"%s\" needs a condition", name, policy)));

	/*
	 * The policy as it is now, read afresh: this also runs when a fact or a
	 * category is changed, before the cache hears of it.
	 */
	pol = pgc_policy_scope(policy);
	if (level != NULL && pgc_level_index(pol, level, strlen(level)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("rule \"%s\" of policy \"%s\" names an unknown level \"%s\"", name, policy, level),
				 errdetail("Levels of policy \"%s\": %s.", policy, pgc_policy_level_list(pol)),
				 errhint("Add the level to complaint.level first.")));
	scope.policy = pol->code;
	scope.nfacts = pol->nfacts;
	scope.facts = pol->facts;
	scope.ncategories = pol->ncategories;
	scope.categories = pol->categories;
	(void) pgc_rule_compile(DatumGetJsonbP(cond), &scope, name, NULL, NULL, NULL);
	PG_RETURN_POINTER(tuple);
}
