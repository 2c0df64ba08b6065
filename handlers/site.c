/*
 * site: a store and the bodies rendered from it in advance (see site.h).
 */
#include "handlers/site.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "handlers/list.h"
#include "handlers/meta.h"
#include "handlers/openapi.h"
#include "handlers/response.h"
#include "lib/mem.h"

static void build_list(const struct collection *c, struct site_list *out,
		       size_t gzip_min)
{
	struct strbuf body = STRBUF_INIT, link = STRBUF_INIT, path = STRBUF_INIT;
	struct query_error err;
	struct query_result r;
	struct query q;

	query_error_init(&err);
	query_parse(&q, c->res, NULL, 0, &err);
	query_run(&q, c, &r);
	strbuf_addf(&path, "/api/v1/%s", c->res->name);
	list_render(c, &q, &r, path.buf, NULL, 0, &body, &link);
	blob_from_strbuf(&out->body, &body, MEDIA_JSON, gzip_min);
	out->link = strbuf_detach(&link, NULL);
	out->total = r.total;
	query_result_release(&r);
	query_release(&q);
	query_error_release(&err);
	strbuf_release(&path);
}

/* Each collection's CSV columns, from the resource's definition in the data schema. */
static void build_columns(struct site *site, const struct site_options *opt)
{
	cJSON *schema = opt->schema ? cJSON_ParseWithLength(opt->schema, opt->schema_len) : NULL;
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(schema, "$defs");

	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		site->columns[i] = columns_build(store_collection(site->store, (enum store_collection)i)->res,
						 defs);
	site->changes_columns = columns_build(&change_resource, defs);
	cJSON_Delete(schema);
}

static struct site *build(const struct site *prev, struct store *store,
			  const struct site_options *opt)
{
	struct site *site = xcalloc(1, sizeof(*site));
	struct strbuf sb = STRBUF_INIT;

	site->store = store;
	meta_render_index(store, &sb);
	blob_from_strbuf(&site->index, &sb, MEDIA_JSON, opt->gzip_min);
	meta_render_stats(store, &sb);
	blob_from_strbuf(&site->stats, &sb, MEDIA_JSON, opt->gzip_min);
	if (prev) {
		blob_copy(&site->openapi, &prev->openapi);
	} else {
		openapi_render(store, opt->schema, opt->schema_len, opt->routes, opt->nroutes, &sb);
		blob_from_strbuf(&site->openapi, &sb, MEDIA_JSON, opt->gzip_min);
	}
	for (int i = 0; i < STORE_NCOLLECTIONS; i++)
		build_list(store_collection(store, (enum store_collection)i), &site->lists[i],
			   opt->gzip_min);
	build_list(store_changes(store), &site->changes, opt->gzip_min);
	build_columns(site, opt);
	return site;
}

struct site *site_build(struct store *store, const struct site_options *opt)
{
	return build(NULL, store, opt);
}

struct site *site_build_next(const struct site *prev, struct store *store,
			     const struct site_options *opt)
{
	return build(prev, store, opt);
}

void site_free(struct site *s)
{
	if (!s)
		return;
	blob_release(&s->index);
	blob_release(&s->stats);
	blob_release(&s->openapi);
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		blob_release(&s->lists[i].body);
		free(s->lists[i].link);
		columns_free(s->columns[i]);
	}
	columns_free(s->changes_columns);
	blob_release(&s->changes.body);
	free(s->changes.link);
	store_free(s->store);
	free(s);
}

/* The store's collection of res, or STORE_NCOLLECTIONS. */
static enum store_collection which(const struct site *s, const struct resource *res)
{
	int i;

	for (i = 0; i < STORE_NCOLLECTIONS; i++)
		if (store_collection(s->store, (enum store_collection)i)->res == res)
			break;
	return (enum store_collection)i;
}

const struct collection *site_collection(const struct site *s, const struct resource *res)
{
	enum store_collection w = which(s, res);

	if (res == &change_resource)
		return store_changes(s->store);
	return w < STORE_NCOLLECTIONS ? store_collection(s->store, w) : NULL;
}

const struct site_list *site_list(const struct site *s, const struct resource *res)
{
	enum store_collection w = which(s, res);

	if (res == &change_resource)
		return &s->changes;
	return w < STORE_NCOLLECTIONS ? &s->lists[w] : NULL;
}

const struct columns *site_columns(const struct site *s, const struct resource *res)
{
	enum store_collection w = which(s, res);

	if (res == &change_resource)
		return s->changes_columns;
	return w < STORE_NCOLLECTIONS ? s->columns[w] : NULL;
}
