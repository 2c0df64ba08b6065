/*
 * negotiate: what a client's Accept and Accept-Encoding headers allow.
 *
 * Pure functions over header values (NULL when the header is absent), so
 * they are tested without a socket; server/http.c asks them per request.
 * Lists are read as RFC 9110 writes them: comma-separated items, each a
 * token with ";name=value" parameters, of which only q is read (q=0 refuses).
 */
#ifndef ATTACHE_NEGOTIATE_H
#define ATTACHE_NEGOTIATE_H

#include <stdbool.h>

/*
 * Whether Accept allows the media type media, e.g. "application/json" or
 * "text/css; charset=utf-8" (its parameters are not compared; a route that
 * serves files of any type passes the full wildcard): absent or
 * empty allows anything; else an item with q > 0 must be the type itself
 * (ignoring case), the wildcard of its major type (a star after the slash),
 * or the full wildcard (a star on each side).
 */
bool negotiate_accepts(const char *accept, const char *media);

/*
 * Whether Accept-Encoding accepts gzip: "gzip" or "x-gzip" with q > 0, or,
 * when neither is named, "*" with q > 0. Absent: no.
 */
bool negotiate_gzip(const char *accept_encoding);

#endif
