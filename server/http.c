/*
 * http: libmicrohttpd in, plain requests and responses out (see http.h).
 *
 * libmicrohttpd calls the access handler several times per request. The
 * first call sees the headers only: the framing guard runs there, and for a
 * good request the handler returns MHD_YES without queueing anything (queueing
 * on the first call costs the connection its keep-alive). Body bytes come in
 * the middle calls and are counted and dropped, since no route takes a body.
 * The last call routes the request and queues the answer.
 *
 * Per-request state (struct exchange) is created by the URI log callback,
 * which also hands us the request target exactly as sent (libmicrohttpd's
 * decoded URL stops at %00), and freed by the completion callback, which logs
 * and counts the request once its answer has been sent.
 */
#include "server/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "handlers/response.h"
#include "lib/mem.h"
#include "lib/text.h"
#include "server/cors.h"
#include "server/guard.h"
#include "server/gzcache.h"
#include "server/log.h"
#include "server/negotiate.h"
#include "server/router.h"

#define REQUEST_ID_MAX 128

struct http {
	struct MHD_Daemon *daemon;
	struct http_options opt;
	uint16_t port;
	atomic_uint in_flight;
	struct gzcache *gz;         /* compressed bodies built per request */
	uint64_t id_seed;
	atomic_uint_fast64_t id_counter;
};

struct exchange {
	struct http *h;
	char *target;               /* the request target as sent */
	uint64_t start_ns;
	bool started;               /* the first call (headers) is done */
	bool answered;              /* a response was queued */
	bool too_large;             /* the body went past max-body-size */
	uint64_t body;              /* body bytes received */
	size_t route;               /* for metrics */
	int status;
	uint64_t bytes;
	char method[16];
	char remote[INET6_ADDRSTRLEN];
	char id[REQUEST_ID_MAX + 1];
	char *user_agent;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- per-request state ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http *h = cls;
	struct exchange *x = xcalloc(1, sizeof(*x));
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	x->h = h;
	x->target = xstrdup(uri);
	x->start_ns = now_ns();
	x->route = METRICS_NO_ROUTE;
	strcpy(x->remote, "-");
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  x->remote, sizeof(x->remote));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  x->remote, sizeof(x->remote));
	}
	atomic_fetch_add(&h->in_flight, 1);
	return x;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http *h = cls;
	struct exchange *x = *con_cls;
	uint64_t us;

	(void)c;
	if (!x)
		return;
	us = (now_ns() - x->start_ns) / 1000;
	if (x->answered) {
		metrics_request(h->opt.metrics, x->route, x->status,
				toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? x->bytes : 0, us);
	}
	if (h->opt.cfg->access_log) {
		struct access_entry e = {
			.request_id = x->id[0] ? x->id : "-",
			.remote = x->remote,
			.method = x->method[0] ? x->method : "-",
			.target = x->target,
			.status = x->answered ? x->status : 0,
			.bytes = x->answered ? x->bytes : 0,
			.duration_us = us,
			.user_agent = x->user_agent,
		};

		log_access(&e);
	}
	free(x->target);
	free(x->user_agent);
	free(x);
	*con_cls = NULL;
	atomic_fetch_sub(&h->in_flight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http *h = cls;

	(void)c;
	(void)socket_context;
	metrics_connection(h->opt.metrics, toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_event(LOG_WARN, "libmicrohttpd", "detail", msg, NULL);
}

/* ---- what the request says ---- */

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static bool sane_request_id(const char *id)
{
	size_t n = 0;

	for (; id[n]; n++)
		if (!(text_is_alnum(id[n]) || strchr("-_.:", id[n])) || n >= REQUEST_ID_MAX)
			return false;
	return n > 0;
}

static void make_request_id(struct http *h, char *out)
{
	uint64_t z = h->id_seed + atomic_fetch_add(&h->id_counter, 1) * 0x9E3779B97F4A7C15ULL;

	/* splitmix64: unique per request, unpredictable without the seed. */
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	snprintf(out, REQUEST_ID_MAX + 1, "%016llx", (unsigned long long)z);
}

/* ---- the framing guard (first call) ---- */

struct header_list {
	struct guard_header *v;
	size_t n, alloc;
};

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      size_t key_size, const char *value, size_t value_size)
{
	struct header_list *l = cls;

	(void)kind;
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 32;
		l->v = xreallocarray(l->v, l->alloc, sizeof(*l->v));
	}
	l->v[l->n++] = (struct guard_header){ key, key_size, value, value_size };
	return MHD_YES;
}

