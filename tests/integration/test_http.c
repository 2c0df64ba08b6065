/*
 * Integration tests of HTTP behaviour on every route: errors, HEAD, OPTIONS,
 * CORS, ETag and 304, gzip, request ids, keep-alive and strict framing.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <zlib.h>

#include "server/http.h"
#include "tests/support/client.h"
#include "tests/support/server.h"

TEST_SERVER_SUITE(http, "--cors-origin", "https://dash.example",
		  "--cors-origin", "http://localhost:3000", NULL);

/* Parameters are copied into each test's process: arrays, not pointers. */
struct path_case {
	char path[96];
};

ParameterizedTestParameters(http, head_answers_the_headers_get_would_with_no_body)
{
	static struct path_case cases[] = {
		{ "/api/v1" }, { "/api/v1/countries" }, { "/api/v1/countries/ro" },
		{ "/api/v1/countries/RO/deals" }, { "/api/v1/meetings?sort=-date" },
		{ "/api/v1/meetings/bilateral-nl" }, { "/api/v1/meetings/bilateral-nl/deals" },
		{ "/api/v1/deals?fields=id" }, { "/api/v1/deals/asml-duv-plant" }, { "/api/v1/stats" },
		{ "/api/v1/openapi.json" }, { "/healthz" }, { "/readyz" }, { "/" },
		{ "/api/v1/deals/nope" }, { "/api/v1/deals?limit=x" },
	};

	return cr_make_param_array(struct path_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct path_case *c, http, head_answers_the_headers_get_would_with_no_body)
{
	static const char *const same[] = {
		"Content-Type", "Content-Length", "ETag", "Cache-Control", "Vary", "X-Total-Count", "Link",
	};
	struct reply get, head;

	http_get(test_url(&srv, c->path), NULL, &get);
	http_do("HEAD", test_url(&srv, c->path), NULL, &head);
	cr_assert_eq(head.status, get.status, "%s", c->path);
	cr_assert_eq(head.body.len, 0);
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char g[8192];
		const char *h;

		snprintf(g, sizeof(g), "%s", reply_header(&get, same[i]) ? reply_header(&get, same[i]) : "(none)");
		h = reply_header(&head, same[i]);
		cr_assert_str_eq(h ? h : "(none)", g, "%s %s", c->path, same[i]);
	}
	reply_release(&get);
	reply_release(&head);
}

Test(http, unknown_paths_are_404_problems)
{
	struct reply r;

	http_get(test_url(&srv, "/api/v2/deals"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 404), "no resource at /api/v2/deals; GET /api/v1 lists the API's links");
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals/"), NULL, &r);
	assert_problem(&r, 404);
	reply_release(&r);
}

Test(http, other_methods_on_a_known_path_are_405_with_allow)
{
	static const char *const methods[] = { "POST", "PUT", "DELETE", "PATCH" };

	for (size_t i = 0; i < 4; i++) {
		struct reply r;

		http_do(methods[i], test_url(&srv, "/api/v1/deals"), NULL, &r);
		assert_problem(&r, 405);
		cr_assert_str_eq(reply_header(&r, "Allow"), "GET, HEAD, OPTIONS");
		reply_release(&r);
	}
}

Test(http, unknown_methods_are_501)
{
	struct reply r;

	http_do("BREW", test_url(&srv, "/api/v1/deals"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 501),
			 "method BREW is not implemented; this server answers GET, HEAD and OPTIONS");
	reply_release(&r);
}

Test(http, an_accept_header_without_json_is_406)
{
	static const char *const html[] = { "Accept: text/html", NULL };
	static const char *const zero[] = { "Accept: application/json;q=0, text/plain", NULL };
	static const char *const wild[] = { "Accept: application/*;q=0.5", NULL };
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals"), html, &r);
	assert_problem(&r, 406);
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals"), zero, &r);
	assert_problem(&r, 406);
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals"), wild, &r);
	cr_assert_eq(r.status, 200);
	reply_release(&r);
}

/* The dashboard's files are of many types: Accept is weighed against the one found. */
Test(http, a_file_is_406_when_accept_excludes_its_type)
{
	static const char *const json[] = { "Accept: application/json", NULL };
	static const char *const css[] = { "Accept: text/css, image/*", NULL };
	struct reply r;

	http_get(test_url(&srv, "/style.css"), json, &r);
	cr_assert_str_eq(assert_problem(&r, 406),
			 "this file is text/css, which the Accept header excludes");
	reply_release(&r);
	http_get(test_url(&srv, "/style.css"), css, &r);
	cr_assert_eq(r.status, 200);
	reply_release(&r);
	http_get(test_url(&srv, "/favicon.svg"), css, &r);
	cr_assert_eq(r.status, 200);
	reply_release(&r);
	http_get(test_url(&srv, "/missing.css"), json, &r);
	assert_problem(&r, 404);
	reply_release(&r);
}

