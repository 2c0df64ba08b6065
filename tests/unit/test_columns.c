/*
 * Tests for handlers/columns.c: columns derived from the member tables and
 * the data schema, and records written as rows of flat cells.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "handlers/columns.h"
#include "handlers/site.h"
#include "lib/jsonscan.h"
#include "lib/mem.h"
#include "models/deal.h"
#include "tests/support/handler.h"
#include "tests/support/support.h"

/* The header of t for these members (NULL: all), as one CSV line without CRLF. */
static char *header_of(const struct columns *t, const int *members, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	struct csvw w;

	csvw_init(&w, &sb);
	columns_write_header(t, members, n, &w);
	strbuf_setlen(&sb, sb.len - 2);
	return strbuf_detach(&sb, NULL);
}

static const struct columns *shipped_columns(struct call *c, enum store_collection which)
{
	return site_columns(c->site, store_collection(c->site->store, which)->res);
}

/* Parameters are copied into each test's process: arrays, not pointers. */
struct header_case {
	int which;                 /* enum store_collection */
	char header[640];
};

ParameterizedTestParameters(columns, shipped_resources_flatten_in_member_order)
{
	static struct header_case cases[] = {
		{ STORE_DEALS, "id,title,aliases,countries,organizations,sector,status,date,value.amount,"
			       "value.currency,value.basis,value.estimate,value_alt.amount,"
			       "value_alt.currency,value_alt.basis,value_alt.estimate,companies,partners,"
			       "meetings,location,response,incentives,items,completion_year,summary,"
			       "evidence.source,evidence.quote,inferences.field,inferences.reason" },
		{ STORE_MEETINGS, "id,title,aliases,date,end_date,kind,format,countries,organizations,location,"
				  "counterpart.name,counterpart.title,counterpart.country,"
				  "counterpart.organization,participants.name,participants.title,"
				  "participants.country,participants.organization,delegation.size,"
				  "delegation.members.name,delegation.members.title,"
				  "delegation.members.country,delegation.members.organization,topics,summary,"
				  "evidence.source,evidence.quote,inferences.field,inferences.reason" },
		{ STORE_COUNTRIES, "code,name,aliases,leader.name,leader.title,leader.country,"
				   "leader.organization,roles,plans,resources,organizations,summary,"
				   "evidence.source,evidence.quote,inferences.field,inferences.reason" },
		{ STORE_SOURCES, "id,title,publisher,date,url,note" },
	};
	return cr_make_param_array(struct header_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/* Money into dotted columns, persons and arrays of them into one column a member of theirs. */
ParameterizedTest(struct header_case *hc, columns, shipped_resources_flatten_in_member_order)
{
	struct call c;
	char *h;

	call_init(&c, NULL);
	h = header_of(shipped_columns(&c, (enum store_collection)hc->which), NULL, 0);
	cr_assert_str_eq(h, hc->header);
	free(h);
	call_release(&c);
}

Test(columns, every_member_of_every_resource_is_described_by_the_schema)
{
	size_t len;
	char *text = support_read_file("data/schema.json", &len);
	cJSON *schema = cJSON_ParseWithLength(text, len);
	const cJSON *defs = cJSON_GetObjectItem(schema, "$defs");
	struct call c;

	call_init(&c, NULL);
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		const struct resource *res = store_collection(c.site->store, (enum store_collection)i)->res;
		const cJSON *def = cJSON_GetObjectItem(defs, res->schema);

		/* A resource added later gets its columns from its definition: it must have one. */
		cr_assert_not_null(def, "data/schema.json has no definition %s for %s", res->schema,
				   res->name);
		for (size_t m = 0; m < res->nmembers; m++)
			cr_assert_not_null(cJSON_GetObjectItem(cJSON_GetObjectItem(def, "properties"),
							       res->members[m].name),
					   "%s.%s is not in data/schema.json", res->schema,
					   res->members[m].name);
	}
	call_release(&c);
	cJSON_Delete(schema);
	free(text);
}

Test(columns, fields_choose_and_order_the_columns_of_whole_members)
{
	const int value = resource_member(&deal_resource, "value", 5);
	const int members[] = { value, 0 };   /* value, id */
	struct call c;
	size_t first, end;
	char *h;

	call_init(&c, NULL);
	h = header_of(shipped_columns(&c, STORE_DEALS), members, 2);
	cr_assert_str_eq(h, "value.amount,value.currency,value.basis,value.estimate,id");
	columns_of_member(shipped_columns(&c, STORE_DEALS), value, &first, &end);
	cr_assert_eq(end - first, 4);
	cr_assert_str_eq(columns_name(shipped_columns(&c, STORE_DEALS), first), "value.amount");
	free(h);
	call_release(&c);
}

/* ---- rows of a made-up resource, described by a schema given here ---- */

static const struct member thing_members[] = {
	{ .name = "id" }, { .name = "n" }, { .name = "ok" }, { .name = "money" },
	{ .name = "tags" }, { .name = "people" }, { .name = "free" }, { .name = "note" },
	{ .name = "box" },
};

static const struct resource thing = {
	.name = "things",
	.singular = "thing",
	.schema = "Thing",
	.members = thing_members,
	.nmembers = sizeof(thing_members) / sizeof(thing_members[0]),
};

static const char thing_schema[] =
	"{\"Money\":{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"integer\"},"
	"\"currency\":{\"type\":\"string\"}}},"
	"\"Person\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
	"\"title\":{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}}},"
	"\"Thing\":{\"type\":\"object\",\"properties\":{"
	"\"id\":{\"type\":\"string\"},"
	"\"n\":{\"type\":\"integer\"},"
	"\"ok\":{\"type\":\"boolean\"},"
	"\"money\":{\"oneOf\":[{\"$ref\":\"#/$defs/Money\"},{\"type\":\"null\"}]},"
	"\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
	"\"people\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Person\"}},"
	"\"note\":{\"type\":\"string\"},"
	"\"box\":{\"type\":\"object\",\"properties\":{\"inner\":{\"type\":\"object\","
	"\"properties\":{\"deep\":{\"type\":\"integer\"}}},\"list\":{\"type\":\"array\","
	"\"items\":{\"type\":\"integer\"}}}}}}}";

/*
 * A record_json over the object text json (under 64 KiB): the byte range of
 * each top-level member, as 16-bit offset and length pairs in ranges.
 */
static struct record_json record_of(const char *json, uint16_t *ranges)
{
	const char *p = json + 1, *end = json + strlen(json);
	struct strbuf key = STRBUF_INIT;
	size_t i = 0;

	cr_assert_leq(end - json, RECORD_JSON_NARROW);
	while (p < end && *p == '"') {
		const char *start = p;

		strbuf_reset(&key);
		p = jsonscan_string(p, end, &key) + 1;
		p = jsonscan_skip(p, end);
		ranges[2 * i] = (uint16_t)(start - json);
		ranges[2 * i + 1] = (uint16_t)(p - start);
		i++;
		p++;
	}
	strbuf_release(&key);
	return (struct record_json){ json, (uint32_t)strlen(json), ranges, 0 };
}

struct things {
	cJSON *defs;
	struct columns *t;
	struct columns_row *r;
};

static void things_init(struct things *x)
{
	x->defs = cJSON_Parse(thing_schema);
	x->t = columns_build(&thing, x->defs);
	x->r = columns_row_new(x->t);
}

static void things_release(struct things *x)
{
	columns_row_free(x->r);
	columns_free(x->t);
	cJSON_Delete(x->defs);
}

/* The row of json for these members (NULL: all), CRLF included. */
static char *row_of(struct things *x, const char *json, const int *members, size_t n)
{
	uint16_t ranges[32];
	struct record_json j = record_of(json, ranges);
	struct strbuf sb = STRBUF_INIT;
	struct csvw w;

	csvw_init(&w, &sb);
	columns_write_row(x->t, x->r, &j, members, n, &w);
	return strbuf_detach(&sb, NULL);
}

Test(columns, a_schema_shapes_the_columns_and_unknown_members_are_one_column)
{
	struct things x;
	char *h;

	things_init(&x);
	h = header_of(x.t, NULL, 0);
	cr_assert_str_eq(h, "id,n,ok,money.amount,money.currency,tags,people.name,people.title,"
			    "free,note,box.inner.deep,box.list");
	cr_assert_eq(columns_count(x.t), 12);
	free(h);
	things_release(&x);
}

Test(columns, a_row_holds_every_value_flat)
{
	struct things x;
	char *row;

	things_init(&x);
	row = row_of(&x, "{\"id\":\"t1\",\"n\":-42,\"ok\":true,"
			 "\"money\":{\"amount\":2500000000000,\"currency\":\"KRW\"},"
			 "\"tags\":[\"a\",\"b, c\"],"
			 "\"people\":[{\"name\":\"Fumio Kishida\",\"title\":\"Prime Minister\"},"
			 "{\"name\":\"Jens Stoltenberg\",\"title\":null},"
			 "{\"name\":\"Yoon Suk-yeol\",\"title\":\"President\"}],"
			 "\"free\":{\"any\":[1,\"x\"]},\"note\":\"=cmd\\\"q\\\"\\nline\","
			 "\"box\":{\"inner\":{\"deep\":7},\"list\":[1,2,3]}}", NULL, 0);
	cr_assert_str_eq(row, "t1,-42,true,2500000000000,KRW,\"a; b, c\","
			      "Fumio Kishida; Jens Stoltenberg; Yoon Suk-yeol,"
			      "Prime Minister; ; President,"
			      "\"{\"\"any\"\":[1,\"\"x\"\"]}\",\"'=cmd\"\"q\"\"\nline\",7,1; 2; 3\r\n");
	free(row);
	things_release(&x);
}

Test(columns, nulls_and_empty_arrays_are_empty_cells)
{
	struct things x;
	char *row;

	things_init(&x);
	row = row_of(&x, "{\"id\":\"t2\",\"n\":null,\"ok\":false,\"money\":null,\"tags\":[],"
			 "\"people\":[{\"name\":\"A\",\"title\":null},{\"name\":\"B\"}],"
			 "\"free\":null,\"note\":null,\"box\":{\"inner\":null,\"list\":[]}}", NULL, 0);
	/* Nobody's title is given: the column is empty, not "; ". */
	cr_assert_str_eq(row, "t2,,false,,,,A; B,,,,,\r\n");
	free(row);
	things_release(&x);
}

Test(columns, a_projection_writes_the_chosen_members_in_order)
{
	static const int members[] = { 3, 0 };
	struct things x;
	char *row;

	things_init(&x);
	row = row_of(&x, "{\"id\":\"t3\",\"n\":1,\"ok\":true,"
			 "\"money\":{\"amount\":260000000000,\"currency\":\"KRW\"},\"tags\":[],"
			 "\"people\":[],\"free\":1,\"note\":\"x\",\"box\":null}", members, 2);
	cr_assert_str_eq(row, "260000000000,KRW,t3\r\n");
	free(row);
	things_release(&x);
}

Test(columns, integers_are_numbers_but_joined_or_quoted_text_is_text)
{
	static const int members[] = { 1, 8, 7 };   /* n, box, note */
	struct things x;
	char *row;

	things_init(&x);
	row = row_of(&x, "{\"id\":\"t4\",\"n\":-7,\"ok\":true,\"money\":null,\"tags\":[],"
			 "\"people\":[],\"free\":1,\"note\":\"-7\","
			 "\"box\":{\"inner\":{\"deep\":-1},\"list\":[-1]}}", members, 3);
	/* -7 the integer stays a number; the text "-7" and a joined cell are neutralized. */
	cr_assert_str_eq(row, "-7,-1,'-1,'-7\r\n");
	free(row);
	things_release(&x);
}

Test(columns, without_a_schema_each_member_is_one_column_of_its_json)
{
	struct columns *t = columns_build(&thing, NULL);
	struct columns_row *r = columns_row_new(t);
	uint16_t ranges[32];
	struct record_json j = record_of("{\"id\":\"t5\",\"n\":3,\"ok\":true,\"money\":{\"amount\":1,"
					 "\"currency\":\"EUR\"},\"tags\":[\"x\",\"y\"],\"people\":[],"
					 "\"free\":null,\"note\":\"n\",\"box\":[]}", ranges);
	struct strbuf sb = STRBUF_INIT;
	struct csvw w;
	char *h = header_of(t, NULL, 0);

	cr_assert_str_eq(h, "id,n,ok,money,tags,people,free,note,box");
	csvw_init(&w, &sb);
	columns_write_row(t, r, &j, NULL, 0, &w);
	cr_assert_str_eq(sb.buf, "t5,3,true,\"{\"\"amount\"\":1,\"\"currency\"\":\"\"EUR\"\"}\",x; y,,,n,\r\n");
	strbuf_release(&sb);
	free(h);
	columns_row_free(r);
	columns_free(t);
}

Test(columns, a_schema_that_refers_to_itself_stops_at_a_json_column)
{
	static const struct member one[] = { { .name = "tree" } };
	static const struct resource loop = {
		.name = "loops", .schema = "Loop", .members = one, .nmembers = 1,
	};
	cJSON *defs = cJSON_Parse("{\"Loop\":{\"type\":\"object\",\"properties\":{\"tree\":"
				  "{\"$ref\":\"#/$defs/Node\"}}},\"Node\":{\"type\":\"object\","
				  "\"properties\":{\"v\":{\"type\":\"integer\"},\"kids\":{\"type\":"
				  "\"array\",\"items\":{\"$ref\":\"#/$defs/Node\"}}}}}");
	struct columns *t = columns_build(&loop, defs);

	cr_assert_lt(columns_count(t), 20, "bounded");
	cr_assert_str_eq(columns_name(t, 0), "tree.v");
	columns_free(t);
	cJSON_Delete(defs);
}