/*
 * The guard (server/guard.h) on the headers as libmicrohttpd received them.
 * libmicrohttpd's own strict mode (MHD_OPTION_STRICT_FOR_CLIENT) is off
 * because of how it refuses: a missing Host gets an HTML page (and, in
 * 0.9.75, its status line twice), a space in the target a closed connection
 * with no answer. The guard enforces the same rules, answered in JSON.
 */
static int request_guard(struct exchange *x, struct MHD_Connection *c, const char *version,
			 const char **why)
{
	const struct config *cfg = x->h->opt.cfg;
	const struct guard_limits limits = {
		.max_uri_size = (size_t)cfg->max_uri_size,
		.max_header_size = (size_t)cfg->max_header_size,
		.max_body_size = (uint64_t)cfg->max_body_size,
	};
	struct header_list l = { 0 };
	int status;

	MHD_get_connection_values_n(c, MHD_HEADER_KIND, collect_header, &l);
	status = guard_check(x->target, version, l.v, l.n, &limits, why);
	free(l.v);
	return status;
}

/* ---- answering ---- */

static void release_snapshot(void *cls)
{
	snapshot_release(cls);
}

/*
 * A streamed body (handlers/stream.h) as libmicrohttpd pulls it: the stream,
 * the snapshot whose data it reads (held until libmicrohttpd frees the
 * response, so a reload mid-stream cannot pull the data from under it), and
 * the exchange's byte count, which the reader may touch because
 * libmicrohttpd calls it only while the request is in flight.
 */
struct streamed {
	struct body_stream body;
	struct snapshot *snap;
	uint64_t *bytes;
};

static ssize_t streamed_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct streamed *s = cls;
	size_t n = s->body.next(s->body.state, buf, max);

	(void)pos;
	if (!n)
		return MHD_CONTENT_READER_END_OF_STREAM;
	*s->bytes += n;
	return (ssize_t)n;
}

static void streamed_free(void *cls)
{
	struct streamed *s = cls;

	body_stream_free(&s->body);
	snapshot_release(s->snap);
	free(s);
}

static void add(struct MHD_Response *r, const char *name, const char *value)
{
	if (value && *value)
		MHD_add_response_header(r, name, value);
}

struct answer {
	const struct request *req;
	struct response *res;
	struct snapshot *snap;      /* the request's reference; NULL when none was taken */
	bool close;                 /* Connection: close */
	bool cors_preflight;
};

static bool compressible(const char *type)
{
	return type && (!strncmp(type, "application/", 12) || !strncmp(type, "text/", 5) ||
			!strncmp(type, "image/svg", 9));
}

/* Turns res into an MHD response, queues it, and gives up the snapshot reference. */
static enum MHD_Result send_answer(struct exchange *x, struct MHD_Connection *c, struct answer *a)
{
	const struct config *cfg = x->h->opt.cfg;
	const size_t gzip_min = config_gzip_min(cfg);
	struct response *res = a->res;
	const struct request *req = a->req;
	struct MHD_Response *r;
	const char *body = res->body;
	size_t len = res->len;
	bool gzipped = false;
	char etag[ETAG_SIZE], buf[64];
	enum MHD_Result rc;
	char *owned = NULL;

