/*
 * app: a whole server assembled from a config, in one place.
 *
 * app_open() does what it takes to serve: it loads the data the config
 * names, renders a site from it, loads the dashboard's files, makes the
 * metrics and the snapshot registry, and starts listening. server/main.c
 * runs the process around it (flags, signals, reloads, draining); the tests
 * that run a server in their own process call the same function, so what
 * they test is what main serves. The parts are also offered one by one, for
 * --check and for tests that build a site without a server.
 *
 * Ownership: app_open() fills a struct app that owns what it made and
 * borrows the config, which must outlive it; app_close() frees it all (also
 * after a failed app_open(), and twice is harmless), but for a reload still
 * running, which frees what it made itself.
 */
#ifndef ATTACHE_APP_H
#define ATTACHE_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "handlers/site.h"
#include "handlers/webroot.h"
#include "lib/strbuf.h"
#include "models/store.h"
#include "server/http.h"
#include "server/metrics.h"
#include "server/snapshot.h"

struct reloader;
struct tokens;
struct writer;

struct app {
	const struct config *cfg;
	struct webroot *web;
	struct metrics *metrics;
	struct snapshots *snapshots;
	struct http *http;           /* NULL once stopped */
	struct reloader *reloader;   /* reloads in their own thread (app_reload) */
	struct tokens *tokens;       /* who may write; NULL when writes are off */
	struct writer *writer;       /* the writer thread and its journal; NULL when writes are off */

	/* When app_open() fails: what it could not do, and the exit status that goes with it. */
	const char *failed;          /* "cannot load the data", "cannot serve the dashboard", "cannot start",
				      * "cannot read the tokens", "cannot keep a journal" */
	int exit_code;               /* 1: the data or the socket; 2: a bad setting */
};

/*
 * Assembles and starts the server cfg describes. Returns 0, or -1 with err
 * saying why and app->failed and app->exit_code set; free with app_close()
 * either way. The listening threads inherit the caller's signal mask.
 */
int app_open(struct app *app, const struct config *cfg, struct strbuf *err);

/* Stops listening (if still) and frees everything app_open() made. */
void app_close(struct app *app);

/*
 * The data file cfg names, or the dataset built into the binary when it
 * names none. Returns a new store (free with store_free()), or NULL after
 * appending the loader's message to err.
 */
struct store *app_load_data(const struct config *cfg, struct strbuf *err);

/*
 * Checks the same data as app_load_data() would load it, without building
 * what only serving needs (store_check_file()). Returns 0 after appending
 * what it holds to summary, or -1 after appending the loader's message to err.
 */
int app_check_data(const struct config *cfg, struct strbuf *err, struct strbuf *summary);

/* How the data is named in messages: its path, or "built-in data/...json". */
const char *app_data_name(const struct config *cfg);

/*
 * The dashboard's files: the directory web_root, read per request, or (when
 * web_root is "") the files built into the binary. Returns a new webroot
 * (free with webroot_free()), or NULL with a message in err.
 */
struct webroot *app_load_web(const char *web_root, size_t gzip_min, struct strbuf *err);

/*
 * A site over store (taken), rendered as the server serves it: the route
 * table and the data's JSON Schema for the OpenAPI document, blobs of
 * gzip_min bytes or more compressed (0: none). Free with site_free().
 */
struct site *app_build_site(struct store *store, size_t gzip_min);

/* The same for a write's generation, from the site it follows (site_build_next()). */
struct site *app_build_site_next(const struct site *prev, struct store *store, size_t gzip_min);

/*
 * Loads the data file again, in a thread of its own, and serves it as the
 * next generation; or, when it does not load, keeps the current one and
 * reports the error in readiness and metrics. Logs the outcome either way,
 * with why (a string that lives for ever, such as a literal) as its cause.
 * When a reload is running, another follows it once it is done (however
 * many are asked for meanwhile), so the file's last state is what is
 * served. The built-in dataset does not change: then only says so. With
 * writes on, the writer thread reloads, between groups of writes, and the
 * journal's writes go over the file (server/writer.h).
 *
 * A reload never delays a stop: app_close() leaves one still loading to
 * finish on its own, and drops what it loads.
 */
void app_reload(struct app *app, const char *why);

/* Whether a reload is running, or asked for and waiting on one that is. */
bool app_reloading(struct app *app);

#endif
