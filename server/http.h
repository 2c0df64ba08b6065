/*
 * http: the libmicrohttpd adapter, and the only file that knows it.
 *
 * It runs the daemon (epoll, a pool of internal threads), turns each
 * connection's request into a plain struct request for the router and the
 * handlers, and their struct response back into an HTTP response: ETag and
 * 304, gzip, CORS, the request id, caching and strict framing. Every request
 * gets an answer (problem+json for errors), is counted, and is logged once.
 *
 * Ownership: http_start() returns a running server; http_stop() stops and
 * frees it. The options' pointers must outlive the server.
 */
#ifndef ATTACHE_HTTP_H
#define ATTACHE_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config/config.h"
#include "handlers/webroot.h"
#include "lib/strbuf.h"
#include "server/metrics.h"
#include "server/snapshot.h"

/* The bytes kept of gzipped bodies built per request (see gzcache.h). */
#define HTTP_GZCACHE_BYTES ((size_t)16 << 20)

/*
 * The size of libmicrohttpd's memory pool for each connection, from the
 * header limit. The pool holds the request head as it arrives, its parsed
 * header fields and the head of the answer, and libmicrohttpd zeroes all of
 * it before each request on a connection, so its size is paid per request.
 * It leaves room past max-header-size for the guard to see a head over the
 * limit whole and answer 414/431 in JSON; a head larger than the pool gets
 * libmicrohttpd's own refusal.
 */
size_t http_pool_size(const struct config *cfg);

/* The buffer libmicrohttpd keeps for a streamed body it cannot send chunked (HTTP/1.0). */
#define HTTP_STREAM_BLOCK ((size_t)32 << 10)

struct http_options {
	const struct config *cfg;
	struct snapshots *snapshots;
	struct metrics *metrics;
	const struct webroot *web;
	struct writes *writes;          /* the writer, or NULL when writes are off */
};

struct http;

/* Starts listening. Returns NULL with a message (e.g. the address in use) on failure. */
struct http *http_start(const struct http_options *opt, struct strbuf *err);

/* The port listened on (the one chosen when the config said 0). */
uint16_t http_port(const struct http *h);

/* Stops accepting connections; requests in flight and open connections go on. Once is enough. */
void http_quiesce(struct http *h);

/* Requests received and not yet answered and sent. */
unsigned http_in_flight(const struct http *h);

/*
 * Serves a connection the caller has accepted (or made: a socketpair in the
 * fuzzer) on socket fd, from peer addr; the server takes fd. Returns 0, or -1
 * when libmicrohttpd refuses it (then fd is closed).
 */
int http_add_connection(struct http *h, int fd, const struct sockaddr *addr, size_t addrlen);

/*
 * Stops accepting, closes every connection (each by the libmicrohttpd
 * thread that serves it, for up to a second), stops and frees the server.
 */
void http_stop(struct http *h);

#endif
