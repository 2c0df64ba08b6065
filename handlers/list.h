/*
 * list: the handlers of every resource route, driven by the route row.
 *
 * handle_list answers a collection (/api/v1/deals), handle_record one record
 * by key (/api/v1/deals/{id}), handle_related the records that name one
 * record of another resource (/api/v1/countries/{code}/deals is
 * /api/v1/deals?countries=CODE). Which resource, and which parent, the
 * request's route says (handlers/route.h); a new resource is a table row.
 *
 * A list answers {"data": [...], "meta": {"total", "limit", "offset"[,
 * "facets"][, "search"]}, "links": {"self", "next", "prev"}}, plus X-Total-Count and an
 * RFC 8288 Link header (first, prev, next, last). Records are copied from
 * the bytes the store rendered at load time; fields=a,b copies only those
 * members' bytes.
 */
#ifndef ATTACHE_LIST_H
#define ATTACHE_LIST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "handlers/handler.h"
#include "handlers/response.h"
#include "models/collection.h"
#include "models/query.h"

/*
 * A query is expensive when it would examine more than this many records and
 * values (query_plan_cost()): at most budget->max_expensive run at once.
 */
#define LIST_EXPENSIVE_SCAN 10000

/*
 * What list queries may cost, shared by every request of a server: a query
 * that would examine more than max_scan records and values is refused (400),
 * and an expensive one that finds max_expensive others running is turned
 * away (503, Retry-After: 1) rather than delay the cheap ones.
 */
struct list_budget {
	uint64_t max_scan;
	unsigned max_expensive;
	atomic_uint running;          /* expensive queries running now */
};

/* GET a collection: the list grammar; a bad query gets a 400 naming the parameter. */
void handle_list(const struct request *req, struct response *res);

/*
 * GET one record by the path's key (ignoring case where the resource does),
 * with fields=a,b as the only parameter allowed. 404 when absent.
 */
void handle_record(const struct request *req, struct response *res);

/*
 * GET the list of the route's resource whose field holding keys of the
 * route's parent (deals' "countries" for a country) names the path's key: a
 * list with that filter added. 404 when the parent record does not exist.
 */
void handle_related(const struct request *req, struct response *res);

/*
 * Renders the list body of result r for query q on c into body, and the Link
 * header into link. path and params are the request's, for the links.
 */
void list_render(const struct collection *c, const struct query *q,
		 const struct query_result *r, const char *path,
		 const struct query_param *params, size_t nparams, struct strbuf *body,
		 struct strbuf *link);

#endif
