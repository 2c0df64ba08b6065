/*
 * Tests for lib/json.c: the RFC 8259 validator in front of cJSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "lib/json.h"

/* Parameters are copied into each test's own process, where pointers to
 * static data may not hold: hence arrays, not pointers. */
struct text {
	char json[48];
	char message[128];   /* empty: valid */
};

ParameterizedTestParameters(json, validates_each_text)
{
	static struct text cases[] = {
		{ "{}", "" },
		{ " [1, -2.5e+3, 0, 0.5, true, false, null, \"x\"] ", "" },
		{ "\"\\u00e9\\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"", "" },
		{ "\"caf\xc3\xa9\"", "" },
		{ "{\"a\":{\"b\":[{}]}}", "" },
		{ "", "line 1, column 1: empty input: expected a JSON value" },
		{ "   ", "line 1, column 4: empty input: expected a JSON value" },
		{ "{", "line 1, column 2: unexpected end of input (is the file truncated?)" },
		{ "[1,", "line 1, column 4: unexpected end of input (is the file truncated?)" },
		{ "{\"a\" 1}", "line 1, column 6: expected ':' after an object key" },
		{ "{1:2}", "line 1, column 2: expected a string key in an object" },
		{ "[1 2]", "line 1, column 4: expected ',' or ']' after an array element" },
		{ "[1,]", "line 1, column 4: trailing comma in an array" },
		{ "{\"a\":1,}", "line 1, column 8: trailing comma in an object" },
		{ "[01]", "line 1, column 3: a number may not have leading zeros" },
		{ "[1.]", "line 1, column 4: invalid number: expected digits after '.'" },
		{ "[1e]", "line 1, column 4: invalid number: expected digits in the exponent" },
		{ "[-]", "line 1, column 3: invalid number" },
		{ "[+1]", "line 1, column 2: expected a value (string, number, object, array, true, false or null)" },
		{ "[tru]", "line 1, column 2: expected a value (string, number, object, array, true, false or null)" },
		{ "[NaN]", "line 1, column 2: expected a value (string, number, object, array, true, false or null)" },
		{ "{} {}", "line 1, column 4: unexpected text after the JSON value" },
		{ "\"abc", "line 1, column 5: unterminated string (is the file truncated?)" },
		{ "\"a\\x\"", "line 1, column 3: invalid escape in a string" },
		{ "\"\\u12\"", "line 1, column 6: invalid \\u escape: expected four hex digits" },
		{ "\"\\u0000\"", "line 1, column 2: \\u0000 (NUL) is not allowed in a string" },
		{ "\"\\udc00\"", "line 1, column 2: unpaired low surrogate in a \\u escape" },
		{ "\"\\ud800x\"", "line 1, column 2: unpaired high surrogate in a \\u escape" },
		{ "\"\\ud800\\u0041\"", "line 1, column 2: unpaired high surrogate in a \\u escape" },
		{ "\"a\tb\"", "line 1, column 3: control character in a string (escape it, e.g. \\n)" },
		{ "\"\xff\"", "line 1, column 2: invalid UTF-8 in a string" },
		{ "\"\xc0\xaf\"", "line 1, column 2: invalid UTF-8 in a string" },
		{ "\"\xed\xa0\x80\"", "line 1, column 2: invalid UTF-8 in a string" },
		{ "\"\xe2\x82\"", "line 1, column 2: invalid UTF-8 in a string" },
		{ "[\n  1,\n  x\n]", "line 3, column 3: expected a value (string, number, object, array, true, false or null)" },
		{ "[\"\xc3\xa9\xc3\xa9\", x]", "line 1, column 8: expected a value (string, number, object, array, true, false or null)" },
	};

	return cr_make_param_array(struct text, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct text *c, json, validates_each_text)
{
	struct strbuf msg = STRBUF_INIT;
	int rc = json_validate(c->json, strlen(c->json), &msg);

	if (!c->message[0]) {
		cr_assert_eq(rc, 0, "%s: %s", c->json, msg.buf);
	} else {
		cr_assert_eq(rc, -1, "%s was accepted", c->json);
		cr_assert_str_eq(msg.buf, c->message, "for %s", c->json);
	}
	strbuf_release(&msg);
}

Test(json, refuses_nesting_past_the_limit_and_accepts_it_at_the_limit)
{
	char deep[2 * JSON_MAX_DEPTH + 3];
	struct strbuf msg = STRBUF_INIT;

	memset(deep, '[', JSON_MAX_DEPTH);
	memset(deep + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
	cr_assert_eq(json_validate(deep, 2 * JSON_MAX_DEPTH, &msg), 0);
	memset(deep, '[', JSON_MAX_DEPTH + 1);
	memset(deep + JSON_MAX_DEPTH + 1, ']', JSON_MAX_DEPTH + 1);
	cr_assert_eq(json_validate(deep, 2 * JSON_MAX_DEPTH + 2, &msg), -1);
	cr_assert_str_eq(msg.buf, "line 1, column 65: arrays and objects nest too deeply (the limit is 64)");
	strbuf_release(&msg);
}

Test(json, parse_returns_a_tree_or_one_message_with_the_name)
{
	struct strbuf err = STRBUF_INIT;
	cJSON *root = json_parse("{\"a\": [1, 2]}", 13, "x.json", &err);

	cr_assert_not_null(root);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "a")), 2);
	cJSON_Delete(root);
	cr_assert_null(json_parse("{\"a\": [1, 2]", 12, "x.json", &err));
	cr_assert_str_eq(err.buf, "x.json: line 1, column 13: unexpected end of input (is the file truncated?)");
	strbuf_release(&err);
}