Test(http, bad_queries_are_400_problems_that_name_the_parameter)
{
	struct reply r;
	cJSON *j;

	http_get(test_url(&srv, "/api/v1/deals?sort=valeu"), NULL, &r);
	cr_assert(strstr(assert_problem(&r, 400), "cannot sort by \"valeu\"; sortable fields: id, title"));
	j = reply_json(&r);
	cr_assert_str_eq(cJSON_GetObjectItem(j, "parameter")->valuestring, "sort");
	cr_assert(cJSON_GetArraySize(cJSON_GetObjectItem(j, "allowed")) > 5);
	cJSON_Delete(j);
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals?status=%zz"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 400), "the query has a '%' that is not followed by two hex digits");
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals?status=%FF"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 400), "the query has bytes that are not valid UTF-8");
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals/x%00y"), NULL, &r);
	cr_assert_str_eq(assert_problem(&r, 400), "the path has an encoded NUL (%00)");
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals?status=x%00"), NULL, &r);
	assert_problem(&r, 400);
	reply_release(&r);
}

Test(http, a_hostile_query_always_gets_a_problem)
{
	static const char *const queries[] = {
		"?limit=99999999999999999999", "?offset=-1e0", "?limit=0.5", "?sort=-", "?sort=,", "?fields=,",
		"?facet=", "?status:=x", "?:=x", "?=", "?value.amount:gt=9223372036854775808",
		"?date:lt=9999-99-99", "?status:isnull=", "?q=%", "?countries=" "%C0%AF",
		"?a=1&a=2&a=3&a=4&a=5&a=6&a=7&a=8&a=9&a=10&a=11&a=12&a=13&a=14&a=15&a=16&a=17",
		/* q: an unterminated or empty phrase, no word, too many words, too long, not UTF-8 */
		"?q=%22nuclear", "?q=%22%22", "?q=%22%20%22", "?q=%21%21%21", "?q=a+b+c+d+e+f+g+h+i+j+k+l+m+n+o+p+q",
		"?q=a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q",
		"?q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"?q=%FF", "?q=%C3", "?q=%ED%A0%80", "?q=a%22b%22c%22",
	};

	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		char path[512];
		struct reply r;

		snprintf(path, sizeof(path), "/api/v1/deals%s", queries[i]);
		http_get(test_url(&srv, path), NULL, &r);
		assert_problem(&r, 400);
		reply_release(&r);
	}
}

Test(http, every_200_has_a_strong_etag_and_if_none_match_gives_304)
{
	static const char *const paths[] = {
		"/api/v1", "/api/v1/deals", "/api/v1/deals?sort=title", "/api/v1/deals/asml-duv-plant",
		"/api/v1/countries/ro?fields=name", "/api/v1/stats", "/api/v1/openapi.json", "/healthz", "/",
		"/app.js",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct reply r, again;
		char inm[128];
		const char *etag;

		http_get(test_url(&srv, paths[i]), NULL, &r);
		etag = reply_header(&r, "ETag");
		cr_assert_not_null(etag, "%s", paths[i]);
		cr_assert_eq(etag[0], '"', "strong, quoted: %s", etag);
		snprintf(inm, sizeof(inm), "If-None-Match: W/\"other\", %s", etag);
		http_get(test_url(&srv, paths[i]), (const char *const[]){ inm, NULL }, &again);
		cr_assert_eq(again.status, 304, "%s", paths[i]);
		cr_assert_eq(again.body.len, 0);
		cr_assert_str_eq(reply_header(&again, "ETag"), etag);
		reply_release(&again);
		reply_release(&r);
	}
}

Test(http, etags_differ_with_the_query_and_match_with_the_bytes)
{
	struct reply a, b, c;
	char ea[64];

	http_get(test_url(&srv, "/api/v1/deals?sort=title"), NULL, &a);
	http_get(test_url(&srv, "/api/v1/deals?sort=-title"), NULL, &b);
	http_get(test_url(&srv, "/api/v1/deals?sort=title"), NULL, &c);
	snprintf(ea, sizeof(ea), "%s", reply_header(&a, "ETag"));
	cr_assert_str_neq(ea, reply_header(&b, "ETag"));
	cr_assert_str_eq(ea, reply_header(&c, "ETag"));
	cr_assert_str_eq(a.body.buf, c.body.buf);
	reply_release(&a);
	reply_release(&b);
	reply_release(&c);
}

Test(http, caching_headers_are_set_and_errors_are_not_stored)
{
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals"), NULL, &r);
	cr_assert_str_eq(reply_header(&r, "Cache-Control"), "public, max-age=60");
	cr_assert_str_eq(reply_header(&r, "Vary"), "Accept, Accept-Encoding, Origin");
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/nope"), NULL, &r);
	cr_assert_str_eq(reply_header(&r, "Cache-Control"), "no-store");
	reply_release(&r);
	http_get(test_url(&srv, "/healthz"), NULL, &r);
	cr_assert_str_eq(reply_header(&r, "Cache-Control"), "no-store");
	reply_release(&r);
}

