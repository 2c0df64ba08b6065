/*
 * Integration tests of CSV and NDJSON over HTTP: streamed exports as
 * libmicrohttpd sends them (chunked, gzipped on the fly, HEAD, 304,
 * HTTP/1.0, keep-alive), downloads, negotiation and their headers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tests/support/client.h"
#include "tests/support/server.h"

TEST_SERVER_SUITE(formats, NULL);

static size_t count_lines(const struct strbuf *sb)
{
	size_t n = 0;

	for (size_t i = 0; i < sb->len; i++)
		n += sb->buf[i] == '\n';
	return n;
}

Test(formats, a_whole_export_is_streamed_chunked_with_its_count)
{
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals?format=ndjson&limit=all"), NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(reply_header(&r, "Content-Type"), "application/x-ndjson");
	cr_assert_str_eq(reply_header(&r, "Transfer-Encoding"), "chunked");
	cr_assert_null(reply_header(&r, "Content-Length"));
	cr_assert_null(reply_header(&r, "Link"), "an export is not a page");
	cr_assert_str_eq(reply_header(&r, "X-Total-Count"), "27");
	cr_assert_str_eq(reply_header(&r, "Content-Disposition"),
			 "attachment; filename=\"deals-vilnius-2023.ndjson\"");
	cr_assert_not_null(reply_header(&r, "ETag"));
	cr_assert_eq(count_lines(&r.body), 27);
	cr_assert_eq(r.body.buf[r.body.len - 1], '\n');
	reply_release(&r);
}

Test(formats, a_gzipped_export_inflates_to_the_plain_one)
{
	static const char *const gz[] = { "Accept-Encoding: gzip", NULL };
	struct client cl;
	struct reply plain, zipped;
	char tag[64];

	http_get(test_url(&srv, "/api/v1/meetings?format=csv&limit=all"), NULL, &plain);
	client_init(&cl);
	/* curl inflates it (decode): what arrives must be one whole gzip member. */
	client_do(&cl, "GET", test_url(&srv, "/api/v1/meetings?format=csv&limit=all"), gz, true, &zipped);
	client_release(&cl);
	cr_assert_str_eq(reply_header(&zipped, "Content-Encoding"), "gzip");
	cr_assert_eq(zipped.body.len, plain.body.len);
	cr_assert(!memcmp(zipped.body.buf, plain.body.buf, plain.body.len));
	snprintf(tag, sizeof(tag), "%s", reply_header(&plain, "ETag"));
	tag[strlen(tag) - 1] = '\0';
	strcat(tag, "-gz\"");
	cr_assert_str_eq(reply_header(&zipped, "ETag"), tag);
	reply_release(&plain);
	reply_release(&zipped);
}

Test(formats, head_of_an_export_has_its_headers_and_no_body)
{
	struct reply r;

	http_do("HEAD", test_url(&srv, "/api/v1/deals?format=csv&limit=all"), NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(r.body.len, 0);
	cr_assert_str_eq(reply_header(&r, "X-Total-Count"), "27");
	cr_assert_str_eq(reply_header(&r, "Content-Type"), "text/csv; charset=utf-8; header=present");
	reply_release(&r);
}

/*
 * libmicrohttpd 0.9.75 ends a chunked answer to HEAD with the last chunk
 * ("0\r\n\r\n") though it sends no body, and a client keeping the
 * connection reads those bytes as the start of the next answer. Nothing may
 * follow the head but the next answer, or the end of the connection.
 */
Test(formats, nothing_follows_the_head_of_an_export_answered_to_head)
{
	static const char req[] = "HEAD /api/v1/deals?format=csv&limit=all HTTP/1.1\r\nHost: x\r\n\r\n"
				  "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	struct strbuf out = STRBUF_INIT;
	const char *end;

	raw_exchange(http_port(srv.http), req, sizeof(req) - 1, &out);
	cr_assert(!strncmp(out.buf, "HTTP/1.1 200 ", 13), "%.100s", out.buf);
	cr_assert_not_null(strstr(out.buf, "X-Total-Count: 27\r\n"), "%s", out.buf);
	end = strstr(out.buf, "\r\n\r\n") + 4;
	cr_assert(!*end || !strncmp(end, "HTTP/1.1 200 ", 13), "after the head: %.40s", end);
	strbuf_release(&out);
}

Test(formats, an_export_the_client_holds_is_a_304)
{
	char inm[96];
	const char *const headers[] = { inm, NULL };
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals?format=csv&limit=all"), NULL, &r);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", reply_header(&r, "ETag"));
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals?format=csv&limit=all"), headers, &r);
	cr_assert_eq(r.status, 304);
	cr_assert_eq(r.body.len, 0);
	reply_release(&r);
}

Test(formats, http_1_0_gets_the_export_ended_by_closing)
{
	static const char req[] = "GET /api/v1/deals?format=ndjson&limit=all&fields=id HTTP/1.0\r\n\r\n";
	struct strbuf out = STRBUF_INIT;
	const char *body;

	raw_exchange(http_port(srv.http), req, sizeof(req) - 1, &out);
	cr_assert(!strncmp(out.buf, "HTTP/1.1 200", 12) || !strncmp(out.buf, "HTTP/1.0 200", 12), "%.40s", out.buf);
	cr_assert_null(strstr(out.buf, "chunked"), "HTTP/1.0 knows no chunks");
	body = strstr(out.buf, "\r\n\r\n") + 4;
	cr_assert(!strncmp(body, "{\"id\":\"asml-duv-plant\"}\n", 24), "%.80s", body);
	cr_assert_eq(out.buf[out.len - 1], '\n');
	strbuf_release(&out);
}

Test(formats, a_connection_stays_open_after_an_export)
{
	struct client cl;
	struct reply r;

	client_init(&cl);
	client_do(&cl, "GET", test_url(&srv, "/api/v1/deals?format=csv&limit=all"), NULL, false, &r);
	cr_assert_eq(r.status, 200);
	reply_release(&r);
	client_do(&cl, "GET", test_url(&srv, "/api/v1/deals?format=ndjson&limit=all"), NULL, false, &r);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(r.connects, 0, "the second export reused the connection");
	reply_release(&r);
	client_release(&cl);
}

Test(formats, accept_chooses_and_vary_says_so)
{
	static const char *const csv[] = { "Accept: text/csv", NULL };
	static const char *const html[] = { "Accept: text/html", NULL };
	struct reply r;

	http_get(test_url(&srv, "/api/v1/countries?fields=code&limit=2"), csv, &r);
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(r.body.buf, "code\r\nKR\r\nLT\r\n");
	cr_assert_str_eq(reply_header(&r, "Vary"), "Accept, Accept-Encoding, Origin");
	cr_assert_null(reply_header(&r, "Content-Disposition"), "only format= asks for a download");
	cr_assert_not_null(reply_header(&r, "Link"));
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/countries/kr"), html, &r);
	assert_problem(&r, 406);
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/stats"), csv, &r);
	assert_problem(&r, 406);   /* only lists and records have other formats */
	reply_release(&r);
}
