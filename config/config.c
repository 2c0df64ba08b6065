/*
 * config: defaults, file, environment and flags from one table (see config.h).
 */
#include "config/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/mem.h"

enum kind { K_STRING, K_INT, K_BOOL, K_LOG_FORMAT, K_LOG_LEVEL, K_ORIGINS };

struct setting {
	const char *name;          /* the key in the file; the flag is --name */
	const char *env;
	enum kind kind;
	size_t offset;
	int64_t min, max;          /* K_INT */
	const char *def;           /* as it would be written in the file */
	const char *arg;           /* the flag's argument in --help; NULL: the choices */
	const char *help;
};

#define AT(field) offsetof(struct config, field)

/* The values of the two enum settings, by name, in enum order: the one list of each. */
static const char *const log_format_names[] = { [LOG_JSON] = "json", [LOG_TEXT] = "text" };
static const char *const log_level_names[] = {
	[LOG_DEBUG] = "debug", [LOG_INFO] = "info", [LOG_WARN] = "warn", [LOG_ERROR] = "error",
};

static const struct choices {
	const char *const *names;
	size_t n;
} choices[] = {
	[K_LOG_FORMAT] = { log_format_names, sizeof(log_format_names) / sizeof(log_format_names[0]) },
	[K_LOG_LEVEL] = { log_level_names, sizeof(log_level_names) / sizeof(log_level_names[0]) },
};

/* Appends the names of an enum setting: "a, b or c" (sep ", ") or "a|b|c" (sep "|"). */
static void list_choices(struct strbuf *out, enum kind k, const char *sep, const char *last)
{
	for (size_t i = 0; i < choices[k].n; i++)
		strbuf_addf(out, "%s%s", !i ? "" : i + 1 < choices[k].n ? sep : last,
			    choices[k].names[i]);
}

const char *config_log_level_name(enum log_level level)
{
	return log_level_names[level];
}

