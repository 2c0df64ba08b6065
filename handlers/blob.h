/*
 * blob: bytes rendered once and served many times, with their gzip and ETag.
 *
 * The index, the stats, the OpenAPI document and the dashboard's files are
 * blobs: built when the data is loaded, then every request copies (or merely
 * points to) the same bytes.
 *
 * Ownership: a blob owns its bytes; free with blob_release().
 */
#ifndef ATTACHE_BLOB_H
#define ATTACHE_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/etag.h"
#include "lib/gzip.h"
#include "lib/hash.h"
#include "lib/strbuf.h"

/* Bodies smaller than this are not worth compressing by default. */
#define GZIP_MIN_BYTES 1024

struct blob {
	char *bytes;
	size_t len;
	char *gz;                 /* NULL when compression would not gain */
	size_t gz_len;
	uint64_t tag;             /* hash of the bytes: the ETag */
	const char *content_type; /* static */
};

/*
 * Makes b from len bytes at bytes, taking ownership of them (they must have
 * come from malloc). Compresses when the bytes are at least min_gzip long and
 * shrink (min_gzip 0 disables compression).
 */
void blob_init(struct blob *b, char *bytes, size_t len, const char *content_type,
	       size_t min_gzip);

/* Makes b from a strbuf, taking its bytes. */
void blob_from_strbuf(struct blob *b, struct strbuf *sb, const char *content_type,
		      size_t min_gzip);

void blob_release(struct blob *b);

/* Makes dst a copy of src (its bytes, gzip and tag), without compressing again. */
void blob_copy(struct blob *dst, const struct blob *src);

/* zlib levels: bodies compressed once at load take the best; per request, the fastest. */
#define GZIP_LEVEL_ONCE 9
#define GZIP_LEVEL_PER_REQUEST 1

#endif
