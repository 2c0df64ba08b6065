/*
 * Tests for handlers/method.c.
 */
#include <criterion/criterion.h>

#include "handlers/method.h"

Test(method, names_and_methods_map_both_ways)
{
	cr_assert_eq(http_method_parse("GET"), HTTP_GET);
	cr_assert_eq(http_method_parse("OPTIONS"), HTTP_OPTIONS);
	cr_assert_eq(http_method_parse("CONNECT"), HTTP_CONNECT);
	cr_assert_str_eq(http_method_name(HTTP_HEAD), "HEAD");
	cr_assert_str_eq(http_method_name(HTTP_PATCH), "PATCH");
	for (int m = 0; m < HTTP_UNKNOWN; m++)
		cr_assert_eq(http_method_parse(http_method_name((enum http_method)m)), m);
}

Test(method, any_other_name_is_unknown)
{
	cr_assert_eq(http_method_parse("get"), HTTP_UNKNOWN, "methods are case-sensitive");
	cr_assert_eq(http_method_parse("FOO"), HTTP_UNKNOWN);
	cr_assert_eq(http_method_parse(""), HTTP_UNKNOWN);
	cr_assert_null(http_method_name(HTTP_UNKNOWN));
}
