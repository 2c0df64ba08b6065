/*
 * gzip: one-shot deflate with a gzip wrapper (see gzip.h).
 */
#include "lib/gzip.h"

#include <stdint.h>
#include <string.h>

#include <zlib.h>

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
