/*
 * member: reading and writing records by their member tables (see member.h).
 */
#include "models/member.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "lib/jsonscan.h"

/* The most strings of an array member a scan reads; more are read from a tree. */
#define SCAN_MAX_STRINGS 64

static int read_string(struct check *c, const cJSON *obj, const struct member *m,
		       struct arena *a, void *slot)
{
	return check_string(c, obj, m->name, m->flags, m->rule, a, slot);
}

static void write_string(struct jsonw *w, const struct member *m, const void *slot)
{
	(void)m;
	jsonw_string(w, *(const char *const *)slot);
}

const char *member_scan_string(const char *p, const char *end, unsigned flags,
			       check_rule_fn *rule, struct arena *a, const char **out)
{
	const char *s, *after;
	size_t len;

	if ((flags & CHECK_NULLABLE) && (after = jsonscan_word(p, end, "null")))
		return after;
	after = jsonscan_plain(p, end, &s, &len);
	if (!after || !check_plain_string(s, len, rule))
		return NULL;
	*out = arena_memdup0(a, s, len);
	return after;
}

static const char *scan_string(const char *p, const char *end, const struct member *m,
			       struct arena *a, void *slot)
{
	return member_scan_string(p, end, m->flags, m->rule, a, slot);
}

const struct member_type member_string = { read_string, write_string, scan_string };

static int read_strings(struct check *c, const cJSON *obj, const struct member *m,
			struct arena *a, void *slot)
{
	return check_strings(c, obj, m->name, m->flags, m->rule, a, slot);
}

static void write_strings(struct jsonw *w, const struct member *m, const void *slot)
{
	const struct strs *s = slot;

	(void)m;
	jsonw_strings(w, s->v, s->n);
}

static const char *scan_strings(const char *p, const char *end, const struct member *m,
				struct arena *a, void *slot)
{
	const char *v[SCAN_MAX_STRINGS], *after;
	const char **copy;
	struct strs *out = slot;
	size_t n = 0;
	bool more;

	if ((m->flags & CHECK_NULLABLE) && (after = jsonscan_word(p, end, "null")))
		return after;
	p = jsonscan_open(p, end, '[', &more);
	for (; p && more; n++) {
		if (n == SCAN_MAX_STRINGS)
			return NULL;
		p = member_scan_string(p, end, 0, m->rule, a, &v[n]);
		if (!p)
			return NULL;
		/* A repeat is an error, whose message read() gives. */
		for (size_t j = 0; j < n; j++)
			if (!strcmp(v[j], v[n]))
				return NULL;
		p = jsonscan_next(p, end, ']', &more);
	}
	if (!p)
		return NULL;
	copy = arena_calloc(a, n ? n : 1, sizeof(*copy));
	memcpy(copy, v, n * sizeof(*copy));
	out->v = copy;
	out->n = n;
	return p;
}

const struct member_type member_strings = { read_strings, write_strings, scan_strings };

static int read_int(struct check *c, const cJSON *obj, const struct member *m,
		    struct arena *a, void *slot)
{
	bool present;

	(void)a;
	return check_int(c, obj, m->name, m->flags, m->min, m->max, slot, &present);
}

static void write_int(struct jsonw *w, const struct member *m, const void *slot)
{
	int64_t v = *(const int64_t *)slot;

	(void)m;
	if (v)
		jsonw_int(w, v);
	else
		jsonw_null(w);
}

const char *member_scan_int(const char *p, const char *end, unsigned flags, int64_t min,
			    int64_t max, int64_t *out)
{
	const char *after;
	double d;

	if ((flags & CHECK_NULLABLE) && (after = jsonscan_word(p, end, "null")))
		return after;
	after = jsonscan_number(p, end, &d);
	/* What check_int_value() takes, each of its refusals a give-up. */
	if (!after || !isfinite(d) || d != floor(d) || d > (double)CHECK_MAX_SAFE_INT ||
	    d < -(double)CHECK_MAX_SAFE_INT || d < (double)min || d > (double)max)
		return NULL;
	*out = (int64_t)d;
	return after;
}

