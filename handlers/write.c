/*
 * write: the write methods, on the request's thread and in the writer's batch (see write.h).
 */
#include "handlers/write.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers/response.h"
#include "handlers/route.h"
#include "lib/etag.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/mem.h"
#include "lib/mergepatch.h"
#include "lib/text.h"
#include "lib/tokens.h"

#define MEDIA_MERGE_PATCH "application/merge-patch+json"
#define ALLOW_READ "GET, HEAD, OPTIONS"

const char *write_kind_name(enum write_kind k)
{
	switch (k) {
	case WRITE_CREATE: return "create";
	case WRITE_REPLACE: return "replace";
	case WRITE_PATCH: return "patch";
	case WRITE_DELETE: return "delete";
	}
	return "?";
}

void write_job_init(struct write_job *j)
{
	memset(j, 0, sizeof(*j));
	strbuf_init(&j->detail, 0);
	strbuf_init(&j->json, 0);
	strbuf_init(&j->key, 0);
	check_init_collect(&j->check);
}

void write_job_release(struct write_job *j)
{
	for (size_t i = 0; i < sizeof(j->owned) / sizeof(j->owned[0]); i++)
		free(j->owned[i]);
	cJSON_Delete(j->owned_body);
	strbuf_release(&j->detail);
	strbuf_release(&j->json);
	strbuf_release(&j->key);
	check_release(&j->check);
}

bool write_method(enum http_method m)
{
	return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH || m == HTTP_DELETE;
}

/* Whether the route's records are a collection of the store that writes change. */
static bool writable(const struct route *route)
{
	return route && route->resource && store_which(route->resource) < STORE_NCOLLECTIONS &&
	       (route->kind == ROUTE_LIST || route->kind == ROUTE_RECORD);
}

const char *write_allow(const struct route *route)
{
	if (!writable(route))
		return ALLOW_READ;
	return route->kind == ROUTE_LIST ? WRITE_ALLOW_LIST : WRITE_ALLOW_RECORD;
}

/* ---- in the writer's batch ---- */

static int fail(struct write_job *j, int status, const char *fmt, const char *a, const char *b)
{
	j->status = status;
	strbuf_addf(&j->detail, fmt, a, b);
	return -1;
}

/* The key member of a record body, when it is a string; else NULL. */
static const char *body_key(const struct resource *res, const cJSON *body)
{
	const cJSON *k = cJSON_IsObject(body) ? cJSON_GetObjectItemCaseSensitive(body, res->key) : NULL;

	return cJSON_IsString(k) ? k->valuestring : NULL;
}

static bool same_key(const struct resource *res, const char *a, const char *b)
{
	return res->key_casefold ? ascii_caseeq(a, strlen(a), b, strlen(b)) : !strcmp(a, b);
}

static int put(struct store_batch *b, struct write_job *j, const cJSON *v, int status)
{
	const struct resource *res = store_resource(j->which);
	struct store_record r;

	if (store_batch_put(b, j->which, v, &j->check, &r)) {
		j->status = HTTP_UNPROCESSABLE_CONTENT;
		strbuf_addf(&j->detail, "the %s breaks %zu rule%s of the data (see errors)",
			    res->singular, j->check.nerrors + j->check.dropped,
			    j->check.nerrors + j->check.dropped == 1 ? "" : "s");
		return -1;
	}
	strbuf_add(&j->json, r.json, r.len);
	strbuf_addstr(&j->key, r.key);
	j->etag = r.etag;
	j->status = status;
	return 0;
}

