/*-------------------------------------------------------------------------
 *
 * format.c
 *	  Output formatting: the display width of UTF-8 text on a terminal (East
 *	  Asian wide and fullwidth characters take two columns, combining marks
 *	  none), aligned tables, CSV and JSON renderings of a query result, and
 *	  numbers and durations for humans.
 *
 * IDENTIFICATION
 *	  tools/pgc/format.c
 *
 *-------------------------------------------------------------------------
 */
#include "pgc.h"

#include <stdlib.h>
#include <string.h>

/* type OIDs (pg_type.dat) whose values are printed as numbers, booleans, JSON */
#define BOOLOID		16
#define INT8OID		20
#define INT2OID		21
#define INT4OID		23
#define OIDOID		26
#define JSONOID		114
#define FLOAT4OID	700
#define FLOAT8OID	701
#define NUMERICOID	1700
#define JSONBOID	3802

static bool
is_numeric_type(Oid t)
{
	return t == INT8OID || t == INT2OID || t == INT4OID || t == OIDOID ||
		t == FLOAT4OID || t == FLOAT8OID || t == NUMERICOID;
}

/* decode one UTF-8 character at s (valid input assumed; a bad byte counts as one) */
static size_t
utf8_next(const unsigned char *s, size_t len, unsigned int *cp)
{
	size_t		n;

	if (s[0] < 0x80)
		n = 1, *cp = s[0];
	else if ((s[0] & 0xE0) == 0xC0)
		n = 2, *cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3, *cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4, *cp = s[0] & 0x07;
	else
	{
		*cp = 0xFFFD;
		return 1;
	}
	if (n > len)
	{
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t k = 1; k < n; k++)
		*cp = (*cp << 6) | (s[k] & 0x3F);
	return n;
}

/* char_width: columns a code point takes on a terminal (Unicode East Asian Width W/F). */
static int
char_width(unsigned int cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
		(cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x20D0 && cp <= 0x20FF))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) ||	/* Hangul Jamo */
		(cp >= 0x2E80 && cp <= 0x303E) ||	/* CJK radicals, punctuation */
		(cp >= 0x3041 && cp <= 0x33FF) ||	/* kana, CJK symbols */
		(cp >= 0x3400 && cp <= 0x4DBF) ||	/* CJK extension A */
		(cp >= 0x4E00 && cp <= 0x9FFF) ||	/* CJK unified ideographs */
		(cp >= 0xA000 && cp <= 0xA4CF) ||	/* Yi */
		(cp >= 0xAC00 && cp <= 0xD7A3) ||	/* Hangul syllables */
		(cp >= 0xF900 && cp <= 0xFAFF) ||	/* CJK compatibility ideographs */
		(cp >= 0xFE30 && cp <= 0xFE4F) ||	/* CJK compatibility forms */
		(cp >= 0xFF00 && cp <= 0xFF60) ||	/* fullwidth forms */
		(cp >= 0xFFE0 && cp <= 0xFFE6) ||
		(cp >= 0x1F300 && cp <= 0x1F64F) || /* pictographs, emoticons */
		(cp >= 0x1F900 && cp <= 0x1F9FF) ||
		(cp >= 0x20000 && cp <= 0x3FFFD))	/* CJK extensions B.. */
		return 2;
	return 1;
}

/* display_width: terminal columns of len bytes of UTF-8 text. */
int
display_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	int			w = 0;

	while (len > 0)
	{
		unsigned int cp;
		size_t		n = utf8_next(p, len, &cp);

		w += char_width(cp);
		p += n;
		len -= n;
	}
	return w;
}