static const char *scan_int(const char *p, const char *end, const struct member *m,
			    struct arena *a, void *slot)
{
	(void)a;
	return member_scan_int(p, end, m->flags, m->min, m->max, slot);
}

const struct member_type member_int = { read_int, write_int, scan_int };

/* "a, b, c": the names of the table, for the message about an unknown key. */
static void list_names(struct strbuf *sb, const struct member *table, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", table[i].name);
}

static bool is_member(const struct member *table, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].name[0] == key[0] && !strcmp(table[i].name, key))
			return true;
	return false;
}

int member_read_object(struct check *c, const cJSON *v, const struct member *table, size_t n,
		       struct arena *a, void *record)
{
	const cJSON *e;
	bool failed = false;

	if (check_object(c, v, NULL))
		return -1;
	cJSON_ArrayForEach(e, v) {
		if (!is_member(table, n, e->string)) {
			struct strbuf names = STRBUF_INIT;

			list_names(&names, table, n);
			check_unknown_field(c, e->string, names.buf);
			strbuf_release(&names);
			if (check_stops(c))
				return -1;
			failed = true;
		}
	}
	/* A collecting check reads on past a bad member: the others may be bad too. */
	for (size_t i = 0; i < n; i++) {
		if (table[i].type->read(c, v, &table[i], a, (char *)record + table[i].offset)) {
			if (check_stops(c))
				return -1;
			failed = true;
		}
	}
	return failed ? -1 : 0;
}

const char *member_scan_object(const char *p, const char *end, const struct member *table,
			       size_t n, struct arena *a, void *record)
{
	uint64_t seen = 0;
	size_t next = 0;
	bool more;

	if (n > 64 || !n)
		return NULL;
	p = jsonscan_open(p, end, '{', &more);
	while (p && more) {
		const char *key;
		size_t len, i, k;

		p = jsonscan_key(p, end, &key, &len);
		if (!p)
			return NULL;
		/* Records mostly give their members in table order: look from the one after the last. */
		for (k = 0, i = next; k < n; k++, i = i + 1 < n ? i + 1 : 0)
			if (table[i].name[0] == key[0] && !strncmp(table[i].name, key, len) &&
			    !table[i].name[len])
				break;
		if (k == n || (seen >> i & 1) || !table[i].type->scan)
			return NULL;
		next = i + 1 < n ? i + 1 : 0;
		seen |= UINT64_C(1) << i;
		p = table[i].type->scan(p, end, &table[i], a, (char *)record + table[i].offset);
		if (!p)
			return NULL;
		p = jsonscan_next(p, end, '}', &more);
	}
	for (size_t i = 0; p && i < n; i++)
		if (!(seen >> i & 1) && (table[i].flags & CHECK_REQUIRED))
			return NULL;
	return p;
}

int member_read_nested(struct check *c, const cJSON *obj, const struct member *m,
		       const struct member *table, size_t n, size_t size, struct arena *a,
		       const void **out)
{
	const cJSON *v;
	void *p;
	size_t mark;
	int rc;

	*out = NULL;
	/* null is none, required or not. */
	rc = check_lookup(c, obj, m->name, m->flags | CHECK_NULLABLE, &v);
	if (rc <= 0)
		return rc;
	mark = check_enter_key(c, m->name);
	p = arena_calloc(a, 1, size);
	rc = member_read_object(c, v, table, n, a, p);
	check_leave(c, mark);
	if (!rc)
		*out = p;
	return rc;
}

void member_write_nested(struct jsonw *w, const struct member *table, size_t n, const void *p)
{
	if (p)
		member_write_object(w, table, n, p);
	else
		jsonw_null(w);
}

void member_write_object(struct jsonw *w, const struct member *table, size_t n,
			 const void *record)
{
	jsonw_object_begin(w);
	for (size_t i = 0; i < n; i++) {
		/* A member's name is an identifier: nothing to escape (tests/unit/test_member.c). */
		jsonw_key_plain(w, table[i].name, table[i].name_len);
		table[i].type->write(w, &table[i], (const char *)record + table[i].offset);
	}
	jsonw_object_end(w);
}
