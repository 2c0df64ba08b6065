/*
 * Tests for server/guard.c: the framing checks, on plain headers.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "server/guard.h"

static const struct guard_limits limits = {
	.max_uri_size = 64, .max_header_size = 512, .max_body_size = 100,
};

#define HOST_WHY "Host is not a host name or address with an optional port (RFC 9110 section 7.2)"

/* Parameters are copied into each test's process: arrays, not pointers. */
struct guard_case {
	char target[96];
	char head[256];       /* "Name: value" lines, each ended by \n */
	int status;           /* 0: passes */
	char why[192];
};

/* Splits "Name: value\n" lines into headers pointing into head (which it edits). */
static size_t parse_head(char *head, struct guard_header *h, size_t max)
{
	size_t n = 0;

	for (char *line = head, *eol; n < max && (eol = strchr(line, '\n')); line = eol + 1) {
		char *colon = strchr(line, ':');

		*eol = '\0';
		h[n++] = (struct guard_header){ line, (size_t)(colon - line), colon + 2,
						(size_t)(eol - colon - 2) };
	}
	return n;
}

ParameterizedTestParameters(guard, refuses_what_http_1_1_forbids_with_its_status_and_why)
{
	static struct guard_case cases[] = {
		{ "/api/v1?q=a%20b", "Host: x\nAccept: */*\nContent-Length: 12\n", 0, "" },
		{ "/a b", "Host: x\n", 400, "a request target with a space, a control character or a "
		  "byte that is not percent-encoded" },
		{ "/\xc3\xa9", "Host: x\n", 400, "a request target with a space, a control character or a "
		  "byte that is not percent-encoded" },
		{ "/0123456789012345678901234567890123456789012345678901234567890123456789", "Host: x\n",
		  414, "a request target longer than this server accepts" },
		{ "/", "Host: x\nX A: 1\n", 400, "a header name that is not a token (RFC 9110)" },
		{ "/", "Host: x\nX-A: a\rb\n", 400, "a header value with a control character" },
		{ "/", "Host: x\nX-A: a\tb\n", 0, "" },
		{ "/", "", 400, "no Host header, which HTTP/1.1 requires" },
		{ "/", "Host: x\nhost: y\n", 400, "Host is given more than once" },
		{ "/", "Host: x\nContent-Length: 1\nTransfer-Encoding: chunked\n", 400,
		  "both Content-Length and Transfer-Encoding are present" },
		{ "/", "Host: x\nContent-Length: 1\ncontent-length: 1\n", 400,
		  "Content-Length is given more than once" },
		{ "/", "Host: x\nTransfer-Encoding: chunked\nTransfer-Encoding: chunked\n", 400,
		  "Transfer-Encoding is given more than once" },
		{ "/", "Host: x\nTransfer-Encoding:  Chunked\n", 0, "" },
		{ "/", "Host: x\nTransfer-Encoding: chunked\t\n", 501,
		  "Transfer-Encoding has whitespace after chunked, which this server cannot read "
		  "as chunked (libmicrohttpd 0.9.75 takes it for another coding)" },
		{ "/", "Host: x\nTransfer-Encoding: chunked \n", 501,
		  "Transfer-Encoding has whitespace after chunked, which this server cannot read "
		  "as chunked (libmicrohttpd 0.9.75 takes it for another coding)" },
		{ "/", "Host: x\nTransfer-Encoding: gzip, chunked\n", 501,
		  "the only transfer coding supported is chunked" },
		{ "/", "Host: x\nContent-Length: 100\n", 0, "" },
		{ "/", "Host: x\nContent-Length: 101\n", 413,
		  "the request body is larger than this server accepts" },
		{ "/", "Host: x\nContent-Length: -1\n", 400, "Content-Length is not a number" },
		{ "/", "Host: x\nContent-Length: 12a\n", 400, "Content-Length is not a number" },
		{ "/", "Host: x\nContent-Length: \n", 400, "Content-Length is not a number" },
		{ "/", "Host: x\n: v\n", 400, "a header name that is not a token (RFC 9110)" },
		{ "/", "Host: example.org:8080\n", 0, "" },
		{ "/", "Host: 127.0.0.1\n", 0, "" },
		{ "/", "Host: [::1]:80\n", 0, "" },
		{ "/", "Host: [v1.fe80::a+en1]\n", 0, "" },
		{ "/", "Host: xn--caf-dma.example\n", 0, "" },
		{ "/", "Host: a%20b\n", 0, "" },
		{ "/", "Host: \n", 0, "" },
		{ "/", "Host: a b/c\n", 400, HOST_WHY },
		{ "/", "Host: a/c\n", 400, HOST_WHY },
		{ "/", "Host: user@a\n", 400, HOST_WHY },
		{ "/", "Host: a%2\n", 400, HOST_WHY },
		{ "/", "Host: a:123456\n", 400, HOST_WHY },
		{ "/", "Host: a:8x\n", 400, HOST_WHY },
		{ "/", "Host: [::1\n", 400, HOST_WHY },
		{ "/", "Host: []\n", 400, HOST_WHY },
		{ "/", "Host: [g::1]\n", 400, HOST_WHY },
	};

	return cr_make_param_array(struct guard_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct guard_case *c, guard, refuses_what_http_1_1_forbids_with_its_status_and_why)
{
	struct guard_header h[8];
	size_t n = parse_head(c->head, h, 8);
	const char *why = NULL;

	cr_assert_eq(guard_check(c->target, "HTTP/1.1", h, n, &limits, &why), c->status, "%s %s",
		     c->target, c->head);
	if (c->status)
		cr_assert_str_eq(why, c->why);
	else
		cr_assert_null(why);
}

Test(guard, http_1_0_needs_no_host)
{
	const char *why = NULL;

	cr_assert_eq(guard_check("/", "HTTP/1.0", NULL, 0, &limits, &why), 0);
}

Test(guard, refuses_a_nul_in_a_header)
{
	const struct guard_header h[] = { { "Host", 4, "x", 1 }, { "X-A", 3, "a\0b", 3 } };
	const char *why;

	cr_assert_eq(guard_check("/", "HTTP/1.1", h, 2, &limits, &why), 400);
	cr_assert_str_eq(why, "a header contains a NUL byte");
}

Test(guard, refuses_heads_past_the_limit)
{
	char big[600];
	const struct guard_header h[] = { { "Host", 4, "x", 1 }, { "X-Big", 5, big, sizeof(big) - 1 } };
	const char *why;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(guard_check("/", "HTTP/1.1", h, 2, &limits, &why), 431);
	cr_assert_str_eq(why, "request headers larger than this server accepts");
}
