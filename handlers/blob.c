/*
 * blob: pre-rendered bytes, hashing and gzip (see blob.h).
 */
#include "handlers/blob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "lib/mem.h"

void etag_format(char *out, uint64_t tag, bool gzipped)
{
	snprintf(out, ETAG_SIZE, "\"%016llx%s\"", (unsigned long long)tag, gzipped ? "-gz" : "");
}

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

void blob_init(struct blob *b, char *bytes, size_t len, const char *content_type,
	       size_t min_gzip)
{
	memset(b, 0, sizeof(*b));
	b->bytes = bytes;
	b->len = len;
	b->content_type = content_type;
	b->tag = hash_bytes(HASH_SEED, bytes, len);
	if (min_gzip && len >= min_gzip) {
		struct strbuf gz = STRBUF_INIT;

		if (gzip_compress(bytes, len, GZIP_LEVEL_ONCE, &gz) == 0 && gz.len < len)
			b->gz = strbuf_detach(&gz, &b->gz_len);
		strbuf_release(&gz);
	}
}

void blob_from_strbuf(struct blob *b, struct strbuf *sb, const char *content_type,
		      size_t min_gzip)
{
	size_t len;
	char *bytes = strbuf_detach(sb, &len);

	blob_init(b, bytes, len, content_type, min_gzip);
}

void blob_release(struct blob *b)
{
	free(b->bytes);
	free(b->gz);
	memset(b, 0, sizeof(*b));
}
