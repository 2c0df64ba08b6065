/*
 * client: libcurl requests and reply checks for the tests (see client.h).
 */
#include "tests/support/client.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <criterion/criterion.h>

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, data, size * n);
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct strbuf *h = arg;

	/* A new status line starts a new response (after a 100 Continue): keep the last. */
	if (size * n > 5 && !strncmp(data, "HTTP/", 5))
		strbuf_reset(h);
	strbuf_add(h, data, size * n);
	return size * n;
}

void client_suite_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	srandom((unsigned)getpid());
}

void client_suite_fini(void)
{
	curl_global_cleanup();
}

void client_init(struct client *c)
{
	c->curl = curl_easy_init();
	cr_assert_not_null(c->curl);
}

void client_release(struct client *c)
{
	curl_easy_cleanup(c->curl);
}

static void perform(struct client *c, const char *method, const char *url,
		    const char *const *headers, const char *body, size_t len, bool decode,
		    struct reply *r)
{
	struct curl_slist *list = NULL;
	CURLcode rc;

	strbuf_init(&r->headers, 0);
	strbuf_init(&r->body, 0);
	for (; headers && *headers; headers++)
		list = curl_slist_append(list, *headers);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c->curl, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c->curl, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET"))
		curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c->curl, CURLOPT_ACCEPT_ENCODING, decode ? "gzip" : NULL);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_PATH_AS_IS, 1L);
	rc = curl_easy_perform(c->curl);
	curl_slist_free_all(list);
	cr_assert_eq(rc, CURLE_OK, "%s %s: %s", method, url, curl_easy_strerror(rc));
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c->curl, CURLINFO_NUM_CONNECTS, &r->connects);
}

void client_do(struct client *c, const char *method, const char *url, const char *const *headers,
	       bool decode, struct reply *r)
{
	perform(c, method, url, headers, NULL, 0, decode, r);
}

void client_send(struct client *c, const char *method, const char *url, const char *const *headers,
		 const char *body, size_t len, struct reply *r)
{
	perform(c, method, url, headers, body, len, false, r);
}

void http_do(const char *method, const char *url, const char *const *headers, struct reply *r)
{
	struct client c;

	client_init(&c);
	client_do(&c, method, url, headers, false, r);
	client_release(&c);
}

void http_get(const char *url, const char *const *headers, struct reply *r)
{
	http_do("GET", url, headers, r);
}

void reply_release(struct reply *r)
{
	strbuf_release(&r->headers);
	strbuf_release(&r->body);
}

const char *reply_header(const struct reply *r, const char *name)
{
	static _Thread_local char value[8192];
	size_t n = strlen(name);
	const char *p = r->headers.buf;

	while (p && *p) {
		const char *eol = strstr(p, "\r\n");

		if (!eol)
			break;
		if ((size_t)(eol - p) > n && !strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			snprintf(value, sizeof(value), "%.*s", (int)(eol - v), v);
			return value;
		}
		p = eol + 2;
	}
	return NULL;
}

cJSON *reply_json(const struct reply *r)
{
	cJSON *j = cJSON_ParseWithLength(r->body.buf, r->body.len);

	cr_assert_not_null(j, "not JSON: %.300s", r->body.buf);
	return j;
}

const char *assert_problem(const struct reply *r, long status)
{
	static _Thread_local char detail[4096];
	cJSON *j;
	const cJSON *v;

	cr_assert_eq(r->status, status, "status %ld, want %ld: %.300s", r->status, status, r->body.buf);
	cr_assert_str_eq(reply_header(r, "Content-Type"), "application/problem+json; charset=utf-8");
	j = reply_json(r);
	cr_assert_str_eq(cJSON_GetObjectItem(j, "type")->valuestring, "about:blank");
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(j, "title")));
	cr_assert_eq(cJSON_GetObjectItem(j, "status")->valuedouble, (double)status);
	v = cJSON_GetObjectItem(j, "detail");
	cr_assert(cJSON_IsString(v) && *v->valuestring, "a problem needs a detail");
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(j, "instance")));
	snprintf(detail, sizeof(detail), "%s", v->valuestring);
	cJSON_Delete(j);
	return detail;
}

void raw_exchange(unsigned port, const char *data, size_t len, struct strbuf *out)
{
	struct sockaddr_in sa = { 0 };
	struct timeval tv = { 2, 0 };
	char buf[65536];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ssize_t n;

	cr_assert_geq(fd, 0);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	close(fd);
}
