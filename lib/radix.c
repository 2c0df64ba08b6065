/*
 * radix: sorting 32-bit values by 64-bit keys in linear time (see radix.h).
 */
#include "lib/radix.h"

#include <string.h>

#include "lib/text.h"

void radix_sort(struct radix_item *v, struct radix_item *tmp, size_t n)
{
	size_t count[8][256];
	struct radix_item *src = v, *dst = tmp;

	if (n < 2)
		return;
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++)
		for (unsigned b = 0; b < 8; b++)
			count[b][(v[i].key >> (8 * b)) & 0xff]++;
	for (unsigned b = 0; b < 8; b++) {
		size_t *c = count[b], sum = 0;
		struct radix_item *swap;

		/* Every key has this byte: the pass would move nothing. */
		if (c[(v[0].key >> (8 * b)) & 0xff] == n)
			continue;
		for (unsigned d = 0; d < 256; d++) {
			size_t k = c[d];

			c[d] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			dst[c[(src[i].key >> (8 * b)) & 0xff]++] = src[i];
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

uint64_t radix_key(const char *s, size_t len, size_t from, int fold)
{
	uint64_t key = 0;

	for (size_t i = from; i < from + 8; i++) {
		unsigned char ch = i < len ? (unsigned char)(fold ? ascii_lower(s[i]) : s[i]) : 0;

		key = key << 8 | ch;
	}
	return key;
}