	/* Any 200 the client already holds becomes a 304, whichever handler made it. */
	if (res->status == HTTP_OK && res->etag[0])
		response_not_modified(req, res, res->tag);
	if (res->status == HTTP_NOT_MODIFIED) {
		body = NULL;
		len = 0;
	}
	if (body && gzip_min && len >= gzip_min && compressible(res->content_type) &&
	    negotiate_gzip(header(c, MHD_HTTP_HEADER_ACCEPT_ENCODING))) {
		if (res->gz) {
			body = res->gz;
			len = res->gz_len;
			gzipped = true;
		} else {
			struct strbuf gz = STRBUF_INIT;

			/* The tag names the bytes, so a body compressed before is the same one. */
			if (res->etag[0] && gzcache_get(x->h->gz, res->tag, body, len, &gz)) {
				gzipped = true;
			} else if (gzip_compress(body, len, GZIP_LEVEL_PER_REQUEST, &gz) == 0 && gz.len < len) {
				gzipped = true;
				if (res->etag[0])
					gzcache_put(x->h->gz, res->tag, body, len, gz.buf, gz.len);
			}
			if (gzipped) {
				owned = strbuf_detach(&gz, &len);
				body = owned;
			}
			strbuf_release(&gz);
		}
	}
	if (res->status == HTTP_OK && body_stream_present(&res->stream)) {
		struct streamed *s = xcalloc(1, sizeof(*s));

		s->body = res->stream;
		res->stream = (struct body_stream){ 0 };
		/* gzip on the fly, when it is on at all: the size is unknown, so any size is worth it. */
		if (gzip_min && compressible(res->content_type) &&
		    negotiate_gzip(header(c, MHD_HTTP_HEADER_ACCEPT_ENCODING))) {
			struct body_stream plain = s->body;

			gzipped = body_stream_gzip(&plain, GZIP_LEVEL_PER_REQUEST, &s->body) == 0;
		}
		s->snap = a->snap;
		s->bytes = &x->bytes;
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, HTTP_STREAM_BLOCK,
						      streamed_read, s, streamed_free);
		if (r) {
			a->snap = NULL;
			/*
			 * libmicrohttpd 0.9.75 ends a chunked answer to HEAD with the last
			 * chunk, which a client keeping the connection reads as the next
			 * answer's start. Unchunked, a HEAD of an unknown size closes the
			 * connection and sends nothing after the head: no Transfer-Encoding,
			 * no Content-Length, as RFC 9110 allows for a HEAD.
			 */
			if (req->method == HTTP_HEAD)
				MHD_set_response_options(r, MHD_RF_HTTP_1_0_COMPATIBLE_STRICT,
							 MHD_RO_END);
		} else {
			res->stream = s->body;   /* freed with the response, as if never sent */
			free(s);
		}
	} else if (!body) {
		r = MHD_create_response_from_buffer(0, (void *)(uintptr_t)"", MHD_RESPMEM_PERSISTENT);
	} else if (owned || body == res->owned.buf) {
		/* The response takes bytes built for this request. */
		if (!owned) {
			owned = strbuf_detach(&res->owned, &len);
			res->body = NULL;
		}
		r = MHD_create_response_from_buffer_with_free_callback(len, owned, free);
		owned = NULL;
	} else {
		/* Borrowed bytes live as long as the snapshot: the response holds it. */
		r = MHD_create_response_from_buffer_with_free_callback_cls(len, (void *)(uintptr_t)body,
									release_snapshot, a->snap);
		if (r)
			a->snap = NULL;
	}
	free(owned);
	if (!r)
		return MHD_NO;

	if (res->status != HTTP_NOT_MODIFIED && res->status != HTTP_NO_CONTENT)
		add(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
	if (res->etag[0] && (res->status == HTTP_OK || res->status == HTTP_NOT_MODIFIED)) {
		/* A gzipped body is another representation, with its own tag. */
		etag_format(etag, res->tag, gzipped);
		add(r, MHD_HTTP_HEADER_ETAG, res->status == HTTP_OK ? etag : res->etag);
	}
	if (gzipped)
		add(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (res->cache == CACHE_PUBLIC && res->status < 400) {
		snprintf(buf, sizeof(buf), "public, max-age=%lld", (long long)cfg->cache_max_age);
		add(r, MHD_HTTP_HEADER_CACHE_CONTROL, buf);
	} else {
		add(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	}
	add(r, MHD_HTTP_HEADER_VARY, RESPONSE_VARY);
	add(r, "X-Request-Id", x->id);
	add(r, "X-Content-Type-Options", "nosniff");
	if (res->has_total) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)res->total);
		add(r, "X-Total-Count", buf);
	}
	if (res->link.len)
		add(r, MHD_HTTP_HEADER_LINK, res->link.buf);
	if (res->attachment.len && res->status == HTTP_OK) {
		struct strbuf cd = STRBUF_INIT;

		/* Handlers make names of letters, digits, '-' and '.': nothing to quote. */
		strbuf_addf(&cd, "attachment; filename=\"%s\"", res->attachment.buf);
		add(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd.buf);
		strbuf_release(&cd);
	}
	add(r, MHD_HTTP_HEADER_ALLOW, res->allow);
	if (res->content_type && !strncmp(res->content_type, "text/html", 9))
		add(r, "Content-Security-Policy", RESPONSE_CSP);
	{
		const char *origin = header(c, "Origin");
		bool any;

		if (origin && cors_origin_allowed((const char *const *)cfg->cors_origins,
						  cfg->ncors_origins, origin, &any)) {
			add(r, "Access-Control-Allow-Origin", any ? "*" : origin);
			add(r, "Access-Control-Expose-Headers", CORS_EXPOSE);
			if (a->cors_preflight) {
				add(r, "Access-Control-Allow-Methods", ROUTER_ALLOW);
				add(r, "Access-Control-Allow-Headers",
				    header(c, "Access-Control-Request-Headers"));
				add(r, "Access-Control-Max-Age", RESPONSE_CORS_MAX_AGE);
			}
		}
	}
	/* Framing errors close (a->close); so does every answer once draining starts. */
	if (a->close || (req->serving && req->serving->draining))
		add(r, MHD_HTTP_HEADER_CONNECTION, "close");

	/* A streamed body (len 0 here) counts its bytes as they go. */
	x->bytes = req->method == HTTP_HEAD ? 0 : len;
	rc = MHD_queue_response(c, (unsigned)res->status, r);
	MHD_destroy_response(r);
	x->answered = rc == MHD_YES;
	x->status = res->status;
	return rc;
}

