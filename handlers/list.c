/*
 * list: collections, related lists and single records (see list.h).
 */
#include "handlers/list.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/export.h"
#include "handlers/format.h"
#include "handlers/route.h"
#include "handlers/site.h"
#include "lib/hash.h"
#include "lib/jsonw.h"
#include "lib/mem.h"
#include "lib/url.h"

/* ?params-without-paging& : what follows the path in every page's URL. */
static void page_query(struct strbuf *sb, const struct query_param *params, size_t n)
{
	strbuf_addch(sb, '?');
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(params[i].key, "limit") || !strcmp(params[i].key, "offset"))
			continue;
		url_encode_query(sb, params[i].key);
		strbuf_addch(sb, '=');
		url_encode_query(sb, params[i].value);
		strbuf_addch(sb, '&');
	}
}

/* What every page's URL starts with: path?params-without-paging& */
static void page_prefix(struct strbuf *sb, const char *path, const struct query_param *params,
			size_t n)
{
	strbuf_addstr(sb, path);
	page_query(sb, params, n);
}

/* prefix then limit=L&offset=O: a page's URL. */
static void page_url(struct strbuf *sb, const struct strbuf *prefix, uint32_t limit,
		     uint32_t offset)
{
	strbuf_add(sb, prefix->buf, prefix->len);
	strbuf_addlit(sb, "limit=");
	strbuf_add_uint(sb, limit);
	strbuf_addlit(sb, "&offset=");
	strbuf_add_uint(sb, offset);
}

static void link_rel(struct strbuf *link, const struct strbuf *prefix, uint32_t limit,
		     uint32_t offset, const char *rel)
{
	if (link->len)
		strbuf_addlit(link, ", ");
	strbuf_addch(link, '<');
	page_url(link, prefix, limit, offset);
	strbuf_addlit(link, ">; rel=\"");
	strbuf_addstr(link, rel);
	strbuf_addch(link, '"');
}

/*
 * ,"key":"URL" or ,"key":null, in a body: jprefix is page_prefix()
 * escaped for JSON (what page_url() adds never needs it).
 */
static void write_link(struct strbuf *sb, const char *key, bool present,
		       const struct strbuf *jprefix, uint32_t limit, uint32_t offset)
{
	strbuf_addstr(sb, key);
	if (!present) {
		strbuf_addlit(sb, "null");
		return;
	}
	strbuf_addch(sb, '"');
	page_url(sb, jprefix, limit, offset);
	strbuf_addch(sb, '"');
}

/* Whether s has a byte json_escape() would not copy as it is. */
static bool json_needs_escape(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\' || *p >= 0x7f)
			return true;
	return false;
}

/* A record as rendered at load, or the members q->members of it (fields=). */
static void write_record(struct strbuf *sb, const struct collection *c, const struct query *q,
			 uint32_t pos)
{
	const struct record_json *j = &c->json[pos];

	if (!q->nmembers) {
		strbuf_add(sb, j->json, j->len);
		return;
	}
	/* A projection is the chosen members' bytes between braces. */
	strbuf_addch(sb, '{');
	for (size_t i = 0; i < q->nmembers; i++) {
		const struct jsonw_frag f = record_json_member(j, q->members[i]);

		if (i)
			strbuf_addch(sb, ',');
		strbuf_add(sb, j->json + f.off, f.len);
	}
	strbuf_addch(sb, '}');
}

