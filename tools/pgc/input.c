/*-------------------------------------------------------------------------
 *
 * input.c
 *	  Reading the files pgc imports: CSV (RFC 4180: quoted fields, doubled
 *	  quotes, line breaks inside quotes, CRLF or LF) and JSON lines (one
 *	  object per line), from a file or stdin, through one read buffer. Each
 *	  record keeps its line numbers and its text as read, for the rejects
 *	  file. A malformed record (unbalanced quote, stray quote, invalid UTF-8,
 *	  a field over the size limit, a line that is not a JSON object) is
 *	  returned as REC_BAD with a SQLSTATE-like code and a message; reading
 *	  resumes at the next record.
 *
 * IDENTIFICATION
 *	  tools/pgc/input.c
 *
 *-------------------------------------------------------------------------
 */
#include "pgc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK	(256 * 1024)
#define JSON_MAX_DEPTH 64

struct Reader
{
	int			fd;
	bool		close_fd;
	InputFormat fmt;
	char		delimiter;
	long long	max_field;		/* largest field (CSV) / value (JSON) accepted */
	long long	size;			/* file size, -1 for a pipe */
	long long	consumed;		/* bytes handed out so far */
	unsigned char *buf;
	size_t		pos;
	size_t		end;
	bool		eof;
	int			ioerr;			/* errno of a failed read */
	long		line;			/* line of the next byte */
	bool		bom_checked;
	long long  *sizes;			/* CSV: byte size of each field of the record */
	int			nsizes;
};

Reader *
reader_open(const char *path, InputFormat fmt, char delimiter, long long max_field,
			char *err, size_t errlen)
{
	Reader	   *r;
	int			fd;
	struct stat st;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY)) < 0)
	{
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
	{
		snprintf(err, errlen, "cannot read %s: it is a directory", path);
		if (fd != STDIN_FILENO)
			close(fd);
		return NULL;
	}
	r = xmalloc(sizeof(Reader));
	memset(r, 0, sizeof(Reader));
	r->fd = fd;
	r->close_fd = fd != STDIN_FILENO;
	r->fmt = fmt;
	r->delimiter = delimiter;
	r->max_field = max_field;
	r->size = (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) ? (long long) st.st_size : -1;
	r->buf = xmalloc(READ_CHUNK);
	r->line = 1;
	return r;
}

void
reader_close(Reader *r)
{
	if (r == NULL)
		return;
	if (r->close_fd)
		close(r->fd);
	free(r->sizes);
	free(r->buf);
	free(r);
}

long long
reader_bytes(const Reader *r)
{
	return r->consumed;
}

long long
reader_size(const Reader *r)
{
	return r->size;
}

/* fill reads the next chunk; false at end of input or on a read error. */
static bool
fill(Reader *r)
{
	ssize_t		n;

	if (r->eof)
		return false;
	do
		n = read(r->fd, r->buf, READ_CHUNK);
	while (n < 0 && errno == EINTR && !pgc_interrupted);
	if (n <= 0)
	{
		if (n < 0)
			r->ioerr = errno;
		r->eof = true;
		return false;
	}
	r->pos = 0;
	r->end = (size_t) n;
	if (!r->bom_checked)
	{
		r->bom_checked = true;
		if (n >= 3 && r->buf[0] == 0xEF && r->buf[1] == 0xBB && r->buf[2] == 0xBF)
		{
			r->pos = 3;			/* a UTF-8 byte order mark is not data */
			r->consumed += 3;
		}
	}
	return r->pos < r->end || fill(r);
}

static inline int
rd_peek(Reader *r)
{
	if (r->pos >= r->end && !fill(r))
		return -1;
	return r->buf[r->pos];
}

static inline int
rd_get(Reader *r)
{
	int			c;

	if (r->pos >= r->end && !fill(r))
		return -1;
	c = r->buf[r->pos++];
	r->consumed++;
	if (c == '\n')
		r->line++;
	return c;
}

void
record_init(Record *rec)
{
	memset(rec, 0, sizeof(Record));
	buf_init(&rec->raw);
	buf_init(&rec->text);
	rec->maxfields = 16;
	rec->fields = xmalloc(sizeof(Field) * rec->maxfields);
}

void
record_free(Record *rec)
{
	buf_free(&rec->raw);
	buf_free(&rec->text);
	free(rec->fields);
	rec->fields = NULL;
}

static void
record_reset(Record *rec, long line)
{
	buf_reset(&rec->raw);
	buf_reset(&rec->text);
	rec->nfields = 0;
	rec->raw_truncated = false;
	rec->sqlstate[0] = '\0';
	rec->error[0] = '\0';
	rec->line = rec->last_line = line;
}

