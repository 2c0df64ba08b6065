/*
 * Tests for handlers/meta.c, handlers/site.c, handlers/openapi.c and
 * handlers/webroot.c: the routes about the API, called directly.
 */
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "handlers/meta.h"
#include "handlers/webroot.h"
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

Test(meta, openapi_documents_every_filterable_field_of_a_list)
{
	cJSON *doc;
	const cJSON *params, *p;
	bool seen = false;

	call_get(&c, "/api/v1/openapi.json");
	doc = call_json(&c);
	params = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
		cJSON_GetObjectItem(doc, "paths"), "/api/v1/deals"), "get"), "parameters");
	cJSON_ArrayForEach(p, params) {
		const cJSON *name = cJSON_GetObjectItem(p, "name");

		if (name && !strcmp(name->valuestring, "value.amount")) {
			seen = true;
			cr_assert(strstr(cJSON_GetObjectItem(p, "description")->valuestring, "gte"));
		}
	}
	cr_assert(seen);
	cr_assert_eq(cJSON_GetArraySize(params), 6 + (int)deal_resource.nfields);
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

/* j[a][b][d], each step skipped when NULL. */
static const cJSON *at(const cJSON *j, const char *a, const char *b, const char *d)
{
	j = cJSON_GetObjectItemCaseSensitive(j, a);
	if (b)
		j = cJSON_GetObjectItemCaseSensitive(j, b);
	if (d)
		j = cJSON_GetObjectItemCaseSensitive(j, d);
	return j;
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
	cr_assert_null(at(paths, "/api/v1/deals/{id}", "post", NULL));
	cr_assert_null(at(paths, "/api/v1/changes", "post", NULL), "the feed is read-only");
	cr_assert_null(at(paths, "/api/v1/stats", "delete", NULL));
	cr_assert_str_eq(at(doc, "components", "securitySchemes", "bearer")->child->valuestring, "http");
	cr_assert_not_null(at(doc, "components", "responses", "Unauthorized"));
	cr_assert_not_null(at(at(doc, "components", "responses", "Unauthorized"), "headers",
			      "WWW-Authenticate", NULL));
	cJSON_Delete(doc);
}
