/*
 * Tests for lib/date.c.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "lib/date.h"

/* Parameters are copied into each test's own process, where pointers to
 * static data may not hold: hence arrays, not pointers. */
struct day {
	char text[24];
	char why[80];   /* empty: a real date */
};

ParameterizedTestParameters(date, decides_each_text)
{
	static struct day cases[] = {
		{ "2023-07-11", "" },
		{ "2024-02-29", "" },
		{ "2000-02-29", "" },
		{ "0001-01-01", "" },
		{ "9999-12-31", "" },
		{ "1900-02-29", "a calendar date (February 1900 has 28 days)" },
		{ "2023-02-29", "a calendar date (February 2023 has 28 days)" },
		{ "2023-04-31", "a calendar date (April 2023 has 30 days)" },
		{ "2023-13-01", "a calendar date (year, month or day out of range)" },
		{ "2023-00-10", "a calendar date (year, month or day out of range)" },
		{ "2023-01-00", "a calendar date (year, month or day out of range)" },
		{ "0000-01-01", "a calendar date (year, month or day out of range)" },
		{ "2023-7-11", "a date in the form YYYY-MM-DD" },
		{ "2023/07/11", "a date in the form YYYY-MM-DD" },
		{ "2023-07-11T00:00", "a date in the form YYYY-MM-DD" },
		{ "20230711", "a date in the form YYYY-MM-DD" },
		{ "", "a date in the form YYYY-MM-DD" },
	};

	return cr_make_param_array(struct day, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct day *c, date, decides_each_text)
{
	const char *why = NULL;
	bool ok = date_valid(c->text, strlen(c->text), &why);

	if (!c->why[0]) {
		cr_assert(ok, "%s: %s", c->text, why);
	} else {
		cr_assert_not(ok, "%s was accepted", c->text);
		cr_assert_str_eq(why, c->why);
		cr_assert_str_eq(date_rule(c->text, strlen(c->text)), c->why);
	}
}

Test(date, time_is_formatted_as_utc_iso_8601)
{
	char out[32];

	time_format_iso(0, out, sizeof(out));
	cr_assert_str_eq(out, "1970-01-01T00:00:00Z");
	time_format_iso(1689120000, out, sizeof(out));
	cr_assert_str_eq(out, "2023-07-12T00:00:00Z");
}
