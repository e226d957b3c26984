/*-------------------------------------------------------------------------
 *
 * import.c
 *	  pgc import: loads complaints from CSV or JSON lines into
 *	  complaint.complaint through its triggers, so that every rule of the
 *	  policy applies to imported rows as to any other insert.
 *
 * Input fields are mapped by name onto the columns of complaint.complaint
 * (read from the catalog at run time); other fields become keys of facts, or
 * an error with --strict. Rows go in batches: COPY into a temporary staging
 * table of text columns, then one INSERT ... SELECT with the casts and
 * defaults, in a savepoint. When the database refuses the batch, it is rolled
 * back to the savepoint and retried in halves, down to single rows, so that
 * only the refused rows are lost: each goes to the rejects file with its line
 * and the exact error. Each batch commits on its own: what
 * the summary reports as loaded is what the database holds, also when the
 * connection drops (the fate of a COMMIT whose answer was lost is asked of
 * the server after reconnecting, by transaction id).
 *
 * --dedupe-key COL records the value of input column COL in
 * complaint.import_key (extension/sql/140_import.sql) in the statement that
 * inserts the complaint, and skips rows whose key is already there or
 * appeared earlier in the file.
 *
 * IDENTIFICATION
 *	  tools/pgc/import.c
 *
 *-------------------------------------------------------------------------
 */
#include "pgc.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REJECT_RECORD_MAX	65536	/* longest record text written to the rejects file */

/* a column of complaint.complaint */
typedef struct Column
{
	char	   *name;
	char	   *type;			/* format_type() */
	char	   *defexpr;		/* default expression, or NULL */
	bool		notnull;
	bool		insertable;		/* not an identity ALWAYS or generated column */
	bool		used;			/* in the INSERT's column list */
	char	   *setval;			/* --set value, or NULL */
} Column;

/* what an input column (CSV header field) or JSON key maps to */
typedef struct Target
{
	int			col;			/* column index, or -1 for a facts key */
	char	   *fact;			/* the facts key (col < 0) */
} Target;

/* a refused row, kept until its batch is settled so the rejects file is in line order */
typedef struct Reject
{
	long		line;
	char		sqlstate[6];
	char	   *error;
	char	   *detail;
	char	   *raw;
	size_t		rawlen;
	bool		truncated;
} Reject;

/* keys seen in this run (--dedupe-key): an open-addressing hash set */
typedef struct KeySet
{
	char	  **keys;
	long	   *lines;
	size_t		cap;
	size_t		n;
} KeySet;

typedef struct Import
{
	/* options */
	const char *path;
	InputFormat fmt;
	char		delimiter;
	const char *rejects_path;
	const char *dedupe_key;
	bool		strict;
	bool		history;
	int			batch_size;
	long long	max_field;
	int			progress;		/* 0 none, 1 plain lines, 2 bar */
	double		progress_interval;
	char	  **map_from;
	char	  **map_to;
	int			nmap;

	/* state */
	const char *conninfo;
	PGconn	   *conn;
	Column	   *cols;
	int			ncols;
	int			facts_col;
	Target	   *header;			/* CSV: per header field */
	int			nheader;
	int			key_field;		/* CSV: header field of the dedupe key, or -1 */
	KeySet		seen;
	Reader	   *reader;

	/* the batch being built */
	Buf			copy;			/* COPY text data */
	Buf			raws;			/* record texts, back to back */
	size_t	   *rawoff;
	size_t	   *rawlen;
	long	   *lines;
	int			nbatch;
	Buf			extras;
	const char **vals;
	size_t	   *vlens;

	/* rejects */
	Reject	   *pend;
	int			npend;
	int			maxpend;
	FILE	   *rejf;
	char	   *rejpath;

	/* counts */
	long long	nread;
	long long	loaded;
	long long	rejected;
	long long	dups;
	long		last_line;		/* last input line whose fate is settled */
	double		t0;
	double		last_progress;
	bool		lost;			/* connection lost: stop */
	bool		commit_unknown;
} Import;

static void
import_usage(FILE *out)
{
	fprintf(out,
			"Usage: pgc import [OPTION]... FILE\n"
			"Load complaints from FILE (CSV with a header line, or JSON lines; - for stdin)\n"
			"into complaint.complaint, through the rules of their policy.\n"
			"\n"
			"Input fields are mapped by name onto complaint.complaint's columns (policy,\n"
			"received_at, channel, category, subject, body, complainant, contact, unit,\n"
			"handler, amount, facts, ...); other fields become keys of facts.\n"
			"\n"
			"Options:\n"
			"  -d, --dbname=CONNSTR      database name or connection string (default: libpq environment)\n"
			"  -f, --format=csv|jsonl    input format (default: from the file name; csv for stdin)\n"
			"      --delimiter=C         CSV field delimiter (default ,)\n"
			"      --set FIELD=VALUE     give every row this value of FIELD (e.g. --set policy=property)\n"
			"      --map NAME=FIELD      read input column NAME as FIELD (or as facts.KEY)\n"
			"      --strict              an input column that is not a field is an error, not a facts key\n"
			"      --dedupe-key=COL      skip rows whose COL value was already imported\n"
			"                            (keys are kept in complaint.import_key)\n"
			"      --history             import complaints in any status (SET pg_complaint.import = on;\n"
			"                            needs complaint_admin)\n"
			"  -r, --rejects=FILE        where refused rows go (default: FILE.rejects.csv;\n"
			"                            pgc-import.rejects.csv for stdin)\n"
			"  -b, --batch-size=N        rows per batch and transaction (default 1000)\n"
			"      --max-field-size=SIZE largest field accepted, e.g. 1M (default), 20M\n"
			"  -q, --quiet               no progress output\n"
			"      --progress-interval=S seconds between progress lines when stderr is not a\n"
			"                            terminal (default 10)\n"
			"  -h, --help                show this help\n"
			"\n"
			"The rejects file is CSV: line,sqlstate,error,detail,record. The summary goes to\n"
			"stdout, progress and errors to stderr.\n"
			"Exit status: 0 all rows loaded (or skipped as duplicates), 1 some rows rejected,\n"
			"2 usage error, 3 input file unusable, 4 database or connection error, 130 interrupted.\n");
}

/* keys ------------------------------------------------------------------- */

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t	h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char) s[i]) * 1099511628211ULL;
	return h;
}

