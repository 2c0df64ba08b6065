/*
 * Integration tests of the attache process: startup logs, --check,
 * --healthcheck, SIGHUP and file-watch reloads (good, bad, and under load),
 * SIGTERM draining, and the connection limits.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tests/support/client.h"
#include "tests/support/process.h"
#include "tests/support/support.h"

TestSuite(process, .init = client_suite_init, .fini = client_suite_fini, .timeout = 90);

static char *url(const struct proc *p, const char *path)
{
	static _Thread_local char buf[512];

	snprintf(buf, sizeof(buf), "http://127.0.0.1:%u%s", p->port, path);
	return buf;
}

/* A data file of the query fixture with one title changed, at a temporary path. */
static void data_file(char *path, size_t size, const char *title)
{
	size_t len;
	char *text = support_read_file(FIXTURES "query.json", &len), *at;
	struct strbuf sb = STRBUF_INIT;

	snprintf(path, size, "/tmp/attache-data-%d-%ld.json", getpid(), (long)random());
	at = strstr(text, "\"Tritium removal\"");
	cr_assert_not_null(at);
	strbuf_add(&sb, text, (size_t)(at - text));
	strbuf_addf(&sb, "\"%s\"", title);
	strbuf_addstr(&sb, at + strlen("\"Tritium removal\""));
	write_file_atomic(path, sb.buf, sb.len);
	strbuf_release(&sb);
	free(text);
}

static void rewrite(const char *path, const char *title)
{
	char other[512];
	size_t len;
	char *text;

	data_file(other, sizeof(other), title);
	text = support_read_file(other, &len);
	write_file_atomic(path, text, len);
	unlink(other);
	free(text);
}

/* GETs p's /readyz, which must answer 200: its body; free with cJSON_Delete(). */
static cJSON *ready(const struct proc *p)
{
	struct reply r;
	cJSON *j;

	http_get(url(p, "/readyz"), NULL, &r);
	cr_assert_eq(r.status, 200, "%.300s", r.body.buf);
	j = reply_json(&r);
	reply_release(&r);
	return j;
}

Test(process, logs_its_configuration_data_and_address_at_start)
{
	struct proc p;

	proc_start(&p, (const char *const[]){ "--threads", "2", NULL });
	cr_assert(proc_log_wait(&p, "\"msg\":\"configuration\",\"settings\":\"bind=127.0.0.1 port=0 ", 1));
	cr_assert(proc_log_wait(&p, "\"records\":\"1 source, 20 countries, 17 meetings, 27 deals\"", 1));
	cr_assert(proc_log_wait(&p, "\"address\":\"127.0.0.1\"", 1));
	cr_assert(proc_log_wait(&p, "\"threads\":\"2\"", 1));
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
}

Test(process, check_validates_and_exits_0_or_1)
{
	char out[4096];

	cr_assert_eq(proc_run((const char *const[]){ "--check", "--data", FIXTURES "query.json", NULL }, out, sizeof(out)), 0);
	cr_assert_str_eq(out, FIXTURES "query.json: valid: 2 sources, 7 countries, 2 meetings, 6 deals\n");
	cr_assert_eq(proc_run((const char *const[]){ "--check", "--data", FIXTURES "store/duplicate-id.json", NULL }, out, sizeof(out)), 1);
	cr_assert_str_eq(out, "attache: " FIXTURES "store/duplicate-id.json: deals[1].id: duplicate id \"tritium\" (first at deals[0])\n");
	cr_assert_eq(proc_run((const char *const[]){ "--data", "/nonexistent.json", NULL }, out, sizeof(out)), 1,
		     "a server with no data does not start");
	cr_assert(strstr(out, "/nonexistent.json: cannot open: No such file or directory"), "%s", out);
	cr_assert_eq(proc_run((const char *const[]){ "--bogus", NULL }, out, sizeof(out)), 2);
}

Test(process, healthcheck_asks_the_local_server)
{
	struct proc p;
	char out[512], port[16];

	proc_start(&p, NULL);
	snprintf(port, sizeof(port), "%u", p.port);
	cr_assert_eq(proc_run((const char *const[]){ "--healthcheck", "--port", port, NULL }, out, sizeof(out)), 0, "%s", out);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	cr_assert_eq(proc_run((const char *const[]){ "--healthcheck", "--port", port, NULL }, out, sizeof(out)), 1);
	cr_assert(strstr(out, "did not answer 200"), "%s", out);
}

