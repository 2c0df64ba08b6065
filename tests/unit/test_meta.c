/*
 * Tests for handlers/meta.c, handlers/site.c, handlers/openapi.c and
 * handlers/webroot.c: the routes about the API, called directly.
 */
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "handlers/format.h"
#include "handlers/meta.h"
#include "handlers/response.h"
#include "handlers/webroot.h"
#include "handlers/write.h"
#include "models/query.h"
#include "models/country.h"
#include "models/deal.h"
#include "models/meeting.h"
#include "models/source.h"
#include "tests/support/handler.h"
#include "tests/support/support.h"

static struct call c;

static void setup(void)
{
	call_init(&c, NULL);
}

static void teardown(void)
{
	call_release(&c);
}

TestSuite(meta, .init = setup, .fini = teardown);

Test(meta, the_index_and_stats_are_blobs_rendered_at_load)
{
	call_get(&c, "/api/v1");
	cr_assert_eq(c.res.body, c.site->index.bytes);
	cr_assert_eq(c.res.gz, c.site->index.gz);
	call_get(&c, "/api/v1/stats");
	cr_assert_eq(c.res.body, c.site->stats.bytes);
}

Test(meta, readiness_reports_the_generation_and_the_last_failed_reload)
{
	cJSON *j;

	call_get(&c, "/readyz");
	cr_assert_eq(c.res.status, 200);
	cr_assert_eq(c.res.cache, CACHE_NO_STORE);
	j = call_json(&c);
	cr_assert_str_eq(cJSON_GetObjectItem(j, "loaded_at")->valuestring, "2023-07-11T00:00:00Z");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "last_reload_error")));
	cJSON_Delete(j);

	c.serving.reload_error = "data.json: deals[1]: missing required field \"title\"";
	c.serving.reload_failed_at = 1689033660;
	call_get(&c, "/readyz");
	cr_assert_eq(c.res.status, 200, "a failed reload keeps the old data serving: still ready");
	j = call_json(&c);
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "last_reload_error"), "message")->valuestring,
			 c.serving.reload_error);
	cJSON_Delete(j);

	c.serving.draining = true;
	cr_assert_str_eq(call_problem((call_get(&c, "/readyz"), &c), 503),
			 "the server is shutting down and takes no new work");
	call_get(&c, "/healthz");
	cr_assert_eq(c.res.status, 200, "alive while draining");
}

static bool in_members(const struct resource *r, const char *name)
{
	return resource_member(r, name, strlen(name)) >= 0;
}

/* The JSON Schema of data files and the members the server renders name the same fields. */
Test(meta, the_schema_and_the_records_agree_on_their_members)
{
	static const struct { const char *schema; const struct resource *res; } pairs[] = {
		{ "Country", &country_resource }, { "Meeting", &meeting_resource }, { "Deal", &deal_resource },
		{ "Source", &source_resource },
	};
	cJSON *doc, *schemas;

	call_get(&c, "/api/v1/openapi.json");
	doc = call_json(&c);
	schemas = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "components"), "schemas");
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const cJSON *props = cJSON_GetObjectItem(cJSON_GetObjectItem(schemas, pairs[i].schema), "properties");
		const cJSON *p;
		int n = 0;

		cJSON_ArrayForEach(p, props) {
			cr_assert(in_members(pairs[i].res, p->string), "%s.%s is not rendered", pairs[i].schema, p->string);
			n++;
		}
		for (size_t k = 0; k < pairs[i].res->nmembers; k++)
			cr_assert_not_null(cJSON_GetObjectItem(props, pairs[i].res->members[k].name), "%s.%s is not in the schema",
					   pairs[i].schema, pairs[i].res->members[k].name);
		cr_assert_gt(n, 4);
	}
	cJSON_Delete(doc);
}

static cJSON *openapi(void)
{
	call_get(&c, "/api/v1/openapi.json");
	return call_json(&c);
}

