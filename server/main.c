/*
 * main: flags, signals and the server's life from start to exit; server/app.c
 * assembles the server itself.
 *
 * Exit codes: 0 after a clean stop (or a passing --check or --healthcheck, or
 * --new-token), 1 when the data, the journal or the socket fails, 2 for a bad
 * setting (a tokens file that cannot be read is one).
 *
 * Signals are not handled in signal handlers: SIGINT, SIGTERM and SIGHUP are
 * blocked before the server's threads start (they inherit the mask), and the
 * main thread takes them one at a time with sigtimedwait(), between which it
 * also watches the data file when asked to. Reloads run in a thread of their
 * own, so a stop never waits for one.
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
#include "lib/strbuf.h"
#include "lib/tokens.h"
#include "server/app.h"
#include "server/log.h"

static bool file_changed(const struct stat *loaded, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return false; /* gone for now, as during an editor's save: keep serving */
	return st.st_ino != loaded->st_ino || st.st_size != loaded->st_size ||
	       st.st_mtim.tv_sec != loaded->st_mtim.tv_sec ||
	       st.st_mtim.tv_nsec != loaded->st_mtim.tv_nsec;
}

/*
 * SIGHUP or a changed file: the file as it is now becomes what --watch
 * compares with, and a reload starts in its own thread (server/app.h), so
 * that this one keeps taking signals: a SIGTERM during a long reload stops
 * the server within the grace period.
 */
static void reload(struct app *app, struct stat *loaded, const char *why)
{
	if (*app->cfg->data)
		stat(app->cfg->data, loaded);
	app_reload(app, why);
}

/* Stop accepting, let requests in flight finish (bounded), then close everything. */
static void drain(struct app *app, int sig)
{
	struct timespec start, now;
	char grace[32];

	snprintf(grace, sizeof(grace), "%llds", (long long)app->cfg->shutdown_grace);
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
		if (waited >= (double)app->cfg->shutdown_grace) {
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

/* Serves until SIGTERM or SIGINT, reloading on SIGHUP or (--watch) a changed file. */
static int run(struct app *app, const sigset_t *set, struct stat *loaded)
{
	const struct config *cfg = app->cfg;
	struct strbuf described = STRBUF_INIT, records = STRBUF_INIT;
	char port[16], threads[16];
	int sig = 0;

	{
		struct snapshot *snap = snapshot_acquire(app->snapshots);

		store_describe(snapshot_serving(snap)->site->store, &records);
		snapshot_release(snap);
	}
	snprintf(port, sizeof(port), "%u", http_port(app->http));
	snprintf(threads, sizeof(threads), "%lld", (long long)cfg->threads);
	config_describe(cfg, &described);
	log_event(LOG_INFO, "configuration", "settings", described.buf, NULL);
	log_event(LOG_INFO, "listening", "address", cfg->bind, "port", port, "threads", threads,
		  "data", app_data_name(cfg), "records", records.buf, "version", ATTACHE_VERSION, NULL);
	strbuf_release(&described);
	strbuf_release(&records);

	for (;;) {
		struct timespec wait = { cfg->watch ? cfg->watch_interval : 3600, 0 };
		siginfo_t info;

		sig = sigtimedwait(set, &info, &wait);
		if (sig == SIGHUP) {
			reload(app, loaded, "SIGHUP");
		} else if (sig == SIGINT || sig == SIGTERM) {
			break;
		} else if (sig < 0 && errno == EAGAIN && cfg->watch && *cfg->data &&
			   file_changed(loaded, cfg->data)) {
			reload(app, loaded, "the data file changed");
		}
	}
	drain(app, sig);
	log_event(LOG_INFO, "stopped", NULL);
	return 0;
}

/* --check: load and validate the data, print what it holds, exit 0 or 1. */
static int check(const struct config *cfg)
{
	struct strbuf err = STRBUF_INIT, records = STRBUF_INIT;
	int rc = 1;

	if (app_check_data(cfg, &err, &records)) {
		fprintf(stderr, "attache: %s\n", err.buf);
		goto out;
	}
	printf("%s: valid: %s\n", app_data_name(cfg), records.buf);
	rc = 0;
out:
	strbuf_release(&err);
	strbuf_release(&records);
	return rc;
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
	struct config cfg;
	struct app app = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct stat loaded = { 0 };
	sigset_t set;
	int rc = 1;

	if (config_load(&cfg, argc, argv, environ, &err)) {
		fprintf(stderr, "attache: %s\n", err.buf);
		rc = 2;
		goto out;
	}
	if (cfg.help) {
		config_print_help(stdout, argv[0]);
		rc = 0;
		goto out;
	}
	if (cfg.version) {
		printf("attache %s\n", ATTACHE_VERSION);
		rc = 0;
		goto out;
	}
	if (cfg.print_config) {
		config_print(stdout, &cfg);
		rc = 0;
		goto out;
	}
	if (cfg.healthcheck) {
		rc = healthcheck(&cfg);
		goto out;
	}
	if (cfg.new_token) {
		struct strbuf token = STRBUF_INIT, line = STRBUF_INIT;

		/* Two lines on stdout and nothing else: the token, then the tokens file's line. */
		if (tokens_new(cfg.new_token, &token, &line, &err)) {
			fprintf(stderr, "attache: %s\n", err.buf);
			rc = 2;
		} else {
			printf("%s\n%s\n", token.buf, line.buf);
			rc = 0;
		}
		strbuf_release(&token);
		strbuf_release(&line);
		goto out;
	}
	log_init(cfg.log_format, cfg.log_level);
	if (cfg.check) {
		rc = check(&cfg);
		goto out;
	}
	/* Before any thread starts, so that they all inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (*cfg.data)
		stat(cfg.data, &loaded);
	if (app_open(&app, &cfg, &err)) {
		log_event(LOG_ERROR, app.failed, "error", err.buf, NULL);
		rc = app.exit_code;
		goto out;
	}
	rc = run(&app, &set, &loaded);
out:
	app_close(&app);
	config_release(&cfg);
	strbuf_release(&err);
	return rc;
}
