/*
 * gzip: deflate with a gzip wrapper, in one shot or streamed (see gzip.h).
 */
#include "lib/gzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "lib/mem.h"

int gzip_compress(const char *data, size_t len, int level, struct strbuf *out)
{
	z_stream z;
	size_t start = out->len;
	int rc;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip wrapper, not zlib's. */
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	strbuf_grow(out, deflateBound(&z, (uLong)len));
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->buf + start;
	z.avail_out = (uInt)(out->alloc - start - 1);
	rc = deflate(&z, Z_FINISH);
	if (rc != Z_STREAM_END) {
		deflateEnd(&z);
		strbuf_setlen(out, start);
		return -1;
	}
	strbuf_setlen(out, start + z.total_out);
	deflateEnd(&z);
	return 0;
}

struct gzip_stream {
	z_stream z;
	bool failed;
};

struct gzip_stream *gzip_stream_new(int level)
{
	struct gzip_stream *g = xcalloc(1, sizeof(*g));

	if (deflateInit2(&g->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(g);
		return NULL;
	}
	return g;
}

size_t gzip_stream_deflate(struct gzip_stream *g, const char **in, size_t *in_len, char *out,
			   size_t max, bool finish, bool *done)
{
	size_t room;
	int rc;

	if (g->failed || *done)
		return 0;
	/* zlib counts in uInt: hand it at most that much at a time. */
	room = max < UINT32_MAX ? max : UINT32_MAX;
	g->z.next_in = (Bytef *)(uintptr_t)*in;
	g->z.avail_in = (uInt)(*in_len < UINT32_MAX ? *in_len : UINT32_MAX);
	g->z.next_out = (Bytef *)out;
	g->z.avail_out = (uInt)room;
	rc = deflate(&g->z, finish && g->z.avail_in == *in_len ? Z_FINISH : Z_NO_FLUSH);
	*in_len -= (size_t)((const char *)g->z.next_in - *in);
	*in = (const char *)g->z.next_in;
	if (rc == Z_STREAM_END) {
		*done = true;
	} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
		g->failed = true;
		*done = true;
		return 0;
	}
	return room - g->z.avail_out;
}

void gzip_stream_free(struct gzip_stream *g)
{
	if (!g)
		return;
	deflateEnd(&g->z);
	free(g);
}
