/*
 * Tests for models/resource.c's resource_scan(): a record read straight
 * from its text is the record resource_read() makes from its tree, and a
 * record resource_read() refuses is never taken by the scan. Run over every
 * record of every store fixture (the broken ones included), the shipped
 * data, and deals generated as tests/bench/gen_deals.py makes them
 * (tests/fixtures/scan/generated-300.json: gen_deals.py 300).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "lib/json.h"
#include "lib/jsonw.h"
#include "lib/mem.h"
#include "models/store.h"
#include "tests/support/support.h"

/* Records of one resource compared: how many were scanned, how many the tree reader took. */
struct tally {
	size_t records, scanned, read;
	size_t plain;   /* read by the tree reader, with no inference and no escape */
};

static void render(const struct resource *res, const void *record, struct strbuf *out)
{
	struct jsonw w;

	jsonw_init(&w, out, false);
	resource_render(res, &w, record);
	jsonw_release(&w);
}

/* Every field of both records, as the indexes and filters see them. */
static void assert_same_fields(const struct resource *res, const void *a, const void *b,
			       const char *where)
{
	for (size_t i = 0; i < res->nfields; i++) {
		const struct field *f = &res->fields[i];
		struct field_value x = { 0 }, y = { 0 };

		field_get(f, a, &x);
		field_get(f, b, &y);
		cr_assert_eq(x.null, y.null, "%s: field %s", where, f->name);
		switch (f->type) {
		case FIELD_STRING:
		case FIELD_DATE:
			cr_assert((!x.s && !y.s) || (x.s && y.s && !strcmp(x.s, y.s)), "%s: field %s",
				  where, f->name);
			break;
		case FIELD_INTEGER:
		case FIELD_BOOLEAN:
			cr_assert_eq(x.i, y.i, "%s: field %s", where, f->name);
			break;
		case FIELD_STRINGS:
			cr_assert_eq(x.list.n, y.list.n, "%s: field %s", where, f->name);
			for (size_t j = 0; j < x.list.n; j++)
				cr_assert_str_eq(x.list.v[j], y.list.v[j], "%s: field %s[%zu]", where,
						 f->name, j);
			break;
		}
	}
}

/* Both readers over the record of res that is the len bytes at text, tree parsed. */
static void compare_record(const struct resource *res, const char *text, size_t len,
			   const cJSON *tree, const char *where, struct tally *t)
{
	void *by_tree = xcalloc(1, res->record_size), *by_scan = xcalloc(1, res->record_size);
	struct arena a = ARENA_INIT;
	struct strbuf err = STRBUF_INIT, x = STRBUF_INIT, y = STRBUF_INIT;
	struct check c;
	int read_rc, scan_rc;

	check_init(&c, where, &err);
	read_rc = resource_read(res, &c, tree, &a, by_tree);
	scan_rc = resource_scan(res, text, len, &a, by_scan);
	t->records++;
	t->read += !read_rc;
	t->plain += !read_rc && !cJSON_GetArraySize(cJSON_GetObjectItem(tree, "inferences")) &&
		    !memchr(text, '\\', len);
	t->scanned += !scan_rc;
	if (!scan_rc) {
		cr_assert_eq(read_rc, 0, "%s: scanned, but the tree reader refuses it: %s", where,
			     err.buf);
		render(res, by_tree, &x);
		render(res, by_scan, &y);
		cr_assert_str_eq(y.buf, x.buf, "%s: renders otherwise", where);
		assert_same_fields(res, by_tree, by_scan, where);
	}
	check_release(&c);
	arena_release(&a);
	strbuf_release(&err);
	strbuf_release(&x);
	strbuf_release(&y);
	free(by_tree);
	free(by_scan);
}

/* Compares the readers on every record of the file at path; adds to t[which]. */
static void compare_file(const char *path, struct tally *t)
{
	struct json_split split[STORE_NCOLLECTIONS];
	struct strbuf err = STRBUF_INIT;
	size_t len;
	char *text = support_read_file(path, &len);
	cJSON *root;

	for (int w = 0; w < STORE_NCOLLECTIONS; w++)
		split[w].key = store_resource((enum store_collection)w)->name;
	root = json_parse_split(text, len, path, &err, split, STORE_NCOLLECTIONS);
	/* A file that is not JSON never gets as far as its records. */
	if (root) {
		for (int w = 0; w < STORE_NCOLLECTIONS; w++) {
			const struct resource *res = store_resource((enum store_collection)w);

			for (size_t i = 0; split[w].found && i < split[w].n; i++) {
				char where[512];

				cJSON *tree = json_parse_element(text, &split[w], i);

				snprintf(where, sizeof(where), "%s: %s[%zu]", path, res->name, i);
				compare_record(res, text + split[w].start[i], split[w].len[i], tree, where,
					       &t[w]);
				cJSON_Delete(tree);
			}
		}
		cJSON_Delete(root);
		json_split_release(split, STORE_NCOLLECTIONS);
	}
	strbuf_release(&err);
	free(text);
}

