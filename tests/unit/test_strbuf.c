/*
 * Tests for lib/strbuf.c and lib/arena.c, the two allocators of bytes.
 */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <stdlib.h>

#include <criterion/criterion.h>

#include "lib/arena.h"
#include "lib/strbuf.h"

Test(strbuf, is_an_empty_string_before_any_write)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_str_eq(sb.buf, "");
	cr_assert_eq(sb.len, 0);
	strbuf_release(&sb);
}

Test(strbuf, grows_and_stays_terminated)
{
	struct strbuf sb = STRBUF_INIT;
	char *out;
	size_t len;

	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	cr_assert_eq(sb.len, strlen(sb.buf));
	strbuf_setlen(&sb, 4);
	cr_assert_str_eq(sb.buf, "0,1,");
	strbuf_add(&sb, "ab\0c", 4);
	cr_assert_eq(sb.len, 8);
	out = strbuf_detach(&sb, &len);
	cr_assert_eq(len, 8);
	cr_assert(memcmp(out, "0,1,ab\0c", 9) == 0);
	cr_assert_eq(sb.len, 0);
	free(out);
}

Test(strbuf, formats_long_text_in_one_call)
{
	struct strbuf sb = STRBUF_INIT;
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_addf(&sb, "[%s]", big);
	cr_assert_eq(sb.len, sizeof(big) + 1);
	strbuf_release(&sb);
}

Test(arena, hands_out_aligned_memory_and_big_blocks)
{
	struct arena a = ARENA_INIT;
	char *small = arena_alloc(&a, 3);
	char *big = arena_alloc(&a, 1 << 20);
	char *after = arena_alloc(&a, 8);

	cr_assert_eq((uintptr_t)small % _Alignof(max_align_t), 0);
	cr_assert_eq((uintptr_t)after % _Alignof(max_align_t), 0);
	memset(big, 1, 1 << 20);
	cr_assert_str_eq(arena_strdup(&a, "kept"), "kept");
	cr_assert_str_eq(arena_memdup0(&a, "abcdef", 3), "abc");
	cr_assert_geq(a.used, (size_t)(1 << 20));
	arena_release(&a);
	cr_assert_eq(a.used, 0);
}

Test(arena, packs_strings_and_keeps_other_memory_aligned)
{
	struct arena a = ARENA_INIT;
	char *s1 = arena_memdup0(&a, "KR", 2);
	char *s2 = arena_memdup0(&a, "RO", 2);
	char *p = arena_alloc(&a, 8);
	char *s3;

	cr_assert_eq(s2, s1 + 3, "strings follow each other, NUL and all");
	cr_assert_eq((uintptr_t)p % _Alignof(max_align_t), 0);
	/* A million small strings: they fill blocks that grow, and all stay readable. */
	for (int i = 0; i < 1000000; i++)
		s3 = arena_memdup0(&a, "abcdefghijk", (size_t)(i % 12));
	cr_assert_str_eq(s3, "abc", "the last one, 999999 % 12 bytes");
	cr_assert_str_eq(s1, "KR");
	cr_assert_str_eq(s2, "RO");
	cr_assert_lt(a.used, (size_t)7000000, "about 6.5 bytes a string, not 16: %zu", a.used);
	arena_release(&a);
}

Test(strbuf, add_uint_writes_decimal)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_uint(&sb, 0);
	strbuf_addch(&sb, ' ');
	strbuf_add_uint(&sb, 1000);
	strbuf_addch(&sb, ' ');
	strbuf_add_uint(&sb, UINT64_MAX);
	cr_assert_str_eq(sb.buf, "0 1000 18446744073709551615");
	strbuf_release(&sb);
}
