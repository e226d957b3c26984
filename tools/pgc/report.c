/*-------------------------------------------------------------------------
 *
 * report.c
 *	  pgc report: prints the BI views of pg_complaint (complaint.v_monthly_report,
 *	  v_semimonthly_report, v_daily_report, v_overdue, v_handler_scorecard) as
 *	  an aligned table, CSV or JSON, optionally for one month and one policy.
 *
 * The views' columns are read from the catalog at run time: --policy filters
 * on a column named policy, --month on the first period column the view has
 * (month, period_start, period, day, date, quarter, week...), compared as
 * YYYY-MM; rows are sorted by the view's leading columns.
 *
 * IDENTIFICATION
 *	  tools/pgc/report.c
 *
 *-------------------------------------------------------------------------
 */
#include "pgc.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct ReportKind
{
	const char *name;
	const char *view;
	const char *what;
} ReportKind;

static const ReportKind kinds[] = {
	{"monthly", "v_monthly_report", "complaints per month (the regulation's monthly report)"},
	{"semimonthly", "v_semimonthly_report", "complaints per half month"},
	{"daily", "v_daily_report", "complaints per day"},
	{"overdue", "v_overdue", "open deadlines past due"},
	{"scorecard", "v_handler_scorecard", "closure rate per handler and quarter"},
	{NULL, NULL, NULL}
};

/* period columns --month can filter on, in order of preference */
static const char *const period_columns[] = {
	"month", "period_start", "period", "half_month", "day", "date", "week", "quarter",
	"received_month", "received_day", "due_at", "received_at", NULL
};

static void
report_usage(FILE *out)
{
	fprintf(out,
			"Usage: pgc report NAME [OPTION]...\n"
			"Print a report of pg_complaint's BI views.\n"
			"\n"
			"Reports:\n");
	for (int i = 0; kinds[i].name; i++)
		fprintf(out, "  %-12s complaint.%s: %s\n", kinds[i].name, kinds[i].view, kinds[i].what);
	fprintf(out,
			"\n"
			"Options:\n"
			"  -d, --dbname=CONNSTR    database name or connection string (default: libpq environment)\n"
			"  -m, --month=YYYY-MM     only this month (by the view's period column)\n"
			"  -p, --policy=P          only this policy\n"
			"  -f, --format=FORMAT     table (default on a terminal), csv (default otherwise), json\n"
			"  -h, --help              show this help\n"
			"\n"
			"Tables align Chinese, Japanese and Korean text by its display width. CSV has a\n"
			"header line; JSON is an array of objects, one per line.\n"
			"Exit status: 0 printed, 2 usage error, 4 database error (e.g. the view is missing).\n");
}

static bool
valid_month(const char *m)
{
	return strlen(m) == 7 && isdigit((unsigned char) m[0]) && isdigit((unsigned char) m[1]) &&
		isdigit((unsigned char) m[2]) && isdigit((unsigned char) m[3]) && m[4] == '-' &&
		((m[5] == '0' && m[6] >= '1' && m[6] <= '9') || (m[5] == '1' && m[6] >= '0' && m[6] <= '2'));
}

