/*
 * gzip: compressing a buffer in one call, with zlib, in the gzip format
 * (RFC 1952) that HTTP's Content-Encoding: gzip names.
 */
#ifndef ATTACHE_GZIP_H
#define ATTACHE_GZIP_H

#include <stddef.h>

#include "lib/strbuf.h"

/*
 * gzips len bytes at data into out (appended) at level (1-9). Returns 0, or
 * -1 when zlib fails, leaving out as it was.
 */
int gzip_compress(const char *data, size_t len, int level, struct strbuf *out);

#endif
