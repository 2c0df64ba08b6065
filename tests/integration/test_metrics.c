/*
 * Integration test of /metrics: scraped and parsed as Prometheus text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tests/support/client.h"
#include "tests/support/server.h"

TEST_SERVER_SUITE(metrics, NULL);

/*
 * A strict reader of the text exposition format 0.0.4: every sample line is
 * "name{labels} value", its family was declared by HELP and TYPE first, and
 * label values are quoted. Returns the value of the sample named exactly
 * want (with its labels), or -1.
 */
static double parse_metrics(const char *text, const char *want)
{
	char family[128] = "";
	double found = -1;
	const char *p = text;
	bool helped = false;

	while (*p) {
		const char *eol = strchr(p, '\n');
		char line[1024], name[256];
		double value;
		int n;

		cr_assert_not_null(eol, "every line ends with a newline");
		snprintf(line, sizeof(line), "%.*s", (int)(eol - p), p);
		p = eol + 1;
		if (!strncmp(line, "# HELP ", 7)) {
			cr_assert_eq(sscanf(line + 7, "%127s", family), 1);
			helped = true;
			continue;
		}
		if (!strncmp(line, "# TYPE ", 7)) {
			char fam[128], type[32];

			cr_assert_eq(sscanf(line + 7, "%127s %31s", fam, type), 2, "%s", line);
			cr_assert_str_eq(fam, family, "TYPE follows its HELP");
			cr_assert(helped);
			cr_assert(!strcmp(type, "counter") || !strcmp(type, "gauge") || !strcmp(type, "histogram"),
				  "%s", type);
			continue;
		}
		cr_assert_neq(line[0], '#', "%s", line);
		n = 0;
		cr_assert_eq(sscanf(line, "%255[^ ] %lf%n", name, &value, &n), 2, "bad sample: %s", line);
		cr_assert_eq(line[n], '\0', "trailing text: %s", line);
		cr_assert(!strncmp(name, family, strlen(family)), "%s outside family %s", name, family);
		if (strchr(name, '{')) {
			cr_assert_eq(name[strlen(name) - 1], '}', "%s", name);
			cr_assert_not_null(strstr(name, "=\""), "%s", name);
		}
		if (!strcmp(name, want))
			found = value;
	}
	return found;
}

Test(metrics, is_prometheus_text_and_counts_what_happened)
{
	struct reply r;
	double ok, nm;

	for (int i = 0; i < 3; i++) {
		http_get(test_url(&srv, "/api/v1/deals?limit=1"), NULL, &r);
		reply_release(&r);
	}
	http_get(test_url(&srv, "/api/v1/nope"), NULL, &r);
	reply_release(&r);
	http_get(test_url(&srv, "/api/v1/deals/asml-duv-plant"), NULL, &r);
	{
		char inm[128];

		snprintf(inm, sizeof(inm), "If-None-Match: %s", reply_header(&r, "ETag"));
		reply_release(&r);
		http_get(test_url(&srv, "/api/v1/deals/asml-duv-plant"), (const char *const[]){ inm, NULL }, &r);
		cr_assert_eq(r.status, 304);
		reply_release(&r);
	}
	/*
	 * Requests are counted once their answer is sent, which the thread that
	 * sent it does a moment after the client has read it: the scrape, from
	 * another connection, may come first. Scrape until the last is counted.
	 */
	for (int i = 0; i < 100; i++) {
		http_get(test_url(&srv, "/metrics"), NULL, &r);
		cr_assert_eq(r.status, 200);
		if (parse_metrics(r.body.buf, "attache_http_not_modified_total") == 1)
			break;
		reply_release(&r);
		usleep(10000);
	}
	cr_assert_str_eq(reply_header(&r, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
	ok = parse_metrics(r.body.buf, "attache_http_requests_total{route=\"/api/v1/deals\",status_class=\"2xx\"}");
	cr_assert_eq(ok, 3);
	cr_assert_eq(parse_metrics(r.body.buf, "attache_http_requests_total{route=\"unmatched\",status_class=\"4xx\"}"), 1);
	nm = parse_metrics(r.body.buf, "attache_http_not_modified_total");
	cr_assert_eq(nm, 1);
	cr_assert_eq(parse_metrics(r.body.buf, "attache_records{collection=\"deals\"}"), 27);
	cr_assert_eq(parse_metrics(r.body.buf, "attache_data_generation"), 1);
	cr_assert_eq(parse_metrics(r.body.buf, "attache_build_info{version=\"" ATTACHE_VERSION "\"}"), 1);
	cr_assert_geq(parse_metrics(r.body.buf, "attache_http_request_duration_seconds_count"), 6);
	cr_assert_geq(parse_metrics(r.body.buf, "attache_http_open_connections"), 1);
	cr_assert_eq(parse_metrics(r.body.buf, "attache_reloads_total{result=\"failure\"}"), 0);
	cr_assert_gt(parse_metrics(r.body.buf, "attache_http_response_bytes_total"), 0);
	cr_assert_eq(parse_metrics(r.body.buf, "attache_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
		     parse_metrics(r.body.buf, "attache_http_request_duration_seconds_count"));
	reply_release(&r);
}
