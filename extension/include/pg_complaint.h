/*-------------------------------------------------------------------------
 *
 * pg_complaint.h
 *	  Types and functions shared by the C files of pg_complaint.
 *
 * Every exported symbol carries the pgc_ prefix.  Times are PostgreSQL
 * TimestampTz values (microseconds since 2000-01-01 00:00 UTC), days are
 * DateADT values (days since 2000-01-01), durations are int64 microseconds.
 *
 * IDENTIFICATION
 *	  extension/include/pg_complaint.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_COMPLAINT_H
#define PG_COMPLAINT_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "pgtime.h"
#include "access/tupdesc.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"
#include "utils/snapshot.h"
#include "utils/date.h"
#include "utils/relcache.h"

#define PGC_VERSION "0.1"

/* Custom SQLSTATEs are documented in README.md ("Errors"). */

/* ----------------------------------------------------------------
 * config_cache.c: invalidation of everything compiled from configuration
 * ----------------------------------------------------------------
 */

/*
 * pgc_config_epoch counts invalidations of the configuration tables seen by
 * this backend.  A compiled object remembers the epoch it was built at and is
 * rebuilt when the counter has moved on.
 */
extern uint64 pgc_config_epoch;

extern void pgc_config_cache_init(void);
extern void pgc_config_accept_invalidations(void);
extern Oid	pgc_config_sentinel(void);
extern void pgc_config_retire(MemoryContext cxt);
extern Oid	pgc_config_owner(void);
extern Snapshot pgc_config_snapshot(void);
extern void pgc_config_query(const char *sql, Datum *args, Snapshot snap);

/* ----------------------------------------------------------------
 * calendar.c: the compiled business calendar and its arithmetic
 * ----------------------------------------------------------------
 */

/* Supported local days: 1900-01-01 .. 2199-12-31 (DateADT). */
#define PGC_FIRST_DAY	(-36524)
#define PGC_LAST_DAY	73048

/* A working span of one day.  Local microseconds since midnight, or absolute. */
typedef struct PgcSpan
{
	int64		open;
	int64		close;
} PgcSpan;

/* The spans of one ISO weekday, nominal (wall-clock) lengths. */
typedef struct PgcWeekday
{
	int			nspans;
	PgcSpan    *spans;			/* local microseconds since midnight */
	int64		total;			/* sum of span lengths */
} PgcWeekday;

/*
 * A special day is a day whose real spans differ from "weekday spans at the
 * zone's current offset": an exception day (holiday, make-up day) or a day
 * next to a change of the zone's UTC offset (DST).  Its spans are stored as
 * absolute TimestampTz values, already resolved through the zone.
 */
typedef struct PgcSpecialDay
{
	DateADT		day;
	int			nspans;
	int			first_span;		/* index into PgcCalendar.special_spans */
	int64		total;			/* real working microseconds */
} PgcSpecialDay;

/* A change of the zone's UTC offset. */
typedef struct PgcTransition
{
	TimestampTz at;				/* first instant of the new offset */
	DateADT		day;			/* local day of that instant (new offset) */
	int32		gmtoff;			/* seconds east of UTC from "at" on */
} PgcTransition;

typedef struct PgcCalendar
{
	char	   *name;
	char	   *tzname;
	pg_tz	   *tz;

	PgcWeekday	week[8];		/* index 1..7 = ISO weekday */
	int64		week_total;		/* working microseconds of a plain week */
	int64		week_prefix[8]; /* [r] = sum over Monday..(r-th day) */
	int			week_workdays;	/* weekdays with at least one span */
	int			workday_prefix[8];

	int			nspecial;
	PgcSpecialDay *special;		/* sorted by day */
	int64	   *special_cum;	/* [k] = sum over special[0..k-1] of real -
								 * nominal */
	int32	   *special_wdcum;	/* the same for working-day counts */
	PgcSpan    *special_spans;

	int			ntrans;
	PgcTransition *trans;		/* sorted by at */
	int32		gmtoff_initial; /* offset before the first transition */
	int			nexceptions;	/* rows of calendar_day (for reporting) */
} PgcCalendar;

extern PgcCalendar *pgc_calendar_get(text *name);
extern PgcCalendar *pgc_calendar_get_cstring(const char *name);

extern int64 pgc_cal_worked(PgcCalendar *cal, TimestampTz t);
extern TimestampTz pgc_cal_locate(PgcCalendar *cal, TimestampTz from,
								  int64 work, bool strict);
