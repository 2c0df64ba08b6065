/*
 * Tests for server/guard.c: the framing checks, on plain headers.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "server/guard.h"

static const struct guard_limits limits = {
	.max_uri_size = 64, .max_header_size = 512, .max_body_size = 100,
};

#define H(name, value) { name, sizeof(name) - 1, value, sizeof(value) - 1 }

/* The status for target and headers with version HTTP/1.1; *why is set when not 0. */
static int check(const char *target, const struct guard_header *h, size_t n, const char **why)
{
	*why = NULL;
	return guard_check(target, "HTTP/1.1", h, n, &limits, why);
}

Test(guard, passes_an_ordinary_request)
{
	const struct guard_header h[] = { H("Host", "x"), H("Accept", "*/*"), H("Content-Length", "12") };
	const char *why;

	cr_assert_eq(check("/api/v1?q=a%20b", h, 3, &why), 0);
	cr_assert_null(why);
	cr_assert_eq(guard_check("/", "HTTP/1.0", NULL, 0, &limits, &why), 0, "HTTP/1.0 needs no Host");
}

Test(guard, refuses_raw_bytes_and_long_targets)
{
	const struct guard_header h[] = { H("Host", "x") };
	char longer[80];
	const char *why;

	cr_assert_eq(check("/a b", h, 1, &why), 400);
	cr_assert_str_eq(why, "a request target with a space, a control character or a "
			 "byte that is not percent-encoded");
	cr_assert_eq(check("/\xc3\xa9", h, 1, &why), 400);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[0] = '/';
	longer[sizeof(longer) - 1] = '\0';
	cr_assert_eq(check(longer, h, 1, &why), 414);
	cr_assert_str_eq(why, "a request target longer than this server accepts");
}

Test(guard, refuses_heads_past_the_limit)
{
	char big[600];
	struct guard_header h[] = { H("Host", "x"), { "X-Big", 5, big, sizeof(big) - 1 } };
	const char *why;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(check("/", h, 2, &why), 431);
	cr_assert_str_eq(why, "request headers larger than this server accepts");
}

Test(guard, refuses_nul_bad_names_and_control_characters)
{
	const struct guard_header nul[] = { H("Host", "x"), { "X-A", 3, "a\0b", 3 } };
	const struct guard_header name[] = { H("Host", "x"), H("X A", "1") };
	const struct guard_header value[] = { H("Host", "x"), H("X-A", "a\rb") };
	const struct guard_header tab[] = { H("Host", "x"), H("X-A", "a\tb") };
	const char *why;

	cr_assert_eq(check("/", nul, 2, &why), 400);
	cr_assert_str_eq(why, "a header contains a NUL byte");
	cr_assert_eq(check("/", name, 2, &why), 400);
	cr_assert_str_eq(why, "a header name that is not a token (RFC 9110)");
	cr_assert_eq(check("/", value, 2, &why), 400);
	cr_assert_str_eq(why, "a header value with a control character");
	cr_assert_eq(check("/", tab, 2, &why), 0, "a tab is allowed in a value");
}

Test(guard, http_1_1_needs_exactly_one_host)
{
	const struct guard_header two[] = { H("Host", "x"), H("host", "y") };
	const char *why;

	cr_assert_eq(check("/", NULL, 0, &why), 400);
	cr_assert_str_eq(why, "no Host header, which HTTP/1.1 requires");
	cr_assert_eq(check("/", two, 2, &why), 400);
	cr_assert_str_eq(why, "Host is given more than once");
}

Test(guard, refuses_ambiguous_framing)
{
	const struct guard_header both[] = { H("Host", "x"), H("Content-Length", "1"),
					     H("Transfer-Encoding", "chunked") };
	const struct guard_header two_cl[] = { H("Host", "x"), H("Content-Length", "1"),
					       H("content-length", "1") };
	const struct guard_header two_te[] = { H("Host", "x"), H("Transfer-Encoding", "chunked"),
					       H("Transfer-Encoding", "chunked") };
	const char *why;

	cr_assert_eq(check("/", both, 3, &why), 400);
	cr_assert_str_eq(why, "both Content-Length and Transfer-Encoding are present");
	cr_assert_eq(check("/", two_cl, 3, &why), 400);
	cr_assert_str_eq(why, "Content-Length is given more than once");
	cr_assert_eq(check("/", two_te, 3, &why), 400);
	cr_assert_str_eq(why, "Transfer-Encoding is given more than once");
}

Test(guard, takes_chunked_alone_as_the_transfer_coding)
{
	const struct guard_header chunked[] = { H("Host", "x"), H("Transfer-Encoding", " Chunked\t") };
	const struct guard_header gzip[] = { H("Host", "x"), H("Transfer-Encoding", "gzip, chunked") };
	const char *why;

	cr_assert_eq(check("/", chunked, 2, &why), 0);
	cr_assert_eq(check("/", gzip, 2, &why), 501);
	cr_assert_str_eq(why, "the only transfer coding supported is chunked");
}

Test(guard, reads_content_length_and_refuses_bodies_past_the_limit)
{
	const struct guard_header over[] = { H("Host", "x"), H("Content-Length", "101") };
	const struct guard_header at[] = { H("Host", "x"), H("Content-Length", "100") };
	const struct guard_header minus[] = { H("Host", "x"), H("Content-Length", "-1") };
	const struct guard_header word[] = { H("Host", "x"), H("Content-Length", "12a") };
	const struct guard_header empty[] = { H("Host", "x"), H("Content-Length", "") };
	const char *why;

	cr_assert_eq(check("/", at, 2, &why), 0);
	cr_assert_eq(check("/", over, 2, &why), 413);
	cr_assert_str_eq(why, "the request body is larger than this server accepts");
	cr_assert_eq(check("/", minus, 2, &why), 400);
	cr_assert_str_eq(why, "Content-Length is not a number");
	cr_assert_eq(check("/", word, 2, &why), 400);
	cr_assert_eq(check("/", empty, 2, &why), 400);
}
