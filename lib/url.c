/*
 * url: percent-decoding and percent-encoding (see url.h).
 */
#include "lib/url.h"

#include <string.h>

#include "lib/text.h"

const char *percent_decode(const char *s, size_t len, bool plus_is_space, struct strbuf *out)
{
	size_t start = out->len;

	strbuf_grow(out, len);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		size_t run = 0;

		/* A run of bytes that stand for themselves, copied at once. */
		while (i + run < len && s[i + run] != '%' && !(s[i + run] == '+' && plus_is_space))
			run++;
		if (run) {
			strbuf_add(out, s + i, run);
			i += run - 1;
			continue;
		}
		if (c == '%') {
			int hi = len - i >= 3 ? ascii_hex_value(s[i + 1]) : -1;
			int lo = len - i >= 3 ? ascii_hex_value(s[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return "a '%' that is not followed by two hex digits";
			c = (char)(hi * 16 + lo);
			if (!c)
				return "an encoded NUL (%00)";
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		strbuf_addch(out, c);
	}
	if (utf8_invalid_at(out->buf + start, out->len - start) != out->len - start)
		return "bytes that are not valid UTF-8";
	return NULL;
}

/* The bytes a query component keeps as they are: RFC 3986 unreserved, and
 * the sub-delims the list grammar uses unencoded. */
static bool query_keeps(unsigned char c)
{
	switch (c) {
	case '-': case '.': case '_': case '~': case ',': case ':': case '!': case '$':
	case '\'': case '(': case ')': case '*': case '@': case '/':
		return true;
	default:
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}
}

void url_encode_query(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t run = 0;

		/* A run of bytes kept as they are, copied at once. */
		while (query_keeps(p[run]))
			run++;
		strbuf_add(sb, p, run);
		p += run;
		if (*p) {
			const char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };

			strbuf_add(sb, e, 3);
			p++;
		}
	}
}
