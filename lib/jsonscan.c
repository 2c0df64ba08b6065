/*
 * jsonscan: in-place steps through JSON text (see jsonscan.h).
 */
#include "lib/jsonscan.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *jsonscan_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Reads the four hex digits at p (p + 4 <= end); -1 when they are not. */
static long hex4(const char *p)
{
	char digits[5];

	memcpy(digits, p, 4);
	digits[4] = '\0';
	if (strspn(digits, "0123456789abcdefABCDEF") != 4)
		return -1;
	return strtol(digits, NULL, 16);
}

static void add_utf8(struct strbuf *out, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	strbuf_add(out, b, n);
}

/* At the 'u' of \uXXXX: appends the character (a pair when it is one); returns after it. */
static const char *unicode_escape(const char *p, const char *end, struct strbuf *out)
{
	long hi, lo;

	if (end - p < 5 || (hi = hex4(p + 1)) < 0)
		return NULL;
	p += 5;
	if (hi >= 0xD800 && hi <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
	    (lo = hex4(p + 2)) >= 0xDC00 && lo <= 0xDFFF) {
		add_utf8(out, (uint32_t)(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)));
		return p + 6;
	}
	add_utf8(out, hi >= 0xD800 && hi <= 0xDFFF ? 0xFFFD : (uint32_t)hi);
	return p;
}

const char *jsonscan_string(const char *p, const char *end, struct strbuf *out)
{
	if (p >= end || *p != '"')
		return NULL;
	p++;
	while (p < end) {
		/* Runs between escapes are copied whole: most strings have none. */
		const char *quote = memchr(p, '"', (size_t)(end - p));
		const char *esc = quote ? memchr(p, '\\', (size_t)(quote - p)) : NULL;

		if (!quote)
			return NULL;
		if (!esc) {
			strbuf_add(out, p, (size_t)(quote - p));
			return quote + 1;
		}
		strbuf_add(out, p, (size_t)(esc - p));
		p = esc + 1;
		if (p == end)
			return NULL;
		switch (*p) {
		case '"': case '\\': case '/':
			strbuf_addch(out, *p);
			break;
		case 'b': strbuf_addch(out, '\b'); break;
		case 'f': strbuf_addch(out, '\f'); break;
		case 'n': strbuf_addch(out, '\n'); break;
		case 'r': strbuf_addch(out, '\r'); break;
		case 't': strbuf_addch(out, '\t'); break;
		case 'u':
			p = unicode_escape(p, end, out);
			if (!p)
				return NULL;
			continue;
		default:
			return NULL;
		}
		p++;
	}
	return NULL;
}

static bool atom_byte(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '+' ||
	       c == '.' || c == 'E';
}

const char *jsonscan_atom(const char *p, const char *end)
{
	const char *start = p;

	while (p < end && atom_byte(*p))
		p++;
	return p > start ? p : NULL;
}

/* At a '"': returns the byte after the closing quote, escapes skipped. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

const char *jsonscan_skip(const char *p, const char *end)
{
	size_t depth = 0;

	p = jsonscan_ws(p, end);
	do {
		if (p >= end)
			return NULL;
		switch (*p) {
		case '"':
			p = skip_string(p, end);
			if (!p)
				return NULL;
			break;
		case '{': case '[':
			depth++;
			p++;
			break;
		case '}': case ']':
			if (!depth)
				return NULL;
			depth--;
			p++;
			break;
		case ',': case ':': case ' ': case '\t': case '\n': case '\r':
			if (!depth)
				return NULL;
			p++;
			break;
		default:
			p = jsonscan_atom(p, end);
			if (!p)
				return NULL;
		}
	} while (depth);
	return p;
}

const char *jsonscan_plain(const char *p, const char *end, const char **s, size_t *len)
{
	const char *quote;

	if (p >= end || *p != '"')
		return NULL;
	quote = memchr(p + 1, '"', (size_t)(end - p - 1));
	if (!quote || memchr(p + 1, '\\', (size_t)(quote - p - 1)))
		return NULL;
	*s = p + 1;
	*len = (size_t)(quote - p - 1);
	return quote + 1;
}

const char *jsonscan_number(const char *p, const char *end, double *out)
{
	char *stop;

	if (p >= end || !((*p >= '0' && *p <= '9') || *p == '-'))
		return NULL;
	*out = strtod(p, &stop);
	return stop > p && stop <= end ? stop : NULL;
}

const char *jsonscan_word(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(end - p) < n || memcmp(p, word, n))
		return NULL;
	return p + n;
}

const char *jsonscan_next(const char *p, const char *end, char close, bool *more)
{
	p = jsonscan_ws(p, end);
	if (p < end && *p == ',') {
		*more = true;
		return jsonscan_ws(p + 1, end);
	}
	*more = false;
	return p < end && *p == close ? p + 1 : NULL;
}

const char *jsonscan_open(const char *p, const char *end, char open, bool *more)
{
	const char close = open == '{' ? '}' : ']';

	if (p >= end || *p != open)
		return NULL;
	p = jsonscan_ws(p + 1, end);
	*more = p < end && *p != close;
	return *more ? p : p < end ? p + 1 : NULL;
}

const char *jsonscan_key(const char *p, const char *end, const char **key, size_t *len)
{
	p = jsonscan_plain(p, end, key, len);
	if (!p)
		return NULL;
	p = jsonscan_ws(p, end);
	if (p >= end || *p != ':')
		return NULL;
	return jsonscan_ws(p + 1, end);
}