static const struct setting settings[] = {
	{ "bind", "ATTACHE_BIND", K_STRING, AT(bind), 0, 0, "127.0.0.1", "ADDR",
	  "address to listen on (0.0.0.0 or :: for every interface)" },
	{ "port", "ATTACHE_PORT", K_INT, AT(port), 0, 65535, "8080", "N",
	  "TCP port to listen on (0 picks a free one)" },
	{ "data", "ATTACHE_DATA", K_STRING, AT(data), 0, 0, "", "PATH",
	  "dataset file to serve; empty: the one built into the binary" },
	{ "web-root", "ATTACHE_WEB_ROOT", K_STRING, AT(web_root), 0, 0, "", "DIR",
	  "serve the dashboard from this directory; empty: the built-in files" },
	{ "threads", "ATTACHE_THREADS", K_INT, AT(threads), 0, 256, "0", "N",
	  "worker threads; 0: one per CPU" },
	{ "cors-origin", "ATTACHE_CORS_ORIGIN", K_ORIGINS, AT(cors_origins), 0, 0, "", "ORIGIN",
	  "allow this origin (https://host[:port], or *) cross-origin; repeatable, or comma-separated" },
	{ "cache-max-age", "ATTACHE_CACHE_MAX_AGE", K_INT, AT(cache_max_age), 0, 31536000, "60", "S",
	  "Cache-Control max-age of data responses, seconds" },
	{ "gzip", "ATTACHE_GZIP", K_BOOL, AT(gzip), 0, 0, "true", "BOOL",
	  "gzip responses for clients that accept it" },
	{ "gzip-min-size", "ATTACHE_GZIP_MIN_SIZE", K_INT, AT(gzip_min_size), 1, 1 << 30, "1024", "BYTES",
	  "smallest body worth compressing" },
	{ "log-format", "ATTACHE_LOG_FORMAT", K_LOG_FORMAT, AT(log_format), 0, 0, "json", NULL,
	  "format of log lines on stderr" },
	{ "log-level", "ATTACHE_LOG_LEVEL", K_LOG_LEVEL, AT(log_level), 0, 0, "info", NULL,
	  "least severe level logged" },
	{ "access-log", "ATTACHE_ACCESS_LOG", K_BOOL, AT(access_log), 0, 0, "true", "BOOL",
	  "log one line per request" },
	{ "max-connections", "ATTACHE_MAX_CONNECTIONS", K_INT, AT(max_connections), 1, 100000, "1000", "N",
	  "open connections at most, from everyone" },
	{ "max-connections-per-ip", "ATTACHE_MAX_CONNECTIONS_PER_IP", K_INT,
	  AT(max_connections_per_ip), 1, 100000, "64", "N", "open connections at most from one address" },
	{ "idle-timeout", "ATTACHE_IDLE_TIMEOUT", K_INT, AT(idle_timeout), 1, 3600, "30", "S",
	  "close a connection idle this long, seconds" },
	{ "header-timeout", "ATTACHE_HEADER_TIMEOUT", K_INT, AT(header_timeout), 1, 3600, "10", "S",
	  "close a connection whose request head is not whole this long after it opened, or "
	  "after the previous answer on it, seconds" },
	{ "min-body-rate", "ATTACHE_MIN_BODY_RATE", K_INT, AT(min_body_rate), 0, 1 << 30, "1024",
	  "BYTES", "close a connection whose request body, after header-timeout, arrives slower "
	  "than this many bytes a second; 0: no minimum" },
	{ "max-header-size", "ATTACHE_MAX_HEADER_SIZE", K_INT, AT(max_header_size), 4096, 1 << 20,
	  "8192", "BYTES", "request line and headers at most (beyond: 431)" },
	{ "max-uri-size", "ATTACHE_MAX_URI_SIZE", K_INT, AT(max_uri_size), 256, 1 << 20, "8192",
	  "BYTES", "request target (path and query) at most (beyond: 414)" },
	{ "max-body-size", "ATTACHE_MAX_BODY_SIZE", K_INT, AT(max_body_size), 0, 1 << 30, "65536", "BYTES",
	  "request body at most (beyond: 413): the largest record a write may send" },
	{ "max-scan", "ATTACHE_MAX_SCAN", K_INT, AT(max_scan), 1000, (int64_t)1 << 32, "200000",
	  "N", "refuse (400) a list query that would examine more records and values than this" },
	{ "max-expensive-queries", "ATTACHE_MAX_EXPENSIVE_QUERIES", K_INT, AT(max_expensive_queries),
	  0, 256, "0", "N", "list queries examining over 10000 records run this many at once, the "
	  "rest get 503; 0: half the threads, at least 1" },
	{ "shutdown-grace", "ATTACHE_SHUTDOWN_GRACE", K_INT, AT(shutdown_grace), 0, 3600, "8", "S",
	  "on SIGTERM, wait this long for requests in flight, seconds" },
	{ "watch", "ATTACHE_WATCH", K_BOOL, AT(watch), 0, 0, "false", "BOOL",
	  "reload the data file when it changes (SIGHUP always reloads)" },
	{ "watch-interval", "ATTACHE_WATCH_INTERVAL", K_INT, AT(watch_interval), 1, 3600, "2", "S",
	  "how often --watch looks at the file, seconds" },
	{ "tokens", "ATTACHE_TOKENS", K_STRING, AT(tokens), 0, 0, "", "FILE",
	  "who may write: lines \"NAME SHA256-HEX\"; with --data, turns writes on" },
	{ "journal-max-size", "ATTACHE_JOURNAL_MAX_SIZE", K_INT, AT(journal_max_size), 4096,
	  (int64_t)1 << 40, "16777216", "BYTES",
	  "fold the write journal into the data file once it holds this much" },
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

/* Flags that are actions rather than settings. */
struct action {
	const char *name;
	const char *env;
	size_t offset;
	const char *arg;
	const char *help;
};

static const struct action actions[] = {
	{ "config", "ATTACHE_CONFIG", AT(config_path), "PATH", "read settings from this file first" },
	{ "check", NULL, AT(check), NULL, "validate the data file, print a summary, and exit (0 valid, 1 not)" },
	{ "healthcheck", NULL, AT(healthcheck), NULL,
	  "ask the server on this host's configured port for /healthz; exit 0 if healthy, 1 if not" },
	{ "print-config", NULL, AT(print_config), NULL, "print the effective configuration and exit" },
	{ "new-token", NULL, AT(new_token), "NAME",
	  "print a new random token, then its line for the tokens file, and exit" },
	{ "help", NULL, AT(help), NULL, "print this help and exit" },
	{ "version", NULL, AT(version), NULL, "print the version and exit" },
};
#define NACTIONS (sizeof(actions) / sizeof(actions[0]))

static void *field(struct config *cfg, size_t offset)
{
	return (char *)cfg + offset;
}

static const void *cfield(const struct config *cfg, size_t offset)
{
	return (const char *)cfg + offset;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return *out = true, true;
		if (!strcasecmp(v, no[i]))
			return *out = false, true;
	}
	return false;
}

