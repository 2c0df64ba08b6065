/*
 * metrics: atomic counters and their Prometheus rendering (see metrics.h).
 */
#include "server/metrics.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/site.h"
#include "lib/mem.h"
#include "server/router.h"

/* Upper bounds of the latency buckets, in microseconds (+Inf is implicit). */
static const uint64_t bucket_us[] = {
	100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
};
#define NBUCKETS (sizeof(bucket_us) / sizeof(bucket_us[0]))
#define NCLASSES 5   /* 1xx .. 5xx */
#define MAX_ROUTES 64

struct metrics {
	/* [route][class]; the last route row counts requests that matched none. */
	atomic_uint_fast64_t requests[MAX_ROUTES + 1][NCLASSES];
	atomic_uint_fast64_t buckets[NBUCKETS + 1];
	atomic_uint_fast64_t duration_sum_us;
	atomic_uint_fast64_t duration_count;
	atomic_uint_fast64_t not_modified;
	atomic_uint_fast64_t bytes;
	atomic_int_fast64_t connections;
	atomic_uint_fast64_t rejected;
	atomic_uint_fast64_t closed[CONN_NREASONS];
	atomic_uint_fast64_t reloads_ok;
	atomic_uint_fast64_t reloads_failed;
	atomic_int_fast64_t last_reload;     /* unix time of the last attempt, 0: none */
	atomic_uint_fast64_t writes;         /* writes made durable */
	atomic_uint_fast64_t write_groups;   /* groups committed, one sync each */
	atomic_uint_fast64_t write_failures; /* groups whose sync failed */
};

struct metrics *metrics_new(void)
{
	struct metrics *m = xcalloc(1, sizeof(*m));
	size_t n;

	router_routes(&n);
	if (n > MAX_ROUTES)
		abort(); /* the table outgrew the counters: raise MAX_ROUTES */
	return m;
}

void metrics_free(struct metrics *m)
{
	free(m);
}

void metrics_request(struct metrics *m, size_t route, int status, uint64_t bytes,
		     uint64_t duration_us)
{
	size_t row = route == METRICS_NO_ROUTE ? MAX_ROUTES : route;
	int cls = status / 100 - 1;
	size_t b = 0;

	if (cls < 0 || cls >= NCLASSES)
		cls = NCLASSES - 1;
	atomic_fetch_add_explicit(&m->requests[row][cls], 1, memory_order_relaxed);
	while (b < NBUCKETS && duration_us > bucket_us[b])
		b++;
	atomic_fetch_add_explicit(&m->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->duration_sum_us, duration_us, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->duration_count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->bytes, bytes, memory_order_relaxed);
	if (status == 304)
		atomic_fetch_add_explicit(&m->not_modified, 1, memory_order_relaxed);
}

void metrics_connection(struct metrics *m, int delta)
{
	atomic_fetch_add_explicit(&m->connections, delta, memory_order_relaxed);
}

void metrics_closed(struct metrics *m, enum conn_reason reason, unsigned n)
{
	atomic_fetch_add_explicit(&m->closed[reason], n, memory_order_relaxed);
}

void metrics_rejected(struct metrics *m)
{
	atomic_fetch_add_explicit(&m->rejected, 1, memory_order_relaxed);
}

void metrics_write(struct metrics *m, bool ok, uint64_t n)
{
	if (!ok) {
		atomic_fetch_add_explicit(&m->write_failures, 1, memory_order_relaxed);
		return;
	}
	atomic_fetch_add_explicit(&m->writes, n, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->write_groups, 1, memory_order_relaxed);
}

void metrics_reload(struct metrics *m, bool ok, int64_t at)
{
	atomic_fetch_add_explicit(ok ? &m->reloads_ok : &m->reloads_failed, 1, memory_order_relaxed);
	atomic_store_explicit(&m->last_reload, at, memory_order_relaxed);
}

