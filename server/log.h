/*
 * log: one line per event on stderr, as JSON (the default) or as text.
 *
 * Each line is built in memory and written with a single write(2), so lines
 * from different threads never interleave. The format and level are set once
 * by log_init() before any thread starts, and only read afterwards.
 */
#ifndef ATTACHE_LOG_H
#define ATTACHE_LOG_H

#include <stdint.h>

#include "config/config.h"

/* The most bytes of a request target an access-log line keeps; longer ones end in "...". */
#define LOG_MAX_TARGET 1024

/* One request, as the access log records it. */
struct access_entry {
	const char *request_id;
	const char *remote;
	const char *method;
	const char *target;
	int status;
	uint64_t bytes;
	uint64_t duration_us;
	const char *user_agent;   /* may be NULL */
	const char *writer;       /* the name of a write's token (never the token); may be NULL */
};

void log_init(enum log_format format, enum log_level level);

/* Logs msg at level with extra key/value string pairs (NULL-terminated list). */
void log_event(enum log_level level, const char *msg, ...) __attribute__((sentinel));

void log_access(const struct access_entry *e);

#endif
