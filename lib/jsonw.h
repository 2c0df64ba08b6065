/*
 * jsonw: writes compact JSON into a strbuf, escaping as RFC 8259 requires.
 *
 * All JSON attache emits is written through here, never with printf: strings
 * are escaped, invalid UTF-8 from outside (a query value echoed in an error)
 * becomes U+FFFD so the output is always valid UTF-8, and integers are printed
 * exactly (cJSON prints doubles, which would turn 10^15 won into 1e+15).
 *
 * The writer places commas itself: call key/value functions in document order.
 * It can also record the byte range of each member of the outermost object
 * ("fragments"), which the store uses to project records without re-rendering.
 * A jsonw borrows its strbuf; jsonw_release() frees only the fragment list.
 */
#ifndef ATTACHE_JSONW_H
#define ATTACHE_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"

#define JSONW_MAX_DEPTH 32

/* A member of the outermost object: bytes [off, off + len) hold "key":value. */
struct jsonw_frag {
	uint32_t off;
	uint32_t len;
};

struct jsonw {
	struct strbuf *sb;
	unsigned depth;
	bool first[JSONW_MAX_DEPTH];
	bool after_key;
	bool record_frags;
	struct jsonw_frag *frags;
	size_t nfrags;
	size_t frags_alloc;
};

/* Starts writing at the end of sb. With record_frags, remembers member ranges. */
void jsonw_init(struct jsonw *w, struct strbuf *sb, bool record_frags);
void jsonw_release(struct jsonw *w);

/*
 * Starts a new value at the end of w's strbuf, forgetting the fragments
 * recorded but keeping their buffer: one writer renders a million records
 * without an allocation each.
 */
void jsonw_restart(struct jsonw *w);

void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);

/*
 * A key of len bytes known to need no escape (printable ASCII without '"'
 * or '\\', such as a field table's names): copied as it is, without
 * jsonw_key()'s look at each byte.
 */
void jsonw_key_plain(struct jsonw *w, const char *key, size_t len);

void jsonw_string(struct jsonw *w, const char *s);     /* NULL writes null */
void jsonw_string_len(struct jsonw *w, const char *s, size_t len);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_uint(struct jsonw *w, uint64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* Writes len bytes that already are one valid JSON value. */
void jsonw_raw(struct jsonw *w, const char *json, size_t len);

/* Writes an array of the n strings at v. */
void jsonw_strings(struct jsonw *w, const char *const *v, size_t n);

/* Shorthands for a key and its value. */
void jsonw_kv_string(struct jsonw *w, const char *key, const char *s);
void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_kv_uint(struct jsonw *w, const char *key, uint64_t v);
void jsonw_kv_bool(struct jsonw *w, const char *key, bool v);
void jsonw_kv_null(struct jsonw *w, const char *key);

/* Appends s (len bytes) to sb as a JSON string literal, quotes included. */
void json_escape(struct strbuf *sb, const char *s, size_t len);

#endif
