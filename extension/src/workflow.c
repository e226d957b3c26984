/*-------------------------------------------------------------------------
 *
 * workflow.c
 *	  The complaint workflow: the transition table of CONTRACT section 2,
 *	  the preconditions of each target state, and the stamps a transition
 *	  leaves (resolved_at, closed_at, reopen_count).
 *
 * The table is data in this file and nowhere else: the trigger, attach()
 * and the documentation's diagram all read it through pgc_workflow_*.
 *
 * IDENTIFICATION
 *	  extension/src/workflow.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "pg_complaint.h"

#define BIT(s) (1u << (s))

/* allowed[from] = set of states reachable in one step */
static const uint32 allowed[PGC_NSTATUS] = {
	[PGC_ST_NEW] = BIT(PGC_ST_ACKNOWLEDGED) | BIT(PGC_ST_ASSIGNED) | BIT(PGC_ST_REJECTED) | BIT(PGC_ST_CLOSED),
	[PGC_ST_ACKNOWLEDGED] = BIT(PGC_ST_ASSIGNED) | BIT(PGC_ST_PENDING_INFO) | BIT(PGC_ST_REJECTED),
	[PGC_ST_ASSIGNED] = BIT(PGC_ST_ASSIGNED) | BIT(PGC_ST_INVESTIGATING) | BIT(PGC_ST_PENDING_INFO),
	[PGC_ST_INVESTIGATING] = BIT(PGC_ST_PROPOSED) | BIT(PGC_ST_PENDING_INFO) | BIT(PGC_ST_ESCALATED),
	[PGC_ST_PENDING_INFO] = BIT(PGC_ST_INVESTIGATING) | BIT(PGC_ST_ASSIGNED),
	[PGC_ST_PROPOSED] = BIT(PGC_ST_ACCEPTED) | BIT(PGC_ST_ESCALATED),
	[PGC_ST_ESCALATED] = BIT(PGC_ST_INVESTIGATING) | BIT(PGC_ST_PROPOSED) | BIT(PGC_ST_EXTERNAL_REVIEW),
	[PGC_ST_EXTERNAL_REVIEW] = BIT(PGC_ST_PROPOSED) | BIT(PGC_ST_ACCEPTED) | BIT(PGC_ST_CLOSED),
	[PGC_ST_ACCEPTED] = BIT(PGC_ST_FOLLOW_UP) | BIT(PGC_ST_CLOSED),
	[PGC_ST_FOLLOW_UP] = BIT(PGC_ST_CLOSED) | BIT(PGC_ST_INVESTIGATING),
	[PGC_ST_CLOSED] = BIT(PGC_ST_INVESTIGATING),
	[PGC_ST_REJECTED] = BIT(PGC_ST_INVESTIGATING),
};

/* pgc_workflow_allowed: may a complaint go from one state to another? */
bool
pgc_workflow_allowed(PgcStatus from, PgcStatus to)
{
	return (allowed[from] & BIT(to)) != 0;
}

/* pgc_workflow_next_states returns "a, b, c" in enum order. */
char *
pgc_workflow_next_states(PgcStatus from)
{
	StringInfoData buf;
	int			s;
	bool		first = true;

	initStringInfo(&buf);
	for (s = 0; s < PGC_NSTATUS; s++)
	{
		if (!(allowed[from] & BIT(s)))
			continue;
		appendStringInfo(&buf, "%s%s", first ? "" : ", ", pgc_status_names[s]);
		first = false;
	}
	return buf.data;
}

/* precondition_failed raises the error of a missing precondition. */
static void
precondition_failed(const PgcTransitionCtx *ctx, const char *why, const char *hint)
{
	if (ctx->import)
		ereport(ERROR,
				(errcode(ERRCODE_PGC_PRECONDITION),
				 errmsg("an imported complaint cannot be in status \"%s\": %s",
						pgc_status_names[ctx->to], why),
				 hint ? errhint("%s", hint) : 0));
	ereport(ERROR,
			(errcode(ERRCODE_PGC_PRECONDITION),
			 errmsg("complaint %s cannot move from \"%s\" to \"%s\": %s",
					ctx->ref ? ctx->ref : "(new)",
					pgc_status_names[ctx->from], pgc_status_names[ctx->to], why),
			 hint ? errhint("%s", hint) : 0));
}