Test(process, sighup_reloads_the_data_and_the_etags_change)
{
	char path[256], etag[64];
	struct proc p;
	struct reply r;
	cJSON *j;

	data_file(path, sizeof(path), "Before");
	proc_start(&p, (const char *const[]){ "--data", path, NULL });
	http_get(url(&p, "/api/v1/deals/d1"), NULL, &r);
	cr_assert(strstr(r.body.buf, "\"title\":\"Before\""));
	snprintf(etag, sizeof(etag), "%s", reply_header(&r, "ETag"));
	reply_release(&r);

	rewrite(path, "After");
	proc_signal(&p, SIGHUP);
	cr_assert(proc_log_wait(&p, "\"msg\":\"reloaded\"", 10));
	http_get(url(&p, "/api/v1/deals/d1"), (const char *const[]){ "If-None-Match: \"x\"", NULL }, &r);
	cr_assert(strstr(r.body.buf, "\"title\":\"After\""), "%s", r.body.buf);
	cr_assert_str_neq(reply_header(&r, "ETag"), etag);
	reply_release(&r);
	j = ready(&p);
	cr_assert_eq(cJSON_GetObjectItem(j, "generation")->valuedouble, 2);
	cJSON_Delete(j);
	cr_assert_eq(proc_metric(&p, "attache_reloads_total{result=\"success\"}"), 1);
	cr_assert_eq(proc_metric(&p, "attache_data_generation"), 2);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	unlink(path);
}

/*
 * A connection served the old record and list, from the responses its
 * worker thread keeps for them (server/replies.h), gets the new bytes and
 * tags right after a reload.
 */
Test(process, a_connection_served_before_a_reload_gets_the_new_bytes_and_tags)
{
	static const char *const paths[] = { "/api/v1/deals/d1", "/api/v1/deals" };
	char path[256], before[2][64];
	struct client c;
	struct proc p;
	struct reply r;

	data_file(path, sizeof(path), "Before");
	proc_start(&p, (const char *const[]){ "--data", path, NULL });
	client_init(&c);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < 2; i++) {
			client_do(&c, "GET", url(&p, paths[i]), NULL, false, &r);
			cr_assert(strstr(r.body.buf, "\"title\":\"Before\""));
			if (!round)
				snprintf(before[i], sizeof(before[i]), "%s", reply_header(&r, "ETag"));
			cr_assert_str_eq(reply_header(&r, "ETag"), before[i]);
			reply_release(&r);
		}
	}
	rewrite(path, "After");
	proc_signal(&p, SIGHUP);
	cr_assert(proc_log_wait(&p, "\"msg\":\"reloaded\"", 10));
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < 2; i++) {
			client_do(&c, "GET", url(&p, paths[i]), NULL, false, &r);
			cr_assert(strstr(r.body.buf, "\"title\":\"After\""), "%s: %s", paths[i], r.body.buf);
			cr_assert_str_neq(reply_header(&r, "ETag"), before[i]);
			cr_assert_eq(r.connects, 0, "the same connection");
			reply_release(&r);
		}
	}
	client_release(&c);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	unlink(path);
}

