/*
 * Tests for handlers/list.c: the list, record and related-list handlers of
 * every resource route, called directly with a struct request.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "handlers/list.h"
#include "tests/support/handler.h"
#include "tests/support/support.h"

static struct call c;

static void setup(void)
{
	call_init(&c, FIXTURES "query.json");
}

static void teardown(void)
{
	call_release(&c);
}

TestSuite(list, .init = setup, .fini = teardown);

Test(list, an_unfiltered_list_is_the_page_rendered_at_load)
{
	call_get(&c, "/api/v1/deals");
	cr_assert_eq(c.res.status, 200);
	cr_assert_eq(c.res.body, c.site->lists[STORE_DEALS].body.bytes, "no copy, no render");
	cr_assert(c.res.has_total);
	cr_assert_eq(c.res.total, 6);
	cr_assert_str_eq(c.res.link, "</api/v1/deals?limit=50&offset=0>; rel=\"first\", "
					 "</api/v1/deals?limit=50&offset=0>; rel=\"last\"");
}

Test(list, renders_the_envelope_with_links)
{
	cJSON *j;

	call_get(&c, "/api/v1/deals?sort=title&limit=2&offset=2&fields=id");
	cr_assert_str_eq(c.res.body,
			 "{\"data\":[{\"id\":\"d2\"},{\"id\":\"d4\"}],\"meta\":{\"total\":6,\"limit\":2,\"offset\":2},"
			 "\"links\":{\"self\":\"/api/v1/deals?sort=title&fields=id&limit=2&offset=2\","
			 "\"next\":\"/api/v1/deals?sort=title&fields=id&limit=2&offset=4\","
			 "\"prev\":\"/api/v1/deals?sort=title&fields=id&limit=2&offset=0\"}}");
	j = call_json(&c);
	cJSON_Delete(j);
	cr_assert_str_eq(c.res.link,
			 "</api/v1/deals?sort=title&fields=id&limit=2&offset=0>; rel=\"first\", "
			 "</api/v1/deals?sort=title&fields=id&limit=2&offset=0>; rel=\"prev\", "
			 "</api/v1/deals?sort=title&fields=id&limit=2&offset=4>; rel=\"next\", "
			 "</api/v1/deals?sort=title&fields=id&limit=2&offset=4>; rel=\"last\"");
}

Test(list, projections_keep_members_in_the_order_asked)
{
	call_get(&c, "/api/v1/deals?fields=value,id&limit=1");
	cr_assert(strstr(c.res.body, "\"data\":[{\"value\":{\"amount\":260000000000,\"currency\":\"KRW\","
				     "\"basis\":\"contract\",\"estimate\":false},\"id\":\"d1\"}]"),
		  "%s", c.res.body);
}

Test(list, facets_render_values_and_nulls)
{
	call_get(&c, "/api/v1/deals?facet=value.currency&limit=0");
	cr_assert(strstr(c.res.body, "\"facets\":{\"value.currency\":[{\"value\":\"KRW\",\"count\":3},"
				     "{\"value\":\"USD\",\"count\":1},{\"value\":null,\"count\":2}]}"),
		  "%s", c.res.body);
	call_get(&c, "/api/v1/deals?facet=value.estimate&limit=0");
	cr_assert(strstr(c.res.body, "\"facets\":{\"value.estimate\":[{\"value\":false,\"count\":3},"
				     "{\"value\":true,\"count\":1},{\"value\":null,\"count\":2}]}"),
		  "%s", c.res.body);
}

Test(list, limit_zero_has_no_next_or_prev)
{
	call_get(&c, "/api/v1/deals?limit=0&offset=3");
	cr_assert(strstr(c.res.body, "\"next\":null,\"prev\":null"), "%s", c.res.body);
	cr_assert(strstr(c.res.link, "rel=\"first\""));
	cr_assert_null(strstr(c.res.link, "rel=\"next\""));
}

Test(list, links_encode_what_needs_encoding)
{
	call_get(&c, "/api/v1/deals?q=a%26b%3Dc%2Bd%20e&limit=1");
	cr_assert(strstr(c.res.body, "\"self\":\"/api/v1/deals?q=a%26b%3Dc%2Bd%20e&limit=1&offset=0\""),
		  "%s", c.res.body);
}

/* A page's URL is escaped for JSON in the body (the path is the part that can need it), not in Link. */
Test(list, links_in_the_body_escape_the_path_for_json)
{
	const struct collection *col = site_collection(c.site, &deal_resource);
	const struct query_param params[] = { { "sort", "title" }, { "limit", "1" } };
	struct strbuf body = STRBUF_INIT, link = STRBUF_INIT;
	struct query_error err;
	struct query_result r;
	struct query q;

	query_error_init(&err);
	cr_assert_eq(query_parse(&q, &deal_resource, params, 2, &err), 0);
	query_run(&q, col, &r);
	list_render(col, &q, &r, "/a\"b\\c\x01\xc3\xa9", params, 2, &body, &link);
	cr_assert(strstr(body.buf, "\"links\":{\"self\":\"/a\\\"b\\\\c\\u0001\xc3\xa9?sort=title&limit=1&offset=0\","
			 "\"next\":\"/a\\\"b\\\\c\\u0001\xc3\xa9?sort=title&limit=1&offset=1\",\"prev\":null}}"),
		  "%s", body.buf);
	cr_assert(!strncmp(link.buf, "</a\"b\\c\x01\xc3\xa9?sort=title&limit=1&offset=0>; rel=\"first\"", 48),
		  "%s", link.buf);
	strbuf_release(&body);
	strbuf_release(&link);
	query_result_release(&r);
	query_release(&q);
	query_error_release(&err);
}