/* csv_quote appends a CSV field, quoted when it holds a delimiter, quote or line break. */
void
csv_quote(Buf *out, const char *s, size_t len)
{
	bool		quote = memchr(s, ',', len) || memchr(s, '"', len) ||
		memchr(s, '\n', len) || memchr(s, '\r', len);

	if (!quote)
	{
		buf_append(out, s, len);
		return;
	}
	buf_putc(out, '"');
	for (size_t i = 0; i < len; i++)
	{
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

/* json_quote appends a JSON string. */
void
json_quote(Buf *out, const char *s, size_t len)
{
	buf_putc(out, '"');
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		switch (c)
		{
			case '"':
				buf_puts(out, "\\\"");
				break;
			case '\\':
				buf_puts(out, "\\\\");
				break;
			case '\n':
				buf_puts(out, "\\n");
				break;
			case '\r':
				buf_puts(out, "\\r");
				break;
			case '\t':
				buf_puts(out, "\\t");
				break;
			default:
				if (c < 0x20)
					buf_printf(out, "\\u%04x", c);
				else
					buf_putc(out, (char) c);
		}
	}
	buf_putc(out, '"');
}

/* cell_text: a value for a table cell, control characters shown as spaces. */
static void
cell_text(Buf *out, const char *s)
{
	buf_reset(out);
	for (; *s; s++)
		buf_putc(out, ((unsigned char) *s < 0x20) ? ' ' : *s);
}

/*
 * print_table prints a result as an aligned table: a header, a rule, one line
 * per row, numbers right-aligned, widths measured in terminal columns; then
 * "(N rows)".
 */
void
print_table(FILE *out, PGresult *res)
{
	int			nf = PQnfields(res),
				nt = PQntuples(res);
	int		   *width = xmalloc(sizeof(int) * (nf ? nf : 1));
	Buf			cell,
				line;

	buf_init(&cell);
	buf_init(&line);
	for (int c = 0; c < nf; c++)
		width[c] = display_width(PQfname(res, c), strlen(PQfname(res, c)));
	for (int r = 0; r < nt; r++)
		for (int c = 0; c < nf; c++)
		{
			int			w;

			cell_text(&cell, PQgetvalue(res, r, c));
			w = display_width(cell.data, cell.len);
			if (w > width[c])
				width[c] = w;
		}
	for (int r = -1; r < nt; r++)
	{
		buf_reset(&line);
		for (int c = 0; c < nf; c++)
		{
			int			pad;
			bool		right = r >= 0 && is_numeric_type(PQftype(res, c));

			if (r < 0)
				cell_text(&cell, PQfname(res, c));
			else
				cell_text(&cell, PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c));
			pad = width[c] - display_width(cell.data, cell.len);
			if (c > 0)
				buf_puts(&line, " | ");
			if (right)
				buf_printf(&line, "%*s", pad, "");
			buf_append(&line, cell.data, cell.len);
			if (!right && c < nf - 1)
				buf_printf(&line, "%*s", pad, "");
		}
		while (line.len > 0 && line.data[line.len - 1] == ' ')
			line.data[--line.len] = '\0';
		fprintf(out, "%s\n", line.data);
		if (r < 0)
		{
			buf_reset(&line);
			for (int c = 0; c < nf; c++)
			{
				if (c > 0)
					buf_puts(&line, "-+-");
				for (int k = 0; k < width[c]; k++)
					buf_putc(&line, '-');
			}
			fprintf(out, "%s\n", line.data);
		}
	}
	fprintf(out, "(%d %s)\n", nt, nt == 1 ? "row" : "rows");
	buf_free(&cell);
	buf_free(&line);
	free(width);
}

/* print_csv prints a header line and one CSV record per row (NULL: empty field). */
void
print_csv(FILE *out, PGresult *res)
{
	int			nf = PQnfields(res),
				nt = PQntuples(res);
	Buf			line;

	buf_init(&line);
	for (int r = -1; r < nt; r++)
	{
		buf_reset(&line);
		for (int c = 0; c < nf; c++)
		{
			const char *v = r < 0 ? PQfname(res, c) : PQgetvalue(res, r, c);

			if (c > 0)
				buf_putc(&line, ',');
			csv_quote(&line, v, strlen(v));
		}
		fprintf(out, "%s\n", line.data);
	}
	buf_free(&line);
}

/*
 * print_json prints a JSON array with one object per row, one row per line:
 * numbers and booleans as JSON numbers and booleans, json/jsonb as they are,
 * NULL as null, everything else as strings.
 */
void
print_json(FILE *out, PGresult *res)
{
	int			nf = PQnfields(res),
				nt = PQntuples(res);
	Buf			line;

	buf_init(&line);
	fputs("[", out);
	for (int r = 0; r < nt; r++)
	{
		buf_reset(&line);
		buf_putc(&line, '{');
		for (int c = 0; c < nf; c++)
		{
			const char *v = PQgetvalue(res, r, c);
			Oid			t = PQftype(res, c);

			if (c > 0)
				buf_puts(&line, ", ");
			json_quote(&line, PQfname(res, c), strlen(PQfname(res, c)));
			buf_puts(&line, ": ");
			if (PQgetisnull(res, r, c))
				buf_puts(&line, "null");
			else if (t == BOOLOID)
				buf_puts(&line, v[0] == 't' ? "true" : "false");
			else if ((is_numeric_type(t) && strspn(v, "-0123456789.e+") == strlen(v)) ||
					 t == JSONOID || t == JSONBOID)
				buf_puts(&line, v);
			else
				json_quote(&line, v, strlen(v));
		}
		buf_putc(&line, '}');
		fprintf(out, "%s\n%s", r == 0 ? "" : ",", line.data);
	}
	fputs(nt ? "\n]\n" : "]\n", out);
	buf_free(&line);
}

/* format_count: 1234567 -> "1,234,567" */
void
format_count(char *dst, size_t n, long long v)
{
	char		digits[32];
	char		tmp[48];
	int			len,
				k = 0;
	bool		neg = v < 0;

	snprintf(digits, sizeof(digits), "%lld", neg ? -v : v);
	len = (int) strlen(digits);
	if (neg)
		tmp[k++] = '-';
	for (int i = 0; i < len; i++)
	{
		if (i > 0 && (len - i) % 3 == 0)
			tmp[k++] = ',';
		tmp[k++] = digits[i];
	}
	tmp[k] = '\0';
	snprintf(dst, n, "%s", tmp);
}

/* format_duration: seconds as "42 s", "3:07" or "1:02:03" */
void
format_duration(char *dst, size_t n, double seconds)
{
	long		s = (long) (seconds + 0.5);

	if (s < 60)
		snprintf(dst, n, "%ld s", s);
	else if (s < 3600)
		snprintf(dst, n, "%ld:%02ld", s / 60, s % 60);
	else
		snprintf(dst, n, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
}
