/*
 * Tests for lib/iso.c.
 */
#include <criterion/criterion.h>

#include "lib/iso.h"

Test(iso, knows_assigned_country_codes)
{
	cr_assert(iso_country_code("GB", 2));
	cr_assert(iso_country_code("KP", 2));
	cr_assert(iso_country_code("AD", 2));
	cr_assert(iso_country_code("ZW", 2));
	cr_assert_not(iso_country_code("UK", 2));
	cr_assert_not(iso_country_code("XX", 2));
	cr_assert_not(iso_country_code("gb", 2));
	cr_assert_not(iso_country_code("GBR", 3));
}

Test(iso, the_country_code_rule_says_what_a_code_should_be)
{
	cr_assert_null(iso_country_code_rule("GB", 2));
	cr_assert_null(iso_country_code_rule("KR", 2));
	cr_assert_str_eq(iso_country_code_rule("UK", 2),
			 "an ISO 3166-1 alpha-2 country code (the United Kingdom is GB)");
	cr_assert_str_eq(iso_country_code_rule("gb", 2),
			 "an ISO 3166-1 alpha-2 country code (two capital letters, e.g. GB)");
	cr_assert_str_eq(iso_country_code_rule("GBR", 3),
			 "an ISO 3166-1 alpha-2 country code (two capital letters, e.g. GB)");
	cr_assert_str_eq(iso_country_code_rule("XX", 2),
			 "an officially assigned ISO 3166-1 alpha-2 country code");
}
