/*
 * strbuf: a growable byte buffer, always NUL-terminated, after git's strbuf.
 *
 * A struct strbuf owns its bytes. Initialise with STRBUF_INIT or strbuf_init(),
 * give the memory back with strbuf_release(), or take it with strbuf_detach().
 * buf is never NULL after init, so a strbuf can be printed at any time.
 * Allocation failure aborts (lib/mem.h).
 */
#ifndef ATTACHE_STRBUF_H
#define ATTACHE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_init(struct strbuf *sb, size_t hint);

/* Frees the bytes and leaves sb empty and reusable. */
void strbuf_release(struct strbuf *sb);

/* Returns the bytes as a new string (free with free()); sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/* Makes room for extra more bytes beyond len. */
void strbuf_grow(struct strbuf *sb, size_t extra);

/* Shortens the buffer to len bytes (len must not exceed sb->len). */
void strbuf_setlen(struct strbuf *sb, size_t len);

static inline void strbuf_reset(struct strbuf *sb)
{
	strbuf_setlen(sb, 0);
}

/* Appends len bytes; data may point into sb itself. */
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
/* Appends a string literal, its length known when compiled. */
#define strbuf_addlit(sb, lit) strbuf_add((sb), "" lit, sizeof(lit) - 1)

/* Appends v in decimal (per request, where snprintf's formatting costs). */
void strbuf_add_uint(struct strbuf *sb, uint64_t v);

/* printf into the buffer, for messages and plain text only: JSON is written by jsonw. */
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
