/*
 * router: the route table and path matching (see router.h).
 */
#include "server/router.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/list.h"
#include "handlers/meta.h"
#include "handlers/openapi.h"
#include "handlers/response.h"
#include "handlers/webroot.h"
#include "lib/url.h"
#include "models/change.h"
#include "models/country.h"
#include "models/deal.h"
#include "models/meeting.h"
#include "models/source.h"
#include "server/metrics.h"

#define JSON "application/json"

/* Every row: the path, its handler, what a 200 is, then what the OpenAPI document says of it. */
static const struct route routes[] = {
	{ .pattern = "/api/v1", .get = handle_index, .media = JSON,
	  .operation = "getIndex",
	  .summary = "The API index: dataset, counts and links to every collection" },
	{ .pattern = "/api/v1/countries", .get = handle_list, .media = JSON,
	  .kind = ROUTE_LIST, .resource = &country_resource,
	  .operation = "listCountries", .summary = "List countries" },
	{ .pattern = "/api/v1/countries/{code}", .get = handle_record, .media = JSON,
	  .kind = ROUTE_RECORD, .resource = &country_resource,
	  .operation = "getCountry", .summary = "One country by ISO 3166-1 alpha-2 code (any case)" },
	{ .pattern = "/api/v1/countries/{code}/meetings", .get = handle_related, .media = JSON,
	  .kind = ROUTE_RELATED, .resource = &meeting_resource, .parent = &country_resource,
	  .operation = "listCountryMeetings", .summary = "The meetings a country took part in" },
	{ .pattern = "/api/v1/countries/{code}/deals", .get = handle_related, .media = JSON,
	  .kind = ROUTE_RELATED, .resource = &deal_resource, .parent = &country_resource,
	  .operation = "listCountryDeals", .summary = "The deals a country is party to" },
	{ .pattern = "/api/v1/meetings", .get = handle_list, .media = JSON,
	  .kind = ROUTE_LIST, .resource = &meeting_resource,
	  .operation = "listMeetings", .summary = "List meetings" },
	{ .pattern = "/api/v1/meetings/{id}", .get = handle_record, .media = JSON,
	  .kind = ROUTE_RECORD, .resource = &meeting_resource,
	  .operation = "getMeeting", .summary = "One meeting by id" },
	{ .pattern = "/api/v1/meetings/{id}/deals", .get = handle_related, .media = JSON,
	  .kind = ROUTE_RELATED, .resource = &deal_resource, .parent = &meeting_resource,
	  .operation = "listMeetingDeals", .summary = "The deals that came up at a meeting" },
	{ .pattern = "/api/v1/deals", .get = handle_list, .media = JSON,
	  .kind = ROUTE_LIST, .resource = &deal_resource,
	  .operation = "listDeals", .summary = "List deals" },
	{ .pattern = "/api/v1/deals/{id}", .get = handle_record, .media = JSON,
	  .kind = ROUTE_RECORD, .resource = &deal_resource,
	  .operation = "getDeal", .summary = "One deal by id" },
	{ .pattern = "/api/v1/sources", .get = handle_list, .media = JSON,
	  .kind = ROUTE_LIST, .resource = &source_resource,
	  .operation = "listSources", .summary = "List the sources the records cite" },
	{ .pattern = "/api/v1/sources/{id}", .get = handle_record, .media = JSON,
	  .kind = ROUTE_RECORD, .resource = &source_resource,
	  .operation = "getSource", .summary = "One source by id" },
	{ .pattern = "/api/v1/sources/{id}/countries", .get = handle_related, .media = JSON,
	  .kind = ROUTE_RELATED, .resource = &country_resource, .parent = &source_resource,
	  .operation = "listSourceCountries", .summary = "The countries whose evidence cites a source" },
	{ .pattern = "/api/v1/sources/{id}/meetings", .get = handle_related, .media = JSON,
	  .kind = ROUTE_RELATED, .resource = &meeting_resource, .parent = &source_resource,
	  .operation = "listSourceMeetings", .summary = "The meetings whose evidence cites a source" },
	{ .pattern = "/api/v1/sources/{id}/deals", .get = handle_related, .media = JSON,
	  .kind = ROUTE_RELATED, .resource = &deal_resource, .parent = &source_resource,
	  .operation = "listSourceDeals", .summary = "The deals whose evidence cites a source" },
	{ .pattern = "/api/v1/changes", .get = handle_list, .media = JSON,
	  .kind = ROUTE_LIST, .resource = &change_resource,
	  .operation = "listChanges",
	  .summary = "The changes feed: every write made through the API, oldest first (the last "
		     "2000; since=N is seq:gt=N, resource=X is collection=X)" },
	{ .pattern = "/api/v1/stats", .get = handle_stats, .media = JSON,
	  .operation = "getStats",
	  .summary = "Counts by status, sector, country, basis and date, and deal totals per "
		     "currency and basis" },
	{ .pattern = "/api/v1/openapi.json", .get = handle_openapi, .media = JSON,
	  .operation = "getOpenApi", .summary = "This document" },
	{ .pattern = "/healthz", .get = handle_healthz, .media = JSON,
	  .operation = "getHealth", .summary = "Liveness" },
	{ .pattern = "/readyz", .get = handle_readyz, .media = JSON,
	  .operation = "getReady",
	  .summary = "Readiness: the data generation served, and the last failed reload" },
	{ .pattern = "/metrics", .get = handle_metrics, .media = "text/plain",
	  .operation = "getMetrics", .summary = "Prometheus metrics" },
	{ .pattern = "/", .get = handle_web, .media = "text/html",
	  .operation = "getDashboard", .summary = "The dashboard" },
	{ .pattern = "/{file}", .get = handle_web, .media = "*/*",
	  .operation = "getDashboardFile", .summary = "The dashboard's files" },
};