/* keyset_add: 0 when added, else the line where the key was seen first */
static long
keyset_add(KeySet *ks, const char *key, size_t len, long line)
{
	size_t		i;

	if (ks->n * 2 >= ks->cap)
	{
		KeySet		old = *ks;

		ks->cap = old.cap ? old.cap * 2 : 1024;
		ks->keys = xmalloc(sizeof(char *) * ks->cap);
		ks->lines = xmalloc(sizeof(long) * ks->cap);
		memset(ks->keys, 0, sizeof(char *) * ks->cap);
		for (size_t k = 0; k < old.cap; k++)
			if (old.keys[k])
			{
				i = hash_bytes(old.keys[k], strlen(old.keys[k])) & (ks->cap - 1);
				while (ks->keys[i])
					i = (i + 1) & (ks->cap - 1);
				ks->keys[i] = old.keys[k];
				ks->lines[i] = old.lines[k];
			}
		free(old.keys);
		free(old.lines);
	}
	i = hash_bytes(key, len) & (ks->cap - 1);
	while (ks->keys[i])
	{
		if (strlen(ks->keys[i]) == len && memcmp(ks->keys[i], key, len) == 0)
			return ks->lines[i];
		i = (i + 1) & (ks->cap - 1);
	}
	ks->keys[i] = xmalloc(len + 1);
	memcpy(ks->keys[i], key, len);
	ks->keys[i][len] = '\0';
	ks->lines[i] = line;
	ks->n++;
	return 0;
}

static void
keyset_free(KeySet *ks)
{
	for (size_t i = 0; i < ks->cap; i++)
		free(ks->keys[i]);
	free(ks->keys);
	free(ks->lines);
}

/* rejects ---------------------------------------------------------------- */

/* reject: a refused row, written by write_rejects */
static void
reject(Import *im, long line, const char *sqlstate, const char *error,
	   const char *detail, const char *raw, size_t rawlen, bool truncated)
{
	Reject	   *r;

	if (im->npend == im->maxpend)
	{
		im->maxpend = im->maxpend ? im->maxpend * 2 : 64;
		im->pend = xrealloc(im->pend, sizeof(Reject) * im->maxpend);
	}
	r = &im->pend[im->npend++];
	r->line = line;
	snprintf(r->sqlstate, sizeof(r->sqlstate), "%s", sqlstate);
	r->error = xstrdup(error);
	r->detail = detail ? xstrdup(detail) : NULL;
	if (rawlen > REJECT_RECORD_MAX)
	{
		rawlen = REJECT_RECORD_MAX;
		truncated = true;
	}
	r->raw = xmalloc(rawlen + 4);
	memcpy(r->raw, raw, rawlen);
	if (truncated)
		memcpy(r->raw + rawlen, "...", 3), rawlen += 3;
	r->rawlen = rawlen;
	im->rejected++;
}

static int
reject_cmp(const void *a, const void *b)
{
	long		la = ((const Reject *) a)->line,
				lb = ((const Reject *) b)->line;

	return la < lb ? -1 : la > lb;
}

/* write_rejects writes the pending rejects as CSV, in line order. */
static void
write_rejects(Import *im)
{
	Buf			out;

	buf_init(&out);
	qsort(im->pend, im->npend, sizeof(Reject), reject_cmp);
	for (int i = 0; i < im->npend; i++)
	{
		Reject	   *r = &im->pend[i];

		buf_reset(&out);
		buf_printf(&out, "%ld,%s,", r->line, r->sqlstate);
		csv_quote(&out, r->error, strlen(r->error));
		buf_putc(&out, ',');
		if (r->detail)
			csv_quote(&out, r->detail, strlen(r->detail));
		buf_putc(&out, ',');
		csv_quote(&out, r->raw, r->rawlen);
		buf_putc(&out, '\n');
		fwrite(out.data, 1, out.len, im->rejf);
		free(r->error);
		free(r->detail);
		free(r->raw);
	}
	im->npend = 0;
	buf_free(&out);
}

static void
reject_record(Import *im, Record *rec, const char *sqlstate, const char *error)
{
	reject(im, rec->line, sqlstate, error, NULL, rec->raw.data, rec->raw.len, rec->raw_truncated);
	im->last_line = rec->last_line;
}

/* progress ---------------------------------------------------------------- */

static void
progress(Import *im, bool final)
{
	double		now = pgc_now();
	double		elapsed = now - im->t0;
	double		rate;
	long long	size = reader_size(im->reader);
	long long	done = reader_bytes(im->reader);
	char		rows[32],
				rs[32],
				eta[32];

	if (im->progress == 0)
		return;
	if (!final && now - im->last_progress < (im->progress == 2 ? 0.2 : im->progress_interval))
		return;
	im->last_progress = now;
	rate = elapsed > 0 ? im->nread / elapsed : 0;
	format_count(rows, sizeof(rows), im->nread);
	format_count(rs, sizeof(rs), (long long) rate);
	if (im->progress == 2)
	{
		char		bar[32];
		int			filled;
		double		frac = size > 0 ? (double) done / size : 0;

		if (final)
		{
			fputs("\r\033[K", stderr);
			fflush(stderr);
			return;
		}
		if (size > 0)
		{
			filled = (int) (frac * 20);
			for (int i = 0; i < 20; i++)
				bar[i] = i < filled ? '#' : '.';
			bar[20] = '\0';
			if (done > 0 && frac < 1)
				format_duration(eta, sizeof(eta), elapsed * (1 - frac) / frac);
			else
				snprintf(eta, sizeof(eta), "-");
			fprintf(stderr, "\r\033[K%3d%% [%s] %s rows  %s rows/s  ETA %s",
					(int) (frac * 100), bar, rows, rs, eta);
		}
		else
		{
			format_duration(eta, sizeof(eta), elapsed);
			fprintf(stderr, "\r\033[K%s rows  %s rows/s  %s", rows, rs, eta);
		}
		fflush(stderr);
		return;
	}
	if (final)
		return;
	if (size > 0)
		fprintf(stderr, "pgc import: %s rows read (%d%%), %lld loaded, %lld rejected, %s rows/s\n",
				rows, (int) (100.0 * done / size), im->loaded, im->rejected, rs);
	else
		fprintf(stderr, "pgc import: %s rows read, %lld loaded, %lld rejected, %s rows/s\n",
				rows, im->loaded, im->rejected, rs);
}

