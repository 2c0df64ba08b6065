/*
 * Tests for models/collection.c: rendering once, keys, and the column indexes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/store.h"
#include "tests/support/support.h"

static struct store *s;

static void setup(void)
{
	s = support_load(FIXTURES "query.json");
}

static void teardown(void)
{
	store_free(s);
}

TestSuite(collection, .init = setup, .fini = teardown);

static const struct column *column(const struct collection *c, const char *name)
{
	for (size_t i = 0; i < c->res->nfields; i++)
		if (strcmp(c->res->fields[i].name, name) == 0)
			return &c->columns[i];
	cr_assert_fail("no column %s", name);
	return NULL;
}

Test(collection, renders_each_record_once_with_member_ranges)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	const struct record_json *j = &c->json[3];
	const struct jsonw_frag value = record_json_member(j, 8);
	static const char want[] = "\"value\":{\"amount\":1200000000000000,\"currency\":\"KRW\","
				   "\"basis\":\"market\",\"estimate\":true}";

	cr_assert(strncmp(j->json, "{\"id\":\"d4\",", 11) == 0);
	cr_assert_eq(j->json[j->len - 1], '}');
	cr_assert_str_eq(c->res->members[8].name, "value");
	cr_assert_eq(value.len, sizeof(want) - 1);
	cr_assert(strncmp(j->json + value.off, want, value.len) == 0);
}

Test(collection, finds_keys_in_constant_time_and_folds_country_case)
{
	const struct collection *countries = store_collection(s, STORE_COUNTRIES);
	const struct collection *deals = store_collection(s, STORE_DEALS);

	cr_assert_eq(collection_find(countries, "ua", 2), 3);
	cr_assert_eq(collection_find(countries, "UA", 2), 3);
	cr_assert_eq(collection_find(countries, "U", 1), -1);
	cr_assert_eq(collection_find(deals, "d6", 2), 5);
	cr_assert_eq(collection_find(deals, "D6", 2), -1);
}

Test(collection, sorts_the_dictionary_and_lists_postings_ascending)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	const struct column *status = column(c, "status");
	const struct column *amount = column(c, "value.amount");
	uint32_t lo, hi;
	struct field_value v = { .s = "PROPOSED" };

	cr_assert_eq(status->ndistinct, 3);
	cr_assert_str_eq(status->values[0].s, "agreed");
	cr_assert_str_eq(status->values[2].s, "proposed");
	column_equal_range(status, &v, &lo, &hi);
	cr_assert_eq(lo, 2);
	cr_assert_eq(hi, 3);
	cr_assert_eq(status->pstart[3] - status->pstart[2], 4);
	cr_assert_eq(status->postings[status->pstart[2]], 1);
	cr_assert_eq(status->postings[status->pstart[2] + 3], 4);

	cr_assert_eq(amount->ndistinct, 4);
	cr_assert_eq(amount->values[0].i, 5);
	cr_assert_eq(amount->values[3].i, 1200000000000000);
	cr_assert_eq(amount->nnulls, 2);
	cr_assert_eq(amount->ids[1], COLUMN_NULL);
}

Test(collection, keeps_array_values_per_record)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	const struct column *countries = column(c, "countries");
	uint32_t n;
	const uint32_t *ids = column_record_ids(countries, 3, &n);

	/* A record's ids are in value order, each once. */
	cr_assert_eq(n, 3);
	cr_assert_str_eq(countries->values[ids[0]].s, "KR");
	cr_assert_str_eq(countries->values[ids[1]].s, "PL");
	cr_assert_str_eq(countries->values[ids[2]].s, "UA");
	/* KR is in every deal: its postings are all six records. */
	cr_assert_eq(countries->pstart[ids[0] + 1] - countries->pstart[ids[0]], 6);
}

