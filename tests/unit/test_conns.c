/*
 * Tests for server/conns.c: the watcher's rule, on plain numbers.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "server/conns.h"

#define MS 1000000ull
#define S (1000 * MS)

static const struct conns_limits limits = { .header_timeout_ms = 10000, .min_body_rate = 1000 };

struct verdict_case {
	enum conn_phase phase;
	uint64_t since, body, fin, now;
	int want;
	char why[64];
};

ParameterizedTestParameters(conns, closes_what_holds_a_slot_for_nothing)
{
	static struct verdict_case cases[] = {
		{ CONN_HEAD, 100 * S, 0, 0, 105 * S, 0, "a head may take its time" },
		{ CONN_HEAD, 100 * S, 0, 0, 110 * S, 1 + CONN_HEAD_TIMEOUT, "but not past the timeout" },
		{ CONN_HEAD, 100 * S, 0, 101 * S, 101 * S + 50 * MS, 0, "a FIN just seen waits" },
		{ CONN_HEAD, 100 * S, 0, 101 * S, 101 * S + 100 * MS, 1 + CONN_ABANDONED, "then closes" },
		{ CONN_BODY, 100 * S, 0, 0, 109 * S, 0, "a body starts within the head's allowance" },
		{ CONN_BODY, 100 * S, 9999, 0, 110 * S, 1 + CONN_SLOW_BODY, "under 1000 bytes/s over 10 s" },
		{ CONN_BODY, 100 * S, 10000, 0, 110 * S, 0, "1000 bytes/s is enough" },
		{ CONN_BODY, 100 * S, 50000, 0, 150 * S, 0, "an average, over all its time" },
		{ CONN_BODY, 100 * S, 500, 102 * S, 103 * S, 1 + CONN_ABANDONED, "half a body, then FIN" },
		{ CONN_BUSY, 100 * S, 0, 101 * S, 500 * S, 0, "a request being answered is left alone" },
	};

	return cr_make_param_array(struct verdict_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct verdict_case *c, conns, closes_what_holds_a_slot_for_nothing)
{
	cr_assert_eq(conns_verdict(&limits, c->phase, c->since, c->body, c->fin, c->now), c->want,
		     "%s", c->why);
}

Test(conns, a_body_without_a_minimum_rate_is_never_slow)
{
	const struct conns_limits none = { .header_timeout_ms = 10000, .min_body_rate = 0 };

	cr_assert_eq(conns_verdict(&none, CONN_BODY, 0, 0, 0, 1000 * S), 0);
}

Test(conns, names_its_reasons_as_the_metrics_do)
{
	cr_assert_str_eq(conns_reason_name(CONN_HEAD_TIMEOUT), "header-timeout");
	cr_assert_str_eq(conns_reason_name(CONN_SLOW_BODY), "slow-body");
	cr_assert_str_eq(conns_reason_name(CONN_ABANDONED), "abandoned");
}