/* the database side --------------------------------------------------------- */

static int
find_column(Import *im, const char *name)
{
	for (int i = 0; i < im->ncols; i++)
		if (strcmp(im->cols[i].name, name) == 0)
			return i;
	return -1;
}

/* load_columns reads complaint.complaint's columns from the catalog. */
static bool
load_columns(Import *im)
{
	PGresult   *res = PQexec(im->conn,
							 "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),"
							 "       pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attnotnull,"
							 "       a.attidentity <> 'a' AND a.attgenerated = ''"
							 "  FROM pg_catalog.pg_attribute a"
							 "  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
							 " WHERE a.attrelid = 'complaint.complaint'::pg_catalog.regclass"
							 "   AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		pgc_error("cannot read the columns of complaint.complaint: %s", pgc_result_error(res, im->conn));
		PQclear(res);
		return false;
	}
	im->ncols = PQntuples(res);
	im->cols = xmalloc(sizeof(Column) * im->ncols);
	im->facts_col = -1;
	for (int i = 0; i < im->ncols; i++)
	{
		Column	   *c = &im->cols[i];

		c->name = xstrdup(PQgetvalue(res, i, 0));
		c->type = xstrdup(PQgetvalue(res, i, 1));
		c->defexpr = PQgetisnull(res, i, 2) ? NULL : xstrdup(PQgetvalue(res, i, 2));
		c->notnull = PQgetvalue(res, i, 3)[0] == 't';
		c->insertable = PQgetvalue(res, i, 4)[0] == 't';
		c->used = false;
		c->setval = NULL;
		if (strcmp(c->name, "facts") == 0)
			im->facts_col = i;
	}
	PQclear(res);
	if (im->facts_col < 0)
	{
		pgc_error("complaint.complaint has no column facts: is pg_complaint up to date?");
		return false;
	}
	return true;
}

/* resolve_name: an input column name -> its target (after --map) */
static bool
resolve_name(Import *im, const char *name, size_t len, Target *t, bool *unknown)
{
	char		lower[128];
	const char *use = NULL;

	*unknown = false;
	t->fact = NULL;
	for (int m = 0; m < im->nmap; m++)
		if (strlen(im->map_from[m]) == len && strncasecmp(im->map_from[m], name, len) == 0)
			use = im->map_to[m];
	if (use && strncmp(use, "facts.", 6) == 0)
	{
		t->col = -1;
		t->fact = xstrdup(use + 6);
		return true;
	}
	if (use == NULL)
	{
		size_t		k;

		if (len >= sizeof(lower))
			len = sizeof(lower) - 1;
		for (k = 0; k < len; k++)
			lower[k] = (char) tolower((unsigned char) name[k]);
		lower[k] = '\0';
		use = lower;
	}
	t->col = find_column(im, use);
	if (t->col >= 0 && im->cols[t->col].insertable)
		return true;
	t->col = -1;
	*unknown = true;
	t->fact = xmalloc(len + 1);
	memcpy(t->fact, name, len);
	t->fact[len] = '\0';
	return true;
}

/* quoted identifier */
static void
buf_ident(Buf *b, PGconn *conn, const char *name)
{
	char	   *q = PQescapeIdentifier(conn, name, strlen(name));

	buf_puts(b, q);
	PQfreemem(q);
}

/* value_expr: the SELECT expression of column i from staging column s.c<i> */
static void
value_expr(Import *im, Buf *b, int i)
{
	Column	   *c = &im->cols[i];

	if (c->defexpr)
		buf_puts(b, "COALESCE(");
	if (c->setval)
	{
		char	   *lit = PQescapeLiteral(im->conn, c->setval, strlen(c->setval));

		buf_printf(b, "%s::%s", lit, c->type);
		PQfreemem(lit);
	}
	else
		buf_printf(b, "s.c%d::%s", i, c->type);
	if (c->defexpr)
		buf_printf(b, ", %s)", c->defexpr);
	if (i == im->facts_col)
		buf_puts(b, " || COALESCE(s.pgc_extras::jsonb, '{}'::jsonb)");
}

