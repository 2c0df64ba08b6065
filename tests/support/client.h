/*
 * client: HTTP requests from the tests, with libcurl, and checks on answers.
 *
 * A struct reply holds one answer: status, headers (the last response's,
 * names as sent) and body (decoded when gzipped, if asked). Free with
 * reply_release(). A struct client keeps one curl handle, so consecutive
 * requests reuse one connection (keep-alive), as a browser would.
 */
#ifndef ATTACHE_TEST_CLIENT_H
#define ATTACHE_TEST_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "lib/strbuf.h"

struct reply {
	long status;
	struct strbuf headers;      /* "Name: value\r\n" lines of the final response */
	struct strbuf body;
	long connects;              /* new connections this request opened */
};

struct client {
	CURL *curl;
};

/*
 * A suite's init and fini for tests that make requests: libcurl's global
 * state, and random() seeded per process for temporary file names.
 */
void client_suite_init(void);
void client_suite_fini(void);

void client_init(struct client *c);
void client_release(struct client *c);

/*
 * Sends method url with extra headers (NULL-terminated "Name: value" list,
 * may be NULL). decode: let curl gunzip the body. Fails the test on a
 * transport error.
 */
void client_do(struct client *c, const char *method, const char *url, const char *const *headers,
	       bool decode, struct reply *r);

/* The same with a request body of len bytes (headers should say its Content-Type). */
void client_send(struct client *c, const char *method, const char *url, const char *const *headers,
		 const char *body, size_t len, struct reply *r);

/* One request on a fresh connection. */
void http_get(const char *url, const char *const *headers, struct reply *r);
void http_do(const char *method, const char *url, const char *const *headers, struct reply *r);

void reply_release(struct reply *r);

/* The value of header name (any case), copied into a static buffer, or NULL. */
const char *reply_header(const struct reply *r, const char *name);

/* Parses the body; fails the test unless it is JSON. Free with cJSON_Delete(). */
cJSON *reply_json(const struct reply *r);

/* Asserts an RFC 9457 problem with this status, and returns its detail (static copy). */
const char *assert_problem(const struct reply *r, long status);

/* Sends raw bytes to 127.0.0.1:port and returns all that comes back before close or timeout. */
void raw_exchange(unsigned port, const char *data, size_t len, struct strbuf *out);

#endif