static uint64_t get(atomic_uint_fast64_t *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

static void head(struct strbuf *out, const char *name, const char *type, const char *help)
{
	strbuf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Label values escaped as the exposition format wants: backslash, quote, newline. */
static void label_value(struct strbuf *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			strbuf_addch(out, '\\');
		if (*v == '\n') {
			strbuf_addstr(out, "\\n");
			continue;
		}
		strbuf_addch(out, *v);
	}
}

void metrics_render(struct metrics *m, const struct serving *sv, struct strbuf *out)
{
	static const char *const classes[NCLASSES] = { "1xx", "2xx", "3xx", "4xx", "5xx" };
	size_t nroutes;
	const struct route *routes = router_routes(&nroutes);
	uint64_t cumulative = 0;

	head(out, "attache_build_info", "gauge", "Build information; the value is always 1.");
	strbuf_addstr(out, "attache_build_info{version=\"");
	label_value(out, ATTACHE_VERSION);
	strbuf_addstr(out, "\"} 1\n");

	head(out, "attache_http_requests_total", "counter",
	     "HTTP requests answered, by route pattern and status class.");
	for (size_t r = 0; r <= nroutes; r++) {
		size_t row = r == nroutes ? MAX_ROUTES : r;

		for (int c = 0; c < NCLASSES; c++) {
			uint64_t n = get(&m->requests[row][c]);

			if (!n)
				continue;
			strbuf_addstr(out, "attache_http_requests_total{route=\"");
			label_value(out, r == nroutes ? "unmatched" : routes[r].pattern);
			strbuf_addf(out, "\",status_class=\"%s\"} %" PRIu64 "\n", classes[c], n);
		}
	}

	head(out, "attache_http_request_duration_seconds", "histogram",
	     "Time from the request line to the response's last byte.");
	for (size_t b = 0; b <= NBUCKETS; b++) {
		cumulative += get(&m->buckets[b]);
		if (b < NBUCKETS)
			strbuf_addf(out, "attache_http_request_duration_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
				    (double)bucket_us[b] / 1e6, cumulative);
		else
			strbuf_addf(out, "attache_http_request_duration_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n",
				    cumulative);
	}
	strbuf_addf(out, "attache_http_request_duration_seconds_sum %.6f\n",
		    (double)get(&m->duration_sum_us) / 1e6);
	strbuf_addf(out, "attache_http_request_duration_seconds_count %" PRIu64 "\n",
		    get(&m->duration_count));

	head(out, "attache_http_not_modified_total", "counter",
	     "Responses served as 304 Not Modified from If-None-Match.");
	strbuf_addf(out, "attache_http_not_modified_total %" PRIu64 "\n", get(&m->not_modified));
	head(out, "attache_http_response_bytes_total", "counter",
	     "Response body bytes sent, after compression.");
	strbuf_addf(out, "attache_http_response_bytes_total %" PRIu64 "\n", get(&m->bytes));
	head(out, "attache_http_rejected_total", "counter",
	     "Requests refused before routing: bad framing or an oversized body.");
	strbuf_addf(out, "attache_http_rejected_total %" PRIu64 "\n", get(&m->rejected));
	head(out, "attache_http_connections_closed_total", "counter",
	     "Connections the server closed without an answer: a request head not whole within "
	     "header-timeout, a body slower than min-body-rate, a client that left half a request.");
	for (int r = 0; r < CONN_NREASONS; r++)
		strbuf_addf(out, "attache_http_connections_closed_total{reason=\"%s\"} %" PRIu64 "\n",
			    conns_reason_name((enum conn_reason)r), get(&m->closed[r]));
	head(out, "attache_http_open_connections", "gauge", "Client connections open now.");
	strbuf_addf(out, "attache_http_open_connections %" PRIdFAST64 "\n",
		    atomic_load_explicit(&m->connections, memory_order_relaxed));

	head(out, "attache_records", "gauge", "Records served, by collection.");
	for (int i = 0; i < STORE_NCOLLECTIONS; i++) {
		const struct collection *c = store_collection(sv->site->store, (enum store_collection)i);

		strbuf_addf(out, "attache_records{collection=\"%s\"} %" PRIu32 "\n", c->res->name, c->n);
	}
	head(out, "attache_data_generation", "gauge",
	     "Generation of the data served: 1 at start, +1 per successful reload.");
	strbuf_addf(out, "attache_data_generation %" PRIu64 "\n", sv->generation);
	head(out, "attache_data_loaded_timestamp_seconds", "gauge",
	     "When the data served was loaded, as a Unix time.");
	strbuf_addf(out, "attache_data_loaded_timestamp_seconds %" PRId64 "\n", sv->loaded_at);
	head(out, "attache_reloads_total", "counter", "Reloads of the data file, by result.");
	strbuf_addf(out, "attache_reloads_total{result=\"success\"} %" PRIu64 "\n", get(&m->reloads_ok));
	strbuf_addf(out, "attache_reloads_total{result=\"failure\"} %" PRIu64 "\n",
		    get(&m->reloads_failed));
	head(out, "attache_last_reload_timestamp_seconds", "gauge",
	     "When the data file was last reloaded (or tried), as a Unix time; 0 if never.");
	strbuf_addf(out, "attache_last_reload_timestamp_seconds %" PRIdFAST64 "\n",
		    atomic_load_explicit(&m->last_reload, memory_order_relaxed));
	head(out, "attache_reload_failed", "gauge",
	     "1 when the last reload failed and older data is served, else 0.");
	strbuf_addf(out, "attache_reload_failed %d\n", sv->reload_error ? 1 : 0);
	head(out, "attache_writes_total", "counter", "Writes made durable and served.");
	strbuf_addf(out, "attache_writes_total %" PRIu64 "\n", get(&m->writes));
	head(out, "attache_write_commits_total", "counter",
	     "Groups of writes committed to the journal, by result; each is one sync.");
	strbuf_addf(out, "attache_write_commits_total{result=\"success\"} %" PRIu64 "\n",
		    get(&m->write_groups));
	strbuf_addf(out, "attache_write_commits_total{result=\"failure\"} %" PRIu64 "\n",
		    get(&m->write_failures));
	head(out, "attache_write_failed", "gauge",
	     "1 when the last write could not be made durable (and none succeeded since), else 0.");
	strbuf_addf(out, "attache_write_failed %d\n", sv->write_error ? 1 : 0);
	head(out, "process_start_time_seconds", "gauge", "Start time of the process, as a Unix time.");
	strbuf_addf(out, "process_start_time_seconds %" PRId64 "\n", sv->started_at);
}

void handle_metrics(const struct request *req, struct response *res)
{
	struct strbuf body = STRBUF_INIT;

	metrics_render(req->metrics, req->serving, &body);
	response_owned(res, &body, MEDIA_PROMETHEUS);
	response_no_store(res);
}
