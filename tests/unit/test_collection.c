/*
 * Tests for models/collection.c: rendering once, keys, and the column indexes.
 */
#include <stdio.h>
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
	const struct jsonw_frag *value = &j->members[8];
	static const char want[] = "\"value\":{\"amount\":1200000000000000,\"currency\":\"KRW\","
				   "\"basis\":\"market\",\"estimate\":true}";

	cr_assert(strncmp(j->json, "{\"id\":\"d4\",", 11) == 0);
	cr_assert_eq(j->json[j->len - 1], '}');
	cr_assert_str_eq(c->res->members[8].name, "value");
	cr_assert_eq(value->len, sizeof(want) - 1);
	cr_assert(strncmp(j->json + value->off, want, value->len) == 0);
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
