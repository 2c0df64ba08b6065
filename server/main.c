/*
 * main: flags, the data, signals and the server's life from start to exit.
 *
 * Exit codes: 0 after a clean stop (or a passing --check or --healthcheck),
 * 1 when the data or the socket fails, 2 for a bad setting.
 *
 * Signals are not handled in signal handlers: SIGINT, SIGTERM and SIGHUP are
 * blocked before the server's threads start (they inherit the mask), and the
 * main thread takes them one at a time with sigtimedwait(), between which it
 * also watches the data file when asked to.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "handlers/site.h"
#include "handlers/webroot.h"
#include "lib/mem.h"
#include "server/assets.h"
#include "server/http.h"
#include "server/log.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/snapshot.h"

struct app {
	struct config cfg;
	struct site_options site_opt;
	struct snapshots *snapshots;
	struct metrics *metrics;
	struct webroot *web;
	struct http *http;
	struct stat data_stat;      /* the data file as last loaded, for --watch */
};

static const char *data_name(const struct config *cfg)
{
	return *cfg->data ? cfg->data : "built-in " ASSETS_DATASET;
}

static struct store *load_data(const struct config *cfg, struct strbuf *err)
{
	const struct asset *a;

	if (*cfg->data)
		return store_load_file(cfg->data, err);
	a = assets_find(ASSETS_DATASET);
	return store_load_buffer((const char *)a->data, a->size, ASSETS_DATASET, err);
}

static void count_line(const struct store *s, char *out, size_t size)
{
	snprintf(out, size, "%u countries, %u meetings, %u deals",
		 store_collection(s, STORE_COUNTRIES)->n, store_collection(s, STORE_MEETINGS)->n,
		 store_collection(s, STORE_DEALS)->n);
}

static struct webroot *load_web(const struct config *cfg, struct strbuf *err)
{
	struct web_file files[64];
	size_t n = 0;

	if (*cfg->web_root)
		return webroot_from_dir(cfg->web_root, cfg->gzip ? (size_t)cfg->gzip_min_size : 0, err);
	for (const struct asset *a = assets_all(); a->name && n < 64; a++) {
		if (strncmp(a->name, "web/", 4))
			continue;
		files[n++] = (struct web_file){ a->name + 4, a->data, (size_t)a->size };
	}
	return webroot_from_files(files, n, cfg->gzip ? (size_t)cfg->gzip_min_size : 0);
}

/* SIGHUP or a changed file: a new site beside the old one, or the old one and the error. */
static void reload(struct app *app, const char *why)
{
	struct strbuf err = STRBUF_INIT;
	struct snapshot *snap;
	char counts[128], gen[32];
	struct store *s;

	if (!*app->cfg.data) {
		log_event(LOG_INFO, "reload skipped: the built-in dataset does not change", "cause", why,
			  NULL);
		goto out;
	}
	stat(app->cfg.data, &app->data_stat);
	s = store_load_file(app->cfg.data, &err);
	if (!s) {
		snapshots_publish_failure(app->snapshots, err.buf, time(NULL));
		metrics_reload(app->metrics, false, time(NULL));
		log_event(LOG_ERROR, "reload failed; still serving the previous data", "cause", why,
			  "error", err.buf, NULL);
		goto out;
	}
	count_line(s, counts, sizeof(counts));
	snapshots_publish_site(app->snapshots, site_build(s, &app->site_opt), time(NULL));
	metrics_reload(app->metrics, true, time(NULL));
	snap = snapshot_acquire(app->snapshots);
	snprintf(gen, sizeof(gen), "%llu", (unsigned long long)snapshot_serving(snap)->generation);
	snapshot_release(snap);
	log_event(LOG_INFO, "reloaded", "cause", why, "data", app->cfg.data, "records", counts,
		  "generation", gen, NULL);
out:
	strbuf_release(&err);
}

static bool file_changed(const struct app *app)
{
	struct stat st;

	if (stat(app->cfg.data, &st))
		return false; /* gone for now, as during an editor's save: keep serving */
	return st.st_ino != app->data_stat.st_ino || st.st_size != app->data_stat.st_size ||
	       st.st_mtim.tv_sec != app->data_stat.st_mtim.tv_sec ||
	       st.st_mtim.tv_nsec != app->data_stat.st_mtim.tv_nsec;
}

/* Stop accepting, let requests in flight finish (bounded), then close everything. */
static void drain(struct app *app, int sig)
{
	struct timespec start, now;
	char grace[32];

	snprintf(grace, sizeof(grace), "%llds", (long long)app->cfg.shutdown_grace);
	log_event(LOG_INFO, "stopping", "signal", strsignal(sig), "grace", grace, NULL);
	snapshots_publish_draining(app->snapshots);
	http_quiesce(app->http);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		unsigned left = http_in_flight(app->http);
		double waited;

		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
		if (!left)
			break;
		if (waited >= (double)app->cfg.shutdown_grace) {
			char n[16];

			snprintf(n, sizeof(n), "%u", left);
			log_event(LOG_WARN, "grace period over; closing requests still in flight",
				  "requests", n, NULL);
			break;
		}
		poll(NULL, 0, 10);
	}
	http_stop(app->http);
	app->http = NULL;
}

