/*
 * meeting: a summit meeting or other event of the dataset.
 *
 * Its JSON members, their order and their rules are the member table in
 * meeting.c, read and written through meeting_resource. kind and topics are
 * slugs (checked against the dataset's "kind" and "sector" vocabularies by
 * the store); countries are ISO 3166-1 alpha-2 codes that must name
 * countries of the dataset; end_date, when given, is not before date. Like
 * every record it cites its sources (models/evidence.h).
 * Records are read-only once loaded; their strings live in the store's arena.
 */
#ifndef ATTACHE_MEETING_H
#define ATTACHE_MEETING_H

#include <stdint.h>

#include "lib/check.h"
#include "models/evidence.h"
#include "models/person.h"
#include "models/resource.h"

struct delegation {
	int64_t size;                  /* 0 when not given */
	struct persons members;
};

struct meeting {
	const char *id;
	const char *title;
	struct strs aliases;           /* other spellings of the title */
	const char *date;              /* YYYY-MM-DD */
	const char *end_date;          /* NULL for a one-day event */
	const char *kind;
	const char *format;            /* e.g. "luncheon"; NULL when not given */
	struct strs countries;
	struct strs organizations;
	const char *location;          /* NULL when not given */
	const struct person *counterpart;  /* the leader met; NULL when not named */
	struct persons participants;
	struct strs participant_names; /* derived, for search and filters */
	struct strs delegation_names;  /* derived: the delegation's members' names */
	const struct delegation *delegation;  /* NULL when none */
	struct strs topics;
	const char *summary;
	struct evidences evidence;
	struct inferences inferences;
};

/* How meetings are read, rendered and listed. */
extern const struct resource meeting_resource;

#endif