int write_apply(struct store_batch *b, struct write_job *j)
{
	const struct resource *res = store_resource(j->which);
	struct store_record cur;
	const char *key;
	bool exists = false;
	int rc;

	if (j->kind == WRITE_CREATE) {
		key = body_key(res, j->body);
		if (key && store_batch_get(b, j->which, key, strlen(key), &cur))
			return fail(j, HTTP_CONFLICT, "%s already exists; PUT or PATCH its URL to change it",
				    cur.key, "");
		return put(b, j, j->body, HTTP_CREATED);
	}
	exists = store_batch_get(b, j->which, j->id, strlen(j->id), &cur);
	if (!exists) {
		j->status = HTTP_NOT_FOUND;
		strbuf_addf(&j->detail, "no %s \"%s\"%s", res->singular, j->id,
			    j->kind == WRITE_DELETE ? "" : "; POST to the collection creates one");
		return -1;
	}
	if (!etag_if_match(j->if_match, exists, cur.etag)) {
		char tag[ETAG_SIZE];

		etag_format(tag, cur.etag, false);
		j->status = HTTP_PRECONDITION_FAILED;
		j->etag = cur.etag;
		strbuf_addf(&j->detail, "If-Match does not match the %s's current ETag %s: it changed since "
			    "it was read; GET it again and redo the change", res->singular, tag);
		return -1;
	}
	if (j->kind == WRITE_DELETE) {
		if (store_batch_delete(b, j->which, j->id, strlen(j->id), &j->detail)) {
			j->status = HTTP_CONFLICT;
			return -1;
		}
		strbuf_addstr(&j->key, j->id);
		j->status = HTTP_NO_CONTENT;
		return 0;
	}
	if (j->kind == WRITE_REPLACE) {
		key = body_key(res, j->body);
		if (key && !same_key(res, key, j->id)) {
			size_t mark = check_enter_key(&j->check, res->key);

			check_fail(&j->check, "\"%s\" differs from the %s in the URL, \"%s\": a record's %s "
				   "cannot change", key, res->key, j->id, res->key);
			check_leave(&j->check, mark);
			return fail(j, HTTP_UNPROCESSABLE_CONTENT, "the %s%s cannot change (see errors)",
				    res->singular, "'s key");
		}
		return put(b, j, j->body, HTTP_OK);
	}
	/* PATCH: the patch over the record as it is served, then the same rules as a PUT. */
	{
		cJSON *target = cJSON_ParseWithLength(cur.json, cur.len), *merged;

		merged = mergepatch_apply(target, j->body);
		cJSON_Delete(target);
		key = body_key(res, merged);
		if (!key || !same_key(res, key, cur.key)) {
			size_t mark = check_enter_key(&j->check, res->key);

			check_fail(&j->check, "the patch %s the %s \"%s\": a record's %s cannot change",
				   key ? "changes" : "removes", res->key, cur.key, res->key);
			check_leave(&j->check, mark);
			cJSON_Delete(merged);
			return fail(j, HTTP_UNPROCESSABLE_CONTENT, "the %s%s cannot change (see errors)",
				    res->singular, "'s key");
		}
		rc = put(b, j, merged, HTTP_OK);
		cJSON_Delete(merged);
		return rc;
	}
}

/* ---- on the request's thread ---- */

/* The media type of a Content-Type value, without parameters; whether it is type (any case). */
static bool media_is(const char *v, const char *type)
{
	size_t n = strlen(type);
	const char *p;

	while (*v == ' ' || *v == '\t')
		v++;
	if (strncasecmp(v, type, n))
		return false;
	p = v + n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return true;
	if (*p != ';')
		return false;
	/* A charset, if given, is UTF-8: JSON is (RFC 8259). */
	for (p++; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (!strncasecmp(p, "charset=", 8)) {
			const char *c = p + 8;

			if (*c == '"')
				c++;
			if (strncasecmp(c, "utf-8", 5))
				return false;
		}
		p += strcspn(p, ";");
	}
	return true;
}

/* The token of an Authorization header "Bearer TOKEN", or NULL. */
static const char *bearer(const char *v, size_t *len)
{
	if (!v || strncasecmp(v, "Bearer ", 7))
		return NULL;
	for (v += 7; *v == ' '; v++)
		;
	*len = strcspn(v, " \t");
	if (!*len || v[*len])
		return NULL;
	return v;
}