static int run(struct app *app)
{
	sigset_t set;
	char port[16], counts[128], threads[16];
	struct strbuf err = STRBUF_INIT, described = STRBUF_INIT;
	struct http_options hopt;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	/* Before any thread starts, so that they all inherit the mask. */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	hopt = (struct http_options){ &app->cfg, app->snapshots, app->metrics, app->web };
	app->http = http_start(&hopt, &err);
	if (!app->http) {
		log_event(LOG_ERROR, "cannot start", "error", err.buf, NULL);
		strbuf_release(&err);
		return 1;
	}
	{
		struct snapshot *snap = snapshot_acquire(app->snapshots);

		count_line(snapshot_serving(snap)->site->store, counts, sizeof(counts));
		snapshot_release(snap);
	}
	snprintf(port, sizeof(port), "%u", http_port(app->http));
	snprintf(threads, sizeof(threads), "%lld", (long long)app->cfg.threads);
	config_describe(&app->cfg, &described);
	log_event(LOG_INFO, "configuration", "settings", described.buf, NULL);
	log_event(LOG_INFO, "listening", "address", app->cfg.bind, "port", port, "threads", threads,
		  "data", data_name(&app->cfg), "records", counts, "version", ATTACHE_VERSION, NULL);
	strbuf_release(&described);

	for (;;) {
		struct timespec wait = { app->cfg.watch ? app->cfg.watch_interval : 3600, 0 };
		siginfo_t info;

		sig = sigtimedwait(&set, &info, &wait);
		if (sig == SIGHUP) {
			reload(app, "SIGHUP");
		} else if (sig == SIGINT || sig == SIGTERM) {
			break;
		} else if (sig < 0 && errno == EAGAIN && app->cfg.watch && *app->cfg.data &&
			   file_changed(app)) {
			reload(app, "the data file changed");
		}
	}
	drain(app, sig);
	log_event(LOG_INFO, "stopped", NULL);
	strbuf_release(&err);
	return 0;
}

/* --healthcheck: GET /healthz from the local server; a container's probe needs no curl. */
static int healthcheck(const struct config *cfg)
{
	const bool v6 = strchr(cfg->bind, ':') != NULL;
	const char *host = !strcmp(cfg->bind, "0.0.0.0") ? "127.0.0.1" : !strcmp(cfg->bind, "::") ? "::1" : cfg->bind;
	struct sockaddr_in6 sa6 = { 0 };
	struct sockaddr_in sa4 = { 0 };
	struct timeval tv = { 3, 0 };
	char req[128], buf[64];
	ssize_t n, got = 0;
	int fd, ok;

	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (v6) {
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons((uint16_t)cfg->port);
		ok = inet_pton(AF_INET6, host, &sa6.sin6_addr) == 1 &&
		     connect(fd, (struct sockaddr *)&sa6, sizeof(sa6)) == 0;
	} else {
		sa4.sin_family = AF_INET;
		sa4.sin_port = htons((uint16_t)cfg->port);
		ok = inet_pton(AF_INET, host, &sa4.sin_addr) == 1 &&
		     connect(fd, (struct sockaddr *)&sa4, sizeof(sa4)) == 0;
	}
	snprintf(req, sizeof(req), "GET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
		 v6 ? "localhost" : host);
	ok = ok && write(fd, req, strlen(req)) == (ssize_t)strlen(req);
	while (ok && got < (ssize_t)sizeof(buf) - 1 && (n = read(fd, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	buf[got] = '\0';
	close(fd);
	ok = ok && !strncmp(buf, "HTTP/1.1 200 ", 13);
	fprintf(ok ? stdout : stderr, "attache: %s:%lld/healthz %s\n", host, (long long)cfg->port,
		ok ? "is healthy" : "did not answer 200");
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct app app = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct store *store;
	size_t nroutes;
	int rc = 1;

	if (config_load(&app.cfg, argc, argv, environ, &err)) {
		fprintf(stderr, "attache: %s\n", err.buf);
		rc = 2;
		goto out;
	}
	if (app.cfg.help) {
		config_print_help(stdout, argv[0]);
		rc = 0;
		goto out;
	}
	if (app.cfg.version) {
		printf("attache %s\n", ATTACHE_VERSION);
		rc = 0;
		goto out;
	}
	if (app.cfg.print_config) {
		config_print(stdout, &app.cfg);
		rc = 0;
		goto out;
	}
	if (app.cfg.healthcheck) {
		rc = healthcheck(&app.cfg);
		goto out;
	}
	log_init(app.cfg.log_format, app.cfg.log_level);
	if (*app.cfg.data)
		stat(app.cfg.data, &app.data_stat);
	store = load_data(&app.cfg, &err);
	if (app.cfg.check) {
		char counts[128];

		if (!store) {
			fprintf(stderr, "attache: %s\n", err.buf);
			goto out;
		}
		count_line(store, counts, sizeof(counts));
		printf("%s: valid: %s\n", data_name(&app.cfg), counts);
		store_free(store);
		rc = 0;
		goto out;
	}
	if (!store) {
		log_event(LOG_ERROR, "cannot load the data", "error", err.buf, NULL);
		goto out;
	}
	strbuf_reset(&err);
	app.web = load_web(&app.cfg, &err);
	if (!app.web) {
		log_event(LOG_ERROR, "cannot serve the dashboard", "error", err.buf, NULL);
		store_free(store);
		rc = 2;
		goto out;
	}
	app.site_opt.gzip_min = app.cfg.gzip ? (size_t)app.cfg.gzip_min_size : 0;
	app.site_opt.routes = router_routes(&nroutes);
	app.site_opt.nroutes = nroutes;
	app.site_opt.schema = (const char *)assets_find(ASSETS_SCHEMA)->data;
	app.site_opt.schema_len = (size_t)assets_find(ASSETS_SCHEMA)->size;
	app.metrics = metrics_new();
	app.snapshots = snapshots_new(site_build(store, &app.site_opt), time(NULL), time(NULL));
	rc = run(&app);
out:
	snapshots_free(app.snapshots);
	metrics_free(app.metrics);
	webroot_free(app.web);
	config_release(&app.cfg);
	strbuf_release(&err);
	return rc;
}
