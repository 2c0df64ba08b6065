/*
 * Tests for handlers/export.c: CSV and NDJSON bodies of lists and records,
 * paged in memory or streamed in chunks, against the JSON answer to the
 * same query.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "handlers/export.h"
#include "handlers/site.h"
#include "lib/mem.h"
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

TestSuite(export, .init = setup, .fini = teardown);

/* The body of the last answer, read to its end when it is streamed. */
static char *body_of(struct call *k)
{
	struct strbuf sb = STRBUF_INIT;

	if (body_stream_present(&k->res.stream))
		body_stream_drain(&k->res.stream, &sb);
	else
		strbuf_add(&sb, k->res.body, k->res.len);
	return strbuf_detach(&sb, NULL);
}

/* GET target: a 200 whose body, streamed or not, is want. */
static void expect_body(const char *target, const char *want)
{
	char *body;

	call_get(&c, target);
	cr_assert_eq(c.res.status, 200, "%s: %d", target, c.res.status);
	body = body_of(&c);
	cr_assert_str_eq(body, want, "%s", target);
	free(body);
}

Test(export, a_csv_page_is_a_header_and_a_row_a_record_with_paging_headers)
{
	char *body;

	call_get(&c, "/api/v1/deals?format=csv&fields=id,value,countries&sort=-value.amount&limit=2&offset=1");
	cr_assert_eq(c.res.status, 200);
	body = body_of(&c);
	cr_assert_str_eq(body, "id,value.amount,value.currency,value.basis,value.estimate,countries\r\n"
			       "d5,2500000000000,KRW,project,false,KR; SE\r\n"
			       "d1,260000000000,KRW,contract,false,KR; RO\r\n");
	cr_assert(c.res.has_total);
	cr_assert_eq(c.res.total, 6);
	cr_assert_str_eq(c.res.link,
			 "</api/v1/deals?format=csv&fields=id,value,countries&sort=-value.amount&limit=2&offset=0>; rel=\"first\", "
			 "</api/v1/deals?format=csv&fields=id,value,countries&sort=-value.amount&limit=2&offset=0>; rel=\"prev\", "
			 "</api/v1/deals?format=csv&fields=id,value,countries&sort=-value.amount&limit=2&offset=3>; rel=\"next\", "
			 "</api/v1/deals?format=csv&fields=id,value,countries&sort=-value.amount&limit=2&offset=4>; rel=\"last\"");
	free(body);
}

Test(export, ndjson_lines_are_the_json_lists_records)
{
	cJSON *j, *rec;
	char *body, *line;
	int i = 0;

	call_get(&c, "/api/v1/deals?sector=nuclear&fields=id,value_alt,title&format=json");
	j = call_json(&c);
	call_get(&c, "/api/v1/deals?sector=nuclear&fields=id,value_alt,title&format=ndjson");
	cr_assert_str_eq(c.res.content_type, "application/x-ndjson");
	body = body_of(&c);
	cr_assert_eq(body[strlen(body) - 1], '\n', "every line ends");
	for (line = strtok(body, "\n"); line; line = strtok(NULL, "\n")) {
		char *want;

		rec = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "data"), i++);
		cr_assert_not_null(rec);
		want = cJSON_PrintUnformatted(rec);
		cr_assert_str_eq(line, want);
		free(want);
	}
	cr_assert_eq(i, cJSON_GetArraySize(cJSON_GetObjectItem(j, "data")));
	cr_assert_eq(i, 3);
	cJSON_Delete(j);
	free(body);
}

Test(export, limit_all_streams_every_match_from_the_offset)
{
	char *body;

	call_get(&c, "/api/v1/deals?format=csv&fields=id&sort=id&limit=all&offset=2");
	cr_assert_eq(c.res.status, 200);
	cr_assert_null(c.res.body, "nothing is built before it is sent");
	cr_assert(body_stream_present(&c.res.stream));
	cr_assert(c.res.has_total);
	cr_assert_eq(c.res.total, 6, "X-Total-Count counts the matches");
	cr_assert_null(c.res.link, "an export is not a page");
	cr_assert(c.res.etag[0]);
	body = body_of(&c);
	cr_assert_str_eq(body, "id\r\nd3\r\nd4\r\nd5\r\nd6\r\n");
	free(body);
	expect_body("/api/v1/countries/RO/deals?format=ndjson&fields=id&limit=all",
		    "{\"id\":\"d1\"}\n{\"id\":\"d2\"}\n");
}

