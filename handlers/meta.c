/*
 * meta: index, stats, health and readiness (see meta.h).
 */
#include "handlers/meta.h"

#include <stdlib.h>
#include <string.h>

#include "handlers/site.h"
#include "lib/date.h"
#include "lib/jsonw.h"
#include "models/query.h"

static void write_counts(struct jsonw *w, const struct store *s)
{
	jsonw_key(w, "counts");
	jsonw_object_begin(w);
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		const struct collection *c = store_collection(s, (enum store_collection)i);

		jsonw_kv_uint(w, c->res->name, c->n);
	}
	jsonw_object_end(w);
}

/* The index's links after self and the collections'. */
static const struct meta_link links[] = {
	{ "stats", "/api/v1/stats" },
	{ "openapi", "/api/v1/openapi.json" },
	{ "health", "/healthz" },
	{ "ready", "/readyz" },
	{ "metrics", "/metrics" },
	{ "dashboard", "/" },
};

const struct meta_link *meta_index_links(size_t *n)
{
	*n = sizeof(links) / sizeof(links[0]);
	return links;
}

void meta_render_index(const struct store *s, struct strbuf *out)
{
	const struct dataset *d = store_dataset(s);
	struct strbuf path = STRBUF_INIT;
	struct jsonw w;

	jsonw_init(&w, out, false);
	jsonw_object_begin(&w);
	jsonw_key(&w, "dataset");
	dataset_to_json(&w, d);
	write_counts(&w, s);
	jsonw_key(&w, "links");
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "self", "/api/v1");
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		const char *name = store_collection(s, (enum store_collection)i)->res->name;

		strbuf_reset(&path);
		strbuf_addf(&path, "/api/v1/%s", name);
		jsonw_kv_string(&w, name, path.buf);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		jsonw_kv_string(&w, links[i].rel, links[i].href);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	jsonw_release(&w);
	strbuf_release(&path);
}

/* The label a vocabulary gives a value, or NULL. */
static const char *label_of(const struct dataset *d, int vocab, const char *id)
{
	const struct vocab_entry *e = vocab < 0 ? NULL : dataset_vocab_entry(d, (enum vocab_kind)vocab, id);

	return e ? e->label : NULL;
}

static int by_id(const void *a, const void *b)
{
	uint32_t x = ((const struct facet_count *)a)->id, y = ((const struct facet_count *)b)->id;

	return x < y ? -1 : x > y;
}

/*
 * [{"value", ["label",] "count"}] for field over the whole collection, most
 * common first, or in the values' own order (dates) when in_order.
 */
static void write_breakdown(struct jsonw *w, const struct store *s, enum store_collection which,
			    const char *key, const char *field, int vocab, bool in_order)
{
	const struct collection *c = store_collection(s, which);
	struct query_param p = { "facet", field };
	struct query_error err;
	struct query_result r;
	struct query q;

	query_error_init(&err);
	jsonw_key(w, key);
	jsonw_array_begin(w);
	if (query_parse(&q, c->res, &p, 1, &err) == 0) {
		const struct column *col = &c->columns[q.facets[0]];

		query_run(&q, c, &r);
		if (in_order)
			qsort(r.facets[0].counts, r.facets[0].n, sizeof(*r.facets[0].counts), by_id);
		for (uint32_t i = 0; i < r.facets[0].n; i++) {
			const struct facet_count *fc = &r.facets[0].counts[i];
			const char *v = fc->id == COLUMN_NULL ? NULL : col->values[fc->id].s;
			const char *label = v ? label_of(store_dataset(s), vocab, v) : NULL;

			jsonw_object_begin(w);
			jsonw_kv_string(w, "value", v);
			if (label)
				jsonw_kv_string(w, "label", label);
			jsonw_kv_uint(w, "count", fc->count);
			jsonw_object_end(w);
		}
		query_result_release(&r);
	}
	query_release(&q);
	query_error_release(&err);
	jsonw_array_end(w);
}

/*
 * Deal totals per currency and basis, in order of first appearance: figures
 * of different bases (a contract, a whole project, a market) are never
 * added up. Sums saturate at INT64_MAX; value_alt, the same figures in
 * another currency, is not counted.
 */
