/*
 * app: assembling a server from a config (see app.h).
 */
#include "server/app.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/mem.h"
#include "lib/phase.h"
#include "lib/tokens.h"
#include "server/assets.h"
#include "server/log.h"
#include "server/router.h"
#include "server/writer.h"

struct store *app_load_data(const struct config *cfg, struct strbuf *err)
{
	const struct asset *a;

	if (*cfg->data)
		return store_load_file(cfg->data, err);
	a = assets_find(ASSETS_DATASET);
	return store_load_buffer((const char *)a->data, a->size, ASSETS_DATASET, err);
}

int app_check_data(const struct config *cfg, struct strbuf *err, struct strbuf *summary)
{
	const struct asset *a;

	if (*cfg->data)
		return store_check_file(cfg->data, err, summary);
	a = assets_find(ASSETS_DATASET);
	return store_check_buffer((const char *)a->data, a->size, ASSETS_DATASET, err, summary);
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

struct site *app_build_site_next(const struct site *prev, struct store *store, size_t gzip_min)
{
	const struct asset *schema = assets_find(ASSETS_SCHEMA);
	struct site_options opt = {
		.gzip_min = gzip_min,
		.schema = (const char *)schema->data,
		.schema_len = (size_t)schema->size,
	};

	opt.routes = router_routes(&opt.nroutes);
	return prev ? site_build_next(prev, store, &opt) : site_build(store, &opt);
}

struct site *app_build_site(struct store *store, size_t gzip_min)
{
	return app_build_site_next(NULL, store, gzip_min);
}

/*
 * At --log-level debug, where the time of a load went: one line a step
 * (the store's, then the site's, built since its last), and the total.
 */
static void log_load_phases(const struct store *s)
{
	struct phases ph = *store_phases(s);
	struct phase total;
	char wall[32], cpu[32], flt[32];

	phases_mark(&ph, "build the site");
	total = phases_total(&ph);
	for (size_t i = 0; i <= ph.n; i++) {
		const struct phase *p = i < ph.n ? &ph.v[i] : &total;

		snprintf(wall, sizeof(wall), "%.0f", p->wall_ms);
		snprintf(cpu, sizeof(cpu), "%.0f", p->cpu_ms);
		snprintf(flt, sizeof(flt), "%ld", p->minflt);
		log_event(LOG_DEBUG, "load phase", "phase", p->name, "wall_ms", wall, "cpu_ms", cpu,
			  "minor_faults", flt, NULL);
	}
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
	/* Writes are on with a data file and tokens (config refuses tokens without data). */
	if (*cfg->tokens) {
		app->tokens = tokens_load(cfg->tokens, err);
		if (!app->tokens) {
			store_free(store);
			return fail(app, "cannot read the tokens", 2);
		}
		app->writer = writer_open(cfg, app->tokens, &store, err);
		if (!app->writer)
			return fail(app, "cannot keep a journal", 1);
	}
	app->web = app_load_web(cfg->web_root, gzip_min, err);
	if (!app->web) {
		store_free(store);
		return fail(app, "cannot serve the dashboard", 2);
	}
	app->metrics = metrics_new();
	app->snapshots = snapshots_new(app_build_site(store, gzip_min), time(NULL), time(NULL));
	log_load_phases(store);
	if (app->writer && writer_start(app->writer, app->snapshots, app->metrics, err))
		return fail(app, "cannot start", 1);
	hopt = (struct http_options){ cfg, app->snapshots, app->metrics, app->web,
				      app->writer ? writer_writes(app->writer) : NULL };
	app->http = http_start(&hopt, err);
	if (!app->http)
		return fail(app, "cannot start", 1);
	return 0;
}

/*
 * The reload thread's state. It outlives the app when a stop comes during a
 * reload: the app and the thread each hold a reference, and the last one
 * frees it. The thread reads the app's snapshots and metrics only under the
 * lock and while closing is false.
 */
struct reloader {
	pthread_mutex_t lock;
	unsigned refs;
	bool running;                /* a thread is loading */
	bool again;                  /* another reload was asked for meanwhile */
	bool closing;                /* app_close() has run: publish nothing */
	const char *why;             /* the cause of the reload to run next */
	char *path;
	size_t gzip_min;
	struct snapshots *snapshots;
	struct metrics *metrics;
};

static void reloader_release(struct reloader *r)
{
	bool last;

	pthread_mutex_lock(&r->lock);
	last = --r->refs == 0;
	pthread_mutex_unlock(&r->lock);
	if (!last)
		return;
	pthread_mutex_destroy(&r->lock);
	free(r->path);
	free(r);
}

/* Serves what a reload made (a site, or the error of one that failed). Under r->lock. */
static void publish(struct reloader *r, struct site *site, const struct strbuf *records,
		    const struct strbuf *err, const char *why)
{
	struct snapshot *snap;
	char gen[32];

	if (!site) {
		snapshots_publish_failure(r->snapshots, err->buf, time(NULL));
		metrics_reload(r->metrics, false, time(NULL));
		log_event(LOG_ERROR, "reload failed; still serving the previous data", "cause", why,
			  "error", err->buf, NULL);
		return;
	}
	snapshots_publish_site(r->snapshots, site, time(NULL));
	metrics_reload(r->metrics, true, time(NULL));
	snap = snapshot_acquire(r->snapshots);
	snprintf(gen, sizeof(gen), "%llu", (unsigned long long)snapshot_serving(snap)->generation);
	snapshot_release(snap);
	log_event(LOG_INFO, "reloaded", "cause", why, "data", r->path, "records", records->buf,
		  "generation", gen, NULL);
}

static void *reload_thread(void *arg)
{
	struct reloader *r = arg;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		struct strbuf err = STRBUF_INIT, records = STRBUF_INIT;
		const char *why = r->why;
		struct site *site = NULL;
		struct store *s;

		r->again = false;
		pthread_mutex_unlock(&r->lock);
		log_event(LOG_INFO, "reloading", "cause", why, "data", r->path, NULL);
		/* The long part, outside the lock: a stop meanwhile is not kept waiting. */
		s = store_load_file(r->path, &err);
		if (s) {
			store_describe(s, &records);
			site = app_build_site(s, r->gzip_min);
			log_load_phases(s);
		}
		pthread_mutex_lock(&r->lock);
		if (r->closing) {
			site_free(site);
			strbuf_release(&err);
			strbuf_release(&records);
			break;
		}
		publish(r, site, &records, &err, why);
		strbuf_release(&err);
		strbuf_release(&records);
		if (!r->again)
			break;
	}
	r->running = false;
	pthread_mutex_unlock(&r->lock);
	reloader_release(r);
	return NULL;
}