Test(process, a_bad_reload_keeps_the_old_data_serving_and_says_why)
{
	char path[256];
	struct proc p;
	struct reply r;
	cJSON *j;
	const cJSON *e;

	data_file(path, sizeof(path), "Good");
	proc_start(&p, (const char *const[]){ "--data", path, NULL });
	write_file_atomic(path, "{\"dataset\": ", 12);
	proc_signal(&p, SIGHUP);
	cr_assert(proc_log_wait(&p, "reload failed; still serving the previous data", 10));
	cr_assert(proc_log_wait(&p, "unexpected end of input (is the file truncated?)", 1));

	http_get(url(&p, "/api/v1/deals/d1"), NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_assert(strstr(r.body.buf, "\"title\":\"Good\""));
	reply_release(&r);
	j = ready(&p);   /* still ready: it serves the previous data */
	e = cJSON_GetObjectItem(j, "last_reload_error");
	cr_assert(strstr(cJSON_GetObjectItem(e, "message")->valuestring,
			 ": line 1, column 13: unexpected end of input (is the file truncated?)"));
	cr_assert_eq(cJSON_GetObjectItem(j, "generation")->valuedouble, 1);
	cJSON_Delete(j);
	cr_assert_eq(proc_metric(&p, "attache_reloads_total{result=\"failure\"}"), 1);
	cr_assert_eq(proc_metric(&p, "attache_reload_failed"), 1);

	rewrite(path, "Fixed");
	proc_signal(&p, SIGHUP);
	cr_assert(proc_log_wait(&p, "\"msg\":\"reloaded\"", 10));
	j = ready(&p);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "last_reload_error")));
	cJSON_Delete(j);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	unlink(path);
}

Test(process, watch_reloads_a_file_that_changes)
{
	char path[256];
	struct proc p;
	struct reply r;

	data_file(path, sizeof(path), "One");
	proc_start(&p, (const char *const[]){ "--data", path, "--watch", "--watch-interval", "1", NULL });
	rewrite(path, "Two");
	/* Reloads run in a thread of their own: "reloading" is logged before, "reloaded" after. */
	cr_assert(proc_log_wait(&p, "\"msg\":\"reloaded\",\"cause\":\"the data file changed\"", 10));
	http_get(url(&p, "/api/v1/deals/d1"), NULL, &r);
	cr_assert(strstr(r.body.buf, "\"title\":\"Two\""), "%s", r.body.buf);
	reply_release(&r);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	unlink(path);
}

/* Replaces path with a FIFO, as a rename over it would. */
static void fifo_over(const char *path)
{
	char fifo[512];

	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	unlink(fifo);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(rename(fifo, path), 0);
}

/* Opening a FIFO used to wait for a writer, for ever: at start, on SIGHUP, on a change. */
Test(process, a_fifo_at_the_data_path_is_refused_at_start_on_sighup_and_when_watched)
{
	char path[256], out[1024], want[512];
	struct proc p;
	struct reply r;
	cJSON *j;

	data_file(path, sizeof(path), "Regular");
	fifo_over(path);
	snprintf(want, sizeof(want), "%s: not a regular file (a FIFO)", path);
	cr_assert_eq(proc_run((const char *const[]){ "--data", path, NULL }, out, sizeof(out)), 1, "%s", out);
	cr_assert(strstr(out, want), "%s", out);
	cr_assert_eq(proc_run((const char *const[]){ "--check", "--data", path, NULL }, out, sizeof(out)), 1);
	cr_assert(strstr(out, want), "%s", out);

	unlink(path);
	data_file(path, sizeof(path), "Regular");
	snprintf(want, sizeof(want), "%s: not a regular file (a FIFO)", path);
	proc_start(&p, (const char *const[]){ "--data", path, "--watch", "--watch-interval", "1", NULL });
	fifo_over(path);
	cr_assert(proc_log_wait(&p, "\"cause\":\"the data file changed\"", 10));
	cr_assert(proc_log_wait(&p, "not a regular file (a FIFO)", 5));
	proc_signal(&p, SIGHUP);
	cr_assert(proc_log_wait(&p, "\"cause\":\"SIGHUP\"", 5));
	j = ready(&p);   /* still ready, still serving */
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "last_reload_error"), "message")->valuestring,
			 want);
	cJSON_Delete(j);
	http_get(url(&p, "/api/v1/deals/d1"), NULL, &r);
	cr_assert(strstr(r.body.buf, "\"title\":\"Regular\""), "%s", r.body.buf);
	reply_release(&r);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	unlink(path);
}

/* ---- reloads under load ---- */

#define PATHS 5
static const char *const hammer_paths[PATHS] = {
	"/api/v1/deals", "/api/v1/deals?sort=title", "/api/v1/deals?q=alpha", "/api/v1/deals/d1",
	"/api/v1/countries/RO/deals?fields=id,title",
};

struct hammer {
	const struct proc *p;
	struct strbuf want[2][PATHS];   /* the bodies under dataset A and B */
	atomic_bool stop;
	atomic_uint requests;
	atomic_uint mixed;
	char bad[512];
};

