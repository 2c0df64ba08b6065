/*
 * handler: calls handlers directly, with a request built as the server builds it.
 *
 * A struct call holds a site over a fixture, a serving snapshot of it, and
 * the request and response of one call: call_get() routes a target through
 * the real router and query parser, then calls the route's handler. No
 * socket, no libmicrohttpd.
 */
#ifndef ATTACHE_TEST_HANDLER_H
#define ATTACHE_TEST_HANDLER_H

#include <cjson/cJSON.h>

#include "handlers/response.h"
#include "handlers/site.h"
#include "server/router.h"

struct call {
	struct site *site;
	struct serving serving;
	struct webroot *web;
	struct request req;
	struct response res;
	struct strbuf scratch, qscratch;
	struct query_param pairs[ROUTER_MAX_QUERY];
	const char *if_none_match;
	const char *accept;           /* the Accept header of the next calls, or NULL */
	struct list_budget *budget;   /* set before call_get() to give requests a budget */
};

/* Builds a site over the data file at path (the shipped dataset when NULL). */
void call_init(struct call *c, const char *path);
void call_release(struct call *c);

/* GET target through the router and the route's handler; res holds the answer. */
void call_get(struct call *c, const char *target);

/* The body as JSON; free with cJSON_Delete(). */
cJSON *call_json(const struct call *c);

/* Asserts a problem of this status and returns its detail (static copy). */
const char *call_problem(const struct call *c, int status);

#endif