void app_reload(struct app *app, const char *why)
{
	struct reloader *r = app->reloader;
	pthread_attr_t attr;
	pthread_t t;

	if (!*app->cfg->data) {
		log_event(LOG_INFO, "reload skipped: the built-in dataset does not change", "cause", why,
			  NULL);
		return;
	}
	if (app->writer) {
		writer_reload(app->writer, why);
		return;
	}
	if (!r) {
		r = app->reloader = xcalloc(1, sizeof(*r));
		pthread_mutex_init(&r->lock, NULL);
		r->refs = 1;
		r->path = xstrdup(app->cfg->data);
		r->gzip_min = config_gzip_min(app->cfg);
		r->snapshots = app->snapshots;
		r->metrics = app->metrics;
	}
	pthread_mutex_lock(&r->lock);
	r->why = why;
	if (r->running) {
		r->again = true;
		pthread_mutex_unlock(&r->lock);
		return;
	}
	r->running = true;
	r->refs++;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	errno = pthread_create(&t, &attr, reload_thread, r);
	pthread_attr_destroy(&attr);
	if (errno) {
		r->running = false;
		r->refs--;
		pthread_mutex_unlock(&r->lock);
		log_event(LOG_ERROR, "reload failed; still serving the previous data", "cause", why,
			  "error", "cannot start a thread to load the data", NULL);
		return;
	}
	pthread_mutex_unlock(&r->lock);
}

bool app_reloading(struct app *app)
{
	bool running;

	if (!app->reloader)
		return false;
	pthread_mutex_lock(&app->reloader->lock);
	running = app->reloader->running;
	pthread_mutex_unlock(&app->reloader->lock);
	return running;
}

void app_close(struct app *app)
{
	if (app->reloader) {
		/* A reload still loading finishes on its own and publishes nothing. */
		pthread_mutex_lock(&app->reloader->lock);
		app->reloader->closing = true;
		if (app->reloader->running)
			log_event(LOG_INFO, "a reload is still loading; what it loads is dropped", NULL);
		pthread_mutex_unlock(&app->reloader->lock);
		reloader_release(app->reloader);
		app->reloader = NULL;
	}
	http_stop(app->http);
	app->http = NULL;
	/* No request waits on a write now: the writer finishes, folds its journal in, and stops. */
	writer_close(app->writer);
	app->writer = NULL;
	tokens_free(app->tokens);
	app->tokens = NULL;
	snapshots_free(app->snapshots);
	app->snapshots = NULL;
	metrics_free(app->metrics);
	app->metrics = NULL;
	webroot_free(app->web);
	app->web = NULL;
}
