/*
 * blob: pre-rendered bytes with their gzip and tag (see blob.h).
 */
#include "handlers/blob.h"

#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"

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

void blob_copy(struct blob *dst, const struct blob *src)
{
	*dst = *src;
	dst->bytes = xmemdup0(src->bytes, src->len);
	dst->gz = src->gz ? xmemdup0(src->gz, src->gz_len) : NULL;
}
