/*
 * metrics: counters of what the server did, rendered for Prometheus.
 *
 * Updated lock-free (atomics) by every request thread, read by GET /metrics,
 * which renders the Prometheus text exposition format (version 0.0.4) with
 * HELP and TYPE lines: requests by route and status class, a latency
 * histogram, 304s, bytes out, open connections, records per collection,
 * the data generation and reload outcomes, and build info.
 *
 * Ownership: metrics_new() returns a new set; free with metrics_free().
 */
#ifndef ATTACHE_METRICS_H
#define ATTACHE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handlers/handler.h"
#include "handlers/response.h"
#include "server/conns.h"

/* The route index for requests that matched no route. */
#define METRICS_NO_ROUTE SIZE_MAX

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/* One finished request. route is an index into the route table or METRICS_NO_ROUTE. */
void metrics_request(struct metrics *m, size_t route, int status, uint64_t bytes,
		     uint64_t duration_us);

/* A connection opened (+1) or closed (-1). */
void metrics_connection(struct metrics *m, int delta);

/* A request refused by the framing guard or the body limit, before any route. */
void metrics_rejected(struct metrics *m);

/* n connections the watcher closed, for reason. */
void metrics_closed(struct metrics *m, enum conn_reason reason, unsigned n);

/* A reload's outcome, at unix time at. */
void metrics_reload(struct metrics *m, bool ok, int64_t at);

/* A group of writes: made durable (ok, n writes), or not (the sync failed). */
void metrics_write(struct metrics *m, bool ok, uint64_t n);

/* Renders every metric; serving gives the data's figures. */
void metrics_render(struct metrics *m, const struct serving *serving, struct strbuf *out);

/* GET /metrics. */
void handle_metrics(const struct request *req, struct response *res);

#endif
