/*
 * router: the route table, and matching a request path against it.
 *
 * The table (router.c) reads like the API reference. Every route answers GET,
 * HEAD and OPTIONS; the router tells an unknown path (404) from a known path
 * asked with another method (405, with Allow), and a path that is not a
 * valid path at all (400: bad percent-encoding, an encoded NUL or '/').
 */
#ifndef ATTACHE_ROUTER_H
#define ATTACHE_ROUTER_H

#include <stddef.h>

#include "handlers/handler.h"
#include "handlers/response.h"
#include "handlers/route.h"
#include "lib/strbuf.h"

/* What every route allows. */
#define ROUTER_ALLOW RESPONSE_ALLOW

enum router_result { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_BAD_PATH };

struct route_match {
	const struct route *route;
	size_t index;                              /* in the table, for metrics */
	const char *params[REQUEST_MAX_PARAMS];    /* decoded, pointing into scratch */
	size_t nparams;
	const char *path;                          /* the whole decoded path, in scratch */
};

/*
 * Matches raw_path (as sent, percent-encoded, without the query). Decoded
 * segments are kept in scratch, which must outlive the match. On
 * ROUTER_BAD_PATH, *why says what is wrong with the path, as what it has
 * ("an encoded NUL (%00)", "more than 32 segments").
 */
enum router_result router_match(const char *raw_path, struct route_match *m,
				struct strbuf *scratch, const char **why);

/* Fills what the match m says of req: its route, decoded path and path parameters. */
void router_fill(const struct route_match *m, struct request *req);

/* The most query parameters a request may have. */
#define ROUTER_MAX_QUERY REQUEST_MAX_QUERY

/*
 * Splits a raw query ("a=1&b=x%20y") into decoded pairs, in order, into
 * pairs[ROUTER_MAX_QUERY]; the strings live in sb, which must outlive them.
 * '+' is a space; empty pairs are skipped; a key without '=' has value "".
 * Returns NULL, or what is wrong with the query.
 */
const char *router_parse_query(const char *raw, struct strbuf *sb, struct query_param *pairs,
			       size_t *n);

/* The table: *n routes. */
const struct route *router_routes(size_t *n);

#endif