static const cJSON *at(const cJSON *j, const char *a, const char *b, const char *d)
{
	j = cJSON_GetObjectItemCaseSensitive(j, a);
	if (b)
		j = cJSON_GetObjectItemCaseSensitive(j, b);
	if (d)
		j = cJSON_GetObjectItemCaseSensitive(j, d);
	return j;
}

static bool has_string(const cJSON *array, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, array)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return true;
	return false;
}

/*
 * Each field is a parameter, and so is each operator its type takes (eq
 * included): no other. A field named as a parameter that is not a field (a
 * meeting's format) has no bare form.
 */
static void assert_a_parameter_per_field_and_operator(const cJSON *doc, const struct resource *res,
						      const char *path)
{
	const cJSON *params = at(doc, "components", "parameters", NULL);
	const cJSON *refs = at(at(doc, "paths", path, "get"), "parameters", NULL, NULL);
	int want = 1 + 2 + 2 + 3;   /* fields; format, bom; limit, offset; sort, facet, q */

	for (size_t i = 0; i < res->nfields; i++) {
		const struct field *f = &res->fields[i];
		char key[128], name[128];

		snprintf(key, sizeof(key), "%s.%s", res->name, f->name);
		if (query_reserved(f->name)) {
			cr_assert_null(cJSON_GetObjectItem(params, key), "%s is declared bare", key);
		} else {
			cr_assert_str_eq(cJSON_GetStringValue(at(params, key, "name", NULL)), f->name);
			want++;
		}
		for (int op = 0; op < QUERY_NOPS; op++) {
			snprintf(key, sizeof(key), "%s.%s-%s", res->name, f->name,
				 query_op_name((enum query_op)op));
			snprintf(name, sizeof(name), "%s:%s", f->name, query_op_name((enum query_op)op));
			if (!query_op_allowed(f->type, (enum query_op)op)) {
				cr_assert_null(cJSON_GetObjectItem(params, key), "%s is declared", name);
				continue;
			}
			cr_assert_str_eq(cJSON_GetStringValue(at(params, key, "name", NULL)), name);
			want++;
		}
	}
	cr_assert_eq(cJSON_GetArraySize(refs), want, "%s", path);
}

Test(meta, openapi_declares_a_parameter_per_field_and_operator)
{
	cJSON *doc = openapi();
	const cJSON *params = at(doc, "components", "parameters", NULL);
	const cJSON *limit = at(params, "limit", "schema", "oneOf");

	assert_a_parameter_per_field_and_operator(doc, &deal_resource, "/api/v1/deals");
	assert_a_parameter_per_field_and_operator(doc, &meeting_resource, "/api/v1/meetings");
	assert_a_parameter_per_field_and_operator(doc, &country_resource, "/api/v1/countries");
	cr_assert_str_eq(cJSON_GetStringValue(at(params, "deals.value.amount-gte", "schema", "type")), "integer");
	cr_assert_str_eq(cJSON_GetStringValue(at(params, "deals.date-lt", "schema", "format")), "date");
	cr_assert_str_eq(cJSON_GetStringValue(at(params, "deals.status-isnull", "schema", "type")), "boolean");
	cr_assert_str_eq(cJSON_GetStringValue(at(params, "deals.status", "schema", "type")), "array",
			 "a,b is a comma list");
	cr_assert_eq(cJSON_GetNumberValue(at(params, "offset", "schema", "maximum")), 4294967295.0);
	cr_assert_eq(cJSON_GetNumberValue(at(cJSON_GetArrayItem(limit, 0), "maximum", NULL, NULL)),
		     QUERY_MAX_LIMIT);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(limit, 1), "const")),
			 "all", "limit=all, for CSV and NDJSON");
	cr_assert_eq(cJSON_GetNumberValue(at(params, "limit", "schema", "default")),
		     QUERY_DEFAULT_LIMIT);
	cJSON_Delete(doc);
}

/*
 * Lists and records declare JSON as its schema says, CSV and NDJSON as text,
 * and a download's name; format= and bom= come from the format table.
 */
