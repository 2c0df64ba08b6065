/*
 * handler: the contract between the HTTP server and the handlers.
 *
 * A handler takes a plain struct request and fills a plain struct response;
 * neither knows libmicrohttpd, so every handler runs in a unit test without a
 * socket. Handlers fill responses only through handlers/response.h, never by
 * setting header fields themselves.
 *
 * Ownership: everything a request points to is borrowed from the server and
 * valid for the whole call, and, for the served data, until the response has
 * been sent: a response may point into req->serving->site without copying.
 */
#ifndef ATTACHE_HANDLER_H
#define ATTACHE_HANDLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handlers/method.h"
#include "lib/strbuf.h"
#include "models/query.h"

#define REQUEST_MAX_PARAMS 4
/* The most query parameters a request has (the router refuses more). */
#define REQUEST_MAX_QUERY 64

struct list_budget;
struct metrics;
struct writes;
struct route;
struct site;
struct webroot;

/*
 * What a request is served from: the data (a site) and how the server stands.
 * Immutable: the server builds a new one to change anything, so a request sees
 * one consistent state from start to end.
 */
struct serving {
	const struct site *site;
	uint64_t generation;          /* 1 for the first load, +1 per successful reload */
	int64_t loaded_at;            /* when this generation was loaded, unix seconds */
	int64_t started_at;           /* when the process started, unix seconds */
	int64_t reload_failed_at;     /* the last failed reload, if it came after loaded_at; else 0 */
	const char *reload_error;     /* its message, or NULL */
	int64_t write_failed_at;      /* the last write that could not be made durable, if no write
				       * succeeded since; else 0 */
	const char *write_error;      /* its message, or NULL */
	bool draining;                /* shutting down: not ready for new work */
};

struct request {
	enum http_method method;
	const struct route *route;    /* the route matched: what the resource handlers answer */
	const char *target;           /* the request target as sent, for problem "instance" */
	const char *path;             /* decoded path */
	const char *params[REQUEST_MAX_PARAMS];   /* decoded path parameters, in pattern order */
	size_t nparams;
	const struct query_param *query;          /* decoded query pairs, in order */
	size_t nquery;
	const char *raw_query;        /* the query as sent, without '?'; "" when none */
	const char *if_none_match;    /* NULL when absent */
	const char *accept;           /* the Accept header; NULL when absent */
	const char *request_id;
	const struct serving *serving;
	const struct webroot *web;    /* the dashboard's files */
	struct metrics *metrics;      /* opaque here: read by the server's own /metrics route */
	struct list_budget *budget;   /* what list queries may cost (handlers/list.h); NULL: no limit */

	/* Writes (handlers/write.h): the writer, NULL when writes are off, and what a write sends. */
	struct writes *writes;
	const char *authorization;    /* the headers, NULL when absent */
	const char *content_type;
	const char *if_match;
	const char *idempotency_key;
	const char *body;             /* the request body; NULL when none was sent */
	size_t body_len;
};

struct response;

typedef void handler_fn(const struct request *req, struct response *res);

#endif