const struct route *router_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

const char *router_parse_query(const char *raw, struct strbuf *sb, struct query_param *pairs,
			       size_t *n)
{
	size_t offsets[ROUTER_MAX_QUERY][2];
	const char *p = raw;

	*n = 0;
	while (*p) {
		const char *amp = strchr(p, '&'), *eq, *why;
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (len) {
			if (*n == ROUTER_MAX_QUERY)
				return "more than 64 parameters";
			eq = memchr(p, '=', len);
			offsets[*n][0] = sb->len;
			why = percent_decode(p, eq ? (size_t)(eq - p) : len, true, sb);
			if (why)
				return why;
			strbuf_addch(sb, '\0');
			offsets[*n][1] = sb->len;
			if (eq && (why = percent_decode(eq + 1, len - (size_t)(eq + 1 - p), true, sb)))
				return why;
			strbuf_addch(sb, '\0');
			(*n)++;
		}
		p += len + (amp ? 1 : 0);
	}
	/* Pointers last: sb has stopped growing. */
	for (size_t i = 0; i < *n; i++) {
		pairs[i].key = sb->buf + offsets[i][0];
		pairs[i].value = sb->buf + offsets[i][1];
	}
	return NULL;
}

void router_fill(const struct route_match *m, struct request *req)
{
	req->route = m->route;
	req->path = m->path;
	for (size_t i = 0; i < m->nparams; i++)
		req->params[i] = m->params[i];
	req->nparams = m->nparams;
}

#define NROUTES (sizeof(routes) / sizeof(routes[0]))
#define PATTERN_MAX_SEGMENTS 8

/*
 * The patterns split into segments once, so that matching a path compares
 * segment counts and lengths before any bytes (it was 3,300 instructions a
 * request re-reading every pattern, 1,450 now, in callgrind). Written once, under
 * pthread_once, before any reader; read-only afterwards.
 */
struct pattern_seg {
	const char *text;           /* into the pattern, not NUL-terminated */
	size_t len;
	bool param;                 /* {name}: any one non-empty segment */
};

struct compiled {
	size_t nseg;
	struct pattern_seg seg[PATTERN_MAX_SEGMENTS];
};