Test(resource, a_record_scanned_from_its_text_is_the_record_read_from_its_tree)
{
	struct tally t[STORE_NCOLLECTIONS] = { 0 };
	DIR *d = opendir(FIXTURES "store");
	const struct dirent *e;
	size_t files = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char path[512];
		size_t n = strlen(e->d_name);

		if (n < 5 || strcmp(e->d_name + n - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), FIXTURES "store/%s", e->d_name);
		compare_file(path, t);
		files++;
	}
	closedir(d);
	compare_file("data/vilnius-2023.json", t);
	cr_assert_gt(files, 70);
	/* The broken fixtures hold records the tree reader refuses: none was scanned. */
	cr_assert_lt(t[STORE_DEALS].read, t[STORE_DEALS].records);
	cr_assert_gt(t[STORE_DEALS].scanned, 0);
	cr_assert_gt(t[STORE_SOURCES].scanned, 0);
}

Test(resource, every_generated_deal_is_scanned)
{
	struct tally t[STORE_NCOLLECTIONS] = { 0 };

	compare_file(FIXTURES "scan/generated-300.json", t);
	cr_assert_eq(t[STORE_DEALS].records, 300);
	cr_assert_eq(t[STORE_DEALS].read, 300);
	/* Only the shipped deals with inferences go to the tree reader. */
	cr_assert_eq(t[STORE_DEALS].scanned, t[STORE_DEALS].plain, "%zu of 300 scanned",
		      t[STORE_DEALS].scanned);
	cr_assert_geq(t[STORE_DEALS].plain, 280);
}

/* A generated deal, which the scan reads, and one fragment of it replaced by another. */
struct mutation {
	const char *from, *to;
};

static const char plain_deal[] =
	"{\"id\": \"g73\", \"title\": \"Deal 73 on removal\", \"countries\": [\"KR\", \"NO\"], "
	"\"sector\": \"ev-batteries\", \"status\": \"on-agenda\", \"date\": \"2024-03-18\", "
	"\"value\": {\"amount\": 578087000, \"currency\": \"USD\", \"basis\": \"project\", "
	"\"estimate\": false}, \"companies\": [\"Company V\"], \"meetings\": [], "
	"\"summary\": \"Medical supply chain battery for Norway.\", "
	"\"evidence\": [{\"source\": \"generated\", \"quote\": \"deal 73\"}]}";

