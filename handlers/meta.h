/*
 * meta: the routes about the API and the process rather than the records —
 * the index, the stats, liveness and readiness.
 */
#ifndef ATTACHE_META_H
#define ATTACHE_META_H

#include "handlers/handler.h"
#include "handlers/response.h"
#include "models/store.h"

/* GET /api/v1: dataset (licence and vocabularies), counts, links to every collection. */
void handle_index(const struct request *req, struct response *res);

/*
 * GET /api/v1/stats: counts by status, sector, country, basis and date; deal
 * totals per currency and basis.
 */
void handle_stats(const struct request *req, struct response *res);

/* GET /healthz: 200 while the process serves. */
void handle_healthz(const struct request *req, struct response *res);

/* GET /readyz: 200 with the data generation once loaded; 503 while draining. */
void handle_readyz(const struct request *req, struct response *res);

/* A link of the index: "links": {rel: href}. */
struct meta_link {
	const char *rel;
	const char *href;
};

/*
 * The index's links after "self" and one per collection ("deals":
 * "/api/v1/deals"), in order: n of them, static.
 */
const struct meta_link *meta_index_links(size_t *n);

/* Render the bodies site_build() keeps as blobs. */
void meta_render_index(const struct store *s, struct strbuf *out);
void meta_render_stats(const struct store *s, struct strbuf *out);

#endif
