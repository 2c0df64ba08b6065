/*
 * Tests for lib/etag.c.
 */
#include <criterion/criterion.h>

#include "lib/etag.h"

Test(etag, lists_are_parsed_strictly)
{
	cr_assert(etag_list_matches("\"a\", \"b\"", "\"b\""));
	cr_assert(etag_list_matches("W/\"x\",\"b\"", "\"b\""));
	cr_assert_not(etag_list_matches("\"a\"", "\"b\""));
	cr_assert_not(etag_list_matches("b", "\"b\""), "unquoted is not an entity-tag");
	cr_assert_not(etag_list_matches("\"b", "\"b\""));
	cr_assert_not(etag_list_matches("", "\"b\""));
}

Test(etag, formats_strong_etags)
{
	char e[ETAG_SIZE];

	etag_format(e, 0x0123456789abcdefULL, false);
	cr_assert_str_eq(e, "\"0123456789abcdef\"");
	etag_format(e, 0x0123456789abcdefULL, true);
	cr_assert_str_eq(e, "\"0123456789abcdef-gz\"");
}

Test(etag, a_star_matches_anything_and_weak_tags_match_strong_ones)
{
	cr_assert(etag_list_matches("*", "\"b\""));
	cr_assert(etag_list_matches(" ,W/\"b\"", "\"b\""));
	cr_assert_not(etag_list_matches("\"b-gz\"", "\"b\""));
}

Test(etag, if_match_is_strong_and_star_needs_a_record)
{
	const uint64_t tag = 0x0123456789abcdefULL;

	cr_assert(etag_if_match("\"0123456789abcdef\"", true, tag));
	cr_assert(etag_if_match("\"x\", \"0123456789abcdef-gz\"", true, tag));
	cr_assert_not(etag_if_match("W/\"0123456789abcdef\"", true, tag), "weak never matches");
	cr_assert_not(etag_if_match("\"0123456789abcdee\"", true, tag));
	cr_assert_not(etag_if_match("\"0123456789abcdef\"", false, tag));
	cr_assert(etag_if_match("*", true, tag));
	cr_assert_not(etag_if_match("*", false, tag));
	cr_assert_not(etag_if_match("0123456789abcdef", true, tag), "unquoted is no entity-tag");
}