Test(meta, openapi_declares_json_csv_and_ndjson_on_lists_and_records)
{
	static const char *const ops[] = { "/api/v1/deals", "/api/v1/countries/{code}/deals",
					   "/api/v1/meetings/{id}" };
	cJSON *doc = openapi();
	const cJSON *params = at(doc, "components", "parameters", NULL);
	const cJSON *formats = at(params, "format", "schema", "enum");
	const cJSON *stats = at(at(doc, "paths", "/api/v1/stats", "get"), "responses", "200", "headers");
	const cJSON *link = at(doc, "components", "headers", "Link");

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const cJSON *get = at(doc, "paths", ops[i], "get");
		const cJSON *ok = at(get, "responses", "200", NULL);
		const cJSON *content = cJSON_GetObjectItem(ok, "content");
		const cJSON *json = at(content, "application/json", "schema", NULL);
		const cJSON *ndjson = cJSON_GetObjectItem(content, "application/x-ndjson");
		const cJSON *second = cJSON_GetArrayItem(cJSON_GetObjectItem(get, "parameters"), 1);

		cr_assert_eq(cJSON_GetArraySize(content), FORMAT_COUNT, "%s", ops[i]);
		cr_assert(cJSON_GetObjectItem(json, "$ref") || cJSON_GetObjectItem(json, "oneOf"),
			  "%s", ops[i]);
		cr_assert_str_eq(cJSON_GetStringValue(at(content, "text/csv", "schema", "type")),
				 "string", "%s", ops[i]);
		cr_assert_str_eq(cJSON_GetStringValue(at(ndjson, "schema", "type", NULL)), "string",
				 "%s", ops[i]);
		cr_assert_eq(cJSON_GetArraySize(at(ndjson, "x-item-schema", "oneOf", NULL)), 2,
			     "an NDJSON line is a record, whole or projected: %s", ops[i]);
		cr_assert_not_null(at(ok, "headers", "Content-Disposition", NULL), "%s", ops[i]);
		cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(second, "$ref")),
				 "#/components/parameters/format");
	}
	cr_assert_null(cJSON_GetObjectItem(stats, "Content-Disposition"), "only lists and records");
	cr_assert_eq(cJSON_GetArraySize(formats), FORMAT_COUNT);
	for (int f = 0; f < FORMAT_COUNT; f++)
		cr_assert(has_string(formats, format_desc((enum format)f)->name));
	cr_assert_str_eq(cJSON_GetStringValue(at(params, "bom", "schema", "type")), "boolean");
	cr_assert_not(cJSON_IsTrue(cJSON_GetObjectItem(link, "required")),
		      "a whole export (limit=all) has no Link");
	cJSON_Delete(doc);
}

/* The name a parameter is known by: its own, or its component's. */
static const char *parameter_key(const cJSON *doc, const cJSON *p, char *buf, size_t size)
{
	const char *ref = cJSON_GetStringValue(cJSON_GetObjectItem(p, "$ref"));

	if (ref)
		p = at(doc, "components", "parameters", strrchr(ref, '/') + 1);
	cr_assert_not_null(p, "%s resolves", ref);
	snprintf(buf, size, "%s %s", cJSON_GetStringValue(cJSON_GetObjectItem(p, "in")),
		 cJSON_GetStringValue(cJSON_GetObjectItem(p, "name")));
	return buf;
}

/* An operation names a parameter once: a meeting's field format is declared as format:eq only. */
Test(meta, openapi_names_each_parameter_of_an_operation_once)
{
	cJSON *doc = openapi();
	const cJSON *path, *p;
	bool seen_format_eq = false;

	cJSON_ArrayForEach(path, at(doc, "paths", NULL, NULL)) {
		const cJSON *lists[] = { cJSON_GetObjectItem(path, "parameters"),
					 at(path, "get", "parameters", NULL) };
		static char seen[512][128];
		int n = 0;

		for (size_t l = 0; l < 2; l++) {
			cJSON_ArrayForEach(p, lists[l]) {
				char key[128];

				/* Unique by name and place: a path's {id}, a filter on id: two. */
				parameter_key(doc, p, key, sizeof(key));
				for (int k = 0; k < n; k++)
					cr_assert_str_neq(seen[k], key, "%s names %s twice",
							  path->string, key);
				cr_assert_lt(n, 512);
				snprintf(seen[n++], sizeof(seen[0]), "%s", key);
				seen_format_eq |= !strcmp(key, "query format:eq");
			}
		}
	}
	cr_assert(seen_format_eq, "meetings' format field is documented as format:eq");
	cJSON_Delete(doc);
}

