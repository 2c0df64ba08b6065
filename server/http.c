/*
 * http: libmicrohttpd in, plain requests and responses out (see http.h).
 *
 * libmicrohttpd calls the access handler several times per request. The
 * first call sees the headers only: the framing guard runs there, and for a
 * good request the handler returns MHD_YES without queueing anything (queueing
 * on the first call costs the connection its keep-alive). Body bytes come in
 * the middle calls: a write's (POST, PUT, PATCH, DELETE, when writes are
 * on) is kept, up to max-body-size, and any other is counted and dropped.
 * The last call routes the request and queues the answer.
 *
 * Per-connection state (struct link) is made when libmicrohttpd opens a
 * connection and freed when it closes it; the request in progress (struct
 * exchange) lives inside it. So a request's state is freed even when
 * libmicrohttpd drops the request without calling the completion callback
 * (0.9.75 does, when a request overflows its memory pool), and such a
 * request is then logged and taken off the in-flight count at the close.
 * The URI log callback starts an exchange and keeps the request target
 * exactly as sent (libmicrohttpd's decoded URL stops at %00); the
 * completion callback logs and counts it once its answer has been sent.
 *
 * libmicrohttpd answers some malformed requests itself, with an HTML page,
 * before any callback of ours; a few of those answers are themselves
 * malformed in 0.9.75. Where its log message tells which connection it is
 * refusing (the thread's current connection, checked against the request's
 * own headers), the answer goes out as problem+json on the socket directly
 * and libmicrohttpd's own is cut off (see on_mhd_log).
 */
#include "server/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
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

#include "handlers/list.h"
#include "handlers/response.h"
#include "handlers/write.h"
#include "lib/mem.h"
#include "lib/text.h"
#include "server/conns.h"
#include "server/cors.h"
#include "server/guard.h"
#include "server/gzcache.h"
#include "server/log.h"
#include "server/negotiate.h"
#include "server/replies.h"
#include "server/router.h"

#define REQUEST_ID_MAX 128
#define USER_AGENT_MAX 256

struct http {
	struct MHD_Daemon *daemon;
	struct http_options opt;
	uint16_t port;
	atomic_uint in_flight;
	atomic_uint writing;        /* connections suspended while the writer has their write */
	struct gzcache *gz;         /* compressed bodies built per request */
	struct replies *replies;    /* answers of bytes rendered at load, kept per thread */
	struct conns *conns;        /* the connection watcher */
	struct list_budget budget;  /* what list queries may cost */
	char cache_control[48];     /* for public answers: "public, max-age=N" */
	uint64_t id_seed;
	atomic_uint_fast64_t id_counter;
	bool quiesced;              /* accepts no more connections */
};

/* The request in progress on a connection. */
struct exchange {
	struct http *h;
	struct link *link;
	struct strbuf target;       /* the request target as sent; its buffer is kept for the next */
	const char *raw_target;     /* where libmicrohttpd holds it, for guard_check_layout() */
	size_t target_len;          /* its length as sent (the copy stops at a NUL) */
	uint64_t start_ns;
	bool active;                /* a request is in progress */
	bool started;               /* the first call (headers) is done; counted in flight */
	bool answered;              /* a response was queued, or sent directly */
	bool too_large;             /* the body went past max-body-size */
	int refused;                /* the status the guard refused the request with, or 0 */
	const char *why;            /* and why */
	uint64_t body;              /* body bytes received */
	bool keep_body;             /* a write's: kept in body_buf */
	struct strbuf body_buf;     /* its buffer is kept for the next request */
	const char *writer;         /* the token's name, for the access log; borrowed from the tokens */
	struct write_job *job;      /* a write the writer has (the connection is suspended), or NULL */
	size_t route;               /* for metrics */
	int status;
	uint64_t bytes;
	char method[16];
	char id[REQUEST_ID_MAX + 1];
	char user_agent[USER_AGENT_MAX + 1];
	bool has_user_agent;
};

/* One connection: the watcher's view of it, and the request on it. */
struct link {
	struct conn conn;           /* the watcher's part (server/conns.h) */
	struct MHD_Connection *mhd;
	struct exchange x;
	struct guard_header *headers;  /* the request's header fields (collect_headers()); the array is kept */
	size_t nheaders, headers_alloc;
	/* serve()'s scratch, kept for the next request: the decoded path, the
	 * decoded query and the raw path. */
	struct strbuf scratch, qscratch, raw_path;
	bool direct;                /* answered on the socket directly (answer_direct) */
};

/*
 * The connection this thread last called us for. libmicrohttpd serves each
 * connection from one thread, and its log callback names no connection: this
 * is how a log message is tied to the request it is about (see on_mhd_log).
 */
static _Thread_local struct link *current;

static uint64_t now_ns(void)
{
	return conns_now_ns();
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
	text_hex64(out, z);
	out[16] = '\0';
}

/* Copies s into out (size bytes), cut to fit; snprintf's formatting cost more. */
static void copy_cut(char *out, size_t size, const char *s)
{
	size_t n = strnlen(s, size - 1);

	memcpy(out, s, n);
	out[n] = '\0';
}

/* ---- per-request state ---- */

/* Logs and counts the exchange's request, and ends it; toe says how it ended. */
static void finish(struct exchange *x, enum MHD_RequestTerminationCode toe)
{
	struct http *h = x->h;
	uint64_t us = (now_ns() - x->start_ns) / 1000;

	if (!x->active)
		return;
	if (x->answered) {
		metrics_request(h->opt.metrics, x->route, x->status,
				toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? x->bytes : 0, us);
	}
	if (h->opt.cfg->access_log) {
		struct access_entry e = {
			.request_id = x->id[0] ? x->id : "-",
			.remote = x->link->conn.remote,
			.method = x->method[0] ? x->method : "-",
			.target = x->target.buf,
			.status = x->answered ? x->status : 0,
			.bytes = x->answered ? x->bytes : 0,
			.duration_us = us,
			.user_agent = x->has_user_agent ? x->user_agent : NULL,
			.writer = x->writer,
		};

		log_access(&e);
	}
	if (x->started)
		atomic_fetch_sub(&h->in_flight, 1);
	x->active = false;
}

