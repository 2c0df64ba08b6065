/*
 * Tests for handlers/response.c and handlers/blob.c: the JSON and problem
 * helpers, and the bytes rendered once.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <zlib.h>

#include "handlers/blob.h"
#include "handlers/response.h"

static struct request req(const char *target, const char *inm)
{
	struct request r = { 0 };

	r.target = target;
	r.path = target;
	r.request_id = "rid-1";
	r.if_none_match = inm;
	return r;
}

Test(response, problems_are_rfc_9457_objects)
{
	struct request rq = req("/x?y=1", NULL);
	struct response res;

	response_init(&res);
	response_problem(&rq, &res, 404, "no deal with id \"%s\"", "q\"x");
	cr_assert_eq(res.status, 404);
	cr_assert_str_eq(res.content_type, "application/problem+json; charset=utf-8");
	cr_assert_eq(res.cache, CACHE_NO_STORE);
	cr_assert_str_eq(res.body, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
				   "\"detail\":\"no deal with id \\\"q\\\"x\\\"\",\"instance\":\"/x?y=1\","
				   "\"request_id\":\"rid-1\"}");
	cr_assert_eq(res.etag[0], '\0');
	response_release(&res);
}

Test(response, a_query_problem_names_the_parameter_and_what_is_allowed)
{
	struct request rq = req("/d?x=1", NULL);
	struct query_error err;
	struct response res;

	query_error_init(&err);
	err.param = "x";
	err.allowed[0] = "a";
	err.allowed[1] = "b";
	err.nallowed = 2;
	strbuf_addstr(&err.detail, "unknown parameter \"x\"");
	response_init(&res);
	response_query_problem(&rq, &res, &err);
	cr_assert_eq(res.status, 400);
	cr_assert(strstr(res.body, "\"parameter\":\"x\",\"allowed\":[\"a\",\"b\"]"), "%s", res.body);
	response_release(&res);
	query_error_release(&err);
}

Test(response, method_not_allowed_sets_allow)
{
	struct request rq = req("/api/v1/deals", NULL);
	struct response res;

	rq.method = HTTP_DELETE;
	response_init(&res);
	response_method_not_allowed(&rq, &res, "GET, HEAD, OPTIONS");
	cr_assert_eq(res.status, 405);
	cr_assert_str_eq(res.allow, "GET, HEAD, OPTIONS");
	cr_assert(strstr(res.body, "DELETE is not allowed on /api/v1/deals; allowed: GET, HEAD, OPTIONS"));
	response_release(&res);
}

Test(response, huge_targets_are_cut_in_the_instance)
{
	char target[2000];
	struct request rq;
	struct response res;

	memset(target, 'a', sizeof(target) - 1);
	target[0] = '/';
	target[sizeof(target) - 1] = '\0';
	rq = req(target, NULL);
	response_init(&res);
	response_problem(&rq, &res, 414, "too long");
	cr_assert_lt(res.len, 700);
	cr_assert(strstr(res.body, "aaa...\""));
	response_release(&res);
}

Test(response, json_owned_takes_the_bytes_and_tags_them)
{
	struct strbuf body = STRBUF_INIT;
	struct response res;

	strbuf_addstr(&body, "{}");
	response_init(&res);
	response_json_owned(&res, &body, 0xabcdef);
	cr_assert_eq(body.len, 0);
	cr_assert_str_eq(res.body, "{}");
	cr_assert_str_eq(res.etag, "\"0000000000abcdef\"");
	cr_assert_eq(res.cache, CACHE_PUBLIC);
	response_release(&res);
}

Test(response, not_modified_matches_either_representation_and_weak_forms)
{
	struct request a = req("/", "\"0000000000000001\""), b = req("/", "\"0000000000000001-gz\"");
	struct request c = req("/", "W/\"0000000000000001\""), d = req("/", "\"0000000000000002\"");
	struct request e = req("/", "*"), f = req("/", NULL);
	struct response res;

	response_init(&res);
	cr_assert(response_not_modified(&a, &res, 1));
	cr_assert_eq(res.status, 304);
	cr_assert_str_eq(res.etag, "\"0000000000000001\"");
	cr_assert(response_not_modified(&b, &res, 1));
	cr_assert(response_not_modified(&c, &res, 1));
	cr_assert(response_not_modified(&e, &res, 1));
	cr_assert_not(response_not_modified(&d, &res, 1));
	cr_assert_not(response_not_modified(&f, &res, 1));
	response_release(&res);
}

/* RFC 9110 15.4.5: a 304 says what the 200 would have said of caching. */
Test(response, not_modified_keeps_the_caching_policy_and_drops_the_list_headers)
{
	struct request a = req("/healthz", "\"0000000000000001\"");
	struct strbuf body = STRBUF_INIT, link = STRBUF_INIT;
	struct response res;

	response_init(&res);
	strbuf_addstr(&body, "{}");
	response_json_owned(&res, &body, 1);
	response_no_store(&res);
	cr_assert(response_not_modified(&a, &res, 1));
	cr_assert_eq(res.cache, CACHE_NO_STORE, "a no-store 200 makes a no-store 304");
	response_release(&res);

	response_init(&res);
	strbuf_addstr(&body, "{}");
	strbuf_addstr(&link, "</x?limit=1&offset=0>; rel=\"first\"");
	response_list(&res, &body, 1, 7, &link);
	cr_assert(response_not_modified(&a, &res, 1));
	cr_assert_eq(res.cache, CACHE_PUBLIC);
	cr_assert_not(res.has_total, "no X-Total-Count on a 304");
	cr_assert_null(res.link, "no Link on a 304");
	response_release(&res);
	strbuf_release(&body);
	strbuf_release(&link);
}

Test(blob, compresses_when_it_gains_and_tags_the_bytes)
{
	struct strbuf sb = STRBUF_INIT;
	struct blob b, small;
	char out[8192];
	uLongf outlen = sizeof(out);
	z_stream z = { 0 };

	for (int i = 0; i < 200; i++)
		strbuf_addstr(&sb, "{\"id\":\"deal\"},");
	blob_from_strbuf(&b, &sb, "application/json", 1024);
	cr_assert_not_null(b.gz);
	cr_assert_lt(b.gz_len, b.len);
	cr_assert_eq(b.tag, hash_bytes(HASH_SEED, b.bytes, b.len));
	inflateInit2(&z, 15 + 16);
	z.next_in = (Bytef *)b.gz;
	z.avail_in = (uInt)b.gz_len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)outlen;
	cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	cr_assert_eq(z.total_out, b.len);
	cr_assert(memcmp(out, b.bytes, b.len) == 0);
	inflateEnd(&z);
	blob_release(&b);

	strbuf_addstr(&sb, "{}");
	blob_from_strbuf(&small, &sb, "application/json", 1024);
	cr_assert_null(small.gz, "small bodies are not compressed");
	blob_release(&small);
}
