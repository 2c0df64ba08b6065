/*
 * response: what a handler answers, and the only ways to fill it.
 *
 * A response's body is either borrowed (pre-rendered bytes of the site, valid
 * while the request's serving snapshot is), owned (built for this request),
 * or streamed (produced as it is sent, handlers/stream.h).
 * Two kinds of helpers write it: JSON (response_json_*) and problems
 * (response_problem*, RFC 9457 application/problem+json). They also set the
 * headers that go with the body, so handlers never write headers themselves.
 *
 * Ownership: a response owns its strbufs and its stream; release with
 * response_release().
 */
#ifndef ATTACHE_RESPONSE_H
#define ATTACHE_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handlers/blob.h"
#include "handlers/handler.h"
#include "handlers/status.h"
#include "handlers/stream.h"
#include "lib/strbuf.h"

#define MEDIA_JSON "application/json; charset=utf-8"
#define MEDIA_PROBLEM "application/problem+json; charset=utf-8"
#define MEDIA_PROMETHEUS "text/plain; version=0.0.4; charset=utf-8"

/*
 * Header values the server adds to answers (server/http.c) and the OpenAPI
 * document declares (handlers/openapi.c), written once.
 */
#define RESPONSE_ALLOW "GET, HEAD, OPTIONS"        /* what every route allows */
#define RESPONSE_VARY "Accept, Accept-Encoding, Origin"
#define RESPONSE_CSP \
	"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; " \
	"frame-ancestors 'none'; form-action 'self'"  /* on HTML */
#define RESPONSE_CORS_EXPOSE "X-Total-Count, Link, ETag, X-Request-Id, Content-Disposition, Retry-After"
#define RESPONSE_CORS_MAX_AGE "600"               /* seconds a preflight is kept */

enum cache_policy {
	CACHE_PUBLIC,      /* data: cacheable for the configured max-age, revalidated by ETag */
	CACHE_NO_STORE,    /* errors, health and metrics: never stored */
};

struct response {
	int status;
	const char *content_type;
	const char *body;             /* borrowed, or owned.buf */
	size_t len;
	struct strbuf owned;
	const char *gz;               /* borrowed gzip of the body, when one was made in advance */
	size_t gz_len;
	char etag[ETAG_SIZE];         /* quoted strong ETag, or ""; on a 304, the variant matched */
	uint64_t tag;                 /* the ETag's value: it names the body's bytes */
	enum cache_policy cache;
	bool has_total;
	uint64_t total;               /* X-Total-Count */
	const char *link;             /* Link header (borrowed, or link_buf's), or NULL */
	struct strbuf link_buf;       /* the Link header when it was built for this answer */
	const char *allow;            /* Allow header, or NULL */
	struct body_stream stream;    /* a 200 produced as it is sent (body is NULL), or empty */
	struct strbuf attachment;     /* a download's file name (Content-Disposition), or empty */
	const char *retry_after;      /* Retry-After header, or NULL */
	struct strbuf location;       /* Location header (a 201), or empty */
	const char *www_authenticate; /* WWW-Authenticate header (a 401), or NULL */
	const char *accept_patch;     /* Accept-Patch header, or NULL */
	const char *writer;           /* the name of the token a write came with, for the access log */
};

void response_init(struct response *res);
void response_release(struct response *res);

/* 200 with pre-rendered bytes (borrowed), their gzip and their ETag. */
void response_blob(struct response *res, const struct blob *b);

/* 200 JSON with borrowed bytes and the given ETag (bare 64-bit tag). */
void response_json_borrowed(struct response *res, const char *json, size_t len, uint64_t tag);

/* 200 JSON; takes the bytes of body (left empty) and the given ETag. */
void response_json_owned(struct response *res, struct strbuf *body, uint64_t tag);

/* 200 of content_type; takes the bytes of body (left empty) and the given ETag. */
void response_media_owned(struct response *res, const char *content_type, struct strbuf *body,
			  uint64_t tag);

/* 200 of another media type; takes the bytes of body, tagged by their hash. */
void response_owned(struct response *res, struct strbuf *body, const char *content_type);

/* Marks a 200 as never to be stored by caches (health, readiness, metrics). */
void response_no_store(struct response *res);

/* A list: 200 JSON (the body taken) with X-Total-Count and the Link header (taken). */
void response_list(struct response *res, struct strbuf *body, uint64_t tag, uint64_t total,
		   struct strbuf *link);

/* A list in another media type than JSON: as response_list(), served as content_type. */
void response_list_as(struct response *res, const char *content_type, struct strbuf *body,
		      uint64_t tag, uint64_t total, struct strbuf *link);

/*
 * 200 of content_type whose body is produced as it is sent: takes s (left
 * empty); tag names the body, total is X-Total-Count.
 */
void response_stream(struct response *res, const char *content_type, struct body_stream *s,
		     uint64_t tag, uint64_t total);

/* Makes a 200 a download saved as filename (Content-Disposition: attachment). */
void response_attachment(struct response *res, const char *filename);

/* A list rendered in advance: the blob (borrowed), its total and Link header (copied). */
void response_list_blob(struct response *res, const struct blob *b, uint64_t total,
			const char *link);

/*
 * When the request's If-None-Match matches tag, makes res a 304 with that
 * ETag and returns true: the handler then returns without building a body.
 * The 304 keeps res's caching policy and drops X-Total-Count and Link.
 * (The server turns any other matching 200 into a 304 as it sends it; this is
 * for handlers that would otherwise do work to build the body.)
 */
bool response_not_modified(const struct request *req, struct response *res, uint64_t tag);

/* An "about:blank" problem: the title is the status's reason phrase. */
void response_problem(const struct request *req, struct response *res, int status,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A 503 problem that asks the client to try again in retry_after seconds (a number, as text). */
void response_unavailable(const struct request *req, struct response *res, const char *retry_after,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A 400 for a refused list query: names the parameter and what is allowed. */
void response_query_problem(const struct request *req, struct response *res,
			    const struct query_error *err);

/*
 * What a write answers: status (201 or 200) with the record's bytes (copied)
 * and its ETag, which every status of a write carries, 2xx or not; 201 also
 * with Location. Writes are never cached.
 */
void response_written(struct response *res, int status, const char *json, size_t len,
		      uint64_t tag, const char *location);

struct check;

/* A 422 whose errors member lists every violation c collected: {"pointer", "detail"}. */
void response_invalid(const struct request *req, struct response *res, const struct check *c,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* 405 with Allow. */
void response_method_not_allowed(const struct request *req, struct response *res,
				 const char *allow);

#endif
