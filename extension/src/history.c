/*-------------------------------------------------------------------------
 *
 * history.c
 *	  The append-only history of complaints (complaint.event): writing
 *	  events, and the guard that refuses UPDATE, DELETE and TRUNCATE of it
 *	  for everyone, the table owner included.
 *
 * Events are written by the AFTER trigger as the table owner (no role has
 * INSERT on complaint.event), with actor = the user who made the change.
 * Details are JSON objects built here with PostgreSQL's own escaping.
 *
 * IDENTIFICATION
 *	  extension/src/history.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pg_complaint.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

static SPIPlanPtr event_plan = NULL;

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

/* pgc_event_write appends one event; the caller runs it as the table owner. */
void
pgc_event_write(int64 complaint_id, TimestampTz at, const char *actor,
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
