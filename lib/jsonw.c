/*
 * jsonw: compact JSON writer (see jsonw.h).
 */
#include "lib/jsonw.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"
#include "lib/text.h"

void jsonw_init(struct jsonw *w, struct strbuf *sb, bool record_frags)
{
	memset(w, 0, sizeof(*w));
	w->sb = sb;
	w->first[0] = true;
	w->record_frags = record_frags;
}

void jsonw_release(struct jsonw *w)
{
	free(w->frags);
	w->frags = NULL;
	w->nfrags = w->frags_alloc = 0;
}

void jsonw_restart(struct jsonw *w)
{
	w->depth = 0;
	w->first[0] = true;
	w->after_key = false;
	w->nfrags = 0;
}

/* Before any value or key: the comma, when this is not the first item. */
static void before_item(struct jsonw *w)
{
	if (!w->first[w->depth])
		strbuf_addch(w->sb, ',');
	w->first[w->depth] = false;
}

/* After a complete value: closes the current fragment when it was a top-level member. */
static void after_value(struct jsonw *w)
{
	if (w->record_frags && w->depth == 1 && w->nfrags) {
		struct jsonw_frag *f = &w->frags[w->nfrags - 1];

		f->len = (uint32_t)(w->sb->len - f->off);
	}
}

/* A value that follows its key gets no comma of its own. */
static void begin_value(struct jsonw *w)
{
	if (w->after_key)
		w->after_key = false;
	else
		before_item(w);
}

/* "key": as it is, then the colon: len bytes with nothing to escape. */
static void key_copy(struct strbuf *sb, const char *key, size_t n)
{
	strbuf_grow(sb, n + 3);
	sb->buf[sb->len] = '"';
	memcpy(sb->buf + sb->len + 1, key, n);
	sb->buf[sb->len + 1 + n] = '"';
	sb->buf[sb->len + 2 + n] = ':';
	strbuf_setlen(sb, sb->len + n + 3);
}

/*
 * "key": escaped, then the colon. Keys are names from the field tables, with
 * nothing to escape: they are copied as they are, without json_escape()'s
 * checks (a tenth of rendering a million records at load).
 */
static void key_escape(struct strbuf *sb, const char *key)
{
	size_t n = 0;

	for (; key[n]; n++) {
		unsigned char c = (unsigned char)key[n];

		if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
			json_escape(sb, key, strlen(key));
			strbuf_addch(sb, ':');
			return;
		}
	}
	key_copy(sb, key, n);
}

/* Where a key starts: the comma before it, and a new top-level member's range. */
static void key_begin(struct jsonw *w)
{
	before_item(w);
	if (w->record_frags && w->depth == 1) {
		if (w->nfrags == w->frags_alloc) {
			w->frags_alloc = w->frags_alloc ? 2 * w->frags_alloc : 16;
			w->frags = xreallocarray(w->frags, w->frags_alloc, sizeof(*w->frags));
		}
		w->frags[w->nfrags].off = (uint32_t)w->sb->len;
		w->frags[w->nfrags].len = 0;
		w->nfrags++;
	}
}

void jsonw_key(struct jsonw *w, const char *key)
{
	key_begin(w);
	key_escape(w->sb, key);
	w->after_key = true;
}

void jsonw_key_plain(struct jsonw *w, const char *key, size_t len)
{
	key_begin(w);
	key_copy(w->sb, key, len);
	w->after_key = true;
}

static void open_container(struct jsonw *w, char c)
{
	begin_value(w);
	strbuf_addch(w->sb, c);
	assert(w->depth + 1 < JSONW_MAX_DEPTH);
	w->depth++;
	w->first[w->depth] = true;
}

static void close_container(struct jsonw *w, char c)
{
	assert(w->depth > 0);
	strbuf_addch(w->sb, c);
	w->depth--;
	after_value(w);
}

void jsonw_object_begin(struct jsonw *w) { open_container(w, '{'); }
void jsonw_object_end(struct jsonw *w) { close_container(w, '}'); }
void jsonw_array_begin(struct jsonw *w) { open_container(w, '['); }
void jsonw_array_end(struct jsonw *w) { close_container(w, ']'); }

void jsonw_raw(struct jsonw *w, const char *json, size_t len)
{
	begin_value(w);
	strbuf_add(w->sb, json, len);
	after_value(w);
}

void jsonw_string_len(struct jsonw *w, const char *s, size_t len)
{
	begin_value(w);
	json_escape(w->sb, s, len);
	after_value(w);
}

void jsonw_string(struct jsonw *w, const char *s)
{
	if (!s)
		jsonw_null(w);
	else
		jsonw_string_len(w, s, strlen(s));
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	begin_value(w);
	if (v < 0) {
		strbuf_addch(w->sb, '-');
		strbuf_add_uint(w->sb, (uint64_t)0 - (uint64_t)v);
	} else {
		strbuf_add_uint(w->sb, (uint64_t)v);
	}
	after_value(w);
}

void jsonw_uint(struct jsonw *w, uint64_t v)
{
	begin_value(w);
	strbuf_add_uint(w->sb, v);
	after_value(w);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	if (v)
		jsonw_raw(w, "true", 4);
	else
		jsonw_raw(w, "false", 5);
}

void jsonw_null(struct jsonw *w)
{
	jsonw_raw(w, "null", 4);
}

void jsonw_strings(struct jsonw *w, const char *const *v, size_t n)
{
	jsonw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jsonw_string(w, v[i]);
	jsonw_array_end(w);
}

void jsonw_kv_string(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void jsonw_kv_uint(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_uint(w, v);
}

void jsonw_kv_bool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void jsonw_kv_null(struct jsonw *w, const char *key)
{
	jsonw_key(w, key);
	jsonw_null(w);
}

void json_escape(struct strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	strbuf_grow(sb, len + 2);
	strbuf_addch(sb, '"');
	while (i < len) {
		unsigned c = p[i];
		size_t n;

		/* DEL is legal JSON, but escaped: a log line read in a terminal stays a line. */
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
			i++;
			run++;
			continue;
		}
		strbuf_add(sb, s + i - run, run);
		run = 0;
		if (c >= 0x80) {
			n = utf8_seq_len(p + i, len - i);
			if (n) {
				strbuf_add(sb, s + i, n);
				i += n;
			} else {
				strbuf_addstr(sb, "\\ufffd");
				i++;
			}
			continue;
		}
		switch (c) {
		case '"': strbuf_addstr(sb, "\\\""); break;
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case '\b': strbuf_addstr(sb, "\\b"); break;
		case '\f': strbuf_addstr(sb, "\\f"); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\r': strbuf_addstr(sb, "\\r"); break;
		case '\t': strbuf_addstr(sb, "\\t"); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			strbuf_add(sb, u, sizeof(u));
		}
		}
		i++;
	}
	strbuf_add(sb, s + i - run, run);
	strbuf_addch(sb, '"');
}
