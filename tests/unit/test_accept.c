/*
 * Tests for lib/accept.c: choosing among JSON, CSV and NDJSON by Accept.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "lib/accept.h"

static const char *const offers[] = {
	"application/json; charset=utf-8",
	"text/csv; charset=utf-8; header=present",
	"application/x-ndjson",
};

/* Parameters are copied into each test's process: arrays, not pointers. */
struct accept_case {
	char accept[96];           /* "(absent)": no Accept header at all */
	int chosen;
};

struct refusal {
	char accept[96];
};

static const char *header_of(const struct accept_case *c)
{
	return strcmp(c->accept, "(absent)") ? c->accept : NULL;
}

ParameterizedTestParameters(accept, chooses_by_weight_then_specificity_then_order)
{
	static struct accept_case cases[] = {
		{ "(absent)", 0 },
		{ "", 0 },
		{ "  ", 0 },
		{ "*/*", 0 },
		{ "application/json", 0 },
		{ "text/csv", 1 },
		{ "TEXT/CSV", 1 },
		{ "application/x-ndjson", 2 },
		{ "text/*", 1 },
		{ "application/*", 0 },
		/* A named type beats a wildcard of the same weight. */
		{ "text/csv, */*", 1 },
		{ "*/*, application/x-ndjson", 2 },
		/* Weights decide first. */
		{ "text/csv;q=0.5, application/x-ndjson", 2 },
		{ "text/csv;q=0.9, application/json;q=0.8", 1 },
		{ "text/csv; q=0.5, */*; q=0.1", 1 },
		/* A browser's default lands on JSON. */
		{ "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 0 },
		/* q=0 refuses; a more specific range overrides a wildcard. */
		{ "application/json;q=0, */*", 1 },
		{ "*/*;q=0.5, application/json;q=0", 1 },
		{ "application/json;q=0, text/csv;q=0, */*", 2 },
		/* Parameters of a range must be the offer's. */
		{ "text/csv;charset=UTF-8", 1 },
		{ "text/csv;header=present;charset=\"utf-8\"", 1 },
		{ "text/csv;header=absent, application/x-ndjson;q=0.1", 2 },
		{ "application/json;charset=utf-8;q=0.2, text/csv;q=0.1", 0 },
		/* Extensions after q are not parameters of the range. */
		{ "text/csv;q=0.7;ext=1, application/json;q=0.6", 1 },
		/* Junk is skipped, not fatal. */
		{ "nonsense, text/csv", 1 },
		{ "text/csv;q=abc, application/x-ndjson", 2 },
		{ ",,text/csv,,", 1 },
	};
	return cr_make_param_array(struct accept_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct accept_case *c, accept, chooses_by_weight_then_specificity_then_order)
{
	cr_assert_eq(accept_choose(header_of(c), offers, 3), c->chosen, "Accept: %s", c->accept);
}

ParameterizedTestParameters(accept, refuses_when_nothing_offered_is_acceptable)
{
	static struct refusal cases[] = {
		{ "text/html" },
		{ "application/json;q=0, text/plain" },
		{ "image/*" },
		{ "text/csv;header=absent" },
		{ "*/*;q=0" },
		{ "text/csv;q=1.5" },
		{ "*/csv" },
	};
	return cr_make_param_array(struct refusal, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct refusal *c, accept, refuses_when_nothing_offered_is_acceptable)
{
	cr_assert_eq(accept_choose(c->accept, offers, 3), -1, "Accept: %s", c->accept);
}

Test(accept, q_values_are_read_to_three_decimals)
{
	cr_assert_eq(accept_choose("text/csv;q=0.001, application/json;q=0.000", offers, 3), 1);
	cr_assert_eq(accept_choose("text/csv;q=0.5, application/json;q=0.50", offers, 3), 0);
	cr_assert_eq(accept_choose("text/csv;q=1.000, application/json;q=1", offers, 3), 0);
	cr_assert_eq(accept_choose("text/csv;q=0.0001", offers, 3), -1, "four decimals are not a qvalue");
}

/* The ranges are parsed into an array that grows past its first 16: every one still counts. */
Test(accept, reads_every_range_of_a_long_header)
{
	char accept[1024] = "";

	for (int i = 0; i < 40; i++)
		strcat(accept, "image/png, ");
	cr_assert_eq(accept_choose(accept, offers, 3), -1);
	strcat(accept, "text/csv;q=0.2, application/x-ndjson;q=0.3");
	cr_assert_eq(accept_choose(accept, offers, 3), 2);
	strcat(accept, ", application/json;charset=utf-8;q=0.3");
	cr_assert_eq(accept_choose(accept, offers, 3), 0, "as weighty, and more specific");
}
