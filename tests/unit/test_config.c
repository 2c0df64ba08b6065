/*
 * Tests for config/config.c: defaults < file < environment < flags, and one
 * message naming the source of anything wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "config/config.h"

#define MAXARGS 16

struct setup {
	char argv[MAXARGS][96];   /* argv[0] is the program */
	int argc;
	char env[4][96];
	char file[512];           /* written to a temporary file, passed by --config */
};

static int load(const struct setup *s, struct config *cfg, struct strbuf *err)
{
	char *argv[MAXARGS + 3], *env[5], path[] = "/tmp/attache-config-XXXXXX";
	int argc = 0, n = 0, rc;

	for (int i = 0; i < s->argc; i++)
		argv[argc++] = (char *)s->argv[i];
	if (s->file[0]) {
		int fd = mkstemp(path);

		cr_assert_geq(fd, 0);
		cr_assert_eq(write(fd, s->file, strlen(s->file)), (ssize_t)strlen(s->file));
		close(fd);
		argv[argc++] = (char *)"--config";
		argv[argc++] = path;
	}
	argv[argc] = NULL;
	for (int i = 0; i < 4 && s->env[i][0]; i++)
		env[n++] = (char *)s->env[i];
	env[n] = NULL;
	rc = config_load(cfg, argc, argv, env, err);
	if (s->file[0]) {
		/* Messages name the file: show it under a fixed name. */
		char *at = strstr(err->buf, path);

		if (at) {
			memcpy(at, "/tmp/attache-config-XXXXXX", strlen(path));
		}
		unlink(path);
	}
	return rc;
}

Test(config, defaults_are_documented_values)
{
	struct setup s = { .argv = { "attache" }, .argc = 1 };
	struct strbuf err = STRBUF_INIT;
	struct config cfg;

	cr_assert_eq(load(&s, &cfg, &err), 0, "%s", err.buf);
	cr_assert_str_eq(cfg.bind, "127.0.0.1");
	cr_assert_eq(cfg.port, 8080);
	cr_assert_str_eq(cfg.data, "");
	cr_assert_geq(cfg.threads, 1, "0 becomes the number of CPUs");
	cr_assert_eq(cfg.cache_max_age, 60);
	cr_assert(cfg.gzip);
	cr_assert_eq(cfg.log_format, LOG_JSON);
	cr_assert_eq(cfg.log_level, LOG_INFO);
	cr_assert_eq(cfg.idle_timeout, 30);
	cr_assert_eq(cfg.shutdown_grace, 8);
	cr_assert_not(cfg.watch);
	cr_assert_eq(cfg.ncors_origins, 0);
	config_release(&cfg);
	strbuf_release(&err);
}

Test(config, flags_beat_environment_beats_file_beats_defaults)
{
	struct setup s = {
		.argv = { "attache", "--port", "9003", "--log-level=debug" }, .argc = 4,
		.env = { "ATTACHE_PORT=9002", "ATTACHE_CACHE_MAX_AGE=7", "PATH=/bin" },
		.file = "# a comment\nport = 9001\ncache-max-age = 5\nidle-timeout = 11\n\nbind = \"0.0.0.0\"\n",
	};
	struct strbuf err = STRBUF_INIT;
	struct config cfg;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	cr_assert_eq(load(&s, &cfg, &err), 0, "%s", err.buf);
	cr_assert_eq(cfg.port, 9003);
	cr_assert_eq(cfg.cache_max_age, 7);
	cr_assert_eq(cfg.idle_timeout, 11);
	cr_assert_str_eq(cfg.bind, "0.0.0.0");
	cr_assert_eq(cfg.log_level, LOG_DEBUG);
	f = open_memstream(&out, &len);
	config_print(f, &cfg);
	fclose(f);
	cr_assert(strstr(out, "port = 9003\n    # from flag --port\n"), "%s", out);
	cr_assert(strstr(out, "cache-max-age = 7\n    # from environment ATTACHE_CACHE_MAX_AGE\n"));
	cr_assert(strstr(out, "idle-timeout = 11\n    # from /tmp/attache-config-"));
	cr_assert(strstr(out, "gzip = true\n    # from default\n"));
	free(out);
	config_release(&cfg);
	strbuf_release(&err);
}