/* sort, facet and fields take the names the engine accepts, from the same tables. */
Test(meta, openapi_enumerates_what_sort_facet_and_fields_take)
{
	cJSON *doc = openapi();
	const cJSON *params = at(doc, "components", "parameters", NULL);
	const cJSON *sort = at(at(params, "meetings.sort", "schema", "items"), "enum", NULL, NULL);
	const cJSON *facet = at(at(params, "meetings.facet", "schema", "items"), "enum", NULL, NULL);
	const cJSON *fields = at(at(params, "meetings.fields", "schema", "items"), "enum", NULL, NULL);
	int nsort = 0, nfacet = 0;

	for (size_t i = 0; i < meeting_resource.nfields; i++) {
		const struct field *f = &meeting_resource.fields[i];
		char desc[128];

		snprintf(desc, sizeof(desc), "-%s", f->name);
		cr_assert_eq(has_string(sort, f->name), !!(f->flags & FIELD_SORT), "sort %s", f->name);
		cr_assert_eq(has_string(sort, desc), !!(f->flags & FIELD_SORT), "sort %s", desc);
		cr_assert_eq(has_string(facet, f->name), !!(f->flags & FIELD_FACET), "facet %s", f->name);
		nsort += !!(f->flags & FIELD_SORT);
		nfacet += !!(f->flags & FIELD_FACET);
	}
	cr_assert_eq(cJSON_GetArraySize(sort), 3 * nsort, "f, -f and +f");
	cr_assert_eq(cJSON_GetArraySize(at(params, "meetings.sort", "schema", "allOf")), nsort,
		     "each sortable field at most once");
	cr_assert_eq(cJSON_GetArraySize(facet), nfacet);
	cr_assert_eq(cJSON_GetArraySize(fields), (int)meeting_resource.nmembers);
	for (size_t i = 0; i < meeting_resource.nmembers; i++)
		cr_assert(has_string(fields, meeting_resource.members[i].name));
	cJSON_Delete(doc);
}

/*
 * A write's answers carry the headers of every answer (a 201 Location too),
 * its 422 lists violations, and its body is the data file's schema, whose
 * required members are the loader's, not every member served.
 */
Test(meta, openapi_declares_the_writes_answers)
{
	cJSON *doc = openapi();
	const cJSON *post = at(doc, "paths", "/api/v1/deals", "post");
	const cJSON *patch = at(doc, "paths", "/api/v1/deals/{id}", "patch");
	const cJSON *input = at(doc, "components", "schemas", "DealInput");
	const cJSON *allow = at(doc, "components", "headers", "AllowWritableRecord");

	static const char *const common[] = { "Location", "ETag", "X-Request-Id", "Cache-Control",
					      "Vary", "X-Content-Type-Options" };
	const cJSON *created = at(post, "responses", "201", "headers");

	cr_assert_not_null(created);
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		cr_assert_not_null(cJSON_GetObjectItem(created, common[i]), "201 %s", common[i]);
	cr_assert_not_null(at(at(post, "responses", "401", "headers"), "WWW-Authenticate", NULL, NULL));
	cr_assert_not_null(at(at(patch, "responses", "415", "headers"), "Accept-Patch", NULL, NULL));
	cr_assert_not_null(at(at(patch, "responses", "412", "headers"), "ETag", NULL, NULL));
	cr_assert_null(at(patch, "responses", "409", NULL), "PATCH never conflicts");
	cr_assert_str_eq(cJSON_GetStringValue(at(at(patch, "responses", "422", "content"),
					      "application/problem+json", "schema", "$ref")),
			 "#/components/schemas/Violations");
	cr_assert_str_eq(cJSON_GetStringValue(at(at(post, "requestBody", "content", NULL),
					      "application/json", "schema", "$ref")),
			 "#/components/schemas/DealInput");
	cr_assert_lt(cJSON_GetArraySize(cJSON_GetObjectItem(input, "required")), (int)deal_resource.nmembers);
	cr_assert(has_string(at(allow, "schema", "enum", NULL), WRITE_ALLOW_RECORD));
	cr_assert(has_string(at(allow, "schema", "enum", NULL), RESPONSE_ALLOW));
	cJSON_Delete(doc);
}

