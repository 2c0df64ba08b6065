/*
 * negotiate: reading Accept and Accept-Encoding (see negotiate.h).
 */
#include "server/negotiate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/text.h"

/* Splits a comma list of "token;param;q=x" items; calls fn(token, len, q) for each. */
static bool each_weighted(const char *list, bool (*fn)(const char *tok, size_t len, double q,
						      void *arg), void *arg)
{
	const char *item;
	size_t ilen;

	while (text_next_token(&list, &item, &ilen)) {
		const char *end = item + ilen, *semi = memchr(item, ';', ilen);
		size_t len = (size_t)((semi ? semi : end) - item);
		double q = 1.0;

		while (len && (item[len - 1] == ' ' || item[len - 1] == '\t'))
			len--;
		for (const char *s = semi; s && s < end; s = memchr(s + 1, ';', (size_t)(end - s - 1))) {
			const char *v = s + 1;

			while (*v == ' ')
				v++;
			if ((v[0] == 'q' || v[0] == 'Q') && v[1] == '=')
				q = strtod(v + 2, NULL);
		}
		if (len && fn(item, len, q, arg))
			return true;
	}
	return false;
}

struct media_want {
	const char *type;   /* the route's: "application/json" */
};

static bool media_matches(const char *tok, size_t len, double q, void *arg)
{
	const char *type = ((const struct media_want *)arg)->type;
	const char *slash = strchr(type, '/');
	size_t major = (size_t)(slash - type), tlen = strcspn(type, "; \t");

	if (q <= 0)
		return false;
	if ((len == 3 && !memcmp(tok, "*/*", 3)) || !strcmp(type, "*/*"))
		return true;
	if (len == major + 2 && !strncasecmp(tok, type, major + 1) && tok[major + 1] == '*')
		return true;
	return len == tlen && !strncasecmp(tok, type, len);
}

bool negotiate_accepts(const char *accept, const char *media)
{
	struct media_want w = { media };

	if (!accept || !*accept)
		return true;
	return each_weighted(accept, media_matches, &w);
}

struct gzip_pref {
	int gzip;   /* -1 unsaid, 0 refused, 1 accepted */
	int star;
};

static bool coding_seen(const char *tok, size_t len, double q, void *arg)
{
	struct gzip_pref *g = arg;

	if ((len == 4 && !strncasecmp(tok, "gzip", 4)) || (len == 6 && !strncasecmp(tok, "x-gzip", 6)))
		g->gzip = q > 0;
	else if (len == 1 && tok[0] == '*')
		g->star = q > 0;
	return false;
}

bool negotiate_gzip(const char *accept_encoding)
{
	struct gzip_pref g = { -1, -1 };

	if (!accept_encoding)
		return false;
	each_weighted(accept_encoding, coding_seen, &g);
	return g.gzip == 1 || (g.gzip == -1 && g.star == 1);
}
