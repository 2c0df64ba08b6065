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

/* Values are tested eight bytes at a time: a control byte is found at every offset of the word and of the tail. */
Test(guard, a_host_name_is_made_of_unreserved_and_sub_delims_characters)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				      "-._~!$&'()*+,;=";

	for (int c = 1; c < 256; c++) {
		char head[64], why_buf[8];
		struct guard_header h[2];
		const char *why = why_buf;
		int status;

		/* ':' starts the port and '%' an escape: the rest stand for themselves. */
		if (c == ':' || c == '%' || c == '\n' || c == '\r')
			continue;
		snprintf(head, sizeof(head), "Host: a%cb\n", c);
		status = guard_check("/", "HTTP/1.1", h, parse_head(head, h, 2), &limits, &why);
		if (strchr(allowed, c))
			cr_assert_eq(status, 0, "byte %d: %s", c, why);
		else
			cr_assert_eq(status, 400, "byte %d", c);
	}
}

Test(guard, finds_a_control_character_at_any_offset_of_a_value)
{
	static const unsigned char bad[] = { 0x01, 0x0d, 0x0a, 0x1f, 0x7f };
	static const unsigned char good[] = { '\t', ' ', '~', 0x80, 0xc3, 0xff };
	char value[41];

	for (size_t len = 1; len < sizeof(value); len++) {
		for (size_t at = 0; at < len; at++) {
			for (size_t k = 0; k < sizeof(bad) + sizeof(good); k++) {
				bool is_bad = k < sizeof(bad);
				struct guard_header h[2] = {
					{ "Host", 4, "x", 1 },
					{ "X-A", 3, value, len },
				};
				const char *why = NULL;

				memset(value, 'a', sizeof(value));
				value[at] = (char)(is_bad ? bad[k] : good[k - sizeof(bad)]);
				cr_assert_eq(guard_check("/", "HTTP/1.1", h, 2, &limits, &why),
					     is_bad ? 400 : 0, "byte 0x%02x at %zu of %zu", (unsigned char)value[at],
					     at, len);
				if (is_bad)
					cr_assert_str_eq(why, "a header value with a control character");
			}
		}
	}
}

/* A header name is tokens only (RFC 9110 tchar): each of the 256 bytes in the middle of a name. */
Test(guard, takes_exactly_the_token_characters_in_a_header_name)
{
	static const char tchar[] = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

	for (int c = 1; c < 256; c++) {
		char name[3] = { 'X', (char)c, 'a' };
		struct guard_header h[2] = { { "Host", 4, "x", 1 }, { name, 3, "v", 1 } };
		const char *why = NULL;
		bool token = strchr(tchar, c) != NULL;

		cr_assert_eq(guard_check("/", "HTTP/1.1", h, 2, &limits, &why), token ? 0 : 400,
			     "byte 0x%02x", c);
		if (!token)
			cr_assert_str_eq(why, "a header name that is not a token (RFC 9110)");
	}
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

/*
 * A head laid out as libmicrohttpd 0.9.75 leaves it: line ends, the request
 * line's two spaces and each colon turned to NULs, the spaces after them
 * skipped; a folded line's header moved out of the head.
 */
struct laid_out {
	char buf[512];
	char moved[64];
	struct guard_head head;
	struct guard_header h[8];
	size_t n;
};

static void lay_out(struct laid_out *lo, const char *raw, size_t len)
{
	char *b = lo->buf, *line = b, *end = b + len, *eol, *sp;
	bool first = true;

	memcpy(b, raw, len);
	lo->n = 0;
	lo->head = (struct guard_head){ .start = b, .len = len };
	for (; line < end && (eol = memchr(line, '\n', (size_t)(end - line))); line = eol + 1) {
		size_t ll = (size_t)(eol - line);

		if (ll && line[ll - 1] == '\r')
			line[--ll] = '\0';
		*eol = '\0';
		if (first) {
			first = false;
			sp = memchr(line, ' ', ll);
			*sp = '\0';
			lo->head.method = line;
			lo->head.target = sp + 1;
			line[ll - 9] = '\0';
			lo->head.version = line + ll - 8;
			lo->head.target_len = strlen(lo->head.target);
		} else if (ll && (line[0] == ' ' || line[0] == '\t')) {
			/* obs-fold: libmicrohttpd copies the name elsewhere to join the lines */
			snprintf(lo->moved, sizeof(lo->moved), "%s", lo->h[lo->n - 1].name);
			lo->h[lo->n - 1].name = lo->moved;
		} else if (ll) {
			char *colon = memchr(line, ':', ll), *v = colon + 1;

			*colon = '\0';
			while (*v == ' ' || *v == '\t')
				v++;
			lo->h[lo->n++] = (struct guard_header){ line, strlen(line), v, strlen(v) };
		}
	}
}

struct layout_case {
	char raw[160];
	size_t len;           /* 0: strlen(raw) */
	int status;
	char why[128];
};

ParameterizedTestParameters(guard, accounts_for_every_byte_of_the_head)
{
	static struct layout_case cases[] = {
		{ "GET /x HTTP/1.1\r\nHost: x\r\nAccept:  */* \r\n\r\n", 0, 0, "" },
		{ "GET  /x?a=1 HTTP/1.0\r\n\r\n", 0, 0, "" },
		{ "GET /x HTTP/1.1\r\nHost: x\r\nX-Empty:\r\n\r\n", 0, 0, "" },
		{ "GET /x\0y HTTP/1.1\r\nHost: x\r\n\r\n", 30, 400, "the request target contains a NUL byte" },
		{ "G\0T /x HTTP/1.1\r\nHost: x\r\n\r\n", 28, 400, "the request line contains a NUL byte" },
		{ "GET /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\0gzip\r\n\r\n", 59, 400,
		  "a header contains a NUL byte" },
		{ "GET /x HTTP/1.1\r\nHost: x\0\r\n\r\n", 29, 400, "a header contains a NUL byte" },
		{ "GET /x HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 0, 400,
		  "a header line is folded onto the next (obs-fold), which HTTP/1.1 forbids in requests" },
		{ "GET /x HTTP/1.1\nHost: x\r\n\r\n", 0, 400,
		  "a line of the request head ends in a bare LF; HTTP/1.1 lines end in CR LF" },
		{ "GET /x HTTP/1.1\r\nHost: x\n\r\n", 0, 400,
		  "a line of the request head ends in a bare LF; HTTP/1.1 lines end in CR LF" },
		{ "GET /x HTTP/1.1\r\nHost: x\r\n\n", 0, 400,
		  "a line of the request head ends in a bare LF; HTTP/1.1 lines end in CR LF" },
	};

	return cr_make_param_array(struct layout_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct layout_case *c, guard, accounts_for_every_byte_of_the_head)
{
	struct laid_out lo;
	const char *why = NULL;

	lay_out(&lo, c->raw, c->len ? c->len : strlen(c->raw));
	cr_assert_eq(guard_check_layout(&lo.head, lo.h, lo.n, &why), c->status, "%s", c->raw);
	if (c->status)
		cr_assert_str_eq(why, c->why);
}

Test(guard, leaves_a_head_it_cannot_place_unchecked)
{
	struct laid_out lo;
	const char *why = NULL;

	lay_out(&lo, "GET /x\0y HTTP/1.1\r\n\r\n", 21);
	lo.head.target = "/elsewhere";
	cr_assert_eq(guard_check_layout(&lo.head, lo.h, lo.n, &why), 0);
}