/* A whole record has every member; a projection (fields=) any but not all of them. */
Test(meta, openapi_tells_whole_records_from_projections)
{
	cJSON *doc = openapi();
	const cJSON *schemas = at(doc, "components", "schemas", NULL);
	const cJSON *whole = at(schemas, "Deal", "required", NULL);
	const cJSON *part = at(schemas, "DealFields", NULL, NULL);
	const cJSON *items = at(at(schemas, "DealList", "properties", "data"), "items", "oneOf", NULL);

	cr_assert_eq(cJSON_GetArraySize(whole), (int)deal_resource.nmembers);
	for (size_t i = 0; i < deal_resource.nmembers; i++)
		cr_assert(has_string(whole, deal_resource.members[i].name));
	cr_assert_null(cJSON_GetObjectItem(part, "required"));
	cr_assert_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(part, "maxProperties")), deal_resource.nmembers - 1);
	cr_assert_str_eq(cJSON_GetStringValue(at(cJSON_GetArrayItem(items, 1), "$ref", NULL, NULL)),
			 "#/components/schemas/DealFields");
	cJSON_Delete(doc);
}

/*
 * Every path: GET, HEAD, OPTIONS, and a 405 with Allow for each other method OpenAPI names (a
 * write method of a collection or record too, for writes off); no default.
 */
Test(meta, openapi_declares_every_method_and_only_real_statuses)
{
	static const char *const refused[] = { "put", "post", "delete", "patch", "trace" };
	cJSON *doc = openapi();
	const cJSON *path;
	size_t nroutes;

	router_routes(&nroutes);
	cr_assert_eq(cJSON_GetArraySize(at(doc, "paths", NULL, NULL)), (int)nroutes);
	cJSON_ArrayForEach(path, at(doc, "paths", NULL, NULL)) {
		const cJSON *get = at(path, "get", "responses", NULL), *op;
		const bool keyed = strchr(path->string, '{') != NULL;

		cr_assert_not_null(at(path, "head", "responses", "200"), "HEAD %s", path->string);
		cr_assert_not_null(at(path, "options", "responses", "204"), "OPTIONS %s", path->string);
		/* A path with write operations names them in Allow when writes are on. */
		const bool writes = at(path, "post", "security", NULL) || at(path, "put", "security", NULL);
		const char *not_allowed = !writes ? "#/components/responses/MethodNotAllowed" :
			at(path, "post", "security", NULL) ?
			"#/components/responses/MethodNotAllowedWritableList" :
			"#/components/responses/MethodNotAllowedWritableRecord";

		for (size_t i = 0; i < 5; i++) {
			const cJSON *r = at(path, refused[i], "responses", NULL);

			cr_assert_str_eq(cJSON_GetStringValue(at(r, "405", "$ref", NULL)), not_allowed,
					 "%s %s", refused[i], path->string);
			/* A write (it asks for a token) succeeds where writes are on; nothing else does. */
			if (!at(path, refused[i], "security", NULL))
				cr_assert_null(cJSON_GetObjectItem(r, "200"));
		}
		cJSON_ArrayForEach(op, path)
			cr_assert_null(at(op, "responses", "default", NULL), "%s %s", op->string, path->string);
		cr_assert_eq(cJSON_GetObjectItem(get, "404") != NULL, keyed, "404 on %s", path->string);
		const char *busy = cJSON_GetStringValue(at(get, "503", "$ref", NULL));
		const bool list = cJSON_GetObjectItem(at(get, "200", "headers", NULL), "X-Total-Count") != NULL;

		/* 503: readiness while draining; a list's expensive query while others run. */
		if (!strcmp(path->string, "/readyz"))
			cr_assert_str_eq(busy, "#/components/responses/Unavailable");
		else if (list)
			cr_assert_str_eq(busy, "#/components/responses/Busy", "%s", path->string);
		else
			cr_assert_null(busy, "503 on %s", path->string);
		cr_assert_not_null(at(get, "304", "headers", "ETag"));
		cr_assert_not_null(at(get, "200", "headers", "ETag"));
		cr_assert_not_null(at(get, "414", NULL, NULL));
		cr_assert_not_null(at(get, "431", NULL, NULL));
		cr_assert_not_null(at(get, "501", NULL, NULL));
	}
	cJSON_Delete(doc);
}

