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
 * A second check, guard_check_layout(), accounts for every byte of the head
 * libmicrohttpd parsed: it finds what libmicrohttpd's C strings hide, a NUL
 * byte inside the target or a header (libmicrohttpd cuts the string there,
 * so "/deals/1\0x" would be served as "/deals/1"), a header line folded onto
 * the next (obs-fold) and a line that ends in a bare LF.
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

/*
 * The request head as libmicrohttpd 0.9.75 leaves it once parsed: one buffer
 * holding the request line and the header lines, in which it has replaced
 * each line end (CR LF), the space after the method and the space before the
 * version, and each header's colon with a NUL, and skipped the spaces after
 * them. The strings it hands out point into this buffer.
 */
struct guard_head {
	const char *start;         /* the first byte of the request line */
	size_t len;                /* the head's bytes, the empty line that ends it included */
	const char *method;        /* where libmicrohttpd holds the method (NUL-terminated) */
	const char *target;        /* where it holds the target */
	size_t target_len;         /* the target's length as seen before any parsing */
	const char *version;       /* where it holds the version (NUL-terminated) */
};

/*
 * Checks that head and the n headers (pointing into it, in order) account
 * for every byte of the head. Returns 0, or 400 with *why naming what is
 * there instead: a NUL byte, a folded header line, a bare LF. A head whose
 * request line does not lie where libmicrohttpd 0.9.75 puts it is not
 * checked (returns 0).
 */
int guard_check_layout(const struct guard_head *head, const struct guard_header *headers,
		       size_t n, const char **why);

#endif
