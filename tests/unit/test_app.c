/*
 * Tests for server/app.c: the parts of a server it assembles, one by one.
 * (The whole of app_open() runs under every integration test.)
 */
#include <unistd.h>

#include <criterion/criterion.h>

#include "server/app.h"
#include "server/assets.h"
#include "server/log.h"

/* The config of attache run with these flags and no environment. */
static void config(struct config *cfg, const char *const *argv, int argc)
{
	struct strbuf err = STRBUF_INIT;
	char *const env[] = { NULL };

	cr_assert_eq(config_load(cfg, argc, (char *const *)argv, env, &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

Test(app, loads_the_built_in_dataset_unless_told_a_file)
{
	const char *const none[] = { "attache" };
	const char *const file[] = { "attache", "--data", "tests/fixtures/query.json" };
	struct strbuf err = STRBUF_INIT;
	struct config cfg;
	struct store *s;

	config(&cfg, none, 1);
	s = app_load_data(&cfg, &err);
	cr_assert_not_null(s, "%s", err.buf);
	cr_assert_str_eq(app_data_name(&cfg), "built-in " ASSETS_DATASET);
	cr_assert_eq(store_collection(s, STORE_DEALS)->n, 27);
	store_free(s);
	config_release(&cfg);
	config(&cfg, file, 3);
	s = app_load_data(&cfg, &err);
	cr_assert_str_eq(app_data_name(&cfg), "tests/fixtures/query.json");
	cr_assert_eq(store_collection(s, STORE_DEALS)->n, 6);
	store_free(s);
	config_release(&cfg);
	strbuf_release(&err);
}

Test(app, serves_every_dashboard_file_built_in)
{
	struct strbuf err = STRBUF_INIT;
	struct webroot *w = app_load_web("", 1024, &err);
	size_t n = 0;

	cr_assert_not_null(w);
	for (const struct asset *a = assets_all(); a->name; a++) {
		if (strncmp(a->name, "web/", 4))
			continue;
		cr_assert(webroot_has(w, a->name + 4), "%s", a->name);
		n++;
	}
	cr_assert_geq(n, 3, "index.html, style.css, app.js at least");
	webroot_free(w);
	cr_assert_null(app_load_web("/nonexistent", 1024, &err));
	cr_assert_str_eq(err.buf, "/nonexistent: web-root is not a directory");
	strbuf_release(&err);
}

Test(app, builds_a_site_with_the_route_table_and_the_data_schema)
{
	const struct asset *a = assets_find(ASSETS_DATASET);
	struct strbuf err = STRBUF_INIT;
	struct site *site = app_build_site(store_load_buffer((const char *)a->data, a->size, "x", &err),
					   1024);

	cr_assert_not_null(strstr(site->openapi.bytes, "\"/api/v1/deals/{id}\""), "the routes");
	cr_assert_not_null(strstr(site->openapi.bytes, "\"Deal\":{"), "the schema's $defs");
	cr_assert_not_null(site->openapi.gz, "blobs past gzip_min are compressed");
	site_free(site);
	strbuf_release(&err);
}

Test(app, a_failed_open_says_what_failed_and_how_to_exit)
{
	static const struct {
		const char *flag, *value, *failed;
		int exit_code;
	} cases[] = {
		{ "--data", "/nonexistent.json", "cannot load the data", 1 },
		{ "--web-root", "/nonexistent", "cannot serve the dashboard", 2 },
		{ "--bind", "1.2.3.4.5", "cannot start", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const argv[] = { "attache", "--port", "0", cases[i].flag, cases[i].value };
		struct strbuf err = STRBUF_INIT;
		struct config cfg;
		struct app app;

		config(&cfg, argv, 5);
		cr_assert_eq(app_open(&app, &cfg, &err), -1);
		cr_assert_str_eq(app.failed, cases[i].failed);
		cr_assert_eq(app.exit_code, cases[i].exit_code);
		cr_assert_gt(err.len, 0, "and why");
		app_close(&app);
		app_close(&app);
		config_release(&cfg);
		strbuf_release(&err);
	}
}

/* The generation app's snapshots serve. */
static uint64_t generation(struct app *app)
{
	struct snapshot *snap = snapshot_acquire(app->snapshots);
	uint64_t g = snapshot_serving(snap)->generation;

	snapshot_release(snap);
	return g;
}

static void wait_reloads(struct app *app)
{
	for (int i = 0; i < 1000 && app_reloading(app); i++)
		usleep(10000);
	cr_assert_not(app_reloading(app));
}

/* A server of the query fixture on a free port, its reload logs kept quiet. */
static void open_fixture(struct app *app, struct config *cfg)
{
	const char *const argv[] = { "attache", "--port", "0", "--access-log=false", "--data",
				     "tests/fixtures/query.json" };
	struct strbuf err = STRBUF_INIT;

	log_init(LOG_JSON, LOG_WARN);
	config(cfg, argv, 6);
	cr_assert_eq(app_open(app, cfg, &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

Test(app, reloads_in_the_background_and_coalesces_what_is_asked_meanwhile)
{
	struct config cfg;
	struct app app;
	uint64_t g;

	open_fixture(&app, &cfg);
	app_reload(&app, "test");
	wait_reloads(&app);
	cr_assert_eq(generation(&app), 2);
	for (int i = 0; i < 5; i++)
		app_reload(&app, "test");
	wait_reloads(&app);
	g = generation(&app);
	cr_assert(g >= 3 && g <= 4, "five reloads asked at once ran once, or twice: generation %llu",
		  (unsigned long long)g);
	app_close(&app);
	config_release(&cfg);
}

Test(app, closes_at_once_while_a_reload_runs)
{
	struct config cfg;
	struct app app;

	open_fixture(&app, &cfg);
	app_reload(&app, "test");
	app_close(&app);  /* the reload, if it still runs, finishes alone and drops its store */
	config_release(&cfg);
	usleep(200000);   /* long enough for it to finish, so a leak check sees it done */
}
