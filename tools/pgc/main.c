/*-------------------------------------------------------------------------
 *
 * main.c
 *	  pgc, the command-line companion of pg_complaint: the command line
 *	  (global options, the command, --help, --version) and dispatch to
 *	  import, watch and report.
 *
 * IDENTIFICATION
 *	  tools/pgc/main.c
 *
 *-------------------------------------------------------------------------
 */
#include "pgc.h"

#include <string.h>

#ifndef PGC_VERSION
#define PGC_VERSION "0.1"
#endif

static void
usage(FILE *out)
{
	fprintf(out,
			"pgc, the command-line companion of pg_complaint.\n"
			"\n"
			"Usage: pgc [-d CONNSTR] COMMAND [OPTION]...\n"
			"\n"
			"Commands:\n"
			"  import FILE   load complaints from CSV or JSON lines through the rules\n"
			"  watch         deliver complaint.outbox events (JSON lines, or --exec CMD)\n"
			"  report NAME   print a report: monthly, semimonthly, daily, overdue, scorecard\n"
			"\n"
			"Options:\n"
			"  -d, --dbname=CONNSTR  database name or connection string; otherwise the libpq\n"
			"                        environment (PGHOST, PGPORT, PGUSER, PGDATABASE, ...)\n"
			"  -h, --help            show this help (pgc COMMAND --help: the command's)\n"
			"  -V, --version         show the version\n"
			"\n"
			"Exit status: 0 success, 1 import finished with rejected rows, 2 usage error,\n"
			"3 input file unusable, 4 database or connection error, 5 watch: --exec command\n"
			"failed, 130 interrupted.\n");
}

int
main(int argc, char **argv)
{
	const char *conninfo = NULL;
	int			i = 1;

	while (i < argc && argv[i][0] == '-')
	{
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
		{
			usage(stdout);
			return PGC_EXIT_OK;
		}
		if (strcmp(argv[i], "-V") == 0 || strcmp(argv[i], "--version") == 0)
		{
			printf("pgc (pg_complaint) %s\n", PGC_VERSION);
			return PGC_EXIT_OK;
		}
		if ((strcmp(argv[i], "-d") == 0 || strcmp(argv[i], "--dbname") == 0) && i + 1 < argc)
		{
			conninfo = argv[i + 1];
			i += 2;
			continue;
		}
		if (strncmp(argv[i], "--dbname=", 9) == 0)
		{
			conninfo = argv[i] + 9;
			i++;
			continue;
		}
		if (strncmp(argv[i], "-d", 2) == 0 && argv[i][2] != '\0')
		{
			conninfo = argv[i] + 2;
			i++;
			continue;
		}
		fprintf(stderr, "pgc: unknown option \"%s\"\nTry \"pgc --help\".\n", argv[i]);
		return PGC_EXIT_USAGE;
	}
	if (i >= argc)
	{
		fprintf(stderr, "pgc: no command given\nTry \"pgc --help\".\n");
		return PGC_EXIT_USAGE;
	}
	pgc_command = argv[i];
	if (strcmp(argv[i], "import") == 0)
		return cmd_import(argc - i, argv + i, conninfo);
	if (strcmp(argv[i], "watch") == 0)
		return cmd_watch(argc - i, argv + i, conninfo);
	if (strcmp(argv[i], "report") == 0)
		return cmd_report(argc - i, argv + i, conninfo);
	pgc_command = NULL;
	fprintf(stderr, "pgc: unknown command \"%s\" (commands: import, watch, report)\nTry \"pgc --help\".\n", argv[i]);
	return PGC_EXIT_USAGE;
}
