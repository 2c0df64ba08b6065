/*
 * deal: a deal, proposal or cooperation agenda that came out of the meetings.
 *
 * JSON: {"id", "title", "countries", "organizations", "sector", "status",
 * "date", "value", "value_alt", "companies", "partners", "meetings",
 * "location", "response", "incentives", "items", "completion_year",
 * "summary"}. value is null or money; value_alt is the same figure as the
 * source also gives it in a second currency (never a conversion of ours).
 * sector and status are slugs checked against the dataset's vocabularies, and
 * countries and meetings must name records of the dataset (the store checks).
 * Records are read-only once loaded; their strings live in the store's arena.
 */
#ifndef ATTACHE_DEAL_H
#define ATTACHE_DEAL_H

#include <cjson/cJSON.h>

#include "lib/arena.h"
#include "lib/check.h"
#include "lib/jsonw.h"
#include "models/money.h"
#include "models/person.h"
#include "models/resource.h"

struct deal {
	const char *id;
	const char *title;
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
};

extern const struct resource deal_resource;

/* Reads the deal object v into *out. Returns 0, or -1 after reporting. */
int deal_from_json(struct check *c, const cJSON *v, struct arena *a, struct deal *out);

/* Writes the deal with every member, in deal_resource.members order. */
void deal_to_json(struct jsonw *w, const struct deal *d);

#endif
