/*
 * Tests for handlers/format.c: format=, bom=, limit=all and Accept, through
 * the list and record handlers, and the names of downloads.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "handlers/format.h"
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

TestSuite(format, .init = setup, .fini = teardown);

Test(format, json_is_the_default_and_what_wildcards_get)
{
	const char *accepts[] = { NULL, "", "*/*", "application/*", "application/json",
				  "text/html,application/xhtml+xml,*/*;q=0.8" };

	for (size_t i = 0; i < sizeof(accepts) / sizeof(accepts[0]); i++) {
		c.accept = accepts[i];
		call_get(&c, "/api/v1/deals?limit=1");
		cr_assert_eq(c.res.status, 200);
		cr_assert_str_eq(c.res.content_type, MEDIA_JSON, "Accept: %s", accepts[i]);
		cr_assert_eq(c.res.attachment.len, 0, "no download without format=");
	}
}

Test(format, accept_chooses_csv_or_ndjson)
{
	c.accept = "text/csv";
	call_get(&c, "/api/v1/deals");
	cr_assert_str_eq(c.res.content_type, MEDIA_CSV);
	cr_assert(!strncmp(c.res.body, "id,title,aliases,countries,", 27), "%s", c.res.body);
	cr_assert_eq(c.res.attachment.len, 0);
	c.accept = "application/json;q=0.5, application/x-ndjson";
	call_get(&c, "/api/v1/countries/ro/deals");
	cr_assert_str_eq(c.res.content_type, MEDIA_NDJSON);
	cr_assert(!strncmp(c.res.body, "{\"id\":\"d1\"", 10), "%s", c.res.body);
	c.accept = "text/*";
	call_get(&c, "/api/v1/deals/d1");
	cr_assert_str_eq(c.res.content_type, MEDIA_CSV);
}

Test(format, the_parameter_wins_over_accept_and_names_a_download)
{
	c.accept = "application/json";
	call_get(&c, "/api/v1/deals?format=csv");
	cr_assert_eq(c.res.status, 200);
	cr_assert_str_eq(c.res.content_type, MEDIA_CSV);
	cr_assert_str_eq(c.res.attachment.buf, "deals-query-fixture.csv");
	c.accept = "text/html";
	call_get(&c, "/api/v1/deals?format=json");
	cr_assert_eq(c.res.status, 200, "an Accept that excludes everything yields to format=");
	cr_assert_str_eq(c.res.content_type, MEDIA_JSON);
	cr_assert_str_eq(c.res.attachment.buf, "deals-query-fixture.json");
}

Test(format, downloads_are_named_after_the_path_and_the_dataset)
{
	struct call shipped;

	call_get(&c, "/api/v1/countries/Ro/deals?format=ndjson");
	cr_assert_str_eq(c.res.attachment.buf, "countries-ro-deals-query-fixture.ndjson");
	call_get(&c, "/api/v1/meetings/m-ro/deals?format=csv&fields=id");
	cr_assert_str_eq(c.res.attachment.buf, "meetings-m-ro-deals-query-fixture.csv");
	call_get(&c, "/api/v1/deals/d4?format=csv");
	cr_assert_str_eq(c.res.attachment.buf, "deals-d4-query-fixture.csv");
	/* A dataset with an id is named by it. */
	call_init(&shipped, NULL);
	call_get(&shipped, "/api/v1/deals?format=csv");
	cr_assert_str_eq(shipped.res.attachment.buf, "deals-vilnius-2023.csv");
	call_release(&shipped);
}

Test(format, nothing_acceptable_is_406_naming_the_three)
{
	const char *targets[] = { "/api/v1/deals", "/api/v1/deals/d1", "/api/v1/countries/RO/deals" };

	c.accept = "text/html, application/json;q=0";
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		call_get(&c, targets[i]);
		cr_assert_str_eq(call_problem(&c, 406),
				 "this resource is application/json, text/csv or application/x-ndjson, "
				 "and the Accept header excludes all three; format=json, csv or ndjson "
				 "chooses one whatever Accept says");
	}
}

