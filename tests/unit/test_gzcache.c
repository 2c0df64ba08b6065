/*
 * Tests for server/gzcache.c: bounded, keyed by the ETag, checked against the
 * plain bytes, copies out.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "server/gzcache.h"

Test(gzcache, returns_what_was_put_for_the_same_key_and_bytes_only)
{
	struct gzcache *c = gzcache_new(1 << 20);
	struct strbuf out = STRBUF_INIT;

	cr_assert_not(gzcache_get(c, 42, "plain", 5, &out));
	gzcache_put(c, 42, "plain", 5, "abc", 3);
	cr_assert(gzcache_get(c, 42, "plain", 5, &out));
	cr_assert_eq(out.len, 3);
	cr_assert(memcmp(out.buf, "abc", 3) == 0);
	strbuf_reset(&out);
	cr_assert_not(gzcache_get(c, 42, "other", 5, &out), "same key, other bytes: a collision, not a hit");
	cr_assert_not(gzcache_get(c, 42, "plain!", 6, &out));
	cr_assert_not(gzcache_get(c, 42 + 1024, "plain", 5, &out), "same slot, other key: a miss");
	gzcache_put(c, 42 + 1024, "plain", 5, "xyz", 3);
	cr_assert_not(gzcache_get(c, 42, "plain", 5, &out), "replaced in its slot");
	cr_assert(gzcache_get(c, 42 + 1024, "plain", 5, &out));
	strbuf_release(&out);
	gzcache_free(c);
}

Test(gzcache, keeps_within_its_budget_and_refuses_huge_bodies)
{
	struct gzcache *c = gzcache_new(20);
	struct strbuf out = STRBUF_INIT;
	static char big[GZCACHE_MAX_ENTRY + 1];

	gzcache_put(c, 1, "1234", 4, "123456", 6);
	gzcache_put(c, 2, "1234", 4, "1234567", 7);
	cr_assert(gzcache_get(c, 1, "1234", 4, &out));
	cr_assert_not(gzcache_get(c, 2, "1234", 4, &out), "over the budget: not kept");
	gzcache_put(c, 1, "1234", 4, "1234567890123456", 16);
	strbuf_reset(&out);
	cr_assert(gzcache_get(c, 1, "1234", 4, &out), "replacing frees the old bytes' share");
	cr_assert_eq(out.len, 16);
	gzcache_free(c);
	c = gzcache_new(1 << 30);
	gzcache_put(c, 3, big, sizeof(big), "x", 1);
	cr_assert_not(gzcache_get(c, 3, big, sizeof(big), &out));
	strbuf_release(&out);
	gzcache_free(c);
}