/* Frees the exchange's write job, if it has one (done: the writer has let go of it). */
static void drop_job(struct exchange *x)
{
	if (!x->job)
		return;
	write_job_free(x->job);
	x->job = NULL;
	atomic_fetch_sub(&x->h->writing, 1);
}

static struct link *link_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct link *l = link_of(c);
	struct exchange *x;
	char *q;

	(void)cls;
	if (!l)
		return NULL;
	x = &l->x;
	finish(x, MHD_REQUEST_TERMINATED_WITH_ERROR); /* one libmicrohttpd dropped, if any */
	current = l;
	strbuf_reset(&x->target);
	x->target_len = strlen(uri);
	strbuf_add(&x->target, uri, x->target_len);
	x->raw_target = uri;
	x->start_ns = now_ns();
	x->active = true;
	x->started = x->answered = x->too_large = false;
	x->refused = 0;
	x->why = NULL;
	x->body = 0;
	x->keep_body = false;
	x->writer = NULL;
	drop_job(x);
	strbuf_reset(&x->body_buf);
	x->route = METRICS_NO_ROUTE;
	x->status = 0;
	x->bytes = 0;
	x->method[0] = x->id[0] = '\0';
	x->has_user_agent = false;
	/*
	 * libmicrohttpd parses the query into its connection memory pool right
	 * after this callback, from the same buffer; thousands of parameters
	 * overflow the pool and the request is dropped unanswered. This server
	 * parses the query itself from the copy above, so the query libmicrohttpd
	 * sees is cut to nothing: it splits the target at the '?' it has found
	 * already and reads the arguments from the byte after it. (0.9.75 to
	 * 1.0.1 all call this callback on the request line's own buffer, before
	 * they parse the arguments.)
	 */
	q = strchr(uri, '?');
	if (q)
		q[1] = '\0';
	return x;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct exchange *x = *con_cls;

	(void)cls;
	(void)c;
	if (!x)
		return;
	finish(x, toe);
	*con_cls = NULL;
	/* Waiting for the next request head on this connection, from now. */
	conn_enter(&x->link->conn, CONN_HEAD);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http *h = cls;
	struct link *l;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *sa = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

		l = xcalloc(1, sizeof(*l));
		l->mhd = c;
		l->x.h = h;
		l->x.link = l;
		strbuf_init(&l->x.target, 0);
		strbuf_init(&l->scratch, 0);
		strbuf_init(&l->qscratch, 0);
		strbuf_init(&l->raw_path, 0);
		strbuf_init(&l->x.body_buf, 0);
		conns_add(h->conns, &l->conn, fd ? fd->connect_fd : -1, sa ? sa->client_addr : NULL);
		*socket_context = l;
		metrics_connection(h->opt.metrics, 1);
		return;
	}
	l = *socket_context;
	if (!l)
		return;
	/* A request libmicrohttpd dropped without its completion callback ends here. */
	finish(&l->x, MHD_REQUEST_TERMINATED_WITH_ERROR);
	conns_remove(h->conns, &l->conn);
	if (current == l)
		current = NULL;
	strbuf_release(&l->x.target);
	strbuf_release(&l->scratch);
	strbuf_release(&l->qscratch);
	strbuf_release(&l->raw_path);
	strbuf_release(&l->x.body_buf);
	drop_job(&l->x);
	free(l->headers);
	free(l);
	*socket_context = NULL;
	metrics_connection(h->opt.metrics, -1);
}

/* What the watcher closed, in the metrics and the log. */
static void on_watch(void *arg, enum conn_reason reason, unsigned n)
{
	struct http *h = arg;
	char count[16];

	metrics_closed(h->opt.metrics, reason, n);
	snprintf(count, sizeof(count), "%u", n);
	log_event(LOG_INFO, "connections closed", "reason", conns_reason_name(reason), "count", count,
		  NULL);
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      size_t key_size, const char *value, size_t value_size)
{
	struct link *l = cls;

	(void)kind;
	if (l->nheaders == l->headers_alloc) {
		l->headers_alloc = l->headers_alloc ? 2 * l->headers_alloc : 32;
		l->headers = xreallocarray(l->headers, l->headers_alloc, sizeof(*l->headers));
	}
	l->headers[l->nheaders++] = (struct guard_header){ key, key_size, value, value_size };
	return MHD_YES;
}

/*
 * The request's header fields, in the order received, into l->headers: for
 * the guard, and for header(). They point into libmicrohttpd's memory pool,
 * which holds them until the request ends.
 */
static void collect_headers(struct link *l, struct MHD_Connection *c)
{
	l->nheaders = 0;
	MHD_get_connection_values_n(c, MHD_HEADER_KIND, collect_header, l);
}

/*
 * The first value of the request header field name (len bytes, any case),
 * or NULL, as MHD_lookup_connection_value() finds it, from the fields
 * collect_headers() took: a length compared first, no strlen, no walk of
 * libmicrohttpd's list per field asked (700 instructions a request).
 */
static const char *header_n(const struct link *l, const char *name, size_t len)
{
	for (size_t i = 0; i < l->nheaders; i++)
		if (l->headers[i].name_len == len && ascii_caseeq(l->headers[i].name, len, name, len))
			return l->headers[i].value;
	return NULL;
}

#define header(l, literal) header_n((l), "" literal, sizeof(literal) - 1)