static void write_totals(struct jsonw *w, const struct store *s)
{
	const struct collection *c = store_collection(s, STORE_DEALS);
	struct total {
		const struct money *first;  /* its currency and basis */
		int64_t amount;
		uint32_t deals;
		bool estimate;              /* any of its figures is */
	} t[64];
	size_t nt = 0;
	uint32_t valued = 0;

	for (uint32_t i = 0; i < c->n; i++) {
		const struct money *m = ((const struct deal *)collection_record(c, i))->value;
		size_t k;

		if (!m)
			continue;
		valued++;
		for (k = 0; k < nt; k++)
			if (!strcmp(t[k].first->currency, m->currency) && !strcmp(t[k].first->basis, m->basis))
				break;
		if (k == nt) {
			if (nt == sizeof(t) / sizeof(t[0]))
				continue; /* more totals than a dashboard shows */
			t[nt++] = (struct total){ m, 0, 0, false };
		}
		t[k].amount = t[k].amount > INT64_MAX - m->amount ? INT64_MAX : t[k].amount + m->amount;
		t[k].deals++;
		t[k].estimate |= m->estimate;
	}
	jsonw_key(w, "totals");
	jsonw_array_begin(w);
	for (size_t k = 0; k < nt; k++) {
		jsonw_object_begin(w);
		jsonw_kv_string(w, "currency", t[k].first->currency);
		jsonw_kv_string(w, "basis", t[k].first->basis);
		jsonw_kv_int(w, "amount", t[k].amount);
		jsonw_kv_uint(w, "deals", t[k].deals);
		jsonw_kv_bool(w, "estimate", t[k].estimate);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_kv_uint(w, "valued", valued);
	jsonw_kv_uint(w, "unvalued", c->n - valued);
}

void meta_render_stats(const struct store *s, struct strbuf *out)
{
	struct jsonw w;

	jsonw_init(&w, out, false);
	jsonw_object_begin(&w);
	write_counts(&w, s);
	jsonw_key(&w, "deals");
	jsonw_object_begin(&w);
	write_breakdown(&w, s, STORE_DEALS, "by_status", "status", VOCAB_STATUS, false);
	write_breakdown(&w, s, STORE_DEALS, "by_sector", "sector", VOCAB_SECTOR, false);
	write_breakdown(&w, s, STORE_DEALS, "by_country", "countries", -1, false);
	write_breakdown(&w, s, STORE_DEALS, "by_basis", "value.basis", VOCAB_BASIS, false);
	write_totals(&w, s);
	jsonw_object_end(&w);
	jsonw_key(&w, "meetings");
	jsonw_object_begin(&w);
	write_breakdown(&w, s, STORE_MEETINGS, "by_date", "date", -1, true);
	write_breakdown(&w, s, STORE_MEETINGS, "by_kind", "kind", VOCAB_KIND, false);
	write_breakdown(&w, s, STORE_MEETINGS, "by_country", "countries", -1, false);
	write_breakdown(&w, s, STORE_MEETINGS, "by_topic", "topics", VOCAB_SECTOR, false);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	jsonw_release(&w);
}

void handle_index(const struct request *req, struct response *res)
{
	response_blob(res, &req->serving->site->index);
}

void handle_stats(const struct request *req, struct response *res)
{
	response_blob(res, &req->serving->site->stats);
}

void handle_healthz(const struct request *req, struct response *res)
{
	struct strbuf body = STRBUF_INIT;
	struct jsonw w;

	(void)req;
	jsonw_init(&w, &body, false);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "status", "ok");
	jsonw_object_end(&w);
	jsonw_release(&w);
	response_owned(res, &body, MEDIA_JSON);
	response_no_store(res);
}

void handle_readyz(const struct request *req, struct response *res)
{
	const struct serving *sv = req->serving;
	const struct dataset *d = store_dataset(sv->site->store);
	struct strbuf body = STRBUF_INIT;
	char when[32];
	struct jsonw w;

	if (sv->draining) {
		response_problem(req, res, HTTP_SERVICE_UNAVAILABLE,
				 "the server is shutting down and takes no new work");
		return;
	}
	jsonw_init(&w, &body, false);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "status", "ready");
	jsonw_kv_uint(&w, "generation", sv->generation);
	time_format_iso(sv->loaded_at, when, sizeof(when));
	jsonw_kv_string(&w, "loaded_at", when);
	jsonw_key(&w, "dataset");
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "title", d->title);
	jsonw_kv_string(&w, "version", d->version);
	jsonw_object_end(&w);
	jsonw_key(&w, "last_reload_error");
	if (sv->reload_error) {
		jsonw_object_begin(&w);
		time_format_iso(sv->reload_failed_at, when, sizeof(when));
		jsonw_kv_string(&w, "at", when);
		jsonw_kv_string(&w, "message", sv->reload_error);
		jsonw_object_end(&w);
	} else {
		jsonw_null(&w);
	}
	/* Writes only: a write that could not be made durable, until one is. */
	if (sv->write_error) {
		jsonw_key(&w, "last_write_error");
		jsonw_object_begin(&w);
		time_format_iso(sv->write_failed_at, when, sizeof(when));
		jsonw_kv_string(&w, "at", when);
		jsonw_kv_string(&w, "message", sv->write_error);
		jsonw_object_end(&w);
	}
	jsonw_object_end(&w);
	jsonw_release(&w);
	response_owned(res, &body, MEDIA_JSON);
	response_no_store(res);
}
