/*
 * log: JSON or text lines on stderr (see log.h).
 */
#include "server/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lib/jsonw.h"

/* Set by log_init() before threads start; read-only afterwards. */
static enum log_format log_fmt = LOG_JSON;
static enum log_level log_min = LOG_INFO;


void log_init(enum log_format format, enum log_level level)
{
	log_fmt = format;
	log_min = level;
}

static void timestamp(char *out, size_t size)
{
	struct timeval tv;
	struct tm tm;
	size_t n;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, size - n, ".%03uZ", (unsigned)(tv.tv_usec / 1000) % 1000u);
}

static void emit(struct strbuf *line)
{
	const char *p;
	size_t left;

	strbuf_addch(line, '\n');
	p = line->buf;
	left = line->len;
	while (left) {
		ssize_t n = write(STDERR_FILENO, p, left);

		if (n <= 0)
			return; /* stderr is gone: nothing better to do with a log line */
		p += n;
		left -= (size_t)n;
	}
}

/* Starts a line with time, level and message; JSON lines stay open for more members. */
static void begin(struct strbuf *line, struct jsonw *w, enum log_level level, const char *msg)
{
	char ts[40];

	timestamp(ts, sizeof(ts));
	if (log_fmt == LOG_JSON) {
		jsonw_init(w, line, false);
		jsonw_object_begin(w);
		jsonw_kv_string(w, "time", ts);
		jsonw_kv_string(w, "level", config_log_level_name(level));
		jsonw_kv_string(w, "msg", msg);
	} else {
		strbuf_addf(line, "%s %-5s %s", ts, config_log_level_name(level), msg);
	}
}

static void field(struct strbuf *line, struct jsonw *w, const char *key, const char *value)
{
	if (log_fmt == LOG_JSON) {
		jsonw_kv_string(w, key, value);
	} else if (value) {
		/* Text lines quote values with spaces so they stay one key=value each. */
		bool quote = !*value;

		for (const unsigned char *p = (const unsigned char *)value; *p && !quote; p++)
			quote = *p <= 0x20 || *p == '"' || *p == 0x7f;

		strbuf_addf(line, " %s=", key);
		if (quote)
			json_escape(line, value, strlen(value));
		else
			strbuf_addstr(line, value);
	}
}

static void field_uint(struct strbuf *line, struct jsonw *w, const char *key, uint64_t v)
{
	if (log_fmt == LOG_JSON)
		jsonw_kv_uint(w, key, v);
	else
		strbuf_addf(line, " %s=%llu", key, (unsigned long long)v);
}

static void end(struct strbuf *line, struct jsonw *w)
{
	if (log_fmt == LOG_JSON) {
		jsonw_object_end(w);
		jsonw_release(w);
	}
	emit(line);
}

void log_event(enum log_level level, const char *msg, ...)
{
	struct strbuf line = STRBUF_INIT;
	struct jsonw w;
	const char *key;
	va_list ap;

	if (level < log_min)
		return;
	begin(&line, &w, level, msg);
	va_start(ap, msg);
	while ((key = va_arg(ap, const char *)))
		field(&line, &w, key, va_arg(ap, const char *));
	va_end(ap);
	end(&line, &w);
	strbuf_release(&line);
}

void log_access(const struct access_entry *e)
{
	struct strbuf line = STRBUF_INIT;
	struct jsonw w;

	if (LOG_INFO < log_min)
		return;
	begin(&line, &w, LOG_INFO, "request");
	field(&line, &w, "request_id", e->request_id);
	field(&line, &w, "remote", e->remote);
	field(&line, &w, "method", e->method);
	if (strlen(e->target) > LOG_MAX_TARGET) {
		/* A 98 KB target is one line of the log, not 98 KB of it. */
		struct strbuf cut = STRBUF_INIT;

		strbuf_add(&cut, e->target, LOG_MAX_TARGET - 3);
		strbuf_addstr(&cut, "...");
		field(&line, &w, "target", cut.buf);
		strbuf_release(&cut);
	} else {
		field(&line, &w, "target", e->target);
	}
	field_uint(&line, &w, "status", (uint64_t)e->status);
	field_uint(&line, &w, "bytes", e->bytes);
	field_uint(&line, &w, "duration_us", e->duration_us);
	field(&line, &w, "user_agent", e->user_agent);
	if (e->writer)
		field(&line, &w, "writer", e->writer);
	end(&line, &w);
	strbuf_release(&line);
}
