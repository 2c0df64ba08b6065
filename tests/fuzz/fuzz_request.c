/*
 * libFuzzer target: any bytes as a request target ("/path?query"), through
 * the router, the query parser, and the route's handler on the shipped
 * dataset, as the server would run them. Every request gets a status and a
 * body (a streamed one is read to its end; only NDJSON of no records is
 * empty); a 200 JSON list's body is JSON-shaped. An input of odd length runs
 * with the smallest budget a server takes (max-scan 1000), so that list
 * queries and exports are priced, and the dearer searches refused, by the
 * plan that would run them; one of even length runs unpriced, so that every
 * query runs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/format.h"
#include "handlers/list.h"
#include "lib/mem.h"
#include "server/app.h"
#include "server/assets.h"
#include "server/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct site *site;
static struct serving serving;
static struct list_budget budget = { .max_scan = 1000, .max_expensive = 1 };

static void setup(void)
{
	const struct asset *a = assets_find(ASSETS_DATASET);
	struct strbuf err = STRBUF_INIT;

	site = app_build_site(store_load_buffer((const char *)a->data, a->size, "built-in", &err), 1024);
	serving.site = site;
	serving.generation = 1;
	strbuf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf scratch = STRBUF_INIT, qscratch = STRBUF_INIT;
	struct query_param pairs[ROUTER_MAX_QUERY];
	struct webroot *web = webroot_from_files(NULL, 0, 0);
	char *target = xmemdup0((const char *)data, size), *q;
	struct request req = { 0 };
	struct response res;
	struct route_match m;
	const char *why;
	size_t n;

	if (!site)
		setup();
	if (strlen(target) != size || size == 0 || target[0] != '/')
		goto out;
	q = strchr(target, '?');
	req.raw_query = "";
	if (q) {
		*q = '\0';
		req.raw_query = q + 1;
	}
	if (router_match(target, &m, &scratch, &why) != ROUTER_FOUND)
		goto out;
	if (router_parse_query(req.raw_query, &qscratch, pairs, &n))
		goto out;
	if (!strcmp(m.route->pattern, "/metrics"))
		goto out; /* needs the server's counters */
	req.method = HTTP_GET;
	req.target = "fuzz";
	req.request_id = "fuzz";
	router_fill(&m, &req);
	req.query = pairs;
	req.nquery = n;
	req.serving = &serving;
	req.web = web;
	req.budget = size % 2 ? &budget : NULL;
	response_init(&res);
	m.route->get(&req, &res);
	if (body_stream_present(&res.stream)) {
		struct strbuf body = STRBUF_INIT;

		if (res.status != 200 || res.body)
			abort();
		body_stream_drain(&res.stream, &body);
		strbuf_release(&body);
	} else if (res.status < 200 || res.status > 599 ||
		   (res.status != 304 && (!res.body || (!res.len && strcmp(res.content_type, MEDIA_NDJSON))))) {
		abort();   /* only NDJSON of no records is empty */
	}
	if (res.status == 200 && m.route->kind == ROUTE_LIST && !strcmp(res.content_type, MEDIA_JSON) &&
	    (res.body[0] != '{' || res.body[res.len - 1] != '}'))
		abort();
	response_release(&res);
out:
	webroot_free(web);
	free(target);
	strbuf_release(&scratch);
	strbuf_release(&qscratch);
	return 0;
}
