/*
 * stream: streamed bodies, and their gzip on the fly (see stream.h).
 */
#include "handlers/stream.h"

#include <stdlib.h>

#include "lib/gzip.h"
#include "lib/mem.h"
#include "lib/strbuf.h"

/* How much of the inner body is compressed at a time. */
#define GZIP_STREAM_INPUT (64 * 1024)

void body_stream_free(struct body_stream *s)
{
	if (s->free)
		s->free(s->state);
	*s = (struct body_stream){ 0 };
}

struct gzipped {
	struct body_stream inner;
	struct gzip_stream *gz;
	char *in;
	const char *at;          /* the inner bytes not yet compressed */
	size_t left;
	bool inner_done;
	bool done;
};

static size_t gzipped_next(void *state, char *buf, size_t max)
{
	struct gzipped *g = state;

	/* Compressing may take input without giving output: pull until it gives some. */
	while (!g->done) {
		size_t n;

		if (!g->left && !g->inner_done) {
			g->left = g->inner.next(g->inner.state, g->in, GZIP_STREAM_INPUT);
			g->at = g->in;
			g->inner_done = g->left == 0;
		}
		n = gzip_stream_deflate(g->gz, &g->at, &g->left, buf, max, g->inner_done, &g->done);
		if (n)
			return n;
	}
	return 0;
}

static void gzipped_free(void *state)
{
	struct gzipped *g = state;

	body_stream_free(&g->inner);
	gzip_stream_free(g->gz);
	free(g->in);
	free(g);
}

int body_stream_gzip(struct body_stream *inner, int level, struct body_stream *out)
{
	struct gzip_stream *gz = gzip_stream_new(level);
	struct gzipped *g;

	if (!gz)
		return -1;
	g = xcalloc(1, sizeof(*g));
	g->gz = gz;
	g->in = xmalloc(GZIP_STREAM_INPUT);
	g->inner = *inner;
	*inner = (struct body_stream){ 0 };
	*out = (struct body_stream){ gzipped_next, gzipped_free, g };
	return 0;
}

void body_stream_drain(struct body_stream *s, struct strbuf *out)
{
	for (;;) {
		size_t n;

		strbuf_grow(out, GZIP_STREAM_INPUT);
		n = s->next(s->state, out->buf + out->len, out->alloc - out->len - 1);
		if (!n)
			break;
		strbuf_setlen(out, out->len + n);
	}
	body_stream_free(s);
}