static void gunzip(const struct strbuf *in, struct strbuf *out)
{
	z_stream z = { 0 };
	char buf[16384];
	int rc;

	cr_assert_eq(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)in->buf;
	z.avail_in = (uInt)in->len;
	do {
		z.next_out = (Bytef *)buf;
		z.avail_out = sizeof(buf);
		rc = inflate(&z, Z_NO_FLUSH);
		cr_assert(rc == Z_OK || rc == Z_STREAM_END, "not gzip");
		strbuf_add(out, buf, sizeof(buf) - z.avail_out);
	} while (rc != Z_STREAM_END);
	inflateEnd(&z);
}

Test(http, gzip_round_trips_and_keeps_content_length_right)
{
	static const char *const paths[] = { "/api/v1/deals", "/api/v1/deals?sort=title", "/api/v1/openapi.json" };
	static const char *const gz[] = { "Accept-Encoding: gzip", NULL };

	for (size_t i = 0; i < 3; i++) {
		struct reply plain, zipped;
		struct strbuf unzipped = STRBUF_INIT;
		char tag[64];

		http_get(test_url(&srv, paths[i]), NULL, &plain);
		http_get(test_url(&srv, paths[i]), gz, &zipped);
		cr_assert_null(reply_header(&plain, "Content-Encoding"));
		cr_assert_str_eq(reply_header(&zipped, "Content-Encoding"), "gzip");
		cr_assert_lt(zipped.body.len, plain.body.len);
		cr_assert_eq((size_t)atol(reply_header(&zipped, "Content-Length")), zipped.body.len);
		gunzip(&zipped.body, &unzipped);
		cr_assert_eq(unzipped.len, plain.body.len);
		cr_assert(memcmp(unzipped.buf, plain.body.buf, plain.body.len) == 0);
		snprintf(tag, sizeof(tag), "%s", reply_header(&plain, "ETag"));
		tag[strlen(tag) - 1] = '\0';
		strcat(tag, "-gz\"");
		cr_assert_str_eq(reply_header(&zipped, "ETag"), tag, "a gzipped body has its own tag");
		strbuf_release(&unzipped);
		reply_release(&plain);
		reply_release(&zipped);
	}
}

Test(http, a_304_repeats_the_tag_of_the_representation_the_client_holds)
{
	static const char *const paths[] = { "/api/v1/deals", "/api/v1/deals?status=proposed" };

	for (size_t i = 0; i < 2; i++) {
		struct reply r;
		char inm[96], tag[64];

		http_get(test_url(&srv, paths[i]), (const char *const[]){ "Accept-Encoding: gzip", NULL }, &r);
		snprintf(tag, sizeof(tag), "%s", reply_header(&r, "ETag"));
		cr_assert(strstr(tag, "-gz\""), "%s", tag);
		reply_release(&r);
		snprintf(inm, sizeof(inm), "If-None-Match: %s", tag);
		http_get(test_url(&srv, paths[i]), (const char *const[]){ "Accept-Encoding: gzip", inm, NULL }, &r);
		cr_assert_eq(r.status, 304);
		cr_assert_str_eq(reply_header(&r, "ETag"), tag, "%s", paths[i]);
		reply_release(&r);
	}
}

/*
 * Sends n requests on one client, request i being methods[i % 3] (NULL: GET)
 * on paths[i % 2], each answered with status want (0: any error) and without
 * closing; returns the connections they took.
 */
static long on_one_connection(int n, const char *const methods[3], const char *const paths[2],
			      long want)
{
	struct client c;
	long connects = 0;

	client_init(&c);
	for (int i = 0; i < n; i++) {
		struct reply r;

		client_do(&c, methods ? methods[i % 3] : "GET", test_url(&srv, paths[i % 2]), NULL, false, &r);
		if (want)
			cr_assert_eq(r.status, want);
		else
			cr_assert_geq(r.status, 400);
		cr_assert_null(reply_header(&r, "Connection"), "%ld", r.status);
		connects += r.connects;
		reply_release(&r);
	}
	client_release(&c);
	return connects;
}

Test(http, errors_before_routing_keep_the_connection_alive)
{
	static const char *const methods[] = { "GET", "POST", "BREW" };
	static const char *const paths[] = { "/api/v1/deals/x%zz", "/nope/x" };

	cr_assert_eq(on_one_connection(6, methods, paths, 0), 1);
}

Test(http, other_methods_on_a_file_that_is_not_there_are_404)
{
	struct reply r;

	http_do("POST", test_url(&srv, "/anything"), NULL, &r);
	assert_problem(&r, 404);
	reply_release(&r);
	http_do("POST", test_url(&srv, "/app.js"), NULL, &r);
	assert_problem(&r, 405);
	reply_release(&r);
}

