/*
 * country: a country met or named, keyed by its ISO 3166-1 alpha-2 code.
 *
 * JSON: {"code", "name", "leader" (person or null), "roles", "plans",
 * "resources", "summary"}. roles and plans are slugs; roles are checked
 * against the dataset's "role" vocabulary by the store. Records are read-only
 * once loaded; their strings live in the store's arena.
 */
#ifndef ATTACHE_COUNTRY_H
#define ATTACHE_COUNTRY_H

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/check.h"
#include "lib/jsonw.h"
#include "models/person.h"
#include "models/resource.h"

struct country {
	const char *code;
	const char *name;
	const struct person *leader;   /* NULL when the source names none */
	struct strs roles;
	struct strs plans;
	struct strs resources;
	const char *summary;           /* NULL when absent */
};

/* The description of countries for the list engine. */
extern const struct resource country_resource;

/* Reads the country object v into *out. Returns 0, or -1 after reporting. */
int country_from_json(struct check *c, const cJSON *v, struct arena *a, struct country *out);

/* Writes the country with every member, in country_resource.members order. */
void country_to_json(struct jsonw *w, const struct country *co);

#endif
