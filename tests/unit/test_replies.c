/*
 * Tests for server/replies.c: a table per thread, keyed by the bytes'
 * identity and every other header field, emptied when the generation
 * changes, bounded, and everything dropped once at the end.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "server/replies.h"

static int dropped;

static void drop(void *thing)
{
	dropped++;
	free(thing);
}

static void *thing(void)
{
	return malloc(1);
}

static const char body[] = "{\"id\":\"a\"}";
static const char heads[] = "Content-Type\0application/json\0ETag\0\"1\"";

static struct reply_key key_of(uint64_t generation, const char *bytes, size_t len, const char *h,
			       size_t hlen)
{
	return (struct reply_key){ generation, bytes, len, h, hlen };
}

Test(replies, finds_what_this_thread_put_under_the_same_key_only)
{
	struct replies *rs = replies_new(drop);
	struct reply_key k = key_of(1, body, sizeof(body) - 1, heads, sizeof(heads));
	struct reply_key other;
	char copy[sizeof(body)], other_heads[sizeof(heads)];
	void *t = thing();

	dropped = 0;
	cr_assert_null(replies_find(rs, &k));
	cr_assert(replies_put(rs, &k, t));
	cr_assert_eq(replies_find(rs, &k), t);
	/* The heads are compared by value: a copy of them is the same key. */
	memcpy(other_heads, heads, sizeof(heads));
	other = key_of(1, body, sizeof(body) - 1, other_heads, sizeof(heads));
	cr_assert_eq(replies_find(rs, &other), t);
	other_heads[sizeof(heads) - 2] = '2';
	cr_assert_null(replies_find(rs, &other), "another ETag: another answer");
	other = key_of(1, body, sizeof(body) - 1, heads, sizeof(heads) - 6);
	cr_assert_null(replies_find(rs, &other), "a field fewer");
	/* The bytes by identity: the same bytes elsewhere are another body. */
	memcpy(copy, body, sizeof(body));
	other = key_of(1, copy, sizeof(body) - 1, heads, sizeof(heads));
	cr_assert_null(replies_find(rs, &other));
	other = key_of(1, body, sizeof(body) - 2, heads, sizeof(heads));
	cr_assert_null(replies_find(rs, &other));
	cr_assert_eq(dropped, 0);
	replies_free(rs);
	cr_assert_eq(dropped, 1);
}

Test(replies, another_generation_empties_the_thread_table)
{
	struct replies *rs = replies_new(drop);
	struct reply_key k1 = key_of(1, body, sizeof(body) - 1, heads, sizeof(heads));
	struct reply_key k2 = key_of(2, body, sizeof(body) - 1, heads, sizeof(heads));

	dropped = 0;
	replies_put(rs, &k1, thing());
	cr_assert_null(replies_find(rs, &k2), "a reload or a write: never the old answer");
	cr_assert_eq(dropped, 1, "what the old generation kept is let go at once");
	cr_assert_null(replies_find(rs, &k1));
	replies_put(rs, &k2, thing());
	cr_assert_not_null(replies_find(rs, &k2));
	replies_free(rs);
	cr_assert_eq(dropped, 2);
}

Test(replies, a_new_answer_for_a_slot_replaces_the_old_one)
{
	struct replies *rs = replies_new(drop);
	struct reply_key k1 = key_of(1, body, sizeof(body) - 1, heads, sizeof(heads));
	struct reply_key k2 = key_of(1, body, sizeof(body) - 1, heads, 13);
	void *t2 = thing();

	dropped = 0;
	replies_put(rs, &k1, thing());
	replies_put(rs, &k2, t2);
	cr_assert_eq(dropped, 1);
	cr_assert_null(replies_find(rs, &k1));
	cr_assert_eq(replies_find(rs, &k2), t2);
	replies_free(rs);
	cr_assert_eq(dropped, 2);
}

Test(replies, bodies_over_the_limit_are_left_to_the_caller)
{
	struct replies *rs = replies_new(drop);
	static char big[REPLIES_MAX_BODY + 1];
	struct reply_key k = key_of(1, big, sizeof(big), heads, sizeof(heads));
	void *t = thing();

	dropped = 0;
	cr_assert_not(replies_put(rs, &k, t));
	cr_assert_null(replies_find(rs, &k));
	k.len = REPLIES_MAX_BODY;
	cr_assert(replies_put(rs, &k, t));
	replies_free(rs);
	cr_assert_eq(dropped, 1);
}

