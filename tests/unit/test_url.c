/*
 * Tests for lib/url.c.
 */
#include <criterion/criterion.h>

#include "lib/url.h"

Test(url, encoding_keeps_the_grammar_readable)
{
	struct strbuf sb = STRBUF_INIT;

	url_encode_query(&sb, "value.amount:gte,-a b&c=d+e%f/g\xc3\xa9");
	cr_assert_str_eq(sb.buf, "value.amount:gte,-a%20b%26c%3Dd%2Be%25f/g%C3%A9");
	strbuf_release(&sb);
}

Test(url, decodes_escapes_and_plus_only_where_asked)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_null(percent_decode("a%41+b%c3%A9", 12, false, &sb));
	cr_assert_str_eq(sb.buf, "aA+b\xc3\xa9");
	strbuf_reset(&sb);
	cr_assert_null(percent_decode("a+b", 3, true, &sb));
	cr_assert_str_eq(sb.buf, "a b");
	strbuf_reset(&sb);
	cr_assert_null(percent_decode("ab%2", 2, false, &sb), "only len bytes are read");
	cr_assert_str_eq(sb.buf, "ab");
	strbuf_release(&sb);
}

Test(url, refuses_bad_escapes_nul_and_invalid_utf8)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_str_eq(percent_decode("%4", 2, false, &sb), "a '%' that is not followed by two hex digits");
	cr_assert_str_eq(percent_decode("%zz", 3, false, &sb), "a '%' that is not followed by two hex digits");
	cr_assert_str_eq(percent_decode("a%00", 4, false, &sb), "an encoded NUL (%00)");
	cr_assert_str_eq(percent_decode("%C3", 3, false, &sb), "bytes that are not valid UTF-8");
	cr_assert_str_eq(percent_decode("\xff", 1, false, &sb), "bytes that are not valid UTF-8");
	strbuf_release(&sb);
}

Test(url, decodes_runs_between_escapes_and_appends_to_what_is_there)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "x=");
	cr_assert_null(percent_decode("countries%3DRO+and%20more+", 26, true, &sb));
	cr_assert_str_eq(sb.buf, "x=countries=RO and more ");
	strbuf_reset(&sb);
	cr_assert_null(percent_decode("%41", 3, true, &sb));
	cr_assert_str_eq(sb.buf, "A", "an escape alone");
	strbuf_reset(&sb);
	cr_assert_null(percent_decode("", 0, true, &sb));
	cr_assert_str_eq(sb.buf, "");
	strbuf_release(&sb);
}