Test(export, bom_puts_the_byte_order_mark_before_the_header)
{
	expect_body("/api/v1/deals?format=csv&bom=true&fields=id&limit=1", "\xEF\xBB\xBFid\r\nd1\r\n");
	expect_body("/api/v1/deals?format=csv&bom=true&fields=id&limit=all", "\xEF\xBB\xBFid\r\nd1\r\nd2\r\nd3\r\n"
		    "d4\r\nd5\r\nd6\r\n");
}

Test(export, a_record_is_one_row_or_one_line)
{
	char *body;

	call_get(&c, "/api/v1/deals/d4?format=csv&fields=id,value_alt,countries");
	cr_assert_eq(c.res.status, 200);
	cr_assert_not(c.res.has_total, "a record is not a list");
	body = body_of(&c);
	cr_assert_str_eq(body, "id,value_alt.amount,value_alt.currency,value_alt.basis,"
			       "value_alt.estimate,countries\r\n"
			       "d4,940000000000,USD,market,true,KR; UA; PL\r\n");
	free(body);
	call_get(&c, "/api/v1/deals/d2?format=ndjson");
	body = body_of(&c);
	cr_assert_eq(strlen(body), store_collection(c.site->store, STORE_DEALS)->json[1].len + 1);
	free(body);
}

Test(export, if_none_match_answers_304_before_running_the_query)
{
	struct strbuf tag = STRBUF_INIT;

	call_get(&c, "/api/v1/deals?format=ndjson&limit=all");
	strbuf_addstr(&tag, c.res.etag);
	c.if_none_match = tag.buf;
	call_get(&c, "/api/v1/deals?format=ndjson&limit=all");
	cr_assert_eq(c.res.status, 304);
	cr_assert_not(body_stream_present(&c.res.stream), "no stream was made");
	call_get(&c, "/api/v1/deals?format=csv&limit=all");
	cr_assert_eq(c.res.status, 200, "CSV is another representation");
	c.if_none_match = NULL;
	strbuf_release(&tag);
}

Test(export, a_long_export_comes_in_chunks_that_add_up_to_the_whole)
{
	const struct collection *col = store_collection(c.site->store, STORE_DEALS);
	const struct columns *cols = site_columns(c.site, col->res);
	const uint32_t n = 20000;
	struct strbuf whole = STRBUF_INIT, pieces = STRBUF_INIT;
	struct body_stream a, b;
	struct query q = { 0 };
	size_t pulls = 0;

	for (int round = 0; round < 2; round++) {
		uint32_t *pos = xmalloc(n * sizeof(*pos));

		for (uint32_t i = 0; i < n; i++)
			pos[i] = i % col->n;
		export_stream(round ? &b : &a, col, cols, &q, pos, n, FORMAT_CSV, false);
	}
	body_stream_drain(&a, &whole);
	for (;;) {
		char buf[4000];
		size_t got = b.next(b.state, buf, sizeof(buf));

		if (!got)
			break;
		cr_assert_leq(got, sizeof(buf));
		strbuf_add(&pieces, buf, got);
		pulls++;
	}
	body_stream_free(&b);
	cr_assert_gt(whole.len, 4 * EXPORT_CHUNK, "long enough to take several chunks");
	cr_assert_eq(pieces.len, whole.len);
	cr_assert(!memcmp(pieces.buf, whole.buf, whole.len));
	cr_assert_geq(pulls, whole.len / 4000);
	strbuf_release(&whole);
	strbuf_release(&pieces);
}

Test(export, an_empty_result_is_a_header_alone_or_nothing)
{
	expect_body("/api/v1/deals?format=csv&sector=none&fields=id,title", "id,title\r\n");
	expect_body("/api/v1/deals?format=ndjson&sector=none&limit=all", "");
}