Test(config, cors_origins_repeat_and_each_source_replaces_the_weaker)
{
	struct setup s = {
		.argv = { "attache", "--cors-origin", "https://a.example", "--cors-origin=http://b.example:3000" },
		.argc = 4, .env = { "ATTACHE_CORS_ORIGIN=https://env.example" },
		.file = "cors-origin = https://file.example\n",
	};
	struct strbuf err = STRBUF_INIT;
	struct config cfg;

	cr_assert_eq(load(&s, &cfg, &err), 0, "%s", err.buf);
	cr_assert_eq(cfg.ncors_origins, 2);
	cr_assert_str_eq(cfg.cors_origins[0], "https://a.example");
	cr_assert_str_eq(cfg.cors_origins[1], "http://b.example:3000");
	config_release(&cfg);
	strbuf_release(&err);
}

Test(config, a_bare_boolean_flag_means_true)
{
	struct setup s = { .argv = { "attache", "--watch", "--gzip=no" }, .argc = 3 };
	struct strbuf err = STRBUF_INIT;
	struct config cfg;

	cr_assert_eq(load(&s, &cfg, &err), 0, "%s", err.buf);
	cr_assert(cfg.watch);
	cr_assert_not(cfg.gzip);
	config_release(&cfg);
	strbuf_release(&err);
}

Test(config, a_boolean_flag_takes_a_separate_value_too)
{
	struct setup s = { .argv = { "attache", "--gzip", "false", "--watch", "--access-log", "off",
				     "--port", "81" }, .argc = 8 };
	struct strbuf err = STRBUF_INIT;
	struct config cfg;

	cr_assert_eq(load(&s, &cfg, &err), 0, "%s", err.buf);
	cr_assert_not(cfg.gzip);
	cr_assert(cfg.watch, "followed by a flag, a boolean flag is alone");
	cr_assert_not(cfg.access_log);
	cr_assert_eq(cfg.port, 81);
	config_release(&cfg);
	strbuf_release(&err);
}

/* Parameters are copied into each test's process: arrays, not pointers. */
struct bad {
	struct setup setup;
	char message[512];
};