static bool valid_origin(const char *o)
{
	const char *host;

	if (!strcmp(o, "*"))
		return true;
	if (!strncmp(o, "http://", 7))
		host = o + 7;
	else if (!strncmp(o, "https://", 8))
		host = o + 8;
	else
		return false;
	if (!*host)
		return false;
	for (const char *p = host; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr(".-:[]", *p)))
			return false; /* no path, no trailing slash, no spaces */
	return true;
}

static void clear_origins(struct config *cfg)
{
	for (size_t i = 0; i < cfg->ncors_origins; i++)
		free(cfg->cors_origins[i]);
	cfg->ncors_origins = 0;
}

/* Sets one setting from text. source names where the text came from, for messages. */
static int apply(struct config *cfg, const struct setting *s, const char *value,
		 const char *source, bool append, struct strbuf *err)
{
	void *f = field(cfg, s->offset);
	char *end;

	switch (s->kind) {
	case K_STRING:
		free(*(char **)f);
		*(char **)f = xstrdup(value);
		break;
	case K_INT: {
		long long v;

		errno = 0;
		v = strtoll(value, &end, 10);
		if (!*value || *end || errno || v < s->min || v > s->max) {
			strbuf_addf(err, "%s: %s must be an integer from %lld to %lld, got \"%s\"",
				    source, s->name, (long long)s->min, (long long)s->max, value);
			return -1;
		}
		*(int64_t *)f = v;
		break;
	}
	case K_BOOL:
		if (!parse_bool(value, (bool *)f)) {
			strbuf_addf(err, "%s: %s must be true or false, got \"%s\"", source, s->name, value);
			return -1;
		}
		break;
	case K_LOG_FORMAT:
	case K_LOG_LEVEL: {
		size_t i;

		for (i = 0; i < choices[s->kind].n && strcmp(choices[s->kind].names[i], value); i++)
			;
		if (i == choices[s->kind].n) {
			strbuf_addf(err, "%s: %s must be ", source, s->name);
			list_choices(err, s->kind, ", ", " or ");
			strbuf_addf(err, ", got \"%s\"", value);
			return -1;
		}
		if (s->kind == K_LOG_FORMAT)
			cfg->log_format = (enum log_format)i;
		else
			cfg->log_level = (enum log_level)i;
		break;
	}
	case K_ORIGINS: {
		char *copy = xstrdup(value), *save = NULL, *o;
		int rc = 0;

		/* A source replaces what weaker sources said; repeats within it add up. */
		if (!append)
			clear_origins(cfg);
		for (o = strtok_r(copy, ", ", &save); o && !rc; o = strtok_r(NULL, ", ", &save)) {
			if (!valid_origin(o)) {
				strbuf_addf(err, "%s: cors-origin must be an origin like "
					    "https://example.org or *, got \"%s\"", source, o);
				rc = -1;
			} else if (cfg->ncors_origins == CONFIG_MAX_ORIGINS) {
				strbuf_addf(err, "%s: at most %d cors-origin values", source,
					    CONFIG_MAX_ORIGINS);
				rc = -1;
			} else {
				cfg->cors_origins[cfg->ncors_origins++] = xstrdup(o);
			}
		}
		free(copy);
		return rc;
	}
	}
	return 0;
}

static void set_origin(struct config *cfg, const struct setting *s, const char *source)
{
	size_t i = (size_t)(s - settings);

	free(cfg->origin[i]);
	cfg->origin[i] = xstrdup(source);
}

static const struct setting *find_setting(const char *name, size_t len)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strlen(settings[i].name) == len && !strncmp(settings[i].name, name, len))
			return &settings[i];
	return NULL;
}

