/*
 * server: starts attache inside the test process, on an ephemeral port.
 *
 * The server is assembled as server/main.c assembles it (config, store,
 * site, snapshots, metrics, dashboard files, http), from the same flags, so
 * integration tests talk real HTTP to the real code. The process-level parts
 * of main.c (signals, reload, drain) are tested on the binary instead.
 */
#ifndef ATTACHE_TEST_SERVER_H
#define ATTACHE_TEST_SERVER_H

#include "server/http.h"

struct test_server {
	struct config cfg;
	struct metrics *metrics;
	struct snapshots *snapshots;
	struct webroot *web;
	struct http *http;
	char base[64];            /* "http://127.0.0.1:PORT" */
};

/* Starts a server with these flags (NULL-terminated) after "--port 0". Fails the test on error. */
void test_server_start(struct test_server *s, const char *const *flags);
void test_server_stop(struct test_server *s);

/* base + path, in a static buffer per call site: use it at once. */
const char *test_url(const struct test_server *s, const char *path);

#endif
