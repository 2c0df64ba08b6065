/*
 * Tests for server/negotiate.c: Accept and Accept-Encoding, without a socket.
 */
#include <criterion/criterion.h>

#include "server/negotiate.h"

#define JSON "application/json"

Test(negotiate, no_accept_header_accepts_anything)
{
	cr_assert(negotiate_accepts(NULL, JSON));
	cr_assert(negotiate_accepts("", JSON));
}

Test(negotiate, accept_takes_the_type_its_major_wildcard_or_any)
{
	cr_assert(negotiate_accepts("application/json", JSON));
	cr_assert(negotiate_accepts("Application/JSON", JSON), "types ignore case");
	cr_assert(negotiate_accepts("text/html, application/json;q=0.9", JSON));
	cr_assert(negotiate_accepts("application/*;q=0.5", JSON));
	cr_assert(negotiate_accepts("*/*", JSON));
	cr_assert(negotiate_accepts(" text/html ,\t*/* ; q=0.1", JSON));
	cr_assert(negotiate_accepts("text/html", "*/*"), "a route of any type takes any Accept");
	cr_assert_not(negotiate_accepts("text/html", JSON));
	cr_assert_not(negotiate_accepts("application/jsonx", JSON));
	cr_assert_not(negotiate_accepts("text/*", JSON));
}

Test(negotiate, a_type_with_parameters_is_matched_on_the_type_alone)
{
	cr_assert(negotiate_accepts("text/css", "text/css; charset=utf-8"));
	cr_assert(negotiate_accepts("text/*", "text/css; charset=utf-8"));
	cr_assert_not(negotiate_accepts("text/html", "text/css; charset=utf-8"));
	cr_assert_not(negotiate_accepts("text/cs", "text/css; charset=utf-8"));
}

Test(negotiate, q_zero_refuses_a_type)
{
	cr_assert_not(negotiate_accepts("application/json;q=0, text/plain", JSON));
	cr_assert_not(negotiate_accepts("application/json; Q=0", JSON));
	cr_assert_not(negotiate_accepts("*/*;q=0", JSON));
	cr_assert(negotiate_accepts("application/json;level=1;q=0.001", JSON));
}

Test(negotiate, gzip_is_taken_when_named_or_by_star)
{
	cr_assert_not(negotiate_gzip(NULL));
	cr_assert_not(negotiate_gzip(""));
	cr_assert(negotiate_gzip("gzip"));
	cr_assert(negotiate_gzip("deflate, GZIP;q=0.5"));
	cr_assert(negotiate_gzip("x-gzip"));
	cr_assert(negotiate_gzip("br, *"));
	cr_assert_not(negotiate_gzip("identity"));
	cr_assert_not(negotiate_gzip("br"));
}

Test(negotiate, a_named_refusal_of_gzip_beats_the_star)
{
	cr_assert_not(negotiate_gzip("gzip;q=0, identity"));
	cr_assert_not(negotiate_gzip("*, gzip;q=0"));
	cr_assert_not(negotiate_gzip("*;q=0"));
	cr_assert(negotiate_gzip("*;q=0, gzip"));
}