static void write_facets(struct jsonw *w, const struct collection *c, const struct query_result *r)
{
	jsonw_key(w, "facets");
	jsonw_object_begin(w);
	for (size_t i = 0; i < r->nfacets; i++) {
		const struct column *col = &c->columns[r->facets[i].field];

		jsonw_key(w, col->field->name);
		jsonw_array_begin(w);
		for (uint32_t k = 0; k < r->facets[i].n; k++) {
			const struct facet_count *fc = &r->facets[i].counts[k];

			jsonw_object_begin(w);
			jsonw_key(w, "value");
			if (fc->id == COLUMN_NULL)
				jsonw_null(w);
			else if (col->field->type == FIELD_INTEGER)
				jsonw_int(w, col->values[fc->id].i);
			else if (col->field->type == FIELD_BOOLEAN)
				jsonw_bool(w, col->values[fc->id].i);
			else
				jsonw_string(w, col->values[fc->id].s);
			jsonw_kv_uint(w, "count", fc->count);
			jsonw_object_end(w);
		}
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
}

/* Where a page's neighbours start. */
struct paging {
	uint32_t limit, offset, total, prev, last;
	bool has_next, has_prev;
};

static struct paging paging_of(const struct query *q, const struct query_result *r)
{
	const uint32_t limit = q->limit, offset = q->offset, total = r->total;

	return (struct paging){
		.limit = limit, .offset = offset, .total = total,
		.has_next = limit && (uint64_t)offset + limit < total,
		.has_prev = limit && offset > 0,
		.prev = offset > limit ? offset - limit : 0,
		.last = limit && total ? (total - 1) / limit * limit : 0,
	};
}

/* The RFC 8288 Link header of a page: first, prev, next, last; prefix from page_prefix(). */
static void link_header(const struct paging *pg, const struct strbuf *prefix, struct strbuf *link)
{
	strbuf_grow(link, 4 * (prefix->len + 60));
	link_rel(link, prefix, pg->limit, 0, "first");
	if (pg->has_prev)
		link_rel(link, prefix, pg->limit, pg->prev, "prev");
	if (pg->has_next)
		link_rel(link, prefix, pg->limit, pg->offset + pg->limit, "next");
	link_rel(link, prefix, pg->limit, pg->last, "last");
}

/*
 * meta.search: the query as it was understood. words are its folded words,
 * in order; terms the single words (prefix: matching any word they begin);
 * phrases the words that must come in a row.
 */
static void write_search(struct jsonw *w, const struct search_query *sq)
{
	jsonw_key(w, "search");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "q", sq->q);
	jsonw_key(w, "words");
	jsonw_strings(w, sq->words, sq->nwords);
	jsonw_key(w, "terms");
	jsonw_array_begin(w);
	for (size_t i = 0; i < sq->nterms; i++) {
		if (sq->terms[i].n != 1)
			continue;
		jsonw_object_begin(w);
		jsonw_kv_string(w, "word", sq->words[sq->terms[i].first]);
		jsonw_kv_bool(w, "prefix", sq->terms[i].prefix);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_key(w, "phrases");
	jsonw_array_begin(w);
	for (size_t i = 0; i < sq->nterms; i++)
		if (sq->terms[i].n > 1)
			jsonw_strings(w, sq->words + sq->terms[i].first, sq->terms[i].n);
	jsonw_array_end(w);
	jsonw_object_end(w);
}

void list_render(const struct collection *c, const struct query *q,
		 const struct query_result *r, const char *path,
		 const struct query_param *params, size_t nparams, struct strbuf *body,
		 struct strbuf *link)
{
	const struct paging pg = paging_of(q, r);
	struct strbuf prefix = STRBUF_INIT, jprefix = STRBUF_INIT;
	const struct strbuf *jp = &prefix;
	size_t size = 256;

	/*
	 * The frame is written as plain bytes around the records' own: no
	 * writer state per record. The path is the only part of a page's URL
	 * that may need escaping in JSON; what page_query() writes never does.
	 */
	page_prefix(&prefix, path, params, nparams);
	if (json_needs_escape(path)) {
		/* Escaped, and its quotes dropped: write_link() places them. */
		json_escape(&jprefix, path, strlen(path));
		memmove(jprefix.buf, jprefix.buf + 1, jprefix.len - 2);
		strbuf_setlen(&jprefix, jprefix.len - 2);
		strbuf_add(&jprefix, prefix.buf + strlen(path), prefix.len - strlen(path));
		jp = &jprefix;
	}
	/* The body's size, near enough that it grows once at most. */
	for (uint32_t i = 0; i < r->npage; i++)
		size += c->json[r->page[i]].len + 1;
	strbuf_grow(body, size + 3 * (jp->len + 40));
	strbuf_addlit(body, "{\"data\":[");
	for (uint32_t i = 0; i < r->npage; i++) {
		if (i)
			strbuf_addch(body, ',');
		write_record(body, c, q, r->page[i]);
	}
	strbuf_addlit(body, "],\"meta\":{\"total\":");
	strbuf_add_uint(body, pg.total);
	strbuf_addlit(body, ",\"limit\":");
	strbuf_add_uint(body, pg.limit);
	strbuf_addlit(body, ",\"offset\":");
	strbuf_add_uint(body, pg.offset);
	if (r->nfacets || q->search.nterms) {
		struct jsonw w;

		/* More members of meta: a writer whose first key follows this comma. */
		strbuf_addch(body, ',');
		jsonw_init(&w, body, false);
		if (r->nfacets)
			write_facets(&w, c, r);
		if (q->search.nterms)
			write_search(&w, &q->search);
		jsonw_release(&w);
	}
	strbuf_addlit(body, "},\"links\":{");
	write_link(body, "\"self\":", true, jp, pg.limit, pg.offset);
	write_link(body, ",\"next\":", pg.has_next, jp, pg.limit, pg.offset + pg.limit);
	write_link(body, ",\"prev\":", pg.has_prev, jp, pg.limit, pg.prev);
	strbuf_addlit(body, "}}");
	link_header(&pg, &prefix, link);
	strbuf_release(&prefix);
	strbuf_release(&jprefix);
}

/* The ETag of an answer that depends on the data, the path and the query only. */
static uint64_t request_tag(const struct request *req)
{
	uint64_t h = store_digest(req->serving->site->store);

	h = hash_bytes(h, req->path, strlen(req->path) + 1);
	return hash_bytes(h, req->raw_query, strlen(req->raw_query));
}

/* Takes a place among the expensive queries running, if one is free. */
static bool budget_enter(struct list_budget *b)
{
	unsigned n = atomic_load(&b->running);

	do {
		if (n >= b->max_expensive)
			return false;
	} while (!atomic_compare_exchange_weak(&b->running, &n, n + 1));
	return true;
}

/*
 * Whether plan fits the request's budget: returns 1 (and *expensive, when
 * it took a place among the expensive queries, which the caller gives back),
 * or 0 after answering 400 or 503.
 */
static int budget_or_problem(const struct request *req, struct response *res,
			     const struct query *q, const struct query_plan *plan, bool export,
			     bool *expensive)
{
	struct list_budget *b = req->budget;
	/* A search is narrowed by its words too; an export, by taking it a page at a time. */
	const char *narrow = q->search.nterms ? ", or search for rarer or longer words" :
			     export ? ", or export it a page at a time (limit, offset)" : "";
	uint64_t scan;

	*expensive = false;
	if (!b)
		return 1;
	scan = query_plan_cost(plan);
	if (scan > b->max_scan) {
		response_problem(req, res, HTTP_BAD_REQUEST,
				 "this query would examine %llu records and values, more than the %llu "
				 "this server examines for one request (max-scan); narrow it with a filter "
				 "on a field (field=value, field:gte=value)%s",
				 (unsigned long long)scan, (unsigned long long)b->max_scan, narrow);
		return 0;
	}
	if (scan > LIST_EXPENSIVE_SCAN) {
		if (!budget_enter(b)) {
			response_unavailable(req, res, "1",
					     "this query would examine %llu records and values, and the %u "
					     "queries this server runs at once that examine more than %d are "
					     "running (max-expensive-queries); try again in a second, or "
					     "narrow it with a filter%s", (unsigned long long)scan,
					     b->max_expensive, LIST_EXPENSIVE_SCAN, narrow);
			return 0;
		}
		*expensive = true;
	}
	return 1;
}

/*
 * Answers the records of c at the n positions pos (taken) in out's format,
 * CSV or NDJSON, of total matches: streamed for limit=all; else built here,
 * with the Link header link (taken) when it is a page of a list.
 */
static void answer_records(const struct request *req, struct response *res,
			   const struct collection *c, const struct query *q, uint32_t *pos,
			   uint32_t n, const struct output *out, uint64_t tag, uint64_t total,
			   struct strbuf *link)
{
	const char *media = format_desc(out->format)->media;
	const struct columns *cols = site_columns(req->serving->site, c->res);
	struct strbuf body = STRBUF_INIT;
	struct body_stream s;

	export_stream(&s, c, cols, q, pos, n, out->format, out->bom);
	if (out->all) {
		response_stream(res, media, &s, tag, total);
	} else if (link) {
		body_stream_drain(&s, &body);
		response_list_as(res, media, &body, tag, total, link);
	} else {
		body_stream_drain(&s, &body);
		response_media_owned(res, media, &body, tag);
	}
	strbuf_release(&body);
}

/* format= asks for a file to save: the answer says what to call it. */
static void name_download(const struct request *req, struct response *res,
			  const struct output *out)
{
	struct strbuf name = STRBUF_INIT;

	if (!out->download || res->status != HTTP_OK)
		return;
	format_filename(req, out, &name);
	response_attachment(res, name.buf);
	strbuf_release(&name);
}

/*
 * Answers the list of resource for req, with the filter
 * related_field=related_value when related_field is not NULL.
 */
static void answer_list(const struct request *req, struct response *res,
			const struct resource *resource, const char *related_field,
			const char *related_value)
{
	const struct site *site = req->serving->site;
	const struct collection *c = site_collection(site, resource);
	struct strbuf body = STRBUF_INIT, link = STRBUF_INIT;
	struct query_param *params = NULL;
	struct query_plan plan;
	bool planned = false;
	struct query_error err;
	struct query_result r;
	struct output out;
	struct query q;
	uint64_t tag;
	size_t nparams;
	bool expensive;

	if (format_choose_or_problem(req, res, true, &out))
		return;
	/*
	 * The most asked list, every collection unfiltered, was rendered at load.
	 * Answered before the query is set up: clearing and releasing struct query
	 * cost 570 instructions a request in callgrind.
	 */
	if (out.format == FORMAT_JSON && !related_field && req->nquery == 0) {
		const struct site_list *l = site_list(site, resource);

		response_list_blob(res, &l->body, l->total, l->link);
		return;
	}
	query_error_init(&err);
	memset(&q, 0, sizeof(q));
	params = format_query_params(req, &out, &nparams);
	if (query_parse(&q, c->res, params, nparams, &err) ||
	    (related_field && query_add_filter(&q, related_field, related_value, true, &err))) {
		response_query_problem(req, res, &err);
		goto out;
	}
	/* limit=all: every match from the offset on. */
	if (out.all)
		q.limit = c->n;
	/* The tag names the answer before it exists: a client that holds it costs no query. */
	tag = format_tag(&out, request_tag(req));
	if (response_not_modified(req, res, tag))
		goto out;
	/*
	 * The plan priced against the budget is the plan that runs. An export
	 * (limit=all) is one plan like any page: its matches are chosen here,
	 * and what is streamed afterwards copies their rendered bytes.
	 */
	query_plan_init(&plan, &q, c);
	planned = true;
	if (!budget_or_problem(req, res, &q, &plan, out.all, &expensive))
		goto out;
	query_plan_run(&plan, &r);
	if (expensive)
		atomic_fetch_sub(&req->budget->running, 1);
	if (out.format == FORMAT_JSON) {
		list_render(c, &q, &r, req->path, req->query, req->nquery, &body, &link);
		response_list(res, &body, tag, r.total, &link);
	} else {
		const struct paging pg = paging_of(&q, &r);

		if (!out.all) {
			struct strbuf prefix = STRBUF_INIT;

			page_prefix(&prefix, req->path, req->query, req->nquery);
			link_header(&pg, &prefix, &link);
			strbuf_release(&prefix);
		}
		answer_records(req, res, c, &q, r.page, r.npage, &out, tag, r.total, &link);
		r.page = NULL;
	}
	name_download(req, res, &out);
	query_result_release(&r);
out:
	if (planned)
		query_plan_release(&plan);
	query_release(&q);
	free(params);
	query_error_release(&err);
	strbuf_release(&body);
	strbuf_release(&link);
}

/* The changes feed's two aliases: since=N is seq:gt=N, resource=X is collection=X. */
static void answer_changes(const struct request *req, struct response *res)
{
	struct query_param params[REQUEST_MAX_QUERY];
	struct request r = *req;

	for (size_t i = 0; i < req->nquery && i < REQUEST_MAX_QUERY; i++) {
		params[i] = req->query[i];
		if (!strcmp(params[i].key, "since"))
			params[i].key = "seq:gt";
		else if (!strcmp(params[i].key, "resource"))
			params[i].key = "collection";
	}
	r.query = params;
	answer_list(&r, res, req->route->resource, NULL, NULL);
}

void handle_list(const struct request *req, struct response *res)
{
	if (req->route->resource == &change_resource) {
		answer_changes(req, res);
		return;
	}
	answer_list(req, res, req->route->resource, NULL, NULL);
}

/* The position of the record of c the path's key names, or -1 after answering 404. */
static int64_t find_or_404(const struct request *req, struct response *res,
			   const struct collection *c)
{
	const char *key = req->params[0];
	int64_t pos = collection_find(c, key, strlen(key));

	if (pos < 0)
		response_problem(req, res, HTTP_NOT_FOUND, "no %s with %s \"%s\"", c->res->singular,
				 c->res->key, key);
	return pos;
}

void handle_related(const struct request *req, struct response *res)
{
	const struct route *route = req->route;
	const struct collection *parents = site_collection(req->serving->site, route->parent);
	const struct field *via = resource_ref_field(route->resource, route->parent);
	int64_t pos = find_or_404(req, res, parents);

	if (pos < 0)
		return;
	/* The key as the record holds it: /countries/ro/deals filters on "RO". */
	answer_list(req, res, route->resource, via->name,
		    route->parent->get_key(collection_record(parents, (uint32_t)pos)));
}

void handle_record(const struct request *req, struct response *res)
{
	const struct collection *c = site_collection(req->serving->site, req->route->resource);
	int64_t pos = find_or_404(req, res, c);
	static const char *const takes[] = { "fields", "format", "bom" };
	const struct record_json *j;
	struct query_error err;
	struct strbuf body = STRBUF_INIT;
	struct output out;
	struct query q;
	uint64_t tag;

	if (pos < 0 || format_choose_or_problem(req, res, false, &out))
		return;
	j = &c->json[pos];
	/* The record as rendered at load: nothing to set up or release (see answer_list). */
	if (req->nquery == 0 && out.format == FORMAT_JSON) {
		response_json_borrowed(res, j->json, j->len, j->hash);
		return;
	}
	query_error_init(&err);
	memset(&q, 0, sizeof(q));
	for (size_t i = 0; i < req->nquery; i++) {
		const char *key = req->query[i].key;

		if (strcmp(key, takes[0]) && strcmp(key, takes[1]) && strcmp(key, takes[2])) {
			err.param = key;
			for (size_t k = 0; k < sizeof(takes) / sizeof(takes[0]); k++)
				err.allowed[err.nallowed++] = takes[k];
			strbuf_addf(&err.detail, "unknown parameter \"%s\": a single %s takes only "
				    "fields, format and bom", key, c->res->singular);
			response_query_problem(req, res, &err);
			goto out;
		}
	}
	if (query_parse(&q, c->res, req->query, req->nquery, &err)) {
		response_query_problem(req, res, &err);
		goto out;
	}
	tag = format_tag(&out, request_tag(req));
	if (response_not_modified(req, res, tag))
		goto out;
	if (out.format == FORMAT_JSON) {
		write_record(&body, c, &q, (uint32_t)pos);
		response_json_owned(res, &body, tag);
	} else {
		uint32_t *one = xmalloc(sizeof(*one));

		*one = (uint32_t)pos;
		answer_records(req, res, c, &q, one, 1, &out, tag, 1, NULL);
	}
	name_download(req, res, &out);
out:
	query_release(&q);
	query_error_release(&err);
	strbuf_release(&body);
}
