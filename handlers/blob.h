/*
 * blob: bytes rendered once and served many times, with their gzip and ETag.
 *
 * The index, the stats, the OpenAPI document and the dashboard's files are
 * blobs: built when the data is loaded, then every request copies (or merely
 * points to) the same bytes. Also the hashing and compression the server uses
 * for bodies built per request.
 *
 * Ownership: a blob owns its bytes; free with blob_release().
 */
#ifndef ATTACHE_BLOB_H
#define ATTACHE_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/hash.h"
#include "lib/strbuf.h"

/* A quoted 16-hex-digit tag plus "-gz" and the NUL: "\"0123456789abcdef-gz\"". */
#define ETAG_SIZE 24

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

/* Writes the quoted ETag for tag into out (ETAG_SIZE bytes), with "-gz" when gzipped. */
void etag_format(char *out, uint64_t tag, bool gzipped);

/* zlib levels: bodies compressed once at load take the best; per request, the fastest. */
#define GZIP_LEVEL_ONCE 9
#define GZIP_LEVEL_PER_REQUEST 1

/*
 * gzips len bytes at data into out (appended) at level (1-9). Returns 0, or
 * -1 when zlib fails, leaving out as it was.
 */
int gzip_compress(const char *data, size_t len, int level, struct strbuf *out);

#endif
