/*
 * Tests for server/snapshot.c: what a request holds survives a swap.
 */
#include <criterion/criterion.h>

#include "server/snapshot.h"
#include "tests/support/handler.h"
#include "tests/support/support.h"

static struct site *a_site(const char *path)
{
	struct site_options opt = { 0 };

	return site_build(support_load(path), &opt);
}

Test(snapshot, a_request_keeps_the_site_it_started_with)
{
	struct site *first = a_site(FIXTURES "query.json");
	struct snapshots *reg = snapshots_new(first, 100, 100);
	struct snapshot *held = snapshot_acquire(reg), *now;

	snapshots_publish_site(reg, a_site(FIXTURES "store/valid.json"), 200);
	now = snapshot_acquire(reg);
	cr_assert_eq(snapshot_serving(held)->site, first, "still the first site");
	cr_assert_eq(store_collection(snapshot_serving(held)->site->store, STORE_DEALS)->n, 6);
	cr_assert_eq(snapshot_serving(now)->generation, 2);
	cr_assert_eq(snapshot_serving(now)->loaded_at, 200);
	cr_assert_eq(store_collection(snapshot_serving(now)->site->store, STORE_DEALS)->n, 2);
	snapshot_release(held);    /* the last reference to the first site frees it (ASan checks) */
	snapshot_release(now);
	snapshots_free(reg);
}

Test(snapshot, a_failed_reload_keeps_the_site_and_reports_the_error)
{
	struct site *first = a_site(FIXTURES "query.json");
	struct snapshots *reg = snapshots_new(first, 100, 100);
	struct snapshot *s;

	snapshots_publish_failure(reg, "data.json: broken", 300);
	s = snapshot_acquire(reg);
	cr_assert_eq(snapshot_serving(s)->site, first);
	cr_assert_eq(snapshot_serving(s)->generation, 1);
	cr_assert_str_eq(snapshot_serving(s)->reload_error, "data.json: broken");
	cr_assert_eq(snapshot_serving(s)->reload_failed_at, 300);
	snapshot_release(s);

	snapshots_publish_site(reg, a_site(FIXTURES "query.json"), 400);
	s = snapshot_acquire(reg);
	cr_assert_null(snapshot_serving(s)->reload_error, "a good reload clears the error");
	cr_assert_eq(snapshot_serving(s)->generation, 2);
	snapshot_release(s);

	snapshots_publish_draining(reg);
	s = snapshot_acquire(reg);
	cr_assert(snapshot_serving(s)->draining);
	cr_assert_eq(snapshot_serving(s)->generation, 2);
	snapshot_release(s);
	snapshots_free(reg);
}
