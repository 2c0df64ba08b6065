/*
 * config: every setting of attache, from four sources in order of strength:
 * built-in defaults < the config file (--config PATH) < ATTACHE_* environment
 * variables < command-line flags.
 *
 * One table describes each setting (name, type, default, help), and from it
 * come the parser of each source, --help and --print-config, which shows the
 * winning value of each setting and where it came from. A bad value, an
 * unknown key or a conflict is one message naming its source (the file and
 * line, the variable or the flag); the caller exits 2.
 *
 * Ownership: config_load() fills a struct config whose strings it owns;
 * release with config_release().
 */
#ifndef ATTACHE_CONFIG_H
#define ATTACHE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/strbuf.h"

#define CONFIG_MAX_ORIGINS 16

enum log_format { LOG_JSON, LOG_TEXT };
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

struct config {
	char *bind;
	int64_t port;
	char *data;                /* "" for the built-in dataset */
	char *web_root;            /* "" for the built-in dashboard */
	int64_t threads;
	char *cors_origins[CONFIG_MAX_ORIGINS];
	size_t ncors_origins;
	int64_t cache_max_age;
	bool gzip;
	int64_t gzip_min_size;
	enum log_format log_format;
	enum log_level log_level;
	bool access_log;
	int64_t max_connections;
	int64_t max_connections_per_ip;
	int64_t idle_timeout;
	int64_t header_timeout;
	int64_t min_body_rate;
	int64_t max_header_size;
	int64_t max_uri_size;
	int64_t max_body_size;
	int64_t max_scan;
	int64_t max_expensive_queries;
	int64_t shutdown_grace;
	bool watch;
	int64_t watch_interval;
	char *tokens;              /* "" when writes are off */
	int64_t journal_max_size;

	/* Actions and the file read, which only flags and the environment set. */
	char *config_path;
	char *new_token;           /* --new-token NAME, or NULL */
	bool check;
	bool healthcheck;
	bool print_config;
	bool help;
	bool version;

	/* Where each setting's value came from, for --print-config. */
	char *origin[32];
};

/*
 * Fills cfg from the defaults, the config file, environ and argv. Returns 0,
 * or -1 after writing one message naming the source to err.
 */
int config_load(struct config *cfg, int argc, char *const argv[], char *const environ_[],
		struct strbuf *err);

void config_release(struct config *cfg);

/* A log level's name as settings and log lines write it: "debug", "info", "warn", "error". */
const char *config_log_level_name(enum log_level level);

/* The smallest body worth compressing, or 0 when gzip is off. */
size_t config_gzip_min(const struct config *cfg);

/* Prints --help: every setting with its flag, variable and default. */
void config_print_help(FILE *out, const char *argv0);

/* Prints the effective configuration as a config file, each line with its source. */
void config_print(FILE *out, const struct config *cfg);

/* Appends the effective configuration as one line of key=value pairs, for the startup log. */
void config_describe(const struct config *cfg, struct strbuf *out);

#endif
