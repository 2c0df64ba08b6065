/*
 * route: the shape of one entry of the server's route table.
 *
 * The table itself is in server/router.c, where it reads like the API
 * reference; the type lives here so that handlers which describe the API
 * (the OpenAPI document) can take the table as plain data.
 */
#ifndef ATTACHE_ROUTE_H
#define ATTACHE_ROUTE_H

#include <stdbool.h>

#include "handlers/handler.h"
#include "models/resource.h"

enum route_kind {
	ROUTE_OTHER,
	ROUTE_LIST,      /* a collection: the list grammar applies */
	ROUTE_RECORD,    /* one record by key */
	ROUTE_RELATED,   /* a list related to one record (of parent) */
};

struct route {
	const char *pattern;            /* "/api/v1/deals/{id}": {name} matches one segment */
	handler_fn *get;                /* answers GET and HEAD */
	const char *media;              /* what a 200 is, for Accept (406); lists and records
					 * also answer CSV and NDJSON (route_negotiates) */
	enum route_kind kind;
	const struct resource *resource;  /* the records answered, for lists and records */
	const struct resource *parent;    /* ROUTE_RELATED: whose record the path names; resource
					   * has the field that holds its keys (field.ref) */
	const char *operation;          /* the OpenAPI operationId */
	const char *summary;            /* one line, for the OpenAPI document */
};

/*
 * Whether the route's handler chooses the media type itself: lists and
 * records are JSON, CSV or NDJSON (handlers/format.h), and answer 406 on
 * their own when Accept allows none of them.
 */
static inline bool route_negotiates(const struct route *r)
{
	return r->kind != ROUTE_OTHER;
}

#endif