/* Answers with a problem before (or without) routing. */
static enum MHD_Result answer_problem(struct exchange *x, struct MHD_Connection *c,
				      const struct request *req, int status, bool close,
				      const char *fmt, const char *arg)
{
	struct response res;
	struct answer a = { req, &res, NULL, close, false };
	enum MHD_Result rc;

	response_init(&res);
	response_problem(req, &res, status, fmt, arg);
	rc = send_answer(x, c, &a);
	response_release(&res);
	return rc;
}

static enum MHD_Result serve(struct exchange *x, struct MHD_Connection *c)
{
	struct http *h = x->h;
	/* Decoded path and decoded query live in separate buffers: pointers into one
	 * must not move when the other grows. */
	struct strbuf scratch = STRBUF_INIT, qscratch = STRBUF_INIT, raw_path = STRBUF_INIT;
	struct query_param pairs[ROUTER_MAX_QUERY];
	struct request req = { 0 };
	struct response res;
	struct answer a = { &req, &res, NULL, false, false };
	struct route_match m;
	const char *target = x->target, *q, *why = NULL;
	enum MHD_Result rc;
	size_t npairs = 0;

	req.method = http_method_parse(x->method);
	req.target = x->target;
	req.request_id = x->id;
	req.path = "";
	req.raw_query = "";
	req.web = h->opt.web;
	req.metrics = h->opt.metrics;
	response_init(&res);