extern TimestampTz pgc_cal_add(PgcCalendar *cal, TimestampTz start, int64 work);
extern int64 pgc_cal_between(PgcCalendar *cal, TimestampTz t1, TimestampTz t2);
extern bool pgc_cal_is_open(PgcCalendar *cal, TimestampTz t);
extern TimestampTz pgc_cal_next_open(PgcCalendar *cal, TimestampTz t);
extern TimestampTz pgc_cal_workdays_add(PgcCalendar *cal, TimestampTz start,
										int32 n);
extern DateADT pgc_cal_local_day(PgcCalendar *cal, TimestampTz t);
extern bool pgc_cal_is_workday(PgcCalendar *cal, DateADT day);
extern TimestampTz pgc_cal_day_end(PgcCalendar *cal, DateADT day);
extern TimestampTz pgc_cal_shift(PgcCalendar *cal, TimestampTz t, const Interval *iv);
extern TimestampTz pgc_cal_local_midnight(PgcCalendar *cal, DateADT day);

/* calendar.c: compilation */
extern void pgc_calendar_compile(PgcCalendar *cal, const char *tzname,
								 int nhours, const int *isodow,
								 const int64 *opens, const int64 *closes,
								 int ndays, const DateADT *days,
								 const bool *is_workday,
								 const int *hours_like);

/* ----------------------------------------------------------------
 * Custom SQLSTATEs (class 23: integrity constraint violation; subclass
 * letters from the implementation-defined range).  Documented in README.md.
 * ----------------------------------------------------------------
 */
#define ERRCODE_PGC_INVALID_TRANSITION	MAKE_SQLSTATE('2','3','Q','0','1')
#define ERRCODE_PGC_PRECONDITION		MAKE_SQLSTATE('2','3','Q','0','2')
#define ERRCODE_PGC_IMMUTABLE			MAKE_SQLSTATE('2','3','Q','0','3')
#define ERRCODE_PGC_INITIAL_STATUS		MAKE_SQLSTATE('2','3','Q','0','4')

/* GUCs (module.c) */
extern bool pgc_import_mode;
extern bool pgc_allow_received_at_change;
extern int	pgc_escalation_future_limit;

/* relcache epoch: advanced by every relcache invalidation (config_cache.c) */
extern uint64 pgc_relcache_epoch;

/* ----------------------------------------------------------------
 * policy.c: the extension's catalog objects and compiled policies
 * ----------------------------------------------------------------
 */

/* Workflow states, in the order of the SQL enum complaint.status. */
typedef enum PgcStatus
{
	PGC_ST_NEW = 0,
	PGC_ST_ACKNOWLEDGED,
	PGC_ST_ASSIGNED,
	PGC_ST_INVESTIGATING,
	PGC_ST_PENDING_INFO,
	PGC_ST_PROPOSED,
	PGC_ST_ESCALATED,
	PGC_ST_EXTERNAL_REVIEW,
	PGC_ST_ACCEPTED,
	PGC_ST_FOLLOW_UP,
	PGC_ST_CLOSED,
	PGC_ST_REJECTED,
	PGC_NSTATUS
} PgcStatus;

typedef enum PgcValidity
{
	PGC_VAL_EFFECTIVE = 0,
	PGC_VAL_INVALID,
	PGC_VAL_SUGGESTION,
	PGC_NVALIDITY
} PgcValidity;

#define PGC_NCHANNEL 11
extern const char *const pgc_channel_names[PGC_NCHANNEL];
extern const char *const pgc_status_names[PGC_NSTATUS];
extern const char *const pgc_validity_names[PGC_NVALIDITY];

/* OIDs of the extension's objects in this database, reloaded per epoch. */
typedef struct PgcCatalog
{
	Oid			namespace;
	Oid			complaint_rel;
	Oid			event_rel;
	Oid			ref_serial_seq;
	Oid			complaint_type; /* row type of complaint.complaint */
	Oid			status_oid[PGC_NSTATUS];
	Oid			validity_oid[PGC_NVALIDITY];
	Oid			channel_oid[PGC_NCHANNEL];
	Oid			admin_role;
} PgcCatalog;

extern PgcCatalog *pgc_catalog(void);
extern int	pgc_status_from_oid(Oid enumoid);
extern int	pgc_validity_from_oid(Oid enumoid);
extern const char *pgc_channel_name(Oid enumoid);
extern bool pgc_is_admin(void);

/* ----------------------------------------------------------------
 * Rows of complaint.complaint as the rules see them (triggers.c)
 * ----------------------------------------------------------------
 */
