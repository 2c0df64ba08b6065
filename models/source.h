/*
 * source: a source the dataset's facts are taken from (an article, a report).
 *
 * Sources are a collection like the others: {"id", "title", "publisher",
 * "date", "url", "note"}, served at /api/v1/sources. Every country, meeting
 * and deal cites at least one in its evidence (models/evidence.h), by id.
 * publisher, date and url are given, null where the source does not say;
 * a url is an absolute http or https URL, since a dashboard links to it.
 * Records are read-only once loaded; their strings live in the store's arena.
 */
#ifndef ATTACHE_SOURCE_H
#define ATTACHE_SOURCE_H

#include "models/resource.h"

struct source {
	const char *id;
	const char *title;
	const char *publisher;         /* NULL when unknown */
	const char *date;              /* YYYY-MM-DD; NULL when the source prints none */
	const char *url;               /* NULL when unknown */
	const char *note;              /* NULL when absent */
};

/* How sources are read, rendered and listed. */
extern const struct resource source_resource;

/* check_rule_fn: NULL for an absolute http or https URL without spaces, else the complaint. */
const char *source_url_rule(const char *s, size_t len);

#endif
