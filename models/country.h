/*
 * country: a country met or named, keyed by its ISO 3166-1 alpha-2 code.
 *
 * Its JSON members, their order and their rules are the member table in
 * country.c, read and written through country_resource. The leader is a
 * person or null; roles and plans are slugs, and roles are checked against
 * the dataset's "role" vocabulary by the store. Like every record it cites
 * its sources (models/evidence.h). Records are read-only once
 * loaded; their strings live in the store's arena.
 */
#ifndef ATTACHE_COUNTRY_H
#define ATTACHE_COUNTRY_H

#include "lib/check.h"
#include "models/evidence.h"
#include "models/person.h"
#include "models/resource.h"

struct country {
	const char *code;
	const char *name;
	struct strs aliases;           /* other spellings of the name */
	const struct person *leader;   /* NULL when the source names none */
	struct strs roles;
	struct strs plans;
	struct strs resources;
	struct strs organizations;     /* named with the country outside its meetings and deals */
	const char *summary;           /* NULL when absent */
	struct evidences evidence;
	struct inferences inferences;
};

/* How countries are read, rendered and listed. */
extern const struct resource country_resource;

#endif