Test(collection, a_value_twice_in_one_record_is_one_match)
{
	static const char data[] =
		"{\"dataset\":{\"title\":\"t\",\"version\":\"1\"},"
		"\"sources\":[{\"id\":\"s\",\"title\":\"S\",\"publisher\":null,\"date\":null,\"url\":null}],"
		"\"countries\":[{\"code\":\"KR\",\"name\":\"K\",\"evidence\":[{\"source\":\"s\",\"quote\":\"K\"}]}],"
		"\"deals\":[],\"meetings\":["
		"{\"id\":\"m\",\"title\":\"M\",\"date\":\"2023-07-11\",\"kind\":\"k\",\"countries\":[\"KR\"],"
		"\"location\":null,\"counterpart\":null,\"topics\":[],\"participants\":["
		"{\"name\":\"Jane Doe\",\"title\":\"A\"},{\"name\":\"Jane Doe\",\"title\":\"B\"}],"
		"\"evidence\":[{\"source\":\"s\",\"quote\":\"M\"}]}]}";
	struct strbuf err = STRBUF_INIT;
	struct store *st = store_load_buffer(data, sizeof(data) - 1, "dup", &err);
	const struct collection *c;
	const struct column *col;
	uint32_t n;

	cr_assert_not_null(st, "%s", err.buf);
	c = store_collection(st, STORE_MEETINGS);
	col = column(c, "participants");
	column_record_ids(col, 0, &n);
	cr_assert_eq(n, 1, "two people of one name are one value of the record");
	cr_assert_eq(col->pstart[1] - col->pstart[0], 1, "and one posting");
	store_free(st);
	strbuf_release(&err);
}

/* Whether two builds of a column hold the same values, ids, postings and order. */
static void assert_same_column(const struct column *x, const struct column *y, uint32_t n)
{
	const bool array = x->field->type == FIELD_STRINGS;
	const uint32_t nids = array ? x->offsets[n] : n;

	cr_assert_eq(x->ndistinct, y->ndistinct, "%s", x->field->name);
	for (uint32_t v = 0; v < x->ndistinct; v++) {
		const struct field_value xv = column_value(x, v), yv = column_value(y, v);

		cr_assert_eq(column_compare(x->field->type, &xv, &yv), 0);
		cr_assert_eq(column_rank(x, v), column_rank(y, v));
	}
	cr_assert_eq(memcmp(x->ids, y->ids, nids * sizeof(uint32_t)), 0, "%s", x->field->name);
	if (array)
		cr_assert_eq(memcmp(x->offsets, y->offsets, (n + 1) * sizeof(uint32_t)), 0);
	cr_assert_eq(memcmp(x->pstart, y->pstart, (x->ndistinct + 1) * sizeof(uint32_t)), 0);
	cr_assert_eq(memcmp(x->postings, y->postings, x->pstart[x->ndistinct] * sizeof(uint32_t)), 0);
	cr_assert_eq(x->nnulls, y->nnulls);
	cr_assert_eq(memcmp(x->nulls, y->nulls, x->nnulls * sizeof(uint32_t)), 0);
}

Test(collection, builds_on_two_threads_what_one_thread_builds)
{
	const struct collection *deals = store_collection(s, STORE_DEALS);
	const struct resource *res = deals->res;
	const uint32_t n = 3000;   /* enough records for a second thread */
	struct deal *records = calloc(n, sizeof(*records));
	struct record_json *json = calloc(n, sizeof(*json));
	struct collection both, one;
	struct arena a = ARENA_INIT, b = ARENA_INIT;
	uint32_t first, second;

	cr_assert(records && json);
	for (uint32_t r = 0; r < n; r++) {
		char id[32];

		records[r] = *(const struct deal *)collection_record(deals, r % deals->n);
		snprintf(id, sizeof(id), "%s-%u", records[r].id, r);
		records[r].id = arena_strdup(&b, id);
		collection_render(res, &records[r], &json[r], &b);
	}
	/* Rendered and indexed on two threads; and indexed on one, over the same records
	 * rendered one at a time. */
	cr_assert_eq(collection_build(&both, res, records, n, store_dataset(s), &a, &first, &second), 0);
	cr_assert_eq(collection_build_rendered(&one, res, records, json, n, store_dataset(s), &b,
					       &first, &second), 0);
	for (uint32_t r = 0; r < n; r++) {
		cr_assert_eq(both.json[r].len, json[r].len);
		cr_assert_eq(memcmp(both.json[r].json, json[r].json, json[r].len), 0, "record %u", r);
		cr_assert_eq(both.json[r].hash, json[r].hash);
		for (size_t m = 0; m < res->nmembers; m++) {
			const struct jsonw_frag x = record_json_member(&both.json[r], m);
			const struct jsonw_frag y = record_json_member(&json[r], m);

			cr_assert(x.off == y.off && x.len == y.len, "record %u member %zu", r, m);
		}
	}
	for (size_t i = 0; i < res->nfields; i++)
		assert_same_column(&both.columns[i], &one.columns[i], n);
	arena_release(&a);
	arena_release(&b);
	free(records);
	free(json);
}

