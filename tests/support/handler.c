/*
 * handler: direct handler calls for the unit tests (see handler.h).
 */
#include "tests/support/handler.h"

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "server/app.h"
#include "server/assets.h"
#include "tests/support/support.h"

void call_init(struct call *c, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct store *s;

	memset(c, 0, sizeof(*c));
	if (path) {
		s = support_load(path);
	} else {
		const struct asset *a = assets_find(ASSETS_DATASET);

		s = store_load_buffer((const char *)a->data, a->size, "built-in", &err);
		cr_assert_not_null(s, "%s", err.buf);
	}
	c->site = app_build_site(s, 1024);
	c->serving.site = c->site;
	c->serving.generation = 1;
	c->serving.loaded_at = 1689033600;   /* 2023-07-11T00:00:00Z */
	c->serving.started_at = 1689033600;
	c->web = app_load_web("", 1024, &err);
	strbuf_release(&err);
	strbuf_init(&c->scratch, 0);
	strbuf_init(&c->qscratch, 0);
	response_init(&c->res);
}

void call_release(struct call *c)
{
	response_release(&c->res);
	strbuf_release(&c->scratch);
	strbuf_release(&c->qscratch);
	webroot_free(c->web);
	site_free(c->site);
}

void call_get(struct call *c, const char *target)
{
	struct route_match m;
	const char *q = strchr(target, '?'), *why = NULL;
	char path[2048];
	size_t n = 0;

	snprintf(path, sizeof(path), "%.*s", (int)(q ? (size_t)(q - target) : strlen(target)), target);
	response_release(&c->res);
	response_init(&c->res);
	strbuf_reset(&c->scratch);
	strbuf_reset(&c->qscratch);
	memset(&c->req, 0, sizeof(c->req));
	c->req.method = HTTP_GET;
	c->req.target = target;
	c->req.request_id = "test";
	c->req.serving = &c->serving;
	c->req.web = c->web;
	c->req.if_none_match = c->if_none_match;
	c->req.accept = c->accept;
	c->req.budget = c->budget;
	c->req.raw_query = q ? q + 1 : "";
	cr_assert_eq(router_match(path, &m, &c->scratch, &why), ROUTER_FOUND, "%s: no route", target);
	cr_assert_null(router_parse_query(c->req.raw_query, &c->qscratch, c->pairs, &n), "%s", target);
	router_fill(&m, &c->req);
	c->req.query = c->pairs;
	c->req.nquery = n;
	m.route->get(&c->req, &c->res);
}

cJSON *call_json(const struct call *c)
{
	cJSON *j = cJSON_ParseWithLength(c->res.body, c->res.len);

	cr_assert_not_null(j, "not JSON: %.*s", (int)c->res.len, c->res.body);
	return j;
}

const char *call_problem(const struct call *c, int status)
{
	static _Thread_local char detail[2048];
	cJSON *j;

	cr_assert_eq(c->res.status, status, "status %d: %.*s", c->res.status, (int)c->res.len, c->res.body);
	cr_assert_str_eq(c->res.content_type, MEDIA_PROBLEM);
	cr_assert_eq(c->res.cache, CACHE_NO_STORE);
	j = call_json(c);
	cr_assert_eq(cJSON_GetObjectItem(j, "status")->valuedouble, status);
	cr_assert_str_eq(cJSON_GetObjectItem(j, "title")->valuestring, http_status_reason(status));
	cr_assert_str_eq(cJSON_GetObjectItem(j, "instance")->valuestring, c->req.target);
	snprintf(detail, sizeof(detail), "%s", cJSON_GetObjectItem(j, "detail")->valuestring);
	cJSON_Delete(j);
	return detail;
}