Test(format, bad_values_are_400s_that_say_what_would_do)
{
	call_get(&c, "/api/v1/deals?format=xlsx");
	cr_assert_str_eq(call_problem(&c, 400), "format must be json, csv or ndjson, got \"xlsx\"");
	cr_assert(strstr(c.res.body, "\"parameter\":\"format\",\"allowed\":[\"json\",\"csv\",\"ndjson\"]"),
		  "%s", c.res.body);
	call_get(&c, "/api/v1/deals?format=csv&format=json");
	cr_assert_str_eq(call_problem(&c, 400), "parameter \"format\" is given more than once");
	call_get(&c, "/api/v1/deals?format=csv&bom=yes");
	cr_assert_str_eq(call_problem(&c, 400), "bom expects true or false, got \"yes\"");
	call_get(&c, "/api/v1/deals?format=ndjson&bom=true");
	cr_assert_str_eq(call_problem(&c, 400),
			 "bom=true is for CSV, which Excel reads as UTF-8 only after a byte order mark; "
			 "this answer is NDJSON, which never carries one");
	call_get(&c, "/api/v1/deals?format=json&bom=false");
	cr_assert_eq(c.res.status, 200, "bom=false asks for nothing");
}

Test(format, limit_all_is_for_csv_and_ndjson_lists_only)
{
	call_get(&c, "/api/v1/deals?limit=all");
	cr_assert_str_eq(call_problem(&c, 400),
			 "limit=all streams every match, in CSV or NDJSON only (format=csv or "
			 "format=ndjson); a JSON page holds at most 1000 records");
	call_get(&c, "/api/v1/deals/d1?format=csv&limit=all");
	call_problem(&c, 400);
	call_get(&c, "/api/v1/deals?format=csv&limit=all&limit=all");
	cr_assert_str_eq(call_problem(&c, 400), "parameter \"limit\" is given more than once");
	call_get(&c, "/api/v1/deals?format=csv&limit=1001");
	call_problem(&c, 400);
	call_get(&c, "/api/v1/deals?format=csv&limit=all");
	cr_assert_eq(c.res.status, 200);
	cr_assert(body_stream_present(&c.res.stream));
}

Test(format, facets_stay_with_json)
{
	call_get(&c, "/api/v1/deals?format=csv&facet=status");
	cr_assert_str_eq(call_problem(&c, 400),
			 "facet counts values into the meta of a JSON list; CSV answers carry records "
			 "only (ask for JSON, with limit=0 for the counts alone)");
	c.accept = "application/x-ndjson";
	call_get(&c, "/api/v1/deals?facet=status");
	call_problem(&c, 400);
}

Test(format, every_format_has_its_own_etag)
{
	uint64_t tags[FORMAT_COUNT];
	const char *names[] = { "json", "csv", "ndjson" };

	for (int f = 0; f < FORMAT_COUNT; f++) {
		char target[128];

		snprintf(target, sizeof(target), "/api/v1/deals?sort=title&format=%s", names[f]);
		call_get(&c, target);
		tags[f] = c.res.tag;
		cr_assert(c.res.etag[0]);
	}
	cr_assert_neq(tags[0], tags[1]);
	cr_assert_neq(tags[1], tags[2]);
	/* Chosen by Accept, the same query is another representation too. */
	call_get(&c, "/api/v1/deals?sort=title");
	c.accept = "text/csv";
	{
		uint64_t json = c.res.tag;

		call_get(&c, "/api/v1/deals?sort=title");
		cr_assert_neq(c.res.tag, json);
	}
}

Test(format, unknown_parameters_list_format_and_bom_as_allowed)
{
	call_get(&c, "/api/v1/deals?formt=csv");
	call_problem(&c, 400);
	cr_assert(strstr(c.res.body, "\"fields\",\"facet\",\"format\",\"bom\"]"), "%s", c.res.body);
}

Test(format, the_json_tag_is_the_request_tag_and_others_derive_from_it)
{
	struct output json = { .format = FORMAT_JSON }, csv = { .format = FORMAT_CSV };

	cr_assert_eq(format_tag(&json, 42), 42);
	cr_assert_neq(format_tag(&csv, 42), 42);
	cr_assert_str_eq(format_desc(FORMAT_NDJSON)->media, "application/x-ndjson");
	cr_assert_str_eq(format_desc(FORMAT_CSV)->ext, "csv");
}

Test(format, a_field_called_format_is_filtered_with_its_operator)
{
	struct call shipped;
	cJSON *j;

	call_init(&shipped, NULL);
	call_get(&shipped, "/api/v1/meetings?format:eq=luncheon%20meeting&fields=id");
	cr_assert_eq(shipped.res.status, 200);
	j = call_json(&shipped);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "data")), 1);
	cJSON_Delete(j);
	call_get(&shipped, "/api/v1/meetings?format=luncheon");
	cr_assert_str_eq(call_problem(&shipped, 400),
			 "format must be json, csv or ndjson, got \"luncheon\"; to filter by the field "
			 "format, write format:eq=");
	call_release(&shipped);
}