typedef enum PgcCol
{
	C_ID, C_REF, C_POLICY, C_RECEIVED_AT, C_CHANNEL, C_CATEGORY, C_SUBJECT,
	C_BODY, C_COMPLAINANT, C_CONTACT, C_CUSTOMER_TYPE, C_UNIT, C_HANDLER,
	C_COLLECTIVE_SIZE, C_AMOUNT, C_FACTS, C_VALIDITY, C_STATUS, C_LEVEL,
	C_LEVEL_REASONS, C_REOPEN_COUNT, C_SATISFACTION, C_NEXT_DUE_AT,
	C_RESOLVED_AT, C_CLOSED_AT, C_CREATED_AT, C_UPDATED_AT,
	C_BREACHED, C_RECHECK_AT,
	PGC_NCOLS
} PgcCol;

extern const char *const pgc_col_names[PGC_NCOLS];

/* A deformed row plus the map from PgcCol to its attribute index. */
typedef struct PgcRow
{
	Datum	   *values;
	bool	   *nulls;
	const int  *attnum;			/* PGC_NCOLS 0-based indexes */
} PgcRow;

#define PGC_VAL(r, c)		((r)->values[(r)->attnum[c]])
#define PGC_ISNULL(r, c)	((r)->nulls[(r)->attnum[c]])

extern void pgc_colmap_build(TupleDesc desc, int *attnum, const char *relname);
extern char *pgc_set_actor(char *actor);

/* attach.c: existing application tables */
extern void pgc_attach_init(void);
extern void pgc_attach_refresh(int64 complaint_id);

/* ----------------------------------------------------------------
 * rules.c: the rule language
 * ----------------------------------------------------------------
 */
typedef enum PgcFactType
{
	PGC_FT_BOOL, PGC_FT_NUM, PGC_FT_TEXT, PGC_FT_INTERVAL
} PgcFactType;

/* A declared fact of a policy (complaint.fact). */
typedef struct PgcFactDecl
{
	char	   *key;
	PgcFactType type;
	int			nallowed;
	char	  **allowed;
	bool		has_default;
	bool		def_bool;
	double		def_num;
	char	   *def_text;
} PgcFactDecl;

typedef struct PgcLevel
{
	char	   *code;
	int			rank;
	char	   *name_zh;
	char	   *name_en;
	bool		announce;		/* reaching it writes an outbox message */
} PgcLevel;

typedef struct PgcCategory
{
	char	   *code;
	int			validity;		/* PgcValidity or -1 */
} PgcCategory;

typedef enum PgcCondKind
{
	PGC_C_ALL, PGC_C_ANY, PGC_C_NOT, PGC_C_CMP
} PgcCondKind;

typedef enum PgcFactKind
{
	PGC_FK_COLUMN,				/* a column of complaint.complaint */
	PGC_FK_FACT,				/* a key of complaint.facts */
	PGC_FK_AGE,					/* calendar time since received_at */
	PGC_FK_WORKING_AGE,			/* working time since received_at */
	PGC_FK_SIMILAR,				/* similar complaints (distinct complainants) */
	PGC_FK_UNRESOLVED,			/* not accepted, follow_up or closed */
	PGC_FK_RECEIVED_OPEN,		/* received inside working time */
	PGC_FK_RECEIVED_WORKDAY,	/* received on a working day */
	PGC_FK_BREACHED				/* a deadline of a kind was breached */
} PgcFactKind;

typedef enum PgcOp
{
	PGC_OP_EQ, PGC_OP_NE, PGC_OP_LT, PGC_OP_LE, PGC_OP_GT, PGC_OP_GE,
	PGC_OP_IN, PGC_OP_NOT_IN, PGC_OP_EXISTS, PGC_OP_NOT_EXISTS
} PgcOp;

extern const char *const pgc_op_names[];
extern void pgc_rule_identity(HeapTuple tuple, TupleDesc desc, bool sla, char **name,
							  char **policy);

/* A compiled condition. */
typedef struct PgcCond
{
	PgcCondKind kind;
	int			nchildren;
	struct PgcCond **children;	/* ALL, ANY, NOT */
	bool		expensive;		/* reads the table (similar) */

	/* CMP */
	PgcFactKind fkind;
	PgcFactType type;
	int			column;			/* PgcCol, for PGC_FK_COLUMN */
	char	   *name;			/* as written, e.g. "facts.lawsuit_filed" */
	char	   *fact_key;		/* PGC_FK_FACT */
	bool		has_default;
	bool		def_bool;
	double		def_num;
	char	   *def_text;
	PgcOp		op;
	int			nvalues;
	double	   *nums;
	char	  **texts;
	bool		bval;
	Interval	ival;
	char	   *value_text;		/* the value as written, for reasons */
	/* PGC_FK_SIMILAR */
	Interval	window;
	bool		by_category;
	bool		by_unit;
	bool		count_complaints;
} PgcCond;