	if (req.method == HTTP_UNKNOWN) {
		rc = answer_problem(x, c, &req, HTTP_NOT_IMPLEMENTED, false,
				    "method %s is not implemented; this server answers GET, HEAD and OPTIONS",
				    x->method);
		goto out;
	}
	/* An absolute-form target (http://host/path) names the same path. */
	if (!strncasecmp(target, "http://", 7) || !strncasecmp(target, "https://", 8)) {
		const char *slash = strchr(strstr(target, "//") + 2, '/');

		target = slash ? slash : "/";
	}
	if (!strcmp(target, "*")) {
		if (req.method == HTTP_OPTIONS) {
			res.status = HTTP_NO_CONTENT;
			res.allow = ROUTER_ALLOW;
			rc = send_answer(x, c, &a);
		} else {
			rc = answer_problem(x, c, &req, HTTP_BAD_REQUEST, false,
					    "the target * is only for OPTIONS%s", "");
		}
		goto out;
	}
	q = strchr(target, '?');
	strbuf_add(&raw_path, target, q ? (size_t)(q - target) : strlen(target));
	if (q) {
		char *hash = strchr(q + 1, '#');

		req.raw_query = q + 1;
		if (hash)
			*hash = '\0'; /* a fragment is never sent by a browser; drop one sent anyway */
	}
	switch (router_match(raw_path.buf, &m, &scratch, &why)) {
	case ROUTER_BAD_PATH:
		rc = answer_problem(x, c, &req, HTTP_BAD_REQUEST, false, "the path has %s", why);
		goto out;
	case ROUTER_NOT_FOUND:
		req.path = m.path;
		rc = answer_problem(x, c, &req, HTTP_NOT_FOUND, false,
				    "no resource at %s; GET /api/v1 lists the API's links", m.path);
		goto out;
	case ROUTER_FOUND:
		break;
	}
	x->route = m.index;
	router_fill(&m, &req);
	/* /{file} is a resource only where there is a file: elsewhere every method gets 404. */
	if (m.route->get == handle_web && m.nparams && req.method != HTTP_GET &&
	    req.method != HTTP_HEAD && !webroot_has(h->opt.web, m.params[0])) {
		rc = answer_problem(x, c, &req, HTTP_NOT_FOUND, false,
				    "no resource at %s; GET /api/v1 lists the API's links", m.path);
		goto out;
	}
	if (req.method != HTTP_GET && req.method != HTTP_HEAD && req.method != HTTP_OPTIONS) {
		response_method_not_allowed(&req, &res, ROUTER_ALLOW);
		rc = send_answer(x, c, &a);
		goto out;
	}
	if ((why = router_parse_query(req.raw_query, &qscratch, pairs, &npairs))) {
		rc = answer_problem(x, c, &req, HTTP_BAD_REQUEST, false, "the query has %s", why);
		goto out;
	}
	req.query = pairs;
	req.nquery = npairs;
	req.if_none_match = header(c, MHD_HTTP_HEADER_IF_NONE_MATCH);

	a.snap = snapshot_acquire(h->opt.snapshots);
	req.serving = snapshot_serving(a.snap);
	if (req.method == HTTP_OPTIONS) {
		res.status = HTTP_NO_CONTENT;
		res.allow = ROUTER_ALLOW;
		res.cache = CACHE_NO_STORE;
		a.cors_preflight = header(c, "Access-Control-Request-Method") &&
				   cors_headers_allowed(header(c, "Access-Control-Request-Headers"));
		rc = send_answer(x, c, &a);
		goto out;
	}
	req.accept = header(c, MHD_HTTP_HEADER_ACCEPT);
	if (!route_negotiates(m.route) && !negotiate_accepts(req.accept, m.route->media)) {
		response_problem(&req, &res, HTTP_NOT_ACCEPTABLE,
				 "this resource is %s, which the Accept header excludes", m.route->media);
		rc = send_answer(x, c, &a);
		goto out;
	}
	m.route->get(&req, &res);
	/* A route of files of many types (the dashboard's) is negotiated on the file found. */
	if (res.status == HTTP_OK && !strcmp(m.route->media, "*/*") &&
	    !negotiate_accepts(header(c, MHD_HTTP_HEADER_ACCEPT), res.content_type)) {
		const char *type = res.content_type;

		response_problem(&req, &res, HTTP_NOT_ACCEPTABLE,
				 "this file is %.*s, which the Accept header excludes",
				 (int)strcspn(type, ";"), type);
	}
	rc = send_answer(x, c, &a);
out:
	snapshot_release(a.snap);
	response_release(&res);
	strbuf_release(&scratch);
	strbuf_release(&qscratch);
	strbuf_release(&raw_path);
	return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http *h = cls;
	struct exchange *x = *con_cls;
	struct request req = { 0 };
	const char *why = NULL;
	int status;

