/*
 * Tests for server/cors.c: the origin allow-list and preflight headers.
 */
#include <criterion/criterion.h>

#include "server/cors.h"

Test(cors, origins_are_compared_exactly)
{
	static const char *const allowed[] = { "https://dash.example", "http://localhost:3000" };
	bool any = true;

	cr_assert(cors_origin_allowed(allowed, 2, "https://dash.example", &any));
	cr_assert_not(any);
	cr_assert(cors_origin_allowed(allowed, 2, "http://localhost:3000", &any));
	cr_assert_not(cors_origin_allowed(allowed, 2, "https://evil.example", &any));
	cr_assert_not(cors_origin_allowed(allowed, 2, "https://dash.example.evil", &any));
	cr_assert_not(cors_origin_allowed(allowed, 2, "HTTPS://DASH.EXAMPLE", &any));
	cr_assert_not(cors_origin_allowed(allowed, 0, "https://dash.example", &any), "no list, no CORS");
}

Test(cors, a_star_allows_every_origin_and_says_so)
{
	static const char *const star[] = { "*" };
	bool any = false;

	cr_assert(cors_origin_allowed(star, 1, "https://anything.example", &any));
	cr_assert(any);
}

Test(cors, preflight_headers_must_all_be_allowed)
{
	cr_assert(cors_headers_allowed(NULL));
	cr_assert(cors_headers_allowed(""));
	cr_assert(cors_headers_allowed("x-request-id"));
	cr_assert(cors_headers_allowed("If-None-Match, X-Request-Id,accept"));
	cr_assert(cors_headers_allowed("accept-language , cache-control,, content-type"));
	cr_assert_not(cors_headers_allowed("authorization"));
	cr_assert_not(cors_headers_allowed("accept, x-custom"));
	cr_assert_not(cors_headers_allowed("accepts"));
}