static void *hammer_thread(void *arg)
{
	struct hammer *h = arg;
	struct client c;
	unsigned i = 0;

	client_init(&c);
	while (!atomic_load(&h->stop)) {
		struct reply r;
		size_t k = i++ % PATHS;

		client_do(&c, "GET", url(h->p, hammer_paths[k]), NULL, false, &r);
		if (r.status != 200 || (strcmp(r.body.buf, h->want[0][k].buf) && strcmp(r.body.buf, h->want[1][k].buf))) {
			if (atomic_fetch_add(&h->mixed, 1) == 0)
				snprintf(h->bad, sizeof(h->bad), "%s: %ld %.300s", hammer_paths[k], r.status, r.body.buf);
		}
		atomic_fetch_add(&h->requests, 1);
		reply_release(&r);
	}
	client_release(&c);
	return NULL;
}

Test(process, reloads_under_load_never_give_a_mix_of_two_datasets)
{
	char path[256], a_path[256], b_path[256];
	struct hammer h = { 0 };
	pthread_t t[4];
	struct proc p;
	size_t alen, blen;
	char *a, *b;

	data_file(a_path, sizeof(a_path), "Alpha");
	data_file(b_path, sizeof(b_path), "Beta");
	a = support_read_file(a_path, &alen);
	b = support_read_file(b_path, &blen);
	data_file(path, sizeof(path), "Alpha");
	proc_start(&p, (const char *const[]){ "--data", path, "--access-log=false", NULL });
	h.p = &p;
	for (int d = 0; d < 2; d++) {
		if (d == 1) {
			write_file_atomic(path, b, blen);
			proc_signal(&p, SIGHUP);
			cr_assert(proc_log_wait(&p, "\"generation\":\"2\"", 10));
		}
		for (size_t k = 0; k < PATHS; k++) {
			struct reply r;

			http_get(url(&p, hammer_paths[k]), NULL, &r);
			cr_assert_eq(r.status, 200);
			h.want[d][k] = r.body;
			strbuf_release(&r.headers);
		}
	}
	for (size_t k = 0; k < PATHS; k++)
		cr_assert_str_neq(h.want[0][k].buf, h.want[1][k].buf, "%s must differ", hammer_paths[k]);

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer_thread, &h);
	for (int n = 0; n < 40; n++) {
		char gen[48];

		write_file_atomic(path, n % 2 ? b : a, n % 2 ? blen : alen);
		proc_signal(&p, SIGHUP);
		snprintf(gen, sizeof(gen), "\"generation\":\"%d\"", n + 3);
		cr_assert(proc_log_wait(&p, gen, 10), "reload %d", n);
	}
	atomic_store(&h.stop, true);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(atomic_load(&h.mixed), 0, "%u bad answers of %u, first: %s", atomic_load(&h.mixed),
		     atomic_load(&h.requests), h.bad);
	cr_assert_gt(atomic_load(&h.requests), 200, "the load ran: %u requests", atomic_load(&h.requests));
	cr_log_info("%u requests across 40 reloads, none mixed", atomic_load(&h.requests));
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	for (int d = 0; d < 2; d++)
		for (size_t k = 0; k < PATHS; k++)
			strbuf_release(&h.want[d][k]);
	free(a);
	free(b);
	unlink(path);
	unlink(a_path);
	unlink(b_path);
}

/* ---- draining and limits ---- */