typedef struct PgcRule
{
	char	   *name;
	bool		note;			/* kind note: reason only */
	int			level;			/* index into PgcPolicy.levels, -1 for notes */
	char	   *reason_zh;
	char	   *reason_en;
	struct PgcCond *cond;
} PgcRule;

/* what a rule may refer to when it is compiled */
typedef struct PgcRuleScope
{
	const char *policy;
	int			nfacts;
	PgcFactDecl *facts;
	int			ncategories;
	PgcCategory *categories;	/* sorted by code */
} PgcRuleScope;

/* ----------------------------------------------------------------
 * SLA rules (deadline.c)
 * ----------------------------------------------------------------
 */
typedef enum PgcAnchor
{
	PGC_ANCHOR_RECEIPT, PGC_ANCHOR_STATUS, PGC_ANCHOR_LEVEL
} PgcAnchor;

typedef enum PgcMeasure
{
	PGC_M_WORKING, PGC_M_CALENDAR, PGC_M_WORKDAYS, PGC_M_END_OF_DAY, PGC_M_AFTER_OPENING
} PgcMeasure;

typedef struct PgcSla
{
	char	   *name;
	char	   *kind;
	struct PgcCond *cond;		/* NULL: always */
	PgcAnchor	anchor;
	int			anchor_status;	/* PgcStatus */
	char	   *anchor_level;	/* level code */
	PgcMeasure	measure;
	Interval	amount;
	int			days;
	uint32		met_by;			/* bit per PgcStatus */
	bool		met_by_notification;
	uint32		pause_in;		/* bit per PgcStatus */
	bool		has_repeat;
	Interval	repeat_every;
	bool		restart;
} PgcSla;

typedef struct PgcPolicy
{
	char	   *code;
	char	   *calendar;
	char	   *ref_prefix;
	bool		ref_gapless;
	bool		first_contact_resolution;
	bool		strict_facts;
	int			ncategories;
	PgcCategory *categories;	/* sorted by code */
	int			nlevels;
	PgcLevel   *levels;			/* sorted by rank, most severe first */
	int			nfacts;
	PgcFactDecl *facts;			/* sorted by key */
	int			nrules;
	PgcRule    *rules;			/* level rules most severe level first, then notes */
	uint64		read_cols;		/* bit per PgcCol read by any rule */
	bool		reads_facts;
	bool		has_similar;
	int			nsla;
	PgcSla	   *sla;			/* by kind, then seq, then name */
	uint64		sla_read_cols;	/* bit per PgcCol read by SLA conditions */
	bool		sla_reads_facts;
} PgcPolicy;

struct PgcCond *pgc_rule_compile(Jsonb *condition, const PgcRuleScope *scope,
								 const char *rule_name, uint64 *read_cols,
								 bool *reads_facts, bool *has_similar);
extern PgcFactDecl *pgc_fact_find(int nfacts, PgcFactDecl *facts, const char *key, int len);
extern PgcCategory *pgc_category_find(int n, PgcCategory *cats, const char *code, int len);

/* ----------------------------------------------------------------
 * classify.c
 * ----------------------------------------------------------------
 */
typedef struct PgcClassification
{
	int			level;			/* index into PgcPolicy.levels */
	int			nreasons;
	char	  **reasons;
	/* similar-complaint rules that fired: clusters to raise */
	int			nraise;
	struct PgcCond **raise_cond;
	int		   *raise_level;
	char	  **raise_reason;
} PgcClassification;

extern void pgc_classify(PgcPolicy *pol, PgcRow *row, bool lock,
						 TimestampTz as_of, PgcClassification *out);
extern int	pgc_level_index(PgcPolicy *pol, const char *code, int len);
extern void pgc_check_facts(PgcPolicy *pol, Jsonb *facts);
extern void pgc_raise_clusters(PgcPolicy *pol, PgcRow *row, PgcClassification *cls,
							   const char *ref);
extern Datum pgc_reasons_datum(PgcClassification *cls);
extern bool pgc_cond_holds(PgcPolicy *pol, PgcRow *row, struct PgcCond *c, TimestampTz as_of);
extern TimestampTz pgc_recheck_at(PgcPolicy *pol, PgcRow *row, TimestampTz as_of);

extern PgcPolicy *pgc_policy_get(const char *code, int len);
extern PgcPolicy *pgc_policy_scope(const char *code);
extern char *pgc_policy_category_list(PgcPolicy *pol);
extern char *pgc_policy_level_list(PgcPolicy *pol);

/* ----------------------------------------------------------------
 * workflow.c
 * ----------------------------------------------------------------
 */
