/*
 * response: the JSON and problem helpers (see response.h).
 */
#include "handlers/response.h"

#include <stdarg.h>
#include <string.h>

#include "lib/check.h"
#include "lib/jsonw.h"

void response_init(struct response *res)
{
	memset(res, 0, sizeof(*res));
	res->status = HTTP_OK;
	strbuf_init(&res->owned, 0);
	strbuf_init(&res->link_buf, 0);
	strbuf_init(&res->location, 0);
	strbuf_init(&res->attachment, 0);
}

void response_release(struct response *res)
{
	strbuf_release(&res->owned);
	strbuf_release(&res->link_buf);
	strbuf_release(&res->location);
	strbuf_release(&res->attachment);
	body_stream_free(&res->stream);
}

void response_blob(struct response *res, const struct blob *b)
{
	res->status = HTTP_OK;
	res->content_type = b->content_type;
	res->body = b->bytes;
	res->len = b->len;
	res->gz = b->gz;
	res->gz_len = b->gz_len;
	res->cache = CACHE_PUBLIC;
	res->tag = b->tag;
	etag_format(res->etag, b->tag, false);
}

void response_json_borrowed(struct response *res, const char *json, size_t len, uint64_t tag)
{
	res->status = HTTP_OK;
	res->content_type = MEDIA_JSON;
	res->body = json;
	res->len = len;
	res->cache = CACHE_PUBLIC;
	res->tag = tag;
	etag_format(res->etag, tag, false);
}

void response_json_owned(struct response *res, struct strbuf *body, uint64_t tag)
{
	strbuf_release(&res->owned);
	res->owned = *body;
	strbuf_init(body, 0);
	response_json_borrowed(res, res->owned.buf, res->owned.len, tag);
}

void response_list(struct response *res, struct strbuf *body, uint64_t tag, uint64_t total,
		   struct strbuf *link)
{
	response_list_as(res, MEDIA_JSON, body, tag, total, link);
}

void response_list_as(struct response *res, const char *content_type, struct strbuf *body,
		      uint64_t tag, uint64_t total, struct strbuf *link)
{
	response_media_owned(res, content_type, body, tag);
	res->has_total = true;
	res->total = total;
	strbuf_release(&res->link_buf);
	res->link_buf = *link;
	strbuf_init(link, 0);
	res->link = res->link_buf.len ? res->link_buf.buf : NULL;
}

void response_stream(struct response *res, const char *content_type, struct body_stream *s,
		     uint64_t tag, uint64_t total)
{
	response_json_borrowed(res, NULL, 0, tag);
	res->content_type = content_type;
	res->has_total = true;
	res->total = total;
	body_stream_free(&res->stream);
	res->stream = *s;
	*s = (struct body_stream){ 0 };
}

void response_attachment(struct response *res, const char *filename)
{
	strbuf_reset(&res->attachment);
	strbuf_addstr(&res->attachment, filename);
}

void response_list_blob(struct response *res, const struct blob *b, uint64_t total,
			const char *link)
{
	response_blob(res, b);
	res->has_total = true;
	res->total = total;
	/* The site's: it lives as long as the snapshot the request holds. Copying it cost a malloc. */
	res->link = link;
}

void response_media_owned(struct response *res, const char *content_type, struct strbuf *body,
			  uint64_t tag)
{
	response_json_owned(res, body, tag);
	res->content_type = content_type;
}

void response_owned(struct response *res, struct strbuf *body, const char *content_type)
{
	response_json_owned(res, body, hash_bytes(HASH_SEED, body->buf, body->len));
	res->content_type = content_type;
}

void response_no_store(struct response *res)
{
	res->cache = CACHE_NO_STORE;
}

bool response_not_modified(const struct request *req, struct response *res, uint64_t tag)
{
	char plain[ETAG_SIZE], gz[ETAG_SIZE];

	if (!req->if_none_match)
		return false;
	etag_format(plain, tag, false);
	etag_format(gz, tag, true);
	/* Either representation's tag names the same data; the 304 repeats the one the client holds. */
	if (etag_list_matches(req->if_none_match, gz))
		memcpy(res->etag, gz, ETAG_SIZE);
	else if (etag_list_matches(req->if_none_match, plain))
		memcpy(res->etag, plain, ETAG_SIZE);
	else
		return false;
	res->status = HTTP_NOT_MODIFIED;
	res->body = NULL;
	res->len = 0;
	/*
	 * The 200's caching policy stands (RFC 9110, 15.4.5). A list's count and
	 * links are left out: the filtered ones are answered before the list is
	 * run, so no 304 carries them, and a cache keeps those it stored.
	 */
	res->has_total = false;
	res->link = NULL;
	res->tag = tag;
	return true;
}