/*
 * The guard (server/guard.h) on the head as libmicrohttpd received it.
 * libmicrohttpd's own strict mode (MHD_OPTION_STRICT_FOR_CLIENT) is off
 * because of how it refuses: a missing Host gets an HTML page (and, in
 * 0.9.75, its status line twice), a space in the target a closed connection
 * with no answer. The guard enforces the same rules, answered in JSON.
 */
static int request_guard(struct exchange *x, struct MHD_Connection *c, const char *method,
			 const char *url, const char *version, const char **why)
{
	const struct config *cfg = x->h->opt.cfg;
	const struct guard_limits limits = {
		.max_uri_size = (size_t)cfg->max_uri_size,
		.max_header_size = (size_t)cfg->max_header_size,
		.max_body_size = (uint64_t)cfg->max_body_size,
	};
	const union MHD_ConnectionInfo *size = MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	const struct link *l = x->link;
	const struct guard_head head = {
		.start = method,
		.len = size ? size->header_size : 0,
		.method = method,
		.target = x->raw_target,
		.target_len = x->target_len,
		.version = version,
	};
	int status;

	status = guard_check(x->target.buf, version, l->headers, l->nheaders, &limits, why);
	/* The URL libmicrohttpd hands the handler is where it was given the target. */
	if (!status && size && url == x->raw_target)
		status = guard_check_layout(&head, l->headers, l->nheaders, why);
	return status;
}