/* Refuses a request without a known token: 401 with the challenge (RFC 6750). */
static bool authorized(const struct request *req, struct response *res, const char **name)
{
	size_t len = 0;
	const char *tok = bearer(req->authorization, &len);

	*name = tok ? tokens_verify(req->writes->tokens, tok, len) : NULL;
	if (*name)
		return true;
	if (!req->authorization) {
		response_problem(req, res, HTTP_UNAUTHORIZED, "writes need a token: send Authorization: "
				 "Bearer TOKEN (attache --new-token NAME makes one)");
		res->www_authenticate = "Bearer realm=\"attache\"";
	} else if (!tok) {
		response_problem(req, res, HTTP_UNAUTHORIZED, "the Authorization header is not "
				 "\"Bearer TOKEN\"");
		res->www_authenticate = "Bearer realm=\"attache\", error=\"invalid_request\"";
	} else {
		/* The token is never repeated: not in the answer, not in the log. */
		response_problem(req, res, HTTP_UNAUTHORIZED, "the token is not one of this server's");
		res->www_authenticate = "Bearer realm=\"attache\", error=\"invalid_token\"";
	}
	return false;
}

static bool key_ok(const char *k)
{
	size_t n = 0;

	for (; k[n]; n++)
		if ((unsigned char)k[n] <= ' ' || (unsigned char)k[n] >= 0x7f)
			return false;
	return n && n <= WRITE_MAX_IDEMPOTENCY_KEY;
}

/* Checks the body's media type and parses it; false after answering 415 or 400. */
static bool read_body(const struct request *req, struct response *res, cJSON **out)
{
	const bool patch = req->method == HTTP_PATCH;
	const char *want = patch ? MEDIA_MERGE_PATCH : "application/json";
	struct strbuf err = STRBUF_INIT;

	*out = NULL;
	if (!req->content_type || !media_is(req->content_type, want)) {
		response_problem(req, res, HTTP_UNSUPPORTED_MEDIA_TYPE,
				 "%s takes a body of Content-Type %s (UTF-8); got %s",
				 http_method_name(req->method), want,
				 req->content_type ? req->content_type : "none");
		if (patch)
			res->accept_patch = MEDIA_MERGE_PATCH;
		return false;
	}
	if (!req->body || !req->body_len) {
		response_problem(req, res, HTTP_BAD_REQUEST, "the request has no body; %s takes %s",
				 http_method_name(req->method), patch ? "a merge patch" : "a record");
		return false;
	}
	*out = json_parse(req->body, req->body_len, "the body", &err);
	if (!*out) {
		response_problem(req, res, HTTP_BAD_REQUEST, "%s", err.buf);
		strbuf_release(&err);
		return false;
	}
	strbuf_release(&err);
	return true;
}

/* Duplicate keys: the strict reader accepts them (a data file's are reported by the loader). */
static bool duplicate_key(const cJSON *v, struct strbuf *where)
{
	const cJSON *a, *b;

	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return false;
	cJSON_ArrayForEach(a, v) {
		if (cJSON_IsObject(v))
			for (b = a->next; b; b = b->next)
				if (!strcmp(a->string, b->string)) {
					strbuf_addf(where, "\"%s\"", a->string);
					return true;
				}
		if (duplicate_key(a, where))
			return true;
	}
	return false;
}

struct write_job *write_begin(const struct request *req, struct response *res)
{
	const struct route *route = req->route;
	const bool list = route && route->kind == ROUTE_LIST;
	struct strbuf dup = STRBUF_INIT;
	struct write_job *j;
	cJSON *body = NULL;
	const char *name;

