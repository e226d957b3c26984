/*-------------------------------------------------------------------------
 *
 * watch.c
 *	  pgc watch: delivers the events of complaint.outbox, at least once, as
 *	  JSON lines on stdout or to a command (--exec CMD, the event on its
 *	  stdin).
 *
 * Delivery: each event is taken in a transaction of its own with SELECT ...
 * FOR UPDATE SKIP LOCKED, delivered while the row stays locked, and deleted
 * (acknowledged) in the same transaction only when the delivery succeeded:
 * the line was written and flushed, or the command exited with status 0. A
 * failed command is counted on the event (outbox.attempts, last_error,
 * extension/sql/141_outbox_delivery.sql) and retried after a growing pause.
 * Watchers running at once skip each other's locked rows, so they share the
 * work without delivering one event twice; a watcher that dies or loses its
 * connection before COMMIT releases its row, which is delivered again (so an
 * event can be delivered twice, never lost). The NOTIFY on channel
 * `complaint` only wakes the watcher; the outbox table is the truth, read
 * after every (re)connection and every --poll seconds. A lost connection
 * (server restart) is retried with exponential backoff.
 *
 * IDENTIFICATION
 *	  tools/pgc/watch.c
 *
 *-------------------------------------------------------------------------
 */
#include "pgc.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#define PGC_EXIT_EXEC	5		/* --exec command failed and --max-attempts ran out */

typedef struct Watch
{
	const char *conninfo;
	const char *exec;
	long long	count;			/* stop after this many deliveries (0: never) */
	bool		once;			/* stop when the outbox is empty */
	double		poll;
	double		max_backoff;
	long long	max_attempts;	/* of one event's command (0: unlimited) */
	PGconn	   *conn;
	long long	delivered;
	long long	failures;		/* consecutive failures of the command */
} Watch;

static void
watch_usage(FILE *out)
{
	fprintf(out,
			"Usage: pgc watch [OPTION]...\n"
			"Deliver the events of complaint.outbox (level raises, breached deadlines,\n"
			"reminders, notifications, penalties), oldest first, at least once: as JSON lines\n"
			"on stdout, or to a command. An event is acknowledged (deleted from the outbox)\n"
			"only after its delivery succeeded. Several watchers share the work; none\n"
			"delivers an event another one holds. LISTENs on channel \"complaint\" and\n"
			"reconnects with backoff when the server goes away.\n"
			"\n"
			"Options:\n"
			"  -d, --dbname=CONNSTR    database name or connection string (default: libpq environment)\n"
			"  -e, --exec=CMD          run CMD (with /bin/sh) per event, the event as one JSON line\n"
			"                          on its stdin and in $PGC_EVENT; also $PGC_EVENT_ID,\n"
			"                          $PGC_EVENT_TOPIC, $PGC_COMPLAINT_ID; exit status 0 acknowledges\n"
			"  -n, --count=N           exit after N deliveries\n"
			"      --once              deliver what is waiting, then exit\n"
			"      --poll=SECONDS      read the outbox at least this often (default 30)\n"
			"      --max-backoff=S     longest wait between reconnections or command retries (default 30)\n"
			"      --max-attempts=N    give up (exit 5) when the command failed N times in a row\n"
			"                          (default: retry for ever)\n"
			"  -h, --help              show this help\n"
			"\n"
			"Event: {\"id\": 17, \"at\": \"2025-03-03T10:00:00+08:00\", \"topic\": \"deadline_breached\",\n"
			"        \"complaint_id\": 42, \"payload\": {...}}\n"
			"Exit status: 0 done (--count or --once), 2 usage error, 4 database error other\n"
			"than a lost connection (e.g. no pg_complaint), 5 --exec failed --max-attempts times,\n"
			"130 interrupted (the event being delivered is not acknowledged).\n");
}

