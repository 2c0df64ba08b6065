/*
 * Tests for lib/radix.c: a stable sort by 64-bit keys, and string keys.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "lib/radix.h"

#define S(x) x, sizeof(x) - 1

static int cmp_key(const void *pa, const void *pb)
{
	const struct radix_item *x = pa, *y = pb;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

Test(radix, sorts_by_key_and_keeps_equal_keys_in_order)
{
	enum { N = 5000 };
	struct radix_item *v = calloc(N, sizeof(*v)), *want = calloc(N, sizeof(*v));
	struct radix_item *tmp = calloc(N, sizeof(*v));
	uint64_t x = 88172645463325252ULL;

	cr_assert(v && want && tmp);
	for (uint32_t i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Few distinct keys in some bytes, all bytes used, many repeats. */
		v[i] = (struct radix_item){ .key = i % 3 ? x : x % 40, .value = i };
		if (i % 5 == 0)
			v[i].key = v[i / 2].key;
	}
	memcpy(want, v, N * sizeof(*v));
	/* Values ascend in input order, so by (key, value) is the stable order. */
	qsort(want, N, sizeof(*want), cmp_key);
	radix_sort(v, tmp, N);
	for (uint32_t i = 0; i < N; i++) {
		cr_assert_eq(v[i].key, want[i].key, "item %u", i);
		cr_assert_eq(v[i].value, want[i].value, "item %u", i);
	}
	free(v);
	free(want);
	free(tmp);
}

Test(radix, sorts_nothing_one_item_and_keys_that_share_every_byte)
{
	struct radix_item v[3] = { { 7, 2 }, { 7, 0 }, { 7, 1 } }, tmp[3];

	radix_sort(v, tmp, 0);
	radix_sort(v, tmp, 1);
	radix_sort(v, tmp, 3);
	cr_assert_eq(v[0].value, 2);
	cr_assert_eq(v[1].value, 0);
	cr_assert_eq(v[2].value, 1);
}

Test(radix, sorts_signed_and_top_bit_keys)
{
	struct radix_item v[4] = { { UINT64_MAX, 0 }, { 0, 1 }, { 1ULL << 63, 2 }, { 255, 3 } }, tmp[4];

	radix_sort(v, tmp, 4);
	cr_assert_eq(v[0].value, 1);
	cr_assert_eq(v[1].value, 3);
	cr_assert_eq(v[2].value, 2);
	cr_assert_eq(v[3].value, 0);
}

Test(radix, keys_text_8_bytes_at_a_time_zero_past_the_end)
{
	cr_assert_eq(radix_key(S("abcdefghij"), 0, 0), 0x6162636465666768ULL);
	cr_assert_eq(radix_key(S("abcdefghij"), 8, 0), 0x696a000000000000ULL);
	cr_assert_eq(radix_key(S("ab"), 0, 0), 0x6162000000000000ULL);
	cr_assert_eq(radix_key(S("ab"), 8, 0), 0);
	cr_assert_eq(radix_key(S("AbC"), 0, 1), radix_key(S("abc"), 0, 0));
	cr_assert_neq(radix_key(S("AbC"), 0, 0), radix_key(S("abc"), 0, 0));
	/* Bytes above 0x7f sort after ASCII: the key is unsigned. */
	cr_assert_gt(radix_key(S("\xc4\x83"), 0, 1), radix_key(S("z"), 0, 1));
	/* "ab" before "ab!" before "ac": shorter first, then by byte. */
	cr_assert_lt(radix_key(S("ab"), 0, 0), radix_key(S("ab!"), 0, 0));
	cr_assert_lt(radix_key(S("ab!"), 0, 0), radix_key(S("ac"), 0, 0));
}