/* A list's 200 sends its count and links; its 304, answered before the list is run, does not. */
Test(meta, openapi_declares_the_list_headers_where_they_are_sent)
{
	cJSON *doc = openapi();
	const cJSON *list = at(doc, "paths", "/api/v1/countries/{code}/deals", "get");
	const cJSON *one = at(doc, "paths", "/api/v1/deals/{id}", "get");

	cr_assert_not_null(at(at(list, "responses", "200", "headers"), "X-Total-Count", NULL, NULL));
	cr_assert_not_null(at(at(list, "responses", "200", "headers"), "Link", NULL, NULL));
	cr_assert_null(at(at(list, "responses", "304", "headers"), "X-Total-Count", NULL, NULL));
	cr_assert_null(at(at(one, "responses", "200", "headers"), "X-Total-Count", NULL, NULL));
	cr_assert_str_eq(cJSON_GetStringValue(at(at(doc, "components", "headers", "CacheNoStore"), "schema",
						 "const", NULL)), "no-store");
	cJSON_Delete(doc);
}

/* The dashboard's files declare every media type webroot gives a file, and 406 is real there. */
Test(meta, openapi_declares_every_media_type_of_the_dashboard_files)
{
	cJSON *doc = openapi();
	const cJSON *file = at(doc, "paths", "/{file}", "get");
	const cJSON *content = at(file, "responses", "200", "content");
	const char *type;
	size_t n = 0;

	for (; (type = webroot_media_types(n)); n++) {
		char essence[64];

		snprintf(essence, sizeof(essence), "%.*s", (int)strcspn(type, ";"), type);
		cr_assert_not_null(cJSON_GetObjectItem(content, essence), "%s", essence);
	}
	cr_assert_eq(cJSON_GetArraySize(content), (int)n);
	cr_assert_not_null(cJSON_GetObjectItem(content, "application/octet-stream"),
			   "any other file is application/octet-stream");
	cr_assert_not_null(at(file, "responses", "406", NULL));
	cJSON_Delete(doc);
}

Test(webroot, a_fifo_is_refused_without_waiting_for_a_writer, .timeout = 5)
{
	char dir[] = "/tmp/attache-web-XXXXXX", fifo[64];
	struct strbuf err = STRBUF_INIT;
	struct webroot *w, *saved = c.web;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/pipe.js", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	w = webroot_from_dir(dir, 0, &err);
	c.web = w;
	call_problem((call_get(&c, "/pipe.js"), &c), 404);
	c.web = saved;
	webroot_free(w);
	unlink(fifo);
	rmdir(dir);
	strbuf_release(&err);
}

Test(webroot, knows_media_types_by_extension)
{
	cr_assert_str_eq(webroot_media_type("index.html"), "text/html; charset=utf-8");
	cr_assert_str_eq(webroot_media_type("app.js"), "text/javascript; charset=utf-8");
	cr_assert_str_eq(webroot_media_type("style.css"), "text/css; charset=utf-8");
	cr_assert_str_eq(webroot_media_type("x"), "application/octet-stream");
}

