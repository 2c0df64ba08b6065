/*
 * Tests for lib/hash.h: hash_wide() tells apart texts that differ in any
 * bit, in its lanes or its tail, and spreads its low bits (the key of the
 * gzip cache and of hash tables).
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "lib/hash.h"

Test(hash, wide_tells_every_one_bit_change_apart)
{
	char text[301];
	uint64_t h;

	for (size_t i = 0; i < sizeof(text) - 1; i++)
		text[i] = (char)('a' + i % 26);
	text[300] = '\0';
	h = hash_wide(text, 300);
	cr_assert_eq(h, hash_wide(text, 300));
	cr_assert_neq(h, hash_wide(text, 299));
	for (size_t i = 0; i < 300; i++) {
		for (int bit = 0; bit < 8; bit++) {
			text[i] ^= (char)(1 << bit);
			cr_assert_neq(hash_wide(text, 300), h, "byte %zu, bit %d", i, bit);
			text[i] ^= (char)(1 << bit);
		}
	}
}

Test(hash, wide_spreads_its_low_bits)
{
	static unsigned char seen[1024];
	char text[64];
	size_t used = 0;

	/* 512 texts that differ only in a counter far from their end: most land in a slot of their own. */
	for (int i = 0; i < 512; i++) {
		int n = snprintf(text, sizeof(text), "{\"id\":\"deal-%06d\",\"title\":\"Same\"}", i);

		used += !seen[hash_wide(text, (size_t)n) & 1023]++;
	}
	cr_assert_gt(used, 350, "%zu of 512 in slots of their own", used);
}