Test(json, does_not_read_past_the_length_given)
{
	struct strbuf err = STRBUF_INIT;
	cJSON *root = json_parse("[1]garbage", 3, "x", &err);

	cr_assert_not_null(root, "%s", err.buf);
	cJSON_Delete(root);
	strbuf_release(&err);
}

/* The elements of the arrays split out, one at a time; the rest as a tree with those arrays empty. */
Test(json, splits_top_level_arrays_into_elements)
{
	const char *text = "\xEF\xBB\xBF { \"a\" : [ 5 , \"x\\\\\\\"y]\" ,[1,{\"k\":\"}\"}], -1.5e3,true,null,{ } ] ,"
			   "\"b\":{\"c\":[1]}, \"d\": 7, \"a\": [9], \"e\": [] }";
	struct json_split split[3] = { { .key = "a" }, { .key = "d" }, { .key = "e" } };
	struct strbuf err = STRBUF_INIT;
	cJSON *root = json_parse_split(text, strlen(text), "t.json", &err, split, 3);
	const char *want[] = { "5", "\"x\\\\\\\"y]\"", "[1,{\"k\":\"}\"}]", "-1500", "true", "null", "{}" };
	char *out;

	cr_assert_not_null(root, "%s", err.buf);
	cr_assert(split[0].found);
	cr_assert_eq(split[0].n, 7);
	for (size_t i = 0; i < split[0].n; i++) {
		cJSON *e = json_parse_element(text, &split[0], i);

		out = cJSON_PrintUnformatted(e);
		cr_assert_str_eq(out, want[i], "element %zu", i);
		free(out);
		cJSON_Delete(e);
	}
	cr_assert_not(split[1].found, "d is no array: it stays in the tree");
	cr_assert(split[2].found);
	cr_assert_eq(split[2].n, 0);
	out = cJSON_PrintUnformatted(root);
	cr_assert_str_eq(out, "{\"a\":[],\"b\":{\"c\":[1]},\"d\":7,\"a\":[9],\"e\":[]}",
			 "the first a is split, the second kept");
	free(out);
	cJSON_Delete(root);
	json_split_release(split, 3);
	strbuf_release(&err);
}

Test(json, parses_elements_into_an_arena_reused_after_a_reset)
{
	const char *text = "{\"a\": [{\"k\": \"v\\u00e9\", \"n\": [1, 2.5]}, [true, null], \"s\"]}";
	const char *want[] = { "{\"k\":\"v\u00e9\",\"n\":[1,2.5]}", "[true,null]", "\"s\"" };
	struct json_split split[1] = { { .key = "a" } };
	struct strbuf err = STRBUF_INIT;
	struct arena a = ARENA_INIT;
	cJSON *root = json_parse_split(text, strlen(text), "t.json", &err, split, 1);
	size_t used = 0;

	cr_assert_not_null(root, "%s", err.buf);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < split[0].n; i++) {
			cJSON *e = json_parse_element_in(text, &split[0], i, &a);
			char *out = cJSON_PrintUnformatted(e);   /* outside the parse: malloc() */

			cr_assert_str_eq(out, want[i], "element %zu", i);
			free(out);
		}
		cr_assert_gt(a.used, 0, "the trees are in the arena");
		if (round)
			cr_assert_eq(a.used, used, "the same trees take the same room again");
		used = a.used;
		arena_reset(&a);
		cr_assert_eq(a.used, 0);
	}
	arena_release(&a);
	cJSON_Delete(root);
	json_split_release(split, 1);
	strbuf_release(&err);
}

