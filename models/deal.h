/*
 * deal: a deal, proposal or cooperation agenda that came out of the meetings.
 *
 * Its JSON members, their order and their rules are the member table in
 * deal.c, read and written through deal_resource. value is null or money;
 * value_alt is the same figure as the source also gives it in a second
 * currency (never a conversion of ours): it never comes without a value,
 * and has the value's basis and estimate flag. Like every record a deal
 * cites its sources (models/evidence.h).
 * sector and status are slugs checked against the dataset's vocabularies, and
 * countries and meetings must name records of the dataset (the store checks).
 * Records are read-only once loaded; their strings live in the store's arena.
 */
#ifndef ATTACHE_DEAL_H
#define ATTACHE_DEAL_H

#include <stdint.h>

#include "lib/check.h"
#include "models/evidence.h"
#include "models/money.h"
#include "models/resource.h"

struct deal {
	const char *id;
	const char *title;
	struct strs aliases;           /* other spellings of the title */
	struct strs countries;
	struct strs organizations;
	const char *sector;
	const char *status;
	const char *date;              /* NULL when the source gives none */
	const struct money *value;     /* NULL when the source gives no figure */
	const struct money *value_alt;
	struct strs companies;
	struct strs partners;
	struct strs meetings;
	const char *location;
	const char *response;
	struct strs incentives;
	struct strs items;
	int64_t completion_year;       /* 0 when not given */
	const char *summary;
	struct evidences evidence;
	struct inferences inferences;
};

/* How deals are read, rendered and listed. */
extern const struct resource deal_resource;

#endif
