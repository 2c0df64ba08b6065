/*
 * guard: the framing checks a request passes before it is read further.
 *
 * What libmicrohttpd 0.9.75 lets through and HTTP/1.1 forbids, or what this
 * server will not read: a target with spaces or raw bytes, a target or a
 * head past the configured sizes, NUL bytes and control characters in
 * headers, a header name that is not a token, no Host in HTTP/1.1, a Host
 * that is not a host and port, two of Host or Content-Length or
 * Transfer-Encoding, Content-Length beside Transfer-Encoding, a transfer
 * coding other than chunked (or chunked with whitespace after it, which
 * libmicrohttpd takes for another coding), and a declared body past the
 * limit. Request smuggling lives in these gaps.
 *
 * The guard reads plain data — the target, the version and the header
 * fields as received — so it is tested without a socket; server/http.c
 * gathers them from libmicrohttpd and answers what the guard refuses.
 */
#ifndef ATTACHE_GUARD_H
#define ATTACHE_GUARD_H

#include <stddef.h>
#include <stdint.h>

/* One header field as received: name_len and value_len bytes (value may be NULL). */
struct guard_header {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

struct guard_limits {
	size_t max_uri_size;       /* the request target, beyond: 414 */
	size_t max_header_size;    /* the request line and headers, beyond: 431 */
	uint64_t max_body_size;    /* a declared Content-Length, beyond: 413 */
};

/*
 * Checks the request with this target (as sent, NUL-terminated), version
 * ("HTTP/1.1") and n header fields. Returns 0 for a request to go on with,
 * or the status to refuse it with (400, 413, 414, 431 or 501) and, in *why,
 * a static phrase saying what is wrong.
 */
int guard_check(const char *target, const char *version, const struct guard_header *headers,
		size_t n, const struct guard_limits *limits, const char **why);

#endif