Test(replies, a_thread_keeps_bodies_up_to_its_budget)
{
	struct replies *rs = replies_new(drop);
	static char big[64 * 16 + REPLIES_MAX_BODY];
	size_t kept = 0, refused = 0;

	dropped = 0;
	/* 64 bodies of the largest size kept, at 64 places: twice the slots. */
	for (size_t i = 0; i < 64; i++) {
		struct reply_key k = key_of(1, big + i * 16, REPLIES_MAX_BODY, heads, sizeof(heads));
		void *t = thing();

		if (replies_put(rs, &k, t)) {
			kept++;
		} else {
			refused++;
			free(t);
		}
		cr_assert_leq((kept - (size_t)dropped) * REPLIES_MAX_BODY, REPLIES_THREAD_BYTES,
			      "after %zu puts", i + 1);
	}
	cr_assert_gt(refused, 0);
	replies_free(rs);
	cr_assert_eq((size_t)dropped, kept);
}

/* How many of keys[0..n) this thread still keeps. */
static size_t kept_of(struct replies *rs, const struct reply_key *keys, size_t n)
{
	size_t alive = 0;

	for (size_t j = 0; j < n; j++)
		alive += replies_find(rs, &keys[j]) != NULL;
	return alive;
}

Test(replies, past_the_budget_room_says_no_first_and_a_put_evicts_nothing)
{
	struct replies *rs = replies_new(drop);
	static char big[400 + 64 * 16 + REPLIES_MAX_BODY];
	static struct reply_key keys[400 + 64];
	size_t n, alive;
	int before;
	void *t;

	dropped = 0;
	/* Bodies of a byte at 400 places: every slot holds one (but by a chance of 1 in 10^4). */
	for (n = 0; n < 400; n++) {
		keys[n] = key_of(1, big + n, 1, heads, sizeof(heads));
		cr_assert(replies_put(rs, &keys[n], thing()));
	}
	/* The largest bodies, each taking a slot's small one, until the budget is spent. */
	for (; n < 400 + 64; n++) {
		keys[n] = key_of(1, big + 400 + (n - 400) * 16, REPLIES_MAX_BODY, heads, sizeof(heads));
		if (!replies_room(rs, &keys[n]))
			break;
		cr_assert(replies_put(rs, &keys[n], thing()), "room said yes, put %zu refused", n);
	}
	cr_assert_lt(n, 400 + 64, "the budget never ran out");
	/* Refused with a small body in its slot: the put is refused too and that body stays. */
	alive = kept_of(rs, keys, n);
	before = dropped;
	t = thing();
	cr_assert_not(replies_put(rs, &keys[n], t));
	free(t);
	cr_assert_eq(dropped, before, "a refused put dropped what its slot kept");
	cr_assert_eq(kept_of(rs, keys, n), alive);
	/* Another generation's body of the largest size has room: the old ones go with theirs. */
	cr_assert(replies_room(rs, &(struct reply_key){ 2, big, REPLIES_MAX_BODY, heads, sizeof(heads) }));
	replies_free(rs);
}

struct other_thread {
	struct replies *rs;
	const struct reply_key *k;
	void *found;
};

static void *find_and_put(void *arg)
{
	struct other_thread *o = arg;

	o->found = replies_find(o->rs, o->k);
	replies_put(o->rs, o->k, thing());
	return NULL;
}

Test(replies, each_thread_has_its_own_table_and_free_drops_them_all)
{
	struct replies *rs = replies_new(drop);
	struct reply_key k = key_of(1, body, sizeof(body) - 1, heads, sizeof(heads));
	struct other_thread o = { rs, &k, NULL };
	pthread_t th;
	void *t = thing();

	dropped = 0;
	replies_put(rs, &k, t);
	pthread_create(&th, NULL, find_and_put, &o);
	pthread_join(th, NULL);
	cr_assert_null(o.found, "another thread does not see this thread's answers");
	cr_assert_eq(replies_find(rs, &k), t, "nor replace them");
	replies_free(rs);
	cr_assert_eq(dropped, 2, "the exited thread's table is freed too");
}

Test(replies, a_later_registry_does_not_see_an_earlier_ones_table)
{
	struct replies *a = replies_new(drop), *b;
	struct reply_key k = key_of(1, body, sizeof(body) - 1, heads, sizeof(heads));

	dropped = 0;
	replies_put(a, &k, thing());
	replies_free(a);
	b = replies_new(drop);
	cr_assert_null(replies_find(b, &k));
	replies_put(b, &k, thing());
	replies_free(b);
	cr_assert_eq(dropped, 2);
}
