/*
 * cors: the origin allow-list and the request headers allowed (see cors.h).
 */
#include "server/cors.h"

#include <string.h>

#include "lib/text.h"

/* Headers a cross-origin request may send (preflight). */
static const char *const request_headers[] = {
	"accept", "accept-language", "cache-control", "content-type", "if-none-match",
	"x-request-id",
};

bool cors_origin_allowed(const char *const *allowed, size_t n, const char *origin, bool *any)
{
	*any = false;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(allowed[i], "*")) {
			*any = true;
			return true;
		}
		if (!strcmp(allowed[i], origin))
			return true;
	}
	return false;
}

/* And those a write may send too. */
static const char *const write_headers[] = { "authorization", "if-match", "idempotency-key" };

static bool in(const char *const *names, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_caseeq(name, len, names[i], strlen(names[i])))
			return true;
	return false;
}

static bool request_header_allowed(const char *name, size_t len, bool writes)
{
	return in(request_headers, sizeof(request_headers) / sizeof(request_headers[0]), name, len) ||
	       (writes && in(write_headers, sizeof(write_headers) / sizeof(write_headers[0]), name, len));
}

bool cors_headers_allowed_for(const char *list, bool writes)
{
	const char *tok;
	size_t len;

	while (text_next_token(&list, &tok, &len))
		if (len && !request_header_allowed(tok, len, writes))
			return false;
	return true;
}

bool cors_headers_allowed(const char *list)
{
	return cors_headers_allowed_for(list, false);
}
