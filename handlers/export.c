/*
 * export: CSV and NDJSON bodies, chunk by chunk (see export.h).
 */
#include "handlers/export.h"

#include <stdlib.h>
#include <string.h>

#include "lib/csv.h"
#include "lib/mem.h"
#include "lib/strbuf.h"

struct export {
	const struct collection *c;
	const struct columns *cols;
	struct columns_row *row;       /* CSV: the cells being gathered */
	enum format format;
	bool bom;
	bool started;                  /* the BOM and header are out */
	int members[QUERY_MAX_MEMBERS];
	size_t nmembers;               /* 0: every member */
	uint32_t *pos;
	uint32_t n, next;
	struct strbuf out;             /* rendered and not yet handed out: out.buf + sent */
	size_t sent;
};

/* A record as one NDJSON line: its bytes, or the chosen members' between braces. */
static void ndjson_line(struct export *e, const struct record_json *j)
{
	if (!e->nmembers) {
		strbuf_add(&e->out, j->json, j->len);
	} else {
		strbuf_addch(&e->out, '{');
		for (size_t i = 0; i < e->nmembers; i++) {
			const struct jsonw_frag f = record_json_member(j, e->members[i]);

			if (i)
				strbuf_addch(&e->out, ',');
			strbuf_add(&e->out, j->json + f.off, f.len);
		}
		strbuf_addch(&e->out, '}');
	}
	strbuf_addch(&e->out, '\n');
}

/* Renders rows into the empty out until a chunk is ready or the records are done. */
static void fill(struct export *e)
{
	struct csvw w;

	if (!e->started && e->format == FORMAT_CSV && e->bom)
		strbuf_add(&e->out, CSV_BOM, CSV_BOM_LEN);
	csvw_init(&w, &e->out);
	if (!e->started && e->format == FORMAT_CSV)
		columns_write_header(e->cols, e->members, e->nmembers, &w);
	e->started = true;
	while (e->out.len < EXPORT_CHUNK && e->next < e->n) {
		const struct record_json *j = &e->c->json[e->pos[e->next++]];

		if (e->format == FORMAT_CSV)
			columns_write_row(e->cols, e->row, j, e->members, e->nmembers, &w);
		else
			ndjson_line(e, j);
	}
}

static size_t export_next(void *state, char *buf, size_t max)
{
	struct export *e = state;
	size_t n;

	if (e->sent == e->out.len) {
		strbuf_reset(&e->out);
		e->sent = 0;
		fill(e);
	}
	n = e->out.len - e->sent < max ? e->out.len - e->sent : max;
	memcpy(buf, e->out.buf + e->sent, n);
	e->sent += n;
	return n;
}

static void export_free(void *state)
{
	struct export *e = state;

	columns_row_free(e->row);
	strbuf_release(&e->out);
	free(e->pos);
	free(e);
}

void export_stream(struct body_stream *out, const struct collection *c,
		   const struct columns *cols, const struct query *q, uint32_t *pos, uint32_t n,
		   enum format format, bool bom)
{
	struct export *e = xcalloc(1, sizeof(*e));

	e->c = c;
	e->cols = cols;
	e->format = format;
	e->bom = bom;
	e->nmembers = q->nmembers;
	memcpy(e->members, q->members, q->nmembers * sizeof(*e->members));
	e->pos = pos;
	e->n = n;
	if (format == FORMAT_CSV)
		e->row = columns_row_new(cols);
	strbuf_init(&e->out, EXPORT_CHUNK + 4096);
	*out = (struct body_stream){ export_next, export_free, e };
}