/* Starts a problem object; the caller adds members and closes it. */
static void problem_begin(const struct request *req, struct response *res, struct jsonw *w,
			  int status, const char *detail)
{
	strbuf_reset(&res->owned);
	jsonw_init(w, &res->owned, false);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "type", "about:blank");
	jsonw_kv_string(w, "title", http_status_reason(status));
	jsonw_kv_int(w, "status", status);
	jsonw_kv_string(w, "detail", detail);
	/* The target names the occurrence; a huge one (a 414) is cut to stay readable. */
	if (strlen(req->target) > 512) {
		struct strbuf cut = STRBUF_INIT;

		strbuf_add(&cut, req->target, 509);
		strbuf_addstr(&cut, "...");
		jsonw_kv_string(w, "instance", cut.buf);
		strbuf_release(&cut);
	} else {
		jsonw_kv_string(w, "instance", req->target);
	}
	if (req->request_id)
		jsonw_kv_string(w, "request_id", req->request_id);
}

static void problem_end(struct response *res, struct jsonw *w, int status)
{
	jsonw_object_end(w);
	jsonw_release(w);
	res->status = status;
	res->content_type = MEDIA_PROBLEM;
	res->body = res->owned.buf;
	res->len = res->owned.len;
	res->gz = NULL;
	res->gz_len = 0;
	res->etag[0] = '\0';
	res->cache = CACHE_NO_STORE;
	res->has_total = false;
	res->link = NULL;
	strbuf_reset(&res->attachment);
	body_stream_free(&res->stream);
}

static void vproblem(const struct request *req, struct response *res, int status,
		     const char *fmt, va_list ap)
{
	struct strbuf detail = STRBUF_INIT;
	struct jsonw w;

	strbuf_vaddf(&detail, fmt, ap);
	problem_begin(req, res, &w, status, detail.buf);
	problem_end(res, &w, status);
	strbuf_release(&detail);
}

void response_problem(const struct request *req, struct response *res, int status,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(req, res, status, fmt, ap);
	va_end(ap);
}

void response_unavailable(const struct request *req, struct response *res, const char *retry_after,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(req, res, HTTP_SERVICE_UNAVAILABLE, fmt, ap);
	va_end(ap);
	res->retry_after = retry_after;
}

void response_query_problem(const struct request *req, struct response *res,
			    const struct query_error *err)
{
	struct jsonw w;

	problem_begin(req, res, &w, HTTP_BAD_REQUEST, err->detail.buf);
	jsonw_kv_string(&w, "parameter", err->param);
	if (err->nallowed) {
		jsonw_key(&w, "allowed");
		jsonw_strings(&w, err->allowed, err->nallowed);
	}
	problem_end(res, &w, HTTP_BAD_REQUEST);
}

void response_method_not_allowed(const struct request *req, struct response *res,
				 const char *allow)
{
	const char *name = http_method_name(req->method);

	response_problem(req, res, HTTP_METHOD_NOT_ALLOWED, "%s is not allowed on %s; allowed: %s",
			 name ? name : "this method", req->path, allow);
	res->allow = allow;
}

void response_written(struct response *res, int status, const char *json, size_t len,
		      uint64_t tag, const char *location)
{
	strbuf_reset(&res->owned);
	strbuf_add(&res->owned, json, len);
	response_json_borrowed(res, res->owned.buf, res->owned.len, tag);
	res->status = status;
	res->cache = CACHE_NO_STORE;
	strbuf_reset(&res->location);
	if (location)
		strbuf_addstr(&res->location, location);
}

void response_invalid(const struct request *req, struct response *res, const struct check *c,
		      const char *fmt, ...)
{
	struct strbuf detail = STRBUF_INIT;
	struct jsonw w;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&detail, fmt, ap);
	va_end(ap);
	problem_begin(req, res, &w, HTTP_UNPROCESSABLE_CONTENT, detail.buf);
	jsonw_key(&w, "errors");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < c->nerrors; i++) {
		jsonw_object_begin(&w);
		jsonw_kv_string(&w, "pointer", c->errors[i].pointer);
		jsonw_kv_string(&w, "detail", c->errors[i].detail);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	if (c->dropped)
		jsonw_kv_int(&w, "errors_not_listed", (int64_t)c->dropped);
	problem_end(res, &w, HTTP_UNPROCESSABLE_CONTENT);
	strbuf_release(&detail);
}