static void list_names(struct strbuf *err)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		strbuf_addf(err, "%s%s", i ? ", " : "", settings[i].name);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int load_file(struct config *cfg, const char *path, struct strbuf *err)
{
	FILE *f = fopen(path, "r");
	bool seen[NSETTINGS] = { false };
	char line[4096], source[1024];
	unsigned lineno = 0;
	int rc = 0;

	if (!f) {
		strbuf_addf(err, "%s: cannot open the config file: %s", path, strerror(errno));
		return -1;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		char *key, *value, *eq;
		const struct setting *s;

		lineno++;
		snprintf(source, sizeof(source), "%s:%u", path, lineno);
		if (!strchr(line, '\n') && !feof(f)) {
			strbuf_addf(err, "%s: line too long", source);
			rc = -1;
			break;
		}
		key = trim(line);
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			strbuf_addf(err, "%s: expected \"key = value\", got \"%s\"", source, key);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		/* Values may be quoted, to keep spaces or a '#' in them. */
		if (strlen(value) >= 2 && value[0] == '"' && value[strlen(value) - 1] == '"') {
			value[strlen(value) - 1] = '\0';
			value++;
		}
		s = find_setting(key, strlen(key));
		if (!s) {
			strbuf_addf(err, "%s: unknown setting \"%s\" (settings: ", source, key);
			list_names(err);
			strbuf_addch(err, ')');
			rc = -1;
			break;
		}
		if (seen[s - settings] && s->kind != K_ORIGINS) {
			strbuf_addf(err, "%s: %s is set twice in the file", source, s->name);
			rc = -1;
			break;
		}
		rc = apply(cfg, s, value, source, seen[s - settings], err);
		seen[s - settings] = true;
		set_origin(cfg, s, source);
	}
	if (!rc && ferror(f)) {
		strbuf_addf(err, "%s: cannot read the config file", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

static int load_env(struct config *cfg, char *const environ_[], struct strbuf *err)
{
	for (size_t i = 0; environ_ && environ_[i]; i++) {
		const char *e = environ_[i], *eq = strchr(e, '=');
		bool known = false;
		char source[128];

		if (strncmp(e, "ATTACHE_", 8) || !eq)
			continue;
		snprintf(source, sizeof(source), "environment %.*s", (int)(eq - e), e);
		for (size_t k = 0; k < NACTIONS && !known; k++)
			known = actions[k].env && strlen(actions[k].env) == (size_t)(eq - e) &&
				!strncmp(actions[k].env, e, (size_t)(eq - e));
		for (size_t k = 0; k < NSETTINGS && !known; k++) {
			const struct setting *s = &settings[k];

			if (strlen(s->env) != (size_t)(eq - e) || strncmp(s->env, e, (size_t)(eq - e)))
				continue;
			known = true;
			if (apply(cfg, s, eq + 1, source, false, err))
				return -1;
			set_origin(cfg, s, source);
		}
		if (!known) {
			strbuf_addf(err, "%s: unknown variable (ATTACHE_* variables: ", source);
			for (size_t k = 0; k < NSETTINGS; k++)
				strbuf_addf(err, "%s%s", k ? ", " : "", settings[k].env);
			strbuf_addstr(err, ", ATTACHE_CONFIG)");
			return -1;
		}
	}
	return 0;
}

/* The value of --name=value or --name value; NULL (with a message) when missing. */
static const char *flag_value(int argc, char *const argv[], int *i, const char *eq,
			      const char *name, struct strbuf *err)
{
	if (eq)
		return eq + 1;
	if (*i + 1 >= argc) {
		strbuf_addf(err, "flag --%s: expects a value", name);
		return NULL;
	}
	return argv[++*i];
}

/* Flags, in two passes: first only --config (to read the file first), then all. */
static int load_flags(struct config *cfg, int argc, char *const argv[], bool config_only,
		      struct strbuf *err)
{
	bool seen[NSETTINGS] = { false };

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *name, *eq, *value;
		const struct setting *s;
		size_t len;
		char source[128];
		bool is_action = false;

		if (strncmp(arg, "--", 2) || !arg[2]) {
			strbuf_addf(err, "unexpected argument \"%s\" (flags start with --; see --help)", arg);
			return -1;
		}
		name = arg + 2;
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		snprintf(source, sizeof(source), "flag --%.*s", (int)len, name);
		for (size_t k = 0; k < NACTIONS; k++) {
			const struct action *a = &actions[k];

			if (strlen(a->name) != len || strncmp(a->name, name, len))
				continue;
			is_action = true;
			if (a->arg) {
				value = flag_value(argc, argv, &i, eq, a->name, err);
				if (!value)
					return -1;
				if (config_only) {
					free(*(char **)field(cfg, a->offset));
					*(char **)field(cfg, a->offset) = xstrdup(value);
				}
			} else if (eq) {
				strbuf_addf(err, "%s: takes no value", source);
				return -1;
			} else if (!config_only) {
				*(bool *)field(cfg, a->offset) = true;
			}
		}
		if (is_action)
			continue;
		s = find_setting(name, len);
		if (!s) {
			strbuf_addf(err, "%s: unknown flag (see --help)", source);
			return -1;
		}
		/*
		 * A boolean flag alone means true (--watch); it also takes a value,
		 * as every other flag does (--gzip false): there are no positional
		 * arguments, so the next argument is its value unless it is a flag.
		 */
		if (s->kind == K_BOOL && !eq && (i + 1 >= argc || !strncmp(argv[i + 1], "--", 2))) {
			value = "true";
		} else {
			value = flag_value(argc, argv, &i, eq, s->name, err);
			if (!value)
				return -1;
		}
		if (config_only)
			continue;
		if (seen[s - settings] && s->kind != K_ORIGINS) {
			strbuf_addf(err, "%s: given twice", source);
			return -1;
		}
		if (apply(cfg, s, value, source, seen[s - settings], err))
			return -1;
		seen[s - settings] = true;
		set_origin(cfg, s, source);
	}
	return 0;
}

static size_t index_of(const char *name)
{
	return (size_t)(find_setting(name, strlen(name)) - settings);
}

/* Settings that are fine alone but not together. */
static int check_conflicts(const struct config *cfg, struct strbuf *err)
{
	const size_t per_ip = index_of("max-connections-per-ip");
	const size_t total = index_of("max-connections");
	const size_t origins = index_of("cors-origin");

	if (cfg->max_connections_per_ip > cfg->max_connections) {
		strbuf_addf(err, "%s: max-connections-per-ip (%lld) is more than max-connections "
			    "(%lld, from %s)", cfg->origin[per_ip], (long long)cfg->max_connections_per_ip,
			    (long long)cfg->max_connections, cfg->origin[total]);
		return -1;
	}
	for (size_t i = 0; i < cfg->ncors_origins && cfg->ncors_origins > 1; i++) {
		if (!strcmp(cfg->cors_origins[i], "*")) {
			strbuf_addf(err, "%s: cors-origin * already allows every origin; "
				    "give it alone", cfg->origin[origins]);
			return -1;
		}
	}
	if (cfg->max_uri_size > cfg->max_header_size) {
		strbuf_addf(err, "%s: max-uri-size (%lld) is more than max-header-size (%lld, from %s), "
			    "which includes it", cfg->origin[index_of("max-uri-size")],
			    (long long)cfg->max_uri_size, (long long)cfg->max_header_size,
			    cfg->origin[index_of("max-header-size")]);
		return -1;
	}
	if (*cfg->tokens && !*cfg->data) {
		strbuf_addf(err, "tokens (from %s) turns writes on, which need a data file: give --data "
			    "FILE as well (the built-in dataset is read-only)", cfg->origin[index_of("tokens")]);
		return -1;
	}
	if (cfg->check + cfg->print_config + cfg->healthcheck > 1) {
		strbuf_addstr(err, "flags --check, --healthcheck and --print-config: give one at a time");
		return -1;
	}
	return 0;
}

int config_load(struct config *cfg, int argc, char *const argv[], char *const environ_[],
		struct strbuf *err)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < NSETTINGS; i++) {
		if (apply(cfg, &settings[i], settings[i].def, "default", false, err))
			return -1;
		cfg->origin[i] = xstrdup("default");
	}
	for (size_t i = 0; environ_ && environ_[i]; i++)
		if (!strncmp(environ_[i], "ATTACHE_CONFIG=", 15))
			cfg->config_path = xstrdup(environ_[i] + 15);
	if (load_flags(cfg, argc, argv, true, err))
		return -1;
	if (cfg->config_path && *cfg->config_path && load_file(cfg, cfg->config_path, err))
		return -1;
	if (load_env(cfg, environ_, err) || load_flags(cfg, argc, argv, false, err))
		return -1;
	if (cfg->threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		cfg->threads = n > 0 ? (n > 256 ? 256 : n) : 1;
	}
	if (cfg->max_expensive_queries == 0)
		cfg->max_expensive_queries = cfg->threads / 2 ? cfg->threads / 2 : 1;
	return check_conflicts(cfg, err);
}