	if (!req->writes) {
		response_method_not_allowed(req, res, ALLOW_READ);
		if (writable(route)) {
			strbuf_reset(&res->owned);
			response_problem(req, res, HTTP_METHOD_NOT_ALLOWED,
					 "%s is not allowed on %s: writes are off. Start attache with "
					 "--data FILE and --tokens FILE to turn them on",
					 http_method_name(req->method), req->path);
			res->allow = ALLOW_READ;
		}
		return NULL;
	}
	if (!writable(route) || (list && req->method != HTTP_POST) ||
	    (!list && req->method == HTTP_POST)) {
		response_method_not_allowed(req, res, write_allow(route));
		return NULL;
	}
	if (!authorized(req, res, &name))
		return NULL;
	res->writer = name;
	if (req->idempotency_key && (req->method != HTTP_POST || !key_ok(req->idempotency_key))) {
		response_problem(req, res, HTTP_BAD_REQUEST, "%s",
				 req->method != HTTP_POST ? "Idempotency-Key goes with POST; PUT, PATCH and "
				 "DELETE are idempotent already (with If-Match)" : "Idempotency-Key is 1 to 255 "
				 "visible ASCII characters");
		return NULL;
	}
	if (req->method != HTTP_POST && !req->if_match) {
		response_problem(req, res, HTTP_PRECONDITION_REQUIRED,
				 "%s needs If-Match with the record's ETag (from a GET), so that no "
				 "change made since is overwritten unseen; If-Match: * takes any",
				 http_method_name(req->method));
		return NULL;
	}
	if (req->method != HTTP_DELETE) {
		if (!read_body(req, res, &body))
			return NULL;
		if (duplicate_key(body, &dup)) {
			response_problem(req, res, HTTP_BAD_REQUEST, "the body has the key %s twice in "
					 "one object", dup.buf);
			strbuf_release(&dup);
			cJSON_Delete(body);
			return NULL;
		}
	}
	/* The job owns copies of what it needs: it may outlive the request's buffers. */
	j = xcalloc(1, sizeof(*j));
	write_job_init(j);
	j->kind = req->method == HTTP_POST ? WRITE_CREATE : req->method == HTTP_PUT ? WRITE_REPLACE
		  : req->method == HTTP_PATCH ? WRITE_PATCH : WRITE_DELETE;
	j->which = store_which(route->resource);
	j->id = list ? NULL : (j->owned[0] = xstrdup(req->params[0]));
	j->body = j->owned_body = body;
	j->if_match = req->if_match ? (j->owned[1] = xstrdup(req->if_match)) : NULL;
	j->writer = name;
	j->idempotency_key = req->idempotency_key ? (j->owned[2] = xstrdup(req->idempotency_key)) : NULL;
	j->body_hash = hash_bytes(HASH_SEED, req->body, req->body_len);
	return j;
}

void write_finish(const struct request *req, struct response *res, const struct write_job *j)
{
	struct strbuf location = STRBUF_INIT;

	switch (j->status) {
	case HTTP_CREATED:
	case HTTP_OK:
		strbuf_addf(&location, "/api/v1/%s/%s", store_resource(j->which)->name, j->key.buf);
		response_written(res, j->status, j->json.buf, j->json.len, j->etag,
				 j->status == HTTP_CREATED ? location.buf : NULL);
		break;
	case HTTP_NO_CONTENT:
		res->status = HTTP_NO_CONTENT;
		res->cache = CACHE_NO_STORE;
		break;
	case HTTP_UNPROCESSABLE_CONTENT:
		response_invalid(req, res, &j->check, "%s", j->detail.buf);
		break;
	case HTTP_SERVICE_UNAVAILABLE:
		response_unavailable(req, res, j->retry_after ? j->retry_after : "1", "%s", j->detail.buf);
		break;
	default:
		response_problem(req, res, j->status, "%s", j->detail.buf);
		/* A 412 tells the current ETag, to save the client a GET it may not need. */
		if (j->status == HTTP_PRECONDITION_FAILED)
			etag_format(res->etag, j->etag, false);
		break;
	}
	res->writer = j->writer;
	strbuf_release(&location);
}

void write_job_free(struct write_job *j)
{
	if (!j)
		return;
	write_job_release(j);
	free(j);
}

void handle_write(const struct request *req, struct response *res)
{
	struct write_job *j = write_begin(req, res);

	if (!j)
		return;
	req->writes->submit(req->writes, j);
	write_finish(req, res, j);
	write_job_free(j);
}