Test(webroot, serves_a_directory_but_nothing_outside_it)
{
	struct strbuf err = STRBUF_INIT;
	struct webroot *w = webroot_from_dir("tests/fixtures/web", 1024, &err);
	struct webroot *saved = c.web;

	cr_assert_not_null(w, "%s", err.buf);
	c.web = w;
	call_get(&c, "/hello.txt");
	cr_assert_eq(c.res.status, 200);
	cr_assert_str_eq(c.res.content_type, "text/plain; charset=utf-8");
	cr_assert_str_eq(c.res.body, "hello\n");
	call_problem((call_get(&c, "/%2e%2e"), &c), 404);
	call_problem((call_get(&c, "/.hidden"), &c), 404);
	call_problem((call_get(&c, "/link.txt"), &c), 404);
	call_problem((call_get(&c, "/sub"), &c), 404);
	call_problem((call_get(&c, "/missing.js"), &c), 404);
	cr_assert(webroot_has(w, "hello.txt"));
	cr_assert_not(webroot_has(w, "sub"));
	cr_assert_not(webroot_has(w, "link.txt"));
	cr_assert_not(webroot_has(w, ".hidden"));
	c.web = saved;
	webroot_free(w);
	cr_assert_null(webroot_from_dir("tests/fixtures/web/hello.txt", 0, &err));
	strbuf_release(&err);
}

Test(meta, openapi_documents_the_write_operations_and_their_security)
{
	cJSON *doc;
	const cJSON *paths, *post, *patch;

	call_get(&c, "/api/v1/openapi.json");
	doc = call_json(&c);
	paths = cJSON_GetObjectItemCaseSensitive(doc, "paths");
	post = at(paths, "/api/v1/deals", "post", NULL);
	cr_assert_not_null(post);
	cr_assert_str_eq(cJSON_GetObjectItem(post, "operationId")->valuestring, "createDeal");
	cr_assert_not_null(at(post, "responses", "201", "headers"));
	cr_assert_not_null(at(at(post, "responses", "201", "headers"), "Location", NULL, NULL));
	cr_assert_not_null(at(post, "responses", "422", NULL));
	cr_assert_not_null(at(post, "responses", "405", NULL), "writes may be off");
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(post, "security")), 1);
	patch = at(paths, "/api/v1/countries/{code}", "patch", NULL);
	cr_assert_not_null(at(patch, "requestBody", "content", "application/merge-patch+json"));
	cr_assert_not_null(at(patch, "responses", "412", NULL));
	cr_assert_not_null(at(patch, "responses", "428", NULL));
	cr_assert_not_null(at(paths, "/api/v1/sources/{id}", "delete", NULL));
	/* Elsewhere a write method is refused: 405 and nothing else it could succeed with. */
	cr_assert_null(at(at(paths, "/api/v1/deals/{id}", "post", NULL), "responses", "201", NULL));
	cr_assert_null(at(at(paths, "/api/v1/changes", "post", NULL), "responses", "201", NULL),
		       "the feed is read-only");
	cr_assert_not_null(at(at(paths, "/api/v1/changes", "post", NULL), "responses", "405", NULL));
	cr_assert_null(at(at(paths, "/api/v1/stats", "delete", NULL), "responses", "204", NULL));
	cr_assert_str_eq(at(doc, "components", "securitySchemes", "bearer")->child->valuestring, "http");
	cr_assert_not_null(at(at(post, "responses", "401", "headers"), "WWW-Authenticate", NULL, NULL));
	cJSON_Delete(doc);
}

/* The code's licence is stated where tools look for it, and it is the LICENSE file's. */
Test(meta, openapi_states_the_code_licence)
{
	cJSON *doc;
	const cJSON *lic;

	call_get(&c, "/api/v1/openapi.json");
	doc = call_json(&c);
	lic = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "info"), "license");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(lic, "identifier")), "MIT");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(lic, "name")), "MIT");
	cJSON_Delete(doc);
}