Test(list, a_bad_query_is_a_problem_and_builds_nothing)
{
	cr_assert_str_eq(call_problem((call_get(&c, "/api/v1/deals?limit=5000"), &c), 400),
			 "limit must be an integer from 0 to 1000, got \"5000\"");
}

Test(list, if_none_match_answers_304_before_running_the_query)
{
	char tag[ETAG_SIZE];

	call_get(&c, "/api/v1/deals?status=proposed");
	cr_assert_eq(c.res.status, 200);
	snprintf(tag, sizeof(tag), "%s", c.res.etag);
	c.if_none_match = tag;
	call_get(&c, "/api/v1/deals?status=proposed");
	cr_assert_eq(c.res.status, 304);
	cr_assert_eq(c.res.len, 0);
	cr_assert_null(c.res.body);
	cr_assert_not(c.res.has_total, "the query never ran");
	call_get(&c, "/api/v1/deals?status=agreed");
	cr_assert_eq(c.res.status, 200, "another query, another tag");
}

Test(list, a_country_and_its_related_lists)
{
	call_get(&c, "/api/v1/countries/ro");
	cr_assert_eq(c.res.status, 200);
	/* Every member is there: absent ones null, or [] for a list (aliases, inferences). */
	cr_assert_str_eq(c.res.body, "{\"code\":\"RO\",\"name\":\"Romania\",\"aliases\":[],\"leader\":null,"
				     "\"roles\":[],\"plans\":[],\"resources\":[],\"organizations\":[],"
				     "\"summary\":null,\"evidence\":[{\"source\":\"made-up\",\"quote\":\"Romania\"}],"
				     "\"inferences\":[]}");
	call_get(&c, "/api/v1/countries/ro/deals?fields=id");
	cr_assert(strstr(c.res.body, "\"data\":[{\"id\":\"d1\"},{\"id\":\"d2\"}]"), "%s", c.res.body);
	call_get(&c, "/api/v1/countries/fi/meetings?fields=id");
	cr_assert(strstr(c.res.body, "\"data\":[{\"id\":\"m-fi\"}]"), "%s", c.res.body);
	cr_assert_str_eq(call_problem((call_get(&c, "/api/v1/countries/zz/deals"), &c), 404),
			 "no country with code \"zz\"");
}

