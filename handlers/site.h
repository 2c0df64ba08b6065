/*
 * site: one loaded dataset with everything rendered from it in advance.
 *
 * A site owns a store and the bodies that do not depend on a query: the API
 * index, the stats, the OpenAPI document, and the first page of each
 * collection as it is asked for most (no parameters). These are blobs, with
 * their gzip and ETag made once, so the hot path copies bytes. It also holds
 * each collection's CSV columns (handlers/columns.h), derived once. Immutable
 * once built; the server swaps whole sites on reload.
 *
 * Ownership: site_build() takes the store; site_free() frees both.
 */
#ifndef ATTACHE_SITE_H
#define ATTACHE_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "handlers/blob.h"
#include "handlers/columns.h"
#include "handlers/route.h"
#include "models/store.h"

struct site_options {
	size_t gzip_min;                /* compress blobs at least this long; 0: never */
	const struct route *routes;     /* the route table, for the OpenAPI document */
	size_t nroutes;
	const char *schema;             /* data/schema.json, for the OpenAPI document */
	size_t schema_len;
};

/* A collection's unfiltered first page, ready to send. */
struct site_list {
	struct blob body;
	char *link;                     /* its Link header */
	uint32_t total;
};

struct site {
	struct store *store;
	struct blob index;
	struct blob stats;
	struct blob openapi;
	struct site_list lists[STORE_NCOLLECTIONS];
	struct site_list changes;       /* the changes feed's */
	struct columns *columns[STORE_NCOLLECTIONS];
	struct columns *changes_columns; /* the changes feed's CSV columns */
};

/* Builds a site over store (taking it). Never fails. Free with site_free(). */
struct site *site_build(struct store *store, const struct site_options *opt);

/*
 * The same for a store that differs from prev's only in its records (a
 * write's generation): the OpenAPI document, which does not depend on the
 * records, is copied from prev rather than rendered and compressed again.
 */
struct site *site_build_next(const struct site *prev, struct store *store,
			     const struct site_options *opt);

void site_free(struct site *s);

/* The collection a route's resource names (the changes feed's too), or NULL. */
const struct collection *site_collection(const struct site *s, const struct resource *res);

/* The unfiltered first page of that collection, or NULL. */
const struct site_list *site_list(const struct site *s, const struct resource *res);

/* The CSV columns of that collection, or NULL. */
const struct columns *site_columns(const struct site *s, const struct resource *res);

#endif
