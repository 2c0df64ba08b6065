/*
 * Tests for server/gzcache.c: bounded, keyed by the ETag, copies out.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "server/gzcache.h"

Test(gzcache, returns_what_was_put_under_the_same_key_only)
{
	struct gzcache *c = gzcache_new(1 << 20);
	struct strbuf out = STRBUF_INIT;

	cr_assert_not(gzcache_get(c, 42, &out));
	gzcache_put(c, 42, "abc", 3);
	cr_assert(gzcache_get(c, 42, &out));
	cr_assert_eq(out.len, 3);
	cr_assert(memcmp(out.buf, "abc", 3) == 0);
	cr_assert_not(gzcache_get(c, 42 + 1024, &out), "same slot, other key: a miss");
	gzcache_put(c, 42 + 1024, "xyz", 3);
	strbuf_reset(&out);
	cr_assert_not(gzcache_get(c, 42, &out), "replaced in its slot");
	cr_assert(gzcache_get(c, 42 + 1024, &out));
	strbuf_release(&out);
	gzcache_free(c);
}

Test(gzcache, keeps_within_its_budget_and_refuses_huge_bodies)
{
	struct gzcache *c = gzcache_new(10);
	struct strbuf out = STRBUF_INIT;
	static char big[GZCACHE_MAX_ENTRY + 1];

	gzcache_put(c, 1, "123456", 6);
	gzcache_put(c, 2, "123456", 6);
	cr_assert(gzcache_get(c, 1, &out));
	cr_assert_not(gzcache_get(c, 2, &out), "over the budget: not kept");
	gzcache_put(c, 1, "1234567890", 10);
	strbuf_reset(&out);
	cr_assert(gzcache_get(c, 1, &out), "replacing frees the old bytes' share");
	cr_assert_eq(out.len, 10);
	gzcache_free(c);
	c = gzcache_new(1 << 30);
	gzcache_put(c, 3, big, sizeof(big));
	cr_assert_not(gzcache_get(c, 3, &out));
	strbuf_release(&out);
	gzcache_free(c);
}