int
cmd_report(int argc, char **argv, const char *conninfo)
{
	static const struct option longopts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"month", required_argument, NULL, 'm'},
		{"policy", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *month = NULL,
			   *policy = NULL,
			   *format = NULL;
	const ReportKind *kind = NULL;
	PGconn	   *conn = NULL;
	PGresult   *res = NULL;
	Buf			sql;
	const char *params[2];
	int			nparams = 0;
	int			c,
				rc = PGC_EXIT_OK;
	int			ncols,
				period = -1,
				npolicy = -1,
				nsort = 0;
	char		view[128];

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:m:p:f:h", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				conninfo = optarg;
				break;
			case 'm':
				month = optarg;
				if (!valid_month(month))
				{
					pgc_error("--month must be YYYY-MM, such as 2025-03, not \"%s\"", optarg);
					rc = PGC_EXIT_USAGE;
				}
				break;
			case 'p':
				policy = optarg;
				break;
			case 'f':
				format = optarg;
				if (strcmp(format, "table") != 0 && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
				{
					pgc_error("--format must be table, csv or json, not \"%s\"", optarg);
					rc = PGC_EXIT_USAGE;
				}
				break;
			case 'h':
				report_usage(stdout);
				return PGC_EXIT_OK;
			default:
				rc = PGC_EXIT_USAGE;
		}
	}
	if (rc == PGC_EXIT_OK)
	{
		if (optind >= argc)
		{
			pgc_error("which report? monthly, semimonthly, daily, overdue or scorecard");
			rc = PGC_EXIT_USAGE;
		}
		else if (optind + 1 < argc)
		{
			pgc_error("one report at a time; unexpected \"%s\"", argv[optind + 1]);
			rc = PGC_EXIT_USAGE;
		}
		else
		{
			for (int i = 0; kinds[i].name; i++)
				if (strcmp(kinds[i].name, argv[optind]) == 0)
					kind = &kinds[i];
			if (kind == NULL)
			{
				pgc_error("unknown report \"%s\" (reports: monthly, semimonthly, daily, overdue, scorecard)", argv[optind]);
				rc = PGC_EXIT_USAGE;
			}
		}
	}
	if (rc != PGC_EXIT_OK)
	{
		fprintf(stderr, "Try \"pgc report --help\".\n");
		return rc;
	}
	if (format == NULL)
		format = isatty(STDOUT_FILENO) ? "table" : "csv";

	conn = pgc_connect(conninfo, false);
	if (conn == NULL || !pgc_require_extension(conn))
	{
		PQfinish(conn);
		return PGC_EXIT_DB;
	}
	snprintf(view, sizeof(view), "complaint.%s", kind->view);
	buf_init(&sql);

	/* the view's columns */
	params[0] = view;
	res = PQexecParams(conn,
					   "SELECT a.attname, t.typcategory, t.typname IN ('json', 'xml', 'point')"
					   "  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
					   " WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped"
					   " ORDER BY a.attnum", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		pgc_error("%s", pgc_result_error(res, conn));
		rc = PGC_EXIT_DB;
		goto done;
	}
	ncols = PQntuples(res);
	if (ncols == 0)
	{
		pgc_error("the view %s does not exist in database \"%s\": this version of pg_complaint has no %s report",
				  view, PQdb(conn), kind->name);
		rc = PGC_EXIT_DB;
		goto done;
	}
	for (int p = 0; period_columns[p] && period < 0; p++)
		for (int i = 0; i < ncols; i++)
			if (strcmp(PQgetvalue(res, i, 0), period_columns[p]) == 0)
			{
				period = i;
				break;
			}
	for (int i = 0; i < ncols; i++)
		if (strcmp(PQgetvalue(res, i, 0), "policy") == 0)
			npolicy = i;
	while (nsort < ncols && nsort < 4 && PQgetvalue(res, nsort, 2)[0] == 'f')
		nsort++;

	buf_printf(&sql, "SELECT * FROM %s v WHERE true", view);
	if (policy)
	{
		if (npolicy < 0)
		{
			pgc_error("the %s report has no policy column: --policy does not apply", kind->name);
			rc = PGC_EXIT_USAGE;
			goto done;
		}
		params[nparams++] = policy;
		buf_printf(&sql, " AND v.policy::text = $%d", nparams);
	}
	if (month)
	{
		char	   *col;
		char		cat;

		if (period < 0)
		{
			pgc_error("the %s report has no month, day or period column: --month does not apply", kind->name);
			rc = PGC_EXIT_USAGE;
			goto done;
		}
		col = PQescapeIdentifier(conn, PQgetvalue(res, period, 0), strlen(PQgetvalue(res, period, 0)));
		cat = PQgetvalue(res, period, 1)[0];
		params[nparams++] = month;
		if (cat == 'D')			/* date and time types */
			buf_printf(&sql, " AND pg_catalog.to_char(v.%s, 'YYYY-MM') = $%d", col, nparams);
		else
			buf_printf(&sql, " AND pg_catalog.left(v.%s::text, 7) = $%d", col, nparams);
		PQfreemem(col);
	}
	for (int i = 0; i < nsort; i++)
		buf_printf(&sql, "%s%d", i == 0 ? " ORDER BY " : ", ", i + 1);
	PQclear(res);
	res = PQexecParams(conn, sql.data, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		pgc_error("%s: %s", view, pgc_result_error(res, conn));
		rc = PGC_EXIT_DB;
		goto done;
	}
	if (strcmp(format, "table") == 0)
		print_table(stdout, res);
	else if (strcmp(format, "csv") == 0)
		print_csv(stdout, res);
	else
		print_json(stdout, res);
	if (fflush(stdout) != 0)
	{
		pgc_error("cannot write the report to stdout");
		rc = PGC_EXIT_DB;
	}

done:
	PQclear(res);
	PQfinish(conn);
	buf_free(&sql);
	return rc;
}