Test(list, a_meeting_and_its_deals)
{
	call_get(&c, "/api/v1/meetings/m-ro");
	cr_assert_eq(c.res.status, 200);
	cr_assert(strstr(c.res.body, "\"id\":\"m-ro\""));
	call_get(&c, "/api/v1/meetings/m-ro/deals?sort=-title&fields=id");
	cr_assert(strstr(c.res.body, "\"data\":[{\"id\":\"d1\"},{\"id\":\"d2\"}]"), "%s", c.res.body);
	cr_assert_str_eq(call_problem((call_get(&c, "/api/v1/meetings/M-RO"), &c), 404),
			 "no meeting with id \"M-RO\"");
}

Test(list, a_deal_is_the_bytes_rendered_at_load)
{
	call_get(&c, "/api/v1/deals/d4");
	cr_assert_eq(c.res.status, 200);
	cr_assert_eq(c.res.body, store_collection(c.site->store, STORE_DEALS)->json[3].json);
	call_get(&c, "/api/v1/deals/d4?fields=value_alt");
	cr_assert_str_eq(c.res.body, "{\"value_alt\":{\"amount\":940000000000,\"currency\":\"USD\","
				     "\"basis\":\"market\",\"estimate\":true}}");
	cr_assert_str_eq(call_problem((call_get(&c, "/api/v1/deals/d4?sort=id"), &c), 400),
			 "unknown parameter \"sort\": a single deal takes only fields, format and bom");
}

/* A call over n generated deals (tests/support), whose requests have budget b. */
static void call_init_deals(struct call *big, int n, struct list_budget *b)
{
	char path[64];

	support_deals_file(path, sizeof(path), n);
	call_init(big, path);
	unlink(path);
	big->budget = b;
}

Test(list_budget, refuses_a_query_past_max_scan_and_turns_away_an_expensive_one_when_full)
{
	struct list_budget budget = { .max_scan = 19000, .max_expensive = 1 };
	struct call big;

	call_init_deals(&big, 20000, &budget);

	call_get(&big, "/api/v1/deals?title:contains=deal");   /* 20,000 titles, then their records */
	cr_assert_str_eq(call_problem(&big, 400),
			 "this query would examine 40000 records and values, more than the 19000 this "
			 "server examines for one request (max-scan); narrow it with a filter on a field "
			 "(field=value, field:gte=value)");
	call_get(&big, "/api/v1/deals?status=proposed&limit=1");   /* 18,000: expensive */
	cr_assert_eq(big.res.status, 200);
	cr_assert_eq(atomic_load(&budget.running), 0, "its place was given back");
	atomic_store(&budget.running, 1);   /* another expensive one runs */
	call_get(&big, "/api/v1/deals?status=proposed&limit=1");
	cr_assert(strstr(call_problem(&big, 503), "this query would examine 18000 records and values, "
				"and the 1 queries this server runs at once"));
	cr_assert_str_eq(big.res.retry_after, "1");
	call_get(&big, "/api/v1/deals?status=agreed&limit=1");   /* 2,000: cheap, served */
	cr_assert_eq(big.res.status, 200);
	call_get(&big, "/api/v1/deals?limit=5");   /* an unfiltered page: its own length */
	cr_assert_eq(big.res.status, 200);
	call_release(&big);
}

/*
 * limit=all is one plan like any page: priced by the budget before its first
 * byte, and its place among the expensive queries given back once its
 * matches are chosen, not held while a client downloads.
 */
