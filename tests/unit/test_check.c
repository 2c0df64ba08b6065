/*
 * Tests for lib/check.c: describing values, the common rules, and the
 * readers' messages (the store fixtures test them through whole files).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "lib/check.h"

static void described(const char *json, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	cJSON *v = cJSON_Parse(json);

	check_describe(&sb, v);
	cr_assert_str_eq(sb.buf, want, "%s", json);
	cJSON_Delete(v);
	strbuf_release(&sb);
}

Test(check, describes_what_it_got_in_a_few_words)
{
	described("\"12\"", "\"12\"");
	described("12.5", "12.5");
	described("1e3", "1000");
	described("0.1", "0.1");
	described("null", "null");
	described("true", "true");
	described("[1]", "an array");
	described("{}", "an object");
	described("\"a string that goes on for far longer than a message should quote\"",
		  "\"a string that goes on for far longer ...\"");
	/* 21 two-byte characters: cut at 37 bytes would split one; the cut backs up to 36. */
	described("\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"",
		  "\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9...\"");
}

Test(check, slugs_and_ids)
{
	cr_assert_null(check_rule_slug("ev-batteries", 12));
	cr_assert_null(check_rule_slug("a1", 2));
	cr_assert_not_null(check_rule_slug("-a", 2));
	cr_assert_not_null(check_rule_slug("a-", 2));
	cr_assert_not_null(check_rule_slug("a--b", 4));
	cr_assert_not_null(check_rule_slug("A", 1));
	cr_assert_null(check_rule_id("bilateral-ro", 12));
	cr_assert_null(check_rule_id("v1.2_x~y", 8));
	cr_assert_not_null(check_rule_id("a b", 3));
	cr_assert_not_null(check_rule_id("..", 2));
	cr_assert_not_null(check_rule_id("caf\xc3\xa9", 5));
}

Test(check, one_message_names_the_file_and_the_path)
{
	struct strbuf err = STRBUF_INIT;
	struct check c;
	size_t a, b;

	check_init(&c, "f.json", &err);
	a = check_enter_key(&c, "deals");
	b = check_enter_index(&c, 4);
	check_enter_key(&c, "value");
	check_fail(&c, "first %d", 1);
	check_fail(&c, "second");
	check_leave(&c, b);
	check_leave(&c, a);
	cr_assert_str_eq(err.buf, "f.json: deals[4].value: first 1", "only the first fault is told");
	cr_assert_eq(c.path.len, 0);
	check_release(&c);
	strbuf_release(&err);
}

Test(check, finds_the_first_repeated_value_of_a_long_array)
{
	struct strbuf err = STRBUF_INIT, json = STRBUF_INIT;
	struct arena a = ARENA_INIT;
	struct strs out;
	struct check c;
	cJSON *obj;

	strbuf_addstr(&json, "{\"v\":[");
	for (int i = 0; i < 5000; i++)
		strbuf_addf(&json, "\"s%d\",", i);
	strbuf_addstr(&json, "\"s7\",\"s3\",\"s7\"]}");
	obj = cJSON_Parse(json.buf);
	check_init(&c, "f", &err);
	cr_assert_eq(check_strings(&c, obj, "v", CHECK_REQUIRED, NULL, &a, &out), -1);
	cr_assert_str_eq(err.buf, "f: v[5000]: duplicate value \"s7\" (also at index 7)");
	check_release(&c);
	cJSON_Delete(obj);
	arena_release(&a);
	strbuf_release(&err);
	strbuf_release(&json);
}

static int read_int_element(struct check *c, const cJSON *e, struct arena *a, void *base,
			    size_t i, const void *arg)
{
	(void)a;
	(void)arg;
	return check_int_value(c, e, 0, 9, &((int64_t *)base)[i]);
}

