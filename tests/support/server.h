/*
 * server: starts attache inside the test process, on an ephemeral port.
 *
 * The server is assembled by server/app.c, as server/main.c assembles it
 * (config, store, site, snapshots, metrics, dashboard files, http), from
 * the same flags, so integration tests talk real HTTP to the real code. The
 * process-level parts of main.c (signals, reload, drain) are tested on the
 * binary instead.
 *
 * A suite whose tests share one server declares it in one line:
 *
 *	TEST_SERVER_SUITE(api, NULL);
 *	TEST_SERVER_SUITE(http, "--cors-origin", "https://dash.example", NULL);
 *
 * which defines `static struct test_server srv` and the suite's init and fini.
 */
#ifndef ATTACHE_TEST_SERVER_H
#define ATTACHE_TEST_SERVER_H

#include <criterion/criterion.h>

#include "server/app.h"
#include "tests/support/client.h"

struct test_server {
	struct config cfg;
	struct app app;
	struct http *http;        /* app.http, for tests that talk raw bytes to its port */
	char base[64];            /* "http://127.0.0.1:PORT" */
};

/* Starts a server with these flags (NULL-terminated) after "--port 0". Fails the test on error. */
void test_server_start(struct test_server *s, const char *const *flags);
void test_server_stop(struct test_server *s);

/* base + path, in a static buffer per call site: use it at once. */
const char *test_url(const struct test_server *s, const char *path);

/* A suite of tests sharing srv, a server started with the flags given (NULL-terminated). */
#define TEST_SERVER_SUITE(name, ...)						\
	static struct test_server srv;						\
	static void suite_##name##_init(void)					\
	{									\
		client_suite_init();						\
		test_server_start(&srv, (const char *const[]){ __VA_ARGS__ });	\
	}									\
	static void suite_##name##_fini(void)					\
	{									\
		test_server_stop(&srv);						\
		client_suite_fini();						\
	}									\
	TestSuite(name, .init = suite_##name##_init, .fini = suite_##name##_fini, .timeout = 30)

#endif
