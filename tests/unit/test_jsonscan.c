/*
 * Tests for lib/jsonscan.c: strings unescaped, values skipped, and never a
 * byte read past the end.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "lib/jsonscan.h"
#include "lib/mem.h"

/* Parameters are copied into each test's process: arrays, not pointers. */
struct string_case {
	char json[48], text[32];
	size_t text_len;
};

ParameterizedTestParameters(jsonscan, strings_are_unescaped)
{
	static struct string_case cases[] = {
		{ "\"plain\"", "plain", 5 },
		{ "\"\"", "", 0 },
		{ "\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d", 7 },
		{ "\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t", 5 },
		{ "\"Cernavod\\u0103\"", "Cernavodă", 10 },
		{ "\"Cernavodă\"", "Cernavodă", 10 },
		{ "\"\\uD55C\\uAD6D\"", "한국", 6 },
		{ "\"\\ud83d\\ude00\"", "\xF0\x9F\x98\x80", 4 },
		{ "\"lone \\ud83d here\"", "lone \xEF\xBF\xBD here", 13 },
		{ "\"nul \\u0000 inside\"", "nul \0 inside", 12 },
	};
	return cr_make_param_array(struct string_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct string_case *c, jsonscan, strings_are_unescaped)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = c->json + strlen(c->json);

	cr_assert_eq(jsonscan_string(c->json, end, &sb), end, "%s", c->json);
	cr_assert_eq(sb.len, c->text_len, "%s", c->json);
	cr_assert(!memcmp(sb.buf, c->text, c->text_len), "%s", c->json);
	strbuf_release(&sb);
}

Test(jsonscan, values_of_any_kind_are_skipped_whole)
{
	const char *vals[] = {
		"null", "true", "-12.5e3", "\"a]}\\\"\"", "[]", "{}", "[1,[2,{\"a\":[3]}],\"]\"]",
		"{\"k\":{\"x\":null,\"y\":\"}\"},\"z\":[]}",
	};

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		char *s = xmemdup0(vals[i], strlen(vals[i]));
		size_t n = strlen(s);

		/* Followed by more, as inside an object: it stops at the value's end. */
		cr_assert_eq(jsonscan_skip(s, s + n), s + n, "%s", vals[i]);
		free(s);
	}
}

Test(jsonscan, truncated_or_wrong_text_gives_null_and_stays_in_bounds)
{
	const char *bad[] = { "", "\"open", "\"esc\\", "\"\\u12\"", "\"\\q\"", "[1,2", "{\"a\":",
			      "]", ",", "\"\\ud83d\\u" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* An exact-size copy: ASan flags any read past it. */
		size_t n = strlen(bad[i]);
		char *s = xmalloc(n ? n : 1);
		struct strbuf sb = STRBUF_INIT;

		memcpy(s, bad[i], n);
		if (bad[i][0] == '"')
			cr_assert_null(jsonscan_string(s, s + n, &sb), "%s", bad[i]);
		else
			cr_assert_null(jsonscan_skip(s, s + n), "%s", bad[i]);
		strbuf_release(&sb);
		free(s);
	}
}

Test(jsonscan, atoms_and_white_space)
{
	const char *s = "  \t\n 1234,";
	const char *p = jsonscan_ws(s, s + strlen(s));

	cr_assert_eq(p, s + 5);
	cr_assert_eq(jsonscan_atom(p, s + strlen(s)), s + 9);
	cr_assert_null(jsonscan_atom(s + 9, s + strlen(s)), "a comma is no atom");
}

Test(jsonscan, reads_a_string_without_escapes_in_place_and_leaves_one_with_them)
{
	const char plain[] = "\"caf\xc3\xa9 du port\", 1", esc[] = "\"a\\\"b\"", open[] = "\"open";
	const char *s;
	size_t len;

	cr_assert_eq(jsonscan_plain(plain, plain + strlen(plain), &s, &len), plain + 15);
	cr_assert_eq(s, plain + 1);
	cr_assert_eq(len, 13);
	cr_assert_null(jsonscan_plain(esc, esc + strlen(esc), &s, &len));
	cr_assert_null(jsonscan_plain(open, open + strlen(open), &s, &len));
	cr_assert_null(jsonscan_plain(plain + 17, plain + strlen(plain), &s, &len));
}

Test(jsonscan, reads_numbers_words_and_the_steps_of_containers)
{
	const char obj[] = "{ \"a\" : -1.5e2 , \"b\":true}", empty[] = "[ ]", *end = obj + strlen(obj);
	const char *p, *key;
	size_t len;
	double d;
	bool more;

	p = jsonscan_open(obj, end, '{', &more);
	cr_assert(more);
	p = jsonscan_key(p, end, &key, &len);
	cr_assert_eq(len, 1);
	cr_assert_eq(*key, 'a');
	p = jsonscan_number(p, end, &d);
	cr_assert_float_eq(d, -150.0, 0);
	p = jsonscan_next(p, end, '}', &more);
	cr_assert(more);
	p = jsonscan_key(p, end, &key, &len);
	cr_assert_null(jsonscan_word(p, end, "false"));
	p = jsonscan_word(p, end, "true");
	p = jsonscan_next(p, end, '}', &more);
	cr_assert_not(more);
	cr_assert_eq(p, end);
	cr_assert_eq(jsonscan_open(empty, empty + 3, '[', &more), empty + 3);
	cr_assert_not(more);
	cr_assert_null(jsonscan_open(empty, empty + 3, '{', &more));
	cr_assert_null(jsonscan_number(obj, end, &d));
	cr_assert_null(jsonscan_next(obj + 8, end, '}', &more));
}
