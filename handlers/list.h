/*
 * list: the list answer shared by every collection and related list.
 *
 * {"data": [...], "meta": {"total", "limit", "offset"[, "facets"]},
 *  "links": {"self", "next", "prev"}}, plus X-Total-Count and an RFC 8288 Link
 * header (first, prev, next, last). Records are copied from the bytes the
 * store rendered at load time; fields=a,b copies only those members' bytes.
 */
#ifndef ATTACHE_LIST_H
#define ATTACHE_LIST_H

#include "handlers/handler.h"
#include "handlers/response.h"
#include "models/collection.h"
#include "models/query.h"
#include "models/store.h"

/*
 * Answers a list of the collection which for req. With related_field, adds the
 * filter related_field=related_value (/countries/RO/deals). A bad query gets
 * a 400 naming the parameter.
 */
void list_handle(const struct request *req, struct response *res, enum store_collection which,
		 const char *related_field, const char *related_value);

/*
 * Renders the list body of result r for query q on c into body, and the Link
 * header into link. path and params are the request's, for the links.
 */
void list_render(const struct collection *c, const struct query *q,
		 const struct query_result *r, const char *path,
		 const struct query_param *params, size_t nparams, struct strbuf *body,
		 struct strbuf *link);

/*
 * Answers one record of c by key (ignoring case where the resource does),
 * with fields=a,b as the only parameter allowed. 404 when absent.
 */
void list_handle_record(const struct request *req, struct response *res,
			const struct collection *c, const char *key);

#endif
