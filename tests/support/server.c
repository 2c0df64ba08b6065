/*
 * server: attache in the test process (see server.h).
 */
#include "tests/support/server.h"

#include <stdio.h>
#include <string.h>

void test_server_start(struct test_server *s, const char *const *flags)
{
	const char *argv[40] = { "attache", "--port", "0", "--access-log=false" };
	int argc = 4;
	struct strbuf err = STRBUF_INIT;
	char *const env[] = { NULL };

	memset(s, 0, sizeof(*s));
	for (; flags && *flags && argc < 39; flags++)
		argv[argc++] = *flags;
	if (config_load(&s->cfg, argc, (char *const *)argv, env, &err))
		cr_assert_fail("config: %s", err.buf);
	if (app_open(&s->app, &s->cfg, &err))
		cr_assert_fail("%s: %s", s->app.failed, err.buf);
	s->http = s->app.http;
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%u", http_port(s->http));
	strbuf_release(&err);
}

void test_server_stop(struct test_server *s)
{
	app_close(&s->app);
	config_release(&s->cfg);
}

const char *test_url(const struct test_server *s, const char *path)
{
	static _Thread_local char url[4096];

	snprintf(url, sizeof(url), "%s%s", s->base, path);
	return url;
}