void config_release(struct config *cfg)
{
	free(cfg->bind);
	free(cfg->data);
	free(cfg->web_root);
	free(cfg->config_path);
	free(cfg->tokens);
	free(cfg->new_token);
	clear_origins(cfg);
	for (size_t i = 0; i < NSETTINGS; i++)
		free(cfg->origin[i]);
	memset(cfg, 0, sizeof(*cfg));
}

size_t config_gzip_min(const struct config *cfg)
{
	return cfg->gzip ? (size_t)cfg->gzip_min_size : 0;
}

/* The setting's value as it would be written in the file. */
static void value_text(const struct config *cfg, const struct setting *s, struct strbuf *out)
{
	const void *f = cfield(cfg, s->offset);

	switch (s->kind) {
	case K_STRING:
		strbuf_addstr(out, *(char *const *)f);
		break;
	case K_INT:
		strbuf_addf(out, "%lld", (long long)*(const int64_t *)f);
		break;
	case K_BOOL:
		strbuf_addstr(out, *(const bool *)f ? "true" : "false");
		break;
	case K_LOG_FORMAT:
		strbuf_addstr(out, log_format_names[cfg->log_format]);
		break;
	case K_LOG_LEVEL:
		strbuf_addstr(out, log_level_names[cfg->log_level]);
		break;
	case K_ORIGINS:
		for (size_t i = 0; i < cfg->ncors_origins; i++)
			strbuf_addf(out, "%s%s", i ? "," : "", cfg->cors_origins[i]);
		break;
	}
}

