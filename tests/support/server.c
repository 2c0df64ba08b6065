/*
 * server: attache in the test process (see server.h).
 */
#include "tests/support/server.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "handlers/site.h"
#include "server/assets.h"
#include "server/router.h"

void test_server_start(struct test_server *s, const char *const *flags)
{
	const char *argv[40] = { "attache", "--port", "0", "--access-log=false" };
	int argc = 4;
	struct strbuf err = STRBUF_INIT;
	struct site_options opt = { 0 };
	struct web_file files[32];
	size_t nfiles = 0;
	struct store *store;
	char *const env[] = { NULL };

	memset(s, 0, sizeof(*s));
	for (; flags && *flags && argc < 39; flags++)
		argv[argc++] = *flags;
	if (config_load(&s->cfg, argc, (char *const *)argv, env, &err))
		cr_assert_fail("config: %s", err.buf);
	if (*s->cfg.data) {
		store = store_load_file(s->cfg.data, &err);
	} else {
		const struct asset *a = assets_find(ASSETS_DATASET);

		store = store_load_buffer((const char *)a->data, a->size, ASSETS_DATASET, &err);
	}
	if (!store)
		cr_assert_fail("data: %s", err.buf);
	for (const struct asset *a = assets_all(); a->name; a++)
		if (!strncmp(a->name, "web/", 4))
			files[nfiles++] = (struct web_file){ a->name + 4, a->data, (size_t)a->size };
	s->web = webroot_from_files(files, nfiles, s->cfg.gzip ? (size_t)s->cfg.gzip_min_size : 0);
	opt.gzip_min = s->cfg.gzip ? (size_t)s->cfg.gzip_min_size : 0;
	opt.routes = router_routes(&opt.nroutes);
	opt.schema = (const char *)assets_find(ASSETS_SCHEMA)->data;
	opt.schema_len = (size_t)assets_find(ASSETS_SCHEMA)->size;
	s->metrics = metrics_new();
	s->snapshots = snapshots_new(site_build(store, &opt), time(NULL), time(NULL));
	s->http = http_start(&(struct http_options){ &s->cfg, s->snapshots, s->metrics, s->web }, &err);
	if (!s->http)
		cr_assert_fail("http: %s", err.buf);
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%u", http_port(s->http));
	strbuf_release(&err);
}

void test_server_stop(struct test_server *s)
{
	http_stop(s->http);
	snapshots_free(s->snapshots);
	metrics_free(s->metrics);
	webroot_free(s->web);
	config_release(&s->cfg);
}

const char *test_url(const struct test_server *s, const char *path)
{
	static _Thread_local char url[4096];

	snprintf(url, sizeof(url), "%s%s", s->base, path);
	return url;
}