ParameterizedTestParameters(config, names_the_source_of_each_mistake)
{
	static struct bad cases[] = {
		{ { .argv = { "attache", "--port", "x" }, .argc = 3 },
		  "flag --port: port must be an integer from 0 to 65535, got \"x\"" },
		{ { .argv = { "attache", "--port", "70000" }, .argc = 3 },
		  "flag --port: port must be an integer from 0 to 65535, got \"70000\"" },
		{ { .argv = { "attache", "--port" }, .argc = 2 }, "flag --port: expects a value" },
		{ { .argv = { "attache", "--prot", "1" }, .argc = 3 }, "flag --prot: unknown flag (see --help)" },
		{ { .argv = { "attache", "port" }, .argc = 2 },
		  "unexpected argument \"port\" (flags start with --; see --help)" },
		{ { .argv = { "attache", "--port=1", "--port=2" }, .argc = 3 }, "flag --port: given twice" },
		{ { .argv = { "attache", "--check=yes" }, .argc = 2 }, "flag --check: takes no value" },
		{ { .argv = { "attache", "--gzip=maybe" }, .argc = 2 },
		  "flag --gzip: gzip must be true or false, got \"maybe\"" },
		{ { .argv = { "attache", "--gzip", "maybe" }, .argc = 3 },
		  "flag --gzip: gzip must be true or false, got \"maybe\"" },
		{ { .argv = { "attache", "--log-format", "xml" }, .argc = 3 },
		  "flag --log-format: log-format must be json or text, got \"xml\"" },
		{ { .argv = { "attache", "--cors-origin", "example.org" }, .argc = 3 },
		  "flag --cors-origin: cors-origin must be an origin like https://example.org or *, got \"example.org\"" },
		{ { .argv = { "attache", "--cors-origin", "https://a.example/" }, .argc = 3 },
		  "flag --cors-origin: cors-origin must be an origin like https://example.org or *, got \"https://a.example/\"" },
		{ { .argv = { "attache", "--cors-origin", "*,https://a.example" }, .argc = 3 },
		  "flag --cors-origin: cors-origin * already allows every origin; give it alone" },
		{ { .argv = { "attache", "--max-connections", "10", "--max-connections-per-ip", "20" }, .argc = 5 },
		  "flag --max-connections-per-ip: max-connections-per-ip (20) is more than max-connections (10, from flag --max-connections)" },
		{ { .argv = { "attache", "--max-header-size", "4096", "--max-uri-size", "5000" }, .argc = 5 },
		  "flag --max-uri-size: max-uri-size (5000) is more than max-header-size (4096, from flag --max-header-size), which includes it" },
		{ { .argv = { "attache", "--check", "--print-config" }, .argc = 3 },
		  "flags --check, --healthcheck and --print-config: give one at a time" },
		{ { .argv = { "attache" }, .argc = 1, .env = { "ATTACHE_PROT=1" } },
		  "environment ATTACHE_PROT: unknown variable (ATTACHE_* variables: ATTACHE_BIND," },
		{ { .argv = { "attache" }, .argc = 1, .env = { "ATTACHE_THREADS=-1" } },
		  "environment ATTACHE_THREADS: threads must be an integer from 0 to 256, got \"-1\"" },
		{ { .argv = { "attache" }, .argc = 1, .file = "port = 80\nprot = 81\n" },
		  "/tmp/attache-config-XXXXXX:2: unknown setting \"prot\" (settings: bind, port," },
		{ { .argv = { "attache" }, .argc = 1, .file = "port 80\n" },
		  "/tmp/attache-config-XXXXXX:1: expected \"key = value\", got \"port 80\"" },
		{ { .argv = { "attache" }, .argc = 1, .file = "port = 80\nport = 81\n" },
		  "/tmp/attache-config-XXXXXX:2: port is set twice in the file" },
		{ { .argv = { "attache" }, .argc = 1, .file = "idle-timeout = 0\n" },
		  "/tmp/attache-config-XXXXXX:1: idle-timeout must be an integer from 1 to 3600, got \"0\"" },
		{ { .argv = { "attache", "--config", "/nonexistent/attache.conf" }, .argc = 3 },
		  "/nonexistent/attache.conf: cannot open the config file: No such file or directory" },
	};

	return cr_make_param_array(struct bad, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad *b, config, names_the_source_of_each_mistake)
{
	struct strbuf err = STRBUF_INIT;
	struct config cfg;

	cr_assert_eq(load(&b->setup, &cfg, &err), -1, "accepted: %s", b->message);
	cr_assert(!strncmp(err.buf, b->message, strlen(b->message)), "\n got: %s\nwant: %s", err.buf, b->message);
	config_release(&cfg);
	strbuf_release(&err);
}

Test(config, the_example_file_sets_every_setting_to_its_default)
{
	struct setup s = { .argv = { "attache", "--config", "config/attache.conf.example" }, .argc = 3 };
	struct setup d = { .argv = { "attache" }, .argc = 1 };
	struct strbuf err = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct config from_file, from_defaults;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	cr_assert_eq(load(&s, &from_file, &err), 0, "%s", err.buf);
	cr_assert_eq(load(&d, &from_defaults, &err), 0, "%s", err.buf);
	config_describe(&from_file, &a);
	config_describe(&from_defaults, &b);
	cr_assert_str_eq(a.buf, b.buf);
	f = open_memstream(&out, &len);
	config_print(f, &from_file);
	fclose(f);
	/* Every setting is in the file, but cors-origin, whose lines are examples. */
	{
		const char *first = strstr(out, "# from default");

		cr_assert_not_null(first);
		cr_assert_null(strstr(first + 1, "# from default"), "%s", out);
		cr_assert_not_null(strstr(out, "cors-origin = \"\"\n    # from default"), "%s", out);
	}
	free(out);
	config_release(&from_file);
	config_release(&from_defaults);
	strbuf_release(&err);
	strbuf_release(&a);
	strbuf_release(&b);
}

Test(config, help_lists_every_setting_with_its_variable)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	config_print_help(f, "attache");
	fclose(f);
	cr_assert(strstr(out, "--max-connections-per-ip N"));
	cr_assert(strstr(out, "--gzip [BOOL]"), "a boolean flag's value may be left out");
	cr_assert(strstr(out, "ATTACHE_MAX_CONNECTIONS_PER_IP, default 64"));
	cr_assert(strstr(out, "--healthcheck"));
	cr_assert(strstr(out, "SIGHUP reloads"));
	free(out);
}
