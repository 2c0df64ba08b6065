/*
 * Tests for lib/gzip.c.
 */
#include <stdint.h>
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

/* Inflates a gzip member into out; fails the test unless it is whole. */
static void gunzip(const char *gz, size_t len, struct strbuf *out)
{
	z_stream z = { 0 };
	int rc;

	inflateInit2(&z, 15 + 16);
	z.next_in = (Bytef *)(uintptr_t)gz;
	z.avail_in = (uInt)len;
	do {
		strbuf_grow(out, 4096);
		z.next_out = (Bytef *)out->buf + out->len;
		z.avail_out = (uInt)(out->alloc - out->len - 1);
		rc = inflate(&z, Z_NO_FLUSH);
		strbuf_setlen(out, out->alloc - 1 - z.avail_out);
	} while (rc == Z_OK);
	cr_assert_eq(rc, Z_STREAM_END, "the stream is complete");
	cr_assert_eq(z.avail_in, 0, "and nothing follows it");
	inflateEnd(&z);
}

Test(gzip, a_stream_fed_in_pieces_into_small_buffers_inflates_to_the_whole)
{
	struct strbuf text = STRBUF_INIT, gz = STRBUF_INIT, back = STRBUF_INIT;
	struct gzip_stream *g = gzip_stream_new(1);
	bool done = false;
	unsigned seed = 7;
	char out[37];

	for (int i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		strbuf_addf(&text, "record %d,%u\r\n", i, seed >> 16);
	}
	cr_assert_not_null(g);
	/* 1000-byte pieces in, 37-byte buffers out: every path through deflate's states. */
	for (size_t at = 0; !done;) {
		size_t piece = text.len - at < 1000 ? text.len - at : 1000;
		const char *in = text.buf + at;
		size_t left = piece, n;
		bool last = at + piece == text.len;

		do {
			n = gzip_stream_deflate(g, &in, &left, out, sizeof(out), last, &done);
			strbuf_add(&gz, out, n);
		} while (n || (last && !done));
		cr_assert_eq(left, 0, "a piece is taken whole before more is asked");
		at += piece;
	}
	gzip_stream_free(g);
	cr_assert_lt(gz.len, text.len / 2);
	gunzip(gz.buf, gz.len, &back);
	cr_assert_eq(back.len, text.len);
	cr_assert(!memcmp(back.buf, text.buf, text.len));
	strbuf_release(&text);
	strbuf_release(&gz);
	strbuf_release(&back);
}

Test(gzip, an_empty_stream_is_a_valid_member_and_then_stays_done)
{
	struct strbuf gz = STRBUF_INIT, back = STRBUF_INIT;
	struct gzip_stream *g = gzip_stream_new(6);
	const char *in = "";
	size_t left = 0;
	bool done = false;
	char out[64];

	strbuf_add(&gz, out, gzip_stream_deflate(g, &in, &left, out, sizeof(out), true, &done));
	cr_assert(done);
	cr_assert_eq(gzip_stream_deflate(g, &in, &left, out, sizeof(out), true, &done), 0);
	gzip_stream_free(g);
	gunzip(gz.buf, gz.len, &back);
	cr_assert_eq(back.len, 0);
	strbuf_release(&gz);
	strbuf_release(&back);
	cr_assert_null(gzip_stream_new(42), "a level zlib does not know");
}