Test(http, small_bodies_and_refusing_clients_are_not_gzipped)
{
	static const char *const gz[] = { "Accept-Encoding: gzip", NULL };
	static const char *const no[] = { "Accept-Encoding: gzip;q=0, identity", NULL };
	struct reply r;

	http_get(test_url(&srv, "/healthz"), gz, &r);
	cr_assert_null(reply_header(&r, "Content-Encoding"));
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals"), no, &r);
	cr_assert_null(reply_header(&r, "Content-Encoding"));
	reply_release(&r);
}

Test(http, options_answers_204_with_allow)
{
	struct reply r;

	http_do("OPTIONS", test_url(&srv, "/api/v1/deals"), NULL, &r);
	cr_assert_eq(r.status, 204);
	cr_assert_str_eq(reply_header(&r, "Allow"), "GET, HEAD, OPTIONS");
	cr_assert_null(reply_header(&r, "Access-Control-Allow-Origin"), "no Origin, no CORS");
	reply_release(&r);
	http_do("OPTIONS", test_url(&srv, "/api/v1/nope"), NULL, &r);
	assert_problem(&r, 404);
	reply_release(&r);
}

Test(http, cors_preflight_from_an_allowed_origin)
{
	static const char *const h[] = {
		"Origin: https://dash.example", "Access-Control-Request-Method: GET",
		"Access-Control-Request-Headers: if-none-match, x-request-id", NULL,
	};
	struct reply r;

	http_do("OPTIONS", test_url(&srv, "/api/v1/deals"), h, &r);
	cr_assert_eq(r.status, 204);
	cr_assert_str_eq(reply_header(&r, "Access-Control-Allow-Origin"), "https://dash.example");
	cr_assert_str_eq(reply_header(&r, "Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
	cr_assert_str_eq(reply_header(&r, "Access-Control-Allow-Headers"), "if-none-match, x-request-id");
	cr_assert_str_eq(reply_header(&r, "Access-Control-Max-Age"), "600");
	reply_release(&r);
}

Test(http, cors_refuses_other_origins_and_unlisted_headers)
{
	static const char *const other[] = { "Origin: https://evil.example", "Access-Control-Request-Method: GET", NULL };
	static const char *const hdr[] = { "Origin: https://dash.example", "Access-Control-Request-Method: GET",
					   "Access-Control-Request-Headers: x-secret", NULL };
	struct reply r;

	http_do("OPTIONS", test_url(&srv, "/api/v1/deals"), other, &r);
	cr_assert_null(reply_header(&r, "Access-Control-Allow-Origin"));
	reply_release(&r);
	http_do("OPTIONS", test_url(&srv, "/api/v1/deals"), hdr, &r);
	cr_assert_null(reply_header(&r, "Access-Control-Allow-Headers"));
	reply_release(&r);
}

Test(http, cors_simple_requests_expose_the_list_headers)
{
	static const char *const h[] = { "Origin: http://localhost:3000", NULL };
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals?limit=1"), h, &r);
	cr_assert_str_eq(reply_header(&r, "Access-Control-Allow-Origin"), "http://localhost:3000");
	cr_assert_str_eq(reply_header(&r, "Access-Control-Expose-Headers"), "X-Total-Count, Link, ETag, X-Request-Id, Content-Disposition, Retry-After");
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/nope"), h, &r);
	cr_assert_str_eq(reply_header(&r, "Access-Control-Allow-Origin"), "http://localhost:3000",
			 "errors are readable cross-origin too");
	reply_release(&r);
}

Test(http, request_ids_are_echoed_when_sane_and_made_otherwise)
{
	static const char *const good[] = { "X-Request-Id: abc-123.def:4", NULL };
	static const char *const bad[] = { "X-Request-Id: <script>", NULL };
	struct reply r;
	char first[64];

	http_get(test_url(&srv, "/healthz"), good, &r);
	cr_assert_str_eq(reply_header(&r, "X-Request-Id"), "abc-123.def:4");
	reply_release(&r);
	http_get(test_url(&srv, "/healthz"), bad, &r);
	cr_assert_eq(strlen(reply_header(&r, "X-Request-Id")), 16);
	snprintf(first, sizeof(first), "%s", reply_header(&r, "X-Request-Id"));
	reply_release(&r);
	http_get(test_url(&srv, "/healthz"), NULL, &r);
	cr_assert_str_neq(reply_header(&r, "X-Request-Id"), first);
	reply_release(&r);
}

/* r's head without the fields that differ from one request to the next: Date, X-Request-Id. */
static void stable_head(const struct reply *r, struct strbuf *out)
{
	const char *p = r->headers.buf;

	strbuf_reset(out);
	while (p && *p) {
		const char *eol = strstr(p, "\r\n");

		if (!eol)
			break;
		if (strncasecmp(p, "Date:", 5) && strncasecmp(p, "X-Request-Id:", 13))
			strbuf_add(out, p, (size_t)(eol - p + 2));
		p = eol + 2;
	}
}

/*
 * Bytes rendered at load are answered with a response each worker thread
 * builds once and queues again with another X-Request-Id (server/replies.h):
 * whatever connection and thread a request comes on, and whichever of the
 * two encodings and two methods it asks, it gets its own request id and
 * otherwise the head and the bytes the first such request got.
 */
Test(http, answers_rendered_at_load_differ_only_in_their_request_id)
{
	static const char *const paths[] = {
		"/api/v1/deals/asml-duv-plant", "/api/v1/deals", "/api/v1/countries/RO", "/api/v1",
		"/api/v1/stats",
	};
	static const char *const gzip[] = { "Accept-Encoding: gzip", NULL };
	static const char *const mine[] = { "X-Request-Id: mine-1", NULL };
	static const char *const mine_gzip[] = { "X-Request-Id: mine-1", "Accept-Encoding: gzip", NULL };
	struct strbuf want[2][2], got = STRBUF_INIT, ids = STRBUF_INIT;

	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		struct client conns[3];
		struct strbuf body[2];
		const char *url = test_url(&srv, paths[p]);
		char u[256];

		snprintf(u, sizeof(u), "%s", url);
		/* The first of each: [encoding][GET, HEAD], on a connection of its own. */
		for (int e = 0; e < 2; e++) {
			for (int m = 0; m < 2; m++) {
				struct reply r;

				strbuf_init(&want[e][m], 0);
				http_do(m ? "HEAD" : "GET", u, e ? gzip : NULL, &r);
				cr_assert_eq(r.status, 200, "%s", u);
				stable_head(&r, &want[e][m]);
				if (!m) {
					strbuf_init(&body[e], 0);
					strbuf_add(&body[e], r.body.buf, r.body.len);
				}
				reply_release(&r);
			}
			/* The list is large enough to be sent gzipped; a record may be too small. */
			if (!e || !strcmp(paths[p], "/api/v1/deals"))
				cr_assert_eq(!!strstr(want[e][0].buf, "Content-Encoding: gzip"), e, "%s", u);
		}
		for (int k = 0; k < 3; k++)
			client_init(&conns[k]);
		/* Then, on three keep-alive connections, the four kinds in turn, twice. */
		for (int i = 0; i < 48; i++) {
			int e = i % 2, m = i / 2 % 2, k = i / 4 % 3;
			bool echo = i % 7 == 3;
			const char *const *h = echo ? (e ? mine_gzip : mine) : (e ? gzip : NULL);
			const char *id;
			struct reply r;

			client_do(&conns[k], m ? "HEAD" : "GET", u, h, false, &r);
			cr_assert_eq(r.status, 200);
			stable_head(&r, &got);
			cr_assert_str_eq(got.buf, want[e][m].buf, "%s, request %d", u, i);
			if (m) {
				cr_assert_eq(r.body.len, 0);
			} else {
				cr_assert_eq(r.body.len, body[e].len, "%s, request %d", u, i);
				cr_assert(!memcmp(r.body.buf, body[e].buf, r.body.len), "%s, request %d", u, i);
			}
			id = reply_header(&r, "X-Request-Id");
			cr_assert_not_null(id);
			if (echo) {
				cr_assert_str_eq(id, "mine-1", "%s, request %d", u, i);
			} else {
				cr_assert_eq(strlen(id), 16, "%s", id);
				cr_assert_null(strstr(ids.buf ? ids.buf : "", id), "%s: id %s came twice", u, id);
				strbuf_addf(&ids, "%s,", id);
			}
			reply_release(&r);
		}
		for (int k = 0; k < 3; k++)
			client_release(&conns[k]);
		for (int e = 0; e < 2; e++) {
			strbuf_release(&body[e]);
			for (int m = 0; m < 2; m++)
				strbuf_release(&want[e][m]);
		}
	}
	strbuf_release(&got);
	strbuf_release(&ids);
}

/* Header fields are found whatever their case, the first of a repeated one (as libmicrohttpd would). */
Test(http, request_header_names_are_matched_in_any_case)
{
	static const char *const lower[] = { "x-request-id: lower-1", "accept-encoding: gzip",
					     "ORIGIN: http://localhost:3000", NULL };
	static const char *const twice[] = { "X-Request-Id: first-1", "X-Request-Id: second-2", NULL };
	char tag[64], inm[96];
	struct reply r;

	http_get(test_url(&srv, "/api/v1/deals"), lower, &r);
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(reply_header(&r, "X-Request-Id"), "lower-1");
	cr_assert_str_eq(reply_header(&r, "Content-Encoding"), "gzip");
	cr_assert_str_eq(reply_header(&r, "Access-Control-Allow-Origin"), "http://localhost:3000");
	snprintf(tag, sizeof(tag), "%s", reply_header(&r, "ETag"));
	reply_release(&r);
	snprintf(inm, sizeof(inm), "iF-nOnE-mAtCh: %s", tag);
	http_get(test_url(&srv, "/api/v1/deals"), (const char *const[]){ inm, "accept-encoding: gzip", NULL }, &r);
	cr_assert_eq(r.status, 304);
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals/asml-duv-plant"), twice, &r);
	cr_assert_str_eq(reply_header(&r, "X-Request-Id"), "first-1");
	reply_release(&r);
}

Test(http, keep_alive_serves_many_requests_on_one_connection)
{
	static const char *const paths[] = { "/api/v1/countries/kr", "/api/v1/deals?limit=3" };
	long connects = on_one_connection(200, NULL, paths, 200);

	cr_assert_eq(connects, 1, "200 requests took %ld connections", connects);
}

struct raw_case {
	char request[256];
	char status[16];        /* the status line's code */
};

ParameterizedTestParameters(http, refuses_bad_framing_and_closes)
{
	static struct raw_case cases[] = {
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", "400" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", "400" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "400" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", "501" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "501" },
		{ "POST /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n", "413" },
		{ "GET /api/v1 HTTP/1.1\r\n\r\n", "400" },
		{ "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", "400" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", "400" },
	};

	return cr_make_param_array(struct raw_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct raw_case *c, http, refuses_bad_framing_and_closes)
{
	struct strbuf out = STRBUF_INIT;
	char want[32];

	/* A second request follows the bad one: it must never be answered. */
	struct strbuf req = STRBUF_INIT;

	strbuf_addstr(&req, c->request);
	strbuf_addstr(&req, "GET /api/v1/deals/asml-duv-plant HTTP/1.1\r\nHost: x\r\n\r\n");
	raw_exchange(http_port(srv.http), req.buf, req.len, &out);
	snprintf(want, sizeof(want), "HTTP/1.1 %s ", c->status);
	cr_assert(!strncmp(out.buf, want, strlen(want)), "%s => %.200s", c->request, out.buf);
	cr_assert_not_null(strstr(out.buf, "application/problem+json"), "%.300s", out.buf);
	cr_assert_not_null(strstr(out.buf, "Connection: close"));
	cr_assert_null(strstr(out.buf, "\nHTTP/1.1 "), "nothing behind it was served: %s", out.buf);
	cr_assert_null(strstr(out.buf, "asml-duv-plant"), "nothing behind it was served: %s", out.buf);
	cr_assert_null(strstr(out.buf, "100 Continue"));
	strbuf_release(&out);
	strbuf_release(&req);
}

/* A raw request with NUL bytes: its length is given. */
struct hostile_case {
	char request[200];
	size_t len;             /* 0: strlen(request) */
	int status;
	char detail[200];
};

#define NUL_TARGET "GET /api/v1/meetings/bilateral-nl\0x HTTP/1.1\r\nHost: x\r\n\r\n"
#define NUL_HEADER "GET /api/v1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\0gzip\r\n\r\n0\r\n\r\n"

ParameterizedTestParameters(http, hostile_heads_get_a_problem_that_names_the_fault)
{
	static struct hostile_case cases[] = {
		{ NUL_TARGET, sizeof(NUL_TARGET) - 1, 400, "the request target contains a NUL byte" },
		{ NUL_HEADER, sizeof(NUL_HEADER) - 1, 400, "a header contains a NUL byte" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 0, 400,
		  "a header line is folded onto the next (obs-fold), which HTTP/1.1 forbids in requests" },
		{ "GET /api/v1 HTTP/1.1\nHost: x\n\n", 0, 400,
		  "a line of the request head ends in a bare LF; HTTP/1.1 lines end in CR LF" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked \r\n\r\n", 0, 501,
		  "Transfer-Encoding has whitespace after chunked, which this server cannot read as "
		  "chunked (libmicrohttpd 0.9.75 takes it for another coding)" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\t\r\n\r\n", 0, 501,
		  "Transfer-Encoding has whitespace after chunked, which this server cannot read as "
		  "chunked (libmicrohttpd 0.9.75 takes it for another coding)" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: a b/c\r\n\r\n", 0, 400,
		  "Host is not a host name or address with an optional port (RFC 9110 section 7.2)" },
		{ "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\nConnection: close\r\n\r\n",
		  0, 501, "CONNECT asks for a tunnel, and this server is not a proxy; it answers GET, "
		  "HEAD and OPTIONS" },
		{ "GET example.org HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0, 400,
		  "the request target is neither a path starting with '/' nor an http URL" },
		{ "GET /a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/0/1/2/3/4/5/6 HTTP/1.1\r\n"
		  "Host: x\r\nConnection: close\r\n\r\n", 0, 400, "the path has more than 32 segments" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3 \r\n\r\nabc", 0, 400,
		  "Content-Length has whitespace after its digits: RFC 9110 allows it, but "
		  "libmicrohttpd 0.9.75, which this server runs on, cannot read it" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", 0, 400,
		  "Content-Length is not a number of bytes (only digits, no sign)" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n", 0, 400,
		  "Content-Length is not a number of bytes (only digits, no sign)" },
		{ "GET /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
		  0, 413, "the request body is larger than this server accepts" },
	};

	return cr_make_param_array(struct hostile_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct hostile_case *c, http, hostile_heads_get_a_problem_that_names_the_fault)
{
	struct strbuf out = STRBUF_INIT;
	char want[32];
	const char *body;
	cJSON *j;

	raw_exchange(http_port(srv.http), c->request, c->len ? c->len : strlen(c->request), &out);
	snprintf(want, sizeof(want), "HTTP/1.1 %d ", c->status);
	cr_assert(!strncmp(out.buf, want, strlen(want)), "%s => %.200s", c->request, out.buf);
	cr_assert_not_null(strstr(out.buf, "Content-Type: application/problem+json"), "%.300s", out.buf);
	cr_assert_null(strstr(out.buf, "\nHTTP/1."), "one answer, one head: %s", out.buf);
	body = strstr(out.buf, "\r\n\r\n");
	cr_assert_not_null(body);
	j = cJSON_Parse(body + 4);
	cr_assert_not_null(j, "%s", body + 4);
	cr_assert_str_eq(cJSON_GetObjectItem(j, "detail")->valuestring, c->detail);
	cJSON_Delete(j);
	strbuf_release(&out);
}

/*
 * Sends head, then n times part, then tail, and asserts a problem with this
 * status whose body has want (when not NULL).
 */
static void assert_big_request_refused(const char *head, const char *part, size_t n,
				       const char *tail, int status, const char *want)
{
	struct strbuf req = STRBUF_INIT, out = STRBUF_INIT;
	char line[32];

	strbuf_addstr(&req, head);
	for (size_t i = 0; i < n; i++)
		strbuf_addstr(&req, part);
	strbuf_addstr(&req, tail);
	raw_exchange(http_port(srv.http), req.buf, req.len, &out);
	snprintf(line, sizeof(line), "HTTP/1.1 %d ", status);
	cr_assert(!strncmp(out.buf, line, strlen(line)), "%zu x %s: %.100s", n, part, out.buf);
	cr_assert_not_null(strstr(out.buf, "application/problem+json"), "%.300s", out.buf);
	if (want)
		cr_assert_not_null(strstr(out.buf, want), "%.600s", out.buf);
	strbuf_release(&req);
	strbuf_release(&out);
}

/* Parameters beyond what libmicrohttpd's memory pool holds: it used to drop the request. */
Test(http, thousands_of_query_parameters_get_a_400)
{
	assert_big_request_refused("GET /api/v1/deals?", "a&", 2000,
				   " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400,
				   "\"detail\":\"the query has more than 64 parameters\"");
}

/* More header fields than libmicrohttpd's pool holds: its refusal, given in JSON. */
Test(http, thousands_of_header_fields_get_a_431_in_json)
{
	assert_big_request_refused("GET /api/v1 HTTP/1.1\r\nHost: x\r\n", "a:\r\n", 3000, "\r\n",
				   431, NULL);
}

/*
 * A target that fills the memory pool leaves no room for the head of the 414.
 * (Where the pool's end falls depends on how the bytes arrive: from about
 * 250 bytes short of it on, libmicrohttpd refuses the target itself.)
 */
Test(http, a_target_that_fills_the_memory_pool_still_gets_its_414)
{
	const size_t pool = http_pool_size(&srv.cfg);

	for (size_t n = pool - 2500; n <= pool - 500; n += 500)
		assert_big_request_refused("GET /", "a", n, " HTTP/1.1\r\nHost: x\r\n\r\n", 414, NULL);
}

Test(http, oversized_targets_and_headers_get_414_and_431_in_json)
{
	struct strbuf req = STRBUF_INIT, out = STRBUF_INIT;

	strbuf_addstr(&req, "GET /api/v1/deals?q=");
	for (int i = 0; i < 9000; i++)
		strbuf_addch(&req, 'a');
	strbuf_addstr(&req, " HTTP/1.1\r\nHost: x\r\n\r\n");
	raw_exchange(http_port(srv.http), req.buf, req.len, &out);
	cr_assert(!strncmp(out.buf, "HTTP/1.1 414 ", 13), "%.100s", out.buf);
	cr_assert_not_null(strstr(out.buf, "application/problem+json"));
	strbuf_reset(&req);
	strbuf_reset(&out);
	strbuf_addstr(&req, "GET /api/v1 HTTP/1.1\r\nHost: x\r\nX-Big: ");
	for (int i = 0; i < 12000; i++)
		strbuf_addch(&req, 'a');
	strbuf_addstr(&req, "\r\n\r\n");
	raw_exchange(http_port(srv.http), req.buf, req.len, &out);
	cr_assert(!strncmp(out.buf, "HTTP/1.1 431 ", 13), "%.100s", out.buf);
	cr_assert_not_null(strstr(out.buf, "application/problem+json"));
	strbuf_release(&req);
	strbuf_release(&out);
}

Test(http, a_chunked_body_past_the_limit_is_answered_413_at_its_end)
{
	struct strbuf req = STRBUF_INIT, out = STRBUF_INIT;

	/* 70 000 bytes in chunks of 10 000: over the 65 536 default, under the point of closing. */
	strbuf_addstr(&req, "POST /api/v1/deals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
	for (int i = 0; i < 7; i++) {
		strbuf_addstr(&req, "2710\r\n");
		for (int k = 0; k < 10000; k++)
			strbuf_addch(&req, 'a');
		strbuf_addstr(&req, "\r\n");
	}
	strbuf_addstr(&req, "0\r\n\r\n");
	raw_exchange(http_port(srv.http), req.buf, req.len, &out);
	cr_assert(!strncmp(out.buf, "HTTP/1.1 413 ", 13), "%.100s", out.buf);
	cr_assert_not_null(strstr(out.buf, "application/problem+json"));
	strbuf_release(&req);
	strbuf_release(&out);
}

Test(http, a_small_body_on_a_get_route_is_read_and_answered_405)
{
	struct strbuf out = STRBUF_INIT;
	static const char req[] = "POST /api/v1/deals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
				  "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n";

	raw_exchange(http_port(srv.http), req, sizeof(req) - 1, &out);
	cr_assert(!strncmp(out.buf, "HTTP/1.1 405 ", 13), "%.100s", out.buf);
	strbuf_release(&out);
}

/*
 * libmicrohttpd refuses an unparsable Content-Length itself, before any
 * callback, and 0.9.75 sends the head of its refusal twice; the server
 * answers in its stead (see take_over() in server/http.c).
 */
Test(http, a_negative_content_length_is_refused_once_in_json)
{
	struct strbuf out = STRBUF_INIT;
	static const char req[] = "GET /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"
				  "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

	raw_exchange(http_port(srv.http), req, sizeof(req) - 1, &out);
	cr_assert(!strncmp(out.buf, "HTTP/1.1 400 ", 13), "%.100s", out.buf);
	cr_assert_not_null(strstr(out.buf, "application/problem+json"), "%.300s", out.buf);
	cr_assert_null(strstr(out.buf, "\nHTTP/1."), "one head: %s", out.buf);
	cr_assert_null(strstr(out.buf, "\"ok\""), "nothing behind it was served");
	strbuf_release(&out);
}

Test(http, the_dashboard_is_served_with_its_media_types_and_a_content_security_policy)
{
	static const char *const gz[] = { "Accept-Encoding: gzip", NULL };
	static const char *const html[] = { "Accept: text/html,application/xhtml+xml", NULL };
	struct reply r;

	http_get(test_url(&srv, "/"), html, &r);
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(reply_header(&r, "Content-Type"), "text/html; charset=utf-8");
	cr_assert(strstr(reply_header(&r, "Content-Security-Policy"), "default-src 'self'"));
	cr_assert(strstr(r.body.buf, "<script src=\"app.js\" defer></script>"));
	reply_release(&r);
	http_get(test_url(&srv, "/app.js"), gz, &r);
	cr_assert_str_eq(reply_header(&r, "Content-Type"), "text/javascript; charset=utf-8");
	cr_assert_str_eq(reply_header(&r, "Content-Encoding"), "gzip");
	reply_release(&r);
	http_get(test_url(&srv, "/style.css"), NULL, &r);
	cr_assert_str_eq(reply_header(&r, "Content-Type"), "text/css; charset=utf-8");
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals"), html, &r);
	assert_problem(&r, 406);
	reply_release(&r);
}

Test(http, static_files_never_leave_their_root)
{
	static const char *const paths[] = {
		"/..", "/%2e%2e", "/.%2e", "/%2e%2e%2fetc%2fpasswd", "/..%2f..%2fetc%2fpasswd", "/../etc/passwd",
		"/.git", "/%2F", "/web", "/index.html%00.js",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct strbuf req = STRBUF_INIT, out = STRBUF_INIT;

		strbuf_addf(&req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", paths[i]);
		raw_exchange(http_port(srv.http), req.buf, req.len, &out);
		cr_assert(!strncmp(out.buf, "HTTP/1.1 404 ", 13) || !strncmp(out.buf, "HTTP/1.1 400 ", 13),
			  "%s: %.60s", paths[i], out.buf);
		cr_assert_null(strstr(out.buf, "root:"), "%s", paths[i]);
		strbuf_release(&req);
		strbuf_release(&out);
	}
}

Test(http, http_1_0_without_host_is_served)
{
	struct strbuf out = STRBUF_INIT;
	static const char req[] = "GET /healthz HTTP/1.0\r\n\r\n";

	raw_exchange(http_port(srv.http), req, sizeof(req) - 1, &out);
	cr_assert(!strncmp(out.buf, "HTTP/1.1 200 ", 13), "%.100s", out.buf);
	strbuf_release(&out);
}
