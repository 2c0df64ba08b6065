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