Test(list_budget, prices_a_whole_export_as_one_plan)
{
	struct list_budget budget = { .max_scan = 19000, .max_expensive = 1 };
	struct call big;
	struct strbuf body = STRBUF_INIT;

	call_init_deals(&big, 20000, &budget);

	call_get(&big, "/api/v1/deals?format=ndjson&limit=all");
	cr_assert_str_eq(call_problem(&big, 400),
			 "this query would examine 20000 records and values, more than the 19000 this "
			 "server examines for one request (max-scan); narrow it with a filter on a field "
			 "(field=value, field:gte=value), or export it a page at a time (limit, offset)");
	call_get(&big, "/api/v1/deals?format=ndjson&limit=1000&offset=19000");
	cr_assert_eq(big.res.status, 200, "a page of it is served");
	atomic_store(&budget.running, 1);   /* another expensive one runs */
	call_get(&big, "/api/v1/deals?format=csv&limit=all&status=proposed");   /* 18,000: expensive */
	cr_assert(strstr(call_problem(&big, 503), "this query would examine 18000 records and values"));
	cr_assert_str_eq(big.res.retry_after, "1");
	atomic_store(&budget.running, 0);
	call_get(&big, "/api/v1/deals?format=csv&limit=all&status=proposed");
	cr_assert_eq(big.res.status, 200);
	cr_assert(body_stream_present(&big.res.stream), "streamed");
	cr_assert_eq(atomic_load(&budget.running), 0, "its place was given back before the stream");
	body_stream_drain(&big.res.stream, &body);
	cr_assert_eq(big.res.total, 18000);
	strbuf_release(&body);
	call_release(&big);
}

/*
 * More records than max-scan: a search is priced by the postings and words
 * it reads, so a rare word is served where counting every record refused it,
 * while a broad prefix or phrase is refused, and one in between is expensive.
 */
Test(list_budget, prices_a_search_by_what_its_index_reads, .timeout = 120)
{
	struct list_budget budget = { .max_scan = 200000, .max_expensive = 1 };
	struct call big;
	const char *detail;

	call_init_deals(&big, 210000, &budget);

	/* A rare word: one posting listed, then scored. */
	call_get(&big, "/api/v1/deals?q=123456");
	cr_assert_eq(big.res.status, 200, "%s", big.res.body);
	cr_assert_eq(big.res.total, 1);
	/* A phrase of a rare word: one candidate, whose words are read. */
	call_get(&big, "/api/v1/deals?q=%22deal%20number%20123456%22");
	cr_assert_eq(big.res.status, 200, "%s", big.res.body);
	cr_assert_eq(big.res.total, 1);
	/* A word of one deal in ten: 21,000 postings listed and scored, an expensive query. */
	call_get(&big, "/api/v1/deals?q=agreed&limit=1");
	cr_assert_eq(big.res.status, 200, "%s", big.res.body);
	cr_assert_eq(big.res.total, 21000);
	cr_assert_eq(atomic_load(&budget.running), 0, "its place was given back");
	atomic_store(&budget.running, 1);   /* another expensive one runs */
	call_get(&big, "/api/v1/deals?q=agreed&limit=1");
	cr_assert_str_eq(call_problem(&big, 503),
			 "this query would examine 42000 records and values, and the 1 queries this "
			 "server runs at once that examine more than 10000 are running "
			 "(max-expensive-queries); try again in a second, or narrow it with a filter, "
			 "or search for rarer or longer words");
	call_get(&big, "/api/v1/deals?q=123456");   /* a cheap search is still served */
	cr_assert_eq(big.res.status, 200);
	atomic_store(&budget.running, 0);

	/* A prefix every deal's title has a word for: 210,000 postings, twice. */
	call_get(&big, "/api/v1/deals?q=numb");
	cr_assert_str_eq(call_problem(&big, 400),
			 "this query would examine 420000 records and values, more than the 200000 this "
			 "server examines for one request (max-scan); narrow it with a filter on a field "
			 "(field=value, field:gte=value), or search for rarer or longer words");
	/* A phrase of common words: every deal a candidate, and its words read. */
	call_get(&big, "/api/v1/deals?q=%22some%20room%22");
	detail = call_problem(&big, 400);
	cr_assert(strstr(detail, "this query would examine ") == detail &&
		  strstr(detail, " records and values, more than the 200000 this server examines "
				 "for one request (max-scan)"), "%s", detail);
	/* 21,000 candidates are few, but reading their words to check a phrase is not. */
	call_get(&big, "/api/v1/deals?q=%22agreed%20deal%22");
	detail = call_problem(&big, 400);
	cr_assert(strstr(detail, " records and values, more than the 200000 "), "%s", detail);
	cr_assert_eq(atomic_load(&budget.running), 0);
	call_release(&big);
}
