/*
 * Tests for handlers/stream.c: streamed bodies and their gzip on the fly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <zlib.h>

#include "handlers/stream.h"
#include "lib/mem.h"

/* A body of n numbered lines, handed out at most step bytes a pull. */
struct lines {
	struct strbuf text;
	size_t at, step;
	int *freed;
};

static size_t lines_next(void *state, char *buf, size_t max)
{
	struct lines *l = state;
	size_t n = l->text.len - l->at;

	if (n > max)
		n = max;
	if (n > l->step)
		n = l->step;
	memcpy(buf, l->text.buf + l->at, n);
	l->at += n;
	return n;
}

static void lines_free(void *state)
{
	struct lines *l = state;

	(*l->freed)++;
	strbuf_release(&l->text);
	free(l);
}

static struct body_stream lines_stream(int n, size_t step, int *freed)
{
	struct lines *l = xcalloc(1, sizeof(*l));

	for (int i = 0; i < n; i++)
		strbuf_addf(&l->text, "line %d of the body\n", i);
	l->step = step;
	l->freed = freed;
	return (struct body_stream){ lines_next, lines_free, l };
}

Test(stream, drain_reads_to_the_end_and_frees)
{
	struct strbuf out = STRBUF_INIT;
	int freed = 0;
	struct body_stream s = lines_stream(5000, 333, &freed);

	body_stream_drain(&s, &out);
	cr_assert_eq(freed, 1);
	cr_assert(!body_stream_present(&s), "left empty");
	cr_assert_eq(out.len, 5000 * strlen("line 0 of the body\n") + 10 * 1 + 90 * 2 + 900 * 3 + 4000 * 4 - 5000);
	cr_assert(!strncmp(out.buf, "line 0 of the body\nline 1", 25));
	strbuf_release(&out);
}

Test(stream, gzip_on_the_fly_inflates_to_the_same_bytes)
{
	struct strbuf plain = STRBUF_INIT, gz = STRBUF_INIT;
	int freed = 0;
	struct body_stream a = lines_stream(20000, 7000, &freed), b = lines_stream(20000, 7000, &freed);
	struct body_stream z;
	z_stream inf = { 0 };
	char *back;

	body_stream_drain(&a, &plain);
	cr_assert_eq(body_stream_gzip(&b, 1, &z), 0);
	cr_assert(!body_stream_present(&b), "the inner stream is taken");
	/* Pulled into small buffers, as a connection would. */
	for (;;) {
		char buf[1000];
		size_t n = z.next(z.state, buf, sizeof(buf));

		if (!n)
			break;
		strbuf_add(&gz, buf, n);
	}
	body_stream_free(&z);
	cr_assert_eq(freed, 2, "freeing the gzip stream frees the inner one");
	cr_assert_lt(gz.len, plain.len / 4);
	back = xmalloc(plain.len + 1);
	inflateInit2(&inf, 15 + 16);
	inf.next_in = (Bytef *)gz.buf;
	inf.avail_in = (uInt)gz.len;
	inf.next_out = (Bytef *)back;
	inf.avail_out = (uInt)plain.len + 1;
	cr_assert_eq(inflate(&inf, Z_FINISH), Z_STREAM_END);
	cr_assert_eq(inf.total_out, plain.len);
	cr_assert(!memcmp(back, plain.buf, plain.len));
	inflateEnd(&inf);
	free(back);
	strbuf_release(&plain);
	strbuf_release(&gz);
}

Test(stream, a_stream_freed_before_its_end_frees_everything)
{
	int freed = 0;
	struct body_stream s = lines_stream(100, 10, &freed), z;
	char buf[64];

	cr_assert_eq(body_stream_gzip(&s, 1, &z), 0);
	cr_assert_gt(z.next(z.state, buf, sizeof(buf)), 0);
	body_stream_free(&z);
	cr_assert_eq(freed, 1);
	body_stream_free(&z);   /* an empty stream frees as nothing */
}