void config_print_help(FILE *out, const char *argv0)
{
	fprintf(out, "usage: %s [--flag VALUE]...\n\n"
		"attache serves sales-diplomacy records (summit meetings, countries, deals)\n"
		"as a JSON API and a dashboard. Settings come from, weakest first: the\n"
		"defaults below, the --config file (key = value lines), ATTACHE_*\n"
		"environment variables, then flags.\n\nSettings:\n", argv0);
	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];
		struct strbuf arg = STRBUF_INIT;
		char flag[64];

		if (s->kind == K_BOOL)
			strbuf_addf(&arg, "[%s]", s->arg);
		else if (s->arg)
			strbuf_addstr(&arg, s->arg);
		else
			list_choices(&arg, s->kind, "|", "|");
		snprintf(flag, sizeof(flag), "--%s %s", s->name, arg.buf);
		strbuf_release(&arg);
		fprintf(out, "  %-34s %s\n  %-34s %s, default %s\n", flag, s->help, "", s->env,
			*s->def ? s->def : "(empty)");
	}
	fprintf(out, "\nActions:\n");
	for (size_t i = 0; i < NACTIONS; i++) {
		const struct action *a = &actions[i];
		char flag[64];

		snprintf(flag, sizeof(flag), "--%s%s%s", a->name, a->arg ? " " : "", a->arg ? a->arg : "");
		fprintf(out, "  %-34s %s%s%s\n", flag, a->help, a->env ? "; or " : "",
			a->env ? a->env : "");
	}
	fprintf(out, "\nSignals: SIGHUP reloads the data file; SIGTERM and SIGINT stop gracefully.\n");
}

void config_print(FILE *out, const struct config *cfg)
{
	struct strbuf v = STRBUF_INIT;

	fprintf(out, "# attache effective configuration%s%s\n", cfg->config_path ? "; file: " : "",
		cfg->config_path ? cfg->config_path : "");
	for (size_t i = 0; i < NSETTINGS; i++) {
		strbuf_reset(&v);
		value_text(cfg, &settings[i], &v);
		fprintf(out, "%s = %s%s%s\n", settings[i].name,
			strpbrk(v.buf, " #") || !v.len ? "\"" : "", v.buf,
			strpbrk(v.buf, " #") || !v.len ? "\"" : "");
		fprintf(out, "    # from %s\n", cfg->origin[i]);
	}
	strbuf_release(&v);
}

void config_describe(const struct config *cfg, struct strbuf *out)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		strbuf_addf(out, "%s%s=", i ? " " : "", settings[i].name);
		value_text(cfg, &settings[i], out);
	}
}