Test(collection, sorts_many_distinct_values_as_column_compare_orders_them)
{
	const struct collection *deals = store_collection(s, STORE_DEALS);
	const struct resource *res = deals->res;
	/* Titles that tie on their first 8, 16 and 24 bytes, differ only in case,
	 * end where others go on, and hold bytes above 0x7f; years below zero. */
	static const char *const stems[] = {
		"Deal 12", "deal 12", "DEAL 12", "Deal 12 on a long shared stem, then",
		"Deal 12 on a long shared stem, THEN", "Deal 12 on a long shared stem",
		"Zebra", "zebra", "_under", "[bracket", "\xc4\x83 breve", "Deal 1",
	};
	const size_t nstems = sizeof(stems) / sizeof(stems[0]);
	const uint32_t n = 2000;
	struct deal *records = calloc(n, sizeof(*records));
	struct collection c;
	struct arena a = ARENA_INIT;
	uint32_t first, second;

	cr_assert(records);
	for (uint32_t r = 0; r < n; r++) {
		char buf[96];

		records[r] = *(const struct deal *)collection_record(deals, r % deals->n);
		snprintf(buf, sizeof(buf), "x%u", r);
		records[r].id = arena_strdup(&a, buf);
		/* Each seventeenth title is a bare stem: those repeat. */
		snprintf(buf, sizeof(buf), "%s%u", stems[r % nstems], r % 997 * 7);
		records[r].title = arena_strdup(&a, r % 17 ? buf : stems[r % nstems]);
		records[r].completion_year = (int64_t)(r % 500) * 7919 - 1000000;
	}
	cr_assert_eq(collection_build(&c, res, records, n, store_dataset(s), &a, &first, &second), 0);
	for (size_t i = 0; i < res->nfields; i++) {
		const struct column *col = &c.columns[i];

		for (uint32_t k = 1; k < col->ndistinct; k++) {
			const struct field_value x = column_value(col, k - 1), y = column_value(col, k);

			cr_assert_lt(column_compare(res->fields[i].type, &x, &y), 0, "%s: value %u after %u",
				     res->fields[i].name, k, k - 1);
		}
	}
	cr_assert_gt(column(&c, "title")->ndistinct, 1000);
	arena_release(&a);
	free(records);
}

/* The member ranges of j, checked against the bytes: each is "name":value, in order. */
static void assert_member_ranges(const struct resource *res, const struct record_json *j)
{
	uint32_t at = 1;

	for (size_t m = 0; m < res->nmembers; m++) {
		const struct jsonw_frag f = record_json_member(j, m);
		const size_t nlen = strlen(res->members[m].name);

		cr_assert_eq(f.off, at, "member %zu", m);
		cr_assert(j->json[f.off] == '"' && !strncmp(j->json + f.off + 1, res->members[m].name, nlen) &&
			  j->json[f.off + 1 + nlen] == '"', "member %zu", m);
		at = f.off + f.len + 1;
		cr_assert_eq(j->json[at - 1], m + 1 < res->nmembers ? ',' : '}', "member %zu", m);
	}
	cr_assert_eq(at, j->len);
}

Test(collection, keeps_member_ranges_of_records_past_64_kib)
{
	const struct collection *deals = store_collection(s, STORE_DEALS);
	const struct resource *res = deals->res;
	struct deal big = *(const struct deal *)collection_record(deals, 0);
	struct record_json small, wide;
	struct arena a = ARENA_INIT;
	const size_t n = 70000;   /* past 65535: the ranges no longer fit 16 bits */
	char *summary = arena_alloc(&a, n + 1);

	memset(summary, 's', n);
	summary[n] = '\0';
	collection_render(res, &big, &small, &a);
	big.summary = summary;
	collection_render(res, &big, &wide, &a);
	cr_assert_lt(small.len, RECORD_JSON_NARROW);
	cr_assert_gt(wide.len, RECORD_JSON_NARROW);
	assert_member_ranges(res, &small);
	assert_member_ranges(res, &wide);
	/* The last members lie past 64 KiB, and keep their place. */
	cr_assert_gt(record_json_member(&wide, res->nmembers - 1).off, RECORD_JSON_NARROW);
	arena_release(&a);
}