	(void)url;
	(void)upload_data;
	if (!x)
		return MHD_NO; /* the URI callback always runs first; nothing to answer with */
	if (!x->started) {
		const char *id = header(c, "X-Request-Id"), *ua = header(c, MHD_HTTP_HEADER_USER_AGENT);

		x->started = true;
		snprintf(x->method, sizeof(x->method), "%s", method);
		if (id && sane_request_id(id))
			snprintf(x->id, sizeof(x->id), "%s", id);
		else
			make_request_id(h, x->id);
		if (ua)
			x->user_agent = xmemdup0(ua, strnlen(ua, 256));
		status = request_guard(x, c, version, &why);
		if (status) {
			req.target = x->target;
			req.request_id = x->id;
			req.path = "";
			metrics_rejected(h->opt.metrics);
			return answer_problem(x, c, &req, status, true, "%s", why);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		uint64_t max = (uint64_t)h->opt.cfg->max_body_size;

		x->body += *upload_data_size;
		*upload_data_size = 0;
		x->too_large = x->body > max;
		/*
		 * libmicrohttpd cannot queue an answer mid-body, so a chunked body past
		 * the limit is read on and dropped, to answer 413 at its end; one that
		 * goes on far past it costs the client its connection instead.
		 */
		if (x->body > 16 * max + 65536) {
			metrics_rejected(h->opt.metrics);
			log_event(LOG_WARN, "request body far over the limit; connection closed",
				  "request_id", x->id, NULL);
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (x->answered)
		return MHD_YES;
	if (x->too_large) {
		req.target = x->target;
		req.request_id = x->id;
		req.path = "";
		metrics_rejected(h->opt.metrics);
		return answer_problem(x, c, &req, HTTP_CONTENT_TOO_LARGE, true, "%s",
				      "the request body is larger than this server accepts");
	}
	return serve(x, c);
}

struct http *http_start(const struct http_options *opt, struct strbuf *err)
{
	const struct config *cfg = opt->cfg;
	struct http *h = xcalloc(1, sizeof(*h));
	struct sockaddr_in6 sa6 = { 0 };
	struct sockaddr_in sa4 = { 0 };
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;

	h->opt = *opt;
	h->gz = gzcache_new(HTTP_GZCACHE_BYTES);
	if (getrandom(&h->id_seed, sizeof(h->id_seed), 0) != sizeof(h->id_seed))
		h->id_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (inet_pton(AF_INET, cfg->bind, &sa4.sin_addr) == 1) {
		sa4.sin_family = AF_INET;
		sa4.sin_port = htons((uint16_t)cfg->port);
		sa = (const struct sockaddr *)&sa4;
	} else if (inet_pton(AF_INET6, cfg->bind, &sa6.sin6_addr) == 1) {
		sa6.sin6_family = AF_INET6;
		sa6.sin6_port = htons((uint16_t)cfg->port);
		sa = (const struct sockaddr *)&sa6;
		flags |= MHD_USE_IPv6;
	} else {
		strbuf_addf(err, "bind: \"%s\" is not an IPv4 or IPv6 address", cfg->bind);
		goto fail;
	}
	h->daemon = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_request, h,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, h,    /* first, or MHD warns */
		MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->max_connections_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->idle_timeout,
		/* Room beyond our own limits, so that request_guard answers 414/431 in JSON
		 * and libmicrohttpd's HTML refusal is left for heads far past them. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(2 * cfg->max_header_size + 65536),
		MHD_OPTION_STRICT_FOR_CLIENT, (int)0,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, h,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
		MHD_OPTION_END);
	if (!h->daemon) {
		strbuf_addf(err, "cannot listen on %s port %lld: %s", cfg->bind, (long long)cfg->port,
			    errno ? strerror(errno) : "libmicrohttpd refused the options");
		goto fail;
	}
	info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : (uint16_t)cfg->port;
	return h;
fail:
	gzcache_free(h->gz);
	free(h);
	return NULL;
}

uint16_t http_port(const struct http *h)
{
	return h->port;
}

void http_quiesce(struct http *h)
{
	MHD_socket fd = MHD_quiesce_daemon(h->daemon);

	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

unsigned http_in_flight(const struct http *h)
{
	return atomic_load(&((struct http *)(uintptr_t)h)->in_flight);
}

void http_stop(struct http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->daemon);
	gzcache_free(h->gz);
	free(h);
}
