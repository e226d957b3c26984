/*-------------------------------------------------------------------------
 *
 * common.c
 *	  What every pgc command uses: memory and a growable buffer, messages on
 *	  stderr prefixed "pgc <command>:", the clock, signal handling, number
 *	  parsing, and connections (libpq environment or -d CONNSTRING) with
 *	  readable errors.
 *
 * IDENTIFICATION
 *	  tools/pgc/common.c
 *
 *-------------------------------------------------------------------------
 */
#include "pgc.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *pgc_command = NULL;
volatile int pgc_interrupted = 0;

void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "pgc: out of memory\n");
		exit(PGC_EXIT_DB);
	}
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void	   *q = realloc(p, n ? n : 1);

	if (q == NULL)
	{
		fprintf(stderr, "pgc: out of memory\n");
		exit(PGC_EXIT_DB);
	}
	return q;
}

char *
xstrdup(const char *s)
{
	size_t		n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

void
buf_init(Buf *b)
{
	b->cap = 256;
	b->data = xmalloc(b->cap);
	b->data[0] = '\0';
	b->len = 0;
}

void
buf_free(Buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(Buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

/* buf_reserve makes room for extra more bytes plus the terminating NUL. */
void
buf_reserve(Buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
	{
		while (b->len + extra + 1 > b->cap)
			b->cap *= 2;
		b->data = xrealloc(b->data, b->cap);
	}
}

void
buf_append(Buf *b, const char *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(Buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(Buf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
buf_printf(Buf *b, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t) n >= b->cap - b->len)
	{
		buf_reserve(b, (size_t) n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	if (n > 0)
		b->len += (size_t) n;
}

static void
vmessage(const char *fmt, va_list ap)
{
	if (pgc_command)
		fprintf(stderr, "pgc %s: ", pgc_command);
	else
		fprintf(stderr, "pgc: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* pgc_error and pgc_note print one message line on stderr. */
void
pgc_error(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void
pgc_note(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

double
pgc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* pgc_sleep sleeps, returning early when a signal arrives. */
void
pgc_sleep(double seconds)
{
	struct timespec ts;

	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t) seconds;
	ts.tv_nsec = (long) ((seconds - (double) ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static void
on_signal(int sig)
{
	(void) sig;
	pgc_interrupted = 1;
}

/*
 * pgc_catch_signals: SIGINT and SIGTERM set pgc_interrupted, which the
 * commands check between units of work (a batch, an event), so they stop at a
 * consistent point; SIGPIPE is ignored so that a closed pipe is a write error.
 */
void
pgc_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* pgc_parse_int parses a whole decimal integer within [min, max]. */
bool
pgc_parse_int(const char *s, long long min, long long max, long long *out)
{
	char	   *end;
	long long	v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* pgc_parse_size parses "123", "64k", "10M", "1G" (powers of 1024). */
bool
pgc_parse_size(const char *s, long long *out)
{
	char	   *end;
	long long	v,
				mul = 1;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 1)
		return false;
	if (*end == 'k' || *end == 'K')
		mul = 1024LL, end++;
	else if (*end == 'm' || *end == 'M')
		mul = 1024LL * 1024, end++;
	else if (*end == 'g' || *end == 'G')
		mul = 1024LL * 1024 * 1024, end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v > (1LL << 40) / mul)
		return false;
	*out = v * mul;
	return true;
}

/* server notices (a shutdown's FATAL, NOTICEs) as one prefixed line */
static void
notice_processor(void *arg, const char *message)
{
	size_t		len = strlen(message);

	(void) arg;
	while (len > 0 && message[len - 1] == '\n')
		len--;
	pgc_note("server: %.*s", (int) len, message);
}

/* one_line turns libpq's multi-line messages into one line, in place */
static void
one_line(char *s)
{
	char	   *w = s;
	bool		space = false;

	for (char *r = s; *r; r++)
	{
		if (*r == '\n' || *r == '\t' || *r == ' ')
		{
			space = w != s;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
}

/*
 * pgc_connect opens a connection: conninfo may be NULL (the libpq
 * environment: PGHOST, PGDATABASE, ...) or a connection string or URI. The
 * application_name is "pgc <command>" unless the user set one. On failure
 * the error is printed (unless quiet) and NULL returned.
 */
PGconn *
pgc_connect(const char *conninfo, bool quiet)
{
	const char *keys[3];
	const char *vals[3];
	char		appname[64];
	PGconn	   *conn;
	int			n = 0;

	snprintf(appname, sizeof(appname), "pgc %s", pgc_command ? pgc_command : "");
	if (conninfo)
	{
		keys[n] = "dbname";
		vals[n++] = conninfo;
	}
	keys[n] = "fallback_application_name";
	vals[n++] = appname;
	keys[n] = NULL;
	vals[n] = NULL;
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
	{
		if (!quiet)
		{
			char	   *msg = xstrdup(conn ? PQerrorMessage(conn) : "out of memory");

			one_line(msg);
			pgc_error("could not connect to the database: %s", msg);
			free(msg);
		}
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, notice_processor, NULL);
	if (PQsetClientEncoding(conn, "UTF8") != 0)
	{
		if (!quiet)
			pgc_error("could not set the client encoding to UTF8: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

bool
pgc_connection_lost(PGconn *conn)
{
	return conn == NULL || PQstatus(conn) == CONNECTION_BAD;
}

/*
 * pgc_result_error: the error of a failed command as one line, "message
 * (SQLSTATE xxxxx)" plus detail and hint when the server sent them; for a
 * lost connection, libpq's own message. The text lives in a static buffer.
 */
const char *
pgc_result_error(const PGresult *res, PGconn *conn)
{
	static char msg[2048];
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;

	if (primary == NULL)
	{
		snprintf(msg, sizeof(msg), "%s", conn ? PQerrorMessage(conn) : "no connection");
		one_line(msg);
		return msg;
	}
	snprintf(msg, sizeof(msg), "%s (SQLSTATE %s)%s%s%s%s", primary, state ? state : "?????",
			 detail ? "; detail: " : "", detail ? detail : "",
			 hint ? "; hint: " : "", hint ? hint : "");
	return msg;
}

/* pgc_exec_ok runs a command that returns no rows; prints the error if it fails. */
bool
pgc_exec_ok(PGconn *conn, const char *sql)
{
	PGresult   *res = PQexec(conn, sql);
	bool		ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		pgc_error("%s", pgc_result_error(res, conn));
	PQclear(res);
	return ok;
}

/* pgc_require_extension: pg_complaint must be installed in the database. */
bool
pgc_require_extension(PGconn *conn)
{
	PGresult   *res = PQexec(conn, "SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_complaint'");
	bool		ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		pgc_error("%s", pgc_result_error(res, conn));
	else if (!ok)
		pgc_error("the extension pg_complaint is not installed in database \"%s\"; run CREATE EXTENSION pg_complaint there, or connect to another database with -d",
				  PQdb(conn));
	PQclear(res);
	return ok;
}
