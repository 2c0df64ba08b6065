/*
 * hash: 64-bit FNV-1a, the one hash attache uses for keys, digests and ETags.
 *
 * Not for security: ETags and the key table only need a hash that spreads
 * ordinary text well, and FNV-1a does, one byte at a time, with no state.
 */
#ifndef ATTACHE_HASH_H
#define ATTACHE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SEED 14695981039346656037ULL

/* Hashes len bytes at data, continuing from seed (HASH_SEED to start). */
static inline uint64_t hash_bytes(uint64_t seed, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = seed;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#endif
