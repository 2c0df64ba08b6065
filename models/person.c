/*
 * person: reading and writing persons (see person.h).
 */
#include "models/person.h"

#include "lib/iso.h"

int person_from_json(struct check *c, const cJSON *v, struct arena *a, struct person *out)
{
	static const char *const fields[] = { "name", "title", "country", "organization", NULL };

	if (check_object(c, v, fields) ||
	    check_string(c, v, "name", CHECK_REQUIRED, NULL, a, &out->name) ||
	    check_string(c, v, "title", CHECK_NULLABLE, NULL, a, &out->title) ||
	    check_string(c, v, "country", CHECK_NULLABLE, iso_country_code_rule, a, &out->country) ||
	    check_string(c, v, "organization", CHECK_NULLABLE, NULL, a, &out->organization))
		return -1;
	return 0;
}

int person_member(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		  struct arena *a, const struct person **out)
{
	const cJSON *v;
	struct person *p;
	size_t mark;
	int rc;

	*out = NULL;
	/* null is no person, required or not. */
	rc = check_lookup(c, obj, key, flags | CHECK_NULLABLE, &v);
	if (rc <= 0)
		return rc;
	mark = check_enter_key(c, key);
	p = arena_calloc(a, 1, sizeof(*p));
	rc = person_from_json(c, v, a, p);
	check_leave(c, mark);
	if (rc == 0)
		*out = p;
	return rc;
}

static int read_element(struct check *c, const cJSON *e, struct arena *a, void *base, size_t i,
			const void *arg)
{
	(void)arg;
	return person_from_json(c, e, a, &((struct person *)base)[i]);
}

int person_list(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		struct arena *a, struct persons *out)
{
	void *p;
	int rc = check_array_of(c, obj, key, flags, sizeof(struct person), read_element, NULL, a,
				&p, &out->n);

	out->v = p;
	return rc;
}

struct strs person_names(struct persons p, struct arena *a)
{
	const char **v = arena_calloc(a, p.n ? p.n : 1, sizeof(*v));

	for (size_t i = 0; i < p.n; i++)
		v[i] = p.v[i].name;
	return (struct strs){ v, p.n };
}

void person_to_json(struct jsonw *w, const struct person *p)
{
	if (!p) {
		jsonw_null(w);
		return;
	}
	jsonw_object_begin(w);
	jsonw_kv_string(w, "name", p->name);
	jsonw_kv_string(w, "title", p->title);
	if (p->country)
		jsonw_kv_string(w, "country", p->country);
	if (p->organization)
		jsonw_kv_string(w, "organization", p->organization);
	jsonw_object_end(w);
}

void person_list_to_json(struct jsonw *w, struct persons p)
{
	jsonw_array_begin(w);
	for (size_t i = 0; i < p.n; i++)
		person_to_json(w, &p.v[i]);
	jsonw_array_end(w);
}

static int read_person(struct check *c, const cJSON *obj, const struct member *m,
		       struct arena *a, void *slot)
{
	return person_member(c, obj, m->name, m->flags, a, slot);
}

static void write_person(struct jsonw *w, const struct member *m, const void *slot)
{
	(void)m;
	person_to_json(w, *(const struct person *const *)slot);
}

const struct member_type member_person = { read_person, write_person, NULL };

static int read_persons(struct check *c, const cJSON *obj, const struct member *m,
			struct arena *a, void *slot)
{
	return person_list(c, obj, m->name, m->flags, a, slot);
}

static void write_persons(struct jsonw *w, const struct member *m, const void *slot)
{
	(void)m;
	person_list_to_json(w, *(const struct persons *)slot);
}

const struct member_type member_persons = { read_persons, write_persons, NULL };

static const struct person *person_at(const struct field *f, const void *record)
{
	return *(const struct person *const *)((const char *)record + f->offset);
}

void person_field_name(const struct field *f, const void *record, struct field_value *out)
{
	const struct person *p = person_at(f, record);

	out->s = p ? p->name : NULL;
	out->null = !out->s;
}

void person_field_title(const struct field *f, const void *record, struct field_value *out)
{
	const struct person *p = person_at(f, record);

	out->s = p ? p->title : NULL;
	out->null = !out->s;
}
