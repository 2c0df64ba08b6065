/*
 * person: a named person, as met, photographed or listed in a delegation.
 *
 * {"name": ..., "title": ..., "country": ..., "organization": ...}: name is
 * required; title may be null; country (ISO 3166-1 alpha-2) and organization
 * are optional. Strings are borrowed from the store's arena.
 */
#ifndef ATTACHE_PERSON_H
#define ATTACHE_PERSON_H

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/check.h"
#include "lib/jsonw.h"
#include "models/member.h"
#include "models/resource.h"

struct person {
	const char *name;
	const char *title;          /* NULL when not given */
	const char *country;        /* NULL when not given */
	const char *organization;   /* NULL when not given */
};

/* An immutable array of persons. */
struct persons {
	const struct person *v;
	size_t n;
};

/* Reads the person object v into *out. Returns 0, or -1 after reporting. */
int person_from_json(struct check *c, const cJSON *v, struct arena *a, struct person *out);

/*
 * Reads obj[key] as a person or null into *out (NULL for null, or for absent
 * when not required). Returns 0, or -1 after reporting.
 */
int person_member(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		  struct arena *a, const struct person **out);

/*
 * Reads obj[key] as an array of persons (absent reads as empty unless
 * required). Returns 0, or -1 after reporting.
 */
int person_list(struct check *c, const cJSON *obj, const char *key, unsigned flags,
		struct arena *a, struct persons *out);

/* Collects the names of the persons into a new array in the arena. */
struct strs person_names(struct persons p, struct arena *a);

/* Writes p as an object (title null when not given; country and organization
 * only when given), or null when p is NULL. */
void person_to_json(struct jsonw *w, const struct person *p);
void person_list_to_json(struct jsonw *w, struct persons p);

/* Member types (models/member.h): a const struct person * (person_member), a struct persons. */
extern const struct member_type member_person;
extern const struct member_type member_persons;

/* Field getters (models/resource.h) for the name and title of the person at f->offset. */
void person_field_name(const struct field *f, const void *record, struct field_value *out);
void person_field_title(const struct field *f, const void *record, struct field_value *out);

#endif
