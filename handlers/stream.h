/*
 * stream: a response body produced a piece at a time, for bodies too large
 * to build in memory (a whole collection as CSV or NDJSON).
 *
 * A handler describes such a body as a struct body_stream: a producer that
 * fills the buffer it is given, and its state. The server pulls from it as
 * the connection drains (server/http.c adapts it to libmicrohttpd), so at
 * any time only one buffer's worth of the body exists. The state may borrow
 * the request's serving data: the server holds the request's snapshot until
 * it frees the stream.
 *
 * Ownership: whoever holds a body_stream frees it with body_stream_free(),
 * once, whether or not it was read to the end.
 */
#ifndef ATTACHE_STREAM_H
#define ATTACHE_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

struct body_stream {
	/*
	 * Writes the next bytes of the body into buf, at most max (max > 0), and
	 * returns how many; 0 means the body is complete (and only that).
	 */
	size_t (*next)(void *state, char *buf, size_t max);
	void (*free)(void *state);   /* frees state; may be NULL */
	void *state;
};

/* Whether s holds a stream. */
static inline bool body_stream_present(const struct body_stream *s)
{
	return s->next != NULL;
}

/* Frees s's state and leaves s empty. */
void body_stream_free(struct body_stream *s);

/*
 * Takes inner (left empty) and makes *out the gzip of its bytes, compressed
 * at level as they are pulled. Returns 0, or -1 when zlib cannot start, leaving
 * inner as it was.
 */
int body_stream_gzip(struct body_stream *inner, int level, struct body_stream *out);

/* Reads s to its end, appending to out (for tests and small bodies), and frees it. */
void body_stream_drain(struct body_stream *s, struct strbuf *out);

#endif