static int connect_to(unsigned port)
{
	struct sockaddr_in sa = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

Test(process, sigterm_finishes_requests_in_flight_then_exits_0)
{
	static const char req[] = "GET /api/v1/deals?limit=1000&sort=-value.amount HTTP/1.1\r\nHost: x\r\n\r\n";
	char path[256], buf[4096];
	struct strbuf got = STRBUF_INIT;
	struct timespec start, end;
	int fd, rcvbuf = 4096, status;
	struct proc p;
	ssize_t n;
	const char *cl;
	size_t head, want;

	support_deals_file(path, sizeof(path), 3000);
	proc_start(&p, (const char *const[]){ "--data", path, "--shutdown-grace", "20", "--gzip=false", NULL });
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	{
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)p.port) };

		inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
		cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	}
	cr_assert_eq(write(fd, req, sizeof(req) - 1), (ssize_t)sizeof(req) - 1);
	n = read(fd, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	strbuf_add(&got, buf, (size_t)n);

	/* The response is still being sent: stop the server now. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	proc_signal(&p, SIGTERM);
	cr_assert(proc_log_wait(&p, "\"msg\":\"stopping\"", 5));
	cr_assert_lt(connect_to(p.port), 0, "a draining server accepts no new connection");
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		strbuf_add(&got, buf, (size_t)n);
		poll(NULL, 0, 1); /* a slow reader */
	}
	close(fd);
	head = (size_t)(strstr(got.buf, "\r\n\r\n") - got.buf) + 4;
	cl = strstr(got.buf, "Content-Length: ");
	cr_assert_not_null(cl);
	want = (size_t)atol(cl + 16);
	cr_assert_gt(want, 200000, "the page is big: %zu", want);
	cr_assert_eq(got.len - head, want, "the whole body arrived");
	cr_assert_eq(waitpid(p.pid, &status, 0), p.pid);
	clock_gettime(CLOCK_MONOTONIC, &end);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
	cr_assert_lt((double)(end.tv_sec - start.tv_sec), 15.0);
	proc_check_sanitizers(&p);
	strbuf_release(&got);
	unlink(p.log);
	unlink(path);
}

/* A reload of 150,000 deals takes seconds: SIGTERM used to wait for it to end. */
Test(process, sigterm_during_a_slow_reload_exits_within_the_grace)
{
	char path[256], big[256];
	struct timespec start, end;
	struct proc p;
	double took;
	int rc;

	data_file(path, sizeof(path), "Small");
	support_deals_file(big, sizeof(big), 150000);
	proc_start(&p, (const char *const[]){ "--data", path, "--shutdown-grace", "2", NULL });
	cr_assert_eq(rename(big, path), 0);
	proc_signal(&p, SIGHUP);
	cr_assert(proc_log_wait(&p, "\"msg\":\"reloading\"", 5));
	poll(NULL, 0, 300);
	clock_gettime(CLOCK_MONOTONIC, &start);
	rc = proc_stop(&p, SIGTERM, 30);
	clock_gettime(CLOCK_MONOTONIC, &end);
	took = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	cr_assert_eq(rc, 0);
	cr_assert_lt(took, 1.5, "stopped %.2f s after SIGTERM; the grace is 2 s and nothing was in flight", took);
	unlink(path);
}

/* ---- what list queries may cost ---- */

struct expensive {
	const struct proc *p;
	atomic_bool stop;
	atomic_uint ok, busy, other, no_retry_after;
};

static void *expensive_thread(void *arg)
{
	struct expensive *e = arg;

	while (!atomic_load(&e->stop)) {
		struct reply r;

		/*
		 * A word all 60,000 deals hold: its postings listed and scored,
		 * an expensive query. Each on a new connection: a keep-alive one
		 * stays with the server thread that took it, and six of them on
		 * one thread of two would never overlap.
		 */
		http_get(url(e->p, "/api/v1/deals?q=room&limit=1"), NULL, &r);
		if (r.status == 200) {
			atomic_fetch_add(&e->ok, 1);
		} else if (r.status == 503) {
			atomic_fetch_add(&e->busy, 1);
			if (!reply_header(&r, "Retry-After") || strcmp(reply_header(&r, "Retry-After"), "1"))
				atomic_fetch_add(&e->no_retry_after, 1);
		} else {
			atomic_fetch_add(&e->other, 1);
		}
		reply_release(&r);
	}
	return NULL;
}