static struct compiled compiled[NROUTES];
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;

static void compile_routes(void)
{
	for (size_t r = 0; r < NROUTES; r++) {
		const char *pat = routes[r].pattern;
		struct compiled *c = &compiled[r];

		/* "/" is one empty segment, as a path's is. */
		while (*pat == '/') {
			const char *ps = ++pat;

			if (c->nseg == PATTERN_MAX_SEGMENTS)
				abort(); /* the table above has a pattern longer than this allows */
			while (*pat && *pat != '/')
				pat++;
			c->seg[c->nseg].text = ps;
			c->seg[c->nseg].len = (size_t)(pat - ps);
			c->seg[c->nseg].param = pat - ps > 1 && ps[0] == '{';
			c->nseg++;
		}
	}
}

static bool plain(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '%' || (unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

enum router_result router_match(const char *raw_path, struct route_match *m,
				struct strbuf *scratch, const char **why)
{
	/* Segments of the decoded path: offsets into scratch, which may move while it grows. */
	size_t seg_off[32], seg_len[32], nseg = 0, path_off;
	const char *p = raw_path;

	memset(m, 0, sizeof(*m));
	if (*p != '/') {
		*why = "no '/' at its start";
		return ROUTER_BAD_PATH;
	}
	path_off = scratch->len;
	/* "/" is one empty segment, matching the pattern "/". */
	while (*p == '/') {
		const char *start = ++p, *bad;
		size_t before;

		while (*p && *p != '/')
			p++;
		if (nseg == sizeof(seg_off) / sizeof(seg_off[0])) {
			*why = "more than 32 segments";
			return ROUTER_BAD_PATH;
		}
		strbuf_addch(scratch, '/');
		before = scratch->len;
		/* Plain ASCII without a '%' is itself: nothing to decode or check. */
		if (plain(start, (size_t)(p - start))) {
			strbuf_add(scratch, start, (size_t)(p - start));
		} else if ((bad = percent_decode(start, (size_t)(p - start), false, scratch))) {
			*why = bad;
			return ROUTER_BAD_PATH;
		} else if (memchr(scratch->buf + before, '/', scratch->len - before)) {
			*why = "an encoded '/' (%2F) inside a path segment";
			return ROUTER_BAD_PATH;
		}
		seg_off[nseg] = before;
		seg_len[nseg] = scratch->len - before;
		nseg++;
	}
	strbuf_addch(scratch, '\0');

	pthread_once(&compile_once, compile_routes);
	for (size_t r = 0; r < NROUTES; r++) {
		const struct compiled *c = &compiled[r];
		size_t nparams = 0, param_seg[REQUEST_MAX_PARAMS], at[REQUEST_MAX_PARAMS];
		size_t i = 0;

		if (c->nseg != nseg)
			continue;
		for (; i < nseg; i++) {
			const struct pattern_seg *ps = &c->seg[i];

			if (ps->param) {
				/* A parameter is one non-empty segment. */
				if (!seg_len[i] || nparams == REQUEST_MAX_PARAMS)
					break;
				param_seg[nparams++] = i;
			} else if (ps->len != seg_len[i] ||
				   memcmp(ps->text, scratch->buf + seg_off[i], ps->len)) {
				break;
			}
		}
		if (i != nseg)
			continue;
		/* Each parameter gets a NUL-terminated copy; pointers are taken once scratch stops growing. */
		for (size_t k = 0; k < nparams; k++) {
			at[k] = scratch->len;
			strbuf_add(scratch, scratch->buf + seg_off[param_seg[k]], seg_len[param_seg[k]]);
			strbuf_addch(scratch, '\0');
		}
		for (size_t k = 0; k < nparams; k++)
			m->params[k] = scratch->buf + at[k];
		m->nparams = nparams;
		m->route = &routes[r];
		m->index = r;
		m->path = scratch->buf + path_off;
		return ROUTER_FOUND;
	}
	m->path = scratch->buf + path_off;
	return ROUTER_NOT_FOUND;
}