static const struct mutation mutations[] = {
	{ "578087000", "12.5" }, { "578087000", "-5" }, { "578087000", "1e300" },
	{ "578087000", "9007199254740993" }, { "578087000", "\"12\"" }, { "578087000", "null" },
	{ "578087000", "-0" }, { "578087000", "5.78087e8" }, { "578087000", "0" },
	/* A number past 64 bytes: read whole by cJSON 1.7.15 as by strtod(), 1. */
	{ "578087000", "0.0000000000000000000000000000000000000000000000000000000000000001e64" },
	{ "\"Deal 73 on removal\"", "\"\"" }, { "\"Deal 73 on removal\"", "\"  \"" },
	{ "\"Deal 73 on removal\"", "73" }, { "\"Deal 73 on removal\"", "null" },
	{ "\"Deal 73 on removal\"", "\"Deal \\\"73\\\"\"" },
	{ "\"Deal 73 on removal\"", "\"Deal \\u0037\\u0033\"" },
	{ "[\"KR\", \"NO\"]", "[]" }, { "[\"KR\", \"NO\"]", "[\"kr\"]" },
	{ "[\"KR\", \"NO\"]", "[\"KR\", \"KR\"]" }, { "[\"KR\", \"NO\"]", "\"KR\"" },
	{ "[\"KR\", \"NO\"]", "null" }, { "[\"KR\", \"NO\"]", "[\"XX\"]" },
	{ "[\"KR\", \"NO\"]", "[\"KR\", null]" }, { "[\"KR\", \"NO\"]", "[\"KR\" , \"NO\" ]" },
	{ "\"2024-03-18\"", "\"2023-02-29\"" }, { "\"2024-03-18\"", "\"2024-3-18\"" },
	{ "\"2024-03-18\"", "null" }, { "\"2024-03-18\"", "20240318" },
	{ "\"ev-batteries\"", "\"EV Batteries\"" }, { "\"on-agenda\"", "null" },
	{ "\"USD\"", "\"usd\"" }, { "\"USD\"", "\"XYZ\"" }, { "\"USD\"", "\"USDX\"" },
	{ "\"project\"", "\"Project\"" }, { "\"estimate\": false", "\"estimate\": \"no\"" },
	{ "\"estimate\": false", "\"estimate\": true" }, { ", \"estimate\": false", "" },
	{ "\"estimate\": false", "\"estimate\": false, \"note\": 1" },
	{ "\"estimate\": false", "\"estimate\": false, \"amount\": 1" },
	{ "{\"amount\": 578087000, \"currency\": \"USD\", \"basis\": \"project\", "
	  "\"estimate\": false}", "null" },
	{ "{\"amount\": 578087000, \"currency\": \"USD\", \"basis\": \"project\", "
	  "\"estimate\": false}", "{\"estimate\": false, \"basis\": \"project\", "
	  "\"currency\": \"USD\", \"amount\": 1}" },
	{ "\"meetings\": []", "\"meetings\": [\"Not An Id\"]" },
	{ "\"meetings\": []", "\"meetings\": [], \"meetings\": []" },
	{ "\"meetings\": []", "\"meetings\": [], \"foo\": 1" },
	{ "\"meetings\": []", "\"meetings\": [], \"completion_year\": 0" },
	{ "\"meetings\": []", "\"meetings\": [], \"completion_year\": 2030" },
	{ "\"meetings\": []", "\"meetings\": [], \"completion_year\": 2030.5" },
	{ "\"meetings\": []", "\"meetings\": [], \"completion_year\": null" },
	{ "\"meetings\": []", "\"meetings\": [], \"aliases\": null" },
	{ "\"meetings\": []", "\"meetings\": [], \"location\": null" },
	{ "\"meetings\": []", "\"meetings\": [], \"inferences\": []" },
	{ "\"meetings\": []", "\"meetings\": [], \"inferences\": null" },
	{ "\"meetings\": []", "\"meetings\": [], \"inferences\": "
	  "[{\"field\": \"title\", \"reason\": \"r\"}]" },
	{ "\"meetings\": []", "\"meetings\": [], \"value_alt\": {\"amount\": 1, "
	  "\"currency\": \"KRW\", \"basis\": \"project\", \"estimate\": false}" },
	{ "\"meetings\": []", "\"meetings\": [], \"value_alt\": {\"amount\": 1, "
	  "\"currency\": \"KRW\", \"basis\": \"contract\", \"estimate\": false}" },
	{ "\"meetings\": []", "\"meetings\": [], \"value_alt\": {\"amount\": 1, "
	  "\"currency\": \"KRW\", \"basis\": \"project\", \"estimate\": true}" },
	{ "\"meetings\": [], ", "" }, { "\"id\": \"g73\", ", "" },
	{ "[{\"source\": \"generated\", \"quote\": \"deal 73\"}]", "[]" },
	{ "[{\"source\": \"generated\", \"quote\": \"deal 73\"}]", "null" },
	{ "\"quote\": \"deal 73\"", "\"quote\": \" \"" },
	{ "\"quote\": \"deal 73\"", "\"quote\": \"deal 73\", \"page\": 2" },
	{ "\"quote\": \"deal 73\"", "\"quote\": \"deal 73\", \"quote\": \"again\"" },
	{ "\"source\": \"generated\", ", "" },
	{ "{\"source\": \"generated\", \"quote\": \"deal 73\"}",
	  "{\"source\": \"generated\", \"quote\": \"deal 73\"}, "
	  "{\"source\": \"other\", \"quote\": \"deal 73\"}" },
	{ "\"id\": \"g73\"", "\"id\": \"g 73\"" },
	{ "{\"id\"", " \n{ \"id\"" },
};

Test(resource, a_scan_gives_up_on_every_fault_and_reads_what_it_takes_as_the_tree_does)
{
	struct tally t = { 0 };

	for (size_t i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		const struct mutation *m = &mutations[i];
		const char *at = strstr(plain_deal, m->from);
		struct strbuf text = STRBUF_INIT;
		char where[600];
		cJSON *tree;

		cr_assert_not_null(at, "mutation %zu: no %s", i, m->from);
		strbuf_add(&text, plain_deal, (size_t)(at - plain_deal));
		strbuf_addstr(&text, m->to);
		strbuf_addstr(&text, at + strlen(m->from));
		tree = cJSON_ParseWithLength(text.buf, text.len);
		cr_assert_not_null(tree, "mutation %zu is not JSON: %s", i, text.buf);
		snprintf(where, sizeof(where), "mutation %zu (%s)", i, text.buf);
		compare_record(&deal_resource, text.buf, text.len, tree, where, &t);
		cJSON_Delete(tree);
		strbuf_release(&text);
	}
	/* Both kinds are there: records the tree reader refuses, and unusual ones it takes. */
	cr_assert_lt(t.read, t.records);
	cr_assert_gt(t.scanned, 10);
}
