/*
 * guard: framing checks on plain data (see guard.h).
 */
#include "server/guard.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/status.h"
#include "lib/mem.h"
#include "lib/text.h"

/* What the headers say about framing, counted in one pass. */
struct framing {
	unsigned content_length, transfer_encoding, host;
	bool nul, bad_name, bad_value;
	size_t head_bytes;
	const struct guard_header *cl;
	const struct guard_header *te;
};

/* RFC 9110 tchar: what a header name may be made of. */
static bool is_tchar(unsigned char c)
{
	return text_is_alnum((char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool named(const struct guard_header *h, const char *name)
{
	return ascii_caseeq(h->name, h->name_len, name, strlen(name));
}

static void count_header(struct framing *f, const struct guard_header *h)
{
	if (memchr(h->name, '\0', h->name_len) || (h->value && memchr(h->value, '\0', h->value_len)))
		f->nul = true;
	for (size_t i = 0; i < h->name_len; i++)
		f->bad_name |= !is_tchar((unsigned char)h->name[i]);
	for (size_t i = 0; h->value && i < h->value_len; i++)
		f->bad_value |= ((unsigned char)h->value[i] < 0x20 && h->value[i] != '\t') ||
				h->value[i] == 0x7f;
	f->head_bytes += h->name_len + h->value_len + 4;
	if (named(h, "Content-Length")) {
		f->content_length++;
		f->cl = h;
	} else if (named(h, "Transfer-Encoding")) {
		f->transfer_encoding++;
		f->te = h;
	} else if (named(h, "Host")) {
		f->host++;
	}
}

/* Whether Transfer-Encoding names chunked alone, spaces and tabs aside. */
static bool chunked(const struct guard_header *te)
{
	const char *v = te->value ? te->value : "";
	size_t n = te->value ? te->value_len : 0;

	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return ascii_caseeq(v, n, "chunked", 7);
}

/* Content-Length as strtoull reads it; -1 when it is not a number. */
static int content_length(const struct guard_header *cl, unsigned long long *out)
{
	char *text = xmemdup0(cl->value ? cl->value : "", cl->value ? cl->value_len : 0), *end;
	int rc = 0;

	errno = 0;
	*out = strtoull(text, &end, 10);
	if (!text[0] || *end || errno || text[0] == '-')
		rc = -1;
	free(text);
	return rc;
}

int guard_check(const char *target, const char *version, const struct guard_header *headers,
		size_t n, const struct guard_limits *limits, const char **why)
{
	struct framing f = { 0 };
	unsigned long long cl;

	for (const unsigned char *p = (const unsigned char *)target; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return *why = "a request target with a space, a control character or a "
				      "byte that is not percent-encoded", HTTP_BAD_REQUEST;
	if (strlen(target) > limits->max_uri_size)
		return *why = "a request target longer than this server accepts", HTTP_URI_TOO_LONG;
	for (size_t i = 0; i < n; i++)
		count_header(&f, &headers[i]);
	if (f.head_bytes + strlen(target) + 32 > limits->max_header_size)
		return *why = "request headers larger than this server accepts", HTTP_HEADERS_TOO_LARGE;
	if (f.nul)
		return *why = "a header contains a NUL byte", HTTP_BAD_REQUEST;
	if (f.bad_name)
		return *why = "a header name that is not a token (RFC 9110)", HTTP_BAD_REQUEST;
	if (f.bad_value)
		return *why = "a header value with a control character", HTTP_BAD_REQUEST;
	if (!f.host && !strcmp(version, "HTTP/1.1"))
		return *why = "no Host header, which HTTP/1.1 requires", HTTP_BAD_REQUEST;
	if (f.content_length && f.transfer_encoding)
		return *why = "both Content-Length and Transfer-Encoding are present", HTTP_BAD_REQUEST;
	if (f.content_length > 1)
		return *why = "Content-Length is given more than once", HTTP_BAD_REQUEST;
	if (f.host > 1)
		return *why = "Host is given more than once", HTTP_BAD_REQUEST;
	if (f.transfer_encoding > 1)
		return *why = "Transfer-Encoding is given more than once", HTTP_BAD_REQUEST;
	if (f.transfer_encoding && !chunked(f.te))
		return *why = "the only transfer coding supported is chunked", HTTP_NOT_IMPLEMENTED;
	if (f.content_length) {
		if (content_length(f.cl, &cl))
			return *why = "Content-Length is not a number", HTTP_BAD_REQUEST;
		if (cl > limits->max_body_size)
			return *why = "the request body is larger than this server accepts",
			       HTTP_CONTENT_TOO_LARGE;
	}
	return 0;
}
