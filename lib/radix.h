/*
 * radix: sorting 32-bit values by 64-bit keys in linear time.
 *
 * For sorts of many items whose order a key decides, where qsort() would
 * call a comparator n log n times: a least-significant-byte radix sort, a
 * counting pass and then one scatter per key byte that differs between
 * items (a byte every key shares costs nothing). Stable: items with equal
 * keys keep their order. Allocates nothing; the caller gives the scratch.
 */
#ifndef ATTACHE_RADIX_H
#define ATTACHE_RADIX_H

#include <stddef.h>
#include <stdint.h>

struct radix_item {
	uint64_t key;
	uint32_t value;
};

/*
 * Sorts the n items at v by key, ascending and stably; tmp is scratch for n
 * items, its contents undefined afterwards.
 */
void radix_sort(struct radix_item *v, struct radix_item *tmp, size_t n);

/*
 * The key of the bytes [s, s + len) from byte 'from' on: the next 8 bytes,
 * big-endian, zero past the end, each lowered (ASCII A-Z) when fold. So two
 * strings without NUL bytes whose keys differ order as the keys do, byte by
 * byte (memcmp, shorter first), or ignoring ASCII case when fold.
 */
uint64_t radix_key(const char *s, size_t len, size_t from, int fold);

#endif
