/*
 * app: assembling a server from a config (see app.h).
 */
#include "server/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/mem.h"
#include "server/assets.h"
#include "server/log.h"
#include "server/router.h"

struct store *app_load_data(const struct config *cfg, struct strbuf *err)
{
	const struct asset *a;

	if (*cfg->data)
		return store_load_file(cfg->data, err);
	a = assets_find(ASSETS_DATASET);
	return store_load_buffer((const char *)a->data, a->size, ASSETS_DATASET, err);
}

const char *app_data_name(const struct config *cfg)
{
	return *cfg->data ? cfg->data : "built-in " ASSETS_DATASET;
}

struct webroot *app_load_web(const char *web_root, size_t gzip_min, struct strbuf *err)
{
	struct web_file *files;
	struct webroot *w;
	size_t n = 0;

	if (*web_root)
		return webroot_from_dir(web_root, gzip_min, err);
	for (const struct asset *a = assets_all(); a->name; a++)
		n += !strncmp(a->name, "web/", 4);
	files = xcalloc(n ? n : 1, sizeof(*files));
	n = 0;
	for (const struct asset *a = assets_all(); a->name; a++)
		if (!strncmp(a->name, "web/", 4))
			files[n++] = (struct web_file){ a->name + 4, a->data, (size_t)a->size };
	w = webroot_from_files(files, n, gzip_min);
	free(files);
	return w;
}

struct site *app_build_site(struct store *store, size_t gzip_min)
{
	const struct asset *schema = assets_find(ASSETS_SCHEMA);
	struct site_options opt = {
		.gzip_min = gzip_min,
		.schema = (const char *)schema->data,
		.schema_len = (size_t)schema->size,
	};

	opt.routes = router_routes(&opt.nroutes);
	return site_build(store, &opt);
}

static int fail(struct app *app, const char *what, int exit_code)
{
	app->failed = what;
	app->exit_code = exit_code;
	return -1;
}

int app_open(struct app *app, const struct config *cfg, struct strbuf *err)
{
	const size_t gzip_min = config_gzip_min(cfg);
	struct http_options hopt;
	struct store *store;

	memset(app, 0, sizeof(*app));
	app->cfg = cfg;
	store = app_load_data(cfg, err);
	if (!store)
		return fail(app, "cannot load the data", 1);
	app->web = app_load_web(cfg->web_root, gzip_min, err);
	if (!app->web) {
		store_free(store);
		return fail(app, "cannot serve the dashboard", 2);
	}
	app->metrics = metrics_new();
	app->snapshots = snapshots_new(app_build_site(store, gzip_min), time(NULL), time(NULL));
	hopt = (struct http_options){ cfg, app->snapshots, app->metrics, app->web };
	app->http = http_start(&hopt, err);
	if (!app->http)
		return fail(app, "cannot start", 1);
	return 0;
}

void app_close(struct app *app)
{
	http_stop(app->http);
	app->http = NULL;
	snapshots_free(app->snapshots);
	app->snapshots = NULL;
	metrics_free(app->metrics);
	app->metrics = NULL;
	webroot_free(app->web);
	app->web = NULL;
}

void app_reload(struct app *app, const char *why)
{
	const struct config *cfg = app->cfg;
	struct strbuf err = STRBUF_INIT, records = STRBUF_INIT;
	struct snapshot *snap;
	char gen[32];
	struct store *s;

	if (!*cfg->data) {
		log_event(LOG_INFO, "reload skipped: the built-in dataset does not change", "cause", why,
			  NULL);
		goto out;
	}
	s = store_load_file(cfg->data, &err);
	if (!s) {
		snapshots_publish_failure(app->snapshots, err.buf, time(NULL));
		metrics_reload(app->metrics, false, time(NULL));
		log_event(LOG_ERROR, "reload failed; still serving the previous data", "cause", why,
			  "error", err.buf, NULL);
		goto out;
	}
	store_describe(s, &records);
	snapshots_publish_site(app->snapshots, app_build_site(s, config_gzip_min(cfg)), time(NULL));
	metrics_reload(app->metrics, true, time(NULL));
	snap = snapshot_acquire(app->snapshots);
	snprintf(gen, sizeof(gen), "%llu", (unsigned long long)snapshot_serving(snap)->generation);
	snapshot_release(snap);
	log_event(LOG_INFO, "reloaded", "cause", why, "data", cfg->data, "records", records.buf,
		  "generation", gen, NULL);
out:
	strbuf_release(&err);
	strbuf_release(&records);
}