/* prepare_session: staging table, the two INSERT statements, settings */
static bool
prepare_session(Import *im)
{
	Buf			sql;
	bool		ok = true;
	PGresult   *res;

	buf_init(&sql);
	buf_puts(&sql, "CREATE TEMPORARY TABLE pgc_stage (line bigint");
	for (int i = 0; i < im->ncols; i++)
		if (im->cols[i].insertable)
			buf_printf(&sql, ", c%d text", i);
	buf_puts(&sql, ", pgc_extras text, pgc_key text) ON COMMIT DELETE ROWS");
	if (!pgc_exec_ok(im->conn, sql.data))
		ok = false;
	if (ok && im->history && !pgc_exec_ok(im->conn, "SET pg_complaint.import = on"))
		ok = false;

	{
		bool		first = true;

		buf_reset(&sql);
		if (im->dedupe_key)
			buf_puts(&sql, "WITH k AS (INSERT INTO complaint.import_key (key)"
					 " SELECT s.pgc_key FROM pg_temp.pgc_stage s WHERE s.line BETWEEN $1 AND $2"
					 " ORDER BY s.line ON CONFLICT (key) DO NOTHING RETURNING key) ");
		buf_puts(&sql, "INSERT INTO complaint.complaint (");
		for (int i = 0; i < im->ncols; i++)
			if (im->cols[i].used)
			{
				if (!first)
					buf_puts(&sql, ", ");
				buf_ident(&sql, im->conn, im->cols[i].name);
				first = false;
			}
		buf_puts(&sql, ") SELECT ");
		first = true;
		for (int i = 0; i < im->ncols; i++)
			if (im->cols[i].used)
			{
				if (!first)
					buf_puts(&sql, ", ");
				value_expr(im, &sql, i);
				first = false;
			}
		buf_puts(&sql, " FROM pg_temp.pgc_stage s");
		if (im->dedupe_key)
			buf_puts(&sql, " JOIN k ON k.key = s.pgc_key");
		buf_puts(&sql, " WHERE s.line BETWEEN $1 AND $2 ORDER BY s.line");
		res = PQprepare(im->conn, "pgc_move", sql.data, 2, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
		{
			pgc_error("cannot prepare the insert: %s", pgc_result_error(res, im->conn));
			ok = false;
		}
		PQclear(res);
	}
	buf_free(&sql);
	return ok;
}

/* check_set_values: each --set value must be a valid value of its column's type */
static bool
check_set_values(Import *im)
{
	for (int i = 0; i < im->ncols; i++)
	{
		Buf			sql;
		PGresult   *res;
		const char *params[1];
		bool		ok;

		if (!im->cols[i].setval)
			continue;
		buf_init(&sql);
		buf_printf(&sql, "SELECT $1::%s", im->cols[i].type);
		params[0] = im->cols[i].setval;
		res = PQexecParams(im->conn, sql.data, 1, NULL, params, NULL, NULL, 0);
		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
		if (!ok)
			pgc_error("--set %s=%s: %s", im->cols[i].name, im->cols[i].setval,
					  pgc_result_error(res, im->conn));
		PQclear(res);
		buf_free(&sql);
		if (!ok)
			return false;
	}
	return true;
}

/* batches ------------------------------------------------------------------ */

static void
copy_escape(Buf *b, const char *s, size_t len)
{
	buf_reserve(b, len);
	for (size_t i = 0; i < len; i++)
	{
		char		c = s[i];

		switch (c)
		{
			case '\\':
				buf_append(b, "\\\\", 2);
				break;
			case '\n':
				buf_append(b, "\\n", 2);
				break;
			case '\r':
				buf_append(b, "\\r", 2);
				break;
			case '\t':
				buf_append(b, "\\t", 2);
				break;
			default:
				buf_putc(b, c);
		}
	}
}

/* csv_fact_value: a CSV field as a JSON value: true/false, a number, or a string */
static void
csv_fact_value(Buf *b, const char *s, size_t len)
{
	size_t		i = 0;
	bool		digits = false;

	if ((len == 4 && memcmp(s, "true", 4) == 0) || (len == 5 && memcmp(s, "false", 5) == 0))
	{
		buf_append(b, s, len);
		return;
	}
	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++, digits = true;
	else
		while (i < len && isdigit((unsigned char) s[i]))
			i++, digits = true;
	if (digits && i < len && s[i] == '.')
	{
		i++;
		digits = false;
		while (i < len && isdigit((unsigned char) s[i]))
			i++, digits = true;
	}
	if (digits && i == len && len < 30)
		buf_append(b, s, len);
	else
		json_quote(b, s, len);
}

static void
add_fact(Buf *extras, const char *key, size_t keylen, const char *json, size_t jlen)
{
	buf_putc(extras, extras->len == 0 ? '{' : ',');
	json_quote(extras, key, keylen);
	buf_putc(extras, ':');
	buf_append(extras, json, jlen);
}

/*
 * stage_record maps a record onto the staging columns and appends it to the
 * batch; a record that cannot be mapped is rejected, a duplicate skipped.
 */
static void
stage_record(Import *im, Record *rec)
{
	const char *key = NULL;
	size_t		keylen = 0;
	char		msg[512];
	Buf			fact;

	for (int i = 0; i < im->ncols; i++)
		im->vals[i] = NULL;
	buf_reset(&im->extras);
	buf_init(&fact);

	if (im->fmt == FMT_CSV)
	{
		if (rec->nfields != im->nheader)
		{
			snprintf(msg, sizeof(msg), "the record has %d field%s, the header has %d",
					 rec->nfields, rec->nfields == 1 ? "" : "s", im->nheader);
			reject_record(im, rec, "22P04", msg);
			buf_free(&fact);
			return;
		}
		for (int f = 0; f < rec->nfields; f++)
		{
			Field	   *fl = &rec->fields[f];
			const char *v = rec->text.data + fl->off;

			if (f == im->key_field && fl->kind != VAL_NULL)
				key = v, keylen = fl->len;
			if (fl->kind == VAL_NULL)
				continue;
			if (im->header[f].col >= 0)
			{
				im->vals[im->header[f].col] = v;
				im->vlens[im->header[f].col] = fl->len;
			}
			else
			{
				buf_reset(&fact);
				csv_fact_value(&fact, v, fl->len);
				add_fact(&im->extras, im->header[f].fact, strlen(im->header[f].fact), fact.data, fact.len);
			}
		}
	}
	else
	{
		for (int f = 0; f < rec->nfields; f++)
		{
			Field	   *fl = &rec->fields[f];
			const char *k = rec->text.data + fl->key;
			Target		t;
			bool		unknown;

			if (im->dedupe_key && strlen(im->dedupe_key) == fl->keylen &&
				memcmp(im->dedupe_key, k, fl->keylen) == 0 && fl->kind != VAL_NULL)
				key = rec->text.data + fl->off, keylen = fl->len;
			resolve_name(im, k, fl->keylen, &t, &unknown);
			if (unknown && im->strict)
			{
				snprintf(msg, sizeof(msg), "\"%.*s\" is not a field of complaint.complaint (--strict)",
						 (int) fl->keylen, k);
				free(t.fact);
				reject_record(im, rec, "42703", msg);
				buf_free(&fact);
				return;
			}
			if (t.col >= 0 && im->cols[t.col].setval)
			{
				snprintf(msg, sizeof(msg), "\"%.*s\" is given by --set %s=...; the row must not have it",
						 (int) fl->keylen, k, im->cols[t.col].name);
				reject_record(im, rec, "42701", msg);
				buf_free(&fact);
				return;
			}
			if (fl->kind != VAL_NULL)
			{
				if (t.col >= 0)
				{
					im->vals[t.col] = rec->text.data + fl->off;
					im->vlens[t.col] = fl->len;
				}
				else
					add_fact(&im->extras, t.fact, strlen(t.fact), rec->raw.data + fl->rawoff, fl->rawlen);
			}
			free(t.fact);
		}
	}
	buf_free(&fact);
	if (im->extras.len > 0)
		buf_putc(&im->extras, '}');

	if (im->dedupe_key)
	{
		long		first;

		if (key == NULL || keylen == 0)
		{
			snprintf(msg, sizeof(msg), "the dedupe key \"%s\" is missing or empty", im->dedupe_key);
			reject_record(im, rec, "23502", msg);
			return;
		}
		if ((first = keyset_add(&im->seen, key, keylen, rec->line)) != 0)
		{
			im->dups++;			/* the same key earlier in this file */
			im->last_line = rec->last_line;
			return;
		}
	}

	/* the COPY line: line, the insertable columns, extras, key */
	buf_printf(&im->copy, "%ld", rec->line);
	for (int i = 0; i < im->ncols; i++)
	{
		if (!im->cols[i].insertable)
			continue;
		buf_putc(&im->copy, '\t');
		if (im->vals[i])
			copy_escape(&im->copy, im->vals[i], im->vlens[i]);
		else
			buf_append(&im->copy, "\\N", 2);
	}
	buf_putc(&im->copy, '\t');
	if (im->extras.len)
		copy_escape(&im->copy, im->extras.data, im->extras.len);
	else
		buf_append(&im->copy, "\\N", 2);
	buf_putc(&im->copy, '\t');
	if (key)
		copy_escape(&im->copy, key, keylen);
	else
		buf_append(&im->copy, "\\N", 2);
	buf_putc(&im->copy, '\n');

	im->rawoff[im->nbatch] = im->raws.len;
	im->rawlen[im->nbatch] = rec->raw.len;
	im->lines[im->nbatch] = rec->line;
	buf_append(&im->raws, rec->raw.data, rec->raw.len);
	im->nbatch++;
	im->last_line = rec->last_line;
}

/* exec_cmd runs a command; the result is returned for the caller to inspect. */
static PGresult *
exec_cmd(Import *im, const char *sql)
{
	return PQexec(im->conn, sql);
}

static bool
res_ok(PGresult *res)
{
	return PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
}

/* simple: run a command that must succeed; false (error printed) if it fails */
static bool
simple(Import *im, const char *sql)
{
	PGresult   *res = exec_cmd(im, sql);
	bool		ok = res_ok(res);

	if (!ok)
	{
		if (pgc_connection_lost(im->conn))
			im->lost = true;
		pgc_error("%s: %s", sql, pgc_result_error(res, im->conn));
	}
	PQclear(res);
	return ok;
}

/* xact_committed: after a lost COMMIT, ask a new connection what became of xid. */
static int
xact_committed(Import *im, const char *xid)
{
	for (int attempt = 0; attempt < 5; attempt++)
	{
		PGconn	   *c = pgc_connect(im->conninfo, true);

		if (c)
		{
			const char *params[1] = {xid};
			PGresult   *res = PQexecParams(c, "SELECT pg_catalog.pg_xact_status($1::xid8)",
										   1, NULL, params, NULL, NULL, 0);
			int			rc = -1;

			if (PQresultStatus(res) == PGRES_TUPLES_OK && !PQgetisnull(res, 0, 0))
				rc = strcmp(PQgetvalue(res, 0, 0), "committed") == 0;
			PQclear(res);
			PQfinish(c);
			if (rc >= 0)
				return rc;
		}
		pgc_sleep(1.0);
	}
	return -1;
}

/*
 * move_range moves the staged rows lo..hi (indexes into the batch) into
 * complaint.complaint with one INSERT ... SELECT in a savepoint. When the
 * database refuses, it halves the range until the refused rows stand alone:
 * with one bad row in 1,000 the import runs at 75-85 % of its clean speed,
 * where retrying each row of a refused batch in a savepoint of its own ran at
 * 15-30 % (BENCHMARKS.md, "pgc").
 * Returns -1 when the connection is lost.
 */
static int
move_range(Import *im, int lo, int hi, long long *loaded, long long *dups)
{
	char		from[32],
				to[32];
	const char *params[2] = {from, to};
	PGresult   *res;
	int			mid;

	snprintf(from, sizeof(from), "%ld", im->lines[lo]);
	snprintf(to, sizeof(to), "%ld", im->lines[hi]);
	if (!simple(im, "SAVEPOINT pgc_try"))
		return -1;
	res = PQexecPrepared(im->conn, "pgc_move", 2, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
	{
		long long	n = atoll(PQcmdTuples(res));

		*loaded += n;
		*dups += (hi - lo + 1) - n;
		PQclear(res);
		return simple(im, "RELEASE SAVEPOINT pgc_try") ? 0 : -1;
	}
	if (pgc_connection_lost(im->conn))
	{
		PQclear(res);
		return -1;
	}
	if (lo == hi)
	{
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

		reject(im, im->lines[lo], state ? state : "XX000",
				   msg ? msg : PQerrorMessage(im->conn),
				   PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL),
				   im->raws.data + im->rawoff[lo], im->rawlen[lo], false);
	}
	PQclear(res);
	if (!simple(im, "ROLLBACK TO SAVEPOINT pgc_try; RELEASE SAVEPOINT pgc_try"))
		return -1;
	if (lo == hi)
		return 0;
	mid = lo + (hi - lo) / 2;
	if (move_range(im, lo, mid, loaded, dups) < 0)
		return -1;
	return move_range(im, mid + 1, hi, loaded, dups);
}

/*
 * flush_batch loads the staged rows in one transaction: COPY into staging,
 * INSERT ... SELECT of all of them (move_range). Returns false when the import must stop (connection lost).
 */
static bool
flush_batch(Import *im)
{
	PGresult   *res;
	char		xid[32] = "";
	long long	loaded = 0,
				dups = 0;
	bool		ok;
	int			n = im->nbatch;

	if (n == 0)
		return true;
	im->nbatch = 0;

	res = exec_cmd(im, "BEGIN; SELECT pg_catalog.pg_current_xact_id()");
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (ok)
		snprintf(xid, sizeof(xid), "%s", PQgetvalue(res, 0, 0));
	else
		pgc_error("cannot start a transaction: %s", pgc_result_error(res, im->conn));
	PQclear(res);
	if (!ok)
		goto lost;

	res = exec_cmd(im, "COPY pg_temp.pgc_stage FROM STDIN");
	ok = PQresultStatus(res) == PGRES_COPY_IN;
	PQclear(res);
	if (ok)
		ok = PQputCopyData(im->conn, im->copy.data, (int) im->copy.len) == 1 &&
			PQputCopyEnd(im->conn, NULL) == 1;
	res = PQgetResult(im->conn);
	if (!ok || PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		pgc_error("staging lines %ld-%ld failed: %s", im->lines[0], im->lines[n - 1],
				  pgc_result_error(res, im->conn));
		PQclear(res);
		while ((res = PQgetResult(im->conn)) != NULL)
			PQclear(res);
		goto lost;
	}
	PQclear(res);
	buf_reset(&im->copy);

	if (move_range(im, 0, n - 1, &loaded, &dups) < 0)
		goto lost;
	res = exec_cmd(im, "COMMIT");
	if (res_ok(res))
	{
		PQclear(res);
		im->loaded += loaded;
		im->dups += dups;
		buf_reset(&im->raws);
		return true;
	}
	pgc_error("COMMIT of lines %ld-%ld failed: %s", im->lines[0], im->lines[n - 1],
			  pgc_result_error(res, im->conn));
	PQclear(res);
	if (pgc_connection_lost(im->conn) && xid[0])
	{
		int			c = xact_committed(im, xid);

		if (c == 1)
		{
			pgc_note("the server committed lines %ld-%ld before the connection was lost",
					 im->lines[0], im->lines[n - 1]);
			im->loaded += loaded;
			im->dups += dups;
		}
		else if (c < 0)
		{
			pgc_error("cannot tell whether lines %ld-%ld were committed: ask the server with SELECT pg_xact_status('%s')",
					  im->lines[0], im->lines[n - 1], xid);
			im->commit_unknown = true;
		}
	}
	im->lost = true;
	buf_reset(&im->raws);
	return false;

lost:
	im->lost = true;
	buf_reset(&im->copy);
	buf_reset(&im->raws);
	if (!pgc_connection_lost(im->conn))
		PQclear(PQexec(im->conn, "ROLLBACK"));
	pgc_error("lines %ld-%ld were not loaded", im->lines[0], im->lines[n - 1]);
	return false;
}

/* the header ------------------------------------------------------------------ */

static bool
read_header(Import *im, Record *rec)
{
	int			rc = reader_next(im->reader, rec);

	if (rc == REC_EOF)
	{
		pgc_error("%s: the file is empty: a CSV file starts with a header line naming its columns",
				  im->path);
		return false;
	}
	if (rc == REC_IOERR)
	{
		pgc_error("%s: %s", im->path, rec->error);
		return false;
	}
	if (rc == REC_BAD)
	{
		pgc_error("%s:%ld: the header line is malformed: %s", im->path, rec->line, rec->error);
		return false;
	}
	im->nheader = rec->nfields;
	im->header = xmalloc(sizeof(Target) * im->nheader);
	im->key_field = -1;
	for (int f = 0; f < rec->nfields; f++)
	{
		const char *name = rec->text.data + rec->fields[f].off;
		size_t		len = rec->fields[f].len;
		bool		unknown;

		while (len > 0 && isspace((unsigned char) name[0]))
			name++, len--;
		while (len > 0 && isspace((unsigned char) name[len - 1]))
			len--;
		im->header[f].fact = NULL;
		im->header[f].col = -1;
		if (len == 0)
		{
			pgc_error("%s:%ld: column %d of the header has no name", im->path, rec->line, f + 1);
			im->nheader = f;
			return false;
		}
		resolve_name(im, name, len, &im->header[f], &unknown);
		if (im->dedupe_key && strlen(im->dedupe_key) == len && strncmp(im->dedupe_key, name, len) == 0)
			im->key_field = f;
		if (unknown && im->strict)
		{
			pgc_error("%s:%ld: column \"%.*s\" of the header is not a field of complaint.complaint (--strict); rename it with --map NAME=FIELD, or leave out --strict to keep it in facts",
					  im->path, rec->line, (int) len, name);
			im->nheader = f + 1;
			return false;
		}
		for (int g = 0; g < f; g++)
			if (im->header[g].col == im->header[f].col &&
				(im->header[f].col >= 0 || strcmp(im->header[g].fact, im->header[f].fact) == 0))
			{
				pgc_error("%s:%ld: columns %d and %d of the header both give %s%s", im->path, rec->line, g + 1, f + 1,
						  im->header[f].col >= 0 ? "" : "facts.",
						  im->header[f].col >= 0 ? im->cols[im->header[f].col].name : im->header[f].fact);
				im->nheader = f + 1;
				return false;
			}
		if (im->header[f].col >= 0)
		{
			if (im->cols[im->header[f].col].setval)
			{
				pgc_error("%s:%ld: column \"%s\" is in the file and in --set; give it once",
						  im->path, rec->line, im->cols[im->header[f].col].name);
				im->nheader = f + 1;
				return false;
			}
			im->cols[im->header[f].col].used = true;
		}
	}
	{
		Buf			names;

		buf_init(&names);
		for (int f = 0; f < im->nheader; f++)
			if (im->header[f].col < 0)
				buf_printf(&names, "%s%s", names.len ? ", " : "", im->header[f].fact);
		if (names.len)
			pgc_note("%s: not columns of complaint.complaint, kept as keys of facts: %s (--strict refuses them)",
					 im->path, names.data);
		buf_free(&names);
	}
	if (im->dedupe_key && im->key_field < 0)
	{
		pgc_error("%s:%ld: --dedupe-key %s: the header has no column of that name", im->path, rec->line, im->dedupe_key);
		return false;
	}
	return true;
}

/* required_columns: every NOT NULL column without a default must come from somewhere */
static bool
required_columns(Import *im)
{
	for (int i = 0; i < im->ncols; i++)
	{
		Column	   *c = &im->cols[i];

		if (c->notnull && !c->defexpr && c->insertable && !c->used &&
			strcmp(c->name, "ref") != 0)
		{
			pgc_error("%s: no column gives \"%s\", which every complaint needs: add a column %s to the file, or --set %s=VALUE",
					  im->path, c->name, c->name, c->name);
			return false;
		}
	}
	return true;
}

/* the command --------------------------------------------------------------------- */

static void
summary(Import *im, bool stopped)
{
	double		secs = pgc_now() - im->t0;
	long long	notloaded = im->nread - im->loaded - im->rejected - im->dups;

	printf("%s: %lld row%s read, %lld loaded, %lld rejected, %lld duplicate%s skipped",
		   im->path, im->nread, im->nread == 1 ? "" : "s", im->loaded, im->rejected,
		   im->dups, im->dups == 1 ? "" : "s");
	if (stopped && notloaded > 0)
		printf(", %lld not loaded", notloaded);
	printf(" in %.1f s (%.0f rows/s)", secs, secs > 0 ? im->nread / secs : 0.0);
	if (im->rejected)
		printf("; rejects in %s\n", im->rejpath);
	else
		printf("; no rejects\n");
	fflush(stdout);
}

int
cmd_import(int argc, char **argv, const char *conninfo)
{
	static const struct option longopts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'f'},
		{"delimiter", required_argument, NULL, 'D'},
		{"set", required_argument, NULL, 'S'},
		{"map", required_argument, NULL, 'M'},
		{"strict", no_argument, NULL, 's'},
		{"dedupe-key", required_argument, NULL, 'k'},
		{"history", no_argument, NULL, 'H'},
		{"rejects", required_argument, NULL, 'r'},
		{"batch-size", required_argument, NULL, 'b'},
		{"max-field-size", required_argument, NULL, 'm'},
		{"quiet", no_argument, NULL, 'q'},
		{"progress-interval", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	Import		im;
	Record		rec;
	char	  **setargs = xmalloc(sizeof(char *) * (argc + 1));
	int			nset = 0;
	int			c;
	bool		fmt_given = false,
				quiet = false;
	int			rc = PGC_EXIT_OK;
	char		err[512];
	long long	v;

	memset(&im, 0, sizeof(im));
	im.conninfo = conninfo;
	im.delimiter = ',';
	im.batch_size = 1000;
	im.max_field = 1024 * 1024;
	im.progress_interval = 10;
	im.map_from = xmalloc(sizeof(char *) * (argc + 1));
	im.map_to = xmalloc(sizeof(char *) * (argc + 1));

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:f:r:b:qh", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				im.conninfo = optarg;
				break;
			case 'f':
				fmt_given = true;
				if (strcmp(optarg, "csv") == 0)
					im.fmt = FMT_CSV;
				else if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
					im.fmt = FMT_JSONL;
				else
				{
					pgc_error("--format must be csv or jsonl, not \"%s\"", optarg);
					rc = PGC_EXIT_USAGE;
				}
				break;
			case 'D':
				if (strlen(optarg) != 1 || optarg[0] == '"' || optarg[0] == '\n' || optarg[0] == '\r')
				{
					pgc_error("--delimiter must be one character other than a quote or line break");
					rc = PGC_EXIT_USAGE;
				}
				im.delimiter = optarg[0];
				break;
			case 'S':
				if (strchr(optarg, '=') == NULL || optarg[0] == '=')
				{
					pgc_error("--set needs FIELD=VALUE, not \"%s\"", optarg);
					rc = PGC_EXIT_USAGE;
				}
				setargs[nset++] = optarg;
				break;
			case 'M':
				{
					char	   *eq = strchr(optarg, '=');

					if (eq == NULL || eq == optarg || eq[1] == '\0')
					{
						pgc_error("--map needs NAME=FIELD, not \"%s\"", optarg);
						rc = PGC_EXIT_USAGE;
						break;
					}
					im.map_from[im.nmap] = xstrdup(optarg);
					im.map_from[im.nmap][eq - optarg] = '\0';
					im.map_to[im.nmap++] = xstrdup(eq + 1);
					break;
				}
			case 's':
				im.strict = true;
				break;
			case 'k':
				im.dedupe_key = optarg;
				break;
			case 'H':
				im.history = true;
				break;
			case 'r':
				im.rejects_path = optarg;
				break;
			case 'b':
				if (!pgc_parse_int(optarg, 1, 100000, &v))
				{
					pgc_error("--batch-size must be an integer from 1 to 100000, not \"%s\"", optarg);
					rc = PGC_EXIT_USAGE;
				}
				else
					im.batch_size = (int) v;
				break;
			case 'm':
				if (!pgc_parse_size(optarg, &im.max_field) || im.max_field > 512LL * 1024 * 1024)
				{
					pgc_error("--max-field-size must be a size from 1 byte to 512M, such as 64k or 20M, not \"%s\"", optarg);
					rc = PGC_EXIT_USAGE;
				}
				break;
			case 'q':
				quiet = true;
				break;
			case 'P':
				if (!pgc_parse_int(optarg, 1, 86400, &v))
				{
					pgc_error("--progress-interval must be a number of seconds from 1 to 86400, not \"%s\"", optarg);
					rc = PGC_EXIT_USAGE;
				}
				else
					im.progress_interval = (double) v;
				break;
			case 'h':
				import_usage(stdout);
				rc = -1;
				break;
			default:
				rc = PGC_EXIT_USAGE;
		}
	}
	if (rc == PGC_EXIT_OK && optind != argc - 1)
	{
		pgc_error(optind >= argc ? "no input file given (use - for stdin)" : "one input file only, got \"%s\" too",
				  optind >= argc ? "" : argv[optind + 1]);
		rc = PGC_EXIT_USAGE;
	}
	if (rc != PGC_EXIT_OK)
	{
		if (rc == PGC_EXIT_USAGE)
			fprintf(stderr, "Try \"pgc import --help\".\n");
		goto done_args;
	}
	im.path = argv[optind];
	if (!fmt_given && strcmp(im.path, "-") != 0)
	{
		size_t		l = strlen(im.path);

		if ((l > 6 && strcmp(im.path + l - 6, ".jsonl") == 0) ||
			(l > 7 && strcmp(im.path + l - 7, ".ndjson") == 0) ||
			(l > 5 && strcmp(im.path + l - 5, ".json") == 0))
			im.fmt = FMT_JSONL;
	}
	if (im.fmt == FMT_JSONL && im.delimiter != ',')
	{
		pgc_error("--delimiter applies to CSV only");
		rc = PGC_EXIT_USAGE;
		goto done_args;
	}
	if (!quiet)
		im.progress = isatty(STDERR_FILENO) ? 2 : 1;

	/* the input first: a missing file needs no database */
	im.reader = reader_open(im.path, im.fmt, im.delimiter, im.max_field, err, sizeof(err));
	if (im.reader == NULL)
	{
		pgc_error("%s", err);
		rc = PGC_EXIT_INPUT;
		goto done_args;
	}
	record_init(&rec);

	im.conn = pgc_connect(im.conninfo, false);
	if (im.conn == NULL || !pgc_require_extension(im.conn) || !load_columns(&im))
	{
		rc = PGC_EXIT_DB;
		goto done;
	}
	for (int s = 0; s < nset; s++)
	{
		char	   *eq = strchr(setargs[s], '=');
		char		name[128];
		int			col;

		snprintf(name, sizeof(name), "%.*s", (int) (eq - setargs[s]), setargs[s]);
		col = find_column(&im, name);
		if (col < 0 || !im.cols[col].insertable)
		{
			pgc_error("--set %s: complaint.complaint has no column \"%s\" that can be given", setargs[s], name);
			rc = PGC_EXIT_USAGE;
			goto done;
		}
		im.cols[col].setval = eq + 1;
		im.cols[col].used = true;
	}
	for (int m = 0; m < im.nmap; m++)
	{
		int			col = find_column(&im, im.map_to[m]);

		if (strncmp(im.map_to[m], "facts.", 6) != 0 && (col < 0 || !im.cols[col].insertable))
		{
			pgc_error("--map %s=%s: complaint.complaint has no column \"%s\" that can be given (or write facts.KEY)",
					  im.map_from[m], im.map_to[m], im.map_to[m]);
			rc = PGC_EXIT_USAGE;
			goto done;
		}
	}
	if (!check_set_values(&im))
	{
		rc = PGC_EXIT_USAGE;
		goto done;
	}

	if (im.fmt == FMT_CSV)
	{
		if (!read_header(&im, &rec))
		{
			rc = PGC_EXIT_INPUT;
			goto done;
		}
		if (!required_columns(&im))
		{
			rc = PGC_EXIT_INPUT;
			goto done;
		}
	}
	else
		for (int i = 0; i < im.ncols; i++)
			if (im.cols[i].insertable)
				im.cols[i].used = true;
	im.cols[im.facts_col].used = true;

	/* the rejects file: created now, removed at the end when nothing was rejected */
	if (im.rejects_path)
		im.rejpath = xstrdup(im.rejects_path);
	else if (strcmp(im.path, "-") == 0)
		im.rejpath = xstrdup("pgc-import.rejects.csv");
	else
	{
		im.rejpath = xmalloc(strlen(im.path) + 16);
		sprintf(im.rejpath, "%s.rejects.csv", im.path);
	}
	im.rejf = fopen(im.rejpath, "w");
	if (im.rejf == NULL)
	{
		pgc_error("cannot write the rejects file %s: %s (choose another with --rejects)", im.rejpath, strerror(errno));
		rc = PGC_EXIT_INPUT;
		goto done;
	}
	fputs("line,sqlstate,error,detail,record\n", im.rejf);

	if (!prepare_session(&im))
	{
		rc = PGC_EXIT_DB;
		goto done;
	}

	buf_init(&im.copy);
	buf_init(&im.raws);
	buf_init(&im.extras);
	im.rawoff = xmalloc(sizeof(size_t) * im.batch_size);
	im.rawlen = xmalloc(sizeof(size_t) * im.batch_size);
	im.lines = xmalloc(sizeof(long) * im.batch_size);
	im.vals = xmalloc(sizeof(char *) * im.ncols);
	im.vlens = xmalloc(sizeof(size_t) * im.ncols);
	im.t0 = im.last_progress = pgc_now();
	pgc_catch_signals();

	for (;;)
	{
		int			r = reader_next(im.reader, &rec);

		if (r == REC_EOF)
			break;
		if (r == REC_IOERR)
		{
			pgc_error("%s: %s after line %ld", im.path, rec.error, im.last_line);
			rc = PGC_EXIT_INPUT;
			break;
		}
		im.nread++;
		if (r == REC_BAD)
			reject_record(&im, &rec, rec.sqlstate, rec.error);
		else
			stage_record(&im, &rec);
		if (im.nbatch + im.npend >= im.batch_size)
		{
			bool		ok = flush_batch(&im);

			write_rejects(&im);
			if (!ok)
				break;
		}
		progress(&im, false);
		if (pgc_interrupted)
			break;
	}
	if (!im.lost)
		(void) flush_batch(&im);
	write_rejects(&im);
	progress(&im, true);
	if (im.nread == 0 && !im.lost && rc == PGC_EXIT_OK)
	{
		if (im.fmt == FMT_CSV)
			pgc_note("%s: the file has a header line but no rows", im.path);
		else
		{
			pgc_error("%s: the file is empty: no JSON object to import", im.path);
			rc = PGC_EXIT_INPUT;
		}
	}
	if (im.lost)
	{
		pgc_error("%s: stopped at line %ld: the connection to the database was lost; what the summary calls loaded is committed%s",
				  im.path, im.last_line,
				  im.dedupe_key ? " (run the same command again to load the rest)" : " (re-run with --dedupe-key to load the rest without duplicates)");
		rc = PGC_EXIT_DB;
	}
	else if (pgc_interrupted)
	{
		pgc_error("%s: interrupted after line %ld; what the summary calls loaded is committed", im.path, im.last_line);
		rc = PGC_EXIT_INTERRUPT;
	}
	summary(&im, im.lost || pgc_interrupted || rc != PGC_EXIT_OK);
	if (rc == PGC_EXIT_OK && im.rejected > 0)
		rc = PGC_EXIT_REJECTS;

