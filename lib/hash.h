/*
 * hash: 64-bit FNV-1a for keys and short texts, and a wider hash of the same
 * spirit for long ones (a data file's digest, a record's ETag).
 *
 * Not for security: ETags and the key table only need a hash that spreads
 * ordinary text well, and FNV-1a does, one byte at a time, with no state.
 * A byte at a time is a multiply a byte: half a second of CPU for a file of
 * a million records, and as much again for their renderings' ETags.
 */
#ifndef ATTACHE_HASH_H
#define ATTACHE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* MurmurHash3's finalizer: every bit of h moves every bit of the result. */
static inline uint64_t hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/*
 * Hashes len bytes at data, 32 at a time in four independent lanes of
 * eight bytes (xor, multiply, and a shift that carries the high bits
 * down), the rest as hash_bytes() does, all mixed by hash_mix(). Several
 * times faster than hash_bytes() on texts of hundreds of bytes or more;
 * its values are its own (equal bytes, equal hashes, within a process).
 */
static inline uint64_t hash_wide(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t lane[4] = { HASH_SEED, HASH_SEED + 1, HASH_SEED + 2, HASH_SEED + 3 }, h;
	size_t i = 0;

	for (; len - i >= 32; i += 32) {
		for (int k = 0; k < 4; k++) {
			uint64_t w;

			memcpy(&w, p + i + 8 * k, sizeof(w));
			lane[k] = (lane[k] ^ w) * 0x9e3779b97f4a7c15ULL;
			lane[k] ^= lane[k] >> 29;
		}
	}
	h = hash_bytes(HASH_SEED ^ len, p + i, len - i);
	for (int k = 0; k < 4; k++)
		h = hash_mix(h ^ lane[k]) + (uint64_t)k;
	return hash_mix(h);
}

#endif
