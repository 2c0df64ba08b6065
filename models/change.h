/*
 * change: one write, as the changes feed (GET /api/v1/changes) lists it.
 *
 * {"seq", "at", "writer", "op", "collection", "id", "etag"}: the write's
 * sequence number (ascending, never reused), when it was made (UTC, to the
 * second), the name of the token that made it, what it did ("create",
 * "replace", "patch", "delete"), the collection and key of the record, and
 * the record's ETag after it (null for a delete). Changes are a collection
 * of the store like the others, so the list engine filters, sorts, facets
 * and pages them; a store keeps the last STORE_CHANGES_KEPT, and the writer
 * keeps every one in the data file's changes log (server/writer.h).
 */
#ifndef ATTACHE_CHANGE_H
#define ATTACHE_CHANGE_H

#include <stdint.h>

#include "models/resource.h"

struct change {
	int64_t seq;
	const char *at;
	const char *writer;
	const char *op;
	const char *collection;
	const char *id;
	const char *etag;              /* NULL for a delete */
	const char *seq_key;           /* seq as text: the collection's key (derived) */
};

extern const struct resource change_resource;

#endif