static Field *
record_add_field(Record *rec)
{
	Field	   *f;

	if (rec->nfields == rec->maxfields)
	{
		rec->maxfields *= 2;
		rec->fields = xrealloc(rec->fields, sizeof(Field) * rec->maxfields);
	}
	f = &rec->fields[rec->nfields++];
	memset(f, 0, sizeof(Field));
	f->off = rec->text.len;
	f->kind = VAL_STRING;
	return f;
}

static int
record_bad(Record *rec, const char *sqlstate, const char *fmt,...) __attribute__((format(printf, 3, 4)));

static int
record_bad(Record *rec, const char *sqlstate, const char *fmt,...)
{
	va_list		ap;

	snprintf(rec->sqlstate, sizeof(rec->sqlstate), "%s", sqlstate);
	va_start(ap, fmt);
	vsnprintf(rec->error, sizeof(rec->error), fmt, ap);
	va_end(ap);
	return REC_BAD;
}

/* raw_add keeps the record as read, up to the field limit plus 64 kB. */
static inline void
raw_add(Reader *r, Record *rec, int c)
{
	if ((long long) rec->raw.len < r->max_field + 65536)
		buf_putc(&rec->raw, (char) c);
	else
		rec->raw_truncated = true;
}

/*
 * utf8_invalid_at returns the offset of the first byte that is not part of a
 * well-formed UTF-8 sequence (overlong forms, surrogates and NUL included:
 * PostgreSQL text cannot hold them), or -1.
 */
long
utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = p[i];
		size_t		n;
		unsigned int cp;

		if (c >= 0x01 && c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 2, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4, cp = c & 0x07;
		else
			return (long) i;
		if (i + n > len)
			return (long) i;
		for (size_t k = 1; k < n; k++)
		{
			if ((p[i + k] & 0xC0) != 0x80)
				return (long) i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
			(n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return (long) i;
		i += n;
	}
	return -1;
}

/* skip_line consumes the rest of the physical line after a malformed record. */
static void
skip_line(Reader *r, Record *rec)
{
	int			c;

	while ((c = rd_get(r)) != -1 && c != '\n')
		raw_add(r, rec, c);
}

/* check_fields: every field valid UTF-8 and within the size limit. */
static int
check_fields(Reader *r, Record *rec, const long long *sizes)
{
	for (int i = 0; i < rec->nfields; i++)
	{
		Field	   *f = &rec->fields[i];
		long		bad;

		if (sizes[i] > r->max_field)
			return record_bad(rec, "54000", "field %d is %lld bytes long, more than the limit of %lld bytes (--max-field-size)",
							  i + 1, sizes[i], r->max_field);
		bad = utf8_invalid_at(rec->text.data + f->off, f->len);
		if (bad >= 0)
			return record_bad(rec, "22021", "field %d is not valid UTF-8: byte 0x%02x at offset %ld of the field",
							  i + 1, (unsigned char) rec->text.data[f->off + bad], bad);
	}
	return REC_OK;
}

/*
 * csv_next reads one CSV record. Blank lines are skipped. An empty unquoted
 * field is NULL; "" is an empty string.
 */
static int
csv_next(Reader *r, Record *rec)
{
	int			c;
	char		delim = r->delimiter;

	/* skip blank lines */
	for (;;)
	{
		c = rd_peek(r);
		if (c == '\n')
			rd_get(r);
		else if (c == '\r' && r->pos + 1 < r->end && r->buf[r->pos + 1] == '\n')
			rd_get(r);
		else
		{
			record_reset(rec, r->line);
			break;
		}
	}
	if (c == -1)
		return r->ioerr ? REC_IOERR : REC_EOF;

	for (;;)
	{
		Field	   *f = record_add_field(rec);
		long long	size = 0;
		bool		end_record = false;

		if (rec->nfields > r->nsizes)
		{
			r->nsizes = rec->maxfields;
			r->sizes = xrealloc(r->sizes, sizeof(long long) * r->nsizes);
		}
		c = rd_get(r);
		if (c == '"')
		{
			long		open_line = r->line;

			raw_add(r, rec, c);
			for (;;)
			{
				c = rd_get(r);
				if (c == -1)
				{
					rec->last_line = r->line;
					if (rec->raw.len > 0 && rec->raw.data[rec->raw.len - 1] == '\n')
						rec->last_line--;
					if (r->ioerr)
						return REC_IOERR;
					return record_bad(rec, "22P04", "unterminated quoted field: the quote opened on line %ld is never closed (the rest of the file, to line %ld, was read as this field)",
									  open_line, rec->last_line);
				}
				raw_add(r, rec, c);
				if (c == '"')
				{
					if (rd_peek(r) != '"')
						break;
					raw_add(r, rec, rd_get(r));
				}
				if (++size <= r->max_field)
					buf_putc(&rec->text, (char) c);
			}
			c = rd_get(r);
			if (c == '\r' && rd_peek(r) == '\n')
				c = rd_get(r);
			if (c == '\n' || c == -1)
				end_record = true;
			else if (c != delim)
			{
				raw_add(r, rec, c);
				rec->last_line = r->line;
				skip_line(r, rec);
				return record_bad(rec, "22P04", "field %d: unexpected character '%c' after the closing quote (a field is either quoted as a whole or not at all)",
								  rec->nfields, c);
			}
		}
		else
		{
			while (c != -1 && c != delim && c != '\n')
			{
				if (c == '\r' && rd_peek(r) == '\n')
				{
					c = rd_get(r);
					break;
				}
				raw_add(r, rec, c);
				if (c == '"')
				{
					rec->last_line = r->line;
					skip_line(r, rec);
					return record_bad(rec, "22P04", "field %d: a quote inside an unquoted field (quote the whole field and double the quotes inside it)",
									  rec->nfields);
				}
				if (++size <= r->max_field)
					buf_putc(&rec->text, (char) c);
				c = rd_get(r);
			}
			if (size == 0)
				f->kind = VAL_NULL;
			if (c != delim)
				end_record = true;
		}
		f->len = rec->text.len - f->off;
		r->sizes[rec->nfields - 1] = size;
		if (end_record)
		{
			rec->last_line = (c == '\n') ? r->line - 1 : r->line;
			if (c == -1 && r->ioerr)
				return REC_IOERR;
			return check_fields(r, rec, r->sizes);
		}
		raw_add(r, rec, c);
	}
}

/* JSON lines --------------------------------------------------------------- */

typedef struct JsonCursor
{
	const char *s;
	size_t		len;
	size_t		i;
	const char *err;
} JsonCursor;

static void
json_ws(JsonCursor *j)
{
	while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
							 j->s[j->i] == '\r' || j->s[j->i] == '\n'))
		j->i++;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
