/*-------------------------------------------------------------------------
 *
 * pgc.h
 *	  Declarations shared by the files of pgc, the command-line companion of
 *	  pg_complaint (import, watch, report) built on libpq.
 *
 * IDENTIFICATION
 *	  tools/pgc/pgc.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PGC_H
#define PGC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "libpq-fe.h"

/* exit codes (README, "pgc") */
#define PGC_EXIT_OK			0	/* done; every row loaded / event delivered */
#define PGC_EXIT_REJECTS	1	/* import finished, some rows were rejected */
#define PGC_EXIT_USAGE		2	/* bad command line */
#define PGC_EXIT_INPUT		3	/* input file unusable; nothing was loaded */
#define PGC_EXIT_DB			4	/* connection or database error */
#define PGC_EXIT_INTERRUPT	130 /* stopped by SIGINT or SIGTERM */

/* common.c: growable byte buffer, messages, connections */
typedef struct Buf
{
	char	   *data;			/* always NUL-terminated */
	size_t		len;
	size_t		cap;
} Buf;

extern const char *pgc_command;	/* "import", "watch", "report": prefixes messages */
extern volatile int pgc_interrupted;	/* set by SIGINT / SIGTERM */

extern void *xmalloc(size_t n);
extern void *xrealloc(void *p, size_t n);
extern char *xstrdup(const char *s);
extern void buf_init(Buf *b);
extern void buf_free(Buf *b);
extern void buf_reset(Buf *b);
extern void buf_reserve(Buf *b, size_t extra);
extern void buf_append(Buf *b, const char *p, size_t n);
extern void buf_puts(Buf *b, const char *s);
extern void buf_putc(Buf *b, char c);
extern void buf_printf(Buf *b, const char *fmt,...) __attribute__((format(printf, 2, 3)));

extern void pgc_error(const char *fmt,...) __attribute__((format(printf, 1, 2)));
extern void pgc_note(const char *fmt,...) __attribute__((format(printf, 1, 2)));
extern double pgc_now(void);
extern void pgc_sleep(double seconds);
extern void pgc_catch_signals(void);
extern bool pgc_parse_size(const char *s, long long *out);
extern bool pgc_parse_int(const char *s, long long min, long long max, long long *out);

extern PGconn *pgc_connect(const char *conninfo, bool quiet);
extern bool pgc_connection_lost(PGconn *conn);
extern const char *pgc_result_error(const PGresult *res, PGconn *conn);
extern bool pgc_exec_ok(PGconn *conn, const char *sql);
extern bool pgc_require_extension(PGconn *conn);

/* input.c: CSV and JSON-lines records */
typedef enum
{
	FMT_CSV,
	FMT_JSONL
} InputFormat;

typedef enum
{
	VAL_NULL,					/* CSV: empty unquoted field; JSON: null */
	VAL_STRING,					/* CSV field, JSON string */
	VAL_NUMBER,					/* JSON number */
	VAL_BOOL,					/* JSON true/false */
	VAL_NESTED					/* JSON object or array (text is the raw JSON) */
} ValueKind;

typedef struct Field
{
	size_t		key;			/* JSON lines: offset of the key in Record.text */
	size_t		keylen;
	size_t		off;			/* value: offset in Record.text (decoded) */
	size_t		len;
	size_t		rawoff;			/* JSON lines: the value as written (JSON text) */
	size_t		rawlen;
	ValueKind	kind;
} Field;

typedef struct Record
{
	long		line;			/* first line of the record (1-based) */
	long		last_line;		/* its last line */
	Buf			raw;			/* the record as read (capped for huge ones) */
	Buf			text;			/* decoded fields and keys */
	Field	   *fields;
	int			nfields;
	int			maxfields;
	bool		raw_truncated;
	char		sqlstate[6];	/* when the record is refused by the reader */
	char		error[512];
} Record;

typedef struct Reader Reader;

/* reader_next results */
#define REC_OK		1
#define REC_EOF		0
#define REC_BAD		(-1)		/* a malformed record: sqlstate and error set */
#define REC_IOERR	(-2)		/* read error: error set */

extern Reader *reader_open(const char *path, InputFormat fmt, char delimiter,
						   long long max_field, char *err, size_t errlen);
extern void reader_close(Reader *r);
extern int	reader_next(Reader *r, Record *rec);
extern long long reader_bytes(const Reader *r);
extern long long reader_size(const Reader *r);	/* -1 when unknown (a pipe) */
extern void record_init(Record *rec);
extern void record_free(Record *rec);
extern long utf8_invalid_at(const char *p, size_t len);

/* format.c: terminal width, tables, CSV/JSON quoting, progress line */
extern int	display_width(const char *s, size_t len);
extern void csv_quote(Buf *out, const char *s, size_t len);
extern void json_quote(Buf *out, const char *s, size_t len);
extern void print_table(FILE *out, PGresult *res);
extern void print_csv(FILE *out, PGresult *res);
extern void print_json(FILE *out, PGresult *res);
extern void format_count(char *dst, size_t n, long long v);
extern void format_duration(char *dst, size_t n, double seconds);

/* the commands */
extern int	cmd_import(int argc, char **argv, const char *conninfo);
extern int	cmd_watch(int argc, char **argv, const char *conninfo);
extern int	cmd_report(int argc, char **argv, const char *conninfo);

#endif							/* PGC_H */
