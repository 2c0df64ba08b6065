/*
 * csv: RFC 4180 cells with formula neutralization (see csv.h).
 */
#include "lib/csv.h"

#include <inttypes.h>
#include <string.h>

void csvw_init(struct csvw *w, struct strbuf *sb)
{
	w->sb = sb;
	w->cells = 0;
	w->row_start = sb->len;
}

static void begin_cell(struct csvw *w)
{
	if (w->cells++)
		strbuf_addch(w->sb, ',');
}

/* The characters that make a spreadsheet read a cell as a formula (OWASP). */
static bool formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void csvw_text(struct csvw *w, const char *s, size_t len)
{
	const bool prefix = len && formula_start(s[0]);
	bool quote = false;

	begin_cell(w);
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == '"' || s[i] == ',' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		if (prefix)
			strbuf_addch(w->sb, '\'');
		strbuf_add(w->sb, s, len);
		return;
	}
	strbuf_addch(w->sb, '"');
	if (prefix)
		strbuf_addch(w->sb, '\'');
	for (const char *p = s, *end = s + len; p < end;) {
		const char *q = memchr(p, '"', (size_t)(end - p));

		if (!q) {
			strbuf_add(w->sb, p, (size_t)(end - p));
			break;
		}
		strbuf_add(w->sb, p, (size_t)(q - p) + 1);
		strbuf_addch(w->sb, '"');
		p = q + 1;
	}
	strbuf_addch(w->sb, '"');
}

void csvw_int(struct csvw *w, int64_t v)
{
	begin_cell(w);
	strbuf_addf(w->sb, "%" PRId64, v);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool csv_is_json_number(const char *s, size_t len)
{
	size_t i = 0, start;

	if (i < len && s[i] == '-')
		i++;
	if (i == len || !is_digit(s[i]))
		return false;
	if (s[i] == '0')
		i++;
	else
		while (i < len && is_digit(s[i]))
			i++;
	if (i < len && s[i] == '.') {
		start = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == start)
			return false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		start = i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == start)
			return false;
	}
	return i == len;
}

void csvw_number(struct csvw *w, const char *s, size_t len)
{
	if (!csv_is_json_number(s, len)) {
		csvw_text(w, s, len);
		return;
	}
	begin_cell(w);
	strbuf_add(w->sb, s, len);
}

void csvw_empty(struct csvw *w)
{
	begin_cell(w);
}

void csvw_end_row(struct csvw *w)
{
	if (w->cells == 1 && w->sb->len == w->row_start)
		strbuf_add(w->sb, "\"\"", 2);
	strbuf_add(w->sb, "\r\n", 2);
	w->cells = 0;
	w->row_start = w->sb->len;
}
