/*-------------------------------------------------------------------------
 *
 * module.c
 *	  Entry point of the pg_complaint library: module magic, _PG_init (cache
 *	  callbacks, GUCs) and small SQL-callable helpers.
 *
 * IDENTIFICATION
 *	  extension/src/module.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/extension.h"
#include "fmgr.h"
#include "pg_complaint.h"
#include "utils/builtins.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

bool		pgc_import_mode = false;
bool		pgc_allow_received_at_change = false;
int			pgc_escalation_future_limit = 3600;

void		_PG_init(void);

/*
 * _PG_init registers the configuration cache callback and the GUCs, once
 * per backend.
 */
void
_PG_init(void)
{
	pgc_config_cache_init();
	pgc_attach_init();

	DefineCustomBoolVariable("pg_complaint.import",
							 "Lets complaint_admin insert complaints in any status (importing history).",
							 "Every precondition of the status is still checked; the events are marked imported.",
							 &pgc_import_mode,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomBoolVariable("pg_complaint.allow_received_at_change",
							 "Lets complaint_admin correct received_at of a complaint.",
							 "The correction is recorded in the complaint's history.",
							 &pgc_allow_received_at_change,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomIntVariable("pg_complaint.escalation_future_limit",
							"How far ahead of now() complaint.run_escalations() accepts as_of.",
							"A later as_of would breach every deadline due before it; pass force => true to simulate a future clock.",
							&pgc_escalation_future_limit,
							3600, 0, 366 * 24 * 3600,
							PGC_SUSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("pg_complaint");
}

PG_FUNCTION_INFO_V1(pgc_version);

/* pgc_version is complaint.version(): the version of the loaded library. */
Datum
pgc_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(PGC_VERSION));
}

PG_FUNCTION_INFO_V1(pgc_in_extension_script);

/*
 * pgc_in_extension_script is complaint._in_extension_script(): true while
 * CREATE EXTENSION or ALTER EXTENSION UPDATE runs one of pg_complaint's own
 * scripts (not another extension's).
 */
Datum
pgc_in_extension_script(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(creating_extension &&
				   CurrentExtensionObject == get_extension_oid("pg_complaint", true));
}