json_hex4(JsonCursor *j, unsigned int *out)
{
	unsigned int v = 0;

	if (j->i + 4 > j->len)
		return false;
	for (int k = 0; k < 4; k++)
	{
		int			h = hexval(j->s[j->i + k]);

		if (h < 0)
			return false;
		v = (v << 4) | (unsigned int) h;
	}
	j->i += 4;
	*out = v;
	return true;
}

static void
put_utf8(Buf *out, unsigned int cp)
{
	if (cp < 0x80)
		buf_putc(out, (char) cp);
	else if (cp < 0x800)
	{
		buf_putc(out, (char) (0xC0 | (cp >> 6)));
		buf_putc(out, (char) (0x80 | (cp & 0x3F)));
	}
	else if (cp < 0x10000)
	{
		buf_putc(out, (char) (0xE0 | (cp >> 12)));
		buf_putc(out, (char) (0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(out, (char) (0x80 | (cp & 0x3F)));
	}
	else
	{
		buf_putc(out, (char) (0xF0 | (cp >> 18)));
		buf_putc(out, (char) (0x80 | ((cp >> 12) & 0x3F)));
		buf_putc(out, (char) (0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(out, (char) (0x80 | (cp & 0x3F)));
	}
}

/* json_string decodes a string at the cursor (on its quote) into out (may be NULL). */
static bool
json_string(JsonCursor *j, Buf *out)
{
	j->i++;
	while (j->i < j->len)
	{
		unsigned char c = (unsigned char) j->s[j->i++];

		if (c == '"')
			return true;
		if (c < 0x20)
		{
			j->err = "a control character inside a string (write it as an escape such as \\n)";
			return false;
		}
		if (c != '\\')
		{
			if (out)
				buf_putc(out, (char) c);
			continue;
		}
		if (j->i >= j->len)
			break;
		c = (unsigned char) j->s[j->i++];
		switch (c)
		{
			case '"':
			case '\\':
			case '/':
				if (out)
					buf_putc(out, (char) c);
				break;
			case 'b':
				if (out)
					buf_putc(out, '\b');
				break;
			case 'f':
				if (out)
					buf_putc(out, '\f');
				break;
			case 'n':
				if (out)
					buf_putc(out, '\n');
				break;
			case 'r':
				if (out)
					buf_putc(out, '\r');
				break;
			case 't':
				if (out)
					buf_putc(out, '\t');
				break;
			case 'u':
				{
					unsigned int cp,
								lo;

					if (!json_hex4(j, &cp))
					{
						j->err = "a \\u escape needs four hexadecimal digits";
						return false;
					}
					if (cp >= 0xD800 && cp <= 0xDBFF)
					{
						if (j->i + 2 > j->len || j->s[j->i] != '\\' || j->s[j->i + 1] != 'u')
						{
							j->err = "a lone UTF-16 surrogate in a \\u escape";
							return false;
						}
						j->i += 2;
						if (!json_hex4(j, &lo) || lo < 0xDC00 || lo > 0xDFFF)
						{
							j->err = "a lone UTF-16 surrogate in a \\u escape";
							return false;
						}
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					}
					else if (cp >= 0xDC00 && cp <= 0xDFFF)
					{
						j->err = "a lone UTF-16 surrogate in a \\u escape";
						return false;
					}
					if (cp == 0)
					{
						j->err = "\\u0000 (PostgreSQL text cannot hold a NUL character)";
						return false;
					}
					if (out)
						put_utf8(out, cp);
					break;
				}
			default:
				j->err = "an unknown escape in a string";
				return false;
		}
	}
	j->err = "an unterminated string";
	return false;
}

static bool json_value(JsonCursor *j, int depth, ValueKind *kind, Buf *out);

/* json_number checks the JSON number grammar. */
static bool
json_number(JsonCursor *j)
{
	size_t		start = j->i;

	if (j->i < j->len && j->s[j->i] == '-')
		j->i++;
	if (j->i < j->len && j->s[j->i] == '0')
		j->i++;
	else if (j->i < j->len && j->s[j->i] >= '1' && j->s[j->i] <= '9')
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	else
		goto bad;
	if (j->i < j->len && j->s[j->i] == '.')
	{
		j->i++;
		if (!(j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9'))
			goto bad;
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	}
	if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E'))
	{
		j->i++;
		if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (!(j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9'))
			goto bad;
		while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	}
	return j->i > start;
bad:
	j->err = "a malformed number";
	return false;
}

/* json_container checks an object or array (its text is kept raw). */
static bool
json_container(JsonCursor *j, int depth)
{
	char		close = j->s[j->i] == '{' ? '}' : ']';
	bool		object = close == '}';
	ValueKind	kind;

	if (depth >= JSON_MAX_DEPTH)
	{
		j->err = "nesting deeper than 64 levels";
		return false;
	}
	j->i++;
	json_ws(j);
	if (j->i < j->len && j->s[j->i] == close)
	{
		j->i++;
		return true;
	}
	for (;;)
	{
		if (object)
		{
			if (j->i >= j->len || j->s[j->i] != '"')
			{
				j->err = "an object key must be a string";
				return false;
			}
			if (!json_string(j, NULL))
				return false;
			json_ws(j);
			if (j->i >= j->len || j->s[j->i] != ':')
			{
				j->err = "a ':' expected after an object key";
				return false;
			}
			j->i++;
			json_ws(j);
		}
		if (!json_value(j, depth + 1, &kind, NULL))
			return false;
		json_ws(j);
		if (j->i < j->len && j->s[j->i] == ',')
		{
			j->i++;
			json_ws(j);
			continue;
		}
		if (j->i < j->len && j->s[j->i] == close)
		{
			j->i++;
			return true;
		}
		j->err = object ? "a ',' or '}' expected in an object" : "a ',' or ']' expected in an array";
		return false;
	}
}

static bool
json_literal(JsonCursor *j, const char *word)
{
	size_t		n = strlen(word);

	if (j->i + n <= j->len && memcmp(j->s + j->i, word, n) == 0)
	{
		j->i += n;
		return true;
	}
	j->err = "an unknown literal (JSON knows true, false and null)";
	return false;
}

/* json_value parses any value; a string is decoded into out, others are left raw. */
static bool
json_value(JsonCursor *j, int depth, ValueKind *kind, Buf *out)
{
	char		c;

	if (j->i >= j->len)
	{
		j->err = "a value expected";
		return false;
	}
	c = j->s[j->i];
	if (c == '"')
	{
		*kind = VAL_STRING;
		return json_string(j, out);
	}
	if (c == '{' || c == '[')
	{
		*kind = VAL_NESTED;
		return json_container(j, depth);
	}
	if (c == 't' || c == 'f')
	{
		*kind = VAL_BOOL;
		return json_literal(j, c == 't' ? "true" : "false");
	}
	if (c == 'n')
	{
		*kind = VAL_NULL;
		return json_literal(j, "null");
	}
	*kind = VAL_NUMBER;
	return json_number(j);
}

/*
 * jsonl_next reads one line holding one JSON object; every member becomes a
 * field with its key. Blank lines are skipped.
 */
static int
jsonl_next(Reader *r, Record *rec)
{
	JsonCursor	j;
	int			c;
	long		bad;

	for (;;)
	{
		record_reset(rec, r->line);
		while ((c = rd_get(r)) != -1 && c != '\n')
			raw_add(r, rec, c);
		if (c == -1 && r->ioerr)
			return REC_IOERR;
		if (rec->raw.len > 0 && rec->raw.data[rec->raw.len - 1] == '\r')
			rec->raw.data[--rec->raw.len] = '\0';
		memset(&j, 0, sizeof(j));
		j.s = rec->raw.data;
		j.len = rec->raw.len;
		json_ws(&j);
		if (j.i < j.len || rec->raw_truncated)
			break;
		if (c == -1)
			return REC_EOF;
	}
	if (rec->raw_truncated)
		return record_bad(rec, "54000", "the line is longer than the limit of %lld bytes (--max-field-size) plus 64 kB",
						  r->max_field);
	bad = utf8_invalid_at(rec->raw.data, rec->raw.len);
	if (bad >= 0)
		return record_bad(rec, "22021", "the line is not valid UTF-8: byte 0x%02x at offset %ld",
						  (unsigned char) rec->raw.data[bad], bad);
	if (j.s[j.i] != '{')
		return record_bad(rec, "22P02", "the line is not a JSON object (each line must hold one object: {\"subject\": ...})");
	j.i++;
	json_ws(&j);
	if (j.i < j.len && j.s[j.i] == '}')
		j.i++;
	else
		for (;;)
		{
			Field	   *f;

			if (j.i >= j.len || j.s[j.i] != '"')
			{
				j.err = "an object key must be a string";
				break;
			}
			f = record_add_field(rec);
			f->key = rec->text.len;
			if (!json_string(&j, &rec->text))
				break;
			f->keylen = rec->text.len - f->key;
			for (int k = 0; k < rec->nfields - 1; k++)
				if (rec->fields[k].keylen == f->keylen &&
					memcmp(rec->text.data + rec->fields[k].key, rec->text.data + f->key, f->keylen) == 0)
					return record_bad(rec, "22P02", "the key \"%.*s\" appears twice in the object",
									  (int) f->keylen, rec->text.data + f->key);
			json_ws(&j);
			if (j.i >= j.len || j.s[j.i] != ':')
			{
				j.err = "a ':' expected after an object key";
				break;
			}
			j.i++;
			json_ws(&j);
			f->rawoff = j.i;
			f->off = rec->text.len;
			if (!json_value(&j, 1, &f->kind, &rec->text))
				break;
			f->rawlen = j.i - f->rawoff;
			if (f->kind != VAL_STRING)
				buf_append(&rec->text, j.s + f->rawoff, f->rawlen);
			f->len = rec->text.len - f->off;
			if ((long long) f->len > r->max_field)
				return record_bad(rec, "54000", "the value of \"%.*s\" is %zu bytes long, more than the limit of %lld bytes (--max-field-size)",
								  (int) f->keylen, rec->text.data + f->key, f->len, r->max_field);
			json_ws(&j);
			if (j.i < j.len && j.s[j.i] == ',')
			{
				j.i++;
				json_ws(&j);
				continue;
			}
			if (j.i < j.len && j.s[j.i] == '}')
			{
				j.i++;
				break;
			}
			j.err = "a ',' or '}' expected in the object";
			break;
		}
	if (j.err)
		return record_bad(rec, "22P02", "invalid JSON at character %zu: %s", j.i + 1, j.err);
	json_ws(&j);
	if (j.i < j.len)
		return record_bad(rec, "22P02", "invalid JSON at character %zu: text after the end of the object", j.i + 1);
	return REC_OK;
}

/* reader_next: the next record, REC_EOF at the end, REC_BAD for a malformed one. */
int
reader_next(Reader *r, Record *rec)
{
	int			rc = r->fmt == FMT_CSV ? csv_next(r, rec) : jsonl_next(r, rec);

	if (rc == REC_IOERR)
		snprintf(rec->error, sizeof(rec->error), "read error: %s", strerror(r->ioerr));
	return rc;
}