Test(check, reads_arrays_element_by_element_with_the_path_at_each)
{
	cJSON *v = cJSON_Parse("{\"a\":[1,2,3],\"b\":[1,20],\"n\":null}");
	struct strbuf err = STRBUF_INIT;
	struct arena a = ARENA_INIT;
	struct check c;
	void *out;
	size_t n;

	check_init(&c, "f.json", &err);
	cr_assert_eq(check_array_of(&c, v, "a", 0, sizeof(int64_t), read_int_element, NULL, &a, &out, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(((int64_t *)out)[2], 3);
	cr_assert_eq(check_array_of(&c, v, "x", 0, sizeof(int64_t), read_int_element, NULL, &a, &out, &n), 0);
	cr_assert_eq(n, 0, "absent reads as empty");
	cr_assert_eq(check_array_of(&c, v, "n", CHECK_NULLABLE, sizeof(int64_t), read_int_element, NULL,
				    &a, &out, &n), 0, "null reads as empty where nullable");
	cr_assert_eq(check_array_of(&c, v, "b", 0, sizeof(int64_t), read_int_element, NULL, &a, &out, &n), -1);
	cr_assert_str_eq(err.buf, "f.json: b[1]: expected an integer from 0 to 9, got 20");
	cr_assert_eq(c.path.len, 0, "the path is left as it was");
	check_release(&c);
	arena_release(&a);
	strbuf_release(&err);
	cJSON_Delete(v);
}

Test(check, a_rule_on_a_member_is_told_at_its_path)
{
	struct strbuf err = STRBUF_INIT;
	struct check c;
	size_t mark;

	check_init(&c, "f.json", &err);
	mark = check_enter_index(&c, 4);
	cr_assert_eq(check_fail_at(&c, "end_date", "\"%s\" is before", "x"), -1);
	cr_assert_str_eq(err.buf, "f.json: [4].end_date: \"x\" is before");
	cr_assert_eq(check_fail_at(&c, "other", "ignored"), -1, "only the first fault is told");
	cr_assert_str_eq(err.buf, "f.json: [4].end_date: \"x\" is before");
	check_leave(&c, mark);
	check_release(&c);
	strbuf_release(&err);
}

Test(check, reads_booleans_and_nothing_that_looks_like_one)
{
	cJSON *v = cJSON_Parse("{\"t\":true,\"f\":false,\"s\":\"true\",\"n\":null,\"one\":1}");
	struct strbuf err = STRBUF_INIT;
	bool out = false, present;
	struct check c;

	check_init(&c, "f.json", &err);
	cr_assert_eq(check_bool(&c, v, "t", CHECK_REQUIRED, &out, &present), 0);
	cr_assert(out && present);
	cr_assert_eq(check_bool(&c, v, "f", CHECK_REQUIRED, &out, &present), 0);
	cr_assert(!out && present);
	cr_assert_eq(check_bool(&c, v, "x", 0, &out, &present), 0);
	cr_assert(!present, "absent and not required: nothing read");
	cr_assert_eq(check_bool(&c, v, "n", CHECK_NULLABLE, &out, &present), 0);
	cr_assert(!present, "null where nullable: nothing read");
	cr_assert_eq(check_bool(&c, v, "s", CHECK_REQUIRED, &out, &present), -1);
	cr_assert_str_eq(err.buf, "f.json: s: expected true or false, got \"true\"");
	check_release(&c);
	strbuf_reset(&err);
	check_init(&c, "f.json", &err);
	cr_assert_eq(check_bool(&c, v, "one", CHECK_REQUIRED, &out, &present), -1);
	cr_assert_str_eq(err.buf, "f.json: one: expected true or false, got 1");
	check_release(&c);
	strbuf_reset(&err);
	check_init(&c, "f.json", &err);
	cr_assert_eq(check_bool(&c, v, "x", CHECK_REQUIRED, &out, &present), -1);
	cr_assert_str_eq(err.buf, "f.json: (top level): missing required field \"x\"");
	check_release(&c);
	strbuf_release(&err);
	cJSON_Delete(v);
}

Test(check, a_collecting_check_keeps_every_fault_with_a_pointer)
{
	static const char *const allowed[] = { "a", "b", NULL };
	struct arena a = ARENA_INIT;
	cJSON *v = cJSON_Parse("{\"a\": [\"x\", 3, \"\", \"~/\"], \"zz\": 1, \"yy\": 2}");
	struct strs out;
	struct check c;

	check_init_collect(&c);
	cr_assert_eq(check_object(&c, v, allowed), -1);
	cr_assert_eq(check_strings(&c, v, "a", CHECK_REQUIRED, NULL, &a, &out), -1);
	cr_assert_eq(check_strings(&c, v, "b", CHECK_REQUIRED, NULL, &a, &out), -1);
	cr_assert_eq(c.nerrors, 5);
	cr_assert_str_eq(c.errors[0].pointer, "");
	cr_assert(strstr(c.errors[0].detail, "unknown field \"zz\""), "%s", c.errors[0].detail);
	cr_assert(strstr(c.errors[1].detail, "unknown field \"yy\""), "%s", c.errors[1].detail);
	cr_assert_str_eq(c.errors[2].pointer, "/a/1");
	cr_assert_str_eq(c.errors[2].detail, "expected a string, got 3");
	cr_assert_str_eq(c.errors[3].pointer, "/a/2");
	cr_assert_str_eq(c.errors[3].detail, "expected a non-empty string, got \"\"");
	cr_assert_str_eq(c.errors[4].pointer, "");
	cr_assert_str_eq(c.errors[4].detail, "missing required field \"b\"");
	check_release(&c);
	cJSON_Delete(v);
	arena_release(&a);
}

Test(check, paths_become_rfc6901_pointers)
{
	struct strbuf sb = STRBUF_INIT;

	check_path_to_pointer("value.amount", &sb);
	cr_assert_str_eq(sb.buf, "/value/amount");
	strbuf_reset(&sb);
	check_path_to_pointer("evidence[1].source", &sb);
	cr_assert_str_eq(sb.buf, "/evidence/1/source");
	strbuf_reset(&sb);
	check_path_to_pointer("a~b", &sb);
	cr_assert_str_eq(sb.buf, "/a~0b");
	strbuf_reset(&sb);
	check_path_to_pointer("", &sb);
	cr_assert_eq(sb.len, 0);
	strbuf_release(&sb);
}