/*
 * pgc_workflow_check_preconditions raises an error when the row does not
 * meet the preconditions of entering ctx->to from ctx->from.
 *
 *	assigned, investigating: a responsible unit and a handler
 *	rejected: validity invalid or suggestion
 *	closed from follow_up: customer satisfaction recorded
 *	closed from new: a suggestion, or a policy allowing first-contact resolution
 */
void
pgc_workflow_check_preconditions(const PgcTransitionCtx *ctx)
{
	switch (ctx->to)
	{
		case PGC_ST_ASSIGNED:
		case PGC_ST_INVESTIGATING:
			if (!ctx->has_unit)
				precondition_failed(ctx, "no responsible unit",
									"Set unit (the responsible department, site or station) in the same statement.");
			if (!ctx->has_handler)
				precondition_failed(ctx, "no handler",
									"Set handler (the person in charge) in the same statement.");
			break;
		case PGC_ST_REJECTED:
			if (ctx->validity != PGC_VAL_INVALID && ctx->validity != PGC_VAL_SUGGESTION)
				precondition_failed(ctx, "only an invalid complaint or a suggestion can be rejected",
									"Set validity to 'invalid' or 'suggestion' in the same statement.");
			break;
		case PGC_ST_CLOSED:
			if (ctx->from == PGC_ST_FOLLOW_UP && !ctx->has_satisfaction)
				precondition_failed(ctx, "the follow-up visit recorded no satisfaction",
									"Set satisfaction (1 to 5) in the same statement.");
			if (ctx->from == PGC_ST_NEW && ctx->validity != PGC_VAL_SUGGESTION &&
				!ctx->first_contact_resolution)
				precondition_failed(ctx, "only a suggestion can be closed without handling",
									"Set validity to 'suggestion', or acknowledge and assign the complaint; a policy may allow first-contact resolution (complaint.policy.first_contact_resolution).");
			break;
		default:
			break;
	}
}

/*
 * pgc_workflow_check_invariants: an update that stays in a state keeps what
 * the state needs (assigned and investigating keep a unit and a handler; a
 * rejected complaint stays invalid or a suggestion).
 */
void
pgc_workflow_check_invariants(const PgcTransitionCtx *ctx)
{
	const char *ref = ctx->ref ? ctx->ref : "(new)";

	switch (ctx->to)
	{
		case PGC_ST_ASSIGNED:
		case PGC_ST_INVESTIGATING:
			if (!ctx->has_unit || !ctx->has_handler)
				ereport(ERROR,
						(errcode(ERRCODE_PGC_PRECONDITION),
						 errmsg("complaint %s in status \"%s\" needs %s", ref,
								pgc_status_names[ctx->to],
								!ctx->has_unit ? "a responsible unit" : "a handler"),
						 errhint("To hand it over, set the new unit and handler in the same statement.")));
			break;
		case PGC_ST_REJECTED:
			if (ctx->validity != PGC_VAL_INVALID && ctx->validity != PGC_VAL_SUGGESTION)
				ereport(ERROR,
						(errcode(ERRCODE_PGC_PRECONDITION),
						 errmsg("complaint %s is rejected: its validity must stay invalid or suggestion", ref),
						 errhint("If the ruling was wrong, move it to investigating (the customer disputes the ruling).")));
			break;
		default:
			break;
	}
}

/*
 * pgc_workflow_check raises an error for a transition that is not in the
 * table or whose preconditions are not met.
 */
void
pgc_workflow_check(const PgcTransitionCtx *ctx)
{
	if (!pgc_workflow_allowed(ctx->from, ctx->to))
	{
		const char *next = pgc_workflow_next_states(ctx->from);

		ereport(ERROR,
				(errcode(ERRCODE_PGC_INVALID_TRANSITION),
				 errmsg("complaint %s cannot move from \"%s\" to \"%s\"",
						ctx->ref ? ctx->ref : "(new)",
						pgc_status_names[ctx->from], pgc_status_names[ctx->to]),
				 errdetail("Allowed next states from \"%s\": %s.",
						   pgc_status_names[ctx->from], next[0] ? next : "none")));
	}
	pgc_workflow_check_preconditions(ctx);
}
