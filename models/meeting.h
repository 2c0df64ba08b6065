/*
 * meeting: a summit meeting or other event of the dataset.
 *
 * JSON: {"id", "title", "date", "end_date", "kind", "format", "countries",
 * "organizations", "location", "counterpart", "participants", "delegation",
 * "topics", "summary"}. kind and topics are slugs (checked against the
 * dataset's "kind" and "sector" vocabularies by the store); countries are
 * ISO 3166-1 alpha-2 codes that must name countries of the dataset.
 * Records are read-only once loaded; their strings live in the store's arena.
 */
#ifndef ATTACHE_MEETING_H
#define ATTACHE_MEETING_H

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/check.h"
#include "lib/jsonw.h"
#include "models/person.h"
#include "models/resource.h"

struct delegation {
	int64_t size;                  /* 0 when not given */
	const struct person *members;
	size_t nmembers;
};

struct meeting {
	const char *id;
	const char *title;
	const char *date;              /* YYYY-MM-DD */
	const char *end_date;          /* NULL for a one-day event */
	const char *kind;
	const char *format;            /* e.g. "luncheon"; NULL when not given */
	struct strs countries;
	struct strs organizations;
	const char *location;          /* NULL when not given */
	const struct person *counterpart;  /* the leader met; NULL when not named */
	const struct person *participants;
	size_t nparticipants;
	struct strs participant_names; /* derived, for search and filters */
	const struct delegation *delegation;  /* NULL when none */
	struct strs topics;
	const char *summary;
};

extern const struct resource meeting_resource;

/* Reads the meeting object v into *out. Returns 0, or -1 after reporting. */
int meeting_from_json(struct check *c, const cJSON *v, struct arena *a, struct meeting *out);

/* Writes the meeting with every member, in meeting_resource.members order. */
void meeting_to_json(struct jsonw *w, const struct meeting *m);

#endif
