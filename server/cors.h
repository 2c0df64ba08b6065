/*
 * cors: which cross-origin requests the configured allow-list lets through.
 *
 * Pure functions over header values and the list of origins from the
 * config (exact origins like "https://dash.example", or "*" alone), so they
 * are tested without a socket; server/http.c adds the Access-Control-*
 * headers they allow.
 */
#ifndef ATTACHE_CORS_H
#define ATTACHE_CORS_H

#include <stdbool.h>
#include <stddef.h>

#include "handlers/response.h"

/* The response headers a cross-origin script may read. */
#define CORS_EXPOSE RESPONSE_CORS_EXPOSE

/*
 * Whether origin is among the n origins allowed (compared exactly); *any
 * tells whether that is because "*" allows every origin.
 */
bool cors_origin_allowed(const char *const *allowed, size_t n, const char *origin, bool *any);

/*
 * Whether every header a preflight's Access-Control-Request-Headers names
 * (a comma list, any case; NULL or empty names none) is one a cross-origin
 * request may send here: Accept, Accept-Language, Cache-Control,
 * Content-Type, If-None-Match, X-Request-Id.
 */
bool cors_headers_allowed(const char *list);

/*
 * The same when writes are on, which also allow Authorization, If-Match and
 * Idempotency-Key (writes: true).
 */
bool cors_headers_allowed_for(const char *list, bool writes);


#endif
