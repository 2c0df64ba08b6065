/*
 * Tests for server/metrics.c: counting and the Prometheus text.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "server/metrics.h"
#include "server/router.h"
#include "tests/support/handler.h"

Test(metrics, counts_by_route_and_status_class_and_buckets_latency)
{
	struct metrics *m = metrics_new();
	struct call c;
	struct strbuf out = STRBUF_INIT;

	call_init(&c, NULL);
	metrics_request(m, 8, 200, 100, 90);        /* /api/v1/deals */
	metrics_request(m, 8, 304, 0, 20);
	metrics_request(m, 8, 400, 50, 3000);
	metrics_request(m, METRICS_NO_ROUTE, 404, 10, 1500000);
	metrics_connection(m, 1);
	metrics_connection(m, 1);
	metrics_connection(m, -1);
	metrics_reload(m, false, 1700000000);
	metrics_render(m, &c.serving, &out);
	cr_assert(strstr(out.buf, "attache_http_requests_total{route=\"/api/v1/deals\",status_class=\"2xx\"} 1\n"), "%s", out.buf);
	cr_assert(strstr(out.buf, "attache_http_requests_total{route=\"/api/v1/deals\",status_class=\"3xx\"} 1\n"));
	cr_assert(strstr(out.buf, "attache_http_requests_total{route=\"unmatched\",status_class=\"4xx\"} 1\n"));
	cr_assert(strstr(out.buf, "attache_http_request_duration_seconds_bucket{le=\"0.0001\"} 2\n"));
	cr_assert(strstr(out.buf, "attache_http_request_duration_seconds_bucket{le=\"0.005\"} 3\n"));
	cr_assert(strstr(out.buf, "attache_http_request_duration_seconds_bucket{le=\"1\"} 3\n"));
	cr_assert(strstr(out.buf, "attache_http_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"));
	cr_assert(strstr(out.buf, "attache_http_request_duration_seconds_sum 1.503110\n"));
	cr_assert(strstr(out.buf, "attache_http_not_modified_total 1\n"));
	cr_assert(strstr(out.buf, "attache_http_response_bytes_total 160\n"));
	cr_assert(strstr(out.buf, "attache_http_open_connections 1\n"));
	cr_assert(strstr(out.buf, "attache_reloads_total{result=\"failure\"} 1\n"));
	cr_assert(strstr(out.buf, "attache_last_reload_timestamp_seconds 1700000000\n"));
	cr_assert(strstr(out.buf, "attache_records{collection=\"deals\"} 27\n"));
	cr_assert(strstr(out.buf, "attache_records{collection=\"sources\"} 1\n"));
	cr_assert(strstr(out.buf, "# TYPE attache_http_request_duration_seconds histogram\n"));
	strbuf_release(&out);
	call_release(&c);
	metrics_free(m);
}

Test(metrics, the_route_is_the_pattern_not_the_path)
{
	size_t n;
	const struct route *routes = router_routes(&n);

	cr_assert_str_eq(routes[8].pattern, "/api/v1/deals", "the test above counts on route 8");
}
