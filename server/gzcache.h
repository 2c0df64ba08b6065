/*
 * gzcache: gzipped bodies built per request, kept for the next asker.
 *
 * Bodies rendered at load are compressed once; a filtered list is assembled
 * per request, and compressing it costs more than assembling it (a benchmark
 * showed 9k req/s with gzip against 46k without). The next request for the
 * same body copies the compressed bytes instead. The ETag is the key, but an
 * unkeyed 64-bit hash can be made to collide by a patient client, so a slot
 * also keeps the plain bytes and a hit must match them exactly.
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

#include "lib/strbuf.h"

#define GZCACHE_MAX_ENTRY (256 * 1024)

struct gzcache;

/* A cache of at most budget bytes of compressed bodies; 0 keeps nothing. */
struct gzcache *gzcache_new(size_t budget);
void gzcache_free(struct gzcache *c);

/*
 * When key holds the compression of exactly the plain_len bytes at plain,
 * appends it to out and returns true; else returns false.
 */
bool gzcache_get(struct gzcache *c, uint64_t key, const char *plain, size_t plain_len,
		 struct strbuf *out);

/* Keeps plain and its compression gz under key (both copied), if there is room. */
void gzcache_put(struct gzcache *c, uint64_t key, const char *plain, size_t plain_len,
		 const char *gz, size_t gz_len);

#endif
