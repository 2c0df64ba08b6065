/*
 * guard: framing checks on plain data (see guard.h).
 */
#include "server/guard.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdint.h>
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
	const struct guard_header *hostv;
};

/* RFC 9110 tchar: what a header name may be made of. */
static bool is_tchar(unsigned char c)
{
	if (text_is_alnum((char)c) || c == '-')
		return true;   /* all of a usual name: no strchr */
	return c && strchr("!#$%&'*+.^_`|~", c);
}

static bool named(const struct guard_header *h, const char *name)
{
	return ascii_caseeq(h->name, h->name_len, name, strlen(name));
}

/*
 * Whether a value has a control character other than tab, or DEL. Every byte
 * of every header of every request passes here, so eight are tested at once:
 * a word with a byte below 0x20 or equal to 0x7f (exactly those words:
 * Mycroft's test for a zero byte) is looked at byte by byte. A browser's
 * head cost 3,700 instructions here byte by byte, 700 now.
 */
static bool has_control(const char *v, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, del;

		memcpy(&w, v + i, 8);
		del = w ^ (ones * 0x7f);
		if (((w - ones * 0x20) & ~w & highs) | ((del - ones) & ~del & highs))
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return true;
	}
	return false;
}

static void count_header(struct framing *f, const struct guard_header *h)
{
	bool bad_name = h->name_len == 0;

	if (memchr(h->name, '\0', h->name_len) || (h->value && memchr(h->value, '\0', h->value_len)))
		f->nul = true;
	for (size_t i = 0; i < h->name_len && !bad_name; i++)
		bad_name = !is_tchar((unsigned char)h->name[i]);
	f->bad_name |= bad_name;
	if (h->value && has_control(h->value, h->value_len))
		f->bad_value = true;
	f->head_bytes += h->name_len + h->value_len + 4;
	if (named(h, "Content-Length")) {
		f->content_length++;
		f->cl = h;
	} else if (named(h, "Transfer-Encoding")) {
		f->transfer_encoding++;
		f->te = h;
	} else if (named(h, "Host")) {
		f->host++;
		f->hostv = h;
	}
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* The value without the spaces and tabs around it (RFC 9110 OWS). */
static void trimmed(const struct guard_header *h, const char **v, size_t *n)
{
	*v = h->value ? h->value : "";
	*n = h->value ? h->value_len : 0;
	while (*n && is_ows(**v)) {
		(*v)++;
		(*n)--;
	}
	while (*n && is_ows((*v)[*n - 1]))
		(*n)--;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * RFC 3986 unreserved or sub-delims: what a reg-name is made of, besides
 * %XX. Two bit sets, ASCII 0-63 and 64-127: every request's Host goes
 * through here a byte at a time, and a strchr for each '.' cost more.
 */
#define BIT(c) (UINT64_C(1) << ((c) & 63))
#define DIGITS (BIT('0') | BIT('1') | BIT('2') | BIT('3') | BIT('4') | BIT('5') | BIT('6') | \
		BIT('7') | BIT('8') | BIT('9'))
#define HOST_LOW (DIGITS | BIT('-') | BIT('.') | BIT('!') | BIT('$') | BIT('&') | BIT('\'') | \
		  BIT('(') | BIT(')') | BIT('*') | BIT('+') | BIT(',') | BIT(';') | BIT('='))
/* 'A'..'Z' are 65..90 and 'a'..'z' 97..122: bits 1..26 and 33..58 of the high set. */
#define HOST_HIGH ((UINT64_C(0x3ffffff) << 1) | (UINT64_C(0x3ffffff) << 33) | BIT('_') | BIT('~'))

static bool is_host_char(char c)
{
	unsigned char u = (unsigned char)c;

	return u < 64 ? (HOST_LOW >> u & 1) : u < 128 && (HOST_HIGH >> (u - 64) & 1);
}

/*
 * Whether v is a Host value (RFC 9110 section 7.2): uri-host [ ":" port ],
 * uri-host an IP-literal in brackets, or a reg-name (IPv4 addresses are
 * reg-names too); a port at most 5 digits. Empty is allowed.
 */