/* A text of more than a megabyte, split while a second thread validates it. */
static void big_text(struct strbuf *sb, size_t n)
{
	strbuf_addstr(sb, "{\"a\": [");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s{\"k\": %zu, \"s\": \"x\\\"]}\"}", i ? ", " : "", i);
	strbuf_addstr(sb, "], \"b\": 2}");
}

Test(json, splits_a_big_text_while_another_thread_validates_it)
{
	struct json_split split[1] = { { .key = "a" } };
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const size_t n = 60000;
	cJSON *root, *e;

	big_text(&text, n);
	cr_assert_gt(text.len, (size_t)1 << 20, "big enough for the validating thread");
	root = json_parse_split(text.buf, text.len, "t.json", &err, split, 1);
	cr_assert_not_null(root, "%s", err.buf);
	cr_assert_eq(split[0].n, n);
	e = json_parse_element(text.buf, &split[0], n - 1);
	cr_assert_eq(cJSON_GetObjectItem(e, "k")->valueint, (int)(n - 1));
	cr_assert_str_eq(cJSON_GetObjectItem(e, "s")->valuestring, "x\"]}");
	cJSON_Delete(e);
	cr_assert_eq(cJSON_GetObjectItem(root, "b")->valueint, 2);
	cJSON_Delete(root);
	json_split_release(split, 1);
	strbuf_release(&text);
	strbuf_release(&err);
}

Test(json, a_big_text_that_is_not_json_is_reported_as_a_small_one_is)
{
	/* Cut inside a string, after an escape, and in a number: the splitting must stay in
	 * bounds, and the fault reported is the validator's. */
	static const char *const tails[] = { "{\"k\": \"abc", "{\"k\": \"abc\\", "{\"k\": -", "{\"k\": [}" };

	for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
		struct json_split split[1] = { { .key = "a" } };
		struct strbuf text = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;
		char *cut;

		big_text(&text, 60000);
		strbuf_setlen(&text, text.len - strlen("], \"b\": 2}"));
		strbuf_addf(&text, ", %s", tails[t]);
		/* An exact copy, with no byte after it to read by mistake. */
		cut = malloc(text.len);
		memcpy(cut, text.buf, text.len);
		cr_assert_eq(json_validate(cut, text.len, &want), -1);
		cr_assert_null(json_parse_split(cut, text.len, "t.json", &err, split, 1), "tail %zu", t);
		cr_assert_str_eq(err.buf + strlen("t.json: "), want.buf, "tail %zu", t);
		cr_assert_not(split[0].found);
		free(cut);
		strbuf_release(&text);
		strbuf_release(&err);
		strbuf_release(&want);
	}
}

Test(json, a_big_text_with_a_nul_for_an_element_is_reported_not_split_forever)
{
	/* A NUL where an element starts ended no step of the splitting (strchr finds the
	 * terminator), so it recorded that byte as elements until memory ran out. */
	static const char nul_tails[][4] = { { ',', ' ', '\0', ']' }, { ',', ' ', '1', '\0' } };

	for (size_t t = 0; t < sizeof(nul_tails) / sizeof(nul_tails[0]); t++) {
		struct json_split split[1] = { { .key = "a" } };
		struct strbuf text = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;

		big_text(&text, 60000);
		strbuf_setlen(&text, text.len - strlen("], \"b\": 2}"));
		strbuf_add(&text, nul_tails[t], sizeof(nul_tails[t]));
		strbuf_addstr(&text, "]}");
		cr_assert_eq(json_validate(text.buf, text.len, &want), -1);
		cr_assert_null(json_parse_split(text.buf, text.len, "t.json", &err, split, 1), "tail %zu", t);
		cr_assert_str_eq(err.buf + strlen("t.json: "), want.buf, "tail %zu", t);
		cr_assert_not(split[0].found);
		strbuf_release(&text);
		strbuf_release(&err);
		strbuf_release(&want);
	}
}

Test(json, split_reports_faults_as_parse_does)
{
	struct json_split split[1] = { { .key = "a" } };
	struct strbuf err = STRBUF_INIT;

	cr_assert_null(json_parse_split("{\"a\": [1,]}", 11, "t.json", &err, split, 1));
	cr_assert_str_eq(err.buf, "t.json: line 1, column 10: trailing comma in an array");
	cr_assert_not(split[0].found);
	strbuf_release(&err);
}