typedef struct PgcTransitionCtx
{
	const char *ref;			/* for messages; NULL before one is assigned */
	PgcStatus	from;
	PgcStatus	to;
	bool		has_unit;
	bool		has_handler;
	bool		has_satisfaction;
	int			validity;		/* PgcValidity, or -1 when NULL */
	bool		first_contact_resolution;
	bool		import;			/* an imported complaint inserted in this state */
} PgcTransitionCtx;

extern bool pgc_workflow_allowed(PgcStatus from, PgcStatus to);
extern char *pgc_workflow_next_states(PgcStatus from);
extern void pgc_workflow_check(const PgcTransitionCtx *ctx);
extern void pgc_workflow_check_preconditions(const PgcTransitionCtx *ctx);
extern void pgc_workflow_check_invariants(const PgcTransitionCtx *ctx);

/* ----------------------------------------------------------------
 * deadline.c
 * ----------------------------------------------------------------
 */

/* What the sweep or complaint.record_notification() asks of the next UPDATE. */
typedef enum PgcTouchKind
{
	PGC_TOUCH_NONE = 0,
	PGC_TOUCH_BREACH,			/* mark a deadline breached */
	PGC_TOUCH_RECLASSIFY,		/* re-run the level rules as of a time */
	PGC_TOUCH_RAISE,			/* raise the level (escalation rule) */
	PGC_TOUCH_NOTIFICATION		/* meet notification deadlines */
} PgcTouchKind;

typedef struct PgcTouch
{
	PgcTouchKind kind;
	int64		complaint_id;
	TimestampTz as_of;
	int64		deadline_id;	/* BREACH */
	char	   *level;			/* RAISE */
	char	   *reason;			/* RAISE, NOTIFICATION: the note */
	int			done;			/* what the trigger did (deadlines met, ...) */
} PgcTouch;

extern PgcTouch *pgc_touch;		/* non-NULL during such an UPDATE */

extern PgcTouch *pgc_touch_for(int64 complaint_id);
extern void pgc_deadlines_before(PgcPolicy *pol, PgcRow *oldrow, PgcRow *newrow,
								 TimestampTz now, bool reassigned);
extern void pgc_deadlines_after(int64 complaint_id, TimestampTz now, const char *actor);
extern void pgc_deadlines_delete(int64 complaint_id);
extern void pgc_outbox_write(TimestampTz at, const char *topic, int64 complaint_id,
							 const char *payload_json);

/* ----------------------------------------------------------------
 * refs.c, history.c
 * ----------------------------------------------------------------
 */
extern char *pgc_ref_assign(PgcPolicy *pol, TimestampTz received_at);

/*
 * A table the rules append to straight into the heap and its plain indexes
 * (history events, deadlines): its column map, identity sequence, and
 * whether the direct path applies (pgc_direct_map decides, per relcache
 * epoch; otherwise the caller takes its SQL path).
 */
typedef struct PgcDirectTable
{
	const char *name;			/* for messages, e.g. "complaint.event" */
	int			ncols;
	const char *const *cols;	/* column names */
	int		   *attnum;			/* ncols 0-based attribute indexes */
	Oid			relid;
	uint64		epoch;
	Oid			seq;			/* identity sequence */
	bool		direct;			/* rows may be inserted straight */
	const char *key_col;		/* NULL, or a column a B-tree index leads with */
	Oid			key_index;		/* that index (InvalidOid: none) */
	bool		direct_update;	/* rows may be updated straight too */
} PgcDirectTable;

extern void pgc_direct_map(Relation rel, PgcDirectTable *t);
extern void pgc_direct_insert(Relation rel, HeapTuple tuple);
extern void pgc_direct_update(Relation rel, ItemPointer otid, HeapTuple tuple);
extern char *pgc_json_timestamptz(TimestampTz t);
extern void pgc_json_add_text(StringInfo buf, const char *key, const char *value);
extern void pgc_json_add_raw(StringInfo buf, const char *key, const char *json);
extern void pgc_event_write(int64 complaint_id, TimestampTz at, const char *actor,
							const char *kind, const char *detail_json, bool imported);

/*
 * Work done by the rules on behalf of the user (history, counters, lookups
 * across units) runs as the owner of the complaint table, the way
 * PostgreSQL's own RI triggers do.
 */
typedef struct PgcUserSwitch
{
	Oid			save_userid;
	int			save_sec_context;
} PgcUserSwitch;

extern void pgc_switch_to_owner(Oid owner, PgcUserSwitch *sw);
extern void pgc_switch_back(PgcUserSwitch *sw);

#endif							/* PG_COMPLAINT_H */
