/*
 * Tests for lib/text.c: UTF-8 validation, ASCII case folding and comma lists.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "lib/text.h"

#define S(x) x, sizeof(x) - 1

Test(text, measures_valid_utf8_sequences)
{
	cr_assert_eq(utf8_seq_len((const unsigned char *)"a", 1), 1);
	cr_assert_eq(utf8_seq_len((const unsigned char *)"\xc4\x83", 2), 2);
	cr_assert_eq(utf8_seq_len((const unsigned char *)"\xe2\x82\xa9", 3), 3);
	cr_assert_eq(utf8_seq_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
}

Test(text, refuses_overlong_surrogate_and_out_of_range_sequences)
{
	cr_assert_eq(utf8_seq_len((const unsigned char *)"\xc0\x80", 2), 0);
	cr_assert_eq(utf8_seq_len((const unsigned char *)"\xe0\x80\x80", 3), 0);
	cr_assert_eq(utf8_seq_len((const unsigned char *)"\xed\xa0\x80", 3), 0);
	cr_assert_eq(utf8_seq_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
	cr_assert_eq(utf8_seq_len((const unsigned char *)"\xe2\x82", 2), 0);
	cr_assert_eq(utf8_seq_len((const unsigned char *)"\x80", 1), 0);
}

Test(text, finds_the_first_invalid_byte)
{
	cr_assert_eq(utf8_invalid_at(S("plain")), 5);
	cr_assert_eq(utf8_invalid_at(S("ab\xff")), 2);
	cr_assert_eq(utf8_invalid_at(S("\xc4\x83\xc4")), 2);
}

Test(text, compares_ignoring_ascii_case_only)
{
	cr_assert(ascii_caseeq(S("Romania"), S("ROMANIA")));
	cr_assert_not(ascii_caseeq(S("Rom"), S("Romania")));
	cr_assert_lt(ascii_casecmp(S("apple"), S("Banana")), 0);
	cr_assert_lt(ascii_casecmp(S("ab"), S("abc")), 0);
	cr_assert_not(ascii_caseeq(S("\xc3\xa9"), S("\xc3\x89")), "non-ASCII compares as bytes");
}

Test(text, finds_substrings_and_prefixes_ignoring_case)
{
	cr_assert(ascii_casecontains(S("Korea Hydro & Nuclear Power"), S("NUCLEAR")));
	cr_assert(ascii_casecontains(S("abc"), S("")));
	cr_assert_not(ascii_casecontains(S("ab"), S("abc")));
	cr_assert(ascii_casestarts(S("Port of Constanta"), S("port")));
	cr_assert_not(ascii_casestarts(S("Port"), S("Ports")));
}

Test(text, steps_through_comma_lists_trimming_spaces_and_tabs)
{
	const char *p = " gzip ;q=1 ,,\tbr\t, x-gzip", *tok;
	size_t len;

	cr_assert(text_next_token(&p, &tok, &len));
	cr_assert_eq(len, 9);
	cr_assert(strncmp(tok, "gzip ;q=1", len) == 0);
	cr_assert(text_next_token(&p, &tok, &len));
	cr_assert_eq(len, 0, "an empty item");
	cr_assert(text_next_token(&p, &tok, &len));
	cr_assert(len == 2 && strncmp(tok, "br", 2) == 0);
	cr_assert(text_next_token(&p, &tok, &len));
	cr_assert(len == 6 && strncmp(tok, "x-gzip", 6) == 0);
	cr_assert_not(text_next_token(&p, &tok, &len));
	p = "a,";
	cr_assert(text_next_token(&p, &tok, &len) && len == 1);
	cr_assert_not(text_next_token(&p, &tok, &len), "no empty item after a last comma");
	p = NULL;
	cr_assert_not(text_next_token(&p, &tok, &len));
}

/* A number counts as an integer when its value is whole, however it is written. */
Test(text, reads_integers_as_json_schema_counts_them)
{
	static const struct { const char *s; int64_t v; } good[] = {
		{ "42", 42 }, { "+42", 42 }, { "-42", -42 }, { "042", 42 }, { "42.0", 42 },
		{ "4.2e1", 42 }, { "4.2E+1", 42 }, { "4200e-2", 42 }, { "0", 0 }, { "-0", 0 },
		{ "0.000", 0 }, { "0e999999999999", 0 }, { "1e18", 1000000000000000000 },
		{ "9223372036854775807", INT64_MAX }, { "-9223372036854775808", INT64_MIN },
		{ "92233720368547758.07e2", INT64_MAX },
	};
	static const char *const bad[] = {
		"", "+", "-", "4.2", "42.", ".5e1", "1e", "1e+", "0x2a", " 42", "42 ", "4 2", "++4",
		"1,000", "9223372036854775808", "-9223372036854775809", "1e19", "1e-1", "Infinity",
		"NaN", "5e999999999999",
	};
	int64_t v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		cr_assert(text_parse_integer(good[i].s, strlen(good[i].s), &v), "\"%s\" refused", good[i].s);
		cr_assert_eq(v, good[i].v, "\"%s\" read as %lld", good[i].s, (long long)v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(text_parse_integer(bad[i], strlen(bad[i]), &v), "\"%s\" accepted", bad[i]);
	cr_assert(text_parse_integer("427", 2, &v) && v == 42, "reads len bytes only");
}