Test(process, expensive_queries_run_a_few_at_a_time_and_past_max_scan_not_at_all)
{
	struct expensive e = { 0 };
	char path[256];
	struct proc p;
	struct reply r;
	pthread_t t[6];

	support_deals_file(path, sizeof(path), 60000);
	proc_start(&p, (const char *const[]){ "--data", path, "--threads", "2",
					      "--max-expensive-queries", "1", "--access-log=false", NULL });
	e.p = &p;
	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, expensive_thread, &e);
	poll(NULL, 0, 1500);
	/* A cheap request meanwhile is served. */
	http_get(url(&p, "/api/v1/deals/d59999"), NULL, &r);
	cr_assert_eq(r.status, 200);
	reply_release(&r);
	atomic_store(&e.stop, true);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	cr_log_info("expensive queries: %u answered, %u turned away", atomic_load(&e.ok), atomic_load(&e.busy));
	cr_assert_gt(atomic_load(&e.ok), 0);
	cr_assert_gt(atomic_load(&e.busy), 0, "six clients, one place: some were turned away");
	cr_assert_eq(atomic_load(&e.other), 0);
	cr_assert_eq(atomic_load(&e.no_retry_after), 0, "every 503 says Retry-After: 1");
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);

	proc_start(&p, (const char *const[]){ "--data", path, "--max-scan", "50000", NULL });
	http_get(url(&p, "/api/v1/deals?q=room"), NULL, &r);
	cr_assert(strstr(assert_problem(&r, 400), "this query would examine 120000 records and values, "
				  "more than the 50000 this server examines for one request (max-scan)"));
	reply_release(&r);
	http_get(url(&p, "/api/v1/deals?q=room&countries=KR&value.amount:lt=100"), NULL, &r);
	cr_assert_eq(r.status, 200, "narrowed by an index, it is served");
	reply_release(&r);
	http_get(url(&p, "/api/v1/deals?q=12345"), NULL, &r);
	cr_assert_eq(r.status, 200, "a word of one deal reads its one posting: it is served");
	cr_assert_str_eq(reply_header(&r, "X-Total-Count"), "1");
	reply_release(&r);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
	unlink(path);
}

Test(process, sigterm_with_idle_keep_alive_connections_exits_at_once)
{
	struct timespec start, end;
	struct proc p;
	int fds[3];

	proc_start(&p, NULL);
	for (int i = 0; i < 3; i++) {
		static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
		char buf[1024];

		fds[i] = connect_to(p.port);
		cr_assert_geq(fds[i], 0);
		cr_assert_eq(write(fds[i], req, sizeof(req) - 1), (ssize_t)sizeof(req) - 1);
		cr_assert_gt(read(fds[i], buf, sizeof(buf)), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	cr_assert_eq(proc_stop(&p, SIGINT, 10), 0);
	clock_gettime(CLOCK_MONOTONIC, &end);
	cr_assert_lt((double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9, 2.0,
		     "idle connections have no request in flight to wait for");
	for (int i = 0; i < 3; i++)
		close(fds[i]);
}

Test(process, connections_over_the_per_ip_limit_are_refused)
{
	static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	struct proc p;
	int fds[4], extra;
	char buf[1024];

	proc_start(&p, (const char *const[]){ "--max-connections-per-ip", "4", "--max-connections", "10", NULL });
	for (int i = 0; i < 4; i++) {
		fds[i] = connect_to(p.port);
		cr_assert_geq(fds[i], 0);
		cr_assert_eq(write(fds[i], req, sizeof(req) - 1), (ssize_t)sizeof(req) - 1);
		cr_assert_gt(read(fds[i], buf, sizeof(buf)), 0, "connection %d is served", i);
	}
	extra = connect_to(p.port);
	if (extra >= 0) {
		/* The kernel completes the handshake; libmicrohttpd then closes it unanswered. */
		struct timeval tv = { 3, 0 };

		setsockopt(extra, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		(void)!write(extra, req, sizeof(req) - 1);
		cr_assert_leq(read(extra, buf, sizeof(buf)), 0, "the fifth connection from one address is refused");
		close(extra);
	}
	for (int i = 0; i < 4; i++)
		close(fds[i]);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
}

Test(process, idle_connections_are_closed_after_the_timeout)
{
	struct timeval tv = { 5, 0 };
	struct proc p;
	char buf[16];
	int fd;

	proc_start(&p, (const char *const[]){ "--idle-timeout", "1", NULL });
	fd = connect_to(p.port);
	cr_assert_geq(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	cr_assert_eq(read(fd, buf, sizeof(buf)), 0, "closed by the server within the timeout");
	close(fd);
	cr_assert_eq(proc_stop(&p, SIGTERM, 10), 0);
}