done:
	if (im.rejf)
	{
		if (fclose(im.rejf) != 0)
		{
			pgc_error("writing the rejects file %s failed: %s", im.rejpath, strerror(errno));
			if (rc == PGC_EXIT_OK || rc == PGC_EXIT_REJECTS)
				rc = PGC_EXIT_INPUT;
		}
		else if (im.rejected == 0)
			unlink(im.rejpath);
	}
	PQfinish(im.conn);
	record_free(&rec);
	reader_close(im.reader);
	if (im.copy.data)
	{
		buf_free(&im.copy);
		buf_free(&im.raws);
		buf_free(&im.extras);
	}
	free(im.rawoff);
	free(im.rawlen);
	free(im.lines);
	free(im.vals);
	free(im.vlens);
	free(im.rejpath);
	free(im.pend);
	keyset_free(&im.seen);
	for (int h = 0; h < im.nheader; h++)
		free(im.header[h].fact);
	free(im.header);
	for (int i = 0; i < im.ncols; i++)
	{
		free(im.cols[i].name);
		free(im.cols[i].type);
		free(im.cols[i].defexpr);
	}
	free(im.cols);
done_args:
	for (int m = 0; m < im.nmap; m++)
	{
		free(im.map_from[m]);
		free(im.map_to[m]);
	}
	free(im.map_from);
	free(im.map_to);
	free(setargs);
	return rc < 0 ? PGC_EXIT_OK : rc;
}
