/*
 * gzip: compressing with zlib in the gzip format (RFC 1952) that HTTP's
 * Content-Encoding: gzip names: a buffer in one call, or a stream a piece at
 * a time.
 *
 * Ownership: gzip_stream_new() returns a new stream; free it with
 * gzip_stream_free().
 */
#ifndef ATTACHE_GZIP_H
#define ATTACHE_GZIP_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

/*
 * gzips len bytes at data into out (appended) at level (1-9). Returns 0, or
 * -1 when zlib fails, leaving out as it was.
 */
int gzip_compress(const char *data, size_t len, int level, struct strbuf *out);

/*
 * A compression in progress: zlib's state, about 256 KiB at the default
 * window and memory levels whatever the level.
 */
struct gzip_stream;

/* Starts a gzip stream at level (1-9). Returns NULL when zlib cannot. */
struct gzip_stream *gzip_stream_new(int level);

/*
 * Compresses from *in (*in_len bytes; both are advanced past what was taken)
 * into out, at most max bytes, and returns how many it wrote. With finish,
 * *in is the last of the input and the stream is closed once it is all out:
 * then *done turns true. Returns 0 when it needs more input (without finish)
 * or when zlib fails, which also sets *done.
 */
size_t gzip_stream_deflate(struct gzip_stream *g, const char **in, size_t *in_len, char *out,
			   size_t max, bool finish, bool *done);

void gzip_stream_free(struct gzip_stream *g);

#endif