/* Whether libmicrohttpd reads this Content-Length as a number (its own rule, in 0.9.75). */
static int mhd_content_length(const char *v, size_t len, bool *overflow)
{
	uint64_t n = 0;
	size_t i = 0;

	*overflow = false;
	for (; i < len && v[i] >= '0' && v[i] <= '9'; i++) {
		if (n > (UINT64_MAX - (uint64_t)(v[i] - '0')) / 10) {
			*overflow = true;
			return -1;
		}
		n = n * 10 + (uint64_t)(v[i] - '0');
	}
	return i && i == len ? 0 : -1;
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

/*
 * The header fields of an answer but its X-Request-Id, in the order they
 * are sent: written down before the response exists, so that an answer
 * kept from an earlier request (see kept_response()) can be told the same.
 */
#define HEADS_MAX 24
#define HEADS_KEY_MAX 2048

struct heads {
	const char *name[HEADS_MAX];
	const char *value[HEADS_MAX];
	size_t n;
	char etag[ETAG_SIZE];
	char total[24];
	struct strbuf disposition;
};

/* A field with no value is not sent. */
static void heads_add(struct heads *hs, const char *name, const char *value)
{
	if (!value || !*value || hs->n == HEADS_MAX)
		return;
	hs->name[hs->n] = name;
	hs->value[hs->n] = value;
	hs->n++;
}

/* Writes hs down as a key, "name\0value\0" a field; false when it is longer than size. */
static bool heads_key(const struct heads *hs, char *buf, size_t size, size_t *len)
{
	size_t n = 0;

	for (size_t i = 0; i < hs->n; i++) {
		size_t nl = strlen(hs->name[i]) + 1, vl = strlen(hs->value[i]) + 1;

		if (size - n < nl + vl)
			return false;
		memcpy(buf + n, hs->name[i], nl);
		memcpy(buf + n + nl, hs->value[i], vl);
		n += nl + vl;
	}
	*len = n;
	return true;
}

/* Adds hs and the request id to r; false when libmicrohttpd refused one. */
static bool heads_apply(const struct heads *hs, struct MHD_Response *r, const char *request_id)
{
	bool ok = true;

	for (size_t i = 0; i < hs->n; i++)
		ok &= MHD_add_response_header(r, hs->name[i], hs->value[i]) == MHD_YES;
	if (*request_id)
		ok &= MHD_add_response_header(r, "X-Request-Id", request_id) == MHD_YES;
	return ok;
}

/* The header fields res gets, as this request asked for it. */
static void heads_of(struct heads *hs, struct exchange *x, const struct answer *a, bool gzipped)
{
	const struct config *cfg = x->h->opt.cfg;
	const struct response *res = a->res;
	const struct request *req = a->req;

	if (res->status != HTTP_NOT_MODIFIED && res->status != HTTP_NO_CONTENT)
		heads_add(hs, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
	if (res->etag[0] && (res->status == HTTP_OK || res->status == HTTP_CREATED ||
			     res->status == HTTP_NOT_MODIFIED)) {
		/* A gzipped body is another representation, with its own tag. */
		etag_format(hs->etag, res->tag, gzipped);
		heads_add(hs, MHD_HTTP_HEADER_ETAG, res->status == HTTP_NOT_MODIFIED ? res->etag : hs->etag);
	} else if (res->etag[0] && res->status == HTTP_PRECONDITION_FAILED) {
		heads_add(hs, MHD_HTTP_HEADER_ETAG, res->etag);   /* the record's current tag */
	}
	if (res->location.len)
		heads_add(hs, MHD_HTTP_HEADER_LOCATION, res->location.buf);
	heads_add(hs, MHD_HTTP_HEADER_WWW_AUTHENTICATE, res->www_authenticate);
	heads_add(hs, "Accept-Patch", res->accept_patch);
	if (gzipped)
		heads_add(hs, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (res->cache == CACHE_PUBLIC && res->status < 400)
		heads_add(hs, MHD_HTTP_HEADER_CACHE_CONTROL, x->h->cache_control);
	else
		heads_add(hs, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	heads_add(hs, MHD_HTTP_HEADER_VARY, RESPONSE_VARY);
	heads_add(hs, "X-Content-Type-Options", "nosniff");
	if (res->has_total) {
		/* Digits from the end: snprintf's formatting cost 680 instructions a list. */
		char *p = hs->total + sizeof(hs->total) - 1;
		uint64_t v = res->total;

		*p = '\0';
		do
			*--p = (char)('0' + v % 10);
		while (v /= 10);
		heads_add(hs, "X-Total-Count", p);
	}
	heads_add(hs, MHD_HTTP_HEADER_LINK, res->link);
	if (res->attachment.len && res->status == HTTP_OK) {
		/* Handlers make names of letters, digits, '-' and '.': nothing to quote. */
		strbuf_reset(&hs->disposition);
		strbuf_addf(&hs->disposition, "attachment; filename=\"%s\"", res->attachment.buf);
		heads_add(hs, MHD_HTTP_HEADER_CONTENT_DISPOSITION, hs->disposition.buf);
	}
	heads_add(hs, MHD_HTTP_HEADER_ALLOW, res->allow);
	heads_add(hs, MHD_HTTP_HEADER_RETRY_AFTER, res->retry_after);
	if (res->content_type && !strncmp(res->content_type, "text/html", 9))
		heads_add(hs, "Content-Security-Policy", RESPONSE_CSP);
	{
		const char *origin = header(x->link, "Origin");
		bool any;

		if (origin && cors_origin_allowed((const char *const *)cfg->cors_origins,
						  cfg->ncors_origins, origin, &any)) {
			heads_add(hs, "Access-Control-Allow-Origin", any ? "*" : origin);
			heads_add(hs, "Access-Control-Expose-Headers", CORS_EXPOSE);
			if (a->cors_preflight) {
				heads_add(hs, "Access-Control-Allow-Methods", res->allow ? res->allow : ROUTER_ALLOW);
				heads_add(hs, "Access-Control-Allow-Headers",
					  header(x->link, "Access-Control-Request-Headers"));
				heads_add(hs, "Access-Control-Max-Age", RESPONSE_CORS_MAX_AGE);
			}
		}
	}
	/* Framing errors close (a->close); so does every answer once draining starts. */
	if (a->close || (req->serving && req->serving->draining))
		heads_add(hs, MHD_HTTP_HEADER_CONNECTION, "close");
}

/* ---- answers built once per thread (server/replies.h) ---- */

/*
 * What a worker thread keeps: a response over a copy of the bytes, with
 * every header field, and the request id it carries now.
 *
 * Why changing a kept response's X-Request-Id is safe, from libmicrohttpd
 * 0.9.75's source (connection.c, response.c, daemon.c):
 *
 * (a) The daemon runs an epoll pool (MHD_USE_EPOLL_INTERNAL_THREAD with
 *     MHD_OPTION_THREAD_POOL_SIZE): internal_add_connection() gives each
 *     connection to one worker daemon, whose thread it stays with
 *     (connection->pid = daemon->pid; MHD_connection_handle_idle() asserts
 *     MHD_thread_ID_match_current_(connection->pid), and MHD_queue_response()
 *     refuses another thread unless the connection is suspended, which this
 *     server never queues on). The access handler runs inside
 *     MHD_connection_handle_idle(), from call_connection_handler() in state
 *     MHD_CONNECTION_FULL_REQ_RECEIVED; once it has queued a response the
 *     same loop goes on to MHD_CONNECTION_START_REPLY, where
 *     build_header_response() copies the response's header list
 *     (add_user_headers() walks r->first_header) into the connection's own
 *     write buffer, in its memory pool. No socket is touched in between, so
 *     this happens whether the socket is writable or not: the bytes wait in
 *     the write buffer for MHD_connection_handle_write(). A suspended
 *     connection (a write waiting for the writer) is not processed at all;
 *     MHD_resume_connection() only flags it, and the worker that owns it
 *     takes it back in resume_suspended_connections() and calls the access
 *     handler from handle_idle() again, on that same thread. Exports are
 *     streamed, never kept. So a kept response's header list is read only
 *     by the thread that keeps it, and only inside a call that thread made.
 * (b) After build_header_response() nothing reads the list. The keep-alive
 *     decision (keepalive_possible(), from setup_reply_properties()) reads
 *     r->flags and r->flags_auto, which only a Connection, Date or
 *     Transfer-Encoding field changes (none is ever added to a kept
 *     response: an answer that closes is never kept), and the request's own
 *     headers; HEAD and the bodiless statuses are decided in
 *     MHD_queue_response() from the connection (response_write_position);
 *     the only other reader, build_connection_chunked_response_footer(),
 *     runs for chunked answers, and a response from a buffer has a known
 *     size, so it is never chunked. Sending reads the body, which is never
 *     changed.
 * (c) MHD_create_response_from_buffer() starts reference_count at 1: the
 *     table's. MHD_queue_response() adds one for the connection
 *     (MHD_increment_response_rc(), under the response's mutex), and the
 *     connection gives it back with MHD_destroy_response() when the answer
 *     is sent or the connection closes; MHD_destroy_response() frees the
 *     response and the copy of the bytes at the last one. So one response
 *     can be queued on many connections at once, and a slot replaced or
 *     emptied while connections still send it leaves them their reference.
 */
/*
 * That argument is libmicrohttpd 0.9.75's source: built with another
 * version, nothing is kept until someone reads that version's source again.
 */
#define HTTP_KEEPS_RESPONSES (MHD_VERSION == 0x00097500)

struct kept {
	struct MHD_Response *r;
	char id[REQUEST_ID_MAX + 1];
};

static void kept_drop(void *thing)
{
	struct kept *k = thing;

	MHD_destroy_response(k->r);
	free(k);
}

/*
 * The response this thread keeps for body (len bytes of generation's data)
 * with hs, its X-Request-Id set to request_id, built and kept if there is
 * none; borrowed (queue it, do not destroy it). NULL when it cannot be kept:
 * then the caller builds one for this request alone.
 */
static struct MHD_Response *kept_response(struct http *h, uint64_t generation, const char *body,
					  size_t len, const struct heads *hs, const char *request_id)
{
	char buf[HEADS_KEY_MAX];
	struct reply_key key = { generation, body, len, buf, 0 };
	struct MHD_Response *r;
	struct kept *k;

	if (!len || len > REPLIES_MAX_BODY || !heads_key(hs, buf, sizeof(buf), &key.heads_len))
		return NULL;
	k = replies_find(h->replies, &key);
	if (k) {
		if (!strcmp(k->id, request_id))
			return k->r;
		if (k->id[0])
			MHD_del_response_header(k->r, "X-Request-Id", k->id);
		k->id[0] = '\0';
		if (MHD_add_response_header(k->r, "X-Request-Id", request_id) != MHD_YES)
			return NULL;
		copy_cut(k->id, sizeof(k->id), request_id);
		return k->r;
	}
	if (!replies_room(h->replies, &key))
		return NULL; /* the thread's budget is spent: built for this request alone */
	/* A copy of the bytes: what is kept must not keep the snapshot, nor its store. */
	r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return NULL;
	if (!heads_apply(hs, r, request_id)) {
		MHD_destroy_response(r);
		return NULL;
	}
	k = xmalloc(sizeof(*k));
	k->r = r;
	copy_cut(k->id, sizeof(k->id), request_id);
	if (!replies_put(h->replies, &key, k)) {
		free(k);
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

/* Turns res into an MHD response, queues it, and gives up the snapshot reference. */
static enum MHD_Result send_answer(struct exchange *x, struct MHD_Connection *c, struct answer *a)
{
	const struct config *cfg = x->h->opt.cfg;
	const size_t gzip_min = config_gzip_min(cfg);
	struct response *res = a->res;
	const struct request *req = a->req;
	struct MHD_Response *r = NULL;
	const char *body = res->body;
	size_t len = res->len;
	bool gzipped = false, kept = false;
	struct heads hs = { .n = 0 };
	enum MHD_Result rc;
	char *owned = NULL;

	strbuf_init(&hs.disposition, 0);
	/* Any 200 the client already holds becomes a 304, whichever handler made it. */
	if (res->status == HTTP_OK && res->etag[0])
		response_not_modified(req, res, res->tag);
	if (res->status == HTTP_NOT_MODIFIED) {
		body = NULL;
		len = 0;
	}
	if (body && gzip_min && len >= gzip_min && compressible(res->content_type) &&
	    negotiate_gzip(header(x->link, MHD_HTTP_HEADER_ACCEPT_ENCODING))) {
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
	if (res->status == HTTP_OK && body_stream_present(&res->stream) && gzip_min &&
	    compressible(res->content_type) && negotiate_gzip(header(x->link, MHD_HTTP_HEADER_ACCEPT_ENCODING)))
		gzipped = true;   /* gzip on the fly, when it is on at all: any size is worth it */
	heads_of(&hs, x, a, gzipped);

	if (res->status == HTTP_OK && body_stream_present(&res->stream)) {
		struct streamed *s = xcalloc(1, sizeof(*s));

		s->body = res->stream;
		res->stream = (struct body_stream){ 0 };
		if (gzipped) {
			struct body_stream plain = s->body;

			if (body_stream_gzip(&plain, GZIP_LEVEL_PER_REQUEST, &s->body)) {
				/* Sent as it is, then: the fields must say so. */
				gzipped = false;
				hs.n = 0;
				heads_of(&hs, x, a, false);
			}
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
		/*
		 * Bytes rendered at load: a 200 that does not close is answered with
		 * the response this thread built for them before, if it has one.
		 */
		if (HTTP_KEEPS_RESPONSES && res->status == HTTP_OK && req->serving && !a->close &&
		    !req->serving->draining)
			r = kept_response(x->h, req->serving->generation, body, len, &hs, x->id);
		kept = r != NULL;
		/* Borrowed bytes live as long as the snapshot: the response holds it. */
		if (!r) {
			r = MHD_create_response_from_buffer_with_free_callback_cls(
				len, (void *)(uintptr_t)body, release_snapshot, a->snap);
			if (r)
				a->snap = NULL;
		}
	}
	free(owned);
	if (!r) {
		strbuf_release(&hs.disposition);
		return MHD_NO;
	}
	if (!kept)
		heads_apply(&hs, r, x->id);
	strbuf_release(&hs.disposition);

	/* A streamed body (len 0 here) counts its bytes as they go. */
	x->bytes = req->method == HTTP_HEAD ? 0 : len;
	rc = MHD_queue_response(c, (unsigned)res->status, r);
	/* A kept response's own reference stays with its thread's table. */
	if (!kept)
		MHD_destroy_response(r);
	x->answered = rc == MHD_YES;
	x->status = res->status;
	x->writer = res->writer;
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

/* ---- answering on the socket, where libmicrohttpd cannot ---- */

/*
 * Sends a problem on l's socket directly, then shuts the socket's sending
 * side, so that whatever libmicrohttpd queues after it is never sent. For
 * requests libmicrohttpd refuses itself, and for an answer whose head does
 * not fit in what its memory pool has left.
 */
static void answer_direct(struct link *l, int status, const char *detail)
{
	struct exchange *x = &l->x;
	struct request req = { 0 };
	struct strbuf out = STRBUF_INIT;
	struct response res;
	time_t t = time(NULL);
	char date[64];
	struct tm tm;

	if (!x->id[0])
		make_request_id(x->h, x->id);
	req.target = x->active ? x->target.buf : "";
	req.request_id = x->id;
	req.path = "";
	response_init(&res);
	response_problem(&req, &res, status, "%s", detail);
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	strbuf_addf(&out, "HTTP/1.1 %d %s\r\nDate: %s\r\nConnection: close\r\nContent-Type: %s\r\n"
		    "Content-Length: %zu\r\nCache-Control: no-store\r\nX-Request-Id: %s\r\n"
		    "X-Content-Type-Options: nosniff\r\n\r\n",
		    status, http_status_reason(status), date, res.content_type, res.len, x->id);
	strbuf_add(&out, res.body, res.len);
	/* A fresh connection's send buffer holds this at once; a full one gets what fits. */
	(void)!send(l->conn.fd, out.buf, out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	shutdown(l->conn.fd, SHUT_WR);
	metrics_rejected(x->h->opt.metrics);
	x->answered = true;
	x->status = status;
	x->bytes = res.len;
	l->direct = true;
	response_release(&res);
	strbuf_release(&out);
}

#define starts(msg, literal) (!strncmp((msg), (literal), sizeof(literal) - 1))

/* Whether v is digits followed by spaces or tabs ("3 "). */
static bool digits_then_space(const char *v, size_t len)
{
	size_t digits = strspn(v, "0123456789");

	return digits && digits < len && strspn(v + digits, " \t") == len - digits;
}

/*
 * Takes over a refusal libmicrohttpd has just logged, if it is one this
 * server can tie to its connection: the current one, whose own headers show
 * the fault. Returns whether it did (then the message is not logged).
 */
static bool take_over(const char *msg)
{
	struct link *l = current;
	const char *v;
	size_t vlen;
	bool overflow;

	if (!l)
		return false;
	if (l->direct)
		/* libmicrohttpd's own refusal, queued after ours and never sent. */
		return starts(msg, "Error processing request") || starts(msg, "Closing connection") ||
		       starts(msg, "Failed to send");
	if (!l->x.active)
		return false;
	if (starts(msg, "Failed to parse `Content-Length' header") ||
	    starts(msg, "Too large value of 'Content-Length' header")) {
		/*
		 * 0.9.75 sends the head of this refusal twice. Only a connection
		 * whose head is in, with a Content-Length it cannot read and no
		 * Transfer-Encoding, gets this message.
		 */
		if (l->x.started ||
		    MHD_lookup_connection_value_n(l->mhd, MHD_HEADER_KIND, "Transfer-Encoding", 17,
						  NULL, NULL) == MHD_YES ||
		    MHD_lookup_connection_value_n(l->mhd, MHD_HEADER_KIND, "Content-Length", 14, &v,
						  &vlen) != MHD_YES ||
		    !mhd_content_length(v, vlen, &overflow))
			return false;
		if (overflow)
			answer_direct(l, HTTP_CONTENT_TOO_LARGE,
				      "the request body is larger than this server accepts");
		else if (digits_then_space(v, vlen))
			answer_direct(l, HTTP_BAD_REQUEST,
				      "Content-Length has whitespace after its digits: RFC 9110 allows it, "
				      "but libmicrohttpd 0.9.75, which this server runs on, cannot read it");
		else
			answer_direct(l, HTTP_BAD_REQUEST,
				      "Content-Length is not a number of bytes (only digits, no sign)");
		return true;
	}
	if (!strcmp(msg, "Not enough memory in pool to allocate header record!")) {
		/* No client sends a hundred header fields; one that does is this one. */
		if (l->x.started || MHD_get_connection_values(l->mhd, MHD_HEADER_KIND, NULL, NULL) < 100)
			return false;
		answer_direct(l, HTTP_HEADERS_TOO_LARGE,
			      "request headers: more header fields than this server accepts");
		return true;
	}
	if (starts(msg, "Closing connection (failed to create response header)") &&
	    l->x.refused) {
		/* The head of the guard's refusal did not fit in the pool the request filled. */
		answer_direct(l, l->x.refused, l->x.why);
		return true;
	}
	return false;
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
	if (take_over(msg))
		return;
	/* A client that leaves is no fault of the server's. */
	log_event(starts(msg, "Connection was closed by remote side") ||
		  starts(msg, "Connection socket is closed when reading") ||
		  starts(msg, "Socket has been disconnected when reading") ? LOG_DEBUG : LOG_WARN,
		  "libmicrohttpd", "detail", msg, NULL);
}

/* The writer is done with a suspended connection's write (from the writer's thread). */
static void resume_write(void *arg)
{
	struct link *l = arg;

	MHD_resume_connection(l->mhd);
}

/* Answers a write the writer is done with, on the connection resumed for it. */
static enum MHD_Result finish_write(struct exchange *x, struct MHD_Connection *c)
{
	struct request req = { 0 };
	struct response res;
	struct answer a = { &req, &res, NULL, false, false };
	enum MHD_Result rc;

	req.method = http_method_parse(x->method);
	req.target = x->target.buf;
	req.request_id = x->id;
	req.path = "";
	response_init(&res);
	write_finish(&req, &res, x->job);
	rc = send_answer(x, c, &a);
	response_release(&res);
	drop_job(x);
	return rc;
}

static enum MHD_Result serve(struct exchange *x, struct MHD_Connection *c)
{
	struct http *h = x->h;
	/* Decoded path and decoded query live in separate buffers: pointers into one
	 * must not move when the other grows. The connection keeps them between
	 * requests: three allocations fewer per request. */
	struct strbuf *scratch = &x->link->scratch, *qscratch = &x->link->qscratch;
	struct strbuf *raw_path = &x->link->raw_path;
	struct query_param pairs[ROUTER_MAX_QUERY];
	struct request req = { 0 };
	struct response res;
	struct answer a = { &req, &res, NULL, false, false };
	struct route_match m;
	const char *target = x->target.buf, *q, *why = NULL;
	enum MHD_Result rc;
	size_t npairs = 0;

	req.method = http_method_parse(x->method);
	req.target = x->target.buf;
	req.request_id = x->id;
	req.path = "";
	req.raw_query = "";
	req.web = h->opt.web;
	req.metrics = h->opt.metrics;
	req.budget = &h->budget;
	strbuf_reset(scratch);
	strbuf_reset(qscratch);
	strbuf_reset(raw_path);
	response_init(&res);

	if (req.method == HTTP_UNKNOWN) {
		rc = answer_problem(x, c, &req, HTTP_NOT_IMPLEMENTED, false,
				    "method %s is not implemented; this server answers GET, HEAD and OPTIONS",
				    x->method);
		goto out;
	}
	if (req.method == HTTP_CONNECT) {
		rc = answer_problem(x, c, &req, HTTP_NOT_IMPLEMENTED, false,
				    "%s asks for a tunnel, and this server is not a proxy; it answers GET, "
				    "HEAD and OPTIONS", "CONNECT");
		goto out;
	}
	/* An absolute-form target (http://host/path) names the same path. */
	if (target[0] != '/' && (!strncasecmp(target, "http://", 7) || !strncasecmp(target, "https://", 8))) {
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
	if (target[0] != '/') {
		rc = answer_problem(x, c, &req, HTTP_BAD_REQUEST, false,
				    "the request target is neither a path starting with '/' nor an %s URL",
				    "http");
		goto out;
	}
	q = strchr(target, '?');
	strbuf_add(raw_path, target, q ? (size_t)(q - target) : strlen(target));
	if (q) {
		char *hash = strchr(q + 1, '#');

		req.raw_query = q + 1;
		if (hash)
			*hash = '\0'; /* a fragment is never sent by a browser; drop one sent anyway */
	}
	switch (router_match(raw_path->buf, &m, scratch, &why)) {
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
	req.writes = h->opt.writes;
	if (write_method(req.method)) {
		req.authorization = header(x->link, MHD_HTTP_HEADER_AUTHORIZATION);
		req.content_type = header(x->link, MHD_HTTP_HEADER_CONTENT_TYPE);
		req.if_match = header(x->link, MHD_HTTP_HEADER_IF_MATCH);
		req.idempotency_key = header(x->link, "Idempotency-Key");
		req.body = x->keep_body ? x->body_buf.buf : NULL;
		req.body_len = x->keep_body ? x->body_buf.len : 0;
		x->job = write_begin(&req, &res);
		if (!x->job) {
			rc = send_answer(x, c, &a);
			goto out;
		}
		/*
		 * The writer may take a while (a sync, a group before this one): the
		 * connection waits suspended, not this thread, which serves its other
		 * connections meanwhile. Suspended first, so that the writer's resume
		 * cannot come before it; the answer is sent when libmicrohttpd calls
		 * us again (finish_write()).
		 */
		MHD_suspend_connection(c);
		atomic_fetch_add(&h->writing, 1);
		h->opt.writes->submit_async(h->opt.writes, x->job, resume_write, x->link);
		rc = MHD_YES;
		goto out;
	}
	if (req.method != HTTP_GET && req.method != HTTP_HEAD && req.method != HTTP_OPTIONS) {
		response_method_not_allowed(&req, &res, h->opt.writes ? write_allow(m.route) : ROUTER_ALLOW);
		rc = send_answer(x, c, &a);
		goto out;
	}
	if ((why = router_parse_query(req.raw_query, qscratch, pairs, &npairs))) {
		rc = answer_problem(x, c, &req, HTTP_BAD_REQUEST, false, "the query has %s", why);
		goto out;
	}
	req.query = pairs;
	req.nquery = npairs;
	req.if_none_match = header(x->link, MHD_HTTP_HEADER_IF_NONE_MATCH);

	a.snap = snapshot_acquire(h->opt.snapshots);
	req.serving = snapshot_serving(a.snap);
	if (req.method == HTTP_OPTIONS) {
		res.status = HTTP_NO_CONTENT;
		res.allow = h->opt.writes ? write_allow(m.route) : ROUTER_ALLOW;
		res.cache = CACHE_NO_STORE;
		a.cors_preflight = header(x->link, "Access-Control-Request-Method") &&
				   cors_headers_allowed_for(header(x->link, "Access-Control-Request-Headers"),
							    h->opt.writes != NULL);
		rc = send_answer(x, c, &a);
		goto out;
	}
	req.accept = header(x->link, MHD_HTTP_HEADER_ACCEPT);
	if (!route_negotiates(m.route) && !negotiate_accepts(req.accept, m.route->media)) {
		response_problem(&req, &res, HTTP_NOT_ACCEPTABLE,
				 "this resource is %s, which the Accept header excludes", m.route->media);
		rc = send_answer(x, c, &a);
		goto out;
	}
	m.route->get(&req, &res);
	/* A route of files of many types (the dashboard's) is negotiated on the file found. */
	if (res.status == HTTP_OK && !strcmp(m.route->media, "*/*") &&
	    !negotiate_accepts(header(x->link, MHD_HTTP_HEADER_ACCEPT), res.content_type)) {
		const char *type = res.content_type;

		response_problem(&req, &res, HTTP_NOT_ACCEPTABLE,
				 "this file is %.*s, which the Accept header excludes",
				 (int)strcspn(type, ";"), type);
	}
	rc = send_answer(x, c, &a);
out:
	snapshot_release(a.snap);
	response_release(&res);
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

	if (!x)
		return MHD_NO; /* the URI callback always runs first; nothing to answer with */
	current = x->link;
	if (!x->started) {
		const char *id, *ua;

		collect_headers(x->link, c);
		id = header(x->link, "X-Request-Id");
		ua = header(x->link, MHD_HTTP_HEADER_USER_AGENT);
		x->started = true;
		atomic_fetch_add(&h->in_flight, 1);
		copy_cut(x->method, sizeof(x->method), method);
		if (id && sane_request_id(id))
			copy_cut(x->id, sizeof(x->id), id);
		else
			make_request_id(h, x->id);
		if (ua) {
			copy_cut(x->user_agent, sizeof(x->user_agent), ua);
			x->has_user_agent = true;
		}
		status = request_guard(x, c, method, url, version, &why);
		if (status) {
			req.target = x->target.buf;
			req.request_id = x->id;
			req.path = "";
			x->refused = status;
			x->why = why;
			conn_enter(&x->link->conn, CONN_BUSY);
			metrics_rejected(h->opt.metrics);
			return answer_problem(x, c, &req, status, true, "%s", why);
		}
		x->keep_body = h->opt.writes && write_method(http_method_parse(method));
		/* A body is announced by Content-Length or Transfer-Encoding (the guard allows one). */
		conn_enter(&x->link->conn, header(x->link, MHD_HTTP_HEADER_CONTENT_LENGTH) ||
				    header(x->link, MHD_HTTP_HEADER_TRANSFER_ENCODING) ? CONN_BODY : CONN_BUSY);
		return MHD_YES;
	}
	if (*upload_data_size) {
		uint64_t max = (uint64_t)h->opt.cfg->max_body_size;

		x->body += *upload_data_size;
		conn_body(&x->link->conn, *upload_data_size);
		x->too_large = x->body > max;
		if (x->keep_body && !x->too_large)
			strbuf_add(&x->body_buf, upload_data, *upload_data_size);
		*upload_data_size = 0;
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
	if (x->job)
		return finish_write(x, c);
	conn_enter(&x->link->conn, CONN_BUSY);
	if (x->too_large) {
		req.target = x->target.buf;
		req.request_id = x->id;
		req.path = "";
		metrics_rejected(h->opt.metrics);
		return answer_problem(x, c, &req, HTTP_CONTENT_TOO_LARGE, true, "%s",
				      "the request body is larger than this server accepts");
	}
	return serve(x, c);
}

/* libmicrohttpd decodes the path in place; this server routes its own copy of the target. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

size_t http_pool_size(const struct config *cfg)
{
	/*
	 * The whole head at the limit and 8 KiB more: heads somewhat past the
	 * limit still get the guard's 414/431 in JSON, and the answer's head fits
	 * beside them. libmicrohttpd 0.9.75 zeroes the whole pool between two
	 * requests (MHD_pool_reset), then what its read buffer, half the pool,
	 * does not use when it shrinks it: one and a half times the pool a request.
	 * (96 KiB here cost 3.5 µs more a request than 32 KiB; the default 8 KiB
	 * limit, 16 KiB of pool, zeroes 24 KB a request where 16 KiB zeroed 37 KB.)
	 */
	return (size_t)cfg->max_header_size + 8192;
}

struct http *http_start(const struct http_options *opt, struct strbuf *err)
{
	const struct config *cfg = opt->cfg;
	struct http *h = xcalloc(1, sizeof(*h));
	const struct conns_limits limits = {
		.header_timeout_ms = (uint64_t)cfg->header_timeout * 1000,
		.min_body_rate = (uint64_t)cfg->min_body_rate,
	};
	struct sockaddr_in6 sa6 = { 0 };
	struct sockaddr_in sa4 = { 0 };
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME;
	const union MHD_DaemonInfo *info;

	h->opt = *opt;
	h->budget.max_scan = (uint64_t)cfg->max_scan;
	h->budget.max_expensive = (unsigned)cfg->max_expensive_queries;
	h->gz = gzcache_new(HTTP_GZCACHE_BYTES);
	h->replies = replies_new(kept_drop);
	snprintf(h->cache_control, sizeof(h->cache_control), "public, max-age=%lld",
		 (long long)cfg->cache_max_age);
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
	h->conns = conns_start(&limits, on_watch, h, err);
	if (!h->conns)
		goto fail;
	h->daemon = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_request, h,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, h,    /* first, or MHD warns */
		MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->max_connections_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->idle_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, http_pool_size(cfg),
		MHD_OPTION_STRICT_FOR_CLIENT, (int)0,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
		MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, h,
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
	conns_stop(h->conns);
	gzcache_free(h->gz);
	replies_free(h->replies);
	free(h);
	return NULL;
}

uint16_t http_port(const struct http *h)
{
	return h->port;
}

void http_quiesce(struct http *h)
{
	MHD_socket fd;

	/* Once: a second MHD_quiesce_daemon() hands back the same, closed, socket number. */
	if (h->quiesced)
		return;
	h->quiesced = true;
	fd = MHD_quiesce_daemon(h->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

unsigned http_in_flight(const struct http *h)
{
	return atomic_load(&((struct http *)(uintptr_t)h)->in_flight);
}

int http_add_connection(struct http *h, int fd, const struct sockaddr *addr, size_t addrlen)
{
	return MHD_add_connection(h->daemon, fd, addr, (socklen_t)addrlen) == MHD_YES ? 0 : -1;
}

void http_stop(struct http *h)
{
	uint64_t until;

	if (!h)
		return;
	/*
	 * libmicrohttpd 0.9.75 queues nothing once it is stopping, yet goes on to
	 * build the head of an error answer it was making: a thread refusing a
	 * request at that moment dereferences NULL. So connections are closed
	 * first, each by its own thread, with no new ones (bounded: 1 s).
	 */
	http_quiesce(h);
	/* libmicrohttpd must not stop with a connection suspended: the writer finishes their writes. */
	until = now_ns() + 10000000000ull;
	while (atomic_load(&h->writing) && now_ns() < until)
		poll(NULL, 0, 5);
	until = now_ns() + 1000000000ull;
	while (conns_close_all(h->conns) && now_ns() < until)
		poll(NULL, 0, 5);
	MHD_stop_daemon(h->daemon);
	/* Every connection is closed, and so removed from the watcher. */
	conns_stop(h->conns);
	gzcache_free(h->gz);
	/* The worker threads are gone, and every connection has let go of what they kept. */
	replies_free(h->replies);
	free(h);
}
