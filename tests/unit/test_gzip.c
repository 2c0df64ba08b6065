/*
 * Tests for lib/gzip.c.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <zlib.h>

#include "lib/gzip.h"

Test(gzip, appends_a_gzip_stream_that_inflates_to_the_bytes)
{
	struct strbuf sb = STRBUF_INIT;
	char out[4096];
	z_stream z = { 0 };
	const char *text = "attache attache attache attache attache attache attache attache";

	strbuf_addstr(&sb, "kept:");
	cr_assert_eq(gzip_compress(text, strlen(text), 9, &sb), 0);
	cr_assert(strncmp(sb.buf, "kept:", 5) == 0, "appended, not replaced");
	cr_assert_eq((unsigned char)sb.buf[5], 0x1f, "the gzip magic");
	cr_assert_eq((unsigned char)sb.buf[6], 0x8b);
	inflateInit2(&z, 15 + 16);
	z.next_in = (Bytef *)sb.buf + 5;
	z.avail_in = (uInt)(sb.len - 5);
	z.next_out = (Bytef *)out;
	z.avail_out = sizeof(out);
	cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	cr_assert_eq(z.total_out, strlen(text));
	cr_assert(memcmp(out, text, strlen(text)) == 0);
	inflateEnd(&z);
	strbuf_release(&sb);
}

Test(gzip, compresses_nothing_into_a_valid_stream)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(gzip_compress("", 0, 1, &sb), 0);
	cr_assert_gt(sb.len, 10, "a header and a trailer");
	strbuf_release(&sb);
}

Test(gzip, refuses_a_level_zlib_does_not_know)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "x");
	cr_assert_eq(gzip_compress("abc", 3, 42, &sb), -1);
	cr_assert_str_eq(sb.buf, "x", "left as it was");
	strbuf_release(&sb);
}
