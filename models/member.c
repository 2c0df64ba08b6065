/*
 * member: reading and writing records by their member tables (see member.h).
 */
#include "models/member.h"

#include <stdbool.h>
#include <string.h>

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

const struct member_type member_string = { read_string, write_string };

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

const struct member_type member_strings = { read_strings, write_strings };

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

const struct member_type member_int = { read_int, write_int };

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
		jsonw_key(w, table[i].name);
		table[i].type->write(w, &table[i], (const char *)record + table[i].offset);
	}
	jsonw_object_end(w);
}
