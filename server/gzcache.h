/*
 * gzcache: gzipped bodies built per request, kept for the next asker.
 *
 * Bodies rendered at load are compressed once; a filtered list is assembled
 * per request, and compressing it costs more than assembling it (a benchmark
 * showed 9k req/s with gzip against 46k without). Its ETag names its bytes
 * exactly (dataset digest, path and query), so the ETag is the key: the next
 * request for the same list copies the compressed bytes instead.
 *
 * Direct-mapped and bounded: a key has one slot; a new body replaces the old
 * one there; bodies over GZCACHE_MAX_ENTRY are not kept, and puts stop once
 * the cache holds its byte budget. Striped locks; gets copy under the lock.
 *
 * Ownership: gzcache_new() returns a new cache; free with gzcache_free().
 */
#ifndef ATTACHE_GZCACHE_H
#define ATTACHE_GZCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/strbuf.h"

#define GZCACHE_MAX_ENTRY (256 * 1024)

struct gzcache;

/* A cache of at most budget bytes of compressed bodies; 0 keeps nothing. */
struct gzcache *gzcache_new(size_t budget);
void gzcache_free(struct gzcache *c);

/* Appends the compressed body of key to out and returns true, or returns false. */
bool gzcache_get(struct gzcache *c, uint64_t key, struct strbuf *out);

/* Keeps len bytes of compressed body under key (copied), if there is room. */
void gzcache_put(struct gzcache *c, uint64_t key, const char *gz, size_t len);

#endif