/* run_command runs --exec for one event; true when it exited with status 0. */
static bool
run_command(Watch *w, const char *event, const char *id, const char *topic, const char *cid,
			char *why, size_t whylen)
{
	int			fds[2];
	pid_t		pid;
	int			status;
	size_t		len = strlen(event);
	size_t		off = 0;

	if (pipe(fds) != 0)
	{
		snprintf(why, whylen, "cannot create a pipe: %s", strerror(errno));
		pgc_error("%s", why);
		return false;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
	{
		snprintf(why, whylen, "cannot start the command: %s", strerror(errno));
		pgc_error("%s", why);
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	if (pid == 0)
	{
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		setenv("PGC_EVENT", event, 1);
		setenv("PGC_EVENT_ID", id, 1);
		setenv("PGC_EVENT_TOPIC", topic, 1);
		setenv("PGC_COMPLAINT_ID", cid, 1);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", w->exec, (char *) NULL);
		_exit(127);
	}
	close(fds[0]);
	while (off < len + 1)
	{
		const char *p = off < len ? event + off : "\n";
		size_t		n = off < len ? len - off : 1;
		ssize_t		k = write(fds[1], p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;				/* the command does not read its stdin: fine */
		off += (size_t) k;
	}
	close(fds[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (WIFEXITED(status))
		snprintf(why, whylen, "the command exited with status %d", WEXITSTATUS(status));
	else
		snprintf(why, whylen, "the command was killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	pgc_error("event %s: %s; not acknowledged", id, why);
	return false;
}

/* outcome of deliver_one */
#define DELIVER_EMPTY	0		/* nothing waiting */
#define DELIVER_DONE	1		/* one event delivered and acknowledged */
#define DELIVER_FAILED	2		/* the command failed: not acknowledged */
#define DELIVER_LOST	3		/* connection lost */
#define DELIVER_ERROR	4		/* another database error */
#define DELIVER_STOP	5		/* interrupted, or stdout closed */

static int
fail(Watch *w, PGresult *res, const char *what)
{
	bool		lost = pgc_connection_lost(w->conn);

	if (!lost)
		pgc_error("%s: %s", what, pgc_result_error(res, w->conn));
	PQclear(res);
	if (!lost)
		PQclear(PQexec(w->conn, "ROLLBACK"));
	return lost ? DELIVER_LOST : DELIVER_ERROR;
}

/* deliver_one takes the oldest unlocked event, delivers and acknowledges it. */
static int
deliver_one(Watch *w)
{
	PGresult   *res;
	const char *params[1];
	char		id[32],
				cid[32];
	char	   *event,
			   *topic;
	char		why[128] = "";
	bool		ok;

	res = PQexec(w->conn, "BEGIN");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail(w, res, "BEGIN");
	PQclear(res);
	res = PQexec(w->conn,
				 "SELECT o.id, pg_catalog.format('{\"id\": %s, \"at\": %s, \"topic\": %s, \"complaint_id\": %s, \"payload\": %s}',"
				 "       o.id, pg_catalog.to_json(o.at), pg_catalog.to_json(o.topic),"
				 "       COALESCE(o.complaint_id::text, 'null'), o.payload),"
				 "       o.topic, o.complaint_id"
				 "  FROM complaint.outbox o ORDER BY o.id LIMIT 1 FOR UPDATE SKIP LOCKED");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return fail(w, res, "reading complaint.outbox");
	if (PQntuples(res) == 0)
	{
		PQclear(res);
		res = PQexec(w->conn, "COMMIT");
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return fail(w, res, "COMMIT");
		PQclear(res);
		return DELIVER_EMPTY;
	}
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	snprintf(cid, sizeof(cid), "%s", PQgetisnull(res, 0, 3) ? "" : PQgetvalue(res, 0, 3));
	event = xstrdup(PQgetvalue(res, 0, 1));
	topic = xstrdup(PQgetvalue(res, 0, 2));
	PQclear(res);

	if (w->exec)
		ok = run_command(w, event, id, topic, cid, why, sizeof(why));
	else
	{
		ok = printf("%s\n", event) > 0 && fflush(stdout) == 0;
		if (!ok)
		{
			pgc_error("cannot write event %s to stdout: %s; not acknowledged", id, strerror(errno));
			free(event);
			free(topic);
			PQclear(PQexec(w->conn, "ROLLBACK"));
			return DELIVER_STOP;
		}
	}
	free(event);
	free(topic);
	if (ok && pgc_interrupted)
	{
		PQclear(PQexec(w->conn, "ROLLBACK"));
		return DELIVER_STOP;
	}
	if (!ok)
	{
		const char *p2[2] = {id, why};

		res = PQexecParams(w->conn, "UPDATE complaint.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
						   2, NULL, p2, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return fail(w, res, "recording the failed delivery");
		PQclear(res);
		res = PQexec(w->conn, "COMMIT");
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return fail(w, res, "COMMIT");
		PQclear(res);
		return DELIVER_FAILED;
	}
	params[0] = id;
	res = PQexecParams(w->conn, "DELETE FROM complaint.outbox WHERE id = $1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail(w, res, "acknowledging the event");
	PQclear(res);
	res = PQexec(w->conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail(w, res, "COMMIT of the acknowledgement");
	PQclear(res);
	return DELIVER_DONE;
}

/* wait_for_news waits for a notification, the --poll timeout or a signal; false when the connection is lost. */
static bool
wait_for_news(Watch *w)
{
	int			sock = PQsocket(w->conn);
	fd_set		fds;
	struct timeval tv;
	PGnotify   *n;

	if (sock < 0)
		return false;
	FD_ZERO(&fds);
	FD_SET(sock, &fds);
	tv.tv_sec = (time_t) w->poll;
	tv.tv_usec = (suseconds_t) ((w->poll - (double) tv.tv_sec) * 1e6);
	if (select(sock + 1, &fds, NULL, NULL, &tv) < 0 && errno != EINTR)
		return false;
	if (!PQconsumeInput(w->conn))
		return false;
	while ((n = PQnotifies(w->conn)) != NULL)
		PQfreemem(n);
	return !pgc_connection_lost(w->conn);
}

/* watch_connect: connect, check the extension, LISTEN; false (quietly) if not possible now */
static int
watch_connect(Watch *w, bool announce_failure)
{
	PGresult   *res;

	w->conn = pgc_connect(w->conninfo, !announce_failure);
	if (w->conn == NULL)
		return DELIVER_LOST;
	if (!pgc_require_extension(w->conn))
		return DELIVER_ERROR;
	res = PQexec(w->conn, "LISTEN complaint");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail(w, res, "LISTEN complaint");
	PQclear(res);
	pgc_note("listening on channel complaint (database %s)", PQdb(w->conn));
	return DELIVER_DONE;
}

int
cmd_watch(int argc, char **argv, const char *conninfo)
{
	static const struct option longopts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"exec", required_argument, NULL, 'e'},
		{"count", required_argument, NULL, 'n'},
		{"once", no_argument, NULL, 'o'},
		{"poll", required_argument, NULL, 'p'},
		{"max-backoff", required_argument, NULL, 'B'},
		{"max-attempts", required_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	Watch		w;
	int			c;
	long long	v;
	double		backoff = 0.5;
	bool		first = true;
	int			rc = -1;

	memset(&w, 0, sizeof(w));
	w.conninfo = conninfo;
	w.poll = 30;
	w.max_backoff = 30;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:e:n:h", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				w.conninfo = optarg;
				break;
			case 'e':
				w.exec = optarg;
				break;
			case 'n':
				if (!pgc_parse_int(optarg, 1, 1LL << 62, &w.count))
				{
					pgc_error("--count must be a positive integer, not \"%s\"", optarg);
					rc = PGC_EXIT_USAGE;
				}
				break;
			case 'o':
				w.once = true;
				break;
			case 'p':
			case 'B':
				{
					char	   *end;
					double		d = strtod(optarg, &end);

					if (*end != '\0' || end == optarg || d < 0.05 || d > 86400)
					{
						pgc_error("--%s must be a number of seconds from 0.05 to 86400, not \"%s\"",
								  c == 'p' ? "poll" : "max-backoff", optarg);
						rc = PGC_EXIT_USAGE;
					}
					else if (c == 'p')
						w.poll = d;
					else
						w.max_backoff = d;
					break;
				}
			case 'A':
				if (!pgc_parse_int(optarg, 1, 1LL << 62, &v))
				{
					pgc_error("--max-attempts must be a positive integer, not \"%s\"", optarg);
					rc = PGC_EXIT_USAGE;
				}
				w.max_attempts = v;
				break;
			case 'h':
				watch_usage(stdout);
				return PGC_EXIT_OK;
			default:
				rc = PGC_EXIT_USAGE;
		}
	}
	if (rc < 0 && optind < argc)
	{
		pgc_error("unexpected argument \"%s\"", argv[optind]);
		rc = PGC_EXIT_USAGE;
	}
	if (rc == PGC_EXIT_USAGE)
	{
		fprintf(stderr, "Try \"pgc watch --help\".\n");
		return rc;
	}
	pgc_catch_signals();

	while (rc < 0)
	{
		int			r;

		if (pgc_interrupted)
		{
			rc = PGC_EXIT_INTERRUPT;
			break;
		}
		if (w.conn == NULL)
		{
			r = watch_connect(&w, first);
			first = false;
			if (r == DELIVER_ERROR)
			{
				rc = PGC_EXIT_DB;
				break;
			}
			if (r == DELIVER_LOST)
			{
				PQfinish(w.conn);
				w.conn = NULL;
				pgc_note("cannot connect; retrying in %.1f s", backoff);
				pgc_sleep(backoff);
				backoff = backoff * 2 > w.max_backoff ? w.max_backoff : backoff * 2;
				continue;
			}
			backoff = 0.5;
		}
		r = deliver_one(&w);
		switch (r)
		{
			case DELIVER_DONE:
				w.delivered++;
				w.failures = 0;
				if (w.count && w.delivered >= w.count)
					rc = PGC_EXIT_OK;
				break;
			case DELIVER_EMPTY:
				if (w.once)
					rc = PGC_EXIT_OK;
				else if (!wait_for_news(&w))
				{
					pgc_note("connection lost: %s", pgc_result_error(NULL, w.conn));
					PQfinish(w.conn);
					w.conn = NULL;
				}
				break;
			case DELIVER_FAILED:
				{
					double		wait = 0.5;

					w.failures++;
					if (w.max_attempts && w.failures >= w.max_attempts)
					{
						pgc_error("the command failed %lld times in a row; giving up", w.failures);
						rc = PGC_EXIT_EXEC;
						break;
					}
					for (long long k = 1; k < w.failures && wait < w.max_backoff; k++)
						wait *= 2;
					if (wait > w.max_backoff)
						wait = w.max_backoff;
					pgc_note("retrying in %.1f s", wait);
					pgc_sleep(wait);
					break;
				}
			case DELIVER_LOST:
				pgc_note("connection lost: %s; reconnecting", pgc_result_error(NULL, w.conn));
				PQfinish(w.conn);
				w.conn = NULL;
				break;
			case DELIVER_STOP:
				rc = pgc_interrupted ? PGC_EXIT_INTERRUPT : PGC_EXIT_DB;
				break;
			default:
				rc = PGC_EXIT_DB;
		}
	}
	PQfinish(w.conn);
	if (rc == PGC_EXIT_OK || rc == PGC_EXIT_INTERRUPT)
		pgc_note("%lld event%s delivered", w.delivered, w.delivered == 1 ? "" : "s");
	return rc;
}