static bool valid_host(const char *v, size_t n)
{
	size_t i = 0;

	if (n && v[0] == '[') {
		bool colon = false, future = n > 1 && (v[1] == 'v' || v[1] == 'V');

		for (i = 1; i < n && v[i] != ']'; i++) {
			colon |= v[i] == ':';
			if (!(is_hex(v[i]) || v[i] == ':' || v[i] == '.' ||
			      (future && (is_host_char(v[i]) || v[i] == 'v' || v[i] == 'V'))))
				return false;
		}
		if (i == n || !(colon || future) || i == 1)
			return false;
		i++;
	} else {
		for (; i < n && v[i] != ':'; i++) {
			if (v[i] == '%') {
				if (i + 2 >= n || !is_hex(v[i + 1]) || !is_hex(v[i + 2]))
					return false;
				i += 2;
			} else if (!is_host_char(v[i])) {
				return false;
			}
		}
	}
	if (i == n)
		return true;
	if (v[i] != ':' || n - i - 1 > 5)
		return false;
	for (i++; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

/*
 * Whether Transfer-Encoding names chunked alone: 1 exactly so, 2 with
 * whitespace after it, 0 not. libmicrohttpd compares the value (after the
 * spaces it skips) with "chunked" and takes anything else for an unknown
 * coding, whose body it then reads until the connection closes.
 */
static int chunked(const struct guard_header *te)
{
	const char *v;
	size_t n, raw;

	trimmed(te, &v, &n);
	if (!ascii_caseeq(v, n, "chunked", 7))
		return 0;
	raw = te->value_len - (size_t)(v - te->value);
	return raw == n ? 1 : 2;
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
	if (f.transfer_encoding && chunked(f.te) == 2)
		return *why = "Transfer-Encoding has whitespace after chunked, which this server "
			      "cannot read as chunked (libmicrohttpd 0.9.75 takes it for another coding)",
		       HTTP_NOT_IMPLEMENTED;
	if (f.host == 1) {
		const char *v;
		size_t hn;

		trimmed(f.hostv, &v, &hn);
		if (!valid_host(v, hn))
			return *why = "Host is not a host name or address with an optional port "
				      "(RFC 9110 section 7.2)", HTTP_BAD_REQUEST;
	}
	if (f.content_length) {
		if (content_length(f.cl, &cl))
			return *why = "Content-Length is not a number", HTTP_BAD_REQUEST;
		if (cl > limits->max_body_size)
			return *why = "the request body is larger than this server accepts",
			       HTTP_CONTENT_TOO_LARGE;
	}
	return 0;
}

/*
 * The bytes from *p up to next must be one of the separators libmicrohttpd
 * leaves: returns 0 if so, or the reason it is not. first: the separator's
 * first byte, a NUL; then any of rest (the spaces it skipped).
 */
enum gap { GAP_OK, GAP_NUL, GAP_BARE_LF };

static enum gap space_gap(const char *p, const char *next, const char *rest)
{
	if (next <= p || *p != '\0')
		return GAP_NUL;
	for (p++; p < next; p++)
		if (!*p || !strchr(rest, *p))
			return GAP_NUL;
	return GAP_OK;
}

/* lines CR LF line ends, each two NULs now; one NUL where a line ended in a bare LF. */
static enum gap line_gap(const char *p, const char *next, size_t lines)
{
	size_t n = next >= p ? (size_t)(next - p) : 0;

	if (next < p || memchr(p, '\0', n) == NULL)
		return GAP_NUL;
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return GAP_NUL;
	if (n == 2 * lines)
		return GAP_OK;
	return n >= lines && n < 2 * lines ? GAP_BARE_LF : GAP_NUL;
}

static int gap_refusal(enum gap g, const char *what, const char **why)
{
	if (g == GAP_BARE_LF)
		*why = "a line of the request head ends in a bare LF; HTTP/1.1 lines end in CR LF";
	else
		*why = what;
	return HTTP_BAD_REQUEST;
}

int guard_check_layout(const struct guard_head *head, const struct guard_header *headers,
		       size_t n, const char **why)
{
	const char *end = head->start + head->len, *p;
	enum gap g;

	/* The request line lies where libmicrohttpd 0.9.75 puts it, or there is nothing to check. */
	if (head->method != head->start || head->target <= head->method || head->target >= end ||
	    head->version <= head->target || head->version >= end)
		return 0;
	p = head->method + strlen(head->method);
	if (space_gap(p, head->target, " "))
		return *why = "the request line contains a NUL byte", HTTP_BAD_REQUEST;
	p = head->target + head->target_len;
	if (head->version != p + 1 || *p)
		return *why = "the request target contains a NUL byte", HTTP_BAD_REQUEST;
	p = head->version + strlen(head->version);
	for (size_t i = 0; i < n; i++) {
		const struct guard_header *h = &headers[i];

		/* A folded line's header is moved out of the head, or out of order. */
		if (h->name < p || h->name >= end || !h->value || h->value < h->name + h->name_len ||
		    h->value > end)
			return *why = "a header line is folded onto the next (obs-fold), which "
				      "HTTP/1.1 forbids in requests", HTTP_BAD_REQUEST;
		if ((g = line_gap(p, h->name, 1)))
			return gap_refusal(g, i ? "a header contains a NUL byte"
						: "the request line contains a NUL byte", why);
		if (space_gap(h->name + h->name_len, h->value, " \t"))
			return *why = "a header contains a NUL byte", HTTP_BAD_REQUEST;
		p = h->value + h->value_len;
	}
	if ((g = line_gap(p, end, 2)))
		return gap_refusal(g, n ? "a header contains a NUL byte"
					: "the request line contains a NUL byte", why);
	return 0;
}
